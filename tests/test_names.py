"""Names: the company a report is about, and the segments and products it names."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from xmgraph.lexicon import load_lexicon
from xmgraph.model import Entity
from xmgraph.names import EntityFinder, slug, trim_name
from xmgraph.patterns import compile_patterns


def finder(text):
    lex = load_lexicon()
    return EntityFinder(text, lex, compile_patterns(lex))


def test_company_with_alias():
    f = finder("华辰科技股份有限公司(以下简称“华辰”)公布2024年业绩。")
    assert f.main_company.label == "华辰科技股份有限公司"
    assert "华辰" in f.main_company.names
    assert f.main_company.known is False


def test_company_named_in_a_headline_without_suffix():
    f = finder("鹿鸣咖啡(Luming Coffee)10月30日发布2024年第三季度业绩。")
    assert f.main_company.label == "鹿鸣咖啡"


def test_a_known_companys_short_form_opening_the_text_is_one_of_its_names():
    """新世界表示… over 新世界发展(0017)…: the text calls the known company 新世界 too."""
    f = finder("新世界表示，收入按年减少两成。\n新世界发展(0017)发表中期业绩，收入为52.4亿元。")
    assert f.main_company is not None
    assert f.main_company.label == "New World Development"
    assert "新世界" in f.main_company.names


def test_a_portals_code_and_market_line_gives_the_minted_companys_short_name():
    """601155 沪市 新城控股 over a report of 新城控股集团股份有限公司: the portal's first line
    names the listed short name (with the listing) of the company the report mints."""
    text = (
        "601155 沪市 新城控股\n\n2024年度财务决算报告\n"
        "新城控股集团股份有限公司(以下简称“公司”)公布上一年度的决算情况。\n"
    )
    f = finder(text)
    assert f.main_company is not None
    assert f.main_company.label == "新城控股集团股份有限公司"
    assert "新城控股" in f.main_company.names
    assert "SSE:601155" in f.main_company.identifiers


def test_a_b_shares_short_name_is_read_with_its_class():
    """公司简称:华辰 B 股 (a PDF's spaces): the company is also 华辰B股."""
    f = finder("公司代码: 900999 公司简称:华辰 B 股 滨海华辰文旅股份有限公司 2025 年半年度报告摘要")
    assert f.main_company is not None
    assert "华辰B股" in f.main_company.names


def test_a_short_name_ends_where_the_next_label_of_the_notice_s_first_line_begins():
    # 证券简称:华 辰 传 媒 公告编号: the letter-spaced line, its spaces taken out
    f = finder(
        "证券代码:600999 证券简称:华辰传媒公告编号:2026-021\n华辰文化传媒股份有限公司\n营收2亿元。"
    )
    assert f.main_company is not None
    assert "华辰传媒" in f.main_company.names
    assert "华辰传媒公告编号" not in f.main_company.names


def test_a_listed_short_name_heading_a_notice_names_the_legal_name_after_its_place():
    f = finder(
        "凯众股份:2025年度业绩快报公告\n上海市凯众汽车材料股份有限公司\n"
        "以下数据以上海市凯众汽车材料股份有限公司(以下简称“公司”)年度报告为准。\n"
        "报告期内，公司实现营业总收入3.82亿元。"
    )
    assert f.main_company is not None
    assert "凯众股份" in f.main_company.names


@pytest.mark.parametrize(
    ("short", "name", "abbreviates"),
    [
        ("澄江股份", "澄江水务集团股份公司", True),  # its first two, then the rest in order
        ("澄江水务", "澄江水务集团股份公司", True),  # written inside
        ("华辰股份", "澄江华辰集团股份公司", False),  # not its first two characters
        ("澄江股份", "澄江份股公司", False),  # not in order
        ("澄江华辰", "华辰澄江公司", False),
        ("澄江股份", "广州市澄江软件股份有限公司", True),  # its first two after its place
        ("澄江股份", "浙江省湖州市澄江材料股份有限公司", True),
        ("州市股份", "广州市澄江软件股份有限公司", False),  # the place's own words
    ],
)
def test_a_short_name_abbreviates_a_legal_name(short, name, abbreviates):
    from xmgraph.names import _abbreviates

    assert _abbreviates(short, name) is abbreviates


def test_a_propertys_accounting_line_is_no_company():
    """投资物业 and 发展物业 (investment properties, properties under development) are lines of
    a developer's accounts, no companies named in its report."""
    f = finder("辰光表示，主要由于投资物业重估亏绌约3.2亿元，发展物业减值约5.1亿元。")
    assert not {"投资物业", "发展物业"} & {n for e in f.minted for n in e.names}


def test_a_headlines_short_form_of_a_known_company_named_later_is_that_company():
    """恒生中期多赚… over 恒生银行(0011)发表… (the finder reads the normalized text): the
    headline's 恒生 is the bank, no company of its own."""
    text = (
        "date 2025-07-30\n恒生中期多赚21% 派息1.3元\n"
        "恒生银行(0011)发表上半年业绩，股东应得溢利增加21%至81.6亿元。\n"
    )
    f = finder(text)
    assert f.main_company is not None
    assert f.main_company.known
    assert f.main_company.label == "Hang Seng Bank"
    assert "恒生" in f.main_company.names
    assert not [e for e in f.minted if e.kind == "company"]


@pytest.mark.parametrize(
    "text",
    [
        "附件99.1\nHC Lanyun控股有限公司公布2024年第三季度未经审计的财务业绩\n",
        "领先的在线券商HC Lanyun控股有限公司(纳斯达克股票代码:HCLY)今天公布了业绩。",
    ],
)
def test_a_name_in_two_scripts_keeps_its_first_latin_word(text):
    f = finder(text)
    assert f.main_company.label == "HC Lanyun控股有限公司"
    assert f.main_at == text.index("HC")


def test_a_rankings_names_before_figures_in_brackets_are_companies():
    f = finder(
        "截至9月末，华辰银行以2.35万亿元总资产居首，澄江银行（1.86万亿元）、滨海银行（0.92万亿元）紧随其后。"
    )
    minted = {e.label for e in f.minted if e.kind == "company"}
    assert {"澄江银行", "滨海银行"} <= minted


def test_a_figure_in_brackets_after_a_word_of_no_company_mints_nothing():
    f = finder(
        "华辰科技2024年营收为52.3亿元，其中新能源汽车（120万辆）、智能手机（3.2亿元）均有增长。"
    )
    assert not {e.label for e in f.minted} & {"新能源汽车", "智能手机"}


def test_a_broker_apps_dollar_ticker_names_the_company():
    """快手 $01024.HK (a common word as a name): read as 快手(01024.HK), the known company,
    named by that word in this text."""
    f = finder("快手 $01024.HK :直播电商稳步向前\nQ1收入198亿元。")
    assert [(n, e.label) for _, n, e in f.tickers if isinstance(e, Entity)] == [
        ("快手", "Kuaishou Technology")
    ]
    assert "快手" in f.by_name


def test_a_person_in_an_industry_is_no_company():
    """张明远在食品(饮料…行业): a preposition right before a company suffix makes no name."""
    f = finder("澄泉坊(600999)聘任张明远为总经理。业内人士认为,张明远在食品饮料、日化行业经验多。")
    assert not [e for e in f.minted if "在" in e.label]
    assert f.main_company is not None
    assert f.main_company.label == "澄泉坊"


@pytest.mark.parametrize(
    ("lines", "minted", "not_minted"),
    [
        # in a list mostly of names with a company suffix, the others are companies too
        (
            (
                "澄江硅材股份：营业收入52.1亿元（-12.6%）",
                "滨海光能科技：营业收入31.4亿元（+3.2%）",
                "辰星电源：营业收入18.9亿元（+22.5%）",
            ),
            {"澄江硅材股份", "滨海光能科技", "辰星电源"},
            {"主产业链公司"},
        ),
        (
            (
                "华辰能源：营业收入82.4亿元（-12.6%）",
                "澄江硅业：营业收入46.8亿元（-25.1%）",
                "滨海光电股份：营业收入114.6亿元（-8.2%）",
            ),
            {"澄江硅业"},
            set(),
        ),
        # a list mostly of other names: only the suffixed one
        (
            (
                "北极光：营业收入82.4亿元（-12.6%）",
                "长风：营业收入46.8亿元（-25.1%）",
                "滨海光电股份：营业收入114.6亿元（-8.2%）",
            ),
            {"滨海光电股份"},
            {"北极光", "长风"},
        ),
    ],
)
def test_a_numbered_list_of_names_before_colons_names_companies(lines, minted, not_minted):
    text = "光伏板块半年报一览：主产业链公司普遍承压\n" + "".join(
        f"{n}. {line}\n" for n, line in enumerate(lines, 1)
    )
    found = {e.label for e in finder(text).minted if e.kind == "company"}
    assert minted <= found
    assert not found & not_minted


def test_a_numbered_list_of_metrics_names_no_company():
    text = "华辰科技2024年业绩\n1. 营业收入：52.1亿元\n2. 净利润：3.4亿元\n3. 毛利率：21.5%\n"
    minted = {e.label for e in finder(text).minted}
    assert not minted & {"营业收入", "净利润", "毛利率"}


def test_known_company():
    f = finder("小米集团2024年收入3659亿元。")
    assert f.main_company.label == "Xiaomi Group"
    assert f.main_company.known


def test_known_segments_only_when_their_company_is_named():
    assert "智能手机" in finder("小米集团智能手机业务收入1918亿元。").by_name
    other = finder("华辰科技股份有限公司2024年收入100亿元。")
    assert all(e.label != "Smartphones" for e in other.by_name.values())


@pytest.mark.parametrize(
    ("text", "segment"),
    [
        ("华辰科技2024年云计算业务收入为96.3亿元。", "云计算"),
        ("分业务看，增值服务收入为786.2亿元。", "增值服务"),
        ("其中，在线营销服务及其他收入为492.6亿元。", "在线营销服务及其他"),
    ],
)
def test_segments_named_by_the_report(text, segment):
    f = finder("华辰科技股份有限公司公布业绩。" + text)
    minted = {e.label for e in f.minted if e.kind == "segment"}
    assert segment in minted


@pytest.mark.parametrize(
    "text",
    [
        "营业收入为100亿元。",
        "每股收益为1.2元。",
        "全年收入为100亿元。",
        "欧洲地区收入为10亿元。",
        "2025年上半年收入及其他收益为86.4亿元。",  # no part named 及其他
        "续期保费收入为512.4亿元，同比增长5.2%。",  # 保费收入 is premiums: no part 续期保费
        # a clause ending in 被 (…部分被收入增长抵销): no part 有关减幅部分被
        "利润减少，有关减幅部分被收入增长抵销。除税后利润为25亿美元。",
    ],
)
def test_not_segments(text):
    f = finder("华辰科技股份有限公司公布业绩。" + text)
    assert [e.label for e in f.minted if e.kind == "segment"] == []


def test_quoted_product():
    f = finder("启明网络控股有限公司公布业绩。社交应用“启聊”的月活跃用户数达到13.59亿。")
    assert "启聊" in {e.label for e in f.minted if e.kind == "product"}


def test_slug_is_ascii_and_stable():
    assert slug("华辰科技股份有限公司") == "hua-chen-ke-ji-gu-fen-you-xian-gong-si"
    assert slug("SU7 Ultra") == "su7-ultra"


@given(st.text(alphabet="新能源汽车华辰科技股份有限公司智手机互联网服务", min_size=1, max_size=12))
def test_slug_never_splits_a_word_between_syllables(name):
    """One syllable a word: 新能源汽车 is xin-neng-yuan-qi-che, never xinneng-yuanqi-che
    (syllables paired across the words 新能源 and 汽车)."""
    from pypinyin import lazy_pinyin

    assert slug(name) == "-".join(lazy_pinyin(name))
    assert slug(name) == slug(name)


@pytest.mark.parametrize("mark", ["\u200d", "\u200b", "\u2060", "\u200e", "\u202a", "\ufeff"])
def test_invisible_format_characters_are_no_part_of_a_name(mark):
    """A zero-width joiner or a bidi mark inside a name leaves the entity as it was."""
    from xmgraph.model import Report
    from xmgraph.normalize import normalize

    text = "华辰科技股份有限公司2024年营业收入为1,286.4亿元。"
    marked = text.replace("华辰", f"华{mark}辰")
    assert slug(f"华{mark}辰 S{mark}U7") == slug("华辰 SU7") == "hua-chen-su7"
    doc = normalize(Report("a.txt", marked, "0", "utf-8"))
    assert doc.text == text
    (repair,) = [r for r in doc.repairs if r.kind == "format-character"]
    assert (repair.start, repair.end, repair.before) == (1, 2, mark)
    assert doc.starts[1] == 2  # 辰 is still found at its offset in the original


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("中证网讯华辰电器(000999)4月11日披露2024年年度报告。", "华辰电器"),
        ("本报告仅供华辰证券股份有限公司客户使用。华辰电器2024年营收52亿元。", None),
        # a paper and its website, one after the other
        ("上证报中国证券网讯华辰电器8月12日晚披露半年度业绩快报，营业收入18.3亿元。", "华辰电器"),
        # a wire's lead in title marks, with the day of its dispatch
        ("《滨海通讯社18日专讯》澄江科技周四公布第三季度业绩。", "澄江科技"),
    ],
)
def test_a_news_agency_glued_before_a_name_is_cut_from_it(text, company):
    f = finder(text)
    names = [e.label for e in f.minted if e.kind == "company"]
    assert company is None or company in names
    assert not any(n.startswith(("中证网", "告仅供", "上证报", "中国证券网")) for n in names)


