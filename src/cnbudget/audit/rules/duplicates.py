"""Duplicates: one project code on two projects, the same row printed twice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from cnbudget.audit.context import Context, row_evidence
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.catalog import table_name
from cnbudget.domain.text import is_digits, plain_label
from cnbudget.model import Row


@rule(
    "DUP-PROJECT-001",
    family="duplicates",
    basis="consistency",
    kinds=("budget",),
    tables=("B10",),
    description="同一项目编码用于两个不同的项目",
    rationale=(
        "项目编码是项目库中项目的唯一标识，一个编码只能对应一个项目；同一编码用于名称不同的项目，"
        "说明编码或项目名称填错。"
    ),
    fix=(
        "查看报告列出的编码和各项目名称（只检查 15 位及以上的项目编码），对照项目库核实。"
        "部门应更正错误的编码或名称。"
    ),
)
def project_codes(ctx: Context) -> Iterator[Finding]:
    by_code = defaultdict(list)
    for project in ctx.doc.projects:
        if project.code and len(project.code) >= 15:
            by_code[project.code].append(project)
    for code, projects in by_code.items():
        names = {p.name for p in projects}
        if len(names) > 1:
            yield ctx.finding(
                f"项目编码 {code} 同时用于 {len(names)} 个不同项目：{'、'.join(sorted(names))}",
                table="B10",
                row_code=code,
                evidence=[Evidence("row", "B10", code, p.name, value=p.total, line=p.line) for p in projects],
            )


@rule(
    "DUP-ROW-001",
    family="duplicates",
    severity="warning",
    basis="consistency",
    description="同一表中同一科目编码出现两次",
    rationale=(
        "一张表中同一编码（收支总表按收入方、支出方分别计）只应出现一次；"
        "重复出现会使上级科目和合计的勾稽失真。"
    ),
    fix=(
        "编码、名称和该行其他文字都相同的两行才是重复行（可能是重复粘贴或跨页重复）；编码相同而名称或所列内容"
        "不同的行是清单中的不同条目（采购项目、结转项目、按另一分类分列的科目），不报告。收入总表、"
        "分单位表中的单位编码同样检查，项目支出表和基本支出决算明细表不检查。部门应删除重复行。"
    ),
)
def repeated_codes(ctx: Context) -> Iterator[Finding]:
    for table in ctx.tables():
        if table.id in ("B10", "F06"):
            continue
        seen: dict[str, Row] = {}
        for row in table.rows:
            code = row.full_code
            if not code or not is_digits(code):
                continue
            # the same row twice is the same code, name and printed texts: rows of a list that differ in what
            # they name (purchases, projects and units under one code; 301 under 501 and again under 505 of a
            # second classification) are not repeated rows
            key = "|".join([str(row.side), code, plain_label(row.label), *sorted(row.texts.values())])
            first = seen.setdefault(key, row)
            if first is not row:
                yield ctx.finding(
                    f"{table_name(table.id)} 科目 {code} 出现两次（{ctx.cite_both(first.line, row.line, first.page, row.page)}）",
                    table=table.id,
                    row_code=code,
                    row_label=row.label,
                    evidence=[row_evidence(table, first), row_evidence(table, row)],
                )


@rule(
    "DUP-PROJECT-002",
    family="duplicates",
    severity="warning",
    basis="consistency",
    kinds=("budget",),
    tables=("B10",),
    description="同一项目（名称与单位相同）在项目支出表中重复列示",
    rationale=(
        "同一项目（名称、所属单位和项目编码均相同）在项目支出表中只应列示一次，重复列示会使项目支出合计虚增。"
    ),
    fix=(
        "查看报告所列两行是重复粘贴，还是同一项目按资金来源或用途分列。确属重复的，部门应删除一行，"
        "并复核汇总行和支出总表项目支出。"
    ),
)
def repeated_projects(ctx: Context) -> Iterator[Finding]:
    seen: dict[tuple[str, str, str], int] = {}
    for project in ctx.doc.projects:
        if project.level != "project":
            continue
        key = (project.name, project.unit, project.code)
        if key in seen:
            yield ctx.finding(
                f"项目“{project.name}”（{project.unit}）在项目支出表中列示两次（{ctx.cite_both(seen[key], project.line)}）",
                table="B10",
                row_code=project.code,
                row_label=project.name,
                evidence=[
                    Evidence("row", "B10", project.code, project.name, line=seen[key]),
                    Evidence("row", "B10", project.code, project.name, line=project.line),
                ],
            )
        else:
            seen[key] = project.line
