"""Numeric cross-checks: does the report's arithmetic hold, within the precision it was stated?

The checks read the observations of a graph (never an extraction, so graphs written earlier
can be checked too) and compare figures that bear on each other:

- ``growth``: a stated year-on-year (or quarter-on-quarter) change against the two stated
  values (the seed's gross profit: 765.6 vs 574.76 -> +33.2 %: consistent);
- ``parts-whole``: the direct units of a whole (org:hasUnit) summed against it for metrics
  that add up, each product, unit or region not larger than its whole;
- ``share-total``: shares of one total (regions of a company, units of one whole) above 100 %;
- ``share-value``: a stated share against the stated part and whole;
- ``restatement``: the same fact stated twice with different values (a conflict);
- ``implied-value``: a value implied by others and not stated (the prior year's value from
  the growth rate, a part from its share of a whole) becomes an observation qualified
  ``derived``, ``prov:wasDerivedFrom`` the observations it came from.

Each check is a :class:`Check` with a deterministic IRI; :func:`record_checks` writes them
(and the derived observations) into a graph, where ``queries/consistency.rq`` lists them.
The vocabulary is ``ontology/checks.ttl``, whose header explains how tolerances follow the
stated precision (:func:`resolution`).

>>> resolution(Decimal("76560000000"), ["小米2024年的毛利為765.6億元"])
Decimal('1E+7')
>>> resolution(Decimal("30"), ["同比增長30.0%"])
Decimal('0.1')
>>> resolution(Decimal("25"), ["將占四分之一"])  # not written in digits: the last non-zero digit
Decimal('1')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from urllib.parse import unquote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, QB, RDF, RDFS, SKOS, TIME, XSD
from rdflib.term import Node

from xmgraph import resources
from xmgraph.errors import Errors, XmgraphError
from xmgraph.model import QUALIFIERS, Period, plain_decimal
from xmgraph.namespaces import ID, UNIT, XMG

#: The kinds of check, by their ``skos:notation`` in checks.ttl.
KINDS: dict[str, URIRef] = {
    "growth": XMG.GrowthCheck,
    "implied-value": XMG.ImpliedValueCheck,
    "parts-whole": XMG.PartsWholeCheck,
    "share-total": XMG.ShareTotalCheck,
    "share-value": XMG.ShareValueCheck,
    "restatement": XMG.RestatementCheck,
}
#: The outcomes of a check; ``inconsistent`` and ``conflict`` are violations.
STATUSES: dict[str, URIRef] = {
    "consistent": XMG.Consistent,
    "inconsistent": XMG.Inconsistent,
    "conflict": XMG.Conflict,
    "remainder": XMG.Remainder,
    "derived": XMG.Derived,
}
VIOLATIONS = frozenset({"inconsistent", "conflict"})

WORLD = ID["region/world"]
PERCENT = UNIT["percent"]
PERCENTAGE_POINT = UNIT["percentage-point"]
INF = Decimal("Infinity")
#: The dimensions of an observation: entity, metric, period code, region, scenario.
Key = tuple[URIRef, URIRef, str, URIRef, URIRef]
HUNDRED = Decimal(100)

_QUALIFIER_IRIS: dict[str, URIRef] = {
    "target": XMG.Target,
    "forecast": XMG.Forecast,
    "approximate": XMG.Approximate,
    "at-least": XMG.AtLeast,
    "more-than": XMG.MoreThan,
    "derived": XMG.Derived,
}
_QUALIFIER_WORDS = {iri: word for word, iri in _QUALIFIER_IRIS.items()}
_SCENARIO_WORDS = {XMG.Target: "target", XMG.Forecast: "forecast"}
_PERIOD_KINDS: dict[str, URIRef] = {
    "year": XMG.Year,
    "half": XMG.Half,
    "quarter": XMG.Quarter,
    "month": XMG.Month,
    "instant": XMG.Instant,
    "interval": XMG.Interval,
}


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


def _div(a: Decimal, b: Decimal) -> Decimal:
    """``a / b`` for positive ``b`` (``b`` may be infinite)."""
    if b.is_infinite():
        return Decimal(0) if a.is_finite() else INF
    return a / b


# ---------------------------------------------------------------- precision


@cache
def _scales() -> tuple[tuple[str, Decimal], ...]:
    """Scale words written after digits (万, 亿, bn ...), longest first, from lexicon.ttl."""
    path = resources.ontology_dir() / "lexicon.ttl"
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise XmgraphError(Errors.E020, path=path, reason=_one_line(exc)) from exc
    words: dict[str, Decimal] = {}
    for node in graph.subjects(RDF.type, XMG.Scale):
        multiplier = graph.value(node, XMG.multiplier)
        if multiplier is None:
            continue
        for word in graph.objects(node, XMG.word):
            words[str(word).lower()] = Decimal(str(multiplier))
    return tuple(sorted(words.items(), key=lambda w: (-len(w[0]), w[0])))


@cache
def _number_re() -> re.Pattern[str]:
    scales = "|".join(re.escape(w) for w, _ in _scales())
    return re.compile(
        r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(" + scales + ")?", re.IGNORECASE
    )


_TRADITIONAL_SCALES = str.maketrans({"億": "亿", "萬": "万"})


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_TRADITIONAL_SCALES)


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


# ---------------------------------------------------------------- observations


@dataclass(frozen=True)
class Observation:
    """An observation of the graph, as the checks see it."""

    iri: URIRef
    entity: URIRef
    metric: URIRef
    period: str
    region: URIRef
    scenario: URIRef
    unit: URIRef
    value: Decimal
    yoy: Decimal | None
    qoq: Decimal | None
    qualifiers: frozenset[str]
    sources: tuple[URIRef, ...]
    texts: tuple[str, ...]
    dataset: URIRef | None

    @property
    def key(self) -> Key:
        """The dimensions: entity, metric, period, region, scenario."""
        return (self.entity, self.metric, self.period, self.region, self.scenario)

    @property
    def derived(self) -> bool:
        return "derived" in self.qualifiers

    @property
    def bounds(self) -> Bounds:
        """What the stated value stands for: half a step either side ("约": a whole step),
        or a lower bound only for 超过 / 不低于."""
        half = resolution(self.value, self.texts) / 2
        if "approximate" in self.qualifiers:
            half *= 2
        if self.qualifiers & {"more-than", "at-least"}:
            return Bounds(self.value - half, INF)
        return Bounds(self.value - half, self.value + half)

    def change_bounds(self, change: Decimal) -> Bounds:
        """What a stated change in percent stands for (half a step either side)."""
        half = resolution(change, self.texts) / 2
        return Bounds(change - half, change + half)


def _decimal(node: Node | None) -> Decimal | None:
    if not isinstance(node, Literal):
        return None
    try:
        value = Decimal(str(node))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _span_order(graph: Graph, span: URIRef) -> tuple[str, int, int]:
    start = _decimal(graph.value(span, XMG.start))
    end = _decimal(graph.value(span, XMG.end))
    return (str(graph.value(span, XMG.report) or ""), int(start or 0), int(end or 0))


def read_observations(graph: Graph) -> list[Observation]:
    """Every observation with its five dimensions, a unit and a numeric value, by IRI.

    Observations missing any of those are left to the shapes (SHACL) to report.
    """
    out = []
    found = {s for s in graph.subjects(RDF.type, QB.Observation) if isinstance(s, URIRef)}
    for iri in sorted(found):
        parts = [graph.value(iri, p) for p in (XMG.entity, XMG.metric, XMG.region, XMG.unit)]
        scenario = graph.value(iri, XMG.scenario) or XMG.Actual
        period_node = graph.value(iri, XMG.period)
        code = graph.value(period_node, XMG.periodCode) if period_node is not None else None
        value = _decimal(graph.value(iri, XMG.value))
        entity, metric, region, unit = parts
        if value is None or code is None or not all(isinstance(p, URIRef) for p in parts):
            continue
        assert isinstance(entity, URIRef)
        assert isinstance(metric, URIRef)
        assert isinstance(region, URIRef)
        assert isinstance(unit, URIRef)
        try:
            Period(str(code))
        except ValueError:
            continue
        qualifiers = {
            _QUALIFIER_WORDS[q]
            for q in graph.objects(iri, XMG.qualifier)
            if isinstance(q, URIRef) and q in _QUALIFIER_WORDS
        }
        for text in graph.objects(iri, XMG.qualifierText):
            qualifiers.update(w for w in str(text).split() if w in QUALIFIERS)
        spans = [s for s in graph.objects(iri, XMG.source) if isinstance(s, URIRef)]
        spans.sort(key=lambda s: _span_order(graph, s))
        dataset = graph.value(iri, QB.dataSet)
        out.append(
            Observation(
                iri=iri,
                entity=entity,
                metric=metric,
                period=str(code),
                region=region,
                scenario=scenario if isinstance(scenario, URIRef) else XMG.Actual,
                unit=unit,
                value=value,
                yoy=_decimal(graph.value(iri, XMG.yoyChange)),
                qoq=_decimal(graph.value(iri, XMG.qoqChange)),
                qualifiers=frozenset(qualifiers),
                sources=tuple(spans),
                texts=tuple(str(graph.value(s, XMG.text) or "") for s in spans),
                dataset=dataset if isinstance(dataset, URIRef) else None,
            )
        )
    return out


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Derivation:
    """An observation a check derived: not stated, implied by the observations it names."""

    entity: URIRef
    metric: URIRef
    period: str
    region: URIRef
    scenario: URIRef
    unit: URIRef
    value: Decimal
    qualifiers: tuple[str, ...]  #: in :data:`~xmgraph.model.QUALIFIERS` order, "derived" among them
    sources: tuple[URIRef, ...]  #: the source sentences of the observations it came from
    derived_from: tuple[URIRef, ...]
    dataset: URIRef | None

    @property
    def key(self) -> Key:
        return (self.entity, self.metric, self.period, self.region, self.scenario)

    @property
    def iri(self) -> URIRef:
        """``id:obs/<entity>-<metric>-<period>[-<region>][-<scenario>]-derived-<12 hex>``."""
        parts = [_slug(self.entity), _slug(self.metric), self.period.lower().replace("/", "--")]
        if self.region != WORLD:
            parts.append(_slug(self.region))
        if self.scenario in _SCENARIO_WORDS:
            parts.append(_SCENARIO_WORDS[self.scenario])
        digest = _hash12(*map(str, self.key), str(self.unit), plain_decimal(self.value))
        return ID["obs/" + "-".join(parts) + "-derived-" + digest]


@dataclass(frozen=True)
class Check:
    """One numeric cross-check and its outcome."""

    kind: str  #: a key of :data:`KINDS`
    status: str  #: a key of :data:`STATUSES`
    focus: URIRef  #: the observation it is about
    used: tuple[URIRef, ...]  #: every observation it compared (the focus among them)
    message: str  #: for people, one line
    unit: URIRef | None = None  #: the unit of expected / bounds / stated
    expected: Decimal | None = None
    bounds: Bounds | None = None
    stated: Decimal | None = None
    derived: Derivation | None = None
    facet: str = ""  #: tells apart two checks of one kind over the same observations

    @property
    def iri(self) -> URIRef:
        """``id:check/<kind>/<focus>-<12 hex of kind, facet and the observations used>``."""
        tail = unquote(str(self.focus).rsplit("/", 1)[-1])
        tail = re.sub(r"-[0-9a-f]{12}$", "", tail)[:80] or "x"
        digest = _hash12(self.kind, self.facet, *sorted(map(str, self.used)))
        return ID[f"check/{self.kind}/{tail}-{digest}"]

    @property
    def is_violation(self) -> bool:
        return self.status in VIOLATIONS


def _hash12(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def _slug(iri: str) -> str:
    tail = unquote(iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    tail = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", tail).lower()
    return re.sub(r"[^a-z0-9]+", "-", tail).strip("-")[:60] or "x"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


# ---------------------------------------------------------------- what the ontology says


@cache
def checks_vocabulary() -> Graph:
    """``ontology/checks.ttl``, parsed once (E020 when it is broken)."""
    path = resources.ontology_dir() / "checks.ttl"
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise XmgraphError(Errors.E020, path=path, reason=_one_line(exc)) from exc
    return graph


class _Ontology:
    """What the checks need from the graph and checks.ttl: labels, the segment tree, kinds
    of metric, which metric a share is a share of."""

    def __init__(self, graph: Graph) -> None:
        self.graphs = (graph, checks_vocabulary())
        self._units: dict[URIRef, tuple[URIRef, ...]] = {}
        self._parents: dict[URIRef, URIRef | None] = {}

    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        found = {o for g in self.graphs for o in g.objects(subject, predicate)}
        return sorted(found, key=str)

    def subjects(self, predicate: URIRef, obj: Node) -> list[Node]:
        found = {s for g in self.graphs for s in g.subjects(predicate, obj)}
        return sorted(found, key=str)

    def types(self, node: Node) -> set[Node]:
        return set(self.objects(node, RDF.type))

    def monotone(self, metric: URIRef) -> bool:
        return bool(self.types(metric) & {XMG.MonotoneMetric, XMG.AdditiveMetric})

    def additive(self, metric: URIRef) -> bool:
        return XMG.AdditiveMetric in self.types(metric)

    def units(self, whole: URIRef) -> tuple[URIRef, ...]:
        """The direct units of a whole (org:hasUnit, or org:unitOf the other way)."""
        if whole not in self._units:
            found = set(self.objects(whole, ORG.hasUnit)) | set(self.subjects(ORG.unitOf, whole))
            self._units[whole] = tuple(
                sorted(u for u in found if isinstance(u, URIRef) and u != whole)
            )
        return self._units[whole]

    def parent(self, entity: URIRef) -> URIRef | None:
        """The whole an entity is a direct unit of."""
        if entity not in self._parents:
            found = set(self.objects(entity, ORG.unitOf)) | set(self.subjects(ORG.hasUnit, entity))
            parents = sorted(p for p in found if isinstance(p, URIRef) and p != entity)
            self._parents[entity] = parents[0] if parents else None
        return self._parents[entity]

    def root(self, entity: URIRef) -> URIRef:
        seen = {entity}
        while (up := self.parent(entity)) is not None and up not in seen:
            seen.add(up)
            entity = up
        return entity

    def products(self, whole: URIRef) -> tuple[URIRef, ...]:
        found = set(self.subjects(XMG.productOf, whole)) | set(self.subjects(XMG.inSeries, whole))
        return tuple(sorted(p for p in found if isinstance(p, URIRef) and p != whole))

    def known(self, entity: URIRef) -> bool:
        """Known from an entity file (its units are all named there), not minted from a report."""
        return not any(str(v).lower() == "false" for v in self.objects(entity, XMG.knownEntity))

    def units_complete(self, whole: URIRef) -> bool:
        return any(str(v).lower() == "true" for v in self.objects(whole, XMG.unitsComplete))

    def complement(self, region: URIRef) -> URIRef | None:
        found = [r for r in self.objects(region, XMG.complementRegion) if isinstance(r, URIRef)]
        found += [r for r in self.subjects(XMG.complementRegion, region) if isinstance(r, URIRef)]
        return min(found) if found else None

    def part_metric(self, share: URIRef) -> URIRef | None:
        """The metric a share metric is the share of a part of (收入 for 收入占比)."""
        found = [m for m in self.subjects(XMG.shareMetric, share) if isinstance(m, URIRef)]
        return found[0] if found else None

    def total_metric(self, share: URIRef) -> URIRef | None:
        found = [m for m in self.objects(share, XMG.shareOf) if isinstance(m, URIRef)]
        return found[0] if found else self.part_metric(share)

    def unit_fits(self, metric: URIRef, unit: URIRef) -> bool:
        """Whether ``unit`` fits the metric's kind (the shapes report it when not)."""
        kinds = set(self.objects(metric, XMG.unitKind))
        money = XMG.Currency in self.types(unit)
        ratio = unit in (PERCENT, PERCENTAGE_POINT)
        if kinds & {XMG.Money, XMG.PerShare}:
            return money
        if XMG.Ratio in kinds:
            return ratio
        if XMG.Count in kinds:
            return not (money or ratio)
        return True

    def integral(self, unit: URIRef) -> bool:
        """Counts are whole numbers; money and percentages are not."""
        return unit not in (PERCENT, PERCENTAGE_POINT) and XMG.Currency not in self.types(unit)

    def label(self, node: Node) -> str:
        best: tuple[int, str] | None = None
        for g in self.graphs:
            for p in (RDFS.label, SKOS.prefLabel):
                for lit in g.objects(node, p):
                    lang = getattr(lit, "language", None) or ""
                    rank = 0 if lang.startswith("en") else 1 if lang.startswith("zh") else 2
                    if best is None or (rank, str(lit)) < best:
                        best = (rank, str(lit))
        return best[1] if best else _slug(str(node))

    def notation(self, node: Node) -> str:
        found = self.objects(node, SKOS.notation)
        return str(found[0]) if found else _slug(str(node))


