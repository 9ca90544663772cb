"""Load on ``xmgraph serve`` over loopback: latency under 8 clients, and cheap queries while
slow ones run.

    .venv/bin/python benchmarks/serve_load.py                    # 1,000 reports, 8 clients
    .venv/bin/python benchmarks/serve_load.py --reports 200 --seconds 10
    .venv/bin/python benchmarks/serve_load.py --folder /tmp/load  # keep the store, reuse it
    .venv/bin/python benchmarks/serve_load.py --folder /tmp/load --no-lanes  # no cost lanes

Makes ``--reports`` synthetic reports (``benchmarks/generate.py``), builds them into an
Oxigraph store (``oxigraph:PATH``) and serves it (``--workers`` worker processes, queries
stopped after ``--timeout`` s). Then two phases of ``--seconds`` each, ``--clients`` clients
(threads, one HTTP request at a time each):

1. *mixed*: every client loops what the query page asks about one company
   (``entity_facts``, ``metric_over_time``), a list of companies, an ASK, and the facts of
   a whole year (``facts?period=2024``, seconds); p50, p90, p99 per query and in all;
2. *slow*: two of the clients loop a query that runs until it is stopped (a cross product,
   503 after ``--timeout``), the others loop a cheap ASK: its p50, p99 and max, and how many
   ASKs got 503.

``--no-lanes`` runs the same with every query in one lane (no heavy/light classes; clients
still take turns): what the fair queue's lanes buy. Not a test: figures go into
``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from xmgraph.dataset import build_dataset
from xmgraph.serve import BackgroundServer, FairQueue
from xmgraph.store import open_store

HERE = Path(__file__).parent
ASK = "ASK { ?c a xmg:Company }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIST = "SELECT ?c WHERE { ?c a xmg:Company } ORDER BY ?c LIMIT 20"


def mixed_plan(company: str) -> list[str]:
    """What a client of the query page asks about one company, and a whole-period query."""
    quote = urllib.parse.quote
    return [
        f"queries/entity_facts?entity={quote(company)}",
        f"queries/metric_over_time?entity={quote(company)}&metric=metric:Revenue",
        "sparql?" + urllib.parse.urlencode({"query": LIST}),
        "sparql?" + urllib.parse.urlencode({"query": ASK}),
        "queries/facts?period=2024",
    ]


def get(url: str, timeout: float) -> tuple[int, float]:
    """(status, seconds) of one GET."""
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, time.perf_counter() - started


def loop(url: str, paths: list[str], until: float, out: list[tuple[str, int, float]],
         timeout: float) -> None:  # fmt: skip
    """Request ``paths`` in turn until ``until``; (path, status, seconds) into ``out``."""
    index = 0
    while time.monotonic() < until:
        path = paths[index % len(paths)]
        status, seconds = get(url + path, timeout)
        out.append((path, status, seconds))
        index += 1


def run_clients(url: str, plans: list[list[str]], seconds: float, timeout: float) -> list[Any]:
    out: list[tuple[str, int, float]] = []
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=loop, args=(url, plan, until, out, timeout)) for plan in plans
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(rows: list[tuple[str, int, float]]) -> str:
    ok = [s * 1000 for _, status, s in rows if status == 200]
    if not ok:
        return f"n={len(rows)} none answered"
    errors = sum(1 for _, status, _ in rows if status != 200)
    return (
        f"n={len(rows)} p50={statistics.median(ok):.0f} ms p90={pct(ok, 90):.0f} ms "
        f"p99={pct(ok, 99):.0f} ms max={max(ok):.0f} ms non-200={errors}"
    )


def build(reports: int, folder: Path) -> str:
    """The store of ``reports`` synthetic reports in ``folder`` (built once: reused)."""
    spec = f"oxigraph:{folder / 'db'}"
    if (folder / "db").is_dir():
        return spec
    texts = folder / "reports"
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(texts), "-n", str(reports)], check=True
    )
    started = time.perf_counter()
    build_dataset([texts], store=spec)
    print(f"built {reports} reports into {spec} in {time.perf_counter() - started:.1f} s")
    return spec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--no-lanes", action="store_true")
    parser.add_argument("--folder", type=Path, help="build here, or reuse the store built here")
    args = parser.parse_args()
    if args.no_lanes:  # every query light: one lane, clients still take turns
        FairQueue._classify = lambda self, key, client: False  # type: ignore[method-assign]
    print(f"Python {platform.python_version()} on {platform.machine()}, {args.workers} workers")
    with tempfile.TemporaryDirectory() as tmp:
        spec = build(args.reports, args.folder or Path(tmp))
        store = open_store(spec, read_only=True)
        server = BackgroundServer(store, workers=args.workers, timeout=args.timeout)
        url = server.start()
        try:
            wait = args.timeout * 3
            companies = [row["c"] for row in store.query(LIST).rows]
            plans = [mixed_plan(companies[i % len(companies)]) for i in range(args.clients)]
            plans = [plan[i % 5 :] + plan[: i % 5] for i, plan in enumerate(plans)]
            mixed = run_clients(url, plans, args.seconds, wait)
            print("mixed:", summary(mixed))
            kinds = ("entity_facts", "metric_over_time", "ORDER+BY", "ASK", "queries/facts?")
            for kind in kinds:
                print(f"  {kind:18} {summary([r for r in mixed if kind in r[0]])}")
            slow = "sparql?" + urllib.parse.urlencode({"query": SLOW})
            ask = "sparql?" + urllib.parse.urlencode({"query": ASK})
            plans = [[slow], [slow]] + [[ask]] * (args.clients - 2)
            loaded = run_clients(url, plans, args.seconds, wait)
            print("slow phase, ASK:", summary([r for r in loaded if r[0] == ask]))
            stopped = sum(1 for r in loaded if r[0] == slow and r[1] == 503)
            print(f"slow phase, slow queries stopped (503): {stopped}")
        finally:
            server.stop()
            store.close()


if __name__ == "__main__":
    main()
