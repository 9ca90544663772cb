"""The lexicon read from the ontology: what the issue requires is there, as data."""

from __future__ import annotations

import pytest

from xmgraph.lexicon import load_lexicon

M = "https://w3id.org/xmgraph/metric/"

REQUIRED = {
    "Revenue": ["收入", "营收", "总收入", "营业收入"],
    "GrossProfit": ["毛利"],
    "GrossMargin": ["毛利率"],
    "OperatingProfit": ["经营利润"],
    "NetProfit": ["净利润"],
    "AdjustedNetProfit": ["经调整净利润"],
    "AdjustedNetLoss": ["经调整净亏损"],
    "ProfitAttributableToShareholders": ["归母净利润"],
    "RDExpense": ["研发投入", "研发支出", "研发开支"],
    "RDHeadcount": ["研发人员"],
    "Employees": ["员工"],
    "Shipments": ["出货量"],
    "Deliveries": ["交付量"],
    "MarketShare": ["市场份额"],
    "MonthlyActiveUsers": ["月活跃用户数"],
    "RevenueShare": ["收入占比"],
    "DividendPerShare": ["每股股息"],
    "NumberOfStores": ["门店数"],
}


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


@pytest.mark.parametrize(("local", "names"), sorted(REQUIRED.items()))
def test_required_metrics_and_synonyms(lex, local, names):
    metric = lex.metrics[M + local]
    assert metric.label
    assert metric.label.isascii()
    for name in names:
        assert name in metric.names


def test_every_metric_fits_some_quantity(lex):
    for m in lex.metrics.values():
        assert m.kind in ("money", "count", "ratio", "per-share"), m.iri
        if m.kind == "count":
            assert m.default_unit, m.iri
        if m.share_metric:
            assert lex.metrics[m.share_metric].kind == "ratio"


