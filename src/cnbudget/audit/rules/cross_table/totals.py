"""Totals that one table restates from another: B10's projects against B03's project expenditure (XT-B10-B03), B02's income against B01's (XT-B02-B01)."""

from __future__ import annotations

from collections.abc import Iterator

from cnbudget.audit.context import Context, Ref, column, first_value, row_name
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import NotEvaluable, rule


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
