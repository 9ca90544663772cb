"""Build: turn :class:`~xmgraph.model.Extraction` objects into RDF under our ontology.

A fact becomes a ``qb:Observation`` (see the header of ``ontology/xmgraph.ttl``) whose IRI
is derived from its key, so the same figure stated twice is ONE observation with two
``xmg:source`` spans, and building the same report twice gives the same graph.

>>> from decimal import ROUND_HALF_UP, Decimal
>>> from xmgraph.model import Entity, Fact, Period, Source
>>> src = Source("ab" * 32, "r.txt", 0, 5, "text.")
>>> fact = Fact(Entity("https://w3id.org/xmgraph/id/company/xiaomi", "company", "Xiaomi"),
...             "https://w3id.org/xmgraph/metric/GrossProfit", Period("2024"),
...             Decimal("76560000000"), "CNY", src)
>>> observation_iri(fact).removeprefix(str(ID))
'obs/xiaomi-gross-profit-2024-fcd8907d4391'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns
from rdflib.plugins.serializers.nt import _nt_row, _quote_encode, _quoteLiteral

from xmgraph import resources
from xmgraph.companies import (
    Gazetteer,
    Row,
    exchange_of,
    gazetteer_files,
    read_gazetteer,
    read_rows,
)
from xmgraph.errors import Errors, XmgraphError
from xmgraph.export import SortedRows, default_graph, skolemize
from xmgraph.model import (
    QUALIFIERS,
    Entity,
    Extraction,
    Fact,
    Period,
    Repair,
    Report,
    Source,
    plain_decimal,
)
from xmgraph.namespaces import (
    ID,
    PREFIXES,
    QUALIFIER_IRIS,
    RULE,
    SCENARIO_IRIS,
    UNIT,
    WORLD,
    XMG,
    Terms,
    hash12,
    observation_slug,
    period_iri,
    period_triples,
)

#: the standard vocabularies, each term made once (rdflib makes one per attribute read)
DCTERMS, FOAF, ORG, PROV = Terms(ns.DCTERMS), Terms(ns.FOAF), Terms(ns.ORG), Terms(ns.PROV)
QB, RDF, RDFS, SKOS = Terms(ns.QB), Terms(ns.RDF), Terms(ns.RDFS), Terms(ns.SKOS)

#: The ontology files merged into every built graph (``lexicon.ttl``/``shapes.ttl`` are not).
CORE_ONTOLOGY_FILES = ("xmgraph.ttl", "metrics.ttl", "units.ttl", "regions.ttl")
#: The data set every observation belongs to.
DATASET = ID["dataset"]
#: Where blank nodes of the ontology are skolemized to (deterministic IRIs).
GENID = str(ID) + "genid/"

_ENTITY_TYPES: dict[str, tuple[URIRef, ...]] = {
    "company": (XMG.Company, ORG.Organization),
    "segment": (XMG.Segment, ORG.OrganizationalUnit),
    "product": (XMG.Product,),
    "person": (FOAF.Person,),
    "region": (XMG.Region,),
}

Triple = tuple[URIRef, URIRef, URIRef | Literal]

ADMS = Terms(Namespace("http://www.w3.org/ns/adms#"))


# ---------------------------------------------------------------- IRIs


def scenario_of(qualifiers: Iterable[str]) -> str:
    """``target``, ``forecast`` or ``actual``, from a fact's qualifiers; an end of a stated
    range is a scenario of its own (``forecast-lower-bound``): the two ends of one range are two
    figures, neither the other restated (Data Cube IC-12 sees two observations).

    >>> scenario_of(("approximate", "target")), scenario_of(("forecast", "upper-bound"))
    ('target', 'forecast-upper-bound')
    """
    qs = set(qualifiers)
    base = "target" if "target" in qs else "forecast" if "forecast" in qs else "actual"
    bound = next((b for b in ("lower-bound", "upper-bound") if b in qs), None)
    return f"{base}-{bound}" if bound else base


def observation_key(fact: Fact) -> tuple[str, ...]:
    """What makes two facts the same observation."""
    return (
        fact.entity.iri,
        fact.metric,
        fact.period.code,
        fact.region or "",
        scenario_of(fact.qualifiers),
        fact.unit,
        plain_decimal(fact.value),
    )


def observation_iri(fact: Fact) -> URIRef:
    """The observation's IRI: a readable slug and 12 hex digits of the key's SHA-256."""
    key = observation_key(fact)
    scenario = key[4] if key[4] != "actual" else None
    name = observation_slug(fact.entity.iri, fact.metric, fact.period.code, fact.region, scenario)
    return ID["obs/" + name + "-" + hash12(*key)]


def report_iri(sha256: str) -> URIRef:
    """``id:report/<sha256>``."""
    return ID[f"report/{sha256}"]


def span_iri(source: Source) -> URIRef:
    """``id:report/<sha256>/span/<start>-<end>``."""
    return ID[f"report/{source.report_sha256}/span/{source.start}-{source.end}"]


def unit_iri(code: str) -> URIRef:
    """``unit:CNY``, ``unit:percent``, ``unit:percentage-point`` ..."""
    return UNIT[quote(code, safe="-._~")]


def membership_iri(person: str, role: str, organization: str) -> URIRef:
    """``id:membership/<org>-<person>-<role>``, as the entity files name them.

    >>> str(membership_iri(str(ID) + "person/lei-jun", str(XMG.CEO), str(ID) + "org/xiaomi"))
    'https://w3id.org/xmgraph/id/membership/xiaomi-lei-jun-ceo'
    """
    org = organization.split("/org/", 1)[-1].replace("/", "-")
    who = person.split("/person/", 1)[-1].replace("/", "-")
    what = re.split(r"[#/]", role)[-1].lower()
    local = f"{org}-{who}-{what}"
    if not re.fullmatch(r"[a-z0-9-]+", local):  # IRIs from elsewhere: keep them short and safe
        local = hash12(person, role, organization)
    return ID["membership/" + local]


# ---------------------------------------------------------------- names


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    import opencc  # lazy: only names minted from a report need it

    try:
        converter = opencc.OpenCC("t2s")
    except Exception:  # the official binding wants the config file name
        converter = opencc.OpenCC("t2s.json")
    convert: Callable[[str], str] = converter.convert
    return convert


@lru_cache(maxsize=1 << 14)  # a name recurs in every fact of its entity
def name_literal(name: str) -> Literal:
    """A name as written: ``@zh-Hant`` if it has Traditional-only characters, ``@zh-Hans``
    if it is other Chinese, a plain literal when it has no Chinese at all.

    >>> [name_literal(name).language for name in ("雷军", "小米集團", "SU7")]
    ['zh-Hans', 'zh-Hant', None]
    """
    if not _CJK.search(name):
        return Literal(name)
    return Literal(name, lang="zh-Hant" if _t2s()(name) != name else "zh-Hans")


# ---------------------------------------------------------------- the ontology


@cache
def _ontology_file(path: Path) -> tuple[tuple[Triple, ...], frozenset[URIRef]]:
    """One ontology file's triples, its blank nodes skolemized: parsed once per process
    and kept on disk between runs (:mod:`xmgraph.diskcache`)."""
    from xmgraph import diskcache

    kind = f"ontology-{path.parent.name}-{path.stem}"
    return diskcache.cached(kind, diskcache.key([path]), lambda: _parse_file(path))


def _parse_file(path: Path) -> tuple[tuple[Triple, ...], frozenset[URIRef]]:
    parsed = Graph()
    try:
        parsed.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds of parse errors
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise XmgraphError(Errors.E020, path=path, reason=reason) from exc
    graph = Graph()
    for triple in skolemize(parsed, base=GENID):
        graph.add(triple)
    subjects = frozenset(s for s in graph.subjects() if isinstance(s, URIRef))
    return tuple(graph), subjects  # type: ignore[arg-type]


def ontology_triples(referenced: set[URIRef] | frozenset[URIRef]) -> Iterable[Triple]:
    """The core ontology files, each entity file defining an IRI in ``referenced``, and the
    gazetteer's description of each company and exchange in ``referenced``."""
    for path in _ontology_paths(lambda p: not _ontology_file(p)[1].isdisjoint(referenced)):
        yield from _ontology_file(path)[0]
    yield from _described(referenced)


