"""What changed between two versions of one document: metadata, tables, cells, narrative, audit findings.

Departments republish corrected disclosures; a reviewer wants to see exactly what was corrected and
whether the errors flagged in the first version are gone. `diff_reports` compares two parsed and audited
documents and returns a `DocumentDiff`: plain data that the text, JSON and HTML renderers
(`report.diff_render`) print.

How things are matched, so that a moved line or a re-exported file is not reported as a change:

* **tables** by their standard id (B01…B12-n, F01…); performance tables (B11, B12-n) too;
* **rows** by side and code (the resolved full code), else by the label without its ordinal and with
  full-width punctuation folded; a code or label printed twice is matched by its occurrence. Rows left
  over on both sides with the same code and similar labels are one row whose label changed; a row whose
  cells are all blank is layout (spreadsheet exports leave out an empty table's 合计 line), not reported
  as added or removed;
* **cells** by column (the printed header path). Amounts are compared as `Decimal` in the finer of the
  two tables' money units (元 rather than 万元), so a unit change alone is no change of figures; a blank
  cell is not a zero (blank → 0.00 is a change). When the units differ, a difference within the rounding
  of the coarser figure (half of its last printed digit) is that rounding, not a change;
* **narrative** by section heading, then sentence by sentence (difflib over the sentences with
  whitespace removed); a numeric claim (`NarrativeClaim`) in a changed sentence is matched by its
  subject, and each changed figure (amount, share, change, completion) is reported with both values;
* **findings** by rule id and place (table, row, column; for the narrative its section and sentence),
  never by message text: a finding whose sentence was edited but whose error remains is still present.

Lines and pages are never compared (everything moves when a line is added); each change carries the
line and page of both versions.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, TypeVar

from cnbudget.audit import AuditReport, Finding
from cnbudget.domain.numbers import YUAN_PER_UNIT, amount_text, convert
from cnbudget.domain.text import compact, key, plain_label, similarity
from cnbudget.domain.vocabulary import Severity
from cnbudget.model import Document, NarrativeClaim, NarrativeSection, PerformanceTable, Table

Change = Literal["added", "removed", "changed"]
FindingStatus = Literal["resolved", "new", "present"]

METADATA_FIELDS = (
    "title",
    "organisation",
    "department",
    "department_code",
    "fiscal_year",
    "kind",
    "scope",
    "level",
    "amount_unit",
    "unit_names",
    "unit_codes",
    "dates",
)
"""The metadata compared (the file's path, hash and format are what differs by definition, not compared)."""

CLAIM_FIELDS = (
    "amount",
    "share_pct",
    "change_amount",
    "change_pct",
    "completion_pct",
    "year",
    "compared_year",
)
"""The figures of a narrative claim compared; amount and change_amount are money (converted by unit)."""


@dataclass(slots=True, frozen=True)
class Place:
    """Where something is printed in one version: the line, and for PDFs the page."""

    line: int = 0
    page: int | None = None


@dataclass(slots=True)
class DocumentRef:
    path: str
    sha256: str
    title: str
    source_format: str


@dataclass(slots=True)
class FieldChange:
    """A metadata field that differs: values as text (lists joined by "、")."""

    field: str
    old: str
    new: str


@dataclass(slots=True)
class TableChange:
    """A table added or removed, its money unit changed, or one of its columns added or removed."""

    table: str
    name: str
    change: Literal["added", "removed", "unit", "column_added", "column_removed"]
    detail: str = ""
    """For ``unit``: "万元 → 元"; for columns: the column's header path; else the printed title."""
    old: Place | None = None
    new: Place | None = None


@dataclass(slots=True)
class RowChange:
    """A row added or removed, or a row (matched by its code) whose printed label changed."""

    table: str
    side: str
    code: str
    label: str
    change: Change
    old_label: str = ""
    new_label: str = ""
    cells: list[tuple[str, str]] = field(default_factory=list)
    """For added and removed rows: (column, printed value) of the row's non-blank cells."""
    old: Place | None = None
    new: Place | None = None


@dataclass(slots=True)
class CellChange:
    """One cell whose printed value differs: blank → figure, figure → blank, or another figure or text."""

    table: str
    side: str
    row_code: str
    row_label: str
    column: str
    old_raw: str
    """As printed; "" for a blank cell."""
    new_raw: str
    old_value: Decimal | None
    """The amount in `unit` (None for a blank or a text cell)."""
    new_value: Decimal | None
    unit: str
    """The common money unit of the two values (the finer of the two tables' units); "" for text cells."""
    old: Place
    new: Place

    @property
    def difference(self) -> Decimal | None:
        """New minus old, when both are amounts."""
        if self.old_value is None or self.new_value is None:
            return None
        return self.new_value - self.old_value


@dataclass(slots=True)
class TextChange:
    """Consecutive sentences of a narrative section removed, added or rewritten (or a whole section)."""

    section: str
    change: Change
    old_text: str
    new_text: str
    old: Place | None = None
    new: Place | None = None
    whole_section: bool = False


@dataclass(slots=True)
class ClaimChange:
    """A figure of the narrative that differs between the two versions of a sentence."""

    section: str
    subject: str
    figure: str
    """One of `CLAIM_FIELDS`."""
    old_value: Decimal | int | None
    new_value: Decimal | int | None
    unit: str
    """万元/元 for money (both values in it), % for shares and rates, "" for years."""
    old_raw: str
    new_raw: str
    old: Place
    new: Place

    @property
    def difference(self) -> Decimal | None:
        if self.old_value is None or self.new_value is None or self.figure in ("year", "compared_year"):
            return None
        return Decimal(self.new_value) - Decimal(self.old_value)


@dataclass(slots=True)
class FindingChange:
    """A finding of the old version that is gone, one that is new, or one present in both."""

    status: FindingStatus
    rule_id: str
    severity: Severity
    table: str
    row_code: str
    row_label: str
    column: str
    old_message: str = ""
    new_message: str = ""
    old: list[Place] = field(default_factory=list)
    new: list[Place] = field(default_factory=list)


@dataclass(slots=True)
class DocumentDiff:
    old: DocumentRef
    new: DocumentRef
    metadata: list[FieldChange] = field(default_factory=list)
    tables: list[TableChange] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    cells: list[CellChange] = field(default_factory=list)
    text: list[TextChange] = field(default_factory=list)
    claims: list[ClaimChange] = field(default_factory=list)
    findings: list[FindingChange] = field(default_factory=list)

    def findings_with(self, status: FindingStatus) -> list[FindingChange]:
        return [f for f in self.findings if f.status == status]

    @property
    def changed(self) -> bool:
        """Anything differs (findings present in both versions are not a change)."""
        return bool(
            self.metadata or self.tables or self.rows or self.cells or self.text or self.claims
            or any(f.status != "present" for f in self.findings)
        )  # fmt: skip

    def counts(self) -> dict[str, int]:
        return {
            "metadata": len(self.metadata),
            "tables": len(self.tables),
            "rows": len(self.rows),
            "cells": len(self.cells),
            "text": len(self.text),
            "claims": len(self.claims),
            "findings_resolved": len(self.findings_with("resolved")),
            "findings_new": len(self.findings_with("new")),
            "findings_present": len(self.findings_with("present")),
        }


def diff_reports(old: AuditReport, new: AuditReport) -> DocumentDiff:
    """Everything that differs between two audited versions of a document (see the module's docstring)."""
    a, b = old.document, new.document
    out = DocumentDiff(_ref(a), _ref(b))
    out.metadata = _metadata(a, b)
    _tables(a, b, out)
    _narrative(a, b, out)
    out.findings = _findings(old, new)
    return out


def _ref(doc: Document) -> DocumentRef:
    meta = doc.metadata
    return DocumentRef(meta.source_path, meta.source_sha256, meta.title, meta.source_format)


def _metadata(a: Document, b: Document) -> list[FieldChange]:
    out = []
    for name in METADATA_FIELDS:
        old, new = _field_text(getattr(a.metadata, name)), _field_text(getattr(b.metadata, name))
        if old != new:
            out.append(FieldChange(name, old, new))
    return out


def _field_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


# ---- matching helpers -----------------------------------------------------------------------------------
T = TypeVar("T")


def _keyed(items: Iterable[T], key_of: Callable[[T], tuple[str, ...]]) -> dict[tuple[str, ...], T]:
    """Items by key, a key seen again numbered by its occurrence (the second row coded 201 …)."""
    seen: dict[tuple[str, ...], int] = defaultdict(int)
    out: dict[tuple[str, ...], T] = {}
    for item in items:
        k = key_of(item)
        out[(*k, str(seen[k]))] = item
        seen[k] += 1
    return out


# ---- tables -----------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Cell:
    raw: str
    value: Decimal | None
    place: Place


@dataclass(slots=True)
class _Row:
    side: str
    code: str
    label: str
    place: Place
    cells: dict[str, _Cell]

    @property
    def match_key(self) -> tuple[str, ...]:
        return (self.side, self.code, "" if self.code else key(plain_label(self.label)))


@dataclass(slots=True)
class _Grid:
    """A financial or performance table as rows of cells by column: what the diff compares."""

    id: str
    title: str
    unit: str
    columns: list[str]
    rows: list[_Row]
    place: Place


def _financial_grid(table: Table) -> _Grid:
    rows = []
    for row in table.rows:
        cells = {c.column: _Cell(c.raw, c.value, Place(c.line, c.page)) for c in row.cells}
        for column, text in row.texts.items():
            cells[column] = _Cell(text, None, Place(row.line, row.page))
        rows.append(_Row(row.side or "", row.full_code, row.label, Place(row.line, row.page), cells))
    text_columns = [c.key for c in table.columns if c.role == "text"]
    columns = list(dict.fromkeys([*table.value_keys(), *text_columns]))
    return _Grid(table.id, table.title, table.amount_unit, columns, rows, Place(table.title_line, table.page))


_INDICATOR = "指标值"
_FUND = "金额"


def _performance_grid(perf: PerformanceTable) -> _Grid:
    """Fund sources (label → amount) and indicators (一级/二级/三级 → 指标值) as rows of one grid."""
    rows = []
    for fund in perf.funds:
        cells = {_FUND: _Cell(fund.raw, fund.amount, Place(fund.line))}
        rows.append(_Row("资金", "", fund.label, Place(fund.line), cells))
    for ind in perf.indicators:
        label = "/".join(p for p in (ind.level1, ind.level2, ind.name) if p)
        raw = ind.target.raw if ind.target is not None else ""
        rows.append(_Row("指标", "", label, Place(ind.line), {_INDICATOR: _Cell(raw, None, Place(ind.line))}))
    title = perf.title + (f"（{perf.project_name}）" if perf.project_name else "")
    place = Place(perf.title_line)
    return _Grid(perf.id, title, perf.amount_unit, [_FUND, _INDICATOR], rows, place)


def _grids(doc: Document) -> dict[str, _Grid]:
    grids: dict[str, _Grid] = {}
    for table in doc.tables:  # a table printed twice: the first, as Document.table() finds it
        grids.setdefault(table.id, _financial_grid(table))
    for perf in doc.performance:
        grids.setdefault(perf.id, _performance_grid(perf))
    return grids


def table_name(table_id: str) -> str:
    from cnbudget.domain.catalog import table_name

    return table_name(table_id)


def _tables(a: Document, b: Document, out: DocumentDiff) -> None:
    old, new = _grids(a), _grids(b)
    for tid, grid in old.items():
        if tid not in new:
            out.tables.append(TableChange(tid, table_name(tid), "removed", grid.title, old=grid.place))
    for tid, grid in new.items():
        if tid not in old:
            out.tables.append(TableChange(tid, table_name(tid), "added", grid.title, new=grid.place))
    for tid, g_old in old.items():
        g_new = new.get(tid)
        if g_new is not None:
            _grid(g_old, g_new, out)


def _grid(a: _Grid, b: _Grid, out: DocumentDiff) -> None:
    name = table_name(a.id)
    if a.unit != b.unit:
        out.tables.append(TableChange(a.id, name, "unit", f"{a.unit} → {b.unit}", a.place, b.place))
    used_a = {c for r in a.rows for c in r.cells}
    used_b = {c for r in b.rows for c in r.cells}
    for column in a.columns:
        if column not in b.columns and column in used_a:
            out.tables.append(TableChange(a.id, name, "column_removed", column, a.place, b.place))
    for column in b.columns:
        if column not in a.columns and column in used_b:
            out.tables.append(TableChange(a.id, name, "column_added", column, a.place, b.place))
    common = [c for c in a.columns if c in b.columns]
    common += sorted((used_a & used_b) - set(common))  # cells under a column the header did not name
    unit = _finer(a.unit, b.unit)
    old_rows, new_rows = _keyed(a.rows, _row_key), _keyed(b.rows, _row_key)
    pairs = [(old_rows[k], new_rows[k]) for k in old_rows if k in new_rows]
    only_old = [r for k, r in old_rows.items() if k not in new_rows]
    only_new = [r for k, r in new_rows.items() if k not in old_rows]
    pairs += _pair_relabelled(only_old, only_new)
    paired_old = {id(p[0]) for p in pairs}
    paired_new = {id(p[1]) for p in pairs}
    pairs.sort(key=lambda p: p[1].place.line)
    for ro, rn in pairs:
        if ro.label != rn.label:
            out.rows.append(
                RowChange(
                    a.id,
                    rn.side,
                    rn.code,
                    rn.label,
                    "changed",
                    ro.label,
                    rn.label,
                    old=ro.place,
                    new=rn.place,
                )
            )
        for column in common:
            change = _cell(a, b, ro, rn, column, unit)
            if change is not None:
                out.cells.append(change)
    for row in only_old:
        if id(row) not in paired_old and _printed(row):
            out.rows.append(_row_change(a.id, row, "removed", common or a.columns))
    for row in only_new:
        if id(row) not in paired_new and _printed(row):
            out.rows.append(_row_change(a.id, row, "added", common or b.columns))


def _printed(row: _Row) -> bool:
    """A row with something in its cells: a label over blank cells (an empty 合计 line under an empty table,
    which a spreadsheet export leaves out) is layout, not content."""
    return any(c.raw.strip() for c in row.cells.values())


def _row_key(row: _Row) -> tuple[str, ...]:
    return row.match_key


def _pair_relabelled(only_old: list[_Row], only_new: list[_Row]) -> list[tuple[_Row, _Row]]:
    """Rows left over on both sides that are one row with its label changed: same side and code (blank
    included), labels at least half alike; the most alike first."""
    candidates = []
    for i, ro in enumerate(only_old):
        for j, rn in enumerate(only_new):
            if ro.side == rn.side and ro.code == rn.code:
                score = similarity(key(plain_label(ro.label)), key(plain_label(rn.label)))
                if score >= 0.5:
                    candidates.append((-score, i, j))
    pairs = []
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for _, i, j in sorted(candidates):
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((only_old[i], only_new[j]))
    return pairs


def _row_change(table: str, row: _Row, change: Change, columns: list[str]) -> RowChange:
    cells = [(c, row.cells[c].raw) for c in columns if c in row.cells and row.cells[c].raw.strip()]
    if change == "removed":
        return RowChange(table, row.side, row.code, row.label, change, cells=cells, old=row.place)
    return RowChange(table, row.side, row.code, row.label, change, cells=cells, new=row.place)


def _finer(a: str, b: str) -> str:
    """The finer of two money units (元 before 万元), so that converting into it is exact."""
    return min((a, b), key=lambda u: YUAN_PER_UNIT.get(u, Decimal(1)))


def _cell(a: _Grid, b: _Grid, ro: _Row, rn: _Row, column: str, unit: str) -> CellChange | None:
    co, cn = ro.cells.get(column), rn.cells.get(column)
    raw_o, raw_n = (co.raw.strip() if co else ""), (cn.raw.strip() if cn else "")
    vo, vn = (co.value if co else None), (cn.value if cn else None)
    if vo is not None and vn is not None:
        vo, vn = convert(vo, a.unit, unit), convert(vn, b.unit, unit)
        if vo == vn or (a.unit != b.unit and abs(vn - vo) <= _rounding(raw_o, raw_n, a.unit, b.unit, unit)):
            return None
        money = unit
    else:
        if compact(raw_o) == compact(raw_n):  # blank and blank, or the same text; blank and 0.00 differ
            return None
        money = unit if vo is not None or vn is not None else ""
        vo = convert(vo, a.unit, unit) if vo is not None else None
        vn = convert(vn, b.unit, unit) if vn is not None else None
    return CellChange(
        a.id, rn.side, rn.code, rn.label, column, raw_o, raw_n, vo, vn, money,
        co.place if co else ro.place, cn.place if cn else rn.place,
    )  # fmt: skip


def _rounding(raw_o: str, raw_n: str, unit_o: str, unit_n: str, unit: str) -> Decimal:
    """Half a unit of the last printed digit of the figure printed in the coarser unit, in ``unit``."""
    coarse_raw, coarse_unit = (raw_o, unit_o) if unit_o != unit else (raw_n, unit_n)
    text = amount_text(coarse_raw) or ""
    places = len(text.split(".", 1)[1]) if "." in text else 0
    return convert(Decimal(5).scaleb(-places - 1), coarse_unit, unit)


# ---- narrative --------------------------------------------------------------------------------------------
_SENTENCE_END = re.compile(r"[。！？!?]+")
_HEADING_LINE = re.compile(
    r"(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、．]|\d{1,2}\.(?!\d))"
    r"[^。！？!?]{0,40}"
)
"""A sentence ends at 。！？ (clauses joined by ；and ，stay one sentence); a numbered heading on a line of its
own ("（一）事业运行经费情况", no full stop) is a sentence of its own. Other line breaks are wraps inside a
sentence: removed before comparing."""


@dataclass(slots=True)
class _Sentence:
    text: str
    key: str
    place: Place


def _sentences(section: NarrativeSection) -> list[_Sentence]:
    text = section.text
    cuts = {0, len(text)}
    cuts.update(m.end() for m in _SENTENCE_END.finditer(text))
    starts = [start for start, _, _ in section.line_starts]
    for start, end in zip(starts, [*starts[1:], len(text)], strict=False):  # none: no lines known
        if _HEADING_LINE.fullmatch(text[start:end].strip()):
            cuts.update((start, end))
    bounds = sorted(cuts)
    return [s for start, end in zip(bounds, bounds[1:], strict=False) for s in _sentence(section, start, end)]


def _sentence(section: NarrativeSection, start: int, end: int) -> Iterator[_Sentence]:
    chunk = section.text[start:end]
    k = compact(chunk)
    if not k:
        return
    lead = len(chunk) - len(chunk.lstrip())
    line, page = section.place(start + lead)
    yield _Sentence(" ".join(chunk.split()), k, Place(line, page))


_YEAR = re.compile(r"20\d{2}")


def _section_key(section: NarrativeSection) -> tuple[str, ...]:
    """A section by its heading without ordinal and years: a corrected year in a heading ("2024年部门预算编制
    说明" → "2025年…") is a changed heading, not a section removed and another added."""
    return (_YEAR.sub("", key(plain_label(section.heading))),)


def _narrative(a: Document, b: Document, out: DocumentDiff) -> None:
    old, new = _keyed(a.narrative, _section_key), _keyed(b.narrative, _section_key)
    for k, section in old.items():
        if k not in new and compact(section.text):
            out.text.append(TextChange(section.heading, "removed", _flat(section.text), "",
                                       old=Place(section.line), whole_section=True))  # fmt: skip
    for k, section in new.items():
        if k not in old and compact(section.text):
            out.text.append(TextChange(section.heading, "added", "", _flat(section.text),
                                       new=Place(section.line), whole_section=True))  # fmt: skip
    for k, so in old.items():
        sn = new.get(k)
        if sn is not None:
            _section(so, sn, out)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _section(so: NarrativeSection, sn: NarrativeSection, out: DocumentDiff) -> None:
    # the heading compared as the section's first sentence
    old = [_Sentence(so.heading, compact(so.heading), Place(so.line)), *_sentences(so)]
    new = [_Sentence(sn.heading, compact(sn.heading), Place(sn.line)), *_sentences(sn)]
    matcher = difflib.SequenceMatcher(None, [s.key for s in old], [s.key for s in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        gone, came = old[i1:i2], new[j1:j2]
        change: Change = "removed" if not came else "added" if not gone else "changed"
        out.text.append(
            TextChange(
                sn.heading, change, _joined(gone), _joined(came),
                gone[0].place if gone else None, came[0].place if came else None,
            )
        )  # fmt: skip
        if gone and came:
            _claims(so, sn, gone, came, out)


def _joined(sentences: list[_Sentence]) -> str:
    """Sentences as one text; a heading (no full stop) is set off from what follows by a space."""
    out = ""
    for s in sentences:
        out += s.text if not out or _SENTENCE_END.search(out[-1]) else " " + s.text
    return out


def _claims(so: NarrativeSection, sn: NarrativeSection, gone: list[_Sentence], came: list[_Sentence],
            out: DocumentDiff) -> None:  # fmt: skip
    """The figures of the claims read from rewritten sentences, matched by subject."""
    old_text, new_text = "".join(s.key for s in gone), "".join(s.key for s in came)
    old_claims = [c for c in so.claims if compact(c.sentence) and compact(c.sentence) in old_text]
    new_claims = [c for c in sn.claims if compact(c.sentence) and compact(c.sentence) in new_text]

    def subject(claim: NarrativeClaim) -> tuple[str, ...]:
        return (key(claim.subject),)

    by_old, by_new = _keyed(old_claims, subject), _keyed(new_claims, subject)
    for k, co in by_old.items():
        cn = by_new.get(k)
        if cn is None:
            continue
        money = _finer(co.unit or "万元", cn.unit or "万元")
        for figure in CLAIM_FIELDS:
            vo, vn = getattr(co, figure), getattr(cn, figure)
            unit = "%" if figure.endswith("_pct") else "" if "year" in figure else money
            if figure in ("amount", "change_amount"):
                vo = convert(vo, co.unit or "万元", money) if vo is not None else None
                vn = convert(vn, cn.unit or "万元", money) if vn is not None else None
            if vo != vn:
                out.claims.append(
                    ClaimChange(sn.heading, cn.subject, figure, vo, vn, unit, co.raw, cn.raw,
                                Place(co.line, co.page), Place(cn.line, cn.page))
                )  # fmt: skip


# ---- findings ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Located:
    finding: Finding
    strict: tuple[str, ...]
    loose: tuple[str, ...]
    sentence: str


def _locate(doc: Document, finding: Finding) -> _Located:
    """A finding's place without lines: rule, table, row (code, else label), column; for the narrative
    the section it is in and the sentence (or text) its first evidence quotes."""
    row = finding.row_code or key(plain_label(finding.row_label))
    section, sentence = "", ""
    for ev in finding.evidence:
        if ev.kind in ("claim", "line") and ev.line:
            section = next(
                (key(plain_label(s.heading)) for s in doc.narrative if s.line <= ev.line <= s.last_line), ""
            )
            sentence = compact(ev.text)
            break
    loose = (finding.rule_id, finding.table, row, finding.column, section)
    return _Located(finding, (*loose, sentence), loose, sentence)


def _places(finding: Finding) -> list[Place]:
    seen: dict[tuple[int, int | None], None] = {}
    for ev in finding.evidence:
        if ev.line:
            seen.setdefault((ev.line, ev.page), None)
    return [Place(line, page) for line, page in seen]


def _findings(old: AuditReport, new: AuditReport) -> list[FindingChange]:
    a = [_locate(old.document, f) for f in old.findings]
    b = [_locate(new.document, f) for f in new.findings]
    pairs: list[tuple[_Located, _Located]] = []
    # first the same place and sentence; then the same place, the sentence edited but alike
    for strict in (True, False):
        by_key: dict[tuple[str, ...], list[_Located]] = defaultdict(list)
        for item in b:
            by_key[item.strict if strict else item.loose].append(item)
        left = []
        for item in a:
            bucket = by_key.get(item.strict if strict else item.loose, [])
            found = next((c for c in bucket if strict or _alike(item.sentence, c.sentence)), None)
            if found is None:
                left.append(item)
                continue
            bucket.remove(found)
            pairs.append((item, found))
        a = left
        b = [item for bucket in by_key.values() for item in bucket]
    out = [_finding_change("present", o, n) for o, n in pairs]
    out += [_finding_change("resolved", o, None) for o in a]
    out += [_finding_change("new", None, n) for n in b]
    rank = {"error": 0, "warning": 1, "info": 2}
    order = {"resolved": 0, "new": 1, "present": 2}
    out.sort(key=lambda c: (order[c.status], rank.get(c.severity, 3), c.rule_id, c.table, c.row_code))
    return out


def _alike(a: str, b: str) -> bool:
    return a == b or similarity(a, b) >= 0.6


def _finding_change(status: FindingStatus, o: _Located | None, n: _Located | None) -> FindingChange:
    either = n or o
    assert either is not None
    f = either.finding
    return FindingChange(
        status, f.rule_id, f.severity, f.table, f.row_code, f.row_label, f.column,
        o.finding.message if o else "", n.finding.message if n else "",
        _places(o.finding) if o else [], _places(n.finding) if n else [],
    )  # fmt: skip
