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
        # a unit whose word begins with a scale word: the unit, not the scale (5千升 is no 5,000)
        ("5千升", "5", "kL"),
        ("220千伏", "220", "kV"),
        ("22.05亿千瓦时", "2205000000", "kWh"),
        ("1200万千瓦", "12000000", "kW"),
    ],
)
def test_quantities(pats, text, value, unit):
    m = pats.quantity.search(text)
    q = parse_quantity(m, pats, load_lexicon())
    assert q is not None
    assert q.kind == "quantity"
    assert q.value == Decimal(value)
    assert q.unit is not None
    assert q.unit.code == unit


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("净利润4 215.37万元", "42153700"),  # a typeset text's thin groups of three
        ("每股收益0.237 1元", "0.2371"),
        ("营收1\u2009205亿元", "120500000000"),
    ],
)
def test_digits_grouped_by_spaces_are_one_number(pats, text, value):
    q = parse_quantity(pats.quantity.search(text), pats, load_lexicon())
    assert q is not None
    assert q.value == Decimal(value)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("营业收入 12 345 678", "12"),  # table cells, no unit after them: no one number
        ("Q3 100亿元", "100"),  # a quarter's digit is no group of a number
        ("2024 123亿元", "2024"),  # four digits open no group
    ],
)
def test_digits_apart_without_a_unit_are_apart(pats, text, first):
    assert pats.quantity.search(text)["num"] == first


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


# ---------------------------------------------------------------- period words as data

import itertools  # noqa: E402
from datetime import date  # noqa: E402

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from xmgraph.patterns import (  # noqa: E402
    chinese_amount,
    fiscal_period,
    malformed_numbers,
    months_ended,
    parse_chinese_quantity,
    parse_number,
    previous_quarter,
    reported_quarter,
)

PUBLISHED = date(2025, 11, 25)


@given(st.text(alphabet="xR O1E-，营", max_size=10), st.booleans())
@settings(max_examples=300, deadline=None)
def test_label_pattern_guard_after_the_first_character_matches_as_before_it(text, digits):
    """The guard of a Latin label (no letter, or digit, before it) stands after its first
    character so that re can skip the positions no word starts at: the same matches as the
    guard before it, at every start position."""
    import re

    guard = r"(?<![A-Za-z])" if digits else r"(?<![A-Za-z0-9])"
    before = re.compile(guard + r"R\s*O\s*E(?![A-Za-z0-9])")
    after = re.compile(label_pattern("ROE", after_digits=digits))
    assert [m.span() for m in after.finditer(text)] == [m.span() for m in before.finditer(text)]
    for k in range(len(text) + 1):
        a, b = after.match(text, k), before.match(text, k)
        assert (a and a.span()) == (b and b.span())


def period_of(pats, text, year=2025, report=None, published=PUBLISHED):
    """The period the first period word of ``text`` names."""
    m = pats.period_word.search(text)
    assert m is not None, text
    template = pats.period_by_word[m.group().replace(" ", "")]
    p = resolve_period(template, year, report, published=published)
    return None if p is None else p.code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("今年营收", "2025"),
        ("去年营收", "2024"),
        ("前年营收", "2023"),
        ("明年目标", "2026"),
        ("今年底门店数", "2025-12-31"),
        ("去年末员工", "2024-12-31"),
        ("本季度营收", "2025-Q3"),  # published 2025-11-25: the third quarter is reported
        ("本季营收", "2025-Q3"),
        # named by no other word: the last quarter ended (news of results just out)
        ("上季度营收", "2025-Q3"),
        ("上一季度", "2025-Q3"),
        ("第三季收益", "2025-Q3"),  # HK: 第三季 without 度
        ("首三季收益", "2025-01-01/2025-09-30"),
        ("前三季度", "2025-01-01/2025-09-30"),
        ("首季", "2025-Q1"),
        ("上半年度", "2025-H1"),
        ("下半年度", "2025-H2"),
        ("12月季度营收", "2025-Q4"),  # a US company's December quarter
        ("December quarter revenue", "2025-Q4"),
    ],
)
def test_period_words(pats, text, code):
    assert period_of(pats, text) == code


@pytest.mark.parametrize("text", ["上季度营收", "上一季度", "上季收入"])
def test_last_quarter_is_the_one_before_a_reported_quarter(pats, text):
    assert period_of(pats, text, report=Period("2025-Q3")) == "2025-Q2"


