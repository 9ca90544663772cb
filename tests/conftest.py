"""Shared fixtures: the seed report, a tmp output folder, hand-made facts and graphs, graphs
broken on purpose, counting what the view draws."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from xmgraph import resources
from xmgraph.model import Entity, Extraction, Fact, Period, Repair, Report, Role, Source

# No timing assertion in any test (speed lives in benchmarks/): hypothesis's per-example
# deadline is one, and a loaded machine failed it (a property of slugs, 2026-12-05).
settings.register_profile("xmgraph", deadline=None)
settings.load_profile("xmgraph")

ID = "https://w3id.org/xmgraph/id/"
METRIC = "https://w3id.org/xmgraph/metric/"
REGION = ID + "region/"

#: A small report in Traditional characters; offsets below point into it.
SAMPLE_TEXT = (
    "甲公司2024年收入為100億元,同比增長10.5%。"  # 0..27
    "乙業務2025年交付目標35萬臺。"  # 27..43
    "張三是甲公司創始人。"  # 43..53
    "乙業務2025年交付目標35萬臺。"  # 53..69
    "甲公司2024年海外收入約40億元。"  # 69..87
)


def count_steps(func: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
    """The Python and C function calls ``func(*args, **kwargs)`` makes: a deterministic
    measure of its work (tests never time anything in seconds)."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        func(*args, **kwargs)
    finally:
        sys.setprofile(None)
    return count


