"""Validation: SHACL shapes and Data Cube integrity constraints, the report for people, the
`validate` command and `build --strict`, on the seed and on graphs broken on purpose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import QB, RDF, SH
from typer.testing import CliRunner

from xmgraph.cli import app
from xmgraph.consistency import check_graph
from xmgraph.export import serialize, write_graph
from xmgraph.namespaces import XMG
from xmgraph.validate import FORMATS, render, render_json, render_text, validate_graph

BROKEN = Path(__file__).parent / "data" / "validate"


def rules(report) -> list[str]:
    return sorted({v.rule.split(":")[0] for v in report.shacl_violations})


@pytest.fixture(scope="module")
def seed_report(seed_graph):
    return validate_graph(seed_graph)


@pytest.fixture(scope="module")
def broken_report(seed_graph, broken):
    """``broken_report(name)``: the validation of the seed broken by ``<name>.ru`` (once)."""
    done: dict[str, object] = {}

    def report(name: str):
        if name not in done:
            done[name] = validate_graph(broken(seed_graph, name))
        return done[name]

    return report


@pytest.fixture(scope="module")
def seed_ttl(seed_graph, tmp_path_factory) -> Path:
    """The seed built into a Turtle file (so CLI tests need not extract it again)."""
    path = tmp_path_factory.mktemp("seed") / "seed.ttl"
    write_graph(seed_graph, path)
    return path


# ---------------------------------------------------------------- the seed


def test_seed_conforms(seed_report):
    assert seed_report.conforms, render_text(seed_report)
    assert seed_report.violations == ()
    assert seed_report.facts >= 25
    assert seed_report.derived >= 10  # the derived observations conform to the shapes too


def test_shapes_alone_conform_on_the_seed(seed_graph):
    report = validate_graph(seed_graph, checks=False)
    assert report.conforms
    assert report.checks == ()
    assert report.derived == 0


def test_the_graph_is_left_as_it_was_unless_recording(seed_graph, copy_of):
    before = len(seed_graph)
    validate_graph(seed_graph)
    assert len(seed_graph) == before
    graph = copy_of(seed_graph)
    report = validate_graph(graph, record=True)
    assert len(set(graph.subjects(RDF.type, XMG.CheckResult))) == len(report.checks)


def test_a_dataset_is_validated_as_the_union_of_its_graphs(seed_graph):
    dataset = Dataset()
    named = dataset.graph(URIRef("https://example.org/g"))
    named.addN((s, p, o, named) for s, p, o in seed_graph)
    report = validate_graph(dataset)
    assert report.conforms
    assert report.facts >= 25


# ---------------------------------------------------------------- broken on purpose


def test_missing_value(broken_report):
    report = broken_report("missing-value")
    assert not report.conforms
    assert rules(report) == ["IC-14 All measures present (Data Cube)", "Observation"]
    for v in report.shacl_violations:  # which fact, which rule, which sentence
        assert v.fact == "R&D expense of Xiaomi Group, 2024: (no value) CNY"
        assert "xmg:value" in v.rule
        assert v.sentence.startswith("小米2024年的研發")
        assert v.report == "xiaomi-2024-annual-results.txt"
        assert (v.start, v.end) == (83, 154)


def test_wrong_unit(broken_report):
    report = broken_report("wrong-unit")
    assert rules(report) == ["Unit fits the metric"]
    (v,) = report.shacl_violations
    assert v.fact == "Shipments of Smartphones, 2024: 168,500,000 CNY"
    assert "a count a counting unit" in v.message
    assert "出貨量 1.685 億臺" in v.sentence


def test_growth_rate_contradicting_the_values(broken_report):
    report = broken_report("growth-contradicts")
    assert not report.conforms
    assert report.shacl_violations == ()
    (failed,) = report.failed_checks
    assert failed.kind == "growth"
    assert report.violation_count == 1


def test_segment_larger_than_its_group(broken_report):
    report = broken_report("segment-larger")
    (failed,) = report.failed_checks
    assert failed.kind == "parts-whole"
    assert "Smartphones alone larger" in failed.message


def test_same_fact_stated_twice(broken_report):
    report = broken_report("stated-twice")
    assert rules(report) == ["IC-12 No duplicate observations (Data Cube)"]
    facts = sorted(v.fact for v in report.shacl_violations)
    assert facts == [
        "Gross profit of Xiaomi Group, 2024: 7,656,000,000 CNY",
        "Gross profit of Xiaomi Group, 2024: 76,560,000,000 CNY",
    ]
    assert [c.status for c in report.failed_checks] == ["conflict"]


def test_sentence_that_ends_before_it_starts(broken_report):
    report = broken_report("span-backwards")
    messages = {v.message: v for v in report.shacl_violations}
    span = messages["a source sentence ends after it starts"]
    assert span.fact.startswith("source sentence ")
    assert span.sentence.startswith("小米2024年的毛利為765.6億元")


def test_shares_above_100(broken_report):
    report = broken_report("shares-above-100")
    assert [c.kind for c in report.failed_checks] == ["share-total"]


def test_broken_data_structure(broken_report):
    report = broken_report("cube-broken")
    assert rules(report) == [
        "IC-19 Codes from code list (Data Cube)",
        "IC-3 DSD includes measure (Data Cube)",
        "IC-4 Dimensions have range (Data Cube)",
    ]
    ic19 = [v for v in report.shacl_violations if v.rule.startswith("IC-19")]
    assert {v.fact.split(" of ")[0] for v in ic19} == {"Market share"}
    assert all(v.sentence for v in ic19)


def test_derived_observation_must_name_its_origin(seed_graph, copy_of):
    graph = copy_of(seed_graph)
    check_graph(graph)
    graph.update((BROKEN / "derived-without-origin.ru").read_text(encoding="utf-8"))
    report = validate_graph(graph, checks=False)  # re-running the checks would repair it
    assert rules(report) == ["Derived observation"]
    (v,) = report.shacl_violations
    assert v.fact.startswith("Adjusted net profit of Xiaomi Group, 2023: 19,250,000,000 CNY")


def test_check_results_conform_to_their_shape(seed_graph, copy_of):
    graph = copy_of(seed_graph)
    checks = check_graph(graph)
    check = next(c.iri for c in checks if c.derived is not None)
    graph.remove((check, XMG.derivedObservation, None))
    report = validate_graph(graph, checks=False)
    assert rules(report) == ["Check result"]


# ---------------------------------------------------------------- reports for people


def test_text_report(broken_report):
    text = render_text(broken_report("missing-value"))
    assert "shapes: 2 violations" in text
    assert "1. [violation] R&D expense of Xiaomi Group, 2024: (no value) CNY" in text
    assert "rule: Observation: xmg:value: an observation has exactly one numeric" in text
    assert "sentence: xiaomi-2024-annual-results.txt [83:154] 小米2024年的研發" in text
    assert text.rstrip().endswith("result: does not conform: 2 shape violations, 0 failed checks")


def test_text_report_of_the_seed(seed_report):
    text = render(seed_report, "text")
    assert "shapes: conform" in text
    assert "checks: " in text
    assert "remainder    parts-whole   Revenue of Smartphone × AIoT, 2024" in text
    assert text.rstrip().endswith("result: conforms")


def test_json_report(broken_report):
    data = json.loads(render_json(broken_report("growth-contradicts")))
    assert data["conforms"] is False
    (failed,) = [c for c in data["checks"] if c["status"] == "inconsistent"]
    assert failed["kind"] == "growth"
    assert failed["stated"] == "43.2"
    assert failed["expected"] == "33.203424"
    assert set(data) >= {"summary", "facts", "derived", "triples", "violations"}


def test_turtle_report(broken_report):
    report = broken_report("wrong-unit")
    graph = Graph().parse(data=serialize(report.results, "ttl").decode("utf-8"), format="turtle")
    assert (None, RDF.type, SH.ValidationReport) in graph
    assert len(set(graph.subjects(RDF.type, SH.ValidationResult))) == 1
    assert len(set(graph.subjects(RDF.type, XMG.CheckResult))) == len(report.checks)
    assert (None, RDF.type, QB.Observation) in graph  # the derived ones


def test_summary_line(seed_report):
    line = seed_report.summary()
    assert line.startswith("conforms: 0 shape violations; checks: ")
    assert "0 inconsistent, 0 conflicts" in line


# ---------------------------------------------------------------- the command


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_validate_command_conforming(seed_ttl):
    result = run("validate", seed_ttl)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "result: conforms"
    assert result.stderr == ""


def test_validate_command_not_conforming():
    result = run("validate", BROKEN / "bad-growth.txt")
    assert result.exit_code == 1
    assert "inconsistent growth" in result.stdout
    assert "stated +43.2 %" in result.stdout
    assert result.stderr.splitlines() == [
        "xmgraph: error: E030: graph does not conform: 1 violation(s)"
    ]


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "text"])
def test_validate_command_formats(seed_ttl, fmt):
    result = run("validate", seed_ttl, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        assert json.loads(result.stdout)["conforms"] is True
    if fmt == "ttl":
        graph = Graph().parse(data=result.stdout, format="turtle")
        assert (None, SH.conforms, None) in graph


def test_validate_command_bad_format(seed_ttl):
    result = run("validate", seed_ttl, "--format", "xml")
    assert result.exit_code == 2
    assert result.stderr.startswith("xmgraph: error: E012: unknown --format 'xml'")


def test_build_records_the_checks_and_prints_a_summary(seed_ttl, tmp_path):
    out = tmp_path / "g.ttl"
    result = run("build", seed_ttl, "-o", out)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("wrote ")
    assert lines[1].startswith("validate: conforms: 0 shape violations; checks: ")
    graph = Graph().parse(out)
    assert (None, RDF.type, XMG.CheckResult) in graph
    again = tmp_path / "again.ttl"
    assert run("build", out, "-o", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()  # the checks replace themselves


def test_build_strict(tmp_path):
    out = tmp_path / "g.ttl"
    report = BROKEN / "segment-larger.txt"
    lenient = run("build", report, "-o", out)
    assert lenient.exit_code == 0, lenient.stderr
    assert "validate: does not conform: 0 shape violations; checks: " in lenient.stdout
    strict_out = tmp_path / "strict.ttl"
    strict = run("build", report, "-o", strict_out, "--strict")
    assert strict.exit_code == 1
    assert not strict_out.exists()
    (line,) = strict.stderr.splitlines()
    assert line.startswith("xmgraph: error: E030: graph does not conform: 1 violation(s)")


def test_reports_broken_on_purpose():
    # two reports stating one figure with two values (within one text the first stated is
    # the fact: filters.conflicts-across)
    texts = (BROKEN / "stated-twice.txt", BROKEN / "stated-twice-again.txt")
    conflict = run("validate", *texts, "-f", "json")
    assert conflict.exit_code == 1
    data = json.loads(conflict.stdout)
    (check,) = [c for c in data["checks"] if c["status"] == "conflict"]
    assert "241億元" in check["message"]
    assert "214億元" in check["message"]
    assert {v["rule"].split(":")[0] for v in data["violations"]} == {
        "IC-12 No duplicate observations (Data Cube)"
    }


#: The modules of the validate stage: SHACL, and the numeric checks behind xmgraph.consistency.
VALIDATE_STAGE = ("validate", "consistency", "precision", "figures", "check_results")
VALIDATE_STAGE += ("check_run", "check_growth", "check_parts", "check_shares")


def test_validate_stage_imports_only_the_shared_modules():
    """The modules of the validate stage import the model, namespaces, resources and errors,
    and each other: never a later stage, nor the CLI."""
    import ast
    import importlib

    allowed = {"xmgraph", "xmgraph.model", "xmgraph.namespaces", "xmgraph.resources"}
    allowed |= {"xmgraph.errors"} | {f"xmgraph.{name}" for name in VALIDATE_STAGE}
    for name in VALIDATE_STAGE:
        module = importlib.import_module(f"xmgraph.{name}")
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        ours = {m for m in imported if m and m.split(".")[0] == "xmgraph"}
        assert ours <= allowed, module.__name__


def test_the_report_is_the_same_in_every_process():
    """SHACL gives its results in no fixed order: the report sorts them on every field, so
    ``validate -f json`` is byte-identical whatever the hash seed (r16 has tied results)."""
    import os
    import subprocess
    import sys

    report = next((Path(__file__).parent / "data" / "corpus").glob("r16_*.txt"))
    outputs = set()
    for seed in ("1", "2", "3", "7", "8", "12345"):
        done = subprocess.run(
            [sys.executable, "-m", "xmgraph.cli", "validate", str(report), "-f", "json"],
            capture_output=True,
            env=dict(os.environ, PYTHONHASHSEED=seed),
            check=False,
        )
        assert done.stdout.strip(), done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


# ---------------------------------------------------------------- semantics under inference

#: Reports whose graphs are checked under inference: the seed (people's roles, repairs),
#: a bank and a phone maker of the test corpus, and physical units (GWh) of dev5.
DATA = Path(__file__).parent / "data"
ENTAILMENT_REPORTS = {
    "corpus": (
        DATA / "corpus" / "r01_huachen_phone_2024.txt",
        DATA / "corpus" / "r06_huashang_bank_2024q3.txt",
    ),
    "dev5": (DATA / "dev5" / "f05_hengneng_battery_2024.txt",),
}
#: Subclass axioms of the vocabularies xmgraph.ttl imports, which built graphs do not carry.
TIME = "http://www.w3.org/2006/time#"
IMPORTED_SUBCLASSES = {
    URIRef(TIME + "ProperInterval"): URIRef(TIME + "Interval"),
    URIRef(TIME + "Interval"): URIRef(TIME + "TemporalEntity"),
    URIRef(TIME + "Instant"): URIRef(TIME + "TemporalEntity"),
}
PROV = "http://www.w3.org/ns/prov#"


@pytest.fixture(scope="module", params=["seed", "corpus", "dev5"])
def built(request, seed_graph, copy_of):
    """A built graph with its checks recorded, as `xmgraph build` writes it."""
    from xmgraph import build_graph

    if request.param == "seed":
        graph = copy_of(seed_graph)
    else:
        graph = build_graph(list(ENTAILMENT_REPORTS[request.param]))
    validate_graph(graph, record=True)
    return graph


def _types(graph: Graph) -> dict:
    """Each node's asserted classes and their superclasses (the graph's own and imported)."""
    from rdflib.namespace import RDFS

    parents: dict = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        parents.setdefault(sub, set()).add(sup)
    for sub, sup in IMPORTED_SUBCLASSES.items():
        parents.setdefault(sub, set()).add(sup)

    def up(cls, seen: set) -> set:
        if cls not in seen:
            seen.add(cls)
            for sup in parents.get(cls, ()):
                up(sup, seen)
        return seen

    types: dict = {}
    for node, cls in graph.subject_objects(RDF.type):
        types.setdefault(node, set()).update(up(cls, set()))
    return types


def _fits(graph: Graph, types: dict, node, cls) -> bool:
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(node, Literal):
        return (node.datatype or XSD.string) == cls
    if cls == URIRef(PROV + "Entity"):  # PROV: whatever is derived and not an activity
        return URIRef(PROV + "Activity") not in types.get(node, set())
    return cls in types.get(node, set())


def test_every_domain_and_range_holds_for_every_use(built):
    """What RDFS entails from a property's domain and range is already true: every subject
    of a property is of its domain, every object of its range (xmg:source on a membership
    made it an observation; xmg:start on a repair made it a source sentence)."""
    from rdflib.namespace import RDFS

    types = _types(built)
    wrong = set()
    for prop in set(built.predicates()):
        for domain in built.objects(prop, RDFS.domain):
            wrong |= {
                (prop, "domain", s)
                for s in built.subjects(prop)
                if not _fits(built, types, s, domain)
            }
        for range_ in built.objects(prop, RDFS.range):
            wrong |= {
                (prop, "range", o)
                for o in built.objects(None, prop)
                if not _fits(built, types, o, range_)
            }
    assert sorted(wrong)[:5] == []


@pytest.mark.parametrize("inference", ["none", "rdfs", "owlrl"])
def test_built_graphs_conform_under_inference(built, inference):
    report = validate_graph(built, checks=False, inference=inference)  # checks: recorded
    assert report.conforms, render_text(report)


def test_inference_is_really_applied(seed_graph, copy_of):
    """The old domain of xmg:source (qb:Observation) makes every membership an observation:
    invisible without inference, violations under RDFS."""
    from rdflib.namespace import RDFS

    graph = copy_of(seed_graph)
    graph.add((XMG.source, RDFS.domain, QB.Observation))
    assert validate_graph(graph, checks=False).conforms
    report = validate_graph(graph, checks=False, inference="rdfs")
    assert "membership" in " ".join(v.focus for v in report.shacl_violations)


def test_validate_command_inference():
    bad = run("validate", "no-such.ttl", "--inference", "owl")
    assert bad.exit_code == 2
    (line,) = bad.stderr.splitlines()
    assert line == ("xmgraph: error: E140: unknown --inference 'owl': use one of none, rdfs, owlrl")


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_a_forecast_range_conforms_its_ends_two_scenarios(tmp_path, inference):
    from xmgraph.pipeline import build_graph

    report = tmp_path / "forecast.txt"
    report.write_text(
        "华辰软件股份有限公司\n2024年半年度业绩预告\n"
        "预计2024年半年度实现归属于母公司所有者的净利润20,000万元到25,000万元。\n",
        encoding="utf-8",
    )
    graph = build_graph([report])
    scenarios = set(graph.objects(None, XMG.scenario))
    assert {XMG.ForecastLowerBound, XMG.ForecastUpperBound} <= scenarios
    result = validate_graph(graph, inference=inference)
    assert result.conforms, render_text(result)
    assert not any(c.status == "consistent" for c in result.checks)  # no restatement of the other
