"""The metric stage: a metric mention comes into force — or is the denominator of a share,
or ends the metric in force (blocked, or the change of a figure left out) — and which
variant of it is meant (adjusted, attributable)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from xmgraph.diskcache import regex
from xmgraph.extract.context import Env, basis_sections, in_spans, loss_in_force, window_has
from xmgraph.extract.frame import Frame, evolve, quick_init
from xmgraph.extract.rules import Rule, action, condition, stage_key
from xmgraph.extract.sentences import SENTENCE_END
from xmgraph.lexicon import Lexicon, MetricInfo
from xmgraph.names import JOINED_METRIC, ends_in_metric
from xmgraph.namespaces import METRIC
from xmgraph.patterns import Mention, alternation, compact

STAGE = "metric"


@quick_init
@dataclass(frozen=True)
class Met:
    """A metric mention being read."""

    m: Mention
    frame: Frame
    env: Env
    clause: int
    window: str  #: the text since the mention before, within the clause
    lead: str  #: since the clause began (or the last metric mention, if later)
    since: str  #: since the mention before, across clauses
    metric: MetricInfo  #: the metric meant (a variant once a rule chose one)
    done: bool = False  #: a rule decided the mention (share, blocked …)

    @property
    def name(self) -> str:
        return compact(self.env.text[self.m.start : self.m.end])

    def texts(self, part: str) -> str:
        if part == "bracket":  # 淨利潤（歸屬於母公司股東）713.62億元: the bracket right after
            found = _BRACKET_AFTER.match(self.env.text, self.m.end)
            return found.group(1) if found else ""
        if part == "since-figure":  # since the last figure that made a fact, across clauses
            at = self.frame.fact_at
            return self.env.text[at : self.m.start] if at >= 0 else ""
        if part == "sentence-opening":  # 扣除非经常性损益后，公司预计…净利润: its first clause
            return _opening_clause(self.env.text, self.m.start)
        if part == "since":  # …同比-3.2%(调整后)；归母净利润: the bracket is the change's basis
            return _BRACKET_LEAD.sub("", self.since, count=1)
        return {"window": self.window, "lead": self.lead or self.window}[part]


def _opening_clause(text: str, at: int) -> str:
    """The first clause of the sentence ``at`` stands in, where ``at`` is in a later one; else
    ""."""
    start = max(text.rfind(ch, 0, at) for ch in (*SENTENCE_END, "\n")) + 1
    end = _CLAUSE_BREAK.search(text, start, at)
    return text[start : end.start()] if end is not None else ""


#: A bracket right after the mention before (同比-3.2%(调整后)): a note on that mention's figure.
_BRACKET_LEAD = re.compile(r"^\s*[（(][^（()）\n]{0,16}[）)]")

#: A bracket right after a metric's name, no figure in it (（歸屬於母公司股東）).
_BRACKET_AFTER = re.compile(r"\s*[（(]([^（()）\d\n]{1,16})[）)]")


@stage_key(STAGE)
def _key(c: Met) -> str:
    """What the static conditions read: the mention's name (the same through the stage)."""
    return c.name


@condition(STAGE, "has")
def has(
    c: Met, *, cue: str, part: str = "window", width: int | None = None, at_end: bool = False
) -> bool:
    """A word of ``cue`` in the last ``width`` characters of ``part`` (window, lead, since;
    since-figure: since the last figure made a fact; bracket: the bracket right after the
    name)."""
    text = c.texts(part)
    text = text[-width:] if width else text
    return window_has(text, c.env.lex.cue(cue), at_end=at_end) is not None


@condition(STAGE, "clause-opens")
def clause_opens(c: Met, *, cue: str) -> bool:
    """A clause since the subject in force was named, this one or one before it, opens with a
    word of ``cue``, after a year maybe (，公司实现营业收入…; ，2025年公司期间费用减少…，
    利润总额为…)."""
    at = c.frame.entity_end
    text = c.env.text[at : c.m.start] if 0 <= at <= c.m.start else c.lead
    return _clause_opening(c.env.lex.cue(cue)).search(text) is not None


