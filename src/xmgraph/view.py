"""The browser view: one self-contained HTML file to explore a graph (``xmgraph view``).

The page draws the companies, segments, products, people, metrics, periods and
observations of a graph with vis-network (the copy that pyvis ships, inlined: the page
loads nothing from the network), with a legend, tooltips that give each figure as people
read it, filters by segment, metric and period, a search box, and a toggle that folds the
observations into labelled edges (segment -[Revenue 2024: CNY 191.8 bn]-> 2024).

Nodes and edges come from the graph through the named queries ``queries/view_*.rq``;
:func:`view_model` turns their rows into the page's data, :func:`render_view` into HTML
and :func:`write_view` writes it atomically. Report text reaches the page only as JSON
in a ``<script type="application/json">`` block (``<``, ``>``, ``&``, U+2028 and U+2029
escaped) and is put on the page with ``textContent``: it never becomes markup or script.
A Content-Security-Policy allows only the page's own three scripts (by hash): vis-network,
Apache ECharts (vendored in ``templates/vendor/``, for the chart of a metric over time) and
``view.js``.

>>> figure(Decimal("76560000000"), "CNY", "en"), figure(Decimal("76560000000"), "CNY", "zh")
('CNY 76.56 bn', '765.6亿元')
"""

from __future__ import annotations

import base64
import hashlib
import math
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xmgraph.errors import Errors, XmgraphError
from xmgraph.export import json_for_script

if TYPE_CHECKING:
    from rdflib import Graph

    from xmgraph.store import Store

#: The languages of ``--lang``: labels, figures and the page's own words.
VIEW_LANGS = ("en", "zh")

#: Node classes in legend order: key -> (shape, colour, English name, Chinese name).
CLASSES: dict[str, tuple[str, str, str, str]] = {
    "company": ("hexagon", "#d55e00", "Company", "公司"),
    "segment": ("diamond", "#0072b2", "Segment", "业务分部"),
    "product": ("triangle", "#009e73", "Product", "产品"),
    "person": ("star", "#56b4e9", "Person", "人物"),
    "metric": ("square", "#cc79a7", "Metric", "指标"),
    "period": ("triangleDown", "#e69f00", "Period", "期间"),
    "observation": ("dot", "#7f7f7f", "Observation", "数据点"),
    "entity": ("dot", "#b0b0b0", "Other", "其他"),
}
#: The kind a node keeps when a query gives it several (most specific first).
_KIND_ORDER = ("company", "segment", "product", "person", "metric", "period", "observation")


def _rank(kind: str) -> int:
    return _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)


#: Graphs with more nodes than this get a layout computed here and no physics in the page.
PHYSICS_LIMIT = 500
#: Graphs with more nodes than this open focused on one company (the one with the most
#: observations): every company is drawn, and a click on one draws its tree and figures.
FOCUS_LIMIT = 3000

_TEMPLATES = Path(__file__).resolve().parent / "templates"
_TOKEN = re.compile(r"\{\{([A-Z_]+)\}\}")

# ---------------------------------------------------------------- the page's own words

UI: dict[str, dict[str, str]] = {
    "en": {
        "title": "xmgraph view",
        "search": "Search a node by name",
        "find": "Find",
        "segment": "Segment",
        "metric": "Metric",
        "period": "Period",
        "all": "All",
        "legend": "Legend",
        "relayout": "Re-run layout",
        "reset": "Reset",
        "shown": "{nodes} nodes, {edges} edges shown of {total}",
        "matches": "{count} match(es) for “{query}”",
        "noMatch": "No node matches “{query}”",
        "hiddenMatch": "“{query}” is hidden by the filters",
        "layingOut": "Laying out…",
        "settled": "Layout settled in {seconds} s",
        "fixedLayout": "Layout computed ahead (large graph: physics off)",
        "details": "Click a node for its details; hover for a summary.",
        "empty": "Nothing to draw: the graph (or the query) gave no nodes.",
        "source": "Source",
        "sources": "Sources",
        "figure": "Figure",
        "exact": "Exact value",
        "periodLabel": "Period",
        "yoy": "Year on year",
        "qoq": "Quarter on quarter",
        "qualifiers": "Qualifiers",
        "region": "Region",
        "scenario": "Scenario",
        "entity": "Entity",
        "kind": "Kind",
        "names": "Also named",
        "iri": "IRI",
        "identifier": "Identifier",
        "known": "Known entity",
        "minted": "named in a report",
        "roles": "Roles",
        "facts": "Observations",
        "offsets": "characters {start}–{end}",
        "conflict": "Reports disagree",
        "inconsistent": "Fails a check",
        "flagged": "⚠ {count} disputed",
        "flagNone": "No conflicts or failed checks",
        "chart": "Chart",
        "close": "Close",
        "actual": "actual",
        "chartOf": "{metric}: {entity} and its parts",
        "chartKey": "solid: actual · dashed: target or forecast · band: range · ◇: derived",
        "plan": "target/forecast",
        "range": "range",
    },
    "zh": {
        "title": "xmgraph 图谱",
        "search": "按名称搜索节点",
        "find": "查找",
        "segment": "业务分部",
        "metric": "指标",
        "period": "期间",
        "all": "全部",
        "legend": "图例",
        "relayout": "重新布局",
        "reset": "重置",
        "shown": "显示 {nodes} 个节点、{edges} 条边(共 {total} 个节点)",
        "matches": "“{query}”:{count} 个结果",
        "noMatch": "没有节点匹配“{query}”",
        "hiddenMatch": "“{query}”被筛选条件隐藏",
        "layingOut": "正在布局…",
        "settled": "布局用时 {seconds} 秒",
        "fixedLayout": "布局已预先计算(大图:关闭物理模拟)",
        "details": "点击节点查看详情;悬停查看摘要。",
        "empty": "没有可显示的内容:图(或查询)中没有节点。",
        "source": "来源",
        "sources": "来源",
        "figure": "数值",
        "exact": "精确值",
        "periodLabel": "期间",
        "yoy": "同比",
        "qoq": "环比",
        "qualifiers": "限定",
        "region": "地区",
        "scenario": "情景",
        "entity": "主体",
        "kind": "类型",
        "names": "其他名称",
        "iri": "IRI",
        "identifier": "代码",
        "known": "已知实体",
        "minted": "报告中出现的名称",
        "roles": "职务",
        "facts": "数据点",
        "offsets": "第 {start}–{end} 个字符",
        "conflict": "报告之间不一致",
        "inconsistent": "未通过校验",
        "flagged": "⚠ {count} 个存疑",
        "flagNone": "没有冲突或未通过的校验",
        "chart": "图表",
        "close": "关闭",
        "actual": "实际",
        "chartOf": "{metric}:{entity}及其下属",
        "chartKey": "实线:实际 · 虚线:目标或预测 · 色带:区间 · ◇:推算",
        "plan": "目标/预测",
        "range": "区间",
    },
}

