"""Mutation testing of the audit: perturb one amount (or row) of a seed, and see whether it is caught.

Three kinds of perturbation, all common in real disclosures:
  * ``digit``: one digit of a printed amount replaced by another (801.72 → 807.72);
  * ``swap``: the amounts of two rows of a table exchanged (a row pasted in the wrong place);
  * ``drop``: a row left out.
A perturbation is *in scope* when it changes at least one arithmetic relation the audit checks (a
value-preserving swap, or a change to a cell no relation involves, is invisible to arithmetic). It is
*detected* when the audit of the perturbed document has an error-level finding, absent before, that
names the perturbed table.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from cnbudget.audit.context import cell_key
from cnbudget.audit.engine import AuditReport, audit
from cnbudget.domain.catalog import FINANCIAL_IDS
from cnbudget.domain.text import is_digits
from cnbudget.model import Cell, Document, Row, Table
from cnbudget.parse.tables.financial import projects_from

KINDS = ("digit", "swap", "drop")


@dataclass(slots=True)
class Outcome:
    kind: str
    table: str
    description: str
    in_scope: bool
    detected: bool


@dataclass
class Summary:
    document: str
    outcomes: list[Outcome] = field(default_factory=list)

    def rate(self, kind: str | None = None) -> tuple[int, int]:
        scoped = [o for o in self.outcomes if o.in_scope and (kind is None or o.kind == kind)]
        return sum(1 for o in scoped if o.detected), len(scoped)


def _signature(report: AuditReport) -> set[tuple[str, str, str, str, str]]:
    return {
        (f.rule_id, f.table, f.row_code, f.row_label, f.column)
        for f in report.findings
        if f.severity == "error"
    }


def _residuals(report: AuditReport) -> dict[str, Counter[Decimal]]:
    """Per rule, the residuals of the relations that involve some nonzero amount.

    Comparing these multisets tells whether a perturbation changed anything arithmetic can see: a
    dropped row of zeros, or two rows exchanged under the same total, leaves them as they were."""
    out: dict[str, Counter[Decimal]] = {}
    for identity in report.identities:
        if any(ref.value for ref in identity.refs):
            out.setdefault(identity.rule_id, Counter())[identity.residual] += 1
    return out


def _perturb_digit(raw: str, rng: random.Random) -> str | None:
    positions = [i for i, ch in enumerate(raw) if is_digits(ch)]
    if not positions:
        return None
    i = rng.choice(positions)
    digit = rng.choice([d for d in "0123456789" if d != raw[i]])
    out = raw[:i] + digit + raw[i + 1 :]
    return out if out.replace(",", "").lstrip("0") or "." in out else None


def _value(raw: str) -> Decimal:
    return Decimal(raw.replace(",", ""))


class Harness:
    def __init__(self, doc: Document, seed: int = 2026) -> None:
        self.doc = doc
        self.rng = random.Random(seed)
        self.baseline = audit(doc)
        self.base_errors = _signature(self.baseline)
        self.base_residuals = _residuals(self.baseline)
        self.checked = {key for i in self.baseline.identities for key, _ in i.terms}

    def _run(self, kind: str, table: Table, description: str) -> Outcome:
        projects = self.doc.projects
        if table.id == "B10":
            self.doc.projects = projects_from(
                copy.deepcopy(table), tuple({p.unit for p in projects if p.unit})
            )
        try:
            report = audit(self.doc)
        finally:
            self.doc.projects = projects
        residuals = _residuals(report)
        in_scope = residuals != self.base_residuals
        new = _signature(report) - self.base_errors
        detected = any(table.id == t[1] or _mentions(report, t, table.id) for t in new)
        return Outcome(kind, table.id, description, in_scope or detected, detected)

    def cells(self) -> list[tuple[Table, Row, Cell]]:
        out = []
        for table in self.doc.tables:
            if table.id not in FINANCIAL_IDS:
                continue
            for row in table.rows:
                for c in row.cells:
                    if c.value is not None and cell_key(table.id, row, c.column) in self.checked:
                        out.append((table, row, c))
        return out

    def digit(self, table: Table, row: Row, cell: Cell) -> Outcome | None:
        raw = _perturb_digit(cell.raw, self.rng)
        if raw is None:
            return None
        old = (cell.raw, cell.value)
        cell.raw, cell.value = raw, _value(raw)
        try:
            return self._run(
                "digit", table, f"{table.id} {row.code or row.label} {cell.column}: {old[0]} → {raw}"
            )
        finally:
            cell.raw, cell.value = old

    def swap(self, table: Table, a: Row, b: Row) -> Outcome:
        a.cells, b.cells = b.cells, a.cells
        try:
            return self._run("swap", table, f"{table.id}: rows {a.code or a.label} ↔ {b.code or b.label}")
        finally:
            a.cells, b.cells = b.cells, a.cells

    def drop(self, table: Table, row: Row) -> Outcome:
        rows = table.rows
        table.rows = [r for r in rows if r is not row]
        try:
            return self._run("drop", table, f"{table.id}: row {row.code or row.label} dropped")
        finally:
            table.rows = rows

    def run(self, per_kind: int) -> Iterator[Outcome]:
        cells = self.cells()
        self.rng.shuffle(cells)
        for table, row, cell in cells[:per_kind]:
            outcome = self.digit(table, row, cell)
            if outcome is not None:
                yield outcome
        rows = [(t, r) for t, r, _ in cells]
        rows = list({id(r): (t, r) for t, r in rows}.values())
        self.rng.shuffle(rows)
        for table, row in rows[:per_kind]:
            yield self.drop(table, row)
        pairs = []
        for table, row in rows:
            others = [r for r in table.rows if r is not row and r.cells and r.side == row.side]
            if others:
                pairs.append((table, row, self.rng.choice(others)))
        for table, a, b in pairs[:per_kind]:
            yield self.swap(table, a, b)


def _mentions(report: AuditReport, signature: tuple[str, str, str, str, str], table_id: str) -> bool:
    for f in report.findings:
        if (f.rule_id, f.table, f.row_code, f.row_label, f.column) == signature:
            return table_id in f.tables
    return False


def mutate_document(doc: Document, per_kind: int = 100, seed: int = 2026) -> Summary:
    summary = Summary(doc.metadata.source_path)
    harness = Harness(doc, seed)
    summary.outcomes.extend(harness.run(per_kind))
    doc.projects = harness.baseline.document.projects
    return summary