def _ontology_paths(wanted: Callable[[Path], bool]) -> Iterator[Path]:
    """The core ontology files, then each entity file for which ``wanted`` holds."""
    folder = resources.ontology_dir()
    for name in CORE_ONTOLOGY_FILES:
        path = folder / name
        if path.is_file():
            yield path
    for path in sorted((folder / "entities").glob("*.ttl")):
        if wanted(path):
            yield path


def _described(referenced: Iterable[URIRef]) -> Iterator[Triple]:
    """The gazetteer's description of each company and exchange in ``referenced``."""
    described = _gazetteer_rows(resources.ontology_dir())
    for iri in referenced:
        yield from _terms(described.get(str(iri), ()))


def _terms(rows: Iterable[Row]) -> Iterator[Triple]:
    for s, p, o, lang, dtype, is_iri in rows:
        obj: URIRef | Literal
        if is_iri:
            obj = URIRef(o)
        else:
            obj = Literal(o, lang=lang or None, datatype=URIRef(dtype) if dtype else None)
        yield URIRef(s), URIRef(p), obj


def ontology_ntriples(referenced: Iterable[URIRef]) -> bytes:
    """:func:`ontology_triples` for Oxigraph, as N-Triples kept on disk: the ontology
    files' triples (Oxigraph parses them in a few milliseconds, where unpickling them as
    rdflib terms and converting those took a tenth of ``xmgraph facts``) and the gazetteer's
    description of each company and exchange (rdflib's rows of :func:`_described`'s terms)."""
    named = {str(t) for t in referenced}
    files = _ontology_paths(lambda p: not _ontology_rows(p)[1].isdisjoint(named))
    described = _gazetteer_ntriples(resources.ontology_dir())
    return b"".join(
        [*(_ontology_rows(p)[0] for p in files), *(described.get(t, b"") for t in sorted(named))]
    )


@cache
def _ontology_rows(path: Path) -> tuple[bytes, frozenset[str]]:
    """One ontology file's triples as N-Triples rows and the IRIs of its subjects, kept on
    disk between runs."""
    from xmgraph import diskcache

    kind = f"ontology-nt-{path.parent.name}-{path.stem}"
    return diskcache.cached(kind, diskcache.key([path]), lambda: _rows_of_file(path))


def _rows_of_file(path: Path) -> tuple[bytes, frozenset[str]]:
    triples, subjects = _ontology_file(path)
    return "".join(_nt_row(t) for t in triples).encode(), frozenset(map(str, subjects))


@cache
def _gazetteer_rows(folder: Path) -> dict[str, tuple[Row, ...]]:
    """The gazetteer's triples (``companies/*.ttl``) by subject, kept on disk between runs."""
    from xmgraph import diskcache

    files = gazetteer_files(folder)
    return diskcache.cached("rows-of-companies", diskcache.key(files), lambda: _rows_of(files))


