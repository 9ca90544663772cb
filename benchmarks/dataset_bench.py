"""Datasets and stores at scale: build, load and query synthetic corpora of 100 .. 10,000 reports.

    .venv/bin/python benchmarks/dataset_bench.py --sizes 100 1000 [10000] [--work DIR]
    .venv/bin/python benchmarks/dataset_bench.py --report      # the tables, from the results

For each size: generates the corpus (``benchmarks/generate.py``, seed 7), then measures, each
phase in a fresh process (so that its peak memory is its own):

* ``build``: ``build_dataset(corpus, output=dataset.nq, jobs=J)`` for J = 1 and 2: reports
  per second (extraction and writing; the peak RSS is the largest process's), then the
  same build again (nothing to do: every report is already there);
* ``build_store``: the same, 2 processes, straight into an on-disk Oxigraph store;
* ``memory``: rdflib in memory (``load_graph(dataset.nq)``: what ``xmgraph query FILE``
  does), then every named query of ``queries/`` on rdflib's engine;
* ``oxigraph``: an on-disk Oxigraph store (``--store oxigraph:PATH``) loaded from the
  dataset (bulk, with its merge), then every named query;
* ``sparql``: the Oxigraph server (``oxigraph serve``, loopback) loaded through the Graph
  Store Protocol, then every named query through the SPARQL Protocol.

A query's latency is its second run when the first took less than a second (the first
warms caches), else the first; rows fetched and converted. A query that takes longer than
``--timeout`` seconds is stopped and reported as such.
Results go to ``WORK/results.json`` (and ``benchmarks/results/datasets.json`` with
``--keep``). These are measurements, not tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "datasets.json"


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory of this process (and of its finished children), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if children else 0
    return round(max(own, kids) / 1024, 1)  # Linux: kilobytes


def named_queries() -> list[str]:
    from xmgraph.query import query_names

    return query_names()


class Timeout(BaseException):
    """Not an Exception: rdflib and xmgraph wrap those (E024); this one must get out."""


def _alarm(signum, frame):
    raise Timeout


def timed_queries(run, timeout: float) -> dict[str, float | str]:
    """{query: seconds of its second run | 'timeout' | 'error: ...'}; ``run(name)`` runs it."""
    out: dict[str, float | str] = {}
    signal.signal(signal.SIGALRM, _alarm)
    for name in named_queries():
        try:
            signal.setitimer(signal.ITIMER_REAL, timeout)
            started = time.perf_counter()
            rows = run(name)
            took = time.perf_counter() - started
            if took < 1.0:  # a quick query: time it again, warm
                started = time.perf_counter()
                rows = run(name)
                took = time.perf_counter() - started
            out[name] = round(took, 4)
            out[f"{name}:rows"] = rows
        except Timeout:
            out[name] = "timeout"
        except Exception as exc:  # a query that fails is reported, not fatal
            # our Timeout raised inside rdflib's evaluation comes back wrapped (E024)
            out[name] = "timeout" if "Timeout" in str(exc) else f"error: {str(exc)[:80]}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return out


# ---------------------------------------------------------------- phases (child processes)


def phase_build(work: Path, size: int, jobs: int) -> dict:
    from xmgraph.dataset import build_dataset

    corpus = work / f"corpus-{size}"
    out = work / f"dataset-{size}-j{jobs}.nq"
    started = time.perf_counter()
    summary = build_dataset([corpus], output=out, jobs=jobs, force=True)
    seconds = time.perf_counter() - started
    again = time.perf_counter()
    nothing = build_dataset([corpus], output=out, jobs=jobs)
    rebuild = time.perf_counter() - again
    return {
        "reports": summary.added,
        "facts": summary.facts,
        "quads": summary.quads,
        "seconds": round(seconds, 2),
        "reports_per_s": round(summary.added / seconds, 1),
        "rebuild_s": round(rebuild, 2),
        "rebuild_added": nothing.added,
        "bytes": out.stat().st_size,
        "peak_rss_mb": peak_rss_mb(children=True),
    }


def phase_build_store(work: Path, size: int, jobs: int) -> dict:
    """The corpus built straight into an on-disk Oxigraph store (the build holds a batch
    of reports, not the dataset)."""
    from xmgraph.dataset import build_dataset

    corpus = work / f"corpus-{size}"
    path = work / f"built-{size}"
    shutil.rmtree(path, ignore_errors=True)
    started = time.perf_counter()
    summary = build_dataset([corpus], store=f"oxigraph:{path}", jobs=jobs)
    seconds = time.perf_counter() - started
    again = time.perf_counter()
    build_dataset([corpus], store=f"oxigraph:{path}", jobs=jobs)
    rebuild = time.perf_counter() - again
    return {
        "reports": summary.added,
        "quads": summary.quads,
        "seconds": round(seconds, 2),
        "reports_per_s": round(summary.added / seconds, 1),
        "quads_per_s": round(summary.quads / seconds),
        "rebuild_s": round(rebuild, 2),
        "peak_rss_mb": peak_rss_mb(children=True),
    }


def phase_memory(work: Path, size: int, timeout: float) -> dict:
    from xmgraph.export import load_graph
    from xmgraph.query import run_query

    dataset = work / f"dataset-{size}-j2.nq"
    started = time.perf_counter()
    graph = load_graph([dataset])
    seconds = time.perf_counter() - started
    triples = len(graph)
    result = {
        "load_s": round(seconds, 2),
        "triples": triples,
        "triples_per_s": round(triples / seconds),
        "peak_rss_after_load_mb": peak_rss_mb(),
    }
    result["queries"] = timed_queries(lambda n: len(run_query(graph, n).rows), timeout)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def phase_oxigraph(work: Path, size: int, timeout: float) -> dict:
    from xmgraph.store import open_store

    dataset = work / f"dataset-{size}-j2.nq"
    path = work / f"oxigraph-{size}"
    shutil.rmtree(path, ignore_errors=True)
    store = open_store(f"oxigraph:{path}", create=True)
    started = time.perf_counter()
    store.load(dataset)
    store.close()
    seconds = time.perf_counter() - started
    store = open_store(f"oxigraph:{path}", read_only=True)
    quads, triples = len(store), store.triples()
    result = {
        "load_s": round(seconds, 2),
        "quads": quads,
        "triples": triples,
        "quads_per_s": round(quads / seconds),
        "disk_mb": round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1),
        "peak_rss_after_load_mb": peak_rss_mb(),
    }
    result["queries"] = timed_queries(lambda n: len(store.run(n).rows), timeout)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def phase_sparql(work: Path, size: int, timeout: float) -> dict:
    from xmgraph.store import open_store

    dataset = work / f"dataset-{size}-j2.nq"
    location = work / f"server-{size}"
    shutil.rmtree(location, ignore_errors=True)
    command = Path(sys.executable).with_name("oxigraph")
    port = _free_port()
    server = subprocess.Popen(
        [
            str(command),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout-s",
            str(int(timeout)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    started_server = time.perf_counter()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                query = urllib.parse.urlencode({"query": "ASK {}"})
                urllib.request.urlopen(f"{url}?{query}", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.02)
        startup = time.perf_counter() - started_server
        store = open_store(f"sparql:{url}")
        store.timeout = timeout + 30
        started = time.perf_counter()
        store.load(dataset)
        seconds = time.perf_counter() - started
        quads, triples = len(store), store.triples()
        result = {
            "startup_s": round(startup, 3),
            "load_s": round(seconds, 2),
            "quads": quads,
            "triples": triples,
            "quads_per_s": round(quads / seconds),
        }
        result["queries"] = timed_queries(lambda n: len(store.run(n).rows), timeout + 5)
        status = Path(f"/proc/{server.pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    result["server_peak_rss_mb"] = round(int(line.split()[1]) / 1024, 1)
        result["peak_rss_mb"] = peak_rss_mb()
        return result
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


# ---------------------------------------------------------------- driver


def run_phase(work: Path, phase: str, size: int, arg: str, limit: float) -> dict:
    """Run one phase in a child process; its JSON result, or what went wrong."""
    command = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--size",
        str(size),
        "--arg",
        arg,
        "--work",
        str(work),
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"phase stopped after {limit:.0f} s"}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/xmgraph-bench"))
    parser.add_argument("--timeout", type=float, default=120.0, help="per query, seconds")
    parser.add_argument(
        "--phases", nargs="*", default=["build", "build_store", "oxigraph", "sparql", "memory"]
    )
    parser.add_argument("--keep", action="store_true", help=f"also write {RESULTS}")
    parser.add_argument("--report", action="store_true", help="print the tables and stop")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--arg", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    work: Path = args.work
    if args.phase:  # a child: one phase, one JSON line on stdout
        if args.phase == "build":
            result = phase_build(work, args.size, int(args.arg))
        elif args.phase == "build_store":
            result = phase_build_store(work, args.size, int(args.arg))
        else:
            fn = {"memory": phase_memory, "oxigraph": phase_oxigraph, "sparql": phase_sparql}
            result = fn[args.phase](work, args.size, float(args.arg))
        sys.stdout.write(json.dumps(result) + "\n")
        return 0
    results_file = work / "results.json"
    if args.report:
        sys.stdout.write(report(json.loads(results_file.read_text())))
        return 0
    work.mkdir(parents=True, exist_ok=True)
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    sys.path.insert(0, str(HERE))
    from generate import generate

    for size in args.sizes:
        corpus = work / f"corpus-{size}"
        if not corpus.is_dir() or len(list(corpus.glob("*.txt"))) != size:
            shutil.rmtree(corpus, ignore_errors=True)
            started = time.perf_counter()
            generate(corpus, size, seed=7)
            sys.stderr.write(f"generated {size} reports in {time.perf_counter() - started:.1f} s\n")
        entry = results.setdefault(str(size), {})
        limit = 600 + size * 2.0
        for phase in args.phases:
            if phase == "build":
                for jobs in (1, 2):
                    entry[f"build_j{jobs}"] = run_phase(work, "build", size, str(jobs), limit)
                    sys.stderr.write(f"{size} build -j{jobs}: {entry[f'build_j{jobs}']}\n")
            elif phase == "build_store":
                entry["build_store"] = run_phase(work, "build_store", size, "2", limit)
                sys.stderr.write(f"{size} build_store: {entry['build_store']}\n")
            else:
                qlimit = limit + args.timeout * (len(named_queries()) * 2 + 2)
                entry[phase] = run_phase(work, phase, size, str(args.timeout), qlimit)
                brief = {k: v for k, v in entry[phase].items() if k != "queries"}
                sys.stderr.write(f"{size} {phase}: {brief}\n")
            results_file.write_text(json.dumps(results, indent=1, sort_keys=True))
    if args.keep:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    sys.stdout.write(report(results))
    return 0


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"
    return str(value) if value is not None else "-"


def report(results: dict) -> str:
    """Markdown tables of the results."""
    sizes = sorted(int(k) for k in results if k.isdigit())
    lines = ["| reports | " + " | ".join(str(s) for s in sizes) + " |"]
    lines.append("| --- |" + " --- |" * len(sizes))

    def row(label, get):
        cells = []
        for s in sizes:
            try:
                cells.append(str(get(results[str(s)])))
            except (KeyError, TypeError):
                cells.append("-")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("facts (observations stated)", lambda e: e["build_j1"]["facts"])
    row("quads in the dataset", lambda e: e["build_j1"]["quads"])
    row("distinct triples (the merge)", lambda e: e["oxigraph"]["triples"])
    row("build, 1 process: reports/s", lambda e: e["build_j1"]["reports_per_s"])
    row("build, 2 processes: reports/s", lambda e: e["build_j2"]["reports_per_s"])
    row("build, 2 processes: seconds", lambda e: e["build_j2"]["seconds"])
    row("build again (nothing new): s", lambda e: e["build_j2"]["rebuild_s"])
    row(
        "build peak RSS, 1 / 2 processes: MB",
        lambda e: f"{e['build_j1']['peak_rss_mb']} / {e['build_j2']['peak_rss_mb']}",
    )
    row(
        "build into oxigraph:PATH, 2 processes: reports/s",
        lambda e: e["build_store"]["reports_per_s"],
    )
    row("build into oxigraph:PATH: peak RSS MB", lambda e: e["build_store"]["peak_rss_mb"])
    row("rdflib memory: load triples/s", lambda e: f"{e['memory']['triples_per_s']:,}")
    row("rdflib memory: peak RSS MB", lambda e: e["memory"]["peak_rss_mb"])
    row("oxigraph:PATH: load quads/s", lambda e: f"{e['oxigraph']['quads_per_s']:,}")
    row(
        "oxigraph:PATH: peak RSS MB / disk MB",
        lambda e: f"{e['oxigraph']['peak_rss_mb']} / {e['oxigraph']['disk_mb']}",
    )
    row("sparql (oxigraph serve): GSP quads/s", lambda e: f"{e['sparql']['quads_per_s']:,}")
    row("sparql: server peak RSS MB", lambda e: e["sparql"]["server_peak_rss_mb"])
    out = "\n".join(lines) + "\n\n"
    # query latencies
    names = sorted(
        {
            q
            for s in sizes
            for st in ("memory", "oxigraph", "sparql")
            for q in results[str(s)].get(st, {}).get("queries", {})
            if ":" not in q
        }
    )
    header = ["query"] + [f"{st} {s}" for s in sizes for st in ("rdflib", "oxigraph", "server")]
    out += "| " + " | ".join(header) + " |\n|" + " --- |" * len(header) + "\n"
    for name in names:
        cells = [name]
        for s in sizes:
            for st in ("memory", "oxigraph", "sparql"):
                value = results[str(s)].get(st, {}).get("queries", {}).get(name)
                if isinstance(value, str) and "Timeout" in value:
                    value = "timeout"  # recorded before the wrapped timeouts were recognized
                cells.append(
                    _fmt(value)
                    if not isinstance(value, str)
                    else ("stopped" if value == "timeout" else value.split(":")[0])
                )
        out += "| " + " | ".join(cells) + " |\n"
    speedups = []
    for s in sizes:
        mem = results[str(s)].get("memory", {}).get("queries", {})
        ox = results[str(s)].get("oxigraph", {}).get("queries", {})
        both = [n for n in names if isinstance(mem.get(n), float) and isinstance(ox.get(n), float)]
        total_mem = sum(mem[n] for n in both)
        total_ox = sum(ox[n] for n in both)
        timeouts = sum(1 for n in names if "imeout" in str(mem.get(n, "")))
        if both and total_ox:
            speedups.append(
                f"{s} reports: all {len(both)} queries that finished in rdflib: rdflib "
                f"{total_mem:.1f} s, Oxigraph {total_ox:.2f} s: x{total_mem / total_ox:.0f}"
                + (f"; {timeouts} stopped in rdflib" if timeouts else "")
            )
    return out + "\n" + "\n".join(speedups) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
