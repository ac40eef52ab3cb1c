"""PDF with a text layer → the same numbered lines and cells the text readers produce.

PDFium (through pypdfium2, Apache/BSD) gives every character with its box and every path (the ruling
lines) in a few milliseconds a page; pdfminer-based table extraction takes seconds for the same file.
`layout` turns them into rows of cells. Pages without a text layer go to OCR when it is installed.
"""

from __future__ import annotations

import ctypes
import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Any

from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.domain.text import normalize_text
from cnbudget.read import ocr
from cnbudget.read.layout import (
    LAYOUT,
    Char,
    LayoutSettings,
    Row,
    Rule,
    grid_rows,
    reading_turn,
    text_lines,
    turn,
)
from cnbudget.read.source import (
    BASE_SECONDS,
    MAX_AUTO_SECONDS,
    OCR_PAGE_SECONDS,
    Line,
    ReadOptions,
    Source,
    make_line,
)


def _page_chars(textpage: Any, height: float, raw: Any, page: Any = None) -> tuple[list[Char], int]:
    """Characters in top-left coordinates; the count of glyphs without a Unicode mapping.

    Spaces PDFium inferred from gaps are left out (`layout` reads gaps itself), except where a space was
    printed: PDFium ignores a text object that draws no ink, so a space set in a run of its own (a Latin
    font between Chinese runs: "≥20000路 历史标准") is dropped, and the space it infers in its place is
    the printed one (`_inkless_text`)."""
    chars: list[Char] = []
    unmapped = 0
    handle = textpage.raw
    rect = raw.FS_RECTF()
    box = ctypes.byref(rect)
    inferred: list[tuple[float, float, Char, int]] = []
    for i in range(raw.FPDFText_CountChars(handle)):
        code = raw.FPDFText_GetUnicode(handle, i)
        if raw.FPDFText_IsGenerated(handle, i) == 1:
            if code == 0x20 and chars and page is not None:
                raw.FPDFText_GetLooseCharBox(handle, i, box)
                inferred.append((rect.left, height - rect.bottom, chars[-1], len(chars)))
            continue
        if code in (0, 0xFFFE, 0xFFFD) or 0xD800 <= code <= 0xDFFF:
            # no character, or half of a UTF-16 pair a damaged font maps alone (not text: it cannot even be
            # written as UTF-8)
            unmapped += 1
            continue
        ch = chr(code)
        if ch.isspace() and ch not in " \u3000":
            continue  # line breaks
        raw.FPDFText_GetLooseCharBox(handle, i, box)  # the raw call: a wrapper per character costs more
        chars.append(Char(ch, rect.left, height - rect.top, rect.right, height - rect.bottom))
    # only where the gap is too narrow for the layout to read a space in it by itself
    narrow = [
        (x, y, before, after)
        for x, y, before, following in inferred
        if following < len(chars)
        and abs((after := chars[following]).cy - before.cy) < before.height / 2
        and 0 <= after.x0 - before.x1 <= LAYOUT.column_gap * max(before.height, after.height, 1.0)
    ]
    if narrow:
        printed = _inkless_text(raw, page.raw, height)
        for x, y, before, after in narrow:
            if any(abs(x - px) <= _SAME_POINT and abs(y - py) <= _SAME_POINT for px, py in printed):
                chars.append(Char(" ", x, before.top, max(x, after.x0), before.bottom))
    return chars, unmapped


_SAME_POINT = 0.5
"""Points within which an inferred space stands where an inkless text object was printed."""


