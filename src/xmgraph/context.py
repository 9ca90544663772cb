"""The context of a report: when it was published, and which of its text is boilerplate.

read -> normalize -> context -> extract. :func:`add_context` fills the
:class:`~xmgraph.model.Document`'s ``published`` and ``boilerplate``:

- ``published``: the date given (``--date``, ``published=``) wins; else the dateline the text
  carries. In its first lines: after a label (``date 2025-11-25``, ``公布日期：…``), opening
  the first line (``2025年11月25日，…``), after a short place, source or byline
  (``2025年11月25日 10:32 来源：…``, ``杭州2026年3月11日 /美通社/ --``), or a news agency's
  dateline (``新华社北京11月25日电``, ``…2月27日消息``: the year from elsewhere in the text,
  the same day written in full, or the first period the text reports, which ended at most
  four months before). Else the date of an announcement's closing (承董事会命 … 香港，
  二零二五年三月二十日), a press release's dateline on any line (``中国上海，2025年5月19日——``),
  or a date standing alone on one of the last lines, or the first row's date under a table's
  date column (起评日: a portal's list of broker ratings). Else, estimated
  (``published_estimated``), the day after the period whose results the lead says were
  published (公布2009年年报: 2010-01-01). None when there is none: relative periods (今年,
  去年) then resolve to nothing.
- ``boilerplate``: spans of the normalized text that state no results (the exchange's
  disclaimer, the directors' responsibility statement, 风险提示, 免责声明, 承董事会命 and
  what follows it, page headers and footers); :func:`in_boilerplate` tells extract whether
  a sentence lies in one.

Every word comes from ``ontology/periods.ttl`` and ``ontology/boilerplate.ttl``.

>>> from xmgraph.lexicon import load_lexicon
>>> from xmgraph.normalize import normalize
>>> from xmgraph.model import Report
>>> text = "新华社北京3月18日电 小米集团18日公布2024年业绩，营收3659亿元。\\n风险提示：市场有风险。"
>>> doc = add_context(normalize(Report("a.txt", text, "0", "utf-8")), load_lexicon())
>>> doc.published, doc.boilerplate
(datetime.date(2025, 3, 18), ((39, 50),))
>>> in_boilerplate(doc, 39, 50), in_boilerplate(doc, 12, 38)
(True, False)
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache

from xmgraph.diskcache import regex
from xmgraph.errors import Errors, XmgraphError
from xmgraph.lexicon import Lexicon
from xmgraph.model import Document, Period
from xmgraph.patterns import (
    HAN,
    DateWords,
    alternation,
    chinese_dates,
    compact,
    compile_patterns,
    months_ended,
    resolve_period,
    words,
)

#: A dateline is in the text's first lines; a closing date in its last lines.
LEAD_LINES = 3
#: … or in its first lines before the first sentence ends (a portal's quote box and tags
#: may stand before the headline and its dateline).
PAGE_LEAD_LINES = 10
TAIL_LINES = 3
#: Results are published within four months of the end of the period they report.
MAX_DELAY = timedelta(days=122)
#: A published period is named at most this many characters after the verb (公布其2009年年报).
ANNOUNCED_GAP = 4
#: A closing line holds its date and at most this many other characters (香港，…).
CLOSING_EXTRA = 16
#: A dateline's date follows at most this many characters (a place, a source, a byline).
DATELINE_PREFIX = 10
#: What may stand before a dateline's words on its line: brackets, bullets, spaces.
_OPENING = r"[^\S\n]*[(\[【<《]*[^\S\n]*"
#: What may open a heading's line: brackets, bullets, a number (六、风险提示).
_BULLET = r"[^\S\n]*(?:[(\[【<《●■◆*#>·•][^\S\n]*)*"
#: Characters that end a sentence (after normalization, ！？ are folded to !?).
_SENTENCE_END = "。!?\n"

Span = tuple[int, int]


def parse_date(value: str) -> date:
    """A ``--date`` value, ``YYYY-MM-DD``; E016 when it is not a calendar date.

    >>> parse_date("2025-11-25")
    datetime.date(2025, 11, 25)
    >>> parse_date("2025-02-30")
    Traceback (most recent call last):
    ...
    xmgraph.errors.XmgraphError: E016: bad --date '2025-02-30': use YYYY-MM-DD (a calendar date)
    """
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    try:
        if m is None:
            raise ValueError(value)
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise XmgraphError(Errors.E016, value=value) from None


def add_context(doc: Document, lexicon: Lexicon, *, published: date | None = None) -> Document:
    """``doc`` with its publication date (``published`` if given, else the text's dateline,
    else the earliest day the results its lead announces can have come out: then
    ``published_estimated``) and its boilerplate spans."""
    when = published if published is not None else find_published(doc.text, lexicon)
    estimated = when is None and (when := announced_period_end(doc.text, lexicon)) is not None
    return dataclasses.replace(
        doc,
        published=when,
        published_estimated=estimated,
        boilerplate=find_boilerplate(doc.text, lexicon),
    )


def in_boilerplate(doc: Document, start: int, end: int) -> bool:
    """Whether ``doc.text[start:end]`` (a sentence) overlaps the document's boilerplate."""
    spans = doc.boilerplate
    i = bisect.bisect_right([b for _, b in spans], start)  # the first span ending after start
    return i < len(spans) and spans[i][0] < max(end, start + 1)


