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


def test_words_of_dates_periods_and_boilerplate_are_simplified(lex):
    """periods.ttl, boilerplate.ttl and the numeral places are matched on Simplified text."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    words = [w for ws in lex.cues.values() for w in ws]
    words += [w for w, _ in lex.period_words] + list(lex.numeral_places)
    assert [w for w in words if t2s.convert(w) != w] == []
    for key in ("year-suffix", "month-suffix", "day-suffix", "dateline-label", "page-furniture"):
        assert lex.cue(key)
    assert lex.numeral_places["亿"] == 100_000_000
    period_words = {w for w, _ in lex.period_words}
    assert {"今年", "去年", "本季度", "上季度", "第三季", "首三季"} <= period_words
