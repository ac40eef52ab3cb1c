"""Test helper: write a text document as an XLSX workbook, as a department's spreadsheet export would be.

Table rows become rows of cells; printed amounts become numbers with a number format that prints them the
same way (1,297.30 → 1297.3 formatted "#,##0.00"); codes stay text; every other line is one cell.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from cnbudget.parse.numbers import amount_text, is_decimal_amount
from cnbudget.read import read_path


def text_to_xlsx(source: Path, target: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row_number, line in enumerate(read_path(source).lines, start=1):
        if line.layout == "rule":
            continue  # a Markdown separator row has no counterpart in a sheet
        if line.cells is None:
            if line.text.strip():
                sheet.cell(row=row_number, column=1, value=line.text.rstrip())
            continue
        for column, raw in enumerate(line.cells, start=1):
            text = raw.strip()
            if not text:
                continue
            cell = sheet.cell(row=row_number, column=column)
            canonical = amount_text(text)
            if canonical is not None and is_decimal_amount(text):
                decimals = len(canonical.split(".", 1)[1]) if "." in canonical else 0
                cell.value = float(Decimal(canonical))
                places = "." + "0" * decimals if decimals else ""
                cell.number_format = ("#,##0" if "," in text else "0") + places
            else:
                cell.value = text
    workbook.save(target)
