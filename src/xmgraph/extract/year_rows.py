"""Tables of years in a broker's note, one row a line or the whole table run into one line:
with a year a row and a metric a column (|年份|营业收入(亿元)|增长率(%)|… then
|2025E|98.6|12.1|…|), or with a metric a row and a year a column (|指标|2024A|2025E|… then
|营业总收入(百万)|6,210|6,482|…| and its growth row |同比增速(%)|-12.4%|4.4%|…|)."""

from __future__ import annotations

import calendar
import dataclasses
import re
from decimal import Decimal

from xmgraph.columns import Column, column_cell, header_column
from xmgraph.diskcache import regex
from xmgraph.lexicon import Lexicon
from xmgraph.patterns import Mention, Patterns, alternation, read_digits, sane_figure

#: How far before a row its header is looked for (a table run into one line is long).
LOOKBACK = 3000

_ROW = re.compile(
    r"(?:\||(?m:^))[^\S\n]*(?P<year>(?:19|20)\d{2})\s*"
    r"(?:Q1\s*[-–~]\s*Q?(?P<last>[2-4])|(?P<mark>[A-Za-z]))?\s*\|"
)
_NUMBER = re.compile(r"\s*(?P<num>[-−+]?\d+(?:,\d{3})*(?:\.\d+)?)\s*")
#: A cell of a year-column table: a number, its sign apart (| - 215|), a percent sign after it.
_CELL = re.compile(r"\s*(?P<sign>[-−+]?)\s*(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*%?\s*")
#: What stands between two rows of a table: bars, spaces, line breaks.
_BETWEEN_ROWS = re.compile(r"[\s|]*")
#: A header cell naming a year, marked as actual or estimated or not (2024A, 2025E).
_YEAR_CELL = re.compile(r"\s*(?P<year>(?:19|20)\d{2})\s*(?P<mark>[A-Za-z])?\s*")


def _header(lexicon: Lexicon) -> re.Pattern[str]:
    labels = alternation(list(lexicon.cue("year-column-label")))
    return regex(rf"(?:\||(?m:^))[^\S\n]*(?:{labels})\s*\|(?P<cells>(?:[^|\n]*\|)+)")


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
        cells.append(header_column(cell, pats, lexicon))
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
            out.append(column_cell(col, (start, end), read, column=kind, period=period))
    return out


def _year_header(lexicon: Lexicon) -> re.Pattern[str]:
    labels = alternation([*lexicon.cue("year-column-label"), *lexicon.cue("metric-row-label")])
    return regex(rf"(?:\||(?m:^))[^\S\n]*(?:{labels})\s*(?=\|)")


def _row_spans(text: str, at: int, b: int) -> list[tuple[int, int]] | None:
    """The cells of the row that opens at the first bar after ``at`` (past spaces, line breaks
    and the empty cell that runs one row into the next: | |); None where no row opens there."""
    past = _BETWEEN_ROWS.match(text, at, b)
    pos = past.end() if past is not None else at
    if pos > at and text[pos - 1] == "|":
        return _cells(text, pos - 1, b) or None
    bar = text.find("|", pos, b)
    if "\n" not in text[at:pos] or bar < 0 or "\n" in text[pos:bar]:
        return None
    return [(pos, bar), *_cells(text, bar, b)]  # 营业收入（百万元） | 4,512 |: no bar before


def _row_cells(
    text: str, spans: list[tuple[int, int]], years: list[tuple[str, str]], marks: set[str]
) -> list[tuple[int, int, Decimal, str, str]]:
    """The figures of a row's cells after its label: (start, end, value, period, column)."""
    out = []
    for (x, y), (year, mark) in zip(spans[1:], years, strict=False):
        m = _CELL.fullmatch(text, x, y)
        read = sane_figure(read_digits(m["num"]), m["num"]) if m else None
        if m is None or read is None:
            continue
        value = -read if m["sign"] in ("-", "−") else read
        column = "forecast" if mark in marks else "year-row"
        # the digits only: a sign set apart (| - 215|) may open a sentence of its own; a
        # percent sign right after them is the cell's (49.9%: one mention, not a bare 49.9)
        end = m.end("num") + (text[m.end("num") : m.end("num") + 1] in ("%", "％"))
        out.append((m.start("num"), end, value, year, column))
    return out


