"""``xmgraph serve`` against the SPARQL 1.1 Protocol and the security probe, on each store.

The Protocol cases are those of the W3C test suite (w3c/rdf-tests, sparql/sparql11/protocol:
34 cases, written here as our own table: the requests, the three one-triple graphs and the
expected answers). Every case has one stated outcome per store, and the test checks all 34:

- on an Oxigraph store, 27 pass as the suite expects and the 7 update cases that expect 2xx
  get 403 (E028: the endpoint is read-only, by design);
- on a memory graph (one graph, no named graphs), the 12 query cases that name graphs
  (``default-graph-uri``, ``named-graph-uri``) get 400 (E106: there are no such graphs to
  choose), the 7 updates 403, and the 15 others pass.

A client error is a 4xx with its reason: 400 for a bad query or two queries, 403 for an
update, 405 for another method, 415 for another media type or charset (:data:`BAD`).
Relative IRIs resolve against the endpoint's URL on both stores.

The probe's SSRF payload (a SERVICE hidden from rdflib by ``\\u0022`` escapes) and its
variants are refused on all three stores (memory, ``oxigraph:``, ``sparql:URL``), and the
address they name is never called.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.parse
from collections import Counter
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Graph

from xmgraph.guard import check_text
from xmgraph.serve import running
from xmgraph.store import open_store

VARIANTS = json.loads((Path(__file__).parent / "data" / "ssrf_variants.json").read_text("utf-8"))
#: Seconds a query may run, and a server may take to start: generous (a loaded machine).
WAIT = 60.0
KASEI = "http://kasei.us/2009/09/sparql/data/"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
DOCUMENT = "<http://xmlns.com/foaf/0.1/Document>"


def graph_iri(number: int) -> str:
    return f"{KASEI}data{number}.rdf"


def triple(number: int) -> bytes:
    """The one triple of the suite's data<number>.nt: the graph's IRI is a foaf:Document."""
    return f"<{graph_iri(number)}> {TYPE} {DOCUMENT} .\n".encode()


class Listener:
    """A loopback HTTP server that records every request (what SSRF would reach), and
    answers as a SPARQL server would (an empty SELECT, a true ASK)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                owner.requests.append((self.command, self.path, body))
                text = urllib.parse.unquote_plus(body.decode("utf-8", "replace"))
                empty = {"head": {"vars": []}, "results": {"bindings": []}}
                doc = {"boolean": True} if "ASK" in text else empty
                data = json.dumps(doc).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer  # http.server's names

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def admin():
    """The 'internal admin' address the payload aims at."""
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def upstream():
    """A SPARQL server for the ``sparql:URL`` store (it records what it is sent)."""
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def servers(tmp_path_factory, upstream):
    """The endpoint over each store: its base URL by store kind."""
    spec = f"oxigraph:{tmp_path_factory.mktemp('protocol') / 'db'}"
    store = open_store(spec, create=True)
    for number in (1, 2, 3):
        store.put_graph(graph_iri(number), triple(number))
    store.close()
    graph = Graph().parse(data=b"".join(triple(n) for n in (1, 2, 3)).decode(), format="nt")
    remote = open_store(f"sparql:http://127.0.0.1:{upstream.port}/query")
    options = {"workers": 1, "timeout": WAIT}
    with (
        running(open_store(spec, read_only=True), **options) as oxigraph,
        running(graph, **options) as memory,
        running(remote, **options) as sparql,
    ):
        yield {"oxigraph": oxigraph, "memory": memory, "sparql": sparql}


def http(url, *, method="GET", body=None, content_type=None):
    """(status, content type, body) of one request, with no header but those given
    (urllib would add a Content-Type to a body)."""
    parts = urllib.parse.urlsplit(url)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
    headers = {"Content-Type": content_type} if content_type else {}
    if body is not None:
        headers["Content-Length"] = str(len(body))
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""),
                           body=body, headers=headers)  # fmt: skip
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def q(**params: str | list[str]) -> str:
    return "?" + urllib.parse.urlencode(params, doseq=True)


D0 = graph_iri(0)
ASK_BOTH = f"ASK {{ <{graph_iri(1)}> a ?type . <{graph_iri(2)}> a ?type . }}"
ASK_NAMED = (
    f"ASK {{ GRAPH ?g1 {{ <{graph_iri(1)}> a ?type }} GRAPH ?g2 {{ <{graph_iri(2)}> a ?type }} }}"
)
ASK_FULL = f"ASK {{ <{graph_iri(3)}> a ?type GRAPH ?g1 {{ <{graph_iri(1)}> a ?type }} }}"
ASK_FROM = f"ASK FROM <{graph_iri(3)}> {{ GRAPH ?g1 {{ <{graph_iri(1)}> a ?type }} }}"
SPARQL_QUERY = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"
UPDATE = "application/sparql-update"
DEFAULTS_12 = [graph_iri(1), graph_iri(2)]