def test_labels_are_simplified(lex):
    """Matching runs on Simplified text, so zh labels must be Simplified (淨/凈 -> 净)."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    for m in lex.metrics.values():
        for name in m.names:
            assert t2s.convert(name) == name, (m.iri, name)


def test_xiaomi_entities(lex):
    by_label = {e.label: e for e in lex.entities}
    xiaomi = by_label["Xiaomi Group"]
    assert xiaomi.kind == "company"
    assert "小米" in xiaomi.names
    for seg in ("Smartphones", "IoT and lifestyle products", "Internet services"):
        assert by_label[seg].parent == by_label["Smartphone × AIoT"].iri
    assert by_label["Smartphone × AIoT"].parent == xiaomi.iri
    assert by_label["Smart EV and other new initiatives"].parent == xiaomi.iri
    for product in ("Xiaomi SU7 series", "Xiaomi SU7 Ultra", "Xiaomi HyperOS", "MiLM2"):
        assert by_label[product].kind == "product"
    assert lex.company_of(by_label["Smartphones"].iri) == xiaomi.iri
    assert by_label["Lei Jun"].kind == "person"


def test_units_and_cues(lex):
    codes = {u.code for u in lex.units}
    assert {"CNY", "USD", "HKD", "EUR", "percent", "percentage-point", "vehicle", "person"} <= codes
    assert lex.scales["亿"] == 100_000_000
    assert lex.scales["万"] == 10_000
    assert "千亿" in lex.standalone_scales
    for key in (
        "increase",
        "decrease",
        "yoy",
        "qoq",
        "target",
        "forecast",
        "approximate",
        "more-than",
    ):
        assert lex.cue(key)
    with pytest.raises(KeyError):
        lex.cue("no-such-cue")


def test_vocabulary_for_the_normalizer(lex):
    assert {"互联网服务", "累计智驾里程", "收入"} <= lex.vocabulary


#: The metrics added for published text (tests/data/corpus/NOTES.md, last section).
ADDED = {
    "Deposits": ["存款总额", "客户存款", "吸收存款"],
    "Loans": ["贷款总额", "客户贷款", "发放贷款和垫款"],
    "NetFeeIncome": ["手续费及佣金净收入", "净手续费收入"],
    "CapitalAdequacyRatio": ["资本充足率"],
    "Tier1CapitalRatio": ["一级资本充足率"],
    "CoreTier1CapitalRatio": ["核心一级资本充足率"],
    "ProvisionCoverageRatio": ["拨备覆盖率"],
    "InsuranceOperatingProfit": ["营运利润", "归母营运利润"],
    "NewBusinessValue": ["新业务价值"],
    "EmbeddedValue": ["内含价值"],
    "Premiums": ["保费收入", "原保险保费收入", "总保费"],
    "ContractedSales": ["合约销售", "合同销售金额", "签约销售额"],
    "NetGearingRatio": ["净负债率", "净借贷比率", "净负债比率"],
    "ProfitBeforeTax": ["除税前溢利", "税前利润", "利润总额"],
    "EBITDA": ["EBITDA"],
    "AdjustedEBITDA": ["经调整EBITDA"],
    "AdjustedEBITA": ["经调整EBITA"],
    "AdjustedOperatingProfit": ["经调整经营溢利", "非公认会计准则经营利润"],
    "NetProfitExcludingNonRecurring": [
        "扣除非经常性损益后的净利润",
        "扣非净利润",
        "扣非归母净利润",
    ],
    "EPS": ["基本每股收益", "每股基本盈利"],
    "DilutedEPS": ["稀释每股收益", "每股摊薄盈利"],
    "EPSPerADS": ["每股美国存托股摊薄收益"],
    "SpecialDividendPerShare": ["特别股息", "特别息"],
    "ProductionVolume": ["产量"],
}


@pytest.mark.parametrize(("local", "names"), sorted(ADDED.items()))
def test_metrics_for_published_text(lex, local, names):
    metric = lex.metrics[M + local]
    assert metric.label.isascii()
    for name in names:
        assert name in metric.names


def test_every_metric_is_labelled_in_three_languages():
    from rdflib import RDF, SKOS

    from xmgraph.namespaces import XMG
    from xmgraph.resources import parse_ontology

    graph = parse_ontology("metrics.ttl")
    for node in graph.subjects(RDF.type, XMG.Metric):
        langs = sorted(lit.language for lit in graph.objects(node, SKOS.prefLabel))
        assert langs == ["en", "zh-Hans", "zh-Hant"], node


def test_links_of_the_added_metrics(lex):
    assert lex.metrics[M + "EBITDA"].adjusted_metric == M + "AdjustedEBITDA"
    assert lex.metrics[M + "OperatingProfit"].adjusted_metric == M + "AdjustedOperatingProfit"
    assert lex.metrics[M + "ProductionVolume"].names_product
    assert "特别息" not in lex.metrics[M + "DividendPerShare"].names
    for local in ("Deposits", "Loans", "CapitalAdequacyRatio", "NetGearingRatio", "EmbeddedValue"):
        assert lex.metrics[M + local].point_in_time, local


def test_words_with_a_metric_are_not_in_the_no_metric_lists(lex):
    names = {n for m in lex.metrics.values() for n in m.names}
    for key in ("not-a-metric", "unknown-head"):
        assert not names & set(lex.cue(key)), key


KOUFEI = "NetProfitExcludingNonRecurring"


@pytest.mark.parametrize(
    ("text", "label", "local"),
    [
        ("核心一级资本充足率为9.52%", "核心一级资本充足率", "CoreTier1CapitalRatio"),
        ("一级资本充足率为11.03%", "一级资本充足率", "Tier1CapitalRatio"),
        ("扣除非经常性损益后的净利润为79.4亿元", "扣除非经常性损益后的净利润", KOUFEI),
        (
            "归属于上市公司股东的扣除非经常性损益的净利润",
            "归属于上市公司股东的扣除非经常性损益的净利润",
            KOUFEI,
        ),
        ("手续费及佣金净收入为187.4亿元", "手续费及佣金净收入", "NetFeeIncome"),
        ("稀释每股收益为1.20元", "稀释每股收益", "DilutedEPS"),
        ("每股美国存托股摊薄收益为2.35元", "每股美国存托股摊薄收益", "EPSPerADS"),
        ("经调整EBITDA为57亿元", "经调整EBITDA", "AdjustedEBITDA"),
        ("除税前溢利为港币137.1亿元", "除税前溢利", "ProfitBeforeTax"),
        ("末期股息及特别股息", "特别股息", "SpecialDividendPerShare"),
        ("合约销售额为1,234亿元", "合约销售额", "ContractedSales"),
        ("矿产铜产量为79.2万吨", "产量", "ProductionVolume"),
        ("经调净利润1.8亿元", "经调净利润", "AdjustedNetProfit"),  # a Hong Kong paper's 經調
        ("经调净亏损1.1亿元", "经调净亏损", "AdjustedNetLoss"),
        ("中期分派15.80仙", "中期分派", "DividendPerShare"),  # a stapled unit's distribution
        ("核心经营溢利36.4亿元", "核心经营溢利", "AdjustedOperatingProfit"),
        (
            "未计利息、税项、折旧及摊销前的溢利为80亿港元",
            "未计利息、税项、折旧及摊销前的溢利",
            "EBITDA",
        ),
    ],
)
def test_longest_label_wins(lex, text, label, local):
    """The metric pattern tries the longest label first, so the new, longer labels are
    matched whole (核心一级资本充足率, not 资本充足率)."""
    from xmgraph.patterns import compact, compile_patterns

    pats = compile_patterns(lex)
    found = [
        (m.group(), pats.metric_by_name[compact(m.group())].iri) for m in pats.metric.finditer(text)
    ]
    assert (label, M + local) in found
    assert len([m for m in found if label.find(m[0]) >= 0]) == 1, found


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("吨", "tonne"),
        ("GWh", "GWh"),
        ("GW", "GW"),
        ("MW", "MW"),
        ("桶", "barrel"),
        ("桶油当量", "boe"),
    ],
)
def test_physical_units_measure_goods(lex, words, code):
    unit = next(u for u in lex.units if words in u.words)
    assert unit.code == code
    assert unit.broader == "unit"  # so 销量, 出货量 and 产量 take them (extract._fits)


def test_words_of_dates_periods_and_boilerplate_are_simplified(lex):
    """periods.ttl, boilerplate.ttl and the numeral places are matched on Simplified text."""
    import opencc
    from rdflib import Graph, Literal

    from xmgraph.resources import ontology_dir

    t2s = opencc.OpenCC("t2s")
    words = [w for w, _ in lex.period_words] + list(lex.numeral_places)
    for name in ("periods.ttl", "boilerplate.ttl"):
        graph = Graph().parse(ontology_dir() / name)
        words += [str(o) for o in graph.objects() if isinstance(o, Literal) and not o.language]
    assert [w for w in words if t2s.convert(w) != w] == []
    for key in ("year-suffix", "month-suffix", "day-suffix", "dateline-label", "page-furniture"):
        assert lex.cue(key)
    assert lex.numeral_places["亿"] == 100_000_000
    period_words = {w for w, _ in lex.period_words}
    assert {"今年", "去年", "本季度", "上季度", "第三季", "首三季"} <= period_words


def test_a_gazetteer_company_is_known_by_the_name_its_code_is_listed_under():
    """A company renamed since the gazetteer was written (SSE:601211, 国泰君安 there) is also
    known by the short name ``listed.tsv`` gives its code (国泰海通)."""
    lex = load_lexicon()
    company = next(e for e in lex.entities if "SSE:601211" in e.identifiers)
    assert "国泰海通" in company.names
    assert "国泰君安" in company.names
