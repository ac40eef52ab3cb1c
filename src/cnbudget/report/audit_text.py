"""The audit report in a terminal: counts, then every finding with its lines, then coverage."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from cnbudget.audit import AuditReport
from cnbudget.audit.registry import all_rules
from cnbudget.domain.escape import terminal_text as esc
from cnbudget.domain.i18n import t
from cnbudget.domain.vocabulary import kind_label, severity_label

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
        table = RichTable(show_header=True, header_style="bold", expand=True, show_lines=False)
        table.add_column(t("级别", "Severity"), no_wrap=True)
        table.add_column(t("规则", "Rule"), no_wrap=True)
        table.add_column(t("行", "Lines"), no_wrap=True)
        table.add_column(
            t("说明", "Message"), ratio=1, overflow="fold"
        )  # long sums fold, never lose a term to "…"
        for f in report.findings:
            if f.severity == "info" and not show_info:
                continue
            lines = ",".join(str(n) for n in f.lines[:4]) + ("…" if len(f.lines) > 4 else "")
            if f.pages:  # PDF inputs: the page is what a reviewer turns to
                lines = t("页", "p.") + ",".join(str(p) for p in f.pages[:3]) + " " + lines
            table.add_row(
                f"[{_STYLE[f.severity]}]{severity_label(f.severity)}[/]", f.rule_id, lines, esc(f.message)
            )
            for r in f.related:  # the broken checks this finding explains, under it
                table.add_row("", f"[dim]└ {r.rule_id}[/]", "", f"[dim]{esc(r.message)}[/]")
        if report.findings:
            console.print(table)
        evaluated = [o for o in report.outcomes if o.status == "evaluated"]
        skipped = [o for o in report.outcomes if o.status == "not_evaluated"]
        na = [o for o in report.outcomes if o.status == "not_applicable"]
        console.print(
            t(f"规则：{len(evaluated)} 条已检查，{len(na)} 条不适用，{len(skipped)} 条因数据缺失未能检查",
              f"Rules: {len(evaluated)} checked, {len(na)} not applicable, {len(skipped)} not checked for want of data")
        )  # fmt: skip
        for o in skipped:
            name = rules[o.rule_id].description if o.rule_id in rules else ""
            console.print(
                f"  [yellow]{t('未检查', 'not checked')}[/yellow] {o.rule_id} {name}{t('：', ': ')}{esc(o.reason)}"
            )
    for path, error in failures:
        console.print(f"[bold red]{t('无法读取', 'cannot read')}[/bold red] {esc(path)}: {esc(error)}")
