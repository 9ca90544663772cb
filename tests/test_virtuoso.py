"""A real Virtuoso Open Source (Debian's ``virtuoso-opensource``, 7.2) on loopback.

The fixture starts ``virtuoso-t`` with its own database folder and ``virtuoso.ini`` under
a temporary directory (both ``ServerPort`` on 127.0.0.1, free ports), grants the SPARQL
user updates with ``isql-vt``, and stops the server by its PID. The tests skip only when
the binary is absent (``.ci/system-deps`` installs it).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xmgraph import query as q
from xmgraph.cli import app
from xmgraph.dataset import build_dataset
from xmgraph.errors import XmgraphError
from xmgraph.export import load_graph
from xmgraph.facts import facts_rows
from xmgraph.serve import running
from xmgraph.store import SparqlStore, open_store, row_bag
from xmgraph.store import facts_rows as store_facts_rows
from xmgraph.view import view_model

DATA = Path(__file__).parent / "data" / "dataset"
#: Synthetic reports (benchmarks/generate.py, seed 7) that state different figures for one
#: total, actual and prior year: engines that pick any of them (SAMPLE) disagree here.
CONFLICTING = Path(__file__).parent / "data" / "conflicting"
#: Seconds Virtuoso gets to create its database and start, or to stop.
WAIT = 60.0
#: Seconds a named query gets through ``serve``: Virtuoso compiles the larger ones the first
#: time it meets them (conflicts: 15 s and more on a busy machine, past WAIT at a load of 20).
QUERY_WAIT = 300.0
MERGE = "https://w3id.org/xmgraph/id/graph/all"
#: ResultSetMaxRows of the test server: small, so that paging and E180 are exercised.
MAX_ROWS = 2000
#: Queries whose rows Virtuoso 7.2 gives differently, and why (none may be added lightly).
#: segment_tree was one (two property paths between the same bound ends: rows wrong on
#: these four reports, Xiaomi's known segment tree) until its depths became a GROUP BY
#: subquery of one path each.
KNOWN: dict[str, str] = {}

INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
[Parameters]
ServerPort         = 127.0.0.1:{sql}
DisableUnixSocket  = 1
DirsAllowed        = .
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
[HTTPServer]
ServerPort         = 127.0.0.1:{http}
ServerRoot         = /var/lib/virtuoso-opensource-7/vsp
ServerThreads      = 4
[SPARQL]
ResultSetMaxRows           = {rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    ask = urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + WAIT
    while True:
        try:
            urllib.request.urlopen(f"{url}?{ask}", timeout=2).read()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
                raise RuntimeError(f"virtuoso did not start: {tail}") from None
            time.sleep(0.2)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, stop_process) -> Iterator[str]:
    """``virtuoso-t`` on 127.0.0.1 in a temporary folder: its SPARQL endpoint's URL."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    db = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(INI.format(db=db, sql=sql, http=http, rows=MAX_ROWS), encoding="utf-8")
    proc = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=db,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http}/sparql"
    try:
        _wait_for(url, proc, db / "virtuoso.log")
        # a new database's dba password is "dba": only this loopback server has it
        grant = 'exec=grant SPARQL_UPDATE to "SPARQL";'
        subprocess.run(
            [isql, f"127.0.0.1:{sql}", "dba", "dba", grant],
            check=True,
            capture_output=True,
            timeout=WAIT,
        )
        yield url
    finally:
        stop_process(proc, WAIT)


@pytest.fixture(scope="module")
def built(virtuoso, tmp_path_factory):
    """The small reports built into a TriG file and into Virtuoso: (file, spec)."""
    out = tmp_path_factory.mktemp("vds") / "d.trig"
    build_dataset([DATA, CONFLICTING], output=out)
    spec = f"sparql:{virtuoso},merge={MERGE},maxrows={MAX_ROWS}"
    summary = build_dataset([DATA, CONFLICTING], store=spec)
    assert (summary.added, summary.reports) == (9, 9)
    return out, spec


