"""How fast the browser view draws a large graph, in headless Chromium.

Builds synthetic graphs of the shape xmgraph writes (companies with segments and
products, a person each, observations with a metric, a period and a source sentence)
through the real build step, renders them with ``xmgraph.view.render_view`` and opens
each page in Debian's Chromium with Playwright (nothing but the file is loaded). It
reports the time to render the HTML in Python, the time from the page starting its script
to the first frame vis-network draws, and to the layout having settled (physics off), the
nodes drawn (a large graph opens on one company) and the labels shown at first draw.

    .venv/bin/python benchmarks/view_render.py                 # 100 300 1000 3000 10000 nodes
    .venv/bin/python benchmarks/view_render.py 1000 --runs 5   # the median of five runs

Needs ``apt-get install chromium`` (``/usr/bin/chromium``; ``--chromium PATH`` otherwise).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ID = "https://w3id.org/xmgraph/id/"
METRIC = "https://w3id.org/xmgraph/metric/"
METRICS = [
    "Revenue",
    "GrossProfit",
    "GrossMargin",
    "OperatingProfit",
    "NetProfit",
    "AdjustedNetProfit",
    "ProfitAttributableToShareholders",
    "RnDExpense",
    "RnDHeadcount",
    "Employees",
    "Shipments",
    "Deliveries",
    "MarketShare",
    "MonthlyActiveUsers",
    "NumberOfStores",
    "DividendPerShare",
]
SEGMENTS_PER_COMPANY = 6
PRODUCTS_PER_SEGMENT = 2
PERIODS = [str(y) for y in range(2019, 2025)] + [
    f"{y}-Q{q}" for y in (2023, 2024) for q in (1, 2, 3, 4)
]


def synthetic_graph(nodes: int, *, seed: int = 1):
    """A graph whose view has exactly ``nodes`` nodes (at least about 60)."""
    from xmgraph.build import build
    from xmgraph.model import Entity, Extraction, Fact, Period, Report, Role, Source

    rng = random.Random(seed)
    per_company = 1 + SEGMENTS_PER_COMPANY * (1 + PRODUCTS_PER_SEGMENT) + 1  # + a person
    fixed_dims = len(METRICS) + len(PERIODS)
    companies = max(1, nodes // 300)
    n_obs = nodes - companies * per_company - fixed_dims
    if n_obs < len(METRICS) + len(PERIODS):
        raise SystemExit(f"{nodes} nodes is too small for a synthetic graph")
    entities: list[Entity] = []
    people: list[tuple[Entity, Entity]] = []
    for c in range(companies):
        company = Entity(f"{ID}org/synth-{c}", "company", f"Company {c}", known=False)
        entities.append(company)
        person = Entity(f"{ID}person/synth-{c}", "person", f"Person {c}", known=False)
        people.append((person, company))
        for s in range(SEGMENTS_PER_COMPANY):
            segment = Entity(
                f"{company.iri}/seg-{s}", "segment", f"Segment {c}.{s}", company.iri, False
            )
            entities.append(segment)
            for p in range(PRODUCTS_PER_SEGMENT):
                entities.append(
                    Entity(
                        f"{ID}product/synth-{c}-{s}-{p}",
                        "product",
                        f"Product {c}.{s}.{p}",
                        segment.iri,
                        False,
                    )
                )
    sentences: list[str] = []
    facts_spec = []
    for i in range(n_obs):
        # every metric and period used at least once, then at random
        metric = METRICS[i] if i < len(METRICS) else rng.choice(METRICS)
        j = i - len(METRICS)
        period = PERIODS[j] if 0 <= j < len(PERIODS) else rng.choice(PERIODS)
        entity = rng.choice(entities)
        value = Decimal(rng.randrange(1, 99999)) * Decimal(10) ** rng.randrange(5, 9)
        yoy = Decimal(rng.randrange(-300, 900)) / 10
        text = f"{entity.label}{period}年指标{i}为{value / Decimal(10) ** 8:f}亿元,同比增长{yoy}%。"
        facts_spec.append((entity, metric, period, value, yoy, len(sentences), text))
        sentences.append(text)
    text = "".join(sentences) + "".join(f"{p.label}是{c.label}创始人。" for p, c in people)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    report = Report("synthetic.txt", text, sha, "utf-8")
    starts = []
    at = 0
    for s in sentences:
        starts.append(at)
        at += len(s)
    facts = []
    for entity, metric, period, value, yoy, index, sentence in facts_spec:
        start = starts[index]
        source = Source(sha, report.name, start, start + len(sentence), sentence)
        facts.append(
            Fact(entity, METRIC + metric, Period(period), value, "CNY", source, yoy_pct=yoy)
        )
    roles = []
    for person, company in people:
        sentence = f"{person.label}是{company.label}创始人。"
        start = text.index(sentence)
        source = Source(sha, report.name, start, start + len(sentence), sentence)
        roles.append(Role(person, "https://w3id.org/xmgraph/ont#Founder", company.iri, source))
    extraction = Extraction(
        report=report,
        facts=tuple(facts),
        entities=tuple(entities) + tuple(p for p, _ in people),
        roles=tuple(roles),
    )
    return build([extraction])


def measure(html: Path, chromium: str, timeout: float = 120.0) -> dict[str, float]:
    """Open ``html`` in headless Chromium: first draw and settle times in ms."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith("file:") else route.abort()
                ),
            )
            wall = time.perf_counter()
            page.goto(html.as_uri())
            # one call that resolves once the layout settled: no polling to disturb the page
            state = page.evaluate(
                """(limit) => new Promise((resolve, reject) => {
                    const started = performance.now();
                    const check = () => {
                        const x = window.xmgraph;
                        if (x && x.firstDrawMs !== null && x.stabilized) {
                            requestAnimationFrame(() => requestAnimationFrame(() => resolve([
                                x.firstDrawMs, x.settledMs, x.visibleNodeIds().length,
                                x.labels().length])));
                        } else if (performance.now() - started > limit) {
                            reject(new Error("the layout did not settle"));
                        } else {
                            setTimeout(check, 100);
                        }
                    };
                    check();
                })""",
                timeout * 1000,
            )
            return {
                "first": float(state[0]),
                "settle": float(state[1]),
                "shown": float(state[2]),
                "labels": float(state[3]),
                "load": (time.perf_counter() - wall) * 1000,
            }
        finally:
            browser.close()


