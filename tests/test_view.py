"""The browser view without a browser: the page's data, its HTML, escaping, --query, CLI.

The page in a real browser is tested in test_view_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph

from xmgraph import view
from xmgraph.errors import XmgraphError
from xmgraph.view import (
    CLASSES,
    figure,
    highlights,
    json_for_script,
    period_label,
    render_model,
    render_view,
    view_model,
)

DATA = Path(__file__).parent / "data" / "view"
PAYLOADS = [DATA / "payload.ttl", DATA / "payload.txt"]


def xmgraph(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "xmgraph.cli", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
        env=dict(os.environ, COLUMNS="400", **(env or {})),  # paths printed unwrapped
    )


def assert_one_line_error(done, code):
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"xmgraph: error: {code}: "), lines[0]


@pytest.fixture(scope="module")
def payload_graph():
    from xmgraph import build_graph

    return build_graph(PAYLOADS)


@pytest.fixture(scope="module")
def seed_model(seed_graph):
    return view_model(seed_graph)


@pytest.fixture(scope="module")
def seed_html(seed_graph):
    return render_view(seed_graph)


# ---------------------------------------------------------------- figures, periods, highlights


@pytest.mark.parametrize(
    ("value", "unit", "en", "zh"),
    [
        ("76560000000", "CNY", "CNY 76.56 bn", "765.6亿元"),
        ("333200000000", "CNY", "CNY 333.2 bn", "3332亿元"),
        ("6200000000", "USD", "USD 6.2 bn", "62亿美元"),
        ("1500000000000", "CNY", "CNY 1.5 tn", "1.5万亿元"),
        ("350000", "vehicle", "350,000 vehicles", "35万辆"),
        ("1", "vehicle", "1 vehicle", "1辆"),
        ("21190", "person", "21,190 people", "2.119万人"),
        ("100000000", "km", "100 m km", "1亿公里"),
        ("0.35", "HKD", "HKD 0.35", "0.35港元"),
        ("-2300000000", "CNY", "CNY -2.3 bn", "-23亿元"),
        ("20.4", "percent", "20.4%", "20.4%"),
        ("1.4", "percentage-point", "1.4 pp", "1.4个百分点"),
        ("7", "widget", "7 widget", "7widget"),
    ],
)
def test_figures_as_people_read_them(value, unit, en, zh):
    assert figure(Decimal(value), unit, "en") == en
    assert figure(Decimal(value), unit, "zh") == zh


def test_period_labels_fall_back_to_the_code():
    assert period_label("2024-Q3", "en") == "Q3 2024"
    assert period_label("2024-06", "zh") == "2024年6月"
    assert period_label("2024-01-01/2024-09-30", "zh") == "2024年1月1日至2024年9月30日"
    assert period_label("<b>junk", "en") == "<b>junk"
    assert period_label("2024-13", "en") == "2024-13"


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "yoy", "marked"),
    [
        ("收入１，２８６.４億元，同比增長３５.１％。", "128640000000", "CNY", "35.1",
         ["１，２８６.４億元", "３５.１％"]),
        ("交付新車136854臺,2025全年交付目標提升至35萬臺", "350000", "vehicle", None, ["35萬臺"]),
        ("研發人員21190人", "21190", "person", None, ["21190人"]),
        ("經調整凈虧損 62 億元,毛利率提升至 20.4%", "20.4", "percent", None, ["20.4%"]),
        ("收入達到千億元", "100000000000", "CNY", None, []),
    ],
)  # fmt: skip
def test_the_figure_is_found_in_its_sentence(sentence, value, unit, yoy, marked):
    found = highlights(sentence, Decimal(value), unit, Decimal(yoy) if yoy else None)
    assert [sentence[a:b] for a, b, _ in found] == marked


# ---------------------------------------------------------------- the model


def test_node_count_matches_the_graph(seed_graph, seed_model, count):
    assert len(seed_model["nodes"]) + len(seed_model["obs"]) == count(seed_graph)
    observations = count(
        seed_graph,
        "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE "
        "{ ?o a <http://purl.org/linked-data/cube#Observation> }",
    )
    assert len(seed_model["obs"]) == observations > 20


def test_payload_graph_node_count(payload_graph, count):
    model = view_model(payload_graph)
    assert len(model["nodes"]) + len(model["obs"]) == count(payload_graph)


def test_every_class_has_its_own_colour_and_shape(seed_model):
    drawn = [k for k in CLASSES if k != "entity"]
    assert len({CLASSES[k][0] for k in drawn}) == len(drawn)
    assert len({CLASSES[k][1] for k in CLASSES}) == len(CLASSES)
    present = {n["cls"] for n in seed_model["nodes"]} | {"observation"}
    assert present >= {"company", "segment", "product", "person", "metric", "period"}


def test_observations_carry_what_the_tooltip_shows(seed_model):
    by_title = {o["title"]: o for o in seed_model["obs"]}
    smartphones = by_title["Revenue · Smartphones"]
    assert smartphones["fig"] == "CNY 191.8 bn / 1918亿元"
    assert smartphones["yoy"] == "+21.8%"
    assert smartphones["period"] == "2024"
    [source] = smartphones["src"]
    marked = [(source["text"][a:b], kind) for a, b, kind in source["hl"]]
    assert marked == [("1918 億元", "figure"), ("21.8%", "change")]
    target = next(o for o in seed_model["obs"] if "target" in o["quals"])
    assert "(target)" in target["label"]


def test_roles_are_one_labelled_edge(seed_model):
    person = next(n for n in seed_model["nodes"] if n["cls"] == "person")
    [edge] = [e for e in seed_model["edges"] if e["from"] == person["id"]]
    assert set(edge["label"].split(" · ")) == {"founder", "chairman", "chief executive officer"}


def test_engines_agree(seed_graph, payload_graph):
    for graph in (seed_graph, payload_graph):
        fast = view_model(graph, engine="oxigraph")
        slow = view_model(graph, engine="rdflib")
        assert json.dumps(fast, sort_keys=True) == json.dumps(slow, sort_keys=True)


def test_chinese_labels(seed_graph):
    model = view_model(seed_graph, lang="zh")
    labels = {n["label"] for n in model["nodes"]}
    assert {"小米集团", "雷军", "收入", "2024年"} <= labels
    assert model["ui"]["segment"] == "业务分部"
    smartphones = next(o for o in model["obs"] if o["title"] == "收入 · 智能手机")
    assert smartphones["fig"] == "1918亿元 / CNY 191.8 bn"
    with pytest.raises(XmgraphError, match="E050"):
        view_model(seed_graph, lang="fr")


def test_layout_is_computed_ahead_for_large_graphs(seed_graph, monkeypatch):
    monkeypatch.setattr(view, "PHYSICS_LIMIT", 10)
    monkeypatch.setattr(view, "FOCUS_LIMIT", 10)
    model = view_model(seed_graph)
    assert model["physics"] is False
    company = next(n for n in model["nodes"] if n["cls"] == "company")
    assert model["focus"] == company["id"]  # the only company: the one with the most figures
    points = [(n["x"], n["y"]) for n in model["nodes"] + model["obs"]]
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in points)
    assert len(set(points)) == len(points)  # no two nodes on the same spot
    assert all(n["size"] > 0 for n in model["nodes"] + model["obs"])


# ---------------------------------------------------------------- the HTML


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(html):
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


TEMPLATE_TAGS = {
    "html", "head", "meta", "link", "title", "style", "body", "div", "header", "h1", "form",
    "input", "datalist", "button", "label", "span", "select", "main", "aside", "section", "h2",
    "ul", "footer", "script",
}  # fmt: skip


def test_page_is_self_contained(seed_html):
    page = parse(seed_html)
    assert {tag for tag, _ in page.tags} <= TEMPLATE_TAGS
    for tag, attrs in page.tags:
        assert "src" not in attrs, (tag, attrs)  # every script is inline
        if tag == "link":
            assert attrs["href"].startswith("data:"), attrs
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", seed_html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", seed_html, re.I)
    assert "bootstrap" not in seed_html.lower()
    assert len(page.scripts) == 4  # data, vis-network, ECharts, view.js
    assert page.tags[0][0] == "html"
    # vis-network is pyvis's own copy, inlined
    js, _ = view._vis_assets()
    assert js[:2000] in seed_html
    assert "vis-network" in js[:200]


def test_content_security_policy_allows_only_the_pages_scripts(seed_html):
    page = parse(seed_html)
    [csp] = [a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp
    hashes = set(re.findall(r"'sha256-([^']+)'", csp))
    executable = page.scripts[1:]  # the first is the JSON data block
    expected = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in executable}
    assert hashes == expected
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_report_text_never_becomes_markup(payload_graph):
    html = render_view(payload_graph)
    page = parse(html)
    assert {tag for tag, _ in page.tags} <= TEMPLATE_TAGS  # no img, svg, iframe, marquee ...
    assert len(page.scripts) == 4
    data = page.scripts[0]
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in data
    model = json.loads(data)
    texts = json.dumps(model, ensure_ascii=False)
    assert "</script><script>window.__pwned=1</script>" in texts  # kept, as text
    assert "<img src=x onerror=alert(1)>" in texts
    outside = html
    for script in page.scripts:  # the data block is inert JSON; the others are our code
        outside = outside.replace(script, "")
    for payload in ("<img", "<svg", "<iframe", "window.__pwned", "onerror", "alert("):
        assert payload not in outside
        assert payload not in page.scripts[3]  # our own script
    assert page.scripts[1] == view._inline_script(view._vis_assets()[0])  # vis-network, as is
    charts = view._inline_script(view.vendored("echarts/echarts.common.min.js"))
    assert page.scripts[2] == charts  # ECharts, as is


def test_inline_scripts_cannot_close_their_element():
    """Our scripts are inlined with ``</script`` and ``<!--`` escaped (a mutant returning the
    code as it was survived the page tests: vis-network holds neither)."""
    code = 'a = "</SCRIPT><script>x</script>"; b = "<!--";'
    safe = view._inline_script(code)
    assert safe == 'a = "<\\/SCRIPT><script>x<\\/script>"; b = "<\\!--";'
    assert "</script" not in safe.lower()
    assert "<!--" not in safe


def test_json_for_script_escapes_what_could_close_the_element():
    nasty = {"a": "</script><!-- <script>", "b": "&amp;\u2028\u2029", "c": "<\u0000>"}
    text = json_for_script(nasty)
    assert not set(text) & set("<>&\u2028\u2029")
    assert json.loads(text) == nasty


def test_output_is_deterministic(seed_graph):
    model = view_model(seed_graph)
    assert render_model(model) == render_view(seed_graph)


def test_the_template_ships_in_the_package():
    from importlib import resources

    folder = resources.files("xmgraph") / "templates"
    for name in ("view.html", "view.js", "view.css"):
        assert (folder / name).is_file()


# ---------------------------------------------------------------- --query


def test_construct_draws_only_its_subgraph(seed_graph, tmp_path):
    rq = tmp_path / "revenue.rq"
    rq.write_text(
        """PREFIX xmg: <https://w3id.org/xmgraph/ont#>
        PREFIX metric: <https://w3id.org/xmgraph/metric/>
        CONSTRUCT { ?obs xmg:entity ?e ; xmg:metric ?m ; xmg:period ?p . }
        WHERE { ?obs xmg:entity ?e ; xmg:metric ?m ; xmg:period ?p .
                FILTER (?m = metric:Revenue) }""",
        encoding="utf-8",
    )
    model = view_model(seed_graph, query=str(rq))
    metrics = {n["label"] for n in model["nodes"] if n["cls"] == "metric"}
    assert metrics == {"Revenue"}
    assert model["obs"]
    assert all(o["title"].startswith("Revenue · ") for o in model["obs"])
    assert not [n for n in model["nodes"] if n["cls"] == "person"]
    everything = view_model(seed_graph)
    assert len(model["obs"]) < len(everything["obs"])


def test_select_draws_the_entities_of_its_results(seed_graph):
    model = view_model(seed_graph, query="revenue_by_segment")
    kinds = {n["cls"] for n in model["nodes"]}
    assert kinds == {"company", "segment"}
    assert not model["obs"]
    labels = {n["label"] for n in model["nodes"]}
    assert {"Xiaomi Group", "Smartphones", "Internet services"} <= labels
    assert any(e["kind"] == "structure" for e in model["edges"])


def test_select_of_observations_brings_their_dimensions(seed_graph):
    query = """PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX xmg: <https://w3id.org/xmgraph/ont#>
        SELECT ?obs WHERE { ?obs a qb:Observation ; xmg:yoyChange ?y }"""
    model = view_model(seed_graph, query=query)
    assert model["obs"]
    for o in model["obs"]:
        assert all((o["e"], o["m"], o["p"]))


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("ASK { ?s ?p ?o }", "E051"),
        ("no_such_query", "E021"),
        ("SELECT ?x WHERE { ?x", "E022"),
        ("missing/file.rq", "E001"),
    ],
)
def test_bad_queries(seed_graph, query, code):
    with pytest.raises(XmgraphError, match=code):
        view_model(seed_graph, query=query)


# ---------------------------------------------------------------- writing and the command


def test_write_view_is_atomic_and_never_overwrites(seed_graph, tmp_path):
    out = tmp_path / "graph.html"
    assert view.write_view(seed_graph, out) == out
    before = out.read_bytes()
    with pytest.raises(XmgraphError, match="E014"):
        view.write_view(seed_graph, out)
    assert out.read_bytes() == before
    view.write_view(seed_graph, out, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]  # no temp file left
    with pytest.raises(XmgraphError, match="E052"):
        view.write_view(seed_graph, tmp_path / "graph.txt")


def test_view_command(seed_path, tmp_path):
    out = tmp_path / "seed.html"
    done = xmgraph("view", seed_path, "-o", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}"
    html = out.read_text(encoding="utf-8")
    assert "Xiaomi Group" in html
    # an existing file is left alone without --force
    out.write_text("keep me", encoding="utf-8")
    assert_one_line_error(xmgraph("view", seed_path, "-o", out), "E014")
    assert out.read_text(encoding="utf-8") == "keep me"
    done = xmgraph("view", seed_path, "-o", out, "--force", "--lang", "zh")
    assert done.returncode == 0, done.stderr
    assert "小米集团" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--lang", "fr", "-o", "{d}/x.html"], "E050"),
        (["-o", "{d}/x.txt"], "E052"),
        ([], "E041"),
        (["-o", "{d}/x.html", "--query", "nope"], "E021"),
        (["-o", "{d}/x.html", "--query", "{d}/missing.rq"], "E001"),
    ],
)
def test_view_command_errors(seed_path, tmp_path, args, code):
    done = xmgraph("view", seed_path, *[a.format(d=tmp_path) for a in args])
    assert_one_line_error(done, code)
    assert not list(tmp_path.iterdir())


def test_view_command_is_byte_identical_across_processes(tmp_path):
    files = []
    for seed in ("1", "2"):
        out = tmp_path / f"graph-{seed}.html"
        done = xmgraph("view", *PAYLOADS, "-o", out, env={"PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        files.append(out.read_bytes())
    assert files[0] == files[1]


def test_demo_writes_the_view(tmp_path, count):
    done = xmgraph("demo", "-o", tmp_path)
    assert done.returncode == 0, done.stderr
    html = tmp_path / "xiaomi-2024.html"
    assert html.is_file()
    assert f"wrote {html}" in " ".join(done.stdout.split())
    graph = Graph().parse(tmp_path / "xiaomi-2024.ttl")
    data = parse(html.read_text(encoding="utf-8")).scripts[0]
    model = json.loads(data)
    assert len(model["nodes"]) + len(model["obs"]) == count(graph)


def test_help_does_not_load_the_view():
    code = "import sys, xmgraph.cli; print('rdflib' in sys.modules, 'xmgraph.view' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


# ---------------------------------------------------------------- conflicts and checks

CONFLICTING = [DATA / "conflict-2024-h1.txt", DATA / "conflict-2025-h1.txt"]


@pytest.fixture(scope="module")
def conflict_model():
    from xmgraph import build_graph

    return view_model(build_graph(CONFLICTING))


def test_observations_of_a_conflict_are_flagged_with_every_value(conflict_model):
    flagged = [o for o in conflict_model["obs"] if o.get("flag") == "conflict"]
    assert sorted(o["fig"].split(" / ")[0] for o in flagged) == [
        "CNY 319.37 bn",
        "CNY 329.25 bn",
    ]
    for o in flagged:
        assert o["period"] == "H1 2024"
        figs = {(d["fig"], d["file"]) for d in o["disputes"]}
        assert figs == {
            ("CNY 319.37 bn", "conflict-2025-h1.txt"),
            ("CNY 329.25 bn", "conflict-2024-h1.txt"),
        }
        assert all("营业收入" in d["text"] for d in o["disputes"])
    others = [o for o in conflict_model["obs"] if o not in flagged]
    assert others
    assert not any(o.get("flag") for o in others)


def test_observations_of_a_failed_check_are_flagged():
    from xmgraph.view import _mark_checks

    record = {"iri": "urn:o1", "fig": "1"}
    rows = {"urn:o1": [{"entity": "e", "metric": "m", "period": "p", "value": "1"}]}
    checks = [
        {"status": "inconsistent", "kind": "growth", "message": "10% stated, 12% implied",
         "observations": "urn:o1 urn:o2"},
        {"status": "consistent", "kind": "growth", "message": "fine", "observations": "urn:o1"},
    ]  # fmt: skip
    _mark_checks([record], rows, {}, {"consistency": checks}, "en")
    assert record["flag"] == "inconsistent"
    assert record["checks"] == [
        {"kind": "growth", "status": "inconsistent", "msg": "10% stated, 12% implied"}
    ]


def test_vendored_files_are_listed_with_their_licences():
    """Every vendored npm file is in templates/vendor/manifest.json with its name, version
    and licence, and its licence files ship beside it."""
    from importlib import resources

    folder = resources.files("xmgraph") / "templates" / "vendor"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = set()
    for package in manifest["packages"]:
        assert package["name"]
        assert package["version"]
        assert package["license"]
        for name in package["files"] + package["licence_files"]:
            assert (folder / name).is_file(), name
            listed.add(name)
    present = {f"{d.name}/{f.name}" for d in folder.iterdir() if d.is_dir() for f in d.iterdir()}
    assert present == listed
