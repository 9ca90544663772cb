"""Every named query on a dataset, on Oxigraph and on a SPARQL server: seconds and rows.

    .venv/bin/python benchmarks/store_queries.py DATASET.trig|oxigraph:PATH \\
        [--queries OTHER_DIR] [--runs 3] [--only NAME ...] \\
        [--server sparql:http://127.0.0.1:8890/sparql,merge=IRI]

Oxigraph: the dataset loaded into an in-memory store (``oxigraph:``), or an on-disk store
built with ``xmgraph build ... --store oxigraph:PATH`` opened as it is; each query run once
to warm up, then ``--runs`` times (the median is shown). The server: each query once (its
first run, compile included, as a user meets it) and once more (compiled). Each query's
rows on the server are compared with Oxigraph's, order-independent, numbers as numbers.
``--queries DIR`` times the ``.rq`` files of DIR on Oxigraph too (e.g. the queries before a
change), beside the current ones. Not a test: figures go into ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from xmgraph import query as q
from xmgraph.errors import XmgraphError
from xmgraph.store import Store, open_store, row_bag


def _timed(store: Store, text: str) -> tuple[float, list[dict[str, str]]]:
    start = time.perf_counter()
    rows = store.query(text).rows
    return time.perf_counter() - start, rows


def _median(store: Store, text: str, runs: int) -> tuple[float, list[dict[str, str]]]:
    """The median of ``runs`` timed runs after a warm-up, and the rows."""
    _, rows = _timed(store, text)
    return statistics.median(_timed(store, text)[0] for _ in range(runs)), rows


def _row(name: str, args: argparse.Namespace, local: Store, server: Store | None) -> str:
    text = q.load_query(name)
    seconds, rows = _median(local, text, args.runs)
    cells = [name, str(len(rows)), f"{seconds:.3f}"]
    if args.queries:
        other = args.queries / f"{name}.rq"
        cells.append(f"{_median(local, other.read_text(encoding='utf-8'), args.runs)[0]:.3f}")
    if server is not None:
        try:
            first, got = _timed(server, text)
            again, _ = _timed(server, text)
        except XmgraphError as exc:  # E180: a CONSTRUCT the server cut
            return "| " + " | ".join([*cells, "-", "-", str(exc).split(":")[0]]) + " |"
        same = "yes" if row_bag(got) == row_bag(rows) else f"no ({len(got)} rows)"
        cells += [f"{first:.2f}", f"{again:.2f}", same]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", help="a dataset file, or an oxigraph:PATH store to query")
    parser.add_argument("--server", help="a sparql:URL store spec")
    parser.add_argument("--queries", type=Path, help="a folder of other .rq files, on Oxigraph")
    parser.add_argument("--runs", type=int, default=3, help="timed runs on Oxigraph (3)")
    parser.add_argument("--only", nargs="*", help="only these named queries")
    args = parser.parse_args()
    if args.dataset.startswith("oxigraph:"):  # an on-disk store, as built: queried in place
        local = open_store(args.dataset, read_only=True)
    else:
        local = open_store("oxigraph:")
        local.load(Path(args.dataset))
    server = open_store(args.server) if args.server else None
    head = ["query", "rows", "Oxigraph s"]
    head += ["Oxigraph s (--queries)"] if args.queries else []
    head += ["server s, first", "server s, again", "same rows"] if server else []
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for name in sorted(args.only or q.query_names()):
        print(_row(name, args, local, server), flush=True)


if __name__ == "__main__":
    main()