def _spread(ms: list[float]) -> str:
    """The median of run times in ms, in seconds, with the range when there are several."""
    median = statistics.median(ms) / 1000
    if len(ms) == 1:
        return f"{median:.2f}"
    return f"{median:.2f} ({min(ms) / 1000:.2f}–{max(ms) / 1000:.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 300, 1000, 3000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per size (median)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)

    from xmgraph.view import PHYSICS_LIMIT, render_model, view_model

    print(f"Chromium {args.chromium}, {args.runs} run(s) each: median (range), in seconds")
    print(
        "| nodes | edges | physics | drawn | labels | render (Python) | HTML size | first draw "
        "| settled |"
    )
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            graph = synthetic_graph(size)
            started = time.perf_counter()
            model = view_model(graph)
            html = render_model(model)
            render = time.perf_counter() - started
            total = len(model["nodes"]) + len(model["obs"])
            edges = len(model["edges"]) + sum(
                1 for o in model["obs"] for k in ("e", "m", "p") if o[k]
            )
            path = Path(tmp) / f"view-{size}.html"
            path.write_text(html, encoding="utf-8")
            runs = [measure(path, args.chromium) for _ in range(args.runs)]
            first = _spread([r["first"] for r in runs])
            settle = _spread([r["settle"] for r in runs])
            physics = "on, then off" if total <= PHYSICS_LIMIT else "off (layout in Python)"
            if model["focus"]:
                physics += ", one company"
            shown = int(statistics.median(r["shown"] for r in runs))
            labels = int(statistics.median(r["labels"] for r in runs))
            print(
                f"| {total:,} | {edges:,} | {physics} | {shown:,} | {labels} | {render:.2f} | "
                f"{len(html.encode()) / 1e6:.1f} MB | {first} | {settle} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
