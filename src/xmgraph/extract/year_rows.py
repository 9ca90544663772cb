"""Tables with a year a row and a metric a column: a broker's forecast table
(|年份|营业收入(亿元)|增长率(%)|归母净利润(亿元)|… then |2025E|98.6|12.1|15.2|…|), one row a
line or the whole table run into one line."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal

from xmgraph.diskcache import regex
from xmgraph.lexicon import Lexicon, MetricInfo
from xmgraph.lexicon import UnitInfo as Unit
from xmgraph.patterns import Mention, Patterns, alternation, compact, read_digits, sane_figure

#: How far before a row its header is looked for (a table run into one line is long).
LOOKBACK = 3000

_ROW = re.compile(
    r"(?:\||(?m:^))[^\S\n]*(?P<year>(?:19|20)\d{2})\s*"
    r"(?:Q1\s*[-–~]\s*Q?(?P<last>[2-4])|(?P<mark>[A-Za-z]))?\s*\|"
)
_NUMBER = re.compile(r"\s*(?P<num>[-−+]?\d+(?:,\d{3})*(?:\.\d+)?)\s*")
_BRACKET = re.compile(r"\s*[（(](?P<unit>[^()（）]*)[)）]\s*$")


@dataclass(frozen=True)
class Column:
    """What a header cell names: a metric in a unit and scale, or the change of the column
    before it."""

    metric: MetricInfo | None = None
    unit: Unit | None = None
    scale: Decimal = Decimal(1)
    change: bool = False


def _header(lexicon: Lexicon) -> re.Pattern[str]:
    labels = alternation(list(lexicon.cue("year-column-label")))
    return regex(rf"(?:\||(?m:^))[^\S\n]*(?:{labels})\s*\|(?P<cells>(?:[^|\n]*\|)+)")


def _column(cell: str, pats: Patterns, lexicon: Lexicon) -> Column:
    """The column a header cell names (主营收入(亿元), 增长率(%)); an empty Column for one of no
    metric of ours (市盈率(倍), 按最新股本摊薄每股收益(元))."""
    bracket = _BRACKET.search(cell)
    label = compact(cell[: bracket.start()] if bracket else cell)
    if label in lexicon.cue("year-row-change"):
        return Column(change=True)
    metric = pats.metric_by_name.get(label)
    if metric is None or bracket is None:
        return Column()
    written = compact(bracket["unit"])
    scale = Decimal(1)
    for word in sorted(lexicon.scales, key=len, reverse=True):
        if written.startswith(word) and written != word:
            scale, written = lexicon.scales[word], written[len(word) :]
            break
    for per in lexicon.cue("unit-denominator"):  # 每股收益(元/股): a per-share amount in 元
        if written.endswith(per) and metric.kind == "per-share":
            written = written[: -len(per)]
    unit = pats.unit_by_word.get(written)
    return Column(metric, unit, scale) if unit is not None else Column()


def _columns(text: str, end: int, pats: Patterns, lexicon: Lexicon) -> list[Column] | None:
    """The columns of the last header before ``end`` (within :data:`LOOKBACK`), up to its
    first empty or rule cell (| | ---- |)."""
    found = max(
        _header(lexicon).finditer(text, max(0, end - LOOKBACK), end), key=_start, default=None
    )
    if found is None:
        return None
    cells: list[Column] = []
    for cell in found["cells"].split("|")[:-1]:
        if not cell.strip() or set(cell.strip()) <= set("-: "):
            break
        cells.append(_column(cell, pats, lexicon))
    return cells if any(c.metric for c in cells) else None


def _row_period(row: re.Match[str]) -> str:
    """A row's period: its year, or the year's first quarters (2024Q1-3: January-September)."""
    year = row["year"]
    if not row["last"]:
        return year
    last = 3 * int(row["last"])
    return f"{year}-01-01/{year}-{last:02d}-{calendar.monthrange(int(year), last)[1]}"


def _start(m: re.Match[str]) -> int:
    return m.start()


def _cells(text: str, at: int, b: int) -> list[tuple[int, int]]:
    """The spans of the cells of the row whose year cell ends at ``at`` (its closing bar),
    up to the row's end (a line break, or an empty cell: | |2026E|… runs the next row on)."""
    spans = []
    start = at
    while (bar := text.find("|", start + 1, b)) >= 0:
        cell = text[start + 1 : bar]
        if "\n" in cell or not cell.strip():
            break
        spans.append((start + 1, bar))
        start = bar
    return spans


def year_row_cells(text: str, a: int, b: int, pats: Patterns, lexicon: Lexicon) -> list[Mention]:
    """The figures of the rows in ``text[a:b]`` of a table with a year a row: each cell an
    amount of its column's metric and its row's year (``column`` "forecast" for a year marked
    as an estimate, 2025E, else "year-row"), or the change of the cell before it ("row-change")."""
    out: list[Mention] = []
    marks = set(lexicon.cue("estimate-year-mark"))
    for row in _ROW.finditer(text, a, b):
        cols = _columns(text, row.start(), pats, lexicon)
        if cols is None:
            continue
        kind = "forecast" if row["mark"] in marks else "year-row"
        period = _row_period(row)
        for col, (x, y) in zip(cols, _cells(text, row.end() - 1, b), strict=False):
            m = _NUMBER.fullmatch(text, x, y)
            read = sane_figure(read_digits(m["num"]), m["num"]) if m else None
            if m is None or read is None or not (col.metric or col.change):
                continue
            start, end = m.span("num")
            if col.change:
                pct = pats.unit_by_word.get("%")
                out.append(
                    Mention(
                        "quantity",
                        start,
                        end,
                        value=read,
                        unit=pct,
                        percent=True,
                        column="row-change",
                        scaled=True,
                    )
                )
                continue
            assert col.metric is not None
            percent = col.unit is not None and col.unit.code == "percent"
            out.append(
                Mention(
                    "quantity",
                    start,
                    end,
                    value=read * col.scale,
                    unit=col.unit,
                    percent=percent,
                    metric=col.metric,
                    period=period,
                    column=kind,
                    scaled=True,
                )
            )
    return out
