"""The frame stage: each mention that is no quantity changes what is in force — the lists
before 分别, the subject, the region, the metric (through the metric stage), the period."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from xmgraph.diskcache import regex
from xmgraph.extract.context import Env, window_has
from xmgraph.extract.frame import Frame, evolve, quick_init
from xmgraph.extract.metric import Met, read_metric
from xmgraph.extract.periods import (
    comparative_label_at,
    compared_bracket_at,
    fiscal,
    fiscal_year,
    latest_fiscal,
    resolve,
    year_to_date_months,
)
from xmgraph.extract.rules import Rule, action, condition, stage_key
from xmgraph.lexicon import Lexicon
from xmgraph.model import Period
from xmgraph.names import source_line_after
from xmgraph.patterns import Mention, alternation, compact, words

STAGE = "frame"


@quick_init
@dataclass(frozen=True)
class Mk:
    """A mention being read, with its place in the sentence."""

    m: Mention
    nxt: Mention | None  #: the mention after it
    frame: Frame
    env: Env
    clause: int
    clause_start: int
    window: str  #: the text since the mention before, within the clause
    since: str  #: the text since the mention before, across clauses
    prev: Mention | None = None  #: the mention before it in the sentence


@stage_key(STAGE)
def _key(c: Mk) -> tuple[str, str | None, bool]:
    """What the static conditions read: the mention's kind, its entity's, its period."""
    m = c.m
    return m.kind, m.entity.kind if m.entity is not None else None, m.period is not None


@condition(STAGE, "kind", static=True)
def kind(c: Mk, *, kinds: list[str]) -> bool:
    """The mention is of one of ``kinds`` (metric, entity, region, period, noise, market …)."""
    return c.m.kind in kinds


@condition(STAGE, "entity-kind", static=True)
def entity_kind(c: Mk, *, kinds: list[str]) -> bool:
    """The mention names an entity of one of ``kinds`` (company, segment, product)."""
    return c.m.entity is not None and c.m.entity.kind in kinds


@condition(STAGE, "has-period", static=True)
def has_period(c: Mk) -> bool:
    """The mention carries a period (or a year compared with)."""
    return c.m.period is not None


@condition(STAGE, "followed-by")
def followed_by(c: Mk, *, cue: str) -> bool:
    """A word of ``cue`` follows the mention right away (与截至…止六个月相较: compared with)."""
    return c.env.text[c.m.end : c.m.end + _FOLLOW_REACH].lstrip().startswith(c.env.lex.cue(cue))


@condition(STAGE, "preceded-by")
def preceded_by(c: Mk, *, cue: str) -> bool:
    """A word of ``cue`` stands right before the mention (环比1H24末: the period compared with)."""
    return (
        c.env.text[max(0, c.m.start - _FOLLOW_REACH) : c.m.start]
        .rstrip()
        .endswith(c.env.lex.cue(cue))
    )


@condition(STAGE, "names-sector")
def names_sector(c: Mk, *, cue: str) -> bool:
    """The mention opens the name of a sector, a word of ``cue`` a few characters after it
    (国内乳制品行业, 中国游戏产业): the sector's scope, no region of a company's figures."""
    after = c.env.text[c.m.end : c.m.end + _SECTOR_REACH]
    return _sector_name(c.env.lex, cue).match(after) is not None


#: How far after a region's name a sector's word may end the sector's name (乳制品行业).
_SECTOR_REACH = 8


@lru_cache(maxsize=8)
def _sector_name(lex: Lexicon, cue: str) -> re.Pattern[str]:
    """Up to six characters, then a word of ``cue`` (乳制品|行业)."""
    return regex(rf"[\u4e00-\u9fff]{{0,{_SECTOR_REACH - 2}}}(?:{words(lex.cue(cue))})")


@condition(STAGE, "gloss")
def gloss(c: Mk) -> bool:
    """The mention is alone in brackets right after the metric in force's name (经调整EBITDA
    (息税折旧及摊销前利润)): a gloss of that name, no metric of its own."""
    text, m = c.env.text, c.m
    opened = c.since.strip() in ("(", "（")
    closed = text[m.end : m.end + 2].lstrip()[:1] in (")", "）")
    return opened and closed and c.frame.metric is not None


@condition(STAGE, "restates-period")
def restates_period(c: Mk, *, template: str) -> bool:
    """A word of the report's own period (``template``: 报告期内) after a period the sentence
    named, with no figure between (根据一季报，报告期内…; 2023年上半年，报告期内…): it restates
    that period rather than naming the report's."""
    f = c.frame
    return c.m.period == template and f.period_at >= 0 and f.level_at < f.period_at


