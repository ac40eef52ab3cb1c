"""Which files of a folder are disclosure documents: the suffixes the readers take, hidden files skipped."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

DOCUMENT_SUFFIXES = frozenset({".txt", ".md", ".pdf", ".xlsx", ".xls", ".docx", ".html", ".htm"})
"""Files picked up when a folder is given (a file named explicitly is always read)."""


def documents_in(folder: Path) -> list[Path]:
    """The documents under ``folder``, recursively, in a stable order; hidden files and folders skipped."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in DOCUMENT_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def expand_inputs(inputs: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Files named and the documents of folders named, each once; and the inputs that do not exist."""
    files: list[Path] = []
    missing: list[Path] = []
    seen: set[Path] = set()
    for item in inputs:
        if item.is_dir():
            found = documents_in(item)
        elif item.is_file():
            found = [item]
        else:
            missing.append(item)
            continue
        for path in found:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                files.append(path)
    return files, missing