#: (name, method, query string, body, content type, expected): expected is True/False (an
#: ASK's answer), "tabular", "RDF", or a status class ("4xx", 403); "dataset": it names graphs.
CASES = [
    ("query_post_form", "POST", q(**{"default-graph-uri": D0}), b"query=ASK%20%7B%7D", FORM, True),
    ("query_dataset_default_graphs_get", "GET",
     q(query=ASK_BOTH, **{"default-graph-uri": DEFAULTS_12}), None, None, True),
    ("query_dataset_default_graphs_post", "POST", q(**{"default-graph-uri": DEFAULTS_12}),
     ASK_BOTH.encode(), SPARQL_QUERY, True),
    ("query_dataset_named_graphs_post", "POST", q(**{"named-graph-uri": DEFAULTS_12}),
     ASK_NAMED.encode(), SPARQL_QUERY, True),
    ("query_dataset_named_graphs_get", "GET",
     q(query=ASK_NAMED, **{"named-graph-uri": DEFAULTS_12}), None, None, True),
    ("query_dataset_full", "POST",
     q(**{"default-graph-uri": graph_iri(3), "named-graph-uri": DEFAULTS_12}),
     ASK_FULL.encode(), SPARQL_QUERY, True),
    ("query_multiple_dataset", "POST", q(**{"named-graph-uri": DEFAULTS_12}),
     ASK_FROM.encode(), SPARQL_QUERY, True),
    ("query_get", "GET", q(query="ASK {}", **{"default-graph-uri": D0}), None, None, True),
    ("query_content_type_select", "POST", q(**{"default-graph-uri": D0}),
     b"SELECT (1 AS ?value) {}", SPARQL_QUERY, "tabular"),
    ("query_content_type_ask", "POST", q(**{"default-graph-uri": D0}), b"ASK {}",
     SPARQL_QUERY, True),
    ("query_content_type_describe", "POST", q(**{"default-graph-uri": D0}),
     b"DESCRIBE <http://example.org/>", SPARQL_QUERY, "RDF"),
    ("query_content_type_construct", "POST", q(**{"default-graph-uri": D0}),
     b"CONSTRUCT { <s> <p> 1 } WHERE {}", SPARQL_QUERY, "RDF"),
    ("update_dataset_default_graph", "POST", q(**{"using-graph-uri": graph_iri(1)}),
     b"INSERT { GRAPH <urn:x> { ?s ?p ?o } } WHERE { ?s ?p ?o }", UPDATE, 403),
    ("update_dataset_default_graphs", "POST", q(**{"using-graph-uri": DEFAULTS_12}),
     b"INSERT { GRAPH <urn:x> { ?s ?p ?o } } WHERE { ?s ?p ?o }", UPDATE, 403),
    ("update_dataset_named_graphs", "POST", q(**{"using-named-graph-uri": DEFAULTS_12}),
     b"INSERT { GRAPH <urn:x> { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }", UPDATE, 403),
    ("update_dataset_full", "POST",
     q(**{"using-graph-uri": graph_iri(1), "using-named-graph-uri": graph_iri(2)}),
     b"INSERT { GRAPH <urn:x> { ?s ?p ?o } } WHERE { ?s ?p ?o }", UPDATE, 403),
    ("update_post_form", "POST", "", b"update=CLEAR+ALL", FORM, 403),
    ("update_post_direct", "POST", "", b"CLEAR ALL", UPDATE, 403),
    ("update_base_uri", "POST", "", b"INSERT DATA { <a> <b> <c> }", UPDATE, 403),
    ("query_post_direct", "POST", "", b"ASK {}", SPARQL_QUERY, True),
    ("bad_query_method", "PUT", q(query="ASK {}", **{"default-graph-uri": D0}), b"", FORM, "4xx"),
    ("bad_multiple_queries", "GET", q(query=["ASK {}", "SELECT * {}"]), None, None, "4xx"),
    ("bad_query_wrong_media_type", "POST", "", b"ASK {}", "text/plain", "4xx"),
    ("bad_query_missing_form_type", "POST", "", b"query=ASK%20%7B%7D", None, "4xx"),
    ("bad_query_missing_direct_type", "POST", "", b"ASK {}", None, "4xx"),
    ("bad_query_non_utf8", "POST", "", "ASK {}".encode("utf-16"),
     "application/sparql-query; charset=UTF-16", "4xx"),
    ("bad_query_syntax", "GET", q(query="ASK {"), None, None, "4xx"),
    ("bad_update_get", "GET", q(update="CLEAR ALL"), None, None, "4xx"),
    ("bad_multiple_updates", "POST", "", b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM,
     "4xx"),
    ("bad_update_wrong_media_type", "POST", "", b"CLEAR NAMED", "text/plain", "4xx"),
    ("bad_update_missing_form_type", "POST", "", b"update=CLEAR%20NAMED", None, "4xx"),
    ("bad_update_non_utf8", "POST", "", "CLEAR NAMED".encode("utf-16"),
     "application/sparql-update; charset=UTF-16", "4xx"),
    ("bad_update_syntax", "POST", "", b"update=CLEAR%20XYZ", FORM, "4xx"),
    ("bad_update_dataset_conflict", "POST", q(**{"using-named-graph-uri": "http://example/people"}),
     b"WITH <http://example/addresses> DELETE { ?p ?x ?y } WHERE { ?p ?x ?y }", UPDATE, "4xx"),
]  # fmt: skip