_QUALIFIER_WORDS = {
    "target": ("target", "目标"),
    "forecast": ("forecast", "预测"),
    "approximate": ("approximate", "约"),
    "at-least": ("at least", "至少"),
    "more-than": ("more than", "超过"),
    "lower-bound": ("lower bound", "下限"),
    "upper-bound": ("upper bound", "上限"),
    "derived": ("derived", "推算"),
}
_QUALIFIER_MARKS = {"approximate": "≈", "at-least": "≥", "more-than": ">"}
_SCENARIO_WORDS = {"actual": ("actual", "实际"), "target": ("target", "目标")}
_SCENARIO_WORDS["forecast"] = ("forecast", "预测")
_RELATIONS = {
    "hasUnit": ("unit", "下属"),
    "product": ("product", "产品"),
    "series": ("model", "型号"),
    "headOf": ("head", "负责人"),
    "memberOf": ("member", "成员"),
}

# ---------------------------------------------------------------- figures as people read them

#: The language tag of units.ttl's and lexicon.ttl's words for each language of the view.
_LANG_TAGS = {"en": "en", "zh": "zh-Hans"}


@cache
def _unit_words(lang: str) -> dict[str, str]:
    """Unit code -> the word a figure in it is written with in ``lang``, from units.ttl
    (its xmg:figureWord, else its label: 元, 辆, 台设备; vehicles, people)."""
    from xmgraph.lexicon import load_lexicon

    tag = _LANG_TAGS.get(lang, "en")
    return {u.code: word for u in load_lexicon().units if (word := u.shown_with(tag))}


@cache
def _shown_scales(lang: str) -> tuple[tuple[Decimal, str], ...]:
    """The scales a figure is shown in for ``lang``, largest first (亿, 万; bn, m), from
    lexicon.ttl."""
    from xmgraph.lexicon import load_lexicon

    return load_lexicon().figure_scales.get(_LANG_TAGS.get(lang, "en"), ())


def _plain(number: Decimal, places: int) -> str:
    """``number`` rounded to at most ``places`` decimals, without trailing zeros."""
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum) if number != number.to_integral_value() else number
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _grouped(number: Decimal, places: int = 2) -> str:
    text = _plain(number, places)
    whole, dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}{dot}{frac}"


def is_currency(unit: str) -> bool:
    """True for an ISO 4217 code (three capital letters)."""
    return len(unit) == 3 and unit.isalpha() and unit.isupper()


def figure(value: Decimal, unit: str, lang: str = "en") -> str:
    """``value`` (base units) in ``unit`` as people write it, in English or Chinese.

    >>> figure(Decimal("191800000000"), "CNY", "en"), figure(Decimal("191800000000"), "CNY", "zh")
    ('CNY 191.8 bn', '1918亿元')
    >>> figure(Decimal("136854"), "vehicle", "en"), figure(Decimal("136854"), "vehicle", "zh")
    ('136,854 vehicles', '13.6854万辆')
    >>> figure(Decimal("168500000"), "unit", "en"), figure(Decimal("13.8"), "percent", "zh")
    ('168.5 m units', '13.8%')
    >>> figure(Decimal("-1.5"), "percentage-point", "en"), figure(Decimal("21190"), "person")
    ('-1.5 pp', '21,190 people')
    """
    if unit == "percent":
        return f"{_plain(value, 2)}%"
    if unit == "percentage-point":
        return f"{_plain(value, 2)} pp" if lang == "en" else f"{_plain(value, 2)}个百分点"
    size = abs(value)
    words = _unit_words(lang)
    if lang == "zh":
        number = _plain(value, 4 if size >= 10**4 else 2)
        for scale, word in _shown_scales(lang):
            if size >= scale:
                number = _plain(value / scale, 4)
                number += word
                break
        return number + words.get(unit, unit)
    number = _grouped(value)
    for scale, word in _shown_scales(lang):
        if size >= scale:
            number = f"{_plain(value / scale, 3)} {word}"
            break
    if is_currency(unit):
        return f"{unit} {number}"
    if not unit or unit.startswith(("http:", "https:")):
        return number
    noun = words.get(unit, unit) if value != 1 else unit
    return f"{number} {noun}"


def exact(value: Decimal, unit: str) -> str:
    """The exact value in base units, digits grouped: ``191,800,000,000 CNY``."""
    return f"{_grouped(value, 6)} {unit}".strip()


def change(pct: Decimal) -> str:
    """A signed change in percent: ``+21.8%``, ``-3%``."""
    text = _plain(pct, 2)
    return text + "%" if text.startswith("-") else f"+{text}%"


_QUARTERS_ZH = {"1": "一", "2": "二", "3": "三", "4": "四"}
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _day(code: str, lang: str) -> str:
    year, month, day = code.split("-")
    if lang == "zh":
        return f"{year}年{int(month)}月{int(day)}日"
    return f"{int(day)} {_MONTHS_EN[int(month) - 1]} {year}"


def period_label(code: str, lang: str = "en") -> str:
    """A period code (``2024``, ``2024-Q4``, ``2024-H1``, ``2024-10``, ``2024-12-31``, an
    ISO interval) as people write it.

    >>> [period_label(c) for c in ("2024", "2024-Q4", "2024-H1", "2024-10", "2024-12-31")]
    ['2024', 'Q4 2024', 'H1 2024', 'Oct 2024', 'as of 31 Dec 2024']
    >>> [period_label(c, "zh") for c in ("2024-Q4", "2024-H2", "2024-12-31")]
    ['2024年第四季度', '2024年下半年', '截至2024年12月31日']
    >>> period_label("2024-01-01/2024-09-30")
    '1 Jan 2024 – 30 Sep 2024'
    """
    try:
        if re.fullmatch(r"\d{4}", code):
            return code if lang == "en" else f"{code}年"
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", code):
            year, q = m.groups()
            return f"Q{q} {year}" if lang == "en" else f"{year}年第{_QUARTERS_ZH[q]}季度"
        if m := re.fullmatch(r"(\d{4})-H([12])", code):
            year, h = m.groups()
            return f"H{h} {year}" if lang == "en" else f"{year}年{'上' if h == '1' else '下'}半年"
        if m := re.fullmatch(r"(\d{4})-(\d{2})", code):
            year, month = m.groups()
            if lang == "en":
                return f"{_MONTHS_EN[int(month) - 1]} {year}"
            return f"{year}年{int(month)}月"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", code):
            return ("as of " if lang == "en" else "截至") + _day(code, lang)
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})", code):
            first, last = (_day(d, lang) for d in m.groups())
            return f"{first} – {last}" if lang == "en" else f"{first}至{last}"
    except (IndexError, ValueError):
        pass
    return code


