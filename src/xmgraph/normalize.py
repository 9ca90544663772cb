"""Normalize a report's text for matching, keeping an exact map back to the original.

Six steps, each explained by :class:`~xmgraph.model.Repair` records with original offsets:

1. pinyin annotations after Chinese characters are removed (``經(jīng)`` -> ``經``), and so
   are orphan annotations whose character and ``(`` were lost (``?yán)``, with a warning);
2. full-width ASCII forms are folded (``ＡＩ，`` -> ``AI,``, U+3000 -> space), and so are the small
   full stop and comma HK data terminals write numbers with (``262﹒29`` -> ``262.29``);
   so are the vertical lines of a table a text terminal draws (``│`` -> ``|``, a pipe table);
   invisible format characters, the spaces of letter-spaced text, the line breaks a PDF's
   page width made inside a word of the vocabulary (``损\n益``) and the live quotes a portal
   writes after a listed name (``(12.340, +0.15, +1.23%)``) are removed;
3. mis-decoded characters left by GBK byte misalignment are realigned: the suspicious run
   is encoded back to GBK, the lost lead/trail byte is guessed, and a candidate is kept
   only when pinyin annotations and the caller's vocabulary clearly single it out;
4. Traditional characters become Simplified (OpenCC ``t2s``), length-preserving;
5. a pipe table run into one line (its rule row ``| ---- | ---- |`` inside the line) has its
   header, rule and rows put on lines of their own: the space before each becomes a line
   break, length-preserving;
6. a web table copied one cell a line (``营业收入(亿元) |`` then ``52.3 |`` …) is put back a row
   a line: the line breaks inside a row become spaces, length-preserving.

>>> from xmgraph.model import Report
>>> doc = normalize(Report("a.txt", "經(jīng)調(diào)整（ＨＡＤ）", "0", "utf-8"))
>>> doc.text
'经调整(HAD)'
>>> tuple(doc.starts[:3]), tuple(doc.ends[:3])
((0, 7, 14), (1, 8, 15))
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import logging
import re
import unicodedata
from array import array
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

import opencc

from xmgraph.diskcache import regex
from xmgraph.model import Document, Repair, Report

log = logging.getLogger(__name__)

_T2S = opencc.OpenCC("t2s")

# --- character classes -------------------------------------------------------------------

#: CJK ideographs (unified, extension A, compatibility, supplementary planes).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
#: Kana (not the middle dot and prolonged sound mark that Chinese uses too).
_KANA = "\u3041-\u3096\u30a1-\u30fa\uff66-\uff6f\uff71-\uff9d"
_HANGUL = "\u3131-\u318e\uac00-\ud7a3"
#: Characters that are out of place in Chinese text: what misaligned GBK bytes decode to.
_ODD = f"{_KANA}{_HANGUL}\u2500-\u257f\ue000-\uf8ff\ufffd"
#: Characters a pinyin annotation can follow.
_ANNOTATABLE = _HAN + _ODD
#: ASCII characters that are GBK trail bytes and never glued into Chinese on purpose.
_STRAY_ASCII = "{|}~\\\\^`"
#: Letters pinyin is written with (tone marks precomposed or combining).
_PINYIN_LETTERS = "a-zêüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ\u0300\u0301\u0304\u030c"

#: Runs of invisible format characters: Unicode's category Cf (zero-width spaces and
#: joiners, bidi marks and isolates, the BOM, the soft hyphen, tags ...), as of Unicode 15.
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
_FORMAT_RUN_RE = regex(f"[{_FORMAT}]+")
#: A portal's live quote written into the text after a listed name (华辰股份(12.340, +0.15,
#: +1.23%)有限公司: price, change, change in per cent): no part of the text.
_STOCK_QUOTE_RE = regex(
    r"\(\s*\d+(?:\.\d+)?\s*,\s*[-+]?\d+(?:\.\d+)?\s*,\s*[-+]?\d+(?:\.\d+)?%\s*\)"
)
#: A portal's cashtag around a listed name and its ticker ($华辰科技 (HCT.US)$, $华辰(01234)$):
#: its two dollar signs, the first and last characters of the match, are no part of the text.
_CASHTAG_RE = regex(r"\$[^\s$]{1,20}\s*[（(][A-Za-z0-9.:]{1,16}[)）]\$")
#: Three or more Chinese characters or numbers each one space apart, two Chinese characters
#: next to each other among them (截 至 2025 年 6 月 3 0 日): letter-spaced text.
_LETTER_SPACED_RE = regex(
    f"(?:[{_HAN}]|(?<![\\d.,])\\d+(?![\\d.,%]))(?: (?:[{_HAN}]|\\d+(?![\\d.,%]))){{2,}}"
)
#: Two Chinese characters one space apart: what makes a run letter-spaced text.
_SPACED_PAIR_RE = regex(f"[{_HAN}] [{_HAN}]")
_HAN_RE = regex(f"[{_HAN}]")
_ANNOTATABLE_RE = regex(f"[{_ANNOTATABLE}]")
_HAN_RUN_RE = regex(f"[{_HAN}]+")
_KANA_RE = regex(f"[{_KANA}]")
_HANGUL_RE = regex(f"[{_HANGUL}]")
_ANNOTATION_RE = regex(f"(?<=[{_ANNOTATABLE}])((?:\\([{_PINYIN_LETTERS}]{{1,8}}\\))+)")
_ORPHAN_RE = regex(f"(?<=[{_ANNOTATABLE}])([?\ufffd]?)([{_PINYIN_LETTERS}]{{1,8}})\\)")
_ODD_RUN_RE = regex(f"[{_ODD}]+")
_STRAY_RE = regex(f"(?<=[{_HAN}])[{_STRAY_ASCII}](?=[{_HAN}])")
#: A lone ASCII letter (or other GBK trail byte) glued after Chinese: maybe a resync.
_LONE_ASCII_RE = regex(f"(?<=[{_HAN}])[@-~](?![A-Za-z])")
#: What can end a misaligned run: an ASCII GBK trail byte, or U+FFFD for a byte lost.
_TERMINATOR_RE = regex("[@-~\ufffd]")

_TONE_MARKS = frozenset("\u0300\u0301\u0304\u030c")
#: A toneless pinyin syllable: initial + final, or a syllabic nasal.
_SYLLABLE_RE = regex(
    "(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?"
    "(?:iang|iong|uang|ueng|iao|ian|ing|uai|uan|üan|ang|eng|ong"
    "|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|üe|ün|ue|io|a|o|e|ê|i|u|ü)"
    "|hm|hng|m|n|ng"
)

#: Full-width ASCII forms and the ideographic space, folded to ASCII.
#: full-width ASCII, the ideographic space, and the small forms that HK data terminals write
#: numbers with (262﹒29億元, 16﹐294億元: U+FE52 small full stop, U+FE50 small comma)
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0xFE52: 0x2E, 0xFE50: 0x2C}
#: the vertical lines of a table a text terminal draws (│财务指标 │ 2025-06-30│): a pipe's
_BOX = {0x2502: 0x7C, 0x2503: 0x7C, 0x2551: 0x7C}
_FOLD |= _BOX
_WIDE_RE = regex("[\uff01-\uff5e\u3000\ufe50\ufe52\u2502\u2503\u2551]")

#: How far (in characters) a damaged run may reach on either side of what gave it away.
_MAX_REACH = 12
#: Search this far back on a line for an unclosed parenthesis before an orphan annotation.
_PAREN_LOOKBACK = 200
#: A run of out-of-place characters longer than this is no GBK misalignment to realign
#: (each lost byte damages a character or two); it is reported as it is.
_MAX_RUN = 2 * _MAX_REACH
#: The realignment examines at most this many windows (a start and an end around a trigger)
#: per document, plus :data:`_BUDGET_PER_CHAR` per character: each window costs a bounded
#: amount of work, so the realignment takes time linear in the text's length, whatever the
#: text (random rare ideographs are each a trigger). Real reports use a hundredth of it.
_BUDGET_BASE = 5_000
_BUDGET_PER_CHAR = 0.1


def normalize(report: Report, *, vocabulary: Collection[str] = ()) -> Document:
    """Normalize ``report`` for matching; see the module docstring for the steps.

    ``vocabulary`` holds words the caller knows (metric and entity labels, preferably in
    Simplified): a mis-decoded run is only repaired when a candidate makes the text
    around it contain such a word, or agrees with a pinyin annotation.

    >>> from xmgraph.model import Report
    >>> text = "新高;ヂ(lián)網業務"
    >>> doc = normalize(Report("a", text, "0", "utf-8"), vocabulary={"互联网"})
    >>> doc.text
    '新高;互联网业务'
    >>> [(r.kind, r.before, r.after) for r in doc.repairs]
    [('mojibake-realign', 'ヂ', '互聯'), ('pinyin-annotation', '(lián)', '')]
    """
    original = report.text
    vocab = (
        _vocabulary_of(vocabulary)
        if isinstance(vocabulary, frozenset)
        else _Vocabulary.of(vocabulary)
    )
    clean, pos, repairs, warnings, readings = _strip_annotations(original, vocab)
    budget = _Budget(int(_BUDGET_BASE + _BUDGET_PER_CHAR * len(clean)))
    fixes = _realign(_Context(original, clean, pos, readings, vocab, budget))
    if budget.exhausted:
        log.info("%s: too many damaged runs to examine them all; the rest left", report.name)
    chars: list[str] = []
    starts: array[int] = array("q")  # 8 bytes an offset, not a 36-byte int in a list
    ends: array[int] = array("q")
    done = 0
    for fix in fixes:
        _copy_kept(clean, pos, done, fix.start, chars, starts, ends)
        span_start, span_end = pos[fix.start], pos[fix.end - 1] + 1
        before = original[span_start:span_end]
        if fix.text is None:
            repairs.append(Repair("unrepaired", span_start, span_end, before, before, fix.note))
            around = original[max(0, span_start - 6) : span_end + 4].replace("\n", " ")
            message = (
                f"Could not repair {before!r} at offset {span_start} (in {around!r}): {fix.note}."
            )
            warnings.append((span_start, message))
            _copy_kept(clean, pos, fix.start, fix.end, chars, starts, ends)
        else:
            repairs.append(
                Repair("mojibake-realign", span_start, span_end, before, fix.text, fix.note)
            )
            chars.append(fix.text.translate(_FOLD))
            starts.extend([span_start] * len(fix.text))
            ends.extend([span_end] * len(fix.text))
        done = fix.end
    _copy_kept(clean, pos, done, len(clean), chars, starts, ends)
    repairs.extend(_fold_repairs(original, clean, pos))
    text = _to_simplified("".join(chars))
    text, tables = _table_rows(text)
    repairs.extend(
        Repair("table-rows", starts[a], ends[b - 1], original[starts[a] : ends[b - 1]], text[a:b])
        for a, b in tables
    )
    text, cells = _cell_lines(text)
    repairs.extend(
        Repair("table-cells", starts[a], ends[b - 1], original[starts[a] : ends[b - 1]], text[a:b])
        for a, b in cells
    )
    repairs.sort(key=lambda r: (r.start, r.end))
    warnings.sort()
    return Document(
        report=report,
        text=text,
        starts=starts,
        ends=ends,
        repairs=tuple(repairs),
        warnings=report.warnings + tuple(w for _, w in warnings),  # reading's first
    )


# --- step 1: pinyin annotations ---------------------------------------------------------


def without_pinyin(text: str) -> str:
    """``text`` without the pinyin annotations after its characters (特發(fā)信息 -> 特發信息)."""
    return _ANNOTATION_RE.sub("", text)


def is_pinyin_syllable(word: str) -> bool:
    """Whether ``word`` is one pinyin syllable written with a tone mark (or ``ü``).

    >>> [is_pinyin_syllable(w) for w in ("jīng", "lüè", "lü", "yán", "de", "café", "HAD")]
    [True, True, True, True, False, False, False]
    """
    decomposed = unicodedata.normalize("NFD", word)
    marks = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    if marks > 1 or (marks == 0 and "ü" not in base):
        return False
    return _SYLLABLE_RE.fullmatch(base) is not None


def _strip_annotations(
    original: str, vocab: _Vocabulary | None = None
) -> tuple[str, array[int], list[Repair], list[tuple[int, str]], dict[int, str]]:
    """Fold widths and remove pinyin annotations, until nothing more is found.

    Returns the cleaned text, the original offset of each of its characters, the repairs,
    the warnings (with their offsets, for sorting) and the reading annotated on original
    characters (by offset).
    """
    repairs: list[Repair] = []
    clean, pos = _drop_format_characters(original.translate(_FOLD), repairs, vocab, original)
    warnings: list[tuple[int, str]] = []
    readings: dict[int, str] = {}
    while True:
        cuts: list[tuple[int, int]] = []
        for m in _ANNOTATION_RE.finditer(clean):
            syllables = m.group(1)[1:-1].split(")(")
            valid = 0
            for syllable in syllables:
                if not is_pinyin_syllable(syllable):
                    break
                valid += 1
            if not valid:
                continue
            end = m.start() + sum(len(s) + 2 for s in syllables[:valid])
            cuts.append((m.start(), end))
            start, stop = pos[m.start()], pos[end - 1] + 1
            annotated = original[pos[m.start() - 1]]
            readings.setdefault(pos[m.start() - 1], syllables[0])
            repairs.append(
                Repair(
                    "pinyin-annotation",
                    start,
                    stop,
                    original[start:stop],
                    "",
                    f"reading {'/'.join(syllables[:valid])} of {annotated}",
                )
            )
        cut_starts = [a for a, _ in cuts]  # sorted: finditer goes left to right
        for m in _ORPHAN_RE.finditer(clean):
            if not is_pinyin_syllable(m.group(2)) or _inside_parenthesis(clean, m.start()):
                continue
            before_end = bisect.bisect_left(cut_starts, m.end()) - 1
            if before_end >= 0 and cuts[before_end][1] > m.start():
                continue  # overlaps an annotation
            cuts.append((m.start(), m.end()))
            start, stop = pos[m.start()], pos[m.end() - 1] + 1
            before = original[start:stop]
            repairs.append(
                Repair("pinyin-orphan", start, stop, before, "", f"reading {m.group(2)}")
            )
            warnings.append(
                (
                    start,
                    f"Removed the orphan pinyin annotation {before!r} at offset {start}: "
                    f"the character it annotated (read {m.group(2)}) was lost.",
                )
            )
        if not cuts:
            return clean, pos, repairs, warnings, readings
        cuts.sort()
        pieces: list[str] = []
        new_pos: array[int] = array("q")
        done = 0
        for a, b in cuts:
            pieces.append(clean[done:a])
            new_pos.extend(pos[done:a])
            done = b
        pieces.append(clean[done:])
        new_pos.extend(pos[done:])
        clean, pos = "".join(pieces), new_pos


def _drop_format_characters(
    text: str, repairs: list[Repair], vocab: _Vocabulary | None = None, original: str = ""
) -> tuple[str, array[int]]:
    """``text`` without its invisible format characters (Unicode category Cf: zero-width
    joiners and spaces, bidi marks, soft hyphens), so that ``华\u200d辰`` is the name 华辰,
    each run removed a ``format-character`` repair; and without the spaces of letter-spaced
    Chinese (本 集 团 截 至 二 零 二 三 年, a PDF's justified line), each a ``letter-spacing``
    repair; and without a portal's live quotes after a listed name, each a ``stock-quote``
    repair, and the dollar signs of its cashtags ($华辰 (HC.US)$), each a ``cashtag`` repair.
    ``text`` is ``original`` folded character for character: a repair quotes the
    original (an ideographic space folded to a space is written as it was). Returns the text
    and the original offset of each character kept."""
    runs = [(m.start(), m.end(), "format-character") for m in _FORMAT_RUN_RE.finditer(text)]
    runs += [(m.start(), m.end(), "stock-quote") for m in _STOCK_QUOTE_RE.finditer(text)]
    runs += [
        (at, at + 1, "cashtag")
        for m in _CASHTAG_RE.finditer(text)
        for at in (m.start(), m.end() - 1)
    ]
    runs += [(i, i + 1, "line-wrap") for i in _wrapped_breaks(text, vocab)]
    runs += [
        (i, i + 1, "letter-spacing")
        for m in _LETTER_SPACED_RE.finditer(text)
        if _SPACED_PAIR_RE.search(m.group())
        for i in range(m.start(), m.end())
        if text[i] == " "
    ]
    if not runs:
        return text, array("q", range(len(text)))
    kept: array[int] = array("q")
    done = 0
    for a, b, kind in sorted(runs):
        if a < done:
            continue  # a space inside a run of format characters already dropped
        kept.extend(range(done, a))
        before = (original or text)[a:b]
        codes = " ".join(f"U+{ord(ch):04X}" for ch in before)
        note = _RUN_NOTES.get(kind, codes)
        repairs.append(Repair(kind, a, b, before, "", note))
        done = b
    kept.extend(range(done, len(text)))
    return "".join(text[i] for i in kept), kept


#: What a removed run was, where its characters' code points do not say it.
_RUN_NOTES = {
    "stock-quote": "a portal's live quote of the share",
    "cashtag": "a portal's cashtag mark around a listed name",
}


#: A list item or a note opening a line (一、, 注): the line before does not run into it (the
#: line after a break :data:`_LINE_BREAK_RE` finds begins with a Chinese character).
_LIST_MARK = regex(r"[一二三四五六七八九十]{1,3}[、.．]|注")
#: How far on each side of a line break a word it cuts may reach.
_WRAP_REACH = 12


def _wrapped_breaks(text: str, vocab: _Vocabulary | None) -> list[int]:
    """The line breaks a PDF's page width made inside a word the vocabulary knows (…扣除非经
    常性损益的净⏎利润:-8,600万元, 扣除非经常性损⏎益): between two Chinese characters, before no
    list item, where a known word runs across the break."""
    if vocab is None or not vocab.words:
        return []
    out = []
    for m in _LINE_BREAK_RE.finditer(text):
        i = m.start()
        before = text[max(0, i - _WRAP_REACH) : i]
        after = text[i + 1 : i + 1 + _WRAP_REACH].split("\n", 1)[0]
        if _LIST_MARK.match(after):
            continue
        if _crosses(_simplify(before), _simplify(after), vocab):
            out.append(i)
    return out


def _crosses(before: str, after: str, vocab: _Vocabulary) -> bool:
    """Whether a word of ``vocab`` begins in ``before`` and ends in ``after``."""
    for a in range(len(before)):
        head = before[a:]
        if head not in vocab.prefixes:
            continue
        for b in range(1, len(after) + 1):
            if head + after[:b] in vocab.words:
                return True
            if head + after[:b] not in vocab.prefixes:
                break
    return False


_LINE_BREAK_RE = regex(f"(?<=[{_HAN}])\n(?=[{_HAN}])")


def _inside_parenthesis(text: str, at: int) -> bool:
    """Whether an opening parenthesis before ``at`` on its line is still open."""
    for i in range(at - 1, max(-1, at - _PAREN_LOOKBACK), -1):
        ch = text[i]
        if ch in "\n(":
            return ch == "("
        if ch == ")":
            return False
    return False


# --- step 2: full-width forms --------------------------------------------------------------


def _copy_kept(
    clean: str,
    pos: Sequence[int],
    start: int,
    end: int,
    chars: list[str],
    starts: array[int],
    ends: array[int],
) -> None:
    """Append ``clean[start:end]`` to the output (``chars`` holds pieces of text, not one
    string per character: a fraction of the memory on a big report)."""
    chars.append(clean[start:end])
    starts.extend(pos[start:end])
    ends.extend(p + 1 for p in pos[start:end])


def _fold_repairs(original: str, clean: str, pos: Sequence[int]) -> list[Repair]:
    """One repair per run of full-width characters that were folded and kept."""
    repairs: list[Repair] = []
    run: list[int] = []  # indexes into clean
    for m in _WIDE_RE.finditer(original):
        i = bisect.bisect_left(pos, m.start())
        if i == len(pos) or pos[i] != m.start():
            continue  # removed with a pinyin annotation
        if run and (i != run[-1] + 1 or pos[i] != pos[run[-1]] + 1):
            repairs.append(_fold_repair(original, clean, pos, run[0], run[-1] + 1))
            run = []
        run.append(i)
    if run:
        repairs.append(_fold_repair(original, clean, pos, run[0], run[-1] + 1))
    return repairs


def _fold_repair(original: str, clean: str, pos: Sequence[int], a: int, b: int) -> Repair:
    start, stop = pos[a], pos[b - 1] + 1
    before = original[start:stop]
    kind = "box-drawing" if all(ord(ch) in _BOX for ch in before) else "full-width"
    return Repair(kind, start, stop, before, clean[a:b])


# --- step 3: GBK realignment ---------------------------------------------------------------


@dataclass(frozen=True)
class _Vocabulary:
    """The caller's words in Simplified, with what the realignment needs to look them up."""

    words: frozenset[str]
    lengths: tuple[int, ...]
    chars: frozenset[str]
    prefixes: frozenset[str]  #: every non-empty beginning of a word (the words included)

    @staticmethod
    def of(words: Collection[str]) -> _Vocabulary:
        # a realigned run is Chinese: only words with Chinese in them can confirm one
        simple = frozenset(_simplify(w.translate(_FOLD)) for w in words if _HAN_RE.search(w))
        return _Vocabulary(
            simple,
            tuple(sorted({len(w) for w in simple})),
            frozenset("".join(simple)),
            frozenset(w[:n] for w in simple for n in range(1, len(w) + 1)),
        )

    @property
    def reach(self) -> int:
        """How much context a candidate needs on each side to be matched."""
        return max(self.lengths, default=1)


