"""Tables written as text: one row a line, under a header that names the unit."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from xmgraph.diskcache import regex
from xmgraph.extract.frame import evolve
from xmgraph.lexicon import Lexicon, MetricInfo
from xmgraph.lexicon import UnitInfo as Unit
from xmgraph.patterns import (
    HAN,
    Mention,
    Patterns,
    alternation,
    chinese_dates,
    compact,
    compile_patterns,
    read_digits,
    sane_figure,
)

_BARE = re.compile(r"(?<![\d.,A-Za-z])[-−+]?\d+(?:,\d{3})*(?:\.\d+)?(?!\d|[.,]\d)")


def _unit_words(lexicon: Lexicon) -> tuple[str, str, str]:
    """The alternations of the scales (万, 百万), the units that name one (元, 吨) and the
    currency words written before a scale (港币) that a table's unit is written with."""
    pats = compile_patterns(lexicon)
    return (
        alternation(list(lexicon.scales)),
        alternation([w for w in pats.unit_by_word if not pats.unit_by_word[w].generic]),
        alternation([w for w, u in pats.unit_by_prefix.items() if u.currency]),
    )


@lru_cache(maxsize=8)
def _header_patterns(
    lexicon: Lexicon,
) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The unit header (单位：万元), a unit marker in brackets (（元）, (%)) and a row's own unit,
    a cell of a unit column (原煤产量 百万吨 98.4 99.1 (0.7))."""
    scales, units, currencies = _unit_words(lexicon)
    unit_word = alternation(list(lexicon.cue("unit-header")))
    # 单位:万元项目2024年度2023年度…: a PDF's unit line run into the header after it
    label_head = alternation(list(lexicon.cue("inline-label-head")))
    opens, closes = (
        alternation(list(lexicon.cue(k))) for k in ("unit-phrase-open", "unit-phrase-close")
    )
    said = rf"(?:{opens})(?=\s*(?:{currencies})?\s*(?:{scales})?\s*(?:{units})\s*(?:{closes}))"
    # 业绩(港币千元): a heading line of a few words, its currency and scale in brackets; or the
    # brackets alone, a note after a comma (（人民币百万元，百分比除外）)
    note = r"(?:[，,][^）)\n]{1,12})?"
    titled = (
        rf"^[{HAN}]{{0,20}}\s*[（(](?=\s*(?:{currencies})\s*(?:{scales})\s*(?:{units})\s*{note}"
        rf"[）)]\s*$)"
    )
    header = regex(  # 单位：万元, 单位：人民币万元 (the currency first), 金额以港币百万元列示
        rf"(?:(?:{unit_word})\s*[：:]|{said}|{titled})\s*(?P<cur>{currencies})?\s*"
        # 单位:人民币(元): the scale and unit in brackets after the currency
        rf"(?:(?<=[^\s：:])[（(]\s*)?(?P<scale>{scales})?\s*"
        rf"(?P<unit>{units})\s*(?:{closes})?\s*{note}\s*[）)]?"
        # 单位：元 币种：人民币 (an A-share announcement's header: the currency after the unit)
        rf"(?:\s*(?:{alternation(list(lexicon.cue('currency-header')))})\s*[：:]\s*"
        rf"(?P<cur_after>{currencies}))?\s*(?:$|(?=(?:{label_head})))"
    )
    # (万元), (%); （元/股）: a per-share row's unit, the share left out; a scale alone, maybe
    # after a word and a colon ((未调整:万), a portal's table: of the table's default unit)
    marker = regex(
        rf"[（(]\s*(?:(?P<pct>[%％])|(?P<scale>{scales})?(?P<unit>{units})(?:\s*[/／]\s*股)?"
        rf"|(?:[{HAN}]{{0,4}}[:：]\s*)?(?P<bare>{scales}))\s*[）)]"
    )
    cell = regex(rf"(?<=\s)(?P<scale>{scales})?(?P<unit>{units})(?=\s+[-−+（(]?\d)")
    return header, marker, cell


_YEAR = re.compile(r"(?:19|20)\d\d")
_NOT_YEAR = re.compile(r"(?:19|20)\d\d|\s")


def _pipe_columns(line: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The kinds of the value columns of a pipe table's header (项目 | 2024年 1-6月 | 2023年
        1-6月 | 比上年同期增减): the first dated column is "this", a column dated a year earlier and
        otherwise alike is "prior", one dated at the end of the year before "year-end" (a balance
    table's 2024年12月31日), a change column "change"; any other column "skip"."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    # 项目 | …: the label column's head, left out (a header without one starts 本报告期)
    if _named_kind(cells[0], lexicon) not in ("this", "ytd"):
        cells = cells[1:]
    if len(cells) >= 2 and all(_ISO_DATE.fullmatch(c) for c in cells):
        return tuple(DATED + c for c in cells)  # |指标 |2025-09-30|2025-06-30|: report dates
    kinds = _year_kinds(cells, lexicon)
    return tuple(kinds) if "this" in kinds else _named_pipe_columns(cells, lexicon)


def _year_kinds(cells: list[str], lexicon: Lexicon) -> list[str]:
    """The kinds of a pipe header's cells named by years (see :func:`_pipe_columns`)."""
    kinds: list[str] = []
    first = ""
    for cell in cells:
        years = _YEAR.findall(cell)
        if any(w in cell for w in lexicon.cue("change-column")):
            kinds.append("change")
        elif len(years) == 1 and not first:
            first, this_year = cell, int(years[0])
            kinds.append("this")
        elif len(years) == 1 and first and int(years[0]) == this_year - 1:
            alike = _NOT_YEAR.sub("", cell) == _NOT_YEAR.sub("", first)
            year_end = any(w in _NOT_YEAR.sub("", cell) for w in lexicon.cue("year-end-column"))
            kinds.append("prior" if alike else "year-end" if year_end else "skip")
        else:
            kinds.append("skip")
    return kinds


