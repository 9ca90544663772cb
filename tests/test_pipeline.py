"""The library API: build_graph over reports and graphs, lazily imported."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.namespace import QB, RDF

import xmgraph
from xmgraph import pipeline
from xmgraph.errors import XmgraphError
from xmgraph.model import Extraction
from xmgraph.namespaces import ID, XMG


def observations(graph):
    return set(graph.subjects(RDF.type, QB.Observation))


@pytest.fixture
def fake_extract(monkeypatch, sample_extraction):
    """Every report yields the hand-made extraction (facts are not this file's business)."""
    calls = []

    def fake(path, *, published=None):
        calls.append(Path(path))
        return sample_extraction

    monkeypatch.setattr(pipeline, "extract_report", fake)
    return calls


def test_public_api_is_lazy():
    code = (
        "import sys, xmgraph; "
        "assert 'rdflib' not in sys.modules, 'rdflib imported by import xmgraph'; "
        "xmgraph.build_graph; xmgraph.write_graph; "
        "assert 'rdflib' in sys.modules; print(xmgraph.__version__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == xmgraph.__version__


def test_public_names():
    for name in xmgraph.__all__:
        assert getattr(xmgraph, name) is not None
    assert xmgraph.XmgraphError is XmgraphError
    assert set(xmgraph.__all__) <= set(dir(xmgraph))
    with pytest.raises(AttributeError):
        _ = xmgraph.no_such_name


def test_reports_are_built(fake_extract, tmp_path):
    report = tmp_path / "a.txt"
    report.write_text("text", encoding="utf-8")
    g = xmgraph.build_graph([report])
    assert fake_extract == [report]
    assert len(observations(g)) == 4


def test_graph_passed_in_is_used(fake_extract, tmp_path):
    report = tmp_path / "a.txt"
    report.write_text("text", encoding="utf-8")
    mine = Graph()
    assert xmgraph.build_graph([report], graph=mine) is mine
    assert len(observations(mine)) == 4


def test_graphs_and_reports_merge(fake_extract, sample_graph, tmp_path):
    ttl = xmgraph.write_graph(sample_graph, tmp_path / "g.ttl")
    report = tmp_path / "b.md"  # not a graph extension: read as a report
    report.write_text("text", encoding="utf-8")
    g = xmgraph.build_graph([ttl, report])
    assert fake_extract == [report]
    assert len(observations(g)) == 4  # the same facts again: the same observations
    assert set(g) == set(sample_graph)


def test_graph_only(fake_extract, sample_graph, tmp_path):
    nt = xmgraph.write_graph(sample_graph, tmp_path / "g.nt")
    g = xmgraph.build_graph([str(nt)])
    assert fake_extract == []
    assert len(g) == len(sample_graph)


def test_every_input_checked_before_any_work(fake_extract, tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("text", encoding="utf-8")
    with pytest.raises(XmgraphError, match=r"^E001"):
        xmgraph.build_graph([good, tmp_path / "missing.txt"])
    assert fake_extract == []


def test_no_input_e040():
    with pytest.raises(XmgraphError, match=r"^E040"):
        xmgraph.build_graph([])


def test_extract_report_reads_the_file(seed_path):
    extraction = xmgraph.extract_report(seed_path)
    assert isinstance(extraction, Extraction)
    assert extraction.report.name == seed_path.name
    assert extraction.report.sha256 == hashlib.sha256(seed_path.read_bytes()).hexdigest()


def test_seed_graph_structure(seed_graph, seed_path):
    """Structure only: the facts themselves are checked by test_extract."""
    sha = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    rep = ID[f"report/{sha}"]
    assert (rep, RDF.type, XMG.Report) in seed_graph
    assert str(seed_graph.value(rep, XMG.fileName)) == seed_path.name
    text = xmgraph.extract_report(seed_path).report.text
    for span in seed_graph.subjects(RDF.type, XMG.SourceSpan):
        start = seed_graph.value(span, XMG.start).toPython()
        end = seed_graph.value(span, XMG.end).toPython()
        assert str(seed_graph.value(span, XMG.text)) == text[start:end]
    for obs in observations(seed_graph):
        assert isinstance(seed_graph.value(obs, XMG.entity), URIRef)
        assert len(list(seed_graph.objects(obs, XMG.value))) == 1
        assert len(list(seed_graph.objects(obs, XMG.qualifierText))) == 1
        assert list(seed_graph.objects(obs, XMG.source))


def test_seed_facts_table_matches_observations(seed_graph):
    rows = xmgraph.facts_rows(seed_graph)
    assert len(rows) == len(observations(seed_graph))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=st.text(min_size=1, max_size=200))
def test_arbitrary_text_raises_only_our_errors(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.txt"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            g = xmgraph.build_graph([path])
        except XmgraphError:
            return
        assert len(xmgraph.facts_rows(g)) == len(observations(g))


def test_a_mark_inside_a_name_leaves_each_figure_with_its_entity(tmp_path):
    """A zero-width joiner inside the company's name, where a figure names it, changes
    neither which entity the figures go to nor their source offsets' text."""
    from xmgraph.pipeline import extract_report

    text = (
        "华辰科技股份有限公司3月20日发布2024年年度业绩公告。\n"
        "2024年华辰科技营业收入达到1,286.4亿元，同比增长35.1%。\n"
    )
    plain, marked = tmp_path / "plain.txt", tmp_path / "marked.txt"
    plain.write_text(text, encoding="utf-8")
    marked.write_text(text.replace("年华辰", "年华\u200d辰"), encoding="utf-8")
    want = extract_report(plain)
    got = extract_report(marked)
    assert want.facts
    assert [(f.entity.iri, f.metric, f.value) for f in got.facts] == [
        (f.entity.iri, f.metric, f.value) for f in want.facts
    ]


def test_a_report_with_nothing_to_extract_says_why(tmp_path, caplog):
    from xmgraph.pipeline import extract_report

    english = tmp_path / "en.txt"
    english.write_text("Revenue rose 5% to 3bn dollars in 2024.\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="xmgraph"):
        assert extract_report(english).facts == ()
    assert "en.txt: nothing could be extracted: it has no Chinese text" in caplog.text


# ---------------------------------------------------------------- linear time

#: Pieces texts are drawn from: report sentences, figures, rare ideographs (each one a
#: trigger of the GBK realignment), kana and box drawing next to Chinese, pinyin, breaks.
_PIECES = [
    "小米集团2024年收入为3659亿元，同比增长35%。",
    "经调整净利润272亿元，创历史新高。\n",
    "分地区看，省内实现收入12亿元，华东地区收入8亿元。",
    "營業收入182.4亿元（-32.6%），毛利率9.8%。",
    "總收入为10000000000000000亿元。",
    "\n\n",
    "经(jīng)调(tiáo)整",
    "ヂ網業務╳",
    "䶮䶯䶰䶱",
    "鿐鿑鿒鿓鿔",
    "1,234,567",
    "  ",
]


def _read_normalize_extract(data: bytes) -> None:
    from xmgraph.context import add_context
    from xmgraph.extract import extract
    from xmgraph.lexicon import load_lexicon
    from xmgraph.normalize import normalize
    from xmgraph.read import read_bytes

    lexicon = load_lexicon()
    report = read_bytes(data, name="a.txt")
    doc = add_context(normalize(report, vocabulary=lexicon.vocabulary), lexicon)
    extract(doc, lexicon)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(_PIECES), min_size=4, max_size=24))
def test_doubling_the_input_at_most_doubles_the_work(steps, pieces):
    """Read, normalize and extract take steps linear in the input: doubling the text twice,
    the second doubling adds at most about twice the steps the first added. (Not twice the
    steps of one copy: one copy has no join between copies, where the GBK realignment looks
    at both sides, so its count is below the line the others lie on.)"""
    data = "".join(pieces).encode()
    for k in (1, 2, 4):
        _read_normalize_extract(data * k)  # every cache warm for each text: counts repeatable
    once, twice, four = (steps(_read_normalize_extract, data * k) for k in (1, 2, 4))
    # linear: the second doubling adds twice what the first added (quadratic: four times)
    assert four - twice <= 2.3 * (twice - once) + 5_000, (once, twice, four)


# ---------------------------------------------------------------- no crash on any input

_NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["1" + "0" * 16, "9" * 5_000, "0." + "0" * 60 + "1", "1,000,000,000"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)
_TEMPLATES = [
    "小米集团2024年收入为{}亿元，同比增长{}%。",
    "总收入为{}亿元，其中海外收入{}亿元。",
    "毛利率{}%（-{}pct），净利润{}万元。",
    "单位：人民币万元\n项目 本报告期 上年同期 增减变动幅度(%)\n营业总收入 {} {} {}\n",
]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_TEMPLATES), st.lists(_NUMBERS, min_size=3, max_size=3), st.binary())
def test_any_input_gives_a_graph_or_a_coded_error(template, numbers, noise):
    """Absurd figures, bad bytes: a graph with its numeric checks, or an XmgraphError,
    never another exception."""
    from xmgraph.build import build
    from xmgraph.consistency import check_graph
    from xmgraph.context import add_context
    from xmgraph.extract import extract
    from xmgraph.lexicon import load_lexicon
    from xmgraph.normalize import normalize
    from xmgraph.read import read_bytes

    data = template.format(*numbers).encode() + noise
    lexicon = load_lexicon()
    try:
        report = read_bytes(data, name="a.txt")
    except XmgraphError:
        return
    doc = add_context(normalize(report, vocabulary=lexicon.vocabulary), lexicon)
    graph = build([extract(doc, lexicon)])
    check_graph(graph, record=True)
    graph.serialize(format="turtle")


def test_facts_after_a_bad_byte_point_into_the_original_text(tmp_path, caplog):
    """A 0xFF before the second sentence: it is read as U+FFFD, and the facts' sources are
    still ``report.text[start:end]``, exactly (provenance)."""
    from xmgraph.read import read_report

    good = "小米集团2024年收入为3659亿元，同比增长35%。\n经调整净利润272亿元。\n".encode()
    cut = good.index("经".encode())
    path = tmp_path / "r.txt"
    path.write_bytes(good[:cut] + b"\xff" + good[cut:])
    extraction = pipeline.extract_report(path)
    text = read_report(path).text
    assert text.index("\ufffd") == len(good[:cut].decode())
    assert text[len(good[:cut].decode()) + 1 :] == good[cut:].decode()
    sources = [f.source for f in extraction.facts]
    assert len(sources) >= 2
    for source in sources:
        assert text[source.start : source.end] == source.text
    assert any("272亿元" in s.text for s in sources)
    assert "r.txt: byte 60 (character 28) is no utf-8: replaced by U+FFFD (ff)" in caplog.messages
