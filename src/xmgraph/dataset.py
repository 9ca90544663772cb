"""Datasets of reports: one named graph per report, built incrementally.

``xmgraph build DIR|GLOB|FILE... -o dataset.trig`` (or ``.nq``) writes an RDF dataset:

* one named graph per report, ``id:report/<sha256>/graph``, holding exactly what building
  that report alone gives (its observations, source sentences, periods, minted entities,
  roles and repairs), without the ontology;
* the default graph: the ontology (``xmgraph.ttl``, ``metrics.ttl``, ``units.ttl``,
  ``regions.ttl``) and every known entity (``ontology/entities/*.ttl``).

Observation IRIs come from the fact's key (:func:`xmgraph.build.observation_iri`), so a
figure two reports state (a year's revenue restated in the next year's report) has the
same IRI in both report graphs: their merge, which every query sees (rdflib reading the
file, or a store's default graph, see :mod:`xmgraph.store`), holds ONE observation with
two ``xmg:source`` spans. Two reports that disagree on a figure give
two observations of the same entity, metric, period, region and scenario: a conflict,
listed by ``queries/conflicts.rq``.

Incremental: a report already in the output (same SHA-256) is skipped; a report whose
file name is already there with another SHA-256 (a changed file) replaces that report's
graph, and only that one. The output file is written atomically (a temporary file, then a
rename): a build that fails or is interrupted leaves the previous output as it was, and
the reports it finished are kept in a journal next to the output (``.NAME.journal``) that
the next build picks up, so no finished work is lost. The journal holds what the output
needs of each report and no more: a header line (``# xmgraph-report SHA256 LINES BYTES``),
then the report graph's N-Triples compressed with zlib (the graph's name follows from the
SHA-256), a fraction of the output's size; a block cut short by a crash is left out.

A report whose graph is too big to hold (more rows than :data:`xmgraph.export.SORT_CHUNK`)
is never held whole: its worker sorts its rows in chunks on disk and streams them into its
block of the output and its journal entry, each in a temporary file (:func:`spill_report`),
which the build copies into the journal and the output: the same bytes as in memory.

The output may also be a folder (``-o DIR/``): one N-Quads file per report,
``DIR/<sha256>.nq``, and ``DIR/default.nq``, for a server's bulk loader; or a store
(``--store oxigraph:PATH``, ``--store sparql:URL``, see :mod:`xmgraph.store`), which takes
each batch of finished reports in one transaction.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import re
import stat
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from xmgraph.errors import Errors, XmgraphError

if TYPE_CHECKING:
    from xmgraph.export import SortedRows
from xmgraph.parallel import Progress, ReportGraph, ReportTask, run_reports
from xmgraph.store import (
    DATASET_SUFFIXES,
    ONTOLOGY_GRAPH,
    OxigraphStore,
    Store,
    StoredReport,
    open_store,
    report_graph_iri,
)

log = logging.getLogger(__name__)

PathLike = str | os.PathLike[str]

#: Reports handed to a store in one transaction (and journaled before it).
BATCH_REPORTS = 200
#: ... or whatever finished in this many seconds, whichever comes first.
BATCH_SECONDS = 5.0
#: The file of the default graph in a folder output.
DEFAULT_GRAPH_FILE = "default.nq"

_GLOB_CHARS = re.compile(r"[*?\[]")
_SHA_FILE = re.compile(r"^[0-9a-f]{64}\.nq$")
_JOURNAL_HEAD = b"# xmgraph-report "
#: How hard the journal compresses each report (zlib's levels: 1 fast ... 9 small).
_JOURNAL_LEVEL = 6
#: ... and a big report's (:func:`spill_report`): level 6 took a tenth of a 10 MB report's
#: output time, level 1 a third of that for a quarter more bytes (the journal goes at the end).
_SPILL_LEVEL = 1
_FILE_NAME = re.compile(rb'<https://w3id\.org/xmgraph/ont#fileName> "((?:[^"\\]|\\.)*)"')


@dataclass
class BuildSummary:
    """What a dataset build did."""

    output: str  #: the file, folder or store written
    reports: int = 0  #: report graphs in the result
    added: int = 0  #: reports extracted and added by this build
    replaced: int = 0  #: report graphs dropped because their file changed
    skipped: int = 0  #: inputs already in the output (same SHA-256)
    resumed: int = 0  #: reports taken from an interrupted build's journal
    duplicates: int = 0  #: inputs with the same bytes as an earlier input
    imported: int = 0  #: graphs taken from graph files given as input
    facts: int = 0  #: observations in the reports added
    triples: int = 0  #: triples in the reports added
    quads: int = 0  #: quads in the result
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    written: bool = True  #: False when the output was left as it was (nothing new)
    #: reports that could not be built: ``path: CODE: message`` (the others were)
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for the user."""
        parts = [f"{self.reports} reports"]
        for name in ("added", "replaced", "skipped", "resumed", "duplicates", "imported"):
            value = getattr(self, name)
            if value:
                parts.append(f"{value} {name}")
        verb = "wrote" if self.written else "nothing new, left unchanged"
        return (
            f"{verb} {self.output}: " + ", ".join(parts) + f"; {self.facts} new facts, "
            f"{self.quads} quads in {self.seconds:.1f} s"
        )