@pytest.mark.parametrize(
    "text",
    [
        "每股美国存托股份的基本净亏损为3.11元。",
        "季内股本证券产品日均成交额2,679亿元。",
        # a verb before 公司, a listed name (驱动力) that is a common word inside a clause
        "大力降本增效，推动公司稳健经营。本期公司营业收入为8.15亿元。",
        "增长的核心驱动力在于新品放量。2024年公司营收为21.40亿元。",
        # 将 as 把 before 公司: a report moving the company's forecast
        "估值 - 报告将公司2026年的归母净利润预测上调到12.30亿元。",
    ],
)
def test_a_clause_with_a_company_suffix_is_no_company(text):
    assert finder(text).main_company is None


def test_an_announcements_own_words_are_no_part_of_the_name():
    f = finder(
        "本公告乃由华辰控股有限公司（「本公司」，连同其附属公司统称「本集团」）作出。"
        "根据对本集团截至二零二二年九月三十日止九个月（「本期间」）之账目所作之评估，"
        "本集团预计将于本期间录得亏损净额不少于约13.0百万港元。"
    )
    assert f.main_company is not None
    assert f.main_company.label == "华辰控股有限公司"


def test_an_exchange_named_with_its_code_label_gives_the_identifier():
    f = finder("华辰教育有限公司（纽约证券交易所代码：HCED）今天公布了业绩。")
    assert f.main_company is not None
    assert f.main_company.identifiers == ("NYSE:HCED",)


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("8月28日，澄江复材(600624)公布半年报，营业收入为2.14亿元。", "澄江复材", "SSE:600624"),
        ("【华辰社讯】澄江置地(00978.HK)公布，截至6月30日止六个月收益。", "澄江置地", "HKEX:978"),
        # a portal's market tag before the name, its opening bracket sometimes lost
        ("[HK]澄江置地(00978)：二零二五年中期業績\n期內收益為港幣五億元。", "澄江置地", "HKEX:978"),
        ("HK]澄江置地(00978)：二零二五年中期業績\n期內收益為港幣五億元。", "澄江置地", "HKEX:978"),
    ],
)
def test_a_name_before_a_listed_code_is_the_reporting_company(text, name, code):
    """A code listed.tsv lists (whatever name it lists it under) confirms the name before it:
    no suffix needed."""
    f = finder(text)
    assert f.main_company is not None
    assert (f.main_company.label, f.main_company.identifiers) == (name, (code,))


