"""Extract facts from a normalized document: the third pipeline stage.

The document is cut into paragraphs, sentences and clauses. Each sentence is tagged with
mentions found by the lexicon (entities, regions, metrics, periods, quantities, roles,
people); a reader then walks the mentions left to right, keeping what is "in force"
(the subject, the metric, the period, the region), and turns each quantity that fits the
metric in force into a :class:`~xmgraph.model.Fact`. A percentage after a change word
(增长, 下降 ...) is the year-on-year (or, after 环比, quarter-on-quarter) change of the
figure it belongs to. A figure whose entity, metric or period cannot be decided is left
out and logged at debug level: a wrong fact costs more than a missing one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from xmgraph.lexicon import Lexicon, MetricInfo
from xmgraph.model import QUALIFIERS, Document, Entity, Extraction, Fact, Period, Role, Source
from xmgraph.names import EntityFinder, slug
from xmgraph.patterns import (
    CLAUSE_BREAK,
    HAN,
    ID,
    PUNCT_BEFORE_NAME,
    Mention,
    Patterns,
    alternation,
    chinese_dates,
    chinese_numeral,
    compact,
    compile_patterns,
    date_template,
    month_range,
    months_ended,
    parse_quantity,
    resolve_period,
)

log = logging.getLogger(__name__)

_SENTENCE_END = "。！？!?"

#: A place the regions of the ontology do not name: figures limited to it are left out.
UNKNOWN_REGION = Entity(iri=f"{ID}region/unknown", kind="region", label="?", known=False)


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    paragraph: int


# ---------------------------------------------------------------- tagging


def _tag(
    text: str, start: int, end: int, pats: Patterns, ents: EntityFinder, lexicon: Lexicon
) -> list[Mention]:
    """All mentions in ``text[start:end]``, longest-leftmost, without overlaps."""
    cands: list[tuple[int, int, int, Mention]] = []  # (start, -length, priority, mention)

    def add(mention: Mention, prio: int) -> None:
        cands.append((mention.start, -(mention.end - mention.start), prio, mention))

    for m in pats.quantity.finditer(text, start, end):
        if not (m["scale"] or m["unit"] or m["prefix"]):
            continue
        q = parse_quantity(m, pats, lexicon)
        if q is not None:
            add(q, 0)
    for q in _table_cells(text, start, end, pats, lexicon):
        add(q, 1)
    for m in pats.standalone.finditer(text, start, end):
        mult = lexicon.scales[compact(m["scale"])]
        unit = pats.unit_by_word.get(compact(m["unit"] or ""))
        add(Mention("quantity", m.start(), m.end(), value=mult, unit=unit), 1)
    for m in pats.fraction.finditer(text, start, end):
        den, nom = chinese_numeral(m["den"], lexicon), chinese_numeral(m["nom"], lexicon)
        if den and nom is not None and nom <= den:
            value = (Decimal(nom) * 100 / Decimal(den)).quantize(Decimal("0.01")).normalize()
            add(Mention("quantity", m.start(), m.end(), value=value, percent=True), 0)
    for m in pats.numeral.finditer(text, start, end):
        n = chinese_numeral(m["cn"], lexicon)
        if n:
            unit = pats.unit_by_word.get(compact(m["times"] or ""))
            if unit is not None and unit.change_multiplier is not None:
                value = n * unit.change_multiplier  # 增长两倍: +200%
            else:
                value = Decimal(n * 10)  # 三成: 30%
            add(Mention("quantity", m.start(), m.end(), value=value, percent=True), 0)
    for m in pats.flat.finditer(text, start, end):
        a, b = m.span("flat")
        add(Mention("quantity", a, b, value=Decimal(0), percent=True, flat=True), 0)
    for m in pats.months.finditer(text, start, end):
        code = month_range(m)
        if code is not None:
            add(Mention("period", m.start(), m.end(), period=code), 1)
    for m in pats.noise.finditer(text, start, end):
        add(Mention("noise", m.start(), m.end()), 1)
    for m in pats.ended.finditer(text, start, end):
        code = months_ended(m, lexicon)
        if code is not None:
            add(Mention("period", m.start(), m.end(), period=code), 1)
    for m in pats.date.finditer(text, start, end):
        if not (m["asof"] or m["y"] or m["d"] or m["e"]):
            # a bare month right before a metric (4月交付量), or opening a sentence (12月，…),
            # is that month of the year in force
            opens = m.start() == start and text[m.end() : m.end() + 1] == ","
            after_digit = text[m.start() - 1 : m.start()].isdigit()
            if (opens or pats.metric.match(text, m.end(), end)) and not after_digit:
                add(Mention("period", m.start(), m.end(), period=f"{{year}}-{int(m['m']):02d}"), 2)
            continue
        if m["asof"] or (m["y"] and not m["d"]):
            add(
                Mention(
                    "period", m.start(), m.end(), period=date_template(m), as_of=bool(m["asof"])
                ),
                2,
            )
        elif m["y"] or m["d"]:
            add(Mention("date", m.start(), m.end()), 2)  # a publication date: not a period
    for span, digits in chinese_dates(text, start, end, lexicon):
        # 截至二零二四年十二月三十一日止年度: read as the same words written with digits
        ended = pats.ended.fullmatch(digits)
        code = months_ended(ended, lexicon) if ended else None
        dated = pats.date.fullmatch(digits)
        if code is not None:
            add(Mention("period", *span, period=code), 1)
        elif dated is not None and (dated["asof"] or not dated["d"]):
            tpl = date_template(dated)
            add(Mention("period", *span, period=tpl, as_of=bool(dated["asof"])), 2)
        elif dated is not None:
            add(Mention("date", *span), 2)
        elif re.fullmatch(r"(?:19|20)\d{2}年", digits):
            add(Mention("period", *span, period=digits[:4]), 3)
    compare = lexicon.cue("compare")
    for m in pats.year.finditer(text, start, end):
        before = text[max(start, m.start() - 4) : m.start()].rstrip()
        kind = "noise" if any(before.endswith(w) for w in compare) else "period"
        add(Mention(kind, m.start(), m.end(), period=m["y"]), 3)  # 较2023年: a comparison
    for m in pats.period_word.finditer(text, start, end):
        if any(
            (inner := pats.metric.match(text, k, end)) is not None and inner.end() > m.end()
            for k in range(m.start() + 1, m.end())
        ):
            continue  # 2024年末期股息: the metric 末期股息, not the year end
        add(
            Mention("period", m.start(), m.end(), period=pats.period_by_word[compact(m.group())]), 3
        )
    for m in pats.metric.finditer(text, start, end):
        add(
            Mention("metric", m.start(), m.end(), metric=pats.metric_by_name[compact(m.group())]), 4
        )
    for m in pats.not_metric.finditer(text, start, end):
        add(Mention("non-metric", m.start(), m.end()), 4)  # 手续费及佣金净收入: no metric of ours
    adjusted = re.compile(alternation(list(lexicon.cue("adjusted"))))
    cue_spans = [(m.start(), m.end()) for m in adjusted.finditer(text, start, end)]
    if ents.pattern is not None:
        for m in ents.pattern.finditer(text, start, end):
            e = ents.by_name[compact(m.group())]
            add(
                Mention("person" if e.kind == "person" else "entity", m.start(), m.end(), entity=e),
                5,
            )
            after = pats.metric.match(text, m.end(), end)
            if after is not None:  # 汽车销售|收入: the metric the name's end overlapped
                info = pats.metric_by_name[compact(after.group())]
                add(Mention("metric", after.start(), after.end(), metric=info), 4)
    region_tail = re.compile(alternation(list(lexicon.cue("region-suffix"))))
    named_kind = re.compile(
        rf"(?:{alternation(list(lexicon.cue('product-kind')))})\s*[A-Za-z“\"「]"
    )
    han_joiners = [w for w in lexicon.cue("series-joiner") if re.fullmatch(f"[{HAN}]+", w)]
    mixed_rx = re.compile(
        rf"(?:{alternation(han_joiners)})(?P<other>[{HAN}]{{1,4}}?)"
        rf"(?:{region_tail.pattern})?(?=\s*(?:{pats.metric.pattern}))"
    )
    union_rx = re.compile(rf"(?:{alternation(han_joiners)})(?P<other>{pats.region.pattern})")
    for m in pats.region.finditer(text, start, end):
        if any(a <= m.start() and m.end() <= b for a, b in cue_spans):
            continue  # 非国际财务报告准则: no region
        region, m_end = pats.region_by_name[compact(m.group())], m.end()
        for k in range(m.start() + 2, m.end()):
            inner = pats.metric.match(text, k, end)
            if inner is not None and inner.end() > m.end():
                m_end = k  # 国内|市场份额: the region ends where a metric begins
                break
        tail = region_tail.match(text, m_end, end)
        if tail and not pats.metric.match(text, m_end, end):
            m_end = tail.end()
        if named_kind.match(text, m_end, end):
            continue  # 国际平台TripGo: the kind of a product named after it, no region
        add(Mention("region", m.start(), m_end, entity=region), 6)
        after = pats.metric.match(text, m_end, end)
        if after is not None:
            # 新增|海外|门店: a metric's label split by a region names that metric
            for k in range(max(start, m.start() - 8), m.start()):
                if pats.metric.fullmatch(text, k, m.start()) is None:
                    continue
                split = pats.metric_by_name.get(compact(text[k : m.start()] + after.group()))
                if split is not None:
                    add(Mention("metric", after.start(), after.end(), metric=split), 3)
                break
        mixed = mixed_rx.match(text, m_end, end)
        if mixed and not pats.region.match(mixed["other"]):
            # 香港及澳门营业额, 欧洲及其他市场收入: a region joined with a place we have none for
            add(Mention("region", m.start(), mixed.end(), entity=UNKNOWN_REGION), 8)
        both = union_rx.match(text, m_end, end)
        clause = re.split(f"[{CLAUSE_BREAK}。！？]", text[m_end:end], maxsplit=1)[0]
        if (
            both
            and pats.region_by_name[compact(both["other"])] != region
            and not any(w in clause for w in lexicon.cue("respectively"))
        ):
            # 其中香港及海外餐厅47家: two regions joined, the figure of neither alone
            add(Mention("region", m.start(), both.end(), entity=UNKNOWN_REGION), 8)
    for m in re.finditer(alternation(list(lexicon.cue("unknown-place"))), text[:end]):
        if m.start() >= start:  # 省内实现收入…: a place we have no region for
            add(Mention("region", m.start(), m.end(), entity=UNKNOWN_REGION), 8)
    places = alternation(list(lexicon.cue("place-suffix")))
    for m in re.finditer(rf"[{HAN}]{{2,4}}?(?:{places})", text[:end]):
        if m.start() < start:
            continue
        name = m.group()
        if not pats.region.search(name) and not any(
            name.startswith(w) for w in lexicon.cue("segment-stop")
        ):
            # 中国台湾地区: a place we have no region for; its figures are left out
            add(Mention("region", m.start(), m.end(), entity=UNKNOWN_REGION), 8)
    market = re.compile(alternation(list(lexicon.cue("market-wide"))))
    for m in market.finditer(text, start, end):
        add(Mention("market", m.start(), m.end()), 5)
    for m in pats.role.finditer(text, start, end):
        add(Mention("role", m.start(), m.end(), role=pats.role_by_name[compact(m.group())]), 7)
    cands.sort(key=lambda c: (c[0], c[1], c[2]))
    out: list[Mention] = []
    pos = start
    for begin, _, _, mention in cands:
        if begin >= pos:
            out.append(mention)
            pos = mention.end
    return out


_BARE = re.compile(r"(?<![\d.,A-Za-z])[-−+]?\d+(?:,\d{3})*(?:\.\d+)?(?![\d%％]|[.,]\d)")


def _table_cells(
    text: str, start: int, end: int, pats: Patterns, lexicon: Lexicon
) -> list[Mention]:
    """Bare numbers in a table written as text, one row a line, under a header naming the unit
    (（单位：万元） / 营业总收入：本报告期1,265,432.18，…): amounts in that unit; a unit in brackets
    in the row (基本每股收益（元）, 增减变动幅度(%)) holds for the numbers after it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if start != line_start or (end < line_end and text[end - 1] in "。！？"):
        return []  # a row is a whole line, no sentence
    scales = alternation(list(lexicon.scales))
    units = alternation([w for w in pats.unit_by_word if not pats.unit_by_word[w].generic])
    header_rx = re.compile(
        rf"[单單]位\s*[：:]\s*(?P<scale>{scales})?\s*(?P<unit>{units})\s*[）)]?\s*$"
    )
    marker_rx = re.compile(
        rf"[（(]\s*(?:(?P<pct>[%％])|(?P<scale>{scales})?(?P<unit>{units}))\s*[）)]"
    )
    header = None
    pos = line_start
    while pos > 0:  # up over the rows before this one, to the header
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev_start : pos - 1]
        header = header_rx.search(line)
        if header is not None or "。" in line or not re.search(r"\d", line):
            break
        pos = prev_start
    if header is None:
        return []
    out = []
    for m in _BARE.finditer(text, start, line_end):
        marks = list(marker_rx.finditer(text, line_start, m.start()))
        mark = marks[-1] if marks else header
        percent = bool(mark.groupdict().get("pct"))
        value = Decimal(m.group().replace(",", "").replace("−", "-"))
        unit = None
        if not percent:
            unit = pats.unit_by_word.get(compact(mark["unit"]))
            if mark["scale"]:
                value *= lexicon.scales[compact(mark["scale"])]
        else:
            unit = pats.unit_by_word.get("%")
        out.append(
            Mention(
                "quantity", m.start(), m.end(), value=value, unit=unit, percent=percent, scaled=True
            )
        )
    return out


