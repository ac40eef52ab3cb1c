"""DOCX: the body's paragraphs and tables in document order → lines, streamed with lxml.

The document part is read with `lxml.etree.iterparse` and each paragraph or table of the body is let go
once it is turned into lines, so memory grows with the lines kept, not with the XML tree (python-docx
builds the whole tree: about 90× the file). The text is what python-docx prints for the same elements:
a paragraph's runs and hyperlinks' runs, with tabs, breaks and non-breaking hyphens as python-docx gives
them; a cell's paragraphs joined by line breaks. Word repeats a merged cell at every grid position it
covers (``gridSpan`` across, ``vMerge`` down); only its first position keeps the text.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.read.grid import LineWriter
from cnbudget.read.source import DEPTH_CEILING, CellCount, ReadOptions, Source, too_deep

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_BODY, _P, _TBL, _TR, _TC = (f"{{{_W}}}{name}" for name in ("body", "p", "tbl", "tr", "tc"))
_VAL = f"{{{_W}}}val"
_TEXTS = {f"{{{_W}}}t": None, f"{{{_W}}}tab": "\t", f"{{{_W}}}ptab": "\t", f"{{{_W}}}cr": "\n"}
_TEXTS |= {f"{{{_W}}}noBreakHyphen": "-"}
_BR = f"{{{_W}}}br"
_WRAPPERS = {f"{{{_W}}}{name}" for name in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag")}
"""Elements Word wraps blocks, rows and cells in (content controls, custom XML, tracked insertions):
looked through, as if their content stood in their place."""
_TYPE = f"{{{_W}}}type"


def _compiled() -> tuple[Any, Any, Any]:
    from lxml import etree

    # every run of the paragraph, however Word wrapped it — tracked insertions (w:ins, w:moveTo), smart
    # tags, content controls, fields, custom XML, hyperlinks — but not deleted or moved-away text, and not
    # the paragraphs of a text box anchored in it
    pieces = ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]" \
        "/*[self::w:t or self::w:tab or self::w:ptab or self::w:cr or self::w:br or self::w:noBreakHyphen]"  # fmt: skip
    return (
        etree.XPath(pieces, namespaces=_NS),
        etree.XPath("w:tcPr/w:gridSpan/@w:val", namespaces=_NS),
        etree.XPath("w:tcPr/w:vMerge", namespaces=_NS),
    )


def _paragraph_text(p: Any, pieces: Any) -> str:
    out = []
    for e in pieces(p):
        if e.tag == _BR:  # a line break; page and column breaks print nothing (as in python-docx)
            out.append("\n" if e.get(_TYPE, "textWrapping") == "textWrapping" else "")
        else:
            fixed = _TEXTS[e.tag]
            out.append(e.text or "" if fixed is None else fixed)
    return "".join(out)


def _children(parent: Any, tag: str) -> Any:
    """The children of ``parent`` with this tag, those inside wrappers (`_WRAPPERS`) included."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _body_child(element: Any) -> Any:
    """The body's child that holds ``element`` through wrappers only (itself, or its content control);
    None when ``element`` is in a cell or a text box."""
    node = element
    parent = node.getparent()
    while parent is not None and parent.tag in _WRAPPERS:
        node, parent = parent, parent.getparent()
    if parent is None or parent.tag != _BODY or parent.getparent() is None:
        return None
    return node if parent.getparent().getparent() is None else None


def _span(tc: Any, grid_span: Any) -> int:
    found = grid_span(tc)
    try:
        return max(1, min(int(found[0]), 1000)) if found else 1
    except ValueError:
        return 1


def _table_rows(tbl: Any, xpaths: tuple[Any, Any, Any], count: CellCount) -> list[list[str]]:
    """Each row's grid positions: a cell's text at its first position, empty strings where it spans on,
    and empty strings for the rows a vertically merged cell continues into."""
    pieces, grid_span, v_merge = xpaths
    rows: list[list[str]] = []
    for tr in _children(tbl, _TR):
        texts: list[str] = []
        for tc in _children(tr, _TC):
            span = _span(tc, grid_span)
            count.add(span)
            merged = v_merge(tc)
            if merged and merged[0].get(_VAL, "continue") == "continue":
                texts.extend("" for _ in range(span))  # the cell above goes on down
                continue
            texts.append("\n".join(_paragraph_text(p, pieces) for p in _children(tc, _P)))
            texts.extend("" for _ in range(span - 1))
        if not texts:
            count.add(1)
        rows.append(texts)
    return rows


def read_docx(data: bytes, path: str, options: ReadOptions | None = None) -> Source:
    from lxml import etree

    options = options or ReadOptions()
    limit = min(options.max_depth, DEPTH_CEILING)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("word/document.xml") as part:
            writer = _read_body(part, path, limit, CellCount(options.max_cells, path))
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():  # libxml2 stops at 256 levels
            raise too_deep(limit, path) from exc
        raise InputError(
            t(
                f"无法读取的 DOCX 文档（XMLSyntaxError: {exc}）",
                f"not a readable DOCX document (XMLSyntaxError: {exc})",
            ),
            path,
        ) from exc
    except InputError:
        raise
    except Exception as exc:  # zipfile and zlib raise many kinds for a damaged container or member
        why = f"{type(exc).__name__}: {exc}"
        raise InputError(
            t(f"无法读取的 DOCX 文档（{why}）", f"not a readable DOCX document ({why})"), path
        ) from exc
    if not any(line.text for line in writer.lines):
        raise InputError(t("文档中没有文字", "the document has no text"), path)
    return Source(path=path, lines=writer.lines, sha256=hashlib.sha256(data).hexdigest(), format="docx")


def _read_body(part: Any, path: str, limit: int, count: CellCount) -> LineWriter:
    """Only the ends of paragraphs and tables reach Python; those of the body are read, then let go."""
    from lxml import etree

    xpaths = _compiled()
    # a body's child is on level 3 (document, body, child): deeper than `limit` is this many levels below
    too_far = etree.XPath("boolean(" + "/".join(["*"] * max(limit - 2, 1)) + ")")
    writer = LineWriter()
    found = False
    events = etree.iterparse(
        part, events=("end",), tag=(_P, _TBL), resolve_entities=False, no_network=True, huge_tree=False
    )
    for _, element in events:
        top = _body_child(element)
        if top is None:
            continue  # a paragraph in a cell, or in a text box: read with its table, or not at all
        body = top.getparent()
        found = True
        if limit < 3 or too_far(element):
            raise too_deep(limit, path)
        if element.tag == _TBL:
            for cells in _table_rows(element, xpaths, count):
                writer.row(cells)
        else:
            writer.text(_paragraph_text(element, xpaths[0]))
        element.clear()
        while top.getprevious() is not None:  # the body's children already turned into lines
            del body[0]
    root = events.root
    if root is None or root.tag != f"{{{_W}}}document" or (not found and root.find(_BODY) is None):
        raise InputError(
            t("无法读取的 DOCX 文档（主体部分不是 Word 文档正文）",
              "not a readable DOCX document (the main part is not a Word document body)"),
            path,
        )  # fmt: skip
    return writer