#: A column headed by the day a report's period ends (2025-09-30), as a portal's table of
#: financial indicators heads them: its kind is this prefix and the day.
DATED = "dated:"
_ISO_DATE = re.compile(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")


def _named_pipe_columns(cells: list[str], lexicon: Lexicon) -> tuple[str, ...]:
    """The kinds of a pipe table's columns named by words, not dates (项目 | 本报告期 | 上年同期 |
    增减变动幅度(%) |, 项目 | 本报告期末 | 本报告期初 |); () unless one is the period reported
    and another is a period or its change.
    Beside a year-to-date group (年初至报告期末 | 上年同期), the first group is the quarter's."""
    kinds = [_named_kind(cell, lexicon) for cell in cells]
    if "ytd" in kinds:
        split = kinds.index("ytd")
        kinds = [
            (_QUARTER if k < split else _YEAR_TO_DATE).get(kind, kind)
            for k, kind in enumerate(kinds)
        ]
    # 项目 | 年初至报告期末 | 上年初至上年报告期末 | …: the months to date are the period reported
    has_this = "this" in kinds or "quarter" in kinds or "ytd" in kinds
    # 项目 | 本报告期 | 本报告期比上年同期增减变动幅度(%): the period and its change suffice
    named = len(set(kinds) - {"change", "skip"}) > 1 or "change" in kinds
    return tuple(kinds) if has_this and named else ()


_QUARTER = {"this": "quarter", "prior": "quarter-prior"}
_YEAR_TO_DATE = {"prior": "ytd-prior", "this": "skip"}


def _named_kind(cell: str, lexicon: Lexicon) -> str:
    cell = compact(cell)  # 本报 告期: a PDF's cell broken by a space
    for kind, cue in (
        ("change", "change-column"),
        ("year-end", "period-start-column"),
        ("ytd-prior", "prior-year-to-date-column"),
        ("ytd", "year-to-date-column"),
        ("this", "this-period-column"),
        ("prior", "prior-period-column"),
    ):
        if any(w in cell for w in lexicon.cue(cue)):
            return kind
    return "skip"


def columns(line: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The kinds of the columns a table's header line names, in order ("this", "prior",
    "change": 项目 本报告期 上年同期 增减变动幅度(%); "year-end" for the balances at the period's
    start: 项目 本报告期末 本报告期初); () when it names no period column."""
    if line.count("|") >= 2:
        return _pipe_columns(line, lexicon)
    if any(w in line for w in lexicon.cue("year-to-date-column")):
        # the quarter's, the months', a PDF's spaces maybe in their names (本报告期比 上年同期增)
        named = _after_head(line, lexicon)
        return _segmented_columns(compact(named[0]) if named else "", lexicon) or (
            _named_pipe_columns(named[0].split() if named else [], lexicon)
        )
    kinds = _worded_columns(line, lexicon)
    if kinds in (("this", "change"), ("skip", "this", "change")) or (
        "this" in kinds and ("prior" in kinds or "year-end" in kinds)
    ):  # 项目 本报告期 本报告期比上年同期增减变动幅度(%): the period and its change suffice
        return kinds
    return _year_columns(line, lexicon)


def _worded_columns(line: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The kinds of the columns a header line names by words, in order; a name found inside
    another's, or opening it, is not read again (上年度末 is the year end, not 上年度;
    本报告期比上年同期, its 增减变动幅度 wrapped to the next line, the change, neither this
    period nor the year before)."""
    found: dict[int, str] = {}
    spans: list[tuple[int, int]] = []
    for kind, cue in (
        ("skip", "superseded-column"),
        ("year-end", "period-start-column"),
        ("change", "change-column"),
        ("this", "this-period-column"),
        ("prior", "prior-period-column"),
    ):
        hits = [(i, i + len(w)) for w in lexicon.cue(cue) if (i := line.find(w)) >= 0]
        if not hits:
            continue
        at, end = min(hits)
        if at not in found and not any(a <= at < b or _compares(line, end, a) for a, b in spans):
            found[at] = kind
            spans.append((at, end))
    return tuple(found[at] for at in sorted(found))


def _compares(line: str, end: int, start: int) -> bool:
    """Whether a name ending at ``end`` opens the comparison starting at ``start`` (本期 of
    本期比上年同期: part of the change column's name)."""
    return end == start and line.startswith("比", start)


def _after_head(line: str, lexicon: Lexicon) -> list[str]:
    """The words after a header's first cell, the label column's head (项目 本报告期 …; glued
    to the columns: 项目本报告期本报告期比 上年同期增 …), or the whole line where its first cell
    already names a column (the label column's head left blank: ⎵⎵本报告期 本报告期比…)."""
    first, *rest = line.split(maxsplit=1) or [""]
    head = next((w for w in lexicon.cue("inline-label-head") if first.startswith(w)), None)
    if head is not None and _named_kind(first[len(head) :], lexicon) != "skip":
        return [line.strip()[len(head) :]]
    if head is None and _column_starts(lexicon).match(first):
        return [line.strip()]  # 本报告期本报告期比上年同期增减年初至报告期末…: no spaces at all
    return rest


def _after_label_head(line: str, lexicon: Lexicon) -> list[str]:
    """A header copied without its spaces (项目本报告期本报告期比上年同期增减变动幅度…): the
    words after the label column's head, or none."""
    head = next((w for w in lexicon.cue("inline-label-head") if line.startswith(w)), None)
    return [line[len(head) :]] if head else []


def _year_columns(line: str, lexicon: Lexicon) -> tuple[str, ...]:
    """运营指标 单位 2025 年上半年 2024 年上半年 变动(%): a column of a year and one of the
    year before, alike otherwise, are "this" and "prior"; a change column "change" (指标
    2024年度 同比变化: one year's column and its change, "this" and "change")."""
    years = [(m.start(), int(m.group())) for m in _YEAR_WORD.finditer(line)]
    named = (*lexicon.cue("change-column"), *lexicon.cue("inline-change-header"))
    if len(years) == 1:  # 指标 2024年度 同比变化: the year's column, then its change, alone
        change = len(line.split()) <= 3 and any(w in line[years[0][0] :] for w in named)
        return ("this", "change") if change else ()
    if len(years) != 2 or years[1][1] != years[0][1] - 1:
        return ()
    # 2025年度 (未经审计) 2024年度 (经审计): notes in brackets are no part of the column's name
    first = _BRACKETED.sub("", line[years[0][0] : years[1][0]])
    second = _BRACKETED.sub("", line[years[1][0] :])
    this = _NOT_YEAR.sub("", first)[:4]
    if this != _NOT_YEAR.sub("", second)[: len(this)]:
        return ()  # 2024年6月30日 against 2023年12月31日: none alike (2025年 2024年 变动: alike)
    # after the two years, a bare 变动 names the change too (二零二五年 二零二四年 变动)
    change = any(w in second for w in named)
    return ("this", "prior", "change") if change else ("this", "prior")


_YEAR_WORD = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
#: A note's number in brackets in a header (项目(1)): no figure.
_NOTE_MARK = re.compile(r"[（(]\s*\d{1,2}\s*[)）]")


def _header(
    text: str, line_start: int, header_rx: re.Pattern[str], lexicon: Lexicon
) -> tuple[re.Match[str] | None, tuple[str, ...]]:
    """The unit header above a row (up over the rows before it, to a line naming the unit),
    and the columns a header line between them names."""
    pos = line_start
    cols: tuple[str, ...] = ()
    change = False  # a line of the header names the change column alone (增减变动幅度)
    restated: tuple[int, bool] | None = None  # 调整前 调整后 under 上年同期
    while pos > 0:
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev_start : pos - 1]
        if _filler(line, lexicon) or (
            not cols and restated is None and (restated := _restated_row(line, lexicon))
        ):
            pos = prev_start
            continue
        header = header_rx.search(line)
        line = _digit_years(line, lexicon)  # 二零二五年　二零二四年　变动: the columns' years
        named = _named_columns(line, lexicon)
        change = change or (not named and _only_change(line, lexicon))
        cols = cols or named
        if header is None and (
            _above_rows(line, named, cols, lexicon)
            or _wrapped_label(text, prev_start, line, lexicon)
        ):
            pos = prev_start
            continue
        if header is not None or "。" in line or not re.search(r"\d", line):
            found = _restated_columns(_with_change(cols, change), restated)
            found = _with_ytd_change(found, text, line_start)
            return _found_header(header, found, text, (pos, restated), header_rx, lexicon)
        pos = prev_start
    return None, _restated_columns(_with_change(cols, change), restated)


def _found_header(
    header: re.Match[str] | None,
    cols: tuple[str, ...],
    text: str,
    at: tuple[int, tuple[int, bool] | None],
    header_rx: re.Pattern[str],
    lexicon: Lexicon,
) -> tuple[re.Match[str] | None, tuple[str, ...]]:
    """The unit header and columns found, or where neither was, a wrapped header's (``at``:
    where the walk up stopped, and a restatement's line passed on the way)."""
    if header is None and not cols:
        return _wrapped_header(text, at[0], header_rx, lexicon, restated=at[1])
    return header, cols


#: A header cell's percent sign in brackets, a change column's tail ((%), （％）).
_PERCENT_TAIL = re.compile(r"[(（]\s*[%％]\s*[)）]")


def _wrapped_header(
    text: str,
    rows_start: int,
    header_rx: re.Pattern[str],
    lexicon: Lexicon,
    *,
    restated: tuple[int, bool] | None = None,
    reach: int = 6,
) -> tuple[re.Match[str] | None, tuple[str, ...]]:
    """The unit and columns of a quarterly report's table whose header a PDF wrapped over
    lines, every cell's words cut apart (本报告期比 年初至报告期⏎项目 本报告期 上年同期增 年初至
    报告期末 末比上年同期⏎减变动幅度 增减变动幅度⏎(%) (%)): up to ``reach`` lines of no figure
    under the unit's line, naming the quarter (本报告期) and the months to date (年初至报告期末)
    and two changes ((%) twice), are the columns quarter, change, months to date, change; a
    快报's, naming the period (本报告期) and the year before (上年同期) over a line of the
    restatement (调整前 调整后 调整后, ``restated``), this, the prior ones split, change."""
    pos, lines = rows_start, list[str]()
    for _ in range(reach):
        if pos <= 0:
            break
        start = text.rfind("\n", 0, pos - 1) + 1
        line, pos = text[start : pos - 1], start
        unit = header_rx.search(line)
        if unit is not None:
            return unit, _wrapped_columns(compact("".join(reversed(lines))), restated, lexicon)
        if re.search(r"\d", line) or "。" in line:
            break
        lines.append(line)
    return None, _unitless_columns(lines, text, rows_start, lexicon)


def _unitless_columns(
    lines: list[str], text: str, rows_start: int, lexicon: Lexicon
) -> tuple[str, ...]:
    """The columns of a quarterly report's wrapped header under no unit line, its rows naming
    their units (营业收入(元)): its words naming the quarter, the months to date twice (the
    column and its change) and a change, its first row four figures, the second and the fourth
    percentages, are the columns quarter, change, months to date, change."""
    joined = compact("".join(reversed(lines)))
    ytd = alternation(list(lexicon.cue("year-to-date-column")))
    if len(re.findall(ytd, joined)) < 2 or _wrapped_columns(joined, None, lexicon) != ():
        return ()
    if not any(w in joined for w in lexicon.cue("this-period-column")):
        return ()
    return ("quarter", "change", "ytd", "change") if _quarter_row(text, rows_start) else ()


def _quarter_row(text: str, start: int) -> bool:
    """Whether the row at ``start`` holds a quarterly report's four figures: an amount and its
    change in percent, twice (302,118,540.26 -8.41% 905,227,316.08 12.63%)."""
    row = text[start : (text.find("\n", start) + 1 or len(text) + 1) - 1]
    cells = [m.group() for m in _FIGURE_CELL.finditer(row)]
    return [c.endswith(("%", "％")) for c in cells] == [False, True, False, True]


def _with_ytd_change(cols: tuple[str, ...], text: str, start: int) -> tuple[str, ...]:
    """The columns, the months' change last where the header's line named the quarter, its
    change and the months to date, and the words of the months' change were wrapped above and
    below it (年初至报告期末比⏎本报告期 本报告期比上年同期增减 年初至报告期末⏎上年同期增减), the
    row holding both changes."""
    if cols == ("quarter", "change", "ytd") and _quarter_row(text, start):
        return (*cols, "change")
    return cols


#: A row's figure cell, maybe a percentage (302,118,540.26, -8.41%).
_FIGURE_CELL = re.compile(r"(?<![\d.,])[-−+]?\d+(?:,\d{3})*(?:\.\d+)?[%％]?(?![\d.,])")


def _wrapped_columns(
    joined: str, restated: tuple[int, bool] | None, lexicon: Lexicon
) -> tuple[str, ...]:
    """The columns of a wrapped header's words run together (see :func:`_wrapped_header`)."""
    ytd, this, prior = (
        lexicon.cue(k) for k in ("year-to-date-column", "this-period-column", "prior-period-column")
    )
    if not any(w in joined for w in this):
        return ()
    if len(_PERCENT_TAIL.findall(joined)) == 2 and any(w in joined for w in ytd):
        return ("quarter", "change", "ytd", "change")
    if restated is not None and any(w in joined for w in prior):
        return _with_superseded(("this", "prior", "change"), *restated)
    return ()


