"""Named queries, the query API and ``xmgraph query``.

Expected results for the seed report are in ``tests/data/query/`` (written by reading the
report, see its README); edge cases use small graphs made by hand.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD
from typer.testing import CliRunner

from xmgraph import query as q
from xmgraph.build import build
from xmgraph.cli import app
from xmgraph.errors import XmgraphError
from xmgraph.export import write_graph
from xmgraph.model import Entity, Period

DATA = Path(__file__).parent / "data" / "query"
ID = "https://w3id.org/xmgraph/id/"
XIAOMI = ID + "org/xiaomi"
M = "https://w3id.org/xmgraph/metric/"
ORG = Namespace("http://www.w3.org/ns/org#")
XMG = Namespace("https://w3id.org/xmgraph/ont#")

#: The named queries of the query interface (other features add their own).
OURS = (
    "facts",
    "revenue_by_segment",
    "metric_by_segment",
    "metric_over_time",
    "segment_tree",
    "yoy_growth",
    "segment_share",
    "fastest_growing",
    "targets_vs_actuals",
    "entity_facts",
    "facts_by_source",
    "people_roles",
    "metrics",
    "entities",
    "entity_graph",
)
#: Written as one GROUP BY over the observations: one observation pattern, no self-join.
PIVOTS = ("yoy_growth", "fastest_growing", "targets_vs_actuals", "segment_share")


@pytest.fixture(scope="module")
def seed_text(seed_path):
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_ttl(seed_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("query") / "seed.ttl"
    write_graph(seed_graph, path)
    return path


def sentence_of(text, fragment):
    """(start, end) of the sentence of ``text`` that holds ``fragment``."""
    at = text.index(fragment)
    start = max(text.rfind(mark, 0, at) for mark in ("。", "\n")) + 1
    return start, text.index("。", at) + 1


def same(got, expected):
    try:
        return Decimal(got) == Decimal(expected)
    except InvalidOperation:
        return got == expected


def expected_rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def stated(rows):
    """The rows of figures the report states (validation may add derived ones)."""
    return [r for r in rows if "derived" not in r.get("qualifier", "").split()]


def bind(name, params):
    return q.parse_params([f"{k}={v}" for k, v in params.items()], q.named_query(name))


# ---------------------------------------------------------------- the named queries


def test_at_least_twelve_named_queries_each_with_a_comment_block():
    names = set(q.query_names())
    assert set(OURS) <= names
    assert len(OURS) >= 12
    for name in OURS:
        text = q.load_query(name)
        head = text.splitlines()
        assert head[0].startswith(f"# {name}.rq: "), name
        assert all(line.startswith("#") for line in head[:4]), name
        assert "# Parameters" in text, name
        assert "# Example" in text, name
        assert q.named_query(name).title.endswith(("?", ".")), name


def test_declared_parameters_are_projected_columns():
    """Then rdflib's initBindings and Oxigraph's substitutions agree (SEP-0007)."""
    for name in OURS:
        named = q.named_query(name)
        parsed = q.parse(named.text)
        if q.query_kind(parsed) != "SELECT" or name == "revenue_by_segment":
            continue  # revenue_by_segment keeps its ?periodCode (the demo's contract)
        columns = {str(v) for v in parsed.algebra.PV}
        for p in named.parameters:
            assert p.name in columns, (name, p.name)
            assert p.kind in q.PARAM_KINDS


def _body(text):
    return "\n".join(line.split("#")[0] for line in text.splitlines() if not line.startswith("#"))


def test_constants_in_triple_patterns_not_filters():
    for name in OURS:
        body = _body(q.load_query(name))
        assert not re.search(r"FILTER\s*\(\s*\?metric\s*=", body), name
    assert "xmg:metric metric:Revenue" in _body(q.load_query("revenue_by_segment"))


@pytest.mark.parametrize("name", PIVOTS)
def test_pivots_have_one_observation_pattern(name):
    """Year-on-year and shares as a GROUP BY pivot: no join of two observation patterns
    (rdflib makes such a join a cross product)."""
    body = _body(q.load_query(name))
    assert body.count("xmg:value") == 1, name
    assert "GROUP BY" in body


@pytest.mark.parametrize("name", OURS)
def test_every_named_query_runs_on_an_empty_graph(name):
    result = q.execute(Graph(), q.prepared(name))
    if result.type == "SELECT":
        assert list(result) == []
    else:
        assert len(result.graph) == 0


REVENUE_2024 = {"metric": "metric:Revenue", "period": "2024"}
CASES = [
    ("metric_by_segment", REVENUE_2024, "metric_by_segment.revenue-2024.csv"),
    ("metric_over_time", {"metric": "metric:GrossProfit"}, "metric_over_time.gross-profit.csv"),
    ("yoy_growth", {}, "yoy_growth.csv"),
    ("segment_share", REVENUE_2024, "segment_share.revenue-2024.csv"),
    ("fastest_growing", REVENUE_2024, "fastest_growing.revenue-2024.csv"),
    ("targets_vs_actuals", {}, "targets_vs_actuals.csv"),
    ("segment_tree", {"company": XIAOMI}, "segment_tree.xiaomi.csv"),
    ("people_roles", {}, "people_roles.csv"),
]


@pytest.mark.parametrize(("name", "params", "expected"), CASES, ids=[c[2] for c in CASES])
def test_seed_results(seed_graph, name, params, expected):
    got_rows = stated(q.run_query(seed_graph, name, bindings=bind(name, params)).rows)
    rows = expected_rows(expected)
    assert len(got_rows) == len(rows), got_rows
    for got, want in zip(got_rows, rows, strict=True):
        assert all(same(got[c], want[c]) for c in want), (got, want)


def test_yoy_recomputed_from_the_two_stated_values(seed_graph):
    (row,) = q.run_query(
        seed_graph, "yoy_growth", bindings=bind("yoy_growth", {"period": "2024"})
    ).rows
    computed = (Decimal("765.6") - Decimal("574.76")) / Decimal("574.76") * 100  # 毛利, 億元
    assert Decimal(row["computed_yoy_pct"]) == computed.quantize(Decimal("0.01"))
    assert (
        q.run_query(seed_graph, "yoy_growth", bindings=bind("yoy_growth", {"period": "2023"})).rows
        == []
    )


def test_entity_facts_come_with_their_sentence(seed_graph, seed_text):
    params = {"entity": XIAOMI + "/smartphones"}
    table = q.run_query(seed_graph, "entity_facts", bindings=bind("entity_facts", params))
    start, end = sentence_of(seed_text, "1918 億元")
    rows = stated(table.rows)
    got = {(r["metric"], r["period"], Decimal(r["value"]), r["unit"]) for r in rows}
    assert got == {
        (M + "Revenue", "2024", Decimal("191800000000"), "CNY"),
        (M + "Shipments", "2024", Decimal("168500000"), "unit"),
        (M + "MarketShare", "2024", Decimal("13.8"), "percent"),
    }
    for row in rows:
        assert (int(row["start"]), int(row["end"])) == (start, end)
        assert row["source"] == seed_text[start:end]
        assert row["file"] == "xiaomi-2024-annual-results.txt"


def test_a_fact_stated_twice_has_both_sentences(seed_graph, seed_text):
    params = {"entity": XIAOMI + "/ev-new-initiatives", "metric": "metric:Deliveries"}
    table = q.run_query(seed_graph, "entity_facts", bindings=bind("entity_facts", params))
    target = [r for r in stated(table.rows) if r["scenario"] == "target"]
    assert {Decimal(r["value"]) for r in target} == {Decimal(350000)}
    spans = {(int(r["start"]), int(r["end"])) for r in target}
    assert spans == {
        sentence_of(seed_text, "提升至35萬臺"),
        sentence_of(seed_text, "交付35萬臺的目標"),
    }


def test_facts_by_sentence_and_by_report(seed_graph, seed_text):
    smartphones = q.run_query(
        seed_graph,
        "entity_facts",
        bindings=bind("entity_facts", {"entity": XIAOMI + "/smartphones"}),
    )
    span = stated(smartphones.rows)[0]["span"]
    table = q.run_query(
        seed_graph, "facts_by_source", bindings=bind("facts_by_source", {"span": span})
    )
    metrics = {r["metric"] for r in stated(table.rows)}
    assert metrics == {M + "Revenue", M + "Shipments", M + "MarketShare"}
    by_file = q.run_query(
        seed_graph,
        "facts_by_source",
        bindings=bind("facts_by_source", {"file": "xiaomi-2024-annual-results.txt"}),
    )
    facts = q.run_query(seed_graph, "facts")
    key = lambda r: (r["entity"], r["metric"], r["period"], r["value"])  # noqa: E731
    assert {key(r) for r in by_file.rows} == {key(r) for r in facts.rows}
    twice = [r for r in by_file.rows if r["metric"] == M + "Deliveries" and r["period"] == "2025"]
    assert len(twice) == 2  # the 2025 delivery target, stated in two sentences
    starts = [int(r["start"]) for r in by_file.rows]
    assert starts == sorted(starts)  # in the order of the text
    assert all(r["source"] == seed_text[int(r["start"]) : int(r["end"])] for r in by_file.rows)
    nothing = q.run_query(
        seed_graph, "facts_by_source", bindings=bind("facts_by_source", {"file": "other.txt"})
    )
    assert nothing.rows == []


def test_people_roles_point_at_the_sentence(seed_graph, seed_text):
    table = q.run_query(seed_graph, "people_roles")
    start, end = sentence_of(seed_text, "雷軍也在其微博")
    assert {r["role_label"] for r in table.rows} == {
        "founder",
        "chairman",
        "chief executive officer",
    }
    for row in table.rows:
        assert row["organization_label"] == "Xiaomi Group"
        assert (int(row["start"]), int(row["end"])) == (start, end)
        assert row["source"] == seed_text[start:end]


def test_metrics_and_entities(seed_graph):
    metrics = {r["metric"]: r for r in q.run_query(seed_graph, "metrics").rows}
    # revenue: the group's 2024-Q4, and the five segments' 2024 figures
    assert metrics[M + "Revenue"]["stated"] == "6"
    assert int(metrics[M + "Revenue"]["entities"]) >= 6
    assert metrics[M + "Revenue"]["metric_label"] == "Revenue"
    entities = q.run_query(seed_graph, "entities").rows
    kinds = {k: sum(r["kind"] == k for r in entities) for k in ("company", "segment", "product")}
    assert kinds == {"company": 1, "segment": 5, "product": 4}
    segments = q.run_query(seed_graph, "entities", bindings=bind("entities", {"kind": "segment"}))
    assert {r["kind"] for r in segments.rows} == {"segment"}


def test_entity_graph_is_a_construct(seed_graph):
    params = {"entity": XIAOMI + "/ev-new-initiatives", "metric": "metric:Deliveries"}
    result = q.execute(seed_graph, q.prepared("entity_graph"), bind("entity_graph", params))
    assert result.type == "CONSTRUCT"
    values = {o.toPython() for o in result.graph.objects(None, XMG.value)}
    assert values == {Decimal(136854), Decimal(350000)}
    turtle = q.serialize_result(result, "turtle")
    assert len(Graph().parse(data=turtle, format="turtle")) == len(result.graph)
    jsonld = q.serialize_result(result, "jsonld")
    assert len(Graph().parse(data=jsonld, format="json-ld")) == len(result.graph)
    with pytest.raises(XmgraphError, match=r"^E026"):
        q.serialize_result(result, "csv")


def test_derived_figures_are_not_stated_ones(seed_graph):
    """Validation may add derived observations (qualified derived): the queries that
    compare stated figures leave them out."""
    g = Graph()
    for triple in seed_graph:
        g.add(triple)
    derived = {  # what a reader could compute: 2023 from 2024 and +21.8 %; the 2024 total
        (XIAOMI + "/smartphones", "2023", Decimal("157471264367.82")),
        (XIAOMI, "2024", Decimal("366000000000")),
    }
    for n, (entity, period, value) in enumerate(derived):
        obs = URIRef(f"{ID}obs/test-derived-{n}")
        for p, o in (
            (RDF.type, URIRef("http://purl.org/linked-data/cube#Observation")),
            (XMG.entity, URIRef(entity)),
            (XMG.metric, URIRef(M + "Revenue")),
            (XMG.period, URIRef(f"{ID}period/{period}")),
            (XMG.region, URIRef(f"{ID}region/world")),
            (XMG.scenario, XMG.Actual),
            (XMG.value, Literal(value)),
            (XMG.unit, URIRef("https://w3id.org/xmgraph/unit/CNY")),
            (XMG.qualifier, XMG.Derived),
            (XMG.qualifierText, Literal("derived")),
        ):
            g.add((obs, p, o))
    for name, params, expected in CASES[:6]:
        rows = q.run_query(g, name, bindings=bind(name, params)).rows
        assert len(rows) == len(expected_rows(expected)), name
    shares = q.run_query(g, "segment_share", bindings=bind("segment_share", REVENUE_2024)).rows
    assert {r["total_basis"] for r in shares} == {"sum of top-level segments"}
    over_time = q.run_query(g, "metric_over_time", bindings={"metric": URIRef(M + "Revenue")})
    assert sum(r["qualifier"] == "derived" for r in over_time.rows) == 2  # listed, marked


# ---------------------------------------------------------------- edge cases on small graphs


@pytest.fixture(scope="module")
def growth_graph(sample_extraction, entities):
    """The company's revenue in 2023, 2024 and their fourth quarters, and a 2024 target."""
    base = sample_extraction.facts[0]  # company revenue 2024: 100 億, +10.5 %
    facts = (
        base,
        dataclasses.replace(base, period=Period("2023"), value=Decimal("8000000000"), yoy_pct=None),
        dataclasses.replace(
            base, period=Period("2024-Q4"), value=Decimal("3000000000"), yoy_pct=None
        ),
        dataclasses.replace(
            base, period=Period("2023-Q4"), value=Decimal("2000000000"), yoy_pct=None
        ),
        dataclasses.replace(base, value=Decimal("1"), yoy_pct=None, qualifiers=("target",)),
    )
    return build([dataclasses.replace(sample_extraction, facts=facts)])


