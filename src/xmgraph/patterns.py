"""Patterns of the extraction stage: what a mention is, and the regexes that find them.

Every word the patterns look for comes from the lexicon (the ontology: the words of dates
and the period words are in ``periods.ttl``); only the grammar of numbers, dates and names
is written here. Used by :mod:`xmgraph.names`, :mod:`xmgraph.extract` and
:mod:`xmgraph.context`.

Periods: a period word's template (``{year}-Q3``, ``{published-year-1}``,
``{reported-quarter}``, ``{published-ended-03-31-12}``) becomes a period with
:func:`resolve_period`; a fiscal-calendar
period with :func:`fiscal_period`. Numbers: :func:`parse_number` reads a span written in
digits or in Chinese numerals (:func:`chinese_amount`), and refuses separator typos
(:func:`malformed_numbers`).
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from xmgraph.diskcache import ALTERNATIONS, regex
from xmgraph.lexicon import Lexicon, MetricInfo, UnitInfo
from xmgraph.model import Entity, Period

ID = "https://w3id.org/xmgraph/id/"
CLAUSE_BREAK = "，,；;：:"

log = logging.getLogger(__name__)

#: The longest number read as a figure, in characters (digits, separators, sign, point).
MAX_NUMBER_CHARS = 40
#: No company's figure reaches this, in base units (10^21 yuan is ten thousand times the
#: world's output): a value this large is a typo or junk, left out (and logged), so that
#: arithmetic on figures stays within the precision of ``decimal`` (28 digits).
MAX_FIGURE = Decimal("1e21")


def sane_figure(value: Decimal | None, written: str) -> Decimal | None:
    """``value`` (written ``written``), or None when it is too large to be a figure.

    >>> sane_figure(Decimal("3659e8"), "3659亿"), sane_figure(Decimal("1e24"), "1亿亿亿")
    (Decimal('3.659E+11'), None)
    """
    if value is None or abs(value) < MAX_FIGURE:
        return value
    log.debug("figure left out: %s is over %s, no company's figure", written[:60], MAX_FIGURE)
    return None


def read_digits(number: str) -> Decimal | None:
    """A number written in digits (``1,204.37``, ``−5``) as a Decimal, or None when it is
    malformed or has more than :data:`MAX_NUMBER_CHARS` characters (logged).

    >>> read_digits("1,204.37"), read_digits("9" * 41)
    (Decimal('1204.37'), None)
    """
    if len(number) > MAX_NUMBER_CHARS:
        log.debug("figure left out: a number of %d characters (%s...)", len(number), number[:20])
        return None
    try:
        return Decimal(
            number.replace(",", "").replace("−", "-").translate(_NO_GAPS)  # 3 688.29, − 5
        )
    except InvalidOperation:
        return None


#: The spaces a number may be written with (3 688.29, − 5), dropped when it is read.
_NO_GAPS = str.maketrans("", "", " \u2009\u202f")

HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
PUNCT_BEFORE_NAME = "，,。；;：:、（(“\"'‘ \t\n｜|【】[]●•▪-—"


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
    column: str = ""  #: in a table written as text: "this", "prior" or "change" (its column)
    change: Decimal | None = None  #: in a table with a year a column: the growth row's cell


def label_pattern(label: str, *, after_digits: bool = False) -> str:
    """A regex for a label that tolerates spaces between its characters ("SU7 系列"); with
    ``after_digits`` a Latin label may follow digits (a unit: 42.6GWh, -6.1pct)."""
    parts = [re.escape(ch) for ch in label if not ch.isspace()]
    if label[:1].isascii() and label[:1].isalnum():
        # the guard after the first character, not before it: then every word of an
        # alternation begins with a literal and re skips the positions no word starts at
        parts[0] += (r"(?<![A-Za-z]" if after_digits else r"(?<![A-Za-z0-9]") + f"{parts[0]})"
    body = r"\s*".join(parts)
    if label[-1:].isascii() and label[-1:].isalnum():
        body += r"(?![A-Za-z0-9])"
    return body


def alternation(words: list[str], *, after_digits: bool = False) -> str:
    """The words' :func:`label_pattern` s, longest first (made once per set of words: the
    taggers and rules ask for the same cue sets sentence after sentence)."""
    return _alternation(tuple(words), after_digits)


@lru_cache(maxsize=4096)
def _alternation(words: tuple[str, ...], after_digits: bool) -> str:
    question = (words, after_digits)
    known = ALTERNATIONS.get(question)
    if known is None:
        known = _trie_or_flat(words, after_digits)
        if len(ALTERNATIONS.table()) < _KEPT_ALTERNATIONS:  # the lexicon's sets come first
            ALTERNATIONS.put(question, known)
    return str(known)


#: How many sets of words the disk cache keeps the alternation of: the lexicon's cue sets
#: and names (65 at start-up), not every report's own names without end.
_KEPT_ALTERNATIONS = 256


def _trie_or_flat(words: tuple[str, ...], after_digits: bool) -> str:
    ordered = [w for w in sorted(set(words), key=lambda w: (-len(w), w)) if w]
    flats = [label_pattern(w, after_digits=after_digits) for w in ordered]
    flat = "|".join(flats)
    trie = _Trie()
    for index, (word, pattern) in enumerate(zip(ordered, flats, strict=True)):
        tokens = _label_tokens(word, pattern, after_digits=after_digits)
        if tokens is None or not trie.add(index, tokens):
            return flat
    return trie.pattern(top=True) if trie.ordered()[0] else flat


def _label_tokens(label: str, pattern: str, *, after_digits: bool) -> list[tuple[str, str]] | None:
    """``pattern``, the :func:`label_pattern` of ``label``, cut at each character: (the
    character, its regex), then (``""``, the end's lookahead or nothing); None when they
    would not join into it."""
    chars = [ch for ch in label if not ch.isspace()]
    if not chars:
        return None
    tokens = [(ch, _SPACED[ch] if k else _escaped(ch)) for k, ch in enumerate(chars)]
    if label[:1].isascii() and label[:1].isalnum():
        guard = r"(?<![A-Za-z]" if after_digits else r"(?<![A-Za-z0-9]"
        tokens[0] = (chars[0], f"{tokens[0][1]}{guard}{tokens[0][1]})")
    end = r"(?![A-Za-z0-9])" if label[-1:].isascii() and label[-1:].isalnum() else ""
    tokens.append(("", end))
    if "".join(t for _, t in tokens) != pattern:
        return None
    return tokens


@lru_cache(maxsize=1 << 14)
def _escaped(ch: str) -> str:
    return re.escape(ch)


class _Spaced(dict[str, str]):
    """A character's regex after the first of a label: spaces, then it (made once each)."""

    def __missing__(self, ch: str) -> str:
        self[ch] = r"\s*" + _escaped(ch)
        return self[ch]


_SPACED = _Spaced()


class _Trie:
    """An alternation of labels with their common beginnings written once (营\\s*业(?:\\s*收
    \\s*入|\\s*成\\s*本)): ``re`` tries a position's words one character at a time, not one
    word at a time (an alternation of hundreds of metric names was a tenth of a report's
    instructions). The same matches, backtracking included: at any point of the text at
    most one child can go on (each is one character, after spaces), so only a word ending
    at a node comes after the longer words through it, as in the flat alternation
    (longest first); where that order or that one character is not so (a label with a
    space inside it may sort before a longer one, a Latin label has a guard), or a label
    has no character, :func:`_alternation` keeps the flat alternation."""

    def __init__(self) -> None:
        self.children: dict[str, tuple[str, _Trie]] = {}
        self.ends: list[tuple[int, str]] = []  #: (word's place, the end's regex)

    def add(self, index: int, tokens: list[tuple[str, str]]) -> bool:
        """Add the word at ``index`` of the flat alternation; False where the trie cannot
        keep its matches (one character written with and without a guard)."""
        node = self
        for ch, token in tokens[:-1]:
            have = node.children.get(ch)
            if have is None:
                have = node.children[ch] = (token, _Trie())
            elif have[0] != token:
                return False  # the same character with and without a guard
            node = have[1]
        if tokens[-1][1] not in (end for _, end in node.ends):
            node.ends.append((index, tokens[-1][1]))
        return True

    def ordered(self) -> tuple[bool, int]:
        """Whether every word ending at a node comes after the longer words through it, and
        the last place of a word ending at this node or below."""
        last = -1
        for _, child in self.children.values():
            ok, below = child.ordered()
            if not ok:
                return False, last
            last = max(last, below)
        if self.ends and last > self.ends[0][0]:
            return False, last
        return True, max(last, self.ends[-1][0]) if self.ends else last

    def pattern(self, *, top: bool = False) -> str:
        """The regex: each child's character and its own, then the ends."""
        alts = [token + child.pattern() for token, child in self.children.values()]
        alts += [end for _, end in self.ends]
        if len(alts) == 1 or top:
            return "|".join(alts)
        return "(?:" + "|".join(alts) + ")"


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
    first_months: re.Pattern[str]  #: 前8月, 首11个月: the months from the year's start
    noise: re.Pattern[str]
    period_word: re.Pattern[str]
    cn_quantity: re.Pattern[str]  #: an amount in Chinese numerals (港币二十五亿六千三百万元)
    metric: re.Pattern[str]
    not_metric: re.Pattern[str]
    region: re.Pattern[str]
    role: re.Pattern[str]
    #: a change word, a colon and a figure (增长:60%): the colon joins, no clause break
    change_colon: re.Pattern[str]
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


_SPACES = re.compile(r"\s+")


def compact(text: str) -> str:
    """``text`` without its white space (``\\s``, which is ``str.isspace``: the same
    characters, every code point checked), by ``str.split``: twice as fast as the regex.

    >>> compact(" 营业\\u3000收入\\n")
    '营业收入'
    """
    return "".join(text.split())


def blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` blanked out (offsets kept).

    >>> blanked("同花顺数据显示", [(0, 3)])
    '   数据显示'
    """
    for a, b in spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _after_any(items: Iterable[str]) -> str:
    """A lookbehind for any of these words (each its own, so that they may differ in length).

    >>> _after_any(["年"])
    '(?<=年)'
    """
    return "|".join(f"(?<={re.escape(w)})" for w in sorted(set(items)))


def words(items: Iterable[str]) -> str:
    """A plain alternation of grammar words, longest first (no spaces tolerated inside them,
    unlike :func:`alternation` for names).

    >>> words(["年", "年度", "-"])
    '年度|\\\\-|年'
    """
    ordered = sorted(set(items), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered if w)


@dataclass(frozen=True)
class DateWords:
    """The words dates are written with (``periods.ttl``), each as a regex alternation."""

    year: str  #: 年
    after_year: str  #: 底 末 终 度: after 年, a word of its own (年底, 年度)
    year_follower: str  #: 财年 全年 Q3 上半 …: right after a year's digits
    month: str  #: 月
    day: str  #: 日
    month_end: str  #: 底 末
    ended_by: str  #: 止
    of: str  #: 的
    months_unit: str  #: 个月, or 月 (a count of months)
    ended_year: str  #: 年度 财年 财政年度: twelve months ended
    ended_half: str  #: 中期 半年度: six months ended
    range_joiner: str  #: 至 到 - —
    ordinal: str  #: 第
    fiscal: str  #: 财
    quarter: str  #: 季度 季
    month_quarter: str  #: 季度, after a month: the quarter ending in it
    as_of: str  #: 截至 截止 于 …
    ended_from: str  #: as_of, and 到: what opens a 截至…止六个月
    this_year: str  #: 今年 本年: a year in force, between 截至 and the month
    last_year: str  #: 去年: the year before the year published, between 截至 and the month
    quarter_digits: str  #: the numerals of 1 to 4, for a character class
    first: str  #: 前 首: before months from the year's start (前1-2月)

    @staticmethod
    def of_lexicon(lexicon: Lexicon) -> DateWords:
        def cue(key: str) -> str:
            return words(lexicon.cue(key))

        return DateWords(
            year=cue("year-suffix"),
            after_year=cue("after-year-suffix"),
            year_follower=cue("year-follower"),
            month=cue("month-suffix"),
            day=cue("day-suffix"),
            month_end=cue("month-end"),
            ended_by=cue("ended-by"),
            of=cue("linking-particle"),
            months_unit=words([*lexicon.cue("months-unit"), *lexicon.cue("month-suffix")]),
            ended_year=cue("ended-year"),
            ended_half=cue("ended-half"),
            range_joiner=cue("range-joiner"),
            ordinal=cue("ordinal"),
            fiscal=cue("fiscal-prefix"),
            quarter=cue("quarter-word"),
            month_quarter=cue("month-quarter"),
            as_of=alternation(list(lexicon.cue("as-of"))),
            ended_from=alternation([*lexicon.cue("as-of"), *lexicon.cue("ended-opening")]),
            this_year=cue("ended-this-year"),
            last_year=cue("ended-last-year"),
            quarter_digits="".join(
                sorted(w for w, v in lexicon.numerals.items() if 1 <= v <= 4 and len(w) == 1)
            ),
            first=cue("first-months"),
        )


_YEAR = r"(?:19|20)\d{2}"
_MONTH = r"1[0-2]|0?[1-9]"
_DAY = r"[12]\d|3[01]|0?[1-9]"


def _date_regexes(w: DateWords, numerals: str) -> dict[str, str]:
    """The year, date, months-ended and month-range regexes, from the words of dates."""
    # after 年 a digit begins a date (2024年12月), unless a month's quarter (2024年12月季度)
    # or a quarter's number (2025年3季度, 2025年3季报)
    month_quarter = rf"\s*(?:{w.of})?\s*(?:{w.month_quarter})"
    year = (
        rf"(?<![\d.])(?<!\d,)(?P<y>{_YEAR})\s*(?:(?:{w.year})(?!(?:{w.after_year})"
        rf"|(?![1-4]\s*(?:{w.quarter}))\d(?!\d?\s*(?:{w.month}){month_quarter}))"
        rf"|(?=(?:{w.year})(?:{w.after_year})|{w.year_follower}))"
    )
    date = (
        # 截至今年9月底: 今年 only after 截至 (the year in force)
        rf"(?P<asof>(?:{w.as_of})\s*)?(?:(?P<y>{_YEAR})\s*(?:{w.year})\s*|(?(asof)(?:{w.this_year})\s*|(?!)))?"
        rf"(?P<m>{_MONTH})\s*(?:{w.month})(?!{month_quarter})"
        rf"\s*(?:(?P<d>{_DAY})\s*(?:{w.day})|(?P<e>{w.month_end}))?"
    )
    # 6个月, 6月; never the month of a date (于2024年6月30日12月31日: two columns' dates)
    count = (
        rf"(?P<n>[{numerals}]+|\d{{1,2}})\s*(?:{w.months_unit})"
        rf"(?!\s*(?:{_DAY})\s*(?:{w.day}))"
    )
    # 9月底止半年, 9月止六个月: neither 截至 nor the year said, 止 and a span after the date
    unsaid = (
        rf"(?<![\d.,])(?=(?:{_MONTH})\s*(?:{w.month})\s*(?:(?:{_DAY})\s*(?:{w.day})"
        rf"|(?:{w.month_end}))?\s*(?:{w.ended_by})\s*(?:{w.of})?\s*"
        rf"(?:{w.ended_half}|{w.ended_year}|(?:[{numerals}]+|\d{{1,2}})\s*(?:{w.months_unit})))"
    )
    ended = (
        # 2025年3月底止年度: 截至 may go unsaid where 止 is said and the year written
        rf"(?:(?P<from>{w.ended_from})\s*)?"
        rf"(?:(?P<y>{_YEAR})\s*(?:{w.year})\s*"
        rf"|(?(from)(?:(?P<ty>{w.this_year})|(?P<ly>{w.last_year}))\s*|(?!)))?"
        rf"(?(from)|(?(y)|{unsaid}))(?P<m>{_MONTH})\s*(?:{w.month})"
        # the day may go unsaid before 止 (截至2025年9月止九个月: to the month's end)
        rf"\s*(?:(?P<d>{_DAY})\s*(?:{w.day})|(?P<e>{w.month_end})|(?=\s*(?:{w.ended_by})))\s*"
        # 截至12月底止中期, 截至12月底的中期: the six months ended then, 止 or 的 before them
        rf"(?:(?:(?:{w.ended_by})\s*(?:{w.of})?|(?(from)(?:{w.of})|(?!)))\s*(?P<half>{w.ended_half})"
        # 截至3月底止，全年…: a comma may part 止 from the year it ends
        rf"|(?:(?:{w.ended_by})\s*[,，]\s*(?=(?:{w.ended_year}))|(?(from)(?:{w.ended_by})?|(?:{w.ended_by})))"
        rf"\s*(?:{w.of})?\s*(?:{count}|(?P<fy>{w.ended_year})"
        # 截至2025年6月30日的2026财年第一季度: a fiscal year may name the quarter's year
        rf"|(?:(?P<fyn>{_YEAR})\s*(?:{w.ended_year})\s*)?"
        rf"(?P<qtr>(?:{w.ordinal})[{w.quarter_digits}1-4]\s*(?:{w.fiscal})?(?:{w.quarter}))))"
    )
    months = (
        # 2025年前1-2月: the months from the year's start, 前 said before the first
        rf"(?:(?P<y>{_YEAR})\s*(?:{w.year})\s*(?:(?:{w.first})\s*(?=0?1\D))?|(?<![\d.,]))"
        rf"(?P<m1>{_MONTH})\s*(?:{w.month})?\s*"
        rf"(?:{w.range_joiner})\s*(?:(?P<y2>{_YEAR})\s*(?:{w.year})\s*)?(?P<m2>{_MONTH})\s*"
        rf"(?:{w.month})(?:\s*(?:{w.of})?\s*(?:{w.ordinal})[{w.quarter_digits}1-4]\s*"
        rf"(?:{w.fiscal})?(?:{w.quarter}))?"
    )
    return {"year": year, "date": date, "ended": ended, "months": months}


def _period_word_regex(lexicon: Lexicon, period_words: Iterable[str]) -> str:
    """The period words, never starting inside a guard word (目前|年产能: not 前年).

    A guard is tested after a word's first character, not before the alternation: then every
    word begins with a literal and ``re`` tries only the positions a word can start at (ten
    times faster; the same matches at every position of the test texts)."""
    listed = list(period_words)
    by_tail: dict[str, set[str]] = {}
    for guard in lexicon.cue("period-word-guard"):
        for k in range(1, len(guard)):
            if any(w.startswith(guard[k:]) for w in listed):
                by_tail.setdefault(guard[k:], set()).add(guard[:k])
    if any(tail[:1].isascii() for tail in by_tail):  # a Latin first character has its own guard
        guards = "".join(
            rf"(?!(?={re.escape(t)})(?:{'|'.join(f'(?<={re.escape(h)})' for h in sorted(hs))}))"
            for t, hs in sorted(by_tail.items())
        )
        return guards + f"(?:{alternation(listed, after_digits=True)})"
    words = []
    for w in sorted({w for w in listed if w}, key=lambda w: (-len(w), w)):
        body, first = label_pattern(w, after_digits=True), re.escape(w[0])
        words.append(first + _guards_after(w[0], by_tail) + body[len(first) :])
    return f"(?:{'|'.join(words)})"


def _guards_after(first: str, by_tail: Mapping[str, Iterable[str]]) -> str:
    """The guards of the tails that begin with ``first``, tested right after it: no word
    starts where the text goes on with the tail after one of its heads.

    >>> _guards_after("前", {"前": ["目"], "今年": ["如"]}), _guards_after("今", {"今年": ["如"]})
    ('(?!(?:(?<=目前)))', '(?!(?=年)(?:(?<=如今)))')
    """
    out = ""
    for tail, heads in sorted(by_tail.items()):
        if tail[0] == first:
            rest = f"(?={re.escape(tail[1:])})" if len(tail) > 1 else ""
            behind = "|".join(f"(?<={re.escape(h + first)})" for h in sorted(heads))
            out += f"(?!{rest}(?:{behind}))"
    return out


def _cn_quantity_regex(lexicon: Lexicon, prefixes: str, units: str) -> str:
    """An amount written in Chinese numerals, with its currency before or its unit after."""
    chars = "".join(sorted({*lexicon.numerals, *lexicon.numeral_places}))
    point = words(lexicon.cue("decimal-point"))
    digits = "".join(sorted(w for w, v in lexicon.numerals.items() if v < 10))
    body = rf"[{chars}]+(?:(?:{point})[{digits}]+[{chars}]*)?"
    # 数十亿, 几十亿, 十亿多: no amount we can name
    indefinite = lexicon.cue("indefinite-numeral")
    not_after = "".join(
        f"(?<!{re.escape(w)})" for w in (*indefinite, *lexicon.cue("decimal-point"))
    )
    tenth, hundredth = (
        words(lexicon.cue("tenth-of-currency")),
        words(lexicon.cue("hundredth-of-currency")),
    )
    # 港币五角八分: tenths and hundredths of the currency, after its name
    # (港币1角5仙: the same in digits)
    cents = rf"(?P<tenths>[{digits}0-9])(?:{tenth})(?:(?P<cents>[{digits}0-9])(?:{hundredth}))?"
    # 港幣三元五角二仙, 港幣一元零五仙: whole yuan, then its tenths and hundredths
    zero = words([w for w, v in lexicon.numerals.items() if v == 0])
    fraction = (
        rf"(?:(?:(?P<more_tenths>[{digits}])(?:{tenth})|{zero})?"
        rf"(?P<more_cents>[{digits}])(?:{hundredth})|(?P<only_tenths>[{digits}])(?:{tenth}))?"
    )
    return (
        rf"(?:(?P<prefix>{prefixes})\s*)?(?<![{chars}\d.]){not_after}"
        rf"(?:{cents}|(?P<cn>{body})(?![{chars}]|{point}|{words(indefinite)})\s*(?P<unit>{units})?"
        rf"{fraction})"
    )


def _numeral_change(lexicon: Lexicon, numerals: str) -> str:
    """三成 (30%), 三成半 (35%), 两成一 (21%), 增长两倍 (+200%): a Chinese numeral before a word
    for tenths (and a half, or a digit of hundredths) or for times."""
    tenth, half = (alternation(list(lexicon.cue(k))) for k in ("tenth", "half-tenth"))
    digits = "".join(sorted(w for w, v in lexicon.numerals.items() if 0 < v < 10))
    times = alternation(
        [w for u in lexicon.units if u.change_multiplier is not None for w in u.words]
    )
    after = alternation([*lexicon.cue("more-than"), *lexicon.cue("approximate")])
    return (
        rf"(?<![{numerals}\d])(?P<cn>[{numerals}]{{1,3}})"
        rf"(?:(?P<tenth>{tenth})(?:(?P<half>{half})|(?P<hundredth>[{digits}]))?"
        rf"(?=[^{HAN}]|$|{after})|(?P<times>{times}))"
    )


def _spaced_digits(scales: str, units: str) -> str:
    """Digits grouped in threes by a space, as a typeset text writes them on both sides of the
    point (3 688.29万元, 0.237 1元), right before a scale or a unit (never a run of table cells:
    2 024 or 12 35)."""
    gap = r"[ \u2009\u202f]"
    return (
        rf"(?:[1-9]\d{{0,2}}(?:{gap}\d{{3}})+(?:\.\d{{1,3}}(?:{gap}\d{{1,3}})*)?"
        rf"|\d+\.\d{{3}}(?:{gap}\d{{1,3}})+)(?=\s?(?:{scales}|{units}))"
    )


def _scale(scales: str, units: str) -> str:
    """An optional scale word, unless a unit's word begins with it (5千升, 220千伏: the unit)."""
    return rf"(?:(?!{units})(?P<scale>{scales}))?"


@lru_cache(maxsize=8)
def compile_patterns(lexicon: Lexicon) -> Patterns:
    unit_words = {w: u for u in lexicon.units for w in u.words}
    minor_words = {w: u for u in lexicon.units for w in u.minor_words}
    unit_factor = {compact(w): u.minor_multiplier for w, u in minor_words.items()}
    unit_words.update(minor_words)
    unit_prefixes = {w: u for u in lexicon.units for w in u.prefix_words}
    scales = alternation(list(lexicon.scales))
    # a sign may follow letters (yoy+12.5%, YoY-3.2%), or stand spaced after a list's joiner
    # (8.2%、 - 3.5%、15.3%); digits may not (X9, Q4); a number
    # never ends right before more digits and a separator (1.204.37亿: a typo, no number)
    # … and no sign right after a per-share unit's denominator (0.4210元/股-0.4830元/股: a range)
    per = "".join(f"(?<!{re.escape(w)})" for w in sorted(lexicon.cue("unit-denominator")))
    prefixes = alternation(list(unit_prefixes))
    units = alternation(list(unit_words), after_digits=True)
    number = (
        r"(?<!\d,)(?P<num>(?:(?<=[A-Za-z])[-−+]|(?<=[、，,]\s)[-−]\s(?=\d)"
        r"|(?<![\d.A-Za-z])" + per + r"[-−+]?)"
        rf"(?:{_spaced_digits(scales, units)}|\d+(?:,\d{{3}})*(?:\.\d+)?))"
        r"(?![\d.]\d|\.\d|\d*[.,]\d)"
    )
    quantity = (
        rf"(?:(?P<prefix>{prefixes})\s*)?{number}\s*{_scale(scales, units)}\s*(?P<unit>{units})?"
    )
    numerals = "".join(sorted(lexicon.numerals))
    fraction_word = alternation(list(lexicon.cue("fraction")))
    fraction = rf"(?P<den>[{numerals}]+){fraction_word}(?P<nom>[{numerals}]+)"
    numeral = _numeral_change(lexicon, numerals)
    big = alternation(sorted(lexicon.standalone_scales))
    metric_names = {
        compact(n): m
        for m in lexicon.metrics.values()
        for n in m.names
        if not n.isascii() or n.isupper()
    }
    # Non-IFRS净利润 written NON-IFRS净利润 too: a mixed name's Latin letters all capitals
    metric_names = {k.upper(): m for k, m in metric_names.items() if not k.isascii()} | metric_names
    region_names = {compact(n): r for r in lexicon.regions for n in r.names if not n.isascii()}
    role_names = {
        compact(n): iri for iri, names in lexicon.roles.items() for n in names if not n.islower()
    }
    period_words = dict(lexicon.period_words)
    dates = _date_regexes(DateWords.of_lexicon(lexicon), numerals)
    yoy, flat = alternation(list(lexicon.cue("yoy"))), alternation(list(lexicon.cue("flat")))
    return Patterns(
        quantity=regex(quantity),
        fraction=regex(fraction),
        numeral=regex(numeral),
        flat=regex(rf"(?:{yoy})\s*(?P<flat>{flat})"),
        standalone=regex(rf"(?P<scale>{big})\s*(?P<unit>{units})?"),
        year=regex(dates["year"]),
        date=regex(dates["date"]),
        ended=regex(dates["ended"]),
        months=regex(dates["months"]),
        first_months=regex(
            rf"(?:(?P<y>{_YEAR})\s*(?:{words(lexicon.cue('year-suffix'))})\s*)?"
            rf"(?:{_after_any(lexicon.cue('year-suffix'))}|(?<![\u4e00-\u9fff]))"
            rf"(?:{words(lexicon.cue('first-months'))})\s*(?:(?P<n>{_MONTH})|(?P<cn>[{numerals}]{{1,3}}))\s*"
            rf"(?:{words([*lexicon.cue('months-unit'), *lexicon.cue('month-suffix')])})"
        ),
        noise=regex(alternation(_noise_words(lexicon))),
        period_word=regex(_period_word_regex(lexicon, period_words)),
        cn_quantity=regex(_cn_quantity_regex(lexicon, prefixes, units)),
        metric=regex(alternation(list(metric_names))),
        not_metric=regex(alternation(list(lexicon.cue("not-a-metric")))),
        region=regex(alternation(list(region_names))),
        role=regex(alternation(list(role_names))),
        change_colon=regex(
            rf"(?:{words([*lexicon.cue('increase'), *lexicon.cue('decrease')])})"
            r"\s*[:：]\s*[-+]?\d"
        ),
        metric_by_name=metric_names,
        region_by_name=region_names,
        role_by_name=role_names,
        period_by_word={compact(w): t for w, t in period_words.items()},
        unit_by_word={compact(w): u for w, u in unit_words.items()},
        unit_by_prefix={compact(w): u for w, u in unit_prefixes.items()},
        unit_factor=unit_factor,
    )


def _noise_words(lexicon: Lexicon) -> list[str]:
    """上年同期, 较上年末, 自去年以来, 期初期末口径: words that name no period; a bare 去年 is
    one (the published year's), so the relative prior-year cues are left out; a dateline
    (香港文汇报讯) names no region."""
    relative = lexicon.cue("relative-last-year")
    prior = [w for w in lexicon.cue("prior-year") if w not in relative]
    since = (*lexicon.cue("since-year-end"), *lexicon.cue("since-phrase"))
    basis = lexicon.cue("basis-phrase")  # (期初期末口径): a basis, no period
    return [*since, *prior, *basis, *lexicon.cue("dateline")]


def group_of_companies(lexicon: Lexicon, *, digits: str = r"[2-9]|[1-9]\d+") -> str:
    """The regex of a group of companies (六家银行, 六大行, 6家公司, 612家深市公司, 18家白酒上市
    公司, 30余家上市公司): a numeral of two or more (or ``digits``, never begun inside a number
    nor after a letter: Q3公司 is a quarter's, perhaps with 余 after it), a counter, a market or
    (after the counter) a sector's word or both (17家A股城商行), a word for companies; or the
    companies just listed (上述银行, 这些券商)."""
    market = alternation(list(lexicon.cue("group-market")))
    return (
        rf"(?:[{''.join(lexicon.cue('group-numeral'))}]+"
        rf"|(?<![\d.A-Za-z])(?<!\d,)(?:{digits})(?:{alternation(list(lexicon.cue('group-numeral-tail')))})?)"
        rf"(?:(?:{alternation(list(lexicon.cue('group-counter')))})(?:{market})?(?:[{HAN}]{{1,4}}?)?"
        rf"|(?:{market})?)"
        rf"(?:{alternation(list(lexicon.cue('group-noun')))})"
        # 上述银行, 这些券商: the companies just listed
        rf"|(?:{alternation(list(lexicon.cue('group-demonstrative')))})"
        rf"(?:{alternation(list(lexicon.cue('group-demonstrative-noun')))})"
    )


def group_count(group: str, lexicon: Lexicon) -> int | None:
    """The count a group of companies opens with (三家乳企: 3, 2家公司: 2), or None."""
    digits = re.match(r"\d+", group)
    if digits is not None:
        return int(digits.group())
    value = lexicon.numerals.get(group[:1])
    return value if value is not None and value >= 2 else None


@lru_cache(maxsize=16)
def group_regex(lexicon: Lexicon, digits: str = r"[2-9]|[1-9]\d+") -> re.Pattern[str]:
    """:func:`group_of_companies` compiled, once per lexicon and ``digits``."""
    return regex(group_of_companies(lexicon, digits=digits))


@lru_cache(maxsize=32)
def year_range(lexicon: Lexicon, joiner: str) -> re.Pattern[str]:
    """A range of years (2025-2027年, 2022年至2024年, 2025-27年), ``joiner`` the cue set
    between them (made once per lexicon and cue set: a tagger asks for it every sentence)."""
    suffix = alternation(list(lexicon.cue("year-suffix")))
    joiners = alternation(list(lexicon.cue(joiner)))
    return regex(
        rf"(?P<a>(?:19|20)\d{{2}})\s*(?:{suffix})?\s*"
        rf"(?:{joiners})\s*"
        # 2024 - 2026E: a broker's last year marked an estimate, no 年 written
        rf"(?:(?P<b>(?:19|20)?\d{{2}})\s*(?:{suffix})|(?P<e>(?:19|20)\d{{2}})E(?![A-Za-z]))"
        # 25-27年: a broker's years of two digits (range_years: at most five years)
        rf"|(?<![\d.．/／\-])(?P<s>[12]\d)\s*(?:{joiners})\s*(?P<t>[12]\d)\s*(?:{suffix})"
    )


def year_list(lexicon: Lexicon, joiner: str) -> re.Pattern[str]:
    """A list of years (2023年、2024年, 2023和2024年), ``joiner`` the cue set between them; or
    of years of two digits joined by slashes before 年 (a broker's 25/26/27年, 2025/26/27年)."""
    suffix = alternation(list(lexicon.cue("year-suffix")))
    year = rf"(?:19|20)\d{{2}}\s*(?:{suffix})?"
    short = rf"(?<![\d./／])(?:(?:19|20)\d{{2}}|\d{{2}})(?:\s*[/／]\s*\d{{2}})+\s*(?:{suffix})"
    return regex(rf"{year}(?:\s*(?:{alternation(list(lexicon.cue(joiner)))})\s*{year})+|{short}")


def listed_years(m: re.Match[str]) -> list[int]:
    """The years of a :func:`year_list` match, in the order written (25 for 2025)."""
    found = re.findall(r"(?<!\d)(?:(?:19|20)\d{2}|\d{2})(?!\d)", m.group())
    return [int(y) if len(y) == 4 else 2000 + int(y) for y in found]


#: A range of years of two digits (25-27年) spans at most this many years after its first.
SHORT_RANGE = 4


def range_years(m: re.Match[str]) -> tuple[int, int]:
    """The first and last year of a :func:`year_range` match (2025-27年: 2025, 2027); of
    years of two digits (25-27年) more than :data:`SHORT_RANGE` apart, or not in order, a
    span of years (未来10-15年), no range: the first year twice."""
    if m["s"]:
        a, b = 2000 + int(m["s"]), 2000 + int(m["t"])
        return (a, b) if 0 < b - a <= SHORT_RANGE else (a, a)
    first, last = int(m["a"]), m["b"] or m["e"]
    return first, int(last) if len(last) == 4 else first // 100 * 100 + int(last)


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


@lru_cache(maxsize=8)
def _chinese_date_regex(lexicon: Lexicon) -> re.Pattern[str]:
    w = DateWords.of_lexicon(lexicon)
    nums = "".join(sorted(lexicon.numerals))
    count = rf"[{nums}]{{1,2}}(?:{words(lexicon.cue('months-unit'))})"
    tail = (
        rf"\s*(?:{w.ended_by})\s*(?:{w.of})?\s*(?:{w.ended_half})"
        rf"|\s*(?:{w.ended_by})?\s*(?:{w.of})?\s*(?:{count}|{w.ended_year})"
    )
    day = rf"\s*(?P<d>[{nums}]{{1,3}})\s*(?:{w.day})|(?P<e>{w.month_end})"
    return regex(
        # 2025年三月底止年度: a year in digits before a month in Chinese numerals
        rf"(?P<asof>(?:{w.as_of})\s*)?(?P<y>[{nums}]{{4}}|[0-9]{{4}}(?=\s*(?:{w.year})\s*[{nums}]))"
        rf"\s*(?:{w.year})"
        rf"(?:\s*(?P<m>[{nums}]{{1,2}})\s*(?:{w.month})(?:{day})?)?(?P<tail>{tail})?"
        # 截至六月底止半年: no year, a month's end and the period it ends (a Hong Kong paper's;
        # 截至今年六月三十日止六個月: 今年 kept, read against the publication date)
        # 九月底止中期: 截至 unsaid where 止 follows the month's end or day
        rf"|(?P<asof2>(?:{w.as_of})\s*(?:(?:{w.this_year})\s*)?)?"
        rf"(?(asof2)|(?<![{nums}])(?<!{w.year})(?=[{nums}]{{1,2}}\s*(?:{w.month})\s*(?:[{nums}]{{1,3}}\s*"
        rf"(?:{w.day})|(?:{w.month_end}))\s*(?:{w.ended_by})))"
        rf"(?P<m2>[{nums}]{{1,2}})\s*(?:{w.month})"
        rf"(?:{day.replace('?P<d>', '?P<d2>').replace('?P<e>', '?P<e2>')})(?P<tail2>{tail})"
    )


def chinese_dates(
    text: str, start: int, end: int, lexicon: Lexicon
) -> list[tuple[tuple[int, int], str]]:
    """Dates written in Chinese numerals (二零二四年十二月三十一日, HK filings), each with its
    span and the same words written with digits.

    >>> from xmgraph.lexicon import load_lexicon
    >>> chinese_dates("截至二零二五年九月三十日止六个月", 0, 16, load_lexicon())
    [((0, 16), '截至2025年9月30日止6个月')]
    >>> chinese_dates("截至六月底止半年，收入", 0, 11, load_lexicon())
    [((0, 8), '截至6月底止半年')]
    >>> chinese_dates("截至今年六月三十日止六个月", 0, 13, load_lexicon())
    [((0, 13), '截至今年6月30日止6个月')]
    >>> chinese_dates("九月底止中期盈利", 0, 8, load_lexicon())
    [((0, 6), '9月底止中期')]
    >>> chinese_dates("九月底的存货", 0, 6, load_lexicon())
    []
    >>> chinese_dates("截至2025年三月底止年度", 0, 13, load_lexicon())
    [((0, 13), '截至2025年3月底止年度')]
    """
    out = []
    for m in _chinese_date_regex(lexicon).finditer(text, start, end):
        written = _chinese_date_in_digits(m, lexicon)
        if written is not None:
            out.append(((m.start(), m.end()), written))
    return out


def _chinese_date_in_digits(m: re.Match[str], lexicon: Lexicon) -> str | None:
    """A match of the Chinese-numeral date regex, written with digits (None: no date)."""
    nums = "".join(sorted(lexicon.numerals))
    suffix = {k: lexicon.cue(k)[0] for k in ("year-suffix", "month-suffix", "day-suffix")}
    g = {k: m[f"{k}2"] if m["y"] is None else m[k] for k in ("asof", "m", "d", "e", "tail")}
    conv = g["asof"] or ""
    if m["y"] is not None:
        digits = [int(ch) if ch.isascii() else lexicon.numerals.get(ch) for ch in m["y"]]
        year = "".join(str(d) for d in digits if d is not None and d <= 9)
        if len(year) != len(digits) or not re.fullmatch(_YEAR, year):
            return None
        conv += f"{year}{suffix['year-suffix']}"
    if g["m"]:
        month = chinese_numeral(g["m"], lexicon)
        day = chinese_numeral(g["d"], lexicon) if g["d"] else None
        if not month or month > 12 or (g["d"] and not day):
            return None
        conv += f"{month}{suffix['month-suffix']}"
        conv += f"{day}{suffix['day-suffix']}" if day else (g["e"] or "")
    tail = g["tail"] or ""
    n = re.search(f"[{nums}]+(?={words(lexicon.cue('months-unit'))})", tail)
    if n is not None:
        tail = tail.replace(n.group(), str(chinese_numeral(n.group(), lexicon) or ""))
    return conv + tail if g["d"] or g["e"] else conv


def month_range(m: re.Match[str]) -> str | None:
    """A range of calendar months: 2024年1月至3月 -> 2024-Q1; without a year, a template in
    the year in force: 1-7月 -> {year}-01-01/{year}-07-31."""
    if m["y"] is None and m["y2"] is not None:
        return None
    y1 = int(m["y"] or _SOME_YEAR)
    y2 = int(m["y2"]) if m["y2"] else y1
    m1, m2 = int(m["m1"]), int(m["m2"])
    if (y2, m2) < (y1, m1):
        return None
    last = date(y2, m2, calendar.monthrange(y2, m2)[1])
    code = Period.interval(date(y1, m1, 1), last).code
    if m["y"]:
        return code
    return "{year}" + code[4:].replace(f"{_SOME_YEAR}-", "{year}-")


def first_months(m: re.Match[str], lexicon: Lexicon) -> str | None:
    """前8月 -> {year}-01-01/{year}-08-31 (the months from the start of the year in force);
    2025年前8个月 -> 2025-01-01/2025-08-31; 前两个月 the first two; None past twelve."""
    n = int(m["n"]) if m["n"] else chinese_numeral(m["cn"], lexicon)
    if n is None or not 1 <= n <= 12:
        return None
    y = int(m["y"] or _SOME_YEAR)
    code = Period.interval(date(y, 1, 1), date(y, n, calendar.monthrange(y, n)[1])).code
    return code if m["y"] else "{year}" + code[4:].replace(f"{_SOME_YEAR}-", "{year}-")


#: The year a date written without one is read in, to be replaced by ``{year}``: a leap
#: year, so that 2月29日 is a date.
_SOME_YEAR = 2000


def _fiscal_quarter_year(m: re.Match[str], lexicon: Lexicon) -> int | None:
    """The year of the date ending a fiscal year's quarter, the date written without one
    (截至9月30日的2019财年第三季度: 2019; 截至6月30日的2026财年第一季度: 2025): a fiscal year is
    named by the year it ends in, three months a quarter after the date."""
    fyn, qtr = m.groupdict().get("fyn"), m.groupdict().get("qtr")
    digit = next((ch for ch in qtr or "" if ch in "1234" or ch in lexicon.numerals), None)
    if not fyn or digit is None:
        return None
    k = int(digit) if digit.isdigit() else chinese_numeral(digit, lexicon)
    if k is None or not 1 <= k <= 4:
        return None
    return int(fyn) - (1 if int(m["m"]) + 3 * (4 - k) > 12 else 0)


def months_ended(m: re.Match[str], lexicon: Lexicon) -> str | None:
    """The months ended on a date: 截至2024年3月31日止三个月 -> 2024-Q1; without a year, a
    template in the year in force: 截至9月底止中期, 截至今年9月底止中期 ->
    {year}-04-01/{year}-09-30.

    >>> from xmgraph.lexicon import load_lexicon
    >>> pats = compile_patterns(load_lexicon())
    >>> [months_ended(pats.ended.search(t), load_lexicon()) for t in
    ...  ("截至2024年3月31日止三个月", "截至9月底止中期", "截至2025年3月31日止年度",
    ...   "截至2020年2月29日的第四季度")]
    ['2024-Q1', '{year}-04-01/{year}-09-30', '2024-04-01/2025-03-31', '2019-12-01/2020-02-29']
    >>> months_ended(pats.ended.search("截至2025年9月止九个月"), load_lexicon())
    '2025-01-01/2025-09-30'
    >>> [months_ended(pats.ended.search(t), load_lexicon()) for t in
    ...  ("截至9月30日的2019财年第三季度", "截至6月30日的2026财年第一季度")]
    ['2019-Q3', '2025-Q2']
    >>> [months_ended(pats.ended.search(t), load_lexicon()) for t in
    ...  ("截至去年12月底止中期", "截至去年12月底止全年")]
    ['{published-year-1}-H2', '{published-year-1}']
    """
    groups = m.groupdict()
    if groups.get("fy"):
        months: int | None = 12
    elif groups.get("qtr"):
        months = 3  # 截至2020年2月29日的第四季度: the three months ended then
    elif groups.get("half"):
        months = 6
    else:
        n = m["n"]
        months = int(n) if n.isdigit() else chinese_numeral(n, lexicon)
    if not months or months > 24:
        return None
    year, month = int(m["y"] or _fiscal_quarter_year(m, lexicon) or _SOME_YEAR), int(m["m"])
    try:
        day = int(m["d"]) if m["d"] else calendar.monthrange(year, month)[1]
        last = date(year, month, day)
    except ValueError:
        return None
    first = _months_start(last, months)
    code = Period.interval(first, last).code
    if m["y"] or year != _SOME_YEAR:
        return code
    if groups.get("ly"):  # 截至去年12月底止中期: of the months ended in the year before
        if first.year != last.year:
            return f"{{published-year-2}}-{first:%m-%d}/{{published-year-1}}-{last:%m-%d}"
        return "{published-year-1}" + code[4:].replace(f"{_SOME_YEAR}-", "{published-year-1}-")
    if first.year != last.year:
        if groups.get("ty"):  # 截至今年3月31日止年度: the year ended in the year published
            return f"{{published-year-1}}-{first:%m-%d}/{{published-year}}-{last:%m-%d}"
        # 截至3月31日止年度 without a year: those that ended last before the text was published
        return f"{{published-ended-{last:%m-%d}-{months}}}"
    return "{year}" + code[4:].replace(f"{_SOME_YEAR}-", "{year}-")


def _months_start(last: date, months: int) -> date:
    """The first day of the months ended on ``last``."""
    y, mo = last.year, last.month - months + 1
    while mo < 1:
        y, mo = y - 1, mo + 12
    if (last + timedelta(days=1)).day == 1:
        return date(y, mo, 1)
    # 截至12月27日止三个月: from the day after 27 September
    by, bm = (y, mo - 1) if mo > 1 else (y - 1, 12)
    return date(by, bm, min(last.day, calendar.monthrange(by, bm)[1])) + timedelta(days=1)


#: ``{published-ended-03-31-12}``: the twelve months ended on the last 31 March on or before
#: the publication date (截至3月31日止年度 in a text of 2 June 2025: 2024-04-01/2025-03-31).
_PUBLISHED_ENDED_RE = re.compile(r"\{published-ended-(?P<m>\d\d)-(?P<d>\d\d)-(?P<n>\d+)\}")


def latest_year_of(month: int, day: int, published: date) -> int:
    """The year of the last ``month``/``day`` on or before ``published`` (31 March in a text of
    2 June 2025: 2025; of 2 February 2025: 2024)."""
    return published.year - ((month, day) > (published.month, published.day))


def _published_ended(template: str, published: date | None) -> Period | None:
    """The months a ``{published-ended-…}`` template names, given the publication date."""
    m = _PUBLISHED_ENDED_RE.fullmatch(template)
    if m is None or published is None:
        return None
    month, day = int(m["m"]), int(m["d"])
    year = latest_year_of(month, day, published)
    last = date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return Period.interval(_months_start(last, int(m["n"])), last)


def date_template(m: re.Match[str]) -> str:
    year = m["y"] or "{year}"
    month = int(m["m"])
    if m["d"]:
        return f"{year}-{month:02d}-{int(m['d']):02d}"
    if m["e"]:
        return f"{year}-{month:02d}-end"
    return f"{year}-{month:02d}"


def parse_quantity(m: re.Match[str], pats: Patterns, lexicon: Lexicon) -> Mention | None:
    value = read_digits(m["num"])
    if value is None:
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
    if sane_figure(value, m.group()) is None:
        return None
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


def parse_chinese_quantity(m: re.Match[str], pats: Patterns, lexicon: Lexicon) -> Mention | None:
    """An amount in Chinese numerals found by ``pats.cn_quantity``; only one written with
    万/亿 or in a currency is read (十分, 三人, 第十一 are not amounts), and a change in
    percentage points (六个百分点).

    >>> from xmgraph.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> pats = compile_patterns(lex)
    >>> m = pats.cn_quantity.search("收益为港币二十五亿六千三百万元")
    >>> q = parse_chinese_quantity(m, pats, lex)
    >>> q.value, q.unit.code, (q.start, q.end)
    (Decimal('2563000000'), 'HKD', (3, 15))
    >>> found = pats.cn_quantity.finditer("十分重要，双十一，数十亿元")
    >>> [parse_chinese_quantity(m, pats, lex) for m in found]
    [None, None]
    >>> q = parse_chinese_quantity(pats.cn_quantity.search("毛利率按年跌六个百分点至"), pats, lex)
    >>> q.value, q.unit.code, q.minor
    (Decimal('6'), 'percentage-point', False)
    >>> found = pats.cn_quantity.finditer("每股港币三元五角二仙，股息港币一元零五仙")
    >>> [parse_chinese_quantity(m, pats, lex).value for m in found]
    [Decimal('3.52'), Decimal('1.05')]
    """
    if m["tenths"]:
        return _tenths(m, pats, lexicon)
    value = sane_figure(chinese_amount(m["cn"], lexicon), m["cn"])
    if value is None:
        return None
    word = compact(m["unit"] or "")
    unit = pats.unit_by_word.get(word)
    prefix = pats.unit_by_prefix.get(compact(m["prefix"] or ""))
    if prefix is not None and prefix.code == "percent" and unit is None:  # 百分之十八
        return Mention("quantity", m.start(), m.end(), value=value, unit=prefix, percent=True)
    if prefix is not None:
        if unit is not None and not unit.currency:
            return None
        unit = prefix
    if prefix is None and unit is not None and unit.code == "percentage-point":  # 六个百分点
        minor = word in pats.unit_factor  # 二十个基点: hundredths of a point
        return Mention("quantity", m.start(), m.end(), value=value, unit=unit, minor=minor)
    if word in pats.unit_factor or (
        unit is not None and (unit.code == "percent" or unit.change_multiplier is not None)
    ):
        return None  # 十分 (very), 三成, 两倍: not amounts of money
    scaled = any(lexicon.numeral_places.get(ch, 0) >= 10_000 for ch in m["cn"])
    if not scaled and not (unit is not None and unit.currency):
        return None
    if unit is not None and unit.currency:
        value += _fraction(m, lexicon)
    return Mention("quantity", m.start(), m.end(), value=value, unit=unit, scaled=scaled)


def _fraction(m: re.Match[str], lexicon: Lexicon) -> Decimal:
    """The tenths and hundredths written after whole yuan (三元五角二仙: 0.52)."""
    tenths = m["more_tenths"] or m["only_tenths"]
    value = _digit(tenths, lexicon) / 10 if tenths else Decimal(0)
    return value + (_digit(m["more_cents"], lexicon) / 100 if m["more_cents"] else 0)


def _tenths(m: re.Match[str], pats: Patterns, lexicon: Lexicon) -> Mention | None:
    """港币五角八分: 0.58 of the currency named before it; none named, of the currency its
    hundredths' word names (每股2角1仙: Hong Kong cents), else no amount."""
    unit = pats.unit_by_prefix.get(compact(m["prefix"] or ""))
    if unit is None and m["cents"]:
        unit = pats.unit_by_word.get(compact(m.string[m.end("cents") : m.end()]))
    if unit is None or not unit.currency:
        return None
    value = _digit(m["tenths"], lexicon) / 10
    if m["cents"]:
        value += _digit(m["cents"], lexicon) / 100
    return Mention("quantity", m.start(), m.end(), value=value, unit=unit, minor=True)


def _digit(ch: str, lexicon: Lexicon) -> Decimal:
    """A digit written as a Chinese numeral (五) or an Arabic one (5)."""
    return Decimal(ch) if "0" <= ch <= "9" else Decimal(lexicon.numerals[ch])


@lru_cache(maxsize=8)
def _number_span_regex(lexicon: Lexicon) -> re.Pattern[str]:
    return regex(rf"(?P<num>{_NUMBER_RE.pattern})(?P<scale>{words(lexicon.scales)})?")


def parse_number(text: str, lexicon: Lexicon) -> Decimal | None:
    """The value a span of text writes: digits (1,204.37, −3.5) with a scale word after them
    (52.3亿), or Chinese numerals (二十五亿六千三百万); None for anything else, a separator
    typo included (1.204.37亿: no figure is read from it).

    >>> from xmgraph.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> [parse_number(t, lex) for t in ("1,204.37", "52.3亿", "二十五亿六千三百万", "1.204.37亿")]
    [Decimal('1204.37'), Decimal('5230000000.0'), Decimal('2563000000'), None]
    """
    body = compact(text)
    m = _number_span_regex(lexicon).fullmatch(body)
    if m is None:
        return chinese_amount(body, lexicon)
    value = read_digits(m["num"])
    if value is None:
        return None
    return sane_figure(value * lexicon.scales[m["scale"]] if m["scale"] else value, body)


# ---------------------------------------------------------------- periods

#: ``{published-year}``, ``{published-year-1}``, ``{published-year+1}``: the publication's year.
_PUBLISHED_YEAR_RE = re.compile(r"\{published-year(?P<shift>[+-]\d+)?\}")


def with_published(template: str, published: date | None) -> str:
    """A period word's template with the publication's year written in: 今年 becomes what
    ``2025年`` is (``"2025"``: a year the words after it are read in), 去年底 ``"2024-12-31"``.
    Without a publication date the template is unchanged (and resolves to nothing).

    >>> with_published("{published-year}", date(2025, 11, 25))
    '2025'
    >>> with_published("{published-year-1}-12-31", date(2025, 11, 25))
    '2024-12-31'
    >>> with_published("{published-year}", None), with_published("{year}-Q3", date(2025, 1, 1))
    ('{published-year}', '{year}-Q3')
    """
    if published is None:
        return template
    return _PUBLISHED_YEAR_RE.sub(lambda m: str(published.year + int(m["shift"] or 0)), template)


def resolve_period(
    template: str,
    year: int | None,
    report: Period | None,
    *,
    published: date | None = None,
) -> Period | None:
    """Turn a period template into a period, given the year in force, the report's period and
    the text's publication date (for the relative words: 今年, 去年, 本季度, 上季度).

    >>> resolve_period("{published-year-1}", None, None, published=date(2025, 11, 25))
    Period(code='2024')
    >>> resolve_period("{published-year-1}", 2024, None) is None  # no publication date
    True
    >>> resolve_period("{published-year-1}-12-31", None, Period("2024-H1"))  # a half: that year
    Period(code='2023-12-31')
    >>> resolve_period("{published-year-1}", None, Period("2024")) is None  # a year: not known
    True
    >>> resolve_period("{previous-quarter}", None, Period("2025-Q3"), published=date(2025, 11, 25))
    Period(code='2025-Q2')
    >>> resolve_period("{previous-quarter}", None, None, published=date(2025, 11, 25))
    Period(code='2025-Q3')
    >>> resolve_period("{published-ended-03-31-12}", None, None, published=date(2025, 6, 2))
    Period(code='2024-04-01/2025-03-31')
    >>> resolve_period("{published-ended-03-31-12}", None, None) is None  # not dated
    True
    """
    try:
        if template == "{none}":
            return None
        if template in ("{reported-quarter}", "{previous-quarter}"):
            quarter = reported_quarter(report, published)
            if quarter is None or template == "{reported-quarter}":
                return quarter
            if report is None and published is not None:
                return quarter  # 上季收入 in news of results just out: the last quarter ended
            return previous_quarter(quarter)
        if template.startswith("{published-ended-"):
            return _published_ended(template, published)
        if "{published-year" in template:
            published = published or _published_within(report)
            if published is None:
                return None
            template = with_published(template, published)
        return _resolve_report_or_year(template, year, report)
    except ValueError:
        return None


def _published_within(report: Period | None) -> date | None:
    """For a text that gives no publication date, the year it must be of: a report on a
    period ending by September (a half, the first nine months, a fiscal half to September) is
    published before that year ends, so its 去年底 is the year before; a year's report may be
    published in the next one (None)."""
    if report is None:
        return None
    end = report.bounds()[1]
    return end if end.month <= 9 else None


def _resolve_report_or_year(
    template: str, year: int | None, report: Period | None
) -> Period | None:
    if template == "{report}":
        return report
    if template == "{report-end}":
        return Period(report.bounds()[1].isoformat()) if report else None
    if template == "{report-start}":  # 期初: the balance the day before the period began
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
        return Period(f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}")
    return Period(template)


def reported_quarter(report: Period | None, published: date | None) -> Period | None:
    """The quarter being reported (本季度): the report's period if it is a quarter; else the
    last quarter ended before the publication date; else the last quarter of the report's
    period if it ends at a quarter's end (前三季度 -> Q3, a year -> Q4).

    >>> reported_quarter(Period("2025-01-01/2025-09-30"), None)
    Period(code='2025-Q3')
    >>> reported_quarter(Period("2024"), date(2025, 11, 25))
    Period(code='2025-Q3')
    >>> reported_quarter(None, date(2025, 4, 1)), reported_quarter(None, None)
    (Period(code='2025-Q1'), None)
    """
    if report is not None and report.kind == "quarter":
        return report
    if published is not None:
        q = (published.month - 1) // 3  # the quarters of this year ended before the date
        return Period(f"{published.year}-Q{q}") if q else Period(f"{published.year - 1}-Q4")
    if report is None or report.is_instant:
        return None
    last = report.bounds()[1]
    if last.month % 3 == 0 and last.day == calendar.monthrange(last.year, last.month)[1]:
        return Period(f"{last.year}-Q{last.month // 3}")
    return None


def previous_quarter(quarter: Period) -> Period:
    """The quarter before a quarter (上季度).

    >>> previous_quarter(Period("2025-Q1")).code
    '2024-Q4'
    """
    y, q = quarter.year, int(quarter.code[-1])
    return Period(f"{y}-Q{q - 1}") if q > 1 else Period(f"{y - 1}-Q4")


def _month_day(year_end: str | tuple[int, int]) -> tuple[int, int]:
    if isinstance(year_end, tuple):
        return year_end
    m = re.fullmatch(r"(?:--)?(\d{1,2})-(\d{1,2})", year_end.strip())
    if m is None:
        raise ValueError(f"bad fiscal year end {year_end!r}: use --MM-DD")
    return int(m[1]), int(m[2])


def _fiscal_year_end(year: int, month: int, day: int) -> date:
    """The fiscal year's last day in ``year``: a month's last day (--02-28) is its last day
    whatever the year (29 February in a leap year)."""
    last = calendar.monthrange(year, month)[1]
    month_end = day >= calendar.monthrange(2001, month)[1]
    return date(year, month, last if month_end else min(day, last))


def _months_after(first: date, months: int) -> date:
    """The day before the same day ``months`` months after ``first``."""
    y, mo = divmod(first.month - 1 + months, 12)
    y += first.year
    return date(y, mo + 1, min(first.day, calendar.monthrange(y, mo + 1)[1])) - timedelta(days=1)


def fiscal_period(period: Period, year_end: str | tuple[int, int]) -> Period:
    """A period named in the fiscal calendar of a company whose fiscal year ends on
    ``year_end`` (``"--03-31"``, an ``xsd:gMonthDay`` as ``xmg:fiscalYearEnd`` holds it, or
    ``(3, 31)``), as calendar days. A fiscal year is named by the year it ends in; its
    quarters, halves and first nine months (codes ``Y-Qn``, ``Y-Hn``, ``Y-01-01/Y-MM-DD``) are
    counted from its start. Other periods (a day, a month, another interval) are the same.

    >>> fiscal_period(Period("2025"), "--03-31").code
    '2024-04-01/2025-03-31'
    >>> fiscal_period(Period("2025-H1"), "--03-31").code
    '2024-04-01/2024-09-30'
    >>> fiscal_period(Period("2025-Q3"), (9, 30)).code
    '2025-Q2'
    >>> fiscal_period(Period("2025-Q3"), "--12-31").code
    '2025-Q3'
    """
    month, day = _month_day(year_end)
    last = _fiscal_year_end(period.year, month, day)
    first = _fiscal_year_end(period.year - 1, month, day) + timedelta(days=1)
    kind = period.kind
    if kind == "year":
        return Period.interval(first, last)
    if kind in ("quarter", "half"):
        size = 3 if kind == "quarter" else 6
        n = int(period.code[-1])
        start = first if n == 1 else _months_after(first, size * (n - 1)) + timedelta(days=1)
        return Period.interval(start, _months_after(first, size * n))
    a, b = period.bounds()
    whole_months = b == date(b.year, b.month, calendar.monthrange(b.year, b.month)[1])
    if kind == "interval" and (a.month, a.day) == (1, 1) and a.year == b.year and whole_months:
        return Period.interval(first, _months_after(first, b.month))  # 前三季度: 9 months
    return period


# ---------------------------------------------------------------- numbers

#: Digits with thousands separators or a decimal point, as a span is checked whole.
_NUMBER_RE = re.compile(r"[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
#: A run of digits and separators: a number, or a typo (1.204.37) when it is not one.
_DIGIT_RUN_RE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)+")


def malformed_numbers(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` that look like a number with a separator typo: two
    decimal points (1.204.37), a comma after the point (1.204,37), a thousands group of
    the wrong size before the point (1,20.4). No figure is read from them.

    >>> malformed_numbers("营收1.204.37亿元, 1,204.37亿元, 1,20.4亿元, 12,15家")
    [(2, 10), (26, 32)]
    """
    stop = len(text) if end is None else end
    return [
        m.span()
        for m in _DIGIT_RUN_RE.finditer(text, start, stop)
        if "." in m.group() and not _NUMBER_RE.fullmatch(m.group())
    ]


def chinese_amount(text: str, lexicon: Lexicon) -> Decimal | None:
    """An amount written in Chinese numerals, or None when ``text`` is not one exactly
    (as written in full: 一百二 and 三亿五, colloquial for 120 and 3.5亿, are refused).

    >>> from xmgraph.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> [chinese_amount(t, lex) for t in ("二十五亿六千三百万", "三千二百万", "一百二十亿")]
    [Decimal('2563000000'), Decimal('32000000'), Decimal('12000000000')]
    >>> [chinese_amount(t, lex) for t in ("一千零五", "十五万", "二点五亿", "一万亿")]
    [Decimal('1005'), Decimal('150000'), Decimal('250000000.0'), Decimal('1000000000000')]
    >>> chinese_amount("零点二", lex)
    Decimal('0.2')
    >>> [chinese_amount(t, lex) for t in ("一百二", "二零二五", "百万", "三百四千", "万")]
    [None, None, None, None, None]
    """
    point = next((p for p in lexicon.cue("decimal-point") if p in text), None)
    if point is not None:
        return _chinese_decimal(text, point, lexicon)
    integer = _chinese_integer(text, lexicon)
    return None if integer is None else Decimal(integer)


def _chinese_decimal(text: str, point: str, lexicon: Lexicon) -> Decimal | None:
    """二点五亿, 三点五万亿: a whole number, the point, digits, then the closing words that
    multiply the decimal."""
    whole, _, rest = text.partition(point)
    digits = {w: v for w, v in lexicon.numerals.items() if v < 10}
    k = next((i for i, ch in enumerate(rest) if ch not in digits), len(rest))
    # 零点二: a whole number of zero is written as the zero alone
    int_part = 0 if digits.get(whole, -1) == 0 else _chinese_integer(whole, lexicon)
    if int_part is None or k == 0 or point in rest:
        return None
    value = int_part + Decimal("0." + "".join(str(digits[ch]) for ch in rest[:k]))
    for ch in rest[k:]:
        if lexicon.numeral_places.get(ch, 0) < 10_000:
            return None
        value *= lexicon.numeral_places[ch]
    return value


def _chinese_integer(text: str, lexicon: Lexicon) -> int | None:
    """The integer a full Chinese numeral writes: groups of four (十 百 千 decreasing), each
    closed by 万 or 亿; 零 stands for skipped places and a digit must follow it."""
    places = {w: int(v) for w, v in lexicon.numeral_places.items()}
    digits = {w: v for w, v in lexicon.numerals.items() if v < 10 and w not in places}
    reading = _NumeralReading()
    for ch in text:
        if ch in digits:
            ok = reading.read_digit(digits[ch])
        elif ch in places:
            m = places[ch]
            ok = reading.read_place(m) if m < 10_000 else reading.read_closer(m)
        else:
            ok = False
        if not ok:
            return None
    return reading.value()


@dataclass
class _NumeralReading:
    """A Chinese numeral read character by character; each step says whether it may follow."""

    total: int = 0  #: the groups closed by 万/亿
    group: int = 0  #: the group being read
    place: int = 0  #: the group's last place word (10, 100, 1000): they decrease
    digit: int | None = None  #: a digit waiting for its place word
    zero: bool = False  #: a 零 waiting for its digit
    after_zero: bool = False  #: the waiting digit came after a 零
    closers: list[int] = field(default_factory=list)  #: the 万/亿 written so far

    def read_digit(self, value: int) -> bool:
        if value == 0:  # 二零, 零零 and a leading 零 are no numeral
            ok = self.digit is None and not self.zero and bool(self.place or self.closers)
            self.zero = True
            return ok
        if self.digit is not None:
            return False  # 二三
        self.digit, self.after_zero, self.zero = value, self.zero, False
        return True

    def read_place(self, m: int) -> bool:
        alone = m == 10 and self.digit is None and not (self.group or self.place or self.zero)
        if self.zero or (self.place and m >= self.place) or (self.digit is None and not alone):
            return False  # 一千零百, 三百四千, 百万
        self.group += (self.digit or 1) * m
        self.digit, self.place, self.after_zero = None, m, False
        return True

    def read_closer(self, m: int) -> bool:
        if self.zero:
            return False
        self.group, self.digit = self.group + (self.digit or 0), None
        if m > max(self.closers, default=0) and (self.group or self.total):
            self.total = (self.total + self.group) * m  # 一万亿: it multiplies all before it
        elif self.closers and m < self.closers[-1] and self.group:
            self.total += self.group * m  # 三亿五千万
        else:
            return False  # 万, 亿万, 十亿万
        self.group, self.place, self.after_zero = 0, 0, False
        self.closers.append(m)
        return True

    def value(self) -> int | None:
        lone = not (self.place or self.closers)  # a single digit
        tail_ok = self.after_zero or self.place == 10 or lone
        if self.zero or (self.digit is not None and not tail_ok):
            return None  # 一千零, and 一百二 / 三亿五 (colloquial for 120 and 3.5亿: refused)
        return (self.total + self.group + (self.digit or 0)) or None
