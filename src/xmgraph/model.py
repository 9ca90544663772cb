"""The shared model: frozen dataclasses that flow from one pipeline stage to the next.

read -> :class:`Report`; normalize -> :class:`Document`; extract -> :class:`Extraction`
(made of :class:`Fact`, :class:`Entity`, :class:`Role`); build turns those into RDF.
Every stage imports this module and nothing from a later stage.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

#: Qualifier words of the facts table, in the order they are written.
QUALIFIERS = (
    "target",
    "forecast",
    "approximate",
    "at-least",
    "more-than",
    "lower-bound",
    "upper-bound",
    "derived",
)

#: The columns of the facts table (a contract: other tools read it).
FACT_COLUMNS = (
    "entity",
    "entity_label",
    "metric",
    "metric_label",
    "period",
    "value",
    "unit",
    "yoy_pct",
    "qualifier",
    "region",
    "source",
    "start",
    "end",
)


#: Columns the facts table carries beyond the contract, in JSON Lines only: a ratio's change
#: on the year before in percentage points (毛利率提升1.4个百分点: "1.4"), and the ids of the
#: extraction rules that made each fact, space-separated, in order.
FACT_EXTRA_COLUMNS = ("yoy_pp", "rules")


def plain_decimal(value: Decimal) -> str:
    """Write a decimal without exponent or trailing zeros.

    >>> plain_decimal(Decimal("765.6") * 10**8)
    '76560000000'
    >>> plain_decimal(Decimal("13.80"))
    '13.8'
    >>> plain_decimal(Decimal("-0.0"))
    '0'
    """
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Report:
    """A report file as read: its decoded text is the ORIGINAL every offset points into."""

    name: str  #: file name (no directories), as shown to users
    text: str  #: decoded text, BOM removed, line endings untouched
    sha256: str  #: hex digest of the file's bytes
    encoding: str  #: the encoding it was decoded with
    #: what reading it found wrong (a byte no encoding takes, replaced by U+FFFD)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Repair:
    """One step the normalizer took (as ftfy explains its fixes), for provenance.

    ``start``/``end`` are offsets in the original text; ``before`` is ``original[start:end]``.
    """

    kind: str  #: e.g. "pinyin-annotation", "full-width", "mojibake-realign", "unrepaired"
    start: int
    end: int
    before: str
    after: str
    note: str = ""


@dataclass(frozen=True)
class Document:
    """Normalized text for matching, with an exact map back to the original.

    ``text`` is Simplified, half-width, without pinyin annotations and with what could be
    repaired repaired. ``starts[i]``/``ends[i]`` give the original span that ``text[i]``
    came from, so ``text[a:b]`` came from ``report.text[starts[a]:ends[b - 1]]``.

    The context stage (:mod:`xmgraph.context`) adds ``published``, the date the text was
    published (relative periods such as 今年 and 去年 are read against it; maybe estimated), and
    ``boilerplate``, the spans of ``text`` (sorted, disjoint) that state no results.
    """

    report: Report
    text: str
    starts: Sequence[int]  #: a tuple, or an ``array("q")`` (a big report's 8 bytes each)
    ends: Sequence[int]
    repairs: tuple[Repair, ...] = ()
    warnings: tuple[str, ...] = ()
    published: date | None = None
    #: ``published`` is no dateline's but the earliest day the announced results came out
    published_estimated: bool = False
    boilerplate: tuple[tuple[int, int], ...] = ()

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``text[start:end]`` (non-empty) to ``(start, end)`` in the original."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.report.text)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


_PERIOD_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:Q(?P<q>[1-4])|H(?P<h>[12])|(?P<m>\d{2})(?:-(?P<d>\d{2}))?))?$"
)


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period by its facts-table code.

    ``YYYY``, ``YYYY-Qn``, ``YYYY-Hn``, ``YYYY-MM``, ``YYYY-MM-DD`` (a point in time) or an
    ISO 8601 interval ``YYYY-MM-DD/YYYY-MM-DD``.

    >>> Period("2024-Q4").bounds()
    (datetime.date(2024, 10, 1), datetime.date(2024, 12, 31))
    >>> Period("2024-12-31").is_instant
    True
    >>> Period("2024").previous_year().code
    '2023'
    """

    code: str

    def __post_init__(self) -> None:
        _check_period(self.code)

    def end_instant(self) -> Period:
        """The last day of the period (an instant stays itself).

        >>> Period("2025-H1").end_instant().code
        '2025-06-30'
        """
        return self if self.is_instant else Period(self.bounds()[1].isoformat())

    @property
    def is_instant(self) -> bool:
        """True for a point in time (``YYYY-MM-DD``)."""
        return "/" not in self.code and len(self.code) == 10

    @property
    def kind(self) -> str:
        """One of year, quarter, half, month, instant, interval."""
        return _period_kind(self.code)

    @property
    def year(self) -> int:
        """The calendar year the period ends in."""
        return self.bounds()[1].year

    def bounds(self) -> tuple[date, date]:
        """First and last day (equal for an instant)."""
        return _period_bounds(self.code)

    def previous_year(self) -> Period:
        """The same period one year earlier (上年同期)."""
        if "/" in self.code:
            a, b = self.bounds()
            return Period(f"{_shift(a)}/{_shift(b)}")
        if self.is_instant:
            return Period(_shift(self.bounds()[0]))
        return Period(str(int(self.code[:4]) - 1) + self.code[4:])

    @staticmethod
    def interval(first: date, last: date) -> Period:
        """The shortest code for the days ``first`` .. ``last``.

        >>> Period.interval(date(2024, 1, 1), date(2024, 9, 30)).code
        '2024-01-01/2024-09-30'
        >>> Period.interval(date(2024, 7, 1), date(2024, 12, 31)).code
        '2024-H2'
        """
        code = f"{first.isoformat()}/{last.isoformat()}"
        if first == last:
            code = first.isoformat()
        elif first.year == last.year and first.day == 1:
            y, month_end = first.year, calendar.monthrange(last.year, last.month)[1]
            if last.day == month_end:
                span = (first.month, last.month)
                named = {(1, 12): "", (1, 6): "-H1", (7, 12): "-H2"}
                named |= {(3 * q - 2, 3 * q): f"-Q{q}" for q in range(1, 5)}
                if span in named:
                    code = f"{y}{named[span]}"
                elif span[0] == span[1]:
                    code = f"{y}-{span[0]:02d}"
        return Period(code)


