"""The ``xmgraph`` command: a thin shell over the library, and with its light half
:mod:`xmgraph.console` (the console script, ``xmgraph facts`` without typer) the only place
that prints.

Errors in the user's input are one line on stderr (``xmgraph: error: E001: ...``) and exit
code 2; anything else is one line and exit code 1 (``XMGRAPH_DEBUG=1`` shows the
traceback). Imports are lazy so that ``xmgraph --help`` does not load rdflib.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from xmgraph import __version__
from xmgraph.console import exit_code, fast_path, log_to_stderr, print_facts, say_error
from xmgraph.console import fast_facts as _fast_facts  # noqa: F401 (the light path, tested here)
from xmgraph.console import published as _published
from xmgraph.console import read_store as _read_store
from xmgraph.console import utf8_stdout as _utf8_stdout
from xmgraph.errors import Errors, XmgraphError

#: What ``xmgraph demo`` names its outputs (it replaces these files, and only these).
DEMO_NAME = "xiaomi-2024"
#: The period of the demo's revenue table.
DEMO_PERIOD = "2024"

app = typer.Typer(
    name="xmgraph",
    help="RDF knowledge graphs from Chinese company results news.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: --help need not load rich (or markdown-it)
)

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int) -> typer.Exit:
    say_error(message)
    return typer.Exit(code)


def _guarded(func: F) -> F:
    """Turn every failure of a command into one line on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except (KeyboardInterrupt, Exception) as exc:
            code = exit_code(exc)
            if code is None:  # XMGRAPH_DEBUG=1: the traceback
                raise
            raise typer.Exit(code) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"xmgraph {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Log on stderr what was left out and why (debug level)."
        ),
    ] = False,
    max_size: Annotated[
        str | None,
        typer.Option(
            "--max-size",
            metavar="SIZE",
            help="The largest report read (e.g. 50MB; default 20MB): a larger one is E120.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """RDF knowledge graphs from Chinese company results news.

    Every command takes report texts (.txt) or graphs written by xmgraph
    (.ttl .nt .nq .jsonld .trig) as input.
    """
    _configure(verbose, max_size)


def _configure(verbose: bool, max_size: str | None) -> None:
    """The global options: the log handler on stderr and its level, the largest report."""
    log_to_stderr(verbose)
    if max_size is not None:
        from xmgraph.read import MAX_SIZE_ENV, parse_size

        try:
            os.environ[MAX_SIZE_ENV] = str(parse_size(max_size))  # worker processes too
        except XmgraphError as exc:
            raise _fail(str(exc), 2) from None


Inputs = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="REPORT-or-GRAPH...",
        help="Report texts (.txt ...) and graphs written by xmgraph (.ttl .nt .nq .jsonld .trig).",
        show_default=False,
    ),
]
Force = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]
StoreSpec = Annotated[
    str | None,
    typer.Option(
        "--store",
        metavar="memory|oxigraph:PATH|sparql:URL",
        help="Where the graph is: memory (the inputs, in rdflib; the default), oxigraph:PATH "
        "(an on-disk Oxigraph store) or sparql:URL (a SPARQL 1.1 server's query endpoint).",
        show_default=False,
    ),
]

Published = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help="The reports' publication date: relative periods (今年, 去年, 本季度) are read "
        "against it. It wins over the dateline a text carries.",
        show_default=False,
    ),
]


def _files_store(inputs: list[Path] | None) -> Any:
    """Graph and dataset files only: an Oxigraph store in memory holding them (None when a
    report is among the inputs), with a progress line on stderr when it is a terminal."""
    from xmgraph.export import is_graph_file

    if not inputs or not all(is_graph_file(p) for p in inputs):
        return None
    from xmgraph.store import load_files

    def progress(line: str) -> None:
        sys.stderr.write(f"xmgraph: {line}\n")
        sys.stderr.flush()

    return load_files(inputs, progress if sys.stderr.isatty() else None)


@app.command()
@_guarded
def demo(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder for the demo's files.")
    ] = Path("out"),
    force: Annotated[
        bool, typer.Option("--force", hidden=True, help="Accepted; demo always replaces its files.")
    ] = False,
) -> None:
    """Build the bundled Xiaomi 2024 report into OUTPUT/ and print revenue by segment.

    Re-running it replaces the files it writes (OUTPUT/xiaomi-2024.ttl and
    OUTPUT/xiaomi-2024.html, the browser view) and nothing else.
    """
    del force  # demo is meant to be re-run: it always replaces the files it names
    from xmgraph import resources
    from xmgraph.export import write_graph
    from xmgraph.query import run_query

    started = time.perf_counter()
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise XmgraphError(Errors.E015, path=output, reason=exc.strerror or exc) from exc
    sys.stdout.write(
        f"xmgraph demo: building {resources.demo_report().name}, a wire story as received: "
        "the warnings about its text that may follow are expected (xmgraph says what it "
        "repaired)\n"
    )
    sys.stdout.flush()  # before the warnings on stderr
    graph, report = _build_checked([resources.demo_report()], None)
    ttl = write_graph(graph, output / f"{DEMO_NAME}.ttl", force=True)
    from xmgraph.view import write_view

    html = write_view(graph, output / f"{DEMO_NAME}.html", force=True)
    table = run_query(graph, "revenue_by_segment", bindings={"periodCode": DEMO_PERIOD})
    elapsed = time.perf_counter() - started

    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"[bold]xmgraph demo[/]: {_counts(report, graph)} in {elapsed:.1f} s", soft_wrap=True
    )
    console.print(f"validate: {report.summary()}", soft_wrap=True)
    # soft_wrap: a long path stays on one line (rich would break it at 80 columns in a pipe)
    console.print(f"wrote {ttl}", soft_wrap=True)
    console.print(f"wrote {html} (open it in a browser: the graph to explore)", soft_wrap=True)
    rich_table = Table(title=f"Revenue by segment, {DEMO_PERIOD}")
    rich_table.add_column("Entity")
    rich_table.add_column("Revenue", justify="right")
    rich_table.add_column("Unit")
    rich_table.add_column("YoY %", justify="right")
    for row in table.rows:
        rich_table.add_row(row["entity_label"], _grouped(row["value"]), row["unit"], row["yoy_pct"])
    if not table.rows:
        rich_table.add_row("(no revenue figures found)", "", "", "")
    console.print(rich_table)


def _grouped(value: str) -> str:
    whole, dot, frac = value.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    return sign + f"{int(digits):,}" + dot + frac if digits.isdigit() else value


def _build_checked(inputs: list[Path], published: Any) -> tuple[Any, Any]:
    """What `build` and `demo` both do: the graph, its numeric checks recorded in it (with
    the values they derive), and the validation report."""
    from xmgraph.pipeline import build_graph
    from xmgraph.validate import validate_graph

    graph = build_graph(inputs, published=published)
    return graph, validate_graph(graph, record=True)


def _counts(report: Any, graph: Any) -> str:
    """``27 facts (+11 derived), 4493 triples``."""
    facts = f"{report.facts} fact{'' if report.facts == 1 else 's'}"
    return f"{facts} (+{report.derived} derived), {len(graph)} triples"


def _graph_inputs(inputs: list[Path]) -> list[Path]:
    """The inputs of a one-graph build: glob patterns expanded (a quoted ``'dir/*.txt'``;
    E001 when one matches nothing), a folder E142 (it builds a dataset)."""
    from xmgraph.dataset import expand_inputs

    out: list[Path] = []
    for item in inputs:
        if item.is_dir():
            raise XmgraphError(Errors.E142, path=str(item).rstrip("/"))
        out.extend(expand_inputs([item]) if not item.exists() else [item])
    return out


@app.command()
@_guarded
def build(
    inputs: Inputs = None,
    output: Annotated[
        str | None,  # not Path: a trailing "/" (a folder to create) must survive
        typer.Option(
            "-o",
            "--output",
            metavar="FILE|DIR/",
            help="The graph file, its format from the extension; or a dataset: FILE.trig, "
            "FILE.nq or a folder DIR/ (one N-Quads file per report).",
            show_default=False,
        ),
    ] = None,
    force: Force = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Fail (exit 1, nothing written) on any violation of the shapes or the checks.",
        ),
    ] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Extract reports in N processes (datasets).")
    ] = 1,
    store: StoreSpec = None,
    engine: Annotated[
        str,
        typer.Option("--engine", metavar="local|dask", help="local processes, or a Dask cluster."),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="The Dask scheduler of --engine dask (e.g. tcp://10.0.0.5:8786).",
            show_default=False,
        ),
    ] = None,
    date: Published = None,
) -> None:
    """Build a graph from reports and graphs; write it as .ttl .nt .nq .jsonld or .trig.

    The numeric checks run on the graph and are recorded in it (with the values they
    derive); a one-line summary follows. See `xmgraph validate` for the details.

    Datasets: with -o DATASET.trig, DATASET.nq or a folder DIR/, or with --store, each
    report becomes its own named graph; inputs may be folders (every *.txt in them) and
    glob patterns; a report already there (same SHA-256) is skipped, a changed one
    replaces its graph; --jobs N extracts in N processes, --engine dask on a cluster.
    """
    from xmgraph.dataset import is_dataset_output

    published = _published(date)
    dataset = (output is not None and is_dataset_output(output)) or store not in (None, "memory")
    if dataset or jobs != 1 or engine != "local":
        _build_dataset(inputs, output, force, strict, jobs, store, engine, scheduler, published)
        return
    _build_one_graph(inputs or [], output, force, strict, published)


def _build_one_graph(
    inputs: list[Path], output: str | None, force: bool, strict: bool, published: Any
) -> None:
    """`build` of one graph file: checked, written, and its summary printed."""
    from xmgraph.export import check_writable, format_for, is_graph_file, write_graph

    if output is None:
        raise XmgraphError(
            Errors.E041, reason="no output given: use -o FILE.ttl (or .nt .nq .jsonld .trig)"
        )
    target = Path(output)
    format_for(target)  # a bad extension, a missing folder fail before any work
    check_writable(target, force=force)
    paths = _graph_inputs(inputs)
    if _streamed(paths):
        _build_streamed(paths, target, force, strict, published)
        return
    graph, report = _build_checked(paths, published)
    if paths and report.facts + report.derived == 0 and not any(map(is_graph_file, paths)):
        what = paths[0].name if len(paths) == 1 else f"any of the {len(paths)} reports"
        raise XmgraphError(Errors.E141, what=what)
    if strict and not report.conforms:
        sys.stdout.write(f"validate: {report.summary()}\n")
        sys.stdout.flush()
        error = XmgraphError(Errors.E030, count=report.violation_count)
        raise _fail(f"{error} (nothing written; `xmgraph validate` shows them)", 1)
    path = write_graph(graph, target, force=force)
    sys.stdout.write(f"wrote {path}: {_counts(report, graph)}\n")
    sys.stdout.write(f"validate: {report.summary()}\n")


def _streamed(paths: list[Path]) -> bool:
    """Whether a one-graph build writes its graph streamed: reports (no graph files) of
    more than :data:`~xmgraph.build.STREAM_BYTES` together."""
    from xmgraph.build import STREAM_BYTES
    from xmgraph.export import is_graph_file

    if not paths or any(map(is_graph_file, paths)):
        return False
    return sum(p.stat().st_size for p in paths if p.is_file()) > STREAM_BYTES


def _build_streamed(
    paths: list[Path], target: Path, force: bool, strict: bool, published: Any
) -> None:
    """``xmgraph build`` of big reports into one graph: built and written streamed, with
    no graph in memory, so without the shapes and the numeric checks (they need one)."""
    from xmgraph.build import STREAM_BYTES, write_streamed
    from xmgraph.pipeline import extract_report

    limit = f"{STREAM_BYTES // 1_000_000} MB"
    if strict:
        raise XmgraphError(
            Errors.E041,
            reason=f"--strict validates a graph in memory: reports over {limit} are written "
            "streamed; build a dataset (-o FILE.trig) and query it instead",
        )
    extractions = (extract_report(p, published=published) for p in paths)
    triples, facts = write_streamed(extractions, target, force=force)
    if not facts:
        what = paths[0].name if len(paths) == 1 else f"any of the {len(paths)} reports"
        raise XmgraphError(Errors.E141, what=what)
    sys.stdout.write(f"wrote {target}: {facts} facts, {triples} triples (streamed)\n")
    sys.stdout.write(
        f"validate: not run (reports over {limit} are written streamed, with no graph in "
        "memory for the shapes and the numeric checks)\n"
    )


def _build_dataset(
    inputs: list[Path] | None,
    output: str | None,
    force: bool,
    strict: bool,
    jobs: int,
    store: str | None,
    engine: str,
    scheduler: str | None,
    published: Any,
) -> None:
    """``xmgraph build`` into a dataset: a .trig/.nq file, a folder, or a store."""
    from xmgraph.dataset import build_dataset, is_dataset_output
    from xmgraph.parallel import TerminalProgress

    if output is not None and not is_dataset_output(output):
        raise XmgraphError(
            Errors.E041,
            reason=f"--jobs, --engine and --store build a dataset: give -o a .trig or .nq "
            f"file or a folder DIR/, not {output}",
        )
    if strict:
        raise XmgraphError(
            Errors.E041, reason="--strict checks one graph: run `xmgraph validate` on a dataset"
        )
    with TerminalProgress("building") as progress:
        summary = build_dataset(
            inputs or [],
            output=output,
            store=store or "memory",
            jobs=jobs,
            engine=engine,
            scheduler=scheduler,
            force=force,
            progress=progress,
            status=progress.status,
            published=published,
        )
    sys.stdout.write(summary.line() + "\n")
    if summary.warnings:
        n = len(summary.warnings)
        sys.stdout.write(f"{n} warning{'' if n == 1 else 's'} (on stderr)\n")
    if summary.failures:
        sys.stdout.flush()
        for failure in summary.failures:
            sys.stderr.write(f"xmgraph: error: {failure}\n")
        total = summary.added + len(summary.failures)
        raise _fail(str(XmgraphError(Errors.E122, count=len(summary.failures), total=total)), 1)


@app.command()
@_guarded
def validate(
    inputs: Inputs = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="text, json or ttl.", metavar="text|json|ttl"),
    ] = "text",
    inference: Annotated[
        str,
        typer.Option(
            "--inference",
            metavar="none|rdfs|owlrl",
            help="Entail RDFS, or the OWL 2 RL closure, before checking the shapes.",
        ),
    ] = "none",
    date: Published = None,
) -> None:
    """Check the graph against the shapes (SHACL, Data Cube) and the report's arithmetic.

    Prints each violation (which fact, which rule, which sentence) and each numeric check;
    exits 1 when the graph does not conform.
    """
    from xmgraph.pipeline import build_graph
    from xmgraph.validate import FORMATS, INFERENCES, render, validate_graph

    published = _published(date)
    if fmt not in FORMATS:
        raise XmgraphError(Errors.E012, value=fmt, choices=", ".join(FORMATS))
    if inference not in INFERENCES:
        raise XmgraphError(Errors.E140, value=inference, choices=", ".join(INFERENCES))
    graph = build_graph(inputs or [], published=published)
    report = validate_graph(graph, inference=inference)
    _utf8_stdout()
    if fmt == "ttl":
        from xmgraph.export import serialize

        sys.stdout.flush()
        sys.stdout.buffer.write(serialize(report.results, "ttl"))
    else:
        sys.stdout.write(render(report, fmt))
    sys.stdout.flush()
    if not report.conforms:
        raise _fail(str(XmgraphError(Errors.E030, count=report.violation_count)), 1)


@app.command()
@_guarded
def facts(
    inputs: Inputs = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="csv or jsonl.", metavar="csv|jsonl")
    ] = "csv",
    store: StoreSpec = None,
    date: Published = None,
) -> None:
    """Print the facts table (one row per observation) on stdout."""
    print_facts(inputs, fmt, store, date)


@app.command()
@_guarded
def explain(
    report: Annotated[Path, typer.Argument(help="A report text.")],
    sentence: Annotated[
        int | None, typer.Option("--sentence", "-s", help="Only this sentence (1-based).", min=1)
    ] = None,
    figure: Annotated[
        str | None,
        typer.Option("--figure", help="Only the figures whose text contains this (e.g. 52.3亿)."),
    ] = None,
    date: Published = None,
) -> None:
    """Show how each figure was read: mentions, frame in force, rules fired, fact or why not."""
    from xmgraph.explain import explain_report, lines
    from xmgraph.export import check_input

    check_input(report)
    explained = explain_report(report, published=_published(date))
    _utf8_stdout()
    found = False
    for line in lines(explained, sentence=sentence, figure=figure):
        found = True
        sys.stdout.write(line + "\n")
    if not found:
        what = f"sentence {sentence}" if sentence else f"figure {figure!r}"
        raise XmgraphError(Errors.E085, what=what)


@app.command("eval")
@_guarded
def eval_(
    corpus: Annotated[
        Path, typer.Argument(help="A folder of NAME.txt reports with NAME.facts.csv gold files.")
    ],
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Score only these report names.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No per-fact lists.")] = False,
) -> None:
    """Score extraction against gold facts: precision, recall, F1 per report and overall."""
    from xmgraph.evaluate import corpus_pairs, evaluate_corpus

    if not corpus.is_dir():
        raise XmgraphError(Errors.E041, reason=f"not a folder: {corpus}")
    if not corpus_pairs(corpus):
        raise XmgraphError(Errors.E041, reason=f"no NAME.txt with NAME.facts.csv in {corpus}")
    scores = evaluate_corpus(corpus, only=only)
    _utf8_stdout()
    out = sys.stdout
    for s in scores:
        out.write(
            f"{s.name}\tP={s.precision:.3f}\tR={s.recall:.3f}\tF1={s.f1:.3f}"
            f"\tright={len(s.right)}\twrong={len(s.wrong)}\tmissed={len(s.missed)}\n"
        )
        if not quiet:
            for kind, rows in (("wrong", s.wrong), ("missed", s.missed)):
                for r in rows:
                    metric = r.get("metric", "").rsplit("/", 1)[-1]
                    out.write(
                        f"  {kind}: {r.get('entity_label', '')} | {metric} | {r.get('period', '')}"
                        f" | {r.get('value', '')} {r.get('unit', '')} | yoy {r.get('yoy_pct', '')}"
                        f" | {r.get('qualifier', '')} | {r.get('region', '')}\n"
                    )
    if scores:
        total = sum(scores[1:], scores[0])
        out.write(
            f"overall\tP={total.precision:.3f}\tR={total.recall:.3f}\tF1={total.f1:.3f}"
            f"\tright={len(total.right)}\twrong={len(total.wrong)}\tmissed={len(total.missed)}\n"
        )


@app.command()
@_guarded
def view(
    inputs: Inputs = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="The HTML page to write.", show_default=False),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", help="Labels and page in English or Chinese.", metavar="en|zh")
    ] = "en",
    query: Annotated[
        str | None,
        typer.Option(
            "--query",
            help="Draw only a CONSTRUCT's subgraph or a SELECT's entities: a query name "
            "(queries/NAME.rq) or a .rq file.",
            metavar="NAME|FILE.rq",
            show_default=False,
        ),
    ] = None,
    force: Force = False,
    store: StoreSpec = None,
    date: Published = None,
) -> None:
    """Write the graph as one self-contained HTML page to explore in a browser (offline)."""
    from xmgraph.view import VIEW_LANGS, check_output, query_text, write_view

    published = _published(date)
    if output is None:
        raise XmgraphError(Errors.E041, reason="no output given: use -o FILE.html")
    if lang not in VIEW_LANGS:
        raise XmgraphError(Errors.E050, value=lang, choices=", ".join(VIEW_LANGS))
    check_output(output, force=force)  # bad options fail before any work
    from xmgraph.export import check_writable

    check_writable(output, force=force)  # and a folder that does not exist
    text = query_text(query) if query is not None else None
    from xmgraph.pipeline import build_graph

    source = _read_store(inputs, store)
    graph = build_graph(inputs or [], published=published) if source is None else source
    path = write_view(graph, output, lang=lang, query=text, force=force)
    sys.stdout.write(f"wrote {path}\n")


def _list_queries(value: bool) -> None:
    if not value:
        return
    from xmgraph.query import named_queries

    _utf8_stdout()
    for named in named_queries():
        sys.stdout.write(f"{named.name}: {named.title}\n")
        for p in named.parameters:
            sys.stdout.write(f"    --param {p.name}=<{p.kind}>  {p.description}\n")
    raise typer.Exit()


@app.command("query")
@_guarded
def query_(
    query: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME|FILE.rq|'SELECT …'",
            help="A named query (queries/NAME.rq; --list shows them), a .rq file, or SPARQL "
            "text (the prefixes xmg: id: metric: unit: org: qb: skos: rdfs: … are predeclared).",
            show_default=False,
        ),
    ] = None,
    inputs: Inputs = None,
    params: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="NAME=VALUE",
            help="Bind ?NAME to VALUE (repeatable); bound with initBindings, never pasted "
            "into the query. IRIs as <…>, prefix:name or http…; typed literals as "
            '"2024"^^xsd:integer.',
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="table|csv|tsv|json|xml|turtle|jsonld|nt",
            help="W3C SPARQL results (csv tsv json xml) or a table; turtle, jsonld or nt for "
            "CONSTRUCT and DESCRIBE. Default: table on a terminal, csv otherwise.",
            show_default=False,
        ),
    ] = None,
    list_queries: Annotated[
        bool,
        typer.Option(
            "--list",
            callback=_list_queries,
            is_eager=True,
            help="List the named queries and their parameters.",
        ),
    ] = False,
    store: StoreSpec = None,
    date: Published = None,
) -> None:
    """Run a SPARQL query (named, from a file, or as text) over reports and graphs."""
    from xmgraph import query as q

    published = _published(date)
    if query is None:
        raise XmgraphError(
            Errors.E041, reason="no query given: a NAME (see --list), a FILE.rq or 'SELECT …'"
        )
    if fmt is not None and fmt not in q.FORMATS:
        raise XmgraphError(Errors.E012, value=fmt, choices=", ".join(q.FORMATS))
    spec = q.resolve(query)
    parsed = q.parse(spec.text)  # a bad query fails before any work
    kind = q.query_kind(parsed)
    terminal = sys.stdout.isatty()
    if fmt is None:
        fmt = "turtle" if kind in ("CONSTRUCT", "DESCRIBE") else "table"
        fmt = "csv" if kind == "SELECT" and not terminal else fmt
    q.check_format(fmt, kind)
    bindings = q.parse_params(params or [], spec.named, text=spec.text)
    from xmgraph.pipeline import build_graph

    source = _read_store(inputs, store) or _files_store(inputs)
    if source is None:
        result = q.execute(build_graph(inputs or [], published=published), parsed, bindings)
    else:
        result = source.result(spec.text, bindings)
    _utf8_stdout()
    if fmt != "table":
        sys.stdout.flush()
        sys.stdout.buffer.write(q.serialize_result(result, fmt))
        sys.stdout.flush()
        return
    _print_table(result, kind, terminal)


def _print_table(result: Any, kind: str, terminal: bool) -> None:
    """An ASK's answer, or a SELECT's rows as a table (numbers right-aligned, IRIs short)."""
    if kind == "ASK":
        sys.stdout.write(("true" if result.askAnswer else "false") + "\n")
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from xmgraph import query as q

    columns = [str(v) for v in (result.vars or ())]
    rows = [tuple(row) for row in result]
    # an IRI column next to its _label column is left to the machine formats
    shown = [i for i, c in enumerate(columns) if f"{c}_label" not in columns]
    caption = f"{len(rows)} row{'' if len(rows) == 1 else 's'}"
    if len(shown) < len(columns):
        caption += " (IRI columns with a _label column hidden: --format csv shows them)"
    table = Table(caption=caption)
    for index in shown:
        cells = [row[index] for row in rows if row[index] is not None]
        numeric = bool(cells) and all(q.is_numeric(c) for c in cells)
        table.add_column(columns[index], justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text(q.display(row[index])) for index in shown))
    Console(width=None if terminal else 160).print(table)


@app.command()
@_guarded
def serve(
    inputs: Inputs = None,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 8000,
    timeout: Annotated[
        float,
        typer.Option("--timeout", help="Seconds a query may run before it is stopped (503)."),
    ] = 30.0,
    workers: Annotated[
        int,
        typer.Option("--workers", help="Queries answered at the same time (a process each)."),
    ] = 2,
    store: StoreSpec = None,
    date: Published = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            metavar="NAME[:PORT]",
            help="Answer requests for this host name too (repeatable); by default only "
            "localhost, 127.0.0.1, [::1] and the --host address (against DNS rebinding).",
            show_default=False,
        ),
    ] = None,
    queue_timeout: Annotated[
        float | None,
        typer.Option(
            "--queue-timeout",
            help="Seconds a query may wait for a free worker (then 503 with Retry-After); "
            "default: --timeout.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol (/sparql) with a query page (/).

    Stop it with Ctrl-C.
    """
    from xmgraph.pipeline import build_graph
    from xmgraph.serve import allowed_hosts, check_port, is_loopback, size_of
    from xmgraph.serve import serve as run_server

    published = _published(date)
    allowed_hosts(allow_host or [], listen=host)  # a bad --allow-host fails before any work
    check_port(host, port)  # a port in use fails before any work
    source = _read_store(inputs, store)
    graph = build_graph(inputs or [], published=published) if source is None else source
    triples = size_of(graph)

    def ready(url: str) -> None:
        sys.stderr.write(
            f"xmgraph serve: {triples} triples at {url} (SPARQL endpoint: {url}sparql); "
            f"queries stop after {timeout:g} s; Ctrl-C stops the server\n"
        )
        if not is_loopback(host):
            sys.stderr.write(
                f"xmgraph serve: WARNING: listening on {host}, not loopback: anyone who can "
                "reach this address can query the graph\n"
            )
        sys.stderr.flush()

    run_server(
        graph,
        host=host,
        port=port,
        timeout=timeout,
        workers=workers,
        on_ready=ready,
        triples=triples,
        allow_hosts=allow_host or [],
        queue_timeout=queue_timeout,
    )


def main() -> None:
    """The entry point of ``python -m xmgraph.cli`` (the console script's is
    :func:`xmgraph.console.main`, which loads this module only for a command it leaves to typer)."""
    fast_path()
    app(prog_name="xmgraph")


if __name__ == "__main__":
    main()
