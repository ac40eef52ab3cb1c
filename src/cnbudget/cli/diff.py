"""`cnbudget diff OLD NEW`: what changed between two versions of a document."""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cnbudget.cli.inputs import write_output
from cnbudget.cli.options import (
    Limits,
    max_cells_opt,
    max_depth_opt,
    max_mb_opt,
    max_pages_opt,
    max_pdf_mb_opt,
    max_seconds_opt,
    max_unpacked_mb_opt,
    ocr_opt,
    output_opt,
    read_options,
)
from cnbudget.cli.render import console_for
from cnbudget.cli.usage import Command
from cnbudget.domain.errors import EXIT_FINDINGS, EXIT_OK
from cnbudget.domain.i18n import t


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


def register(app: typer.Typer) -> None:
    app.command(
        "diff",
        cls=Command,
        help=t(
            "比较一份文件的两个版本：表、单元格、文字说明、审核发现的变化（有变化时退出码 1）。",
            "What changed between two versions of a document: tables, cells, narrative, audit findings "
            "(exit 1 when any).",
        ),
    )(diff_command)


def diff_command(
    old: Annotated[
        Path,
        typer.Argument(
            help=t(
                "较早的版本（cnbudget 能读的任何格式）。", "The earlier version (any format cnbudget reads)."
            ),
            metavar=t("旧文件", "OLD"),
            show_default=False,
        ),
    ],
    new: Annotated[
        Path,
        typer.Argument(
            help=t("较晚的版本，如更正后的文件。", "The later version, e.g. the corrected one."),
            metavar=t("新文件", "NEW"),
            show_default=False,
        ),
    ],
    fmt: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            "-f",
            help=t(
                "text、json 或 html（单个自含的网页文件）。", "text, json or html (one self-contained file)."
            ),
        ),
    ] = DiffFormat.text,
    output: Annotated[Path | None, output_opt()] = None,
    max_pages: Annotated[int | None, max_pages_opt()] = None,
    max_seconds: Annotated[float | None, max_seconds_opt()] = None,
    ocr: Annotated[bool, ocr_opt()] = True,
    max_mb: Annotated[float | None, max_mb_opt()] = None,
    max_pdf_mb: Annotated[float | None, max_pdf_mb_opt()] = None,
    max_cells: Annotated[int | None, max_cells_opt()] = None,
    max_depth: Annotated[int | None, max_depth_opt()] = None,
    max_unpacked_mb: Annotated[float | None, max_unpacked_mb_opt()] = None,
) -> None:
    """What changed between two versions of a document (the help is given at registration, in both languages)."""
    from cnbudget.library.processing import check
    from cnbudget.report.diff import diff_reports

    limits = Limits(max_mb, max_pdf_mb, max_cells, max_depth, max_unpacked_mb)
    options = read_options(max_pages, max_seconds, ocr, None, limits)
    before = check(old, options)
    after = check(new, options)
    diff = diff_reports(before, after)
    if fmt is DiffFormat.json:
        from cnbudget.report.diff_render import diff_json

        write_output(diff_json(diff), output)
    elif fmt is DiffFormat.html:
        from cnbudget.report.diff_render import render_diff_html

        write_output(render_diff_html(diff), output)
    else:
        from cnbudget.report.diff_render import render_diff_text

        buffer = io.StringIO() if output is not None else None
        render_diff_text(diff, console_for(output, buffer))
        if buffer is not None:
            write_output(buffer.getvalue(), output)
    raise SystemExit(EXIT_FINDINGS if diff.changed else EXIT_OK)
