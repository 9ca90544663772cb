"""The fact stage: a figure that is a level becomes a fact — its metric, entity, region,
period, unit and value decided by the rules of the stage ``fact`` in order, each of which
may leave it out; then its qualifiers (stage ``qualifier``) and the changes waiting for it."""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal
from functools import lru_cache

from xmgraph.diskcache import regex
from xmgraph.extract.context import (
    Draft,
    Env,
    Fig,
    Step,
    basis_sections,
    in_spans,
    list_place,
    window_has,
)
from xmgraph.extract.figure import slashes_before, unsaid_on_a_day, with_change
from xmgraph.extract.filters import lexicon_range, shares_per
from xmgraph.extract.frame import CLAUSE_ENDS, Frame, evolve
from xmgraph.extract.rules import Rule, action, condition, stage_key
from xmgraph.extract.tables import DATED
from xmgraph.extract.tagging import UNKNOWN_REGION
from xmgraph.lexicon import Lexicon, MetricInfo
from xmgraph.model import QUALIFIERS, Entity, Fact, Period
from xmgraph.patterns import (
    CLAUSE_BREAK,
    HAN,
    Mention,
    alternation,
    compact,
    compile_patterns,
    listed_years,
    range_years,
    year_list,
    year_range,
)

STAGE = "fact"


def fits(metric: MetricInfo, q: Mention) -> bool:
    """Whether a quantity can be a value of a metric (by its unit)."""
    if q.percent:
        return metric.kind == "ratio"
    if q.unit is None:
        # 营收52.3亿: an amount with a scale and no unit is money in the report's currency
        if q.column:  # a per-share row of a pipe table: 基本每股收益 | -0.8309
            return metric.kind == "per-share"
        return metric.kind == "count" or (q.scaled and metric.kind == "money")
    if q.unit.currency:
        # 68.4分, 12.5港仙: a hundredth of the currency is an amount per share, not 30分 of a time
        return metric.kind == "per-share" if q.minor else metric.kind in ("money", "per-share")
    if q.unit.code == "percentage-point" or metric.kind != "count":
        return False
    if q.unit.generic or metric.default_unit is None:
        return True
    if q.unit.broader is not None and q.unit.broader == metric.default_unit:
        return True  # 销量48.2万辆: a vehicle is a unit of goods
    return q.unit.code == metric.default_unit or {q.unit.code, metric.default_unit} == {
        "person",
        "user",
    }


def unit_code(metric: MetricInfo, q: Mention) -> str | None:
    """The unit of the fact: percent, the metric's default for a generic word, or the figure's."""
    if q.percent:
        return "percent"
    if (
        q.unit is None
        or q.unit.generic
        or (metric.default_unit and {q.unit.code, metric.default_unit} == {"person", "user"})
    ):
        return metric.default_unit
    return q.unit.code


# ---------------------------------------------------------------- conditions


@stage_key(STAGE)
def _key(d: Draft) -> tuple[bool, str]:
    """What the static conditions read: after 分别, the figure's column (the draft's figure
    stays the same through the stage)."""
    return d.fig.resp, d.fig.q.column


@condition(STAGE, "after-respectively", static=True)
def after_respectively(d: Draft) -> bool:
    """分别 stands between a list of items and the figure."""
    return d.fig.resp


@condition(STAGE, "no-metric")
def no_metric(d: Draft) -> bool:
    """No metric was decided for the figure."""
    return d.metric is None


@condition(STAGE, "region-unknown")
def region_unknown(d: Draft) -> bool:
    """The figure is limited to a place we have no region for."""
    return d.region is UNKNOWN_REGION


@condition(STAGE, "incomplete")
def incomplete(d: Draft) -> bool:
    """The entity, the period or the unit could not be decided."""
    return d.entity is None or d.period is None or d.unit is None


@condition(STAGE, "before-company")
def before_company(d: Draft) -> bool:
    """The figure is the report's company's, but stands before the text first names it, in a
    text that names several (a round-up's market figures ahead of the companies it quotes)."""
    ents = d.fig.env.ents
    main = ents.main_company
    return ents.several and main is not None and d.entity is main and d.fig.q.start < ents.main_at


@condition(STAGE, "period-longer")
def period_longer(d: Draft, *, days: int, keep: str) -> bool:
    """The figure's period spans more than ``days`` days (2020-2021年: a span of years, no
    period a figure of a results text is of), and no word of ``keep`` stands in its sentence
    before it (2025-2027年营收目标为300亿元: a target over the years)."""
    if d.period is None or d.period.is_instant:
        return False
    first, last = d.period.bounds()
    return (last - first).days > days and window_has(
        d.fig.where.cue_text, d.fig.env.lex.cue(keep)
    ) is None


@condition(STAGE, "per-share")
def per_share(d: Draft) -> bool:
    """The metric is an amount per share."""
    return d.metric is not None and d.metric.kind == "per-share"


@condition(STAGE, "per-share-total")
def per_share_total(d: Draft, *, limit: str) -> bool:
    """An amount per share above ``limit`` units of its currency: a total paid or earned
    (股息总额人民币3,188,343,310.24元 under 每股股息), no figure per share."""
    return (
        d.metric is not None
        and d.metric.kind == "per-share"
        and d.value is not None
        and abs(d.value) > Decimal(limit)
    )