def _inkless_text(
    raw: Any, parent: Any, height: float, form: bool = False, depth: int = 0
) -> set[tuple[float, float]]:
    """Where the page's text objects that draw no ink (spaces in runs of their own) start: (x, baseline)."""
    found: set[tuple[float, float]] = set()
    edges = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(e) for e in edges]
    count = raw.FPDFFormObj_CountObjects(parent) if form else raw.FPDFPage_CountObjects(parent)
    for i in range(max(count, 0)):
        handle = raw.FPDFFormObj_GetObject(parent, i) if form else raw.FPDFPage_GetObject(parent, i)
        kind = raw.FPDFPageObj_GetType(handle)
        if kind == raw.FPDF_PAGEOBJ_FORM and depth < 2:
            found |= _inkless_text(raw, handle, height, True, depth + 1)
        elif kind == raw.FPDF_PAGEOBJ_TEXT and raw.FPDFPageObj_GetBounds(handle, *refs):
            left, bottom, right, _top = (e.value for e in edges)
            if right - left < _SAME_POINT:
                found.add((left, height - bottom))
    return found


def _visible(handle: Any, raw: Any, settings: LayoutSettings) -> tuple[bool, bool]:
    """(drawn by its stroke, drawn by its fill): paint that cannot be seen on white paper draws nothing.

    Spreadsheet exports paint every cell's white background as thin filled shapes; read as rules they
    would cut the visible cells into rows that are not there."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(handle, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return True, True
    rgba = [ctypes.c_uint() for _ in range(4)]

    def seen(getter: Any) -> bool:
        if not getter(handle, *(ctypes.byref(c) for c in rgba)):
            return True
        r, g, b, a = (c.value for c in rgba)
        return a > 0 and min(r, g, b) < settings.invisible_from

    return bool(stroke.value) and seen(raw.FPDFPageObj_GetStrokeColor), bool(fill_mode.value) and seen(
        raw.FPDFPageObj_GetFillColor
    )


MAX_FORM_DEPTH = 64
"""Forms inside forms are followed this deep (a page re-wrapped by every tool it passed through has a few
levels; the bound only keeps a self-referencing damaged file from recursing forever)."""


def _paths(raw: Any, parent: Any, form: bool, depth: int = 0, max_depth: int = MAX_FORM_DEPTH) -> Any:
    """Raw handles of the path objects of a page (or of a form XObject), descending into nested forms.

    Through the raw API: a page of a spreadsheet export holds thousands of paths, and wrapping each in
    a Python object costs more than reading the page's text."""
    count = raw.FPDFFormObj_CountObjects(parent) if form else raw.FPDFPage_CountObjects(parent)
    for i in range(max(count, 0)):
        handle = raw.FPDFFormObj_GetObject(parent, i) if form else raw.FPDFPage_GetObject(parent, i)
        kind = raw.FPDFPageObj_GetType(handle)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            yield handle
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < max_depth:
            yield from _paths(raw, handle, True, depth + 1, max_depth)


def _page_rules(
    page: Any, width: float, height: float, raw: Any, settings: LayoutSettings = LAYOUT
) -> tuple[list[Rule], list[Rule]]:
    thin = settings.rule_max_thickness
    horizontal: list[Rule] = []
    vertical: list[Rule] = []
    edges = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(e) for e in edges]
    for handle in _paths(raw, page.raw, False):
        stroked, filled = _visible(handle, raw, settings)
        if not stroked and not filled:
            continue
        if not raw.FPDFPageObj_GetBounds(handle, *refs):
            continue
        left, bottom, right, top = (e.value for e in edges)
        w, h = right - left, top - bottom
        if h < thin <= w:
            horizontal.append(Rule(height - (top + bottom) / 2, left, right))
        elif w < thin <= h:
            vertical.append(Rule((left + right) / 2, height - top, height - bottom))
        elif stroked and w >= thin and h >= thin and w * h < settings.max_box_share * width * height:
            # a stroked rectangle: its four edges are rules (cell borders drawn as boxes)
            upper, lower = height - top, height - bottom
            horizontal += [Rule(upper, left, right), Rule(lower, left, right)]
            vertical += [Rule(left, upper, lower), Rule(right, upper, lower)]
    return horizontal, vertical