def _named_columns(line: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The columns a header line names: a header states no figure (a row may name them
    inline), save a line of month ranges (7-9 月 1-9 月)."""
    if re.search(r"\d", _NOTE_MARK.sub("", _YEAR_WORD.sub("", line))):
        return _month_columns(line)
    return columns(line, lexicon)


def _restated_columns(cols: tuple[str, ...], restated: tuple[int, bool] | None) -> tuple[str, ...]:
    """The columns, the prior ones split where a second header line named the figures before
    and after a restatement (上年同期 over 调整前 调整后)."""
    return _with_superseded(cols, *restated) if restated and cols else cols


#: A header line of month ranges under the years of the line above it (项目 2025 年 增减
#: 2025 年 增减 ⏎ 7-9 月 (%) 1-9 月 (%): an A+H company's quarterly report), each range or
#: change cell a column.
_MONTH_COLUMN = re.compile(r"(\d{1,2})\s*[-－—–~～至]\s*(\d{1,2})\s*月|[(（]\s*[%％]\s*[)）]")
_MONTHS_LINE = re.compile(rf"\s*(?:(?:{_MONTH_COLUMN.pattern})\s*)+")


def _month_columns(line: str) -> tuple[str, ...]:
    """The kinds of the columns a line of month ranges names: a quarter's three months
    (7-9 月) "quarter", the months from January on (1-9 月) "ytd", a (%) under 增减 "change";
    () for any other line, or one naming no quarter."""
    if not _MONTHS_LINE.fullmatch(line):
        return ()
    kinds: list[str] = []
    for m in _MONTH_COLUMN.finditer(line):
        if m[1] is None:
            kinds.append("change")
            continue
        first, last = int(m[1]), int(m[2])
        if last - first == 2 and first % 3 == 1:
            kinds.append("quarter")
        elif first == 1 and last in (6, 9):
            kinds.append("ytd")
        else:
            return ()
    return tuple(kinds) if "quarter" in kinds else ()


#: A part of a row's label wrapped onto a line of its own, with no figure (经常性损益的净利润;
#: 润, its last character alone).
_LABEL_PART = re.compile(rf"\s*[{HAN}（）()]{{1,30}}\s*")


def _wrapped_label(text: str, start: int, line: str, lexicon: Lexicon) -> bool:
    """Whether the line at ``start`` is a row's label wrapped over lines with its figures lost
    (a PDF's 归属于母公司所有者的扣除非⏎经常性损益的净利润), under a row with figures or the
    header's line naming the columns (归属于上市公 opening the first row): passed over on the way
    up to the header."""
    if not _LABEL_PART.fullmatch(line):
        return False
    pos = start
    for _ in range(3):
        above_start = text.rfind("\n", 0, pos - 1) + 1
        above = text[above_start : pos - 1]
        if not _LABEL_PART.fullmatch(above):
            if "。" in above or "、" in above:
                return False
            # under a row with figures, or the first row's label under the header's line
            return bool(re.search(r"\d", above)) or bool(columns(above, lexicon))
        pos = above_start
    return False


def _only_change(line: str, lexicon: Lexicon) -> bool:
    """A header line naming only the change column (增减变动幅度, a PDF's cell wrapped over the
    line of the other columns: 增减变动幅度⏎项目 本报告期 上年同期⏎(%))."""
    words = line.split()
    return len(words) == 1 and any(w in words[0] for w in lexicon.cue("change-column"))


def _with_change(cols: tuple[str, ...], change: bool) -> tuple[str, ...]:
    """The columns, the change column last where a line of the header named it alone."""
    if change and cols and "change" not in cols and "year-end" not in cols:
        return (*cols, "change")
    return cols


def _above_rows(line: str, named: tuple[str, ...], cols: tuple[str, ...], lex: Lexicon) -> bool:
    """Whether a line of no unit header between it and the rows is passed over, up to the unit:
    the column header (项目 本报告期 上年同期) or its upper row (本报告期 修正后的增减), a line
    naming the change column alone (增减(%) under 本期比上年同期), or the columns' period over
    their years (截至九月三十日止六个月)."""
    if named or (cols and _names_a_column(line, lex)) or _only_change(line, lex):
        return True
    return _period_line(lex).match(line) is not None


def _filler(line: str, lexicon: Lexicon) -> bool:
    """A line between a table's header and its rows that says nothing: blank, a group's name
    ((一)煤炭), a header cell's tail wrapped onto its own line ((%) under 变动幅度, 百分比 under
    变动: a word of ``header-tail``)."""
    return (
        not line.strip()
        or bool(_SUBHEADING.match(line) or _HEADER_TAIL.fullmatch(line))
        or line.strip() in lexicon.cue("header-tail")
    )


def _names_a_column(line: str, lexicon: Lexicon) -> bool:
    """Whether a line with no figure holds a column's name: the upper row of a header of two
    (本报告期 修正后的增减 over 项目 修正前 修正后 上年同期 变动幅度)."""
    cues = ("this-period-column", "prior-period-column", "change-column")
    return not re.search(r"\d", line) and any(w in line for c in cues for w in lexicon.cue(c))


#: A header cell's tail wrapped onto a line of its own, no figure in it ((%), （％）).
_HEADER_TAIL = re.compile(r"\s*[(（]\s*[%％]\s*[)）]\s*")


@lru_cache(maxsize=8)
def _period_line(lexicon: Lexicon) -> re.Pattern[str]:
    """A line naming the period of the columns below it, no figure (截至九月三十日止六个月)."""
    asof, by = (alternation(list(lexicon.cue(k))) for k in ("as-of", "ended-by"))
    return regex(rf"\s*(?:{asof})[^\d。，,]{{2,16}}(?:{by})[^\d。，,]{{0,8}}\s*$")


def _digit_years(line: str, lexicon: Lexicon) -> str:
    """The line with its dates in Chinese numerals (二零二五年) written in digits."""
    out, last = [], 0
    for (a, b), digits in chinese_dates(line, 0, len(line), lexicon):
        out += [line[last:a], digits]
        last = b
    return "".join(out) + line[last:]


#: A group of a table's rows, named on a line of its own: (一)煤炭.
_SUBHEADING = re.compile(r"\s*[（(][一二三四五六七八九十]{1,3}[）)]\s*[\u4e00-\u9fff]{1,10}\s*$")

_CELL = re.compile(
    r"\s*(?P<open>[（(])?\s*(?P<num>[-−+]?\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<pct>[%％])?\s*[）)]?\s*"
)
_STATEMENT_FIGURE = re.compile(r"\d,\d{3}(?:,\d{3})*\.\d\d")
_NUMBER_CELL = re.compile(r"\d,\d{3}|\d\.\d|\d\s*[%％]")
_RULE_LINE = re.compile(r"[\s|:\-]*-[\s|:\-]*")
#: A rule a text terminal draws between a table's rows (├───┼───┤, ┌───┬───┐).
_BOX_RULE = re.compile(r"[\s\u2500-\u257f]*[\u2500-\u257f][\s\u2500-\u257f]*")


def _cells(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The value cells of the pipe row ``text[a:b]`` (label cell left out), as spans."""
    bars = [i for i in range(a, b) if text[i] == "|"]
    if text[a:b].lstrip().startswith("|"):
        bars = bars[1:]
    return [(x + 1, y) for x, y in itertools.pairwise(bars)]


def _pipe_header(
    text: str, line_start: int, header_rx: re.Pattern[str], lexicon: Lexicon, *, lookback: int = 40
) -> tuple[tuple[str, ...], re.Match[str] | None]:
    """The columns of the pipe table a row is in (up over its rows and wrapped labels to the
    header row naming its periods) and the unit header within three lines above that."""
    pos = line_start
    for n in range(lookback):
        if pos <= 0:
            break
        start = text.rfind("\n", 0, pos - 1) + 1
        line, pos = text[start : pos - 1], start
        if "。" in line:
            if _between_rows(text, start):
                continue
            break
        if _RULE_LINE.fullmatch(line) or _BOX_RULE.fullmatch(line):
            continue  # ---|---|---, ├───┼───┤: a table's rule under its header or a row
        if line.count("|") < 2:
            if n == 0:
                break  # the row's label began on the line above: a row we cannot name
            continue  # a row label wrapped onto its own line
        if _a_row(text, start, start + len(line)):
            continue
        cols = columns(line, lexicon)
        if not cols and (restated := _restated_row(line, lexicon)):
            # 调整前 | 调整后 under 上年同期: the columns are the row above's
            start = text.rfind("\n", 0, pos - 1) + 1
            line, pos = text[start : pos - 1], start
            cols = _with_superseded(columns(line, lexicon), *restated)
        if not cols and _worded_row(text, start, start + len(line), lexicon):
            continue  # |审计意见 | 未经审计| 无保留意见|: a row of words, under the header
        if not cols:
            break
        return cols, _unit_above(text, pos, header_rx)
    return (), None


def _a_row(text: str, a: int, b: int) -> bool:
    """Whether the pipe line ``text[a:b]`` is a table's row, no header: a row of figures, or
    the rest of the label of the row above (|(万元) | | |)."""
    return any(_NUMBER_CELL.search(text[x:y]) for x, y in _cells(text, a, b)) or _label_only(
        text, a, b
    )


def _restated_row(line: str, lexicon: Lexicon) -> tuple[int, bool] | None:
    """How many columns of figures before a restatement a pipe table's second header row
    names (调整前 | 调整后 | 调整后: one), and whether the restated column comes first (调整后 |
    调整前, a STAR-market summary's order); None for any other line."""
    cells = [c.strip() for c in line.strip().strip("|").split("|") if c.strip()]
    if len(cells) == 1:  # a PDF's header: the columns apart by spaces (调整前  调整后  度(%))
        cells = cells[0].split()
    before, after = lexicon.cue("restated-subcolumn"), lexicon.cue("restated-column")
    tails = lexicon.cue("header-tail")
    # the change column's name wrapped onto the line (增减变动幅⏎度(%)) says nothing
    cells = [c for c in cells if not (len(c) <= 5 and any(c.endswith(t) for t in tails))]
    if not cells or not all(c in before or c in after for c in cells):
        return None
    n = sum(1 for c in cells if c in before)
    return (n, cells[0] in after) if n else None


_PRIOR_KINDS = ("prior", "quarter-prior", "ytd-prior", "year-end")


def _with_superseded(cols: tuple[str, ...], n: int, restated_first: bool) -> tuple[str, ...]:
    """The columns of a header whose prior columns split into ``n`` superseded ones in all
    (skipped), shared evenly, and the restated one (上年同期 over 调整前 | 调整后, for the
    quarter and again for the year to date; over 调整后 | 调整前 the skipped ones follow)."""
    priors = sum(1 for c in cols if c in _PRIOR_KINDS)
    if not priors or n % priors:
        return ()
    out: list[str] = []
    for c in cols:
        skips = ["skip"] * (n // priors) if c in _PRIOR_KINDS else []
        out += [c, *skips] if restated_first else [*skips, c]
    return tuple(out)


#: How many lines above a pipe table's header its unit header may stand (over other tables'
#: rows of the same section: 单位 above the first of two tables).
_UNIT_REACH = 30


def _unit_above(text: str, pos: int, header_rx: re.Pattern[str]) -> re.Match[str] | None:
    """The unit header above a pipe table's header line (at ``pos``): within three lines, or
    further up over the rows of tables above it, never over a sentence of prose."""
    for n in range(_UNIT_REACH):
        if pos <= 0:
            return None
        start = text.rfind("\n", 0, pos - 1) + 1
        line = text[start : pos - 1]
        if header := header_rx.search(line):
            return header
        if n >= 3 and ("。" in line or line.count("|") < 2):
            return None
        pos = start
    return None


def _between_rows(text: str, start: int) -> bool:
    """Whether the prose line at ``start`` has a table row above it: a page's furniture
    (本公司及董事会全体成员保证…) dropped between two rows of one table."""
    above = text.rfind("\n", 0, max(0, start - 1)) + 1
    return start > 0 and text.count("|", above, start) >= 2


def pipe_cells(text: str, a: int, b: int, pats: Patterns, lexicon: Lexicon) -> list[Mention]:
    """The figures of the pipe table row ``text[a:b]`` (营业利润 | (7,728.40) | 20,335.50 |
    -138.00% |), each with its column; amounts in the unit of a unit header, or, in a table
    with none, written as a statement writes yuan (1,234.56) in the table's default unit."""
    header_rx, marker_rx, _ = _header_patterns(lexicon)
    cols, header = _pipe_header(text, a, header_rx, lexicon)
    out: list[Mention] = []
    if _label_goes_on(text, b):
        return out  # |基本每股收益 | 0.45| ⏎ |(扣除后)(元) | |: a row named on two lines
    cells = _cells(text, a, b)
    per_share = bool(cells) and _per_share_name(text[a : cells[0][0]], lexicon)
    for k, (x, y) in enumerate(cells):
        m = _CELL.fullmatch(text, x, y)
        kind = cols[k] if k < len(cols) else "skip"
        if m is None or kind == "skip":
            continue
        mark = _cell_mark(list(marker_rx.finditer(text, a, x)), header, per_share=per_share)
        percent = bool(m["pct"]) or kind == "change" or bool(mark and mark.groupdict().get("pct"))
        read = sane_figure(read_digits(m["num"]), m["num"])
        if read is None:
            continue  # no figure: too long, or too large
        value = -read if m["open"] else read
        found = _cell_unit(m, value, percent, mark, per_share, pats, lexicon)
        if found is None:
            continue
        end = m.end("pct") if m["pct"] else m.end("num")
        q = Mention("quantity", m.start("num"), end, value=found[1], unit=found[0], percent=percent)
        out.append(evolve(q, scaled=True, column=kind))
    return out


def _worded_row(text: str, a: int, b: int, lexicon: Lexicon) -> bool:
    """Whether the pipe line ``text[a:b]`` is a row whose cells are words, not periods
    (|审计意见 | 未经审计| 无保留意见|): no header, though it states no figure."""
    cells = [text[x:y].strip() for x, y in _cells(text, a, b)]
    return bool(cells) and all(
        c and not _YEAR.search(c) and _named_kind(c, lexicon) == "skip" for c in cells
    )


def _label_only(text: str, a: int, b: int) -> bool:
    """Whether the pipe line ``text[a:b]`` holds a label and empty cells (|(扣除后)(元) | | |)."""
    cells = [text[x:y].strip() for x, y in _cells(text, a, b)]
    label = text[a:b].strip().strip("|").split("|")[0].strip()
    return bool(cells) and not any(cells) and bool(label)


def _label_goes_on(text: str, row_end: int) -> bool:
    """Whether the pipe line after the row ending at ``row_end`` holds the rest of its label."""
    if row_end >= len(text) or text[row_end] != "\n":
        return False
    end = text.find("\n", row_end + 1)
    end = len(text) if end < 0 else end
    return text.count("|", row_end + 1, end) >= 2 and _label_only(text, row_end + 1, end)


def _cell_mark(
    marks: list[re.Match[str]], header: re.Match[str] | None, *, per_share: bool
) -> re.Match[str] | None:
    """The unit mark a cell is read in: its row's last, else the table's unit header — not for
    a per-share row (基本每股收益 | 0.88 under 单位:人民币万元 is in yuan)."""
    if marks:
        return marks[-1]
    return None if per_share else header


def _cell_unit(
    m: re.Match[str],
    value: Decimal,
    percent: bool,
    mark: re.Match[str] | None,
    per_share: bool,
    pats: Patterns,
    lexicon: Lexicon,
) -> tuple[Unit | None, Decimal] | None:
    """A pipe cell's unit and value, or None where no unit can be decided."""
    if percent:
        return pats.unit_by_word.get("%"), value
    if mark is not None:
        return _in_unit(mark, value, pats, lexicon)
    if _STATEMENT_FIGURE.search(m["num"]):
        return _default_unit(pats, lexicon), value
    if per_share:
        return None, value  # 基本每股收益 | -0.8309: in the report's currency
    return None


def _mark_unit(mark: re.Match[str], pats: Patterns) -> Unit | None:
    """The unit a header or marker names: its currency, written before the unit or after it
    (单位：人民币万元, 单位：万元 币种：人民币), else its unit word."""
    groups = mark.groupdict()
    cur = groups.get("cur") or groups.get("cur_after")
    unit = pats.unit_by_prefix.get(compact(cur)) if cur else None
    if unit is None and not mark["unit"]:
        return None  # (未调整:万): a scale alone (see _table_unit)
    return unit or pats.unit_by_word.get(compact(mark["unit"]))


def _table_unit(mark: re.Match[str], pats: Patterns, lexicon: Lexicon) -> Unit | None:
    """The unit a header or marker names; for a scale alone in a label's brackets
    ((未调整:万)), the table's money in its default unit (元)."""
    if mark.groupdict().get("bare"):
        return _default_unit(pats, lexicon)
    return _mark_unit(mark, pats)


def _mark_scale(mark: re.Match[str]) -> str | None:
    """The scale word a header or marker names (万, of 万元 or of a bare (未调整:万)), if any."""
    return mark["scale"] or mark.groupdict().get("bare")


def _default_unit(pats: Patterns, lexicon: Lexicon) -> Unit | None:
    """The unit of a table's figures where it names none of its own (元)."""
    return pats.unit_by_word.get(compact(next(iter(lexicon.cue("table-default-unit")))))


def _in_unit(
    mark: re.Match[str], value: Decimal, pats: Patterns, lexicon: Lexicon
) -> tuple[Unit | None, Decimal]:
    """The unit a header or marker names, and ``value`` scaled by its scale word."""
    scale = _mark_scale(mark)
    if scale:
        value *= lexicon.scales[compact(scale)]
    return _table_unit(mark, pats, lexicon), value


def _cell_value(
    number: str, mark: re.Match[str], percent: bool, lexicon: Lexicon
) -> Decimal | None:
    """A cell's value: its number, in the scale of its header or marker (not a percent)."""
    value = read_digits(number)
    scale = _mark_scale(mark)
    if value is not None and not percent and scale:
        value *= lexicon.scales[compact(scale)]
    return sane_figure(value, number)


#: A figure of a statement as a row copied without its spaces writes it: with thousands
#: separators (all of its groups), or ``k`` decimals, the same in every cell of the run.
def _piece(k: int) -> re.Pattern[str]:
    return re.compile(rf"-?\d{{1,3}}(?:,\d{{3}})+(?!,\d{{3}})(?:\.\d{{{k}}})?|-?\d+\.\d{{{k}}}")


_PIECES = {k: _piece(k) for k in (2, 1)}
#: A run of digits, separators and signs with no space: one figure or several glued.
_RUN = re.compile(r"(?<![\d.,])-?\d(?:[\d.,]*\d)?(?:-\d(?:[\d.,]*\d)?)*(?!\d|[.,]\d)")


def _tilings(run: str, piece: re.Pattern[str], at: int = 0) -> list[list[tuple[int, int]]]:
    """The ways (two at most) to cut ``run`` from ``at`` into pieces."""
    if at == len(run):
        return [[]]
    found: list[list[tuple[int, int]]] = []
    for end in range(len(run), at, -1):
        if piece.fullmatch(run, at, end):
            found += [[(at, end), *rest] for rest in _tilings(run, piece, end)]
        if len(found) > 1:
            break
    return found[:2]


def _glued_cells(run: str, *, percent: bool) -> list[tuple[int, int]] | None:
    """The cells of figures glued into one run (12,406,118-15.437,215,906-9.8: 12,406,118 |
    -15.4 | 37,215,906 | -9.8, one decimal in every cell that has one, since the last cell
    has one), or None where the run is one figure; [] where it cuts no way or more than one
    way (0.21-0.00.63-9.7: its cells' decimals differ; no cell read rather than a wrong one)."""
    for piece in _PIECES.values():
        cuts = _tilings(run, piece)
        if len(cuts) == 1 and len(cuts[0]) >= 2:
            return cuts[0]
        if len(cuts) > 1:
            return []
    # a code or a date (2025-006, 2025-09-30): no figures glued, its numbers read as before;
    # so where a percent sign ends the run (12-97.5%: the change's sign marks the cut)
    plain = _BARE.fullmatch(run) or not re.search(r"[.,]", run) or percent
    return None if plain else []


def row_numbers(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the bare numbers of a row, in order; figures glued together where a row
    was copied without its spaces (营业总收入2,318,406,215.372,104,772,530.1810.15) are split
    into its cells (2,318,406,215.37 | 2,104,772,530.18 | 10.15), where they split one way.

    >>> t = "收入2,318.372,104.7710.15"
    >>> [t[a:b] for a, b in row_numbers(t, 0, len(t))]
    ['2,318.37', '2,104.77', '10.15']
    >>> t = "营业收入12,406,118-15.437,215,906-9.8"
    >>> [t[a:b] for a, b in row_numbers(t, 0, len(t))]
    ['12,406,118', '-15.4', '37,215,906', '-9.8']
    >>> row_numbers("基本每股收益0.21-0.00.63-9.7", 0, 22)
    []
    """
    glued: list[tuple[int, int]] = []
    spans: list[tuple[int, int]] = []
    for run in _RUN.finditer(text, start, end):
        cells = _glued_cells(run.group(), percent=text[run.end() : run.end() + 1] in ("%", "％"))
        if cells is not None:
            glued.append(run.span())
            spans += [(run.start() + x, run.start() + y) for x, y in cells]
    spans += [
        _signed_change(text, *m.span())
        for m in _BARE.finditer(text, start, end)
        if not any(a <= m.start() < b for a, b in glued)
    ]
    return sorted(spans)


def _signed_change(text: str, a: int, b: int) -> tuple[int, int]:
    """A percentage's span with the sign glued between it and the figure before it (营业收入
    46,383-10.7%171,178: -10.7%, no 46,383-)."""
    glued = text[a - 1 : a] in ("-", "−", "+") and text[a - 2 : a - 1].isdigit()
    return (a - 1, b) if glued and text[b : b + 1] in ("%", "％") else (a, b)


def _row_cells(
    text: str, start: int, end: int, cols: tuple[str, ...], lexicon: Lexicon
) -> list[tuple[int, int, int]]:
    """The row's number spans, each with its column's index: under a header naming columns, a
    cell saying it has no figure holds its column's place (经营活动产生的现金流量净额 不适用
    不适用 61,402 18.3: the quarter's cells; in Chinese, maybe with no spaces around it: …现金
    流不适用不适用5,318,204-7.5)."""
    spans = row_numbers(text, start, end)
    if cols:
        spaced, glued = _no_figure_cells(lexicon)
        spans += [(m.start(), -1) for m in _WORD_CELL.finditer(text, start, end) if m[0] in spaced]
        spans += [(m.start(), -1) for m in glued.finditer(text, start, end)]
    return [(k, a, b) for k, (a, b) in enumerate(sorted(spans)) if b >= 0]


@lru_cache(maxsize=8)
def _no_figure_cells(lexicon: Lexicon) -> tuple[frozenset[str], re.Pattern[str]]:
    """The words of cue set empty-cell written between spaces (N/A, — —), and those in Chinese
    (不适用), which may be glued to their neighbours, as one pattern."""
    empty = lexicon.cue("empty-cell")
    han = [w for w in empty if _HAN_WORD.search(w)]
    return frozenset(empty) - frozenset(han), regex(alternation(han))


#: A word in Chinese (不适用): a cell of no figure so written may be glued to its neighbours.
_HAN_WORD = re.compile(rf"[{HAN}]")
#: A cell of a row written as text: a run of characters between spaces.
_WORD_CELL = re.compile(r"(?<=\s)[^\s\d]+(?=\s|$)")


def table_cells(text: str, start: int, end: int, pats: Patterns, lexicon: Lexicon) -> list[Mention]:
    """Bare numbers in a table written as text, one row a line, under a header naming the unit
    (（单位：万元） / 营业总收入：本报告期1,265,432.18，…): amounts in that unit; a unit in brackets
    in the row (基本每股收益（元）, 增减变动幅度(%)) holds for the numbers after it; without a
    header, a row's unit cell under a header of periods (原煤产量 百万吨 98.4 99.1 (0.7))."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or (end < line_end and text[end - 1] in "。！？"):
        return []  # a row is a whole line, no sentence
    if text.count("|", line_start, line_end) >= 2:
        return pipe_cells(text, line_start, line_end, pats, lexicon)
    marker_rx = _header_patterns(lexicon)[1]
    header, cols = _unit_and_columns(text, start, (line_start, line_end), lexicon)
    if header is None:
        return _change_cells(text, start, line_end, cols, pats)
    # 1. 原煤产量 百万吨 98.4, 营业收入(元) 2,364: the numbers after the row's own unit
    first = header.end() if start <= header.start() < line_end else start
    out = []
    for k, a, b in _row_cells(text, first, line_end, cols, lexicon):
        if cols and k >= len(cols):
            break  # a cell past the columns the header names: of no column we know
        marks = list(marker_rx.finditer(text, line_start, a))
        column = cols[k] if k < len(cols) else ""
        q = _row_cell(text, a, b, marks[-1] if marks else header, column, pats, lexicon)
        if q is not None:
            out.append(q)
    return out


def _unit_and_columns(
    text: str, start: int, line: tuple[int, int], lexicon: Lexicon
) -> tuple[re.Match[str] | None, tuple[str, ...]]:
    """A row's unit (the table's unit header, else under a header of periods the row's own
    unit cell or its label's unit) and the columns the header names."""
    header_rx, marker_rx, cell_rx = _header_patterns(lexicon)
    header, cols = _header(text, line[0], header_rx, lexicon)
    if header is None and cols:
        header = cell_rx.search(text, start, line[1]) or _label_mark(
            text, start, line[1], marker_rx
        )
    return header, cols


def _label_mark(
    text: str, start: int, line_end: int, marker_rx: re.Pattern[str]
) -> re.Match[str] | None:
    """Under a header of periods and no unit header, the unit a row's label names in brackets
    (营业收入(元) 86,420,315.60 …), or the line after it, the label's tail wrapped there
    (归属于上市公司股东的净利润 -7,305,112.48 … over (元)): the row's unit (``line_end``: where
    the row's line ends)."""
    first = _FIRST_NUMBER.search(text, start, line_end)
    if first is not None and (mark := _last(marker_rx.finditer(text, start, first.start()))):
        return mark
    if line_end >= len(text):
        return None
    next_end = text.find("\n", line_end + 1)
    next_end = len(text) if next_end < 0 else next_end
    tail = text[line_end + 1 : next_end]
    mark = _last(marker_rx.finditer(text, line_end + 1, next_end))
    if mark is None or re.search(r"\d", tail) or text[mark.end() : next_end].strip():
        return None
    return mark


#: A row's first number, its sign or bracket with it.
_FIRST_NUMBER = re.compile(r"(?<=[\s)）])[-−(（]?\d")


def _last(matches: Iterator[re.Match[str]]) -> re.Match[str] | None:
    """The last of ``matches``, if any."""
    found = None
    for found in matches:  # noqa: B007 (the loop keeps the last)
        pass
    return found


#: A line of figures alone: numbers, in brackets for negative ones, or percentages.
_FIGURES_LINE = re.compile(
    r"[^\S\n]*(?:[（(]?[-+−]?\d[\d,]*(?:\.\d+)?[）)]?[^\S\n]*[%％]?[^\S\n]*)+"
)
#: How many lines above its first row a label-line table's header may stand.
_LABEL_TABLE_REACH = 60


def label_line_cells(
    text: str, start: int, end: int, pats: Patterns, lexicon: Lexicon
) -> list[Mention]:
    """A release's table as its translation lays it out: a row's label on a line of its own and
    its figures on the next (净收入 ⏎ 1,236,200 1,002,400 23.3 %), under a header of two periods
    and a change, each a calendar period (2025年第三季度 2024年第三季度 同比变化), and a unit line
    above it (以千美元计，每股数据除外): each figure of its column's period and its label's metric;
    nothing where a column's period is a fiscal one we cannot date here (2025财年第四季度)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    label = _label_above(text, line_start, line_end, pats)
    found = _label_table_header(text, label[0], pats, lexicon) if label else None
    if label is None or found is None:
        return []
    (_, name, info), (periods, unit) = label, found
    per_share = _per_share_name(name, lexicon)
    loss = any(w in name for w in lexicon.cue("loss-line"))  # 每股基本亏损: negative figures
    out = []
    for (a, b), period in zip(row_numbers(text, line_start, line_end), periods, strict=False):
        column = "change" if period is None else "this"
        q = _label_cell(text, (a, b), column, None if per_share else unit, pats, lexicon)
        if q is not None and period is not None:
            value = -q.value if loss and q.value is not None else q.value
            q = evolve(q, metric=info, period=period, value=value)
        out += [q] if q is not None else []
    return out


def _label_above(
    text: str, line_start: int, line_end: int, pats: Patterns
) -> tuple[int, str, MetricInfo | None] | None:
    """Where the label line above a line of figures alone starts, its name and metric; None
    where the line holds more than figures, or the line above is no label of a metric of ours."""
    label = _line_above(text, line_start)
    if not _FIGURES_LINE.fullmatch(text, line_start, line_end) or label is None:
        return None
    name = compact(_NOTE_MARK.sub("", text[label[0] : label[1]]))
    metric = pats.metric.search(name)
    if metric is None or re.search(r"\d", name) or not _names_metric(name, pats):
        return None
    return label[0], name, pats.metric_by_name.get(compact(metric[0]))


def _label_cell(
    text: str,
    span: tuple[int, int],
    column: str,
    mark: re.Match[str] | None,
    pats: Patterns,
    lexicon: Lexicon,
) -> Mention | None:
    """A label-line table's cell: a change in per cent (its sign after it, 32.1 %), or a figure
    in the unit line's unit (``mark``; None for a per-share row: in the report's currency)."""
    a, b = span
    if column == "change":
        pct = re.match(r"[^\S\n]*[%％]", text[b:])
        value = read_digits(text[a:b])
        return (
            None if pct is None or value is None else _change_percent(a, b + pct.end(), value, pats)
        )
    if mark is not None:
        return _row_cell(text, a, b, mark, column, pats, lexicon)
    value = sane_figure(read_digits(text[a:b]), text[a:b])
    return None if value is None else evolve(Mention("quantity", a, b, value=value), column=column)


def _line_above(text: str, start: int) -> tuple[int, int] | None:
    """The span of the last line before ``start`` that is not blank; None at the text's start."""
    end = start - 1
    while end > 0:
        a = text.rfind("\n", 0, end) + 1
        if text[a:end].strip():
            return a, end
        end = a - 1
    return None