def test_a_text_naming_one_listed_company_only_at_its_end_is_about_it():
    """A portal's table first, a listed short name (澄江农商, listed here as SZSE:009991) only in
    the last line: the text's company; a second listed name, and none is."""
    import dataclasses

    lex = load_lexicon()
    listed = {**lex.listed, "澄江农商": "SZSE:009991", "滨海视讯": "SZSE:009992"}
    lex = dataclasses.replace(lex, listed=listed)
    table = "指标 | 2025年 | 同比变化 |\n---|---|---|\n营业收入 | 61.20亿元 | -1.10% |\n"
    f = EntityFinder(table + "2025年澄江农商围绕主业稳健经营。", lex, compile_patterns(lex))
    assert f.main_company is not None
    assert (f.main_company.label, f.main_company.identifiers) == ("澄江农商", ("SZSE:009991",))
    text = table + "2025年澄江农商与滨海视讯均稳健经营。"
    assert EntityFinder(text, lex, compile_patterns(lex)).main_company is None


def test_listed_names_before_their_figures_in_brackets_are_companies():
    """A round-up: 澄江精工(净利润…)、滨海智造(净利润…) (listed here as SZSE:009993 and
    SZSE:009994, no company suffix): each a company, the second after 、 too."""
    import dataclasses

    lex = load_lexicon()
    listed = {**lex.listed, "澄江精工": "SZSE:009993", "滨海智造": "SZSE:009994"}
    lex = dataclasses.replace(lex, listed=listed)
    text = "2024年，澄江精工(净利润-3.6亿元,同比下降320.5%)、滨海智造(净利润-0.84亿元)承压。"
    f = EntityFinder(text, lex, compile_patterns(lex))
    assert {"澄江精工", "滨海智造"} <= {e.label for e in f.minted if e.kind == "company"}


def test_listed_names_after_the_dates_of_a_digests_note_titles_are_companies():
    """A portal's digest of broker notes, each title opening with its date (●2025-10-16
    澄江榨菜:半年报点评…, listed here as SZSE:009996, no company suffix): a company, and the
    note's company for the bullets under it (EntityFinder.notes)."""
    import dataclasses

    lex = load_lexicon()
    listed = {**lex.listed, "澄江榨菜": "SZSE:009996", "滨海调味": "SZSE:009997"}
    lex = dataclasses.replace(lex, listed=listed)
    text = (
        "●2025-10-16 澄江榨菜:半年报点评:收入改善 (华信证券 张三)\n●预计营收24亿元。\n"
        "●2025-10-15 滨海调味:半年报点评:利润承压 (华信证券 张三)\n●预计营收30亿元。\n"
    )
    f = EntityFinder(text, lex, compile_patterns(lex))
    assert {"澄江榨菜", "滨海调味"} <= {e.label for e in f.minted if e.kind == "company"}
    assert [e.label if e else None for _, _, e in f.notes] == ["澄江榨菜", "滨海调味"]


def test_a_rating_tables_row_opened_by_a_listed_name_is_the_texts_company():
    """A portal's list of broker ratings: a row opens with the stock's short name (澄江沿浦,
    listed here as SSE:609995) and then its industry and the rating's date; the note under it
    speaks of 公司, that company, though it names a customer listed too (滨海视讯) in passing.
    A name today's list lacks is the stock's all the same (the column is 推荐股票; a stock
    renamed or delisted since the note is missing from the list): minted."""
    import dataclasses

    lex = load_lexicon()
    listed = {**lex.listed, "澄江沿浦": "SSE:609995", "滨海视讯": "SZSE:009992"}
    codes = {**lex.listed_codes, **{code: (name,) for name, code in listed.items()}}
    lex = dataclasses.replace(lex, listed=listed, listed_codes=codes)
    row = "研究员 推荐股票 所属行业 起评日* 起评价*\n{} 汽车零部件 2025-03-18 36.20 -- 详细\n"
    note = "事件：公司公布2024年报，全年营收11.8亿元，其大客户(滨海视讯)订单增加。"
    f = EntityFinder(row.format("澄江沿浦") + note, lex, compile_patterns(lex))
    assert f.main_company is not None
    assert f.main_company.label == "澄江沿浦"
    f = EntityFinder(row.format("滨海沿浦") + note, lex, compile_patterns(lex))
    assert f.main_company is not None
    assert f.main_company.label == "滨海沿浦"
    assert not f.main_company.identifiers


def test_a_rating_tables_row_beats_the_broker_named_above_it():
    """The page's header names the analyst's broker (滨海证券, a company by its suffix) before
    the table; the row's company (澄江沿浦) is the text's, not the broker."""
    import dataclasses

    lex = load_lexicon()
    listed = {**lex.listed, "澄江沿浦": "SSE:609995"}
    codes = {**lex.listed_codes, "SSE:609995": ("澄江沿浦",)}
    lex = dataclasses.replace(lex, listed=listed, listed_codes=codes)
    text = (
        "金融事业部 独家推出\n王五\n\n滨海证券\n\n研究方向:\n"
        "研究员 推荐股票 所属行业 起评日* 起评价*\n澄江沿浦 汽车零部件 2025-03-18 36.20 --\n"
        "事件：公司公布2024年报，全年营收11.8亿元。"
    )
    f = EntityFinder(text, lex, compile_patterns(lex))
    assert f.main_company is not None
    assert f.main_company.label == "澄江沿浦"


def test_a_known_company_is_known_by_its_headlines_short_name():
    """【08】东亚全年… writes 东亚银行 as 东亚, right before a period's word: a name of the
    company in this text (an alias in its graph); a headline opening with a name's first
    characters before no period or metric word gives none."""
    text = "【08】东亚全年盈利跌4%\n\n东亚银行(00023)公布2025年业绩，股东应占溢利31.7亿港元。"
    main = finder(text).main_company
    assert main is not None
    assert "东亚" in main.names
    assert "东亚" in finder(text).by_name["东亚银行"].names  # its mentions' entity too
    other = finder("东亚地区银行业回顾\n\n东亚银行(00023)公布2025年业绩，股东应占溢利31.7亿港元。")
    assert other.main_company is not None
    assert "东亚" not in other.main_company.names


def test_a_time_zone_opening_the_dateline_is_no_company():
    """北京时间3月5日消息，…: the time of the news, never the company it names."""
    f = finder("北京时间3月5日消息，华辰视频集团今日发布第三季度财报，总营收为52.1亿元。")
    assert f.main_company is not None
    assert f.main_company.label == "华辰视频集团"
    assert "北京时间" not in {e.label for e in f.minted}


def test_the_part_a_revenue_comes_from_is_a_segment():
    """来自于会员的营收: 会员 is a segment; 来自北美客户的收入 is a region's, no segment."""
    found = finder(
        "华辰视频集团第三季度总营收为52.1亿元。来自于会员的营收为11.7亿元。"
        "来自北美客户的收入占比为31.2%。"
    )
    segments = {e.label for e in found.minted if e.kind == "segment"}
    assert "会员" in segments
    assert not any(s.startswith("北美") for s in segments)


def test_a_data_vendor_named_as_the_source_is_not_the_texts_company():
    f = finder("同花顺数据显示，华辰科技2025年上半年营收52.3亿元，同比增长4.1%。")
    assert f.main_company is not None
    assert f.main_company.label == "华辰科技"


def test_a_listed_name_mid_sentence_before_a_period_is_a_company():
    """行业龙头澄江超卖前三季度…: a listed short name of four characters or more right before
    a period's or a metric's word, in the middle of a sentence, is minted; a three-character
    one is not."""
    import dataclasses

    lex = load_lexicon()
    listed = {
        **lex.listed,
        "澄江超卖": "SSE:609995",
        "滨海源": "SSE:609996",
        "辰光机电": "SSE:609997",
    }
    codes = {
        **lex.listed_codes,
        "SSE:609995": ("澄江超卖",),
        "SSE:609996": ("滨海源",),
        "SSE:609997": ("辰光机电",),
    }
    lex = dataclasses.replace(lex, listed=listed, listed_codes=codes)
    text = (
        "零售板块三季报出炉。行业龙头澄江超卖前三季度营收612.3亿元，"
        "另一家滨海源一季度营收98.1亿元，增速最低的辰光机电营收同比下降3.2%。"
    )
    minted = {e.label for e in EntityFinder(text, lex, compile_patterns(lex)).minted}
    assert "澄江超卖" in minted
    assert "辰光机电" in minted  # right before a metric's word
    assert "滨海源" not in minted


def test_a_rural_commercial_bank_is_named_by_its_suffix():
    found = finder("2025年三季报显示，澄江农商行：前三季度营收31.2亿元。")
    assert "澄江农商行" in {e.label for e in found.minted}


