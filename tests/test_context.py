"""The context stage: a report's publication date (its dateline, or the date given) and its
boilerplate (what states no results), on the normalized text."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xmgraph.context import add_context, in_boilerplate, parse_date
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
        # a HK page's day/month/year and time on a line of its own
        ("华辰去年多赚5%\n\n28/3/2025 17:42\n华辰公布业绩。", date(2025, 3, 28)),
        # a HK paper's time stamp: the time before the date, a zone after it
        ("华辰去年多赚5%\n發佈時間:08:30 2025-06-27 HKT\n华辰公布业绩。", date(2025, 6, 27)),
        ("2025年11月25日，小米集团发布2025年第三季度业绩。", date(2025, 11, 25)),
        ("小米三季度营收创新高\n2025年11月25日 10:32 来源：证券时报\n正文。", date(2025, 11, 25)),
        ("小米三季度营收创新高\n2025-11-25\n正文。", date(2025, 11, 25)),
        # a portal's quote box and tags before the headline and its dateline
        (
            "我的自选\n代号 现价 升跌\n报价延迟十五分钟\n标签: 分析01234\n华辰去年多赚12%\n"
            "【评论】 华辰日报 2026/03/02 09:15\n华辰公布去年业绩。",
            date(2026, 3, 2),
        ),
        # a news agency's dateline: the year from the period reported (ended before it)
        ("新华社北京11月25日电 小米集团25日公布2025年第三季度业绩。", date(2025, 11, 25)),
        ("新华社北京3月18日电（记者张三）小米集团18日公布2024年全年业绩。", date(2025, 3, 18)),
        ("中新网北京8月20日电 小米集团公布截至2025年6月30日止六个月业绩。", date(2025, 8, 20)),
        ("新華社香港3月20日電 騰躍體育公佈2024年業績。", date(2025, 3, 20)),
        ("新华社北京2025年3月18日电 小米集团公布业绩。", date(2025, 3, 18)),
        ("金台财讯2月27日消息，华屹光电2月26日晚间披露2025年度业绩快报。", date(2026, 2, 27)),
        ("智讯财经3月19日丨融越地产公布截至2025年12月31日止年度业绩。", date(2026, 3, 19)),
        # a place, a source or a byline before the date (a press release, a broker note)
        ("澜岳科技公布业绩\n杭州2026年3月11日 /美通社/ -- 澜岳科技公布业绩。", date(2026, 3, 11)),
        ("证券研究报告\n银行业\n润衡证券研究所　2025年11月2日", date(2025, 11, 2)),
        (
            "岭东农商银行公布中期业绩\n公布日期：２０２５年８月２８日\n－　营收上升。",
            date(2025, 8, 28),
        ),
        # … or from the same day written in full elsewhere
        ("新华社北京11月25日电 小米集团公布业绩。\n（2025年11月25日）", date(2025, 11, 25)),
        # a date standing alone on one of the last lines
        (
            "業績公告\n收益為10億港元。\n香港，二零二五年三月二十日\n於本公告日期，董事會包括張三。",
            date(2025, 3, 20),
        ),
        ("业绩快报\n营收10亿元。\n华辰科技股份有限公司董事会\n2025年3月20日", date(2025, 3, 20)),
        # an English date line, even run into the headline and the body on one line
        ("华辰地产上半年多赚约2% Aug 21, 2025 华辰地产上半年盈利12.4亿元。", date(2025, 8, 21)),
        ("华辰地产中期业绩\n21 August 2025\n华辰地产上半年盈利12.4亿元。", date(2025, 8, 21)),
        # a page's section and the time before the date
        ("【盈警】华辰料去年转亏\n\n财经 09:41 2024/03/12\n\n华辰公布。", date(2024, 3, 12)),
        # a page's line of source and time: the date right after a label and a colon
        (
            "华辰去年转亏\n\n华辰网 作者:某某\n"
            "来源: 澄江电台  华辰网 时间: 2024-05-09 08:17:45  评论(/)\n\n"
            "华辰航空去年亏损4.1亿元。",
            date(2024, 5, 9),
        ),
        # a page repeating its headline and section over eight lines before its dateline
        (
            "Skip to Content\n華辰海運上半年多賺11%\n錢財事\n華辰海運上半年多賺11%\n"
            "錢財事\n錢財事\n華辰海運上半年多賺11%\n2024年09月03日 18:12 最後更新:19:05\n"
            "華辰海運上半年盈利3.2億美元。",
            date(2024, 9, 3),
        ),
        # the page's web address before the date and the time on the source's line
        (
            "华辰中期净利下降\nhttp://finance.example.com.cn 2011-08-19 20:55 来源: 华辰网\n正文。",
            date(2011, 8, 19),
        ),
        # a labelled first line giving the month alone: its first day
        ("date 2023-11 華辰集團中期業績出爐，收入上升。", date(2023, 11, 1)),
        # a page's headline, date and body run into one line, digits in the headline
        (
            "【異動股】華辰曾升5% 上財年多賺三成 2025年6月20日 華辰(01234)全年多賺30%。",
            date(2025, 6, 20),
        ),
        # a portal's list of broker ratings: the first row's date under 起评日
        (
            "首页 上页 下页\n最新买入评级\n研究员 推荐股票 所属行业 起评日* 起评价* 目标价\n"
            "(相对现价)\n短线评测 中线评测\n理由\n发布机构\n最高价* 结果\n"
            "澄江电气 电气设备行业 2024-05-14 21.30 -- 23.00\n详细\n公司Q1营收3.1亿元。",
            date(2024, 5, 14),
        ),
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
        "标题\n18:56 截至2023/03/27\n正文。",  # a time, but a balance's date
        "推荐股票 起评日\n" + "正文。\n" * 8 + "澄江电气 2024-05-14 21.30",  # no row under it
        "标题\n来源: 华辰网 截至时间: 2024-05-09\n正文。",  # a label inside a word: no dateline
        "标题\ndate 2023-11\n正文。",  # a month alone, on no first line
        "date 2023-1x 正文。",
        "华辰科技上半年盈利 2025年6月30日 的总资产为865亿元。",  # a balance's date: 的 after it
        "华辰科技公布，截至 2025年6月30日 止六个月收入为8亿元。",  # a clause ended before it
    ],
)
def test_no_dateline(text):
    doc = context(text)
    assert doc.published is None or doc.published_estimated


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("华辰医药公布2009年年报，去年营收4.2亿元。", date(2010, 1, 1)),
        ("澄江科技3月20日晚间发布2024年年度报告。", date(2025, 1, 1)),
        ("华辰钢铁发布2016年半年报，净利润为2315万元。", date(2016, 7, 1)),
        ("澄泉股份披露2025年第三季度报告，本季营收8亿元。", date(2025, 10, 1)),
        ("华辰科技公布，截至 2025年6月30日 止六个月收入为8亿元。", date(2025, 7, 1)),
        # two reports published together: the later period's end
        ("澄江酒业发布2024年年报与2025年第一季度报告。", date(2025, 4, 1)),
    ],
)
def test_published_estimated_from_the_period_announced(text, published):
    """No dateline: the day after the period the lead says was published, marked estimated."""
    doc = context(text)
    assert (doc.published, doc.published_estimated) == (published, True)


@pytest.mark.parametrize(
    "text",
    [
        "华辰银行不良率由2019年底的0.86%升至去年底的0.97%。",  # a year compared, no announcement
        "华辰医药去年营收4.2亿元，2009年年报显示。",  # no verb of publishing before it
        "华辰医药公布业绩，去年营收4.2亿元。",  # no period named with its year
        "澄江酒业发布2025年夏季报告，本季营收3亿元。",  # a word of no period we read: no guess
        "华辰教育发布2026财年第二季业绩。",  # a fiscal year: its end is the company's
        "新华社北京3月18日电 小米集团18日公布2024年全年业绩。",  # a dateline: not estimated
    ],
)
def test_no_estimate(text):
    assert not context(text).published_estimated


def test_a_dateline_wins_over_the_estimate():
    doc = context("date 2025-03-20\n华辰医药公布2023年年报，去年营收4.2亿元。")
    assert (doc.published, doc.published_estimated) == (date(2025, 3, 20), False)


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
    """承董事會命 and the lines after it to a blank line (the company, the chairman, the
    date); what follows the blank line (an attached press release) is read. Its date is the
    announcement's publication date."""
    text = (
        "收益為10億港元。\n承董事會命\n騰躍體育\n主席\n張三\n香港，2025年5月20日\n\n"
        "附表一\n中國上海，2025年5月19日——騰躍體育公佈業績。淨收入為人民幣3,415.8百萬元。"
    )
    doc = context(text)
    assert [doc.text[a:b] for a, b in doc.boilerplate] == [
        "承董事会命\n腾跃体育\n主席\n张三\n香港,2025年5月20日"
    ]
    assert doc.published == date(2025, 5, 20)
    assert context(text.replace("承董事會命", "")).published == date(2025, 5, 19)


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


