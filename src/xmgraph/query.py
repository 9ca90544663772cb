"""SPARQL over a graph: the named queries of ``queries/``, your own, bound parameters, and
the W3C result formats.

A query is given by name (``queries/<name>.rq``), as a file, or as text (:func:`resolve`);
it is parsed once (:func:`parse`, errors with line and column), its parameters are bound
with rdflib's ``initBindings`` (never pasted into the text: :func:`parse_params`), and its
result is written in a W3C format (:func:`serialize_result`): SPARQL Results CSV (CRLF),
TSV (LF, terms in Turtle syntax), JSON and XML for SELECT and ASK; Turtle, JSON-LD or
N-Triples for CONSTRUCT and DESCRIBE.

Every named query opens with a comment block: the question it answers, its columns, its
parameters (``#   ?name  kind  description`` lines under ``# Parameters``, kind one of
:data:`PARAM_KINDS`) and an example (:func:`named_query` reads it). A parameter is a
column of the result that a triple pattern binds (or that a HAVING clause compares): then
rdflib's ``initBindings`` and Oxigraph's ``substitutions`` (SEP-0007) give the same rows.

>>> {"facts", "revenue_by_segment", "yoy_growth"} <= set(query_names())
True
>>> named_query("metric_by_segment").parameter("period").kind
'string'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from xmgraph import resources
from xmgraph.errors import Errors, XmgraphError
from xmgraph.namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.query import Result

#: The formats of a SELECT result (``table`` is for people: a rich table in a terminal).
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
#: The formats of an ASK result.
ASK_FORMATS = ("table", "json", "xml")
#: The formats of a CONSTRUCT or DESCRIBE result (a graph).
GRAPH_FORMATS = ("turtle", "jsonld", "nt")
#: Every ``--format`` of ``xmgraph query``.
FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "jsonld", "nt")
#: The kinds of a declared parameter (``#   ?name  kind  description``).
PARAM_KINDS = ("iri", "string", "integer", "decimal", "date", "boolean")
#: Media types of the formats (UTF-8 everywhere).
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "turtle": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}

_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_XSD_KINDS = {
    "integer": XSD.integer,
    "decimal": XSD.decimal,
    "date": XSD.date,
    "boolean": XSD.boolean,
}
_NUMERIC = {
    XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.short,
    XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger,
    XSD.nonPositiveInteger, XSD.unsignedInt, XSD.unsignedLong,
}  # fmt: skip
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PARAM_LINE = re.compile(r"#\s+\?(\w+)\s+(" + "|".join(PARAM_KINDS) + r")\b\s*(.*)")
_SPARQL_WORDS = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE)\b", re.IGNORECASE)
_UPDATE_WORDS = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)
_PREFIX_ERROR = re.compile(r"Unknown namespace prefix\s*:\s*(\S+)")


@dataclass(frozen=True)
class Table:
    """The result of a SELECT query: column names and rows of strings ("" when unbound)."""

    columns: tuple[str, ...]
    rows: list[dict[str, str]]


@dataclass(frozen=True)
class Parameter:
    """A parameter a named query declares: ``?name`` bound with ``initBindings``."""

    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """``queries/<name>.rq``: its question (the first comment line), parameters and text."""

    name: str
    title: str
    parameters: tuple[Parameter, ...]
    text: str

    def parameter(self, name: str) -> Parameter:
        """The declared parameter ``name`` (KeyError when there is none)."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)


@dataclass(frozen=True)
class QuerySpec:
    """A query to run: its text and, for a named query, its declaration."""

    text: str
    named: NamedQuery | None = None
    origin: str = "query"  # the name, the file or "query" (for messages)


# ---------------------------------------------------------------- named queries


def query_names() -> list[str]:
    """The names of the queries in ``queries/``, sorted."""
    return sorted(p.stem for p in resources.queries_dir().glob("*.rq"))


