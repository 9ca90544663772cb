"""Export: serialize graphs deterministically, write them atomically, load them back.

The same graph gives byte-identical output in every process: blank nodes get labels from
a canonical hash of their surroundings (:func:`skolemize`), triples are added to a fresh
graph in sorted order before rdflib's Turtle/TriG/JSON-LD serializers (which sort subjects
and objects), and N-Triples/N-Quads lines are sorted.

>>> from rdflib import Graph, Literal, URIRef
>>> g = Graph()
>>> _ = g.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal("x")))
>>> serialize(g, "nt")
b'<https://example.org/s> <https://example.org/p> "x" .\\n'
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import re
import stat
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import to_canonical_graph
from rdflib.graph import ConjunctiveGraph
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer

from xmgraph.errors import Errors, XmgraphError
from xmgraph.namespaces import PREFIXES

#: File extension -> rdflib format name, for output and for graphs read back.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".trig": "trig",
}
_NAMES = {name: name for name in FORMATS.values()} | {
    "ttl": "turtle",
    "ntriples": "nt",
    "nt11": "nt",
    "nq": "nquads",
    "jsonld": "json-ld",
}
_CHOICES = " ".join(FORMATS)
_GRAPH_SEP = "\x00"  # joins predicate and graph name while canonicalizing quads

Quad = tuple[Any, Any, Any, Any]


def format_for(path: str | os.PathLike[str]) -> str:
    """The rdflib format of ``path`` from its extension, or E010.

    >>> format_for("out/graph.TTL")
    'turtle'
    >>> format_for("graph.xml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    xmgraph.errors.XmgraphError: E010: unknown output format for graph.xml: use one of .ttl ...
    """
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise XmgraphError(Errors.E010, path=path, choices=_CHOICES)
    return fmt


def is_graph_file(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` has the extension of a graph format we write."""
    return (path if isinstance(path, Path) else Path(path)).suffix.lower() in FORMATS


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """rdflib 7.x warns about its own deprecated dataset API, once per parsed line."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def default_graph(graph: Graph) -> Graph:
    """Where triples added to ``graph`` go: a dataset's default graph, else ``graph``."""
    if isinstance(graph, Dataset) and hasattr(Dataset, "default_graph"):
        target: Graph = graph.default_graph
        return target
    if isinstance(graph, ConjunctiveGraph):
        context: Graph = graph.default_context
        return context
    return graph


# ---------------------------------------------------------------- blank nodes


def skolemize(graph: Graph | Iterable[Any], *, base: str | None = None) -> list[Any]:
    """The triples of ``graph`` with blank nodes relabelled canonically (RDF graph hashing).

    With ``base``, each blank node becomes the IRI ``base + <16 hex>`` instead. The labels
    depend only on the graph, never on the process, so output that shows them is stable.
    """
    triples = list(graph)
    with_bnodes = [t for t in triples if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
    if not with_bnodes:
        return triples
    sub = Graph()
    for t in with_bnodes:
        sub.add(t)
    out = [t for t in triples if not (isinstance(t[0], BNode) or isinstance(t[2], BNode))]

    def term(node: Any) -> Any:
        if isinstance(node, BNode) and base is not None:
            return URIRef(base + str(node)[2:18])
        return node

    out.extend((term(s), p, term(o)) for s, p, o in to_canonical_graph(sub))
    return out


def _quads(graph: Graph) -> list[Quad]:
    """Quads with canonical blank nodes; the graph name is None for the default graph."""
    if not isinstance(graph, ConjunctiveGraph):
        return [(s, p, o, None) for s, p, o in skolemize(graph)]
    default = default_graph(graph).identifier
    encoded = []
    for s, p, o, ctx in graph.quads((None, None, None, None)):
        name: Any = getattr(ctx, "identifier", ctx)
        label = "" if name is None or name == default else name.n3()
        encoded.append((s, URIRef(f"{p}{_GRAPH_SEP}{label}"), o))
    quads: list[Quad] = []
    for s, ep, o in skolemize(encoded):
        pred, _, label = str(ep).partition(_GRAPH_SEP)
        quads.append((s, URIRef(pred), o, _parse_name(label) if label else None))
    return quads


def _parse_name(n3: str) -> URIRef | BNode:
    return BNode(n3[2:]) if n3.startswith("_:") else URIRef(n3[1:-1])


# ---------------------------------------------------------------- serializing


def _bind(target: Graph, source: Graph) -> None:
    for prefix, bound in sorted(source.namespaces()):
        target.bind(prefix, bound, override=False)
    for prefix, uri in PREFIXES.items():
        target.bind(prefix, uri, override=True, replace=True)


class _KeepDecimals:
    """rdflib writes the decimal ``350000`` as ``350000.0``, which reads back as another
    literal (and another facts-table value): keep such decimals as typed strings."""

    def label(self, node: Any, position: int) -> str:
        if isinstance(node, Literal) and node.datatype == ns.XSD.decimal and "." not in node:
            return node._literal_n3(qname_callback=lambda dt: self.get_pname(dt, False))  # type: ignore[attr-defined]
        label: str = super().label(node, position)  # type: ignore[misc]
        return label


class _Turtle(_KeepDecimals, TurtleSerializer):
    pass


class _TriG(_KeepDecimals, TrigSerializer):
    pass


def _write(serializer: TurtleSerializer) -> bytes:
    stream = io.BytesIO()
    serializer.serialize(stream, encoding="utf-8")
    return stream.getvalue()


def _sorted_json(node: Any, key: str = "") -> Any:
    """JSON-LD with ``@graph`` nodes and the values of each property in a stable order."""
    if isinstance(node, dict):
        return {k: _sorted_json(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_json(v) for v in node]
        if key != "@list":  # property values are sets; only @list has an order
            items.sort(key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return items
    return node


def _sort_key(q: Quad) -> tuple[str, ...]:
    return tuple("" if t is None else t.n3() for t in (q[3], q[0], q[1], q[2]))


def _lines(graph: Graph, fmt: str) -> bytes:
    data = graph.serialize(format=fmt, encoding="utf-8")
    return b"".join(sorted(line + b"\n" for line in data.splitlines() if line.strip()))


def serialize(graph: Graph, fmt: str) -> bytes:
    """``graph`` as bytes in ``fmt`` (an rdflib name such as ``turtle`` or an extension
    such as ``.ttl``); the same graph gives the same bytes in every process."""
    name = _NAMES.get(fmt.lower().lstrip("."))
    if name is None:
        raise XmgraphError(Errors.E010, path=f"format {fmt!r}", choices=_CHOICES)
    quads = sorted(_quads(graph), key=_sort_key)
    if name in ("turtle", "nt", "json-ld"):  # triples: a union of all graphs
        flat = Graph(bind_namespaces="none")
        _bind(flat, graph)
        for s, p, o, _ in quads:
            flat.add((s, p, o))
        if name == "nt":
            return _lines(flat, "nt")
        if name == "json-ld":
            context = dict(sorted(PREFIXES.items()))
            doc = json.loads(flat.serialize(format="json-ld", context=context, auto_compact=True))
            text = json.dumps(_sorted_json(doc), indent=2, sort_keys=True, ensure_ascii=False)
            return (text + "\n").encode("utf-8")
        return _write(_Turtle(flat))
    ds = Dataset(default_union=False)
    _bind(ds, graph)
    for s, p, o, g in quads:
        ctx = default_graph(ds) if g is None else ds.graph(g)
        ctx.add((s, p, o))
    if name == "trig":
        with _quiet():
            return _write(_TriG(ds))
    lines: list[bytes] = []  # N-Quads: N-Triples lines, the graph name before the dot
    with _quiet():
        contexts = list(ds.contexts())
    for ctx in contexts:
        rows = _lines(ctx, "nt").splitlines(keepends=True)
        if ctx.identifier != default_graph(ds).identifier:
            suffix = f" {ctx.identifier.n3()} .\n".encode()
            rows = [row[:-3] + suffix for row in rows]
        lines.extend(rows)
    return b"".join(sorted(lines))


# ---------------------------------------------------------------- writing


def write_bytes(path: str | os.PathLike[str], data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_output`)."""
    with atomic_output(path, force=force) as stream:
        stream.write(data)
    return Path(path)


def check_writable(path: str | os.PathLike[str], *, force: bool = False) -> None:
    """Whether ``path`` can be written, before any work: E015 when it is a folder or its
    folder does not exist, E014 when it exists (without ``force``)."""
    path = Path(path)
    if path.is_dir():
        raise XmgraphError(Errors.E015, path=path, reason="it is a directory")
    if path.exists() and not force:
        raise XmgraphError(Errors.E014, path=path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise XmgraphError(Errors.E015, path=path, reason=f"no such directory: {folder}")


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], *, force: bool = False) -> Iterator[IO[bytes]]:
    """A binary stream that becomes ``path`` only when the block ends without error: a
    temporary file in the same folder, fsync, then a rename. An existing file is replaced
    only with ``force`` (else E014); on any error nothing is left behind and an existing
    file is untouched."""
    path = Path(path)
    check_writable(path, force=force)
    folder = path.parent if str(path.parent) else Path(".")
    remove_orphan_temps(path)
    tmp: Path | None = None
    try:
        fd, tmp = _open_temp(folder, path.name)
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if path exists: no race with another writer
            except FileExistsError:
                raise XmgraphError(Errors.E014, path=path) from None
            except OSError:  # a file system without hard links
                if path.exists():
                    raise XmgraphError(Errors.E014, path=path) from None
                os.replace(tmp, path)
        _fsync_dir(folder)
    except OSError as exc:
        raise XmgraphError(Errors.E015, path=path, reason=exc.strerror or exc) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def remove_orphan_temps(path: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files :func:`atomic_output` left for ``path`` in a process that
    is gone (killed while writing: ``.NAME.PID.N.tmp`` with PID no longer running); the
    temporary files of a running process, whoever it is, are left alone. The removed."""
    import re

    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.\d+\.tmp")
    removed = []
    try:
        names = [p for p in folder.iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return []
    for tmp in names:
        match = pattern.fullmatch(tmp.name)
        if match is None or _running(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def _running(pid: int) -> bool:
    """Whether a process ``pid`` exists (ours or another user's)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process (or cannot tell): keep its file
    return True


def _open_temp(folder: Path, name: str) -> tuple[int, Path]:
    for attempt in range(100):
        tmp = folder / f".{name}.{os.getpid()}.{attempt}.tmp"
        try:  # mode 0o666 & ~umask, like any file the user writes
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file in {folder}")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_graph(graph: Graph, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Serialize ``graph`` in the format of ``path``'s extension and write it atomically."""
    fmt = format_for(path)
    if Path(path).exists() and not force and not Path(path).is_dir():
        raise XmgraphError(Errors.E014, path=path)  # before the work of serializing
    return write_bytes(path, serialize(graph, fmt), force=force)


# ---------------------------------------------------------------- reading back


def check_input(path: str | os.PathLike[str]) -> Path:
    """``path`` as a Path if it is a non-empty file, else E001/E002/E003/E006."""
    p = path if isinstance(path, Path) else Path(path)
    try:  # one stat says it of a file; a failed one is told apart as before
        st = p.stat()
    except (OSError, ValueError):
        pass
    else:
        if not stat.S_ISDIR(st.st_mode) and st.st_size:
            return p
    try:
        if not p.exists():
            raise XmgraphError(Errors.E001, path=path)
        if p.is_dir():
            raise XmgraphError(Errors.E002, path=path)
        if p.stat().st_size == 0:
            raise XmgraphError(Errors.E003, path=path)
    except OSError as exc:
        raise XmgraphError(Errors.E006, path=path, reason=exc.strerror or exc) from exc
    return p


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text[:200] + "...") if len(text) > 200 else text or type(exc).__name__


def parse_error(exc: BaseException) -> str:
    """What a parser said, on one line; for Turtle's syntax errors the line and column of
    the error and that line's text (rdflib's own message shows bytes cut at a character
    offset, and counts lines from the start of the statement).
    """
    text, index, why = (
        getattr(exc, "_str", None),
        getattr(exc, "_i", None),
        getattr(exc, "_why", None),
    )
    if not isinstance(text, bytes) or not isinstance(index, int) or why is None:
        return _one_line(exc)
    doc = text.decode("utf-8", errors="replace")
    index = max(0, min(index, len(doc)))
    line = doc.count("\n", 0, index) + 1
    start = doc.rfind("\n", 0, index) + 1
    end = doc.find("\n", index)
    shown = " ".join(doc[start : end if end >= 0 else len(doc)].split())
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return f"line {line}, column {index - start + 1}: {' '.join(str(why).split())}: {shown}"


def load_graph(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    graph: Graph | None = None,
) -> Graph:
    """Parse graphs we wrote (``.ttl .nt .nq .jsonld .trig``) into one graph (the union of
    their named graphs). Unknown extension: E011; a parse error: E013."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if graph is None:
        graph = Graph()
    target = default_graph(graph)
    for path in paths:
        fmt = FORMATS.get(Path(path).suffix.lower())
        if fmt is None:
            raise XmgraphError(Errors.E011, path=path, choices=_CHOICES)
        p = check_input(path)
        parsed = Dataset(default_union=True)
        try:
            with _quiet(), _no_iri_warnings():
                parsed.parse(p, format=fmt)
        except Exception as exc:  # rdflib raises many kinds of parse errors
            raise XmgraphError(Errors.E013, path=path, reason=parse_error(exc)) from exc
        _check_iris(parsed, path)
        target.addN((s, p_, o, target) for s, p_, o, _ in parsed.quads((None, None, None, None)))
        for prefix, uri in parsed.namespaces():
            graph.bind(prefix, uri, override=False)
    return graph


@contextlib.contextmanager
def _no_iri_warnings() -> Iterator[None]:
    """rdflib logs a warning for each bad IRI it reads (:func:`_check_iris` says it once)."""
    import logging

    logger = logging.getLogger("rdflib.term")
    disabled = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = disabled


def _check_iris(parsed: Dataset, path: str | os.PathLike[str]) -> None:
    """E013 for an IRI no serializer can write (``<http://exa mple.org/>``): rdflib's JSON-LD
    and Turtle parsers take it with a warning, and writing the graph would fail later."""
    from rdflib.term import _is_valid_uri

    for quad in parsed.quads((None, None, None, None)):
        for term in quad[:3]:
            iri = term if isinstance(term, URIRef) else getattr(term, "datatype", None)
            if iri is not None and not _is_valid_uri(iri):
                reason = f"bad IRI <{str(iri)[:100]}>"
                raise XmgraphError(Errors.E013, path=path, reason=reason)


def json_for_script(data: Any) -> str:
    """``data`` as JSON that can sit in a ``<script>`` element of a page (the browser view,
    the server's query page): ``<``, ``>``, ``&`` and the line separators U+2028/U+2029 are
    escaped, so no text from a report can close the element.

    >>> json_for_script({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


# ---------------------------------------------------------------- big graphs, streamed

#: N-Triples rows sorted in memory at a time; past it, each sorted chunk goes to a
#: temporary file and the chunks are merged (:class:`SortedRows`).
SORT_CHUNK = 200_000


class SortedRows:
    """N-Triples rows in bounded memory: they come in any order and with repeats, and go out
    once each, in Oxigraph's canonical form (what a store holding them dumps), sorted by
    their bytes. Every :data:`SORT_CHUNK` rows are made canonical (Oxigraph's parser and
    serializer), sorted and written to an unnamed temporary file (gone with the process,
    even after kill -9); iterating merges the files (``heapq.merge``).

    >>> rows = SortedRows(chunk=2)
    >>> for row in ('<urn:b> <urn:p> "\\t" .\\n', "<urn:a> <urn:p> <urn:o> .\\n") * 2:
    ...     rows.add(row)
    >>> list(rows), rows.count
    ([b'<urn:a> <urn:p> <urn:o> .\\n', b'<urn:b> <urn:p> "\\\\t" .\\n'], 2)
    """

    def __init__(self, *, chunk: int | None = None) -> None:
        self.chunk = chunk or SORT_CHUNK
        self.count = 0  #: rows given out by the last iteration
        self._rows: list[str] = []
        self._files: list[IO[bytes]] = []

    def add(self, row: str) -> None:
        """One N-Triples row (with its end of line)."""
        self._rows.append(row)
        if len(self._rows) >= self.chunk:
            self._spill()

    def extend(self, rows: Iterable[str]) -> None:
        """Several N-Triples rows (each with its end of line)."""
        self._rows.extend(rows)
        if len(self._rows) >= self.chunk:
            self._spill()

    @property
    def spilled(self) -> bool:
        """Whether some rows went to a temporary file (a graph too big to keep)."""
        return bool(self._files)

    def _sorted_chunk(self) -> list[bytes]:
        data = "".join(self._rows).encode("utf-8")
        self._rows = []
        if not is_canonical(data):  # Oxigraph's parser and serializer: a tenth of the time
            import pyoxigraph as ox

            nt = ox.RdfFormat.N_TRIPLES
            data = ox.serialize(ox.parse(data, format=nt), format=nt) or b""
        return sorted(set(data.splitlines(keepends=True)))

    def _spill(self) -> None:
        import tempfile

        lines = self._sorted_chunk()
        stream = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._files.append(stream)
        stream.writelines(lines)
        stream.seek(0)

    def __iter__(self) -> Iterator[bytes]:
        return itertools.chain.from_iterable(self.batches())

    def batches(self, size: int = 10_000) -> Iterator[list[bytes]]:
        """The rows, as iterating gives them, in lists of at most ``size``."""
        import heapq

        self.count = 0
        if not self._files:
            lines = self._sorted_chunk()
            self.count = len(lines)
            for start in range(0, len(lines), size):
                yield lines[start : start + size]
            return
        if self._rows:
            self._spill()
        merged = heapq.merge(*self._files)
        last = b""
        while batch := list(dict.fromkeys(itertools.islice(merged, size))):
            if batch[0] == last:  # the last batch's last row, from another file
                del batch[0]
            if batch:
                last = batch[-1]
                self.count += len(batch)
                yield batch

    def raw(self) -> list[bytes]:
        """The rows as given (rdflib's form, not Oxigraph's), once each and sorted: only
        while none was spilled."""
        assert not self._files
        # sorted as bytes (memcmp; sorting the text compared rows of Chinese character by
        # character), each encoded by a map, no Python step a row
        return sorted(set(map(str.encode, self._rows)))

    def close(self) -> None:
        """Remove the temporary files."""
        for stream in self._files:
            stream.close()
        self._files = []
        self._rows = []


#: The bytes of a control character but a line break (each ends a row; rdflib escapes
#: ``\r``): rdflib writes them raw in a literal (a tab too), Oxigraph escapes them.
_CONTROLS = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F])
_TAG_CAPITAL = re.compile(rb'"@[A-Za-z0-9-]*[A-Z]')


def is_canonical(data: bytes) -> bool:
    """Whether N-Triples rows rdflib wrote (``_nt_row``) are as Oxigraph writes them: they
    are but for a control character, U+FFFE or U+FFFF in a literal (Oxigraph escapes them),
    a literal typed ``xsd:string`` (Oxigraph leaves the type out) and a language tag with a
    capital (Oxigraph writes it in small letters); every character was tried.

    >>> row = b'<urn:a> <urn:p> "%s"@%s .\\n'
    >>> is_canonical(row % (b"a\\\\tb", b"en")), is_canonical(row % (b"a\\tb", b"en"))
    (True, False)
    >>> is_canonical(row % (b"ab", b"EN"))
    False
    """
    return not (
        len(data.translate(None, _CONTROLS)) != len(data)
        or b"\xef\xbf\xbe" in data
        or b"\xef\xbf\xbf" in data
        or b"XMLSchema#string>" in data
        or (b'"@' in data and _TAG_CAPITAL.search(data) is not None)
    )


class _SkipHead(io.RawIOBase):
    """A binary stream that writes to ``out`` what its writer writes but the ``@prefix``
    lines it begins with (Oxigraph's Turtle serializer declares its prefixes first, in an
    order of its own)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.head: bytes | None = b""  #: what may still be a prefix line; None: past them
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        size = len(data)
        if self.head is not None:
            data = self.head + bytes(data)
            while data.startswith(b"@prefix ") and b"\n" in data:
                data = data[data.index(b"\n") + 1 :]
            if data and (b"@prefix ".startswith(data[:8]) or data.startswith(b"@prefix ")):
                self.head = data  # a prefix line not finished yet
                return size
            self.head = None
        if data:
            self.out.write(data)
            self.written += len(data)
        return size


def write_graph_block(
    batches: Iterable[list[bytes]],
    graph: str | None,
    suffix: str,
    out: IO[bytes],
    prefixes: dict[str, str],
) -> int:
    """Write one graph of a dataset file to ``out`` as ``graph_block`` in
    :mod:`xmgraph.store` writes it, from its sorted canonical N-Triples rows, given in
    ``batches`` (lists of rows, an iterator: never all in memory; see
    :meth:`SortedRows.batches`): N-Quads in ``graph`` (``.nq``), or a TriG block (``.trig``:
    Turtle with ``prefixes``, undeclared, Oxigraph's serializer fed in order). Returns the
    bytes written."""
    import pyoxigraph as ox

    batches = (batch for batch in batches if batch)
    if suffix == ".nq":
        tail = b" .\n" if graph is None else f" <{graph}> .\n".encode()
        written = 0
        for batch in batches:  # " .\n" ends a row only: a literal's line break is escaped
            data = b"".join(batch).replace(b" .\n", tail)
            out.write(data)
            written += len(data)
        return written
    first = next(batches, None)
    if first is None:
        return 0
    nt = ox.RdfFormat.N_TRIPLES
    triples = itertools.chain.from_iterable(
        ox.parse(b"".join(batch), format=nt) for batch in itertools.chain([first], batches)
    )
    opening = f"<{graph}> {{\n".encode() if graph is not None else b""
    out.write(opening)
    target = _SkipHead(out)
    buffered = io.BufferedWriter(target, 1 << 20)  # Oxigraph writes a few bytes at a time
    ox.serialize(triples, buffered, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    buffered.flush()
    closing = b"}\n" if graph is not None else b""
    out.write(closing)
    return len(opening) + target.written + len(closing)
