"""export: formats round-trip, output is byte-identical across processes, writes are atomic."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from xmgraph.errors import XmgraphError
from xmgraph.export import FORMATS, format_for, load_graph, serialize, write_bytes, write_graph

EXTENSIONS = sorted(FORMATS)
EX = "https://example.org/"


@pytest.fixture(scope="module")
def graph_with_bnodes(sample_graph):
    """The sample graph plus a few blank nodes (as a user's graph may have)."""
    g = Graph()
    g += sample_graph
    for prefix, ns in sample_graph.namespaces():
        g.bind(prefix, ns)
    a, b = BNode(), BNode()
    g.add((URIRef(EX + "s"), URIRef(EX + "p"), a))
    g.add((a, URIRef(EX + "q"), Literal("a")))
    g.add((a, URIRef(EX + "r"), b))
    g.add((b, URIRef(EX + "q"), Literal("b")))
    return g


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_round_trip(graph_with_bnodes, tmp_path, ext):
    path = write_graph(graph_with_bnodes, tmp_path / f"g{ext}")
    back = load_graph([path])
    assert len(back) == len(graph_with_bnodes)
    assert isomorphic(back, graph_with_bnodes)


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_written_graph_serializes_to_the_same_bytes(sample_graph, tmp_path, ext):
    data = serialize(sample_graph, ext)
    path = tmp_path / f"g{ext}"
    path.write_bytes(data)
    assert serialize(load_graph([path]), ext) == data


def test_decimals_keep_their_lexical_form(sample_graph):
    ttl = serialize(sample_graph, "turtle").decode()
    assert 'xmg:value "10000000000"^^xsd:decimal' in ttl
    assert "xmg:value 7.5 " in ttl or "xmg:value 7.5\n" in ttl or "xmg:value 7.5 ;" in ttl


def test_turtle_is_sorted_and_prefixed(sample_graph):
    ttl = serialize(sample_graph, ".ttl").decode()
    assert "@prefix xmg: <https://w3id.org/xmgraph/ont#> ." in ttl
    assert "ns1:" not in ttl
    prefixes = [line for line in ttl.splitlines() if line.startswith("@prefix")]
    assert prefixes == sorted(prefixes)


def test_ntriples_lines_sorted(graph_with_bnodes):
    lines = serialize(graph_with_bnodes, "nt").decode().splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(graph_with_bnodes)


def test_nquads_keep_named_graphs(tmp_path):
    ds = Dataset()
    named = ds.graph(URIRef(EX + "g1"))
    named.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("in g1")))
    ds.default_graph.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("default")))
    text = serialize(ds, "nquads").decode()
    assert f'<{EX}s> <{EX}p> "in g1" <{EX}g1> .' in text.splitlines()
    assert f'<{EX}s> <{EX}p> "default" .' in text.splitlines()
    path = tmp_path / "d.nq"
    path.write_text(text, encoding="utf-8")
    assert len(load_graph(path)) == 2  # the union


# Run in a child process: builds the sample by hand, prints every format's SHA-256.
CHILD = textwrap.dedent(
    """
    import hashlib, sys
    from decimal import Decimal
    from rdflib import BNode, Literal, URIRef
    from xmgraph.build import build
    from xmgraph.export import FORMATS, serialize
    from xmgraph.model import Entity, Extraction, Fact, Period, Report, Role, Source

    text = "甲公司2024年收入為100億元。乙業務2025年交付目標35萬臺。乙業務2025年交付目標35萬臺。"
    sha = hashlib.sha256(text.encode()).hexdigest()
    report = Report("r.txt", text, sha, "utf-8")
    def src(a, b):
        return Source(sha, "r.txt", a, b, text[a:b])
    co = Entity("https://w3id.org/xmgraph/id/org/jia", "company", "甲公司", known=False)
    seg = Entity(co.iri + "/yi", "segment", "乙業務", parent=co.iri, known=False)
    person = Entity("https://w3id.org/xmgraph/id/person/lei-jun", "person", "雷军", known=True)
    m = "https://w3id.org/xmgraph/metric/"
    facts = (
        Fact(co, m + "Revenue", Period("2024"), Decimal("1E10"), "CNY", src(0, 17)),
        Fact(seg, m + "Deliveries", Period("2025"), Decimal(350000), "vehicle", src(17, 34),
             qualifiers=("target",)),
        Fact(seg, m + "Deliveries", Period("2025"), Decimal(350000), "vehicle", src(34, 51),
             qualifiers=("approximate", "target")),
    )
    roles = (Role(person, "https://w3id.org/xmgraph/ont#Founder", co.iri, src(0, 17)),)
    g = build([Extraction(report, facts, (co, seg), roles)])
    a, b = BNode(), BNode()
    g.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), a))
    g.add((a, URIRef("https://example.org/q"), b))
    g.add((b, URIRef("https://example.org/q"), Literal("x")))
    for ext in sorted(FORMATS):
        print(ext, hashlib.sha256(serialize(g, ext)).hexdigest())
    """
)