#: The cases the suite expects to succeed that update: 403 here (read-only).
READ_ONLY = frozenset(name for name, *_, expected in CASES if expected == 403)
#: The query cases that name graphs: 400 (E106) on a memory graph, which has none.
MEMORY_REFUSED = frozenset({
    "query_post_form", "query_dataset_default_graphs_get", "query_dataset_default_graphs_post",
    "query_dataset_named_graphs_post", "query_dataset_named_graphs_get", "query_dataset_full",
    "query_multiple_dataset", "query_get", "query_content_type_select",
    "query_content_type_ask", "query_content_type_describe", "query_content_type_construct",
})  # fmt: skip
#: The status of each bad request (the suite asks for a 4xx), with the start of its reason.
BAD = {
    "bad_query_method": (405, b"Meth"),
    "bad_multiple_queries": (400, b"give"),
    "bad_query_wrong_media_type": (415, b"POST"),
    "bad_query_missing_form_type": (415, b"POST"),
    "bad_query_missing_direct_type": (415, b"POST"),
    "bad_query_non_utf8": (415, b"E108"),
    "bad_query_syntax": (400, b"E022"),
    "bad_update_get": (403, b"E028"),
    "bad_multiple_updates": (403, b"E028"),
    "bad_update_wrong_media_type": (415, b"POST"),
    "bad_update_missing_form_type": (415, b"POST"),
    "bad_update_non_utf8": (403, b"E028"),
    "bad_update_syntax": (403, b"E028"),
    "bad_update_dataset_conflict": (403, b"E028"),
}


def test_the_outcome_tables_cover_every_case():
    names = [case[0] for case in CASES]
    assert len(names) == len(set(names)) == 34
    assert len(READ_ONLY) == 7
    naming = {n for n, _, query, *_ in CASES if "graph-uri" in query and "using" not in query}
    assert naming - {"bad_query_method"} == MEMORY_REFUSED  # PUT: 405 before any dataset
    assert set(BAD) == {n for n, *_, expected in CASES if expected == "4xx"}


