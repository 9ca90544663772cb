"""Mutation testing with mutmut (3.x): how many small bugs planted in a module its tests catch.

Each module group is mutated in a scratch copy of the project (the repository is left alone:
mutmut writes ``mutants/`` and its configuration there), against a fast subset of the tests
that are about it; the score per group and the mutants that survived are printed, and saved
as JSON under ``--out``.

    .venv/bin/pip install -e '.[mutation]'   # mutmut: only this script needs it
    .venv/bin/python benchmarks/mutation.py checks export [--jobs 2] [--out DIR]
    .venv/bin/python benchmarks/mutation.py --list

mutmut 3 mutates only functions that the selected tests call, one mutant at a time in forked
workers; a group of a few hundred mutants takes minutes on two cores, extract and serve much
longer.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).parents[1]

#: group -> (the files mutated, the tests run against them)
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "checks": (
        [
            "src/xmgraph/check_growth.py",
            "src/xmgraph/check_shares.py",
            "src/xmgraph/check_parts.py",
            "src/xmgraph/check_results.py",
            "src/xmgraph/check_run.py",
        ],
        ["tests/test_consistency.py"],
    ),
    "check_growth": (["src/xmgraph/check_growth.py"], ["tests/test_consistency.py"]),
    "check_shares": (["src/xmgraph/check_shares.py"], ["tests/test_consistency.py"]),
    "precision": (["src/xmgraph/precision.py"], ["tests/test_consistency.py"]),
    "export": (["src/xmgraph/export.py"], ["tests/test_export.py", "tests/test_cli.py"]),
    "normalize": (["src/xmgraph/normalize.py"], ["tests/test_normalize.py"]),
    "patterns": (["src/xmgraph/patterns.py"], ["tests/test_patterns.py"]),
    "extract": (["src/xmgraph/extract/*.py"], ["tests/test_extract.py", "tests/test_rules.py"]),
    "serve": (["src/xmgraph/serve.py"], ["tests/test_serve.py"]),
    "view": (["src/xmgraph/view.py"], ["tests/test_view.py"]),
}

#: copied into the scratch project (tests/data holds the reports the tests read)
COPIED = ("src", "tests", "ontology", "queries", "pyproject.toml")


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def _scratch(group: str, base: Path, select: str | None) -> Path:
    """A copy of the project with a [tool.mutmut] section for ``group`` (``select``: a
    pytest ``-k`` expression that narrows the tests run)."""
    files, tests = GROUPS[group]
    if select:
        tests = [*tests, "-k", select]
    work = base / group
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc", "sealed5", "holdout*")
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=ignore)
        else:
            shutil.copy2(src, work / name)
    config = (
        "\n[tool.mutmut]\n"
        'source_paths = ["src/"]\n'
        f"only_mutate = {_toml_list(files)}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:randomly", "-p", "no:cacheprovider", "-q"]\n'
        'also_copy = ["ontology/", "queries/", "tests/"]\n'
    )
    with (work / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write(config)
    return work


def run_group(group: str, base: Path, jobs: int, select: str | None) -> dict[str, object]:
    """Run mutmut on one group; its counts, score and survivors."""
    work = _scratch(group, base, select)
    mutmut = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or "mutmut"
    env = dict(os.environ, PYTHONHASHSEED="0")
    subprocess.run([mutmut, "run", "--max-children", str(jobs)], cwd=work, env=env, check=False)
    subprocess.run([mutmut, "export-cicd-stats"], cwd=work, env=env, check=False)
    stats = json.loads((work / "mutants" / "mutmut-cicd-stats.json").read_text(encoding="utf-8"))
    listed = subprocess.run(
        [mutmut, "results"], cwd=work, env=env, capture_output=True, text=True, check=False
    ).stdout
    survivors = sorted(
        line.split(":")[0].strip() for line in listed.splitlines() if line.endswith(": survived")
    )
    tested = stats.get("killed", 0) + stats.get("survived", 0)
    score = stats.get("killed", 0) / tested if tested else None
    return {"group": group, "select": select, **stats, "score": score, "survivors": survivors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("groups", nargs="*", help=f"of {', '.join(GROUPS)}")
    ap.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    ap.add_argument("--out", type=Path, default=None, help="save GROUP.json here")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (kept)")
    ap.add_argument("--list", action="store_true", help="list the groups and exit")
    ap.add_argument(
        "-k",
        dest="select",
        default=None,
        help="only the tests pytest -k selects (e.g. 'not seed': the fast ones; a lower bound)",
    )
    args = ap.parse_args()
    if args.list or not args.groups:
        for name, (files, tests) in GROUPS.items():
            print(f"{name}: {' '.join(files)}  <-  {' '.join(tests)}")
        return
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        sys.exit(f"unknown group(s) {', '.join(unknown)}: use --list")
    base = args.work or Path(tempfile.mkdtemp(prefix="xmgraph-mutation-"))
    for group in args.groups:
        result = run_group(group, base, args.jobs, args.select)
        score = result["score"]
        shown = f"{score:.1%}" if isinstance(score, float) else "n/a"
        print(
            f"{group}: score {shown}: killed {result.get('killed')}, survived "
            f"{result.get('survived')}, total {result.get('total')}, no tests "
            f"{result.get('no_tests')}, timeout {result.get('timeout')}"
        )
        for name in result["survivors"]:  # type: ignore[union-attr]
            print(f"  survived: {name}")
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{group}.json").write_text(
                json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8"
            )


if __name__ == "__main__":
    main()
