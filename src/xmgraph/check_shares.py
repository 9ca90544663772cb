"""The checks of shares (percentages of a total): shares of one total above 100 %
(``share-total``: the regions of a company, the units of one whole), a stated share against
the stated part and whole (``share-value``), and the part or whole a share implies where it
is not stated (``implied-value``)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from xmgraph.check_results import Check
from xmgraph.check_run import Run, amount, describe, name_of
from xmgraph.figures import HUNDRED, PERCENT, Key, Observation
from xmgraph.namespaces import WORLD
from xmgraph.precision import Bounds, div, rounded


def _share_observations(run: Run) -> list[Observation]:
    return [
        o for o in run.inputs if o.unit == PERCENT and run.onto.part_metric(o.metric) is not None
    ]


def share_totals(run: Run) -> None:
    """A ``share-total`` check of the shares of each total: of a company's regions, of the
    units of one whole, or one share alone."""
    groups: dict[tuple[str, ...], list[Observation]] = defaultdict(list)
    for s in _share_observations(run):
        parent = run.onto.parent(s.entity)
        group: tuple[str, ...]
        if s.region != WORLD:
            group = ("regions", str(s.entity), str(s.metric), s.period, str(s.scenario))
        elif parent is not None:
            group = ("units", str(parent), str(s.metric), s.period, str(s.scenario))
        else:
            group = ("one", str(s.iri))
        groups[group].append(s)
    for group_key, shares in sorted(groups.items()):
        _share_total(run, group_key[0], shares)


def _share_total(run: Run, kind: str, shares: list[Observation]) -> None:
    total = Bounds(Decimal(0), Decimal(0))
    for s in shares:
        total = total + s.bounds
    stated_sum = sum((s.value for s in shares), Decimal(0))
    limit = Bounds(HUNDRED, HUNDRED)
    if kind == "units":
        parent = run.onto.parent(shares[0].entity)
        assert parent is not None
        own = run.one((parent, *shares[0].key[1:]), PERCENT)
        if own is not None:
            limit = own.bounds
    too_big = [s for s in shares if s.bounds.lo > HUNDRED]
    negative = [s for s in shares if s.bounds.hi < 0]
    complement_ok = True
    if kind == "regions":
        regions = {s.region: s for s in shares}
        for region, s in regions.items():
            other = run.onto.complement(region)
            if other in regions:
                complement_ok &= (s.bounds + regions[other].bounds).overlaps(
                    Bounds(HUNDRED, HUNDRED)
                )
    ok = total.lo <= limit.hi and not too_big and not negative and complement_ok

    def name(s: Observation) -> str:
        node = s.region if kind == "regions" else s.entity if kind == "units" else s.metric
        return run.onto.label(node)

    names = ", ".join(f"{name(s)} {amount(s.value, PERCENT, run.onto)}" for s in shares)
    first = shares[0]
    total_metric = run.onto.total_metric(first.metric) or first.metric
    whole = (
        run.onto.label(run.onto.parent(first.entity) or first.entity)
        if kind == "units"
        else run.onto.label(first.entity)
    )
    message = f"Shares of {run.onto.label(total_metric)} of {whole}, {first.period}: {names}"
    if len(shares) > 1:
        message += f" add up to {amount(stated_sum, PERCENT, run.onto)}"
    if not ok:
        reason = (
            "a share above 100 %"
            if too_big
            else "a negative share"
            if negative
            else (
                "complementary regions that do not make 100 %"
                if not complement_ok
                else f"more than {amount(limit.hi, PERCENT, run.onto)}"
            )
        )
        message += f": {reason}: inconsistent"
    else:
        message += ": not above 100 %: consistent"
    run.add(
        Check(
            "share-total",
            "consistent" if ok else "inconsistent",
            first.iri,
            tuple(s.iri for s in shares),
            message,
            PERCENT,
            stated_sum,
            total,
            limit.hi,
        )
    )


def share_values(run: Run) -> None:
    """A ``share-value`` check of each share against its part and whole, or the part or
    whole it implies where one of them is not stated."""
    for share in _share_observations(run):
        part_metric = run.onto.part_metric(share.metric)
        total_metric = run.onto.total_metric(share.metric)
        assert part_metric is not None
        assert total_metric is not None
        part_key = (share.entity, part_metric, share.period, share.region, share.scenario)
        if total_metric != part_metric:
            whole_entity, whole_region = share.entity, share.region
        elif share.region != WORLD:
            whole_entity, whole_region = share.entity, WORLD
        elif run.onto.parent(share.entity) is not None:
            whole_entity, whole_region = run.onto.root(share.entity), WORLD
        else:
            continue  # a company's share of its own total
        whole_key = (whole_entity, total_metric, share.period, whole_region, share.scenario)
        whole = run.one(whole_key)
        part = run.one(part_key, whole.unit) if whole is not None else run.one(part_key)
        if len(run.by_key.get(share.key, [])) > 1:
            continue
        if whole is not None and part is not None:
            _share_check(run, share, part, whole)
        elif whole is not None and part is None:
            _share_part(run, share, part_key, whole)
        elif part is not None and whole is None:
            _share_whole(run, share, part, whole_key)


def _share_check(run: Run, share: Observation, part: Observation, whole: Observation) -> None:
    p, w = part.bounds, whole.bounds
    if w.lo <= 0 or whole.value <= 0 or p.lo < 0:
        return
    computed = Bounds(div(p.lo, w.hi) * HUNDRED, div(p.hi, w.lo) * HUNDRED)
    expected = part.value / whole.value * HUNDRED
    ok = computed.overlaps(share.bounds)
    message = (
        f"{name_of(share, run.onto)}: {amount(part.value, part.unit, run.onto)} of "
        f"{amount(whole.value, whole.unit, run.onto)} is "
        f"{amount(expected, PERCENT, run.onto)} "
        f"(between {amount(computed.lo, PERCENT, run.onto)} and "
        f"{amount(computed.hi, PERCENT, run.onto)}); stated "
        f"{amount(share.value, PERCENT, run.onto)}: {'consistent' if ok else 'inconsistent'}"
    )
    run.add(
        Check(
            "share-value",
            "consistent" if ok else "inconsistent",
            share.iri,
            (share.iri, part.iri, whole.iri),
            message,
            PERCENT,
            rounded(expected, 6),
            computed,
            share.value,
        )
    )


def _share_part(run: Run, share: Observation, key: Key, whole: Observation) -> None:
    s, w = share.bounds, whole.bounds
    if not (s.finite and w.finite) or s.lo < 0 or w.lo < 0:
        return
    bounds = Bounds(s.lo * w.lo / HUNDRED, s.hi * w.hi / HUNDRED)
    point = share.value * whole.value / HUNDRED
    message = (
        f"{describe(key, run.onto)}: implied by "
        f"{amount(share.value, PERCENT, run.onto)} of "
        f"{amount(whole.value, whole.unit, run.onto)}"
    )
    run.derive(key, whole.unit, point, bounds, [share, whole], message)


def _share_whole(run: Run, share: Observation, part: Observation, key: Key) -> None:
    s, p = share.bounds, part.bounds
    if not (s.finite and p.finite) or s.lo <= 0 or p.lo < 0:
        return
    bounds = Bounds(p.lo / s.hi * HUNDRED, p.hi / s.lo * HUNDRED)
    point = part.value / share.value * HUNDRED
    message = (
        f"{describe(key, run.onto)}: implied by "
        f"{amount(part.value, part.unit, run.onto)} being "
        f"{amount(share.value, PERCENT, run.onto)} of it"
    )
    run.derive(key, part.unit, point, bounds, [share, part], message)
