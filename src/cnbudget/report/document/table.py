"""Tables rendered for a terminal with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from cnbudget.domain.errors import UsageError
from cnbudget.domain.escape import terminal_text as esc
from cnbudget.domain.i18n import t
from cnbudget.domain.numbers import format_amount
from cnbudget.model import Document, PerformanceTable, Table


def _known_ids(doc: Document) -> str:
    ids = [table.id for table in doc.tables] + [p.id for p in doc.performance]
    return ", ".join(ids) or t("无", "none")


def show_table(doc: Document, table_id: str, console: Console | None = None) -> None:
    console = console or Console()
    table = doc.table(table_id)
    if table is not None:
        console.print(render_financial(table))
        for note in table.notes:
            console.print(
                f"[dim]{esc(note.text)}[/dim]  " + t(f"（第 {note.line} 行）", f"(line {note.line})")
            )
        for warning in table.warnings:
            console.print(f"[yellow]{t('读取提示：', 'Reading note: ')}[/yellow]{esc(warning)}")
        return
    perf = next((p for p in doc.performance if p.id == table_id), None)
    if perf is not None:
        console.print(render_performance(perf))
        return
    found = _known_ids(doc)
    raise UsageError(
        t(
            f"本文件中没有表 {table_id}（有：{found}）",
            f"table {table_id} is not in this document (found: {found})",
        )
    )


def render_financial(table: Table) -> RichTable:
    value_cols = list({c.key: c for c in table.columns if c.role == "value"}.values())
    lines = f"{table.first_line}–{table.last_line}"
    unit = table.amount_unit
    where = t(f"（单位：{unit}；第 {lines} 行）", f"(unit: {unit}; lines {lines})")
    title = f"{table.id} {esc(table.title)}  {where}"
    out = RichTable(title=title, show_lines=False, header_style="bold")
    out.add_column(t("行", "Line"), justify="right", style="dim")
    if any(r.side for r in table.rows):
        out.add_column(t("方", "Side"))
    out.add_column(t("编码", "Code"))
    out.add_column(t("项目", "Item"))
    for col in value_cols:
        out.add_column(esc(col.key), justify="right")
    has_side = any(r.side for r in table.rows)
    for row in table.rows:
        by_column = {c.column: c for c in row.cells}
        values = []
        for col in value_cols:
            cell = by_column.get(col.key)
            if cell is None:
                values.append("")
            elif cell.value is None:
                values.append(f"[red]{esc(cell.raw)}[/red]")
            else:
                values.append(format_amount(cell.value))
        style = "bold" if row.kind == "total" else None
        lead = [str(row.line)] + ([row.side or ""] if has_side else [])
        out.add_row(*lead, esc(row.code), esc(row.label), *values, style=style)
    if table.is_empty:
        out.caption = t("（空表）", "(empty table)") + (
            " — " + esc(table.notes[0].text) if table.notes else ""
        )
    return out


def render_performance(perf: PerformanceTable) -> RichTable:
    project = esc(perf.project_name) if perf.project_name else t("整体", "whole department")
    title = f"{perf.id} {esc(perf.title)}  " + t(f"（{project}）", f"({project})")
    out = RichTable(title=title, header_style="bold")
    headings = (
        t("行", "Line"), t("目标", "Goal"), t("一级指标", "Level 1"), t("二级指标", "Level 2"),
        t("三级指标", "Indicator"), t("指标值", "Target"), t("比较", "Comparison"), t("数值", "Value"),
        t("单位", "Unit"), t("依据", "Basis"),
    )  # fmt: skip
    for name in headings:
        out.add_column(name)
    for ind in perf.indicators:
        target = ind.target
        out.add_row(
            str(ind.line), esc(ind.goal), esc(ind.level1), esc(ind.level2), esc(ind.name),
            esc(target.raw) if target else "", (target.comparator or "") if target else "",
            str(target.number) if target and target.number is not None else "", esc(target.unit) if target else "",
            esc(ind.basis),
        )  # fmt: skip
    return out
