"""Writing document text into spreadsheets safely (formula injection).

A disclosure is untrusted input: an organisation named ``=HYPERLINK(…)`` or a label ``=cmd|'/C calc'!A0``
must reach a reviewer's spreadsheet as text, never as a live formula. Every CSV and XLSX writer of the
package goes through this module (OWASP "CSV injection").
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet program may read as the start of a formula (or a command in a CSV cell)."""
_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?%?")


def csv_cell(value: Any) -> Any:
    """A CSV cell: text that a spreadsheet would run is written with a leading apostrophe (plain numbers,
    negative ones included, are left as they are)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def text_cells(workbook: Any) -> None:
    """Make every cell openpyxl took for a formula a text cell again (the package writes no formulas)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


_SHEET_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The control characters a worksheet cannot hold (openpyxl refuses them; Excel would not open the file).
PDF text carries some (a \x02 inside a project's name in a Guangzhou disclosure)."""


def sheet_text(value: Any) -> Any:
    """A value a worksheet can hold: text without the control characters Excel refuses; others unchanged."""
    return _SHEET_ILLEGAL.sub("", value) if isinstance(value, str) else value


def write_only_value(sheet: Any, value: Any) -> Any:
    """A value for a write-only sheet: text a sheet can hold (`sheet_text`), and text beginning with "=" as an
    explicit text cell."""
    value = sheet_text(value)
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f\x9b]")
"""Terminal escape sequences (ESC [ … m and the like) and other control characters."""


def plain_text(value: object) -> str:
    """Document text for a plain (not Rich) terminal line: control characters and escape sequences removed."""
    return _CONTROL.sub("", str(value))


_RICH_TAG = re.compile(r"\[[a-z#/@][^[]*?]")
"""What Rich reads as a tag (rich.markup's pattern): "[" then a letter, #, / or @, up to "]"."""
_BEFORE_BRACKET = re.compile(r"(\\*)\[")


def terminal_text(value: object) -> str:
    """Document text for a Rich terminal: control characters and escape sequences removed, and every "["
    escaped, so that a label such as "[/bold]" is printed as written.

    Rich reads backslashes before a tag in pairs (each pair prints one, an odd one escapes the tag), and drops
    the one backslash right before any other "["; the backslashes of the text are written so that each is
    printed. Those at its end are doubled, since the markup that usually follows would read them: a text
    that ends in a backslash and is printed with nothing after it shows that backslash twice."""
    text = _CONTROL.sub("", str(value))

    def escaped(m: re.Match[str]) -> str:
        backslashes = m.group(1)
        doubled = _RICH_TAG.match(text, m.end() - 1) is not None
        return (backslashes * 2 if doubled else backslashes) + "\\["

    text = _BEFORE_BRACKET.sub(escaped, text)
    trailing = len(text) - len(text.rstrip("\\"))
    return text + "\\" * trailing
