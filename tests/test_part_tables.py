"""Tables of parts: a part a row, a metric a column (xmgraph.part_tables)."""

from __future__ import annotations

from xmgraph.lexicon import load_lexicon
from xmgraph.part_tables import part_rows

TABLE = (
    "华辰钢构2024年年报解读\n"
    "分产品 | 营业收入 | 占比 | 毛利率 |\n"
    "---|---|---|---|\n"
    "钢结构 | 48.30亿元 | 51.20% | 14.60% |\n"
    "其他业务 | 2.40亿元 | - | 48.10% |\n"
    "分地区 | 营业收入 | 占比 | 毛利率 |\n"
    "华东区 | 39.70亿元 | 42.00% | 16.40% |\n"
)


def _rows(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    lex = load_lexicon()
    return [
        (r.label, [(q.metric.iri.rsplit("/", 1)[-1], str(q.value)) for q in r.cells if q.metric])
        for r in part_rows(text, lex)
    ]


def test_each_row_of_a_table_of_parts_gives_its_cells_in_their_columns_metrics():
    assert _rows(TABLE) == [
        (
            "钢结构",
            [("Revenue", "4830000000.00"), ("RevenueShare", "51.20"), ("GrossMargin", "14.60")],
        ),
        ("其他业务", [("Revenue", "240000000.00"), ("GrossMargin", "48.10")]),
    ]


def test_a_row_label_stands_where_the_text_writes_it():
    lex = load_lexicon()
    rows = part_rows(TABLE, lex)
    assert all(TABLE[r.start : r.end] == r.label for r in rows)


def test_a_table_of_regions_or_of_no_metric_gives_no_rows():
    assert _rows("分地区 | 营业收入 |\n华东区 | 39.70亿元 |\n") == []
    assert _rows("分产品 | 市盈率 | 股价 |\n钢结构 | 12.3 | 4.50元 |\n") == []
