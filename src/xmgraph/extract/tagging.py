"""Tagging: the mentions of a sentence (quantities, periods, metrics, entities, regions …).

Each family of mentions is found by a named tagger (rules of the stage ``mention`` in
``ontology/rules/mentions.json``, run in their declared order); overlaps are resolved
longest-leftmost, then by the tagger's priority. A mention remembers the rule that made it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from xmgraph.diskcache import regex
from xmgraph.extract.company_rows import company_row_cells
from xmgraph.extract.frame import evolve, quick_init
from xmgraph.extract.rules import Rule, action
from xmgraph.extract.tables import inline_cells, label_line_cells, table_cells
from xmgraph.extract.year_rows import year_column_cells, year_row_cells
from xmgraph.lexicon import Lexicon, MetricInfo
from xmgraph.model import Entity, Period
from xmgraph.names import EntityFinder, data_source_after
from xmgraph.part_tables import part_rows
from xmgraph.patterns import (
    CLAUSE_BREAK,
    HAN,
    ID,
    Mention,
    Patterns,
    alternation,
    chinese_dates,
    chinese_numeral,
    compact,
    compile_patterns,
    date_template,
    first_months,
    group_of_companies,
    month_range,
    months_ended,
    parse_chinese_quantity,
    parse_quantity,
    range_years,
    read_digits,
    year_range,
)

#: How far before a sentence the place taggers start scanning, so that a place name
#: running into the sentence is seen whole (names are a few characters long); scanning
#: from the document's start instead made tagging quadratic in the text's length.
PLACE_LOOKBACK = 256

#: A place the regions of the ontology do not name: figures limited to it are left out.
UNKNOWN_REGION = Entity(iri=f"{ID}region/unknown", kind="region", label="?", known=False)


@quick_init
@dataclass(frozen=True)
class Span:
    """A sentence's text and bounds, with what taggers need to read it."""

    text: str
    start: int
    end: int
    pats: Patterns
    ents: EntityFinder
    lexicon: Lexicon
    extra: TagPatterns


@dataclass(frozen=True)
class TagPatterns:
    """Regexes built once per lexicon from its cue sets (never per sentence)."""

    adjusted: re.Pattern[str]
    region_tail: re.Pattern[str]
    named_kind: re.Pattern[str]
    mixed: re.Pattern[str]
    union: re.Pattern[str]
    after_place: re.Pattern[str]
    complement: re.Pattern[str]
    dateline: re.Pattern[str]
    unknown_place: re.Pattern[str]
    place: re.Pattern[str]
    place_suffix: re.Pattern[str]  #: the end of a :attr:`place`: one is in each
    market: re.Pattern[str]


@lru_cache(maxsize=8)
def tag_patterns(lexicon: Lexicon) -> TagPatterns:
    """The cue regexes of the taggers, compiled once for a lexicon."""
    pats = compile_patterns(lexicon)
    region_tail = regex(alternation(list(lexicon.cue("region-suffix"))))
    kinds = alternation(list(lexicon.cue("product-kind")))
    han_joiners = [w for w in lexicon.cue("series-joiner") if regex(f"[{HAN}]+").fullmatch(w)]
    joiners = alternation(han_joiners)
    mixed = regex(
        rf"(?:{joiners})(?P<other>[{HAN}]{{1,4}}?)"
        rf"(?:{region_tail.pattern})?(?=\s*(?:{pats.metric.pattern}))"
    )
    places = alternation(list(lexicon.cue("place-suffix")))
    return TagPatterns(
        adjusted=regex(
            alternation([*lexicon.cue("adjusted"), *lexicon.cue("accounting-standard")])
        ),
        region_tail=region_tail,
        named_kind=regex(rf"(?:{kinds})\s*[A-Za-z“\"「]"),
        mixed=mixed,
        union=regex(rf"(?:{joiners})(?P<other>{pats.region.pattern})"),
        # 中东及拉丁美洲: a place we have no region for joined before the region
        after_place=regex(
            rf"(?:{alternation([*lexicon.cue('unknown-place'), *lexicon.cue('joined-place')])})"
            rf"\s*(?:{joiners})\s*$"
        ),
        complement=regex(alternation(list(lexicon.cue("region-complement")))),
        dateline=regex(
            rf"\s*\d{{1,2}}(?:{alternation(list(lexicon.cue('month-suffix')))})\d{{1,2}}"
            rf"(?:{alternation(list(lexicon.cue('day-suffix')))})\s*"
            rf"(?:{alternation(list(lexicon.cue('byline-end')))})"
        ),
        unknown_place=regex(alternation(list(lexicon.cue("unknown-place")))),
        place=regex(rf"[{HAN}]{{2,4}}?(?:{places})"),
        place_suffix=regex(places),
        market=regex(
            rf"(?:{alternation(list(lexicon.cue('market-lead')))})(?=\s*[，,：:])|"
            + alternation(list(lexicon.cue("market-wide")))
            + "|"
            + group_of_companies(lexicon)
        ),
    )


Found = Iterator[tuple[Mention, int]]  #: mentions with their priority (lower wins a tie)


def tagger(name: str) -> Callable[[Callable[..., Found]], Callable[..., Found]]:
    """Register a tagger: the action ``name`` of the stage ``mention``."""
    return action("mention", name)


@tagger("quantities")
def _quantities(s: Span, rule: Rule) -> Found:
    """Figures with a scale, a unit or a currency prefix (52.3亿元, 12.5%, US$1.2); a dash
    right after another figure joins a range, no minus sign (21.00亿元-23.60亿元, 5%-8%)."""
    last_end = -1
    for m in s.pats.quantity.finditer(s.text, s.start, s.end):
        if m["scale"] or m["unit"] or m["prefix"]:
            q = parse_quantity(m, s.pats, s.lexicon)
            if q is None:
                continue
            if m.start() == last_end and m["num"][0] in "-−" and q.value is not None:
                q = replace(q, start=m.start("num") + 1, value=-q.value)
            last_end = m.end()
            yield q, 0