@functools.lru_cache(maxsize=4)
def _vocabulary_of(words: frozenset[str]) -> _Vocabulary:
    """:meth:`_Vocabulary.of` once per vocabulary (the lexicon's is the same every report),
    kept on disk between runs (:mod:`xmgraph.diskcache`, keyed by the words)."""
    from xmgraph import diskcache

    digest = hashlib.sha256(diskcache.opencc_entry().encode())
    digest.update("\n".join(sorted(words)).encode())
    return diskcache.cached("vocabulary", digest.hexdigest()[:32], lambda: _Vocabulary.of(words))


@dataclass(frozen=True)
class _Fix:
    """A decision on the cleaned text ``[start:end)``: ``text`` replaces it, or None."""

    start: int
    end: int
    text: str | None
    note: str


@dataclass(frozen=True)
class _Trigger:
    """Something that gives away a misaligned run: ``clean[start:end]``.

    A strong trigger (out-of-place script, stray brace, U+FFFD) is reported when it cannot
    be repaired; a weak one (a lone ASCII letter or a rare ideograph glued to Chinese) only
    leads to a repair when one is clearly confirmed.
    """

    start: int
    end: int
    strong: bool
    fixed_end: bool  #: the run ends with the trigger (a resynchronizing ASCII byte, U+FFFD)


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    text: str
    score: tuple[int, int, int, int, float]  #: see :func:`_score`
    note: str
    by_reading: bool  #: a pinyin annotation confirms it

    @property
    def letters(self) -> int:
        """Vocabulary letters matched around it."""
        return self.score[1]


