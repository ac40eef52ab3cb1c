"""What a finding says and the evidence it points at (cells, narrative sentences, lines, pages)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from cnbudget.domain.text import key as text_key
from cnbudget.domain.vocabulary import SEVERITY_RANK, EvidenceKind, EvidenceRole, Severity

__all__ = ["SEVERITY_RANK", "Evidence", "Finding"]


@dataclass(slots=True)
class Evidence:
    """One place in the document: a table cell, a narrative claim, or a whole line."""

    kind: EvidenceKind
    """``cell``, ``claim``, ``row``, ``table`` or ``line``."""
    table: str = ""
    row_code: str = ""
    row_label: str = ""
    column: str = ""
    raw: str = ""
    value: Decimal | None = None
    line: int = 0
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    text: str = ""
    """For narrative evidence: the sentence."""
    role: EvidenceRole = ""
    """``total``, ``part``, ``copy``, ``claim`` …: how the place takes part in the check."""
    ocr: bool = False
    """The value was read by OCR from a scanned page."""


@dataclass(slots=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str
    """Precise, in Chinese, naming the cells and the arithmetic."""
    table: str = ""
    row_code: str = ""
    row_label: str = ""
    column: str = ""
    expected: Decimal | None = None
    actual: Decimal | None = None
    difference: Decimal | None = None
    evidence: list[Evidence] = field(default_factory=list)
    needs_review: bool = False
    """True when the finding rests on values read by OCR, or on a table read too badly to trust."""
    related: list[Finding] = field(default_factory=list)
    """The broken checks this finding explains (one mistyped cell breaks every sum it is in): listed
    under it, not reported on their own."""

    occurrence: int = 0
    """Set by the audit when another finding of the document is about the same place (the same rule on the
    same cells, e.g. a project's budget and its execution checked against one sentence): 1, 2 … in the
    report's order, so that every finding of a report has its own key."""

    @property
    def key(self) -> str:
        """What the finding is about, stable across versions of the document: the rule, the cells (table,
        row, column) and the sentences it names — not line numbers, pages or the message's wording, which
        move when a department republishes. A reviewer's decision on a finding follows this key."""
        return self.place_key + (f"~{self.occurrence}" if self.occurrence else "")

    @property
    def place_key(self) -> str:
        """The key's digest of the rule and the places (without the occurrence)."""
        places = sorted(
            {
                f"{e.kind}:{e.table}:{e.row_code}:{text_key(e.row_label)}:{text_key(e.column)}"
                if e.kind != "claim" and e.kind != "line"
                else f"{e.kind}:{text_key(e.text)}"
                for e in self.evidence
            }
        )
        head = (self.rule_id, self.table, self.row_code, text_key(self.row_label), text_key(self.column))
        joined = "\x1f".join((*head, *places))
        return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:24]

    @property
    def lines(self) -> list[int]:
        """Lines of the evidence, the primary place first (a narrative claim before the table cells)."""
        return list(dict.fromkeys(e.line for e in self.evidence if e.line))

    @property
    def pages(self) -> list[int]:
        """Pages of the evidence (PDF inputs), in the order of `lines`."""
        return list(dict.fromkeys(e.page for e in self.evidence if e.page))

    @property
    def tables(self) -> list[str]:
        out: list[str] = []
        for table in [self.table, *(e.table for e in self.evidence)]:
            if table and table not in out:
                out.append(table)
        return out
