"""The columns of a table written as text, as its header's cells name them: a metric in the
unit and scale its brackets write (营业收入(亿元)), or the change of the column before it
(增长率(%)); shared by the tables of years, of companies and of parts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from xmgraph.lexicon import Lexicon, MetricInfo
from xmgraph.lexicon import UnitInfo as Unit
from xmgraph.patterns import Mention, Patterns, compact, resolve_period

_BRACKET = re.compile(r"\s*[（(](?P<unit>[^()（）]*)[)）]\s*$")
#: A figure cell of a table written as text: a number, its percent sign maybe after it.
FIGURE_CELL = re.compile(r"(?P<num>[-−+]?\d+(?:,\d{3})*(?:\.\d+)?)%?")


@dataclass(frozen=True)
class Column:
    """What a header cell names: a metric in a unit and scale, or the change of the column
    before it."""

    metric: MetricInfo | None = None
    unit: Unit | None = None
    scale: Decimal = Decimal(1)
    change: bool = False
    period: str | None = None  #: the period the header cell opens with (20H1营收: 2020-H1)


def header_column(cell: str, pats: Patterns, lexicon: Lexicon) -> Column:
    """The column a header cell names (主营收入(亿元), 增长率(%)); an empty Column for one of no
    metric of ours (市盈率(倍), 按最新股本摊薄每股收益(元))."""
    period, cell = header_period(cell, pats)
    if period is not None:
        col = header_column(cell, pats, lexicon)
        return Column(col.metric, col.unit, col.scale, col.change, period) if col.metric else col
    bracket = _BRACKET.search(cell)
    label = compact(cell[: bracket.start()] if bracket else cell)
    if label in lexicon.cue("year-row-change") or _metric_change(label, pats, lexicon):
        return Column(change=True)
    metric = pats.metric_by_name.get(label)
    if metric is None or bracket is None:
        return Column()
    scale, written = _scaled(compact(bracket["unit"]), metric, lexicon)
    for per in lexicon.cue("unit-denominator"):  # 每股收益(元/股): a per-share amount in 元
        if written.endswith(per) and metric.kind == "per-share":
            written = written[: -len(per)]
    unit = pats.unit_by_word.get(written)
    if unit is None and not written and metric.kind == "money" and scale != 1:
        return Column(metric, None, scale)  # 营业总收入(百万): in the report's currency
    return Column(metric, unit, scale) if unit is not None else Column()


def column_cell(
    col: Column, span: tuple[int, int], value: Decimal, *, column: str, period: str | None = None
) -> Mention:
    """A cell's figure as its column names it: its metric, in the header's unit and scale."""
    assert col.metric is not None
    return Mention(
        "quantity",
        *span,
        value=value * col.scale,
        unit=col.unit,
        percent=col.unit is not None and col.unit.code == "percent",
        metric=col.metric,
        period=period,
        column=column,
        scaled=True,
    )


def _scaled(written: str, metric: MetricInfo, lexicon: Lexicon) -> tuple[Decimal, str]:
    """The scale a bracket's unit opens with (亿元: 亿) and the rest; an amount's bracket may
    name its scale alone (百万)."""
    for word in sorted(lexicon.scales, key=len, reverse=True):
        if written.startswith(word) and (written != word or metric.kind == "money"):
            return lexicon.scales[word], written[len(word) :]
    return Decimal(1), written


def _metric_change(label: str, pats: Patterns, lexicon: Lexicon) -> bool:
    """A metric's name then a change's word (营收增速, 扣非净利增速): the change of the column
    before it, where that column is of the metric (the caller's rows pair them)."""
    word = next((w for w in lexicon.cue("year-row-change") if label.endswith(w)), None)
    return word is not None and pats.metric_by_name.get(label[: -len(word)]) is not None


#: A year opening a header cell, two digits or four, 年 maybe after it (20H1, 2025年上半年).
_HEADER_YEAR = re.compile(r"\s*(?P<y>(?:19|20)?\d{2})(?P<suffix>\s*年(?:度)?)?")


def header_period(cell: str, pats: Patterns) -> tuple[str | None, str]:
    """The period code a header cell opens with and the rest of the cell: a year and one of the
    lexicon's period words (20H1营收(亿元): 2020-H1, 营收(亿元); 2025Q1-3营收: its first nine
    months), or a year of four digits and 年 alone (2024年归母净利润); (None, cell) where none.

    >>> from xmgraph.lexicon import load_lexicon
    >>> from xmgraph.patterns import compile_patterns
    >>> pats = compile_patterns(load_lexicon())
    >>> header_period("20H1营收(亿元)", pats)
    ('2020-H1', '营收(亿元)')
    >>> header_period("2025Q1-3营收", pats)
    ('2025-01-01/2025-09-30', '营收')
    >>> header_period("2024年归母净利润", pats)
    ('2024', '归母净利润')
    >>> header_period("营收(亿元)", pats)
    (None, '营收(亿元)')
    """
    m = _HEADER_YEAR.match(cell)
    if m is None:
        return None, cell
    year = int(m["y"]) if len(m["y"]) == 4 else 2000 + int(m["y"])
    word = pats.period_word.match(cell, m.end())
    if word is None:
        whole_year = len(m["y"]) == 4 and m["suffix"] and cell[m.end() :].strip()
        return (m["y"], cell[m.end() :]) if whole_year else (None, cell)
    template = pats.period_by_word.get(compact(word.group()))
    period = resolve_period(template, year, None) if template else None
    if period is None or not cell[word.end() :].strip():
        return None, cell
    return period.code, cell[word.end() :]


def change_cell(span: tuple[int, int], value: Decimal, pats: Patterns, *, column: str) -> Mention:
    """A growth column's cell: the change, in percent, of the amount a row's ``column`` kind
    says it is of (row-change: the cell before it)."""
    pct = pats.unit_by_word.get("%")
    return Mention("quantity", *span, value=value, unit=pct, percent=True, column=column)