def test_byte_identical_across_processes(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    outputs = []
    for seed in ("1", "2", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert len(outputs[0].splitlines()) == len(FORMATS)
    assert outputs[0] == outputs[1] == outputs[2]


# ---------------------------------------------------------------- writing


def test_unknown_extension_e010(sample_graph, tmp_path):
    with pytest.raises(XmgraphError, match=r"^E010: .*\.ttl .nt .nq .jsonld .trig"):
        write_graph(sample_graph, tmp_path / "g.xml")
    with pytest.raises(XmgraphError, match=r"^E010"):
        format_for(tmp_path / "g")
    assert list(tmp_path.iterdir()) == []


def test_existing_file_not_overwritten_without_force(sample_graph, tmp_path):
    path = tmp_path / "g.ttl"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(XmgraphError, match=r"^E014: output file exists"):
        write_graph(sample_graph, path)
    assert path.read_text(encoding="utf-8") == "keep me"
    with pytest.raises(XmgraphError, match=r"^E014"):
        write_bytes(path, b"new")
    assert path.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl"]
    write_graph(sample_graph, path, force=True)
    assert len(load_graph([path])) == len(sample_graph)


def test_failed_write_leaves_nothing_behind(sample_graph, tmp_path, monkeypatch):
    path = tmp_path / "g.ttl"
    path.write_text("keep me", encoding="utf-8")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(XmgraphError, match=r"^E015: cannot write .*No space left"):
        write_graph(sample_graph, path, force=True)
    assert path.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl"]
    new = tmp_path / "new.nt"
    with pytest.raises(XmgraphError, match=r"^E015"):
        write_graph(sample_graph, new)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl"]


def test_serialize_error_leaves_nothing_behind(sample_graph, tmp_path, monkeypatch):
    import xmgraph.export as export

    def broken(graph, fmt):
        raise RuntimeError("serializer bug")

    monkeypatch.setattr(export, "serialize", broken)
    with pytest.raises(RuntimeError):
        export.write_graph(sample_graph, tmp_path / "g.ttl")
    assert list(tmp_path.iterdir()) == []


def test_missing_directory_e015(sample_graph, tmp_path):
    with pytest.raises(XmgraphError, match=r"^E015: .*no such directory"):
        write_graph(sample_graph, tmp_path / "nope" / "g.ttl")
    folder = tmp_path / "g.ttl"
    folder.mkdir()
    with pytest.raises(XmgraphError, match=r"^E015: .*is a directory"):
        write_graph(sample_graph, folder, force=True)


def test_written_file_is_readable_by_others(sample_graph, tmp_path):
    old = os.umask(0o022)
    try:
        path = write_graph(sample_graph, tmp_path / "g.nt")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


# ---------------------------------------------------------------- reading back


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("missing.ttl", None, "E001"),
        ("empty.ttl", b"", "E003"),
        ("junk.ttl", b"@prefix broken <not closed\n this is not turtle", "E013"),
        ("binary.nt", bytes(range(256)) * 4, "E013"),
        ("bad.jsonld", b"{not json", "E013"),
        ("graph.xml", b"<rdf/>", "E011"),
    ],
)
def test_load_errors(tmp_path, name, content, code):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(XmgraphError) as info:
        load_graph([path])
    assert info.value.code == code
    assert "\n" not in str(info.value)


def test_load_directory_e002(tmp_path):
    folder = tmp_path / "g.ttl"
    folder.mkdir()
    with pytest.raises(XmgraphError, match=r"^E002"):
        load_graph([folder])


def test_load_merges_files(sample_graph, tmp_path):
    a = write_graph(sample_graph, tmp_path / "a.ttl")
    extra = Graph()
    extra.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("extra")))
    b = write_graph(extra, tmp_path / "b.jsonld")
    merged = load_graph([a, Path(b)])
    assert len(merged) == len(sample_graph) + 1


def test_a_bad_iri_in_a_graph_is_E013(tmp_path):
    """rdflib reads <http://exa mple.org/> from Turtle with a warning; writing it would fail:
    it is refused when read, with the IRI named."""
    path = tmp_path / "bad.ttl"
    path.write_text("<urn:a> <urn:b> <http://exa mple.org/{x}> .\n", encoding="utf-8")
    with pytest.raises(XmgraphError, match=r"^E013: .*bad IRI <http://exa mple\.org/\{x\}>"):
        load_graph([path])


