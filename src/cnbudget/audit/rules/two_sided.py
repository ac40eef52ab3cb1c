"""Two-sided summary tables (收支总表 B01, 财政拨款收支总表 B04, F01, F04), family ``sums``: items add up
to the side totals, carry-overs to the grand totals, and income balances expenditure."""

from __future__ import annotations

from collections.abc import Iterator

from cnbudget.audit.context import Context, Ref
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import NotEvaluable, rule
from cnbudget.domain.catalog import table_name
from cnbudget.domain.vocabulary import SIDES
from cnbudget.model import Table
from cnbudget.model.summary import read_side, read_sides


def _value_columns(table: Table, side: str, group: int | None = None) -> list[str]:
    """The amount columns of ``side`` (of one group of its columns, when given)."""
    return list(
        dict.fromkeys(
            c.key
            for c in table.columns
            if c.current and c.side == side and (group is None or c.group == group)
        )
    )


def _heading(table: Table) -> str:
    return f"{table_name(table.id)}（{table.id}）"


@rule(
    each={"SUM-B01-ITEMS": {"table": "B01"}, "SUM-B04-ITEMS": {"table": "B04"},
          "SUM-F01-ITEMS": {"table": "F01"}, "SUM-F04-ITEMS": {"table": "F04"}},
    family="sums",
    description="{name}：各收入项、支出功能分类之和等于本年收入/支出合计",
    rationale=(
        "{name}收入方的本年收入合计等于各收入项之和，支出方的本年支出合计等于各支出功能分类（类级）之和；"
        "表中以“一、本年收入（支出）”兼作合计、其下分列（一）（二）……的，以其下各项为组成项。"
    ),
    fix=(
        "逐列核对{name}两方的本年合计与各项之和：差额在按非零项个数计算的尾差范围内只作提示，"
        "超出为错误，只有一个非零项时两数必须相等。"
        "部门应查明是合计还是某一收入项、功能分类录错并更正，必要时同时更正相关明细表。"
    ),
)  # fmt: skip
def items_sum(ctx: Context, table: str) -> Iterator[Finding]:
    t = ctx.need(table)
    for s in (s for side in SIDES for s in read_sides(t, side)):
        side = s.name
        parts = s.parts
        if s.subtotal is None or not parts:
            continue
        for column in _value_columns(t, side, s.group):
            yield from ctx.check_sum(
                Ref(t, s.subtotal, column), [Ref(t, r, column) for r in parts], f"{_heading(t)}{side}方"
            )


@rule(
    each={"SUM-B04-GROUPS": {"table": "B04"}, "SUM-F04-GROUPS": {"table": "F04"}},
    family="sums",
    description="{name}：本年收入、上年结转等分组数等于其下各项之和",
    rationale=(
        "{name}中带下级明细的分组行等于其下各项之和，"
        "如“一、本年收入”= 一般公共预算 + 政府性基金预算 + 国有资本经营预算拨款，"
        "“上年结转”“年初财政拨款结转和结余”= 其下各类资金之和。"
    ),
    fix="逐列核对{name}各分组行与其下明细之和，尾差处理同上，超出的由部门更正分组数或明细数。",
)
def groups_sum(ctx: Context, table: str) -> Iterator[Finding]:
    t = ctx.need(table)
    for s in (s for side in SIDES for s in read_sides(t, side)):
        side = s.name
        for column in _value_columns(t, side, s.group):
            for head, kids in s.groups:
                if head is s.head and not s.items:
                    continue  # 一、本年收入 over its parts is the year's total: SUM-*-ITEMS checks it
                yield from ctx.check_sum(
                    Ref(t, head, column),
                    [Ref(t, r, column) for r in kids],
                    f"{_heading(t)}{side}方 {head.label}",
                )


@rule(
    each={"SUM-B01-TOTAL": {"table": "B01"}, "SUM-B04-TOTAL": {"table": "B04"},
          "SUM-F01-TOTAL": {"table": "F01"}, "SUM-F04-TOTAL": {"table": "F04"}},
    family="sums",
    description="{name}：总计 = 本年合计 + 结转结余（收入方与支出方）",
    rationale=(
        "{name}中，收入总计 = 本年收入合计 + 上年结转结余（决算为年初结转和结余，另含使用非财政拨款结余），"
        "支出总计 = 本年支出合计 + 年终结转结余（决算为年末结转和结余，另含结余分配）。"
    ),
    fix=(
        "逐列核对{name}两方总计与本年合计及各结转结余行之和，尾差处理同上。"
        "超出的，检查结转结余行是否漏填、错填或与上年决算不衔接，由部门更正。"
    ),
)  # fmt: skip
def grand_total(ctx: Context, table: str) -> Iterator[Finding]:
    t = ctx.need(table)
    for s in (s for side in SIDES for s in read_sides(t, side)):
        side = s.name
        if s.grand is None or s.grand is s.subtotal:
            continue  # one 合计 and no carry-over: nothing to add up
        base = [s.subtotal] if s.subtotal is not None else s.items
        for column in _value_columns(t, side, s.group):
            if s.subtotal is not None and s.subtotal.value(column) is None:
                continue  # the year's total is not printed in this column (江苏: 功能分类 beside 支出用途)
            yield from ctx.check_sum(
                Ref(t, s.grand, column),
                [Ref(t, r, column) for r in [*base, *s.carries]],
                f"{_heading(t)}{side}总计",
            )


@rule(
    each={"SUM-B01-BALANCE": {"table": "B01"}, "SUM-B04-BALANCE": {"table": "B04"},
          "SUM-F01-BALANCE": {"table": "F01"}, "SUM-F04-BALANCE": {"table": "F04"}},
    family="sums",
    description="{name}：收入总计等于支出总计",
    rationale="{name}是平衡表，资金来源等于资金运用：收入总计必须等于支出总计。",
    fix=(
        "比较{name}收入总计与支出总计（各取第一个金额列），须完全相等，"
        "只有表注声明存在尾数（尾差）误差时才允许相差末位一个单位。"
        "不平衡的，先看两方总计自身的勾稽（同表 TOTAL 规则），再查结转结余和各项金额，由部门更正。"
    ),
)  # fmt: skip
def balance(ctx: Context, table: str) -> Iterator[Finding]:
    t = ctx.need(table)
    income, spending = read_side(t, "收入").grand, read_side(t, "支出").grand
    if income is None or spending is None:
        return
    # the first column each total is printed in (江苏 prints 支出合计 under 支出用途, not 功能分类)
    a_col = next((c for c in _value_columns(t, "收入") if income.value(c) is not None), None)
    b_col = next((c for c in _value_columns(t, "支出") if spending.value(c) is not None), None)
    if a_col is None or b_col is None:
        raise NotEvaluable("收入总计或支出总计留空")
    a = Ref(t, income, a_col, "收入总计")
    b = Ref(t, spending, b_col, "支出总计")
    yield from ctx.check_copy(a, b, f"{_heading(t)}收支平衡")
