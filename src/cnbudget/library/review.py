"""A review team's work on one document: its findings with the team's decisions, the decisions and the
review status themselves (with their rules), and what the team hands back.

The pages and the API of the web application ask these functions; the CLI could too. The audit itself is
the one stored at ingest (no second audit path); exports that need the whole document (the checklist with
its page crops) read the stored source file again and run the same parse and audit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from cnbudget.domain.catalog import table_name
from cnbudget.domain.errors import InputError, UsageError
from cnbudget.domain.numbers import format_amount
from cnbudget.domain.vocabulary import ACTION_LABELS, ACTIONS, REVIEW_STATUSES, FindingState
from cnbudget.store import review as trail_table
from cnbudget.store import schema
from cnbudget.store.accounts import user_row
from cnbudget.store.review import Decision, Review, Series, decisions, review, series_of
from cnbudget.store.writer import series_where

MAX_TEXT = 2000
"""The longest reason or comment a decision may carry."""

NARRATIVE_PART = "情况说明"
WHOLE_PART = "文件整体"


@dataclass(slots=True)
class FindingView:
    id: int
    rule_id: str
    severity: str
    message: str
    table: str
    row_code: str
    row_label: str
    column: str
    expected: Decimal | None
    actual: Decimal | None
    difference: Decimal | None
    pages: list[int]
    lines: list[int]
    needs_review: bool
    key: str
    evidence: list[dict[str, Any]]
    state: FindingState = "open"
    trail: list[Decision] = field(default_factory=list)

    @property
    def part(self) -> str:
        """The part of the document the finding is about: a table's name, the narrative, or the whole."""
        if self.table:
            try:
                return f"{self.table} {table_name(self.table)}"
            except KeyError:
                return self.table
        if any(e.get("kind") == "claim" for e in self.evidence):
            return NARRATIVE_PART
        return WHOLE_PART

    @property
    def values(self) -> str:
        """What its expected and actual values are (the rule's declaration): ``amount`` or ``year``."""
        from cnbudget.audit.registry import rule_by_id

        found = rule_by_id(self.rule_id)
        return found.values if found is not None else "amount"

    def shown(self, value: Decimal | None) -> str:
        """A value as a reviewer reads it: an amount with separators and two decimals, a year as a year."""
        if value is None:
            return ""
        if self.values == "year" and value == value.to_integral_value():
            return str(int(value))
        return format_amount(value)

    @property
    def boxed_pages(self) -> list[int]:
        """Pages with at least one boxed place (the evidence the page image can show)."""
        return sorted({int(e["page"]) for e in self.evidence if e.get("page") and e.get("bbox")})


@dataclass(slots=True)
class DocumentView:
    id: int
    organisation_id: int
    organisation: str
    title: str
    kind: str
    scope: str
    fiscal_year: int | None
    version: int
    is_latest: bool
    source_format: str
    source_path: str
    source_name: str
    """The name shown (an upload's own name; never the server's storage path)."""
    content_sha256: str
    amount_unit: str
    parse_warnings: list[Any]
    ingested_at: datetime
    review: Review
    findings: list[FindingView]
    versions: list[tuple[int, int, datetime]]
    """(document id, version, ingested at) of every version, newest first."""

    @property
    def series(self) -> Series:
        return Series(self.organisation_id, self.kind, self.scope, self.fiscal_year or 0)

    def counts(self, state: FindingState | None = None) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            if state is None or f.state == state:
                out[f.severity] = out.get(f.severity, 0) + 1
        return out

    def finding(self, finding_id: int) -> FindingView:
        for f in self.findings:
            if f.id == finding_id:
                return f
        raise UsageError(f"文件 #{self.id} 没有编号为 {finding_id} 的审核结果", setting="finding")


def _pages(text: str) -> list[int]:
    return [int(p) for p in text.split(",") if p.strip().isdigit()]