@condition(STAGE, "restates-half")
def restates_half(c: Mk, *, template: str) -> bool:
    """A word of a first half (``template``: 中期) right after six months the sentence named, no
    figure between (截至二〇二四年十二月三十一日止六個月之中期業績): the company's interim is
    those six months, its fiscal year's first half, whatever months they are."""
    f = c.frame
    if c.m.period != template or f.period is None or f.period_at < 0 or f.level_at >= f.period_at:
        return False
    start, end = f.period.bounds()
    return 180 <= (end - start).days <= 183


@condition(STAGE, "describes-company")
def describes_company(c: Mk) -> bool:
    """The region opens a description of the company named right after it (大陆电动车小鹏汽车:
    one to five characters of a sector between): the company's home, no region of its
    figures; not one right before the name (境外小米之家: the stores abroad)."""
    ents, text = c.env.ents, c.env.text
    if ents.pattern is None:
        return False
    gap = _DESCRIPTION.match(text, c.m.end)
    for at in range(c.m.end + 1, gap.end() + 1 if gap else c.m.end):  # 境外小米之家: stores
        named = ents.pattern.match(text, at)
        entity = ents.by_name.get(compact(named.group())) if named else None
        if entity is not None and entity.kind == "company":
            return True
    return False


#: The characters between a region and the company it describes (电动车 in 大陆电动车小鹏汽车).
_DESCRIPTION = re.compile(r"[\u4e00-\u9fff]{1,5}")


@condition(STAGE, "counted")
def counted(c: Mk) -> bool:
    """The mention names a part right after a count of it (交付了21017辆汽车): what is counted,
    no subject of its own."""
    prev, m = c.prev, c.m
    return (
        prev is not None
        and prev.kind == "quantity"
        and not prev.percent
        and m.entity is not None
        and m.entity.kind != "company"
        and not c.env.text[prev.end : m.start].strip()
    )


@condition(STAGE, "source-line")
def source_line(c: Mk) -> bool:
    """The rest of a source's line follows the mention (华辰证券· 2025-11-08 15:20)."""
    return source_line_after(c.env.text, c.m.end)


#: How far after a mention a following word is looked for.
_FOLLOW_REACH = 8


#: A listed code in brackets opening the gap after a name (华辰食品(605999.SH)、…).
_CODE_FIRST = re.compile(r"^[（(][A-Za-z0-9.:：\s]{1,16}[)）]")


@action(STAGE, "series")
def series(c: Mk, rule: Rule, *, cue: str) -> Frame:
    """营收和净利润分别为…: a run of metrics, entities or regions joined by a ``cue`` word; a new
    item starts the count after 分别 afresh."""
    f, m = c.frame, c.m
    kind = "metric" if m.kind == "non-metric" else m.kind  # 销售/管理/研发费用率: one list
    run = f.run(kind)
    gap = c.env.text[run[-1].end : m.start].strip() if run else ""
    if kind == "entity":  # 华辰食品(605999.SH)、澄江食品: each name with its code
        gap = _CODE_FIRST.sub("", gap).strip()
    joined = bool(run) and (gap in c.env.lex.cue(cue) or _owners_after(gap, c.env.lex, cue))
    return evolve(
        f,
        series=f.with_run(kind, (*run, m) if joined else (m,)),
        resp_values=-1,
        resp_at=-1,
        resp_changes=-1,
        resp_facts=(),
        resp_early=(),
    )


