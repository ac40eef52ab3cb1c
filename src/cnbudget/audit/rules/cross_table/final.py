"""Final-account tables that restate each other (XT-F…)."""

from __future__ import annotations

from collections.abc import Iterator

from cnbudget.audit.context import Context, Ref, first_value, row_name
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import NotEvaluable, rule
from cnbudget.audit.rules.cross_table.common import classes_vs
from cnbudget.domain.codes import class_code
from cnbudget.domain.text import plain_label
from cnbudget.model.tables import leaves_under


def _final_classes(ctx: Context, summary_id: str, detail_id: str, detail_column: str) -> Iterator[Finding]:
    summary, detail = ctx.need(summary_id), ctx.need(detail_id)
    column = next(
        (c.key for c in detail.columns if c.role == "value" and c.key.startswith(detail_column)), None
    )
    if column is None:
        raise NotEvaluable(f"{detail_id} 没有“{detail_column}”列")
    yield from classes_vs(ctx, summary, detail, column)


@rule(
    "XT-F01-F03",
    family="cross_table",
    tables=("F01", "F03"),
    description="收入支出决算总表各支出功能分类与支出决算表类级科目一致",
    rationale="收入支出决算总表支出方各功能分类（类级）金额，等于支出决算表相应类级科目的本年支出合计。",
    fix=(
        "逐类核对，允许按该类所含项级科目个数计算的尾差；决算总表某类有金额而支出决算表没有该类科目行的直接报错。"
        "部门应查明错表并统一更正。"
    ),
)
def f01_f03(ctx: Context) -> Iterator[Finding]:
    return _final_classes(ctx, "F01", "F03", "本年支出合计")


@rule(
    "XT-F04-F05",
    family="cross_table",
    tables=("F04", "F05"),
    description="财政拨款收支决算总表一般公共预算支出与一般公共预算支出决算表类级科目一致",
    rationale=(
        "财政拨款收入支出决算总表支出方各功能分类的一般公共预算财政拨款金额，"
        "等于一般公共预算财政拨款支出决算表相应类级科目的本年支出合计。"
    ),
    fix=(
        "逐类核对，允许按该类所含项级科目个数计算的尾差，超出为错误；"
        "财政拨款决算总表中识别不出一般公共预算列时不检查。部门应查明错表并更正。"
    ),
)
def f04_f05(ctx: Context) -> Iterator[Finding]:
    f04, f05 = ctx.need("F04"), ctx.need("F05")
    col4 = next((c.key for c in f04.columns if c.side == "支出" and "一般公共预算" in c.key), None)
    col5 = next((c.key for c in f05.columns if c.role == "value"), None)
    if col4 is None or col5 is None:
        raise NotEvaluable("未能识别 F04 或 F05 的列")
    rows = f05.coded_rows()
    by_code = {r.full_code: r for r in rows}
    for row in f04.rows:
        code = class_code(row.label) if row.side == "支出" else None
        if code and code in by_code:
            target = by_code[code]
            yield from ctx.check_copy(
                Ref(f04, row, col4, plain_label(row.label)),
                Ref(f05, target, col5, row_name(target)),
                "财政拨款收支决算总表与一般公共预算支出决算表",
                items=leaves_under(rows, code),
            )


@rule(
    "XT-F01-F02",
    family="cross_table",
    tables=("F01", "F02"),
    description="收入支出决算总表本年收入合计与收入决算表合计一致",
    rationale="收入支出决算总表的本年收入合计与收入决算表合计行的本年收入合计是同一数。",
    fix=(
        "核对两数，须完全一致（表注声明尾数误差的允许末位一个单位）；任一表找不到该合计行时不检查。"
        "不一致的，部门应查明哪张表录错并统一更正。"
    ),
)
def f01_f02(ctx: Context) -> Iterator[Finding]:
    f01, f02 = ctx.need("F01"), ctx.need("F02")
    a_row, b_row = f01.side_row("收入", "本年收入合计"), f02.total_row()
    if a_row is None or b_row is None:
        raise NotEvaluable("F01 没有本年收入合计，或 F02 没有合计行")
    yield from ctx.check_copy(
        Ref(f01, a_row, first_value(f01, "收入"), "本年收入合计"),
        Ref(f02, b_row, first_value(f02), "合计"),
        "收入支出决算总表与收入决算表",
    )


@rule(
    "XT-F05-F06",
    family="cross_table",
    tables=("F05", "F06"),
    description="一般公共预算支出决算表基本支出 = 基本支出决算明细表人员经费合计 + 公用经费合计",
    rationale=(
        "一般公共预算财政拨款基本支出在基本支出决算明细表中按经济分类展开，"
        "故一般公共预算财政拨款支出决算表合计行的基本支出 = 明细表人员经费合计 + 公用经费合计。"
    ),
    fix=(
        "核对三数关系，差额在两项四舍五入的尾差（0.015 万元）以内只作提示，超出为错误。"
        "超出的，检查明细表是否漏列经济科目、人员经费与公用经费合计是否加错，由部门更正。"
    ),
)
def f05_f06(ctx: Context) -> Iterator[Finding]:
    f05, f06 = ctx.need("F05"), ctx.need("F06")
    t5 = f05.total_row()
    parts = [r for r in f06.rows if r.label in ("人员经费合计", "公用经费合计") and r.cells]
    basic = next((c.key for c in f05.columns if c.role == "value" and c.key.endswith("基本支出")), None)
    if t5 is None or len(parts) != 2 or basic is None:
        raise NotEvaluable("F05 或 F06 没有合计行")
    yield from ctx.check_sum(
        Ref(f05, t5, basic, "合计 基本支出"),
        [Ref(f06, r, r.cells[0].column, r.label) for r in parts],
        "一般公共预算支出决算表与基本支出决算明细表",
    )