def test_every_named_query_gives_the_file_builds_rows(built):
    """Virtuoso's rows of every named query are the file build's, as rdflib gives them and as
    Oxigraph in memory does (``xmgraph query NAME FILE``): three engines, one answer."""
    path, spec = built
    graph = load_graph([path])
    store = open_store(spec)
    local = open_store("oxigraph:")
    local.load(path)
    differ = []
    for name in q.query_names():
        want = local.run(name).rows  # a CONSTRUCT's triples as rows, as every store gives them
        if q.query_kind(q.parse(q.load_query(name))) == "SELECT":
            assert row_bag(q.run_query(graph, name).rows) == row_bag(want), name
        got = store.run(name).rows
        if row_bag(got) != row_bag(want):
            differ.append(name)
    assert sorted(differ) == sorted(KNOWN)


def test_the_conflicting_reports_give_rows_where_engines_could_differ(built):
    """The reports of CONFLICTING give rows to the queries that pick one of several
    figures (else the comparison above would prove nothing for them)."""
    path, _ = built
    graph = load_graph([path])
    for name in ("segment_share", "targets_vs_actuals", "conflicts"):
        assert q.run_query(graph, name).rows, name


def test_the_facts_command_prints_the_file_builds_table(built):
    """``xmgraph facts --store sparql:…`` prints, byte for byte, what it prints for the file."""
    path, spec = built
    runner = CliRunner()
    want = runner.invoke(app, ["facts", str(path), "--format", "csv"])
    got = runner.invoke(app, ["facts", "--store", spec, "--format", "csv"])
    assert (got.exit_code, want.exit_code) == (0, 0)
    assert got.stdout == want.stdout
    assert want.stdout.count("\n") > 50


def test_facts_and_the_quad_count(built):
    path, spec = built
    store = open_store(spec)
    assert store_facts_rows(store) == facts_rows(load_graph([path]))
    local = open_store("oxigraph:")
    local.load(path)
    assert len(store) == len(local)  # Virtuoso's own graphs (virtrdf#) not counted


def test_a_bound_period_on_virtuoso(built):
    """Parameters go to a server as a VALUES inside the outermost group (a trailing one
    relabels every row on Virtuoso 7.2): the same rows as rdflib's initBindings."""
    path, spec = built
    graph = load_graph([path])
    store = open_store(spec)
    for name, params in [("facts", {"period": "2025-Q1"}), ("yoy_growth", {"period": "2025"})]:
        bindings = q.parse_params([f"{k}={v}" for k, v in params.items()], q.named_query(name))
        want = q.run_query(graph, name, bindings=bindings).rows
        assert row_bag(store.run(name, bindings).rows) == row_bag(want)


def test_a_cut_construct_is_an_error_not_a_partial_graph(built):
    path, spec = built
    store = open_store(spec)
    with pytest.raises(XmgraphError, match=r"^E180"):
        store.result("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    # a SELECT as long is paged, whole
    rows = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows
    # and the merge fetched whole (Virtuoso cuts a Graph Store GET at ResultSetMaxRows too)
    local = open_store("oxigraph:")
    local.load(path)
    assert len(rows) == len(store.graph()) == local.triples() > MAX_ROWS


def test_serve_answers_every_named_query_and_the_view(built):
    """``xmgraph serve --store sparql:``: every named query's rows as the store gives them
    (themselves the file build's, above), and the browser view of the merge."""
    path, spec = built
    store = SparqlStore(spec.removeprefix("sparql:"))
    with running(store, workers=1, timeout=QUERY_WAIT) as url:
        for name in q.query_names():
            if q.query_kind(q.parse(q.load_query(name))) != "SELECT":
                continue
            with urllib.request.urlopen(f"{url}queries/{name}", timeout=QUERY_WAIT) as answer:
                doc = json.loads(answer.read())
            rows = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
            want = [{k: v for k, v in r.items() if v != ""} for r in store.run(name).rows]
            assert row_bag([{k: v for k, v in r.items() if v != ""} for r in rows]) == row_bag(want)
        with urllib.request.urlopen(f"{url}view", timeout=QUERY_WAIT) as answer:
            assert answer.status == 200
            assert b"<html" in answer.read().lower()
    # the page's data: the file's, queried on Virtuoso
    assert view_model(store) == view_model(load_graph([path]))