def document_view(engine: Engine, document_id: int) -> DocumentView:
    """The document, its findings (stored at ingest) and the team's decisions on them."""
    d, o, f = schema.documents.c, schema.organisations.c, schema.findings.c
    with engine.connect() as conn:
        row = conn.execute(
            select(schema.documents, o.name.label("organisation"))
            .join(schema.organisations, o.id == d.organisation_id)
            .where(d.id == document_id)
        ).first()
        if row is None:
            raise UsageError(f"没有编号为 #{document_id} 的文件", setting="document")
        series = series_of(conn, document_id)
        trail = decisions(conn, series)
        status = review(conn, series)
        rows = conn.execute(select(schema.findings).where(f.document_id == document_id).order_by(f.id)).all()
        same = series_where(row.organisation_id, row.kind, row.scope, row.fiscal_year)
        version_query = select(d.id, d.version, d.ingested_at).where(same).order_by(d.version.desc())
        versions = [(r[0], r[1], r[2]) for r in conn.execute(version_query).all()]
    state = states(trail)
    by_key: dict[str, list[Decision]] = {}
    for decision in trail:
        by_key.setdefault(decision.finding_key, []).append(decision)
    findings = [_finding_view(r, state, by_key) for r in rows]
    return DocumentView(
        id=row.id,
        organisation_id=row.organisation_id,
        organisation=row.organisation,
        title=row.title,
        kind=row.kind,
        scope=row.scope,
        fiscal_year=row.fiscal_year,
        version=row.version,
        is_latest=row.is_latest,
        source_format=row.source_format,
        source_path=row.source_path,
        source_name=row.source_name or row.source_path,
        content_sha256=row.content_sha256,
        amount_unit=row.amount_unit,
        parse_warnings=list(row.parse_warnings or []),
        ingested_at=row.ingested_at,
        review=status,
        findings=findings,
        versions=versions,
    )


def _finding_view(r: Any, state: dict[str, FindingState], by_key: dict[str, list[Decision]]) -> FindingView:
    """A stored finding with the team's state of it and its trail of decisions (a finding without a key
    cannot be decided on: it stays open)."""
    return FindingView(
        id=r.id,
        rule_id=r.rule_id,
        severity=r.severity,
        message=r.message,
        table=r.table_kind,
        row_code=r.row_code,
        row_label=r.row_label,
        column=r.column_path,
        expected=r.expected,
        actual=r.actual,
        difference=r.difference,
        pages=_pages(r.pages),
        lines=_pages(r.lines),
        needs_review=r.needs_review,
        key=r.finding_key,
        evidence=json.loads(r.evidence or "[]"),
        state=state.get(r.finding_key, "open") if r.finding_key else "open",
        trail=by_key.get(r.finding_key, []) if r.finding_key else [],
    )


def review_notes(view: DocumentView) -> dict[str, str]:
    """What the team said about each finding, as the checklist prints it after the problem."""
    notes: dict[str, str] = {}
    for f in view.findings:
        words = []
        for d in f.trail:
            label = ACTION_LABELS[d.action]
            words.append(f"{d.user} {d.created_at:%Y-%m-%d} {label}" + (f"：{d.text}" if d.text else ""))
        if words:
            notes[f.key] = "；".join(words)
    return notes


@dataclass(frozen=True, slots=True)
class Source:
    """Where a stored document's original is, and what it was when ingested."""

    path: str
    source_format: str
    sha256: str
    name: str = ""
    """The name shown in messages (the path is the server's own)."""


def document_source(engine: Engine, document_id: int) -> Source:
    """The original of one document (one row read: for each page image, not the whole review view)."""
    d = schema.documents.c
    with engine.connect() as conn:
        row = conn.execute(
            select(d.source_path, d.source_format, d.content_sha256, d.source_name).where(d.id == document_id)
        ).first()
    if row is None:
        raise UsageError(f"没有编号为 #{document_id} 的文件", setting="document")
    return Source(row[0], row[1], row[2], row[3] or row[0])


