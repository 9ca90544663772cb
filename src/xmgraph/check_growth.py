"""The checks of a figure against itself: stated more than once (``restatement``: the same
value, or a conflict), and its stated change against the period before (``growth``: the
seed's gross profit, 765.6 vs 574.76 -> +33.2 %, is consistent) or, where that period is not
stated, the value the change implies (``implied-value``)."""

from __future__ import annotations

from decimal import Decimal

from xmgraph.check_results import Check
from xmgraph.check_run import Run, amount, describe, name_of, pct, quote
from xmgraph.figures import HUNDRED, PERCENT, PERCENTAGE_POINT, Key, Observation
from xmgraph.model import Period
from xmgraph.namespaces import XMG
from xmgraph.precision import Bounds, div, rounded


def restatements(run: Run) -> None:
    """A ``restatement`` check of each fact stated more than once: agreeing, or a conflict."""
    for _, group in sorted(run.by_key.items()):
        if len(group) == 1:
            obs = group[0]
            if len(obs.sources) > 1:
                message = (
                    f"{name_of(obs, run.onto)}: stated {len(obs.sources)} times, "
                    f"{amount(obs.value, obs.unit, run.onto)} each time"
                )
                run.add(
                    Check(
                        "restatement",
                        "consistent",
                        obs.iri,
                        (obs.iri,),
                        message,
                        obs.unit,
                        stated=obs.value,
                    )
                )
            continue
        units = {o.unit for o in group}
        clash = len(units) > 1 or any(
            not a.bounds.overlaps(b.bounds) for i, a in enumerate(group) for b in group[i + 1 :]
        )
        named = "; ".join(f"{amount(o.value, o.unit, run.onto)} in {quote(o)}" for o in group)
        why = "different units" if len(units) > 1 else "different values"
        if not clash:
            why = "values that agree within their precision"
        message = f"{name_of(group[0], run.onto)}: stated with {why}: {named}"
        run.add(
            Check(
                "restatement",
                "conflict" if clash else "consistent",
                group[0].iri,
                tuple(o.iri for o in group),
                message,
            )
        )


# ---------------------------------------------------------------- growth rates


def _previous(code: str, change: str) -> str | None:
    """The period a change compares with: a year earlier (``yoy``), or the period before
    (``qoq``: quarters, halves and months only)."""
    period = Period(code)
    if change == "yoy":
        return period.previous_year().code
    year = int(code[:4])
    if period.kind == "quarter":
        q = int(code[-1])
        return f"{year}-Q{q - 1}" if q > 1 else f"{year - 1}-Q4"
    if period.kind == "half":
        return f"{year}-H1" if code.endswith("H2") else f"{year - 1}-H2"
    if period.kind == "month":
        m = int(code[5:7])
        return f"{year}-{m - 1:02d}" if m > 1 else f"{year - 1}-12"
    return None


def growth(run: Run) -> None:
    """A ``growth`` check of each stated change against the period before, or the value of
    that period it implies where it is not stated."""
    for obs in run.inputs:
        if obs.unit in (PERCENT, PERCENTAGE_POINT):
            continue  # a change of a ratio may be relative or in points: not checked
        for change, stated in (("yoy", obs.yoy), ("qoq", obs.qoq)):
            if stated is None:
                continue
            previous = _previous(obs.period, change)
            if previous is None:
                continue
            key = (obs.entity, obs.metric, previous, obs.region, XMG.Actual)
            priors = [p for p in run.by_key.get(key, []) if p.unit == obs.unit]
            if priors:
                for prior in priors:
                    _growth_check(run, obs, prior, change, stated)
            else:
                _prior_value(run, obs, key, change, stated)


def _growth_check(
    run: Run, obs: Observation, prior: Observation, change: str, stated: Decimal
) -> None:
    v, p = obs.bounds, prior.bounds
    if p.lo <= 0 or prior.value <= 0:
        return  # no growth rate from a value that may be zero or negative
    computed = Bounds((div(v.lo, p.hi) - 1) * HUNDRED, (div(v.hi, p.lo) - 1) * HUNDRED)
    expected = (obs.value / prior.value - 1) * HUNDRED
    ok = computed.overlaps(obs.change_bounds(stated))
    word = "year on year" if change == "yoy" else "on the period before"
    message = (
        f"{name_of(obs, run.onto)}: {amount(obs.value, obs.unit, run.onto)} against "
        f"{amount(prior.value, prior.unit, run.onto)} in {prior.period} is {pct(expected)} "
        f"{word} (between {pct(computed.lo)} and {pct(computed.hi)} at the stated "
        f"precision); stated {pct(stated)}: {'consistent' if ok else 'inconsistent'}"
    )
    run.add(
        Check(
            "growth",
            "consistent" if ok else "inconsistent",
            obs.iri,
            (obs.iri, prior.iri),
            message,
            PERCENT,
            rounded(expected, 6),
            computed,
            stated,
        )
    )


def _prior_value(
    run: Run,
    obs: Observation,
    key: Key,
    change: str,
    stated: Decimal,
) -> None:
    v, g = obs.bounds, obs.change_bounds(stated)
    if not v.finite or v.lo < 0 or len(run.by_key[obs.key]) > 1 or 1 + g.lo / HUNDRED <= 0:
        return  # a bound, a sign that may change, two values, or a fall of 100 % or more
    bounds = Bounds(v.lo / (1 + g.hi / HUNDRED), v.hi / (1 + g.lo / HUNDRED))
    point = obs.value / (1 + stated / HUNDRED)
    word = "year on year" if change == "yoy" else "on the period before"
    message = (
        f"{describe(key, run.onto)}: implied by {amount(obs.value, obs.unit, run.onto)} in "
        f"{obs.period} and {pct(stated)} {word}"
    )
    run.derive(key, obs.unit, point, bounds, [obs], message)
