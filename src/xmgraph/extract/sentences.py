"""Sentences and clauses: where a figure stands in the text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from xmgraph.patterns import CLAUSE_BREAK

SENTENCE_END = "。！？!?"
#: The marks a bullet inside a line opens with.
BULLET_MARKS = "-–•·▪"
#: A bullet inside a line (a summary page on one line: … [4][13] - 长安银行…) ends a sentence.
BULLET = (
    # (not a portal's title: 华辰环境(605999) - 2025 Q2 - 季度财报)
    rf"(?<=\s)(?<!Q\d\s)[{re.escape(BULLET_MARKS)}]\s+(?=[\u4e00-\u9fff])"
    # [3] - 6M升幅…: a bullet before a figure or a Latin word, not a range's dash after a
    # figure or its unit (2024 - 2026, 4200万元 - 5300万元, 5% - 8%)
    rf"|(?<=[^\d\s万亿元%％股辆吨台倍、，,]\s)[{re.escape(BULLET_MARKS)}]\s+(?=[\dA-Za-z])"
)
_PIECE = re.compile(rf"(?:(?!{BULLET})[^{SENTENCE_END}])+[{SENTENCE_END}]*|{BULLET}")
#: A line that ends with one of these goes on in the next line's first sentence (a wrapped line).
CONTINUED = ",，、"


@dataclass(frozen=True)
class Sentence:
    """A sentence (trimmed) of the normalized text, with the index of its paragraph (line)."""

    start: int
    end: int
    paragraph: int


def sentences(text: str, continued: re.Pattern[str] | None = None) -> list[Sentence]:
    """The sentences of ``text``, each with the index of its paragraph (line); a bullet inside a
    line ends one, and a line that ends in a comma goes on into the next line's first sentence,
    as does a whole line ``continued`` matches (a table row's change on a line of its own:
    比上年同期增长：49.79%–71.99%) after a line ending in no sentence end.

    >>> [(s.start, s.end, s.paragraph) for s in sentences("甲。 乙！\\n丙")]
    [(0, 2, 0), (3, 5, 0), (6, 7, 1)]
    >>> [(s.start, s.end) for s in sentences("前三季度，\\n收入3亿元。")]
    [(0, 12)]
    >>> [(s.start, s.end) for s in sentences("年收入17亿元,\\n2024年第四季度概要\\n收入4亿元。")]
    [(0, 8), (9, 20), (21, 27)]
    >>> [(s.start, s.end) for s in sentences("- 现金储备为31亿元 [5] 交付与产能规划")]
    [(0, 15), (16, 23)]
    >>> [(s.start, s.end) for s in sentences("甲 [1] - 乙丙 - 丁")]
    [(0, 5), (8, 10), (13, 14)]
    >>> [(s.start, s.end) for s in sentences("甲 [1] - 1M升幅1% 2024 - 2026年 2万元 - 3万元")]
    [(0, 5), (8, 37)]
    >>> change = re.compile(r" 同比.*")
    >>> [(s.start, s.end) for s in sentences("净利润 1–2万元\\n 同比增长：5%–8%", change)]
    [(0, 21)]
    """
    out: list[Sentence] = []
    pos = 0
    for para, line in enumerate(text.split("\n")):
        for m in _pieces(line):
            s, e = pos + m.start(), pos + m.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e <= s or text[s:e] in BULLET_MARKS:
                continue  # nothing, or a bullet
            if out and _goes_on(out[-1], text, (para, pos), line, text[s:e], continued):
                out[-1] = Sentence(out[-1].start, e, out[-1].paragraph)  # 2024年前三季度,⏎…
            else:
                out.append(Sentence(s, e, para))
        pos += len(line) + 1
    return out


def _goes_on(
    last: Sentence,
    text: str,
    at: tuple[int, int],
    line: str,
    piece: str,
    continued: re.Pattern[str] | None,
) -> bool:
    """Whether ``piece`` of ``line`` (paragraph and offset ``at``) goes on the sentence ``last``
    of the line before: after a comma (not a heading), or a whole line ``continued`` matches
    after a line ending in no sentence end, or a long line broken right before an amount."""
    para, line_start = at
    if last.paragraph != para - 1:
        # a sentence already run on over lines: ends on the line before this one
        if "\n" in text[last.end : line_start - 1] or last.end > line_start:
            return False
        return _wrapped_before_amount(text, last, piece) and text[last.end - 1] not in SENTENCE_END
    end = text[last.end - 1]
    if continued is not None and end not in SENTENCE_END and continued.fullmatch(line):
        return True
    if end not in SENTENCE_END and _wrapped_before_amount(text, last, piece):
        return True
    return end in CONTINUED and not _heading_line(line, piece)


#: A line a PDF's width broke right before an amount (…归属于母公司所有者的净利润 ⏎
#: 12,700.00 万元到 19,000.00 万元): the amount in yuan opening the next line.
_AMOUNT_OPENING = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?\s*[万亿]?元")
#: The fewest characters of prose a line so broken has (a row's label is shorter).
_WRAPPED_LEN = 20


def _wrapped_before_amount(text: str, last: Sentence, piece: str) -> bool:
    """Whether the sentence ``last`` ends a long line of prose in the middle of a clause (a
    Han character, no figure of a table's row) and ``piece`` opens with an amount in yuan."""
    line_start = text.rfind("\n", 0, last.end) + 1
    before = text[line_start : last.end]
    return (
        len(before.strip()) >= _WRAPPED_LEN
        and "\u4e00" <= text[last.end - 1] <= "\u9fff"
        and "|" not in before
        and _AMOUNT_OPENING.match(piece) is not None
    )


#: The longest line taken for a heading that a line ending in a comma does not run into.
_HEADING_LEN = 20
_NO_HEADING = re.compile(rf"[{SENTENCE_END}{CLAUSE_BREAK}]|(?<!\d)\d{{1,3}}(?!\d)|\d{{5,}}")


def _heading_line(line: str, piece: str) -> bool:
    """Whether ``piece`` is a whole short line with no punctuation and no figure but a year
    (2024年第四季度概要): a heading, which the line before, even ending in a comma, does not run
    into."""
    return (
        piece == line.strip() and len(piece) <= _HEADING_LEN and _NO_HEADING.search(piece) is None
    )


#: How far before a colon the change word that it joins to its figure may begin.
_JOIN_REACH = 6


def _joined(joins: re.Pattern[str], text: str, colon: int) -> bool:
    """Whether ``joins`` matches across the colon at ``colon`` (增长:60%)."""
    return any(
        m.start() < colon < m.end()
        for m in joins.finditer(text, max(0, colon - _JOIN_REACH), colon + 4)
    )


#: A summary page's next heading glued after a bullet's citations (… [5] 交付与产能规划): a
#: short run of words with no figure to the end of the line.
_TRAILING_HEADING = re.compile(r"(?:\[\d+\])+\s+(?=[\u4e00-\u9fff][^\d\[\]。，,%％]{1,15}$)")


def _pieces(line: str) -> list[re.Match[str]]:
    """The sentence pieces of a line, a heading glued after its last citations on its own."""
    cut = _TRAILING_HEADING.search(line)
    if cut is None:
        return list(_PIECE.finditer(line))
    return [*_PIECE.finditer(line, 0, cut.end()), *_PIECE.finditer(line, cut.end())]


def clause_breaks(
    text: str, start: int, end: int, joins: re.Pattern[str] | None = None
) -> list[int]:
    """Positions of clause breaks in ``text[start:end]`` (a comma between digits is not one,
    nor a colon that ``joins`` matches across: 增长:60%).

    >>> clause_breaks("收入1,200亿元，增长5%", 0, 14)
    [9]
    """
    breaks = []
    for m in _BREAK.finditer(text, start, end):  # the breaks found in C, not a Python step a char
        i = m.start()
        if (
            text[i] == ","
            and 0 < i < len(text) - 1
            and text[i - 1].isdigit()
            and text[i + 1].isdigit()
        ):
            continue
        if text[i] in ":：" and joins is not None and _joined(joins, text, i):
            continue  # 同比上年增长:50%至65%: a change word's value, in its clause
        breaks.append(i)
    return breaks


_BREAK = re.compile(f"[{re.escape(CLAUSE_BREAK)}]")


@dataclass(frozen=True)
class Clauses:
    """The clause bounds of one sentence: ``bounds[c]`` .. ``bounds[c + 1]`` is clause ``c``."""

    breaks: tuple[int, ...]
    bounds: tuple[int, ...]

    @classmethod
    def of(cls, text: str, sentence: Sentence, joins: re.Pattern[str] | None = None) -> Clauses:
        breaks = tuple(clause_breaks(text, sentence.start, sentence.end, joins))
        return cls(breaks, (sentence.start, *[b + 1 for b in breaks], sentence.end))

    def index(self, pos: int) -> int:
        """The clause a position is in (the breaks before it: they are sorted)."""
        return bisect.bisect_left(self.breaks, pos)
