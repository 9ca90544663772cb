"""Numeric cross-checks: the seed report's arithmetic, graphs broken on purpose, tolerances.

The expected outcomes for the seed were worked out by hand from its text (the arithmetic is
in the comments), not copied from the program's output.
"""

from __future__ import annotations

import csv
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, QB, RDF, RDFS

from xmgraph.build import build
from xmgraph.consistency import (
    Bounds,
    Check,
    check_graph,
    read_observations,
    record_checks,
    resolution,
    run_checks,
    summary,
)
from xmgraph.model import Entity, Extraction, Fact, Period, Report, Source
from xmgraph.namespaces import ID, METRIC, XMG
from xmgraph.query import run_query

DATA = Path(__file__).parent / "data"
XIAOMI = ID["org/xiaomi"]
SEGMENT = "https://w3id.org/xmgraph/id/org/xiaomi/"
YI = Decimal(10) ** 8  # 亿


def about(checks, kind, entity=None, metric=None):
    """The checks of ``kind`` whose focus observation is about ``entity`` / ``metric``."""
    return [
        c
        for c in checks
        if c.kind == kind
        and (entity is None or str(c.focus).split("/obs/")[1].startswith(entity))
        and (metric is None or metric in str(c.focus))
    ]


@pytest.fixture(scope="module")
def seed_checks(seed_graph) -> list[Check]:
    return run_checks(seed_graph)


# ---------------------------------------------------------------- precision


@pytest.mark.parametrize(
    ("value", "text", "step"),
    [
        ("76560000000", "小米2024年的毛利為765.6億元", "1E+7"),  # 0.1亿
        ("57476000000", "較上年同期的574.76億元", "1E+6"),  # 0.01亿
        ("333200000000", "分部全年收入 3332 億元", "1E+8"),
        ("128640000000", "達到1,286.4亿元", "1E+7"),
        ("136854", "交付量達 13.6854 萬輛", "1"),
        ("168500000", "全球出貨量 1.685 億臺", "1E+5"),
        ("30", "同比增長30.0%", "0.1"),
        ("21190", "研發人員達到21190人", "1"),
        ("350000", "交付目標提升至35萬臺", "1E+4"),
        ("25", "AI相關研發投入將占四分之一", "1"),  # not in digits: last non-zero digit
        ("109000000000", "(the figure is not in this text)", "1E+9"),  # never finer than written
        ("13.8", "", "0.1"),
    ],
)
def test_resolution_follows_the_text(value, text, step):
    assert resolution(Decimal(value), [text]) == Decimal(step)


def test_full_width_and_traditional_scales():
    assert resolution(Decimal("109000000000"), ["達人民幣１０９０億元"]) == Decimal("1E+8")


def test_bounds_follow_qualifiers(seed_graph):
    obs = {(o.metric, o.period): o for o in read_observations(seed_graph)}
    gross = obs[(URIRef(METRIC + "GrossProfit"), "2024")]
    assert gross.bounds == Bounds(Decimal("76555000000"), Decimal("76565000000"))
    devices = obs[(URIRef(METRIC + "ConnectedDevices"), "2024-10")]  # 超過10億臺: a lower bound
    assert devices.bounds.lo < Decimal("1000000000") < devices.bounds.hi
    assert not devices.bounds.finite


# ---------------------------------------------------------------- the seed report


def test_seed_has_no_failed_check(seed_checks):
    assert not [c.message for c in seed_checks if c.is_violation]


def test_seed_gross_profit_growth_is_consistent(seed_checks):
    # 765.6 / 574.76 = 1.33203 -> +33.20 %; at the stated precision between
    # 765.55 / 574.765 (+33.19 %) and 765.65 / 574.755 (+33.21 %); stated +33.2 %.
    (check,) = about(seed_checks, "growth", "xiaomi-gross-profit")
    assert check.status == "consistent"
    assert Decimal("33.19") < check.expected < Decimal("33.21")
    assert check.bounds is not None
    assert Decimal("33.19") < check.bounds.lo < check.expected < check.bounds.hi < Decimal("33.22")
    assert check.stated == Decimal("33.2")


def test_seed_smartphone_aiot_units_leave_a_remainder(seed_checks):
    # 1918 + 1041 + 341 = 3300亿 of the segment's 3332亿: 32亿 (1.0 %) in no named unit
    # (Xiaomi's "others" line, which the entity file does not name): not a violation.
    (check,) = about(seed_checks, "parts-whole", "smartphone-aiot-revenue")
    assert check.status == "remainder"
    assert check.expected == 3300 * YI
    assert check.stated == 3332 * YI
    assert not check.is_violation


def test_seed_parts_not_larger_than_wholes(seed_checks):
    # Mainland China MAU 1.73亿 <= 7.02亿 worldwide; SU7 deliveries 136854 <= the EV
    # segment's 136854.
    mau = about(seed_checks, "parts-whole", "xiaomi-monthly-active-users")
    ev = about(seed_checks, "parts-whole", "ev-new-initiatives-deliveries")
    assert [c.status for c in mau + ev] == ["consistent", "consistent"]


def test_seed_delivery_target_stated_twice_agrees(seed_checks):
    # 2025全年交付目標提升至35萬臺 ... 2025年小米汽車交付35萬臺的目標: one fact, both sentences.
    (check,) = about(seed_checks, "restatement", "ev-new-initiatives-deliveries-2025")
    assert check.status == "consistent"


def test_seed_shares_not_above_100(seed_checks):
    shares = about(seed_checks, "share-total")
    assert {c.expected for c in shares} >= {Decimal("41.9"), Decimal("25")}  # sums of shares
    assert {c.stated for c in shares} == {Decimal(100)}  # the most they may add up to
    assert all(c.status == "consistent" for c in shares)


