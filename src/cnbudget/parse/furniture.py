"""Page furniture: what a printed page carries besides its content.

A page number printed at the foot (or head) of a page is read as a line of its own between the last line
of one page and the first of the next. Inside running text it would be glued into a sentence
("支出222.5" + "27" + "万元" → "222.5 27万元"), so readers of running text leave such lines out; so too
the running head printed atop every page ("无锡市信访局2025年度部门预算公开"), which would otherwise be glued
into the sentence that goes on across the page break.
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


RUNNING_PAGES = 3
"""A running head or foot is the same words at the head (or foot) of at least this many pages."""


def furniture_lines(lines: Iterable[Line]) -> set[int]:
    """Numbers of the lines that are page furniture: page numbers (`page_number_lines`) and running heads or
    feet, the same words printed as the first or last line of several pages."""
    lines = list(lines)
    found = page_number_lines(lines)
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        if line.page is not None and line.layout == "text" and line.text.strip() and line.number not in found:
            by_page.setdefault(line.page, []).append(line)
    edges: dict[str, list[int]] = {}
    for page_lines in by_page.values():
        if len(page_lines) < 3:
            continue
        for line in {page_lines[0].number: page_lines[0], page_lines[-1].number: page_lines[-1]}.values():
            words = "".join(line.text.split())
            if 4 <= len(words) <= 40:
                edges.setdefault(words, []).append(line.number)
    for numbers in edges.values():
        if len(numbers) >= RUNNING_PAGES:
            found.update(numbers)
    return found
