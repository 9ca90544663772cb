"""Extract facts from a normalized document: the third pipeline stage.

The document is cut into paragraphs, sentences and clauses (:mod:`.sentences`); each
sentence is tagged with mentions (:mod:`.tagging`); a reader (:mod:`.reader`) walks them left
to right keeping a frozen :class:`~.frame.Frame` of what is in force, and turns each quantity
into a change, a fact, or nothing. Every decision is a named rule of ``ontology/rules/``
(checked when loaded, :mod:`.rules`), and every fact carries the ids of the rules that made it.
A figure whose entity, metric or period cannot be decided is left out, and the rule that left
it out is logged at debug level: a wrong fact costs more than a missing one.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from xmgraph.context import breadcrumbs, publisher_disclaimers
from xmgraph.extract.context import Env, window_has
from xmgraph.extract.frame import Carry, evolve
from xmgraph.extract.paragraphs import heading_of, next_section, start
from xmgraph.extract.periods import (
    FISCAL_LEAD,
    fiscal_interim,
    fiscal_year,
    fiscal_year_end,
    lead_fiscal_quarter,
    lead_interim,
    lead_quarter,
    published_interim,
    report_period,
    year_end_after_half,
)
from xmgraph.extract.reader import FactKey, SentenceTrace, carry_on, read_sentence, staged
from xmgraph.extract.roles import roles
from xmgraph.extract.rules import RuleSet, check_cues, load_rules
from xmgraph.extract.sentences import BULLET_MARKS, Sentence, sentences
from xmgraph.extract.tagging import Span, change_line, tag, tag_patterns
from xmgraph.lexicon import Lexicon
from xmgraph.model import Document, Entity, Extraction, Fact, Period, Role
from xmgraph.names import EntityFinder
from xmgraph.patterns import (
    Mention,
    Patterns,
    alternation,
    blanked,
    compact,
    compile_patterns,
    year_list,
)

__all__ = ["Explained", "explain", "extract", "load_rules"]


def _declared_currency(text: str, lexicon: Lexicon, pats: Patterns) -> str | None:
    """The currency a note declares for the whole text: 22.36億元（港元，下同）(a Hong Kong
    paper's 美元‧下同, 人民币.下同 too), or 32.37亿港元(单位下同) (that of the amount before
    it)."""
    same = alternation(list(lexicon.cue("same-below")))
    for m in re.finditer(
        rf"[（(]\s*([^{_NOTE_SEPARATORS}（）()]{{1,6}})\s*[{_NOTE_SEPARATORS}]\s*(?:{same})\s*[）)]",
        text,
    ):
        word = compact(m.group(1))
        unit = pats.unit_by_word.get(word) or pats.unit_by_prefix.get(word)
        if unit is not None and unit.currency:
            return unit.code
    # 32.37亿港元(单位下同): the currency of the amount the note follows
    for m in re.finditer(rf"[（(]\s*(?:单位)?\s*[：:，,]?\s*(?:{same})\s*[）)]", text):
        before = compact(text[max(0, m.start() - 4) : m.start()])
        for k in range(len(before)):
            unit = pats.unit_by_word.get(before[k:])
            if unit is not None and unit.currency:
                return unit.code
    return None


#: What stands between a note's currency and 下同: a comma, a semicolon, a stop or a middle
#: dot (（港元，下同）, (美元‧下同), (人民币.下同)).
_NOTE_SEPARATORS = "，,；;.．‧·・"


def _traditional(doc: Document, *, share: float = 0.02) -> bool:
    """Whether the report is written in Traditional characters: more than ``share`` of its
    characters were changed to Simplified ones (about one in ten in a Hong Kong paper)."""
    original = doc.report.text
    changed = sum(
        1
        for i, ch in enumerate(doc.text)
        if "\u4e00" <= ch <= "\u9fff" and original[doc.starts[i] : doc.ends[i]] != ch
    )
    return changed > share * max(len(doc.text), 1)


def _currency(tagged: list[list[Mention]]) -> str:
    """The currency most amounts are written in: that of an amount written without one."""
    counts: dict[str, int] = {}
    for mentions in tagged:
        for m in mentions:
            if m.kind == "quantity" and m.unit is not None and m.unit.currency:
                counts[m.unit.code] = counts.get(m.unit.code, 0) + 1
    return max(sorted(counts), key=lambda c: counts[c]) if counts else "CNY"


def _runs(text: str, found: list[Sentence]) -> list[int]:
    """For each sentence, the run of sentences it belongs to: a short part of a line that no
    full stop ended before it goes on the run before it (a portal's title 华辰酒业(600999) -
    2024 Q4 - 年度财报, split at its dashes)."""
    runs, run, previous = [], 0, None
    for s in found:
        if previous is None or not (
            s.paragraph == previous.paragraph
            and text[previous.start : previous.end].rstrip()[-1:] not in _STOPS
            and s.end - s.start <= _TITLE_PART
        ):
            run += 1
        runs.append(run)
        previous = s
    return runs


#: What ends a sentence in full (a title's parts run on past any other break).
_STOPS = frozenset("。！？!?")
#: A title's part, at most this long (年度财报, 中期业绩).
_TITLE_PART = 12


def _tag_all(
    doc: Document, lexicon: Lexicon, rules: RuleSet
) -> tuple[Env, list[Sentence], list[list[Mention]]]:
    pats = compile_patterns(lexicon)
    furniture = [*breadcrumbs(doc.text, lexicon), *publisher_disclaimers(doc.text, lexicon)]
    ents = EntityFinder(blanked(doc.text, furniture), lexicon, pats)
    extra = tag_patterns(lexicon)
    taggers = rules.stage("mention")
    found = sentences(doc.text, change_line(lexicon))
    tagged = [
        tag(Span(doc.text, s.start, s.end, pats, ents, lexicon, extra), taggers) for s in found
    ]
    declared = _declared_currency(doc.text, lexicon, pats)
    main = ents.main_company.iri if ents.main_company else None
    period, fiscal_end = _period_and_year_end(
        doc, lexicon, pats, tagged, main, _runs(doc.text, found)
    )
    hk_wording = window_has(doc.text, lexicon.cue("hong-kong-wording")) is not None
    traditional = _traditional(doc)
    env = Env(
        doc,
        lexicon,
        pats,
        ents,
        rules,
        period,
        declared or _currency(tagged),
        declared,
        fiscal_end=fiscal_end,
        # a Hong Kong paper's: Traditional, or its words (按年, cue set hong-kong-wording)
        hong_kong=traditional or hk_wording,
        hong_kong_paper=traditional and hk_wording,
        renminbi_named=window_has(doc.text, lexicon.cue("explicit-yuan")) is not None,
    )
    return env, found, tagged


def _period_and_year_end(
    doc: Document,
    lexicon: Lexicon,
    pats: Patterns,
    tagged: list[list[Mention]],
    main: str | None,
    runs: list[int],
) -> tuple[Period | None, tuple[int, int] | None]:
    """The period the report is on and the (month, day) its company's fiscal year ends on
    (None: 31 December), read in that fiscal calendar."""
    period = report_period(
        tagged,
        published=doc.published,
        text=doc.text,
        years=year_list(lexicon, "series-joiner"),
        compared=(*lexicon.cue("from"), *lexicon.cue("compare"), *lexicon.cue("founding-word")),
        dates=(*lexicon.cue("start-point"), *lexicon.cue("launch-word")),
        planned=lexicon.cue("forecast"),
        titles=lexicon.cue("results-word"),
        runs=runs,
    )
    fiscal_end = fiscal_year_end(doc.text, lexicon, pats, main, period)
    quarter = (
        lead_fiscal_quarter(doc.text, lexicon, fiscal_end, doc.published) if fiscal_end else None
    )
    if quarter is not None:
        period = quarter  # 2024财年第一财季…截至8月31日: the report is on that quarter
    elif fiscal_end is not None and period is not None and period.kind == "year":
        # 2025财年: the year to March 2025; 去年 (a year the lead does not write): the latest
        written = str(period.year) in doc.text[:FISCAL_LEAD]
        period = fiscal_year(period.year, fiscal_end, None if written else doc.published)
    elif fiscal_end is not None and (quarter := lead_quarter(doc.text, lexicon, pats)):
        period = quarter  # 截至2025年9月30日止三个月 … 第二季度 (a year to March)
    elif period is not None and period.kind == "half":  # an interim to September
        interim = lead_interim(doc.text, lexicon, pats, period.year)
        interim = interim or published_interim(period, doc.published, doc.text)
        if interim is not None and fiscal_end is None:
            fiscal_end = year_end_after_half(interim.bounds()[1].month)
        period = interim or fiscal_interim(period, fiscal_end, doc.published)
    return period, fiscal_end


def _read(
    doc: Document, lexicon: Lexicon, rules: RuleSet
) -> tuple[Env, list[Fact], list[Role], list[SentenceTrace]]:
    env, found, tagged = _tag_all(doc, lexicon, rules)
    facts: list[Fact] = []
    people: list[Role] = []
    traces: list[SentenceTrace] = []
    paragraph, carry, heading = -1, Carry(None, None, None), ""
    section = Carry(None, None, None)
    base, bullet_facts = carry, False  # what a line's bullets start from; the last one's figures
    lines = doc.text.split("\n")
    for n, (sentence, mentions) in enumerate(zip(found, tagged, strict=True)):
        if sentence.paragraph != paragraph:
            paragraph = sentence.paragraph
            heading = heading_of(lines[paragraph], heading)
            carry = base = start(env, lines[paragraph], heading, section)
            bullet_facts = False
        bullet = _after_bullet(doc.text, sentence.start)
        if bullet and bullet_facts:  # - 第二季度营收… - 中高档白酒营收…: not that quarter's
            carry = _next_bullet(carry, base)
        people.extend(roles(env, sentence, mentions))
        frame, trace = read_sentence(env, n, sentence, mentions, carry)
        facts.extend(frame.facts)
        traces.append(trace)
        carry = carry_on(carry, frame, mentions)
        # a bullet stating figures (of a metric or not: 2024年ROIC为9.42%) hands on no period
        bullet_facts = bullet and (bool(frame.facts) or any(m.kind == "quantity" for m in mentions))
        if bullet and not frame.facts:  # said in passing (新车型预计下季度上市): not handed on
            carry = _passing_company(carry, base, sentence, env)
        if not bullet_facts:
            base = carry
        section = next_section(env, sentence, mentions, carry, section)
    done, dropped = staged(rules.stage("document"), tuple(facts))
    return env, list(done), people, _with_dropped(traces, dropped)


def _with_dropped(
    traces: list[SentenceTrace], dropped: tuple[tuple[FactKey, str], ...]
) -> list[SentenceTrace]:
    """The traces with the facts the document stage dropped put on their sentences."""
    if not dropped:
        return traces
    out = []
    for t in traces:
        mine = tuple(d for d in dropped if t.sentence.start <= d[0][0] < t.sentence.end)
        out.append(dataclasses.replace(t, dropped=t.dropped + mine) if mine else t)
    return out


def _next_bullet(carry: Carry, base: Carry) -> Carry:
    """What a bullet starts from after one that stated figures: the period its line started
    from, and that line's company where the last bullet named a part (中高档白酒营收…)."""
    carry = evolve(carry, period=base.period, year=base.year)
    if carry.entity is not None and carry.entity.kind != "company":
        carry = evolve(carry, entity=base.entity)
    return carry