@dataclass
class _Budget:
    """The windows the realignment of a document may still examine (see _BUDGET_BASE)."""

    left: int
    exhausted: bool = False

    def spend(self, windows: int) -> bool:
        """Take ``windows`` from the budget; False (and nothing taken) if too few are left."""
        if windows > self.left:
            self.exhausted = True
            return False
        self.left -= windows
        return True


@dataclass(frozen=True)
class _Context:
    """What the realignment of one document looks at."""

    original: str
    clean: str
    pos: Sequence[int]
    readings: dict[int, str]
    vocab: _Vocabulary
    budget: _Budget

    def raw(self, i: int) -> str:
        """The original character of ``clean[i]`` (before width folding)."""
        return self.original[self.pos[i]]

    def reading(self, i: int) -> str | None:
        """The pinyin annotated after ``clean[i]``, if any."""
        return self.readings.get(self.pos[i])


def _realign(ctx: _Context) -> list[_Fix]:
    """Find runs left by GBK byte misalignment in ``ctx.clean`` and decide on each."""
    clean = ctx.clean
    hans = _HAN_RE.findall(clean)
    han = len(hans)
    kana_ok = _written_in(clean, _KANA_RE, han)  # a Japanese document
    hangul_ok = _written_in(clean, _HANGUL_RE, han)  # a Korean one
    triggers: list[_Trigger] = []
    for m in _ODD_RUN_RE.finditer(clean):
        a, b = m.span()
        if (kana_ok and _KANA_RE.match(clean, a)) or (hangul_ok and _HANGUL_RE.match(clean, a)):
            continue
        if clean[a] == "\ufffd" or clean[b - 1] == "\ufffd":
            triggers.append(_Trigger(a, b, strong=True, fixed_end=True))
        elif (a > 0 and _is_han(clean[a - 1])) or (b < len(clean) and _is_han(clean[b])):
            triggers.append(_Trigger(a, b, strong=True, fixed_end=False))
    for m in _STRAY_RE.finditer(clean):
        if not _balanced(clean, m.start()):
            triggers.append(_Trigger(m.start(), m.end(), strong=True, fixed_end=True))
    if ctx.vocab.words:  # weak triggers can only be confirmed by the vocabulary
        for m in _LONE_ASCII_RE.finditer(clean):
            triggers.append(_Trigger(m.start(), m.end(), strong=False, fixed_end=True))
        # the uncommon characters' places: each distinct character tested once, then a
        # regex of those found (most texts have none; a Python step per character was a
        # twentieth of a small report)
        rare = sorted({ch for ch in set(hans) if not _is_common(ch)})
        for m in _any_char(tuple(rare)).finditer(clean) if rare else ():
            triggers.append(_Trigger(m.start(), m.end(), strong=False, fixed_end=False))
    triggers.sort(key=lambda t: (t.start, not t.strong))
    fixes: list[_Fix] = []
    floor = 0
    for trigger in triggers:
        if trigger.start < floor:
            continue
        fix = _decide(ctx, trigger, floor)
        if fix is not None:
            fixes.append(fix)
            floor = fix.end
    return fixes


