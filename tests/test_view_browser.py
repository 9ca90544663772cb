"""The browser view in a real browser: Debian's Chromium driven by Playwright.

Every page is opened from a file with every other request aborted (and recorded: there
must be none), and must load without a console error. These tests never skip: without
Chromium (``apt-get install chromium``; ``.ci/run`` installs it) they fail.

A screenshot of the demo's view is saved as ``out/view-screenshot.png`` for people to look at,
and the label tests save theirs in ``tmp/out/`` (both folders are ignored by git).
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
import time
from pathlib import Path

import pytest

from xmgraph.view import render_view, write_view

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "view"
SCREENSHOT = ROOT / "out" / "view-screenshot.png"
SHOTS = ROOT / "tmp" / "out"

COUNT_REVENUE = """
PREFIX xmg:  <https://w3id.org/xmgraph/ont#>
PREFIX qb:   <http://purl.org/linked-data/cube#>
SELECT (COUNT(DISTINCT ?o) AS ?count) WHERE {
  ?o a qb:Observation ; xmg:metric <https://w3id.org/xmgraph/metric/Revenue> }
"""


class View:
    """A page of the view, opened offline; records console errors, requests, dialogs."""

    def __init__(self, browser, path: Path, *, bypass_csp: bool = False):
        self.context = browser.new_context(
            viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.context.route("**/*", self._route)
        self.aborted: list[str] = []
        self.page.goto(path.as_uri())
        self.wait("!!(window.xmgraph && xmgraph.stabilized && xmgraph.firstDrawMs !== null)")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.aborted.append(route.request.url)
            route.abort()

    def js(self, expression, arg=None):
        return self.page.evaluate(expression, arg)

    def wait(self, expression, timeout=60.0, arg=None):
        """Poll ``expression`` (the page's CSP forbids Playwright's wait_for_function)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(expression, arg)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {expression}")
            time.sleep(0.03)

    def point(self, node_id):
        """Where node ``node_id`` is on the screen."""
        return self.js(
            """(id) => {
                const p = network.getPositions([id])[id];
                const d = network.canvasToDOM(p);
                const r = document.getElementById('network').getBoundingClientRect();
                return [d.x + r.left, d.y + r.top];
            }""",
            node_id,
        )

    def edge_point(self, edge_id):
        return self.js(
            """(id) => {
                const d = network.canvasToDOM(network.body.edges[id].edgeType.getPoint(0.5));
                const r = document.getElementById('network').getBoundingClientRect();
                return [d.x + r.left, d.y + r.top];
            }""",
            edge_id,
        )

    def hover(self, x, y):
        self.page.mouse.move(x - 3, y - 3)
        self.page.mouse.move(x, y)

    def tooltip(self, timeout=3.0):
        """The text of the tooltip once it shows."""
        return self.wait(
            """() => { const t = document.querySelector('div.vis-tooltip');
                       return t && t.style.visibility === 'visible' && t.textContent; }""",
            timeout,
        )

    def visible(self):
        return self.js("xmgraph.visibleNodeIds()")

    def close(self):
        self.context.close()

    def assert_clean(self):
        assert self.errors == []
        assert self.dialogs == []
        assert self.aborted == []
        assert all(u.startswith(("file:", "data:")) for u in self.requests), self.requests


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory, seed_graph):
    path = tmp_path_factory.mktemp("view") / "xiaomi-2024.html"
    write_view(seed_graph, path)
    return path


@pytest.fixture
def page(browser, demo_page):
    view = View(browser, demo_page)
    yield view
    view.close()


def obs_id(view, title):
    return view.js("(t) => xmgraph.data.obs.find(o => o.title === t).id", title)


# ---------------------------------------------------------------- loading


def test_page_loads_offline_without_console_errors(page, seed_graph, count):
    expected = count(seed_graph)
    assert page.js("network.body.data.nodes.length") == expected
    assert len(page.visible()) == expected
    assert page.js("network.body.nodeIndices.length") == expected
    assert page.js("typeof window.network.getPositions") == "function"
    assert page.js("document.title").startswith("Xiaomi Group")
    assert page.js("xmgraph.firstDrawMs") < 10_000
    assert "Layout settled" in page.js("document.getElementById('layout-status').textContent")
    page.assert_clean()


def test_physics_stops_once_the_layout_settled(page):
    assert page.js("network.physics.physicsEnabled") is False
    before = page.js("JSON.stringify(network.getPositions())")
    time.sleep(0.5)
    assert page.js("JSON.stringify(network.getPositions())") == before


