"""The stages of extraction one by one (xmgraph.extract's context, fact, metric, roles,
frame_rules …): each test holds a behaviour a mutant of the stage changed unnoticed (the
mutation run of benchmarks/README.md, "Second run (branch mut6)")."""

from __future__ import annotations

import itertools
import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xmgraph.extract import explain, extract, load_rules
from xmgraph.extract.context import basis_sections, window_has
from xmgraph.extract.fact import _slash_index, fits
from xmgraph.extract.figure import slashes_before, unsaid_on_a_day
from xmgraph.extract.filters import is_range
from xmgraph.extract.frame_rules import _bracketed
from xmgraph.extract.periods import published_interim, resolve
from xmgraph.extract.sentences import clause_breaks, sentences
from xmgraph.extract.tables import _month_columns
from xmgraph.lexicon import load_lexicon
from xmgraph.model import Extraction, Period, plain_decimal
from xmgraph.normalize import normalize
from xmgraph.patterns import Mention
from xmgraph.read import read_bytes

ID = "https://w3id.org/xmgraph/id/"
ONT = "https://w3id.org/xmgraph/ont#"


def _doc(text: str, name: str):
    lex = load_lexicon()
    return normalize(read_bytes(text.encode("utf-8"), name=name), vocabulary=lex.vocabulary), lex


def extraction_of(text: str, name: str = "t.txt") -> Extraction:
    doc, lex = _doc(text, name)
    return extract(doc, lex)


def rows(text: str) -> list[tuple[str, str, str, str]]:
    """(entity label, metric, period, value) of each fact of ``text``."""
    return sorted(
        (f.entity.label, f.metric.rsplit("/", 1)[-1], f.period.code, plain_decimal(f.value))
        for f in extraction_of(text).facts
    )


def roles_of(text: str) -> set[tuple[str, str, str | None]]:
    """(person, role, organization) of each role of ``text``, IRIs without their base."""
    return {
        (r.person.iri.removeprefix(ID), r.role.removeprefix(ONT), (r.organization or "")[len(ID) :])
        for r in extraction_of(text).roles
    }


# --- extract (__init__) ---


def test_a_segments_parent_segment_is_an_entity_of_the_extraction():
    """智能手机 is a segment of 手机×AIoT, itself a segment of Xiaomi: the middle one is kept."""
    iris = {e.iri for e in extraction_of("小米集团2024年智能手机收入为1918亿元。").entities}
    assert f"{ID}org/xiaomi/smartphone-aiot" in iris


def test_a_currency_note_may_name_the_currency_by_its_code():
    """（HKD，下同）: a code written before amounts, not after them, declares the currency."""
    (fact,) = extraction_of("华辰科技2024年营收为52.3亿元（HKD，下同）。").facts
    assert fact.unit == "HKD"


def test_a_year_of_a_company_with_a_fiscal_year_is_its_fiscal_year():
    """阿里健康's year ends on 31 March: the report's 2025 is April 2024 to March 2025."""
    (fact,) = extraction_of("阿里健康公布2025财年业绩。\n营业额为305.8亿元。").facts
    assert fact.period.code == "2024-04-01/2025-03-31"


# --- context ---


def test_window_has_at_the_end_gives_the_word_that_ends_the_window():
    """A word of the set elsewhere in the window is not the one at its end."""
    assert window_has("去年同期上年", ("去年", "上年"), at_end=True) == "上年"
    assert window_has("去年同期上年", ("去年", "上年")) == "去年"


def test_a_facts_source_names_its_report():
    (fact,) = extraction_of("华辰科技2024年营收为52.3亿元。", name="hc-2024.txt").facts
    assert fact.source.report_name == "hc-2024.txt"


# --- fact ---


def _quantity(**kw) -> Mention:
    return Mention("quantity", 0, 4, value=Decimal(1), **kw)


def test_a_scaled_amount_without_a_unit_fits_money_and_counts_only():
    metrics = {m.iri.rsplit("/", 1)[-1]: m for m in load_lexicon().metrics.values()}
    q = _quantity(scaled=True)
    assert fits(metrics["Revenue"], q)
    assert fits(metrics["Employees"], q)
    assert not fits(metrics["GrossMargin"], q)


def test_a_unit_of_goods_fits_a_count_of_goods_only():
    """辆 is a unit of goods: a count of goods (sales volume), not of people."""
    lex = load_lexicon()
    metrics = {m.iri.rsplit("/", 1)[-1]: m for m in lex.metrics.values()}
    vehicle = next(u for u in lex.units if u.code == "vehicle")
    assert fits(metrics["SalesVolume"], _quantity(unit=vehicle))
    assert not fits(metrics["Employees"], _quantity(unit=vehicle))


