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
    TableFormat,
    format_opt,
    max_pages_opt,
    max_seconds_opt,
    ocr_opt,
    read_options,
    sample_opt,
)
from cnbudget.cli.render import console_for, error_text, show_rules
from cnbudget.cli.usage import Command
from cnbudget.domain.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, InputError, UsageError
from cnbudget.domain.i18n import t
from cnbudget.domain.reference import sample_path

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from cnbudget.audit import AuditReport
    from cnbudget.domain.vocabulary import Severity


def register(app: typer.Typer) -> None:
    app.command(
        "audit",
        cls=Command,
        help=t(
            "审核公开文件：表内合计、科目层级、表间勾稽、情况说明与报表是否一致。",
            "Check disclosures: sums, hierarchies, tables against each other, the narrative against the tables.",
        ),
    )(audit_command)
    app.command("rules", cls=Command, help=t(
        "列出审核规则：编号、类别、级别、适用文件、说明、依据。",
        "List the rule catalogue: id, family, severity, documents, tables, description, basis.",
    ))(rules_command)  # fmt: skip


def audit_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help=t("要审核的公开文件。", "Disclosure documents to check."),
            metavar=t("文件...", "FILE..."),
            show_default=False,
        ),
    ] = None,
    sample: Annotated[
        bool,
        sample_opt(t("审核 cnbudget 自带的示例文件。", "Check the sample document bundled with cnbudget.")),
    ] = False,
    fmt: Annotated[
        AuditFormat,
        typer.Option(
            "--format",
            "-f",
            help=t(
                "报告格式 text json html xlsx checklist：html 为单个独立文件，xlsx 为审核发现，checklist 为预填的"
                "公开情况检查表（ --output 以 .xlsx 结尾时为工作簿，否则为 HTML ）。",
                "text, json, html (one self-contained file), xlsx (the findings), or checklist: the review "
                "checklist (公开情况检查表) prefilled — a workbook when --output ends in .xlsx, else HTML.",
            ),
        ),
    ] = AuditFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar=t("文件", "FILE"),
            help=t("把报告写入此文件。", "Write the report to this file."),
        ),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help=t("审核发现达到此级别时以退出码 1 结束。", "Exit with 1 when findings reach this level."),
        ),
    ] = FailOn.error,
    max_pages: Annotated[int | None, max_pages_opt()] = None,
    max_seconds: Annotated[float | None, max_seconds_opt()] = None,
    ocr: Annotated[bool, ocr_opt()] = True,
    no_info: Annotated[
        bool,
        typer.Option(
            "--no-info",
            help=t(
                "text/html 报告中不列尾差等提示。", "Leave rounding tails and other notes out of text/html."
            ),
        ),
    ] = False,
    bundle: Annotated[
        bool,
        typer.Option(
            "--bundle",
            help=t(
                "这些文件是分开发布的同一份公开文件（如情况说明与报表分开），按给出的顺序合为一份审核。",
                "The FILEs are one disclosure published in parts (e.g. narrative and tables apart), "
                "checked as one document, in the order given.",
            ),
        ),
    ] = False,
) -> None:
    """Check disclosures: sums, hierarchies, tables against each other, the narrative against the tables."""
    from cnbudget.audit import audit
    from cnbudget.parse import parse_bundle

    if sample and files:
        raise UsageError(t("请给出文件或 --sample，不要同时给出", "give either FILE… or --sample, not both"))
    paths = [sample_path()] if sample else list(files or [])
    if not paths:
        raise UsageError(
            t(
                "缺少文件（或用 --sample 审核自带的示例文件）",
                "missing FILE (or use --sample to check the bundled sample document)",
            )
        )
    if fmt is AuditFormat.xlsx and output is None:
        raise UsageError(
            t(
                "--format xlsx 输出工作簿：请给出 --output 文件.xlsx",
                "--format xlsx writes a workbook: give --output FILE.xlsx",
            )
        )
    if bundle and len(paths) < 2:
        raise UsageError(
            t(
                "--bundle 合并同一份公开文件的各部分：请给出两个或更多文件",
                "--bundle joins the parts of one disclosure: give two or more FILEs",
            )
        )
    options = read_options(max_pages, max_seconds, ocr)
    reports = []
    failures: list[tuple[str, str]] = []
    documents: list[list[Path]] = [paths] if bundle else [[p] for p in paths]
    progress = _progress(len(documents))
    for parts in documents:
        try:
            reports.append(audit(parse_bundle(list(parts), options)))
        except InputError as exc:
            failures.append((exc.path or " + ".join(map(str, parts)), exc.message))
            sys.stderr.write(t("cnbudget：错误：", "cnbudget: error: ") + f"{error_text(exc)}\n")
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
    task = progress.add_task(t("审核中", "Checking"), total=total)
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
    fmt: Annotated[TableFormat, format_opt()] = TableFormat.text,
) -> None:
    """List the rule catalogue: id, family, severity, documents, tables, description, basis."""
    from cnbudget.audit.registry import all_rules

    show_rules(all_rules(), fmt)