def source_file(source: Source | DocumentView) -> Path:
    """The stored original, as long as it is the file that was ingested (same content). The file is hashed
    once while its size and modification time stay the same, not on every page image."""
    if isinstance(source, DocumentView):
        source = Source(source.source_path, source.source_format, source.content_sha256, source.source_name)
    path = Path(source.path)
    shown = source.name or source.path
    if " + " in source.path or not path.is_file():
        raise InputError("原文件不在原处，无法重新生成（页面截图、检查表需要原文件）", path=shown)
    stat = path.stat()
    if _digest(source.path, stat.st_size, stat.st_mtime_ns) != source.sha256:
        raise InputError("原文件已被改动，与入库时的内容不同", path=shown)
    return path


@lru_cache(maxsize=256)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    from cnbudget.library.ingestion import file_sha256

    return file_sha256(Path(path))


def reviewed_report(view: DocumentView) -> tuple[Any, dict[str, str]]:
    """The document's audit with the findings the team dismissed left out, and the team's notes by key."""
    from cnbudget.audit import audit
    from cnbudget.parse import parse_file

    doc = parse_file(source_file(view))
    doc.metadata.source_name = view.source_name
    report = audit(doc)
    dismissed = {f.key for f in view.findings if f.state == "dismissed"}
    kept = [f for f in report.findings if f.key not in dismissed]
    return replace(report, findings=kept), review_notes(view)


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: int
    organisation: str
    title: str
    kind: str
    scope: str
    fiscal_year: int | None
    version: int
    errors: int
    warnings: int
    status: str
    assignee: str
    ingested_at: datetime


def documents_overview(
    engine: Engine, search: str = "", status: str = "", all_versions: bool = False, limit: int = 500
) -> list[DocumentRow]:
    """The library's documents, newest first, with their review status: the review team's worklist.
    ``search`` matches the organisation's name or the title (width and brackets folded)."""
    from sqlalchemy import and_, func, or_

    from cnbudget.domain.names import name_key

    d, o, r, u = schema.documents.c, schema.organisations.c, schema.reviews.c, schema.users.c
    query = (
        select(
            d.id,
            o.name,
            d.title,
            d.kind,
            d.scope,
            d.fiscal_year,
            d.version,
            d.errors,
            d.warnings,
            r.status,
            u.username,
            d.ingested_at,
        )  # fmt: skip
        .join(schema.organisations, o.id == d.organisation_id)
        .outerjoin(
            schema.reviews,
            and_(
                r.organisation_id == d.organisation_id,
                r.kind == d.kind,
                r.scope == d.scope,
                r.fiscal_year == func.coalesce(d.fiscal_year, 0),
            ),
        )
        .outerjoin(schema.users, u.id == r.assignee_id)
        .order_by(d.fiscal_year.desc(), o.name, d.kind, d.version.desc())
        .limit(limit)
    )
    if not all_versions:
        query = query.where(d.is_latest.is_(True))
    if search.strip():
        words = search.strip()
        query = query.where(
            or_(o.name_key.contains(name_key(words)), o.name.contains(words), d.title.contains(words))
        )
    if status == "pending":
        query = query.where(or_(r.status.is_(None), r.status == "pending"))
    elif status:
        query = query.where(r.status == status)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [DocumentRow(*row[:9], row[9] or "pending", row[10] or "", row[11]) for row in rows]


# ---- the team's decisions and the review status ------------------------------------------------------


def states(trail: Iterable[Decision]) -> dict[str, FindingState]:
    """Each finding key's state: its latest confirm, dismiss or reopen (comments do not change it)."""
    out: dict[str, FindingState] = {}
    for decision in trail:
        if decision.action == "confirm":
            out[decision.finding_key] = "confirmed"
        elif decision.action == "dismiss":
            out[decision.finding_key] = "dismissed"
        elif decision.action == "reopen":
            out[decision.finding_key] = "open"
    return out


def decide(
    engine: Engine, document_id: int, finding_id: int, user_id: int, action: str, text: str = ""
) -> Decision:
    """Add a decision on one finding of the document (a dismissal needs a reason, a comment its text)."""
    return decide_all(engine, document_id, [finding_id], user_id, action, text)[0]


