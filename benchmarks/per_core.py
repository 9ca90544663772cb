"""Per-core speed: reports per CPU-second of one process building a synthetic corpus report
by report (`xmgraph.parallel.build_report`: read, normalize, extract, build the report's
graph, serialize it), the work each worker of a parallel build does.

    .venv/bin/python benchmarks/per_core.py [--reports 300] [--corpus DIR] [--profile]

The lexicon is loaded and the first report built before timing (start-up is
`startup.py`'s). CPU time (`time.process_time`), not wall time: on a shared machine it is
the steady figure. Run another checkout with `PYTHONPATH=OTHER/src` to compare.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xmgraph.parallel import ReportTask, build_report

HERE = Path(__file__).parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=300)
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or Path(tmp) / "corpus"
        if args.corpus is None:
            generate = [sys.executable, str(HERE / "generate.py"), str(corpus)]
            subprocess.run(
                [*generate, "-n", str(args.reports)], check=True, stdout=subprocess.DEVNULL
            )
        tasks = [ReportTask.from_path(p) for p in sorted(corpus.glob("*.txt"))[: args.reports]]
        build_report(tasks[0])  # lexicon loaded, patterns compiled
        profile = cProfile.Profile() if args.profile else None
        if profile is not None:
            profile.enable()
        cpu, wall = time.process_time(), time.perf_counter()
        for task in tasks:
            build_report(task)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if profile is not None:
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    print(
        f"{len(tasks)} reports: {cpu:.2f} CPU s = {len(tasks) / cpu:.1f} reports per CPU-second "
        f"(wall {wall:.2f} s = {len(tasks) / wall:.1f} reports/s)"
    )


if __name__ == "__main__":
    main()