@pytest.mark.parametrize("text", ["今年营收", "去年营收", "明年目标", "今年底门店数"])
def test_relative_words_resolve_to_nothing_without_a_publication_date(pats, text):
    assert period_of(pats, text, published=None) is None


def test_year_to_date_is_no_period(pats):
    assert pats.period_word.search("今年以来，股价累计上涨").group() == "今年以来"
    assert period_of(pats, "今年以来，股价累计上涨") is None


@pytest.mark.parametrize(
    "text", ["目前年产能达到10万吨", "提前年底完成", "说明年度报告", "过去年度"]
)
def test_period_words_never_start_inside_another_word(pats, text):
    found = [m.group() for m in pats.period_word.finditer(text)]
    assert not {"前年", "明年", "去年"} & set(found), found


def test_reported_quarter_prefers_the_report():
    assert reported_quarter(Period("2024-Q2"), PUBLISHED) == Period("2024-Q2")
    assert reported_quarter(Period("2024"), PUBLISHED) == Period("2025-Q3")  # over the report
    assert reported_quarter(Period("2024-01-01/2024-09-30"), None) == Period("2024-Q3")
    assert reported_quarter(Period("2024"), None) == Period("2024-Q4")
    assert reported_quarter(Period("2024-11"), None) is None  # no quarter ends with it
    assert reported_quarter(None, date(2025, 1, 20)) == Period("2024-Q4")
    assert reported_quarter(None, None) is None
    assert previous_quarter(Period("2025-Q1")) == Period("2024-Q4")
    assert resolve_period("{previous-quarter}", None, Period("2024-Q3")) == Period("2024-Q2")
    assert resolve_period("{none}", 2024, Period("2024"), published=PUBLISHED) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("截至2024年3月31日止三个月", "2024-Q1"),
        ("截至2024年6月30日止六个月", "2024-H1"),
        ("截至2024年9月30日止九个月", "2024-01-01/2024-09-30"),
        ("截至2025年3月31日止年度", "2024-04-01/2025-03-31"),
        ("截至2025年9月底止中期", "2025-04-01/2025-09-30"),
        ("截至9月底止中期", "{year}-04-01/{year}-09-30"),
        ("截至6月30日止六个月", "{year}-H1"),
        ("截至9月30日止九个月", "{year}-01-01/{year}-09-30"),
    ],
)
def test_months_ended(pats, text, code):
    m = pats.ended.search(text)
    assert m is not None
    assert m.group() == text
    assert months_ended(m, load_lexicon()) == code


def test_months_ended_without_a_year_across_years_is_read_by_publication(pats):
    """截至3月31日止年度 without a year: the year ended last on that day before the text was
    published, and nothing in a text with no date."""
    code = months_ended(pats.ended.search("截至3月31日止年度"), load_lexicon())
    assert code == "{published-ended-03-31-12}"
    assert resolve_period(code, 2024, None) is None
    after = resolve_period(code, None, None, published=date(2025, 3, 31))
    before = resolve_period(code, None, None, published=date(2025, 3, 30))
    assert (after, before) == (Period("2024-04-01/2025-03-31"), Period("2023-04-01/2024-03-31"))


def test_interim_needs_its_end_word(pats):
    """于6月30日中期股息: 中期 is the dividend's, not six months ended (止 is not written)."""
    assert pats.ended.search("于6月30日中期股息") is None


def test_a_dates_month_is_no_count_of_months(pats):
    """于2024年6月30日12月31日: two balance columns' dates run together; 12月 begins a date
    (12月31日), it counts no twelve months ended (a year to June, read before)."""
    assert pats.ended.search("于2025年于2024年6月30日12月31日百万港元") is None
    m = pats.ended.search("截至2024年6月30日止12个月")
    assert m is not None
    assert months_ended(m, load_lexicon()) == "2023-07-01/2024-06-30"


def test_december_quarter_after_a_year(pats):
    text = "2024年12月季度营收"
    assert pats.date.search(text) is None  # not the month of December
    assert pats.year.search(text).group() == "2024年"
    assert period_of(pats, text, year=2024) == "2024-Q4"
    assert pats.date.search("2024年12月营收").group() == "2024年12月"  # a month is a month