def test_yoy_pairs_like_periods_only(growth_graph):
    rows = {r["period"]: r for r in q.run_query(growth_graph, "yoy_growth").rows}
    assert set(rows) == {"2024", "2024-Q4"}
    assert rows["2024"]["previous_period"] == "2023"
    assert Decimal(rows["2024"]["computed_yoy_pct"]) == Decimal("25")  # 100 / 80
    assert Decimal(rows["2024"]["stated_yoy_pct"]) == Decimal("10.5")
    assert Decimal(rows["2024"]["difference_pp"]) == Decimal("14.5")
    assert rows["2024-Q4"]["previous_period"] == "2023-Q4"
    assert Decimal(rows["2024-Q4"]["computed_yoy_pct"]) == Decimal("50")
    assert rows["2024-Q4"]["stated_yoy_pct"] == ""


def test_fastest_growing_computes_what_is_not_stated(sample_extraction, entities):
    base = sample_extraction.facts[0]
    segment = entities["segment"]
    facts = (
        dataclasses.replace(base, entity=segment, value=Decimal("30"), yoy_pct=None),
        dataclasses.replace(
            base, entity=segment, period=Period("2023"), value=Decimal("20"), yoy_pct=None
        ),
    )
    g = build([dataclasses.replace(sample_extraction, facts=facts)])
    (row,) = q.run_query(g, "fastest_growing", bindings={"period": Literal("2024")}).rows
    assert (row["entity"], Decimal(row["growth_pct"]), row["basis"]) == (
        segment.iri,
        Decimal(50),
        "computed",
    )


