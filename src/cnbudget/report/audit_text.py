"""The audit report in a terminal: counts, then every finding with its lines, then coverage."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from cnbudget.audit import AuditReport
from cnbudget.audit.registry import all_rules
from cnbudget.domain.escape import terminal_text as t
from cnbudget.domain.i18n import t as say
from cnbudget.domain.text import place
from cnbudget.domain.vocabulary import KIND_LABELS
from cnbudget.report.profile_note import profile_note

_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}


def render_text(reports: list[AuditReport], failures: list[tuple[str, str]], console: Console,
                show_info: bool = True) -> None:  # fmt: skip
    rules = {r.id: r for r in all_rules()}
    for report in reports:
        meta = report.document.metadata
        kind = {"budget": "预算", "final": "决算"}.get(meta.kind, "")
        console.rule(
            f"[bold]{t(meta.department)}[/bold] {meta.fiscal_year or ''}年{kind}  {t(meta.source_path)}"
        )
        console.print(
            f"[bold red]{report.count('error')} 错误[/bold red]  [yellow]{report.count('warning')} 警告[/yellow]  "
            f"[dim]{report.count('info')} 提示（含四舍五入尾差）[/dim]"
        )
        table = RichTable(show_header=True, header_style="bold", expand=True, show_lines=False)
        table.add_column("级别", no_wrap=True)
        table.add_column("规则", no_wrap=True)
        table.add_column(say("位置", "place"), no_wrap=True)
        table.add_column("说明", ratio=1, overflow="fold")  # long sums fold, never lose a term to "…"
        for f in report.findings:
            if f.severity == "info" and not show_info:
                continue
            # a PDF's page is what a reviewer turns to; its extracted-text line numbers are no place in it
            where = place(f.pages, f.lines, 3)
            table.add_row(f"[{_STYLE[f.severity]}]{_LABEL[f.severity]}[/]", f.rule_id, where, t(f.message))
            for r in f.related:  # the broken checks this finding explains, under it
                table.add_row("", f"[dim]└ {r.rule_id}[/]", "", f"[dim]{t(r.message)}[/]")
        if report.findings:
            console.print(table)
        evaluated = [o for o in report.outcomes if o.status == "evaluated"]
        skipped = [o for o in report.outcomes if o.status == "not_evaluated" and not o.disabled]
        na = [o for o in report.outcomes if o.status == "not_applicable"]
        console.print(
            f"规则：{len(evaluated)} 条已检查，{len(na)} 条不适用，{len(skipped)} 条因数据缺失未能检查"
        )
        if report.profile is not None:
            console.print(t(profile_note(report)))
        for o in skipped:
            name = rules[o.rule_id].description if o.rule_id in rules else ""
            console.print(f"  [yellow]未检查[/yellow] {o.rule_id} {name}：{t(o.reason)}")
    for path, error in failures:
        console.print(f"[bold red]无法读取[/bold red] {t(path)}: {t(error)}")


def render_summary(reports: list[AuditReport], failures: list[tuple[str, str]], console: Console) -> None:
    """One table for a batch: each document with its organisation, year, kind and counts, or why it could not
    be read; then the totals."""
    table = RichTable(title=say("审核汇总", "Audit summary"), header_style="bold", show_lines=False)
    table.add_column(say("文件", "File"), overflow="fold", ratio=2)
    table.add_column(say("单位", "Organisation"), overflow="fold", ratio=2)
    table.add_column(say("年度", "Year"), no_wrap=True, justify="right")
    table.add_column(say("类型", "Kind"), no_wrap=True)
    table.add_column(say("错误", "Errors"), no_wrap=True, justify="right")
    table.add_column(say("警告", "Warnings"), no_wrap=True, justify="right")
    table.add_column(say("提示", "Notes"), no_wrap=True, justify="right")
    for report in reports:
        meta = report.document.metadata
        errors, warnings = report.count("error"), report.count("warning")
        table.add_row(
            t(meta.source_path), t(meta.department), str(meta.fiscal_year or ""),
            say(KIND_LABELS[meta.kind], meta.kind) if meta.kind else "",
            f"[bold red]{errors}[/]" if errors else "0", f"[yellow]{warnings}[/]" if warnings else "0",
            str(report.count("info")),
        )  # fmt: skip
    for path, error in failures:
        table.add_row(
            t(path), f"[bold red]{say('无法读取：', 'unreadable: ')}[/]{t(error)}", "", "", "", "", ""
        )
    console.print(table)
    errors = sum(r.count("error") for r in reports)
    warnings = sum(r.count("warning") for r in reports)
    flagged = sum(1 for r in reports if r.count("error"))
    console.print(
        say(
            f"共 {len(reports) + len(failures)} 份：已审核 {len(reports)} 份（{flagged} 份有错误），"
            f"无法读取 {len(failures)} 份；错误 {errors} 条，警告 {warnings} 条",
            f"{len(reports) + len(failures)} documents: {len(reports)} audited ({flagged} with errors), "
            f"{len(failures)} unreadable; {errors} errors, {warnings} warnings",
        )
    )
    profiles = {r.profile.label for r in reports if r.profile is not None}
    if profiles:
        console.print(
            say(
                f"审核配置：{t('、'.join(sorted(profiles)))}",
                f"Review profile: {t(', '.join(sorted(profiles)))}",
            )
        )
