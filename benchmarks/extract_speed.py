"""Extraction speed: characters and reports per second of `extract` alone (lexicon loaded,
documents normalized beforehand) over every evaluation text, best of N rounds.

    .venv/bin/python benchmarks/extract_speed.py [--rounds 5] [--sets corpus dev3 ...]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from xmgraph.extract import extract
from xmgraph.lexicon import load_lexicon
from xmgraph.normalize import normalize
from xmgraph.read import read_report

DATA = Path(__file__).parents[1] / "tests" / "data"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--data", type=Path, default=DATA, help="the folder of evaluation sets")
    ap.add_argument("--sets", nargs="*", help="only these sets (folders under --data)")
    args = ap.parse_args()
    lexicon = load_lexicon()
    paths = sorted(
        p
        for p in args.data.rglob("*.txt")
        if p.with_suffix(".facts.csv").is_file() and (not args.sets or p.parent.name in args.sets)
    )
    docs = [normalize(read_report(p), vocabulary=lexicon.vocabulary) for p in paths]
    extract(docs[0], lexicon)  # warm: patterns compiled once per lexicon
    chars = sum(len(d.text) for d in docs)
    best = float("inf")
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for d in docs:
            extract(d, lexicon)
        best = min(best, time.perf_counter() - t0)
    print(
        f"{len(docs)} reports, {chars} chars: {best:.3f} s, "
        f"{len(docs) / best:.1f} reports/s, {chars / best / 1000:.1f} kchars/s"
    )


if __name__ == "__main__":
    main()
