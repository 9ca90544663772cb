"""The extraction lexicon, read from the ontology: what extract knows about the domain.

Metrics and their synonyms (``metrics.ttl``), units (``units.ttl``), regions, cue words,
scales, numerals and their place words (``lexicon.ttl``), period words and the words of
dates (``periods.ttl``), boilerplate cues (``boilerplate.ttl``), known companies with their
segments, products and people (``entities/*.ttl``), and the gazetteer of listed companies,
exchanges and organisations never a report's subject (``companies/*.ttl``, read by
:mod:`xmgraph.companies`). Nothing here is written in Python.

>>> lex = load_lexicon()
>>> lex.metrics[str(METRIC.Revenue)].label
'Revenue'
>>> "营收" in lex.metrics[str(METRIC.Revenue)].names
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF
from rdflib.term import Node

from xmgraph.companies import (
    Exchange,
    listed_file,
    read_gazetteer,
    read_listed,
    read_listed_codes,
)
from xmgraph.errors import Errors, XmgraphError
from xmgraph.model import Entity
from xmgraph.namespaces import METRIC, XMG
from xmgraph.resources import ontology_files, words_with_values

ORG = Namespace("http://www.w3.org/ns/org#")

_KIND_OF_UNIT = {
    XMG.Money: "money",
    XMG.Count: "count",
    XMG.Ratio: "ratio",
    XMG.PerShare: "per-share",
}


@dataclass(frozen=True)
class MetricInfo:
    """A metric concept: its English label, the names it is written as, what fits it."""

    iri: str
    label: str
    names: tuple[str, ...]
    kind: str  #: "money", "count", "ratio" or "per-share"
    default_unit: str | None = None  #: unit code for a count written with a generic word
    share_metric: str | None = None  #: IRI of the metric for "a share of it"
    adjusted_metric: str | None = None  #: IRI of its adjusted (non-GAAP) metric
    attributable_metric: str | None = None  #: IRI of its metric attributable to shareholders
    recurring_metric: str | None = None  #: IRI of it excluding non-recurring items (扣非)
    names_product: bool = False  #: a name right before it is a product category (空调销量)
    point_in_time: bool = False  #: a level at a date (门店数), not a flow over a period
    flow_only: bool = False  #: a flow over a period, never dated by 截至 (净增门店)
    company_level: bool = False  #: the whole company's only (归母净利润), never a part's
    negative_metric: str | None = None  #: IRI of the metric a negative figure of it is (净亏损)


@dataclass(frozen=True)
class UnitInfo:
    """A unit: its facts-table code and the words written after or before a number."""

    code: str
    words: tuple[str, ...]
    prefix_words: tuple[str, ...]
    currency: bool
    generic: bool
    default_metric: str | None = None  #: IRI of the metric a bare count of this unit is
    minor_words: tuple[str, ...] = ()  #: words for a fraction of the currency (港仙)
    minor_multiplier: Decimal = Decimal(1)  #: what one of the minor words is worth
    change_multiplier: Decimal | None = None  #: only writes a change: percent = figure x this
    broader: str | None = None  #: code of the unit this one is a kind of (辆 is a unit of goods)
    labels: tuple[tuple[str, str], ...] = ()  #: (language tag, rdfs:label)
    figure_words: tuple[tuple[str, str], ...] = ()  #: (language tag, xmg:figureWord)

    def shown_with(self, lang: str) -> str | None:
        """The word a figure in this unit is written with for people in ``lang`` (a language
        tag): its xmg:figureWord there, else its label there (元 for CNY, 辆 for a vehicle)."""
        for words in (self.figure_words, self.labels):
            for tag, word in words:
                if tag.lower() == lang.lower():
                    return word
        return None


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Everything extract needs to know, read from ``ontology/*.ttl``."""

    metrics: dict[str, MetricInfo]
    entities: tuple[Entity, ...]  #: known companies, segments, products and people
    regions: tuple[Entity, ...]
    roles: dict[str, tuple[str, ...]]  #: org:Role IRI -> names
    units: tuple[UnitInfo, ...]
    scales: dict[str, Decimal]  #: word -> multiplier
    standalone_scales: frozenset[str]  #: scales that may stand without digits (千亿)
    numerals: dict[str, int]
    cues: dict[str, tuple[str, ...]]  #: key (skos:notation) -> words, longest first
    period_words: tuple[tuple[str, str], ...]  #: (word, template), longest word first
    world_region: str
    exchanges: tuple[Exchange, ...] = ()  #: stock exchanges, the agencies of identifiers
    not_subjects: tuple[str, ...] = ()  #: names of exchanges, regulators, news agencies
    #: not-subjects holding a short name across a word boundary (中电科): never cut off a name
    name_boundaries: tuple[str, ...] = ()
    #: language tag -> (multiplier, word) of the scales figures are shown in, largest first
    figure_scales: dict[str, tuple[tuple[Decimal, str], ...]] = field(default_factory=dict)
    #: place words of Chinese-numeral amounts (十 百 千 万 亿) -> what they multiply by
    numeral_places: dict[str, Decimal] = field(default_factory=dict)
    #: company IRI -> the currency it reports in, where that is not renminbi (CLP: HKD)
    reporting_currencies: dict[str, str] = field(default_factory=dict)
    #: company IRI -> the last (month, day) of its fiscal year, where not 31 December
    fiscal_year_ends: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: a listed company's short or legal name -> its identifier (``companies/listed.tsv``):
    #: confirms a name a headline or a ticker gives, never matched in the text by itself
    listed: dict[str, str] = field(default_factory=dict)
    #: every identifier of ``companies/listed.tsv`` (SSE:600624, HKEX:978) -> its Chinese names
    #: there: a code in brackets after a name sharing a character with them (or after any
    #: name, for a listing with none) is a listed company's, renamed since or not
    listed_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def loss_metrics(self) -> frozenset[str]:
        """IRIs of the metrics that are the loss counterpart of another (NetLoss)."""
        return frozenset(m.negative_metric for m in self.metrics.values() if m.negative_metric)

    @cached_property
    def _by_iri(self) -> dict[str, Entity]:
        out: dict[str, Entity] = {}
        for e in (*self.entities, *self.regions):
            out.setdefault(e.iri, e)
        return out

    @cached_property
    def company_by_identifier(self) -> dict[str, Entity]:
        """Known companies by their identifiers ("HKEX:700")."""
        return {i: e for e in self.entities if e.kind == "company" for i in e.identifiers}

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every name the lexicon matches, its period words and change words: for the
        normalizer's repair scoring and its joining of a line a known word runs across."""
        words: set[str] = set()
        for m in self.metrics.values():
            words.update(m.names)
        for e in (*self.entities, *self.regions):
            words.update(e.names)
        # 较去⏎年同期增长: the period words and the change words a wire wraps too
        words.update(w for w, _ in self.period_words if not w.isascii())
        for key in ("increase", "decrease", "yoy"):
            words.update(self.cue(key))
        return frozenset(w for w in words if len(w) >= 2)

    @cached_property
    def cue(self) -> Callable[[str], tuple[str, ...]]:
        """``cue(key)``: the words of a cue set; a misspelt key fails loudly (KeyError). The
        dict's own lookup, called in C: a quarter of a million calls a corpus."""
        return self.cues.__getitem__

    def entity(self, iri: str) -> Entity | None:
        """A known entity or region by IRI."""
        return self._by_iri.get(iri)

    def company_of(self, iri: str) -> str | None:
        """The company an entity belongs to (itself for a company)."""
        seen: set[str] = set()
        current: str | None = iri
        while current and current not in seen:
            seen.add(current)
            e = self.entity(current)
            if e is None:
                return None
            if e.kind == "company":
                return e.iri
            current = e.parent
        return None


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def _zh_or_latin(literals: Iterable[object]) -> list[str]:
    """Names usable for matching: zh-Hans labels, and Latin-script labels of any language."""
    out = []
    for lit in literals:
        if not isinstance(lit, Literal):
            continue
        text = str(lit).strip()
        if (lit.language or "zh").lower() in ("zh-hans", "zh") or text.isascii():
            out.append(text)
    return out


