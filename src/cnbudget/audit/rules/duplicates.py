"""Duplicates: one project code on two projects, the same row printed twice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from cnbudget.audit.context import Context, row_name
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.catalog import table_name


@rule("DUP-PROJECT-001", "duplicates", "error", "同一项目编码用于两个不同的项目", basis="consistency",
      kinds=("budget",), tables=("B10",))  # fmt: skip
def project_codes(ctx: Context) -> Iterator[Finding]:
    by_code = defaultdict(list)
    for project in ctx.doc.projects:
        if project.code and len(project.code) >= 15:
            by_code[project.code].append(project)
    for code, projects in by_code.items():
        names = {p.name for p in projects}
        if len(names) > 1:
            yield Finding(
                rule_id="DUP-PROJECT-001",
                severity="error",
                message=f"项目编码 {code} 同时用于 {len(names)} 个不同项目：{'、'.join(sorted(names))}",
                table="B10",
                row_code=code,
                evidence=[Evidence("row", "B10", code, p.name, value=p.total, line=p.line) for p in projects],
            )


@rule("DUP-ROW-001", "duplicates", "warning", "同一表中同一科目编码出现两次", basis="consistency")
def repeated_codes(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.tables:
        if table.id in ("B10", "F06"):
            continue
        seen: dict[str, object] = {}
        for row in table.rows:
            code = row.full_code
            if not code or not code.isdigit():
                continue
            key = f"{row.side}|{code}"
            if key in seen:
                first = seen[key]
                yield Finding(
                    rule_id="DUP-ROW-001",
                    severity="warning",
                    message=f"{table_name(table.id)} 科目 {code} 出现两次（第 {getattr(first, 'line', 0)} 行与第 {row.line} 行）",
                    table=table.id,
                    row_code=code,
                    row_label=row.label,
                    evidence=[Evidence("row", table.id, row.code, row.label, line=getattr(first, "line", 0)),
                              Evidence("row", table.id, row.code, row.label, line=row.line)],
                )  # fmt: skip
            else:
                seen[key] = row


@rule("DUP-PROJECT-002", "duplicates", "warning", "同一项目（名称与单位相同）在项目支出表中重复列示", basis="consistency",
      kinds=("budget",), tables=("B10",))  # fmt: skip
def repeated_projects(ctx: Context) -> Iterator[Finding]:
    seen: dict[tuple[str, str, str], int] = {}
    for project in ctx.doc.projects:
        if project.level != "project":
            continue
        key = (project.name, project.unit, project.code)
        if key in seen:
            yield Finding(
                rule_id="DUP-PROJECT-002",
                severity="warning",
                message=f"项目“{project.name}”（{project.unit}）在项目支出表中列示两次（第 {seen[key]} 行与第 {project.line} 行）",
                table="B10",
                row_code=project.code,
                row_label=project.name,
                evidence=[Evidence("row", "B10", project.code, project.name, line=seen[key]),
                          Evidence("row", "B10", project.code, project.name, line=project.line)],
            )  # fmt: skip
        else:
            seen[key] = project.line
    _ = row_name
