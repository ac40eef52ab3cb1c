"""The workbook kit: every workbook the package writes row by row goes through `Sheet` (the audit's
findings, a library answer, the findings of a document under review).

Sheets are written in openpyxl's write-only mode: a sheet's layout (column widths, the frozen heading,
the filter over the rows to come) is set before its rows, and rows go out as they are made — 25,000
findings take seconds, where a normal workbook looked up its last row by scanning every cell. Document text
is untrusted: a cell beginning with "=" is written as text, never as a formula (`domain.escape`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cnbudget.domain.escape import sheet_text, write_only_value

AMOUNT_FORMAT = "#,##0.00"
"""Excel's number format for 万元 and 元 amounts (the library keeps two decimals)."""
PERCENT_FORMAT = "0.00"
"""Shares are stored as percent figures (12.34 means 12.34 %), not as fractions."""
YEAR_FORMAT = "0"
"""A year is a number, not an amount (2,025.00)."""
FILLS = {"error": "FFE0E0", "warning": "FFF4CC"}
"""The background of a row by the level of its finding."""


@dataclass(frozen=True, slots=True)
class Column:
    heading: str
    width: float = 12
    wrap: bool = False
    """Long text (messages, notes): wrapped, aligned to the top."""


def workbook() -> Any:
    from openpyxl import Workbook

    return Workbook(write_only=True)


def to_bytes(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class Sheet:
    """A write-only sheet: headed columns, then rows.

    ``rows``: how many rows will follow the heading (the filter covers them); ``title``: a line in large
    bold type above the heading, and a blank line under it."""

    def __init__(self, book: Any, name: str, columns: Sequence[Column], rows: int, title: str = "") -> None:
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        self.sheet = book.create_sheet(name)
        self.columns = list(columns)
        self._top = Alignment(wrap_text=True, vertical="top")
        self._fills: dict[str, Any] = {}
        heading_row = 3 if title else 1
        for index, column in enumerate(self.columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.sheet.freeze_panes = f"A{heading_row + 1}"
        if rows and self.columns:
            last = get_column_letter(len(self.columns))
            self.sheet.auto_filter.ref = f"A{heading_row}:{last}{heading_row + rows}"
        if title:
            self.sheet.append([self.cell(title, font=Font(bold=True, size=13))])
            self.sheet.append([])
        bold = Font(bold=True)
        self.sheet.append([self.cell(c.heading, font=bold, alignment=self._top) for c in self.columns])

    def cell(self, value: Any, **style: Any) -> Any:
        """A cell with a style (font, alignment, fill, number_format …); text is never a formula."""
        from openpyxl.cell import WriteOnlyCell

        value = sheet_text(value)
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def append(
        self, values: Sequence[Any], level: str = "", filled: int = 0, formats: dict[int, str] | None = None
    ) -> None:
        """One row. ``level``: the row's first ``filled`` cells take the background of that level (`FILLS`);
        ``formats``: number formats by column index; wrapped columns are aligned to the top."""
        fill = self._fill(level) if level in FILLS and filled else None
        out = []
        for index, value in enumerate(values):
            style: dict[str, Any] = {}
            if fill is not None and index < filled:
                style["fill"] = fill
            if formats and index in formats and value not in ("", None):
                style["number_format"] = formats[index]
            if index < len(self.columns) and self.columns[index].wrap:
                style["alignment"] = self._top
            out.append(self.cell(value, **style) if style else write_only_value(self.sheet, value))
        self.sheet.append(out)

    def _fill(self, level: str) -> Any:
        if level not in self._fills:
            from openpyxl.styles import PatternFill

            self._fills[level] = PatternFill("solid", fgColor=FILLS[level])
        return self._fills[level]
