"""XLSX workbooks → the same numbered lines and cells the text readers produce.

Departments that publish spreadsheets usually put one table on each sheet, with the title and the
单位 line in merged rows above a merged header. A merged cell keeps its text in its top-left cell and
leaves the others empty, which is how the tab-separated conversions look too, so the parser needs
nothing new. Numbers are stored as binary floats; a cell reads as it is printed, in its number format
("#,##0.00": 1297.3 → "1,297.30"; "0%": 0.98 → "98%"), never as a float. A formula cell reads as the
value the workbook saved with it; a workbook saved by a program that does not calculate has none, and
then a constant formula (=100%, ="text") is its constant and any other formula a blank, with a warning.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.read.grid import LineWriter
from cnbudget.read.source import CellCount, ReadOptions, Source


@dataclass(frozen=True, slots=True)
class _Section:
    """One section of an Excel number format ("#,##0.00;[Red]-#,##0.00" has two), parsed."""

    prefix: str = ""
    suffix: str = ""
    minimum: int = 1
    """Integer digits always printed ("000" pads 7 to 007; "#.00" prints .50)."""
    decimals: int = 0
    optional: int = 0
    """Further decimals printed only when not zero ("0.0#")."""
    grouped: bool = False
    """Thousands separators ("#,##0")."""
    scale: int = 0
    """Powers of ten the value is shifted by: +2 per "%", -3 per trailing comma ("#,##0,")."""
    general: bool = True
    """No digit pattern of its own (General, "@", or one this reader does not render): printed plainly."""
    digits: bool = True
    """False for a section of text only ("-" for zeros in "#,##0.00;-#,##0.00;\"-\""): it prints its text."""


_GENERAL = _Section()
_DATE_LETTERS = frozenset("yYmMdDhHsSeEgGbB/")
"""Letters of date, time, scientific and fraction patterns: such a format is not rendered (see `cell_text`)."""


def _split_sections(number_format: str) -> list[str]:
    sections, part, quoted, i = [], [], False, 0
    while i < len(number_format):
        ch = number_format[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and not quoted and i + 1 < len(number_format):
            part.append(number_format[i : i + 2])
            i += 2
            continue
        elif ch == ";" and not quoted:
            sections.append("".join(part))
            part = []
            i += 1
            continue
        part.append(ch)
        i += 1
    sections.append("".join(part))
    return sections


def _parse_section(text: str) -> _Section:
    """A section's literal text before and after its digit pattern, and the pattern's rules."""
    if not text or text.strip().lower() in ("general", "@"):
        return _GENERAL
    literal: list[str] = []
    prefix: str | None = None
    pattern: list[str] = []
    scale = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            close = text.find('"', i + 1)
            close = len(text) if close < 0 else close
            literal.append(text[i + 1 : close])
            i = close + 1
            continue
        if ch == "\\" and i + 1 < len(text):
            literal.append(text[i + 1])
        elif ch in "_*" and i + 1 < len(text):
            pass  # padding to a character's width, or a fill: no printed character of its own
        elif ch == "[":
            close = text.find("]", i)
            close = len(text) if close < 0 else close
            code = text[i + 1 : close]
            if code.startswith("$"):  # [$¥-804]: a currency symbol and a locale
                literal.append(code[1:].split("-", 1)[0])
            i = close + 1  # colours ([Red]) and conditions ([>=100]) print nothing
            continue
        elif ch in "0#?.," or (ch.isdigit() and pattern):
            if prefix is None:
                prefix, literal = "".join(literal), []
            elif literal:  # digits after literal text: a pattern this reader does not render
                return _GENERAL
            pattern.append(ch)
        elif ch == "%":
            scale += 2
            literal.append(ch)
        elif ch in _DATE_LETTERS or ch == "@":
            return _GENERAL
        else:
            literal.append(ch)
        i += 1 + (ch in "\\_*")
    if prefix is None:
        return _Section(prefix="".join(literal), general=False, digits=False) if literal else _GENERAL
    digits = "".join(pattern)
    whole, _, fraction = digits.partition(".")
    stripped = whole.rstrip(",")
    scale -= 3 * (len(whole) - len(stripped))
    return _Section(
        prefix=prefix,
        suffix="".join(literal),
        minimum=stripped.count("0"),
        decimals=fraction.count("0"),
        optional=sum(fraction.count(c) for c in "#?"),
        grouped="," in stripped,
        scale=scale,
        general=False,
    )


@cache
def _sections(number_format: str) -> tuple[_Section, ...]:
    return tuple(_parse_section(s) for s in _split_sections(number_format or "General"))


def _plain(number: Decimal, is_float: bool) -> str:
    if is_float and number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return format(number, "f")


def format_number(number: Decimal, number_format: str, is_float: bool = True) -> str:
    """The number as Excel prints it in a cell of this number format.

    Renders what disclosures use: the positive, negative and zero sections, decimals ("0.00", "0.0#"),
    thousands separators, percent, literal text ("#,##0.00\"万元\"", [$¥-804]) and padding. A date, time,
    scientific or fraction pattern prints the plain number (dates arrive as dates, not numbers)."""
    sections = _sections(number_format)
    section, sign = sections[0], "-" if number < 0 else ""
    if number < 0 and len(sections) >= 2 and not sections[1].general:
        section, number = sections[1], -number
        if any(mark in section.prefix + section.suffix for mark in "-(−"):
            sign = ""  # the section prints its own sign: (1,234.00)
        # else a negative shown only by colour ("#,##0.00;[Red]#,##0.00") keeps its minus: a value, not ink
    elif number == 0 and len(sections) >= 3 and not sections[2].general:
        section = sections[2]
    if section.general:
        return _plain(number, is_float)
    if not section.digits:
        return section.prefix
    number = abs(number).scaleb(section.scale)
    places = section.decimals + section.optional
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, fraction = format(number, "f").partition(".")
    if section.optional:
        fraction = fraction[: section.decimals] + fraction[section.decimals :].rstrip("0")
    whole = whole.lstrip("0").rjust(section.minimum, "0")
    if section.grouped:
        whole = f"{int(whole or 0):,}" if whole else ""
    if sign and number == 0:
        sign = ""  # -0.001 printed with two decimals is 0.00, not -0.00
    return sign + section.prefix + whole + ("." + fraction if fraction else "") + section.suffix


def cell_text(value: Any, number_format: str) -> str:
    """The cell as printed: numbers in their number format (decimals, separators, percent), text as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return str(value)
        if not number.is_finite():
            return str(value)
        return format_number(number, number_format, isinstance(value, float))
    if isinstance(value, datetime | date):
        return value.strftime("%Y年%m月%d日")
    return str(value).replace("\n", "").replace("\r", "")


