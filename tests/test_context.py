"""The context stage: a report's publication date (its dateline, or the date given) and its
boilerplate (what states no results), on the normalized text."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xmgraph.context import add_context, find_boilerplate, in_boilerplate, parse_date
from xmgraph.errors import XmgraphError
from xmgraph.lexicon import load_lexicon
from xmgraph.model import Document, Report
from xmgraph.normalize import normalize
from xmgraph.read import read_report

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).parents[1] / "src/xmgraph/data/xiaomi-2024-annual-results.txt"

HKEX = (
    "香港交易及結算所有限公司及香港聯合交易所有限公司對本公告之內容概不負責，"
    "對其準確性或完整性亦不發表任何聲明，並明確表示，概不對因本公告全部或任何部分內容"
    "而產生或因倚賴該等內容而引致的任何損失承擔任何責任。"
)


def context(text: str, published: date | None = None) -> Document:
    doc = normalize(Report("a.txt", text, "0" * 64, "utf-8"))
    return add_context(doc, load_lexicon(), published=published)


def boilerplate(text: str) -> list[str]:
    doc = context(text)
    return [doc.text[a:b] for a, b in doc.boilerplate]


# ---------------------------------------------------------------- the publication date


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("date 2025-11-25\n小米集团公布第三季度业绩。", date(2025, 11, 25)),
        ("Date: 2025/11/25\n小米集团公布第三季度业绩。", date(2025, 11, 25)),
        ("发布时间：2025年11月25日\n小米集团公布业绩。", date(2025, 11, 25)),
        ("2025年11月25日，小米集团发布2025年第三季度业绩。", date(2025, 11, 25)),
        ("小米三季度营收创新高\n2025年11月25日 10:32 来源：证券时报\n正文。", date(2025, 11, 25)),
        ("小米三季度营收创新高\n2025-11-25\n正文。", date(2025, 11, 25)),
        # a news agency's dateline: the year from the period reported (ended before it)
        ("新华社北京11月25日电 小米集团25日公布2025年第三季度业绩。", date(2025, 11, 25)),
        ("新华社北京3月18日电（记者张三）小米集团18日公布2024年全年业绩。", date(2025, 3, 18)),
        ("中新网北京8月20日电 小米集团公布截至2025年6月30日止六个月业绩。", date(2025, 8, 20)),
        ("新華社香港3月20日電 騰躍體育公佈2024年業績。", date(2025, 3, 20)),
        ("新华社北京2025年3月18日电 小米集团公布业绩。", date(2025, 3, 18)),
        # … or from the same day written in full elsewhere
        ("新华社北京11月25日电 小米集团公布业绩。\n（2025年11月25日）", date(2025, 11, 25)),
        # a date standing alone on one of the last lines
        (
            "業績公告\n收益為10億港元。\n香港，二零二五年三月二十日\n於本公告日期，董事會包括張三。",
            date(2025, 3, 20),
        ),
        ("业绩快报\n营收10亿元。\n华辰科技股份有限公司董事会\n2025年3月20日", date(2025, 3, 20)),
    ],
)
def test_datelines(text, published):
    assert context(text).published == published


@pytest.mark.parametrize(
    "text",
    [
        "小米集团公布业绩，营收3659亿元。",
        "华辰科技3月20日晚间发布2024年年度报告。",  # a date of the news, not a dateline
        "截至2024年12月31日，公司员工总数为5962人。",
        "标题\n2024年12月31日，公司总资产为865亿元。",  # a balance's date, not the first line
        "2024年12月31日止年度业绩公告\n收益为10亿元。",
        "新华社北京5月22日电 联想集团公布2025财年业绩。",  # a fiscal year's end is not told
        "新华社北京11月25日电 小米集团公布2024年全年业绩。",  # eleven months later: unsure
        "正文。\n截至2025年3月31日",
        "正文。\n公司于2025年3月20日召开董事会审议通过年报。",
    ],
)
def test_no_dateline(text):
    assert context(text).published is None


def test_the_given_date_wins():
    text = "date 2025-11-25\n小米集团公布业绩。"
    assert context(text, published=date(2024, 1, 2)).published == date(2024, 1, 2)


def test_dateline_read_from_a_big5_file(tmp_path):
    path = tmp_path / "hk.txt"
    text = "騰躍體育中期業績\n收益為港幣二十五億六千三百萬元。\n香港，二零二四年八月二十日\n"
    path.write_bytes(text.encode("big5"))
    doc = normalize(read_report(path))
    assert add_context(doc, load_lexicon()).published == date(2024, 8, 20)


@pytest.mark.parametrize("value", ["2025-11-31", "25-11-25", "2025/11/25", "yesterday", ""])
def test_parse_date_refuses(value):
    with pytest.raises(XmgraphError, match=r"^E016: bad --date"):
        parse_date(value)


# ---------------------------------------------------------------- boilerplate


def test_hkex_disclaimer_in_traditional():
    text = f"騰躍體育用品集團有限公司\n{HKEX}\n收益為人民幣15,284.6百萬元。"
    doc = context(text)
    (span,) = doc.boilerplate
    assert doc.text[span[0] : span[1]].startswith("香港交易及结算所")
    assert doc.text[span[0] : span[1]].endswith("任何责任。")
    figure = doc.text.index("收益")
    assert not in_boilerplate(doc, figure, len(doc.text))


def test_directors_statement_and_special_note():
    text = (
        "光合新能源2024年度业绩快报\n"
        "本公司董事会及全体董事保证本公告内容不存在任何虚假记载、误导性陈述或者重大遗漏。\n"
        "特别提示：本公告所载2024年度主要财务数据为初步核算数据，请投资者注意投资风险。\n"
        "报告期内，公司实现营业总收入412.36亿元。"
    )
    found = boilerplate(text)
    assert len(found) == 1
    assert found[0].startswith("本公司董事会")
    assert found[0].endswith("注意投资风险。")


def test_a_heading_alone_takes_what_follows_it():
    text = "营收100亿元。\n风险提示\n1. 行业竞争加剧。\n2. 原材料涨价。\n\n公司展望良好。"
    assert boilerplate(text) == ["风险提示\n1. 行业竞争加剧。\n2. 原材料涨价。"]
    special = "特别提示\n本公告数据未经审计。\n营收100亿元。"
    assert boilerplate(special) == ["特别提示\n本公告数据未经审计。"]


@pytest.mark.parametrize(
    "line",
    ["风险提示：宏观经济下行。", "六、风险提示", "【免责声明】本文不构成投资建议。", "免责声明"],
)
def test_headings(line):
    assert boilerplate(f"营收100亿元。\n{line}") == [context(line).text]


def test_a_cue_inside_a_sentence_is_no_heading():
    assert boilerplate("公司同日发布风险提示公告，营收100亿元。") == []


def test_closing_of_an_announcement():
    text = "收益為10億港元。\n承董事會命\n騰躍體育\n主席\n張三\n\n香港，二零二五年三月二十日"
    assert boilerplate(text) == ["承董事会命\n腾跃体育\n主席\n张三\n\n香港,二零二五年三月二十日"]


@pytest.mark.parametrize("line", ["第3页 共10页", "第3頁/共10頁", "- 3 -", "Page 2 of 9", "第三页"])
def test_page_furniture(line):
    assert len(boilerplate(f"营收100亿元。\n{line}\n净利润10亿元。")) == 1


def test_no_boilerplate_in_a_results_story():
    assert boilerplate("小米集团2024年营收3659亿元，同比增长35%。\n第三季度营收925亿元。") == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 15)), max_size=6),
    st.integers(0, 70),
    st.integers(0, 15),
)
def test_in_boilerplate_is_overlap(raw, start, length):
    spans = tuple(sorted({(a, a + n) for a, n in raw}))
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    doc = Document(Report("a", "x" * 80, "0", "utf-8"), "x" * 80, (), (), boilerplate=tuple(merged))
    end = start + length
    expected = any(a < max(end, start + 1) and start < b for a, b in merged)
    assert in_boilerplate(doc, start, end) == expected


# ---------------------------------------------------------------- the evaluation sets


def _evaluation_texts(*, published_sets: bool = True):
    """The seed and every evaluation text (without the sets written for published text, whose
    datelines and boilerplate are theirs to have, when ``published_sets`` is false)."""
    newer = ("realistic", "sealed5")
    return [
        SEED,
        *sorted(
            p
            for p in DATA.rglob("*.txt")
            if p.with_suffix(".facts.csv").is_file()
            and (published_sets or p.parent.name not in newer)
        ),
    ]


def test_no_gold_fact_is_in_boilerplate():
    """Precision first, never at recall's cost: no sentence a gold fact was read from lies in
    what the context stage calls boilerplate."""
    lex = load_lexicon()
    for path in _evaluation_texts():
        gold = path.with_suffix(".facts.csv") if path != SEED else DATA / "seed.facts.csv"
        doc = add_context(normalize(read_report(path), vocabulary=lex.vocabulary), lex)
        spans = [doc.original_span(a, b) for a, b in doc.boilerplate]
        with gold.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                s, e = int(row["start"]), int(row["end"])
                # a sealed set's sentence is never shown: its file name only
                shown = row["source"] if "sealed" not in path.parent.name else "(sealed)"
                assert not any(a < e and s < b for a, b in spans), (path.name, shown)


def test_datelines_of_the_evaluation_sets():
    """The evaluation texts were written without datelines, but one: a …讯 dateline."""
    lex = load_lexicon()
    found = {}
    for path in _evaluation_texts(published_sets=False):
        doc = add_context(normalize(read_report(path), vocabulary=lex.vocabulary), lex)
        if doc.published is not None:
            found[path.name] = doc.published
    assert found == {"k01_xingying_cinema_2024.txt": date(2025, 4, 18)}


def test_boilerplate_of_the_evaluation_sets():
    lex = load_lexicon()
    found = {}
    for path in _evaluation_texts(published_sets=False):
        text = normalize(read_report(path), vocabulary=lex.vocabulary).text
        if spans := find_boilerplate(text, lex):
            found[path.name] = [text[a:b][:8] for a, b in spans]
    assert found == {
        "f05_hengneng_battery_2024.txt": ["本公告所载202"],
        "f07_guanghe_solar_2024.txt": ["本公司董事会及全"],
    }


def test_a_release_after_the_signature_block_is_no_boilerplate():
    text = (
        "承董事會命\n騰躍體育\n主席\n張三\n\n香港，二零二五年三月二十日\n\n"
        "附錄 新聞稿\n騰躍體育第一季度收益為10億港元。"
    )
    (span,) = boilerplate(text)
    assert span.startswith("承董事会命\n腾跃体育\n主席\n张三\n\n香港,二零二五年三月二十日")
    assert "收益" not in span
