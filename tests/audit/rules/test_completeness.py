"""Rules of the family completeness (完整性): each fires on a seed with the mistake it looks for and stays
quiet on a clean one."""

from __future__ import annotations

from decimal import Decimal

from cnbudget.model import Cell, Document, Row
from support.paths import FIXTURES
from support.rulecases import Case, _drop_row, _drop_table, assert_fires, assert_quiet, cases_of, edited


def _empty_note(doc: Document) -> None:
    """B08 left empty with neither its note nor the narrative's "没有使用政府性基金预算拨款安排的支出"."""
    doc.table("B08").notes = []
    for section in doc.narrative:
        section.text = section.text.replace("没有使用政府性基金预算拨款安排的支出", "")


def _unfilled_template(doc: Document) -> None:
    doc.narrative[0].text += "与上年相比增加XXX万元，增长XX%。"


def _amount_in_empty(doc: Document) -> None:
    t = doc.table("B08")
    t.rows.append(
        Row(
            label="其他支出",
            code="229",
            cells=[Cell("本年政府性基金预算支出/合计", "5.00", Decimal(5), 320)],
            line=320,
        )
    )


def _partial(doc: Document) -> None:
    t = doc.table("B05")
    t.status = "partial"
    t.warnings.append("line 230: 4 amounts for 5 columns")


def _no_narrative(doc: Document) -> None:
    doc.narrative = []


def _no_three_public_section(doc: Document) -> None:
    doc.narrative = [s for s in doc.narrative if "三公" not in s.heading]


def _no_b12(doc: Document) -> None:
    doc.performance = [p for p in doc.performance if not p.id.startswith("B12")]


CASES = [
    Case("COMP-TABLE-001", "000", _drop_table("B03"), "000"),
    Case("COMP-EMPTY-001", "000", _empty_note, "000"),
    Case("COMP-TEMPLATE-001", "000", _unfilled_template, "000"),
    Case("COMP-EMPTY-002", "000", _amount_in_empty, "000"),
    Case("COMP-PARSE-001", "000", _partial, "000"),
    Case("COMP-NARR-001", "000", _no_narrative, "000"),
    Case("COMP-NARR-002", "000", _no_three_public_section, "000"),
    Case("COMP-3GONG-001", "000", None, "001"),
    Case("COMP-B12-001", "000", _no_b12, "000"),
    Case("COMP-ROWS-001", "000", _drop_row("B01", label="支出总计", side="支出"), "000"),
    # seed 000's B08 is empty and its narrative says so; the mutation gives the funds an amount
    Case(
        "COMP-EMPTY-003",
        "000",
        edited("2026 年没有使用政府性基金预算拨款安排的支出。", "2026 年政府性基金预算拨款支出 50.00 万元。"),
        "000",
    ),
]


@cases_of(CASES)
def test_fires(case: Case) -> None:
    assert_fires(case)


@cases_of(CASES)
def test_quiet_when_clean(case: Case) -> None:
    assert_quiet(case)


def test_narrative_sections_are_those_of_the_documents_template() -> None:
    """Shanghai district budgets have their own two sections (templates.toml), not the national nine."""
    import cnbudget
    from cnbudget.audit import audit

    corpus = FIXTURES / "corpus"
    doc = cnbudget.parse_file(corpus / "shpt-govoffice-2025-budget-dept.pdf")
    assert doc.metadata.template == "shanghai-district-budget"
    assert not [f for f in audit(doc).findings if f.rule_id == "COMP-NARR-002"]
    for section in doc.narrative:  # the document without its 其他相关情况说明 (p.21)
        if "其他相关" in section.heading:
            section.heading = "附件"
    found = [f.message for f in audit(doc).findings if f.rule_id == "COMP-NARR-002"]
    assert found == ["情况说明中没有“其他相关情况说明”一节（上海市部门（单位）预算公开）"]


def test_an_empty_table_explained_in_the_narrative_is_explained() -> None:
    from cnbudget.audit import audit
    from support.rulecases import fresh

    doc = fresh("000")
    doc.table("B08").notes = []  # the note under B08 gone, the narrative still says there is no such spending
    assert not [f for f in audit(doc).findings if f.rule_id == "COMP-EMPTY-001"]
