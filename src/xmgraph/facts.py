"""The facts table: one row per observation, a view of the graph made by ``queries/facts.rq``.

Its columns are :data:`xmgraph.model.FACT_COLUMNS` (a contract: other tools read it).

>>> import io
>>> out = io.StringIO()
>>> write_csv([], out)
>>> out.getvalue()
'entity,entity_label,metric,metric_label,period,value,unit,yoy_pct,qualifier,region,source,start,end\\n'
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from xmgraph.model import FACT_COLUMNS, FACT_EXTRA_COLUMNS

if TYPE_CHECKING:
    from rdflib import Graph

#: The output formats of ``xmgraph facts``.
TABLE_FORMATS = ("csv", "jsonl")


def facts_rows(graph: Graph, *, engine: str = "oxigraph") -> list[dict[str, str]]:
    """The facts table of ``graph``: ``queries/facts.rq`` run over it, rows in its order,
    on Oxigraph (the graph copied into memory: fast) or on rdflib (``engine="rdflib"``, the
    reference the tests compare it with)."""
    if engine == "oxigraph":
        from xmgraph.store import facts_rows as store_facts_rows
        from xmgraph.store import in_oxigraph

        return store_facts_rows(in_oxigraph(graph))
    from xmgraph.query import run_query

    table = run_query(graph, "facts")
    missing = set(FACT_COLUMNS) - set(table.columns)
    if missing:  # facts.rq and the contract disagree: a bug, not bad input
        raise RuntimeError(f"queries/facts.rq lacks the columns {sorted(missing)}")
    extra = [c for c in FACT_EXTRA_COLUMNS if c in table.columns]
    return [{c: row[c] for c in (*FACT_COLUMNS, *extra)} for row in table.rows]


def write_csv(rows: Iterable[dict[str, str]], stream: TextIO) -> None:
    """Write the header and the rows as CSV (``\\n`` line ends)."""
    writer = csv.DictWriter(
        stream, fieldnames=FACT_COLUMNS, lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)


def write_jsonl(rows: Iterable[dict[str, str]], stream: TextIO) -> None:
    """Write one JSON object a line, the same fields (all strings) in the same order, then
    ``rules`` (the ids of the rules that made the fact) where the table has it."""
    for row in rows:
        cols = (*FACT_COLUMNS, *(c for c in FACT_EXTRA_COLUMNS if c in row))
        stream.write(json.dumps({c: row[c] for c in cols}, ensure_ascii=False) + "\n")