@cache
def _gazetteer_ntriples(folder: Path) -> dict[str, bytes]:
    """The gazetteer's triples by subject as N-Triples rows, kept on disk between runs (for
    the few companies a report names, reading these beats reading every row and making
    rdflib terms of them)."""
    from xmgraph import diskcache

    files = gazetteer_files(folder)
    return diskcache.cached(
        "nt-of-companies",
        diskcache.key(files),
        lambda: {
            s: "".join(map(_nt_row, _terms(rows))).encode()
            for s, rows in _gazetteer_rows(folder).items()
        },
    )


def _rows_of(files: Iterable[Path]) -> dict[str, tuple[Row, ...]]:
    out: dict[str, list[Row]] = {}
    for path in files:
        for row in read_rows(path):
            out.setdefault(row[0], []).append(row)
    return {s: tuple(rows) for s, rows in out.items()}


@cache
@cache
def _listed_by_iri() -> dict[str, Entity]:
    """The gazetteer's companies by IRI (a report's known company looked up once, not
    scanned for among all of them)."""
    return {c.iri: c for c in _gazetteer().companies}


def _gazetteer() -> Gazetteer:
    """The gazetteer (its exchanges: an identifier's agency), read once and kept on disk
    between runs (:mod:`xmgraph.diskcache`): reading it took a tenth of ``facts``'s start."""
    from xmgraph import diskcache

    files = gazetteer_files()
    return diskcache.cached("gazetteer", diskcache.key(files), lambda: read_gazetteer(files))


# ---------------------------------------------------------------- building


@dataclass
class _Observation:
    iri: URIRef
    fact: Fact
    qualifiers: set[str] = field(default_factory=set)
    sources: set[URIRef] = field(default_factory=set)
    derived_from: set[str] = field(default_factory=set)
    #: each source sentence with the ids of the rules that made the fact from it
    generations: dict[URIRef, tuple[str, ...]] = field(default_factory=dict)
    yoy: Decimal | None = None
    qoq: Decimal | None = None
    points: Decimal | None = None
    #: one of its statements gave the figure exactly (收益 1,486.2 beside 约1,486.2): not
    #: approximate, whatever a restatement said
    exact: bool = False


def _qualifier_text(qualifiers: Iterable[str]) -> str:
    qs = set(qualifiers)
    return " ".join(q for q in QUALIFIERS if q in qs)


def _decimal(value: Decimal) -> Literal:
    return _typed(plain_decimal(value), ns.XSD.decimal)


@lru_cache(maxsize=1 << 16)
def _plain(text: str) -> Literal:
    """``Literal(text)`` for the texts that recur from fact to fact and report to report (a
    repair's kind, note and bytes, a qualifier text, a rule sequence), made once each."""
    return Literal(text)


@lru_cache(maxsize=1 << 16)
def _typed(lexical: str | int, datatype: URIRef) -> Literal:
    """``Literal(lexical, datatype=datatype)``, made once per process for each value (rdflib
    casts and checks every literal it makes: a tenth of a worker's time went there)."""
    return Literal(lexical, datatype=datatype)


def _finer(kept: Decimal | None, new: Decimal | None) -> Decimal | None:
    """The change an observation keeps when a figure is stated twice: the first given — or
    the later one, where it is the same change written finer (a headline's 同比增50% and the
    body's 增长50.2%).

    >>> _finer(Decimal("50"), Decimal("50.2")), _finer(Decimal("50.2"), Decimal("50"))
    (Decimal('50.2'), Decimal('50.2'))
    >>> _finer(Decimal("50"), Decimal("51.2")), _finer(Decimal("51"), Decimal("50.5"))
    (Decimal('50'), Decimal('50.5'))
    """
    if kept is None or new is None:
        return new if kept is None else kept
    step = Decimal(1).scaleb(int(kept.as_tuple().exponent))
    finer = int(new.as_tuple().exponent) < int(kept.as_tuple().exponent)
    return new if finer and new.quantize(step, rounding=ROUND_HALF_UP) == kept else kept