# Values implied by the seed's figures and not stated, worked out by hand:
# (entity slug, metric, period, region or "", value in base units, how)
SEED_IMPLIED = [
    ("xiaomi", "AdjustedNetProfit", "2023", "", 192.50 * 10**8, "272亿 / 1.413"),
    ("xiaomi", "RDExpense", "2023", "", 191.42 * 10**8, "241亿 / 1.259"),
    ("xiaomi", "MonthlyActiveUsers", "2023-12", "", 6.4110 * 10**8, "7.02亿 / 1.095"),
    ("xiaomi", "MonthlyActiveUsers", "2023-12", "mainland-china", 1.5572 * 10**8, "1.73亿 / 1.111"),
    ("xiaomi", "Revenue", "2023-Q4", "", 732.53 * 10**8, "1090亿 / 1.488"),
    ("xiaomi/smartphone-aiot", "Revenue", "2023", "", 2711.15 * 10**8, "3332亿 / 1.229"),
    ("xiaomi/smartphones", "Revenue", "2023", "", 1574.71 * 10**8, "1918亿 / 1.218"),
    ("xiaomi/iot-lifestyle", "Revenue", "2023", "", 800.77 * 10**8, "1041亿 / 1.300"),
    ("xiaomi/internet-services", "Revenue", "2023", "", 300.97 * 10**8, "341亿 / 1.133"),
    ("xiaomi/smartphones", "Shipments", "2023", "", 1.4563 * 10**8, "1.685亿台 / 1.157"),
    ("xiaomi", "AIRDExpense", "2025", "", 75 * 10**8, "25 % of the 300亿 R&D budget"),
]


@pytest.mark.parametrize(("entity", "metric", "period", "region", "value", "how"), SEED_IMPLIED)
def test_seed_implied_values(seed_checks, entity, metric, period, region, value, how):
    found = [
        c.derived
        for c in seed_checks
        if c.derived is not None
        and c.derived.entity == ID["org/" + entity]
        and c.derived.metric == URIRef(METRIC + metric)
        and c.derived.period == period
        and c.derived.region == ID["region/" + (region or "world")]
    ]
    assert len(found) == 1, how
    derived = found[0]
    assert abs(float(derived.value) - value) <= value * 0.0005, how
    assert "derived" in derived.qualifiers
    assert derived.derived_from
    assert derived.sources


def test_ai_rd_budget_share_is_a_target(seed_checks):
    (derived,) = [
        c.derived
        for c in seed_checks
        if c.derived is not None and c.derived.metric == URIRef(METRIC + "AIRDExpense")
    ]
    assert derived.qualifiers == ("target", "derived")
    assert len(derived.derived_from) == 2  # the share and the budget


def test_stated_values_are_never_derived_again(seed_checks):
    # 574.76亿 is stated for 2023: the growth rate is checked against it, not used to derive it
    assert not [
        c
        for c in seed_checks
        if c.derived is not None and c.derived.metric == URIRef(METRIC + "GrossProfit")
    ]


# ---------------------------------------------------------------- broken on purpose


def test_growth_rate_contradicting_the_values(seed_graph, broken):
    checks = run_checks(broken(seed_graph, "growth-contradicts"))
    (check,) = about(checks, "growth", "xiaomi-gross-profit")
    assert check.status == "inconsistent"
    assert "+43.2 %" in check.message
    assert "+33.2034 %" in check.message


def test_segment_larger_than_its_group(seed_graph, broken):
    checks = run_checks(broken(seed_graph, "segment-larger"))
    (check,) = about(checks, "parts-whole", "smartphone-aiot-revenue")
    assert check.status == "inconsistent"
    assert "Smartphones alone larger than the whole" in check.message
    # 3918 + 1041 + 341 = 5300亿
    assert check.expected == 5300 * YI


def test_same_fact_twice_with_different_values_is_a_conflict(seed_graph, broken):
    checks = run_checks(broken(seed_graph, "stated-twice"))
    (check,) = [c for c in checks if c.kind == "restatement" and c.status == "conflict"]
    assert len(check.used) == 2
    assert "毛利為765.6" in check.message  # both sources named
    assert "全年毛利為76.56" in check.message
    assert "76,560,000,000 CNY" in check.message
    assert "7,656,000,000 CNY" in check.message


def test_shares_of_one_total_above_100(seed_graph, broken):
    checks = run_checks(broken(seed_graph, "shares-above-100"))
    (check,) = [c for c in checks if c.kind == "share-total" and c.status == "inconsistent"]
    assert check.expected == Decimal("110.0")  # 68.1 + 41.9
    assert "Mainland China" in check.message


def test_nothing_derived_from_a_figure_in_a_wrong_unit(seed_graph, broken):
    checks = run_checks(broken(seed_graph, "wrong-unit"))
    assert not [
        c
        for c in checks
        if c.derived is not None and c.derived.metric == URIRef(METRIC + "Shipments")
    ]


def test_an_observation_without_value_is_left_to_the_shapes(seed_graph, broken):
    graph = broken(seed_graph, "missing-value")
    checks = run_checks(graph)  # no exception, no check on it
    assert not about(checks, "implied-value", "xiaomi-rdexpense-2024")
    assert len(read_observations(graph)) == len(read_observations(seed_graph)) - 1


# ---------------------------------------------------------------- tolerances by hand


