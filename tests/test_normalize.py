"""Tests for xmgraph.normalize: pinyin annotations, widths, Simplified, GBK realignment."""

from __future__ import annotations

import json
import re
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xmgraph.model import Document, Report
from xmgraph.normalize import is_pinyin_syllable, normalize
from xmgraph.read import read_report
from xmgraph.resources import demo_report

CASES_DIR = Path(__file__).parent / "data" / "normalize"
VOCABULARY = {"累计智驾里程", "智驾里程", "互联网", "互联网服务", "收入"}
T2S = opencc.OpenCC("t2s")
FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
#: the vertical bars of a table a text terminal draws become pipes
FOLD |= {0x2502: 0x7C, 0x2503: 0x7C, 0x2551: 0x7C}
REPLACING = ("mojibake-realign",)


def t2s(text: str) -> str:
    """OpenCC t2s until it stops changing (it is not idempotent: 薴 -> 苧 -> 苎)."""
    while (converted := T2S.convert(text)) != text and len(converted) == len(text):
        text = converted
    return converted if len(converted) == len(text) else text


def report(text: str, name: str = "test.txt") -> Report:
    return Report(name=name, text=text, sha256="0" * 64, encoding="utf-8")


def load_cases():
    for path in sorted(CASES_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            yield pytest.param(case, id=f"{path.stem}:{case['id']}")


def allowed(original: str, at: int) -> set[str]:
    """What ``original[at]`` may become: itself or its Simplified form, folded, alone or
    inside an OpenCC phrase around it."""
    out = set()
    for width in range(1, 7):
        for offset in range(width):
            lo = at - offset
            if lo < 0 or lo + width > len(original):
                continue
            window = original[lo : lo + width].translate(FOLD)
            converted = t2s(window)
            if len(converted) == width:
                out.add(converted[offset])
            if width == 1:
                out.add(window)
    return out


def check_offset_map(doc: Document) -> None:
    """The offset map is exact (see the brief of normalize)."""
    original, text = doc.report.text, doc.text
    assert len(doc.starts) == len(doc.ends) == len(text)
    replaced = {(r.start, r.end) for r in doc.repairs if r.kind in REPLACING}
    for i, (s, e) in enumerate(zip(doc.starts, doc.ends, strict=True)):
        assert 0 <= s < e <= len(original), (i, s, e)
        if i:
            assert doc.starts[i - 1] <= s
            assert doc.ends[i - 1] <= e
        if (s, e) in replaced:
            continue
        assert e == s + 1, (i, s, e)
        assert text[i] in allowed(original, s), (i, original[s], text[i])
    for r in doc.repairs:
        assert r.before == original[r.start : r.end]
        assert 0 <= r.start <= r.end <= len(original)
    for r in doc.repairs:
        if r.kind in REPLACING:
            span = [i for i in range(len(text)) if (doc.starts[i], doc.ends[i]) == (r.start, r.end)]
            assert "".join(text[i] for i in span) == t2s(r.after).translate(FOLD)


# --- case files ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(load_cases()))
def test_case_files(case):
    doc = normalize(report(case["input"]), vocabulary=case.get("vocabulary", ()))
    assert doc.text == case["expected"]
    if "repairs" in case:
        kinds = [
            r.kind for r in doc.repairs if r.kind != "full-width" or "full-width" in case["repairs"]
        ]
        assert kinds == case["repairs"]
    assert len(doc.warnings) == case.get("warnings", 0), doc.warnings
    check_offset_map(doc)


def test_case_files_are_found():
    ids = [p.id for p in load_cases()]
    assert len(ids) >= 40
    assert any(i.startswith("unchanged:") for i in ids)


# --- the seed --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Report:
    return read_report(demo_report())


def test_seed_damage_is_repaired_with_the_vocabulary(seed):
    doc = normalize(seed, vocabulary=VOCABULARY)
    assert "洗衣机出货量均创历史新高;互联网业务也创历史新高" in doc.text
    assert "小米汽车累计智驾里程已突破1亿公里" in doc.text
    assert "智能驾驶(HAD)功能的Xiaomi HyperOS 1.5.5已陆续" in doc.text
    assert not re.search(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)", doc.text)
    for damage in ("ヂ", "{", "?"):
        assert damage not in doc.text
    fixes = [(r.kind, r.before, r.after) for r in doc.repairs if r.kind != "pinyin-annotation"]
    assert fixes == [
        ("mojibake-realign", "ヂ", "互聯"),
        ("pinyin-orphan", "?yán)", ""),
        ("mojibake-realign", "塾嬛邱{", "累計智駕"),
    ]
    assert len(doc.warnings) == 1
    orphan = seed.text.index("?yán)")
    assert f"offset {orphan}" in doc.warnings[0]
    assert "yán" in doc.warnings[0]
    check_offset_map(doc)


def test_seed_provenance_of_repaired_characters(seed):
    doc = normalize(seed, vocabulary=VOCABULARY)
    at = doc.text.index("累计智驾")
    start, end = doc.original_span(at, at + 4)
    assert seed.text[start:end] == "塾嬛邱{"
    at = doc.text.index("互联网业务")
    start, end = doc.original_span(at, at + 2)
    assert seed.text[start:end] == "ヂ"
    start, end = doc.original_span(at, at + 5)
    assert seed.text[start:end] == "ヂ(lián)網(wǎng)業(yè)務"
    realign = next(r for r in doc.repairs if r.before == "塾嬛邱{")
    assert "c0" in realign.note
    assert "累计智驾里程" in realign.note


def test_seed_without_vocabulary_is_left_and_reported(seed):
    doc = normalize(seed)
    assert ";ヂ网业务" in doc.text
    assert "小米汽车塾嬛邱{里程" in doc.text
    unrepaired = [r for r in doc.repairs if r.kind == "unrepaired"]
    assert [r.before for r in unrepaired] == ["ヂ", "{"]
    assert all(r.after == r.before for r in unrepaired)
    assert len(doc.warnings) == 3
    assert all(re.search(r"offset \d+", w) for w in doc.warnings)
    check_offset_map(doc)


def test_seed_pinyin_annotations_are_all_recorded(seed):
    doc = normalize(seed, vocabulary=VOCABULARY)
    annotations = [r for r in doc.repairs if r.kind == "pinyin-annotation"]
    assert len(annotations) == seed.text.count(")") - seed.text.count("(HAD)") - 1  # orphan
    assert all(r.after == "" and is_pinyin_syllable(r.before[1:-1]) for r in annotations)


def test_normalizing_takes_steps_linear_in_the_text(seed, steps):
    """Twice the text, at most about twice the work (counted in calls, never seconds)."""
    text = seed.text + "\n"
    normalize(report(text * 40), vocabulary=VOCABULARY)  # caches warm
    once = steps(normalize, report(text * 20), vocabulary=VOCABULARY)
    twice = steps(normalize, report(text * 40), vocabulary=VOCABULARY)
    assert twice <= 2.1 * once, (once, twice)


def test_a_long_text_is_the_seed_normalized_again_and_again(seed):
    """Copies of the seed normalize as the seed does, each (speed: benchmarks/README.md)."""
    copies = 40
    big = report((seed.text + "\n") * copies)
    doc = normalize(big, vocabulary=VOCABULARY)
    one = normalize(seed, vocabulary=VOCABULARY)
    assert len(doc.starts) == len(doc.text)
    assert doc.text == (one.text + "\n") * copies


# --- the realignment is general: damage other sentences the same way --------------------------


def drop_byte(text: str, at: int) -> str:
    """``text`` encoded as GBK, one byte lost, decoded again (as a careless reader would)."""
    data = text.encode("gbk")
    return (data[:at] + data[at + 1 :]).decode("gb18030", errors="replace")


DROPS = [
    ("智能電動汽車業務收入達328億元", ["智能电动汽车", "收入"], [*range(12), 16, 17, 18, 19]),
    ("經調整淨利潤同比增長41.3%", ["经调整净利润", "收入"], [0, 1, 2, 4, 5, 6, 8, 9, 10, 11]),
    ("全球月活躍用戶數達到7.02億", ["月活跃用户数"], [4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15]),
    ("境外小米之家約1萬家", ["小米之家"], [5, 6, 7, 8, 9, 10, 11]),
    ("小米集團營業收入達到人民幣3659億元", ["营业收入", "人民币"], [8, 10, 12, 13, 14, 15, 20, 21]),
]


@pytest.mark.parametrize(
    ("sentence", "vocabulary", "at"),
    [(s, v, at) for s, v, ats in DROPS for at in ats],
)
def test_a_lost_byte_is_restored(sentence, vocabulary, at):
    damaged = drop_byte(sentence, at)
    assert t2s(damaged) != t2s(sentence)
    doc = normalize(report(damaged), vocabulary=vocabulary)
    assert doc.text == t2s(sentence)
    assert [r.kind for r in doc.repairs] == ["mojibake-realign"]
    assert not doc.warnings
    check_offset_map(doc)


def test_lost_lead_and_trail_bytes_are_restored():
    # as in the seed's ヂ: the lead byte of one character and the trail of the next are lost
    sentence = "小米的研發人員達到21190人"
    at = sentence.index("人員")
    data = sentence.encode("gbk")
    pair = sentence[:at].encode("gbk")
    damaged = (
        data[: len(pair)] + data[len(pair) + 1 : len(pair) + 3] + data[len(pair) + 4 :]
    ).decode("gb18030")
    assert len(damaged) == len(sentence) - 1
    doc = normalize(report(damaged), vocabulary={"研发人员"})
    assert doc.text == "小米的研发人员达到21190人"
    (fix,) = doc.repairs
    assert (fix.kind, fix.after) == ("mojibake-realign", "人員")
    check_offset_map(doc)


def test_pinyin_annotation_confirms_a_guess():
    # 聯 is the only common character read lián that GBK byte c2 can start
    doc = normalize(report("新高;ヂ(lián)網業務"), vocabulary={"互联网"})
    assert doc.text == "新高;互联网业务"
    # the same damage followed by a different reading cannot be 聯
    doc = normalize(report("新高;ヂ(lǐ)網業務"), vocabulary={"互联网"})
    assert doc.text == "新高;ヂ网业务"
    assert [r.kind for r in doc.repairs] == ["unrepaired", "pinyin-annotation"]


def test_damage_is_never_guessed_without_evidence():
    for sentence, _, ats in DROPS:
        for at in ats:
            doc = normalize(report(drop_byte(sentence, at)))
            assert not [r for r in doc.repairs if r.kind == "mojibake-realign"]


# --- properties ------------------------------------------------------------------------------

FRAGMENTS = [
    "經(jīng)",
    "(lián)",
    "(lǜ)",
    "?yán)",
    "yán)",
    "ヂ",
    "塾嬛邱{",
    "里程",
    "網(wǎng)",
    "（ＨＡＤ）",
    "(HAD)",
    "(de facto)",
    "（以下简称“华辰”）",
    "1.5.5",
    "A股",
    "I",
    "\r\n",
    "\n",
    "　",
    "乾隆",
    "乾淨",
    "互聯網",
    "累計智駕",
    "\ue389",
    "\ufffd",
    "─",
    "│",
    "├──┼──┤",
    "ガス",
    "(",
    ")",
    "{",
    "}",
    "|",
    "?",
    "小米",
    "集團",
]
ALPHABET = (
    "經調整淨利潤集團營收增長小米汽車累計智駕里程互聯網業務乾淨頭髮"
    "(jīngliányáü)?{}|ヂ塾嬛邱─│┼ＡＢ１（）　,;AI0 \r\n"
)
TEXTS = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=ALPHABET, max_size=60),
    st.lists(st.sampled_from(FRAGMENTS), max_size=15).map("".join),
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXTS, st.sampled_from([(), VOCABULARY]))
def test_any_text_normalizes_with_an_exact_offset_map(text, vocabulary):
    doc = normalize(report(text), vocabulary=vocabulary)
    check_offset_map(doc)
    assert all(isinstance(w, str) and w for w in doc.warnings)