class _Builder:
    """Collects the triples of several extractions, merging facts by their key."""

    def __init__(self) -> None:
        self.triples: set[Triple] = set()
        self.described: set[str] = set()  #: the rules whose description is in ``triples``
        self.observations: dict[URIRef, _Observation] = {}
        self.reports: dict[str, Report] = {}
        self.entities: set[Entity] = set()  #: those whose triples are in
        self.periods: set[Period] = set()  #: those whose triples are in

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.triples.add((s, p, o))

    def add_all(self, triples: Iterable[Triple]) -> None:
        self.triples.update(triples)

    def report(self, report: Report) -> URIRef:
        iri = report_iri(report.sha256)
        self.reports.setdefault(report.sha256, report)
        self.add(iri, RDF.type, XMG.Report)
        self.add(iri, XMG.sha256, Literal(report.sha256))
        self.add(iri, XMG.fileName, Literal(report.name))
        self.add(iri, XMG.encoding, Literal(report.encoding))
        self.add(iri, RDFS.label, Literal(report.name))
        return iri

    def span(self, source: Source) -> URIRef:
        iri = span_iri(source)
        report = self.reports.get(source.report_sha256)
        text = report.text[source.start : source.end] if report is not None else source.text
        rep = report_iri(source.report_sha256)
        if report is None:  # a source in a report we were not given: name it at least
            self.add(rep, RDF.type, XMG.Report)
            self.add(rep, XMG.sha256, Literal(source.report_sha256))
            self.add(rep, XMG.fileName, Literal(source.report_name))
        self.add(iri, RDF.type, XMG.SourceSpan)
        self.add(iri, XMG.report, rep)
        self.add(iri, XMG.start, _typed(source.start, ns.XSD.integer))
        self.add(iri, XMG.end, _typed(source.end, ns.XSD.integer))
        self.add(iri, XMG.text, Literal(text))
        return iri

    def period(self, period: Period) -> URIRef:
        if period not in self.periods:  # once (every fact of a year names it)
            self.periods.add(period)
            self.add_all(_period_triples(period))
        return period_iri(period)

    def identifiers(self, entity: Entity) -> None:
        """A company's identifiers: ``org:identifier "HKEX:700"`` and an ``adms:Identifier``
        with the code and the exchange that gave it."""
        iri = URIRef(entity.iri)
        for ident in entity.identifiers:
            exchange = exchange_of(ident, _gazetteer().exchanges)
            if exchange is None:
                continue
            code = ident.split(":", 1)[1]
            node = ID["identifier/" + quote(f"{exchange.code}-{code}".lower(), safe="-._~")]
            self.add(iri, ORG.identifier, Literal(ident))
            self.add(iri, ADMS.identifier, node)
            self.add(node, RDF.type, ADMS.Identifier)
            self.add(node, SKOS.notation, Literal(code))
            self.add(node, ADMS.schemaAgency, Literal(exchange.code))
            self.add(node, DCTERMS.creator, URIRef(exchange.iri))

    def text_names(self, entity: Entity) -> None:
        """A known company's names the report wrote and the gazetteer does not have (国泰 for
        国泰航空, written before its code) as its aliases."""
        listed = _listed_by_iri().get(entity.iri)
        if listed is None:
            return
        for name in entity.names:
            if name not in listed.names and name != listed.label:
                self.add(URIRef(entity.iri), XMG.alias, name_literal(name))

    def entity(self, entity: Entity) -> None:
        if entity in self.entities:
            return  # its triples are in (each of a big report's facts names its company)
        self.entities.add(entity)
        if entity.kind == "company":
            self.identifiers(entity)
        if entity.known:
            self.text_names(entity)
            return  # its triples come from ontology/entities and ontology/companies
        iri = URIRef(entity.iri)
        for cls in _ENTITY_TYPES.get(entity.kind, ()):
            self.add(iri, RDF.type, cls)
        self.add(iri, RDFS.label, name_literal(entity.label))
        self.add(iri, XMG.knownEntity, _FALSE)
        for name in entity.names:
            if name != entity.label:
                self.add(iri, XMG.alias, name_literal(name))
        if entity.parent:
            parent = URIRef(entity.parent)
            if entity.kind == "segment":
                self.add(iri, ORG.unitOf, parent)
                self.add(parent, ORG.hasUnit, iri)
            elif entity.kind == "product":
                self.add(iri, XMG.productOf, parent)

    def fact(self, fact: Fact) -> None:
        unknown = set(fact.qualifiers) - set(QUALIFIERS)
        if unknown:
            raise ValueError(f"unknown qualifier(s) {sorted(unknown)} in {fact}")
        iri = observation_iri(fact)
        obs = self.observations.get(iri)
        if obs is None:
            obs = self.observations[iri] = _Observation(iri, fact)
        obs.qualifiers.update(fact.qualifiers)
        obs.exact = obs.exact or "approximate" not in fact.qualifiers
        if obs.exact:
            obs.qualifiers.discard("approximate")
        span = self.span(fact.source)
        obs.sources.add(span)
        if fact.rules:
            obs.generations.setdefault(span, fact.rules)
        obs.derived_from.update(fact.derived_from)
        obs.yoy = _finer(obs.yoy, fact.yoy_pct)
        obs.qoq = _finer(obs.qoq, fact.qoq_pct)
        obs.points = _finer(obs.points, fact.yoy_pp)
        self.entity(fact.entity)

    def extraction(self, extraction: Extraction) -> None:
        report = extraction.report
        rep = self.report(report)
        for r in extraction.repairs:
            self.repair(rep, report.sha256, r)
        for entity in extraction.entities:
            self.entity(entity)
        for role in extraction.roles:
            person, org = URIRef(role.person.iri), URIRef(role.organization)
            node = membership_iri(role.person.iri, role.role, role.organization)
            self.add(node, RDF.type, ORG.Membership)
            self.add(node, ORG.member, person)
            self.add(node, ORG.organization, org)
            self.add(node, ORG.role, URIRef(role.role))
            self.add(node, XMG.source, self.span(role.source))
            self.add(person, ORG.memberOf, org)
            self.entity(role.person)
        # the first statement of a figure decides its year-on-year change
        facts = sorted(
            extraction.facts,
            key=lambda f: (f.source.report_sha256, f.source.start, f.source.end),
        )
        for fact in facts:
            self.fact(fact)

    def repair(self, rep: URIRef, sha256: str, r: Repair) -> None:
        """One step the normalizer took on the report ``rep``: what, where and why."""
        node = ID[f"report/{sha256}/repair/{r.start}-{r.end}-{quote(r.kind, safe='')}"]
        self.add(rep, XMG.repair, node)
        self.add(node, RDF.type, XMG.Repair)
        self.add(node, XMG.repairKind, _plain(r.kind))
        self.add(node, XMG.before, _plain(r.before))
        self.add(node, XMG.after, _plain(r.after))
        self.add(node, XMG.start, _typed(r.start, ns.XSD.integer))
        self.add(node, XMG.end, _typed(r.end, ns.XSD.integer))
        self.add(node, RDFS.comment, _plain(r.note))

    def observation_triples(self, obs: _Observation) -> None:
        f, iri = obs.fact, obs.iri
        add = self.add
        add(iri, RDF.type, QB.Observation)
        add(iri, QB.dataSet, DATASET)
        add(iri, XMG.entity, URIRef(f.entity.iri))
        add(iri, XMG.metric, URIRef(f.metric))
        add(iri, XMG.period, self.period(f.period))
        add(iri, XMG.region, URIRef(f.region) if f.region else WORLD)
        add(iri, XMG.scenario, SCENARIO_IRIS[scenario_of(f.qualifiers)])
        add(iri, XMG.value, _decimal(f.value))
        add(iri, XMG.unit, unit_iri(f.unit))
        if obs.yoy is not None:
            add(iri, XMG.yoyChange, _decimal(obs.yoy))
        if obs.qoq is not None:
            add(iri, XMG.qoqChange, _decimal(obs.qoq))
        if obs.points is not None:
            add(iri, XMG.yoyChangePoints, _decimal(obs.points))
        for q in obs.qualifiers:
            add(iri, XMG.qualifier, QUALIFIER_IRIS[q])
        add(iri, XMG.qualifierText, _plain(_qualifier_text(obs.qualifiers)))
        for span in obs.sources:
            add(iri, XMG.source, span)
        for other in obs.derived_from:
            add(iri, PROV.wasDerivedFrom, URIRef(other))
        for span, rules in obs.generations.items():
            self.generation(iri, span, rules)

    def generation(self, obs: URIRef, span: URIRef, rules: tuple[str, ...]) -> None:
        """The extraction that made an observation from a sentence, and the rules it applied
        (in order, as ``xmg:ruleSequence``; each rule a ``prov:Plan`` with its description)."""
        act = URIRef(f"{obs}/generation/{hash12(str(span))}")
        self.add(obs, PROV.wasGeneratedBy, act)
        self.add(act, RDF.type, XMG.FactExtraction)
        self.add(act, PROV.used, span)
        self.add(act, XMG.ruleSequence, _plain(" ".join(rules)))
        described = _rule_descriptions()
        for rule_id in rules:
            node = _rule_iri(rule_id)
            self.add(act, XMG.appliedRule, node)
            if rule_id in described and rule_id not in self.described:
                self.add_all(described[rule_id])  # once: the same five triples
                self.described.add(rule_id)


