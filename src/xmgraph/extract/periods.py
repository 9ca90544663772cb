"""The report's own period, read from its first sentences, and its fiscal calendar."""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache

from xmgraph.diskcache import regex
from xmgraph.lexicon import Lexicon
from xmgraph.model import Period
from xmgraph.patterns import (
    DateWords,
    Mention,
    Patterns,
    alternation,
    chinese_dates,
    chinese_numeral,
    latest_year_of,
    months_ended,
    resolve_period,
)


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
    p = resolve(m.period, year, None, published)
    if p is None:
        return year, None
    if not p.is_instant and _months(p) > _YEAR_MONTHS:
        return year, None  # 公司2019-2020年每股收益预计为…: a forecast's years, none in force
    if published is not None and _later_relative(m.period, p, published):
        return year, None  # 冀明年恢复派息: a period not begun when the text came out
    if "{year}" not in m.period:
        # 于2023年6月30日…；于2022年12月31日…: a date before one already named is a
        # comparison's balance date, not the year the text is about
        year = max(year, p.year) if p.is_instant and year is not None else p.year
    if p.kind == "year" and _year_names_word(mentions, i, m):
        return year, None  # 2024年第三季度, 今年上半年, 2024财年上半年: the period named next's
    return year, p


def _later_relative(template: str, p: Period, published: date) -> bool:
    """Whether a period read against the publication date (明年: ``{published-year+1}``) had
    not begun when the text came out: a hope or a plan, no period reported (a year written
    out stays, the date a page gives may be its editing's)."""
    return "{published" in template and p.bounds()[0] > published


def report_period(
    tagged: list[list[Mention]],
    *,
    lead: int = 3,
    published: date | None = None,
    text: str = "",
    years: re.Pattern[str] | None = None,
    compared: tuple[str, ...] = (),
    dates: tuple[str, ...] = (),
    planned: tuple[str, ...] = (),
    titles: tuple[str, ...] = (),
    runs: Sequence[int] = (),
) -> Period | None:
    """The report's own period: the longest period (not a point in time) named in its first
    ``lead`` sentences and the rest of the last one's run, where ``runs`` gives each
    sentence's run (a portal's title 华辰酒业(600999) - 2024 Q4 - 年度财报, split at its
    dashes, no full stop between); a headline says 2024年年度报告 before any figure of a
    quarter. Of two as long, the one written with its dates (截至2025年9月30日止六个月 over
    a headline's 中期), then
    one whose year is written (2021年半年度 over a headline's 上半年 before any year, read
    against the publication date), else the first; relative words (今年前三季度) are read
    against the publication date. A period labelling a figure in brackets in ``text``
    (…5,200万港元（2023年：4,100万港元）) is a comparison's, never the report's; so is a
    year ``years`` (a list of years: 2023年、2024年营收分别为…) lists before another, or
    one after a word of ``compared`` (由2024年的9.12亿港元扩大至…: the year compared
    with; 成立于1951年: a founding's), or one right before a word of ``dates`` (自2024年起,
    预计于2026年上线: a span's start, a launch's date). Where a period of the lead had no
    year to be read in (第三季度, no date to read it against), one right after a word of
    ``planned`` (华辰预计2025年第四季度净营收…: the guidance) is not the report's
    either. Of two as long, one right before a word of ``titles`` (披露2022年业绩报告, over
    a forecast's 于2023年 in the line before) wins."""
    found: list[Period] = []
    yearless = False  # a lead's period word no year could be read in
    guessed: set[int] = set()  # where a period's year came from the publication date alone
    marks: list[Mention] = []  # the mention of each period found
    year = _year_after_compared(tagged, lead, runs, published)
    for n, mentions in enumerate(tagged):
        if found and _past_lead(n, lead, runs):
            break
        for i, m in enumerate(mentions):
            if not _candidate(m, text, compared, dates, planned=planned, yearless=yearless):
                continue
            had, (year, p) = year, _lead_period(mentions, i, m, year, published)
            yearless |= _yearless(m, p, year)
            if p is not None and not p.is_instant and not m.as_of and _own(text, m, years):
                if had is None and "{year}" in (m.period or ""):
                    guessed.add(len(found))
                found.append(p)
                marks.append(m)
    if not found:
        return _guided(tagged, text, planned, published) or _bare_year(year)
    return _longest(found, marks, guessed, (text, titles), published)


