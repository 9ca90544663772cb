"""``xmgraph serve``: the SPARQL 1.1 Protocol endpoint, queried with a real client.

The server runs in a thread on a free loopback port (its queries in worker processes) and
is queried with SPARQLWrapper and urllib, then stopped.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest
from rdflib import Graph, Namespace
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
from typer.testing import CliRunner

from xmgraph.cli import app
from xmgraph.errors import XmgraphError
from xmgraph.serve import (
    BackgroundServer,
    FairQueue,
    HostGuard,
    QueryPool,
    allowed_hosts,
    check_port,
    json_for_script,
    negotiate,
)

#: Seconds a query may run on the shared server: generous, so that a loaded machine passes
#: (XMGRAPH_TEST_TIMEOUT changes it).
TIMEOUT = float(os.environ.get("XMGRAPH_TEST_TIMEOUT", "60"))
#: Seconds a query may run on the server of the tests that stop slow queries.
SHORT = 2.0
VIEW = importlib.util.find_spec("xmgraph.view") is not None  # the browser view is installed
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
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


def test_a_named_query_ignores_the_editors_query_argument(server):
    """The query page's editor sends its query argument along (empty, or the named
    query's own text): no parameter; any other query is an unknown parameter (E027)."""
    from xmgraph.query import named_query

    text = named_query("yoy_growth").text
    wanted = http(server, "queries/yoy_growth?metric=metric:GrossProfit")[2]
    for value in ("", text):
        url = "queries/yoy_growth?" + urllib.parse.urlencode(
            {"query": value, "metric": "metric:GrossProfit"}
        )
        status, _, body = http(server, url)
        assert (status, body) == (200, wanted)
    status, _, body = http(server, "queries/yoy_growth?query=ASK%20%7B%7D")
    assert (status, body[:4]) == (400, b"E027")


def test_negotiation():
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", [], "SELECT") == "xml"
    assert negotiate("*/*", [], "SELECT") == "json"
    assert negotiate("text/*", [], "CONSTRUCT") == "turtle"
    assert negotiate("application/json", [], "CONSTRUCT") == "jsonld"
    assert negotiate("text/html", ["json"], "SELECT") == "json"  # format= wins
    assert negotiate("text/html", [], "SELECT") is None
    assert negotiate("text/csv", [], "DESCRIBE") is None
    # parameters written without a space: the q-values still rank the ranges
    assert negotiate("application/sparql-results+xml;q=0.1,text/csv;q=0.5", [], "SELECT") == "csv"


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


@pytest.fixture(scope="module")
def short_server(seed_graph):
    """A server whose queries stop after :data:`SHORT` seconds (two workers)."""
    background = BackgroundServer(seed_graph, timeout=SHORT, workers=2, queue_timeout=TIMEOUT)
    background.start()
    yield background
    background.stop()


