"""An audit rendered: text for a terminal, JSON, one HTML page, the findings as a workbook, the review
checklist. Each file format has a `render` function of the same shape (`Renderer`), named by its entry in
`report.formats.AUDIT`, so that a new format is its entry and its renderer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cnbudget.audit import AuditReport

Renderer = Callable[["list[AuditReport]", "list[tuple[str, str]]", bool, str], "str | bytes"]
"""(reports, unreadable files with why, whether notes are shown, the output file's suffix) → the file."""
