"""The ``xmgraph`` console script: the command line's light half, without typer.

``xmgraph facts PATH... [-f|--format csv|jsonl]`` runs here without importing typer (its
import and the typer app of :mod:`xmgraph.cli`: a tenth of the command's start-up); every
other command line, and any other option of ``facts`` (help, ``--store``, ``--date``,
``--format=x``, no paths), goes to :mod:`xmgraph.cli`, which parses it with typer. Both run
the same code (:func:`print_facts`, :func:`exit_code`), so a command prints the same bytes,
the same one-line errors and exits with the same codes either way. With :mod:`xmgraph.cli`,
this is the only module that prints.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from xmgraph.errors import Errors, XmgraphError


def say_error(message: str) -> None:
    """``xmgraph: error: MESSAGE`` on stderr."""
    sys.stderr.write(f"xmgraph: error: {message}\n")
    sys.stderr.flush()


def _debug() -> bool:
    return os.environ.get("XMGRAPH_DEBUG", "") not in ("", "0")


def exit_code(exc: BaseException) -> int | None:
    """The exit code of a command that raised ``exc``, its one line written on stderr
    (2 for the user's input, 130 when interrupted, 1 otherwise); None when the caller must
    raise it again (``XMGRAPH_DEBUG=1``: the traceback)."""
    if isinstance(exc, BrokenPipeError):  # `xmgraph facts ... | head`: the reader went away
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    if isinstance(exc, KeyboardInterrupt):
        say_error("interrupted")
        return 130
    if _debug():
        return None
    if isinstance(exc, XmgraphError):
        say_error(str(exc))
        return 2
    text = " ".join(str(exc).split())[:300] or "no message"
    say_error(str(XmgraphError(Errors.E123, kind=type(exc).__name__, reason=text)))
    return 1


def log_to_stderr(verbose: bool) -> None:
    """The package's log records on stderr (``xmgraph: LEVEL: ...``), debug ones too when
    ``verbose``."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("xmgraph: %(levelname)s: %(message)s"))
    logger = logging.getLogger("xmgraph")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)


def published(value: str | None) -> Any:
    """The ``--date`` value as a date (None when not given); E016 when it is no date."""
    if value is None:
        return None
    from xmgraph.context import parse_date

    return parse_date(value)


def read_store(inputs: list[Path] | None, spec: str | None) -> Any:
    """The store a reading command queries instead of its inputs (None: the inputs)."""
    if spec is None or spec == "memory":
        return None
    if inputs:
        raise XmgraphError(Errors.E068, spec=spec)
    from xmgraph.store import open_store

    return open_store(spec, read_only=True)


def utf8_stdout() -> None:
    """stdout in UTF-8 with ``\\n`` line ends, whatever the locale."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8", newline="\n")


def print_facts(inputs: list[Path] | None, fmt: str, store: str | None, date: str | None) -> None:
    """``xmgraph facts``: the facts table (one row per observation) on stdout."""
    from xmgraph.export import is_graph_file
    from xmgraph.facts import TABLE_FORMATS, facts_rows, write_csv, write_jsonl
    from xmgraph.pipeline import build_graph

    when = published(date)
    if fmt not in TABLE_FORMATS:
        raise XmgraphError(Errors.E012, value=fmt, choices=", ".join(TABLE_FORMATS))
    source = read_store(inputs, store)
    if source is not None:
        from xmgraph.store import facts_rows as store_facts_rows

        rows = store_facts_rows(source)
    elif inputs and not any(is_graph_file(p) for p in inputs):  # reports: no rdflib graph
        from xmgraph.pipeline import build_ntriples
        from xmgraph.store import facts_rows as store_facts_rows
        from xmgraph.store import from_ntriples

        rows = store_facts_rows(from_ntriples(build_ntriples(inputs, published=when)))
    else:
        rows = facts_rows(build_graph(inputs or [], published=when))
    utf8_stdout()
    (write_csv if fmt == "csv" else write_jsonl)(rows, sys.stdout)
    sys.stdout.flush()


def facts_argv(argv: list[str]) -> tuple[list[Path], str] | None:
    """The paths and the format of ``facts PATH... [-f FMT]``; None for any other command
    line (typer parses those)."""
    if argv[:1] != ["facts"]:
        return None
    paths: list[Path] = []
    fmt, rest = "csv", iter(argv[1:])
    for arg in rest:
        if arg in ("-f", "--format"):
            fmt = next(rest, "-")
            if fmt.startswith("-"):
                return None
        elif arg.startswith("-") or not arg:
            return None
        else:
            paths.append(Path(arg))
    return (paths, fmt) if paths else None


def fast_facts(argv: list[str]) -> int | None:
    """``xmgraph facts PATH... [-f FMT]`` run without typer: its exit code, or None for any
    other command line."""
    parsed = facts_argv(argv)
    if parsed is None:
        return None
    try:
        log_to_stderr(verbose=False)
        print_facts(parsed[0], parsed[1], None, None)
    except (KeyboardInterrupt, Exception) as exc:
        code = exit_code(exc)
        if code is None:
            raise
        return code
    return 0


def without_html_literals() -> None:
    """Let rdflib load as it does without its optional ``html`` extra (html5rdf, which it
    imports whenever it is installed, for ``rdf:HTML`` literals: a tenth of the start of
    ``xmgraph facts``). No report graph, ontology file or fact holds such a literal; only
    for a command that reads reports, before rdflib is first imported."""
    if "rdflib" not in sys.modules:
        sys.modules.setdefault("html5rdf", None)  # type: ignore[arg-type]


def fast_path() -> None:
    """Run ``xmgraph facts PATH... [-f FMT]`` here and exit; return for any other command line.

    The command runs without the cyclic garbage collector: it makes no cyclic garbage
    (``tests/test_console.py`` counts it), and the collector's passes over what it keeps
    alive to the end (the modules, the lexicon, the regexes, the graph) were a tenth of its
    time, with the interpreter's last collection at exit, which :func:`gc.freeze` skips."""
    if sys.argv[1:2] == ["facts"]:
        without_html_literals()
    if facts_argv(sys.argv[1:]) is None:
        return
    import gc

    gc.disable()
    code = fast_facts(sys.argv[1:])
    gc.freeze()
    sys.exit(code)


def main() -> None:
    """The console-script entry point: ``xmgraph facts`` here, the rest in :mod:`xmgraph.cli`."""
    fast_path()
    from xmgraph.cli import app

    app(prog_name="xmgraph")


if __name__ == "__main__":
    main()
