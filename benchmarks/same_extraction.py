"""Byte-identical report graphs on real texts: `parallel.build_report` (read, normalize,
extract, build, N-Triples) run by this checkout and by another one on every text of
`tests/data` (the sealed and holdout sets left out) and on fuzzed inputs, each graph's
N-Triples, fact count and warnings hashed and compared::

    git archive bfca9c2 | tar -x -C /tmp/before      # the code before (src, ontology, ...)
    .venv/bin/python benchmarks/same_extraction.py /tmp/before [--fuzz 300]

Each side runs in its own process with its own `src` first on PYTHONPATH and an empty disk
cache. Prints the number of inputs and every one whose hash differs; exit code 1 if any.
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

ROOT = Path(__file__).parents[1]
DATA = ROOT / "tests" / "data"
SKIPPED = ("sealed", "holdout")  #: evaluation sets nobody reads


def inputs(fuzz: int) -> list[tuple[str, bytes]]:
    """The texts of tests/data (sealed and holdout sets left out) and ``fuzz`` fuzzed ones
    under 200 KB (the million-digit ones take seconds each)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import fuzz as fuzzing

    found = [
        (str(p.relative_to(DATA)), p.read_bytes())
        for p in sorted(DATA.rglob("*.txt"))
        if not p.relative_to(DATA).parts[0].startswith(SKIPPED)
    ]
    made = ((f"fuzz-{seed}", fuzzing.make_input(seed)) for seed in range(1, fuzz + 1))
    return found + [(name, data) for name, data in made if len(data) < 200_000]


def hashes(fuzz: int) -> dict[str, str]:
    """Each input's graph hashed (or the code of the error it gave)."""
    from xmgraph.errors import XmgraphError
    from xmgraph.parallel import ReportTask, build_report

    out = {}
    for name, data in inputs(fuzz):
        try:
            graph = build_report(ReportTask.from_bytes("x.txt", data))
        except XmgraphError as exc:
            out[name] = f"error {exc.code}"
            continue
        digest = hashlib.sha256(graph.ntriples)
        digest.update(f"{graph.facts} {graph.triples}\n".encode())
        digest.update("\n".join(graph.warnings).encode())
        out[name] = digest.hexdigest()
    return out


def side(src: Path, fuzz: int, cache: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(src), "XMGRAPH_CACHE_DIR": str(cache)}
    command = [sys.executable, __file__, "--dump", "--fuzz", str(fuzz)]
    result = subprocess.run(command, env=env, check=True, capture_output=True)
    found: dict[str, str] = json.loads(result.stdout)
    return found


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("before", type=Path, nargs="?", help="a checkout of the code before")
    ap.add_argument("--fuzz", type=int, default=300, help="fuzzed inputs (seeds 1..N)")
    ap.add_argument("--dump", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.dump:
        json.dump(hashes(args.fuzz), sys.stdout)
        return 0
    if args.before is None:
        ap.error("the checkout to compare with is needed")
    with tempfile.TemporaryDirectory() as tmp:
        before = side(args.before / "src", args.fuzz, Path(tmp) / "before")
        after = side(ROOT / "src", args.fuzz, Path(tmp) / "after")
    differ = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    for name in differ:
        print(f"differs: {name}: {before.get(name)} -> {after.get(name)}")
    print(f"{len(after)} inputs: {len(after) - len(differ)} byte-identical, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