def test_the_trace_of_a_fact_holds_the_fact():
    doc, lex = _doc("华辰科技2024年营收为52.3亿元。", "t.txt")
    explained = explain(doc, lex)
    (fact,) = explained.extraction.facts
    traced = [f for s in explained.sentences for f in s.figures if f.outcome == "fact"]
    assert [t.fact.value if t.fact else None for t in traced] == [fact.value]


def test_a_figure_after_a_year_range_with_no_slash_list_is_of_the_whole_range():
    """300亿元，5年内…: a digit after the figure is no slash list; the range stays whole."""
    text = "华辰科技发布2024年业绩。2025-2027年营收目标为300亿元，5年内翻倍。"
    (fact,) = extraction_of(text).facts
    assert (fact.period.code, fact.value) == ("2025-01-01/2027-12-31", Decimal(30000000000))


# --- metric ---


def test_one_variant_at_most_for_a_metric_mention():
    """经调整归属于…股东的净利润: the adjusted variant is taken; the attributable one is not, so
    a profit named later in the sentence is not made attributable."""
    got = rows("华辰科技2024年经调整归属于华辰科技股东的净利润为12.3亿元，净利润为10.1亿元。")
    assert ("华辰科技", "NetProfit", "2024", "1010000000") in got


# --- roles ---


def test_the_company_of_a_role_is_the_one_named_last_before_it():
    text = "华辰科技发布2024年业绩。小米集团董事长雷军在发布会上说，收入增长。"
    assert ("person/lei-jun", "Chairman", "org/xiaomi") in roles_of(text)


def test_a_segment_named_before_a_role_is_not_its_company():
    text = "华辰科技发布2024年业绩。小米集团智能手机部总裁王五表示，收入增长。"
    assert roles_of(text) == {("person/wang-wu", "President", "org/xiaomi")}


def test_a_role_with_no_company_before_it_is_of_the_reports_company():
    text = "华辰科技发布2024年业绩。董事长张伟表示，将与小米集团合作。"
    assert roles_of(text) == {("person/zhang-wei", "Chairman", "org/hua-chen-ke-ji")}


def test_an_adverb_after_a_name_is_no_part_of_it():
    """张伟也表示: 也 ("too") stands between the name and the verb."""
    text = "华辰科技发布2024年业绩。董事长张伟也表示，将与小米集团合作。"
    assert roles_of(text) == {("person/zhang-wei", "Chairman", "org/hua-chen-ke-ji")}


def test_roles_joined_by_jian_are_both_the_persons():
    text = "华辰科技发布2024年业绩。华辰银行首席执行官兼总裁李明，负责业务。"
    got = roles_of(text)
    assert {r[:2] for r in got} == {("person/li-ming", "CEO"), ("person/li-ming", "President")}


def test_a_known_person_after_a_role_is_the_lexicons():
    """雷军 is in the gazetteer: his entity is the known one (its label, its company)."""
    ex = extraction_of("华辰科技发布2024年业绩。小米集团董事长雷军在发布会上说，收入增长。")
    (lei,) = [e for e in ex.entities if e.iri == f"{ID}person/lei-jun"]
    assert (lei.kind, lei.label, lei.parent) == ("person", "Lei Jun", f"{ID}org/xiaomi")


def test_a_minted_person_is_a_person():
    ex = extraction_of("华辰科技董事长张伟表示，公司2024年营收为52.3亿元。")
    assert [(r.person.kind, r.person.label) for r in ex.roles] == [("person", "张伟")]


# --- frame_rules ---


def test_a_figure_inside_brackets_is_bracketed():
    """The docstring's cases, and a line after the figure that changes nothing."""
    assert _bracketed("亏损8600万港元(2021年:2900万港元)。", 13)
    assert not _bracketed("（2021年）。2022年", 10)
    assert not _bracketed("(2021年)(2022年)。2023年", 16)
    assert _bracketed("亏损8600万港元(2021年:2900万港元)。\n下一行", 13)


# --- sentences ---


def test_a_comma_after_digits_breaks_the_clause_unless_digits_follow():
    assert clause_breaks("收入12,", 0, 5) == [4]
    assert clause_breaks("收入12,净利", 0, 7) == [4]
    assert clause_breaks("收入12,3亿", 0, 7) == []


