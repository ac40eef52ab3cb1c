"""Classification codes (支出功能分类, 部门预算支出经济分类): code → name, from the package's data files."""

from __future__ import annotations

from functools import cache

from cnbudget.domain.reference import data_csv
from cnbudget.domain.text import plain_label


@cache
def _codes(filename: str) -> dict[str, str]:
    return {row["code"]: row["name"] for row in data_csv(filename)}


def function_codes() -> dict[str, str]:
    """支出功能分类科目: code → name (类 3 digits, 款 5, 项 7)."""
    return _codes("function_codes.csv")


def economic_codes() -> dict[str, str]:
    """部门预算支出经济分类科目: code → name (类 3 digits, 款 5)."""
    return _codes("economic_codes.csv")


@cache
def _class_codes() -> dict[str, str]:
    return {name: code for code, name in function_codes().items() if len(code) == 3}


def class_code(label: str) -> str | None:
    """Function class code of an item of a summary table: "四、科学技术支出" → 206."""
    return _class_codes().get(plain_label(label))


def code_level(code: str) -> int | None:
    """1 = 类, 2 = 款, 3 = 项 for classification codes; None otherwise."""
    if not code.isdigit():
        return None
    return {3: 1, 5: 2, 7: 3}.get(len(code))
