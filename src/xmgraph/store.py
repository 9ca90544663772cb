"""Stores: where a dataset of reports lives and what its SPARQL runs on.

:func:`open_store` takes the ``--store`` spec of the commands:

``memory``
    rdflib in memory (the default): the command's inputs are loaded into one rdflib graph
    and queried with rdflib's engine; nothing is kept after the command.
``oxigraph:PATH``
    an on-disk Oxigraph store (pyoxigraph, RocksDB) in the folder PATH: fast SPARQL, data
    kept between runs. ``oxigraph:`` with no path is an Oxigraph store in memory.
``sparql:URL[,update=URL][,gsp=URL][,merge=IRI][,maxrows=N]``
    any SPARQL 1.1 server. URL is its query endpoint (SPARQL 1.1 Protocol), ``update`` its
    update endpoint, ``gsp`` its Graph Store HTTP Protocol endpoint. By default they are
    derived from URL: ``.../query`` gives ``.../update`` and ``.../store`` (Oxigraph's
    layout), ``.../sparql`` gives ``.../sparql`` and ``.../sparql-graph-crud`` (Virtuoso's).
    ``merge=IRI`` keeps the merge (below) in that named graph instead of the default graph,
    and queries it with ``default-graph-uri`` (for Virtuoso, whose default graph is all
    graphs). ``maxrows=N`` (default 10000, Virtuoso's ``ResultSetMaxRows``): a result of exactly N
    rows, or one flagged with ``X-SPARQL-MaxRows``, is taken for truncated and fetched again
    page by page (``maxrows=0`` turns that off); a CONSTRUCT or DESCRIBE that may be cut
    is an error (E180), never a partial graph. Only xmgraph's graphs (IRIs under
    ``https://w3id.org/xmgraph/id/``) are counted and exported: a server's own (Virtuoso's
    ``virtrdf#`` and the like) are not the dataset's.

How a store holds a dataset (the same on every kind, plain SPARQL 1.1):

* each report in its named graph ``id:report/<sha256>/graph`` (what the report states);
* the ontology and the known entities in ``id:graph/ontology`` (a dataset file's default
  graph);
* the default graph: the RDF merge of all those graphs, kept up to date as report graphs
  come and go. Every query sees it, with no parameter (``oxigraph serve --location PATH``
  on an ``oxigraph:PATH`` store serves it so), and ``GRAPH`` patterns see the reports.

Why a merge: Oxigraph 0.5 (``union-default-graph``, and ``FROM g1 FROM g2`` alike) and
Virtuoso query the union of graphs as a bag, so a triple stated in two report graphs
(every shared period, every restated figure) matches twice, rows multiply and joins blow
up. The merge is a set: a figure two reports state is one observation with two sources.
Write to named graphs: the default graph is rebuilt from them.

Every store answers :meth:`Store.query` (a SELECT as a :class:`~xmgraph.query.Table`),
:meth:`Store.run` (a named query of ``queries/``), :meth:`Store.result` (any query, as an
rdflib ``Result``) and :meth:`Store.graph` (the merge copied into rdflib, for code that
walks triples); and takes report graphs (:meth:`Store.put_reports`), which is how
:mod:`xmgraph.dataset` builds into it.

>>> store = open_store("oxigraph:")
>>> store.put_graph("urn:g", b'<urn:a> <urn:p> "x" .\\n')
>>> store.query("SELECT ?o WHERE { <urn:a> <urn:p> ?o }").rows
[{'o': 'x'}]
"""

from __future__ import annotations

import collections
import contextlib
import decimal
import hashlib
import io
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from xmgraph.errors import Errors, XmgraphError

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.query import Result

    from xmgraph.parallel import ReportGraph
    from xmgraph.query import Table

#: The kinds of store of ``--store``.
STORE_KINDS = ("memory", "oxigraph:PATH", "sparql:URL")
#: Output formats of a dataset (named graphs kept).
DATASET_SUFFIXES = (".trig", ".nq")
#: Seconds a SPARQL server may take to answer one request.
HTTP_TIMEOUT = 300.0
#: Virtuoso's default ``ResultSetMaxRows``.
DEFAULT_MAX_ROWS = 10_000
#: Bytes of N-Triples sent to a server's merge in one GSP POST.
POST_CHUNK = 8 << 20

_XMG = XMG = "https://w3id.org/xmgraph/ont#"
_ID = "https://w3id.org/xmgraph/id/"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: The named graph of the ontology and the known entities, in a store.
ONTOLOGY_GRAPH = _ID + "graph/ontology"
#: The named queries (no parameters bound) an Oxigraph store answers from their rows kept in
#: the named graph ``id:graph/summary/<name>`` (:meth:`OxigraphStore.summarise`): never in a
#: dataset file, dropped by every write, made again by a build and by the next such query on
#: a writable store.
SUMMARISED = ("metrics", "targets_vs_actuals", "conflicts")
SUMMARY_GRAPHS = _ID + "graph/summary/"
SUMMARY_GRAPH = SUMMARY_GRAPHS + "metrics"


def _summary_node(name: str) -> ox.NamedNode:
    """The summary graph of the named query ``name``."""
    import pyoxigraph as ox

    return ox.NamedNode(SUMMARY_GRAPHS + name)


def _summary_select(graph: str, columns: Sequence[str]) -> str:
    """The SELECT giving back, in order, the rows kept in ``graph``: one IRI per row, its
    index and a triple per bound column (the names are the named query's variables)."""
    optional = "\n".join(f"    OPTIONAL {{ ?row <{graph}#{c}> ?{c} }}" for c in columns)
    return (
        f"SELECT {' '.join('?' + c for c in columns)}\nWHERE {{ GRAPH <{graph}> {{\n"
        f"    ?row <{graph}#index> ?index\n{optional} }} }}\nORDER BY ?index\n"
    )


#: Where a plain graph file (no named graphs) goes when loaded into a dataset.
IMPORT_GRAPH = _ID + "import/{sha256}/graph"

_REPORTS_QUERY = f"""
SELECT ?g ?sha ?name WHERE {{
  GRAPH ?g {{ ?r a <{_XMG}Report> ; <{_XMG}sha256> ?sha ; <{_XMG}fileName> ?name }}
}}"""


def report_graph_iri(sha256: str) -> str:
    """The named graph of the report with this SHA-256.

    >>> report_graph_iri("ab" * 32)[-12:]
    'ababab/graph'
    """
    return f"{_ID}report/{sha256}/graph"


def unmerge_update(graph: str, merge: str | None = None) -> str:
    """SPARQL Update dropping ``graph`` and, from the merge (the default graph, or the
    named graph ``merge``), the triples no other graph holds: one request, one transaction.

    >>> print(unmerge_update("urn:g"))
    DELETE { ?s ?p ?o }
    WHERE { GRAPH <urn:g> { ?s ?p ?o }
      FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } FILTER (?other != <urn:g>) } } ;
    DROP SILENT GRAPH <urn:g>
    """
    target = f"GRAPH <{merge}> {{ ?s ?p ?o }}" if merge else "?s ?p ?o"
    others = f"?other != <{graph}>" + (f" && ?other != <{merge}>" if merge else "")
    return (
        f"DELETE {{ {target} }}\n"
        f"WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER ({others}) }} }} ;\n"
        f"DROP SILENT GRAPH <{graph}>"
    )


@dataclass(frozen=True)
class StoredReport:
    """A report graph found in a store: its graph IRI, SHA-256 and file name."""

    graph: str
    sha256: str
    name: str


# ---------------------------------------------------------------- the interface