def test_a_heading_after_citations_is_a_sentence_of_its_own():
    assert [(s.start, s.end) for s in sentences("收入增长[1] 业务回顾")] == [(0, 7), (8, 12)]


# --- figure ---


def test_a_change_of_a_day_unsaid_goes_to_no_figure_but_a_quarters_does():
    day = Period("2024-12-31")
    assert unsaid_on_a_day(day, "yoy", said=False)
    assert not unsaid_on_a_day(day, "qoq", said=False)


def test_a_fall_through_zero_is_no_change_of_the_loss():
    """-199.82 %: the profit of the year before became this loss; no change of the loss."""
    text = (
        "华辰科技2024年第四季度业绩摘要\n| 项目 | 本报告期 | 上年同期 | 增减变动幅度 |\n"
        "| 归属于上市公司股东的净利润 | (9,852.84) | 9,870.47 | -199.82% |"
    )
    (loss,) = [f for f in extraction_of(text).facts if f.metric.endswith("/NetLoss")]
    assert loss.yoy_pct is None


# --- frame_rules: periods carried ---


def test_a_year_after_qunian_is_not_carried_to_the_next_sentence():
    text = "华辰科技2024年营收为52.3亿元，去年2023年为48.1亿元。净利润为3.2亿元。"
    assert ("华辰科技", "NetProfit", "2024", "320000000") in rows(text)


# --- periods ---


def test_a_period_that_ends_on_the_day_of_publication_is_of_that_year():
    """第三季 published on 30 September 2025: 2025-Q3 (it has ended), not 2024-Q3."""
    assert resolve("{year}-Q3", None, None, date(2025, 9, 30)) == Period("2025-Q3")
    assert resolve("{year}-Q3", None, None, date(2025, 9, 29)) == Period("2024-Q3")


def test_the_loss_end_of_a_range_across_zero_is_its_lower_bound():
    """-500万元至0.5万元: the loss is the lower end, however small the profit at the other end
    (amounts of money under 1,000 yuan are no company's: filters.implausible-amount)."""
    (loss,) = [
        f
        for f in extraction_of("华辰科技预计2024年净利润为-500万元至0.5万元。").facts
        if f.metric.endswith("/NetLoss")
    ]
    assert "lower-bound" in loss.qualifiers


def test_a_year_compared_with_is_not_the_reports_year():
    """由2024年的9.12亿港元扩大至…: the only year written is the one compared with, so 期内
    (the report's period) has no year and its figures are left out."""
    text = (
        "华辰地铁(01234)期内总收入跌3.8%至312.40亿港元，"
        "投资物业公允价值亏损由2024年的9.12亿港元扩大至11.5亿港元。"
    )
    assert [r for r in rows(text) if r[1] == "Revenue"] == []
    assert ("华辰地铁", "Revenue", "2024", "31240000000") in rows(
        text.replace(")", ")公布2024年业绩，", 1)
    )


def test_this_years_half_is_the_reports_period_not_this_year():
    """今年上半年 in the lead: the report is on the half (期内 is that half), not on 2025."""
    text = (
        "date 2025-09-22\n华辰光学股价平稳\n"
        "华辰光学(02999)此前披露的半年报，今年上半年实现营业收入58.2亿元。股东应占期内溢利4.07亿元。"
    )
    from xmgraph.context import add_context

    doc, lex = _doc(text, "t.txt")
    facts = extract(add_context(doc, lex), lex).facts
    assert {(f.metric.rsplit("/", 1)[-1], f.period.code) for f in facts} == {
        ("Revenue", "2025-H1"),
        ("ProfitAttributableToShareholders", "2025-H1"),
    }


def test_last_year_in_a_march_fiscal_calendar_is_the_latest_ended():
    """去年 in a paper of 30 June 2017 on a year to March: the year ended March 2017."""
    from xmgraph.extract.periods import fiscal_year

    assert fiscal_year(2016, (3, 31), date(2017, 6, 30)) == Period("2016-04-01/2017-03-31")
    assert fiscal_year(2016, (3, 31), date(2017, 3, 30)) == Period("2015-04-01/2016-03-31")
    assert fiscal_year(2016, (3, 31), None) == Period("2015-04-01/2016-03-31")


def test_earned_less_names_net_profit():
    """HK papers' 少赚/多赚 name the profit as they give its change (去年少赚4.2%至88.31亿)."""
    assert rows("华辰地铁(01234)2025年少赚4.2%至88.31亿港元。") == [
        ("华辰地铁", "NetProfit", "2025", "8831000000")
    ]


