"""Rules of the family consistency (年份与名称): each fires on a seed with the mistake it looks for and stays
quiet on a clean one."""

from __future__ import annotations

from cnbudget.model import Document
from support.rulecases import Case, assert_fires, assert_quiet, cases_of


def _table_year(doc: Document) -> None:
    doc.table("F02").title = "2023年度收入决算表"


def _part_year(doc: Document) -> None:
    part = next(p for p in doc.parts if p.number == 2)
    part.title = part.title.replace("2026", "2025")


CASES = [
    Case("NAME-ORG-001", "004", None, "000"),
    Case("YEAR-TABLE-001", "003", _table_year, "003"),
    Case("YEAR-PART-001", "000", _part_year, "000"),
    Case("YEAR-ASOF-001", "000", None, "001"),
]


@cases_of(CASES)
def test_fires(case: Case) -> None:
    assert_fires(case)


@cases_of(CASES)
def test_quiet_when_clean(case: Case) -> None:
    assert_quiet(case)
