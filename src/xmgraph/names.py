"""The entities a report speaks of: known ones from the ontology, and the company, segments
and products it names itself (minted with the name as written).

Known names (entities and the gazetteer of listed companies) are matched with one pattern
built once per lexicon (:func:`known_names`). The reporting company is the first company
named that can be the subject: never an exchange, a regulator or a news agency
(``companies/not-subjects.ttl``), nor a broker writing a note on it; a ticker in brackets
(``（00700.HK）``) names a listed company, or gives a minted one its identifier.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from xmgraph.companies import identifier, longest_first
from xmgraph.context import rating_row
from xmgraph.diskcache import regex
from xmgraph.lexicon import Lexicon
from xmgraph.model import Entity
from xmgraph.part_tables import part_rows
from xmgraph.patterns import (
    HAN,
    ID,
    PUNCT_BEFORE_NAME,
    Patterns,
    alternation,
    blanked,
    compact,
    compile_patterns,
    group_count,
    group_regex,
)

_DIGIT = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z]+")
_HAN_OR_LATIN = regex(rf"[{HAN}A-Za-z]+")
_NOT_SPACE = re.compile(r"\S+")


def slug(name: str) -> str:
    """An IRI-safe slug for a name: pinyin for Chinese, one syllable a word (no dictionary
    says where a name's words end, and pairing syllables split them: 新能源汽车 is not
    xinneng-yuanqi-che), lower-case ASCII otherwise; invisible format characters (Cf) are
    no part of a name.

    >>> slug("华辰科技股份有限公司")
    'hua-chen-ke-ji-gu-fen-you-xian-gong-si'
    >>> slug("新能源汽车"), slug("S\u200dU7 Ultra")
    ('xin-neng-yuan-qi-che', 'su7-ultra')
    """
    from xmgraph.diskcache import SLUGS

    found: str | None = SLUGS.get(name)
    if found is None:
        found = _slug(name)
        SLUGS.put(name, found)
    return found


def _slug(name: str) -> str:
    from pypinyin import lazy_pinyin

    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    words: list[str] = []
    for token in re.findall(rf"[{HAN}]+|[A-Za-z0-9]+", name):
        if re.match(rf"[{HAN}]", token):
            words.extend(lazy_pinyin(token))
        else:
            words.append(token.lower())
    return "-".join(w for w in words if w) or "x"


T = TypeVar("T")


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` stands in ``text`` (``any(w in text for w in words)``)."""
    return _words_regex(words).search(text) is not None


def _words_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    return _by_identity(
        words, "regex", lambda: re.compile("|".join(map(re.escape, words)) or "(?!)")
    )


