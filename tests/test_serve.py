"""``xmgraph serve``: the SPARQL 1.1 Protocol endpoint, queried with a real client.

The server runs in a thread on a free loopback port (its queries in worker processes) and
is queried with SPARQLWrapper and urllib, then stopped.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
from typer.testing import CliRunner

from xmgraph.cli import app
from xmgraph.errors import XmgraphError
from xmgraph.serve import BackgroundServer, check_port, json_for_script, negotiate

TIMEOUT = 1.5  # seconds a query may run
VIEW = importlib.util.find_spec("xmgraph.view") is not None  # the browser view is installed
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 2,800³ rows
SMARTPHONES_2024 = """
SELECT ?value WHERE {
  ?obs xmg:entity <https://w3id.org/xmgraph/id/org/xiaomi/smartphones> ;
       xmg:metric metric:Revenue ;
       xmg:period/xmg:periodCode "2024" ;
       xmg:value ?value .
}"""


@pytest.fixture(scope="module")
def server(seed_graph):
    background = BackgroundServer(seed_graph, timeout=TIMEOUT, workers=2)
    background.start()
    yield background
    background.stop()


@pytest.fixture
def endpoint(server):
    def make(return_format=JSON):
        client = SPARQLWrapper(server.url + "sparql")
        client.setReturnFormat(return_format)
        client.setTimeout(30)
        return client

    return make


def http(server, path, *, data=None, headers=None, method=None):
    """(status, headers, body) of a plain HTTP request."""
    request = urllib.request.Request(
        server.url + path, data=data, headers=headers or {}, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def query_url(text):
    return "sparql?" + urllib.parse.urlencode({"query": text})


# ---------------------------------------------------------------- SPARQL 1.1 Protocol


def test_select_over_get_and_both_posts(endpoint):
    for method, request_method in (("GET", None), ("POST", "urlencoded"), ("POST", "postdirectly")):
        client = endpoint()
        client.setQuery(SMARTPHONES_2024)
        client.setMethod(method)
        if request_method:
            client.setRequestMethod(request_method)
        data = client.queryAndConvert()
        (binding,) = data["results"]["bindings"]
        assert Decimal(binding["value"]["value"]) == Decimal("191800000000")  # 1918 億元


def test_result_formats(endpoint, server):
    client = endpoint(CSV)
    client.setQuery("SELECT ?c WHERE { ?c a xmg:Company }")
    assert client.query().response.read() == b"c\r\nhttps://w3id.org/xmgraph/id/org/xiaomi\r\n"
    client = endpoint(TSV)
    client.setQuery("SELECT ?c WHERE { ?c a xmg:Company }")
    assert client.query().response.read() == b"?c\n<https://w3id.org/xmgraph/id/org/xiaomi>\n"
    client = endpoint(XML)
    client.setQuery("ASK { ?c a xmg:Company }")
    assert client.queryAndConvert().getElementsByTagName("boolean")[0].firstChild.data == "true"
    client = endpoint(JSON)
    client.setQuery("ASK { ?c a xmg:Segment ; xmg:nope ?x }")
    assert client.queryAndConvert()["boolean"] is False


def test_construct_as_turtle_and_jsonld(endpoint):
    text = "CONSTRUCT { ?s a xmg:Segment } WHERE { ?s a xmg:Segment }"
    for fmt in (TURTLE, JSONLD):
        client = endpoint(fmt)
        client.setQuery(text)
        graph = client.queryAndConvert()
        if not isinstance(graph, Graph):  # SPARQLWrapper hands Turtle over as bytes
            graph = Graph().parse(data=graph, format="turtle")
        assert len(graph) == 5


def test_named_query_with_bound_parameters(server):
    status, headers, body = http(
        server, "queries/yoy_growth?metric=metric:GrossProfit", headers={"Accept": "text/csv"}
    )
    assert status == 200
    assert headers["Content-Type"].startswith("text/csv")
    lines = body.decode("utf-8").split("\r\n")
    assert lines[0].startswith("entity,entity_label,metric,")
    assert len(lines) == 3
    assert "76560000000" in lines[1]
    assert "57476000000" in lines[1]
    status, _, body = http(server, "queries/yoy_growth?year=2024")
    assert status == 400
    assert body.startswith(b"E027")
    assert http(server, "queries/nope")[0] == 404
    status, _, body = http(server, "queries")
    names = {q["name"] for q in json.loads(body)}
    assert {"facts", "yoy_growth", "segment_share"} <= names


def test_negotiation():
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", [], "SELECT") == "xml"
    assert negotiate("*/*", [], "SELECT") == "json"
    assert negotiate("text/*", [], "CONSTRUCT") == "turtle"
    assert negotiate("application/json", [], "CONSTRUCT") == "jsonld"
    assert negotiate("text/html", ["json"], "SELECT") == "json"  # format= wins
    assert negotiate("text/html", [], "SELECT") is None
    assert negotiate("text/csv", [], "DESCRIBE") is None


def test_not_acceptable_is_406(server):
    status, _, body = http(server, query_url("ASK { ?s ?p ?o }"), headers={"Accept": "text/csv"})
    assert status == 406
    assert b"application/sparql-results+json" in body


# ---------------------------------------------------------------- read-only, errors, timeout


def test_updates_are_refused_and_change_nothing(endpoint, server, seed_graph):
    client = endpoint()
    client.setMethod("POST")
    client.setQuery("INSERT DATA { <urn:x> <urn:y> <urn:z> }")
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    for data, kind in (
        (b"DELETE WHERE { ?s ?p ?o }", "application/sparql-update"),
        (b"query=DELETE+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D", "application/x-www-form-urlencoded"),
    ):
        status, _, body = http(server, "sparql", data=data, headers={"Content-Type": kind})
        assert status == 403
        assert body.startswith(b"E028")
    client = endpoint()
    client.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    count = client.queryAndConvert()["results"]["bindings"][0]["n"]["value"]
    assert int(count) == len(seed_graph)


def test_malformed_query_is_400_with_line_and_column(endpoint):
    client = endpoint()
    client.setQuery("SELECT *\nWHERE {\n  ?s ?p \n}")
    with pytest.raises(QueryBadFormed) as bad:
        client.query()
    assert "line 3, column 3" in str(bad.value)


def test_no_network_from_a_query(server, tmp_path):
    status, _, body = http(
        server, query_url("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    )
    assert status == 400
    assert body.startswith(b"E029")
    secret = tmp_path / "secret.nt"
    secret.write_text("<urn:secret> <urn:p> <urn:o> .\n", encoding="utf-8")
    for query in (
        f"SELECT * FROM <{secret.as_uri()}> WHERE {{ <urn:secret> ?p ?o }}",
        f"SELECT * FROM NAMED <{secret.as_uri()}> WHERE {{ GRAPH ?g {{ <urn:secret> ?p ?o }} }}",
    ):
        status, _, body = http(server, query_url(query), headers={"Accept": "text/csv"})
        assert status == 200
        assert b"urn:o" not in body


def test_a_slow_query_is_stopped_and_the_server_keeps_serving(server, endpoint):
    answers = {}

    def slow():
        started = time.monotonic()
        answers["slow"] = http(server, query_url(SLOW)), time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    client = endpoint()
    client.setQuery(SMARTPHONES_2024)
    assert client.queryAndConvert()["results"]["bindings"]  # the other worker answers
    assert time.monotonic() - started < TIMEOUT
    thread.join(timeout=30)
    (status, _, body), elapsed = answers["slow"]
    assert status == 503
    assert body.startswith(b"E025: query timed out after 1.5 s")
    assert TIMEOUT <= elapsed < TIMEOUT + 5
    assert server.pool.replaced >= 1
    for _ in range(3):  # and again, while the killed worker's successor starts
        assert client.queryAndConvert()["results"]["bindings"]


# ---------------------------------------------------------------- CORS, pages


def test_cors(server):
    origin = {"Origin": "https://editor.example.org"}
    status, headers, _ = http(server, query_url("ASK { ?s ?p ?o }"), headers=origin)
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    preflight = {
        **origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    status, headers, _ = http(server, "sparql", headers=preflight, method="OPTIONS")
    assert status == 200
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in headers


def test_service_description_and_redirect(server):
    status, headers, body = http(server, "sparql", headers={"Accept": "text/turtle"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    description = Graph().parse(data=body, format="turtle")
    assert len(description) > 5
    assert b"sd:Service" in body
    request = urllib.request.Request(server.url + "sparql", headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.geturl() == server.url  # 303 to the query page


def test_home_page(server):
    status, headers, body = http(server, "")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    page = body.decode("utf-8")
    start = page.index('<script type="application/json" id="named-queries">') + 51
    block = page[start : page.index("</script>", start)]
    assert "<" not in block
    assert ">" not in block
    queries = json.loads(block)
    assert {"yoy_growth", "people_roles"} <= {q["name"] for q in queries}
    assert ('<a href="/view">' in page) == VIEW  # the browser view, once installed
    for asset in ("static/serve.js", "static/serve.css"):
        assert http(server, asset)[0] == 200
    assert http(server, "static/../../etc/passwd")[0] == 404
    script = http(server, "static/serve.js")[2].decode("utf-8")
    assert "innerHTML" not in script  # everything reaches the page as textContent


def test_view_page_when_installed_and_404_otherwise(server, monkeypatch):
    status, _headers, body = http(server, "view")
    if VIEW:
        assert status == 200
        assert body.lstrip().lower().startswith(b"<!doctype html")
    else:
        assert status == 404
    monkeypatch.setitem(__import__("sys").modules, "xmgraph.view", None)
    assert http(server, "view")[0] == 404


def test_json_for_script():
    assert (
        json_for_script(["</script><b>&\u2028"])
        == '["\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028"]'
    )


# ---------------------------------------------------------------- starting


def test_a_port_in_use_is_an_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(XmgraphError, match=r"^E041: cannot listen on 127.0.0.1:"):
            check_port("127.0.0.1", port)
        result = CliRunner().invoke(app, ["serve", "missing.ttl", "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr.startswith("xmgraph: error: E041: cannot listen on")
