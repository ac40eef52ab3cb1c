"""Two-sided summary tables (收支总表 B01, 财政拨款收支总表 B04, F01, F04), family ``sums``: items add up
to the side totals, carry-overs to the grand totals, and income balances expenditure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from cnbudget.audit.context import Context, Ref, first_value
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.catalog import table_name
from cnbudget.domain.text import plain_label
from cnbudget.domain.vocabulary import SIDES
from cnbudget.model import Row, Table

_TOP = re.compile(r"^[一二三四五六七八九十廿]+[、.．]")
_SUB = re.compile(r"^[（(][一二三四五六七八九十廿]+[)）]")
_SUBTOTALS = ("本年收入合计", "本年支出合计", "本年收入", "本年支出")
_GRAND = ("收入总计", "支出总计", "总计")
_CARRY = (
    "上年结转结余", "年终结转结余", "年初结转和结余", "年末结转和结余", "使用非财政拨款结余", "结余分配",
    "年初财政拨款结转和结余", "年末财政拨款结转和结余", "上年结转", "年终结转结余",
)  # fmt: skip


@dataclass
class Side:
    """The rows of one side, in order, sorted into their roles."""

    items: list[Row] = field(default_factory=list)
    """Top-level items (一、… or, under a 本年收入 heading, its (一)… children)."""
    groups: list[tuple[Row, list[Row]]] = field(default_factory=list)
    """Rows that head children: "一、本年收入" over "（一）…", "年初结转和结余" over its funds."""
    subtotal: Row | None = None
    carries: list[Row] = field(default_factory=list)
    grand: Row | None = None


def _key(label: str) -> str:
    return plain_label(label).replace("（含专用结余）", "").replace("(含专用结余)", "")


def read_side(table: Table, side: str) -> Side:
    out = Side()
    current: tuple[Row, list[Row]] | None = None
    for row in (r for r in table.rows if r.side == side):
        label = row.label
        key = _key(label)
        if key in _GRAND:
            out.grand, current = row, None
        elif label in ("本年收入合计", "本年支出合计"):
            out.subtotal, current = row, None
        elif key in _SUBTOTALS and _TOP.match(label):
            current = (row, [])  # B04: 一、本年收入 heads its (一)(二)(三)
            out.groups.append(current)
            out.subtotal = row
        elif any(key.startswith(c) for c in _CARRY):
            out.carries.append(row)
            current = (row, [])
            out.groups.append(current)
        elif _SUB.match(label) or (
            current is not None and current[0] in out.carries and not _TOP.match(label)
        ):
            if current is not None:
                current[1].append(row)
        elif _TOP.match(label):
            out.items.append(row)
            current = None
    return out


def _value_columns(table: Table, side: str) -> list[str]:
    return list(dict.fromkeys(c.key for c in table.columns if c.role == "value" and c.side == side))


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
    for side in SIDES:
        s = read_side(t, side)
        for column in _value_columns(t, side):
            if s.subtotal is not None:
                parts = (
                    s.items if s.items else [r for head, kids in s.groups if head is s.subtotal for r in kids]
                )
                if s.items or parts:
                    yield from ctx.check_sum(
                        Ref(t, s.subtotal, column),
                        [Ref(t, r, column) for r in parts],
                        f"{_heading(t)}{side}方",
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
    for side in SIDES:
        s = read_side(t, side)
        for column in _value_columns(t, side):
            for head, kids in s.groups:
                if kids and head is not s.subtotal or (kids and not s.items):
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
    for side in SIDES:
        s = read_side(t, side)
        if s.grand is None:
            continue
        base = [s.subtotal] if s.subtotal is not None else s.items
        for column in _value_columns(t, side):
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
    a = Ref(t, income, first_value(t, "收入"), "收入总计")
    b = Ref(t, spending, first_value(t, "支出"), "支出总计")
    yield from ctx.check_copy(a, b, f"{_heading(t)}收支平衡")