def _begins_any(prefix: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` begins with ``prefix`` (a binary search of them sorted).

    >>> _begins_any("证监", ("中国证监会", "证监会")), _begins_any("证券", ("证监会",))
    (True, False)
    """
    ordered = _sorted_words(words)
    at = bisect.bisect_left(ordered, prefix)
    return at < len(ordered) and ordered[at].startswith(prefix)


def _sorted_words(words: tuple[str, ...]) -> tuple[str, ...]:
    return _by_identity(words, "sorted", lambda: tuple(sorted(words)))


@lru_cache(maxsize=4)
def _cut_words(lexicon: Lexicon) -> tuple[str, ...]:
    """The not-subjects of three characters or more that a name may be cut after (a news
    agency's glued before it), not a word holding a short name across a boundary (中电科 of
    中电科芯片技术股份有限公司: the name's own start)."""
    keep = set(lexicon.name_boundaries)
    return tuple(w for w in _long_words(lexicon.not_subjects) if w not in keep)


def _long_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` of three characters or more, in their order."""
    return _by_identity(words, "long", lambda: tuple(w for w in words if len(w) >= 3))


#: What is made of a tuple of words, by the tuple's id (a lexicon's 273 not-subjects hashed
#: per call cost more than the test); the tuple is held, so its id is no other's.
_MADE: dict[tuple[int, str], tuple[tuple[str, ...], Any]] = {}


def _by_identity(words: tuple[str, ...], what: str, make: Callable[[], T]) -> T:
    got = _MADE.get((id(words), what))
    if got is None or got[0] is not words:
        if len(_MADE) > 1024:
            _MADE.clear()
        got = _MADE[id(words), what] = (words, make())
    made: T = got[1]
    return made


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def _by_first(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """``words`` by their first character, each group longest first."""
    by_first: dict[str, list[str]] = {}
    for w in _longest_first(set(words)):
        by_first.setdefault(w[0], []).append(w)
    return {k: tuple(v) for k, v in by_first.items()}


@lru_cache(maxsize=4)
def _lead_index(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    """The words a part's name never starts with (of the lexicon), by first character."""
    return _by_first(_part_patterns(lexicon).lead)


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


#: Where a bullet opens inside a line (a summary page on one line: … [2][18] - 金风科技2025年…).
_INLINE_BULLET = r"(?<=\s)(?=[-–•·●]\s)"


@dataclass(frozen=True)
class KnownNames:
    """Every name of a known entity, and of organisations never a subject, as one table
    scanned like :func:`~xmgraph.patterns.alternation` matches (spaces tolerated between
    characters, the longest name at a position first, Latin names not inside a word), but
    trying at each position only the lengths of the names that start with its character."""

    entity: dict[str, Entity | None]  #: compact name -> entity; None: never an entity
    lengths: dict[str, tuple[int, ...]]  #: first character -> name lengths, longest first
    #: the first characters of the names, as a regex: the scan jumps from one to the next
    firsts: re.Pattern[str] = dataclasses.field(default=re.compile("(?!)"), compare=False)
    #: legal suffixes (有限公司 …) and the tails of spun-off companies' names (服务, 物业),
    #: longest first: a company's short name followed by one that does not make one of its own
    #: names names another company (新鸿基有限公司 is no 新鸿基地产, 融创服务 no 融创中国)
    suffixes: tuple[str, ...] = ()
    #: the first two characters of every name (None: not known): a position whose two
    #: characters begin no name is passed without trying each length
    heads: frozenset[str] | None = None
    #: listed companies' short names (``listed.tsv``) -> code: a known name that opens a
    #: longer one of another company is not that company's (国航 in 国航远洋)
    listed: dict[str, str] = dataclasses.field(default_factory=dict, compare=False)

    def finditer(self, text: str) -> Iterator[tuple[int, int, Entity | None]]:
        """(start, end, entity) of the known names in ``text``, left to right."""
        runs = list(_NOT_SPACE.finditer(text))
        where: list[int] = []  # the offset in ``text`` of each character of ``dense``
        for run in runs:
            where.extend(range(run.start(), run.end()))
        dense = "".join(run.group() for run in runs)
        found = self.firsts.search(dense)
        heads = self.heads
        while found is not None:
            j = found.start()
            lengths = self.lengths[dense[j]] if heads is None or dense[j : j + 2] in heads else ()
            for n in lengths:
                name = dense[j : j + n]
                start, end = where[j], where[j + n - 1] + 1 if j + n <= len(dense) else 0
                if (
                    end
                    and name in self.entity
                    and self._bounded(text, start, end)
                    and not self._other_legal_name(self.entity[name], dense, j, j + n)
                    and not self._opens_other_listed(self.entity[name], dense, j, n)
                ):
                    yield start, end, self.entity[name]
                    j += n - 1
                    break
            found = self.firsts.search(dense, j + 1)

    def _other_legal_name(self, entity: Entity | None, dense: str, start: int, end: int) -> bool:
        """A known company's name followed by a legal suffix or a spun-off company's tail, the
        two none of its names so ending, where it has one (新鸿基有限公司, when
        新鸿基地产发展有限公司 is 新鸿基's; 融创服务, not one of 融创中国's names)."""
        if entity is None or entity.kind != "company":
            return False
        suffix = next((w for w in self.suffixes if dense.startswith(w, end)), None)
        if suffix is None:
            return False  # the common case: no legal name's set built for every match
        legal = {compact(n) for n in entity.names if n.endswith(self.suffixes)}
        return bool(legal) and dense[start : end + len(suffix)] not in legal

    def _opens_other_listed(self, entity: Entity | None, dense: str, start: int, n: int) -> bool:
        """Whether the known name ``dense[start:start+n]`` opens a longer listed short name of
        another company (国航 of Air China in 国航远洋, listed on its own)."""
        if entity is None or not self.listed:
            return False
        for k in range(_LISTED_LONGEST, n, -1):
            code = self.listed.get(dense[start : start + k])
            if code is not None:
                return (
                    code not in entity.identifiers and dense[start : start + k] not in entity.names
                )
        return False

    @staticmethod
    def _bounded(text: str, start: int, end: int) -> bool:
        """A Latin name's first and last letters are not inside a longer word (SU7, not SU70)."""
        before = _alnum(text[start]) and start > 0 and _alnum(text[start - 1])
        after = _alnum(text[end - 1]) and end < len(text) and _alnum(text[end])
        return not (before or after)


#: Full-width brackets as a text may write them half-width.
_HALF_WIDTH_BRACKETS = str.maketrans("（）", "()")


@lru_cache(maxsize=4)
def known_names(lexicon: Lexicon) -> KnownNames:
    """The names of a lexicon's entities (of 2 characters or more, ambiguous ones left out)
    and of the organisations that are never a report's subject, indexed once."""
    ambiguous = set(lexicon.cue("ambiguous-company-name"))
    table: dict[str, Entity | None] = {}
    for name in lexicon.not_subjects:
        if len(compact(name)) >= 2:
            table.setdefault(compact(name), None)
    for e in lexicon.entities:
        for name in e.names:
            if len(compact(name)) >= 2 and name not in ambiguous:
                table.setdefault(compact(name), e)
                # 上海国际港务(集团)股份有限公司: the brackets of a legal name written half-width
                table.setdefault(compact(name).translate(_HALF_WIDTH_BRACKETS), e)
    lengths: dict[str, set[int]] = {}
    for name in table:
        lengths.setdefault(name[0], set()).add(len(name))
    firsts = regex(
        "[" + "".join(re.escape(ch) for ch in sorted(lengths)) + "]" if lengths else "(?!)"
    )
    return KnownNames(
        table,
        {ch: tuple(sorted(ns, reverse=True)) for ch, ns in lengths.items()},
        firsts,
        # 融创服务: a spun-off company's name after another's short name, like a legal suffix
        _longest_first((*lexicon.cue("legal-suffix"), *lexicon.cue("spin-off-name-tail"))),
        frozenset(name[:2] for name in table),  # every name has two characters or more
        dict(lexicon.listed),
    )


@dataclass(frozen=True)
class _CompanyPatterns:
    """The regexes that find a report's own company, built once per lexicon."""

    alias: re.Pattern[str]
    #: what follows the name of every match of ``alias``: a company suffix and a bracket
    alias_anchor: re.Pattern[str]
    definition: re.Pattern[str]
    headline: re.Pattern[str]
    plain: re.Pattern[str]
    ticker: re.Pattern[str]
    name_before: re.Pattern[str]
    note: re.Pattern[str]
    research: re.Pattern[str]
    published: re.Pattern[str]  #: the rest of a note's publisher line (华辰证券 2025-08-27发布)
    share_class: re.Pattern[str]  #: a share class right after a known name (太古股份公司B)
    byline: re.Pattern[str]
    date_lead: re.Pattern[str]  #: a year, month or day opening a chunk (2024年, 3月)
    date_in: re.Pattern[str]  #: digits and a day or month word (3月)
    date_cut: re.Pattern[str]  #: a name's text up to its first day or month word


def _date_lead(year: str, month: str, day: str) -> re.Pattern[str]:
    """A year, month or day opening a chunk (2024年, 3月), or a broker's shorthand of a half or
    a quarter (24H1, 1H24, 1-3Q24)."""
    short = r"\d{2}\s*[QH][1-4]|(?:1\s*[-~]\s*)?[1-4]\s*[QH]\s*\d{2}"
    return regex(rf"(?:(?:19|20)\d{{2}}\s*(?:{year})?|\d{{1,2}}\s*(?:{month}|{day})|{short})\s*")


@lru_cache(maxsize=4)
def _self_listed(lexicon: Lexicon) -> dict[str, Entity]:
    """Companies named like an organisation that is never a subject (the listed operator of
    an exchange: 港交所), by compact name."""
    never = {compact(n) for n in lexicon.not_subjects}
    return {
        compact(n): e
        for e in lexicon.entities
        if e.kind == "company"
        for n in e.names
        if compact(n) in never
    }


@lru_cache(maxsize=64)
def _any_word(words: tuple[str, ...]) -> re.Pattern[str]:
    """A regex that finds any of ``words`` in a text: ``any(w in text for w in words)`` in
    one test (made once per set of words)."""
    return re.compile("|".join(map(re.escape, words)) if words else "(?!)")


@lru_cache(maxsize=8)
def _stops(
    stops: tuple[str, ...], inside: tuple[str, ...]
) -> tuple[re.Pattern[str], frozenset[str]]:
    """The segment stops no name holds (those of two characters or more, and the single ones
    of ``inside``), and the single characters no name begins with."""
    held = tuple(w for w in stops if len(w) > 1 or w in inside)
    return _any_word(held), frozenset(w for w in stops if len(w) == 1)


#: How many characters a long company name's short form keeps (嘉里物流 of 嘉里物流联网).
_SHORT_FORM = 4


def _written(short: str, company: Entity, text: str) -> bool:
    """Whether the text writes ``short`` on its own, not only inside the company's name."""
    return text.count(short) > text.count(company.label)


#: The most characters a name of ``_CompanyPatterns.alias`` spans before its suffix: 24
#: and a bracketed place (（北京）) of 4.
_ALIAS_REACH = 24 + 6


#: A company's English name in brackets after its Chinese one.
_ENGLISH_NAME = r"[（(][A-Za-z][A-Za-z0-9 .&'-]*[）)]"


def _definition_pattern(aliases: str) -> re.Pattern[str]:
    """Names in quotes in a bracket after a name, a bracket of its codes perhaps first
    ((…代码:HCG)(“华辰”或“公司”)), a word of aliases (以下简称) perhaps before them."""
    return regex(
        r"\s*(?:[（(][^（()）“”「」]{1,40}[）)]\s*)?[（(]\s*"
        rf"(?:(?:{aliases})\s*[：:]?\s*)?(?P<names>[“「『\"][^（()）\n]{{1,60}}?)[）)]"
    )


@lru_cache(maxsize=4)
def _glued_suffixes(lexicon: Lexicon) -> str:
    """The two-letter ticker suffixes, as a regex alternation: written before the code, glued
    to it ((SH601298), (SZ000001))."""
    return "|".join(
        sorted({re.escape(x) for ex in lexicon.exchanges for x in ex.suffixes if len(x) == 2})
    )


def _research(
    suffixes: tuple[str, ...], openings: tuple[str, ...], verbs: tuple[str, ...]
) -> re.Pattern[str]:
    """After a broker's name (its legal suffix perhaps unsaid before it), its analysts' names
    and what they studied (华辰证券张三、李四近期对澄江电器进行研究)."""
    names = rf"[{HAN}]{{2,4}}(?:\s*[,，、]\s*[{HAN}]{{2,4}}){{0,5}}"
    return regex(
        rf"(?:{alternation(list(suffixes))})?\s*(?:{names})?\s*"
        rf"(?:{alternation(list(openings))})[^。！？\n]{{1,30}}?(?:{alternation(list(verbs))})"
    )


def _published_line(words: tuple[str, ...]) -> re.Pattern[str]:
    """The rest of a note's publisher line after the broker's name: a date, then a word of
    ``words`` (发布) ending the line (华辰证券 2025-08-27发布)."""
    return regex(
        r"[ \t\u3000]*(?:19|20)\d{2}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日)\s*"
        rf"(?:{alternation(list(words))})[ \t\u3000]*(?:\n|$)"
    )


def _company_patterns(lexicon: Lexicon) -> _CompanyPatterns:
    cue = lexicon.cue
    suffixes = alternation(list(cue("company-suffix")))
    aliases = alternation(list(cue("alias")))
    other = r"[^（()）“”\"]{1,40}?"  # 港股代码：9899 — other notes in the same brackets
    year, month, day = (alternation(list(cue(k))) for k in ("year-word", "month-word", "day-word"))
    dated = rf"(?=(?:\d{{4}}(?:{year}))?\d{{1,2}}(?:{month})\d{{1,2}}(?:{day}))"
    days = "".join(w for w in cue("day-word") if len(w) == 1)
    exchanges = alternation([n for ex in lexicon.exchanges for n in (ex.code, *ex.names)])
    suffix_words = "|".join(sorted({re.escape(x) for ex in lexicon.exchanges for x in ex.suffixes}))
    code = r"(?P<code>\d{1,6}|[A-Z]{1,5})"
    glued = _glued_suffixes(lexicon)
    latin_legal = alternation(list(cue("latin-legal-suffix")))
    return _CompanyPatterns(
        alias=regex(
            # 华辰资源有限公司*(「本公司」…): an HKEX name's mark of a company registered abroad
            rf"(?P<name>[{HAN}A-Za-z0-9·]{{2,24}}?(?:[（(][{HAN}]{{2,4}}[）)])?(?:{suffixes}))"
            rf"\*?\s*[（(]\s*(?:"
            rf"(?:{other}[，,；;、]\s*)?(?:{aliases})\s*[：:]?\s*[“\"「『']?(?P<alias>[^”\"」』'）)，,；;]{{1,12}})[”\"」』']?"
            rf"(?:\s*[，,；;、]{other})?"
            rf"|(?:{other}[，,；;、]\s*)?[“\"「『](?P<quoted>[^”\"」』'）)]{{1,12}})[”\"」』']"
            # further names joined to the first (“智聘”或“公司”), other notes after them
            rf"(?:\s*[^“”\"「」『』（()），,；;]{{0,2}}\s*[“\"「『][^”\"」』'）)]{{1,12}}[”\"」』'])*"
            rf"(?:\s*[，,；;、]{other})?)\s*[）)]"
        ),
        alias_anchor=regex(rf"(?:{suffixes})\*?\s*[（(]"),
        definition=_definition_pattern(aliases),
        headline=regex(
            # 808, Inc. 公布…: a name of digits only with its legal suffix after it
            # 58 辰光科技集团公司宣布…: digits before a Chinese name with a company suffix
            rf"(?m:^)\s*(?P<name>\d{{2,4}}(?=,?\s+(?:{latin_legal})\.?)"
            rf"|\d{{1,4}}\s?[{HAN}]{{1,12}}(?:{suffixes})|[{HAN}A-Za-z]{{2,16}}?)"
            rf"(?P<legal>(?:,?\s+(?:{latin_legal})\.?)*)\s*"
            rf"(?:{_ENGLISH_NAME}|{dated}|(?=(?:{alternation(list(cue('announce')))}))"
            # 华辰科技：24Q2毛利率改善 — a broker note's title (not 快讯：)
            rf"|(?=(?P<colon>[:：])))"
        ),
        plain=regex(
            rf"(?:^|(?<=[{re.escape(PUNCT_BEFORE_NAME + days)}]))"
            # 华辰药业(上海)股份有限公司: a place in brackets before the suffix
            rf"(?P<name>[{HAN}A-Za-z]{{2,12}}(?:[（(][{HAN}]{{2,4}}[）)])?(?:{suffixes}))"
        ),
        ticker=regex(
            rf"[（(][^（()）]{{0,30}}?(?:(?P<ex>{exchanges})\s*"
            rf"(?:{alternation(list(cue('ticker-label')))})?\s*[：:]?\s*|"
            rf"(?:{alternation(list(cue('ticker-label')))})\s*[：:]?\s*)?"
            # (自然年 2025 年 Q2): a code is never the tail of a word (Q2, 2025年's digits),
            # nor of a date's or a decimal's digits ((截至 7/31), (2025-03-31), 人民币(0.05)元)
            rf"(?:(?<=[（(])(?P<glued>{glued})(?=\d)|(?<![A-Za-z\d]))(?<!\d[/／\-－.．]){code}"
            rf"(?:\s*[.\-－]\s*(?P<suffix>{suffix_words}))?(?![\d.%])"
            rf"\s*(?:[，,；;、][^（()）]{{0,40}})?[）)]"
        ),
        name_before=regex(
            # (记者 华辰)澄江(000571)…: a closing bracket ends what stood before the name
            rf"(?:(?:^|(?<=[{re.escape(PUNCT_BEFORE_NAME)}）)]))"
            # *ST海航 (600221): a risk-warning mark before an A-share name is part of it
            rf"(?P<name>(?:\*?ST)?[{HAN}A-Za-z0-9·]{{2,24}}(?:[（(][{HAN}]{{2,4}}[）)])?)"
            # 百川生物-B（02609）, 华辰集团-W: an HKEX share-class mark after the name
            rf"(?P<mark>\s*[-－](?:{alternation(list(cue('share-class-mark')))}))?"
            # LANCHI Finance（纽约证券交易所代码：LNCF）, Lanchi Inc.（…）: a Latin name of words
            rf"|(?<![A-Za-z])(?P<latin>[A-Z][A-Za-z0-9&'-]*(?:\s[A-Z][A-Za-z0-9&'.-]*){{1,3}}))\s*$"
        ),
        note=regex(
            rf"\s*[:：]?\s*(?:{alternation(list(cue('announce')))})?\s*"
            rf"(?:{alternation(list(cue('note-verb')))})"
        ),
        research=_research(cue("legal-suffix"), cue("research-opening"), cue("research-verb")),
        published=_published_line(cue("published")),
        # 太古股份公司B, 华辰集团-W, not 华辰H股
        share_class=regex(rf"[-－]?[{''.join(cue('share-class-letter'))}](?![A-Za-z0-9股])"),
        date_lead=_date_lead(year, month, day),
        date_in=regex(rf"\d+(?:{day}|{month})"),
        # up to the end of the first date: 财中社1月21日 (its month and its day)
        date_cut=regex(rf"^.*?(?:{day}|{month})(?:\s*\d+\s*(?:{day}|{month}))*"),
        byline=regex(
            rf"\s*[{HAN}]{{0,4}}\s*(?:\d{{4}}(?:{year}))?\d{{1,2}}(?:{month})\d{{1,2}}(?:{day})\s*"
            rf"(?:{alternation(list(cue('byline-end')))})"
        ),
    )


@dataclasses.dataclass(frozen=True)
class _PartPatterns:
    """The regexes that find the segments and products a report names (built once per lexicon)."""

    suffix: str
    segment: re.Pattern[str]
    revenue: re.Pattern[str]
    product: re.Pattern[str]
    stores: re.Pattern[str]
    follow: re.Pattern[str]
    quoted: re.Pattern[str]
    quoted_segment: re.Pattern[str]
    source: re.Pattern[str]  #: 来自于会员的营收: the part a revenue comes from
    lead: tuple[str, ...]  #: words a part's name never starts with (其中, 公司 …), longest first


@lru_cache(maxsize=8)
def _part_patterns(lex: Lexicon) -> _PartPatterns:
    pats = compile_patterns(lex)
    suffix = alternation(list(lex.cue("segment-suffix")))
    revenue = alternation(pats.metric_by_name_of("Revenue"))
    follows = alternation(
        [n for mi in lex.metrics.values() for n in mi.names if not n.isascii()]
        + list(lex.cue("increase"))
        + list(lex.cue("decrease"))
        + list(lex.cue("name-follow"))
    )
    verbs = alternation(list(lex.cue("segment-verb")))
    product = alternation([n for mi in lex.metrics.values() if mi.names_product for n in mi.names])
    # 扫地机器人全球出货量, 空调海外销量, 无人机全年出货量: a region or the words of a whole
    # year may stand between the product and the figure
    year_words = alternation(
        [w for w, tpl in lex.period_words if tpl == "{year}" and not w.isascii()]
    )
    store_words = [w for u in lex.units if u.default_metric for w in u.words]
    # IoT业务1041亿元: a part named right before an amount, its metric left out
    money = [w for u in lex.units if u.currency for w in u.words]
    amount = (
        rf"\d[\d,]*(?:\.\d+)?\s*(?:{alternation(list(lex.scales))})?\s*(?:{alternation(money)})"
    )
    copula = alternation(list(lex.cue("copula")))
    dated = rf"(?:19|20)\d{{2}}\s*年(?:度)?\s*(?:{pats.period_word.pattern})?"
    lead = [
        *lex.cue("segment-stop"),
        *lex.cue("by-part"),
        *lex.cue("subpart"),
        *lex.cue("target"),
        *lex.cue("forecast"),
        *(w for w, _ in lex.period_words),
    ]
    return _PartPatterns(
        suffix=suffix,
        segment=regex(rf"^(?P<name>[{HAN}A-Za-z]{{2,12}}?)(?P<suf>{suffix})"),
        revenue=regex(rf"(?:{verbs})?(?:{revenue})"),
        product=regex(rf"(?:{pats.region.pattern})?(?:{year_words})?(?:{product})"),
        stores=regex(
            rf"(?P<name>[{HAN}]{{2,8}}?(?:{alternation(list(lex.cue('store-kind')))}))"
            rf"\s*\d[\d,]*(?:\.\d+)?\s*(?:{alternation(store_words)})"
        ),
        # 辰星品牌11月销量: a month or a year's word may stand between the part and its metric,
        # or a period with its year (消费电子业务2025年上半年营收…)
        follow=regex(
            rf"\s*(?:(?:\d{{1,2}}月(?:份)?|{year_words}|{dated})?(?:{follows})"
            rf"|(?:{copula})?\s*{amount})"
        ),
        quoted=_quoted_pattern(lex, pats),
        quoted_segment=regex(rf"[“\"「](?P<name>[^”\"」]{{2,16}})[”\"」](?=\s*(?:{suffix}))"),
        source=regex(
            rf"(?:{alternation(list(lex.cue('revenue-from')))})"
            rf"(?P<name>[{HAN}A-Za-z]{{2,8}}?)(?:{suffix})?的(?:{revenue})"
        ),
        # one-character words only where listed as a part's lead (另核心收入: 另, besides)
        lead=tuple(
            sorted(
                {w for w in lead if len(w) >= 2} | set(lex.cue("part-lead")), key=len, reverse=True
            )
        ),
    )


def _quoted_pattern(lex: Lexicon, pats: Patterns) -> re.Pattern[str]:
    """Quoted products and names before a metric (社交应用“启聊”, “MOMO”系列, 平台TripGo的…)."""
    kinds = alternation(list(lex.cue("product-kind")))
    latin_kinds = alternation([k for k in lex.cue("product-kind") if k.isascii()])
    of = rf"\s*(?:{alternation(list(lex.cue('possessive')))})?\s*"
    metric = pats.metric.pattern
    return regex(
        rf"(?:(?:{kinds})\s*[“\"「](?P<a>[^”\"」]{{1,16}})[”\"」])"
        rf"|(?:[“\"「](?P<b>[^”\"」]{{1,16}})[”\"」](?={of}(?:{metric})))"
        rf"|(?:[“\"「](?P<c>[^”\"」]{{1,16}})[”\"」](?=\s*(?:{kinds})))"  # “MOMO”系列
        # 平台TripGo的月活跃用户数: a Latin name right after a product word, before a metric
        rf"|(?:(?:{kinds})\s*(?P<d>[A-Za-z][A-Za-z0-9]{{1,15}})(?={of}(?:{metric})))"
        # 百川App月活跃用户数: a Chinese name with a Latin product word (App) before a metric
        rf"|(?:(?<![{HAN}])(?P<e>[{HAN}]{{2,6}}(?:{latin_kinds}))(?={of}(?:{metric})))"
    )


@lru_cache(maxsize=4)
def _entities_by_company(lexicon: Lexicon) -> dict[str, tuple[int, ...]]:
    """Where each company's entities are in ``lexicon.entities`` (a company counts as its own
    entity): the entities a document's companies bring, without walking them all each time."""
    out: dict[str, list[int]] = {}
    for index, e in enumerate(lexicon.entities):
        keys = {lexicon.company_of(e.iri)}
        if e.kind == "company":
            keys.add(e.iri)
        for key in keys:
            if key is not None:
                out.setdefault(key, []).append(index)
    return {key: tuple(indexes) for key, indexes in out.items()}


#: The longest name of a part a table's row may give (a sentence's: 12 characters).
_ROW_LABEL = 20


class EntityFinder:
    """Known entities of the companies a document mentions, and companies it names itself."""

    def __init__(self, text: str, lexicon: Lexicon, pats: Patterns) -> None:
        text = _DOLLAR_TICKER.sub(r"(\1)", text)  # 快手 $01024.HK: 快手(01024.HK), offsets kept
        self.lexicon = lexicon
        self.pats = pats
        self.known_names = known_names(lexicon)
        self.cpats = _company_patterns(lexicon)
        #: where the text's known names begin (a broker's note title 华辰证券:澄江电器…)
        self.known_starts = {s for s, _, e in self.known_names.finditer(text) if e is not None}
        self.marked: dict[str, str] = {}  #: names written with a share-class mark
        #: a known company's short name the text writes before its code (国泰 (00293))
        self.short_names: dict[str, str] = {}
        #: a known company's name as written with its share class (太古股份公司B)
        self.class_names: dict[str, str] = {}
        #: a known company's legal name as written around its short name (重庆智飞生物制品股份
        #: 有限公司 for 智飞生物)
        self.legal_names: dict[str, str] = {}
        #: short names a text defines for a known company after its name ((“华辰”或“公司”))
        self.defined_names: dict[str, tuple[str, ...]] = {}
        #: a name written before another name in brackets (华辰农商行(华辰银行)): inner -> outer
        self.pairs = self._bracket_pairs(text)
        self.tickers = self._tickers(text)
        first = self._known_companies(text)
        self._defined_legal_names(text)
        self._known_count = len(first)  #: the known companies the text names (not by ticker)
        #: known companies only writing a note or publishing the text (国金证券研报指出): no subject
        self.writers = frozenset(iri for iri, at in first.items() if at < 0)
        for pos, _, company in self.tickers:
            if isinstance(company, Entity):
                first.setdefault(company.iri, pos)
        by_company = _entities_by_company(lexicon)
        known = [
            self._with_short_name(lexicon.entities[i])
            for i in sorted({i for c in first for i in by_company.get(c, ())})
        ]
        known = [self._with_core_name(e, text, known) for e in known]
        self.minted: list[Entity] = []
        self._leads: dict[str, tuple[str, ...]] | None = None
        self.main_at = 0  #: where the text first names its company
        self.several = False
        #: where the lead lists examples (如…、…等): a market's companies, none the text's own
        self.examples = self._example_lists(text)
        main = self._first_company(text, first)
        if main is not None and not main.known:
            main = self._short_name(self._headline_alias(main, text), text)
            self.minted = [main if e.iri == main.iri else e for e in self.minted]
        elif main is not None:
            main = self._headline_short(main, text)
            known = [main if e.iri == main.iri else e for e in known]
        self.main_company = main
        if main is not None:
            self.writers -= {main.iri}
            self.main_at = self._first_named(main, text)
        self._ticker_companies()
        self._numbered = self._numbered_items(text)
        self._listed_companies(text)
        self._aliased_companies()
        self.minted = [self._with_bracket_name(e) for e in self._core_aliases(text)]
        if main is not None:  # the same company, with its shorter name
            self.main_company = next((e for e in self.minted if e.iri == main.iri), main)
        elif not first:
            self.main_company = self._only_minted_company()
        self._rating_row_company(text, known)
        self.by_name: dict[str, Entity] = self._names_of([*known, *self.minted])
        self._scan_parts(text)
        for e in self.minted:
            for n in e.names:
                self.by_name.setdefault(compact(n), e)
        self.pattern = re.compile(alternation(list(self.by_name))) if self.by_name else None
        subjects = {i for i, pos in first.items() if pos >= 0}
        subjects |= {e.iri for e in self.minted if e.kind == "company"}
        self.several = len(subjects) > 1  #: the text names more than one company
        #: where the items of a numbered list of companies (1. 华辰能源：…) begin whose name
        #: names no company of the text (3. 辰星电源：…, no suffix, not listed): no subject
        self.unnamed_item_lines = frozenset(
            at for at, n in self._numbered.items() if compact(n) not in self.by_name
        )
        #: a listing of notes, each a title line over its source's line (华辰饮料:业绩超预期⏎
        #: 华信证券· 2025-11-08 12:23): where each note starts, ends, and the company its
        #: title names (None: no company of the text, its figures no one's)
        self.notes = self._notes(text)

    def _names_of(self, entities: list[Entity]) -> dict[str, Entity]:
        """Each name of ``entities`` (compacted, two characters or more, not lower case), but
        those of cue set ambiguous-company-name unless the text writes one before its company's
        code (快手(01024.HK): a common word, the company's name in this text): the first
        entity having it."""
        written = {n for _, n, _ in self.tickers}
        ambiguous = set(self.lexicon.cue("ambiguous-company-name")) - written
        out: dict[str, Entity] = {}
        for e in entities:
            for n in e.names:
                if len(compact(n)) >= 2 and not n.islower() and n not in ambiguous:
                    out.setdefault(compact(n), e)
        return out

    def _only_minted_company(self) -> Entity | None:
        """The only company minted in a text that names no known one (华辰沿浦 汽车零部件
        2025-03-18 …), unless it is named by a code not listed under its name."""
        companies = [e for e in self.minted if e.kind == "company"]
        if len(companies) != 1:
            return None
        only = companies[0]
        return only if all(self._listed_under(only.label, i) for i in only.identifiers) else None

    def _first_named(self, main: Entity, text: str) -> int:
        """Where the text first names its company by any of its names (a short name before the
        minted one)."""
        folded = text.casefold()
        at = [i for n in main.names if len(n) >= 2 and (i := folded.find(n.casefold())) >= 0]
        return min([self.main_at, *at])

    def _rating_row_company(self, text: str, known: list[Entity]) -> None:
        """A portal's list of broker ratings is about the company opening the table's first
        row (研究员 推荐股票 … 起评日 … ⏎ 华辰医疗 医药生物 2024-10-28 35.20 …), not the broker
        or the analyst its header names: that company is the text's, minted where it is not
        known (its cell is the 推荐股票 column's: a stock's name, suffix or not)."""
        row = rating_row(text, self.lexicon)
        if row is None:
            return
        at, name, _ = row
        company = next(
            (e for e in [*self.minted, *known] if e.kind == "company" and name in e.names), None
        )
        if company is None and not self._market_word(name):  # the 推荐股票 cell: a stock's name
            company = self._company(name, ())
            if (listed := self.lexicon.listed.get(name)) is not None:
                company = dataclasses.replace(company, identifiers=(listed,))
            self.minted.append(company)
        if company is not None:
            old = self.main_company
            if old is not None and not old.known and old.iri != company.iri and self.main_at > at:
                # 冷链物流 in the note below the row: words of the note, minted for want of it
                self.minted = [e for e in self.minted if e.iri != old.iri]
            self.main_company, self.main_at = company, at

    def _notes(self, text: str) -> tuple[tuple[int, int, Entity | None], ...]:
        pattern = _note_title(self.lexicon.cue("broker-label"))
        titles = [(m.start(), m["name"]) for m in pattern.finditer(text)]
        titles += [(m.start(), m["name"]) for m in _DATED_NOTE_TITLE.finditer(text)]
        titles.sort()
        if len(titles) < 2:
            return ()
        ends = [at for at, _ in titles[1:]] + [len(text)]
        return tuple(
            (at, end, self._title_company(name))
            for (at, name), end in zip(titles, ends, strict=True)
        )

    def _title_company(self, name: str) -> Entity | None:
        """The company a note's title opens with: its name before the colon, or the longest
        name of the text that begins it (华辰食品2025年中报简析: 华辰食品)."""
        name = compact(name)
        for k in range(len(name), 1, -1):
            if (company := self.by_name.get(name[:k])) is not None:
                return company
        return None

    def _core_aliases(self, text: str) -> list[Entity]:
        """The minted companies, each also known by its name without its company suffix where
        the text writes that shorter name on its own (澄峰汽车 … 澄峰连续三月创新高), or, that
        name longer than four characters, by its first four (嘉里物流联网有限公司 … 嘉里物流收入…),
        unless two companies share it or it is a region's, a market's or a known name."""
        cores: dict[str, list[Entity]] = {}
        for e in self.minted:
            if e.kind != "company":
                continue
            for suffix in self.lexicon.cue("company-suffix"):
                core = e.label[: -len(suffix)]
                if e.label.endswith(suffix) and len(core) >= 2:
                    cores.setdefault(core, []).append(e)
                    if len(core) > _SHORT_FORM and _HAN_OR_LATIN.fullmatch(core):
                        cores.setdefault(core[:_SHORT_FORM], []).append(e)
                    break
        out = []
        for e in self.minted:
            short = next(
                (c for c, es in cores.items() if e in es and len(es) == 1 and _written(c, e, text)),
                "",
            )
            if (
                short
                and short not in e.names
                and not self.pats.region.fullmatch(short)
                and short not in self.lexicon.cue("place-core")  # 中国软件: 中国 is no name
                and not self._market_word(short)
                and not self._known_inside(short)
            ):
                e = dataclasses.replace(e, names=(*e.names, short))
            out.append(e)
        return out

    def _known_companies(self, text: str) -> dict[str, int]:
        """The known companies ``text`` names, each with where it may first be the subject
        (-1 when it is only named by a broker writing a note, or the like, or it publishes the
        text: named on a source's line, 华辰证券· 2025-11-08 15:20, anywhere in it)."""
        first: dict[str, int] = {}
        publishers: set[str] = set()
        for start, end, e in self.known_names.finditer(text):
            if e is None:
                e = self._own_results(text, start, end)
            if e is None or e.kind != "company":
                continue
            if (mark := self.cpats.share_class.match(text, end)) is not None:  # 太古股份公司B
                self.class_names.setdefault(e.iri, compact(text[start:end]) + mark.group())
            if (legal := _legal_span(text, start, end)) is not None:
                # “重庆智飞生物制品股份有限公司”
                self.legal_names.setdefault(e.iri, text[slice(*legal)])
            elif "(" in text[start:end] and compact(text[start:end]) not in e.names:
                # 中通快递(开曼)有限公司: a name written with its brackets half-width
                self.legal_names.setdefault(e.iri, text[start:end])
            if defined := self._defined_names(text, end if legal is None else legal[1], e):
                self.defined_names.setdefault(e.iri, defined)  # (“华辰”、“华辰集团”或“公司”)
            writer = (
                self._writes_at(text, start, end)  # 华辰证券研报指出…, …2025-08-27发布
                or self.labelled_broker(text, start)  # 研究机构:华辰证券股份有限公司
                or _COLON_TICKER.match(text, end) is not None  # 华辰证券:澄江股份(600001)…
                or _byline_block(text, start, end)
                or data_source_after(text, start, end, self.lexicon)  # 同花顺iFinD统计
                or text.startswith(self.lexicon.cue("group-member"), end)  # 华辰系公司…
                or self._in_address(text, start, end)  # 滨湖路8号华辰大厦: a building
            )
            if source_line_after(text, end):
                publishers.add(e.iri)
            if not writer and first.get(e.iri, -1) < 0:
                first[e.iri] = start
            else:
                first.setdefault(e.iri, -1)
        return {iri: -1 if iri in publishers else at for iri, at in first.items()}

    def _broker_title(self, text: str, start: int, end: int) -> bool:
        """Whether a broker's name (cue set broker-suffix) at ``text[start:end]`` opens a
        note's title on a known company named right after a colon (华辰证券:澄江电器业绩稳健
        …): the writer."""
        colon = _TITLE_COLON.match(text, end)
        return (
            colon is not None
            and colon.end() in self.known_starts
            and compact(text[start:end]).endswith(self.lexicon.cue("broker-suffix"))
        )

    def _in_source_list(self, text: str, start: int) -> bool:
        """Whether the name at ``start`` is an item of a list of sources after a source's
        label on its line (资料来源:贝格数据、华辰证券: cue set source-label)."""
        line = text[text.rfind("\n", 0, start) + 1 : start]
        labels = self.lexicon.cue("source-label")
        at = max((line.rfind(w) + len(w) for w in labels if w in line), default=-1)
        return at >= 0 and _SOURCE_ITEMS.fullmatch(line, at) is not None

    def _in_address(self, text: str, start: int, end: int) -> bool:
        """Whether the name at ``text[start:end]`` is part of an address (滨湖路8号华辰大厦
        B栋: a building named after a company): a street's number before it (cue set
        address-before) and a building's word after it (address-after)."""
        lex = self.lexicon
        before = text[max(0, start - 3) : start].rstrip()
        return before.endswith(lex.cue("address-before")) and text.startswith(
            lex.cue("address-after"), end
        )

    def _defined_names(self, text: str, end: int, company: Entity) -> tuple[str, ...]:
        """The names in quotes a bracket right after a company's name at ``end`` defines for it
        (a bracket of its codes may come first), each written in order inside one of its names
        and none a word the report names itself by (“公司”)."""
        m = self.cpats.definition.match(text, end)
        if m is None:
            return ()
        own = self.lexicon.cue("self")
        return tuple(
            n
            for n in _QUOTED.findall(m["names"])
            if n not in own and any(_subsequence(n, full) for full in company.names)
        )

    def labelled_broker(self, text: str, start: int) -> bool:
        """Whether a portal's label of the note's broker stands right before ``start``
        (研究机构:华辰证券股份有限公司)."""
        before = text[max(0, start - _LABEL_REACH) : start].rstrip(" :：")
        return before.endswith(self.lexicon.cue("broker-label"))

    #: How far after a listed exchange's verb of publishing its results' word may stand.
    _RESULTS_REACH = 12

    def _own_results(self, text: str, start: int, end: int) -> Entity | None:
        """The listed company that operates an exchange, where the text writes the exchange's
        name reporting its results (港交所公布中期业绩), or a period's figure of its own right
        after its name (港交所中期盈利升5%, 港交所公布，上半年盈利…), not as the place where
        another company publishes (于港交所公布业绩); None elsewhere."""
        lex = self.lexicon
        company = _self_listed(lex).get(compact(text[start:end]))
        if company is None or text[max(0, start - 2) : start].endswith(
            lex.cue("place-preposition")
        ):
            return None
        after = text[end : end + self._RESULTS_REACH + 4].lstrip()
        verb = next((w for w in lex.cue("announce") if after.startswith(w)), "")
        rest = _CLAUSE_OR_SENTENCE_END.split(after[len(verb) :], maxsplit=1)[0]
        if verb and _holds_any(rest, lex.cue("results-word")):
            return company
        lead = after[len(verb) :].lstrip(" ,，:：")
        period = self.pats.period_word.match(lead)
        named = period is not None and self.pats.metric.match(lead, period.end()) is not None
        return company if named else None

    def _with_short_name(self, e: Entity) -> Entity:
        """A known company also known by the short name the text writes before its code, and
        by its name as written with a share class (太古股份公司B)."""
        names = (self.short_names, self.class_names, self.legal_names)
        more = [n for n in (d.get(e.iri) for d in names) if n]
        more += [n for n in self.defined_names.get(e.iri, ()) if n not in e.names]
        return self._with_bracket_name(dataclasses.replace(e, names=(*e.names, *more)))

    def _with_core_name(self, e: Entity, text: str, others: list[Entity]) -> Entity:
        """A known company named in full (理想汽车) also known by that name without its company
        suffix where the text makes the shorter name a subject on its own (…。理想三季度交付…:
        opening a sentence or clause), unless another company of the text shares it or it is a
        region's, a market's or another known name."""
        if e.kind != "company":
            return e
        for name in e.names:
            suffix = next((w for w in self.lexicon.cue("company-suffix") if name.endswith(w)), "")
            core = name[: -len(suffix)] if suffix else ""
            if len(core) < 2 or not _HAN_OR_LATIN.fullmatch(core) or core in e.names:
                continue
            opening = rf"(?:^|[\n。，,；;！？])\s*{re.escape(core)}(?!{re.escape(suffix)})"
            if not re.search(opening, text):
                continue
            if any(o is not e and any(n.startswith(core) for n in o.names) for o in others):
                continue
            if self.pats.region.fullmatch(core) or self._market_word(core):
                continue
            if core in self.lexicon.cue("place-core"):  # 上海银行: 上海 is no name of it
                continue
            if self._known_inside(core) or core in self.lexicon.cue("ambiguous-company-name"):
                continue
            return dataclasses.replace(e, names=(*e.names, core))
        return e

    def _bracket_pairs(self, text: str) -> dict[str, str]:
        """Each name written in brackets right after another that opens a clause (…、华辰农商行
        (华辰银行)), with that other name, where they share a character and it can be a
        company's."""
        out: dict[str, str] = {}
        for m in _BRACKET_PAIR.finditer(text):
            outer, inner = m["n"], m["inner"]
            if set(outer) & set(inner) and self._company_like(outer):
                out.setdefault(compact(inner), outer)
        return out

    def _with_bracket_name(self, e: Entity) -> Entity:
        """A company also known by the name the text writes before one of its names in brackets
        (华辰农商行 for 华辰银行)."""
        if e.kind != "company" or not self.pairs:
            return e
        more = [o for n in e.names if (o := self.pairs.get(compact(n))) and o not in e.names]
        return dataclasses.replace(e, names=(*e.names, *more[:1])) if more else e

    def _first_company(self, text: str, first: dict[str, int]) -> Entity | None:
        """The reporting company: the first company named, minted when it is not known; not
        one of a list of examples (如华辰银行(0011)、澄江集团(0004)等: a market's), unless the
        text names no other."""
        at = [(pos, iri) for iri, pos in first.items() if pos >= 0]
        known = [(p, i) for p, i in at if not self.in_example(p)] or at
        first_known = min(known, default=None)
        minted = self._mint_company(text)
        if minted is not None and self.in_example(minted[0]) and known != at:
            minted = None  # 渣打集团 in 如汇丰控股(00005)、渣打集团(02888)等: an example
        if minted is not None and (first_known is None or minted[0] < first_known[0]):
            longer = self._known_longer(minted[1], first) or self._known_by_alias(minted[1])
            if longer is not None:  # 恒生上半年… over 恒生银行(0011): the known company
                self.main_at = minted[0]
                named = self._with_short_name(longer)
                names = longest_first({*named.names, minted[1].label})
                return dataclasses.replace(named, names=names)
            company = self._with_tickers(minted[1])
            self.minted.append(company)
            self.main_at = minted[0]
            return company
        self.main_at = first_known[0] if first_known else 0
        entity = self.lexicon.entity(first_known[1]) if first_known else None
        return self._with_short_name(entity) if entity is not None else None

    def in_example(self, pos: int) -> bool:
        """Whether ``pos`` stands in a list of examples (如…、…等) of the text's lead."""
        return any(a <= pos < b for a, b in self.examples)

    def _example_lists(self, text: str) -> list[tuple[int, int]]:
        """The spans of lists of examples (如…、…等) in the text's first paragraphs."""
        lex = self.lexicon
        opens, closes = (
            alternation(list(lex.cue(k))) for k in ("example-list-open", "example-list-close")
        )
        rx = regex(
            rf"(?:{opens})(?P<body>[^。！？\n]{{2,160}}?、[^。！？\n]{{1,160}}?)(?:{closes})"
        )
        return [m.span("body") for m in rx.finditer(text, 0, _EXAMPLES_REACH)]

    def _known_longer(self, company: Entity, first: dict[str, int]) -> Entity | None:
        """The known company the text names (``first``) one of whose names begins with the
        minted ``company``'s whole name and goes on (恒生 in a headline, 恒生银行 in the body):
        the headline's short form of it; None where there is none."""
        name = company.label
        for iri, _ in sorted(first.items(), key=lambda kv: (kv[1], kv[0])):
            known = self.lexicon.entity(iri)
            if (
                known is not None
                and known.kind == "company"
                and any(n.startswith(name) and len(n) > len(name) for n in known.names)
            ):
                return known
        return None

    def _headline_alias(self, company: Entity, text: str, *, lines: int = 3) -> Entity:
        """A minted company is also known by the short form of its name that opens one of the
        text's first ``lines`` lines (極馳第三季蝕… for 極馳汽車; after a tag, [一季报]华辰连锁:…
        for 成都华辰连锁股份有限公司, a listed short name after a place of two or three
        characters)."""
        core = company.label
        for suffix in self.lexicon.cue("company-suffix"):
            if core.endswith(suffix) and len(core) - len(suffix) >= 2:
                core = core[: -len(suffix)]
                break
        heads = [_TAG.sub("", h) for h in _head_lines(text, lines, scan=lines + 1)]
        listed = [core[o : o + 4] for o in (2, 3) if core[o : o + 4] in self.lexicon.listed]
        for short in listed:  # 成都|华辰连锁: the listed name after its place
            if short not in company.names and any(h.startswith(short) for h in heads):
                return dataclasses.replace(company, names=longest_first({*company.names, short}))
        for k in range(min(len(core), 4), 1, -1):
            short = core[:k]
            if short in company.names or not any(h.startswith(short) for h in heads):
                continue
            if short in self.lexicon.cue("place-core"):  # 中国软件…: 中国 is no name of it
                continue
            if any(h.startswith(core) for h in heads) and k < len(core):
                continue  # the headline writes the whole name: no shorter form
            names = longest_first({*company.names, short})
            return dataclasses.replace(company, names=names)
        return company

    def _headline_short(self, company: Entity, text: str, *, lines: int = 3) -> Entity:
        """A known company is also known by the short form of its Chinese name (its first two
        to four characters, not its whole name) that opens one of the text's first ``lines``
        lines right before a period's or a metric's word (【23】华辰中期多赚5% for 华辰银行)."""
        heads = [_TAG.sub("", h) for h in _head_lines(text, lines, scan=lines + 1)]
        pats = self.pats
        for name in company.names:
            if not regex(rf"[{HAN}]{{3,}}").fullmatch(name):
                continue
            for k in range(min(len(name) - 1, 4), 1, -1):
                short = name[:k]
                if short in company.names or short in self.known_names.entity:
                    continue
                for head in heads:
                    rest = head[k:]
                    if head.startswith(short) and (
                        pats.period_word.match(rest) or pats.metric.match(rest)
                    ):
                        return dataclasses.replace(company, names=(*company.names, short))
        return company

    def _listed_companies(self, text: str) -> None:
        """Companies a round-up lists by name (迅丰控股、韵驰股份、申捷快递三家…) and then makes the
        subject of a sentence or line of their own: each is minted (a name with a company suffix,
        listed with 、 next to another such name, opening a line or a sentence elsewhere)."""
        suffixes = self.lexicon.cue("company-suffix")
        have = self._names_had()
        listed = set()
        joiner = regex(alternation(list(self.lexicon.cue("series-joiner"))))
        for m in regex(rf"[{HAN}A-Za-z]{{2,10}}(?:、[{HAN}A-Za-z]{{2,10}})+").finditer(text):
            *items, last = m.group().split("、")
            if items and text[: m.start()].rstrip()[-1:].isdigit():
                items[0] = items[0].lstrip("年月日")  # 2024年华辰银行、…: 年 is the year's
            # …、华辰农商行及澄江银行: the last two names of the list, joined by a word
            for item in [*items, *joiner.split(last, maxsplit=1)]:
                # …、申捷快递三家快递上市公司: the shortest name with a company suffix
                ends = [k for k in range(4, len(item) + 1) if item[:k].endswith(suffixes)]
                if ends:
                    listed.add(item[: ends[0]])
        # 江泰银行：前三季度实现营业收入…: a bullet's subject, a name opening a line before a colon
        for m in regex(rf"(?m)^[\s\-•·●\d.、．]*(?P<n>[{HAN}A-Za-z]{{2,10}})\s*[：:]").finditer(
            text
        ):
            if m["n"].endswith(suffixes) and len(m["n"]) >= 4:
                listed.add(m["n"])
        # 翼極汽車11月交付…, 曜馳汽車表示…, 健民集团一季度…: a name with a company suffix opening
        # a line or a sentence, right before a figure, a month, a period or a verb of saying
        says = alternation(
            [
                *self.lexicon.cue("announce"),
                *self.lexicon.cue("say"),
                *self.lexicon.cue("forecast"),
                *self.lexicon.cue("subject-apposition"),
            ]
        )
        opening = rf"(?:^|[\n。]|{_INLINE_BULLET})[\s\-•·●]*"
        period = self.pats.period_word.pattern
        starts = rf"{opening}(?P<n>[{HAN}A-Za-z]{{2,10}}?)(?=\d|(?:{says})|(?:{period}))"
        # …and a ranking's names before figures in brackets (…居首，澄江银行（1.86万亿元）、…),
        # a summary page's heading line (华辰汽车) over bullets about the company
        # …，其中，宁夏华辰农牧股份有限公司表现突出: a legal name opening a clause
        legal = alternation(list(self.lexicon.cue("legal-suffix")))
        opener = regex(rf"(?:^|(?<=[\n。，,；;：:]))(?P<n>[{HAN}]{{2,14}}?(?:{legal}))")
        for pattern in (regex(starts), _RANKED_NAME, _HEADING_NAME, opener):
            for m in pattern.finditer(text):
                name = m["n"]
                if name.endswith(suffixes) and len(name) >= 4 and not self._market_word(name):
                    listed.add(name)
        listed |= self._listed_openers(text, says, period)
        listed |= self._bare_openers(text, period)
        listed |= self._numbered_companies(suffixes)
        inside = self._listed_inside(text, says, period) | self._described_listed(text)
        inside |= self._counted_list(text)
        listed |= inside
        # …、澄江银行和滨海银行分别…: the last item of a list opens after its joining word
        joined = alternation(list(self.lexicon.cue("series-joiner")))
        for raw in sorted(listed):
            opens = (
                rf"(?:^|[\n。，,；;、]|{_INLINE_BULLET}|(?<=、)[{HAN}]{{2,10}}(?:{joined})|(?<=\d[年月日])|(?<=\d\s[年月日]))"
                rf"[\s\-•·●\d.、．]*{re.escape(raw)}"
            )
            # …最低的澄江证券(0.72亿元): a ranking's name, its figure in brackets right after it
            ranked = rf"{re.escape(raw)}[（(]\s*\d"
            opens_found = (
                raw in inside
                or re.search(opens, text) is not None
                or re.search(ranked, text) is not None
            )
            name = trim_name(raw, self.lexicon)  # 同业辰风汽车: a peer's, named 辰风汽车
            if not opens_found or compact(name) in have or not self._company_like(name):
                continue
            if self._known_inside(name) or self.pats.period_word.search(name):
                continue
            if self._market_word(name):  # 光伏储能、新能源汽车、…: a sector, no company
                continue
            if self._writes_notes(raw, text):  # 华辰证券指出…: the broker writing the note
                continue
            if any(_subsequence(name, e.label) for e in self.minted if e.kind == "company"):
                continue  # 星辰汽车 for 星辰智能汽车控股有限公司: the same company, shorter
            self.minted.append(self._company(name, ()))
            have.add(compact(name))

    def _counted_list(self, text: str) -> set[str]:
        """The names of a list counted right after it as a group of companies (澄江、华辰和滨海三家
        乳企, 澄江、华辰2家公司): as many names as the count, each a company."""
        out: set[str] = set()
        for g in group_regex(self.lexicon).finditer(text):
            n = group_count(g.group(), self.lexicon)
            m = _COUNTED_LIST.search(text, max(0, g.start() - 60), g.start())
            if n is None or m is None:
                continue
            items = re.split(r"、|和|及|与", m.group())
            if len(items) == n and all(2 <= len(i) <= 6 for i in items):
                out |= set(items)
        return out

    def _writes_notes(self, name: str, text: str) -> bool:
        """Whether every time the text names ``name`` a verb of writing a note follows
        (华辰证券指出…, 华辰证券研报认为…: a broker, never a company the text reports on)."""
        verbs = self.lexicon.cue("note-verb")  # right after the name (华辰科技：维持…: a title)
        ends = [m.end() for m in re.finditer(re.escape(name), text)]
        if any(self._titled_note(name, text, end) for end in ends):
            return False  # 华辰电器点评：维持买入评级: a note's title on the company
        published = self.cpats.published  # 华辰证券 2025-08-27发布: the note's publisher line
        research = self.cpats.research  # 华辰证券张三近期对…进行研究: its analysts'
        return bool(ends) and all(
            text.startswith(verbs, end) or published.match(text, end) or research.match(text, end)
            for end in ends
        )

    def writes_note_at(self, name: str, text: str, end: int) -> bool:
        """Whether a verb of writing a note follows ``name`` ending at ``end`` (华辰证券研报…);
        not a note's title on a company that is no broker (华辰电器点评：…)."""
        writes = self._writes_at(text, end - len(name), end)
        return writes and not self._titled_note(name, text, end)

    def _writes_at(self, text: str, start: int, end: int) -> bool:
        """Whether the name at ``text[start:end]`` writes, publishes or sources the note: a
        verb of writing after it (华辰证券研报指出), its publisher line (华辰证券 2025-08-27发布),
        a note's title on a known company (华辰证券:长江电力业绩稳健), a chart's source line
        (资料来源:贝格数据、华辰证券)."""
        if text[max(0, start - 4) : start].rstrip().endswith(self.lexicon.cue("research-object")):
            return False  # 澄江证券对华辰科技发布研究报告: the company studied, not the writer
        return bool(
            self.cpats.note.match(text, end)
            or self.cpats.research.match(text, end)
            or self.cpats.published.match(text, end)
            or self._broker_title(text, start, end)
            or self._in_source_list(text, start)
            or self._in_broker_column(text, start)
        )

    def _in_broker_column(self, text: str, start: int, *, above: int = 3) -> bool:
        """Whether ``start`` opens a cell of a table's column headed by a broker's label (cue
        set broker-column: 序号 | 研究机构 | 分析师 …, a portal's list of notes), in a header
        at most ``above`` lines up."""
        line_start = text.rfind("\n", 0, start) + 1
        if "|" not in text[line_start:start]:
            return False
        column, at = text.count("|", line_start, start), line_start
        labels = self.lexicon.cue("broker-column")
        for _ in range(above):
            if at <= 0:
                return False
            head = text.rfind("\n", 0, at - 1) + 1
            cells = [c.strip() for c in text[head : at - 1].split("|")]
            if column < len(cells) and cells[column] in labels:
                return True
            at = head
        return False

    def _titled_note(self, name: str, text: str, end: int) -> bool:
        """Whether ``name``, ending at ``end``, opens a note's title on it (华辰电器点评：…): a
        company's name before 点评：, where a broker's (cue set broker-suffix: 华辰证券) is the
        writer's."""
        return bool(_NOTE_TITLE.match(text, end)) and not name.endswith(
            self.lexicon.cue("broker-suffix")
        )

    def _numbered_companies(self, suffixes: tuple[str, ...]) -> set[str]:
        """The names of a numbered list of companies: those with a company suffix, and all of
        them where at least half have one or are listed (1. 晶拓能源：… 2. 昱辉硅业：…)."""
        names = set(self._numbered.values())
        like = {n for n in names if n.endswith(suffixes) or n in self.lexicon.listed}
        if names and 2 * len(like) >= len(names):
            return names
        return {n for n in names if n.endswith(suffixes)}

    def _numbered_items(self, text: str, *, least: int = 3) -> dict[int, str]:
        """A list of at least ``least`` numbered lines each opened by a name and a colon, then a
        figure (1. 晶拓能源：营业收入182.4亿元…; 2. 昱辉硅业：…): where each line begins -> its
        name, a company's; a name holding a metric's, a period's or a market's word makes the
        list no such list (none)."""
        items = {m.start(): m["n"] for m in _NUMBERED_NAME.finditer(text)}
        pats = self.pats
        if len(set(items.values())) < least or any(
            pats.metric.search(n) or pats.period_word.search(n) or self._market_word(n)
            for n in items.values()
        ):
            return {}
        return items

    def _listed_openers(self, text: str, says: str, period: str) -> set[str]:
        """Listed companies' short names (``companies/listed.tsv``) opening a sentence or a
        clause right before a verb of saying, a figure, a period or a metric (例如，华辰轮胎发布
        业绩预增公告…; 。澄江股份预计上半年…; ，辰运归母净利润…): a round-up's companies, named
        without a suffix."""
        lex = self.lexicon
        opening = rf"(?:^|[\n。，,；;]|{_INLINE_BULLET})[\s\-•·●]*"
        metric = self.pats.metric.pattern
        verbs = alternation(list(lex.cue("subject-verb")))
        marks = "|".join(re.escape(w) for w in lex.cue("share-class-mark"))  # longest first
        starts = (  # 华辰科技-U2025年上半年…: a STAR share's class mark may come between
            rf"{opening}(?P<n>[{HAN}A-Za-z]{{3,8}}?)(?:-(?:{marks})(?![A-Za-z]))?"
            rf"(?=\d|(?:{says})|(?:{period})|(?:{metric})|(?:{verbs}))"
        )
        # 华辰精工(净利润-3.6亿元,…)、澄江智造(净利润…): an item of a list, its figures in brackets
        bracketed = (
            rf"(?:^|[\n。，,；;、和与及])\s*(?P<n>[{HAN}A-Za-z]{{3,8}}?)(?=[（(]\s*(?:{metric}))"
        )
        # 华辰沿浦 汽车零部件 2025-03-18 36.20 …: a rating table's row opens with the name, a cell
        cell = rf"(?m)^[^\S\n]*(?P<n>[{HAN}A-Za-z]{{3,8}})(?=[^\S\n]+\S)"
        # 华辰达:24H1线上渠道增长较快…: a note's title opens with the name before a colon
        titled = rf"(?m)^[\s\-•·●]*(?P<n>[{HAN}A-Za-z]{{3,8}})(?=[：:])"
        # ●2025-10-16 华辰达:半年报点评…: a digest's note title, its date before the name
        dated = (
            rf"(?m)^[\s\-•·●◆▪*]*(?:19|20)\d{{2}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}[ \t]+"
            rf"(?P<n>[{HAN}A-Za-z]{{3,8}})(?=[：:])"
        )
        found = {
            m["n"]
            for pattern in (starts, cell, titled, dated, bracketed)
            for m in regex(pattern).finditer(text)
            if len(m["n"]) >= _LISTED_LEN and m["n"] in lex.listed and not self._market_word(m["n"])
        }
        return found | self._clause_subjects(text)

    def _clause_subjects(self, text: str) -> set[str]:
        """Listed companies' short names of four characters or more (``listed.tsv``) opening a
        sentence or a clause after a semicolon, whatever follows (；澄江钢铁破产重整后上半年营收…,
        ；华辰闽光以净利润…位居第五): a round-up's subject of that clause."""
        out = set()
        for m in _CLAUSE_OPENING.finditer(text):
            word = m["n"]
            for k in range(len(word), _SUBJECT_LEN - 1, -1):
                if word[:k] in self.lexicon.listed and not self._market_word(word[:k]):
                    out.add(word[:k])
                    break
        return out

    def _bare_openers(self, text: str, period: str) -> set[str]:
        """In a round-up (two companies or more already named), a short name with no suffix
        opening a sentence or clause right before a period's word and a metric's (。东航上半年营业
        收入…) or before 以 and a figure (，海天以36.80亿元的净利润位列第三): a company the
        text names in passing, not the last one in force."""
        named = {e.iri for e in self.minted if e.kind == "company"}
        if len(named) + self._known_count < 2:
            return set()
        metric = self.pats.metric.pattern
        opening = rf"(?:^|[\n。，,；;]|{_INLINE_BULLET})[\s\-•·●]*"
        rx = regex(rf"{opening}(?P<n>[{HAN}]{{2,4}}?)(?=(?:{period})\s*(?:{metric})|以\s*\d)")
        stops = _stops(self.lexicon.cue("segment-stop"), self.lexicon.cue("segment-stop-inside"))
        lex = self.lexicon
        compared = (*lex.cue("yoy"), *lex.cue("prior-year"), *lex.cue("since-year-end"))
        return {
            m["n"]
            for m in rx.finditer(text)
            if not stops[0].search(m["n"])
            and m["n"][0] not in stops[1]
            and not self.pats.metric.search(m["n"])
            and not self.pats.period_word.search(m["n"])
            and not self.pats.region.search(m["n"])
            and not self._market_word(m["n"])
            and not self._known_inside(m["n"])
            and m["n"] not in self.lexicon.cue("self")
            # 较上年度营收, 较上年末净增: a period word or a comparison begun inside the name;
            # 第二期|中期股息: one begun with it and running on
            and not any(
                self.pats.period_word.match(text, k) for k in range(m.start("n"), m.end("n"))
            )
            and not _holds_any(text[m.start("n") : m.end("n") + 2], compared)
        }

    def _listed_inside(self, text: str, says: str, period: str, *, least: int = 4) -> set[str]:
        """Listed companies' short names of ``least`` characters or more (``listed.tsv``)
        anywhere in a sentence right before a verb of saying, a period's or a metric's word
        (行业龙头华辰超市前三季度营收…, 其中最大的澄江科技表示…, …澄江银行营收增速居首): a
        round-up's companies, named mid-sentence."""
        lex = self.lexicon
        found = set()
        ends = _listed_ends(lex)
        for m in regex(rf"(?:{says})|(?:{period})|(?:{self.pats.metric.pattern})").finditer(text):
            if m.start() == 0 or text[m.start() - 1] not in ends:
                continue  # no listed name ends right before it (most matches)
            if (name := self._listed_at(text, m.start(), least=least, before=True)) is not None:
                found.add(name)
        return found | self._listed_before_respectively(text)  # 华辰网络、澄江互娱分别…

    def _listed_before_respectively(self, text: str, *, least: int = 4) -> set[str]:
        """The names of a list right before 分别 (cue set respectively) of ``least`` characters
        or more each, at least half of them listed companies' short names and every one a
        company's name (A股游戏公司中,华辰网络、澄江互娱、滨海世界分别以营收…): a round-up's
        companies, each its figure in turn."""
        found: set[str] = set()
        words = alternation(list(self.lexicon.cue("respectively")))
        for m in regex(
            rf"(?<![{HAN}])[{HAN}]{{{least},8}}(?:、[{HAN}]{{{least},8}})+(?={words})"
        ).finditer(text):
            items = m.group().split("、")
            listed = [i for i in items if i in self.lexicon.listed]
            if 2 * len(listed) >= len(items) and all(
                self._company_like(i) and not self._market_word(i) for i in items
            ):
                found.update(items)
        return found

    def _described_listed(self, text: str, *, least: int = 4) -> set[str]:
        """Listed companies' short names of ``least`` characters or more (``listed.tsv``) right
        after a word of cue set ``descriptor-end`` of two characters or more (减震器制造商华辰股份
        晚间公告…, 行业龙头澄江科技…): what the company is, written before its name; so is any
        company-like name so described publishing its results (物业龙头澄江服务发布全年业绩公告)."""
        found = set()
        lex = self.lexicon
        words = [w for w in lex.cue("descriptor-end") if len(w) >= 2]
        # 物业龙头澄江服务发布全年业绩公告: a name so described publishing its results
        publishes = regex(
            rf"(?P<n>[{HAN}]{{{least},8}}?)(?:{alternation(list(lex.cue('announce')))})"
            rf"[^，,。；;\n]{{0,12}}?(?:{alternation(list(lex.cue('results-word')))})"
        )
        for m in regex(alternation(words)).finditer(text):
            if (name := self._listed_at(text, m.end(), least=least)) is not None:
                found.add(name)
            elif (p := publishes.match(text, m.end())) is not None and self._company_like(p["n"]):
                found.add(p["n"])
        return found

    def _listed_at(self, text: str, at: int, *, least: int, before: bool = False) -> str | None:
        """The longest listed company's short name (``listed.tsv``) of ``least`` to
        :data:`_LISTED_LONGEST` characters starting at ``at`` (ending there, ``before``), no
        market's word."""
        for k in range(_LISTED_LONGEST, least - 1, -1):
            name = text[max(0, at - k) : at] if before else text[at : at + k]
            if len(name) == k and name in self.lexicon.listed and not self._market_word(name):
                return name
        return None

    def _short_name(self, company: Entity, text: str) -> Entity:
        """An announcement's 证券简称：衡远智装 is one of the reporting company's names."""
        labels = alternation(list(self.lexicon.cue("short-name-label")))
        # 公司简称:锦旅 B 股: a B share's name, a PDF's spaces in it
        # 证券简称:华辰股份公告编号: the next label run on, a PDF's spaces taken out
        others = alternation(list(self.lexicon.cue("notice-head-label")))
        name = rf"(?P<name>(?:(?!{others})[{HAN}A-Za-z0-9]){{2,8}}(?:\s?[AB]\s?股)?)"
        m = re.search(rf"(?:{labels})\s*[：:]\s*{name}", text[:600])
        short = compact(m["name"]) if m is not None else self._listed_head(company, text)
        if short is None:
            return company
        names = longest_first({*company.names, short})  # its listing even where named so
        listed = self.lexicon.listed.get(short) if m is None else None
        idents = tuple(sorted({*company.identifiers, listed})) if listed else company.identifiers
        return dataclasses.replace(company, names=names, identifiers=idents)

    def _listed_head(self, company: Entity, text: str, *, lines: int = 3) -> str | None:
        """A listed company's short name (``listed.tsv``) inside the minted company's name that
        opens one of the text's first ``lines`` lines (新中港:2024年半年度业绩预告 over 浙江新中港
        热电股份有限公司): the company's short name."""
        market = alternation(list(self.lexicon.cue("group-market")))
        for head in _head_lines(text, lines, scan=lines + 2):
            # 605999 沪市 澄江水务: a portal's page names the company by code and market first
            head = re.sub(rf"^\d{{6}}\s*(?:{market})?\s*", "", head)
            for k in range(min(len(head), _LISTED_LONGEST), 1, -1):
                short = head[:k]
                if short in self.lexicon.listed and _abbreviates(short, company.label):
                    return short
        return None

    def _market_word(self, name: str) -> bool:
        """Whether a name begins with a market-wide or sector word (全国, 新能源 …)."""
        return name.startswith((*self.lexicon.cue("market-wide"), *self.lexicon.cue("sector-word")))

    def _ticker_companies(self) -> None:
        """Every other company the text names with a ticker in brackets (芯拓微（688362.SH）),
        minted with that identifier: a bullet or sentence naming it is about it."""
        have = {compact(n) for e in self.minted for n in e.names}
        for _, name, ident in self.tickers:
            if not isinstance(ident, str) or compact(name) in have:
                continue
            if not self._company_like(name):
                continue
            if self._known_inside(name) and not (
                self._another_company(name) or self._other_code(name, ident)
            ):
                continue
            if any(ch.isdigit() for ch in name):
                continue  # 245千元（…）: a figure, not a name
            company = dataclasses.replace(
                self._company(name, ()), identifiers=(ident,) if ident else ()
            )
            self.minted.append(company)
            have.update(compact(n) for n in company.names)

    def _tickers(self, text: str) -> list[tuple[int, str, Entity | str]]:
        """Tickers in brackets: (where, the name right before, the known company or the
        identifier when no known company has it, "" when a known one has it under another name)."""
        out: list[tuple[int, str, Entity | str]] = []
        for m in self.cpats.ticker.finditer(text):
            word = m["ex"] or m["suffix"] or m["glued"] or ""
            ident = identifier(word, m["code"], self.lexicon.exchanges)
            if ident is None:
                continue
            before = self.cpats.name_before.search(text, max(0, m.start() - 24), m.start())
            name = _name_before(before, self.lexicon)
            if before is not None and before["mark"]:
                self.marked[name] = name + before["mark"].strip()  # 百川生物-B
            known = self.lexicon.company_by_identifier.get(ident)
            if known is not None and not any(compact(name).endswith(n) for n in _compact(known)):
                if _leads_a_name(compact(name), known):
                    self.short_names[known.iri] = name  # 国泰 (00293) for 国泰航空
                else:
                    known, ident = None, ""  # another company's code (a misprint): named, no link
            at = before.start("latin" if before and before["latin"] else "name") if before else -1
            if before is not None:
                at, name = _latin_word_before(text, at, name)
            out.append((at if before else m.start(), name, known or ident))
        return out

    def _with_tickers(self, company: Entity) -> Entity:
        """A minted company with the identifiers its tickers give it."""
        names = {compact(n) for n in company.names}
        idents = {i for _, n, i in self.tickers if isinstance(i, str) and i and compact(n) in names}
        if not idents:
            return company
        return dataclasses.replace(
            company, identifiers=tuple(sorted({*company.identifiers, *idents}))
        )

    def _joined_self(self, name: str) -> bool:
        """Whether a name ends with a joining word and a word for the company itself (高位及公司:
        the end of a clause naming something else and the company, no name)."""
        lex = self.lexicon
        return any(
            name.endswith(j + w) and len(name) > len(j + w)
            for j in lex.cue("series-joiner")
            for w in lex.cue("self")
        )

    def _company_like(
        self, name: str, text: str = "", end: int = -1, *, ticker: bool = False
    ) -> bool:
        """Whether a name read from the report can be a company's: no clause fragment
        (这一, 集团实现归属于母公司), no exchange, regulator or news agency, no broker
        writing a note (``text`` and ``end``: where the name ends in the report). Right before
        its ``ticker`` (华利集团（01234）) a name may open with a word a clause opens with."""
        lex = self.lexicon
        group = group_regex(lex, digits=r"\d+")
        return (
            len(name) >= 2
            and not group.search(name)  # 六家银行, 上海两家农商行: a group of companies
            and name not in lex.cue("group-noun")  # 航空公司: a kind of company, no name
            # 本钢板材, 和而泰: a listed short name may open with such a word
            and (
                ticker
                or name in lex.listed
                or not name.startswith((*lex.cue("not-a-company-start"), *lex.cue("group-start")))
            )
            # 华辰控股有限公司预期本集团: a legal name ends where its suffix does
            and not any(w in name[:-1] and not name.endswith(w) for w in lex.cue("legal-suffix"))
            and not _holds_any(name, lex.cue("clause-word"))
            and not _holds_any(name, lex.cue("group-member"))  # 华辰系公司澄江酒店: two names
            and not self._two_names(name)  # 澄江银行和滨海银行: a list's last two names
            and not self._joined_self(name)  # 维持高位及公司: …and the company, a clause
            and not self._preposition_core(name)  # 张三在食品(饮料行业): a clause
            and not _holds_any(name, lex.not_subjects)  # 273 names: one regex, not a loop
            and not (len(name) >= 3 and _begins_any(name, lex.not_subjects))
            and not (end >= 0 and self.writes_note_at(name, text, end))
            and not (end >= 0 and source_line_after(text, end))
            and not (text and _publishes(name, text))
            and not (end >= 0 and text.startswith(lex.cue("sector-tail"), end))
            and not (end >= 0 and _byline_mark(text, end, lex))  # 凤凰科技讯 北京时间…: a byline
            # 发布中期业绩 (a headline cut before its name): a verb of publishing is no name
            and not name.endswith(lex.cue("announce"))
            and not self.pats.region.fullmatch(name)  # 香港2025年3月2日 /美通社/: a place
        )

    def _preposition_core(self, name: str) -> bool:
        """Whether a word of not-a-company-core-end stands right before ``name``'s company
        suffix (张三在食品: someone in an industry, no company)."""
        lex = self.lexicon
        suffix = next((w for w in lex.cue("company-suffix") if name.endswith(w)), "")
        return bool(suffix) and name[: -len(suffix)].endswith(lex.cue("not-a-company-core-end"))

    def _two_names(self, name: str) -> bool:
        """Whether ``name`` is two names joined by a word of series-joiner, each ending in a
        company suffix (澄江银行和滨海银行)."""
        suffixes = self.lexicon.cue("company-suffix")
        for w in self.lexicon.cue("series-joiner"):
            head, _, tail = name.partition(w)
            if tail and len(head) >= 2 and head.endswith(suffixes) and tail.endswith(suffixes):
                return True
        return False

    def _aliases(self, text: str) -> Iterator[re.Match[str]]:
        """``cpats.alias.finditer(text)``, tried only where a match can start: 2 to
        :data:`_ALIAS_REACH` characters before a company suffix and its bracket
        (``alias_anchor``), each place once, from where the last match ended (a lazy name
        of 2 to 24 characters tried at every place of the text was 3 % of a report)."""
        alias, anchor = self.cpats.alias, self.cpats.alias_anchor
        nxt = 0  # the first place not tried yet
        while (a := anchor.search(text, nxt + 2)) is not None:
            for start in range(max(nxt, a.start() - _ALIAS_REACH), a.start() - 1):
                m = alias.match(text, start)
                if m is not None:
                    yield m
                    nxt = m.end()
                    break
            else:
                nxt = max(nxt, a.start() - 1)

    def _mint_company(self, text: str) -> tuple[int, Entity] | None:
        text = _without_vendors(text, self.lexicon)  # 同花顺数据，…: the figures' source
        return (
            self._alias_company(text)
            or self._ticker_company(text)
            or self._headline_company(text)
            or self._headline_period_company(text)
            or self._wire_lead_company(text)
            or self._class_listed_company(text)
            or self._plain_company(text)
            or self._running_title_company(text)
            or self._only_listed_company(text)
        )

    def _class_listed_company(self, text: str, *, within: int = 200) -> tuple[int, Entity] | None:
        """A listed short name written with its share class (张裕A10月28日披露…: 张裕, listed,
        and A), opening a clause in the lead: that company, named as written."""
        for m in _CLASS_NAME.finditer(text, 0, within):
            name, mark = m["n"], m["c"]
            if name in self.lexicon.listed and mark in self.lexicon.cue("share-class-letter"):
                company = self._company(name + mark, ())
                listing = (self.lexicon.listed[name],) if self.lexicon.listed[name] else ()
                return m.start("n"), dataclasses.replace(company, identifiers=listing)
        return None

    def _only_listed_company(
        self, text: str, *, longest: int = 8, within: int = 4000
    ) -> tuple[int, Entity] | None:
        """A text that names no company otherwise but one listed company, by the short name
        ``listed.tsv`` gives it, anywhere in its first ``within`` characters (a portal's table
        first, 2024年华辰银行围绕… last): that company; two such names, none."""
        lex = self.lexicon
        ambiguous = set(lex.cue("ambiguous-company-name"))
        found: dict[str, int] = {}
        for i in range(min(len(text), within)):
            for k in range(longest, _LISTED_LEN - 1, -1):
                name = text[i : i + k]
                if name in lex.listed and name not in ambiguous and not self._market_word(name):
                    if not self._writes_notes(name, text):  # 华辰证券研报指出…: a broker
                        found.setdefault(name, i)
                    break
        if len(found) != 1:
            return None
        ((name, at),) = found.items()
        return at, self._company(name, ())

    def _running_title_company(self, text: str, *, within: int = 4000) -> tuple[int, Entity] | None:
        """A legal name before a year and the title of a periodic report (安徽华辰旅游股份有限公司
        2024 年年度报告 8 / 120: a PDF's running head or foot), in the first ``within``
        characters: the company the report is of."""
        lex = self.lexicon
        title = regex(
            rf"(?P<name>[{HAN}]{{2,24}}?(?:{alternation(list(lex.cue('legal-suffix')))}))\s*"
            rf"(?:19|20)\d\d\s*年?\s*(?:{alternation(list(lex.cue('periodic-report-title')))})"
        )
        for m in title.finditer(text, 0, within):
            name = trim_name(m["name"], lex)
            if len(name) >= 6 and self._company_like(name, text, m.end("name")):
                return m.start("name") + len(m["name"]) - len(name), self._company_named(name, text)
        return None

    def _aliased_companies(self) -> None:
        """Every other company the text names with its alias in brackets (澄江科技（集团）股份
        有限公司（下称「澄江科技」）, a round-up's next item): minted, known by both names."""
        have = {compact(n) for e in self.minted for n in e.names}
        for _, name, alias in self._named:
            if compact(name) in have or alias in self.lexicon.cue("self"):
                continue
            if self._known_alias(alias) is not None:
                continue  # 中远海运控股股份有限公司（下称“中远海控”）: a known company's
            if not self._known_inside(name):
                company = self._company(name, (alias,) if alias else ())
                self.minted.append(company)
                have.update(compact(n) for n in company.names)

    def _known_alias(self, alias: str) -> Entity | None:
        """The known company ``alias`` is the whole name of, if any."""
        found = self.known_names.entity.get(compact(alias)) if alias else None
        return found if found is not None and found.kind == "company" else None

    def _names_had(self) -> set[str]:
        """The names of the companies minted so far, and the legal names of known ones."""
        have = {compact(n) for e in self.minted for n in e.names}
        return have | {compact(n) for n in self.legal_names.values()}

    def _known_by_alias(self, company: Entity) -> Entity | None:
        """The known company a minted ``company``'s alias names in full (中远海运控股股份有限公司
        （下称“中远海控”）: 中远海控's legal name); None where none does."""
        return next(
            (k for n in company.names if n != company.label and (k := self._known_alias(n))),
            None,
        )

    def _defined_legal_names(self, text: str) -> None:
        """The legal names the text defines a known company's name as the short name of
        (中远海运控股股份有限公司（下称“中远海控”）): that company's, as written. The names
        written with an alias are read once here and kept for :meth:`_aliased_companies`."""
        #: the names the text writes with an alias in brackets (position, name, alias)
        self._named = tuple(self._named_aliases(text))
        for _, name, alias in self._named:
            company = self._known_alias(alias)
            if company is not None and compact(name) not in map(compact, company.names):
                self.legal_names.setdefault(company.iri, name)

    def _alias_company(self, text: str) -> tuple[int, Entity] | None:
        """A name with its alias in brackets (华辰控股有限公司（「本公司」）)."""
        for at, name, alias in self._named_aliases(text):
            return at, self._company(name, (alias,))
        return None

    def _named_aliases(self, text: str) -> Iterator[tuple[int, str, str]]:
        """Each name the text writes with its alias in brackets that can be a company's: where
        it starts, the name and the alias; not a period's name (…截至九月三十日止九个月
        （「本期间」）)."""
        for m in self._aliases(text):
            name = _standing_suffix(trim_name(m["name"], self.lexicon), text)
            alias = m["alias"] or m["quoted"] or ""
            if self.pats.period_word.search(alias):
                continue
            if self._company_like(name, text, m.end()):
                yield m.start("name"), name, alias

    def _ticker_company(self, text: str) -> tuple[int, Entity] | None:
        """The first name before a ticker that has a company suffix, is listed under that
        code, or opens an exchange filing's title (华辰(01234) - 2025 - 中期业绩)."""
        title = _FILING_TITLE.match(text)
        for pos, name, ident in self.tickers:
            # 华辰谷（603001）: a name the listing of its code confirms needs no suffix
            suffixed = (
                name.rstrip("）)").endswith(self.lexicon.cue("company-suffix"))
                or (isinstance(ident, str) and self._listed_under(name, ident))
                or _LATIN_NAME.fullmatch(name) is not None  # LANCHI Finance（NYSE：LNCF）
                or (title is not None and title["name"] == name)
            )
            if (
                isinstance(ident, str)
                and suffixed
                and self._company_like(name, ticker=True)
                and not self._known_inside(name)
                and _AMOUNT_NAME.fullmatch(name) is None  # 152,300,000元(…): a figure
            ):
                # Lanchi Instruments（纳斯达克：LNCI）: also known by its first word (LANCHI发布…)
                first = name.split()[0] if " " in name else None
                if first and (len(first) < 3 or first in self.lexicon.cue("latin-generic-word")):
                    first = None
                return pos, self._company(name, (first,) if first else ())
        return None

    def _listed_under(self, name: str, ident: str) -> bool:
        """Whether ``listed.tsv`` lists the code ``ident`` under ``name`` or a name sharing a
        character with it (澄江复材（600624）, listed as 复华), or under no Chinese name (a Hong
        Kong code): another listing's code (华辰谷（603001）) confirms nothing."""
        names = self.lexicon.listed_codes.get(ident)
        return names is not None and (not names or any(set(n) & set(name) for n in names))

    def _headline_company(self, text: str) -> tuple[int, Entity] | None:
        """A company the headline names, else a name with a company suffix in the lead."""
        head = self.cpats.headline.match(text, self._headline_line(text))
        if head and not self.cpats.byline.match(text, head.end("name")):
            cut = alternation([*self.lexicon.cue("as-of"), *self.lexicon.cue("announce")])
            name = trim_name(re.split(cut, head["name"])[0], self.lexicon)
            if (
                self._company_like(name, text, head.end("name"))
                and not self._known_inside(name)
                and not self.pats.period_word.match(name)
                and (
                    head["colon"] is None
                    or (len(name) >= _LISTED_LEN and name in self.lexicon.listed)
                )
            ):
                if head["legal"] and name == head["name"]:  # Lanchi Inc. 公布…
                    return head.start("name"), self._company(name + head["legal"], (name,))
                return head.start("name"), self._company_named(name, text)
        return None

    def _headline_period_company(
        self, text: str, *, longest: int = 6, within: int = 800
    ) -> tuple[int, Entity] | None:
        """A short name opening the headline right before a period's word (华辰二季度利润大涨)
        and written again in the lead after it (华辰(Huachen)日前公布…): that company."""
        at = self._headline_line(text)
        line_end = text.find("\n", at)
        if line_end < 0:
            return None
        mark = _RISK_MARK.match(text, at)  # *ST集成上半年…: an A-share name's risk warning
        base = mark.end() if mark else at
        for k in range(2, longest + 1):
            name = text[at : base + k]
            if not regex(rf"[{HAN}]+").fullmatch(text[base : base + k]):
                return None
            if self.pats.period_word.match(text, base + k) is None:
                continue
            if (
                name in text[line_end : line_end + within]
                and self._company_like(name, text, base + k)
                and not self._known_inside(name)
                and not self._market_word(name)
                and not name.endswith(self.lexicon.cue("sector-tail"))  # 光伏板块
                and not self.pats.period_word.search(name)
            ):
                return at, self._company_named(name, text)
            return None
        return None

    def _wire_lead_company(self, text: str, *, lines: int = 4) -> tuple[int, Entity] | None:
        """A name and a verb of publishing right after a wire's lead (智通财经APP讯，华辰公布
        截至…止年度业绩; 《华辰通讯社18日专讯》华辰公布…): the company, as a headline would
        name it."""
        ends = alternation(list(self.lexicon.cue("wire-lead-end")))
        bracketed = regex(rf"[^\S\n]*[《【][{HAN}A-Za-z0-9]{{2,16}}?(?:{ends})[》】]\s*[,，:：]?")
        at = 0
        for _ in range(lines):
            line_end = text.find("\n", at)
            line_end = len(text) if line_end < 0 else line_end
            lead = bracketed.match(text, at) or regex(
                rf"[^\S\n]*[{HAN}A-Za-z]{{2,12}}?(?:{ends})\s*[,，:：]"
            ).match(text, at)
            if lead is not None:
                found = self._headline_company(text[lead.end() : line_end])
                if found is not None:
                    return found[0] + lead.end(), found[1]
            at = line_end + 1
        return None

    def _plain_company(self, text: str) -> tuple[int, Entity] | None:
        """A name with a company suffix in the lead of the text."""
        for pos, name in self._plain_names(text):
            if len(name) >= 4 and self._company_like(name, text, pos + len(name)):
                return pos, self._company_named(name, text)
        return None

    def _headline_line(self, text: str, *, longest: int = 24, lines: int = 4) -> int:
        """Where the headline's line starts: past blank lines and short first lines of filing
        furniture (附件99.1, Exhibit 99.1), a dateline's label (date 2023-11-22) or a date
        (2026-02-26 07:40 华辰通讯社)."""
        skip = (*self.lexicon.cue("furniture-line"), *self.lexicon.cue("dateline-label"))
        at = 0
        for _ in range(lines):
            line_end = text.find("\n", at)
            line = text[at:line_end].strip() if line_end >= 0 else ""
            furniture = line.startswith(skip) or _DATED_LINE.match(line) is not None
            if line_end < 0 or (line and (len(line) > longest or not furniture)):
                break
            at = line_end + 1
        return at

    def _plain_names(self, text: str) -> list[tuple[int, str]]:
        """Company names (ending in a company suffix) in the lead of the report."""
        out = []
        for m in self.cpats.plain.finditer(text[:400]):
            name = trim_name(m["name"], self.lexicon)
            # where the trimmed name starts (港股|汽车…: after the words cut off its front)
            start = m.end("name") - len(name) if m["name"].endswith(name) else m.start("name")
            at, name = _latin_word_before(text, start, name)
            if (
                len(name) >= 2
                and not self._known_inside(name)
                and not self.pats.period_word.search(name)
            ):
                out.append((at, name))
        return out

    def _company_named(self, name: str, text: str) -> Entity:
        """The company a headline names by its short name, under its legal name when the lead
        writes it out (星辰汽车 … 星辰智能汽车控股有限公司)."""
        legal = self.lexicon.cue("legal-suffix")
        if not name.endswith(legal):
            for _, full in self._plain_names(text):
                if full.endswith(legal) and full != name and _subsequence(name, full):
                    return self._company(full, (name,))
        return self._company(name, ())

    def _ends_in_known(self, name: str) -> bool:
        """Whether ``name`` ends with a known company's name after other words (是阿里巴巴)."""
        return any(
            e is not None and start > 0 and end == len(name)
            for start, end, e in self.known_names.finditer(name)
        )

    def _known_inside(self, name: str) -> bool:
        return any(e is not None for _, _, e in self.known_names.finditer(name))

    def _another_company(self, name: str) -> bool:
        """Whether a name written before a ticker no known company has (京东方精电（00710）)
        opens with a known company's name and goes on with a name of its own (精电), no suffix
        of the known one's (京东方科技, 京东方集团): another company."""
        lex = self.lexicon
        same = (*lex.cue("company-suffix"), *lex.cue("legal-suffix"), *lex.cue("share-class-mark"))
        for start, end, e in self.known_names.finditer(name):
            if e is not None:
                rest = name[end:]
                return start == 0 and len(rest) >= 2 and not rest.startswith(same)
        return False

    def _other_code(self, name: str, ident: str) -> bool:
        """Whether the known company whose name opens ``name`` (联想 in 联想控股(03396)) is listed
        on the exchange of ``ident`` under other codes only: the ticker is another company's."""
        exchange = ident.partition(":")[0]
        for start, _, e in self.known_names.finditer(name):
            if e is not None and start == 0:
                codes = [i for i in e.identifiers if i.partition(":")[0] == exchange]
                return bool(codes) and ident not in codes
        return False

    # -- segments and products the report names itself
    def _strip(self, chunk: str) -> str:
        """Drop leading words that are not part of a name (其中, 公司, the company's name ...)."""
        lead = self._lead_words()
        changed = True
        while changed and chunk:
            changed = False
            date = self.cpats.date_lead.match(chunk)
            if date:
                chunk, changed = chunk[date.end() :], True
                continue
            for w in lead.get(chunk[0], ()):
                if chunk.startswith(w):
                    chunk = chunk[len(w) :].lstrip()
                    changed = True
                    break
        return chunk

    def _lead_words(self) -> dict[str, tuple[str, ...]]:
        """The words a part's name never starts with, the company's names among them, by their
        first character (longest first)."""
        if self._leads is None:
            leads = dict(_lead_index(self.lexicon))  # the lexicon's, indexed once
            names = self.main_company.names if self.main_company is not None else ()
            for first, words in _by_first(n for n in names if len(n) >= 2).items():
                leads[first] = _longest_first({*leads.get(first, ()), *words})
            self._leads = leads
        return self._leads

    def _is_name(self, name: str, *, longest: int = 12) -> bool:
        p = self.pats
        if not 2 <= len(name) <= longest or _DIGIT.search(name):
            return False
        if _LATIN.fullmatch(name) and len(name) < 3:
            return False
        if _any_word(self.lexicon.cue("unknown-place")).search(name):
            return False  # 省内: a place, no part of the company
        if name.endswith(self.lexicon.cue("not-a-name-end")):
            return False  # 成本对收入比率: a clause fragment
        if name in self.lexicon.cue("segment-suffix") or name in self.lexicon.cue("no-part-name"):
            return False  # 分部毛利率: the segment just named; 營運收入: no part 營運
        if self._ends_in_known(name):
            return False  # 再次是阿里巴巴 (…营收): words before a company, no part
        lex = self.lexicon
        inside, first = _stops(lex.cue("segment-stop"), lex.cue("segment-stop-inside"))
        if inside.search(name) or name[0] in first:
            return False
        if p.metric.match(name) or _any_word(
            (*self.lexicon.cue("metric-blocker"), *self.lexicon.cue("not-a-metric"))
        ).search(name):
            return False
        for rx in (p.period_word, p.role):
            if rx.search(name):
                return False
        if name.startswith((*self.lexicon.cue("market-wide"), *self.lexicon.cue("group-start"))):
            return False  # 全国挖掘机, 前十家头部券商: the whole market, a group, no name
        if group_regex(self.lexicon, digits=r"\d+").search(name):
            return False  # 乳制品行业有两家企业 (…营收): a group of companies, no part
        if any(w in name for w in self.lexicon.cue("place-suffix")):
            return False  # 中国台湾地区客户: a place, not a segment
        region = p.region.search(name)
        if region is not None:
            # a name may begin with a region word (国际物流), but not be one (海外, 北美市场)
            rest = name[region.end() :]
            world = p.region_by_name[compact(region.group())].iri == self.lexicon.world_region
            if (
                world
                or region.start() > 0
                or len(rest) < 2
                or rest in self.lexicon.cue("region-suffix")
                or p.region.search(rest)
                or rest.startswith(self.lexicon.cue("series-joiner"))  # 香港及澳门
            ):
                return False
        return compact(name) not in self.by_name

    def _scan_parts(self, text: str) -> None:
        """Mint the segments (X业务, X分部, X收入 …) and quoted products a report names."""
        lex = self.lexicon
        pp = _part_patterns(lex)
        seg_rx, revenue_rx, product_rx = pp.segment, pp.revenue, pp.product
        stores_rx, follow_rx, suffix = pp.stores, pp.follow, pp.suffix
        # 平台即服务（“PaaS”）收入: a part's Latin short name in brackets stands between them
        bare = _LATIN_ALIAS.sub("", text)
        for chunk_m in re.finditer(r"[^，,；;：:。！？、\s“”\"「」（）()]+", bare):
            chunk = self._strip(chunk_m.group())
            if self.pats.metric.match(chunk) or self.pats.not_metric.match(chunk):
                continue  # 投资收益为…: no part named 投资
            m = seg_rx.match(chunk)
            if m:
                name, suf = m["name"], m["suf"]
                if self.pats.region.fullmatch(name + suf):
                    continue  # 中国业务的新业务价值: the company's, in a region
                if self._is_name(name) and follow_rx.match(chunk, m.end()):
                    names = (name + suf, name) if len(name) >= 3 else (name + suf,)
                    kept = suf in lex.cue("segment-suffix-kept")  # 线上渠道, not 线上
                    self._mint("segment", name + suf if kept else name, names)
                continue
            name = self._name_before(chunk, revenue_rx)  # 汽车销售收入: the longest name
            name = self._without_region(name) if name is not None else None
            # “MOMO”系列收入, “智能手机”分部收入: the word after a quoted name names nothing
            if name is not None and name not in lex.cue("product-kind") + lex.cue("segment-suffix"):
                self._mint("segment", name, (name,))
                continue
            name = self._name_before(chunk, product_rx)  # 空调销量: a product category
            if name is not None and not name.startswith(lex.cue("not-a-product")):
                self._mint("product", name, (name,))
        for m in pp.source.finditer(text):  # 来自于会员的营收: a revenue's segment
            name = self._strip(m["name"])
            # 来自北美客户的收入: a region's, no segment
            if self._is_name(name) and not (
                self.pats.metric.search(name) or self.pats.region.match(name)
            ):
                self._mint("segment", name, (name,))
        self._scan_labelled_parts(text)
        for row in part_rows(text, lex):  # 分产品 | 营业收入 | … then 建材产品 | …
            # a table's row may name a long part (燃气轮机及工业透平控制部件)
            if self._is_name(row.label, longest=_ROW_LABEL) and not self.pats.region.fullmatch(
                row.label
            ):
                self._mint("segment", row.label, (row.label,))
        for m in stores_rx.finditer(text):  # 直营店412家、加盟店1,906家: kinds of store
            name = self._strip(m["name"])
            if len(name) >= 2 and self._is_name(name) and not self.pats.metric.search(name):
                self._mint("segment", name, (name,))
        self._scan_quoted(text, suffix)

    def _scan_labelled_parts(self, text: str) -> None:
        """A bullet or line opened by a part's name and a colon, then a period's or a metric's
        word (月饼系列产品:Q3营收12.60亿元, - 速冻食品：收入2.31亿元): that part, a segment; not a
        company's name, a region's, a metric's or a period's."""
        pats, suffixes = self.pats, self.lexicon.cue("company-suffix")
        for m in _LABELLED_PART.finditer(text):
            name, rest = m["n"], text[m.end() : m.end() + 16].lstrip()
            period = pats.period_word.match(rest)
            rest = rest[period.end() :].lstrip() if period else rest
            if not pats.metric.match(rest) or pats.region.fullmatch(name):
                continue
            if name.endswith(suffixes) or name in self.lexicon.listed or self._market_word(name):
                continue
            if any(w in name for w in self.lexicon.cue("section-label")):
                continue  # 点评：…, 投资要点：…: a note's section, no part
            if compact(name) in {compact(n) for e in self.minted for n in e.names}:
                continue
            if self._is_name(name) and not self._known_inside(name):
                self._mint("segment", name, (name,))

    def _scan_quoted(self, text: str, suffix: str) -> None:
        """Mint the quoted products and segments a report names (社交应用“启聊”, “MOMO”系列)."""
        pp = _part_patterns(self.lexicon)
        quoted, quoted_segment = pp.quoted, pp.quoted_segment
        # 华腾“智能手机”分部: a quoted name right before a segment word is a segment
        for m in quoted_segment.finditer(text):
            name = m["name"].strip()
            if compact(name) not in self.by_name and not self.pats.metric.search(name):
                self._mint("segment", name, (name,))
        for m in quoted.finditer(text):
            name = (m["a"] or m["b"] or m["c"] or m["d"] or m["e"]).strip()
            if (
                len(name) >= 2
                and compact(name) not in self.by_name
                and not self.pats.metric.fullmatch(name)
            ):
                self._mint("product", name, (name,))

    def _without_region(self, name: str) -> str | None:
        """香港以外电力销售: no segment (everywhere but a region: a place we have no region for,
        its figures left out); 香港电力销售 and 国际物流 stay whole."""
        region = self.pats.region.match(name)
        if region is None:
            return name
        if self.pats.region_by_name[compact(region.group())].iri == self.lexicon.world_region:
            return name
        rest = name[region.end() :]
        return None if rest.startswith(self.lexicon.cue("region-complement")) else name

    def _name_before(self, chunk: str, follower: re.Pattern[str]) -> str | None:
        """The longest name at the start of ``chunk`` that ``follower`` comes right after."""
        first = follower.search(chunk, 2)  # the first place it comes at: none before it
        if first is None:
            return None
        for end in range(min(12, len(chunk) - 1), first.start() - 1, -1):
            name = chunk[:end]
            named = follower.match(chunk, end)
            if named is None or not _HAN_OR_LATIN.fullmatch(name) or not self._is_name(name):
                continue
            if self._no_metric_ends(chunk, named.end()):
                continue  # 受惠投资收益: 投资收益 is no revenue, 受惠投资 no part
            if self._metric_begins_inside(chunk, end, named):
                continue  # 续期保费收入: 保费收入 is the metric, 续期保费 no part
            # 紫金山金矿年产量: 年 (a year's) opens the metric's words, not ends the name
            lead = self.lexicon.cue("metric-lead-word")  # longest first
            tail = next((w for w in lead if name.endswith(w)), None)
            if tail is not None and self._is_name(name[: -len(tail)]):
                return name[: -len(tail)]
            return name
        return None

    def _metric_begins_inside(self, chunk: str, end: int, follower: re.Match[str]) -> bool:
        """Whether another metric's name than the ``follower``'s begins inside ``chunk[:end]``
        and runs over it (续期|保费收入: premiums, not a part's revenue; 汽车|销售收入 is
        revenue either way: the part 汽车销售 stands)."""
        by_name = self.pats.metric_by_name
        own = by_name.get(compact(follower.group()))
        for k in range(1, end):
            m = self.pats.metric.match(chunk, k)
            if m is not None and m.end() >= follower.end():
                return by_name.get(compact(m.group())) != own
        return False

    def _no_metric_ends(self, chunk: str, end: int) -> bool:
        """Whether a name of what we have no metric for (投资收益) ends at ``end``."""
        head = chunk[:end]
        return any(
            head.endswith(w) and not self._last_part(head[: -len(w)], w)
            for w in self.lexicon.cue("not-a-metric")
        )

    def _last_part(self, before: str, word: str) -> bool:
        """Whether ``word`` (其他收入) ends a list of parts after a joiner (在线营销服务及其他收入:
        the parts' revenue, not other income), the item before it no metric (收入及其他收益)."""
        lex = self.lexicon
        joiner = next((j for j in lex.cue("series-joiner") if before.endswith(j)), None)
        if joiner is None or not word.startswith(lex.cue("list-end")):
            return False
        item = before[: -len(joiner)]
        words = (*lex.cue("not-a-metric"), *lex.cue("metric-blocker"))
        return not item.endswith(words) and not ends_in_metric(item, self.pats.metric)

    def _mint(self, kind: str, name: str, names: tuple[str, ...]) -> Entity:
        for e in self.minted:
            if e.kind == kind and e.label == name:
                return e
        owner = self.main_company
        base = owner.iri if owner is not None else f"{ID}org/unknown"
        if kind == "segment":
            iri = f"{base}/{slug(name)}"
        else:
            iri = f"{ID}product/{slug(owner.label if owner else 'unknown')}/{slug(name)}"
        e = Entity(
            iri=iri,
            kind=kind,
            label=name,
            parent=owner.iri if owner else None,
            known=False,
            names=names,
        )
        self.minted.append(e)
        return e

    def _company(self, name: str, aliases: tuple[str, ...]) -> Entity:
        """A company minted from the report, also known by its name without a legal suffix."""
        short = name
        for suffix in self.lexicon.cue("legal-suffix"):
            if short.endswith(suffix) and len(short) - len(suffix) >= 2:
                short = short[: -len(suffix)]
                break
        # （「本公司」…）: the words a report names itself by are no names of the company
        aliases = (*(a for a in aliases if a not in self.lexicon.cue("self")), short)
        if (bare := _PLACE_AT_END.sub("", short)) != short and len(bare) >= 2:
            aliases = (*aliases, bare)  # 华辰药业(上海)股份有限公司: also 华辰药业
        if name in self.marked:
            aliases = (*aliases, self.marked[name])  # 百川生物-B, as the list writes it
        listed = self.lexicon.listed.get(name) if len(name) >= _LISTED_LEN else None
        return Entity(
            iri=f"{ID}org/{slug(name)}",
            kind="company",
            label=name,
            known=False,
            names=longest_first({name, *aliases}),
            identifiers=(listed,) if listed else (),
        )


#: A place in brackets ending a legal name's stem (华辰药业(上海), of 华辰药业(上海)股份有限公司).
_PLACE_AT_END = re.compile(rf"[（(][{HAN}]{{2,4}}[）)]$")

#: A line opening with a date (2026-02-26 07:40 …, 2026年2月26日 …): a dateline, no headline.
_DATED_LINE = re.compile(r"\s*(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")

#: A numbered line opened by a name and a colon, a figure later on the line (1. 晶拓能源：营收…).
_NUMBERED_NAME = re.compile(
    rf"(?m)^[ \t]*\d{{1,2}}[.、．][ \t]*(?P<n>[{HAN}]{{2,6}})[：:](?=[^\n]*\d)"
)

#: A part's name opening a line or an inline bullet before a colon (月饼系列产品:Q3营收…).
_LABELLED_PART = re.compile(
    rf"(?:(?m:^)|(?<=\s)[-–•·●▪]\s*)[ \t\-•·●▪]*(?P<n>[{HAN}A-Za-z]{{2,10}})\s*[：:]"
)

#: A headline's leading tag: 【23】, [港股], (更新).
_TAG = re.compile(r"^(?:[【\[(（][^】\])）]{0,8}[】\])）]\s*)+")

#: A broker app's ticker after a space (快手 $01024.HK, 网易 $09999.HK / $NTES): as long as the
#: same code in brackets, which the finder reads instead.
_DOLLAR_TICKER = re.compile(r" \$(\d{4,6}\.(?:HK|SH|SZ))(?![A-Za-z\d])")


#: Right after a company's name, a note's title on it (华辰电器点评：…).
_NOTE_TITLE = re.compile(r"点评\s*[：:]")


#: A list of names joined by 、 and a last 和/及/与, ending where a count of companies begins.
_COUNTED_LIST = re.compile(
    rf"(?<![{HAN}])[{HAN}]{{2,6}}(?:、[{HAN}]{{2,6}})*(?:和|及|与)[{HAN}]{{2,6}}$"
)


#: A name opening a clause or an item of a list, right before a figure in brackets (a ranking).
_RANKED_NAME = re.compile(
    rf"(?:^|(?<=[\n。，,；;、的为与和及]))(?P<n>[{HAN}A-Za-z]{{2,10}}?)(?=[（(]\s*\d)"
)

#: A capitalised Latin word and a space before a name in two scripts (HC Lanyun控股有限公司).
_LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z0-9&'-]* $")


def _latin_word_before(text: str, at: int, name: str) -> tuple[int, str]:
    """A name that opens with a Latin word, with the Latin word before it and its space."""
    if not name[:1].isascii() or not name[:1].isalpha() or name != text[at : at + len(name)]:
        return at, name
    word = _LATIN_WORD.search(text, max(0, at - 20), at)
    return (word.start(), word.group() + name) if word is not None else (at, name)


#: A Latin name of capitalised words (LANCHI Finance, Lanchi): a company's, before its ticker.
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z0-9&'-]*(?:\s[A-Z][A-Za-z0-9&'-]*){0,3}")


