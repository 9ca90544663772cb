"""The reader: each sentence's mentions walked left to right, the frame advanced by the frame
stage for each mention and by the figure stage for each quantity; a trace of every figure."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from xmgraph.extract.context import Env, Fig, Where, window_has
from xmgraph.extract.frame import Carry, Frame, evolve
from xmgraph.extract.frame_rules import Mk, read_mention
from xmgraph.extract.rules import Rule
from xmgraph.extract.sentences import Clauses, Sentence
from xmgraph.model import Entity, Fact
from xmgraph.patterns import Mention

log = logging.getLogger("xmgraph.extract")


@dataclass(frozen=True)
class FigureTrace:
    """What became of one figure: the frame it was read in, the rules that fired, the outcome."""

    mention: Mention
    text: str  #: the figure as written
    frame: Frame
    rules: tuple[str, ...]
    outcome: str  #: "fact", "change", "left out by RULE" …
    fact: Fact | None = None


@dataclass(frozen=True)
class SentenceTrace:
    """One sentence: its mentions and what became of its figures."""

    index: int
    sentence: Sentence
    mentions: tuple[Mention, ...]
    figures: tuple[FigureTrace, ...]
    original: tuple[int, int]  #: the sentence's offsets in the original file
    #: facts a sentence or document rule dropped after they were made: (fact key, rule id)
    dropped: tuple[tuple[FactKey, str], ...] = ()


#: What tells a fact from the others (where its figure stands, metric, period, value).
FactKey = tuple[int, str, str, object]


def fact_key(f: Fact) -> FactKey:
    """The key a fact is known by through the sentence and document stages."""
    return (f.source.start, f.metric, f.period.code, f.value)


def staged(
    rules: Iterable[Rule], facts: tuple[Fact, ...]
) -> tuple[tuple[Fact, ...], tuple[tuple[FactKey, str], ...]]:
    """``facts`` through a stage's ``rules``, and which rule dropped each fact left out."""
    dropped: list[tuple[FactKey, str]] = []
    for rule in rules:
        after = rule.apply(facts)
        if len(after) < len(facts):
            left = {fact_key(f) for f in after}
            dropped.extend((fact_key(f), rule.id) for f in facts if fact_key(f) not in left)
        facts = after
    return facts, tuple(dropped)


def _series(frame: Frame, text: str, q: Mention, env: Env) -> tuple[tuple[Mention, ...], bool]:
    """The last run of two or more items, and whether 分别 stands between it and ``q``, or the
    run's items are joined by slashes only (营收/归母净利润31.6/4.2亿元: 分别 implied)."""
    lists = [run for _, run in frame.series if len(run) >= 2 and not _one_metric(run)]
    run = max(lists, key=lambda r: r[-1].end) if lists else ()
    resp = bool(run) and (
        bool(window_has(text[run[-1].end : q.start], env.lex.cue("respectively")))
        or _slash_joined(run, text, env)
    )
    return run, resp


def _one_metric(run: tuple[Mention, ...]) -> bool:
    """A run of metric mentions that all name one metric (…披露了全年营收,营业收入分别为…):
    one metric said twice, no list to share figures among."""
    metrics = {m.metric.iri if m.metric is not None else None for m in run}
    return all(m.kind == "metric" for m in run) and len(metrics) == 1 and None not in metrics


def _slash_joined(run: tuple[Mention, ...], text: str, env: Env) -> bool:
    """Every item of ``run`` joined to the next by a word of ``implied-respectively`` alone."""
    joiners = env.lex.cue("implied-respectively")
    return all(text[a.end : b.start].strip() in joiners for a, b in itertools.pairwise(run))


def _figure(
    env: Env,
    frame: Frame,
    s: Sentence,
    cl: Clauses,
    k: int,
    mentions: list[Mention],
    pos: tuple[int, int],
) -> tuple[Frame, FigureTrace]:
    """Read the ``k``-th mention, a quantity, through the figure stage."""
    text, q = env.text, mentions[k]
    c = cl.index(q.start)
    prev_end, last_q_end = pos
    bounds = cl.bounds
    where = Where(
        sentence=s,
        clause=c,
        clause_start=bounds[c],
        clause_text=text[bounds[c] : bounds[c + 1]],
        window=text[max(prev_end, bounds[c]) : q.start],
        since_quantity=text[max(last_q_end, bounds[c]) : q.start],
        after=text[q.end : min(q.end + 6, bounds[c + 1])],
        cue_text=text[s.start : bounds[c + 1]],
        previous=mentions[k - 1] if k else None,
    )
    run, resp = _series(frame, text, q, env)
    fig = Fig(q, tuple(mentions[k + 1 :]), where, frame, env, run, resp)
    fired: list[str] = []
    for rule, test in env.sieve.rules("figure", fig):
        if test is not None and not test(fig):
            continue
        step = rule.apply(fig)
        if step.done or step.frame is not fig.frame:
            fired.append(rule.id)
        if step.frame is not fig.frame:
            fig = evolve(fig, frame=step.frame)
        if step.done:
            outcome = step.outcome
            if outcome == "left out":
                outcome = f"left out by {rule.id}"
            if outcome.startswith("left out"):
                log.debug("%s: %r at %d", outcome, text[q.start : q.end], q.start)
            return step.frame, FigureTrace(
                q, text[q.start : q.end], frame, tuple(fired), outcome, step.fact
            )
    return fig.frame, FigureTrace(q, text[q.start : q.end], frame, tuple(fired), "no rule")


#: The frame a sentence starts from, but for what its paragraph carries (made once: a
#: frame has some forty fields, and a frozen dataclass sets each through ``object``).
_START = Frame()


