"""The console script's light half: ``xmgraph facts`` without typer, the same contract."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from xmgraph import console
from xmgraph.cli import app
from xmgraph.errors import Errors, XmgraphError

#: what the installed ``xmgraph`` script runs
SCRIPT = "import sys; from xmgraph.console import main; sys.exit(main())"


def console_script(*args: str, importtime: bool = False) -> subprocess.CompletedProcess[bytes]:
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run(
        [sys.executable, *flags, "-c", SCRIPT, *args],
        capture_output=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("console") / "report.txt"
    path.write_text("小米2024年收入为3659亿元,同比增长35%。\n", encoding="utf-8")
    return str(path)


def test_entry_point_is_the_light_half():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    with open(os.path.join(os.path.dirname(__file__), "..", "pyproject.toml"), "rb") as f:
        scripts = tomllib.load(f)["project"]["scripts"]
    assert scripts["xmgraph"] == "xmgraph.console:main"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_facts_loads_no_typer_and_prints_what_typer_prints(report, fmt):
    done = console_script("facts", report, "-f", fmt, importtime=True)
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit(b"|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert b"xmgraph.build" in imported
    assert b"xmgraph.cli" not in imported
    assert not [m for m in imported if m.split(b".")[0] in (b"typer", b"click")]
    typed = CliRunner().invoke(app, ["facts", report, "-f", fmt])
    assert typed.exit_code == 0
    assert typed.stdout_bytes == done.stdout
    assert b"xiaomi" in done.stdout


@pytest.mark.parametrize(
    ("args", "code", "returncode"),
    [
        (["facts", "{d}/missing.txt"], "E001", 2),
        (["facts", "{r}", "-f", "tsv"], "E012", 2),
        (["facts", "{r}", "--format=tsv"], "E012", 2),  # typer's path: the same line
        (["facts", "{r}", "--date", "2024-13-01"], "E016", 2),
        (["facts", "{r}", "--store", "oxigraph:{d}/s"], "E068", 2),
    ],
)
def test_errors_are_one_coded_line_either_way(report, args, code, returncode):
    folder = os.path.dirname(report)
    done = console_script(*(a.format(d=folder, r=report) for a in args))
    assert done.returncode == returncode
    assert b"Traceback" not in done.stderr
    assert done.stderr.decode().splitlines() == [
        line for line in done.stderr.decode().splitlines() if line.startswith("xmgraph: ")
    ]
    assert done.stderr.decode().splitlines()[-1].startswith(f"xmgraph: error: {code}: ")
    assert done.stdout == b""


def test_other_commands_go_to_typer():
    module = subprocess.run(
        [sys.executable, "-m", "xmgraph", "--version"], capture_output=True, check=False
    )
    assert (module.returncode, module.stdout[:8]) == (0, b"xmgraph ")
    done = console_script("--version")
    assert done.returncode == 0
    assert done.stdout.startswith(b"xmgraph ")
    helped = console_script("facts", "--help")
    assert helped.returncode == 0
    assert b"--format" in helped.stdout
    assert console_script("facts").returncode == 2  # no inputs: typer's E040


def test_exit_codes(monkeypatch, capsys):
    monkeypatch.delenv("XMGRAPH_DEBUG", raising=False)
    assert console.exit_code(XmgraphError(Errors.E040)) == 2
    assert console.exit_code(KeyboardInterrupt()) == 130
    assert console.exit_code(RuntimeError("a\nb")) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[2].strip() for line in err] == ["E040", "interrupted", "E123"]
    assert err[2].endswith("RuntimeError: a b (XMGRAPH_DEBUG=1 shows the traceback)")
    monkeypatch.setenv("XMGRAPH_DEBUG", "1")
    assert console.exit_code(RuntimeError("x")) is None  # raised again: the traceback
    assert console.exit_code(XmgraphError(Errors.E040)) is None
    assert console.exit_code(KeyboardInterrupt()) == 130


def test_broken_pipe_is_exit_code_one(report):
    """``xmgraph facts ... | head``: the reader went away; exit 1, nothing on stderr."""
    read, write = os.pipe()
    os.close(read)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, "facts", report],
        stdout=write,
        stderr=subprocess.PIPE,
        check=False,
        timeout=120,
    )
    os.close(write)
    assert done.returncode == 1
    assert done.stderr == b""


def test_facts_argv():
    assert console.facts_argv(["facts", "a.txt", "-f", "jsonl", "b.txt"]) is not None
    assert console.facts_argv(["facts", "a.txt", "--format=jsonl"]) is None
    assert console.facts_argv(["build", "a.txt"]) is None
    assert console.facts_argv(["facts", "-v", "a.txt"]) is None


def test_facts_makes_no_cyclic_garbage(report, capsys):
    """The console script runs ``facts`` with the cyclic collector off (``fast_path``):
    what the command makes is freed by reference counting, or kept to the end."""
    import gc

    from xmgraph.resources import demo_report

    paths = [report, str(demo_report())]
    assert console.fast_facts(["facts", *paths]) == 0  # the caches of a first run filled
    gc.collect()
    gc.disable()
    try:
        assert console.fast_facts(["facts", *paths, "-f", "jsonl"]) == 0
        garbage = gc.collect()
    finally:
        gc.enable()
    assert garbage == 0
    assert "xiaomi" in capsys.readouterr().out
