"""Patterns: quantities, periods and names as the extraction stage reads them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xmgraph.lexicon import load_lexicon
from xmgraph.model import Period
from xmgraph.patterns import compile_patterns, label_pattern, parse_quantity, resolve_period


@pytest.fixture(scope="module")
def pats():
    return compile_patterns(load_lexicon())


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("765.6亿元", "76560000000", "CNY"),
        ("人民币272亿", "27200000000", "CNY"),
        ("1.685 亿台", "168500000", "unit"),
        ("13.6854 万辆", "136854", "vehicle"),
        ("21190人", "21190", "person"),
        ("46,820人", "46820", "person"),
        ("港币6.08元", "6.08", "HKD"),
        ("12.5亿美元", "1250000000", "USD"),
        ("1.81万亿元", "1810000000000", "CNY"),
        ("13.8%", "13.8", "percent"),
        ("10亿台设备", "1000000000", "device"),
    ],
)
def test_quantities(pats, text, value, unit):
    m = pats.quantity.search(text)
    q = parse_quantity(m, pats, load_lexicon())
    assert q is not None
    assert q.value == Decimal(value)
    assert q.unit is not None
    assert q.unit.code == unit


@pytest.mark.parametrize("text", ["HyperOS 1.5.5", "SU7", "Xiaomi 15 Ultra", "2.0版本"])
def test_not_quantities(pats, text):
    for m in pats.quantity.finditer(text):
        assert (m["scale"], m["unit"], m["prefix"]) == (None, None, None), m.group()


@pytest.mark.parametrize(
    ("template", "year", "code"),
    [("{year}-Q4", 2024, "2024-Q4"), ("{year}-09-end", 2024, "2024-09-30"), ("2024", None, "2024")],
)
def test_resolve_period(template, year, code):
    period = resolve_period(template, year, None)
    assert period is not None
    assert period.code == code


def test_report_period_templates():
    assert resolve_period("{report}", None, Period("2024-H1")) == Period("2024-H1")
    assert resolve_period("{report-end}", None, Period("2024-H1")) == Period("2024-06-30")
    assert resolve_period("{year}", None, None) is None


def test_label_pattern_tolerates_spaces_and_keeps_latin_words_whole():
    import re

    assert re.search(label_pattern("SU7系列"), "其中 SU7 系列交付量")
    assert not re.search(label_pattern("SU7"), "SU77")