def _owners_after(gap: str, lex: Lexicon, cue: str) -> bool:
    """Whether ``gap`` is a ``cue`` word then the owners a profit is attributable to
    (营业收入和归属于母公司的净利润分别为…): the profit is the list's next item."""
    joiner = next((w for w in lex.cue(cue) if gap.startswith(w)), None)
    rest = gap[len(joiner) :] if joiner else ""
    return (
        bool(rest)
        and rest.startswith(lex.cue("attributable"))
        and len(rest) <= _OWNERS_REACH
        and _OWNERS.fullmatch(rest) is not None
    )


#: How long the owners' words before a profit in a list may be (归属于上市公司股东的).
_OWNERS_REACH = 12
_OWNERS = re.compile(r"[\u4e00-\u9fff]+")


@action(STAGE, "market")
def market(c: Mk, rule: Rule, *, cue: str, group: str, lead: str) -> Frame:
    """全国挖掘机销量, 两市成交额, 六家银行三季度末总资产: a market-wide word right before a
    metric, a name or a period (not after the company's own ``cue`` word) makes the figures the
    market's; a group of companies (612家深市公司披露…, its last word a ``group`` cue) or a
    sector's lead before a comma (行业层面，…: a ``lead`` cue) makes them the group's or the
    sector's wherever it stands."""
    env = c.env
    own = env.text[c.clause_start : c.m.start].rstrip().endswith(env.lex.cue(cue))
    nxt = c.nxt
    kinds = ("metric", "entity", "period")
    # 我国粗钢产量: a product's word we do not know may stand between, not where the word is a
    # place (在全国经营门店: the company's, across the country)
    placed = env.text[max(0, c.m.start - 4) : c.m.start].endswith(env.lex.cue("place-preposition"))
    gap = env.text[c.m.end : nxt.start] if nxt is not None else ""
    fits = not gap or (not placed and _MARKET_GAP.fullmatch(gap) is not None)
    named = nxt is not None and nxt.kind in kinds and fits
    said = env.text[c.m.start : c.m.end]
    if not own and (named or said.endswith(env.lex.cue(group)) or said in env.lex.cue(lead)):
        return evolve(c.frame, market_at=c.m.start)
    return c.frame


#: What may stand between a market-wide word and the metric it makes the market's: nothing, or
#: a product's name of a few characters (我国粗钢产量).
_MARKET_GAP = re.compile(r"[\u4e00-\u9fff]{0,4}")


@action(STAGE, "company-named")
def company_named(c: Mk, rule: Rule) -> Frame:
    """The sentence names a company: its figures are no market's."""
    return evolve(c.frame, company_at=c.m.start)


@action(STAGE, "subject")
def subject(c: Mk, rule: Rule, *, cue: str, cause: str) -> Frame:
    """A named entity is the subject; a metric of an earlier clause ends (and is remembered for
    a part of the same kind: A业务收入X；B业务Y); a region of an earlier clause ends unless it
    set the scene; named after a ``cue`` word (其中) it is a part of a list, the subject up to
    the next ；, after a ``cause`` word (受惠…收入增加，) up to the end of its clause only."""
    f, m = c.frame, c.m
    assert m.entity is not None
    if f.metric is not None and f.metric_clause < c.clause:
        if f.entity is not None and f.entity.kind == m.entity.kind:
            f = evolve(f, elided=f.metric)
        f = evolve(f, metric=None, share=False)
    if f.region_clause < c.clause and not f.region_scene:
        f = evolve(f, region=None)
    lead = c.env.text[c.clause_start : m.start]
    sub = bool(window_has(lead, c.env.lex.cue(cue)))
    reason = bool(window_has(lead, c.env.lex.cue(cause)))  # 受惠X收入增加，实现收入…
    if m.entity.kind == "company" and f.entity is not None and f.entity.iri != m.entity.iri:
        f = evolve(f, attributable=False)  # 顺丰…归属上市公司利润…；圆通速递净利润…: its own
    return evolve(
        f,
        entity=m.entity,
        entity_clause=c.clause,
        entity_end=m.end,
        entity_sub=sub or reason,
        entity_reason=reason,
        because=f.since("entity", rule.id),
    )


