"""The audit report in a terminal: counts, then every finding with its lines, then coverage."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from cnbudget.audit import AuditReport
from cnbudget.audit.registry import all_rules
from cnbudget.domain.escape import terminal_text as esc
from cnbudget.domain.i18n import t
from cnbudget.domain.text import place
from cnbudget.domain.vocabulary import kind_label, severity_label
from cnbudget.report.audit.notes import profile_note, template_note

_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def render_text(reports: list[AuditReport], failures: list[tuple[str, str]], console: Console,
                show_info: bool = True) -> None:  # fmt: skip
    rules = {r.id: r for r in all_rules()}
    for report in reports:
        meta = report.document.metadata
        kind = kind_label(meta.kind) if meta.kind else ""
        year = meta.fiscal_year or ""
        when = t(f"{year}年{kind}", f"{year} {kind}".strip())
        console.rule(f"[bold]{esc(meta.department)}[/bold] {when}  {esc(meta.source_path)}")
        errors, warnings, infos = report.count("error"), report.count("warning"), report.count("info")
        console.print(
            t(f"[bold red]{errors} 错误[/bold red]  [yellow]{warnings} 警告[/yellow]  [dim]{infos} 提示（含四舍五入尾差）[/dim]",
              f"[bold red]{errors} errors[/bold red]  [yellow]{warnings} warnings[/yellow]  "
              f"[dim]{infos} notes (rounding tails among them)[/dim]")
        )  # fmt: skip
        if note := template_note(report.document):
            console.print(f"[dim]{esc(note)}[/dim]")
        table = RichTable(show_header=True, header_style="bold", expand=True, show_lines=False)
        table.add_column(t("级别", "Severity"), no_wrap=True)
        table.add_column(t("规则", "Rule"), no_wrap=True)
        table.add_column(t("位置", "Place"), no_wrap=True)
        table.add_column(
            t("说明", "Message"), ratio=1, overflow="fold"
        )  # long sums fold, never lose a term to "…"
        for f in report.findings:
            if f.severity == "info" and not show_info:
                continue
            # a PDF's page is what a reviewer turns to; its extracted-text line numbers are no place in it
            where = place(f.pages, f.lines, 3)
            table.add_row(
                f"[{_STYLE[f.severity]}]{severity_label(f.severity)}[/]", f.rule_id, where, esc(f.message)
            )
            for r in f.related:  # the broken checks this finding explains, under it
                table.add_row("", f"[dim]└ {r.rule_id}[/]", "", f"[dim]{esc(r.message)}[/]")
        if report.findings:
            console.print(table)
        evaluated = [o for o in report.outcomes if o.status == "evaluated"]
        skipped = [o for o in report.outcomes if o.status == "not_evaluated" and not o.disabled]
        na = [o for o in report.outcomes if o.status == "not_applicable"]
        console.print(
            t(f"规则：{len(evaluated)} 条已检查，{len(na)} 条不适用，{len(skipped)} 条因数据缺失未能检查",
              f"Rules: {len(evaluated)} checked, {len(na)} not applicable, {len(skipped)} not checked for want of data")
        )  # fmt: skip
        if report.profile is not None:
            console.print(esc(profile_note(report)))
        for o in skipped:
            name = rules[o.rule_id].description if o.rule_id in rules else ""
            console.print(
                f"  [yellow]{t('未检查', 'not checked')}[/yellow] {o.rule_id} {name}{t('：', ': ')}{esc(o.reason)}"
            )
        for o in (o for o in evaluated if o.reason):
            name = rules[o.rule_id].description if o.rule_id in rules else ""
            console.print(
                f"  [yellow]{t('部分未检查', 'partly not checked')}[/yellow] {o.rule_id} {name}{t('：', ': ')}{esc(o.reason)}"
            )
    for path, error in failures:
        console.print(
            f"[bold red]{t('无法读取', 'cannot read')}[/bold red] {esc(path)}{t('：', ': ')}{esc(error)}"
        )


def render_summary(reports: list[AuditReport], failures: list[tuple[str, str]], console: Console) -> None:
    """One table for a batch: each document with its organisation, year, kind and counts, or why it could not
    be read; then the totals."""
    table = RichTable(title=t("审核汇总", "Audit summary"), header_style="bold", show_lines=False)
    table.add_column(t("文件", "File"), overflow="fold", ratio=2)
    table.add_column(t("单位", "Organisation"), overflow="fold", ratio=2)
    table.add_column(t("年度", "Year"), no_wrap=True, justify="right")
    table.add_column(t("类型", "Kind"), no_wrap=True)
    table.add_column(t("错误", "Errors"), no_wrap=True, justify="right")
    table.add_column(t("警告", "Warnings"), no_wrap=True, justify="right")
    table.add_column(t("提示", "Notes"), no_wrap=True, justify="right")
    for report in reports:
        meta = report.document.metadata
        errors, warnings = report.count("error"), report.count("warning")
        table.add_row(
            esc(meta.source_path), esc(meta.department), str(meta.fiscal_year or ""),
            kind_label(meta.kind) if meta.kind else "",
            f"[bold red]{errors}[/]" if errors else "0", f"[yellow]{warnings}[/]" if warnings else "0",
            str(report.count("info")),
        )  # fmt: skip
    for path, error in failures:
        table.add_row(
            esc(path), f"[bold red]{t('无法读取：', 'unreadable: ')}[/]{esc(error)}", "", "", "", "", ""
        )
    console.print(table)
    errors = sum(r.count("error") for r in reports)
    warnings = sum(r.count("warning") for r in reports)
    flagged = sum(1 for r in reports if r.count("error"))
    console.print(
        t(
            f"共 {len(reports) + len(failures)} 份：已审核 {len(reports)} 份（{flagged} 份有错误），"
            f"无法读取 {len(failures)} 份；错误 {errors} 条，警告 {warnings} 条",
            f"{len(reports) + len(failures)} documents: {len(reports)} audited ({flagged} with errors), "
            f"{len(failures)} unreadable; {errors} errors, {warnings} warnings",
        )
    )
    profiles = {r.profile.label for r in reports if r.profile is not None}
    if profiles:
        console.print(
            t(
                f"审核配置：{esc('、'.join(sorted(profiles)))}",
                f"Review profile: {esc(', '.join(sorted(profiles)))}",
            )
        )
