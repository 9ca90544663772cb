/* xmgraph view: draws the page's data (the JSON block #xmgraph-data) with vis-network.
 *
 * Report text only ever reaches the page through textContent, DOM properties and
 * vis-network's canvas: never through innerHTML. Tooltips are DOM elements.
 * window.network is the vis Network; window.xmgraph holds the page's state and helpers.
 */
(function () {
  "use strict";

  var started = performance.now();
  var DATA = JSON.parse(document.getElementById("xmgraph-data").textContent);
  var UI = DATA.ui;
  var byId = function (id) { return document.getElementById(id); };

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : "";
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* ------------------------------------------------------------ classes and records */
  var CLASS = {};
  DATA.classes.forEach(function (c) { CLASS[c.key] = c; });
  var NODE = {};   // id -> node or observation record
  var OBS = {};    // id -> observation record
  DATA.nodes.forEach(function (n) { NODE[n.id] = n; });
  DATA.obs.forEach(function (o) { o.cls = "observation"; NODE[o.id] = o; OBS[o.id] = o; });

  var total = DATA.nodes.length + DATA.obs.length;
  var big = !DATA.physics;

  /* ------------------------------------------------------------ tooltips (DOM elements) */
  function dl(rows) {
    var list = el("dl");
    rows.forEach(function (row) {
      if (row[1] === undefined || row[1] === null || row[1] === "") { return; }
      list.appendChild(el("dt", null, row[0]));
      list.appendChild(el("dd", null, row[1]));
    });
    return list;
  }

  function sentence(src) {
    var box = el("div", "src");
    var text = src.text;
    var at = 0;
    (src.hl || []).forEach(function (h) {
      var start = h[0], end = h[1];
      if (start < at || end > text.length || start >= end) { return; }
      box.appendChild(document.createTextNode(text.slice(at, start)));
      box.appendChild(el("mark", h[2] === "figure" ? "figure" : "change", text.slice(start, end)));
      at = end;
    });
    box.appendChild(document.createTextNode(text.slice(at)));
    var meta = [src.file, fill(UI.offsets, { start: src.start, end: src.end })];
    box.appendChild(el("span", "src-meta", meta.filter(Boolean).join(" · ")));
    return box;
  }

  function nameOf(id) { return id && NODE[id] ? NODE[id].label : ""; }

  function observationTip(o) {
    var tip = el("div", "tip");
    tip.appendChild(el("h3", null, o.title));
    tip.appendChild(el("div", "fig", o.fig));
    tip.appendChild(dl([
      [UI.periodLabel, o.period],
      [UI.yoy, o.yoy],
      [UI.qoq, o.qoq],
      [UI.qualifiers, (o.quals || []).join(", ")],
      [UI.region, o.region],
      [UI.scenario, o.scenario],
      [UI.exact, o.exact]
    ]));
    if (o.src && o.src.length) {
      tip.appendChild(el("strong", null, o.src.length > 1 ? UI.sources : UI.source));
      o.src.forEach(function (s) { tip.appendChild(sentence(s)); });
    }
    if (o.disputes) {
      var box = el("div", "flag-box");
      box.appendChild(el("strong", "flag", "⚠ " + UI.conflict));
      o.disputes.forEach(function (d) {
        var item = el("div", "dispute");
        item.appendChild(el("div", "fig", d.fig));
        item.appendChild(el("span", "src-meta", d.file));
        item.appendChild(el("div", "src", d.text));
        box.appendChild(item);
      });
      tip.appendChild(box);
    }
    if (o.checks) {
      var checks = el("div", "flag-box");
      checks.appendChild(el("strong", "flag", "⚠ " + UI.inconsistent));
      o.checks.forEach(function (c) {
        checks.appendChild(el("div", "check", c.kind + " · " + c.status + ": " + c.msg));
      });
      tip.appendChild(checks);
    }
    tip.appendChild(el("div", "iri", o.iri));
    return tip;
  }

  function nodeTip(n) {
    var tip = el("div", "tip");
    tip.appendChild(el("h3", null, n.label));
    var rows = (n.info || []).slice();
    if (n.names && n.names.length) { rows.push([UI.names, n.names.join(" · ")]); }
    tip.appendChild(dl(rows));
    tip.appendChild(el("div", "iri", n.iri));
    return tip;
  }

  function tipFor(id) {
    return OBS[id] ? observationTip(OBS[id]) : nodeTip(NODE[id]);
  }

  /* ------------------------------------------------------------ vis data */
  var FLAG = "#d1242f";

  function colorFor(cls, flag) {
    var c = CLASS[cls].color;
    if (flag) {
      return { background: c, border: FLAG, highlight: { background: c, border: FLAG },
               hover: { background: c, border: FLAG } };
    }
    return { background: c, border: c, highlight: { background: c, border: "#1f2328" },
             hover: { background: c, border: "#1f2328" } };
  }

  function visNode(n) {
    var cls = CLASS[n.cls] || CLASS.entity;
    return {
      id: n.id, title: tipFor(n.id), shape: cls.shape,
      x: n.x, y: n.y, color: colorFor(cls.key, n.flag),
      borderWidth: n.flag ? 4 : 1, size: n.flag ? n.size + 6 : n.size,
      mass: n.cls === "observation" ? 1.5 : 2
    };
  }

  var nodeItems = DATA.nodes.map(visNode).concat(DATA.obs.map(visNode));
  var edgeItems = [];
  DATA.edges.forEach(function (e, i) {
    edgeItems.push({
      id: "s" + i, from: e.from, to: e.to, title: e.label || undefined, kind: e.kind,
      arrows: "to", color: { color: e.kind === "role" ? "#56b4e9" : "#8c959f" }, width: 1.5
    });
  });
  // observations as nodes: entity -> observation -> metric, observation -> period
  DATA.obs.forEach(function (o) {
    if (o.e) { edgeItems.push({ id: o.id + "-e", from: o.e, to: o.id, kind: "obs", obs: o.id,
                                color: { color: "#c4c9cf" }, width: 1 }); }
    if (o.m) { edgeItems.push({ id: o.id + "-m", from: o.id, to: o.m, kind: "obs", obs: o.id,
                                color: { color: "#e3bcd5" }, width: 1 }); }
    if (o.p) { edgeItems.push({ id: o.id + "-p", from: o.id, to: o.p, kind: "obs", obs: o.id,
                                color: { color: "#f1cf8f" }, width: 1 }); }
  });

  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);

  /* ------------------------------------------------------------ filters */
  // focus: on large graphs (DATA.focus), only the expanded companies' trees are drawn
  // (every company stays, to be expanded by a click); null draws everything
  var state = { segment: "", metric: "", period: "", hidden: {}, focus: null };
  if (DATA.focus) { state.focus = {}; state.focus[DATA.focus] = true; }
  var visibleNodes = {};
  var visibleEdges = {};

  function inScope(id) {
    if (!state.segment) { return true; }
    var n = NODE[id];
    if (!n) { return false; }
    if (id === state.segment) { return true; }
    return (n.anc || []).indexOf(state.segment) >= 0;   // below the chosen segment
  }

  function aboveScope(id) {
    if (!state.segment) { return false; }
    return (NODE[state.segment].anc || []).indexOf(id) >= 0;  // the segment's company ...
  }

  function expanded(id) {
    if (!state.focus) { return true; }
    return !!state.focus[id] || ((NODE[id] && NODE[id].anc) || []).some(function (a) {
      return state.focus[a];
    });
  }

  function inFocus(id) {
    return !state.focus || (NODE[id] && NODE[id].cls === "company") || expanded(id);
  }

  function entityShown(n) {
    if (n.cls === "person") {
      return (n.orgs || []).some(function (org) { return inFocus(org); }) &&
        (!state.segment || (n.orgs || []).some(function (org) {
          return inScope(org) || aboveScope(org);
        }));
    }
    return inFocus(n.id) && (inScope(n.id) || aboveScope(n.id));
  }

  function compute() {
    var passing = {};   // observations through the filters
    var usedDims = {};  // metrics and periods a passing observation refers to
    DATA.obs.forEach(function (o) {
      if (state.metric && o.m !== state.metric) { return; }
      if (state.period && o.p !== state.period) { return; }
      if (!inScope(o.e) || !expanded(o.e)) { return; }
      passing[o.id] = true;
      if (o.m) { usedDims[o.m] = true; }
      if (o.p) { usedDims[o.p] = true; }
    });
    var vn = {};
    DATA.nodes.forEach(function (n) {
      if (state.hidden[n.cls]) { return; }
      if (n.cls === "metric" || n.cls === "period") {
        if (usedDims[n.id] && !state.hidden.observation) { vn[n.id] = true; }
      } else if (entityShown(n)) {
        vn[n.id] = true;
      }
    });
    if (!state.hidden.observation) {
      DATA.obs.forEach(function (o) { if (passing[o.id]) { vn[o.id] = true; } });
    }
    var ve = {};
    edgeItems.forEach(function (e) {
      if (vn[e.from] && vn[e.to]) { ve[e.id] = true; }
    });
    visibleNodes = vn;
    visibleEdges = ve;
  }

  compute();
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visibleNodes[n.id] === true; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visibleEdges[e.id] === true; } });

  /* ------------------------------------------------------------ the network */
  var FORCES = { gravitationalConstant: -45, centralGravity: 0.02, springLength: 55,
                 springConstant: 0.1, damping: 0.6, avoidOverlap: 0.8 };
  var options = {
    autoResize: true,
    nodes: { borderWidth: 1, font: { face: "system-ui, sans-serif" }, shadow: false },
    edges: {
      smooth: false, selectionWidth: 1.5, hoverWidth: 0.5,
      arrows: { to: { enabled: false, scaleFactor: 0.5 } },
      font: { face: "system-ui, sans-serif" }
    },
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: DATA.physics ? {
      enabled: true,
      solver: "forceAtlas2Based",
      forceAtlas2Based: FORCES,
      stabilization: { enabled: true, iterations: DATA.iterations, updateInterval: 25, fit: true },
      minVelocity: 1.5, maxVelocity: 40, timestep: 0.5
    } : { enabled: false },
    interaction: {
      hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
      navigationButtons: false, keyboard: { enabled: true, bindToWindow: false },
      multiselect: false
    }
  };

  var container = byId("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  window.network = network;

  if (DATA.focus) {  // a large graph opens on its focused company's tree
    network.once("afterDrawing", function () {
      network.fit({ nodes: api.visibleNodeIds().filter(function (id) {
        var n = NODE[id];
        return n.cls !== "metric" && n.cls !== "period" && n.cls !== "person" &&
          (n.cls !== "company" || state.focus[id]) && expanded(n.cls === "observation" ? n.e : id);
      }) });
    });
  }

  var api = window.xmgraph = {
    data: DATA, nodes: nodes, edges: edges, state: state,
    firstDrawMs: null, settledMs: null, stabilized: false, ready: false,
    visibleNodeIds: function () { return Object.keys(visibleNodes).filter(function (k) { return visibleNodes[k]; }); },
    visibleEdgeIds: function () { return Object.keys(visibleEdges).filter(function (k) { return visibleEdges[k]; }); },
    setFilter: function (kind, value) { setFilter(kind, value); },
    expand: function (id) { return expand(id); },
    search: function (text) { return search(text); },
    highlight: function (id) { highlight(id); }
  };

  // settledMs: the layout is final (physics off) and drawn. The stabilization runs before
  // the first frame, so at load that is the first frame; after "Re-run layout", the time
  // the new layout took.
  var layoutDoneMs = DATA.physics ? null : 0;
  var relayoutRun = false;

  function noteSettled() {
    if (layoutDoneMs === null || api.firstDrawMs === null || api.stabilized) { return; }
    api.settledMs = relayoutRun ? layoutDoneMs : Math.max(layoutDoneMs, api.firstDrawMs);
    api.stabilized = true;
    byId("layout-status").textContent = DATA.physics || relayoutRun
      ? fill(UI.settled, { seconds: (api.settledMs / 1000).toFixed(1) })
      : UI.fixedLayout;
  }

  network.on("afterDrawing", function () {
    if (api.firstDrawMs === null) {
      api.firstDrawMs = Math.round(performance.now() - started);
      api.ready = true;
    }
    noteSettled();
  });

  function settle() {
    network.setOptions({ physics: { enabled: false } });
    if (layoutDoneMs === null) { layoutDoneMs = Math.round(performance.now() - started); }
    noteSettled();
  }

  if (DATA.physics) {
    byId("layout-status").textContent = UI.layingOut;
    network.once("stabilizationIterationsDone", settle);
    network.on("stabilized", function () { if (!api.stabilized) { settle(); } });
  }

  /* ------------------------------------------------------------ labels
   * vis-network draws no label: the page puts them on the canvas as DOM elements of a fixed
   * size on screen (LABEL_PX), most important first (companies, segments, ... observations;
   * the hovered and the selected node and its neighbours before all), and leaves out any
   * that would overlap one already placed or fall off the screen. Zooming in makes room
   * for more; hovering a node shows its label whatever else is there.
   */
  var LABEL_PX = 12;
  var LABEL_MAX = 800;
  var RANK = { company: 0, segment: 1, product: 2, person: 3, metric: 4, period: 5, entity: 6, observation: 7 };
  var overlay = el("div");
  overlay.id = "labels";
  overlay.setAttribute("aria-hidden", "true");
  container.appendChild(overlay);
  var measureCtx = document.createElement("canvas").getContext("2d");
  measureCtx.font = LABEL_PX + "px system-ui, sans-serif";
  var widths = {};
  var pool = [];
  var hovered = null;
  var near = null;    // the selected node and its neighbours, labelled first

  function labelText(n) {
    return n.label;
  }

  function labelWidth(id, text) {
    var w = widths[id];
    if (w === undefined) {
      w = widths[id] = Math.ceil(text.split("\n").reduce(function (m, line) {
        return Math.max(m, measureCtx.measureText(line).width);
      }, 0)) + 6;
    }
    return w;
  }

  var order = DATA.nodes.concat(DATA.obs).map(function (n) { return n.id; });
  order.sort(function (a, b) {
    var na = NODE[a], nb = NODE[b];
    return (RANK[na.cls] - RANK[nb.cls]) || ((nb.flag ? 1 : 0) - (na.flag ? 1 : 0)) ||
      (nb.size - na.size) || (a < b ? -1 : a > b ? 1 : 0);
  });

  function placeLabels() {
    var body = network.body.nodes;
    var width = container.clientWidth, height = container.clientHeight;
    var scale = network.getScale();
    var cell = 80, grid = {}, placed = [];
    function free(box) {
      var x0 = Math.floor(box[0] / cell), x1 = Math.floor((box[0] + box[2]) / cell);
      var y0 = Math.floor(box[1] / cell), y1 = Math.floor((box[1] + box[3]) / cell);
      for (var gx = x0; gx <= x1; gx++) {
        for (var gy = y0; gy <= y1; gy++) {
          var list = grid[gx + ":" + gy];
          if (!list) { continue; }
          for (var i = 0; i < list.length; i++) {
            var o = list[i];
            if (box[0] < o[0] + o[2] && o[0] < box[0] + box[2] &&
                box[1] < o[1] + o[3] && o[1] < box[1] + box[3]) { return false; }
          }
        }
      }
      for (gx = x0; gx <= x1; gx++) {
        for (gy = y0; gy <= y1; gy++) { (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(box); }
      }
      return true;
    }
    function tryPlace(id) {
      var node = body[id];
      if (!node || !visibleNodes[id] || placed.length >= LABEL_MAX) { return; }
      var text = labelText(NODE[id]);
      if (!text) { return; }
      var p = network.canvasToDOM({ x: node.x, y: node.y });
      var w = labelWidth(id, text);
      var h = (LABEL_PX + 3) * text.split("\n").length + 2;
      var box = [p.x - w / 2, p.y + (node.options.size || 8) * scale + 1, w, h];
      if (box[0] < 0 || box[1] < 0 || box[0] + w > width || box[1] + h > height) { return; }
      if (free(box)) { placed.push([id, text, box]); }
    }
    if (hovered) { tryPlace(hovered); }
    if (near) { Object.keys(near).forEach(function (id) { if (id !== hovered) { tryPlace(id); } }); }
    for (var i = 0; i < order.length && placed.length < LABEL_MAX; i++) {
      var id = order[i];
      if (id !== hovered && !(near && near[id])) { tryPlace(id); }
    }
    while (pool.length < placed.length) {
      var div = el("div", "lbl");
      overlay.appendChild(div);
      pool.push(div);
    }
    placed.forEach(function (item, k) {
      var div = pool[k];
      var n = NODE[item[0]];
      if (div.textContent !== item[1]) { div.textContent = item[1]; }
      div.className = "lbl lbl-" + n.cls + (n.flag ? " lbl-flag" : "") + (near && !near[item[0]] ? " lbl-dim" : "");
      div.dataset.id = item[0];
      div.style.display = "";
      div.style.left = Math.round(item[2][0]) + "px";
      div.style.top = Math.round(item[2][1]) + "px";
      div.style.width = item[2][2] + "px";
    });
    for (var k = placed.length; k < pool.length; k++) { pool[k].style.display = "none"; }
    api.labelCount = placed.length;
  }

  function nearLabels(set) { near = set; scheduleLabels(); }

  var labelsPending = false;
  function scheduleLabels() {
    if (labelsPending) { return; }
    labelsPending = true;
    requestAnimationFrame(function () { labelsPending = false; placeLabels(); });
  }
  network.on("afterDrawing", scheduleLabels);
  network.on("hoverNode", function (params) { hovered = params.node; placeLabels(); });
  network.on("blurNode", function () { hovered = null; placeLabels(); });
  network.on("dragStart", function () { overlay.style.visibility = "hidden"; });
  network.on("dragEnd", function () { overlay.style.visibility = ""; placeLabels(); });
  api.labels = function () {
    return Array.prototype.filter.call(overlay.children, function (d) {
      return d.style.display !== "none";
    }).map(function (d) {
      var r = d.getBoundingClientRect();
      return { id: d.dataset.id, text: d.textContent, left: r.left, top: r.top,
               width: r.width, height: r.height,
               px: parseFloat(getComputedStyle(d).fontSize) };
    });
  };

  /* ------------------------------------------------------------ positions kept across filters */
  function keepPositions() {
    var positions = network.getPositions();
    var updates = [];
    Object.keys(positions).forEach(function (id) {
      updates.push({ id: id, x: positions[id].x, y: positions[id].y });
    });
    if (updates.length) { nodes.update(updates); }
  }

  function refresh() {
    keepPositions();
    compute();
    nodeView.refresh();
    edgeView.refresh();
    if (selected && !visibleNodes[selected]) { clearHighlight(); }
    else if (selected) { highlight(selected); }
    updateCounts();
  }

  function setFilter(kind, value) {
    state[kind] = value || "";
    var select = byId("filter-" + kind);
    if (select && select.value !== state[kind]) { select.value = state[kind]; }
    refresh();
  }

  function expand(id) {
    if (!state.focus || !NODE[id] || state.focus[id]) { return false; }
    var n = NODE[id];
    if (["company", "segment", "product", "entity"].indexOf(n.cls) < 0) { return false; }
    state.focus[id] = true;
    refresh();
    return true;
  }

  function updateCounts() {
    byId("counts").textContent = fill(UI.shown + " ·", {
      nodes: nodeView.length, edges: edgeView.length, total: total
    });
    var perClass = {};
    Object.keys(visibleNodes).forEach(function (id) {
      var cls = NODE[id].cls;
      perClass[cls] = (perClass[cls] || 0) + 1;
    });
    DATA.classes.forEach(function (c) {
      var span = byId("legend-count-" + c.key);
      if (span) { span.textContent = String(perClass[c.key] || 0); }
    });
  }

  /* ------------------------------------------------------------ neighbourhood highlight */
  var selected = null;

  function highlight(id) {
    if (!visibleNodes[id]) { return; }
    selected = id;
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { near[n] = true; });
    nearLabels(near);
    var nearEdges = {};
    network.getConnectedEdges(id).forEach(function (e) { nearEdges[e] = true; });
    var updates = [];
    nodes.forEach(function (n) {
      if (!visibleNodes[n.id]) { return; }
      var dim = !near[n.id];
      updates.push({ id: n.id, opacity: dim ? 0.15 : 1 });
    });
    nodes.update(updates);
    var edgeUpdates = [];
    edges.forEach(function (e) {
      if (!visibleEdges[e.id]) { return; }
      var color = Object.assign({}, e.color || {});
      color.opacity = nearEdges[e.id] ? 1 : 0.08;
      edgeUpdates.push({ id: e.id, color: color });
    });
    edges.update(edgeUpdates);
    network.selectNodes([id]);
    showDetails(id);
  }

  function clearHighlight() {
    if (selected === null) { return; }
    selected = null;
    nearLabels(null);
    var updates = [];
    nodes.forEach(function (n) { if (n.opacity !== undefined && n.opacity !== 1) { updates.push({ id: n.id, opacity: 1 }); } });
    nodes.update(updates);
    var edgeUpdates = [];
    edges.forEach(function (e) {
      if (e.color && e.color.opacity !== undefined && e.color.opacity !== 1) {
        var color = Object.assign({}, e.color);
        color.opacity = 1;
        edgeUpdates.push({ id: e.id, color: color });
      }
    });
    edges.update(edgeUpdates);
    network.unselectAll();
    showDetails(null);
  }

  network.on("click", function (params) {
    if (params.nodes && params.nodes.length) {
      expand(params.nodes[0]);
      highlight(params.nodes[0]);
      api.chartFor(params.nodes[0]);
    } else { clearHighlight(); }
  });

  /* ------------------------------------------------------------ details panel */
  function showDetails(id) {
    var box = byId("details");
    while (box.firstChild) { box.removeChild(box.firstChild); }
    if (id === null || !NODE[id]) {
      box.appendChild(el("p", "hint", total ? UI.details : UI.empty));
      return;
    }
    box.appendChild(tipFor(id));
  }

  /* ------------------------------------------------------------ search */
  var lastQuery = "";
  var lastIndex = -1;

  function search(text) {
    var query = String(text || "").trim().toLowerCase();
    var message = byId("message");
    if (!query) { message.textContent = ""; return []; }
    var matches = [];
    DATA.nodes.concat(DATA.obs).forEach(function (n) {
      var names = [n.label].concat(n.names || []);
      if (names.some(function (name) { return String(name).toLowerCase().indexOf(query) >= 0; })) {
        matches.push(n.id);
      }
    });
    var shown = matches.filter(function (id) { return visibleNodes[id]; });
    if (!matches.length) {
      message.textContent = fill(UI.noMatch, { query: text });
      return [];
    }
    if (!shown.length) {
      message.textContent = fill(UI.hiddenMatch, { query: text });
      return matches;
    }
    lastIndex = query === lastQuery ? (lastIndex + 1) % shown.length : 0;
    lastQuery = query;
    var id = shown[lastIndex];
    message.textContent = fill(UI.matches, { count: shown.length, query: text });
    highlight(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    return shown;
  }

  /* ------------------------------------------------------------ the chart of a metric
   * Clicking an observation, a metric or an entity draws one metric over time for one
   * entity and the entities below it (Apache ECharts): actuals solid, targets and
   * forecasts dashed, ranges (lower-bound .. upper-bound) as bands, derived values as
   * hollow diamonds; hovering a point shows its figure and source sentence (DOM nodes,
   * report text only through textContent).
   */
  var CHART_COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7f7f7f", "#000000"];
  var chart = null;
  var chartAt = { entity: null, metric: null };

  function below(id) {
    return [id].concat(DATA.nodes.filter(function (n) {
      return (n.anc || []).indexOf(id) >= 0;
    }).map(function (n) { return n.id; }));
  }

  function topOf(id) {   // the company above an entity (or the entity itself)
    var n = NODE[id];
    var tops = (n && n.anc || []).filter(function (a) { return NODE[a] && NODE[a].cls === "company"; });
    return tops.length ? tops[tops.length - 1] : id;
  }

  function mostCommon(values) {
    var counts = {}, best = null;
    values.forEach(function (v) {
      if (v === null || v === undefined) { return; }
      counts[v] = (counts[v] || 0) + 1;
      if (best === null || counts[v] > counts[best] || (counts[v] === counts[best] && v < best)) { best = v; }
    });
    return best;
  }

  function chartTarget(id) {   // [entity, metric] for a clicked node, or null
    var n = NODE[id];
    if (!n) { return null; }
    if (n.cls === "observation") { return n.e && n.m ? [n.e, n.m] : null; }
    if (n.cls === "metric") {
      var entity = state.segment || mostCommon(DATA.obs.filter(function (o) { return o.m === id && o.e; })
        .map(function (o) { return topOf(o.e); }));
      return entity ? [entity, id] : null;
    }
    if (["company", "segment", "product", "entity"].indexOf(n.cls) >= 0) {
      var ents = below(id);
      var metric = mostCommon(DATA.obs.filter(function (o) { return ents.indexOf(o.e) >= 0; })
        .map(function (o) { return o.m; }));
      return metric ? [id, metric] : null;
    }
    return null;
  }

  function isPlan(o) {
    return o.sc === "target" || o.sc === "forecast" || (o.q || []).some(function (q) {
      return q === "target" || q === "forecast";
    });
  }

  function bound(o) {
    return (o.q || []).indexOf("lower-bound") >= 0 ? "lo" : (o.q || []).indexOf("upper-bound") >= 0 ? "hi" : "";
  }

  function compact(v) {
    var a = Math.abs(v);
    if (a >= 1e12) { return +(v / 1e12).toFixed(2) + " tn"; }
    if (a >= 1e9) { return +(v / 1e9).toFixed(2) + " bn"; }
    if (a >= 1e6) { return +(v / 1e6).toFixed(2) + " m"; }
    if (a >= 1e4) { return +(v / 1e3).toFixed(1) + " k"; }
    return String(+v.toFixed(2));
  }

  function periodKey(code) {   // [the month it ends, its length in months]: H1 2024 before 2024
    var m = /^(\d{4})(?:-(Q[1-4]|H[12]|\d{2}))?(?:-(\d{2}))?/.exec(code);
    if (!m) { return [0, 0]; }
    var year = +m[1], part = m[2] || "";
    if (!part) { return [year * 12 + 12, 12]; }
    if (part[0] === "Q") { return [year * 12 + 3 * +part[1], 3]; }
    if (part[0] === "H") { return [year * 12 + 6 * +part[1], 6]; }
    return [year * 12 + +part, m[3] ? 0 : 1];
  }

  var chartPrefer = null;   // the observation clicked last: its value wins its period's slot

  function chartSeries(entity, metric) {
    var ents = below(entity);
    var obs = DATA.obs.filter(function (o) { return o.m === metric && ents.indexOf(o.e) >= 0; });
    obs.sort(function (a, b) {   // the same slots whatever order the rows came in
      return ((b.id === chartPrefer) - (a.id === chartPrefer)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var unit = mostCommon(obs.map(function (o) { return o.u; }));
    obs = obs.filter(function (o) { return o.u === unit; });
    var codes = {};
    obs.forEach(function (o) { if (o.p) { codes[NODE[o.p].code || o.p] = o.p; } });
    var periods = Object.keys(codes).sort(function (a, b) {
      var ka = periodKey(a), kb = periodKey(b);
      return (ka[0] - kb[0]) || (ka[1] - kb[1]) || (a < b ? -1 : a > b ? 1 : 0);
    }).map(function (c) { return codes[c]; });
    var series = [];
    ents.filter(function (e) { return obs.some(function (o) { return o.e === e; }); }).forEach(function (e, k) {
      var color = CHART_COLORS[k % CHART_COLORS.length];
      var slots = { actual: [], plan: [], lo: [], hi: [] }, extras = [];
      periods.forEach(function () { slots.actual.push(null); slots.plan.push(null); slots.lo.push(null); slots.hi.push(null); });
      obs.forEach(function (o) {
        if (o.e !== e) { return; }
        var at = periods.indexOf(o.p);
        var kind = bound(o) || (isPlan(o) ? "plan" : "actual");
        var item = { value: o.v, obs: o.id };
        if ((o.q || []).indexOf("derived") >= 0) {
          item.symbol = "diamond"; item.symbolSize = 11;
          item.itemStyle = { color: "#fff", borderColor: color, borderWidth: 2 };
        }
        if (o.flag) { item.symbolSize = 11; item.itemStyle = { borderColor: FLAG, borderWidth: 3 }; }
        if (slots[kind][at] === null) { slots[kind][at] = item; }
        else { item.value = [at, o.v]; extras.push(item); }   // another value: a conflict
      });
      var name = NODE[e].label;
      var has = function (list) { return list.some(function (x) { return x !== null; }); };
      if (has(slots.actual)) {
        series.push({ name: name, type: "line", data: slots.actual, connectNulls: true, kind: "actual",
                      color: color, lineStyle: { type: "solid", width: 2 }, symbolSize: 7 });
      }
      if (has(slots.plan)) {
        series.push({ name: name + " (" + UI.plan + ")", type: "line", data: slots.plan, connectNulls: true,
                      kind: "plan", color: color, lineStyle: { type: "dashed", width: 2 }, symbol: "emptyCircle",
                      symbolSize: 8 });
      }
      if (extras.length) {
        series.push({ name: name + " ⚠", type: "scatter", data: extras, kind: "other-value", color: color });
      }
      if (has(slots.lo) || has(slots.hi)) {
        var base = slots.lo.map(function (lo, i) { return lo || slots.hi[i]; });
        var span = slots.lo.map(function (lo, i) {
          var hi = slots.hi[i];
          if (!lo || !hi) { return lo || hi ? { value: 0, obs: (lo || hi).obs } : null; }
          return { value: hi.value - lo.value, obs: hi.obs, lowObs: lo.obs };
        });
        series.push({ name: name + " (" + UI.range + ")", type: "line", data: base, stack: "range" + k,
                      kind: "range-base", color: color, lineStyle: { opacity: 0.6, type: "dotted" },
                      symbol: "triangle", symbolSize: 7 });
        series.push({ name: name + " (" + UI.range + ") ", type: "line", data: span, stack: "range" + k,
                      kind: "range", color: color, lineStyle: { opacity: 0.6, type: "dotted" },
                      areaStyle: { color: color, opacity: 0.18 }, symbol: "triangle", symbolRotate: 180,
                      symbolSize: 7 });
      }
    });
    return { periods: periods, series: series, unit: unit };
  }

  function chartTip(params) {
    var o = params.data && OBS[params.data.obs];
    if (!o) { return ""; }
    var tip = el("div", "tip");
    tip.appendChild(el("h3", null, o.title));
    var figs = [o.fig];
    if (params.data.lowObs && OBS[params.data.lowObs]) { figs.unshift(OBS[params.data.lowObs].fig); }
    tip.appendChild(el("div", "fig", figs.join(" – ")));
    tip.appendChild(dl([[UI.periodLabel, o.period], [UI.qualifiers, (o.quals || []).join(", ")],
                        [UI.scenario, o.scenario], [UI.yoy, o.yoy]]));
    (o.src || []).slice(0, 2).forEach(function (s) { tip.appendChild(sentence(s)); });
    return tip;
  }

  function openChart(entity, metric) {
    if (typeof echarts === "undefined" || !NODE[entity] || !NODE[metric]) { return false; }
    chartAt.entity = entity;
    chartAt.metric = metric;
    var box = byId("chart-box");
    box.hidden = false;
    byId("chart-title").textContent = fill(UI.chartOf, { metric: NODE[metric].label, entity: NODE[entity].label });
    var select = byId("chart-metric");
    while (select.firstChild) { select.removeChild(select.firstChild); }
    var ents = below(entity), seen = {};
    DATA.obs.forEach(function (o) { if (ents.indexOf(o.e) >= 0 && o.m) { seen[o.m] = true; } });
    Object.keys(seen).sort(function (a, b) { return NODE[a].label.localeCompare(NODE[b].label); })
      .forEach(function (m) { option(select, m, NODE[m].label); });
    select.value = metric;
    var data = chartSeries(entity, metric);
    if (!chart) {
      chart = echarts.init(byId("chart"), null, { renderer: "canvas" });
      api.echart = chart;
    }
    chart.resize();
    chart.setOption({
      animation: false,
      grid: { left: 70, right: 24, top: 36, bottom: 28 },
      legend: { type: "scroll", top: 0, textStyle: { fontSize: 12 } },
      tooltip: { trigger: "item", renderMode: "html", confine: true, formatter: chartTip,
                 extraCssText: "max-width: 440px; white-space: normal;" },
      xAxis: { type: "category", data: data.periods.map(function (p) { return NODE[p].label; }),
               axisLabel: { fontSize: 12 } },
      yAxis: { type: "value", name: data.unit || "", axisLabel: { fontSize: 12, formatter: compact },
               nameTextStyle: { fontSize: 12 } },
      series: data.series
    }, true);
    return true;
  }

  function setupChart() {
    byId("chart-close").textContent = UI.close;
    byId("chart-legend").textContent = UI.chartKey;
    byId("chart-close").addEventListener("click", function () { byId("chart-box").hidden = true; });
    byId("chart-metric").addEventListener("change", function (ev) {
      openChart(chartAt.entity, ev.target.value);
    });
    window.addEventListener("resize", function () { if (chart) { chart.resize(); } });
  }

  api.openChart = function (entity, metric) { return openChart(entity, metric); };
  api.chartFor = function (id) {
    var t = chartTarget(id);
    chartPrefer = id;   // a clicked observation's own value is the one on the line
    return t ? openChart(t[0], t[1]) : false;
  };
  api.chartPoints = function () {   // what the chart draws, read back from ECharts
    if (!chart) { return []; }
    var option = chart.getOption();
    var cats = option.xAxis[0].data;
    var out = [];
    option.series.forEach(function (s) {
      s.data.forEach(function (d, i) {
        if (d === null || d === undefined) { return; }
        var pair = Array.isArray(d.value);
        out.push({ series: s.name, kind: s.kind, period: cats[pair ? d.value[0] : i],
                   value: pair ? d.value[1] : d.value, obs: d.obs,
                   dashed: s.lineStyle && s.lineStyle.type === "dashed", derived: d.symbol === "diamond",
                   band: !!s.areaStyle });
      });
    });
    return out;
  };

  /* ------------------------------------------------------------ controls */
  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
  }

  function depth(n) { return (n.anc || []).length; }

  function setupControls() {
    document.title = DATA.title;
    byId("heading").textContent = DATA.title;
    byId("search").placeholder = UI.search;
    byId("search-go").textContent = UI.find;
    byId("segment-label").textContent = UI.segment;
    byId("metric-label").textContent = UI.metric;
    byId("period-label").textContent = UI.period;
    byId("reset").textContent = UI.reset;
    byId("relayout").textContent = UI.relayout;
    byId("legend-title").textContent = UI.legend;

    var segments = byId("filter-segment");
    option(segments, "", UI.all);
    DATA.nodes.filter(function (n) { return n.cls === "company" || n.cls === "segment"; })
      .sort(function (a, b) {
        var pa = (a.anc || []).slice().reverse().concat([a.id]).map(function (i) { return nameOf(i); }).join("\u0001");
        var pb = (b.anc || []).slice().reverse().concat([b.id]).map(function (i) { return nameOf(i); }).join("\u0001");
        return pa < pb ? -1 : pa > pb ? 1 : 0;
      })
      .forEach(function (n) { option(segments, n.id, "\u2003".repeat(depth(n)) + n.label); });

    var metrics = byId("filter-metric");
    option(metrics, "", UI.all);
    DATA.nodes.filter(function (n) { return n.cls === "metric"; })
      .sort(function (a, b) { return a.label.localeCompare(b.label); })
      .forEach(function (n) { option(metrics, n.id, n.label); });

    var periods = byId("filter-period");
    option(periods, "", UI.all);
    DATA.nodes.filter(function (n) { return n.cls === "period"; })
      .sort(function (a, b) { return a.code < b.code ? -1 : a.code > b.code ? 1 : 0; })
      .forEach(function (n) { option(periods, n.id, n.label); });

    ["segment", "metric", "period"].forEach(function (kind) {
      byId("filter-" + kind).addEventListener("change", function (ev) { setFilter(kind, ev.target.value); });
    });

    var names = byId("search-names");
    var seen = {};
    DATA.nodes.forEach(function (n) {
      [n.label].concat(n.names || []).forEach(function (name) {
        if (name && !seen[name]) { seen[name] = true; option(names, name, ""); }
      });
    });
    byId("search-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      search(byId("search").value);
    });

    byId("reset").addEventListener("click", function () {
      state.segment = state.metric = state.period = "";
      ["segment", "metric", "period"].forEach(function (k) { byId("filter-" + k).value = ""; });
      state.hidden = {};
      DATA.classes.forEach(function (c) {
        var box = byId("legend-toggle-" + c.key);
        if (box) { box.checked = true; }
      });
      byId("message").textContent = "";
      clearHighlight();
      refresh();
      network.fit({ animation: { duration: 300 } });
    });

    byId("relayout").addEventListener("click", relayout);
    var flagged = DATA.obs.filter(function (o) { return o.flag; });
    var flagButton = byId("flags");
    flagButton.textContent = flagged.length ? fill(UI.flagged, { count: flagged.length }) : UI.flagNone;
    flagButton.disabled = !flagged.length;
    var flagAt = -1;
    flagButton.addEventListener("click", function () {
      var shown = flagged.filter(function (o) { return visibleNodes[o.id]; });
      if (!shown.length) { return; }
      flagAt = (flagAt + 1) % shown.length;
      var id = shown[flagAt].id;
      highlight(id);
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    });
    buildLegend();
  }

  function relayout() {
      relayoutRun = true;
      api.stabilized = false;
      api.settledMs = null;
      layoutDoneMs = null;
      started = performance.now();
      byId("layout-status").textContent = UI.layingOut;
      network.setOptions({ physics: {
        enabled: true, solver: "forceAtlas2Based", forceAtlas2Based: FORCES,
        stabilization: { enabled: true, iterations: DATA.iterations, updateInterval: 25 },
        minVelocity: 1.5, maxVelocity: 40, timestep: 0.5
      } });
      network.once("stabilizationIterationsDone", settle);
      network.stabilize(DATA.iterations);
  }

  /* ------------------------------------------------------------ legend */
  var SVG = "http://www.w3.org/2000/svg";

  function polygon(points) {
    var p = document.createElementNS(SVG, "polygon");
    p.setAttribute("points", points.map(function (xy) { return xy[0].toFixed(1) + "," + xy[1].toFixed(1); }).join(" "));
    return p;
  }

  function regular(count, radius, rotate) {
    var pts = [];
    for (var i = 0; i < count; i++) {
      var a = rotate + (2 * Math.PI * i) / count;
      pts.push([9 + radius * Math.cos(a), 9 + radius * Math.sin(a)]);
    }
    return pts;
  }

  function swatch(shape, color) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("viewBox", "0 0 18 18");
    var shapeNode;
    if (shape === "dot") {
      shapeNode = document.createElementNS(SVG, "circle");
      shapeNode.setAttribute("cx", "9"); shapeNode.setAttribute("cy", "9"); shapeNode.setAttribute("r", "6");
    } else if (shape === "square") {
      shapeNode = document.createElementNS(SVG, "rect");
      shapeNode.setAttribute("x", "3"); shapeNode.setAttribute("y", "3");
      shapeNode.setAttribute("width", "12"); shapeNode.setAttribute("height", "12");
    } else if (shape === "hexagon") {
      shapeNode = polygon(regular(6, 8, 0));
    } else if (shape === "diamond") {
      shapeNode = polygon(regular(4, 8, 0));
    } else if (shape === "triangle") {
      shapeNode = polygon(regular(3, 8, -Math.PI / 2));
    } else if (shape === "triangleDown") {
      shapeNode = polygon(regular(3, 8, Math.PI / 2));
    } else if (shape === "star") {
      var pts = [];
      for (var i = 0; i < 10; i++) {
        var r = i % 2 ? 3.5 : 8.5, a = -Math.PI / 2 + (Math.PI * i) / 5;
        pts.push([9 + r * Math.cos(a), 9 + r * Math.sin(a)]);
      }
      shapeNode = polygon(pts);
    } else {
      shapeNode = document.createElementNS(SVG, "circle");
      shapeNode.setAttribute("cx", "9"); shapeNode.setAttribute("cy", "9"); shapeNode.setAttribute("r", "6");
    }
    shapeNode.setAttribute("fill", color);
    svg.appendChild(shapeNode);
    return svg;
  }

  function buildLegend() {
    var list = byId("legend");
    var present = {};
    DATA.nodes.concat(DATA.obs).forEach(function (n) { present[n.cls] = true; });
    DATA.classes.forEach(function (c) {
      if (c.key === "entity" && !present.entity) { return; }
      var item = el("li");
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.id = "legend-toggle-" + c.key;
      box.addEventListener("change", function () {
        if (box.checked) { delete state.hidden[c.key]; } else { state.hidden[c.key] = true; }
        refresh();
      });
      label.appendChild(box);
      label.appendChild(swatch(c.shape, c.color));
      label.appendChild(el("span", null, c.name));
      item.appendChild(label);
      var count = el("span", "count", "0");
      count.id = "legend-count-" + c.key;
      item.appendChild(count);
      list.appendChild(item);
    });
  }

  setupControls();
  setupChart();
  showDetails(null);
  updateCounts();
})();
