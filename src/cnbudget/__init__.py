"""cnbudget: read, check and compare Chinese government budget and final-account disclosures.

The public entry points are `parse_file` and `parse_text` (from `cnbudget.parse`), which return a
`cnbudget.model.Document`; `cnbudget.audit.audit` checks it and `cnbudget.library` keeps many. They are
loaded on first use, so `import cnbudget` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cnbudget.domain.version import __version__

if TYPE_CHECKING:
    from cnbudget.parse import parse_file, parse_text

__all__ = ["__version__", "parse_file", "parse_text"]


def __getattr__(name: str) -> Any:
    if name in ("parse_file", "parse_text"):
        from cnbudget import parse

        return getattr(parse, name)
    raise AttributeError(f"module 'cnbudget' has no attribute {name!r}")
