"""The frame: what is in force while a sentence is read (entity, metric, period, region,
the lists before 分别, the facts made so far). Frozen: each step makes a new one with
:func:`dataclasses.replace`, so a trace can show the frame a rule saw."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from xmgraph.lexicon import MetricInfo
from xmgraph.model import Entity, Fact, Period
from xmgraph.patterns import Mention

T = TypeVar("T")


def evolve(obj: T, **changes: Any) -> T:
    """``dataclasses.replace`` for the frozen frames and contexts of the reader, without its
    field-by-field introspection (the frame is advanced tens of thousands of times a corpus).
    Only for dataclasses with no ``__post_init__``, no ``InitVar`` and no slots."""
    new = _new(type(obj))
    # a copy of the old fields (a dict of shared keys stays one) given as the new object's:
    # twice as fast as filling the new object's own dict (half a million calls at 2 MB)
    fields = obj.__dict__.copy()
    fields.update(changes)
    _set(new, "__dict__", fields)
    return new


_new = object.__new__
_set = object.__setattr__


def quick_init(cls: type[T]) -> type[T]:
    """Give a frozen dataclass an ``__init__`` that hands the new object its dict of fields
    at once, as :func:`evolve` does, instead of one ``object.__setattr__`` a field (three
    times as fast: a hundred thousand contexts a corpus). For the reader's short-lived
    contexts only (their dicts are not shared-key ones: a few dozen bytes more an object);
    the same conditions as :func:`evolve`, and no field without ``init`` or with a factory."""
    names, params = [], []
    scope: dict[str, Any] = {"_set": _set}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not f.init or f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: not in __init__ or made by a factory")
        names.append(f.name)
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            scope[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    fields = ", ".join(f"{n!r}: {n}" for n in names)
    signature = ", ".join(["self", *params])
    exec(f"def __init__({signature}):\n    _set(self, '__dict__', {{{fields}}})", scope)
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    type.__setattr__(cls, "__init__", init)
    return cls


@dataclass(frozen=True)
class Pending:
    """A change read before the figure it belongs to (同比增长12%，达52.3亿元)."""

    kind: str  #: "yoy" or "qoq"
    value: Decimal
    metric: MetricInfo | None
    clause: int
    rule: str
    said: bool = True  #: the clause says the change is on the year before (同比)
    at: int = -1  #: where the change was read (a metric named after it is not its)


#: The characters that end a clause: a part named in a reason (受惠X收入增加，) is the subject
#: up to the first of them only (Frame.entity_reason).
CLAUSE_ENDS = "，,；;"


@dataclass(frozen=True)
class Carry:
    """What a paragraph carries from one sentence to the next."""

    entity: Entity | None
    period: Period | None
    year: int | None
    company: Entity | None = None  #: the last company in force (公司 opening a sentence)
    #: the companies a sentence that stated no figure listed last (澄江、华辰和滨海三家乳企…):
    #: the items of the next sentence's 分别 (总营收分别为a、b和c)
    run: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Frame:
    """What is in force at one point of a sentence."""

    # the subject
    entity: Entity | None = None
    entity_clause: int = -1
    entity_end: int = -1  #: where the entity in force was named
    entity_sub: bool = False  #: it was named in a list opened by 其中
    #: it was named in a reason (受惠X收入增加，): the subject up to its clause's end only
    entity_reason: bool = False
    company_at: int = -1  #: where the sentence named a company (-1: it named none)
    market_at: int = -1  #: where a market-wide word stood right before a metric or product
    elided: MetricInfo | None = None  #: the metric of the part named before the entity
    # the metric
    metric: MetricInfo | None = None
    metric_clause: int = -1
    metric_at: int = -1  #: where the metric in force was named
    metric_end: int = -1  #: where the last metric mention ended
    #: 归母净利润1.52亿元(扣非后0.91亿元)，同比…: the metric in force before one named inside
    #: brackets right after a figure, where it was named, and where the brackets close
    aside: tuple[MetricInfo | None, int, int] | None = None
    share: bool = False  #: the metric in force is the numerator of a share (研发投入占收入的…)
    attributable: bool = False  #: a profit attributable to shareholders was named
    negated: bool = False  #: 净利润 亏损：3,200万元: the figures of the metric in force are losses
    blocked_clause: int = -1  #: the clause where a blocked metric was named (净关闭门店)
    # the period
    period: Period | None = None
    year: int | None = None
    before_year: Period | None = None  #: the period in force before the last year named
    instant: Period | None = None  #: the last point in time named in the sentence (截至…)
    period_at: int = -1  #: where the sentence named the period in force, no bare year (-1: none)
    period_carried: bool = True  #: the period in force goes on to the next sentence (not 上季)
    compared: tuple[int, int] | None = None  #: (year, end) of the last 较2023年 read
    #: （二零二四年：…）: what the period in force was before a comparative's brackets and
    #: where they close (period, year, carried, close)
    comparative: tuple[Period | None, int | None, bool, int] | None = None
    # the region
    region: Entity | None = None
    region_clause: int = -1
    region_end: int = -1
    region_scene: bool = False  #: named in a sentence's opening 在…市场， (for all its clauses)
    # lists joined by 和/及/、 and their 分别
    series: tuple[tuple[str, tuple[Mention, ...]], ...] = ()
    resp_values: int = -1  #: values read so far after 分别
    resp_at: int = -1  #: where the 分别 those values follow stands
    resp_changes: int = -1  #: changes read so far after 分别
    resp_sign: int = 1
    resp_facts: tuple[int, ...] = ()  #: indexes of the facts made after 分别 (-1: left out)
    resp_early: tuple[tuple[str, Decimal], ...] = ()  #: changes read before their figures
    tail_facts: tuple[int, ...] = ()  #: X为a，Y为b，分别增长c和d: the facts the changes go to
    tail_sign: int = 1
    tail_clause: int = -1
    #: 同比增长50%至80%: the first change of a range of changes, (kind, signed value)
    range_first: tuple[str, Decimal] | None = None
    # figures read
    level_at: int = -1  #: where the last figure that is no change stood (a fact or left out)
    fact_at: int = -1  #: where the last figure made a fact
    facts: tuple[Fact, ...] = ()
    pending: tuple[Pending, ...] = ()
    #: the rules that put the entity, metric, period and region in force (for the trace)
    because: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def why(self, *parts: str) -> tuple[str, ...]:
        """The rules behind ``parts`` (entity, metric, period, region) of the frame."""
        out: list[str] = []
        for part, rules in self.because:
            if part in parts:
                out.extend(r for r in rules if r not in out)
        return tuple(out)

    def since(self, part: str, *rules: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """``because`` with ``part`` now put in force by ``rules``."""
        return (*((p, r) for p, r in self.because if p != part), (part, rules))

    def run(self, kind: str) -> tuple[Mention, ...]:
        """The run of mentions of ``kind`` joined by 和/及/、 last read."""
        return next((run for k, run in self.series if k == kind), ())

    def with_run(
        self, kind: str, run: tuple[Mention, ...]
    ) -> tuple[tuple[str, tuple[Mention, ...]], ...]:
        """The series with the run of ``kind`` replaced (kinds keep their first order)."""
        if any(k == kind for k, _ in self.series):
            return tuple((k, run if k == kind else r) for k, r in self.series)
        return (*self.series, (kind, run))

    def set_fact(self, i: int, fact: Fact) -> tuple[Fact, ...]:
        """The facts with the ``i``-th replaced."""
        return (*self.facts[:i], fact, *self.facts[i + 1 :])