def decide_all(
    engine: Engine, document_id: int, finding_ids: list[int], user_id: int, action: str, text: str = ""
) -> list[Decision]:
    """The same decision on several findings of the document, all or none (one transaction).

    Decisions belong to the document's series (every version of it) and are only ever added: the latest
    confirm/dismiss/reopen is a finding's state."""
    if action not in ACTIONS:
        raise UsageError(f"操作“{action}”无效：可用 {', '.join(ACTIONS)}", setting="action")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise UsageError(f"文字太长：最多 {MAX_TEXT} 个字符", setting="text")
    if action == "dismiss" and not text:
        raise UsageError("驳回须写明理由（为什么这是误报）", setting="text")
    if action == "comment" and not text:
        raise UsageError("评论内容为空", setting="text")
    now = datetime.now(UTC)
    made: list[Decision] = []
    with engine.begin() as conn:
        series = series_of(conn, document_id)
        user = trail_table.username_of(conn, user_id)
        for finding_id in dict.fromkeys(finding_ids):
            finding = trail_table.finding_of(conn, document_id, finding_id)
            if finding is None:
                raise UsageError(f"文件 #{document_id} 没有编号为 {finding_id} 的审核结果", setting="finding")
            new_id = trail_table.add_decision(conn, series, document_id, finding, user_id, action, text, now)
            made.append(
                Decision(new_id, finding.finding_key, finding.rule_id, document_id, action, text, user, now)
            )
    return made


def set_review(
    engine: Engine,
    document_id: int,
    user_id: int,
    status: str | None = None,
    assignee_id: int | None | Literal["keep"] = "keep",
) -> Review:
    """Change the status and/or the reviewer of the document's series; only an active reviewer or
    administrator can be assigned."""
    if status is not None and status not in REVIEW_STATUSES:
        raise UsageError(f"状态“{status}”无效：可用 {', '.join(REVIEW_STATUSES)}", setting="status")
    now = datetime.now(UTC)
    for attempt in range(2):
        try:
            with engine.begin() as conn:
                series = series_of(conn, document_id)
                if assignee_id not in ("keep", None):
                    found = user_row(conn, user_id=assignee_id)  # type: ignore[arg-type]
                    if found is None or not found.active:
                        raise UsageError(f"没有编号为 {assignee_id} 的在用用户", setting="assignee")
                    if found.role not in ("admin", "reviewer"):
                        raise UsageError("查阅人不能被指派审核：请选审核人或管理员", setting="assignee")
                current = review(conn, series)
                values = {
                    "status": status or current.status,
                    "assignee_id": current.assignee_id if assignee_id == "keep" else assignee_id,
                    "updated_at": now,
                    "updated_by": user_id,
                }
                trail_table.write_review(conn, series, values, exists=current.updated_at is not None)
                return review(conn, series)
        except IntegrityError:  # another reviewer created the row at the same moment: update it instead
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


# ---- the figures read from the document ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredFact:
    """One figure of a table as stored at ingest, with the page and line it was read from."""

    table_kind: str
    row_code: str
    row_label: str
    column: str
    value: str
    page: int | None
    line: int


def document_tables(engine: Engine, document_id: int) -> list[str]:
    """The kinds of the document's tables that have figures, sorted."""
    f = schema.facts.c
    with engine.connect() as conn:
        query = select(f.table_kind).where(f.document_id == document_id).distinct()
        return sorted(k for (k,) in conn.execute(query))


def document_facts(engine: Engine, document_id: int, table_kind: str | None = None) -> list[StoredFact]:
    """The document's figures in the order they were read (of one table when ``table_kind`` is given)."""
    f = schema.facts.c
    where = f.document_id == document_id
    if table_kind is not None:
        where = where & (f.table_kind == table_kind)
    with engine.connect() as conn:
        rows = conn.execute(
            select(f.table_kind, f.row_code, f.row_label, f.column_path, f.value, f.page, f.line)
            .where(where)
            .order_by(f.id)
        ).all()
    return [StoredFact(*r) for r in rows]