def _line(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


@condition(STAGE, "prior-column")
def prior_column(d: Draft, *, this: str, prior: str, lookback: int, joiner: str) -> bool:
    """The figure stands in the last column of a table row (a figure before it on the line, none
    after; not the upper end of a range, a word of ``joiner`` before it: 盈利:320万元–410万元),
    under a header naming a ``this`` column and then a ``prior`` one (项目 本报告期 上年同期)
    within ``lookback`` lines above, over rows and sub-headings (（2）2025年第三季度业绩预计情况),
    never over a sentence of prose."""
    text, q, lex = d.fig.env.text, d.fig.q, d.fig.env.lex
    a, b = _line(text, q.start)
    if not any(ch.isdigit() for ch in text[a : q.start]):
        return False
    if d.fig.where.since_quantity.strip() in lex.cue(joiner):
        return False
    if any(m.kind == "quantity" and m.start < b for m in d.fig.rest):
        return False
    pos = a
    for _ in range(lookback):
        if pos <= 0:
            return False
        a, b = _line(text, pos - 1)
        line, pos = text[a:b], a
        if "。" in line:
            return False
        this_at = max((line.find(w) for w in lex.cue(this)), default=-1)
        prior_at = max((line.find(w) for w in lex.cue(prior)), default=-1)
        if 0 <= this_at < prior_at:
            return True
    return False


@condition(STAGE, "column", static=True)
def column(d: Draft, *, kind: str) -> bool:
    """The figure stands in a table's column of ``kind`` (this, prior, change)."""
    return d.fig.q.column == kind


@action(STAGE, "previous-year")
def previous_year(d: Draft, rule: Rule) -> Draft:
    """The figure is of the same period a year earlier."""
    return evolve(d, period=d.period.previous_year()) if d.period is not None else d


@action(STAGE, "previous-year-end")
def previous_year_end(d: Draft, rule: Rule) -> Draft:
    """The figure is of 31 December of the year before the period."""
    if d.period is None:
        return d
    return evolve(d, period=Period(f"{d.period.bounds()[1].year - 1}-12-31"))


@action(STAGE, "column-quarter")
def column_quarter(d: Draft, rule: Rule, *, years_back: int) -> Draft:
    """The figure is of the last quarter of the period in force (本报告期 beside 年初至报告期末
    in a third-quarter report: the quarter), ``years_back`` years earlier."""
    if d.period is None:
        return d
    last = d.period.bounds()[1]
    return evolve(d, period=Period(f"{last.year - years_back}-Q{(last.month - 1) // 3 + 1}"))


@action(STAGE, "column-year-to-date")
def column_year_to_date(d: Draft, rule: Rule, *, years_back: int) -> Draft:
    """The figure is of the months from the start of the year to the end of the period in force
    (年初至报告期末), ``years_back`` years earlier."""
    if d.period is None:
        return d
    last = d.period.bounds()[1]
    year = last.year - years_back
    day = min(last.day, calendar.monthrange(year, last.month)[1])
    return evolve(d, period=Period.interval(date(year, 1, 1), date(year, last.month, day)))


@condition(STAGE, "dated-column")
def dated_column(d: Draft) -> bool:
    """The figure stands in a table's column headed by the day a report's period ends
    (|指标 |2025-09-30|2025-06-30|: a portal's table of financial indicators)."""
    return d.fig.q.column.startswith(DATED)


@action(STAGE, "column-day")
def column_day(d: Draft, rule: Rule) -> Draft:
    """The figure is of the months from the start of the (fiscal) year to the day its column
    names — a balance, of that day (2025-09-30: January to September; 总资产, at its end)."""
    last = date.fromisoformat(d.fig.q.column.removeprefix(DATED))
    if d.metric is not None and d.metric.point_in_time:
        return evolve(d, period=Period(last.isoformat()))
    end = d.fig.env.fiscal_end or (12, 31)
    year = last.year if (last.month, last.day) > end else last.year - 1
    closed = date(year, end[0], min(end[1], calendar.monthrange(year, end[0])[1]))
    return evolve(d, period=Period.interval(date.fromordinal(closed.toordinal() + 1), last))


@condition(STAGE, "clause-before-has")
def clause_before_has(d: Draft, *, cue: str) -> bool:
    """A word of ``cue`` stands in the clause before the figure; in a table's row, since the
    row's label (not in a header run into the line before it: 调整前 调整后 …)."""
    w, q, at = d.fig.where, d.fig.q, d.fig.frame.metric_at
    start = at if q.column and at >= w.clause_start else w.clause_start
    before = d.fig.env.text[start : q.start]
    return window_has(before, d.fig.env.lex.cue(cue)) is not None


@condition(STAGE, "document-has")
def document_has(d: Draft, *, cue: str) -> bool:
    """A word of ``cue`` stands anywhere in the text (年初至报告期末: the report has a column
    of the months to date, so its 本报告期 is the quarter)."""
    return window_has(d.fig.env.text, d.fig.env.lex.cue(cue)) is not None


@condition(STAGE, "in-basis-section")
def in_basis_section(d: Draft, *, opening: str, closing: str) -> bool:
    """The figure stands under a basis heading of ``opening`` (按非国际财务报告准则：…) not
    closed by one of ``closing`` (:func:`~.context.basis_sections`)."""
    env = d.fig.env
    return in_spans(d.fig.q.start, basis_sections(env.text, env.lex, opening, closing))


@condition(STAGE, "sentence-before-has")
def sentence_before_has(d: Draft, *, cue: str) -> bool:
    """A word of ``cue`` stands in the sentence before the figure (截止发稿跌8.82%，…成交额)."""
    w = d.fig.where
    before = d.fig.env.text[w.sentence.start : d.fig.q.start]
    return window_has(before, d.fig.env.lex.cue(cue)) is not None


@condition(STAGE, "sentence-after-has")
def sentence_after_has(d: Draft, *, cue: str) -> bool:
    """A word of ``cue`` stands in the sentence after the figure (X元;年初至报告期末Y元)."""
    after = d.fig.env.text[d.fig.q.end : d.fig.where.sentence.end]
    return window_has(after, d.fig.env.lex.cue(cue)) is not None


@condition(STAGE, "months-to-date")
def months_to_date(d: Draft) -> bool:
    """Outside a table, the period in force runs from 1 January over more than a quarter and
    less than a year (a third-quarter report's 前三季度)."""
    if d.fig.q.column or d.period is None or d.period.is_instant:
        return False
    first, last = d.period.bounds()
    return (first.month, first.day) == (1, 1) and 3 < last.month < 12


@condition(STAGE, "share-of-whole")
def share_of_whole(d: Draft, *, cue: str) -> bool:
    """A share of the whole (收入占比, a metric of ``cue``) given of the company itself, in no
    region: the share of no part (期间费用占营收比: the costs', a metric of no part of ours)."""
    e = d.entity
    return metric_in(d, cue=cue) and e is not None and e.kind == "company" and d.region is None


@condition(STAGE, "metric-in")
def metric_in(d: Draft, *, cue: str) -> bool:
    """The figure's metric is one of ``cue`` (by the local name of its IRI)."""
    return d.metric is not None and d.metric.iri.rsplit("/", 1)[-1] in d.fig.env.lex.cue(cue)


@condition(STAGE, "named-by")
def named_by(d: Draft, *, cue: str) -> bool:
    """The metric in force was named by a word of ``cue`` alone (新增, not 新增门店)."""
    f = d.frame or d.fig.frame
    if f.metric_at < 0 or f.metric_end <= f.metric_at:
        return False
    return compact(d.fig.env.text[f.metric_at : f.metric_end]) in d.fig.env.lex.cue(cue)


@condition(STAGE, "unit-is")
def unit_is(d: Draft, *, units: list[str]) -> bool:
    """The figure is written with one of ``units`` (by code: store)."""
    return d.fig.q.unit is not None and d.fig.q.unit.code in units


# ---------------------------------------------------------------- actions


@action(STAGE, "drop")
def drop(d: Draft, rule: Rule) -> Draft:
    """The figure is left out."""
    return evolve(d, dropped=True)


@action(STAGE, "series-item")
def series_item(d: Draft, rule: Rule) -> Draft:
    """After 分别, the n-th figure is of the n-th item of the list; more figures than items,
    those of an item of no metric of ours, and all where an item we did not read opens the
    list, are left out."""
    frame = _afresh(d.frame or d.fig.frame, d.fig)
    n = frame.resp_values + 1
    frame = evolve(frame, resp_values=n)
    series, text = d.fig.series, d.fig.env.text
    # 华辰行、澄江银行及滨海银行…分别为: an item we did not read opens the list: the figures
    # would go one place off
    opened = text[d.fig.where.sentence.start : series[0].start].rstrip().endswith("、")
    if n >= len(series) or opened:
        return evolve(d, frame=frame, dropped=True)
    if d.fig.series[n].kind == "non-metric":  # …费用率分别为: no metric of ours; its place is
        frame = evolve(frame, resp_facts=(*frame.resp_facts, -1))  # kept for the changes after
        return evolve(d, frame=frame, dropped=True)
    return evolve(d, frame=frame, item=d.fig.series[n])


def _afresh(frame: Frame, fig: Fig) -> Frame:
    """The frame with the count after 分别 started again where a 分别 later than the one
    counted stands before the figure, the list's items not named again (营收/归母净利润分别为
    a/b亿元，同比+x%/+y%；Q4分别为c/d亿元…: the quarter's figures are the list's again)."""
    words = fig.env.lex.cue("respectively")
    before = fig.env.text[fig.series[-1].end : fig.q.start]
    at = max((before.rfind(w) for w in words), default=-1)
    at = fig.series[-1].end + at if at >= 0 else -1
    if at < 0 or at == frame.resp_at:
        return frame
    if frame.resp_at < 0:
        return evolve(frame, resp_at=at)
    return evolve(frame, resp_at=at, resp_values=-1, resp_changes=-1, resp_facts=(), resp_early=())


@action(STAGE, "item-metric")
def item_metric(d: Draft, rule: Rule) -> Draft:
    """The item of the list is a metric that fits the figure (营收和净利润分别为…)."""
    m = d.item.metric if d.item is not None else None
    return evolve(d, metric=m) if m is not None and fits(m, d.fig.q) else d


def _share_metric(d: Draft, frame: Frame) -> MetricInfo | None:
    """The metric in force, or its share metric for a percentage named as a share of it."""
    metric, lex, q = frame.metric, d.fig.env.lex, d.fig.q
    shared = frame.share or window_has(d.fig.where.window, lex.cue("share"))
    if (
        metric is not None
        and q.percent
        and metric.kind != "ratio"
        and metric.share_metric
        and shared
    ):
        return lex.metrics.get(metric.share_metric)
    return metric


@action(STAGE, "metric-in-force")
def metric_in_force(d: Draft, rule: Rule) -> Draft:
    """The metric in force (or the share of it: 研发投入占收入的8.2%) when the figure fits it."""
    if d.metric is not None:
        return d
    metric = _share_metric(d, d.frame or d.fig.frame)
    return evolve(d, metric=metric) if metric is not None and fits(metric, d.fig.q) else d


@action(STAGE, "elided-metric")
def elided_metric(d: Draft, rule: Rule, *, brackets: str = "") -> Draft:
    """A业务收入X；B业务Y: B's figure is of the metric named for the part before it; so is a
    figure in ``brackets`` right after B (A以4.12万亿元总资产居首，B（2.31万亿元）)."""
    frame, fig = d.frame or d.fig.frame, d.fig
    e, w = frame.elided, fig.where
    copula = ("", *fig.env.lex.cue("copula"), *brackets)
    if (
        d.metric is not None
        or frame.metric is not None
        or e is None
        or frame.entity_clause != w.clause
        or (fig.q.percent and e.kind != "ratio")  # 农业银行为1.35%: a ratio's, no change
        or not fits(e, fig.q)
        or fig.env.text[frame.entity_end : fig.q.start].strip() not in copula
    ):
        return d
    frame = evolve(frame, metric=e, metric_clause=w.clause)
    return evolve(d, metric=e, frame=frame)


@action(STAGE, "metric-after")
def metric_after(d: Draft, rule: Rule, *, gap: int, skip: str = "") -> Draft:
    """The metric right after the figure (3,120家门店), within ``gap`` characters (the words of
    the cue set ``skip`` not counted), no break; written right after it and followed by no
    figure of its own (较上年同期的1.31亿净利润下降), even over the metric in force."""
    if _of_item_after(d):
        return evolve(d, metric=None)
    rest = [m for m in d.fig.rest if m.kind in ("metric", "quantity")]
    start = d.fig.q.end  # where the words before the metric begin
    if d.metric is None and (upper := _range_upper(d, rest)) is not None:
        rest, start = rest[1:], upper.end  # 录得约1.2百万澳元至1.8百万澳元之净亏损: both bounds'
    nxt = rest[0] if rest else None
    if nxt is None or nxt.kind != "metric" or nxt.metric is None:
        return d
    between = d.fig.env.text[start : nxt.start]
    if "的" in between and _bare_count(nxt.metric, d.fig.q):
        return d
    if d.metric is not None:
        return evolve(d, metric=nxt.metric) if _written_after(d, rest, between) else d
    return evolve(d, metric=nxt.metric) if _close_before(d, nxt, between, gap, skip) else d


def _close_before(d: Draft, nxt: Mention, between: str, gap: int, skip: str) -> bool:
    """Whether the metric ``nxt`` stands within ``gap`` characters after the figure (the words
    of the cue set ``skip`` not counted), no break between, and fits the figure."""
    for word in d.fig.env.lex.cue(skip) if skip else ():
        between = between.replace(word, "")
    assert nxt.metric is not None
    return len(between) <= gap and not _broken(between) and fits(nxt.metric, d.fig.q)


def _range_upper(d: Draft, rest: list[Mention]) -> Mention | None:
    """The upper bound of a range the figure opens (a joiner of cue set range-joiner, maybe an
    approximate word, between them), where a metric follows it; else None."""
    if len(rest) < 2 or rest[0].kind != "quantity" or rest[1].kind != "metric":
        return None
    lex = d.fig.env.lex
    joint = d.fig.env.text[d.fig.q.end : rest[0].start].strip()
    for word in lex.cue("approximate"):
        joint = joint.replace(word, "")
    return rest[0] if joint in lex.cue("range-joiner") else None


def _of_item_after(d: Draft) -> bool:
    """Whether the figure is of the item of no metric written right after it, which has no
    figure of its own (出售物业所得的3180万元一次性收益)."""
    rest = [m for m in d.fig.rest if m.kind in ("metric", "quantity", "non-metric")]
    if not rest or rest[0].kind != "non-metric":
        return False
    if d.fig.env.text[d.fig.q.end : rest[0].start].strip(" 之的"):
        return False
    return not _has_own_figure(d, rest)


def _has_own_figure(d: Draft, rest: list[Mention]) -> bool:
    """Whether the name ``rest`` opens has a figure of its own right after it, in its clause
    (or after a colon: a table's next cell, 盈利:1,842.48万元)."""
    if len(rest) < 2 or rest[1].kind != "quantity":
        return False
    between = d.fig.env.text[rest[0].end : rest[1].start]
    return not _broken(between) or between.strip() in (":", "：")


def _written_after(d: Draft, rest: list[Mention], between: str) -> bool:
    """Whether the metric ``rest`` opens is written right after the figure (nothing but 的
    ``between``: 以2,841亿元的营收和96亿元的净利润居首), another than the one in force, with no
    figure of its own after it."""
    nxt = rest[0]
    assert nxt.metric is not None
    own = _has_own_figure(d, rest)
    written = between in ("", "的")
    return written and not (own or nxt.metric is d.metric or not fits(nxt.metric, d.fig.q))


def _bare_count(metric: MetricInfo, q: Mention) -> bool:
    """A count named after 的 and a figure with no unit of its own (承担了2,615.4万的员工安置支出:
    an amount of an item of no metric of ours, no head count)."""
    return metric.kind == "count" and q.unit is None


def _broken(text: str) -> bool:
    """Whether a clause break stands in ``text``."""
    return bool(set(text) & set(CLAUSE_BREAK))


@action(STAGE, "cell-metric")
def cell_metric(d: Draft, rule: Rule) -> Draft:
    """A cell of a table with a year a row: its column's metric."""
    return evolve(d, metric=d.fig.q.metric) if d.fig.q.metric is not None else d


@action(STAGE, "cell-period")
def cell_period(d: Draft, rule: Rule) -> Draft:
    """A cell of a table with a year a row: its row's year."""
    q = d.fig.q
    return evolve(d, period=Period(q.period)) if q.kind == "quantity" and q.period else d


@action(STAGE, "unit-metric")
def unit_metric(d: Draft, rule: Rule, *, cue: str, closer: str) -> Draft:
    """No metric in force: a unit that implies one (万辆 -> deliveries) in the subject's clause;
    not where a noun of ``cue`` right after it says what is counted (9家券商: no stores), nor
    right after a company's name or a list of them closed by a word of ``closer`` (…澄江银行和
    滨海银行 3 家保持…, …滨海物业等7家: the companies counted)."""
    frame, q, w = d.frame or d.fig.frame, d.fig.q, d.fig.where
    prev = w.previous
    if prev is not None and prev.entity is not None and prev.entity.kind == "company":
        between = d.fig.env.text[prev.end : q.start].strip()
        if between in ("", *d.fig.env.lex.cue(closer)) or _last_item(between, d.fig.env.lex):
            return d
    if (
        d.metric is None
        and q.unit is not None
        and q.unit.default_metric
        and frame.metric is None
        and frame.entity_clause == w.clause
        and frame.blocked_clause != w.clause
        and not compact(d.fig.env.text[q.end : q.end + 12]).startswith(d.fig.env.lex.cue(cue))
    ):
        return evolve(d, metric=d.fig.env.lex.metrics.get(q.unit.default_metric))
    return d


def _last_item(between: str, lex: Lexicon) -> bool:
    """``between`` is a list's last item, a name we do not know (…、澄江精工、远航智造5家: the
    companies counted)."""
    joiner = next((w for w in lex.cue("series-joiner") if between.startswith(w)), None)
    return joiner is not None and _HAN_NAME.fullmatch(between[len(joiner) :].strip()) is not None


#: A name of two to six Han characters.
_HAN_NAME = re.compile(rf"[{HAN}]{{2,6}}")


@condition(STAGE, "unnamed-item")
def unnamed_item(d: Draft) -> bool:
    """No company is named in the sentence, and the figure's line is an item of a numbered list of
    companies opened by a name that names no company of the text (3. 辰星电源：…: no suffix,
    not listed), or the figure is in a note of a listing whose title names none."""
    if (d.frame or d.fig.frame).company_at >= 0:
        return False  # 3. 辰星电源：澄江硅材股份…: the company the line names
    at, ents = d.fig.q.start, d.fig.env.ents
    line = d.fig.env.text.rfind("\n", 0, at) + 1
    note = any(start <= at < end and e is None for start, end, e in ents.notes)
    return line in ents.unnamed_item_lines or note


@condition(STAGE, "implausible-amount")
def implausible_amount(d: Draft, *, least: str) -> bool:
    """An amount of money of a company or a part (not per share) below ``least`` in its
    currency (营收17.84元, 净利润0.28元): a per-share figure or a misread, no such amount."""
    m, value = d.metric, d.value
    if m is None or value is None or m.kind != "money" or d.unit is None:
        return False
    currency = any(u.code == d.unit and u.currency for u in d.fig.env.lex.units)
    return currency and abs(value) < Decimal(least)


@action(STAGE, "subject")
def subject(d: Draft, rule: Rule, *, ends: str) -> Draft:
    """The entity in force, else the report's company; a list of parts opened by 其中 ended at
    a ``ends`` character (；) gives the company back; an item of a list before 分别 that is an
    entity is the subject."""
    frame, fig = d.frame or d.fig.frame, d.fig
    main = fig.env.ents.main_company
    entity = frame.entity or main
    stops = CLAUSE_ENDS if frame.entity_reason else ends  # 受惠X收入增加，…: its clause only
    if (
        entity is not None
        and frame.entity_sub
        and entity.kind == "segment"
        and re.search(f"[{re.escape(stops)}]", fig.env.text[frame.entity_end : fig.q.start])
    ):
        entity = main or entity
    if d.item is not None and d.item.kind == "entity":
        entity = d.item.entity
    if entity is not None and entity.kind != "company" and d.metric and d.metric.company_level:
        entity = _whole_company(d, entity)
    return evolve(d, entity=entity)


def _whole_company(d: Draft, part: Entity) -> Entity | None:
    """华辰矿业：矿产铜产量…；归母净利润…: a company-level figure named under a part is its
    company's (the gazetteer's, else the report's); in a text naming several companies a part
    of none known has no company of its own to give (left out)."""
    env = d.fig.env
    whole = env.lex.company_of(part.iri)
    if whole is not None:
        return env.lex.entity(whole)
    if env.ents.several:
        return None
    return env.ents.main_company or part


@action(STAGE, "region")
def region(d: Draft, rule: Rule, *, ends: str) -> Draft:
    """The region in force (or the list item's); a ``ends`` character (；) since it was named
    starts a new item of no region (…于中国内地净关闭门店624家；集团雇员约32,000名)."""
    frame, fig = d.frame or d.fig.frame, d.fig
    if d.item is not None and d.item.kind == "region":
        return evolve(d, region=d.item.entity)
    where = frame.region
    if (
        d.item is None
        and where is not None
        and re.search(f"[{re.escape(ends)}]", fig.env.text[frame.region_end : fig.q.start])
    ):
        where = None
    if fig.q.column and where is not None and frame.region_end < frame.metric_at:
        where = None  # a table's cell: a region named before its row's line is no region of it
    return evolve(d, region=where)


@action(STAGE, "period-in-force")
def period_in_force(d: Draft, rule: Rule) -> Draft:
    """The period in force; a level at a date (门店数) named with 截至… within it takes the date,
    and a balance or ratio in a period its end (总资产 in a half-year's table, 不良贷款率 in a
    三季报: 30 June, 30 September); a count in a period stays in it (员工总数 in 2024), unless in a
    table's column."""
    frame = d.frame or d.fig.frame
    period, instant, metric = frame.period, frame.instant, d.metric
    if (
        metric is not None
        and metric.point_in_time
        and instant is not None
        and period is not None
        and not period.is_instant
        and period.bounds()[0] <= instant.bounds()[1] <= period.bounds()[1]
    ):
        period = instant
    elif (
        metric is not None
        and metric.point_in_time
        and period is not None
        and (metric.kind != "count" or d.fig.q.column)
    ):
        # 三季报…不良贷款率1.29%: at 30 September; a year in force around a shorter report
        # period, not over when the text came out: at the report period's end
        period = _reported_within(d, period).end_instant()
    return evolve(d, period=period)


def _reported_within(d: Draft, period: Period) -> Period:
    """The report's period where it lies inside ``period`` and ends earlier, ``period`` not
    over when the text came out (现金储备 under 2025 in a third quarter's note: at 30
    September, not 31 December); else ``period``."""
    rp, published = d.fig.env.report_period, d.fig.env.doc.published
    if rp is None or rp.is_instant or period.is_instant:
        return period
    (first, last), (rp_first, rp_last) = period.bounds(), rp.bounds()
    inside = first <= rp_first and rp_last < last
    return rp if inside and (published is None or published < last) else period


@action(STAGE, "from-to")
def from_to(d: Draft, rule: Rule, *, cue: str, source: str) -> Draft:
    """总净收入从2022年第三季度的18.62亿元增长了23.5%，至22.996亿元: the figure after ``cue``
    (至) that ends a move from a figure of a named period (``source``: 从) is of the report's
    period; from 去年同期 (a period named relative to the one in force), of the period in force
    where that lies inside the report's (a fiscal year's fourth quarter under its heading)."""
    w, env = d.fig.where, d.fig.env
    rp = env.report_period
    lead = w.since_quantity.lstrip(" ，,了")
    if rp is None or d.period is None or d.period == rp or not lead.startswith(env.lex.cue(cue)):
        return d
    before = env.text[w.sentence.start : d.fig.q.start - len(w.since_quantity)]
    moved = regex(rf"(?:{alternation(list(env.lex.cue(source)))})\s*(?:\d{{4}}|(上|去))").search(
        before
    )
    if moved is None:
        return d
    (first, last), (rp_first, rp_last) = d.period.bounds(), rp.bounds()
    if moved[1] and rp_first <= first and last <= rp_last:
        return d
    return evolve(d, period=rp)


#: The frame rule that put the year before in force for a whole sentence.
_PRIOR_OPENING = "periods.prior-opening"


@action(STAGE, "prior-year")
def prior_year(
    d: Draft,
    rule: Rule,
    *,
    cue: str,
    unless_cue: str,
    relative_cue: str = "",
    compare_cue: str = "",
) -> Draft:
    """The figure of the year before: right after 较2023年度的 (the year before the period), or
    after a ``cue`` word (上年同期) — not after a ``unless_cue`` one (较上年末净增), nor after a
    bare ``relative_cue`` word (去年) in a text published the year after the period, where it
    names the period itself (published 2023-02-27: 去年盈利 is 2022's); right after a
    ``compare_cue`` word (同比去年的…) it is the year before the figure's all the same."""
    frame, w, lex = d.frame or d.fig.frame, d.fig.where, d.fig.env.lex
    period = d.period
    if period is None or _PRIOR_OPENING in frame.why("period"):
        return d  # 上年同期利润总额为…: the sentence's period is the year before already
    if d.fig.q.column:
        return d  # a table's cell: its column names its period (上年同期 in a header run inline)
    compared = (
        frame.compared is not None
        and frame.compared[1] >= d.fig.q.start - len(w.since_quantity)
        and frame.compared[0] == period.year - 1
    )
    since = _without(_labelled(d) + w.since_quantity, lex.cue(unless_cue))
    cue_word = window_has(since, _prior_words(d, period, cue, (relative_cue, compare_cue)))
    if cue_word and _YEAR_WRITTEN.search(since[since.rindex(cue_word) + len(cue_word) :]):
        return d  # 去年二零二三年为…: the year is written after the cue
    if compared or cue_word is not None or _listed_after_prior(d, frame, rule, period):
        return evolve(d, period=period.previous_year())
    return d


def _labelled(d: Draft) -> str:
    """The label a bracket gives the figure before a colon that opens its clause ((去年同期：
    1.4亿港元): 去年同期), or ''."""
    text, start = d.fig.env.text, d.fig.q.start - len(d.fig.where.since_quantity)
    if text[start - 1 : start] not in (":", "："):
        return ""
    opened = max(text.rfind("(", 0, start), text.rfind("（", 0, start))
    return text[opened + 1 : start - 1] if opened >= 0 and start - opened <= _LABEL_REACH else ""


#: How long a bracket's label before its colon may be ((截至二零二四年同期：…)).
_LABEL_REACH = 16


@action(STAGE, "year-end-before")
def year_end_before(d: Draft, rule: Rule, *, cue: str) -> Draft:
    """较去年年底的18.2%, 较上年末的…: a level right after a ``cue`` word (the last year end as
    a change's base) and 的 is of that day: 31 December of the year before the period's end."""
    if d.period is None:
        return d
    before = d.fig.where.since_quantity.rstrip()
    before = before[:-1].rstrip() if before.endswith(("的", "之")) else ""
    if not before.endswith(d.fig.env.lex.cue(cue)):
        return d
    year = d.period.bounds()[1].year - 1
    return evolve(d, period=Period(f"{year}-12-31"))


def _listed_after_prior(d: Draft, frame: Frame, rule: Rule, period: Period) -> bool:
    """较上一年同期的净亏损6,410万美元、每股摊薄亏损1.08美元: a figure listed with 、 right after
    one this rule put on the year before, in the same clause, is of that year too."""
    w = d.fig.where
    last = frame.facts[-1] if frame.facts else None
    return (
        last is not None
        and w.since_quantity.lstrip().startswith("、")
        and frame.fact_at >= w.clause_start
        and rule.id in last.rules
        and last.period == period.previous_year()
    )


def _prior_words(d: Draft, period: Period, cue: str, relative: tuple[str, str]) -> tuple[str, ...]:
    """The words of the year before: without the bare ``relative`` ones (去年) in a text
    published the year after ``period``, where they name the period itself, but with them
    right after a word of comparison (比去年)."""
    lex, published = d.fig.env.lex, d.fig.env.doc.published
    if relative[0] and published is not None and published.year - 1 == period.year:
        return _unrelative_words(lex, cue, *relative)
    return lex.cue(cue)


@lru_cache(maxsize=32)
def _unrelative_words(
    lex: Lexicon, cue: str, relative_cue: str, compare_cue: str
) -> tuple[str, ...]:
    """The words of cue set ``cue`` but the ``relative_cue`` ones, which count only right after
    a word of ``compare_cue`` (比去年, 较去年)."""
    relative = lex.cue(relative_cue)
    compared = [c + r for c in (lex.cue(compare_cue) if compare_cue else ()) for r in relative]
    return (*(x for x in lex.cue(cue) if x not in relative), *compared)


#: A year written out (2023, 二零二三) after a word of the year before.
_YEAR_WRITTEN = re.compile(r"(?:19|20)\d{2}|[〇零一二三四五六七八九]{4}")


@action(STAGE, "respective-years")
def respective_years(d: Draft, rule: Rule, *, cue: str, joiner: str, range_joiner: str) -> Draft:
    """预计2025-2027年EPS分别为0.28元、0.49元和0.69元: the n-th figure after ``cue`` (分别) is
    of the n-th year of the range (or the list: 2023年、2024年) named before it in the clause;
    past its last year, none."""
    w, lex, q = d.fig.where, d.fig.env.lex, d.fig.q
    before = d.fig.env.text[w.clause_start : q.start]
    slash = _slash_index(d.fig.env.text, w.clause_start, q.start, q.end)
    said = window_has(before, lex.cue(cue)) is not None
    if slash is None and not said:  # neither 分别 nor a slash: the usual case, no list …
        return _unsaid_year_list(d, range_joiner)  # … but 2021-2023年EPS为A、B、C元
    count = _slash_count(d.fig.env.text, slash, q.end) if slash is not None else 0
    found = _year_lists(d, before, (said, count), cue, (joiner, range_joiner))
    if not found:
        return d
    end, years = max(found, key=lambda f: f[0])
    word = window_has(before[end:], lex.cue(cue))
    if word is None and slash is None:
        return d
    if word is not None:
        items = before[end:]
        items = items[items.index(word) + len(word) :]
        n = list_place(items, lex.cue(joiner))
    else:
        n = slash or 0  # 2025-2027年归母净利润预测为4.7/6.0/7.5亿元
    if n >= len(years):
        return evolve(d, period=None)
    item = years[n]
    if isinstance(item, Period):  # 2023年第三季度和2024年第二季度的毛利率分别为…
        return evolve(d, period=item)
    at_end = d.metric is not None and d.metric.point_in_time  # 不良贷款率: at the year's end
    return evolve(d, period=Period(f"{item}-12-31" if at_end else str(item)))


_RUN_ITEM = r"[-+]?\d[\d,]*(?:\.\d+)?\s*[^\d、，,；;。和及\s]{0,3}"
#: After a range of years: a metric's words (no figure), then a run of figures joined by 、 和.
_UNSAID_LIST = re.compile(
    rf"[，,]?[^\d，,；;。]{{1,16}}?(?P<run>{_RUN_ITEM}(?:\s*[、和及]\s*{_RUN_ITEM})+)"
)


def _unsaid_year_list(d: Draft, range_joiner: str) -> Draft:
    """预计2024-2026年EPS为1.20、1.38、1.55元 (no 分别): right after a range of years and a
    metric's name, a run of exactly as many figures as the range has years (and after it, a
    metric's name and another such run: …元,归母净利润至X、Y、Z亿元); the n-th figure of a
    run is of the n-th year. Else the figure as it was."""
    start = d.fig.where.sentence.start  # the range may stand clauses before the figure
    text = d.fig.env.text[start : d.fig.q.start]
    ranges = list(year_range(d.fig.env.lex, range_joiner).finditer(text))
    if not ranges:
        return d
    first, last = range_years(ranges[-1])
    at = start + ranges[-1].end()
    # EPS为A、B、C元,归母净利润至X、Y、Z: each run after the range, one after the other
    while (found := _UNSAID_LIST.match(d.fig.env.text, at)) is not None:
        items = [found.start("run") + m.start() for m in re.finditer(_RUN_ITEM, found["run"])]
        if len(items) != last - first + 1:
            return d
        if d.fig.q.start in items:
            return evolve(d, period=Period(str(first + items.index(d.fig.q.start))))
        if found.end("run") >= d.fig.q.end:
            return d
        at = found.end("run")
    return d


def _year_lists(
    d: Draft, before: str, said: tuple[bool, int], cue: str, joiners: tuple[str, str]
) -> list[tuple[int, list[int] | list[Period]]]:
    """The lists of years or periods in the clause before the figure; with none there and
    ``said`` (a word of ``cue``, 分别, in that clause, or a list of figures joined by slashes;
    with the length of that list), after a 分别 list in the clause before (…营收分别为A、B、C亿元，
    EPS分别为D、E、F元; …，对应EPS为D/E/F元), the last list of years before that one (its
    place: 0); else, where the clause names a metric, the last list of years of the sentence
    before the clause as long as the slashed list (预测2025-2027年EPS为…,归母净利润A/B/C百万元;
    not …,BVPS 6.31/7.02/7.85元, no metric of ours named)."""
    w, lex = d.fig.where, d.fig.env.lex
    joiner, range_joiner = joiners
    year = d.period.year if d.period is not None else None  # Q1/Q2/Q3 of the year in force
    found = _listed_periods(d.fig.env, before, (joiner, range_joiner), year)
    earlier = d.fig.env.text[w.sentence.start : w.clause_start]
    if found or not (said[0] or said[1]):
        return found
    chained = _listed_periods(d.fig.env, earlier, (joiner, range_joiner), year)
    if not window_has(earlier, lex.cue(cue)):  # the slashed list's clause names its metric
        named = (d.frame or d.fig.frame).metric_at >= w.clause_start
        chained = [f for f in chained if len(f[1]) == said[1] > 1] if named else []
    return [(0, max(chained, key=lambda f: f[0])[1])] if chained else []


def _slash_count(text: str, place: int, q_end: int) -> int:
    """How many figures the list joined by slashes has that holds the figure at ``place``
    (:func:`_slash_index`), ending at ``q_end``."""
    count, at = place + 1, q_end
    while (m := _SLASH_NEXT.match(text, at)) is not None:
        count, at = count + 1, m.end()
    return count


_SLASH_NEXT = re.compile(r"[/／]\s*[-+]?\d[\d,]*(?:\.\d+)?%?")


def _listed_periods(
    env: Env, before: str, joiners: tuple[str, str], year: int | None
) -> list[tuple[int, list[int] | list[Period]]]:
    """The lists of years or periods in ``before`` (2025-2027年, 2023年、2024年, 2023年第三季度和
    2024年第二季度, 上一季度和去年同期, 24Q1/Q2/Q3; Q1/Q2/Q3 of ``year``), each with where it
    ends."""
    lex, (joiner, range_joiner) = env.lex, joiners
    return [
        *(
            (m.end(), list(range(a, b + 1)))
            for m in year_range(lex, range_joiner).finditer(before)
            for a, b in (range_years(m),)
        ),
        *((m.end(), listed_years(m)) for m in year_list(lex, joiner).finditer(before)),
        *_period_lists(env, before, joiner),
        *_relative_lists(env, before, joiner),
        *_quarter_slashes(before, year),
    ]


def _period_lists(env: Env, before: str, joiner: str) -> list[tuple[int, list[Period]]]:
    """Lists of periods each with its year (2023年第三季度和2024年第二季度), where they end in
    ``before`` and the periods they name, in order (quarters and halves only)."""
    out = []
    for m in _period_list(env.lex, joiner).finditer(before):
        periods = []
        for item in _PERIOD_ITEM.finditer(m.group()):
            word = env.pats.period_word.search(m.group(), item.end())
            template = env.pats.period_by_word.get(compact(word.group())) if word else None
            code = template.replace("{year}", item["y"]) if template else ""
            if not re.fullmatch(r"\d{4}-[QH]\d", code):
                break
            periods.append(Period(code))
        else:
            out.append((m.end(), periods))
    return out


def _quarter_slashes(before: str, year: int | None) -> list[tuple[int, list[Period]]]:
    """Quarters of a year listed with slashes (23Q1/Q2/Q3/Q4, 2024Q3/Q4; Q1/Q2/Q3 of ``year``,
    the year in force), where they end in ``before`` and the quarters, in order."""
    out = []
    for m in _QUARTER_SLASHES.finditer(before):
        if m["y"]:
            y = m["y"] if len(m["y"]) == 4 else f"20{m['y']}"
        elif year is not None:
            y = str(year)
        else:
            continue  # Q1/Q2 with no year written nor in force
        if m["qs"]:
            quarters = [int(n) for n in re.findall(r"[1-4]", m["qs"])]
        else:  # 2022年Q1-Q4: each quarter from the first to the last
            quarters = list(range(int(m["a"]), int(m["b"]) + 1))
        out.append((m.end(), [Period(f"{y}-Q{n}") for n in quarters]))
    return out


#: 23Q1/Q2/Q3/Q4: a year (two digits or four, or none) and quarters joined by slashes, or
#: the first and last of a run of them (2022年Q1-Q4).
_QUARTER_SLASHES = re.compile(
    r"(?<![\d.A-Za-z])(?:(?P<y>(?:19|20)?\d{2})\s*年?\s*)?"
    r"(?:(?P<qs>Q[1-4](?:\s*/\s*Q[1-4])+)|Q(?P<a>[1-3])\s*[-－~～至]\s*Q(?P<b>[2-4]))(?![\d/])"
)


#: A year opening an item of a list of periods (2023年第三季度).
_PERIOD_ITEM = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年?\s*")


def _relative_lists(env: Env, before: str, joiner: str) -> list[tuple[int, list[Period]]]:
    """A list of the quarter before the one reported and the same quarter a year earlier, in
    either order (上一季度和去年同期分别为…, a US-listed company's release): where it ends in
    ``before`` and the two quarters; none where the report is on no quarter."""
    report = env.report_period
    if report is None or report.kind != "quarter":
        return []
    year, quarter = report.year, int(report.code[-1])
    previous = Period(f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}")
    a_year_before = Period(f"{year - 1}-Q{quarter}")
    kinds = _relative_words(env.lex)
    out = []
    for m in _relative_list(env.lex, joiner).finditer(before):
        words = [w for w in re.split(alternation(list(env.lex.cue(joiner))), m.group()) if w]
        periods = [previous if compact(w) in kinds else a_year_before for w in words]
        out.append((m.end(), periods))
    return out


@lru_cache(maxsize=8)
def _relative_words(lex: Lexicon) -> frozenset[str]:
    """The words of the quarter before the one reported (上一季度, 上季)."""
    pats = compile_patterns(lex)
    return frozenset(w for w, t in pats.period_by_word.items() if t == "{previous-quarter}")


@lru_cache(maxsize=8)
def _relative_list(lex: Lexicon, joiner: str) -> re.Pattern[str]:
    """上一季度和去年同期, 去年同期和上一季度: the quarter before and the same quarter a year
    before, joined by a ``joiner`` word."""
    previous = alternation(sorted(_relative_words(lex)))
    same = alternation(list(lex.cue("same-period-a-year-before")))
    join = alternation(list(lex.cue(joiner)))
    return regex(
        rf"(?:{previous})\s*(?:{join})\s*(?:{same})|(?:{same})\s*(?:{join})\s*(?:{previous})"
    )


@lru_cache(maxsize=8)
def _period_list(lex: Lexicon, joiner: str) -> re.Pattern[str]:
    """Two or more periods, each with its year, joined by ``joiner`` words."""
    words = compile_patterns(lex).period_word.pattern
    item = rf"(?:19|20)\d{{2}}\s*年?\s*(?:{words})"
    return regex(rf"{item}(?:\s*(?:{alternation(list(lex.cue(joiner)))})\s*{item})+")


def _slash_index(text: str, start: int, q_start: int, q_end: int) -> int | None:
    """The place of a figure in a list of figures joined by slashes (4.7/6.0/7.5亿元), counted
    from 0; None when it is in no such list."""
    before = slashes_before(text, start, q_start)
    if before:
        return before
    after = text[q_end + 1 : q_end + 4].lstrip(" ")  # 13.27%/ 5.82%: a space after the slash
    return 0 if _SLASH.match(text, q_end) and after[:1].isdigit() else None


_SLASH = re.compile(r"[/／]")


@action(STAGE, "flow-period")
def flow_period(d: Draft, rule: Rule) -> Draft:
    """A flow (净增门店, 每股股息, an amount such as 营收) named at a date covers the report's
    period ending there, else the calendar year ending on 31 December (截至年底…年内海外净增49家);
    else it has no period (截至2025年3月20日已发行股份…每股派付0.25元: a date of no period of its
    own)."""
    period, metric = d.period, d.metric
    if period is None or metric is None or not period.is_instant or not _flow(metric):
        return d
    end = period.bounds()[1]
    rp = d.fig.env.report_period
    if rp is not None and not rp.is_instant and rp.bounds()[1] == end:
        return evolve(d, period=rp)
    if (end.month, end.day) == (12, 31):
        return evolve(d, period=Period(str(end.year)))
    return evolve(d, period=None)


def _flow(metric: MetricInfo) -> bool:
    """Whether a metric is a flow over a period: one never dated (flow_only: 净增门店, 每股股息)
    or an amount that is no level at a date (营收, 净利润; not 总资产)."""
    return metric.flow_only or (metric.kind == "money" and not metric.point_in_time)


def _bare_yuan(d: Draft) -> str:
    """What an amount in 元 is: renminbi where written so (人民币3亿元), else the currency a
    note declared (7.44億元 after （港元，下同）), else Hong Kong dollars in a Hong Kong paper's
    text (Traditional, or reprinted in Simplified with its 按年) that never names renminbi, on
    a company of its city not in the gazetteer (:func:`_city_company`), else the one the figure's
    company reports in where the gazetteer gives one (中電…盈利9.2億元: CLP reports in Hong
    Kong dollars)."""
    env, q, entity = d.fig.env, d.fig.q, d.entity
    if any(w in env.text[q.start : q.end] for w in env.lex.cue("explicit-yuan")):
        return "CNY"
    if env.declared_currency:
        return env.declared_currency
    company = (entity.iri if entity.kind == "company" else entity.parent) if entity else None
    if env.hong_kong and not env.renminbi_named:
        owner = _company_entity(env, company)
        # a company of the gazetteer reports in its own currency (reporting-currencies.ttl)
        if owner and not owner.known and _city_company(owner, own_paper=env.hong_kong_paper):
            return "HKD"
    return env.lex.reporting_currencies.get(company or "", "CNY")


def _city_company(owner: Entity, *, own_paper: bool) -> bool:
    """Whether a company a Hong Kong paper writes of, not in the gazetteer, is one of its
    city's: listed in Hong Kong only (華辰集團(01234.HK)…虧損3.1億元), or, in a paper in its own
    script and words (Traditional, with 按年), with no listing named (華辰集團…按年少賺…)."""
    markets = {i.partition(":")[0] for i in owner.identifiers}
    return markets == {"HKEX"} or (own_paper and not markets)


def _bare_minor(said: str, env: Env) -> bool:
    """Whether a figure in hundredths names no currency (6.84仙, not 6.84港仙)."""
    words = env.lex.cue("bare-minor-word")
    return said.endswith(words) and not any(
        said.endswith(w) for u in env.lex.units for w in u.minor_words if w not in words
    )


def _company_entity(env: Env, iri: str | None) -> Entity | None:
    """The company entity of ``iri``: the report's, one it minted, or the gazetteer's."""
    if iri is None:
        return None
    minted = [e for e in (env.ents.main_company, *env.ents.minted) if e and e.iri == iri]
    return minted[0] if minted else env.lex.entity(iri)


@action(STAGE, "unit-and-value")
def unit_and_value(d: Draft, rule: Rule) -> Draft:
    """The unit (an amount without a currency is in the report's) and the value; a negative
    figure of a metric with a loss counterpart is that loss (归母净利润为-3.2亿元), and a loss
    written with a minus sign is that loss (亏损额为-3.2亿元)."""
    metric, q, env = d.metric, d.fig.q, d.fig.env
    assert metric is not None
    assert q.value is not None
    unit = _unit(d, metric)
    value = q.value
    frame = d.frame or d.fig.frame
    window = d.fig.where.window.rstrip()
    negative = window.endswith(env.lex.cue("negative-sign"))
    negated = frame.negated and not window.endswith(env.lex.cue("positive-sign"))  # 净流入
    if (negated or negative) and value > 0:
        value = -value  # 净利润 亏损：3,200万元; 上年同期为负人民币1.02亿元
    if value < 0 and metric.negative_metric in env.lex.metrics:
        metric, value = env.lex.metrics[metric.negative_metric], -value
    elif value < 0 and metric.iri in env.lex.loss_metrics:
        value = -value  # 亏损额较上年的-4.07亿元: a loss written with its minus sign
    return evolve(d, metric=metric, unit=unit, value=value)


def _unit(d: Draft, metric: MetricInfo) -> str | None:
    """The figure's unit: an amount without a currency is in the report's, a bare 元 in the
    currency the company reports in, a bare 仙 in the currency a note declared."""
    q, env = d.fig.q, d.fig.env
    unit = unit_code(metric, q)
    if q.unit is None and metric.kind in ("money", "per-share"):
        unit = env.currency
    if unit == "CNY":
        unit = _bare_yuan(d)
    elif q.minor and env.declared_currency and _bare_minor(env.text[q.start : q.end], env):
        unit = env.declared_currency  # 每股6.84仙 after （美元，下同）: US cents
    return unit


@action(STAGE, "shares-per")
def shares_per_figure(d: Draft, rule: Rule) -> Draft:
    """每10股派发现金红利3元: the figure per one share."""
    w = d.fig.where
    before = w.clause_text[: d.fig.q.start - w.clause_start]
    if d.value is None:
        return d
    return evolve(d, value=d.value / shares_per(before, d.fig.env.lex))


# ---------------------------------------------------------------- making the fact


def run_fact_stage(fig: Fig) -> tuple[Draft, list[str]]:
    """Run the fact stage's rules on a figure: the draft, and the ids of the rules that fired."""
    draft, fired = Draft(fig=fig, frame=fig.frame), []
    for rule, test in fig.env.sieve.rules(STAGE, draft):
        if test is not None and not test(draft):
            continue
        after = rule.apply(draft)
        if after is not draft:
            fired.append(rule.id)
        draft = after
        if draft.dropped:
            break
    return draft, fired


def qualifiers(fig: Fig, period: Period) -> tuple[tuple[str, ...], list[str]]:
    """The qualifiers of a fact by the stage ``qualifier``'s rules, and the rules that fired."""
    found: set[str] = set()
    fired = []
    ctx = (fig, period)  # one context for all rules: _plan answers once for it
    for rule in fig.env.rules.stage("qualifier"):
        if rule.holds(ctx):
            found.add(rule.apply(ctx))
            fired.append(rule.id)
    _last_plan[0] = (None, (), None)  # the document is not held after its extraction
    return tuple(w for w in QUALIFIERS if w in found), fired


def _take_pending(frame: Frame, fact: Fact, clause: int) -> tuple[Frame, Fact]:
    """Changes read before their figure (同比增长12%，达52.3亿元) go to it, if of its metric and
    at most a clause before, and no metric was named between them (多赚约2% 中期息38港仙: the
    change is dropped); a figure of a day takes none whose base is not said (上升2个百分点至)."""
    if not frame.pending:
        return frame, fact  # the frame as it was: no copy of its forty fields
    kept = []
    prior = frame.period is not None and fact.period == frame.period.previous_year()
    for p in frame.pending:
        if p.metric is None and 0 <= p.at < frame.metric_at:
            continue  # 多赚约2% 中期息38港仙: a metric named after the change, not its figure
        if prior and p.kind != "qoq":
            kept.append(p)  # 同比增长6.2%，从去年同期的183亿元增至194亿元: the level's change
        elif (p.metric is None or p.metric.iri == fact.metric) and clause - p.clause <= 1:
            if not unsaid_on_a_day(fact.period, p.kind, said=p.said):
                fact = with_change(fact, p.kind, p.value, p.rule)
        else:
            kept.append(p)
    return evolve(frame, pending=tuple(kept)), fact


def _early_change(frame: Frame, fact: Fact, resp: bool) -> tuple[Frame, Fact]:
    """分别同比增长12.5%、8.2%至52.3亿元、4.1亿元: changes read before the figures after 分别."""
    if not resp:
        return frame, fact
    n = len(frame.resp_facts)
    if n < len(frame.resp_early) and fact.yoy_pct is None and fact.qoq_pct is None:
        kind, value = frame.resp_early[n]
        fact = with_change(fact, kind, value, "changes.respectively")
    return evolve(frame, resp_facts=(*frame.resp_facts, len(frame.facts))), fact


@action("figure", "make-fact")
def make_fact(fig: Fig, rule: Rule) -> Step:
    """The figure is a level of a metric: make the fact (stage ``fact``) or leave it out."""
    return _make(fig, rule, ())


@condition("figure", "shared-by-series")
def shared_by_series(fig: Fig) -> bool:
    """The run of items before it names two metrics or more, of one kind (基本每股收益和稀释每股
    收益均为…: both per share), and nothing else."""
    metrics = {m.metric.iri: m.metric for m in fig.series if m.kind == "metric" and m.metric}
    kinds = {m.kind for m in metrics.values()}
    return len(metrics) >= 2 and len(kinds) == 1 and len(metrics) == len(fig.series)


@action("figure", "make-shared-facts")
def make_shared_facts(fig: Fig, rule: Rule) -> Step:
    """基本每股收益和稀释每股收益均为0.96元: a figure after a word saying it holds for all (均为)
    is each listed metric's figure (a change after it goes to each: figure.attach)."""
    step = Step(fig.frame, done=False)
    for m in fig.series:
        assert m.metric is not None
        one = evolve(fig, frame=evolve(step.frame, metric=m.metric))
        step = _make(one, rule, ())
    return step


def _bound(fig: Fig, *, signed: bool = False) -> str:
    """Which end of a range the figure is: the smaller value (the smaller loss, for a range of
    negative figures read as a loss: -8000万元至-12000万元, 亏损8000万元至1.2亿元; the smaller
    signed value where the metric keeps its minus sign, ``signed``: 扣非净利润-22,000万元到
    -18,500万元, or a loss word gives it: 扣非净利润为亏损36.2亿-43.5亿元, 每股收益亏损0.12元~
    0.15元) is the lower bound."""
    starts = lexicon_range(fig.q, None, fig.rest, fig.env.text, fig.env.lex)
    other = fig.rest[0] if starts else fig.where.previous
    if other is None or other.value is None:
        return "lower-bound"
    a, b = fig.value, other.value
    if a < 0 and b < 0 and not signed:
        a, b = -a, -b
    if signed and a > 0 and b > 0:  # 扣非净利润为亏损36.2亿-43.5亿元: -43.5亿 is the lower
        a, b = -a, -b
    lower = a < b or (a == b and starts)
    return "lower-bound" if lower else "upper-bound"


@action("figure", "make-bound-fact")
def make_bound_fact(fig: Fig, rule: Rule) -> Step:
    """An end of a range (预计…为8000万元至1.2亿元, 介乎8萬至8.5萬輛): a fact qualified as the
    range's lower or upper bound."""
    return _make(fig, rule, ("bound",))


def _make(fig: Fig, rule: Rule, extra: tuple[str, ...]) -> Step:
    draft, fired = run_fact_stage(fig)
    if "bound" in extra:
        extra = (_bound(fig, signed=draft.value is not None and draft.value < 0),)
    frame = draft.frame or fig.frame
    if draft.dropped:
        return Step(frame, done=True, outcome="left out by " + fired[-1])
    if (
        draft.entity is None
        or draft.metric is None
        or draft.period is None
        or draft.unit is None
        or draft.value is None
    ):  # only when the rules that decide these are switched off (ablation)
        return Step(frame, done=True, outcome="left out: undecided")
    quals, qfired = qualifiers(fig, draft.period)
    quals = tuple(w for w in QUALIFIERS if w in {*quals, *extra})
    region = draft.region
    fact = Fact(
        entity=draft.entity,
        metric=draft.metric.iri,
        period=draft.period,
        value=draft.value,
        unit=draft.unit,
        source=fig.env.source(fig.where.sentence),
        qualifiers=quals,
        region=region.iri
        if region is not None and region.iri != fig.env.lex.world_region
        else None,
        rules=(*frame.why("entity", "metric", "period", "region"), rule.id, *fired, *qfired),
    )
    fact = _table_change(fig, fact)
    frame, fact = _take_pending(frame, fact, fig.where.clause)
    frame, fact = _early_change(frame, fact, fig.resp)
    frame = evolve(frame, facts=(*frame.facts, fact), fact_at=fig.q.start)
    return Step(frame, done=True, outcome="fact", fact=fact)


def _table_change(fig: Fig, fact: Fact) -> Fact:
    """A cell of a table with a year a column takes its growth row's cell as its change."""
    if fig.q.change is None or fact.yoy_pct is not None:
        return fact
    return with_change(fact, "yoy", fig.q.change, "mention.year-column-cells")


# ---------------------------------------------------------------- qualifiers

Q = tuple[Fig, Period]


@condition("qualifier", "near")
def near(ctx: Q, *, cue: str, width: int, after: str = "") -> bool:
    """A word of ``cue`` within ``width`` characters before the figure, or before the range it
    ends (约3.2亿至3.5亿元; not a change before the level it came to: 跌近9%至680亿元), or one
    of ``after`` right after it (1.2亿元左右; not 接近, the next figure's: …，接近3万亿)."""
    fig, words = ctx[0], ctx[0].env.lex.cue(cue)
    text, prev = fig.env.text, fig.where.previous
    if (
        prev is not None
        and prev.kind == "quantity"
        and prev.percent == fig.q.percent  # 跌近9%至680亿元: a change, then the level, no range
        and text[prev.end : fig.q.start].strip() in fig.env.lex.cue("range-joiner")
        and window_has(text[max(0, prev.start - width) : prev.start], words)
    ):
        return True
    later = fig.env.lex.cue(after) if after else ()
    return bool(window_has(fig.where.window[-width:], words)) or (
        bool(later) and fig.where.after.startswith(later)
    )


@condition("qualifier", "right-after")
def right_after(ctx: Q, *, cue: str) -> bool:
    """A word of ``cue`` right after the figure (1.2万余家)."""
    return any(ctx[0].where.after.startswith(w) for w in ctx[0].env.lex.cue(cue))


#: The last context :func:`_plan` answered for, its words and its answer (the forecast and
#: the target rules ask the same of each fact); the context is held while the stage runs, so
#: its id is no other's.
_last_plan: list[tuple[Q | None, tuple[str, ...], str | None]] = [(None, (), None)]


def _plan(
    ctx: Q, forecast: str, target: str, consensus: str, clause: str, terms: str
) -> str | None:
    words = (forecast, target, consensus, clause, terms)
    last = _last_plan[0]
    if last[0] is ctx and last[1] == words:
        return last[2]
    if ctx[0].q.column in ("forecast", "year-row"):  # a year-row table's cell: its row says
        answer = "forecast" if ctx[0].q.column == "forecast" else None
    else:
        answer = _planned(ctx, forecast, target, consensus, clause, terms)
    _last_plan[0] = (ctx, words, answer)
    return answer


def _planned(
    ctx: Q, forecast: str, target: str, consensus: str, clause: str, terms: str
) -> str | None:
    """Forecast, target or neither: see :func:`plan`."""
    fig, period = ctx
    lex, w = fig.env.lex, fig.where
    own = w.cue_text
    for words in (lex.cue(consensus), lex.cue(terms)):
        if window_has(own, words) is not None:  # most texts hold none: one regex says so
            for word in words:  # 市场预期, 预期信贷损失: nobody's forecast
                own = own.replace(word, "#" * len(word))
    said = _last_of(own, lex.cue(forecast))
    if said < 0 and _forecast_by_layout(fig, lex.cue(forecast)):
        said = len(own)
    before = w.cue_text[: max(0, fig.q.start - w.sentence.start)]  # 目标 after it: another's
    aim = _last_of(before, lex.cue(target))
    if fig.q.column:
        aim = -1  # a table's cell: no target, whatever the words around the table
    elif said < 0:
        lead = w.clause_text[: max(0, fig.q.start - w.clause_start)]  # 将 before the figure
        if window_has(_without(lead, lex.cue("not-target-clause")), lex.cue(clause)):
            aim = max(aim, len(w.cue_text) - len(w.clause_text))  # 将: a plan, unless 预计 said
    if said >= 0 and said >= aim:
        return "forecast"
    later_words = (*lex.cue(forecast), *lex.cue("forecast-revision"))  # 下调24-26年…
    if aim < 0 and _projected(fig, period, later_words):
        return "forecast"  # 2024 - 2026E 营收分别为…: the years after the report's, estimates
    return "target" if aim >= 0 or _later_year(fig, period) else None


#: A broker's year marked an estimate (2027E, 2025E PE).
_ESTIMATE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}E(?![A-Za-z])")