@functools.lru_cache(maxsize=256)
def _any_char(chars: tuple[str, ...]) -> re.Pattern[str]:
    """A regex that finds any of ``chars`` (each one code point)."""
    return re.compile("[" + "".join(map(re.escape, chars)) + "]")


def _written_in(text: str, script: re.Pattern[str], han: int) -> bool:
    """Whether ``text`` is (partly) written in ``script``: it has words of two letters or
    more in it, and they make more than a twentieth of the Chinese characters.

    Misaligned GBK bytes give lone kana; Japanese has runs of them (``の``, ``ている``).
    """
    letters = script.findall(text)
    if len(letters) * 20 <= han:
        return False
    return re.search(f"{script.pattern}{{2}}", text) is not None


#: A line with this many bars is a table's (|年份|营业收入|…): its bars are no stray bytes.
_TABLE_BARS = 3


def _balanced(text: str, at: int) -> bool:
    """Whether the brace at ``at`` has its partner on the same line, or the bar at ``at``
    stands among a table's bars."""
    ch = text[at]
    if ch == "|":
        start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        return text.count("|", start, end if end >= 0 else len(text)) >= _TABLE_BARS
    if ch == "{":
        end = text.find("\n", at)
        return "}" in text[at + 1 : end if end >= 0 else len(text)]
    if ch == "}":
        return "{" in text[text.rfind("\n", 0, at) + 1 : at]
    return False