@FAST
@given(TEXTS, st.sampled_from([(), VOCABULARY]))
def test_normalizing_is_idempotent(text, vocabulary):
    once = normalize(report(text), vocabulary=vocabulary).text
    assert normalize(report(once), vocabulary=vocabulary).text == once


def test_seed_is_idempotent(seed):
    once = normalize(seed, vocabulary=VOCABULARY)
    twice = normalize(report(once.text), vocabulary=VOCABULARY)
    assert twice.text == once.text
    assert not [r for r in twice.repairs if r.kind != "unrepaired"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("jīng", True),
        ("lián", True),
        ("yán", True),
        ("zhuàng", True),
        ("lüè", True),
        ("nü", True),
        ("ḿ", True),
        ("de", False),
        ("jīngjì", False),
        ("café", False),
        ("née", False),
        ("HAD", False),
        ("xyā", False),
    ],
)
def test_is_pinyin_syllable(word, expected):
    assert is_pinyin_syllable(word) is expected


def test_boilerplate_offsets_are_in_the_normalized_text():
    """The context stage's spans index the normalized text (pinyin removed, widths folded,
    Simplified); original_span maps them back to the report as received."""
    from xmgraph.context import add_context, in_boilerplate
    from xmgraph.lexicon import load_lexicon

    text = "收(shōu)益為10億港元。\n風(fēng)險提示：行業競爭加劇。\n"
    doc = add_context(normalize(report(text)), load_lexicon())
    ((a, b),) = doc.boilerplate
    assert doc.text[a:b] == "风险提示:行业竞争加剧。"
    start, end = doc.original_span(a, b)
    assert text[start:end] == "風(fēng)險提示：行業競爭加劇。"
    assert in_boilerplate(doc, a, b)
    assert not in_boilerplate(doc, 0, doc.text.index("。") + 1)


