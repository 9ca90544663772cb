"""Datasets of reports: a named graph per report, incremental builds, conflicts."""

from __future__ import annotations

import hashlib
import shutil
import warnings
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef
from typer.testing import CliRunner

from xmgraph.cli import app
from xmgraph.dataset import _journal_blocks, build_dataset, expand_inputs, is_dataset_output
from xmgraph.errors import XmgraphError
from xmgraph.export import load_graph
from xmgraph.query import run_query
from xmgraph.store import ONTOLOGY_GRAPH, open_store, report_graph_iri

DATA = Path(__file__).parent / "data" / "dataset"
XMG = "https://w3id.org/xmgraph/ont#"
QB_OBS = URIRef("http://purl.org/linked-data/cube#Observation")
XIAOMI = "https://w3id.org/xmgraph/id/org/xiaomi"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(DATA.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return folder


def read_dataset(path: Path) -> Dataset:
    ds = Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ds.parse(path, format="trig" if path.suffix == ".trig" else "nquads")
    return ds


def graph_names(ds: Dataset) -> set[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return {str(g.identifier) for g in ds.contexts() if len(g)}


# ---------------------------------------------------------------- inputs


def test_expand_inputs_folders_globs_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "two.facts.csv").write_text("x", encoding="utf-8")
    (tmp_path / "a" / ".hidden").mkdir()
    (tmp_path / "a" / ".hidden" / "three.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "sub").mkdir()
    (tmp_path / "a" / "sub" / "four.txt").write_text("x", encoding="utf-8")
    (tmp_path / "five.md").write_text("x", encoding="utf-8")
    found = expand_inputs([tmp_path / "a", str(tmp_path / "*.md"), tmp_path / "a" / "one.txt"])
    assert [p.name for p in found] == ["one.txt", "four.txt", "five.md"]
    with pytest.raises(XmgraphError, match=r"^E001"):
        expand_inputs([str(tmp_path / "nothing" / "*.txt")])


def _expanded_as_before(folder):
    """What expand_inputs gave for one folder before its files were resolved by folder:
    every file resolved on its own, the paths sorted as Paths."""
    out, seen = [], set()
    for p in sorted(
        p
        for p in folder.rglob("*.txt")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ):
        if p.resolve() not in seen:
            seen.add(p.resolve())
            out.append(p)
    return out


def test_a_folders_files_are_those_each_resolved_gave(tmp_path):
    """Links to files and folders (the same file twice), hidden parts, a folder named
    like a file, a name whose order as text differs from its order as a path (a-b, a/b)."""
    for d in ("a/b", "a-b", ".h", "x/.y", "real", "d.txt"):
        (tmp_path / d).mkdir(parents=True)
    for f in ("a/1.txt", "a-b/2.txt", "a/b/3.txt", ".h/4.txt", "x/.y/5.txt", "x/6.txt"):
        (tmp_path / f).write_text("x", encoding="utf-8")
    (tmp_path / "real" / "7.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "link7.txt").symlink_to(tmp_path / "real" / "7.txt")
    (tmp_path / "lnk").symlink_to(tmp_path / "real")
    (tmp_path / "a" / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    found = expand_inputs([tmp_path])
    assert found == _expanded_as_before(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/1.txt",
        "a/b/3.txt",
        "a/link7.txt",
        "a-b/2.txt",
        "x/6.txt",
    ]


def test_dataset_outputs_by_name(tmp_path):
    assert is_dataset_output("d.trig")
    assert is_dataset_output("d.NQ")
    assert is_dataset_output("out/")
    assert is_dataset_output(tmp_path)
    assert not is_dataset_output("g.ttl")


# ---------------------------------------------------------------- one graph per report


def test_one_named_graph_per_report_and_the_default_graph(corpus, tmp_path):
    out = tmp_path / "d.trig"
    summary = build_dataset([corpus], output=out)
    assert (summary.reports, summary.added, summary.skipped) == (4, 4, 0)
    ds = read_dataset(out)
    reports = {report_graph_iri(sha(p)) for p in corpus.glob("*.txt")}
    names = graph_names(ds)
    assert reports <= names
    default = ds.default_graph
    # the ontology and every known entity, in the default graph only
    assert (URIRef(XMG + "Report"), None, None) in default
    assert (URIRef(XIAOMI), None, None) in default
    assert not any((None, RDF_TYPE, QB_OBS) in ds.graph(URIRef(n)) for n in names - reports)
    # a report graph holds its report, its observations and their sources
    graph = ds.graph(URIRef(report_graph_iri(sha(corpus / "lanchi_2024q3.txt"))))
    assert len(set(graph.subjects(RDF_TYPE, QB_OBS))) == 2
    assert (None, URIRef(XMG + "fileName"), None) in graph
    assert ONTOLOGY_GRAPH not in names


def test_same_fact_from_two_reports_is_one_observation_with_both_sources(corpus, tmp_path):
    out = tmp_path / "d.nq"
    build_dataset([corpus], output=out)
    graph = load_graph([out])  # the union, as every query sees it
    rows = run_query(graph, "facts", bindings={"period": "2024"}).rows
    revenue = [r for r in rows if r["metric"].endswith("/Revenue") and r["value"] == "128640000000"]
    assert len(revenue) == 1
    assert revenue[0]["yoy_pct"] == "35.1"
    ds = read_dataset(out)
    value = URIRef(XMG + "value")
    stated = {
        o
        for o in graph.subjects(RDF_TYPE, QB_OBS)
        if "revenue-2024" in str(o)
        and {str(v) for v in graph.objects(o, value)} == {"128640000000"}
    }
    assert len(stated) == 1
    (one,) = stated
    assert len(set(graph.objects(one, URIRef(XMG + "source")))) == 2
    # the observation's triples sit in both report graphs, under the same IRI
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        in_graphs = {str(g.identifier) for g in ds.contexts((one, RDF_TYPE, QB_OBS))}
    in_graphs.discard("urn:x-rdflib:default")  # rdflib lists its default graph too
    assert in_graphs == {
        report_graph_iri(sha(corpus / "huachen_2024.txt")),
        report_graph_iri(sha(corpus / "huachen_2025q1.txt")),
    }


def test_disagreeing_reports_are_a_conflict(corpus, tmp_path):
    out = tmp_path / "d.trig"
    build_dataset([corpus], output=out)
    rows = run_query(load_graph([out]), "conflicts").rows
    assert [(r["period"], r["value"], r["file"]) for r in rows] == [
        ("2024", "128640000000", "huachen_2024.txt"),
        ("2024", "128640000000", "huachen_2025q1.txt"),
        ("2024", "129000000000", "huachen_2025.txt"),
    ]
    assert {r["values"] for r in rows} == {"2"}
    assert rows[2]["source"].startswith("2025年华辰营业收入为1,500.2亿元")
    store = open_store("oxigraph:")
    store.load(out)
    assert store.run("conflicts").rows == rows
    assert store.run("conflicts", {"period": "2023"}).rows == []


def test_an_approximate_figure_is_no_conflict(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("华辰科技股份有限公司2024年营业收入为1,286.4亿元。\n", encoding="utf-8")
    b.write_text("华辰科技股份有限公司2024年营业收入约1,300亿元。\n", encoding="utf-8")
    build_dataset([a, b], output=tmp_path / "d.trig")
    assert run_query(load_graph([tmp_path / "d.trig"]), "conflicts").rows == []


# ---------------------------------------------------------------- incremental


def test_rebuild_skips_what_is_there_and_changes_nothing(corpus, tmp_path):
    out = tmp_path / "d.trig"
    first = build_dataset([corpus], output=out)
    before, stamp = out.read_bytes(), out.stat().st_mtime_ns
    again = build_dataset([corpus], output=out)
    assert (again.added, again.skipped, again.reports) == (0, 4, 4)
    assert again.quads == first.quads
    assert out.stat().st_mtime_ns == stamp  # nothing new: not even rewritten
    assert out.read_bytes() == before
    fresh = tmp_path / "fresh.trig"
    build_dataset([corpus], output=fresh, jobs=2)
    assert fresh.read_bytes() == before  # deterministic, whatever the order of extraction


def test_a_changed_report_replaces_its_own_graph_only(corpus, tmp_path):
    out = tmp_path / "d.nq"
    build_dataset([corpus], output=out)
    old = read_dataset(out)
    changed = corpus / "lanchi_2024q3.txt"
    old_graph = report_graph_iri(sha(changed))
    changed.write_text(changed.read_text(encoding="utf-8").replace("61,855", "61,866"), "utf-8")
    summary = build_dataset([changed], output=out)  # only the changed file given
    assert (summary.added, summary.replaced, summary.reports) == (1, 1, 4)
    new = read_dataset(out)
    assert old_graph not in graph_names(new)
    assert report_graph_iri(sha(changed)) in graph_names(new)
    for name in graph_names(old) - {old_graph}:
        assert set(old.graph(URIRef(name))) == set(new.graph(URIRef(name))), name


def _interrupt_at(monkeypatch, name: str) -> None:
    """Building the report called ``name`` is interrupted (Ctrl-C, a crash)."""
    import xmgraph.parallel

    real = xmgraph.parallel.build_report

    def build_report(task):
        if task.name == name:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(xmgraph.parallel, "build_report", build_report)


def test_a_failing_report_is_listed_and_the_others_built(corpus, tmp_path):
    out = tmp_path / "d.trig"
    (corpus / "zz_broken.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 300)
    summary = build_dataset([corpus], output=out)
    assert (summary.added, summary.reports) == (4, 4)
    assert summary.failures == [
        f"{corpus / 'zz_broken.txt'}: E004: not a text file (binary content): zz_broken.txt"
    ]
    done = CliRunner().invoke(app, ["build", str(corpus), "-o", str(tmp_path / "e.trig")])
    assert done.exit_code == 1
    assert "E004: not a text file" in done.stderr
    assert done.stderr.splitlines()[-1].startswith("xmgraph: error: E122: 1 of 5 report(s)")
    assert (tmp_path / "e.trig").exists()


def test_an_interrupted_build_leaves_the_output_and_keeps_its_work(corpus, tmp_path, monkeypatch):
    out = tmp_path / "d.trig"
    build_dataset([corpus / "huachen_2024.txt"], output=out)
    before = out.read_bytes()
    (corpus / "zz_last.txt").write_bytes((corpus / "huachen_2024.txt").read_bytes() + b"\n")
    _interrupt_at(monkeypatch, "zz_last.txt")
    with pytest.raises(KeyboardInterrupt):
        build_dataset([corpus], output=out)
    assert out.read_bytes() == before
    journal = tmp_path / ".d.trig.journal"
    assert len(_journal_blocks(journal.read_bytes())) == 3  # the other three reports
    (corpus / "zz_last.txt").unlink()
    summary = build_dataset([corpus], output=out)
    assert (summary.resumed, summary.added, summary.reports) == (3, 0, 4)
    assert not journal.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "d.trig"]


def test_a_torn_journal_keeps_its_complete_reports(corpus, tmp_path, monkeypatch):
    out = tmp_path / "d.trig"
    (corpus / "zz.txt").write_bytes(b"x")
    _interrupt_at(monkeypatch, "zz.txt")
    with pytest.raises(KeyboardInterrupt):
        build_dataset([corpus], output=out)
    journal = tmp_path / ".d.trig.journal"
    data = journal.read_bytes()
    journal.write_bytes(data + data[:200])  # a report cut short by a crash
    (corpus / "zz.txt").unlink()
    summary = build_dataset([corpus], output=out)
    assert (summary.resumed, summary.added) == (4, 0)
    assert len(run_query(load_graph([out]), "facts").rows) == 7


def test_an_existing_file_that_is_not_a_dataset_is_kept(corpus, tmp_path):
    out = tmp_path / "d.trig"
    out.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    with pytest.raises(XmgraphError, match=r"^E066"):
        build_dataset([corpus], output=out)
    assert out.read_text(encoding="utf-8") == "<urn:a> <urn:b> <urn:c> .\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "d.trig"]  # no journal
    build_dataset([corpus], output=out, force=True)
    assert report_graph_iri(sha(corpus / "huachen_2024.txt")) in graph_names(read_dataset(out))


def test_datasets_and_graphs_as_inputs(corpus, tmp_path):
    first = tmp_path / "first.trig"
    build_dataset([corpus / "huachen_2024.txt", corpus / "huachen_2025.txt"], output=first)
    plain = tmp_path / "plain.ttl"
    plain.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    out = tmp_path / "all.nq"
    summary = build_dataset([first, plain, corpus / "lanchi_2024q3.txt"], output=out)
    assert (summary.imported, summary.added, summary.reports) == (3, 1, 3)
    names = graph_names(read_dataset(out))
    assert any(n.startswith("https://w3id.org/xmgraph/id/import/") for n in names)


def test_a_folder_of_nquads_per_report(corpus, tmp_path):
    out = tmp_path / "nq"
    summary = build_dataset([corpus], output=f"{out}/")
    assert summary.reports == 4
    files = sorted(p.name for p in out.iterdir())
    assert "default.nq" in files
    assert f"{sha(corpus / 'huachen_2024.txt')}.nq" in files
    again = build_dataset([corpus], output=out)
    assert (again.added, again.skipped) == (0, 4)
    store = open_store("oxigraph:")
    for path in sorted(out.glob("*.nq")):
        store.load(path)
    assert len(store.run("facts").rows) == 7


def test_cli_builds_a_dataset_from_a_folder(corpus, tmp_path):
    out = tmp_path / "d.trig"
    runner = CliRunner()
    done = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--jobs", "1"])
    assert done.exit_code == 0, done.output
    assert done.output.startswith(f"wrote {out}: 4 reports, 4 added")
    done = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path / "g.ttl"), "-j", "2"])
    assert done.exit_code == 2
    assert "E041" in done.output
    done = runner.invoke(app, ["facts", str(out)])
    assert done.exit_code == 0
    assert len(done.output.splitlines()) == 8


def test_cli_builds_a_new_folder_given_with_a_slash(corpus, tmp_path):
    """``-o nq/``: the folder need not exist; the trailing slash says it is one."""
    runner = CliRunner()
    done = runner.invoke(app, ["build", str(corpus), "-o", f"{tmp_path / 'nq'}/"])
    assert done.exit_code == 0, done.output
    written = sorted(p.name for p in (tmp_path / "nq").iterdir())
    assert "default.nq" in written
    assert len(written) == len(list(corpus.glob("*.txt"))) + 1


# ---------------------------------------------------------------- journal, temp files, full disk


def test_the_journal_is_smaller_than_the_output(corpus, tmp_path, monkeypatch):
    """The journal keeps each report's N-Triples compressed, its graph's name implied: a
    fraction of the output (it was N-Quads, 6.5 times the output)."""
    out = tmp_path / "d.trig"
    (corpus / "zz_last.txt").write_bytes((corpus / "huachen_2024.txt").read_bytes() + b"\n")
    _interrupt_at(monkeypatch, "zz_last.txt")
    with pytest.raises(KeyboardInterrupt):
        build_dataset([corpus], output=out)
    journal = (tmp_path / ".d.trig.journal").read_bytes()
    monkeypatch.undo()
    (corpus / "zz_last.txt").unlink()
    build_dataset([corpus], output=out)
    report_graphs = out.read_bytes().split(b"<https://w3id.org/xmgraph/id/report/", 1)[1]
    assert len(journal) < len(report_graphs) / 2


def test_a_full_disk_while_journaling_is_E015_and_the_output_untouched(
    corpus, tmp_path, monkeypatch
):
    import errno

    import xmgraph.dataset

    out = tmp_path / "d.trig"
    build_dataset([corpus / "huachen_2024.txt"], output=out)
    before = out.read_bytes()

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.handle, name)

    opened = lambda *args: Full(open(*args))  # noqa: E731, SIM115 (the sink closes it)
    monkeypatch.setattr(xmgraph.dataset, "open", opened, raising=False)
    with pytest.raises(XmgraphError, match=r"^E015: cannot write .*journal: No space left"):
        build_dataset([corpus], output=out)
    assert out.read_bytes() == before
    done = CliRunner().invoke(app, ["build", str(corpus), "-o", str(out)])
    assert done.exit_code == 2
    assert done.stderr.startswith("xmgraph: error: E015: ")
    assert out.read_bytes() == before


def test_orphan_temp_files_of_dead_processes_are_removed(corpus, tmp_path, dead_pid):
    import os

    from xmgraph.export import remove_orphan_temps

    out = tmp_path / "d.trig"
    orphan = tmp_path / f".d.trig.{dead_pid}.0.tmp"
    alive = tmp_path / f".d.trig.{os.getppid()}.0.tmp"  # a running process's: kept
    other = tmp_path / ".e.trig.1.0.tmp"  # another output's
    for path in (orphan, alive, other):
        path.write_bytes(b"half")
    assert remove_orphan_temps(out) == [orphan]
    orphan.write_bytes(b"half")
    build_dataset([corpus], output=out)
    assert not orphan.exists()
    assert alive.exists()
    assert other.exists()


# ---------------------------------------------------------------- big reports, streamed


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_a_graph_sorted_on_disk_writes_the_same_bytes(corpus, tmp_path, monkeypatch, suffix):
    """A report graph too big to hold is sorted in chunks on disk and streamed to the
    output (export.SortedRows, dataset.spill_report): the same file, byte for byte, and
    its temporary folders gone."""
    import tempfile

    from xmgraph import export

    reference = tmp_path / f"ref{suffix}"
    build_dataset([corpus], output=reference)
    monkeypatch.setattr(export, "SORT_CHUNK", 97)  # every report spills several chunks
    spills = tmp_path / "spills"
    spills.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spills))
    out = tmp_path / f"d{suffix}"
    summary = build_dataset([corpus], output=out)
    assert out.read_bytes() == reference.read_bytes()
    assert (summary.reports, summary.facts) == (4, 8)
    assert list(spills.iterdir()) == []