def _label_table_header(
    text: str, start: int, pats: Patterns, lexicon: Lexicon
) -> tuple[tuple[str | None, ...], re.Match[str]] | None:
    """Up over a label-line table's rows (a label line, a line of figures, in turn) to its
    header of two dated columns and a change: each column's period (None: the change), and the
    unit line within three lines above it; None where there is none."""
    header_rx = _header_patterns(lexicon)[0]
    pos = start
    for _ in range(_LABEL_TABLE_REACH):
        above = _line_above(text, pos)
        if above is None or "。" in text[above[0] : above[1]]:
            return None
        line, pos = text[above[0] : above[1]], above[0]
        periods = _dated_columns(line, pats, lexicon)
        if periods is not None:
            for _ in range(3):  # the unit line, within three lines above the header
                above = _line_above(text, pos)
                if above is None:
                    return None
                if (unit := header_rx.search(text, *above)) is not None:
                    return periods, unit
                pos = above[0]
            return None
    return None


def _dated_columns(line: str, pats: Patterns, lexicon: Lexicon) -> tuple[str | None, ...] | None:
    """2025年第三季度 2024年第三季度 同比变化: the period each column is of, the second a year
    before the first and alike (None for the change column); None for any other line."""
    years = list(_YEAR_WORD.finditer(line))
    if len(years) != 2 or int(years[0][0]) != int(years[1][0]) + 1:
        return None
    cells = [line[years[0].start() : years[1].start()], line[years[1].start() :]]
    this, prior = (
        _cell_period(c, int(y[0]), pats, lexicon) for c, y in zip(cells, years, strict=True)
    )
    if this is None or prior is None or this[4:] != prior[4:]:
        return None
    return (this, prior, None)


