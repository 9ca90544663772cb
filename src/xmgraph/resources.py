"""Where the package finds its data: the ontology, the named queries and the demo report.

In a source checkout (``pip install -e .``) these are the repository's own ``ontology/`` and
``queries/`` folders; in an installed wheel they are copied under ``xmgraph/_data``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from xmgraph.errors import Errors, XmgraphError

if TYPE_CHECKING:
    from rdflib import Graph

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
