"""build: hand-made extractions -> the observation shape of ontology/xmgraph.ttl."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, PROV, QB, RDF, RDFS, SKOS

from xmgraph import resources
from xmgraph.build import add_extraction, build, name_literal, observation_iri, span_iri
from xmgraph.model import Extraction, Period, plain_decimal
from xmgraph.namespaces import ID, PREFIXES, UNIT, WORLD, XMG, period_iri

OVERSEAS = URIRef(str(ID) + "region/overseas")
# plain namespaces: rdflib's TIME/XSD warn when pytest's doctest finder inspects them
TIME = Namespace("http://www.w3.org/2006/time#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


def observations(graph):
    return set(graph.subjects(RDF.type, QB.Observation))


def obs_of(graph, fact):
    iri = observation_iri(fact)
    assert (iri, RDF.type, QB.Observation) in graph
    return iri


def test_one_observation_per_key(sample_graph, sample_extraction):
    # five facts, the delivery target stated twice: four observations
    assert len(sample_extraction.facts) == 5
    assert len(observations(sample_graph)) == 4


def test_duplicate_fact_is_one_observation_with_both_sources(sample_graph, sample_extraction):
    first, second = sample_extraction.facts[1], sample_extraction.facts[2]
    assert observation_iri(first) == observation_iri(second)
    obs = obs_of(sample_graph, first)
    sources = set(sample_graph.objects(obs, XMG.source))
    assert sources == {span_iri(first.source), span_iri(second.source)}
    assert len(sources) == 2


def test_observation_triples(sample_graph, sample_extraction):
    fact = sample_extraction.facts[0]
    obs = obs_of(sample_graph, fact)
    g = sample_graph
    assert g.value(obs, QB.dataSet) == ID["dataset"]
    assert g.value(obs, XMG.entity) == URIRef(fact.entity.iri)
    assert g.value(obs, XMG.metric) == URIRef(fact.metric)
    assert g.value(obs, XMG.period) == ID["period/2024"]
    assert g.value(obs, XMG.region) == WORLD
    assert g.value(obs, XMG.scenario) == XMG.Actual
    assert g.value(obs, XMG.value) == Literal("10000000000", datatype=XSD.decimal)
    assert g.value(obs, XMG.unit) == UNIT["CNY"]
    assert g.value(obs, XMG.yoyChange) == Literal("10.5", datatype=XSD.decimal)
    assert (obs, XMG.qoqChange, None) not in g
    assert g.value(obs, XMG.qualifierText) == Literal("")
    assert (obs, XMG.qualifier, None) not in g


def test_value_is_plain_decimal(sample_graph, sample_extraction):
    obs = obs_of(sample_graph, sample_extraction.facts[4])  # Decimal("7.50")
    assert str(sample_graph.value(obs, XMG.value)) == "7.5"


def test_target_scenario_and_qualifiers(sample_graph, sample_extraction):
    obs = obs_of(sample_graph, sample_extraction.facts[1])
    assert sample_graph.value(obs, XMG.scenario) == XMG.Target
    assert set(sample_graph.objects(obs, XMG.qualifier)) == {XMG.Target}
    assert str(sample_graph.value(obs, XMG.qualifierText)) == "target"
    assert "-target-" in str(obs)


def test_region_and_approximate(sample_graph, sample_extraction):
    obs = obs_of(sample_graph, sample_extraction.facts[3])
    assert sample_graph.value(obs, XMG.region) == OVERSEAS
    assert sample_graph.value(obs, XMG.scenario) == XMG.Actual
    assert set(sample_graph.objects(obs, XMG.qualifier)) == {XMG.Approximate}


def test_merged_qualifiers_are_the_union_in_order(sample_extraction):
    fact = dataclasses.replace(sample_extraction.facts[1], qualifiers=("target", "approximate"))
    more = dataclasses.replace(fact, qualifiers=("target", "approximate", "more-than"))
    ex = dataclasses.replace(sample_extraction, facts=(fact, more))
    g = build([ex], ontology=False)
    obs = observation_iri(fact)
    assert set(g.objects(obs, XMG.qualifier)) == {XMG.Target, XMG.Approximate, XMG.MoreThan}
    assert [str(t) for t in g.objects(obs, XMG.qualifierText)] == ["target approximate more-than"]


def test_a_figure_stated_exactly_once_is_not_approximate(sample_extraction):
    """收益 1,486.2 in a table and 约1,486.2 in the text: one observation, exact."""
    fact = dataclasses.replace(sample_extraction.facts[1], qualifiers=())
    approx = dataclasses.replace(fact, qualifiers=("approximate",))
    for facts in ((fact, approx), (approx, fact)):
        g = build([dataclasses.replace(sample_extraction, facts=facts)], ontology=False)
        obs = observation_iri(fact)
        assert (obs, XMG.qualifier, XMG.Approximate) not in g
        assert [str(t) for t in g.objects(obs, XMG.qualifierText)] == [""]


def test_span_text_is_the_report_slice(sample_graph, sample_report):
    spans = set(sample_graph.subjects(RDF.type, XMG.SourceSpan))
    assert len(spans) == 5  # the repeated target has two spans; the role's sentence one
    for span in spans:
        start = sample_graph.value(span, XMG.start).toPython()
        end = sample_graph.value(span, XMG.end).toPython()
        assert sample_graph.value(span, XMG.start).datatype == XSD.integer
        assert str(sample_graph.value(span, XMG.text)) == sample_report.text[start:end]
        assert sample_graph.value(span, XMG.report) == ID[f"report/{sample_report.sha256}"]
        assert str(span) == str(ID) + f"report/{sample_report.sha256}/span/{start}-{end}"


def test_report_node(sample_graph, sample_report):
    rep = ID[f"report/{sample_report.sha256}"]
    assert (rep, RDF.type, XMG.Report) in sample_graph
    assert str(sample_graph.value(rep, XMG.sha256)) == sample_report.sha256
    assert str(sample_graph.value(rep, XMG.fileName)) == "sample.txt"
    assert str(sample_graph.value(rep, XMG.encoding)) == "utf-8"
    assert str(sample_graph.value(rep, RDFS.label)) == "sample.txt"


def test_repairs(sample_graph, sample_report):
    rep = ID[f"report/{sample_report.sha256}"]
    (node,) = sample_graph.objects(rep, XMG.repair)
    assert node == ID[f"report/{sample_report.sha256}/repair/3-5-pinyin-annotation"]
    assert (node, RDF.type, XMG.Repair) in sample_graph
    assert str(sample_graph.value(node, XMG.repairKind)) == "pinyin-annotation"
    assert sample_graph.value(node, XMG.start).toPython() == 3
    assert str(sample_graph.value(node, RDFS.comment)) == "example"


def test_periods(sample_graph):
    year = ID["period/2024"]
    assert (year, RDF.type, TIME.ProperInterval) in sample_graph
    assert str(sample_graph.value(year, XMG.periodCode)) == "2024"
    assert sample_graph.value(year, XMG.periodKind) == XMG.Year
    assert sample_graph.value(year, XMG.year).toPython() == 2024
    begin = sample_graph.value(year, TIME.hasBeginning)
    assert begin == ID["instant/2024-01-01"]
    assert (begin, RDF.type, TIME.Instant) in sample_graph
    assert sample_graph.value(begin, TIME.inXSDDate) == Literal("2024-01-01", datatype=XSD.date)
    assert sample_graph.value(year, TIME.hasEnd) == ID["instant/2024-12-31"]
    interval = ID["period/2024-01-01--2024-09-30"]
    assert period_iri(Period("2024-01-01/2024-09-30")) == interval
    assert sample_graph.value(interval, XMG.periodKind) == XMG.Interval
    assert str(sample_graph.value(interval, XMG.periodCode)) == "2024-01-01/2024-09-30"


def test_instant_period(sample_extraction):
    fact = dataclasses.replace(sample_extraction.facts[0], period=Period("2024-12-31"))
    g = build([dataclasses.replace(sample_extraction, facts=(fact,))], ontology=False)
    p = ID["period/2024-12-31"]
    assert g.value(observation_iri(fact), XMG.period) == p
    assert (p, RDF.type, TIME.Instant) in g
    assert (p, RDF.type, TIME.ProperInterval) not in g
    assert g.value(p, TIME.inXSDDate) == Literal("2024-12-31", datatype=XSD.date)
    assert g.value(p, XMG.periodKind) == XMG.Instant
    assert (p, TIME.hasBeginning, None) not in g


def test_minted_entities(sample_graph, entities):
    company = URIRef(entities["company"].iri)
    segment = URIRef(entities["segment"].iri)
    product = URIRef(entities["product"].iri)
    g = sample_graph
    assert {XMG.Company, ORG.Organization} <= set(g.objects(company, RDF.type))
    assert {XMG.Segment, ORG.OrganizationalUnit} <= set(g.objects(segment, RDF.type))
    assert (product, RDF.type, XMG.Product) in g
    assert g.value(company, RDFS.label) == Literal("甲公司", lang="zh-Hans")
    assert g.value(segment, RDFS.label) == Literal("乙業務", lang="zh-Hant")
    assert g.value(product, RDFS.label) == Literal("P1")
    assert g.value(company, XMG.knownEntity) == Literal(False)
    assert set(g.objects(company, XMG.alias)) == {Literal("甲", lang="zh-Hans")}
    assert (segment, ORG.unitOf, company) in g
    assert (company, ORG.hasUnit, segment) in g
    assert (product, XMG.productOf, segment) in g


def test_name_literal_languages():
    assert name_literal("小米集团").language == "zh-Hans"
    assert name_literal("小米集團").language == "zh-Hant"
    assert name_literal("Xiaomi SU7").language is None
    assert name_literal("SU7 系列").language == "zh-Hans"


def test_roles(sample_graph, sample_extraction, entities):
    role = sample_extraction.roles[0]
    person = URIRef(entities["person"].iri)
    company = URIRef(entities["company"].iri)
    (membership,) = sample_graph.subjects(RDF.type, ORG.Membership)
    assert str(membership).startswith(str(ID) + "membership/")
    assert sample_graph.value(membership, ORG.member) == person
    assert sample_graph.value(membership, ORG.organization) == company
    assert sample_graph.value(membership, ORG.role) == URIRef(role.role)
    assert sample_graph.value(membership, XMG.source) == span_iri(role.source)
    assert (person, ORG.memberOf, company) in sample_graph
    assert (person, RDF.type, FOAF.Person) in sample_graph
    assert sample_graph.value(person, RDFS.label) == Literal("张三", lang="zh-Hans")


def test_derived_from(sample_extraction):
    base = sample_extraction.facts[0]
    derived = dataclasses.replace(
        base,
        metric=base.metric + "Share",
        value=Decimal("25"),
        unit="percent",
        qualifiers=("derived",),
        derived_from=(str(observation_iri(base)),),
    )
    g = build([dataclasses.replace(sample_extraction, facts=(base, derived))], ontology=False)
    obs = observation_iri(derived)
    assert g.value(obs, PROV.wasDerivedFrom) == observation_iri(base)
    assert g.value(obs, XMG.qualifier) == XMG.Derived
    assert g.value(obs, XMG.unit) == UNIT["percent"]


def test_percentage_point_unit(sample_extraction):
    fact = dataclasses.replace(sample_extraction.facts[0], unit="percentage-point")
    g = build([dataclasses.replace(sample_extraction, facts=(fact,))], ontology=False)
    assert g.value(observation_iri(fact), XMG.unit) == URIRef(str(UNIT) + "percentage-point")


def test_iris_are_deterministic(sample_extraction):
    fact = sample_extraction.facts[0]
    iri = observation_iri(fact)
    assert str(iri).startswith(str(ID) + "obs/jia-revenue-2024-")
    assert len(str(iri).rsplit("-", 1)[1]) == 12
    # the key decides, not the source, the yoy or the entity's label
    other = dataclasses.replace(fact, source=sample_extraction.facts[1].source, yoy_pct=None)
    assert observation_iri(other) == iri
    assert observation_iri(dataclasses.replace(fact, value=Decimal("10000000000.00"))) == iri
    assert observation_iri(dataclasses.replace(fact, value=Decimal("1"))) != iri
    assert observation_iri(dataclasses.replace(fact, unit="USD")) != iri
    assert observation_iri(dataclasses.replace(fact, region=str(OVERSEAS))) != iri
    assert observation_iri(dataclasses.replace(fact, qualifiers=("forecast",))) != iri
    assert observation_iri(dataclasses.replace(fact, period=Period("2024-Q4"))) != iri


def test_build_twice_gives_the_same_graph(sample_extraction):
    a = build([sample_extraction])
    b = build([sample_extraction])
    assert set(a) == set(b)
    again = build([sample_extraction], graph=a)
    assert again is a
    assert set(a) == set(b)  # building into a graph that has it already changes nothing


def test_same_figure_in_two_reports(sample_extraction, sample_report):
    other_report = dataclasses.replace(sample_report, name="copy.txt", sha256="f" * 64)
    moved = tuple(
        dataclasses.replace(
            f, source=dataclasses.replace(f.source, report_sha256="f" * 64, report_name="copy.txt")
        )
        for f in sample_extraction.facts
    )
    other = Extraction(other_report, moved, sample_extraction.entities)
    g = build([sample_extraction, other], ontology=False)
    assert len(observations(g)) == 4
    obs = observation_iri(sample_extraction.facts[0])
    reports = {g.value(s, XMG.report) for s in g.objects(obs, XMG.source)}
    assert reports == {ID[f"report/{sample_report.sha256}"], ID["report/" + "f" * 64]}


def test_rebuilding_into_a_graph_merges_qualifiers(sample_extraction):
    fact = sample_extraction.facts[0]
    g = build([dataclasses.replace(sample_extraction, facts=(fact,))], ontology=False)
    approx = dataclasses.replace(fact, qualifiers=("approximate",), yoy_pct=Decimal("99"))
    add_extraction(g, dataclasses.replace(sample_extraction, facts=(approx,)), ontology=False)
    obs = observation_iri(fact)
    # stated exactly by the first build: not approximate, whatever the second says
    assert [str(t) for t in g.objects(obs, XMG.qualifierText)] == [""]
    assert list(g.objects(obs, XMG.yoyChange)) == [Literal("10.5", datatype=XSD.decimal)]


def test_first_stated_yoy_wins(sample_extraction):
    a, b = sample_extraction.facts[2], sample_extraction.facts[1]  # b is stated later
    ex = dataclasses.replace(
        sample_extraction,
        facts=(
            dataclasses.replace(b, yoy_pct=Decimal("2")),
            dataclasses.replace(a, yoy_pct=Decimal("1")),
        ),
    )
    g = build([ex], ontology=False)
    assert [str(v) for v in g.objects(observation_iri(a), XMG.yoyChange)] == ["1"]


@pytest.mark.parametrize(
    ("first", "later", "kept"),
    [("50", "50.2", "50.2"), ("50.2", "50", "50.2"), ("50", "51.2", "50"), ("7", "7.5", "7")],
)
def test_a_change_stated_again_finer_is_kept(sample_extraction, first, later, kept):
    """A headline's 同比增50% and the body's 增长50.2% of the same figure: the finer; a change
    that does not round to the first (51.2 against 50) leaves the first."""
    a, b = sample_extraction.facts[2], sample_extraction.facts[1]  # b is stated later
    ex = dataclasses.replace(
        sample_extraction,
        facts=(
            dataclasses.replace(b, yoy_pct=Decimal(later)),
            dataclasses.replace(a, yoy_pct=Decimal(first)),
        ),
    )
    g = build([ex], ontology=False)
    assert [str(v) for v in g.objects(observation_iri(a), XMG.yoyChange)] == [kept]


def test_unknown_qualifier_is_a_bug(sample_extraction):
    fact = dataclasses.replace(sample_extraction.facts[0], qualifiers=("roughly",))
    with pytest.raises(ValueError, match="roughly"):
        build([dataclasses.replace(sample_extraction, facts=(fact,))])


def test_ontology_is_merged_without_blank_nodes(sample_graph):
    assert (XMG.Company, RDF.type, None) in sample_graph
    assert (ID["dsd"], QB.component, None) in sample_graph
    assert not any(isinstance(t, BNode) for triple in sample_graph for t in triple)
    folder = resources.ontology_dir()
    if (folder / "units.ttl").is_file():
        assert (UNIT["CNY"], SKOS.notation, None) in sample_graph
    if (folder / "lexicon.ttl").is_file():  # the lexicon is not part of the output
        merged = Graph()
        for path in [*folder.glob("*.ttl"), *folder.glob("entities/*.ttl")]:
            if path.name not in ("lexicon.ttl", "shapes.ttl"):
                merged.parse(path)
        lexicon = Graph().parse(folder / "lexicon.ttl")
        own = set(lexicon.subjects()) - set(merged.subjects())
        assert own
        assert not any((s, None, None) in sample_graph for s in own)


def _entity_file_subject():
    """A subject defined by one entity file and no other ontology file."""
    files = sorted((resources.ontology_dir() / "entities").glob("*.ttl"))
    if not files:
        pytest.skip("no entity files in ontology/entities")
    g = Graph().parse(files[0])
    subjects = sorted(s for s in g.subjects(RDFS.label, None) if isinstance(s, URIRef))
    return g, subjects[0]


def test_entity_file_merged_only_when_referenced(sample_extraction):
    entity_file, subject = _entity_file_subject()
    label = next(entity_file.objects(subject, RDFS.label))
    g = build([sample_extraction])
    assert (subject, RDFS.label, label) not in g
    fact = sample_extraction.facts[0]
    known = dataclasses.replace(fact.entity, iri=str(subject), known=True)
    ex = dataclasses.replace(sample_extraction, facts=(dataclasses.replace(fact, entity=known),))
    g = build([ex])
    assert (subject, RDFS.label, label) in g
    assert (subject, XMG.knownEntity, Literal(False)) not in g


def test_into_a_dataset_default_graph(sample_extraction):
    ds = Dataset()
    out = build([sample_extraction], graph=ds, ontology=False)
    assert out is ds
    assert len(observations(ds.default_graph)) == 4


def test_prefixes_bound(sample_graph):
    bound = {p: str(n) for p, n in sample_graph.namespaces()}
    for prefix, ns in PREFIXES.items():
        assert bound.get(prefix) == ns


@settings(max_examples=40, deadline=None)
@given(
    value=st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-1e12, max_value=1e12
    )
)
def test_any_value_round_trips_as_plain_decimal(sample_extraction, value):
    fact = dataclasses.replace(sample_extraction.facts[0], value=value)
    g = build([dataclasses.replace(sample_extraction, facts=(fact,))], ontology=False)
    literal = g.value(observation_iri(fact), XMG.value)
    assert literal.datatype == XSD.decimal
    assert Decimal(str(literal)) == value
    assert str(literal) == plain_decimal(value)


# ---------------------------------------------------------------- big reports, streamed


def _ox_triples(path):
    import pyoxigraph as ox

    fmt = ox.RdfFormat.TURTLE if str(path).endswith(".ttl") else ox.RdfFormat.N_TRIPLES
    return {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=fmt)}


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_a_streamed_graph_has_the_triples_build_makes(
    sample_extraction, tmp_path, monkeypatch, suffix
):
    """write_streamed (rows sorted on disk, no rdflib graph) writes the triples of build(),
    ontology included, each once."""
    from xmgraph import export
    from xmgraph.build import write_streamed

    monkeypatch.setattr(export, "SORT_CHUNK", 101)  # several chunks merged
    out = tmp_path / f"g{suffix}"
    triples, facts = write_streamed([sample_extraction], out)
    reference = tmp_path / "ref.nt"
    reference.write_bytes(build([sample_extraction]).serialize(format="nt", encoding="utf-8"))
    expected = _ox_triples(reference)
    assert _ox_triples(out) == expected
    assert (triples, facts) == (len(expected), len(sample_extraction.facts))
    if suffix == ".nt":
        lines = out.read_bytes().splitlines()
        assert lines == sorted(set(lines))


def test_a_streamed_graph_refuses_json_ld_before_any_work(tmp_path):
    from xmgraph.build import write_streamed
    from xmgraph.errors import XmgraphError

    def never():
        raise AssertionError("extracted")
        yield

    with pytest.raises(XmgraphError, match=r"^E170: "):
        write_streamed(never(), tmp_path / "g.jsonld")
    assert list(tmp_path.iterdir()) == []


def test_rare_collections_sets_and_restores_the_collector_thresholds():
    """Reports are built with the cycle collector run rarely; its thresholds come back after,
    even when the build fails."""
    import gc

    from xmgraph.build import rare_collections

    def fail() -> None:
        with rare_collections():
            inside.append(gc.get_threshold()[0])
            raise RuntimeError

    before, inside = gc.get_threshold(), []
    with pytest.raises(RuntimeError):
        fail()
    assert inside == [100_000]
    assert gc.get_threshold() == before


@pytest.mark.parametrize(
    "name", ["seed", "corpus/r01_huachen_phone_2024.txt", "corpus/r02_lanchi_ev_2024q3.txt"]
)
def test_ntriples_for_oxigraph_give_the_same_store(seed_path, seed_graph, name):
    """``xmgraph facts``'s store (the N-Triples of the report's triples and of the cached
    ontology files, parsed by Oxigraph) holds the quads of the reference path's (every
    triple converted as an rdflib term), and its facts table is the rdflib graph's."""
    from xmgraph.build import built_for_oxigraph, built_triples
    from xmgraph.facts import facts_rows
    from xmgraph.pipeline import build_graph, extract_report
    from xmgraph.store import facts_rows as store_facts_rows
    from xmgraph.store import from_ntriples, in_oxigraph

    path = seed_path if name == "seed" else Path(__file__).parent / "data" / name
    extraction = extract_report(path)
    fast = from_ntriples(built_for_oxigraph([extraction]))
    reference = in_oxigraph(built_triples([extraction]))
    assert len(reference._store) > 1000
    assert set(fast._store) == set(reference._store)
    graph = seed_graph if name == "seed" else build_graph([path])
    assert store_facts_rows(fast) == facts_rows(graph, engine="rdflib")