@action(STAGE, "region")
def region(c: Mk, rule: Rule, *, cue: str) -> Frame:
    """A region is in force; opening the sentence after a ``cue`` word (在…市场，) it holds for
    the whole sentence; named in a later clause than the subject (not a product), the figures
    are the company's in force (the report's, after a segment) in that region."""
    f, m = c.frame, c.m
    assert m.entity is not None
    scene = c.clause == 0 and c.env.text[c.clause_start : m.start].strip() in c.env.lex.cue(cue)
    f = evolve(
        f,
        region=m.entity,
        region_clause=c.clause,
        region_end=m.end,
        region_scene=scene,
        because=f.since("region", rule.id),
    )
    kept = f.entity is not None and f.entity.kind in ("product", "company")
    if f.entity_clause < c.clause and m.entity.iri != c.env.lex.world_region and not kept:
        f = evolve(f, entity=c.env.ents.main_company or f.entity)  # a segment's: the company's
    return f


#: The tagger of a table run into one line: its noise mentions are the table's headers.
_TABLE_CELLS = "mention.inline-table-cells"


@action(STAGE, "metric")
def metric(c: Mk, rule: Rule) -> Frame:
    """A metric mention: the metric stage decides what comes into force."""
    f = c.frame
    assert c.m.metric is not None
    lead = c.env.text[max(c.clause_start, f.metric_end) : c.m.start]
    if c.prev is not None and c.prev.kind == "noise" and c.prev.rule == _TABLE_CELLS:
        lead = c.window  # a table's header run into the line right before a row's label
    met = Met(c.m, f, c.env, c.clause, c.window, lead, c.since, c.m.metric)
    after, fired = read_metric(met)
    if after.metric is not f.metric or after.metric_at != f.metric_at:
        after = evolve(after, because=after.since("metric", rule.id, *fired))
    if after.metric is not f.metric and (close := _aside_close(c)) >= 0:
        after = evolve(after, aside=(f.metric, f.metric_at, close))
    run = after.run("metric")
    if run and run[-1] is c.m and after.metric_at == c.m.start and after.metric is not c.m.metric:
        # 股东应占盈利及每股盈利分别为…: the list's item is the metric the stage decided
        item = replace(c.m, metric=after.metric)
        after = evolve(after, series=after.with_run("metric", (*run[:-1], item)))
    return after


def _aside_close(c: Mk) -> int:
    """Where the brackets close that the metric mention stands in, opened right after a
    figure with no figure before the name (1.52亿元(扣非后0.91亿元)): an aside, its metric in
    force only inside them; -1 where it stands in none."""
    text = c.env.text
    start = max(0, c.m.start - _ASIDE_LEAD)
    opened = max(text.rfind("(", start, c.m.start), text.rfind("（", start, c.m.start))
    if opened < 0 or re.search(r"[)）\d]", text[opened + 1 : c.m.start]):
        return -1
    if not compared_bracket_at(text, opened + 1):
        return -1
    close = _CLOSE.search(text, c.m.end, min(len(text), c.m.end + _BRACKET_REACH))
    return close.start() if close is not None and text[close.start()] != "\n" else -1


#: How far before a metric's name the bracket of an aside may open ((扣除非经常性损益后…).
_ASIDE_LEAD = 12


@action(STAGE, "period-in-name")
def period_in_name(c: Mk, rule: Rule) -> Frame:
    """中期股息: a period word that begins a metric's name (or one written across its start:
    第4次中期息) sets the period."""
    pats, f = c.env.pats, c.frame
    word = _word_at_start(c.env.text, c.m.start, c.m.end, pats.period_word)
    if word is None:
        return f
    template = pats.period_by_word[compact(word.group())]
    p = resolve(template, f.year, c.env.report_period, c.env.doc.published)
    if p is None or (f.period is not None and _span(f.period) == _span(p)):
        return f  # 截至9月30日止6个月…中期股息: the half in force is the interim
    end, rp = _fiscal_end(c), c.env.report_period
    if end is not None and p.kind == "half" and _fiscal_report(rp):
        p = fiscal(p, end)  # a report on a year to June: its 中期 is Jul-Dec
    elif end is not None:  # 中期息 in a report on a March year's second quarter: Apr-Sep
        p = _fiscal_ending_with_report(p, end, rp) or p
    return evolve(f, period=p, because=f.since("period", rule.id))