#: A Latin short name in brackets, quoted or not (（“PaaS”）, (SaaS)).
_LATIN_ALIAS = re.compile(r"[（(]\s*[“\"「]?[A-Za-z][A-Za-z0-9&\- ]{1,15}[”\"」]?\s*[）)]")


#: How far before a list's joiner the name of a metric is looked for (收入及其他收益).
JOINED_METRIC = 8


def ends_in_metric(item: str, metric: re.Pattern[str], reach: int = JOINED_METRIC) -> bool:
    """Whether a metric's name (``metric``) ends ``item``, begun in its last ``reach``
    characters: the item before a list's joiner is a metric's (收入及其他收益), no part's."""
    return any(
        (m := metric.match(item, k)) is not None and m.end() == len(item)
        for k in range(max(0, len(item) - reach), len(item))
    )


def _name_before(before: re.Match[str] | None, lexicon: Lexicon) -> str:
    """The name written right before a ticker's brackets, trimmed (Lanchi Inc. -> Lanchi)."""
    if before is None:
        return ""
    if before["latin"]:
        words = before["latin"].rstrip(".").split()
        while len(words) > 1 and words[-1].rstrip(".,") in lexicon.cue("latin-legal-suffix"):
            words.pop()
        return " ".join(words)
    at = before.start("name")
    if at > 0 and before.string[at - 1] in "）)" and len(before["name"]) > _LISTED_LONGEST:
        return ""  # (记者 华辰)中国电商平台运营商…: after a byline's bracket, a short name only
    name = trim_name(before["name"], lexicon)
    if at > 0 and before.string[at - 1] in "）)":  # 澄江A(02999)及澄江B(02999): a list's joiner
        joiner = next((w for w in lexicon.cue("series-joiner") if name.startswith(w)), "")
        if joiner and len(name) - len(joiner) >= 2:
            return name[len(joiner) :]
    return name