def test_traditional_hk_periods_read_after_normalization(pats):
    from xmgraph.model import Report
    from xmgraph.normalize import normalize
    from xmgraph.patterns import chinese_dates

    doc = normalize(Report("a.txt", "截至二零二五年九月三十日止六個月之收益", "0", "utf-8"))
    ((_, digits),) = chinese_dates(doc.text, 0, len(doc.text), load_lexicon())
    assert digits == "截至2025年9月30日止6个月"
    assert months_ended(pats.ended.fullmatch(digits), load_lexicon()) == "2025-04-01/2025-09-30"


@pytest.mark.parametrize(
    ("code", "year_end", "fiscal"),
    [
        ("2025", "--03-31", "2024-04-01/2025-03-31"),
        ("2025-Q1", "--03-31", "2024-Q2"),
        ("2025-Q4", "--03-31", "2025-Q1"),
        ("2025-H2", "--03-31", "2024-10-01/2025-03-31"),
        ("2025-01-01/2025-09-30", "--03-31", "2024-04-01/2024-12-31"),
        ("2025", "--06-30", "2024-07-01/2025-06-30"),
        ("2025", (9, 30), "2024-10-01/2025-09-30"),
        ("2025", "--12-31", "2025"),
        ("2025-Q3", "12-31", "2025-Q3"),
        ("2025-03-31", "--03-31", "2025-03-31"),  # a day is a day
        ("2025-07", "--03-31", "2025-07"),  # a month is a month
    ],
)
def test_fiscal_period(code, year_end, fiscal):
    assert fiscal_period(Period(code), year_end).code == fiscal


def test_fiscal_period_refuses_a_bad_year_end():
    with pytest.raises(ValueError, match="fiscal year end"):
        fiscal_period(Period("2025"), "March")


@settings(max_examples=300, deadline=None)
@given(st.integers(2001, 2098), st.integers(1, 12), st.integers(1, 31) | st.just(31))
def test_fiscal_quarters_tile_the_fiscal_year(year, month, day):
    """Any fiscal year end (a month's end, or another day): quarters and halves follow one
    another without gap or overlap from the fiscal year's first day to its last."""
    import calendar

    end = (month, min(day, calendar.monthrange(2001, month)[1]))
    fy = fiscal_period(Period(str(year)), end).bounds()
    quarters = [fiscal_period(Period(f"{year}-Q{q}"), end).bounds() for q in range(1, 5)]
    halves = [fiscal_period(Period(f"{year}-H{h}"), end).bounds() for h in (1, 2)]
    for parts in (quarters, halves):
        assert parts[0][0] == fy[0]
        assert parts[-1][1] == fy[1]
        for (_, last), (first, _) in itertools.pairwise(parts):
            assert (first - last).days == 1
    assert fy[1].year == year
    assert 365 <= (fy[1] - fy[0]).days + 1 <= 366


# ---------------------------------------------------------------- numbers

DIGITS = "零一二三四五六七八九"


def _group(n: int, lead: bool) -> str:
    """A group below 10000 in Chinese numerals (standard form)."""
    out, zero = "", False
    for value, place in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ("" if (value == 10 and d == 1 and lead and not out) else DIGITS[d]) + place
    return out


def to_chinese(n: int) -> str:
    """A positive integer (below 10^16) written in Chinese numerals, as an announcement would."""
    out = ""
    parts = []
    rest = n
    for unit in (10**8, 10**4, 1):
        parts.append(rest // unit)
        rest %= unit
    yi, wan, low = parts
    if yi:
        out += (to_chinese(yi) if yi >= 10**4 else _group(yi, lead=True)) + "亿"
    if wan:
        out += ("零" if out and wan < 1000 else "") + _group(wan, lead=not out) + "万"
    if low:
        zero = out and (low < 1000 or (wan == 0 and yi))
        out += ("零" if zero else "") + _group(low, lead=not out)
    return out


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (2563000000, "二十五亿六千三百万"),
        (32000000, "三千二百万"),
        (12000000000, "一百二十亿"),
        (1005, "一千零五"),
        (100050000, "一亿零五万"),
        (15, "十五"),
        (10**12, "一万亿"),
    ],
)
def test_the_reference_writer(n, text):
    assert to_chinese(n) == text


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 10**12))
def test_chinese_numerals_round_trip(n):
    text = to_chinese(n)
    assert chinese_amount(text, load_lexicon()) == n, text