def _estimated(fig: Fig, period: Period) -> bool:
    """Whether the figure is of a year ending after the report's period (the years after it, or
    the whole of its year after a quarter's report: 2024 in a note on 3Q24) and not over when
    the text came out, in a sentence that marks a year an estimate (2027E) or lists a range of
    years reaching it (2023 - 2027 年…分别为)."""
    rp, published = fig.env.report_period, fig.env.doc.published
    later = rp is not None and period.kind == "year" and period.bounds()[1] > rp.bounds()[1]
    over = published is not None and period.bounds()[1] < published
    text = fig.where.cue_text
    # 2023 - 2027 年营业收入分别为…: a range reaching past the report's marks them as 2027E does
    ranges = year_range(fig.env.lex, "range-joiner").finditer(text)
    marked = _ESTIMATE_YEAR.search(text) is not None or any(
        range_years(r)[1] >= period.year for r in ranges
    )
    return later and not over and marked


def _projected(fig: Fig, period: Period, words: tuple[str, ...]) -> bool:
    """Whether the figure of a later year is an estimate (:func:`_estimated`) or a forecast
    (:func:`_foreseen`)."""
    return _estimated(fig, period) or _foreseen(fig, period, words)


def _foreseen(fig: Fig, period: Period, words: tuple[str, ...]) -> bool:
    """Whether the figure is of a year ending after the report's period (the years after it, or
    the whole of its year after a quarter's report) in a sentence with a forecast's word, even
    inside others' expectations (据分析师预计，公司2024至2026年净利润分别为…: a forecast,
    whoever made it, never a target)."""
    rp = fig.env.report_period
    later = rp is not None and period.kind == "year" and period.bounds()[1] > rp.bounds()[1]
    return later and window_has(fig.where.cue_text, words) is not None