# --- tagging ---


def test_a_figure_of_everywhere_but_a_region_is_left_out():
    """香港以外电力销售: of no single region we know, neither Hong Kong nor the company."""
    assert rows("华辰电力2024年香港以外电力销售收入为52.3亿元。") == []


def test_every_mention_names_the_tagger_that_found_it():
    doc, lex = _doc("华辰科技2024年营收为52.3亿元。", "t.txt")
    mentions = [m for s in explain(doc, lex).sentences for m in s.mentions]
    assert mentions
    assert all(m.rule for m in mentions), [(m.kind, m.rule) for m in mentions]


# --- filters ---


def _amount(start: int, end: int, value: int, **kw) -> Mention:
    return Mention("quantity", start, end, value=Decimal(value), **kw)


def test_a_move_from_one_amount_to_another_is_no_range_even_at_the_start():
    """从44亿元至50亿元: 从 at the very start of the text still makes it a move."""
    text = "从44亿元至50亿元"
    first, second = _amount(1, 5, 44, scaled=True), _amount(6, 10, 50, scaled=True)
    assert not is_range(first, None, (second,), text, ("至",), moves=("从",))
    assert is_range(first, None, (second,), "是44亿元至50亿元", ("至",), moves=("从",))


def test_a_bare_number_and_an_amount_are_no_range():
    """12至15元: a unit written once after both ends needs a scale on both (3.2億至3.5億元)."""
    yuan = next(u for u in load_lexicon().units if u.code == "CNY")
    first, second = _amount(0, 2, 12), _amount(3, 6, 15, unit=yuan)
    assert not is_range(first, None, (second,), "12至15元", ("至",))


def test_a_figure_whose_fact_rules_are_off_is_left_out_undecided():
    """Ablation: with the fact stage's rules switched off nothing decides the entity, period
    or value, and the trace says so."""
    rules = load_rules()
    off = rules.without([r.id for r in rules.rules if r.stage == "fact"])
    doc, lex = _doc("华辰科技2024年营收为52.3亿元。", "t.txt")
    explained = explain(doc, lex, rules=off)
    assert [f.outcome for s in explained.sentences for f in s.figures] == ["left out: undecided"]
    assert explained.extraction.facts == ()


@pytest.mark.parametrize(
    "text",
    [
        "华辰科技2024年营收为52.3亿元，较去年 +12.5%。",
        "华辰科技2024年营收为52.3亿元，同比 ：+12.5%。",
    ],
)
def test_a_signed_change_after_its_word_and_a_space(text):
    """较去年 +12.5%, 同比 ：+12.5%: the space before the sign or the colon changes nothing."""
    (fact,) = extraction_of(text).facts
    assert fact.yoy_pct == Decimal("12.5")


# --- periods ---


def test_an_interim_to_september_is_the_reports_period(tmp_path):
    """An HKEX interim whose lead says 截至2025年9月30日止六个月 (a year to March): the bullets
    with no period of their own are of that half, not of the calendar's first half."""
    from xmgraph.facts import facts_rows
    from xmgraph.pipeline import build_graph

    report = tmp_path / "interim.txt"
    report.write_text(
        "华辰零售(01999) - 2026 - 中期业绩\n2025-11-28 18:07\n业绩概览\n"
        "- 收益为62.4百万港元,同比增长5.3%\n- 期内溢利为3.1百万港元,同比下降12.0%\n"
        "- 每股基本盈利为1.20港仙,同比下降12.0%\n"
        "- 截至2025年9月30日止六个月,公司总收益为6240万港元,较上年同期的5926万港元增长约5.3%\n",
        encoding="utf-8",
    )
    periods = {r["period"] for r in facts_rows(build_graph([report]))}
    assert "2025-04-01/2025-09-30" in periods
    assert "2025-H1" not in periods


# --- tables ---


@pytest.mark.parametrize(("unit", "code"), [("万美元", "USD"), ("港币万元", "HKD")])
def test_a_pipe_tables_unit_line_gives_its_currency(unit, code):
    """单位：万美元 (a currency word after the scale), 单位：港币万元 (a currency before it)."""
    text = (
        f"华辰科技2024年度业绩快报\n单位：{unit}\n| 项目 | 本报告期 | 上年同期 |\n"
        "| 营业总收入 | 5,230 | 4,810 |"
    )
    facts = extraction_of(text).facts
    assert sorted((f.value, f.unit) for f in facts) == [
        (Decimal(48100000), code),
        (Decimal(52300000), code),
    ]