# ---------------------------------------------------------------- the publication date


@dataclasses.dataclass(frozen=True)
class _DateRegexes:
    """The regexes of datelines, from the words of dates."""

    full: re.Pattern[str]  #: a date with its year: 2025年11月25日, 2025-11-25, 28/3/2025
    labelled: re.Pattern[str]  #: date 2025-11-25, 发布时间：…, at a line's start
    inline: re.Pattern[str]  #: a label and a colon inside a line (… 时间: 2025-05-09 08:17)
    opening: re.Pattern[str]  #: brackets and spaces, at a line's start
    wire: re.Pattern[str]  #: 新华社北京11月25日电
    as_of: re.Pattern[str]  #: 截至, 止: a date of a balance or a period, not of publication
    dateline_tail: re.Pattern[str]  #: after a dateline's date: nothing, a time, a dash, 电
    dash: re.Pattern[str]  #: after a press release's date: ——
    period_tail: re.Pattern[str]  #: 止, 的 right after a date: a period or a balance's date
    fiscal: re.Pattern[str]  #: 财年, FY: a period whose end the words do not tell
    announce: re.Pattern[str]  #: 公布, 发布: a verb of publishing results


@lru_cache(maxsize=8)
def _date_regexes(lexicon: Lexicon) -> _DateRegexes:
    w = DateWords.of_lexicon(lexicon)
    month, day = r"(?P<m>1[0-2]|0?[1-9])", r"(?P<d>[12]\d|3[01]|0?[1-9])"
    written = (
        rf"(?P<y>(?:19|20)\d{{2}})\s*(?:{w.year})\s*{month}\s*(?:{w.month})\s*{day}\s*(?:{w.day})"
    )
    iso = (
        r"(?P<iy>(?:19|20)\d{2})(?P<sep>[-/.])(?P<im>1[0-2]|0?[1-9])"
        r"(?P=sep)(?P<id>[12]\d|3[01]|0?[1-9])(?!\d)"
    )
    # 28/3/2025: a Hong Kong page's day, month and year
    dmy = (
        r"(?<![\d/.])(?P<dd>[12]\d|3[01]|0?[1-9])/(?P<dm>1[0-2]|0?[1-9])"
        r"/(?P<dy>(?:19|20)\d{2})(?!\d)"
    )
    label = alternation(list(lexicon.cue("dateline-label")))
    wire = words(lexicon.cue("dateline-wire"))
    dash = words(lexicon.cue("dateline-dash"))
    return _DateRegexes(
        full=regex(rf"(?<!\d){written}|(?<![\d.\-/]){iso}|{dmy}"),
        labelled=regex(rf"{_OPENING}(?:{label})[^\S\n]*[:：]?[^\S\n]*"),
        inline=regex(rf"(?<![{HAN}A-Za-z])(?:{label})[^\S\n]*[:：][^\S\n]*"),
        opening=regex(_OPENING),
        wire=regex(
            rf"(?:(?P<y>(?:19|20)\d{{2}})\s*(?:{w.year})\s*)?{month}\s*(?:{w.month})\s*{day}"
            rf"\s*(?:{w.day})\s*(?:{wire})"
        ),
        as_of=regex(f"{w.as_of}|{w.ended_by}"),
        dateline_tail=regex(
            rf"[^\S\n]*(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?[^\S\n]*(?:$|(?<=\s)|{dash}|{wire})"
        ),
        dash=regex(rf"[^\S\n]*(?:{dash})"),
        period_tail=regex(rf"\s*(?:{w.ended_by}|{w.of})"),
        fiscal=regex(alternation(list(lexicon.cue("fiscal-period-word")))),
        announce=regex(alternation(list(lexicon.cue("announce")))),
    )


