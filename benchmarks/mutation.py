"""Mutation testing with mutmut (3.x): how many small bugs planted in a module its tests catch.

Each module group is mutated in a scratch copy of the project (the repository is left alone:
mutmut writes ``mutants/`` and its configuration there), against a fast subset of the tests
that are about it; the score per module and the mutants that survived are printed, and saved
as JSON under ``--out``.

    .venv/bin/pip install -e '.[mutation]'   # mutmut: only this script needs it
    .venv/bin/python benchmarks/mutation.py checks export [--jobs 2] [--out DIR]
    .venv/bin/python benchmarks/mutation.py extract --sample 150 --seed 1   # a random sample
    .venv/bin/python benchmarks/mutation.py extract --survivors DIR --out DIR2  # after new tests
    .venv/bin/python benchmarks/mutation.py --compare DIR DIR2   # the table before/after
    .venv/bin/python benchmarks/mutation.py --list

mutmut 3 mutates every function, and tests a mutant with the selected tests that call its
function; a mutant in a function none of them calls counts as "no tests" (shown apart, not
in the score). ``--sample N`` tests N mutants per module drawn at random (``--seed``) among
those that have tests: the score is then an estimate (its 95 % interval is printed).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[1]

_CHECKS = [
    "src/xmgraph/check_growth.py",
    "src/xmgraph/check_parts.py",
    "src/xmgraph/check_results.py",
    "src/xmgraph/check_run.py",
    "src/xmgraph/check_shares.py",
    "src/xmgraph/consistency.py",
    "src/xmgraph/precision.py",
]
#: the snapshot freezes the facts of every development text: a mutant that changes one fails it
_EXTRACT_TESTS = [
    "tests/test_extract.py",
    "tests/test_extract_stages.py",
    "tests/test_rules.py",
    "tests/test_tagging.py",
    "tests/test_snapshot.py",
]

#: group -> (the files mutated, the tests run against them)
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "checks": (_CHECKS, ["tests/test_consistency.py"]),
    **{Path(f).stem: ([f], ["tests/test_consistency.py"]) for f in _CHECKS},
    "export": (["src/xmgraph/export.py"], ["tests/test_export.py"]),
    "normalize": (["src/xmgraph/normalize.py"], ["tests/test_normalize.py"]),
    "patterns": (["src/xmgraph/patterns.py"], ["tests/test_patterns.py"]),
    "extract": (["src/xmgraph/extract/*.py"], _EXTRACT_TESTS),
    "serve": (
        ["src/xmgraph/serve.py", "src/xmgraph/guard.py"],
        ["tests/test_serve.py", "tests/test_guard.py"],
    ),
    "view": (["src/xmgraph/view.py"], ["tests/test_view.py"]),
}

#: copied into the scratch project (tests/data holds the reports the tests read)
COPIED = ("src", "tests", "ontology", "queries", "pyproject.toml")
#: sealed sets are never copied, so the tests that read them are left out
_NOT_COPIED = [f"tests/test_snapshot.py::test_snapshot[holdout{n}]" for n in (2, 3, 4)]

#: mutmut's exit codes (mutmut/stats.py) as this script counts them
KILLED, SURVIVED, NO_TESTS, TIMEOUT = "killed", "survived", "no tests", "timeout"
_STATUS = {1: KILLED, 3: KILLED, 0: SURVIVED, 5: NO_TESTS, 33: NO_TESTS, 36: TIMEOUT}
_STATUS.update({c: TIMEOUT for c in (-24, 24, 152, 255)})
_NO_MATCH = "xmgraph.no_such_function__mutmut_0"

#: added to the scratch copy's tests/conftest.py: xmgraph keeps what it derives from the
#: lexicon and ontology (lexicon, compiled patterns) in functools caches, and mutmut forks
#: each mutant's process from one that has imported the tests; a cache filled there would
#: hide the mutant that computes it, so the caches are emptied when a session starts.
_CONFTEST = """

@pytest.fixture(scope="session", autouse=True)
def _mutation_fresh_session():
    import sys

    for name, module in list(sys.modules.items()):
        if name == "xmgraph" or name.startswith("xmgraph."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear) and getattr(value, "__module__", "") == name:
                    clear()
