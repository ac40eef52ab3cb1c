"""`cnbudget diff OLD NEW`: what changed between two versions of a document."""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cnbudget.cli.inputs import write_output
from cnbudget.cli.options import MaxPagesOpt, MaxSecondsOpt, OcrOpt, OutputOpt, read_options
from cnbudget.cli.render import console_for
from cnbudget.domain.errors import EXIT_FINDINGS, EXIT_OK


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


def register(app: typer.Typer) -> None:
    app.command("diff")(diff_command)


def diff_command(
    old: Annotated[
        Path,
        typer.Argument(
            help="The earlier version (any format cnbudget reads).", metavar="OLD", show_default=False
        ),
    ],
    new: Annotated[
        Path,
        typer.Argument(help="The later version, e.g. the corrected one.", metavar="NEW", show_default=False),
    ],
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, json or html (one self-contained file).")
    ] = DiffFormat.text,
    output: OutputOpt = None,
    max_pages: MaxPagesOpt = None,
    max_seconds: MaxSecondsOpt = None,
    ocr: OcrOpt = True,
) -> None:
    """What changed between two versions of a document: tables, cells, narrative, audit findings (exit 1 when any)."""
    from cnbudget.audit import audit
    from cnbudget.parse import parse_file
    from cnbudget.report.diff import diff_reports

    options = read_options(max_pages, max_seconds, ocr)
    before = audit(parse_file(old, options))
    after = audit(parse_file(new, options))
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
