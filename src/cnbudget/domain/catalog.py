"""The catalogue of standard tables (data/tables.toml), of templates (data/templates.toml) and of the
review checklists filled for them (data/checklists.toml).

A table spec gives the canonical id, the name, the printed titles and the column layouts seen; a template
says which tables a region's documents of one kind contain, in which unit, with which narrative sections.
Both are data: a new title, layout or template is an entry in those files, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

from cnbudget.domain.reference import data_toml
from cnbudget.domain.text import chinese_number, compact, key
from cnbudget.domain.vocabulary import SCOPES, DocumentKind, Scope, TableKind


@dataclass(frozen=True, slots=True)
class TableSpec:
    id: str
    name: str
    titles: tuple[str, ...]
    """Every printed title known for the table: the catalogue's and the templates'."""
    kind: TableKind
    """financial (rows of amounts), listing (amounts in a tree of text, not audited), performance, self_evaluation."""
    shape: str
    doc_kinds: tuple[DocumentKind, ...]
    variants: tuple[tuple[str, ...], ...]
    codes: str = ""
    """The classification its rows are coded by: function, economic, or "" (none)."""

    @property
    def two_sided(self) -> bool:
        return self.shape == "two_sided"


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    id: str
    name: str
    kind: DocumentKind
    scopes: tuple[Scope, ...]
    regions: tuple[str, ...]
    unit: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    titles: dict[str, tuple[str, ...]]
    """Table id → the titles this template prints."""
    sections: dict[str, tuple[str, ...]]
    """Narrative section → words of its printed heading."""
    generic: bool = False
    """The fallback for its kind when no regional template matches."""

    @property
    def tables(self) -> tuple[str, ...]:
        return self.required + tuple(t for t in self.optional if t not in self.required)


@cache
def templates() -> dict[str, TemplateSpec]:
    out = {}
    for template_id, entry in data_toml("templates.toml").items():
        out[template_id] = TemplateSpec(
            id=template_id,
            name=entry["name"],
            kind=entry["kind"],
            scopes=tuple(entry.get("scopes", SCOPES)),
            regions=tuple(entry.get("regions", ())),
            unit=entry.get("unit", "万元"),
            required=tuple(entry.get("required", ())),
            optional=tuple(entry.get("optional", ())),
            titles={table: tuple(titles) for table, titles in entry.get("titles", {}).items()},
            sections={name: tuple(words) for name, words in entry.get("sections", {}).items()},
            generic=bool(entry.get("generic", False)),
        )
    return out


def template_of(meta: object) -> TemplateSpec:
    """The template a parsed document names (``meta.template``), else the generic one of its kind."""
    found = templates().get(getattr(meta, "template", "") or "")
    if found is not None:
        return found
    kind = getattr(meta, "kind", "") or "budget"
    return next(t for t in templates().values() if t.generic and t.kind == kind)


@cache
def table_specs() -> dict[str, TableSpec]:
    extra: dict[str, list[str]] = {}
    for template in templates().values():
        for table_id, titles in template.titles.items():
            extra.setdefault(table_id, []).extend(titles)
    specs = {}
    for table_id, entry in data_toml("tables.toml").items():
        known = tuple(dict.fromkeys([*entry["titles"], *extra.get(table_id, [])]))
        specs[table_id] = TableSpec(
            id=table_id,
            name=entry["name"],
            titles=known,
            kind=entry["kind"],
            shape=entry.get("shape", ""),
            doc_kinds=tuple(entry.get("doc_kinds", ())),
            variants=tuple(tuple(v) for v in entry.get("variants", ())),
            codes=entry.get("codes", ""),
        )
    return specs


@cache
def coded_by(family: str) -> frozenset[str]:
    """The ids of the tables whose rows are coded by that classification (function or economic)."""
    return frozenset(t.id for t in table_specs().values() if t.codes == family)


def spec_for(table_id: str) -> TableSpec:
    """The spec of a table id; numbered performance tables (B12-2) share B12's."""
    specs = table_specs()
    if table_id in specs:
        return specs[table_id]
    return specs[table_id.split("-")[0]] if table_id.startswith("B12") else specs[table_id]


def financial_ids() -> tuple[str, ...]:
    """Tables of amounts by row and column (their cells are the document's facts)."""
    return tuple(spec.id for spec in table_specs().values() if spec.kind == "financial")


FINANCIAL_IDS = ("B01", "B02", "B03", "B04", "B05", "B05U", "B06", "B07", "B08", "B09", "B10", "B13", "B15",
                 "B16", "F01", "F02", "F03", "F04", "F05", "F06", "F07", "F08", "F09")  # fmt: skip
"""The same as `financial_ids()`, spelled out for readers of the facts export (a test keeps them equal)."""


@cache
def _title_index() -> list[tuple[str, str]]:
    """(alias key, table id), longest alias first so that 财政拨款收支总表 wins over 收支总表."""
    pairs = [(key(title), spec.id) for spec in table_specs().values() for title in spec.titles]
    return sorted(pairs, key=lambda p: -len(p[0]))


