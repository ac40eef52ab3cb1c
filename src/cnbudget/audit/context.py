"""What every rule needs: table lookup, cell references, findings, and the identity checks with rounding.

The engine sets `Context.rule` before it runs a rule's check, so `ctx.finding(…)` and the identity checks
know the rule's id and severity: a check never repeats them. Every identity checked (a sum or a copy) is
recorded with its cells and residual, so that after all rules ran, a single mistyped cell can be told from
rounding tails (the ``after`` phase rule SUM-LOCATE-001).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeAlias, TypeVar, cast

from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import NotEvaluable, Rule
from cnbudget.audit.tolerance import DEFAULT_TOLERANCE, Tolerance, precision, tolerance
from cnbudget.domain.catalog import table_name
from cnbudget.domain.i18n import t
from cnbudget.domain.numbers import YUAN_PER_UNIT, convert, format_amount
from cnbudget.domain.text import is_digits
from cnbudget.domain.vocabulary import UNUSABLE_STATUSES, EvidenceRole, Severity
from cnbudget.model import Cell, Document, NarrativeClaim, Row, Table


def first_value(table: Table, side: str | None = None) -> str:
    """The first amount column (of ``side``); a table without one cannot be checked."""
    column = table.first_value_column(side)
    if column is None:
        raise NotEvaluable(f"{table.id} 没有金额列")
    return column


def column(table: Table, *names: str) -> str:
    """The amount column a rule needs, by any of its names (`Table.find_column`); a table printed without
    it cannot be checked, which is not the same as a figure that is wrong."""
    found = table.find_column(*names)
    if found is None:
        raise NotEvaluable(f"{table.id} 没有“{'／'.join(names)}”列")
    return found


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

    @property
    def unit(self) -> str:
        """The money unit the table prints (单位：元 / 万元)."""
        return self.table.amount_unit

    def value_in(self, unit: str) -> Decimal | None:
        v = self.value
        return None if v is None else convert(v, self.unit, unit)

    def describe(self) -> str:
        return self.name or row_name(self.row)

    def evidence(self, role: EvidenceRole = "") -> Evidence:
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


def _narrow_slack(values: list[Decimal | None]) -> Decimal:
    """Half a unit of each nonzero amount printed with fewer decimals (but some) than the finest of a
    relation ("852063605.8" in a narrow cell beside "852,063,605.79"): what its display may have dropped."""
    exponents = [(v, int(e)) for v in values if v and isinstance(e := v.as_tuple().exponent, int) and e < 0]
    if not exponents:
        return Decimal(0)
    finest = min(e for _, e in exponents)
    return sum((Decimal(5).scaleb(e - 1) for _, e in exponents if e > finest), Decimal(0))


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


Place: TypeAlias = "Ref | tuple[Table, Row] | Table | NarrativeClaim"
"""Where a finding is: a cell, a row of a table, a whole table, or a claim of the narrative."""


def claim_evidence(claim: NarrativeClaim) -> Evidence:
    return Evidence(
        "claim", raw=claim.raw, value=claim.amount, line=claim.line, page=claim.page, text=claim.sentence,
        role="claim",
    )  # fmt: skip


def row_evidence(table: Table, row: Row, value: Decimal | None = None) -> Evidence:
    return Evidence("row", table.id, row.code, row.label, value=value, line=row.line, page=row.page)


def table_evidence(table: Table) -> Evidence:
    return Evidence("table", table.id, line=table.title_line, page=table.page)


def place_evidence(at: Place) -> Evidence:
    if isinstance(at, Ref):
        return at.evidence()
    if isinstance(at, tuple):
        return row_evidence(*at)
    if isinstance(at, Table):
        return table_evidence(at)
    return claim_evidence(at)


T = TypeVar("T")


def _line_pages(ctx: Context) -> list[tuple[int, int]]:
    """(line, page) of every line whose page the reader recorded: headings, narrative, table rows."""
    doc = ctx.doc
    known: dict[int, int] = {}
    for heading in doc.outline:
        if heading.page:
            known[heading.line] = heading.page
    for section in doc.narrative:
        for _, line, page in section.line_starts:
            if page:
                known[line] = page
    for claim in doc.claims:
        if claim.page:
            known[claim.line] = claim.page
    for table in doc.tables:
        if table.page and table.title_line:
            known[table.title_line] = table.page
        for row in table.rows:
            if row.page:
                known[row.line] = row.page
    return sorted(known.items())


class Context:
    def __init__(self, doc: Document, accepted: Tolerance = DEFAULT_TOLERANCE) -> None:
        self.doc = doc
        self.accepted = accepted
        """How much rounding the review accepts (a profile's [tolerance]; the rounding model by default)."""
        self.kind = doc.metadata.kind
        self.year = doc.metadata.fiscal_year
        self.identities: list[Identity] = []
        self.rule: Rule | None = None
        """The rule whose check is running (set by the engine)."""
        # a table read too badly to trust (see the parser's self-check) takes part in no check: the
        # completeness rules see it in doc.tables, COMP-PARSE-001 reports it once
        self._tables = {table.id: table for table in doc.tables if table.status not in UNUSABLE_STATUSES}
        self.earlier: list[Finding] = []
        """The findings of the phases before the running one (an ``after`` rule may explain them)."""
        self._memo: dict[Callable[[Context], Any], Any] = {}
        self.passed_over: list[str] = []
        """Where the running rule's premises did not hold and it did not judge (`not_here`)."""
        notes = " ".join(n.text for table in doc.tables for n in table.notes)
        self.declares_tails = accepted.declared_tails and any(
            w in notes for w in ("尾数", "尾差", "四舍五入")
        )

    def memo(self, build: Callable[[Context], T]) -> T:
        """What ``build`` makes of this audit's document, made once and shared by the rules that ask (the
        figure index, the lines' pages …). Keyed by the function itself: one maker, one type, no names."""
        if build not in self._memo:
            self._memo[build] = build(self)
        return cast(T, self._memo[build])

    def not_here(self, reason: str) -> None:
        """The running rule does not judge this part of the document, because its premises do not hold here
        (a flat list of 项 has no parents to miss): the rule is reported as partly not evaluated, with
        ``reason``, instead of raising an error it cannot stand behind."""
        if reason not in self.passed_over:
            self.passed_over.append(reason)

    # ---- places ------------------------------------------------------------------------------------
    def _known_pages(self) -> list[tuple[int, int]]:
        return self.memo(_line_pages)

    def page_of(self, line: int) -> int | None:
        """The PDF page of a line of the extracted text: recorded, or that of the recorded lines on both
        sides when they agree (None for text inputs, and when the line may be on either of two pages)."""
        pages = self._known_pages()
        if not pages or not line:
            return None
        at = bisect.bisect_left(pages, (line, 0))
        if at < len(pages) and pages[at][0] == line:
            return pages[at][1]
        before = pages[at - 1][1] if at > 0 else None
        after = pages[at][1] if at < len(pages) else None
        if before is None and after == 1:
            return 1  # above the first recorded line, which is on the first page
        return before if before == after else None

    def cite(self, line: int, page: int | None = None) -> str:
        """A place in a message: 第 24 页 for a PDF (its extracted-text line numbers are no place in the
        document; where the page is not known, the line is named as what it is), 第 812 行 for a text input."""
        page = page or self.page_of(line)
        if page:
            return f"第 {page} 页"
        return f"提取文本第 {line} 行" if self._known_pages() else f"第 {line} 行"

    def cite_both(
        self, line_a: int, line_b: int, page_a: int | None = None, page_b: int | None = None
    ) -> str:
        """Two places: 第 15 页与第 16 页, 均在第 15 页 (one PDF page), 第 3 行与第 9 行 (a text input)."""
        a, b = self.cite(line_a, page_a), self.cite(line_b, page_b)
        return f"均在{a}" if a == b else f"{a}与{b}"

    @property
    def rule_id(self) -> str:
        if self.rule is None:
            raise RuntimeError("no rule is running: the engine sets Context.rule before a check")
        return self.rule.id

    def table(self, table_id: str) -> Table | None:
        return self._tables.get(table_id)

    def need(self, table_id: str) -> Table:
        table = self._tables.get(table_id)
        if table is None:
            raise NotEvaluable(self.absence(table_id))
        return table

    def printed_table(self, table_id: str) -> Table | None:
        """The table as printed, however well it was read (for telling what a figure refers to)."""
        return next((table for table in self.doc.tables if table.id == table_id), None)

    def tables(self) -> list[Table]:
        """The tables the checks may use (read well enough), in document order."""
        return list(self._tables.values())

    def absence(self, table_id: str) -> str:
        """Why a table takes part in no check: missing, or read too badly (its parse finding says why)."""
        printed = next((table for table in self.doc.tables if table.id == table_id), None)
        if printed is not None:
            from cnbudget.domain.vocabulary import table_status_label

            status = table_status_label(printed.status)
            return t(
                f"{table_id}“{table_name(table_id)}”未能可靠读取（{status}，见 COMP-PARSE-001）",
                f"{table_id} {table_name(table_id)} could not be read reliably ({status}; see COMP-PARSE-001)",
            )
        return t(f"缺少{table_id}“{table_name(table_id)}”", f"{table_id} {table_name(table_id)} is missing")

    # ---- findings -----------------------------------------------------------------------------------
    def finding(
        self,
        message: str,
        at: Place | None = None,
        *,
        severity: Severity | None = None,
        evidence: Iterable[Evidence] = (),
        expected: Decimal | None = None,
        actual: Decimal | None = None,
        difference: Decimal | None = None,
        table: str | None = None,
        row_code: str | None = None,
        row_label: str | None = None,
        column: str | None = None,
    ) -> Finding:
        """A finding of the running rule at a place: its id, severity, table, row, column and first evidence
        are filled in from the rule and the place; ``evidence`` follows the place's own."""
        place_table = place_row = None
        place_column = ""
        if isinstance(at, Ref):
            place_table, place_row, place_column = at.table, at.row, at.column
        elif isinstance(at, tuple):
            place_table, place_row = at
        elif isinstance(at, Table):
            place_table = at
        rule = self.rule
        assert rule is not None, "no rule is running"
        return Finding(
            rule_id=rule.id,
            severity=severity or rule.severity,
            message=message,
            table=table if table is not None else (place_table.id if place_table else ""),
            row_code=row_code if row_code is not None else (place_row.code if place_row else ""),
            row_label=row_label if row_label is not None else (place_row.label if place_row else ""),
            column=column if column is not None else place_column,
            expected=expected,
            actual=actual,
            difference=difference,
            evidence=self._paged([*([place_evidence(at)] if at is not None else []), *evidence]),
        )

    def _paged(self, evidence: list[Evidence]) -> list[Evidence]:
        """Evidence of a PDF with its page even where a rule only knew the line."""
        for ev in evidence:
            if ev.line and not ev.page:
                ev.page = self.page_of(ev.line)
        return evidence

    # ---- identities ---------------------------------------------------------------------------------
    def check_sum(
        self, total: Ref, parts: list[Ref], heading: str, rounded_items: int = 0
    ) -> Iterator[Finding]:
        """total = Σ parts, within the rounding model. Blank parts count as zero; a blank total is skipped.

        ``rounded_items``: how many rounded amounts the parts stand for, when they are themselves
        subtotals (合计 = Σ 类, each 类 summing its 项): the tolerance grows with them."""
        stated = total.value
        present = [p for p in parts if p.value is not None]
        if stated is None or (not present and not stated):
            return
        expected = sum((p.value or Decimal(0) for p in present), Decimal(0))
        diff = stated - expected
        finding = None
        if diff != 0:
            unit = precision([stated, *(p.value for p in present)])
            # printed zeros are exact; a single nonzero part is the same figure as its total
            nonzero = sum(1 for p in present if p.value)
            addends = max(nonzero, rounded_items)
            allowed = self.accepted.allowed(tolerance(addends, unit), total.unit)
            verdict = "break" if addends <= 1 or abs(diff) > allowed else "tail"
            if verdict == "break" and abs(diff) <= _narrow_slack([stated, *(p.value for p in present)]):
                verdict = (
                    "tail"  # a cell printed with fewer decimals than the table's stands for its rounding
                )
            terms = " + ".join(f"{p.describe()} {fmt(p.value)}" for p in present) or "各组成项（均为空白）"
            if verdict == "tail":
                message = (
                    f"{heading}：{total.describe()} {fmt(stated)} 与 {terms} = {fmt(expected)} 相差 {fmt(diff)}，"
                    f"在 {addends} 项四舍五入的尾差范围内（±{allowed}）"
                )
            else:
                message = f"{heading}：{total.describe()} {fmt(stated)} ≠ {terms} = {fmt(expected)}（相差 {fmt(diff)}）"
            finding = Finding(
                rule_id=self.rule_id,
                severity="info" if verdict == "tail" else "error",
                message=message,
                table=total.table.id,
                row_code=total.row.code,
                row_label=total.row.label,
                column=total.column,
                expected=expected,
                actual=stated,
                difference=diff,
                evidence=[total.evidence("total"), *(p.evidence("part") for p in present)],
            )
        self.identities.append(
            Identity(
                [(total.key, 1), *((p.key, -1) for p in present)],
                diff,
                self.rule_id,
                finding,
                [total, *present],
            )
        )
        if finding is not None:
            yield finding

    def check_copy(self, a: Ref, b: Ref, heading: str, items: int = 0) -> Iterator[Finding]:
        """The same figure printed twice. It may differ by a rounding tail only when one side sums ``items``
        rounded amounts, or when the document itself declares unit-conversion tails (尾数误差). Printed in
        two units (元 in one table, 万元 in another), the figures are compared in the smaller unit, within
        half a unit of the last digit the coarser side prints."""
        va, vb = a.value, b.value
        if va is None and vb is None or (va is None and not vb) or (vb is None and not va):
            return
        if va is None or vb is None:  # printed blank on one side, an amount on the other
            va, vb = va or Decimal(0), vb or Decimal(0)
        units = a.unit != b.unit
        fine = min((a.unit, b.unit), key=lambda u: YUAN_PER_UNIT.get(u, Decimal(1))) if units else a.unit
        ca, cb = convert(va, a.unit, fine), convert(vb, b.unit, fine)
        diff = ca - cb
        finding = None
        if diff != 0:
            unit = precision([va, vb])
            if units:  # the coarser printing's last digit, in the finer unit: 1.35 万元 stands for ±50 元
                coarse, cv = (
                    (a, va) if YUAN_PER_UNIT.get(a.unit, 1) > YUAN_PER_UNIT.get(b.unit, 1) else (b, vb)
                )
                allowed = self.accepted.allowed(convert(precision([cv]), coarse.unit, fine) / 2, fine)
            else:
                bound = tolerance(items, unit) if items else (unit if self.declares_tails else Decimal(0))
                allowed = self.accepted.allowed(bound, fine)
            tail = abs(diff) <= allowed
            reason = (
                "，在两种金额单位换算的尾差范围内"
                if tail and units
                else f"，在 {items} 项四舍五入的尾差范围内"
                if tail and items
                else "，报表注明存在尾数误差"
                if tail
                else ""
            )
            shown_a = f"{fmt(va)}{a.unit}" if units else fmt(va)
            shown_b = f"{fmt(vb)}{b.unit}" if units else fmt(vb)
            message = (
                f"{heading}：{table_name(a.table.id)} {a.describe()} {shown_a} "
                f"{'与' if tail else '≠'} {table_name(b.table.id)} {b.describe()} {shown_b}"
                f"（相差 {fmt(diff)}{fine if units else ''}{reason}）"
            )
            finding = Finding(
                rule_id=self.rule_id,
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
        if not units:  # the typo locator adds residuals: only those of one unit
            self.identities.append(Identity([(a.key, 1), (b.key, -1)], diff, self.rule_id, finding, [a, b]))
        if finding is not None:
            yield finding


def departments_and_units(table: Table) -> tuple[list[Row], list[Row]]:
    """Department rows (3-digit code) and unit rows (6-digit code) of B02/B05U."""
    departments = [r for r in table.rows if is_digits(r.code) and len(r.code) == 3]
    units = [r for r in table.rows if is_digits(r.code) and len(r.code) == 6]
    return departments, units