@pytest.mark.parametrize(
    "text",
    [
        *("", "零", "万", "亿万", "百万", "一百二", "三亿五", "二零二五", "一千零", "五五"),
        *("十亿万", "一万万", "三亿亿"),  # a closer written twice multiplies nothing
    ],
)
def test_not_chinese_amounts(text):
    assert chinese_amount(text, load_lexicon()) is None


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("港幣二十五億六千三百萬元", "2563000000", "HKD"),
        ("三千二百万元", "32000000", "CNY"),
        ("一百二十亿", "12000000000", None),
        ("一千万辆", "10000000", "vehicle"),
        ("人民币二点五亿元", "250000000", "CNY"),
    ],
)
def test_chinese_numeral_quantities(pats, text, value, unit):
    from xmgraph.model import Report
    from xmgraph.normalize import normalize

    simplified = normalize(Report("a.txt", text, "0", "utf-8")).text
    m = pats.cn_quantity.search(simplified)
    q = parse_chinese_quantity(m, pats, load_lexicon())
    assert q is not None
    assert (q.start, q.end) == (0, len(simplified))
    assert q.value == Decimal(value)
    assert (q.unit.code if q.unit else None) == unit


@pytest.mark.parametrize(
    "text", ["十分重要", "双十一", "数十亿元", "几十亿元", "三人", "十亿多元", "一百二十"]
)
def test_not_chinese_numeral_quantities(pats, text):
    for m in pats.cn_quantity.finditer(text):
        assert parse_chinese_quantity(m, pats, load_lexicon()) is None, m.group()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,204.37", "1204.37"),
        ("52.3亿", "5230000000"),
        ("-3.5", "-3.5"),
        ("3.5 万亿", "3500000000000"),
        ("二十五亿六千三百万", "2563000000"),
        ("1.204.37亿", None),
        ("1.204,37", None),
        ("1,20.4亿", None),
        ("12,34", None),
        ("约3亿", None),
    ],
)
def test_parse_number(text, value):
    got = parse_number(text, load_lexicon())
    assert got == (None if value is None else Decimal(value))


@pytest.mark.parametrize("text", ["营收1.204.37億元", "营收1.204,37亿元", "营收1,20.4亿元"])
def test_separator_typos_give_no_figure(pats, text):
    assert malformed_numbers(text)
    for m in pats.quantity.finditer(text):
        assert (m["scale"], m["unit"], m["prefix"]) == (None, None, None), m.group()


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_well_written_numbers_are_read_whole(value):
    text = f"{value:,.2f}亿元"
    m = compile_patterns(load_lexicon()).quantity.search(text)
    assert m is not None
    assert m.group() == text
    assert not malformed_numbers(text)
    assert parse_number(text[:-1], load_lexicon()) == value * 10**8


def test_no_date_words_in_the_code():
    """The words of dates are data (periods.ttl): patterns.py and context.py hold none."""
    import ast
    import inspect
    import re as regex

    import xmgraph.context
    import xmgraph.patterns

    for module in (xmgraph.patterns, xmgraph.context):
        tree = ast.parse(inspect.getsource(module))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            literal = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if literal and id(node) not in docstrings:
                assert not regex.search("[\u4e00-\u9fff]", node.value), node.value


def test_every_period_word_resolves():
    lex = load_lexicon()
    for word, template in lex.period_words:
        assert template.startswith("{") or template[:4].isdigit(), (word, template)
        p = resolve_period(template, 2024, Period("2024-Q3"), published=PUBLISHED)
        assert (p is None) == (template == "{none}"), (word, template)


# ---------------------------------------------------------------- absurd figures


def test_absurd_figures_are_left_out_not_crashed_on():
    """A figure no company has (10^16 亿) or a number of a million digits is left out (and
    logged); the report's other figures are read as before."""
    from xmgraph.patterns import MAX_FIGURE, parse_number, read_digits, sane_figure

    lex = load_lexicon()
    assert parse_number("10000000000000000亿", lex) is None
    assert parse_number("9" * 1_000_000 + "亿", lex) is None
    assert read_digits("9" * 1_000_000) is None
    assert sane_figure(MAX_FIGURE, "x") is None
    assert parse_number("3659亿", lex) == Decimal("365900000000")


# --- found by mutation testing ---------------------------------------------------------------


def test_a_unit_after_digits_never_follows_a_letter():
    import re

    unit = label_pattern("GWh", after_digits=True)
    assert re.search(unit, "42.6GWh").group() == "GWh"
    assert re.search(unit, "abcGWh") is None
    assert re.search(unit, "ABCGWh") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "截至2024年3月15日止三个月",
            "2023-12-16/2024-03-15",
        ),  # from the day after, 3 months before
        ("截至2024年2月29日止两个月", "2024-01-01/2024-02-29"),
        ("截至2024年5月20日止12个月", "2023-05-21/2024-05-20"),
    ],
)
def test_months_ended_on_a_day_inside_a_month(pats, text, code):
    m = pats.ended.search(text)
    assert m is not None
    assert m.group() == text
    assert months_ended(m, load_lexicon()) == code