@lru_cache(maxsize=8)
def _clause_opening(words: tuple[str, ...]) -> re.Pattern[str]:
    """A clause opening with one of ``words``, a year maybe before it (2025年公司…)."""
    return regex(rf"(?:^|[，,；;])\s*(?:(?:19|20)\d\d\s*年度?\s*)?(?:{alternation(list(words))})")


@condition(STAGE, "metric-kind")
def metric_kind(c: Met, *, kinds: list[str]) -> bool:
    """The metric named is of one of ``kinds`` (money, ratio, per-share, count …)."""
    return c.metric.kind in kinds


@condition(STAGE, "shorter-than")
def shorter_than(c: Met, *, width: int) -> bool:
    """The text since the mention before is at most ``width`` characters."""
    return len(c.window) <= width


@condition(STAGE, "share-of-force")
def share_of_force(c: Met) -> bool:
    """The metric in force is an amount that has a share metric (收入 -> 收入占比)."""
    m = c.frame.metric
    return m is not None and m.kind != "ratio" and m.share_metric is not None


@condition(STAGE, "ratio-named")
def ratio_named(c: Met, *, cue: str) -> bool:
    """The mention is a ratio whose name begins with a word of ``cue`` (占总收入)."""
    assert c.m.metric is not None
    return c.m.metric.kind == "ratio" and c.name.startswith(c.env.lex.cue(cue))


@condition(STAGE, "named", static=True)
def named(c: Met, *, cue: str) -> bool:
    """The mention is one of the words of ``cue`` (新增, 净增)."""
    return c.name in c.env.lex.cue(cue)


@condition(STAGE, "after-metric")
def after_metric(c: Met, *, width: int, skip: str = "") -> bool:
    """A metric is in force, named in the same clause right before (at most ``width``
    characters of space between), or a figure of it stands right before."""
    f = c.frame
    if f.metric is None or f.metric_end < 0:
        return False
    gap = c.env.text[f.metric_end : c.m.start].replace("|", " ")  # a pipe table's cell bar
    skipped = c.env.lex.cue(skip) if skip else ()
    for word in (*c.env.lex.cue("forecast"), *c.env.lex.cue("copula"), *skipped):
        gap = gap.replace(word, "")  # 净利润预计盈利71,000万元
    if f.metric_clause == c.clause and not gap.strip() and len(gap) <= width:
        return True
    # 盈利：13,500万元 盈利：9,012.35万元: right after a figure of it, in the same row
    window = c.window
    for word in c.env.lex.cue("unit-denominator"):  # 亏损:0.01元/股 | 盈利:…: its /股 too
        window = window.replace(word, "")
    after_figure = max(f.fact_at, f.level_at) > f.metric_at and not window.strip(" |\t")
    # not over a comma (one of no number's thousands): 收入…至186.4亿元，亏损收窄至6.2亿元
    # names another line, a loss
    return after_figure and _CLAUSE_BREAK.search(gap) is None


#: What ends the row or clause of a figure (a comma of thousands, 12,200, does not).
_CLAUSE_BREAK = re.compile(r"[\n；;，]|,(?!\d)")


@condition(STAGE, "loss-in-force")
def loss_in_force_of(c: Met) -> bool:
    """The metric in force is itself a loss (:func:`~xmgraph.extract.context.loss_in_force`)."""
    return loss_in_force(c.frame, c.env.lex)


@condition(STAGE, "ends-not-a-metric")
def ends_not_a_metric(c: Met, *, cue: str, width: int, joiner: str, last: str) -> bool:
    """The mention ends a word of ``cue`` begun up to ``width`` characters before it, across a
    name read before it (总投资收益, 传统型保险收入: no revenue of 总投资 or of 传统型保险); not
    a word opening with a ``last`` word after a ``joiner`` that ends a list of parts
    (营销服务及其他收入: the parts' revenue)."""
    text, words = c.env.text[max(0, c.m.start - width) : c.m.end], c.env.lex.cue(cue)
    if not text.endswith(words):  # one test in C: most mentions end none of the words
        return False
    return any(
        text.endswith(w)
        and len(w) > c.m.end - c.m.start
        and not (w.startswith(c.env.lex.cue(last)) and _last_part(c, c.m.end - len(w), joiner))
        for w in words
    )


