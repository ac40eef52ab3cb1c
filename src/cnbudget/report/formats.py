"""The formats each artefact is written in: one table per artefact, from which the command line builds its
``--format`` choices and help, and the web its downloads (file suffix and media type).

A new output format of the audit is one entry here, naming its renderer, and the renderer in `report/audit/`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace

from cnbudget.domain.i18n import t


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    """The value of ``--format`` (and of a web download's ``format``)."""
    suffix: str
    media_type: str
    binary: bool
    """Written as bytes (a workbook): on the command line it needs ``-o FILE``."""
    zh: str
    en: str
    render: str = ""
    """The function that writes it, as ``module:function`` (imported when used); empty when the face draws
    it itself (text on a terminal). An audit format's function takes (reports, failures, info, suffix of
    the output file) and gives text or bytes (`report.audit.Renderer`)."""

    @property
    def help(self) -> str:
        return f"{self.name}{t('（', ' (')}{t(self.zh, self.en)}{t('）', ')')}"


_UTF8 = "; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TEXT = Format("text", ".txt", "text/plain" + _UTF8, False, "终端上的表格", "tables on the terminal")
JSON = Format("json", ".json", "application/json", False, "机器可读", "for programs")
CSV = Format("csv", ".csv", "text/csv" + _UTF8, False, "表格文本，Excel 可打开", "a table Excel opens")
HTML = Format("html", ".html", "text/html" + _UTF8, False, "单个独立网页文件", "one self-contained page")
XLSX = Format("xlsx", ".xlsx", XLSX_MEDIA, True, "Excel 工作簿，须 -o", "an Excel workbook; needs -o")


def _table(*entries: Format) -> dict[str, Format]:
    return {f.name: f for f in entries}


AUDIT = _table(
    TEXT,
    replace(JSON, render="cnbudget.report.audit.json:render"),
    replace(HTML, zh="审核报告：每条发现附表格摘录和页面截图", en="the report: each finding with its table excerpt and page image",
            render="cnbudget.report.audit.html:render"),
    replace(XLSX, zh="审核发现，每条一行，须 -o", en="the findings, one per row; needs -o",
            render="cnbudget.report.audit.xlsx:render"),
    Format("checklist", ".xlsx", XLSX_MEDIA, False, "预填的公开情况检查表：-o 以 .xlsx 结尾时为工作簿，否则为 HTML",
           "the review checklist (公开情况检查表) prefilled: a workbook when -o ends in .xlsx, else HTML",
           "cnbudget.report.audit.checklist:render"),
)  # fmt: skip
"""`cnbudget audit --format`."""

ANSWER = _table(
    TEXT,
    JSON,
    CSV,
    replace(XLSX, zh="带图表的工作簿，须 -o", en="a workbook with a chart; needs -o"),
    replace(HTML, zh="带图表的单个网页文件", en="one self-contained page with a chart"),
)  # fmt: skip
"""A library answer (`cnbudget compare`, `history`, `findings` … and the web's 下载)."""

DIFF = _table(TEXT, JSON, HTML)
"""`cnbudget diff --format`."""

CHECKLIST = _table(
    replace(XLSX, zh="工作簿", en="a workbook"),
    replace(HTML, zh="网页", en="a page"),
)
"""The review checklist of one document (the web's 检查表 download)."""


def renderer(entry: Format) -> Callable[..., str | bytes]:
    """The function that writes ``entry`` (imported now: a command loads only the renderer it uses)."""
    module, function = entry.render.split(":")
    found: Callable[..., str | bytes] = getattr(importlib.import_module(module), function)
    return found


def choices(table: dict[str, Format]) -> list[str]:
    return list(table)


def help_text(table: dict[str, Format]) -> str:
    """The help of a ``--format`` option: every format with what it gives. A space follows each Chinese
    separator: Rich breaks lines only at spaces, and would otherwise cut a format's name in two."""
    entries = t("； ", "; ").join(f.help for f in table.values())
    return t("输出格式： ", "Output format: ") + entries + t("。", ".")
