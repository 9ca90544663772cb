"""Time and steps of read, normalize and extract on one big report (linear time, issue 1).

Writes a report of about ``--mb`` megabytes (the bundled Xiaomi report repeated, or
``--random`` rare and common ideographs without punctuation, the realignment's worst case)
and runs read -> normalize -> context -> extract on it, stage by stage; with ``--build`` it
then runs ``xmgraph build`` on it too (measure that with ``/usr/bin/time -v``); with
``--write .trig`` it times the output's stages too (the rows, the block and journal entry)::

    .venv/bin/python benchmarks/big_report.py --mb 10
    .venv/bin/python benchmarks/big_report.py --mb 2 --write .trig
    /usr/bin/time -v .venv/bin/python benchmarks/big_report.py --mb 10 --random
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xmgraph import resources
from xmgraph.build import rare_collections


def make_report(path: Path, megabytes: float, *, rare: bool) -> int:
    """Write the big report; its size in bytes."""
    target = int(megabytes * 1_000_000)
    if rare:
        rng = random.Random(0)
        chars = target // 3
        data = "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(chars)).encode()
    else:
        base = resources.demo_report().read_bytes()
        data = base * max(1, target // len(base))
    path.write_bytes(data)
    return len(data)


def run_stages(path: Path, write: str = "") -> dict[str, float]:
    """Seconds of each stage on the report at ``path``: wall, and CPU (``cpu-<stage>``: on
    a shared machine the steady figure); with ``write`` (``.trig`` or ``.nq``) the output's
    too (:func:`write_stages`)."""
    from xmgraph.context import add_context
    from xmgraph.extract import extract
    from xmgraph.lexicon import load_lexicon
    from xmgraph.normalize import normalize
    from xmgraph.read import read_report

    lexicon = load_lexicon()
    times: dict[str, float] = {}
    started, cpu = time.perf_counter(), time.process_time()
    report = read_report(path)
    times["read"] = time.perf_counter() - started
    times["cpu-read"] = time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    doc = normalize(report, vocabulary=lexicon.vocabulary)
    times["normalize"] = time.perf_counter() - started
    times["cpu-normalize"] = time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    doc = add_context(doc, lexicon)
    times["context"] = time.perf_counter() - started
    times["cpu-context"] = time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    extraction = extract(doc, lexicon)
    times["extract"] = time.perf_counter() - started
    times["cpu-extract"] = time.process_time() - cpu
    times["facts"] = len(extraction.facts)
    if write:
        times.update(write_stages(extraction, write))
    return times


def write_stages(extraction, suffix: str) -> dict[str, float]:
    """CPU seconds of a dataset build's output for the report: its rows (``built_rows``,
    sorted chunks spilled) and its block and journal entry (``spill_report``)."""
    import shutil

    from xmgraph.build import built_rows
    from xmgraph.dataset import spill_report
    from xmgraph.export import SortedRows

    times: dict[str, float] = {}
    rows = SortedRows()
    cpu = time.process_time()
    built_rows([extraction], rows)
    times["cpu-rows"] = time.process_time() - cpu
    cpu = time.process_time()
    spill = spill_report(rows, extraction.report.sha256, suffix)
    times["cpu-write"] = time.process_time() - cpu
    times["quads"] = spill.quads
    shutil.rmtree(spill.folder)
    rows.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of the report in MB")
    parser.add_argument("--random", action="store_true", help="random ideographs instead")
    parser.add_argument("--build", action="store_true", help="also run `xmgraph build` on it")
    parser.add_argument("--keep", type=Path, help="write the report here (and keep it)")
    parser.add_argument(
        "--write", choices=(".trig", ".nq"), help="also time the rows and the dataset block"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "big.txt"
        size = make_report(path, args.mb, rare=args.random)
        with rare_collections():  # as xmgraph build runs them
            times = run_stages(path, args.write or "")
        stages = ("read", "normalize", "context", "extract")
        line = ", ".join(f"{k} {times[k]:.1f} s" for k in stages)
        line += " (wall); CPU " + ", ".join(f"{k} {times['cpu-' + k]:.1f} s" for k in stages)
        print(f"{size} bytes: {line}; {int(times['facts'])} facts")
        if args.write:
            print(
                f"CPU rows {times['cpu-rows']:.1f} s, block and journal {times['cpu-write']:.1f} s"
                f" ({int(times['quads'])} quads, {args.write})"
            )
        if args.build:
            out = Path(tmp) / "big.ttl"
            command = [sys.executable, "-m", "xmgraph.cli", "--max-size", "50MB", "build"]
            started = time.perf_counter()
            subprocess.run([*command, str(path), "-o", str(out), "--force"], check=True)
            print(f"xmgraph build: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
