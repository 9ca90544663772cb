"""The gazetteer of listed companies (ontology/companies) and how reports' companies are told."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from xmgraph.companies import gazetteer_files, identifier, read_gazetteer
from xmgraph.lexicon import load_lexicon
from xmgraph.names import EntityFinder, known_names
from xmgraph.normalize import normalize
from xmgraph.patterns import compact, compile_patterns
from xmgraph.read import read_report
from xmgraph.resources import ontology_dir

XMG = Namespace("https://w3id.org/xmgraph/ont#")
CO = Namespace("https://w3id.org/xmgraph/id/org/")
ORG = Namespace("http://www.w3.org/ns/org#")
DATA = Path(__file__).parent / "data"
EXCHANGES = {"SSE", "SZSE", "BSE", "HKEX", "NYSE", "NASDAQ"}


@pytest.fixture(scope="module")
def gazetteer():
    graph = Graph()
    for path in gazetteer_files():
        graph.parse(path, format="turtle")
    for path in sorted((ontology_dir() / "entities").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def finder(text):
    lex = load_lexicon()
    return EntityFinder(text, lex, compile_patterns(lex))


def test_the_gazetteer_parses_and_is_large(gazetteer):
    companies = set(gazetteer.subjects(RDF.type, XMG.Company))
    assert len(companies) >= 350
    files = {p.name for p in gazetteer_files()}
    assert {"csi300.ttl", "hkex.ttl", "us-listed.ttl", "not-subjects.ttl"} <= files


def test_every_company_has_three_labels_and_a_listing(gazetteer):
    for company in gazetteer.subjects(RDF.type, XMG.Company):
        langs = {lit.language for lit in gazetteer.objects(company, RDFS.label)}
        assert {"en", "zh-Hans", "zh-Hant"} <= langs, company
        idents = [str(i) for i in gazetteer.objects(company, ORG.identifier)]
        assert idents, company
        for ident in idents:
            exchange, code = ident.split(":", 1)
            assert exchange in EXCHANGES, ident
            assert code, ident
            assert exchange != "HKEX" or not code.startswith("0"), ident  # HKEX:700


def test_no_identifier_names_two_companies(gazetteer):
    counts = Counter(str(i) for i in gazetteer.objects(None, ORG.identifier))
    assert [i for i, n in counts.items() if n > 1] == []
    assert str(next(gazetteer.subjects(ORG.identifier, Literal("HKEX:1810")))).endswith("/xiaomi")


def test_no_name_names_two_companies():
    """A name matched in reports (ambiguous ones aside) belongs to one company, and none is
    the name of an organisation never a subject."""
    lex = load_lexicon()
    ambiguous = set(lex.cue("ambiguous-company-name"))
    owners: dict[str, set[str]] = {}
    for e in (e for e in lex.entities if e.kind == "company"):
        for name in (n for n in e.names if n not in ambiguous):
            owners.setdefault(compact(name), set()).add(e.iri)
    assert len(owners) >= 1200
    assert [n for n, o in owners.items() if len(o) > 1] == []
    # only the listed operator of an exchange shares its names with the exchange (a text makes
    # it its company only where it reports its own results: names._own_results)
    shared = set(owners) & {compact(n) for n in lex.not_subjects}
    assert {iri for n in shared for iri in owners[n]} == {CO + "hkex-group"}
    assert shared == {"香港交易所", "港交所", "香港交易及结算所有限公司"}


def test_fiscal_years_and_wikidata():
    gaz = read_gazetteer(gazetteer_files())
    by_label = {c.label: c.iri for c in gaz.companies}
    assert gaz.fiscal_year_ends[by_label["Alibaba Group Holding"]] == "--03-31"
    assert gaz.fiscal_year_ends[by_label["Lenovo Group"]] == "--03-31"
    assert gaz.fiscal_year_ends[by_label["Link Real Estate Investment Trust"]] == "--03-31"
    assert gaz.fiscal_year_ends[by_label["Sun Hung Kai Properties"]] == "--06-30"
    assert all(
        re.fullmatch(r"--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", v)
        for v in gaz.fiscal_year_ends.values()
    )
    assert gaz.same_as[by_label["Tencent Holdings"]] == ("http://www.wikidata.org/entity/Q860580",)


def test_a_former_short_name_is_a_name_of_the_company():
    """隆基股份 (LONGi's short name until 2022) names SSE:601012 in older texts."""
    lex = load_lexicon()
    (longi,) = [e for e in lex.entities if "SSE:601012" in e.identifiers]
    assert "隆基股份" in longi.names


def test_a_former_name_longer_than_anothers_short_name_names_its_company():
    """新東方在綫 (East Buy's name until 2022, with the variant 綫) names HKEX:1797, not New
    Oriental, whose short name 新東方 opens it."""
    main = _finder_of("新東方在綫公布全年業績，虧損按年擴大。").main_company
    assert main is not None
    assert "HKEX:1797" in main.identifiers


def test_wikidata_items_and_leis_are_well_formed():
    """QIDs are Wikidata items; LEIs have ISO 17442's 20 characters and mod-97 check digits,
    and no two companies share one."""
    from stdnum import lei

    gaz = read_gazetteer(gazetteer_files())
    qids = [q for qs in gaz.same_as.values() for q in qs]
    assert qids
    assert all(re.fullmatch(r"http://www\.wikidata\.org/entity/Q[1-9]\d*", q) for q in qids)
    assert len(gaz.leis) >= 18
    for iri, code in gaz.leis.items():
        assert re.fullmatch(r"[0-9A-Z]{18}\d{2}", code), (iri, code)
        assert lei.is_valid(code), (iri, code)
    assert len(set(gaz.leis.values())) == len(gaz.leis)
    tencent = next(c.iri for c in gaz.companies if "HKEX:700" in c.identifiers)
    assert gaz.leis[tencent] == "254900N4SLUMW4XUYY11"
    assert not lei.is_valid("254900N4SLUMW4XUYY12")  # the check digits catch a wrong one


def test_every_chinese_name_is_given_in_both_scripts(gazetteer):
    """Each company's Simplified names have their Traditional form, and each Traditional
    name reads back (as the reader converts a text) as one of its Simplified names."""
    from xmgraph.normalize import simplified

    skos_alt = URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
    for company in gazetteer_files_companies(gazetteer):
        names = [n for p in (RDFS.label, skos_alt) for n in gazetteer.objects(company, p)]
        hans = {str(n) for n in names if n.language == "zh-Hans"}
        hant = {str(n) for n in names if n.language == "zh-Hant"}
        assert len(hant) >= len(hans) > 0, company
        assert {simplified(n) for n in hant} <= hans, company


def gazetteer_files_companies(graph):
    """The companies of the gazetteer's files (not the entity files)."""
    entities = {str(s) for s in _entity_graph().subjects(RDF.type, XMG.Company)}
    return [c for c in graph.subjects(RDF.type, XMG.Company) if str(c) not in entities]


def _entity_graph():
    graph = Graph()
    for path in sorted((ontology_dir() / "entities").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def test_short_names_follow_the_policy():
    """No company name has one character; every word listed as holding a short name across
    a word boundary (基建行业: 建行) holds one, and is read whole, naming no company."""
    from xmgraph.names import known_names

    lex = load_lexicon()
    gaz = read_gazetteer(gazetteer_files())
    ambiguous = set(lex.cue("ambiguous-company-name"))
    short = {
        compact(n)
        for c in gaz.companies
        for n in c.names
        if len(compact(n)) <= 2 and n not in ambiguous and not n.isascii()
    }
    assert not [n for n in short if len(n) < 2]
    assert {"建行", "工行", "中电", "港铁", "汇丰", "友邦", "人保", "新地"} <= short
    table = known_names(lex)
    graph = Graph().parse(ontology_dir() / "companies" / "newspaper-names.ttl")
    holders = [str(n) for n in graph.objects(URIRef(str(CO) + "not-company-names"), None)]
    holders = [h for h in holders if not h.isascii()]
    assert len(holders) >= 50
    held = short | {
        compact(n) for c in gaz.companies for n in c.names if len(compact(n)) == 3
    }  # 其中海外 holds 中海外
    for word in holders:
        assert any(s in word for s in held), word
        assert [e for _, _, e in table.finditer(word)] == [None], word


@pytest.mark.parametrize(
    "text",
    [
        "化工行业收入增长5%。",
        "基建行业投资增长5%。",
        "其中行业龙头收入增长5%。",
        "个人保险业务收入增长5%。",
        "公司创新地推出新产品，收入增长5%。",
        "集中电站装机量增长5%。",
        "其中海外收入增长5%。",
        "收入增长实现5%。",
    ],
)
def test_a_short_name_inside_other_words_is_no_company(text):
    f = _finder_of(text)
    assert f.main_company is None, f.main_company


def _finder_of(text):
    """The entity finder of a text read as the pipeline reads it (Traditional included)."""
    from xmgraph.read import read_bytes

    lex = load_lexicon()
    doc = normalize(read_bytes(text.encode(), name="text.txt"), vocabulary=lex.vocabulary)
    return EntityFinder(doc.text, lex, compile_patterns(lex))


@pytest.mark.parametrize(
    ("word", "code", "expected"),
    [
        ("HK", "00700", "HKEX:700"),
        ("", "1234", "HKEX:1234"),
        ("SH", "600519", "SSE:600519"),
        ("", "000858", "SZSE:000858"),
        ("", "900957", "SSE:900957"),  # a Shanghai B share
        ("", "200625", "SZSE:200625"),  # a Shenzhen B share
        ("NASDAQ", "BIDU", "NASDAQ:BIDU"),
        ("纽交所", "BABA", "NYSE:BABA"),
        ("", "BIDU", None),
    ],
)
def test_identifiers_from_tickers(word, code, expected):
    assert identifier(word, code, load_lexicon().exchanges) == expected


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("贵州茅台2024年实现营业收入1741亿元。", "Kweichow Moutai"),
        ("腾讯控股有限公司（股份代号：00700）公布2024年业绩。", "Tencent Holdings"),
        ("腾讯（00700.HK）今日公布全年业绩。", "Tencent Holdings"),
        ("百度(NASDAQ: BIDU)今日公布第四季度业绩。", "Baidu"),
        ("贵州茅台（600519.SH）发布年报。", "Kweichow Moutai"),
        ("五粮液（000858.SZ）发布年报。", "Wuliangye Yibin"),
        ("阿里巴巴集团公布截至2024年3月31日止财年业绩。", "Alibaba Group Holding"),
        # the short names of Hong Kong papers, in Traditional
        ("中電公布2024年全年業績，股東應佔盈利117億港元。", "CLP Holdings"),
        ("港鐵中期股東應佔溢利按年升，派息每股0.42港元。", "MTR Corporation"),
        ("恒地全年基礎盈利跌8%，末期息每股1.3港元。", "Henderson Land"),
        ("新地全年基礎溢利231億元，按年跌4.5%。", "Sun Hung Kai Properties"),
        ("滙豐控股公布2024年全年業績，除稅前利潤324億美元。", "HSBC"),
        ("領展房產基金公布截至2025年3月31日止年度業績。", "Link Real Estate Investment Trust"),
        ("友邦新業務價值按年增長18%。", "AIA"),
        ("長建去年股東應佔溢利按年升1%。", "CKI Holdings"),
        ("國壽前三季度淨利潤按年增長。", "China Life Insurance"),
        ("人保集團上半年淨利潤按年增長。", "People's Insurance Company (Group) of China"),
        ("建行2024年實現淨利潤3355億元。", "China Construction Bank"),
        ("舜宇11月手機鏡頭出貨量按年升。", "Sunny Optical Technology (Group)"),
        ("安踏體育上半年收益337億元人民幣。", "ANTA Sports Products"),
        ("零跑汽車11月交付量創新高。", "Zhejiang Leapmotor Technology"),
        ("華虹半導體第三季度銷售收入5.3億美元。", "Hua Hong Semiconductor"),
        # a company listed abroad that Chinese news compares with (global.ttl)
        ("特斯拉第三季度交付量为49.7万辆。", "Tesla"),
        ("星巴克中国门店数为8200家。", "Starbucks"),
    ],
)
def test_listed_companies_are_recognised(text, label):
    main = _finder_of(text).main_company
    assert main is not None
    assert main.known
    assert main.label == label


