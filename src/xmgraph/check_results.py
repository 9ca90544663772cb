"""Check results: what one check found (:class:`Check`), the figure it derived
(:class:`Derivation`), and how both are recorded in a graph under ``ontology/checks.ttl``,
where ``queries/consistency.rq`` lists them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import unquote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, QB, RDF, RDFS, XSD

from xmgraph.figures import SCENARIO_WORDS, Figure, checks_vocabulary
from xmgraph.model import Period, plain_decimal
from xmgraph.namespaces import (
    ID,
    QUALIFIER_IRIS,
    WORLD,
    XMG,
    hash12,
    observation_slug,
    period_iri,
    period_triples,
)
from xmgraph.precision import Bounds, rounded

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


@dataclass(frozen=True)
class Derivation(Figure):
    """An observation a check derived: not stated, implied by the observations it names."""

    qualifiers: tuple[str, ...]  #: in :data:`~xmgraph.model.QUALIFIERS` order, "derived" among them
    sources: tuple[URIRef, ...]  #: the source sentences of the observations it came from
    derived_from: tuple[URIRef, ...]
    dataset: URIRef | None

    @property
    def iri(self) -> URIRef:
        """``id:obs/<entity>-<metric>-<period>[-<region>][-<scenario>]-derived-<12 hex>``."""
        region = self.region if self.region != WORLD else None
        scenario = SCENARIO_WORDS.get(self.scenario)
        name = observation_slug(self.entity, self.metric, self.period, region, scenario)
        digest = hash12(*map(str, self.key), str(self.unit), plain_decimal(self.value))
        return ID["obs/" + name + "-derived-" + digest]


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
        digest = hash12(self.kind, self.facet, *sorted(map(str, self.used)))
        return ID[f"check/{self.kind}/{tail}-{digest}"]

    @property
    def is_violation(self) -> bool:
        return self.status in VIOLATIONS


def summary(checks: Iterable[Check]) -> dict[str, int]:
    """How many checks ended in each status (every status listed)."""
    counts = dict.fromkeys(STATUSES, 0)
    for check in checks:
        counts[check.status] += 1
    return counts


def iter_violations(checks: Iterable[Check]) -> Iterator[Check]:
    """The checks that failed: inconsistent figures and conflicts."""
    return (c for c in checks if c.is_violation)


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
    period = Period(code)
    iri = period_iri(period)
    if (iri, XMG.periodCode, None) not in graph:
        for triple in period_triples(period):
            graph.add(triple)
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
                graph.add((iri, prop, _number(rounded(number, 6))))
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
        graph.add((obs, XMG.qualifier, QUALIFIER_IRIS[q]))
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
