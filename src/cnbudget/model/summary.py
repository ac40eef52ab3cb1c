"""The two sides of a summary table (收支总表 B01, 财政拨款收支总表 B04, F01, F04), read by what each row is.

Every region prints the same accounting on each side — items, the year's total, carry-overs, the grand
total — under its own words and layout: 本年收入合计 at the foot or 合计 at the head; 一、本年收入 heading its
（一）（二）（三）; 上年结转结余, 上年结余、结转, 二、上年结转 or 年初结转和结余; 收入总计 or, after the carry-overs,
收入合计. A row's role is read from its words and its place, not from a list of each region's labels:

- the grand total is 总计 (收入总计, 支出总计), or a 合计 printed after carry-overs;
- the year's total is 本年收入合计 / 本年支出合计, 本年收入 / 本年支出 heading its parts, or a 合计 when the side
  has no carry-over (then it is the grand total too);
- a carry-over is a top-level row that speaks of 结转 or 结余, or any top-level row between the year's total
  and the grand total (上年实户资金余额 adds to the total as a carry-over does);
- items are the other top-level rows before the year's total; numbered rows below a row (（一）, 1., (1)) are
  its parts, and 其中 rows are memos of the row above, never addends.

`Side.reliable` says whether the reading found the structure the rules need; a rule that needs a part of
it that is missing does not judge (the audit reports it as not evaluated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cnbudget.domain.codes import class_code
from cnbudget.domain.text import compact
from cnbudget.model.tables import Row, Table

_LEVELS = (
    (1, re.compile(r"^[一二三四五六七八九十廿]+[、.．]")),
    (2, re.compile(r"^\d?[（(][一二三四五六七八九十廿]+[)）]|^\d{1,2}[、.．](?!\d)")),
    (3, re.compile(r"^[（(]\d{1,2}[)）]")),
)
_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十廿]+[、.．]|\d?[（(][一二三四五六七八九十廿]+[)）]|\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[)）])"
)
_MEMO = re.compile(r"^其中")
_GRAND = frozenset({"总计", "收入总计", "支出总计", "收支总计"})
_TOTAL = frozenset({"合计", "收入合计", "支出合计", "收支合计"})
_SUBTOTAL = re.compile(r"^(?:本年|当年)(?:收入|支出)(?:合计|小计)$")
_HEAD = re.compile(r"^(?:本年|当年)(?:收入|支出)$")
_CARRY = re.compile(r"结转|结余")
_FUND = re.compile(r"^(?:一般公共预算|政府性基金|国有资本经营|财政拨款|非财政拨款|财政专户|单位资金)")
"""A row naming a fund below a carry-over is that carry-over's part (年初财政拨款结转和结余 → 一般公共预算财政拨款)."""


def row_key(label: str) -> str:
    """A summary row's words: no ordinal, no spaces, no "（含专用结余）"."""
    text = _ORDINAL.sub("", compact(label))
    return text.replace("（含专用结余）", "").replace("(含专用结余)", "")


def level(label: str) -> int | None:
    """1 for 一、, 2 for （一） and 1., 3 for (1); None when the row is not numbered. A stray digit printed
    before a bracketed ordinal ("1（一）一般公共预算资金") does not change its level."""
    text = compact(label)
    for depth, pattern in _LEVELS:
        if pattern.match(text):
            return depth
    return None