def test_a_ticker_gives_a_minted_company_its_identifier():
    main = finder("星辰汽车（1234）公布2024年业绩，收入100亿元。").main_company
    assert (main.label, main.identifiers, main.known) == ("星辰汽车", ("HKEX:1234",), False)
    main = finder("星辰智能科技股份有限公司（688999.SH）发布2024年年报。").main_company
    assert main.identifiers == ("SSE:688999",)


def test_another_companys_code_links_nothing():
    """A code that belongs to a listed company, written after another name, is no link."""
    f = finder("蜀香火锅控股有限公司（股份代号：1898）公布中期业绩。")
    assert f.main_company.label == "蜀香火锅控股有限公司"
    assert f.main_company.identifiers == ()


def test_a_legal_name_mints_a_company():
    main = finder("华辰科技股份有限公司公布2024年业绩。").main_company
    assert (main.label, main.known) == ("华辰科技股份有限公司", False)
    assert "华辰科技" in main.names


@pytest.mark.parametrize(
    "text",
    [
        "集团实现归属于母公司股东的净利润10亿元，同比增长5%。",
        "这一数字同比增长10%。",
        "但该年度公司收入下降5%。",
        "导致股东应占亏损扩大至3亿元。",
        "财务信息的真实与完整由董事会负责。",  # a statement wrapped after 报告中 by a PDF
        "会计信息质量符合要求。",
        "不考虑高鑫零售的收入，集团收入增长9%。",  # a verb before a known name
        "基于公司2025年收入增长的判断，维持买入评级。",
    ],
)
def test_clause_fragments_are_no_companies(text):
    assert finder(text).main_company is None