@pytest.mark.parametrize(
    "text",
    [
        "华辰酒业一季度回款与预收同增21.4%，二者均明显快于收入增速。",  # a clause
        "华辰储能公告称，2026年一季度完成电池出货储能电池出货量12.4GWh。",  # 出货
    ],
)
def test_no_part_is_named_by_a_clause_fragment(text):
    labels = [e.label for e in finder(text).minted if e.kind != "company"]
    assert not [n for n in labels if "明显" in n or "出货" in n], labels


def test_a_sector_in_a_list_is_no_company():
    """新能源汽车 ends like a company's name (汽车) but opens with a sector's word: listed with
    other sectors, no company is minted of it."""
    found = finder("华辰半导体全年利润大增，受益于光伏储能、新能源汽车、工业控制等需求增长。")
    assert "新能源汽车" not in {e.label for e in found.minted}


def test_a_name_before_a_code_nobody_lists_needs_a_suffix():
    f = finder("8月28日，澄江复材(609999)公布2025年半年报，公司营业收入为2.14亿元。")
    assert f.main_company is None or f.main_company.label != "澄江复材"


def test_a_name_before_another_companys_code_is_minted_without_that_code():
    """腾讯 is HKEX:700: 华辰快运（0700.HK） is named a company, never linked to that code."""
    found = finder("华辰证券晨会纪要\n三、华辰快运（0700.HK）：件量领先\n公司营收96.4亿元。")
    minted = {e.label: e.identifiers for e in found.minted}
    assert minted.get("华辰快运") == ()


def test_a_segment_before_its_latin_short_name_in_brackets_is_minted():
    found = finder("华辰云公布2025年第三季度业绩。\n平台即服务（“PaaS”）收入为3,260万美元。")
    assert "平台即服务" in {e.label for e in found.minted if e.kind == "segment"}


def test_no_part_is_named_before_a_word_of_no_metric():
    found = finder("华辰人寿2025年上半年纯利201.4亿元，主要受惠投资收益增加。")
    assert not [e for e in found.minted if e.kind == "segment"]


def test_a_brand_before_a_month_and_its_metric_is_a_segment():
    found = finder("华辰汽车11月销量解读\n- 辰星品牌11月销量4.2万辆，同比增长9.1%。")
    names = {n for e in found.minted if e.kind == "segment" for n in e.names}
    assert names & {"辰星", "辰星品牌"}


def test_a_clause_opening_with_a_conjunction_names_no_company():
    """随着…的扩大, 进一步加剧了公司…: clause fragments, no company."""
    found = finder(
        "随着电力现货交易规模的扩大，上网电价走低，进一步加剧了公司的经营压力。"
        "预计2025年归母净利润为1500万元。"
    )
    labels = {e.label for e in found.minted}
    assert not any(label.startswith("随着") or "加剧" in label for label in labels)


def test_an_english_name_glued_before_the_chinese_legal_name_is_no_part_of_it():
    found = finder(
        "辰光集团公布全年业绩\nChenguang International Limited辰光国际集团有限公司（「本公司」）"
        "董事会宣布本公司全年业绩，收入为3,942.3百万港元。"
    )
    assert found.main_company is not None
    assert found.main_company.label == "辰光国际集团有限公司"


def test_a_latin_name_without_a_legal_suffix_keeps_its_han_part():
    from xmgraph.lexicon import load_lexicon
    from xmgraph.names import trim_name

    assert trim_name("TCL辰光新能源科技股份有限公司", load_lexicon()).startswith("TCL")


def test_a_research_pages_byline_block_names_no_subject():
    """An analyst's name on a line, the broker's alone on the next: the note is about the
    company on the line after, not about the broker (a listed company itself)."""
    found = finder(
        "张明远\n\n中信证券\n\n辰光软件 计算机行业 2025-08-16 41.16\n"
        "事件：公司发布2025年半年度报告，上半年实现营业收入7.31亿元，同比增长9.8%。"
    )
    assert found.main_company is None or "中信证券" not in found.main_company.names


def test_a_broker_named_in_its_own_results_stays_the_subject():
    found = finder("中信证券\n中信证券公布2025年中期业绩，上半年实现营业收入330.39亿元。")
    assert found.main_company is not None
    assert "中信证券" in found.main_company.names


def test_a_conjunction_opens_no_segment():
    found = finder("华辰银行2024年业绩\n尽管营业收入同比下降2.02%，但净息差逆势上升至1.59%。")
    assert not [e for e in found.minted if e.kind == "segment" and e.label.startswith("尽管")]


def test_non_gaap_and_a_long_term_aim_open_no_segment():
    found = finder(
        "华辰汽车二季度业绩\n- 华辰汽车品牌长期毛利率目标20%-25% [6]\n"
        "非GAAP净收入1为人民币3,870万元。\n“非GAAP净收入”被定义为不包括基于股份的薪酬支出的净收入"
    )
    labels = {e.label for e in found.minted if e.kind in ("segment", "product")}
    assert not {label for label in labels if "GAAP" in label or "长期" in label}


def test_a_footnote_number_after_a_line_name_mints_no_company():
    """学生总入学率(4): a footnote marker looks like a Hong Kong code, the line is no company."""
    found = finder(
        "华辰教育有限公司公布业绩。\n学生总入学率(4)达到21,530人，而去年同期为19,870人。"
    )
    assert "学生总入学率" not in {e.label for e in found.minted}


_ALIAS_PIECES = st.sampled_from(
    [
        "华辰",
        "科技",
        "股份有限公司",
        "有限公司",
        "集团",
        "（北京）",
        "(",
        "（",
        ")",
        "）",
        "，",
        "以下简称",
        "简称",
        "“",
        "”",
        "华",
        "公司",
        " ",
        "。",
        "港股代码：9899",
        "、",
        "A",
    ]
)


@given(st.lists(_ALIAS_PIECES, max_size=24).map("".join))
@example("华辰集团（简称“华辰”）")  # the shortest name: two characters before the suffix
@example("华" * 24 + "（北京）有限公司（简称“华辰”）")  # the longest: 24 and a place
def test_a_companys_alias_is_looked_for_only_before_a_suffix_and_a_bracket(text):
    """``EntityFinder._aliases`` tries the alias pattern only where a match can start (before
    a company suffix and a bracket): the same matches as trying it everywhere."""
    f = finder("")
    assert [m.span() for m in f._aliases(text)] == [m.span() for m in f.cpats.alias.finditer(text)]


def test_the_aliases_of_the_test_texts_are_those_found_everywhere():
    """The same on every text of the tests' data (the sealed and holdout sets left alone)."""
    from pathlib import Path

    from xmgraph.read import read_report

    f, seen = finder(""), 0
    data = Path(__file__).parent / "data"
    for path in sorted(data.rglob("*.txt")):
        if path.relative_to(data).parts[0].startswith(("sealed", "holdout")):
            continue
        text = read_report(path).text
        found = [m.span() for m in f.cpats.alias.finditer(text)]
        assert [m.span() for m in f._aliases(text)] == found, path.name
        seen += len(found)
    assert seen > 10


def test_a_latin_name_of_two_words_before_a_ticker_keeps_its_space():
    f = finder("Lanchi Tech (NASDAQ: LNCH) 公布2024年业绩。")
    assert f.main_company.label == "Lanchi Tech"
    assert f.main_company.names == ("Lanchi Tech", "Lanchi")
    assert f.main_company.identifiers == ("NASDAQ:LNCH",)


def test_a_quarter_in_brackets_is_no_ticker():
    """(自然年 2025 年 Q2): the 2 of Q2 is no code (HKEX:2), Q1 before it no company."""
    f = finder("华辰集团发布 2026 财年 Q1(自然年 2025 年 Q2) 财报,营收 231.8 亿元。")
    assert all(name != "Q1" for _, name, _ in f.tickers)
    assert f.main_company is None or f.main_company.label != "Q1"
    assert finder("中电(2)公布中期业绩。").tickers[0][2] != ""


def test_a_figure_s_decimals_in_brackets_are_no_ticker():
    """人民币(0.05)元: a loss per share in brackets, 05 no code of 人民币."""
    f = finder("华辰科技有限公司每股亏损 人民币(0.05)元 人民币(0.07)元")
    assert all(name != "人民币" for _, name, _ in f.tickers)
    assert finder("澄江(0700)公布中期业绩。").tickers[0][1] == "澄江"