def _graph(*rows, text="甲公司2024年收入為100億元,上年同期為80億元。"):
    """A graph of facts of a minted company: rows (metric, period, value, unit, yoy, region)."""
    report = Report("t.txt", text, hashlib.sha256(text.encode()).hexdigest(), "utf-8")
    company = Entity(ID + "org/jia", "company", "甲公司", known=False)
    source = Source(report.sha256, report.name, 0, len(text), text)
    facts = tuple(
        Fact(
            company,
            METRIC + metric,
            Period(period),
            Decimal(value),
            unit,
            source,
            yoy_pct=Decimal(yoy) if yoy else None,
            region=ID + "region/" + region if region else None,
        )
        for metric, period, value, unit, yoy, region in rows
    )
    return build([Extraction(report, facts, (company,))])


@pytest.mark.parametrize(
    ("yoy", "status"),
    [
        ("25", "consistent"),  # exact
        ("25.4", "consistent"),  # 100±0.5 / 80±0.5: between +23.6 % and +26.4 %
        ("26.2", "consistent"),
        ("26.6", "inconsistent"),  # beyond what rounding to 1亿 allows
        ("23.3", "inconsistent"),
    ],
)
def test_growth_tolerance_follows_the_precision(yoy, status):
    text = f"甲公司2024年收入為100億元,同比增長{yoy}%,上年同期為80億元。"
    graph = _graph(
        ("Revenue", "2024", "10000000000", "CNY", yoy, ""),
        ("Revenue", "2023", "8000000000", "CNY", "", ""),
        text=text,
    )
    (check,) = [c for c in run_checks(graph) if c.kind == "growth"]
    assert check.status == status


def test_a_finer_figure_is_checked_finer():
    # 100.0亿 against 80.0亿: between +24.84 % and +25.16 %; +25.4 % is too far
    text = "甲公司2024年收入為100.0億元,同比增長25.4%,上年同期為80.0億元。"
    graph = _graph(
        ("Revenue", "2024", "10000000000", "CNY", "25.4", ""),
        ("Revenue", "2023", "8000000000", "CNY", "", ""),
        text=text,
    )
    (check,) = [c for c in run_checks(graph) if c.kind == "growth"]
    assert check.status == "inconsistent"


def test_share_against_part_and_whole():
    # 境外收入40億元, 占總收入的41.0%: 40/100 = 40 %; at 1亿 between 39.5/100.5 = 39.30 %
    # and 40.5/99.5 = 40.70 %, so 41.0 % (40.95 .. 41.05) is too far
    text = "甲公司2024年收入為100億元,其中境外收入40億元,占總收入的41.0%。"
    graph = _graph(
        ("Revenue", "2024", "10000000000", "CNY", "", ""),
        ("Revenue", "2024", "4000000000", "CNY", "", "overseas"),
        ("RevenueShare", "2024", "41", "percent", "", "overseas"),
        text=text,
    )
    (check,) = [c for c in run_checks(graph) if c.kind == "share-value"]
    assert check.status == "inconsistent"
    assert check.expected == Decimal(40)


def test_region_part_derived_from_its_share():
    text = "甲公司2024年收入為100億元,境外收入占比40%。"
    graph = _graph(
        ("Revenue", "2024", "10000000000", "CNY", "", ""),
        ("RevenueShare", "2024", "40", "percent", "", "overseas"),
        text=text,
    )
    (derived,) = [c.derived for c in run_checks(graph) if c.derived is not None]
    assert derived.region == ID["region/overseas"]
    assert derived.value == 40 * YI


def test_complementary_regions_add_up_to_the_whole():
    text = "甲公司2024年收入為100億元,境內收入70億元,境外收入40億元。"
    graph = _graph(
        ("Revenue", "2024", "10000000000", "CNY", "", ""),
        ("Revenue", "2024", "7000000000", "CNY", "", "mainland-china"),
        ("Revenue", "2024", "4000000000", "CNY", "", "overseas"),
        text=text,
    )
    statuses = sorted(c.status for c in run_checks(graph) if c.kind == "parts-whole")
    assert statuses == ["consistent", "inconsistent"]  # each <= whole; 70 + 40 != 100


def _quarter_with_both_changes() -> Graph:
    """Q4 revenue 100亿, +25 % on the year before and +10 % on the quarter before."""
    text = "甲公司2024年第四季度收入為100億元,同比增長25%,環比增長10%。"
    report = Report("q.txt", text, hashlib.sha256(text.encode()).hexdigest(), "utf-8")
    company = Entity(ID + "org/jia", "company", "甲公司", known=False)
    source = Source(report.sha256, report.name, 0, len(text), text)
    fact = Fact(
        company,
        METRIC + "Revenue",
        Period("2024-Q4"),
        Decimal("10000000000"),
        "CNY",
        source,
        yoy_pct=Decimal(25),
        qoq_pct=Decimal(10),
    )
    return build([Extraction(report, (fact,), (company,))])


def test_both_previous_periods_derived_from_one_quarter():
    # Q4 revenue 100亿, +25 % year on year (Q4 of the year before: 80亿) and +10 % on the
    # quarter before (Q3: 100 / 1.1 = 90.9亿)
    graph = _quarter_with_both_changes()
    derived = {c.derived.period: c.derived.value for c in run_checks(graph) if c.derived}
    assert set(derived) == {"2023-Q4", "2024-Q3"}
    assert abs(derived["2023-Q4"] - 80 * YI) <= YI / 2
    assert abs(derived["2024-Q3"] - Decimal("90.9") * YI) <= YI / 2


