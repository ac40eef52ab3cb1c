"""Commands that read one document: parse, facts, show."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cnbudget.cli.inputs import resolve_input, write_bytes_output, write_output
from cnbudget.cli.options import (
    FactsFormat,
    ParseFormat,
    ReadingCommand,
    bom_opt,
    file_arg,
    output_opt,
    reading,
    sample_opt,
)
from cnbudget.cli.render import PageBar, console_for
from cnbudget.domain.errors import UsageError
from cnbudget.domain.i18n import t

if TYPE_CHECKING:
    from cnbudget.model import Document


def register(app: typer.Typer) -> None:
    app.command(
        "parse",
        cls=ReadingCommand,
        help=t(
            "把文件解析为完整的数据模型（JSON 结构见 docs/document.schema.json）。",
            "Parse a document into the complete model (JSON schema: docs/document.schema.json).",
        ),
    )(parse_command)
    app.command(
        "facts",
        cls=ReadingCommand,
        help=t(
            "标准报表中每个非空金额一行（表号、科目编码、项目、栏目、金额）。",
            "One row per non-empty amount of the standard tables: table_kind,row_code,row_label,column,value.",
        ),
    )(facts_command)
    app.command("show", cls=ReadingCommand, help=t("在终端显示一张表。", "Render one table in the terminal."))(show_command)  # fmt: skip


def _load(file: Path | None, sample: bool) -> Document:
    from cnbudget.library.processing import read_document

    bar = PageBar()
    try:
        return read_document(resolve_input(file, sample), reading(bar))
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
            help=t(
                "json：完整模型；text：摘要；xlsx：各张标准报表按原样排成 Excel 工作簿（须 -o），cnbudget 读回即同样的表。",
                "json: the whole model; text: a summary; xlsx: the standard tables laid out as printed in an Excel "
                "workbook (needs -o), which cnbudget reads back as the same tables.",
            ),
        ),
    ] = ParseFormat.json,
    output: Annotated[Path | None, output_opt()] = None,
) -> None:
    """Parse a document into the complete model (JSON schema: docs/document.schema.json)."""
    if fmt is ParseFormat.xlsx and output is None:  # before the document is read
        raise UsageError(t("xlsx 是工作簿：请用 -o 给出 .xlsx 文件", "xlsx is a workbook: give -o FILE.xlsx"),
                         setting="output")  # fmt: skip
    doc = _load(file, sample)
    if fmt is ParseFormat.xlsx and output is not None:
        from cnbudget.report.document.workbook import document_workbook

        write_bytes_output(document_workbook(doc), output)
        return
    if fmt is ParseFormat.json:
        from cnbudget.report.document.json import document_json

        write_output(document_json(doc), output)
        return
    from cnbudget.report.document.summary import render_summary

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
    bom: Annotated[bool, bom_opt()] = False,
) -> None:
    """One row per non-empty amount of the standard tables: table_kind,row_code,row_label,column,value."""
    from cnbudget.report.document.facts import facts_csv, facts_json

    doc = _load(file, sample)
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
) -> None:
    """Render one table in the terminal."""
    from cnbudget.report.document.table import show_table

    if not table:
        raise UsageError(
            t("请用 --table 指定一张表，如 --table B03", "choose a table with --table, e.g. --table B03")
        )
    doc = _load(file, sample)
    show_table(doc, table.strip().upper(), console_for(None))