def test_a_ticker_s_exchange_letters_glued_before_its_code():
    """(SH601999), (SZ001399): the exchange's two letters written before the code."""
    assert finder("一、华辰港(SH601999) 大盘股").tickers[0][2] == "SSE:601999"
    assert finder("二、澄江港口(SZ001399) 中盘股").tickers[0][2] == "SZSE:001399"
    assert finder("滨海港务(ASH601999)").tickers == []


def test_a_time_word_is_cut_off_a_name_of_two_characters_and_no_shorter():
    from xmgraph.lexicon import load_lexicon
    from xmgraph.names import trim_name

    lexicon = load_lexicon()
    assert trim_name("华辰今天", lexicon) == "华辰"
    assert trim_name("华今天", lexicon) == "华今天"


def test_a_minted_company_is_known_by_its_name_without_its_suffix_where_the_text_writes_it():
    """澄峰 alone is 澄峰汽车's; 澄江 is two companies' short name: none's."""
    text = (
        "新势力11月交付一览\n"
        "曜驰汽车表示，11月交付31,250辆。\n"
        "澄峰汽车11月交付新车40,312辆，澄峰已连续三个月创新高。\n"
        "澄江银行、澄江证券同日公告，澄江系公司业绩稳健。\n"
    )
    f = finder(text)
    names = {e.label: e.names for e in f.minted if e.kind == "company"}
    assert "澄峰" in names["澄峰汽车"]
    assert not any("澄江" in names.get(n, ()) for n in ("澄江银行", "澄江证券"))


def test_a_round_ups_name_with_an_industry_suffix_opening_a_sentence_is_a_company():
    """电讯 (like 置业, 航运) ends a company's name: 澄江电讯 opening a sentence before its
    period is minted, and its figures are its own, not the first company's."""
    text = "华辰置业公布中期业绩，纯利12.6亿元。\n澄江电讯中期纯利9.8亿元，按年少赚12%。\n"
    minted = {e.label for e in finder(text).minted if e.kind == "company"}
    assert "澄江电讯" in minted


def test_a_name_after_a_preposition_starts_after_it():
    """以上内容由AI根据…生成 (a portal's closing line): 根据 is no part of the company's name."""
    text = (
        "指标 | 2025年 |\n营业收入 | 52.1亿元 |\n"
        "以上内容由AI根据澄江农村商业银行股份有限公司（601999）2025年年度报告生成。"
    )
    labels = {e.label for e in finder(text).minted if e.kind == "company"}
    assert "澄江农村商业银行股份有限公司" in labels
    assert not any("根据" in label for label in labels)


def test_a_sources_line_with_its_writer_and_date_names_no_company():
    """澄江汽车 林晓 2025-12-02 07:14:11 (a site's name, its writer, the date): the site is no
    subject; the company the text is about is."""
    text = (
        "车企三季报观察\n\n澄江汽车 林晓 2025-12-02 07:14:11\n\n"
        "华辰汽车第三季度营收320亿元，同比增长8.1%。"
    )
    found = finder(text)
    assert found.main_company is not None
    assert found.main_company.label == "华辰汽车"


def test_a_broker_whose_analysts_studied_the_company_is_no_subject():
    """澄江证券股份有限公司林晓、周航近期对华辰电器进行研究后发布报告 (a portal's note
    template): the broker, named by its legal name, writes; the company studied is the text's."""
    text = (
        "澄江证券股份有限公司林晓、周航近期对华辰电器进行研究后发布报告《三季报点评》。\n"
        "华辰电器（600999）\n前三季度公司营收42.3亿元；归母净利润为3.1亿元。\n"
    )
    found = finder(text)
    assert found.main_company is not None
    assert found.main_company.label == "华辰电器"
    assert not found.several


def test_a_known_legal_name_written_with_half_width_brackets_is_known():
    """上海国际港务(集团)股份有限公司 (the gazetteer writes its brackets full-width): that
    company, not one minted."""
    found = finder("上海国际港务(集团)股份有限公司公布，一季度营收98.6亿元。")
    assert found.main_company is not None
    assert found.main_company.known
    assert found.main_company.iri.endswith("/shang-gang-ji-tuan")


def test_a_company_a_broker_writes_a_note_on_is_no_writer():
    """澄江证券对隆基绿能发布研究报告 (对 before the name, cue set research-object): the company
    studied, not a broker writing the note; 澄江证券发布研究报告 is the writer."""
    text = "摘要 - 澄江证券对隆基绿能发布研究报告,首次覆盖 [1]\n"
    found = finder(text)
    end = text.index("隆基绿能") + len("隆基绿能")
    assert not found.writes_note_at("隆基绿能", text, end)
    other = "摘要 - 澄江证券发布研究报告,首次覆盖隆基绿能 [1]\n"
    assert finder(other).writes_note_at("澄江证券", other, other.index("发布"))


def test_each_company_a_round_up_defines_with_its_alias_is_a_company():
    """A round-up led by another company (小鹏汽车), then 华辰科技（集团）股份有限公司（下称
    「华辰科技」）发布…: its next item, minted with both its names."""
    text = (
        "三家车企的中报陆续出炉，其中小鹏汽车与澄江汽车录得亏损\n澄江汽车上半年亏损1.2亿\n"
        "8月21日，澄江汽车发布中期业绩，营收3.1亿元。\n"
        "华辰科技业绩双降\n8月22日，华辰科技（集团）股份有限公司（下称「华辰科技」）发布了"
        "2025年半年度报告。\n"
    )
    minted = {e.label: e for e in finder(text).minted if e.kind == "company"}
    assert "华辰科技（集团）股份有限公司" in minted
    assert "华辰科技" in minted["华辰科技（集团）股份有限公司"].names


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("京沪高速铁路股份有限公司公布业绩。", "beijing-shanghai-high-speed-railway"),
        ("17教育科技集团有限公司公布第四季度业绩。", "17-education-and-technology-group"),
        ("中联通公布，第三季纯利61.2亿元人民币。", "china-unicom-hong-kong"),
        ("分众上半年营收62.1亿元。", "focus-media-information-technology"),
    ],
)
def test_names_the_gazetteer_gained_name_their_companies(text, iri):
    """A legal name, an English release's Chinese name or a paper's short name the gazetteer
    now gives a listed company (facts of usage): that company, known."""
    found = finder(text)
    assert found.main_company is not None
    assert found.main_company.iri.endswith("/" + iri)


def test_a_name_with_a_company_suffix_before_an_apposition_is_a_company():
    """澄峰汽车作为新晋上市企业，…: a paragraph's subject of its own, not the company before."""
    text = (
        "华辰汽车第三季度营收320亿元。\n\n澄峰汽车作为新晋上市企业，表现亮眼：第三季度营收91亿元。"
    )
    assert "澄峰汽车" in {e.label for e in finder(text).minted if e.kind == "company"}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("【周观点】零部件承压，继续看好汽车板块\n- 澄江板块本周上涨2.1%。\n", "继续看好汽车"),
        ("本周澄江板块排名第12位，港股汽车与汽车零部件板块排名第9位。\n", "汽车与汽车"),
        ("细分板块涨跌幅排序为：SW汽车零部件(+2.6%) > SW乘用车(-0.8%)。\n", "SW汽车"),
        ("华辰证券研报\n事件概述公司披露2025年中报,营收41.2亿元。\n", "概述公司"),
        ("华辰证券研报\n事件简评公司公布2025年三季报,营收12.6亿元。\n", "简评公司"),
        (
            "华辰证券研报\n收入:零部件高增,整机表现稳健 (1)整机:H1实现收入 21亿元。\n",
            "整机表现稳健",
        ),
        (
            "澄江新闻记者欧阳华\n10月30日晚,华辰科技发布2025年第三季度业绩报告,"
            "公司第三季度实现营收27.36亿元。\n",
            "澄江新闻记者欧阳华",
        ),
        (
            "投资评级 - 维持评级 受益于油价维持高位及公司盈利能力改善 [1]\n"
            "中国石化(600028):业绩稳健\n",
            "高位及公司",  # …and the company (a joining word, then 公司): a clause's end
        ),
        (
            "要点 - 行业政策有望带动组件价格回升 支撑公司后续业绩改善 [1]\n",
            "支撑公司",  # a verb before 公司 (cue set clause-word): a clause, no name
        ),
        ("- 2025H1 快消品客户占公司营收比重为 48.0% [2]\n", "快消品客户占公司"),
        (
            "摩根士丹利:升华辰钢铁股份目标价至3.2港元 维持“增持”\n公司上半年净亏损1.2亿元\n",
            "升华辰钢铁股份",  # a broker's verb on its target (cue set not-a-company-start)
        ),
    ],
)
def test_a_sector_note_names_no_company_from_its_sectors(text, fragment):
    """A broker's stance (继续看好), a name before a sector's word (汽车与汽车|零部件板块,
    SW汽车|零部件) and a note's heading run into its first line (事件概述|公司发布) are no
    company's names."""
    labels = {e.label for e in finder(text).minted if e.kind == "company"}
    assert fragment not in labels


