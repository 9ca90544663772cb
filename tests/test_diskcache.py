"""The on-disk cache of start-up's work: regexes rebuilt from their stored code, the lexicon
and ontology files read back as built, keys that follow the files, processes starting
together, entries that cannot be read or folders that cannot be written."""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xmgraph import diskcache
from xmgraph.lexicon import _read_lexicon, load_lexicon
from xmgraph.resources import ontology_files


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("XMGRAPH_CACHE_DIR", str(folder))
    monkeypatch.delenv("XMGRAPH_NO_CACHE", raising=False)
    for memo in (diskcache.REGEXES, diskcache.SLUGS):
        monkeypatch.setattr(memo, "_table", None)
        monkeypatch.setattr(memo, "_grown", False)
    return folder


def _words(draw_from: str) -> st.SearchStrategy[list[str]]:
    return st.lists(st.text(alphabet=draw_from, min_size=1, max_size=6), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(words=_words("收入利润营业额abcAB.*+?()[]|\\^$1"), flags=st.sampled_from([0, re.M, re.I]))
def test_a_regex_read_back_is_the_regex_compiled(words, flags):
    pattern = "|".join(re.escape(w) for w in words) + r"(?P<tail>\d+)?"
    parts = pickle.loads(pickle.dumps(diskcache._parts(pattern, int(flags))))
    rebuilt = diskcache._build(pattern, parts)
    assert rebuilt == re.compile(pattern, flags)  # equality compares the compiled code
    assert rebuilt.groupindex == re.compile(pattern, flags).groupindex


def test_the_regex_table_is_saved_and_used(cache_dir):
    pattern = r"(?P<a>营业收入|净利润)\s*(?P<n>\d+(?:\.\d+)?)"
    first = diskcache.regex(pattern)
    diskcache.REGEXES.save()
    assert list(cache_dir.glob("regex-*.pickle"))
    diskcache.REGEXES._table = None  # a new process: the table read from disk
    assert (pattern, 0) in diskcache.REGEXES.table()
    again = diskcache.regex(pattern)
    assert again == first
    assert again.match("营业收入 12.5")["n"] == "12.5"


def test_the_cached_lexicon_is_the_lexicon_read(cache_dir):
    load_lexicon.cache_clear()
    try:
        cached = load_lexicon()  # built, then saved
        assert list(cache_dir.glob("lexicon-*.pickle"))
        load_lexicon.cache_clear()
        read_back = load_lexicon()  # from the file
    finally:
        load_lexicon.cache_clear()
    fresh = _read_lexicon(tuple(ontology_files()))
    assert read_back is not cached
    for f in dataclasses.fields(fresh):
        assert getattr(read_back, f.name) == getattr(fresh, f.name), f.name


def test_keys_follow_the_files(tmp_path):
    ttl = tmp_path / "a.ttl"
    ttl.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    before = diskcache.key([ttl])
    assert diskcache.key([ttl]) == before
    ttl.write_text("<urn:a> <urn:b> <urn:d> .\n", encoding="utf-8")
    assert diskcache.key([ttl]) != before


def test_an_unreadable_entry_is_rebuilt(cache_dir):
    cache_dir.mkdir(parents=True)
    (cache_dir / "thing-k.pickle").write_bytes(b"not a pickle")
    assert diskcache.load("thing", "k") is None
    assert diskcache.cached("thing", "k", lambda: {"x": 1}) == {"x": 1}
    assert diskcache.load("thing", "k") == {"x": 1}
    assert not [p for p in cache_dir.iterdir() if p.suffix == ".tmp"]


def test_a_folder_that_cannot_be_written_is_only_slower(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XMGRAPH_CACHE_DIR", str(blocker / "cache"))  # under a file
    assert diskcache.cached("thing", "k", lambda: 42) == 42


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("XMGRAPH_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("XMGRAPH_NO_CACHE", "1")
    assert diskcache.cached("thing", "k", lambda: 7) == 7
    assert not (tmp_path / "c").exists()


_FACTS = """
import sys
from xmgraph import build_graph
from xmgraph.facts import facts_rows, write_csv
write_csv(facts_rows(build_graph([sys.argv[1]])), sys.stdout)
"""


def test_processes_starting_together_agree(tmp_path, seed_path):
    """Four processes on an empty cache, then four on the cache they wrote: every one
    prints the same facts, and every entry left is whole."""
    env = {**os.environ, "XMGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("XMGRAPH_NO_CACHE", None)
    outputs = []
    for _ in range(2):
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", _FACTS, str(seed_path)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(4)
        ]
        outputs += [run.communicate(timeout=300)[0] for run in runs]
        assert all(run.returncode == 0 for run in runs)
    assert len(set(outputs)) == 1
    assert outputs[0].count(b"\n") > 10
    entries = list(Path(tmp_path / "cache").glob("*.pickle"))
    assert {p.name.split("-")[0] for p in entries} >= {"lexicon", "regex", "ontology", "slug"}
    for entry in entries:
        with open(entry, "rb") as stream:
            assert pickle.load(stream) is not None
    assert not list(Path(tmp_path / "cache").glob("*.tmp"))


def test_the_newest_entries_of_a_kind_are_kept(cache_dir):
    """Two versions sharing the folder keep their entries; older ones go, and a kind whose
    name begins with another's ("ontology-entities-a-b") is not that kind."""
    import os

    diskcache.save("ontology-entities-a-b", "f" * 32, "other kind")
    for n, entry in enumerate(("a" * 32, "b" * 32, "c" * 32, "d" * 32, "e" * 32)):
        diskcache.save("ontology-entities-a", entry, n)
        path = cache_dir / f"ontology-entities-a-{entry}.pickle"
        os.utime(path, ns=(n * 10**9, n * 10**9))  # distinct times, the later saves newer
    left = sorted(p.name[len("ontology-entities-a-") :][:1] for p in cache_dir.glob("*.pickle"))
    assert left == ["b", "b", "c", "d", "e"]  # "b-ffff…" is the other kind's entry
    assert diskcache.load("ontology-entities-a-b", "f" * 32) == "other kind"
    assert diskcache.load("ontology-entities-a", "e" * 32) == 4
    assert diskcache.load("ontology-entities-a", "a" * 32) is None