# ---------------------------------------------------------------- structure


def _sentences(text: str) -> list[_Sentence]:
    """Sentences (trimmed), each with the index of its paragraph (line)."""
    out = []
    pos = 0
    for para, line in enumerate(text.split("\n")):
        for m in re.finditer(rf"[^{_SENTENCE_END}]+[{_SENTENCE_END}]*", line):
            s, e = pos + m.start(), pos + m.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append(_Sentence(s, e, para))
        pos += len(line) + 1
    return out


def _clause_of(text: str, start: int, end: int) -> list[int]:
    """Positions of clause breaks in ``text[start:end]`` (a comma between digits is not one)."""
    breaks = []
    for i in range(start, end):
        ch = text[i]
        if ch in CLAUSE_BREAK:
            if (
                ch == ","
                and 0 < i < len(text) - 1
                and text[i - 1].isdigit()
                and text[i + 1].isdigit()
            ):
                continue
            breaks.append(i)
    return breaks


# ---------------------------------------------------------------- periods


def _report_period(
    tagged: list[tuple[_Sentence, list[Mention]]], *, lead: int = 3
) -> Period | None:
    """The report's own period: the longest period (not a point in time) named in its first
    sentences (a headline says 2024年年度报告 before any figure of a quarter)."""
    found: list[Period] = []
    year: int | None = None
    for n, (_, mentions) in enumerate(tagged):
        if n >= lead and found:
            break
        for i, m in enumerate(mentions):
            if m.kind != "period" or m.period is None:
                continue
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            if re.fullmatch(r"\d{4}", m.period):
                year = int(m.period)
                if (
                    nxt is not None
                    and nxt.kind == "period"
                    and nxt.start - m.end <= 2
                    and "{year}" in (nxt.period or "")
                ):
                    continue  # 2024年第三季度: the word after the year names the period
            p = resolve_period(m.period, year, None)
            if p is None:
                continue
            if "{year}" not in m.period:
                year = p.year
            if not p.is_instant and not m.as_of:
                found.append(p)
    if not found:
        return Period(str(year)) if year else None
    return max(found, key=lambda p: (p.bounds()[1] - p.bounds()[0], -found.index(p)))


