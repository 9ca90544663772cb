"""The query page of ``xmgraph serve`` (YASGUI) in a real browser (Chromium, Playwright).

Typed queries, completion from the graph and its prefixes, a result cell, a named query
opened as a tab with its parameters, the chart; every request the page makes is recorded
and any that leaves loopback is aborted and fails the test. A graph whose texts carry
HTML and script payloads is shown as a table and as a chart, with the page's CSP and
without it (DOMPurify and escaping alone): nothing runs. Screenshots go to ``tmp/out/``.

Needs Chromium at /usr/bin/chromium (``.ci/system-deps`` installs it); without it they fail.
"""

from __future__ import annotations

import os
import time
import urllib.parse
from pathlib import Path

import pytest

from xmgraph import build_graph
from xmgraph import query as q
from xmgraph.serve import BackgroundServer

SHOTS = Path(__file__).resolve().parents[1] / "tmp" / "out"
PAYLOADS = [Path(__file__).parent / "data" / "view" / n for n in ("payload.ttl", "payload.txt")]
#: Seconds a page may take to do something (a loaded machine): a liveness guard only.
WAIT = float(os.environ.get("XMGRAPH_TEST_TIMEOUT", "60"))
LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")
GROSS_PROFIT_2024 = """
SELECT ?entity ?value WHERE {
  ?o xmg:entity ?entity ; xmg:metric metric:GrossProfit ;
     xmg:period/xmg:periodCode "2024" ; xmg:value ?value .
}"""


@pytest.fixture(scope="module")
def seed_server(seed_graph):
    with BackgroundServer(seed_graph, timeout=WAIT, workers=2) as url:
        yield url


@pytest.fixture(scope="module")
def payload_server():
    with BackgroundServer(build_graph(PAYLOADS), timeout=WAIT, workers=1) as url:
        yield url


class Editor:
    """The query page, opened in a fresh context: records console errors, dialogs and
    every request; one that leaves loopback is aborted (and recorded)."""

    def __init__(self, browser, url: str, *, bypass_csp: bool = False):
        self.context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, bypass_csp=bypass_csp
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.aborted: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.context.route("**/*", self._route)
        self.page.goto(url)
        self.wait("!!(window.xmgraphYasgui && xmgraphYasgui.getTab().getYasqe())")
        self.js(
            "() => { xmgraphYasgui.on('queryResponse', () => {"
            " window.answers = (window.answers || 0) + 1; }); }"
        )

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if urllib.parse.urlsplit(url).hostname in LOOPBACK:
            route.continue_()
        else:
            self.aborted.append(url)
            route.abort()

    def js(self, expression, arg=None):
        return self.page.evaluate(expression, arg)

    def wait(self, expression, arg=None):
        """Poll ``expression`` (the page's CSP forbids Playwright's wait_for_function)."""
        deadline = time.monotonic() + WAIT
        while True:
            value = self.js(expression, arg)
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail(f"the page never got to {expression} ({WAIT:g} s)")
            time.sleep(0.05)

    def active(self, selector: str) -> str:
        return f".tabPanel.active {selector}"

    def complete(self, expected: list[str]) -> None:
        """Ctrl+Space, and wait for the list of completions to be ``expected``. A list
        that typing opened (a prefix, as it is declared) is closed first."""
        self.js(
            "() => { const y = xmgraphYasgui.getTab().getYasqe();"
            " if (y.state.completionActive) y.state.completionActive.close(); }"
        )
        self.page.keyboard.press("Control+Space")
        shown = None
        deadline = time.monotonic() + WAIT
        while shown != expected:
            if time.monotonic() > deadline:
                text = self.js("xmgraphYasgui.getTab().getYasqe().getValue()")
                pytest.fail(f"completions {shown}, not {expected} ({WAIT:g} s) in {text!r}")
            time.sleep(0.05)
            shown = self.js(
                "[...document.querySelectorAll('.CodeMirror-hint')].map(e => e.textContent)"
            )

    def run(self) -> None:
        """Run the active tab's query (Ctrl+Enter in its editor), wait for the results."""
        self.js("xmgraphYasgui.getTab().getYasqe().focus()")
        before = self.js("window.answers || 0")
        self.page.keyboard.press("Control+Enter")
        self.wait(f"(window.answers || 0) > {before} && !!xmgraphYasgui.getTab().getYasr().results")

    def cells(self) -> list[str]:
        return self.js(
            f"[...document.querySelectorAll('{self.active('.yasr table.dataTable tbody td')}')]"
            ".map(td => td.textContent)"
        )

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / name))

    def assert_clean(self, *, sanitized: bool = False) -> None:
        """No error, dialog or request off loopback. ``sanitized``: the results carry
        inline handlers (``<svg onload>``), which DOMPurify parses in a document of its own
        where scripting is off: Chrome still checks them against the CSP there and logs
        the refusal. Those lines are let through; the same page without a CSP (the other
        run of the test) shows that nothing runs."""
        errors = self.errors
        if sanitized:
            errors = [e for e in errors if not e.startswith("Executing inline event handler")]
        assert errors == []
        assert self.dialogs == []
        assert self.aborted == []  # no request left loopback
        assert all(urllib.parse.urlsplit(u).hostname in LOOPBACK for u in self.requests)

    def close(self) -> None:
        self.context.close()


