"""Extract many reports at once: in this process, in N processes, or on a Dask cluster.

Extraction is per report and independent: :func:`build_report` turns one report file into
the N-Triples of its own graph (read -> normalize -> extract -> build, without the
ontology), and :func:`run_reports` runs it over many reports and yields the results as they
complete. The engines are standard ones, nothing home-made:

* ``local``: ``jobs=1`` runs in this process; ``jobs=N`` uses a
  :class:`concurrent.futures.ProcessPoolExecutor` of N processes (``spawn``: workers start
  clean, whatever the parent holds open);
* ``dask``: a :class:`distributed.Client` connected to a running scheduler; each task
  carries its reports' bytes, so workers need no shared file system.

Results are whole report graphs, sorted N-Triples: what a server's bulk loader or the Graph
Store Protocol takes in (see :mod:`xmgraph.dataset`).

>>> tasks = [ReportTask.from_bytes("a.txt", "小米2024年收入为3659亿元。".encode())]
>>> [r.facts for r in run_reports(tasks)]
[1]
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xmgraph.errors import Errors, XmgraphError

if TYPE_CHECKING:
    from xmgraph.export import SortedRows

#: The engines of ``--engine``.
ENGINES = ("local", "dask")
#: How long to wait for a Dask scheduler to answer.
DASK_TIMEOUT = "10s"
#: Progress callback: (reports done, reports in all).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReportTask:
    """A report to extract: its path as given (for messages), file name and SHA-256; with
    ``data``, its bytes travel with the task (Dask workers need not see the file);
    ``published``, its publication date as given (over its dateline)."""

    path: str
    name: str
    sha256: str
    data: bytes | None = None
    published: date | None = None
    #: the suffix of the dataset file the report goes to (.trig, .nq): its worker also
    #: writes the report's graph as that file holds it (:attr:`ReportGraph.block`)
    block: str = ""
    #: whether a graph too big to hold may go to temporary files on this machine (not on
    #: a cluster's workers, whose files the driver cannot read)
    spill: bool = True

    @classmethod
    def from_path(
        cls,
        path: str | os.PathLike[str],
        *,
        with_data: bool = False,
        published: date | None = None,
    ) -> ReportTask:
        """The task of the file at ``path`` (read once, to hash it); E001/E002/E006."""
        p = path if isinstance(path, Path) else Path(path)
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise XmgraphError(Errors.E001, path=path) from None
        except IsADirectoryError:
            raise XmgraphError(Errors.E002, path=path) from None
        except OSError as exc:
            raise XmgraphError(Errors.E006, path=path, reason=exc.strerror or exc) from exc
        sha = hashlib.sha256(data).hexdigest()
        return cls(str(path), p.name, sha, data if with_data else None, published)

    @classmethod
    def from_bytes(cls, name: str, data: bytes, *, published: date | None = None) -> ReportTask:
        """A task for bytes that are not (or no longer) a file."""
        return cls(name, name, hashlib.sha256(data).hexdigest(), data, published)


@dataclass(frozen=True)
class ReportGraph:
    """One report built: its graph as sorted N-Triples lines (UTF-8), and what it holds."""

    sha256: str
    name: str
    path: str
    ntriples: bytes
    facts: int
    triples: int
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    cpu: float = 0.0  #: CPU seconds of the process that built it (for scaling figures)
    #: with a block: the report's journal entry (its N-Triples compressed), made by the
    #: worker (:func:`build_batch`) so that the driver only appends it; ``ntriples`` and
    #: ``nquads`` are then left empty (the driver needs the graph no more)
    journal: bytes = b""
    block: bytes = b""  #: the graph as the dataset file of ``ReportTask.block`` holds it
    block_quads: int = 0  #: the quads of ``block`` (its triples as Oxigraph counts them)
    nquads: bytes = b""  #: with a block: the graph as N-Quads, for the build's journal
    #: a report too big to hold (``ntriples`` and ``block`` empty): a temporary folder
    #: holding its ``block`` and its compressed ``journal`` entry (:func:`spill_report`)
    spill: str = ""
    journal_head: bytes = b""  #: with ``spill``: the journal entry's header line


@dataclass(frozen=True)
class _Failure:
    """A report that could not be built: the error's code and message (exceptions with
    keyword fields do not survive pickling, so they travel as text)."""

    path: str
    code: str
    message: str
    internal: bool = False


def build_report(task: ReportTask) -> ReportGraph:
    """Read, normalize, extract and build one report: its graph without the ontology."""
    from xmgraph.build import rare_collections

    with rare_collections():
        return _build_report(task)


def _build_report(task: ReportTask) -> ReportGraph:
    from xmgraph.build import built_rows
    from xmgraph.context import add_context
    from xmgraph.export import SortedRows
    from xmgraph.extract import extract
    from xmgraph.lexicon import load_lexicon
    from xmgraph.normalize import normalize
    from xmgraph.read import read_bytes, read_report

    started, cpu = time.perf_counter(), time.process_time()
    lexicon = load_lexicon()
    if task.data is not None:
        report = read_bytes(task.data, name=task.name)
    else:
        report = read_report(task.path)
    doc = normalize(report, vocabulary=lexicon.vocabulary)
    doc = add_context(doc, lexicon, published=task.published)
    extraction = extract(doc, lexicon)
    # the lines rdflib's N-Triples serializer writes for the graph build() makes, without
    # making the graph (half the time of a report went into rdflib's store); a graph too
    # big to keep is sorted in chunks on disk and written from there (no set in memory)
    rows = SortedRows()
    built_rows([extraction], rows)
    warnings = tuple(f"{report.name}: {w}" for w in doc.warnings)
    sha256, name = report.sha256, report.name
    del report, doc, extraction  # their memory goes before the graph is written
    try:
        if rows.spilled:
            result = _spilled(task, rows, sha256, name)
        else:
            result = _in_memory(task, rows.raw(), sha256, name)
    finally:
        rows.close()
    return replace(
        result,
        warnings=warnings,
        seconds=time.perf_counter() - started,
        cpu=time.process_time() - cpu,
    )


def _in_memory(task: ReportTask, lines: list[bytes], sha256: str, name: str) -> ReportGraph:
    """A report graph small enough to hold: its rows, and its block when asked."""
    block, block_quads, nquads = b"", 0, b""
    if task.block:  # the merge's work done here, in parallel: the driver only appends it
        from xmgraph.store import as_nquads, canonical_lines, graph_block, report_graph_iri

        canonical = canonical_lines(b"".join(lines))
        graph_iri = report_graph_iri(sha256)
        block = graph_block(canonical, graph_iri, task.block)
        block_quads = len(canonical)
        nquads = block if task.block == ".nq" else as_nquads(b"".join(canonical), graph_iri)
    return replace(
        _held(task, lines, sha256, name), block=block, block_quads=block_quads, nquads=nquads
    )


def _held(task: ReportTask, lines: list[bytes], sha256: str, name: str) -> ReportGraph:
    """A report graph of ``lines`` held in memory (no block)."""
    ntriples = b"".join(lines)
    return ReportGraph(
        sha256=sha256,
        name=name,
        path=task.path,
        ntriples=ntriples,
        # the lines that end with it: the row holds one line break, at its end
        facts=ntriples.count(_OBSERVATION_ROW),
        triples=len(lines),
    )


def _spilled(task: ReportTask, rows: SortedRows, sha256: str, name: str) -> ReportGraph:
    """A big report graph: with a block asked for, its block and its journal entry written
    to temporary files (:func:`xmgraph.dataset.spill_report`), never held whole; else its
    rows in Oxigraph's form (a store or a folder takes them as bytes)."""
    if task.block and not task.spill:  # held after all: its block made in memory
        return _in_memory(task, list(rows), sha256, name)
    if task.block:
        from xmgraph.dataset import spill_report

        spill = spill_report(rows, sha256, task.block)
        return ReportGraph(
            sha256=sha256,
            name=name,
            path=task.path,
            ntriples=b"",
            facts=spill.facts,
            triples=spill.quads,
            block_quads=spill.quads,
            spill=spill.folder,
            journal_head=spill.journal_head,
        )
    return _held(task, list(rows), sha256, name)


