"""DOCX (python-docx): paragraphs and tables in document order → lines.

Word repeats a merged cell at every grid position it covers; only its first position keeps the text.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.read.grid import LineWriter
from cnbudget.read.source import Source


def _table_rows(table: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    above: list[Any] = []
    for row in table.rows:
        cells = row.cells
        texts: list[str] = []
        previous = None
        for i, cell in enumerate(cells):
            same_as_left = previous is not None and cell._tc is previous
            same_as_above = i < len(above) and cell._tc is above[i]
            texts.append("" if same_as_left or same_as_above else cell.text)
            previous = cell._tc
        above = [cell._tc for cell in cells]
        rows.append(texts)
    return rows


def read_docx(data: bytes, path: str) -> Source:
    try:
        import docx
    except ImportError as exc:
        raise InputError(
            t(
                '读取 DOCX 需要 python-docx：pip install "cnbudget[docx]"',
                'reading DOCX needs python-docx: pip install "cnbudget[docx]"',
            ),
            path,
        ) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for damaged parts
        why = f"{type(exc).__name__}: {exc}"
        raise InputError(
            t(f"无法读取的 DOCX 文档（{why}）", f"not a readable DOCX document ({why})"), path
        ) from exc
    writer = LineWriter()
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for cells in _table_rows(block):
                writer.row(cells)
        else:
            writer.text(block.text)
    if not any(line.text for line in writer.lines):
        raise InputError(t("文档中没有文字", "the document has no text"), path)
    return Source(path=path, lines=writer.lines, sha256=hashlib.sha256(data).hexdigest(), format="docx")
