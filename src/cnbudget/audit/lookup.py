"""Finding rows and columns in parsed tables: codes, totals rows, amount columns, summary items."""

from __future__ import annotations

from functools import cache

from cnbudget.audit.context import plain_label
from cnbudget.audit.registry import NotEvaluable
from cnbudget.model import Row, Table
from cnbudget.parse.catalog import function_codes


def code_of(row: Row) -> str:
    return row.resolved_code or row.code


def coded_rows(table: Table) -> list[Row]:
    return [r for r in table.rows if code_of(r).isdigit() and len(code_of(r)) in (3, 5, 7)]


def leaves_under(rows: list[Row], code: str) -> int:
    """How many lowest-level rows a code's figure sums (for the rounding tolerance)."""
    codes = {code_of(r) for r in rows}
    below = [c for c in codes if c != code and c.startswith(code)]
    parents = {c[:-2] for c in below}
    return max(sum(1 for c in below if c not in parents), 1)


def first_value(table: Table, side: str | None = None) -> str:
    for col in table.columns:
        if col.role == "value" and (side is None or col.side == side):
            return col.key
    raise NotEvaluable(f"{table.id} has no amount column")


def total_row(table: Table) -> Row | None:
    return next((r for r in table.rows if r.kind == "total" and r.label in ("合计", "总计")), None)


def side_row(table: Table, side: str, name: str) -> Row | None:
    for row in table.rows:
        if row.side == side and plain_label(row.label).replace("（含专用结余）", "") == name:
            return row
    return None


@cache
def _class_codes() -> dict[str, str]:
    return {name: code for code, name in function_codes().items() if len(code) == 3}


def class_code(label: str) -> str | None:
    """Function class code of an item of a summary table: "四、科学技术支出" → 206."""
    return _class_codes().get(plain_label(label))


MEASURES = ("预算数", "决算数")


def three_public_view(column: str) -> tuple[str, tuple[str, ...]]:
    """A 三公 column as (measure, item path), whichever way the header is built.

    Regions print 预算数/决算数 above the items ("决算数/公务接待费") or below them
    ("财政拨款“三公”经费/公务接待费/决算数"); the outer 财政拨款“三公”经费 group is dropped.
    """
    parts = column.split("/")
    measure = next((p for p in parts if p in MEASURES), "")
    rest = [p for p in parts if p != measure]
    if len(rest) > 1 and "三公" in rest[0]:
        rest = rest[1:]
    return measure, tuple(rest)