def test_typing_completing_and_running_a_query(browser, seed_server, seed_graph):
    """Type a query, complete a metric with Ctrl+Space from this graph (the prefix is
    declared as it is typed), run it and read the result; all on loopback."""
    expected = {
        (str(r["entity"]), str(r["value"])) for r in q.execute(seed_graph, GROSS_PROFIT_2024)
    }
    assert expected
    editor = Editor(browser, seed_server)
    try:
        editor.js(
            "() => { const y = xmgraphYasgui.getTab().getYasqe(); y.setValue(''); y.focus(); }"
        )
        keyboard = editor.page.keyboard
        for line in ("SELECT ?entity ?value WHERE {", "?o xmg:entity ?entity ;"):
            keyboard.type(line)
            keyboard.press("Enter")
        keyboard.type("xmg:metric metric:GrossPro")
        editor.wait(  # the prefix is declared as it is typed (asynchronously)
            "xmgraphYasgui.getTab().getYasqe().getValue().includes('PREFIX metric:')"
        )
        editor.complete(["metric:GrossProfit"])  # a metric of this graph
        keyboard.press("Enter")  # accept it
        keyboard.type(' ;\nxmg:period/xmg:periodCode "2024" ;\nxmg:value ?value .\n}')
        text = editor.js("xmgraphYasgui.getTab().getYasqe().getValue()")
        assert "xmg:metric metric:GrossProfit ;" in text
        assert "PREFIX metric: <https://w3id.org/xmgraph/metric/>" in text  # added as typed
        editor.run()
        editor.shot("serve-editor.png")
        cells = editor.cells()
        for entity, value in expected:
            assert q.compact(entity) in cells
            assert any(cell.startswith(f'"{value}"') for cell in cells), (value, cells)
        # completion of a property and of a prefix, both local
        editor.js(
            "() => { const y = xmgraphYasgui.getTab().getYasqe();"
            " y.setValue('SELECT * WHERE {\\n  ?o xmg:periodC'); y.focus();"
            " y.setCursor({line: 1, ch: 99}); }"
        )
        editor.complete(["xmg:periodCode"])
        keyboard.press("Escape")
        editor.js(
            "() => { const y = xmgraphYasgui.getTab().getYasqe(); y.setValue('PREFIX uni');"
            " y.focus(); y.setCursor({line: 0, ch: 99}); }"
        )
        editor.complete(["unit: <https://w3id.org/xmgraph/unit/>"])
        keyboard.press("Escape")
        editor.assert_clean()
    finally:
        editor.close()