def test_a_spilled_report_is_journaled_and_resumed(corpus, tmp_path, monkeypatch):
    """A big report's journal entry (compressed as it is written) survives an interrupted
    build; the next build takes it and writes the same file as a build in one go."""
    from xmgraph import export

    reference = tmp_path / "ref.trig"
    build_dataset([corpus], output=reference)
    monkeypatch.setattr(export, "SORT_CHUNK", 97)
    out = tmp_path / "d.trig"
    (corpus / "zz_last.txt").write_bytes(b"\xe4\xb8")
    _interrupt_at(monkeypatch, "zz_last.txt")
    with pytest.raises(KeyboardInterrupt):
        build_dataset([corpus], output=out)
    journal = tmp_path / ".d.trig.journal"
    assert len(_journal_blocks(journal.read_bytes())) == 4
    (corpus / "zz_last.txt").unlink()
    summary = build_dataset([corpus], output=out)
    assert (summary.resumed, summary.added) == (4, 0)
    assert out.read_bytes() == reference.read_bytes()


def test_a_big_reports_folder_left_by_a_killed_build_is_removed(
    corpus, tmp_path, monkeypatch, dead_pid
):
    """kill -9 while a big report is written leaves its temporary folder; the next build
    removes it (the folders of running processes stay)."""
    import os
    import tempfile

    spills = tmp_path / "tmp"
    spills.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spills))
    orphan = spills / f"xmgraph-report-{dead_pid}-abc123"
    alive = spills / f"xmgraph-report-{os.getppid()}-abc123"
    for folder in (orphan, alive):
        folder.mkdir()
        (folder / "block").write_bytes(b"half")
    build_dataset([corpus / "huachen_2024.txt"], output=tmp_path / "d.trig")
    assert sorted(p.name for p in spills.iterdir()) == [alive.name]