def _decide(ctx: _Context, trigger: _Trigger, floor: int) -> _Fix | None:
    """Realign the run around ``trigger``, or say why it stays (None: a weak trigger)."""
    clean, a, b = ctx.clean, trigger.start, trigger.end
    if b - a > _MAX_RUN:
        return _Fix(a, b, None, "it is too long to be bytes lost in a GBK text")
    inner = range(a, b - 1 if trigger.fixed_end else b)
    if not all(_realignable(ctx.raw(i)) for i in inner):
        if not trigger.strong:
            return None
        why = "it has no two-byte GBK code to realign (a character lost or foreign to GBK)"
        return _Fix(a, b, None, why)
    low = a
    while low > max(floor, a - _MAX_REACH) and _realignable(ctx.raw(low - 1)):
        low -= 1
    high = b
    if not trigger.fixed_end:
        while high < min(len(clean), b + _MAX_REACH) and _realignable(ctx.raw(high)):
            high += 1
        if high < len(clean) and _TERMINATOR_RE.match(clean, high):
            high += 1  # the resynchronizing byte or the undecodable one ends the run
    windows = (a + 1 - low) * (1 if trigger.fixed_end else high + 1 - b)
    if not ctx.budget.spend(windows):
        if not trigger.strong:
            return None
        return _Fix(a, b, None, "not examined: the text has too many damaged runs")
    base_letters = _matched_letters(ctx, low, high, clean[low:high])
    candidates: dict[str, _Candidate] = {}
    for start in range(low, a + 1):
        ends = [b] if trigger.fixed_end else range(b, high + 1)
        for end in ends:
            for cand in _candidates(ctx, low, high, start, end, strict=not trigger.strong):
                if cand.letters <= base_letters and not cand.by_reading:
                    continue  # the text as it is matches the vocabulary as well
                result = clean[low:start] + cand.text + clean[end:high]
                known = candidates.get(result)
                if known is None or cand.score > known.score:
                    candidates[result] = cand
    ranked = sorted(candidates.values(), key=lambda c: c.score, reverse=True)
    if not ranked:
        if not trigger.strong:
            return None
        why = "no realignment of its GBK bytes is confirmed by pinyin or the vocabulary"
        return _Fix(a, b, None, why)
    best = ranked[0]
    if len(ranked) > 1 and ranked[1].score[:4] == best.score[:4]:
        if not trigger.strong:
            return None
        others = ", ".join(repr(c.text) for c in ranked[:3])
        return _Fix(a, b, None, f"several realignments fit equally well ({others})")
    log.debug("realigned %r -> %r (%s)", clean[best.start : best.end], best.text, best.note)
    return _Fix(best.start, best.end, best.text, best.note)


