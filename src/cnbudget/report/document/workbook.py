"""A document's standard tables as an Excel workbook, laid out as printed: the disclosure's title on the first
sheet, then one sheet per table with its title, its 单位 line, its (merged) header and its rows — the
income and expenditure sides of a two-sided table, and the groups of a grouped one, side by side again.

Amounts are numbers with a number format of as many decimals as printed, so Excel sums them and
cnbudget reads them back as printed: reading the workbook gives the same tables, row for row and cell
for cell (`tests/report/test_workbook.py`). Blank cells stay blank; a cell printed as text ("—") stays
text. What is not in a table (the narrative, the performance targets' text) is not in the workbook.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cnbudget.domain.escape import sheet_text, text_cells
from cnbudget.model import Document
from cnbudget.model.tables import Cell, Column, Row, Table

SHEET_NAME_LENGTH = 31
"""Excel's limit for a sheet's name."""


def document_workbook(doc: Document) -> bytes:
    """The document's tables as the bytes of an .xlsx file."""
    from openpyxl import Workbook

    book = Workbook()
    cover = book.worksheets[0]
    cover.title = "封面"
    cover.append([sheet_text(_title(doc))])
    names: set[str] = {cover.title}
    for table in doc.tables:
        sheet = book.create_sheet(_sheet_name(table, names))
        if not table.columns:  # a table printed empty ("本部门无…"): its title and what it says
            sheet.append([sheet_text(table.title)])
            for note in table.notes:
                sheet.append([sheet_text(note.text)])
            continue
        _write_table(sheet, table, doc.metadata.organisation or doc.metadata.department)
    text_cells(book)  # document text beginning with "=" stays text, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def kept_amounts(doc: Document) -> list[tuple[str, str, str, str, Decimal]]:
    """What a workbook keeps of a document's tables, in order: each amount with its table, its row's full code
    and label (as a sheet holds text) and its column — reading the workbook back gives the same list."""
    return [
        (table.id, row.resolved_code or row.code, sheet_text(row.label), cell.column, cell.value)
        for table in doc.tables
        for row in table.rows
        for cell in row.cells
        if cell.value is not None
    ]


def _title(doc: Document) -> str:
    """The disclosure's title from what was read ("…2024年部门预算"), whatever the printed one lacked (a year
    printed only in the tables' titles) or misspelled (硃口区 for the tables' 硚口区)."""
    meta = doc.metadata
    scope = "单位" if meta.scope == "unit" else "部门"
    kind = "决算" if meta.kind == "final" else "预算"
    year = f"{meta.fiscal_year}年" if meta.fiscal_year else ""
    return f"{meta.organisation or meta.department}{year}{scope}{kind}"


def _sheet_name(table: Table, taken: set[str]) -> str:
    name, n = table.id[:SHEET_NAME_LENGTH], 2
    while name in taken:
        name, n = f"{table.id[: SHEET_NAME_LENGTH - 4]}-{n}", n + 1
    taken.add(name)
    return name


@dataclass(frozen=True, slots=True)
class _Out:
    """A column of the sheet: the part of the table (side, group) it belongs to, what it holds, its header."""

    part: tuple[str, int]
    role: str
    """``code`` (the full code of the row, one column however it was printed), ``label`` or ``value``."""
    path: tuple[str, ...]


def _layout(table: Table) -> list[_Out]:
    """Each part of the table (a side of a two-sided table, a group of a grouped one) as code, label, then
    its amount and text columns, in the order they were printed."""
    parts: list[tuple[str, int]] = []
    for column in table.columns:
        if _part_of(column) not in parts:
            parts.append(_part_of(column))
    out: list[_Out] = []
    for part in parts:
        columns = [c for c in table.columns if _part_of(c) == part]
        rows = [r for r in table.rows if (r.side or "", r.group) == part]
        codes = [c for c in columns if c.role == "code" and c.path]
        if codes or any(r.resolved_code for r in rows):
            out.append(_Out(part, "code", _code_header(codes)))
        label = next((c for c in columns if c.role == "label" and c.path), None)
        out.append(_Out(part, "label", tuple(label.path) if label else ("项目",)))
        out += [_Out(part, "value", tuple(c.path)) for c in columns if c.role in ("value", "text") and c.path]
    return out