def _after_report(fig: Fig, period: Period) -> bool:
    """Whether the figure is of a year after the report's period."""
    rp = fig.env.report_period
    return rp is not None and period.kind == "year" and period.bounds()[0] > rp.bounds()[1]


#: The most years after the report's a plan's year lies, no plan word said (a profile opening
#: with the company's history reads an old year as the report's: 2024 is no target of 2008).
_PLAN_YEARS = 5


def _later_year(fig: Fig, period: Period) -> bool:
    """Whether the figure is of a year after the report's (within :data:`_PLAN_YEARS`), its
    change from the year before not stated (营业收入达91.2亿元，同比增长18.6% is a result: the
    report's year was read from an earlier sentence about the years before)."""
    w = fig.where
    rp = fig.env.report_period
    if not _after_report(fig, period) or rp is None:
        return False
    if period.bounds()[0].year - rp.bounds()[1].year > _PLAN_YEARS:
        return False
    published = fig.env.doc.published
    if published is not None and period.bounds()[1] < published:
        return False  # a year over when the text came out: its result, no target
    tail = re.split(r"[；;。]", fig.env.text[fig.q.end : w.sentence.end], maxsplit=1)[0]
    return window_has(w.cue_text + tail, fig.env.lex.cue("yoy")) is None


def _forecast_by_layout(fig: Fig, words: tuple[str, ...]) -> bool:
    """Whether the text's layout makes the figure a forecast with no forecast word in its
    sentence: a bullet under 公司预计：, or a range under a headline saying 预计."""
    return _under_forecast_heading(
        fig.env.text, fig.where.sentence.start, words
    ) or _range_in_forecast(fig, words)


