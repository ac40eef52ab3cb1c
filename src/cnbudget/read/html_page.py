"""HTML pages (lxml): text blocks and tables in document order → lines.

Budget pages on government sites put each table in a `<table>` with rowspan/colspan headers and the
narrative in paragraphs; scripts, styles and navigation text carry no figures and are dropped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.read.grid import LineWriter, expand_spans
from cnbudget.read.source import CellCount, ReadOptions, Source, too_deep

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "section", "article", "tr", "caption"}
_SKIP = {"script", "style", "noscript", "template", "head"}
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:2048]))


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, int(cell.get(name, "1")))
    except ValueError:
        return 1


def _table(table: Any, writer: LineWriter, count: CellCount) -> None:
    rows = []
    for tr in table.iter("tr"):
        if tr.getparent() is not None and _owning_table(tr) is not table:
            continue  # a row of a nested table
        rows.append(
            [
                (" ".join(td.text_content().split()), _span(td, "colspan"), _span(td, "rowspan"))
                for td in tr
                if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")
            ]
        )
    for cells in expand_spans(rows, count):
        writer.row(cells)


def _owning_table(element: Any) -> Any:
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _walk(element: Any, writer: LineWriter, buffer: list[str], limits: _Limits, depth: int = 0) -> None:
    if depth > limits.max_depth:
        raise too_deep(limits.max_depth, limits.count.path)
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _SKIP:
        return
    if tag == "table":
        _flush(writer, buffer)
        _table(element, writer, limits.count)
    elif tag == "pre":  # preformatted text keeps its spaces: they may align a table
        _flush(writer, buffer)
        writer.text(element.text_content())
    else:
        if tag in _BLOCKS:
            _flush(writer, buffer)
        if element.text and tag:
            buffer.append(element.text)
        for child in element:
            _walk(child, writer, buffer, limits, depth + 1)
        if tag in _BLOCKS:
            _flush(writer, buffer)
    if element.tail:
        buffer.append(element.tail)


@dataclass(slots=True)
class _Limits:
    max_depth: int
    count: CellCount


def _flush(writer: LineWriter, buffer: list[str]) -> None:
    text = " ".join("".join(buffer).split())
    buffer.clear()
    if text:
        writer.text(text)


def read_html(data: bytes, text: str, encoding: str, path: str, options: ReadOptions | None = None) -> Source:
    """`text` is `data` decoded (the caller decoded it to recognise HTML); the hash is of the bytes.

    lxml's parser (its "huge tree" mode off) stops at 256 levels of nesting and then drops the whole
    page; that is told apart from a page without text and refused as too deeply nested."""
    import lxml.html

    options = options or ReadOptions()
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except Exception as exc:  # lxml raises ParserError and ValueError for unusable markup
        if _depth_exceeded(parser):
            raise too_deep(options.max_depth, path) from exc
        raise InputError(
            t(f"无法读取的 HTML 网页（{exc}）", f"not a readable HTML page ({exc})"), path
        ) from exc
    if _depth_exceeded(parser):
        raise too_deep(options.max_depth, path)
    writer = LineWriter()
    buffer: list[str] = []
    _walk(root, writer, buffer, _Limits(options.max_depth, CellCount(options.max_cells, path)))
    _flush(writer, buffer)
    if not any(line.text for line in writer.lines):
        raise InputError(t("HTML 网页中没有文字", "the HTML page has no text"), path)
    digest = hashlib.sha256(data).hexdigest()
    return Source(path=path, lines=writer.lines, sha256=digest, format="html", encoding=encoding)


def _depth_exceeded(parser: Any) -> bool:
    return any("depth" in entry.message.lower() for entry in parser.error_log)
