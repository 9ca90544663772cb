"""xmgraph: RDF knowledge graphs from Chinese company results news.

read -> normalize -> extract -> build -> validate -> query/export/view. The public API is
imported lazily, so ``import xmgraph`` (and ``xmgraph --help``) does not load rdflib:

>>> import xmgraph
>>> xmgraph.__version__
'0.1.0'
>>> sorted(xmgraph.__all__)[:3]
['XmgraphError', '__version__', 'build_graph']
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# a library logs, the application decides what to show (the CLI prints warnings)
logging.getLogger(__name__).addHandler(logging.NullHandler())

#: public name -> the module that defines it
_EXPORTS = {
    "build_graph": "xmgraph.pipeline",
    "extract_report": "xmgraph.pipeline",
    "facts_rows": "xmgraph.facts",
    "load_graph": "xmgraph.export",
    "write_graph": "xmgraph.export",
    "validate_graph": "xmgraph.validate",
    "check_graph": "xmgraph.consistency",
    "XmgraphError": "xmgraph.errors",
}

__all__ = ["XmgraphError", "__version__", "build_graph", "extract_report", "facts_rows"]
__all__ += ["load_graph", "write_graph"]
__all__ += ["check_graph", "validate_graph"]

if TYPE_CHECKING:
    from xmgraph.consistency import check_graph
    from xmgraph.errors import XmgraphError
    from xmgraph.export import load_graph, write_graph
    from xmgraph.facts import facts_rows
    from xmgraph.pipeline import build_graph, extract_report
    from xmgraph.validate import validate_graph


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'xmgraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