def _two_segments(sample_extraction, entities, *, stated_total, second_reports):
    company, segment = entities["company"], entities["segment"]
    other = Entity(ID + "org/jia/bing", "segment", "丙業務", parent=company.iri, known=False)
    base = sample_extraction.facts[0]
    facts = [dataclasses.replace(base, entity=segment, value=Decimal("3000000000"), yoy_pct=None)]
    if stated_total:
        facts.append(base)  # the company: 100 億
    if second_reports:
        facts.append(
            dataclasses.replace(base, entity=other, value=Decimal("1000000000"), yoy_pct=None)
        )
    extraction = dataclasses.replace(
        sample_extraction, facts=tuple(facts), entities=(*sample_extraction.entities, other)
    )
    return build([extraction])


def test_segment_share_of_a_stated_total(sample_extraction, entities):
    g = _two_segments(sample_extraction, entities, stated_total=True, second_reports=False)
    (row,) = q.run_query(g, "segment_share").rows
    assert (row["entity"], row["total_basis"]) == (entities["segment"].iri, "stated")
    assert Decimal(row["share_pct"]) == Decimal(30)


def test_segment_share_needs_every_top_level_segment_for_a_sum(sample_extraction, entities):
    g = _two_segments(sample_extraction, entities, stated_total=False, second_reports=False)
    assert q.run_query(g, "segment_share").rows == []
    g = _two_segments(sample_extraction, entities, stated_total=False, second_reports=True)
    shares = {r["entity"]: Decimal(r["share_pct"]) for r in q.run_query(g, "segment_share").rows}
    assert shares == {entities["segment"].iri: Decimal(75), ID + "org/jia/bing": Decimal(25)}


