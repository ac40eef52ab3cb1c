"""Evidence a reviewer can trust at a glance: the part of the PDF page a finding rests on, cells boxed.

The crop is rendered from the original file (pypdfium2), not redrawn from parsed data, so a parsing
mistake would show. Images are embedded as PNG data URIs to keep the HTML report one file.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from cnbudget.audit.findings import Evidence
from cnbudget.model import SourcePart

SCALE = 1.5
MARGIN_Y = 48.0
"""Points above and below the boxed cells: two or three rows of context. Crops span the page width."""
MAX_CROPS = 200
"""Crops per report: a report on a hopeless document stays small."""


class PageCrops:
    """Renders crops from the PDF file(s) of a document, each opened once; silently does nothing for other
    inputs. A disclosure read from several files numbers its pages on across them (`Metadata.source_files`):
    each page is cropped from its own file."""

    def __init__(self, path: str, source_format: str, parts: list[SourcePart] | None = None) -> None:
        self._files: list[tuple[int, int, Any]] = []
        """(first page in the document, pages, opened PDF)."""
        self._made = 0
        if source_format != "pdf":
            return
        spans = (
            [(p.path, p.first_page or 1, p.pages) for p in parts or []] if parts and len(parts) > 1 else []
        )
        for file, first, count in spans or [(path, 1, 0)]:
            if not Path(file).is_file():
                continue
            try:
                import pypdfium2 as pdfium

                document = pdfium.PdfDocument(file)
            except Exception:  # noqa: BLE001 - the report is still useful without images
                continue
            self._files.append((first, count or len(document), document))

    def close(self) -> None:
        for _, _, document in self._files:
            document.close()

    def _page(self, number: int) -> Any:
        for first, count, document in self._files:
            if first <= number < first + count and number - first < len(document):
                return document[number - first]
        return None

    def for_evidence(self, evidence: list[Evidence]) -> list[tuple[int, str]]:
        """(page, data URI) for each page the evidence cells are on."""
        if not self._files:
            return []
        boxes: dict[int, list[tuple[float, float, float, float]]] = defaultdict(list)
        for ev in evidence:
            if ev.page and ev.bbox:
                boxes[ev.page].append(ev.bbox)
        out = []
        for page_number, page_boxes in sorted(boxes.items())[:3]:
            page = self._page(page_number)
            if self._made >= MAX_CROPS or page is None:
                break
            out.append((page_number, self._crop(page, page_boxes)))
            self._made += 1
        return out

    def _crop(self, page: Any, boxes: list[tuple[float, float, float, float]]) -> str:
        from PIL import ImageDraw

        width, height = page.get_size()
        left, right = 0.0, width
        top = max(0.0, min(b[1] for b in boxes) - MARGIN_Y)
        bottom = min(height, max(b[3] for b in boxes) + MARGIN_Y)
        bitmap = page.render(scale=SCALE, crop=(left, height - bottom, width - right, top))
        image = bitmap.to_pil().convert("RGB")
        draw = ImageDraw.Draw(image)
        for x0, y0, x1, y1 in boxes:
            draw.rectangle(
                [
                    (x0 - left - 2) * SCALE,
                    (y0 - top - 2) * SCALE,
                    (x1 - left + 2) * SCALE,
                    (y1 - top + 2) * SCALE,
                ],
                outline=(200, 30, 30),
                width=2,
            )
        buffer = io.BytesIO()
        image = image.quantize(colors=16)  # black print on white: 16 colours stay legible, 4× smaller
        image.save(buffer, format="PNG", optimize=True)
        page.close()
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def render_page(path: str, page_number: int, scale: float = 2.0) -> tuple[bytes, float, float]:
    """One whole page of a PDF as PNG, with its size in points (the unit of the evidence boxes), for a
    page a reviewer zooms into. Raises InputError when the file or the page is not there."""
    import pypdfium2 as pdfium

    from cnbudget.domain.errors import InputError

    try:
        document = pdfium.PdfDocument(path)
    except Exception as exc:  # noqa: BLE001 - pdfium raises its own error types
        raise InputError("无法打开 PDF 原文件", path=path) from exc
    try:
        if not 1 <= page_number <= len(document):
            raise InputError(f"没有第 {page_number} 页（共 {len(document)} 页）", path=path)
        page = document[page_number - 1]
        width, height = page.get_size()
        image = page.render(scale=scale).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.quantize(colors=32).save(buffer, format="PNG", optimize=False)
    return buffer.getvalue(), float(width), float(height)


Box = tuple[float, float, float, float]


def line_places(path: str) -> dict[int, tuple[int, Box]]:
    """Where each printed line of a PDF is: its page and the box around its text (the union of its cells'
    boxes), by the line number findings carry — so that a sentence or a row can be boxed on its page like a
    cell. Empty for a file that cannot be read again."""
    from cnbudget.domain.errors import CnbudgetError
    from cnbudget.read import read_path

    try:
        source = read_path(path)
    except CnbudgetError:
        return {}
    places: dict[int, tuple[int, Box]] = {}
    for line in source.lines:
        boxes = [b for b in line.boxes or [] if b is not None]
        if line.page is None or not boxes:
            continue
        places[line.number] = (
            line.page,
            (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            ),
        )
    return places
