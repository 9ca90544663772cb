"""Patterns of the extraction stage: what a mention is, and the regexes that find them.

Every word the patterns look for comes from the lexicon (the ontology); only the grammar of
numbers, dates and names is written here. Used by :mod:`xmgraph.names` and
:mod:`xmgraph.extract`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from xmgraph.lexicon import Lexicon, MetricInfo, UnitInfo
from xmgraph.model import Entity, Period

ID = "https://w3id.org/xmgraph/id/"
CLAUSE_BREAK = "，,；;：:"
HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
PUNCT_BEFORE_NAME = "，,。；;：:、（(“\"'‘ \t\n"


# ---------------------------------------------------------------- mentions


@dataclass(frozen=True)
class Mention:
    """A span of the document's text that the lexicon recognised."""

    kind: str  #: entity, region, metric, period, quantity, role, person
    start: int
    end: int
    entity: Entity | None = None
    metric: MetricInfo | None = None
    period: str | None = None  #: a template ("{year}-Q4") or a code
    as_of: bool = False
    value: Decimal | None = None
    unit: UnitInfo | None = None
    percent: bool = False
    role: str | None = None
    flat: bool = False  #: 同比持平: a change of 0%, no figure
    scaled: bool = False  #: written with a scale word (52.3亿): an amount even without a unit
    minor: bool = False  #: written in a hundredth of the currency (港仙, 分): an amount per share
    rule: str = ""  #: the id of the rule (tagger) that found it


def label_pattern(label: str) -> str:
    """A regex for a label that tolerates spaces between its characters ("SU7 系列")."""
    parts = [re.escape(ch) for ch in label if not ch.isspace()]
    body = r"\s*".join(parts)
    if label[:1].isascii() and label[:1].isalnum():
        body = r"(?<![A-Za-z0-9])" + body
    if label[-1:].isascii() and label[-1:].isalnum():
        body += r"(?![A-Za-z0-9])"
    return body


