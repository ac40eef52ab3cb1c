"""Identities a header tree implies along every row: a leading 合计/小计 column is the sum of its group.

In a group of columns, a leading 合计/小计 column is the sum of the group's other columns (a sub-group
counts by its own 小计, or by all its columns when it has none); a total group split by measure
(合计/预算数, 合计/决算数) gives one identity per measure. The audit's row-sum rules and the parser's
self-check both read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnbudget.model.tables import Table


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
        depth = len(prefix)
        children: list[tuple[str, list[tuple[str, ...]]]] = []
        for leaf in leaves:
            head = leaf[depth]
            if children and children[-1][0] == head and len(leaf) > depth + 1:
                children[-1][1].append(leaf)
            else:
                children.append((head, [leaf]))
        first_head, first_leaves = children[0]
        if (
            len(children) > 1
            and len(first_leaves) == 1
            and len(first_leaves[0]) == depth + 1
            and _is_total(first_head)
        ):
            parts: list[str] = []
            for _head, group in children[1:]:
                if (
                    len(group) == 1
                    and len(group[0]) == depth + 1
                    or len(group[0]) == depth + 2
                    and _is_total(group[0][depth + 1])
                ):
                    parts.append("/".join(group[0]))
                else:
                    parts.extend("/".join(leaf) for leaf in group if len(leaf) == depth + 2)
            level = "subtotal" if first_head == "小计" else "row"
            out.append(ColumnIdentity("/".join(first_leaves[0]), _of_what_it_names(first_head, parts), level))
        elif len(children) > 1 and _is_total(first_head) and all(len(f) == depth + 2 for f in first_leaves):
            out.extend(_by_measure(prefix, children))
        for head, group in children:
            if len(group) > 1 or len(group[0]) > depth + 1:
                deeper = [leaf for leaf in group if len(leaf) > depth + 1]
                if deeper and len(deeper) == len(group):
                    walk((*prefix, head), deeper)

    if paths:
        walk((), paths)
    return out


_THREE_PUBLIC_ITEMS = ("出国", "公务用车", "公务接待")


def _of_what_it_names(total: str, parts: list[str]) -> tuple[str, ...]:
    """A total that names what it totals sums only that: "“三公”经费合计" the 三公 items (因公出国（境）费,
    公务用车购置及运行（维护）费, 公务接待费), not the 会议费 and 培训费 printed beside them (江苏)."""
    if "三公" in total:
        named = [p for p in parts if any(w in p for w in _THREE_PUBLIC_ITEMS)]
        if named:
            return tuple(named)
    return tuple(parts)


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


def table_paths(table: Table) -> list[tuple[str, ...]]:
    """The amount columns' header paths (the expenditure side of two-sided tables), each once; memo columns
    ("其中：…", a part of the column before them) and another year's columns add up with nothing."""
    seen: dict[str, tuple[str, ...]] = {}
    for col in table.columns:
        if col.current and col.side in (None, "支出"):
            seen.setdefault(col.key, tuple(col.path))
    return list(seen.values())