# --- a third mutation sample (benchmarks/README.md, "Third run") ---


def test_revenue_and_other_income_is_the_companys_revenue():
    """收入及其他收益 (the headline line of an exchange operator's results, which published
    texts and their readers take as its revenue) is revenue, of the company: 其他收益 after a
    metric's name and a joiner names no part 及其他."""
    assert rows("华辰零售2024年收入及其他收益为10亿元。") == [
        ("华辰零售", "Revenue", "2024", "1000000000")
    ]


def test_a_comparative_three_years_back_keeps_the_half_year_in_force():
    """（二零二二年：…） in a half-year of 2025 is that half three years back; four years back
    it is no comparative of the half, but that year."""
    assert rows("华辰零售2025年上半年收入为10亿元（二零二二年：8亿元）。") == [
        ("华辰零售", "Revenue", "2022-H1", "800000000"),
        ("华辰零售", "Revenue", "2025-H1", "1000000000"),
    ]
    assert ("华辰零售", "Revenue", "2021", "800000000") in rows(
        "华辰零售2025年上半年收入为10亿元（二零二一年：8亿元）。"
    )


def test_a_fact_names_the_rules_that_decided_its_entity_and_region():
    """A fact's rules begin with those that set what it is about: its subject, period, region
    and metric (the frame's own), before the rule that made it."""
    (fact,) = extraction_of("华辰零售2024年中国内地收入为10亿元，同比增长5%。").facts
    assert fact.region is not None
    assert fact.region.endswith("/mainland-china")
    assert fact.rules[:4] == (
        "attribution.subject",
        "periods.period",
        "attribution.region",
        "attribution.metric",
    )


def test_a_second_change_of_the_same_kind_waits_and_keeps_the_first():
    """同比增长5%，同比增长6%: the fact keeps the change it got first."""
    (fact,) = extraction_of("华辰零售2024年收入为10亿元，同比增长5%，同比增长6%。").facts
    assert (fact.period.code, fact.value, fact.yoy_pct) == ("2024", Decimal("1000000000"), 5)


def test_a_said_change_before_a_balance_goes_to_it():
    """同比增长5%，达到1000亿元 on a day: the change said on the year (同比) waits for the
    figure and goes to it, though a bare change of a balance would not."""
    (fact,) = extraction_of("截至2024年12月31日，华辰银行总资产同比增长5%，达到1000亿元。").facts
    assert (fact.period.code, fact.yoy_pct) == ("2024-12-31", 5)


def test_a_bracket_left_open_on_the_line_before_brackets_nothing():
    """Brackets count on their own line only: one a line before left open is no comparative's."""
    assert not _bracketed("收入(注\n2021年", 5)
    assert _bracketed("收入\n(注:2021年", 7)


def test_other_gains_after_revenue_opening_the_text_name_no_part():
    """收入及其他收益 at the very start of the text: no revenue of a part 及其他 is read (in a
    sentence of its own: one sentence giving two revenues of a year states neither)."""
    found = rows("收入及其他收益为10亿元。华辰零售2024年收入为20亿元。")
    assert not [r for r in found if r[0] != "华辰零售"]
    # both are the company's revenue of 2024: the first stated is the fact (conflicts-across)
    assert [r for r in found if r[1] == "Revenue"] == [
        ("华辰零售", "Revenue", "2024", "1000000000")
    ]


def test_a_share_named_for_one_metric_is_not_carried_to_the_next():
    """占营业收入的40% makes 海外收入's figure a share; 研发投入 named after it starts afresh, so
    its bare percentage is no share of revenue spent on research."""
    assert rows("华辰零售2024年海外收入占营业收入的40%，研发投入为8.2%。") == [
        ("华辰零售", "RevenueShare", "2024", "40")
    ]


# ---------------------------------------------------------------- slash lists (probe7)

#: The regex _slash_index searched with before (issue 14, seventh check): tried from every
#: start of the clause, quadratic in a run of digits.
_SLASHED = re.compile(r"(?:[-+]?\d+(?:\.\d+)?%?[/／])+$")


def _slashes_by_regex(text: str, start: int, end: int) -> int:
    tail = _SLASHED.search(text, start, end)
    return 0 if tail is None else len(re.findall(r"[/／]", tail.group()))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789١.-+%/／a\n", max_size=30), st.data())