def _longest(
    found: list[Period],
    marks: list[Mention],
    guessed: set[int],
    titled_in: tuple[str, tuple[str, ...]],
    published: date | None,
) -> Period:
    """The longest of the lead's periods; of two as long, the interval written with its dates,
    then one naming the results (:func:`_titled`), then one whose year is written, then one
    over by the ``published`` date (去年少赚… over an outlook's 今年, 2021 in March 2021),
    else the first."""
    text, titles = titled_in
    titled = {k for k, m in enumerate(marks) if _titled(text, m, titles)}
    at = max(
        range(len(found)),
        key=lambda k: (
            _months(found[k]),
            found[k].kind == "interval",
            k in titled,
            k not in guessed,
            published is None or found[k].bounds()[1] < published,
            -k,
        ),
    )
    return found[at]


def _titled(text: str, m: Mention, titles: tuple[str, ...]) -> bool:
    """Whether the period ``m`` names the results reported: a word of ``titles`` right after
    it (2022年业绩报告)."""
    return bool(titles) and text[m.end : m.end + 8].lstrip().startswith(titles)


def _bare_year(year: int | None) -> Period | None:
    return Period(str(year)) if year else None


def _guided(
    tagged: list[list[Mention]], text: str, planned: tuple[str, ...], published: date | None
) -> Period | None:
    """The period of a text's first period word no year could be read in (第三季度), read in
    the year that makes it the one right before the period a guidance names (…预计2025年第四
    季度净营收…: 2025-Q3; a guidance for 2026年第一季度 after a 第四季度: 2025-Q4)."""
    words = [(m, m.period) for ms in tagged for m in ms if m.kind == "period" and m.period]
    first = next((code for _, code in words if code.startswith("{year}")), None)
    guidance = _guidance(words, text, planned, published)
    if first is None or guidance is None:
        return None
    for year in (guidance.year, guidance.year - 1):
        p = resolve(first, year, None, published)
        if p is not None and p.bounds()[1] + timedelta(days=1) == guidance.bounds()[0]:
            return p
    return None


def _guidance(
    words: list[tuple[Mention, str]],
    text: str,
    planned: tuple[str, ...],
    published: date | None,
) -> Period | None:
    """The first period a guidance names: a year after a word of ``planned`` and the period
    word right after it (预计2025年第四季度)."""
    for (a, year), (b, code) in itertools.pairwise(words):
        if not re.fullmatch(r"\d{4}", year) or not code.startswith("{year}"):
            continue
        if b.start - a.end <= 1 and _after(text, a.start, planned):
            return resolve(code, int(year), None, published)
    return None


def _year_after_compared(
    tagged: list[list[Mention]], lead: int, runs: Sequence[int], published: date | None
) -> int | None:
    """In a text with no date to read it against (``published`` None), the year after the
    one whose same period the lead compares with (第1季…，2023年同期则蚀…: the quarter is
    2024's); None where the lead compares with none."""
    if published is not None:
        return None
    for n, mentions in enumerate(tagged):
        if _past_lead(n, lead, runs):
            break
        for i, m in enumerate(mentions):
            if m.kind == "period" and _same_period_of(mentions, i, m):
                return int(m.period or "0") + 1
    return None


def _past_lead(n: int, lead: int, runs: Sequence[int]) -> bool:
    """Whether sentence ``n`` is past the first ``lead`` sentences and the run of the last
    of them (``runs``: each sentence's run)."""
    return n >= lead and not (len(runs) > n and runs[n] == runs[lead - 1])


def _yearless(m: Mention, p: Period | None, year: int | None) -> bool:
    """Whether ``m`` is a period word no year could be read in (第三季度, no year in force; 去年,
    no date to read it against)."""
    code = m.period or ""
    return p is None and ((year is None and "{year}" in code) or "{published" in code)


def _candidate(
    m: Mention,
    text: str,
    compared: tuple[str, ...],
    dates: tuple[str, ...],
    *,
    planned: tuple[str, ...] = (),
    yearless: bool = False,
) -> bool:
    """Whether a mention may name the report's period: a period, not after a word of
    ``compared`` (or of ``planned``, where a period of the lead was ``yearless``), not right
    before a word of ``dates``, not the quarter before the one reported (上季), not the value
    of a period compared with (成本效益比率为35.9%，2022年上半年为44.2%; in brackets after a
    figure, :func:`_compared_bracket`: nor the year the lead's words are read in)."""
    if m.kind != "period" or m.period is None or m.period == "{previous-quarter}":
        return False
    if _compared_after_figure(text, m) or _compared_bracket(text, m):
        return False
    if dates and text[m.end : m.end + 6].lstrip().startswith(dates):
        return False
    planned_for = yearless and _after(text, m.start, planned, reach=_UNTIL)
    return not planned_for and not _after(text, m.start, compared)