#: A name opening a clause and another right after it in brackets (…、华辰农商行(华辰银行)).
_BRACKET_PAIR = re.compile(
    rf"(?:^|(?<=[{re.escape(PUNCT_BEFORE_NAME)}]))(?P<n>[{HAN}]{{2,10}})"
    rf"[（(](?P<inner>[{HAN}]{{2,8}})[)）]"
)


#: After a known short name: a kind of business and a legal suffix (智飞生物|制品股份有限公司).
_LEGAL_TAIL = re.compile(
    r"[\u4e00-\u9fff]{0,4}?(?:[（(][\u4e00-\u9fff]{2,4}[）)])?"
    r"(?:集团股份有限公司|股份有限公司|有限责任公司|有限公司)"
)
#: A colon and a name with its code in brackets after a known name (华辰证券:澄江股份(600001)
#: 业绩稳健…): a portal's line of a broker's note, the name before the colon its writer.
_COLON_TICKER = re.compile(
    r"\s*[:：]\s*[\u4e00-\u9fffA-Za-z]{2,12}\s*[（(]\s*(?:[A-Za-z]{2}\.?)?\d{4,6}"
    r"(?:\.[A-Za-z]{2})?\s*[）)]"
)
#: A figure read as the name before a bracket (000元 of 152,300,000元(二零二三年:…)).
_AMOUNT_NAME = re.compile(r"[\d,.]*\d[\d,.]*\s*[千百万亿]*元?")
#: The colon of a note's title after its broker's name (华辰证券:澄江电器…).
_TITLE_COLON = re.compile(r"\s*[:：]\s*")
#: After a source's label, the names listed before the next (资料来源：贝格数据、).
_SOURCE_ITEMS = re.compile(r"\s*[:：]?\s*(?:[\u4e00-\u9fffA-Za-z]{2,16}\s*[、,，和及]\s*)*")
#: A name in quotes.
_QUOTED = re.compile(r"[“「『\"]([^”」』\"“「『]{2,12})[”」』\"]")
#: Where a legal name may begin: after a quote, a bracket, punctuation or a space.
_NAME_OPENER = '“"「（(，,。：:；; \t\n'