def _range_in_forecast(fig: Fig, words: tuple[str, ...]) -> bool:
    """Whether the figure is an end of a range in a text whose headline (its first line), or
    whose paragraph before the figure, holds a forecast word, or whose lead names it a forecast
    notice (…2020年前三季度业绩预告 under a portal's furniture) (青岛双星：预计上半年净利润亏损…;
    预计上半年净亏损…。扣除非经常性损益后的净亏损3900万元-5200万元): a forecast's range, 预计 in
    its sentence or not (reported figures come in no ranges)."""
    text, lex = fig.env.text, fig.env.lex
    lead = text.lstrip()
    first = lead[: max(0, lead.find("\n"))]
    paragraph = text[text.rfind("\n", 0, fig.q.start) + 1 : fig.q.start]
    if (
        window_has(first, words) is None
        and window_has(paragraph, words) is None
        and window_has(text[:_NOTICE_LEAD], lex.cue("forecast-notice")) is None
    ):  # the notice's title past a portal's furniture: looked for only where the others fail
        return False
    return lexicon_range(fig.q, fig.where.previous, fig.rest, text, lex)


#: How far into a text a forecast notice's title (业绩预告) is looked for, past a portal's
#: furniture.
_NOTICE_LEAD = 400

_LIST_ITEM = re.compile(r"\s*(?:[-–•·●▪*]|\d{1,2}[.、．)）])")


