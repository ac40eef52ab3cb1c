"""B10's groups: each unit and first-level project row is the sum of the rows under it (SUM-B10-GROUPS)."""

from __future__ import annotations

from collections.abc import Iterator

from cnbudget.audit.context import Context, Ref, row_name
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.text import is_digits
from cnbudget.model import Row

_RANK = {"total": 0, "department": 1, "unit": 2, "first_level": 3, "category": 3, "project": 4}


def _b10_level(row: Row, level: str | None, rows: list[Row]) -> str | None:
    if level != "unit":
        return level
    if is_digits(row.code):
        return "department" if len(row.code) == 3 else "unit"
    if row.label.endswith("本级"):
        return "unit"
    later = [r.label for r in rows if r.line > row.line]
    return "department" if any(lbl != row.label and lbl.startswith(row.label) for lbl in later) else "unit"


@rule(
    "SUM-B10-GROUPS",
    family="sums",
    tables=("B10",),
    description="项目支出表中合计、单位、一级项目（或项目类别）各行等于其下各行之和",
    rationale=(
        "项目支出表按合计—部门—单位—一级项目（或项目类别）—项目逐级汇总，"
        "每个汇总行的各列都应等于其下一级各行之和；这是表内纵向勾稽关系。"
    ),
    fix=(
        "逐列核对报告所列汇总行与其直接下级各行之和，差额在尾差范围内只作提示，超出为错误。"
        "常见原因是漏列或重复列示项目、项目归错单位、汇总行未随项目调整更新，部门应更正后使汇总行与明细一致。"
    ),
)
def b10_groups(ctx: Context) -> Iterator[Finding]:
    b10 = ctx.need("B10")
    levels = {p.line: p.level for p in ctx.doc.projects}
    ranked: list[tuple[int, Row]] = []
    for row in b10.rows:
        level = "total" if row.kind == "total" else _b10_level(row, levels.get(row.line), b10.rows)
        if level in _RANK and row.cells:
            ranked.append((_RANK[level], row))
    if not any(rank == _RANK["project"] for rank, _ in ranked):
        # no row says it is a project (no 项目单位, no project code): categories and projects nested at levels
        # the table does not print (西安's 专项业务经费支出表) cannot be told apart, nor summed
        ctx.not_here("项目支出表未标明哪些行是项目（没有项目单位列或项目编码），分组层级不明，不检查分组合计")
        return
    columns = b10.value_keys()
    for i, (rank, row) in enumerate(ranked):
        if rank == _RANK["project"]:
            continue
        children: list[Row] = []
        child_rank = None
        for other_rank, other in ranked[i + 1 :]:
            if other_rank <= rank:
                break
            if child_rank is None:
                child_rank = other_rank
            if other_rank == child_rank:
                children.append(other)
        if not children:
            continue
        for column in columns:
            yield from ctx.check_sum(
                Ref(b10, row, column, f"{row_name(row)} {column}"),
                [Ref(b10, r, column, row_name(r)) for r in children],
                "项目支出表 分组合计",
            )
