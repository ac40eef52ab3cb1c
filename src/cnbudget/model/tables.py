"""Standard financial tables (B01–B10, B05U, F01–F09) as rows of typed cells.

Every cell keeps the text exactly as printed next to its parsed `Decimal`, and the line (and, for
PDF inputs, page and box) it came from, so that any later finding can show its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from cnbudget.domain.numbers import amount_text
from cnbudget.domain.text import is_digits, plain_label
from cnbudget.domain.vocabulary import ColumnRole, ProjectLevel, RowKind, Side, TableLayout, TableStatus


@dataclass(slots=True)
class Column:
    """A leaf of the printed header tree."""

    path: list[str]
    """Header labels from the top level down, whitespace removed, as printed."""
    role: ColumnRole
    """``value`` (an amount), ``code``, ``label``, ``text`` (e.g. 项目单位) or ``ordinal`` (行次/栏次)."""
    index: int | None = None
    """Position in the printed row (cell layouts); None when columns were matched by order."""
    side: Side | None = None
    """For two-sided tables (B01, B04, F01, F04): 收入 or 支出."""
    group: int = 0
    """Which of the side-by-side groups of columns it belongs to (two-sided and grouped tables: 收入 | 支出,
    or 支出 by function beside 支出 by purpose), counted from 0."""
    period: str = ""
    """"prior" for a column of another year printed beside this year's ("2025年预算数" in a 2026 budget,
    上年), "change" for the difference between them (增减变化情况), else "" (the document's own year)."""

    @property
    def key(self) -> str:
        return "/".join(self.path)

    @property
    def memo(self) -> bool:
        """A memo column ("其中：专项资金…", "扣除基建项目后预算数", "不含…"): a part or a restatement of another
        column, not an addend of the row."""
        return any(
            p.startswith(("其中", "不含", "剔除")) or p.startswith("扣除") or "扣除" in p and "后" in p
            for p in self.path
        )

    @property
    def current(self) -> bool:
        """An amount of the document's own year that adds up with the others (not a memo, not a prior year)."""
        return self.role == "value" and not self.memo and not self.period


@dataclass(slots=True)
class Cell:
    column: str
    """The header path joined with "/" (see `Column.key`)."""
    raw: str
    """The text as printed, e.g. ``1,234.50``."""
    value: Decimal | None
    """None when the printed cell is blank: blank is not zero."""
    line: int
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    ocr: bool = False

    @property
    def printed(self) -> str:
        """The amount as printed, without thousands separators ("1,234.50" → "1234.50")."""
        return amount_text(self.raw) or str(self.value)


@dataclass(slots=True)
class Row:
    label: str
    """Printed label, whitespace removed."""
    code: str = ""
    """Printed code; split codes (类/款/项 columns) are joined. Empty when none is printed."""
    resolved_code: str = ""
    """Full code when the printed one is only a prefix (final-account tables print 20103 for 2010301)."""
    level: int | None = None
    """1 = 类 (3 digits), 2 = 款 (5), 3 = 项 (7) for function/economic codes; None otherwise."""
    kind: RowKind = "item"
    """``item``, ``total`` (合计/总计 rows) or ``group`` (unit and 一级项目 rows of B10)."""
    side: Side | None = None
    group: int = 0
    """The group of columns the row was read from (see `Column.group`)."""
    cells: list[Cell] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    """Non-numeric columns other than code and label, e.g. {"项目单位": "…"}."""
    line: int = 0
    last_line: int = 0
    page: int | None = None

    @property
    def full_code(self) -> str:
        """The code the row stands for: the resolved full code, else the printed one ("" when none)."""
        return self.resolved_code or self.code

    @property
    def is_coded(self) -> bool:
        """A classification row: a 3-, 5- or 7-digit function or economic code."""
        code = self.full_code
        return is_digits(code) and len(code) in (3, 5, 7) and self.kind != "group"

    def cell(self, column: str) -> Cell | None:
        for cell in self.cells:
            if cell.column == column:
                return cell
        return None

    def value(self, column: str) -> Decimal | None:
        cell = self.cell(column)
        return cell.value if cell is not None else None


@dataclass(slots=True)
class Note:
    text: str
    line: int


@dataclass(slots=True)
class Table:
    id: str
    """Canonical id: B01…B12-n, B05U, F01…F09 (DOMAIN.md)."""
    title: str
    """Printed title, whitespace removed."""
    title_line: int
    first_line: int
    last_line: int
    amount_unit: str = "万元"
    layout: TableLayout = "cells"
    """``cells`` (tab or pipe separated) or ``tokens`` (space separated, headers matched by catalog)."""
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    is_empty: bool = False
    """True when the table has no body rows (B08/B09/F07/F08 often); see `notes` for the reason given."""
    status: TableStatus = "ok"
    """``ok``, ``partial`` (some rows could not be aligned to columns), ``unreliable`` (the reading fails
    the table's own relations: see `cnbudget.parse.tables.selfcheck`) or ``failed``."""
    warnings: list[str] = field(default_factory=list)
    page: int | None = None

    def row(self, code: str = "", label: str = "", side: str | None = None) -> Row | None:
        for row in self.rows:
            if side is not None and row.side != side:
                continue
            if code and (row.code == code or row.resolved_code == code):
                return row
            if not code and row.label == label:
                return row
        return None

    # ---- navigation shared by the audit, the library and the reports ------------------------------
    def coded_rows(self) -> list[Row]:
        """Rows of classification codes (类 3 digits, 款 5, 项 7), in printed order."""
        return [r for r in self.rows if r.is_coded]

    def total_row(self) -> Row | None:
        """The 合计/总计 row of a table of codes or units; a table printed as one unlabelled row of amounts
        (Jiangsu's 支出预算总表: 合计 | 基本支出 | 项目支出 …) is its own total."""
        found = next((r for r in self.rows if r.kind == "total" and r.label in ("合计", "总计")), None)
        if found is None and len(self.rows) == 1 and not self.rows[0].code and not self.rows[0].label:
            return self.rows[0] if self.rows[0].cells else None
        if found is None and self.rows and self.rows[0].kind == "total" and not self.rows[0].code:
            return self.rows[
                0
            ]  # the organisation's own row over its codes (see parse.codes.organisation_rows)
        return found

    def side_row(self, side: str, name: str) -> Row | None:
        """The row of a two-sided table named ``name`` on ``side``, ordinal and 含专用结余 ignored."""
        for row in self.rows:
            if row.side == side and plain_label(row.label).replace("（含专用结余）", "") == name:
                return row
        return None

    @property
    def lists_units(self) -> bool:
        """Rows are departments and units (Wuhan's 收入总表 by unit), not classification codes (Shanghai's
        收入预算总表 by function): said by the header's code and name columns, else by the codes printed."""
        heads = [c.key for c in self.columns if c.role in ("code", "label")]
        if any("单位" in h or "部门" in h for h in heads):
            return True
        if any("功能" in h or "科目" in h or "经济" in h for h in heads):
            return False
        codes = [r.code for r in self.rows if is_digits(r.code)]
        return any(len(c) == 6 for c in codes) and not any(len(c) in (5, 7) for c in codes)

    def find_column(self, *names: str) -> str | None:
        """The key of the first amount column that is one of ``names``: the whole path, else a path ending
        with it ("基本支出" finds "一般公共预算支出/基本支出"), else the same last level; None when none is."""
        keys = [c.key for c in self.columns if c.current] or self.value_keys()
        keys = list(dict.fromkeys(keys))
        for name in names:
            if name in keys:
                return name
        for name in names:
            found = [k for k in keys if k.endswith("/" + name)]
            if len(found) == 1:
                return found[0]
        for name in names:
            leaf = name.split("/")[-1]
            found = [k for k in keys if k.split("/")[-1] == leaf]
            if len(found) == 1 and leaf not in ("小计", "合计"):
                return found[0]
        return None

    def value_keys(self) -> list[str]:
        """Keys of the amount columns, left to right, each once."""
        return list(dict.fromkeys(c.key for c in self.columns if c.role == "value"))

    def first_value_column(self, side: str | None = None) -> str | None:
        """The first amount column of the document's year (of ``side`` in two-sided tables), or None: a
        prior year's column or a memo column printed first is not the table's figure."""
        for col in self.columns:
            if col.current and (side is None or col.side == side):
                return col.key
        return None


@dataclass(slots=True)
class Project:
    """One row of the project table (B10)."""

    name: str
    code: str = ""
    unit: str = ""
    level: ProjectLevel = "project"
    """``project``, ``first_level`` (一级项目 with no unit), ``unit`` or ``category`` (本级支出项目)."""
    total: Decimal | None = None
    amounts: dict[str, Decimal] = field(default_factory=dict)
    line: int = 0


def code_children(rows: list[Row], parent: Row) -> list[Row]:
    """The coded rows directly below ``parent`` (a 类's 款, a 款's 项), in this table's convention.

    A code printed once has its children wherever they are printed. A code printed more than once belongs
    to a table that crosses two classifications (烟台's 基本支出表: 301 工资福利支出 under 501 and again under
    505): each printing heads the rows that follow it, up to the next row outside its code."""
    code = parent.full_code
    if sum(1 for r in rows if r.full_code == code) <= 1:
        return [r for r in rows if len(r.full_code) == len(code) + 2 and r.full_code.startswith(code)]
    out: list[Row] = []
    start = next((i for i, r in enumerate(rows) if r is parent), len(rows))
    for row in rows[start + 1 :]:
        if not row.full_code.startswith(code) or len(row.full_code) <= len(code):
            break
        if len(row.full_code) == len(code) + 2:
            out.append(row)
    return out


def leaves_under(rows: list[Row], code: str) -> int:
    """How many lowest-level rows a code's figure sums (for the rounding tolerance)."""
    codes = {r.full_code for r in rows}
    below = [c for c in codes if c != code and c.startswith(code)]
    parents = {c[:-2] for c in below}
    return max(sum(1 for c in below if c not in parents), 1)


MEASURES = ("预算数", "决算数")


def three_public_view(column: str) -> tuple[str, tuple[str, ...]]:
    """A 三公 column as (measure, item path), whichever way the header is built.

    Regions print 预算数/决算数 above the items ("决算数/公务接待费") or below them
    ("财政拨款“三公”经费/公务接待费/决算数"); the outer 财政拨款“三公”经费 group is dropped.
    """
    parts = column.split("/")
    measure = next((p for p in parts if p in MEASURES), "")
    rest = [p for p in parts if p != measure]
    if len(rest) > 1 and "三公" in rest[0]:
        rest = rest[1:]
    return measure, tuple(rest)