# ---------------------------------------------------------------- formatting


def _grouped(value: Decimal) -> str:
    text = plain_decimal(value)
    whole, dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return sign + f"{int(whole.lstrip('-')):,}" + dot + frac


def _round(value: Decimal, places: int = 4) -> Decimal:
    if not value.is_finite():
        return value
    return value.quantize(Decimal(1).scaleb(-places)).normalize()


def _amount(value: Decimal, unit: URIRef, onto: _Ontology) -> str:
    if not value.is_finite():
        return "no upper bound"
    if unit == PERCENT:
        return f"{plain_decimal(_round(value))} %"
    return f"{_grouped(_round(value, 0 if abs(value) >= 1000 else 4))} {onto.notation(unit)}"


def _pct(value: Decimal) -> str:
    if not value.is_finite():
        return "+inf %" if value > 0 else "-inf %"
    sign = "+" if value > 0 else ""
    return f"{sign}{plain_decimal(_round(value))} %"


def _what(obs: Observation | Derivation, onto: _Ontology) -> str:
    """'Gross profit of Xiaomi Group, 2024' (with the region and scenario when there are)."""
    return _describe(obs.key, onto)


def _describe(key: Key, onto: _Ontology) -> str:
    entity, metric, period, region, scenario = key
    text = f"{onto.label(metric)} of {onto.label(entity)}"
    if region != WORLD:
        text += f" ({onto.label(region)})"
    text += f", {period}"
    if scenario in _SCENARIO_WORDS:
        text += f" ({_SCENARIO_WORDS[scenario]})"
    return text