def test_legend_names_every_class(page):
    legend = page.js("document.getElementById('legend').textContent")
    for name in ("Company", "Segment", "Product", "Person", "Metric", "Period", "Observation"):
        assert name in legend


# ---------------------------------------------------------------- tooltips


def test_hovering_an_observation_shows_its_tooltip(page):
    node = obs_id(page, "Revenue · Smartphones")
    page.js("(id) => network.focus(id, {scale: 1.5})", node)
    page.hover(*page.point(node))
    text = page.tooltip()
    assert "CNY 191.8 bn / 1918亿元" in text
    assert "+21.8%" in text
    assert "2024" in text
    assert "xiaomi-2024-annual-results.txt" in text
    marks = page.js(
        "[...document.querySelectorAll('div.vis-tooltip mark')]"
        ".map(m => [m.className, m.textContent])"
    )
    assert marks == [["figure", "1918 億元"], ["change", "21.8%"]]
    page.assert_clean()


def test_hovering_an_entity_shows_its_tooltip(page):
    node = page.js("xmgraph.data.nodes.find(n => n.label === 'Lei Jun').id")
    page.js("(id) => network.focus(id, {scale: 1.5})", node)
    page.hover(*page.point(node))
    text = page.tooltip()
    assert "Lei Jun" in text
    assert "雷军" in text
    assert "founder" in text


# ---------------------------------------------------------------- controls


def test_metric_filter_hides_other_metrics(page, seed_graph, count):
    revenue = page.js(
        "xmgraph.data.nodes.find(n => n.cls === 'metric' && n.label === 'Revenue').id"
    )
    page.page.select_option("#filter-metric", revenue)
    shown = page.visible()
    obs = page.js("(ids) => ids.filter(id => xmgraph.data.obs.some(o => o.id === id))", shown)
    assert len(obs) == count(seed_graph, COUNT_REVENUE)
    assert page.js("(ids) => ids.every(id => xmgraph.data.obs.find(o => o.id === id).m === "
                   f"'{revenue}')", obs)  # fmt: skip
    metrics = page.js(
        "(ids) => ids.filter(id => "
        "(xmgraph.data.nodes.find(n => n.id === id) || {}).cls === 'metric')",
        shown,
    )
    assert metrics == [revenue]
    assert page.js("network.body.data.nodes.length") == len(shown)
    page.page.click("#reset")
    assert len(page.visible()) == count(seed_graph)
    page.assert_clean()


def test_segment_filter_keeps_the_segment_and_what_is_above_and_below_it(page):
    node = page.js("xmgraph.data.nodes.find(n => n.label === 'Smartphones').id")
    page.page.select_option("#filter-segment", node)
    labels = page.js(
        "xmgraph.visibleNodeIds().map(id => xmgraph.data.nodes.find(n => n.id === id))"
        ".filter(Boolean).filter(n => ['company','segment','product'].includes(n.cls))"
        ".map(n => n.label)"
    )
    assert sorted(labels) == ["Smartphone × AIoT", "Smartphones", "Xiaomi Group"]
    entities = page.js(
        "xmgraph.visibleNodeIds().map(id => xmgraph.data.obs.find(o => o.id === id))"
        ".filter(Boolean).map(o => o.e)"
    )
    assert entities
    assert set(entities) == {node}


def test_period_filter(page):
    q4 = page.js("xmgraph.data.nodes.find(n => n.cls === 'period' && n.code === '2024-Q4').id")
    page.page.select_option("#filter-period", q4)
    periods = page.js(
        "xmgraph.visibleNodeIds().map(id => xmgraph.data.nodes.find(n => n.id === id))"
        ".filter(n => n && n.cls === 'period').map(n => n.id)"
    )
    assert periods == [q4]
    assert page.js(
        "xmgraph.visibleNodeIds().map(id => xmgraph.data.obs.find(o => o.id === id))"
        f".filter(Boolean).every(o => o.p === '{q4}')"
    )


def test_legend_hides_a_class(page):
    page.page.uncheck("#legend-toggle-observation")
    assert not page.js(
        "xmgraph.visibleNodeIds().some(id => xmgraph.data.obs.some(o => o.id === id))"
    )
    page.page.check("#legend-toggle-observation")
    assert page.js("xmgraph.visibleNodeIds().some(id => xmgraph.data.obs.some(o => o.id === id))")


