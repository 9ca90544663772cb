// The query page of `xmgraph serve`: YASGUI (vendored, served by this server) with
// completions from this graph and its prefixes only, the named queries as tabs with their
// parameters, and results as a table (YASR's) or a chart (the vendored ECharts, drawn on a
// canvas). Nothing is fetched from elsewhere: the remote lookups of YASQE (prefix.cc, LOV)
// are replaced by local ones, and the page's Content-Security-Policy allows 'self' only.
// What this file puts on the page goes in as textContent, never parsed as HTML.
"use strict";

(function () {
  const Yasgui = window.Yasgui;
  const Yasqe = Yasgui.Yasqe;
  const Yasr = Yasgui.Yasr;
  const queries = JSON.parse(document.getElementById("named-queries").textContent);
  const PREFIXES = JSON.parse(document.getElementById("prefixes").textContent);
  const ENDPOINT = new URL("/sparql", window.location.href).toString();
  const NUMERIC = new Set([
    "integer", "decimal", "double", "float", "int", "long", "short",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
  ].map((t) => "http://www.w3.org/2001/XMLSchema#" + t));
  const DEFAULT_QUERY = [
    "PREFIX xmg: <https://w3id.org/xmgraph/ont#>",
    "",
    "SELECT ?entity ?metric ?period ?value",
    "WHERE {",
    "  ?obs xmg:entity ?entity ;",
    "       xmg:metric ?metric ;",
    "       xmg:period/xmg:periodCode ?period ;",
    "       xmg:value ?value .",
    "}",
    "ORDER BY ?entity ?metric ?period",
    "LIMIT 100",
  ].join("\n");
  // The terms of the graph, for completion: asked of this endpoint once per page.
  const TERMS_QUERY = [
    "SELECT DISTINCT ?kind ?term WHERE {",
    '  { ?s a ?term BIND("class" AS ?kind) }',
    '  UNION { ?term a owl:Class BIND("class" AS ?kind) }',
    '  UNION { ?s ?term ?o BIND("property" AS ?kind) }',
    '  UNION { ?term a rdf:Property BIND("property" AS ?kind) }',
    '  UNION { ?term a owl:ObjectProperty BIND("property" AS ?kind) }',
    '  UNION { ?term a owl:DatatypeProperty BIND("property" AS ?kind) }',
    '  UNION { ?term a xmg:Metric BIND("metric" AS ?kind) }',
    '  UNION { ?o xmg:metric ?term BIND("metric" AS ?kind) }',
    "  FILTER(isIRI(?term))",
    "}",
  ].join("\n");

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  // ------------------------------------------------------------ completion, all local

  let terms = null;
  function loadTerms() {
    if (terms) return terms;
    const body = new URLSearchParams({ query: TERMS_QUERY }).toString();
    terms = fetch(ENDPOINT, {
      method: "POST",
      headers: {
        Accept: "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: body,
    })
      .then((response) => (response.ok ? response.json() : { results: { bindings: [] } }))
      .then((data) => {
        const found = { class: new Set(), property: new Set(), metric: new Set() };
        for (const row of data.results.bindings) found[row.kind.value].add(row.term.value);
        const sorted = {};
        for (const kind in found) sorted[kind] = Array.from(found[kind]).sort();
        return sorted;
      })
      .catch(() => ({ class: [], property: [], metric: [] }));
    return terms;
  }

  // The prefixes a query may use: the predeclared ones and its own PREFIX lines.
  function knownPrefixes(yasqe) {
    return Object.assign({}, PREFIXES, yasqe.getPrefixesFromQuery());
  }

  // The token as a full IRI to complete (the trie holds IRIs), as YASQE's own
  // preprocessing does, but knowing the predeclared prefixes too.
  function iriToken(yasqe, token) {
    const prefixes = knownPrefixes(yasqe);
    let text = token.string.trim();
    if (text.indexOf("<") < 0 && text.indexOf(":") > -1) {
      const prefix = text.substring(0, text.indexOf(":"));
      token.tokenPrefix = prefix + ":";
      if (prefixes[prefix] !== undefined) {
        token.tokenPrefixUri = prefixes[prefix];
        text = prefixes[prefix] + text.substring(prefix.length + 1);
      }
    }
    if (text.startsWith("<")) text = text.substring(1);
    if (text.endsWith(">")) text = text.substring(0, text.length - 1);
    token.autocompletionString = text;
    return token;
  }

  // A completed IRI as a prefixed name where a known prefix fits, else as <IRI>.
  function shortIri(yasqe, token, iri) {
    if (token.tokenPrefix && token.tokenPrefixUri && iri.startsWith(token.tokenPrefixUri)) {
      return token.tokenPrefix + iri.substring(token.tokenPrefixUri.length);
    }
    const prefixes = knownPrefixes(yasqe);
    let best = "";
    for (const prefix in prefixes) {
      const ns = prefixes[prefix];
      if (iri.startsWith(ns) && ns.length > (prefixes[best] || "").length) best = prefix;
    }
    const local = best ? iri.substring(prefixes[best].length) : "";
    if (best && /^[A-Za-z0-9_-]*$/.test(local)) return best + ":" + local;
    return "<" + iri + ">";
  }

  function isName(token) {
    return token.string.length > 0 && token.string[0] !== "?" && token.string[0] !== "$";
  }

  function lastProperty(yasqe, token) {
    const cursor = yasqe.getDoc().getCursor();
    const previous = yasqe.getPreviousNonWsToken(cursor.line, token);
    return previous && previous.state ? previous.state.lastProperty : "";
  }

  const TYPE_PROPERTIES = ["a", "rdf:type", "rdfs:domain", "rdfs:range"];

  function termCompleter(name, kind, isValid) {
    return {
      name: name,
      bulk: true,
      autoShow: false,
      persistenceId: null,
      // All of them for the trie; those a token starts, asked before the trie is built.
      get: (yasqe, token) => loadTerms().then((found) => !token ? found[kind]
        : found[kind].filter((t) => t.startsWith(token.autocompletionString || token.string))),
      isValidCompletionPosition: isValid,
      preProcessToken: iriToken,
      postProcessSuggestion: shortIri,
    };
  }

  Yasqe.forkAutocompleter("prefixes", {
    name: "local-prefixes",
    persistenceId: null,
    get: () => Object.keys(PREFIXES).sort().map((p) => p + ": <" + PREFIXES[p] + ">"),
  }, false);
  Yasqe.registerAutocompleter(termCompleter("local-property", "property", (yasqe) => {
    const token = yasqe.getCompleteToken();
    return token.string.length === 0 || !isName(token)
      ? false : token.state.possibleCurrent.indexOf("a") >= 0;
  }), false);
  Yasqe.registerAutocompleter(termCompleter("local-class", "class", (yasqe) => {
    const token = yasqe.getCompleteToken();
    return isName(token) && TYPE_PROPERTIES.includes(lastProperty(yasqe, token));
  }), false);
  Yasqe.registerAutocompleter(termCompleter("local-metric", "metric", (yasqe) => {
    const token = yasqe.getCompleteToken();
    if (!isName(token) || token.state.possibleCurrent.indexOf("a") >= 0) return false;
    const property = lastProperty(yasqe, token);
    if (TYPE_PROPERTIES.includes(property)) return false;
    return property === "xmg:metric" || token.string.startsWith("metric:");
  }), false);
  const COMPLETERS = ["local-prefixes", "variables", "local-property", "local-class", "local-metric"];

  // ------------------------------------------------------------ the chart (ECharts)

  function chartData(results) {
    const vars = results.getVariables();
    const rows = results.getBindings();
    const numeric = vars.filter((v) => rows.length > 0 && rows.every((row) =>
      !row[v] || (row[v].type !== "uri" && NUMERIC.has(row[v].datatype))));
    const labels = vars.filter((v) => !numeric.includes(v));
    return { vars, rows, numeric: numeric.filter((v) => rows.some((row) => row[v])), labels };
  }

  function compact(binding) {
    if (!binding) return "";
    if (binding.type !== "uri") return binding.value;
    for (const prefix in PREFIXES) {
      if (binding.value.startsWith(PREFIXES[prefix])) {
        return prefix + ":" + binding.value.substring(PREFIXES[prefix].length);
      }
    }
    return binding.value;
  }

  class Chart {
    constructor(yasr) {
      this.yasr = yasr;
      this.priority = 5;
      this.label = "Chart";
      this.chart = null;
    }

    canHandleResults() {
      const results = this.yasr.results;
      if (!results || typeof results.getVariables !== "function") return false;
      if (results.getBoolean() !== undefined && results.getBoolean() !== null) return false;
      const vars = results.getVariables();
      return Array.isArray(vars) && vars.length > 0 && chartData(results).numeric.length > 0;
    }

    draw() {
      const data = chartData(this.yasr.results);
      const box = el("div", "xmg-chart");
      this.yasr.resultsEl.appendChild(box);
      const categories = data.rows.map((row, i) =>
        data.labels.map((v) => compact(row[v])).join(" · ") || String(i + 1));
      const series = data.numeric.map((v) => ({
        name: v,
        type: data.rows.length > 40 ? "line" : "bar",
        data: data.rows.map((row) => (row[v] ? Number(row[v].value) : null)),
      }));
      this.chart = window.echarts.init(box, null, { renderer: "canvas" });
      this.chart.setOption({
        animation: false,
        // richText: the tooltip is drawn on the canvas, never as HTML.
        tooltip: { trigger: "axis", renderMode: "richText" },
        legend: { data: data.numeric },
        grid: { left: 20, right: 30, bottom: 20, containLabel: true },
        xAxis: { type: "category", data: categories, axisLabel: { rotate: 35, width: 160, overflow: "truncate" } },
        yAxis: { type: "value", scale: true },
        dataZoom: data.rows.length > 40 ? [{ type: "slider" }] : [],
        series: series,
      });
    }

    getIcon() {
      const ns = "http://www.w3.org/2000/svg";
      const svg = document.createElementNS(ns, "svg");
      svg.setAttribute("viewBox", "0 0 16 16");
      svg.setAttribute("width", "14");
      svg.setAttribute("height", "14");
      for (const [x, h] of [[1, 6], [6, 11], [11, 8]]) {
        const bar = document.createElementNS(ns, "rect");
        bar.setAttribute("x", String(x));
        bar.setAttribute("y", String(15 - h));
        bar.setAttribute("width", "4");
        bar.setAttribute("height", String(h));
        svg.appendChild(bar);
      }
      const icon = el("div", "xmg-chart-icon");
      icon.appendChild(svg);
      return icon;
    }

    destroy() {
      if (this.chart) this.chart.dispose();
      this.chart = null;
    }
  }
  Yasr.registerPlugin("chart", Chart);

  // ------------------------------------------------------------ the named queries as tabs

  const params = document.getElementById("params");
  const paramsFields = document.getElementById("params-fields");
  const paramsQuery = document.getElementById("params-query");
  const named = {}; // tab id -> named query
  const values = {}; // tab id -> { parameter: value }
  let yasgui = null;

  // The named query a tab runs as such (its text unchanged), else null: then it runs
  // as text on /sparql, and its parameters no longer apply.
  function namedOf(tab) {
    if (!tab) return null;
    const query = named[tab.getId()];
    if (!query) return null;
    const yasqe = tab.getYasqe();
    const text = yasqe ? yasqe.getValue() : tab.getQuery();
    return text === query.text ? query : null;
  }

  function showParams() {
    const tab = yasgui.getTab();
    const query = namedOf(tab);
    paramsFields.replaceChildren();
    params.hidden = !query || query.parameters.length === 0;
    if (params.hidden) return;
    paramsQuery.textContent = query.name;
    const own = values[tab.getId()];
    for (const p of query.parameters) {
      const row = el("div", "param");
      const id = "param-" + p.name;
      const label = el("label", "", "?" + p.name + " (" + p.kind + ")");
      label.htmlFor = id;
      const input = el("input");
      input.id = id;
      input.name = p.name;
      input.placeholder = p.description;
      input.title = p.description;
      input.value = own[p.name] || "";
      input.addEventListener("input", () => { own[p.name] = input.value; });
      row.append(label, input);
      paramsFields.append(row);
    }
  }

  function open(query) {
    for (const id in named) {
      if (named[id] === query && yasgui.getTab(id)) {
        yasgui.selectTabId(id);
        showParams();
        return;
      }
    }
    const tab = yasgui.addTab(true, { name: query.name, yasqe: { value: query.text } });
    named[tab.getId()] = query;
    values[tab.getId()] = {};
    showParams();
    const yasqe = tab.getYasqe();
    if (yasqe) yasqe.on("change", showParams);
  }

  function parameterArgs(tab) {
    const query = namedOf(tab);
    if (!query) return [];
    const own = values[tab.getId()] || {};
    return query.parameters
      .filter((p) => (own[p.name] || "").trim() !== "")
      .map((p) => ({ name: p.name, value: own[p.name].trim() }));
  }

  yasgui = new Yasgui(document.getElementById("yasgui"), {
    persistenceId: null,
    populateFromUrl: false,
    copyEndpointOnNewTab: false,
    autofocus: true,
    tabName: "Query",
    corsProxy: undefined,
    endpointCatalogueOptions: {
      getData: () => [{ endpoint: ENDPOINT }],
      keys: [],
      renderItem: (item, root) => root.appendChild(el("span", "", item.value.endpoint)),
    },
    requestConfig: {
      endpoint: ENDPOINT,
      method: "POST",
      args: [],
      // A named query runs by its name: its text stays here (the server has it).
      adjustQueryBeforeRequest: (yasqe) => (namedOf(yasgui.getTab()) ? "" : yasqe.getValue()),
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
      namedGraphs: [],
      defaultGraphs: [],
      headers: {},
    },
    yasqe: {
      value: DEFAULT_QUERY,
      autocompleters: COMPLETERS,
      persistenceId: null,
      prefixCcApi: null,
      createShortLink: undefined,
      resizeable: true,
      editorHeight: "320px",
    },
    yasr: {
      persistenceId: null,
      prefixes: PREFIXES,
      defaultPlugin: "table",
      pluginOrder: ["table", "chart", "response"],
    },
  });
  // Just before a tab's query is sent: by name with its parameters (GET /queries/NAME),
  // or as text (POST /sparql) once edited.
  yasgui.on("queryBefore", (y, tab) => {
    const query = namedOf(tab);
    tab.setRequestConfig(query ? {
      endpoint: new URL("/queries/" + encodeURIComponent(query.name), ENDPOINT).toString(),
      method: "GET",
      args: parameterArgs(tab),
    } : { endpoint: ENDPOINT, method: "POST", args: [] });
  });
  yasgui.on("tabSelect", () => window.setTimeout(showParams, 0));
  yasgui.on("tabClose", (y, tab) => {
    delete named[tab.getId()];
    delete values[tab.getId()];
    window.setTimeout(showParams, 0);
  });
  const first = yasgui.getTab();
  if (first && first.getYasqe()) first.getYasqe().on("change", showParams);
  loadTerms();

  const list = document.getElementById("query-list");
  for (const query of queries) {
    const item = el("li");
    const button = el("button");
    button.type = "button";
    button.dataset.query = query.name;
    button.append(el("span", "name", query.name), el("span", "title", query.title));
    button.addEventListener("click", () => open(query));
    item.append(button);
    list.append(item);
  }
  window.xmgraphYasgui = yasgui; // for the tests and the console
})();
