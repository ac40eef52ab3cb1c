"""A manifest: the documents of a batch listed in a CSV file, with what the person running it knows about
each (organisation, year, budget or final accounts, department or unit).

    path,organisation,year,kind,scope
    2024/教育局.pdf,武汉市教育局,2024,决算,部门
    scans/无年份.pdf,,2023,预算,

The header names the columns, in English or Chinese (文件, 单位, 年度, 类型, 范围); only ``path`` is required,
and a blank cell says nothing. A path is taken relative to the manifest's folder. The file is UTF-8 (with
or without the BOM Excel writes) or GB18030. A manifest that cannot be used is refused whole, naming the
file and the line, before any document is read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.library.processing import Given
from cnbudget.read.remote import is_url

_COLUMNS = {
    "path": "path", "文件": "path", "路径": "path",
    "organisation": "organisation", "organization": "organisation", "单位": "organisation", "部门": "organisation",
    "year": "year", "fiscal_year": "year", "年度": "year", "年份": "year",
    "kind": "kind", "类型": "kind",
    "scope": "scope", "范围": "scope",
}  # fmt: skip
_KINDS = {"budget": "budget", "预算": "budget", "final": "final", "决算": "final"}
_SCOPES = {"department": "department", "部门": "department", "unit": "unit", "单位": "unit"}
MAX_ROWS = 1_000_000


@dataclass(frozen=True, slots=True)
class Entry:
    path: Path | str
    """A file (relative paths taken from the manifest's folder), or a URL as written (`read.remote`)."""
    given: Given


def read_manifest(manifest: Path) -> list[Entry]:
    """The manifest's entries, in its order (raises `InputError` naming the file and the line)."""
    try:
        data = manifest.read_bytes()
    except OSError as exc:
        raise InputError(t(f"无法读取清单：{exc.strerror or exc}", f"cannot read the manifest: {exc.strerror or exc}"),
                         str(manifest)) from exc  # fmt: skip
    rows = csv.reader(io.StringIO(_decode(data, manifest), newline=""))
    header = next(rows, None)
    columns = [_COLUMNS.get(h.strip().lower()) for h in header or []]
    if "path" not in columns:
        raise InputError(t("清单的第一行须是列名，且含 path（或“文件”）列",
                           "the manifest's first line must name its columns, one of them path"), str(manifest), line=1)  # fmt: skip
    entries = []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise InputError(
                t(f"清单超过 {MAX_ROWS:,} 行", f"more than {MAX_ROWS:,} rows"), str(manifest), line=number
            )
        cells = {c: v.strip() for c, v in zip(columns, row, strict=False) if c}
        if not any(cells.values()):
            continue  # a blank line
        entries.append(_entry(cells, manifest, number))
    return entries


def _decode(data: bytes, manifest: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        t("清单不是 UTF-8 或 GB18030 文本", "the manifest is not UTF-8 or GB18030 text"), str(manifest)
    )


def _entry(cells: dict[str, str], manifest: Path, line: int) -> Entry:
    def refuse(zh: str, en: str) -> InputError:
        return InputError(t(zh, en), str(manifest), line=line)

    if not cells.get("path"):
        raise refuse("缺少文件路径", "no path")
    year = cells.get("year", "")
    if year and not (year.isascii() and year.isdigit() and 1949 <= int(year) <= 2200):
        raise refuse(
            f"年度“{year}”无效（应为 1949–2200 的四位数）", f"year “{year}” is not a year (1949–2200)"
        )
    kind = cells.get("kind", "")
    if kind and kind.lower() not in _KINDS:
        raise refuse(f"类型“{kind}”无效（预算或决算）", f"kind “{kind}” is not budget or final (预算/决算)")
    scope = cells.get("scope", "")
    if scope and scope.lower() not in _SCOPES:
        raise refuse(
            f"范围“{scope}”无效（部门或单位）", f"scope “{scope}” is not department or unit (部门/单位)"
        )
    organisation = "".join(cells.get("organisation", "").split())
    if len(organisation) > 200:
        raise refuse("单位名称超过 200 个字", "the organisation's name is longer than 200 characters")
    given = Given(
        organisation=organisation,
        fiscal_year=int(year) if year else None,
        kind=_KINDS[kind.lower()] if kind else "",  # type: ignore[arg-type]
        scope=_SCOPES[scope.lower()] if scope else "",  # type: ignore[arg-type]
    )
    named = cells["path"]
    return Entry(named if is_url(named) else manifest.parent / named, given)