def _cell_period(cell: str, year: int, pats: Patterns, lexicon: Lexicon) -> str | None:
    """A header cell's calendar period: the period word after its year, in that year (第三季度
    -> 2025-Q3); None for none, for a fiscal one (2025财年第四季度) or another template."""
    m = pats.period_word.search(cell)
    if m is None or any(w in cell for w in lexicon.cue("fiscal-period-word")):
        return None
    code = pats.period_by_word.get(compact(m[0]), "").replace("{year}", str(year))
    return code if code and "{" not in code else None


def _change_cells(
    text: str, start: int, end: int, cols: tuple[str, ...], pats: Patterns
) -> list[Mention]:
    """The percentages of a row's change column where the row writes its other cells with
    their units (营业总收入 62.41亿元 +17.36% under 指标 2025年度 同比变化): each the row's
    change."""
    out = []
    for k, (a, b) in enumerate(row_numbers(text, start, end)):
        if k < len(cols) and cols[k] == "change" and text[b : b + 1] in ("%", "％"):
            value = sane_figure(read_digits(text[a:b]), text[a:b])
            if value is not None:
                out.append(_change_percent(a, b + 1, value, pats))
    return out


def _change_percent(a: int, b: int, value: Decimal, pats: Patterns) -> Mention:
    """The change column's cell ``text[a:b]``: a percentage of ``value``."""
    q = Mention("quantity", a, b, value=value, unit=pats.unit_by_word.get("%"))
    return evolve(q, percent=True, scaled=True, column="change")


