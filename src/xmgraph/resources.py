"""Where the package finds its data: the ontology, the named queries and the demo report.

In a source checkout (``pip install -e .``) these are the repository's own ``ontology/`` and
``queries/`` folders; in an installed wheel they are copied under ``xmgraph/_data``.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from xmgraph.errors import Errors, XmgraphError

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / name


def ontology_dir() -> Path:
    """The folder holding ``xmgraph.ttl``, ``metrics.ttl`` ... and ``entities/``."""
    return _data_dir("ontology")


def queries_dir() -> Path:
    """The folder holding the named SPARQL queries (``*.rq``)."""
    return _data_dir("queries")


def parse_ontology(name: str) -> Graph:
    """``ontology/<name>`` parsed as Turtle (E020 when it is broken)."""
    from rdflib import Graph  # lazy: ``xmgraph --help`` does not load rdflib

    path = ontology_dir() / name
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds of parse errors
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise XmgraphError(Errors.E020, path=path, reason=reason) from exc
    return graph


def demo_report() -> Path:
    """The bundled demo report: Xiaomi Group's 2024 annual results, as received."""
    return _PACKAGE / "data" / "xiaomi-2024-annual-results.txt"


def ontology_files() -> list[Path]:
    """Every Turtle file of the ontology, sorted, entities included."""
    return sorted(ontology_dir().rglob("*.ttl"))


def words_with_values(graph: Graph, cls: URIRef) -> dict[str, Decimal]:
    """Each word (xmg:word) of the instances of ``cls`` in ``graph`` with their
    xmg:multiplier: how the lexicon reads the scales (万 -> 10000) and numerals of
    ``lexicon.ttl``."""
    from rdflib.namespace import RDF

    from xmgraph.namespaces import XMG

    out = {}
    for node in graph.subjects(RDF.type, cls):
        value = graph.value(node, XMG.multiplier)
        for word in graph.objects(node, XMG.word):
            out[str(word)] = Decimal(str(value))
    return out


@functools.cache
def scale_words() -> dict[str, Decimal]:
    """The lexicon's scale words (万, 億, bn ...) and their multipliers, read from
    ``lexicon.ttl`` the lexicon's way: for the stages after extraction, which read figures
    from source sentences without the whole lexicon (the precision of a written figure)."""
    from xmgraph.namespaces import XMG

    return words_with_values(parse_ontology("lexicon.ttl"), XMG.Scale)
