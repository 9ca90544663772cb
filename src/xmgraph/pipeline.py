"""The pipeline as a library: report texts and graphs in, one graph out.

read -> normalize -> context -> extract -> build for each report (a ``.txt``, or any file
that is not a graph format), and graphs we wrote (``.ttl .nt .nq .jsonld .trig``) merged in.
``published`` is the reports' publication date: it wins over the dateline a text carries
(relative periods such as 今年 and 去年 are read against it).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from xmgraph.errors import Errors, XmgraphError

if TYPE_CHECKING:
    from datetime import date

    from rdflib import Graph

    from xmgraph.model import Extraction

PathLike = str | os.PathLike[str]

log = logging.getLogger(__name__)


def extract_report(path: PathLike, *, published: date | None = None) -> Extraction:
    """Read, normalize and extract one report file (published on ``published``, if given;
    else on the date its dateline gives, if any)."""
    from xmgraph.context import add_context
    from xmgraph.extract import extract
    from xmgraph.lexicon import load_lexicon
    from xmgraph.normalize import normalize
    from xmgraph.read import read_report

    lexicon = load_lexicon()
    report = read_report(path)
    doc = normalize(report, vocabulary=lexicon.vocabulary)
    doc = add_context(doc, lexicon, published=published)
    for warning in doc.warnings:  # what the normalizer could not repair
        log.warning("%s: %s", report.name, warning)
    extraction = extract(doc, lexicon)
    if not extraction.facts:
        log.warning("%s: nothing could be extracted: %s", report.name, why_no_facts(report.text))
    return extraction


def why_no_facts(text: str) -> str:
    """Why a report gave no facts, as far as its text tells.

    >>> why_no_facts("%PDF-1.4 ...")
    'it is a PDF file, not text: convert it first (pdftotext -enc UTF-8 FILE.pdf)'
    >>> why_no_facts("Revenue rose 5% to $3bn.")
    'it has no Chinese text (xmgraph reads Chinese company results news)'
    >>> why_no_facts("今天天气很好。")
    'no figure of a metric xmgraph knows (revenue, profit, deliveries ...): is it a results report?'
    """
    if text.lstrip("\ufeff \t\r\n").startswith("%PDF-"):
        return "it is a PDF file, not text: convert it first (pdftotext -enc UTF-8 FILE.pdf)"
    if not any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text):
        return "it has no Chinese text (xmgraph reads Chinese company results news)"
    return (
        "no figure of a metric xmgraph knows (revenue, profit, deliveries ...): "
        "is it a results report?"
    )


def build_graph(
    inputs: Iterable[PathLike],
    *,
    graph: Graph | None = None,
    checks: bool = False,
    published: date | None = None,
) -> Graph:
    """Build one graph from report texts and graphs we wrote (by extension).

    Reports are built together, so a figure stated in two of them is one observation with
    both sources; graphs are merged in. With ``checks`` the numeric checks of
    :mod:`xmgraph.consistency` run and are recorded in the graph, with the values they
    derive (qualified ``derived``), as ``xmgraph build`` does. ``published``: the reports'
    publication date (``--date``), over their datelines. Raises E040 when ``inputs`` is
    empty, and the reading errors (E001-E006, E013) of the first bad input.
    """
    from rdflib import Graph

    from xmgraph.build import bind_prefixes, build
    from xmgraph.export import check_input, is_graph_file, load_graph

    paths = list(inputs)
    if not paths:
        raise XmgraphError(Errors.E040)
    for path in paths:  # every input checked before any work
        check_input(path)
    if graph is None:
        graph = Graph()
    graph_files = [p for p in paths if is_graph_file(p)]
    if graph_files:
        load_graph(graph_files, graph=graph)
    extractions = [extract_report(p, published=published) for p in paths if not is_graph_file(p)]
    if extractions:
        build(extractions, graph=graph)
        if checks:
            from xmgraph.consistency import check_graph

            check_graph(graph, record=True)
    return bind_prefixes(graph)


def build_ntriples(inputs: Iterable[PathLike], *, published: date | None = None) -> bytes:
    """The triples :func:`build_graph` gives for report texts (no graph files among them),
    without an rdflib graph: as N-Triples for Oxigraph (``xmgraph facts``;
    :func:`xmgraph.build.built_for_oxigraph`). The same errors."""
    from xmgraph.build import built_for_oxigraph

    return built_for_oxigraph(_extractions(inputs, published))


def _extractions(inputs: Iterable[PathLike], published: date | None) -> Iterator[Extraction]:
    from xmgraph.export import check_input

    paths = list(inputs)
    if not paths:
        raise XmgraphError(Errors.E040)
    for path in paths:
        check_input(path)
    return (extract_report(p, published=published) for p in paths)