@lru_cache(maxsize=8)
def change_line(lexicon: Lexicon) -> re.Pattern[str]:
    """A line that states only a change or a range of changes, opened by a word of the year
    before (　比上年同期增长：49.79%–71.99%): the change of the table row above it; or only the
    second end of a range (至-42,800 万元。: a notice's line wrapped inside its range)."""
    yoy = alternation(list(lexicon.cue("yoy")))
    moves = alternation([*lexicon.cue("increase"), *lexicon.cue("decrease")])
    joiners = alternation(list(lexicon.cue("range-joiner")))
    pct = r"[-+−]?\d+(?:\.\d+)?\s*[%％]"
    amount = r"[-+−]?\d[\d,]*(?:\.\d+)?\s*[^\d\s。；;]{1,3}\s*[。；;]?"
    return regex(
        rf"[\s|]*(?:(?:{yoy})\s*(?:{moves})?\s*[：:]?\s*{pct}(?:\s*(?:{joiners})\s*{pct})?"
        rf"|(?:{joiners})\s*{amount})[\s|]*"
    )


@tagger("range-status-amounts")
def _range_status_amounts(s: Span, rule: Rule) -> Found:
    """The second end of a range that repeats the first's status word (为亏损1.9亿元到亏损2.45
    亿元): the figure spans the word, so that the two ends stand joined by the joiner alone."""
    for m in _status_after_joiner(s.lexicon).finditer(s.text, s.start, s.end):
        found = s.pats.quantity.match(s.text, m.end(), s.end)
        q = parse_quantity(found, s.pats, s.lexicon) if found is not None else None
        if found is not None and q is not None and (found["scale"] or found["unit"]):
            yield replace(q, start=m.start("status")), 0


@lru_cache(maxsize=8)
def _status_after_joiner(lexicon: Lexicon) -> re.Pattern[str]:
    joiners = alternation(list(lexicon.cue("range-joiner")))
    status = alternation(list(lexicon.cue("range-status")))
    return regex(rf"(?<=[\d元%])\s*(?:{joiners})\s*(?P<status>{status})\s*(?=\d)")


@tagger("range-units")
def _range_units(s: Span, rule: Rule, *, joiner: str) -> Found:
    """4,120萬至4,380萬美元: an amount with its scale but no unit, opening a range whose other
    end names a currency, is in that currency."""
    after = _joined_after(s.lexicon.cue(joiner))
    for m in s.pats.quantity.finditer(s.text, s.start, s.end):
        if m["unit"] or m["prefix"] or not m["scale"]:
            continue
        joined = after.match(s.text, m.end(), s.end)
        end = s.pats.quantity.match(s.text, joined.end(), s.end) if joined else None
        if end is None or not end["scale"] or end["prefix"]:
            continue
        q, other = parse_quantity(m, s.pats, s.lexicon), parse_quantity(end, s.pats, s.lexicon)
        if q is not None and other is not None and other.unit and other.unit.currency:
            yield replace(q, unit=other.unit), -1


@lru_cache(maxsize=8)
def _joined_after(joiners: tuple[str, ...]) -> re.Pattern[str]:
    """A range's joiner, with its spaces (至, 到)."""
    return regex(rf"\s*(?:{alternation(list(joiners))})\s*")


@tagger("compound-amounts")
def _compound_amounts(s: Span, rule: Rule) -> Found:
    """An amount written in two scales (6亿5600万元, 人民币3億2000萬元): one figure, the sum,
    in the currency either part names; never two."""
    scales = _scale_words(s.lexicon)
    if not all(any(s.text.find(w, s.start, s.end) >= 0 for w in ws) for ws in scales):
        return  # no 亿 or no 万 in the sentence (most): no quantity read twice
    last: re.Match[str] | None = None
    for m in s.pats.quantity.finditer(s.text, s.start, s.end):
        head, last = last, m
        if head is None or not _two_scales(s, head, m):
            continue
        first, second = (parse_quantity(x, s.pats, s.lexicon) for x in (head, m))
        if first is None or second is None or first.value is None or second.value is None:
            continue
        if second.unit is not None and not second.unit.currency:
            continue  # 营收6亿 5600万用户: an amount, then a count of its own
        unit = second.unit or first.unit
        yield replace(second, start=first.start, value=first.value + second.value, unit=unit), -1


def _two_scales(s: Span, head: re.Match[str], tail: re.Match[str]) -> bool:
    """Whether ``tail`` goes on ``head`` as an amount in two scales: whole numbers, 亿 then
    fewer than ten thousand 万, nothing between them, a unit or a prefix on one side only."""
    scales = s.lexicon.scales
    big, small = (scales.get(compact(x["scale"] or "")) for x in (head, tail))
    low = tail["num"].replace(",", "")  # 7億9,190萬港元: the 万 part may have its thousands marked
    return (
        big == 10**8
        and small == 10**4
        and not s.text[head.end() : tail.start()].strip()
        and not head["unit"]
        and not tail["prefix"]
        and _WHOLE.fullmatch(head["num"] + low) is not None
        and int(low) < 10**4
    )


@lru_cache(maxsize=8)
def _scale_words(lex: Lexicon) -> tuple[tuple[str, ...], ...]:
    """The words of the scales 10⁸ and 10⁴ (亿/億, 万/萬): an amount in two scales holds both."""
    return tuple(tuple(w for w, v in lex.scales.items() if v == n) for n in (10**8, 10**4))


#: Digits only: the parts of an amount in two scales are whole numbers.
_WHOLE = re.compile(r"\d+")


@tagger("listed-amounts")
def _listed_amounts(s: Span, rule: Rule, *, joiner: str, percent: bool = False) -> Found:
    """4.2、4.9、5.6亿元 (a broker's forecasts after 分别为): the bare numbers of a list take
    the scale and unit written once after its last figure (a percentage's too: ``percent``)."""
    joined, lists = _listed_patterns(s.lexicon.cue(joiner))
    if joined.search(s.text, s.start, s.end) is None:
        return  # each list holds a joiner
    for m in lists.finditer(s.text, s.start, s.end):
        last = s.pats.quantity.match(s.text, m.end(), s.end)
        if last is None or not (last["scale"] or last["unit"]) or last["prefix"]:
            continue
        q, number = parse_quantity(last, s.pats, s.lexicon), read_digits(last["num"])
        if q is None or q.value is None or not number or (q.percent and not percent):
            continue
        for item in regex(_BARE).finditer(s.text, m.start(), m.end()):
            value = read_digits(item.group())
            if value is not None:
                scaled = value * q.value / number
                yield replace(q, start=item.start(), end=item.end(), value=scaled), 2


