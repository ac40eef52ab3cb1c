"""Commands that read one document: parse, facts, show."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cnbudget.cli.inputs import resolve_input, write_output
from cnbudget.domain.errors import UsageError

if TYPE_CHECKING:
    from cnbudget.read import ReadOptions

FileArg = Annotated[
    Path | None, typer.Argument(help="A disclosure document: text conversion or PDF.", show_default=False)
]
SampleOpt = Annotated[bool, typer.Option("--sample", help="Use the sample document bundled with cnbudget.")]
MaxSecondsOpt = Annotated[
    float | None,
    typer.Option(
        "--max-seconds", min=1, help="Stop reading a PDF after this long (default 600).", show_default=False
    ),
]
MaxPagesOpt = Annotated[
    int | None,
    typer.Option(
        "--max-pages", min=1, help="Refuse PDFs with more pages than this (default 1000).", show_default=False
    ),
]
OcrOpt = Annotated[
    bool, typer.Option("--ocr/--no-ocr", help="Read scanned PDF pages by OCR when it is installed.")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]


class ParseFormat(StrEnum):
    json = "json"
    text = "text"


class FactsFormat(StrEnum):
    csv = "csv"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("parse")(parse_command)
    app.command("facts")(facts_command)
    app.command("show")(show_command)


def read_options(max_pages: int | None, max_seconds: float | None, ocr: bool) -> ReadOptions:
    from cnbudget.read import ReadOptions

    defaults = ReadOptions()
    return ReadOptions(
        max_pages=max_pages or defaults.max_pages, max_seconds=max_seconds or defaults.max_seconds, ocr=ocr
    )


def _load(file: Path | None, sample: bool, options: ReadOptions):  # type: ignore[no-untyped-def]
    from cnbudget import parse_file

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
) -> None:
    """Parse a document into the complete model (JSON schema: docs/document.schema.json)."""
    doc = _load(file, sample, read_options(max_pages, max_seconds, ocr))
    if fmt is ParseFormat.json:
        from cnbudget.report.json_model import document_json

        write_output(document_json(doc), output)
    else:
        from cnbudget.report.summary import render_summary

        render_summary(doc, output)


def facts_command(
    file: FileArg = None,
    sample: SampleOpt = False,
    fmt: Annotated[FactsFormat, typer.Option("--format", "-f", help="csv or json.")] = FactsFormat.csv,
    output: OutputOpt = None,
    max_pages: MaxPagesOpt = None,
    max_seconds: MaxSecondsOpt = None,
    ocr: OcrOpt = True,
) -> None:
    """One row per non-empty amount of the standard tables: table_kind,row_code,row_label,column,value."""
    from cnbudget.report.facts import facts_csv, facts_json

    doc = _load(file, sample, read_options(max_pages, max_seconds, ocr))
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
) -> None:
    """Render one table in the terminal."""
    from cnbudget.report.terminal import show_table

    if not table:
        raise UsageError("choose a table with --table, e.g. --table B03")
    doc = _load(file, sample, read_options(max_pages, max_seconds, ocr))
    show_table(doc, table.strip().upper())