def test_a_slash_list_is_read_back_as_the_regex_read_it(text, data):
    """Read back from the figure, the slash list before it has the figures the regex found."""
    end = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(0, end))
    assert slashes_before(text, start, end) == _slashes_by_regex(text, start, end)


def test_a_word_holds_a_place_in_a_slash_list_of_changes():
    """YoY -12.4%/由盈转亏/-210.5%: the last change is the third item; without the word the
    list stops at it."""
    text = "YoY -12.4%/由盈转亏/-210.5%"
    end = text.index("-210.5%")
    assert slashes_before(text, 0, end, words=("由盈转亏",)) == 2
    assert slashes_before(text, 0, end) == 0


def test_a_million_digits_before_a_figure_are_read_once():
    """A fuzzed input (seed 20,6xx of benchmarks/fuzz.py) put a figure after a number of a
    million digits in one clause: the regex above tried each of its million starts, each
    reading to the end of the run (hours); read back from the figure, the run is read once.
    The figures of a list are still counted (4.7/6.0/ before 7.5: the third)."""
    text = "9" * 1_000_000 + "亿元，2025-2027年预测为4.7/6.0/7.5亿元"
    at = text.index("7.5")
    assert _slash_index(text, 0, at, at + 3) == 2
    assert _slash_index(text, 0, 1_000_000, 1_000_000) is None
    assert _slash_index(text, 0, text.index("4.7"), text.index("4.7") + 3) == 0


# --- tables with a year a row (xmgraph.extract.year_rows) ---


def _year_cells(text: str) -> list[Mention]:
    from xmgraph.extract.year_rows import year_row_cells
    from xmgraph.patterns import compile_patterns

    lex = load_lexicon()
    return year_row_cells(text, 0, len(text), compile_patterns(lex), lex)


def test_a_year_row_tables_columns_of_no_metric_and_partial_names_give_nothing():
    """市盈率(倍) is no metric; 按最新股本摊薄每股收益 is no metric's whole name (only its end is):
    neither column gives a cell; a dash cell keeps the columns after it aligned."""
    text = (
        "|年份|营业收入(亿元)|市盈率(倍)|按最新股本摊薄每股收益(元)|每股股息(元)|\n"
        "|2025E|12.5|18.2|0.91|-|\n|2026E|-|15.1|1.05|0.30|\n"
    )
    got = [
        (text[q.start : q.end], q.metric.iri.rsplit("/", 1)[-1], q.period)
        for q in _year_cells(text)
    ]
    assert got == [("12.5", "Revenue", "2025"), ("0.30", "DividendPerShare", "2026")]


def test_a_year_row_cell_is_in_its_headers_scale_and_a_rows_mark_says_forecast():
    text = "|年份|归母净利润(百万元)|增长率(%)|\n|2024A|612.5|8.1|\n|2025E|701.0|14.4|\n"
    cells = _year_cells(text)
    assert [(q.value, q.column) for q in cells] == [
        (Decimal("612500000.0"), "year-row"),
        (Decimal("8.1"), "row-change"),
        (Decimal("701000000.0"), "forecast"),
        (Decimal("14.4"), "row-change"),
    ]


def test_rows_with_no_header_before_them_give_nothing():
    assert _year_cells("|2024|612.5|8.1|\n|2025E|701.0|14.4|\n") == []


@given(st.text(alphabet="|年份营业收入(亿元)增长率%2025E0123456789.-\n ", max_size=120))
@settings(max_examples=200)
def test_year_row_cells_are_numbers_inside_the_text(text):
    for q in _year_cells(text):
        assert 0 <= q.start < q.end <= len(text)
        assert re.fullmatch(r"[-−+]?\d+(?:,\d{3})*(?:\.\d+)?", text[q.start : q.end])


def test_an_interim_to_june_under_a_later_fiscal_title_is_six_months_long():
    title = "华辰(01234) - 2026 - 中期业绩"
    interim = published_interim(Period("2026-H1"), date(2025, 8, 26), title)
    assert interim is not None
    assert interim.bounds() == (date(2025, 1, 1), date(2025, 6, 30))


def test_a_sites_trail_to_the_page_names_no_subject():
    """腾讯网首页 > 财经 > 正文: the site's trail is page furniture; the site is no company of
    the text, and a figure of no named company is left out."""
    text = "腾讯网首页 > 财经 > 正文\n三万家门店背后的一杯咖啡\n2025年的收入是49.5亿元。\n"
    assert not [r for r in rows(text) if r[0] == "Tencent Holdings"]


