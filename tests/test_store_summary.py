"""The rows an Oxigraph store keeps for ``metrics``, ``targets_vs_actuals`` and
``conflicts`` (xmgraph.store.SUMMARISED): the same rows as the queries over every
observation, after any add, replace or remove."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from xmgraph import query as q
from xmgraph.dataset import build_dataset
from xmgraph.namespaces import XMG
from xmgraph.store import (
    SUMMARISED,
    SUMMARY_GRAPH,
    OxigraphStore,
    open_store,
    report_graph_iri,
    row_bag,
)

DATA = Path(__file__).parent / "data" / "dataset"
_FIGURES = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.booleans()), max_size=6)
_REPORTS = st.lists(_FIGURES, min_size=1, max_size=4)


def _ntriples(figures: list[tuple[int, int, bool]], report: int) -> bytes:
    graph = Graph()
    for i, (metric, entity, derived) in enumerate(figures):
        obs = URIRef(f"urn:obs:{report}:{i}")
        graph.add((obs, XMG.metric, URIRef(f"urn:metric:{metric}")))
        graph.add((obs, XMG.entity, URIRef(f"urn:entity:{entity}")))
        if derived:
            graph.add((obs, XMG.qualifier, XMG.Derived))
    return graph.serialize(format="nt").encode()


def _has_summary(store: OxigraphStore) -> bool:
    return bool(store.inner.contains_named_graph(ox.NamedNode(SUMMARY_GRAPH)))


def _same_as_without(store: OxigraphStore) -> None:
    """Each query from the summary gives the rows, in order, of the query over every
    observation on Oxigraph (the text changed by a comment, so not summarised), and the
    rows of rdflib's engine."""
    graph = store.graph()
    for name in SUMMARISED:
        text = q.load_query(name)
        summarised = store.query(text)
        assert _has_summary(store)
        plain = store.query(text + "\n# not the named query\n")
        assert (summarised.columns, summarised.rows) == (plain.columns, plain.rows)
        assert row_bag(summarised.rows) == row_bag(q.run_query(graph, name).rows)


@settings(max_examples=20, deadline=None)
@given(reports=_REPORTS, replacement=_FIGURES, data=st.data())
def test_metrics_from_the_summary_after_add_replace_remove(reports, replacement, data):
    store = open_store("oxigraph:")
    assert isinstance(store, OxigraphStore)
    names = [report_graph_iri(f"{i:064x}") for i in range(len(reports))]
    for i, (name, figures) in enumerate(zip(names, reports, strict=True)):
        store.put_graph(name, _ntriples(figures, i))  # added one at a time
        assert not _has_summary(store)  # every write drops it
        _same_as_without(store)
    which = data.draw(st.integers(0, len(names) - 1))
    store.put_graph(names[which], _ntriples(replacement, 99))  # replaced
    _same_as_without(store)
    gone = data.draw(st.lists(st.sampled_from(names), unique=True))
    store.drop_graphs(gone)  # removed
    assert not _has_summary(store)
    _same_as_without(store)


def test_a_build_keeps_the_summary_and_never_writes_it(tmp_path):
    spec = f"oxigraph:{tmp_path / 'store'}"
    build_dataset([DATA], store=spec)
    with open_store(spec, read_only=True) as store:
        assert isinstance(store, OxigraphStore)
        assert store.query(q.load_query("conflicts")).rows  # the data set's conflicts
        _same_as_without(store)
    changed = tmp_path / "huachen_2025.txt"  # the same file name, another figure: replaced
    text = (DATA / "huachen_2025.txt").read_text(encoding="utf-8")
    changed.write_text(text.replace("1,290.0", "1,286.4"), encoding="utf-8")
    summary = build_dataset([changed], store=spec, output=tmp_path / "out.trig")
    assert summary.replaced == 1
    with open_store(spec, read_only=True) as store:  # read-only: the build's summary
        assert isinstance(store, OxigraphStore)
        assert _has_summary(store)
        _same_as_without(store)
        count = len(store)
    assert SUMMARY_GRAPH not in (tmp_path / "out.trig").read_text(encoding="utf-8")
    with open_store(spec) as store:
        assert isinstance(store, OxigraphStore)
        store.drop_graphs([store.reports()[sha].graph for sha in sorted(store.reports())[:1]])
        assert not _has_summary(store)
        assert len(store) < count
        _same_as_without(store)  # made again, from what is left


@settings(max_examples=20, deadline=None)
@given(reports=_REPORTS, merged=st.booleans(), gone=st.integers(0, 4))
def test_a_store_is_true_when_it_holds_quads(reports, merged, gone):
    """``bool(store)`` (found without counting) is ``len(store) > 0``, summaries aside."""
    store = OxigraphStore(None, merged=merged)
    names = [report_graph_iri(f"{i:064x}") for i in range(len(reports))]
    for i, (name, figures) in enumerate(zip(names, reports, strict=True)):
        store.put_graph(name, _ntriples(figures, i))
    store.summarise()
    store.drop_graphs(names[:gone])
    store.summarise()
    assert bool(store) == (len(store) > 0)
