"""Tables rendered for a terminal with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from cnbudget.domain.errors import UsageError
from cnbudget.domain.escape import terminal_text as t
from cnbudget.domain.numbers import format_amount
from cnbudget.model import Document, PerformanceTable, Table


def _known_ids(doc: Document) -> str:
    ids = [t.id for t in doc.tables] + [p.id for p in doc.performance]
    return ", ".join(ids) or "none"


def show_table(doc: Document, table_id: str, console: Console | None = None) -> None:
    console = console or Console()
    table = doc.table(table_id)
    if table is not None:
        console.print(render_financial(table))
        for note in table.notes:
            console.print(f"[dim]{t(note.text)}[/dim]  （第 {note.line} 行）")
        for warning in table.warnings:
            console.print(f"[yellow]读取提示：[/yellow]{t(warning)}")
        return
    perf = next((p for p in doc.performance if p.id == table_id), None)
    if perf is not None:
        console.print(render_performance(perf))
        return
    raise UsageError(f"table {table_id} is not in this document (found: {_known_ids(doc)})")


def render_financial(table: Table) -> RichTable:
    value_cols = list({c.key: c for c in table.columns if c.role == "value"}.values())
    title = f"{table.id} {t(table.title)}  （单位：{table.amount_unit}；第 {table.first_line}–{table.last_line} 行）"
    out = RichTable(title=title, show_lines=False, header_style="bold")
    out.add_column("行", justify="right", style="dim")
    if any(r.side for r in table.rows):
        out.add_column("方")
    out.add_column("编码")
    out.add_column("项目")
    for col in value_cols:
        out.add_column(t(col.key), justify="right")
    has_side = any(r.side for r in table.rows)
    for row in table.rows:
        by_column = {c.column: c for c in row.cells}
        values = []
        for col in value_cols:
            cell = by_column.get(col.key)
            if cell is None:
                values.append("")
            elif cell.value is None:
                values.append(f"[red]{t(cell.raw)}[/red]")
            else:
                values.append(format_amount(cell.value))
        style = "bold" if row.kind == "total" else None
        lead = [str(row.line)] + ([row.side or ""] if has_side else [])
        out.add_row(*lead, t(row.code), t(row.label), *values, style=style)
    if table.is_empty:
        out.caption = "（空表）" + (" — " + t(table.notes[0].text) if table.notes else "")
    return out


def render_performance(perf: PerformanceTable) -> RichTable:
    title = f"{perf.id} {t(perf.title)}  （{t(perf.project_name or '整体')}）"
    out = RichTable(title=title, header_style="bold")
    for name in ("行", "目标", "一级指标", "二级指标", "三级指标", "指标值", "比较", "数值", "单位", "依据"):
        out.add_column(name)
    for ind in perf.indicators:
        target = ind.target
        out.add_row(
            str(ind.line), t(ind.goal), t(ind.level1), t(ind.level2), t(ind.name),
            t(target.raw) if target else "", (target.comparator or "") if target else "",
            str(target.number) if target and target.number is not None else "", t(target.unit) if target else "",
            t(ind.basis),
        )  # fmt: skip
    return out
