"""Tables of a company's parts written as text, a part a row and a metric a column: a portal's
breakdown of revenue (分行业 | 营业收入 | 占比 | 毛利率 | over 建筑业 | 84.60亿元 | 91.30% |).

The header's first cell names what the rows are (cue set ``part-column-label``: 分行业, 分产品);
each other cell names a metric (its label, or a word of ``share-column``: 占比, the part's share
of revenue). Rows follow, one a line, up to the first line that is no row. A table of regions
(分地区) is none of these: its rows are places, not the company's parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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
