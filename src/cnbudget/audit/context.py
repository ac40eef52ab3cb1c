"""What every rule needs: table lookup, cell references, and the identity checks with rounding.

Every identity checked (a sum or a copy) is recorded with its cells and residual, so that after all
rules ran, a single mistyped cell can be told from rounding tails (see `locate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import NotEvaluable
from cnbudget.audit.tolerance import classify, precision, tolerance
from cnbudget.domain.catalog import table_name
from cnbudget.domain.numbers import format_amount
from cnbudget.model import Cell, Document, Row, Table


def first_value(table: Table, side: str | None = None) -> str:
    """The first amount column (of ``side``); a table without one cannot be checked."""
    column = table.first_value_column(side)
    if column is None:
        raise NotEvaluable(f"{table.id} has no amount column")
    return column


def fmt(value: Decimal | None) -> str:
    return "空白" if value is None else format_amount(value)


@dataclass(slots=True)
class Ref:
    """A cell named for messages: the table, its row, the column, and how to call it."""

    table: Table
    row: Row
    column: str
    name: str = ""
    cell: Cell | None = field(init=False, default=None)
    """The cell itself (None when the row prints nothing in that column)."""

    def __post_init__(self) -> None:
        for c in self.row.cells:
            if c.column == self.column:
                self.cell = c
                break

    @property
    def value(self) -> Decimal | None:
        c = self.cell
        return c.value if c is not None else None

    def describe(self) -> str:
        return self.name or row_name(self.row)

    def evidence(self, role: str) -> Evidence:
        c = self.cell
        return Evidence(
            kind="cell",
            table=self.table.id,
            row_code=self.row.code,
            row_label=self.row.label,
            column=self.column,
            raw=c.raw if c else "",
            value=c.value if c else None,
            line=c.line if c else self.row.line,
            page=c.page if c else self.row.page,
            bbox=c.bbox if c else None,
            role=role,
            ocr=c.ocr if c else False,
        )

    @property
    def key(self) -> tuple[str, int, str]:
        return cell_key(self.table.id, self.row, self.column)


def cell_key(table_id: str, row: Row, column: str) -> tuple[str, int, str]:
    """Identifies a cell across audits of the same document (two-sided rows share a line)."""
    return (table_id, row.line, column + "|" + (row.side or "") + row.label)


def row_name(row: Row) -> str:
    return f"{row.code} {row.label}".strip() if row.code else (row.label or "（无名行）")


@dataclass(slots=True)
class Identity:
    """A checked relation Σ coef·cell = 0, its residual, and the finding it produced (if any)."""

    terms: list[tuple[tuple[str, int, str], int]]
    residual: Decimal
    rule_id: str
    finding: Finding | None
    refs: list[Ref] = field(default_factory=list)


class Context:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.kind = doc.metadata.kind
        self.year = doc.metadata.fiscal_year
        self.identities: list[Identity] = []
        self._tables = {t.id: t for t in doc.tables}
        self.cache: dict[str, object] = {}
        """Built once per audit and shared by rules (the narrative figure index)."""
        notes = " ".join(n.text for t in doc.tables for n in t.notes)
        self.declares_tails = "尾数" in notes or "尾差" in notes

    def table(self, table_id: str) -> Table | None:
        return self._tables.get(table_id)

    def need(self, table_id: str) -> Table:
        table = self._tables.get(table_id)
        if table is None:
            raise NotEvaluable(f"{table_id} {table_name(table_id)} is missing")
        if table.status == "failed":
            raise NotEvaluable(f"{table_id} could not be read (see its parse-health finding)")
        return table

    # ---- identities -------------------------------------------------------------------------------
    def check_sum(
        self, rule_id: str, total: Ref, parts: list[Ref], heading: str, rounded_items: int = 0
    ) -> Finding | None:
        """total = Σ parts, within the rounding model. Blank parts count as zero; a blank total is skipped.

        ``rounded_items``: how many rounded amounts the parts stand for, when they are themselves
        subtotals (合计 = Σ 类, each 类 summing its 项): the tolerance grows with them."""
        t = total.value
        present = [p for p in parts if p.value is not None]
        if t is None or (not present and not t):
            return None
        expected = sum((p.value or Decimal(0) for p in present), Decimal(0))
        diff = t - expected
        finding = None
        if diff != 0:
            unit = precision([t, *(p.value for p in present)])
            # printed zeros are exact; a single nonzero part is the same figure as its total
            nonzero = sum(1 for p in present if p.value)
            addends = max(nonzero, rounded_items)
            verdict = "break" if addends <= 1 else classify(diff, addends, unit)
            terms = " + ".join(f"{p.describe()} {fmt(p.value)}" for p in present) or "各组成项（均为空白）"
            if verdict == "tail":
                message = (
                    f"{heading}：{total.describe()} {fmt(t)} 与 {terms} = {fmt(expected)} 相差 {fmt(diff)}，"
                    f"在 {addends} 项四舍五入的尾差范围内（±{tolerance(addends, unit)}）"
                )
            else:
                message = (
                    f"{heading}：{total.describe()} {fmt(t)} ≠ {terms} = {fmt(expected)}（相差 {fmt(diff)}）"
                )
            finding = Finding(
                rule_id=rule_id,
                severity="info" if verdict == "tail" else "error",
                message=message,
                table=total.table.id,
                row_code=total.row.code,
                row_label=total.row.label,
                column=total.column,
                expected=expected,
                actual=t,
                difference=diff,
                evidence=[total.evidence("total"), *(p.evidence("part") for p in present)],
            )
        self.identities.append(
            Identity(
                [(total.key, 1), *((p.key, -1) for p in present)], diff, rule_id, finding, [total, *present]
            )
        )
        return finding

    def check_copy(self, rule_id: str, a: Ref, b: Ref, heading: str, items: int = 0) -> Finding | None:
        """The same figure printed twice. It may differ by a rounding tail only when one side sums ``items``
        rounded amounts, or when the document itself declares unit-conversion tails (尾数误差)."""
        va, vb = a.value, b.value
        if va is None and vb is None or (va is None and not vb) or (vb is None and not va):
            return None
        if va is None or vb is None:  # printed blank on one side, an amount on the other
            va, vb = va or Decimal(0), vb or Decimal(0)
        diff = va - vb
        finding = None
        if diff != 0:
            unit = precision([va, vb])
            allowed = tolerance(items, unit) if items else (unit if self.declares_tails else Decimal(0))
            tail = abs(diff) <= allowed
            reason = (
                f"，在 {items} 项四舍五入的尾差范围内"
                if tail and items
                else "，报表注明存在尾数误差"
                if tail
                else ""
            )
            message = (
                f"{heading}：{table_name(a.table.id)} {a.describe()} {fmt(va)} "
                f"{'与' if tail else '≠'} {table_name(b.table.id)} {b.describe()} {fmt(vb)}（相差 {fmt(diff)}{reason}）"
            )
            finding = Finding(
                rule_id=rule_id,
                severity="info" if tail else "error",
                message=message,
                table=a.table.id,
                row_code=a.row.code,
                row_label=a.row.label,
                column=a.column,
                expected=vb,
                actual=va,
                difference=diff,
                evidence=[a.evidence("copy"), b.evidence("copy")],
            )
        self.identities.append(Identity([(a.key, 1), (b.key, -1)], diff, rule_id, finding, [a, b]))
        return finding