def check_case(base: str, case: tuple, dataset_refused: bool) -> str:
    """Run one case and check its outcome: "pass" (as the suite expects), "read-only"
    (403 for an update the suite expects to succeed), "no named graphs" (400)."""
    name, method, query, body, content_type, expected = case
    status, media, data = http(
        base + "sparql" + query, method=method, body=body, content_type=content_type
    )
    if dataset_refused and name in MEMORY_REFUSED:
        assert (status, data[:4]) == (400, b"E106"), name
        return "no named graphs"
    if expected == "4xx":
        assert (status, data[:4]) == BAD[name], (name, status, data)
    elif expected == 403:
        assert (status, data[:4]) == (403, b"E028"), name
        return "read-only"
    elif expected == "tabular":
        assert status == 200, (name, data)
        assert media.startswith("application/sparql-results+json")
        assert json.loads(data)["results"]["bindings"] == [{"value": {
            "type": "literal", "value": "1",
            "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]  # fmt: skip
    elif expected == "RDF":
        assert status == 200, (name, data)
        assert media.startswith("text/turtle")
        Graph().parse(data=data, format="turtle")
    else:
        assert status == 200, (name, data)
        assert json.loads(data)["boolean"] is expected, name
    return "pass"


def test_the_w3c_protocol_cases_on_an_oxigraph_store(servers):
    outcomes = Counter(check_case(servers["oxigraph"], c, dataset_refused=False) for c in CASES)
    assert outcomes == {"pass": 27, "read-only": 7}


def test_the_w3c_protocol_cases_on_a_memory_graph(servers):
    outcomes = Counter(check_case(servers["memory"], c, dataset_refused=True) for c in CASES)
    assert outcomes == {"pass": 15, "read-only": 7, "no named graphs": 12}


@pytest.mark.parametrize("kind", ["oxigraph", "memory"])
def test_a_relative_iri_resolves_against_the_endpoint(servers, kind):
    base = servers[kind]
    status, _, body = http(
        base + "sparql", method="POST", body=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        content_type=SPARQL_QUERY,
    )  # fmt: skip
    assert status == 200, body
    graph = Graph().parse(data=body, format="turtle")
    assert {str(s) for s in graph.subjects()} == {base + "s"}


def test_a_query_oxigraph_cannot_parse_is_400(servers):
    text = "SELECT (COUNT(*) AS ?n) ?s WHERE { ?s ?p ?o }"  # rdflib takes it, Oxigraph not
    status, _, body = http(servers["oxigraph"] + "sparql" + q(query=text))
    assert (status, body[:4]) == (400, b"E022")


def test_the_dataset_is_sent_on_to_a_sparql_server(servers, upstream):
    upstream.requests.clear()
    url = (
        servers["sparql"]
        + "sparql"
        + q(query="ASK { ?s ?p ?o }", **{"default-graph-uri": graph_iri(1), "named-graph-uri": D0})
    )
    status, _, body = http(url)
    assert status == 200, body
    (sent,) = [urllib.parse.parse_qs(b.decode()) for _, _, b in upstream.requests]
    assert sent["default-graph-uri"] == [graph_iri(1)]
    assert sent["named-graph-uri"] == [D0]
    bad = servers["sparql"] + "sparql" + q(query="ASK {}", **{"default-graph-uri": "a b>"})
    assert http(bad)[0] == 400


# ---------------------------------------------------------------- the SSRF probe


@pytest.mark.parametrize("kind", ["memory", "oxigraph", "sparql"])
def test_the_ssrf_payload_and_its_variants_are_refused_on_every_store(servers, admin, upstream,
                                                                        kind):  # fmt: skip
    admin.requests.clear()
    upstream.requests.clear()
    base = servers[kind] + "sparql"
    for variant in VARIANTS:
        text = variant.replace("127.0.0.1:9/", f"127.0.0.1:{admin.port}/")
        for method, url, body, media in (
            ("GET", base + q(query=text), None, None),
            ("POST", base, urllib.parse.urlencode({"query": text}).encode(), FORM),
            ("POST", base, text.encode(), SPARQL_QUERY),
        ):
            status, _, answer = http(url, method=method, body=body, content_type=media)
            assert status == 400, (kind, text, status, answer)
            assert answer[:4] in (b"E029", b"E100", b"E101", b"E022"), answer
    assert admin.requests == []  # nothing reached the address the payload names
    assert upstream.requests == []  # nothing was forwarded to the SPARQL server


def test_two_parameters_cannot_smuggle_a_service_to_a_sparql_server(servers, upstream):
    """A named query's two string parameters, the first ending in a line break, a
    backslash and a quote, the second a SERVICE (issue 14, seventh check): the text sent
    on holds both as strings, and no SERVICE any engine would run."""
    upstream.requests.clear()
    params = {"status": 'x\n\\"', "kind": ") } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } #"}
    status, _, body = http(servers["sparql"] + "queries/consistency" + q(**params))
    assert status == 200, body
    (sent,) = [urllib.parse.parse_qs(b.decode())["query"][0] for _, _, b in upstream.requests]
    check_text(sent)
    assert '"x\\n\\\\\\""' in sent  # the first value, escaped, whole


def test_a_worker_of_a_local_store_has_no_network(admin):
    """Below the guard: an Oxigraph query in a worker's process cannot reach an address
    (the worker runs in its own network namespace where Linux allows one)."""
    admin.requests.clear()
    code = (
        "import sys, pyoxigraph as ox\n"
        "from xmgraph.serve import isolate_network\n"
        "if not isolate_network(): sys.exit(3)\n"
        "try:\n"
        f"    list(ox.Store().query('SELECT * {{ SERVICE <http://127.0.0.1:{admin.port}/x> "
        "{ ?s ?p ?o } }'))\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=WAIT)
    if done.returncode == 3:
        pytest.skip("this system allows no network namespace to an unprivileged process")
    assert done.returncode == 0, done.stderr
    assert admin.requests == []