def _row_cell(
    text: str,
    a: int,
    b: int,
    mark: re.Match[str],
    column: str,
    pats: Patterns,
    lexicon: Lexicon,
) -> Mention | None:
    """The quantity of the cell ``text[a:b]`` of a column (its kind) in the unit of ``mark``
    (a percentage where it writes its sign, which the cell then spans); None where it is no
    figure (too long, or too large) or of a column of no period we read (修正前: the figures a
    correction notice corrects)."""
    if column == "skip":
        return None
    sign = text[b : b + 1] in ("%", "％")  # 41.2%: the cell is a percentage, sign and all
    percent = sign or bool(mark.groupdict().get("pct")) or column == "change"
    value = _cell_value(text[a:b], mark, percent, lexicon)
    if value is None:
        return None
    if percent:
        unit = pats.unit_by_word.get("%")
    else:
        unit = _table_unit(mark, pats, lexicon)
        if mark["unit"]:  # （港仙）: cents
            value *= pats.unit_factor.get(compact(mark["unit"]), Decimal(1))
    if text[a - 1 : a] in "(（" and text[b + sign : b + sign + 1] in ")）" and value > 0:
        value = -value  # (0.3), (5%): a decrease, as statements write it
    q = Mention("quantity", a, b + sign, value=value, unit=unit, percent=percent)
    return evolve(q, scaled=True, column=column)


# ---------------------------------------------------------------- a table run into one line


@dataclass(frozen=True)
class _Inline:
    """The regexes of a table run into one line (made once per lexicon)."""

    header: re.Pattern[str]  #: two years and a change word (二零二二年 二零二一年 变动)
    two_years: re.Pattern[str]  #: two years and their columns' units, no change column
    two: re.Pattern[str]  #: a row's two figures under such a header (收益 621,538 585,613)
    column_unit: re.Pattern[str]  #: a column's unit in the header (2025 2024 百万港元 百万港元)
    unit_pair: re.Pattern[str]  #: a unit written over both columns (港仙 港仙): a new unit
    row: re.Pattern[str]  #: a row with its unit in brackets (营业额(港币千元) 1,836,520 …)
    unit: re.Pattern[str]  #: a unit header before the table (单位：人民币百万元)
    plain: re.Pattern[str]  #: a row's figures under that unit header (1.31 1.22 7.38)
    noted: re.Pattern[str]  #: a row's figures after its note's number (营业额 1 1,530 1,410 +8.5%)


