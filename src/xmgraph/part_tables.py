"""Tables of a company's parts written as text, a part a row and a metric a column: a
portal's breakdown of revenue (分行业 | 营业收入 | 占比 | 毛利率 | over 建筑业 | 84.60亿元 |
91.30% |), its cells apart by bars or by spaces (业务板块 营业收入(亿元) 占比 毛利率 同比 over
外贸业务 5.12 9.40% 18.30% …).

The header's first cell names what the rows are (cue set ``part-column-label``: 分行业, 分产品);
each other cell names a metric (its label, or a word of ``share-column``: 占比, the part's share
of revenue). Rows follow, one a line, up to the first line that is no row. A table of regions
(分地区) is none of these: its rows are places, not the company's parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from xmgraph.columns import FIGURE_CELL, Column, change_cell, column_cell, header_column
from xmgraph.diskcache import regex
from xmgraph.lexicon import Lexicon, MetricInfo
from xmgraph.namespaces import METRIC
from xmgraph.patterns import (
    Mention,
    Patterns,
    alternation,
    compact,
    compile_patterns,
    parse_quantity,
    read_digits,
    sane_figure,
)

#: How many lines below its header a row may stand.
REACH = 40
#: The metric a share column (占比) names.
SHARE_METRIC = "RevenueShare"


@dataclass(frozen=True)
class PartRow:
    """A row of a table of parts: its label, where the label stands, its cells' figures."""

    label: str
    start: int
    end: int
    cells: tuple[Mention, ...]


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of the line ``text[start:end]`` (its leading bar or none), stripped."""
    bars = [i for i in range(start, end) if text[i] == "|"]
    if text[start:end].lstrip().startswith("|"):
        start = bars.pop(0) + 1
    out = []
    for bar in bars:
        cell = text[start:bar]
        lead = len(cell) - len(cell.lstrip())
        out.append((start + lead, start + lead + len(cell.strip())))
        start = bar + 1
    return out


@lru_cache(maxsize=8)
def _header_rx(lexicon: Lexicon) -> re.Pattern[str]:
    labels = alternation(list(lexicon.cue("part-column-label")))
    return regex(rf"(?m)^[ \t|]*(?:{labels})[ \t]*\|")


def _columns(
    text: str, start: int, end: int, pats: Patterns, lexicon: Lexicon
) -> list[MetricInfo | None]:
    """The metric each value column of a header line names (None: no metric of ours)."""
    share = lexicon.metrics.get(str(METRIC) + SHARE_METRIC)
    cols: list[MetricInfo | None] = []
    for x, y in _spans(text, start, end)[1:]:
        name = compact(text[x:y])
        cols.append(share if name in lexicon.cue("share-column") else pats.metric_by_name.get(name))
    return cols


@lru_cache(maxsize=4)
def part_rows(text: str, lexicon: Lexicon) -> tuple[PartRow, ...]:
    """The rows of every table of parts in ``text``, each with its cells' figures in their
    columns' metrics (kept for the last texts: each sentence's tagger asks again)."""
    return tuple(_part_rows(text, compile_patterns(lexicon), lexicon))


def _part_rows(text: str, pats: Patterns, lexicon: Lexicon) -> list[PartRow]:
    out: list[PartRow] = []
    for head in _header_rx(lexicon).finditer(text):
        end = text.find("\n", head.start())
        end = len(text) if end < 0 else end
        cols = _columns(text, head.start(), end, pats, lexicon)
        if any(c is not None for c in cols):
            out.extend(_rows(text, end + 1, cols, pats, lexicon))
    for cue in ("part-column-label", "period-column-label"):
        for head in _spaced_header_rx(lexicon, cue).finditer(text):
            end = text.find("\n", head.start())
            end = len(text) if end < 0 else end
            spaced = _spaced_columns(text[head.start() : end].split()[1:], pats, lexicon)
            if any(c.metric is not None for c in spaced):
                periods = cue == "period-column-label"
                out.extend(_spaced_rows(text, end + 1, spaced, pats, lexicon, periods=periods))
    return out


@lru_cache(maxsize=16)
def _spaced_header_rx(lexicon: Lexicon, cue: str) -> re.Pattern[str]:
    """The header of such a table with its cells apart by spaces (业务板块 营业收入(亿元) 占比 …;
    of periods: 季度 营业总收入(亿元) 增速 …), opened by a word of cue set ``cue``."""
    labels = alternation(list(lexicon.cue(cue)))
    return regex(rf"(?m)^[ \t]*(?:{labels})[ \t]+(?=[^\s|])")


def _spaced_columns(cells: list[str], pats: Patterns, lexicon: Lexicon) -> list[Column]:
    """The columns the header's cells name: a metric in the unit its brackets name (收入(亿元)),
    a ratio's (毛利率) or the share's (占比) in percent, a metric whose cells write their own
    units (营业收入 over 18.40亿元), or the change of the column before it (同比变化); an empty
    column for any other."""
    pct = pats.unit_by_word.get("%")
    share = lexicon.metrics.get(str(METRIC) + SHARE_METRIC)
    cols = []
    for cell in cells:
        col = header_column(cell, pats, lexicon)
        name = compact(cell)
        if col.metric is None and not col.change:
            if name in lexicon.cue("change-column"):
                col = Column(change=True)
            elif name in lexicon.cue("share-column"):
                col = Column(share, pct)
            elif (metric := pats.metric_by_name.get(name)) is not None:
                # 毛利率: in percent; 营业收入: its cells write their units (18.40亿元)
                col = Column(metric, pct) if metric.kind == "ratio" else Column(metric)
        cols.append(col)
    return cols


def _spaced_rows(
    text: str, at: int, cols: list[Column], pats: Patterns, lex: Lexicon, *, periods: bool = False
) -> list[PartRow]:
    """The rows from ``at`` on, a label and as many cells as the header has columns, up to the
    first line that is none; a cell of no figure (基本持平, +1.30个百分点) keeps its place. In a
    table of ``periods`` a row's label names a period (第四季度: the period its cells are of,
    put in force by the label itself) or the table ends."""
    out: list[PartRow] = []
    for _ in range(REACH):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        cells = [m.span() for m in re.finditer(r"\S+", text[at:end])]
        if at >= len(text) or len(cells) != len(cols) + 1:
            break
        label = text[at + cells[0][0] : at + cells[0][1]]
        if not _row_label(label, pats, periods=periods):
            break
        (x, y), *rest = [(at + a, at + b) for a, b in cells]
        found = _spaced_cells(text, rest, cols, pats, lex)
        if not any(q.column == "part-row" for q in found):
            break
        out.append(PartRow(text[x:y], x, y, tuple(found)))
        at = end + 1
    return out


def _row_label(label: str, pats: Patterns, *, periods: bool) -> bool:
    """Whether ``label`` opens a row: it holds no figure, and in a table of ``periods`` it
    names its period (第四季度; Q1, its digit the period word's own)."""
    if not periods:
        return re.search(r"\d", label) is None
    named = pats.period_word.search(label)
    return (
        named is not None
        and re.search(r"\d", label[: named.start()] + label[named.end() :]) is None
    )


def _spaced_cells(
    text: str, spans: list[tuple[int, int]], cols: list[Column], pats: Patterns, lex: Lexicon
) -> list[Mention]:
    """A row's figures: each an amount of its column's metric (in the header's unit, or in its
    own: 18.40亿元), or the change of the amount in the column before it."""
    out: list[Mention] = []
    amount = False  # the column before holds an amount of money, its change maybe next
    for col, (a, b) in zip(cols, spans, strict=True):
        m = FIGURE_CELL.fullmatch(text, a, b)
        value = sane_figure(read_digits(m["num"]), m["num"]) if m else None
        if m is None and col.metric is not None and not col.change:
            own = _cell(text, a, b, col.metric, pats, lex)  # 18.40亿元: the cell's own unit
            out += [own] if own is not None else []
        elif m is not None and value is not None:
            if col.change and amount:
                out.append(change_cell(m.span(), value, pats, column="row-change"))
            elif col.metric is not None and not col.change and (col.unit or col.scale != 1):
                out.append(column_cell(col, m.span(), value, column="part-row"))
        amount = col.metric is not None and col.metric.kind == "money"
    return out


def _rows(
    text: str, at: int, cols: list[MetricInfo | None], pats: Patterns, lexicon: Lexicon
) -> list[PartRow]:
    """The rows from ``at`` on, up to the first line that is no row (a rule line passed)."""
    out: list[PartRow] = []
    for _ in range(REACH):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        line = text[at:end]
        if at >= len(text) or line.count("|") < 2 or _header_rx(lexicon).match(text, at):
            break
        if not set(line) <= set("-:| \t"):
            (x, y), *cells = _spans(text, at, end)
            found = [
                q
                for col, (a, b) in zip(cols, cells, strict=False)
                if col is not None and (q := _cell(text, a, b, col, pats, lexicon)) is not None
            ]
            if not found:
                break  # a line of no figure (another table's header: 分地区 | 营业收入 |)
            if y > x:
                out.append(PartRow(text[x:y], x, y, tuple(found)))
        at = end + 1
    return out


def _cell(
    text: str, a: int, b: int, metric: MetricInfo, pats: Patterns, lexicon: Lexicon
) -> Mention | None:
    """The figure a cell writes with its unit (84.60亿元, 91.30%), of its column's metric."""
    m = pats.quantity.fullmatch(text, a, b)
    q = parse_quantity(m, pats, lexicon) if m is not None else None
    if q is None or q.unit is None:
        return None
    return Mention(
        "quantity",
        q.start,
        q.end,
        value=q.value,
        unit=q.unit,
        percent=q.percent,
        scaled=True,
        metric=metric,
        column="part-row",
    )