def _legal_span(text: str, start: int, end: int, *, reach: int = 4) -> tuple[int, int] | None:
    """Where the legal name around a known short name at ``start:end`` stands (“重庆智飞生物制品
    股份有限公司”: up to ``reach`` characters of a place before it, a kind of business, a place in
    brackets and a legal suffix after it; from the short name itself when no opener comes
    within ``reach``), or None."""
    tail = _LEGAL_TAIL.match(text, end, end + 14)
    if tail is None:
        return None
    for at in range(start, max(-1, start - reach - 1), -1):
        if at == 0 or text[at - 1] in _NAME_OPENER:
            return at, tail.end()
        if not "\u4e00" <= text[at - 1] <= "\u9fff":
            return None
    return start, tail.end()  # 快递公司中通快递(开曼)有限公司: no place before it


#: A short name and a share-class letter opening a clause (张裕A10月28日…, 张裕B发布…).
_CLASS_NAME = re.compile(
    r"(?:^|(?<=[\n。，,；;）)\s]))(?P<n>[\u4e00-\u9fff]{2,4}?)(?P<c>[AB])(?=\d|[\u4e00-\u9fff])"
)


#: The shortest listed name that confirms a company without its code beside it (the
#: two-character ones are mostly risk-warning forms: 联合, 春天).
_LISTED_LEN = 3
#: How far before a name a portal's label of it (研究机构:) is looked for.
_LABEL_REACH = 8
#: How far into a text a list of examples is looked for (its lead).
_EXAMPLES_REACH = 1000
#: The fewest characters of a listed name opening a clause with no cue after it (a shorter
#: one is too often a word: 国航, 海天).
_SUBJECT_LEN = 4
#: A sentence's or a semicolon's clause's first characters (after a bullet's mark).
_CLAUSE_OPENING = re.compile(
    rf"(?:^|(?<=[\n。！？；;]))[^\S\n]*[-–•·●]?[^\S\n]*(?P<n>[{HAN}]{{4,8}})"
)