# ---------------------------------------------------------------- inputs


def expand_inputs(inputs: Iterable[PathLike]) -> list[Path]:
    """Files named by ``inputs``: a folder gives every ``*.txt`` in it and its subfolders
    (hidden ones left out); a glob pattern (``corpus/**/*.txt``) its matching files; a
    file itself. Sorted within each input, duplicates removed, the order of inputs kept.

    A pattern that matches nothing is E001 (as a missing file is).
    """
    out: list[Path] = []
    seen: set[str] = set()  #: the resolved paths, as text (no Path made for each)

    def add(path: Path, resolved: str | None = None) -> None:
        key = resolved or str(path.resolve())
        if key not in seen:
            seen.add(key)
            out.append(path)

    for item in inputs:
        text = os.fspath(item)
        path = Path(text)
        if path.is_dir():
            for p, resolved in _folder_files(path):
                add(p, resolved)
        elif not path.exists() and _GLOB_CHARS.search(text):
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True))
            files = [m for m in matches if m.is_file()]
            if not files:
                raise XmgraphError(Errors.E001, path=text)
            for p in files:
                add(p)
        else:
            add(path)
    return out


def _folder_files(folder: Path) -> list[tuple[Path, str | None]]:
    """The files ``*.txt`` in ``folder`` and its subfolders, hidden ones left out, sorted,
    each with its resolved path where one ``lstat`` gives it: a plain file (no link) is its
    folder's resolved path and its name (a folder's resolved once; ``Path.resolve`` of each
    file cost an ``lstat`` a component and a ``stat``, a third of a 4,000-report build's
    driver before its workers start); None for a link (resolved as before)."""
    found: list[tuple[Path, str | None]] = []
    folders: dict[str, str] = {}
    for p in folder.rglob("*.txt"):
        name = str(p)
        try:
            plain = stat.S_ISREG(os.lstat(name).st_mode)
        except OSError:
            plain = False
        if not (plain or p.is_file()) or _hidden(p, folder):
            continue
        if plain:
            parent, base = os.path.split(name)
            real = folders.get(parent) or folders.setdefault(parent, str(Path(parent).resolve()))
            found.append((p, os.path.join(real, base)))
        else:
            found.append((p, None))
    # the order of sorted() over the paths; on POSIX their parts are what Path compares
    found.sort(key=(lambda f: f[0].parts) if os.name == "posix" else (lambda f: f[0]))
    return found


def _hidden(p: Path, folder: Path) -> bool:
    """Whether a part of ``p`` below ``folder`` begins with a dot (one substring test first:
    most paths have no part that does)."""
    if "/." not in "/" + p.as_posix():
        return False
    return any(part.startswith(".") for part in p.relative_to(folder).parts)


# ---------------------------------------------------------------- the default graph


def default_graph_ntriples() -> bytes:
    """The default graph of every dataset: the ontology and all known entities, as
    sorted N-Triples (kept in the disk cache with the ontology's other products)."""
    from xmgraph import diskcache, resources

    entry = diskcache.key(resources.ontology_files())
    return diskcache.cached("default-graph", entry, _default_graph_ntriples)