def test_compact_drops_what_the_regex_s_matches():
    """compact (str.split) removes exactly the characters ``\\s`` matches, every code point."""
    import re
    import sys

    from xmgraph.patterns import compact

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert compact(every) == re.sub(r"\s+", "", every)
    assert compact("营业 收入\u3000\u00a0") == "营业收入"


_WORD_CHARS = "营业收入 aA1Rb"


@given(
    st.lists(st.text(alphabet=_WORD_CHARS, min_size=1, max_size=5), min_size=1, max_size=12),
    st.text(alphabet=_WORD_CHARS + "x，", max_size=16),
    st.booleans(),
)
@example(["营 业", "营业收"], "营业收", False)  # a space inside sorts the shorter word first
@example(["a1", "1a", "a"], "xa1a", True)  # a guard on one of two words of one letter
@settings(max_examples=400, deadline=None)
def test_an_alternation_written_as_a_trie_matches_as_the_flat_one(words, text, digits):
    """``alternation`` writes the words' common beginnings once (营\\s*业(?:\\s*收…|\\s*成…)):
    the same match as the flat alternation, longest first, at every position, alone and
    before more pattern that makes ``re`` backtrack into it; or it is the flat one."""
    import re

    from xmgraph.patterns import alternation

    ordered = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    flat = "|".join(label_pattern(w, after_digits=digits) for w in ordered)
    trie = alternation(words, after_digits=digits)
    for tail in ("", r"\s*x", r"(?=\s*1)", r"\s*(?:业|a)", r"\s*入?1"):
        a, b = re.compile(f"(?:{trie}){tail}"), re.compile(f"(?:{flat}){tail}")
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]
        for k in range(len(text) + 1):
            x, y = a.match(text, k), b.match(text, k)
            assert (x and x.span()) == (y and y.span())


def test_a_long_alternation_is_written_as_a_trie():
    """The lexicon's metric names share their beginnings (营业…): written once each."""
    from xmgraph.patterns import alternation

    assert alternation(["营业收入", "营业成本", "ROE", "ROA"]) == (
        r"营\s*业(?:\s*成\s*本|\s*收\s*入)|R(?<![A-Za-z0-9]R)\s*O(?:\s*A(?![A-Za-z0-9])"
        r"|\s*E(?![A-Za-z0-9]))"
    )


@pytest.mark.parametrize("quarter", ["第一季度", "第1季度", "第四季度"])
def test_a_quarter_ended_on_a_day_names_its_numeral_whole(pats, quarter):
    """截至…止第一季度: 一 is a numeral of a quarter as much as 四 is."""
    text = f"截至2024年3月31日止{quarter}"
    m = pats.ended.search(text)
    assert m is not None
    assert m.group() == text


@given(
    published=st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)),
    month=st.integers(min_value=1, max_value=12),
    day=st.integers(min_value=1, max_value=31),
    months=st.sampled_from([3, 6, 9, 12]),
)
def test_months_ended_last_before_publication(published, month, day, months):
    """{published-ended-MM-DD-N}: the N months ended on the last such day on or before the
    publication date, never after it, never a year or more before it."""
    code = f"{{published-ended-{month:02d}-{day:02d}-{months}}}"
    p = resolve_period(code, None, None, published=published)
    assert p is not None
    start, end = p.bounds()
    assert end <= published
    assert (published - end).days < 366
    assert end.month == month
    assert round((end - start).days / 30.4) == months


_CN_MONTHS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


@given(
    year=st.integers(min_value=1990, max_value=2099), month=st.integers(min_value=1, max_value=12)
)
def test_a_year_in_digits_before_a_chinese_month_is_one_date(year, month):
    """截至2025年三月底止年度: the year in digits and the month in numerals are read as one date."""
    from xmgraph.patterns import chinese_dates

    text = f"截至{year}年{_CN_MONTHS[month - 1]}月底止年度，纯利"
    found = chinese_dates(text, 0, len(text), load_lexicon())
    assert [w for _, w in found] == [f"截至{year}年{month}月底止年度"]
