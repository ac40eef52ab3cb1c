"""The long-format export: one row per non-empty numeric cell of the standard financial tables.

Columns are exactly ``table_kind,row_code,row_label,column,value``. This is both the analyst's
export and the contract the accuracy checks use, so its form is fixed:
table_kind is the canonical id; row_code the printed code (split codes joined), else empty;
row_label the printed label with whitespace removed; column the printed header path, whitespace
removed, levels joined by "/" (two-sided tables prefixed with 收入/ or 支出/); value the decimal as
printed without thousands separators.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import NamedTuple

from cnbudget.domain.escape import csv_cell
from cnbudget.domain.text import compact
from cnbudget.model import Document

FACT_COLUMNS = ("table_kind", "row_code", "row_label", "column", "value")


class Fact(NamedTuple):
    table_kind: str
    row_code: str
    row_label: str
    column: str
    value: str


def iter_facts(doc: Document) -> Iterator[Fact]:
    for table, row, cell in doc.fact_cells():
        yield Fact(table.id, row.code, compact(row.label), cell.column, cell.printed)


def facts_csv(doc: Document) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FACT_COLUMNS)
    writer.writerows(tuple(csv_cell(v) for v in row) for row in iter_facts(doc))
    return out.getvalue()


def facts_json(doc: Document) -> str:
    return json.dumps([f._asdict() for f in iter_facts(doc)], ensure_ascii=False, indent=1)