# ---------------------------------------------------------------- reading


def _window_has(window: str, words: tuple[str, ...], *, at_end: bool = False) -> str | None:
    for w in words:
        if window.endswith(w) if at_end else w in window:
            return w
    return None


def _last_pos(text: str, words: tuple[str, ...]) -> int:
    """Where the last of ``words`` in ``text`` starts (-1 when none)."""
    return max((text.rfind(w) for w in words), default=-1)


def _fits(metric: MetricInfo, q: Mention) -> bool:
    """Whether a quantity can be a value of a metric (by its unit)."""
    if q.percent:
        return metric.kind == "ratio"
    if q.unit is None:
        # 营收52.3亿: an amount with a scale and no unit is money in the report's currency
        return metric.kind == "count" or (q.scaled and metric.kind == "money")
    if q.unit.currency:
        # 68.4分, 12.5港仙: a hundredth of the currency is an amount per share, not 30分 of a time
        return metric.kind == "per-share" if q.minor else metric.kind in ("money", "per-share")
    if q.unit.code in ("percentage-point",):
        return False
    if metric.kind != "count":
        return False
    if q.unit.generic or metric.default_unit is None:
        return True
    if q.unit.broader is not None and q.unit.broader == metric.default_unit:
        return True  # 销量48.2万辆: a vehicle is a unit of goods
    return q.unit.code == metric.default_unit or {q.unit.code, metric.default_unit} == {
        "person",
        "user",
    }


def _unit_code(metric: MetricInfo, q: Mention) -> str | None:
    if q.percent:
        return "percent"
    if (
        q.unit is None
        or q.unit.generic
        or (metric.default_unit and {q.unit.code, metric.default_unit} == {"person", "user"})
    ):
        return metric.default_unit
    return q.unit.code


@dataclass
class _State:
    entity: Entity | None = None
    metric: MetricInfo | None = None
    metric_clause: int = -1
    share: bool = False  #: the metric in force is the numerator of a share (研发投入占收入的…)
    before_year: Period | None = None  #: the period in force before the last year named
    entity_clause: int = -1
    region_clause: int = -1
    #: the last run of metrics, entities or regions joined by 和/及/、 (营收和净利润分别为…)
    series: dict[str, list[Mention]] = field(default_factory=dict)
    resp_values: int = -1  #: values read so far after 分别
    resp_changes: int = -1  #: changes read so far after 分别
    resp_sign: int = 1
    resp_facts: list[int] = field(default_factory=list)  #: indexes of the facts made after 分别
    #: 分别同比增长12.5%、8.2%至52.3亿元、4.1亿元: changes read before the figures they are of
    resp_early: list[tuple[str, Decimal]] = field(default_factory=list)
    #: X为a，Y为b，分别增长c和d: the facts the changes after a trailing 分别 go to, in order
    tail_facts: list[int] = field(default_factory=list)
    tail_sign: int = 1
    tail_clause: int = -1
    compared: tuple[int, int] | None = None  #: (year, end) of the last 较2023年 read
    instant: Period | None = None  #: the last point in time named in the sentence (截至…)
    period: Period | None = None
    year: int | None = None
    region: Entity | None = None
    attributable: bool = False  #: a profit attributable to shareholders was named
    metric_at: int = -1  #: where the metric in force was named
    fact_at: int = -1  #: where the last figure made a fact
    blocked_clause: int = -1  #: the clause where a blocked metric was named (净关闭门店)
    metric_end: int = -1  #: where the last metric mention ended
    entity_end: int = -1  #: where the entity in force was named
    entity_sub: bool = False  #: it was named in a list opened by 其中
    market_at: int = -1  #: where a market-wide word stood right before a metric or product
    company_at: int = -1  #: where the sentence named a company (-1: it named none)
    elided: MetricInfo | None = None  #: the metric of the part named before the entity in force
    region_end: int = -1  #: where the region in force was named
    region_scene: bool = False  #: named in a sentence's opening 在…市场， (for all its clauses)
    level_at: int = -1  #: where the last figure that is no change stood (a fact or left out)


