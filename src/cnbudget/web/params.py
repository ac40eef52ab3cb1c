"""The values every route takes, validated before they reach the library: ids and pages within what the
database holds (a 2^63 id is a 422, not an overflow), years within the plausible, and the enums in either
language (``错误`` as well as ``error``), so that no odd value ends in a 500."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from cnbudget.web.errors import WebError

MAX_ID = 2**31 - 1
"""Ids are INTEGER columns: nothing above this exists on either backend."""

DocumentId = Annotated[int, Path(ge=1, le=MAX_ID, description="a document's id")]
FindingId = Annotated[int, Path(ge=1, le=MAX_ID, description="a finding's id")]
UploadId = Annotated[int, Path(ge=1, le=MAX_ID, description="an upload's id")]
UserId = Annotated[int, Path(ge=1, le=MAX_ID, description="a user's id")]
PageNumber = Annotated[int, Path(ge=1, le=100_000, description="a page of the PDF, from 1")]
Year = Annotated[int, Query(ge=1949, le=2200, description="a fiscal year, e.g. 2025")]

SEVERITIES = {"error": "error", "warning": "warning", "info": "info", "错误": "error", "警告": "warning",
              "提示": "info"}  # fmt: skip
KINDS = {"budget": "budget", "final": "final", "预算": "budget", "决算": "final"}


def one_of(value: str, choices: dict[str, str], field: str, words: str) -> str | None:
    """The canonical value of an enum given in English or Chinese ('' is none); 422 otherwise."""
    value = value.strip()
    if not value:
        return None
    if value not in choices:
        raise WebError(
            422, f"{words}“{value[:40]}”无效：可用 {'、'.join(k for k in choices if not k.isascii())}", field
        )
    return choices[value]


def year_of(value: str, field: str = "year") -> int | None:
    """A year typed in a form ('' is none); 422 with the reason otherwise."""
    value = value.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and 1949 <= int(value) <= 2200):
        raise WebError(422, f"年度“{value[:40]}”无效：应为 1949–2200 之间的四位数", field)
    return int(value)


def ids_of(value: str, field: str = "ids") -> list[int] | None:
    """Ids given as ``1,2,3`` (none: None); an id out of range is a 422."""
    out: list[int] = []
    for part in value.split(","):
        if not part:
            continue
        if not (part.isascii() and part.isdigit() and 0 < int(part) <= MAX_ID) or len(out) >= 500:
            raise WebError(422, f"编号“{part[:20]}”无效（最多 500 个，每个 1–{MAX_ID}）", field)
        out.append(int(part))
    return out or None