#: The longest short name of a listed company looked for at a line's start.
_LISTED_LONGEST = 8

#: The risk warning of an A-share's short name (*ST集成, ST华辰), part of the name.
_RISK_MARK = re.compile(rf"\*?ST(?=[{HAN}])")


@lru_cache(maxsize=8)
def _listed_ends(lex: Lexicon) -> frozenset[str]:
    """The last characters of the listed companies' short names (``listed.tsv``)."""
    return frozenset(name[-1] for name in lex.listed if name)


def _leads_a_name(name: str, company: Entity) -> bool:
    """Whether ``name`` (compact, of 2 characters or more) opens one of the company's names
    (国泰 of 国泰航空): its short name, not another company's."""
    return len(name) >= 2 and any(n != name and n.startswith(name) for n in _compact(company))


def _compact(entity: Entity) -> list[str]:
    return [compact(n) for n in entity.names if len(compact(n)) >= 2]


def _subsequence(short: str, full: str) -> bool:
    """Whether ``short`` is written inside ``full`` in order, starting with its first character."""
    if not short or not full.startswith(short[0]):
        return False
    it = iter(full)
    return all(ch in it for ch in short)


#: An exchange filing's title as aggregators print it: name, code, year, kind of filing.
_FILING_TITLE = re.compile(
    rf"\s*(?P<name>[{HAN}A-Za-z]{{2,12}})\s*[（(]\d{{4,5}}[）)]\s*-\s*(?:19|20)\d{{2}}\s*-"
)