def test_small_form_full_stop_and_comma_are_folded():
    from xmgraph.read import read_bytes

    report = read_bytes("股東應佔溢利２１﹒６５億元，總資產16﹐294億元。".encode(), name="hk.txt")
    doc = normalize(report)
    assert "21.65億元" in doc.text or "21.65亿元" in doc.text
    assert "16,294" in doc.text
    assert any(r.kind == "full-width" for r in doc.repairs)


def test_the_format_characters_are_unicodes_category_cf():
    """Every Cf character of this Python's Unicode is removed, and nothing else is (but
    for characters Unicode 15 made Cf that this Python's Unicode leaves unassigned)."""
    import unicodedata

    from xmgraph.normalize import _FORMAT_RUN_RE

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    removed = {ch for m in _FORMAT_RUN_RE.finditer(every) for ch in m.group()}
    cf = {ch for ch in every if unicodedata.category(ch) == "Cf"}
    assert cf <= removed
    assert {unicodedata.category(ch) for ch in removed - cf} <= {"Cn"}


# ---------------------------------------------------------------- linear time


def test_realignment_work_is_bounded_linearly(monkeypatch):
    """Random rare ideographs are each a trigger of the GBK realignment: it examines at most
    a budget of windows linear in the text's length, and leaves the rest as it is."""
    import random

    from xmgraph import normalize as module

    windows = [0]
    real = module._candidates

    def counting(ctx, low, high, start, end, *, strict):
        windows[0] += 1
        return real(ctx, low, high, start, end, strict=strict)

    monkeypatch.setattr(module, "_candidates", counting)
    rng = random.Random(7)
    text = "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(6_000))
    doc = normalize(Report("a.txt", text, "0", "utf-8"), vocabulary=VOCABULARY)
    assert len(doc.text) == len(text)
    assert 0 < windows[0] <= module._BUDGET_BASE + module._BUDGET_PER_CHAR * len(text)