@pytest.mark.parametrize(
    "text",
    [
        "港交所（0388）公布截至今年6月底止中期業績，股東應佔溢利為52億元。",
        "8月20日电 港交所披露中期业绩公告显示，上半年收入及其他收益96.5亿元。",
        "港交所中期盈利升5%\n\n港交所公布，上半年盈利按年增長5%，升至48.2億元。",
        "港交所公布，首季盈利按年增長7%，升至31.6億元。",
    ],
)
def test_the_listed_operator_of_an_exchange_reporting_its_results_is_the_company(text):
    """港交所 is an exchange (never a subject), and also a listed company: where the text
    writes it publishing its own results, or a period's profit right after its name (港交所中期
    盈利升5%, 港交所公布，首季盈利…), it is the text's company."""
    found = finder(text)
    assert found.main_company is not None
    assert "HKEX:388" in found.main_company.identifiers


@pytest.mark.parametrize(
    "text",
    [
        "华辰科技于港交所公布中期业绩，收入为12.4亿元。",
        "华辰科技向港交所公布业绩，收入为12.4亿元。",
        "据港交所披露，澄江能源今年首3季收入为8.1亿元。",
        "港交所上市公司上半年盈利合计为1.2万亿元。",
        "港交所公布，上半年新股集资额为1,070亿元。",
    ],
)
def test_an_exchange_where_a_company_publishes_is_not_the_company(text):
    found = finder(text)
    assert found.main_company is None or "HKEX:388" not in found.main_company.identifiers


def test_a_known_companys_short_name_before_its_code_is_that_company():
    """国泰 (00293): the name opens 国泰航空's, whose code it is: that company, also known by
    the text's short name (not a misprint naming another company)."""
    found = finder("国泰 (00293)：上半年收益512.3亿港元\n国泰航空公布2024年中期业绩。")
    assert found.main_company is not None
    assert "HKEX:293" in found.main_company.identifiers
    assert "国泰" in found.main_company.names


def test_a_listed_short_name_opening_a_headline_names_the_minted_company():
    """安奈儿:2025年半年度业绩预告 over 深圳市安奈儿服饰股份有限公司: the listed short name the
    headline opens with is the minted company's too."""
    f = finder(
        "安奈儿:2025年半年度业绩预告\n深圳市安奈儿服饰股份有限公司\n"
        "深圳市安奈儿服饰股份有限公司(以下简称“公司”)预计2025年半年度实现归属于母公司所有者的净利润为"
        "1,200万元到1,500万元。\n"
    )
    assert f.main_company.label == "深圳市安奈儿服饰股份有限公司"
    assert "安奈儿" in f.main_company.names


def test_a_known_company_written_with_its_share_class_is_known_by_that_name():
    """太古股份公司B(太古B)於2024年上半年…: Swire Pacific, also named as written."""
    f = finder("太古股份公司B(太古B)於2024年上半年錄得收益39,000百萬港元。")
    assert f.main_company.label == "Swire Pacific"
    assert "太古股份公司B" in f.main_company.names


@pytest.mark.parametrize("group", ["華辰", "恒地"])
def test_a_group_before_its_member_company_is_not_the_subject(group):
    """恒地系公司澄江酒店(00789)…: the member, named with its code, reports; the group (known
    or not) before 系公司 is neither the subject nor part of the member's name."""
    f = finder(f"{group}系公司澄江酒店(00789)於去年全年收入按年上升10.5%至21.30億元。")
    assert f.main_company.label == "澄江酒店"
    assert [e.label for e in f.minted if e.kind == "company"] == ["澄江酒店"]


def test_a_latin_name_of_digits_with_its_legal_suffix_is_a_company():
    """808, Inc. 公布…: a US-listed company named by a number and its legal suffix."""
    f = finder("808, Inc. 公布2025年第三季度未经审计的财务业绩\n")
    assert f.main_company is not None
    assert f.main_company.label == "808, Inc."


def test_a_name_on_a_source_line_is_the_publisher_not_the_company():
    """华信证券 heads a broker's channel page and stands on each note's source line (· date):
    the publisher, never the company a figure is of, nor the text's."""
    f = finder(
        "华信证券\n搜索文档\n澄江家居:2025年三季度点评:盈利修复\n华信证券· 2025-11-08 15:20\n"
        "- 公司前三季度营收31.6亿元，同比-12.4%[1]\n"
    )
    assert f.main_company is not None
    assert f.main_company.label == "澄江家居"
    assert all(e.label != "华信证券" for e in f.minted)


def test_a_listing_of_notes_gives_each_note_the_company_its_title_names():
    """Each note's title over its source's line names its company; one naming none of the
    text's is no one's."""
    f = finder(
        "澄江家居:三季度点评\n华信证券· 2025-11-08 15:20\n- 营收31.6亿元\n"
        "辰峰饮料:业绩超预期\n华信证券· 2025-11-08 12:23\n- 营收98.0亿元\n"
    )
    assert [(text_at, e.label if e else None) for text_at, _, e in f.notes] == [
        (0, "澄江家居"),
        (45, None),
    ]


def test_a_headline_name_opening_with_digits_keeps_them():
    """58 辰光科技集团公司宣布…: the digits are part of the name (a name with a company
    suffix), as the release writes it."""
    f = finder("58 辰光科技集团公司宣布2025年第二季度业绩\n\n辰光今日公布了未经审计的业绩。\n")
    assert f.main_company is not None
    assert f.main_company.label == "58 辰光科技集团公司"


@pytest.mark.parametrize(
    "text",
    [
        "华辰银行研究 买入\n事件公司披露了2024年年度报告。公司营收2,118.36亿元。",
        "华辰银行2024年营收小幅增长。受多项费用上升拖累，利润增速回落。",
    ],
)
def test_a_notes_section_label_or_a_cause_is_no_name(text):
    """事件公司披露了…: 事件 labels a broker note's section; 受多项费用…: a cause, no segment."""
    f = finder(text)
    labels = {e.label for e in f.minted}
    assert not labels & {"事件公司", "受多项", "受多项费用"}


def test_a_listed_short_name_with_its_share_class_opens_the_lead():
    """本报讯…张裕A10月28日披露…: 张裕 is listed; with its class letter it is the company, as
    written, with its listing."""
    f = finder("本报讯(记者 林晓) 张裕A10月28日披露三季报，前三季度营收30.1亿元。")
    assert f.main_company is not None
    assert (f.main_company.label, f.main_company.identifiers) == ("张裕A", ("SZSE:000869",))


def test_a_known_companys_legal_name_written_around_its_short_name_is_one_of_its_names():
    """“重庆智飞生物制品股份有限公司”: the company known as 智飞生物, also by its legal name."""
    f = finder("据公告，“重庆智飞生物制品股份有限公司”发布年度预告，全年或亏损96.5亿元。")
    assert f.main_company is not None
    assert "重庆智飞生物制品股份有限公司" in f.main_company.names


def test_an_opinion_on_the_company_or_a_time_span_is_no_name():
    """- 报告认为公司2025年…, 预计公司未来几年营收…: a broker summary's clauses, no company
    and no segment; the note's title names the company."""
    f = finder(
        "华辰电气(301299):季报点评\n- 报告认为公司2025年三季度盈利阶段性放缓 [1]"
        " - 预计公司未来几年营收稳步提升 [3]\n"
    )
    assert f.main_company is not None
    assert f.main_company.label == "华辰电气"
    assert not {e.label for e in f.minted} & {"报告认为公司", "未来几年"}


