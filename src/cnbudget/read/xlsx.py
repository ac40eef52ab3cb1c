"""XLSX workbooks → the same numbered lines and cells the text readers produce.

Departments that publish spreadsheets usually put one table on each sheet, with the title and the
单位 line in merged rows above a merged header. A merged cell keeps its text in its top-left cell and
leaves the others empty, which is how the tab-separated conversions look too, so the parser needs
nothing new. Numbers are stored as binary floats; the printed precision comes from the cell's number
format ("#,##0.00" → two decimals), so 1297.3 reads back as the printed "1297.30", never as a float.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.read.grid import LineWriter
from cnbudget.read.source import CellCount, ReadOptions, Source

_DECIMALS = re.compile(r"0\.(0+)")


def cell_text(value: Any, number_format: str) -> str:
    """The cell as printed: numbers with the decimals of their number format, text as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return str(value)
        m = _DECIMALS.search(number_format or "")
        if m:
            number = number.quantize(Decimal(1).scaleb(-len(m.group(1))))
        elif isinstance(value, float) and number == number.to_integral_value():
            number = number.quantize(Decimal(1))
        text = format(number, "f")
        return text + "%" if "%" in (number_format or "") else text
    if isinstance(value, datetime | date):
        return value.strftime("%Y年%m月%d日")
    return str(value).replace("\n", "").replace("\r", "")


def read_xlsx(data: bytes, path: str, options: ReadOptions | None = None) -> Source:
    """Sheets are streamed (openpyxl's read-only mode): memory grows with the lines kept, not the XML.

    The sheet's declared dimension is ignored: a hostile one would pad every row to 16,384 columns, and
    rows as stored give the same lines (trailing empty cells are dropped anyway)."""
    from openpyxl import load_workbook

    cells = CellCount((options or ReadOptions()).max_cells, path)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged parts
        why = f"{type(exc).__name__}: {exc}"
        raise InputError(
            t(f"无法读取的 XLSX 工作簿（{why}）", f"not a readable XLSX workbook ({why})"), path
        ) from exc
    writer = LineWriter()
    warnings: list[str] = []
    try:
        for sheet_number, sheet in enumerate(workbook.worksheets, start=1):
            if sheet.sheet_state != "visible":
                warnings.append(
                    t(
                        f"工作表“{sheet.title}”是隐藏的；仍已读取",
                        f"sheet {sheet.title!r} is hidden; read anyway",
                    )
                )
            writer.page = sheet_number
            sheet.reset_dimensions()
            for row in sheet.iter_rows():
                cells.add(max(len(row), 1))
                writer.row([cell_text(c.value, c.number_format) for c in row])
    except InputError:
        raise
    except Exception as exc:  # damaged sheet XML shows only while it is streamed
        why = f"{type(exc).__name__}: {exc}"
        raise InputError(
            t(f"无法读取的 XLSX 工作簿（{why}）", f"not a readable XLSX workbook ({why})"), path
        ) from exc
    finally:
        workbook.close()
    lines = writer.lines
    if not any(line.text for line in lines):
        raise InputError(t("工作簿中没有有内容的单元格", "the workbook has no cells with content"), path)
    digest = hashlib.sha256(data).hexdigest()
    return Source(path=path, lines=lines, sha256=digest, format="xlsx", warnings=warnings)