@lru_cache(maxsize=8)
def _inline_patterns(lexicon: Lexicon) -> _Inline:
    """The header of a table run into one line (二零二二年 二零二一年 变动: two years and a change
    word), one of its rows (营业额(港币千元) 1,836,520 1,702,115 7.9%: a name, its unit in
    brackets, this year's figure, the year before's, the change), or, under a unit header
    written before it in the line (单位：人民币百万元 项目 2025年 2024年 增减变动幅度(%) 营业收入
    61,245 58,902 3.98 …), a row's three figures after its name (a change in points, 下降0.23
    个百分点, in place of the third)."""
    scales, units, currencies = _unit_words(lexicon)
    # 2018年末 2017年末: the balances' columns at two year ends
    year = r"(?:(?:19|20)\d\d|[〇零一二三四五六七八九]{4})\s*年?(?:\d{1,2}月\d{1,2}日|末)?"
    # 本期比上年同 期增减(%): a PDF's spaces inside the change column's name
    change = alternation(list(lexicon.cue("inline-change-header")))
    num = r"[（(]?-?\d{1,3}(?:,\d{3})*(?:\.\d+)?[）)]?"
    unit_word = alternation(list(lexicon.cue("unit-header")))
    points = alternation(list(lexicon.cue("inline-points-change")))
    note = alternation(list(lexicon.cue("inline-note-header")))
    cu = rf"(?:{currencies})?\s*(?:{scales})?\s*(?:{units})"
    return _Inline(
        header=regex(  # 2018年2017年: two years glued, each with its 年
            rf"{year}(?:\s+|(?<=年)\s*){year}\s+(?:(?P<note>{note})\s+)?"
            rf"(?:(?P<colunit>{cu})\s+{cu}\s+)?"
            rf"(?:{change})(?:\s*[（(]\s*[%％]\s*[）)]|\s*[%％])?"
            # 变动% (人民币千元)(人民币千元): the columns' units in brackets after the change's
            rf"(?:\s*(?P<unitpair>[（(]\s*{cu}\s*[）)])\s*[（(]\s*{cu}\s*[）)])?"
            # 2018年2017年 本期比上年同期增减(%) 2016年: a third year's column after the change
            rf"(?:\s+(?:19|20)\d\d\s*年末?(?=\s))?"
        ),
        # 截至12月31日止年度 2025年 2024年 人民币千元人民币千元 收益 …: no change column
        two_years=regex(
            rf"(?<!\d)(?P<y1>(?:19|20)\d\d)\s*年?\s+(?P<y2>(?:19|20)\d\d)\s*年?\s+"
            rf"(?P<colunit>{cu})\s*{cu}(?=\s)"
        ),
        two=regex(rf"(?<=\s)(?P<a>{num})\s+(?P<b>{num})(?=\s+[^\d\s（(+−-]|\s*$)"),
        column_unit=regex(rf"(?P<cur>{currencies})?\s*(?P<scale>{scales})?\s*(?P<unit>{units})"),
        unit_pair=regex(rf"(?<!\S)({cu})\s+\1(?!\S)"),
        row=regex(
            rf"[（(]\s*(?P<cur>{currencies})?\s*(?P<scale>{scales})?\s*(?P<unit>{units})\s*[）)]"
            rf"\s+(?P<a>{num})\s+(?P<b>{num})\s+(?P<c>[-+−]?\d+(?:\.\d+)?\s*[%％])"
        ),
        unit=regex(
            rf"(?:{unit_word})\s*[：:]\s*(?P<cur>{currencies})?\s*(?P<scale>{scales})?\s*"
            rf"(?P<unit>{units})"
        ),
        plain=regex(
            rf"(?<=\s)(?P<a>{num})\s+(?P<b>{num})\s+"
            rf"(?:(?P<c>[-+−]?\d+(?:\.\d+)?\s*[%％]?|[（(]\d+(?:\.\d+)?[）)])"
            rf"|(?:{points})\s*\d+(?:\.\d+)?\s*个百分点)"
            r"(?=\s|$)"
        ),
        noted=regex(
            rf"(?<=\s)(?P<a>{num})\s+(?P<b>{num})\s+(?P<c>[-+−]?\d+(?:\.\d+)?\s*[%％])(?=\s|$)"
        ),
    )


def inline_cells(
    text: str, start: int, end: int, pats: Patterns, lexicon: Lexicon
) -> list[Mention]:
    """The figures of a table run into one sentence under a header of two years and a change
    (財務概要 二零二四年 二零二三年 變動 營業額(港幣千元) 1,836,520 1,702,115 7.9% …): each row's
    figures of this year and of the year before, in the unit its brackets name (or the unit
    header's written before the table), and its change."""
    ip = _inline_patterns(lexicon)
    head = ip.header.search(text, start, end)
    if head is None:
        two = ip.two_years.search(text, start, end)
        if two is not None and int(two["y1"]) == int(two["y2"]) + 1:
            unit = ip.column_unit.fullmatch(text, *two.span("colunit"))
            if unit is None:
                return []
            rows = _plain_rows(text, two.end(), end, unit, pats, lexicon, rows=ip.two)
            return [Mention("noise", two.start(), two.end()), *rows]
        return _named_inline(text, start, end, pats, lexicon)
    # the header's years name the columns, not the period in force
    out: list[Mention] = [Mention("noise", head.start(), head.end())]
    # the unit header of the table, or of the section's table just before (单位:元 over (一) 主要
    # 会计数据, in force for (二) 主要财务指标)
    unit = _last(ip.unit.finditer(text, max(0, start - _UNIT_BEFORE), head.start()))
    if unit is None and head["colunit"]:  # 2025 2024 附注 百万港元 百万港元 变动: the columns'
        unit = ip.column_unit.fullmatch(text, *head.span("colunit"))
    if unit is None and head["unitpair"]:
        unit = ip.column_unit.search(text, *head.span("unitpair"))
    if unit is not None:
        noted = head["note"] is not None
        return out + _plain_rows(text, head.end(), end, unit, pats, lexicon, noted=noted)
    label_start = head.end()
    for m in ip.row.finditer(text, head.end(), end):
        label, label_start = text[label_start : m.start()], m.end()
        if not _names_metric(label, pats):
            continue  # 权益总额(港币千元): a line of no metric of ours
        out += _inline_row(text, m, m, pats, lexicon)
    return out


#: How far before the sentence of a table run into one line its unit header may stand.
_UNIT_BEFORE = 600


def _plain_rows(
    text: str,
    start: int,
    end: int,
    unit: re.Match[str],
    pats: Patterns,
    lexicon: Lexicon,
    *,
    noted: bool = False,
    rows: re.Pattern[str] | None = None,
) -> list[Mention]:
    """The rows after the header of a table run into one line under ``unit`` (a row's own
    unit in brackets, 基本每股收益（元）, 不良贷款率（%）, wins); where the header has a column of
    notes, each row's figures after its note's number, its change a percentage."""
    ip, (_, marker_rx, _) = _inline_patterns(lexicon), _header_patterns(lexicon)
    out: list[Mention] = []
    label_start, per_share_only = start, False
    for m in (rows or (ip.noted if noted else ip.plain)).finditer(text, start, end):
        label, label_at = text[label_start : m.start()], label_start
        label_start = m.end()
        heads = list(ip.header.finditer(label))  # a second header (2025年12月31日 …)
        if not heads and _DAY_OF_MONTH.search(label):
            break  # 于2025年于2024年6月30日12月31日: balances at two dates, no change column
        pair = ip.unit_pair.search(label)
        if pair is not None:  # 港仙 港仙: rows in that unit follow, per share of each profit
            unit = ip.column_unit.fullmatch(pair[1]) or unit
            per_share_only = True
        if heads:  # its years name its columns, no period in force (2018年末 2017年末 …)
            a, b = label_at + heads[-1].start(), label_at + heads[-1].end()
            out.append(Mention("noise", a, b))
            label, label_at = label[heads[-1].end() :], b
        if not _names_metric(label, pats) or (
            per_share_only and not _own_per_share(label, lexicon)
        ):
            continue
        marks = list(marker_rx.finditer(text, label_at, m.start()))
        out += _inline_row(text, m, marks[-1] if marks else unit, pats, lexicon)
    return out


#: A date's day (6月30日): in a table run into one line, a header of balances' dates.
_DAY_OF_MONTH = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日")


def _own_per_share(label: str, lexicon: Lexicon) -> bool:
    """Whether a row's own name (after the heading words run into its label: 每股基本盈利，根据
    以下数据计算: 基本溢利) is of a per-share figure (每股中期股息)."""
    return _per_share_name(re.split(r"[,，:：;；]", label)[-1], lexicon)


def _per_share_name(name: str, lexicon: Lexicon) -> bool:
    """Whether a row's name is of a per-share figure (基本每股收益, 每股中期股息)."""
    return any(w in name for w in lexicon.cue("per-share-row"))


#: A token of a table run into one line: a note's number in brackets (( 1 ), no cell), a
#: change in points (- 1.79pt, no figure of ours), a figure (a PDF's text may break a
#: change's sign, decimals and per cent off it: - 51.2%, 51. 6 %), or a run of characters
#: between spaces.
_TOKEN = re.compile(
    r"(?P<note>[（(]\s*\d{1,2}\s*[)）])"
    r"|(?P<pts>[-+−]?\s?\d{1,3}(?:\.\s?\d+)?\s?(?:ppts?|pts?|个百分点))(?!\S)"
    r"|(?P<num>(?:[（(]?[-+−]?\d{1,3}(?:,\d{3})*(?:\.\s?\d+)?(?:\s?[%％])?[）)]?"
    r"|[-+−]\s\d{1,3}(?:\.\s?\d+)?\s?[%％]|[-+−]\s\d{1,3}(?:,\d{3})*(?:\.\d+)?)(?!\S))"
    r"|\S+"
)
#: Where such a table ends: a sentence's end, a section's number ((二), 二、).
_SECTION_TOKEN = re.compile(
    r".*。|[（(][一二三四五六七八九十]{1,2}[)）].*|[一二三四五六七八九十]{1,2}、.*"
)


