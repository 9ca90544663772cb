"""The rule engine: rules as checked data (``ontology/rules/*.json``), run stage by stage.

A rule has an id, a family (its file), a stage, named conditions with named parameters, an
action and a one-line description, and examples (sentences with the facts they must and must
not give). Conditions and actions are Python functions registered by name for their stage
(as rdflib registers plugins): the rule files only name them. :func:`load_rules` checks every
file when it loads it — an unknown stage, condition, action, parameter or cue set is a coded
error (E080-E084) — and a :class:`RuleSet` gives each stage's rules in their declared order.
"""

from __future__ import annotations

import inspect
import json
import os
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from xmgraph.errors import Errors, XmgraphError

#: The stages, in the order the reader meets them.
STAGES = (
    "paragraph",
    "mention",
    "frame",
    "metric",
    "figure",
    "fact",
    "qualifier",
    "sentence",
    "document",
)

#: Conditions and actions by stage and name (filled by the stage modules' decorators).
CONDITIONS: dict[str, dict[str, Callable[..., bool]]] = {s: {} for s in STAGES}
ACTIONS: dict[str, dict[str, Callable[..., Any]]] = {s: {} for s in STAGES}
#: A stage's key: what its static conditions read of a context (see :class:`Sieve`).
KEYS: dict[str, Callable[[Any], Hashable]] = {}
#: The conditions of each stage whose value the stage's key and the lexicon decide.
STATIC: dict[str, set[str]] = {s: set() for s in STAGES}


def condition(
    stage: str, name: str, *, static: bool = False
) -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    """Register a condition of ``stage``: ``fn(ctx, **params) -> bool``; ``static``: its
    value is decided by the stage's key (:func:`stage_key`) and the lexicon alone."""

    def register(fn: Callable[..., bool]) -> Callable[..., bool]:
        CONDITIONS[stage][name] = fn
        if static:
            STATIC[stage].add(name)
        return fn

    return register


def stage_key(stage: str) -> Callable[[Callable[[Any], Hashable]], Callable[[Any], Hashable]]:
    """Register the key of ``stage``: ``fn(ctx)``, all that its static conditions read (the
    kind of a mention, whether a figure is a percentage …), cheap to make."""

    def register(fn: Callable[[Any], Hashable]) -> Callable[[Any], Hashable]:
        KEYS[stage] = fn
        return fn

    return register


