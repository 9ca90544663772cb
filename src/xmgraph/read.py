"""Read a report file: bytes -> :class:`~xmgraph.model.Report`, decoding Chinese encodings.

Strict UTF-8 and byte-order marks are tried first; otherwise charset-normalizer proposes
ranked candidates, and among GB18030 and Big5 the strict-valid decoding that looks most
like Chinese wins (charset-normalizer alone is unreliable on short Chinese texts).

>>> report = read_bytes("經調整凈利潤\\r\\n".encode("big5"), name="a.txt")
>>> report.encoding, report.text
('big5', '經調整凈利潤\\r\\n')
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import logging
import os
import re
import threading
import unicodedata
from pathlib import Path

from xmgraph.errors import Errors, XmgraphError
from xmgraph.model import Report

log = logging.getLogger(__name__)

#: Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

#: The Chinese legacy encodings, in order of preference on a tie.
_CHINESE = ("gb18030", "big5", "cp950", "big5hkscs")

#: Codecs charset-normalizer may propose that need a BOM to be believed.
_NEEDS_BOM = ("utf_16", "utf_32", "utf-16", "utf-32")

#: Control characters other than whitespace (``\t\n\v\f\r`` are fine in text).
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

#: Strict-valid UTF-8 that is still unlikely text (a short GBK text can be valid UTF-8):
#: C1 controls, private use, or a combining accent that follows no letter.
_IMPLAUSIBLE_UTF8_RE = re.compile(
    "[\x80-\x9f\ue000-\uf8ff]|(?:^|[^\\w\u0300-\u036f])[\u0300-\u036f]"
)

#: How many characters of a decoding are looked at to score it.
_SAMPLE = 100_000

#: A decoding whose Chinese score is below this is not taken for Chinese.
_MIN_CHINESE_SCORE = 0.5

#: A text that no encoding decodes is still read, its bad bytes replaced, when they are
#: at most this many, or one in this many bytes (more: it is not text, E004/E005).
_MAX_BAD_BYTES = 8
_BAD_BYTES_PER = 1_000
#: Bad bytes warned about one by one (then how many more).
_BAD_BYTES_SHOWN = 10

#: The largest report read by default, in bytes (E120 above it): every stage takes time
#: linear in the text, but a report's graph grows with it.
MAX_SIZE = 20_000_000
#: The environment variable that overrides :data:`MAX_SIZE` (``xmgraph --max-size`` sets
#: it, so that worker processes see it too).
MAX_SIZE_ENV = "XMGRAPH_MAX_SIZE"

_SIZE_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}


def parse_size(value: str) -> int:
    """A size in bytes from ``20MB``, ``500kb``, ``1.5G`` or ``1000`` (E121 otherwise).

    >>> parse_size("20MB"), parse_size("1000")
    (20000000, 1000)
    """
    m = _SIZE_RE.fullmatch(value)
    if m is None or len(m.group(1)) > 15:
        raise XmgraphError(Errors.E121, value=value)
    size = int(float(m.group(1)) * _SIZE_UNITS[m.group(2).lower()])
    if size < 1:
        raise XmgraphError(Errors.E121, value=value)
    return size


def max_size() -> int:
    """The size limit in force: ``$XMGRAPH_MAX_SIZE`` if set, else :data:`MAX_SIZE`."""
    value = os.environ.get(MAX_SIZE_ENV, "")
    return parse_size(value) if value.strip() else MAX_SIZE


def check_size(size: int, name: str) -> None:
    """E120 when a report of ``size`` bytes is over the limit."""
    limit = max_size()
    if size > limit:
        raise XmgraphError(Errors.E120, path=name, size=size, limit=limit)


def read_report(path: str | os.PathLike[str]) -> Report:
    """Read and decode the report file at ``path``.

    Raises :class:`~xmgraph.errors.XmgraphError` E001 (missing), E002 (directory),
    E003 (empty), E004 (binary), E005 (undecodable), E006 (unreadable) or E120 (over the
    size limit, :func:`max_size`).
    """
    p = Path(os.fspath(path))
    if p.is_dir():
        raise XmgraphError(Errors.E002, path=str(p))
    if not p.exists():
        raise XmgraphError(Errors.E001, path=str(p))
    try:
        check_size(p.stat().st_size, str(p))  # before reading it
        data = p.read_bytes()
    except OSError as exc:
        raise XmgraphError(Errors.E006, path=str(p), reason=exc.strerror or str(exc)) from exc
    return read_bytes(data, name=p.name)


def read_bytes(data: bytes, *, name: str) -> Report:
    """Decode ``data`` (the bytes of a file called ``name``) into a :class:`Report`.

    >>> read_bytes("\\ufeff小米 2024\\n".encode("utf-8"), name="x.txt").encoding
    'utf-8-sig'
    >>> read_bytes(b"", name="x.txt")
    Traceback (most recent call last):
    ...
    xmgraph.errors.XmgraphError: E003: file is empty: x.txt
    """
    check_size(len(data), name)
    if not data.strip():
        raise XmgraphError(Errors.E003, path=name)
    try:
        text, encoding = _decode(data, name)
        warnings: tuple[str, ...] = ()
    except XmgraphError:
        recovered = _decode_replacing(data)
        if recovered is None:
            raise
        text, encoding, warnings = recovered
    if not text.strip():
        raise XmgraphError(Errors.E003, path=name)
    if _looks_binary(text):
        raise XmgraphError(Errors.E004, path=name)
    return Report(
        name=name,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        warnings=warnings,
    )


def _decode_replacing(data: bytes) -> tuple[str, str, tuple[str, ...]] | None:
    """A text with a few bytes no encoding takes (a 0xFF, a character cut at the end, a
    GBK tail): decoded with each bad byte replaced by U+FFFD, one character, so that the
    offsets of everything else are those of the file's text; with a warning for each
    (its byte and character offsets). None when no encoding does with few replacements
    and reads as Chinese."""
    limit = max(_MAX_BAD_BYTES, len(data) // _BAD_BYTES_PER)
    best: tuple[float, int, str, str, list[tuple[int, int]]] | None = None
    mark = next(((bom, codec, label) for bom, codec, label in _BOMS if data.startswith(bom)), None)
    tried = [(c, c) for c in ("utf-8", *_CHINESE)] if mark is None else [mark[1:]]
    skip = 0 if mark is None else len(mark[0])  # offsets stay those of the file
    for codec, label in tried:
        _BAD.spans, _BAD.limit = [], limit
        try:
            text = data[skip:].decode(codec, errors=_RECORD_BAD)
        except UnicodeDecodeError:  # too many bad bytes
            continue
        bad = [(a + skip, b + skip) for a, b in _BAD.spans]
        if not bad:
            continue
        score = _chinese_score(text)
        if score >= _MIN_CHINESE_SCORE and (best is None or (score, -len(bad)) > best[:2]):
            best = (score, -len(bad), label, text, bad)
    if best is None:
        return None
    _, _, label, text, bad = best
    codec = label.removesuffix("-sig")
    chars = _char_offsets(data[skip:], codec, [(a - skip, b - skip) for a, b in bad])
    warnings = [
        f"byte {start} (character {char}) is no {codec}: replaced by U+FFFD "
        f"({data[start:end].hex(' ')})"
        for (start, end), char in zip(bad[:_BAD_BYTES_SHOWN], chars, strict=True)
    ]
    if len(bad) > _BAD_BYTES_SHOWN:
        warnings.append(f"... and {len(bad) - _BAD_BYTES_SHOWN} more bytes replaced by U+FFFD")
    log.debug("decoded as %s with %d byte(s) replaced", label, len(bad))
    return text, label, tuple(warnings)


class _BadBytes(threading.local):
    """The bad byte spans the error handler :data:`_RECORD_BAD` saw, in this thread."""

    spans: list[tuple[int, int]]
    limit: int


_BAD = _BadBytes()
_RECORD_BAD = "xmgraph-record-bad-bytes"


def _record_bad(exc: UnicodeError) -> tuple[str, int]:
    """A codec error handler: U+FFFD for the bad span, recorded; past the limit, give up."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _BAD.spans.append((exc.start, exc.end))
    if len(_BAD.spans) > _BAD.limit:
        raise exc
    return "\ufffd", exc.end


