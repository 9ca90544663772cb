"""The xmgraph command: structure only (exit codes, one-line errors, files written)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from xmgraph.cli import DEMO_NAME, app
from xmgraph.model import FACT_COLUMNS

HEADER = ",".join(FACT_COLUMNS)


def xmgraph(*args, cwd=None, env=None):
    """Run the real command in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "xmgraph.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=dict(os.environ, **(env or {})),
        check=False,
        timeout=120,
    )


def assert_one_line_error(done, code, returncode=2):
    assert done.returncode == returncode, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"xmgraph: error: {code}: "), lines[0]


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    (d / "empty.txt").write_bytes(b"")
    (d / "junk.bin").write_bytes(bytes(range(256)) * 64)
    (d / "junk.txt").write_bytes(b"\x00\x01\x02\x03\xff\xfe\x00" * 500)
    (d / "folder").mkdir()
    (d / "broken.ttl").write_text("@prefix x: <broken\nnot turtle at all", encoding="utf-8")
    (d / "report.txt").write_text("小米2024年收入为3659亿元,同比增长35%。\n", encoding="utf-8")
    return d


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["facts", "{d}/missing.txt"], "E001"),
        (["facts", "{d}/folder"], "E002"),
        (["facts", "{d}/empty.txt"], "E003"),
        (["facts", "{d}/junk.txt"], "E004"),
        (["facts", "{d}/junk.bin"], "E004"),
        (["facts", "{d}/broken.ttl"], "E013"),
        (["facts", "{d}/report.txt", "--format", "xml"], "E012"),
        (["facts"], "E040"),
        (["build", "{d}/report.txt", "-o", "{d}/out.xml"], "E010"),
        (["build", "{d}/missing.txt", "-o", "{d}/out.ttl"], "E001"),
        (["build", "{d}/report.txt"], "E041"),
        (["build", "-o", "{d}/out.ttl"], "E040"),
        (["build", "{d}/report.txt", "-o", "{d}/no/such/dir/out.ttl"], "E015"),
    ],
)
def test_bad_input_is_one_line(bad_inputs, args, code):
    done = xmgraph(*(a.format(d=bad_inputs) for a in args))
    assert_one_line_error(done, code)
    assert done.stdout == ""
    assert not (bad_inputs / "out.ttl").exists()
    assert not (bad_inputs / "out.xml").exists()


def test_existing_output_untouched(bad_inputs, tmp_path):
    out = tmp_path / "graph.ttl"
    out.write_text("keep me", encoding="utf-8")
    report = bad_inputs / "report.txt"
    assert_one_line_error(xmgraph("build", report, "-o", out), "E014")
    assert out.read_text(encoding="utf-8") == "keep me"
    bad = xmgraph("build", bad_inputs / "missing.txt", "-o", out, "--force")
    assert_one_line_error(bad, "E001")
    assert out.read_text(encoding="utf-8") == "keep me"
    bad = xmgraph("build", bad_inputs / "broken.ttl", "-o", out, "--force")
    assert_one_line_error(bad, "E013")
    assert out.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_build_writes_each_format(bad_inputs, tmp_path):
    report = bad_inputs / "report.txt"
    done = xmgraph("build", report, "-o", tmp_path / "g.nt")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("wrote ")
    g = Graph().parse(tmp_path / "g.nt", format="nt")
    assert len(g) > 0
    again = xmgraph("build", tmp_path / "g.nt", "-o", tmp_path / "g.ttl")
    assert again.returncode == 0, again.stderr
    assert len(Graph().parse(tmp_path / "g.ttl")) == len(g)