def _default_graph_ntriples() -> bytes:
    from rdflib import Graph

    from xmgraph import resources
    from xmgraph.build import _ontology_file, ontology_triples

    every: set[Any] = set()
    for path in sorted((resources.ontology_dir() / "entities").glob("*.ttl")):
        every |= _ontology_file(path)[1]  # the subjects each entity file defines
    graph = Graph()
    for triple in ontology_triples(every):
        graph.add(triple)
    data = graph.serialize(format="nt", encoding="utf-8")
    return b"".join(sorted(line + b"\n" for line in data.splitlines() if line.strip()))


# ---------------------------------------------------------------- sinks


class _Sink:
    """Where a build puts report graphs: a store, a dataset file, or a folder."""

    label = ""

    def reports(self) -> dict[str, StoredReport]:
        raise NotImplementedError

    #: the suffix of the dataset file whose blocks the workers write (:class:`_FileSink`)
    block_format = ""

    def record(self, report: ReportGraph) -> None:
        """A report just finished (before its batch is added): journal it, if the sink
        keeps a journal."""

    def add(self, batch: Sequence[ReportGraph]) -> None:
        raise NotImplementedError

    def add_graph(self, name: str, ntriples: bytes) -> None:
        raise NotImplementedError

    def drop(self, names: Sequence[str]) -> None:
        raise NotImplementedError

    def finish(self, default: bytes) -> int:
        """Write the default graph and make everything durable; the number of quads."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the sink holds (called after finish, and on failure)."""