def _append(lines: list[Line], rows: list[Row], page_number: int, ocr: bool) -> None:
    for row in sorted(rows, key=lambda r: r.top):
        number = len(lines) + 1
        if len(row.cells) == 1:  # text keeps its leading spaces: they align space-separated tables
            line = make_line(number, normalize_text(row.cells[0]).rstrip(), page_number, normalized=True)
            line.boxes = row.boxes
        else:
            cells = [normalize_text(c).strip() for c in row.cells]
            line = Line(number, None, cells, "tab", page_number, 0, row.boxes)
        line.ocr = ocr
        lines.append(line)


def _rows(chars: list[Char], horizontal: list[Rule], vertical: list[Rule]) -> list[Row]:
    grid, free = grid_rows(chars, horizontal, vertical) if horizontal and vertical else ([], chars)
    return [*grid, *text_lines(free)]


def _stopped(page: int, pages: int, limit: float, options: ReadOptions) -> str:
    if options.max_seconds is not None:
        return t(
            f"在第 {page} 页（共 {pages} 页）停止读取：已用时超过 {limit:g} 秒",
            f"reading stopped at page {page} of {pages} after {limit:g} s",
        )
    return t(
        f"在第 {page} 页（共 {pages} 页）停止读取：已用时超过自动限时 {limit:g} 秒（{BASE_SECONDS:g} 秒，"
        f"每页 OCR 另加 {OCR_PAGE_SECONDS:g} 秒，至多 {MAX_AUTO_SECONDS:g} 秒）",
        f"reading stopped at page {page} of {pages} after {limit:g} s, the automatic limit ({BASE_SECONDS:g} s "
        f"plus {OCR_PAGE_SECONDS:g} s per page read by OCR, at most {MAX_AUTO_SECONDS:g} s)",
    )


def read_pdf(data: bytes, path: str, options: ReadOptions | None = None) -> Source:
    options = options or ReadOptions()
    started = time.monotonic()
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise InputError(t("读取 PDF 需要 pypdfium2（pip install pypdfium2）",
                           "reading PDF needs the pypdfium2 package (pip install pypdfium2)"), path) from exc  # fmt: skip
    document = _open(pdfium, data, path)
    pages = _Pages()
    lines: list[Line] = []
    try:
        _check_pages(len(document), options.max_pages, path)
        can_ocr = options.ocr and ocr.available()
        for index in range(len(document)):
            limit = options.time_limit(len(pages.recognised))
            if time.monotonic() - started > limit:
                raise InputError(
                    _stopped(index + 1, len(document), limit, options), path, setting="max_seconds"
                )
            _read_page(document, index, pdfium, raw, can_ocr, lines, pages)
            if options.progress is not None:
                options.progress(index + 1, len(document), index + 1 in pages.recognised[-1:])
        if all(line.layout == "blank" or not line.text.strip() for line in lines):
            raise InputError(t("PDF 所有页面都没有文字层（扫描件），且", "the PDF has no text layer on any page (a scan) and ")
                             + _no_ocr(options.ocr), path, setting="ocr_component" if options.ocr else "ocr")  # fmt: skip
        page_count = len(document)
    finally:
        document.close()
    return Source(
        path=path, lines=lines, sha256=hashlib.sha256(data).hexdigest(), format="pdf",
        warnings=pages.warnings(options.ocr), pages=page_count,
    )  # fmt: skip