@pytest.mark.parametrize(
    "lead",
    [
        "财联社3月20日讯，",
        "新华社北京3月20日电 ",
        "本报讯 记者张三报道 ",
        "香港交易及结算所有限公司及香港联合交易所有限公司对本公告的内容概不负责。",
        "中国证监会近日发布新规。上交所表示，",
        "中信证券研报指出，",
        "东吴证券发布研报称，",
        "香港2025年3月2日 /美通社/ -- ",
    ],
)
def test_bylines_exchanges_regulators_and_brokers_are_never_the_subject(lead):
    f = finder(lead + "华辰科技股份有限公司公布2024年业绩，收入100亿元。")
    assert f.main_company is not None
    assert f.main_company.label == "华辰科技股份有限公司"


def test_a_lead_word_is_no_part_of_the_name():
    """综观 (taking an overall view) before a name is a lead word (cue set name-lead)."""
    assert finder("综观华辰电器2024年业绩，营业收入47.58亿元。").main_company.label == "华辰电器"


def test_ambiguous_short_names_are_not_matched():
    f = finder("华辰科技股份有限公司公布业绩。完美的一年，平安落地。")
    assert f.main_company.label == "华辰科技股份有限公司"
    assert "美的" not in f.by_name
    assert "平安" not in f.by_name