def _word_at_start(
    text: str, start: int, end: int, words: re.Pattern[str], *, back: int = 4
) -> re.Match[str] | None:
    """The period word that begins at ``start`` (or up to ``back`` characters before it) and
    ends inside ``text[start:end]``, the one beginning earliest."""
    for at in range(max(0, start - back), start + 1):
        word = words.match(text, at, end)
        if word is not None and start < word.end() < end:
            return word
    return None


def _interim_of(p: Period, rp: Period | None) -> bool:
    """Whether ``p`` is a bare first half (中期, 上半年) of the year in which a report on a
    fiscal interim (the six months to 30 September) ends: that interim."""
    if rp is None or rp.kind != "interval" or p.kind != "half" or not p.code.endswith("H1"):
        return False
    last = rp.bounds()[1]
    return _span(rp) == _SPAN_OF_HALF and last.month not in (6, 12) and p.year == last.year


def _fiscal_report(rp: Period | None) -> bool:
    """Whether a report is on a fiscal year (twelve months not ending on 31 December)."""
    return rp is not None and rp.kind == "interval" and _span(rp) == _SPAN_OF_YEAR


def _span(p: Period) -> int:
    """A period's length in months, roughly (a half is 6, a quarter 3)."""
    start, end = p.bounds()
    return round((end - start).days / 30.4)


@action(STAGE, "end-metric")
def end_metric(c: Mk, rule: Rule) -> Frame:
    """A name of what we have no metric for (非利息净收入) ends the metric in force."""
    return evolve(c.frame, metric=None, metric_clause=c.clause, share=False)


@action(STAGE, "compared-year")
def compared_year(c: Mk, rule: Rule) -> Frame:
    """较2023年度的…: the figure right after is of that year."""
    assert c.m.period is not None
    return evolve(c.frame, compared=(int(c.m.period), c.m.end))


@action(STAGE, "period")
def period(c: Mk, rule: Rule) -> Frame:
    """A period comes into force (a year, or a word resolved in the year in force); 2023年同期
    is the period in force before the year, in that year; a date is also the last instant."""
    f, code = c.frame, c.m.period
    assert code is not None
    is_year = re.fullmatch(r"\d{4}", code) is not None
    if is_year:
        f = _opened_comparative(c, f)
        f = evolve(f, year=int(code), before_year=f.period)
    p = _resolved(c, f, code)
    if p is None and (code.startswith("{published") or code == "{none}"):
        # 今年 with no publication date: no period can be decided, so none is in force
        return evolve(f, period=None, because=f.since("period", rule.id))
    if p is None:
        return f
    start, end = p.bounds()
    years = (end - start).days > 400  # 2024-2026年: a broker's forecast years, for this sentence
    f = evolve(
        f,
        period=p,
        year=f.year if is_year or years else p.year,
        period_carried=_carried(c, code, is_year=is_year) and not years,
        period_at=f.period_at if is_year else c.m.end,
        because=f.since("period", rule.id),
    )
    return evolve(f, instant=p) if p.is_instant else f


@action(STAGE, "fiscal-period")
def fiscal_period(c: Mk, rule: Rule, *, cue: str) -> Frame:
    """2020财年第四季度, 第三财季: a year, half or quarter named with a ``cue`` word (财年) is
    the company's fiscal one, where its fiscal year does not end on 31 December; in a report on
    such a year (截至二零二四年六月三十日止年度), a bare year too (去年二零二三年)."""
    f, end, m = c.frame, _fiscal_end(c), c.m
    p = f.period
    if end is None or p is None or _calendar_already(c, p):
        return f
    near = c.env.text[max(c.clause_start, m.start - _FISCAL_REACH) : m.end]
    if _interim_of(p, c.env.report_period):  # 中期 in a report on the six months to September
        return evolve(f, period=c.env.report_period, because=f.since("period", rule.id))
    bare = _fiscal_report(c.env.report_period) and p.kind in ("year", "half")
    if window_has(near, c.env.lex.cue(cue)) is None and not bare:
        ending = _fiscal_ending_with_report(p, end, c.env.report_period)
        if ending is not None:  # 截至2025年9月30日止三个月…第二季度: Lenovo's second quarter
            return evolve(f, period=ending, because=f.since("period", rule.id))
        return f  # a bare year (or 中期) is a fiscal one only in a report on a fiscal year
    return _named_fiscal(c, rule, p, end, near)


