"""Round-up tables: a company a row, a metric a column (xmgraph.extract.company_rows)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xmgraph.extract.company_rows import company_row_cells
from xmgraph.lexicon import load_lexicon
from xmgraph.patterns import compile_patterns

HEAD = "公司名称 营收(亿元) 同比(%) 环比(%) 净利润(亿元) 净利率(%) 同比(%)\n"


def _cells(text: str, line: int) -> list[tuple[str, str, str]]:
    """(metric or column kind, value, the cell's text) of the figures of line ``line``."""
    lex = load_lexicon()
    starts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]
    a = starts[line]
    b = text.find("\n", a)
    b = len(text) if b < 0 else b
    return [
        (
            q.metric.iri.rsplit("/", 1)[-1] if q.metric else q.column,
            f"{q.value.normalize():f}" if q.value is not None else "",
            text[q.start : q.end],
        )
        for q in company_row_cells(text, a, b, compile_patterns(lex), lex)
    ]


def test_a_row_gives_each_cell_in_its_column_metric_and_scale():
    text = "一季度酒企业绩\n" + HEAD + "贵州茅台 506.20 9.80 1.10 262.10 51.80 10.20\n"
    assert _cells(text, 2) == [
        ("Revenue", "50620000000", "506.20"),
        ("row-change", "9.8", "9.80"),
        ("NetProfit", "26210000000", "262.10"),
        ("NetMargin", "51.8", "51.80"),
        ("amount-change", "10.2", "10.20"),
    ]


def test_rows_below_other_rows_find_the_header_and_bars_part_cells():
    text = (
        "| 股票简称 | 营业总收入(亿元) | 同比(%) |\n"
        "| 贵州茅台 | 506.20 | 9.80 |\n"
        "| 五粮液 | 352.15 | 6.40 |\n"
    )
    assert [c[:2] for c in _cells(text, 2)] == [
        ("Revenue", "35215000000"),
        ("row-change", "6.4"),
    ]


def test_a_row_of_no_company_known_or_listed_gives_nothing():
    text = HEAD + "华辰酒坊 506.20 9.80 1.10 262.10 51.80 10.20\n"
    assert _cells(text, 1) == []


def test_a_row_of_other_than_the_header_s_count_of_cells_gives_nothing():
    text = HEAD + "贵州茅台 506.20 9.80 1.10 262.10 51.80\n"
    assert _cells(text, 1) == []


def test_a_row_under_no_header_or_under_a_line_of_words_gives_nothing():
    assert _cells("贵州茅台 506.20 9.80\n", 0) == []
    text = HEAD + "以下为各公司数据\n贵州茅台 506.20 9.80 1.10 262.10 51.80 10.20\n"
    assert _cells(text, 2) == []


@given(st.text(alphabet="贵州茅台公司营收 0123456789.%|()\n亿", max_size=80))
def test_any_text_gives_cells_within_their_line(text: str):
    for line in range(text.count("\n") + 1):
        for _, _, cell in _cells(text, line):
            assert "\n" not in cell
            assert cell