@given(value=st.decimals(allow_nan=False, allow_infinity=False))
def test_a_decimals_row_form_is_rdflibs(value):
    """The row builder writes a value's N-Triples form itself: the bytes rdflib's writer
    gives for the literal the graph holds, for any decimal (exponents, signs, zeros)."""
    from rdflib.plugins.serializers.nt import _quoteLiteral

    from xmgraph.build import _decimal, _nt_decimal

    assert _nt_decimal(value) == _quoteLiteral(_decimal(value))


def test_a_known_companys_name_from_the_text_is_its_alias(tmp_path):
    """国泰 (00293), the short name a text writes for 国泰航空: an xmg:alias of the known
    company (the gazetteer's own names are not repeated)."""
    from xmgraph.pipeline import build_graph

    report = tmp_path / "r.txt"
    report.write_text("国泰 (00293)：上半年收益512.3亿港元\n国泰航空公布2024年中期业绩。\n")
    g = build_graph([report])
    company = ID["org/cathay-pacific"]
    aliases = {str(o) for o in g.objects(company, XMG.alias)}
    assert aliases == {"国泰"}


@pytest.mark.parametrize(
    ("lead", "aliases"),
    [
        # the legal name after words of its trade (no place before it), the name defined after
        # the bracket of its code
        (
            "据悉，国内快递企业中通快递(开曼)有限公司(纽交所代码:ZTO)(下称“中通”)周三发布",
            {"中通", "中通快递(开曼)有限公司"},
        ),
        # a defined name that is no name of the company's (not written in order in one) is none
        ("中通快递(开曼)有限公司(“快递龙头”或“本公司”)今天公布", {"中通快递(开曼)有限公司"}),
    ],
)
def test_a_known_companys_legal_name_and_defined_names_are_its_aliases(tmp_path, lead, aliases):
    """The legal name a text writes for a known company, and the short names it defines for it
    in quotes, are xmg:alias of the company."""
    from xmgraph.pipeline import build_graph

    report = tmp_path / "r.txt"
    text = lead + "截至2025年6月30日止第二季度未经审计财务业绩，收入为118.2亿元。\n"
    report.write_text(text, encoding="utf-8")
    g = build_graph([report])
    assert {str(o) for o in g.objects(ID["org/zto-express"], XMG.alias)} == aliases
