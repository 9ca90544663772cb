"""The paragraph stage: what a paragraph (a line) starts from — the report's company and
period, or, under a section heading about the year before (二、上年同期业绩情况), that period a
year earlier."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xmgraph.extract.context import Env
from xmgraph.extract.frame import Carry, evolve
from xmgraph.extract.rules import Rule, action, condition

STAGE = "paragraph"


@dataclass(frozen=True)
class Para:
    """A paragraph about to be read, with the last section heading above it."""

    env: Env
    line: str
    heading: str  #: the last section heading (一、…, （一）…) above or at this line
    carry: Carry


_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)])"
)


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


def start(env: Env, line: str, heading: str) -> Carry:
    """What a paragraph starts from, by the rules of the stage ``paragraph``."""
    rp = env.report_period
    carry = Carry(env.ents.main_company, rp, rp.year if rp else None)
    for rule in env.rules.stage(STAGE):
        p = Para(env, line, heading, carry)
        if rule.holds(p):
            carry = rule.apply(p)
    return carry