def load_query(name: str) -> str:
    """The text of ``queries/<name>.rq``; E021 when there is none."""
    path = resources.queries_dir() / f"{name}.rq"
    if "/" in name or "\\" in name or not path.is_file():
        raise XmgraphError(Errors.E021, name=name, choices=", ".join(query_names()))
    return path.read_text(encoding="utf-8")


def named_query(name: str) -> NamedQuery:
    """``queries/<name>.rq`` with what its comment block declares; E021 when there is none."""
    text = load_query(name)
    return NamedQuery(name, _title(name, text), _parameters(text), text)


def named_queries() -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return [named_query(name) for name in query_names()]


def _title(name: str, text: str) -> str:
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    if not first.startswith("#"):
        return name
    title = first.lstrip("#").strip()
    prefix = f"{name}.rq:"
    return title[len(prefix) :].strip() if title.startswith(prefix) else title


def _parameters(text: str) -> tuple[Parameter, ...]:
    found: list[Parameter] = []
    inside = False
    for line in text.splitlines():
        if not line.startswith("#"):
            break  # the comment block is over
        if re.match(r"#\s*Parameters\b", line):
            inside = True
            continue
        if not inside:
            continue
        match = _PARAM_LINE.match(line)
        if match:
            found.append(Parameter(match[1], match[2], match[3].strip()))
        elif found and re.match(r"#\s{6,}\S", line):  # a description's continuation line
            last = found[-1]
            more = line.lstrip("#").strip()
            found[-1] = Parameter(last.name, last.kind, f"{last.description} {more}".strip())
        else:
            inside = False
    return tuple(found)


# ---------------------------------------------------------------- resolving and parsing


def resolve(spec: str) -> QuerySpec:
    """A query given as a name of ``queries/``, a file (``.rq``) or SPARQL text.

    E021 (listing the named queries) when ``spec`` is none of them; E001/E006 for a file.
    """
    if _NAME.fullmatch(spec) and spec in query_names():
        return QuerySpec(load_query(spec), named_query(spec), spec)
    if _SPARQL_WORDS.search(spec) or _UPDATE_WORDS.match(spec.strip()) or "{" in spec:
        return QuerySpec(spec)
    path = Path(spec)
    if path.suffix.lower() in (".rq", ".sparql", ".ru") or path.is_file():
        from xmgraph.export import check_input

        check_input(path)  # E001 missing, E002 a folder, E003 empty
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise XmgraphError(Errors.E006, path=path, reason=exc) from exc
        return QuerySpec(text, None, str(path))
    raise XmgraphError(Errors.E021, name=spec, choices=", ".join(query_names()))


@lru_cache(maxsize=128)
def parse(text: str) -> Query:
    """Parse (and translate) a SPARQL query, with the project's prefixes predeclared.

    E028 for SPARQL Update (queries are read-only); E022 for anything malformed, with the
    parser's message and the line and column it points at.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=PREFIXES)
    except ParseException as exc:
        if _is_update(text):
            raise XmgraphError(Errors.E028) from exc
        message = str(exc).split("  (at char")[0].split(" (at char")[0]
        reason = f"line {exc.lineno}, column {exc.col}: {message}"
        raise XmgraphError(Errors.E022, reason=_one_line(reason)) from exc
    except Exception as exc:  # rdflib's algebra errors: unknown prefix, bad aggregate ...
        raise XmgraphError(Errors.E022, reason=_one_line(_locate(text, exc))) from exc


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    if not _UPDATE_WORDS.search(text):
        return False
    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _locate(text: str, exc: Exception) -> str:
    """rdflib's message, with the line and column of an unknown prefix when it names one."""
    message = str(exc) or type(exc).__name__
    match = _PREFIX_ERROR.search(message)
    if match:
        prefix = match[1]
        hit = re.search(rf"(?<![\w:<]){re.escape(prefix)}:", _strip_comments(text))
        if hit:
            line, column = _position(text, hit.start())
            return f"line {line}, column {column}: unknown prefix {prefix}:"
        return f"unknown prefix {prefix}:"
    return message