def test_a_long_odd_run_is_reported_not_realigned():
    """A run of out-of-place characters far longer than lost bytes could make is reported
    unrepaired at once (its windows would cost time in its length squared)."""
    text = "收入" + "╳" * 5_000 + "亿元"
    doc = normalize(Report("a.txt", text, "0", "utf-8"), vocabulary=VOCABULARY)
    assert [(r.kind, r.start, r.end) for r in doc.repairs] == [("unrepaired", 2, 5_002)]
    assert "too long" in doc.warnings[0]


# --- found by mutation testing ---------------------------------------------------------------


def test_a_frozen_vocabulary_confirms_as_a_set_does():
    """A frozenset vocabulary (the lexicon's) takes the cached path: the same repair."""
    doc = normalize(report("新高;ヂ(lián)網業務"), vocabulary=frozenset({"互联网"}))
    assert doc.text == "新高;互联网业务"


@pytest.mark.parametrize(("length", "too_long"), [(24, False), (25, True)])
def test_a_run_is_too_long_past_twice_the_reach(length, too_long):
    text = "收入" + "╳" * length + "亿元"
    doc = normalize(Report("a.txt", text, "0", "utf-8"), vocabulary=VOCABULARY)
    assert [(r.kind, r.start, r.end) for r in doc.repairs] == [("unrepaired", 2, 2 + length)]
    assert ("too long" in doc.warnings[0]) is too_long