def test_odd_values_raise_nothing():
    graph = _graph(
        ("Revenue", "2024", "0", "CNY", "-100", ""),
        ("Revenue", "2023", "0", "CNY", "", ""),
        ("NetLoss", "2024", "-5", "CNY", "20", ""),
        ("Revenue", "2024", "5", "CNY", "", "overseas"),
        ("RevenueShare", "2024", "0", "percent", "", "overseas"),
        ("RevenueShare", "2024", "250", "percent", "", "mainland-china"),
    )
    checks = run_checks(graph)
    assert any(c.kind == "share-total" and c.status == "inconsistent" for c in checks)


def test_no_growth_check_on_ratios():
    graph = _graph(
        ("GrossMargin", "2024", "20.4", "percent", "1.2", ""),
        ("GrossMargin", "2023", "19.2", "percent", "", ""),
    )
    assert not [c for c in run_checks(graph) if c.kind in ("growth", "implied-value")]


# ---------------------------------------------------------------- recording


def test_recorded_checks_are_idempotent(seed_graph, copy_of):
    graph = copy_of(seed_graph)
    first = check_graph(graph)
    triples = set(graph)
    again = check_graph(graph)
    assert [c.iri for c in first] == [c.iri for c in again]
    assert set(graph) == triples
    record_checks(graph, [])  # removing them leaves the graph as built, but the vocabulary
    assert not set(graph.subjects(RDF.type, XMG.CheckResult))
    assert len(set(graph.subjects(RDF.type, QB.Observation))) == len(
        set(seed_graph.subjects(RDF.type, QB.Observation))
    )


def test_derived_observations_in_the_graph(seed_graph, copy_of):
    graph = copy_of(seed_graph)
    checks = check_graph(graph)
    derived = [c.derived for c in checks if c.derived is not None]
    assert derived
    for d in derived:
        obs = d.iri
        assert (obs, RDF.type, QB.Observation) in graph
        assert (obs, XMG.qualifier, XMG.Derived) in graph
        assert "derived" in str(graph.value(obs, XMG.qualifierText)).split()
        assert set(graph.objects(obs, PROV.wasDerivedFrom)) == set(d.derived_from)
        assert list(graph.objects(obs, XMG.source))  # the sentences it came from
        assert graph.value(graph.value(obs, XMG.period), XMG.periodCode) == Literal(d.period)


def test_consistency_query(seed_graph, copy_of):
    graph = copy_of(seed_graph)
    check_graph(graph)
    table = run_query(graph, "consistency")
    assert len(table.rows) == len(run_checks(seed_graph))
    assert table.rows[0]["status"] in ("inconsistent", "conflict", "remainder")
    growth = run_query(graph, "consistency", bindings={"kind": "growth"}).rows
    assert [(r["entity_label"], r["metric_label"], r["period"], r["status"]) for r in growth] == [
        ("Xiaomi Group", "Gross profit", "2024", "consistent")
    ]
    assert growth[0]["stated"] == "33.2"
    assert "765.6" in growth[0]["sources"]
    assert "574.76" in growth[0]["sources"]
    derived = run_query(graph, "consistency", bindings={"status": "derived"}).rows
    adjusted = [r for r in derived if r["metric_label"] == "Adjusted net profit"]
    assert [(r["period"], r["derived_value"]) for r in adjusted] == [("2023", "19250000000")]
    assert not run_query(graph, "consistency", bindings={"status": "inconsistent"}).rows


def test_summary_counts_every_status(seed_checks):
    counts = summary(seed_checks)
    assert list(counts) == ["consistent", "inconsistent", "conflict", "remainder", "derived"]
    assert sum(counts.values()) == len(seed_checks)


# ---------------------------------------------------------------- the gold tables


