"""Which files of a folder are disclosure documents: the suffixes the readers take, hidden files skipped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a list of files and folders named on a command line comes to."""

    files: list[Path]
    """The files named (in order) and the documents of the folders named, each once."""
    missing: list[Path]
    """Inputs that are neither a file nor a folder."""
    empty: list[Path]
    """Folders without any document."""


def expand_inputs(inputs: Iterable[Path], keep_missing: bool = False) -> Inputs:
    """Files named and the documents of folders named, each once. ``keep_missing``: a name that does not
    exist stays among the files (its reader then says so, in the order given)."""
    files: list[Path] = []
    missing: list[Path] = []
    empty: list[Path] = []
    seen: set[Path] = set()
    for item in inputs:
        if item.is_dir():
            found = documents_in(item)
            if not found:
                empty.append(item)
        elif item.is_file() or keep_missing:
            found = [item]
        else:
            missing.append(item)
            continue
        for path in found:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                files.append(path)
    return Inputs(files, missing, empty)
