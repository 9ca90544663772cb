"""The columns of a table written as text, as its header's cells name them: a metric in the
unit and scale its brackets write (营业收入(亿元)), or the change of the column before it
(增长率(%)); shared by the tables of years, of companies and of parts."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal

from xmgraph.lexicon import Lexicon, MetricInfo
from xmgraph.lexicon import UnitInfo as Unit
from xmgraph.patterns import Mention, Patterns, compact

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
    period, cell = header_period(cell)
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


#: A period opening a header cell: a year with a half or quarter (20H1, 2025Q2, 2025Q1-3) or a
#: year of four digits and 年 (2024年营收).
_HEADER_PERIOD = re.compile(
    r"(?P<y>(?:19|20)?\d{2})(?:(?P<h>H[12])|Q(?P<q>[1-4])(?:-(?P<q2>[1-4]))?)"
    r"|(?P<year>(?:19|20)\d{2})年(?:度)?"
)


def header_period(cell: str) -> tuple[str | None, str]:
    """The period code a header cell opens with and the rest of the cell (20H1营收(亿元):
    2020-H1, 营收(亿元); 2025Q1-3营收: its first nine months); (None, cell) where none.

    >>> header_period("20H1营收(亿元)")
    ('2020-H1', '营收(亿元)')
    >>> header_period("2025Q1-3营收")
    ('2025-01-01/2025-09-30', '营收')
    >>> header_period("2024年归母净利润")
    ('2024', '归母净利润')
    >>> header_period("营收(亿元)")
    (None, '营收(亿元)')
    """
    m = _HEADER_PERIOD.match(cell.strip())
    if m is None or m.end() == len(cell.strip()):
        return None, cell
    rest = cell.strip()[m.end() :]
    if m["year"]:
        return m["year"], rest
    year = int(m["y"]) if len(m["y"]) == 4 else 2000 + int(m["y"])
    if m["h"]:
        return f"{year}-{m['h']}", rest
    if m["q2"]:
        end = 3 * int(m["q2"])
        last = calendar.monthrange(year, end)[1]
        return f"{year}-{3 * int(m['q']) - 2:02d}-01/{year}-{end:02d}-{last:02d}", rest
    return f"{year}-Q{m['q']}", rest


def change_cell(span: tuple[int, int], value: Decimal, pats: Patterns, *, column: str) -> Mention:
    """A growth column's cell: the change, in percent, of the amount a row's ``column`` kind
    says it is of (row-change: the cell before it)."""
    pct = pats.unit_by_word.get("%")
    return Mention("quantity", *span, value=value, unit=pct, percent=True, column=column)