#: Between a plan's word and the year it names (预计到2027年, 预期至2026年).
_UNTIL = "到至于"


def _after(text: str, at: int, words: tuple[str, ...], *, reach: str = "") -> bool:
    """Whether one of ``words`` ends right before ``at`` in ``text`` (or before one of the
    characters of ``reach``: 预计到2027年)."""
    before = text[max(0, at - 6) : at].rstrip()
    return before.rstrip(reach).endswith(words) if words else False


def _own(text: str, m: Mention, years: re.Pattern[str] | None) -> bool:
    """Whether the period ``m`` can be the report's: not a year ``years`` lists before another
    (2023年、2024年)."""
    listed = years.match(text, m.start) if years is not None else None
    return listed is None or listed.end() <= m.end


def _compared_bracket(text: str, m: Mention) -> bool:
    """Whether the period ``m`` opens brackets of a figure compared with: (2023年：4,100万港元),
    or brackets right after a figure (亏损8.6亿元(2024年度溢利3.0亿元))."""
    opened = m.start > 0 and text[m.start - 1] in ("(", "（")
    return (opened and comparative_label_at(text, m.end)) or compared_bracket_at(text, m.start)


#: What labels a comparative's figure right after its period in brackets: a colon, or 为 and
#: the figure ((2024年为0.8亿港元)).
_COMPARATIVE_LABEL = re.compile(r"\s?(?:[:：]|[为為][ \t]*-?\d)")


def comparative_label_at(text: str, at: int) -> bool:
    """Whether a comparative's label follows its period, ending at ``at``: (2023年：4,100万港元),
    (2024年为0.8亿港元)."""
    return _COMPARATIVE_LABEL.match(text, at) is not None


def compared_bracket_at(text: str, at: int) -> bool:
    """Whether ``at`` opens brackets right after a figure (亏损8.6亿元(2024年度溢利…))."""
    return at > 0 and text[at - 1] in ("(", "（") and bool(_FIGURE_END.search(text, 0, at - 1))


#: A period then 为 and a figure (…，2022年上半年为44.2%): the value of a period compared with.
_PERIOD_IS = re.compile(r"[^，,。；;！？\d\n]{0,3}?[为為]\s*-?\d")

#: A figure with its unit or per cent (35.9%, 28.6亿): a value the sentence states.
_FIGURE = re.compile(r"\d\s*(?:[%％]|[万亿億萬]|元)")

#: The end of a figure with its unit (8.64亿元, 12.35亿港元, 12%), right before a bracket.
_FIGURE_END = re.compile(r"\d\s*(?:[%％]|[万亿億萬]?\s*(?:港元|美元|人民币|元)|[万亿億萬])\s*$")


def _compared_after_figure(text: str, m: Mention) -> bool:
    """Whether the period ``m`` gives the value compared with, after the sentence stated its
    own (成本效益比率为35.9%，2022年上半年为44.2%): a figure before it in its sentence, and 为
    and a figure right after it."""
    start = max(text.rfind(w, 0, m.start) for w in ("。", "\n", "！", "？")) + 1
    return _PERIOD_IS.match(text, m.end) is not None and bool(_FIGURE.search(text, start, m.start))


def _months(p: Period) -> int:
    """A period's length in months (a leap year's half, 2024-H1, is no longer than another's)."""
    return round((p.bounds()[1] - p.bounds()[0]).days / 30.4)


#: The longest period a report is on, in months (a broker's forecast for 2019-2020年 names the
#: years it forecasts, no report's).
_YEAR_MONTHS = 12

#: How far into a report its fiscal year's end is looked for (截至2020年2月29日止年度).
FISCAL_LEAD = 400

#: A year that is no leap year: the last day of a month written without its year (今年3月底).
_COMMON_YEAR = 2001

#: The fewest days of a year (a fiscal year read from its end).
_YEAR_DAYS = 364