@pytest.mark.parametrize("run", ["\ufffd╳", "╳\ufffd"])
def test_a_lost_byte_at_either_end_of_a_run_is_reported_among_latin_text(run):
    """U+FFFD at a run's start or end gives the run away even with no Chinese beside it."""
    doc = normalize(report(f"ab {run} cd"))
    assert [(r.kind, r.start, r.end) for r in doc.repairs] == [("unrepaired", 3, 5)]
    assert len(doc.warnings) == 1


def test_letter_spaced_chinese_loses_its_spaces_and_keeps_its_offsets():
    """A PDF's justified line (本 集 团 截 至 …): the spaces between single characters go,
    each a letter-spacing repair; words and figures keep theirs."""
    original = "本 集 团 的 毛利 约 为 人 民 币418.5百 万 元, 营业收入 12"
    doc = normalize(Report("a.txt", original, "0", "utf-8"))
    assert doc.text == "本集团的毛利约为人民币418.5百万元, 营业收入 12"
    assert {r.kind for r in doc.repairs} == {"letter-spacing"}
    assert all(original[r.start : r.end] == " " for r in doc.repairs)
    at = doc.text.index("毛利")
    assert original[slice(*doc.original_span(at, at + 4))] == "毛利 约 为"


def test_letter_spaced_dates_lose_their_spaces_but_spaced_figures_keep_them():
    """A PDF's letter-spaced date (截 至 2025 年 6 月 3 0 日) is read whole; a figure written
    with spaces around it in ordinary text (收入 3332 亿元) is left as it is."""
    doc = normalize(
        Report("a.txt", "截 至 2025 年 6 月 3 0 日 止 六 個 月,收入 3332 億元", "0", "utf-8")
    )
    assert doc.text == "截至2025年6月30日止六个月,收入 3332 亿元"
    assert {r.kind for r in doc.repairs} == {"letter-spacing"}


def test_a_letter_spacing_repair_quotes_the_ideographic_space_it_removed():
    """Found by hypothesis: 0 㐀\u3000一 — the ideographic space is folded to a space before
    letter-spacing removes it; the repair quotes the original character."""
    doc = normalize(Report("a.txt", "0 㐀\u3000一", "0", "utf-8"))
    (repair,) = [r for r in doc.repairs if r.kind == "letter-spacing" and r.start == 3]
    assert repair.before == "\u3000"


@pytest.mark.parametrize(
    ("text", "joined", "after"),
    [
        # a PDF's page width inside a metric's name
        (
            "辰光科技预计2024年实现归属于母公司所有者的扣除非经常性损\n益的净利润为-8,600万元。\n",
            "扣除非经常性损益的净利润为-8,600万元",
            "益的净利润",
        ),
        # a wire's fixed width inside a period word (去年, of the lexicon's period words)
        (
            "華辰醫藥公布，第三季度收入約54.7億元，較去\n年同期增長約14.3%。\n",
            "较去年同期增长约14.3%",
            "年同期",
        ),
    ],
)
def test_a_line_break_inside_a_known_word_is_removed_and_explained(text, joined, after):
    from xmgraph.lexicon import load_lexicon

    doc = normalize(Report("a.txt", text, "0", "utf-8"), vocabulary=load_lexicon().vocabulary)
    assert joined in doc.text
    (repair,) = [r for r in doc.repairs if r.kind == "line-wrap"]
    assert text[repair.start : repair.end] == "\n"
    at = doc.text.index(after)
    assert text[doc.starts[at]] == after[0]  # offsets still exact (the original's character)