class _StoreSink(_Sink):
    """A store takes each batch in one transaction: an interrupted build keeps every
    batch it committed, and the next build skips those reports."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.label = store.spec

    def reports(self) -> dict[str, StoredReport]:
        return self.store.reports()

    def add(self, batch: Sequence[ReportGraph]) -> None:
        self.store.put_reports(batch)

    def add_graph(self, name: str, ntriples: bytes) -> None:
        self.store.put_graph(name, ntriples)

    def drop(self, names: Sequence[str]) -> None:
        self.store.drop_graphs(names)

    def finish(self, default: bytes) -> int:
        self.store.set_ontology(default)
        if isinstance(self.store, OxigraphStore):
            self.store.summarise()
            self.store.flush()
        return len(self.store)


class _FileSink(_StoreSink):
    """A dataset file (.trig/.nq), assembled in an in-memory Oxigraph store: finished
    reports are journaled as they come, and the file is replaced atomically at the end.
    The previous output is only scanned for its reports at first, and loaded once there is
    something to change: a rebuild with nothing new neither loads nor writes it."""

    def __init__(self, path: Path, *, force: bool) -> None:
        super().__init__(OxigraphStore(None, merged=False))
        self.path = path
        self.label = str(path)
        self.journal_path = path.parent / f".{path.name}.journal"
        self._journal: IO[bytes] | None = None
        self.resumed = 0
        #: whether the output must be written (a no-op rebuild leaves the file alone)
        self.changed = force or not path.exists()
        #: the previous output's reports and default graph, until it is loaded (None:
        #: nothing to load)
        self._previous: dict[str, StoredReport] | None = None
        self._previous_ontology: set[Any] = set()
        self._previous_quads = 0
        #: the reports built now, as their workers wrote them for the file (graph IRI ->
        #: bytes), merged in order at the end instead of loaded into the store
        self.block_format = path.suffix.lower() if path.suffix.lower() in _OX_FORMATS else ""
        self._blocks: dict[str, bytes | Path] = {}
        self._spills: list[str] = []  #: the temporary folders of big reports (removed)
        self._block_reports: dict[str, StoredReport] = {}
        self._block_quads: dict[str, int] = {}
        if not path.parent.is_dir():
            raise XmgraphError(Errors.E015, path=path, reason=f"no such directory: {path.parent}")
        if path.is_dir():
            raise XmgraphError(Errors.E015, path=path, reason="it is a directory")
        from xmgraph.export import remove_orphan_temps

        remove_orphan_temps(path)  # left by a build killed while writing the output
        remove_orphan_spills()  # left by a build killed while writing a big report
        self._open_journal(force=force)
        try:
            if path.exists() and not force:
                scan = _scan_reports(path)
                self._previous, self._previous_ontology, self._previous_quads = scan
            if not force and self.journal_path.stat().st_size:
                self._load_previous()
                self.resumed = self._recover()
                self.changed = self.changed or self.resumed > 0
        except BaseException:
            self.close()  # an empty journal goes with it
            raise

    def _load_previous(self) -> None:
        """Load the previous output into the scratch store (once): Oxigraph's parser
        straight into it, then its default graph (the ontology) moved to its graph."""
        if self._previous is None:
            return
        import pyoxigraph as ox

        self._previous = None
        assert isinstance(self.store, OxigraphStore)
        inner = self.store.inner
        fmt = getattr(ox.RdfFormat, _OX_FORMATS[self.path.suffix.lower()])
        inner.bulk_load(path=str(self.path), format=fmt)
        default = list(inner.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        ontology = ox.NamedNode(ONTOLOGY_GRAPH)
        inner.extend(ox.Quad(q.subject, q.predicate, q.object, ontology) for q in default)
        inner.clear_graph(ox.DefaultGraph())

    def reports(self) -> dict[str, StoredReport]:
        if self._previous is not None:
            return {**self._previous, **self._block_reports}
        return {**super().reports(), **self._block_reports}

    def _open_journal(self, *, force: bool) -> None:
        try:
            handle = open(self.journal_path, "ab")  # noqa: SIM115 (held for the whole build)
        except OSError as exc:
            raise XmgraphError(Errors.E015, path=self.journal_path, reason=exc.strerror) from exc
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # not on Unix: no lock
            pass
        except OSError:
            handle.close()
            raise XmgraphError(
                Errors.E041, reason=f"another build is writing {self.path} (its journal is locked)"
            ) from None
        if force:
            handle.truncate(0)
        self._journal = handle

    def _recover(self) -> int:
        """Load the complete report blocks of an interrupted build's journal; rewrite the
        journal with just those, so that it never keeps a torn tail."""
        data = self.journal_path.read_bytes()
        if not data:
            return 0
        blocks = _journal_blocks(data)
        assert self._journal is not None
        self._journal.truncate(0)
        if not blocks:
            log.warning("ignoring the journal %s: no complete report in it", self.journal_path)
            return 0
        import pyoxigraph as ox

        from xmgraph.store import as_nquads

        assert isinstance(self.store, OxigraphStore)
        quads = b"".join(as_nquads(ntriples, report_graph_iri(sha)) for sha, ntriples, _ in blocks)
        try:
            self.store.inner.load(quads, format=ox.RdfFormat.N_QUADS)
        except (SyntaxError, ValueError) as exc:
            log.warning("ignoring the damaged journal %s: %s", self.journal_path, exc)
            return 0
        self._write_journal(b"".join(block for _, _, block in blocks))
        return len(blocks)

    def _write_journal(self, data: bytes) -> None:
        assert self._journal is not None
        try:
            self._journal.write(data)
            self._journal.flush()
        except OSError as exc:  # a full disk: the output is untouched, the journal torn
            reason = exc.strerror or str(exc)
            raise XmgraphError(Errors.E015, path=self.journal_path, reason=reason) from exc

    def record(self, report: ReportGraph) -> None:
        if report.spill:  # a big report: its entry copied from its worker's file
            import shutil

            self._spills.append(report.spill)
            self._write_journal(report.journal_head)
            assert self._journal is not None
            with open(Path(report.spill) / "journal", "rb") as entry:
                try:
                    shutil.copyfileobj(entry, self._journal, 1 << 20)
                except OSError as exc:
                    raise XmgraphError(Errors.E015, path=self.journal_path, reason=exc) from exc
            self._write_journal(b"")
            return
        self._write_journal(report.journal or _journal_block(report.sha256, report.ntriples))

    def add(self, batch: Sequence[ReportGraph]) -> None:
        assert self._journal is not None
        with contextlib.suppress(OSError):
            os.fsync(self._journal.fileno())
        if batch:
            self._load_previous()
            loose = [r for r in batch if not (r.block or r.spill)]
            for report in batch:
                if report.block or report.spill:
                    graph = report_graph_iri(report.sha256)
                    spilled = Path(report.spill) / "block" if report.spill else None
                    self._blocks[graph] = spilled or report.block
                    self._block_quads[graph] = report.block_quads
                    self._block_reports[report.sha256] = StoredReport(
                        graph, report.sha256, report.name
                    )
            if loose:
                super().add(loose)
            self.changed = True

    def add_graph(self, name: str, ntriples: bytes) -> None:
        self._load_previous()
        super().add_graph(name, ntriples)
        self.changed = True

    def drop(self, names: Sequence[str]) -> None:
        if names:
            self._load_previous()
            super().drop(names)
            for name in names:
                if self._blocks.pop(name, None) is not None:
                    self._block_quads.pop(name)
                    self._block_reports = {
                        sha: r for sha, r in self._block_reports.items() if r.graph != name
                    }
            self.changed = True

    def finish(self, default: bytes) -> int:
        from xmgraph.store import _same_triples

        assert isinstance(self.store, OxigraphStore)
        if self._previous is not None:  # nothing new: is the ontology the same too?
            import pyoxigraph as ox

            new = {
                (q.subject, q.predicate, q.object)
                for q in ox.parse(default, format=ox.RdfFormat.N_TRIPLES)
            }
            if new != self._previous_ontology:
                self._load_previous()
        if self._previous is None and not _same_triples(self.store.inner, ONTOLOGY_GRAPH, default):
            self.store.set_ontology(default)
            self.changed = True
        if self.changed:
            from xmgraph.store import write_dataset

            write_dataset(self.store.inner, self.path, force=True, blocks=self._blocks)
        quads = self._previous_quads if self._previous is not None else len(self.store)
        quads += sum(self._block_quads.values())
        assert self._journal is not None
        self._journal.truncate(0)
        with contextlib.suppress(FileNotFoundError):
            self.journal_path.unlink()
        return quads

    def close(self) -> None:
        import shutil

        for folder in self._spills:
            shutil.rmtree(folder, ignore_errors=True)
        self._spills = []
        if self._journal is not None:
            empty = self._journal.tell() == 0
            self._journal.close()
            self._journal = None
            if empty:
                with contextlib.suppress(FileNotFoundError):
                    self.journal_path.unlink()
        self.store.close()


_OX_FORMATS = {".trig": "TRIG", ".nq": "N_QUADS"}


@dataclass(frozen=True)
class Spill:
    """A big report's graph written by its worker to a temporary folder: ``block`` (the
    graph as the dataset file holds it) and ``journal`` (its journal entry's body)."""

    folder: str
    journal_head: bytes  #: the journal entry's header line
    quads: int
    facts: int


def spill_report(rows: SortedRows, sha256: str, suffix: str) -> Spill:
    """Write a report graph's sorted rows, streamed once, as its block of a ``suffix``
    dataset file and as its journal entry (zlib, a stream at a time), each in a file of a
    new temporary folder: for a graph too big to hold in memory."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=f"{_SPILL_PREFIX}{os.getpid()}-"))
    try:
        return _spill_into(folder, rows, sha256, suffix)
    except BaseException:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        raise


#: The temporary folders of :func:`spill_report`: ``xmgraph-report-PID-XXXX``.
_SPILL_PREFIX = "xmgraph-report-"


def remove_orphan_spills() -> list[Path]:
    """Remove the temporary folders :func:`spill_report` left in a process that is gone
    (killed with -9 while building a big report); those of running processes stay."""
    import shutil
    import tempfile

    from xmgraph.export import _running

    pattern = re.compile(rf"{_SPILL_PREFIX}(\d+)-\w+")
    removed = []
    try:
        folders = list(Path(tempfile.gettempdir()).iterdir())
    except OSError:
        return []
    for folder in folders:
        match = pattern.fullmatch(folder.name)
        if match is None or _running(int(match.group(1))) or not folder.is_dir():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _spill_into(folder: Path, rows: SortedRows, sha256: str, suffix: str) -> Spill:
    from xmgraph.export import write_graph_block
    from xmgraph.parallel import _OBSERVATION_ROW
    from xmgraph.store import _prefixes

    compressor = zlib.compressobj(_SPILL_LEVEL)
    facts = 0
    with (folder / "journal").open("wb") as journal, (folder / "block").open("wb") as block:

        def tee(batches: Iterable[list[bytes]]) -> Iterable[list[bytes]]:
            nonlocal facts
            for batch in batches:
                data = b"".join(batch)
                facts += data.count(_OBSERVATION_ROW)  # a row's end: its line break ends it
                journal.write(compressor.compress(data))
                yield batch

        graph = report_graph_iri(sha256)
        write_graph_block(tee(rows.batches()), graph, suffix, block, _prefixes())
        journal.write(compressor.flush())
        size = journal.tell()
    head = _JOURNAL_HEAD + f"{sha256} {rows.count} {size}\n".encode()
    return Spill(str(folder), head, rows.count, facts)


def _journal_block(sha256: str, ntriples: bytes) -> bytes:
    """One report in the journal: its header line, then its N-Triples compressed."""
    body = zlib.compress(ntriples, _JOURNAL_LEVEL)
    lines = ntriples.count(b"\n")
    return _JOURNAL_HEAD + f"{sha256} {lines} {len(body)}\n".encode() + body


def journal_entry(sha256: str, ntriples: bytes) -> bytes:
    """A report's journal entry, as a worker makes it (:attr:`ReportGraph.journal`)."""
    return _journal_block(sha256, ntriples)


def _journal_blocks(data: bytes) -> list[tuple[str, bytes, bytes]]:
    """The complete blocks of a journal, in order: (SHA-256, N-Triples, the block's bytes);
    reading stops at the first block cut short or damaged (a crash's torn tail)."""
    blocks: list[tuple[str, bytes, bytes]] = []
    at = 0
    while at < len(data):
        eol = data.find(b"\n", at)
        if eol < 0 or not data.startswith(_JOURNAL_HEAD, at):
            break
        fields = data[at + len(_JOURNAL_HEAD) : eol].split()
        if len(fields) != 3 or not (fields[1].isdigit() and fields[2].isdigit()):
            break
        end = eol + 1 + int(fields[2])
        if end > len(data):
            break
        try:
            ntriples = zlib.decompress(data[eol + 1 : end])
        except zlib.error:
            break
        if ntriples.count(b"\n") != int(fields[1]):
            break
        blocks.append((fields[0].decode("ascii", "replace"), ntriples, data[at:end]))
        at = end
    return blocks


def _scan_reports(path: Path) -> tuple[dict[str, StoredReport], set[Any], int]:
    """The report graphs of a dataset file and the triples of its default graph, read with
    Oxigraph's streaming parser without loading it; E013 when it does not parse, E066 when
    it is no dataset of ours. Also the number of quads."""
    import pyoxigraph as ox

    from xmgraph.store import XMG

    fmt = getattr(ox.RdfFormat, _OX_FORMATS[path.suffix.lower()])
    sha_p, name_p = ox.NamedNode(XMG + "sha256"), ox.NamedNode(XMG + "fileName")
    shas: dict[str, str] = {}
    names: dict[str, str] = {}
    default: set[Any] = set()
    named = False
    count = 0
    try:
        for quad in ox.parse(path=str(path), format=fmt):
            count += 1
            graph = quad.graph_name
            if isinstance(graph, ox.DefaultGraph):
                default.add((quad.subject, quad.predicate, quad.object))
            elif isinstance(graph, ox.NamedNode):
                named = True
                if quad.predicate == sha_p:
                    shas[graph.value] = quad.object.value
                elif quad.predicate == name_p:
                    names[graph.value] = quad.object.value
    except (SyntaxError, ValueError) as exc:
        raise XmgraphError(Errors.E013, path=path, reason=" ".join(str(exc).split())[:200]) from exc
    except OSError as exc:
        raise XmgraphError(Errors.E006, path=path, reason=exc.strerror or exc) from exc
    found = {
        sha: StoredReport(graph, sha, names.get(graph, ""))
        for graph, sha in shas.items()
        if graph == report_graph_iri(sha)
    }
    if not found and not named:
        raise XmgraphError(Errors.E066, path=path)
    return found, default, count


class _FolderSink(_Sink):
    """A folder of N-Quads files, one per report (``<sha256>.nq``) and ``default.nq``:
    what ``oxigraph load``, Virtuoso's ``ld_dir`` or a GSP upload script takes in."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.label = f"{folder}/"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise XmgraphError(Errors.E015, path=folder, reason=exc.strerror or exc) from exc

    def reports(self) -> dict[str, StoredReport]:
        found: dict[str, StoredReport] = {}
        for path in sorted(self.folder.iterdir()):
            if not _SHA_FILE.match(path.name):
                continue
            sha = path.stem
            match = _FILE_NAME.search(path.read_bytes())
            name = _unescape(match.group(1)) if match else ""
            found[sha] = StoredReport(report_graph_iri(sha), sha, name)
        return found

    def _write(self, name: str, data: bytes) -> None:
        from xmgraph.store import atomic_output

        with atomic_output(self.folder / name, force=True) as stream:
            stream.write(data)

    def add(self, batch: Sequence[ReportGraph]) -> None:
        from xmgraph.store import _nquads

        for report in batch:
            self._write(f"{report.sha256}.nq", _nquads(report))

    def add_graph(self, name: str, ntriples: bytes) -> None:
        import hashlib

        from xmgraph.store import as_nquads

        digest = hashlib.sha256(name.encode()).hexdigest()[:16]
        self._write(f"graph-{digest}.nq", as_nquads(ntriples, name))

    def drop(self, names: Sequence[str]) -> None:
        for name in names:
            sha = name.rsplit("/", 2)[-2]
            with contextlib.suppress(FileNotFoundError):
                (self.folder / f"{sha}.nq").unlink()

    def finish(self, default: bytes) -> int:
        self._write(DEFAULT_GRAPH_FILE, default)
        quads = 0
        for path in self.folder.glob("*.nq"):
            with path.open("rb") as stream:
                quads += sum(1 for line in stream if line.strip() and not line.startswith(b"#"))
        return quads


def _unescape(raw: bytes) -> str:
    import json

    try:
        value = json.loads(b'"' + raw + b'"')
    except ValueError:
        return raw.decode("utf-8", "replace")
    return str(value)


# ---------------------------------------------------------------- building


def is_dataset_output(path: PathLike) -> bool:
    """True for ``.trig``/``.nq`` files and folders (an existing one, or a path ending in
    ``/``): the outputs :func:`build_dataset` writes."""
    text = os.fspath(path)
    return (
        Path(text).suffix.lower() in DATASET_SUFFIXES
        or text.endswith(("/", os.sep))
        or Path(text).is_dir()
    )


def _open_sink(output: PathLike | None, store: Store | None, *, force: bool) -> _Sink:
    if store is not None and store.kind != "memory":
        return _StoreSink(store)
    if output is None:
        raise XmgraphError(
            Errors.E041,
            reason="no output given: use -o FILE.trig (or .nq, or a folder DIR/) "
            "or --store oxigraph:PATH",
        )
    text = os.fspath(output)
    path = Path(text)
    if text.endswith(("/", os.sep)) or path.is_dir():
        return _FolderSink(path)
    if path.suffix.lower() not in DATASET_SUFFIXES:
        raise XmgraphError(Errors.E010, path=path, choices=" ".join(DATASET_SUFFIXES) + " DIR/")
    return _FileSink(path, force=force)


def _check_export(output: PathLike | None, *, force: bool) -> Path | None:
    """With a store, ``-o`` is a copy of the whole store written at the end; an existing
    file is replaced when it is a dataset xmgraph wrote (or with ``force``)."""
    if output is None:
        return None
    path = Path(output)
    if path.suffix.lower() not in DATASET_SUFFIXES:
        raise XmgraphError(Errors.E010, path=path, choices=" ".join(DATASET_SUFFIXES))
    if path.is_file() and not force:
        with path.open("rb") as stream:
            head = stream.read(1 << 16)
        if b"w3id.org/xmgraph/" not in head:
            raise XmgraphError(Errors.E066, path=path)
    return path


def build_dataset(
    inputs: Iterable[PathLike],
    *,
    output: PathLike | None = None,
    store: str | Store | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    status: Callable[[str], None] | None = None,
    published: date | None = None,
) -> BuildSummary:
    """Build the reports (and merge the datasets) named by ``inputs`` into a dataset.

    ``output``: a ``.trig``/``.nq`` file or a folder for per-report N-Quads; with a
    ``store`` other than ``memory``, the store is built and ``output`` (optional) is a
    copy of it. ``jobs``/``engine``/``scheduler``: see :func:`xmgraph.parallel.run_reports`.
    ``force``: start from nothing instead of the previous output (a store is never
    emptied; drop it yourself). ``progress(done, total)`` is called as reports finish,
    ``status(text)`` as the build moves from one phase to the next. ``published``: the
    reports' publication date (``--date``), over their datelines; a report already in the
    dataset (same SHA-256) is skipped whatever the date (``force`` rebuilds it).
    """
    say = status or (lambda text: None)
    started = time.perf_counter()
    paths = expand_inputs(inputs)
    if not paths:
        raise XmgraphError(Errors.E040)
    from xmgraph.export import check_input, is_graph_file

    for path in paths:  # every input checked before any work
        check_input(path)
    opened: Store | None = None
    if isinstance(store, str):
        if store != "memory":
            opened = open_store(store, create=True)
        store_obj: Store | None = opened
    else:
        store_obj = store
    try:
        with_store = store_obj is not None and store_obj.kind != "memory"
        export = _check_export(output, force=force) if with_store else None
        graph = [is_graph_file(p) for p in paths]
        graph_files = [p for p, g in zip(paths, graph, strict=True) if g]
        tasks = [
            ReportTask.from_path(p, published=published)
            for p, g in zip(paths, graph, strict=True)
            if not g
        ]
        say(f"reading {output}" if output is not None and store_obj is None else "opening")
        sink = _open_sink(output, store_obj, force=force)
        try:
            summary = _build(sink, tasks, graph_files, jobs, engine, scheduler, progress, say)
            if export is not None and store_obj is not None:
                say(f"writing {export}")
                store_obj.write(export, force=True)
                summary.output = f"{sink.label} and {export}"
        finally:
            sink.close()
    finally:
        if opened is not None:
            opened.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _build(
    sink: _Sink,
    tasks: list[ReportTask],
    graph_files: list[Path],
    jobs: int,
    engine: str,
    scheduler: str | None,
    progress: Progress | None,
    say: Callable[[str], None],
) -> BuildSummary:
    summary = BuildSummary(output=sink.label)
    summary.resumed = getattr(sink, "resumed", 0)
    existing = sink.reports()
    # the same bytes twice: one report graph (the first path wins)
    unique: dict[str, ReportTask] = {}
    for task in tasks:
        if task.sha256 in unique:
            summary.duplicates += 1
        else:
            unique[task.sha256] = task
    todo = [replace(t, block=sink.block_format) for sha, t in unique.items() if sha not in existing]
    summary.skipped = len(unique) - len(todo)
    # a file whose name is in the output under another SHA-256 has changed: its old
    # graph goes, once the new one is in (an interruption in between loses nothing)
    new_names = {t.name for t in unique.values()}
    stale = [r.graph for r in existing.values() if r.name in new_names and r.sha256 not in unique]
    for path in graph_files:
        summary.imported += _import_graph_file(sink, path, existing)
    say("extracting")
    batch: list[ReportGraph] = []
    last_flush = time.monotonic()
    try:
        for result in run_reports(
            todo,
            jobs=jobs,
            engine=engine,
            scheduler=scheduler,
            progress=progress,
            on_failure=lambda path, error: summary.failures.append(f"{path}: {error}"),
        ):
            sink.record(result)
            batch.append(result)
            summary.added += 1
            summary.facts += result.facts
            summary.triples += result.triples
            for warning in result.warnings:
                log.warning("%s", warning)
                summary.warnings.append(warning)
            if len(batch) >= BATCH_REPORTS or time.monotonic() - last_flush >= BATCH_SECONDS:
                sink.add(batch)
                batch, last_flush = [], time.monotonic()
    finally:  # on failure too: what finished is kept (in a store, or the journal)
        if batch:
            sink.add(batch)
    if stale:
        sink.drop(stale)
        summary.replaced = len(stale)
    say(f"writing {sink.label}")
    summary.quads = sink.finish(default_graph_ntriples())
    summary.written = getattr(sink, "changed", True)
    summary.reports = len(sink.reports())
    return summary


def _import_graph_file(sink: _Sink, path: Path, existing: dict[str, StoredReport]) -> int:
    """Merge a graph file given as input: the named graphs of a dataset (report graphs
    already in the output skipped; its ontology is regenerated anyway), or the triples of a
    plain graph as ``id:import/<sha256>/graph``. The number of graphs taken."""
    from xmgraph.store import _graph_ntriples, _parse_file

    parsed = _parse_file(path)
    known = {r.graph for r in existing.values()} | {ONTOLOGY_GRAPH}
    count = 0
    for name in sorted(parsed.named_graphs(), key=str):
        if name.value not in known:
            sink.add_graph(name.value, _graph_ntriples(parsed, name))
            count += 1
    return count
