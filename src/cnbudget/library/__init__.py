"""A library of many disclosures: ingest into a database, then compare departments and years.

from cnbudget.library import open_library, ingest, compare, history, execution, findings
engine = open_library("cnbudget.db")          # or "postgresql://user@host/db"
ingest(engine, [Path("disclosures/")], jobs=2)
compare(engine, 2026, ["total_spending", "three_public"]).rows

The names are loaded on first use: a question does not pay for the parser, and ingest not for exports.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cnbudget.library.exports import export
    from cnbudget.library.identity import MergeResult, aliases, merge, unmerge
    from cnbudget.library.ingestion import IngestSummary, ingest
    from cnbudget.library.questions import compare, execution, findings, history, metrics, organisations
    from cnbudget.model.answer import Answer
    from cnbudget.store.database import database_url as library_url
    from cnbudget.store.database import open_database as open_library

_WHERE = {
    "Answer": ("cnbudget.model.answer", "Answer"),
    "IngestSummary": ("cnbudget.library.ingestion", "IngestSummary"),
    "ingest": ("cnbudget.library.ingestion", "ingest"),
    "export": ("cnbudget.library.exports", "export"),
    "MergeResult": ("cnbudget.library.identity", "MergeResult"),
    "aliases": ("cnbudget.library.identity", "aliases"),
    "merge": ("cnbudget.library.identity", "merge"),
    "unmerge": ("cnbudget.library.identity", "unmerge"),
    "compare": ("cnbudget.library.questions", "compare"),
    "execution": ("cnbudget.library.questions", "execution"),
    "findings": ("cnbudget.library.questions", "findings"),
    "history": ("cnbudget.library.questions", "history"),
    "metrics": ("cnbudget.library.questions", "metrics"),
    "organisations": ("cnbudget.library.questions", "organisations"),
    "open_library": ("cnbudget.store.database", "open_database"),
    "library_url": ("cnbudget.store.database", "database_url"),
}
__all__ = [
    "Answer", "IngestSummary", "MergeResult", "aliases", "compare", "execution", "export", "findings", "history",
    "ingest", "library_url", "merge", "metrics", "open_library", "organisations", "unmerge",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'cnbudget.library' has no attribute {name!r}")
    module, attribute = _WHERE[name]
    value = getattr(import_module(module), attribute)
    # importing cnbudget.library.ingestion binds the submodule to the name "ingest" here: the function wins
    globals()[name] = value
    return value