def test_a_headline_break_is_kept():
    from xmgraph.lexicon import load_lexicon

    text = "辰光汽车三季度交付创新高\n辰光汽车公布2024年第三季度业绩。\n"
    doc = normalize(Report("a.txt", text, "0", "utf-8"), vocabulary=load_lexicon().vocabulary)
    assert "\n" in doc.text.strip()
    assert not [r for r in doc.repairs if r.kind == "line-wrap"]


def test_a_format_character_goes_also_from_a_text_with_a_wrapped_line():
    """Both repairs at once: the zero-width joiner and the break inside 扣除非经常性损益."""
    from xmgraph.lexicon import load_lexicon

    text = "华辰\u200d科技扣除非经常性损\n益的净利润为3亿元。"
    doc = normalize(report(text), vocabulary=load_lexicon().vocabulary)
    assert doc.text == "华辰科技扣除非经常性损益的净利润为3亿元。"
    assert [r.kind for r in doc.repairs] == ["format-character", "line-wrap"]


@pytest.mark.parametrize("lead", ["华辰科技(见xq)的", "华辰科技xq)的"])
def test_an_orphan_after_one_that_is_no_pinyin_is_removed(lead):
    """``xq)`` (no syllable) and ``(见xq)`` (in brackets) stay; the orphan after them goes."""
    doc = normalize(report(lead + "收入?yán)增长。"))
    assert doc.text == lead + "收入增长。"


def test_a_run_with_a_character_foreign_to_gbk_is_left_saying_why():
    """한 has no two-byte GBK code: no lost byte can explain it, and the warning says so."""
    doc = normalize(report("华辰科技收入한增长"))
    assert doc.text == "华辰科技收入한增长"
    assert [r.note for r in doc.repairs] == [
        "it has no two-byte GBK code to realign (a character lost or foreign to GBK)"
    ]


@pytest.mark.parametrize(
    ("at", "span", "after"), [(2, (1, 7), "能電動汽車業"), (13, (6, 11), "業務收入達")]
)
def test_the_best_of_several_confirmed_realignments_is_taken(at, span, after):
    """With 业务收入 known as well as 收入, a lost byte leaves several readings confirmed by
    the vocabulary: the best scored is taken, and its guessed characters are confirmed by a
    word over them (not by one elsewhere in the run)."""
    sentence = "智能電動汽車業務收入達328億元"
    vocabulary = ["智能电动汽车", "收入", "业务收入"]
    doc = normalize(report(drop_byte(sentence, at)), vocabulary=vocabulary)
    assert doc.text == t2s(sentence)
    assert [(r.kind, r.start, r.end, r.after) for r in doc.repairs] == [
        ("mojibake-realign", *span, after)
    ]


def test_letter_spacing_leaves_the_spaces_before_the_spaced_run():
    """Only the spaces inside a letter-spaced run go; a space earlier on the line stays."""
    doc = normalize(report("营业收入 12 亿元,本 集 团 的 毛利"))
    assert doc.text == "营业收入 12 亿元,本集团的毛利"
    assert [r.start for r in doc.repairs] == [12, 14, 16, 18]


@pytest.mark.parametrize(("text", "span"), [("收入ＡＢＣ１２亿", (2, 7)), ("收入 ＡＢ 12", (3, 5))])
def test_a_full_width_repair_spans_its_whole_run(text, span):
    doc = normalize(report(text))
    (repair,) = doc.repairs
    assert (repair.kind, repair.start, repair.end) == ("full-width", *span)
    assert repair.before == text[slice(*span)]
    assert repair.after == repair.before.translate(FOLD)


def test_a_portals_live_quote_after_a_listed_name_is_removed():
    """●  华辰股份(12.340, +0.15, +1.23%)有限公司预计…: the quote a portal writes after the
    listed name is no part of the text; the legal name is whole again, and the repair
    quotes what was removed at its offsets in the original."""
    text = "●  华辰股份（12.340，+0.15，+1.23%）有限公司预计2025年半年度净利润为2,800万元。"
    doc = normalize(Report("a.txt", text, "0", "utf-8"))
    assert doc.text.startswith("●  华辰股份有限公司预计")
    (repair,) = [r for r in doc.repairs if r.kind == "stock-quote"]
    assert text[repair.start : repair.end] == "（12.340，+0.15，+1.23%）"
    assert "(3.2, 1.5)" in normalize(Report("b.txt", "比率(3.2, 1.5)", "0", "utf-8")).text


