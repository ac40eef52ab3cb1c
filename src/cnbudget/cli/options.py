"""Options shared by the commands, declared once; how the CLI names the library's settings."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cnbudget.domain.i18n import t

if TYPE_CHECKING:
    from cnbudget.audit.profile import AuditProfile
    from cnbudget.read import ReadOptions
    from cnbudget.read.source import PageProgress


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


class AnswerFormat(StrEnum):
    """How a library answer is printed or written: xlsx and html carry a chart."""

    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


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
        "--max-seconds",
        min=1,
        help=t(
            "读取一个 PDF 超过这么多秒即停止。默认自动：600 秒，每页 OCR 另加 60 秒，至多 8 小时。",
            "Stop reading a PDF after this many seconds. Default: automatic, 600 s plus 60 s per page read by "
            "OCR, at most 8 hours.",
        ),
        show_default=False,
    ),
]
OcrOpt = Annotated[
    bool, typer.Option("--ocr/--no-ocr", help="Read scanned PDF pages by OCR when it is installed.")
]
ProfileOpt = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        help="A review profile (TOML): rules turned off, other severities, the rounding accepted — see "
        "docs/profile.example.toml.",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]

BomOpt = Annotated[
    bool,
    typer.Option(
        "--bom",
        help=t(
            "CSV 以 UTF-8 BOM 开头：Excel 直接打开时中文不乱码。",
            "CSV begins with a UTF-8 byte order mark, so that Excel opens the Chinese text correctly.",
        ),
    ),
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
FormatOpt = Annotated[
    AnswerFormat,
    typer.Option(
        "--format",
        "-f",
        help=t(
            "text、json、csv，或 xlsx（带图表的工作簿，须 -o）、html（带图表的单个网页文件）。",
            "text, json, csv, or xlsx (a workbook with a chart; needs -o) or html (one self-contained page with "
            "a chart).",
        ),
    ),
]
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
    "db": "--db or CNBUDGET_DB; `cnbudget ingest` creates a library",
    "metric": "see `cnbudget metrics`",
    "organisation": "see `cnbudget organisations`",
    "output": "--output",
    "table": "--table",
    "rule": "--rule",
    "profile": "--profile",
}
"""How the command line changes each setting a library error may name (`CnbudgetError.setting`)."""


def read_options(
    max_pages: int | None, max_seconds: float | None, ocr: bool, progress: PageProgress | None = None
) -> ReadOptions:
    """The reader's settings from the options (no --max-seconds: the automatic limit, which grows with OCR)."""
    from cnbudget.read import ReadOptions

    defaults = ReadOptions()
    return ReadOptions(
        max_pages=max_pages or defaults.max_pages, max_seconds=max_seconds, ocr=ocr, progress=progress
    )


def load_profile_option(path: Path | None) -> AuditProfile | None:
    """The review profile named by --profile, checked before any document is read."""
    if path is None:
        return None
    from cnbudget.audit.profile import load_profile

    return load_profile(path)
