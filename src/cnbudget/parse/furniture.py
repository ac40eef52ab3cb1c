"""Page furniture: what a printed page carries besides its content.

A page number printed at the foot (or head) of a page is read as a line of its own between the last line
of one page and the first of the next. Inside running text it would be glued into a sentence
("支出222.5" + "27" + "万元" → "222.5 27万元"), so readers of running text leave such lines out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cnbudget.read import Line

PAGE_NUMBER = re.compile(
    r"^[-—–·─━－‐\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*(?:[/／]|共)\s*\d{1,4}\s*页?)?[-—–·─━－‐\s]*$"
)
"""A printed page number in the usual forms: "27", "- 27 -", "─7─", "第27页", "27/40", "第 3 页 共 40 页"."""


def page_number_lines(lines: Iterable[Line]) -> set[int]:
    """Numbers of the lines that are a page number: the first or last printed line of its page.

    Only for inputs with pages (PDF): a text conversion has no page to tell a footer from a figure.
    """
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        if line.page is not None and line.layout != "blank" and line.text.strip():
            by_page.setdefault(line.page, []).append(line)
    found: set[int] = set()
    for page_lines in by_page.values():
        if len(page_lines) < 2:
            continue
        for line in (page_lines[0], page_lines[-1]):
            alone = line.cells is None or len([c for c in line.cells if c.strip()]) <= 1
            if alone and PAGE_NUMBER.match(line.text.strip()):
                found.add(line.number)
    return found
