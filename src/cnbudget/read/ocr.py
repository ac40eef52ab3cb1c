"""Scanned pages: text by OCR (RapidOCR, models inside the wheel, no network) and ruling lines from pixels.

A scanned page has no characters and no vector rules, only an image. OCR gives words with their boxes;
the table's rules are found in the rendered page as long runs of dark pixels. Both are converted to PDF
points, so the same grid reconstruction as for text PDFs turns them into cells — every value read this
way is marked as OCR and findings that rest on it ask for review.

OCR is optional (`pip install "cnbudget[ocr]"`): without it, the reader says which pages were not read.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cnbudget.read.layout import Char, Rule

SCALE = 2.0
MAX_PIXELS = 24_000_000
"""The largest bitmap rendered for OCR (an A3 page at SCALE is 4 million pixels): 24 MB of grey."""
"""Render at 144 dpi: small print (7–9 pt) stays legible to the recogniser."""
MIN_RULE = 40
"""Pixels (at SCALE) a dark run must span to be a rule: longer than any stroke of a character."""
DARK = 128


def available() -> bool:
    """Installed? Without importing it: onnxruntime and OpenCV take most of a second to load."""
    from importlib.util import find_spec

    return find_spec("rapidocr_onnxruntime") is not None


@cache
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def _runs(mask: Any, min_length: int) -> list[tuple[int, int, int]]:
    """(line index, start, end) of every run of True at least `min_length` long, line by line."""
    import numpy as np

    padded = np.pad(mask.astype(np.int8), ((0, 0), (1, 1)))
    edges = np.diff(padded, axis=1)
    starts_y, starts_x = np.nonzero(edges == 1)
    _, ends_x = np.nonzero(edges == -1)  # row-major order: the n-th end closes the n-th start
    return [
        (y, x0, x1)
        for y, x0, x1 in zip(starts_y.tolist(), starts_x.tolist(), ends_x.tolist(), strict=True)
        if x1 - x0 >= min_length
    ]


def _merge(runs: list[tuple[int, int, int]], scale: float = SCALE) -> list[Rule]:
    """Adjacent pixel lines of one thick rule become one rule at their middle."""
    rules: list[tuple[list[int], int, int]] = []
    for y, x0, x1 in sorted(runs):
        for ys, lo, hi in rules:
            if y - ys[-1] <= 1 and x0 <= hi and x1 >= lo:
                ys.append(y)
                break
        else:
            rules.append(([y], x0, x1))
    return [Rule((ys[0] + ys[-1]) / 2 / scale, lo / scale, hi / scale) for ys, lo, hi in rules]


def page_rules(gray: Any, scale: float = SCALE) -> tuple[list[Rule], list[Rule]]:
    """Ruling lines of a page rendered at ``scale``, in PDF points."""
    dark = gray < DARK
    horizontal = _merge(_runs(dark, MIN_RULE), scale)
    vertical = _merge(_runs(dark.T, MIN_RULE), scale)
    return horizontal, vertical


def read_page(page: Any) -> tuple[list[Char], list[Rule], list[Rule]]:
    """Words with boxes (as `Char`s whose text is a whole word) and the rules, in PDF points."""
    width, height = page.get_size()
    # a poster-sized page (14,400 pt) at SCALE would be gigabytes of bitmap: the scale is cut so that
    # the bitmap stays within MAX_PIXELS, and the boxes are divided by the scale used
    scale = min(SCALE, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
    bitmap = page.render(scale=scale, grayscale=True)
    gray = bitmap.to_numpy()
    if gray.ndim == 3:
        gray = gray[:, :, 0]
    result, _ = _engine()(gray)
    words: list[Char] = []
    for box, text, _score in result or []:
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        words.append(Char(text, min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale))
    horizontal, vertical = page_rules(gray, scale)
    return words, horizontal, vertical
