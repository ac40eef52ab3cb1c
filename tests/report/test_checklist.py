"""`cnbudget audit --format checklist`: the official review checklist (公开情况检查表), prefilled from the audit.

The Shanghai layout is held against the bureau's own blank form (tests/fixtures/checklists, from 普陀区):
the same items, in the same order. What each row says is checked against the documents: the real error of
shpt-finance-2025 (887.36 万元 in the 预算编制说明 where its table has 87.36 万元), the title typo of seed
004 (硃口区), the template of a final account whose narrative and tables disagree.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cnbudget.audit import audit
from cnbudget.domain.catalog import checklist_for, checklists
from cnbudget.domain.errors import EXIT_FINDINGS
from cnbudget.parse import parse_file
from cnbudget.report.audit.checklist import fill_checklist
from support.cli import invoke as run
from support.paths import FIXTURES
from support.seeds import PDF, SEED_FILES, seed

CORPUS = FIXTURES / "corpus"
FINANCE = CORPUS / "shpt-finance-2025-budget-dept.pdf"


def _blank_items(name: str) -> list[str]:
    sheet = load_workbook(FIXTURES / "checklists" / name).worksheets[0]
    return [row[1] for row in sheet.iter_rows(min_row=5, values_only=True) if row[1]]


def _rows(path: Path) -> dict[str, tuple[str, str]]:
    sheet = load_workbook(path).worksheets[0]
    return {r[1]: (r[3], r[4] or "") for r in sheet.iter_rows(min_row=5, values_only=True) if r[1] and r[3]}


@pytest.fixture(scope="module")
def finance_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("checklist") / "review.xlsx"
    result = run("audit", str(FINANCE), "-f", "checklist", "-o", str(out))
    assert result.returncode == EXIT_FINDINGS, result.stderr
    return out


def test_shanghai_layout_is_the_bureaus_form(finance_workbook: Path) -> None:
    """One row per item of the official department checklist, in its order, titled as the form titles it."""
    sheet = load_workbook(finance_workbook).worksheets[0]
    items = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True) if row[1] and row[3]]
    blank = _blank_items("shanghai-putuo-2026-dept-budget-checklist-blank.xlsx")
    assert items == blank
    assert sheet["A1"].value == "2025年度上海市部门预算公开情况检查表"
    header = [c.value for c in sheet[4]]
    assert header[3:5] == ["符合要求", "问题截图"]


def test_rows_marked_from_the_audit(finance_workbook: Path) -> None:
    rows = _rows(finance_workbook)
    status, problems = rows["预算编制说明"]
    assert status == "否" and "887.36" in problems and "第 7" in problems  # the document's real error, p.7
    assert rows["及时公开部门预算"][0] == "待人工判断"
    assert (
        rows["主要职能"][0] == "待人工判断" and "主要职能" in rows["主要职能"][1]
    )  # found, text left to judge
    assert rows["《部门财务收支预算总表》"] == ("是", "")
    assert rows["封面"][0] == "是"


def test_unit_checklist_follows_the_unit_form() -> None:
    doc = parse_file(CORPUS / "shpt-commerce-2025-budget-unit.pdf")
    filled = fill_checklist(audit(doc))
    assert [r.item for r in filled.rows] == _blank_items(
        "shanghai-putuo-2026-unit-budget-checklist-blank.xlsx"
    )
    assert filled.org_label == "单位名称"


def test_a_missing_part_is_marked_no() -> None:
    doc = copy.deepcopy(parse_file(CORPUS / "shpt-commerce-2025-budget-unit.pdf"))
    doc.outline = [h for h in doc.outline if "名词解释" not in h.text]
    row = next(r for r in fill_checklist(audit(doc)).rows if r.item == "名词解释")
    assert row.status == "否" and "未找到" in row.problems[0].text


def test_findings_filed_under_their_part() -> None:
    """A narrative figure that differs from its table goes under the 情况说明; a mistyped cell under its table;
    a wrong organisation name on the title under the cover."""
    final = fill_checklist(audit(parse_file(PDF / "putuo-planning-resources-2024-final.pdf")))
    by_item = {r.item: r for r in final.rows}
    narrative = by_item["部门决算情况说明"]
    assert narrative.status == "否"
    assert any(p.rule_id == "NARR-AMOUNT-001" and "5377.64" in p.text for p in narrative.problems)
    assert by_item["《一般公共预算财政拨款支出决算表》"].status == "是"
    located = by_item["《财政拨款收入支出决算总表》"]
    assert [p.rule_id for p in located.problems] == ["SUM-LOCATE-001"] and located.status == "待复核"

    rows_004 = fill_checklist(audit(seed("004"))).rows
    cover = next(r for r in rows_004 if r.item == "封面")
    assert cover.status == "否" and any(p.rule_id == "NAME-ORG-001" for p in cover.problems)
    # a cell of a table the checklist has no row for (B05U) goes to the row for other parts, not to the
    # section of the text whose lines happen to surround the table
    other = next(r for r in rows_004 if r.item.startswith("其他（"))
    assert any(p.rule_id == "SUM-LOCATE-001" for p in other.problems)
    assert not any(p.rule_id == "SUM-LOCATE-001" for r in rows_004 if r is not other for p in r.problems)


def test_every_finding_is_somewhere() -> None:
    """Nothing the audit found is lost: every error and warning is under one row (a table the checklist has
    no row for lands in the row for other parts)."""
    for name in ("000", "003", "004"):
        report = audit(seed(name))
        filled = fill_checklist(report)
        listed = [id(p.finding) for r in filled.rows for p in r.problems if p.finding is not None]
        wanted = [id(f) for f in report.findings if f.severity != "info"]
        assert sorted(listed) == sorted(wanted), name


def test_crops_linked_from_the_problem(tmp_path: Path) -> None:
    out = tmp_path / "final.xlsx"
    run("audit", str(PDF / "putuo-planning-resources-2024-final.pdf"), "-f", "checklist", "-o", str(out))
    book = load_workbook(out)
    assert "问题截图" in book.sheetnames and book["问题截图"]._images  # noqa: SLF001 - openpyxl keeps them here
    sheet = book.worksheets[0]
    links = [
        c.hyperlink.location or c.hyperlink.target for row in sheet.iter_rows() for c in row if c.hyperlink
    ]
    assert links and all("问题截图" in link for link in links)


def test_html_version(tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    assert run("audit", str(SEED_FILES["004"]), "-f", "checklist", "-o", str(out)).returncode == EXIT_FINDINGS
    page = out.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "部门预算公开情况检查表" in page
    assert "待人工判断" in page and "NAME-ORG-001" in page and "硃口区" in page
    assert "http" not in page  # self-contained: works on an intranet without internet


def test_generic_checklists_for_other_templates() -> None:
    assert checklist_for("jiangsu-province-budget", "budget").id == "generic-budget"
    assert checklist_for("national-final", "final").id == "generic-final"
    assert checklist_for("shanghai-district-budget", "budget").id == "shanghai-district-budget"
    for spec in checklists().values():
        assert spec.rows[0].part == "manual"  # timeliness is always the reviewer's
    jiangsu = fill_checklist(audit(parse_file(CORPUS / "js-court-2019-budget-dept.pdf")))
    tables = [r.item for r in jiangsu.rows if r.part == "table"]
    assert len(tables) == 12 and "《政府采购支出预算表》" in tables