@lru_cache(maxsize=1 << 12)
def _rule_iri(rule_id: str) -> URIRef:
    return RULE[rule_id]


@cache
def _rule_descriptions() -> dict[str, frozenset[Triple]]:
    """The triples that describe each extraction rule: its class, label, comment, stage, family."""
    from xmgraph.extract.rules import load_rules

    out: dict[str, frozenset[Triple]] = {}
    for r in load_rules().rules:
        node = RULE[r.id]
        out[r.id] = frozenset[Triple](
            {
                (node, RDF.type, XMG.ExtractionRule),
                (node, RDFS.label, Literal(r.id)),
                (node, RDFS.comment, Literal(r.description, lang="en")),
                (node, XMG.ruleStage, Literal(r.stage)),
                (node, XMG.ruleFamily, Literal(r.family)),
            }
        )
    return out


def bind_prefixes(graph: Graph) -> Graph:
    """Bind :data:`~xmgraph.namespaces.PREFIXES` on ``graph`` (replacing other bindings)."""
    for prefix, uri in PREFIXES.items():
        graph.bind(prefix, uri, override=True, replace=True)
    return graph


def _reconcile(target: Graph, observations: Iterable[_Observation]) -> set[Triple]:
    """Observations already in ``target`` (from an earlier build): merge, don't duplicate.

    Returns the triples to remove from ``target``; updates the observations in place.
    """
    stale: set[Triple] = set()
    for obs in observations:
        for old in target.objects(obs.iri, XMG.qualifierText):
            words = str(old).split()
            obs.qualifiers.update(words)
            obs.exact = obs.exact or "approximate" not in words
            stale.add((obs.iri, XMG.qualifierText, old))  # type: ignore[arg-type]
        if obs.exact:
            obs.qualifiers.discard("approximate")
        if obs.yoy is not None and (obs.iri, XMG.yoyChange, None) in target:
            obs.yoy = None
        if obs.qoq is not None and (obs.iri, XMG.qoqChange, None) in target:
            obs.qoq = None
        if obs.points is not None and (obs.iri, XMG.yoyChangePoints, None) in target:
            obs.points = None
    return stale


def build(
    extractions: Iterable[Extraction], *, graph: Graph | None = None, ontology: bool = True
) -> Graph:
    """Add the extractions (and the ontology they need) to ``graph`` (a new one by default).

    Facts with the same key, within and across extractions and with what ``graph`` already
    holds, become one observation with all their sources and the union of their qualifiers
    (but approximate, where one of them gave the figure exactly).
    """
    if graph is None:
        graph = Graph()
    target = default_graph(graph)
    builder = _Builder()
    for extraction in extractions:
        builder.extraction(extraction)
    for triple in _reconcile(target, builder.observations.values()):
        target.remove(triple)
    for obs in builder.observations.values():
        builder.observation_triples(obs)
    triples: set[Triple] = builder.triples
    if ontology:
        referenced = {t for s, _, o in triples for t in (s, o) if isinstance(t, URIRef)}
        triples = triples | set(ontology_triples(referenced))
    target.addN((s, p, o, target) for s, p, o in triples)
    bind_prefixes(graph)
    return graph


@lru_cache(maxsize=1 << 14)
def _period_triples(period: Period) -> tuple[Triple, ...]:
    """A period's triples, made once per process (every fact of a year names it)."""
    return tuple(period_triples(period))


@lru_cache(maxsize=1 << 14)
def _period_rows(period: Period) -> tuple[str, ...]:
    """A period's triples as :meth:`_RowBuilder.add` writes them, once per process."""
    return tuple(
        f"{s.n3()} {p.n3()} {_quoteLiteral(o) if isinstance(o, Literal) else o.n3()} .\n"
        for s, p, o in _period_triples(period)
    )


#: ``xmg:knownEntity false`` of each minted entity: one literal (rdflib casts each it makes)
_FALSE = Literal(False)


