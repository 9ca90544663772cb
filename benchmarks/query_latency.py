"""Latency of the named queries (``queries/*.rq``) on the seed graph: median and p90.

    .venv/bin/python benchmarks/query_latency.py                 # rdflib and Oxigraph, 20 runs
    .venv/bin/python benchmarks/query_latency.py --scale 10      # the seed copied 10 times
    .venv/bin/python benchmarks/query_latency.py --trap --scale 4  # + a two-period join, once

Each query runs once to warm up (rdflib parses it then), then ``--runs`` times; a run is
the query evaluated and every row (or triple) taken. Queries run without parameters: every
row, the slowest case. ``--scale K`` builds K renamed copies of the seed graph (companies,
segments, products, people, observations, sentences and reports get new IRIs; the ontology,
periods and regions are shared), to see how a query grows with the data. ``--trap`` also
times year-on-year written as a join of two observation patterns (what ``yoy_growth.rq``
avoids), once. Not a test: figures go into ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

from rdflib import Graph, URIRef

from xmgraph import resources
from xmgraph.namespaces import PREFIXES
from xmgraph.pipeline import build_graph
from xmgraph.query import execute, named_queries, parse, query_kind

ID = "https://w3id.org/xmgraph/id/"
SHARED = (ID + "period/", ID + "instant/", ID + "region/", ID + "dataset", ID + "dsd")

#: Year-on-year as a join of two observation patterns: the trap the issue measured.
TWO_PERIOD_JOIN = """
SELECT ?entity ?metric ?code ?v ?previous ?pv WHERE {
  ?o1 xmg:entity ?entity ; xmg:metric ?metric ; xmg:scenario xmg:Actual ;
      xmg:period ?p1 ; xmg:value ?v .
  ?o2 xmg:entity ?entity ; xmg:metric ?metric ; xmg:scenario xmg:Actual ;
      xmg:period ?p2 ; xmg:value ?pv .
  ?p1 xmg:periodCode ?code ; xmg:year ?y1 .
  ?p2 xmg:periodCode ?previous ; xmg:year ?y2 .
  FILTER (?y2 = ?y1 - 1 && REPLACE(?code, "^[0-9]{4}", "") = REPLACE(?previous, "^[0-9]{4}", ""))
}"""


def scaled(graph: Graph, copies: int) -> Graph:
    """``copies`` renamed copies of ``graph`` (one copy: the graph itself)."""
    if copies <= 1:
        return graph
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)

    def rename(term: object, i: int) -> object:
        text = str(term)  # rdflib's own startswith takes no tuple
        if isinstance(term, URIRef) and text.startswith(ID) and not text.startswith(SHARED):
            return URIRef(f"{text}-copy{i}")
        return term

    for i in range(copies):
        for s, p, o in graph:
            out.add((rename(s, i), p, rename(o, i)))  # type: ignore[arg-type]
    return out


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_rdflib(graph: Graph, text: str, runs: int) -> tuple[int, list[float]]:
    query = parse(text)
    kind = query_kind(query)

    def once() -> int:
        result = execute(graph, query)
        return len(result.graph) if kind in ("CONSTRUCT", "DESCRIBE") else len(list(result))

    rows = once()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        once()
        times.append(time.perf_counter() - started)
    return rows, times


def time_oxigraph(store: object, text: str, runs: int) -> tuple[int, list[float]]:
    def once() -> int:
        return len(list(store.query(text, prefixes=PREFIXES)))  # type: ignore[attr-defined]

    rows = once()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        once()
        times.append(time.perf_counter() - started)
    return rows, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query (20)")
    parser.add_argument("--scale", type=int, default=1, help="copies of the seed graph (1)")
    parser.add_argument("--graph", type=Path, help="a graph or report instead of the seed")
    parser.add_argument("--engine", choices=("rdflib", "oxigraph", "both"), default="both")
    parser.add_argument("--only", nargs="*", help="only these named queries")
    parser.add_argument("--trap", action="store_true", help="also time a two-period join, once")
    args = parser.parse_args()

    started = time.perf_counter()
    graph = build_graph([args.graph or resources.demo_report()])
    graph = scaled(graph, args.scale)
    build_s = time.perf_counter() - started
    store = None
    if args.engine in ("oxigraph", "both"):
        try:
            import pyoxigraph as ox
        except ImportError:
            print("pyoxigraph is not installed: rdflib only", file=sys.stderr)
        else:
            store = ox.Store()
            store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)

    queries = [(n.name, n.text) for n in named_queries() if not args.only or n.name in args.only]
    if args.trap:
        queries.append(("(two-period join)", TWO_PERIOD_JOIN))
    print(
        f"# {len(graph)} triples (seed x{args.scale}), built in {build_s:.1f} s; "
        f"{args.runs} runs per query; Python {platform.python_version()}, "
        f"{platform.machine()}, {platform.system()}"
    )
    header = f"{'query':<22} {'rows':>6} {'rdflib median':>14} {'p90':>9}"
    if store is not None:
        header += f" {'oxigraph median':>16} {'p90':>9}"
    print(header)
    print("-" * len(header))
    for name, text in queries:
        runs = 1 if name.startswith("(") else args.runs
        line = f"{name:<22}"
        rows = None
        if args.engine in ("rdflib", "both"):
            rows, times = time_rdflib(graph, text, runs)
            line += f" {rows:>6} {statistics.median(times) * 1000:>11.1f} ms"
            line += f" {percentile(times, 0.9) * 1000:>6.1f} ms"
        else:
            line += f" {'':>6} {'':>14} {'':>9}"
        if store is not None:
            try:
                ox_rows, times = time_oxigraph(store, text, runs)
            except Exception as exc:  # a query Oxigraph does not run
                line += f" {'error: ' + type(exc).__name__:>16}"
            else:
                line = line if rows is not None else line[:22] + f" {ox_rows:>6}" + line[29:]
                line += f" {statistics.median(times) * 1000:>13.1f} ms"
                line += f" {percentile(times, 0.9) * 1000:>6.1f} ms"
        print(line, flush=True)


if __name__ == "__main__":
    main()
