"""The catalogue of standard tables (data/tables.toml): ids, names, printed titles, column layouts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from cnbudget.domain.reference import data_toml
from cnbudget.domain.text import key


@dataclass(frozen=True, slots=True)
class TableSpec:
    id: str
    name: str
    titles: tuple[str, ...]
    kind: str
    """financial, performance or self_evaluation."""
    shape: str
    doc_kinds: tuple[str, ...]
    required: bool
    variants: tuple[tuple[str, ...], ...]

    @property
    def two_sided(self) -> bool:
        return self.shape == "two_sided"


@cache
def table_specs() -> dict[str, TableSpec]:
    specs = {}
    for table_id, entry in data_toml("tables.toml").items():
        specs[table_id] = TableSpec(
            id=table_id,
            name=entry["name"],
            titles=tuple(entry["titles"]),
            kind=entry["kind"],
            shape=entry.get("shape", ""),
            doc_kinds=tuple(entry.get("doc_kinds", ())),
            required=bool(entry.get("required", False)),
            variants=tuple(tuple(v) for v in entry.get("variants", ())),
        )
    return specs


def spec_for(table_id: str) -> TableSpec:
    """The spec of a table id; numbered performance tables (B12-2) share B12's."""
    specs = table_specs()
    if table_id in specs:
        return specs[table_id]
    return specs[table_id.split("-")[0]] if table_id.startswith("B12") else specs[table_id]


FINANCIAL_IDS = ("B01", "B02", "B03", "B04", "B05", "B05U", "B06", "B07", "B08", "B09", "B10",
                 "F01", "F02", "F03", "F04", "F05", "F06", "F07", "F08", "F09")  # fmt: skip


@cache
def _title_index() -> list[tuple[str, str]]:
    """(alias key, table id), longest alias first so that 财政拨款收支总表 wins over 收支总表."""
    pairs = [(key(title), spec.id) for spec in table_specs().values() for title in spec.titles]
    return sorted(pairs, key=lambda p: -len(p[0]))


_MARKER = re.compile(r"^表\s*(\d+)(?:\s*[-—–]\s*(\d+))?\s*[.．、:：]?\s*")
_YEAR = re.compile(r"^20\d{2}\s*(?:年度|年)?")
_GENERIC_PREFIX = ("部门", "单位", "区直", "市直", "省直")


@dataclass(frozen=True, slots=True)
class TitleMatch:
    table_id: str
    number: str
    """The printed "表 N" or "表 N-M" marker, if any ("12-1")."""


def table_marker(text: str) -> str | None:
    """For a line that is only a table marker ("表 1", "表5-1", "表 12-1."), its number."""
    s = text.strip()
    m = _MARKER.match(s)
    if m and not s[m.end() :].strip():
        return m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
    return None


def match_title(text: str, org_names: tuple[str, ...] = ()) -> TitleMatch | None:
    """The table a title line names, or None; rejects sentences that merely mention a table."""
    s = text.strip().lstrip("-•·*# ")
    if not s or len(s) > 80 or "表" not in s:
        return None  # every title and alias ends in 表
    number = ""
    m = _MARKER.match(s)
    if m:
        number = m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
        s = s[m.end() :]
    k = key(s)
    k = _YEAR.sub("", k)
    for name in sorted(org_names, key=len, reverse=True):
        nk = key(name)
        if nk and k.startswith(nk):
            k = k[len(nk) :]
            break
    k = _YEAR.sub("", k)
    forms = [k]
    for prefix in _GENERIC_PREFIX:
        if k.startswith(prefix) and len(k) > len(prefix) + 3:
            forms.append(k[len(prefix) :])
            break
    for form in forms:
        for alias, table_id in _title_index():
            if form == alias:
                return TitleMatch(table_id, number)
    for form in forms:
        for alias, table_id in _title_index():
            if len(alias) >= 3 and form.endswith(alias):
                head = form[: -len(alias)]
                if len(head) <= 40 and not re.search(r"[,。;:：；]|说明|情况", head):
                    return TitleMatch(table_id, number)
    return None


def table_name(table_id: str) -> str:
    """The table's Chinese name for messages ("支出总表"); the id itself when it is not in the catalogue."""
    try:
        return spec_for(table_id).name
    except KeyError:
        return table_id
