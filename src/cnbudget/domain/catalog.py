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
    subjects: tuple[str, ...] = ()
    """What the table shows, in the words of table_words.toml (收支, 收入, 支出, 三公 …): a title that names
    one of them, with one of `funds`, names this table."""
    funds: tuple[str, ...] = ()
    """Whose money: 一般公共预算, 政府性基金, 国有资本经营, 财政拨款, 全部 (no fund named), * (any)."""
    by: str = ""
    """How its rows are classified when not by `codes`: unit (B05U), project (B10)."""

    @property
    def two_sided(self) -> bool:
        return self.shape == "two_sided"

    @property
    def rows_by(self) -> str:
        """function, economic, unit, project or "" — what a title's 按功能分类 / 分单位 … selects."""
        return self.codes or self.by


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
            regions=_with_cities(entry.get("regions", ())),
            unit=entry.get("unit", "万元"),
            required=tuple(entry.get("required", ())),
            optional=tuple(entry.get("optional", ())),
            titles={table: tuple(titles) for table, titles in entry.get("titles", {}).items()},
            sections={name: tuple(words) for name, words in entry.get("sections", {}).items()},
            generic=bool(entry.get("generic", False)),
        )
    return out


def _with_cities(regions: list[str]) -> tuple[str, ...]:
    """A template's regions, each province with its cities (data/regions.toml)."""
    cities = data_toml("regions.toml")["provinces"]
    out: list[str] = []
    for region in regions:
        out.extend([region, *cities.get(region, ())])
    return tuple(dict.fromkeys(out))


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
            subjects=tuple(entry.get("subjects", ())),
            funds=tuple(entry.get("funds", ())),
            by=entry.get("by", ""),
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
    return specs[table_id.split("-")[0]] if table_id.startswith(("B12", "X")) else specs[table_id]


def financial_ids() -> tuple[str, ...]:
    """Tables of amounts by row and column (their cells are the document's facts)."""
    return tuple(spec.id for spec in table_specs().values() if spec.kind == "financial")


FINANCIAL_IDS = ("B01", "B02", "B03", "B04", "B05", "B05U", "B06", "B07", "B08", "B09", "B10", "B13", "B15",
                 "B16", "F01", "F02", "F03", "F04", "F05", "F06", "F07", "F08", "F09")  # fmt: skip
"""The same as `financial_ids()`, spelled out for readers of the facts export (a test keeps them equal)."""


@dataclass(frozen=True, slots=True)
class Words:
    """One entry of table_words.toml: an id and the words that say it (`all` of them, or `any` one)."""

    id: str
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    other: bool = False
    """A subject outside the national standard (会议费明细表 …): a table of its own, not audited."""

    def said_by(self, text: str) -> bool:
        return all(w in text for w in self.all) and (not self.any or any(w in text for w in self.any))


@cache
def table_words() -> dict[str, tuple[Words, ...]]:
    """The vocabulary of table titles (data/table_words.toml): subjects, funds, by, kinds, each in order."""
    raw = data_toml("table_words.toml")
    return {
        group: tuple(
            Words(
                e["id"],
                tuple(key(w) for w in e.get("all", ())),
                tuple(key(w) for w in e.get("any", ())),
                bool(e.get("other", False)),
            )
            for e in entries
        )
        for group, entries in raw.items()
        if group not in ("sources", "columns")
    }


@dataclass(frozen=True, slots=True)
class ColumnWords:
    """The words of amount columns (table_words.toml [columns]), folded with `key`: for headers whose columns
    lost their places (page text), read as the words they hold."""

    ignore: tuple[str, ...]
    words: tuple[str, ...]
    measures: tuple[str, ...]
    parts: dict[str, tuple[str, ...]]


@cache
def column_words() -> ColumnWords:
    raw = data_toml("table_words.toml")["columns"]

    def longest_first(words: list[str]) -> tuple[str, ...]:
        return tuple(sorted((key(w) for w in words), key=len, reverse=True))

    return ColumnWords(
        ignore=longest_first(raw["ignore"]),
        words=longest_first(raw["words"]),
        measures=tuple(key(w) for w in raw["measures"]),
        parts={key(g): tuple(key(p) for p in parts) for g, parts in raw["parts"].items()},
    )


_FUND_WORDS = (
    ("一般公共预算", "一般公共预算"),
    ("公共财政预算", "一般公共预算"),
    ("政府性基金", "政府性基金"),
    ("国有资本经营", "国有资本经营"),
    ("财政拨款", "财政拨款"),
)
"""Words that name a fund, and the scope they give, tried in order (一般公共预算财政拨款 is 一般公共预算)."""


def fund_scope(words: str) -> str:
    """The fund that words name ("一般公共预算财政拨款支出" → 一般公共预算; "财政拨款收入" → 财政拨款), or ""."""
    text = compact(words)
    for word, scope in _FUND_WORDS:
        if word in text:
            return scope
    return ""


def income_source(label: str) -> tuple[str, str] | None:
    """(source, scope) of an income row: ("事业收入", "其他") for "五、事业收入资金", ("一般公共预算", "财政拨款")
    for "1.一般公共预算拨款"; None for a row that names no source (本年收入合计, 上年结转 …)."""
    text = key(label)
    for entry in data_toml("table_words.toml")["sources"]:
        if any(key(w) in text for w in entry["any"]):
            return entry["id"], entry["scope"]
    return None


def _first(group: str, text: str) -> Words | None:
    return next((w for w in table_words()[group] if w.said_by(text)), None)