_CONSTANT = re.compile(r"=\s*\+?(-?(?:\d+\.?\d*|\.\d+))\s*(%?)\s*")
_STRING = re.compile(r'=\s*"((?:[^"]|"")*)"\s*')
_UNCACHED = re.compile(
    rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*(?:</(?:\w+:)?c>|<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)"
)
"""A formula cell stored without the value it calculated (its <f> followed by no <v> or an empty one)."""


def formula_text(formula: str, number_format: str) -> str | None:
    """The printed text of a formula whose value was not saved, when it is a constant; else None.

    =100% prints 100% (Excel gives a percent constant a percent format), or in the cell's own format;
    ="text" prints the text."""
    m = _CONSTANT.fullmatch(formula)
    if m:
        number, percent = Decimal(m.group(1)), bool(m.group(2))
        if percent and all(section.general for section in _sections(number_format)):
            return m.group(1) + "%"
        return format_number(number.scaleb(-2) if percent else number, number_format)
    m = _STRING.fullmatch(formula)
    return m.group(1).replace('""', '"') if m else None


def _has_uncached_formulas(data: bytes) -> bool:
    """Does any sheet hold a formula without its saved value? Sheets are scanned in pieces, not unpacked."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if "worksheets/" not in name or not name.endswith(".xml"):
                continue
            with archive.open(name) as stream:
                tail = b""
                while chunk := stream.read(1 << 16):  # under glibc's mmap threshold (see `read_path`)
                    if _UNCACHED.search(tail + chunk):
                        return True
                    tail = chunk[-256:]
    return False


def read_xlsx(data: bytes, path: str, options: ReadOptions | None = None) -> Source:
    """Sheets are streamed (openpyxl's read-only mode): memory grows with the lines kept, not the XML.

    The sheet's declared dimension is ignored: a hostile one would pad every row to 16,384 columns, and
    rows as stored give the same lines (trailing empty cells are dropped anyway)."""
    from openpyxl import load_workbook

    cells = CellCount((options or ReadOptions()).max_cells, path)
    # openpyxl prints to standard output when a style index of a damaged workbook is out of range ("0 is
    # out of range") before it raises: that would land in the middle of a JSON report on stdout
    with contextlib.redirect_stdout(io.StringIO()):
        return _read_workbook(load_workbook, data, path, cells)


def _rows_with_formulas(sheet: Any, as_written: Any, writer: LineWriter, cells: CellCount) -> list[str]:
    """A sheet whose formulas were saved without their values: a constant formula reads as its constant,
    any other as a blank, with a warning that names the first of them."""
    unknown: list[str] = []
    for row, written in zip(sheet.iter_rows(), as_written.iter_rows(), strict=True):
        cells.add(max(len(row), 1))
        texts = []
        for c, w in zip(row, written, strict=True):
            text = cell_text(c.value, c.number_format)
            if c.value is None and getattr(w, "data_type", "") == "f":
                found = formula_text(str(w.value), c.number_format)
                if found is None:
                    unknown.append(f"{w.coordinate} {w.value}")
                text = found or ""
            texts.append(text)
        writer.row(texts)
    if not unknown:
        return []
    shown = "、".join(unknown[:3]) + (" …" if len(unknown) > 3 else "")
    return [
        t(
            f"工作表“{sheet.title}”有 {len(unknown)} 个公式单元格没有保存计算结果，按空白读取"
            f"（{shown}）；请在 Excel 或 WPS 中打开并保存后再读取",
            f"sheet {sheet.title!r} has {len(unknown)} formula cell(s) saved without their values, "
            f"read as blank ({shown}); open and save the workbook in Excel or WPS and read it again",
        )
    ]


def _read_workbook(load_workbook: Any, data: bytes, path: str, cells: CellCount) -> Source:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = (  # the formulas themselves, read beside the values only when some values are missing
            load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            if _has_uncached_formulas(data)
            else None
        )
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
            if formulas is None:
                for row in sheet.iter_rows():
                    cells.add(max(len(row), 1))
                    writer.row([cell_text(c.value, c.number_format) for c in row])
                continue
            as_written = formulas.worksheets[sheet_number - 1]
            as_written.reset_dimensions()
            warnings += _rows_with_formulas(sheet, as_written, writer, cells)
    except InputError:
        raise
    except Exception as exc:  # damaged sheet XML shows only while it is streamed
        why = f"{type(exc).__name__}: {exc}"
        raise InputError(
            t(f"无法读取的 XLSX 工作簿（{why}）", f"not a readable XLSX workbook ({why})"), path
        ) from exc
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()
    lines = writer.lines
    if not any(line.text for line in lines):
        raise InputError(t("工作簿中没有有内容的单元格", "the workbook has no cells with content"), path)
    digest = hashlib.sha256(data).hexdigest()
    return Source(path=path, lines=lines, sha256=digest, format="xlsx", warnings=warnings)
