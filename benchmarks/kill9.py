"""Kill dataset builds with SIGKILL at random moments and check that nothing is lost
(issue 4)::

    .venv/bin/python benchmarks/kill9.py --kills 50

Each round adds a report to the inputs (a development report with a line of its own, so
there is always work) and starts ``xmgraph build INPUTS -o out.trig``, killed (``kill -9``)
after a random delay: while extracting, journaling or writing the output. After each kill
the output, if there is one, must be a whole dataset (it parses, with only input reports),
never torn. At the end one build runs to completion; its output must be byte-identical to a
clean build of the same inputs in another folder, with no temporary file or journal left.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def build(inputs: Path, out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "xmgraph.cli", "build", str(inputs), "-o", str(out)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def reports_in(path: Path) -> set[str]:
    """The report SHA-256s of a dataset file (it must parse)."""
    import pyoxigraph as ox

    sha = ox.NamedNode("https://w3id.org/xmgraph/ont#sha256")
    return {
        q.object.value
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG)
        if q.predicate == sha
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sources = sorted((DATA / "corpus").glob("*.txt")) + sorted((DATA / "dataset").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs, out = root / "inputs", root / "out" / "out.trig"
        inputs.mkdir()
        out.parent.mkdir()
        for path in sources[:4]:
            shutil.copy(path, inputs / path.name)
        started = time.monotonic()
        first = build(inputs, out)
        if first.wait() != 0:
            print(first.stderr.read().decode() if first.stderr else "", file=sys.stderr)
            return 1
        seconds = time.monotonic() - started
        torn = killed_writing = 0
        for round_ in range(args.kills):
            source = sources[round_ % len(sources)]
            (inputs / f"k{round_:03d}_{source.name}").write_bytes(
                source.read_bytes() + f"\n第{round_}轮。\n".encode()
            )
            process = build(inputs, out)
            time.sleep(rng.uniform(0.2, seconds * 1.2))
            process.send_signal(signal.SIGKILL)
            process.wait()
            if any(p.name.endswith(".tmp") for p in out.parent.iterdir()):
                killed_writing += 1  # killed while writing the output: a temporary file left
            if out.exists():
                try:
                    reports_in(out)
                except (SyntaxError, ValueError):
                    torn += 1
        final = build(inputs, out)
        if final.wait() != 0:
            print(final.stderr.read().decode() if final.stderr else "", file=sys.stderr)
            return 1
        clean = root / "clean" / "out.trig"
        clean.parent.mkdir()
        if build(inputs, clean).wait() != 0:
            return 1
        left = sorted(p.name for p in out.parent.iterdir() if p.name != out.name)
        inputs_count = len(list(inputs.glob("*.txt")))
        same = out.read_bytes() == clean.read_bytes()
        reports = len(reports_in(out))
        print(
            f"{args.kills} kills (build {seconds:.1f} s unkilled; {killed_writing} while "
            f"writing the output): torn outputs {torn}; final build {reports} of "
            f"{inputs_count} reports, byte-identical to a clean build: {same}; "
            f"files left beside it: {left or 'none'}"
        )
        lost = inputs_count - reports
        return 0 if same and not torn and not left and not lost else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
