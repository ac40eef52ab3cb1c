"""Options shared by the commands, declared once; how the CLI names the library's settings."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cnbudget.domain.i18n import t

if TYPE_CHECKING:
    from cnbudget.read import ReadOptions


class ParseFormat(StrEnum):
    json = "json"
    text = "text"


class FactsFormat(StrEnum):
    csv = "csv"
    json = "json"


class AuditFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    xlsx = "xlsx"
    checklist = "checklist"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


class TableFormat(StrEnum):
    """How an answer or a catalogue is printed."""

    text = "text"
    json = "json"
    csv = "csv"


class Kind(StrEnum):
    budget = "budget"
    final = "final"


class Scope(StrEnum):
    department = "department"
    unit = "unit"


class Level(StrEnum):
    province = "province"
    city = "city"
    district = "district"


class Funds(StrEnum):
    all = "all"
    general = "general"


class SeverityChoice(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


# ---- one document -------------------------------------------------------------------------------------
FileArg = Annotated[
    Path | None,
    typer.Argument(
        help="A disclosure document: PDF, XLSX, XLS, DOCX, HTML or a text conversion.", show_default=False
    ),
]
SampleOpt = Annotated[bool, typer.Option("--sample", help="Use the sample document bundled with cnbudget.")]
MaxPagesOpt = Annotated[
    int | None,
    typer.Option(
        "--max-pages", min=1, help="Refuse PDFs with more pages than this (default 1000).", show_default=False
    ),
]
MaxSecondsOpt = Annotated[
    float | None,
    typer.Option(
        "--max-seconds", min=1, help="Stop reading a PDF after this long (default 600).", show_default=False
    ),
]
LIMITS = t("读取限制", "Reading limits")
MaxMbOpt = Annotated[
    float | None,
    typer.Option(
        "--max-mb",
        min=0.001,
        help=t(
            "拒绝大于此值（MB）的 XLSX、XLS、DOCX、HTML 和文本文件（默认 20）。",
            "Refuse XLSX, XLS, DOCX, HTML and text files larger than this many MB (default 20).",
        ),
        show_default=False,
        rich_help_panel=LIMITS,
    ),
]
MaxPdfMbOpt = Annotated[
    float | None,
    typer.Option(
        "--max-pdf-mb",
        min=0.001,
        help=t(
            "拒绝大于此值（MB）的 PDF（默认 500）。", "Refuse PDFs larger than this many MB (default 500)."
        ),
        show_default=False,
        rich_help_panel=LIMITS,
    ),
]
MaxCellsOpt = Annotated[
    int | None,
    typer.Option(
        "--max-cells",
        min=1,
        help=t(
            "拒绝单元格多于此数的工作簿和文档表格（默认 1000000）。",
            "Refuse workbooks and document tables with more cells than this (default 1000000).",
        ),
        show_default=False,
        rich_help_panel=LIMITS,
    ),
]
MaxDepthOpt = Annotated[
    int | None,
    typer.Option(
        "--max-depth",
        min=1,
        max=255,
        help=t(
            "拒绝标记嵌套超过此层数的 HTML 和 DOCX（默认 200，最多 255）。",
            "Refuse HTML and DOCX markup nested deeper than this (default 200, at most 255).",
        ),
        show_default=False,
        rich_help_panel=LIMITS,
    ),
]
MaxUnpackedMbOpt = Annotated[
    float | None,
    typer.Option(
        "--max-unpacked-mb",
        min=0.001,
        help=t(
            "拒绝解压后大于此值（MB）的 XLSX 和 DOCX（默认 100）。",
            "Refuse XLSX and DOCX files that unpack to more than this many MB (default 100).",
        ),
        show_default=False,
        rich_help_panel=LIMITS,
    ),
]
OcrOpt = Annotated[
    bool, typer.Option("--ocr/--no-ocr", help="Read scanned PDF pages by OCR when it is installed.")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]

# ---- the library --------------------------------------------------------------------------------------
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="The library: an SQLite file or a database URL (postgresql://…). Default: $CNBUDGET_DB, else ./cnbudget.db.",
        show_default=False,
    ),
]
FormatOpt = Annotated[TableFormat, typer.Option("--format", "-f", help="text, json or csv.")]
MetricOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--metric",
        "-m",
        help="A figure to show (repeatable): see `cnbudget metrics`; function:206 or economic:30217 for one code.",
        show_default=False,
    ),
]
KindFilterOpt = Annotated[
    Kind | None, typer.Option("--kind", help="budget or final only.", show_default=False)
]
AllVersionsOpt = Annotated[
    bool, typer.Option("--all-versions", help="Include superseded versions of documents.")
]
OrganisationArg = Annotated[
    str, typer.Argument(help="Name, part of a name, code, or #id.", show_default=False)
]

SETTING_HINTS = {
    "max_pages": "--max-pages",
    "max_seconds": "--max-seconds",
    "max_mb": "--max-mb",
    "max_pdf_mb": "--max-pdf-mb",
    "max_cells": "--max-cells",
    "max_depth": "--max-depth",
    "max_unpacked_mb": "--max-unpacked-mb",
    "db": "--db or CNBUDGET_DB; `cnbudget ingest` creates a library",
    "metric": "see `cnbudget metrics`",
    "organisation": "see `cnbudget organisations`",
    "output": "--output",
    "table": "--table",
    "rule": "--rule",
}
"""How the command line changes each setting a library error may name (`CnbudgetError.setting`)."""


def read_options(
    max_pages: int | None,
    max_seconds: float | None,
    ocr: bool,
    max_mb: float | None = None,
    max_pdf_mb: float | None = None,
    max_cells: int | None = None,
    max_depth: int | None = None,
    max_unpacked_mb: float | None = None,
) -> ReadOptions:
    """The reading options of a command: the options given, the library's defaults for the others."""
    from cnbudget.read import ReadOptions

    d = ReadOptions()
    return ReadOptions(
        max_pages=max_pages or d.max_pages,
        max_seconds=max_seconds or d.max_seconds,
        ocr=ocr,
        max_mb=max_mb or d.max_mb,
        max_pdf_mb=max_pdf_mb or d.max_pdf_mb,
        max_cells=max_cells or d.max_cells,
        max_depth=max_depth or d.max_depth,
        max_unpacked_mb=max_unpacked_mb or d.max_unpacked_mb,
    )
