"""Extract facts from a normalized document (work in progress: a stub with the final API)."""

from __future__ import annotations

from xmgraph.lexicon import Lexicon
from xmgraph.model import Document, Extraction


def extract(doc: Document, lexicon: Lexicon) -> Extraction:
    """Find the facts, entities and roles stated in ``doc``."""
    return Extraction(report=doc.report, facts=(), entities=(), repairs=doc.repairs)