@dataclass(frozen=True)
class _Where:
    """Where a quantity stands: its clause and the text around it."""

    clause: int
    clause_start: int
    clause_text: str
    window: str  #: text since the previous mention, within the clause
    since_quantity: str  #: text since the previous quantity (or the clause start)
    after: str  #: a few characters after it, within the clause
    cue_text: str  #: the sentence up to the end of the quantity's clause
    previous: Mention | None  #: the mention just before it


class _Reader:
    def __init__(self, doc: Document, lexicon: Lexicon) -> None:
        self.doc = doc
        self.text = doc.text
        self.lex = lexicon
        self.pats = compile_patterns(lexicon)
        self.ents = EntityFinder(doc.text, lexicon, self.pats)
        self.facts: list[Fact] = []
        self.roles: list[Role] = []
        self.persons: list[Entity] = []
        self.currency = "CNY"

    def run(self) -> None:
        sentences = _sentences(self.text)
        tagged = [
            (s, _tag(self.text, s.start, s.end, self.pats, self.ents, self.lex)) for s in sentences
        ]
        self.report_period = _report_period(tagged)
        # the currency most amounts are written in: that of an amount written without one
        counts: dict[str, int] = {}
        for _, mentions in tagged:
            for m in mentions:
                if m.kind == "quantity" and m.unit is not None and m.unit.currency:
                    counts[m.unit.code] = counts.get(m.unit.code, 0) + 1
        self.currency = max(sorted(counts), key=lambda c: counts[c]) if counts else "CNY"
        paragraph = -1
        para = _State()
        for sentence, mentions in tagged:
            if sentence.paragraph != paragraph:
                paragraph = sentence.paragraph
                para = _State(
                    entity=self.ents.main_company,
                    period=self.report_period,
                    year=self.report_period.year if self.report_period else None,
                )
            self._roles(sentence, mentions)
            para = self._sentence(sentence, mentions, para)
        self.facts = _drop_bounds(self.facts)  # a headline's 首次突破40亿元 beside the exact figure
        self.facts = _drop_roundings(self.facts)  # 126.54亿元 after the table's 1,265,432.18万元

    # -- people and roles
    def _roles(self, sentence: _Sentence, mentions: list[Mention]) -> None:
        joiners = self.lex.cue("role-joiner")
        i = 0
        while i < len(mentions):
            if mentions[i].kind != "role":
                i += 1
                continue
            org = next(
                (
                    m.entity
                    for m in reversed(mentions[:i])
                    if m.kind == "entity" and m.entity and m.entity.kind == "company"
                ),
                None,
            )
            org = org or self.ents.main_company
            roles = [mentions[i]]
            j = i + 1
            while (
                j < len(mentions)
                and mentions[j].kind == "role"
                and self.text[roles[-1].end : mentions[j].start].strip() in (*joiners, "")
            ):
                roles.append(mentions[j])
                j += 1
            person = self._person_after(roles[-1].end, mentions[j] if j < len(mentions) else None)
            if person is not None and org is not None:
                src = self._source(sentence)
                for r in roles:
                    assert r.role is not None
                    self.roles.append(
                        Role(person=person, role=r.role, organization=org.iri, source=src)
                    )
            i = j

    def _person_after(self, pos: int, nxt: Mention | None) -> Entity | None:
        if nxt is not None and nxt.kind == "person" and nxt.start == pos:
            return nxt.entity
        for n in (3, 2):
            cand = self.text[pos : pos + n]
            rest = self.text[pos + n : pos + n + 4]
            if not re.fullmatch(rf"[{HAN}]{{{n}}}", cand):
                continue
            if any(rest.startswith(w) for w in self.lex.cue("not-a-name")) or (
                rest[:1] and rest[:1] in PUNCT_BEFORE_NAME + "也"
            ):
                e = Entity(
                    iri=f"{ID}person/{slug(cand)}",
                    kind="person",
                    label=cand,
                    known=False,
                    names=(cand,),
                )
                self.persons.append(e)
                return e
        return None

    # -- facts
    def _source(self, s: _Sentence) -> Source:
        a, b = self.doc.original_span(s.start, s.end)
        rep = self.doc.report
        return Source(
            report_sha256=rep.sha256, report_name=rep.name, start=a, end=b, text=rep.text[a:b]
        )

    def _sentence(self, sentence: _Sentence, mentions: list[Mention], para: _State) -> _State:
        text, lex = self.text, self.lex
        breaks = _clause_of(text, sentence.start, sentence.end)
        bounds = [sentence.start, *[b + 1 for b in breaks], sentence.end]

        def clause_of(pos: int) -> int:
            return sum(1 for b in breaks if b < pos)

        st = _State(entity=para.entity, period=para.period, year=para.year)
        facts: list[Fact] = []
        pending: list[tuple[str, Decimal, MetricInfo | None, int]] = []
        prev_end = last_q_end = sentence.start
        for k, m in enumerate(mentions):
            c = clause_of(m.start)
            window = text[max(prev_end, bounds[c]) : m.start]
            if m.kind in ("metric", "entity", "region"):
                run = st.series.get(m.kind, [])
                joined = bool(run) and text[run[-1].end : m.start].strip() in lex.cue(
                    "series-joiner"
                )
                st.series[m.kind] = [*run, m] if joined else [m]
                st.resp_values = st.resp_changes = -1
                st.resp_facts, st.resp_early = [], []
            if m.kind == "market":
                nxt = mentions[k + 1] if k + 1 < len(mentions) else None
                own = text[bounds[c] : m.start].rstrip().endswith(lex.cue("self"))
                if (
                    nxt is not None
                    and nxt.kind in ("metric", "entity")
                    and nxt.start == m.end
                    and not own
                ):
                    st.market_at = m.start  # 全国挖掘机销量, 两市成交额
            if m.kind == "entity" and m.entity is not None and m.entity.kind == "company":
                st.company_at = m.start
            if m.kind == "entity" and m.entity is not None:
                if st.metric is not None and st.metric_clause < c:
                    if st.entity is not None and st.entity.kind == m.entity.kind:
                        st.elided = st.metric  # A业务收入X；B业务Y: B's Y is of that metric too
                    st.metric, st.share = None, False
                if st.region_clause < c and not st.region_scene:
                    st.region = None
                st.entity, st.entity_clause, st.entity_end = m.entity, c, m.end
                st.entity_sub = bool(_window_has(text[bounds[c] : m.start], lex.cue("subpart")))
            elif m.kind == "region" and m.entity is not None:
                st.region, st.region_clause, st.region_end = m.entity, c, m.end
                # 在国内新能源乘用车市场，X的市场份额为…: the opening clause sets the scene
                st.region_scene = c == 0 and text[bounds[c] : m.start].strip() in lex.cue("scene")
                product = st.entity is not None and st.entity.kind == "product"
                if st.entity_clause < c and m.entity.iri != lex.world_region and not product:
                    st.entity = self.ents.main_company or st.entity
            elif m.kind == "metric" and m.metric is not None:
                lead = text[max(bounds[c], st.metric_end) : m.start]
                self._metric(m, st, c, window, lead, text[prev_end : m.start])
                word = self.pats.period_word.match(text, m.start, m.end)
                if word is not None and word.end() < m.end:  # 中期股息: the interim period
                    template = self.pats.period_by_word[compact(word.group())]
                    p = resolve_period(template, st.year, self.report_period)
                    if p is not None:
                        st.period = p
            elif m.kind == "non-metric":
                st.metric, st.metric_clause, st.share = None, c, False
            elif m.kind == "noise" and m.period is not None:
                st.compared = (int(m.period), m.end)  # 较2023年度的…: a figure of that year
            elif m.kind == "period" and m.period is not None:
                if re.fullmatch(r"\d{4}", m.period):
                    st.year, st.before_year = int(m.period), st.period
                # 2023年同期: the period in force before the year (else the report's) in that year
                base = st.before_year if m.period == "{report-in-year}" else None
                p = resolve_period(m.period, st.year, base or self.report_period)
                if p is not None:
                    st.period = p
                    st.year = p.year if not re.fullmatch(r"\d{4}", m.period) else st.year
                    if p.is_instant:
                        st.instant = p
            elif m.kind == "quantity":
                where = _Where(
                    clause=c,
                    clause_start=bounds[c],
                    clause_text=text[bounds[c] : bounds[c + 1]],
                    window=window,
                    since_quantity=text[max(last_q_end, bounds[c]) : m.start],
                    after=text[m.end : min(m.end + 6, bounds[c + 1])],
                    cue_text=text[sentence.start : bounds[c + 1]],
                    previous=mentions[k - 1] if k else None,
                )
                self._quantity(m, mentions[k + 1 :], st, where, facts, pending, sentence)
                last_q_end = m.end
            prev_end = m.end
        self.facts.extend(_drop_bounds(facts))
        para.entity = st.entity if st.entity is not None else para.entity
        if st.period is not None and st.period != para.period:
            para.period, para.year = st.period, st.year
        return para

    def _metric(
        self, m: Mention, st: _State, c: int, window: str, lead: str = "", since: str = ""
    ) -> None:
        """A metric mention comes into force, or is the denominator of a share, or is blocked.

        ``window`` is the text since the mention before; ``lead``, since the clause began
        (归属于云帆股东的净利润: the short name is a mention between the cue and the metric);
        ``since``, since the mention before across clauses (按非美国通用会计准则，净利润…)."""
        lex = self.lex
        assert m.metric is not None
        name = compact(self.text[m.start : m.end])
        share_words = lex.cue("share")
        if st.metric is not None and st.metric.kind != "ratio" and st.metric.share_metric:
            if len(window) <= 8 and _window_has(window, share_words):
                st.share = True  # 研发投入占营业收入的…: 营业收入 is the denominator
                return
            if m.metric.kind == "ratio" and any(name.startswith(w) for w in share_words):
                st.share = True  # 占总收入的…: a share of the metric in force
                return
        if name in lex.cue("bare-change") and st.level_at > st.fact_at:
            # 经销商数量为2,156家，较上年末净增加87家: the change of a figure left out
            st.metric, st.metric_clause, st.share = None, c, False
            return
        if _window_has(window[-12:], lex.cue("metric-blocker")):
            st.metric, st.metric_clause, st.share = None, c, False
            st.blocked_clause = c
            return
        metric = m.metric
        adjusted = lex.cue("adjusted")
        # 按非美国通用会计准则，净利润为…: the cue may stand clauses before, with no mention between
        if (_window_has(lead or window, adjusted) or _window_has(since, adjusted)) and (
            metric.adjusted_metric
        ):
            metric = lex.metrics.get(metric.adjusted_metric, metric)
        elif _window_has((lead or window)[-12:], lex.cue("attributable")):
            st.attributable = True  # 归属于…股东的: so is a profit named later in the sentence
            metric = lex.metrics.get(metric.attributable_metric or "", metric)
        elif st.attributable and metric.attributable_metric:
            metric = lex.metrics.get(metric.attributable_metric, metric)
        if st.entity_clause < c and _window_has(window[-4:], lex.cue("whole-company"), at_end=True):
            st.entity = self.ents.main_company or st.entity  # 综合毛利率: the whole company's
        st.metric, st.metric_clause, st.share = metric, c, False
        st.metric_at, st.metric_end = m.start, m.end

    def _quantity(
        self,
        q: Mention,
        rest: list[Mention],
        st: _State,
        where: _Where,
        facts: list[Fact],
        pending: list[tuple[str, Decimal, MetricInfo | None, int]],
        sentence: _Sentence,
    ) -> None:
        lex = self.lex
        assert q.value is not None
        window, near = where.window, where.window[-6:]
        if _window_has(where.window[-4:], lex.cue("conversion")) or _translation(
            q, where, lex.cue("approximate")
        ):
            return  # 约合133.6亿美元, 24.3亿元(3.35亿美元): the same figure in another currency
        up, down = _window_has(near, lex.cue("increase")), _window_has(near, lex.cue("decrease"))
        to_level = _window_has(window.rstrip("了 "), lex.cue("to"), at_end=True)
        lists = [run for run in st.series.values() if len(run) >= 2]
        series = max(lists, key=lambda run: run[-1].end) if lists else []
        resp = bool(series) and bool(
            _window_has(self.text[series[-1].end : q.start], lex.cue("respectively"))
        )
        if resp and q.percent and not to_level and (up or down or st.resp_changes >= 0):
            # 同比分别增长12%和8%: the n-th change belongs to the n-th figure after 分别
            if up or down:
                st.resp_sign = -1 if down and not up else 1
            st.resp_changes += 1
            kind = "qoq" if _window_has(where.clause_text, lex.cue("qoq")) else "yoy"
            if st.resp_changes < len(st.resp_facts):
                i = st.resp_facts[st.resp_changes]
                facts[i] = _with_change(facts[i], kind, st.resp_sign * q.value)
            elif not st.resp_facts:
                st.resp_early.append((kind, st.resp_sign * q.value))
            return
        if not resp and q.percent and not to_level:
            trailing = (up or down) and _window_has(window, lex.cue("respectively"))
            if trailing and not st.tail_facts:
                clause_end = where.clause_start + len(where.clause_text)
                k = 1 + sum(1 for m in rest if m.start < clause_end and m.percent)
                if 2 <= k <= len(facts):
                    st.tail_facts = list(range(len(facts) - k, len(facts)))
                    st.tail_clause = where.clause
            if st.tail_facts and st.tail_clause == where.clause:
                if up or down:
                    st.tail_sign = -1 if down and not up else 1
                i = st.tail_facts.pop(0)
                kind = "qoq" if _window_has(where.clause_text, lex.cue("qoq")) else "yoy"
                facts[i] = _with_change(facts[i], kind, st.tail_sign * q.value)
                return
        if q.percent and not (up or down) and not to_level:
            label = window.rstrip()
            if not label and where.previous is not None:
                # 增减变动幅度(%)：-10.44: the change named before a colon opening the clause
                before = self.text[where.previous.end : where.clause_start].rstrip()
                label = before[:-1].rstrip() if before.endswith(("：", ":")) else label
                starts = tuple(
                    w for w, t in self.pats.period_by_word.items() if t == "{report-start}"
                )
                if label and _window_has(where.cue_text, starts):
                    return  # 本报告期末A，本报告期初B，增减变动幅度(%)：C: since the year began
            yoy = _window_has(label, lex.cue("yoy"), at_end=True)
            qoq = _window_has(window.rstrip(), lex.cue("qoq"), at_end=True)
            if yoy or qoq:  # 同比+12.5%, 同比-3.2%: a signed change
                kind = "qoq" if qoq else "yoy"
                if q.flat and st.metric is not None and st.metric.kind == "ratio":
                    return  # 毛利率同比持平: a change in points, none of ours
                if st.level_at > max(st.fact_at, st.metric_at):
                    return  # the change of a figure left out
                self._attach(kind, q.value, st.metric, facts, pending, where.clause)
                return
        if q.flat:
            return
        if (up or down) and not to_level:
            # a change, not a level: a percentage is the change of a figure; an amount is left out
            if q.percent and not _window_has(where.since_quantity, lex.cue("since-year-end")):
                kind = "qoq" if _window_has(where.clause_text, lex.cue("qoq")) else "yoy"
                value = (
                    -q.value
                    if (down and not up) or (down and up and len(down) > len(up))
                    else q.value
                )
                part = self.text[where.clause_start : max(st.metric_at, where.clause_start)]
                if st.level_at > max(st.fact_at, st.metric_at):
                    # 手续费净收入为2.41亿元，同比下滑46.2%: the change of a figure left out
                    log.debug("the change of a figure left out at %d", q.start)
                elif st.metric_at > st.fact_at and _window_has(part, lex.cue("subpart")):
                    # 其中抖音平台收入同比增长逾四倍: a part's metric named after the last figure;
                    # the change is of no figure before it: left out
                    log.debug("a change of a part with no figure at %d", q.start)
                else:
                    self._attach(kind, value, st.metric, facts, pending, where.clause)
            return
        if q.unit is not None and (
            q.unit.code == "percentage-point" or q.unit.change_multiplier is not None
        ):
            return
        st.level_at = q.start
        if st.market_at >= 0 and st.company_at < 0:
            log.debug("a figure of the whole market at %d", q.start)
            return
        tail = where.window[-5:]
        if _window_has(tail, lex.cue("at-most")) and not _window_has(tail, lex.cue("at-least")):
            log.debug("a ceiling, not a figure, at %d", q.start)
            return
        if _window_has(where.window, lex.cue("consensus")):
            log.debug("others' expectation, not the company's figure, at %d", q.start)
            return
        if _unknown_head(where.window, lex):
            log.debug("a figure of no metric of ours at %d", q.start)
            return
        if q.percent and re.search(rf"[{HAN}]率", where.window):
            log.debug("a rate we have no metric for at %d", q.start)
            return
        if _window_has(where.window, lex.cue("total-of-several")) and "、" in where.cue_text:
            log.debug("left out a total of several items at %d", q.start)
            return
        if _is_range(q, where.previous, rest, self.text, lex):
            log.debug("left out a range at %d", q.start)
            return
        item = None
        if resp:
            st.resp_values += 1
            if st.resp_values >= len(series):
                log.debug("more figures than items before 分别 at %d", q.start)
                return
            item = series[st.resp_values]
        metric = item.metric if item is not None and item.metric is not None else None
        if metric is None or not _fits(metric, q):
            metric = self._metric_for(q, rest, st, where)
        if metric is None:
            log.debug("no metric fits the figure %r at %d", self.text[q.start : q.end], q.start)
            return
        entity = st.entity or self.ents.main_company
        if (
            entity is not None
            and st.entity_sub
            and entity.kind == "segment"
            and re.search("[；;]", self.text[st.entity_end : q.start])
        ):
            # 其中直营店412家、加盟店1,906家；上半年净新增137家: the list of parts ended at ；
            entity = self.ents.main_company or entity
        if item is not None and item.kind == "entity":
            entity = item.entity
        region = item.entity if item is not None and item.kind == "region" else st.region
        if (
            item is None
            and region is not None
            and re.search("[；;]", self.text[st.region_end : q.start])
        ):
            region = None  # …于中国内地净关闭门店624家；集团雇员约32,000名: a new item
        if region is UNKNOWN_REGION:
            log.debug("a figure of a place we have no region for at %d", q.start)
            return
        period = st.period
        if (
            metric.point_in_time
            and st.instant is not None
            and period is not None
            and not period.is_instant
            and period.bounds()[0] <= st.instant.bounds()[1] <= period.bounds()[1]
        ):
            period = st.instant  # 截至年底门店9,586家，全年净增1,852家，其中海外门店426家
        compared = (  # 较2023年度的180.2亿元: a figure of the year before
            st.compared is not None
            and period is not None
            and st.compared[1] >= q.start - len(where.since_quantity)
            and st.compared[0] == period.year - 1
        )
        since = where.since_quantity
        for w in lex.cue("since-year-end"):
            since = since.replace(w, " ")  # 较上年末净增4,100家: no figure of the year before
        if period is not None and (compared or _window_has(since, lex.cue("prior-year"))):
            period = period.previous_year()
        if period is not None and period.is_instant and metric.flow_only:
            period = self._flow_period(period)  # 截至年底…年内海外净增49家: the year's
        unit = _unit_code(metric, q)
        if q.unit is None and metric.kind == "money":
            unit = self.currency
        value = q.value
        if value < 0 and metric.negative_metric in lex.metrics:
            metric, value = lex.metrics[metric.negative_metric], -value  # 归母净利润为-3.2亿元
        if metric.kind == "per-share":
            before = where.clause_text[: q.start - where.clause_start]
            if _window_has(before, lex.cue("total-of-several")):
                log.debug("a total paid, not a figure per share, at %d", q.start)
                return  # 合计派发现金红利5.08亿元
            value = value / _shares_per(before, lex)
        if entity is None or period is None or unit is None:
            log.debug("no entity, period or unit for the figure at %d", q.start)
            return
        fact = Fact(
            entity=entity,
            metric=metric.iri,
            period=period,
            value=value,
            unit=unit,
            source=self._source(sentence),
            qualifiers=self._qualifiers(q, where, period),
            region=region.iri if region is not None and region.iri != lex.world_region else None,
        )
        for kind, val, pm, pc in list(pending):
            if (pm is None or pm.iri == metric.iri) and where.clause - pc <= 1:
                fact = _with_change(fact, kind, val)
                pending.remove((kind, val, pm, pc))
        if resp:
            n = len(st.resp_facts)
            if n < len(st.resp_early) and fact.yoy_pct is None and fact.qoq_pct is None:
                fact = _with_change(fact, *st.resp_early[n])
            st.resp_facts.append(len(facts))
        facts.append(fact)
        st.fact_at = q.start

    def _flow_period(self, instant: Period) -> Period:
        """The period a flow (净增门店, 收入) ending on ``instant`` covers: the report's when it
        ends there, else the calendar year ending on 31 December; else the point stays."""
        end = instant.bounds()[1]
        rp = self.report_period
        if rp is not None and not rp.is_instant and rp.bounds()[1] == end:
            return rp
        if (end.month, end.day) == (12, 31):
            return Period(str(end.year))
        return instant

    def _metric_for(
        self, q: Mention, rest: list[Mention], st: _State, where: _Where
    ) -> MetricInfo | None:
        """The metric a quantity is a value of: the one in force, the one right after it, or
        the one its unit implies; None when none fits."""
        lex = self.lex
        metric = st.metric
        shared = st.share or _window_has(where.window, lex.cue("share"))
        if (
            metric is not None
            and q.percent
            and metric.kind != "ratio"
            and metric.share_metric
            and shared
        ):
            metric = lex.metrics.get(metric.share_metric)
        if metric is not None and _fits(metric, q):
            return metric
        if (
            metric is None
            and st.elided is not None
            and st.entity_clause == where.clause
            and not q.percent
            and _fits(st.elided, q)
            and self.text[st.entity_end : q.start].strip() in ("", *lex.cue("copula"))
        ):
            st.metric, st.metric_clause = st.elided, where.clause  # IoT业务1041亿元
            return st.elided
        nxt = next((m for m in rest if m.kind in ("metric", "quantity")), None)
        if nxt is not None and nxt.kind == "metric" and nxt.metric is not None:
            gap = self.text[q.end : nxt.start]
            if len(gap) <= 3 and not set(gap) & set(CLAUSE_BREAK) and _fits(nxt.metric, q):
                return nxt.metric
        if (
            q.unit is not None
            and q.unit.default_metric
            and metric is None
            and st.entity_clause == where.clause
            and st.blocked_clause != where.clause
        ):
            return lex.metrics.get(q.unit.default_metric)
        return None

    def _qualifiers(self, q: Mention, where: _Where, period: Period) -> tuple[str, ...]:
        lex = self.lex
        quals = set()
        near = where.window[-4:]
        for key in ("approximate", "more-than", "at-least"):
            words = lex.cue(key)
            if _window_has(near, words) or any(
                where.after.startswith(w) for w in words if len(w) > 1
            ):
                quals.add(key)
        if any(where.after.startswith(w) for w in lex.cue("more-than-after")):
            quals.add("more-than")  # 1.2万余家
        own = where.cue_text
        for w in lex.cue("consensus"):
            own = own.replace(w, "#" * len(w))  # 市场预期: nobody's forecast of ours
        forecast = _last_pos(own, lex.cue("forecast"))
        target = _last_pos(where.cue_text, lex.cue("target"))
        if _window_has(where.clause_text, lex.cue("target-clause")):
            target = max(target, len(where.cue_text) - len(where.clause_text))
        if forecast >= 0 and forecast >= target:
            quals.add("forecast")
        elif target >= 0 or (
            self.report_period
            and period.kind == "year"
            and period.bounds()[0] > self.report_period.bounds()[1]
        ):
            quals.add("target")
        return tuple(w for w in QUALIFIERS if w in quals)

    def _attach(
        self,
        kind: str,
        value: Decimal,
        metric: MetricInfo | None,
        facts: list[Fact],
        pending: list[tuple[str, Decimal, MetricInfo | None, int]],
        clause: int,
    ) -> None:
        field = f"{kind}_pct"
        for i in range(len(facts) - 1, -1, -1):
            f = facts[i]
            if metric is not None and f.metric != metric.iri:
                continue
            if _is_prior(f, facts):
                continue
            if getattr(f, field) is None:
                facts[i] = _with_change(f, kind, value)
                return
            break
        pending.append((kind, value, metric, clause))