codecs.register_error(_RECORD_BAD, _record_bad)


def _char_offsets(data: bytes, codec: str, bad: list[tuple[int, int]]) -> list[int]:
    """The character offset of each bad span's U+FFFD in the replaced decoding (the first
    :data:`_BAD_BYTES_SHOWN`), counted segment by segment: linear in ``data``."""
    out: list[int] = []
    chars = 0
    done = 0
    for start, end in bad[:_BAD_BYTES_SHOWN]:
        chars += len(data[done:start].decode(codec, errors="replace"))
        out.append(chars)
        chars += 1
        done = end
    return out


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Return ``(text, codec name)`` for ``data``, BOM removed."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), label
            except UnicodeDecodeError as exc:
                raise XmgraphError(Errors.E005, path=name) from exc
    if b"\x00" in data:
        raise XmgraphError(Errors.E004, path=name)
    utf8 = _strict(data, "utf-8")
    if utf8 is not None and not _IMPLAUSIBLE_UTF8_RE.search(utf8):
        return utf8, "utf-8"
    ranked = _ranked_candidates(data)
    decoded = {c: t for c in dict.fromkeys((*_CHINESE, *ranked)) if (t := _strict(data, c))}
    # on equal scores, charset-normalizer's rank decides, then the order of _CHINESE
    order = [c for c in ranked if c in _CHINESE] + [c for c in _CHINESE if c not in ranked]
    chinese = [(c, _chinese_score(decoded[c])) for c in order if c in decoded]
    log.debug("chinese candidates for %s: %s", name, chinese)
    if chinese:
        best, score = max(chinese, key=lambda pair: pair[1])  # the first of equal scores
        if score >= _MIN_CHINESE_SCORE and (utf8 is None or score > _chinese_score(utf8)):
            return decoded[best], best
    if utf8 is not None:
        return utf8, "utf-8"
    for codec in ranked:
        if codec in decoded and not codec.startswith(_NEEDS_BOM):
            return decoded[codec], codec
    if _looks_binary(data.decode("latin-1")):
        raise XmgraphError(Errors.E004, path=name)
    raise XmgraphError(Errors.E005, path=name)