def _open(pdfium: Any, data: bytes, path: str) -> Any:
    """The document, or an input error that says why it cannot be opened (encrypted, no pages, damaged)."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise InputError(t("PDF 已加密（有密码保护），cnbudget 无法读取",
                               "the PDF is encrypted (password protected); cnbudget cannot read it"), path) from exc  # fmt: skip
        if re.search(rb"/Count\s*0\b", data) and not re.search(rb"/Type\s*/Page\b(?!s)", data):
            raise InputError(t("PDF 没有页面", "the PDF has no pages"), path) from exc
        raise InputError(t(f"无法读取的 PDF（{message}）", f"not a readable PDF ({message})"), path) from exc


def _check_pages(count: int, max_pages: int, path: str) -> None:
    if count == 0:
        raise InputError(t("PDF 没有页面", "the PDF has no pages"), path)
    if count > max_pages:
        raise InputError(t(f"PDF 有 {count} 页，超过上限 {max_pages} 页",
                           f"the PDF has {count} pages, more than the limit of {max_pages}"), path,
                         setting="max_pages")  # fmt: skip


@dataclass(slots=True)
class _Pages:
    """What happened to the pages that were not simply read: recognised by OCR, damaged, left unread, and
    the warnings of the pages read with glyphs that have no Unicode mapping."""

    recognised: list[int] = field(default_factory=list)
    damaged: list[int] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)

    def warnings(self, use_ocr: bool) -> list[str]:
        out = list(self.unmapped)
        if self.recognised:
            pages = ", ".join(str(p) for p in self.recognised)
            out.append(t(f"以下页面经 OCR 识别（数值已标注；请核对依据这些页面的审核发现）：{pages}",
                         f"pages read by OCR (values marked; check findings that rest on them): {pages}"))  # fmt: skip
        if self.damaged:
            pages = ", ".join(str(p) for p in self.damaged)
            out.append(t(f"以下页面已损坏，无法打开，未读取：{pages}",
                         f"damaged pages that cannot be opened, not read: {pages}"))  # fmt: skip
        if self.unread:
            pages, why = ", ".join(str(p) for p in self.unread), _no_ocr(use_ocr)
            out.append(t(f"以下页面没有可用的文字层，未读取（{why}）：{pages}",
                         f"pages without a usable text layer, not read ({why}): {pages}"))  # fmt: skip
        return out


def _read_page(
    document: Any, index: int, pdfium: Any, raw: Any, can_ocr: bool, lines: list[Line], pages: _Pages
) -> None:
    """One page's lines: from its text layer, else by OCR (when it has no usable text), else it is noted as
    unread; a damaged page object is noted and skipped, the others are still read."""
    try:
        page = document[index]
        textpage = page.get_textpage()
    except pdfium.PdfiumError:
        pages.damaged.append(index + 1)
        return
    width, height = page.get_size()
    rotated = page.get_rotation() in (90, 270)
    if rotated:
        width, height = height, width  # characters and paths are in the unrotated page's space
    chars, unmapped = _page_chars(textpage, height, raw, page)
    if not chars and raw.FPDFPage_CountObjects(page.raw) == 0:
        pass  # an empty page: nothing to read, nothing to recognise
    elif unmapped > max(20, len(chars)) or not chars:
        if can_ocr:
            words, horizontal, vertical = ocr.read_page(page)
            _append(lines, _rows(words, horizontal, vertical), index + 1, ocr=True)
            pages.recognised.append(index + 1)
        else:
            pages.unread.append(index + 1)
    else:
        if unmapped:
            pages.unmapped.append(
                t(f"第 {index + 1} 页：{unmapped} 个字形没有 Unicode 映射（(cid:…)），已跳过；请核对本页数字",
                  f"page {index + 1}: {unmapped} glyphs have no Unicode mapping ((cid:…)) and were "
                  "skipped; check the figures on this page")
            )  # fmt: skip
        horizontal, vertical = _page_rules(page, width, height, raw)
        degrees = reading_turn(chars) if rotated else 0
        if degrees:
            chars, horizontal, vertical = turn(chars, horizontal, vertical, degrees, width, height)
        _append(lines, _rows(chars, horizontal, vertical), index + 1, ocr=False)
    textpage.close()
    page.close()


def _no_ocr(use_ocr: bool) -> str:
    if not use_ocr:
        return t("OCR 已关闭", "OCR is switched off")
    return t("未安装 OCR 组件", "the OCR component is not installed")  # how to install it: the face says
