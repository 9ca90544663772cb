"""Byte-identical outputs: build the same inputs with this checkout and with another one
(the code before a change) and compare the SHA-256 of everything written.

    git archive c422942 | tar -x -C /tmp/before       # the code before (src, ontology, ...)
    .venv/bin/python benchmarks/same_outputs.py /tmp/before [--reports 300]

Outputs compared: a synthetic corpus (`generate.py`, seed 7) built into .trig and .nq with
2 processes, the same built in two steps (half, then all, with 1 process: the previous
output loaded and the new reports merged in), a folder of per-report N-Quads, and the
bundled report's `xmgraph build -o .ttl` and `xmgraph facts`. Each side runs with its own
`src` first on PYTHONPATH and an empty disk cache.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
REPORT = ROOT / "src" / "xmgraph" / "data" / "xiaomi-2024-annual-results.txt"


def xmgraph(src: Path, cache: Path, *args: str) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(src), "XMGRAPH_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "xmgraph.cli", *args]
    return subprocess.run(command, env=env, check=True, capture_output=True).stdout


def outputs(src: Path, corpus: Path, work: Path) -> dict[str, str]:
    work.mkdir()
    cache, half = work / "cache", work / "half"
    half.mkdir()
    for path in sorted(corpus.glob("*.txt"))[: len(list(corpus.glob("*.txt"))) // 2]:
        shutil.copy(path, half / path.name)
    for suffix in ("trig", "nq"):
        xmgraph(src, cache, "build", str(corpus), "-o", str(work / f"all.{suffix}"), "--jobs", "2")
        xmgraph(src, cache, "build", str(half), "-o", str(work / f"steps.{suffix}"), "--jobs", "1")
        xmgraph(src, cache, "build", str(corpus), "-o", str(work / f"steps.{suffix}"))
    xmgraph(src, cache, "build", str(corpus), "-o", str(work / "folder") + "/", "--jobs", "2")
    xmgraph(src, cache, "build", str(REPORT), "-o", str(work / "report.ttl"))
    (work / "facts.csv").write_bytes(xmgraph(src, cache, "facts", str(REPORT)))
    found = {}
    for path in sorted(work.rglob("*")):
        if path.is_file() and "cache" not in path.parts and "half" not in path.parts:
            found[path.relative_to(work).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("before", type=Path, help="a checkout of the code before (its root)")
    ap.add_argument("--reports", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        generate = [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(corpus)]
        subprocess.run([*generate, "-n", str(args.reports)], check=True, stdout=subprocess.DEVNULL)
        before = outputs(args.before.resolve() / "src", corpus, Path(tmp) / "before")
        after = outputs(ROOT / "src", corpus, Path(tmp) / "after")
    same = before == after
    for name in sorted(set(before) | set(after)):
        mark = "same" if before.get(name) == after.get(name) else "DIFFERENT"
        print(f"{name:40} {after.get(name, '-')[:16]} {mark}")
    print(f"{len(after)} files: {'all byte-identical' if same else 'NOT byte-identical'}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
