"""Rules of the family duplicates (重复): each fires on a seed with the mistake it looks for and stays
quiet on a clean one."""

from __future__ import annotations

import copy

from cnbudget.model import Document
from support.rulecases import Case, assert_fires, assert_quiet, cases_of, fresh, row


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


def test_rows_of_a_list_that_name_different_things_are_not_repeated() -> None:
    """A procurement or carry-over list prints one row per purchase or project under the same function code;
    a Shandong 基本支出 table lists 30101 under 50101 and again under 50501: rows that differ in what they
    name are not the same row twice."""
    from cnbudget.audit import audit

    for change in (
        lambda r: setattr(r, "label", r.label + "（采购）"),
        lambda r: r.texts.update({"政府预算支出经济分类科目名称": "50501 工资福利支出"}),
    ):
        doc = fresh("000")
        twin = copy.deepcopy(row(doc, "B03", code="2210201"))
        change(twin)
        doc.table("B03").rows.append(twin)
        assert not [f for f in audit(doc).findings if f.rule_id == "DUP-ROW-001"]
