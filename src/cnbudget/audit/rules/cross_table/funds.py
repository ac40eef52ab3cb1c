"""The performance table's funds and units against the budget tables (XT-B11-…, XT-UNITS-001)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import (
    Context,
    Ref,
    departments_and_units,
    first_value,
    fmt,
    row_name,
    table_evidence,
)
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import NotEvaluable, rule
from cnbudget.audit.tolerance import display_tolerance
from cnbudget.domain.catalog import table_name
from cnbudget.domain.numbers import convert
from cnbudget.model import FundSource, Row, Table


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
    with_departments = all(departments_and_units(t)[0] for t in (b02, b05u))
    listed = {
        t.id: {r.code: r for part in departments_and_units(t)[0 if with_departments else 1 :] for r in part}
        for t in (b02, b05u)
    }
    names = {t.id: {r.label: r for part in departments_and_units(t) for r in part} for t in (b02, b05u)}
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
        for part in departments_and_units(b05u):
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
