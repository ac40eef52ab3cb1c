"""What every table parser shares: captions, notes, and the finishing of rows."""

from __future__ import annotations

import re

from cnbudget.domain.codes import code_level
from cnbudget.domain.text import compact
from cnbudget.model import Note, Row, Table
from cnbudget.read import Line

UNIT = re.compile(r"(?:金额)?单位\s*[：:]\s*(万元|元|千元|亿元)")
_NOTE = re.compile(r"^(?:注|备注|说明|附注)\s*(?:\d+\s*)?[：:.．、]?")
_CAPTION = re.compile(
    r"^(?:部门|单位|部门/单位|单位名称|编制单位|填报单位|预算单位)\s*[：:]|^公开\s*\d+\s*表$|^20\d{2}\s*年度?$|^填报日期|"
    r"^(?:金额)?单位\s*[：:]"
)
TOTAL_LABELS = ("合计", "总计", "小计")


def caption_unit(lines: list[Line]) -> str | None:
    for line in lines:
        m = UNIT.search(line.text)
        if m:
            return m.group(1)
    return None


def is_caption(text: str) -> bool:
    return bool(_CAPTION.match(compact(text)))


def is_note(text: str) -> bool:
    return bool(_NOTE.match(text.strip())) and len(compact(text)) > 3


def add_note(table: Table, line: Line) -> None:
    table.notes.append(Note(text=line.stripped, line=line.number))


def finish_row(row: Row) -> Row:
    if row.code:
        row.level = code_level(row.code)
    label = row.label
    if any(t in label for t in TOTAL_LABELS) and not row.code or label in ("合计", "总计"):
        row.kind = "total"
    return row
