"""A one-screen summary of a parsed document for `cnbudget parse --format text`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from cnbudget.domain.escape import terminal_text as escape
from cnbudget.domain.i18n import t
from cnbudget.domain.vocabulary import kind_label, level_label, scope_label, table_status_label
from cnbudget.model import Document


def render_summary(doc: Document, console: Console) -> None:
    """Who and what the document is, each table read with its health, and the parser's warnings."""
    meta = doc.metadata
    kind = kind_label(meta.kind) if meta.kind else "?"
    scope = scope_label(meta.scope) if meta.scope else ""
    level = level_label(meta.level) if meta.level else "?"
    year = meta.fiscal_year or "?"
    code = escape(meta.department_code) or "—"
    layout = _layout(meta.text_layout) if meta.text_layout else meta.source_format.upper()
    console.print(f"[bold]{escape(meta.title or meta.department)}[/bold]")
    console.print(
        f"{escape(meta.department)}  "
        + t(f"{year}年{scope}{kind}  级次 {level}  编码 {code}  版式 {layout}",
            f"{year} {scope} {kind}".replace("  ", " ") + f"  level {level}  code {code}  layout {layout}")
    )  # fmt: skip
    console.print(t("来源 ", "source ") + f"{escape(meta.source_path)}  sha256 {meta.source_sha256[:16]}…")
    complete = table_status_label("ok")
    tables = RichTable(title=t("报表", "Tables"), header_style="bold")
    for name in (t("表", "Table"), t("标题", "Title"), t("行号", "Lines"), t("行数", "Rows"), t("金额", "Amounts"),
                 t("读取", "Read"), t("表注", "Notes")):  # fmt: skip
        tables.add_column(name)
    for table in doc.tables:
        cells = sum(1 for r in table.rows for c in r.cells if c.value is not None)
        status = t("空表", "empty") if table.is_empty else table_status_label(table.status)
        tables.add_row(table.id, escape(table.title), f"{table.first_line}–{table.last_line}", str(len(table.rows)),
                       str(cells), status, str(len(table.notes)))  # fmt: skip
    for p in doc.performance:
        tables.add_row(p.id, escape(p.title), f"{p.first_line}–{p.last_line}",
                       t(f"{len(p.indicators)} 个指标", f"{len(p.indicators)} indicators"),
                       t(f"{len(p.goals)} 个目标", f"{len(p.goals)} goals"), complete, "")  # fmt: skip
    for s in doc.self_evaluations:
        tables.add_row("SE", escape(s.title), f"{s.first_line}–{s.last_line}",
                       t(f"{len(s.indicators)} 个指标", f"{len(s.indicators)} indicators"),
                       t(f"总分 {s.total_score}", f"score {s.total_score}"), complete, "")  # fmt: skip
    console.print(tables)
    sections, claims, projects = len(doc.narrative), len(doc.claims), len(doc.projects)
    console.print(
        t(f"情况说明：{sections} 节，{claims} 处数字表述；项目：{projects} 个",
          f"Narrative: {sections} sections, {claims} statements of figures; projects: {projects}")
    )  # fmt: skip
    for w in doc.warnings:
        console.print(f"[yellow]{t('提示', 'note')}[/yellow] {escape(w.table or '')} {escape(w.message)}")


def _layout(layout: str) -> str:
    names = {
        "tab": t("制表符分隔文本", "tab-separated text"),
        "pipe": t("竖线表格文本", "pipe tables"),
        "space": t("空格对齐文本", "space-aligned text"),
    }
    return names.get(layout, layout)
