"""A library of many disclosures: ingest into a database, then compare departments and years.

from cnbudget.library import open_library, ingest, compare, history, execution, findings
engine = open_library("cnbudget.db")          # or "postgresql://user@host/db"
ingest(engine, [Path("disclosures/")], jobs=2)
compare(engine, 2026, ["total_spending", "three_public"]).rows
"""

from cnbudget.library.answers import Answer
from cnbudget.library.ingest import IngestSummary, ingest
from cnbudget.library.questions import compare, execution, findings, history, organisations
from cnbudget.store.database import open_database as open_library

__all__ = [
    "Answer",
    "IngestSummary",
    "compare",
    "execution",
    "findings",
    "history",
    "ingest",
    "open_library",
    "organisations",
]
