"""Test helper: the whole parsed model as plain data a reviewer would compare, without where it was printed.

`model_digest(doc)` keeps what a document says — the metadata read from it, its parts, headings and
narrative text, every table's columns, rows (codes, labels, kinds) and notes (the amounts are the facts,
compared apart), the performance tables (B11, B12-n) with their funds, goals and every indicator (levels,
name, the target as printed and as parsed, basis, weights and scores), the self-evaluations, the
projects, the narrative's numeric claims and the parser's warnings — and leaves out what legitimately
differs between a text and its PDF, workbook or Word conversion: line numbers, pages, boxes, OCR flags,
where the source file was, and whitespace inside text (compared compacted). Two conversions of one
document must give equal digests (`support.convert.assert_reads_like_its_text`).
"""

from __future__ import annotations

import dataclasses
import difflib
from decimal import Decimal
from typing import Any

from cnbudget.domain.text import compact
from cnbudget.model import Document, Table

PLACES = frozenset(
    {
        "line",
        "last_line",
        "first_line",
        "title_line",
        "page",
        "bbox",
        "ocr",
        "line_starts",
        "position",
        "paragraph",
    }
)
"""Fields that say where something was printed, not what: they differ between formats by design."""

METADATA = ("title", "department", "organisation", "department_code", "organisation_code", "parent_code")
METADATA += ("parent_name", "unit_names", "unit_codes", "fiscal_year", "kind", "scope", "level", "region")
METADATA += ("amount_unit", "template", "dates")

CLAIM = ("section", "subject", "amount", "unit", "raw", "year", "share_pct", "share_base", "change_amount")
CLAIM += ("change_pct", "compared_year", "completion_pct", "sentence")


def plain(obj: Any) -> Any:
    """Dataclasses as dicts without their places; Decimal as its exact string; text as printed."""
    if isinstance(obj, Decimal):
        return str(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: plain(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in PLACES}
    if isinstance(obj, list | tuple):
        return [plain(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    return obj


def model_digest(doc: Document) -> dict[str, Any]:
    """What the document says, in the model's order, with nothing that depends on lines or pages."""
    meta = doc.metadata
    return {
        "metadata": {name: plain(getattr(meta, name)) for name in METADATA},
        "parts": [(p.number, p.title) for p in doc.parts],
        "tables": [_table(t) for t in doc.tables],
        "outline": [(h.level, compact(h.text)) for h in doc.outline],
        "narrative": [(compact(s.heading), compact(s.text)) for s in doc.narrative],
        "performance": plain(doc.performance),
        "self_evaluations": plain(doc.self_evaluations),
        "projects": plain(doc.projects),
        "claims": [
            {
                name: compact(value) if name == "sentence" else plain(value)
                for name in CLAIM
                for value in (getattr(claim, name),)
            }
            for claim in doc.claims
        ],
        "warnings": sorted((w.code, w.table or "") for w in doc.warnings),
    }


def _table(table: Table) -> dict[str, Any]:
    """A table's structure — columns, rows with their labels and codes, notes — its amounts being the facts."""
    return {
        "id": table.id,
        "title": table.title,
        "amount_unit": table.amount_unit,
        "status": table.status,
        "is_empty": table.is_empty,
        # a column without a header or a role is a blank column at the table's edge: layout, which the
        # workbook and Word readers trim like any trailing blank cell
        "columns": [(c.key, c.role, c.side) for c in table.columns if c.key or c.role != "unknown"],
        "rows": [
            (
                r.side,
                r.code,
                r.resolved_code,
                r.level,
                r.kind,
                compact(r.label),
                [c.column for c in r.cells],
                r.texts,
            )
            for r in table.rows
        ],
        "notes": [compact(n.text) for n in table.notes],
    }


def digest_differences(a: dict[str, Any], b: dict[str, Any], path: str = "") -> list[str]:
    """Where two digests differ, as readable paths ("performance[3].indicators[2].target.raw: '…' ≠ '…'")."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for name in dict.fromkeys([*a, *b]):
            out += digest_differences(a.get(name), b.get(name), f"{path}.{name}" if path else str(name))
        return out
    if isinstance(a, list) and isinstance(b, list):
        out = []
        matcher = difflib.SequenceMatcher(None, [repr(v) for v in a], [repr(v) for v in b], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            if i2 - i1 == j2 - j1:  # the same items, changed: say what changed inside them
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    out += digest_differences(a[i], b[j], f"{path}[{i}]")
                continue
            out += [f"{path}[{i}] only in the text: {a[i]!r}"[:400] for i in range(i1, i2)]
            out += [f"{path}[{j}] only in the copy: {b[j]!r}"[:400] for j in range(j1, j2)]
        return out
    return [] if a == b else [f"{path}: {a!r} ≠ {b!r}"[:400]]
