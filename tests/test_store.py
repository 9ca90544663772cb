"""Stores: memory, Oxigraph on disk, and a real SPARQL server (Oxigraph's) on loopback."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Literal, URIRef
from typer.testing import CliRunner

from xmgraph.cli import app
from xmgraph.dataset import build_dataset
from xmgraph.errors import XmgraphError
from xmgraph.export import load_graph
from xmgraph.facts import facts_rows
from xmgraph.guard import check_text
from xmgraph.serve import running
from xmgraph.store import (
    ONTOLOGY_GRAPH,
    MemoryStore,
    OxigraphStore,
    SparqlStore,
    bound_select,
    open_store,
    query_form,
    report_graph_iri,
    values_clause,
)
from xmgraph.store import (
    facts_rows as store_facts_rows,
)
from xmgraph.view import view_model

DATA = Path(__file__).parent / "data" / "dataset"
XMG = "https://w3id.org/xmgraph/ont#"
#: Seconds any server of these tests gets to start or stop.
WAIT = 20.0


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """The four small reports built into a TriG dataset, once."""
    out = tmp_path_factory.mktemp("ds") / "d.trig"
    build_dataset([DATA], output=out)
    return out


@pytest.fixture(scope="module")
def memory_facts(dataset):
    return facts_rows(load_graph([dataset]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------- specs


def test_store_specs(tmp_path):
    assert isinstance(open_store("memory"), MemoryStore)
    assert isinstance(open_store("oxigraph:"), OxigraphStore)
    assert isinstance(open_store(f"oxigraph:{tmp_path / 'db'}", create=True), OxigraphStore)
    server = open_store("sparql:http://127.0.0.1:1/query")
    assert isinstance(server, SparqlStore)
    assert (server.update_url, server.gsp_url) == (
        "http://127.0.0.1:1/update",
        "http://127.0.0.1:1/store",
    )
    virtuoso = SparqlStore("http://h:8890/sparql,maxrows=500")
    assert (virtuoso.update_url, virtuoso.gsp_url, virtuoso.max_rows) == (
        "http://h:8890/sparql",
        "http://h:8890/sparql-graph-crud",
        500,
    )
    fuseki = SparqlStore(
        "http://h:3030/ds/query,update=http://h:3030/ds/update,gsp=http://h:3030/ds/data"
    )
    assert fuseki.gsp_url == "http://h:3030/ds/data"
    for bad, code in [
        ("mongo:x", "E062"),
        ("sparql:", "E062"),
        (f"oxigraph:{tmp_path / 'none'}", "E063"),
        ("sparql:ftp://h/q", "E063"),
        ("sparql:http://h/q,colour=red", "E063"),
    ]:
        with pytest.raises(XmgraphError, match=rf"^{code}"):
            open_store(bad)


def test_no_server_is_one_line():
    store = open_store(f"sparql:http://127.0.0.1:{free_port()}/query")
    with pytest.raises(XmgraphError, match=r"^E065"):
        store.query("ASK { ?s ?p ?o }")


def test_helpers():
    assert query_form("PREFIX a: <urn:a>\nASK { ?s ?p ?o }") == "ASK"
    assert query_form("describe <urn:x>") == "DESCRIBE"
    assert values_clause({"x": URIRef("urn:a")}) == "\nVALUES (?x) { (<urn:a>) }"


# ---------------------------------------------------------------- Oxigraph


def test_the_merge_is_a_set_and_follows_its_graphs():
    store = OxigraphStore()
    shared = b'<urn:s> <urn:p> "shared" .\n'
    store.put_graph("urn:g1", shared + b'<urn:s> <urn:p> "one" .\n')
    store.put_graph("urn:g2", shared)
    count = "SELECT (COUNT(*) AS ?n) WHERE { <urn:s> <urn:p> ?o }"
    assert store.query(count).rows == [{"n": "2"}]  # "shared" once, though in two graphs
    assert (len(store), store.triples()) == (3, 2)
    store.drop_graphs(["urn:g1"])
    assert store.query("SELECT ?o WHERE { ?s ?p ?o }").rows == [{"o": "shared"}]
    store.drop_graphs(["urn:g2", "urn:never"])
    assert store.triples() == 0


def test_oxigraph_on_disk_round_trip(dataset, memory_facts, tmp_path):
    path = tmp_path / "db"
    store = open_store(f"oxigraph:{path}", create=True)
    store.load(dataset)
    assert len(store.reports()) == 4
    assert store_facts_rows(store) == memory_facts
    store.close()
    again = open_store(f"oxigraph:{path}", read_only=True)  # kept between runs
    assert store_facts_rows(again) == memory_facts
    out = tmp_path / "again.trig"
    again.write(out)
    assert out.read_bytes() == dataset.read_bytes()  # the same dataset, byte for byte
    bound = again.run("facts", {"period": "2024-Q3"}).rows
    assert {r["period"] for r in bound} == {"2024-Q3"}
    assert len(bound) == 2
    graph = again.graph()
    assert len(graph) == again.triples()
    assert again.result("ASK { ?o a qb:Observation }").askAnswer is True
    constructed = again.result("CONSTRUCT { ?o a qb:Observation } WHERE { ?o a qb:Observation }")
    assert len(constructed.graph) == 7
    again.close()


def test_build_into_an_oxigraph_store(tmp_path, memory_facts):
    spec = f"oxigraph:{tmp_path / 'db'}"
    first = build_dataset([DATA / "huachen_2024.txt", DATA / "lanchi_2024q3.txt"], store=spec)
    assert (first.added, first.reports) == (2, 2)
    second = build_dataset([DATA], store=spec, output=tmp_path / "copy.nq")
    assert (second.added, second.skipped, second.reports) == (2, 2, 4)
    store = open_store(spec, read_only=True)
    assert store_facts_rows(store) == memory_facts
    assert store.run("conflicts").rows[0]["file"] == "huachen_2024.txt"
    store.close()
    assert len(facts_rows(load_graph([tmp_path / "copy.nq"]))) == 7


def test_cli_reads_a_store(tmp_path, memory_facts):
    spec = f"oxigraph:{tmp_path / 'db'}"
    runner = CliRunner()
    done = runner.invoke(app, ["build", str(DATA), "--store", spec])
    assert done.exit_code == 0, done.output
    done = runner.invoke(app, ["facts", "--store", spec])
    assert done.exit_code == 0, done.output
    assert len(done.output.splitlines()) == len(memory_facts) + 1
    done = runner.invoke(app, ["query", "conflicts", "--store", spec, "--format", "json"])
    assert done.exit_code == 0, done.output
    assert len(json.loads(done.output)["results"]["bindings"]) == 3
    done = runner.invoke(app, ["facts", str(DATA / "huachen_2024.txt"), "--store", spec])
    assert done.exit_code == 2
    assert "E068" in done.output
    page = tmp_path / "view.html"
    done = runner.invoke(app, ["view", "--store", spec, "-o", str(page)])
    assert done.exit_code == 0, done.output
    assert "id/org/hua-chen-ke-ji-gu-fen-you-xian-gong-si" in page.read_text(encoding="utf-8")


def test_the_view_of_a_store_is_the_view_of_its_dataset(tmp_path, dataset):
    """The view queries run on the store's engine give the page the file gives."""
    spec = f"oxigraph:{tmp_path / 'db'}"
    build_dataset([DATA], store=spec)
    store = open_store(spec, read_only=True)
    graph = load_graph([dataset])
    assert view_model(store) == view_model(graph)
    picked = view_model(store, query="SELECT ?c WHERE { ?c a xmg:Company }")
    assert picked == view_model(graph, query="SELECT ?c WHERE { ?c a xmg:Company }")