def _last_part(c: Met, at: int, joiner: str) -> bool:
    """Whether a ``joiner`` ends at ``at`` after a part's name, not a metric's (营销服务及其他
    收入: the last of the parts; 收入及其他收益: other income added to revenue)."""
    text = c.env.text
    j = next((w for w in c.env.lex.cue(joiner) if text.endswith(w, 0, at)), None)
    if j is None:
        return False
    item = text[max(0, at - len(j) - JOINED_METRIC) : at - len(j)]
    return not ends_in_metric(item, c.env.pats.metric)


@condition(STAGE, "amount-in-force")
def amount_in_force(c: Met) -> bool:
    """An amount or a per-share figure is the metric in force."""
    m = c.frame.metric
    return m is not None and m.kind in ("money", "per-share")


@condition(STAGE, "figure-left-out")
def figure_left_out(c: Met) -> bool:
    """A figure was read and left out since the last fact."""
    return c.frame.level_at > c.frame.fact_at


@condition(STAGE, "in-force-in")
def in_force_in(c: Met, *, cue: str) -> bool:
    """The metric in force before this mention is one of ``cue`` (by its IRI's local name)."""
    m = c.frame.metric
    return m is not None and m.iri.rsplit("/", 1)[-1] in c.env.lex.cue(cue)


@condition(STAGE, "in-basis-section")
def in_basis_section(c: Met, *, opening: str, closing: str) -> bool:
    """The mention stands under a basis heading of ``opening`` (按非国际财务报告准则：…) not
    closed by one of ``closing`` (:func:`~.context.basis_sections`)."""
    return in_spans(c.m.start, basis_sections(c.env.text, c.env.lex, opening, closing))


@condition(STAGE, "variant")
def variant(c: Met, *, link: str) -> bool:
    """The metric has a variant by ``link`` (adjusted, attributable)."""
    return getattr(c.metric, f"{link}_metric") is not None


@condition(STAGE, "variant-of")
def variant_of(c: Met, *, link: str) -> bool:
    """The metric is another's variant by ``link`` (股东应占溢利: the attributable profit)."""
    return c.metric is not None and c.metric.iri in _variants(c.env.lex, link)


@lru_cache(maxsize=16)
def _variants(lex: Lexicon, link: str) -> frozenset[str]:
    """The metrics that are another's variant by ``link``."""
    return frozenset(getattr(m, f"{link}_metric") or "" for m in lex.metrics.values()) - {""}


@condition(STAGE, "attributable-named")
def attributable_named(c: Met) -> bool:
    """A profit attributable to shareholders was named before in the sentence."""
    return c.frame.attributable


@condition(STAGE, "other-clause-subject")
def other_clause_subject(c: Met) -> bool:
    """The entity in force was named in an earlier clause."""
    return c.frame.entity_clause < c.clause


@action(STAGE, "status")
def status(c: Met, rule: Rule, *, loss: bool = False) -> Met:
    """盈利/亏损 right after a profit line (a 业绩预告 table): the line stays the metric; 亏损
    makes its figures losses (negative values of it)."""
    return evolve(c, frame=evolve(c.frame, negated=loss), done=True)


@action(STAGE, "loss-line")
def loss_line(c: Met, rule: Rule) -> Met:
    """每股基本亏损3.108元: a line named as a loss is its metric in force, its figures negative."""
    f = evolve(c.frame, metric=c.metric, metric_clause=c.clause, share=False, negated=True)
    return evolve(c, frame=evolve(f, metric_at=c.m.start, metric_end=c.m.end), done=True)


