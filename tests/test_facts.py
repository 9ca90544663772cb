"""The facts table: a view of the graph (queries/facts.rq), with the contract's columns."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import QB, RDF

from xmgraph import resources
from xmgraph.build import build
from xmgraph.errors import XmgraphError
from xmgraph.export import load_graph, write_graph
from xmgraph.facts import facts_rows, write_csv, write_jsonl
from xmgraph.model import FACT_COLUMNS
from xmgraph.namespaces import XMG
from xmgraph.query import load_query, run_query

HEADER = (
    "entity,entity_label,metric,metric_label,period,value,unit,"
    "yoy_pct,qualifier,region,source,start,end"
)


@pytest.fixture(scope="module")
def rows(sample_graph):
    return facts_rows(sample_graph)


def by_value(rows, value):
    (row,) = [r for r in rows if r["value"] == value]
    return row


def test_header_exact():
    out = io.StringIO()
    write_csv([], out)
    assert out.getvalue() == HEADER + "\n"
    assert ",".join(FACT_COLUMNS) == HEADER


def test_one_row_per_observation(sample_graph, rows):
    observations = set(sample_graph.subjects(RDF.type, QB.Observation))
    assert len(rows) == len(observations) == 4
    assert all(list(row) == [*FACT_COLUMNS, "yoy_pp", "rules"] for row in rows)


def test_row_values(rows, sample_report, entities):
    row = by_value(rows, "10000000000")
    assert (
        row
        == {
            "entity": entities["company"].iri,
            "entity_label": "甲公司",  # no English label: the name as written
            "metric": "https://w3id.org/xmgraph/metric/Revenue",
            "metric_label": row["metric_label"],
            "period": "2024",
            "value": "10000000000",
            "unit": "CNY",
            "yoy_pct": "10.5",
            "qualifier": "",
            "region": "",
            "source": sample_report.text[0 : int(row["end"])],
            "start": "0",
            "end": row["end"],
            "yoy_pp": "",
            "rules": row["rules"],
        }
    )
    assert row["source"].endswith("。")


def test_english_labels_from_the_ontology(rows):
    folder = resources.ontology_dir()
    if not (folder / "metrics.ttl").is_file() or not (folder / "regions.ttl").is_file():
        pytest.skip("metrics.ttl/regions.ttl not there yet")
    assert by_value(rows, "10000000000")["metric_label"] == "Revenue"
    assert by_value(rows, "4000000000")["region"] == "Overseas"


def test_qualifiers_and_unit(rows):
    row = by_value(rows, "350000")
    assert row["qualifier"] == "target"
    assert row["unit"] == "vehicle"
    assert row["yoy_pct"] == ""
    assert by_value(rows, "4000000000")["qualifier"] == "approximate"
    assert by_value(rows, "7.5")["period"] == "2024-01-01/2024-09-30"


def test_first_source_is_used(rows, sample_extraction):
    # the target is stated at two places: the row names the earlier one
    first = min(f.source.start for f in sample_extraction.facts[1:3])
    row = by_value(rows, "350000")
    assert row["start"] == str(first)


def test_rows_sorted(rows):
    keys = [(r["entity"], r["metric"], r["period"], r["region"], r["qualifier"]) for r in rows]
    assert keys == sorted(keys)


def test_value_order_is_numeric(sample_extraction):
    base = sample_extraction.facts[0]
    facts = tuple(
        dataclasses.replace(base, value=Decimal(v), unit=u)
        for v, u in (("9", "CNY"), ("10", "CNY"), ("100", "USD"))
    )
    g = build([dataclasses.replace(sample_extraction, facts=facts)], ontology=False)
    assert [r["value"] for r in facts_rows(g)] == ["9", "10", "100"]


def test_unit_without_notation_uses_its_name(sample_extraction):
    fact = dataclasses.replace(sample_extraction.facts[0], unit="widget")
    g = build([dataclasses.replace(sample_extraction, facts=(fact,))], ontology=False)
    assert facts_rows(g)[0]["unit"] == "widget"


def test_csv_and_jsonl_agree(rows):
    out = io.StringIO()
    write_csv(rows, out)
    text = out.getvalue()
    assert text.startswith(HEADER + "\n")
    assert "\r" not in text
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert parsed == [{c: row[c] for c in FACT_COLUMNS} for row in rows]  # rules: JSON only
    out = io.StringIO()
    write_jsonl(rows, out)
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == rows
    assert list(json.loads(lines[0])) == [*FACT_COLUMNS, "yoy_pp", "rules"]
    assert "甲公司" in lines[0] or "甲公司" in out.getvalue()  # not \\u-escaped


def test_table_is_a_view_of_the_written_graph(sample_graph, rows, tmp_path):
    for ext in (".ttl", ".nt", ".jsonld", ".trig", ".nq"):
        path = write_graph(sample_graph, tmp_path / f"g{ext}")
        assert facts_rows(load_graph([path])) == rows, ext


def test_observation_from_a_hand_made_graph():
    """A graph written by someone else: just the observation shape, no ontology."""
    g = Graph()
    ttl = """
    @prefix xmg: <https://w3id.org/xmgraph/ont#> .
    @prefix qb: <http://purl.org/linked-data/cube#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    <urn:o> a qb:Observation ; xmg:entity <urn:e> ; xmg:metric <urn:m> ; xmg:period <urn:p> ;
        xmg:value "1.5"^^xsd:decimal ; xmg:unit <urn:unit/percent> ;
        xmg:source <urn:s1> , <urn:s2> ; xmg:region <urn:r> .
    <urn:e> rdfs:label "公司"@zh-Hans , "The company"@en .
    <urn:m> skos:prefLabel "指标"@zh-Hans .
    <urn:r> skos:prefLabel "地区"@zh-Hans .
    <urn:p> xmg:periodCode "2024-H1" .
    <urn:s1> xmg:report <urn:b> ; xmg:start 5 ; xmg:end 9 ; xmg:text "second" .
    <urn:s2> xmg:report <urn:a> ; xmg:start 50 ; xmg:end 59 ; xmg:text "first" .
    """
    g.parse(data=ttl, format="turtle")
    (row,) = facts_rows(g)
    assert row["entity_label"] == "The company"
    assert row["metric_label"] == "指标"
    assert row["region"] == "地区"
    assert row["unit"] == "percent"
    assert (row["qualifier"], row["yoy_pct"]) == ("", "")
    assert (row["source"], row["start"], row["end"]) == ("first", "50", "59")  # <urn:a> < <urn:b>


def test_empty_graph_has_no_rows():
    assert facts_rows(Graph()) == []


def test_query_files_open_with_a_comment_block():
    for name in ("facts", "revenue_by_segment"):
        text = load_query(name)
        head = text.splitlines()[:4]
        assert all(line.startswith("#") for line in head), name
        assert "Example" in text
        assert "Parameters" in text


def test_unknown_query_e021():
    with pytest.raises(XmgraphError, match=r"^E021: unknown query 'nope'.*facts"):
        run_query(Graph(), "nope")


def test_revenue_by_segment(sample_extraction, entities):
    company, segment = entities["company"], entities["segment"]
    base = sample_extraction.facts[0]
    facts = (
        base,  # company, 2024
        dataclasses.replace(base, entity=segment, value=Decimal("30000000000")),
        dataclasses.replace(base, entity=segment, period=base.period.previous_year()),
        dataclasses.replace(base, value=Decimal("1"), qualifiers=("target",)),
        dataclasses.replace(base, value=Decimal("2"), region=sample_extraction.facts[3].region),
    )
    g = build([dataclasses.replace(sample_extraction, facts=facts)])
    table = run_query(g, "revenue_by_segment", bindings={"periodCode": "2024"})
    assert [(r["entity"], r["value"]) for r in table.rows] == [
        (segment.iri, "30000000000"),
        (company.iri, "10000000000"),
    ]
    assert {r["company"] for r in table.rows} == {company.iri}
    assert table.rows[0]["entity_label"] == "乙業務"
    every = run_query(g, "revenue_by_segment")
    assert sorted(r["period"] for r in every.rows) == ["2023", "2024", "2024"]
    values = [Decimal(r["value"]) for r in every.rows]
    assert values == sorted(values, reverse=True)


def test_revenue_query_uses_the_metric_as_a_constant():
    text = load_query("revenue_by_segment")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "xmg:metric metric:Revenue" in body
    assert "FILTER (?metric" not in body
    assert "org:hasUnit*" in body


def test_run_query_binds_literals_and_iris(sample_graph, entities):
    table = run_query(sample_graph, "facts", bindings={"entity": URIRef(entities["company"].iri)})
    assert {r["entity"] for r in table.rows} == {entities["company"].iri}
    assert len(table.rows) == 3
    table = run_query(sample_graph, "facts", bindings={"?period": Literal("2025")})
    assert [r["value"] for r in table.rows] == ["350000"]
    _ = XMG  # the namespace is importable without rdflib warnings


def test_revenue_by_segment_on_an_empty_graph():
    assert run_query(Graph(), "revenue_by_segment").rows == []
