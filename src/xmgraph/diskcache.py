"""What start-up derives from the ontology, kept on disk between runs: the lexicon, the
parsed ontology files and the compiled regexes of the lexicon's words.

Every entry is keyed by a hash of the ontology files it was read from, of xmgraph's own
source and of the Python version (:func:`key`), so editing a ``.ttl`` file, changing the
code or upgrading Python rebuilds it. Entries live in platformdirs' user cache folder
(``~/.cache/xmgraph`` on Linux; ``XMGRAPH_CACHE_DIR`` chooses another, ``XMGRAPH_NO_CACHE=1``
turns the cache off). They are written to a temporary file and renamed into place, so
processes starting together never read half an entry; an entry that cannot be read is
rebuilt, and a folder that cannot be written is only slower, never an error.

A regex cannot be pickled compiled (``pickle`` keeps its text and compiles it again), so
:func:`regex` keeps what CPython's compiler makes of it (its opcodes, the argument of
``_sre.compile``) and builds the pattern from them: the same object ``re.compile``
returns, without parsing and compiling alternations of thousands of words again.

>>> import re
>>> regex("a(?P<x>b|c)+", re.I) == re.compile("a(?P<x>b|c)+", re.I)
True
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import pickle
import re
import sys
import tempfile
from array import array
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: (pattern, flags) -> the arguments of ``_sre.compile`` after the pattern, its opcodes as
#: an array (a list of ints took ten times as long to unpickle: 3 ms of every start)
_Parts = tuple[int, "array[int]", int, dict[str, int], tuple[str | None, ...]]
#: the regexes of this process, as re's own cache keeps them
_COMPILED: dict[tuple[str, int], re.Pattern[str]] = {}


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    if os.environ.get("XMGRAPH_NO_CACHE", "") not in ("", "0"):
        return None
    chosen = os.environ.get("XMGRAPH_CACHE_DIR")
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir("xmgraph", appauthor=False))


@cache
def _code_digest() -> str:
    """A hash of xmgraph's source (what turns the ontology into the cached objects)."""
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(files: Iterable[Path]) -> str:
    """A hash of ``files`` (names and bytes), of xmgraph's source and of Python's version."""
    digest = hashlib.sha256(_code_digest().encode())
    for path in sorted(files):
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def load(kind: str, entry: str) -> Any | None:
    """The object saved as ``kind`` under the key ``entry``; None when there is none (or
    it cannot be read: it is then rebuilt)."""
    where = folder()
    if where is None:
        return None
    try:
        with open(where / f"{kind}-{entry}.pickle", "rb") as stream:
            return pickle.load(stream)
    except Exception:  # missing, truncated by a full disk, from another version: rebuild
        return None


def save(kind: str, entry: str, value: Any) -> None:
    """Save ``value`` as ``kind`` under ``entry`` (atomically), removing the older entries of
    that kind but the newest few; silently nothing when the folder cannot be written."""
    where = folder()
    if where is None:
        return
    temporary: str | None = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "wb", dir=where, prefix=f".{kind}-", suffix=".tmp", delete=False
        ) as stream:
            temporary = stream.name
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, where / f"{kind}-{entry}.pickle")
        temporary = None
        _prune(where, kind, f"{kind}-{entry}.pickle")
    except Exception:  # a full disk, no permission: the cache is only slower
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


#: entries kept of each kind: two versions of xmgraph (two environments, two checkouts)
#: using one cache folder each keep theirs instead of rebuilding them in turn
KEEP = 4


def _prune(where: Path, kind: str, kept: str) -> None:
    """Remove the older entries of ``kind``, all but the newest :data:`KEEP` with ``kept``."""
    # an entry is one hex digest: "ontology-entities-a-" + digest is not of kind "ontology-entities"
    mine = re.compile(re.escape(kind) + r"-[0-9a-f]+\.pickle")
    others = [
        p for p in where.glob(f"{kind}-*.pickle") if p.name != kept and mine.fullmatch(p.name)
    ]
    with contextlib.suppress(OSError):
        others.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in others[KEEP - 1 :]:
        old.unlink(missing_ok=True)


def cached(kind: str, entry: str, build: Callable[[], T]) -> T:
    """The object saved as ``kind`` under ``entry``, else ``build()``, saved."""
    found = load(kind, entry)
    if found is not None:
        return found  # type: ignore[no-any-return]
    value = build()
    save(kind, entry, value)
    return value


# ---------------------------------------------------------------- memos


