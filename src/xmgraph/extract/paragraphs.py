"""The paragraph stage: what a paragraph (a line) starts from — the report's company and
period, or, under a section heading about the year before (二、上年同期业绩情况), that period a
year earlier; under a heading line that names a period (2025年第四季度财务摘要), that period;
under a numbered heading that names a company (二、华辰食品（603001.SH）：…), that company."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xmgraph.extract.context import Env
from xmgraph.extract.frame import Carry, evolve
from xmgraph.extract.rules import Rule, action, condition
from xmgraph.extract.sentences import Sentence
from xmgraph.model import Entity
from xmgraph.patterns import Mention

STAGE = "paragraph"


@dataclass(frozen=True)
class Para:
    """A paragraph about to be read, with the last section heading above it."""

    env: Env
    line: str
    heading: str  #: the last section heading (一、…, （一）…) above or at this line
    carry: Carry
    section: Carry | None = None  #: the period and company the section's headings put in force


_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)])"
)
#: A line opened by a label in black brackets (【医药】华辰制药：创新药占比过半): a heading too,
#: unless it ends as a sentence does (【华辰社讯】华辰(01234.HK)公布…。: a byline's prose).
_LABELLED = re.compile(r"^\s*【[^】\n]{1,8}】")
_SENTENCE_END = ("。", "！", "？", ".", "!", "?")


def heading_of(line: str, last: str) -> str:
    """The section heading in force at ``line``: the line itself when it is one (一、…), else
    ``last``. A numbered line that states figures (（一）利润总额：-4,812.33万元) is an item of
    its section, not a heading."""
    if _HEADING.match(line) and not any(ch.isdigit() for ch in line):
        return line
    return last


@condition(STAGE, "heading-has")
def heading_has(p: Para, *, cue: str) -> bool:
    """The section heading in force names a word of ``cue`` (上年同期)."""
    return any(w in p.heading for w in p.env.lex.cue(cue))


@action(STAGE, "previous-year")
def previous_year(p: Para, rule: Rule) -> Carry:
    """The paragraph starts from the report's period a year earlier."""
    period = p.carry.period
    if period is None:
        return p.carry
    before = period.previous_year()
    return evolve(p.carry, period=before, year=before.year)


@condition(STAGE, "in-period-section")
def in_period_section(p: Para) -> bool:
    """A heading line above this paragraph named a period (2025年第四季度财务摘要)."""
    return p.section is not None and p.section.period is not None


@action(STAGE, "section-period")
def section_period(p: Para, rule: Rule) -> Carry:
    """The paragraph starts from the period its section's heading line named."""
    assert p.section is not None
    return evolve(p.carry, period=p.section.period, year=p.section.year)


@condition(STAGE, "in-company-section")
def in_company_section(p: Para) -> bool:
    """The numbered heading above this paragraph named a company (二、华辰食品（603001.SH）：…)."""
    return p.section is not None and p.section.entity is not None


@action(STAGE, "section-company")
def section_company(p: Para, rule: Rule) -> Carry:
    """The paragraph starts from the company its section's numbered heading named."""
    assert p.section is not None
    return evolve(p.carry, entity=p.section.entity)


def next_section(
    env: Env, s: Sentence, mentions: list[Mention], carry: Carry, section: Carry
) -> Carry:
    """What the section in force is after sentence ``s``: a numbered heading (二、…) puts the
    company it names in force, or none; a heading line naming a period, that period."""
    text = env.text
    line_start = text.rfind("\n", 0, s.start) + 1
    line_end = text.find("\n", s.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)].strip()
    labelled = _LABELLED.match(line) is not None and not line.endswith(_SENTENCE_END)
    if not text[line_start : s.start].strip() and (
        _HEADING.match(text[s.start : s.end]) or labelled
    ):
        named = [m.entity for m in mentions if m.entity is not None and m.kind == "entity"]
        company = next((e for e in named if e.kind == "company"), None)
        section = evolve(section, entity=company)
    elif (company := _led_by(env, s, mentions, line, line_start)) is not None or (
        company := _subject_lead(env, s, mentions, carry, line_start)
    ) is not None:
        section = evolve(section, entity=company)
    heading = period_heading(env, s, mentions, carry, line)
    if heading is not None:
        section = evolve(section, period=heading.period, year=heading.year)
    return section


def _company_line(line: str, mentions: list[Mention]) -> Entity | None:
    """The company a line names and nothing else (a summary page's heading 华辰汽车, 【华辰汽车】,
    华辰汽车：): the heading of the bullets about it that follow it."""
    if len(mentions) != 1 or mentions[0].kind != "entity" or mentions[0].entity is None:
        return None
    m, rest = mentions[0], _HEADING_MARKS.sub("", line)
    named = m.end - m.start
    if m.entity.kind != "company" or len(rest) > named:  # type: ignore[union-attr]
        return None
    return m.entity


def _led_by(
    env: Env, s: Sentence, mentions: list[Mention], line: str, line_start: int
) -> Entity | None:
    """The company a line puts in force below it: a line naming it alone over bullets (or, in a
    text naming several, ending with a colon), a listing's note title naming it, or, in a text
    naming several, a paragraph opening with it and its stock code."""
    text = env.text
    line_end = text.find("\n", s.end)
    note = next((e for at, _, e in env.ents.notes if at == line_start), None)
    if note is not None:  # a listing's note title (华辰饮料:业绩超预期 over its source's line)
        return note
    company = _company_line(line, mentions)
    if company is not None and (
        _BULLET_NEXT.match(text, line_end + 1 if line_end >= 0 else len(text))
        or (env.ents.several and line.endswith((":", "：")))  # 华辰电工： over its paragraphs
    ):
        return company
    if env.ents.several and not text[line_start : s.start].strip():
        named = [m for m in mentions if not env.ents.in_example(m.start)]
        return _code_lead(text, named)
    return None