def _count_over_http(url: str, query: str) -> str:
    form = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        url + "sparql", data=form, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=WAIT) as answer:
        doc = json.loads(answer.read())
    return str(doc["results"]["bindings"][0]["n"]["value"])


COUNT_OBSERVATIONS = "SELECT (COUNT(*) AS ?n) WHERE { ?o a qb:Observation }"


def test_serve_answers_from_an_oxigraph_store(tmp_path, dataset):
    """``xmgraph serve --store oxigraph:PATH``: the workers open the store read-only and
    Oxigraph answers; the endpoint stays read-only."""
    spec = f"oxigraph:{tmp_path / 'db'}"
    build_dataset([DATA], store=spec)
    observation = URIRef("http://purl.org/linked-data/cube#Observation")
    expected = len(set(load_graph([dataset]).subjects(RDF.type, observation)))
    store = open_store(spec, read_only=True)
    with running(store, workers=1, timeout=WAIT) as url:
        assert _count_over_http(url, COUNT_OBSERVATIONS) == str(expected) != "0"
        form = urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "sparql", data=form.encode(), timeout=WAIT)
        assert refused.value.code == 403
        with urllib.request.urlopen(url + "queries/conflicts", timeout=WAIT) as answer:
            doc = json.loads(answer.read())
        assert len(doc["results"]["bindings"]) == 3
        # no worker holds the store's write lock: they opened it read-only
        open_store(spec).close()