def action(stage: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register an action of ``stage``: ``fn(ctx, rule, **params)``."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        ACTIONS[stage][name] = fn
        return fn

    return register


@dataclass(frozen=True)
class Condition:
    """A named test with its parameters; ``negate`` for ``unless``."""

    name: str
    params: Mapping[str, Any]
    negate: bool = False
    fn: Callable[..., bool] | None = field(default=None, compare=False, repr=False)


def _holds(stage: str, c: Condition, ctx: Any) -> bool:
    if c.name == "any":
        return any(_holds(stage, sub, ctx) for sub in c.params["of"]) != c.negate
    fn = c.fn or CONDITIONS[stage][c.name]
    return bool(fn(ctx, **c.params)) != c.negate


def _any_holds(ctx: Any, *, stage: str, of: tuple[Condition, ...]) -> bool:
    return any(_holds(stage, sub, ctx) for sub in of)


def _registered_condition(ctx: Any, *, stage: str, name: str, params: Mapping[str, Any]) -> bool:
    return bool(CONDITIONS[stage][name](ctx, **params))


#: a condition ready to call: ``fn(ctx, **params) == negate`` means it fails
Check = tuple[Callable[..., Any], Mapping[str, Any], bool]


def _check(stage: str, c: Condition) -> Check:
    """What :meth:`Rule.holds` calls for ``c`` (module functions: a rule stays picklable)."""
    if c.name == "any":
        return _any_holds, {"stage": stage, "of": c.params["of"]}, c.negate
    if c.fn is not None:
        return c.fn, c.params, c.negate
    params = {"stage": stage, "name": c.name, "params": c.params}
    return _registered_condition, params, c.negate


@dataclass(frozen=True)
class Example:
    """A text and the facts it must give and must not give (rows as in the extract cases)."""

    text: str
    gives: tuple[tuple[str, ...], ...] = ()
    never: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Rule:
    """One named rule of a stage."""

    id: str
    family: str
    stage: str
    description: str
    action: str
    order: int = 0  #: the place of the rule in its stage (lower first)
    when: tuple[Condition, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()
    #: the conditions as (function, parameters, negate), made once (not read per call)
    checks: tuple[Check, ...] = field(default=(), init=False, compare=False, repr=False)
    #: the action's function, looked up once (None: not registered yet, looked up per call)
    act: Callable[..., Any] | None = field(default=None, init=False, compare=False, repr=False)
    #: the action with its parameters bound (None: not registered yet)
    run: Callable[..., Any] | None = field(default=None, init=False, compare=False, repr=False)
    #: the conditions as one test (:func:`_test`; None: none)
    test: Callable[[Any], Any] | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        checks = tuple(_check(self.stage, c) for c in self.when)
        act = ACTIONS.get(self.stage, {}).get(self.action)
        object.__setattr__(self, "checks", checks)
        object.__setattr__(self, "act", act)
        run = partial(act, **self.params) if act is not None and self.params else act
        object.__setattr__(self, "run", run)
        object.__setattr__(self, "test", _test(checks))

    def holds(self, ctx: Any) -> bool:
        """Whether every condition holds for ``ctx``."""
        test = self.test
        return test is None or bool(test(ctx))

    def apply(self, ctx: Any) -> Any:
        """Run the rule's action."""
        run = self.run
        if run is not None:
            return run(ctx, self)
        act = ACTIONS[self.stage][self.action]
        return act(ctx, self, **self.params) if self.params else act(ctx, self)


def passes(checks: tuple[Check, ...], ctx: Any) -> bool:
    """Whether every check holds for ``ctx``."""
    # a plain loop (no all() over a generator): this runs a hundred thousand times a corpus;
    # most conditions take no parameters, and a call without ** is twice as fast
    for fn, params, negate in checks:
        if (not (fn(ctx, **params) if params else fn(ctx))) != negate:
            return False
    return True


#: A rule that may hold, with the test of the checks left to make (its static ones made
#: already): None when none is left.
Ready = tuple[Rule, Callable[[Any], Any] | None]


def _test(checks: tuple[Check, ...]) -> Callable[[Any], Any] | None:
    """What tests ``checks`` on a context with the fewest calls: nothing when there are none,
    a condition itself (its parameters bound), else a loop over them."""
    if not checks:
        return None
    if any(negate for _, _, negate in checks):
        return partial(passes, checks)
    # no negation: each check one callable (its parameters bound once, no unpacking a call)
    tests = tuple(partial(fn, **params) if params else fn for fn, params, _ in checks)
    return tests[0] if len(tests) == 1 else partial(_all_hold, tests)


def _all_hold(tests: tuple[Callable[[Any], Any], ...], ctx: Any) -> bool:
    """Whether every one of ``tests`` holds for ``ctx`` (checks without negation)."""
    for test in tests:  # noqa: SIM110 (a plain loop: all() over a generator is slower)
        if not test(ctx):
            return False
    return True


class Sieve:
    """A stage's rules that can hold for a context, found by the context's key (one sieve
    per lexicon): the static conditions (:func:`condition`'s ``static``) are tested once for
    each key, so a rule that cannot hold for a frame's mention of a period or a figure that
    is no percentage is never tried (the frame stage's rules all test the mention's kind
    first: 83,000 failed tests in 300 reports). The rules keep their order; the other checks
    are made as :meth:`Rule.holds` makes them."""

    def __init__(self, rules: RuleSet) -> None:
        self._rules = rules
        self._ready: dict[tuple[str, Hashable], tuple[Ready, ...]] = {}
        self._all = {s: tuple((r, r.test) for r in rs) for s, rs in rules.by_stage.items()}

    def rules(self, stage: str, ctx: Any) -> tuple[Ready, ...]:
        """The rules of ``stage`` that may hold for ``ctx``, with the test left to make."""
        key_of = KEYS.get(stage)
        if key_of is None:
            return self._all[stage]
        key = (stage, key_of(ctx))
        ready = self._ready.get(key)
        if ready is None:
            ready = self._ready[key] = tuple(self._sift(stage, ctx))
        return ready

    def _sift(self, stage: str, ctx: Any) -> Iterable[Ready]:
        static = STATIC[stage]
        for rule in self._rules.stage(stage):
            left = []
            for c, check in zip(rule.when, rule.checks, strict=True):
                if c.name not in static:
                    left.append(check)
                elif not passes((check,), ctx):
                    break
            else:
                yield rule, _test(tuple(left))


@dataclass(frozen=True, eq=False)
class RuleSet:
    """The rules, each stage's in declared order; some may be switched off (ablation)."""

    rules: tuple[Rule, ...]
    disabled: frozenset[str] = frozenset()
    by_stage: Mapping[str, tuple[Rule, ...]] = field(init=False, repr=False)
    #: a :class:`Sieve` for each lexicon the rules read with
    _sieves: weakref.WeakKeyDictionary[Any, Sieve] = field(
        init=False, repr=False, default_factory=weakref.WeakKeyDictionary
    )

    def __post_init__(self) -> None:
        on = [r for r in self.rules if r.id not in self.disabled]
        stages = {s: tuple(r for r in on if r.stage == s) for s in STAGES}
        object.__setattr__(self, "by_stage", stages)

    def sieve(self, lexicon: object) -> Sieve:
        """The rules' :class:`Sieve` for ``lexicon`` (made once per lexicon, kept while it is)."""
        sieve = self._sieves.get(lexicon)
        if sieve is None:
            sieve = self._sieves[lexicon] = Sieve(self)
        return sieve

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled without its sieves (a worker makes its own)."""
        return RuleSet, (self.rules, self.disabled)

    def stage(self, name: str) -> tuple[Rule, ...]:
        """The rules of a stage that are on, in their order."""
        return self.by_stage[name]

    def without(self, ids: Iterable[str]) -> RuleSet:
        """The same rules with ``ids`` switched off (unknown ids are an error, E084)."""
        ids = frozenset(ids)
        unknown = ids - {r.id for r in self.rules}
        if unknown:
            raise XmgraphError(Errors.E084, ids=", ".join(sorted(unknown)))
        return RuleSet(self.rules, self.disabled | ids)

    def by_id(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


def rule_files() -> list[Path]:
    """The rule files of the ontology, one per family."""
    folder = _rules_folder()
    try:
        names = tuple(os.listdir(folder))
    except OSError:
        names = ()
    return list(_rule_files(folder, names))


@lru_cache(maxsize=1)
def _rules_folder() -> Path:
    """``ontology/rules``, found once per process (where the package's data lies does not
    change; its files are listed again for every report)."""
    from xmgraph.resources import ontology_dir

    return ontology_dir() / "rules"


@lru_cache(maxsize=8)
def _rule_files(folder: Path, names: tuple[str, ...]) -> tuple[Path, ...]:
    """``sorted(folder.glob("*.json"))`` for the folder holding ``names``: made once per
    state of the folder, not for every report (pathlib's glob was ~1 % of a report)."""
    return tuple(sorted(folder / name for name in names if name.endswith(".json")))


def _registered() -> None:
    """Import the modules that register conditions and actions."""
    from xmgraph.extract import (  # noqa: F401
        fact,
        figure,
        filters,
        frame_rules,
        metric,
        paragraphs,
        tagging,
    )


def _fail(path: Path, rule_id: str, reason: str) -> XmgraphError:
    return XmgraphError(Errors.E080, path=path.name, rule=rule_id, reason=reason)


def _check_params(fn: Callable[..., Any], params: Mapping[str, Any], skip: int) -> str | None:
    """Why ``params`` do not fit ``fn``'s keyword parameters (None when they do)."""
    sig = list(inspect.signature(fn).parameters.values())[skip:]
    names = {p.name.replace("_", "-"): p for p in sig}
    unknown = set(params) - set(names)
    missing = {n for n, p in names.items() if p.default is inspect.Parameter.empty} - set(params)
    if unknown:
        return f"unknown parameter(s) {sorted(unknown)}"
    if missing:
        return f"missing parameter(s) {sorted(missing)}"
    return None


def _kwargs(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k.replace("-", "_"): v for k, v in params.items()}


def _condition(path: Path, rule_id: str, stage: str, raw: Mapping[str, Any]) -> Condition:
    if "any" in raw:  # {"any": [condition, ...]}: one of them holds
        subs = tuple(_condition(path, rule_id, stage, sub) for sub in raw["any"])
        return Condition("any", {"of": subs})
    keys = [k for k in ("if", "unless") if k in raw]
    if len(keys) != 1:
        raise _fail(path, rule_id, "a condition needs exactly one of 'if' or 'unless'")
    name = raw[keys[0]]
    fn = CONDITIONS[stage].get(name)
    if fn is None:
        raise XmgraphError(Errors.E081, path=path.name, rule=rule_id, name=name, stage=stage)
    params = {k: v for k, v in raw.items() if k not in ("if", "unless")}
    why = _check_params(fn, params, 1)
    if why:
        raise _fail(path, rule_id, f"condition {name!r}: {why}")
    return Condition(name, _kwargs(params), negate=keys[0] == "unless", fn=fn)


def _example(raw: Mapping[str, Any]) -> Example:
    return Example(
        text=raw["text"],
        gives=tuple(tuple(f) for f in raw.get("gives", ())),
        never=tuple(tuple(f) for f in raw.get("never", ())),
    )


def _rule(path: Path, family: str, raw: Mapping[str, Any]) -> Rule:
    rule_id = str(raw.get("id", "?"))
    for key in ("id", "stage", "action", "description"):
        if not isinstance(raw.get(key), str):
            raise _fail(path, rule_id, f"{key!r} must be a string")
    if not isinstance(raw.get("order"), int):
        raise _fail(path, rule_id, "'order' must be an integer (its place in the stage)")
    stage = raw["stage"]
    if stage not in STAGES:
        raise _fail(path, rule_id, f"unknown stage {stage!r} (one of {', '.join(STAGES)})")
    fn = ACTIONS[stage].get(raw["action"])
    if fn is None:
        raise XmgraphError(
            Errors.E082, path=path.name, rule=rule_id, name=raw["action"], stage=stage
        )
    params = raw.get("params", {})
    why = _check_params(fn, params, 2)
    if why:
        raise _fail(path, rule_id, f"action {raw['action']!r}: {why}")
    return Rule(
        id=rule_id,
        family=family,
        stage=stage,
        description=raw["description"],
        action=raw["action"],
        order=raw["order"],
        when=tuple(_condition(path, rule_id, stage, c) for c in raw.get("when", ())),
        params=_kwargs(params),
        examples=tuple(_example(e) for e in raw.get("examples", ())),
    )


def read_rule_file(path: Path) -> list[Rule]:
    """The rules of one family file, checked."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise _fail(path, "-", f"not a readable JSON file ({e})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise _fail(path, "-", "a rule file is an object with a 'rules' list")
    return [_rule(path, path.stem, raw) for raw in data["rules"]]


def load_rules(paths: tuple[Path, ...] | None = None) -> RuleSet:
    """Load and check the rule files (cached); ids must be unique."""
    return _load(paths if paths is not None else tuple(rule_files()))


@lru_cache(maxsize=8)
def _load(paths: tuple[Path, ...]) -> RuleSet:
    _registered()
    rules: list[Rule] = []
    for path in paths:
        rules.extend(read_rule_file(path))
    seen: set[str] = set()
    places: dict[tuple[str, int], str] = {}
    for r in rules:
        if r.id in seen:
            raise XmgraphError(Errors.E083, rule=r.id)
        seen.add(r.id)
        other = places.setdefault((r.stage, r.order), r.id)
        if other != r.id:
            raise XmgraphError(
                Errors.E080, path=f"{r.family}.json", rule=r.id, reason=f"same order as {other}"
            )
    return RuleSet(tuple(sorted(rules, key=lambda r: (STAGES.index(r.stage), r.order))))


def _flat(conds: Iterable[Condition]) -> Iterable[Condition]:
    for c in conds:
        yield from _flat(c.params["of"]) if c.name == "any" else (c,)


def check_cues(rules: RuleSet, cues: Iterable[str]) -> None:
    """Every ``cue`` parameter names a cue set of the lexicon (else E081's sibling, E080)."""
    known = set(cues)
    for r in rules.rules:
        for params in (r.params, *(c.params for c in _flat(r.when))):
            for key in ("cue", "unless_cue"):
                name = params.get(key)
                if name is not None and name not in known:
                    raise XmgraphError(
                        Errors.E080,
                        path=f"{r.family}.json",
                        rule=r.id,
                        reason=f"unknown cue set {name!r}",
                    )
