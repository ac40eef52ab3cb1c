"""三公经费 against the basic-expenditure table that holds the same economic codes (XT-B07-B06, XT-F09-F06)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, Ref, row_name
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.audit.tolerance import precision
from cnbudget.domain.catalog import table_name
from cnbudget.domain.numbers import convert
from cnbudget.model import Table
from cnbudget.model.tables import three_public_view

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