#: The development sets (the sealed ones, holdout2-4 and sealed5, are not looked into).
DEVELOPMENT = ("corpus", "dev3", "dev4", "dev5", "dev6", "realistic")


def _development_texts():
    texts = [SEED]
    for name in DEVELOPMENT:
        texts += sorted(
            p for p in (DATA / name).glob("*.txt") if p.with_suffix(".facts.csv").is_file()
        )
    return texts


def _contexts():
    lex = load_lexicon()
    for path in _development_texts():
        yield path, add_context(normalize(read_report(path), vocabulary=lex.vocabulary), lex)


def test_no_gold_fact_is_in_boilerplate():
    """Precision first, never at recall's cost: no sentence a gold fact was read from lies in
    what the context stage calls boilerplate."""
    for path, doc in _contexts():
        gold = path.with_suffix(".facts.csv") if path != SEED else DATA / "seed.facts.csv"
        spans = [doc.original_span(a, b) for a, b in doc.boilerplate]
        with gold.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                s, e = int(row["start"]), int(row["end"])
                assert not any(a < e and s < b for a, b in spans), (path.name, row["source"])


#: The publication dates of the development sets: the realistic set's, and the press releases'
#: datelines of dev5 (北京，2024年11月20日——); the other sets were written without datelines.
DATES = {
    "f08_zhipin_recruit_2024q3.txt": "2024-11-20",
    "f09_yunzhan_cloud_2024q3.txt": "2024-11-14",
    "f10_kangtu_health_2024q2.txt": "2024-08-22",
    "p01": "2025-10-29", "p02": "2025-08-21", "p03": "2026-02-26", "p04": "2025-10-30",
    "p05": "2025-11-21", "p06": "2025-08-28", "p07": "2025-11-26", "p08": "2025-10-29",
    "p09": "2025-10-28", "p10": "2025-08-29", "p11": "2025-09-01", "p12": "2025-11-27",
    "p13": "2025-08-20", "p14": "2025-03-26", "p15": "2025-11-12", "p16": "2026-01-24",
    "p17": "2025-07-12", "p18": "2026-01-27", "p19": "2025-10-31", "p20": "2025-11-02",
    "p21": "2026-02-27", "p22": "2026-02-27", "p23": "2025-07-25", "p24": "2026-04-14",
    "p25": "2026-03-11", "p26": "2025-11-20", "p27": "2025-08-29", "p28": "2025-05-20",
    "p30": "2025-08-28", "p32": "2026-03-26", "p33": "2025-08-27", "p34": "2026-03-19",
    "p35": "2025-08-22", "p38": "2025-08-29", "p39": "2025-11-19", "p40": "2025-12-01",
    "p41": "2025-08-29", "p42": "2026-01-23", "p44": "2025-08-29",
    "p47": "2025-10-28", "p48": "2025-04-22", "p50": "2025-11-14", "p51": "2025-08-21",
    "p52": "2025-11-20", "p56": "2025-10-31", "p58": "2025-06-20", "p61": "2025-04-18",
    "p62": "2025-04-30",
}  # fmt: skip


