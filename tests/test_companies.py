"""The gazetteer of listed companies (ontology/companies) and how reports' companies are told."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from xmgraph.companies import gazetteer_files, identifier, read_gazetteer
from xmgraph.lexicon import load_lexicon
from xmgraph.names import EntityFinder
from xmgraph.normalize import normalize
from xmgraph.patterns import compact, compile_patterns
from xmgraph.read import read_report
from xmgraph.resources import ontology_dir

XMG = Namespace("https://w3id.org/xmgraph/ont#")
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


def test_fiscal_years_and_wikidata():
    gaz = read_gazetteer(gazetteer_files())
    by_label = {c.label: c.iri for c in gaz.companies}
    assert gaz.fiscal_year_ends[by_label["Alibaba Group Holding"]] == "--03-31"
    assert gaz.fiscal_year_ends[by_label["Lenovo Group"]] == "--03-31"
    assert gaz.same_as[by_label["Tencent Holdings"]] == ("http://www.wikidata.org/entity/Q860580",)


@pytest.mark.parametrize(
    ("word", "code", "expected"),
    [
        ("HK", "00700", "HKEX:700"),
        ("", "1234", "HKEX:1234"),
        ("SH", "600519", "SSE:600519"),
        ("", "000858", "SZSE:000858"),
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
    ],
)
def test_listed_companies_are_recognised(text, label):
    main = finder(text).main_company
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
    ],
)
def test_bylines_exchanges_regulators_and_brokers_are_never_the_subject(lead):
    f = finder(lead + "华辰科技股份有限公司公布2024年业绩，收入100亿元。")
    assert f.main_company is not None
    assert f.main_company.label == "华辰科技股份有限公司"


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