def _evaluation_texts():
    return sorted(
        p
        for folder in ("corpus", "dev3", "dev4", "dev5", "dev6", "holdout2", "holdout3", "holdout4")
        for p in (DATA / folder).glob("*.txt")
    )


def test_every_company_of_the_evaluation_texts_is_known_or_a_company_name():
    """Over every evaluation text, each company the finder names is in the gazetteer or
    looks like a company's name: a legal or company suffix, or its English name after it."""
    lex = load_lexicon()
    pats = compile_patterns(lex)
    suffix = tuple(lex.cue("company-suffix"))
    texts = _evaluation_texts()
    assert len(texts) >= 90
    for path in texts:
        doc = normalize(read_report(path), vocabulary=lex.vocabulary)
        f = EntityFinder(doc.text, lex, pats)
        for company in (e for e in [f.main_company, *f.minted] if e and e.kind == "company"):
            if company.known:
                continue
            name = company.label
            english = re.search(re.escape(name) + r"\s*[（(][A-Za-z]", doc.text)
            assert name.endswith(suffix) or english, (path.name, name)
            assert f._company_like(name), (path.name, name)
            assert compact(name) not in {compact(n) for n in lex.not_subjects}


def _test_texts():
    """Every test text but those of the sealed evaluation sets (sealed5, holdout*)."""
    return sorted(
        p for p in DATA.glob("*/*.txt") if not p.parent.name.startswith(("sealed", "holdout"))
    )