def test_a_year_ended_at_last_years_end_is_that_year():
    """截至去年底止，…: the year ended then, not its last day; 去年底止中期 stays an
    interim to that day."""
    from xmgraph.context import add_context

    text = "华辰矿业(01234)公布盈利预告,截至去年底止,股东应占溢利预计不少于3.6亿元。\n"
    doc, lex = _doc(text, "t.txt")
    facts = extract(add_context(doc, lex, published=date(2026, 1, 20)), lex).facts
    assert [f.period.code for f in facts] == ["2025"]


def test_a_year_named_as_a_cause_is_not_carried_to_the_next_sentence():
    """…主要因为2023年计提了大额减值。每股盈利…: the reason's year is not the next figure's."""
    text = "华辰电力2024年股东应占溢利为52.3亿元,主要因为2023年计提了大额减值。每股盈利2.18元。\n"
    assert ("华辰电力", "EPS", "2024", "2.18") in rows(text)


def test_a_brokers_business_line_net_income_is_no_revenue():
    """自营业务净收入, 经纪业务手续费净收入: a line of a broker's business, not its revenue."""
    text = "华辰证券2024年营收120.5亿元。自营业务净收入为38.2亿元,同比增长21%。\n"
    assert [r for r in rows(text) if r[1] == "Revenue"] == [
        ("华辰证券", "Revenue", "2024", "12050000000")
    ]


def test_a_valuation_range_per_share_is_no_eps():
    """合理价值区间为每股X-Y元: a price a broker gives the share, no earnings per share."""
    text = (
        "华辰设计(603018)2025年前三季度营收为40.2亿元。预计公司2025-2026年EPS分别为0.81元和"
        "0.88元,给予2026年12-13倍PE,合理价值区间为每股10.56-11.44元。\n"
    )
    assert not [r for r in rows(text) if r[3] in ("10.56", "11.44")]


def test_a_banks_fee_and_commission_income_is_no_revenue():
    """服务费及佣金收入净额: a line of a bank's income, not its revenue."""
    text = (
        "华辰银行2025年上半年非利息收入增加18.1%至30.26亿元,"
        "其中服务费及佣金收入净额按年增加9.3%至17.02亿元。\n"
    )
    assert not [r for r in rows(text) if r[1] == "Revenue"]


def test_one_metric_named_twice_is_no_list_to_share_figures_among():
    """A、B、C披露了全年营收,营业收入分别为…: the figures after 分别 go to the companies,
    营收 and 营业收入 being one metric said twice."""
    text = (
        "2025年,华辰证券、澄江证券、辰光证券披露了全年营收,"
        "营业收入分别为162.4亿元、148.9亿元、120.6亿元。\n"
    )
    got = {(r[0], r[3]) for r in rows(text) if r[1] == "Revenue"}
    assert {("华辰证券", "16240000000"), ("澄江证券", "14890000000")} <= got
    assert ("辰光证券", "16240000000") not in got


def test_a_group_of_leading_companies_has_no_single_companys_figure():
    """这五大龙头合计亏损约…: the five leaders' total, no one company's."""
    text = "华辰能源2025年预计归母净利润为2.1亿元。2025年,这五大龙头合计亏损约310亿至350亿元。\n"
    assert not [r for r in rows(text) if r[3] in ("31000000000", "35000000000")]


def test_a_change_column_named_on_a_line_of_its_own_is_a_column():
    """增减变动幅度⏎项目 本报告期 上年同期⏎(%): a PDF wrapped the change column's name over
    the header; the row's last figure is the change."""
    text = (
        "华辰高科技股份有限公司\n2025年度业绩快报公告\n一、2025年度主要财务数据和指标\n单位:元\n"
        "增减变动幅度\n"
        "项目 本报告期 上年同期\n(%)\n营业总收入 412,308,115.20 388,104,227.61 6.24%\n"
    )
    doc, lex = _doc(text, "t.txt")
    facts = extract(doc, lex).facts
    this_year = [f for f in facts if f.period.code == "2025" and f.metric.endswith("Revenue")]
    assert [plain_decimal(f.yoy_pct) for f in this_year if f.yoy_pct is not None] == ["6.24"]