def wait_until(condition, what):
    """Poll ``condition`` (a state of the server, not a time); TIMEOUT s (60, or
    XMGRAPH_TEST_TIMEOUT) is a liveness guard against a hung server, not a speed check."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() >= deadline:
            pytest.fail(f"never: {what} (the server did not get there in {TIMEOUT} s)")
        time.sleep(0.02)


def test_a_slow_query_is_stopped_and_the_server_keeps_serving(short_server):
    answers = {}

    def slow():
        answers["slow"] = http(short_server, query_url(SLOW))

    thread = threading.Thread(target=slow)
    thread.start()
    client = SPARQLWrapper(short_server.url + "sparql")
    client.setReturnFormat(JSON)
    client.setTimeout(TIMEOUT)
    client.setQuery(SMARTPHONES_2024)
    assert client.queryAndConvert()["results"]["bindings"]  # the other worker answers
    thread.join(timeout=TIMEOUT)
    status, _, body = answers["slow"]
    assert status == 503
    assert body.startswith(b"E025: query timed out after 2 s")
    assert short_server.pool.replaced >= 1
    for _ in range(3):  # and again, while the killed worker's successor starts
        assert client.queryAndConvert()["results"]["bindings"]


def test_slow_queries_leave_a_worker_to_cheap_ones(short_server):
    """Two clients loop a slow query on a server of two workers: an ASK is still answered
    (by the worker heavy queries may not take), and the second slow query waits."""
    pool = short_server.pool
    before = len(pool.queue.history)
    ask = query_url("ASK { ?s a xmg:Company }")
    assert http(short_server, ask)[0] == 200  # a cheap query, known as one from now on
    threads = [threading.Thread(target=http, args=(short_server, query_url(SLOW))) for _ in "ab"]
    threads[0].start()
    wait_until(lambda: pool.queue.is_heavy(json.dumps([SLOW, []]), "x"), "the slow one is heavy")
    threads[1].start()
    wait_until(lambda: pool.queue.waiting == 1, "the second slow query waits")
    status, _, body = http(short_server, ask)
    assert (status, json.loads(body)["boolean"]) == (200, True)
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    granted = [key for key, _ in list(pool.queue.history)[before:]]
    slow, cheap = (
        json.dumps([SLOW, []]),
        json.dumps([urllib.parse.parse_qs(ask[7:])["query"][0], []]),
    )
    assert granted == [cheap, slow, cheap, slow]  # the ASK before the second slow query


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


def test_the_cors_preflight_echoes_no_requested_header(server):
    preflight = {
        "Origin": "https://editor.example.org",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-evil, content-type",
    }
    _, headers, _ = http(server, "sparql", headers=preflight, method="OPTIONS")
    allowed = headers.get("Access-Control-Allow-Headers", "").lower()
    assert "x-evil" not in allowed
    assert "content-type" in allowed


def test_every_answer_says_nosniff_no_referrer_no_framing(server):
    for path in ("", "sparql", query_url("ASK {}"), query_url("ASK {"), "queries", "nope",
                 "static/serve.js", "view"):  # fmt: skip
        _, headers, _ = http(server, path)
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path
        assert headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
    if VIEW:  # the view's own policy (scripts by hash), sent as a header
        _, headers, body = http(server, "view")
        assert "script-src 'sha256-" in headers["Content-Security-Policy"]
        assert b'http-equiv="Content-Security-Policy"' in body


def test_only_the_known_host_names_are_answered(server):
    port = server.port
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "localhost"):
        assert http(server, query_url("ASK {}"), headers={"Host": host})[0] == 200, host
    for host in (f"evil.example:{port}", f"localhost:{port + 1}", "127.0.0.1.evil.example",
                 f"LOCALHOST.:{port}"):  # fmt: skip
        status, _, body = http(server, query_url("ASK {}"), headers={"Host": host})
        assert (status, body[:4]) == (421, b"E103"), host


def test_allowed_hosts():
    hosts = allowed_hosts(["example.org", "::1", "Proxy.example:443"], listen="192.168.1.5")
    guard = HostGuard(None, hosts, port=8000)
    assert guard.allows("example.org:8000")
    assert guard.allows("example.org")
    assert guard.allows("proxy.example:443")
    assert not guard.allows("proxy.example:8000")
    assert guard.allows("192.168.1.5:8000")
    assert not guard.allows("192.168.1.6:8000")
    assert not guard.allows("example.org:8001")
    assert not guard.allows("")
    assert "0.0.0.0" not in allowed_hosts(listen="0.0.0.0")
    with pytest.raises(XmgraphError, match=r"^E104"):
        allowed_hosts(["evil.example/x"])
    result = CliRunner().invoke(app, ["serve", "x.txt", "--allow-host", "a b"])
    assert result.exit_code == 2
    assert result.stderr.startswith("xmgraph: error: E104")


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(server):
    """1 MB and a bit sent in chunks, and the body never ended: the answer is 413 (a server
    that read the whole body first would wait for its end)."""
    with socket.create_connection((server.host, server.port), timeout=TIMEOUT) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"#" * 65536
        for _ in range(17):
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        head = sock.recv(65536)
    assert head.startswith(b"HTTP/1.1 413")
    assert b"E102" in head or b"\r\n\r\n" in head


def test_a_body_in_another_charset_is_refused(server):
    status, _, body = http(
        server, "sparql", data="ASK {}".encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )  # fmt: skip
    assert (status, body[:4]) == (415, b"E108")


def test_a_body_of_another_media_type_is_refused_saying_what_to_post(server):
    status, _, body = http(server, "sparql", data=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert status == 415
    assert body == (
        b"POST a form (application/x-www-form-urlencoded) or a query (application/sparql-query)\n"
    )


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_named_graph_parameters_on_a_graph_without_named_graphs(server, parameter):
    """Each dataset parameter, alone, is honoured: refused where the graph has none (E106)."""
    url = "sparql?" + urllib.parse.urlencode({"query": "ASK {}", parameter: "urn:g"})
    status, _, body = http(server, url)
    assert (status, body[:4]) == (400, b"E106")


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
    tag = '<script type="application/json" id="prefixes">'
    start = page.index(tag) + len(tag)
    prefixes = json.loads(page[start : page.index("</script>", start)])
    assert prefixes["metric"] == "https://w3id.org/xmgraph/metric/"  # completion, served here


def test_the_editor_is_served_from_the_package_as_vendored(server):
    """The editor's files come from templates/vendor/ by fixed routes, byte for byte as
    the manifest records them; the CSP lets the two <style> elements of YASR's table in
    by their hashes and allows no inline script, no eval and no other site."""
    import base64
    import hashlib
    from importlib import resources

    from xmgraph.serve import EDITOR_STYLE_HASHES

    folder = resources.files("xmgraph") / "templates" / "vendor"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    (yasgui,) = [p for p in manifest["packages"] if p["name"] == "@zazuko/yasgui"]
    for name, media in (("yasgui.min.js", "text/javascript"), ("yasgui.min.css", "text/css")):
        status, headers, body = http(server, f"static/{name}")
        assert status == 200
        assert headers["Content-Type"].startswith(media)
        assert hashlib.sha256(body).hexdigest() == yasgui["sha256"][f"yasgui/{name}"]
    charts = http(server, "static/echarts.min.js")[2]
    assert charts == (folder / "echarts" / "echarts.common.min.js").read_bytes()
    script = (folder / "yasgui" / "yasgui.min.js").read_text(encoding="utf-8")
    grips = script[script.index(" .grip-resizable{table-layout:fixed;}") :].split("`")[0]
    styles = [grips, "*{cursor:col-resize!important}"]  # the resizer's dragCursor
    assert "dragCursor:`col-resize`" in script
    for text, allowed in zip(styles, EDITOR_STYLE_HASHES, strict=True):
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert allowed == f"sha256-{digest}"
    policy = http(server, "")[1]["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe" not in policy
    assert "connect-src 'self';" in policy
    for name in ("vendor/yasgui/yasgui.min.js", "..%2Fserve.py", "manifest.json"):
        assert http(server, f"static/{name}")[0] == 404


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


# ---------------------------------------------------------------- the fair queue


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_heavy_queries_never_take_the_last_worker():
    clock = Clock()
    fair = FairQueue(2, light_seconds=1.0, clock=clock)
    fair.add("w1")
    fair.add("w2")
    first = fair.acquire("slow", "a", wait=0)  # never seen: light
    clock.now = 5.0  # it has run long: heavy now, and so is the same query again
    assert fair.is_heavy("slow", "b")
    assert fair.acquire("slow", "b", wait=0) is None  # the last worker stays free ...
    fair.release(first, 9.0)  # known heavy from now on
    assert fair.acquire("ask", "c", wait=0) is not None  # ... for a light query
    assert fair.acquire("slow", "b", wait=0) is not None  # one heavy at a time is fine
    assert not fair.is_heavy("ask", "c")


def test_clients_take_turns_and_light_queries_go_first():
    clock = Clock()
    fair = FairQueue(1, light_seconds=1.0, clock=clock)
    fair.add("w")
    for key, seconds in (("slow", 9.0), ("fast", 0.1)):
        fair.release(fair.acquire(key, "setup", wait=0), seconds)
    order: list[str] = []
    worker = fair.acquire("slow", "greedy", wait=0)  # the only worker, held

    def ask(key: str, client: str) -> None:
        got = fair.acquire(key, client, wait=TIMEOUT)
        order.append(f"{client}:{key}")
        fair.release(got, 0.1 if key == "fast" else 9.0)

    threads = [
        threading.Thread(target=ask, args=args)
        for args in (("slow", "greedy"), ("slow", "greedy"), ("slow", "other"), ("fast", "c"))
    ]
    for number, thread in enumerate(threads, 1):
        thread.start()
        wait_until(lambda n=number: fair.waiting == n, "the query waits")  # in this order
    fair.release(worker, 9.0)
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert order[0] == "c:fast"  # the light query first
    assert order[1] == "other:slow"  # then the client served least recently
    assert order[2:] == ["greedy:slow", "greedy:slow"]


def test_a_query_that_waits_too_long_gets_503_with_retry_after(seed_graph):
    pool = QueryPool(seed_graph, workers=1, timeout=30, queue_timeout=0.05)  # never started
    answer = pool.run("ASK {}")
    assert answer.status == 503
    assert answer.body.startswith(b"E105")
    assert dict(answer.headers)["Retry-After"].isdigit()


def test_the_queue_remembers_a_bounded_number_of_queries_and_clients():
    clock = Clock()
    fair = FairQueue(1, light_seconds=1.0, clock=clock)
    fair.add("w")
    for number in range(5000):
        fair.release(fair.acquire(f"query {number}", f"client {number}", wait=0), 2.0)
    assert len(fair._costs) == 4096
    assert len(fair._served) == 4096
    assert fair.is_heavy("query 4999", "anyone")
    assert not fair.is_heavy("query 0", "someone else")  # forgotten: light again


def test_a_heavy_clients_new_query_is_heavy_for_memory_seconds():
    clock = Clock()
    fair = FairQueue(1, light_seconds=1.0, clock=clock, memory=60.0)
    fair.add("w")
    fair.release(fair.acquire("slow", "a", wait=0), 9.0)  # at 0: heavy, remembered to 60
    clock.now = 59.5
    assert fair.is_heavy("never seen", "a")
    assert not fair.is_heavy("never seen", "b")
    clock.now = 60.0  # the last 60 seconds no longer hold it
    assert not fair.is_heavy("never seen", "a")


def test_a_refused_host_is_answered_in_plain_text(server):
    status, headers, _ = http(server, query_url("ASK {}"), headers={"Host": "evil.example"})
    assert (status, headers["Content-Type"]) == (421, "text/plain; charset=utf-8")


def test_the_service_description_lists_every_result_format(server):
    _, _, body = http(server, "sparql", headers={"Accept": "text/turtle"})
    description = Graph().parse(data=body, format="turtle")
    formats = {str(o) for o in description.objects(None, SD.resultFormat)}
    names = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
             "SPARQL_Results_TSV", "Turtle", "JSON-LD", "N-Triples", "RDF_XML")  # fmt: skip
    assert formats == {f"http://www.w3.org/ns/formats/{n}" for n in names}


def test_a_queue_timeout_of_zero_is_refused(seed_graph):
    with pytest.raises(XmgraphError, match=r"E041: .*--queue-timeout must be positive, not 0"):
        QueryPool(seed_graph, workers=1, timeout=30, queue_timeout=0)


def test_a_running_query_turns_heavy_only_after_light_seconds():
    clock = Clock()
    fair = FairQueue(2, light_seconds=1.0, clock=clock)
    fair.add("w1")
    fair.add("w2")
    fair.acquire("q", "a", wait=0)
    clock.now = 1.0  # run exactly the light time: still light
    assert not fair.is_heavy("q", "b")
    clock.now = 1.5
    assert fair.is_heavy("q", "b")


def test_a_closed_pool_answers_503_saying_why(seed_graph):
    pool = QueryPool(seed_graph, workers=1, timeout=30, queue_timeout=0.05)  # never started
    pool.close()
    answer = pool.run("ASK {}")
    assert (answer.status, answer.body) == (503, b"the server is shutting down\n")


def test_a_format_parameter_that_does_not_fit_is_passed_over():
    """An unknown word, or a format the query kind cannot give, leaves the default."""
    assert negotiate(None, ["nonsense"], "SELECT") == negotiate(None, [], "SELECT")
    assert negotiate(None, ["text/csv"], "ASK") == negotiate(None, [], "ASK")
    assert negotiate(None, ["text/csv"], "SELECT") == "csv"


def test_the_home_page_fills_every_slot():
    from types import SimpleNamespace

    from xmgraph import __version__
    from xmgraph.serve import _home_page

    param = SimpleNamespace(name="period", kind="literal", description="the period")
    named = SimpleNamespace(name="q", title="Q", parameters=[param], text="SELECT * {}")
    page = _home_page([named], 1234, False, 5.0).decode()
    assert "{{" not in page
    assert f"{__version__}" in page
    assert '"name":"period"' in page.replace(" ", "")
    with_view = _home_page([named], 1234, True, 5.0).decode()
    assert with_view.replace('<a href="/view">browser view</a> · ', "") == page