# ---------------------------------------------------------------- found by mutation testing


def test_a_graphs_own_prefix_is_kept(tmp_path):
    g = Graph()
    g.bind("ex", EX)
    g.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("o")))
    ttl = serialize(g, "turtle").decode()
    assert f"@prefix ex: <{EX}> ." in ttl
    assert 'ex:s ex:p "o" .' in ttl


def test_a_blank_graph_name_keeps_its_label():
    ds = Dataset()
    ds.graph(BNode("g7")).add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("x")))
    assert serialize(ds, "nquads").decode() == f'<{EX}s> <{EX}p> "x" _:g7 .\n'


def test_an_unknown_format_is_E010_when_serializing(sample_graph):
    with pytest.raises(XmgraphError, match=r"^E010: .*'rdfxml'.*\.ttl .nt .nq .jsonld .trig"):
        serialize(sample_graph, "rdfxml")


def test_no_free_temporary_name_is_E015(sample_graph, tmp_path, monkeypatch):
    def taken(*args, **kwargs):
        raise FileExistsError(17, "File exists")

    monkeypatch.setattr(os, "open", taken)
    with pytest.raises(XmgraphError, match=r"^E015: .*cannot create a temporary file in"):
        write_bytes(tmp_path / "g.nt", b"x")


def test_only_a_dead_writers_temporary_file_is_removed(tmp_path, dead_pid):
    from xmgraph.export import remove_orphan_temps

    dead = tmp_path / f".g.ttl.{dead_pid}.0.tmp"
    alive = tmp_path / f".g.ttl.{os.getpid()}.0.tmp"
    other = tmp_path / f".h.ttl.{dead_pid}.0.tmp"
    for p in (dead, alive, other):
        p.write_bytes(b"partial")
    assert remove_orphan_temps(tmp_path / "g.ttl") == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name])


def test_a_name_too_long_to_look_up_is_E006(tmp_path):
    with pytest.raises(XmgraphError, match=r"^E006: .*name too long") as info:
        load_graph([tmp_path / ("a" * 300 + ".ttl")])
    assert info.value.code == "E006"


def test_an_unknown_extension_names_the_known_ones_when_loading(tmp_path):
    with pytest.raises(XmgraphError, match=r"^E011: .*\.ttl .nt .nq .jsonld .trig"):
        load_graph([tmp_path / "graph.xml"])


_BAD = "<urn:a> <urn:b> <urn:c> <urn:d> ."
_WHY = "expected '.' or '}' or ']' at end of statement"


@pytest.mark.parametrize(
    ("text", "where", "shown"),
    [
        (f'<urn:a> <urn:b> "c" .\n{_BAD}\n<urn:a> <urn:b> "e" .\n', "line 2, column 25", _BAD),
        (f"\n{_BAD}\n", "line 2, column 25", _BAD),  # the first line empty
        (f'<urn:a> <urn:b> "c" .\n{_BAD}', "line 2, column 25", _BAD),  # no newline at the end
        (
            "<urn:a> <urn:b> <urn:c> <urn:" + "d" * 100 + "> <urn:e> .\n",
            "line 1, column 25",
            "<urn:a> <urn:b> <urn:c> <urn:" + "d" * 48 + "...",  # cut at 80 characters
        ),
    ],
)
def test_a_parse_error_names_its_line_column_reason_and_text(tmp_path, text, where, shown):
    path = tmp_path / "x.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(XmgraphError) as info:
        load_graph([path])
    assert str(info.value).endswith(f"{where}: {_WHY}: {shown}")


def test_a_conjunctive_graphs_default_context_is_the_default_graph():
    import warnings

    from rdflib import ConjunctiveGraph

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = ConjunctiveGraph()
    graph.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("o")))
    assert serialize(graph, "nquads").decode() == f'<{EX}s> <{EX}p> "o" .\n'


def test_a_folder_is_no_output_file_with_or_without_force(sample_graph, tmp_path):
    folder = tmp_path / "g.ttl"
    folder.mkdir()
    for force in (False, True):
        with pytest.raises(XmgraphError) as info:
            write_graph(sample_graph, folder, force=force)
        assert str(info.value) == f"E015: cannot write {folder}: it is a directory"


def test_an_existing_output_is_refused_before_serializing(sample_graph, tmp_path, monkeypatch):
    import xmgraph.export as export

    def never(graph, fmt):
        raise AssertionError("serialized although the output exists")

    path = tmp_path / "g.ttl"
    path.write_text("keep me", encoding="utf-8")
    monkeypatch.setattr(export, "serialize", never)
    with pytest.raises(XmgraphError, match=r"^E014"):
        export.write_graph(sample_graph, path)