def _quote(obs: Observation) -> str:
    text = " ".join(obs.texts[0].split()) if obs.texts else ""
    return f"“{text[:24]}…”" if len(text) > 24 else f"“{text}”"


def _rounded_within(point: Decimal, bounds: Bounds, *, integral: bool) -> Decimal:
    """``point`` rounded to the largest power of ten that keeps it inside ``bounds``."""
    half = (bounds.hi - bounds.lo) / 2
    if half <= 0:
        return point
    step = Decimal(1).scaleb(half.adjusted())
    if integral and step < 1:
        step = Decimal(1)
    return point.quantize(step).normalize()


# ---------------------------------------------------------------- the checks


def _previous(code: str, change: str) -> str | None:
    """The period a change compares with: a year earlier (``yoy``), or the period before
    (``qoq``: quarters, halves and months only)."""
    period = Period(code)
    if change == "yoy":
        return period.previous_year().code
    year = int(code[:4])
    if period.kind == "quarter":
        q = int(code[-1])
        return f"{year}-Q{q - 1}" if q > 1 else f"{year - 1}-Q4"
    if period.kind == "half":
        return f"{year}-H1" if code.endswith("H2") else f"{year - 1}-H2"
    if period.kind == "month":
        m = int(code[5:7])
        return f"{year}-{m - 1:02d}" if m > 1 else f"{year - 1}-12"
    return None