def test_search_finds_a_node_and_highlights_its_neighbourhood(page):
    page.page.fill("#search", "雷军")
    page.page.press("#search", "Enter")
    person = page.js("xmgraph.data.nodes.find(n => n.label === 'Lei Jun').id")
    assert page.js("network.getSelectedNodes()") == [person]
    company = page.js("xmgraph.data.nodes.find(n => n.label === 'Xiaomi Group').id")
    assert page.js("(id) => xmgraph.nodes.get(id).opacity", company) == 1
    dimmed = page.js("xmgraph.visibleNodeIds().filter(id => xmgraph.nodes.get(id).opacity < 1)")
    assert len(dimmed) == len(page.visible()) - 2
    assert "1 match" in page.js("document.getElementById('message').textContent")
    page.page.fill("#search", "no such thing")
    page.page.press("#search", "Enter")
    assert "No node" in page.js("document.getElementById('message').textContent")


def test_clicking_a_node_highlights_its_neighbourhood(page):
    node = page.js("xmgraph.data.nodes.find(n => n.label === 'Smartphones').id")
    page.js("(id) => network.focus(id, {scale: 1.2})", node)
    page.page.mouse.click(*page.point(node))
    assert page.js("network.getSelectedNodes()") == [node]
    near = set(page.js("(id) => network.getConnectedNodes(id)", node)) | {node}
    bright = {i for i in page.visible() if page.js("(id) => xmgraph.nodes.get(id).opacity", i) == 1}
    assert bright == near
    assert page.js("document.getElementById('details').textContent").startswith("Smartphones")
    # a click on the empty canvas clears it
    page.js("network.moveTo({position: {x: 1e5, y: 1e5}})")
    box = page.js(
        "JSON.parse(JSON.stringify(document.getElementById('network').getBoundingClientRect()))"
    )
    page.page.mouse.click(box["left"] + 5, box["top"] + 5)
    assert page.js("network.getSelectedNodes()") == []
    assert all(page.js("(id) => xmgraph.nodes.get(id).opacity", i) == 1 for i in near)


def test_screenshot(browser, demo_page, tmp_path):
    view = View(browser, demo_page)
    try:
        node = obs_id(view, "Revenue · Smartphones")
        view.page.mouse.click(*view.point(node))
        view.hover(*view.point(node))
        view.tooltip()
        shot = tmp_path / "view.png"
        view.page.screenshot(path=str(shot))
        assert shot.stat().st_size > 20_000
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
        view.assert_clean()
    finally:
        view.close()


# ---------------------------------------------------------------- report text stays text


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "csp-bypassed"])
def test_payloads_in_report_text_run_no_script(browser, tmp_path, bypass_csp):
    """Hover every node and every folded edge and click every node of a graph whose names
    and sentences carry HTML and script: nothing runs (also with the CSP turned off, so
    the escaping alone is tested)."""
    from xmgraph import build_graph

    path = tmp_path / "payload.html"
    path.write_text(
        render_view(build_graph([DATA / "payload.ttl", DATA / "payload.txt"])), encoding="utf-8"
    )
    view = View(browser, path, bypass_csp=bypass_csp)
    try:
        ids = view.visible()
        assert len(ids) >= 15
        for node in ids:
            view.js("(id) => network.focus(id, {scale: 1.2})", node)
            view.hover(*view.point(node))
            view.tooltip()
            view.page.mouse.click(*view.point(node))
        labels = view.js("xmgraph.data.nodes.map(n => n.label)")
        assert "<img src=x onerror=alert(1)>" in labels
        # the new widgets: the labels drawn over the canvas and the chart (opened by the
        # clicks above) carry the payloads as text only
        view.js("network.fit()")
        drawn = view.wait("xmgraph.labels().length && xmgraph.labels().map(l => l.text)")
        assert any("<" in text for text in drawn)
        assert "<img" not in view.js("document.getElementById('labels').innerHTML")
        assert view.js("document.getElementById('chart-box').hidden") is False
        assert view.js("xmgraph.chartPoints().length") > 0
        for name in ("chart-title", "chart-metric", "chart"):
            assert "<img" not in view.js(f"document.getElementById('{name}').innerHTML")
        details = view.js("document.getElementById('details').innerHTML")
        assert "<img" not in details
        assert "<script" not in details
        view.page.fill("#search", "<img")
        view.page.press("#search", "Enter")
        for select in ("#filter-segment", "#filter-metric", "#filter-period"):
            for value in view.js(
                f"[...document.querySelector('{select}').options].map(o => o.value)"
            ):
                view.page.select_option(select, value)
        time.sleep(0.3)
        assert view.js("typeof window.__pwned") == "undefined"
        assert (
            view.js(
                "document.querySelectorAll('img, svg:not(#legend svg), iframe, marquee').length"
            )
            == 0
        )
        view.assert_clean()
    finally:
        view.close()