# ---------------------------------------------------------------- rows taken as canonical

_LANGS = st.sampled_from(["", "en", "EN", "zh-Hans", "zh-hans"])
_TYPES = st.sampled_from(["", "string", "date"])


@given(st.lists(st.tuples(st.text(max_size=12), _LANGS, _TYPES), min_size=1, max_size=8))
@settings(max_examples=300, deadline=None)
def test_rows_taken_as_canonical_are_oxigraphs(values: list[tuple[str, str, str]]) -> None:
    """rdflib's N-Triples rows that ``is_canonical`` passes are the bytes Oxigraph's parser
    and serializer make of them (``SortedRows`` skips those then)."""
    import pyoxigraph as ox
    from rdflib.plugins.serializers.nt import _nt_row

    from xmgraph.export import is_canonical

    rows = []
    for n, (text, lang, kind) in enumerate(values):
        datatype = URIRef("http://www.w3.org/2001/XMLSchema#" + kind) if kind and not lang else None
        literal = Literal(text, lang=lang or None, datatype=datatype)
        rows.append(_nt_row((URIRef(f"urn:s{n}"), URIRef("urn:p"), literal)))
    data = "".join(rows).encode("utf-8")
    nt = ox.RdfFormat.N_TRIPLES
    canonical = ox.serialize(ox.parse(data, format=nt), format=nt)
    if is_canonical(data):
        assert data == canonical


@given(st.lists(st.text(max_size=6).map(lambda t: f'<urn:a> <urn:p> "{t}" .\n'), max_size=12))
def test_raw_rows_are_the_rows_given_once_each_sorted_by_their_bytes(rows: list[str]) -> None:
    """``SortedRows.raw``: each row encoded once, the bytes sorted, a line break inside a
    row (\\r, \\n) kept inside it."""
    from xmgraph.export import SortedRows

    held = SortedRows()
    for row in rows:
        held.add(row)
    assert held.raw() == sorted({row.encode("utf-8") for row in rows})


def test_skolem_iris_end_in_at_most_16_hex_digits():
    """The base, then the first 16 hex digits of each blank node's canonical label."""
    import re

    from xmgraph.export import skolemize

    g = Graph()
    for i in range(3):
        node = BNode()
        g.add((URIRef("urn:a"), URIRef("urn:p"), node))
        g.add((node, URIRef("urn:q"), Literal(i)))
    made = {str(t[2]) for t in skolemize(g, base="urn:x:") if str(t[1]) == "urn:p"}
    assert len(made) == 3
    assert all(re.fullmatch(r"urn:x:[0-9a-f]{1,16}", iri) for iri in made), made
    assert any(len(iri) == len("urn:x:") + 16 for iri in made), made


def test_a_parse_error_without_a_position_is_its_message_on_one_line():
    from xmgraph.export import parse_error

    assert parse_error(ValueError("a bad\n  thing")) == "a bad thing"


def test_rows_as_oxigraph_writes_them_are_canonical():
    from xmgraph.export import is_canonical

    assert is_canonical(b'<urn:a> <urn:p> "ab"@en .\n')
    assert not is_canonical('<urn:a> <urn:p> "a\uffffb" .\n'.encode())


def test_a_loaded_prefix_does_not_take_over_a_namespace_the_graph_binds(tmp_path):
    """A file's prefix for a namespace the graph already names keeps the graph's prefix."""
    path = tmp_path / "a.ttl"
    path.write_text("@prefix b: <http://x.example/> .\nb:s b:p b:o .\n", encoding="utf-8")
    graph = Graph(bind_namespaces="none")
    graph.bind("a", "http://x.example/")
    load_graph([path], graph=graph)
    assert dict(graph.namespaces())["a"] == URIRef("http://x.example/")
    assert "b" not in dict(graph.namespaces())


def test_a_datasets_default_graph_is_found_without_deprecated_rdflib_calls():
    """rdflib 7 deprecates ``Dataset.default_context``; ``default_graph`` is used instead."""
    import warnings

    from xmgraph.export import default_graph

    ds = Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        assert default_graph(ds).identifier == ds.default_graph.identifier


def test_sorted_rows_spill_as_soon_as_a_chunk_is_full():
    """At most ``chunk`` rows are held in memory: the chunk-th row sends them to a file."""
    from xmgraph.export import SortedRows

    rows = SortedRows(chunk=2)
    rows.add("<urn:a> <urn:p> <urn:o> .\n")
    assert not rows.spilled
    rows.add("<urn:b> <urn:p> <urn:o> .\n")
    assert rows.spilled
    assert list(rows) == [b"<urn:a> <urn:p> <urn:o> .\n", b"<urn:b> <urn:p> <urn:o> .\n"]