def _named_fiscal(c: Mk, rule: Rule, p: Period, end: tuple[int, int], near: str) -> Frame:
    """The frame with ``p``, named as a fiscal period, read in the calendar ending on ``end``:
    of the fiscal year running at publication (现财年上半年), the latest ended (去年; a
    year-less 第三财季 in a paper of February 2024), or the one its year names."""
    f, published = c.frame, c.env.doc.published
    year, current = f.year, _current_fiscal(c, p, end, near)
    if current is not None:
        period = current
    elif p.kind == "year" and "{published-year" in (c.m.period or ""):
        period = fiscal_year(p.year, end, published)
    elif _year_unwritten(c):
        period = latest_fiscal(p, end, published)
        if period != fiscal(p, end) and year is not None:
            year += 1  # a later 第四财季 of the sentence is of that fiscal year too
    else:
        period = fiscal(p, end)
    return evolve(f, period=period, year=year, because=f.since("period", rule.id))


def _year_unwritten(c: Mk) -> bool:
    """Whether the period word's year is nowhere written: a year-less word (第三财季) with no
    year in the sentence before it, resolved in the year of publication (or the one before)."""
    code, m, text = c.m.period or "", c.m, c.env.text
    if "{year}" not in code or c.env.doc.published is None:
        return False
    since = max(text.rfind("。", 0, m.start), text.rfind("\n", 0, m.start)) + 1
    return _WRITTEN_YEAR.search(text, since, m.start) is None


#: A year written with digits or numerals (2024, 二〇二四年, FY24).
_WRITTEN_YEAR = re.compile(r"(?:19|20)\d\d|[〇○零一二三四五六七八九]{4}年|FY\s*\d\d")


def _current_fiscal(c: Mk, p: Period, end: tuple[int, int], near: str) -> Period | None:
    """The year, half or quarter ``p`` of the fiscal year running when the text was published,
    where a word of ``current-fiscal`` stands before it (现财政年度上半年 in a paper of
    November 2023, a year ending in March: April to September 2023); None otherwise."""
    published = c.env.doc.published
    if published is None or window_has(near, c.env.lex.cue("current-fiscal")) is None:
        return None
    year = published.year + ((published.month, published.day) > end)
    return fiscal(Period(str(year) + p.code[4:]), end)


def _calendar_already(c: Mk, p: Period) -> bool:
    """Whether the period in force needs no fiscal reading: not a year, half or quarter; a
    fiscal half's comparative (（二零二三年：…）, already that half a year before); the months
    a 截至…的 names (截至2025年6月30日的2026财年第一季度: the three months to that day)."""
    f, m = c.frame, c.m
    if p.kind not in ("quarter", "half", "year") and year_to_date_months(p) is None:
        return True
    if f.comparative is not None and f.comparative[3] > m.start and p.kind != "year":
        return True
    return c.env.pats.ended.fullmatch(c.env.text, m.start, m.end) is not None


def _fiscal_end(c: Mk) -> tuple[int, int] | None:
    """The (month, day) the fiscal year of the company in force ends on, where not 31
    December: the report's, unless another company is in force (深圳控股 in a round-up that
    opens with a company whose year ends in June): then the gazetteer's for it, or none."""
    e, main = c.frame.entity, c.env.ents.main_company
    if e is None or main is None or e.kind != "company" or e.iri == main.iri:
        return c.env.fiscal_end
    return c.env.lex.fiscal_year_ends.get(e.iri)


def _fiscal_ending_with_report(p: Period, end: tuple[int, int], rp: Period | None) -> Period | None:
    """A bare quarter or half (第二季度, 上半年) read in the fiscal calendar, in the fiscal year of
    its year or the next, where that reading ends when the period the report's lead names ends
    (截至2025年9月30日止三个月: a March year's second quarter and first half end then); else
    None (a calendar quarter)."""
    if rp is None or p.kind not in ("quarter", "half"):
        return None
    last = rp.bounds()[1]
    for year in (p.year, p.year + 1):
        candidate = fiscal(Period(f"{year}{p.code[4:]}"), end)
        if candidate.bounds()[1] == last:
            return candidate
    return None


