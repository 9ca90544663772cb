"""Precision: what a stated figure stands for, from how it is written.

A figure written ``765.6亿`` is known to 0.1亿: it stands for the interval ``765.55亿 ..
765.65亿`` (:class:`Bounds`), and the checks compare such intervals rather than points. The
header of ``ontology/checks.ttl`` explains how tolerances follow the stated precision.

>>> resolution(Decimal("76560000000"), ["小米2024年的毛利為765.6億元"])
Decimal('1E+7')
>>> resolution(Decimal("30"), ["同比增長30.0%"])
Decimal('0.1')
>>> resolution(Decimal("25"), ["將占四分之一"])  # not written in digits: the last non-zero digit
Decimal('1')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import cache

from xmgraph import resources

INF = Decimal("Infinity")
#: Longer numbers are no figures (:data:`xmgraph.patterns.MAX_NUMBER_CHARS`).
MAX_NUMBER_CHARS = 40

# ---------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Bounds:
    """A closed interval ``lo .. hi``; ``hi`` may be +infinity (a lower bound only)."""

    lo: Decimal
    hi: Decimal

    @property
    def finite(self) -> bool:
        return self.lo.is_finite() and self.hi.is_finite()

    def overlaps(self, other: Bounds) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def __add__(self, other: Bounds) -> Bounds:
        return Bounds(self.lo + other.lo, self.hi + other.hi)


def div(a: Decimal, b: Decimal) -> Decimal:
    """``a / b`` for positive ``b`` (``b`` may be infinite)."""
    if b.is_infinite():
        return Decimal(0) if a.is_finite() else INF
    return a / b


def rounded(value: Decimal, places: int = 4) -> Decimal:
    """``value`` rounded to ``places`` decimals, trailing zeros dropped (infinity as it is)."""
    if not value.is_finite():
        return value
    with localcontext() as context:  # digits enough for any value (28 by default)
        context.prec = max(context.prec, value.adjusted() + places + 2)
        return value.quantize(Decimal(1).scaleb(-places)).normalize()


def rounded_within(point: Decimal, bounds: Bounds, *, integral: bool) -> Decimal:
    """``point`` rounded to the largest power of ten that keeps it inside ``bounds``."""
    half = (bounds.hi - bounds.lo) / 2
    if half <= 0:
        return point
    step = Decimal(1).scaleb(half.adjusted())
    if integral and step < 1:
        step = Decimal(1)
    with localcontext() as context:  # digits enough for any value (28 by default)
        context.prec = max(context.prec, point.adjusted() - step.adjusted() + 2)
        return point.quantize(step).normalize()


# ---------------------------------------------------------------- precision


@cache
def _scales() -> tuple[tuple[str, Decimal], ...]:
    """Scale words written after digits (万, 億, bn ...), longest first: the lexicon's, in
    Simplified and Traditional (lexicon.ttl)."""
    words = {word.lower(): value for word, value in resources.scale_words().items()}
    return tuple(sorted(words.items(), key=lambda w: (-len(w[0]), w[0])))


@cache
def _number_re() -> re.Pattern[str]:
    scales = "|".join(re.escape(w) for w, _ in _scales())
    return re.compile(
        r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(" + scales + ")?", re.IGNORECASE
    )


def _fold(text: str) -> str:
    """Full-width digits, separators and signs folded (１，２８６.４ -> 1,286.4)."""
    return unicodedata.normalize("NFKC", text)


def written_steps(value: Decimal, texts: Iterable[str]) -> list[Decimal]:
    """The precision of each way ``value`` (in base units) is written in ``texts``.

    >>> written_steps(Decimal("168500000"), ["全球出貨量 1.685 億臺"])
    [Decimal('1E+5')]
    """
    target = abs(value)
    steps = []
    scale_of = dict(_scales())
    for text in texts:
        for m in _number_re().finditer(_fold(text)):
            if len(m[1]) + len(m[2] or "") > MAX_NUMBER_CHARS:
                continue  # no figure (patterns.read_digits)
            number = Decimal(m[1].replace(",", "") + (m[2] or ""))
            multiplier = scale_of[m[3].lower()] if m[3] else Decimal(1)
            if number * multiplier == target:
                exponent = number.as_tuple().exponent
                assert isinstance(exponent, int)
                steps.append((Decimal(1).scaleb(exponent) * multiplier).normalize())
    return steps


def resolution(value: Decimal, texts: Iterable[str]) -> Decimal:
    """The step ``value`` was stated to: from how it is written in its source sentences
    (the coarsest, if it is written more than once), else its last non-zero digit (which is
    never finer than what was written: 1090亿 is read as known to 10亿, not to 1亿)."""
    steps = written_steps(value, texts)
    if steps:
        return max(steps)
    if value == 0:
        return Decimal(1)
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(exponent)