def _translation(q: Mention, where: _Where, approximate: tuple[str, ...]) -> bool:
    """Whether ``q`` restates the amount before it in another currency: 24.3亿元(3.35亿美元),
    159亿元（约22.7亿美元）."""
    prev = where.previous
    return (
        prev is not None
        and prev.kind == "quantity"
        and prev.unit is not None
        and q.unit is not None
        and prev.unit.currency
        and q.unit.currency
        and prev.unit.code != q.unit.code
        and re.sub(f"(?:{alternation(list(approximate))})$", "", where.window.strip())
        in ("(", "（")
    )


def _unknown_head(window: str, lex: Lexicon) -> bool:
    """Whether the words right before a figure name something we have no metric for:
    客户数达1.32亿户, 管理费用为19.6亿元, EBITDA为1,218.5亿元."""
    tail = window.rstrip()
    trailing = (*lex.cue("copula"), *lex.cue("approximate"), *lex.cue("more-than"))
    changed = True
    while changed:
        changed = False
        for w in trailing:
            if tail.endswith(w):
                tail, changed = tail[: -len(w)].rstrip(), True
                break
    heads = alternation(list(lex.cue("unknown-head")))
    words = alternation([w for w in lex.cue("unknown-head") if len(w) >= 2])  # 市值, 费用
    return bool(re.search(rf"(?:[{HAN}]{{2}}(?:{heads})|(?:{words})|[A-Z]{{3,}})$", tail))