def test_roles_known_and_read(sample_graph, entities, make_source):
    g = Graph()
    for triple in sample_graph:
        g.add(triple)
    person, company = URIRef(entities["person"].iri), URIRef(entities["company"].iri)
    known = URIRef(ID + "membership/known")  # as ontology/entities states one: no source
    g.add((known, RDF.type, ORG.Membership))
    g.add((known, ORG.member, person))
    g.add((known, ORG.organization, company))
    g.add((known, ORG.role, XMG.CEO))
    rows = {r["role"]: r for r in q.run_query(g, "people_roles").rows}
    assert set(rows) == {str(XMG.Founder), str(XMG.CEO)}  # no sentence borrowed by the CEO
    assert (rows[str(XMG.CEO)]["source"], rows[str(XMG.CEO)]["start"]) == ("", "")
    founder = rows[str(XMG.Founder)]
    assert founder["source"] == make_source("張三").text
    assert {r["known"] for r in rows.values()} == {"false"}  # 張三 was met in a report


# ---------------------------------------------------------------- rdflib and Oxigraph agree


SAMPLES = {
    "metric": "metric:Revenue",
    "period": "2024",
    "company": XIAOMI,
    "entity": XIAOMI + "/smartphones",
    "scenario": "target",
    "kind": "segment",
    "person": ID + "person/lei-jun",
    "organization": XIAOMI,
    "role": "xmg:CEO",
    "file": "xiaomi-2024-annual-results.txt",
}


