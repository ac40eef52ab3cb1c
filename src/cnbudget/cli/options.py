"""Options shared by the commands, declared once; how the CLI names the library's settings."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from cnbudget.domain.i18n import t

if TYPE_CHECKING:
    from pathlib import Path

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
    """Budget or final accounts; the Chinese words are accepted as well (``--kind 决算``)."""

    budget = "budget"
    final = "final"
    预算 = "预算"
    决算 = "决算"

    @property
    def canonical(self) -> str:
        return {"预算": "budget", "决算": "final"}.get(self.value, self.value)


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
    """A level, in English or in Chinese (``--severity 错误``)."""

    error = "error"
    warning = "warning"
    info = "info"
    错误 = "错误"
    警告 = "警告"
    提示 = "提示"

    @property
    def canonical(self) -> str:
        return {"错误": "error", "警告": "warning", "提示": "info"}.get(self.value, self.value)


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


# ---- shared options --------------------------------------------------------------------------------------
# Functions, not constants: a command's signature names them inside ``Annotated[…]``, and with
# ``from __future__ import annotations`` Typer evaluates those annotations each time it builds the command
# (typer.utils.get_params_from_function), so every help text is written in the language of that run.
def file_arg() -> Any:
    return typer.Argument(
        help=t("一份公开文件：PDF、XLSX、XLS、DOCX、HTML 或文本。", "A disclosure document: PDF, XLSX, XLS, DOCX, HTML or a text conversion."),
        metavar=t("文件", "FILE"), show_default=False,
    )  # fmt: skip


def sample_opt(help_text: str = "") -> Any:
    return typer.Option("--sample", help=help_text or t("使用 cnbudget 自带的示例文件。", "Use the sample document bundled with cnbudget."))  # fmt: skip


def max_pages_opt() -> Any:
    return typer.Option(
        "--max-pages", min=1, show_default=False,
        help=t("PDF 页数超过此数即拒绝读取（默认 1000）。", "Refuse PDFs with more pages than this (default 1000)."),
    )  # fmt: skip


def max_seconds_opt() -> Any:
    return typer.Option(
        "--max-seconds", min=1, show_default=False,
        help=t(
            "读取一个 PDF 超过这么多秒即停止。默认自动：600 秒，每页 OCR 另加 60 秒，至多 8 小时。",
            "Stop reading a PDF after this many seconds. Default: automatic, 600 s plus 60 s per page read by "
            "OCR, at most 8 hours.",
        ),
    )  # fmt: skip


def ocr_opt() -> Any:
    return typer.Option(
        "--ocr/--no-ocr",
        help=t(
            "已安装 OCR 时，识别扫描版 PDF 的页面。", "Read scanned PDF pages by OCR when it is installed."
        ),
    )


def profile_opt() -> Any:
    return typer.Option(
        "--profile", metavar=t("文件", "FILE"), show_default=False,
        help=t(
            "审核配置文件（TOML）：停用的规则、改定的级别、可接受的尾差；各项设置的说明见 docs/ 中的示例 "
            "profile.example.toml",
            "A review profile (TOML): rules turned off, other severities, the rounding accepted — see "
            "docs/profile.example.toml.",
        ),
    )  # fmt: skip


def bom_opt() -> Any:
    return typer.Option(
        "--bom",
        help=t(
            "CSV 以 UTF-8 BOM 开头：Excel 直接打开时中文不乱码。",
            "CSV begins with a UTF-8 byte order mark, so that Excel opens the Chinese text correctly.",
        ),
    )


def output_opt() -> Any:
    return typer.Option("--output", "-o", metavar=t("文件", "FILE"), help=t("写入此文件，而不是标准输出。", "Write to this file instead of stdout."))  # fmt: skip


def db_opt() -> Any:
    return typer.Option(
        "--db", metavar=t("资料库", "DB"), show_default=False,
        help=t(
            "资料库：SQLite 文件或数据库地址（ postgresql://… ）。默认为环境变量 $CNBUDGET_DB 的值，否则为 ./cnbudget.db",
            "The library: an SQLite file or a database URL (postgresql://…). Default: $CNBUDGET_DB, else ./cnbudget.db.",
        ),
    )  # fmt: skip


def format_opt() -> Any:
    """--format for a catalogue (TableFormat): text, json or csv."""
    return typer.Option("--format", "-f", help=t("输出格式：text、json 或 csv。", "text, json or csv."))


def answer_format_opt() -> Any:
    """--format for a library answer (AnswerFormat): xlsx and html carry a chart."""
    return typer.Option(
        "--format", "-f",
        help=t(
            "text、json、csv，或 xlsx（带图表的工作簿，须 -o）、html（带图表的单个网页文件）。",
            "text, json, csv, or xlsx (a workbook with a chart; needs -o) or html (one self-contained page with "
            "a chart).",
        ),
    )  # fmt: skip


def metric_opt() -> Any:
    return typer.Option(
        "--metric", "-m", metavar=t("指标", "METRIC"), show_default=False,
        help=t(
            "要显示的数字（可重复）：见 cnbudget metrics；单个科目用 function:206 或 economic:30217。",
            "A figure to show (repeatable): see `cnbudget metrics`; function:206 or economic:30217 for one code.",
        ),
    )  # fmt: skip


def kind_filter_opt() -> Any:
    return typer.Option(
        "--kind", show_default=False, metavar=t("类型", "KIND"),
        help=t("只看预算或决算（也可写 budget、final）。", "budget or final only."),
    )  # fmt: skip


def all_versions_opt() -> Any:
    return typer.Option("--all-versions", help=t("包括已被新版本取代的文件。", "Include superseded versions of documents."))  # fmt: skip


def organisation_arg() -> Any:
    return typer.Argument(
        help=t("部门（单位）：名称、名称的一部分、编码或 #编号。", "Name, part of a name, code, or #id."),
        metavar=t("部门", "ORGANISATION"), show_default=False,
    )  # fmt: skip


def _finite(value: float | None) -> float | None:
    """A limit must be a finite number: ``nan`` passes every range check and would switch the limit off."""
    if isinstance(value, float) and not math.isfinite(value):
        raise typer.BadParameter(t(f"“{value}”不是有限的数", f"“{value}” is not a finite number"))
    return value


def _limit_opt(name: str, zh: str, en: str, **bounds: Any) -> Any:
    return typer.Option(name, show_default=False, help=t(zh, en), rich_help_panel=t("读取限制", "Reading limits"),
                        callback=_finite, **bounds)  # fmt: skip


def max_mb_opt() -> Any:
    return _limit_opt("--max-mb", "拒绝大于此值（MB）的 XLSX、XLS、DOCX、HTML 和文本文件（默认 20）。",
                      "Refuse XLSX, XLS, DOCX, HTML and text files larger than this many MB (default 20).",
                      min=0.001)  # fmt: skip


def max_pdf_mb_opt() -> Any:
    return _limit_opt("--max-pdf-mb", "拒绝大于此值（MB）的 PDF（默认 500）。",
                      "Refuse PDFs larger than this many MB (default 500).", min=0.001)  # fmt: skip


def max_cells_opt() -> Any:
    return _limit_opt("--max-cells", "拒绝单元格多于此数的工作簿和文档表格（默认 1000000）。",
                      "Refuse workbooks and document tables with more cells than this (default 1000000).",
                      min=1)  # fmt: skip


def max_depth_opt() -> Any:
    return _limit_opt("--max-depth", "拒绝标记嵌套超过此层数的 HTML 和 DOCX（默认 200，最多 255）。",
                      "Refuse HTML and DOCX markup nested deeper than this (default 200, at most 255).",
                      min=1, max=255)  # fmt: skip


def max_unpacked_mb_opt() -> Any:
    return _limit_opt("--max-unpacked-mb", "拒绝解压后大于此值（MB）的 XLSX 和 DOCX（默认 100）。",
                      "Refuse XLSX and DOCX files that unpack to more than this many MB (default 100).",
                      min=0.001)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Limits:
    """The reading limits given on a command line (None: the library's default)."""

    max_mb: float | None = None
    max_pdf_mb: float | None = None
    max_cells: int | None = None
    max_depth: int | None = None
    max_unpacked_mb: float | None = None


def setting_hints() -> dict[str, str]:
    """How the command line changes each setting a library error may name (`CnbudgetError.setting`)."""
    return {
        "max_pages": "--max-pages",
        "max_seconds": "--max-seconds",
        "max_mb": "--max-mb",
        "max_pdf_mb": "--max-pdf-mb",
        "max_cells": "--max-cells",
        "max_depth": "--max-depth",
        "max_unpacked_mb": "--max-unpacked-mb",
        "db": t("--db 或 CNBUDGET_DB；cnbudget ingest 会新建资料库", "--db or CNBUDGET_DB; `cnbudget ingest` creates a library"),
        "metric": t("见 cnbudget metrics", "see `cnbudget metrics`"),
        "organisation": t("见 cnbudget organisations", "see `cnbudget organisations`"),
        "output": "--output",
        "table": "--table",
        "rule": "--rule",
        "profile": "--profile",
    }  # fmt: skip


def read_options(
    max_pages: int | None,
    max_seconds: float | None,
    ocr: bool,
    progress: PageProgress | None = None,
    limits: Limits | None = None,
) -> ReadOptions:
    """The reader's settings from the options (no --max-seconds: the automatic limit, which grows with OCR)."""
    from cnbudget.read import ReadOptions

    defaults, limits = ReadOptions(), limits or Limits()
    return ReadOptions(
        max_pages=max_pages or defaults.max_pages,
        max_seconds=max_seconds,
        ocr=ocr,
        progress=progress,
        max_mb=limits.max_mb or defaults.max_mb,
        max_pdf_mb=limits.max_pdf_mb or defaults.max_pdf_mb,
        max_cells=limits.max_cells or defaults.max_cells,
        max_depth=limits.max_depth or defaults.max_depth,
        max_unpacked_mb=limits.max_unpacked_mb or defaults.max_unpacked_mb,
    )


def load_profile_option(path: Path | None) -> AuditProfile | None:
    """The review profile named by --profile, checked before any document is read."""
    if path is None:
        return None
    from cnbudget.audit.profile import load_profile

    return load_profile(path)
