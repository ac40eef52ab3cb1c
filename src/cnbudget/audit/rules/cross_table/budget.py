"""Budget tables that restate each other: B01 and B03, B04 and B05, B01 and B04, B03 and B05, B05 by function and by unit, B06 and B05 (XT-B…)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, Ref, first_value, fmt, row_name
from cnbudget.audit.findings import Finding
from cnbudget.audit.funds import only_general_budget
from cnbudget.audit.registry import NotEvaluable, rule
from cnbudget.audit.rules.cross_table.common import classes_vs
from cnbudget.audit.tolerance import precision
from cnbudget.domain.catalog import table_name
from cnbudget.domain.codes import class_code
from cnbudget.domain.numbers import convert
from cnbudget.domain.text import plain_label
from cnbudget.model import Row, Table
from cnbudget.model.summary import read_side


@rule(
    "XT-B01-B03",
    family="cross_table",
    tables=("B01", "B03"),
    description="收支总表各支出功能分类与支出总表类级科目合计一致",
    rationale=(
        "收支总表支出方各功能分类（类级）金额与支出总表相同类级科目的合计是同一数，"
        "收支总表本年支出合计也应等于支出总表合计行。"
    ),
    fix=(
        "逐类核对两表（收支总表按类名对应编码）：类级金额允许按该类所含项级个数计算的尾差，"
        "本年支出合计必须完全一致；收支总表某类有金额而支出总表没有该类科目行的直接报错。"
        "部门应查明哪张表录错并统一更正。"
    ),
)
def b01_b03(ctx: Context) -> Iterator[Finding]:
    b01, b03 = ctx.need("B01"), ctx.need("B03")
    total, b03_total = b01.side_row("支出", "本年支出合计"), b03.total_row()
    if not b03.coded_rows() and (total is None or b03_total is None):
        raise NotEvaluable("B03 没有列出功能分类科目，也没有可比较的合计行")
    if b03.coded_rows():
        yield from classes_vs(ctx, b01, b03, first_value(b03))
    if total is not None and b03_total is not None:
        yield from ctx.check_copy(
            Ref(b01, total, first_value(b01, "支出"), "本年支出合计"),
            Ref(b03, b03_total, first_value(b03), "合计"),
            "收支总表与支出总表",
        )


@rule(
    "XT-B04-B05",
    family="cross_table",
    tables=("B04", "B05"),
    description="财政拨款收支总表各支出功能分类与一般公共预算支出表类级科目一致（只有一般公共预算拨款时）",
    rationale="只有一般公共预算拨款时，财政拨款收支总表支出方各功能分类（类级）金额就是一般公共预算支出表（分功能科目）相应类级科目的合计。",
    fix=(
        "财政拨款收支总表收入方列有政府性基金或国有资本经营预算拨款时不检查；"
        "否则逐类核对，允许按该类所含项级个数计算的尾差，一表有金额而另一表没有该类科目行的直接报错。"
        "部门应查明错表并更正。"
    ),
)
def b04_b05(ctx: Context) -> Iterator[Finding]:
    b04 = ctx.need("B04")
    for row in b04.rows:
        name = plain_label(row.label)
        value = Ref(b04, row, first_value(b04, "收入")).value if row.side == "收入" else None
        if value and ("政府性基金" in name or "国有资本" in name):
            raise NotEvaluable("B04 含政府性基金或国有资本经营预算拨款")
    b05 = ctx.need("B05")
    reason = carried_over_apart(b04, b05)
    if reason:
        ctx.not_here(reason)
        return
    yield from classes_vs(ctx, b04, b05, first_value(b05))


def carried_over_apart(b04: Table, detail: Table) -> str:
    """Why 财政拨款收支总表 and a table of this year's appropriation are not the same money, or "": the
    appropriations' spending includes what last year's carry-over pays for, and the other table's total
    is short by exactly that carry-over (西安: 一般公共预算支出明细表 without the 上年结转)."""
    income, spending = read_side(b04, "收入"), read_side(b04, "支出")
    col_in, col_out = b04.first_value_column("收入"), b04.first_value_column("支出")
    total = detail.total_row()
    if col_in is None or col_out is None or total is None or spending.subtotal is None or not total.cells:
        return ""
    carry = sum((r.value(col_in) or Decimal(0) for r in income.carries), Decimal(0))
    spent = spending.subtotal.value(col_out)
    other = total.cells[0].value
    if not carry or spent is None or other is None:
        return ""
    spent_in = convert(spent, b04.amount_unit, detail.amount_unit)
    carry_in = convert(carry, b04.amount_unit, detail.amount_unit)
    if spent_in != other and abs(spent_in - other - carry_in) <= precision([spent_in, other, carry_in]):
        return (
            f"{table_name(b04.id)}支出含上年结转安排的 {fmt(carry)}，{table_name(detail.id)}合计 {fmt(other)} "
            f"正好少这部分：两表口径不同（后者只含本年拨款），不逐类核对"
        )
    return ""


@rule(
    "XT-B01-B04",
    family="cross_table",
    tables=("B01", "B04"),
    description="只有一般公共预算收入时，收支总表与财政拨款收支总表各支出功能分类一致",
    rationale=(
        "部门收入全部为一般公共预算拨款时，收支总表与财政拨款收支总表反映的是同一笔资金，"
        "两表支出方各功能分类金额应完全相同。"
    ),
    fix=(
        "仅当收支总表收入方没有政府性基金、国有资本经营预算拨款和各项非财政拨款收入时检查，"
        "否则两表本可不同，不作检查。逐类比较两表支出方金额，须完全一致（表注声明尾数误差的允许末位一个单位），"
        "不一致的由部门查明并统一更正。"
    ),
)
def b01_b04(ctx: Context) -> Iterator[Finding]:
    if not only_general_budget(ctx):
        raise NotEvaluable("收入不只有一般公共预算：两表可以不同")
    b01, b04 = ctx.need("B01"), ctx.need("B04")
    col_a, col_b = first_value(b01, "支出"), first_value(b04, "支出")
    by_code = {class_code(r.label): r for r in b04.rows if r.side == "支出" and class_code(r.label)}
    for row in b01.rows:
        code = class_code(row.label) if row.side == "支出" else None
        if code and code in by_code:
            other = by_code[code]
            yield from ctx.check_copy(
                Ref(b01, row, col_a, plain_label(row.label)),
                Ref(b04, other, col_b, plain_label(other.label)),
                "收支总表与财政拨款收支总表",
            )


_B03_B05 = (
    (("合计",), ("合计",)),
    (("基本支出",), ("基本支出/小计", "基本支出")),
    (("项目支出",), ("项目支出",)),
)
"""Columns of B03 and the same columns of B05, by the names each may print."""


@rule(
    "XT-B03-B05",
    family="cross_table",
    tables=("B03", "B05"),
    description="只有一般公共预算收入时，支出总表与一般公共预算支出表逐科目一致",
    rationale=(
        "部门收入只有一般公共预算时，全部支出都由一般公共预算安排，支出总表与一般公共预算支出表（分功能科目）"
        "应逐科目相同：合计、基本支出、项目支出一一相等，科目也一一对应。"
    ),
    fix=(
        "仅当收支总表收入方只有一般公共预算拨款时检查；报告列出一表有金额而另一表没有的科目，"
        "以及同一科目（含合计行）合计、基本支出、项目支出不相等之处，须完全一致。部门应统一两表的科目和金额。"
    ),
)
def b03_b05(ctx: Context) -> Iterator[Finding]:
    if not only_general_budget(ctx):
        raise NotEvaluable("收入不只有一般公共预算")
    b03, b05 = ctx.need("B03"), ctx.need("B05")
    if not b03.coded_rows() or not b05.coded_rows():
        raise NotEvaluable("B03 或 B05 没有列出功能分类科目")
    columns = [
        (col_a, col_b)
        for names_a, names_b in _B03_B05
        if (col_a := b03.find_column(*names_a)) is not None
        and (col_b := b05.find_column(*names_b)) is not None
    ]
    if not columns:
        raise NotEvaluable("B03 与 B05 没有相同的金额列")
    b05_rows = {r.full_code: r for r in b05.coded_rows()}
    pairs: list[tuple[Row, Row | None]] = [(r, b05_rows.get(r.full_code)) for r in b03.coded_rows()]
    totals = (b03.total_row(), b05.total_row())
    if totals[0] is not None and totals[1] is not None:
        pairs.append((totals[0], totals[1]))
    b03_codes = {r.full_code for r in b03.coded_rows()}
    one_sided = [(b03, r, b05) for r, other in pairs if other is None and any(c.value for c in r.cells)]
    one_sided += [
        (b05, r, b03)
        for r in b05.coded_rows()
        if r.full_code not in b03_codes and any(c.value for c in r.cells)
    ]
    for table, r, other_table in one_sided:
        yield ctx.finding(
            f"{table_name(table.id)} 列有 {row_name(r)}，{table_name(other_table.id)} 中没有该科目",
            at=(table, r),
        )
    for a_row, b_row in pairs:
        if b_row is None:
            continue
        for a_col, b_col in columns:
            yield from ctx.check_copy(
                Ref(b03, a_row, a_col, f"{row_name(a_row)} {a_col}"),
                Ref(b05, b_row, b_col, f"{row_name(b_row)} {b_col}"),
                "支出总表与一般公共预算支出表",
            )


@rule(
    "XT-B05-B05U",
    family="cross_table",
    tables=("B05", "B05U"),
    description="一般公共预算支出表分功能科目与分单位的合计一致",
    rationale=(
        "一般公共预算支出表分功能科目和分单位是同一批一般公共预算支出的两种列示方式，"
        "两表合计行的合计、基本支出（小计、人员经费、公用经费）、项目支出应逐列相等。"
    ),
    fix=(
        "核对两表合计行（分单位表无合计行时取部门行或唯一的单位行），各列须完全一致，"
        "表注声明尾数误差的允许末位一个单位；分单位表没有任何单位行而分功能科目表有金额的也报错。"
        "部门应查明是漏列单位还是金额录错并更正。"
    ),
)
def b05_b05u(ctx: Context) -> Iterator[Finding]:
    b05, b05u = ctx.need("B05"), ctx.need("B05U")
    total_a = b05.total_row()
    total_b = b05u.total_row() or next((r for r in b05u.rows if r.code and len(r.code) == 3), None)
    if total_b is None and len([r for r in b05u.rows if r.code]) == 1:
        total_b = next(r for r in b05u.rows if r.code)
    if total_a is not None and total_b is None and not b05u.rows and any(c.value for c in total_a.cells):
        yield ctx.finding(
            f"一般公共预算支出表（分单位）没有任何单位行，而分功能科目表合计为 {total_a.cells[0].raw}",
            at=b05u,
            evidence=[Ref(b05, total_a, total_a.cells[0].column).evidence("copy")],
        )
        return
    if total_a is None or total_b is None:
        raise NotEvaluable("B05 或 B05U 没有合计行")
    for col in b05.value_keys():
        yield from ctx.check_copy(
            Ref(b05, total_a, col, f"合计 {col}"),
            Ref(b05u, total_b, col, f"{row_name(total_b)} {col}"),
            "分功能科目与分单位",
        )


@rule(
    "XT-B06-B05",
    family="cross_table",
    tables=("B05", "B06"),
    description="基本支出表合计、人员经费、公用经费与一般公共预算支出表基本支出一致",
    rationale=(
        "一般公共预算基本支出表是一般公共预算支出中基本支出按经济分类的展开："
        "基本支出表合计 = 一般公共预算支出表基本支出小计，人员经费、公用经费分别相等。"
    ),
    fix=(
        "核对两表合计行的这三个数，须完全一致（表注声明尾数误差的允许末位一个单位）。"
        "不一致的，检查基本支出表经济科目是否漏列、错列或人员经费与公用经费划分有误，由部门更正。"
    ),
)
def b06_b05(ctx: Context) -> Iterator[Finding]:
    b05, b06 = ctx.need("B05"), ctx.need("B06")
    t5, t6 = b05.total_row(), b06.total_row()
    if t5 is None or t6 is None:
        raise NotEvaluable("B05 或 B06 没有合计行")
    pairs = [
        (col6, col5)
        for col6, names5 in zip(b06.value_keys(), _B06_B05, strict=False)
        if (col5 := b05.find_column(*names5)) is not None
    ]
    if not pairs:
        raise NotEvaluable("B05 没有基本支出列")
    for col6, col5 in pairs:
        yield from ctx.check_copy(
            Ref(b06, t6, col6, f"合计 {col6.split('/')[-1]}"),
            Ref(b05, t5, col5, f"合计 {col5}"),
            "基本支出表与一般公共预算支出表",
        )


_B06_B05 = (("基本支出/小计", "基本支出"), ("基本支出/人员经费",), ("基本支出/公用经费",))
"""B06's 合计, 人员经费, 公用经费 as B05 prints them (it may print 基本支出 without its two parts)."""