def _named_inline(
    text: str, start: int, end: int, pats: Patterns, lexicon: Lexicon
) -> list[Mention]:
    """The figures of a table run into one sentence whose header names its columns by words
    (单位:千元 币种:人民币 项目 本报告期 本报告期比上年同期增减变动幅度(%) 营业收入 8,120,400 6.2
    …, a quarterly report's PDF flattened into a portal's page): each row's figures, as many as
    the header has columns, a later header (本报告期末 上年度末 …) naming the rows after it; the
    table ends where a row has too few or too many figures."""
    ip, (_, marker_rx, _) = _inline_patterns(lexicon), _header_patterns(lexicon)
    # no unit header (本报告期 上年同期 … 营业收入(元) …): each row names its own unit
    unit = ip.unit.search(text, start, end)
    origin = start if unit is None else unit.end()
    opens = lexicon.cue("inline-label-head")
    first = next((m for m in _TOKEN.finditer(text, origin, end) if m[0] in opens), None)
    # 单位: 元 币种: 人民币 本报告期末 上年度末 …: no label column's head, the header from its
    # first column's name
    column = _column_starts(lexicon).search(text, origin, end) if first is None else None
    if first is None and column is None:
        return []
    after = first.end() if first is not None else column.start()  # type: ignore[union-attr]
    out: list[Mention] = []
    for head, label, cells, cols in _inline_rows(text, after, end, pats, lexicon):
        if head:  # a header's words name its columns, not the period in force
            out.append(Mention("noise", *head))
        out += _named_row(text, label, cells, cols, (unit, marker_rx), pats, lexicon)
    return out


_Tokens = list[re.Match[str]]
_Span = tuple[int, int]


def _inline_rows(
    text: str, start: int, end: int, pats: Patterns, lexicon: Lexicon
) -> Iterator[tuple[_Span | None, _Span, _Tokens, tuple[str, ...]]]:
    """The rows of a table run into one line after its label column's head: each a run of
    words (a header's, then the row's label) and a run of cells, with the columns in force;
    they end at a section's number, a row of no columns, or one whose cells do not fill them."""
    tokens = itertools.takewhile(
        lambda t: not _SECTION_TOKEN.fullmatch(t[0]),
        (t for t in _TOKEN.finditer(text, start, end) if not t["note"]),
    )
    runs = [
        (is_cell, list(run))
        for is_cell, run in itertools.groupby(tokens, key=lambda t: _is_cell(t, lexicon))
    ]
    cols: tuple[str, ...] = ()
    for (cells_first, lead), (_, cells) in zip(runs[::2], runs[1::2], strict=False):
        if cells_first:
            return  # a figure with no row label before it
        cols, label, head = _split_header(lead, cols, pats, lexicon)
        if not cols or len(cells) != len(cols):
            return
        yield head, label, cells, cols


def _is_cell(token: re.Match[str], lexicon: Lexicon) -> bool:
    """Whether a token is a cell: a figure, a change in percentage points (提高0.45个百分点),
    or a cell saying it has none (不适用, -)."""
    word = token[0]
    return (
        bool(token["num"] or token["pts"])
        or _points_cell(word, lexicon)
        or word in _empty_cells(lexicon)
    )


@lru_cache(maxsize=8)
def _empty_cells(lexicon: Lexicon) -> frozenset[str]:
    """The cells of a table run into one line that say they hold no figure (不适用, -)."""
    return frozenset((*lexicon.cue("empty-cell"), *lexicon.cue("dash-cell")))


def _points_cell(token: str, lexicon: Lexicon) -> bool:
    """Whether a token is a change in percentage points (提高0.45个百分点): a cell of the change
    column, no figure of ours."""
    return token.endswith("个百分点") and any(
        token.startswith(w) for w in lexicon.cue("inline-points-change")
    )


def _split_header(
    words: _Tokens, cols: tuple[str, ...], pats: Patterns, lexicon: Lexicon
) -> tuple[tuple[str, ...], _Span, _Span | None]:
    """The columns in force, a row's label and the header before it: the words before where the
    label starts (a metric's name or a name of no metric of ours, maybe run into the header's
    last word: 增减变动幅度总资产) are a new header where they name columns (本报告期末 上年度末
    本报告期末 比上年度末 增减变动幅度 总资产)."""
    chars = [(ch, t.start() + k) for t in words for k, ch in enumerate(t[0]) if not ch.isspace()]
    joined = "".join(ch for ch, _ in chars)
    whole = (words[0].start(), words[-1].end())
    for p in range(len(joined)):
        if pats.metric.match(joined, p) or pats.not_metric.match(joined, p):
            head = _restated_segmented(joined[:p], lexicon) if p else ()
            if not head:
                return cols, whole, None
            return head, (chars[p][1], whole[1]), (whole[0], chars[p - 1][1] + 1)
    return cols, whole, None


def _restated_segmented(header: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The columns a header's words name, where its second line of the figures before and
    after a restatement (…增减变动幅度(%) 调整前 调整后 调整后: each 上年同期 split in two) ran
    into it at its end: the columns before a restatement skipped."""
    # 项目 本报告期 …: the header repeated over a row, its label column's head first
    header = (_after_label_head(header, lexicon) or [header])[0]
    subs = _restated_tail(lexicon).search(header)
    if subs is None:
        return _segmented_columns(header, lexicon)
    words = _restated_words(lexicon).findall(subs[0])
    restated = _restated_row(" ".join(words), lexicon)
    return _restated_columns(_segmented_columns(header[: subs.start()], lexicon), restated)


@lru_cache(maxsize=8)
def _restated_words(lexicon: Lexicon) -> re.Pattern[str]:
    """A word of a header's second line of the figures before and after a restatement."""
    return regex(alternation([*lexicon.cue("restated-subcolumn"), *lexicon.cue("restated-column")]))


@lru_cache(maxsize=8)
def _restated_tail(lexicon: Lexicon) -> re.Pattern[str]:
    """Two or more such words at a header's end (调整前调整后调整后, spaces gone)."""
    return regex(rf"(?:{_restated_words(lexicon).pattern}){{2,}}$")


def _segmented_columns(header: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The columns a header's words name, its spaces a PDF's (本报告期比 上年同期增 减变动幅度): cut
    where a column's name begins (本报告期, 年初至报告期末, 上年度末 …; not right after 比, the
    period a change is on), each piece named by its words."""
    rx = _column_starts(lexicon)
    cuts = [m.start() for m in rx.finditer(header) if header[m.start() - 1 : m.start()] != "比"]
    pieces = [header[x:y] for x, y in itertools.pairwise([*cuts, len(header)])]
    return _named_pipe_columns(pieces, lexicon) if cuts and cuts[0] == 0 else ()


@lru_cache(maxsize=8)
def _column_starts(lexicon: Lexicon) -> re.Pattern[str]:
    """A column's first words (本报告期, 年初至报告期末, 上年度末 …) as one pattern."""
    keys = (
        "this-period-column",
        "year-to-date-column",
        "prior-year-to-date-column",
        "prior-period-column",
        "period-start-column",
    )
    return regex(alternation([w for key in keys for w in lexicon.cue(key)]))


def _named_row(
    text: str,
    label: _Span,
    cells: _Tokens,
    cols: tuple[str, ...],
    marks: tuple[re.Match[str] | None, re.Pattern[str]],
    pats: Patterns,
    lexicon: Lexicon,
) -> list[Mention]:
    """A row's quantities, each with its column, in the unit its label names in brackets
    (基本每股收益(元/股), (%)) or else the table's."""
    if not _names_metric(compact(text[label[0] : label[1]]), pats):
        return []
    unit, marker_rx = marks
    own = list(marker_rx.finditer(text, *label))
    mark = own[-1] if own else unit
    if mark is None:
        return []  # no unit header and none of its own: no figure we can read
    out = []
    for column, tok in zip(cols, cells, strict=True):
        word = tok[0]
        if not tok["num"]:
            continue
        if " " in word:  # a change broken by a PDF's spaces (- 51.2%, 51. 6 %)
            out += _broken_change(tok, column, pats)
            continue
        a = tok.start() + (word[0] in "(（")
        b = tok.end() - len(word) + len(word.rstrip("%％)）"))
        q = _row_cell(text, a, b, mark, column, pats, lexicon)
        if q is not None:
            out.append(q)
    return out


def _broken_change(tok: re.Match[str], column: str, pats: Patterns) -> list[Mention]:
    """A change cell a PDF's spaces broke (- 51.2%): its value read without them; a figure of
    another column so broken is none we read."""
    value = read_digits(compact(tok[0]).rstrip("%％"))
    if column != "change" or value is None:
        return []
    return [_change_percent(tok.start(), tok.end(), value, pats)]


def _names_metric(label: str, pats: Patterns) -> bool:
    """Whether a row's name names a metric of ours and nothing of no metric outside it (不良贷款
    inside 不良贷款率 is the ratio's name; 权益总额 is none of ours)."""
    metric, other = pats.metric.search(label), pats.not_metric.search(label)
    if metric is None:
        return False
    return other is None or (metric.start() <= other.start() and other.end() <= metric.end())


def _inline_row(
    text: str, m: re.Match[str], mark: re.Match[str], pats: Patterns, lexicon: Lexicon
) -> list[Mention]:
    """A row's cells: this year's, the year before's and the change (where it is written as
    a percentage), in the unit of ``mark``."""
    out = []
    for group, column in (("a", "this"), ("b", "prior"), ("c", "change")):
        if m.groupdict().get(group) is None:
            continue
        a, b = m.span(group)
        a, b = a + (text[a] in "(（"), b - (text[b - 1] in ")）%％")
        q = _row_cell(text, a, b, mark, column, pats, lexicon)
        if q is not None and column == "change":
            q = evolve(q, end=m.end(group))  # the whole 7.9%, over the quantity of it
        if q is not None:
            out.append(q)
    return out
