"""One run of the checks: the stated figures by their dimensions, the checks found so far,
the figures derived from others, and the wording of their messages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from rdflib import URIRef

from xmgraph.check_results import Check, Derivation
from xmgraph.figures import PERCENT, SCENARIO_WORDS, Figure, Key, Observation, Ontology
from xmgraph.model import QUALIFIERS, plain_decimal
from xmgraph.namespaces import WORLD
from xmgraph.precision import Bounds, rounded, rounded_within

# ---------------------------------------------------------------- messages


def _grouped(value: Decimal) -> str:
    text = plain_decimal(value)
    whole, dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return sign + f"{int(whole.lstrip('-')):,}" + dot + frac


def amount(value: Decimal, unit: URIRef, onto: Ontology) -> str:
    """``76,560,000,000 CNY``, ``33.2 %``: a value for people, in its unit."""
    if not value.is_finite():
        return "no upper bound"
    if unit == PERCENT:
        return f"{plain_decimal(rounded(value))} %"
    return f"{_grouped(rounded(value, 0 if abs(value) >= 1000 else 4))} {onto.notation(unit)}"


def pct(value: Decimal) -> str:
    """``+33.2 %``: a change in percent, signed."""
    if not value.is_finite():
        return "+inf %" if value > 0 else "-inf %"
    sign = "+" if value > 0 else ""
    return f"{sign}{plain_decimal(rounded(value))} %"


def name_of(figure: Figure, onto: Ontology) -> str:
    """'Gross profit of Xiaomi Group, 2024' (with the region and scenario when there are)."""
    return describe(figure.key, onto)


def describe(key: Key, onto: Ontology) -> str:
    """The figure of ``key`` for people (see :func:`name_of`)."""
    entity, metric, period, region, scenario = key
    text = f"{onto.label(metric)} of {onto.label(entity)}"
    if region != WORLD:
        text += f" ({onto.label(region)})"
    text += f", {period}"
    if scenario in SCENARIO_WORDS:
        text += f" ({SCENARIO_WORDS[scenario]})"
    return text


def quote(obs: Observation) -> str:
    """The start of the first sentence stating ``obs``, in quotes."""
    text = " ".join(obs.texts[0].split()) if obs.texts else ""
    return f"“{text[:24]}…”" if len(text) > 24 else f"“{text}”"


# ---------------------------------------------------------------- the run


class Run:
    """One run of the checks over the observations of a graph."""

    def __init__(self, onto: Ontology, observations: list[Observation]) -> None:
        self.onto = onto
        self.checks: list[Check] = []
        self.derived_keys: set[Key] = set()
        #: the stated observations: checks never use derived ones
        self.inputs = [o for o in observations if not o.derived]
        self.by_key: dict[Key, list[Observation]] = defaultdict(list)
        for o in self.inputs:
            self.by_key[o.key].append(o)
        # derived observations of an earlier, recorded run do not count as stated
        self.stated_keys = {o.key for o in self.inputs}

    def one(self, key: Key, unit: URIRef | None = None) -> Observation | None:
        """The one stated observation of ``key`` (in ``unit``), or None (none, or several)."""
        found = [o for o in self.by_key.get(key, []) if unit is None or o.unit == unit]
        return found[0] if len(found) == 1 else None

    def add(self, check: Check) -> None:
        """Add a check found."""
        self.checks.append(check)

    def derive(
        self,
        key: Key,
        unit: URIRef,
        point: Decimal,
        bounds: Bounds,
        inputs: Sequence[Observation],
        message: str,
    ) -> None:
        """Add an ``implied-value`` check deriving an observation of ``key`` (``point``, known
        within ``bounds``) from ``inputs``, unless that fact is stated or derived already."""
        if key in self.stated_keys or key in self.derived_keys:
            return
        if not all(self.onto.unit_fits(o.metric, o.unit) for o in inputs):
            return  # from a figure in a wrong unit: the shapes report that one
        self.derived_keys.add(key)
        value = rounded_within(point, bounds, integral=self.onto.integral(unit))
        qualifiers = {"derived"} | {q for o in inputs for q in o.qualifiers & {"approximate"}}
        if key[4] in SCENARIO_WORDS:
            qualifiers.add(SCENARIO_WORDS[key[4]])
        sources = sorted({s for o in inputs for s in o.sources})
        derivation = Derivation(
            entity=key[0],
            metric=key[1],
            period=key[2],
            region=key[3],
            scenario=key[4],
            unit=unit,
            value=value,
            qualifiers=tuple(q for q in QUALIFIERS if q in qualifiers),
            sources=tuple(sources),
            derived_from=tuple(sorted(o.iri for o in inputs)),
            dataset=inputs[0].dataset,
        )
        text = f"{message}: {amount(value, unit, self.onto)} (between "
        text += f"{amount(bounds.lo, unit, self.onto)} and {amount(bounds.hi, unit, self.onto)})"
        self.add(
            Check(
                kind="implied-value",
                status="derived",
                focus=inputs[0].iri,
                used=tuple(o.iri for o in inputs),
                message=text,
                unit=unit,
                expected=rounded(point, 6),
                bounds=bounds,
                derived=derivation,
                facet=str(derivation.iri),
            )
        )