@action(STAGE, "prior-opening")
def prior_opening(c: Mk, rule: Rule, *, cue: str) -> Frame:
    """上年同期利润总额为…，净利润为…: a ``cue`` word (上年同期) opening a sentence puts the
    period a year before the one in force in force for the whole sentence."""
    f, m, text = c.frame, c.m, c.env.text
    word = compact(text[m.start : m.end])
    now = f.period or c.env.report_period
    if (
        c.clause != 0
        or now is None
        or word not in c.env.lex.cue(cue)
        or text[c.clause_start : m.start].strip(_BULLETS)
    ):
        return f
    return evolve(f, period=now.previous_year(), because=f.since("period", rule.id))


#: What may stand before a sentence's first word: bullets and spaces.
_BULLETS = " \t-•·●|*"

#: A year's and a half's length in months, as :func:`_span` counts them.
_SPAN_OF_YEAR, _SPAN_OF_HALF = 12, 6

#: How far before a period word its fiscal cue may stand (2020财年第四季度).
_FISCAL_REACH = 6


def _carried(c: Mk, code: str, *, is_year: bool) -> bool:
    """Whether a period named here carries on to the next sentence: not one of the uncarried
    words, nor a comparative's in brackets, nor a year written after 去年 (去年二零二三年为…:
    the year compared with), nor one named in a clause giving a cause (主要由于2023年录得多项
    一次性项目: the reason, not the period reported), nor the date of a launch (预计于2026年
    上线) or the start of a span (自2024年起)."""
    before = compact(c.env.text[max(0, c.m.start - 5) : c.m.start])
    compared = is_year and window_has(before, c.env.lex.cue("prior-year"), at_end=True)
    clause = c.env.text[c.clause_start : c.m.start]
    after = compact(c.env.text[c.m.end : c.m.end + 6])
    return (
        code not in c.env.lex.cue("uncarried-period")
        and not _bracketed(c.env.text, c.m.start)
        and not compared
        and window_has(clause, c.env.lex.cue("cause-word")) is None
        and not after.startswith(c.env.lex.cue("launch-word"))  # 预计于2026年上线: a date
        and not after.startswith(c.env.lex.cue("start-point"))  # 自2024年起: since then
    )


def _resolved(c: Mk, f: Frame, code: str) -> Period | None:
    """A period's template resolved in the frame ``f``; a comparative's year (（二零二四年：…）)
    as the period in force was in that year."""
    base = f.before_year if code == "{report-in-year}" else None
    if code == "{report-in-year}" and not _YEAR_BEFORE.search(
        c.env.text[max(0, c.m.start - 8) : c.m.start]
    ):
        # 上半年…；同期实现…: no year before it, the same period as the one in force
        return f.period or c.env.report_period
    p = resolve(code, f.year, base or c.env.report_period, c.env.doc.published)
    if code.isdigit() and f.comparative is not None and f.comparative[3] > c.m.start:
        return _same_period_in(f.period, int(code), c.env.fiscal_end) or p
    return p


#: A year written right before a word (2023年同期, 2023同期, 二零二三年同期).
_YEAR_BEFORE = re.compile(r"(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})\s*年?\s*$")


def _opened_comparative(c: Mk, f: Frame) -> Frame:
    """The frame remembering what was in force before a comparative's brackets this year opens
    (see :func:`_comparative_close`), or ``f`` as it is; a second comparative in the same
    brackets ((2023Q4为27亿元,2024Q3为2.8亿元)) keeps what was in force before the first."""
    close = _comparative_close(c)
    if close < 0 or (f.comparative is not None and f.comparative[3] >= close):
        return f
    return evolve(f, comparative=(f.period, f.year, f.period_carried, close))


