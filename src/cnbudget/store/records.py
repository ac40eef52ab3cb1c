"""A parsed and audited document as plain rows, ready to be written in one transaction.

Built in the worker process that parsed the document, so that only small picklable tuples and dicts
cross to the process that writes the database (the model itself is large and full of objects).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Table

from cnbudget.audit import AuditReport
from cnbudget.audit.findings import Finding
from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.domain.names import core_name, name_key, typo_pair
from cnbudget.domain.text import compact
from cnbudget.model import Document, Indicator, NarrativeClaim
from cnbudget.store import schema
from cnbudget.store.metrics import document_metrics
from cnbudget.store.schema import fit, fit_text


@dataclass(slots=True)
class OrganisationRecord:
    name: str
    kind: str
    """``department`` or ``unit``."""
    code: str = ""
    region: str = ""
    level: str = ""
    parent: OrganisationRecord | None = None
    """The department a unit belongs to, as its document's tables list it (a code without a name links to
    a department of the library with that code, region and level)."""

    @property
    def key(self) -> str:
        return fit_text(schema.organisations, "name_key", name_key(self.name))


@dataclass(slots=True)
class DocumentRecord:
    path: str
    sha256: str
    organisation: OrganisationRecord
    units: list[OrganisationRecord]
    """Units a department document lists (B02/B05U): stored as organisations under the department."""
    document: dict[str, Any]
    facts: list[dict[str, Any]] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def rows(self) -> list[tuple[Table, list[dict[str, Any]]]]:
        """Each table of the library with this document's rows for it."""
        return [
            (schema.facts, self.facts),
            (schema.metrics, self.metrics),
            (schema.projects, self.projects),
            (schema.indicators, self.indicators),
            (schema.claims, self.claims),
            (schema.findings, self.findings),
        ]


def organisation_name(doc: Document) -> str:
    """The department's name, with an OCR-style typo of the title corrected by the tables' spelling.

    The title of seed 004 prints 硃口区… while its tables print 武汉市硚口区…本级: the library must file
    both under one organisation, the one the tables name (the audit reports the typo separately).
    """
    meta = doc.metadata
    name = compact(meta.department)
    core = core_name(name)
    for unit in meta.unit_names:
        unit_core = core_name(unit)
        if typo_pair(core, unit_core):
            fixes = {a: b for a, b in zip(core, unit_core, strict=True) if a != b}
            return "".join(fixes.get(ch, ch) for ch in name)
    return name


def _organisation_record(doc: Document) -> OrganisationRecord:
    """Who the document is filed under: the code its own organisation tables give it first (a unit that
    publishes its own document is a unit under its department), else the scope its title states."""
    meta = doc.metadata
    name = fit_text(schema.organisations, "name", organisation_name(doc))
    parent = None
    if meta.organisation_code:
        kind = "unit" if meta.parent_code else "department"
        code = meta.organisation_code
        if meta.parent_code:
            parent_name = fit_text(schema.organisations, "name", meta.parent_name)
            parent = OrganisationRecord(parent_name, "department", meta.parent_code, meta.region, meta.level)
    else:
        kind = "unit" if meta.scope == "unit" else "department"
        code = meta.department_code
        if kind == "unit" and len(meta.unit_codes) == 1:
            code = meta.unit_codes[0]
    return OrganisationRecord(name, kind, code=code, region=meta.region, level=meta.level, parent=parent)


def build_record(doc: Document, report: AuditReport) -> DocumentRecord:
    """The rows the library stores for a parsed and audited document, each fitted to its column."""
    meta = doc.metadata
    if not meta.department:
        raise InputError(t("文件没有说明是哪个部门（单位）的（未找到标题）",
                           "the document does not say which organisation it is about (no title found)"),
                         meta.source_path)  # fmt: skip
    if not meta.kind:
        raise InputError(t("文件没有说明是预算还是决算",
                           "the document does not say whether it is a budget or final accounts"),
                         meta.source_path)  # fmt: skip
    organisation = _organisation_record(doc)
    record = DocumentRecord(
        path=meta.source_path,
        sha256=meta.source_sha256,
        organisation=organisation,
        units=_unit_records(doc, organisation),
        document=_document_row(doc, report),
    )
    _facts(doc, record)
    record.metrics = [{"metric": m, "value": v, "source": s} for m, v, s in document_metrics(doc)]
    record.projects = [
        {"name": p.name, "code": p.code, "unit": p.unit, "level": p.level, "total": p.total, "line": p.line}
        for p in doc.projects
    ]
    _indicators(doc, record)
    record.claims = [_claim_row(c) for c in doc.claims]
    record.findings = [_finding_row(f) for f in report.findings]
    record.document = fit(schema.documents, record.document)
    for table, rows in record.rows():
        rows[:] = [fit(table, row) for row in rows]
    return record