def _subject_lead(
    env: Env, s: Sentence, mentions: list[Mention], carry: Carry, line_start: int
) -> Entity | None:
    """In a text naming several companies, the company a paragraph's first sentence names and
    leaves as its subject (作为区域银行里的佼佼者，华辰银行前三季度实现营业收入…): the paragraphs
    below without a company of their own are about it (资产质量方面，…不良贷款率0.71%)."""
    if not env.ents.several or env.text[line_start : s.start].strip():
        return None
    if _BULLET_NEXT.match(env.text, line_start):
        return None  # - 华辰软件：中标…⏎- 据统计，两市合计…: a bullet's company is its own
    e = carry.entity
    if e is None or e.kind != "company":
        return None
    first = next(
        (m.entity for m in mentions if m.entity is not None and m.entity.kind == "company"), None
    )
    return e if first is not None and first.iri == e.iri else None  # the first it names


def _code_lead(text: str, mentions: list[Mention]) -> Entity | None:
    """The company a paragraph's first sentence names first, written with its stock code
    (澄江銀行（0899）第三季錄得…; 內銀陸續公布業績，華辰銀行（0998）…): in a text about several
    companies, the paragraphs below without a company of their own are about it (前三季，實現
    淨利潤…), until another opens so; not one of a list of examples (如…(00005)、…等)."""
    first = next((m for m in mentions if m.kind == "entity"), None)
    if first is None or first.entity is None or first.entity.kind != "company":
        return None
    return first.entity if _CODE_AFTER.match(text, first.end) else None


#: A stock code in brackets right after a name (（0899）, (00789.HK), （股份代號：0998）).
_CODE_AFTER = re.compile(
    r"\s*[（(]\s*(?:[^\d（()）\n]{0,6}[:：]\s*)?\d{3,6}(?:\.[A-Za-z]{2})?\s*[）)]"
)


#: A line of bullets after a heading line (a summary page's items about the company named).
_BULLET_NEXT = re.compile(r"[ \t]*[-•·●▪]")

#: What a heading line may put around the company it names.
_HEADING_MARKS = re.compile(r"[\s#*【】\[\]：:\-•·●]")


#: The kinds of mention a heading line naming a period may hold besides its periods.
_HEADING_KINDS = frozenset({"period", "noise"})

#: The periods a heading line may put in force (not a month: 二〇二四年八月 dates a filing).
_HEADING_PERIODS = frozenset({"year", "half", "quarter", "interval"})

#: A period code that names its year (2025, 2025-Q4), not a template ({year}-Q4).
_YEAR = re.compile(r"^\d{4}")

#: A quarter's word with no year (第三季度: {year}-Q3; not 中期, a title's word).
_PART = re.compile(r"\{year\}-Q\d")

#: The tagger of period words (第三季度), as a mention names it.
_PERIOD_WORDS = "mention.period-words"

#: A heading line's longest length, in characters.
_HEADING_LEN = 30


def period_heading(
    env: Env, s: Sentence, mentions: list[Mention], carry: Carry, line: str
) -> Carry | None:
    """What a sentence that is a whole short ``line`` (stripped) naming only a period, with one
    year (2025年第四季度财务摘要, 2025财年业绩), puts in force for the paragraphs below it: its
    period, read in ``carry``; None for any other sentence (a headline names its company, a line
    of text has figures, a table's header names two years or a change column, 截至12月31日止年度
    no year)."""
    if (
        carry.period is None
        or line != env.text[s.start : s.end].strip()
        or len(line) > _HEADING_LEN
        or not _names_one_period(mentions)
        or any(m.kind not in _HEADING_KINDS for m in mentions)
        or carry.period.kind not in _HEADING_PERIODS
        or _names_change_column(line, env)
    ):
        return None
    return carry


def _names_one_period(mentions: list[Mention]) -> bool:
    """Whether a heading's mentions name one period, with its year (2025年第四季度) or a
    quarter alone (第三财季财务业绩: in the year in force)."""
    named = [m for m in mentions if m.period]
    years = sum(1 for m in named if _YEAR.search(m.period or ""))
    if years or len(named) != 1:
        return years == 1
    word = named[0]  # 第三季度 alone, not 截至12月31日止第四季度 (months ended, no year)
    return word.rule == _PERIOD_WORDS and bool(_PART.fullmatch(word.period or ""))


def _names_change_column(line: str, env: Env) -> bool:
    """Whether a line names a table's change column (项目 2025 年 增减: a table's header, whose
    year is its columns', no heading's): a word of ``change-column``, or one of
    ``inline-change-header`` right after a year's suffix (年: the normalized line has no
    spaces)."""
    lex = env.lex
    return any(w in line for w in lex.cue("change-column")) or any(
        y + w in line for y in lex.cue("year-suffix") for w in lex.cue("inline-change-header")
    )


def start(env: Env, line: str, heading: str, section: Carry | None = None) -> Carry:
    """What a paragraph starts from, by the rules of the stage ``paragraph``."""
    rp = env.report_period
    main = env.ents.main_company
    carry = Carry(main, rp, rp.year if rp else None, main)
    for rule in env.rules.stage(STAGE):
        p = Para(env, line, heading, carry, section)
        if rule.holds(p):
            carry = rule.apply(p)
    return carry
