from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnbudget.parse.targets import looks_like_value, parse_target


@pytest.mark.parametrize(
    ("raw", "comparator", "number", "unit"),
    [
        ("≥98%", "≥", "98", "%"),
        ("$\\geq 98\\%$", "≥", "98", "%"),  # LaTeX from the Markdown conversion (seed 000)
        ("≤12 升/100 公里", "≤", "12", "升/100公里"),
        ("不超过 12 小时", "≤", "12", "小时"),
        ("=4人", "=", "4", "人"),
        ("365 天", None, "365", "天"),
        ("较 2023 年 10%", None, "10", "%"),  # the year is not the value
        (">90%", ">", "90", "%"),
        ("≥1 台（套）", "≥", "1", "台（套）"),
    ],
)
def test_targets_are_parsed(raw: str, comparator: str | None, number: str, unit: str) -> None:
    value = parse_target(raw)
    assert value.raw == raw
    assert value.comparator == comparator
    assert value.number == Decimal(number)
    assert value.unit == unit
    assert not value.qualitative


@pytest.mark.parametrize("raw", ["持续提升", "有效保障", "2024 年 12 月底", "无重大网络安全事故"])
def test_qualitative_targets(raw: str) -> None:
    value = parse_target(raw)
    assert value.qualitative and value.number is None


@given(st.text(max_size=40))
def test_target_parsing_never_raises_and_keeps_raw(text: str) -> None:
    value = parse_target(text)
    assert value.raw == text.strip()
    assert value.comparator in (None, "≥", "≤", ">", "<", "=")


def test_value_like_cells() -> None:
    assert looks_like_value("≥2G") and looks_like_value("12份") and looks_like_value("100%")
    assert not looks_like_value("政务网互联网出口")