def year_column_cells(text: str, a: int, b: int, pats: Patterns, lexicon: Lexicon) -> list[Mention]:
    """The figures in ``text[a:b]`` of a table with a metric a row and a year a column (its
    header within :data:`LOOKBACK` before): each cell an amount of its row's metric and its
    column's year (``column`` "forecast" under a year marked as an estimate, 2025E), with the
    growth row's cell under it as its change (not across zero: no change of a loss from a
    profit, nor back); the cells of growth rows and of rows of no metric of ours are noise."""
    out: list[Mention] = []
    if text.find("|", max(0, a - LOOKBACK), b) < 0:
        return out  # a header is a row of cells: no bar, no table (most sentences)
    marks = set(lexicon.cue("estimate-year-mark"))
    for head in _year_header(lexicon).finditer(text, max(0, a - LOOKBACK), b):
        cells = _cells(text, head.end(), len(text))
        found = [_YEAR_CELL.fullmatch(text, x, y) for x, y in cells]
        years = [(m["year"], m["mark"] or "") for m in found if m is not None]
        if len(years) < 2 or len(years) < len(found):
            continue
        rows = _column_rows(text, cells[-1][1], len(text), years, (pats, lexicon, marks))
        out.extend(q for q in rows if a <= q.start < b)
    return out


def _column_rows(
    text: str,
    at: int,
    b: int,
    years: list[tuple[str, str]],
    how: tuple[Patterns, Lexicon, set[str]],
) -> list[Mention]:
    """The figures of the rows below a year-column header ending at ``at``, up to the first
    row with no figure (a rule row |----| is passed)."""
    pats, lexicon, marks = how
    out: list[Mention] = []
    last: list[Mention] = []  # the amounts of the row before, for a growth row under it
    while (spans := _row_spans(text, at, b)) is not None:
        at = spans[-1][1]
        label = text[spans[0][0] : spans[0][1]]
        if set(label.strip()) <= set("-: "):
            continue  # |----|----|: the rule under the header
        figures = _row_cells(text, spans, years, marks)
        if not figures:
            break
        column = header_column(label, pats, lexicon)
        if column.metric is None:  # a growth row, or one of no metric of ours: noise
            if column.change:
                out = [*out[: len(out) - len(last)], *_with_changes(last, figures)]
            out.extend(_noise(text, spans[1:]))
            last = []
            continue
        last = [
            column_cell(column, (x, y), value, column=kind, period=year)
            for x, y, value, year, kind in figures
        ]
        out.extend(last)
    return out


def _noise(text: str, spans: list[tuple[int, int]]) -> list[Mention]:
    """The cells as noise: numbers that are no figure of ours (a growth row's, 市盈率(倍))."""
    out = []
    for x, y in spans:
        cell = text[x:y]
        lead = len(cell) - len(cell.lstrip())
        if cell.strip():
            out.append(Mention("noise", x + lead, x + len(cell.rstrip())))
    return out


def _with_changes(
    amounts: list[Mention], changes: list[tuple[int, int, Decimal, str, str]]
) -> list[Mention]:
    """The amounts of a row with the growth row's cells of their years as their changes; none
    across zero (a loss after a profit, a profit after a loss: -141.2% of a loss)."""
    by_year = {year: value for _, _, value, year, _ in changes}
    out: list[Mention] = []
    before = None
    for q in amounts:
        change = by_year.get(q.period or "")
        value = q.value if q.value is not None else Decimal(0)
        crossed = (before is not None and (before < 0) != (value < 0)) or (
            value < 0 and change is not None and change <= -100
        )
        out.append(dataclasses.replace(q, change=None if crossed else change))
        before = value
    return out