#: Where bytes were lost: before the run's first byte (0) or after it (1), and at its end.
_SHAPES = ((0, False), (1, False), (0, True), (1, True), (None, True))


def _candidates(
    ctx: _Context, low: int, high: int, start: int, end: int, *, strict: bool
) -> Iterator[_Candidate]:
    """Readings of ``clean[start:end]`` with one byte lost at its start and/or its end.

    Only candidates whose guessed characters are all confirmed (by a pinyin annotation or
    a vocabulary word) and whose characters are all common are yielded; ``strict`` (for
    weak triggers) wants them all among the most frequent (level 1 of GB2312 or Big5).
    """
    usual = _is_frequent if strict else _is_common
    chars = [ctx.raw(i) for i in range(start, end)]
    undecodable_end = chars[-1] == "\ufffd"  # stands for the byte that lost its partner
    if undecodable_end:
        chars.pop()
    if not chars:
        return
    raw = "".join(chars).encode("gb18030")
    reading = ctx.reading(end - 1)
    # A restored byte equal to the neighbouring one means that byte was not lost but
    # misread, and the neighbour is damaged too: a wider run explains it, not this one.
    before = _edge_byte(ctx, start - 1, last=True)
    after = -1 if undecodable_end else _edge_byte(ctx, end, last=False)
    for lost_at, lost_end in _SHAPES:
        if undecodable_end and not lost_end:
            continue
        if lost_at is not None and lost_end and len(raw) < 2:
            continue
        body = _decode_gbk(raw[lost_at is not None : len(raw) - lost_end])
        if body is None:
            continue
        alone = not body and not lost_end  # the guessed first character is also the last
        firsts: Sequence[tuple[int, str]] = [(-1, "")]
        lasts: Sequence[tuple[int, str]] = [(-1, "")]
        if lost_at is not None:
            options = _explicable_options(raw[0], lost_at == 0, ctx.vocab, alone, reading)
            firsts = [(x, c) for x, c in options if lost_at or x != before]
        if lost_end:
            options = _explicable_options(raw[-1], False, ctx.vocab, True, reading)
            lasts = [(y, c) for y, c in options if y != after]
        for x, first in firsts:
            for y, last in lasts:
                text = first + body + last
                if not all(usual(c) for c in text):
                    continue
                guessed = {0} if first else set()
                if last:
                    guessed.add(len(text) - 1)
                scored = _score(ctx, low, high, start, end, text, guessed, reading)
                if scored is None:
                    continue
                restored = []
                if lost_at is not None:
                    where = "lead byte" if lost_at == 0 else "trail byte"
                    restored.append(f"{where} {x:02x} of {first}")
                if lost_end:
                    restored.append(f"trail byte {y:02x} of {last}")
                note = (
                    f"GBK bytes {raw.hex(' ')} realigned by restoring the lost "
                    f"{' and '.join(restored)}; {scored[1]}"
                )
                yield _Candidate(start, end, text, scored[0], note, reading is not None)


def _edge_byte(ctx: _Context, i: int, *, last: bool) -> int:
    """The last (or first) GBK byte of ``clean[i]`` if it could be part of a run, else -1."""
    if not 0 <= i < len(ctx.clean) or not _realignable(ctx.raw(i)):
        return -1
    data = ctx.raw(i).encode("gb18030")
    return data[-1] if last else data[0]


@functools.lru_cache(maxsize=1 << 12)
def _explicable_options(
    byte: int, lead: bool, vocab: _Vocabulary, last: bool, reading: str | None
) -> tuple[tuple[int, str], ...]:
    """The characters a lost lead byte (``lead``) or trail byte could have made with
    ``byte`` that are :func:`_explicable`, with the byte restored."""
    options = _leads(byte) if lead else _trails(byte)
    return tuple((x, c) for x, c in options if _explicable(c, vocab, last, reading))


def _explicable(ch: str, vocab: _Vocabulary, last: bool, reading: str | None) -> bool:
    """Whether a guessed character could be confirmed: its reading is the annotated one (if
    it is the last of the run), or it could be part of a vocabulary word."""
    if last and reading is not None:
        return _reads(ch, reading)
    return _simplify_char(ch) in vocab.chars


def _vocabulary_matches(ctx: _Context, low: int, high: int, result: str) -> list[tuple[int, str]]:
    """Vocabulary words (with their offset in ``result``) overlapping ``result``, the text
    of ``clean[low:high]`` as a candidate would make it."""
    vocab = ctx.vocab
    reach = vocab.reach - 1
    left = ctx.clean[max(0, low - reach) : low]
    window = _simplify(left + result + ctx.clean[high : high + reach])
    lo, hi = len(left), len(left) + len(result)
    found = []
    for i in range(max(0, lo - reach), hi):
        # the words starting at i, shortest first: extend while the text is a word's beginning
        for j in range(i + 1, len(window) + 1):
            piece = window[i:j]
            if piece not in vocab.prefixes:
                break
            if j > lo and piece in vocab.words:
                found.append((i - lo, piece))
    return found


def _matched_letters(ctx: _Context, low: int, high: int, result: str) -> int:
    """How many letters of vocabulary words overlap ``result`` (see above)."""
    return sum(len(w) for _, w in _vocabulary_matches(ctx, low, high, result))