def test_a_named_query_opens_as_a_tab_and_runs_with_its_parameters(
    browser, seed_server, seed_graph
):
    spec = q.named_query("metric_over_time")
    rows = q.run_query(
        seed_graph, spec.name, bindings=q.parse_params(["metric=metric:Revenue"], spec)
    )
    assert rows.rows
    editor = Editor(browser, seed_server)
    try:
        editor.page.click("#named button[data-query='metric_over_time']")
        assert editor.js("xmgraphYasgui.getTab().getName()") == "metric_over_time"
        names = editor.js("[...document.querySelectorAll('#params-fields input')].map(i => i.name)")
        assert names == [p.name for p in q.named_query("metric_over_time").parameters]
        editor.page.fill("#param-metric", "metric:Revenue")
        editor.run()
        sent = [u for u in editor.requests if "/queries/metric_over_time?" in u]
        assert sent  # run by name, its parameter bound by the server
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(sent[-1]).query)["metric"] == [
            "metric:Revenue"
        ]
        assert editor.js("xmgraphYasgui.getTab().getYasr().results.getBindings().length") == len(
            rows.rows
        )
        editor.page.click(editor.active(".yasr .select_chart"))
        editor.wait(f"!!document.querySelector('{editor.active('.xmg-chart canvas')}')")
        editor.shot("serve-chart.png")
        # the same button again selects the tab, not a new one
        editor.page.click("#named button[data-query='metric_over_time']")
        assert editor.js("Object.keys(xmgraphYasgui._tabs).length") == 2
        # once edited, the query runs as text on /sparql and its parameters are gone
        editor.js("xmgraphYasgui.getTab().getYasqe().setValue('ASK { ?s ?p ?o }')")
        assert editor.js("document.getElementById('params').hidden") is True
        editor.run()
        assert editor.js("xmgraphYasgui.getTab().getYasr().results.getBoolean()") is True
        editor.assert_clean()
    finally:
        editor.close()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "csp-bypassed"])
def test_payloads_in_results_run_no_script(browser, payload_server, bypass_csp):
    """Literals and IRIs carrying HTML and script, shown in the table, the response view
    and the chart (with the CSP, and without it: the escaping alone), run nothing."""
    editor = Editor(browser, payload_server, bypass_csp=bypass_csp)
    try:
        editor.js(
            "xmgraphYasgui.getTab().getYasqe().setValue("
            "'SELECT ?s ?text (STRLEN(STR(?text)) AS ?length) WHERE { ?s ?p ?text "
            'FILTER(isLiteral(?text) && CONTAINS(STR(?text), "<")) }\')'
        )
        editor.run()
        cells = editor.cells()
        assert "<img src=x onerror=alert(1)>" in " ".join(cells)  # shown, as text
        assert any("</script><script>window.__pwned=1</script>" in c for c in cells)
        for plugin in ("response", "chart", "table"):
            editor.page.click(editor.active(f".yasr .select_{plugin}"))
            time.sleep(0.3)
        editor.page.click(editor.active(".yasr .select_chart"))
        box = editor.wait(
            f"(() => {{ const c = document.querySelector('{editor.active('.xmg-chart')}');"
            " if (!c) return null; const r = c.getBoundingClientRect();"
            " return [r.left, r.top, r.width, r.height]; })()"
        )
        for step in range(1, 10):  # hover the bars: the tooltip is drawn, never HTML
            editor.page.mouse.move(box[0] + box[2] * step / 10, box[1] + box[3] * 0.6)
        editor.shot(f"serve-payloads-{'bypassed' if bypass_csp else 'csp'}.png")
        assert editor.js("typeof window.__pwned") == "undefined"
        injected = editor.js(
            "[...document.querySelectorAll('.yasr_results *')].filter(e =>"
            " ['IMG', 'SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(e.tagName) ||"
            " [...e.attributes].some(a => a.name.startsWith('on'))).map(e => e.outerHTML)"
        )
        assert injected == []
        editor.assert_clean(sanitized=True)
    finally:
        editor.close()
