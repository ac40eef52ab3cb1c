"""PDF with a text layer → the same numbered lines and cells the text readers produce.

PDFium (through pypdfium2, Apache/BSD) gives every character with its box in a few milliseconds a page;
pdfminer-based table extraction takes seconds for the same file. Disclosure tables are drawn as ruled
grids, so cells are rebuilt from the ruling lines: each band between two horizontal rules is one row,
each gap between the vertical rules that cross it one cell, and every character inside is that cell's
text — a label wrapped over two lines stays one cell, and an empty cell stays an empty string.
Characters outside any grid (titles, units, narrative) are grouped into text lines by their baseline.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from cnbudget.errors import InputError
from cnbudget.read.normalize import normalize_text
from cnbudget.read.source import Box, Line, Source, make_line

RULE_MAX_THICKNESS = 3.0
"""A path thinner than this (points) in one direction is a ruling line, not a filled shape."""
SNAP = 1.5
"""Rules closer than this (points) are one rule: converters draw each cell's border separately."""


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Rule:
    """A horizontal rule at `at` (y) from `lo` to `hi` (x), or a vertical one at x from y `lo` to `hi`."""

    at: float
    lo: float
    hi: float


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _page_chars(textpage: Any, height: float, raw: Any) -> tuple[list[Char], int]:
    """Characters in top-left coordinates; the count of glyphs without a Unicode mapping."""
    chars: list[Char] = []
    unmapped = 0
    for i in range(textpage.count_chars()):
        if raw.FPDFText_IsGenerated(textpage, i) == 1:
            continue
        code = raw.FPDFText_GetUnicode(textpage, i)
        if code in (0, 0xFFFE, 0xFFFD):
            unmapped += 1
            continue
        ch = chr(code)
        if ch.isspace() and ch not in " \u3000":
            continue  # line breaks; spaces PDFium inferred were skipped above as generated
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        chars.append(Char(ch, left, height - top, right, height - bottom))
    return chars, unmapped


def _page_rules(page: Any, width: float, height: float, raw: Any) -> tuple[list[Rule], list[Rule]]:
    horizontal: list[Rule] = []
    vertical: list[Rule] = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if h < RULE_MAX_THICKNESS and w >= RULE_MAX_THICKNESS:
            horizontal.append(Rule(height - (top + bottom) / 2, left, right))
        elif w < RULE_MAX_THICKNESS and h >= RULE_MAX_THICKNESS:
            vertical.append(Rule((left + right) / 2, height - top, height - bottom))
        elif w >= RULE_MAX_THICKNESS and h >= RULE_MAX_THICKNESS and w * h < 0.5 * width * height:
            # a stroked rectangle: its four edges are rules (cell borders drawn as boxes)
            t, b = height - top, height - bottom
            horizontal += [Rule(t, left, right), Rule(b, left, right)]
            vertical += [Rule(left, t, b), Rule(right, t, b)]
    return horizontal, vertical


def _text(chars: list[Char]) -> str:
    """Characters of one cell or line in reading order; sub-lines joined without a space (CJK wraps)."""
    if not chars:
        return ""
    rows: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if rows and abs(ch.cy - rows[-1][0].cy) < 0.5 * max(ch.height, rows[-1][0].height, 1.0):
            rows[-1].append(ch)
        else:
            rows.append([ch])
    parts: list[str] = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        out = [row[0].text]
        for prev, ch in zip(row, row[1:], strict=False):
            gap = ch.x0 - prev.x1
            size = max(ch.height, prev.height, 1.0)
            if gap > 0.6 * size:
                # text aligned with spaces keeps its columns: one space per half em of empty paper
                out.append(" " * max(1, round(gap / (0.5 * size))))
            out.append(ch.text)
        parts.append("".join(out))
    return "".join(parts)


def _box(chars: list[Char]) -> Box:
    return (
        round(min(c.x0 for c in chars), 1),
        round(min(c.top for c in chars), 1),
        round(max(c.x1 for c in chars), 1),
        round(max(c.bottom for c in chars), 1),
    )


@dataclass(slots=True)
class _Row:
    top: float
    cells: list[str]
    boxes: list[Box | None]


class _Rules:
    """Rules of one direction indexed by position, each position with the merged spans drawn there."""

    def __init__(self, rules: list[Rule]) -> None:
        spans: dict[float, list[tuple[float, float]]] = {}
        positions = _snap([r.at for r in rules])
        for r in sorted(rules, key=lambda r: r.lo):
            at = positions[bisect_left(positions, r.at - SNAP)]
            merged = spans.setdefault(at, [])
            if merged and r.lo <= merged[-1][1] + SNAP:
                merged[-1] = (merged[-1][0], max(merged[-1][1], r.hi))
            else:
                merged.append((r.lo, r.hi))
        self.positions = positions
        self.spans = spans

    def covers(self, at: float, point: float) -> bool:
        return any(lo - SNAP <= point <= hi + SNAP for lo, hi in self.spans[at])

    def before(self, value: float, point: float) -> float | None:
        """The nearest rule at or before `value` that runs across `point`."""
        i = bisect_right(self.positions, value) - 1
        while i >= 0:
            at = self.positions[i]
            if self.covers(at, point):
                return at
            i -= 1
        return None

    def after(self, value: float, point: float) -> float | None:
        i = bisect_right(self.positions, value)
        while i < len(self.positions):
            at = self.positions[i]
            if self.covers(at, point):
                return at
            i += 1
        return None