#: the end of the row that types an observation (one per observation: the rows are a set)
_OBSERVATION_ROW = (
    b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    b" <http://purl.org/linked-data/cube#Observation> .\n"
)


def _nt_lines(triples: Iterable[tuple[Any, Any, Any]]) -> list[bytes]:
    """The UTF-8 rows rdflib's N-Triples serializer writes for ``triples`` (its ``_nt_row``),
    each IRI written once per call, not once per row (most rows repeat their subject and
    predicate: rdflib checked and formatted them every time)."""
    from rdflib.plugins.serializers.nt import _quoteLiteral
    from rdflib.term import Literal

    written: dict[Any, str] = {}
    out = []
    for s, p, o in triples:
        a = written.get(s) or written.setdefault(s, s.n3())
        b = written.get(p) or written.setdefault(p, p.n3())
        c = (
            _quoteLiteral(o)
            if isinstance(o, Literal)
            else written.get(o) or written.setdefault(o, o.n3())
        )
        out.append(f"{a} {b} {c} .\n".encode())
    return out


def build_batch(tasks: Sequence[ReportTask]) -> list[ReportGraph | _Failure]:
    """:func:`build_report` over a batch; failures come back as values, not exceptions."""
    out: list[ReportGraph | _Failure] = []
    for task in tasks:
        try:
            out.append(_journaled(build_report(task)))
        except XmgraphError as exc:
            out.append(_Failure(task.path, exc.code, exc.message))
        except Exception as exc:  # a bug in extraction: report it with the file's name
            text = " ".join(str(exc).split()) or "no message"
            out.append(_Failure(task.path, type(exc).__name__, text, internal=True))
    return out


