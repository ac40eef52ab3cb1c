"""Options shared by the commands, declared once; how the CLI names the library's settings."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from cnbudget.cli.usage import BadValue, Command, localise_params
from cnbudget.domain.errors import UsageError
from cnbudget.domain.i18n import t
from cnbudget.report.formats import ANSWER, Format, help_text

if TYPE_CHECKING:
    from pathlib import Path

    from cnbudget.audit.profile import AuditProfile
    from cnbudget.read import ReadOptions
    from cnbudget.read.source import PageProgress


class ParseFormat(StrEnum):
    json = "json"
    text = "text"
    xlsx = "xlsx"


class FactsFormat(StrEnum):
    csv = "csv"
    json = "json"


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


class BatchEngine(StrEnum):
    """Where a batch's documents are read (`library.ingestion`): worker processes here, or Ray tasks."""

    local = "local"
    ray = "ray"


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"
    dataset = "dataset"


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
            "资料库：SQLite 文件或数据库地址（ postgresql://… ）；提问的命令也可读 parquet:文件夹（导出的 Parquet 数据集）。"
            "默认为环境变量 $CNBUDGET_DB 的值，否则为 ./cnbudget.db",
            "The library: an SQLite file or a database URL (postgresql://…); compare, history, execution and "
            "findings also read parquet:DIR (a Parquet dataset written by export --format dataset). Default: "
            "$CNBUDGET_DB, else ./cnbudget.db.",
        ),
    )  # fmt: skip


def format_opt() -> Any:
    """--format for a catalogue (TableFormat): text, json or csv."""
    return typer.Option("--format", "-f", help=t("输出格式：text、json 或 csv。", "text, json or csv."))


def format_choice_opt(table: dict[str, Format]) -> Any:
    """--format with the choices and help of an artefact's table of formats (`report.formats`)."""
    from typer._types import (
        TyperChoice,  # what Typer makes of an Enum (typer <0.29 vendors Click: cli/usage.py)
    )

    choice: Any = TyperChoice(list(table))
    return typer.Option("--format", "-f", click_type=choice, help=help_text(table), show_default=True)


def jobs_opt() -> Any:
    """--jobs for a batch (`library.batch`): worker processes, one per CPU by default."""
    return typer.Option("--jobs", "-j", min=1, metavar=t("进程数", "N"), show_default=False, help=t(
        "并行进程数（默认：每个 CPU 一个；文件只有一份时不另起进程）。",
        "Worker processes (default: one per CPU; none for a single document)."))  # fmt: skip


def answer_format_opt() -> Any:
    """--format for a library answer (`report.formats.ANSWER`): xlsx and html carry a chart."""
    return format_choice_opt(ANSWER)


def needs_output(table: dict[str, Format], fmt: str, output: Path | None) -> None:
    """A format written as bytes (a workbook) goes to a file: refused before any work when -o is missing."""
    if table[fmt].binary and output is None:
        raise UsageError(
            t(f"--format {fmt} 写出一个文件：请用 -o 给出文件名（如 -o out{table[fmt].suffix}）",
              f"--format {fmt} writes a file: give -o FILE{table[fmt].suffix}"),
            setting="output",
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


def setting_hints() -> dict[str, str]:
    """How the command line changes each setting a library error may name (`CnbudgetError.setting`)."""
    return {
        **{f.name: _option_name(f.name) for f in _reading_fields()},
        "db": t("--db 或 CNBUDGET_DB；cnbudget ingest 会新建资料库", "--db or CNBUDGET_DB; `cnbudget ingest` creates a library"),
        "metric": t("见 cnbudget metrics", "see `cnbudget metrics`"),
        "ocr_component": t('安装：pip install "cnbudget[ocr]"', 'install it: pip install "cnbudget[ocr]"'),
        "organisation": t("见 cnbudget organisations", "see `cnbudget organisations`"),
        "output": "--output",
        "table": "--table",
        "rule": "--rule",
        "profile": "--profile",
    }  # fmt: skip


# ---- the reading settings: declared once, as the fields of `ReadOptions` ------------------------------
READING = "cnbudget.reading"
"""Where a command finds its `ReadOptions` (``ctx.meta``), made from its reading options."""


def _reading_fields() -> list[Any]:
    from dataclasses import fields

    from cnbudget.read import ReadOptions

    return [f for f in fields(ReadOptions) if "option" in f.metadata]


def _option_name(field_name: str) -> str:
    return "--" + field_name.replace("_", "-")


def _finite(_ctx: Any, _param: Any, value: float | None) -> float | None:
    """A limit must be a finite number: ``nan`` passes every range check and would switch the limit off."""
    if isinstance(value, float) and not math.isfinite(value):
        raise BadValue(t(f"“{value}”不是有限的数", f"“{value}” is not a finite number"))
    return value


def reading_params() -> list[Any]:
    """Every field of `ReadOptions` that has an `OptionHelp` as a command-line option, named after the
    field (max_pages → --max-pages; a yes/no setting as --ocr/--no-ocr), with its help and bounds. Unset,
    an option leaves the library's default."""
    from typer._click import types
    from typer.core import TyperOption

    out = []
    for f in _reading_fields():
        about = f.metadata["option"]
        name, panel = _option_name(f.name), t("读取限制", "Reading limits") if about.limit else None
        if isinstance(f.default, bool):
            out.append(TyperOption(param_decls=[f"{name}/--no-{name[2:]}", f.name], is_flag=True,
                                   default=f.default, help=t(about.zh, about.en), rich_help_panel=panel))  # fmt: skip
            continue
        whole = "int" in str(f.type)
        bounds = types.IntRange if whole else types.FloatRange
        out.append(TyperOption(
            param_decls=[name, f.name], type=bounds(min=about.minimum, max=about.maximum), default=None,
            show_default=False, help=t(about.zh, about.en), rich_help_panel=panel,
            callback=None if whole else _finite,
        ))  # fmt: skip
    return out


class ReadingCommand(Command):
    """A command that reads documents: it offers every reading setting (`reading_params`) and hands them
    to its function as one `ReadOptions` (`reading`), instead of eight parameters of its own.

    The options are added when the command is used (parsed, or its help shown), not when the app is
    built: a library question does not load the readers to build the ingest command it does not run."""

    _with_reading = False

    def get_params(self, ctx: Any) -> Any:
        if not self._with_reading:
            self._with_reading = True
            added = reading_params()
            localise_params(added)
            self.params.extend(added)
        return super().get_params(ctx)

    def invoke(self, ctx: Any) -> Any:
        from cnbudget.read import ReadOptions

        given = {f.name: ctx.params.pop(f.name, None) for f in _reading_fields()}
        ctx.meta[READING] = ReadOptions(**{k: v for k, v in given.items() if v is not None})
        return super().invoke(ctx)


def reading(progress: PageProgress | None = None) -> ReadOptions:
    """The reading settings of the command being run (see `ReadingCommand`), with a page callback."""
    from dataclasses import replace

    from typer._click.globals import get_current_context

    options: ReadOptions = get_current_context().meta[READING]
    return replace(options, progress=progress) if progress is not None else options


def load_profile_option(path: Path | None) -> AuditProfile | None:
    """The review profile named by --profile, checked before any document is read."""
    if path is None:
        return None
    from cnbudget.audit.profile import load_profile

    return load_profile(path)