def test_a_listed_short_name_opening_with_a_clause_word_is_the_company():
    """本钢板材公告称…: 本 opens clauses, but 本钢板材 is a listed short name; 相应公司采购的…
    is a clause, no company."""
    f = finder(
        "本钢板材公告称，预计2025年前三季度净利润为8,000万元至9,000万元。"
        "由于钢价低迷,相应公司采购的原料价格回落偏慢。\n"
    )
    assert f.main_company is not None
    assert f.main_company.label == "本钢板材"
    assert "相应公司" not in {e.label for e in f.minted}


def test_a_known_name_opening_another_listed_name_is_that_other_company():
    """京东方光显(01999)：… — a known company's name (京东方) opening a longer name before a
    ticker no known company has: another company, minted with its code; 京东方科技 goes on
    with a suffix of the known one's, so it is no new company."""
    f = finder(
        "港股中期业绩一览\n华辰餐饮(01888)：上半年收入98.4亿元。\n"
        "京东方光显(01999)：上半年收入12.3亿元，按年增长约6%。\n"
        "京东方科技(000725)：上半年收入1012亿元。\n"
    )
    minted = {e.label: e.identifiers for e in f.minted}
    assert minted.get("京东方光显") == ("HKEX:1999",)
    assert "京东方科技" not in minted


def test_a_source_named_after_laizi_is_no_company():
    """来自华辰投资顾问公司的统计显示…: 来自 opens a clause; the source it names is no company
    minted from the clause."""
    f = finder(
        "华辰银行2025年上半年每股收益0.24元。\n来自华辰投资顾问公司2025年的统计显示，"
        "已披露公司平均增长4%。"
    )
    assert not any(e.label.startswith("来自") for e in f.minted)


def test_the_last_two_names_of_a_list_joined_by_a_word_are_two():
    """…、华辰银行、澄江农商行及辰光银行三季度末…: 及 joins two names, never one name."""
    f = finder(
        "另有三家银行,华辰银行、澄江农商行及辰光银行三季度末不良贷款率分别为0.98%、1.21%、1.33%。\n"
    )
    assert not any("及" in e.label for e in f.minted)


def test_a_forecasts_closing_words_on_its_annual_report_name_no_company():
    """具体财务数据将在公司…报告中详细披露 closes A-share forecasts: a clause ending in 公司."""
    f = finder(
        "一、本期业绩预计情况\n归属于上市公司股东的净利润 | 亏损:1,200至1,500万元 |\n"
        "本次业绩预告未经审计,具体财务数据将在公司2026年年度报告中详细披露。\n"
    )
    assert f.main_company is None or "将在" not in f.main_company.label
    assert not any("将在" in e.label or "财务数据" in e.label for e in f.minted)


def test_words_that_open_or_close_a_clause_are_no_part_of_a_name():
    """不仅…, 刷新近三年…, …近期宣布: clause words, not names of parts."""
    f = finder(
        "华辰科技本季度不仅营收增长12%,经营利润也升至21.5亿元。\n"
        "澄江科技Q2收入为88亿元,刷新近三年营收纪录。\n"
        "辰光超市近期宣布,将于下季度关闭45家门店。\n"
    )
    labels = {e.label for e in f.minted}
    assert not labels & {"不仅", "刷新近三年", "辰光超市近期"}


def test_a_name_publishing_results_after_a_wires_lead_is_the_company():
    """财华社讯，华辰表业公布…业绩: the wire's lead names no company; the name after it does."""
    f = finder(
        "公布年度业绩 股东应占溢利约2100万港元\n"
        "财华社讯,华辰表业公布截至2025年6月30日止年度业绩,营业额约5.2亿港元。\n"
    )
    assert f.main_company is not None
    assert f.main_company.label == "华辰表业"


def test_words_before_a_known_company_make_no_part():
    """…，再次是阿里巴巴收入…: words and the company after them are no segment's name."""
    f = finder("华辰科技收入为530亿元,再次是阿里巴巴收入318亿元。\n")
    assert not [e.label for e in f.minted if e.label.endswith("阿里巴巴")]


def test_a_name_before_a_companys_name_in_brackets_is_another_name_of_it():
    """华辰农商行(华辰银行)、…: the text calls the bank both; the graph knows both names."""
    f = finder(
        "华辰农商行(华辰银行)、澄江农商行(澄江银行)前三季度净利润分别增长12.1%、8.4%。\n"
        "此外,华辰银行、澄江银行的不良贷款率分别为1.12%、0.97%。\n"
    )
    names = {e.label: e.names for e in f.minted}
    assert "华辰农商行" in names["华辰银行"]
    assert "澄江农商行" in names["澄江银行"]


def test_laizi_opens_no_parts_name():
    """来自寿险业务的营运利润…: 来自 (from) is no part of the segment's name."""
    f = finder("按业务分类,来自寿险业务的营运利润为52.1亿元,来自产险业务的营运利润为10.3亿元。\n")
    assert not [e.label for e in f.minted if e.label.startswith("来自")]


def test_a_name_right_after_a_bylines_bracket_before_its_code_is_the_company():
    """…消息(记者 张三)华辰股份(688999)披露…: the byline's closing bracket opens the name."""
    f = finder(
        "华辰财经7月12日消息(记者 张三)华辰股份(688999)7月12日披露的2025年半年度业绩预告显示,"
        "公司上半年预计扭亏为盈。\n"
    )
    assert f.main_company is not None
    assert f.main_company.label == "华辰股份"


def test_customers_and_channels_are_named_as_such():
    """下游客户销量 is the customers' sales (no product 下游客户); 个险渠道 before its figure is a
    channel of the business, a segment."""
    f = finder("华辰股份有限公司三季度收入9.6亿元，下游客户销量回暖，带动增速回升。")
    assert "下游客户" not in {e.label for e in f.minted}
    f = finder("华辰人寿股份有限公司上半年新业务价值165.4亿元，其中个险渠道新业务价值118.2亿元。")
    assert ("segment", "个险渠道") in {(e.kind, e.label) for e in f.minted}


def test_only_and_associates_are_no_part_of_a_name():
    """仅澄江证券营收同比下滑: 仅 (only) is no part of the name; 联营公司及合营公司 (associates
    and joint ventures) is no company."""
    f = finder("券商中报：多数券商业绩向好，仅澄江证券营收同比下滑\n澄江证券营收减少3.05%。")
    assert not any(e.label.startswith("仅") for e in f.minted)
    f = finder(
        "华辰置业持有土地储备，其中包括联营公司及合营公司之应占土地储备之楼面面积为864万平方米。"
    )
    assert "联营公司及合营公司" not in {e.label for e in f.minted}


def test_a_plan_or_an_expectation_names_no_part():
    """今年拟开新店950家 is a plan of the company's, 市场预期营收 others' expectation: neither
    拟开新店 nor 市场预期 is a part of the business."""
    f = finder(
        "华辰餐饮(09999)第二季总收入13.4亿美元。今年拟开新店950家，此前市场预期营收为13亿美元。"
    )
    assert not {"拟开新店", "市场预期"} & {e.label for e in f.minted}


def test_a_rankings_names_after_de_are_companies():
    """净利润最高的华辰证券(88.40亿元)与最低的澄江证券(0.72亿元): each name right before its
    figure in brackets is a company, though no clause opens with it."""
    f = finder(
        "券商中报出炉。净利润最高的华辰证券(88.40亿元)与最低的澄江证券(0.72亿元)相差逾百倍。"
    )
    assert {"华辰证券", "澄江证券"} <= {e.label for e in f.minted if e.kind == "company"}


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("澄江二季度营收增两成\n\n医药企业澄江(Chengjiang)周三发布2022年第二季度业绩。", "澄江"),
        # the name is not written again after the headline: no company is minted from it
        ("澄江二季度营收增两成\n\n该公司周三发布2022年第二季度业绩。", None),
        # a market's word before the period's: no company
        ("A股二季度盈利回升\n\nA股上市公司二季度合计实现净利润1.2万亿元。", None),
        # a sector's name (its tail word)
        ("锂电板块二季度回暖\n\n锂电板块二季度合计实现净利润210亿元。", None),
    ],
)
def test_a_headline_name_before_a_period_written_again_is_the_company(text, company):
    f = finder(text)
    assert (f.main_company.label if f.main_company else None) == company