_MARKER = re.compile(
    r"^(?:(?:附|部门公开|公开|预算|决算)?表\s*(?P<a>\d+|[一二三四五六七八九十]+)(?:\s*[-—–]\s*(?P<b>\d+))?"
    r"|(?:部门公开|公开|预算|决算)\s*(?P<c>\d+)\s*表)\s*[.．、:：]?\s*"
)
"""A table's number printed before or above its title: "表 5-1.", "表一", "公开01表：", "预算01表", "公开表一"."""
_ORDINAL_PREFIX = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[、.．](?!\d))\s*"
)
_YEAR = re.compile(r"^20\d{2}\s*(?:年度|年)?")
_QUALIFIER = re.compile(r"\([^()]*\)$")
"""A bracketed qualifier after the title: "(按功能分类科目)", "(一级项目)", "(不含上年结转)"."""
_FUND_NAMES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算")
_NOT_A_TITLE = re.compile(r"[，,。;；:：]|见|如下|下表|上表|本表|此表|该表")
"""A sentence that mentions a table ("详见下表", "收支情况如下表") names none."""
_BARE = re.compile(
    r"^(?:部门|单位|区直|市直|省直|市级部门)?(?:综合)?(?:预算|决算)?(?:公开)?报?表$|^(?:中?长期|年度)(?:绩效)?目标表$"
)
"""A heading over all the tables ("2026年部门预算表", "部门综合预算公开报表"), or over a section of a
performance form ("长期绩效目标表", "年度绩效目标表" inside a 项目申报表), not a table."""
MAX_TITLE = 48
"""Characters of a title once its number, year, organisation and qualifiers are taken off."""


@dataclass(frozen=True, slots=True)
class TitleMatch:
    table_id: str
    """The table the title names; the first of `candidates` when the rows must decide; "X" for a table
    outside the national standard."""
    number: str
    """The printed "表 N" or "表 N-M" marker, if any ("12-1")."""
    candidates: tuple[str, ...] = ()
    """Every table the title may name, in the catalogue's order (一般公共预算支出情况表: B05, B05U, B17, F05);
    the document's kind and the rows choose among them (`parse.recognise`)."""
    subject: str = ""
    funds: str = ""
    by: str = ""
    """The classification the title names (function, economic, unit) or ""."""
    kind: str = ""
    """budget or final when the title says 预算 or 决算 (fund names aside), else ""."""


def _marker_number(m: re.Match[str]) -> str:
    first = m.group("a") or m.group("c")
    if first is None:
        return ""
    number = str(int(first)) if first.isdigit() else str(chinese_number(first) or "")
    return number + (f"-{m.group('b')}" if m.group("b") else "")


def table_marker(text: str) -> str | None:
    """For a line that is only a table marker ("表 1", "表5-1", "表一", "公开01表", "预算01表"), its number."""
    s = compact(text)
    m = _MARKER.match(s)
    if m and not s[m.end() :].strip():
        return _marker_number(m)
    return None


def without_marker(text: str) -> str:
    """A title without the ordinal and the table number printed before it ("五、表5-1. 部门收支总表" →
    "部门收支总表"), compacted."""
    s = _ORDINAL_PREFIX.sub("", compact(text))
    m = _MARKER.match(s)
    return _ORDINAL_PREFIX.sub("", s[m.end() :]) if m else s


def tables_for(subject: str, funds: str, by: str = "", kind: str = "") -> tuple[str, ...]:
    """The catalogue's tables that show ``subject`` of ``funds`` (by ``by``, of ``kind``), in its order."""
    found = [
        spec
        for spec in table_specs().values()
        if subject in spec.subjects
        and ("*" in spec.funds or funds in spec.funds)
        and (not kind or kind in spec.doc_kinds)
    ]
    if by:
        narrowed = [spec for spec in found if spec.rows_by == by]
        found = narrowed or found
    return tuple(spec.id for spec in found)


def match_title(text: str, org_names: tuple[str, ...] = ()) -> TitleMatch | None:
    """The table a title line names, read for what it says (subject, funds, classification, kind) against
    the national standard; None for a line that is no table's title (a sentence that mentions a table, a
    heading over all the tables)."""
    s = text.strip().lstrip("-•·*# ")
    if not s or len(s) > 80 or "表" not in s:
        return None  # every title ends in 表
    number = ""
    s = _ORDINAL_PREFIX.sub("", s)  # "一、2017年度江苏省高级人民法院部门收支预算总表"
    m = _MARKER.match(compact(s))
    if m:
        number = _marker_number(m)
        s = compact(s)[m.end() :]
        s = _ORDINAL_PREFIX.sub("", s)
    k = _YEAR.sub("", key(s))
    for name in sorted(org_names, key=len, reverse=True):
        nk = key(name)
        if nk and k.startswith(nk):
            k = _YEAR.sub("", k[len(nk) :])
            break
    body = k
    while _QUALIFIER.search(body):
        body = _QUALIFIER.sub("", body)
    if (
        not body.endswith("表")
        or len(body) > MAX_TITLE
        or _NOT_A_TITLE.search(
            body.replace(",", "、")
        )  # key() folds 、 to ",": a list of items is no sentence
        or _BARE.match(body)
    ):
        return None
    subject = _first("subjects", k)
    if subject is None:
        return None
    funds = _first("funds", k)
    by = _first("by", k)
    kind = _first("kinds", _FUND_NAMES.sub("", k))
    fund_id = funds.id if funds else "全部"
    candidates = (
        () if subject.other else tables_for(subject.id, fund_id, by.id if by else "", kind.id if kind else "")
    )
    return TitleMatch(
        table_id=candidates[0] if candidates else "X",
        number=number,
        candidates=candidates or ("X",),
        subject=subject.id,
        funds=fund_id,
        by=by.id if by else "",
        kind=kind.id if kind else "",
    )


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