def _shares_per(before: str, lex: Lexicon) -> Decimal:
    """How many shares a per-share figure is written for: 每10股派发现金红利… -> 10."""
    per, word = alternation(list(lex.cue("per"))), alternation(list(lex.cue("share-word")))
    numerals = "".join(lex.numerals)
    found = list(re.finditer(rf"(?:{per})\s*(?P<n>\d+|[{numerals}]+)\s*(?:{word})", before))
    if not found:
        return Decimal(1)
    n = found[-1]["n"]
    count = int(n) if n.isdigit() else chinese_numeral(n, lex)
    return Decimal(count) if count else Decimal(1)


def _with_change(fact: Fact, kind: str, value: Decimal) -> Fact:
    """The fact with its year-on-year (kind "yoy") or quarter-on-quarter change set."""
    return replace(fact, yoy_pct=value) if kind == "yoy" else replace(fact, qoq_pct=value)


def _is_range(
    q: Mention, prev: Mention | None, rest: list[Mention], text: str, lex: Lexicon
) -> bool:
    """Whether a quantity is an end of a range (10.40欧元至11.00欧元, 5%-8%)."""
    joiners = ("-", "~", "～", "—", *lex.cue("to"))

    def same_unit(a: Mention, b: Mention) -> bool:
        return a.kind == b.kind == "quantity" and (a.unit.code if a.unit else None) == (
            b.unit.code if b.unit else None
        )

    nxt = rest[0] if rest else None
    if nxt is not None and same_unit(q, nxt) and text[q.end : nxt.start].strip() in joiners:
        return True
    return prev is not None and same_unit(prev, q) and text[prev.end : q.start].strip() in joiners