def read_sentence(
    env: Env, index: int, s: Sentence, mentions: list[Mention], carry: Carry
) -> tuple[Frame, SentenceTrace]:
    """Read one sentence from what its paragraph carries: the frame at its end (its facts
    in ``facts``), and its trace."""
    text = env.text
    cl = Clauses.of(text, s, env.pats.change_colon)
    entity = _own_company(env, s, mentions, carry)
    frame = evolve(_START, entity=entity, period=carry.period, year=carry.year)
    if carry.run:
        frame = evolve(frame, series=(("entity", carry.run),))
    figures: list[FigureTrace] = []
    prev_end = last_q_end = s.start
    for k, m in enumerate(mentions):
        c = cl.index(m.start)
        if frame.comparative is not None and m.start >= frame.comparative[3]:
            frame = closed_comparative(frame)
        if frame.aside is not None and m.start >= frame.aside[2]:
            metric, metric_at, _ = frame.aside  # (扣非后…)，同比…: the metric before the aside
            frame = evolve(frame, metric=metric, metric_at=metric_at, aside=None)
        if m.kind == "quantity":
            frame, trace = _figure(env, frame, s, cl, k, mentions, (prev_end, last_q_end))
            figures.append(trace)
            last_q_end = m.end
        else:
            nxt = mentions[k + 1] if k + 1 < len(mentions) else None
            window = text[max(prev_end, cl.bounds[c]) : m.start]
            since = text[prev_end : m.start]
            prev = mentions[k - 1] if k else None
            mk = Mk(m, nxt, frame, env, c, cl.bounds[c], window, since, prev)
            frame, _ = read_mention(mk)
        prev_end = m.end
    facts, dropped = staged(env.rules.stage("sentence"), frame.facts)
    frame = evolve(frame, facts=facts, entity=_kept_subject(env, s, frame, carry))
    original = env.doc.original_span(s.start, s.end)
    return frame, SentenceTrace(index, s, tuple(mentions), tuple(figures), original, dropped)


def _kept_subject(env: Env, s: Sentence, frame: Frame, carry: Carry) -> Entity | None:
    """The subject a sentence leaves in force: its last, but not a part (a product, a segment)
    named after a forecast's word in its clause with no figure of its own there (…，预计核心产品
    华辰系列销量增长…): a part the outlook speaks of, not the subject of the sentences after; the
    company in force before it instead."""
    e = frame.entity
    if e is None or e.kind == "company" or frame.entity_end < s.start:
        return e
    text = env.text
    start = max(text.rfind(ch, s.start, frame.entity_end) for ch in ("，", ",", "；", ";")) + 1
    if window_has(text[max(start, s.start) : frame.entity_end], env.lex.cue("forecast")) is None:
        return e
    if any(f.entity.iri == e.iri for f in frame.facts):
        return e
    return carry.company or env.ents.main_company or e


def _own_company(env: Env, s: Sentence, mentions: list[Mention], carry: Carry) -> Entity | None:
    """The subject a sentence starts from: what its paragraph carries, but the last company in
    force where a part is carried and the sentence opens with a word naming the company itself
    (组件销量18.6GW。即便如此，公司实现营业收入…: the company's, not the part's), periods
    before that word or not (单季度来看，第三季度公司实现营业收入…)."""
    entity = carry.entity
    if entity is None or entity.kind == "company" or carry.company is None:
        return entity
    first = next((m.start for m in mentions if m.kind != "period"), s.end)
    if window_has(env.text[s.start : first], env.lex.cue("self")) is None:
        return entity
    return carry.company


def closed_comparative(frame: Frame) -> Frame:
    """After a comparative's brackets (（二零二四年：0.86元）), the period in force before them."""
    assert frame.comparative is not None
    period, year, carried, _ = frame.comparative
    return evolve(frame, period=period, year=year, period_carried=carried, comparative=None)


def _listed_companies(frame: Frame) -> tuple[Mention, ...]:
    """The run of two or more companies a sentence of no fact listed last; else ()."""
    run = frame.run("entity")
    if frame.facts or len(run) < 2:
        return ()
    return () if any(m.entity is None or m.entity.kind != "company" for m in run) else run


def _carried_entity(carry: Carry, frame: Frame) -> Entity | None:
    """The sentence's subject, else the one carried; a part named in a reason (受惠X收入增加，…)
    is not carried on: the last company in force instead."""
    entity = frame.entity if frame.entity is not None else carry.entity
    if frame.entity_reason and entity is not None and entity.kind != "company":
        return carry.company or entity
    last = frame.facts[-1].entity if frame.facts else None
    if entity is not None and last is not None and entity.parent == last.iri:
        # …激光器收入…；归母净利润…: the company's figure last, the company's again
        return last
    return entity


def carry_on(carry: Carry, frame: Frame, mentions: Sequence[Mention] = ()) -> Carry:
    """What the paragraph carries after a sentence: its subject, its period if it named one,
    and the last company in force (its subject's, else the last one its ``mentions`` name)."""
    if frame.comparative is not None:
        frame = closed_comparative(frame)
    entity = _carried_entity(carry, frame)
    named = [m.entity for m in mentions if m.entity is not None and m.entity.kind == "company"]
    if entity is not None and entity.kind == "company":
        company: Entity | None = entity
    else:
        company = named[-1] if named else carry.company
    run = _listed_companies(frame)
    if (
        frame.period is not None
        and frame.period != carry.period
        and frame.period_carried
        and not (frame.period.is_instant and not frame.facts)
    ):  # 在去年年底完成私有化的华辰…: a date of no figure, no period for the sentences after
        return Carry(entity, frame.period, frame.year, company, run)
    return evolve(carry, entity=entity, company=company, run=run)