def fiscal_year_end(
    text: str, lexicon: Lexicon, pats: Patterns, company: str | None, period: Period | None
) -> tuple[int, int] | None:
    """The (month, day) a report's fiscal year ends on, where not 31 December: the company's
    from the gazetteer, else that of its ``period`` when it is a year ending on another day
    (截至二零二四年六月三十日止年度), else the date the lead's 截至…止年度 or 截至…的第四季度
    ends on."""
    if company in lexicon.fiscal_year_ends:
        return lexicon.fiscal_year_ends[company]
    if period is not None and period.kind == "interval":
        first, last = period.bounds()
        if (last - first).days >= _YEAR_DAYS and (last.month, last.day) != (12, 31):
            return last.month, last.day
    m = pats.ended.search(text, 0, FISCAL_LEAD)
    if m is None or not (m["y"] or m["ty"] or m["fy"]):  # 截至今年3月底止全年, 截至3月底止全年
        return _quarter_end_nearby(text[:FISCAL_LEAD], lexicon)
    return _ended_year_end(m, lexicon)


_QUARTER_DATE = r"(?P<m>\d{1,2})\s*(?:月\s*(?P<d>\d{1,2})\s*日|[/／]\s*(?P<d2>\d{1,2}))"


@lru_cache(maxsize=8)
def _quarter_date(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A quarter's number then the date it ended (第一财季…截至8月31日), and the other way; the
    quarter's words those of the lexicon's date words (第, 财, 季度: as in ``Patterns.ended``)."""
    w = DateWords.of_lexicon(lexicon)
    asof = alternation(list(lexicon.cue("as-of")))
    number = (
        rf"(?:(?:{w.ordinal})\s*(?P<n>[一二三四1-4])\s*(?:{w.fiscal})?\s*(?:{w.quarter})"
        rf"|[QＱ](?P<q>[1-4]))"
    )
    date = rf"(?:{asof})\s*(?:\d{{4}}\s*年\s*)?{_QUARTER_DATE}"
    return (
        regex(rf"{number}[^。\n]{{0,40}}?{date}"),
        regex(rf"{date}[^。\n]{{0,40}}?{number}"),
    )


def _quarter_near_date(lead: str, lexicon: Lexicon) -> tuple[int, int, int] | None:
    """A quarter's number and the month's end it ended on, named near each other in a lead
    saying its calendar is fiscal (cue set fiscal-lead-word): (n, month, day), else None."""
    if not any(w in lead for w in lexicon.cue("fiscal-lead-word")):
        return None
    for rx in _quarter_date(lexicon):
        m = rx.search(lead)
        if m is None:
            continue
        digit = m["n"] or m["q"]
        n = int(digit) if digit.isdigit() else int(lexicon.numerals[digit])
        month, day = int(m["m"]), int(m["d"] or m["d2"])
        if not 1 <= month <= 12 or day != calendar.monthrange(_COMMON_YEAR, month)[1]:
            return None
        return n, month, day
    return None


def _end_after(n: int, month: int) -> tuple[int, int] | None:
    """The (month, day) a fiscal year ends on whose quarter ``n`` ends in ``month`` (None: 31
    December)."""
    last = (month - 1 + 3 * (4 - n)) % 12 + 1
    return None if last == 12 else (last, calendar.monthrange(_COMMON_YEAR, last)[1])


def _quarter_end_nearby(lead: str, lexicon: Lexicon) -> tuple[int, int] | None:
    """The (month, day) a fiscal year ends on, from a quarter named with the month's end it
    ended on (2024财年第一财季…截至8月31日: a year to 31 May; 财政第二季（截至 7/31）: to 31
    January)."""
    found = _quarter_near_date(lead, lexicon)
    return _end_after(found[0], found[1]) if found else None


def lead_fiscal_quarter(
    text: str, lexicon: Lexicon, end: tuple[int, int], published: date | None
) -> Period | None:
    """The fiscal quarter a lead names with the month's end it ended on (2024财年第一财季…截至
    8月31日: June to August 2023; 财政第二季（截至 7/31） in a text of August 2025:
    May to July 2025): its year from the fiscal year named before it (the year it ends
    in), else the latest such end by ``published``; None where neither tells it, or where
    the quarter is not one of a fiscal year ending on ``end``."""
    lead = text[:FISCAL_LEAD]
    found = _quarter_near_date(lead, lexicon)
    if found is None or found[0] == 4 or (year_end := _end_after(found[0], found[1])) != end:
        return None  # a fourth quarter's report is on the year too (第四季度及全年)
    _, month, day = found
    named = _FISCAL_YEAR_NAMED.search(lead)
    if named is not None:  # its fiscal year ends in the year named; the quarter before that end
        year = int(named["y"]) - (1 if month > year_end[0] else 0)
    elif published is not None:
        year = latest_year_of(month, day, published)
    else:
        return None
    if month % 3 == 0:  # a calendar quarter too: its shortest code
        return Period(f"{year}-Q{month // 3}")
    first = month - 2 if month > 2 else month + 10
    first_year = year if month > 2 else year - 1
    return Period(f"{first_year}-{first:02d}-01/{year}-{month:02d}-{day:02d}")


#: A fiscal year named by the year it ends in (2021财年, FY2021 is read elsewhere).
_FISCAL_YEAR_NAMED = re.compile(r"(?P<y>(?:19|20)\d\d)\s*(?:财年|财政年度)")


def _ended_year_end(m: re.Match[str], lexicon: Lexicon) -> tuple[int, int] | None:
    """The (month, day) the fiscal year of a lead's 截至…止 ends on (None: 31 December)."""
    month = int(m["m"])
    if _half_months(m, lexicon) and month not in (6, 12):
        # 截至2025年9月30日止六个月: an interim of a year that ends six months later
        return year_end_after_half(month)
    if m["qtr"]:
        return _year_end_after_quarter(m, month, lexicon)
    if not m["fy"]:
        return None
    day = int(m["d"]) if m["d"] else calendar.monthrange(int(m["y"] or _COMMON_YEAR), month)[1]
    return None if (month, day) == (12, 31) else (month, day)


