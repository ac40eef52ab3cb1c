"""Test helper: write a text document as an XLSX workbook, as a department's spreadsheet export would be.

Table rows become rows of cells; printed amounts become numbers with a number format that prints them the
same way (1,297.30 → 1297.3 formatted "#,##0.00"); codes stay text; every other line is one cell.
Text that starts with "=" (a target printed as =100%) is a text cell, as it must be in the department's
workbook to print that way: openpyxl would otherwise store it as a formula.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from cnbudget.domain.numbers import amount_text, is_decimal_amount
from cnbudget.read import read_path
from support.paths import FIXTURES


def text_to_xlsx(source: Path, target: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row_number, line in enumerate(read_path(source).lines, start=1):
        if line.layout == "rule":
            continue  # a Markdown separator row has no counterpart in a sheet
        if line.cells is None:
            if line.text.strip():
                _text_cell(sheet.cell(row=row_number, column=1), line.text.rstrip())
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
                _text_cell(cell, text)
    workbook.save(target)


def _text_cell(cell: Any, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # "=100%" printed is text, not a formula


PAGE = (1600.0, 1100.0)
FONT_SIZE = 9.0
ROW_HEIGHT = 14.0
MARGIN = 36.0


FONT_FILE = FIXTURES / "fonts" / "cnbudget-test-sans.ttf"
FONT = "cnbudget-test-sans"


@cache
def _font() -> frozenset[int]:
    """Register the shipped test font (once) and return the characters it covers."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(FONT, str(FONT_FILE))
    pdfmetrics.registerFont(font)
    return frozenset(font.face.charToGlyph)


def _text(text: str) -> str:
    """The text to draw; a character the font lacks would silently vanish from the PDF, so it fails here."""
    missing = sorted({ch for ch in text if ord(ch) not in _font() and ch.isprintable() and not ch.isspace()})
    if missing:
        raise AssertionError(
            f"the test font lacks {''.join(missing)!r}: add them in tools/build_test_font.py and rebuild it"
        )
    return text


def _width(text: str) -> float:
    from reportlab.pdfbase import pdfmetrics

    return float(pdfmetrics.stringWidth(text, FONT, FONT_SIZE))


def text_to_pdf(source: Path, target: Path, turned: bool = False) -> None:
    """Draw a text document as a PDF: table rows in ruled grids, other lines as plain text.

    The font is the one the tests ship (tests/fixtures/fonts), embedded in the PDF, so the test reads the
    same characters and boxes on any machine, with or without CJK fonts; every page is wide enough that no
    cell wraps. `turned` draws each landscape page
    turned a quarter inside a portrait page marked /Rotate 90, as some exporters do.
    """
    from reportlab.pdfgen import canvas

    _font()
    pdf = canvas.Canvas(str(target), pagesize=(PAGE[1], PAGE[0]) if turned else PAGE)

    def start_page() -> float:
        if turned:
            pdf.translate(PAGE[1], 0)
            pdf.rotate(90)
            pdf.setPageRotation(90)
        pdf.setFont(FONT, FONT_SIZE)
        return PAGE[1] - MARGIN

    def new_page() -> float:
        pdf.showPage()
        return start_page()

    lines = [line for line in read_path(source).lines if line.layout != "rule"]
    y = start_page()

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.cells is None:
            if y < MARGIN + ROW_HEIGHT:
                y = new_page()
            if line.text.strip():
                pdf.drawString(MARGIN, y - FONT_SIZE, _text(line.text.rstrip()))
            y -= ROW_HEIGHT
            i += 1
            continue
        block = []
        while i < len(lines) and lines[i].cells is not None:
            block.append(lines[i].cells or [])
            i += 1
        count = max(len(cells) for cells in block)
        widths = [
            max([_width(cells[c].strip()) for cells in block if c < len(cells)] + [FONT_SIZE]) + 8
            for c in range(count)
        ]
        edges = [MARGIN]
        for w in widths:
            edges.append(edges[-1] + w)
        top = y
        for cells in block:
            if y < MARGIN + ROW_HEIGHT:
                pdf.line(edges[0], y, edges[-1], y)  # close the part of the table on this page
                _rule_columns(pdf, edges, top, y)
                y = top = new_page()
            pdf.line(edges[0], y, edges[-1], y)
            for c, raw in enumerate(cells):
                if raw.strip():
                    pdf.drawString(edges[c] + 4, y - ROW_HEIGHT + 3.5, _text(raw.strip()))
            y -= ROW_HEIGHT
        pdf.line(edges[0], y, edges[-1], y)
        _rule_columns(pdf, edges, top, y)
    pdf.save()