def _under_forecast_heading(
    text: str, start: int, words: tuple[str, ...], *, most: int = 12
) -> bool:
    """Whether the sentence at ``start`` is in a bullet of a list whose heading line ends with
    a forecast word and a colon (对于2025年第四季度，公司预计：), up over at most ``most``
    bullets."""
    pos = text.rfind("\n", 0, start) + 1
    if not _LIST_ITEM.match(text, pos):
        return False
    for _ in range(most):
        if pos == 0:
            return False
        above = text.rfind("\n", 0, pos - 1) + 1
        line = text[above : pos - 1].strip()
        if not line or not _LIST_ITEM.match(line):
            return line.endswith((":", "：")) and line[:-1].endswith(words)
        pos = above
    return False


def _last_of(text: str, words: tuple[str, ...]) -> int:
    """Where the last of ``words`` in ``text`` begins, or -1 (one regex first: most texts
    hold none of them)."""
    if window_has(text, words) is None:
        return -1
    return max(text.rfind(x) for x in words)


def _without(text: str, words: tuple[str, ...]) -> str:
    """``text`` with each of ``words`` blanked out."""
    for word in words:
        text = text.replace(word, " ")
    return text


@condition("qualifier", "notice")
def notice(ctx: Q, *, cue: str, lead: int, reference: str) -> bool:
    """The report's title (its first ``lead`` characters) says it is a forecast notice (业绩预告),
    not naming an earlier one (高于业绩预告区间中值, 符合业绩预告: a word of ``reference``
    right before or after it), and the figure is of the period reported or later."""
    fig, period = ctx
    rp, lex = fig.env.report_period, fig.env.lex
    if rp is None or not _names_notice(fig.env.text[:lead], lex.cue(cue), lex.cue(reference)):
        return False
    return period.bounds()[1] >= rp.bounds()[1]