class _Run:
    """One run of the checks over the observations of a graph."""

    def __init__(self, onto: _Ontology, observations: list[Observation]) -> None:
        self.onto = onto
        self.checks: list[Check] = []
        self.derived_keys: set[Key] = set()
        #: the stated observations: checks never use derived ones
        self.inputs = [o for o in observations if not o.derived]
        self.by_key: dict[Key, list[Observation]] = defaultdict(list)
        for o in self.inputs:
            self.by_key[o.key].append(o)
        # derived observations of an earlier, recorded run do not count as stated
        self.stated_keys = {o.key for o in self.inputs}

    def one(self, key: Key, unit: URIRef | None = None) -> Observation | None:
        """The one stated observation of ``key`` (in ``unit``), or None (none, or several)."""
        found = [o for o in self.by_key.get(key, []) if unit is None or o.unit == unit]
        return found[0] if len(found) == 1 else None

    def add(self, check: Check) -> None:
        self.checks.append(check)

    def derive(
        self,
        check_kind: str,
        *,
        key: Key,
        unit: URIRef,
        point: Decimal,
        bounds: Bounds,
        inputs: Sequence[Observation],
        message: str,
    ) -> None:
        """Add a derived observation of ``key``, unless that fact is stated or derived."""
        if key in self.stated_keys or key in self.derived_keys:
            return
        if not all(self.onto.unit_fits(o.metric, o.unit) for o in inputs):
            return  # from a figure in a wrong unit: the shapes report that one
        self.derived_keys.add(key)
        value = _rounded_within(point, bounds, integral=self.onto.integral(unit))
        qualifiers = {"derived"} | {q for o in inputs for q in o.qualifiers & {"approximate"}}
        if key[4] in _SCENARIO_WORDS:
            qualifiers.add(_SCENARIO_WORDS[key[4]])
        sources = sorted({s for o in inputs for s in o.sources})
        derivation = Derivation(
            entity=key[0],
            metric=key[1],
            period=key[2],
            region=key[3],
            scenario=key[4],
            unit=unit,
            value=value,
            qualifiers=tuple(q for q in QUALIFIERS if q in qualifiers),
            sources=tuple(sources),
            derived_from=tuple(sorted(o.iri for o in inputs)),
            dataset=inputs[0].dataset,
        )
        text = f"{message}: {_amount(value, unit, self.onto)} (between "
        text += f"{_amount(bounds.lo, unit, self.onto)} and {_amount(bounds.hi, unit, self.onto)})"
        self.add(
            Check(
                kind=check_kind,
                status="derived",
                focus=inputs[0].iri,
                used=tuple(o.iri for o in inputs),
                message=text,
                unit=unit,
                expected=_round(point, 6),
                bounds=bounds,
                derived=derivation,
                facet=str(derivation.iri),
            )
        )

    # ------------------------------------------------------------ restatements

    def restatements(self) -> None:
        for _, group in sorted(self.by_key.items()):
            if len(group) == 1:
                obs = group[0]
                if len(obs.sources) > 1:
                    message = (
                        f"{_what(obs, self.onto)}: stated {len(obs.sources)} times, "
                        f"{_amount(obs.value, obs.unit, self.onto)} each time"
                    )
                    self.add(
                        Check(
                            "restatement",
                            "consistent",
                            obs.iri,
                            (obs.iri,),
                            message,
                            obs.unit,
                            stated=obs.value,
                        )
                    )
                continue
            units = {o.unit for o in group}
            clash = len(units) > 1 or any(
                not a.bounds.overlaps(b.bounds) for i, a in enumerate(group) for b in group[i + 1 :]
            )
            named = "; ".join(
                f"{_amount(o.value, o.unit, self.onto)} in {_quote(o)}" for o in group
            )
            why = "different units" if len(units) > 1 else "different values"
            if not clash:
                why = "values that agree within their precision"
            message = f"{_what(group[0], self.onto)}: stated with {why}: {named}"
            self.add(
                Check(
                    "restatement",
                    "conflict" if clash else "consistent",
                    group[0].iri,
                    tuple(o.iri for o in group),
                    message,
                )
            )

    # ------------------------------------------------------------ growth rates

    def growth(self) -> None:
        for obs in self.inputs:
            if obs.unit in (PERCENT, PERCENTAGE_POINT):
                continue  # a change of a ratio may be relative or in points: not checked
            for change, stated in (("yoy", obs.yoy), ("qoq", obs.qoq)):
                if stated is None:
                    continue
                previous = _previous(obs.period, change)
                if previous is None:
                    continue
                key = (obs.entity, obs.metric, previous, obs.region, XMG.Actual)
                priors = [p for p in self.by_key.get(key, []) if p.unit == obs.unit]
                if priors:
                    for prior in priors:
                        self.growth_check(obs, prior, change, stated)
                else:
                    self.prior_value(obs, key, change, stated)

    def growth_check(
        self, obs: Observation, prior: Observation, change: str, stated: Decimal
    ) -> None:
        v, p = obs.bounds, prior.bounds
        if p.lo <= 0 or prior.value <= 0:
            return  # no growth rate from a value that may be zero or negative
        computed = Bounds((_div(v.lo, p.hi) - 1) * HUNDRED, (_div(v.hi, p.lo) - 1) * HUNDRED)
        expected = (obs.value / prior.value - 1) * HUNDRED
        ok = computed.overlaps(obs.change_bounds(stated))
        word = "year on year" if change == "yoy" else "on the period before"
        message = (
            f"{_what(obs, self.onto)}: {_amount(obs.value, obs.unit, self.onto)} against "
            f"{_amount(prior.value, prior.unit, self.onto)} in {prior.period} is {_pct(expected)} "
            f"{word} (between {_pct(computed.lo)} and {_pct(computed.hi)} at the stated "
            f"precision); stated {_pct(stated)}: {'consistent' if ok else 'inconsistent'}"
        )
        self.add(
            Check(
                "growth",
                "consistent" if ok else "inconsistent",
                obs.iri,
                (obs.iri, prior.iri),
                message,
                PERCENT,
                _round(expected, 6),
                computed,
                stated,
            )
        )

    def prior_value(
        self,
        obs: Observation,
        key: Key,
        change: str,
        stated: Decimal,
    ) -> None:
        v, g = obs.bounds, obs.change_bounds(stated)
        if not v.finite or v.lo < 0 or len(self.by_key[obs.key]) > 1 or 1 + g.lo / HUNDRED <= 0:
            return  # a bound, a sign that may change, two values, or a fall of 100 % or more
        bounds = Bounds(v.lo / (1 + g.hi / HUNDRED), v.hi / (1 + g.lo / HUNDRED))
        point = obs.value / (1 + stated / HUNDRED)
        word = "year on year" if change == "yoy" else "on the period before"
        message = (
            f"{_describe(key, self.onto)}: implied by {_amount(obs.value, obs.unit, self.onto)} in "
            f"{obs.period} and {_pct(stated)} {word}"
        )
        self.derive(
            "implied-value",
            key=key,
            unit=obs.unit,
            point=point,
            bounds=bounds,
            inputs=[obs],
            message=message,
        )

    # ------------------------------------------------------------ parts and wholes

    def parts_whole(self) -> None:
        for whole in self.inputs:
            if not self.onto.monotone(whole.metric) or whole.unit in (PERCENT, PERCENTAGE_POINT):
                continue
            units = self.onto.units(whole.entity)
            if units:
                self.unit_parts(whole, units)
            products = self.onto.products(whole.entity)
            if products:
                self.each_part(whole, [(p, whole.region) for p in products], "its products")
            if whole.region == WORLD:
                regions = sorted(
                    {
                        o.region
                        for k, group in self.by_key.items()
                        for o in group
                        if k[:3] == whole.key[:3] and k[4] == whole.scenario and o.region != WORLD
                    }
                )
                if regions:
                    self.region_parts(whole, regions)

    def _part(self, whole: Observation, entity: URIRef, region: URIRef) -> Observation | None:
        return self.one((entity, whole.metric, whole.period, region, whole.scenario), whole.unit)

    def unit_parts(self, whole: Observation, units: tuple[URIRef, ...]) -> None:
        if not self.onto.additive(whole.metric):
            self.each_part(whole, [(u, whole.region) for u in units], "its units")
            return
        parts = [p for u in units if (p := self._part(whole, u, whole.region)) is not None]
        if not parts:
            return
        total = Bounds(Decimal(0), Decimal(0))
        for part in parts:
            total = total + part.bounds
        stated_sum = sum((p.value for p in parts), Decimal(0))
        w = whole.bounds
        # the units of a minted whole are only those the report named: not a full list
        every = len(parts) == len(units) and self.onto.known(whole.entity)
        names = ", ".join(self.onto.label(p.entity) for p in parts)
        message = (
            f"{_what(whole, self.onto)}: its units {names} add up to "
            f"{_amount(stated_sum, whole.unit, self.onto)} against "
            f"{_amount(whole.value, whole.unit, self.onto)}"
        )
        missing = [self.onto.label(u) for u in units if u not in {p.entity for p in parts}]
        if missing:
            message += f" (not stated: {', '.join(missing)})"
        larger = [self.onto.label(p.entity) for p in parts if p.bounds.lo > w.hi]
        if larger:
            status = "inconsistent"
            message += f": {', '.join(larger)} alone larger than the whole"
        elif total.lo > w.hi:
            status = "inconsistent"
            message += ": the parts exceed the whole (a unit nested in another, or unit figures "
            message += "before inter-segment eliminations?)"
        elif every and total.hi < w.lo:
            rest = whole.value - stated_sum
            share = f"{rest / whole.value * HUNDRED:.1f} %" if whole.value else ""
            tail = f"{_amount(rest, whole.unit, self.onto)} ({share}) is in no named unit"
            if self.onto.units_complete(whole.entity):
                status, message = "inconsistent", message + f": {tail}, but the units are complete"
            else:
                status, message = (
                    "remainder",
                    message + f": {tail} (an unnamed part such as 'others')",
                )
        else:
            status, message = "consistent", message + ": consistent"
        self.add(
            Check(
                "parts-whole",
                status,
                whole.iri,
                (whole.iri, *(p.iri for p in parts)),
                message,
                whole.unit,
                stated_sum,
                total,
                whole.value,
            )
        )

    def each_part(self, whole: Observation, keys: list[tuple[URIRef, URIRef]], what: str) -> None:
        parts = [p for e, r in keys if (p := self._part(whole, e, r)) is not None]
        if not parts:
            return
        w = whole.bounds

        def name(p: Observation) -> str:
            return self.onto.label(p.entity if p.region == whole.region else p.region)

        larger = [name(p) for p in parts if p.bounds.lo > w.hi]
        names = ", ".join(f"{name(p)} {_amount(p.value, p.unit, self.onto)}" for p in parts)
        message = f"{_what(whole, self.onto)}: {_amount(whole.value, whole.unit, self.onto)}"
        message += f"; {what}: {names}"
        if larger:
            status = "inconsistent"
            message += f": {', '.join(larger)} larger than the whole"
        else:
            status, message = "consistent", message + ": none larger than the whole"
        biggest = max(p.value for p in parts)
        self.add(
            Check(
                "parts-whole",
                status,
                whole.iri,
                (whole.iri, *(p.iri for p in parts)),
                message,
                whole.unit,
                biggest,
                None,
                whole.value,
            )
        )

    def region_parts(self, whole: Observation, regions: list[URIRef]) -> None:
        keys = [(whole.entity, r) for r in regions]
        self.each_part(whole, keys, "its regions")
        if not self.onto.additive(whole.metric):
            return
        for region in regions:
            other = self.onto.complement(region)
            if other is None or other < region or other not in regions:
                continue  # each complementary pair once
            a, b = self._part(whole, whole.entity, region), self._part(whole, whole.entity, other)
            if a is None or b is None:
                continue
            total, w = a.bounds + b.bounds, whole.bounds
            ok = total.overlaps(w)
            message = (
                f"{_what(whole, self.onto)}: {self.onto.label(region)} "
                f"{_amount(a.value, a.unit, self.onto)} and {self.onto.label(other)} "
                f"{_amount(b.value, b.unit, self.onto)} add up to "
                f"{_amount(a.value + b.value, whole.unit, self.onto)} against "
                f"{_amount(whole.value, whole.unit, self.onto)}: "
                f"{'consistent' if ok else 'inconsistent'}"
            )
            self.add(
                Check(
                    "parts-whole",
                    "consistent" if ok else "inconsistent",
                    whole.iri,
                    (whole.iri, a.iri, b.iri),
                    message,
                    whole.unit,
                    a.value + b.value,
                    total,
                    whole.value,
                    facet="complement",
                )
            )

    # ------------------------------------------------------------ shares

    def share_observations(self) -> list[Observation]:
        return [
            o
            for o in self.inputs
            if o.unit == PERCENT and self.onto.part_metric(o.metric) is not None
        ]

    def share_totals(self) -> None:
        groups: dict[tuple[str, ...], list[Observation]] = defaultdict(list)
        for s in self.share_observations():
            parent = self.onto.parent(s.entity)
            group: tuple[str, ...]
            if s.region != WORLD:
                group = ("regions", str(s.entity), str(s.metric), s.period, str(s.scenario))
            elif parent is not None:
                group = ("units", str(parent), str(s.metric), s.period, str(s.scenario))
            else:
                group = ("one", str(s.iri))
            groups[group].append(s)
        for group_key, shares in sorted(groups.items()):
            self.share_total(group_key[0], shares)

    def share_total(self, kind: str, shares: list[Observation]) -> None:
        total = Bounds(Decimal(0), Decimal(0))
        for s in shares:
            total = total + s.bounds
        stated_sum = sum((s.value for s in shares), Decimal(0))
        limit = Bounds(HUNDRED, HUNDRED)
        if kind == "units":
            parent = self.onto.parent(shares[0].entity)
            assert parent is not None
            own = self.one((parent, *shares[0].key[1:]), PERCENT)
            if own is not None:
                limit = own.bounds
        too_big = [s for s in shares if s.bounds.lo > HUNDRED]
        negative = [s for s in shares if s.bounds.hi < 0]
        complement_ok = True
        if kind == "regions":
            regions = {s.region: s for s in shares}
            for region, s in regions.items():
                other = self.onto.complement(region)
                if other in regions:
                    complement_ok &= (s.bounds + regions[other].bounds).overlaps(
                        Bounds(HUNDRED, HUNDRED)
                    )
        ok = total.lo <= limit.hi and not too_big and not negative and complement_ok

        def name(s: Observation) -> str:
            node = s.region if kind == "regions" else s.entity if kind == "units" else s.metric
            return self.onto.label(node)

        names = ", ".join(f"{name(s)} {_amount(s.value, PERCENT, self.onto)}" for s in shares)
        first = shares[0]
        total_metric = self.onto.total_metric(first.metric) or first.metric
        whole = (
            self.onto.label(self.onto.parent(first.entity) or first.entity)
            if kind == "units"
            else self.onto.label(first.entity)
        )
        message = f"Shares of {self.onto.label(total_metric)} of {whole}, {first.period}: {names}"
        if len(shares) > 1:
            message += f" add up to {_amount(stated_sum, PERCENT, self.onto)}"
        if not ok:
            reason = (
                "a share above 100 %"
                if too_big
                else "a negative share"
                if negative
                else (
                    "complementary regions that do not make 100 %"
                    if not complement_ok
                    else f"more than {_amount(limit.hi, PERCENT, self.onto)}"
                )
            )
            message += f": {reason}: inconsistent"
        else:
            message += ": not above 100 %: consistent"
        self.add(
            Check(
                "share-total",
                "consistent" if ok else "inconsistent",
                first.iri,
                tuple(s.iri for s in shares),
                message,
                PERCENT,
                stated_sum,
                total,
                limit.hi,
            )
        )

    def share_values(self) -> None:
        for share in self.share_observations():
            part_metric = self.onto.part_metric(share.metric)
            total_metric = self.onto.total_metric(share.metric)
            assert part_metric is not None
            assert total_metric is not None
            part_key = (share.entity, part_metric, share.period, share.region, share.scenario)
            if total_metric != part_metric:
                whole_entity, whole_region = share.entity, share.region
            elif share.region != WORLD:
                whole_entity, whole_region = share.entity, WORLD
            elif self.onto.parent(share.entity) is not None:
                whole_entity, whole_region = self.onto.root(share.entity), WORLD
            else:
                continue  # a company's share of its own total
            whole_key = (whole_entity, total_metric, share.period, whole_region, share.scenario)
            whole = self.one(whole_key)
            part = self.one(part_key, whole.unit) if whole is not None else self.one(part_key)
            if len(self.by_key.get(share.key, [])) > 1:
                continue
            if whole is not None and part is not None:
                self.share_check(share, part, whole)
            elif whole is not None and part is None:
                self.share_part(share, part_key, whole)
            elif part is not None and whole is None:
                self.share_whole(share, part, whole_key)

    def share_check(self, share: Observation, part: Observation, whole: Observation) -> None:
        p, w = part.bounds, whole.bounds
        if w.lo <= 0 or whole.value <= 0 or p.lo < 0:
            return
        computed = Bounds(_div(p.lo, w.hi) * HUNDRED, _div(p.hi, w.lo) * HUNDRED)
        expected = part.value / whole.value * HUNDRED
        ok = computed.overlaps(share.bounds)
        message = (
            f"{_what(share, self.onto)}: {_amount(part.value, part.unit, self.onto)} of "
            f"{_amount(whole.value, whole.unit, self.onto)} is "
            f"{_amount(expected, PERCENT, self.onto)} "
            f"(between {_amount(computed.lo, PERCENT, self.onto)} and "
            f"{_amount(computed.hi, PERCENT, self.onto)}); stated "
            f"{_amount(share.value, PERCENT, self.onto)}: {'consistent' if ok else 'inconsistent'}"
        )
        self.add(
            Check(
                "share-value",
                "consistent" if ok else "inconsistent",
                share.iri,
                (share.iri, part.iri, whole.iri),
                message,
                PERCENT,
                _round(expected, 6),
                computed,
                share.value,
            )
        )

    def share_part(self, share: Observation, key: Key, whole: Observation) -> None:
        s, w = share.bounds, whole.bounds
        if not (s.finite and w.finite) or s.lo < 0 or w.lo < 0:
            return
        bounds = Bounds(s.lo * w.lo / HUNDRED, s.hi * w.hi / HUNDRED)
        point = share.value * whole.value / HUNDRED
        message = (
            f"{_describe(key, self.onto)}: implied by "
            f"{_amount(share.value, PERCENT, self.onto)} of "
            f"{_amount(whole.value, whole.unit, self.onto)}"
        )
        self.derive(
            "implied-value",
            key=key,
            unit=whole.unit,
            point=point,
            bounds=bounds,
            inputs=[share, whole],
            message=message,
        )

    def share_whole(self, share: Observation, part: Observation, key: Key) -> None:
        s, p = share.bounds, part.bounds
        if not (s.finite and p.finite) or s.lo <= 0 or p.lo < 0:
            return
        bounds = Bounds(p.lo / s.hi * HUNDRED, p.hi / s.lo * HUNDRED)
        point = part.value / share.value * HUNDRED
        message = (
            f"{_describe(key, self.onto)}: implied by "
            f"{_amount(part.value, part.unit, self.onto)} being "
            f"{_amount(share.value, PERCENT, self.onto)} of it"
        )
        self.derive(
            "implied-value",
            key=key,
            unit=part.unit,
            point=point,
            bounds=bounds,
            inputs=[share, part],
            message=message,
        )