def built_triples(extractions: Iterable[Extraction], *, ontology: bool = True) -> set[Triple]:
    """The triples :func:`build` puts in a new graph, with no graph made: for a worker of a
    dataset build that only serializes them, or a store other than rdflib's."""
    builder = _built(extractions)
    if not ontology:
        return builder.triples
    return builder.triples | set(ontology_triples(_referenced(builder.triples)))


def built_for_oxigraph(extractions: Iterable[Extraction]) -> bytes:
    """:func:`built_triples` as N-Triples, for Oxigraph to parse (``xmgraph facts``): the
    report's triples written by rdflib's N-Triples writer, the ontology files' and the
    gazetteer's from the disk cache (:func:`ontology_ntriples`; a triple may come twice:
    the store keeps it once). Oxigraph parses them in a few milliseconds; converting the
    same triples term by term took five times as long."""
    builder = _built(extractions)
    return "".join(map(_nt_row, builder.triples)).encode() + ontology_ntriples(
        _referenced(builder.triples)
    )


def _built(extractions: Iterable[Extraction]) -> _Builder:
    builder = _Builder()
    for extraction in extractions:
        builder.extraction(extraction)
    for obs in builder.observations.values():
        builder.observation_triples(obs)
    return builder


def _referenced(triples: Iterable[Triple]) -> set[URIRef]:
    return {t for s, _, o in triples for t in (s, o) if isinstance(t, URIRef)}


#: The N-Triples forms of the terms the row builder writes for every report, made once.
_FORMS: dict[URIRef, str] = {
    term: term.n3()
    for term in (
        DATASET,
        PROV.used,
        PROV.wasDerivedFrom,
        PROV.wasGeneratedBy,
        QB.Observation,
        QB.dataSet,
        RDF.type,
        RDFS.comment,
        WORLD,
        XMG.FactExtraction,
        XMG.Repair,
        XMG.SourceSpan,
        XMG.after,
        XMG.before,
        XMG.end,
        XMG.entity,
        XMG.metric,
        XMG.period,
        XMG.qualifier,
        XMG.qualifierText,
        XMG.region,
        XMG.repair,
        XMG.repairKind,
        XMG.report,
        XMG.ruleSequence,
        XMG.scenario,
        XMG.source,
        XMG.start,
        XMG.text,
        XMG.unit,
        XMG.value,
        XMG.yoyChange,
        XMG.qoqChange,
        XMG.yoyChangePoints,
        *SCENARIO_IRIS.values(),
        *QUALIFIER_IRIS.values(),
    )
}


