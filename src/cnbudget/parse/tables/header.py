"""Header trees of printed tables.

Merged header cells reach conversions as a label followed by empty cells; the label spans those
empty cells when the row below labels them (基本支出 over 小计/人员经费/公用经费). Ordinal rows
(栏次 1 2 3 …) and 行次 columns carry no meaning for amounts and are dropped from paths.
"""

from __future__ import annotations

import re

from cnbudget.domain.text import compact, is_digits, key
from cnbudget.domain.vocabulary import SIDES, ColumnRole, Side
from cnbudget.model import Column

_CODE_LABELS = {
    "科目编码", "功能分类科目编码", "功能分类科目", "支出功能分类科目编码", "经济分类科目编码", "单位编码",
    "部门(单位)代码", "部门代码", "单位代码", "项目编码", "项目代码", "编码", "代码", "类", "款", "项", "经济",
    "经济分类", "科目代码",
}  # fmt: skip
_LABEL_LABELS = {
    "科目名称", "单位名称", "部门(单位)名称", "部门名称", "项目名称", "项目", "项目(按功能分类)", "功能分类科目名称",
    "经济分类科目名称", "名称",
}  # fmt: skip
_TEXT_LABELS = {"项目单位", "项目类别", "备注", "项目类型"}
_ORDINAL_LABELS = {"行", "行次", "栏次", "序号"}
_SIDES: dict[str, Side] = {"收入": "收入", "支出": "支出"}


def role_of(path: list[str]) -> ColumnRole:
    if not path:
        return "unknown"
    leaf = key(path[-1])
    if leaf in _ORDINAL_LABELS:
        return "ordinal"
    if leaf in _CODE_LABELS or leaf.endswith("编码") or leaf.endswith("代码"):
        return "code"
    if leaf in _LABEL_LABELS or leaf.endswith("名称"):
        return "label"
    if leaf in _TEXT_LABELS:
        return "text"
    return "value"


def is_ordinal_row(cells: list[str]) -> bool:
    """栏次 rows: "栏次 1 2 3", or a bare run of 1..n (F09 prints only the numbers)."""
    texts = [compact(c) for c in cells if compact(c) and not _PLACEHOLDER.match(compact(c))]
    if not texts:
        return False
    numbers = [t for t in texts if is_digits(t)]
    if any(t in ("栏次", "行次") for t in texts):
        return len(numbers) >= 1
    if len(numbers) == len(texts) and len(numbers) >= 2:
        values = [int(t) for t in numbers]
        return values == list(range(values[0], values[0] + len(values))) and values[0] <= 2
    return False


_PLACEHOLDER = re.compile(r"^[*＊\-—–]+$")
"""The marks over the label columns of a 栏次 row ("** | ** | 1 | 2 | 3")."""


def blank_ordinals(cells: list[str]) -> list[str]:
    """Keep 类/款/项 sub-labels of an ordinal row, drop 栏次, the numbers and the marks over label columns."""
    out = []
    for c in cells:
        t = compact(c)
        out.append("" if (is_digits(t) or t in ("栏次", "行次") or _PLACEHOLDER.match(t)) else t)
    return out


def build_columns(header_rows: list[list[str]]) -> list[Column]:
    rows = [blank_ordinals(r) if is_ordinal_row(r) else [compact(c) for c in r] for r in header_rows]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]

    def spans(r: int, j: int, c: int) -> bool:
        for k in range(j + 1, c + 1):
            if grid[r][k]:
                return False
            if any(grid[rr][k] for rr in range(r)):
                return False  # a new parent starts above: a child never spans out of its parent
            if not any(grid[rr][k] for rr in range(r + 1, len(grid))):
                return False
        return True

    columns = []
    for c in range(width):
        path: list[str] = []
        for r in range(len(grid)):
            label = grid[r][c]
            if label:
                path.append(label)
                continue
            j = c - 1
            while j >= 0 and not grid[r][j]:
                j -= 1
            if j >= 0 and spans(r, j, c):
                path.append(grid[r][j])
        columns.append(Column(path=path, role=role_of(path), index=c))
    return columns


def assign_sides(columns: list[Column]) -> list[list[Column]]:
    """Split columns into groups (label columns then amounts); name the side of two-sided tables."""
    groups: list[list[Column]] = []
    seen_value = False
    for col in columns:
        if col.role in ("code", "label") and (seen_value or not groups):
            groups.append([])
            seen_value = False
        if not groups:
            groups.append([])
        groups[-1].append(col)
        if col.role == "value":
            seen_value = True
    groups = [g for g in groups if g]
    for number, group in enumerate(groups):
        side = next((_SIDES[key(c.path[0])] for c in group if c.path and key(c.path[0]) in _SIDES), None)
        for col in group:
            col.side = side
            col.group = number
    return groups


def prefix_side(columns: list[Column], sides: tuple[Side, ...] = SIDES) -> None:
    """Two-sided tables report columns as 收入/… and 支出/… even when the header lacks that row."""
    groups = assign_sides(columns)
    for i, group in enumerate(groups[: len(sides)]):
        for col in group:
            side = col.side or sides[i]
            col.side = side
            if not col.path or key(col.path[0]) not in _SIDES:
                col.path = [side, *col.path]
            else:
                col.path[0] = side


_TRUNCATED = re.compile(r"\s+")


def rename_duplicates(columns: list[Column], variants: tuple[tuple[str, ...], ...]) -> list[str]:
    """Where printed labels are cut short and two columns share a path, take the catalog's names."""
    values = [c for c in columns if c.role == "value"]
    keys = [c.key for c in values]
    if len(set(keys)) == len(keys):
        return []
    for variant in variants:
        if len(variant) != len(values):
            continue
        ok = True
        for col, full in zip(values, variant, strict=True):
            # the printed path may lack the catalog's upper levels ("决算数" for "公用经费/决算数")
            parts = full.split("/")
            if len(parts) < len(col.path) or not all(
                key(f).startswith(key(p)) or key(p).startswith(key(f))
                for p, f in zip(col.path, parts[len(parts) - len(col.path) :], strict=True)
            ):
                ok = False
                break
        if ok:
            duplicated = {k for k in keys if keys.count(k) > 1}
            for col, full in zip(values, variant, strict=True):
                if col.key in duplicated:
                    col.path = full.split("/")  # only the ambiguous columns; the others stay as printed
            return []
    seen: dict[str, int] = {}
    for col in values:
        n = seen.get(col.key, 0) + 1
        seen[col.key] = n
        if n > 1:
            col.path = [*col.path[:-1], f"{col.path[-1]}#{n}"]
    return [f"duplicate column labels renamed: {', '.join(sorted(set(keys)))}"]
