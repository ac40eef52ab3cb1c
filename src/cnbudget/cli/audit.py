"""`cnbudget audit` and `cnbudget rules`."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cnbudget.cli.inputs import write_bytes_output, write_output
from cnbudget.cli.options import (
    AuditFormat,
    FailOn,
    MaxCellsOpt,
    MaxDepthOpt,
    MaxMbOpt,
    MaxPagesOpt,
    MaxPdfMbOpt,
    MaxSecondsOpt,
    MaxUnpackedMbOpt,
    OcrOpt,
    TableFormat,
    read_options,
)
from cnbudget.cli.render import console_for, error_text, show_rules
from cnbudget.domain.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, InputError, UsageError
from cnbudget.domain.reference import sample_path

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from cnbudget.audit import AuditReport
    from cnbudget.domain.vocabulary import Severity


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
        typer.Option(
            "--format",
            "-f",
            help="text, json, html (one self-contained file), xlsx (the findings), or checklist: the "
            "review checklist (公开情况检查表) prefilled — a workbook when --output ends in .xlsx, else HTML.",
        ),
    ] = AuditFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit with 1 when findings reach this level.")
    ] = FailOn.error,
    max_pages: MaxPagesOpt = None,
    max_seconds: MaxSecondsOpt = None,
    ocr: OcrOpt = True,
    max_mb: MaxMbOpt = None,
    max_pdf_mb: MaxPdfMbOpt = None,
    max_cells: MaxCellsOpt = None,
    max_depth: MaxDepthOpt = None,
    max_unpacked_mb: MaxUnpackedMbOpt = None,
    no_info: Annotated[
        bool, typer.Option("--no-info", help="Leave rounding tails and other notes out of text/html.")
    ] = False,
    bundle: Annotated[
        bool,
        typer.Option(
            "--bundle",
            help="The FILEs are one disclosure published in parts (e.g. narrative and tables apart), "
            "checked as one document, in the order given.",
        ),
    ] = False,
) -> None:
    """Check disclosures: sums, hierarchies, tables against each other, the narrative against the tables."""
    from cnbudget.audit import audit
    from cnbudget.parse import parse_bundle

    if sample and files:
        raise UsageError("give either FILE… or --sample, not both")
    paths = [sample_path()] if sample else list(files or [])
    if not paths:
        raise UsageError("missing FILE (or use --sample to check the bundled sample document)")
    if fmt is AuditFormat.xlsx and output is None:
        raise UsageError("--format xlsx writes a workbook: give --output FILE.xlsx")
    if bundle and len(paths) < 2:
        raise UsageError("--bundle joins the parts of one disclosure: give two or more FILEs")
    options = read_options(
        max_pages, max_seconds, ocr, max_mb, max_pdf_mb, max_cells, max_depth, max_unpacked_mb
    )
    reports = []
    failures: list[tuple[str, str]] = []
    documents: list[list[Path]] = [paths] if bundle else [[p] for p in paths]
    progress = _progress(len(documents))
    for parts in documents:
        try:
            reports.append(audit(parse_bundle(list(parts), options)))
        except InputError as exc:
            failures.append((exc.path or " + ".join(map(str, parts)), exc.message))
            sys.stderr.write(f"cnbudget: error: {error_text(exc)}\n")
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
    elif fmt is AuditFormat.checklist:
        from cnbudget.report.checklist import render_checklist_html, render_checklist_xlsx

        if output is not None and output.suffix.lower() == ".xlsx":
            write_bytes_output(render_checklist_xlsx(reports, failures), output)
        else:
            write_output(render_checklist_html(reports, failures), output)
    elif fmt is AuditFormat.xlsx:
        from cnbudget.report.audit_xlsx import render_xlsx

        assert output is not None
        write_bytes_output(render_xlsx(reports, failures), output)
    else:
        from cnbudget.report.audit_text import render_text

        buffer = io.StringIO() if output is not None else None
        render_text(reports, failures, console_for(output, buffer), info)
        if buffer is not None:
            write_output(buffer.getvalue(), output)


def rules_command(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="text, json or csv.")] = TableFormat.text,
) -> None:
    """List the rule catalogue: id, family, severity, documents, tables, description, basis."""
    from cnbudget.audit.registry import all_rules

    show_rules(all_rules(), fmt)
