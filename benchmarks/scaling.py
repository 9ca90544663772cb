"""Parallel scaling of `build_dataset`: reports/s for 1, 2, 4, 8, 16 processes, and the
serial fraction measured from the driver's and the workers' own times (Amdahl), so that a
small machine predicts a large one.

    .venv/bin/python benchmarks/scaling.py [--reports 4000] [--jobs 1 2 4 8 16] [--out .trig]

A synthetic corpus (`generate.py`, seed 7) is written once to a temporary folder (or
`--corpus DIR`), then built into `--out` (a .trig or .nq file, or `dir/` for one file per
report) with each `--jobs` in a fresh process (the disk cache warm). For each run:

* wall: the whole `build_dataset` call; reports/s = reports / wall;
* workers: the sum of the reports' own CPU times (`ReportGraph.cpu`: read, normalize,
  extract, build, serialize), the parallel work W;
* driver: the CPU time of the driving process (user + sys) during the build, less W with
  one process: the serial part S (hashing inputs, merging, sorting, writing);
* serial fraction s = S / (S + W); predicted speed-up on N cores 1 / (s + (1 - s) / N)
  (Amdahl), predicted reports/s = N-core speed-up x reports / W (the rate of one core).
  CPU times, not wall times, so that a shared or small machine predicts a large quiet
  one; the prediction is taken from the first run with more than one process (its driver
  does nothing else).

The outputs of every run are hashed: they must all be byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent

_ONE_RUN = r"""
import json, resource, sys, time
from pathlib import Path
from xmgraph.dataset import build_dataset
from xmgraph.parallel import ReportGraph
import xmgraph.parallel as parallel

seconds = []
original = parallel.run_reports
def counted(*args, **kwargs):
    for result in original(*args, **kwargs):
        seconds.append(result.cpu)
        yield result
import xmgraph.dataset as dataset
dataset.run_reports = counted
corpus, out, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
before = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
summary = build_dataset([corpus], output=out, jobs=jobs, force=True)
wall = time.perf_counter() - t0
after = resource.getrusage(resource.RUSAGE_SELF)
driver = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(json.dumps({"jobs": jobs, "wall": wall, "driver": driver, "workers": sum(seconds),
                  "reports": summary.added, "quads": summary.quads}))
"""


def digest(path: Path) -> str:
    h = hashlib.sha256()
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    for f in files:
        if f.is_file():
            name = f.relative_to(path).as_posix() if path.is_dir() else ""
            h.update(name.encode() + f.read_bytes())
    return h.hexdigest()[:16]


def _serial(run: dict) -> float:
    """S / (S + W): with one process the workers' time is inside the driver's."""
    driver = run["driver"] - (run["workers"] if run["jobs"] == 1 else 0.0)
    return max(driver, 0.0) / (max(driver, 0.0) + run["workers"])


def amdahl(serial: float, n: int) -> float:
    return 1.0 / (serial + (1.0 - serial) / n)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=4000)
    ap.add_argument("--jobs", type=int, nargs="*", default=[1, 2, 4, 8, 16])
    ap.add_argument("--out", default=".trig", help=".trig, .nq or dir/ (one file per report)")
    ap.add_argument("--corpus", type=Path, help="an existing corpus folder")
    ap.add_argument("--predict", type=int, nargs="*", default=[2, 4, 8, 16, 32])
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus"
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(corpus), "-n", str(args.reports)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        runs, hashes = [], set()
        for jobs in args.jobs:
            out = Path(tmp) / (f"out{jobs}/" if args.out.endswith("/") else f"out{jobs}{args.out}")
            done = subprocess.run(
                [sys.executable, "-c", _ONE_RUN, str(corpus), str(out), str(jobs)],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            )
            run = json.loads(done.stdout.strip().splitlines()[-1])
            run["hash"] = digest(out)
            hashes.add(run["hash"])
            runs.append(run)
            serial = _serial(run)
            print(
                f"{jobs:>3} processes: {run['reports']} reports in {run['wall']:.1f} s = "
                f"{run['reports'] / run['wall']:.1f} reports/s; driver {run['driver']:.1f} s, "
                f"workers {run['workers']:.1f} s; serial fraction {serial:.1%}; "
                f"output {run['hash']}",
                flush=True,
            )
    print("outputs byte-identical:", "yes" if len(hashes) == 1 else f"NO ({len(hashes)} hashes)")
    base = next((r for r in runs if r["jobs"] > 1), runs[0])  # a driver of its own
    serial = _serial(base)
    per_core = base["reports"] / base["workers"]
    print(
        f"from the {base['jobs']}-process run: serial fraction {serial:.2%}, "
        f"{per_core:.1f} reports/s per core"
    )
    for n in args.predict:
        print(
            f"  predicted on {n:>2} cores: x{amdahl(serial, n):.1f} = "
            f"{per_core * amdahl(serial, n):.0f} reports/s"
        )
    print(json.dumps(runs))


if __name__ == "__main__":
    main()
