"""Start-up: `xmgraph facts REPORT` as a whole process, with an empty cache (cold) and with
the cache the previous run wrote (warm), best and median of N runs, wall and CPU time.

    .venv/bin/python benchmarks/startup.py [--runs 10] [--report FILE] [--src OTHER/src]

Each run is a fresh process running what the `xmgraph` console script runs (the entry point
`[project.scripts]` names in the checkout's pyproject.toml: `xmgraph.console:main` now,
`xmgraph.cli:main` before it; `python -c "from MODULE import main; main()" facts REPORT`),
stdout to /dev/null, with Python's bytecode cache on (as an installed package has it; the
environment's PYTHONDONTWRITEBYTECODE is removed). `--src` runs another checkout's `src`
folder instead (PYTHONPATH), e.g. the code before the cache: `git worktree add /tmp/before
c422942`.
CPU time (user + sys of the child) is reported beside wall time: on a shared machine it is
the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
REPORT = ROOT / "src" / "xmgraph" / "data" / "xiaomi-2024-annual-results.txt"


def entry_point(pyproject: Path) -> tuple[str, str]:
    """The module and function of the `xmgraph` console script in ``pyproject``."""
    found = re.search(r'^xmgraph = "([\w.]+):(\w+)"', pyproject.read_text(), re.M)
    return (found.group(1), found.group(2)) if found else ("xmgraph.cli", "main")


def run_once(report: Path, env: dict[str, str], entry: tuple[str, str]) -> tuple[float, float]:
    module, function = entry
    script = f"import sys; from {module} import {function}; sys.exit({function}())"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", script, "facts", str(report)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def show(label: str, runs: list[tuple[float, float]]) -> None:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(
        f"{label:5} wall best {min(walls):.3f} s median {statistics.median(walls):.3f} s | "
        f"CPU best {min(cpus):.3f} s median {statistics.median(cpus):.3f} s ({len(runs)} runs)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--report", type=Path, default=REPORT)
    ap.add_argument("--src", type=Path, help="another checkout's src folder (PYTHONPATH)")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("XMGRAPH_NO_CACHE", None)
    entry = entry_point((args.src.resolve().parent if args.src else ROOT) / "pyproject.toml")
    if args.src:
        env["PYTHONPATH"] = str(args.src.resolve())
    with tempfile.TemporaryDirectory() as tmp:
        env["XMGRAPH_CACHE_DIR"] = str(Path(tmp) / "warm")
        run_once(args.report, env, entry)  # bytecode compiled, cache written
        cold = []
        for i in range(args.runs):
            cold_env = {**env, "XMGRAPH_CACHE_DIR": f"{tmp}/cold{i}"}
            cold.append(run_once(args.report, cold_env, entry))
        warm = [run_once(args.report, env, entry) for _ in range(args.runs)]
    print(f"xmgraph facts {args.report.name} ({args.report.stat().st_size:,} bytes)", end=" ")
    print(f"through {':'.join(entry)}")
    show("cold", cold)
    show("warm", warm)


if __name__ == "__main__":
    main()