def run_checks(graph: Graph) -> list[Check]:
    """Run every check over the observations of ``graph`` (which is not changed).

    Observations qualified ``derived`` are never used: checks compare stated figures.
    Results are sorted by IRI.
    """
    run = _Run(_Ontology(graph), read_observations(graph))
    run.restatements()
    run.growth()
    run.parts_whole()
    run.share_totals()
    run.share_values()
    unique = {c.iri: c for c in run.checks}
    return [unique[iri] for iri in sorted(unique)]


# ---------------------------------------------------------------- recording


def remove_checks(graph: Graph) -> Graph:
    """Remove the check results recorded in ``graph`` and the observations they derived."""
    for check in list(graph.subjects(RDF.type, XMG.CheckResult)):
        for derived in list(graph.objects(check, XMG.derivedObservation)):
            graph.remove((derived, None, None))
        graph.remove((check, None, None))
    return graph


def _period_node(graph: Graph, code: str) -> URIRef:
    """The node of a period (as build names it: ``id:period/<code>``), added if missing."""
    iri = ID["period/" + code.replace("/", "--")]
    if (iri, XMG.periodCode, None) in graph:
        return iri
    period = Period(code)
    graph.add((iri, XMG.periodCode, Literal(code)))
    graph.add((iri, XMG.periodKind, _PERIOD_KINDS[period.kind]))
    graph.add((iri, XMG.year, Literal(period.year, datatype=XSD.integer)))
    graph.add((iri, RDFS.label, Literal(code)))
    first, last = period.bounds()
    if period.is_instant:
        graph.add((iri, RDF.type, TIME.Instant))
        graph.add((iri, TIME.inXSDDate, Literal(first.isoformat(), datatype=XSD.date)))
        return iri
    graph.add((iri, RDF.type, TIME.ProperInterval))
    for prop, day in ((TIME.hasBeginning, first), (TIME.hasEnd, last)):
        instant = ID["instant/" + day.isoformat()]
        graph.add((iri, prop, instant))
        graph.add((instant, RDF.type, TIME.Instant))
        graph.add((instant, TIME.inXSDDate, Literal(day.isoformat(), datatype=XSD.date)))
    return iri