@pytest.mark.parametrize(
    ("line", "kinds"),
    [
        ("7-9 月 (%) 1-9 月 (%)", ("quarter", "change", "ytd", "change")),
        ("4－6月 （％） 1－6月 （％）", ("quarter", "change", "ytd", "change")),
        ("1-3 月 (%)", ("quarter", "change")),
        ("1-9 月 (%)", ()),  # no quarter: no header of ours
        ("2-7 月 (%)", ()),
        ("营业收入 7-9 月 52,318", ()),
    ],
)
def test_a_line_of_month_ranges_names_a_quarters_columns(line, kinds):
    assert _month_columns(line) == kinds


def test_a_first_quarter_under_a_month_range_header_is_the_quarter():
    """项目 2025 年 增减 ⏎ 1-3 月 (%): an A+H company's first-quarter report."""
    text = (
        "华辰保险集团股份有限公司\n2025 年第一季度报告\n单位:百万元,百分比除外\n"
        "项目 2025 年 增减\n1-3 月 (%)\n营业总收入 41,206 6.3\n"
    )
    assert ("华辰保险集团股份有限公司", "Revenue", "2025-Q1", "41206000000") in rows(text)


@pytest.mark.parametrize(
    ("note", "unit"),
    [
        ("（港元，下同）", "HKD"),
        ("(美元‧下同)", "USD"),
        ("(美元・下同)", "USD"),
        ("(人民幣.下同)", "CNY"),
    ],
)
def test_a_note_declares_the_currency_of_the_amounts_after_it(note, unit):
    """A Hong Kong paper separates the note's currency from 下同 with a comma, a stop or a
    middle dot: the amounts written with 元 alone are in that currency."""
    text = f"華辰集團(0999)公布2025年中期業績，股東應佔溢利為3.2億元{note}，收入為41.6億元。\n"
    facts = extraction_of(text).facts
    got = {(f.metric.rsplit("/", 1)[-1], plain_decimal(f.value), f.unit) for f in facts}
    assert ("Revenue", "4160000000", unit) in got


def test_a_portal_titles_parts_name_the_reports_period_together():
    """华辰酒业(600999) - 2024 Q4 - 年度财报: the title's parts, split at its dashes, are read
    together for the report's period: the year's report, not its fourth quarter."""
    text = (
        "Workflow\n华辰酒业(600999) - 2024 Q4 - 年度财报\n华辰酒业(SH:600999)2025-04-20 16:00\n\n"
        "收入和利润 - 公司2024年营业收入为47.6亿元人民币,增幅7.4% - "
        "归属于上市公司股东的净利润为5.9亿元人民币,增幅10.3%\n"
    )
    assert ("华辰酒业", "ProfitAttributableToShareholders", "2024", "590000000") in rows(text)


def test_profit_a_dividend_plan_distributes_is_no_net_profit():
    """分配利润, 未分配利润: the profit paid out or kept, no net profit of the year."""
    text = "华辰证券2023年度利润分配方案：以公司股份总数为基数，共计分配利润3,215,408,112.50元。\n"
    assert not [r for r in rows(text) if r[1] == "NetProfit"]


def test_an_amount_then_a_count_in_two_scales_are_two_figures():
    """营收6亿 5600万用户: an amount in 亿, then a count in 万 of its own, never one sum."""
    text = "华辰科技2025年营收6亿 5600万用户贡献了主要收入。\n"
    assert ("华辰科技", "Revenue", "2025", "600000000") in rows(text)


def test_basis_sections_run_from_the_heading_to_the_reported_basis():
    lex = load_lexicon()
    text = (
        "华辰网络公布业绩。\n按非国际财务报告准则：\n经营盈利为18.4亿元。\n"
        "按国际财务报告准则：\n经营盈利为12亿元。"
    )
    ((a, b),) = basis_sections(text, lex, "adjusted", "reported-basis")
    assert text[a:b].strip() == "经营盈利为18.4亿元。"
    inline = "按非国际财务报告准则，剔除股份酬金后：经营盈利为18.4亿元。\n经营盈利为12亿元。"
    ((a, b),) = basis_sections(inline, lex, "adjusted", "reported-basis")
    assert inline[a:b] == "经营盈利为18.4亿元。"  # the rest of its line only
    assert (
        basis_sections(
            "按非国际财务报告准则计算，经营盈利为18.4亿元。", lex, "adjusted", "reported-basis"
        )
        == ()
    )


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="按非国际财务报告准则经营盈利：:，。\n 12", max_size=80))
def test_basis_sections_are_ordered_spans_inside_the_text(text):
    spans = basis_sections(text, load_lexicon(), "adjusted", "reported-basis")
    assert all(0 <= a <= b <= len(text) for a, b in spans)
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(spans))
