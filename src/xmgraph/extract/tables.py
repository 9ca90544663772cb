"""Tables written as text: one row a line, under a header that names the unit."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from xmgraph.extract.frame import evolve
from xmgraph.lexicon import Lexicon
from xmgraph.patterns import (
    Mention,
    Patterns,
    alternation,
    compact,
    compile_patterns,
    read_digits,
    sane_figure,
)

_BARE = re.compile(r"(?<![\d.,A-Za-z])[-−+]?\d+(?:,\d{3})*(?:\.\d+)?(?![\d%％]|[.,]\d)")


@lru_cache(maxsize=8)
def _header_patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    pats = compile_patterns(lexicon)
    scales = alternation(list(lexicon.scales))
    units = alternation([w for w in pats.unit_by_word if not pats.unit_by_word[w].generic])
    unit_word = alternation(list(lexicon.cue("unit-header")))
    currencies = alternation([w for w, u in pats.unit_by_prefix.items() if u.currency])
    header = re.compile(  # 单位：万元, 单位：人民币万元 (the currency first), 港幣百萬元
        rf"(?:{unit_word})\s*[：:]\s*(?P<cur>{currencies})?\s*(?P<scale>{scales})?\s*"
        rf"(?P<unit>{units})\s*[）)]?\s*$"
    )
    marker = re.compile(
        rf"[（(]\s*(?:(?P<pct>[%％])|(?P<scale>{scales})?(?P<unit>{units}))\s*[）)]"
    )
    return header, marker


def columns(line: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The kinds of the columns a table's header line names, in order ("this", "prior",
    "change": 项目 本报告期 上年同期 增减变动幅度(%)); () when it names no period column."""
    found = []
    for kind, cue in (
        ("this", "this-period-column"),
        ("prior", "prior-period-column"),
        ("change", "change-column"),
    ):
        at = min((i for w in lexicon.cue(cue) if (i := line.find(w)) >= 0), default=-1)
        if at >= 0:
            found.append((at, kind))
    kinds = tuple(k for _, k in sorted(found))
    return kinds if "this" in kinds and "prior" in kinds else ()


def _header(
    text: str, line_start: int, header_rx: re.Pattern[str], lexicon: Lexicon
) -> tuple[re.Match[str] | None, tuple[str, ...]]:
    """The unit header above a row (up over the rows before it, to a line naming the unit),
    and the columns a header line between them names."""
    pos = line_start
    cols: tuple[str, ...] = ()
    while pos > 0:
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev_start : pos - 1]
        header = header_rx.search(line)
        # a header names its columns and states no figure (a row may name them inline)
        named = () if re.search(r"\d", line) else columns(line, lexicon)
        if named and not cols:
            cols = named
        if header is None and named:
            pos = prev_start
            continue  # 项目 本报告期 上年同期: the column header, the unit is above it
        if header is not None or "。" in line or not re.search(r"\d", line):
            return header, cols
        pos = prev_start
    return None, cols


def _cell_value(
    number: str, mark: re.Match[str], percent: bool, lexicon: Lexicon
) -> Decimal | None:
    """A cell's value: its number, in the scale of its header or marker (not a percent)."""
    value = read_digits(number)
    if value is not None and not percent and mark["scale"]:
        value *= lexicon.scales[compact(mark["scale"])]
    return sane_figure(value, number)


def table_cells(text: str, start: int, end: int, pats: Patterns, lexicon: Lexicon) -> list[Mention]:
    """Bare numbers in a table written as text, one row a line, under a header naming the unit
    (（单位：万元） / 营业总收入：本报告期1,265,432.18，…): amounts in that unit; a unit in brackets
    in the row (基本每股收益（元）, 增减变动幅度(%)) holds for the numbers after it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if start != line_start or (end < line_end and text[end - 1] in "。！？"):
        return []  # a row is a whole line, no sentence
    header_rx, marker_rx = _header_patterns(lexicon)
    header, cols = _header(text, line_start, header_rx, lexicon)
    if header is None:
        return []
    out = []
    for k, m in enumerate(_BARE.finditer(text, start, line_end)):
        marks = list(marker_rx.finditer(text, line_start, m.start()))
        mark = marks[-1] if marks else header
        column = cols[k] if k < len(cols) else ""
        percent = bool(mark.groupdict().get("pct")) or column == "change"
        value = _cell_value(m.group(), mark, percent, lexicon)
        if value is None:
            continue  # no figure: too long, or too large
        if percent:
            unit = pats.unit_by_word.get("%")
        else:
            cur = mark.groupdict().get("cur")
            unit = pats.unit_by_prefix.get(compact(cur)) if cur else None
            unit = unit or pats.unit_by_word.get(compact(mark["unit"]))
        q = Mention("quantity", m.start(), m.end(), value=value, unit=unit, percent=percent)
        out.append(evolve(q, scaled=True, column=column))
    return out