# ---------------------------------------------------------------- a real server


def oxigraph_command() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@pytest.fixture
def oxigraph_server(tmp_path, stop_process):
    """``oxigraph serve`` on 127.0.0.1, on disk in a temporary folder; stopped after."""
    command = oxigraph_command()
    if command is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    proc = subprocess.Popen(
        [command, "serve", "--location", str(tmp_path / "server"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + WAIT
    try:
        while True:
            try:
                ask = urllib.parse.urlencode({"query": "ASK {}"})
                urllib.request.urlopen(f"{url}?{ask}", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph did not start: {proc.stderr.read()!r}") from None
                time.sleep(0.05)
        yield url
    finally:
        stop_process(proc, WAIT)


def test_a_real_sparql_server(oxigraph_server, dataset, memory_facts, tmp_path):
    spec = f"sparql:{oxigraph_server}"
    # load through the Graph Store Protocol, incrementally
    first = build_dataset([DATA / "huachen_2024.txt", DATA / "huachen_2025q1.txt"], store=spec)
    assert (first.added, first.reports) == (2, 2)
    second = build_dataset([DATA], store=spec)
    assert (second.added, second.skipped, second.reports) == (2, 2, 4)
    store = open_store(spec)
    # query through the SPARQL Protocol: the same answers as rdflib in memory
    assert store_facts_rows(store) == memory_facts
    conflicts = store.run("conflicts").rows
    assert [r["file"] for r in conflicts] == [
        "huachen_2024.txt",
        "huachen_2025q1.txt",
        "huachen_2025.txt",
    ]
    assert store.run("facts", {"period": "2025-Q1"}).rows[0]["value"] == "35010000000"
    result = store.result("SELECT ?r WHERE { ?r a xmg:Report } ORDER BY ?r")
    assert len(list(result)) == 4
    assert store.result("ASK { ?r a xmg:Report }").askAnswer is True
    assert len(store.result("DESCRIBE <urn:nothing>").graph) == 0
    # update: a changed report replaces its graph, and the merge follows
    changed = tmp_path / "huachen_2025.txt"
    changed.write_text(
        (DATA / "huachen_2025.txt").read_text(encoding="utf-8").replace("1,290.0", "1,286.4"),
        encoding="utf-8",
    )
    third = build_dataset([changed], store=spec)
    assert (third.added, third.replaced, third.reports) == (1, 1, 4)
    assert store.run("conflicts").rows == []
    old = report_graph_iri(
        __import__("hashlib").sha256((DATA / "huachen_2025.txt").read_bytes()).hexdigest()
    )
    assert old not in store.graph_names()
    assert ONTOLOGY_GRAPH in store.graph_names()
    store.update("INSERT DATA { <urn:a> <urn:b> 'c' }")  # the default graph: the merge
    assert store.query("SELECT ?o WHERE { <urn:a> <urn:b> ?o }").rows == [{"o": "c"}]
    # the whole dataset back, as build writes it
    out = tmp_path / "from-server.trig"
    store.write(out)
    local = tmp_path / "local.trig"
    build_dataset(
        [DATA / n for n in ("huachen_2024.txt", "huachen_2025q1.txt", "lanchi_2024q3.txt")]
        + [changed],
        output=local,
    )
    assert out.read_bytes() == local.read_bytes()
    # and the commands read it
    runner = CliRunner()
    done = runner.invoke(
        app,
        [
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { ?o a qb:Observation }",
            "--store",
            spec,
            "-f",
            "csv",
        ],
    )
    assert done.exit_code == 0, done.output
    assert done.output.split() == ["n", "6"]  # the restated figure now agrees: one less
    # and serve it: the workers query the server (their sandbox lets them reach it only)
    with running(store, workers=1, timeout=WAIT) as url:
        assert _count_over_http(url, COUNT_OBSERVATIONS) == "6"


# ---------------------------------------------------------------- servers that cut results


class _Cutting(BaseHTTPRequestHandler):
    """A SPARQL endpoint that answers from a pyoxigraph store and, like Virtuoso with its
    ResultSetMaxRows, returns at most ``cut`` rows (flagged, or silently)."""

    store: ox.Store
    cut = 5
    flag = True
    seen: list[str]

    def do_POST(self):  # http.server's name
        length = int(self.headers["Content-Length"])
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
        self.seen.append(form["query"][0])
        answer = self.store.query(form["query"][0])
        doc = json.loads(answer.serialize(format=ox.QueryResultsFormat.JSON))
        rows = doc["results"]["bindings"]
        truncated = len(rows) > self.cut
        doc["results"]["bindings"] = rows[: self.cut]
        body = json.dumps(doc).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        if truncated and self.flag:
            self.send_header("X-SPARQL-MaxRows", str(self.cut))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("flag", [True, False])
def test_a_server_that_cuts_results_is_paged(flag):
    data = ox.Store()
    for i in range(12):
        data.add(ox.Quad(ox.NamedNode(f"urn:s{i:02d}"), ox.NamedNode("urn:p"), ox.Literal(str(i))))
    handler = type("Handler", (_Cutting,), {"store": data, "flag": flag, "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        store = SparqlStore(f"http://127.0.0.1:{port}/query,maxrows={5 if not flag else 1000}")
        rows = store.query("SELECT ?s ?o WHERE { ?s <urn:p> ?o } ORDER BY ?s").rows
        assert [r["o"] for r in rows] == [str(i) for i in range(12)]
        assert any("OFFSET 10" in q for q in handler.seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=WAIT)


# ---------------------------------------------------------------- binding values into query text


@settings(max_examples=200, deadline=None)
@given(text=st.text())
@example(text='x\n\\"')  # rdflib's n3() ended this one early: """x\n\\""""
@example(text='\n""\\')
def test_a_bound_literal_comes_back_as_it_was(text):
    """A value sent to a server inside the query text is escaped: whatever the string
    (quotes, backslashes, braces, line breaks, ``} ; DROP ALL``), the query still parses
    and binds exactly that string."""
    data = ox.Store()
    query = "SELECT ?x WHERE {}" + values_clause({"x": text})
    rows = list(data.query(query))
    assert [row["x"].value for row in rows] == [text]


def test_two_bound_literals_cannot_smuggle_a_service_to_a_server():
    """The probe's parameter pair on ``sparql:URL`` (issue 14, seventh check): a first
    value with a line break that ends in a backslash and a quote, and a second holding a
    SERVICE. rdflib's ``n3()`` wrote the first as a long string that ended one quote early,
    and the second's text became the query's own: a SERVICE sent to the server."""
    bindings = {"a": 'x\n\\"', "b": ") } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } #"}
    text = bound_select("SELECT ?a ?b WHERE { ?s ?p ?o } ORDER BY ?a", bindings)
    check_text(text)  # what any engine reads: no SERVICE outside a string
    data = ox.Store()
    data.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
    rows = [(row["a"].value, row["b"].value) for row in data.query(text)]
    assert rows == [(bindings["a"], bindings["b"])]


@given(
    iri=st.text(min_size=1).filter(
        lambda s: any(c in s for c in '<>"{}|^`\\ \n') or any(ord(c) < 0x21 for c in s)
    )
)
def test_an_iri_that_could_end_early_is_refused(iri):
    with pytest.raises(XmgraphError, match=r"^E069"):
        values_clause({"x": URIRef(iri)})


@pytest.mark.parametrize("name", ["x y", "x}", "1x", "", "x) } #"])
def test_a_variable_name_is_checked(name):
    with pytest.raises(XmgraphError, match=r"^E069"):
        values_clause({name: "v"})


def test_a_construct_is_a_set_of_triples_on_every_engine(dataset, tmp_path):
    """Oxigraph streams a CONSTRUCT's triples with repeats; the store's table holds each
    triple once, as rdflib's graph does, and tells "2024" from "2024"^^xsd:gYear."""
    from xmgraph.query import load_query, run_query

    graph = load_graph([dataset])
    expected = len(run_query(graph, "entity_graph").rows)
    assert expected == len(graph.query(load_query("entity_graph")).graph)
    store = open_store(f"oxigraph:{tmp_path / 'db'}", create=True)
    store.load(dataset)
    assert len(store.run("entity_graph").rows) == expected
    store.update(
        "INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> '2024', "
        "'2024'^^<http://www.w3.org/2001/XMLSchema#gYear> } }"
    )
    twice = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <urn:g> { ?s ?p ?o } VALUES ?n { 1 2 } }"
    assert len(store.query(twice).rows) == 2


# ---------------------------------------------------------------- parameters and read-only


def test_oxigraph_parameters_are_coded_errors(tmp_path):
    """A parameter that is no IRI, or that the query does not select, is a coded error
    (400 on the endpoint), not Oxigraph's ValueError or RuntimeError."""
    spec = f"oxigraph:{tmp_path / 'db'}"
    store = open_store(spec, create=True)
    store.put_graph("urn:g", b'<urn:a> <urn:p> "x" .\n')
    with pytest.raises(XmgraphError, match=r"^E107: cannot bind 'o': not an IRI"):
        store.query("SELECT ?o WHERE { ?s ?p ?o }", {"o": URIRef("urn:a>b")})
    with pytest.raises(XmgraphError, match=r"^E107: cannot bind 's'"):
        store.query("SELECT ?o WHERE { ?s ?p ?o }", {"s": URIRef("urn:a")})
    with pytest.raises(XmgraphError, match=r"^E107"):
        store.query("SELECT ?o WHERE { ?s ?p ?o }", {"o) } #": "x"})
    store.close()
    runner = CliRunner()
    text = "SELECT ?o WHERE { ?s ?p ?o }"
    for param, code in (("o=<urn:a>b>", "E023"), ("s=urn:a", "E107"), ("x=1", "E027")):
        done = runner.invoke(app, ["query", text, "--store", spec, "--param", param])
        assert done.exit_code == 2, done.output
        assert done.stderr.startswith(f"xmgraph: error: {code}"), done.stderr


INJECTED = 'period="2024"^^<x:a>)("2023")}#>'


def test_a_datatype_cannot_rewrite_the_values_clause():
    """The probe's parameter: a datatype IRI that would end the VALUES clause early."""
    done = CliRunner().invoke(
        app, ["query", "facts", "--store", "sparql:http://127.0.0.1:1/query", "--param", INJECTED]
    )
    assert done.exit_code == 2
    assert done.stderr.startswith("xmgraph: error: E023")  # before any request is sent
    literal = Literal("2024", datatype=URIRef('x:a>)("2023")}#'))
    with pytest.raises(XmgraphError, match=r"^E069"):
        values_clause({"period": literal})


@given(iri=st.text(min_size=1).filter(lambda s: any(c in s for c in '<>"{}|^`\\ \n')))
def test_a_datatype_that_could_end_early_is_refused(iri):
    with pytest.raises(XmgraphError, match=r"^E069"):
        values_clause({"x": Literal("1", datatype=URIRef("x:" + iri))})


def test_a_store_opened_read_only_cannot_be_written(tmp_path):
    """How the endpoint's workers open a store: nothing can be written through it."""
    spec = f"oxigraph:{tmp_path / 'db'}"
    store = open_store(spec, create=True)
    store.put_graph("urn:g", b"<urn:a> <urn:p> <urn:o> .\n")
    store.close()
    reader = open_store(spec, read_only=True)
    for write in (
        lambda: reader.update("INSERT DATA { <urn:x> <urn:y> <urn:z> }"),
        lambda: reader.put_graph("urn:h", b"<urn:a> <urn:p> <urn:q> .\n"),
        lambda: reader.drop_graphs(["urn:g"]),
    ):
        with pytest.raises(XmgraphError, match=r"^E063: .* it is open read-only"):
            write()
    assert (len(reader), reader.triples()) == (1, 1)
    reader.close()


# ---------------------------------------------------------------- rdflib, the reference

#: Named queries whose ORDER BY leaves ties: the same rows, in an order of the engine's.
_TIES = {"entities", "entity_facts", "metric_over_time"}


def _multiset(rows):
    # Oxigraph writes language tags in lower case (zh-hans): BCP 47 tags ignore case
    return sorted(
        tuple(sorted((k, v.lower() if k == "lang" else v) for k, v in r.items())) for r in rows
    )


def test_oxigraph_in_memory_answers_every_named_query_as_rdflib(dataset, seed_graph):
    """What xmgraph facts and xmgraph query FILE run on Oxigraph gives rdflib's rows."""
    from xmgraph.query import execute, load_query, prepared, query_kind, query_names, run_query
    from xmgraph.store import in_oxigraph, load_files

    graph = load_graph([dataset])
    engines = [(graph, in_oxigraph(graph)), (graph, load_files([dataset]))]
    engines.append((seed_graph, in_oxigraph(seed_graph)))
    for reference, fast in engines:
        for name in query_names():
            if query_kind(prepared(name)) != "SELECT":
                expected = set(execute(reference, prepared(name)).graph)
                assert set(fast.result(load_query(name)).graph) == expected, name
                continue
            want, got = run_query(reference, name), fast.run(name)
            assert got.columns == want.columns, name
            assert _multiset(got.rows) == _multiset(want.rows), name
            if name not in _TIES and "lang" not in want.columns:
                assert got.rows == want.rows, name
    assert facts_rows(graph) == facts_rows(graph, engine="rdflib")