class _RowBuilder(_Builder):
    """A builder that writes each triple as an N-Triples row (the row rdflib's serializer
    writes) to a :class:`~xmgraph.export.SortedRows`, keeping no set of triples: a big
    report's graph in bounded memory."""

    def __init__(self, rows: SortedRows) -> None:
        super().__init__()
        self.rows = rows
        self._n3: dict[URIRef, str] = {}
        #: literals written, by id (most are the same objects again: ``_typed``'s, ``_plain``'s);
        #: the literal is held, so its id is no other's
        self._literals: dict[int, tuple[Literal, str]] = {}

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        n3 = self._n3
        a = n3.get(s) or n3.setdefault(s, s.n3())
        b = n3.get(p) or n3.setdefault(p, p.n3())
        if isinstance(o, Literal):
            known = self._literals.get(id(o))
            if known is None or known[0] is not o:
                known = self._literals[id(o)] = (o, _quoteLiteral(o))
            c = known[1]
        else:
            c = n3.get(o) or n3.setdefault(o, o.n3())
        self.rows.add(f"{a} {b} {c} .\n")
        if len(n3) > 1 << 16:  # spans and generations are named once or twice each
            n3.clear()
        if len(self._literals) > 1 << 16:
            self._literals.clear()

    def _literal(self, o: Literal) -> str:
        """A literal's N-Triples form, as :meth:`add` writes it."""
        known = self._literals.get(id(o))
        if known is None or known[0] is not o:
            known = self._literals[id(o)] = (o, _quoteLiteral(o))
        return known[1]

    def observation_triples(self, obs: _Observation) -> None:
        """The rows of :meth:`_Builder.observation_triples`, formatted here (a dozen an
        observation, each through :meth:`add` cost a tenth of a small report's time): the
        IRIs of entities, metrics, regions and units in their N-Triples form once per process."""
        nt = _FORMS
        f, iri, lit = obs.fact, self._iri, self._literal
        s = iri(obs.iri)
        period = iri(self.period(f.period))
        region = _iri_n3(f.region) if f.region else nt[WORLD]
        rows = [
            f"{s} {nt[RDF.type]} {nt[QB.Observation]} .\n",
            f"{s} {nt[QB.dataSet]} {nt[DATASET]} .\n",
            f"{s} {nt[XMG.entity]} {_iri_n3(f.entity.iri)} .\n",
            f"{s} {nt[XMG.metric]} {_iri_n3(f.metric)} .\n",
            f"{s} {nt[XMG.period]} {period} .\n",
            f"{s} {nt[XMG.region]} {region} .\n",
            f"{s} {nt[XMG.scenario]} {nt[SCENARIO_IRIS[scenario_of(f.qualifiers)]]} .\n",
            f"{s} {nt[XMG.value]} {_nt_decimal(f.value)} .\n",
            f"{s} {nt[XMG.unit]} {_unit_n3(f.unit)} .\n",
        ]
        for change, p in ((obs.yoy, XMG.yoyChange), (obs.qoq, XMG.qoqChange)):
            if change is not None:
                rows.append(f"{s} {nt[p]} {_nt_decimal(change)} .\n")
        if obs.points is not None:
            rows.append(f"{s} {nt[XMG.yoyChangePoints]} {_nt_decimal(obs.points)} .\n")
        rows.extend(f"{s} {nt[XMG.qualifier]} {nt[QUALIFIER_IRIS[q]]} .\n" for q in obs.qualifiers)
        text = lit(_plain(_qualifier_text(obs.qualifiers)))
        rows.append(f"{s} {nt[XMG.qualifierText]} {text} .\n")
        rows.extend(f"{s} {nt[XMG.source]} {iri(span)} .\n" for span in obs.sources)
        derived = nt[PROV.wasDerivedFrom]
        rows.extend(f"{s} {derived} {_iri_n3(other)} .\n" for other in obs.derived_from)
        self.rows.extend(rows)
        for span, rules in obs.generations.items():
            self.generation(obs.iri, span, rules)

    def add_all(self, triples: Iterable[Triple]) -> None:
        for s, p, o in triples:
            self.add(s, p, o)

    def period(self, period: Period) -> URIRef:
        """:meth:`_Builder.period`, its rows made once per process (:func:`_period_rows`)."""
        if period not in self.periods:
            self.periods.add(period)
            self.rows.extend(_period_rows(period))
        return period_iri(period)

    def _iri(self, term: URIRef) -> str:
        n3 = self._n3
        return n3.get(term) or n3.setdefault(term, term.n3())

    def _refer(self, term: URIRef) -> None:
        """Note an IRI the ontology may describe (see :class:`_ReferencingRowBuilder`)."""

    def repair(self, rep: URIRef, sha256: str, r: Repair) -> None:
        """The rows of :meth:`_Builder.repair`, formatted here: a normalizer repairs a
        big report thousands of times, and an rdflib term for each value cost a third of
        the rows' time."""
        nt = _FORMS
        iri = self._iri
        node = f"<{ID}report/{sha256}/repair/{r.start}-{r.end}-{_quoted(r.kind)}>"
        self._refer(XMG.Repair)
        self.rows.extend(
            (
                f"{iri(rep)} {nt[XMG.repair]} {node} .\n",
                f"{node} {nt[RDF.type]} {nt[XMG.Repair]} .\n",
                f"{node} {nt[XMG.repairKind]} {_nt_text(r.kind)} .\n",
                f"{node} {nt[XMG.before]} {_nt_text(r.before)} .\n",
                f"{node} {nt[XMG.after]} {_nt_text(r.after)} .\n",
                f"{node} {nt[XMG.start]} {_nt_integer(r.start)} .\n",
                f"{node} {nt[XMG.end]} {_nt_integer(r.end)} .\n",
                f"{node} {nt[RDFS.comment]} {_nt_text(r.note)} .\n",
            )
        )

    def generation(self, obs: URIRef, span: URIRef, rules: tuple[str, ...]) -> None:
        """The rows of :meth:`_Builder.generation`, formatted here: a fact's rules are a
        tenth of a small report's rows, and each rule's description five rows made once
        per process (they were five triples formatted again for every report)."""
        nt = _FORMS
        iri, rows = self._iri, self.rows
        act = f"<{obs}/generation/{hash12(str(span))}>"
        self._refer(XMG.FactExtraction)
        rows.extend(
            (
                f"{iri(obs)} {nt[PROV.wasGeneratedBy]} {act} .\n",
                f"{act} {nt[RDF.type]} {nt[XMG.FactExtraction]} .\n",
                f"{act} {nt[PROV.used]} {iri(span)} .\n",
                f"{act} {nt[XMG.ruleSequence]} {_nt_text(' '.join(rules))} .\n",
            )
        )
        applied, described = _applied_rows(), _description_rows()
        for rule_id in rules:
            node, row = applied(rule_id)
            rows.add(f"{act} {row}")
            self._refer(node)
            if rule_id in described and rule_id not in self.described:
                rows.extend(described[rule_id])  # once: the same five rows
                self._refer(XMG.ExtractionRule)
                self.described.add(rule_id)

    def span(self, source: Source) -> URIRef:
        """The rows of :meth:`_Builder.span`, formatted here (one a statement)."""
        nt = _FORMS
        report = self.reports.get(source.report_sha256)
        if report is None:
            return super().span(source)
        span, iri = span_iri(source), self._iri
        node, text = iri(span), _quote_encode(report.text[source.start : source.end])
        self._refer(XMG.SourceSpan)
        self.rows.extend(
            (
                f"{node} {nt[RDF.type]} {nt[XMG.SourceSpan]} .\n",
                f"{node} {nt[XMG.report]} <{ID}report/{source.report_sha256}> .\n",
                f"{node} {nt[XMG.start]} {_nt_integer(source.start)} .\n",
                f"{node} {nt[XMG.end]} {_nt_integer(source.end)} .\n",
                f"{node} {nt[XMG.text]} {text} .\n",
            )
        )
        return span


@cache
def _applied_rows() -> Callable[[str], tuple[URIRef, str]]:
    """A rule's IRI and the end of the row ``ACT xmg:appliedRule RULE .`` (made once per rule)."""
    applied = XMG.appliedRule.n3()

    @lru_cache(maxsize=1 << 12)
    def row(rule_id: str) -> tuple[URIRef, str]:
        node = _rule_iri(rule_id)
        return node, f"{applied} {node.n3()} .\n"

    return row


@cache
def _description_rows() -> dict[str, tuple[str, ...]]:
    """:func:`_rule_descriptions` as N-Triples rows (rdflib's ``_nt_row``), made once."""
    return {r: tuple(map(_nt_row, triples)) for r, triples in _rule_descriptions().items()}


