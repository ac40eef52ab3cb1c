"""Tables that must agree with each other (DOMAIN.md §4, across tables)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, Ref, first_value, row_name
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import NotEvaluable, rule
from cnbudget.domain.catalog import table_name
from cnbudget.domain.codes import class_code
from cnbudget.domain.text import plain_label
from cnbudget.model import Row, Table
from cnbudget.model.tables import leaves_under, three_public_view

_NON_APPROPRIATION = (
    "财政专户管理资金收入",
    "事业收入",
    "事业单位经营收入",
    "上级补助收入",
    "附属单位上缴收入",
    "其他收入",
)


def only_general_budget(ctx: Context) -> bool:
    """All income is 一般公共预算 (current and carried over): tables by fund type then agree fully."""
    b01 = ctx.table("B01")
    if b01 is None:
        return False
    col = first_value(b01, "收入")
    for row in b01.rows:
        if row.side != "收入":
            continue
        name = plain_label(row.label)
        value = Ref(b01, row, col).value
        if value and (name in _NON_APPROPRIATION or "政府性基金" in name or "国有资本" in name):
            return False
    return True


def _classes_vs(
    ctx: Context, rule_id: str, summary: Table, detail: Table, detail_column: str
) -> Iterator[Finding]:
    """Expenditure items of a summary table against the 类 rows of a function-code table."""
    col = first_value(summary, "支出")
    by_code = {r.full_code: r for r in detail.coded_rows()}
    rows = detail.coded_rows()
    for row in summary.rows:
        if row.side != "支出":
            continue
        code = class_code(row.label)
        if code is None:
            continue
        a = Ref(summary, row, col, plain_label(row.label))
        target = by_code.get(code)
        if target is None:
            if a.value:
                yield Finding(
                    rule_id=rule_id,
                    severity="error",
                    message=(
                        f"{table_name(summary.id)} {row.label} {a.cell.raw if a.cell else ''} 在"
                        f"{table_name(detail.id)}中没有对应的 {code} 科目行"
                    ),
                    table=summary.id,
                    row_label=row.label,
                    column=col,
                    actual=a.value,
                    evidence=[a.evidence("copy")],
                )
            continue
        b = Ref(detail, target, detail_column, row_name(target))
        f = ctx.check_copy(rule_id, a, b, f"{table_name(summary.id)}与{table_name(detail.id)}功能分类",
                           items=leaves_under(rows, code))  # fmt: skip
        if f:
            yield f


@rule("XT-B01-B03", "cross_table", "error", "收支总表各支出功能分类与支出总表类级科目合计一致",
      kinds=("budget",), tables=("B01", "B03"))  # fmt: skip
def b01_b03(ctx: Context) -> Iterator[Finding]:
    b03 = ctx.need("B03")
    yield from _classes_vs(ctx, "XT-B01-B03", ctx.need("B01"), b03, first_value(b03))
    b01 = ctx.need("B01")
    total, b03_total = b01.side_row("支出", "本年支出合计"), b03.total_row()
    if total is not None and b03_total is not None:
        f = ctx.check_copy("XT-B01-B03", Ref(b01, total, first_value(b01, "支出"), "本年支出合计"),
                           Ref(b03, b03_total, first_value(b03), "合计"), "收支总表与支出总表")  # fmt: skip
        if f:
            yield f


@rule("XT-B04-B05", "cross_table", "error", "财政拨款收支总表各支出功能分类与一般公共预算支出表类级科目一致",
      kinds=("budget",), tables=("B04", "B05"))  # fmt: skip
def b04_b05(ctx: Context) -> Iterator[Finding]:
    b04 = ctx.need("B04")
    for row in b04.rows:
        name = plain_label(row.label)
        value = Ref(b04, row, first_value(b04, "收入")).value if row.side == "收入" else None
        if value and ("政府性基金" in name or "国有资本" in name):
            raise NotEvaluable("B04 includes government-fund or state-capital appropriations")
    b05 = ctx.need("B05")
    yield from _classes_vs(ctx, "XT-B04-B05", b04, b05, first_value(b05))


@rule("XT-B01-B04", "cross_table", "error", "只有财政拨款收入时，收支总表与财政拨款收支总表各支出功能分类一致",
      kinds=("budget",), tables=("B01", "B04"))  # fmt: skip
def b01_b04(ctx: Context) -> Iterator[Finding]:
    if not only_general_budget(ctx):
        raise NotEvaluable("income is not only 一般公共预算: the two tables may legitimately differ")
    b01, b04 = ctx.need("B01"), ctx.need("B04")
    col_a, col_b = first_value(b01, "支出"), first_value(b04, "支出")
    by_code = {class_code(r.label): r for r in b04.rows if r.side == "支出" and class_code(r.label)}
    for row in b01.rows:
        code = class_code(row.label) if row.side == "支出" else None
        if code and code in by_code:
            f = ctx.check_copy("XT-B01-B04", Ref(b01, row, col_a, plain_label(row.label)),
                               Ref(b04, by_code[code], col_b, plain_label(by_code[code].label)), "收支总表与财政拨款收支总表")  # fmt: skip
            if f:
                yield f


_B03_B05 = (("合计", "合计"), ("基本支出", "基本支出/小计"), ("项目支出", "项目支出"))


@rule("XT-B03-B05", "cross_table", "error", "只有一般公共预算收入时，支出总表与一般公共预算支出表逐科目一致",
      kinds=("budget",), tables=("B03", "B05"))  # fmt: skip
def b03_b05(ctx: Context) -> Iterator[Finding]:
    if not only_general_budget(ctx):
        raise NotEvaluable("income is not only 一般公共预算")
    b03, b05 = ctx.need("B03"), ctx.need("B05")
    b05_rows = {r.full_code: r for r in b05.coded_rows()}
    pairs = [(r, b05_rows.get(r.full_code)) for r in b03.coded_rows()]
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
    for table, r, other in one_sided:
        yield Finding(
            rule_id="XT-B03-B05",
            severity="error",
            message=f"{table_name(table.id)} 列有 {row_name(r)}，{table_name(other.id)} 中没有该科目",
            table=table.id,
            row_code=r.code,
            row_label=r.label,
            evidence=[Evidence("row", table.id, r.code, r.label, line=r.line)],
        )
    for a_row, b_row in pairs:
        if b_row is None:
            continue
        for a_col, b_col in _B03_B05:
            f = ctx.check_copy("XT-B03-B05", Ref(b03, a_row, a_col, f"{row_name(a_row)} {a_col}"),
                               Ref(b05, b_row, b_col, f"{row_name(b_row)} {b_col}"), "支出总表与一般公共预算支出表")  # fmt: skip
            if f:
                yield f


@rule("XT-B05-B05U", "cross_table", "error", "一般公共预算支出表分功能科目与分单位的合计一致",
      kinds=("budget",), tables=("B05", "B05U"))  # fmt: skip
def b05_b05u(ctx: Context) -> Iterator[Finding]:
    b05, b05u = ctx.need("B05"), ctx.need("B05U")
    total_a = b05.total_row()
    total_b = b05u.total_row() or next((r for r in b05u.rows if r.code and len(r.code) == 3), None)
    if total_b is None and len([r for r in b05u.rows if r.code]) == 1:
        total_b = next(r for r in b05u.rows if r.code)
    if total_a is not None and total_b is None and not b05u.rows and any(c.value for c in total_a.cells):
        yield Finding(
            rule_id="XT-B05-B05U",
            severity="error",
            message=f"一般公共预算支出表（分单位）没有任何单位行，而分功能科目表合计为 {total_a.cells[0].raw}",
            table="B05U",
            evidence=[
                Evidence("table", "B05U", line=b05u.title_line),
                Ref(b05, total_a, total_a.cells[0].column).evidence("copy"),
            ],
        )
        return
    if total_a is None or total_b is None:
        raise NotEvaluable("no totals row in B05 or B05U")
    for col in dict.fromkeys(c.key for c in b05.columns if c.role == "value"):
        f = ctx.check_copy("XT-B05-B05U", Ref(b05, total_a, col, f"合计 {col}"),
                           Ref(b05u, total_b, col, f"{row_name(total_b)} {col}"), "分功能科目与分单位")  # fmt: skip
        if f:
            yield f


@rule("XT-B06-B05", "cross_table", "error", "基本支出表合计、人员经费、公用经费与一般公共预算支出表基本支出一致",
      kinds=("budget",), tables=("B05", "B06"))  # fmt: skip
def b06_b05(ctx: Context) -> Iterator[Finding]:
    b05, b06 = ctx.need("B05"), ctx.need("B06")
    t5, t6 = b05.total_row(), b06.total_row()
    if t5 is None or t6 is None:
        raise NotEvaluable("no totals row in B05 or B06")
    keys6 = [c.key for c in b06.columns if c.role == "value"]
    for col6, col5 in zip(keys6, ("基本支出/小计", "基本支出/人员经费", "基本支出/公用经费"), strict=False):
        f = ctx.check_copy("XT-B06-B05", Ref(b06, t6, col6, f"合计 {col6.split('/')[-1]}"),
                           Ref(b05, t5, col5, f"合计 {col5}"), "基本支出表与一般公共预算支出表")  # fmt: skip
        if f:
            yield f


_THREE_PUBLIC_CODES = (("公务接待费", "30217"), ("公务用车运行费", "30231"), ("公务用车购置费", "31013"))


def _three_public_column(table: Table, leaf: str, measure: str = "") -> str | None:
    for col in table.columns:
        if col.role != "value":
            continue
        found, items = three_public_view(col.key)
        if found == measure and items and items[-1].startswith(leaf[:6]):
            return col.key
    return None


def _basic_value(table: Table, code: str) -> Ref | None:
    row = next((r for r in table.rows if r.full_code == code), None)
    if row is None or not row.cells:
        return None
    return Ref(table, row, row.cells[0].column, row_name(row))


@rule("XT-B07-B06", "cross_table", "error", "“三公”经费各项不小于基本支出表相应经济科目（30217、30231、31013）",
      kinds=("budget",), tables=("B07", "B06"))  # fmt: skip
def b07_b06(ctx: Context) -> Iterator[Finding]:
    yield from _three_public_vs_basic(ctx, "XT-B07-B06", ctx.need("B07"), ctx.need("B06"), "")


@rule("XT-F09-F06", "cross_table", "error", "“三公”经费决算数各项不小于基本支出决算明细表相应科目",
      kinds=("final",), tables=("F09", "F06"))  # fmt: skip
def f09_f06(ctx: Context) -> Iterator[Finding]:
    yield from _three_public_vs_basic(ctx, "XT-F09-F06", ctx.need("F09"), ctx.need("F06"), "决算数")


def _three_public_vs_basic(
    ctx: Context, rule_id: str, tp: Table, basic: Table, prefix: str
) -> Iterator[Finding]:
    if not tp.rows:
        return
    row = tp.rows[0]
    for leaf, code in _THREE_PUBLIC_CODES:
        column = _three_public_column(tp, leaf, prefix) or _three_public_column(
            tp, leaf.replace("运行费", "运行维护费"), prefix
        )
        ref_b = _basic_value(basic, code)
        if column is None or ref_b is None or ref_b.value is None:
            continue
        ref_a = Ref(tp, row, column, leaf)
        value = ref_a.value if ref_a.value is not None else Decimal(0)
        if value < ref_b.value:
            yield Finding(
                rule_id=rule_id,
                severity="error",
                message=(
                    f"{table_name(tp.id)} {leaf} {ref_a.cell.raw if ref_a.cell else '空白'} 小于"
                    f"{table_name(basic.id)} {ref_b.describe()} {ref_b.value}：“三公”经费应包含基本支出中的该项"
                ),
                table=tp.id,
                column=column,
                expected=ref_b.value,
                actual=value,
                difference=value - ref_b.value,
                evidence=[ref_a.evidence("copy"), ref_b.evidence("copy")],
            )


@rule("XT-B10-B03", "cross_table", "error", "项目支出表各项目合计等于支出总表项目支出合计",
      kinds=("budget",), tables=("B10", "B03"))  # fmt: skip
def b10_b03(ctx: Context) -> Iterator[Finding]:
    b10, b03 = ctx.need("B10"), ctx.need("B03")
    lines = {p.line for p in ctx.doc.projects if p.level == "project"}
    total_column = first_value(b10)
    projects = [Ref(b10, r, total_column, r.label) for r in b10.rows if r.line in lines and r.label]
    t3 = b03.total_row()
    if not projects or t3 is None:
        raise NotEvaluable("no project rows with amounts, or no totals row in B03")
    f = ctx.check_sum("XT-B10-B03", Ref(b03, t3, "项目支出", "支出总表 项目支出"), projects,
                      f"项目支出表 {len(projects)} 个项目与支出总表项目支出")  # fmt: skip
    if f:
        yield f


_B02_B01 = (
    ("本年收入/一般公共预算", "一般公共预算拨款收入"), ("本年收入/政府性基金预算", "政府性基金预算拨款收入"),
    ("本年收入/国有资本经营预算", "国有资本经营预算拨款收入"), ("本年收入/财政专户管理资金", "财政专户管理资金收入"),
    ("本年收入/事业收入", "事业收入"), ("本年收入/事业单位经营收入", "事业单位经营收入"),
    ("本年收入/上级补助收入", "上级补助收入"), ("本年收入/附属单位上缴收入", "附属单位上缴收入"),
    ("本年收入/其他收入", "其他收入"), ("本年收入/小计", "本年收入合计"), ("合计", "收入总计"),
)  # fmt: skip


@rule("XT-B02-B01", "cross_table", "error", "收入总表各收入来源与收支总表收入项一致", kinds=("budget",),
      tables=("B02", "B01"))  # fmt: skip
def b02_b01(ctx: Context) -> Iterator[Finding]:
    b02, b01 = ctx.need("B02"), ctx.need("B01")
    top = b02.total_row() or next((r for r in b02.rows if r.code and len(r.code) == 3), None)
    if top is None:
        raise NotEvaluable("no totals row in B02")
    col = first_value(b01, "收入")
    pairs = list(_B02_B01)
    carry = next((c.key for c in b02.columns if c.key in ("上年结转结余/小计", "上年结转结余")), None)
    if carry:
        pairs.append((carry, "上年结转结余"))
    for b02_col, b01_name in pairs:
        target = b01.side_row("收入", b01_name)
        if target is None:
            continue
        a = Ref(b02, top, b02_col, f"{row_name(top)} {b02_col}")
        b = Ref(b01, target, col, b01_name)
        if a.value is None and not b.value:
            continue
        f = ctx.check_copy("XT-B02-B01", a, b, "收入总表与收支总表")
        if f:
            yield f


def _final_classes(
    ctx: Context, rule_id: str, summary_id: str, detail_id: str, detail_column: str
) -> Iterator[Finding]:
    summary, detail = ctx.need(summary_id), ctx.need(detail_id)
    column = next(
        (c.key for c in detail.columns if c.role == "value" and c.key.startswith(detail_column)), None
    )
    if column is None:
        raise NotEvaluable(f"{detail_id} has no {detail_column} column")
    yield from _classes_vs(ctx, rule_id, summary, detail, column)


@rule("XT-F01-F03", "cross_table", "error", "收入支出决算总表各支出功能分类与支出决算表类级科目一致",
      kinds=("final",), tables=("F01", "F03"))  # fmt: skip
def f01_f03(ctx: Context) -> Iterator[Finding]:
    return _final_classes(ctx, "XT-F01-F03", "F01", "F03", "本年支出合计")


@rule("XT-F04-F05", "cross_table", "error", "财政拨款收支决算总表一般公共预算支出与一般公共预算支出决算表类级科目一致",
      kinds=("final",), tables=("F04", "F05"))  # fmt: skip
def f04_f05(ctx: Context) -> Iterator[Finding]:
    f04, f05 = ctx.need("F04"), ctx.need("F05")
    col4 = next((c.key for c in f04.columns if c.side == "支出" and "一般公共预算" in c.key), None)
    col5 = next((c.key for c in f05.columns if c.role == "value"), None)
    if col4 is None or col5 is None:
        raise NotEvaluable("F04 or F05 columns not recognised")
    by_code = {r.full_code: r for r in f05.coded_rows()}
    rows = f05.coded_rows()
    for row in f04.rows:
        code = class_code(row.label) if row.side == "支出" else None
        if code and code in by_code:
            f = ctx.check_copy("XT-F04-F05", Ref(f04, row, col4, plain_label(row.label)),
                               Ref(f05, by_code[code], col5, row_name(by_code[code])), "财政拨款收支决算总表与一般公共预算支出决算表",
                               items=leaves_under(rows, code))  # fmt: skip
            if f:
                yield f


@rule("XT-F01-F02", "cross_table", "error", "收入支出决算总表本年收入合计与收入决算表合计一致",
      kinds=("final",), tables=("F01", "F02"))  # fmt: skip
def f01_f02(ctx: Context) -> Iterator[Finding]:
    f01, f02 = ctx.need("F01"), ctx.need("F02")
    a_row, b_row = f01.side_row("收入", "本年收入合计"), f02.total_row()
    if a_row is None or b_row is None:
        raise NotEvaluable("no 本年收入合计 in F01 or no 合计 in F02")
    f = ctx.check_copy("XT-F01-F02", Ref(f01, a_row, first_value(f01, "收入"), "本年收入合计"),
                       Ref(f02, b_row, first_value(f02), "合计"), "收入支出决算总表与收入决算表")  # fmt: skip
    if f:
        yield f


@rule("XT-F05-F06", "cross_table", "error", "一般公共预算支出决算表基本支出 = 基本支出决算明细表人员经费合计 + 公用经费合计",
      kinds=("final",), tables=("F05", "F06"))  # fmt: skip
def f05_f06(ctx: Context) -> Iterator[Finding]:
    f05, f06 = ctx.need("F05"), ctx.need("F06")
    t5 = f05.total_row()
    parts = [r for r in f06.rows if r.label in ("人员经费合计", "公用经费合计") and r.cells]
    basic = next((c.key for c in f05.columns if c.role == "value" and c.key.endswith("基本支出")), None)
    if t5 is None or len(parts) != 2 or basic is None:
        raise NotEvaluable("totals not found in F05 or F06")
    f = ctx.check_sum("XT-F05-F06", Ref(f05, t5, basic, "合计 基本支出"),
                      [Ref(f06, r, r.cells[0].column, r.label) for r in parts], "一般公共预算支出决算表与基本支出决算明细表")  # fmt: skip
    if f:
        yield f


@rule("XT-B11-B01", "cross_table", "error", "整体支出绩效目标表的资金合计与收支总表收入总计一致",
      kinds=("budget",), tables=("B01",))  # fmt: skip
def b11_b01(ctx: Context) -> Iterator[Finding]:
    b11 = next((p for p in ctx.doc.performance if p.id == "B11"), None)
    b01 = ctx.need("B01")
    grand = b01.side_row("收入", "收入总计")
    if b11 is None or b11.total_budget is None or grand is None:
        raise NotEvaluable("B11 funds total or B01 收入总计 not found")
    ref = Ref(b01, grand, first_value(b01, "收入"), "收入总计")
    if ref.value is None or ref.value == b11.total_budget:
        return
    fund = next((f for f in b11.funds if f.label == "合计"), None)
    yield Finding(
        rule_id="XT-B11-B01",
        severity="error",
        message=f"整体支出绩效目标表资金合计 {b11.total_budget:,} ≠ 收支总表收入总计 {ref.value:,.2f}",
        table="B11",
        expected=ref.value,
        actual=b11.total_budget,
        difference=b11.total_budget - ref.value,
        evidence=[ref.evidence("copy"), Evidence("line", "B11", row_label="合计", raw=fund.raw if fund else "",
                                                  value=b11.total_budget, line=fund.line if fund else b11.first_line)],
    )  # fmt: skip


def _units(table: Table) -> tuple[list[Row], list[Row]]:
    """Department rows (3-digit code) and unit rows (6-digit code) of B02/B05U."""
    departments = [r for r in table.rows if r.code.isdigit() and len(r.code) == 3]
    units = [r for r in table.rows if r.code.isdigit() and len(r.code) == 6]
    return departments, units


@rule("SUM-UNITS-001", "sums", "error", "收入总表、分单位支出表中各单位之和等于部门行，各部门之和等于合计行",
      kinds=("budget",))  # fmt: skip
def units_add_up(ctx: Context) -> Iterator[Finding]:
    for table_id in ("B02", "B05U"):
        table = ctx.table(table_id)
        if table is None:
            continue
        departments, units = _units(table)
        total = table.total_row()
        columns = list(dict.fromkeys(c.key for c in table.columns if c.role == "value"))
        for dept in departments:
            members = [u for u in units if u.code.startswith(dept.code)]
            for column in columns if members else []:
                f = ctx.check_sum("SUM-UNITS-001", Ref(table, dept, column, f"{row_name(dept)} {column}"),
                                  [Ref(table, u, column, row_name(u)) for u in members], f"{table_name(table_id)} 部门行")  # fmt: skip
                if f:
                    yield f
        if total is None or not (departments or units):
            continue
        for column in columns:
            # a department row printed blank (a warning of its own) is replaced by its units
            tops = departments if all(Ref(table, d, column).value is not None for d in departments) else units
            f = ctx.check_sum("SUM-UNITS-001", Ref(table, total, column, f"合计 {column}"),
                              [Ref(table, r, column, row_name(r)) for r in (tops or units)], f"{table_name(table_id)} 合计行")  # fmt: skip
            if f:
                yield f


def _b10_units(ctx: Context) -> dict[str, Row]:
    b10 = ctx.table("B10")
    if b10 is None:
        return {}
    levels = {p.line: p.level for p in ctx.doc.projects}
    return {r.code or r.label: r for r in b10.rows if levels.get(r.line) == "unit"}


@rule("XT-UNITS-001", "cross_table", "error", "收入总表、分单位支出表、项目支出表列示的部门和单位一致", kinds=("budget",),
      tables=("B02", "B05U"))  # fmt: skip
def same_units(ctx: Context) -> Iterator[Finding]:
    b02, b05u = ctx.need("B02"), ctx.need("B05U")
    # departments are compared only when both tables list them (a unit's own budget may show only the unit)
    with_departments = all(_units(t)[0] for t in (b02, b05u))
    listed = {
        t.id: {r.code: r for part in _units(t)[0 if with_departments else 1 :] for r in part}
        for t in (b02, b05u)
    }
    names = {t.id: {r.label: r for part in _units(t) for r in part} for t in (b02, b05u)}
    b10 = _b10_units(ctx)
    for code in sorted(set(listed["B02"]) ^ set(listed["B05U"])):
        present, absent = (b02, b05u) if code in listed["B02"] else (b05u, b02)
        yield _unit_finding(present, absent, listed[present.id][code])
    for key_, row in b10.items():
        if key_ not in listed["B02"] and key_ not in names["B02"] and row.label not in names["B02"]:
            yield _unit_finding(ctx.need("B10"), b02, row)
    if b10:  # the project table lists departments/units: those with project spending must be there
        shown = set(b10) | {r.label for r in b10.values()}
        for part in _units(b05u):
            for row in part:
                spending = Ref(b05u, row, "项目支出").value
                if spending and row.code not in shown and row.label not in shown:
                    yield _unit_finding(b05u, ctx.need("B10"), row)


def _unit_finding(present: Table, absent: Table, row: Row) -> Finding:
    return Finding(
        rule_id="XT-UNITS-001",
        severity="error",
        message=f"{table_name(present.id)} 列有 {row_name(row)}，{table_name(absent.id)} 中没有",
        table=present.id,
        row_code=row.code,
        row_label=row.label,
        evidence=[Evidence("row", present.id, row.code, row.label, line=row.line),
                  Evidence("table", absent.id, line=absent.title_line)],
    )  # fmt: skip


_RANK = {"total": 0, "department": 1, "unit": 2, "first_level": 3, "category": 3, "project": 4}


def _b10_level(row: Row, level: str | None, rows: list[Row]) -> str | None:
    if level != "unit":
        return level
    if row.code.isdigit():
        return "department" if len(row.code) == 3 else "unit"
    if row.label.endswith("本级"):
        return "unit"
    later = [r.label for r in rows if r.line > row.line]
    return "department" if any(lbl != row.label and lbl.startswith(row.label) for lbl in later) else "unit"


@rule("SUM-B10-GROUPS", "sums", "error", "项目支出表中合计、单位、一级项目（或项目类别）各行等于其下各行之和",
      kinds=("budget",), tables=("B10",))  # fmt: skip
def b10_groups(ctx: Context) -> Iterator[Finding]:
    b10 = ctx.need("B10")
    levels = {p.line: p.level for p in ctx.doc.projects}
    ranked: list[tuple[int, Row]] = []
    for row in b10.rows:
        level = "total" if row.kind == "total" else _b10_level(row, levels.get(row.line), b10.rows)
        if level in _RANK and row.cells:
            ranked.append((_RANK[level], row))
    columns = list(dict.fromkeys(c.key for c in b10.columns if c.role == "value"))
    for i, (rank, row) in enumerate(ranked):
        if rank == _RANK["project"]:
            continue
        children: list[Row] = []
        child_rank = None
        for other_rank, other in ranked[i + 1 :]:
            if other_rank <= rank:
                break
            if child_rank is None:
                child_rank = other_rank
            if other_rank == child_rank:
                children.append(other)
        if not children:
            continue
        for column in columns:
            f = ctx.check_sum("SUM-B10-GROUPS", Ref(b10, row, column, f"{row_name(row)} {column}"),
                              [Ref(b10, r, column, row_name(r)) for r in children], "项目支出表 分组合计")  # fmt: skip
            if f:
                yield f
