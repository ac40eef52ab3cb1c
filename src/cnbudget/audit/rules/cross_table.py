"""Tables that must agree with each other (DOMAIN.md §4, across tables)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, Ref, column, first_value, fmt, row_name, table_evidence
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.funds import only_general_budget
from cnbudget.audit.registry import NotEvaluable, rule
from cnbudget.audit.rules.sums import departments_and_units as _units
from cnbudget.audit.tolerance import display_tolerance, precision, tolerance
from cnbudget.domain.catalog import table_name
from cnbudget.domain.codes import class_code
from cnbudget.domain.numbers import convert
from cnbudget.domain.text import plain_label
from cnbudget.model import FundSource, Row, Table
from cnbudget.model.summary import read_side
from cnbudget.model.tables import leaves_under, three_public_view

_SYSTEMATIC = 3
"""Differences in at least this many rows (and half of them) are one difference of reading or scope."""


def _classes_vs(ctx: Context, summary: Table, detail: Table, detail_column: str) -> Iterator[Finding]:
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
        yield from _classes_vs(ctx, b01, b03, first_value(b03))
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
    yield from _classes_vs(ctx, b04, b05, first_value(b05))


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

_THREE_PUBLIC_CODES = (("公务接待费", "30217"), ("公务用车运行费", "30231"), ("公务用车购置费", "31013"))


def _three_public_column(table: Table, leaf: str, measure: str = "") -> str | None:
    for col in table.columns:
        if not col.current:
            continue  # 上年 and 增减 columns printed beside this year's (西安)
        found, items = three_public_view(col.key)
        if found == measure and items and items[-1].startswith(leaf[:6]):
            return col.key
    return None


def _basic_value(table: Table, code: str) -> Ref | None:
    row = next((r for r in table.rows if r.full_code == code), None)
    if row is None or not row.cells:
        return None
    return Ref(table, row, row.cells[0].column, row_name(row))


def _three_public_vs_basic(ctx: Context, tp: Table, basic: Table, measure: str) -> Iterator[Finding]:
    if not tp.rows:
        return
    row = tp.rows[0]
    for leaf, code in _THREE_PUBLIC_CODES:
        column = _three_public_column(tp, leaf, measure) or _three_public_column(
            tp, leaf.replace("运行费", "运行维护费"), measure
        )
        ref_b = _basic_value(basic, code)
        if column is None or ref_b is None or ref_b.value is None:
            continue
        ref_a = Ref(tp, row, column, leaf)
        value = ref_a.value if ref_a.value is not None else Decimal(0)
        # the two tables may print different units (三公 in 万元, basic spending in 元): compare in ref_b's,
        # allowing half a unit of the last digit ref_a prints
        in_b = convert(value, ref_a.unit, ref_b.unit)
        slack = (
            convert(precision([value]), ref_a.unit, ref_b.unit) / 2
            if ref_a.unit != ref_b.unit
            else Decimal(0)
        )
        if in_b + slack < ref_b.value:
            units = ref_a.unit != ref_b.unit
            yield ctx.finding(
                f"{table_name(tp.id)} {leaf} {ref_a.cell.raw if ref_a.cell else '空白'}{ref_a.unit if units else ''} 小于"
                f"{table_name(basic.id)} {ref_b.describe()} {ref_b.value}{ref_b.unit if units else ''}："
                "“三公”经费应包含基本支出中的该项",
                table=tp.id,
                row_code="",
                row_label="",
                column=column,
                expected=ref_b.value,
                actual=in_b,
                difference=in_b - ref_b.value,
                evidence=[ref_a.evidence("copy"), ref_b.evidence("copy")],
            )


@rule(
    "XT-B07-B06",
    family="cross_table",
    tables=("B07", "B06"),
    description="“三公”经费各项不小于基本支出表相应经济科目（30217、30231、31013）",
    rationale=(
        "“三公”经费中的公务接待费、公务用车运行维护费、公务用车购置费，分别包含一般公共预算基本支出中"
        " 30217 公务接待费、30231 公务用车运行维护费、31013 公务用车购置的安排"
        "（“三公”经费还可能含项目支出安排的部分），所以“三公”各项不应小于基本支出表相应经济科目。"
    ),
    fix=(
        "对比“三公”经费表各项与基本支出表 30217、30231、31013 科目金额："
        "“三公”项小于对应科目即为错误（“三公”表留空按 0 计），基本支出表未列该科目的不检查。"
        "部门应核实“三公”经费的统计口径，补足漏计部分或更正经济科目。"
    ),
)
def b07_b06(ctx: Context) -> Iterator[Finding]:
    yield from _three_public_vs_basic(ctx, ctx.need("B07"), ctx.need("B06"), "")


@rule(
    "XT-F09-F06",
    family="cross_table",
    tables=("F09", "F06"),
    description="“三公”经费决算数各项不小于基本支出决算明细表相应科目",
    rationale=(
        "财政拨款“三公”经费决算数中的公务接待费、公务用车运行维护费、公务用车购置费，"
        "分别包含基本支出决算明细表中 30217、30231、31013 科目的决算数（“三公”经费还可含项目支出），"
        "所以不应小于后者。"
    ),
    fix=(
        "对比“三公”经费表决算数各项与明细表相应科目：小于即为错误（留空按 0 计），明细表未列该科目的不检查。"
        "部门应核实“三公”经费决算的统计口径并更正。"
    ),
)
def f09_f06(ctx: Context) -> Iterator[Finding]:
    yield from _three_public_vs_basic(ctx, ctx.need("F09"), ctx.need("F06"), "决算数")


@rule(
    "XT-B10-B03",
    family="cross_table",
    tables=("B10", "B03"),
    description="项目支出表各项目合计等于支出总表项目支出合计",
    rationale="项目支出表列示本部门全部项目，各项目合计之和应等于支出总表合计行的项目支出。",
    fix=(
        "将项目支出表各项目行（不含部门、单位、一级项目等汇总行）的合计相加，与支出总表项目支出比较；"
        "差额在按项目个数计算的尾差范围内只作提示，超出为错误；没有可识别的项目行或支出总表没有合计行时不检查。"
        "超出的，检查是否漏列、重复列示项目或项目金额录错，由部门更正。"
    ),
)
def b10_b03(ctx: Context) -> Iterator[Finding]:
    b10, b03 = ctx.need("B10"), ctx.need("B03")
    lines = {p.line for p in ctx.doc.projects if p.level == "project"}
    total_column = first_value(b10)
    projects = [Ref(b10, r, total_column, r.label) for r in b10.rows if r.line in lines and r.label]
    t3 = b03.total_row()
    if not projects or t3 is None:
        raise NotEvaluable("项目支出表没有列有金额的项目，或 B03 没有合计行")
    yield from ctx.check_sum(
        Ref(b03, t3, column(b03, "项目支出"), "支出总表 项目支出"),
        projects,
        f"项目支出表 {len(projects)} 个项目与支出总表项目支出",
    )


_B02_B01: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("本年收入/一般公共预算", "一般公共预算"),
        ("一般公共预算拨款收入", "一般公共预算资金", "一般公共预算拨款"),
    ),
    (("本年收入/政府性基金预算", "政府性基金预算"), ("政府性基金预算拨款收入", "政府性基金")),
    (("本年收入/国有资本经营预算", "国有资本经营预算"), ("国有资本经营预算拨款收入", "国有资本经营预算")),
    (("财政拨款收入",), ("财政拨款收入",)),
    (("本年收入/财政专户管理资金", "财政专户管理资金"), ("财政专户管理资金收入", "财政专户管理资金")),
    (("本年收入/事业收入", "事业收入"), ("事业收入",)),
    (("本年收入/事业单位经营收入", "事业单位经营收入"), ("事业单位经营收入",)),
    (("本年收入/上级补助收入", "上级补助收入"), ("上级补助收入",)),
    (("本年收入/附属单位上缴收入", "附属单位上缴收入"), ("附属单位上缴收入",)),
    (("本年收入/其他收入", "其他收入"), ("其他收入",)),
    (("本年收入/小计",), ("本年收入合计",)),
    (("合计",), ("收入总计",)),
    (("上年结转结余/小计", "上年结转结余"), ("上年结转结余",)),
)
"""A column of 收入总表 (by the names it may be printed under) and the 收支总表 income row stating the same
figure (by the names that row may carry)."""


@rule(
    "XT-B02-B01",
    family="cross_table",
    tables=("B02", "B01"),
    description="收入总表各收入来源与收支总表收入项一致",
    rationale="收入总表合计行按来源列示的本年收入各项、本年收入小计、上年结转结余和合计，与收支总表收入方相应各项是同一数，必须一致。",
    fix=(
        "逐项核对收入总表合计行（无合计行时取部门行）与收支总表对应收入项，须完全一致，"
        "表注声明尾数误差的允许末位一个单位。部门应查明哪张表录错并统一更正。"
    ),
)
def b02_b01(ctx: Context) -> Iterator[Finding]:
    b02, b01 = ctx.need("B02"), ctx.need("B01")
    top = b02.total_row() or next((r for r in b02.rows if r.code and len(r.code) == 3), None)
    if top is None:
        raise NotEvaluable("B02 没有合计行")
    col = first_value(b01, "收入")
    compared = False
    for b02_names, b01_names in _B02_B01:
        b02_col = b02.find_column(*b02_names)
        target = next((r for name in b01_names if (r := b01.side_row("收入", name)) is not None), None)
        if b02_col is None or target is None:
            continue
        a = Ref(b02, top, b02_col, f"{row_name(top)} {b02_col}")
        b = Ref(b01, target, col, b01_names[0])
        compared = True
        if a.value is None and not b.value:
            continue
        yield from ctx.check_copy(a, b, "收入总表与收支总表")
    if not compared:
        raise NotEvaluable("B02 与 B01 没有共同列示的收入来源")


def _final_classes(ctx: Context, summary_id: str, detail_id: str, detail_column: str) -> Iterator[Finding]:
    summary, detail = ctx.need(summary_id), ctx.need(detail_id)
    column = next(
        (c.key for c in detail.columns if c.role == "value" and c.key.startswith(detail_column)), None
    )
    if column is None:
        raise NotEvaluable(f"{detail_id} 没有“{detail_column}”列")
    yield from _classes_vs(ctx, summary, detail, column)


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


@rule(
    "XT-B11-B01",
    family="cross_table",
    tables=("B01",),
    description="整体支出绩效目标表的资金合计与收支总表收入总计一致",
    rationale="部门整体支出绩效目标表反映部门全部预算资金，其资金合计应等于收支总表的收入总计。",
    fix=(
        "核对整体支出绩效目标表“合计”行当年金额与收支总表收入总计，要求完全相等。"
        "不一致的，检查绩效目标表是否漏计上年结转或非财政拨款资金、金额单位（元／万元）是否与收支总表相同，"
        "由部门更正。"
    ),
)
def b11_b01(ctx: Context) -> Iterator[Finding]:
    b11 = ctx.doc.performance_table("B11")
    b01 = ctx.need("B01")
    grand = b01.side_row("收入", "收入总计")
    if b11 is None or b11.total_budget is None or grand is None:
        raise NotEvaluable("未找到整体支出绩效目标表资金合计或收支总表收入总计")
    ref = Ref(b01, grand, first_value(b01, "收入"), "收入总计")
    if ref.value is None or ref.value == b11.total_budget:
        return
    fund = next((f for f in b11.funds if f.label == "合计"), None)
    yield ctx.finding(
        f"整体支出绩效目标表资金合计 {b11.total_budget:,} ≠ 收支总表收入总计 {ref.value:,.2f}",
        table="B11",
        expected=ref.value,
        actual=b11.total_budget,
        difference=b11.total_budget - ref.value,
        evidence=[
            ref.evidence("copy"),
            Evidence("line", "B11", row_label="合计", raw=fund.raw if fund else "", value=b11.total_budget,
                     line=fund.line if fund else b11.first_line),
        ],
    )  # fmt: skip


def _b10_units(ctx: Context) -> dict[str, Row]:
    b10 = ctx.table("B10")
    if b10 is None:
        return {}
    levels = {p.line: p.level for p in ctx.doc.projects}
    return {r.code or r.label: r for r in b10.rows if levels.get(r.line) == "unit"}


@rule(
    "XT-UNITS-001",
    family="cross_table",
    tables=("B02", "B05U"),
    description="收入总表、分单位支出表、项目支出表列示的部门和单位一致",
    rationale=(
        "收入总表、一般公共预算支出表（分单位）和项目支出表反映同一部门及所属单位的预算，"
        "列示的部门和单位应一致，否则各表汇总口径不同，无法相互核对。"
    ),
    fix=(
        "报告列出在一张表中出现而另一张表中没有的部门或单位：收入总表与分单位表按编码一一对应；"
        "项目支出表中的单位须在收入总表中出现；分单位表中有项目支出的单位须在项目支出表中出现。"
        "部门应补列遗漏的单位，或更正编码、名称。"
    ),
)
def same_units(ctx: Context) -> Iterator[Finding]:
    b02, b05u = ctx.need("B02"), ctx.need("B05U")
    if not (b02.lists_units and b05u.lists_units):
        raise NotEvaluable("B02 或 B05U 按功能科目而非按单位列示")
    # departments are compared only when both tables list them (a unit's own budget may show only the unit)
    with_departments = all(_units(t)[0] for t in (b02, b05u))
    listed = {
        t.id: {r.code: r for part in _units(t)[0 if with_departments else 1 :] for r in part}
        for t in (b02, b05u)
    }
    names = {t.id: {r.label: r for part in _units(t) for r in part} for t in (b02, b05u)}
    b10 = _b10_units(ctx)

    def missing(present: Table, absent: Table, row: Row) -> Finding:
        return ctx.finding(
            f"{table_name(present.id)} 列有 {row_name(row)}，{table_name(absent.id)} 中没有",
            at=(present, row),
            evidence=[table_evidence(absent)],
        )

    for code in sorted(set(listed["B02"]) ^ set(listed["B05U"])):
        present, absent = (b02, b05u) if code in listed["B02"] else (b05u, b02)
        yield missing(present, absent, listed[present.id][code])
    for key_, row in b10.items():
        if key_ not in listed["B02"] and key_ not in names["B02"] and row.label not in names["B02"]:
            yield missing(ctx.need("B10"), b02, row)
    if b10:  # the project table lists departments/units: those with project spending must be there
        shown = set(b10) | {r.label for r in b10.values()}
        for part in _units(b05u):
            for row in part:
                spending = Ref(b05u, row, b05u.find_column("项目支出") or "项目支出").value
                if spending and row.code not in shown and row.label not in shown:
                    yield missing(b05u, ctx.need("B10"), row)


def _composition(rows: list[FundSource]) -> list[tuple[list[FundSource], tuple[str, ...]]]:
    """(B11 rows, the budget figures their sum restates).

    人员类项目支出 is the 人员经费; 运转类 (公用经费 and the projects that keep the organisation running) and
    特定目标类 together are the 公用经费 and 项目支出; a B11 that prints 基本支出/项目支出 restates those."""

    def having(word: str) -> list[FundSource]:
        return [f for f in rows if word in f.label]

    out: list[tuple[list[FundSource], tuple[str, ...]]] = []
    if having("人员"):
        out.append((having("人员"), ("人员经费",)))
    if having("运转") and having("特定目标"):
        out.append((having("运转") + having("特定目标"), ("公用经费", "项目支出")))
    basic = [f for f in rows if f.label == "基本支出"]
    projects = [f for f in rows if f.label == "项目支出"]
    if basic:
        out.append((basic, ("基本支出",)))
    if projects:
        out.append((projects, ("项目支出",)))
    return out


@rule(
    "XT-B11-B03",
    family="cross_table",
    description="整体支出绩效目标表“支出构成”与预算表一致（人员类 = 人员经费；运转类 + 特定目标类 = 公用经费 + 项目支出）",
    rationale=(
        "部门整体支出绩效目标表的支出构成按预算编列：人员类项目支出即人员经费；运转类项目支出是公用经费加上保障运转的项目，"
        "特定目标类是其余项目，两者之和即公用经费与项目支出之和（列“基本支出”“项目支出”的，即预算表的基本支出、项目支出）。"
        "不一致说明绩效目标表与预算表不是同一版本。"
    ),
    fix=(
        "按上述对应关系，与支出总表或一般公共预算支出表的合计行比较（按印刷精度）；预算表中找不到对应数的不判断。"
        "部门应以预算表为准改正绩效目标表。"
    ),
)
def b11_composition(ctx: Context) -> Iterator[Finding]:
    from cnbudget.audit.figures import figure_index

    b11 = ctx.doc.performance_table("B11")
    blocks = b11.fund_blocks() if b11 is not None else []
    rows = blocks[1][:-1] if len(blocks) > 1 else []  # 支出构成, without its 合计
    if b11 is None or not rows:
        raise NotEvaluable("未找到整体支出绩效目标表的支出构成")
    index = figure_index(ctx)
    for funds, figures in _composition(rows):
        if any(f.amount is None for f in funds):
            continue
        choices = [
            [r.value_in("万元") for r in index.by_key.get(name, []) if r.value is not None]
            for name in figures
        ]
        if not all(choices):
            continue
        said = sum(
            (convert(f.amount, b11.amount_unit, "万元") for f in funds if f.amount is not None), Decimal(0)
        )
        allowed = sum((convert(display_tolerance(f.raw), b11.amount_unit, "万元") for f in funds), Decimal(0))
        sums = {sum((v for v in combo if v is not None), Decimal(0)) for combo in _combinations(choices)}
        best = min(sums, key=lambda v: abs(said - v))
        if abs(said - best) <= allowed:
            continue
        refs = [index.by_key[name][0] for name in figures]
        what = " + ".join(f"“{f.label}” {f.raw}" for f in funds)
        budget = " + ".join(figures)
        yield ctx.finding(
            f"整体支出绩效目标表支出构成 {what} = {fmt(said)}，预算表{budget} = {fmt(best)}，相差 {fmt(said - best)}",
            table="B11",
            row_label=funds[0].label,
            expected=best,
            actual=said,
            difference=said - best,
            evidence=[
                *(
                    Evidence("line", "B11", row_label=f.label, raw=f.raw, value=f.amount, line=f.line)
                    for f in funds
                ),
                *(r.evidence("copy") for r in refs),
            ],  # fmt: skip
        )


def _combinations(choices: list[list[Decimal | None]]) -> list[tuple[Decimal | None, ...]]:
    out: list[tuple[Decimal | None, ...]] = [()]
    for options in choices:
        out = [(*combo, v) for combo in out for v in dict.fromkeys(options)]
    return out
