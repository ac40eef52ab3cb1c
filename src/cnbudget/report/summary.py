"""A one-screen summary of a parsed document for `cnbudget parse --format text`."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from rich.table import Table as RichTable

from cnbudget.cli.inputs import write_output
from cnbudget.model import Document

_KIND = {"budget": "预算", "final": "决算"}
_SCOPE = {"department": "部门", "unit": "单位"}


def render_summary(doc: Document, output: Path | None = None) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer if output else None, width=120, highlight=False)
    meta = doc.metadata
    console.print(f"[bold]{meta.title or meta.department}[/bold]")
    console.print(
        f"{meta.department}  {meta.fiscal_year or '?'}年{_SCOPE.get(meta.scope, '')}{_KIND.get(meta.kind, '')}"
        f"  level={meta.level or '?'}  code={meta.department_code or '-'}  layout={meta.text_layout}"
    )
    console.print(f"source {meta.source_path}  sha256 {meta.source_sha256[:16]}…")
    tables = RichTable(title="Tables", header_style="bold")
    for name in ("id", "title", "lines", "rows", "cells", "status", "notes"):
        tables.add_column(name)
    for t in doc.tables:
        cells = sum(1 for r in t.rows for c in r.cells if c.value is not None)
        status = "empty" if t.is_empty else t.status
        tables.add_row(t.id, t.title, f"{t.first_line}–{t.last_line}", str(len(t.rows)), str(cells), status,
                       str(len(t.notes)))  # fmt: skip
    for p in doc.performance:
        tables.add_row(p.id, p.title, f"{p.first_line}–{p.last_line}", f"{len(p.indicators)} indicators",
                       f"{len(p.goals)} goals", "ok", "")  # fmt: skip
    for s in doc.self_evaluations:
        tables.add_row("SE", s.title, f"{s.first_line}–{s.last_line}", f"{len(s.indicators)} indicators",
                       f"总分 {s.total_score}", "ok", "")  # fmt: skip
    console.print(tables)
    console.print(f"narrative: {len(doc.narrative)} sections, {len(doc.claims)} numeric claims; "
                  f"projects: {len(doc.projects)}")  # fmt: skip
    for w in doc.warnings:
        console.print(f"[yellow]warning[/yellow] {w.table or ''} {w.message}")
    if output:
        write_output(buffer.getvalue(), output)
