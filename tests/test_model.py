"""The shared model: periods and decimals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xmgraph.model import Period, plain_decimal


@pytest.mark.parametrize(
    ("code", "kind", "first", "last"),
    [
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-Q4", "quarter", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024-H1", "half", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2024-12-31", "instant", date(2024, 12, 31), date(2024, 12, 31)),
        ("2024-01-01/2024-09-30", "interval", date(2024, 1, 1), date(2024, 9, 30)),
    ],
)
def test_period_codes(code, kind, first, last):
    p = Period(code)
    assert (p.kind, p.bounds()) == (kind, (first, last))


@pytest.mark.parametrize(
    "bad", ["24", "2024-Q5", "2024-H3", "2024-13", "2024-12-31/2024-01-01", "Q1"]
)
def test_bad_period_codes(bad):
    with pytest.raises(ValueError):  # noqa: PT011 - the message says which code
        Period(bad)


def test_previous_year():
    assert Period("2024-Q4").previous_year().code == "2023-Q4"
    assert Period("2024-02-29").previous_year().code == "2023-02-28"
    assert Period("2024-01-01/2024-09-30").previous_year().code == "2023-01-01/2023-09-30"


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 800))
def test_interval_round_trips(first, days):
    from datetime import timedelta

    last = first + timedelta(days=days)
    p = Period.interval(first, last)
    assert p.bounds() == (first, last)


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=6, min_value=-(10**12), max_value=10**12
    )
)
def test_plain_decimal_is_exact_and_plain(value):
    text = plain_decimal(value)
    assert "E" not in text
    assert "e" not in text
    assert Decimal(text) == value
