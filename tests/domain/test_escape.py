"""Document text reaches spreadsheets as text, never as a live formula (formula / CSV injection)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from cnbudget.audit import audit
from cnbudget.domain.escape import FORMULA_START, csv_cell
from cnbudget.report.audit.checklist import render_checklist_xlsx
from cnbudget.report.audit.xlsx import render_xlsx
from cnbudget.report.document.facts import facts_csv
from support.rulecases import fresh, row

EVIL = "=cmd|'/C calc'!A0"


def _poisoned():  # type: ignore[no-untyped-def]
    """Seed 000 with a B05 row labelled like a formula, and a mistyped amount on that row."""
    doc = fresh("000")
    target = row(doc, "B05", code="2014150")
    target.label = EVIL
    doc.metadata.organisation = doc.metadata.department = '=HYPERLINK("http://evil.example","点击")'
    target.cells[0].value = (target.cells[0].value or Decimal(0)) + Decimal("100.00")
    return doc


def test_audit_and_checklist_workbooks_keep_formulas_as_text(tmp_path: Path) -> None:
    report = audit(_poisoned())
    for data in (render_xlsx([report], []), render_checklist_xlsx([report], [])):
        path = tmp_path / "out.xlsx"
        path.write_bytes(data)
        book = load_workbook(path)
        cells = [c for ws in book.worksheets for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
        assert any(c.value.startswith("=") or "=HYPERLINK" in c.value for c in cells)  # the text is there …
        assert all(c.data_type != "f" for c in cells)  # … and never as a formula


def test_facts_csv_guards_cells() -> None:
    rows = list(csv.reader(io.StringIO(facts_csv(_poisoned()))))
    labels = [r[2] for r in rows[1:]]
    evil = EVIL.replace(" ", "")  # facts carry labels without spaces
    assert "'" + evil in labels and evil not in labels
    assert any(r[4].startswith("-") or r[4][0].isdigit() for r in rows[1:])  # amounts are left as numbers


@given(st.text(min_size=1))
def test_csv_cells_never_start_a_formula(text: str) -> None:
    out = csv_cell(text)
    if out.startswith(FORMULA_START):
        float(out.replace(",", "").rstrip("%"))  # only plain numbers keep a leading sign


def test_plain_numbers_are_left_alone() -> None:
    assert csv_cell("-12.50") == "-12.50" and csv_cell("+3%") == "+3%" and csv_cell("@x") == "'@x"


def test_write_only_sheets_write_text_cells(tmp_path: Path) -> None:
    """The library's XLSX export streams rows into write-only sheets: formulas stay text there too."""
    from openpyxl import Workbook

    from cnbudget.domain.escape import write_only_value

    book = Workbook(write_only=True)
    sheet = book.create_sheet("organisations")
    sheet.append(
        [write_only_value(sheet, v) for v in ('=HYPERLINK("http://x","y")', "普通文字", Decimal("1.50"))]
    )
    book.save(tmp_path / "w.xlsx")
    cells = list(load_workbook(tmp_path / "w.xlsx")["organisations"].iter_rows())[0]
    assert cells[0].value == '=HYPERLINK("http://x","y")' and cells[0].data_type == "s"
    assert cells[1].value == "普通文字" and cells[2].value == 1.5


def test_control_characters_of_pdf_text_do_not_break_a_workbook(tmp_path: Path) -> None:
    """A \\x02 inside a project's name (a Guangzhou disclosure) made openpyxl refuse the cell: the audit's and
    the checklist's workbooks and the library's export failed on such a document."""
    doc = _poisoned()
    target = row(doc, "B05", code="2014150")
    target.label = "广州市民政局2024年\x022025年信息化运维项目\x1b"
    doc.metadata.organisation = doc.metadata.department = "某\x07单位"
    report = audit(doc)
    assert any("\x02" in f.message for f in report.findings)  # the document's text reaches the findings
    for data in (render_xlsx([report], []), render_checklist_xlsx([report], [])):
        path = tmp_path / "out.xlsx"
        path.write_bytes(data)
        texts = [c.value for ws in load_workbook(path).worksheets for r in ws.iter_rows() for c in r]
        assert any(isinstance(v, str) and "2024年2025年信息化运维项目" in v for v in texts)


@given(st.text())
def test_sheet_text_is_always_what_a_sheet_holds(text: str) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from cnbudget.domain.escape import sheet_text

    assert not ILLEGAL_CHARACTERS_RE.search(sheet_text(text))
    assert sheet_text(text) == "".join(ch for ch in text if not ILLEGAL_CHARACTERS_RE.match(ch))