def _year_end_after_quarter(
    m: re.Match[str], month: int, lexicon: Lexicon
) -> tuple[int, int] | None:
    """The (month, day) a fiscal year ends on whose quarter number ``n`` ends at a month's end
    (截至2025年6月30日的第一季度: n quarters of it are over, so it ends nine months later, on
    31 March); None for 31 December, or where the quarter does not end at a month's end."""
    year = int(m["y"] or _COMMON_YEAR)
    if m["d"] and int(m["d"]) != calendar.monthrange(year, month)[1]:
        return None
    numbers = (int(c) if c.isdigit() else lexicon.numerals.get(c) for c in m["qtr"])
    n = next((v for v in numbers if v is not None and 1 <= v <= 4), 4)  # 第一季度, 第1财季
    last = (month - 1 + 3 * (4 - n)) % 12 + 1
    if last == 12:
        return None
    return last, calendar.monthrange(_COMMON_YEAR, last)[1]


def fiscal_year(year: int, end: tuple[int, int], published: date | None) -> Period:
    """Fiscal year ``year`` in a calendar ending on ``end`` — or the next one, where that had
    ended by ``published`` and ``year``'s had ended more than a year before (去年 in a paper
    of June 2017 on a year to March: the year ended March 2017, for results are out within
    months of a year's end).

    >>> fiscal_year(2016, (3, 31), date(2017, 6, 30)).code
    '2016-04-01/2017-03-31'
    >>> fiscal_year(2016, (3, 31), date(2017, 2, 1)).code
    '2015-04-01/2016-03-31'
    """
    return latest_fiscal(Period(str(year)), end, published)


def latest_fiscal(p: Period, end: tuple[int, int], published: date | None) -> Period:
    """The year, half or quarter ``p`` read in a fiscal calendar ending on ``end`` — or that
    part of the next fiscal year, where it had ended by ``published`` and ``p``'s had ended
    more than a year before (第三财季 in a paper of February 2024 on a year to March: October
    to December 2023, not 2022).

    >>> latest_fiscal(Period("2023-Q3"), (3, 31), date(2024, 2, 7)).code
    '2023-Q4'
    >>> latest_fiscal(Period("2023-Q3"), (3, 31), date(2023, 2, 7)).code
    '2022-Q4'
    """
    reading = fiscal(p, end)
    if published is None:
        return reading
    after = fiscal(Period(str(p.year + 1) + p.code[4:]), end)
    late = (published - reading.bounds()[1]).days > _YEAR_DAYS
    return after if late and after.bounds()[1] <= published else reading


