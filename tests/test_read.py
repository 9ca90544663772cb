"""Tests for xmgraph.read: decoding report files in Chinese encodings, and refusals."""

from __future__ import annotations

import codecs
import hashlib

import pytest

from xmgraph.errors import XmgraphError
from xmgraph.read import read_bytes, read_report
from xmgraph.resources import demo_report

SIMPLIFIED = "小米集团2024年营收3659亿元，同比增长35%。\r\n经调整净利润272亿元，创历史新高。\n"
TRADITIONAL = "小米集團2024年營收3659億元，同比增長35%。\r\n經調整淨利潤272億元，創歷史新高。\n"
SHORT_SIMPLIFIED = "小米集团营收增长"
SHORT_TRADITIONAL = "小米集團營收增長"

SIMPLIFIED_ENCODINGS = ["utf-8", "gb18030", "gbk", "gb2312"]
TRADITIONAL_ENCODINGS = ["utf-8", "gb18030", "gbk", "big5", "cp950"]


def write(tmp_path, data: bytes, name: str = "report.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", SIMPLIFIED_ENCODINGS)
@pytest.mark.parametrize("text", [SIMPLIFIED, SHORT_SIMPLIFIED])
def test_simplified_round_trips(tmp_path, text, encoding):
    report = read_report(write(tmp_path, text.encode(encoding)))
    assert report.text == text


@pytest.mark.parametrize("encoding", TRADITIONAL_ENCODINGS)
@pytest.mark.parametrize("text", [TRADITIONAL, SHORT_TRADITIONAL])
def test_traditional_round_trips(tmp_path, text, encoding):
    report = read_report(write(tmp_path, text.encode(encoding)))
    assert report.text == text


@pytest.mark.parametrize(
    ("encoding", "expected_codec"),
    [("gbk", "gb18030"), ("big5", "big5"), ("utf-8", "utf-8")],
)
def test_encoding_names_the_codec_used(encoding, expected_codec):
    assert read_bytes(TRADITIONAL.encode(encoding), name="a.txt").encoding == expected_codec


@pytest.mark.parametrize(
    ("bom", "codec", "label"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    ],
)
@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL])
def test_byte_order_marks_are_honoured_and_stripped(tmp_path, bom, codec, label, text):
    report = read_report(write(tmp_path, bom + text.encode(codec)))
    assert report.text == text
    assert not report.text.startswith("\ufeff")
    assert report.encoding == label


def test_crlf_and_lone_cr_are_kept(tmp_path):
    text = "第一行\r\n第二行\r第三行\n"
    report = read_report(write(tmp_path, text.encode("gb18030")))
    assert report.text == text
    assert report.text.count("\r\n") == 1


def test_report_fields(tmp_path):
    data = TRADITIONAL.encode("big5")
    path = write(tmp_path, data, name="results.txt")
    report = read_report(path)
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert report.name == "results.txt"
    assert read_report(str(path)) == report  # str paths work too


def test_utf8_sha256_is_of_the_raw_bytes_with_bom(tmp_path):
    data = codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8")
    report = read_report(write(tmp_path, data))
    assert report.sha256 == hashlib.sha256(data).hexdigest()


def test_demo_report_reads_as_utf8():
    report = read_report(demo_report())
    assert report.encoding == "utf-8"
    assert report.text.startswith("小米2024年的毛利為765.6億元")
    assert report.name == "xiaomi-2024-annual-results.txt"


def test_missing_file_is_E001(tmp_path):
    with pytest.raises(XmgraphError) as err:
        read_report(tmp_path / "nope.txt")
    assert err.value.code == "E001"
    assert "nope.txt" in str(err.value)


def test_directory_is_E002(tmp_path):
    with pytest.raises(XmgraphError) as err:
        read_report(tmp_path)
    assert err.value.code == "E002"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t\r\n",
        codecs.BOM_UTF8 + b" \n",
        codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"),
    ],
)
def test_empty_or_blank_is_E003(tmp_path, data):
    with pytest.raises(XmgraphError) as err:
        read_report(write(tmp_path, data))
    assert err.value.code == "E003"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "小米集团".encode("gbk") + b"\x00\x01\x02",
        bytes(range(1, 9)) * 50,
        codecs.BOM_UTF16_LE + "abc\x00def".encode("utf-16-le"),
    ],
)
def test_binary_is_E004(tmp_path, data):
    with pytest.raises(XmgraphError) as err:
        read_report(write(tmp_path, data))
    assert err.value.code == "E004"


def test_undecodable_is_E005(tmp_path):
    # an invalid UTF-8 sequence after a UTF-8 BOM cannot be read as anything
    data = codecs.BOM_UTF8 + "小米".encode() + b"\xff\xfe\xc3"
    with pytest.raises(XmgraphError) as err:
        read_report(write(tmp_path, data))
    assert err.value.code == "E005"


