"""Tables of a round-up with a company a row and a metric a column, written as text (简称
营收(亿元) 同比(%) … then 华辰酒业 212.80 7.45 …, cells apart by spaces or bars): each cell
its column's metric in the header's unit, of the company its row names."""

from __future__ import annotations

import re
from functools import lru_cache

from xmgraph.columns import FIGURE_CELL, Column, change_cell, column_cell, header_column
from xmgraph.diskcache import regex
from xmgraph.lexicon import Lexicon
from xmgraph.patterns import Mention, Patterns, alternation, compact, read_digits, sane_figure

#: How many lines above a row its header is looked for, over the rows between them.
REACH = 40

#: A cell: a run of characters between spaces or bars.
_CELL = re.compile(r"[^\s|]+")


@lru_cache(maxsize=8)
def _company_names(lexicon: Lexicon) -> frozenset[str]:
    """The names a row may open with: a known company's, a listed company's short name."""
    known = {compact(n) for e in lexicon.entities if e.kind == "company" for n in e.names}
    return frozenset(known | {compact(n) for n in lexicon.listed})


@lru_cache(maxsize=8)
def _header_rx(lexicon: Lexicon) -> re.Pattern[str]:
    labels = alternation(list(lexicon.cue("company-column-label")))
    return regex(rf"[\s|]*(?:{labels})[\s|]")


def _spans(text: str, a: int, b: int) -> list[tuple[int, int]]:
    return [m.span() for m in _CELL.finditer(text, a, b)]


def _is_row(text: str, spans: list[tuple[int, int]]) -> bool:
    """A label, then figures only."""
    return len(spans) >= 2 and all(FIGURE_CELL.fullmatch(text, x, y) for x, y in spans[1:])


def _columns(text: str, line_start: int, pats: Patterns, lexicon: Lexicon) -> list[Column] | None:
    """The columns of the header above the row opening at ``line_start``, over rows only."""
    at = line_start
    for _ in range(REACH):
        if at <= 0:
            return None
        start = text.rfind("\n", 0, at - 1) + 1
        spans = _spans(text, start, at - 1)
        if _header_rx(lexicon).match(text, start, at - 1):
            cols = [header_column(text[x:y], pats, lexicon) for x, y in spans[1:]]
            return cols if any(c.metric for c in cols) else None
        if spans and not _is_row(text, spans):
            return None
        at = start
    return None


def company_row_cells(text: str, a: int, b: int, pats: Patterns, lexicon: Lexicon) -> list[Mention]:
    """The figures of the row in ``text[a:b]`` if it is a whole line opening with a company's
    name under such a header, as many figures as the header has columns: each an amount of its
    column's metric ("company-row"), or the change of the amount before it ("row-change" right
    after it, "amount-change" after a ratio's column: 净利润(亿元) 净利率(%) 同比(%))."""
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", a)
    line_end = len(text) if line_end < 0 else line_end
    spans = _spans(text, line_start, line_end)
    if not _is_row(text, spans) or spans[0][0] < a or spans[-1][1] > b:
        return []
    if compact(text[slice(*spans[0])]) not in _company_names(lexicon):
        return []
    cols = _columns(text, line_start, pats, lexicon)
    if cols is None or len(cols) != len(spans) - 1:
        return []
    out: list[Mention] = []
    amount: int | None = None  # the column of the last amount, its change not yet read
    for k, (col, (x, y)) in enumerate(zip(cols, spans[1:], strict=True)):
        kind = "row-change" if amount == k - 1 else "amount-change"
        q = _cell(text, (x, y), col, kind if amount is not None else "", pats)
        if q is not None:
            out.append(q)
        if col.change:
            amount = None
        elif col.metric is not None and col.metric.kind == "money":
            amount = k
    return out


def _cell(
    text: str, span: tuple[int, int], col: Column, change: str, pats: Patterns
) -> Mention | None:
    """A cell's figure in its column (see :func:`company_row_cells`); a growth column's is of
    kind ``change`` (none: no amount before it to be the change of)."""
    m = FIGURE_CELL.fullmatch(text, *span)
    assert m is not None
    value = sane_figure(read_digits(m["num"]), m["num"])
    start, end = m.span("num")
    if value is None:
        return None
    if col.change:
        if not change:
            return None
        return change_cell(m.span(), value, pats, column=change)  # -12.32%: its sign too
    if col.metric is None:
        return None
    return column_cell(col, (start, end), value, column="company-row", period=col.period)