def _number(value: Decimal) -> Literal:
    return Literal(plain_decimal(value), datatype=XSD.decimal)


def check_triples(graph: Graph, check: Check) -> None:
    """Add one check (and the observation it derived) to ``graph``."""
    iri = check.iri
    graph.add((iri, RDF.type, XMG.CheckResult))
    graph.add((iri, XMG.checkKind, KINDS[check.kind]))
    graph.add((iri, XMG.status, STATUSES[check.status]))
    graph.add((iri, XMG.focusObservation, check.focus))
    for used in check.used:
        graph.add((iri, PROV.used, used))
    graph.add((iri, RDFS.comment, Literal(check.message, lang="en")))
    if check.unit is not None:
        graph.add((iri, XMG.resultUnit, check.unit))
    for prop, number in ((XMG.expected, check.expected), (XMG.stated, check.stated)):
        if number is not None and number.is_finite():
            graph.add((iri, prop, _number(number)))
    if check.bounds is not None:
        for prop, number in ((XMG.lowerBound, check.bounds.lo), (XMG.upperBound, check.bounds.hi)):
            if number.is_finite():
                graph.add((iri, prop, _number(_round(number, 6))))
    d = check.derived
    if d is None:
        return
    obs = d.iri
    graph.add((iri, XMG.derivedObservation, obs))
    graph.add((obs, PROV.wasGeneratedBy, iri))
    graph.add((obs, RDF.type, QB.Observation))
    if d.dataset is not None:
        graph.add((obs, QB.dataSet, d.dataset))
    graph.add((obs, XMG.entity, d.entity))
    graph.add((obs, XMG.metric, d.metric))
    graph.add((obs, XMG.period, _period_node(graph, d.period)))
    graph.add((obs, XMG.region, d.region))
    graph.add((obs, XMG.scenario, d.scenario))
    graph.add((obs, XMG.value, _number(d.value)))
    graph.add((obs, XMG.unit, d.unit))
    for q in d.qualifiers:
        graph.add((obs, XMG.qualifier, _QUALIFIER_IRIS[q]))
    graph.add((obs, XMG.qualifierText, Literal(" ".join(d.qualifiers))))
    for span in d.sources:
        graph.add((obs, XMG.source, span))
    for other in d.derived_from:
        graph.add((obs, PROV.wasDerivedFrom, other))


def record_checks(graph: Graph, checks: Iterable[Check]) -> Graph:
    """Replace the checks recorded in ``graph`` with ``checks``, their derived observations
    and the vocabulary of ``ontology/checks.ttl``."""
    remove_checks(graph)
    for triple in checks_vocabulary():
        graph.add(triple)
    for check in checks:
        check_triples(graph, check)
    return graph


def check_graph(graph: Graph, *, record: bool = True) -> list[Check]:
    """Run the checks over ``graph``; with ``record`` (the default) write them into it."""
    checks = run_checks(remove_checks(graph) if record else graph)
    if record:
        record_checks(graph, checks)
    return checks


def summary(checks: Iterable[Check]) -> dict[str, int]:
    """How many checks ended in each status (every status listed)."""
    counts = dict.fromkeys(STATUSES, 0)
    for check in checks:
        counts[check.status] += 1
    return counts


def iter_violations(checks: Iterable[Check]) -> Iterator[Check]:
    """The checks that failed: inconsistent figures and conflicts."""
    return (c for c in checks if c.is_violation)