def _code_header(codes: list[Column]) -> tuple[str, ...]:
    """The header of the one code column: the printed one (it names the classification, 功能 or 经济, which
    tells tables of one title apart), without the 类/款/项 of a code printed in parts."""
    if not codes:
        return ("科目编码",)
    path = tuple(codes[0].path)
    return path[:-1] if len(codes) > 1 and len(path) > 1 and path[-1] in ("类", "款", "项") else path


def _part_of(column: Column) -> tuple[str, int]:
    return (column.side or "", column.group)


def _write_table(sheet: Any, table: Table, organisation: str) -> None:
    layout = _layout(table)
    sheet.append([sheet_text(table.title)])
    # one cell, as a caption line is printed: beside the header's cells it would read as a header row
    caption = (
        f"编制部门：{organisation}    单位：{table.amount_unit}"
        if organisation
        else f"单位：{table.amount_unit}"
    )
    sheet.append([sheet_text(caption)])
    depth = max(len(c.path) for c in layout)
    first_header = sheet.max_row + 1
    for level in range(depth):
        sheet.append([sheet_text(c.path[level]) if level < len(c.path) else None for c in layout])
    _merge_header(sheet, layout, first_header, depth)
    for rows in _lines(table):
        sheet.append([_cell_value(sheet, value) for value in _line(layout, rows)])
    for index, column in enumerate(layout):
        sheet.column_dimensions[_letter(index)].width = 30 if column.role == "label" else 14


def _merge_header(sheet: Any, columns: list[_Out], top: int, depth: int) -> None:
    """A short path fills its column down to the last header row; equal parents side by side are one cell."""
    for index, column in enumerate(columns):
        if len(column.path) < depth:
            sheet.merge_cells(start_row=top + len(column.path) - 1, start_column=index + 1,
                              end_row=top + depth - 1, end_column=index + 1)  # fmt: skip
    for level in range(depth - 1):
        start = 0
        for index in range(1, len(columns) + 1):
            same = (
                index < len(columns)
                and len(columns[index].path) > level + 1
                and len(columns[start].path) > level + 1
                and columns[index].path[: level + 1] == columns[start].path[: level + 1]
            )
            if not same:
                if index - start > 1:
                    sheet.merge_cells(start_row=top + level, start_column=start + 1,
                                      end_row=top + level, end_column=index)  # fmt: skip
                start = index


def _lines(table: Table) -> list[list[Row]]:
    """The rows as printed lines: the rows of a two-sided or grouped table that stood on one line stand on
    one line again (an income row beside the expenditure row it was printed beside)."""
    lines: list[list[Row]] = []
    where: dict[int, list[Row]] = {}
    for row in table.rows:
        line = where.get(row.line)
        if line is None or any((r.side or "", r.group) == (row.side or "", row.group) for r in line):
            line = []
            lines.append(line)
            where[row.line] = line
        line.append(row)
    return lines


def _line(layout: list[_Out], rows: list[Row]) -> list[Any]:
    """One sheet line: each row's code and label in its part's columns, each amount in the column it was read
    from (a total printed across two groups keeps its amount where it stood)."""
    values: list[Any] = [None] * len(layout)
    for row in rows:
        part = (row.side or "", row.group)
        for index, column in enumerate(layout):
            if column.part == part and column.role == "code":
                values[index] = row.resolved_code or row.code or None
            elif column.part == part and column.role == "label":
                values[index] = row.label
        for key, value in [*((c.column, c) for c in row.cells), *row.texts.items()]:
            at = _position(layout, part, key)
            if at is not None:
                values[at] = value
    return values


def _position(layout: list[_Out], part: tuple[str, int], key: str) -> int | None:
    """The sheet column of an amount: in the row's own part, else wherever the table has that column."""
    matches = [i for i, c in enumerate(layout) if c.role == "value" and "/".join(c.path) == key]
    return next((i for i in matches if layout[i].part == part), matches[0] if matches else None)


def _cell_value(sheet: Any, value: Any) -> Any:
    """A cell: an amount as a number shown with the decimals printed; text as text."""
    from openpyxl.cell import Cell as SheetCell

    if not isinstance(value, Cell):
        return sheet_text(value)
    if value.value is None:
        return sheet_text(value.raw or None)
    cell = SheetCell(sheet, row=1, column=1, value=_number(value.value))  # append places it
    decimals = _decimals(value.value)
    grouped = "," in value.raw
    cell.number_format = ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else "")
    return cell


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _number(value: Decimal) -> int | float:
    """The amount as Excel keeps numbers (shown with its printed decimals by the cell's format)."""
    return int(value) if _decimals(value) == 0 and value == value.to_integral_value() else float(value)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))
