"""XLS (Excel 97–2003, xlrd): sheets → lines, like XLSX.

Many finance systems still export the legacy format. xlrd gives numbers as floats; the printed precision
comes from each cell's number format, and merged ranges keep their text in the top-left cell only.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from cnbudget.domain.errors import CnbudgetError, InputError
from cnbudget.domain.i18n import t
from cnbudget.read.grid import LineWriter
from cnbudget.read.source import CellCount, ReadOptions, Source
from cnbudget.read.xlsx import cell_text


def read_xls(data: bytes, path: str, options: ReadOptions | None = None) -> Source:
    count = CellCount((options or ReadOptions()).max_cells, path)
    try:
        import xlrd
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise InputError(
            t(
                "读取 XLS 需要 xlrd（pip install xlrd）",
                "reading XLS needs the xlrd package (pip install xlrd)",
            ),
            path,
        ) from exc
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO(), verbosity=0
        )
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, AssertionError … for damaged files
        message = str(exc) or type(exc).__name__
        raise InputError(
            t(
                f"无法读取的 XLS 工作簿；不读取 DOC 文件（{message}）",
                f"not a readable XLS workbook; DOC files are not read ({message})",
            ),
            path,
        ) from exc
    writer = LineWriter()
    damaged: list[str] = []
    for index in range(book.nsheets):
        try:
            _sheet(book, index, writer, count, xlrd)
        except CnbudgetError:
            raise  # a limit (cells), not damage
        except Exception as exc:  # noqa: BLE001 - xlrd (no longer developed) raises IndexError, KeyError,
            # OverflowError, struct.error … for a damaged sheet; it reads a sheet only when it is asked for,
            # so a damaged one fails here and the others are read
            damaged.append(f"{index + 1}（{type(exc).__name__}）")
    warnings = []
    if damaged:
        warnings.append(
            t(f"以下工作表已损坏，未读取或只读了一部分：{'、'.join(damaged)}",
              f"damaged sheets, not read or read in part: {', '.join(damaged)}")
        )  # fmt: skip
    if not any(line.text for line in writer.lines) and damaged:
        raise InputError(
            t(
                f"工作簿已损坏：工作表 {'、'.join(damaged)} 无法读取",
                f"damaged workbook: sheets {', '.join(damaged)} cannot be read",
            ),
            path,
        )
    if not any(line.text for line in writer.lines):
        raise InputError(t("工作簿中没有有内容的单元格", "the workbook has no cells with content"), path)
    return Source(
        path=path,
        lines=writer.lines,
        sha256=hashlib.sha256(data).hexdigest(),
        format="xls",
        warnings=warnings,
    )


def _sheet(book: Any, index: int, writer: LineWriter, count: Any, xlrd: Any) -> None:
    """One sheet's rows as lines (its page is the sheet's number)."""
    sheet = book.sheet_by_index(index)
    count.add(sheet.nrows * max(sheet.ncols, 1))  # known once the sheet is loaded, before any line
    covered = {  # merged ranges clipped to the sheet: a damaged one may claim far more
        (r, c)
        for r0, r1, c0, c1 in sheet.merged_cells
        for r in range(r0, min(r1, sheet.nrows))
        for c in range(c0, min(c1, sheet.ncols))
        if (r, c) != (r0, c0)
    }
    writer.page = index + 1
    for r in range(sheet.nrows):
        cells = []
        for c in range(sheet.ncols):
            if (r, c) in covered:
                cells.append("")
                continue
            cell = sheet.cell(r, c)
            value = cell.value if cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_TEXT) else None
            fmt = (
                book.format_map.get(book.xf_list[cell.xf_index].format_key)
                if cell.xf_index is not None
                else None
            )
            cells.append(cell_text(value, fmt.format_str if fmt else ""))
        writer.row(cells)
        _release_row(sheet, r)
    book.unload_sheet(index)


def _release_row(sheet: object, r: int) -> None:
    """Let xlrd's copy of a row go once it is a line, so that the sheet and its lines are not both held
    whole (xlrd 2 keeps a sheet as per-row lists; it is no longer developed, so these stay as they are)."""
    for name in ("_cell_values", "_cell_types", "_cell_xf_indexes"):
        rows = getattr(sheet, name, None)
        if isinstance(rows, list) and r < len(rows):
            rows[r] = None
