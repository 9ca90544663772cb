"""What every stage reads: the document's environment, and where a figure stands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache

from xmgraph.diskcache import regex
from xmgraph.extract.frame import Frame, quick_init
from xmgraph.extract.rules import RuleSet, Sieve
from xmgraph.extract.sentences import Sentence
from xmgraph.lexicon import Lexicon, MetricInfo
from xmgraph.model import Document, Entity, Fact, Period, Source
from xmgraph.names import EntityFinder
from xmgraph.patterns import Mention, Patterns, alternation


def loss_in_force(frame: Frame, lex: Lexicon) -> bool:
    """Whether the metric in force is a loss (净亏损: the loss counterpart of a profit), its
    figures amounts lost."""
    return frame.metric is not None and frame.metric.iri in lex.loss_metrics


@dataclass(frozen=True)
class Env:
    """The document being read and what it needs: lexicon, patterns, rules, entities."""

    doc: Document
    lex: Lexicon
    pats: Patterns
    ents: EntityFinder
    rules: RuleSet
    report_period: Period | None = None
    currency: str = "CNY"
    declared_currency: str | None = None  #: named once for the whole text (（港元，下同）)
    fiscal_end: tuple[int, int] | None = None  #: (month, day) its fiscal year ends, not 31 Dec
    #: a Hong Kong paper's: in Traditional characters, or with its words (按年) reprinted
    hong_kong: bool = False
    #: a Hong Kong paper's in its own script and words (Traditional, with 按年)
    hong_kong_paper: bool = False
    renminbi_named: bool = False  #: the text names renminbi somewhere (人民币, RMB …)

    @property
    def text(self) -> str:
        return self.doc.text

    @cached_property
    def sieve(self) -> Sieve:
        """The rules that may hold for a context, by its key (:class:`~.rules.Sieve`)."""
        return self.rules.sieve(self.lex)

    def source(self, s: Sentence) -> Source:
        """The sentence as a source: offsets in the original text."""
        a, b = self.doc.original_span(s.start, s.end)
        rep = self.doc.report
        return Source(
            report_sha256=rep.sha256, report_name=rep.name, start=a, end=b, text=rep.text[a:b]
        )


@quick_init
@dataclass(frozen=True)
class Where:
    """Where a quantity stands: its clause and the text around it."""

    sentence: Sentence
    clause: int
    clause_start: int
    clause_text: str
    window: str  #: text since the previous mention, within the clause
    since_quantity: str  #: text since the previous quantity (or the clause start)
    after: str  #: a few characters after it, within the clause
    cue_text: str  #: the sentence up to the end of the quantity's clause
    previous: Mention | None  #: the mention just before it


@lru_cache(maxsize=8)
def basis_sections(
    text: str, lex: Lexicon, opening: str, closing: str
) -> tuple[tuple[int, int], ...]:
    """The spans a basis heading governs: a word of ``opening`` (按非国际财务报告准则) and, in
    its sentence, a colon; from the colon to the end of its line, or, where the colon ends its
    line (a heading over lines), to the next blank line; either way no further than a word of
    ``closing`` (按国际财务报告准则：the reported basis again) that is no part of an
    ``opening`` word."""
    opens = regex(alternation(list(lex.cue(opening))))
    closes = regex(alternation(list(lex.cue(closing))))
    adjusted = [m.span() for m in opens.finditer(text)]
    spans: list[tuple[int, int]] = []
    for a, b in adjusted:
        colon = _HEADING_COLON.match(text, b)
        if colon is None or (spans and a < spans[-1][1]):
            continue
        start = colon.end()
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        if text[start:line_end].strip():
            end = line_end
        else:
            blank = _BLANK_LINE.search(text, start)
            end = blank.start() if blank else len(text)
        for c in closes.finditer(text, start, end):
            if not any(x <= c.start() < y for x, y in adjusted):
                line = text.rfind("\n", start, c.start())  # its heading's line, where it has one
                end = line + 1 if line >= 0 else c.start()
                break
        spans.append((start, end))
    return tuple(spans)


#: After a basis word, the rest of its sentence up to a colon (…，以体现核心业务的业绩：).
_HEADING_COLON = re.compile(r"[^。！？\n:：]{0,60}[:：]")
#: A line with nothing on it.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def in_spans(at: int, spans: tuple[tuple[int, int], ...]) -> bool:
    """Whether ``at`` lies inside one of ``spans``."""
    return any(a <= at < b for a, b in spans)


def list_place(items: str, joiners: tuple[str, ...]) -> int:
    """The place in a list of the item after ``items`` (the text since 分别): how many words of
    ``joiners`` (、 和) it holds; a comma grouping thousands (12,345、11,913) joins none."""
    return len(regex(alternation(list(joiners))).findall(_THOUSANDS.sub("", items)))


#: A comma between the thousands of a number (12,345).
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def window_has(window: str, words: tuple[str, ...], *, at_end: bool = False) -> str | None:
    """The first of ``words`` in ``window`` (or ending it), if any.

    >>> window_has("同比增长", ("下降", "增长", "长")), window_has("增长了", ("增长",), at_end=True)
    ('增长', None)
    """
    # most windows hold none of the words: one test in C says so (a regex of them, or
    # ``endswith`` of the tuple) before the words are tried one by one
    if at_end:
        if not window.endswith(words):
            return None
    else:  # _any_of, inline (one call fewer for each of a hundred thousand windows)
        known = _BY_ID.get(id(words))
        pattern = known[1] if known is not None and known[0] is words else _any_of(words)
        if not pattern.search(window):
            return None
    for w in words:
        if window.endswith(w) if at_end else w in window:
            return w
    return None


def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """A regex that finds any of ``words`` (made once per set of words), found by the
    tuple's identity: most are the lexicon's cue sets, the same tuple every time, and
    hashing a tuple of words for each of a hundred thousand windows cost more than the
    search."""
    known = _BY_ID.get(id(words))
    if known is None or known[0] is not words:
        if len(_BY_ID) >= 4096:
            _BY_ID.clear()
        known = _BY_ID[id(words)] = (words, _any_of_words(words))  # held: its id stays its own
    return known[1]


_BY_ID: dict[int, tuple[tuple[str, ...], re.Pattern[str]]] = {}


@lru_cache(maxsize=4096)
def _any_of_words(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in words) if words else "(?!)")


@quick_init
@dataclass(frozen=True)
class Fig:
    """A quantity being read: the figure stage's context."""

    q: Mention
    rest: tuple[Mention, ...]  #: the mentions after it in the sentence
    where: Where
    frame: Frame
    env: Env
    series: tuple[Mention, ...]  #: the last run of two or more items joined by 和/及/、
    resp: bool  #: 分别 stands between that run and the figure

    @property
    def value(self) -> Decimal:
        assert self.q.value is not None
        return self.q.value

    def change_kind(self) -> str:
        """ "qoq" when the clause speaks of the quarter before (环比), else "yoy"; where it
        speaks of both, the one said last before the figure (同比增长65.48%且环比增长12.01%:
        65.48% on the year before, 12.01% on the quarter)."""
        lex, w = self.env.lex, self.where
        if not window_has(w.clause_text, lex.cue("qoq")):
            return "yoy"
        before = self.env.text[w.clause_start : self.q.start]
        said = {k: max((before.rfind(x) for x in lex.cue(k)), default=-1) for k in ("qoq", "yoy")}
        return "yoy" if said["yoy"] > said["qoq"] else "qoq"


@quick_init
@dataclass(frozen=True)
class Draft:
    """A fact being made: the fact stage's context."""

    fig: Fig
    metric: MetricInfo | None = None
    item: Mention | None = None  #: the item of a list before 分别 this figure is of
    entity: Entity | None = None
    region: Entity | None = None
    period: Period | None = None
    unit: str | None = None
    value: Decimal | None = None
    dropped: bool = False
    frame: Frame | None = None  #: the frame after the stage (a chosen elided metric)


@quick_init
@dataclass(frozen=True)
class Step:
    """What a figure action did: the new frame, and whether the figure is done with."""

    frame: Frame
    done: bool
    outcome: str = ""  #: "left out", "change", "fact" (when done)
    fact: Fact | None = None
