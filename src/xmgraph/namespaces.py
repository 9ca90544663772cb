"""The xmgraph vocabularies as rdflib ``DefinedNamespace`` classes (a misspelt term fails),
and the IRIs every stage names alike: the world region, qualifiers, period kinds, periods.

>>> str(XMG.entity)
'https://w3id.org/xmgraph/ont#entity'
>>> XMG.entitty
Traceback (most recent call last):
...
AttributeError: term 'entitty' not in namespace 'https://w3id.org/xmgraph/ont#'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, TIME, XSD, DefinedNamespace

from xmgraph.model import Period

#: Instances: companies, segments, products, people, regions, periods, reports, observations.
ID = Namespace("https://w3id.org/xmgraph/id/")
#: Metric concepts (metrics.ttl); open-ended, so a plain Namespace.
METRIC = Namespace("https://w3id.org/xmgraph/metric/")
#: Units and currencies (units.ttl).
UNIT = Namespace("https://w3id.org/xmgraph/unit/")
#: Extraction rules (``ontology/rules/*.json``): ``rule:<id>``.
RULE = Namespace("https://w3id.org/xmgraph/rule/")


class XMG(DefinedNamespace):
    """Classes and properties of ``ontology/xmgraph.ttl``."""

    _NS = Namespace("https://w3id.org/xmgraph/ont#")
    _fail = True

    # classes
    Company: URIRef
    Segment: URIRef
    Product: URIRef
    Region: URIRef
    Metric: URIRef
    Unit: URIRef
    Currency: URIRef
    Scenario: URIRef
    Qualifier: URIRef
    Report: URIRef
    SourceSpan: URIRef
    PeriodKind: URIRef
    Repair: URIRef
    FactExtraction: URIRef
    ExtractionRule: URIRef
    appliedRule: URIRef
    ruleSequence: URIRef
    ruleStage: URIRef
    ruleFamily: URIRef
    # observation components
    entity: URIRef
    metric: URIRef
    period: URIRef
    region: URIRef
    scenario: URIRef
    value: URIRef
    unit: URIRef
    yoyChange: URIRef
    qoqChange: URIRef
    yoyChangePoints: URIRef
    qualifier: URIRef
    qualifierText: URIRef
    source: URIRef
    # scenarios and qualifiers
    Actual: URIRef
    Target: URIRef
    Forecast: URIRef
    ActualLowerBound: URIRef
    ActualUpperBound: URIRef
    TargetLowerBound: URIRef
    TargetUpperBound: URIRef
    ForecastLowerBound: URIRef
    ForecastUpperBound: URIRef
    Approximate: URIRef
    AtLeast: URIRef
    MoreThan: URIRef
    LowerBound: URIRef
    UpperBound: URIRef
    Derived: URIRef
    # periods
    periodCode: URIRef
    periodKind: URIRef
    year: URIRef
    Year: URIRef
    Half: URIRef
    Quarter: URIRef
    Month: URIRef
    Instant: URIRef
    Interval: URIRef
    # entities
    alias: URIRef
    productOf: URIRef
    inSeries: URIRef
    knownEntity: URIRef
    # metrics
    unitKind: URIRef
    Money: URIRef
    Count: URIRef
    Ratio: URIRef
    PerShare: URIRef
    defaultUnit: URIRef
    shareMetric: URIRef
    adjustedMetric: URIRef
    attributableMetric: URIRef
    recurringMetric: URIRef  # the metric of it excluding non-recurring items (扣非净利润)
    namesProduct: URIRef
    pointInTime: URIRef
    flowOnly: URIRef  # a flow over a period only (净增门店)
    companyLevel: URIRef  # the whole company's only (归母净利润, 每股收益)
    negativeMetric: URIRef  # a negative figure of it is a positive one of that (净亏损)
    minorWord: URIRef
    minorMultiplier: URIRef
    changeMultiplier: URIRef
    defaultMetric: URIRef
    oppositeOf: URIRef
    # provenance
    report: URIRef
    start: URIRef
    end: URIRef
    text: URIRef
    sha256: URIRef
    fileName: URIRef
    encoding: URIRef
    repair: URIRef
    repairKind: URIRef
    before: URIRef
    after: URIRef
    # roles
    Founder: URIRef
    Chairman: URIRef
    ViceChairman: URIRef
    CEO: URIRef
    President: URIRef
    CFO: URIRef
    # lexicon (lexicon.ttl)
    CueSet: URIRef
    cue: URIRef
    Scale: URIRef
    multiplier: URIRef
    Numeral: URIRef
    NumeralPlace: URIRef
    word: URIRef
    generic: URIRef
    prefixWord: URIRef
    figureWord: URIRef  # how a figure in a unit or scale is shown (the view)
    PeriodWord: URIRef
    periodTemplate: URIRef
    # checks (checks.ttl)
    CheckResult: URIRef
    CheckKind: URIRef
    CheckStatus: URIRef
    checkKind: URIRef
    status: URIRef
    focusObservation: URIRef
    derivedObservation: URIRef
    expected: URIRef
    lowerBound: URIRef
    upperBound: URIRef
    stated: URIRef
    resultUnit: URIRef
    GrowthCheck: URIRef
    ImpliedValueCheck: URIRef
    PartsWholeCheck: URIRef
    ShareTotalCheck: URIRef
    ShareValueCheck: URIRef
    RestatementCheck: URIRef
    Consistent: URIRef
    Inconsistent: URIRef
    Conflict: URIRef
    Remainder: URIRef
    MonotoneMetric: URIRef
    AdditiveMetric: URIRef
    shareOf: URIRef
    unitsComplete: URIRef
    complementRegion: URIRef
    ReportingEntity: URIRef


def _terms_made_once(namespace: type[DefinedNamespace]) -> None:
    """Each declared term of ``namespace`` a class attribute: a ``DefinedNamespace`` makes a
    new ``URIRef`` (checked, concatenated) on every read, and the builder reads ``XMG.value``
    and the like a hundred thousand times a corpus. Unknown names still fail."""
    for name in namespace.__annotations__:
        setattr(namespace, name, namespace._NS[name])


_terms_made_once(XMG)


class Terms:
    """An rdflib namespace whose terms are each made once, on first use (``Terms(RDF).type``
    is ``RDF.type``), for the builder's hot loops."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term: URIRef = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