@lru_cache(maxsize=1 << 12)
def _check_period(code: str) -> None:
    """A ValueError for a bad period code (each good code checked once)."""
    if "/" in code:
        a, _, b = code.partition("/")
        if date.fromisoformat(a) > date.fromisoformat(b):
            raise ValueError(f"bad period interval: {code}")
    elif not _PERIOD_RE.match(code):
        raise ValueError(f"bad period code: {code}")
    else:
        try:
            _period_bounds(code)
        except ValueError as exc:
            raise ValueError(f"bad period code: {code}") from exc


@lru_cache(maxsize=1 << 12)
def _period_bounds(code: str) -> tuple[date, date]:
    """:meth:`Period.bounds`, once per code (a report asks it of the same few periods
    thousands of times: a regex and a parse each)."""
    if "/" in code:
        a, _, b = code.partition("/")
        return date.fromisoformat(a), date.fromisoformat(b)
    m = _PERIOD_RE.match(code)
    assert m is not None
    y = int(m["y"])
    if m["q"]:
        q = int(m["q"])
        last = 3 * q
        return date(y, last - 2, 1), date(y, last, calendar.monthrange(y, last)[1])
    if m["h"]:
        return (
            (date(y, 1, 1), date(y, 6, 30)) if m["h"] == "1" else (date(y, 7, 1), date(y, 12, 31))
        )
    if m["d"]:
        d = date(y, int(m["m"]), int(m["d"]))
        return d, d
    if m["m"]:
        mo = int(m["m"])
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    return date(y, 1, 1), date(y, 12, 31)


@lru_cache(maxsize=1 << 12)
def _period_kind(code: str) -> str:
    """:attr:`Period.kind`, once per code."""
    if "/" in code:
        return "interval"
    m = _PERIOD_RE.match(code)
    assert m is not None
    if m["q"]:
        return "quarter"
    if m["h"]:
        return "half"
    if m["d"]:
        return "instant"
    if m["m"]:
        return "month"
    return "year"


def _shift(d: date) -> str:
    last = calendar.monthrange(d.year - 1, d.month)[1]
    return date(d.year - 1, d.month, min(d.day, last)).isoformat()


@dataclass(frozen=True)
class Source:
    """Where a fact was stated: a sentence of a report, with offsets in the ORIGINAL text."""

    report_sha256: str
    report_name: str
    start: int
    end: int
    text: str  #: ``report.text[start:end]``, exactly


@dataclass(frozen=True)
class Entity:
    """Something facts are about: a company, segment, product, person or region.

    Known entities come from ``ontology/entities/*.ttl``; unknown ones are minted by extract
    with ``known=False`` and the name as written in the report.
    """

    iri: str
    kind: str  #: "company", "segment", "product", "person" or "region"
    label: str  #: English label where known, else the name as written
    parent: str | None = None  #: IRI of the company or segment it belongs to
    known: bool = True
    names: tuple[str, ...] = ()  #: names as written (for minted entities: the report's)
    identifiers: tuple[str, ...] = ()  #: a company's listings: "HKEX:1810", "SSE:600519"


@dataclass(frozen=True)
class Fact:
    """One figure stated in a report: the future ``qb:Observation``."""

    entity: Entity
    metric: str  #: IRI of a metric concept (skos:Concept)
    period: Period
    value: Decimal  #: in base units (yuan, not 亿元); percent as the percent number
    unit: str  #: ISO 4217 code, "percent", "percentage-point" or an English count noun
    source: Source
    yoy_pct: Decimal | None = None
    qoq_pct: Decimal | None = None
    yoy_pp: Decimal | None = None  #: a ratio's change on the year before, in percentage points
    qualifiers: tuple[str, ...] = ()  #: sorted in :data:`QUALIFIERS` order
    region: str | None = None  #: IRI of a region, when the figure is limited to one
    derived_from: tuple[str, ...] = field(default=())  #: observation IRIs, for derived facts
    rules: tuple[str, ...] = ()  #: ids of the rules that made and changed it, in order


@dataclass(frozen=True)
class Role:
    """A person holding a role (founder, chairman, CEO ...) in an organization."""

    person: Entity
    role: str  #: IRI of an ``org:Role``
    organization: str  #: IRI of the company
    source: Source


@dataclass(frozen=True)
class Extraction:
    """Everything extract found in one document."""

    report: Report
    facts: tuple[Fact, ...]
    entities: tuple[Entity, ...]  #: every entity a fact or role refers to
    roles: tuple[Role, ...] = ()
    repairs: tuple[Repair, ...] = ()
    warnings: tuple[str, ...] = ()
