"""Tables written as text: one row a line, under a header that names the unit."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from xmgraph.lexicon import Lexicon
from xmgraph.patterns import Mention, Patterns, alternation, compact, compile_patterns

_BARE = re.compile(r"(?<![\d.,A-Za-z])[-−+]?\d+(?:,\d{3})*(?:\.\d+)?(?![\d%％]|[.,]\d)")


@lru_cache(maxsize=8)
def _header_patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    pats = compile_patterns(lexicon)
    scales = alternation(list(lexicon.scales))
    units = alternation([w for w in pats.unit_by_word if not pats.unit_by_word[w].generic])
    unit_word = alternation(list(lexicon.cue("unit-header")))
    header = re.compile(
        rf"(?:{unit_word})\s*[：:]\s*(?P<scale>{scales})?\s*(?P<unit>{units})\s*[）)]?\s*$"
    )
    marker = re.compile(
        rf"[（(]\s*(?:(?P<pct>[%％])|(?P<scale>{scales})?(?P<unit>{units}))\s*[）)]"
    )
    return header, marker


def _header(text: str, line_start: int, header_rx: re.Pattern[str]) -> re.Match[str] | None:
    """The unit header above a row: up over the rows before it, to a line naming the unit."""
    pos = line_start
    while pos > 0:
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev_start : pos - 1]
        header = header_rx.search(line)
        if header is not None or "。" in line or not re.search(r"\d", line):
            return header
        pos = prev_start
    return None


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
    header = _header(text, line_start, header_rx)
    if header is None:
        return []
    out = []
    for m in _BARE.finditer(text, start, line_end):
        marks = list(marker_rx.finditer(text, line_start, m.start()))
        mark = marks[-1] if marks else header
        percent = bool(mark.groupdict().get("pct"))
        value = Decimal(m.group().replace(",", "").replace("−", "-"))
        if percent:
            unit = pats.unit_by_word.get("%")
        else:
            unit = pats.unit_by_word.get(compact(mark["unit"]))
            if mark["scale"]:
                value *= lexicon.scales[compact(mark["scale"])]
        out.append(
            Mention(
                "quantity", m.start(), m.end(), value=value, unit=unit, percent=percent, scaled=True
            )
        )
    return out
