"""Validate: does a graph conform to the shapes, and does the report's arithmetic hold?

Two parts, one report:

- SHACL (pySHACL; no inference unless asked: RDFS or the OWL 2 RL closure) against
  ``ontology/shapes.ttl``: the shape of every observation, source and report, and the W3C
  Data Cube integrity constraints that apply (IC-1 to IC-6, IC-11 to IC-14, IC-19);
- the numeric cross-checks of :mod:`xmgraph.consistency` (growth rates, parts and wholes,
  shares, facts stated twice, implied values), run first so that the observations they
  derive are validated too.

A graph conforms when SHACL finds no violation (warnings and infos do not count) and no
check is ``inconsistent`` or a ``conflict``. Every violation is described for people:
which fact, which rule, which sentence.

>>> FORMATS, INFERENCES
(('text', 'json', 'ttl'), ('none', 'rdfs', 'owlrl'))
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import cache

from rdflib import ConjunctiveGraph, Graph, URIRef
from rdflib.namespace import QB, RDF, RDFS, SH
from rdflib.term import Node

from xmgraph import resources
from xmgraph.consistency import (
    STATUSES,
    Check,
    check_triples,
    checks_vocabulary,
    read_observations,
    record_checks,
    run_checks,
    summary,
)
from xmgraph.errors import Errors, XmgraphError
from xmgraph.model import plain_decimal
from xmgraph.namespaces import PREFIXES, XMG

#: The output formats of ``xmgraph validate``.
FORMATS = ("text", "json", "ttl")
#: What may be entailed before the shapes are checked: nothing, RDFS, or the OWL 2 RL closure.
INFERENCES = ("none", "rdfs", "owlrl")

_SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Violation:
    """One SHACL result, described for people."""

    severity: str  #: violation, warning or info
    fact: str  #: what it is about: "Gross profit of Xiaomi Group, 2024: 76,560,000,000 CNY"
    rule: str  #: the shape (its label) and the property: "Observation: xmg:value"
    message: str  #: what the rule asks
    focus: str  #: IRI of the node that broke it
    value: str  #: the offending value, if any
    report: str  #: file name of the report of the sentence, if any
    start: int | None  #: offsets of the sentence in the original file
    end: int | None
    sentence: str  #: the sentence the fact was read from, if any
    shape: str  #: IRI of the shape (empty for an unnamed property shape)
    component: str  #: the SHACL constraint component, e.g. sh:MinCountConstraintComponent


@dataclass(frozen=True)
class ValidationReport:
    """What :func:`validate_graph` found."""

    violations: tuple[Violation, ...]  #: SHACL results, sorted (violations, warnings, infos)
    checks: tuple[Check, ...]  #: the numeric checks, sorted by IRI
    results: Graph  #: the SHACL validation report and the check results, as RDF
    facts: int  #: stated observations
    derived: int  #: observations derived (by the checks or before)
    triples: int

    @property
    def shacl_violations(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "violation")

    @property
    def failed_checks(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.is_violation)

    @property
    def violation_count(self) -> int:
        """SHACL violations and failed checks together."""
        return len(self.shacl_violations) + len(self.failed_checks)

    @property
    def conforms(self) -> bool:
        return self.violation_count == 0

    def summary(self) -> str:
        """One line: ``conforms: 0 violations; checks: 6 consistent, 0 inconsistent, ...``."""
        counts = summary(self.checks)
        head = "conforms" if self.conforms else "does not conform"
        shacl = len(self.shacl_violations)
        parts = ", ".join(f"{n} {_plural(status, n)}" for status, n in counts.items())
        return f"{head}: {shacl} shape {_plural('violation', shacl)}; checks: {parts}"


def _plural(word: str, n: int) -> str:
    if word in ("conflict", "violation", "remainder"):
        return word if n == 1 else word + "s"
    return word


# ---------------------------------------------------------------- SHACL


@cache
def load_shapes() -> Graph:
    """``ontology/shapes.ttl``, parsed once (E020 when it is broken)."""
    return resources.parse_ontology("shapes.ttl")


def owl_rl_closure(graph: Graph) -> Graph:
    """A copy of ``graph`` with its OWL 2 RL closure (the ``owlrl`` package) added."""
    import owlrl  # lazy: only --inference owlrl needs it

    closed = Graph()
    closed.addN((s, p, o, closed) for s, p, o in graph)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    return closed


def shacl_validate(
    graph: Graph, *, shapes: Graph | None = None, inference: str = "none"
) -> tuple[bool, Graph]:
    """pySHACL over ``graph``: ``(conforms, results graph)``.

    ``inference`` (:data:`INFERENCES`): ``rdfs`` lets pySHACL entail RDFS first (the
    graph's own ontology: the domains, ranges and subclasses of ``xmgraph.ttl``), ``owlrl``
    checks the OWL 2 RL closure; E140 for anything else.
    """
    import pyshacl  # lazy: it takes a while to import

    if inference not in INFERENCES:
        raise XmgraphError(Errors.E140, value=inference, choices=", ".join(INFERENCES))
    if inference == "owlrl":
        graph = owl_rl_closure(graph)
    conforms, results, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="rdfs" if inference == "rdfs" else "none",
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
        advanced=False,
        meta_shacl=False,
        js=False,
        debug=False,
    )
    if not isinstance(results, Graph):  # pySHACL reports a broken shape this way
        path = resources.ontology_dir() / "shapes.ttl"
        reason = " ".join(str(results).split())[:200]
        raise XmgraphError(Errors.E020, path=path, reason=reason)
    return bool(conforms), results


def _union(graph: Graph) -> Graph:
    """A plain graph with every triple of ``graph`` (all named graphs of a dataset)."""
    copy = Graph()
    for prefix, ns in graph.namespaces():
        copy.bind(prefix, ns, override=False)
    if isinstance(graph, ConjunctiveGraph):
        copy.addN((s, p, o, copy) for s, p, o, _ in graph.quads((None, None, None, None)))
    else:
        copy.addN((s, p, o, copy) for s, p, o in graph)
    return copy


# ---------------------------------------------------------------- describing results


def _qname(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        for prefix, ns in sorted(PREFIXES.items()):
            if str(node).startswith(ns) and len(str(node)) > len(ns):
                return f"{prefix}:{str(node)[len(ns) :]}"
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # an IRI that makes no QName
            return str(node)
    return str(node)


def _label(graph: Graph, node: Node) -> str:
    best: tuple[int, str] | None = None
    for graph_ in (graph, checks_vocabulary()):
        for prop in (RDFS.label, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")):
            for lit in graph_.objects(node, prop):
                lang = getattr(lit, "language", None) or ""
                rank = 0 if lang.startswith("en") else 1
                if best is None or (rank, str(lit)) < best:
                    best = (rank, str(lit))
    return best[1] if best else _qname(graph, node)


def _grouped(text: str) -> str:
    whole, dot, frac = text.partition(".")
    digits = whole.lstrip("-")
    if not digits.isdigit():
        return text
    return ("-" if whole.startswith("-") else "") + f"{int(digits):,}" + dot + frac


def _describe_observation(graph: Graph, obs: Node) -> str:
    def part(prop: URIRef) -> Node | None:
        return graph.value(obs, prop)

    metric, entity, period = part(XMG.metric), part(XMG.entity), part(XMG.period)
    value, unit, region = part(XMG.value), part(XMG.unit), part(XMG.region)
    code = graph.value(period, XMG.periodCode) if period is not None else None
    text = f"{_label(graph, metric) if metric is not None else '(no metric)'} of "
    text += _label(graph, entity) if entity is not None else "(no entity)"
    if region is not None and not str(region).endswith("/region/world"):
        text += f" ({_label(graph, region)})"
    text += f", {code if code is not None else '(no period)'}: "
    text += _grouped(str(value)) if value is not None else "(no value)"
    if unit is not None:
        notation = graph.value(unit, URIRef("http://www.w3.org/2004/02/skos/core#notation"))
        text += " " + (str(notation) if notation is not None else _qname(graph, unit))
    return text


def _sentence(graph: Graph, node: Node) -> tuple[str, int | None, int | None, str]:
    """(report file name, start, end, text) of the first source sentence of ``node``."""
    spans = list(graph.objects(node, XMG.source))
    if (node, RDF.type, XMG.SourceSpan) in graph:
        spans = [node]
    best: tuple[str, int, int, str] | None = None
    for span in spans:
        report = graph.value(span, XMG.report)
        name = graph.value(report, XMG.fileName) if report is not None else None
        start, end = graph.value(span, XMG.start), graph.value(span, XMG.end)
        text = graph.value(span, XMG.text)
        try:
            a, b = int(str(start)), int(str(end))
        except ValueError:
            a, b = -1, -1
        row = (str(name or ""), a, b, str(text or ""))
        if best is None or row[:3] < best[:3]:
            best = row
    if best is None:
        return "", None, None, ""
    file_name, a, b, sentence = best
    return file_name, (a if a >= 0 else None), (b if b >= 0 else None), sentence


def _describe(graph: Graph, focus: Node) -> str:
    if (focus, RDF.type, QB.Observation) in graph:
        return _describe_observation(graph, focus)
    if (focus, RDF.type, XMG.SourceSpan) in graph:
        return f"source sentence {_qname(graph, focus)}"
    if (focus, RDF.type, XMG.Report) in graph:
        name = graph.value(focus, XMG.fileName)
        return f"report {name}" if name is not None else f"report {_qname(graph, focus)}"
    if (focus, RDF.type, XMG.CheckResult) in graph:
        return f"check {_qname(graph, focus)}"
    label = _label(graph, focus)
    qname = _qname(graph, focus)
    return qname if label == qname else f"{label} ({qname})"


def _violations(data: Graph, results: Graph) -> list[Violation]:
    out = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        if focus is None:
            continue
        shape = results.value(result, SH.sourceShape)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        level = results.value(result, SH.resultSeverity)
        severity = _SEVERITIES.get(level, "violation") if isinstance(level, URIRef) else "violation"
        component = results.value(result, SH.sourceConstraintComponent)
        # the rule: the shape's label, or (an unnamed property shape) the node shape holding it
        owner = shape
        if shape is not None and not isinstance(shape, URIRef):
            owner = next(load_shapes().subjects(SH.property, shape), shape)
        rule = _label(load_shapes(), owner) if isinstance(owner, URIRef) else "shape"
        if path is not None and isinstance(path, URIRef):
            rule += f": {_qname(data, path)}"
        # rules about observations that target the data set name the observation as value
        about = focus
        if (
            value is not None
            and (value, RDF.type, QB.Observation) in data
            and (focus, RDF.type, QB.Observation) not in data
        ):
            about = value
        name, start, end, sentence = _sentence(data, about)
        out.append(
            Violation(
                severity=severity,
                fact=_describe(data, about),
                rule=rule,
                message=str(message) if message is not None else "",
                focus=str(focus),
                value="" if value is None or about == value else _qname(data, value),
                report=name,
                start=start,
                end=end,
                sentence=sentence,
                shape=str(shape) if isinstance(shape, URIRef) else "",
                component=_qname(data, component) if component is not None else "",
            )
        )
    order = {"violation": 0, "warning": 1, "info": 2}
    out.sort(  # every field in the key: SHACL's results come in no fixed order
        key=lambda v: (
            *(order[v.severity], v.report, v.start or 0, v.end or 0, v.focus, v.rule, v.value),
            *(v.shape, v.component, v.message, v.fact, v.sentence),
        )
    )
    return out


# ---------------------------------------------------------------- the API


def validate_graph(
    graph: Graph,
    *,
    checks: bool = True,
    record: bool = False,
    shapes: Graph | None = None,
    inference: str = "none",
) -> ValidationReport:
    """Run the numeric checks, then SHACL, over ``graph``.

    With ``record`` the checks (and the observations they derive) are written into
    ``graph``, replacing those of an earlier run; otherwise ``graph`` is left as it was.
    ``checks=False`` runs SHACL only. ``shapes`` replaces ``ontology/shapes.ttl``;
    ``inference`` (none, rdfs, owlrl) is what SHACL sees entailed first.
    """
    work = _union(graph)
    for triple in checks_vocabulary():  # the terms of checks.ttl, e.g. xmg:entity's range
        work.add(triple)
    found: list[Check] = []
    if checks:
        found = run_checks(record_checks(work, []))
        record_checks(work, found)
        if record:
            record_checks(graph, found)
    _, results = shacl_validate(work, shapes=shapes, inference=inference)
    violations = _violations(work, results)
    for check in found:
        check_triples(results, check)
    for prefix, ns in PREFIXES.items():
        results.bind(prefix, ns, override=True, replace=True)
    results.bind("sh", str(SH), override=True)
    observations = read_observations(work)
    derived = sum(1 for o in observations if o.derived)
    return ValidationReport(
        violations=tuple(violations),
        checks=tuple(found),
        results=results,
        facts=len(set(work.subjects(RDF.type, QB.Observation))) - derived,
        derived=derived,
        triples=len(work),
    )


# ---------------------------------------------------------------- rendering


def _where(v: Violation) -> str:
    if not v.sentence:
        return ""
    span = f" [{v.start}:{v.end}]" if v.start is not None else ""
    return f"{v.report}{span} {' '.join(v.sentence.split())}"


def render_text(report: ValidationReport) -> str:
    """The report for people: each violation with its fact, rule and sentence."""
    lines = [
        f"xmgraph validate: {report.facts} facts (+{report.derived} derived), "
        f"{report.triples:,} triples"
    ]
    shacl = report.violations
    errors = len(report.shacl_violations)
    if not shacl:
        lines.append("shapes: conform (ontology/shapes.ttl, Data Cube integrity constraints)")
    else:
        lines.append(
            f"shapes: {errors} {_plural('violation', errors)}"
            + (f", {len(shacl) - errors} warnings/infos" if len(shacl) > errors else "")
        )
    for i, v in enumerate(shacl, 1):
        lines.append(f"  {i}. [{v.severity}] {v.fact}")
        lines.append(
            f"     rule: {v.rule}: {v.message}" + (f" (value: {v.value})" if v.value else "")
        )
        where = _where(v)
        if where:
            lines.append(f"     sentence: {where}")
    counts = summary(report.checks)
    lines.append(
        "checks: " + ", ".join(f"{n} {_plural(status, n)}" for status, n in counts.items())
    )
    order = {status: i for i, status in enumerate(("inconsistent", "conflict", *STATUSES))}
    for check in sorted(report.checks, key=lambda c: (order[c.status], c.kind, str(c.iri))):
        lines.append(f"  {check.status:<12} {check.kind:<13} {check.message}")
    verdict = (
        "conforms"
        if report.conforms
        else (
            f"does not conform: {len(report.shacl_violations)} shape "
            f"{_plural('violation', errors)}, {len(report.failed_checks)} failed "
            f"{'check' if len(report.failed_checks) == 1 else 'checks'}"
        )
    )
    lines.append(f"result: {verdict}")
    return "\n".join(lines) + "\n"


def _number(value: Decimal | None) -> str | None:
    """A plain decimal (at most 6 places), None for no value or no bound."""
    if value is None or not value.is_finite():
        return None
    if value.as_tuple().exponent < -6:  # type: ignore[operator]
        value = value.quantize(Decimal("0.000001"))
    return plain_decimal(value)


def report_dict(report: ValidationReport) -> dict[str, object]:
    """The report as plain data (what ``--format json`` prints)."""
    checks = []
    for c in report.checks:
        checks.append(
            {
                "check": str(c.iri),
                "kind": c.kind,
                "status": c.status,
                "message": c.message,
                "focus": str(c.focus),
                "observations": [str(o) for o in c.used],
                "unit": str(c.unit) if c.unit is not None else None,
                "expected": _number(c.expected),
                "lower": _number(c.bounds.lo) if c.bounds is not None else None,
                "upper": _number(c.bounds.hi) if c.bounds is not None else None,
                "stated": _number(c.stated),
                "derived": str(c.derived.iri) if c.derived is not None else None,
                "derived_value": _number(c.derived.value) if c.derived is not None else None,
            }
        )
    return {
        "conforms": report.conforms,
        "summary": report.summary(),
        "facts": report.facts,
        "derived": report.derived,
        "triples": report.triples,
        "violations": [asdict(v) for v in report.violations],
        "checks": checks,
    }


def render_json(report: ValidationReport) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


def render(report: ValidationReport, fmt: str) -> str:
    """``text`` or ``json`` (``ttl`` is :attr:`ValidationReport.results`, serialized by
    the caller); E012 for anything else."""
    if fmt == "text":
        return render_text(report)
    if fmt == "json":
        return render_json(report)
    raise XmgraphError(Errors.E012, value=fmt, choices=", ".join(FORMATS))
