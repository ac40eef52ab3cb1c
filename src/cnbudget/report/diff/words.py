"""The words of a comparison, in the reviewer's language: places, names, signed changes, changed spans."""

from __future__ import annotations

import difflib
from decimal import Decimal
from typing import TYPE_CHECKING

from cnbudget.domain.i18n import t
from cnbudget.domain.text import at
from cnbudget.domain.text import place as text_place

if TYPE_CHECKING:
    from cnbudget.report.diff.compare import DocumentDiff, Place


def where(place: Place | None) -> str:
    """A place as the audit cites it: the page of a PDF (its extracted-text line is no place in the
    document), else the line of a text input."""
    if place is None or not place.line:
        return ""
    return at(place.line, place.page)


def moved(old: Place | None, new: Place | None) -> str:
    """Where a thing is in both versions: once when it did not move."""
    if old == new or not (old and old.line):
        return where(new)
    if not (new and new.line):
        return where(old)
    return f"{where(old)} → {where(new)}"


def table_name(table_id: str) -> str:
    from cnbudget.domain.catalog import table_name

    return table_name(table_id)


def wheres(places: list[Place]) -> str:
    pages = list(dict.fromkeys(p.page for p in places if p.page))
    lines = list(dict.fromkeys(p.line for p in places if p.line))
    return text_place(pages, [] if pages else lines, limit=3)


def blank(raw: str) -> str:
    return raw if raw else t("（空白）", "(blank)")


def signed(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:+,f}"


def row_name(code: str, label: str, side: str = "") -> str:
    return " ".join(p for p in (side, code, label) if p)


def summary_rows(diff: DocumentDiff) -> list[tuple[str, int]]:
    counts = diff.counts()
    return [
        (t("元数据变化", "metadata changed"), counts["metadata"]),
        (t("表格增删、单位与列变化", "tables added or removed, units and columns changed"), counts["tables"]),
        (t("行增删与行名变化", "rows added, removed or relabelled"), counts["rows"]),
        (t("单元格变化", "cells changed"), counts["cells"]),
        (t("文字变化", "narrative changes"), counts["text"]),
        (t("文字中数字变化", "narrative figures changed"), counts["claims"]),
        (t("审核问题已解决", "findings resolved"), counts["findings_resolved"]),
        (t("审核问题新出现", "findings new"), counts["findings_new"]),
        (t("审核问题仍存在", "findings still present"), counts["findings_present"]),
    ]


def spans(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The two texts cut into pieces, each marked True where it differs from the other text."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    a: list[tuple[str, bool]] = []
    b: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            a.append((old[i1:i2], tag != "equal"))
        if j2 > j1:
            b.append((new[j1:j2], tag != "equal"))
    return a, b


def plain(value: Decimal | int | None) -> str:
    if value is None:
        return t("（无）", "(none)")
    return f"{value:,}" if isinstance(value, Decimal) else str(value)
