"""Tests for xmgraph.extract.tagging: the work of the taggers grows linearly with the text."""

from __future__ import annotations

import dataclasses
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xmgraph.context import add_context
from xmgraph.extract import extract, tagging
from xmgraph.lexicon import load_lexicon
from xmgraph.model import Report
from xmgraph.normalize import normalize


class _Scanned:
    """A compiled regex that counts the characters its scans are given."""

    def __init__(self, pattern, counter):
        self.pattern = pattern
        self.counter = counter

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        self.counter[0] += max(0, min(endpos, len(string)) - pos)
        return self.pattern.finditer(string, pos, endpos)

    def __getattr__(self, name):
        return getattr(self.pattern, name)


def _scanned_chars(monkeypatch, text: str) -> int:
    lexicon = load_lexicon()
    counter = [0]
    real = tagging.tag_patterns(lexicon)
    counted = dataclasses.replace(
        real,
        place=_Scanned(real.place, counter),
        unknown_place=_Scanned(real.unknown_place, counter),
    )
    monkeypatch.setattr("xmgraph.extract.tag_patterns", lambda lexicon: counted)
    doc = add_context(normalize(Report("a.txt", text, "0", "utf-8")), lexicon)
    extraction = extract(doc, lexicon)
    assert extraction is not None
    return counter[0]


SENTENCES = [
    "分地区看，省内实现收入12亿元。",
    "华东地区收入8亿元，同比增长3%。\n",
    "小米集团2024年收入为3659亿元。",
    "海外市场收入1200亿元！",
]


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(SENTENCES), min_size=100, max_size=160))
def test_place_taggers_scan_linearly(monkeypatch, sentences):
    """The place taggers look at each sentence (and a little before it), not at the whole
    text up to it: doubling the text at most doubles the characters they scan."""
    text = "".join(sentences)
    once = _scanned_chars(monkeypatch, text)
    twice = _scanned_chars(monkeypatch, text * 2)
    assert once > 0
    # the sentences in the first PLACE_LOOKBACK characters scan less than the rest
    ramp = 2 * tagging.PLACE_LOOKBACK * tagging.PLACE_LOOKBACK // 8
    assert twice <= 2 * once + ramp, (once, twice)
