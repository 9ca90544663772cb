// The query page of `xmgraph serve`. Everything that comes from the graph, the queries or
// the user is put on the page with textContent, never parsed as HTML: it cannot become markup.
"use strict";

(function () {
  const NUMERIC = new Set([
    "integer", "decimal", "double", "float", "int", "long", "short",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
  ].map((t) => "http://www.w3.org/2001/XMLSchema#" + t));
  const ACCEPT = {
    table: "application/sparql-results+json, text/turtle;q=0.9",
    json: "application/sparql-results+json, application/ld+json;q=0.9",
    xml: "application/sparql-results+xml, application/rdf+xml;q=0.9",
    csv: "text/csv",
    tsv: "text/tab-separated-values",
    turtle: "text/turtle",
  };

  const queries = JSON.parse(document.getElementById("named-queries").textContent);
  const text = document.getElementById("query-text");
  const form = document.getElementById("query-form");
  const format = document.getElementById("format");
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const params = document.getElementById("params");
  const paramsFields = document.getElementById("params-fields");
  const paramsQuery = document.getElementById("params-query");
  let current = null; // the named query in the editor, if any

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function choose(query, button) {
    current = query;
    text.value = query.text;
    for (const b of document.querySelectorAll("nav button")) b.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-pressed", "true");
    paramsFields.replaceChildren();
    params.hidden = query.parameters.length === 0;
    paramsQuery.textContent = query.name;
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
      row.append(label, input);
      paramsFields.append(row);
    }
  }

  const list = document.getElementById("query-list");
  for (const query of queries) {
    const item = el("li");
    const button = el("button");
    button.type = "button";
    button.setAttribute("aria-pressed", "false");
    button.append(el("span", "name", query.name), el("span", "title", query.title));
    button.addEventListener("click", () => choose(query, button));
    item.append(button);
    list.append(item);
  }

  text.addEventListener("input", () => {
    if (current && text.value !== current.text) {
      params.hidden = true; // an edited query runs as text: its parameters no longer apply
    } else if (current) {
      params.hidden = current.parameters.length === 0;
    }
  });

  function cell(binding) {
    const td = el("td");
    if (!binding) return td;
    td.textContent = binding.value;
    if (binding.type === "uri") td.className = "iri";
    if (binding.type === "literal" && NUMERIC.has(binding.datatype)) {
      td.className = "num";
      const n = Number(binding.value);
      if (Number.isFinite(n) && Math.abs(n) >= 10000 && /^-?\d+(\.\d+)?$/.test(binding.value)) {
        const [whole, frac] = binding.value.split(".");
        td.textContent = BigInt(whole).toLocaleString("en-US") + (frac ? "." + frac : "");
      }
    }
    if (binding["xml:lang"]) td.title = "@" + binding["xml:lang"];
    else if (binding.datatype) td.title = binding.datatype;
    return td;
  }

  function showTable(data) {
    if ("boolean" in data) {
      result.replaceChildren(el("pre", "", String(data.boolean)));
      return "ASK: " + data.boolean;
    }
    const vars = data.head.vars || [];
    const table = el("table");
    const head = el("tr");
    for (const v of vars) head.append(el("th", "", v));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    for (const row of data.results.bindings) {
      const tr = el("tr");
      for (const v of vars) tr.append(cell(row[v]));
      tbody.append(tr);
    }
    table.append(thead, tbody);
    result.replaceChildren(table);
    const n = data.results.bindings.length;
    return n + (n === 1 ? " row" : " rows");
  }

  async function run(event) {
    if (event) event.preventDefault();
    const fmt = format.value;
    let url = "/sparql";
    const init = { method: "POST", headers: { Accept: ACCEPT[fmt] } };
    if (current && text.value === current.text) {
      const search = new URLSearchParams();
      for (const input of paramsFields.querySelectorAll("input")) {
        if (input.value.trim() !== "") search.append(input.name, input.value.trim());
      }
      url = "/queries/" + encodeURIComponent(current.name) + "?" + search.toString();
      init.method = "GET";
    } else {
      init.headers["Content-Type"] = "application/x-www-form-urlencoded";
      init.body = new URLSearchParams({ query: text.value }).toString();
    }
    status.textContent = "running…";
    const started = performance.now();
    let response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      status.textContent = "";
      result.replaceChildren(el("div", "error", String(error)));
      return;
    }
    const body = await response.text();
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      status.textContent = response.status + " " + response.statusText + " · " + ms + " ms";
      result.replaceChildren(el("div", "error", body));
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    let summary = "";
    if (fmt === "table" && type.startsWith("application/sparql-results+json")) {
      summary = showTable(JSON.parse(body));
    } else {
      result.replaceChildren(el("pre", "", body));
      summary = type.split(";")[0];
    }
    status.textContent = summary + " · " + ms + " ms";
  }

  form.addEventListener("submit", run);
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
  });
})();