def test_every_company_of_the_built_graphs_is_listed_or_has_a_company_name():
    """All the open test texts built together: each company of the graph is one of the
    gazetteer's (or a known entity), or is named as a company is: a legal or company suffix,
    a ticker in brackets after its name, its English name after it, an item of a numbered
    list of companies (1. 华辰能源：…) or of a list counted as a group of companies (华辰、澄泉和
    滨海三家乳企), or a headline's name before a period's word."""
    from xmgraph.normalize import simplified
    from xmgraph.pipeline import build_graph

    lex = load_lexicon()
    suffix = tuple(lex.cue("company-suffix"))
    never = {compact(n) for n in lex.not_subjects}
    texts = _test_texts()
    assert len(texts) >= 100
    written = "\n".join(simplified(p.read_text(encoding="utf-8", errors="replace")) for p in texts)
    graph = build_graph(texts)
    known = {e.iri for e in lex.entities}
    companies = set(graph.subjects(RDF.type, XMG.Company))
    assert URIRef(str(CO) + "xiaomi") in companies
    for company in companies - {URIRef(i) for i in known}:
        name = str(graph.value(company, RDFS.label))
        english = re.search(re.escape(name) + r"\s*[（(][A-Za-z]", written)
        # a ticker in brackets: its identifier, or none where another company has that code
        written_code = re.search(re.escape(name) + r"\s*[（(][^（）()]{0,20}\d{3,6}", written)
        ticker = graph.value(company, ORG.identifier) is not None or written_code
        item = re.search(r"(?m)^\s*\d{1,2}[.、．]\s*" + re.escape(name) + "[：:]", written)
        # a headline opening with the name right before a period's word (华辰第四季度营收…)
        headline = re.search(
            r"(?m)^"
            + re.escape(name)
            + r"(?:第[一二三四]季|[一二三四]季度|Q[1-4]|上半年|前三季|全年)",
            written,
        )
        # an item of a list counted right after as a group of companies (A、B和C三家乳企)
        counted = re.search(
            re.escape(name) + r"(?:[、和及与][\u4e00-\u9fff]{2,6})*[两二三四五六七八九十\d]家",
            written,
        )
        assert name.endswith(suffix) or english or ticker or item or headline or counted, name
        assert compact(name) not in never, name