def _strict(data: bytes, codec: str) -> str | None:
    """``data`` decoded strictly with ``codec``, or None."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _ranked_candidates(data: bytes) -> list[str]:
    """Codec names charset-normalizer proposes for ``data``, best first."""
    # imported here: a text that is plausible UTF-8 (most) never asks, and the import is
    # a hundredth of a second of every start
    from charset_normalizer import from_bytes

    names: list[str] = []
    for match in from_bytes(data):
        codec = codecs.lookup(match.encoding).name
        names.append(
            "gb18030" if codec in ("gbk", "gb2312", "hz", "gb18030") else codec.replace("_", "-")
        )
    return list(dict.fromkeys(names))


@functools.lru_cache(maxsize=1 << 16)
def _commonness(ch: str) -> float:
    """How common ``ch`` is in Chinese text: 1 for the frequent characters (level 1 of
    GB2312 or Big5) and for CJK punctuation, 0.5 for level 2, 0.25 for other ideographs,
    0 for other scripts (kana, Greek, box drawing ...), -2 for private-use, unassigned or
    control characters.

    >>> [_commonness(c) for c in "中國镓い\ue000"]
    [1.0, 1.0, 0.5, 0.0, -2.0]
    """
    if unicodedata.category(ch) in ("Co", "Cn", "Cc", "Cs") or ch == "\ufffd":
        return -2.0
    if "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef":
        return 1.0
    if not ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch >= "\U00020000"):
        return 0.0
    level = 0.25
    try:
        lead = ch.encode("gb2312")[0]
        level = 1.0 if lead <= 0xD7 else 0.5
    except UnicodeEncodeError:
        pass
    try:
        code = int.from_bytes(ch.encode("big5"), "big")
        level = max(level, 1.0 if code <= 0xC67E else 0.5)
    except UnicodeEncodeError:
        pass
    return level


def _chinese_score(text: str) -> float:
    """How much ``text`` looks like Chinese: the mean :func:`_commonness` of its
    non-ASCII characters (of the first :data:`_SAMPLE`), 1 when it has none.

    >>> _chinese_score("小米集团 2024"), _chinese_score("い镓")
    (1.0, 0.25)
    """
    total = 0.0
    count = 0
    for ch in text[:_SAMPLE]:
        if not ch.isascii():
            total += _commonness(ch)
            count += 1
    return total / count if count else 1.0


def _looks_binary(text: str) -> bool:
    """Whether ``text`` has NULs or is more than a tenth control characters."""
    if "\x00" in text:
        return True
    return len(_CONTROL_RE.findall(text)) * 10 > len(text)