#: A line that is a name alone, over a line of bullets.
_HEADING_NAME = re.compile(
    rf"(?m)^[ \t#*【]*(?P<n>[{HAN}A-Za-z]{{2,10}})[ \t】：:]*\n[ \t]*[-•·●▪]"
)


@lru_cache(maxsize=4)
def _note_title(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A note's title line (华辰饮料:业绩超预期, 澄江电气(301999):三季报点评) over its source's
    line (华信证券· 2025-11-08 12:23) or over a line of its broker's label (机构:华信证券, a
    word of ``labels``): the name it opens with is the note's company."""
    label = alternation(list(labels)) if labels else "(?!)"
    return regex(
        rf"(?m)^[ \t]*(?P<name>[{HAN}A-Za-z0-9·]{{2,16}}?)\s*(?:[（(][^（()）\n]{{1,16}}[）)])?\s*"
        r"[:：][^\n]*\n(?:[^\n，。,；;]{2,24}?[·•|丨]\s*(?:19|20)\d{2}[-/.年]\d"
        rf"|[ \t]*(?:{label})[ \t]*[:：])"
    )


#: A note's title line in a portal's digest of notes, opening with its date (●2025-10-16
#: 华辰食品:半年报点评:利润改善 (华信证券 张三)): the name after the date is the note's company.
_DATED_NOTE_TITLE = re.compile(
    rf"(?m)^[ \t]*[●•·◆▪*\-]?[ \t]*(?:19|20)\d{{2}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}[ \t]+"
    rf"(?P<name>[{HAN}A-Za-z][{HAN}A-Za-z0-9·]{{1,15}}?)[ \t]*(?:[（(][^（()）\n]{{1,16}}[）)])?"
    r"[ \t]*[:：]"
)


