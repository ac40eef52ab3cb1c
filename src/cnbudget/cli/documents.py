"""Commands that read one document: parse, facts, show."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cnbudget.cli.inputs import resolve_input, write_output
from cnbudget.cli.options import (
    FactsFormat,
    FileArg,
    MaxCellsOpt,
    MaxDepthOpt,
    MaxMbOpt,
    MaxPagesOpt,
    MaxPdfMbOpt,
    MaxSecondsOpt,
    MaxUnpackedMbOpt,
    OcrOpt,
    OutputOpt,
    ParseFormat,
    SampleOpt,
    read_options,
)
from cnbudget.cli.render import console_for
from cnbudget.domain.errors import UsageError

if TYPE_CHECKING:
    from cnbudget.model import Document
    from cnbudget.read import ReadOptions


def register(app: typer.Typer) -> None:
    app.command("parse")(parse_command)
    app.command("facts")(facts_command)
    app.command("show")(show_command)


def _load(file: Path | None, sample: bool, options: ReadOptions) -> Document:
    from cnbudget.parse import parse_file

    return parse_file(resolve_input(file, sample), options)


def parse_command(
    file: FileArg = None,
    sample: SampleOpt = False,
    fmt: Annotated[
        ParseFormat, typer.Option("--format", "-f", help="json: the whole model; text: a summary.")
    ] = ParseFormat.json,
    output: OutputOpt = None,
    max_pages: MaxPagesOpt = None,
    max_seconds: MaxSecondsOpt = None,
    ocr: OcrOpt = True,
    max_mb: MaxMbOpt = None,
    max_pdf_mb: MaxPdfMbOpt = None,
    max_cells: MaxCellsOpt = None,
    max_depth: MaxDepthOpt = None,
    max_unpacked_mb: MaxUnpackedMbOpt = None,
) -> None:
    """Parse a document into the complete model (JSON schema: docs/document.schema.json)."""
    doc = _load(
        file,
        sample,
        read_options(max_pages, max_seconds, ocr, max_mb, max_pdf_mb, max_cells, max_depth, max_unpacked_mb),
    )
    if fmt is ParseFormat.json:
        from cnbudget.report.json_model import document_json

        write_output(document_json(doc), output)
        return
    from cnbudget.report.summary import render_summary

    buffer = io.StringIO() if output is not None else None
    render_summary(doc, console_for(output, buffer))
    if buffer is not None:
        write_output(buffer.getvalue(), output)


def facts_command(
    file: FileArg = None,
    sample: SampleOpt = False,
    fmt: Annotated[FactsFormat, typer.Option("--format", "-f", help="csv or json.")] = FactsFormat.csv,
    output: OutputOpt = None,
    max_pages: MaxPagesOpt = None,
    max_seconds: MaxSecondsOpt = None,
    ocr: OcrOpt = True,
    max_mb: MaxMbOpt = None,
    max_pdf_mb: MaxPdfMbOpt = None,
    max_cells: MaxCellsOpt = None,
    max_depth: MaxDepthOpt = None,
    max_unpacked_mb: MaxUnpackedMbOpt = None,
) -> None:
    """One row per non-empty amount of the standard tables: table_kind,row_code,row_label,column,value."""
    from cnbudget.report.facts import facts_csv, facts_json

    doc = _load(
        file,
        sample,
        read_options(max_pages, max_seconds, ocr, max_mb, max_pdf_mb, max_cells, max_depth, max_unpacked_mb),
    )
    write_output(facts_csv(doc) if fmt is FactsFormat.csv else facts_json(doc), output)


def show_command(
    file: FileArg = None,
    table: Annotated[
        str, typer.Option("--table", "-t", help="Table id: B01…B10, B05U, B11, B12-1…, F01…F09.")
    ] = "",
    sample: SampleOpt = False,
    max_pages: MaxPagesOpt = None,
    max_seconds: MaxSecondsOpt = None,
    ocr: OcrOpt = True,
    max_mb: MaxMbOpt = None,
    max_pdf_mb: MaxPdfMbOpt = None,
    max_cells: MaxCellsOpt = None,
    max_depth: MaxDepthOpt = None,
    max_unpacked_mb: MaxUnpackedMbOpt = None,
) -> None:
    """Render one table in the terminal."""
    from cnbudget.report.terminal import show_table

    if not table:
        raise UsageError("choose a table with --table, e.g. --table B03")
    doc = _load(
        file,
        sample,
        read_options(max_pages, max_seconds, ocr, max_mb, max_pdf_mb, max_cells, max_depth, max_unpacked_mb),
    )
    show_table(doc, table.strip().upper(), console_for(None))
