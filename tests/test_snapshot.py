"""The extraction snapshot: every evaluation text gives, byte for byte, the facts, entities and
roles frozen in ``tests/data/snapshot/`` (made by the code before the rule engine).

Refreeze (after a change whose new facts were checked against the gold, in a commit of its
own that says why): ``.venv/bin/python tests/test_snapshot.py --freeze``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from xmgraph.model import Extraction
from xmgraph.pipeline import extract_report

DATA = Path(__file__).parent / "data"
SNAPSHOT = DATA / "snapshot"
SETS = ("corpus", "dev3", "dev4", "dev5", "dev6", "holdout2", "holdout3", "holdout4")


def _reports() -> dict[str, list[Path]]:
    out = {"seed": [Path(__file__).parents[1] / "src/xmgraph/data/xiaomi-2024-annual-results.txt"]}
    for name in SETS:
        out[name] = sorted((DATA / name).glob("*.txt"))
    return out


def dump(extraction: Extraction) -> str:
    """One JSON line per fact, entity and role of an extraction (stable, sorted keys)."""
    lines = []
    for f in extraction.facts:
        row = {
            "entity": f.entity.iri,
            "metric": f.metric,
            "period": f.period.code,
            "value": str(f.value),
            "unit": f.unit,
            "yoy": None if f.yoy_pct is None else str(f.yoy_pct),
            "qoq": None if f.qoq_pct is None else str(f.qoq_pct),
            "qualifiers": list(f.qualifiers),
            "region": f.region,
            "source": [f.source.start, f.source.end],
        }
        lines.append("F " + json.dumps(row, ensure_ascii=False, sort_keys=True))
    for e in extraction.entities:
        row = {"iri": e.iri, "kind": e.kind, "label": e.label, "parent": e.parent}
        lines.append("E " + json.dumps(row, ensure_ascii=False, sort_keys=True))
    for r in extraction.roles:
        row = {"person": r.person.iri, "role": r.role, "org": r.organization}
        lines.append("R " + json.dumps(row, ensure_ascii=False, sort_keys=True))
    return "\n".join(lines) + "\n"


def snapshot_of(paths: list[Path]) -> str:
    return "".join(f"# {p.name}\n" + dump(extract_report(p)) for p in paths)


@pytest.mark.parametrize("name", ["seed", *SETS])
def test_snapshot(name):
    """The facts of each set are those frozen before the rule engine (or since, with a reason)."""
    want = (SNAPSHOT / f"{name}.txt").read_text(encoding="utf-8")
    got = snapshot_of(_reports()[name])
    assert got.splitlines() == want.splitlines()


if __name__ == "__main__" and sys.argv[1:] == ["--freeze"]:
    for name, paths in _reports().items():
        (SNAPSHOT / f"{name}.txt").write_text(snapshot_of(paths), encoding="utf-8")
