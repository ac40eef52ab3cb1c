"""DOCX (python-docx): paragraphs and tables in document order → lines.

Word repeats a merged cell at every grid position it covers; only its first position keeps the text.
The text of a paragraph is taken with one compiled XPath, the same elements python-docx reads (runs and
hyperlinks' runs; tabs, breaks and non-breaking hyphens as python-docx prints them): python-docx compiles
its XPath on every call, and finds the body's paragraphs and tables with an XPath union that libxml2
evaluates in quadratic time: together they made a 1 MB document take minutes.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from cnbudget.domain.errors import InputError
from cnbudget.read.grid import LineWriter
from cnbudget.read.source import CellCount, ReadOptions, Source, too_deep

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _TBL = f"{{{_W}}}p", f"{{{_W}}}tbl"
_PIECES = ("w:br", "w:cr", "w:noBreakHyphen", "w:ptab", "w:t", "w:tab")


def _compiled() -> tuple[Any, Any]:
    from lxml import etree

    pieces = " | ".join(f"{run}/{piece}" for run in ("w:r", "w:hyperlink/w:r") for piece in _PIECES)
    return etree.XPath(pieces, namespaces={"w": _W}), etree.XPath("w:p", namespaces={"w": _W})


def _paragraph_text(p: Any, pieces: Any) -> str:
    return "".join(str(e) for e in pieces(p))  # python-docx gives each piece its text equivalent


def _table_rows(table: Any, xpaths: tuple[Any, Any], count: CellCount) -> list[list[str]]:
    pieces, paragraphs = xpaths
    rows: list[list[str]] = []
    above: list[Any] = []
    for row in table.rows:
        cells = row.cells
        count.add(max(len(cells), 1))
        texts: list[str] = []
        previous = None
        for i, cell in enumerate(cells):
            same_as_left = previous is not None and cell._tc is previous
            same_as_above = i < len(above) and cell._tc is above[i]
            if same_as_left or same_as_above:
                texts.append("")
            else:
                texts.append("\n".join(_paragraph_text(p, pieces) for p in paragraphs(cell._tc)))
            previous = cell._tc
        above = [cell._tc for cell in cells]
        rows.append(texts)
    return rows


def _depth(root: Any, limit: int, path: str) -> None:
    """Refuse markup nested deeper than `limit`: one XPath step per level, evaluated inside lxml."""
    if root.getroottree().xpath("boolean(/" + "/".join(["*"] * (limit + 1)) + ")"):
        raise too_deep(limit, path)


def read_docx(data: bytes, path: str, options: ReadOptions | None = None) -> Source:
    options = options or ReadOptions()
    try:
        import docx
        from docx.table import Table
    except ImportError as exc:
        raise InputError('reading DOCX needs python-docx: pip install "cnbudget[docx]"', path) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for damaged parts
        if "depth" in str(exc).lower():  # lxml stops at 256 levels
            raise too_deep(options.max_depth, path) from exc
        raise InputError(f"not a readable DOCX document ({type(exc).__name__}: {exc})", path) from exc
    _depth(document.element, options.max_depth, path)
    count = CellCount(options.max_cells, path)
    xpaths = _compiled()
    writer = LineWriter()
    for child in document.element.body.iterchildren(_P, _TBL):  # python-docx's own iteration is quadratic
        if child.tag == _TBL:
            for cells in _table_rows(Table(child, document._body), xpaths, count):
                writer.row(cells)
        else:
            writer.text(_paragraph_text(child, xpaths[0]))
    if not any(line.text for line in writer.lines):
        raise InputError("the document has no text", path)
    return Source(path=path, lines=writer.lines, sha256=hashlib.sha256(data).hexdigest(), format="docx")
