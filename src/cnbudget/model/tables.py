"""Standard financial tables (B01–B10, B05U, F01–F09) as rows of typed cells.

Every cell keeps the text exactly as printed next to its parsed `Decimal`, and the line (and, for
PDF inputs, page and box) it came from, so that any later finding can show its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(slots=True)
class Column:
    """A leaf of the printed header tree."""

    path: list[str]
    """Header labels from the top level down, whitespace removed, as printed."""
    role: str
    """``value`` (an amount), ``code``, ``label``, ``text`` (e.g. 项目单位) or ``ordinal`` (行次/栏次)."""
    index: int | None = None
    """Position in the printed row (cell layouts); None when columns were matched by order."""
    side: str | None = None
    """For two-sided tables (B01, B04, F01, F04): 收入 or 支出."""

    @property
    def key(self) -> str:
        return "/".join(self.path)


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
    kind: str = "item"
    """``item``, ``total`` (合计/总计 rows) or ``group`` (unit and 一级项目 rows of B10)."""
    side: str | None = None
    cells: list[Cell] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    """Non-numeric columns other than code and label, e.g. {"项目单位": "…"}."""
    line: int = 0
    last_line: int = 0
    page: int | None = None

    def value(self, column: str) -> Decimal | None:
        for cell in self.cells:
            if cell.column == column:
                return cell.value
        return None


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
    layout: str = "cells"
    """``cells`` (tab or pipe separated) or ``tokens`` (space separated, headers matched by catalog)."""
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    is_empty: bool = False
    """True when the table has no body rows (B08/B09/F07/F08 often); see `notes` for the reason given."""
    status: str = "ok"
    """``ok``, ``partial`` (some rows could not be aligned to columns) or ``failed``."""
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


@dataclass(slots=True)
class Project:
    """One row of the project table (B10)."""

    name: str
    code: str = ""
    unit: str = ""
    level: str = "project"
    """``project``, ``first_level`` (一级项目 with no unit), ``unit`` or ``category`` (本级支出项目)."""
    total: Decimal | None = None
    amounts: dict[str, Decimal] = field(default_factory=dict)
    line: int = 0