def _names_notice(head: str, words: tuple[str, ...], reference: tuple[str, ...]) -> bool:
    """Whether ``head`` holds a word of ``words`` with no word of ``reference`` ending just
    before it or starting right after it."""
    for w in words:
        at = head.find(w)
        while at >= 0:
            before, after = head[max(0, at - 4) : at], head[at + len(w) :]
            if not before.endswith(reference) and not after.startswith(reference):
                return True
            at = head.find(w, at + 1)
    return False


@condition("qualifier", "alert")
def alert(ctx: Q, *, cue: str, since: str, verb: str, lead: int) -> bool:
    """The text opens as a profit alert (its first sentence, within ``lead`` characters, says
    预期 then 截至… and 录得: 预期集团截至2025年9月30日止六个月录得…), and the figure is of
    the period reported: the alert's figures, the reasons listed after it too, are forecasts."""
    fig, period = ctx
    rp, lex, text = fig.env.report_period, fig.env.lex, fig.env.text
    if rp is None or period.bounds() != rp.bounds():
        return False
    stop = text.find("。")
    first = text[: lead if stop < 0 else min(lead, stop)]
    said = _last_of(first, lex.cue(cue))
    if said < 0:
        return False
    rest = first[said:]
    return (
        window_has(rest, lex.cue(since)) is not None
        and window_has(rest, lex.cue(verb)) is not None
        and _alerts_company(fig, first)
    )