def test_facts_prints_the_table(bad_inputs):
    done = xmgraph("facts", bad_inputs / "report.txt")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == HEADER
    jsonl = xmgraph("facts", bad_inputs / "report.txt", "--format", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr
    for line in jsonl.stdout.splitlines():
        row = json.loads(line)
        assert list(row) == [*FACT_COLUMNS, "yoy_pp", "rules"]
        assert "filters.make-fact" in row["rules"].split()
    assert len(jsonl.stdout.splitlines()) == len(done.stdout.splitlines()) - 1


def test_demo_into_a_folder(tmp_path):
    out = tmp_path / "demo-out"
    done = xmgraph("demo", "-o", out)
    assert done.returncode == 0, done.stderr
    ttl = out / f"{DEMO_NAME}.ttl"
    assert ttl.is_file()
    assert str(ttl) in done.stdout.replace("\n", "")
    assert "facts" in done.stdout
    assert "triples" in done.stdout
    assert len(Graph().parse(ttl)) > 0
    # demo is meant to be re-run: it replaces its own file and leaves others alone
    other = out / "notes.txt"
    other.write_text("mine", encoding="utf-8")
    first = ttl.read_bytes()
    again = xmgraph("demo", "-o", out)
    assert again.returncode == 0, again.stderr
    assert ttl.read_bytes() == first  # deterministic too
    assert other.read_text(encoding="utf-8") == "mine"
    html = f"{DEMO_NAME}.html"  # the browser view, next to the Turtle
    assert sorted(p.name for p in out.iterdir()) == sorted([ttl.name, html, "notes.txt"])


def test_demo_output_is_a_file(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file", encoding="utf-8")
    assert_one_line_error(xmgraph("demo", "-o", blocker), "E015")
    assert blocker.read_text(encoding="utf-8") == "a file"


def test_help_and_version():
    done = xmgraph("--help")
    assert done.returncode == 0
    for command in ("demo", "build", "facts"):
        assert command in done.stdout
    version = xmgraph("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("xmgraph ")


def test_help_does_not_import_rdflib():
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import xmgraph.cli"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
    assert "xmgraph.cli" in imported
    assert "typer" in imported
    assert not [m for m in imported if m.split(".")[0] in ("rdflib", "pyshacl", "opencc")]


# ---------------------------------------------------------------- in process (CliRunner)


def test_unexpected_error_is_one_line_with_a_hint(monkeypatch, bad_inputs):
    import xmgraph.pipeline

    def broken(inputs, *, graph=None, published=None):
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(xmgraph.pipeline, "build_graph", broken)
    monkeypatch.setattr(xmgraph.pipeline, "build_ntriples", broken)  # facts on report texts
    monkeypatch.delenv("XMGRAPH_DEBUG", raising=False)
    result = CliRunner().invoke(app, ["facts", str(bad_inputs / "report.txt")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "xmgraph: error: E123: internal error on this input: RuntimeError: something broke "
        "(XMGRAPH_DEBUG=1 shows the traceback)"
    ]
    monkeypatch.setenv("XMGRAPH_DEBUG", "1")
    result = CliRunner().invoke(app, ["facts", str(bad_inputs / "report.txt")])
    assert isinstance(result.exception, RuntimeError)


def test_runner_bad_format_before_any_work(monkeypatch, bad_inputs):
    import xmgraph.pipeline

    def never(inputs, *, graph=None, published=None):
        raise AssertionError("built before checking --format")

    monkeypatch.setattr(xmgraph.pipeline, "build_graph", never)
    result = CliRunner().invoke(app, ["facts", str(bad_inputs / "report.txt"), "-f", "tsv"])
    assert result.exit_code == 2
    assert result.stderr.startswith("xmgraph: error: E012: unknown --format 'tsv'")


# ---------------------------------------------------------------- facts without typer


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["build", "r.txt"],
        ["facts"],
        ["facts", "--help"],
        ["facts", "-v", "r.txt"],
        ["facts", "r.txt", "--store", "oxigraph:x"],
        ["facts", "r.txt", "--date", "2024-01-01"],
        ["facts", "r.txt", "--format=jsonl"],
        ["facts", "r.txt", "-f"],
        ["facts", "r.txt", "-f", "--help"],
        ["facts", "--", "r.txt"],
        ["facts", "-"],
    ],
)
def test_fast_facts_leaves_every_other_command_line_to_typer(monkeypatch, argv):
    from xmgraph import cli

    def never(*args, **kwargs):
        raise AssertionError("the fast path ran a command it should have left to typer")

    monkeypatch.setattr(cli, "facts", never)
    assert cli._fast_facts(argv) is None


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_fast_facts_prints_what_typer_prints(bad_inputs, capsys, fmt):
    from xmgraph.cli import _fast_facts

    report = str(bad_inputs / "report.txt")
    typed = CliRunner().invoke(app, ["facts", report, "-f", fmt])
    assert typed.exit_code == 0
    assert _fast_facts(["facts", report, "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out == typed.stdout
    assert "xiaomi" in out


def test_fast_facts_errors_are_one_coded_line(bad_inputs, capsys):
    from xmgraph.cli import _fast_facts

    assert _fast_facts(["facts", str(bad_inputs / "report.txt"), "-f", "tsv"]) == 2
    assert _fast_facts(["facts", str(bad_inputs / "missing.txt")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[2].strip() for line in lines] == ["E012", "E001"]


def test_facts_runs_without_typer_parsing(bad_inputs):
    """The command itself takes the fast path: pydantic (typer's adapters) is never loaded."""
    command = ["-X", "importtime", "-m", "xmgraph.cli", "facts", str(bad_inputs / "report.txt")]
    done = subprocess.run(
        [sys.executable, *command],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith(HEADER)
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
    assert "xmgraph.build" in imported
    assert not [m for m in imported if m.split(".")[0] == "pydantic"]


def test_facts_loads_no_html_parser_and_prints_the_same(bad_inputs):
    """``xmgraph facts`` runs rdflib without html5rdf (its optional HTML-literal parser) and
    prints the bytes the command prints in a process where rdflib has loaded it."""
    report = str(bad_inputs / "report.txt")
    command = ["-X", "importtime", "-m", "xmgraph.cli", "facts", report, "-f", "jsonl"]
    done = subprocess.run([sys.executable, *command], capture_output=True, check=True)
    imported = [line.rsplit(b"|", 1)[-1].strip() for line in done.stderr.splitlines()]
    assert b"rdflib" in imported
    assert not [m for m in imported if m.startswith(b"html5rdf.")]  # its parser's modules
    import rdflib.term

    typed = CliRunner().invoke(app, ["facts", report, "-f", "jsonl"])
    assert typed.exit_code == 0
    assert typed.stdout_bytes == done.stdout
    assert b"xiaomi" in done.stdout
    assert rdflib.term.html5rdf is not None or importlib.util.find_spec("html5rdf") is None


def test_explain_shows_the_rules_of_each_figure():
    from xmgraph.resources import demo_report

    done = xmgraph("explain", demo_report(), "--figure", "765.6")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("sentence 1 [")
    assert "figure '765.6亿元'" in out
    assert "frame: entity=Xiaomi Group metric=GrossProfit period=2024" in out
    assert "filters.make-fact" in out
    assert "fact: Xiaomi Group | GrossProfit | 2024 | 76560000000 CNY yoy 33.2%" in out
    assert "figure '574.76亿元'" not in out  # --figure: only the figures asked for


def test_explain_names_the_rule_that_left_a_figure_out(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("华辰科技2024年营收为52.3亿元，高于市场预期的50.1亿元。\n", encoding="utf-8")
    done = xmgraph("explain", report, "--figure", "50.1")
    assert done.returncode == 0, done.stderr
    assert "outcome: left out by filters.consensus" in done.stdout


def test_explain_names_the_document_rule_that_dropped_a_fact(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(
        "华辰科技2024年度业绩快报\n（单位：万元）\n营业总收入：本报告期1,265,432.18\n"
        "报告期内，公司实现营业总收入126.54亿元。\n",
        encoding="utf-8",
    )
    done = xmgraph("explain", report, "--figure", "126.54")
    assert done.returncode == 0, done.stderr
    assert "fact: 华辰科技 | Revenue | 2024 | 12654000000 CNY" in done.stdout
    assert "dropped later by filters.roundings" in done.stdout


def test_explain_nothing_to_explain_is_a_coded_error(tmp_path):
    from xmgraph.resources import demo_report

    done = xmgraph("explain", demo_report(), "--sentence", "9999")
    assert done.returncode == 2
    assert done.stderr.startswith("xmgraph: error: E085")
    missing = xmgraph("explain", tmp_path / "none.txt")
    assert missing.returncode == 2
    assert "E001" in missing.stderr


def test_verbose_logs_the_rule_that_left_a_figure_out(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("华辰科技2024年营收为52.3亿元，高于市场预期的50.1亿元。\n", encoding="utf-8")
    done = xmgraph("-v", "facts", report)
    assert done.returncode == 0, done.stderr
    assert "left out by filters.consensus" in done.stderr


# ---------------------------------------------------------------- --date


@pytest.mark.parametrize(
    "args",
    [
        ["facts", "{d}/report.txt"],
        ["build", "{d}/report.txt", "-o", "{d}/out.ttl"],
        ["build", "{d}/report.txt", "-o", "{d}/dataset/"],
        ["validate", "{d}/report.txt"],
        ["query", "facts", "{d}/report.txt"],
        ["view", "{d}/report.txt", "-o", "{d}/out.html"],
        ["serve", "{d}/report.txt", "--port", "1"],
        ["explain", "{d}/report.txt"],
    ],
)
@pytest.mark.parametrize("value", ["2025-02-30", "25-11-25"])
def test_bad_date_is_one_line(bad_inputs, args, value):
    done = xmgraph(*(a.format(d=bad_inputs) for a in args), "--date", value)
    assert_one_line_error(done, "E016")
    assert f"'{value}'" in done.stderr
    assert done.stdout == ""
    assert not (bad_inputs / "out.ttl").exists()
    assert not (bad_inputs / "dataset").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["facts", "{d}/report.txt"],
        ["validate", "{d}/report.txt"],
        ["query", "facts", "{d}/report.txt"],
        ["build", "{d}/report.txt", "-o", "{tmp}/out.ttl"],
    ],
)
def test_date_reaches_the_pipeline(monkeypatch, bad_inputs, tmp_path, args):
    from datetime import date

    import xmgraph.pipeline

    seen = []
    real = xmgraph.pipeline.build_graph

    def spy(inputs, *, graph=None, published=None):
        seen.append(published)
        return real(inputs, graph=graph, published=published)

    real_triples = xmgraph.pipeline.build_ntriples

    def spy_triples(inputs, *, published=None):  # what facts builds on report texts
        seen.append(published)
        return real_triples(inputs, published=published)

    monkeypatch.setattr(xmgraph.pipeline, "build_graph", spy)
    monkeypatch.setattr(xmgraph.pipeline, "build_ntriples", spy_triples)
    argv = [a.format(d=bad_inputs, tmp=tmp_path) for a in args]
    result = CliRunner().invoke(app, [*argv, "--date", "2025-11-25"])
    assert result.exit_code in (0, 1), result.stderr  # validate exits 1 when it finds violations
    assert seen == [date(2025, 11, 25)]
    result = CliRunner().invoke(app, [*argv, "--force"] if "build" in argv else argv)
    assert seen[-1] is None


def test_date_reaches_a_dataset_build(monkeypatch, bad_inputs, tmp_path):
    from datetime import date

    import xmgraph.dataset

    seen = {}

    class Summary:
        warnings = ()
        failures = ()

        def line(self):
            return "built"

    def fake(inputs, **kwargs):
        seen.update(kwargs)
        return Summary()

    monkeypatch.setattr(xmgraph.dataset, "build_dataset", fake)
    out = f"{tmp_path}/dataset/"
    report = str(bad_inputs / "report.txt")
    result = CliRunner().invoke(app, ["build", report, "-o", out, "--date", "2025-11-25"])
    assert result.exit_code == 0, result.stderr
    assert seen["published"] == date(2025, 11, 25)


# ---------------------------------------------------------------- a newcomer's first steps


def run_in_process(*args):
    """The command in this process (stderr apart): faster than a child process."""
    return CliRunner().invoke(app, [str(a) for a in args])


def test_demo_writes_what_build_writes(tmp_path, seed_path):
    """demo is build on the bundled report: the same checks recorded, the same bytes, so
    `query consistency` on the demo's graph lists them (it found none once)."""
    demo = run_in_process("demo", "-o", tmp_path / "demo")
    assert demo.exit_code == 0, demo.stderr
    first = demo.stdout.splitlines()[0]
    assert first.startswith("xmgraph demo: building xiaomi-2024-annual-results.txt")
    assert "warnings about its text that may follow are expected" in first
    assert "27 facts (+11 derived)" in demo.stdout
    assert "validate: conforms" in demo.stdout
    built = run_in_process("build", seed_path, "-o", tmp_path / "built.ttl")
    assert built.exit_code == 0, built.stderr
    assert "27 facts (+11 derived)" in built.stdout
    demo_ttl = tmp_path / "demo" / f"{DEMO_NAME}.ttl"
    assert demo_ttl.read_bytes() == (tmp_path / "built.ttl").read_bytes()
    checks = run_in_process("query", "consistency", demo_ttl, "--format", "csv")
    assert len(checks.stdout.splitlines()) == 1 + 18, checks.stdout[:300]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"Revenue rose 5% to 3bn dollars in 2024.\n", "it has no Chinese text"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nBT (Hi) Tj ET\n%%EOF\n", "a PDF file"),
    ],
)
def test_nothing_extracted_is_said_and_nothing_written(tmp_path, content, why):
    report = tmp_path / "report.txt"
    report.write_bytes(content)
    done = run_in_process("build", report, "-o", tmp_path / "g.ttl")
    assert done.exit_code == 2
    warning, error = done.stderr.splitlines()
    assert warning.startswith("xmgraph: WARNING: report.txt: nothing could be extracted: ")
    assert why in warning
    assert error.startswith("xmgraph: error: E141: nothing could be extracted from report.txt")
    assert done.stdout == ""
    assert not (tmp_path / "g.ttl").exists()


def test_a_folder_for_one_graph_points_to_a_dataset(bad_inputs, tmp_path):
    done = run_in_process("build", bad_inputs / "folder", "-o", tmp_path / "x.ttl")
    assert done.exit_code == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("xmgraph: error: E142: ")
    assert "-o NAME.trig" in line
    assert "folder/*.txt" in line


def test_a_quoted_glob_is_expanded(bad_inputs, tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_bytes((bad_inputs / "report.txt").read_bytes())
    done = run_in_process("build", f"{tmp_path}/*.txt", "-o", tmp_path / "g.ttl")
    assert done.exit_code == 0, done.stderr
    assert (tmp_path / "g.ttl").is_file()
    none = run_in_process("build", f"{tmp_path}/zz*.txt", "-o", tmp_path / "h.ttl")
    assert none.exit_code == 2
    assert "E001" in none.stderr


@pytest.mark.parametrize("command", ["build", "view"])
def test_a_missing_output_folder_fails_before_any_work(monkeypatch, bad_inputs, command):
    import xmgraph.pipeline

    def no_work(*args, **kwargs):
        raise AssertionError("extracted before the output was checked")

    monkeypatch.setattr(xmgraph.pipeline, "build_graph", no_work)
    out = bad_inputs / "no-such-dir" / ("x.html" if command == "view" else "x.ttl")
    done = run_in_process(command, bad_inputs / "report.txt", "-o", out)
    assert done.exit_code == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("xmgraph: error: E015: ")
    assert "no such directory" in line


def test_a_turtle_error_names_its_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix x: <http://x/> .\nx:a x:b "中文" .\nx:a x:b ; ] .\n', encoding="utf-8")
    done = run_in_process("facts", bad)
    (line,) = done.stderr.splitlines()
    assert line == (
        f"xmgraph: error: E013: cannot parse graph {bad}: line 3, column 8: "
        "objectList expected: x:a x:b ; ] ."
    )


def test_query_list_shows_whole_descriptions():
    done = run_in_process("query", "--list")
    assert done.exit_code == 0
    params = [line for line in done.stdout.splitlines() if "--param" in line]
    assert params
    assert not [line for line in params if line.rstrip().endswith(("e.g.", ","))]
    assert "e.g. https://w3id.org/xmgraph/id/org/xiaomi/ev-new-initiatives" in done.stdout


def test_a_dataset_build_counts_its_warnings_and_says_when_nothing_changed(seed_path, tmp_path):
    out = tmp_path / "d.trig"
    first = run_in_process("build", seed_path, "-o", out)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith(f"wrote {out}: 1 reports, 1 added")
    assert "1 warning (on stderr)" in first.stdout
    again = run_in_process("build", seed_path, "-o", out)
    assert again.stdout.startswith(f"nothing new, left unchanged {out}: 1 reports, 1 skipped")


def test_max_size_option(tmp_path):
    """--max-size sets the largest report read: over it, E120 (exit 2); a bad size is E121."""
    report = tmp_path / "r.txt"
    report.write_text("小米2024年收入为3659亿元。\n", encoding="utf-8")
    done = xmgraph("--max-size", "10", "facts", report)
    assert_one_line_error(done, "E120")
    assert "over the limit of 10 bytes" in done.stderr
    assert_one_line_error(xmgraph("--max-size", "10x", "facts", report), "E121")


# ---------------------------------------------------------------- big reports, streamed


def test_build_streams_a_big_report_into_one_graph(tmp_path, seed_path, monkeypatch):
    """Reports over build.STREAM_BYTES are written streamed: the graph of build (as rdflib
    reads it back), the validation said not run; --strict and JSON-LD refused before any
    work, nothing written."""
    import xmgraph.build

    monkeypatch.setattr(xmgraph.build, "STREAM_BYTES", 100)
    out = tmp_path / "big.ttl"
    result = run_in_process("build", seed_path, "-o", out)
    assert result.exit_code == 0, result.stderr
    head, validate = result.stdout.splitlines()
    assert head.startswith(f"wrote {out}: ")
    assert head.endswith(" triples (streamed)")
    assert validate.startswith("validate: not run (reports over ")
    graph = Graph().parse(out, format="turtle")
    assert len(graph) == int(head.split(", ")[1].split()[0])
    for argv in (["-o", tmp_path / "a.ttl", "--strict"], ["-o", tmp_path / "a.jsonld"]):
        result = run_in_process("build", seed_path, *argv)
        assert result.exit_code != 0
        assert "E041" in result.stderr or "E170" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.ttl"]