"""


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def _scratch(
    group: str,
    base: Path,
    select: str | None,
    tests: list[str] | None,
    only: list[str] | None = None,
) -> Path:
    """A copy of the project with a [tool.mutmut] section for ``group`` (``select``: a
    pytest ``-k`` expression that narrows the tests run; ``tests``: other test files;
    ``only``: the files mutated, instead of the group's)."""
    files, chosen = GROUPS[group]
    files = list(only or files)
    chosen = list(tests or chosen)
    for test in _NOT_COPIED:
        if test.split("::")[0] in chosen:
            chosen += ["--deselect", test]
    if select:
        chosen = [*chosen, "-k", select]
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
    with (work / "tests" / "conftest.py").open("a", encoding="utf-8") as f:
        f.write(_CONFTEST)
    config = (
        "\n[tool.mutmut]\n"
        'source_paths = ["src/"]\n'
        f"only_mutate = {_toml_list(files)}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(chosen)}\n"
        'pytest_add_cli_args = ["-p", "no:randomly", "-p", "no:cacheprovider", "-q"]\n'
        'also_copy = ["ontology/", "queries/", "tests/"]\n'
    )
    with (work / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write(config)
    return work


def _module(meta: Path, work: Path) -> str:
    """``mutants/src/xmgraph/extract/fact.py.meta`` -> ``extract/fact``."""
    rel = meta.relative_to(work / "mutants" / "src" / "xmgraph").as_posix()
    return rel.removesuffix(".py.meta")


def _exit_codes(work: Path) -> dict[str, dict[str, int | None]]:
    """module -> mutant -> mutmut's exit code (None: not run)."""
    found: dict[str, dict[str, int | None]] = {}
    for meta in sorted((work / "mutants" / "src").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if codes:
            found[_module(meta, work)] = codes
    return found


def _with_tests(work: Path, names: list[str]) -> list[str]:
    """The mutants among ``names`` whose function some selected test calls."""
    stats = json.loads((work / "mutants" / "mutmut-stats.json").read_text(encoding="utf-8"))
    called = {k for k, v in stats["tests_by_mangled_function_name"].items() if v}
    return [n for n in names if n.replace("__init__.", "").partition("__mutmut_")[0] in called]


def _mutmut(work: Path, args: list[str]) -> None:
    mutmut = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or "mutmut"
    # no disk cache: a value the clean run saved would hide the mutant that computes it
    env = dict(os.environ, PYTHONHASHSEED="0", XMGRAPH_NO_CACHE="1")
    with (work / "mutmut.log").open("a", encoding="utf-8") as log:  # its progress spinner
        subprocess.run([mutmut, *args], cwd=work, env=env, check=False, stdout=log, stderr=log)


def _draw(work: Path, sample: int, seed: int) -> list[str]:
    """``sample`` mutants of each module, drawn at random among those with tests."""
    chosen: list[str] = []
    for module, codes in _exit_codes(work).items():
        pool = _with_tests(work, sorted(codes))
        rng = random.Random(f"{seed}:{module}")
        chosen += rng.sample(pool, min(sample, len(pool)))
    return sorted(chosen)


def _run_mutmut(work: Path, jobs: int, names: list[str] | None) -> None:
    """Run mutmut in ``work`` on every mutant, or on ``names`` only."""
    if names is None:
        _mutmut(work, ["run", "--max-children", str(jobs)])
    elif names:
        _mutmut(work, ["run", "--max-children", str(jobs), *names])


def _prepare(work: Path, jobs: int) -> None:
    """Generate the mutants and map the tests to functions, testing none (a name that
    matches nothing: mutmut stops there); then widen the map (:func:`_widen`)."""
    _mutmut(work, ["run", "--max-children", str(jobs), _NO_MATCH])
    _widen(work / "mutants" / "mutmut-stats.json")


def _widen(path: Path) -> None:
    """Test a function with every selected test in the files of the tests that call it.

    mutmut runs a mutant against the tests that called its function while it mapped them;
    a function called through a cached value (a module-scoped fixture such as the compiled
    patterns, an lru_cache) is seen called by the first test that built it only, and its
    mutants would meet that one test: they would survive tests that do catch them."""
    stats = json.loads(path.read_text(encoding="utf-8"))
    by_file: dict[str, set[str]] = {}
    for test in stats["duration_by_test"]:
        by_file.setdefault(test.split("::")[0], set()).add(test.removeprefix("mutants/"))
    mapped = stats["tests_by_mangled_function_name"]
    for function, tests in mapped.items():
        files = {t.split("::")[0] for t in tests}
        mapped[function] = sorted(set(tests).union(*(by_file.get(f, set()) for f in files)))
    path.write_text(json.dumps(stats), encoding="utf-8")


def _count(
    codes: dict[str, int | None], chosen: set[str] | None, tested: set[str]
) -> dict[str, object]:
    """Counts, score and survivors of one module's mutants (``chosen``: the sample;
    ``tested``: those whose function a selected test calls)."""
    tally: Counter[str] = Counter()
    survivors = []
    for name, code in codes.items():
        if name not in tested:
            status = NO_TESTS
        elif chosen is not None and name not in chosen:
            status = "not sampled"
        else:
            status = "not checked" if code is None else _STATUS.get(code, "suspicious")
        tally[status] += 1
        if status == SURVIVED:
            survivors.append(name)
    done = tally[KILLED] + tally[TIMEOUT] + tally[SURVIVED]
    score = (tally[KILLED] + tally[TIMEOUT]) / done if done else None
    return {"mutants": len(codes), **tally, "score": score, "survivors": sorted(survivors)}


def interval(killed: int, tested: int) -> tuple[float, float]:
    """Wilson's 95 % interval of a proportion ``killed / tested``."""
    if not tested:
        return (0.0, 1.0)
    z, p = 1.96, killed / tested
    mid = (p + z * z / (2 * tested)) / (1 + z * z / tested)
    half = z * math.sqrt(p * (1 - p) / tested + z * z / (4 * tested**2)) / (1 + z * z / tested)
    return (max(0.0, mid - half), min(1.0, mid + half))


def _names(work: Path, opts: argparse.Namespace, group: str) -> list[str] | None:
    """The mutants to test: all (None), a sample, or the survivors of an earlier run."""
    if opts.survivors is not None:
        earlier = json.loads((opts.survivors / f"{group}.json").read_text(encoding="utf-8"))
        return sorted(n for m in earlier["modules"].values() for n in m["survivors"])
    if opts.sample is None:
        return None
    return _draw(work, opts.sample, opts.seed)


def run_group(group: str, base: Path, opts: argparse.Namespace) -> dict[str, object]:
    """Run mutmut on one group; its counts, score and survivors per module."""
    work = _scratch(group, base, opts.select, opts.tests, opts.files)
    _prepare(work, opts.jobs)
    names = _names(work, opts, group)
    _run_mutmut(work, opts.jobs, names)
    found = _exit_codes(work)
    tested = set(_with_tests(work, [n for codes in found.values() for n in codes]))
    if opts.survivors is not None:
        return _after(group, opts, found, tested)
    picked = set(names) if names is not None else None
    modules = {m: _count(c, picked, tested) for m, c in found.items()}
    return {
        "group": group,
        "select": opts.select,
        "sample": opts.sample,
        "seed": opts.seed,
        "modules": modules,
    }


def _after(
    group: str,
    opts: argparse.Namespace,
    found: dict[str, dict[str, int | None]],
    tested: set[str],
) -> dict[str, object]:
    """An earlier run's result with its survivors tested again (the tests since added
    may kill them; the mutants it killed stay killed, tests being only added)."""
    earlier = json.loads((opts.survivors / f"{group}.json").read_text(encoding="utf-8"))
    for module, r in earlier["modules"].items():
        again = _count({n: found[module].get(n) for n in r["survivors"]}, None, tested)
        r[KILLED] = r.get(KILLED, 0) + again.get(KILLED, 0)
        r[TIMEOUT] = r.get(TIMEOUT, 0) + again.get(TIMEOUT, 0)
        r[SURVIVED] = again.get(SURVIVED, 0)
        r["survivors"] = again["survivors"]
        done = r[KILLED] + r[TIMEOUT] + r[SURVIVED]
        r["score"] = (r[KILLED] + r[TIMEOUT]) / done if done else None
    return earlier


def _row(module: str, r: dict[str, object]) -> str:
    killed = int(r.get(KILLED, 0)) + int(r.get(TIMEOUT, 0))  # type: ignore[call-overload]
    tested = killed + int(r.get(SURVIVED, 0))  # type: ignore[call-overload]
    low, high = interval(killed, tested)
    score = f"{killed / tested:.1%} ({low:.0%}-{high:.0%})" if tested else "n/a"
    return (
        f"| {module} | {r['mutants']} | {r.get(NO_TESTS, 0)} | {tested} | {killed} | "
        f"{r.get(SURVIVED, 0)} | {score} |"
    )


def table(results: list[dict[str, object]]) -> str:
    """A markdown table: one row per module of every group run."""
    lines = [
        "| module | mutants | no tests | tested | killed | survived | score (95 % interval) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        for module, r in result["modules"].items():  # type: ignore[attr-defined]
            lines.append(_row(module, r))
    return "\n".join(lines)


def _score(r: dict[str, Any], *, spread: bool = False) -> str:
    """``killed/tested = score`` (``spread``: and its 95 % interval)."""
    killed = r.get(KILLED, 0) + r.get(TIMEOUT, 0)
    tested = killed + r.get(SURVIVED, 0)
    if not tested:
        return "n/a"
    low, high = interval(killed, tested)
    return f"{killed}/{tested} = {killed / tested:.1%}" + (
        f" ({low:.0%}-{high:.0%})" if spread else ""
    )


def compare(before: Path, after: Path) -> str:
    """A markdown table of the score per module before and after (the JSON that ``--out``
    saved, and that ``--survivors`` saved after new tests)."""
    lines = [
        "| module | mutants | no tests | sampled | before: killed | after: killed (95 % interval)"
        " | left |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for path in sorted(before.glob("*.json")):
        old = json.loads(path.read_text(encoding="utf-8"))["modules"]
        later = after / path.name
        new = json.loads(later.read_text(encoding="utf-8"))["modules"] if later.exists() else {}
        for module, r in old.items():
            n = new.get(module, {})
            sampled = r.get(KILLED, 0) + r.get(TIMEOUT, 0) + r.get(SURVIVED, 0)
            left = n.get(SURVIVED, "") if n else ""
            lines.append(
                f"| {module} | {r['mutants']} | {r.get(NO_TESTS, 0)} | {sampled} | "
                f"{_score(r)} | {_score(n, spread=True) if n else 'n/a'} | {left} |"
            )
    return "\n".join(lines)


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("groups", nargs="*", help=f"of {', '.join(GROUPS)}")
    ap.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    ap.add_argument("--out", type=Path, default=None, help="save GROUP.json here")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (kept)")
    ap.add_argument("--list", action="store_true", help="list the groups and exit")
    ap.add_argument("--sample", type=int, default=None, help="test N random mutants per module")
    ap.add_argument("--seed", type=int, default=0, help="of the sample")
    ap.add_argument(
        "--survivors",
        type=Path,
        default=None,
        help="test again only the survivors saved in DIR/GROUP.json by an earlier --out",
    )
    ap.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("BEFORE", "AFTER"),
        default=None,
        help="print the before/after table of two --out folders and exit",
    )
    ap.add_argument("--tests", nargs="+", default=None, help="test files instead of the group's")
    ap.add_argument(
        "--files",
        nargs="+",
        default=None,
        help="only these of the group's files mutated (e.g. src/xmgraph/extract/fact.py)",
    )
    ap.add_argument(
        "-k",
        dest="select",
        default=None,
        help="only the tests pytest -k selects (e.g. 'not seed': the fast ones; a lower bound)",
    )
    return ap.parse_args()


def main() -> None:
    args = _args()
    if args.compare:
        print(compare(*args.compare))
        return
    if args.list or not args.groups:
        for name, (files, tests) in GROUPS.items():
            print(f"{name}: {' '.join(files)}  <-  {' '.join(tests)}")
        return
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        sys.exit(f"unknown group(s) {', '.join(unknown)}: use --list")
    base = args.work or Path(tempfile.mkdtemp(prefix="xmgraph-mutation-"))
    results = []
    for group in args.groups:
        result = run_group(group, base, args)
        results.append(result)
        for module, r in result["modules"].items():  # type: ignore[attr-defined]
            for name in r["survivors"]:
                print(f"  {module}: survived: {name}")
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{group}.json").write_text(
                json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8"
            )
    print(table(results))


if __name__ == "__main__":
    main()