def _journaled(graph: ReportGraph) -> ReportGraph:
    """A graph with a block, as a worker sends it: with its journal entry made here, in
    parallel (zlib was the driver's largest cost per report), and without the N-Triples and
    N-Quads copies of the graph the driver reads no more (a third of what it received)."""
    if not graph.block or not graph.ntriples:
        return graph
    from xmgraph.dataset import journal_entry

    journal = journal_entry(graph.sha256, graph.ntriples)
    return replace(graph, journal=journal, ntriples=b"", nquads=b"")


def _warm_up() -> None:
    """Worker initializer: load the lexicon once, before the first report."""
    from xmgraph.lexicon import load_lexicon

    load_lexicon()


def _raise(failure: _Failure) -> None:
    if failure.internal:
        raise RuntimeError(f"{failure.path}: {failure.code}: {failure.message}")
    error = XmgraphError(Errors.E041, reason=failure.message)
    error.code = failure.code
    error.args = (f"{failure.code}: {failure.message}",)
    raise error


def _batches(tasks: Sequence[ReportTask], workers: int) -> list[list[ReportTask]]:
    """Batches small enough to spread the work and show progress, big enough to make
    the per-task overhead (pickling, scheduling) negligible."""
    size = max(1, min(32, len(tasks) // max(1, workers * 8)))
    return [list(tasks[i : i + size]) for i in range(0, len(tasks), size)]


def run_reports(
    tasks: Sequence[ReportTask],
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Progress | None = None,
    on_failure: Callable[[str, str], None] | None = None,
) -> Iterator[ReportGraph]:
    """Build every task's report graph; yields results as they complete (in any order).

    Stops at the first report that cannot be built, raising its error (E001-E006); the
    results yielded before it are complete and may be kept. With ``on_failure``, a report
    that cannot be built is handed to it instead (its path, ``"CODE: message"``) and the
    others go on.
    """
    if engine not in ENGINES:
        raise XmgraphError(Errors.E060, value=engine, choices=", ".join(ENGINES))
    if jobs < 1:
        raise XmgraphError(Errors.E041, reason=f"--jobs must be at least 1, not {jobs}")
    total, done = len(tasks), 0
    if progress is not None:
        progress(0, total)
    if engine == "dask":
        results: Iterator[list[ReportGraph | _Failure]] = _run_dask(tasks, scheduler)
    elif jobs == 1 or len(tasks) <= 1:
        results = (build_batch([task]) for task in tasks)
    else:
        results = _run_processes(tasks, jobs)
    for batch in results:
        for result in batch:
            if isinstance(result, _Failure) and on_failure is not None:
                done += 1
                on_failure(result.path, f"{result.code}: {result.message}")
                if progress is not None:
                    progress(done, total)
            elif isinstance(result, _Failure):
                _raise(result)
            else:
                done += 1
                if progress is not None:
                    progress(done, total)
                yield result


def _run_processes(
    tasks: Sequence[ReportTask], jobs: int
) -> Iterator[list[ReportGraph | _Failure]]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("spawn")
    batches = _batches(tasks, jobs)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_warm_up) as pool:
        pending: set[Future[list[ReportGraph | _Failure]]] = set()
        queue = iter(batches)
        try:
            # keep a bounded number of batches in flight: results are consumed as they come
            for batch in queue:
                pending.add(pool.submit(build_batch, batch))
                if len(pending) >= jobs * 4:
                    break
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.add(pool.submit(build_batch, nxt))
        finally:
            for future in pending:
                future.cancel()


def _run_dask(
    tasks: Sequence[ReportTask], scheduler: str | None
) -> Iterator[list[ReportGraph | _Failure]]:
    if not scheduler:
        raise XmgraphError(
            Errors.E041, reason="--engine dask needs --scheduler ADDRESS (e.g. tcp://host:8786)"
        )
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise XmgraphError(
            Errors.E041, reason=f"--engine dask needs dask[distributed] installed ({exc})"
        ) from exc
    with_data = [replace(t if t.data is not None else _with_data(t), spill=False) for t in tasks]
    try:
        client: Any = Client(scheduler, timeout=DASK_TIMEOUT, set_as_default=False)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise XmgraphError(Errors.E061, address=scheduler, reason=_one_line(exc)) from exc
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        batches = _batches(with_data, workers * 2)
        futures = client.map(build_batch, batches, pure=False)
        for future in as_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
            yield future.result()
    finally:
        client.close()


def _with_data(task: ReportTask) -> ReportTask:
    try:
        data = Path(task.path).read_bytes()
    except OSError as exc:
        raise XmgraphError(Errors.E006, path=task.path, reason=exc.strerror or exc) from exc
    return replace(task, data=data)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text[:200] + "...") if len(text) > 200 else text or type(exc).__name__


