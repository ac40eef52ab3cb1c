"""`cnbudget diff OLD NEW`: what changed between two versions of a document."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated

import typer

from cnbudget.cli.inputs import write_output
from cnbudget.cli.options import (
    ReadingCommand,
    format_choice_opt,
    output_opt,
    reading,
)
from cnbudget.cli.render import console_for
from cnbudget.domain.errors import EXIT_FINDINGS, EXIT_OK
from cnbudget.domain.i18n import t
from cnbudget.report.formats import DIFF


def register(app: typer.Typer) -> None:
    app.command(
        "diff",
        cls=ReadingCommand,
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
    fmt: Annotated[str, format_choice_opt(DIFF)] = "text",
    output: Annotated[Path | None, output_opt()] = None,
) -> None:
    """What changed between two versions of a document (the help is given at registration, in both languages)."""
    from cnbudget.library.processing import check
    from cnbudget.report.diff.compare import diff_reports

    options = reading()
    before = check(old, options)
    after = check(new, options)
    diff = diff_reports(before, after)
    if fmt == "json":
        from cnbudget.report.diff.json import diff_json

        write_output(diff_json(diff), output)
    elif fmt == "html":
        from cnbudget.report.diff.html import render_diff_html

        write_output(render_diff_html(diff), output)
    else:
        from cnbudget.report.diff.text import render_diff_text

        buffer = io.StringIO() if output is not None else None
        render_diff_text(diff, console_for(output, buffer))
        if buffer is not None:
            write_output(buffer.getvalue(), output)
    raise SystemExit(EXIT_FINDINGS if diff.changed else EXIT_OK)