def _gold_graph(name: str) -> Graph:
    corpus = DATA / "corpus"
    path = corpus / f"{name}.txt"
    text = path.read_text(encoding="utf-8")
    report = Report(path.name, text, hashlib.sha256(path.read_bytes()).hexdigest(), "utf-8")
    regions = {"Mainland China": "mainland-china", "Hong Kong": "hong-kong"}
    entities: dict[str, Entity] = {}
    facts = []
    with (corpus / f"{name}.facts.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            label = row["entity_label"]
            digest = hashlib.sha256(label.encode()).hexdigest()[:8]
            entity = entities.setdefault(
                label, Entity(ID + "org/" + digest, "company", label, known=False)
            )
            region = row["region"]
            facts.append(
                Fact(
                    entity,
                    row["metric"],
                    Period(row["period"]),
                    Decimal(row["value"]),
                    row["unit"],
                    Source(report.sha256, path.name, int(row["start"]), int(row["end"]), ""),
                    yoy_pct=Decimal(row["yoy_pct"]) if row["yoy_pct"] else None,
                    qualifiers=tuple(row["qualifier"].split()),
                    region=(
                        ID + "region/" + regions.get(region, region.lower().replace(" ", "-"))
                        if region
                        else None
                    ),
                )
            )
    return build([Extraction(report, tuple(facts), tuple(entities.values()))])


def _gold_names() -> list[str]:
    manifest = json.loads((DATA / "corpus" / "MANIFEST.json").read_text(encoding="utf-8"))
    return [r["name"] for r in manifest["reports"] if not r["holdout"]]


def test_gold_figures_raise_no_false_alarm():
    """The corpus's figures agree with each other (its NOTES say so): no check may fail on
    its gold tables (holdout reports left out)."""
    failed = {}
    checked = 0
    for name in _gold_names():
        checks = run_checks(_gold_graph(name))
        checked += sum(c.kind != "implied-value" for c in checks)
        bad = [c.message for c in checks if c.status not in ("consistent", "derived")]
        if bad:
            failed[name] = bad
    assert not failed
    assert checked >= 30


# ---------------------------------------------------------------- mutants that survived


@pytest.mark.parametrize(
    ("code", "change", "previous"),
    [
        ("2024-Q1", "qoq", "2023-Q4"),  # never Q4 of the same year
        ("2024-Q2", "qoq", "2024-Q1"),
        ("2024-H1", "qoq", "2023-H2"),  # never H2 of the same year
        ("2024-H2", "qoq", "2024-H1"),
        ("2024-01", "qoq", "2023-12"),
        ("2024-03", "qoq", "2024-02"),
        ("2024-02", "qoq", "2024-01"),  # February follows January of its own year
        ("2024-12", "qoq", "2024-11"),  # two digits of month
        ("2024-Q1", "yoy", "2023-Q1"),
        ("2024", "yoy", "2023"),
        ("2024", "qoq", None),
    ],
)
def test_a_change_compares_with_the_period_before(code, change, previous):
    from xmgraph.check_growth import _previous

    assert _previous(code, change) == previous


def test_a_first_quarter_is_checked_against_the_fourth_of_the_year_before():
    # Q1 2024 100亿, +25 % on the quarter before: Q4 2023 is 80亿 (consistent); Q4 2024 (a
    # later quarter, 90亿) is no period before it
    text = (
        "甲公司2024年第一季度收入為100億元,環比增長25%。2023年第四季度80億元,2024年第四季度90億元。"
    )
    report = Report("q.txt", text, hashlib.sha256(text.encode()).hexdigest(), "utf-8")
    company = Entity(ID + "org/jia", "company", "甲公司", known=False)
    source = Source(report.sha256, report.name, 0, len(text), text)

    def fact(period, yi, qoq=None):
        value = Decimal(yi) * YI
        return Fact(company, METRIC + "Revenue", Period(period), value, "CNY", source, qoq_pct=qoq)

    facts = (fact("2024-Q1", 100, Decimal(25)), fact("2023-Q4", 80), fact("2024-Q4", 90))
    graph = build([Extraction(report, facts, (company,))])
    (check,) = [c for c in run_checks(graph) if c.kind == "growth"]
    assert check.status == "consistent"
    assert any("2023-q4" in str(o) for o in check.used)


def test_the_units_shares_are_capped_by_their_wholes_own_share():
    # segment 乙 is 50 % of the company's revenue; its units 丙 and 丁 30 % + 30 % = 60 %:
    # below 100 %, but more than the 50 % of the whole they divide
    text = "甲公司2024年乙業務收入占比50%,其中丙占30%,丁占30%。"
    report = Report("s.txt", text, hashlib.sha256(text.encode()).hexdigest(), "utf-8")
    company = Entity(ID + "org/jia", "company", "甲公司", known=False)
    segment = Entity(ID + "org/jia/yi", "segment", "乙業務", known=False, parent=company.iri)
    units = [
        Entity(ID + f"org/jia/yi/{n}", "segment", label, known=False, parent=segment.iri)
        for n, label in (("bing", "丙"), ("ding", "丁"))
    ]
    source = Source(report.sha256, report.name, 0, len(text), text)
    facts = tuple(
        Fact(e, METRIC + "RevenueShare", Period("2024"), Decimal(pct), "percent", source)
        for e, pct in ((segment, 50), (units[0], 30), (units[1], 30))
    )
    graph = build([Extraction(report, facts, (company, segment, *units))])
    totals = [c for c in run_checks(graph) if c.kind == "share-total" and len(c.used) == 2]
    (check,) = totals
    assert check.status == "inconsistent"
    assert "more than 50.5 %" in check.message  # 50 % stated to 1 %


def test_a_figure_written_twice_is_known_to_the_coarser_step():
    # 100亿 (to 1亿) and 100.0亿 (to 0.1亿): the figure is only known to 1亿
    texts = ["甲公司收入100亿元。", "甲公司收入100.0亿元。"]
    assert resolution(Decimal(100) * YI, texts) == YI
    assert resolution(Decimal(100) * YI, texts[1:]) == YI / 10


# ---------------------------------------------------------------- found by mutation testing


@pytest.mark.parametrize(
    ("overseas", "status"),
    [
        ("101", "consistent"),  # 100.5 .. 101.5亿 against 99.5 .. 100.5亿: they touch
        ("102", "inconsistent"),  # 101.5亿 at least: larger than the whole
    ],
)
def test_a_region_larger_than_the_whole(overseas, status):
    text = f"甲公司2024年收入為100億元,境外收入{overseas}億元。"
    graph = _graph(
        ("Revenue", "2024", "10000000000", "CNY", "", ""),
        ("Revenue", "2024", str(int(overseas) * YI), "CNY", "", "overseas"),
        text=text,
    )
    (check,) = [c for c in run_checks(graph) if c.kind == "parts-whole"]
    assert check.status == status
    ending = (
        "none larger than the whole" if status == "consistent" else "Overseas larger than the whole"
    )
    assert check.message.endswith(ending)


def test_the_period_before_is_named_in_the_derivations_message():
    graph = _quarter_with_both_changes()
    messages = {c.derived.period: c.message for c in run_checks(graph) if c.derived}
    assert "in 2024-Q4 and +25 % year on year:" in messages["2023-Q4"]
    assert "in 2024-Q4 and +10 % on the period before:" in messages["2024-Q3"]


def test_a_share_total_is_named_after_the_total():
    text = "甲公司2024年收入為100億元,境外收入占比40%,境內收入占比30%。"
    graph = _graph(
        ("Revenue", "2024", "10000000000", "CNY", "", ""),
        ("RevenueShare", "2024", "40", "percent", "", "overseas"),
        ("RevenueShare", "2024", "30", "percent", "", "mainland-china"),
        text=text,
    )
    (check,) = [c for c in run_checks(graph) if c.kind == "share-total"]
    assert check.status == "inconsistent"
    assert check.message.startswith("Shares of Revenue of 甲公司, 2024: ")


@pytest.mark.parametrize(
    ("twice", "once"), [("mainland-china", "overseas"), ("overseas", "mainland-china")]
)
def test_a_share_stated_twice_leaves_the_others_checked(twice, once):
    graph = _graph(
        ("Revenue", "2024", "10000000000", "CNY", "", ""),
        ("Revenue", "2024", "4000000000", "CNY", "", once),
        ("RevenueShare", "2024", "40", "percent", "", once),
        ("RevenueShare", "2024", "50", "percent", "", twice),
        ("RevenueShare", "2024", "55", "percent", "", twice),
        text="甲公司2024年收入為100億元,收入40億元,占比40%,占比50%,占比55%。",
    )
    checks = [c for c in run_checks(graph) if c.kind == "share-value"]
    assert [(c.status, once in str(c.focus)) for c in checks] == [("consistent", True)]


def test_unbounded_figures_in_messages():
    from xmgraph.check_run import amount, pct
    from xmgraph.precision import INF

    assert amount(INF, METRIC.Revenue, None) == "no upper bound"  # type: ignore[arg-type]
    assert pct(INF) == "+inf %"
    assert pct(-INF) == "-inf %"
    assert pct(Decimal("12.5")) == "+12.5 %"


def test_division_by_an_unbounded_figure():
    from xmgraph.precision import INF, div

    assert div(Decimal(5), INF) == 0
    assert div(INF, INF) == INF
    assert div(Decimal(6), Decimal(3)) == 2


@pytest.mark.parametrize(
    ("lo", "hi", "rounded"),
    [("113", "133", "120"), ("118", "128", "123"), ("123.4", "123.5", "123.46")],
)
def test_a_point_is_rounded_to_the_coarsest_step_inside_its_bounds(lo, hi, rounded):
    from xmgraph.precision import rounded_within

    got = rounded_within(Decimal("123.456"), Bounds(Decimal(lo), Decimal(hi)), integral=False)
    assert got == Decimal(rounded)


def test_ranges_that_meet_at_one_point_overlap():
    a, b = Bounds(Decimal(1), Decimal(2)), Bounds(Decimal(2), Decimal(3))
    assert a.overlaps(b)
    assert b.overlaps(a)
    assert not a.overlaps(Bounds(Decimal("2.01"), Decimal(3)))


# ------------------------------------------- found by mutation testing: whole messages


def _extraction_of(rows, text, qualifiers=()):
    """Facts of 甲公司 and its segments 甲A, 甲B (``who``: "", "a" or "b"): rows (who, metric,
    period, value, unit, yoy, qoq, region); ``qualifiers`` on the percentages."""
    report = Report("t.txt", text, hashlib.sha256(text.encode()).hexdigest(), "utf-8")
    jia = Entity(ID + "org/jia", "company", "甲公司", known=False)
    units = {
        k: Entity(ID + f"org/jia/{k}", "segment", f"甲{k.upper()}", parent=jia.iri, known=False)
        for k in "ab"
    }
    source = Source(report.sha256, report.name, 0, len(text), text)
    facts = tuple(
        Fact(
            units.get(who, jia),
            METRIC + metric,
            Period(period),
            Decimal(value),
            unit,
            source,
            yoy_pct=Decimal(yoy) if yoy else None,
            qoq_pct=Decimal(qoq) if qoq else None,
            region=ID + "region/" + region if region else None,
            qualifiers=qualifiers if unit == "percent" else (),
        )
        for who, metric, period, value, unit, yoy, qoq, region in rows
    )
    return Extraction(report, facts, (jia, *units.values()))


def _graph_of(rows, text):
    return build([_extraction_of(rows, text)])


PCT, CNY = "https://w3id.org/xmgraph/unit/percent", "https://w3id.org/xmgraph/unit/CNY"
QUOTE = "“甲公司2024年淨虧損為5億元,淨虧損7億元,每…”"
WHOLE_MESSAGES = {
    "growth on the year and the quarter before": (
        [
            ("", "Revenue", "2024-Q4", "10000000000", "CNY", "25", "10", ""),
            ("", "Revenue", "2023-Q4", "8000000000", "CNY", "", "", ""),
            ("", "Revenue", "2024-Q3", "9500000000", "CNY", "", "", ""),
        ],
        "甲公司2024年第四季度收入為100億元,同比增長25%,環比增長10%。"
        "上年同期為80億元,第三季度為95億元。",
        [
            (
                "growth", "consistent",
                "Revenue of 甲公司, 2024-Q4: 10,000,000,000 CNY against 8,000,000,000 CNY in "
                "2023-Q4 is +25 % year on year (between +23.6025 % and +26.4151 % at the stated "
                "precision); stated +25 %: consistent",
                PCT, "25",
            ),
            (
                "growth", "inconsistent",
                "Revenue of 甲公司, 2024-Q4: 10,000,000,000 CNY against 9,500,000,000 CNY in "
                "2024-Q3 is +5.2632 % on the period before (between +4.1885 % and +6.3492 % at "
                "the stated precision); stated +10 %: inconsistent",
                PCT, "5.263158",
            ),
        ],
    ),
    "restated values, negative and per share": (
        [
            ("", "NetProfit", "2024", "-500000000", "CNY", "", "", ""),
            ("", "NetProfit", "2024", "-700000000", "CNY", "", "", ""),
            ("", "EPS", "2024", "0.123456", "CNY", "", "", ""),
            ("", "EPS", "2024", "0.2", "CNY", "", "", ""),
        ],
        "甲公司2024年淨虧損為5億元,淨虧損7億元,每股收益0.123456元,每股收益0.2元。",
        [
            (
                "restatement", "conflict",
                "Earnings per share of 甲公司, 2024: stated with different values: "
                f"0.1235 CNY in {QUOTE}; 0.2 CNY in {QUOTE}",
                None, None,
            ),
            (
                "restatement", "conflict",
                "Net profit of 甲公司, 2024: stated with different values: "
                f"-700,000,000 CNY in {QUOTE}; -500,000,000 CNY in {QUOTE}",
                None, None,
            ),
        ],
    ),
    "restated in another unit": (
        [
            ("", "Revenue", "2024", "500000000", "CNY", "", "", ""),
            ("", "Revenue", "2024", "70000000", "USD", "", "", ""),
        ],
        "甲公司2024年收入為5億元,收入0.7億美元。",
        [
            (
                "restatement", "conflict",
                "Revenue of 甲公司, 2024: stated with different units: 70,000,000 USD in "
                "“甲公司2024年收入為5億元,收入0.7億美元。”; 500,000,000 CNY in "
                "“甲公司2024年收入為5億元,收入0.7億美元。”",
                None, None,
            ),
        ],
    ),
    "restated within the precision": (
        [
            ("", "Revenue", "2024", "7656000000", "CNY", "", "", ""),
            ("", "Revenue", "2024", "7660000000", "CNY", "", "", ""),
        ],
        "甲公司2024年收入為76.56億元,全年收入76.6億元。",
        [
            (
                "restatement", "consistent",
                "Revenue of 甲公司, 2024: stated with values that agree within their precision: "
                "7,660,000,000 CNY in “甲公司2024年收入為76.56億元,全年收入7…”; "
                "7,656,000,000 CNY in “甲公司2024年收入為76.56億元,全年收入7…”",
                None, None,
            ),
        ],
    ),
    "units larger than the whole": (
        [
            ("", "Revenue", "2024", "10000000000", "CNY", "", "", ""),
            ("a", "Revenue", "2024", "6000000000", "CNY", "", "", ""),
            ("b", "Revenue", "2024", "5000000000", "CNY", "", "", ""),
        ],
        "甲公司2024年收入為100億元,甲A收入60億元,甲B收入50億元。",
        [
            (
                "parts-whole", "inconsistent",
                "Revenue of 甲公司, 2024: its units 甲A, 甲B add up to 11,000,000,000 CNY against "
                "10,000,000,000 CNY: the parts exceed the whole (a unit nested in another, or "
                "unit figures before inter-segment eliminations?)",
                CNY, "11000000000",
            ),
        ],
    ),
    "units that make the whole": (
        [
            ("", "Revenue", "2024", "10000000000", "CNY", "", "", ""),
            ("a", "Revenue", "2024", "6000000000", "CNY", "", "", ""),
            ("b", "Revenue", "2024", "4000000000", "CNY", "", "", ""),
        ],
        "甲公司2024年收入為100億元,甲A收入60億元,甲B收入40億元。",
        [
            (
                "parts-whole", "consistent",
                "Revenue of 甲公司, 2024: its units 甲A, 甲B add up to 10,000,000,000 CNY against "
                "10,000,000,000 CNY: consistent",
                CNY, "10000000000",
            ),
        ],
    ),
    "shares of regions": (
        [
            ("", "Revenue", "2024", "10000000000", "CNY", "", "", ""),
            ("", "RevenueShare", "2024", "40", "percent", "", "", "overseas"),
            ("", "Revenue", "2024", "3000000000", "CNY", "", "", "mainland-china"),
            ("", "RevenueShare", "2024", "30", "percent", "", "", "mainland-china"),
        ],
        "甲公司2024年收入為100億元,境外收入占比40%,境內收入30億元,占比30%。",
        [
            (
                "implied-value", "derived",
                "Revenue of 甲公司 (Overseas), 2024: implied by 40 % of 10,000,000,000 CNY: "
                "4,000,000,000 CNY (between 3,930,250,000 CNY and 4,070,250,000 CNY)",
                CNY, "4E+9",
            ),
            (
                "parts-whole", "consistent",
                "Revenue of 甲公司, 2024: 10,000,000,000 CNY; its regions: Mainland China "
                "3,000,000,000 CNY: none larger than the whole",
                CNY, "3000000000",
            ),
            (
                "share-total", "inconsistent",
                "Shares of Revenue of 甲公司, 2024: Mainland China 30 %, Overseas 40 % add up to "
                "70 %: complementary regions that do not make 100 %: inconsistent",
                PCT, "70",
            ),
            (
                "share-value", "consistent",
                "Share of revenue of 甲公司 (Mainland China), 2024: 3,000,000,000 CNY of "
                "10,000,000,000 CNY is 30 % (between 29.3532 % and 30.6533 %); stated 30 %: "
                "consistent",
                PCT, "3E+1",
            ),
        ],
    ),
    "a whole implied by a share": (
        [
            ("", "Revenue", "2024", "3000000000", "CNY", "", "", "mainland-china"),
            ("", "RevenueShare", "2024", "30", "percent", "", "", "mainland-china"),
        ],
        "甲公司2024年境內收入30億元,占比30%。",
        [
            (
                "implied-value", "derived",
                "Revenue of 甲公司, 2024: implied by 3,000,000,000 CNY being 30 % of it: "
                "10,000,000,000 CNY (between 9,672,131,148 CNY and 10,338,983,051 CNY)",
                CNY, "1E+10",
            ),
            (
                "share-total", "consistent",
                "Shares of Revenue of 甲公司, 2024: Mainland China 30 %: not above 100 %: "
                "consistent",
                PCT, "30",
            ),
        ],
    ),
    "growth of a figure under one": (
        [
            ("", "EPS", "2024", "0.6", "CNY", "20", "", ""),
            ("", "EPS", "2023", "0.5", "CNY", "", "", ""),
        ],
        "甲公司2024年每股收益0.6元,同比增長20%,上年0.5元。",
        [
            (
                "growth", "consistent",
                "Earnings per share of 甲公司, 2024: 0.6 CNY against 0.5 CNY in 2023 is +20 % "
                "year on year (between 0 % and +44.4444 % at the stated precision); stated "
                "+20 %: consistent",
                PCT, "2E+1",
            ),
        ],
    ),
    "a share of a whole under one": (
        [
            ("", "Revenue", "2024", "0.5", "CNY", "", "", ""),
            ("", "RevenueShare", "2024", "40", "percent", "", "", "overseas"),
        ],
        "甲公司2024年收入為0.5元,境外收入占比40%。",
        [
            (
                "implied-value", "derived",
                "Revenue of 甲公司 (Overseas), 2024: implied by 40 % of 0.5 CNY: 0.2 CNY "
                "(between 0.1778 CNY and 0.2228 CNY)",
                "https://w3id.org/xmgraph/unit/CNY", "0.2",
            ),
            (
                "share-total", "consistent",
                "Shares of Revenue of 甲公司, 2024: Overseas 40 %: not above 100 %: consistent",
                PCT, "40",
            ),
        ],
    ),
    "shares of units": (
        [
            ("", "Revenue", "2024", "10000000000", "CNY", "", "", ""),
            ("a", "RevenueShare", "2024", "60", "percent", "", "", ""),
            ("b", "RevenueShare", "2024", "50", "percent", "", "", ""),
        ],
        "甲公司2024年收入為100億元,甲A占比60%,甲B占比50%。",
        [
            (
                "implied-value", "derived",
                "Revenue of 甲A, 2024: implied by 60 % of 10,000,000,000 CNY: 6,000,000,000 CNY "
                "(between 5,920,250,000 CNY and 6,080,250,000 CNY)",
                CNY, "6E+9",
            ),
            (
                "implied-value", "derived",
                "Revenue of 甲B, 2024: implied by 50 % of 10,000,000,000 CNY: 5,000,000,000 CNY "
                "(between 4,925,250,000 CNY and 5,075,250,000 CNY)",
                CNY, "5E+9",
            ),
            (
                "share-total", "inconsistent",
                "Shares of Revenue of 甲公司, 2024: 甲A 60 %, 甲B 50 % add up to 110 %: more than "
                "100 %: inconsistent",
                PCT, "110",
            ),
        ],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", WHOLE_MESSAGES)
def test_whole_messages_units_and_values_of_the_checks(case):
    """Each check's kind, status, message, unit and value, word for word: numbers grouped
    with their sign, amounts rounded to four places below 1,000, the period before named."""
    rows, text, want = WHOLE_MESSAGES[case]
    checks = sorted(run_checks(_graph_of(rows, text)), key=lambda c: (c.kind, c.message))
    got = [
        (
            c.kind,
            c.status,
            c.message,
            str(c.unit) if c.unit else None,
            str(c.expected) if c.expected is not None else None,
        )
        for c in checks
    ]
    assert got == want


def test_checks_not_recorded_leave_the_graph_as_it_was():
    rows, text, _ = WHOLE_MESSAGES["shares of regions"]
    graph = _graph_of(rows, text)
    check_graph(graph)
    recorded = len(graph)
    assert len(check_graph(graph, record=False)) == 4
    assert len(graph) == recorded


def test_recorded_checks_state_values_as_decimals_and_messages_in_english(seed_graph, copy_of):
    from rdflib.namespace import XSD

    graph = copy_of(seed_graph)
    check_graph(graph)
    results = set(graph.subjects(RDF.type, XMG.CheckResult))
    comments = {o for r in results for o in graph.objects(r, RDFS.comment)}
    values = {o for r in results for o in graph.objects(r, XMG.expected)}
    assert comments
    assert {c.language for c in comments} == {"en"}
    assert values
    assert {v.datatype for v in values} == {XSD.decimal}


def test_precision_of_zero_of_rounding_to_units_and_of_latin_scales():
    from xmgraph.precision import rounded_within, written_steps

    assert resolution(Decimal(0), []) == 1
    within = Bounds(Decimal("12.3"), Decimal("12.4"))
    assert rounded_within(Decimal("12.345"), within, integral=True) == 12
    assert written_steps(Decimal("1200000000"), ["sales of 1.2bn"]) == [Decimal("1E+8")]


def test_an_observation_without_text_is_quoted_empty():
    from dataclasses import replace

    from xmgraph.check_run import quote

    graph = _graph_of([("", "Revenue", "2024", "10000000000", "CNY", "", "", "")], "收入100億元")
    (obs,) = read_observations(graph)
    assert quote(obs) == "“收入100億元”"
    assert quote(replace(obs, texts=())) == "“”"


def test_a_share_with_no_upper_bound_implies_no_value():
    """超过40%: more than 40 % of the whole is no value of the part."""
    rows, text, _ = WHOLE_MESSAGES["a share of a whole under one"]
    graph = build([_extraction_of(rows, text, qualifiers=("more-than",))])
    assert [c.kind for c in run_checks(graph)] == ["share-total"]