def _english(graph: Graph, node: URIRef) -> str | None:
    for pred in (SKOS.prefLabel, RDFS.label):
        for lit in graph.objects(node, pred):
            if isinstance(lit, Literal) and (lit.language or "").lower() == "en":
                return str(lit)
    return None


def _names(graph: Graph, node: URIRef) -> tuple[str, ...]:
    lits = [
        o
        for p in (SKOS.prefLabel, RDFS.label, SKOS.altLabel, XMG.alias, FOAF.name)
        for o in graph.objects(node, p)
    ]
    return _longest_first(_zh_or_latin(lits))


def _load_graph(files: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many types for bad syntax
            raise XmgraphError(Errors.E020, path=path, reason=str(exc).splitlines()[0]) from exc
    return graph


def _metrics(graph: Graph) -> dict[str, MetricInfo]:
    metrics = {}
    for node in sorted(graph.subjects(RDF.type, XMG.Metric), key=str):
        assert isinstance(node, URIRef)
        kind = graph.value(node, XMG.unitKind)
        unit = graph.value(node, XMG.defaultUnit)
        share = graph.value(node, XMG.shareMetric)
        adjusted = graph.value(node, XMG.adjustedMetric)
        attributable = graph.value(node, XMG.attributableMetric)
        metrics[str(node)] = MetricInfo(
            iri=str(node),
            label=_english(graph, node) or str(node).rsplit("/", 1)[-1],
            names=_names(graph, node),
            kind=_KIND_OF_UNIT.get(kind, "money") if isinstance(kind, URIRef) else "money",
            default_unit=str(graph.value(unit, SKOS.notation)) if unit is not None else None,
            share_metric=str(share) if share is not None else None,
            adjusted_metric=str(adjusted) if adjusted is not None else None,
            attributable_metric=str(attributable) if attributable is not None else None,
            recurring_metric=str(rec) if (rec := graph.value(node, XMG.recurringMetric)) else None,
            names_product=bool(graph.value(node, XMG.namesProduct)),
            point_in_time=bool(graph.value(node, XMG.pointInTime)),
            flow_only=bool(graph.value(node, XMG.flowOnly)),
            company_level=bool(graph.value(node, XMG.companyLevel)),
            negative_metric=str(neg) if (neg := graph.value(node, XMG.negativeMetric)) else None,
        )
    return metrics


def _with_listed_names(company: Entity, codes: dict[str, tuple[str, ...]]) -> Entity:
    """A company of the gazetteer also known by the short names its codes are listed under
    (``listed.tsv``) where the gazetteer does not give them (a company renamed since: 国泰海通
    for 国泰君安, SSE:601211)."""
    more = [
        n for i in company.identifiers for n in codes.get(i, ()) if n and n not in company.names
    ]
    return replace(company, names=(*company.names, *more)) if more else company


def _entities(graph: Graph) -> tuple[Entity, ...]:
    kinds = [
        (XMG.Company, "company", None),
        (XMG.Segment, "segment", ORG.unitOf),
        (XMG.Product, "product", XMG.productOf),
        (FOAF.Person, "person", ORG.memberOf),
    ]
    out = []
    for cls, kind, parent_pred in kinds:
        for node in sorted(graph.subjects(RDF.type, cls), key=str):
            assert isinstance(node, URIRef)
            parent = graph.value(node, parent_pred) if parent_pred is not None else None
            names = _names(graph, node)
            out.append(
                Entity(
                    iri=str(node),
                    kind=kind,
                    label=_english(graph, node) or (names[0] if names else str(node)),
                    parent=str(parent) if parent is not None else None,
                    names=names,
                    identifiers=tuple(sorted(str(i) for i in graph.objects(node, ORG.identifier))),
                )
            )
    return tuple(out)


def _regions(graph: Graph) -> tuple[Entity, ...]:
    return tuple(
        Entity(
            iri=str(node),
            kind="region",
            label=_english(graph, node) or str(node),
            names=_names(graph, node),
        )
        for node in sorted(graph.subjects(RDF.type, XMG.Region), key=str)
        if isinstance(node, URIRef)
    )


def _units(graph: Graph) -> tuple[UnitInfo, ...]:
    units = []
    for node in sorted(
        set(graph.subjects(RDF.type, XMG.Unit)) | set(graph.subjects(RDF.type, XMG.Currency)),
        key=str,
    ):
        units.append(
            UnitInfo(
                code=str(graph.value(node, SKOS.notation)),
                words=_longest_first(str(w) for w in graph.objects(node, XMG.word)),
                prefix_words=_longest_first(str(w) for w in graph.objects(node, XMG.prefixWord)),
                currency=(node, RDF.type, XMG.Currency) in graph,
                generic=bool(graph.value(node, XMG.generic)),
                default_metric=str(dm)
                if (dm := graph.value(node, XMG.defaultMetric)) is not None
                else None,
                minor_words=_longest_first(str(w) for w in graph.objects(node, XMG.minorWord)),
                minor_multiplier=Decimal(str(graph.value(node, XMG.minorMultiplier) or 1)),
                change_multiplier=Decimal(str(cm))
                if (cm := graph.value(node, XMG.changeMultiplier)) is not None
                else None,
                broader=str(graph.value(b, SKOS.notation))
                if (b := graph.value(node, SKOS.broader)) is not None
                else None,
                labels=_by_language(graph, node, RDFS.label),
                figure_words=_by_language(graph, node, XMG.figureWord),
            )
        )
    return tuple(units)


def _by_language(graph: Graph, node: Node, pred: URIRef) -> tuple[tuple[str, str], ...]:
    """The literals of ``node`` under ``pred`` as (language tag, text), sorted."""
    return tuple(
        sorted(
            (lit.language or "", str(lit))
            for lit in graph.objects(node, pred)
            if isinstance(lit, Literal)
        )
    )


def _figure_scales(graph: Graph) -> dict[str, tuple[tuple[Decimal, str], ...]]:
    """The scales figures are shown in (xmg:figureWord), by language, largest first."""
    found: dict[str, list[tuple[Decimal, str]]] = {}
    for node in graph.subjects(RDF.type, XMG.Scale):
        value = Decimal(str(graph.value(node, XMG.multiplier)))
        for tag, word in _by_language(graph, node, XMG.figureWord):
            found.setdefault(tag, []).append((value, word))
    return {tag: tuple(sorted(words, reverse=True)) for tag, words in found.items()}


@lru_cache(maxsize=4)
def load_lexicon(ontology: tuple[Path, ...] | None = None) -> Lexicon:
    """Load (and cache) the lexicon from the ontology's Turtle files: once per process, and
    on disk between runs (:mod:`xmgraph.diskcache`, rebuilt when the files change)."""
    from xmgraph import diskcache

    files = ontology if ontology is not None else tuple(ontology_files())
    listed = _listed_for(files)
    extra = (listed,) if listed.is_file() else ()
    return diskcache.cached(
        "lexicon", diskcache.key((*files, *extra)), lambda: _read_lexicon(files, listed)
    )


def _listed_for(files: tuple[Path, ...]) -> Path:
    """The listing table beside the gazetteer ``files`` come with (else the installed one)."""
    folders = [f.parent.parent for f in files if f.parent.name == "companies"]
    return listed_file(folders[0] if folders else None)


def _read_lexicon(files: tuple[Path, ...], listed: Path | None = None) -> Lexicon:
    gazetteer = read_gazetteer(f for f in files if f.parent.name == "companies")
    graph = _load_graph(f for f in files if f.name != "shapes.ttl" and f.parent.name != "companies")
    cues = {
        str(graph.value(node, SKOS.notation)): _longest_first(
            str(w) for w in graph.objects(node, XMG.cue)
        )
        for node in graph.subjects(RDF.type, XMG.CueSet)
    }
    period_words = sorted(
        (
            (str(w), str(graph.value(node, XMG.periodTemplate)))
            for node in graph.subjects(RDF.type, XMG.PeriodWord)
            for w in graph.objects(node, XMG.word)
        ),
        key=lambda p: (-len(p[0]), p[0]),
    )
    roles = {
        str(node): _names(graph, node)
        for node in sorted(graph.subjects(RDF.type, ORG.Role), key=str)
        if isinstance(node, URIRef)
    }
    scales = words_with_values(graph, XMG.Scale)
    standalone = frozenset(
        str(w)
        for node in graph.subjects(RDF.type, XMG.Scale)
        if graph.value(node, XMG.generic)
        for w in graph.objects(node, XMG.word)
    )
    regions = _regions(graph)
    world = next((r.iri for r in regions if r.iri.endswith("/region/world")), "")
    codes = read_listed_codes(listed or _listed_for(files))
    return Lexicon(
        metrics=_metrics(graph),
        entities=(*_entities(graph), *(_with_listed_names(c, codes) for c in gazetteer.companies)),
        regions=regions,
        roles=roles,
        units=_units(graph),
        scales=scales,
        standalone_scales=standalone,
        numerals={w: int(v) for w, v in words_with_values(graph, XMG.Numeral).items()},
        cues=cues,
        period_words=tuple(period_words),
        world_region=world,
        exchanges=gazetteer.exchanges,
        not_subjects=gazetteer.not_subjects,
        name_boundaries=gazetteer.boundaries,
        figure_scales=_figure_scales(graph),
        numeral_places=words_with_values(graph, XMG.NumeralPlace),
        reporting_currencies=gazetteer.reporting_currencies,
        listed=read_listed(listed or _listed_for(files)),
        listed_codes=codes,
        fiscal_year_ends={
            iri: (int(md[2:4]), int(md[5:7])) for iri, md in gazetteer.fiscal_year_ends.items()
        },
    )


__all__ = ["METRIC", "Lexicon", "MetricInfo", "UnitInfo", "load_lexicon"]
