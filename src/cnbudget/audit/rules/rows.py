"""Identities along a row: 合计 = 基本支出 + 项目支出, 小计 = 人员经费 + 公用经费, 三公 = its parts …

They are read off the header tree: in a group of columns, a leading 合计/小计 column is the sum of the
group's other columns (a sub-group counts by its own 小计, or by all its columns when it has none).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cnbudget.audit.context import Context, Ref, row_name
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.catalog import spec_for, table_name
from cnbudget.model import Column, Table
from cnbudget.model.tables import MEASURES


@dataclass(frozen=True, slots=True)
class ColumnIdentity:
    total: str
    parts: tuple[str, ...]
    level: str
    """``row`` when the total is a 合计 column, ``subtotal`` for a 小计 column."""


def _is_total(label: str) -> bool:
    return label in ("合计", "小计") or label.endswith("合计") or label.endswith("合 计")


def column_identities(paths: list[tuple[str, ...]]) -> list[ColumnIdentity]:
    """Identities implied by a header tree given as leaf paths, left to right."""
    out: list[ColumnIdentity] = []

    def walk(prefix: tuple[str, ...], leaves: list[tuple[str, ...]]) -> None:
        children: list[tuple[str, list[tuple[str, ...]]]] = []
        for leaf in leaves:
            head = leaf[len(prefix)]
            if children and children[-1][0] == head and len(leaf) > len(prefix) + 1:
                children[-1][1].append(leaf)
            else:
                children.append((head, [leaf]))
        first_head, first_leaves = children[0]
        if (
            len(children) > 1
            and len(first_leaves) == 1
            and len(first_leaves[0]) == len(prefix) + 1
            and _is_total(first_head)
        ):
            parts: list[str] = []
            for _head, group in children[1:]:
                if (
                    len(group) == 1
                    and len(group[0]) == len(prefix) + 1
                    or _is_total(group[0][len(prefix) + 1])
                    and len(group[0]) == len(prefix) + 2
                ):
                    parts.append("/".join(group[0]))
                else:
                    parts.extend("/".join(leaf) for leaf in group if len(leaf) == len(prefix) + 2)
            level = "subtotal" if first_head == "小计" else "row"
            out.append(ColumnIdentity("/".join(first_leaves[0]), tuple(parts), level))
        elif (
            len(children) > 1
            and _is_total(first_head)
            and all(len(f) == len(prefix) + 2 for f in first_leaves)
        ):
            out.extend(_by_measure(prefix, children))
        for head, group in children:
            if len(group) > 1 or len(group[0]) > len(prefix) + 1:
                deeper = [leaf for leaf in group if len(leaf) > len(prefix) + 1]
                if deeper and len(deeper) == len(group):
                    walk((*prefix, head), deeper)

    if paths:
        walk((), paths)
    return out


def _by_measure(
    prefix: tuple[str, ...], children: list[tuple[str, list[tuple[str, ...]]]]
) -> list[ColumnIdentity]:
    """A total group split by measure below it (合计/预算数, 合计/决算数 …): one identity per measure.

    Each other group contributes its leaf with the same measure, or its own 小计 with that measure.
    """
    depth = len(prefix)
    first_head, first_leaves = children[0]
    out: list[ColumnIdentity] = []
    for total in first_leaves:
        measure = total[-1]
        parts: list[str] = []
        for _head, group in children[1:]:
            same = [leaf for leaf in group if leaf[-1] == measure]
            own_total = [leaf for leaf in same if len(leaf) == depth + 3 and _is_total(leaf[depth + 1])]
            if own_total:
                parts.append("/".join(own_total[0]))
            else:
                parts.extend("/".join(leaf) for leaf in same if len(leaf) == depth + 2)
        if parts:
            level = "subtotal" if first_head == "小计" else "row"
            out.append(ColumnIdentity("/".join(total), tuple(parts), level))
    return out


def _table_paths(table: Table) -> list[tuple[str, ...]]:
    seen: dict[str, tuple[str, ...]] = {}
    for col in table.columns:
        if col.role == "value" and col.side is None or col.role == "value" and col.side == "支出":
            seen.setdefault(col.key, tuple(col.path))
    return list(seen.values())


def _name(column: str) -> str:
    """How a column is called in messages: its leaf, with its group when the leaf is 小计/合计."""
    parts = column.split("/")
    if parts[-1] in MEASURES and len(parts) > 1:  # 三公 with 预算数/决算数 below the items
        return _name("/".join(parts[:-1])) + parts[-1]
    if parts[-1] in ("小计", "合计") and len(parts) > 1:
        return parts[-2] + parts[-1]
    return parts[-1]


def check_rows(ctx: Context, rule_id: str, table: Table, level: str) -> Iterator[Finding]:
    paths = _table_paths(table)
    for identity in column_identities(paths):
        if identity.level != level:
            continue
        for row in table.rows:
            if table.id in ("F04",) and row.side != "支出":
                continue
            total = Ref(table, row, identity.total, _name(identity.total))
            parts = [Ref(table, row, p, _name(p)) for p in identity.parts]
            f = ctx.check_sum(rule_id, total, parts, f"{table_name(table.id)} {row_name(row)}")
            if f:
                yield f


def _variant_levels(table_id: str) -> set[str]:
    spec = spec_for(table_id)
    levels: set[str] = set()
    for variant in spec.variants:
        paths = [tuple(v.split("/")) for v in variant]
        if spec.two_sided:
            paths = [p[1:] for p in paths if p[0] == "支出"]
        levels |= {i.level for i in column_identities(paths)}
    return levels


_DESCRIPTIONS = {
    "row": "{name}：每行合计等于各组成列之和（如 合计 = 基本支出 + 项目支出）",
    "subtotal": "{name}：每行小计等于其下各列之和（如 基本支出小计 = 人员经费 + 公用经费）",
}


def _register(table_id: str, level: str) -> None:
    kind = "final" if table_id.startswith("F") else "budget"
    rule_id = f"SUM-{table_id}-{'ROW' if level == 'row' else 'SUBTOTAL'}"
    name = spec_for(table_id).name

    @rule(rule_id, "sums", "error", _DESCRIPTIONS[level].format(name=name), kinds=(kind,), tables=(table_id,))
    def check(ctx: Context) -> Iterator[Finding]:
        return check_rows(ctx, rule_id, ctx.need(table_id), level)


for _table_id in (
    "B02",
    "B03",
    "B05",
    "B05U",
    "B06",
    "B07",
    "B10",
    "F02",
    "F03",
    "F04",
    "F05",
    "F07",
    "F08",
    "F09",
):
    for _level in sorted(_variant_levels(_table_id)):
        _register(_table_id, _level)


@rule("SUM-BLANK-001", "sums", "warning", "合计/小计列留空而其组成列有数", basis="consistency")
def blank_totals(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.tables:
        for identity in column_identities(_table_paths(table)):
            for row in table.rows:
                total = Ref(table, row, identity.total, _name(identity.total))
                parts = [Ref(table, row, p, _name(p)) for p in identity.parts]
                filled = [p for p in parts if p.value not in (None, 0)]
                if total.value is None and filled:
                    names = "、".join(f"{p.describe()} {p.cell.raw if p.cell else ''}" for p in filled)
                    yield Finding(
                        rule_id="SUM-BLANK-001",
                        severity="warning",
                        message=f"{table_name(table.id)} {row_name(row)}：{total.describe()}留空，但 {names} 有数",
                        table=table.id,
                        row_code=row.code,
                        row_label=row.label,
                        column=identity.total,
                        evidence=[p.evidence("part") for p in filled],
                    )


def value_columns(table: Table) -> list[Column]:
    return [c for c in table.columns if c.role == "value"]