def test_datelines_of_the_development_sets():
    """p29, p31, p36 and p37 date their news only by month and day in the lead (3月27日晚间，
    …披露): no dateline, no publication date."""
    found = {
        path.name[:3] if path.parent.name == "realistic" else path.name: doc.published.isoformat()
        for path, doc in _contexts()
        if doc.published is not None and not doc.published_estimated
    }
    assert found == DATES


#: How many boilerplate spans each development text has (the others have none).
BOILERPLATE = {
    "f05_hengneng_battery_2024.txt": 1, "f07_guanghe_solar_2024.txt": 1,
    "p09": 1, "p10": 1, "p11": 1, "p12": 3, "p13": 2, "p14": 2, "p15": 2, "p16": 3, "p17": 1,
    "p18": 3, "p19": 4, "p20": 2, "p21": 3, "p22": 1, "p23": 3, "p24": 1, "p27": 1, "p28": 3,
    "p31": 1, "p37": 1, "p38": 1, "p39": 1, "p40": 1, "p45": 2, "p46": 1, "p47": 1, "p48": 1,
    "p49": 1, "p53": 1, "p59": 1, "p60": 2,
}  # fmt: skip


def test_boilerplate_of_the_development_sets():
    found = {
        path.name[:3] if path.parent.name == "realistic" else path.name: len(doc.boilerplate)
        for path, doc in _contexts()
        if doc.boilerplate
    }
    assert found == BOILERPLATE
