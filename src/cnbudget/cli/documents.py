"""Commands that read one document: parse, facts, show."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cnbudget.cli.inputs import resolve_input, write_output
from cnbudget.cli.options import (
    FactsFormat,
    Limits,
    ParseFormat,
    bom_opt,
    file_arg,
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
    sample_opt,
)
from cnbudget.cli.render import PageBar, console_for
from cnbudget.cli.usage import Command
from cnbudget.domain.errors import UsageError
from cnbudget.domain.i18n import t

if TYPE_CHECKING:
    from cnbudget.model import Document


def register(app: typer.Typer) -> None:
    app.command(
        "parse",
        cls=Command,
        help=t(
            "把文件解析为完整的数据模型（JSON 结构见 docs/document.schema.json）。",
            "Parse a document into the complete model (JSON schema: docs/document.schema.json).",
        ),
    )(parse_command)
    app.command(
        "facts",
        cls=Command,
        help=t(
            "标准报表中每个非空金额一行（表号、科目编码、项目、栏目、金额）。",
            "One row per non-empty amount of the standard tables: table_kind,row_code,row_label,column,value.",
        ),
    )(facts_command)
    app.command("show", cls=Command, help=t("在终端显示一张表。", "Render one table in the terminal."))(show_command)  # fmt: skip


def _load(
    file: Path | None,
    sample: bool,
    max_pages: int | None,
    max_seconds: float | None,
    ocr: bool,
    limits: Limits,
) -> Document:
    from cnbudget.library.processing import read_document

    bar = PageBar()
    try:
        return read_document(
            resolve_input(file, sample), read_options(max_pages, max_seconds, ocr, bar, limits)
        )
    finally:
        bar.stop()


def parse_command(
    file: Annotated[Path | None, file_arg()] = None,
    sample: Annotated[bool, sample_opt()] = False,
    fmt: Annotated[
        ParseFormat,
        typer.Option(
            "--format",
            "-f",
            help=t("json：完整模型；text：摘要。", "json: the whole model; text: a summary."),
        ),
    ] = ParseFormat.json,
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
    """Parse a document into the complete model (JSON schema: docs/document.schema.json)."""
    doc = _load(
        file,
        sample,
        max_pages,
        max_seconds,
        ocr,
        Limits(max_mb, max_pdf_mb, max_cells, max_depth, max_unpacked_mb),
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
    file: Annotated[Path | None, file_arg()] = None,
    sample: Annotated[bool, sample_opt()] = False,
    fmt: Annotated[
        FactsFormat, typer.Option("--format", "-f", help=t("csv 或 json。", "csv or json."))
    ] = FactsFormat.csv,
    output: Annotated[Path | None, output_opt()] = None,
    max_pages: Annotated[int | None, max_pages_opt()] = None,
    max_seconds: Annotated[float | None, max_seconds_opt()] = None,
    ocr: Annotated[bool, ocr_opt()] = True,
    bom: Annotated[bool, bom_opt()] = False,
    max_mb: Annotated[float | None, max_mb_opt()] = None,
    max_pdf_mb: Annotated[float | None, max_pdf_mb_opt()] = None,
    max_cells: Annotated[int | None, max_cells_opt()] = None,
    max_depth: Annotated[int | None, max_depth_opt()] = None,
    max_unpacked_mb: Annotated[float | None, max_unpacked_mb_opt()] = None,
) -> None:
    """One row per non-empty amount of the standard tables: table_kind,row_code,row_label,column,value."""
    from cnbudget.report.facts import facts_csv, facts_json

    doc = _load(
        file,
        sample,
        max_pages,
        max_seconds,
        ocr,
        Limits(max_mb, max_pdf_mb, max_cells, max_depth, max_unpacked_mb),
    )
    if fmt is FactsFormat.csv:
        write_output(facts_csv(doc), output, bom=bom)
    else:
        write_output(facts_json(doc), output)


def show_command(
    file: Annotated[Path | None, file_arg()] = None,
    table: Annotated[
        str,
        typer.Option(
            "--table",
            "-t",
            metavar=t("表", "TABLE"),
            help=t(
                "表号：B01…B10、B05U、B11、B12-1…、F01…F09。",
                "Table id: B01…B10, B05U, B11, B12-1…, F01…F09.",
            ),
        ),
    ] = "",
    sample: Annotated[bool, sample_opt()] = False,
    max_pages: Annotated[int | None, max_pages_opt()] = None,
    max_seconds: Annotated[float | None, max_seconds_opt()] = None,
    ocr: Annotated[bool, ocr_opt()] = True,
    max_mb: Annotated[float | None, max_mb_opt()] = None,
    max_pdf_mb: Annotated[float | None, max_pdf_mb_opt()] = None,
    max_cells: Annotated[int | None, max_cells_opt()] = None,
    max_depth: Annotated[int | None, max_depth_opt()] = None,
    max_unpacked_mb: Annotated[float | None, max_unpacked_mb_opt()] = None,
) -> None:
    """Render one table in the terminal."""
    from cnbudget.report.terminal import show_table

    if not table:
        raise UsageError(
            t("请用 --table 指定一张表，如 --table B03", "choose a table with --table, e.g. --table B03")
        )
    doc = _load(
        file,
        sample,
        max_pages,
        max_seconds,
        ocr,
        Limits(max_mb, max_pdf_mb, max_cells, max_depth, max_unpacked_mb),
    )
    show_table(doc, table.strip().upper(), console_for(None))
