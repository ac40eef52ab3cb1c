"""A document's tables as an Excel workbook (`parse -f xlsx`): cnbudget reads the workbook back as the same tables,
row for row and cell for cell, with the same organisation, year and kind — on the seeds' three text layouts,
on PDFs, on two-sided, grouped and split-code tables; document text stays text."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cnbudget.parse import parse_file
from cnbudget.report.document.workbook import document_workbook, kept_amounts
from support.cli import invoke
from support.paths import FIXTURES
from support.seeds import SEED_FILES

PDFS = [
    FIXTURES / "pdf" / "putuo-planning-resources-2024-final.pdf",
    FIXTURES / "corpus" / "js-court-2017-budget-dept.pdf",  # B01 in three groups; a total across two
    FIXTURES
    / "national"
    / "gd-guangzhou-civilaffairs-2026-budget-dept.pdf",  # a \x02 inside a project's name
    FIXTURES
    / "national"
    / "gd-zhuhai-transportworks-2026-budget-dept.pdf",  # the year only in tables' titles
]


def _identity(doc):
    m = doc.metadata
    return (m.organisation, m.fiscal_year, m.kind, m.scope)


def _read_back(doc, tmp_path: Path):
    target = tmp_path / "tables.xlsx"
    target.write_bytes(document_workbook(doc))
    return parse_file(target)


@pytest.mark.parametrize(
    "path", [*(SEED_FILES[k] for k in sorted(SEED_FILES)), *PDFS], ids=lambda p: p.name[:30]
)
def test_the_workbook_reads_back_as_the_same_tables(path: Path, tmp_path: Path) -> None:
    doc = parse_file(path)
    back = _read_back(doc, tmp_path)
    assert kept_amounts(back) == kept_amounts(doc) and len(kept_amounts(doc)) > 100
    assert sorted(t.id for t in back.tables) == sorted(t.id for t in doc.tables)
    assert _identity(back) == _identity(doc)


def test_document_text_stays_text_in_the_workbook(tmp_path: Path) -> None:
    doc = parse_file(SEED_FILES["000"])
    table = next(t for t in doc.tables if t.id == "B03")
    table.rows[1] = replace(table.rows[1], label='=HYPERLINK("http://x")\x02')
    sheet = load_workbook(io.BytesIO(document_workbook(doc)))["B03"]
    cells = [
        c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert [(c.value, c.data_type) for c in cells] == [('=HYPERLINK("http://x")', "s")]


def test_amounts_are_numbers_shown_as_printed(tmp_path: Path) -> None:
    sheet = load_workbook(io.BytesIO(document_workbook(parse_file(SEED_FILES["000"]))))["B03"]
    total = next(row for row in sheet.iter_rows() if row[1].value == "合计")
    assert (
        total[2].value == pytest.approx(5916.68) and total[2].number_format == "#,##0.00"
    )  # "合计 5,916.68"


_B03 = parse_file(SEED_FILES["000"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False), min_size=1, max_size=400)
)
def test_any_amounts_read_back_as_written(tmp_path: Path, amounts: list[Decimal]) -> None:
    doc = parse_file(SEED_FILES["000"])
    table = next(t for t in doc.tables if t.id == "B03")
    n = 0
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            value = amounts[n % len(amounts)]
            row.cells[i] = replace(cell, value=value, raw=f"{value:,.2f}")
            n += 1
    back = next(t for t in _read_back(doc, tmp_path).tables if t.id == "B03")
    assert [[(c.column, c.value) for c in r.cells] for r in back.rows] == [
        [(c.column, c.value) for c in r.cells] for r in table.rows
    ]


def test_the_command_writes_a_workbook_only_to_a_file(tmp_path: Path) -> None:
    refused = invoke("parse", "--sample", "-f", "xlsx")
    assert refused.returncode == 4 and "-o" in refused.stderr and not refused.stdout
    target = tmp_path / "sample.xlsx"
    assert invoke("parse", "--sample", "-f", "xlsx", "-o", str(target)).returncode == 0
    assert invoke("facts", str(target)).stdout == invoke("facts", "--sample").stdout
