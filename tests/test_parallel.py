"""Extraction of many reports: in process, in N processes, on a Dask cluster."""

from __future__ import annotations

import io
import shutil
import zlib
from pathlib import Path

import pytest

from xmgraph import parallel
from xmgraph.dataset import build_dataset
from xmgraph.errors import XmgraphError
from xmgraph.parallel import ReportTask, TerminalProgress, build_report, run_reports
from xmgraph.store import open_store

DATA = Path(__file__).parent / "data" / "dataset"


@pytest.fixture(scope="module")
def tasks():
    return [ReportTask.from_path(p) for p in sorted(DATA.glob("*.txt"))]


def by_sha(results):
    return {r.sha256: r for r in results}


def test_a_task_is_the_file_and_its_hash(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("小米2024年收入为3659亿元。", encoding="utf-8")
    task = ReportTask.from_path(path)
    assert (task.name, task.data) == ("r.txt", None)
    assert task.sha256 == ReportTask.from_bytes("x", path.read_bytes()).sha256
    assert ReportTask.from_path(path, with_data=True).data == path.read_bytes()
    with pytest.raises(XmgraphError, match=r"^E001"):
        ReportTask.from_path(tmp_path / "missing.txt")
    with pytest.raises(XmgraphError, match=r"^E002"):
        ReportTask.from_path(tmp_path)


def test_a_report_graph_is_sorted_ntriples_without_the_ontology(tasks):
    result = build_report(tasks[0])
    lines = result.ntriples.splitlines()
    assert lines == sorted(lines)
    assert result.triples == len(lines)
    assert result.facts == 2
    assert b"owl#Ontology" not in result.ntriples


def test_rows_are_what_rdflibs_ntriples_serializer_writes(tasks):
    """The worker's rows (each IRI formatted once per report) are rdflib's own rows, and its
    fact count is the number of observations typed in them."""
    from rdflib.namespace import QB, RDF
    from rdflib.plugins.serializers.nt import _nt_row

    from xmgraph.build import built_triples
    from xmgraph.pipeline import extract_report

    triples = built_triples([extract_report(tasks[0].path)], ontology=False)
    rows = sorted(parallel._nt_lines(triples))
    assert rows == sorted(_nt_row(t).encode() for t in triples)
    observations = {s for s, p, o in triples if p == RDF.type and o == QB.Observation}
    assert build_report(tasks[0]).facts == len(observations) > 0


def test_processes_give_what_one_process_gives(tasks):
    done: list[tuple[int, int]] = []
    one = by_sha(run_reports(tasks, progress=lambda d, t: done.append((d, t))))
    two = by_sha(run_reports(tasks, jobs=2))
    assert one.keys() == two.keys() == {t.sha256 for t in tasks}
    assert all(one[k].ntriples == two[k].ntriples for k in one)
    assert done[0] == (0, 4)
    assert done[-1] == (4, 4)


def test_a_bad_report_stops_the_run_with_its_own_error(tmp_path, tasks):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02\xff" * 200)
    broken = [*tasks[:2], ReportTask.from_path(bad)]
    for jobs in (1, 2):
        with pytest.raises(XmgraphError, match=r"^E004: .*bad\.txt") as info:
            list(run_reports(broken, jobs=jobs))
        assert info.value.code == "E004"


def test_bad_options():
    with pytest.raises(XmgraphError, match=r"^E060"):
        list(run_reports([], engine="spark"))
    with pytest.raises(XmgraphError, match=r"^E041"):
        list(run_reports([], jobs=0))
    with pytest.raises(XmgraphError, match=r"scheduler"):
        list(run_reports([], engine="dask"))


def test_dask_on_a_local_cluster_writes_nquads_per_report(tmp_path, tasks):
    distributed = pytest.importorskip("distributed")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in DATA.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",  # loopback only
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        results = by_sha(run_reports(tasks, engine="dask", scheduler=address))
        summary = build_dataset(
            [corpus], output=f"{tmp_path}/nq/", engine="dask", scheduler=address
        )
    local = by_sha(run_reports(tasks))
    assert all(results[k].ntriples == local[k].ntriples for k in local)
    assert summary.added == 4
    files = sorted(p.name for p in (tmp_path / "nq").iterdir())
    assert files == sorted([*(f"{k}.nq" for k in local), "default.nq"])
    store = open_store("oxigraph:")  # what a bulk loader takes in
    for path in (tmp_path / "nq").glob("*.nq"):
        store.load(path)
    assert len(store.run("facts").rows) == 7


def test_no_scheduler_is_one_line(monkeypatch, tasks):
    pytest.importorskip("distributed")
    monkeypatch.setattr(parallel, "DASK_TIMEOUT", "1s")
    with pytest.raises(XmgraphError, match=r"^E061"):
        list(run_reports(tasks, engine="dask", scheduler="tcp://127.0.0.1:9"))


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_only_on_a_terminal_and_after_a_while():
    quiet = io.StringIO()
    with TerminalProgress("building", delay=0, stream=quiet) as progress:
        progress(1, 2)
    assert quiet.getvalue() == ""
    shown = FakeTerminal()
    with TerminalProgress("building", delay=0.0, stream=shown) as progress:
        progress(1, 2)
        progress.status("writing")
        import time

        time.sleep(0.3)
    assert "building" in shown.getvalue() or "writing" in shown.getvalue()
    late = FakeTerminal()
    with TerminalProgress("building", delay=5.0, stream=late) as progress:
        progress(2, 2)
    assert late.getvalue() == ""


def test_a_worker_sends_the_journal_entry_not_the_graph_again(tasks):
    """With a block, the batch a worker returns holds the report's journal entry (its
    N-Triples compressed, as the driver wrote it before) and no other copy of the graph."""
    from dataclasses import replace

    plain = parallel.build_batch([tasks[0]])[0]
    sent = parallel.build_batch([replace(tasks[0], block=".trig")])[0]
    assert plain.journal == b""
    assert plain.ntriples
    assert (sent.ntriples, sent.nquads) == (b"", b"")
    head, body = sent.journal.split(b"\n", 1)
    assert head.split()[-3:] == [
        s.encode() for s in (plain.sha256, str(plain.triples), str(len(body)))
    ]
    assert zlib.decompress(body) == plain.ntriples
    assert sent.block == build_report(replace(tasks[0], block=".trig")).block


# ---------------------------------------------------------------- blocks: the merge in workers


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_a_file_merged_from_workers_blocks_is_the_file_a_store_writes(tmp_path, suffix):
    """Workers write each report's graph as the file holds it and the driver only puts the
    blocks in order: the same bytes as loading every report into a store and writing it,
    built at once, in two steps (the previous output loaded, new blocks merged in), and
    after a report is replaced."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paths = sorted(DATA.glob("*.txt"))
    for path in paths[:2]:
        shutil.copy(path, corpus / path.name)
    stepwise = tmp_path / f"stepwise{suffix}"
    build_dataset([corpus], output=stepwise, jobs=1)
    for path in paths[2:]:
        shutil.copy(path, corpus / path.name)
    build_dataset([corpus], output=stepwise, jobs=2)
    at_once = tmp_path / f"at-once{suffix}"
    build_dataset([corpus], output=at_once, jobs=2)
    reference = tmp_path / f"reference{suffix}"
    with open_store("oxigraph:") as store:  # the store's writer: no blocks
        build_dataset([corpus], store=store)
        store.write(reference)
    assert at_once.read_bytes() == reference.read_bytes()
    assert stepwise.read_bytes() == reference.read_bytes()
    # a changed report: its old graph goes, the new one comes as a block
    changed = corpus / paths[0].name
    changed.write_text(paths[0].read_text(encoding="utf-8") + "\n营业收入增长5%。\n", "utf-8")
    build_dataset([corpus], output=at_once, jobs=1)
    with open_store("oxigraph:") as store:
        build_dataset([corpus], store=store)
        store.write(reference, force=True)
    assert at_once.read_bytes() == reference.read_bytes()


def test_a_block_is_the_graph_as_the_file_holds_it(tasks):
    from dataclasses import replace

    from xmgraph.store import report_graph_iri

    plain = build_report(tasks[0])
    nq = build_report(replace(tasks[0], block=".nq"))
    assert plain.block == b""
    assert nq.ntriples == plain.ntriples
    assert nq.nquads is nq.block or nq.nquads == nq.block
    graph = f"<{report_graph_iri(plain.sha256)}>".encode()
    lines = nq.block.splitlines()
    assert len(lines) == nq.block_quads == plain.triples
    assert all(line.endswith(graph + b" .") for line in lines)
    trig = build_report(replace(tasks[0], block=".trig"))
    assert trig.block.startswith(graph + b" {\n")
    assert trig.block.endswith(b"}\n")
    assert trig.nquads == nq.block  # the journal's lines, whatever the file's format


def test_a_big_graph_on_a_cluster_worker_comes_back_in_memory(tasks, monkeypatch):
    """A report that spilled its rows to disk on a worker whose files the driver cannot
    read (Dask: spill=False) comes back with its block in memory, the same bytes."""
    from dataclasses import replace

    from xmgraph import export

    normal = build_report(replace(tasks[0], block=".trig"))
    monkeypatch.setattr(export, "SORT_CHUNK", 97)
    held = build_report(replace(tasks[0], block=".trig", spill=False))
    spilled = build_report(replace(tasks[0], block=".trig"))
    assert (held.block, held.spill) == (normal.block, "")
    assert spilled.spill
    assert (Path(spilled.spill) / "block").read_bytes() == normal.block
    assert (spilled.triples, spilled.facts) == (normal.triples, normal.facts)
    shutil.rmtree(spilled.spill)
