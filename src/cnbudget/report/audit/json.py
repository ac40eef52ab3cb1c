"""Audit results as JSON: findings with their evidence, and the coverage of every rule."""

from __future__ import annotations

import json
from typing import Any

from cnbudget.audit import AuditReport
from cnbudget.report.kit.json import to_jsonable


def report_dict(report: AuditReport) -> dict[str, Any]:
    meta = report.document.metadata
    return {
        "document": {
            "path": meta.source_path,
            "sha256": meta.source_sha256,
            "department": meta.department,
            "fiscal_year": meta.fiscal_year,
            "kind": meta.kind,
            "scope": meta.scope,
        },
        "summary": {
            "errors": report.count("error"),
            "warnings": report.count("warning"),
            "info": report.count("info"),
            "rules_evaluated": sum(1 for o in report.outcomes if o.status == "evaluated"),
            "rules_not_applicable": sum(1 for o in report.outcomes if o.status == "not_applicable"),
            "rules_not_evaluated": sum(1 for o in report.outcomes if o.status == "not_evaluated"),
            "rules_disabled": sum(1 for o in report.outcomes if o.disabled),
        },
        "profile": report.profile.as_dict() if report.profile is not None else None,
        "findings": [
            {**to_jsonable(f), "pages": f.pages, "lines": f.lines, "tables": f.tables}
            for f in report.findings
        ],
        "coverage": [to_jsonable(o) for o in report.outcomes],
    }


def reports_json(reports: list[AuditReport], failures: list[tuple[str, str]]) -> str:
    payload: dict[str, Any] = {"reports": [report_dict(r) for r in reports]}
    payload["totals"] = {
        "documents": len(reports) + len(failures),
        "audited": len(reports),
        "unreadable": len(failures),
        "errors": sum(r.count("error") for r in reports),
        "warnings": sum(r.count("warning") for r in reports),
        "info": sum(r.count("info") for r in reports),
    }
    if failures:
        payload["unreadable"] = [{"path": p, "error": e} for p, e in failures]
    return json.dumps(payload, ensure_ascii=False, indent=1)


def render(reports: list[AuditReport], failures: list[tuple[str, str]], info: bool, suffix: str) -> str:
    """`Renderer` of ``--format json``."""
    return reports_json(reports, failures)
