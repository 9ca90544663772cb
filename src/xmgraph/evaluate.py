"""Score extracted facts against hand-written gold facts (precision, recall, F1).

Both sides are facts tables (see :data:`xmgraph.model.FACT_COLUMNS`). A predicted row is
right when one gold row has the same entity (by label, or any name the graph knows for
the entity), metric, period, value, unit, year-on-year change, qualifiers and region.
The gold files of a corpus sit beside the reports: ``NAME.txt`` and ``NAME.facts.csv``.

>>> gold = [{"entity_label": "A", "metric": "m", "period": "2024", "value": "1.0", "unit": "CNY"}]
>>> row = dict(gold[0], value="1")
>>> s = score([row], gold)
>>> (s.precision, s.recall)
(1.0, 1.0)
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from xmgraph.model import Period

#: What a name may end with that does not tell two entities apart: a part's word (智能手机业务),
#: a company's legal form (华辰电力股份有限公司, 华辰电力股份).
_SUFFIX = re.compile(r"(业务|分部|板块|業務|板塊|股份有限公司|有限责任公司|有限公司|股份)$")


@dataclass(frozen=True)
class Score:
    """The outcome of one comparison: the right, wrong and missed rows."""

    right: tuple[dict[str, str], ...] = ()
    wrong: tuple[dict[str, str], ...] = ()
    missed: tuple[dict[str, str], ...] = ()
    name: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def precision(self) -> float:
        """Share of predicted rows that are right (1.0 when nothing was predicted)."""
        n = len(self.right) + len(self.wrong)
        return len(self.right) / n if n else 1.0

    @property
    def recall(self) -> float:
        """Share of gold rows that were found (1.0 when gold is empty)."""
        n = len(self.right) + len(self.missed)
        return len(self.right) / n if n else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.right + other.right,
            self.wrong + other.wrong,
            self.missed + other.missed,
            "overall",
        )


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _simplify(text: str) -> str:
    return str(_converter().convert(text))


def _label(text: str) -> str:
    """A name as compared: Simplified, without spaces, pinyin annotations (a gold label written
    as first published: 特發(fā)信息) or a part's word or a legal form at its end (业务,
    股份有限公司), in lower case."""
    from xmgraph.normalize import without_pinyin

    return _SUFFIX.sub("", re.sub(r"\s+", "", _simplify(without_pinyin(text or "")))).lower()


def _dec(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


def _period(text: str) -> object:
    """A period by its first and last day, so that one written two ways agrees (2017-H2 and
    2017-07-01/2017-12-31); the text itself where it is no period code."""
    try:
        return Period(text).bounds()
    except ValueError:
        return text


def _key(row: Mapping[str, str], *, points: bool = False) -> tuple[object, ...]:
    """What must agree: metric, period, value, unit, changes, qualifiers, region (and the change
    in percentage points, ``yoy_pp``, when the gold file has that column)."""
    return (
        _dec(row.get("yoy_pp")) if points else None,
        row.get("metric", ""),
        _period(row.get("period", "")),
        _dec(row.get("value")),
        row.get("unit", ""),
        _dec(row.get("yoy_pct")),
        frozenset((row.get("qualifier") or "").split()),
        row.get("region") or "",
    )


def score(
    predicted: Iterable[Mapping[str, str]],
    gold: Iterable[Mapping[str, str]],
    *,
    names: Mapping[str, Iterable[str]] | None = None,
    name: str = "",
) -> Score:
    """Compare predicted rows with gold rows; ``names`` maps entity IRIs to known names."""
    names = names or {}
    left = [dict(g) for g in gold]
    points = any("yoy_pp" in g for g in left)
    right, wrong = [], []
    for row in predicted:
        labels = {_label(row.get("entity_label", ""))} | {
            _label(n) for n in names.get(row.get("entity", ""), ())
        }
        hit = next(
            (
                g
                for g in left
                if _key(g, points=points) == _key(row, points=points)
                and _label(g.get("entity_label", "")) in labels
            ),
            None,
        )
        if hit is None:
            wrong.append(dict(row))
        else:
            left.remove(hit)
            right.append(dict(row))
    return Score(tuple(right), tuple(wrong), tuple(left), name)


def read_table(path: Path) -> list[dict[str, str]]:
    """Read a facts table (CSV with the contract's header)."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def corpus_pairs(corpus: Path) -> list[tuple[Path, Path]]:
    """Each report of a corpus folder with its gold file, sorted by name."""
    return [
        (txt, txt.with_suffix(".facts.csv"))
        for txt in sorted(corpus.glob("*.txt"))
        if txt.with_suffix(".facts.csv").is_file()
    ]


def evaluate_corpus(corpus: Path, *, only: Iterable[str] | None = None) -> list[Score]:
    """Build each report of ``corpus`` and score it against its gold file."""
    from rdflib import RDFS, SKOS

    from xmgraph.facts import facts_rows
    from xmgraph.namespaces import XMG
    from xmgraph.pipeline import build_graph

    wanted = set(only) if only is not None else None
    scores = []
    for txt, gold in corpus_pairs(corpus):
        if wanted is not None and txt.stem not in wanted:
            continue
        graph = build_graph([txt])
        rows = [r for r in facts_rows(graph) if "derived" not in r["qualifier"].split()]
        names: dict[str, list[str]] = {}
        for row in rows:
            iri = row["entity"]
            if iri not in names:
                from rdflib import URIRef

                node = URIRef(iri)
                names[iri] = [
                    str(o)
                    for p in (RDFS.label, SKOS.altLabel, SKOS.prefLabel, XMG.alias)
                    for o in graph.objects(node, p)
                ]
        scores.append(score(rows, read_table(gold), names=names, name=txt.stem))
    return scores
