"""Helpers of the cross-table rules: a summary table's classes against a detail table's."""

from __future__ import annotations

from collections.abc import Iterator

from cnbudget.audit.context import Context, Ref, first_value, row_name
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import NotEvaluable
from cnbudget.audit.tolerance import precision, tolerance
from cnbudget.domain.catalog import table_name
from cnbudget.domain.codes import class_code
from cnbudget.domain.text import plain_label
from cnbudget.model import Table
from cnbudget.model.tables import leaves_under

_SYSTEMATIC = 3
"""Differences in at least this many rows (and half of them) are one difference of reading or scope."""


def classes_vs(ctx: Context, summary: Table, detail: Table, detail_column: str) -> Iterator[Finding]:
    """Expenditure items of a summary table against the 类 rows of a function-code table."""
    col = first_value(summary, "支出")
    rows = detail.coded_rows()
    if not rows:
        raise NotEvaluable(f"{detail.id} 没有列出功能分类科目（按用途列示，或只有一行）")
    by_code = {r.full_code: r for r in rows}
    pairs = [
        (row, code, Ref(summary, row, col, plain_label(row.label)))
        for row in summary.rows
        if row.side == "支出" and (code := class_code(row.label)) is not None
    ]
    compared = [(a, by_code[code]) for _, code, a in pairs if code in by_code and a.value is not None]
    missing = [a for _, code, a in pairs if code not in by_code and a.value]
    apart = missing + [
        a
        for a, target in compared
        if (mine := a.value) is not None
        and (other := Ref(detail, target, detail_column).value_in(a.unit)) is not None
        and abs(mine - other) > tolerance(leaves_under(rows, target.full_code), precision([mine, other]))
    ]
    if len(apart) >= _SYSTEMATIC and 2 * len(apart) >= len(compared) + len(missing):
        # most classes differ: the two tables do not hold the same money here (carried-over or other funds in
        # one of them, or a misreading), which one finding says; class-by-class differences would repeat it
        ctx.not_here(
            f"{table_name(summary.id)}与{table_name(detail.id)}的 {len(compared) + len(missing)} 个类中 {len(apart)} 个不同或缺行："
            "两表口径不同或读表有误，不逐类报告"
        )
        yield ctx.finding(
            f"{table_name(summary.id)}与{table_name(detail.id)}的支出功能分类大多不一致（{len(apart)}/{len(compared) + len(missing)} 类）："
            "两表应为同一笔资金，请核对两表的口径（是否含上年结转、政府性基金等）和数据",
            severity="warning",
            table=summary.id,
            evidence=[a.evidence("copy") for a in apart[:5]],
        )
        return
    for row, code, a in pairs:
        target = by_code.get(code)
        if target is None:
            if a.value:
                yield ctx.finding(
                    f"{table_name(summary.id)} {row.label} {a.cell.raw if a.cell else ''} 在"
                    f"{table_name(detail.id)}中没有对应的 {code} 科目行",
                    table=summary.id,
                    row_code="",
                    row_label=row.label,
                    column=col,
                    actual=a.value,
                    evidence=[a.evidence("copy")],
                )
            continue
        b = Ref(detail, target, detail_column, row_name(target))
        yield from ctx.check_copy(
            a, b, f"{table_name(summary.id)}与{table_name(detail.id)}功能分类", items=leaves_under(rows, code)
        )