def alternation(words: list[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(label_pattern(w) for w in ordered if w)


@dataclass(frozen=True)
class Patterns:
    quantity: re.Pattern[str]
    fraction: re.Pattern[str]
    numeral: re.Pattern[str]
    flat: re.Pattern[str]
    standalone: re.Pattern[str]
    year: re.Pattern[str]
    date: re.Pattern[str]
    ended: re.Pattern[str]
    months: re.Pattern[str]
    noise: re.Pattern[str]
    period_word: re.Pattern[str]
    metric: re.Pattern[str]
    not_metric: re.Pattern[str]
    region: re.Pattern[str]
    role: re.Pattern[str]
    metric_by_name: dict[str, MetricInfo]
    region_by_name: dict[str, Entity]
    role_by_name: dict[str, str]
    period_by_word: dict[str, str]
    unit_by_word: dict[str, UnitInfo]
    unit_by_prefix: dict[str, UnitInfo]
    unit_factor: dict[str, Decimal]  #: unit word -> what it multiplies the figure by (港仙)

    def metric_by_name_of(self, local: str) -> list[str]:
        """The names of one metric (by the last part of its IRI)."""
        return [n for n, m in self.metric_by_name.items() if m.iri.rsplit("/", 1)[-1] == local]


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@lru_cache(maxsize=8)
def compile_patterns(lexicon: Lexicon) -> Patterns:
    unit_words = {w: u for u in lexicon.units for w in u.words}
    minor_words = {w: u for u in lexicon.units for w in u.minor_words}
    unit_factor = {compact(w): u.minor_multiplier for w, u in minor_words.items()}
    unit_words.update(minor_words)
    unit_prefixes = {w: u for u in lexicon.units for w in u.prefix_words}
    scales = alternation(list(lexicon.scales))
    # a sign may follow letters (yoy+12.5%, YoY-3.2%); digits may not (X9, Q4)
    number = (
        r"(?<!\d,)(?P<num>(?:(?<=[A-Za-z])[-−+]|(?<![\d.A-Za-z])[-−+]?)\d+(?:,\d{3})*(?:\.\d+)?)"
        r"(?![\d.]\d|\.\d)"
    )
    quantity = (
        rf"(?:(?P<prefix>{alternation(list(unit_prefixes))})\s*)?{number}\s*"
        rf"(?P<scale>{scales})?\s*(?P<unit>{alternation(list(unit_words))})?"
    )
    numerals = "".join(sorted(lexicon.numerals))
    fraction_word = alternation(list(lexicon.cue("fraction")))
    fraction = rf"(?P<den>[{numerals}]+){fraction_word}(?P<nom>[{numerals}]+)"
    # 三成 (30%), 增长两倍 (+200%): a Chinese numeral before a word for tenths or for times
    tenth = alternation(list(lexicon.cue("tenth")))
    times = alternation(
        [w for u in lexicon.units if u.change_multiplier is not None for w in u.words]
    )
    after = alternation([*lexicon.cue("more-than"), *lexicon.cue("approximate")])
    numeral = (
        rf"(?<![{numerals}\d])(?P<cn>[{numerals}]{{1,3}})"
        rf"(?:(?P<tenth>{tenth})(?=[^{HAN}]|$|{after})|(?P<times>{times}))"
    )
    units = alternation(list(unit_words))
    big = alternation(sorted(lexicon.standalone_scales))
    standalone = rf"(?P<scale>{big})\s*(?P<unit>{units})?"
    metric_names = {
        compact(n): m
        for m in lexicon.metrics.values()
        for n in m.names
        if not n.isascii() or n.isupper()
    }
    region_names = {compact(n): r for r in lexicon.regions for n in r.names if not n.isascii()}
    role_names = {
        compact(n): iri for iri, names in lexicon.roles.items() for n in names if not n.islower()
    }
    period_words = dict(lexicon.period_words)
    as_of = alternation(list(lexicon.cue("as-of")))
    return Patterns(
        quantity=re.compile(quantity),
        fraction=re.compile(fraction),
        numeral=re.compile(numeral),
        flat=re.compile(
            rf"(?:{alternation(list(lexicon.cue('yoy')))})\s*(?P<flat>{alternation(list(lexicon.cue('flat')))})"
        ),
        standalone=re.compile(standalone),
        year=re.compile(
            r"(?<![\d.])(?<!\d,)(?P<y>(?:19|20)\d{2})\s*(?:年(?![底末终度\d])|(?=年[底末终度]|财年|全年|第|[QH][1-4]|上半|下半|前三|[一二三四]季|FY))"
        ),
        date=re.compile(
            rf"(?P<asof>(?:{as_of})\s*)?(?:(?P<y>(?:19|20)\d{{2}})\s*年\s*)?(?P<m>1[0-2]|0?[1-9])\s*月\s*(?:(?P<d>[12]\d|3[01]|0?[1-9])\s*日|(?P<e>末|底))?"
        ),
        ended=re.compile(
            rf"(?:{as_of})\s*(?P<y>(?:19|20)\d{{2}})\s*年\s*(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>[12]\d|3[01]|0?[1-9])\s*日\s*止?\s*的?\s*(?:(?P<n>[{numerals}]+|\d{{1,2}})\s*个?月|(?P<fy>年度|财年|财政年度))"
        ),
        months=re.compile(
            r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m1>1[0-2]|0?[1-9])\s*月?\s*(?:[至到-]|—)\s*(?:(?P<y2>(?:19|20)\d{2})\s*年\s*)?(?P<m2>1[0-2]|0?[1-9])\s*月(?:\s*的?\s*第[一二三四1-4]\s*财?季度?)?"
        ),
        noise=re.compile(alternation([*lexicon.cue("since-year-end"), *lexicon.cue("prior-year")])),
        period_word=re.compile(alternation(list(period_words))),
        metric=re.compile(alternation(list(metric_names))),
        not_metric=re.compile(alternation(list(lexicon.cue("not-a-metric")))),
        region=re.compile(alternation(list(region_names))),
        role=re.compile(alternation(list(role_names))),
        metric_by_name=metric_names,
        region_by_name=region_names,
        role_by_name=role_names,
        period_by_word={compact(w): t for w, t in period_words.items()},
        unit_by_word={compact(w): u for w, u in unit_words.items()},
        unit_by_prefix={compact(w): u for w, u in unit_prefixes.items()},
        unit_factor=unit_factor,
    )


def chinese_numeral(text: str, lexicon: Lexicon) -> int | None:
    """A small Chinese numeral (一 .. 九十九)."""
    vals = [lexicon.numerals.get(ch) for ch in text]
    if None in vals or not vals:
        return None
    ints = [v for v in vals if v is not None]
    if len(ints) == 1:
        return ints[0]
    if len(ints) == 2 and ints[0] == 10:
        return 10 + ints[1]
    if len(ints) == 2 and ints[1] == 10:
        return ints[0] * 10
    if len(ints) == 3 and ints[1] == 10:
        return ints[0] * 10 + ints[2]
    return None


def chinese_dates(
    text: str, start: int, end: int, lexicon: Lexicon
) -> list[tuple[tuple[int, int], str]]:
    """Dates written in Chinese numerals (二零二四年十二月三十一日, HK filings), each with its
    span and the same words written with digits."""
    nums = "".join(sorted(lexicon.numerals))
    as_of = alternation(list(lexicon.cue("as-of")))
    rx = re.compile(
        rf"(?P<asof>(?:{as_of})\s*)?(?P<y>[{nums}]{{4}})\s*年"
        rf"(?:\s*(?P<m>[{nums}]{{1,2}})\s*月(?:\s*(?P<d>[{nums}]{{1,3}})\s*日)?)?"
        rf"(?P<tail>\s*止?\s*的?\s*(?:[{nums}]{{1,2}}个月|年度|财年|财政年度))?"
    )
    out = []
    for m in rx.finditer(text, start, end):
        digits = [lexicon.numerals.get(ch) for ch in m["y"]]
        if any(d is None or d > 9 for d in digits):
            continue
        year = "".join(str(d) for d in digits)
        if not re.fullmatch(r"(?:19|20)\d{2}", year):
            continue
        conv = f"{m['asof'] or ''}{year}年"
        if m["m"]:
            month = chinese_numeral(m["m"], lexicon)
            day = chinese_numeral(m["d"], lexicon) if m["d"] else None
            if not month or (m["d"] and not day):
                continue
            conv += f"{month}月" + (f"{day}日" if day else "")
        tail = m["tail"] or ""
        n = re.search(f"[{nums}]+(?=个月)", tail)
        if n is not None:
            tail = tail.replace(n.group(), str(chinese_numeral(n.group(), lexicon) or ""))
        out.append(((m.start(), m.end()), conv + tail if m["d"] else conv))
    return out


def month_range(m: re.Match[str]) -> str | None:
    """A range of calendar months: 2024年1月至3月 -> 2024-Q1."""
    import calendar
    from datetime import date

    y1 = int(m["y"])
    y2 = int(m["y2"]) if m["y2"] else y1
    m1, m2 = int(m["m1"]), int(m["m2"])
    if (y2, m2) < (y1, m1):
        return None
    return Period.interval(date(y1, m1, 1), date(y2, m2, calendar.monthrange(y2, m2)[1])).code


def months_ended(m: re.Match[str], lexicon: Lexicon) -> str | None:
    """The months ended on a date: 截至2024年3月31日止三个月 -> 2024-Q1."""
    from datetime import date, timedelta

    months = (
        12 if m["fy"] else (int(m["n"]) if m["n"].isdigit() else chinese_numeral(m["n"], lexicon))
    )
    if not months or months > 24:
        return None
    try:
        last = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    y, mo = last.year, last.month - months + 1
    while mo < 1:
        y, mo = y - 1, mo + 12
    nxt = last + timedelta(days=1)
    first = date(y, mo, 1) if nxt.day == 1 else date(y, mo, min(last.day, 28)) + timedelta(days=1)
    return Period.interval(first, last).code


def date_template(m: re.Match[str]) -> str:
    year = m["y"] or "{year}"
    month = int(m["m"])
    if m["d"]:
        return f"{year}-{month:02d}-{int(m['d']):02d}"
    if m["e"]:
        return f"{year}-{month:02d}-end"
    return f"{year}-{month:02d}"


def parse_quantity(m: re.Match[str], pats: Patterns, lexicon: Lexicon) -> Mention | None:
    try:
        value = Decimal(m["num"].replace(",", "").replace("−", "-"))
    except InvalidOperation:
        return None
    if m["scale"]:
        value *= lexicon.scales[compact(m["scale"])]
    unit = pats.unit_by_word.get(compact(m["unit"] or ""))
    value *= pats.unit_factor.get(compact(m["unit"] or ""), Decimal(1))
    prefix = pats.unit_by_prefix.get(compact(m["prefix"] or ""))
    if prefix is not None:
        if unit is not None and not unit.currency:
            return None
        unit = prefix
    percent = unit is not None and unit.code == "percent"
    if unit is not None and unit.change_multiplier is not None:
        value, percent = value * unit.change_multiplier, True  # 增长1.4倍: +140%
    return Mention(
        "quantity",
        m.start(),
        m.end(),
        value=value,
        unit=unit,
        percent=percent,
        scaled=bool(m["scale"]),
        minor=compact(m["unit"] or "") in pats.unit_factor,
    )


def resolve_period(template: str, year: int | None, report: Period | None) -> Period | None:
    """Turn a period template into a period, given the year in force and the report's period."""
    try:
        if template == "{report}":
            return report
        if template == "{report-end}":
            return Period(report.bounds()[1].isoformat()) if report else None
        if template == "{report-start}":  # 期初: the balance the day before the period began
            from datetime import timedelta

            return Period((report.bounds()[0] - timedelta(days=1)).isoformat()) if report else None
        if template == "{report-in-year}":  # 2023年同期: the given period in that year
            p = report
            while p is not None and year is not None and p.year > year:
                p = p.previous_year()
            return p if p is not None and p.year == year else None
        if "{year}" in template:
            if year is None:
                return None
            template = template.replace("{year}", str(year))
        if template.endswith("-end"):
            y, mo = int(template[:4]), int(template[5:7])
            from calendar import monthrange

            return Period(f"{y:04d}-{mo:02d}-{monthrange(y, mo)[1]:02d}")
        return Period(template)
    except ValueError:
        return None