@dataclass
class Side:
    """The rows of one side, in order, sorted into their roles."""

    name: str
    group: int = 0
    """The group of columns the side was read from: 西安 and 江苏 print spending by function class beside
    spending by economic class or purpose, each a side of its own."""
    items: list[Row] = field(default_factory=list)
    """Top-level items before the year's total: income sources, or spending by function class."""
    groups: list[tuple[Row, list[Row]]] = field(default_factory=list)
    """Rows with numbered parts below them ("一、本年收入" over （一）（二）（三）, "二、上年结转" over its funds,
    "一、财政拨款" over 1. 2. 3.), each with its direct parts (memos left out)."""
    subtotal: Row | None = None
    """The year's total (本年收入合计, 一、本年收入, or a 合计 when nothing is carried over)."""
    head: Row | None = None
    """本年收入 / 本年支出 when printed over its parts (then it is the subtotal too)."""
    carries: list[Row] = field(default_factory=list)
    grand: Row | None = None
    """The grand total (收入总计), the same row as `subtotal` when the side prints one 合计 and no carry-over."""
    memos: list[Row] = field(default_factory=list)
    parts_of: dict[int, Row] = field(default_factory=dict)
    """id(row) → the row it is a part (or memo) of."""

    @property
    def parts(self) -> list[Row]:
        """What the year's total sums: the items, or, when 本年收入 heads the side, its parts."""
        if self.items:
            return self.items
        if self.head is not None:
            return next((kids for head, kids in self.groups if head is self.head), [])
        return []

    def parent(self, row: Row) -> Row | None:
        return self.parts_of.get(id(row))

    def role(self, row: Row) -> str:
        """item, part, memo, subtotal, carry, grand or "" (a row the reading does not place)."""
        if row is self.grand:
            return "grand"
        if row is self.subtotal:
            return "subtotal"
        if any(row is c for c in self.carries):
            return "carry"
        if any(row is i for i in self.items):
            return "item"
        if any(row is m for m in self.memos):
            return "memo"
        if id(row) in self.parts_of:
            return "part"
        return ""

    def under_carry(self, row: Row) -> bool:
        """A part of a carry-over (二、上年结转 → （一）一般公共预算拨款): last year's money, not this year's."""
        parent = self.parent(row)
        while parent is not None:
            if any(parent is c for c in self.carries):
                return True
            parent = self.parent(parent)
        return False


def read_side(table: Table, side: str, group: int | None = None) -> Side:
    """One side of a two-sided summary table (its first group of columns when the side prints several
    side by side, unless ``group`` says which), its rows placed by their words and order."""
    if group is None:
        group = min((r.group for r in table.rows if r.side == side), default=0)
    rows = [r for r in table.rows if r.side == side and r.label and r.group == group]
    out = Side(side, group=group)
    keys = [row_key(r.label) for r in rows]
    levels, top, classes_only = _side_levels(rows, keys, side)
    at = _Placing(out)
    for row, k, lv in zip(rows, keys, levels, strict=True):
        if at.total_or_memo(row, k):
            continue
        is_top = (
            lv == top or (lv is None and top is None) or (lv is not None and top is not None and lv < top)
        )
        if classes_only and not at.after_total and not _CARRY.search(k):
            is_top = class_code(k) is not None
        if _HEAD.match(k) and out.head is None and not at.after_total:
            out.head = row
            at.stack = []
            at.attach(row, lv or 1)
            continue
        if at.after_total and lv is None and out.carries and _FUND.match(k):
            out.parts_of[id(row)] = out.carries[-1]
            at.fund_parts.add(id(row))
            continue
        if (is_top or (at.after_total and lv is None)) and (at.after_total or _CARRY.search(k)):
            out.carries.append(row)
            at.stack = []
            at.attach(row, lv or 1)
            continue
        if is_top and not at.after_total:
            out.items.append(row)
            at.stack = []
            at.attach(row, lv or 1)
            continue
        # a numbered part, or an unnumbered row below a numbered one (深圳: 款 and 项 under 一、一般公共服务支出)
        at.attach(row, lv if lv is not None else 9)
    _settle_totals(out, rows, at.pending)
    _number_groups(out, rows, at.fund_parts)
    return out


@dataclass(slots=True)
class _Placing:
    """Where reading a side has got to: past its total or not, the 合计 rows to settle, and the rows that
    numbered parts may belong to."""

    out: Side
    after_total: bool = False
    pending: list[Row] = field(default_factory=list)
    stack: list[tuple[int, Row]] = field(default_factory=list)
    """(level, row) of the rows numbered parts may belong to."""
    fund_parts: set[int] = field(default_factory=set)

    def attach(self, row: Row, depth: int) -> None:
        while self.stack and self.stack[-1][0] >= depth:
            self.stack.pop()
        if self.stack:
            self.out.parts_of[id(row)] = self.stack[-1][1]
        self.stack.append((depth, row))

    def total_or_memo(self, row: Row, k: str) -> bool:
        """A memo row (其中), the grand total, a 合计 or a subtotal, placed; False for any other row."""
        out = self.out
        if _MEMO.match(k) or _MEMO.match(compact(row.label)):
            if self.stack:
                out.parts_of[id(row)] = self.stack[-1][1]
            out.memos.append(row)
            return True
        if k in _GRAND:
            out.grand, self.after_total, self.stack = row, True, []
            return True
        if k in _TOTAL:
            self.pending.append(row)
            if out.items or out.head is not None or out.carries:
                self.after_total = (
                    True  # a 合计 printed first (重庆: 合计 over the items) heads the side instead
                )
            self.stack = []
            return True
        if _SUBTOTAL.match(k):
            out.subtotal, self.stack = row, []
            if out.items or out.head is not None or out.carries:
                self.after_total = (
                    True  # 杭州 prints 一、本年支出合计 at the head of the side, over its items
                )
            return True
        return False