def _unit_records(doc: Document, organisation: OrganisationRecord) -> list[OrganisationRecord]:
    """A department's units as its document lists them (those whose code is not under its own left out)."""
    meta, units = doc.metadata, []
    own = meta.organisation_code
    if organisation.kind == "department":
        for unit_name, unit_code in zip(meta.unit_names, meta.unit_codes, strict=False):
            if own and not (len(unit_code) > len(own) and unit_code.startswith(own)):
                continue  # listed, but not one of this organisation's units
            name = fit_text(schema.organisations, "name", compact(unit_name))
            units.append(OrganisationRecord(name, "unit", unit_code, meta.region, meta.level))
    return units


def _document_row(doc: Document, report: AuditReport) -> dict[str, Any]:
    meta = doc.metadata
    return {
        "kind": meta.kind,
        "fiscal_year": meta.fiscal_year,
        "scope": meta.scope or "department",
        "title": meta.title,
        "department_name": meta.department,
        "source_path": meta.source_path,
        "source_name": meta.source_name or meta.source_path,
        "source_format": meta.source_format,
        "content_sha256": meta.source_sha256,
        "amount_unit": meta.amount_unit,
        "parse_warnings": [
            {"code": w.code, "message": w.message, "line": w.line, "table": w.table} for w in doc.warnings
        ],
        "errors": report.count("error"),
        "warnings": report.count("warning"),
        "infos": report.count("info"),
    }


def _claim_row(c: NarrativeClaim) -> dict[str, Any]:
    return {
        "section": c.section, "subject": c.subject, "amount": c.amount, "unit": c.unit, "year": c.year,
        "share_pct": c.share_pct, "change_amount": c.change_amount, "change_pct": c.change_pct,
        "compared_year": c.compared_year, "completion_pct": c.completion_pct, "sentence": c.sentence,
        "line": c.line, "page": c.page,
    }  # fmt: skip


def _finding_row(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id, "severity": f.severity, "message": f.message, "table_kind": f.table,
        "row_code": f.row_code, "row_label": f.row_label, "column_path": f.column, "expected": f.expected,
        "actual": f.actual, "difference": f.difference, "lines": ",".join(str(n) for n in f.lines),
        "pages": ",".join(str(n) for n in f.pages), "needs_review": f.needs_review, "finding_key": f.key,
        "evidence": evidence_json(f),
    }  # fmt: skip


def evidence_json(finding: Finding) -> str:
    """The finding's places as JSON (what the web page boxes on the page image), without repeats."""
    places: list[dict[str, object]] = []
    for e in finding.evidence:
        place: dict[str, object] = {"kind": e.kind, "role": e.role, "line": e.line, "page": e.page}
        place.update({k: v for k, v in (("table", e.table), ("row_code", e.row_code), ("row_label", e.row_label),
                                        ("column", e.column), ("raw", e.raw), ("text", e.text)) if v})  # fmt: skip
        if e.value is not None:
            place["value"] = str(e.value)
        if e.bbox is not None:
            place["bbox"] = [round(v, 1) for v in e.bbox]
        if e.ocr:
            place["ocr"] = True
        if place not in places:
            places.append(place)
    return json.dumps(places, ensure_ascii=False)


def _facts(doc: Document, record: DocumentRecord) -> None:
    """The facts command's rows (`report.facts`), with the full code, level, line and page."""
    for table, row, cell in doc.fact_cells():
        record.facts.append(
            {
                "table_kind": table.id,
                "row_code": row.code,
                "code": row.full_code,
                "code_level": row.level,
                "row_label": compact(row.label),
                "column_path": cell.column,
                "value": Decimal(cell.printed),
                "line": cell.line,
                "page": cell.page,
            }
        )


def _indicator_row(source: str, project: str, ind: Indicator) -> dict[str, Any]:
    target = ind.target
    return {
        "source": source,
        "project_name": project,
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "target": target.raw if target else "",
        "target_number": target.number if target else None,
        "comparator": target.comparator if target else None,
        "target_unit": target.unit if target else "",
        "actual": ind.actual.raw if ind.actual else "",
        "weight": ind.weight,
        "score": ind.score,
        "line": ind.line,
    }


def _indicators(doc: Document, record: DocumentRecord) -> None:
    for table in doc.performance:
        for ind in table.indicators:
            record.indicators.append(_indicator_row(table.id, table.project_name, ind))
    for evaluation in doc.self_evaluations:
        for ind in evaluation.indicators:
            record.indicators.append(_indicator_row("self_evaluation", evaluation.project_name, ind))