#: After a name, the rest of a source's line: a dot or a bar and the date it published
#: (辰光能源网Chenguang.com · 2025-03-02 10:15), or its writer's name and the date written
#: with separators (澄江车讯 林晓 2025-03-02 08:15): the name is the source's, no company's.
_SOURCE_LINE = re.compile(
    r"[^\n，。,；;]{0,24}?[·•|丨]\s*(?:19|20)\d{2}[-/.年]\d"
    r"|[ \t\u3000]+[\u4e00-\u9fff]{2,4}[ \t\u3000]+(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d"
)


def _publishes(name: str, text: str) -> bool:
    """Whether ``text`` names ``name`` on a source's line anywhere (a listing of notes, each
    under 华辰证券· 2025-11-08 15:20): the name is the publisher's, no company reporting."""
    at = text.find(name)
    while at >= 0:
        if source_line_after(text, at + len(name)):
            return True
        at = text.find(name, at + 1)
    return False


def source_line_after(text: str, end: int) -> bool:
    """Whether the rest of a source's line follows a name ending at ``end`` (华辰证券· 2025-11-08
    15:20): the name is the publisher's."""
    return _SOURCE_LINE.match(text, end) is not None


def data_source_after(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether a data vendor's name (cue set ``data-vendor``) at ``text[start:end]`` is named
    as the source of the figures (同花顺数据，…; 同花顺(28.10, 0.12, 0.43%)iFinD统计数据显示:
    a quote may stand between), not as their subject."""
    return (
        compact(text[start:end]) in lexicon.cue("data-vendor")
        and _data_source_pattern(lexicon).match(text, end) is not None
    )


def _without_vendors(text: str, lexicon: Lexicon) -> str:
    """``text`` with each data vendor named as the figures' source blanked (offsets kept)."""
    vendors = regex(alternation(list(lexicon.cue("data-vendor"))))
    spans = [m.span() for m in vendors.finditer(text)]
    return blanked(text, [(a, b) for a, b in spans if data_source_after(text, a, b, lexicon)])


@lru_cache(maxsize=8)
def _data_source_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    follow = alternation(list(lexicon.cue("data-source-follow")))
    return regex(rf"[^\S\n]*(?:[(（][^()（）\n]{{0,30}}[)）])?[^\S\n]*(?:{follow})")


#: Where a clause or a sentence ends (the results word of 港交所公布中期业绩 stands before it).
_CLAUSE_OR_SENTENCE_END = re.compile(r"[，,。；;\n]")


#: A research page's byline block: the analyst's name alone on a line (2-3 characters), then
#: the broker's alone on the next (张明远⏎⏎中信证券⏎⏎辰光软件 计算机行业 2025-08-16 …).
_ANALYST_LINE = re.compile(r"[\u4e00-\u9fff]{2,3}")
#: How far into a text such a block may stand.
_BYLINE_REACH = 120


def _byline_block(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` is alone on its line right under an analyst's name
    line, near the top: the broker who wrote the note, not the company it is about."""
    if start > _BYLINE_REACH:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return False
    above = [ln.strip() for ln in text[:line_start].split("\n") if ln.strip()]
    return bool(above) and _ANALYST_LINE.fullmatch(above[-1]) is not None


#: Latin words run straight into Han characters (… Limited辰光国际…).
_LATIN_THEN_HAN = re.compile(r"[A-Za-z][A-Za-z .,&'()-]*[A-Za-z.)](?=[\u4e00-\u9fff])")


def _abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` is written inside ``name``, or is its abbreviation: its first two
    characters open the name, or open it after its place (广州市澄江软件…), and the rest follow
    in order (澄江股份 of 澄江水务集团股份公司)."""
    if short in name:
        return True
    name = name[len(m.group()) :] if (m := _PLACE_OPENING.match(name)) else name
    if len(short) < 4 or not name.startswith(short[:2]):
        return False
    rest = iter(name[2:])
    return all(ch in rest for ch in short[2:])


#: The place a legal name may open with (广州市, 浙江省杭州市), before its own words.
_PLACE_OPENING = re.compile(rf"(?:[{HAN}]{{2,3}}省)?[{HAN}]{{2,3}}市(?=[{HAN}]{{4}})")


def _head_lines(text: str, lines: int, *, scan: int) -> list[str]:
    """The first ``lines`` lines with text among the first ``scan`` lines, stripped."""
    return [ln.strip() for ln in text.split("\n", scan)[:scan] if ln.strip()][:lines]


def _standing_suffix(name: str, text: str, *, lines: int = 8) -> str:
    """The name as one of the text's first ``lines`` lines writes it alone, where that line is
    its end (最终数据以厦门华辰材料股份有限公司（以下简称“公司”）under a line 厦门华辰材料股份有限
    公司: the words before it are the sentence's)."""
    for line in text.split("\n", lines)[:lines]:
        head = line.strip()
        if 4 <= len(head) < len(name) and name.endswith(head):
            return head
    return name


def _byline_mark(text: str, end: int, lexicon: Lexicon) -> bool:
    """Whether a word ending a byline (讯, 电, 消息: cue set byline-end) stands at ``end`` as a
    word of its own, no character of a word after it (凤凰科技讯 北京时间…, 华辰财经讯：; not
    华辰科技电子)."""
    for w in lexicon.cue("byline-end"):
        if text.startswith(w, end):
            after = text[end + len(w) : end + len(w) + 1]
            return not (after and regex(rf"[{HAN}A-Za-z0-9]").match(after))
    return False


def _undoubled(name: str) -> str:
    """A name written twice in a row, as a page's logo and its text put it (华辰酒业华辰酒业): once.

    >>> _undoubled("华辰酒业华辰酒业"), _undoubled("华华科技")
    ('华辰酒业', '华华科技')
    """
    half = len(name) // 2
    return name[:half] if half >= 2 and name == name[:half] * 2 else name


def _after_broker(name: str, lexicon: Lexicon) -> str:
    """``name`` from after a broker's name and a word of cue set broker-object-marker
    (华信证券将澄江国际: 澄江国际), or ``name``."""
    for w in lexicon.cue("broker-object-marker"):
        at = name.find(w)
        if at > 0 and name[:at].endswith(lexicon.cue("broker-suffix")) and len(name) - at > 2:
            return name[at + len(w) :]
    return name


def trim_name(name: str, lexicon: Lexicon) -> str:
    """Drop words that precede a company name in a clause (dates, 'announced' ...)."""
    cpats = _company_patterns(lexicon)
    # 港股异动丨华辰科技: a headline's label before a separator is no part of the name
    seps = (*lexicon.cue("name-separator"), *lexicon.cue("group-member"))
    cut = max((name.rfind(w) + len(w) for w in seps if w in name), default=0)
    if 0 < cut <= len(name) - 2:
        name = name[cut:]
    name = _after_broker(name, lexicon)
    if cpats.date_in.search(name):
        name = cpats.date_cut.sub("", name, count=1)
        # 财中社1月21日电广宇集团: after a wire's date, its 电 / 讯 is no part of the name
        for w in lexicon.cue("byline-end"):
            if name.startswith(w) and len(name) - len(w) >= 2:
                name = name[len(w) :]
                break
    for w in (*lexicon.cue("name-lead"), *lexicon.cue("not-a-name")):
        if name.startswith(w) and len(name) - len(w) >= 2:
            name = name[len(w) :]
    # 中证智能财讯许继电气（000400）: a news agency's name glued before the company's (not a
    # two-character one: 本报告仅供… is no 本报)
    # one after another (上证报中国证券网讯华辰电器: a paper and its website)
    long_names = _cut_words(lexicon)
    while name.startswith(long_names):  # one test in C first
        w = next(w for w in long_names if name.startswith(w))
        if len(name) - len(w) < 2:
            break
        name = name[len(w) :]
        for end in lexicon.cue("byline-end"):  # 中证网讯华辰电器: its 讯 too
            if name.startswith(end) and len(name) - len(end) >= 2:
                name = name[len(end) :]
                break
    # 电商SaaS与营销服务提供商澜岳科技控股有限公司: the name starts after what the company is
    cut = max(
        (name.rfind(w) + len(w) for w in lexicon.cue("descriptor-end") if w in name), default=0
    )
    if 0 < cut <= len(name) - 4:
        name = name[cut:]
    # Chenguang International Limited辰光国际集团有限公司: the English name glued before the
    # Chinese legal name is no part of it
    glued = _LATIN_THEN_HAN.match(name)
    legal = lexicon.cue("latin-legal-suffix")
    if glued and len(name) - glued.end() >= 4 and glued.group().rstrip(".").endswith(legal):
        name = name[glued.end() :]  # not TCL中环: no English legal suffix before the Han
    # 领先教育公司华辰教育(开曼)有限公司: a descriptor ending in 公司 before a legal name
    at = name.find("公司")
    rest = name[at + 2 :] if at >= 0 else ""
    if len(rest) >= 4 and rest.endswith(lexicon.cue("legal-suffix")):
        name = rest
    # 华辰控股有限公司预期本集团: a legal name ends where its legal suffix does
    ends = [name.find(w) + len(w) for w in lexicon.cue("legal-suffix") if w in name[:-1]]
    if ends and min(ends) < len(name):
        name = name[: min(ends)]
    name = _undoubled(name)
    # 华辰教育今天公布: a time word between the name and its verb is no part of the name
    for w in lexicon.cue("name-tail"):
        if name.endswith(w) and len(name) - len(w) >= 2:
            return name[: -len(w)]
    return name