# ---------------------------------------------------------------- the figure in its sentence

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


@cache
def _reading_words() -> tuple[dict[str, Decimal], tuple[str, ...], tuple[str, ...]]:
    """What is read after a number, as extraction reads it: the lexicon's scale words
    (multipliers; with their words longest first) and its units' words, longest first."""
    from xmgraph.lexicon import load_lexicon

    lex = load_lexicon()
    scales = {word.lower(): value for word, value in lex.scales.items()}
    units = {w for u in lex.units for w in (*u.words, *u.minor_words)}
    return (
        scales,
        tuple(sorted(scales, key=lambda w: (-len(w), w))),
        tuple(sorted(units, key=lambda w: (-len(w), w))),
    )


def _word_at(text: str, at: int, words: Sequence[str]) -> str | None:
    """The first of ``words`` (longest first) written at ``text[at:]``, in any case."""
    return next((w for w in words if text[at : at + len(w)].lower() == w.lower()), None)


def _fold_digits(text: str) -> str:
    """``text`` with full-width digits, commas, dots and percent signs made ASCII, one
    character for one (so offsets stay valid)."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 and folded in "0123456789,.%" else ch)
    return "".join(out)


def _numbers(text: str) -> Iterable[tuple[int, int, Decimal, bool]]:
    """(start, end, value, is_percent) of each number in ``text``, its scale words
    (亿, 万 ...) applied and included in the span, with a following unit word (元, 辆, %):
    the lexicon's words, read in the sentence made Simplified (億 is 亿) one for one."""
    from xmgraph.normalize import simplified

    scales, scale_words, unit_words = _reading_words()
    folded = simplified(_fold_digits(text))
    for m in _NUMBER.finditer(folded):
        if len(m.group()) > 40:
            continue  # no figure (xmgraph.patterns.MAX_NUMBER_CHARS)
        try:
            number = Decimal(m.group().replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue
        end = m.end()
        probe = end + 1 if folded[end : end + 1] == " " else end
        multiplier = Decimal(1)
        while (scale := _word_at(folded, probe, scale_words)) is not None:
            multiplier *= scales[scale.lower()]
            probe += len(scale)
            end = probe
        percent = folded[end : end + 1] == "%"
        unit = _word_at(folded, end, unit_words)
        yield m.start(), end + len(unit or ""), number * multiplier, percent


def highlights(
    sentence: str, value: Decimal, unit: str, yoy: Decimal | None = None
) -> list[tuple[int, int, str]]:
    """Where the figure (``"figure"``) and its year-on-year change (``"change"``) are
    written in ``sentence``: (start, end, kind) offsets into it, in order.

    >>> s = "其中,智能手機業務收入 1918 億元,同比增長 21.8%,市場份額 13.8%。"
    >>> [(s[a:b], k) for a, b, k in highlights(s, Decimal("191800000000"), "CNY", Decimal("21.8"))]
    [('1918 億元', 'figure'), ('21.8%', 'change')]
    >>> highlights("約四分之一", Decimal("25"), "percent")
    []
    """
    found: list[tuple[int, int, str]] = []
    for start, end, number, percent in _numbers(sentence):
        if unit in ("percent", "percentage-point"):
            is_figure = number == abs(value) and (percent or unit == "percentage-point")
        else:
            is_figure = number == abs(value) and not percent
        if is_figure and not any(k == "figure" for _, _, k in found):
            found.append((start, end, "figure"))
        elif (
            yoy is not None
            and percent
            and number == abs(yoy)
            and not any(k == "change" for _, _, k in found)
        ):
            found.append((start, end, "change"))
    return sorted(found)


# ---------------------------------------------------------------- the model of the page


@dataclass
class _Node:
    iri: str
    kind: str
    period_code: str = ""
    period_kind: str = ""
    known: str = ""
    identifier: str = ""
    names: list[tuple[str, str, bool]] = field(default_factory=list)  # (name, lang, pref)


def _pick_name(names: Sequence[tuple[str, str, bool]], lang: str) -> str | None:
    """The name of a node for ``lang``: its preferred label in that language first."""
    if not names:
        return None

    def rank(item: tuple[str, str, bool]) -> tuple[int, int, str]:
        name, tag, preferred = item
        tag = tag.lower()
        if lang == "zh":
            order = ["zh-hans", "zh-cn", "zh", "zh-hant", "zh-tw", "zh-hk", "", "en"]
        else:
            order = ["en", "en-gb", "en-us", "", "zh-hans", "zh", "zh-hant"]
        place = order.index(tag) if tag in order else len(order)
        if not tag and lang == "zh" and not re.search(r"[\u3400-\u9fff]", name):
            place = order.index("") + 1  # a Latin name without a tag: after Chinese ones
        return (0 if preferred else 1, place, name)

    return min(names, key=rank)[0]


def _local_name(iri: str) -> str:
    tail = re.split(r"[/#]", iri.rstrip("/#"))[-1]
    return tail or iri


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


_VIEW_QUERIES = (
    *("view_nodes", "view_labels", "view_edges", "view_observations"),
    *("conflicts", "consistency"),
)


def _ox_converter() -> Any:
    """A function from rdflib terms to pyoxigraph terms (each distinct term made once)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    made: dict[Any, Any] = {}

    def convert(term: Any) -> Any:
        done = made.get(term)
        if done is not None:
            return done
        if isinstance(term, URIRef):
            done = ox.NamedNode(str(term))
        elif isinstance(term, BNode):  # rdflib's labels need not be valid N-Triples labels
            done = ox.BlankNode("b" + hashlib.sha256(str(term).encode("utf-8")).hexdigest()[:24])
        elif isinstance(term, Literal):
            if term.language:
                done = ox.Literal(str(term), language=term.language)
            elif term.datatype is not None:
                done = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            else:
                done = ox.Literal(str(term))
        else:
            raise TypeError(f"not an RDF term: {term!r}")
        made[term] = done
        return done

    return convert


def _ox_text(term: Any) -> str:
    return "" if term is None else str(term.value)


def view_rows(graph: Graph | Store, *, engine: str = "oxigraph") -> dict[str, list[dict[str, str]]]:
    """The rows of the ``view_*`` queries over ``graph``: query name -> rows of strings.

    They run in Oxigraph (``pyoxigraph``, over a copy of the graph), about thirty times
    faster than rdflib's engine on a graph of 10,000 nodes; ``engine="rdflib"`` runs them
    with :func:`xmgraph.query.run_query` instead (the same rows, slower). A store
    (:mod:`xmgraph.store`) runs them on its own engine, nothing copied.
    """
    from rdflib import Graph

    from xmgraph.query import load_query, run_query

    if not isinstance(graph, Graph):  # a store's tables have every column ("" unbound)
        return {name: graph.run(name).rows for name in _VIEW_QUERIES}

    if engine == "rdflib":
        return {name: run_query(graph, name).rows for name in _VIEW_QUERIES}
    import pyoxigraph as ox

    store = ox.Store()
    convert = _ox_converter()
    try:
        store.bulk_extend(ox.Quad(convert(s), convert(p), convert(o)) for s, p, o in graph)
    except (TypeError, ValueError) as exc:  # a term Oxigraph refuses: fall back to rdflib
        del exc
        return view_rows(graph, engine="rdflib")
    out: dict[str, list[dict[str, str]]] = {}
    for name in _VIEW_QUERIES:
        try:
            solutions = store.query(load_query(name))
            columns = [v.value for v in solutions.variables]  # type: ignore[union-attr]
            out[name] = [{c: _ox_text(row[c]) for c in columns} for row in solutions]  # type: ignore[union-attr]
        except (SyntaxError, OSError) as exc:
            raise XmgraphError(Errors.E024, reason=" ".join(str(exc).split())[:300]) from exc
    return out


def query_text(query: str) -> str:
    """The text of a ``--query``: a query name (``queries/NAME.rq``, E021 when there is
    none), a ``.rq`` file (E001 ... when it cannot be read) or the text of a query."""
    if re.search(r"\b(select|construct|describe|ask)\b", query, re.IGNORECASE):
        return query
    if query.endswith(".rq") or os.sep in query or "/" in query:
        from xmgraph.export import check_input

        path = check_input(query)
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise XmgraphError(Errors.E006, path=path, reason=exc) from exc
    from xmgraph.query import load_query

    return load_query(query)


def _subset(graph: Graph | Store, query: str) -> tuple[set[str], list[tuple[str, str, str]], str]:
    """The IRIs a ``--query`` selects, the IRI triples of a CONSTRUCT (or DESCRIBE), and
    the query's type. ``query`` is as for :func:`query_text`."""
    from rdflib import BNode, Graph, URIRef
    from rdflib.namespace import RDF
    from rdflib.plugins.sparql import prepareQuery

    from xmgraph.namespaces import PREFIXES

    text = query_text(query)
    try:
        prepared = prepareQuery(text, initNs=PREFIXES)
    except Exception as exc:  # pyparsing's and rdflib's errors
        raise XmgraphError(Errors.E022, reason=" ".join(str(exc).split())[:300]) from exc
    try:
        result = graph.query(prepared) if isinstance(graph, Graph) else graph.result(text)
        kind = str(result.type)
        iris: set[str] = set()
        triples: list[tuple[str, str, str]] = []
        if kind in ("CONSTRUCT", "DESCRIBE"):
            for s, p, o in result.graph or ():
                for term in (s, o):
                    if isinstance(term, (URIRef, BNode)) and not (term is o and p == RDF.type):
                        iris.add(str(term))
                if isinstance(s, URIRef) and isinstance(o, URIRef) and p != RDF.type:
                    triples.append((str(s), str(p), str(o)))
        elif kind == "SELECT":
            for row in result:
                for term in row:  # type: ignore[union-attr]
                    if isinstance(term, URIRef):
                        iris.add(str(term))
    except XmgraphError:
        raise
    except Exception as exc:  # rdflib's evaluation errors
        raise XmgraphError(Errors.E024, reason=" ".join(str(exc).split())[:300]) from exc
    if kind not in ("SELECT", "CONSTRUCT", "DESCRIBE"):
        raise XmgraphError(Errors.E051, kind=kind)
    return iris, sorted(triples), kind


def view_model(
    graph: Graph | Store, *, lang: str = "en", query: str | None = None, engine: str = "oxigraph"
) -> dict[str, Any]:
    """The data of the page for ``graph`` (or a store, queried on its own engine): nodes,
    edges, observations, legend and words.

    ``query`` (a name in ``queries/``, a ``.rq`` file or a query's text) limits the view
    to the subgraph a CONSTRUCT returns or to the resources in a SELECT's results (run by
    rdflib, as every query the user gives); ``engine`` is for :func:`view_rows`.
    """
    if lang not in VIEW_LANGS:
        raise XmgraphError(Errors.E050, value=lang, choices=", ".join(VIEW_LANGS))
    results = view_rows(graph, engine=engine)
    nodes, names = _view_nodes(results)
    observations: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in results["view_observations"]:
        observations[row["obs"]].append(row)
    for iri in observations:  # an observation typed only through the query's join
        nodes.setdefault(iri, _Node(iri, "observation"))
    structure = _structure(results, _Namer(nodes, names, lang), lang)
    extra_triples: list[tuple[str, str, str]] = []
    if query is not None:
        nodes, observations, extra_triples = _subset_view(graph, query, nodes, names, observations)
    else:
        _drop_unused(nodes, observations)
    name_of = _Namer(nodes, names, lang)
    order = sorted(nodes, key=lambda i: (_rank(nodes[i].kind), i))
    ids = {iri: f"n{index}" for index, iri in enumerate(order)}
    links = _links(structure, extra_triples, nodes, ids, name_of, lang)
    obs_out: list[dict[str, Any]] = []
    counts: dict[str, int] = defaultdict(int)
    for iri in order:
        if nodes[iri].kind == "observation" and iri in observations:
            obs_out.append(_observation_record(observations[iri], ids[iri], ids, name_of))
            for dim in ("entity", "metric", "period"):
                counts[observations[iri][0][dim]] += 1
    node_out = [
        _node_record(nodes[iri], ids[iri], name_of, links, counts)
        for iri in order
        if nodes[iri].kind != "observation"
    ]
    return _finish(node_out, obs_out, links.edges, nodes, observations, results, lang)


def _finish(
    node_out: list[dict[str, Any]],
    obs_out: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    nodes: Mapping[str, _Node],
    observations: Mapping[str, list[dict[str, str]]],
    results: Mapping[str, list[dict[str, str]]],
    lang: str,
) -> dict[str, Any]:
    """The page's model from its records: legend, words, checks, layout and title."""
    words, zh = UI[lang], lang == "zh"
    obs_ids = {o["id"] for o in obs_out}
    model: dict[str, Any] = {
        "lang": lang,
        "ui": words,
        "classes": [
            {"key": k, "shape": s, "color": c, "name": zh_name if zh else en}
            for k, (s, c, en, zh_name) in CLASSES.items()
        ],
        "nodes": node_out,
        "obs": obs_out,
        "edges": edges,
    }
    period_code = {iri: node.period_code for iri, node in nodes.items() if node.period_code}
    _mark_checks(obs_out, observations, period_code, results, lang)
    _place(model, obs_ids)
    total = len(node_out) + len(obs_out)
    model["physics"] = total <= PHYSICS_LIMIT
    # the layout computed here is the start: bigger graphs need (and get) fewer iterations
    model["iterations"] = 200 if total <= 300 else 100 if total <= 700 else 60
    model["focus"] = _focus(model) if total > FOCUS_LIMIT else ""
    model["title"] = _title(node_out, words)
    return model


def _view_nodes(
    results: Mapping[str, list[dict[str, str]]],
) -> tuple[dict[str, _Node], dict[str, list[tuple[str, str, bool]]]]:
    """The nodes of the view's rows (the highest-ranked kind a node is given), and the names
    of each node: (name, language, preferred)."""
    nodes: dict[str, _Node] = {}
    for row in results["view_nodes"]:
        iri, kind = row["node"], row["kind"]
        node = nodes.get(iri)
        if node is None:
            node = nodes[iri] = _Node(iri, kind)
        elif _rank(kind) < _rank(node.kind):
            node.kind = kind
        node.period_code = node.period_code or row["periodCode"]
        node.period_kind = node.period_kind or row["periodKind"]
        node.known = node.known or row["known"]
        node.identifier = node.identifier or row["identifier"]
    names: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for row in results["view_labels"]:
        names[row["node"]].append((row["name"], row["lang"], row["preferred"] == "true"))
    for iri, node in nodes.items():
        node.names = names.get(iri, [])
    return nodes, names


@dataclass(frozen=True)
class _Namer:
    """A node's name in a language: a period's label from its code, else its preferred name."""

    nodes: Mapping[str, _Node]
    names: Mapping[str, list[tuple[str, str, bool]]]
    lang: str

    def __call__(self, iri: str, in_lang: str | None = None) -> str:
        lang = in_lang or self.lang
        node = self.nodes.get(iri)
        if node is not None and node.kind == "period" and node.period_code:
            return period_label(node.period_code, lang)
        picked = _pick_name(self.names.get(iri, []), lang)
        return picked if picked is not None else _local_name(iri)


def _structure(
    results: Mapping[str, list[dict[str, str]]], name_of: _Namer, lang: str
) -> dict[tuple[str, str, str], list[str]]:
    """The view's structural edges, (source, relation, target) -> their labels; a person's
    memberships under relation "person", with the names of their roles."""
    structure: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for row in results["view_edges"]:
        source, target, relation = row["from"], row["to"], row["relation"]
        if source == target:
            continue
        if relation in ("role", "headOf", "memberOf"):
            key = (source, "person", target)
            if relation == "role":
                structure[key].append(name_of(row["role"]))
            else:
                structure.setdefault(key, [])
                structure[(source, relation, target)].append(_RELATIONS[relation][lang == "zh"])
        else:
            structure[(source, relation, target)] = []
    return structure


def _subset_view(
    graph: Graph | Store,
    query: str,
    nodes: dict[str, _Node],
    names: Mapping[str, list[tuple[str, str, bool]]],
    observations: dict[str, list[dict[str, str]]],
) -> tuple[dict[str, _Node], dict[str, list[dict[str, str]]], list[tuple[str, str, str]]]:
    """``--query``: the nodes and observations the query selects (a SELECT's observation comes
    with its entity, metric and period), and a CONSTRUCT's own triples."""
    selected, extra_triples, kind = _subset(graph, query)
    if kind == "SELECT":  # an observation comes with its entity, metric and period
        for iri in list(selected):
            for row in observations.get(iri, [])[:1]:
                selected.update((row["entity"], row["metric"], row["period"]))
    for iri in selected:
        if iri not in nodes:
            nodes[iri] = _Node(iri, "entity", names=names.get(iri, []))
    nodes = {iri: node for iri, node in nodes.items() if iri in selected}
    observations = defaultdict(list, {k: v for k, v in observations.items() if k in nodes})
    return nodes, observations, extra_triples


def _drop_unused(nodes: dict[str, _Node], observations: Mapping[str, list[dict[str, str]]]) -> None:
    """Drop the metrics, periods and entities no observation names (without ``--query``)."""
    used = {row["metric"] for rows in observations.values() for row in rows[:1]}
    used |= {row["period"] for rows in observations.values() for row in rows[:1]}
    used |= {row["entity"] for rows in observations.values() for row in rows[:1]}
    for iri in [i for i, n in nodes.items() if n.kind in ("metric", "period", "entity")]:
        if iri not in used:
            del nodes[iri]


@dataclass
class _Links:
    """The drawn edges, and what the node records need of them."""

    edges: list[dict[str, Any]] = field(default_factory=list)
    parents: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    person_orgs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    roles_of: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    seen: set[tuple[str, str]] = field(default_factory=set)

    def ancestors(self, node_id: str) -> list[str]:
        """The ids above an entity, nearest first along each branch."""
        out: list[str] = []
        stack = list(self.parents.get(node_id, []))
        while stack:
            parent = stack.pop()
            if parent not in out and parent != node_id:
                out.append(parent)
                stack.extend(self.parents.get(parent, []))
        return out


def _links(
    structure: Mapping[tuple[str, str, str], list[str]],
    extra_triples: Iterable[tuple[str, str, str]],
    nodes: Mapping[str, _Node],
    ids: Mapping[str, str],
    name_of: _Namer,
    lang: str,
) -> _Links:
    """The edges between drawn nodes: memberships with roles first (org:headOf / memberOf only
    where none says more), the structure, then a CONSTRUCT's own edges."""
    links = _Links()
    for (source, relation, target), roles in sorted(
        structure.items(), key=lambda item: (item[0][1] in ("headOf", "memberOf"), item[0])
    ):
        if source in ids and target in ids:
            _link(links, ids[source], ids[target], relation, roles, name_of(target), lang)
    for s, p, o in extra_triples:  # a CONSTRUCT's own edges between drawn nodes
        if s in ids and o in ids and (ids[s], ids[o]) not in links.seen:
            if nodes[s].kind == "observation" or nodes[o].kind == "observation":
                continue  # the page draws observation edges itself
            links.seen.add((ids[s], ids[o]))
            links.edges.append(
                {"from": ids[s], "to": ids[o], "label": _local_name(p), "kind": "other"}
            )
    return links


def _link(
    links: _Links, a: str, b: str, relation: str, roles: list[str], target: str, lang: str
) -> None:
    """Add the edge from ``a`` to ``b`` (``target`` its end's name), once a pair."""
    if relation == "person":
        label = " · ".join(dict.fromkeys(roles))
        if not label:
            return  # headOf / memberOf rows below say it
        links.person_orgs[a].append(b)
        links.roles_of[a].append(f"{label} ({target})")
        links.seen.add((a, b))
        links.edges.append({"from": a, "to": b, "label": label, "kind": "role"})
    elif (a, b) in links.seen:
        return
    elif relation in ("headOf", "memberOf"):
        links.seen.add((a, b))
        links.person_orgs[a].append(b)
        label = " · ".join(roles)
        links.roles_of[a].append(f"{label} ({target})")
        links.edges.append({"from": a, "to": b, "label": label, "kind": "role"})
    else:
        links.seen.add((a, b))
        links.parents[b].append(a)
        label = _RELATIONS[relation][lang == "zh"] if relation != "hasUnit" else ""
        links.edges.append({"from": a, "to": b, "label": label, "kind": "structure"})


def _observation_record(
    rows: list[dict[str, str]], obs_id: str, ids: Mapping[str, str], name_of: _Namer
) -> dict[str, Any]:
    """The page's record of one observation (its first row; each row a source)."""
    lang = name_of.lang
    zh, other = lang == "zh", "zh" if lang == "en" else "en"
    first = rows[0]
    value = _decimal(first["value"]) or Decimal(0)
    unit = first["unit"]
    unit = unit if not unit.startswith(("http:", "https:")) else _local_name(unit)
    yoy, qoq = _decimal(first["yoy"]), _decimal(first["qoq"])
    qualifiers = [q for q in first["qualifier"].split() if q]
    mark = "".join(_QUALIFIER_MARKS[q] + " " for q in qualifiers if q in _QUALIFIER_MARKS)
    tags = [_QUALIFIER_WORDS[q][zh] for q in qualifiers if q in ("target", "forecast")]
    fig = figure(value, unit, lang)
    short = mark + fig + (f" ({', '.join(tags)})" if tags else "")
    metric_name = name_of(first["metric"])
    sources = [
        {
            "file": row["file"],
            "start": row["start"],
            "end": row["end"],
            "text": row["text"],
            "hl": [list(h) for h in highlights(row["text"], value, unit, yoy)],
        }
        for row in rows
        if row["text"]
    ]
    return {
        "id": obs_id,
        "e": ids.get(first["entity"]),
        "m": ids.get(first["metric"]),
        "p": ids.get(first["period"]),
        "label": f"{metric_name}\n{short}",
        "title": f"{metric_name} · {name_of(first['entity'])}",
        "fig": _both(mark + fig, mark + figure(value, unit, other)),
        "exact": exact(value, unit) if unit not in ("percent", "percentage-point") else "",
        "period": name_of(first["period"]),
        "yoy": change(yoy) if yoy is not None else "",
        "qoq": change(qoq) if qoq is not None else "",
        "quals": [_QUALIFIER_WORDS.get(q, (q, q))[zh] for q in qualifiers],
        "region": name_of(first["region"]) if first["region"] else "",
        "scenario": _SCENARIO_WORDS.get(first["scenario"], (first["scenario"],) * 2)[zh]
        if first["scenario"] not in ("", "actual")
        else "",
        "src": sources,
        "iri": first["obs"],
        # for the chart: the value, its unit, the qualifiers' and the scenario's codes
        "v": float(value),
        "u": unit,
        "q": qualifiers,
        "sc": first["scenario"] or "actual",
    }


def _node_record(
    node: _Node, node_id: str, name_of: _Namer, links: _Links, counts: Mapping[str, int]
) -> dict[str, Any]:
    """The page's record of one node that is no observation."""
    lang = name_of.lang
    words, zh = UI[lang], lang == "zh"
    iri = node.iri
    label = name_of(iri)
    alt_names = [n for n, _, _ in node.names if n != label]
    if node.kind == "period":
        alt_names.append(name_of(iri, "zh" if lang == "en" else "en"))
    info: list[list[str]] = [[words["kind"], CLASSES[node.kind][3 if zh else 2]]]
    if node.kind == "period":
        info.append([words["periodLabel"], node.period_code or label])
    if node.identifier:
        info.append([words["identifier"], node.identifier])
    if node.known == "false":
        info.append([words["known"], words["minted"]])
    if links.roles_of.get(node_id):
        info.append([words["roles"], "; ".join(links.roles_of[node_id])])
    if counts.get(iri):
        info.append([words["facts"], str(counts[iri])])
    record: dict[str, Any] = {
        "id": node_id,
        "cls": node.kind,
        "label": label,
        "names": list(dict.fromkeys(n for n in alt_names if n and n != label))[:12],
        "iri": iri,
        "info": info,
    }
    if node.kind in ("company", "segment", "product", "entity"):
        record["anc"] = links.ancestors(node_id)
    if node.kind == "person":
        record["orgs"] = links.person_orgs.get(node_id, [])
    if node.kind == "period":
        record["code"] = node.period_code or label
    return record


def _mark_checks(
    obs_out: Sequence[dict[str, Any]],
    observations: Mapping[str, Sequence[Mapping[str, str]]],
    period_code: Mapping[str, str],
    results: Mapping[str, Sequence[Mapping[str, str]]],
    lang: str,
) -> None:
    """Flag the observations of a conflict (``queries/conflicts.rq``: ``flag`` "conflict",
    ``disputes`` each value with its report and sentence) and of a failed check
    (``queries/consistency.rq``: ``flag`` "inconsistent", ``checks`` their messages)."""
    by_iri = {o["iri"]: o for o in obs_out}
    by_key: dict[tuple[str, str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for iri, record in by_iri.items():
        first = observations[iri][0]
        code = period_code.get(first["period"], "")
        by_key[(first["entity"], first["metric"], code, first["value"])].append(record)
    groups: dict[tuple[str, ...], list[Mapping[str, str]]] = defaultdict(list)
    for row in results.get("conflicts", []):
        keys = ("entity", "metric", "period", "region", "scenario", "unit")
        groups[tuple(row[k] for k in keys)].append(row)
    for rows in groups.values():
        disputes = [
            {
                "fig": figure(_decimal(r["value"]) or Decimal(0), r["unit"], lang),
                "file": r["file"],
                "text": r["source"],
            }
            for r in rows
        ]
        for r in rows:
            for record in by_key.get((r["entity"], r["metric"], r["period"], r["value"]), []):
                record["flag"] = "conflict"
                record["disputes"] = disputes
    for row in results.get("consistency", []):
        if row["status"] not in ("inconsistent", "conflict"):
            continue
        check = {"kind": row["kind"], "status": row["status"], "msg": row["message"]}
        for iri in row["observations"].split():
            if iri in by_iri:
                record = by_iri[iri]
                record.setdefault("flag", "inconsistent")
                if check not in record.setdefault("checks", []):
                    record["checks"].append(check)


def _focus(model: Mapping[str, Any]) -> str:
    """The company a large graph opens on: the one with the most observations in its tree."""
    companies = {n["id"] for n in model["nodes"] if n["cls"] == "company"}
    company_of = {c: c for c in companies}
    for n in model["nodes"]:
        tops = [a for a in n.get("anc", ()) if a in companies]
        if tops:
            company_of[n["id"]] = tops[-1]
    counts: dict[str, int] = defaultdict(int)
    for o in model["obs"]:
        if o["e"] in company_of:
            counts[company_of[o["e"]]] += 1
    if not counts:
        return min(companies, default="")
    return min(counts, key=lambda c: (-counts[c], c))


def _both(first: str, second: str) -> str:
    return first if first == second else f"{first} / {second}"


def _title(nodes: Sequence[Mapping[str, Any]], words: Mapping[str, str]) -> str:
    companies = [n["label"] for n in nodes if n["cls"] == "company"]
    if not companies:
        return words["title"]
    shown = ", ".join(companies[:3]) + (" …" if len(companies) > 3 else "")
    return f"{shown} · {words['title']}"


# ---------------------------------------------------------------- layout and sizes


_HUB_KINDS = ("metric", "period")


def _place(model: dict[str, Any], obs_ids: set[str]) -> None:
    """Give every node a size (by degree) and a starting position (x, y).

    Entities are laid out as radial trees (a company in the middle, its segments and
    products around it), each with its observations on a small sunflower around it;
    metrics and periods, which many observations share, go on a ring outside, each at
    the mean angle of its observations. The page refines this with physics for small
    graphs and keeps it for large ones (:data:`PHYSICS_LIMIT`).
    """
    g, records = _sized_graph(model)
    layout = _Layout.of(model, records)
    pos: dict[str, tuple[float, float]] = {}
    trees = sorted(layout.roots, key=lambda r: (-layout.weigh(r), r))
    placed = _pack(trees, layout, pos)
    layout.sunflowers(pos)
    mx, my = _place_hubs(g, records, placed, pos)
    for node_id, record in records.items():
        px, py = pos.get(node_id, (mx, my))
        record["x"], record["y"] = round(px - mx, 1), round(py - my, 1)


def _sized_graph(model: dict[str, Any]) -> tuple[Any, dict[str, dict[str, Any]]]:
    """The page's graph (networkx), and its records by id, each given a size by its degree."""
    import networkx as nx

    g = nx.Graph()
    records = {n["id"]: n for n in model["nodes"]} | {o["id"]: o for o in model["obs"]}
    g.add_nodes_from(records)
    g.add_edges_from((e["from"], e["to"]) for e in model["edges"])
    for o in model["obs"]:
        g.add_edges_from((o["id"], t) for t in (o["e"], o["m"], o["p"]) if t)
    degree = dict(g.degree())
    base = {"company": 30, "segment": 20, "product": 15, "person": 16, "metric": 11,
            "period": 13, "observation": 6, "entity": 10}  # fmt: skip
    for node_id, record in records.items():
        kind = record.get("cls", "observation")
        size = base[kind] + (3 * math.log2(1 + degree[node_id]) if kind != "observation" else 0)
        record["size"] = round(min(size, base[kind] * 2.5), 1)
    return g, records


#: The layout's distances: between entities, and between the observations around one.
_SPACING = 60.0
_DOT = 22.0


@dataclass
class _Layout:
    """The entity trees: each entity's children, the roots, the observations around each
    entity (a blob) and those with no drawn entity; the arc each subtree needs."""

    children: dict[str, list[str]]
    roots: list[str]
    blobs: dict[str, list[str]]
    loose: list[str]
    weight: dict[str, float] = field(default_factory=dict)

    @staticmethod
    def of(model: dict[str, Any], records: Mapping[str, dict[str, Any]]) -> _Layout:
        """The trees of the model: the first structural parent of each entity (a person:
        its company)."""
        parent: dict[str, str] = {}
        for e in model["edges"]:
            if e["kind"] == "structure" and e["to"] not in parent:
                parent[e["to"]] = e["from"]
            elif e["kind"] == "role" and e["from"] not in parent:
                parent[e["from"]] = e["to"]
        blobs: dict[str, list[str]] = defaultdict(list)  # entity -> its observations
        loose: list[str] = []  # observations without a drawn entity
        for o in model["obs"]:
            (blobs[o["e"]] if o["e"] in records else loose).append(o["id"])
        tree = [i for i, r in records.items() if r.get("cls", "observation") not in _HUB_KINDS]
        children: dict[str, list[str]] = defaultdict(list)
        roots: list[str] = []
        for node_id in sorted(tree):
            p = parent.get(node_id)
            # a parent cycle (a unit of its own unit) would never reach a root: cut it
            seen = {node_id}
            while p is not None and p not in seen:
                seen.add(p)
                p = parent.get(p)
            if node_id in parent and p is None:
                children[parent[node_id]].append(node_id)
            else:
                roots.append(node_id)
        return _Layout(children, roots, blobs, loose)

    def blob_radius(self, node_id: str) -> float:
        """The radius of an entity with its observations around it."""
        return _DOT * math.sqrt(len(self.blobs.get(node_id, ()))) + 10.0

    def weigh(self, root: str) -> float:
        """The arc the subtree of ``root`` needs, in pixels (kept for each node of it)."""
        stack, post = [root], []
        while stack:
            n = stack.pop()
            post.append(n)
            stack.extend(self.children.get(n, []))
        for n in reversed(post):
            own = 2 * self.blob_radius(n) + _SPACING
            self.weight[n] = max(own, sum(self.weight[c] for c in self.children.get(n, [])))
        return self.weight[root]

    def radial(self, root: str) -> tuple[dict[str, tuple[float, float]], float]:
        """A tree's positions around its root, and its radius: each ring far enough out for
        the blobs on it and the arcs their subtrees need."""
        ring: dict[str, float] = {root: 0.0}
        turn: dict[str, float] = {root: 0.0}
        stack: list[tuple[str, float, float]] = [(root, 0.0, 2 * math.pi)]
        while stack:
            n, lo, hi = stack.pop()
            kids = sorted(self.children.get(n, []), key=lambda c: (-self.weight[c], c))
            total = sum(self.weight[k] for k in kids) or 1.0
            at = lo
            for kid in kids:
                share = (hi - lo) * self.weight[kid] / total
                step = self.blob_radius(n) + self.blob_radius(kid) + _SPACING
                # the arc at this radius must hold the kid's subtree
                need = self.weight[kid] / share if share > 0 else 0.0
                ring[kid] = max(ring[n] + step, need)
                turn[kid] = at + share / 2
                stack.append((kid, at, at + share))
                at += share
        coords = {n: (r * math.cos(turn[n]), r * math.sin(turn[n])) for n, r in ring.items()}
        radius = max(r + self.blob_radius(n) for n, r in ring.items()) + _SPACING / 2
        return coords, radius

    def sunflowers(self, pos: dict[str, tuple[float, float]]) -> None:
        """Observations on a sunflower (the golden angle) around their entity; those with
        none below the middle."""
        golden = math.pi * (3 - math.sqrt(5))
        for entity, members in self.blobs.items():
            ex, ey = pos.get(entity, (0.0, 0.0))
            for k, member in enumerate(sorted(members)):
                r = _DOT * math.sqrt(k + 0.5) + 18.0
                pos[member] = (ex + r * math.cos(k * golden), ey + r * math.sin(k * golden))
        for k, member in enumerate(sorted(self.loose)):
            r = _DOT * math.sqrt(k + 0.5)
            pos[member] = (r * math.cos(k * golden), r * math.sin(k * golden) - 2 * _SPACING)


def _pack(
    trees: list[str], layout: _Layout, pos: dict[str, tuple[float, float]]
) -> list[tuple[float, float, float]]:
    """Trees side by side in rows, biggest first, on a roughly square sheet: their nodes'
    positions into ``pos``; the centre x, y and radius of each tree."""
    local: dict[str, dict[str, tuple[float, float]]] = {}
    placed: list[tuple[float, float, float]] = []
    for root in trees:
        local[root], radius = layout.radial(root)
        placed.append((0.0, 0.0, radius))
    area = sum((2 * r) ** 2 for _, _, r in placed)
    width = max((2 * r for _, _, r in placed), default=0.0)
    width = max(width, math.sqrt(area))
    x = y = row_height = 0.0
    for index, root in enumerate(trees):
        radius = placed[index][2]
        if x > 0 and x + 2 * radius > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + radius, y + radius
        x += 2 * radius
        row_height = max(row_height, 2 * radius)
        placed[index] = (cx, cy, radius)
        for n, (px, py) in local[root].items():
            pos[n] = (cx + px, cy + py)
    return placed


def _place_hubs(
    g: Any,
    records: Mapping[str, dict[str, Any]],
    placed: list[tuple[float, float, float]],
    pos: dict[str, tuple[float, float]],
) -> tuple[float, float]:
    """Hubs (metrics and periods) on a ring around everything, at their neighbours' angle,
    spread evenly; returns the middle of the sheet."""
    if placed:
        xs = [c[0] - c[2] for c in placed] + [c[0] + c[2] for c in placed]
        ys = [c[1] - c[2] for c in placed] + [c[1] + c[2] for c in placed]
        mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        outer = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + 2 * _SPACING
    else:
        mx = my = 0.0
        outer = 2 * _SPACING
    hubs = sorted(i for i, r in records.items() if r.get("cls") in _HUB_KINDS)
    wanted: list[tuple[float, str]] = []
    for index, hub in enumerate(hubs):
        sx = sy = 0.0
        for neighbour in g.neighbors(hub):
            if neighbour in pos:
                nx_, ny_ = pos[neighbour]
                sx += nx_ - mx
                sy += ny_ - my
        angle = math.atan2(sy, sx) if (sx or sy) else 2 * math.pi * index / max(1, len(hubs))
        wanted.append((angle % (2 * math.pi), hub))
    wanted.sort()
    if wanted:
        hub_ring = max(outer, len(wanted) * _SPACING / (2 * math.pi))
        gap = 2 * math.pi / len(wanted)
        # keep the order by angle, but spread the hubs evenly all around
        start = wanted[0][0]
        for index, (_, hub) in enumerate(wanted):
            a = start + index * gap
            r = hub_ring + (_SPACING if records[hub]["cls"] == "period" else 0.0)
            pos[hub] = (mx + r * math.cos(a), my + r * math.sin(a))
    return mx, my


# ---------------------------------------------------------------- HTML


@cache
def _vis_assets() -> tuple[str, str]:
    """The JavaScript and CSS of vis-network as pyvis ships them (newest version)."""
    lib = importlib_resources.files("pyvis") / "lib"
    versions = []
    for entry in lib.iterdir():
        if m := re.fullmatch(r"vis-(\d+)\.(\d+)\.(\d+)", entry.name):
            versions.append((tuple(int(p) for p in m.groups()), entry))
    if not versions:
        raise RuntimeError("pyvis ships no vis-network (pyvis/lib/vis-*/): reinstall pyvis")
    folder = max(versions, key=lambda v: v[0])[1]
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    return js, css


@cache
def vendored(name: str) -> str:
    """The text of a vendored npm file (``templates/vendor/``, listed in its manifest.json)."""
    return (_TEMPLATES / "vendor" / name).read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    """JavaScript made safe to sit in a ``<script>`` element."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _sha256(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_view(graph: Graph | Store, *, lang: str = "en", query: str | None = None) -> str:
    """The view of ``graph`` as one self-contained HTML page (see :func:`view_model`)."""
    return render_model(view_model(graph, lang=lang, query=query))


def render_model(model: Mapping[str, Any]) -> str:
    """The HTML page for a model made by :func:`view_model`."""
    template = (_TEMPLATES / "view.html").read_text(encoding="utf-8")
    vis_js, vis_css = _vis_assets()
    vis_js = _inline_script(vis_js)
    view_js = _inline_script((_TEMPLATES / "view.js").read_text(encoding="utf-8"))
    charts_js = _inline_script(vendored("echarts/echarts.common.min.js"))
    css = (vis_css + "\n" + (_TEMPLATES / "view.css").read_text(encoding="utf-8")).replace(
        "</", "<\\/"
    )
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(vis_js)} {_sha256(charts_js)} {_sha256(view_js)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    values = {
        "LANG": "zh-Hans" if model.get("lang") == "zh" else "en",
        "CSP": csp,
        "CSS": css,
        "DATA": json_for_script(model),
        "VIS_JS": vis_js,
        "CHARTS_JS": charts_js,
        "VIEW_JS": view_js,
    }
    pieces = _TOKEN.split(template)  # the template is ours: only its tokens are replaced
    for index in range(1, len(pieces), 2):
        pieces[index] = values[pieces[index]]
    return "".join(pieces)


def write_view(
    graph: Graph | Store,
    path: str | os.PathLike[str],
    *,
    lang: str = "en",
    query: str | None = None,
    force: bool = False,
) -> Path:
    """Write the view of ``graph`` to ``path`` (``.html``) atomically; an existing file is
    replaced only with ``force`` (else E014)."""
    from xmgraph.export import write_bytes

    check_output(path, force=force)
    html = render_view(graph, lang=lang, query=query)
    return write_bytes(path, html.encode("utf-8", errors="replace"), force=force)


def check_output(path: str | os.PathLike[str], *, force: bool = False) -> None:
    """E052 unless ``path`` ends in ``.html``/``.htm``; E014 if it exists without ``force``."""
    p = Path(path)
    if p.suffix.lower() not in (".html", ".htm"):
        raise XmgraphError(Errors.E052, path=path)
    if p.exists() and not force and not p.is_dir():
        raise XmgraphError(Errors.E014, path=path)
