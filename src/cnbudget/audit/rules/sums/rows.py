"""Row identities read off the header tree: in a group of columns, a leading 合计/小计 column is the sum of
the group's other columns (SUM-…-ROW, SUM-…-SUBTOTAL)."""

from __future__ import annotations

from collections.abc import Iterator

from cnbudget.audit.context import Context, Ref, row_name
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.catalog import table_name
from cnbudget.model.headers import column_identities, table_paths
from cnbudget.model.tables import MEASURES

SYSTEMATIC_ROWS = 4
"""A row relation broken on this many rows (and a quarter of those checked) is broken by the reading."""


def column_name(column: str) -> str:
    """How a column is called in messages: its leaf, with its group when the leaf is 小计/合计."""
    parts = column.split("/")
    if parts[-1] in MEASURES and len(parts) > 1:  # 三公 with 预算数/决算数 below the items
        return column_name("/".join(parts[:-1])) + parts[-1]
    if parts[-1] in ("小计", "合计") and len(parts) > 1:
        return parts[-2] + parts[-1]
    return parts[-1]


_ROW_SUMS = {
    "SUM-B02-ROW": {"table": "B02", "example": "合计 = 本年收入小计 + 上年结转结余小计"},
    "SUM-B03-ROW": {"table": "B03", "example": "合计 = 基本支出 + 项目支出（+ 经营支出等）"},
    "SUM-B05-ROW": {"table": "B05", "example": "合计 = 基本支出小计 + 项目支出"},
    "SUM-B05U-ROW": {"table": "B05U", "example": "合计 = 基本支出小计 + 项目支出"},
    "SUM-B06-ROW": {"table": "B06", "example": "合计 = 人员经费 + 公用经费"},
    "SUM-B07-ROW": {"table": "B07", "example": "“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行费小计 + 公务接待费"},
    "SUM-B10-ROW": {"table": "B10", "example": "合计 = 各资金来源之和"},
    "SUM-F02-ROW": {"table": "F02", "example": "本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + …"},
    "SUM-F03-ROW": {"table": "F03", "example": "本年支出合计 = 基本支出 + 项目支出 + 上缴上级支出 + …"},
    "SUM-F08-ROW": {"table": "F08", "example": "本年支出合计 = 基本支出 + 项目支出"},
    "SUM-F09-ROW": {"table": "F09", "example": "“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费小计 + 公务接待费"},
}  # fmt: skip
_SUBTOTAL_SUMS = {
    "SUM-B02-SUBTOTAL": {"table": "B02", "example": "本年收入小计 = 各收入来源之和"},
    "SUM-B05-SUBTOTAL": {"table": "B05", "example": "基本支出小计 = 人员经费 + 公用经费"},
    "SUM-B05U-SUBTOTAL": {"table": "B05U", "example": "基本支出小计 = 人员经费 + 公用经费"},
    "SUM-B07-SUBTOTAL": {"table": "B07", "example": "公务用车购置及运行费小计 = 购置费 + 运行费"},
    "SUM-F04-SUBTOTAL": {"table": "F04", "example": "支出决算数小计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算财政拨款"},
    "SUM-F05-SUBTOTAL": {"table": "F05", "example": "本年支出小计 = 基本支出 + 项目支出"},
    "SUM-F07-SUBTOTAL": {"table": "F07", "example": "本年支出小计 = 基本支出 + 项目支出"},
    "SUM-F09-SUBTOTAL": {"table": "F09", "example": "公务用车购置及运行维护费小计 = 购置费 + 运行维护费"},
}  # fmt: skip
ROW_SUM_RULES = {**{k: {**v, "level": "row"} for k, v in _ROW_SUMS.items()},
                 **{k: {**v, "level": "subtotal"} for k, v in _SUBTOTAL_SUMS.items()}}  # fmt: skip
"""Every row-sum rule and its table; a test checks these against the identities the catalogue implies."""


@rule(
    each={k: {**v, "level": "row"} for k, v in _ROW_SUMS.items()},
    family="sums",
    description="{name}：每行合计等于各组成列之和（{example}）",
    rationale=(
        "{name}每一行的合计列是表头上由它统辖的各组成列之和（组成列自带小计的按小计计入，"
        "即 {example}）；这是表内横向勾稽关系，任一行不等说明该行数据录入或汇总有误。"
    ),
    fix=(
        "逐行核对{name}合计列与各组成列之和（表头分预算数、决算数的分别核对）："
        "差额在尾差范围内只作提示，超出为错误，只有一个非零组成项时合计必须与之相等；"
        "合计留空的行不在此检查，由 SUM-BLANK-001 报告。"
        "部门应按原始数据更正出错的合计数或组成数。"
    ),
)
@rule(
    each={
        k: {"table": v["table"], "example": v["example"], "level": "subtotal"}
        for k, v in _SUBTOTAL_SUMS.items()
    },
    family="sums",
    description="{name}：每行小计等于其下各列之和（{example}）",
    rationale="{name}中标为“小计”的列等于其所在列组内其余各列之和（{example}）；这是表内横向勾稽关系。",
    fix=(
        "逐行核对{name}小计列与同组各列之和（两方的表只核对支出方各行）："
        "差额在尾差范围内只作提示，超出为错误，只有一个非零组成项时小计必须与之相等。"
        "部门应查明是小计还是组成列录错并更正，同时复核该行的合计列。"
    ),
)
def row_sums(ctx: Context, table: str, level: str, example: str) -> Iterator[Finding]:
    t = ctx.need(table)
    for identity in column_identities(table_paths(t)):
        if identity.level != level:
            continue
        recorded = len(ctx.identities)
        found: list[Finding] = []
        checked = 0
        for row in t.rows:
            if t.id == "F04" and row.side != "支出":
                continue
            total = Ref(t, row, identity.total, column_name(identity.total))
            parts = [Ref(t, row, p, column_name(p)) for p in identity.parts]
            checked += total.value is not None
            found.extend(ctx.check_sum(total, parts, f"{table_name(t.id)} {row_name(row)}"))
        broken = [f for f in found if f.severity == "error"]
        if len(broken) >= SYSTEMATIC_ROWS and len(broken) * 4 >= checked:
            # the relation the header implies fails on row after row: the header is read (or meant) otherwise;
            # one finding says so, instead of one per row
            del ctx.identities[recorded:]
            parts_text = " + ".join(column_name(p) for p in identity.parts)
            ctx.not_here(
                f"{table_name(t.id)}“{column_name(identity.total)} = {parts_text}”在 {len(broken)}/{checked} 行不成立，未逐行报告"
            )
            yield ctx.finding(
                f"{table_name(t.id)}：表头所示“{column_name(identity.total)} = {parts_text}”在 {len(broken)}/{checked} 行不成立，"
                "多为读表有误或各栏含义与表头不同（如含“其中”栏、跨年栏），请对照原表人工核对",
                severity="warning",
                table=t.id,
                column=identity.total,
                evidence=[e for f in broken[:3] for e in f.evidence[:1]],
            )
            continue
        yield from found
