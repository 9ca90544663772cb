"""Extraction of many reports: in process, in N processes, on a Dask cluster."""

from __future__ import annotations

import io
import shutil
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
