"""How the CLI prints what the library returns: answers, the rule catalogue, ingest summaries, errors.

One place for every screen, so each command only parses its arguments, calls the library and hands the
result here. Text from documents is never read as Rich markup (`escape`).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from cnbudget.cli.inputs import write_output
from cnbudget.cli.options import SETTING_HINTS, TableFormat

if TYPE_CHECKING:
    from rich.console import Console

    from cnbudget.audit.registry import Rule
    from cnbudget.domain.errors import CnbudgetError
    from cnbudget.library.answers import Answer
    from cnbudget.library.ingestion import IngestSummary

WIDE = 220
"""Columns of a report written to a file or a pipe: whole lines rather than a terminal's 80."""


def console_for(output: Path | None, buffer: io.StringIO | None = None, stderr: bool = False) -> Console:
    """A console on the terminal, or on ``buffer`` (for ``output``) as wide as a page of figures."""
    from rich.console import Console

    if buffer is not None:
        return Console(file=buffer, width=WIDE, highlight=False)
    stream = sys.stderr if stderr else sys.stdout
    return Console(highlight=False, stderr=stderr, width=None if stream.isatty() else WIDE)


def error_text(exc: CnbudgetError) -> str:
    """The error as the user reads it: the library's message, and how to change the setting behind it."""
    hint = SETTING_HINTS.get(exc.setting or "")
    return f"{exc} ({hint})" if hint else str(exc)


def show_answer(answer: Answer, fmt: TableFormat, output: Path | None) -> None:
    if fmt is TableFormat.json:
        write_output(answer.to_json(), output)
        return
    if fmt is TableFormat.csv:
        write_output(answer.to_csv(), output)
        return
    from rich.table import Table

    from cnbudget.domain.escape import terminal_text as escape
    from cnbudget.library.answers import display

    buffer = io.StringIO() if output is not None else None
    console = console_for(output, buffer)
    columns = answer.terminal_columns or answer.columns
    table = Table(title=escape(answer.title), header_style="bold")
    for column in columns:
        values = [r.get(column) for r in answer.rows]
        numeric = any(isinstance(v, int | Decimal) and not isinstance(v, bool) for v in values)
        table.add_column(
            escape(answer.heading(column)),
            justify="right" if numeric else "left",
            no_wrap=numeric,  # figures stay on one line; text columns wrap to make room for them
            overflow="fold",
            ratio=3 if column == "message" else None,
            # a figure is never cut: its column is as wide as its longest value (text columns wrap instead)
            min_width=max((len(display(v)) for v in values), default=1) if numeric else None,
        )
    for row in answer.rows:
        table.add_row(*(escape(display(_label(c, row.get(c)))) for c in columns))
    console.print(table)
    for note in answer.notes:
        console.print(f"  注：{escape(note)}")
    if answer.total is not None:
        console.print(f"  注：显示 {len(answer.rows)} 条，共 {answer.total} 条；用 --limit 显示更多")
    if buffer is not None:
        write_output(buffer.getvalue(), output)


def show_rules(rules: list[Rule], fmt: TableFormat) -> None:
    """The rule catalogue: id, family, severity, documents, tables, description, basis."""
    from cnbudget.domain.vocabulary import BASIS_LABELS, FAMILY_LABELS, KIND_LABELS, SEVERITY_LABELS

    fields = ("id", "family", "severity", "kinds", "tables", "description", "basis", "rationale", "fix")
    if fmt is TableFormat.json:
        rows = [{"id": r.id, "family": r.family, "severity": r.severity, "kinds": list(r.kinds), "tables": list(r.tables),
                 "description": r.description, "basis": r.basis, "rationale": r.rationale, "fix": r.fix}
                for r in rules]  # fmt: skip
        write_output(json.dumps(rows, ensure_ascii=False, indent=1), None)
        return
    if fmt is TableFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(fields)
        for r in rules:
            writer.writerow((r.id, r.family, r.severity, " ".join(r.kinds), " ".join(r.tables), r.description,
                             r.basis, r.rationale, r.fix))  # fmt: skip
        write_output(buffer.getvalue(), None)
        return
    from rich.table import Table

    table = Table(title=f"cnbudget 审核规则（{len(rules)} 条）", header_style="bold")
    for name in ("规则", "类别", "级别", "适用", "说明", "依据"):
        table.add_column(name, no_wrap=name != "说明")
    for r in rules:
        kinds = "、".join(KIND_LABELS[k] for k in r.kinds)
        table.add_row(r.id, FAMILY_LABELS[r.family], SEVERITY_LABELS[r.severity], kinds, r.description,
                      BASIS_LABELS[r.basis])  # fmt: skip
    console_for(None).print(table)


def show_ingest_summary(summary: IngestSummary, quiet: bool) -> None:
    from cnbudget.domain.escape import terminal_text as escape

    console = console_for(None, stderr=True)
    line = (
        f"新入库 {len(summary.ingested)}，新版本 {len(summary.new_versions)}，"
        f"未变 {len(summary.unchanged)}，失败 {len(summary.failed)}"
    )
    if summary.interrupted:
        line += "——已中断：已入库的文件都是完整的；再次运行同一命令即可完成其余文件"
    console.print(line)
    if not quiet:
        for path in summary.new_versions:
            console.print(f"  新版本：{escape(path)}")
    for failure in summary.failed:
        hint = SETTING_HINTS.get(failure.setting or "")
        message = f"{failure.message} ({hint})" if hint else failure.message
        console.print(f"  [red]失败[/red] {escape(failure.path)}：{escape(message)}")


def _label(column: str, value: object) -> object:
    """Fixed values in the reviewer's language on screen (files keep the stable English values)."""
    from cnbudget.domain.vocabulary import KIND_LABELS, LEVEL_LABELS, SCOPE_LABELS

    labels: dict[str, dict[str, str]] = {
        "scope": {str(k): v for k, v in SCOPE_LABELS.items()},
        # a document's kind (预算/决算), or an organisation's (部门/单位)
        "kind": {
            **{str(k): v for k, v in KIND_LABELS.items()},
            **{str(k): v for k, v in SCOPE_LABELS.items()},
        },
        "level": {str(k): v for k, v in LEVEL_LABELS.items()},
    }
    if column in labels and isinstance(value, str):
        return labels[column].get(value, value)
    return value