@condition(STAGE, "clause-after-has")
def clause_after_has(c: Met, *, cue: str) -> bool:
    """A word of ``cue`` stands after the mention in its clause (…净亏损分别为…)."""
    text = c.env.text
    end = text.find("。", c.m.end)
    rest = _CLAUSE_END.split(text[c.m.end : end if end >= 0 else len(text)], maxsplit=1)[0]
    return window_has(rest, c.env.lex.cue(cue)) is not None


#: Where a clause ends inside a sentence.
_CLAUSE_END = re.compile(r"[，,；;\n]")


@action(STAGE, "per-ads-line")
def per_ads_line(c: Met, rule: Rule, *, metric: str) -> Met:
    """每股美国存托股份的基本和摊薄净亏损均为2.47元: a profit or loss named per ADS is the
    ``metric`` (earnings per ADS) in force, its figures negative for a loss."""
    info = c.env.lex.metrics[str(METRIC) + metric]
    loss = c.metric.iri in c.env.lex.loss_metrics
    f = evolve(c.frame, metric=info, metric_clause=c.clause, share=False, negated=loss)
    return evolve(c, frame=evolve(f, metric_at=c.m.start, metric_end=c.m.end), done=True)


@action(STAGE, "share")
def share(c: Met, rule: Rule) -> Met:
    """The mention is the denominator of a share of the metric in force (研发投入占营业收入的…)."""
    return evolve(c, frame=evolve(c.frame, share=True), done=True)


@action(STAGE, "end-metric")
def end_metric(c: Met, rule: Rule, *, block: bool = False) -> Met:
    """No metric is in force after the mention (a blocked one blocks its clause's unit metric)."""
    f = evolve(c.frame, metric=None, metric_clause=c.clause, share=False)
    if block:
        f = evolve(f, blocked_clause=c.clause)
    return evolve(c, frame=f, done=True)


@action(STAGE, "take-variant")
def take_variant(c: Met, rule: Rule, *, link: str, remember: bool = False) -> Met:
    """The metric meant is its ``link`` variant (经调整净利润, 归母净利润); ``remember``: so is a
    profit named later in the sentence."""
    iri = getattr(c.metric, f"{link}_metric") or ""
    metric = c.env.lex.metrics.get(iri, c.metric)
    frame = evolve(c.frame, attributable=True) if remember else c.frame
    return evolve(c, metric=metric, frame=frame)


@action(STAGE, "remember-attributable")
def remember_attributable(c: Met, rule: Rule) -> Met:
    """An attributable cue without a variant: a profit named later is attributable."""
    return evolve(c, frame=evolve(c.frame, attributable=True))


@action(STAGE, "whole-company")
def whole_company(c: Met, rule: Rule) -> Met:
    """综合毛利率, 集团收入: the whole company's figure, whatever segment was in force; the
    company in force where one is (澄江控股(01234)：本集团预期…, an item of a round-up),
    else the report's."""
    if c.frame.entity is not None and c.frame.entity.kind == "company":
        return c
    main = c.env.ents.main_company
    return evolve(c, frame=evolve(c.frame, entity=main or c.frame.entity))


def read_metric(c: Met) -> tuple[Frame, list[str]]:
    """Run the metric stage on a mention: the new frame and the rules that fired."""
    fired = []
    touched = False
    for rule, test in c.env.sieve.rules(STAGE, c):
        if rule.action == "take-variant" and touched:
            continue  # one variant at most: the first rule that holds
        if test is not None and not test(c):
            continue
        c = rule.apply(c)
        fired.append(rule.id)
        touched = touched or rule.action in ("take-variant", "remember-attributable")
        if c.done:
            return c.frame, fired
    # 扣除非经常性损益后…净亏损: a loss read as a variant of no loss (扣非, keeping its sign)
    said, losses = c.m.metric, c.env.lex.loss_metrics
    negated = bool(said and c.metric and said.iri in losses and c.metric.iri not in losses)
    f = evolve(c.frame, metric=c.metric, metric_clause=c.clause, share=False, negated=negated)
    f = evolve(f, metric_at=c.m.start, metric_end=c.m.end)
    return f, fired