class Store:
    """What every store does; see the module docstring for the kinds and the layout."""

    spec: str = ""
    kind: str = ""

    # -- reading
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Table:
        """Run a SELECT (or ASK: one column ``ask``) over the dataset; ``bindings`` maps
        variable names (no ``?``) to values (IRIs as ``URIRef``; other values literals)."""
        raise NotImplementedError

    def run(self, name: str, bindings: Mapping[str, Any] | None = None) -> Table:
        """Run the named query ``queries/<name>.rq`` (E021 when there is none)."""
        from xmgraph.query import load_query

        return self.query(load_query(name), bindings)

    def result(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        """Run any query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the store's own engine; the
        answer as an rdflib ``Result``, terms kept (``xmgraph query``'s formats)."""
        raise NotImplementedError

    @contextlib.contextmanager
    def using(
        self, graphs: tuple[Sequence[str], Sequence[str]] | None = None, *, base: str | None = None
    ) -> Iterator[None]:
        """Meanwhile, queries see the SPARQL Protocol's dataset ``graphs`` (the IRIs of the
        default graph's graphs, and of the named graphs; None: the store's own) and resolve
        relative IRIs against ``base``. E106 where the store has no named graphs, E107 for
        a string that is no IRI."""
        for iri in [*(graphs[0] if graphs else ()), *(graphs[1] if graphs else ())]:
            check_iri("default-graph-uri/named-graph-uri", iri)
        if base is not None:
            check_iri("base", base)
        previous = (self._graphs, self._base)
        self._graphs, self._base = graphs, base
        try:
            yield
        finally:
            self._graphs, self._base = previous

    _graphs: tuple[Sequence[str], Sequence[str]] | None = None
    _base: str | None = None

    def graph(self) -> Graph:
        """The dataset's merge copied into an rdflib graph, for code that walks triples or
        runs rdflib's engine (the view, the server). Costs rdflib's memory: on big stores
        prefer :meth:`query` and :meth:`result`."""
        raise NotImplementedError

    def reports(self) -> dict[str, StoredReport]:
        """The report graphs in the store, by SHA-256."""
        found: dict[str, StoredReport] = {}
        for row in self.query(_REPORTS_QUERY).rows:
            if row["g"] == report_graph_iri(row["sha"]):
                found[row["sha"]] = StoredReport(row["g"], row["sha"], row["name"])
        return found

    def __len__(self) -> int:
        """Quads of the dataset's named graphs (reports and ontology; not the merge)."""
        raise NotImplementedError

    def triples(self) -> int:
        """Distinct triples of the dataset (the size of the merge)."""
        table = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(table.rows[0]["n"]) if table.rows else 0

    # -- writing
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (write to named graphs: the default graph is the
        merge, see the layout)."""
        raise NotImplementedError

    def put_reports(self, graphs: Sequence[ReportGraph]) -> None:
        """Add report graphs (and their triples to the merge): a batch at a time, in one
        transaction where the store has them. A report already there is replaced."""
        raise NotImplementedError

    def put_graph(self, name: str, ntriples: bytes) -> None:
        """Replace the named graph ``name`` with these N-Triples (merge kept up to date)."""
        raise NotImplementedError

    def drop_graphs(self, names: Iterable[str]) -> None:
        """Remove these named graphs, and what only they held from the merge."""
        raise NotImplementedError

    def set_ontology(self, ntriples: bytes) -> None:
        """Make the ontology graph hold these N-Triples (nothing written if it does)."""
        raise NotImplementedError

    def load(self, path: str | os.PathLike[str]) -> None:
        """Add a file: a dataset (.trig .nq: its default graph is the ontology graph, its
        named graphs kept) or a graph (.ttl .nt .jsonld: into ``id:import/<sha256>/graph``)."""
        raise NotImplementedError

    def write(self, path: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write the dataset to ``path`` (.trig .nq) as ``xmgraph build`` writes one: the
        ontology graph as the default graph, the named graphs, no merge; deterministic
        and atomic."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the store (files, locks)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec}>"


def open_store(
    spec: str, *, create: bool = False, read_only: bool = False, graph: Graph | None = None
) -> Store:
    """The store named by ``spec`` (see the module docstring); E062 for an unknown one.

    ``create``: an ``oxigraph:PATH`` that does not exist is created (for ``build``); else
    it must exist (E063). ``read_only`` opens an Oxigraph store without its write lock, so
    that it can be read while another process writes it. ``graph``: the rdflib graph of a
    ``memory`` store (a new one by default).
    """
    kind, colon, rest = spec.partition(":")
    if spec == "memory":
        return MemoryStore(graph)
    if kind == "oxigraph" and colon:
        return OxigraphStore(rest or None, create=create, read_only=read_only)
    if kind == "sparql" and rest:
        return SparqlStore(rest)
    raise XmgraphError(Errors.E062, spec=spec)


def facts_rows(store: Store) -> list[dict[str, str]]:
    """The facts table of a store (``queries/facts.rq`` on its engine), as
    :func:`xmgraph.facts.facts_rows` gives it for an rdflib graph."""
    from xmgraph.model import FACT_COLUMNS, FACT_EXTRA_COLUMNS

    table = store.run("facts")
    missing = set(FACT_COLUMNS) - set(table.columns)
    if missing:  # facts.rq and the contract disagree: a bug, not bad input
        raise RuntimeError(f"queries/facts.rq lacks the columns {sorted(missing)}")
    extra = [c for c in FACT_EXTRA_COLUMNS if c in table.columns]
    return [{c: row[c] for c in (*FACT_COLUMNS, *extra)} for row in table.rows]


def in_oxigraph(graph: Iterable[tuple[Any, Any, Any]]) -> OxigraphStore:
    """An rdflib graph (or its triples) copied into an in-memory Oxigraph store (its default
    graph, the merge), to run SPARQL on Oxigraph's engine: the same rows as rdflib's, 20-100
    times faster (tests/test_store.py compares every named query on both)."""
    import pyoxigraph as ox

    # terms by id (rdflib's term hashes are Python code; the triples share their terms),
    # each kept alive beside its conversion so that its id is not reused
    memo: dict[int, tuple[Any, Any]] = {}

    def term(value: Any) -> Any:
        found = memo.get(id(value))
        if found is None:
            found = memo[id(value)] = (value, _ox_term(value))
        return found[1]

    store = ox.Store()
    store.bulk_extend(ox.Quad(term(s), term(p), term(o), ox.DefaultGraph()) for s, p, o in graph)
    return OxigraphStore(store=store)


def from_ntriples(data: bytes) -> OxigraphStore:
    """An in-memory Oxigraph store holding the N-Triples ``data`` in its default graph (the
    merge), as :func:`in_oxigraph` would hold the same triples."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return OxigraphStore(store=store)


def load_files(
    paths: Iterable[str | os.PathLike[str]], progress: Callable[[str], None] | None = None
) -> OxigraphStore:
    """Graph and dataset files loaded by Oxigraph into a store in memory (each report graph
    named, the merge in the default graph): what ``xmgraph query`` runs on for files, far
    faster and smaller than rdflib. ``progress`` is told what is being done."""
    import time

    store = OxigraphStore(None)
    started = time.perf_counter()
    for path in paths:
        if progress is not None:
            size = Path(path).stat().st_size if Path(path).is_file() else 0
            progress(f"loading {path} ({size / 1e6:,.1f} MB) into Oxigraph …")
        store.load(path)
    if progress is not None:
        quads = len(store.inner)
        progress(f"loaded {quads:,} quads in {time.perf_counter() - started:.1f} s; querying …")
    return store


def row_bag(rows: Iterable[Mapping[str, str]]) -> collections.Counter[tuple[tuple[str, str], ...]]:
    """Rows as a bag, order-independent, numbers as numbers (``1.0E1`` is ``10``): how the
    rows of two engines are compared.

    >>> row_bag([{"n": "10"}]) == row_bag([{"n": "1.0E1"}])
    True
    """

    def number(value: str) -> str:
        try:
            return str(decimal.Decimal(value).normalize())
        except (decimal.InvalidOperation, ValueError):
            return value

    return collections.Counter(tuple(sorted((k, number(v)) for k, v in r.items())) for r in rows)


def _table(columns: Sequence[str], rows: list[dict[str, str]]) -> Table:
    from xmgraph.query import Table

    return Table(tuple(columns), rows)


def _one_line(exc: BaseException | str) -> str:
    text = " ".join(str(exc).split())
    return (text[:300] + "...") if len(text) > 300 else text or type(exc).__name__


def _rdflib_term(value: Any) -> Any:
    from rdflib import BNode, Literal, URIRef

    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    return Literal(value)


def _prefixes() -> dict[str, str]:
    from xmgraph.namespaces import PREFIXES

    return {k: str(v) for k, v in sorted(PREFIXES.items())}


def with_prefixes(sparql: str) -> str:
    """``sparql`` with the project's prefixes declared in front (a query that declares a
    prefix itself still wins: a later declaration replaces an earlier one)."""
    head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in _prefixes().items())
    return head + sparql


