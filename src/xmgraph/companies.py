"""The gazetteer of listed companies (``ontology/companies/*.ttl``): read fast, matched fast.

The files are read with Oxigraph's parser (hundreds of companies in milliseconds), not into an
rdflib graph. Besides the companies they hold the organisations a report is never about
(``not-subjects.ttl``): exchanges, whose codes identify the companies, regulators and news
agencies.

>>> gaz = read_gazetteer(gazetteer_files())
>>> identifier("HK", "00700", gaz.exchanges)
'HKEX:700'
>>> identifier("SH", "600519", gaz.exchanges)
'SSE:600519'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from xmgraph.model import Entity
from xmgraph.resources import ontology_dir

XMG = "https://w3id.org/xmgraph/ont#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG_IDENTIFIER = "http://www.w3.org/ns/org#identifier"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
SCHEMA_LEI = "http://schema.org/leiCode"
_NAME_PREDICATES = (SKOS + "prefLabel", RDFS_LABEL, SKOS + "altLabel", XMG + "alias")

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: (subject, predicate, object value, its language, its datatype, whether it is an IRI);
#: "" where there is none (a plain string has no datatype, as rdflib reads it)
Row = tuple[str, str, str, str, str, bool]


@dataclass(frozen=True)
class Exchange:
    """A stock exchange: the agency of identifiers like ``HKEX:1810``."""

    iri: str
    code: str  #: skos:notation, the prefix of its identifiers
    names: tuple[str, ...]
    suffixes: tuple[str, ...]  #: written after a code: 00700.HK
    code_pattern: str  #: every code of the exchange matches it
    strip_zeros: bool  #: codes are written without leading zeros (HKEX:700)


@dataclass(frozen=True)
class Gazetteer:
    """Listed companies, exchanges and the names of organisations that are never a subject."""

    companies: tuple[Entity, ...]
    exchanges: tuple[Exchange, ...]
    not_subjects: tuple[str, ...]  #: names (exchanges, regulators, news agencies)
    fiscal_year_ends: dict[str, str]  #: company IRI -> "--03-31"
    same_as: dict[str, tuple[str, ...]]  #: company IRI -> Wikidata IRIs
    leis: dict[str, str]  #: company IRI -> its Legal Entity Identifier (ISO 17442)
    reporting_currencies: dict[str, str]  #: company IRI -> "HKD": what its bare 元 means
    #: not-subjects that hold a short name across a word boundary (中电科): no agency's name
    boundaries: tuple[str, ...] = ()


def gazetteer_files(folder: Path | None = None) -> list[Path]:
    """The Turtle files of the gazetteer, sorted."""
    return sorted(((folder or ontology_dir()) / "companies").glob("*.ttl"))


def listed_file(folder: Path | None = None) -> Path:
    """The table of every listed company's code and short name (``companies/listed.tsv``)."""
    return (folder or ontology_dir()) / "companies" / "listed.tsv"


def read_listed(path: Path) -> dict[str, str]:
    """Name -> identifier of ``listed.tsv`` (short and legal names; a name two listings
    share is left out: it confirms no company). An absent file is an empty table."""
    seen: dict[str, set[str]] = defaultdict(set)
    for row in _listed_rows(path):
        ident, names = row[0], [n for n in row[1:3] if n]
        for name in names:
            seen[name].add(ident)
    return {name: next(iter(ids)) for name, ids in sorted(seen.items()) if len(ids) == 1}


def read_listed_codes(path: Path) -> dict[str, tuple[str, ...]]:
    """Every identifier ``listed.tsv`` lists (the first column) -> its Chinese short and legal
    names (none for a Hong Kong listing: the list has only English names)."""
    return {row[0]: tuple(n for n in row[1:3] if n) for row in _listed_rows(path) if row[0]}


def _listed_rows(path: Path) -> list[list[str]]:
    """The rows of ``listed.tsv`` below its header, as cells (none when there is no file)."""
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.split("\t") for ln in lines if ln and not ln.startswith("#")][1:]


@cache
def read_rows(path: Path) -> tuple[Row, ...]:
    """The triples of one Turtle file as plain tuples (E020 when it is broken), read once
    per process (the lexicon and the builder both need them)."""
    import pyoxigraph

    from xmgraph.errors import Errors, XmgraphError

    rows: list[Row] = []
    try:
        for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            obj = quad.object
            lang = dtype = ""
            if isinstance(obj, pyoxigraph.Literal):
                lang = obj.language or ""
                dtype = obj.datatype.value
                dtype = "" if dtype in (XSD_STRING, RDF_LANG_STRING) else dtype
            is_iri = isinstance(obj, pyoxigraph.NamedNode)
            rows.append((quad.subject.value, quad.predicate.value, obj.value, lang, dtype, is_iri))
    except (SyntaxError, ValueError, OSError) as exc:
        raise XmgraphError(Errors.E020, path=path, reason=str(exc).splitlines()[0]) from exc
    return tuple(rows)