class TerminalProgress:
    """A rich progress bar on stderr for ``xmgraph build``: shown only when stderr is a
    terminal and the work has taken more than ``delay`` seconds (quiet in pipes, logs and
    CI), removed when the work ends. Call it as a :data:`Progress` callback; ``status``
    names a phase without a count (loading the previous output, writing the new one)."""

    def __init__(self, label: str, *, delay: float = 1.0, stream: Any = None) -> None:
        self.label = label
        self.delay = delay
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._bar: Any = None
        self._task: Any = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._state: tuple[str, int | None, int] = (label, None, 0)

    def __enter__(self) -> TerminalProgress:
        if self.enabled:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            if self._bar is not None:
                self._bar.stop()
                self._bar = None

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        with self._lock:
            if self._bar is not None or self._timer is None:
                return
            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            label, total, done = self._state
            self._task = self._bar.add_task(label, total=total, completed=done)
            self._bar.start()

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            label = self._state[0]
            self._state = (label, total, done)
            if self._bar is not None:
                self._bar.update(self._task, total=total, completed=done, description=label)

    def status(self, text: str) -> None:
        """Name the current phase (the count, if any, is kept)."""
        with self._lock:
            _, total, done = self._state
            self._state = (text, total, done)
            if self._bar is not None:
                self._bar.update(self._task, description=text)