#: A number written without a scale or unit (an item of a list), its sign with it
#: (31.6/-0.8/-1.1亿元); never the digits of a model's or a quarter's name (X7、3300辆: no
#: figure 7), nor a year after a year (2025-2027: no figure -2027); thousands grouped with
#: commas (2,315/2,718/3,196百万元).
_BARE = r"(?<![\d.,A-Za-z])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d.,%A-Za-z])"


@lru_cache(maxsize=64)
def _listed_patterns(joiners: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A joiner of :func:`_listed_amounts`, and the bare numbers joined by them before the
    last figure (made once per cue set, not per sentence)."""
    joins = alternation(list(joiners))
    return regex(joins or "(?!)"), regex(rf"{_BARE}(?:\s*(?:{joins})\s*{_BARE})*\s*(?:{joins})\s*")


@tagger("chinese-amounts")
def _chinese_amounts(s: Span, rule: Rule) -> Found:
    """An amount in Chinese numerals with a scale or a currency (港幣二十五億六千三百萬元)."""
    for m in s.pats.cn_quantity.finditer(s.text, s.start, s.end):
        q = parse_chinese_quantity(m, s.pats, s.lexicon)
        if q is not None:
            yield q, 0


@tagger("table-cells")
def _table_cells(s: Span, rule: Rule) -> Found:
    """Bare numbers of a table written as text, in its header's unit (a cell of a column of a
    pipe table wins over a quantity of the same span: -28.93% is its row's change)."""
    cells = table_cells(s.text, s.start, s.end, s.pats, s.lexicon)
    # 净收入 ⏎ 1,236,200 1,002,400 23.3 %: a release's row, its label on the line above
    for q in cells or label_line_cells(s.text, s.start, s.end, s.pats, s.lexicon):
        yield q, -1 if q.column else 1


@tagger("year-row-cells")
def _year_row_cells(s: Span, rule: Rule) -> Found:
    """The figures of a table with a year a row and a metric a column, each with its column's
    metric and its row's year."""
    for q in year_row_cells(s.text, s.start, s.end, s.pats, s.lexicon):
        yield q, -1


@tagger("company-row-cells")
def _company_row_cells(s: Span, rule: Rule) -> Found:
    """The figures of a round-up's table with a company a row and a metric a column, each
    with its column's metric."""
    for q in company_row_cells(s.text, s.start, s.end, s.pats, s.lexicon):
        yield q, -2  # before a plain table's reading of the same cell


@tagger("part-row-cells")
def _part_row_cells(s: Span, rule: Rule) -> Found:
    """The figures of a table with a part a row and a metric a column (分行业 | 营业收入 | 占比 |),
    each with its column's metric."""
    for row in part_rows(s.text, s.lexicon):
        for q in row.cells:
            if s.start <= q.start < s.end:
                yield q, -1


@tagger("year-column-cells")
def _year_column_cells(s: Span, rule: Rule) -> Found:
    """The figures of a table with a metric a row and a year a column, each with its row's
    metric, its column's year and its growth row's change."""
    for q in year_column_cells(s.text, s.start, s.end, s.pats, s.lexicon):
        yield q, -2  # before a plain table's reading of the same cell


@tagger("inline-table-cells")
def _inline_table_cells(s: Span, rule: Rule) -> Found:
    """The figures of a table run into one line under two years and a change, each with its
    column (this year, the year before, the change)."""
    for q in inline_cells(s.text, s.start, s.end, s.pats, s.lexicon):
        yield q, -1


@tagger("standalone-scales")
def _standalone(s: Span, rule: Rule) -> Found:
    """A scale word standing for a figure (破千亿元)."""
    for m in s.pats.standalone.finditer(s.text, s.start, s.end):
        mult = s.lexicon.scales[compact(m["scale"])]
        unit = s.pats.unit_by_word.get(compact(m["unit"] or ""))
        yield Mention("quantity", m.start(), m.end(), value=mult, unit=unit), 1


@tagger("fractions")
def _fractions(s: Span, rule: Rule) -> Found:
    """A fraction in words (三分之一): a percentage."""
    for m in s.pats.fraction.finditer(s.text, s.start, s.end):
        den, nom = chinese_numeral(m["den"], s.lexicon), chinese_numeral(m["nom"], s.lexicon)
        if den and nom is not None and nom <= den:
            value = (Decimal(nom) * 100 / Decimal(den)).quantize(Decimal("0.01")).normalize()
            yield Mention("quantity", m.start(), m.end(), value=value, percent=True), 0


@tagger("numeral-changes")
def _numerals(s: Span, rule: Rule) -> Found:
    """A change in words: 三成 (30%), 三成半 (35%), 两成一 (21%), 增长两倍 (+200%)."""
    for m in s.pats.numeral.finditer(s.text, s.start, s.end):
        n = chinese_numeral(m["cn"], s.lexicon)
        if not n:
            continue
        unit = s.pats.unit_by_word.get(compact(m["times"] or ""))
        if unit is not None and unit.change_multiplier is not None:
            value = n * unit.change_multiplier
        else:
            hundredths = chinese_numeral(m["hundredth"], s.lexicon) if m["hundredth"] else 0
            value = Decimal(n * 10) + (5 if m["half"] else 0) + (hundredths or 0)
        yield Mention("quantity", m.start(), m.end(), value=value, percent=True), 0


@tagger("flat")
def _flat(s: Span, rule: Rule) -> Found:
    """同比持平: a change of 0 %."""
    for m in s.pats.flat.finditer(s.text, s.start, s.end):
        a, b = m.span("flat")
        yield Mention("quantity", a, b, value=Decimal(0), percent=True, flat=True), 0


@tagger("month-ranges")
def _months(s: Span, rule: Rule) -> Found:
    """1-9月, 1至6月: a range of months of the year in force; 前8月, 首11个月: the months from
    its start."""
    for m in s.pats.months.finditer(s.text, s.start, s.end):
        code = month_range(m)
        if code is not None:
            yield Mention("period", m.start(), m.end(), period=code), 1
    for m in s.pats.first_months.finditer(s.text, s.start, s.end):
        if (code := first_months(m, s.lexicon)) is not None:
            yield Mention("period", m.start(), m.end(), period=code), 1


@tagger("noise")
def _noise(s: Span, rule: Rule) -> Found:
    """Numbers that are no figures: stock codes, versions, model names."""
    for m in s.pats.noise.finditer(s.text, s.start, s.end):
        yield Mention("noise", m.start(), m.end()), 1


@tagger("months-ended")
def _ended(s: Span, rule: Rule) -> Found:
    """截至2024年6月30日止六个月: the months ended on a date."""
    for m in s.pats.ended.finditer(s.text, s.start, s.end):
        code = months_ended(m, s.lexicon)
        if code is not None:
            yield Mention("period", m.start(), m.end(), period=code), 1


def _bare_month(s: Span, m: re.Match[str]) -> Found:
    """A bare month right before a metric (4月交付量, 11月总销量: a word of month-modifier
    between), opening a sentence (12月，…), or opening a clause after a company is named
    (韵驰股份10月快递服务业务收入…, …，10月公司…)."""
    before = s.text[m.start() - 1 : m.start()]
    opens = m.start() == s.start and s.text[m.end() : m.end() + 1] == ","
    opens = opens or (m.start() > s.start and before in CLAUSE_BREAK)
    after_digit = s.text[m.start() - 1 : m.start()].isdigit()
    gap = next((w for w in s.lexicon.cue("month-modifier") if s.text.startswith(w, m.end())), "")
    metric = s.pats.metric.match(s.text, m.end() + len(gap), s.end)
    if (opens or metric) and not after_digit:
        yield Mention("period", m.start(), m.end(), period=f"{{year}}-{int(m['m']):02d}"), 2


@tagger("dates")
def _dates(s: Span, rule: Rule) -> Found:
    """Dates: a period (2024年, 截至2024年6月30日) or a publication date (11月18日)."""
    for m in s.pats.date.finditer(s.text, s.start, s.end):
        if not (m["asof"] or m["y"] or m["d"] or m["e"]):
            yield from _bare_month(s, m)
        elif (q := _dated(s, m)) is not None:
            yield q, 2


def _dated(s: Span, m: re.Match[str]) -> Mention | None:
    """A date written with its year, day, month's end or as-of word: a period, a date it is at,
    or a publication's (or a report's issue: 第一季度报告 2025年04月)."""
    if _issue_date(s, m.start()) and not (m["asof"] or m["e"]):
        return Mention("date", m.start(), m.end())
    if m["asof"] or (m["y"] and not m["d"]) or m["e"]:  # 9月末: a month's end, a date
        return _as_of(s, m)
    if m["y"] and _comparative_date(s.text, m.start(), m.end()):
        return Mention("period", m.start(), m.end(), period=date_template(m), as_of=True)
    if m["y"] or m["d"]:
        return Mention("date", m.start(), m.end())
    return None


def _as_of(s: Span, m: re.Match[str]) -> Mention:
    """A date a figure may be at (截至2024年6月30日, 2024年6月, 9月末); a month's end right
    after a comparison word (较今年3月底) is the date compared with, no period."""
    if not (m["asof"] or m["y"]) and _compared(s, m.start()):
        return Mention("noise", m.start(), m.end())
    as_of = bool(m["asof"] or m["e"])
    return Mention("period", m.start(), m.end(), period=date_template(m), as_of=as_of)


def _issue_date(s: Span, start: int) -> bool:
    """A periodic report's title (第一季度报告) stands right before ``start``: the date after
    it is the report's issue, no period (a PDF's cover: 2025年第一季度报告 2025年04月)."""
    before = s.text[max(s.start, start - 12) : start].rstrip()
    return before.endswith(s.lexicon.cue("periodic-report-title"))


#: How far before a month's end a comparison word makes it the date compared with (较今年).
_COMPARED_REACH = 4


def _compared(s: Span, start: int) -> bool:
    """A comparison word (较, 比) stands just before ``start``."""
    before = s.text[max(s.start, start - _COMPARED_REACH) : start]
    return any(w in before for w in s.lexicon.cue("compare"))


@tagger("date-ranges")
def _date_ranges(s: Span, rule: Rule, *, joiner: str) -> Found:
    """2022年1月1日至2022年12月31日期间: two whole dates joined by a ``joiner`` word are one
    period, from the first day to the last (2022)."""
    joins = _joiner(s.lexicon.cue(joiner))
    for m in s.pats.date.finditer(s.text, s.start, s.end):
        j = joins.match(s.text, m.end(), s.end) if m["y"] and m["d"] else None
        other = s.pats.date.match(s.text, j.end(), s.end) if j is not None else None
        if other is None or not (other["y"] and other["d"]):
            continue
        try:
            first = date.fromisoformat(date_template(m))
            last = date.fromisoformat(date_template(other))
        except ValueError:
            continue  # 2月30日: no day
        if first < last:
            yield (
                Mention("period", m.start(), other.end(), period=Period.interval(first, last).code),
                1,
            )


@lru_cache(maxsize=16)
def _joiner(words: tuple[str, ...]) -> re.Pattern[str]:
    """One of ``words`` with the spaces around it (made once per cue set)."""
    return regex(rf"\s*(?:{alternation(list(words))})\s*")


@tagger("chinese-dates")
def _chinese_dates(s: Span, rule: Rule) -> Found:
    """截至二零二四年十二月三十一日止年度: read as the same words written with digits."""
    for span, digits in chinese_dates(s.text, s.start, s.end, s.lexicon):
        ended = s.pats.ended.fullmatch(digits)
        code = months_ended(ended, s.lexicon) if ended else None
        dated = s.pats.date.fullmatch(digits)
        if code is not None:
            yield Mention("period", *span, period=code), 1
        elif dated is not None and (dated["asof"] or not dated["d"]):
            tpl = date_template(dated)
            yield Mention("period", *span, period=tpl, as_of=bool(dated["asof"])), 2
        elif dated is not None and dated["y"] and _comparative_date(s.text, *span):
            yield Mention("period", *span, period=date_template(dated), as_of=True), 2
        elif dated is not None:
            yield Mention("date", *span), 2
        elif year := _CN_YEAR.fullmatch(digits):  # 二零二一年, 于二零二一年(同期)
            yield Mention("period", *span, period=year[1]), 3


def _comparative_date(text: str, start: int, end: int) -> bool:
    """A whole date that opens brackets and a colon follows (（二零二四年十二月三十一日：19.8%）):
    the point in time of a comparative figure, not a date the text was written on."""
    before, after = text[max(0, start - 3) : start].rstrip(), text[end : end + 3].lstrip()
    return before[-1:] in ("（", "(") and after[:1] in ("：", ":")


#: A year alone, read from Chinese numerals, maybe after a word like 于.
_CN_YEAR = re.compile(r"\D{0,2}?((?:19|20)\d{2})年")


@tagger("years")
def _years(
    s: Span, rule: Rule, *, cue: str, lookback: int, event: str, lookahead: int, same: str
) -> Found:
    """A year; after a ``cue`` word within ``lookback`` characters (较2023年) it is the year
    compared with, no period, unless a ``same`` word follows (较2024年同期: that year's same
    period, read with it); before an ``event`` word (于1996年成立, 于1996年在华辰市注册成立) no
    period at all."""
    compare, events = s.lexicon.cue(cue), s.lexicon.cue(event)
    same_words = s.lexicon.cue(same)
    placed = _event_place(events)
    for m in s.pats.year.finditer(s.text, s.start, s.end):
        after = s.text[m.end() : min(s.end, m.end() + lookahead)].lstrip()
        # 于1996年在华辰市注册成立: a place may stand between the year and the event
        if any(after.startswith(w) for w in events) or placed.match(s.text, m.end(), s.end):
            yield Mention("noise", m.start(), m.end()), 3
            continue
        before = s.text[max(s.start, m.start() - lookback) : m.start()].rstrip()
        compared = any(before.endswith(w) for w in compare)
        kind = "noise" if compared and not after.startswith(same_words) else "period"
        yield Mention(kind, m.start(), m.end(), period=m["y"]), 3


@lru_cache(maxsize=8)
def _event_place(events: tuple[str, ...]) -> re.Pattern[str]:
    """在 or 于 and a place of up to eight characters right before an event word (在香港, 在H股
    主板)."""
    return regex(rf"\s*[在于][{HAN}A-Za-z]{{1,8}}?(?:{alternation(list(events))})")


@tagger("short-years")
def _short_years(s: Span, rule: Rule, *, cue: str, words: str, parts: str) -> Found:
    """24Q2, 24H1 (a broker's shorthand): the two digits before a ``cue`` word are the year
    20YY; so are two digits and 年 before a word of ``words`` (,24 年公司实现营收…), no
    character of a word or number right before them (连续24年: a span of years), or before a
    part of the year of ``parts`` (发布21年前三季度业绩), where a word may stand before them."""
    for m in _short_years_pattern(s.lexicon.cue(cue)).finditer(s.text, s.start, s.end):
        yield Mention("period", m.start(), m.end(), period=f"20{m['yy']}"), 3
    if s.text.find("年", s.start, s.end) < 0:
        return
    seen: set[int] = set()
    for han in (False, True):
        pattern = _short_year_words_pattern(s.lexicon, parts if han else words, han=han)
        for m in pattern.finditer(s.text, s.start, s.end):
            if m.start() not in seen:
                seen.add(m.start())
                yield Mention("period", m.start(), m.end(), period=f"20{m['yy']}"), 3


@tagger("numeral-short-years")
def _numeral_short_years(s: Span, rule: Rule, *, cue: str, lookback: int, same: str) -> Found:
    """二一年度, 二○年 (a Hong Kong paper's shorthand): two numerals before 年, the first 一 or
    二 and no numeral before them, are the year 20YY (not 二三年内: a span of years); after a
    ``cue`` word within ``lookback`` characters (由二三年的…) the year compared with, no period,
    unless a ``same`` word follows."""
    if s.text.find("年", s.start, s.end) < 0:
        return  # no 年 in the sentence (most of them), no year of this form
    digits = _numeral_digits(s.lexicon)
    compare, same_words = s.lexicon.cue(cue), s.lexicon.cue(same)
    for m in _numeral_year_pattern(s.lexicon).finditer(s.text, s.start, s.end):
        before = s.text[max(s.start, m.start() - lookback) : m.start()].rstrip()
        after = s.text[m.end() + 1 : m.end() + 4]  # past 年
        compared = any(before.endswith(w) for w in compare) and not after.startswith(same_words)
        year = f"20{digits[m['a']]}{digits[m['b']]}"
        yield Mention("noise" if compared else "period", m.start(), m.end(), period=year), 3


@lru_cache(maxsize=8)
def _numeral_digits(lex: Lexicon) -> dict[str, int]:
    """The one-character numerals of 0 to 9 and their values (two, 两, is no year's digit)."""
    return {w: v for w, v in lex.numerals.items() if len(w) == 1 and v < 10 and w != "两"}


@lru_cache(maxsize=8)
def _numeral_year_pattern(lex: Lexicon) -> re.Pattern[str]:
    digits = _numeral_digits(lex)
    ones, tens = "".join(digits), "".join(w for w, v in digits.items() if v in (1, 2))
    before = "".join(w for w in lex.numerals if len(w) == 1)
    span = "内內来來间間后後前多"  # 二三年内, 一两年来: a span of years, no year
    return regex(rf"(?<![{before}\d])(?P<a>[{tens}])(?P<b>[{ones}])(?=年(?:度|[^{span}]|$))")


@lru_cache(maxsize=8)
def _short_year_words_pattern(lex: Lexicon, words: str, *, han: bool) -> re.Pattern[str]:
    """Two digits (10 to 29) and 年 before a word of the cue set ``words``, no letter, digit,
    number's comma or joiner of a list or range (25/26/27年) right before them, nor a Han
    character unless ``han``."""
    year = alternation(list(lex.cue("year-suffix")))
    follow = alternation(list(lex.cue(words)))
    before = "" if han else HAN
    return regex(
        rf"(?<![\dA-Za-z./／\-－~～{before}])(?<!\d,)(?P<yy>[12]\d)\s*(?:{year})(?=\s*(?:{follow}))"
    )


@lru_cache(maxsize=64)
def _short_years_pattern(follow_words: tuple[str, ...]) -> re.Pattern[str]:
    """Two digits before a word of ``follow_words`` (made once per cue set)."""
    follow = alternation(list(follow_words), after_digits=True)
    return regex(rf"(?<![\dA-Za-z.,])(?P<yy>\d{{2}})(?=\s*(?:{follow}))")


@tagger("quarter-years")
def _quarter_years(s: Span, rule: Rule) -> Found:
    """3Q2022, 1H22 (a US release's comparatives): the quarter or half, then its year; 1-3Q24
    (a broker's first three quarters): the months from the year's start to that quarter's end;
    with a word of cue set quarter-year-end after it (1H19末), that period's last day."""
    ends = s.lexicon.cue("quarter-year-end")
    for m in _QUARTER_YEAR.finditer(s.text, s.start, s.end):
        if m["k"] == "H" and (m["n"] not in "12" or m["first"]):
            continue
        yy = m["y"] if len(m["y"]) == 4 else f"20{m['y']}"
        code = f"{yy}-{m['k']}{m['n']}"
        if m["first"]:
            code = Period.interval(date(int(yy), 1, 1), Period(code).bounds()[1]).code
        end = m.end()
        if not m["first"] and s.text.startswith(ends, end):
            code, end = Period(code).end_instant().code, end + 1  # 1H19末: 30 June 2019
        yield Mention("period", m.start(), end, period=code), 3


_QUARTER_YEAR = re.compile(
    r"(?<![A-Za-z0-9.])(?:(?P<first>1)\s*[-~～]\s*)?(?P<n>[1-4])\s*(?P<k>[QH])\s*'?"
    r"(?P<y>(?:19|20)\d{2}|\d{2})(?![\d.%])"
)


@tagger("year-ranges")
def _year_ranges(s: Span, rule: Rule, *, joiner: str) -> Found:
    """2025-2027年, 2025至27年 (a broker's forecast years): the years from the first to the
    last, one period (each figure after 分别 takes its own year, periods.respective-years)."""
    for m in year_range(s.lexicon, joiner).finditer(s.text, s.start, s.end):
        a, last = range_years(m)
        if last > a:
            yield Mention("period", m.start(), m.end(), period=f"{a}-01-01/{last}-12-31"), 2


#: The digits of a year right before a period word (2018 in 2018年底).
_YEAR_DIGITS_BEFORE = re.compile(r"(?<!\d)(?:19|20)\d{2}$")

#: A short year's two digits right before a period word opening with 年 (24 in 24年底).
_SHORT_YEAR_DIGITS_BEFORE = re.compile(r"(?<![\d.])\d{2}$")


@tagger("period-words")
def _period_words(s: Span, rule: Rule, *, cue: str = "", lookback: int = 0) -> Found:
    """上半年, 第三季度, 全年 …; not where a metric begins inside the word (年末期股息); right
    after a ``cue`` word within ``lookback`` characters (较去年) the period compared with, no
    period."""
    compare = s.lexicon.cue(cue) if cue else ()
    moves = s.lexicon.cue("from")
    for m in s.pats.period_word.finditer(s.text, s.start, s.end):
        # 与2024年底持平: the word goes with the year's digits before it (compared with both)
        digits = _YEAR_DIGITS_BEFORE.search(s.text, max(s.start, m.start() - 4), m.start())
        if digits is None and m.group().startswith("年"):  # 较24年底: a short year's digits
            digits = _SHORT_YEAR_DIGITS_BEFORE.search(
                s.text, max(s.start, m.start() - 3), m.start()
            )
        opens = digits.start() if digits is not None else m.start()
        before = s.text[max(s.start, opens - lookback) : opens].rstrip()
        if compare and before.endswith(compare) and not _move_from(s, before, moves, m.end()):
            yield Mention("noise", m.start(), m.end()), 3
            continue
        if any(
            (inner := s.pats.metric.match(s.text, k, s.end)) is not None and inner.end() > m.end()
            for k in range(m.start() + 1, m.end())
        ):
            continue
        template = s.pats.period_by_word[compact(m.group())]
        yield Mention("period", m.start(), m.end(), period=template), 3


def _move_from(s: Span, before: str, moves: tuple[str, ...], end: int) -> bool:
    """Whether the period word after ``before`` starts a move (由第三季的亏损…缩窄到第四季的…:
    a word of cue set from before it, a word of cue set to later in its clause): the period
    the move starts from, its figure that period's."""
    if not before.endswith(moves):
        return False
    clause = re.split(r"[，,；;。]", s.text[end : s.end], maxsplit=1)[0]
    return any(w in clause for w in s.lexicon.cue("to"))


@tagger("metrics")
def _metrics(s: Span, rule: Rule) -> Found:
    """The names of the metrics (营业收入, 毛利率 …)."""
    for m in s.pats.metric.finditer(s.text, s.start, s.end):
        info = s.pats.metric_by_name[compact(m.group())]
        yield Mention("metric", m.start(), m.end(), metric=info), 4


@tagger("wrapped-labels")
def _wrapped_labels(s: Span, rule: Rule, *, status: str, shortest: int, longest: int) -> Found:
    """A row's label cut by the line's end, as a PDF's table wraps it (归属于上市 盈利:320万元…,
    扣除非经常 盈利:…): the start of a metric's name (``shortest`` to ``longest`` characters)
    opening the line before a word of ``status`` (盈利, 亏损) or a figure is the metric whose
    shortest name begins so."""
    m = _row_label(s.lexicon, status, shortest, longest).match(s.text, s.start, s.end)
    if m is None or s.pats.metric.search(m["label"]) is not None:
        return
    # 扣除非经常性损益⏎后的归属于上市公 571,872,354.60 …: the label began on the line above
    above = _LABEL_ABOVE.search(s.text, max(0, s.start - longest - 4), s.start)
    for label in (m["label"], above["label"] + m["label"] if above else ""):
        if label and (name := _name_begun(s.pats, label)) is not None:
            info = s.pats.metric_by_name[name]
            yield Mention("metric", m.start("label"), m.end("label"), metric=info), 4
            return


#: A line of a row's label alone, right above the line a sentence opens (blank lines between).
_LABEL_ABOVE = re.compile(rf"(?:^|\n)[^\S\n]*(?P<label>[{HAN}]{{2,24}})[^\S\n]*\n\s*\Z")


def _name_begun(pats: Patterns, label: str) -> str | None:
    """The shortest name of a metric that begins with ``label`` and is longer, or None."""
    names = _metric_names(pats)
    at = bisect.bisect_left(names, label)
    longer = []
    while at < len(names) and names[at].startswith(label):
        longer.append(names[at])
        at += 1
    if longer and len(longer[0]) > len(label):
        return min(longer, key=lambda n: (len(n), n))
    return None


@lru_cache(maxsize=8)
def _row_label(lex: Lexicon, status: str, shortest: int, longest: int) -> re.Pattern[str]:
    words = alternation(list(lex.cue(status)))
    label = rf"[{HAN}]{{{shortest},{longest}}}"
    return regex(rf"[^\S\n]*(?P<label>{label})[^\S\n]+(?=(?:{words})|\d)")


def _metric_names(pats: Patterns) -> list[str]:
    """The metrics' names, sorted (a prefix's names found by bisection), made once for the
    patterns' table of names (held with it: its id stays its own)."""
    names = pats.metric_by_name
    held = _SORTED_NAMES.get(id(names))
    if held is None or held[0] is not names:
        held = _SORTED_NAMES[id(names)] = (names, sorted(names))
    return held[1]


_SORTED_NAMES: dict[int, tuple[dict[str, MetricInfo], list[str]]] = {}


@tagger("non-metrics")
def _non_metrics(s: Span, rule: Rule) -> Found:
    """Names of what we have no metric for (非利息净收入): they end the metric in force."""
    for m in s.pats.not_metric.finditer(s.text, s.start, s.end):
        yield Mention("non-metric", m.start(), m.end()), 4


@tagger("elided-items")
def _elided_items(s: Span, rule: Rule, *, joiner: str) -> Found:
    """销售/管理/财务/研发费用率: the short words of a list that share the name written whole
    only for its last item; each is an item of no metric of ours (one that is a metric, 营收/
    归母净利润, is tagged as the metric instead)."""
    joined, lists = _elided_patterns(s.lexicon.cue(joiner))
    if joined.search(s.text, s.start, s.end) is None:
        return  # each list holds a joiner
    names = s.pats.metric_by_name
    for m in lists.finditer(s.text, s.start, s.end):
        items = list(_HAN_RUN.finditer(s.text, m.start(), m.end()))
        if any(i.group()[-k:] in names for i in items for k in range(2, len(i.group()) + 1)):
            continue  # 营收/归母净利润: a list of metrics
        if all(compact(i.group()) in s.ents.by_name for i in items):
            continue  # 华辰/澄江/滨海实现净利润为…: a list of the text's companies, whole names
        if s.text.startswith(s.lexicon.cue("unit-denominator"), m.end() - 1):
            continue  # 基本每股收益(元/股): a unit per share, no list
        for item in items:  # every ending, as the words before it may be another mention's
            for at in range(item.start(), item.end()):
                yield Mention("non-metric", at, item.end()), 5


@lru_cache(maxsize=64)
def _elided_patterns(joiners: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A joiner of :func:`_elided_items`, and a list of short words joined by them (made once
    per cue set, not per sentence)."""
    joins = "".join(re.escape(j) for j in joiners)
    return regex(f"[{joins}]" if joins else "(?!)"), regex(
        rf"(?:[{HAN}]{{1,4}}[{joins}])+(?=[{HAN}])"
    )


_HAN_RUN = re.compile(rf"[{HAN}]+")


@tagger("entities")
def _entities(s: Span, rule: Rule) -> Found:
    """Companies, segments, products and people; a metric the name's end overlapped
    (汽车销售|收入) is tagged again after it."""
    if s.ents.pattern is None:
        return
    for m in s.ents.pattern.finditer(s.text, s.start, s.end):
        e = s.ents.by_name[compact(m.group())]
        if e.kind == "company" and data_source_after(s.text, m.start(), m.end(), s.lexicon):
            continue  # 同花顺iFinD: a vendor's data, no mention of the company
        if e.kind == "company" and (
            s.ents.labelled_broker(s.text, m.start())
            or e.iri in s.ents.writers
            or s.ents.writes_note_at(m.group(), s.text, m.end())  # 资料来源:…、华辰证券
        ):
            continue  # 研究机构:华辰证券股份有限公司, 华辰证券研报指出: the note's broker
        kind = "person" if e.kind == "person" else "entity"
        yield Mention(kind, m.start(), m.end(), entity=e), 5
        after = s.pats.metric.match(s.text, m.end(), s.end)
        if after is not None:
            info = s.pats.metric_by_name[compact(after.group())]
            yield Mention("metric", after.start(), after.end(), metric=info), 4


def _region_end(s: Span, m: re.Match[str]) -> int:
    """Where a region's mention ends: before a metric begun inside it (国内|市场份额), after a
    suffix (地区, 市场) that begins no metric."""
    end = m.end()
    for k in range(m.start() + 2, m.end()):
        inner = s.pats.metric.match(s.text, k, s.end)
        if inner is not None and inner.end() > m.end():
            end = k
            break
    tail = s.extra.region_tail.match(s.text, end, s.end)
    if tail and not s.pats.metric.match(s.text, end, s.end):
        end = tail.end()
    return end


def _split_metric(s: Span, m: re.Match[str], m_end: int, lookback: int) -> Found:
    """新增|海外|门店: a metric's label split by a region names the metric of the whole label."""
    after = s.pats.metric.match(s.text, m_end, s.end)
    if after is None:
        return
    for k in range(max(s.start, m.start() - lookback), m.start()):
        if s.pats.metric.fullmatch(s.text, k, m.start()) is None:
            continue
        split = s.pats.metric_by_name.get(compact(s.text[k : m.start()] + after.group()))
        if split is not None:
            yield Mention("metric", after.start(), after.end(), metric=split), 3
        return


def _joined_regions(s: Span, m: re.Match[str], m_end: int, region: Entity) -> Found:
    """香港及澳门营业额 (a place we have no region for), 中东及拉丁美洲 (one before it),
    香港及海外餐厅47家 (two regions, no 分别), 香港以外电力销售 (everywhere but the region): the
    figure is of no single region we know."""
    outside = s.extra.complement.match(s.text, m_end, s.end)
    if outside:
        yield Mention("region", m.start(), outside.end(), entity=UNKNOWN_REGION), 8
    mixed = s.extra.mixed.match(s.text, m_end, s.end)
    if mixed and not s.pats.region.match(mixed["other"]):
        yield Mention("region", m.start(), mixed.end(), entity=UNKNOWN_REGION), 8
    back = max(s.start, m.start() - 12)
    placed = s.extra.after_place.search(s.text, back, m.start())
    if placed:  # the span from the place on: longer than the region's, so it wins
        yield Mention("region", placed.start(), m_end, entity=UNKNOWN_REGION), 8
    both = s.extra.union.match(s.text, m_end, s.end)
    clause = re.split(f"[{CLAUSE_BREAK}。！？]", s.text[m_end : s.end], maxsplit=1)[0]
    if (
        both
        and s.pats.region_by_name[compact(both["other"])] != region
        and not any(w in clause for w in s.lexicon.cue("respectively"))
    ):
        yield Mention("region", m.start(), both.end(), entity=UNKNOWN_REGION), 8


def _place_of_event(s: Span, m: re.Match[str]) -> bool:
    """新华财经香港8月3日电, 在香港发布, 香港上市公司: where the news was filed, the results
    announced or the company listed, no region of a figure."""
    after = s.text[m.end() : min(s.end, m.end() + 12)]
    if s.extra.dateline.match(after) or after.startswith(s.lexicon.cue("listed-in")):
        return True  # 香港上市公司…: where it is listed
    before = s.text[max(s.start, m.start() - 1) : m.start()]
    return before in s.lexicon.cue("event-place") and any(
        after.startswith(w) for w in s.lexicon.cue("announce")
    )


@tagger("regions")
def _regions(s: Span, rule: Rule, *, split_lookback: int) -> Found:
    """Regions of the ontology (海外, 中国内地 …), not inside an adjusted-basis cue
    (非国际财务报告准则) or an accounting standard's name (按国际财务报告准则计算) nor as the
    kind of a product named after it (国际平台TripGo)."""
    cue_spans = [(m.start(), m.end()) for m in s.extra.adjusted.finditer(s.text, s.start, s.end)]
    for m in s.pats.region.finditer(s.text, s.start, s.end):
        if any(a <= m.start() and m.end() <= b for a, b in cue_spans):
            continue
        region, m_end = s.pats.region_by_name[compact(m.group())], _region_end(s, m)
        if s.extra.named_kind.match(s.text, m_end, s.end) or _place_of_event(s, m):
            continue
        yield Mention("region", m.start(), m_end, entity=region), 6
        yield from _split_metric(s, m, m_end, split_lookback)
        yield from _joined_regions(s, m, m_end, region)


@tagger("unknown-places")
def _unknown_places(s: Span, rule: Rule) -> Found:
    """省内, 中国台湾地区 …: places we have no region for; their figures are left out."""
    x = s.extra
    if x.unknown_place.search(s.text, s.start, s.end) is None and (
        x.place_suffix.search(s.text, s.start, s.end) is None
    ):
        return  # each mention found below is one of these, within the sentence
    scan_from = max(0, s.start - PLACE_LOOKBACK)  # not from 0: linear time in the text
    for m in s.extra.unknown_place.finditer(s.text, scan_from, s.end):
        if m.start() >= s.start:
            yield Mention("region", m.start(), m.end(), entity=UNKNOWN_REGION), 8
    stops = s.lexicon.cue("segment-stop")
    for m in s.extra.place.finditer(s.text, scan_from, s.end):
        name = m.group()
        if m.start() < s.start or s.pats.region.search(name) or name.startswith(stops):
            continue
        yield Mention("region", m.start(), m.end(), entity=UNKNOWN_REGION), 8


@tagger("market-wide")
def _market(s: Span, rule: Rule) -> Found:
    """全国, 全行业 …, 六家银行, 六大行, 行业层面，: a figure of the whole market, or of a group
    of companies, follows, not the company's."""
    for m in s.extra.market.finditer(s.text, s.start, s.end):
        yield Mention("market", m.start(), m.end()), 5


@tagger("roles")
def _roles(s: Span, rule: Rule) -> Found:
    """Roles of people (董事长, 首席执行官 …)."""
    for m in s.pats.role.finditer(s.text, s.start, s.end):
        role = s.pats.role_by_name[compact(m.group())]
        yield Mention("role", m.start(), m.end(), role=role), 7


def resolve(found: list[tuple[Mention, int]], start: int) -> list[Mention]:
    """Longest-leftmost mentions without overlaps; a tie goes to the lower priority.

    >>> a, b = Mention("metric", 0, 4), Mention("metric", 2, 6)
    >>> [m.start for m in resolve([(b, 0), (a, 0)], 0)]
    [0]
    """
    cands = sorted(found, key=lambda c: (c[0].start, c[0].start - c[0].end, c[1]))
    out: list[Mention] = []
    pos = start
    for mention, _ in cands:
        if mention.start >= pos:
            out.append(mention)
            pos = mention.end
    return out


def tag(span: Span, rules: tuple[Rule, ...]) -> list[Mention]:
    """All mentions of a sentence, by the tagger rules (stage ``mention``) in order."""
    found: list[tuple[Mention, int]] = []
    add = found.append
    for rule in rules:  # a plain loop: 26 taggers a sentence, most of them finding nothing
        rule_id = rule.id
        for m, prio in rule.apply(span):
            add((evolve(m, rule=rule_id), prio))
    return resolve(found, span.start)