@pytest.mark.parametrize(
    ("text", "company", "code"),
    [
        # a release's label line is furniture; a dash ends the dateline before the name
        (
            "附件99.1\n财经新闻发布\n华辰工业报告第四季度业绩\n"
            "滨海市，2024年3月12日-华辰工业公司（纳斯达克：HCIN）今天公布了第四季度财务业绩。",
            "华辰工业公司",
            "NASDAQ:HCIN",
        ),
        # a short first line opening with a date is a dateline, no headline
        (
            "2026-02-26 07:40 滨海通讯社\n华辰优选第四季度营收增7.4%\n\n"
            "滨海通讯社2月25日电 电商平台运营商华辰优选周三发布第四季度财报。",
            "华辰优选",
            None,
        ),
        # a Hong Kong paper's descriptor before the name (…營運商, the operator)
        (
            "濠江赌场营运商澄江娱乐(01234)昨晚交代业绩,第1季净收益总额12亿美元。",
            "澄江娱乐",
            None,
        ),
    ],
)
def test_a_releases_furniture_and_dateline_are_no_part_of_the_company(text, company, code):
    main = finder(text).main_company
    assert (main.label if main else None) == company
    assert code is None or code in main.identifiers


@pytest.mark.parametrize(
    "text",
    [
        "行业综述 - 前五家头部银行营业收入均超80亿元 华辰银行95.2亿元居首 [1]",
        "头部车企表现 - 三家车企交付量合计12.4万辆 [2]",
    ],
)
def test_a_groups_name_is_neither_a_company_nor_a_part(text):
    f = finder(text)
    assert not [e.label for e in f.minted if e.label.startswith(("前五", "三家", "头部"))]


@pytest.mark.parametrize(
    "text",
    [
        "证券代码：600000 证券简称：山东钢铁\n山东钢铁集团华辰分公司\n2024年半年度业绩预告\n",
        "证券代码：600000 证券简称：南京证券\n南京证券华辰营业部\n2024年半年度业绩预告\n",
    ],
)
def test_a_place_opening_a_name_is_no_short_name_of_it(text):
    company = finder(text).main_company
    assert company is not None
    assert not set(company.names) & {"山东", "南京"}


def test_a_known_name_before_a_colon_and_a_name_with_its_code_writes_the_note():
    """中信证券:五粮液(000858)…: a portal's line of a broker's note; the broker before the colon
    writes it, the company with its code is the subject."""
    f = finder("中信证券:五粮液(000858)主业稳健，分红率提升。公司2024年实现营收891.8亿元。")
    assert f.main_company.iri.endswith("org/wuliangye-yibin")
    assert f.writers == {"https://w3id.org/xmgraph/id/org/citic-securities"}


def test_a_news_sites_code_joined_to_its_market_by_a_hyphen_is_a_ticker():
    """澄江货柜(08975-HK): a code and its market joined by a hyphen, as a news site writes it."""
    f = finder("澄江货柜(08975-HK)周二发布2025年半年报。")
    assert [(n, i) for _, n, i in f.tickers] == [("澄江货柜", "HKEX:8975")]


def test_a_listed_short_name_after_a_tag_heading_the_text_names_the_legal_name_after_its_place():
    """【季报】三江购物：… over 宁波三江购物俱乐部股份有限公司: the listed short name, written after
    the legal name's place, is a name of the minted company."""
    f = finder(
        "【季报】三江购物：2025年一季度报告\n"
        "宁波三江购物俱乐部股份有限公司关于2025年第一季度报告的公告"
    )
    assert f.main_company.label == "宁波三江购物俱乐部股份有限公司"
    assert "三江购物" in f.main_company.names


def test_a_word_holding_a_short_name_is_not_cut_off_the_front_of_a_name():
    """中电科 is a not-subject word (it holds 中电 across a boundary), no news agency's name: a
    legal name that opens with it keeps it (no fragment 芯片技术股份有限公司 minted)."""
    from xmgraph.lexicon import load_lexicon
    from xmgraph.names import trim_name

    lex = load_lexicon()
    assert trim_name("中电科芯片技术股份有限公司", lex) == "中电科芯片技术股份有限公司"


@pytest.mark.parametrize("published", ["2025-08-27发布", "2025年8月27日发布"])
def test_a_notes_publisher_line_names_no_company(published):
    """长江电力(600900)：… / 东吴证券 2025-08-27发布: the broker publishing the note, a listed
    name, is no company of the text."""
    f = finder(
        f"长江电力(600900)：来水偏丰，业绩稳健\n东吴证券 {published}\n上半年营收为180.2亿元。"
    )
    assert f.main_company is not None
    assert f.main_company.label == "China Yangtze Power"
    assert not [e for e in f.minted if e.label == "东吴证券"]


@pytest.mark.parametrize(
    "text",
    [
        # a broker's note titled on a known company after a colon
        "东吴证券:长江电力业绩稳健,来水偏丰,维持“买入”评级\n上半年归母净利润为63.20亿元。",
    ],
)
def test_a_broker_writing_or_sourcing_a_note_is_not_its_subject(text):
    f = finder(text)
    assert f.main_company is not None
    assert f.main_company.label == "China Yangtze Power"


def test_a_known_name_opening_another_listed_companys_name_is_not_that_company():
    """联想控股(03396): 联想 names Lenovo Group (00992), but the code before which 联想控股 stands
    is another listed company's, so the name is minted with it."""
    f = finder("联想控股(03396)公布中期业绩，收入为1,234.5亿元。")
    assert [(e.label, e.identifiers) for e in f.minted] == [("联想控股", ("HKEX:3396",))]


def test_the_press_short_names_of_known_companies_are_theirs():
    """神华 and 邮储, as the press writes China Shenhua and the Postal Savings Bank, are
    theirs."""
    g = finder("神华去年净利润586亿元；邮储全年营收3,512亿元。")
    assert {n: g.by_name[n].label for n in ("神华", "邮储")} == {
        "神华": "China Shenhua Energy",
        "邮储": "Postal Savings Bank of China",
    }


def test_a_name_before_a_ticker_starts_after_a_brokers_marker():
    """华信证券将澄江国际(02999)目标价…: the broker rates the company; its name is 澄江国际."""
    lex = load_lexicon()
    f = EntityFinder(
        "华信证券将澄江国际(02999)目标价由31.4元降至27.6元。", lex, compile_patterns(lex)
    )
    assert [name for _, name, _ in f.tickers] == ["澄江国际"]
    assert trim_name("澄江国际将华辰", lex) == "澄江国际将华辰"  # no broker before it: kept


def test_a_name_before_a_ticker_after_another_ticker_drops_the_lists_joiner():
    """澄江A(02999)及澄江B(02999): the second name is 澄江B, not 及澄江B."""
    lex = load_lexicon()
    f = EntityFinder("澄江A(02999)及澄江B(02999)中午公布业绩。", lex, compile_patterns(lex))
    assert [name for _, name, _ in f.tickers] == ["澄江A", "澄江B"]


def test_a_legal_name_defining_a_known_companys_short_name_is_one_of_its_names():
    """中远海运控股股份有限公司（下称“中远海控”）: the legal name, no substring of the known short
    name, is the known company's, not a company minted beside it."""
    f = finder("中远海运控股股份有限公司（下称“中远海控”）公布一季度业绩，营收1,020亿元。")
    assert f.main_company is not None
    assert f.main_company.known
    assert "中远海运控股股份有限公司" in f.main_company.names
    assert not [e for e in f.minted if e.kind == "company"]


def test_a_verb_of_strengthening_before_gongsi_is_no_company():
    """…、稳固公司自身的竞争壁垒: 稳固 is a verb, 公司 the report's own company; no company is
    minted from the clause."""
    f = finder(
        "中国平安：寿险改革成效显现\n科技投入持续优化服务效率、稳固公司自身的竞争壁垒。"
        "我们预计公司2025年EPS为7.10元。"
    )
    assert not [e.label for e in f.minted if e.kind == "company"]
    assert f.main_company is not None
    assert f.main_company.known