def _alerts_company(fig: Fig, first: str) -> bool:
    """The figure's subject is no other company than the one the alert's ``first`` sentence
    names (a round-up of several companies after one profit alert: the others report)."""
    entity = fig.frame.entity
    if entity is None or entity.kind != "company":
        return True
    names = (entity.label, *(n for n in entity.names if len(n) > 2))  # 华辰: a stem of many
    return any(name and name in first for name in names)


@condition("qualifier", "prior-period")
def prior_period(ctx: Q) -> bool:
    """The figure is of a period that ended before the one in force (or the report's) began
    (而上年同期则盈利3801万元 after 预计2024年…; 相比截至2022年…止年度录得… in a profit alert on
    2023): a past figure, which nobody forecasts; never a cell of a row its table marks as
    an estimate (|2024E|… in a note on 2025's first quarter: the table says)."""
    fig, period = ctx
    if fig.q.column == "forecast" or _forecast_names_year(fig, period):
        return False
    # 预计2025/2026/2027年…分别为…: the period in force is the list's last, each one's own
    now = None if _of_year_list(fig, period) else fig.frame.period or fig.env.report_period
    nows = (now, fig.env.report_period)
    return any(now is not None and period.bounds()[1] < now.bounds()[0] for now in nows)


def _forecast_names_year(fig: Fig, period: Period) -> bool:
    """A forecast's word right before the year of the figure's period, in its sentence (a
    portal's list of a company's past notices: 预计2021年1-12月…净利润盈利:25,000万元至…, on a
    page of 2022): that year's forecast, however long ago."""
    w = fig.where
    before = w.cue_text[: max(0, fig.q.start - w.sentence.start)]
    words = fig.env.lex.cue("forecast")
    at = _last_of(before, words)
    if at < 0:
        return False
    word = next(x for x in sorted(words, key=len, reverse=True) if before.startswith(x, at))
    return re.match(rf"\s*{period.bounds()[1].year}\s*年", before[at + len(word) :]) is not None


def _of_year_list(fig: Fig, period: Period) -> bool:
    """The figure's period and the one in force are both years of one list or range of years
    written in the clause before the figure (2025/2026/2027年, 2025-2027年)."""
    now = fig.frame.period
    if now is None or not now.code.isdigit() or not period.code.isdigit():
        return False
    before = fig.env.text[fig.where.clause_start : fig.q.start]
    lists = _listed_periods(fig.env, before, ("series-joiner", "range-joiner"), None)
    years = {int(now.code), int(period.code)}
    return any(years <= {y for y in found if isinstance(y, int)} for _, found in lists)


@condition("qualifier", "plan")
def plan(
    ctx: Q, *, kind: str, forecast: str, target: str, consensus: str, clause: str, terms: str
) -> bool:
    """The figure is a forecast (预计, the last of the two words, not inside one of the
    ``terms``: 预期信贷损失) or a target (目标, 计划, or a later year than the report's)."""
    return _plan(ctx, forecast, target, consensus, clause, terms) == kind


@action("qualifier", "qualify")
def qualify(ctx: Q, rule: Rule, *, qualifier: str) -> str:
    """The fact takes ``qualifier``."""
    return qualifier