_MARKER = re.compile(
    r"^(?:表\s*(\d+)(?:\s*[-—–]\s*(\d+))?|公开\s*(\d+)\s*表|公开表\s*([一二三四五六七八九十]+))\s*[.．、:：]?\s*"
)
"""A table's number printed before or above its title: "表 5-1.", "公开01表：", "公开表一"."""
_ORDINAL_PREFIX = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*")
_YEAR = re.compile(r"^20\d{2}\s*(?:年度|年)?")
_GENERIC_PREFIX = ("部门", "单位", "区直", "市直", "省直")


@dataclass(frozen=True, slots=True)
class TitleMatch:
    table_id: str
    number: str
    """The printed "表 N" or "表 N-M" marker, if any ("12-1")."""


def _marker_number(m: re.Match[str]) -> str:
    if m.group(1):
        return m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
    if m.group(3):
        return str(int(m.group(3)))
    return str(chinese_number(m.group(4)) or "")


def table_marker(text: str) -> str | None:
    """For a line that is only a table marker ("表 1", "表5-1", "表 12-1.", "公开01表", "公开表一"), its number."""
    s = compact(text)
    m = _MARKER.match(s)
    if m and not s[m.end() :].strip():
        return _marker_number(m)
    return None


def match_title(text: str, org_names: tuple[str, ...] = ()) -> TitleMatch | None:
    """The table a title line names, or None; rejects sentences that merely mention a table."""
    s = text.strip().lstrip("-•·*# ")
    if not s or len(s) > 80 or "表" not in s:
        return None  # every title and alias ends in 表
    number = ""
    s = _ORDINAL_PREFIX.sub("", s)  # "一、2017年度江苏省高级人民法院部门收支预算总表"
    m = _MARKER.match(s)
    if m:
        number = _marker_number(m)
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


ChecklistPart = Literal["manual", "cover", "contents", "section", "narrative", "table", "tables"]
CHECKLIST_PARTS: tuple[ChecklistPart, ...] = get_args(ChecklistPart)


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """One row of a review checklist: the part of the document it is about (see checklists.toml)."""

    item: str
    part: ChecklistPart
    group: str = ""
    headings: tuple[str, ...] = ()
    table: str = ""
    judge: Literal["full", "presence"] = "full"
    required: bool = True


@dataclass(frozen=True, slots=True)
class ChecklistSpec:
    id: str
    templates: tuple[str, ...]
    kind: str
    title: str
    header: str
    org_label: str
    rows: tuple[ChecklistRow, ...]


@cache
def checklists() -> dict[str, ChecklistSpec]:
    """The review checklists of checklists.toml, checked when loaded (a bad entry is a data error)."""
    out = {}
    for checklist_id, entry in data_toml("checklists.toml").items():
        rows = []
        for raw in entry["rows"]:
            part = raw["part"]
            if part not in CHECKLIST_PARTS:
                raise ValueError(f"checklists.toml [{checklist_id}]: unknown part {part!r}")
            if part == "table" and raw.get("table") not in table_specs():
                raise ValueError(f"checklists.toml [{checklist_id}]: unknown table {raw.get('table')!r}")
            rows.append(
                ChecklistRow(
                    item=raw["item"],
                    part=part,
                    group=raw.get("group", ""),
                    headings=tuple(raw.get("headings", ())),
                    table=raw.get("table", ""),
                    judge=raw.get("judge", "full"),
                    required=bool(raw.get("required", True)),
                )
            )
        out[checklist_id] = ChecklistSpec(
            id=checklist_id,
            templates=tuple(entry["templates"]),
            kind=entry.get("kind", ""),
            title=entry["title"],
            header=entry["header"],
            org_label=entry["org_label"],
            rows=tuple(rows),
        )
    return out


def checklist_for(template_id: str, kind: str) -> ChecklistSpec:
    """The checklist of a document's template, else the one for any template of its kind."""
    specs = checklists().values()
    own = next((c for c in specs if template_id in c.templates), None)
    if own is not None:
        return own
    return next(c for c in specs if "*" in c.templates and c.kind in ("", kind or "budget"))


@dataclass(frozen=True, slots=True)
class Source:
    """A provision a rule rests on (rule_sources.toml), cited the way a review opinion quotes it."""

    id: str
    short: str
    title: str
    text: str
    quoted: bool = False


@cache
def sources() -> dict[str, Source]:
    raw = data_toml("rule_sources.toml")
    return {
        sid: Source(sid, entry["short"], entry["title"], entry["text"], bool(entry.get("quoted", False)))
        for sid, entry in raw["sources"].items()
    }


@cache
def rule_sources() -> dict[str, tuple[Source, ...]]:
    """Rule id → the provisions it rests on, most specific first (an unknown source id is a data error)."""
    known = sources()
    cited: dict[str, tuple[Source, ...]] = {}
    for rule_id, ids in data_toml("rule_sources.toml")["rules"].items():
        missing = [sid for sid in ids if sid not in known]
        if missing:
            raise ValueError(f"rule_sources.toml: {rule_id} cites unknown source {', '.join(missing)}")
        cited[rule_id] = tuple(known[sid] for sid in ids)
    return cited
