from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnbudget.domain.codes import code_level
from cnbudget.domain.numbers import (
    amount_text,
    format_amount,
    has_decimal_amount,
    is_code,
    is_decimal_amount,
    join_code,
    parse_amount,
    parse_percent,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,297.34", "1297.34"),
        ("5357.53", "5357.53"),
        ("0.00", "0.00"),
        ("270,000", "270000"),
        ("-12.30", "-12.30"),
        ("（12.30）", "-12.30"),
        (" 14,784.19 ", "14784.19"),
    ],
)
def test_amounts_keep_printed_digits(text: str, expected: str) -> None:
    assert amount_text(text) == expected
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "合计", "1,23.4", "12..3", "100%", "≥98%", "1,2345.00", "—", "/"])
def test_non_amounts(text: str) -> None:
    assert parse_amount(text) is None


def test_decimal_amount_excludes_codes_and_row_numbers() -> None:
    assert is_decimal_amount("0.00") and is_decimal_amount("270,000")
    assert not is_decimal_amount("201") and not is_decimal_amount("2010301")


def test_codes() -> None:
    assert join_code(["201", "06", "01"]) == "2010601"
    assert join_code(["201 06 01"]) == "2010601"
    # Shanghai prints 款 without its leading zero in a column of its own ("301 | 2 | 津贴补贴")
    assert join_code(["301", "2"]) == "30102" and join_code(["201", "6", "1"]) == "2010601"
    assert join_code(["301", "12"]) == "30112"
    assert is_code("42010026157Y000000101") and is_code("157003") and is_code("2014150")
    assert not is_code("一般公共服务支出")
    assert [code_level(c) for c in ("201", "20141", "2014150", "157003")] == [1, 2, 3, None]
    assert parse_percent("90.55%") == Decimal("90.55")


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False))
def test_formatted_amounts_parse_back_exactly(value: Decimal) -> None:
    printed = format_amount(value)
    assert parse_amount(printed) == value
    assert amount_text(printed) == f"{value:.2f}"


@given(st.text(max_size=30))
def test_amount_parsing_never_raises(text: str) -> None:
    result = parse_amount(text)
    assert result is None or isinstance(result, Decimal)


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_thousands_separators_are_dropped(units: int, cents: int) -> None:
    printed = f"{units:,}.{cents:02d}"
    assert amount_text(printed) == f"{units}.{cents:02d}"


@given(st.text(alphabet="0123456789.,-−（）() \t\u3000元万%a", max_size=40))
def test_line_scan_agrees_with_token_check(text: str) -> None:
    assert has_decimal_amount(text) == any(is_decimal_amount(t) for t in text.split())


def test_fullwidth_digits_and_decimal_points_are_read() -> None:
    """“5,357．53” (a fullwidth point) and fullwidth digits were silently not read: the same document printed
    with them gives the same figures and the same findings."""
    from cnbudget.audit import audit
    from cnbudget.parse import parse_text
    from support.seeds import SEED_FILES

    text = SEED_FILES["000"].read_text("utf-8")
    wide = text.replace("5,357.53", "5,357．53").replace("5,916.68", "５,９１６.６８")
    assert wide != text
    plain, fullwidth = parse_text(text, "a"), parse_text(wide, "a")
    assert [(c.subject, c.amount) for c in plain.claims] == [(c.subject, c.amount) for c in fullwidth.claims]

    def errors(doc):  # type: ignore[no-untyped-def]
        return sorted((f.rule_id, f.message) for f in audit(doc).findings)

    assert errors(plain) == errors(fullwidth)
