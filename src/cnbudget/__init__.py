"""cnbudget: read, check and compare Chinese government budget and final-account disclosures.

The public entry points are `parse_file` and `parse_text`; they return a `cnbudget.model.Document`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pathlib import Path

    from cnbudget.model import Document
    from cnbudget.read.source import ReadOptions


def parse_file(path: str | Path, options: ReadOptions | None = None) -> Document:
    """Read and parse one disclosure file (PDF, XLSX, DOCX, HTML or text, told apart by content)."""
    from cnbudget.parse import parse_source
    from cnbudget.read import read_path

    return parse_source(read_path(path, options))


def parse_text(text: str, name: str = "<text>") -> Document:
    """Parse a disclosure already decoded to text."""
    from cnbudget.parse import parse_source
    from cnbudget.read import source_from_text

    return parse_source(source_from_text(text, name))


__all__ = ["__version__", "parse_file", "parse_text"]
