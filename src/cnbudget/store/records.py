"""A parsed and audited document as plain rows, ready to be written in one transaction.

Built in the worker process that parsed the document, so that only small picklable tuples and dicts
cross to the process that writes the database (the model itself is large and full of objects).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Table

from cnbudget.audit import AuditReport
from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.domain.names import core_name, name_key, typo_pair
from cnbudget.domain.text import compact
from cnbudget.model import Document, Indicator
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


def build_record(doc: Document, report: AuditReport) -> DocumentRecord:
    meta = doc.metadata
    if not meta.department:
        raise InputError(
            t(
                "文件没有说明是哪个部门（单位）的（未找到标题）",
                "the document does not say which organisation it is about (no title found)",
            ),
            meta.source_path,
        )
    if not meta.kind:
        raise InputError(
            t(
                "文件没有说明是预算还是决算",
                "the document does not say whether it is a budget or final accounts",
            ),
            meta.source_path,
        )
    org_kind = "unit" if meta.scope == "unit" else "department"
    code = meta.department_code
    if org_kind == "unit" and len(meta.unit_codes) == 1:
        code = meta.unit_codes[0]
    organisation = OrganisationRecord(
        fit_text(schema.organisations, "name", organisation_name(doc)),
        org_kind,
        code=code,
        region=meta.region,
        level=meta.level,
    )
    units = []
    if org_kind == "department":
        for unit_name, unit_code in zip(meta.unit_names, meta.unit_codes, strict=False):
            name = fit_text(schema.organisations, "name", compact(unit_name))
            units.append(OrganisationRecord(name, "unit", unit_code, meta.region, meta.level))
    counts = {s: report.count(s) for s in ("error", "warning", "info")}
    record = DocumentRecord(
        path=meta.source_path,
        sha256=meta.source_sha256,
        organisation=organisation,
        units=units,
        document={
            "kind": meta.kind,
            "fiscal_year": meta.fiscal_year,
            "scope": meta.scope or "department",
            "title": meta.title,
            "department_name": meta.department,
            "source_path": meta.source_path,
            "source_format": meta.source_format,
            "content_sha256": meta.source_sha256,
            "amount_unit": meta.amount_unit,
            "parse_warnings": [
                {"code": w.code, "message": w.message, "line": w.line, "table": w.table} for w in doc.warnings
            ],
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
        },
    )
    _facts(doc, record)
    record.metrics = [{"metric": m, "value": v, "source": s} for m, v, s in document_metrics(doc)]
    record.projects = [
        {
            "name": p.name,
            "code": p.code,
            "unit": p.unit,
            "level": p.level,
            "total": p.total,
            "line": p.line,
        }
        for p in doc.projects
    ]
    _indicators(doc, record)
    record.claims = [
        {
            "section": c.section,
            "subject": c.subject,
            "amount": c.amount,
            "unit": c.unit,
            "year": c.year,
            "share_pct": c.share_pct,
            "change_amount": c.change_amount,
            "change_pct": c.change_pct,
            "compared_year": c.compared_year,
            "completion_pct": c.completion_pct,
            "sentence": c.sentence,
            "line": c.line,
            "page": c.page,
        }
        for c in doc.claims
    ]
    record.findings = [
        {
            "rule_id": f.rule_id,
            "severity": f.severity,
            "message": f.message,
            "table_kind": f.table,
            "row_code": f.row_code,
            "row_label": f.row_label,
            "column_path": f.column,
            "expected": f.expected,
            "actual": f.actual,
            "difference": f.difference,
            "lines": ",".join(str(n) for n in f.lines),
            "pages": ",".join(str(n) for n in f.pages),
            "needs_review": f.needs_review,
        }
        for f in report.findings
    ]
    record.document = fit(schema.documents, record.document)
    for table, rows in record.rows():
        rows[:] = [fit(table, row) for row in rows]
    return record


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