def _rule_columns(pdf: object, edges: list[float], top: float, bottom: float) -> None:
    for x in edges:
        pdf.line(x, top, x, bottom)  # type: ignore[attr-defined]


def _blocks(source: Path) -> list[tuple[str, list[list[str]] | str]]:
    """("table", rows) and ("text", line) in document order; Markdown separator rows dropped."""
    out: list[tuple[str, list[list[str]] | str]] = []
    for line in read_path(source).lines:
        if line.layout == "rule":
            continue
        if line.cells is None:
            out.append(("text", line.text.rstrip()))
        elif out and out[-1][0] == "table":
            rows = out[-1][1]
            assert isinstance(rows, list)
            rows.append([c.strip() for c in line.cells])
        else:
            out.append(("table", [[c.strip() for c in line.cells]]))
    return out


def text_to_docx(source: Path, target: Path) -> None:
    """A Word document: tables as Word tables, every other line a paragraph (spaces kept)."""
    import docx

    document = docx.Document()
    for kind, content in _blocks(source):
        if kind == "text":
            assert isinstance(content, str)
            document.add_paragraph(content)
            continue
        assert isinstance(content, list)
        width = max(len(r) for r in content)
        table = document.add_table(rows=0, cols=width)
        for cells in content:
            row = table.add_row().cells  # table.cell(r, c) rescans the table: far too slow here
            for c, text in enumerate(cells):
                if text:
                    row[c].text = text
    document.save(str(target))


def text_to_html(source: Path, target: Path) -> None:
    """A web page: tables as <table>, text as <p>, or <pre> where spaces align columns."""
    from html import escape

    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>']
    for kind, content in _blocks(source):
        if kind == "text":
            assert isinstance(content, str)
            aligned = content.startswith(" ") or "  " in content.strip()
            parts.append(f"<pre>{escape(content)}</pre>" if aligned else f"<p>{escape(content)}</p>")
            continue
        assert isinstance(content, list)
        rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in content)
        parts.append(f"<table>{rows}</table>")
    parts.append("</body></html>")
    target.write_text("\n".join(parts), encoding="utf-8")


def assert_reads_like_its_text(name_or_path: Path, converted: Path, fmt: str) -> None:
    """The converted file gives the text's model — facts, performance tables and their indicators,
    self-evaluations, projects, narrative claims (`support.digest.model_digest`) — and the text's error
    findings, and says what it was."""
    from cnbudget import parse_file
    from cnbudget.audit import audit
    from cnbudget.report.document.facts import facts_csv
    from support.digest import digest_differences, model_digest

    original, copy = parse_file(name_or_path), parse_file(converted)
    assert copy.metadata.source_format == fmt
    assert facts_csv(copy) == facts_csv(original)
    differences = digest_differences(model_digest(original), model_digest(copy))
    assert not differences, f"{len(differences)} difference(s) from the text:\n" + "\n".join(differences[:30])

    def errors(doc):  # type: ignore[no-untyped-def]
        return [(f.rule_id, f.actual, f.expected) for f in audit(doc).findings if f.severity == "error"]

    assert errors(copy) == errors(original)


def text_to_xls(source: Path, target: Path) -> None:
    """The same as `text_to_xlsx`, in the Excel 97–2003 format (xlwt)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    styles: dict[str, object] = {}
    for row_number, line in enumerate(read_path(source).lines):
        if line.layout == "rule":
            continue
        if line.cells is None:
            if line.text.strip():
                sheet.write(row_number, 0, line.text.rstrip())
            continue
        for column, raw in enumerate(line.cells):
            text = raw.strip()
            if not text:
                continue
            canonical = amount_text(text)
            if canonical is not None and is_decimal_amount(text):
                decimals = len(canonical.split(".", 1)[1]) if "." in canonical else 0
                pattern = ("#,##0" if "," in text else "0") + ("." + "0" * decimals if decimals else "")
                style = styles.setdefault(pattern, xlwt.easyxf(num_format_str=pattern))
                sheet.write(row_number, column, float(Decimal(canonical)), style)
            else:
                sheet.write(row_number, column, text)
    book.save(str(target))