def _strip_comments(text: str) -> str:
    """``text`` with its comments blanked out (same length, so offsets stay valid)."""
    out: list[str] = []
    quote = ""
    in_iri = in_comment = False
    for ch in text:
        if in_comment:
            in_comment = ch != "\n"
            out.append(ch if ch == "\n" else " ")
            continue
        if quote:
            quote = "" if ch == quote else quote
        elif in_iri:
            in_iri = ch != ">"
        elif ch in "\"'":
            quote = ch
        elif ch == "<":
            in_iri = True
        elif ch == "#":
            in_comment = True
            out.append(" ")
            continue
        out.append(ch)
    return "".join(out)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _one_line(text: str) -> str:
    return " ".join(text.split())[:400]


def query_kind(query: Query) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    return _KINDS.get(query.algebra.name, query.algebra.name)


def formats_for(kind: str) -> tuple[str, ...]:
    """The output formats that fit a query of this kind."""
    if kind == "SELECT":
        return SELECT_FORMATS
    if kind == "ASK":
        return ASK_FORMATS
    return GRAPH_FORMATS


def check_format(fmt: str, kind: str) -> None:
    """E012 for a format xmgraph does not know; E026 for one that does not fit ``kind``."""
    if fmt not in FORMATS:
        raise XmgraphError(Errors.E012, value=fmt, choices=", ".join(FORMATS))
    if fmt not in formats_for(kind):
        raise XmgraphError(Errors.E026, value=fmt, kind=kind, choices=", ".join(formats_for(kind)))