#: Prefixes bound on every graph xmgraph writes, so Turtle output is stable and readable.
PREFIXES: dict[str, str] = {
    "xmg": str(XMG._NS),
    "id": str(ID),
    "metric": str(METRIC),
    "unit": str(UNIT),
    "rule": str(RULE),
    "org": "http://www.w3.org/ns/org#",
    "qb": "http://purl.org/linked-data/cube#",
    "time": "http://www.w3.org/2006/time#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "adms": "http://www.w3.org/ns/adms#",
}


#: The region of a figure that is not limited to one.
WORLD = ID["region/world"]

#: ``xmg:qualifier`` values, by the qualifier words of :data:`~xmgraph.model.QUALIFIERS`.
QUALIFIER_IRIS: dict[str, URIRef] = {
    "target": XMG.Target,
    "forecast": XMG.Forecast,
    "approximate": XMG.Approximate,
    "at-least": XMG.AtLeast,
    "more-than": XMG.MoreThan,
    "lower-bound": XMG.LowerBound,
    "upper-bound": XMG.UpperBound,
    "derived": XMG.Derived,
}
#: ``xmg:scenario`` values, by their notation: actual, target or forecast, and each of them
#: narrowed to a stated range's lower or upper end (forecast-lower-bound: xmg:ForecastLowerBound).
SCENARIO_IRIS: dict[str, URIRef] = {
    f"{base}{end}": XMG["".join(w.capitalize() for w in f"{base}{end}".split("-"))]
    for base in ("actual", "target", "forecast")
    for end in ("", "-lower-bound", "-upper-bound")
}
#: ``xmg:periodKind`` values, by :attr:`~xmgraph.model.Period.kind`.
PERIOD_KIND_IRIS: dict[str, URIRef] = {
    "year": XMG.Year,
    "half": XMG.Half,
    "quarter": XMG.Quarter,
    "month": XMG.Month,
    "instant": XMG.Instant,
    "interval": XMG.Interval,
}


def hash12(*parts: str) -> str:
    """12 hex digits of the SHA-256 of ``parts`` (joined by U+001F): the tail of minted IRIs."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=65536)
def iri_slug(iri: str) -> str:
    """A readable ASCII slug of an IRI's last segment.

    >>> iri_slug("https://w3id.org/xmgraph/metric/AdjustedNetProfit")
    'adjusted-net-profit'
    >>> iri_slug("https://w3id.org/xmgraph/id/segment/xiaomi/smartphone-x-aiot")
    'smartphone-x-aiot'
    >>> iri_slug("https://w3id.org/xmgraph/id/company/%E5%B0%8F%E7%B1%B3")
    'x'
    """
    tail = unquote(iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    tail = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", tail).lower()
    return re.sub(r"[^a-z0-9]+", "-", tail).strip("-")[:60] or "x"


def observation_slug(
    entity: str, metric: str, period: str, region: str | None, scenario: str | None
) -> str:
    """The readable head of an observation's IRI: ``<entity>-<metric>-<period>[-<region>]
    [-<scenario>]`` (an interval's ``/`` as ``--``), for the region and scenario given.

    >>> observation_slug(str(ID) + "org/xiaomi", str(METRIC) + "GrossProfit", "2024", None, None)
    'xiaomi-gross-profit-2024'
    """
    parts = [iri_slug(entity), iri_slug(metric), period.lower().replace("/", "--")]
    if region:
        parts.append(iri_slug(region))
    if scenario:
        parts.append(scenario)
    return "-".join(parts)


def period_iri(period: Period) -> URIRef:
    """``id:period/2024-Q4``; an interval's ``/`` becomes ``--``."""
    return ID["period/" + period.code.replace("/", "--")]


def period_triples(period: Period) -> Iterator[tuple[URIRef, URIRef, URIRef | Literal]]:
    """The node of a period: its code, kind, year, label and OWL-Time instant or interval."""
    iri = period_iri(period)
    yield iri, XMG.periodCode, Literal(period.code)
    yield iri, XMG.periodKind, PERIOD_KIND_IRIS[period.kind]
    yield iri, XMG.year, Literal(period.year, datatype=XSD.integer)
    yield iri, RDFS.label, Literal(period.code)
    first, last = period.bounds()
    if period.is_instant:
        yield iri, RDF.type, TIME.Instant
        yield iri, TIME.inXSDDate, Literal(first.isoformat(), datatype=XSD.date)
        return
    yield iri, RDF.type, TIME.ProperInterval
    for prop, day in ((TIME.hasBeginning, first), (TIME.hasEnd, last)):
        instant = ID["instant/" + day.isoformat()]
        yield iri, prop, instant
        yield instant, RDF.type, TIME.Instant
        yield instant, TIME.inXSDDate, Literal(day.isoformat(), datatype=XSD.date)