def _passing_company(carry: Carry, base: Carry, sentence: Sentence, env: Env) -> Carry:
    """What the bullets after one that stated no figure start from: what it left, but where
    it said something of another company than theirs (- 华辰极光将于下半年推出新车型…), or of a
    part (- 以打造普惠金融特色银行为目标…), not only named it (- 华辰极光), their company (the
    line's, else the text's) stays theirs (- 2023-2027年营收…)."""
    e, home = carry.entity, base.entity or env.ents.main_company
    if home is not None and home.kind != "company":  # the line's product (- 新车型…): its company
        home = base.company or env.ents.main_company
    if e is None or home is None or home.kind != "company":
        return carry
    if e.iri == home.iri or sentence.end - sentence.start <= _HEADING_BULLET:
        return carry
    if e.kind != "company":  # - 基于原油价格…预期 (a product named in passing): not theirs
        return evolve(carry, entity=home)
    return evolve(carry, entity=home, company=home)


#: A bullet this long or shorter that names a company heads the bullets after it.
_HEADING_BULLET = 16


def _after_bullet(text: str, start: int) -> bool:
    """Whether a sentence opens a bullet inside its line (… [1] - 毛利率…, a summary page)."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip()
    return bool(before) and before[-1] in BULLET_MARKS and len(before) > 1


def _entities(
    lexicon: Lexicon, ents: EntityFinder, facts: Iterable[Fact], people: Iterable[Role]
) -> tuple[Entity, ...]:
    """Every entity a fact or role refers to, the minted parents of segments, the company."""
    seen: dict[str, Entity] = {}
    for f in facts:
        seen.setdefault(f.entity.iri, f.entity)
    for r in people:
        seen.setdefault(r.person.iri, r.person)
    for e in ents.minted:
        if e.iri in seen or any(x.parent == e.iri for x in seen.values()):
            seen.setdefault(e.iri, e)
    for e in list(seen.values()):
        parent = e.parent
        while parent and parent not in seen:
            pe = next((x for x in ents.minted if x.iri == parent), None) or lexicon.entity(parent)
            if pe is None:
                break
            seen[parent] = pe
            parent = pe.parent
    if ents.main_company is not None:
        seen.setdefault(ents.main_company.iri, ents.main_company)
    return tuple(sorted(seen.values(), key=lambda e: e.iri))


def _as_written(doc: Document, minted: Iterable[Entity]) -> dict[str, Entity]:
    """Minted segments and products whose name the report writes in another script (汽車 read
    as 汽车): labelled as written, the name read kept among their names; by IRI."""
    out = {}
    for e in minted:
        at = doc.text.find(e.label) if e.kind != "company" else -1
        if at < 0:
            continue
        a, b = doc.original_span(at, at + len(e.label))
        original = doc.report.text[a:b]
        if original != e.label and len(original) == len(e.label):
            out[e.iri] = dataclasses.replace(e, label=original, names=(*e.names, original))
    return out


def _rules(lexicon: Lexicon, rules: RuleSet | None) -> RuleSet:
    rules = rules if rules is not None else load_rules()
    _checked_cues(rules, lexicon)
    return rules


@lru_cache(maxsize=8)
def _checked_cues(rules: RuleSet, lexicon: Lexicon) -> None:
    """:func:`check_cues` once per rule set and lexicon (both frozen), not per report (an
    error is raised again each time: lru_cache keeps no exception)."""
    check_cues(rules, lexicon.cues)


def extract(doc: Document, lexicon: Lexicon, *, rules: RuleSet | None = None) -> Extraction:
    """Find the facts, entities and roles stated in ``doc`` (by ``rules``: all of
    ``ontology/rules/`` unless given, e.g. with some switched off)."""
    return _extraction(doc, lexicon, rules)[0]


def _extraction(
    doc: Document, lexicon: Lexicon, rules: RuleSet | None
) -> tuple[Extraction, list[SentenceTrace]]:
    env, facts, people, traces = _read(doc, lexicon, _rules(lexicon, rules))
    written = _as_written(doc, env.ents.minted)
    facts = [
        dataclasses.replace(f, entity=written[f.entity.iri]) if f.entity.iri in written else f
        for f in facts
    ]
    extraction = Extraction(
        report=doc.report,
        facts=tuple(facts),
        entities=_entities(lexicon, env.ents, facts, people),
        roles=tuple(people),
        repairs=doc.repairs,
        warnings=doc.warnings,
    )
    return extraction, traces


@dataclass(frozen=True)
class Explained:
    """An extraction with the trace of every sentence (``xmgraph explain``)."""

    extraction: Extraction
    sentences: tuple[SentenceTrace, ...]
    normalized: str  #: the normalized text the offsets of the traces point into


def explain(doc: Document, lexicon: Lexicon, *, rules: RuleSet | None = None) -> Explained:
    """Extract, keeping the trace: each sentence's mentions, and for each figure the frame in
    force, the rules that fired in order and what became of it."""
    extraction, traces = _extraction(doc, lexicon, rules)
    return Explained(extraction, tuple(traces), doc.text)