def test_built_graphs_link_companies_to_identifiers_and_conform(tmp_path):
    from xmgraph.build import ADMS
    from xmgraph.pipeline import build_graph
    from xmgraph.validate import validate_graph

    (tmp_path / "a.txt").write_text(
        "腾讯控股有限公司（股份代号：00700）公布2024年业绩：全年收入6603亿元。\n", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text(
        "星辰汽车（1234）公布2024年业绩，全年收入100亿元。\n", encoding="utf-8"
    )
    graph = build_graph([tmp_path / "a.txt", tmp_path / "b.txt"])
    tencent = next(graph.subjects(ORG.identifier, Literal("HKEX:700")))
    assert (tencent, URIRef("http://www.w3.org/2002/07/owl#sameAs"), None) in graph
    minted = next(graph.subjects(ORG.identifier, Literal("HKEX:1234")))
    node = graph.value(minted, ADMS.identifier)
    assert str(graph.value(node, URIRef("http://www.w3.org/2004/02/skos/core#notation"))) == "1234"
    assert validate_graph(graph, checks=False).conforms
    graph.remove((node, URIRef("http://purl.org/dc/terms/creator"), None))
    assert not validate_graph(graph, checks=False).conforms


def _facts_of(text: str):
    """The facts of a text read as the pipeline reads it (context included)."""
    from xmgraph.context import add_context
    from xmgraph.extract import extract
    from xmgraph.lexicon import load_lexicon
    from xmgraph.normalize import normalize
    from xmgraph.read import read_bytes

    lex = load_lexicon()
    report = read_bytes(text.encode(), name="text.txt")
    return extract(add_context(normalize(report, vocabulary=lex.vocabulary), lex), lex).facts


def test_each_bullet_with_a_ticker_is_about_its_company():
    from xmgraph.model import plain_decimal

    text = (
        "启衡证券研究所｜晨会纪要\n"
        "- 岚川制药（600731）：2025年上半年营业收入84.36亿元，同比增长12.4%。\n"
        "- 北泽风电（002915）：2025年上半年营业收入163.2亿元，同比增长36.8%。\n"
    )
    facts = {(f.entity.label, plain_decimal(f.value)) for f in _facts_of(text)}
    assert ("岚川制药", "8436000000") in facts
    assert ("北泽风电", "16320000000") in facts
    assert not any(label.startswith("启衡证券") for label, _ in facts)


def test_a_name_starts_after_what_the_company_is():
    from xmgraph.lexicon import load_lexicon
    from xmgraph.names import trim_name

    lex = load_lexicon()
    name = "面向中小商家的电商SaaS服务提供商澜岳科技控股有限公司"
    assert trim_name(name, lex) == "澜岳科技控股有限公司"
    assert trim_name("华辰科技股份有限公司", lex) == "华辰科技股份有限公司"


def test_companies_listed_in_a_round_up_are_each_a_subject():
    from xmgraph.model import plain_decimal

    text = (
        "date 2025-11-19\n"
        "岚丰控股、韵川股份两家快递上市公司昨晚披露10月经营简报。\n"
        "岚丰控股10月营业收入189.62亿元，同比增长9.81%。\n"
        "韵川股份10月营业收入45.23亿元，同比增长4.12%。\n"
    )
    facts = {(f.entity.label, f.period.code, plain_decimal(f.value)) for f in _facts_of(text)}
    assert ("岚丰控股", "2025-10", "18962000000") in facts
    assert ("韵川股份", "2025-10", "4523000000") in facts


def test_the_short_name_of_an_announcement_is_a_name_of_the_company():
    from xmgraph.lexicon import load_lexicon
    from xmgraph.names import EntityFinder
    from xmgraph.patterns import compile_patterns

    text = (
        "证券代码：688417　证券简称：衡川智装\n\n衡川智能装备股份有限公司\n2025年年度业绩预亏公告\n"
    )
    lex = load_lexicon()
    main = EntityFinder(text, lex, compile_patterns(lex)).main_company
    assert main is not None
    assert main.label == "衡川智能装备股份有限公司"
    assert "衡川智装" in main.names


def test_the_listing_table_maps_each_unambiguous_name_to_its_code(tmp_path):
    from xmgraph.companies import read_listed

    table = tmp_path / "listed.tsv"
    table.write_text(
        "# a comment\nidentifier\tname\tlegal_name\tenglish\n"
        "SSE:603001\t华辰药业\t浙江华辰药业股份有限公司\t\n"
        "SZSE:000002\t同名\t\t\nSZSE:000003\t同名\t\t\n",
        encoding="utf-8",
    )
    assert read_listed(table) == {
        "华辰药业": "SSE:603001",
        "浙江华辰药业股份有限公司": "SSE:603001",
    }
    assert read_listed(tmp_path / "absent.tsv") == {}


@pytest.mark.parametrize(
    "text",
    [
        "华辰谷：24Q2毛利率改善\n- 24H1 公司实现营收 3.5 亿元",
        "据悉，华辰谷（603001）半年营收3.5亿元。",
    ],
)
def test_a_listed_name_without_a_suffix_is_the_company_of_its_headline_or_ticker(text):
    import dataclasses

    lex = load_lexicon()
    listed = dataclasses.replace(lex, listed={**lex.listed, "华辰谷": "SSE:603001"})
    main = EntityFinder(text, listed, compile_patterns(listed)).main_company
    assert main is not None
    assert main.label == "华辰谷"
    assert main.identifiers == ("SSE:603001",)


def test_a_colon_headline_or_a_bare_ticker_names_no_company_unless_the_name_is_listed():
    lex = load_lexicon()
    text = "快讯：24Q2毛利率改善\n营收3.5亿元"
    main = EntityFinder(text, lex, compile_patterns(lex)).main_company
    assert main is None
    for text in ("华辰谷：24Q2毛利率改善", "据悉，华辰谷（603001）半年营收3.5亿元。"):
        main = EntityFinder(text, lex, compile_patterns(lex)).main_company
        assert main is None or main.label != "华辰谷"


def test_a_short_name_with_another_legal_suffix_is_another_company():
    """新鸿基 is Sun Hung Kai Properties, whose legal name is 新鸿基地产发展有限公司: 新鸿基有限公司
    is another company (Sun Hung Kai & Co.), never read as that one."""
    lex = load_lexicon()
    shkp = next(e for e in lex.entities if e.label == "Sun Hung Kai Properties")
    names = known_names(lex)
    assert [e for _, _, e in names.finditer("新鸿基公布业绩")] == [shkp]
    assert shkp not in [e for _, _, e in names.finditer("新鸿基有限公司公布中期业绩")]


def test_a_papers_three_character_short_name_names_its_company():
    f = _finder_of("中海外上半年盈利183.6亿元人民币，按年升约3%。")
    assert f.main_company is not None
    assert f.main_company.iri.endswith("/china-overseas-land-and-investment")


def test_a_broker_in_a_list_of_notes_is_no_subject():
    """A name under a table's 研究机构 column (a portal's list of notes) writes the note: the
    text's company is the one named below the table, not the broker."""
    text = (
        "序号 | 研究机构 | 分析师 | 投资评级 | 报告标题 | 更新日 |\n"
        "7 | 东吴证券 | 张明,李华 | 维持 | 买入 | 2024年年报点评:电储出货稳增 | 2025-03-20 |\n"
        "宁德时代(300750)\n事件。公司发布2024年年报,24年公司全年实现营收3,620.10亿元。\n"
    )
    main = finder(text).main_company
    assert main is not None
    assert main.label == "Contemporary Amperex Technology"