def _is_prior(f: Fact, facts: list[Fact]) -> bool:
    """Whether ``f`` is the year-before figure of another fact of the same sentence."""
    return any(
        g is not f
        and g.metric == f.metric
        and g.entity == f.entity
        and g.period.previous_year() == f.period
        for g in facts
    )


def _drop_bounds(facts: list[Fact]) -> list[Fact]:
    """Drop a threshold (破千亿元) where the sentence, or the report, states the exact figure
    that passes it."""

    def key(f: Fact) -> tuple[object, ...]:
        return (f.entity.iri, f.metric, f.period, f.region, "target" in f.qualifiers)

    bound = {"more-than", "at-least"}
    exact: dict[tuple[object, ...], list[Decimal]] = {}
    for f in facts:
        if not bound & set(f.qualifiers):
            exact.setdefault(key(f), []).append(f.value)
    return [
        f
        for f in facts
        if not (bound & set(f.qualifiers) and any(v >= f.value for v in exact.get(key(f), ())))
    ]


def _drop_roundings(facts: list[Fact]) -> list[Fact]:
    """Drop a figure that restates, rounded, a more precise one of the same fact."""

    def key(f: Fact) -> tuple[object, ...]:
        return (f.entity.iri, f.metric, f.period, f.region, f.unit, f.qualifiers)

    values: dict[tuple[object, ...], list[Decimal]] = {}
    for f in facts:
        values.setdefault(key(f), []).append(f.value)

    def exponent(d: Decimal) -> int:
        e = d.normalize().as_tuple().exponent
        return e if isinstance(e, int) else 0

    def restated(f: Fact) -> Decimal | None:
        """The more precise value ``f`` rounds, if any."""
        step = exponent(f.value)
        for v in values[key(f)]:
            finer = f.value != 0 and v != f.value and exponent(v) < step
            if finer and v.quantize(Decimal(1).scaleb(step)) == f.value:
                return v
        return None

    changes: dict[tuple[tuple[object, ...], Decimal], Decimal] = {}
    kept = []
    for f in facts:
        v = restated(f)
        if v is None:
            kept.append(f)
        elif f.yoy_pct is not None:
            changes.setdefault((key(f), v), f.yoy_pct)  # its change is the precise figure's
    return [
        replace(f, yoy_pct=changes[key(f), f.value])
        if f.yoy_pct is None and (key(f), f.value) in changes
        else f
        for f in kept
    ]