def uses_service(query: Query) -> bool:
    """Whether the query calls another endpoint (``SERVICE``): the endpoint refuses it."""
    found = False

    def visit(node: Any) -> None:
        nonlocal found
        if found:
            return
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            found = True
            return
        if isinstance(node, dict):
            for value in node.values():
                visit(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                visit(value)

    visit(query.algebra)
    return found


# ---------------------------------------------------------------- parameters


def parse_params(
    params: Iterable[str], named: NamedQuery | None = None, *, text: str | None = None
) -> dict[str, Any]:
    """``name=value`` pairs (``--param``) -> initBindings.

    For a named query the value is read as its declared kind (an ``iri`` may be written
    ``<...>``, ``prefix:name`` with a prefix of :data:`~xmgraph.namespaces.PREFIXES`, or
    absolute); an undeclared name is E027. For your own query a value that looks like an
    IRI is one, anything else a plain string, and a variable the query does not use is
    E027. Either way ``"..."@lang`` and ``"..."^^type`` are literals as written. E023 for a
    pair that is not ``name=value``.
    """
    bindings: dict[str, Any] = {}
    used = _variables(text) if text is not None and named is None else None
    for pair in params:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _NAME.fullmatch(name):
            raise XmgraphError(Errors.E023, value=pair)
        kind: str | None = None
        if named is not None:
            try:
                kind = named.parameter(name).kind
            except KeyError:
                choices = ", ".join(p.name for p in named.parameters) or "none"
                raise XmgraphError(
                    Errors.E027, name=name, query=named.name, choices=choices
                ) from None
        elif used is not None and name not in used:
            choices = ", ".join(sorted(used)) or "none"
            raise XmgraphError(Errors.E027, name=name, query="the query", choices=choices)
        bindings[name] = term(value, kind)
    return bindings


def _variables(text: str) -> set[str]:
    return set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", _strip_comments(text)))


def term(value: str, kind: str | None = None) -> URIRef | Literal:
    """A parameter's value as an RDF term (see :func:`parse_params`).

    >>> term("metric:Revenue", "iri")
    rdflib.term.URIRef('https://w3id.org/xmgraph/metric/Revenue')
    >>> term("2024", "string")
    rdflib.term.Literal('2024')
    >>> term('"2024"^^xsd:integer').datatype == XSD.integer
    True
    """
    explicit = _explicit_term(value)
    if explicit is not None:
        return explicit
    if kind == "iri" or (kind is None and _looks_like_iri(value)):
        iri = _iri(value)
        if iri is None:
            raise XmgraphError(Errors.E023, value=f"{value} (not an IRI)")
        return iri
    if kind in _XSD_KINDS:
        literal = Literal(value, datatype=_XSD_KINDS[kind])
        if literal.ill_typed:
            raise XmgraphError(Errors.E023, value=f"{value} (not an xsd:{kind})")
        return literal
    return Literal(value)


#: What an IRI may not contain (SPARQL's IRIREF): a parameter's IRI is checked for them.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _explicit_term(value: str) -> URIRef | Literal | None:
    if value.startswith("<") and value.endswith(">") and len(value) > 2:
        if _NOT_IN_IRI.search(value[1:-1]):
            raise XmgraphError(Errors.E023, value=f"{value} (not an IRI)")
        return URIRef(value[1:-1])
    match = re.fullmatch(r'"(.*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?', value, re.S)
    if not match:
        return None
    lexical, lang, datatype = match[1], match[2], match[3]
    if datatype:
        dt = _iri(datatype[1:-1] if datatype.startswith("<") else datatype)
        if dt is None:
            raise XmgraphError(Errors.E023, value=f"{value} (unknown datatype)")
        return Literal(lexical, datatype=dt)
    return Literal(lexical, lang=lang) if lang else Literal(lexical)


def _looks_like_iri(value: str) -> bool:
    if re.match(r"(https?|urn|file|mailto):", value):
        return True
    prefix, sep, _ = value.partition(":")
    return bool(sep) and prefix in PREFIXES


def _iri(value: str) -> URIRef | None:
    """An IRI written ``prefix:name`` or absolute; None when ``value`` is none (or holds a
    character no IRI may hold)."""
    prefix, sep, local = value.partition(":")
    if _NOT_IN_IRI.search(value):
        return None
    if sep and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:\S+$", value):
        return URIRef(value)
    return None


# ---------------------------------------------------------------- running


def execute(graph: Graph, query: Query | str, bindings: Mapping[str, Any] | None = None) -> Result:
    """Run a parsed query (or text, see :func:`parse`) over ``graph`` with ``bindings``
    as initBindings; the rows are computed now. E024 when rdflib fails."""
    if isinstance(query, str):
        query = parse(query)
    init = {k.lstrip("?$"): _term(v) for k, v in (bindings or {}).items()}
    try:
        result = graph.query(query, initBindings=init)
        if result.type == "SELECT":
            _ = result.bindings  # evaluated now, inside the try
    except XmgraphError:
        raise
    except Exception as exc:  # rdflib's evaluation errors
        raise XmgraphError(Errors.E024, reason=_one_line(str(exc) or type(exc).__name__)) from exc
    return result


@cache
def prepared(name: str) -> Query:
    """``queries/<name>.rq``, parsed once per process (E021, E022)."""
    return parse(load_query(name))


def _term(value: Any) -> Any:
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    return Literal(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def run_query(graph: Graph, name: str, *, bindings: Mapping[str, Any] | None = None) -> Table:
    """Run the named SELECT query over ``graph``; ``bindings`` maps variable names (without
    ``?``) to values bound with rdflib's ``initBindings`` (plain values become literals)."""
    result = execute(graph, prepared(name), bindings)
    return to_table(result)


def to_table(result: Result) -> Table:
    """A SELECT result as a :class:`Table` of strings."""
    columns = tuple(str(v) for v in (result.vars or ()))
    rows = [{c: _text(row[i]) for i, c in enumerate(columns)} for row in result]  # type: ignore[index]
    return Table(columns, rows)


# ---------------------------------------------------------------- result formats


def serialize_result(result: Result, fmt: str) -> bytes:
    """``result`` in a W3C format: ``csv`` ``tsv`` ``json`` ``xml`` for SELECT (and
    ``json`` ``xml`` for ASK), ``turtle`` ``jsonld`` ``nt`` for CONSTRUCT and DESCRIBE."""
    kind = result.type
    check_format(fmt, kind)
    if kind in ("CONSTRUCT", "DESCRIBE"):
        from xmgraph.build import bind_prefixes
        from xmgraph.export import serialize

        assert result.graph is not None
        return serialize(bind_prefixes(result.graph), "json-ld" if fmt == "jsonld" else fmt)
    if fmt == "tsv":
        return tsv_bytes(result.vars or (), result.bindings)
    if fmt == "table":
        raise ValueError("a table is printed, not serialized")
    data = result.serialize(format=fmt, encoding="utf-8")
    assert data is not None
    return data if data.endswith(b"\n") or fmt == "csv" else data + b"\n"


def tsv_bytes(variables: Sequence[Any], rows: Iterable[Mapping[Any, Any]]) -> bytes:
    """SPARQL 1.1 Query Results TSV: ``?var`` header, Turtle terms, tabs, LF line ends.

    >>> from rdflib import Variable
    >>> tsv_bytes([Variable("x"), Variable("n")], [{Variable("x"): URIRef("urn:a")}])
    b'?x\\t?n\\n<urn:a>\\t\\n'
    """
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join(tsv_term(row.get(v)) for v in variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


def tsv_term(value: Any) -> str:
    """One RDF term in the TSV format's (Turtle) syntax; "" when unbound."""
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return "<" + _escape_iri(str(value)) + ">"
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, Literal):
        lexical = str(value)
        if value.language:
            return _quote(lexical) + "@" + value.language
        dt = value.datatype
        if dt is None or dt == XSD.string:
            return _quote(lexical)
        if (
            (dt == XSD.integer and re.fullmatch(r"[+-]?[0-9]+", lexical))
            or (dt == XSD.decimal and re.fullmatch(r"[+-]?[0-9]*\.[0-9]+", lexical))
            or (
                dt == XSD.double
                and re.fullmatch(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+", lexical)
            )
        ):
            return lexical  # the abbreviated forms the spec asks for
        return _quote(lexical) + "^^<" + _escape_iri(str(dt)) + ">"
    return _quote(str(value))


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _escape_iri(iri: str) -> str:
    return "".join(
        f"\\u{ord(ch):04X}" if ch in '<>"{}|^`\\' or ord(ch) <= 0x20 else ch for ch in iri
    )


# ---------------------------------------------------------------- a table for people


def compact(iri: str) -> str:
    """An IRI with the longest matching prefix of PREFIXES (for display only).

    >>> compact("https://w3id.org/xmgraph/metric/Revenue")
    'metric:Revenue'
    """
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    if not best:
        return iri
    local = iri[len(PREFIXES[best]) :]
    return f"{best}:{local}" if local and not re.search(r"[\s<>\"{}|^`\\]", local) else iri


def display(value: Any) -> str:
    """A term as a person reads it: compact IRIs, numbers with thousands separators from
    10,000 up, the lexical form of other literals; "" when unbound.

    >>> display(Literal(Decimal("191800000000")))
    '191,800,000,000'
    >>> display(Literal(2024))
    '2024'
    """
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return compact(str(value))
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, Literal) and value.datatype in _NUMERIC:
        return _grouped(str(value))
    return str(value)


def is_numeric(value: Any) -> bool:
    """Whether a term is a numeric literal (right-aligned in a table)."""
    return isinstance(value, Literal) and value.datatype in _NUMERIC


def _grouped(lexical: str) -> str:
    try:
        number = Decimal(lexical)
    except InvalidOperation:
        return lexical
    if not number.is_finite() or abs(number) < 10000 or "e" in lexical.lower():
        return lexical
    whole, dot, frac = lexical.partition(".")
    sign = whole[0] if whole[:1] in "+-" and whole else ""
    digits = whole.lstrip("+-")
    return f"{sign}{int(digits):,}{dot}{frac}" if digits.isdigit() else lexical