def test_the_bars_of_a_table_run_into_a_line_are_no_stray_bytes():
    """|年份|营业收入(百万元)|…: bars between Chinese characters on a table's line are its cell
    walls, no trace of a lost GBK byte (no warning, nothing repaired)."""
    text = "盈利预测 |年份|营业收入(百万元)|归母净利润(百万元)| |2025E|13,432|1,163|\n"
    doc = normalize(Report("a.txt", text, "0", "utf-8"), vocabulary={"营业收入", "归母净利润"})
    assert doc.warnings == ()
    assert doc.text == text


def test_a_portals_cashtag_marks_are_removed():
    """$华辰科技 (HCT.US)$ 盘前发布…: the dollar signs a portal puts around a listed name and
    its ticker are no part of the text; a dollar amount ($5) is untouched."""
    text = "$华辰科技 (HCT.US)$ 盘前发布财报,收入$5亿。$澄江(01234)$公布业绩。"
    doc = normalize(Report("a.txt", text, "0", "utf-8"))
    assert doc.text == "华辰科技 (HCT.US) 盘前发布财报,收入$5亿。澄江(01234)公布业绩。"
    cuts = [(r.start, r.end) for r in doc.repairs if r.kind == "cashtag"]
    assert [text[a:b] for a, b in cuts] == ["$"] * 4
    assert cuts[0] == (0, 1)
    assert cuts[-1][0] == text.index("公布") - 1


def test_a_dollar_sign_after_a_bracket_is_kept_unless_it_closes_a_cashtag():
    """华辰电讯派末期息(每股)$0.52: a dollar amount after a bracket, no cashtag's mark."""
    text = "华辰电讯派末期息(每股)$0.52。"
    doc = normalize(Report("a.txt", text, "0", "utf-8"))
    assert doc.text == text
    assert not [r for r in doc.repairs if r.kind == "cashtag"]


def test_a_terminal_tables_bars_fold_to_pipes_with_their_offsets():
    """│财务指标 │ 2025-06-30│: each bar a pipe, one repair a run, offsets kept."""
    text = "│财务指标 │ 2025-06-30│"
    doc = normalize(report(text))
    assert doc.text == "|财务指标 | 2025-06-30|"
    assert [(r.kind, r.start) for r in doc.repairs] == [
        ("box-drawing", 0),
        ("box-drawing", 6),
        ("box-drawing", 18),
    ]
    check_offset_map(doc)


def test_a_pipe_table_run_into_one_line_gets_a_line_a_row():
    """A pipe table run into one line (header, rule row, rows) is put on lines of its own, the
    spaces before them turned into line breaks: same length, offsets unchanged, one repair."""
    text = (
        "主要财务信息 |项目|2024A|2025E| | ---- | ---- | ---- | "
        "|营业总收入(百万元)|8,310|8,922| |市盈率|12.1|11.0|[3] 风险提示"
    )
    doc = normalize(Report("t.txt", text, "0", "utf-8"))
    assert doc.text.split("\n") == [
        "主要财务信息",
        "|项目|2024A|2025E|",
        "| ---- | ---- | ---- |",
        "|营业总收入(百万元)|8,310|8,922|",
        "|市盈率|12.1|11.0|[3] 风险提示",
    ]
    assert len(doc.text) == len(text)
    (repair,) = [r for r in doc.repairs if r.kind == "table-rows"]
    assert text[repair.start : repair.end] == repair.before
    assert repair.before.startswith("|项目|")
    assert repair.before.endswith("|12.1|11.0|")


def test_an_empty_cell_is_no_row_break():
    """| | inside a row is an empty cell: a row of the header's count of cells is kept whole."""
    text = (
        "估值 |公司|EPS| |PE| | ---- | ---- | ---- | ---- | "
        "| |2024A|2025E|2024A| |华辰|1.2|1.4|9.8|"
    )
    lines = normalize(Report("t.txt", text, "0", "utf-8")).text.split("\n")
    assert lines[1:] == [
        "|公司|EPS| |PE|",
        "| ---- | ---- | ---- | ---- |",
        "| |2024A|2025E|2024A|",
        "|华辰|1.2|1.4|9.8|",
    ]
