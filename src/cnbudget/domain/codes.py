"""Classification codes (支出功能分类, 部门预算支出经济分类): code → name, from the package's data files."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class NamePeriod:
    """A function code's name and the fiscal years it is known to be in force (None: open)."""

    code: str
    name: str
    first: int | None
    last: int | None

    def covers(self, year: int) -> bool:
        return (self.first is None or self.first <= year) and (self.last is None or year <= self.last)


@cache
def names_by_year() -> dict[str, tuple[NamePeriod, ...]]:
    """Function code → its names by period (data/function_names_by_year.csv). Only periods known from a
    source are listed; between two known periods nothing is assumed."""
    out: dict[str, list[NamePeriod]] = {}
    for row in data_csv("function_names_by_year.csv"):
        period = NamePeriod(
            row["code"],
            row["name"],
            int(row["from"]) if row["from"] else None,
            int(row["until"]) if row["until"] else None,
        )
        out.setdefault(period.code, []).append(period)
    return {code: tuple(periods) for code, periods in out.items()}


def name_out_of_year(code: str, name: str, year: int) -> NamePeriod | None:
    """The name in force in ``year`` when ``name`` is one of ``code``'s names of another period, else None."""
    periods = names_by_year().get(code, ())
    printed = next((p for p in periods if p.name == name), None)
    if printed is None or printed.covers(year):
        return None
    return next((p for p in periods if p.covers(year)), None)