def _date_of(m: re.Match[str]) -> date | None:
    """The date a match of ``_DateRegexes.full`` writes (None for 2月30日)."""
    if m["dy"]:
        y, mo, d = m["dy"], m["dm"], m["dd"]
    else:
        y, mo, d = (m["y"], m["m"], m["d"]) if m["y"] else (m["iy"], m["im"], m["id"])
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def full_dates(text: str, start: int, end: int, lexicon: Lexicon) -> list[tuple[Span, date]]:
    """The dates written with their year in ``text[start:end]``, in digits or in Chinese
    numerals, with their spans.

    >>> from xmgraph.lexicon import load_lexicon
    >>> full_dates("香港，二零二五年三月二十日；2025-11-25", 0, 25, load_lexicon())
    [((3, 13), datetime.date(2025, 3, 20)), ((14, 24), datetime.date(2025, 11, 25))]
    """
    rx = _date_regexes(lexicon)
    found = [(m.span(), d) for m in rx.full.finditer(text, start, end) if (d := _date_of(m))]
    for span, digits in chinese_dates(text, start, end, lexicon):
        m = rx.full.fullmatch(digits)
        if m is not None and (d := _date_of(m)) is not None:
            found.append((span, d))
    return sorted(found)


def _lines(text: str) -> list[Span]:
    """The spans of the non-empty lines of ``text`` (without their line break)."""
    return [m.span() for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def find_published(text: str, lexicon: Lexicon) -> date | None:
    """The publication date a text's dateline gives, or None (see the module docstring).

    >>> from xmgraph.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> find_published("date 2025-11-25\\n小米集团公布业绩。", lex)
    datetime.date(2025, 11, 25)
    >>> find_published("标题\\n2025年11月25日 10:32 来源：证券时报\\n正文。", lex)
    datetime.date(2025, 11, 25)
    >>> find_published("截至2024年12月31日，员工总数为5962人。", lex) is None
    True
    >>> page = "华辰网\\n下载客户端\\n首页 > 正文\\n华辰业绩出炉!\\n2023-05-17 09:12 来源:华辰报"
    >>> find_published(page, lex)
    datetime.date(2023, 5, 17)
    >>> find_published("股票\\n华辰业绩谁更胜一筹?\\n来源:华辰\\n2025-05-30 16:26\\n正文。", lex)
    datetime.date(2025, 5, 30)
    """
    lines = _lines(text)
    head = lines[: _lead_lines(text, lines)]
    found = (
        _first(_head_date(text, a, b, lexicon, first=n == 0) for n, (a, b) in enumerate(head))
        or _first(_wire_date(text, a, b, lexicon) for a, b in head)
        or _first(_inline_date(text, a, b, lexicon) for a, b in head)
        or _first(_closing_date(text, a, b, lexicon) for a, b in _closing_lines(text, lexicon))
        or _first(_release_date(text, a, b, lexicon) for a, b in lines)
        or _first(_closing_date(text, a, b, lexicon) for a, b in reversed(lines[-TAIL_LINES:]))
        or _english_date(text[:LEAD_CHARS])
        or ((row := rating_row(text, lexicon)) and row[2])
    )
    return found or None


def _lead_lines(text: str, lines: list[Span]) -> int:
    """How many of the first lines a dateline may stand on: :data:`LEAD_LINES`, or up to
    :data:`PAGE_LEAD_LINES` while no line before has ended a sentence (furniture, a headline),
    and the two lines after the first that ends one (a headline ending in ! over its dateline,
    maybe a source line between)."""
    for k, (a, b) in enumerate(lines[:PAGE_LEAD_LINES]):
        if any(ch in text[a:b] for ch in "。!?"):
            return min(PAGE_LEAD_LINES, max(LEAD_LINES, k + 3))
    return PAGE_LEAD_LINES


#: An English date (Aug 23, 2021; 23 August 2021): in a Chinese text, a page's date line.
_ENGLISH_DATE = re.compile(
    r"\b(?:(?P<m>[A-Z][a-z]{2,8})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>(?:19|20)\d\d)"
    r"|(?P<d2>\d{1,2})\s+(?P<m2>[A-Z][a-z]{2,8})\.?,?\s+(?P<y2>(?:19|20)\d\d))\b"
)
#: How far into a text its English date line is looked for.
LEAD_CHARS = 300


def _english_date(lead: str) -> date | None:
    """The first English date of ``lead`` (Aug 23, 2021), month names as Python's C locale
    reads them (%b, %B); None for none.

    >>> _english_date("华辰地产上半年多赚约2% Aug 21, 2025 华辰地产…")
    datetime.date(2025, 8, 21)
    """
    for m in _ENGLISH_DATE.finditer(lead):
        month, day, year = (m["m"], m["d"], m["y"]) if m["m"] else (m["m2"], m["d2"], m["y2"])
        for form in ("%b %d %Y", "%B %d %Y"):
            try:
                return datetime.strptime(f"{month} {day} {year}", form).date()
            except ValueError:
                continue
    return None


def _inline_date(text: str, a: int, b: int, lexicon: Lexicon) -> date | None:
    """A date right after a label and a colon inside one of the first lines (来源：华辰网
    时间: 2025-05-09 08:17:45 评论): a page's line of source and time."""
    for m in _date_regexes(lexicon).inline.finditer(text, a, b):
        dates = full_dates(text, m.end(), b, lexicon)
        if dates and dates[0][0][0] == m.end():
            return dates[0][1]
    return None


def _first(found: Iterable[date | None]) -> date | None:
    return next((d for d in found if d is not None), None)


def _head_date(text: str, a: int, b: int, lexicon: Lexicon, *, first: bool) -> date | None:
    """A date of one of the text's first lines: right after a label (date 2025-11-25,
    公布日期：…; a month alone on the first line, date 2023-11, its first day); opening the
    first line (2025年11月25日，小米集团发布…); or after a short place, source or byline and
    before nothing, a time, a dash or a wire word
    (2025年11月25日 10:32 来源：…, 杭州2026年3月11日 /美通社/ --, 润衡证券研究所 2025年11月2日).
    Never a date a period or a balance is of (截至…, …止, …的)."""
    rx = _date_regexes(lexicon)
    labelled = rx.labelled.match(text, a, b)
    start = labelled.end() if labelled else a
    dates = full_dates(text, start, b, lexicon)
    if not dates:
        month = _MONTH_ONLY.match(text, start, b) if labelled and first else None
        return date(int(month["y"]), int(month["m"]), 1) if month else None
    (d_start, d_end), when = dates[0]
    prefix = text[start:d_start]
    if rx.period_tail.match(text, d_end, b) or rx.as_of.search(prefix):
        return None
    if labelled:  # 发布时间：08:30 2025-06-27 HKT: the time may stand before the date
        return when if first or not _CLOCK.sub("", prefix).strip() else None
    if first and not prefix.strip(" ([【<《"):
        return when if not prefix.strip() or first else None
    if first and _HEADLINE_DATE.fullmatch(prefix) and text[d_end : d_end + 1].isspace():
        return when  # 华辰上半年多赚8% 2025年8月27日 华辰(01234)…: a page run into one line
    prefix = _CLOCK.sub("", prefix)  # 财经 09:41 2024/03/12: a section and the time, then the date
    prefix = _URL.sub("", prefix)  # http://finance.example.com 2011-08-19 20:55: the page's address
    short = len(compact(prefix)) <= DATELINE_PREFIX and not re.search(r"\d", prefix)
    return when if short and rx.dateline_tail.match(text, d_end, b) else None


#: The first line's headline before its date, where a page's headline, date and body run into
#: one line: no sentence or clause ends in it, and a space stands before the date.
_HEADLINE_DATE = re.compile(r"[^。，,；;:：！？!?\n]{4,60}\s")


#: A labelled first line's month with no day (date 2023-11): the text was published that month
#: (its first day stands for it; relative periods need only the year and the month).
_MONTH_ONLY = re.compile(r"(?P<y>(?:19|20)\d{2})-(?P<m>1[0-2]|0?[1-9])(?=\s|$)")

#: A web address (a page's, copied with its text before the dateline).
_URL = re.compile(r"(?:https?://|www\.)[\w.\-/%?=&#]+")

#: A time of day (09:41, 07:24:05), written before or after a dateline's date.
_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")


def _release_date(text: str, a: int, b: int, lexicon: Lexicon) -> date | None:
    """A press release's dateline, on any line: a place, a comma, a date and a dash
    (中国上海，2025年5月19日——)."""
    rx = _date_regexes(lexicon)
    dates = full_dates(text, a, b, lexicon)
    if not dates:
        return None
    (d_start, d_end), when = dates[0]
    prefix = compact(text[a:d_start])
    if not prefix.endswith(",") or len(prefix) > DATELINE_PREFIX or re.search(r"\d", prefix):
        return None
    return when if rx.dash.match(text, d_end, b) else None


def _closing_lines(text: str, lexicon: Lexicon) -> list[Span]:
    """The lines of an announcement's closing (承董事会命 … to a blank line), last first."""
    out: list[Span] = []
    for m in _boilerplate_regexes(lexicon).closing.finditer(text):
        end = _block_end(text, m.end())
        out.extend(reversed([s for s in _lines(text[:end]) if s[0] >= m.start()]))
    return out


def _wire_date(text: str, a: int, b: int, lexicon: Lexicon) -> date | None:
    """A news agency's dateline: 新华社北京11月25日电, its year stated or inferred."""
    rx = _date_regexes(lexicon)
    m = rx.wire.search(text, a, b)
    if m is None or "。" in text[a : m.start()] or m.start() - a > 20:
        return None
    month, day = int(m["m"]), int(m["d"])
    try:
        if m["y"]:
            return date(int(m["y"]), month, day)
        for _, when in full_dates(text, 0, len(text), lexicon):  # the same day, in full
            if (when.month, when.day) == (month, day):
                return when
        end = _first_period_end(text, m.end(), lexicon)
        if end is None:
            return None
        when = date(end.year, month, day)
        if when <= end:
            when = date(end.year + 1, month, day)
    except ValueError:
        return None
    return when if when - end <= MAX_DELAY else None


def announced_period_end(text: str, lexicon: Lexicon) -> date | None:
    """The day after the period whose results the text's lead says were published
    (华辰医药公布2009年年报，去年营收…: 2010-01-01): the earliest day they can have come out,
    so that 去年 is that year and 本季 its last quarter. Only a period named with its year
    right after a verb of publishing (cue set ``announce``); a year named elsewhere
    (由2019年底的…) may be a comparison's.

    >>> from xmgraph.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> announced_period_end("华辰医药公布2009年年报，去年营收4.2亿元。", lex)
    datetime.date(2010, 1, 1)
    >>> announced_period_end("华辰银行不良率由2019年底的0.86%升至去年底的0.97%。", lex) is None
    True
    >>> announced_period_end("华辰酒业发布2024年年报与2025年第一季度报告。", lex)
    datetime.date(2025, 4, 1)
    >>> announced_period_end("华辰酒业发布2025年夏季报告。", lex) is None
    True
    """
    rx = _date_regexes(lexicon)
    for m in rx.announce.finditer(text, 0, LEAD_CHARS):
        found = _named_period(text, m.end(), lexicon)
        if found is None or found[0] - m.end() > ANNOUNCED_GAP:
            continue
        last = found
        # 发布2024年年报与2025年一季报: the latest of the periods listed after the verb
        joiner = _period_joiner(lexicon)
        while (joined := joiner.match(text, last[1])) is not None:
            more = _named_period(text, joined.end(), lexicon)
            if more is None or more[0] != joined.end():
                break
            last = more if more[2] > last[2] else (last[0], more[1], last[2])
        return last[2] + timedelta(days=1)
    return None


@lru_cache(maxsize=8)
def _period_joiner(lexicon: Lexicon) -> re.Pattern[str]:
    """Between two periods a lead lists as published (2024年年报与2025年一季报)."""
    return regex(rf"\s*(?:{alternation(list(lexicon.cue('period-list-joiner')))})\s*")


def _named_period(text: str, start: int, lexicon: Lexicon) -> tuple[int, int, date] | None:
    """The first year ``text[start:]`` names with a period word or a results word after it
    (2009年年报, 2025年第三季度, 2024年业绩): where it starts and ends, and the period's last
    day; None where the year has none (2025年夏季报告: no word we read, no guess)."""
    pats, rx = compile_patterns(lexicon), _date_regexes(lexicon)
    ended = _yeared_months_ended(text, start, lexicon)
    if ended is not None and ended[0].start() - start <= ANNOUNCED_GAP:
        if rx.fiscal.search(ended[0].group()):
            return None  # 截至2025年11月30日的2026财年第二季: its end is no calendar period's
        return ended[0].start(), ended[0].end(), ended[1].bounds()[1]  # 公布截至…止六个月
    year = pats.year.search(text, start)
    if year is None:
        return None
    at, word, period = _year_period(text, year, lexicon)
    if at < 0:
        return None  # 2025财年: a fiscal year, its end depends on the company's
    if word is not None:
        if period is None or "{" in period.code:
            return None
        return year.start(), word.end(), period.bounds()[1]
    results = (*lexicon.cue("results-word"), *lexicon.cue("annual-report-title"))
    if text.startswith(results, at) or text.startswith(lexicon.cue("after-year-suffix"), at):
        return year.start(), at, Period(year["y"]).bounds()[1]
    return None


def _year_period(
    text: str, year: re.Match[str], lexicon: Lexicon
) -> tuple[int, re.Match[str] | None, Period | None]:
    """Where what follows a year (its spaces passed) starts, the period word there and the
    period they name together; -1 where that is a fiscal year (2025财年: its end is the
    company's)."""
    pats, rx = compile_patterns(lexicon), _date_regexes(lexicon)
    after = re.compile(r"\s*").match(text, year.end())
    at = after.end() if after else year.end()
    word = pats.period_word.match(text, at)
    if rx.fiscal.match(text, year.end()) or (word and rx.fiscal.search(word.group())):
        return -1, word, None
    template = pats.period_by_word.get(compact(word.group())) if word else None
    return at, word, resolve_period(template, int(year["y"]), None) if template else None


def _yeared_months_ended(
    text: str, start: int, lexicon: Lexicon
) -> tuple[re.Match[str], Period] | None:
    """The first months-ended phrase in ``text[start:]`` (截至2025年6月30日止六个月) and its
    period, where it writes its year; None otherwise."""
    ended = compile_patterns(lexicon).ended.search(text, start)
    code = months_ended(ended, lexicon) if ended is not None and ended["y"] else None
    return (ended, Period(code)) if ended is not None and code is not None else None


def _first_period_end(text: str, start: int, lexicon: Lexicon) -> date | None:
    """The last day of the first period ``text[start:]`` names with its year (the period a
    results story reports), or None when it is a fiscal one (its end depends on the
    company's fiscal year)."""
    pats = compile_patterns(lexicon)
    found: list[tuple[int, Period]] = []
    ended = _yeared_months_ended(text, start, lexicon)
    if ended is not None:
        found.append((ended[0].start(), ended[1]))
    year = pats.year.search(text, start)
    if year is not None:
        at, _, period = _year_period(text, year, lexicon)
        if at < 0:
            return None
        found.append((year.start(), period or Period(year["y"])))
    return min(found, key=lambda f: f[0])[1].bounds()[1] if found else None


#: A table's first row stands at most this many lines below its header.
TABLE_ROWS = 8
#: A table's row: a name, a cell or more, a date (华辰医疗 医药生物 2024-10-28 35.20 …).
_ROW = re.compile(
    r"[^\S\n]*(?P<n>[^\W\d_]{2,10})[^\S\n]+\S.*?(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
)


def rating_row(text: str, lexicon: Lexicon) -> tuple[int, str, date] | None:
    """The first row of a table under a header line holding a date column's label (cue set
    ``dateline-column``: 研究员 推荐股票 所属行业 起评日 …), a portal's list of broker ratings:
    where the name opening it starts, the name, and the row's date (the day the note was
    published). None for no such table.

    >>> from xmgraph.lexicon import load_lexicon
    >>> rating_row("推荐股票 所属行业 起评日\\n华辰医疗 医药生物 2024-10-28 35.20", load_lexicon())
    (14, '华辰医疗', datetime.date(2024, 10, 28))
    """
    lines = _lines(text)
    labels = lexicon.cue("dateline-column")
    for k, (a, b) in enumerate(lines):
        if any(label in text[a:b] for label in labels):
            for c, d in lines[k + 1 : k + 1 + TABLE_ROWS]:
                m = _ROW.match(text, c, d)
                if m is not None:
                    with contextlib.suppress(ValueError):
                        return m.start("n"), m["n"], date(int(m["y"]), int(m["m"]), int(m["d"]))
            return None
    return None


def _closing_date(text: str, a: int, b: int, lexicon: Lexicon) -> date | None:
    """A date standing (nearly) alone on a line: 香港，二零二五年三月二十日."""
    dates = full_dates(text, a, b, lexicon)
    if len(dates) != 1:
        return None
    (start, end), when = dates[0]
    rest = text[a:start] + text[end:b]
    if len(compact(rest)) > CLOSING_EXTRA or re.search(r"\d", rest):
        return None
    return None if _date_regexes(lexicon).as_of.search(rest) else when


# ---------------------------------------------------------------- boilerplate


@dataclasses.dataclass(frozen=True)
class _BoilerplateRegexes:
    sentence: re.Pattern[str]  #: a cue anywhere: its sentence
    paragraph: re.Pattern[str]  #: opening a line: the line (a heading: and the next)
    section: re.Pattern[str]  #: opening a line: the line (a heading: to a blank line)
    closing: re.Pattern[str]  #: opening a line: to the end
    furniture: re.Pattern[str]  #: a line of page furniture only
    breadcrumb: re.Pattern[str]  #: a site's trail to the page (网易首页 > 网易号 > 正文)
    disclaimer: re.Pattern[str]  #: a cue anywhere: its sentence, the site's own disclaimer


@lru_cache(maxsize=8)
def _boilerplate_regexes(lexicon: Lexicon) -> _BoilerplateRegexes:
    nums = "".join(sorted(lexicon.numerals))
    number = rf"[^\S\n]*(?:\d+|[{nums}]+)[^\S\n]*"
    ordinal = rf"(?:(?:\d{{1,2}}|[{nums}]{{1,3}})[^\S\n]*[.、)][^\S\n]*)?"

    def opening(key: str) -> re.Pattern[str]:
        heading = alternation(list(lexicon.cue(key)))
        return regex(rf"^{_BULLET}{ordinal}(?:{heading})(?P<alone>[^\S\n]*[:：]?[^\S\n]*$)?", re.M)

    pieces = [
        r"[^\S\n]*".join(re.escape(part).replace("\\#", number) for part in cue.split())
        for cue in lexicon.cue("page-furniture")
    ]
    furniture = "|".join(sorted(pieces, key=len, reverse=True))
    return _BoilerplateRegexes(
        sentence=regex(alternation(list(lexicon.cue("boilerplate-sentence")))),
        paragraph=opening("boilerplate-paragraph"),
        section=opening("boilerplate-section"),
        closing=opening("boilerplate-closing"),
        furniture=regex(rf"^[^\S\n]*(?:(?:{furniture})[^\S\n,|·]*)+$", re.M),
        breadcrumb=regex(
            rf"^[^\n]*?(?:{alternation(list(lexicon.cue('breadcrumb-home')))})"
            r"[^\S\n]*[:：]?[^\S\n]*[>›»/][^\n]*$",
            re.M,
        ),
        disclaimer=regex(alternation(list(lexicon.cue("publisher-disclaimer")))),
    )


def publisher_disclaimers(text: str, lexicon: Lexicon) -> list[Span]:
    """The sentences of ``text`` that are the site's disclaimer of its own article (华辰证券
    有限公司(「华辰」)在撰写这篇文章时是基于…): boilerplate, whose names are the publisher's.

    >>> from xmgraph.lexicon import load_lexicon
    >>> text = "华辰科技公布业绩。华辰证券在撰写这篇文章时是基于公开资料。"
    >>> [text[a:b] for a, b in publisher_disclaimers(text, load_lexicon())]
    ['华辰证券在撰写这篇文章时是基于公开资料。']
    """
    found = _boilerplate_regexes(lexicon).disclaimer.finditer(text)
    return [_sentence_of(text, m.start(), m.end()) for m in found]


def breadcrumbs(text: str, lexicon: Lexicon) -> list[Span]:
    """The lines of ``text`` that are a site's trail to the page (网易首页 > 网易号 > 正文,
    当前位置：首页 > 财经): page furniture, whose site names no company the text is about.

    >>> from xmgraph.lexicon import load_lexicon
    >>> text = "华辰网首页 > 财经 > 正文\\n华辰科技公布业绩。"
    >>> [text[a:b] for a, b in breadcrumbs(text, load_lexicon())]
    ['华辰网首页 > 财经 > 正文']
    """
    return [m.span() for m in _boilerplate_regexes(lexicon).breadcrumb.finditer(text)]


def find_boilerplate(text: str, lexicon: Lexicon) -> tuple[Span, ...]:
    """The spans of ``text`` that are boilerplate, sorted and merged.

    >>> from xmgraph.lexicon import load_lexicon
    >>> text = "营收100亿元。\\n第3页 共10页\\n风险提示\\n行业竞争加剧。\\n\\n承董事会命\\n主席"
    >>> [text[a:b] for a, b in find_boilerplate(text, load_lexicon())]
    ['第3页 共10页\\n风险提示\\n行业竞争加剧。', '承董事会命\\n主席']
    """
    rx = _boilerplate_regexes(lexicon)
    lines = _lines(text)
    starts = [a for a, _ in lines]

    def line_of(m: re.Match[str]) -> int:
        return bisect.bisect_right(starts, m.start()) - 1

    spans = [_sentence_of(text, m.start(), m.end()) for m in rx.sentence.finditer(text)]
    for m in rx.paragraph.finditer(text):  # the line, and the next one after a heading
        k = line_of(m)
        after = min(k + 1, len(lines) - 1) if m["alone"] is not None else k
        spans.append((lines[k][0], lines[after][1]))
    for m in rx.section.finditer(text):  # the line, and after a heading its block
        (a, b) = lines[line_of(m)]
        spans.append((a, _block_end(text, b) if m["alone"] is not None else b))
    for m in rx.closing.finditer(text):
        (a, b) = lines[line_of(m)]
        spans.append((a, _block_end(text, b)))
    spans += breadcrumbs(text, lexicon)
    spans += publisher_disclaimers(text, lexicon)
    for m in rx.furniture.finditer(text):  # a whole line of page furniture only
        k = line_of(m)
        if k >= 0 and lines[k][1] == m.end() and not text[lines[k][0] : m.start()].strip():
            spans.append(lines[k])
    return _merged(spans)


def _sentence_of(text: str, start: int, end: int) -> Span:
    """The sentence around ``text[start:end]``, its final 。 included."""
    a = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    b = min((i for ch in _SENTENCE_END if (i := text.find(ch, end)) >= 0), default=len(text))
    return a, b + 1 if b < len(text) and text[b] != "\n" else b


def _block_end(text: str, pos: int) -> int:
    """The end of the last line before the next blank line (or the end of the text)."""
    blank = re.compile(r"\n[^\S\n]*\n").search(text, pos)
    return len(text.rstrip()) if blank is None else blank.start()


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    """Sorted, with the spans that overlap or touch across a line break made one."""
    out: list[Span] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)