def test_read_bytes_refuses_with_the_name():
    with pytest.raises(XmgraphError, match=r"E004: .*upload\.bin"):
        read_bytes(b"\x00\x01", name="upload.bin")


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5", "utf-16"])
def test_dateline_is_found_whatever_the_encoding(tmp_path, encoding):
    """The publication date the context stage reads does not depend on how the file was
    encoded (新華社…電 in Traditional, read through normalization)."""
    from datetime import date

    from xmgraph.context import add_context
    from xmgraph.lexicon import load_lexicon
    from xmgraph.normalize import normalize

    text = "新華社香港3月20日電 騰躍體育公佈2024年全年業績，收益為港幣二十五億元。\n"
    report = read_report(write(tmp_path, text.encode(encoding)))
    doc = add_context(normalize(report), load_lexicon())
    assert doc.published == date(2025, 3, 20)


def test_extract_report_carries_the_given_date(monkeypatch, tmp_path):
    from datetime import date

    import xmgraph.extract
    from xmgraph.pipeline import extract_report

    docs = []
    real = xmgraph.extract.extract

    def spy(doc, lexicon):
        docs.append(doc)
        return real(doc, lexicon)

    monkeypatch.setattr(xmgraph.extract, "extract", spy)
    path = write(tmp_path, "date 2025-11-25\n小米集团今年营收增长。\n".encode())
    extract_report(path)
    extract_report(path, published=date(2024, 1, 2))
    assert [d.published for d in docs] == [date(2025, 11, 25), date(2024, 1, 2)]


def test_over_the_size_limit_is_E120(tmp_path, monkeypatch):
    path = write(tmp_path, SIMPLIFIED.encode() * 10)
    monkeypatch.setenv("XMGRAPH_MAX_SIZE", "100B")
    with pytest.raises(XmgraphError) as caught:
        read_report(path)
    assert caught.value.code == "E120"
    assert f"{path.stat().st_size} bytes, over the limit of 100 bytes" in str(caught.value)
    with pytest.raises(XmgraphError, match=r"^E120: a\.txt is too large"):
        read_bytes(b"x" * 101, name="a.txt")
    monkeypatch.setenv("XMGRAPH_MAX_SIZE", "2kb")
    assert read_report(path).text == SIMPLIFIED * 10


@pytest.mark.parametrize("value", ["", "x", "10x", "0", "-5", "1" * 20])
def test_bad_size_is_E121(value):
    from xmgraph.read import parse_size

    with pytest.raises(XmgraphError, match=r"^E121"):
        parse_size(value)


def test_the_default_size_limit():
    from xmgraph.read import MAX_SIZE, max_size, parse_size

    assert max_size() == MAX_SIZE == parse_size("20MB")


# ---------------------------------------------------------------- bad bytes

BAD_BYTES = [
    # (the file's bytes, where the U+FFFD lands in the text)
    (SIMPLIFIED.encode()[:9] + b"\xff" + SIMPLIFIED.encode()[9:], 3),  # a byte inserted
    (SIMPLIFIED.encode() + "增".encode()[:2], len(SIMPLIFIED)),  # the last character cut
    (SIMPLIFIED.encode("gbk") + "增".encode("gbk")[:1], len(SIMPLIFIED)),  # a GBK tail
    (codecs.BOM_UTF8 + SIMPLIFIED.encode()[:9] + b"\xff" + SIMPLIFIED.encode()[9:], 3),
]


@pytest.mark.parametrize(("data", "at"), BAD_BYTES)
def test_a_bad_byte_is_replaced_and_warned_about(tmp_path, data, at):
    """One bad byte no longer makes a report binary: it becomes U+FFFD, one character, so
    every other character keeps its offset; a warning gives its byte and character offset."""
    report = read_report(write(tmp_path, data))
    assert report.text[at] == "\ufffd"
    assert report.text.replace("\ufffd", "") == SIMPLIFIED
    assert len(report.warnings) == 1
    assert f"(character {at})" in report.warnings[0]
    byte = int(report.warnings[0].split()[1])
    assert data[byte : byte + 1] in (b"\xff", "增".encode()[:1], "增".encode("gbk")[:1])
    assert report.sha256 == hashlib.sha256(data).hexdigest()


def test_an_overwritten_byte_keeps_every_offset():
    """A byte overwritten (not inserted): the text has the same length and every other
    character where it was."""
    data = bytearray(SIMPLIFIED.encode())
    data[SIMPLIFIED.encode().index(b"2024")] = 0xFF
    report = read_bytes(bytes(data), name="a.txt")
    assert len(report.text) == len(SIMPLIFIED)
    assert [a for a, b in zip(report.text, SIMPLIFIED, strict=True) if a != b] == ["\ufffd"]


def test_many_bad_bytes_are_still_refused():
    with pytest.raises(XmgraphError, match=r"^E00[45]"):
        read_bytes(SIMPLIFIED.encode() + b"\xff\xfe" * 20, name="a.txt")


def test_bad_byte_warnings_reach_the_document():
    from xmgraph.normalize import normalize

    report = read_bytes(SIMPLIFIED.encode() + b"\xff", name="a.txt")
    assert normalize(report).warnings[0] == report.warnings[0]
