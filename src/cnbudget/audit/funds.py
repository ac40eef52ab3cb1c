"""Which funds a department's money comes from, read from its summary tables by what each row names."""

from __future__ import annotations

from decimal import Decimal

from cnbudget.audit.context import Context, Ref, first_value
from cnbudget.domain.catalog import income_source
from cnbudget.domain.numbers import convert
from cnbudget.model import Row, Table
from cnbudget.model.summary import Side, read_side


def only_general_budget(ctx: Context) -> bool:
    """All income is 一般公共预算 (current and carried over): tables by fund type then agree fully.

    Read from the income side of 收支总表 by what each row names (`income_source`): any amount from another
    source (事业收入资金, 政府性基金预算拨款, 非财政拨款结余 …) means the all-funds tables hold more."""
    b01 = ctx.table("B01")
    if b01 is None:
        return False
    col = first_value(b01, "收入")
    side = read_side(b01, "收入")
    for row in b01.rows:
        if row.side != "收入" or side.role(row) in ("subtotal", "grand", "memo"):
            continue
        value = Ref(b01, row, col).value
        source = income_source(row.label)
        if (
            value
            and source is not None
            and source[0] not in ("一般公共预算",)
            and not (source[0] == "财政拨款" and _only_general_parts(b01, side, row, col))
        ):
            return False
    return _same_carry_over(ctx, b01, side, col)


def _same_carry_over(ctx: Context, b01: Table, side: Side, col: str) -> bool:
    """The carry-over of all funds (收支总表) is the appropriations' (财政拨款收支总表): a carry-over of other
    money (珠海: 上年结转结余 0.11 that 财政拨款收支总表 does not have) makes the all-funds tables hold more."""
    b04 = ctx.table("B04")
    if b04 is None or not side.carries:
        return True
    col4 = b04.first_value_column("收入")
    if col4 is None:
        return True
    side4 = read_side(b04, "收入")
    total = sum((r.value(col) or Decimal(0) for r in side.carries), Decimal(0))
    total4 = sum((r.value(col4) or Decimal(0) for r in side4.carries), Decimal(0))
    return convert(total, b01.amount_unit, "元") == convert(total4, b04.amount_unit, "元")


def _only_general_parts(table: Table, side: Side, row: Row, col: str) -> bool:
    """A 财政拨款 row whose parts are all 一般公共预算 (深圳: 一、财政拨款 = 1.一般公共预算拨款 + 0 + 0)."""
    parts = [r for r in table.rows if side.parent(r) is row]
    return bool(parts) and all(
        not Ref(table, r, col).value or (income_source(r.label) or ("",))[0] == "一般公共预算" for r in parts
    )