def _side_levels(rows: list[Row], keys: list[str], side: str) -> tuple[list[int | None], int | None, bool]:
    """Each row's printed level (一、 1. （一） …), the level of the side's items, and whether the items
    are the rows that name a function class (spending printed without numbers)."""
    levels = [level(r.label) for r in rows]
    named = {i for i, k in enumerate(keys) if k in _GRAND | _TOTAL or _SUBTOTAL.match(k)}
    plain = [i for i in range(len(rows)) if i not in named and not _MEMO.match(keys[i])]
    # an unnumbered row over rows numbered 1. or （一） is above them (深圳: 财政拨款 over 1.一般公共预算拨款);
    # unnumbered rows under 一、 are below it (深圳: 财政事务, 行政运行 under 一、一般公共服务支出)
    heads_numbered = any(
        levels[a] is None and (below := levels[b]) is not None and below >= 2
        for a, b in zip(plain, plain[1:], strict=False)
    )
    if heads_numbered:
        levels = [0 if lv is None and i not in named else lv for i, lv in enumerate(levels)]
    numbered = [lv for i, lv in enumerate(levels) if lv is not None and i not in named]
    top = min(numbered) if numbered else None
    # spending printed without numbers (杭州: 一般公共服务支出, 社会工作事务, 其他社会工作事务支出 …): the items are
    # the rows naming a function class, the others are below them
    unnumbered = [i for i in plain if not _CARRY.search(keys[i])]
    classes_only = (
        side == "支出"
        and bool(unnumbered)
        and all(levels[i] is None for i in unnumbered)
        and any(class_code(keys[i]) for i in unnumbered)
    )
    return levels, top, classes_only


def _settle_totals(out: Side, rows: list[Row], pending: list[Row]) -> None:
    """Which 合计 rows are the year's subtotal and which the grand total."""
    order = {id(r): i for i, r in enumerate(rows)}
    for row in pending:
        # a 合计 printed after carry-overs totals them too; with no carry-over it is the year's total
        if out.carries and out.grand is None and order[id(row)] > max(order[id(c)] for c in out.carries):
            out.grand = row
        elif out.subtotal is None:
            out.subtotal = row
        elif out.grand is None:
            out.grand = row
    if out.subtotal is None and out.head is not None:
        out.subtotal = out.head
    if out.grand is None and not out.carries and out.subtotal is not None and pending:
        out.grand = out.subtotal  # one 合计 and nothing carried over: the year's total is the grand total


def _number_groups(out: Side, rows: list[Row], fund_parts: set[int]) -> None:
    """Direct, numbered parts of each row (unnumbered rows below a numbered one are not summed: their
    levels are not printed), kept where the parts are printed at one level."""
    children: dict[int, list[Row]] = {}
    for row in rows:
        parent = out.parts_of.get(id(row))
        direct = level(row.label) is not None or id(row) in fund_parts
        if parent is not None and direct and not any(row is m for m in out.memos):
            children.setdefault(id(parent), []).append(row)
    for row in rows:
        kids = children.get(id(row))
        if kids and len({level(k.label) for k in kids}) == 1:  # parts printed at one level
            out.groups.append((row, kids))


def read_sides(table: Table, side: str) -> list[Side]:
    """Every group of columns of ``side``, each read as a side of its own."""
    groups = sorted({r.group for r in table.rows if r.side == side})
    return [read_side(table, side, group) for group in groups]
