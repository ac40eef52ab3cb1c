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

from cnbudget.model import Cell, Document, Row, Table
from cnbudget.parse.catalog import FINANCIAL_IDS
from cnbudget.parse.numbers import amount_text
from cnbudget.read.normalize import compact

FACT_COLUMNS = ("table_kind", "row_code", "row_label", "column", "value")


class Fact(NamedTuple):
    table_kind: str
    row_code: str
    row_label: str
    column: str
    value: str


def fact_cells(doc: Document) -> Iterator[tuple[Table, Row, Cell]]:
    """Every non-blank amount of the standard financial tables, with its table and row."""
    for table in doc.tables:
        if table.id not in FINANCIAL_IDS:
            continue
        for row in table.rows:
            for cell in row.cells:
                if cell.value is not None:
                    yield table, row, cell


def printed_value(cell: Cell) -> str:
    """The amount as printed, without thousands separators ("1,234.50" → "1234.50")."""
    return amount_text(cell.raw) or str(cell.value)


def iter_facts(doc: Document) -> Iterator[Fact]:
    for table, row, cell in fact_cells(doc):
        yield Fact(table.id, row.code, compact(row.label), cell.column, printed_value(cell))


def facts_csv(doc: Document) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FACT_COLUMNS)
    writer.writerows(iter_facts(doc))
    return out.getvalue()


def facts_json(doc: Document) -> str:
    return json.dumps([f._asdict() for f in iter_facts(doc)], ensure_ascii=False, indent=1)
