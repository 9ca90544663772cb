"""Figures: what the checks read from a graph (never from an extraction, so that graphs
written earlier can be checked too).

The observations with their five dimensions, unit, value, stated changes, qualifiers and
source sentences (:func:`read_observations`), and what the graph and ``ontology/checks.ttl``
say about their entities, metrics and units (:class:`Ontology`): labels, the segment tree,
which metrics add up, which metric a share is a share of.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, QB, RDF, RDFS, SKOS
from rdflib.term import Node

from xmgraph import resources
from xmgraph.model import QUALIFIERS, Period
from xmgraph.namespaces import QUALIFIER_IRIS, SCENARIO_IRIS, UNIT, XMG, iri_slug
from xmgraph.precision import INF, Bounds, resolution

PERCENT = UNIT["percent"]
PERCENTAGE_POINT = UNIT["percentage-point"]
HUNDRED = Decimal(100)
#: The dimensions of an observation: entity, metric, period code, region, scenario.
Key = tuple[URIRef, URIRef, str, URIRef, URIRef]

QUALIFIER_WORDS = {iri: word for word, iri in QUALIFIER_IRIS.items()}


def _words(scenario: str) -> str:
    """How a check's message names a scenario: forecast, or forecast, lower bound (an actual
    figure's range end: lower bound)."""
    base, _, end = scenario.partition("-")
    return ", ".join(w for w in (base if base != "actual" else "", end.replace("-", " ")) if w)


#: The scenarios other than the actual figures, by their qualifier word.
SCENARIO_WORDS = {iri: _words(w) for w, iri in SCENARIO_IRIS.items() if w != "actual"}


# ---------------------------------------------------------------- observations


@dataclass(frozen=True)
class Figure:
    """A value in a unit, with the five dimensions of an observation."""

    entity: URIRef
    metric: URIRef
    period: str
    region: URIRef
    scenario: URIRef
    unit: URIRef
    value: Decimal

    @property
    def key(self) -> Key:
        """The dimensions: entity, metric, period, region, scenario."""
        return (self.entity, self.metric, self.period, self.region, self.scenario)


@dataclass(frozen=True)
class Observation(Figure):
    """An observation of the graph, as the checks see it."""

    iri: URIRef
    yoy: Decimal | None
    qoq: Decimal | None
    qualifiers: frozenset[str]
    sources: tuple[URIRef, ...]
    texts: tuple[str, ...]
    dataset: URIRef | None

    @property
    def derived(self) -> bool:
        return "derived" in self.qualifiers

    @property
    def bounds(self) -> Bounds:
        """What the stated value stands for: half a step either side ("约": a whole step),
        or a lower bound only for 超过 / 不低于 and a range's lower end, an upper bound only for
        its upper end."""
        half = resolution(self.value, self.texts) / 2
        if "approximate" in self.qualifiers:
            half *= 2
        if self.qualifiers & {"more-than", "at-least", "lower-bound"}:
            return Bounds(self.value - half, INF)  # the lower end of a range, too
        if "upper-bound" in self.qualifiers:
            return Bounds(-INF, self.value + half)
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
            QUALIFIER_WORDS[q]
            for q in graph.objects(iri, XMG.qualifier)
            if isinstance(q, URIRef) and q in QUALIFIER_WORDS
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


# ---------------------------------------------------------------- what the ontology says


@cache
def checks_vocabulary() -> Graph:
    """``ontology/checks.ttl``, parsed once (E020 when it is broken)."""
    return resources.parse_ontology("checks.ttl")


class Ontology:
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
        return best[1] if best else iri_slug(str(node))

    def notation(self, node: Node) -> str:
        found = self.objects(node, SKOS.notation)
        return str(found[0]) if found else iri_slug(str(node))
