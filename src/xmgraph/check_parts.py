"""The ``parts-whole`` checks: the direct units of a whole (org:hasUnit) summed against it
for metrics that add up (a shortfall in a whole whose units are not all named is a
``remainder``), and no unit, product or region larger than its whole."""

from __future__ import annotations

from decimal import Decimal

from rdflib import URIRef

from xmgraph.check_results import Check
from xmgraph.check_run import Run, amount, name_of
from xmgraph.figures import HUNDRED, PERCENT, PERCENTAGE_POINT, Observation
from xmgraph.namespaces import WORLD
from xmgraph.precision import Bounds


def parts_whole(run: Run) -> None:
    """The ``parts-whole`` checks of each whole of a monotone metric (no part larger than the
    whole): against its units, its products and its regions."""
    for whole in run.inputs:
        if not run.onto.monotone(whole.metric) or whole.unit in (PERCENT, PERCENTAGE_POINT):
            continue
        units = run.onto.units(whole.entity)
        if units:
            _unit_parts(run, whole, units)
        products = run.onto.products(whole.entity)
        if products:
            _each_part(run, whole, [(p, whole.region) for p in products], "its products")
        if whole.region == WORLD:
            regions = sorted(
                {
                    o.region
                    for k, group in run.by_key.items()
                    for o in group
                    if k[:3] == whole.key[:3] and k[4] == whole.scenario and o.region != WORLD
                }
            )
            if regions:
                _region_parts(run, whole, regions)


def _add(
    run: Run,
    whole: Observation,
    parts: list[Observation],
    status: str,
    message: str,
    expected: Decimal,
    bounds: Bounds | None,
    facet: str = "",
) -> None:
    """Add a ``parts-whole`` check of ``whole`` against ``parts`` (the sum or the largest)."""
    run.add(
        Check(
            "parts-whole",
            status,
            whole.iri,
            (whole.iri, *(p.iri for p in parts)),
            message,
            whole.unit,
            expected,
            bounds,
            whole.value,
            facet=facet,
        )
    )


def _part(run: Run, whole: Observation, entity: URIRef, region: URIRef) -> Observation | None:
    return run.one((entity, whole.metric, whole.period, region, whole.scenario), whole.unit)


def _unit_parts(run: Run, whole: Observation, units: tuple[URIRef, ...]) -> None:
    if not run.onto.additive(whole.metric):
        _each_part(run, whole, [(u, whole.region) for u in units], "its units")
        return
    parts = [p for u in units if (p := _part(run, whole, u, whole.region)) is not None]
    if not parts:
        return
    total = Bounds(Decimal(0), Decimal(0))
    for part in parts:
        total = total + part.bounds
    stated_sum = sum((p.value for p in parts), Decimal(0))
    w = whole.bounds
    # the units of a minted whole are only those the report named: not a full list
    every = len(parts) == len(units) and run.onto.known(whole.entity)
    names = ", ".join(run.onto.label(p.entity) for p in parts)
    message = (
        f"{name_of(whole, run.onto)}: its units {names} add up to "
        f"{amount(stated_sum, whole.unit, run.onto)} against "
        f"{amount(whole.value, whole.unit, run.onto)}"
    )
    missing = [run.onto.label(u) for u in units if u not in {p.entity for p in parts}]
    if missing:
        message += f" (not stated: {', '.join(missing)})"
    larger = [run.onto.label(p.entity) for p in parts if p.bounds.lo > w.hi]
    if larger:
        status = "inconsistent"
        message += f": {', '.join(larger)} alone larger than the whole"
    elif total.lo > w.hi:
        status = "inconsistent"
        message += ": the parts exceed the whole (a unit nested in another, or unit figures "
        message += "before inter-segment eliminations?)"
    elif every and total.hi < w.lo:
        rest = whole.value - stated_sum
        share = f"{rest / whole.value * HUNDRED:.1f} %" if whole.value else ""
        tail = f"{amount(rest, whole.unit, run.onto)} ({share}) is in no named unit"
        if run.onto.units_complete(whole.entity):
            status, message = "inconsistent", message + f": {tail}, but the units are complete"
        else:
            status, message = (
                "remainder",
                message + f": {tail} (an unnamed part such as 'others')",
            )
    else:
        status, message = "consistent", message + ": consistent"
    _add(run, whole, parts, status, message, stated_sum, total)


def _each_part(run: Run, whole: Observation, keys: list[tuple[URIRef, URIRef]], what: str) -> None:
    parts = [p for e, r in keys if (p := _part(run, whole, e, r)) is not None]
    if not parts:
        return
    w = whole.bounds

    def name(p: Observation) -> str:
        return run.onto.label(p.entity if p.region == whole.region else p.region)

    larger = [name(p) for p in parts if p.bounds.lo > w.hi]
    names = ", ".join(f"{name(p)} {amount(p.value, p.unit, run.onto)}" for p in parts)
    message = f"{name_of(whole, run.onto)}: {amount(whole.value, whole.unit, run.onto)}"
    message += f"; {what}: {names}"
    if larger:
        status = "inconsistent"
        message += f": {', '.join(larger)} larger than the whole"
    else:
        status, message = "consistent", message + ": none larger than the whole"
    biggest = max(p.value for p in parts)
    _add(run, whole, parts, status, message, biggest, None)


def _region_parts(run: Run, whole: Observation, regions: list[URIRef]) -> None:
    keys = [(whole.entity, r) for r in regions]
    _each_part(run, whole, keys, "its regions")
    if not run.onto.additive(whole.metric):
        return
    for region in regions:
        other = run.onto.complement(region)
        if other is None or other < region or other not in regions:
            continue  # each complementary pair once
        a, b = _part(run, whole, whole.entity, region), _part(run, whole, whole.entity, other)
        if a is None or b is None:
            continue
        total, w = a.bounds + b.bounds, whole.bounds
        ok = total.overlaps(w)
        message = (
            f"{name_of(whole, run.onto)}: {run.onto.label(region)} "
            f"{amount(a.value, a.unit, run.onto)} and {run.onto.label(other)} "
            f"{amount(b.value, b.unit, run.onto)} add up to "
            f"{amount(a.value + b.value, whole.unit, run.onto)} against "
            f"{amount(whole.value, whole.unit, run.onto)}: "
            f"{'consistent' if ok else 'inconsistent'}"
        )
        status = "consistent" if ok else "inconsistent"
        _add(run, whole, [a, b], status, message, a.value + b.value, total, "complement")
