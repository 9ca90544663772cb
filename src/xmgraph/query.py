"""Named SPARQL queries: ``queries/<name>.rq``, run over a graph with bound parameters.

>>> {"facts", "revenue_by_segment"} <= set(query_names())
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from xmgraph import resources
from xmgraph.errors import Errors, XmgraphError
from xmgraph.namespaces import PREFIXES


@dataclass(frozen=True)
class Table:
    """The result of a SELECT query: column names and rows of strings ("" when unbound)."""

    columns: tuple[str, ...]
    rows: list[dict[str, str]]


def query_names() -> list[str]:
    """The names of the queries in ``queries/``, sorted."""
    return sorted(p.stem for p in resources.queries_dir().glob("*.rq"))


def load_query(name: str) -> str:
    """The text of ``queries/<name>.rq``; E021 when there is none."""
    path = resources.queries_dir() / f"{name}.rq"
    if "/" in name or "\\" in name or not path.is_file():
        raise XmgraphError(Errors.E021, name=name, choices=", ".join(query_names()))
    return path.read_text(encoding="utf-8")


@cache
def prepared(name: str) -> Query:
    """``queries/<name>.rq``, parsed once per process (E022 when malformed)."""
    text = load_query(name)
    try:
        return prepareQuery(text, initNs=PREFIXES)
    except Exception as exc:  # pyparsing's errors, rdflib's algebra errors
        raise XmgraphError(Errors.E022, reason=" ".join(str(exc).split())[:300]) from exc


def _term(value: Any) -> Any:
    if isinstance(value, (URIRef, Literal)):
        return value
    return Literal(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def run_query(graph: Graph, name: str, *, bindings: Mapping[str, Any] | None = None) -> Table:
    """Run the named SELECT query over ``graph``; ``bindings`` maps variable names (without
    ``?``) to values bound with rdflib's ``initBindings`` (plain values become literals)."""
    query = prepared(name)
    init = {k.lstrip("?$"): _term(v) for k, v in (bindings or {}).items()}
    try:
        result = graph.query(query, initBindings=init)
        columns = tuple(str(v) for v in (result.vars or ()))
        rows = [{c: _text(row[i]) for i, c in enumerate(columns)} for row in result]  # type: ignore[index]
    except XmgraphError:
        raise
    except Exception as exc:  # rdflib's evaluation errors
        raise XmgraphError(Errors.E024, reason=" ".join(str(exc).split())[:300]) from exc
    return Table(columns, rows)
