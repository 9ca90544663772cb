"""The xmgraph vocabularies as rdflib ``DefinedNamespace`` classes: a misspelt term fails.

>>> str(XMG.entity)
'https://w3id.org/xmgraph/ont#entity'
>>> XMG.entitty
Traceback (most recent call last):
...
AttributeError: term 'entitty' not in namespace 'https://w3id.org/xmgraph/ont#'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

#: Instances: companies, segments, products, people, regions, periods, reports, observations.
ID = Namespace("https://w3id.org/xmgraph/id/")
#: Metric concepts (metrics.ttl); open-ended, so a plain Namespace.
METRIC = Namespace("https://w3id.org/xmgraph/metric/")
#: Units and currencies (units.ttl).
UNIT = Namespace("https://w3id.org/xmgraph/unit/")


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
    qualifier: URIRef
    qualifierText: URIRef
    source: URIRef
    # scenarios and qualifiers
    Actual: URIRef
    Target: URIRef
    Forecast: URIRef
    Approximate: URIRef
    AtLeast: URIRef
    MoreThan: URIRef
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
    namesProduct: URIRef
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
    word: URIRef
    generic: URIRef
    prefixWord: URIRef
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


#: Prefixes bound on every graph xmgraph writes, so Turtle output is stable and readable.
PREFIXES: dict[str, str] = {
    "xmg": str(XMG._NS),
    "id": str(ID),
    "metric": str(METRIC),
    "unit": str(UNIT),
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
}
