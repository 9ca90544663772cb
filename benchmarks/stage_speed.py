"""Normalize and validate speed: what tests once asserted with timers (a test has no business
timing: figures here, in benchmarks/README.md). Best of N rounds.

    .venv/bin/python benchmarks/stage_speed.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from xmgraph import resources
from xmgraph.lexicon import load_lexicon
from xmgraph.model import Report
from xmgraph.normalize import normalize
from xmgraph.pipeline import build_graph
from xmgraph.read import read_report
from xmgraph.validate import validate_graph


def best(rounds: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    vocabulary = load_lexicon().vocabulary
    seed = read_report(resources.demo_report())
    normalize(seed, vocabulary=vocabulary)  # warm the caches
    big_text = (seed.text + "\n") * (1_000_000 // len(seed.text))
    big = Report("big.txt", big_text, "0", "utf-8")
    graph = build_graph([resources.demo_report()])
    rows = [
        ("normalize the seed", len(seed.text), lambda: normalize(seed, vocabulary=vocabulary)),
        ("normalize 1 MB (the seed again and again)", len(big_text), lambda: normalize(big)),
        ("validate the seed's graph (checks + SHACL)", len(graph), lambda: validate_graph(graph)),
        (
            "validate the seed's graph, OWL 2 RL closure",
            len(graph),
            lambda: validate_graph(graph, inference="owlrl"),
        ),
    ]
    for name, size, work in rows:
        print(f"{name}: {best(args.rounds, work):.3f} s (size {size:,})")


if __name__ == "__main__":
    main()