def _regions(vertical: list[Rule]) -> list[tuple[float, float]]:
    """Vertical extents of the ruled tables on a page: overlapping vertical rules belong to one table."""
    out: list[tuple[float, float]] = []
    for r in sorted(vertical, key=lambda r: r.lo):
        if out and r.lo <= out[-1][1] + SNAP:
            out[-1] = (out[-1][0], max(out[-1][1], r.hi))
        else:
            out.append((r.lo, r.hi))
    return out


def _grid_rows(
    chars: list[Char], horizontal: list[Rule], vertical: list[Rule]
) -> tuple[list[_Row], list[Char]]:
    """Rows of ruled tables on one page, and the characters that lie outside every grid.

    A cell is the box of rules around a character; a cell spanning several rows or columns belongs to the
    row of its top rule and puts its text in its leftmost column, as spreadsheet exports do.
    """
    hs, vs = _Rules(horizontal), _Rules(vertical)
    regions = _regions(vertical)
    cells: dict[tuple[int, float, float], list[Char]] = {}
    free: list[Char] = []
    for ch in chars:
        cx, cy = ch.cx, ch.cy
        left, right = vs.before(cx, cy), vs.after(cx, cy)
        top, bottom = hs.before(cy, cx), hs.after(cy, cx)
        if left is None or right is None or top is None or bottom is None:
            free.append(ch)
            continue
        region = next((i for i, (lo, hi) in enumerate(regions) if lo - SNAP <= cy <= hi + SNAP), -1)
        cells.setdefault((region, top, left), []).append(ch)
    rows: dict[tuple[int, float], dict[float, list[Char]]] = {}
    for (region, top, left), members in cells.items():
        rows.setdefault((region, top), {})[left] = members
    columns: dict[int, list[float]] = {}
    for i, (lo, hi) in enumerate(regions):
        columns[i] = [x for x in vs.positions if any(a <= hi and b >= lo for a, b in vs.spans[x])][:-1]
    out: list[_Row] = []
    for (region, top), by_left in rows.items():
        leaf = columns.get(region) or sorted(by_left)
        texts = [_text(by_left.get(x, [])) for x in leaf]
        boxes: list[Box | None] = [_box(by_left[x]) if x in by_left else None for x in leaf]
        out.append(_Row(top, texts, boxes))
    return out, free


def _text_lines(chars: list[Char]) -> list[_Row]:
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines and abs(ch.cy - lines[-1][-1].cy) < 0.5 * max(ch.height, lines[-1][-1].height, 1.0):
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return [_Row(min(c.top for c in line), [_text(line)], [_box(line)]) for line in lines]


MAX_PAGES = 1000
"""Disclosures run to a few hundred pages; beyond this a file is refused unless the caller raises it."""


def read_pdf(data: bytes, path: str, max_pages: int = MAX_PAGES) -> Source:
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise InputError("reading PDF needs the pypdfium2 package (pip install pypdfium2)", path) from exc
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise InputError(
                "the PDF is encrypted (password protected); cnbudget cannot read it", path
            ) from exc
        if re.search(rb"/Count\s*0\b", data) and not re.search(rb"/Type\s*/Page\b(?!s)", data):
            raise InputError("the PDF has no pages", path) from exc
        raise InputError(f"not a readable PDF ({message})", path) from exc
    warnings: list[str] = []
    lines: list[Line] = []
    try:
        if len(document) == 0:
            raise InputError("the PDF has no pages", path)
        if len(document) > max_pages:
            raise InputError(
                f"the PDF has {len(document)} pages, more than the limit of {max_pages} (--max-pages)", path
            )
        unread: list[int] = []
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            if page.get_rotation():
                warnings.append(
                    f"page {index + 1} is rotated by {page.get_rotation()}°; its layout may be misread"
                )
            textpage = page.get_textpage()
            chars, unmapped = _page_chars(textpage, height, raw)
            if unmapped > max(20, len(chars)) or not chars:
                unread.append(index + 1)
            horizontal, vertical = _page_rules(page, width, height, raw)
            grid, free = _grid_rows(chars, horizontal, vertical) if horizontal and vertical else ([], chars)
            rows = sorted([*grid, *_text_lines(free)], key=lambda r: r.top)
            for row in rows:
                number = len(lines) + 1
                if len(row.cells) == 1:  # text keeps its leading spaces: they align space-separated tables
                    line = make_line(
                        number, normalize_text(row.cells[0]).rstrip(), index + 1, normalized=True
                    )
                    line.boxes = row.boxes
                    lines.append(line)
                else:
                    cells = [normalize_text(c).strip() for c in row.cells]
                    lines.append(Line(number, "\t".join(cells), cells, "tab", index + 1, 0, row.boxes))
            textpage.close()
            page.close()
        if unread:
            pages = ", ".join(str(p) for p in unread)
            warnings.append(
                f"pages without a usable text layer (scanned or unmapped glyphs), not read: {pages}"
            )
        if all(line.layout == "blank" or not line.text.strip() for line in lines):
            raise InputError("the PDF has no text layer on any page (a scan); OCR is needed to read it", path)
    finally:
        document.close()
    return Source(
        path=path, lines=lines, sha256=hashlib.sha256(data).hexdigest(), format="pdf", warnings=warnings
    )
