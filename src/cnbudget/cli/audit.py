"""`cnbudget audit` and `cnbudget rules`."""

from __future__ import annotations

import io
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cnbudget.cli.documents import read_options
from cnbudget.cli.inputs import sample_path, write_bytes_output, write_output
from cnbudget.domain.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, InputError, UsageError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from cnbudget.audit import AuditReport
    from cnbudget.domain.vocabulary import Severity


class AuditFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    xlsx = "xlsx"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


def register(app: typer.Typer) -> None:
    app.command("audit")(audit_command)
    app.command("rules")(rules_command)


def audit_command(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Disclosure documents to check.", show_default=False)
    ] = None,
    sample: Annotated[
        bool, typer.Option("--sample", help="Check the sample document bundled with cnbudget.")
    ] = False,
    fmt: Annotated[
        AuditFormat,
        typer.Option("--format", "-f", help="text, json, html (one self-contained file) or xlsx."),
    ] = AuditFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit with 1 when findings reach this level.")
    ] = FailOn.error,
    max_pages: Annotated[
        int | None,
        typer.Option(
            "--max-pages",
            min=1,
            help="Refuse PDFs with more pages than this (default 1000).",
            show_default=False,
        ),
    ] = None,
    max_seconds: Annotated[
        float | None,
        typer.Option(
            "--max-seconds",
            min=1,
            help="Stop reading a PDF after this long (default 600).",
            show_default=False,
        ),
    ] = None,
    ocr: Annotated[
        bool, typer.Option("--ocr/--no-ocr", help="Read scanned PDF pages by OCR when it is installed.")
    ] = True,
    no_info: Annotated[
        bool, typer.Option("--no-info", help="Leave rounding tails and other notes out of text/html.")
    ] = False,
) -> None:
    """Check disclosures: sums, hierarchies, tables against each other, the narrative against the tables."""
    from cnbudget import parse_file
    from cnbudget.audit import audit

    if sample and files:
        raise UsageError("give either FILE… or --sample, not both")
    paths = [sample_path()] if sample else list(files or [])
    if not paths:
        raise UsageError("missing FILE (or use --sample to check the bundled sample document)")
    if fmt is AuditFormat.xlsx and output is None:
        raise UsageError("--format xlsx writes a workbook: give --output FILE.xlsx")
    options = read_options(max_pages, max_seconds, ocr)
    reports = []
    failures: list[tuple[str, str]] = []
    progress = _progress(len(paths))
    for path in paths:
        try:
            reports.append(audit(parse_file(path, options)))
        except InputError as exc:
            failures.append((str(path), exc.message))
            sys.stderr.write(f"cnbudget: error: {exc}\n")
        if progress is not None:
            progress[0].advance(progress[1])
    if progress is not None:
        progress[0].stop()
    _write(reports, failures, fmt, output, not no_info)
    if failures:
        raise SystemExit(EXIT_INPUT)
    thresholds: dict[FailOn, Severity] = {FailOn.error: "error", FailOn.warning: "warning"}
    threshold = thresholds.get(fail_on)
    raise SystemExit(EXIT_FINDINGS if any(r.reaches(threshold) for r in reports) else EXIT_OK)


def _progress(total: int) -> tuple[Progress, TaskID] | None:
    if total < 3 or not sys.stderr.isatty():
        return None
    from rich.progress import Progress

    progress = Progress(transient=True)  # on stderr's console: the report itself goes to stdout
    task = progress.add_task("审核中", total=total)
    progress.start()
    return progress, task


def _write(
    reports: list[AuditReport],
    failures: list[tuple[str, str]],
    fmt: AuditFormat,
    output: Path | None,
    info: bool,
) -> None:
    if fmt is AuditFormat.json:
        from cnbudget.report.audit_json import reports_json

        write_output(reports_json(reports, failures), output)
    elif fmt is AuditFormat.html:
        from cnbudget.report.audit_html import render_html

        write_output(render_html(reports, failures, info), output)
    elif fmt is AuditFormat.xlsx:
        from cnbudget.report.audit_xlsx import render_xlsx

        assert output is not None
        write_bytes_output(render_xlsx(reports, failures), output)
    else:
        from rich.console import Console

        from cnbudget.report.audit_text import render_text

        if output is None:
            render_text(reports, failures, Console(highlight=False), info)
        else:
            buffer = io.StringIO()
            render_text(reports, failures, Console(file=buffer, width=160, highlight=False), info)
            write_output(buffer.getvalue(), output)


def rules_command(
    fmt: Annotated[RulesFormat, typer.Option("--format", "-f", help="text, json or csv.")] = RulesFormat.text,
) -> None:
    """List the rule catalog: id, family, severity, documents, tables, description, basis."""
    from cnbudget.audit.registry import all_rules
    from cnbudget.domain.vocabulary import FAMILY_LABELS

    rules = all_rules()
    if fmt is RulesFormat.json:
        import json

        rows = [{"id": r.id, "family": r.family, "severity": r.severity, "kinds": list(r.kinds), "tables": list(r.tables),
                 "description": r.description, "basis": r.basis} for r in rules]  # fmt: skip
        write_output(json.dumps(rows, ensure_ascii=False, indent=1), None)
    elif fmt is RulesFormat.csv:
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("id", "family", "severity", "kinds", "tables", "description", "basis"))
        for r in rules:
            writer.writerow(
                (r.id, r.family, r.severity, " ".join(r.kinds), " ".join(r.tables), r.description, r.basis)
            )
        write_output(buffer.getvalue(), None)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"cnbudget 审核规则（{len(rules)} 条）", header_style="bold")
        for name in ("规则", "类别", "级别", "适用", "说明", "依据"):
            table.add_column(name, no_wrap=name != "说明")
        for r in rules:
            kinds = "、".join({"budget": "预算", "final": "决算"}[k] for k in r.kinds)
            table.add_row(r.id, FAMILY_LABELS[r.family], r.severity, kinds, r.description, r.basis)
        Console().print(table)