def _score(
    ctx: _Context,
    low: int,
    high: int,
    start: int,
    end: int,
    text: str,
    guessed: set[int],
    reading: str | None,
) -> tuple[tuple[int, int, int, int, float], str] | None:
    """Score a candidate ``text`` for ``clean[start:end]`` or None if it is not confirmed.

    The score: characters of ``text`` confirmed, vocabulary letters matched around it,
    minus the odd characters left in the run, minus the bytes guessed, commonness.
    """
    result = ctx.clean[low:start] + text + ctx.clean[end:high]
    offset = start - low
    confirmed: set[int] = set()
    words = set()
    letters = 0
    for i, word in _vocabulary_matches(ctx, low, high, result):
        letters += len(word)
        words.add(word)
        confirmed.update(
            range(max(i, offset) - offset, min(i + len(word), offset + len(text)) - offset)
        )
    evidence = [f"vocabulary {', '.join(sorted(words))}"] if words else []
    if reading is not None:
        if not _reads(text[-1], reading):
            return None
        confirmed.add(len(text) - 1)
        evidence.append(f"reading {reading} of {text[-1]}")
    if not confirmed or not guessed <= confirmed:
        return None
    odd = sum(1 for c in result if not _is_common(c))
    commonness = sum(1.0 for c in text if _is_common(c)) / len(text)
    score = (len(confirmed), letters, -odd, -len(guessed), commonness)
    return score, " and ".join(evidence) + " confirm it"


_Options = tuple[tuple[int, str], ...]


def _remembered(kind: str, byte: int) -> _Options:
    """:func:`_find_leads` or :func:`_find_trails` of ``byte``, kept on disk between runs
    (:mod:`xmgraph.diskcache`)."""
    from xmgraph.diskcache import GBK_OPTIONS

    found: _Options | None = GBK_OPTIONS.get((kind, byte))
    if found is None:
        found = _find_leads(byte) if kind == "lead" else _find_trails(byte)
        GBK_OPTIONS.put((kind, byte), found)
    return found


@functools.lru_cache(maxsize=256)
def _leads(trail: int) -> tuple[tuple[int, str], ...]:
    """The characters a lost lead byte could have made with ``trail``."""
    return _remembered("lead", trail)


def _find_leads(trail: int) -> tuple[tuple[int, str], ...]:
    out = []
    for x in range(0x81, 0xFF):
        ch = _decode_gbk(bytes((x, trail)))
        if ch is not None and len(ch) == 1 and _is_common(ch):
            out.append((x, ch))
    return tuple(out)


@functools.lru_cache(maxsize=256)
def _trails(lead: int) -> tuple[tuple[int, str], ...]:
    """The characters ``lead`` could have made with a lost trail byte."""
    return _remembered("trail", lead)


def _find_trails(lead: int) -> tuple[tuple[int, str], ...]:
    out = []
    for y in (*range(0x40, 0x7F), *range(0x80, 0xFF)):
        ch = _decode_gbk(bytes((lead, y)))
        if ch is not None and len(ch) == 1 and _is_common(ch):
            out.append((y, ch))
    return tuple(out)


def _decode_gbk(data: bytes) -> str | None:
    """``data`` decoded strictly as GB18030 (GBK's superset), or None."""
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return None


@functools.lru_cache(maxsize=1 << 16)
def _realignable(ch: str) -> bool:
    """Whether ``ch`` is a Chinese or out-of-place character with a two-byte GBK code."""
    if _ANNOTATABLE_RE.fullmatch(ch) is None:
        return False
    try:
        return len(ch.encode("gb18030")) == 2
    except UnicodeEncodeError:
        return False


@functools.lru_cache(maxsize=1 << 16)
def _is_common(ch: str) -> bool:
    """Whether ``ch`` is a common Chinese character (in GB2312 or Big5, or Simplified to one
    in GB2312) or CJK punctuation."""
    if "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef":
        return True
    if not _is_han(ch):
        return False
    for candidate, codec in ((ch, "gb2312"), (ch, "big5"), (_simplify(ch), "gb2312")):
        try:
            candidate.encode(codec)
            return True
        except UnicodeEncodeError:
            continue
    return False


