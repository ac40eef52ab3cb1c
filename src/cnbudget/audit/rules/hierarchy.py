"""Code hierarchies: 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 (function codes); the same for economic codes;
codes that are not in the reference lists, or that sit under the wrong parent."""

from __future__ import annotations

from collections.abc import Iterator

from cnbudget.audit.context import Context, Ref, row_name
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.catalog import spec_for, table_name
from cnbudget.domain.codes import economic_codes, function_codes
from cnbudget.model import Row, Table
from cnbudget.model.tables import leaves_under

FUNCTION_TABLES = ("B03", "B05", "B08", "B09", "F02", "F03", "F05", "F07", "F08")
ECONOMIC_TABLES = ("B06",)


def _value_keys(table: Table) -> list[str]:
    return list(dict.fromkeys(c.key for c in table.columns if c.role == "value"))


def check_level(ctx: Context, rule_id: str, table: Table, parent_len: int) -> Iterator[Finding]:
    rows = table.coded_rows()
    parents = [r for r in rows if len(r.full_code) == parent_len]
    for parent in parents:
        code = parent.full_code
        children = [r for r in rows if len(r.full_code) == parent_len + 2 and r.full_code.startswith(code)]
        if not children:
            continue
        leaves = leaves_under(rows, code)
        for column in _value_keys(table):
            f = ctx.check_sum(
                rule_id,
                Ref(table, parent, column, f"{row_name(parent)} {column}"),
                [Ref(table, r, column, row_name(r)) for r in children],
                f"{table_name(table.id)} {code} 下级科目合计",
                rounded_items=leaves,
            )
            if f:
                yield f


def check_total(ctx: Context, rule_id: str, table: Table) -> Iterator[Finding]:
    rows = table.coded_rows()
    classes = [r for r in rows if len(r.full_code) == 3]
    totals = [r for r in table.rows if r.kind == "total" and not r.code and r.label in ("合计", "总计")]
    if not classes or not totals:
        return
    leaves = sum(leaves_under(rows, c.full_code) for c in classes)
    for column in _value_keys(table):
        f = ctx.check_sum(
            rule_id,
            Ref(table, totals[0], column, f"合计 {column}"),
            [Ref(table, r, column, row_name(r)) for r in classes],
            f"{table_name(table.id)} 合计行",
            rounded_items=leaves,
        )
        if f:
            yield f


def _register(table_id: str) -> None:
    kind = "final" if table_id.startswith("F") else "budget"
    name = spec_for(table_id).name
    economic = table_id in ECONOMIC_TABLES
    unit = "经济分类" if economic else "功能分类"

    @rule(f"HIER-{table_id}-TOTAL", "hierarchy", "error", f"{name}：合计行等于各{unit}类级科目之和",
          kinds=(kind,), tables=(table_id,))  # fmt: skip
    def total(ctx: Context) -> Iterator[Finding]:
        return check_total(ctx, f"HIER-{table_id}-TOTAL", ctx.need(table_id))

    @rule(f"HIER-{table_id}-CLASS", "hierarchy", "error", f"{name}：每个类级科目等于其下款级科目之和",
          kinds=(kind,), tables=(table_id,))  # fmt: skip
    def classes(ctx: Context) -> Iterator[Finding]:
        return check_level(ctx, f"HIER-{table_id}-CLASS", ctx.need(table_id), 3)

    if not economic:

        @rule(f"HIER-{table_id}-KUAN", "hierarchy", "error", f"{name}：每个款级科目等于其下项级科目之和",
              kinds=(kind,), tables=(table_id,))  # fmt: skip
        def kuan(ctx: Context) -> Iterator[Finding]:
            return check_level(ctx, f"HIER-{table_id}-KUAN", ctx.need(table_id), 5)


for _t in ("B03", "B05", "B06", "F02", "F03", "F05"):
    _register(_t)


def _f06_groups(table: Table) -> tuple[list[Row], list[Row]]:
    personnel = [r for r in table.rows if r.full_code[:3] in ("301", "303")]
    public = [r for r in table.rows if r.full_code[:3] in ("302", "307", "309", "310", "312", "399")]
    return personnel, public


@rule("HIER-F06-CLASS", "hierarchy", "error", "基本支出决算明细表：每个经济分类类级科目等于其下款级科目之和",
      kinds=("final",), tables=("F06",))  # fmt: skip
def f06_classes(ctx: Context) -> Iterator[Finding]:
    table = ctx.need("F06")
    rows = [r for r in table.rows if r.full_code.isdigit()]
    for parent in [r for r in rows if len(r.full_code) == 3]:
        children = [r for r in rows if len(r.full_code) == 5 and r.full_code.startswith(parent.full_code)]
        for cell in parent.cells:
            f = ctx.check_sum(
                "HIER-F06-CLASS",
                Ref(table, parent, cell.column, row_name(parent)),
                [Ref(table, r, cell.column, row_name(r)) for r in children],
                f"{table_name(table.id)} {parent.full_code} 下级科目合计",
            )
            if f:
                yield f