def _normal(value):
    try:
        return str(Decimal(value).normalize())
    except InvalidOperation:
        return value


def test_named_queries_give_the_same_rows_on_oxigraph(seed_graph):
    ox = pytest.importorskip("pyoxigraph")
    from xmgraph.namespaces import PREFIXES

    store = ox.Store()
    store.load(seed_graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    for name in OURS:
        named = q.named_query(name)
        if q.query_kind(q.parse(named.text)) != "SELECT":
            continue
        # unbound, the first parameter, and a period (bound in HAVING by the pivots)
        chosen = [p.name for p in named.parameters if p.name in SAMPLES][:1]
        chosen += ["period"] if any(p.name == "period" for p in named.parameters) else []
        cases = [{}] + [{name_: SAMPLES[name_]} for name_ in dict.fromkeys(chosen)]
        for params in cases:
            bindings = bind(name, params)
            table = q.run_query(seed_graph, name, bindings=bindings)
            subs = {
                ox.Variable(k): ox.NamedNode(str(v))
                if isinstance(v, URIRef)
                else ox.Literal(str(v))
                for k, v in bindings.items()
            }
            if name == "revenue_by_segment":
                subs = {}  # its ?periodCode is not a column
                table = q.run_query(seed_graph, name)
            solutions = store.query(named.text, prefixes=PREFIXES, substitutions=subs or None)
            got = sorted(
                tuple(_normal("" if s[c] is None else s[c].value) for c in table.columns)
                for s in solutions
            )
            want = sorted(tuple(_normal(r[c]) for c in table.columns) for r in table.rows)
            assert got == want, (name, params)


# ---------------------------------------------------------------- the API


def test_resolve_names_files_and_text(tmp_path):
    assert q.resolve("facts").named.name == "facts"
    inline = q.resolve("SELECT * WHERE { ?s ?p ?o }")
    assert inline.named is None
    path = tmp_path / "mine.rq"
    path.write_text("\ufeffASK { ?s ?p ?o }", encoding="utf-8")
    assert q.resolve(str(path)).text == "ASK { ?s ?p ?o }"
    with pytest.raises(XmgraphError, match=r"^E021: unknown query 'nope'.*yoy_growth"):
        q.resolve("nope")
    with pytest.raises(XmgraphError, match=r"^E001"):
        q.resolve(str(tmp_path / "missing.rq"))


def test_parse_errors_have_line_and_column():
    with pytest.raises(XmgraphError, match=r"^E022: .*line 3, column 3"):
        q.parse("SELECT *\nWHERE {\n  ?s ?p \n}")
    with pytest.raises(XmgraphError, match=r"^E022: .*line 2, column 21: unknown prefix nope:"):
        q.parse("# nope:x in a comment\nSELECT * WHERE { ?s nope:x ?o }")
    with pytest.raises(XmgraphError, match=r"^E028"):
        q.parse("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(XmgraphError, match=r"^E028"):
        q.parse("PREFIX x: <urn:x#> DELETE WHERE { ?s x:p ?o }")


def test_parameters_are_terms_never_text():
    named = q.named_query("metric_by_segment")
    b = q.parse_params(["metric=metric:Revenue", "period=2024", "company=<urn:x>"], named)
    assert b == {
        "metric": URIRef(M + "Revenue"),
        "period": Literal("2024"),
        "company": URIRef("urn:x"),
    }
    evil = q.parse_params(['period=2024" } } SELECT * { ?s ?p ?o'], named)["period"]
    assert isinstance(evil, Literal)  # bound as a value: it cannot change the query
    with pytest.raises(XmgraphError, match=r"^E023"):
        q.parse_params(["period"], named)
    with pytest.raises(XmgraphError, match=r"^E023"):
        q.parse_params(["metric=not an iri"], named)
    with pytest.raises(
        XmgraphError, match=r"^E027: unknown parameter 'year'.*metric, period, company"
    ):
        q.parse_params(["year=2024"], named)
    adhoc = "SELECT ?s WHERE { ?s xmg:year ?year }"
    assert q.parse_params(['year="2024"^^xsd:integer'], text=adhoc) == {"year": Literal(2024)}
    with pytest.raises(XmgraphError, match=r"^E027"):
        q.parse_params(["yaer=1"], text=adhoc)


def test_terms():
    assert q.term("<urn:a>") == URIRef("urn:a")
    assert q.term("https://example.org/x") == URIRef("https://example.org/x")
    assert q.term("xmg:CEO") == XMG.CEO
    assert q.term('"收入"@zh-Hans') == Literal("收入", lang="zh-Hans")
    assert q.term("2024") == Literal("2024")
    assert q.term("12", "integer") == Literal(12)
    with pytest.raises(XmgraphError, match=r"^E023"):
        q.term("twelve", "integer")


def test_bound_parameters_change_the_result(seed_graph):
    every = q.run_query(seed_graph, "metric_by_segment")
    shipments = q.run_query(
        seed_graph, "metric_by_segment", bindings={"metric": URIRef(M + "Shipments")}
    )
    assert len(shipments.rows) == 1 < len(every.rows)
    assert Decimal(shipments.rows[0]["value"]) == Decimal("168500000")  # 1.685 億臺


# ---------------------------------------------------------------- result formats


def _result(graph, text):
    return q.execute(graph, q.parse(text))


SMALL = Graph()
SMALL.add((URIRef("urn:a"), URIRef("urn:p"), Literal('say "hi",\tthen\nleave')))
SMALL.add((URIRef("urn:a"), URIRef("urn:n"), Literal(Decimal("33.2"))))
SMALL.add((URIRef("urn:b"), URIRef("urn:n"), Literal(Decimal("0"))))
SMALL.add((URIRef("urn:b"), URIRef("urn:p"), Literal("收入", lang="zh-Hans")))
SMALL.add((BNode("b0"), URIRef("urn:n"), Literal(7)))


def test_csv_is_the_w3c_format():
    result = _result(SMALL, "SELECT ?s ?o WHERE { ?s <urn:p> ?o } ORDER BY ?s")
    data = q.serialize_result(result, "csv")
    assert data.startswith(b"s,o\r\n")  # no ?, CRLF
    assert data.count(b"\r\n") == 3  # the LF inside the quoted value is not a row end
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows == [["s", "o"], ["urn:a", 'say "hi",\tthen\nleave'], ["urn:b", "收入"]]
    assert b'"say ""hi"",' in data  # RFC 4180 quoting


def test_tsv_is_the_w3c_format():
    text = "SELECT ?s ?o ?n WHERE { ?s ?p ?o OPTIONAL { ?s <urn:n> ?n FILTER (?n != ?o) } }"
    lines = q.serialize_result(_result(SMALL, text), "tsv").decode("utf-8").split("\n")
    assert lines[0] == "?s\t?o\t?n"
    assert lines[-1] == ""  # LF after every row
    assert '<urn:a>\t"say \\"hi\\",\\tthen\\nleave"\t33.2' in lines  # escapes; a decimal
    assert '<urn:b>\t"收入"@zh-Hans\t"0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in lines
    assert "_:b0\t7\t" in lines  # an integer abbreviated; unbound is empty
    assert all(line.count("\t") == 2 for line in lines[:-1])


def test_json_and_xml_results():
    result = _result(SMALL, "SELECT ?s ?n WHERE { ?s <urn:n> ?n } ORDER BY ?n")
    data = json.loads(q.serialize_result(result, "json"))
    assert data["head"]["vars"] == ["s", "n"]
    decimals = [
        b["n"] for b in data["results"]["bindings"] if b["n"]["datatype"] == str(XSD.decimal)
    ]
    assert {d["value"] for d in decimals} == {"0", "33.2"}
    root = ET.fromstring(q.serialize_result(result, "xml"))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert root.tag == f"{ns}sparql"
    assert [v.get("name") for v in root.find(f"{ns}head")] == ["s", "n"]
    assert len(root.find(f"{ns}results")) == 3
    ask = _result(SMALL, "ASK { ?s <urn:n> 7 }")
    assert json.loads(q.serialize_result(ask, "json"))["boolean"] is True
    with pytest.raises(XmgraphError, match=r"^E026"):
        q.serialize_result(ask, "csv")


def test_display_for_people():
    assert q.display(Literal(Decimal("191800000000"))) == "191,800,000,000"
    assert q.display(Literal(Decimal("-12345.67"))) == "-12,345.67"
    assert q.display(Literal(2024)) == "2024"
    assert q.display(URIRef(M + "Revenue")) == "metric:Revenue"
    assert q.display(None) == ""


# ---------------------------------------------------------------- xmgraph query


def run(*args):
    return CliRunner().invoke(app, ["query", *map(str, args)])


def assert_error(result, code):
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"xmgraph: error: {code}: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_cli_formats(seed_ttl, seed_graph):
    csv_out = run("yoy_growth", seed_ttl, "--format", "csv")
    assert csv_out.exit_code == 0, csv_out.stderr
    expected = q.serialize_result(q.execute(seed_graph, q.prepared("yoy_growth")), "csv")
    assert csv_out.stdout_bytes == expected
    assert run("yoy_growth", seed_ttl).stdout_bytes == expected  # not a terminal: csv
    tsv_out = run("yoy_growth", seed_ttl, "-f", "tsv").stdout
    assert tsv_out.startswith("?entity\t?entity_label\t")
    assert "\r" not in tsv_out
    data = json.loads(run("people_roles", seed_ttl, "-f", "json").stdout)
    assert len(data["results"]["bindings"]) == 3
    ET.fromstring(run("metrics", seed_ttl, "-f", "xml").stdout_bytes)


def test_cli_table(seed_ttl):
    result = run(
        "metric_by_segment",
        seed_ttl,
        "-p",
        "metric=metric:Revenue",
        "-p",
        "period=2024",
        "-f",
        "table",
    )
    assert result.exit_code == 0, result.stderr
    assert "191,800,000,000" in result.stdout
    assert "Smartphones" in result.stdout
    assert "5 rows" in result.stdout
    assert run("ASK { ?c a xmg:Company }", seed_ttl).stdout == "true\n"


def test_cli_construct_file_and_text(seed_ttl, tmp_path):
    turtle = run("entity_graph", seed_ttl, "-p", f"entity={XIAOMI}/smartphones")
    assert turtle.exit_code == 0, turtle.stderr
    assert len(Graph().parse(data=turtle.stdout, format="turtle")) > 0
    jsonld = run("entity_graph", seed_ttl, "-p", f"entity={XIAOMI}/smartphones", "-f", "jsonld")
    assert json.loads(jsonld.stdout)
    path = tmp_path / "companies.rq"
    path.write_text("SELECT ?c WHERE { ?c a xmg:Company }", encoding="utf-8")
    assert run(path, seed_ttl, "-f", "csv").stdout_bytes == f"c\r\n{XIAOMI}\r\n".encode()
    inline = run("SELECT ?c WHERE { ?c a xmg:Company }", seed_ttl, "-f", "tsv")
    assert inline.stdout == f"?c\n<{XIAOMI}>\n"


def test_cli_list():
    result = CliRunner().invoke(app, ["query", "--list"])
    assert result.exit_code == 0
    for name in OURS:
        assert f"{name}: " in result.stdout
    assert "--param period=<string>" in result.stdout


def test_cli_errors(seed_ttl):
    line = assert_error(run("nope", seed_ttl), "E021")
    assert "yoy_growth" in line
    assert "facts" in line
    assert "line 2, column 11" in assert_error(run("SELECT *\n  WHERE { ?s ?p }", seed_ttl), "E022")
    assert_error(run("INSERT DATA { <urn:a> <urn:b> <urn:c> }", seed_ttl), "E028")
    assert_error(run("yoy_growth", seed_ttl, "-p", "year=2024"), "E027")
    assert_error(run("yoy_growth", seed_ttl, "-p", "period"), "E023")
    assert_error(run("yoy_growth", seed_ttl, "-f", "xlsx"), "E012")
    assert_error(run("entity_graph", seed_ttl, "-f", "csv"), "E026")
    assert_error(run("yoy_growth"), "E040")


def test_cli_error_in_a_real_process(seed_ttl):
    done = subprocess.run(
        [sys.executable, "-m", "xmgraph.cli", "query", "SELECT * WHERE { ?s ?p", str(seed_ttl)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("xmgraph: error: E022: malformed SPARQL query: line 1, column")
    assert len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr


_FIGURES = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.booleans()), max_size=12)


@settings(max_examples=25, deadline=None)
@given(figures=_FIGURES)
def test_metrics_counts_each_observation_once_on_rdflib_and_oxigraph(figures):
    """facts, stated and entities of ``metrics`` are the counts of the observations
    themselves, the same on rdflib and Oxigraph, whatever figures the graph holds."""
    from xmgraph.store import open_store

    graph = Graph()
    for i, (metric, entity, derived) in enumerate(figures):
        obs = URIRef(f"urn:obs:{i}")
        graph.add((obs, XMG.metric, URIRef(f"urn:metric:{metric}")))
        graph.add((obs, XMG.entity, URIRef(f"urn:entity:{entity}")))
        if derived:
            graph.add((obs, XMG.qualifier, XMG.Derived))
    want = {
        f"urn:metric:{m}": {
            "facts": str(sum(f[0] == m for f in figures)),
            "stated": str(sum(f[0] == m and not f[2] for f in figures)),
            "entities": str(len({f[1] for f in figures if f[0] == m})),
        }
        for m in {f[0] for f in figures}
    }
    store = open_store("oxigraph:")
    store.put_graph("urn:g", graph.serialize(format="nt").encode())
    for rows in (q.run_query(graph, "metrics").rows, store.run("metrics").rows):
        got = {r["metric"]: {k: r[k] for k in ("facts", "stated", "entities")} for r in rows}
        assert got == want
