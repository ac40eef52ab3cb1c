"""A one-screen summary of a parsed document for `cnbudget parse --format text`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from cnbudget.domain.escape import terminal_text as escape
from cnbudget.domain.vocabulary import KIND_LABELS, LEVEL_LABELS, SCOPE_LABELS, TABLE_STATUS_LABELS
from cnbudget.model import Document


def render_summary(doc: Document, console: Console) -> None:
    """Who and what the document is, each table read with its health, and the parser's warnings."""
    meta = doc.metadata
    kind = KIND_LABELS[meta.kind] if meta.kind else "?"
    scope = SCOPE_LABELS[meta.scope] if meta.scope else ""
    level = LEVEL_LABELS[meta.level] if meta.level else "?"
    console.print(f"[bold]{escape(meta.title or meta.department)}[/bold]")
    console.print(
        f"{escape(meta.department)}  {meta.fiscal_year or '?'}年{scope}{kind}  级次 {level}"
        f"  编码 {escape(meta.department_code) or '—'}  版式 {meta.text_layout or meta.source_format}"
    )
    console.print(f"来源 {escape(meta.source_path)}  sha256 {meta.source_sha256[:16]}…")
    tables = RichTable(title="报表", header_style="bold")
    for name in ("表", "标题", "行号", "行数", "金额", "读取", "表注"):
        tables.add_column(name)
    for t in doc.tables:
        cells = sum(1 for r in t.rows for c in r.cells if c.value is not None)
        status = "空表" if t.is_empty else TABLE_STATUS_LABELS[t.status]
        tables.add_row(t.id, escape(t.title), f"{t.first_line}–{t.last_line}", str(len(t.rows)), str(cells), status,
                       str(len(t.notes)))  # fmt: skip
    for p in doc.performance:
        tables.add_row(p.id, escape(p.title), f"{p.first_line}–{p.last_line}", f"{len(p.indicators)} 个指标",
                       f"{len(p.goals)} 个目标", "完整", "")  # fmt: skip
    for s in doc.self_evaluations:
        tables.add_row("SE", escape(s.title), f"{s.first_line}–{s.last_line}", f"{len(s.indicators)} 个指标",
                       f"总分 {s.total_score}", "完整", "")  # fmt: skip
    console.print(tables)
    console.print(
        f"情况说明：{len(doc.narrative)} 节，{len(doc.claims)} 处数字表述；项目：{len(doc.projects)} 个"
    )
    for w in doc.warnings:
        console.print(f"[yellow]提示[/yellow] {escape(w.table or '')} {escape(w.message)}")