# ---------------------------------------------------------------- Chinese, and a large graph


def test_chinese_page(browser, seed_graph, tmp_path):
    path = tmp_path / "zh.html"
    write_view(seed_graph, path, lang="zh")
    view = View(browser, path)
    try:
        assert view.js("document.getElementById('heading').textContent").startswith("小米集团")
        assert view.js("document.documentElement.lang") == "zh-Hans"
        node = obs_id(view, "收入 · 智能手机")
        view.js("(id) => network.focus(id, {scale: 1.5})", node)
        view.hover(*view.point(node))
        assert "1918亿元 / CNY 191.8 bn" in view.tooltip()
        view.assert_clean()
    finally:
        view.close()


@functools.cache
def _synthetic_graph(nodes):
    spec = importlib.util.spec_from_file_location(
        "view_render", ROOT / "benchmarks" / "view_render.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_graph(nodes)


def overlaps(labels):
    """The pairs of labels whose boxes overlap on the screen."""
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if (
                a["left"] < b["left"] + b["width"]
                and b["left"] < a["left"] + a["width"]
                and a["top"] < b["top"] + b["height"]
                and b["top"] < a["top"] + a["height"]
            ):
                out.append((a["text"], b["text"]))
    return out


@pytest.fixture(scope="module")
def synthetic_pages(tmp_path_factory):
    """Pages of synthetic graphs of 300 and 1,000 nodes (benchmarks/view_render.py)."""
    folder = tmp_path_factory.mktemp("synthetic")
    pages = {}
    for size in (300, 1000):
        pages[size] = folder / f"synthetic-{size}.html"
        pages[size].write_text(render_view(_synthetic_graph(size)), encoding="utf-8")
    return pages


def check_labels(view, name):
    """At first draw: labels of at least 11 px, none overlapping, every company named."""
    view.wait("xmgraph.labelCount !== undefined")
    time.sleep(0.2)
    labels = view.js("xmgraph.labels()")
    view.page.screenshot(path=str(SHOTS / f"labels-{name}.png"))
    assert len(labels) >= 20
    assert min(label["px"] for label in labels) >= 11
    assert min(label["height"] for label in labels) >= 11
    assert overlaps(labels) == []
    companies = view.js("xmgraph.data.nodes.filter(n => n.cls === 'company').map(n => n.id)")
    assert {label["id"] for label in labels} >= set(companies)
    return labels


def test_labels_are_readable_and_apart_on_the_demo(page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    labels = check_labels(page, "demo-76")
    texts = {label["text"] for label in labels}
    assert {"Xiaomi Group", "Smartphones", "Revenue"} <= texts
    # hovering an unlabelled node labels it
    shown = {label["id"] for label in labels}
    hidden = next(i for i in page.visible() if i not in shown)
    page.js("(id) => network.focus(id, {scale: network.getScale()})", hidden)
    page.hover(*page.point(hidden))
    page.wait("(id) => xmgraph.labels().some(l => l.id === id)", arg=hidden)
    assert overlaps(page.js("xmgraph.labels()")) == []
    page.assert_clean()


@pytest.mark.parametrize("size", [300, 1000])
def test_labels_are_readable_and_apart_on_large_graphs(browser, synthetic_pages, size):
    SHOTS.mkdir(parents=True, exist_ok=True)
    view = View(browser, synthetic_pages[size])
    try:
        assert view.js("network.body.data.nodes.length") == size
        labels = check_labels(view, f"synthetic-{size}")
        before = len(labels)
        view.js("network.moveTo({scale: network.getScale() * 3})")  # zoom in: more labels
        view.wait("(n) => xmgraph.labels().length > 0 && xmgraph.labelCount !== n", arg=before)
        assert overlaps(view.js("xmgraph.labels()")) == []
        if size == 1000:
            assert view.js("network.physics.physicsEnabled") is False
        view.assert_clean()
    finally:
        view.close()


def test_a_large_graph_opens_on_one_company_and_expands_on_click(browser, tmp_path, monkeypatch):
    from xmgraph import view as view_module

    monkeypatch.setattr(view_module, "FOCUS_LIMIT", 500)
    path = tmp_path / "focus.html"
    path.write_text(render_view(_synthetic_graph(1000)), encoding="utf-8")
    view = View(browser, path)
    try:
        focus = view.js("xmgraph.data.focus")
        shown = set(view.visible())
        assert focus in shown
        assert len(shown) < 1000
        companies = view.js("xmgraph.data.nodes.filter(n => n.cls === 'company').map(n => n.id)")
        assert set(companies) <= shown
        other = next(c for c in companies if c != focus)
        below = view.js(
            "(c) => xmgraph.data.nodes.filter(n => (n.anc || []).includes(c)).map(n => n.id)",
            other,
        )
        assert below
        assert not set(below) & shown
        view.js("(id) => network.focus(id, {scale: 1})", other)
        view.page.mouse.click(*view.point(other))
        view.wait("(ids) => ids.every(id => xmgraph.visibleNodeIds().includes(id))", arg=below)
        assert overlaps(view.js("xmgraph.labels()")) == []
        view.assert_clean()
    finally:
        view.close()


# ---------------------------------------------------------------- conflicts and checks


@pytest.fixture(scope="module")
def conflict_page(tmp_path_factory):
    """Two reports that disagree on H1 2024 revenue, their checks recorded (growth rates
    that fail, values derived); one's sentence carries script."""
    from xmgraph import build_graph, check_graph

    path = tmp_path_factory.mktemp("conflict") / "conflict.html"
    graph = build_graph([DATA / "conflict-2024-h1.txt", DATA / "conflict-2025-h1.txt"])
    check_graph(graph, record=True)
    write_view(graph, path)
    return path


def test_a_conflict_is_marked_and_its_values_shown(browser, conflict_page):
    """The ⚠ button finds each disputed figure; its node has a red border, its label is
    red, and the side panel gives each value with its report and sentence. The sentence
    carries HTML and script (CSP off): it stays text."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    view = View(browser, conflict_page, bypass_csp=True)
    try:
        flagged = view.js("xmgraph.data.obs.filter(o => o.flag).map(o => [o.id, o.flag])")
        assert {flag for _, flag in flagged} == {"conflict", "inconsistent"}
        assert view.js("document.getElementById('flags').textContent") == (
            f"⚠ {len(flagged)} disputed"
        )
        seen = {}
        for _ in flagged:  # the button steps through every flagged observation
            view.page.click("#flags")
            selected = view.js("network.getSelectedNodes()[0]")
            seen[selected] = view.js("document.getElementById('details').textContent")
        assert set(seen) == {i for i, _ in flagged}
        inconsistent = next(i for i, flag in flagged if flag == "inconsistent")
        assert "Fails a check" in seen[inconsistent]
        assert "growth" in seen[inconsistent]
        selected = next(i for i, flag in flagged if flag == "conflict")
        view.js("(id) => xmgraph.highlight(id)", selected)
        assert view.js("(id) => network.body.nodes[id].options.color.border", selected) == (
            "#d1242f"
        )
        view.js("(id) => network.focus(id, {scale: 1.2})", selected)
        view.wait("(id) => xmgraph.labels().some(l => l.id === id)", arg=selected)
        color = view.js(
            "(id) => getComputedStyle(document.querySelector(`#labels [data-id='${id}']`)).color",
            selected,
        )
        assert color == "rgb(180, 35, 24)"
        details = view.js("document.getElementById('details').textContent")
        assert "Reports disagree" in details
        assert "CNY 319.37 bn" in details
        assert "CNY 329.25 bn" in details
        assert "conflict-2024-h1.txt" in details
        assert "conflict-2025-h1.txt" in details
        assert "<img src=x onerror=window.__pwned=1>" in details  # as text
        other = next(i for i, flag in flagged if flag == "conflict" and i != selected)
        view.js("(id) => network.focus(id, {scale: 1.2})", other)  # no animation
        view.hover(*view.point(other))
        assert "Reports disagree" in view.tooltip()
        view.page.screenshot(path=str(SHOTS / "conflict.png"))
        assert view.js("typeof window.__pwned") == "undefined"
        assert view.js("document.querySelectorAll('img, iframe, script[src]').length") == 0
        view.assert_clean()
    finally:
        view.close()


# ---------------------------------------------------------------- the chart of a metric


def test_clicking_an_observation_opens_its_metric_over_time(browser, conflict_page):
    """Revenue of the company and its segments: actuals solid, the target dashed, the
    forecast range a band, the disputed figure's other value a point of its own; hovering
    a point shows its source sentence (which carries script, CSP off: it stays text)."""
    view = View(browser, conflict_page, bypass_csp=True)
    try:
        node = view.js("xmgraph.data.obs.find(o => o.flag && o.fig.startsWith('CNY 319.37 bn')).id")
        view.page.mouse.click(*view.point(node))
        view.wait("document.getElementById('chart-box').hidden === false")
        assert view.js("document.getElementById('chart-title').textContent") == (
            "Revenue: 星科新能源汽车有限公司 and its parts"
        )
        points = view.js("xmgraph.chartPoints()")
        company = "星科新能源汽车有限公司"
        actual = [(p["period"], p["value"]) for p in points if p["series"] == company]
        assert actual == [
            ("H1 2023", 275080000000),
            ("H1 2024", 319370000000),
            ("H1 2025", 402270000000),
        ]
        assert not any(p["dashed"] for p in points if p["kind"] == "actual")
        [plan] = [p for p in points if p["kind"] == "plan"]
        assert (plan["period"], plan["value"], plan["dashed"]) == ("2024", 700000000000, True)
        band = [p for p in points if p["kind"] in ("range-base", "range")]
        assert {(p["kind"], p["period"], p["value"]) for p in band} == {
            ("range-base", "Q3 2024", 170000000000),
            ("range", "Q3 2024", 10000000000),  # stacked: upper minus lower
        }
        assert [p["band"] for p in band if p["kind"] == "range"] == [True]
        [other] = [p for p in points if p["kind"] == "other-value"]
        assert (other["period"], other["value"]) == ("H1 2024", 329250000000)
        segments = {p["series"] for p in points if p["kind"] == "actual"} - {company}
        assert segments == {"汽车", "能源服务"}
        assert {p["period"] for p in points if p["derived"]} == {"H1 2023"}  # segments' 2023
        # hover the 2024 target's ... and the disputed point: the tooltip has the sentence
        x, y = view.js(
            """(id) => {
                const o = xmgraph.data.obs.find(o => o.id === id);
                const opt = xmgraph.echart.getOption();
                const i = opt.xAxis[0].data.indexOf(o.period);
                const p = xmgraph.echart.convertToPixel({seriesIndex: 0}, [i, o.v]);
                const r = document.getElementById('chart').getBoundingClientRect();
                return [p[0] + r.left, p[1] + r.top];
            }""",
            node,
        )
        view.hover(x, y)
        text = view.wait(
            "(() => { const t = [...document.querySelectorAll('#chart div')].find("
            "d => d.querySelector && d.querySelector('.tip')); return t && t.textContent; })()"
        )
        assert "CNY 319.37 bn" in text
        assert "<img src=x onerror=window.__pwned=1>" in text
        view.page.screenshot(path=str(SHOTS / "chart.png"))
        # another metric from the chart's menu
        metric = view.js(
            "xmgraph.data.nodes.find(n => n.cls === 'metric' && n.label === 'R&D expense').id"
        )
        view.page.select_option("#chart-metric", metric)
        rnd = view.js("xmgraph.chartPoints()")
        assert {(p["period"], p["derived"]) for p in rnd} == {("H1 2024", False), ("H1 2023", True)}
        assert 16294000000 in {p["value"] for p in rnd}
        assert view.js("typeof window.__pwned") == "undefined"
        assert view.js("document.querySelectorAll('img, iframe').length") == 0
        view.assert_clean()
    finally:
        view.close()


def test_clicking_a_metric_or_an_entity_opens_a_chart(page):
    revenue = page.js(
        "xmgraph.data.nodes.find(n => n.cls === 'metric' && n.label === 'Revenue').id"
    )
    page.js("(id) => network.focus(id, {scale: 1.2})", revenue)
    page.page.mouse.click(*page.point(revenue))
    page.wait("document.getElementById('chart-box').hidden === false")
    points = page.js("xmgraph.chartPoints()")
    series = {p["series"] for p in points}
    assert {"Xiaomi Group", "Smartphones"} <= series
    assert ("Q4 2024", 109000000000) in {
        (p["period"], p["value"]) for p in points if p["series"] == "Xiaomi Group"
    }
    page.page.click("#chart-close")
    assert page.js("document.getElementById('chart-box').hidden")
    page.assert_clean()