@rule("HIER-F06-TOTAL", "hierarchy", "error", "基本支出决算明细表：人员经费合计、公用经费合计等于各类级科目之和",
      kinds=("final",), tables=("F06",))  # fmt: skip
def f06_totals(ctx: Context) -> Iterator[Finding]:
    table = ctx.need("F06")
    personnel, public = _f06_groups(table)
    for label, members in (("人员经费合计", personnel), ("公用经费合计", public)):
        total = next((r for r in table.rows if r.label == label), None)
        classes = [r for r in members if len(r.full_code) == 3]
        if total is None or not total.cells or not classes:
            continue
        column = total.cells[0].column
        leaves = sum(1 for r in members if len(r.full_code) == 5 and r.cells) or len(classes)
        f = ctx.check_sum(
            "HIER-F06-TOTAL",
            Ref(table, total, column, label),
            [Ref(table, r, r.cells[0].column if r.cells else column, row_name(r)) for r in classes],
            f"{table_name(table.id)} {label}",
            rounded_items=leaves,
        )
        if f:
            yield f


@rule(
    "HIER-CODE-001", "hierarchy", "warning", "科目编码的类级不在支出功能/经济分类目录中", basis="regulation"
)
def unknown_codes(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.tables:
        if table.id not in FUNCTION_TABLES + ECONOMIC_TABLES + ("F06",):
            continue
        reference = economic_codes() if table.id in ("B06", "F06") else function_codes()
        for row in table.coded_rows():
            head = row.full_code[:3]
            if head not in reference:
                yield Finding(
                    rule_id="HIER-CODE-001",
                    severity="warning",
                    message=f"{table_name(table.id)} {row_name(row)}：类级科目 {head} 不在{'经济' if table.id in ('B06', 'F06') else '功能'}分类目录中",
                    table=table.id,
                    row_code=row.code,
                    row_label=row.label,
                    evidence=[Evidence("row", table.id, row.code, row.label, line=row.line)],
                )


@rule("HIER-CODE-002", "hierarchy", "error", "款/项级科目缺少其上级科目行（层级不完整）", basis="regulation")
def orphan_codes(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.tables:
        if table.id not in FUNCTION_TABLES + ECONOMIC_TABLES + ("F06",):
            continue
        rows = table.coded_rows()
        codes = {r.full_code for r in rows}
        for row in rows:
            code = row.full_code
            if len(code) > 3 and code[:-2] not in codes:
                yield Finding(
                    rule_id="HIER-CODE-002",
                    severity="error",
                    message=f"{table_name(table.id)} {row_name(row)}：缺少上级科目 {code[:-2]} 行",
                    table=table.id,
                    row_code=row.code,
                    row_label=row.label,
                    evidence=[Evidence("row", table.id, row.code, row.label, line=row.line)],
                )


@rule("HIER-NAME-001", "hierarchy", "info", "同一科目编码在不同表中名称不一致（科目名称以编码为准）",
      basis="consistency")  # fmt: skip
def names_differ(ctx: Context) -> Iterator[Finding]:
    seen: dict[str, tuple[str, Row]] = {}
    reported: set[tuple[str, str]] = set()
    for table in ctx.doc.tables:
        if table.id not in FUNCTION_TABLES:
            continue
        for row in table.coded_rows():
            code = row.full_code
            if row.code != code:
                continue  # names of prefix-only rows are truncated by the converter
            first = seen.setdefault(code, (table.id, row))
            other_table, other = first
            if (
                other.label != row.label
                and (code, row.label) not in reported
                and not (other.label.startswith(row.label) or row.label.startswith(other.label))
            ):
                reported.add((code, row.label))
                yield Finding(
                    rule_id="HIER-NAME-001",
                    severity="info",
                    message=f"科目 {code} 在{table_name(other_table)}中为“{other.label}”，在{table_name(table.id)}中为“{row.label}”",
                    table=table.id,
                    row_code=code,
                    row_label=row.label,
                    evidence=[
                        Evidence("row", other_table, other.code, other.label, line=other.line),
                        Evidence("row", table.id, row.code, row.label, line=row.line),
                    ],
                )


@rule("HIER-CODE-003", "hierarchy", "error", "有金额的类、款级科目列出了其下级科目（功能分类到项级，经济分类到款级）",
      basis="regulation")  # fmt: skip
def childless_codes(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.tables:
        if table.id not in FUNCTION_TABLES + ECONOMIC_TABLES + ("F06",):
            continue
        economic = table.id in ("B06", "F06")
        rows = table.coded_rows()
        codes = {r.full_code for r in rows}
        for row in rows:
            code = row.full_code
            if len(code) >= (5 if economic else 7) or not any(c.value for c in row.cells):
                continue
            if not any(c != code and c.startswith(code) and len(c) == len(code) + 2 for c in codes):
                yield Finding(
                    rule_id="HIER-CODE-003",
                    severity="error",
                    message=f"{table_name(table.id)} {row_name(row)} 有金额，但没有列出其下级科目",
                    table=table.id,
                    row_code=row.code,
                    row_label=row.label,
                    evidence=[Evidence("row", table.id, row.code, row.label, line=row.line)],
                )
