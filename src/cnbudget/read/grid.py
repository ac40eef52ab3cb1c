"""Tables that carry their own structure (DOCX, HTML) → lines, the way tab-separated conversions look.

A merged cell keeps its text in its top-left position and leaves the other positions empty; that is
what the parser's header inference expects from every input.
"""

from __future__ import annotations

from cnbudget.domain.text import normalize_text
from cnbudget.read.source import CellCount, Line, make_line


class LineWriter:
    """Numbered lines in document order, with the format-independent rules for text and table rows."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.page: int | None = None
        """The sheet of a workbook, for evidence; None for documents without pages."""
        self.shared: dict[str, str] = {}
        """Equal cells kept once (see `make_line`)."""

    def text(self, text: str) -> None:
        """Text keeps its leading spaces: in space-aligned text they tell a table's right side."""
        for part in text.splitlines() or [""]:
            number = len(self.lines) + 1
            self.lines.append(make_line(number, normalize_text(part).rstrip(), self.page, normalized=True))

    def row(self, cells: list[str]) -> None:
        shared = self.shared
        cleaned = [
            shared.setdefault(t, t) for t in (normalize_text(c).replace("\n", "").strip() for c in cells)
        ]
        while cleaned and not cleaned[-1]:
            cleaned.pop()
        filled = [c for c in cleaned if c]
        if len(filled) <= 1 and (not cleaned or cleaned[0]):
            self.text(cells[0].replace("\n", "") if filled else "")  # a title or note merged across the table
            return
        self.lines.append(Line(len(self.lines) + 1, None, cleaned, "tab", self.page))


MAX_COLSPAN = 1000
"""The HTML standard's ceiling for colspan (rowspan is cut at the table's last row)."""


def expand_spans(rows: list[list[tuple[str, int, int]]], count: CellCount | None = None) -> list[list[str]]:
    """Rows of (text, colspan, rowspan) → a full grid; spanned positions are empty strings.

    Spans are cut to the standard's ceiling and to the table's own rows; every position a span covers is
    counted (`count`) before it is marked, so a hostile span cannot allocate more than the cell limit."""
    grid: list[list[str]] = []
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        out: list[str] = []
        c = 0
        for text, colspan, rowspan in row:
            colspan = min(max(colspan, 1), MAX_COLSPAN)
            rowspan = min(max(rowspan, 1), len(rows) - r)
            if count is not None:
                count.add(colspan * rowspan)
            while (r, c) in taken:
                out.append("")
                c += 1
            out.append(text)
            out.extend("" for _ in range(colspan - 1))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            c += colspan
        while (r, c) in taken:
            out.append("")
            c += 1
        grid.append(out)
    return grid