@functools.lru_cache(maxsize=1 << 16)
def _is_frequent(ch: str) -> bool:
    """Whether ``ch`` is among the most frequent characters (level 1 of GB2312, or of Big5)
    or CJK punctuation.

    >>> [_is_frequent(c) for c in "累駕骾,"]
    [True, True, False, False]
    """
    if "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef":
        return True
    if not _is_han(ch):
        return False
    try:
        if 0xB0 <= _simplify_char(ch).encode("gb2312")[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        return 0xA440 <= int.from_bytes(ch.encode("big5"), "big") <= 0xC67E
    except UnicodeEncodeError:
        return False


def _is_han(ch: str) -> bool:
    return _HAN_RE.match(ch) is not None


@functools.cache
def _pinyin_dict() -> dict[int, str]:
    """pypinyin's readings of each character, read from its ``pinyin_dict`` module alone:
    importing the package loads its phrase dictionaries too (0.2-0.4 s at start-up)."""
    import importlib.util
    from pathlib import Path

    try:
        package = importlib.util.find_spec("pypinyin")
        origin = package.origin if package is not None else None
        path = Path(origin or ".").with_name("pinyin_dict.py")
        spec = importlib.util.spec_from_file_location("_xmgraph_pinyin_dict", path)
        if spec is None or spec.loader is None:
            raise ImportError(path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        table: dict[int, str] = module.pinyin_dict
    except Exception:  # laid out otherwise: the ordinary import
        from pypinyin.pinyin_dict import pinyin_dict as table
    return table


def _reads(ch: str, syllable: str) -> bool:
    """Whether the character ``ch`` has the reading ``syllable`` (tone included)."""
    from xmgraph.diskcache import READINGS

    readings: str | None = READINGS.get(ch)
    if readings is None:
        readings = _pinyin_dict().get(ord(ch), "")
        READINGS.put(ch, readings)
    return unicodedata.normalize("NFC", syllable) in readings.split(",")


# --- step 4: Simplified --------------------------------------------------------------------


def _convert(text: str) -> str | None:
    """``text`` through OpenCC ``t2s`` until it stops changing (``t2s`` is not idempotent:
    薴 -> 苧 -> 苎), or None if that changes its length."""
    for _ in range(4):
        converted: str = _T2S.convert(text)
        if len(converted) != len(text):
            return None
        if converted == text:
            break
        text = converted
    return text


@functools.lru_cache(maxsize=1 << 16)
def _simplify_char(ch: str) -> str:
    return _convert(ch) or ch


def _simplify(text: str) -> str:
    """``text`` in Simplified, character by character (same length)."""
    return "".join(_simplify_char(c) for c in text)


def _to_simplified(text: str) -> str:
    """``text`` in Simplified with OpenCC's phrases, never changing its length.

    A line OpenCC would lengthen or shorten is converted run by run of ideographs, and a run
    that still changes length character by character.

    >>> _to_simplified("乾淨的頭髮\\n乾隆")
    '干净的头发\\n乾隆'
    """
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        converted = _convert(line)
        if converted is not None:
            out.append(converted)
            continue
        done = 0
        for m in _HAN_RUN_RE.finditer(line):
            out.append(line[done : m.start()])
            out.append(_convert(m.group()) or _simplify(m.group()))
            done = m.end()
        out.append(line[done:])
    return "".join(out)


def simplified(text: str) -> str:
    """``text`` in Simplified, character for character (offsets into it are offsets into
    ``text``): for reading a sentence as written with the lexicon's Simplified words.

    >>> simplified("1.685 億臺")
    '1.685 亿台'
    """
    return _to_simplified(text)


# --- step 5: pipe tables run into one line ---------------------------------------------------

#: A pipe table's rule row under its header (| ---- | :---: |): two or more cells of dashes.
_RULE_ROW = re.compile(r"\|(?:[ \t]*:?-{3,}:?[ \t]*\|){2,}")


def _table_rows(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with each pipe table run into one line (header, rule row, rows, one after
    another: ``… |项目|2024A|2025E| | --- | --- | --- | |营收|1|2| …``) put on lines of its
    own, the space before its header, rule and each row made a line break; and the span of each
    table so split.

    >>> _table_rows("要点 |项目|2024A| | ---- | ---- | |收入|5| |利润|2|[1] 完")[0].split("\\n")
    ['要点', '|项目|2024A|', '| ---- | ---- |', '|收入|5|', '|利润|2|[1] 完']
    """
    breaks: list[int] = []
    spans: list[tuple[int, int]] = []
    for m in _RULE_ROW.finditer(text):
        cells = m[0].count("|") - 1
        head = _row_before(text, m.start() - 1, cells)
        if head is None:
            continue
        found = [head - 1, m.start() - 1] if head > 0 and text[head - 1] == " " else [m.start() - 1]
        end = m.end()
        while text.startswith(" |", end) and (row := _row_end(text, end + 1, cells)) is not None:
            found.append(end)
            end = row
        breaks.extend(found)
        spans.append((head, end))
    if not breaks:
        return text, []
    chars = list(text)
    for at in breaks:
        chars[at] = "\n"
    return "".join(chars), spans


#: A line holding one cell of a web table copied a cell a line (营业收入(亿元) |, 52.3 |, |).
_CELL_LINE = re.compile(r"[^\S\n]*[^|\n]{0,40}?[^\S\n]*\|[^\S\n]*")
#: …whose cell is a figure, a dash or empty.
_FIGURE_CELL_LINE = re.compile(r"[^\S\n]*(?:[-+−]?\d[\d,]*(?:\.\d+)?%?|[-—–]+)?[^\S\n]*\|[^\S\n]*")


def _cell_lines(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with each web table copied one cell a line (指标 |⏎2024年 |⏎2023年 |⏎营业收入
    |⏎52.3 |⏎48.1 |) put back a row a line, the line breaks inside a row made spaces (offsets
    kept); and the span of each table so joined. A table's width is its header's cells (those
    before the first row's label, the line before the first figure); every row opens with a
    label and holds figures, dashes or nothing after it, or the lines are left as they are.

    >>> cells = "指标 |\\n2024年 |\\n2023年 |\\n营收 |\\n5.2 |\\n4.8 |\\n利润 |\\n1.1 |\\n|"
    >>> _cell_lines(cells)[0].split("\\n")
    ['指标 | 2024年 | 2023年 |', '营收 | 5.2 | 4.8 |', '利润 | 1.1 | |']
    """
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    chars, i = list(text), 0
    spans: list[tuple[int, int]] = []
    while i < len(lines):
        j = i
        while j < len(lines) and _CELL_LINE.fullmatch(lines[j]):
            j += 1
        width = _cell_width(lines[i:j])
        if width:
            for r in range(i, j, width):
                for k in range(r, r + width - 1):
                    chars[starts[k] + len(lines[k])] = " "
            spans.append((starts[i], starts[j - 1] + len(lines[j - 1])))
        i = max(j, i + 1)
    return "".join(chars), spans


def _cell_width(run: list[str]) -> int:
    """The cells a row has in a run of one-cell lines (0: no table of rows of that width)."""
    first = next((k for k, line in enumerate(run) if _FIGURE_CELL_LINE.fullmatch(line)), None)
    if first is None or first < 3:
        return 0
    width = first - 1
    if len(run) < 2 * width or len(run) % width:
        return 0
    for r in range(width, len(run), width):
        row = run[r : r + width]
        if _FIGURE_CELL_LINE.fullmatch(row[0]):
            return 0
        if not all(_FIGURE_CELL_LINE.fullmatch(cell) for cell in row[1:]):
            return 0
    return width


def _row_before(text: str, space: int, cells: int) -> int | None:
    """Where the row of ``cells`` cells ending right before ``text[space]`` (a space, on the
    same line) starts, or None."""
    if space < 1 or text[space] != " " or text[space - 1] != "|":
        return None
    at, bars = space - 1, 1
    while bars <= cells:
        at = text.rfind("|", 0, at)
        if at < 0 or "\n" in text[at:space]:
            return None
        bars += 1
    return at


def _row_end(text: str, start: int, cells: int) -> int | None:
    """Where the row of ``cells`` cells starting at ``text[start]`` (a bar) ends, or None."""
    at = start
    for _ in range(cells):
        at = text.find("|", at + 1)
        if at < 0 or "\n" in text[start:at]:
            return None
    return at + 1