def _usable(value: str, lang: str) -> bool:
    """Names matched in reports: Simplified Chinese, or written in Latin letters."""
    return lang.lower() in ("zh-hans", "zh") or (lang == "" and value.isascii()) or value.isascii()


def _company(iri: str, props: dict[str, list[tuple[str, str]]]) -> Entity:
    names = {v.strip() for p in _NAME_PREDICATES for v, lang in props[p] if _usable(v, lang)}
    english = next((v for v, lang in props[RDFS_LABEL] if lang.lower() == "en"), None)
    ordered = longest_first(names)
    return Entity(
        iri=iri,
        kind="company",
        label=english or (ordered[0] if ordered else iri),
        names=ordered,
        identifiers=tuple(sorted(v for v, _ in props[ORG_IDENTIFIER])),
    )


def _exchange(iri: str, props: dict[str, list[tuple[str, str]]]) -> Exchange:
    names = {v for p in _NAME_PREDICATES for v, lang in props[p] if _usable(v, lang)}
    return Exchange(
        iri=iri,
        code=props[SKOS + "notation"][0][0],
        names=longest_first(names),
        suffixes=tuple(sorted(v for v, _ in props[XMG + "tickerSuffix"])),
        code_pattern=next((v for v, _ in props[XMG + "codePattern"]), r"\w+"),
        strip_zeros=any(v == "true" for v, _ in props[XMG + "stripLeadingZeros"]),
    )


def read_gazetteer(files: Iterable[Path]) -> Gazetteer:
    """Read the gazetteer's files into companies, exchanges and names never a subject."""
    props: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    types: dict[str, set[str]] = defaultdict(set)
    for path in files:
        for s, p, o, lang, _, _ in read_rows(path):
            (types[s].add(o) if p == RDF_TYPE else props[s][p].append((o, lang)))
    companies: list[Entity] = []
    exchanges: list[Exchange] = []
    not_subjects: set[str] = set()
    boundaries: set[str] = set()
    for iri in sorted(types):
        if XMG + "Company" in types[iri]:
            companies.append(_company(iri, props[iri]))
        if XMG + "Exchange" in types[iri]:
            exchanges.append(_exchange(iri, props[iri]))
        if XMG + "NotSubject" in types[iri]:
            names = {v for p in _NAME_PREDICATES for v, lang in props[iri][p] if _usable(v, lang)}
            not_subjects.update(names)
            if XMG + "NameBoundary" in types[iri]:
                boundaries.update(names)
    return Gazetteer(
        companies=tuple(companies),
        exchanges=tuple(exchanges),
        not_subjects=longest_first(not_subjects),
        boundaries=longest_first(boundaries),
        fiscal_year_ends={
            c.iri: props[c.iri][XMG + "fiscalYearEnd"][0][0]
            for c in companies
            if props[c.iri][XMG + "fiscalYearEnd"]
        },
        same_as={
            c.iri: tuple(v for v, _ in props[c.iri][OWL_SAME_AS])
            for c in companies
            if props[c.iri][OWL_SAME_AS]
        },
        leis={c.iri: props[c.iri][SCHEMA_LEI][0][0] for c in companies if props[c.iri][SCHEMA_LEI]},
        reporting_currencies={
            c.iri: props[c.iri][XMG + "reportingCurrency"][0][0].rsplit("/", 1)[-1]
            for c in companies
            if props[c.iri][XMG + "reportingCurrency"]
        },
    )


def identifier(exchange_word: str, code: str, exchanges: Iterable[Exchange]) -> str | None:
    """``HKEX:700`` for an exchange (its code, a suffix or a name) and a code as written.

    A bare code (no exchange word: ``""``) belongs to the first exchange whose codes it fits
    and that has ticker suffixes (the A-share and Hong Kong exchanges: NYSE symbols are
    never written bare).
    """
    word = exchange_word.strip().upper()
    for ex in exchanges:
        named = word in (ex.code, *ex.suffixes) or exchange_word.strip() in ex.names
        if (named or (not word and ex.suffixes)) and re.fullmatch(ex.code_pattern, code):
            return f"{ex.code}:{(code.lstrip('0') or '0') if ex.strip_zeros else code}"
    return None


def exchange_of(ident: str, exchanges: Iterable[Exchange]) -> Exchange | None:
    """The exchange an identifier (``HKEX:700``) belongs to."""
    prefix = ident.split(":", 1)[0]
    return next((ex for ex in exchanges if ex.code == prefix), None)


__all__ = [
    "Exchange",
    "Gazetteer",
    "exchange_of",
    "gazetteer_files",
    "identifier",
    "read_gazetteer",
    "read_rows",
]


def longest_first(names: Iterable[str]) -> tuple[str, ...]:
    """Names in the order they are kept and matched in: longest first, then by character."""
    return tuple(sorted(names, key=lambda n: (-len(n), n)))
