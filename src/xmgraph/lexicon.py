"""The extraction lexicon, loaded from the ontology (stub; the API is final)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lexicon:
    """Everything extract needs to know, read from ``ontology/*.ttl``."""

    vocabulary: frozenset[str] = frozenset()


def load_lexicon() -> Lexicon:
    """Load (and cache) the lexicon from the ontology folder."""
    return Lexicon()