@pytest.fixture
def dead_pid() -> int:
    """The id of a process that has ended (a writer killed before it cleaned up)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


@pytest.fixture
def steps() -> Callable[..., int]:
    """:func:`count_steps`, for the tests of linear time."""
    return count_steps


def sentence(text: str, fragment: str, occurrence: int = 0) -> tuple[int, int]:
    """The (start, end) of the ``occurrence``-th sentence of ``text`` that holds ``fragment``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(fragment, start + 1)
    end = text.index("。", start) + 1
    return start, end


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The bundled demo report (Xiaomi 2024 annual results, as received)."""
    path = resources.demo_report()
    assert path.is_file()
    return path


@pytest.fixture(scope="session")
def seed_graph(seed_path):
    """The seed report built into a graph, once per test session."""
    from xmgraph import build_graph

    return build_graph([seed_path])


@pytest.fixture
def tmp_out(tmp_path) -> Path:
    """An empty output folder."""
    out = tmp_path / "out"
    out.mkdir()
    return out


@pytest.fixture(scope="session")
def sample_report() -> Report:
    data = SAMPLE_TEXT.encode("utf-8")
    return Report("sample.txt", SAMPLE_TEXT, hashlib.sha256(data).hexdigest(), "utf-8")


@pytest.fixture(scope="session")
def make_source(sample_report):
    """``make_source("fragment", occurrence=0)``: the sentence of the sample holding it."""

    def make(fragment: str, occurrence: int = 0, report: Report = sample_report) -> Source:
        start, end = sentence(report.text, fragment, occurrence)
        return Source(report.sha256, report.name, start, end, report.text[start:end])

    return make


@pytest.fixture(scope="session")
def entities() -> dict[str, Entity]:
    """Minted (unknown) entities: a company, a segment, a product and a person."""
    company = Entity(ID + "org/jia", "company", "甲公司", known=False, names=("甲公司", "甲"))
    segment = Entity(ID + "org/jia/yi", "segment", "乙業務", parent=company.iri, known=False)
    product = Entity(ID + "product/jia/p1", "product", "P1", parent=segment.iri, known=False)
    person = Entity(ID + "person/zhang-san", "person", "张三", known=False)
    return {"company": company, "segment": segment, "product": product, "person": person}


@pytest.fixture(scope="session")
def sample_extraction(sample_report, make_source, entities) -> Extraction:
    """Five facts by hand: the delivery target is stated twice (one observation)."""
    company, segment = entities["company"], entities["segment"]
    facts = (
        Fact(
            company,
            METRIC + "Revenue",
            Period("2024"),
            Decimal("10000000000"),
            "CNY",
            make_source("甲公司2024年收入"),
            yoy_pct=Decimal("10.5"),
        ),
        Fact(
            segment,
            METRIC + "Deliveries",
            Period("2025"),
            Decimal("350000"),
            "vehicle",
            make_source("乙業務2025年交付", 1),
            qualifiers=("target",),
        ),
        Fact(
            segment,
            METRIC + "Deliveries",
            Period("2025"),
            Decimal("350000"),
            "vehicle",
            make_source("乙業務2025年交付", 0),
            qualifiers=("target",),
        ),
        Fact(
            company,
            METRIC + "Revenue",
            Period("2024"),
            Decimal("4000000000"),
            "CNY",
            make_source("海外收入"),
            qualifiers=("approximate",),
            region=REGION + "overseas",
        ),
        Fact(
            company,
            METRIC + "Revenue",
            Period("2024-01-01/2024-09-30"),
            Decimal("7.50"),
            "CNY",
            make_source("甲公司2024年收入"),
        ),
    )
    role = Role(
        entities["person"], "https://w3id.org/xmgraph/ont#Founder", company.iri, make_source("張三")
    )
    repair = Repair("pinyin-annotation", 3, 5, "20", "20", "example")
    return Extraction(
        report=sample_report,
        facts=facts,
        entities=(company, segment, entities["product"]),
        roles=(role,),
        repairs=(repair,),
    )


@pytest.fixture(scope="session")
def sample_graph(sample_extraction):
    """The hand-made extraction built into a graph (with the ontology)."""
    from xmgraph.build import build

    return build([sample_extraction])


# ---------------------------------------------------------------- graphs broken on purpose

BROKEN = Path(__file__).parent / "data" / "validate"


@pytest.fixture(scope="session")
def copy_of():
    """``copy_of(graph)``: a copy of ``graph`` (its triples and prefixes) to change."""
    from rdflib import Graph

    def copy(graph):
        out = Graph()
        for prefix, ns in graph.namespaces():
            out.bind(prefix, ns)
        out.addN((s, p, o, out) for s, p, o in graph)
        return out

    return copy


@pytest.fixture(scope="session")
def broken(copy_of):
    """``broken(graph, name)``: a copy of ``graph`` with the SPARQL Update
    ``tests/data/validate/<name>.ru`` applied."""

    def apply(graph, name: str):
        out = copy_of(graph)
        out.update((BROKEN / f"{name}.ru").read_text(encoding="utf-8"))
        return out

    return apply


# ---------------------------------------------------------------- what the view draws

#: Counted straight from the graph, not by the view's queries: the nodes the view draws.
COUNT_NODES = """
PREFIX xmg:  <https://w3id.org/xmgraph/ont#>
PREFIX qb:   <http://purl.org/linked-data/cube#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
  { ?n a xmg:Company } UNION { ?n a xmg:Segment } UNION { ?n a xmg:Product }
  UNION { ?n a foaf:Person } UNION { ?n a qb:Observation }
  UNION { ?o a qb:Observation ; xmg:entity|xmg:metric|xmg:period ?n }
}
"""


@pytest.fixture(scope="session")
def count():
    """``count(graph, query=COUNT_NODES)``: the number a ``SELECT (COUNT(...) AS ?n)`` query
    gives; by default the nodes the view draws, counted straight from the graph."""

    def run(graph, query: str = COUNT_NODES) -> int:
        return int(next(iter(graph.query(query)))[0])

    return run


# ---------------------------------------------------------------- extraction scores in the summary

_SCORES: list[str] = []


@pytest.fixture(scope="session")
def record_score():
    """``record_score("seed", score)``: print precision and recall at the end of the run."""

    def record(name: str, score) -> None:
        _SCORES.append(
            f"{name}: precision {score.precision:.3f}, recall {score.recall:.3f}, "
            f"F1 {score.f1:.3f} ({len(score.right)} right, {len(score.wrong)} wrong, "
            f"{len(score.missed)} missed)"
        )

    return record


def pytest_terminal_summary(terminalreporter) -> None:
    if _SCORES:
        terminalreporter.section("extraction quality")
        for line in _SCORES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def stop_process() -> Callable[[subprocess.Popen[bytes], float], None]:
    """Stop a server a test started, by its PID: SIGTERM, then SIGKILL after ``seconds``."""

    def stop(proc: subprocess.Popen[bytes], seconds: float) -> None:
        proc.terminate()
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=seconds)

    return stop


#: Debian's Chromium, driven by Playwright in test_view_browser and test_serve_browser
CHROMIUM = os.environ.get("XMGRAPH_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Any:
    """A headless Chromium for a test module (fails, not skips, when it is missing)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield launched
        launched.close()
