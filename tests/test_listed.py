"""The list of listed companies' codes and short names (ontology/companies/listed.tsv)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from xmgraph.resources import ontology_dir

HEADER = ["identifier", "name", "legal_name", "english"]
CODE = {
    "SSE": re.compile(r"6(?:0[0135]|8[89])\d{3}"),
    "SZSE": re.compile(r"(?:00[0-3]|30[0-2])\d{3}"),
    "BSE": re.compile(r"(?:4\d|8\d|92)\d{4}"),
    "HKEX": re.compile(r"[1-9]\d{0,4}"),
    "NYSE": re.compile(r"[A-Z][A-Z.]{0,5}"),
    "NASDAQ": re.compile(r"[A-Z][A-Z.]{0,5}"),
}
A_SHARES = {"SSE", "SZSE", "BSE"}
Rows = tuple[list[list[str]], list[list[str]]]
MARKS = re.compile(r"^\*?S?\*?ST|-[A-Z]+$|[AＡ]$|\s")


def _read() -> Rows:
    """The generated rows and the rows added by hand after a comment below them."""
    lines = (ontology_dir() / "companies" / "listed.tsv").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    assert start > 0
    assert all(line.startswith("#") for line in lines[:start])
    assert lines[start].split("\t") == HEADER
    generated: list[list[str]] = []
    added: list[list[str]] = []
    target = generated
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            target = added
            continue
        target.append(line.split("\t"))
    return generated, added


@pytest.fixture(scope="module")
def rows() -> Rows:
    return _read()


def test_rows_have_four_fields_and_well_formed_identifiers(rows: Rows) -> None:
    generated, added = rows
    for row in generated + added:
        assert len(row) == 4, row
        exchange, _, code = row[0].partition(":")
        assert exchange in CODE, row[0]
        assert CODE[exchange].fullmatch(code), row[0]
        assert all(field == field.strip() for field in row), row


def test_identifiers_unique_and_generated_rows_sorted(rows: Rows) -> None:
    generated, added = rows
    idents = [row[0] for row in generated + added]
    assert [i for i, n in Counter(idents).items() if n > 1] == []
    assert [row[0] for row in generated] == sorted(row[0] for row in generated)


def test_a_shares_all_present_with_clean_names(rows: Rows) -> None:
    a_shares = [row for row in rows[0] + rows[1] if row[0].partition(":")[0] in A_SHARES]
    assert len(a_shares) >= 4000
    counts = Counter(row[0].partition(":")[0] for row in a_shares)
    assert set(counts) == A_SHARES
    assert min(counts.values()) >= 200
    bad = [row for row in a_shares if not row[1] or MARKS.search(row[1])]
    assert bad == []


@pytest.mark.parametrize(
    ("identifier", "name", "english"),
    [
        ("SSE:600519", "贵州茅台", ""),
        ("SZSE:000001", "平安银行", ""),
        ("SZSE:000002", "万科", ""),
        ("SSE:688981", "中芯国际", ""),
        ("SZSE:300750", "宁德时代", ""),
        ("SSE:603896", "寿仙谷", ""),
        ("HKEX:700", "", "TENCENT"),
        ("HKEX:5", "", "HSBC HOLDINGS"),
        ("HKEX:9988", "", "BABA"),
    ],
)
def test_spot_checks(rows: Rows, identifier: str, name: str, english: str) -> None:
    found = {row[0]: row for row in rows[0] + rows[1]}
    assert found[identifier][1] == name
    assert found[identifier][3] == english