# ---------------------------------------------------------------- entry point


def extract(doc: Document, lexicon: Lexicon) -> Extraction:
    """Find the facts, entities and roles stated in ``doc``."""
    reader = _Reader(doc, lexicon)
    reader.run()
    seen: dict[str, Entity] = {}
    for f in reader.facts:
        seen.setdefault(f.entity.iri, f.entity)
    for r in reader.roles:
        seen.setdefault(r.person.iri, r.person)
    for e in reader.ents.minted:
        if e.iri in seen or any(x.parent == e.iri for x in seen.values()):
            seen.setdefault(e.iri, e)
    # the parents of minted segments
    for e in list(seen.values()):
        parent = e.parent
        while parent and parent not in seen:
            pe = next((x for x in reader.ents.minted if x.iri == parent), None) or lexicon.entity(
                parent
            )
            if pe is None:
                break
            seen[parent] = pe
            parent = pe.parent
    if reader.ents.main_company is not None:
        seen.setdefault(reader.ents.main_company.iri, reader.ents.main_company)
    return Extraction(
        report=doc.report,
        facts=tuple(reader.facts),
        entities=tuple(sorted(seen.values(), key=lambda e: e.iri)),
        roles=tuple(reader.roles),
        repairs=doc.repairs,
        warnings=doc.warnings,
    )
