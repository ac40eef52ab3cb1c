"""The audit report in a terminal: counts, then every finding with its lines, then coverage."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from cnbudget.audit import AuditReport
from cnbudget.audit.registry import all_rules
from cnbudget.domain.escape import terminal_text as t
from cnbudget.domain.i18n import t as tr
from cnbudget.domain.text import place

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
        table.add_column(tr("位置", "place"), no_wrap=True)
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
        skipped = [o for o in report.outcomes if o.status == "not_evaluated"]
        na = [o for o in report.outcomes if o.status == "not_applicable"]
        console.print(
            f"规则：{len(evaluated)} 条已检查，{len(na)} 条不适用，{len(skipped)} 条因数据缺失未能检查"
        )
        for o in skipped:
            name = rules[o.rule_id].description if o.rule_id in rules else ""
            console.print(f"  [yellow]未检查[/yellow] {o.rule_id} {name}：{t(o.reason)}")
    for path, error in failures:
        console.print(f"[bold red]无法读取[/bold red] {t(path)}: {t(error)}")