_PROLOGUE = re.compile(r"^(?:\s+|#[^\n]*\n|(?:PREFIX|BASE)\s+[^<]*<[^>]*>)*", re.IGNORECASE)


def split_prologue(sparql: str) -> tuple[str, str]:
    """``(prologue, rest)``: the comments, PREFIX and BASE declarations, and the rest.

    >>> split_prologue("# hi\\nPREFIX x: <urn:x>\\nSELECT * { ?s ?p ?o }")
    ('# hi\\nPREFIX x: <urn:x>\\n', 'SELECT * { ?s ?p ?o }')
    """
    match = _PROLOGUE.match(sparql)
    end = match.end() if match else 0
    return sparql[:end], sparql[end:]


def query_form(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``, from the first keyword.

    >>> query_form("PREFIX x: <urn:x>\\n# c\\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    _, body = split_prologue(sparql)
    match = re.match(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE)
    return match.group(1).upper() if match else "SELECT"


def as_nquads(ntriples: bytes, graph: str) -> bytes:
    """N-Triples lines as N-Quads lines in the named graph ``graph``.

    >>> as_nquads(b'<urn:s> <urn:p> "o" .\\n', "urn:g")
    b'<urn:s> <urn:p> "o" <urn:g> .\\n'
    """
    suffix = f" <{graph}> .\n".encode()
    if _canonical(ntriples):  # one " .\n" ending every line: one replace, in C
        return ntriples.replace(b" .\n", suffix)
    return b"".join(
        line.rstrip()[:-1].rstrip() + suffix for line in ntriples.splitlines() if line.strip()
    )


_ODD_ENDINGS = (b"\r", b"  .\n", b"\t .\n", b"\f .\n", b"\v .\n")


def _canonical(ntriples: bytes) -> bool:
    """Whether every line ends with a term, one space, a dot and LF (as Oxigraph and rdflib
    write them), with no blank line: then each line's " .\n" is its end and nothing else."""
    return (
        ntriples.endswith(b" .\n")
        and ntriples.count(b"\n") == ntriples.count(b" .\n")
        and not ntriples.startswith(b"\n")
        and not any(odd in ntriples for odd in _ODD_ENDINGS)
    )


def _nquads(report: ReportGraph) -> bytes:
    """A report's graph as N-Quads lines in its named graph."""
    return as_nquads(report.ntriples, report_graph_iri(report.sha256))


# ---------------------------------------------------------------- rdflib in memory


class MemoryStore(Store):
    """rdflib in memory: one graph the command loaded (reports built, graphs merged),
    queried with rdflib's engine. It is read from its inputs, never built into."""

    kind = "memory"

    def __init__(self, graph: Graph | None = None) -> None:
        from rdflib import Graph

        self.spec = "memory"
        self._graph: Graph = graph if graph is not None else Graph()

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Table:
        from xmgraph.query import execute

        result = execute(self._graph, sparql, bindings)
        if result.type == "ASK":
            return _table(["ask"], [{"ask": "true" if result.askAnswer else "false"}])
        columns = [str(v) for v in (result.vars or ())]
        rows = [
            {c: "" if row[i] is None else str(row[i]) for i, c in enumerate(columns)}  # type: ignore[index]
            for row in result
        ]
        return _table(columns, rows)

    def run(self, name: str, bindings: Mapping[str, Any] | None = None) -> Table:
        from xmgraph.query import run_query

        return run_query(self._graph, name, bindings=bindings)

    def result(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        from xmgraph.query import execute

        return execute(self._graph, sparql, bindings)

    @contextlib.contextmanager
    def using(
        self, graphs: tuple[Sequence[str], Sequence[str]] | None = None, *, base: str | None = None
    ) -> Iterator[None]:
        """No dataset but its one graph (E106 for any other)."""
        if graphs is not None:
            reason = "the memory store holds one graph, with no named graphs"
            raise XmgraphError(Errors.E106, reason=reason)
        yield

    def graph(self) -> Graph:
        return self._graph

    def __len__(self) -> int:
        return len(self._graph)

    def triples(self) -> int:
        return len(self._graph)

    def _refuse(self) -> XmgraphError:
        return XmgraphError(
            Errors.E041,
            reason="the memory store holds the inputs of one command: build into a file "
            "(-o dataset.trig) or a store (--store oxigraph:PATH)",
        )

    def update(self, sparql: str) -> None:
        raise self._refuse()

    def put_reports(self, graphs: Sequence[ReportGraph]) -> None:
        raise self._refuse()

    def put_graph(self, name: str, ntriples: bytes) -> None:
        raise self._refuse()

    def drop_graphs(self, names: Iterable[str]) -> None:
        raise self._refuse()

    def set_ontology(self, ntriples: bytes) -> None:
        raise self._refuse()

    def load(self, path: str | os.PathLike[str]) -> None:
        from xmgraph.export import load_graph

        load_graph([path], graph=self._graph)

    def write(self, path: str | os.PathLike[str], *, force: bool = False) -> Path:
        from xmgraph.export import write_graph

        return write_graph(self._graph, path, force=force)


# ---------------------------------------------------------------- terms


def _ox_term(value: Any) -> Any:
    """An rdflib term (or a plain value, as a literal) as a pyoxigraph term."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    value = _rdflib_term(value)
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    assert isinstance(value, Literal)
    if value.language:
        return ox.Literal(str(value), language=value.language)
    if value.datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
    return ox.Literal(str(value))


def _ox_text(term: Any) -> str:
    return "" if term is None else str(term.value)


def _rdflib(term: Any) -> Any:
    """A pyoxigraph term as an rdflib term (``xsd:string`` literals as plain ones, as
    rdflib's parsers make them)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise XmgraphError(Errors.E024, reason=f"unsupported term {term!r}")


def _json_term(node: Mapping[str, str]) -> Any:
    """A term of the SPARQL 1.1 Query Results JSON format as an rdflib term."""
    from rdflib import BNode, Literal, URIRef

    kind, value = node.get("type"), node.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    lang = node.get("xml:lang")
    datatype = node.get("datatype")
    if lang:
        return Literal(value, lang=lang)
    if datatype and datatype != _XSD_STRING:
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


#: A SPARQL variable name (a simplification of VARNAME: ASCII letters, digits, _).
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: What an IRIREF may not contain (SPARQL 1.1, [139]): it could end the IRI early.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
#: An absolute IRI's start: a scheme and a colon (RFC 3987).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
#: A language tag as SPARQL writes one (LANGTAG, [145]).
_LANGTAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")


def _variable(key: str) -> str:
    """A binding's variable name (no ``?``); E107 when it is none."""
    name = key.lstrip("?$")
    if not _VARIABLE.fullmatch(name):
        raise XmgraphError(Errors.E107, name=key, reason="not a SPARQL variable name")
    return name


def check_iri(name: str, iri: str) -> str:
    """``iri`` when it is an absolute IRI that can be written between ``<`` and ``>``
    (E107 otherwise: it could end early, or mean something else to another engine).

    >>> check_iri("p", "x:a>)(")
    Traceback (most recent call last):
    ...
    xmgraph.errors.XmgraphError: E107: cannot bind 'p': not an IRI: 'x:a>)('
    """
    if _NOT_IN_IRI.search(iri) or not _SCHEME.match(iri):
        raise XmgraphError(Errors.E107, name=name, reason=f"not an IRI: {iri[:80]!r}")
    return iri


def check_term(name: str, value: Any) -> Any:
    """The rdflib term of a parameter, its IRIs (the term's, a literal's datatype) and
    language tag checked (E107): what a store binds or a server is sent."""
    from rdflib import Literal, URIRef

    term = _rdflib_term(value)
    if isinstance(term, URIRef):
        check_iri(name, str(term))
    elif isinstance(term, Literal):
        if term.datatype is not None:
            check_iri(name, str(term.datatype))
        if term.language is not None and not _LANGTAG.fullmatch(term.language):
            reason = f"not a language tag: {term.language[:40]!r}"
            raise XmgraphError(Errors.E107, name=name, reason=reason)
    return term


#: What a short string literal escapes (SPARQL 1.1, [157] STRING_LITERAL2: no ``"``, ``\\``,
#: line feed or carriage return of its own).
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def sparql_term(term: Any) -> str:
    """A checked term (:func:`check_term`) as SPARQL text: a literal always as one short
    string, its backslashes, quotes and line breaks escaped. (rdflib's ``n3()`` writes a
    value with a line break as a long string, and one ending in a backslash and a quote
    ended a quote early: the text after it became the query's own.)

    >>> from rdflib import Literal
    >>> print(sparql_term(Literal('x\\n\\\\"')))
    "x\\n\\\\\\""
    """
    from rdflib import Literal

    if not isinstance(term, Literal):
        return str(term.n3())
    text = '"' + str(term).translate(_STRING_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None:
        return f"{text}^^<{term.datatype}>"
    return text


def values_clause(bindings: Mapping[str, Any]) -> str:
    """A trailing ``VALUES`` clause binding each variable to its value (N-Triples terms).

    >>> values_clause({"periodCode": "2024"})
    '\\nVALUES (?periodCode) { ("2024") }'
    """
    from rdflib import BNode

    names: list[str] = []
    terms: list[str] = []
    for key, value in bindings.items():
        name = key.lstrip("?$")
        if not _VARIABLE.fullmatch(name):
            raise XmgraphError(Errors.E069, name=key, reason="not a SPARQL variable name")
        try:
            term = check_term(key, value)
        except XmgraphError as exc:
            reason = exc.message.split(": ", 1)[1]
            raise XmgraphError(Errors.E069, name=key, reason=reason) from None
        if isinstance(term, BNode):
            raise XmgraphError(Errors.E069, name=key, reason="a blank node has no name to send")
        names.append(name)
        terms.append(sparql_term(term))
    return f"\nVALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"


def bound_select(sparql: str, bindings: Mapping[str, Any]) -> str:
    """A SELECT with ``bindings`` joined to its result: a ``VALUES`` clause at the end of
    its outermost group, so that its ORDER BY still orders the rows. (A trailing
    ``VALUES`` is the same in SPARQL 1.1, but Virtuoso 7.2 substitutes a trailing VALUES
    into a variable projected from a subquery instead of joining: every row came back,
    relabelled.)

    >>> bound_select("SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a", {"a": "x"})
    'SELECT ?a WHERE { ?a ?b ?c \\nVALUES (?a) { ("x") } } ORDER BY ?a'
    """
    end = sparql.rfind("}")
    if end < 0:
        return sparql + values_clause(bindings)
    return f"{sparql[:end]}{values_clause(bindings)} {sparql[end:]}"


# ---------------------------------------------------------------- files


_FORMATS_BY_SUFFIX = {
    ".ttl": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".jsonld": "JSON_LD",
}


def _parse_file(path: str | os.PathLike[str]) -> ox.Store:
    """A graph or dataset file parsed by Oxigraph into a new in-memory store (E011/E013),
    its default graph moved to the ontology graph (a dataset) or to an import graph."""
    import pyoxigraph as ox

    from xmgraph.export import FORMATS, check_input

    suffix = Path(path).suffix.lower()
    if suffix not in _FORMATS_BY_SUFFIX:
        raise XmgraphError(Errors.E011, path=path, choices=" ".join(FORMATS))
    check_input(path)
    parsed = ox.Store()
    try:
        parsed.bulk_load(path=str(path), format=getattr(ox.RdfFormat, _FORMATS_BY_SUFFIX[suffix]))
    except (SyntaxError, ValueError) as exc:
        raise XmgraphError(Errors.E013, path=path, reason=_one_line(exc)) from exc
    except OSError as exc:
        raise XmgraphError(Errors.E006, path=path, reason=_one_line(exc)) from exc
    default = list(parsed.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if default:
        if suffix in DATASET_SUFFIXES:
            target = ONTOLOGY_GRAPH
        else:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            target = IMPORT_GRAPH.format(sha256=digest)
        node = ox.NamedNode(target)
        parsed.extend(ox.Quad(q.subject, q.predicate, q.object, node) for q in default)
        parsed.clear_graph(ox.DefaultGraph())
    return parsed


def _graph_ntriples(store: ox.Store, name: Any) -> bytes:
    import pyoxigraph as ox

    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=name)
    return out.getvalue()


def _same_triples(store: ox.Store, graph: str, ntriples: bytes) -> bool:
    import pyoxigraph as ox

    new = {(q.subject, q.predicate, q.object) for q in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)}
    old = {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    }
    return new == old


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], *, force: bool = False) -> Iterator[IO[bytes]]:
    """:func:`xmgraph.export.atomic_output` (imported when first used: it loads rdflib)."""
    from xmgraph.export import atomic_output as export_atomic_output

    with export_atomic_output(path, force=force) as stream:
        yield stream


def _sorted_lines(store: ox.Store, graph: Any) -> list[bytes]:
    """One graph of ``store`` as N-Triples lines, sorted (bytes: no Python term objects)."""
    import pyoxigraph as ox

    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=graph)
    return sorted(line for line in out.getvalue().splitlines(keepends=True) if line.strip())


def _dataset_graphs(store: ox.Store) -> list[Any]:
    """The graphs a dataset file holds, in order: the ontology graph (written as the
    default graph), then the named graphs by IRI; the store's default graph (the merge)
    is left out."""
    import pyoxigraph as ox

    names = sorted(
        (
            g
            for g in store.named_graphs()
            if g.value != ONTOLOGY_GRAPH and not g.value.startswith(SUMMARY_GRAPHS)
        ),
        key=str,
    )
    return [ox.NamedNode(ONTOLOGY_GRAPH), *names]


def write_dataset(
    store: ox.Store,
    path: str | os.PathLike[str],
    *,
    force: bool = False,
    blocks: Mapping[str, bytes | Path] | None = None,
) -> Path:
    """Write a pyoxigraph store as a TriG or N-Quads dataset (by extension, else E010),
    atomically (:func:`atomic_output`) and deterministically: graphs as
    :func:`_dataset_graphs` orders them, each graph's triples in the order of their sorted
    N-Triples lines, so that the same dataset always gives the same bytes. ``blocks``:
    graph IRI -> that graph as already written (:func:`graph_block`, by the workers that
    built the reports, or the file a big one's is in), merged in the order of the graphs'
    IRIs, not loaded first."""
    import shutil

    suffix = Path(path).suffix.lower()
    if suffix not in DATASET_SUFFIXES:
        raise XmgraphError(Errors.E010, path=path, choices=" ".join(DATASET_SUFFIXES))
    prefixes = _prefixes()
    blocks = blocks or {}
    graphs = _dataset_graphs(store)
    names = sorted({str(g) for g in graphs[1:]} | {f"<{name}>" for name in blocks})
    by_name = {str(g): g for g in graphs[1:]}
    with atomic_output(path, force=force) as stream:
        if suffix == ".trig":
            stream.write("".join(f"@prefix {k}: <{v}> .\n" for k, v in prefixes.items()).encode())
        stream.write(graph_block(_sorted_lines(store, graphs[0]), None, suffix))
        for name in names:  # the report graphs by IRI: those built now come as blocks
            block = blocks.get(name[1:-1])
            if block is None:
                block = graph_block(_sorted_lines(store, by_name[name]), name[1:-1], suffix)
            if isinstance(block, Path):  # a big report's block, in a file
                with block.open("rb") as source:
                    shutil.copyfileobj(source, stream, 1 << 20)
            else:
                stream.write(block)
    return Path(path)


def graph_block(lines: Sequence[bytes], graph: str | None, suffix: str) -> bytes:
    """One graph of a dataset file as :func:`write_dataset` writes it: its sorted N-Triples
    ``lines`` as N-Quads in ``graph`` (``.nq``) or as a TriG block (``.trig``, Turtle with
    the project's prefixes, undeclared); ``graph`` None for the default graph."""
    import pyoxigraph as ox

    data = b"".join(lines)
    if suffix == ".nq":
        return data if graph is None else as_nquads(data, graph)
    # TriG: each graph as Turtle (Oxigraph's serializer keeps the order it is given)
    body = (
        ox.serialize(
            ox.parse(data, ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=_prefixes()
        )
        or b""
    )
    body = b"".join(
        line for line in body.splitlines(keepends=True) if not line.startswith(b"@prefix ")
    )
    if graph is None:
        return body
    return f"<{graph}> {{\n".encode() + body + b"}\n" if body.strip() else b""


def canonical_lines(ntriples: bytes) -> list[bytes]:
    """N-Triples as Oxigraph writes them, sorted: the lines :func:`write_dataset` takes from
    a store holding them (so that a worker can make its graph's block)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return _sorted_lines(store, ox.DefaultGraph())


# ---------------------------------------------------------------- Oxigraph


class OxigraphStore(Store):
    """Oxigraph through pyoxigraph: on disk in a folder, or in memory (``oxigraph:``).

    Loading and writing go through Oxigraph's own parsers and serializers, a report batch
    at a time, never triple by triple. ``merged=False`` keeps no merge in the default graph
    (a build's scratch dataset: written to a file, never queried)."""

    kind = "oxigraph"

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        create: bool = False,
        read_only: bool = False,
        store: ox.Store | None = None,
        merged: bool = True,
    ) -> None:
        import pyoxigraph as ox

        self.path = Path(path) if path is not None else None
        self.spec = f"oxigraph:{path or ''}"
        self.merged = merged
        self.read_only = read_only
        if store is not None:
            self._store = store
            return
        try:
            if self.path is None:
                self._store = ox.Store()
            elif not self.path.exists():
                if not create:
                    raise XmgraphError(Errors.E063, spec=self.spec, reason="no such folder")
                self._store = ox.Store(str(self.path))
            elif not self.path.is_dir():
                raise XmgraphError(Errors.E063, spec=self.spec, reason="not a folder")
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = ox.Store(str(self.path))
        except OSError as exc:  # locked by another process, not a store, no permission
            raise XmgraphError(Errors.E063, spec=self.spec, reason=_one_line(exc)) from exc

    @property
    def inner(self) -> ox.Store:
        """The pyoxigraph store."""
        return self._store

    def _ask(self, sparql: str, bindings: Mapping[str, Any] | None) -> Any:
        import pyoxigraph as ox

        if not bindings:
            sparql = self._summarised(sparql) or sparql
        subs = {
            ox.Variable(_variable(k)): _ox_term(check_term(k, v))
            for k, v in (bindings or {}).items()
        }
        try:  # the default graph is the merge; a scratch store has none: its union then
            return self._store.query(
                sparql,
                use_default_graph_as_union=not self.merged and self._graphs is None,
                substitutions=subs or None,
                prefixes=_prefixes(),
                base_iri=self._base,
                **self._dataset_options(),
            )
        except SyntaxError as exc:  # the query, as Oxigraph reads it: the asker's error
            raise XmgraphError(Errors.E022, reason=_one_line(exc)) from exc
        except RuntimeError as exc:  # a substitution of a variable the query does not select
            if subs and "projection" in str(exc):
                raise XmgraphError(Errors.E107, name=", ".join(sorted(bindings or {})),
                                   reason=_one_line(exc)) from exc  # fmt: skip
            raise XmgraphError(Errors.E024, reason=_one_line(exc)) from exc
        except (OSError, ValueError) as exc:
            raise XmgraphError(Errors.E024, reason=_one_line(exc)) from exc

    def _dataset_options(self) -> dict[str, Any]:
        """Oxigraph's ``default_graph`` and ``named_graphs`` for the request's dataset
        (the Protocol: the graphs named, and only those; none named, none there)."""
        import pyoxigraph as ox

        if self._graphs is None:
            return {}
        default, named = self._graphs
        return {
            "default_graph": [ox.NamedNode(iri) for iri in default],
            "named_graphs": [ox.NamedNode(iri) for iri in named],
        }

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Table:
        import pyoxigraph as ox

        answer = self._ask(sparql, bindings)
        try:
            if isinstance(answer, ox.QueryBoolean):
                return _table(["ask"], [{"ask": "true" if bool(answer) else "false"}])
            if isinstance(answer, ox.QueryTriples):
                names = ["subject", "predicate", "object"]
                # a CONSTRUCT's triples as a set (Oxigraph streams duplicates; rdflib's
                # graph and a server's answer hold each once), compared as terms: "2024"
                # and "2024"^^xsd:gYear are two triples even if their rows read the same
                seen = dict.fromkeys((t.subject, t.predicate, t.object) for t in answer)
                rows = [{n: _ox_text(term) for n, term in zip(names, t, strict=True)} for t in seen]
                return _table(names, rows)
            columns = [v.value for v in answer.variables]
            rows = [{c: _ox_text(solution[c]) for c in columns} for solution in answer]
        except (OSError, ValueError) as exc:  # errors found while iterating
            raise XmgraphError(Errors.E024, reason=_one_line(exc)) from exc
        return _table(columns, rows)

    def result(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        import pyoxigraph as ox
        from rdflib import Graph, Variable
        from rdflib.query import Result

        answer = self._ask(sparql, bindings)
        try:
            if isinstance(answer, ox.QueryBoolean):
                out = Result("ASK")
                out.askAnswer = bool(answer)
            elif isinstance(answer, ox.QueryTriples):
                out = Result("CONSTRUCT")
                graph = Graph()
                graph.addN(
                    (_rdflib(t.subject), _rdflib(t.predicate), _rdflib(t.object), graph)
                    for t in answer
                )
                out.graph = graph
            else:
                out = Result("SELECT")
                names = [v.value for v in answer.variables]
                out.vars = [Variable(n) for n in names]
                out.bindings = [
                    {Variable(n): _rdflib(s[n]) for n in names if s[n] is not None} for s in answer
                ]
        except (OSError, ValueError) as exc:
            raise XmgraphError(Errors.E024, reason=_one_line(exc)) from exc
        return out

    def graph(self) -> Graph:
        import pyoxigraph as ox
        from rdflib import Graph

        from xmgraph.build import bind_prefixes

        graph = Graph()
        source = (
            self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            if self.merged
            else iter(self._store)
        )
        graph.addN(
            (_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object), graph) for q in source
        )
        return bind_prefixes(graph)

    def _summarised(self, sparql: str) -> str | None:
        """The SELECT of the kept rows when ``sparql`` is a :data:`SUMMARISED` query's text
        and this store has them (or, writable, now keeps them): only for the merge of a
        store queried whole, never a request's dataset."""
        from xmgraph.query import load_query

        if not self.merged or self._graphs is not None:
            return None
        name = next((n for n in SUMMARISED if sparql == load_query(n)), None)
        if name is None:
            return None
        if not self.read_only and not self._store.contains_named_graph(_summary_node(name)):
            self.summarise([name])  # this one only: a one-off query pays for no other
        return self._kept_rows_select(name)

    def _kept_rows_select(self, name: str) -> str | None:
        """The SELECT of the rows the summary graph of ``name`` keeps (None when it has
        none: the query then runs as written)."""
        import pyoxigraph as ox

        graph = _summary_node(name)
        marker = ox.NamedNode(f"{graph.value}#columns")
        for quad in self._store.quads_for_pattern(graph, marker, None, graph):
            assert isinstance(quad.object, ox.Literal)
            return _summary_select(graph.value, quad.object.value.split())
        return None

    def _summary_graphs(self) -> list[ox.NamedNode]:
        """The summary graphs this store holds (looked up by name: a store has thousands)."""
        graphs = [_summary_node(name) for name in SUMMARISED]
        return [g for g in graphs if self._store.contains_named_graph(g)]

    def summarise(self, names: Sequence[str] = SUMMARISED) -> None:
        """Keep the rows of these :data:`SUMMARISED` queries, in order, each in its summary
        graph (with its columns, so that an empty answer is kept too): then the query reads
        its rows, not every observation. Made from the queries themselves over the merge;
        a summary there is kept (every write drops them all: one there is current)."""
        import pyoxigraph as ox

        from xmgraph.query import load_query

        if not self.merged or self.read_only:
            return
        for name in names:
            graph = _summary_node(name)
            if self._store.contains_named_graph(graph):
                continue
            answer = self._store.query(load_query(name), prefixes=_prefixes())
            assert isinstance(answer, ox.QuerySolutions)
            columns = [v.value for v in answer.variables]
            quads = [ox.Quad(graph, ox.NamedNode(f"{graph.value}#columns"),
                             ox.Literal(" ".join(columns)), graph)]  # fmt: skip
            for i, solution in enumerate(answer):
                row = ox.NamedNode(f"{graph.value}#row/{i}")
                quads.append(
                    ox.Quad(row, ox.NamedNode(f"{graph.value}#index"), ox.Literal(i), graph)
                )
                quads += [
                    ox.Quad(row, ox.NamedNode(f"{graph.value}#{c}"), solution[c], graph)
                    for c in columns
                    if solution[c] is not None
                ]
            self._store.extend(quads)

    def _forget_summary(self) -> None:
        if self.merged:
            for graph in self._summary_graphs():
                self._store.remove_graph(graph)

    def _merge_size(self) -> int:
        table = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(table.rows[0]["n"]) if table.rows else 0

    def __len__(self) -> int:
        summary = sum(
            len(list(self._store.quads_for_pattern(None, None, None, g)))
            for g in self._summary_graphs()
        )
        return len(self._store) - (self._merge_size() if self.merged else 0) - summary

    def __bool__(self) -> bool:
        """Whether ``len(self)`` is not 0, without counting: the first quad found will do
        (``store or other`` costs a count of millions of quads otherwise)."""
        import pyoxigraph as ox

        default = self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        if not self.merged and next(iter(default), None) is not None:
            return True
        return any(not g.value.startswith(SUMMARY_GRAPHS) for g in self._store.named_graphs())

    def triples(self) -> int:
        if self.merged:
            return self._merge_size()
        return super().triples()

    def _check_writable(self) -> None:
        """E063 for a store opened read-only (as the endpoint's workers open it); else the
        write about to be made drops the summary (:meth:`summarise`)."""
        if self.read_only:
            raise XmgraphError(Errors.E063, spec=self.spec, reason="it is open read-only")
        self._forget_summary()

    def update(self, sparql: str) -> None:
        self._check_writable()
        try:
            self._store.update(sparql, prefixes=_prefixes())
        except (SyntaxError, OSError, ValueError) as exc:
            raise XmgraphError(Errors.E024, reason=_one_line(exc)) from exc

    def _exists(self, name: str) -> bool:
        import pyoxigraph as ox

        return bool(self._store.contains_named_graph(ox.NamedNode(name)))

    def _add(self, graphs: Sequence[tuple[str, bytes]]) -> None:
        """Load (graph, N-Triples) pairs, and into the merge, in one transaction."""
        import pyoxigraph as ox

        self._check_writable()
        data = b"".join(as_nquads(nt, name) for name, nt in graphs)
        if self.merged:  # N-Triples lines in N-Quads are default-graph quads: the merge
            data += b"".join(nt for _, nt in graphs)
        if data:
            self._store.load(data, format=ox.RdfFormat.N_QUADS)

    def put_reports(self, graphs: Sequence[ReportGraph]) -> None:
        pairs = [(report_graph_iri(r.sha256), r.ntriples) for r in graphs]
        self.drop_graphs([name for name, _ in pairs if self._exists(name)])
        self._add(pairs)

    def put_graph(self, name: str, ntriples: bytes) -> None:
        self.drop_graphs([name] if self._exists(name) else [])
        self._add([(name, ntriples)])

    def drop_graphs(self, names: Iterable[str]) -> None:
        import pyoxigraph as ox

        self._check_writable()

        for name in names:
            if self.merged:
                self._store.update(unmerge_update(name))
            else:
                node = ox.NamedNode(name)
                if self._store.contains_named_graph(node):
                    self._store.remove_graph(node)

    def set_ontology(self, ntriples: bytes) -> None:
        if not _same_triples(self._store, ONTOLOGY_GRAPH, ntriples):
            self.put_graph(ONTOLOGY_GRAPH, ntriples)

    def load(self, path: str | os.PathLike[str]) -> None:
        import pyoxigraph as ox

        self._check_writable()

        parsed = _parse_file(path)
        names = list(parsed.named_graphs())
        existing = [g.value for g in names if self._exists(g.value)]
        self.drop_graphs(existing)
        # whole graphs in, then the merge: Oxigraph's own dump and load, no Python loop
        out = io.BytesIO()
        parsed.dump(out, ox.RdfFormat.N_QUADS)
        self._store.bulk_load(out.getvalue(), ox.RdfFormat.N_QUADS)
        if self.merged:
            for name in names:
                self._store.load(_graph_ntriples(parsed, name), ox.RdfFormat.N_TRIPLES)

    def write(self, path: str | os.PathLike[str], *, force: bool = False) -> Path:
        return write_dataset(self._store, path, force=force)

    def flush(self) -> None:
        """Make what was written durable (on-disk stores)."""
        if self.path is not None and not self.read_only:
            with contextlib.suppress(OSError):
                self._store.flush()

    def close(self) -> None:
        if getattr(self, "_store", None) is not None:
            self.flush()
        self._store = None  # type: ignore[assignment]


# ---------------------------------------------------------------- SPARQL 1.1 servers


class SparqlStore(Store):
    """A SPARQL 1.1 server: SPARQL Protocol for queries and updates, Graph Store HTTP
    Protocol for whole graphs. See the module docstring for the spec's options."""

    kind = "sparql"

    def __init__(self, spec: str, *, timeout: float = HTTP_TIMEOUT) -> None:
        self.spec = f"sparql:{spec}"
        url, *options = spec.split(",")
        opts: dict[str, str] = {}
        for option in options:
            key, eq, value = option.partition("=")
            if not eq or key not in ("update", "gsp", "merge", "maxrows"):
                raise XmgraphError(
                    Errors.E063,
                    spec=self.spec,
                    reason=f"unknown option {option!r}: use update=URL, gsp=URL, merge=IRI "
                    "or maxrows=N",
                )
            opts[key] = value
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise XmgraphError(Errors.E063, spec=self.spec, reason=f"not an http(s) URL: {url}")
        self.query_url = url
        base, _, last = url.rstrip("/").rpartition("/")
        if last == "sparql":
            update, gsp = url, f"{base}/sparql-graph-crud"
        else:
            update, gsp = f"{base}/update", f"{base}/store"
        self.update_url = opts.get("update", update)
        self.gsp_url = opts.get("gsp", gsp)
        #: the named graph holding the merge (None: the default graph)
        self.merge: str | None = opts.get("merge") or None
        try:
            self.max_rows = int(opts.get("maxrows", DEFAULT_MAX_ROWS))
        except ValueError:
            raise XmgraphError(
                Errors.E063, spec=self.spec, reason="maxrows must be a number"
            ) from None
        self.timeout = timeout

    # -- HTTP
    def _request(
        self,
        method: str,
        url: str,
        *,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        ok_missing: bool = False,
    ) -> tuple[bytes, Mapping[str, str]]:
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), dict(response.headers.items())
        except urllib.error.HTTPError as exc:
            if ok_missing and exc.code == 404:
                return b"", {}
            body = exc.read().decode("utf-8", "replace")
            reason = _one_line(body or exc.reason)
            raise XmgraphError(
                Errors.E064, url=url, status=f"HTTP {exc.code}", reason=reason
            ) from None
        except TimeoutError:
            raise XmgraphError(Errors.E025, seconds=self.timeout) from None
        except (urllib.error.URLError, OSError) as exc:
            why: object = getattr(exc, "reason", None) or exc
            raise XmgraphError(Errors.E065, url=url, reason=_one_line(str(why))) from None

    def _post_query(
        self, sparql: str, accept: str, *, merge: bool = True
    ) -> tuple[bytes, Mapping[str, str]]:
        """POST a query; with ``merge`` and a named merge graph, as its default graph
        (the SPARQL Protocol's ``default-graph-uri``: the server's named graphs are then
        out of reach, which the queries about graphs avoid with ``merge=False``)."""
        if self._base is not None:  # a BASE before the query's own prologue (which wins)
            sparql = f"BASE <{check_iri('base', self._base)}>\n{sparql}"
        params = [("query", sparql)]
        if self._graphs is not None:  # the request's dataset, as the Protocol sends it
            params += [
                ("default-graph-uri", check_iri("default-graph-uri", g)) for g in self._graphs[0]
            ]
            params += [
                ("named-graph-uri", check_iri("named-graph-uri", g)) for g in self._graphs[1]
            ]
        elif merge and self.merge:
            params.append(("default-graph-uri", self.merge))
        return self._request(
            "POST",
            self.query_url,
            data=urllib.parse.urlencode(params).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )

    def _select(
        self, sparql: str, *, merge: bool = True
    ) -> tuple[list[str], list[dict[str, Any]], bool]:
        """POST a SELECT (or ASK): its columns, its rows as rdflib terms, and whether the
        server cut it (flagged with ``X-SPARQL-MaxRows`` or exactly ``maxrows`` rows)."""
        body, headers = self._post_query(sparql, "application/sparql-results+json", merge=merge)
        try:
            doc = json.loads(body)
        except ValueError as exc:
            raise XmgraphError(
                Errors.E064, url=self.query_url, status="not JSON", reason=_one_line(exc)
            ) from None
        if "boolean" in doc:
            from rdflib import Literal

            return ["ask"], [{"ask": Literal(bool(doc["boolean"]))}], False
        columns = list(doc.get("head", {}).get("vars", []))
        rows = [
            {c: _json_term(b[c]) for c in columns if c in b}
            for b in doc.get("results", {}).get("bindings", [])
        ]
        flagged = any(k.lower() == "x-sparql-maxrows" for k in headers)
        cut = flagged or (self.max_rows > 0 and len(rows) == self.max_rows)
        return columns, rows, cut

    def _terms(
        self, sparql: str, bindings: Mapping[str, Any] | None
    ) -> tuple[list[str], list[dict[str, Any]]]:
        sparql = with_prefixes(sparql)
        if bindings:
            sparql = bound_select(sparql, bindings)
        columns, rows, cut = self._select(sparql)
        if cut:
            rows = self._paged(sparql, columns, len(rows))
        return columns, rows

    def _paged(
        self, sparql: str, columns: list[str], page: int, *, merge: bool = True
    ) -> list[dict[str, Any]]:
        """Fetch a truncated result again in pages of ``page`` rows: the query as a
        subquery (its ORDER BY kept inside), sliced with LIMIT/OFFSET outside."""
        if page <= 0:
            raise XmgraphError(Errors.E067, rows=page, reason="the server returned no rows")
        prologue, body = split_prologue(sparql)
        if re.search(r"\b(LIMIT|OFFSET)\s+\d+\s*$", body, re.IGNORECASE):
            raise XmgraphError(Errors.E067, rows=page, reason="the query has its own LIMIT/OFFSET")
        head = " ".join("?" + c for c in columns)
        rows: list[dict[str, Any]] = []
        for number in range(100_000):
            window = f"LIMIT {page} OFFSET {number * page}"
            paged = f"{prologue}SELECT {head} WHERE {{ {{ {body} }} }} {window}"
            _, batch, _ = self._select(paged, merge=merge)
            rows.extend(batch)
            if len(batch) < page:
                return rows
        raise XmgraphError(Errors.E067, rows=page, reason="too many pages")

    # -- reading
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Table:
        if query_form(sparql) in ("CONSTRUCT", "DESCRIBE"):  # triples, as Oxigraph's store
            graph = self.result(sparql, bindings).graph
            names = ["subject", "predicate", "object"]
            assert graph is not None
            return _table(names, [dict(zip(names, map(str, t), strict=True)) for t in graph])
        columns, rows = self._terms(sparql, bindings)
        if columns == ["ask"]:
            return _table(columns, [{"ask": str(rows[0]["ask"]).lower()}])
        return _table(columns, [{c: str(r[c]) if c in r else "" for c in columns} for r in rows])

    def result(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        from rdflib import Graph, Variable
        from rdflib.query import Result

        form = query_form(sparql)
        if form in ("SELECT", "ASK"):
            columns, rows = self._terms(sparql, bindings)
            if form == "ASK":
                out = Result("ASK")
                out.askAnswer = bool(rows and rows[0].get("ask"))
                return out
            out = Result("SELECT")
            out.vars = [Variable(c) for c in columns]
            out.bindings = [{Variable(k): v for k, v in row.items()} for row in rows]
            return out
        text = with_prefixes(sparql) + (values_clause(bindings) if bindings else "")
        body, headers = self._post_query(text, "application/n-triples")
        out = Result("CONSTRUCT")
        graph = Graph()
        graph.parse(data=body.decode("utf-8"), format="nt")
        self._check_whole(form, graph, headers)
        out.graph = graph
        return out

    def _check_whole(self, form: str, graph: Graph, headers: Mapping[str, str]) -> None:
        """E180 when the server cut a CONSTRUCT or DESCRIBE: flagged with
        ``X-SPARQL-MaxRows``, or ``maxrows`` triples or more (Virtuoso cuts the solutions at
        ``ResultSetMaxRows`` and sends what they make, 10,001 triples for 10,000): a
        partial graph is never returned as if it were the answer (``maxrows=0`` for a
        server that cuts nothing)."""
        flagged = any(k.lower() == "x-sparql-maxrows" for k in headers)
        if flagged or (self.max_rows > 0 and len(graph) >= self.max_rows):
            raise XmgraphError(Errors.E180, form=form, triples=len(graph), maxrows=self.max_rows)

    def _keyset(self, pattern: str, columns: str, page: int = 5_000) -> list[dict[str, str]]:
        """All rows of ``pattern`` ordered by ?g, paged by ?g (keyset, not OFFSET), so no
        server limit cuts them."""
        rows: list[dict[str, str]] = []
        last = ""
        if self.max_rows > 0:
            page = min(page, self.max_rows - 1)
        while True:
            after = f'FILTER (STR(?g) > "{last}")' if last else ""
            text = f"SELECT {columns} WHERE {{ {pattern} {after} }} ORDER BY ?g LIMIT {page}"
            _, terms, _ = self._select(text, merge=False)
            batch = [{k: str(v) for k, v in row.items()} for row in terms]
            rows.extend(batch)
            if len(batch) < page:
                return rows
            last = batch[-1]["g"]

    def reports(self) -> dict[str, StoredReport]:
        pattern = (
            f"GRAPH ?g {{ ?r a <{_XMG}Report> ; <{_XMG}sha256> ?sha ; <{_XMG}fileName> ?name }}"
        )
        found: dict[str, StoredReport] = {}
        for row in self._keyset(pattern, "?g ?sha ?name"):
            if row["g"] == report_graph_iri(row["sha"]):
                found[row["sha"]] = StoredReport(row["g"], row["sha"], row["name"])
        return found

    def graph_names(self) -> list[str]:
        """The named graphs of the server (but a named merge graph)."""
        rows = self._keyset("GRAPH ?g { ?s ?p ?o }", "DISTINCT ?g")
        return [row["g"] for row in rows if row["g"] != self.merge]

    def _get(self, name: str | None) -> bytes:
        """GSP GET of a graph (None: the default graph) as N-Triples; one that may have
        been cut (``maxrows`` triples or more: Virtuoso cuts a GET at ``ResultSetMaxRows``
        too, silently) is fetched again with a paged SELECT."""
        query = "default" if name is None else urllib.parse.urlencode({"graph": name})
        body, headers = self._request(
            "GET",
            f"{self.gsp_url}?{query}",
            headers={"Accept": "application/n-triples"},
            ok_missing=True,
        )
        flagged = any(k.lower() == "x-sparql-maxrows" for k in headers)
        if flagged or (self.max_rows > 0 and body.count(b"\n") >= self.max_rows):
            return self._paged_graph(name)
        return body

    def _paged_graph(self, name: str | None) -> bytes:
        """Every triple of a graph (None: the merge) with a SELECT, paged as any cut
        SELECT is, as N-Triples."""
        from rdflib import Graph

        where = "?s ?p ?o" if name is None else f"GRAPH <{name}> {{ ?s ?p ?o }}"
        sparql = f"SELECT ?s ?p ?o WHERE {{ {where} }} ORDER BY ?s ?p ?o"
        columns, rows, cut = self._select(sparql, merge=name is None)
        if cut:
            rows = self._paged(sparql, columns, len(rows), merge=name is None)
        graph = Graph()
        for row in rows:
            graph.add((row["s"], row["p"], row["o"]))
        return graph.serialize(format="nt", encoding="utf-8")

    def graph(self) -> Graph:
        """The merge, fetched with one GSP GET, in rdflib."""
        from rdflib import Graph

        from xmgraph.build import bind_prefixes

        graph = Graph()
        graph.parse(data=self._get(self.merge).decode("utf-8"), format="nt")
        return bind_prefixes(graph)

    def __len__(self) -> int:
        """The quads of xmgraph's graphs (a server's system graphs left out)."""
        skip = f"&& ?g != <{self.merge}>" if self.merge else ""
        ours = f'FILTER (STRSTARTS(STR(?g), "{_ID}") {skip})'
        _, rows, _ = self._select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {ours} }}", merge=False
        )
        return int(str(rows[0]["n"])) if rows else 0

    def triples(self) -> int:
        _, rows, _ = self._select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(str(rows[0]["n"])) if rows else 0

    # -- writing
    def update(self, sparql: str) -> None:
        self._request(
            "POST",
            self.update_url,
            data=urllib.parse.urlencode([("update", with_prefixes(sparql))]).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def _send(self, method: str, name: str | None, ntriples: bytes) -> None:
        """GSP: PUT replaces a graph, POST adds to it (None: the default graph)."""
        query = "default" if name is None else urllib.parse.urlencode({"graph": name})
        # N-Triples is Turtle: text/turtle is the one type every GSP server takes
        self._request(
            method,
            f"{self.gsp_url}?{query}",
            data=ntriples,
            headers={"Content-Type": "text/turtle; charset=utf-8"},
        )

    def put_reports(self, graphs: Sequence[ReportGraph]) -> None:
        """PUT each report graph, then POST the batch to the merge. A report already on the
        server is the same bytes built again (same SHA-256), so PUT over it is harmless."""
        for report in graphs:
            self._send("PUT", report_graph_iri(report.sha256), report.ntriples)
        if graphs:
            self._send("POST", self.merge, b"".join(r.ntriples for r in graphs))

    def put_graph(self, name: str, ntriples: bytes) -> None:
        self.drop_graphs([name])
        self._send("PUT", name, ntriples)
        self._send("POST", self.merge, ntriples)

    def drop_graphs(self, names: Iterable[str]) -> None:
        for name in names:
            self.update(unmerge_update(name, self.merge))

    def set_ontology(self, ntriples: bytes) -> None:
        import pyoxigraph as ox

        current = ox.Store()
        current.load(
            self._get(ONTOLOGY_GRAPH), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(ONTOLOGY_GRAPH)
        )
        if not _same_triples(current, ONTOLOGY_GRAPH, ntriples):
            self.put_graph(ONTOLOGY_GRAPH, ntriples)

    def load(self, path: str | os.PathLike[str]) -> None:
        """Each graph of the file PUT with GSP (those already on the server unmerged
        first), then the merge POSTed in chunks of about :data:`POST_CHUNK` bytes."""
        parsed = _parse_file(path)
        names = sorted(parsed.named_graphs(), key=str)
        there = set(self.graph_names())
        self.drop_graphs([n.value for n in names if n.value in there])
        chunk: list[bytes] = []
        size = 0
        for name in names:
            data = _graph_ntriples(parsed, name)
            self._send("PUT", name.value, data)
            chunk.append(data)
            size += len(data)
            if size >= POST_CHUNK:
                self._send("POST", self.merge, b"".join(chunk))
                chunk, size = [], 0
        if chunk:
            self._send("POST", self.merge, b"".join(chunk))

    def write(self, path: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Every graph fetched with GSP into a scratch Oxigraph store, then written."""
        import pyoxigraph as ox

        copy = ox.Store()
        for name in self.graph_names():
            if not name.startswith(_ID):  # a server's own graph (Virtuoso's virtrdf#)
                continue
            copy.load(self._get(name), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
        return write_dataset(copy, path, force=force)