def year_end_after_half(month: int) -> tuple[int, int]:
    """The (month, day) a fiscal year ends on whose first half ends in ``month`` (September:
    March 31)."""
    end = (month + 5) % 12 + 1
    return end, calendar.monthrange(2001, end)[1]


def _half_months(m: re.Match[str], lexicon: Lexicon) -> bool:
    """Whether the months ended are six (止六个月, 止6个月, 中期)."""
    groups = m.groupdict()
    n = groups.get("n") or ""
    return (
        bool(groups.get("half"))
        or (n.isdigit() and int(n) == 6)
        or (bool(n) and not n.isdigit() and chinese_numeral(n, lexicon) == 6)
    )


def fiscal(p: Period, end: tuple[int, int]) -> Period:
    """A year, half or quarter named in a fiscal calendar ending on ``end`` (month, day): FY
    Y is the twelve months ending in Y, its n-th quarter the n-th three of them.

    >>> [fiscal(Period(c), (3, 31)).code for c in ("2025", "2025-Q3", "2025-H1")]
    ['2024-04-01/2025-03-31', '2024-Q4', '2024-04-01/2024-09-30']
    >>> fiscal(Period("2020-Q4"), (2, 29)).code
    '2019-12-01/2020-02-29'
    >>> fiscal(Period("2023-01-01/2023-09-30"), (5, 31)).code  # 2023财年前三个季度
    '2022-06-01/2023-02-28'
    """
    kind = p.kind
    if (n := year_to_date_months(p)) is not None:  # the fiscal year's first n months
        first = fiscal(Period(str(p.year)), end).bounds()[0]
        ey, em = divmod(first.year * 12 + first.month - 1 + n - 1, 12)
        return Period.interval(first, date(ey, em + 1, calendar.monthrange(ey, em + 1)[1]))
    months, n = {"year": (12, 1), "half": (6, 0), "quarter": (3, 0)}[kind]
    if kind != "year":
        n = int(p.code[-1])
    to_end = (12 // months - n) * months  # months from this part's end to the year's end
    total = p.year * 12 + end[0] - 1 - to_end
    ey, em = divmod(total, 12)
    sy, sm = divmod(total - months + 1, 12)
    last = date(ey, em + 1, calendar.monthrange(ey, em + 1)[1])
    return Period.interval(date(sy, sm + 1, 1), last)


def year_to_date_months(p: Period) -> int | None:
    """The months of an interval from 1 January to a month's end of the same year (前三季度:
    9), other than a half; None for any other period.

    >>> year_to_date_months(Period("2023-01-01/2023-09-30")), year_to_date_months(Period("2023"))
    (9, None)
    """
    if p.kind != "interval":
        return None
    a, b = p.bounds()
    month_end = b.day == calendar.monthrange(b.year, b.month)[1]
    if (a.month, a.day) != (1, 1) or a.year != b.year or not month_end or b.month in (6, 12):
        return None
    return b.month


def lead_interim(
    text: str, lexicon: Lexicon, pats: Patterns, year: int | None = None
) -> Period | None:
    """The interim the text's lead names when it does not end in June (截至2025年9月30日止六个月:
    2025-04-01/2025-09-30; 截至2021年12月31日止六个月, a year to June: 2021-H2): the report's
    period in place of the first calendar half."""
    m = pats.ended.search(text, 0, FISCAL_LEAD)
    if m is None or not m["y"]:
        return _unyeared_interim(text, lexicon, pats, year)
    if not _half_months(m, lexicon) or int(m["m"]) == 6:
        return None
    return _ended_period(m, lexicon)


def _unyeared_interim(
    text: str, lexicon: Lexicon, pats: Patterns, year: int | None
) -> Period | None:
    """The interim a lead names by the month it ends alone (华辰九月底止中期, 9月底止半年), in
    ``year`` (the report's), where that month is not June."""
    lead = text[:FISCAL_LEAD]
    for digits in (*(d for _, d in chinese_dates(lead, 0, len(lead), lexicon)), lead):
        m = pats.ended.search(digits)
        if m is None or m["y"] or not _half_months(m, lexicon) or int(m["m"]) == 6:
            continue
        code = months_ended(m, lexicon)
        if year is not None and code and code.count("{year}") == code.count("{"):
            return Period(code.replace("{year}", str(year)))
    return None


def _ended_period(m: re.Match[str], lexicon: Lexicon) -> Period | None:
    """The period a lead's 截至…止N个月 names, where its year is written."""
    code = months_ended(m, lexicon)
    return Period(code) if code and "{" not in code else None


def lead_quarter(text: str, lexicon: Lexicon, pats: Patterns) -> Period | None:
    """The three months the text's lead names as ended (截至2025年9月30日止三个月: 2025-Q3),
    for a company whose fiscal year does not end in December: the quarter the report is on,
    whatever the fiscal number the text gives it (第二季度)."""
    m = pats.ended.search(text, 0, FISCAL_LEAD)
    if m is None or not m["y"] or _half_months(m, lexicon):
        return None
    period = _ended_period(m, lexicon)
    return period if period is not None and period.kind == "quarter" else None


#: How long after a half ends its results may come out (HKEX: two months for the main board,
#: three for GEM; four allowed).
_INTERIM_DELAY = 122


#: An exchange filing's title naming the fiscal year (华辰(01234) - 2026 - 中期业绩).
_FISCAL_TITLE = re.compile(r"(?m)^[^\n]{2,30}[)）]\s*-\s*(?P<y>(?:19|20)\d\d)\s*-\s*\S")


def _six_months_to(published: date, months: set[int]) -> Period | None:
    """The six months to the last end of one of ``months`` (1-12) that lies within
    ``_INTERIM_DELAY`` days before ``published``; None where none does.

    >>> _six_months_to(date(2025, 8, 26), {3, 6, 9, 12}).code
    '2025-H1'
    >>> _six_months_to(date(2026, 2, 26), {12}).code
    '2025-H2'
    >>> _six_months_to(date(2025, 5, 20), {3}).code
    '2024-10-01/2025-03-31'
    >>> _six_months_to(date(2025, 12, 20), {6}) is None
    True
    """
    for back in range(1, 5):
        year, month = divmod(published.year * 12 + published.month - 1 - back, 12)
        if month + 1 not in months:
            continue
        last = date(year, month + 1, calendar.monthrange(year, month + 1)[1])
        if 0 < (published - last).days <= _INTERIM_DELAY:
            first_year, first_month = divmod(year * 12 + month - 5, 12)
            return Period.interval(date(first_year, first_month + 1, 1), last)
    return None


def fiscal_interim(p: Period, end: tuple[int, int] | None, published: date | None) -> Period:
    """A calendar half named for a company whose fiscal year ends mid-year (the gazetteer's
    30 June): its interim, the six months to its fiscal half's end within four months before
    publication (新世界…中期 published 2026-02-26: 2025-07-01/2025-12-31); ``p`` itself
    where the year ends in December or no such half-end is near.

    >>> fiscal_interim(Period("2025-H1"), (6, 30), date(2026, 2, 26)).code
    '2025-H2'
    >>> fiscal_interim(Period("2025-H1"), (6, 30), date(2025, 6, 1)).code
    '2025-H1'
    >>> fiscal_interim(Period("2025-H1"), None, date(2025, 8, 20)).code
    '2025-H1'
    """
    if end is None or end[0] == 12 or published is None or p.kind != "half":
        return p
    return _six_months_to(published, {(end[0] + 5) % 12 + 1}) or p


def published_interim(p: Period, published: date | None, text: str = "") -> Period | None:
    """An interim under a filing title naming a fiscal year after the year published
    (澄江实业(01234) - 2026 - 中期业绩 published 2025-11-20): the six months to the last quarter's
    end within four months before publication (2025-04-01/2025-09-30); None where the title
    names no later year, the half itself fits, or no date is known.

    >>> title = "华辰(01234) - 2026 - 中期业绩"
    >>> published_interim(Period("2026-H1"), date(2025, 11, 26), title).code
    '2025-04-01/2025-09-30'
    >>> published_interim(Period("2025-H1"), date(2025, 8, 20), title) is None
    True
    >>> published_interim(Period("2025-H1"), date(2025, 11, 26), "上半年") is None
    True
    """
    title = _FISCAL_TITLE.search(text[:FISCAL_LEAD])
    if published is None or p.kind != "half" or title is None:
        return None
    if int(title["y"]) <= published.year:
        return None
    end = p.bounds()[1]
    if 0 < (published - end).days <= _INTERIM_DELAY:
        return None
    return _six_months_to(published, {3, 6, 9, 12})
