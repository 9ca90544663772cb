"""The report's own period, read from its first sentences."""

from __future__ import annotations

import re
from datetime import date

from xmgraph.model import Period
from xmgraph.patterns import Mention, resolve_period


def resolve(
    code: str, year: int | None, base: Period | None, published: date | None
) -> Period | None:
    """A period template resolved in the year in force; with no year in force, in the year of
    publication — or the year before, when the period would not yet have ended on that date
    (第三季 published 2025-11-25: 2025-Q3; 第四季 published 2025-02-27: 2024-Q4)."""
    p = resolve_period(code, year, base, published=published)
    if p is not None or year is not None or published is None or "{year}" not in code:
        return p
    p = resolve_period(code, published.year, base, published=published)
    if p is not None and p.bounds()[1] > published:
        p = resolve_period(code, published.year - 1, base, published=published)
    return p


def _year_names_word(mentions: list[Mention], i: int, m: Mention) -> bool:
    """2024年第三季度: the word right after the year names the period."""
    nxt = mentions[i + 1] if i + 1 < len(mentions) else None
    return (
        nxt is not None
        and nxt.kind == "period"
        and nxt.start - m.end <= 2
        and "{year}" in (nxt.period or "")
    )


def _same_period_of(mentions: list[Mention], i: int, m: Mention) -> bool:
    """2019年同期: the year names the same period of another year (the one compared with)."""
    nxt = mentions[i + 1] if i + 1 < len(mentions) else None
    return (
        nxt is not None
        and re.fullmatch(r"\d{4}", m.period or "") is not None
        and nxt.kind == "period"
        and nxt.start - m.end <= 1
        and "{report-in-year}" in (nxt.period or "")
    )


def _lead_period(
    mentions: list[Mention], i: int, m: Mention, year: int | None, published: date | None
) -> tuple[int | None, Period | None]:
    """The year in force after a period mention of the lead, and the period it names."""
    assert m.period is not None
    if _same_period_of(mentions, i, m):
        return year, None  # 2019年同期: the period compared with, not the report's
    if re.fullmatch(r"\d{4}", m.period):
        year = int(m.period)
        if _year_names_word(mentions, i, m):
            return year, None
    p = resolve(m.period, year, None, published)
    if p is not None and "{year}" not in m.period:
        year = p.year
    return year, p


def report_period(
    tagged: list[list[Mention]], *, lead: int = 3, published: date | None = None
) -> Period | None:
    """The report's own period: the longest period (not a point in time) named in its first
    ``lead`` sentences (a headline says 2024年年度报告 before any figure of a quarter); relative
    words (今年前三季度) are read against the publication date."""
    found: list[Period] = []
    year: int | None = None
    for n, mentions in enumerate(tagged):
        if n >= lead and found:
            break
        for i, m in enumerate(mentions):
            if m.kind != "period" or m.period is None:
                continue
            year, p = _lead_period(mentions, i, m, year, published)
            if p is not None and not p.is_instant and not m.as_of:
                found.append(p)
    if not found:
        return Period(str(year)) if year else None
    return max(found, key=lambda p: (p.bounds()[1] - p.bounds()[0], -found.index(p)))