class Memo:
    """A table of a pure function's answers kept on disk (read at its first use, written at
    exit when it grew): for answers that cost more to compute than to read back."""

    def __init__(self, kind: str, entry: Callable[[], str]) -> None:
        self.kind = kind
        self._entry = entry
        self._table: dict[Any, Any] | None = None
        self._grown = False

    def table(self) -> dict[Any, Any]:
        """The answers, read from the cache the first time."""
        if self._table is None:
            found = load(self.kind, self._entry()) if folder() is not None else None
            self._table = found if isinstance(found, dict) else {}
        return self._table

    def get(self, question: Any) -> Any | None:
        """The answer kept for ``question``, or None."""
        return self.table().get(question)

    def put(self, question: Any, answer: Any) -> None:
        """Keep ``answer`` (written to the cache when the process exits)."""
        self.table()[question] = answer
        if not self._grown and folder() is not None:
            self._grown = True
            atexit.register(self.save)

    def drop(self, question: Any) -> None:
        """Forget an answer."""
        self.table().pop(question, None)

    def save(self) -> None:
        """Write the table to the cache now, if it grew."""
        if self._table is not None and self._grown:
            save(self.kind, self._entry(), self._table)
            self._grown = False


def _ontology_entry() -> str:
    from xmgraph.resources import ontology_files

    return key(ontology_files())


def _package_entry(package: str, names: tuple[str, ...]) -> str:
    """The code and the version of ``package`` (its files' sizes and times), without
    importing it."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    stamp = ""
    if spec is not None and spec.origin is not None:
        for name in names:
            path = Path(spec.origin).with_name(name)
            if path.exists():
                stat = path.stat()
                stamp += f"{name}:{stat.st_size}:{stat.st_mtime_ns};"
    return hashlib.sha256((_code_digest() + stamp).encode()).hexdigest()[:32]


def _pypinyin_entry() -> str:
    return _package_entry("pypinyin", ("__init__.py", "pinyin_dict.py", "phrases_dict.py"))


def opencc_entry() -> str:
    """The code and the version of OpenCC (whose tables the normalizer's answers depend on)."""
    return _package_entry("opencc", ("__init__.py",))


#: (pattern, flags) -> the arguments of ``_sre.compile`` after the pattern
REGEXES = Memo("regex", _ontology_entry)
#: (words, after_digits) -> the alternation of :func:`xmgraph.patterns.alternation`, written
#: as a trie (its making took 20 ms of every start, twice parsing and compiling the result)
ALTERNATIONS = Memo("alternation", _ontology_entry)
#: a name -> its slug (pypinyin's phrase dictionaries take 0.2-0.4 s to import)
SLUGS = Memo("slug", _pypinyin_entry)
#: a character -> its readings in pypinyin's table (loading the table takes 0.05 s)
READINGS = Memo("readings", _pypinyin_entry)
#: ("lead" or "trail", a GBK byte) -> the common characters it makes with a lost byte
#: (190 decodings and OpenCC look-ups a byte: a tenth of the bundled report's start-up)
GBK_OPTIONS = Memo("gbk", opencc_entry)


# ---------------------------------------------------------------- regexes


def _can_rebuild() -> bool:
    return sys.implementation.name == "cpython"


def _parts(pattern: str, flags: int) -> _Parts:
    """What ``re.compile`` hands to ``_sre.compile`` (CPython 3.10-3.13)."""
    import importlib

    try:
        _compiler = importlib.import_module("re._compiler")
        _parser = importlib.import_module("re._parser")
    except ImportError:  # Python 3.10
        _compiler = importlib.import_module("sre_compile")
        _parser = importlib.import_module("sre_parse")

    parsed = _parser.parse(pattern, flags)
    code = array("I", _compiler._code(parsed, flags))  # CPython's opcodes are 32-bit words
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    final = int(flags | parsed.state.flags)  # a plain int: RegexFlag does not pickle
    return final, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _build(pattern: str, parts: _Parts) -> re.Pattern[str]:
    import importlib

    final, code, groups, groupindex, indexgroup = parts
    _sre = importlib.import_module("_sre")
    built: re.Pattern[str] = _sre.compile(
        pattern, final, code.tolist(), groups, groupindex, indexgroup
    )
    return built


def regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, its compiled code kept on disk for the next run (for
    the large patterns made from the lexicon's words, not for one-off ones)."""
    flags = int(flags)
    done = _COMPILED.get((pattern, flags))
    if done is not None:
        return done
    compiled = _compiled(pattern, flags)
    _COMPILED[(pattern, flags)] = compiled
    return compiled


def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    if not _can_rebuild() or folder() is None:
        return re.compile(pattern, flags)
    parts = REGEXES.get((pattern, flags))
    if parts is not None:
        try:
            return _build(pattern, parts)
        except Exception:  # an entry from another engine: compile afresh
            REGEXES.drop((pattern, flags))
    try:
        parts = _parts(pattern, flags)
        compiled = _build(pattern, parts)
    except re.error:
        raise
    except Exception:  # the compiler's internals moved: the plain way
        return re.compile(pattern, flags)
    REGEXES.put((pattern, flags), parts)
    return compiled
