"""Totals printed blank (SUM-BLANK-001) and units adding up to their departments (SUM-UNITS-001)."""

from __future__ import annotations

from collections.abc import Iterator

from cnbudget.audit.context import Context, Ref, departments_and_units, row_name
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.audit.rules.sums.rows import column_name
from cnbudget.domain.catalog import table_name
from cnbudget.model.headers import column_identities, table_paths


@rule(
    "SUM-BLANK-001",
    family="sums",
    severity="warning",
    basis="consistency",
    description="合计/小计列留空而其组成列有数",
    rationale=(
        "合计、小计列是其组成列的加总；组成列有数而合计（小计）留空，该行金额不完整，"
        "读者看不到合计数，表内勾稽也无法核对。"
    ),
    fix=(
        "查看报告所列单元格是漏填还是在文件转换中丢失。"
        "部门应补填合计（小计）数并使之等于组成列之和；补填前该行不参加合计列的勾稽检查，补填后应复核。"
    ),
)
def blank_totals(ctx: Context) -> Iterator[Finding]:
    for table in ctx.tables():
        identities = column_identities(table_paths(table))
        if not identities:
            continue
        for row in table.rows:
            values = {c.column: c.value for c in row.cells}
            for identity in identities:
                if values.get(identity.total) is not None or not any(values.get(p) for p in identity.parts):
                    continue  # the common case, decided without building references
                total = Ref(table, row, identity.total, column_name(identity.total))
                parts = [Ref(table, row, p, column_name(p)) for p in identity.parts]
                filled = [p for p in parts if p.value not in (None, 0)]
                if total.value is None and filled:
                    names = "、".join(f"{p.describe()} {p.cell.raw if p.cell else ''}" for p in filled)
                    yield ctx.finding(
                        f"{table_name(table.id)} {row_name(row)}：{total.describe()}留空，但 {names} 有数",
                        table=table.id,
                        row_code=row.code,
                        row_label=row.label,
                        column=identity.total,
                        evidence=[p.evidence("part") for p in filled],
                    )


@rule(
    "SUM-UNITS-001",
    family="sums",
    kinds=("budget",),
    description="收入总表、分单位支出表中各单位之和等于部门行，各部门之和等于合计行",
    rationale=(
        "收入总表和一般公共预算支出表（分单位）中，部门行是其所属单位（单位编码以部门编码开头）的汇总，"
        "合计行是各部门行的汇总：部门行 = Σ 所属单位行，合计 = Σ 部门行。"
    ),
    fix=(
        "逐列核对报告所列部门行或合计行与其下各行之和（某部门行留空时，合计行改按单位行核对），"
        "尾差范围内只作提示。超出的，检查是否漏列、重复列示单位或单位编码归属错误，由部门更正汇总数或明细数。"
    ),
)
def units_add_up(ctx: Context) -> Iterator[Finding]:
    for table_id in ("B02", "B05U"):
        table = ctx.table(table_id)
        if table is None or not table.lists_units:
            continue
        departments, units = departments_and_units(table)
        total = table.total_row()
        columns = table.value_keys()
        for dept in departments:
            members = [u for u in units if u.code.startswith(dept.code)]
            for column in columns if members else []:
                yield from ctx.check_sum(
                    Ref(table, dept, column, f"{row_name(dept)} {column}"),
                    [Ref(table, u, column, row_name(u)) for u in members],
                    f"{table_name(table_id)} 部门行",
                )
        if total is None or not (departments or units):
            continue
        for column in columns:
            # a department row printed blank (a warning of its own) is replaced by its units
            tops = departments if all(Ref(table, d, column).value is not None for d in departments) else units
            yield from ctx.check_sum(
                Ref(table, total, column, f"合计 {column}"),
                [Ref(table, r, column, row_name(r)) for r in (tops or units)],
                f"{table_name(table_id)} 合计行",
            )
