"""Numeric cross-checks: does the report's arithmetic hold, within the precision it was stated?

The checks read the observations of a graph (never an extraction, so graphs written earlier
can be checked too) and compare figures that bear on each other:

- ``growth``: a stated year-on-year (or quarter-on-quarter) change against the two stated
  values (the seed's gross profit: 765.6 vs 574.76 -> +33.2 %: consistent);
- ``parts-whole``: the direct units of a whole (org:hasUnit) summed against it for metrics
  that add up, each product, unit or region not larger than its whole;
- ``share-total``: shares of one total (regions of a company, units of one whole) above 100 %;
- ``share-value``: a stated share against the stated part and whole;
- ``restatement``: the same fact stated twice with different values (a conflict);
- ``implied-value``: a value implied by others and not stated (the prior year's value from
  the growth rate, a part from its share of a whole) becomes an observation qualified
  ``derived``, ``prov:wasDerivedFrom`` the observations it came from.

Each check is a :class:`~xmgraph.check_results.Check` with a deterministic IRI;
:func:`check_graph` runs them and records them (and the derived observations) in a graph,
where ``queries/consistency.rq`` lists them. The vocabulary is ``ontology/checks.ttl``, whose
header explains how tolerances follow the stated precision.

This module is the entry point; the work is done by :mod:`xmgraph.precision` (what a stated
figure stands for), :mod:`xmgraph.figures` (what is read from the graph),
:mod:`xmgraph.check_run` (one run), :mod:`xmgraph.check_growth`, :mod:`xmgraph.check_parts`
and :mod:`xmgraph.check_shares` (the checks) and :mod:`xmgraph.check_results` (the results,
recorded in RDF).
"""

from __future__ import annotations

from rdflib import Graph

from xmgraph.check_growth import growth, restatements
from xmgraph.check_parts import parts_whole
from xmgraph.check_results import (
    KINDS,
    STATUSES,
    VIOLATIONS,
    Check,
    Derivation,
    check_triples,
    iter_violations,
    record_checks,
    remove_checks,
    summary,
)
from xmgraph.check_run import Run
from xmgraph.check_shares import share_totals, share_values
from xmgraph.figures import (
    HUNDRED,
    PERCENT,
    PERCENTAGE_POINT,
    Key,
    Observation,
    Ontology,
    checks_vocabulary,
    read_observations,
)
from xmgraph.namespaces import WORLD
from xmgraph.precision import INF, Bounds, resolution, written_steps

__all__ = [
    "HUNDRED",
    "INF",
    "KINDS",
    "PERCENT",
    "PERCENTAGE_POINT",
    "STATUSES",
    "VIOLATIONS",
    "WORLD",
    "Bounds",
    "Check",
    "Derivation",
    "Key",
    "Observation",
    "check_graph",
    "check_triples",
    "checks_vocabulary",
    "iter_violations",
    "read_observations",
    "record_checks",
    "remove_checks",
    "resolution",
    "run_checks",
    "summary",
    "written_steps",
]


def run_checks(graph: Graph) -> list[Check]:
    """Run every check over the observations of ``graph`` (which is not changed).

    Observations qualified ``derived`` are never used: checks compare stated figures.
    Results are sorted by IRI.
    """
    run = Run(Ontology(graph), read_observations(graph))
    restatements(run)
    growth(run)
    parts_whole(run)
    share_totals(run)
    share_values(run)
    unique = {c.iri: c for c in run.checks}
    return [unique[iri] for iri in sorted(unique)]


def check_graph(graph: Graph, *, record: bool = True) -> list[Check]:
    """Run the checks over ``graph``; with ``record`` (the default) write them into it."""
    checks = run_checks(remove_checks(graph) if record else graph)
    if record:
        record_checks(graph, checks)
    return checks