def _comparative_close(c: Mk) -> int:
    """Where the brackets a year opens close, for a comparative (（二零二四年：0.86元）, a period
    word after the year: (2024年上半年:196.67亿港元)), or the clause of a year compared with
    ends (较2022年同期…), or -1."""
    text, end = c.env.text, c.m.end
    before = text[max(0, c.m.start - 3) : c.m.start]
    if before.endswith(c.env.lex.cue("compare")):
        # 较2022年同期增加…；每股盈利…: the year compared with, up to its clause's end; 由2021年同期
        # 约12.6亿元增至约15.3亿元: the year a move starts from, up to where it goes to
        clause_end = _CLAUSE_END.search(text, end)
        limit = clause_end.start() if clause_end else len(text)
        to = _to_word(c.env.lex).search(text, end, limit)
        moved = before.endswith(c.env.lex.cue("from")) and to is not None
        return to.start() if moved and to is not None else limit
    word = c.env.pats.period_word.match(text, end)
    end = word.end() if word is not None and word.end() - end <= _WORD_AFTER_YEAR else end
    colon = comparative_label_at(text, end)  # (2024年：…), (2024年为0.8亿港元)
    if not _bracketed(text, c.m.start) or not (colon or compared_bracket_at(text, c.m.start)):
        return -1  # (2024年度溢利3.0亿元) right after a figure: a comparative without its colon
    close = _CLOSE.search(text, end, min(len(text), end + _BRACKET_REACH))
    return close.start() if close else -1


_CLOSE = re.compile("[）)\n]")


@lru_cache(maxsize=8)
def _to_word(lex: Lexicon) -> re.Pattern[str]:
    """Where a move goes to (增至, 降到: 至, 到)."""
    return regex(alternation(list(lex.cue("to"))))


#: Where a clause ends.
_CLAUSE_END = re.compile("[，,；;。！？!?\n]")

#: The longest period word between a comparative's year and its colon (上半年, 第三季度).
_WORD_AFTER_YEAR = 5


def _same_period_in(
    period: Period | None, year: int, fiscal_end: tuple[int, int] | None
) -> Period | None:
    """The period in force as it was in ``year`` (2025-H1 in 2024: 2024-H1; a half of the
    fiscal year to June 2024 in 2023: that half a year earlier); None for a year or a point in
    time (the year named is the comparative's whole period) or none in force."""
    if period is None or period.kind in ("year", "instant"):
        return None
    last = period.bounds()[1]
    in_year = last.year
    if fiscal_end is not None and (last.month, last.day) > fiscal_end:
        in_year += 1  # July-December 2023 is in the fiscal year to June 2024
    back = in_year - year
    if not 0 < back <= _COMPARATIVE_YEARS:
        return None
    for _ in range(back):
        period = period.previous_year()
    return period


#: The most years back a comparative's brackets name (（二零二三年：…） in a 2025 report).
_COMPARATIVE_YEARS = 3

#: How far back a comparative's bracket is looked for: per mention, so bounded (a text of
#: one long line would otherwise be scanned again for each period it names).
_BRACKET_REACH = 80


def _bracketed(text: str, at: int) -> bool:
    """Whether ``at`` is inside brackets opened on its line, at most :data:`_BRACKET_REACH`
    characters before ((2021年：2900万港元)): a period named there is a comparative's, not
    carried on to the next sentence.

    >>> _bracketed("亏损8600万港元(2021年:2900万港元)。", 13), _bracketed("（2021年）。2022年", 10)
    (True, False)
    """
    line = text[max(text.rfind("\n", 0, at) + 1, at - _BRACKET_REACH) : at]
    depth = 0
    for ch in _BRACKETS.findall(line):  # the other characters leave the depth as it is
        depth += ch in "（(" or -(ch in "）)")
        depth = max(depth, 0)
    return depth > 0


_BRACKETS = re.compile("[（()）]")


def read_mention(c: Mk) -> tuple[Frame, list[str]]:
    """Run the frame stage's rules on a mention: the new frame and the rules that fired."""
    fired = []
    for rule, test in c.env.sieve.rules(STAGE, c):
        if test is None or test(c):
            frame = rule.apply(c)
            if frame is not c.frame:
                c = evolve(c, frame=frame)
            fired.append(rule.id)
    return c.frame, fired
