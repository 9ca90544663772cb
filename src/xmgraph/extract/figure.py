"""The figure stage: what a quantity is — a change of a figure, a figure to leave out, or a
figure that makes a fact (the fact stage, :mod:`xmgraph.extract.fact`, makes it).

Conditions and actions are registered here by name; ``ontology/rules/{changes,filters}.json``
say which run, in which order, with which parameters."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from xmgraph.diskcache import regex
from xmgraph.extract.context import Fig, Step, list_place, loss_in_force, window_has
from xmgraph.extract.filters import lexicon_range, translation, unknown_head
from xmgraph.extract.frame import Frame, Pending, evolve
from xmgraph.extract.rules import Rule, action, condition, stage_key
from xmgraph.lexicon import Lexicon, MetricInfo
from xmgraph.model import Fact, Period
from xmgraph.namespaces import METRIC
from xmgraph.patterns import (
    HAN,
    Mention,
    alternation,
    group_count,
    group_regex,
    range_years,
    year_range,
)

STAGE = "figure"


# ---------------------------------------------------------------- conditions


@stage_key(STAGE)
def _key(fig: Fig) -> tuple[bool, bool, bool, str, bool]:
    """What the static conditions read: percentage, 持平, after 分别, column, change unit."""
    q = fig.q
    return q.percent, q.flat, fig.resp, q.column, change_unit(fig)


def _text(fig: Fig, part: str) -> str:
    w = fig.where
    if part == "window":  # by far the most asked: no dict of the four made per call
        return w.window
    if part == "range-lead":
        return _range_lead(fig)
    if part == "bracket":
        return _bracket_lead(fig)
    if part == "since-fact":  # since the last figure that made a fact, in its sentence
        return fig.env.text[max(fig.frame.fact_at, w.sentence.start) : fig.q.start]
    texts = {
        "since-quantity": w.since_quantity,
        "clause": w.clause_text,
        "sentence": w.cue_text,
    }
    return texts[part]


#: An amount at the end of a text: the lower end of a range (减亏31250.5万元到…); never a
#: percentage (同比减少1.37%至2.84亿港元: a change, then the level it came to).
_AMOUNT_AT_END = re.compile(r"[-−+]?\d[\d,.]*\s*[^\d\s，,；;。%％]{0,4}$")


#: Brackets that open and close an aside.
_OPENS, _CLOSES = "(（[【", ")）]】"
_BRACKET_MARK = re.compile(f"[{re.escape(_OPENS + _CLOSES)}]")


def _bracket_lead(fig: Fig) -> str:
    """The text from the bracket still open before the figure, in its sentence, to the figure
    (…18/21/24亿元（前值为19/22/25亿元）: 前值为19/22/ for 25), or "" outside brackets."""
    text, depth = fig.env.text, 0
    marks = _BRACKET_MARK.finditer(text, fig.where.sentence.start, fig.q.start)
    for k in reversed([m.start() for m in marks]):  # the brackets only (this runs per figure)
        if text[k] in _CLOSES:
            depth += 1
        elif depth == 0:
            return text[k + 1 : fig.q.start]
        else:
            depth -= 1
    return ""


def _range_lead(fig: Fig) -> str:
    """For the upper end of a range (…到47127.35万元), the text before its lower end; else ""."""
    w, env = fig.where, fig.env
    if w.since_quantity.strip() not in env.lex.cue("range-joiner"):
        return ""
    if w.previous is not None and w.previous.percent:
        return ""  # 增加12.5倍至5.42亿元: a change in times, then the level it came to
    before = env.text[w.clause_start : fig.q.start - len(w.since_quantity)]
    return _AMOUNT_AT_END.sub("", before)


@condition(STAGE, "window-has")
def window_has_cue(
    fig: Fig, *, cue: str, width: int | None = None, at_end: bool = False, part: str = "window"
) -> bool:
    """A word of the cue set ``cue`` stands in the last ``width`` characters of ``part`` (at
    its end, with ``at_end``: spaces after the word are none, nor a word of cue set
    approximate: 由约12.40亿元 moves from the figure as 由12.40亿元 does)."""
    text = _text(fig, part).rstrip() if at_end else _text(fig, part)
    if at_end:
        text = _without_approximate(text, fig.env.lex)
    text = text[-width:] if width else text
    return window_has(text, fig.env.lex.cue(cue), at_end=at_end) is not None


def _without_approximate(text: str, lex: Lexicon) -> str:
    """``text`` without a word of cue set approximate at its end (由约: 由)."""
    word = next(
        (w for w in sorted(lex.cue("approximate"), key=len, reverse=True) if text.endswith(w)), ""
    )
    return text[: len(text) - len(word)].rstrip()


@condition(STAGE, "loss-in-force")
def loss_in_force_of(fig: Fig) -> bool:
    """The metric in force is a loss (:func:`~xmgraph.extract.context.loss_in_force`)."""
    return loss_in_force(fig.frame, fig.env.lex)


@condition(STAGE, "change-word")
def change_word(fig: Fig, *, width: int) -> bool:
    """A rise or a fall word (增长, 下降) stands within ``width`` characters before it."""
    return bool(rise_fall(fig, width) != (None, None))


def rise_fall(fig: Fig, width: int) -> tuple[str | None, str | None]:
    """The rise word and the fall word within ``width`` characters before the figure."""
    near, lex = fig.where.window[-width:], fig.env.lex
    return window_has(near, lex.cue("increase")), window_has(near, lex.cue("decrease"))


@action(STAGE, "change-names-metric")
def change_names_metric(fig: Fig, rule: Rule, *, cue: str, metric: str) -> Step:
    """去年少赚4.2%至88.31亿: with no metric in force, a change word of the cue set ``cue``
    that says what changed (少赚, 多赚: the profit) right before the figure puts ``metric`` in
    force."""
    info = fig.env.lex.metrics.get(str(METRIC) + metric)
    window = fig.where.window.rstrip(" 约近了")
    if fig.frame.metric is not None or info is None:
        return Step(fig.frame, done=False)
    if window_has(window, fig.env.lex.cue(cue), at_end=True) is None:
        return Step(fig.frame, done=False)
    return Step(
        evolve(fig.frame, metric=info, because=fig.frame.since("metric", rule.id)), done=False
    )


#: The signs a change may be written with.
_SIGNS = ("+", "-", "−")


def _signed(fig: Fig) -> bool:
    """The figure is written with its sign (+12.5%, -3.2%)."""
    return fig.env.text[fig.q.start : fig.q.start + 1] in _SIGNS


@condition(STAGE, "signed-after")
def signed_after(fig: Fig, *, cue: str) -> bool:
    """同比+12.5%/+20.1%: a figure written with its sign right after a ``cue`` word (同比), its
    sign maybe left outside it (a list's shared unit: 同比+1.8/-0.7pcts), or a later item of a
    slash list of signed figures whose first follows the word."""
    window = fig.where.window.rstrip()
    outside = window.endswith(_SIGNS)
    if not (_signed(fig) or outside):
        return False
    words = fig.env.lex.cue(cue)
    if window_has(window.rstrip("".join(_SIGNS)).rstrip(), words, at_end=True) is not None:
        return True
    w, text = fig.where, fig.env.text
    before = text[w.clause_start : fig.q.start]
    at = max((before.rfind(word) + len(word) for word in words if word in before), default=-1)
    return at >= 0 and _SIGNED_SLASH_ITEMS.fullmatch(before, at) is not None


#: Signed figures joined by slashes, up to the next one's sign (+2.6/ -1.2/+).
_SIGNED_SLASH_ITEMS = re.compile(
    r"\s*(?:[+\-−]\s*\d+(?:\.\d+)?\s*(?:%|pcts?|ppts?|pp|个百分点)?\s*[/／]\s*)+[+\-−]?\s*"
)


@condition(STAGE, "to-level")
def to_level(fig: Fig, *, cue: str) -> bool:
    """至/到 right before it (至约23.6亿元: a word of approximation between): after a change
    word, the new level, not the change."""
    lex = fig.env.lex
    window = fig.where.window.rstrip("了 ")
    about = window_has(window, lex.cue("approximate"), at_end=True)  # cue sets: longest first
    if about is not None:
        window = window[: -len(about)].rstrip()
    return window_has(window, lex.cue(cue), at_end=True) is not None


@condition(STAGE, "percent", static=True)
def percent(fig: Fig) -> bool:
    """The figure is a percentage."""
    return fig.q.percent


@condition(STAGE, "flat", static=True)
def flat(fig: Fig) -> bool:
    """The figure is 持平 (no change)."""
    return fig.q.flat


@condition(STAGE, "after-respectively", static=True)
def after_respectively(fig: Fig) -> bool:
    """分别 stands between a list of two or more items and the figure."""
    return fig.resp


@condition(STAGE, "respectively-started")
def respectively_started(fig: Fig) -> bool:
    """A change after 分别 was read already."""
    return fig.frame.resp_changes >= 0


@condition(STAGE, "slash-listed-change")
def slash_listed_change(fig: Fig) -> bool:
    """A later item of a slash list of changes, after a rise or fall word in its clause (同比分别
    下降0.53/ 0.36pct: 0.36)."""
    w = fig.where
    if slashes_before(fig.env.text, w.clause_start, fig.q.start) == 0:
        return False
    return _clause_sign(fig) != 0


@condition(STAGE, "paired-slash-lists")
def paired_slash_lists(fig: Fig, *, cue: str) -> bool:
    """An item of a slash list of changes, after a word of ``cue`` (同比) or a rise or fall
    word in its clause, that follows a slash list of as many figures, each of which made the
    sentence's last facts (分别为120/136/151亿元，同比增长9%/13%/11%)."""
    pair = _paired_list(fig)
    if pair is None:
        return False
    before = fig.env.text[fig.where.clause_start : pair[1]]
    return bool(window_has(before, fig.env.lex.cue(cue))) or _clause_sign(fig) != 0


def _paired_list(fig: Fig) -> tuple[int, int, int] | None:
    """(the figure's place in its list of changes, where that list starts, its length) when
    the list, joined by slashes (9%/13%/11%) or by 、 (3.1%、12.4%、10.8%), pairs with the
    list of figures joined so that made the sentence's last facts; else None."""
    return _paired_by(fig, "/／") or _paired_by(fig, "、")


def _paired_by(fig: Fig, seps: str) -> tuple[int, int, int] | None:
    """:func:`_paired_list` for lists whose items are joined by one of ``seps``."""
    st, text, w = fig.frame, fig.env.text, fig.where
    place, first = slash_run(text, w.clause_start, fig.q.start, seps=seps)
    k = place + 1 + _items_after(text, fig.q.end, seps)
    if k < 2 or st.fact_at < w.sentence.start or st.level_at != st.fact_at:
        return None
    if "%" in text[st.fact_at : first] or len(st.facts) < k:
        return None  # a percentage between the figures and their changes: not theirs
    if seps == "、" and window_has(text[st.fact_at : first], fig.env.lex.cue("respectively")):
        return None  # 增长率分别为x、y、z: changes.year-list-rates and the 分别 rules read it
    if _amounts_before(text, w.sentence.start, st.fact_at, seps) + 1 != k:
        return None
    tail = st.facts[-k:]
    if any(f.entity.iri != tail[0].entity.iri for f in tail) or tail[place].yoy_pct is not None:
        return None
    return place, first, k


@lru_cache(maxsize=8)
def _items_after_pattern(seps: str) -> re.Pattern[str]:
    """Further items of a list of changes joined by one of ``seps``, after the first (/13%/11%,
    / -0.4%, 、12.4%、10.8%)."""
    return re.compile(rf"(?:\s*[{seps}]\s*[+\-−]?\d+(?:\.\d+)?\s*%)*")


@lru_cache(maxsize=8)
def _amount_run(seps: str) -> re.Pattern[str]:
    """Amounts joined by one of ``seps``, each maybe with its unit (4.35/5.44/,
    93.1亿元/101.4亿元/)."""
    return re.compile(
        rf"(?:[+\-−]?\d[\d,]*(?:\.\d+)?\s*(?:[千百万亿]*元|[万亿]|%)?\s*[{seps}]\s*)+"
    )


def _amounts_before(text: str, start: int, end: int, seps: str) -> int:
    """How many amounts, each with its separator, end at ``end`` (none before ``start``)."""
    for m in _amount_run(seps).finditer(text, max(start, end - 200), end):
        if m.end() == end:
            return sum(m.group().count(c) for c in seps)
    return 0


def _items_after(text: str, end: int, seps: str) -> int:
    """How many items of a list of changes follow the one ending at ``end``."""
    m = _items_after_pattern(seps).match(text, end)
    return sum(m[0].count(c) for c in seps) if m else 0


@condition(STAGE, "row-points")
def row_points(fig: Fig) -> bool:
    """A signed change in points alone in a table row's cell right after a ratio's cell (毛利率
    24.60% +1.30个百分点; 外贸业务 5.12 9.40% 18.30% -0.70个百分点)."""
    text, prev = fig.env.text, fig.where.previous
    if text[fig.q.start : fig.q.start + 1] not in ("+", "-", "−"):
        return False
    return (
        prev is not None
        and prev.kind == "quantity"
        and prev.percent
        and not text[prev.end : fig.q.start].strip()
    )


def _clause_sign(fig: Fig) -> int:
    """The sign a rise or fall word before the figure in its clause gives (0: none)."""
    w, lex = fig.where, fig.env.lex
    before = fig.env.text[w.clause_start : fig.q.start]
    up, down = window_has(before, lex.cue("increase")), window_has(before, lex.cue("decrease"))
    return 0 if not (up or down) else _sign(up, down)


@condition(STAGE, "change-unit", static=True)
def change_unit(fig: Fig) -> bool:
    """Its unit is a change's (个百分点, 倍)."""
    u = fig.q.unit
    return u is not None and (u.code == "percentage-point" or u.change_multiplier is not None)


@condition(STAGE, "group-since-company")
def group_since_company(fig: Fig) -> bool:
    """A group of companies named after the sentence's last company and before the figure
    (…与华辰银行等30余家上市公司净利润均在10亿元以上): the group's threshold or total."""
    at = fig.frame.company_at
    group = group_regex(fig.env.lex).search(fig.env.text, at, fig.q.start) if at >= 0 else None
    if group is None:
        return False
    # 江西铜业、云铝股份、山东黄金…，3家企业分别实现…: as many companies as just listed, each
    # its figure in turn
    between = fig.env.text[group.end() : fig.q.start]
    if window_has(between, fig.env.lex.cue("respectively")) is None:
        return True
    count = group_count(group[0], fig.env.lex)  # 3家企业, 两家上游企业
    listed = [m for m in fig.series if m.entity is not None and m.entity.kind == "company"]
    return count is None or not count == len(listed) == len(fig.series)


@condition(STAGE, "market-wide")
def market_wide(fig: Fig) -> bool:
    """A market-wide word named what follows, and the sentence named no company."""
    return fig.frame.market_at >= 0 and fig.frame.company_at < 0


@condition(STAGE, "unnamed-part")
def unnamed_part(fig: Fig, *, cue: str) -> bool:
    """A word of ``cue`` (其中) stands between the sentence's last fact and the figure, which
    is of that fact's company and metric still: a part the text names in words we could not
    read (集团收入12.4亿元，其中专科诊所服务,(包括…)收益录8.2亿元), no figure of the whole."""
    st = fig.frame
    if st.fact_at < 0 or st.entity is None or st.metric is None or not st.facts:
        return False
    last = st.facts[-1]
    if last.entity.iri != st.entity.iri or last.metric != st.metric.iri:
        return False
    if st.region is not None or last.region is not None or st.period != last.period:
        return False  # 其中海外收入, 其中第四季度: a part we can name, a region or a period
    between = fig.env.text[st.fact_at : fig.q.start]
    return window_has(between, fig.env.lex.cue(cue)) is not None


@condition(STAGE, "moves-to")
def moves_to(fig: Fig, *, cue: str) -> bool:
    """A word of ``cue`` (至) follows the figure in its clause: 由1.62%扩阔至1.75%, a move."""
    w = fig.where
    rest = fig.env.text[fig.q.end : w.clause_start + len(w.clause_text)]
    return window_has(rest, fig.env.lex.cue(cue)) is not None


#: Digits, then one space, right before a figure (毛利率37 26%): the two are one number whose
#: decimal point a page lost.
_SPLIT_DIGITS_BEFORE = re.compile(r"(?<![\d.,\s])\d{1,5} $")
_TWO_DIGITS = re.compile(r"\d{1,2}(?![\d.,])")


@condition(STAGE, "split-number")
def split_number(fig: Fig) -> bool:
    """The figure is the last one or two digits of a number whose decimal point a page turned
    into a space (营业总收入3 6亿元, 每股收益0 57元): its value cannot be told."""
    text, start = fig.env.text, fig.q.start
    return (
        _TWO_DIGITS.match(text, start) is not None
        and _SPLIT_DIGITS_BEFORE.search(text, max(0, start - 7), start) is not None
    )


@condition(STAGE, "followed-by")
def followed_by(fig: Fig, *, cue: str) -> bool:
    """A word of ``cue`` follows the figure (9,862亿立方英尺: a unit we have none for)."""
    text, end = fig.env.text, fig.q.end
    while text[end : end + 1] in (" ", "\u3000"):
        end += 1
    return text.startswith(fig.env.lex.cue(cue), end)


@condition(STAGE, "translation")
def is_translation(fig: Fig, *, cue: str) -> bool:
    """It restates the amount before it in another currency (24.3亿元(3.35亿美元))."""
    return translation(fig.q, fig.where.previous, fig.where.window, fig.env.lex.cue(cue))


@condition(STAGE, "unknown-head")
def has_unknown_head(fig: Fig) -> bool:
    """The words before it name something we have no metric for (管理费用为19.6亿元), or
    name it before the change it moved by (包装开支按年升12.6%，至7.4亿元)."""
    lex, where = fig.env.lex, fig.where
    if unknown_head(where.window, lex):
        return True
    prev = where.previous
    if prev is None or not prev.percent or where.window.strip(" ,，") not in lex.cue("to"):
        return False
    before = re.split(r"[,，;；:：]", fig.env.text[where.sentence.start : prev.start])[-1]
    return fig.env.pats.metric.search(before) is None and unknown_head(before, lex)


@condition(STAGE, "window-word-ends")
def window_word_ends(fig: Fig, *, suffix: str) -> bool:
    """A word ending in ``suffix`` (…率) stands before it."""
    return regex(rf"[{HAN}]{re.escape(suffix)}").search(fig.where.window) is not None


@condition(STAGE, "series-total")
def series_total(fig: Fig, *, cue: str) -> bool:
    """A word of ``cue`` (合计) stands between a list of two or more companies and the figure,
    with no 分别 (华辰保险、澄江人寿合计实现净利润…): the list's total, no company's figure."""
    listed = [m for m in fig.series if m.entity is not None and m.entity.kind == "company"]
    if fig.resp or len(listed) < 2 or len(listed) != len(fig.series):
        return False
    between = fig.env.text[fig.series[-1].end : fig.q.start]
    return window_has(between, fig.env.lex.cue(cue)) is not None


@condition(STAGE, "sentence-lists")
def sentence_lists(fig: Fig, *, separator: str) -> bool:
    """The sentence, up to its clause, lists items with ``separator``."""
    return separator in fig.where.cue_text


@condition(STAGE, "range")
def in_range(fig: Fig, *, cue: str, end: str = "either") -> bool:
    """It is an end of a range (10.40欧元至11.00欧元, 5%-8%): its ``end`` (start, end, either)."""
    prev = None if end == "start" else fig.where.previous
    rest = () if end == "end" else fig.rest
    lex = fig.env.lex
    moves = lex.cue("from") + lex.cue("net-change-from")
    return lexicon_range(fig.q, prev, rest, fig.env.text, lex, joiners=cue, moves=moves)


@condition(STAGE, "change-amount-before")
def change_amount_before(fig: Fig, *, width: int, cue: str) -> bool:
    """The amount joined to this one by a word of ``cue`` (到) stands right after a change word
    (同比下降3100万元到2700万元: both ends of the range are amounts of change, not figures)."""
    prev = fig.where.previous
    if prev is None or _restated(fig, cue, width) is None:
        return False
    before = fig.env.text[max(0, prev.start - width) : prev.start]
    return window_has(before, fig.env.lex.cue("to")) is None  # 下降到: a level follows


@condition(STAGE, "row-under-header")
def row_under_header(fig: Fig, *, cue: str, above: int = 8) -> bool:
    """The figure follows the amount of its line in a table written with spaces (营业总收入
    3.42亿元 -18.40% 第4位), in the column that a header a few lines up, with no blank line
    between, names by a word of ``cue`` (项目 2025Q1 同比变化 排名: the third); not a
    ratio's (毛利率 37.0% +2.3%: points or percent, the row does not say)."""
    text, q, prev = fig.env.text, fig.q, fig.where.previous
    line_start = text.rfind("\n", 0, q.start) + 1
    if prev is None or prev.kind != "quantity" or prev.start < line_start:
        return False
    if fig.frame.metric is not None and fig.frame.metric.kind == "ratio":
        return False
    if text[prev.end : q.start].strip():
        return False
    column = len(text[line_start : q.start].split())
    words, at = fig.env.lex.cue(cue), line_start
    for _ in range(above):
        if at <= 0:
            return False
        head = text.rfind("\n", 0, at - 1) + 1
        cells = text[head : at - 1].split()
        if not cells:
            return False
        if any(window_has(c, words) is not None for c in cells):
            return column < len(cells) and window_has(cells[column], words) is not None
        at = head
    return False


@condition(STAGE, "or-after-percent")
def or_after_percent(fig: Fig, *, cue: str) -> bool:
    """The figure follows a percentage with only a word of ``cue`` between them (同比增长2.3%或
    1.40亿港元: the change said again as an amount)."""
    return _joined_to(fig, cue, percent=True) is not None


@condition(STAGE, "or-after-conversion")
def or_after_conversion(fig: Fig, *, cue: str, joiner: str, width: int) -> bool:
    """The figure follows, with only a word of ``joiner`` between them (或), an amount that a
    word of ``cue`` put within ``width`` characters before it (相当于5.62港元或5.14元人民币:
    the same figure in a third currency)."""
    prev = _joined_to(fig, joiner, percent=False)
    if prev is None:
        return False
    before = fig.env.text[max(0, prev.start - width) : prev.start]
    return window_has(before, fig.env.lex.cue(cue)) is not None


def change_after_range(fig: Fig) -> tuple[str | None, str | None]:
    """The rise and the fall word right after a range of changes this figure opens, 的 and a
    few words of manner before them (实现了185.20%至246.31%的显著增长): (None, None) where no
    such words follow."""
    lex = fig.env.lex
    m = _after_range(lex).match(fig.env.text, fig.q.end)
    if m is None:
        return None, None
    tail = m["tail"]
    return window_has(tail, lex.cue("increase")), window_has(tail, lex.cue("decrease"))


@lru_cache(maxsize=8)
def _after_range(lexicon: Lexicon) -> re.Pattern[str]:
    """The rest of a range of changes and 的 with a few words after it (至246.31%的显著增长)."""
    joiners = alternation(list(lexicon.cue("range-joiner")))
    return regex(rf"\s*[%％]?\s*(?:{joiners})\s*[-+−]?\d+(?:\.\d+)?\s*[%％]\s*的(?P<tail>.{{0,6}})")


@condition(STAGE, "change-word-after-range")
def change_word_after_range(fig: Fig) -> bool:
    """The figure opens a range of changes its change word follows (…的显著增长)."""
    return change_after_range(fig) != (None, None)


@condition(STAGE, "range-change-started")
def range_change_started(fig: Fig) -> bool:
    """The first change of a range of changes was read (同比增长50%至…)."""
    return fig.frame.range_first is not None


@condition(STAGE, "in-boilerplate")
def in_boilerplate(fig: Fig) -> bool:
    """The sentence is boilerplate (a disclaimer, 风险提示, the directors' statement)."""
    from xmgraph.context import in_boilerplate as inside

    s = fig.where.sentence
    return inside(fig.env.doc, s.start, s.end)


@condition(STAGE, "after-compared-year")
def after_compared_year(fig: Fig) -> bool:
    """Right after a year it is compared with (较2023年+1.2%)."""
    prev = fig.where.previous
    return (
        prev is not None
        and prev.kind == "noise"
        and prev.period is not None
        and fig.where.window.strip() == ""
    )


@condition(STAGE, "after-slashed-amount")
def after_slashed_amount(fig: Fig) -> bool:
    """Written with its sign right after an amount and a slash (营收23.46亿元/-11.07%, a broker
    note's figure and its change)."""
    prev = fig.where.previous
    return (
        prev is not None
        and prev.kind == "quantity"
        and not prev.percent
        and _signed(fig)
        and fig.env.text[prev.end : fig.q.start].strip() in ("/", "／")
    )


# ---------------------------------------------------------------- changes


def with_change(fact: Fact, kind: str, value: Decimal, rule: str) -> Fact:
    """The fact with its year-on-year ("yoy"), percentage-point ("pp") or quarter-on-quarter
    change set, and the rule."""
    rules = fact.rules if rule in fact.rules else (*fact.rules, rule)
    if kind == "yoy":
        return evolve(fact, yoy_pct=value, rules=rules)
    if kind == "pp":
        return evolve(fact, yoy_pp=value, rules=rules)
    return evolve(fact, qoq_pct=value, rules=rules)


def unsaid_on_a_day(period: Period, kind: str, *, said: bool) -> bool:
    """Whether a change on the year before (``kind`` "yoy" or "pp", not "qoq") whose base the
    clause does not ``said`` (no 同比) would go to a figure of a day: it goes to none, as a
    balance's bare change is mostly since the year end (拨备覆盖率下降12.4个百分点至231.5%)."""
    return not said and kind != "qoq" and period.is_instant


def is_prior(f: Fact, facts: tuple[Fact, ...], losses: frozenset[str] = frozenset()) -> bool:
    """Whether ``f`` is the year-before figure of another fact of the same sentence: of its
    metric, or, one of the two a loss of ``losses``, of its profit turned to a loss or back
    (净亏损1.2亿元，上年同期净利润6.3亿元: the profit is the year before's)."""
    return any(
        g is not f
        and (g.metric == f.metric or g.metric in losses or f.metric in losses)
        and g.entity == f.entity
        and (g.period.previous_year() == f.period or _just_before(f.period, g.period))
        for g in facts
    )


def _just_before(p: Period, q: Period) -> bool:
    """Whether ``p`` is the period of the same length that ends the day before ``q`` starts
    (2025-Q1 before 2025-Q2: …较2025年第一季度的52.7亿元下降了8.3%, a change on the quarter
    before that is the later figure's, never the earlier one's year on year)."""
    if p.is_instant or q.is_instant or p.kind != q.kind:
        return False
    (a, b), (c, d) = p.bounds(), q.bounds()
    return (c - b).days == 1 and abs((b - a).days - (d - c).days) <= 3


def attach(
    frame: Frame,
    kind: str,
    value: Decimal,
    metric: MetricInfo | None,
    clause: int,
    rule: str,
    *,
    said: bool = True,
    at: int = -1,
    losses: frozenset[str] = frozenset(),
) -> Frame:
    """The change goes to the last fact of its metric that has none, if of the entity in force;
    else it waits for its figure (同比增长12%，达52.3亿元). A change whose base is not ``said``
    (no 同比) goes to no figure of a day: a balance's bare change is mostly since the year end.
    ``losses``: the loss metrics (a profit the year before a loss is no figure of the change;
    a fall of 100% or more of a loss, or of a negative figure, is the profit's, turned into it;
    a negative profit's change is its loss's, turned: 归母净利润-27.1亿元，同比增长41% -> the
    loss 41% less)."""
    facts, field = frame.facts, f"{kind}_pct"
    for i in range(len(facts) - 1, -1, -1):
        f = facts[i]
        turned = metric is not None and f.metric == metric.negative_metric
        if (metric is not None and f.metric != metric.iri and not turned) or is_prior(
            f, facts, losses
        ):
            continue
        if _another_company(frame, f, metric):
            break  # 招商银行2514亿元…民生银行同比增长6.74%: another company's change
        if unsaid_on_a_day(f.period, kind, said=said):
            return frame
        if value <= -100 and (f.metric in losses or f.value < 0):
            return frame  # 净亏损41.3亿元，同比下降265.4%: the profit's fall into a loss
        if getattr(f, field) is None:
            return _with_shared_changes(frame, i, kind, -value if turned else value, rule)
        break
    pend = Pending(kind, value, metric, clause, rule, said, at)
    return evolve(frame, pending=(*frame.pending, pend))


#: The rule whose facts share one figure (基本每股收益和稀释每股收益均为…): a change is each one's.
SHARED = "attribution.shared-value"


def _with_shared_changes(frame: Frame, i: int, kind: str, value: Decimal, rule: str) -> Frame:
    """The frame with the change on its ``i``-th fact, and on the facts made with it from one
    shared figure right before it (均为0.96元，同比增长12.3%: basic and diluted)."""
    f = frame.facts[i]
    facts = frame.set_fact(i, with_change(f, kind, value, rule))
    j = i - 1
    while SHARED in f.rules and j >= 0:
        g = frame.facts[j]
        if SHARED not in g.rules or g.value != f.value or getattr(g, f"{kind}_pct") is not None:
            break
        facts = evolve(frame, facts=facts).set_fact(j, with_change(g, kind, value, rule))
        j -= 1
    return evolve(frame, facts=facts)


def _another_company(frame: Frame, f: Fact, metric: MetricInfo | None) -> bool:
    """Whether the fact is of another entity than the one in force (a company-level figure
    under a part in force is its company's, and so is one after the ； ending a part named
    after a word of bound-part: fact.subject)."""
    whole = metric is not None and metric.company_level
    part = frame.entity is not None and frame.entity.kind != "company"
    other = frame.entity is not None and f.entity.iri != frame.entity.iri
    bound = part and frame.entity_sub and f.entity.kind == "company"
    return other and not ((whole and part) or bound)


def _sign(up: str | None, down: str | None) -> int:
    return -1 if down and not up else 1


def _left_out_change(frame: Frame) -> bool:
    """The figure this change is of was left out (a figure read since the last fact)."""
    return frame.level_at > max(frame.fact_at, frame.metric_at)


@action(STAGE, "drop")
def drop(fig: Fig, rule: Rule) -> Step:
    """The figure is left out."""
    return Step(fig.frame, done=True, outcome="left out")


@action(STAGE, "level")
def level(fig: Fig, rule: Rule) -> Step:
    """The figure is a level, no change: remember where it stood."""
    return Step(evolve(fig.frame, level_at=fig.q.start), done=False)


def slashes_before(text: str, start: int, end: int, *, words: tuple[str, ...] = ()) -> int:
    """How many figures, each with its slash, end at ``end`` (:func:`slash_run`)."""
    return slash_run(text, start, end, words=words)[0]


def slash_run(
    text: str, start: int, end: int, *, words: tuple[str, ...] = (), seps: str = "/／"
) -> tuple[int, int]:
    """How many figures, each with its slash (``[-+]?\\d+(\\.\\d+)?%?[/／]``), end at ``end``
    (a line break just before it aside), read back from ``end`` to ``start``: linear in what
    it reads (a regex searched for them from every start: quadratic in a run of digits). An
    item may be one of ``words`` instead of a figure (-12.4%/由盈转亏/-210.5%); spaces may
    follow a slash (13.27%/ 5.82%); ``seps``: the separators read as slashes. Also where the
    first of them starts (``end`` if none)."""
    if start < end and text[end - 1] == "\n":
        end -= 1
    count, at = 0, end
    while True:
        bare = at
        while bare > start and text[bare - 1] == " ":
            bare -= 1
        if not (bare > start and text[bare - 1] in seps):
            break
        at = bare
        item = _figure_start(text, start, at - 1)
        if item is None:
            word = next((w for w in words if text.endswith(w, start, at - 1)), None)
            if word is None:
                break
            item = at - 1 - len(word)
        count, at = count + 1, item
    return count, at


def _figure_start(text: str, start: int, end: int) -> int | None:
    """Where a figure ``[-+]?\\d+(\\.\\d+)?%?`` ending at ``end`` begins, reading back no
    further than ``start``; None when none ends there."""
    at = end - 1 if start < end and text[end - 1] == "%" else end
    digits = _digits_start(text, start, at)
    if digits == at:
        return None
    if digits - 1 > start and text[digits - 1] == ".":
        whole = _digits_start(text, start, digits - 1)
        if whole < digits - 1:
            digits = whole
    digits = _grouped_start(text, start, digits, at)
    return digits - 1 if digits > start and text[digits - 1] in "-+" else digits


def _grouped_start(text: str, start: int, digits: int, end: int) -> int:
    """Where a whole number starting at ``digits`` begins with its thousands grouped by commas
    before it (12,345: the 12), reading back no further than ``start``."""
    group = re.match(r"\d+", text[digits:end])
    size = len(group.group()) if group else 0
    while size == 3 and digits - 1 > start and text[digits - 1] == ",":
        head = _digits_start(text, start, digits - 1)
        size = digits - 1 - head
        if not 1 <= size <= 3:
            break
        digits = head
    return digits


def _digits_start(text: str, start: int, end: int) -> int:
    """The start of the run of decimal digits (``\\d``) ending at ``end``."""
    while end > start and text[end - 1].isdecimal():
        end -= 1
    return end


@action(STAGE, "yoy-qoq-change")
def yoy_qoq_change(fig: Fig, rule: Rule) -> Step:
    """同环比分别+6.5%/+10.2%: the first of a pair joined by a slash is the change on the year
    before, the second on the quarter before; a third is of neither (left out)."""
    place = slashes_before(fig.env.text, fig.where.clause_start, fig.q.start)
    if place > 1:
        return Step(fig.frame, done=True, outcome="left out")
    kind = "yoy" if place == 0 else "qoq"
    st = attach(
        fig.frame,
        kind,
        fig.value,
        fig.frame.metric,
        fig.where.clause,
        rule.id,
        losses=fig.env.lex.loss_metrics,
    )
    return Step(st, done=True, outcome="change")


@action(STAGE, "respectively-change")
def respectively_change(fig: Fig, rule: Rule, *, width: int, words: str) -> Step:
    """同比分别增长12%和8%: the n-th change belongs to the n-th figure after 分别; in a list
    joined by slashes, a word of ``words`` in place of a change holds its place
    (YoY -12.4%/由盈转亏/-210.5%: the last is the third figure's)."""
    st, (up, down) = fig.frame, rise_fall(fig, width)
    sign = _sign(up, down) if up or down else st.resp_sign
    place = slashes_before(
        fig.env.text, fig.where.clause_start, fig.q.start, words=fig.env.lex.cue(words)
    )
    n = max(st.resp_changes + 1, place)
    st = evolve(st, resp_sign=sign, resp_changes=n)
    kind, value = fig.change_kind(), sign * fig.value
    if n < len(st.resp_facts):
        i = st.resp_facts[n]  # -1: the place of a figure of no metric of ours, left out
        if i >= 0:
            st = evolve(st, facts=st.set_fact(i, with_change(st.facts[i], kind, value, rule.id)))
    elif not st.resp_facts:
        st = evolve(st, resp_early=(*st.resp_early, (kind, value)))
    return Step(st, done=True, outcome="change")


@action(STAGE, "paired-change")
def paired_change(fig: Fig, rule: Rule) -> Step:
    """分别为120/136/151亿元，同比增长9%/13%/11%: the n-th change of a slash list belongs to the
    n-th of the slash list of figures whose facts the sentence made last."""
    st, pair = fig.frame, _paired_list(fig)
    if pair is None:
        return Step(st, done=False)
    place, _, k = pair
    i = len(st.facts) - k + place
    sign = 1 if _signed(fig) else (_clause_sign(fig) or 1)
    fact = with_change(st.facts[i], fig.change_kind(), sign * fig.value, rule.id)
    return Step(evolve(st, facts=st.set_fact(i, fact)), done=True, outcome="change")


@action(STAGE, "year-list-change")
def year_list_change(fig: Fig, rule: Rule, *, cue: str, joiner: str, range_joiner: str) -> Step:
    """2024-2026E营收分别为a、b、c，增长率分别为x、y、z: after a growth rate's
    分别, the n-th percentage is the change of the fact of the metric in force of the n-th
    year of the range the sentence named before the figures (none past its last year)."""
    st, lex, text, w = fig.frame, fig.env.lex, fig.env.text, fig.where
    before = text[w.clause_start : fig.q.start]
    word = window_has(before, lex.cue(cue))
    if word is None or st.metric is None:
        return Step(st, done=False)
    earlier = text[w.sentence.start : w.clause_start]
    ranges = list(year_range(lex, range_joiner).finditer(earlier))
    if not ranges:
        return Step(st, done=False)
    first, last = range_years(ranges[-1])
    year = first + list_place(before[before.rindex(word) + len(word) :], lex.cue(joiner))
    if year > last:
        return Step(st, done=True, outcome="left out")
    for i, f in enumerate(st.facts):
        if f.metric == st.metric.iri and f.period.code == str(year) and f.yoy_pct is None:
            facts = st.set_fact(i, with_change(f, "yoy", fig.value, rule.id))
            return Step(evolve(st, facts=facts), done=True, outcome="change")
    return Step(st, done=True, outcome="left out")


@action(STAGE, "trailing-respectively-change")
def trailing_change(fig: Fig, rule: Rule, *, width: int, cue: str) -> Step:
    """X为a，Y为b，分别增长c和d (or 相应的YoY分别为c、d: a yoy word and no rise or fall, the
    changes as signed): the changes after a trailing 分别 go to the facts before it."""
    st, (up, down) = fig.frame, rise_fall(fig, width)
    w = fig.where
    before = fig.env.text[w.clause_start : fig.q.start]  # 分别较上年同期增长: a period between
    named = up or down or window_has(before, fig.env.lex.cue("yoy"))  # 相应的YoY分别为
    if named and window_has(before, fig.env.lex.cue(cue)) and not st.tail_facts:
        clause_end = w.clause_start + len(w.clause_text)
        k = 1 + sum(1 for m in fig.rest if m.start < clause_end and m.percent)
        if 2 <= k <= len(st.facts):
            tail = tuple(range(len(st.facts) - k, len(st.facts)))
            st = evolve(st, tail_facts=tail, tail_clause=w.clause, tail_sign=_sign(up, down))
    if not (st.tail_facts and st.tail_clause == fig.where.clause):
        return Step(st, done=False)
    sign = _sign(up, down) if up or down else st.tail_sign
    i, rest = st.tail_facts[0], st.tail_facts[1:]
    fact = with_change(st.facts[i], fig.change_kind(), sign * fig.value, rule.id)
    st = evolve(st, tail_sign=sign, tail_facts=rest, facts=st.set_fact(i, fact))
    return Step(st, done=True, outcome="change")


def _signed_label(fig: Fig) -> tuple[str, bool]:
    """The words a signed change is named by, and whether it is a change since the period
    began (本报告期初B，增减变动幅度(%)：C) rather than year on year."""
    label = fig.where.window.rstrip()
    w, text = fig.where, fig.env.text
    prev = w.previous
    if not label and prev is not None and prev.kind == "noise" and prev.start >= w.clause_start:
        label = text[w.clause_start : fig.q.start].rstrip()  # 较去年+12.5%: 去年 is a mention
    if label or prev is None:
        return label, False
    before = text[prev.end : w.clause_start].rstrip()
    label = before[:-1].rstrip() if before.endswith(("：", ":")) else label
    starts = tuple(t for t, tpl in fig.env.pats.period_by_word.items() if tpl == "{report-start}")
    return label, bool(label and window_has(w.cue_text, starts))


@action(STAGE, "signed-change")
def signed_change(fig: Fig, rule: Rule, *, yoy: str, qoq: str) -> Step:
    """同比+12.5%, 同比-3.2%, 增减变动幅度(%)：-10.44: a signed change named by a yoy or qoq
    word (or a table's change column) right before it."""
    label, since_start = _signed_label(fig)
    if since_start:
        return Step(fig.frame, done=True, outcome="left out")
    lex, st = fig.env.lex, fig.frame
    is_yoy = window_has(label, lex.cue(yoy), at_end=True)
    is_qoq = window_has(fig.where.window.rstrip(), lex.cue(qoq), at_end=True)
    if not (is_yoy or is_qoq):
        return Step(st, done=False)
    if fig.q.flat and st.metric is not None and st.metric.kind == "ratio":
        return Step(st, done=True, outcome="left out")  # 毛利率同比持平: a change in points
    if not _signed(fig) and st.metric is not None and st.metric.kind == "ratio" and fig.q.percent:
        return Step(st, done=False)  # 毛利率达11.4%，较上年同期8.6%: the year before's level
    if _left_out_change(st):
        return Step(st, done=True, outcome="left out")
    kind = "qoq" if is_qoq else "yoy"
    st = attach(
        st, kind, fig.value, st.metric, fig.where.clause, rule.id, losses=fig.env.lex.loss_metrics
    )
    return Step(st, done=True, outcome="change")


@action(STAGE, "compared-change")
def compared_change(fig: Fig, rule: Rule) -> Step:
    """较2023年+1.2%: a signed figure right after the year compared with is the change."""
    st = fig.frame
    if _left_out_change(st):
        return Step(st, done=True, outcome="left out")
    st = attach(
        st, "yoy", fig.value, st.metric, fig.where.clause, rule.id, losses=fig.env.lex.loss_metrics
    )
    return Step(st, done=True, outcome="change")


def _bound_facts(frame: Frame) -> tuple[int, int] | None:
    """The last lower-bound and upper-bound facts of the sentence that have no change yet."""
    lower = upper = None
    for i, f in enumerate(frame.facts):
        if f.yoy_pct is None and "lower-bound" in f.qualifiers:
            lower = i
        if f.yoy_pct is None and "upper-bound" in f.qualifiers:
            upper = i
    return (lower, upper) if lower is not None and upper is not None else None


@action(STAGE, "range-change")
def range_change(fig: Fig, rule: Rule, *, width: int) -> Step:
    """同比增长50%至80%, 下降56.93%至62.70%: a range of changes goes to the range of figures
    before it, the smaller change to the lower bound (the sign of the change word before the
    first holds for both); a range of changes with no range of figures is left out."""
    st = fig.frame
    if st.range_first is None:
        up, down = rise_fall(fig, width)
        if (up, down) == (None, None):  # 实现了185.20%至246.31%的显著增长: the word after
            up, down = change_after_range(fig)
        first = (fig.change_kind(), _sign(up, down) * fig.value)
        return Step(evolve(st, range_first=first), done=True, outcome="change")
    (kind, low), st = st.range_first, evolve(st, range_first=None)
    pair = _bound_facts(st)
    if pair is None or _turned(st, st.facts[pair[0]], fig.env.lex.loss_metrics):
        return Step(st, done=True, outcome="left out")
    other = fig.value if low >= 0 else -fig.value
    low, high = min(low, other), max(low, other)  # the lower figure has the smaller change
    facts = st.set_fact(pair[0], with_change(st.facts[pair[0]], kind, low, rule.id))
    st = evolve(st, facts=facts)
    facts = st.set_fact(pair[1], with_change(st.facts[pair[1]], kind, high, rule.id))
    return Step(evolve(st, facts=facts), done=True, outcome="change")


def _turned(st: Frame, bound: Fact, losses: frozenset[str]) -> bool:
    """Whether the change is of a profit while its figures are a loss of it, or the other way
    (预计亏损96.98亿元至127.26亿元，净利润同比下降610%至760%: a turn, no change of the loss)."""
    named = st.metric.iri if st.metric is not None else bound.metric
    return named != bound.metric and (named in losses) != (bound.metric in losses)


@condition(STAGE, "bracketed-after-figure")
def bracketed_after_figure(fig: Fig) -> bool:
    """In brackets right after a figure (182.4亿元（-32.6%）, 毛利率9.8%（-6.1pct））."""
    prev = fig.where.previous
    return (
        prev is not None
        and prev.kind == "quantity"
        and fig.where.window.strip() in ("(", "（")
        and fig.where.after.lstrip().startswith((")", "）"))
    )


@action(STAGE, "bracketed-change")
def bracketed_change(fig: Fig, rule: Rule) -> Step:
    """营业收入182.4亿元（-32.6%）: a signed figure in brackets right after a figure is its change
    on the year before (in points, 毛利率9.8%（-6.1pct）, for a ratio)."""
    st, prev = fig.frame, fig.where.previous
    assert prev is not None
    for i in range(len(st.facts) - 1, -1, -1):
        f = st.facts[i]
        if st.fact_at != prev.start:
            break  # the figure before was left out: so is its change
        rules = f.rules if rule.id in f.rules else (*f.rules, rule.id)
        if fig.q.percent and f.yoy_pct is None:
            fact = evolve(f, yoy_pct=fig.value, rules=rules)
        elif points(fig) and f.unit == "percent" and f.yoy_pp is None:
            fact = evolve(f, yoy_pp=fig.value, rules=rules)
        else:
            break
        return Step(evolve(st, facts=st.set_fact(i, fact)), done=True, outcome="change")
    return Step(st, done=True, outcome="left out")


@condition(STAGE, "column", static=True)
def in_column(fig: Fig, *, kind: str) -> bool:
    """The figure stands in a table's column of ``kind`` (this, prior, change)."""
    return fig.q.column == kind


@action(STAGE, "row-change")
def row_change(fig: Fig, rule: Rule) -> Step:
    """营业总收入 1,236,418.27 1,108,925.64 11.50: the change column of a row is the change of
    the row's figure of the period reported."""
    st = fig.frame
    # a table run into one sentence: the row's own fact, not an earlier row's left unchanged
    # (总资产 … 5.18 left out as a change since the year end, then 营业收入 … - 5.69)
    own = st.metric.iri if st.metric is not None else None
    for i, f in enumerate(st.facts):
        if own is not None and f.metric != own and any(g.metric == own for g in st.facts):
            continue
        if f.yoy_pct is None and not is_prior(f, st.facts):
            if _through_zero(fig, f.metric) or _not_a_year_apart(f, st.facts):
                return Step(st, done=True, outcome="left out")
            rules = f.rules if rule.id in f.rules else (*f.rules, rule.id)
            fact = evolve(f, yoy_pct=fig.value, rules=rules)
            return Step(evolve(st, facts=st.set_fact(i, fact)), done=True, outcome="change")
    return Step(st, done=True, outcome="left out")


@action(STAGE, "previous-change")
def previous_change(fig: Fig, rule: Rule) -> Step:
    """|2025E|98.6|12.1|: a growth column's cell is the change of the fact made right before
    it, in its row; left out when that one has its change already or is of no metric."""
    st = fig.frame
    if not st.facts or st.facts[-1].yoy_pct is not None:
        return Step(st, done=True, outcome="left out")
    f = st.facts[-1]
    if _through_zero(fig, f.metric):
        return Step(st, done=True, outcome="left out")
    fact = with_change(f, "yoy", fig.value, rule.id)
    return Step(evolve(st, facts=st.set_fact(len(st.facts) - 1, fact)), done=True, outcome="change")


@action(STAGE, "amount-change")
def amount_change(fig: Fig, rule: Rule) -> Step:
    """简称 净利润(亿元) 净利率(%) 同比(%): a growth column after a ratio's is the change of the
    last amount made before it in its row (the ratio's change would be in points); left out
    when that one has its change already."""
    st = fig.frame
    metrics = fig.env.lex.metrics
    at = next(
        (
            i
            for i in range(len(st.facts) - 1, -1, -1)
            if (m := metrics.get(st.facts[i].metric)) is not None and m.kind == "money"
        ),
        None,
    )
    if at is None or st.facts[at].yoy_pct is not None:
        return Step(st, done=True, outcome="left out")
    fact = with_change(st.facts[at], "yoy", fig.value, rule.id)
    return Step(evolve(st, facts=st.set_fact(at, fact)), done=True, outcome="change")


def _not_a_year_apart(f: Fact, facts: tuple[Fact, ...]) -> bool:
    """A balance compared with the period's start (总资产 本报告期末 against 本报告期初): a change
    since the start (较上年末, 较期初), no year-on-year change, even when the start is a year
    before."""
    return f.period.is_instant and any(g.metric == f.metric and g.period != f.period for g in facts)


def _through_zero(fig: Fig, metric: str) -> bool:
    """A fall of 100 % or more on a loss that was a profit the year before (归母净利润
    (9,852.84) 9,870.47 -199.82%): a change through zero, no change of the loss."""
    return fig.value is not None and fig.value <= -100 and metric in fig.env.lex.loss_metrics


@condition(STAGE, "points")
def points(fig: Fig) -> bool:
    """The figure is in percentage points (个百分点, ppt)."""
    return fig.q.unit is not None and fig.q.unit.code == "percentage-point"


def _points_metric(fig: Fig) -> MetricInfo | None:
    """The ratio a change in points is of: the metric in force, or in a table of parts the
    ratio its cell's column names (18.30% -0.70个百分点)."""
    previous = fig.where.previous
    return fig.frame.metric or (previous.metric if previous is not None else None)


@action(STAGE, "points-change")
def points_change(fig: Fig, rule: Rule, *, width: int, cue: str) -> Step:
    """毛利率较上年提升1.4个百分点: a ratio's change on the year before, in percentage points, goes
    to the last fact of the ratio in force (not a change since the year end, nor 环比), or, right
    before 至, to the level that follows."""
    st, (up, down) = fig.frame, rise_fall(fig, width)
    lex, w = fig.env.lex, fig.where
    metric = _points_metric(fig)
    if (
        metric is None
        or metric.kind != "ratio"
        or window_has(w.since_quantity, lex.cue(cue))
        or fig.change_kind() != "yoy"
        or _left_out_change(st)
    ):
        return Step(st, done=True, outcome="left out")
    sign = _sign(up, down) if up or down else _clause_sign(fig)  # 下降0.53/ 0.36pct: both
    value = -fig.value if sign < 0 else fig.value
    said = _base_said(fig)
    i = _respective_target(fig) if fig.resp else None
    i = i if i is not None else _points_target(st, metric, said)
    if i is not None:
        f = st.facts[i]
        rules = f.rules if rule.id in f.rules else (*f.rules, rule.id)
        fact = evolve(f, yoy_pp=value, rules=rules)
        return Step(evolve(st, facts=st.set_fact(i, fact)), done=True, outcome="change")
    # 提升2.15个百分点至18.40%, 收窄8个基点，为1.9%: the level follows
    if _level_follows(fig.env.text[fig.q.end : fig.q.end + 8], lex):
        pend = Pending("pp", value, metric, w.clause, rule.id, said)
        return Step(evolve(st, pending=(*st.pending, pend)), done=True, outcome="change")
    return Step(st, done=True, outcome="left out")


def _respective_target(fig: Fig) -> int | None:
    """The fact a change in a slash list after 分别 is of (毛利率和净利率分别为13.27%/5.82%，同比
    分别下降0.53/0.36pct: the n-th change, the n-th figure); None outside such a list."""
    text, st = fig.env.text, fig.frame
    place = slashes_before(text, fig.where.clause_start, fig.q.start)
    listed = place > 0 or text[fig.q.end : fig.q.end + 3].lstrip(" ").startswith(("/", "／"))
    if not listed or place >= len(st.resp_facts) or st.resp_facts[place] < 0:
        return None
    return st.resp_facts[place]


def _level_follows(after: str, lex: Lexicon) -> bool:
    """Whether a change is followed by its level: 至 right after it, or a comma and a copula
    (收窄8个基点，为1.9%)."""
    after = after.lstrip()
    if after.startswith(lex.cue("to")):
        return True
    return after[:1] in "，," and after[1:].lstrip().startswith(lex.cue("copula"))


def _points_target(st: Frame, metric: MetricInfo, said: bool) -> int | None:
    """The index of the last fact of the ratio with no change in points yet; None for none, or
    for a ratio of a day when the base of the change is not said (拨备覆盖率下降12.4个百分点
    至231.5%: since when?)."""
    for i in range(len(st.facts) - 1, -1, -1):
        f = st.facts[i]
        if f.metric == metric.iri and unsaid_on_a_day(f.period, "pp", said=said):
            return None
        if f.metric == metric.iri and f.yoy_pp is None and not is_prior(f, st.facts):
            return i
    return None


def _restated(fig: Fig, cue: str, width: int) -> tuple[str | None, str | None] | None:
    """The rise and fall words before the amount this percentage restates (减少港币23.93亿元
    或44%), or None if it restates none."""
    prev, lex, text = _joined_to(fig, cue, percent=False), fig.env.lex, fig.env.text
    if prev is None:
        return None
    before = text[max(0, prev.start - width) : prev.start]
    up, down = window_has(before, lex.cue("increase")), window_has(before, lex.cue("decrease"))
    return (up, down) if up or down else None


def _joined_to(fig: Fig, cue: str, *, percent: bool) -> Mention | None:
    """The quantity right before the figure, a percentage or not as ``percent`` says, if only
    a word of ``cue`` (或) stands between them."""
    prev = fig.where.previous
    if prev is None or prev.kind != "quantity" or bool(prev.percent) != percent:
        return None
    return prev if fig.env.text[prev.end : fig.q.start].strip() in fig.env.lex.cue(cue) else None


@condition(STAGE, "restates-change")
def restates_change(fig: Fig, *, cue: str, width: int) -> bool:
    """A percentage right after an amount of change, joined by ``cue`` (或): the same change."""
    return fig.q.percent and _restated(fig, cue, width) is not None


@action(STAGE, "restated-change")
def restated_change(fig: Fig, rule: Rule, *, cue: str, width: int) -> Step:
    """减少港币二十三亿九千三百万元或44%: the percentage is the change the amount states."""
    found = _restated(fig, cue, width)
    assert found is not None
    assert fig.value is not None
    # a fall written with its sign too (减少…（即-44%）) is not turned twice
    value = -abs(fig.value) if _sign(*found) < 0 else fig.value
    st = attach(
        fig.frame,
        fig.change_kind(),
        value,
        fig.frame.metric,
        fig.where.clause,
        rule.id,
        losses=fig.env.lex.loss_metrics,
    )
    return Step(st, done=True, outcome="change")


#: How far after a change its 至 is looked for (增长了28.4%，至…).
_TO_REACH = 4


@action(STAGE, "change")
def change(fig: Fig, rule: Rule, *, width: int, cue: str, subpart: str) -> Step:
    """增长12%: a percentage after a change word is the change of a figure; an amount after
    one (增加3亿元) is left out. Not the change of a figure left out (手续费净收入为2.41亿元，
    同比下滑46.2%), nor of a part named after the last figure (其中抖音平台收入同比增长逾四倍)."""
    st, (up, down) = fig.frame, rise_fall(fig, width)
    lex, w = fig.env.lex, fig.where
    if not fig.q.percent or window_has(w.since_quantity, lex.cue(cue)):
        return Step(st, done=True, outcome="left out")
    falls = (down and not up) or (down and up and len(down) > len(up))
    value = -abs(fig.value) if falls else fig.value  # 同比下降-33.33%: a fall, its sign said twice
    part = fig.env.text[w.clause_start : max(st.metric_at, w.clause_start)]
    after = fig.env.text[fig.q.end : fig.q.end + _TO_REACH].lstrip(" ，,了")
    leveled = after.startswith(lex.cue("to"))  # 其中X收入增长18.3%至36.2亿元: the part's level
    if _left_out_change(st) or (
        st.metric_at > st.fact_at and window_has(part, lex.cue(subpart)) and not leveled
    ):
        return Step(st, done=True, outcome="left out")
    if st.metric is None and st.metric_clause == w.clause:  # 非利息收入增长12.5%: its own
        return Step(st, done=True, outcome="left out")
    if leveled:  # 从X增长了28.4%，至Y: Y's change
        pend = Pending(fig.change_kind(), value, st.metric, w.clause, rule.id, _base_said(fig))
        return Step(evolve(st, pending=(*st.pending, pend)), done=True, outcome="change")
    st = attach(
        st,
        fig.change_kind(),
        value,
        st.metric,
        w.clause,
        rule.id,
        said=_base_said(fig),
        at=fig.q.start,
        losses=fig.env.lex.loss_metrics,
    )
    return Step(st, done=True, outcome="change")


def _base_said(fig: Fig) -> bool:
    """Whether the clause says the change is on the year before (同比, 按年, 较上年同期)."""
    return window_has(fig.where.clause_text, fig.env.lex.cue("yoy")) is not None