@lru_cache(maxsize=1 << 14)
def _iri_n3(iri: str) -> str:
    """``URIRef(iri).n3()``, once per IRI (entities, metrics, regions recur from report to
    report)."""
    return URIRef(iri).n3()


@lru_cache(maxsize=1 << 10)
def _unit_n3(code: str) -> str:
    """``unit_iri(code).n3()``, once per unit."""
    return unit_iri(code).n3()


@lru_cache(maxsize=1 << 10)
def _quoted(text: str) -> str:
    return quote(text, safe="")


@lru_cache(maxsize=1 << 16)
def _nt_text(text: str) -> str:
    """``Literal(text)`` as rdflib's N-Triples serializer writes it, once per text."""
    return _quoteLiteral(Literal(text))


_INTEGER_TAIL = f'"^^<{ns.XSD.integer}>'


def _nt_integer(number: int) -> str:
    """``Literal(number, datatype=xsd:integer)`` as rdflib's N-Triples serializer writes it."""
    return f'"{number}{_INTEGER_TAIL}'


_DECIMAL_TAIL = f'"^^<{ns.XSD.decimal}>'


def _nt_decimal(value: Decimal) -> str:
    """``_decimal(value)`` as rdflib's N-Triples serializer writes it, with no ``Literal``
    made (rdflib casts and checks each: most values are new, so ``_typed``'s cache missed):
    ``plain_decimal`` writes the canonical form rdflib would (no exponent, no escapes)."""
    return f'"{plain_decimal(value)}{_DECIMAL_TAIL}'


def built_rows(extractions: Iterable[Extraction], rows: SortedRows) -> None:
    """Write the triples :func:`built_triples` gives without the ontology to ``rows``."""
    builder = _RowBuilder(rows)
    for extraction in extractions:
        builder.extraction(extraction)
    for obs in builder.observations.values():
        builder.observation_triples(obs)


@contextmanager
def rare_collections() -> Iterator[None]:
    """Python's cycle collector run every 100,000 new objects, not 700, and the oldest
    generation (everything) almost never, while reports are built: a big report's
    extraction holds millions of objects, and each full collection walked them all (5 % of
    the time at 2 MB, more at 10 MB); what they leave is freed by reference counts."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


#: Reports (bytes, together) from which ``xmgraph build -o FILE.ttl`` streams the graph
#: (:func:`write_streamed`) instead of making it in rdflib: rdflib holds about 3 KB a
#: triple, and a megabyte of report gives about 300,000 triples.
STREAM_BYTES = 1_000_000
#: IRIs a graph names by the million, none described by the ontology files.
_BULK = (str(ID) + "report/", str(ID) + "obs/")


class _ReferencingRowBuilder(_RowBuilder):
    """A :class:`_RowBuilder` that also keeps the IRIs the ontology may describe (entities,
    metrics, units: not the report's spans, repairs and observations)."""

    def __init__(self, rows: SortedRows) -> None:
        super().__init__(rows)
        self.referenced: set[URIRef] = set()

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        super().add(s, p, o)
        for term in (s, o):
            if isinstance(term, URIRef) and not str.startswith(term, _BULK):
                self.referenced.add(term)

    def _refer(self, term: URIRef) -> None:
        self.referenced.add(term)

    def period(self, period: Period) -> URIRef:
        """Through :meth:`add`, which keeps the IRIs referenced."""
        return _Builder.period(self, period)

    def observation_triples(self, obs: _Observation) -> None:
        """Through :meth:`add`, which keeps the IRIs referenced."""
        _Builder.observation_triples(self, obs)


def write_streamed(
    extractions: Iterable[Extraction], path: str | Path, *, force: bool = False
) -> tuple[int, int]:
    """Build the graph of ``extractions`` with the ontology it needs (as :func:`build`) and
    write it to ``path`` (``.ttl``, ``.nt`` or ``.nq``, by extension) without an rdflib
    graph: its rows sorted on disk (:class:`~xmgraph.export.SortedRows`), Turtle written by
    Oxigraph from them. Returns (triples, facts); nothing is written when there is no fact.
    The triples are those of :func:`build`, the bytes not those of rdflib's serializers
    (see benchmarks/README.md)."""
    from xmgraph.export import format_for

    fmt = format_for(path)
    if fmt == "json-ld":
        raise XmgraphError(Errors.E170, path=path)
    with rare_collections():
        return _write_streamed(extractions, path, fmt, force=force)


def _write_streamed(
    extractions: Iterable[Extraction], path: str | Path, fmt: str, *, force: bool
) -> tuple[int, int]:
    from xmgraph.export import atomic_output, write_graph_block

    rows = SortedRows()
    try:
        builder = _ReferencingRowBuilder(rows)
        facts = 0
        for extraction in extractions:
            builder.extraction(extraction)
            facts += len(extraction.facts)
        if not facts:
            return 0, 0
        for obs in builder.observations.values():
            builder.observation_triples(obs)
        builder.add_all(ontology_triples(frozenset(builder.referenced)))
        del builder
        with atomic_output(path, force=force) as out:
            if fmt == "turtle":
                prefixes = {k: str(v) for k, v in sorted(PREFIXES.items())}
                out.write("".join(f"@prefix {k}: <{v}> .\n" for k, v in prefixes.items()).encode())
                out.write(b"\n")
                write_graph_block(rows.batches(), None, ".trig", out, prefixes)
            else:  # .nt, and .nq (the default graph's quads are its triples)
                write_graph_block(rows.batches(), None, ".nq", out, {})
        return rows.count, facts
    finally:
        rows.close()


def add_extraction(graph: Graph, extraction: Extraction, *, ontology: bool = True) -> Graph:
    """Add one extraction to ``graph``; see :func:`build`."""
    return build([extraction], graph=graph, ontology=ontology)
