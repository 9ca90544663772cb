"""Clean-up filters and the tests behind them: translations, unknown heads, ranges, totals,
and the document stage's drops (thresholds beside the exact figure, roundings)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from xmgraph.diskcache import regex
from xmgraph.extract.rules import Rule, action
from xmgraph.lexicon import Lexicon
from xmgraph.model import Fact
from xmgraph.patterns import HAN, Mention, alternation, chinese_numeral


def translation(
    q: Mention, prev: Mention | None, window: str, approximate: tuple[str, ...]
) -> bool:
    """Whether ``q`` restates the amount before it in another currency: 24.3亿元(3.35亿美元),
    159亿元（约22.7亿美元）."""
    return (
        prev is not None
        and prev.kind == "quantity"
        and prev.unit is not None
        and q.unit is not None
        and prev.unit.currency
        and q.unit.currency
        and prev.unit.code != q.unit.code
        and re.sub(f"(?:{alternation(list(approximate))})$", "", window.strip()) in ("(", "（")
    )


@lru_cache(maxsize=8)
def _head_pattern(lex: Lexicon) -> tuple[re.Pattern[str], int]:
    """The pattern of an unknown head ending a text, and how far back from the end it can
    begin (searching only there finds what a search of the whole text finds)."""
    heads = alternation(list(lex.cue("unknown-head")))
    words = alternation([w for w in lex.cue("unknown-head") if len(w) >= 2])  # 市值, 费用
    reach = max((2 + len(w) for w in lex.cue("unknown-head")), default=0)
    return regex(rf"(?:[{HAN}]{{2}}(?:{heads})|(?:{words})|[A-Z]{{3,}})$"), max(reach, 3)


def unknown_head(window: str, lex: Lexicon) -> bool:
    """Whether the words right before a figure name something we have no metric for:
    客户数达1.32亿户, 管理费用为19.6亿元, EBITDA为1,218.5亿元, 融资成本减少至约310万元."""
    tail = window.rstrip()
    trailing = _trailing(lex)
    while tail.endswith(trailing):  # one test in C; the words tried in order only then
        w = next(w for w in trailing if tail.endswith(w))
        tail = tail[: -len(w)].rstrip()
    pattern, reach = _head_pattern(lex)
    return pattern.search(tail[-reach:]) is not None


@lru_cache(maxsize=8)
def _trailing(lex: Lexicon) -> tuple[str, ...]:
    """The words read past at the end of a window before its head (为, 约, 增长至 …)."""
    cues = ("copula", "approximate", "more-than", "to", "increase", "decrease", "yoy", "qoq")
    return tuple(w for cue in cues for w in lex.cue(cue))


def shares_per(before: str, lex: Lexicon) -> Decimal:
    """How many shares a per-share figure is written for: 每10股派发现金红利… -> 10."""
    per, word = alternation(list(lex.cue("per"))), alternation(list(lex.cue("share-word")))
    numerals = "".join(lex.numerals)
    found = list(re.finditer(rf"(?:{per})\s*(?P<n>\d+|[{numerals}]+)\s*(?:{word})", before))
    if not found:  # 拟10派1.5元: a dividend for 10 shares, the verb right after the count
        verb = alternation(list(lex.cue("dividend-verb")))
        found = list(re.finditer(rf"(?<![\d.])(?P<n>\d+)\s*(?:{verb})", before))
    if not found:
        return Decimal(1)
    n = found[-1]["n"]
    count = int(n) if n.isdigit() else chinese_numeral(n, lex)
    return Decimal(count) if count else Decimal(1)


def is_range(
    q: Mention,
    prev: Mention | None,
    rest: tuple[Mention, ...],
    text: str,
    joiners: tuple[str, ...],
    per: tuple[str, ...] = (),
    moves: tuple[str, ...] = (),
    enclosed: Between = ((), (), ()),
    approx: tuple[str, ...] = (),
) -> bool:
    """Whether a quantity is an end of a range (10.40欧元至11.00欧元, 5%-8%): a figure of the
    same unit before or after it, with only a ``joiners`` word between (and the ``per`` word
    of its unit: 0.12元/股 - 0.15元/股; an ``approx`` word before the second: 约1300万元至约
    1600万元), or an ``enclosed`` joiner inside its lead and end words (介于21%和23%之间); not a
    move from one to the other, a ``moves`` word shortly before the first (从去年同期的44亿元至
    50亿元)."""

    def moved(first: Mention) -> bool:
        before = text[max(0, first.start - _MOVE_REACH) : first.start]
        at = max((before.rfind(w) for w in moves), default=-1)
        return at >= 0 and not any(ch.isdigit() or ch in joiners for ch in before[at + 1 :])

    def between(a: Mention, b: Mention) -> str:
        gap = text[a.end : b.start].strip()
        for word in sorted(approx, key=len, reverse=True):
            if gap.endswith(word) and len(gap) > len(word):
                gap = gap[: -len(word)].strip()
                break
        for word in per:
            if gap.startswith(word):
                return gap[len(word) :].strip()
        return gap

    def same_unit(a: Mention, b: Mention) -> bool:
        """``a`` then ``b`` have one unit, or the unit is written once, after the second end
        (3.2億至3.5億元)."""
        return a.kind == b.kind == "quantity" and (
            (a.unit.code if a.unit else None) == (b.unit.code if b.unit else None)
            or (a.unit is None and a.scaled and b.scaled and not b.percent)
        )

    def joined(a: Mention, b: Mention) -> bool:
        gap = between(a, b)
        return gap in joiners or _between_joined(text, a, b, gap, enclosed)

    nxt = rest[0] if rest else None
    if nxt is not None and same_unit(q, nxt) and joined(q, nxt):
        return not moved(q)
    return prev is not None and same_unit(prev, q) and joined(prev, q) and not moved(prev)


#: A range written with a lead, a joiner and an end word (介于…和…之间): the three cue sets.
Between = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def lexicon_range(
    q: Mention,
    prev: Mention | None,
    rest: tuple[Mention, ...],
    text: str,
    lex: Lexicon,
    *,
    joiners: str = "range-joiner",
    moves: tuple[str, ...] = (),
) -> bool:
    """:func:`is_range` with the lexicon's words: the cue set ``joiners``, the per-share unit's
    denominators, the enclosing words (介于…之间) and the approximate words (约)."""
    return is_range(
        q,
        prev,
        rest,
        text,
        lex.cue(joiners),
        lex.cue("unit-denominator"),
        moves=moves,
        enclosed=between_words(lex),
        approx=lex.cue("approximate"),
    )


def between_words(lex: Lexicon) -> Between:
    """The words of a range written 介于X和Y之间 (cue sets range-between-lead, -joiner, -end)."""
    return (
        lex.cue("range-between-lead"),
        lex.cue("range-between-joiner"),
        lex.cue("range-between-end"),
    )


def _between_joined(text: str, a: Mention, b: Mention, gap: str, words: Between) -> bool:
    """``gap`` is a between-joiner, a lead word stands right before ``a`` (a few characters:
    介于约) and an end word right after ``b``."""
    leads, joiners, ends = words
    if gap not in joiners:
        return False
    before = text[max(0, a.start - _LEAD_REACH) : a.start]
    at = max((before.rfind(w) + len(w) for w in leads if w in before), default=-1)
    if at < 0 or any(ch.isdigit() for ch in before[at:]):
        return False
    return text[b.end : b.end + 4].lstrip().startswith(ends) if ends else False


#: How far before a range's first end its lead word (介于) may stand.
_LEAD_REACH = 6


#: How far before a range's first end a move word (从) makes it a move, not a range.
_MOVE_REACH = 10


# ---------------------------------------------------------------- the sentence and document stages

Facts = tuple[Fact, ...]


@action("sentence", "drop-bounds")
@action("document", "drop-bounds")
def drop_bounds(facts: Facts, rule: Rule) -> Facts:
    """Drop a threshold (破千亿元) where the sentence, or the report, states the exact figure
    that passes it."""

    def key(f: Fact) -> tuple[object, ...]:
        return (f.entity.iri, f.metric, f.period, f.region, "target" in f.qualifiers)

    bound = {"more-than", "at-least"}
    exact: dict[tuple[object, ...], list[Decimal]] = {}
    for f in facts:
        if not bound & set(f.qualifiers):
            exact.setdefault(key(f), []).append(f.value)
    return tuple(
        f
        for f in facts
        if not (bound & set(f.qualifiers) and any(v >= f.value for v in exact.get(key(f), ())))
    )


def _exponent(d: Decimal) -> int:
    e = d.normalize().as_tuple().exponent
    return e if isinstance(e, int) else 0


def _rounding_key(f: Fact, loose: frozenset[str]) -> tuple[object, ...]:
    qualifiers = tuple(q for q in f.qualifiers if q not in loose)
    return (f.entity.iri, f.metric, f.period, f.region, f.unit, qualifiers)


@action("document", "drop-conflicts")
def drop_conflicts(
    facts: Facts,
    rule: Rule,
    *,
    unless: Iterable[str] = (),
    apart: Iterable[str] = (),
    across: bool = False,
) -> Facts:
    """Drop the facts one sentence states with different values for the same company or part,
    metric, period, region, unit and qualifiers, made by the same rules of ``apart``
    (辰再国际盈利2.74亿元；辰光人寿盈利0.96亿元, the names unread: both on the part in force; but
    净亏损41.3亿元 and 归属于上市公司股东的净亏损42.6亿元 are two lines): which is right cannot
    be decided — unless one is the sum of the others (交付量9420辆，其中6120辆X7、3300辆X9: the
    total stays), or the metric is one of ``unless`` (a year's final and total dividends per
    share). ``across``: over the sentences of the whole text, where the first stated value
    stays (a figure the text states twice with values that are no rounding of each other)."""
    kept_metrics, apart = set(unless), set(apart)

    def key(f: Fact) -> tuple[object, ...]:
        side = tuple(r for r in f.rules if r in apart)
        return (
            -1 if across else f.source.start,
            f.entity.iri,
            f.metric,
            f.period,
            f.region,
            f.unit,
            f.qualifiers,
            side,
        )

    values: dict[tuple[object, ...], set[Decimal]] = {}
    for f in facts:
        values.setdefault(key(f), set()).add(f.value)

    first: dict[tuple[object, ...], Decimal] = {}
    for f in sorted(facts, key=lambda f: f.source.start) if across else ():
        first.setdefault(key(f), f.value)

    def stays(f: Fact) -> bool:
        found = values[key(f)]
        if len(found) == 1 or f.metric.rsplit("/", 1)[-1] in kept_metrics:
            return True
        total = max(found)
        if abs(sum(found) - 2 * total) <= abs(total) / 100:  # a total and its parts
            return f.value == total
        return across and f.value == first[key(f)]

    return tuple(f for f in facts if stays(f))


@action("document", "drop-restated-general")
def drop_restated_general(facts: Facts, rule: Rule, *, general: str, specific: str) -> Facts:
    """Drop a figure of the ``general`` metric (净利润 in a headline) that restates one of the
    ``specific`` metric (归母净利润 in the text): the same company, period, value, unit and
    qualifiers; its change goes to the specific one where that has none."""

    def key(f: Fact) -> tuple[object, ...]:
        return (f.entity.iri, f.period, f.value, f.unit, f.qualifiers, f.region)

    specifics = {key(f) for f in facts if f.metric.endswith("/" + specific)}
    changes: dict[tuple[object, ...], Decimal] = {}
    kept = []
    for f in facts:
        if f.metric.endswith("/" + general) and key(f) in specifics:
            if f.yoy_pct is not None:
                changes.setdefault(key(f), f.yoy_pct)
            continue
        kept.append(f)
    return tuple(
        replace(f, yoy_pct=changes[key(f)], rules=(*f.rules, rule.id))
        if f.yoy_pct is None and key(f) in changes and f.metric.endswith("/" + specific)
        else f
        for f in kept
    )


@action("document", "drop-through-zero")
def drop_through_zero(facts: Facts, rule: Rule) -> Facts:
    """Drop the change of a positive figure that fell by 100 % or more (a loss of 8.6亿元,
    大降155.2%): a figure that fell so far is nought or below it, so the change is of the
    profit that turned into the loss, or of another figure, and no change of this one."""

    def through_zero(change: Decimal | None) -> bool:
        return change is not None and change <= -100

    return tuple(
        replace(
            f,
            yoy_pct=None if through_zero(f.yoy_pct) else f.yoy_pct,
            qoq_pct=None if through_zero(f.qoq_pct) else f.qoq_pct,
            rules=(*f.rules, rule.id),
        )
        if f.value > 0 and (through_zero(f.yoy_pct) or through_zero(f.qoq_pct))
        else f
        for f in facts
    )


@action("document", "drop-roundings")
def drop_roundings(facts: Facts, rule: Rule, *, loose: Iterable[str] = ()) -> Facts:
    """Drop a figure that restates an earlier one of the same fact, rounded or more precise
    (126.54亿元 after the table's 1,265,432.18万元; 124.778亿元 after the lead's 125亿元: the
    first stated is the fact; the qualifiers in ``loose`` may differ); its change goes to the
    one kept."""
    loosened = frozenset(loose)
    first: dict[tuple[object, ...], list[Decimal]] = {}  # each key's values kept, in order
    changes: dict[tuple[tuple[object, ...], Decimal], Decimal] = {}
    kept: list[Fact] = []
    for f in facts:
        key = _rounding_key(f, loosened)
        same = next((v for v in first.get(key, ()) if _same_rounded(v, f.value)), None)
        if same is None:
            first.setdefault(key, []).append(f.value)
            kept.append(f)
        elif f.yoy_pct is not None:
            changes.setdefault((key, same), f.yoy_pct)
    return tuple(
        replace(f, yoy_pct=changes[_rounding_key(f, loosened), f.value], rules=(*f.rules, rule.id))
        if f.yoy_pct is None and (_rounding_key(f, loosened), f.value) in changes
        else f
        for f in kept
    )


def _same_rounded(a: Decimal, b: Decimal) -> bool:
    """Whether one of two different values is the other rounded (126.54 and 126.5432)."""
    if a == b or a == 0 or b == 0:
        return False
    coarse, fine = (a, b) if _exponent(a) > _exponent(b) else (b, a)
    step = Decimal(1).scaleb(_exponent(coarse))
    return _exponent(fine) < _exponent(coarse) and fine.quantize(step) == coarse
