"""Rules of the family duplicates (重复): each fires on a seed with the mistake it looks for and stays
quiet on a clean one."""

from __future__ import annotations

import copy

from cnbudget.model import Document
from support.rulecases import Case, assert_fires, assert_quiet, cases_of, row


def _duplicate_row(doc: Document) -> None:
    t = doc.table("B03")
    t.rows.append(copy.deepcopy(row(doc, "B03", code="2210201")))


def _duplicate_project(doc: Document) -> None:
    doc.projects.append(copy.deepcopy(next(p for p in doc.projects if p.level == "project")))


CASES = [
    Case("DUP-PROJECT-001", "000", None, "004"),
    Case("DUP-PROJECT-002", "000", _duplicate_project, "000"),
    Case("DUP-ROW-001", "000", _duplicate_row, "000"),
]


@cases_of(CASES)
def test_fires(case: Case) -> None:
    assert_fires(case)


@cases_of(CASES)
def test_quiet_when_clean(case: Case) -> None:
    assert_quiet(case)
