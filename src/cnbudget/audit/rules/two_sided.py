"""Two-sided summary tables (收支总表 B01, 财政拨款收支总表 B04, F01, F04): items add up to the
side totals, carry-overs to the grand totals, and income balances expenditure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from cnbudget.audit.context import Context, Ref
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.catalog import table_name
from cnbudget.domain.text import plain_label
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


def _items_sum(ctx: Context, rule_id: str, table: Table) -> Iterator[Finding]:
    for side in ("收入", "支出"):
        s = read_side(table, side)
        for column in _value_columns(table, side):
            if s.subtotal is not None:
                parts = (
                    s.items if s.items else [r for head, kids in s.groups if head is s.subtotal for r in kids]
                )
                if s.items or parts:
                    f = ctx.check_sum(rule_id, Ref(table, s.subtotal, column), [Ref(table, r, column) for r in parts],
                                      f"{_heading(table)}{side}方")  # fmt: skip
                    if f:
                        yield f


def _groups_sum(ctx: Context, rule_id: str, table: Table) -> Iterator[Finding]:
    for side in ("收入", "支出"):
        s = read_side(table, side)
        for column in _value_columns(table, side):
            for head, kids in s.groups:
                if kids and head is not s.subtotal or (kids and not s.items):
                    f = ctx.check_sum(rule_id, Ref(table, head, column), [Ref(table, r, column) for r in kids],
                                      f"{_heading(table)}{side}方 {head.label}")  # fmt: skip
                    if f:
                        yield f


def _grand_total(ctx: Context, rule_id: str, table: Table) -> Iterator[Finding]:
    for side in ("收入", "支出"):
        s = read_side(table, side)
        if s.grand is None:
            continue
        base = [s.subtotal] if s.subtotal is not None else s.items
        for column in _value_columns(table, side):
            f = ctx.check_sum(rule_id, Ref(table, s.grand, column), [Ref(table, r, column) for r in [*base, *s.carries]],
                              f"{_heading(table)}{side}总计")  # fmt: skip
            if f:
                yield f


def _balance(ctx: Context, rule_id: str, table: Table) -> Iterator[Finding]:
    income, spending = read_side(table, "收入").grand, read_side(table, "支出").grand
    if income is None or spending is None:
        return
    a = Ref(table, income, _value_columns(table, "收入")[0], "收入总计")
    b = Ref(table, spending, _value_columns(table, "支出")[0], "支出总计")
    f = ctx.check_copy(rule_id, a, b, f"{_heading(table)}收支平衡")
    if f:
        yield f


def _register(table_id: str, kind: str) -> None:
    name = table_name(table_id)

    @rule(f"SUM-{table_id}-ITEMS", "sums", "error", f"{name}：各收入项、支出功能分类之和等于本年收入/支出合计",
          kinds=(kind,), tables=(table_id,))  # fmt: skip
    def items(ctx: Context) -> Iterator[Finding]:
        return _items_sum(ctx, f"SUM-{table_id}-ITEMS", ctx.need(table_id))

    @rule(f"SUM-{table_id}-TOTAL", "sums", "error", f"{name}：总计 = 本年合计 + 结转结余（收入方与支出方）",
          kinds=(kind,), tables=(table_id,))  # fmt: skip
    def grand(ctx: Context) -> Iterator[Finding]:
        return _grand_total(ctx, f"SUM-{table_id}-TOTAL", ctx.need(table_id))

    @rule(f"SUM-{table_id}-BALANCE", "sums", "error", f"{name}：收入总计等于支出总计", kinds=(kind,),
          tables=(table_id,))  # fmt: skip
    def balance(ctx: Context) -> Iterator[Finding]:
        return _balance(ctx, f"SUM-{table_id}-BALANCE", ctx.need(table_id))

    if table_id in ("B04", "F04"):

        @rule(f"SUM-{table_id}-GROUPS", "sums", "error",
              f"{name}：本年收入、上年结转等分组数等于其下各项之和", kinds=(kind,), tables=(table_id,))  # fmt: skip
        def groups(ctx: Context) -> Iterator[Finding]:
            return _groups_sum(ctx, f"SUM-{table_id}-GROUPS", ctx.need(table_id))


for _table_id, _kind in (("B01", "budget"), ("B04", "budget"), ("F01", "final"), ("F04", "final")):
    _register(_table_id, _kind)
