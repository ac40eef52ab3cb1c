"""The review trail: decisions on findings, each document's review status, and uploads in progress.

A decision belongs to the document's *series* — organisation, kind, scope and year, i.e. every version of
the document — and to the finding's key (rule and cells, `Finding.key`), so it survives re-ingesting the
same document or a corrected version, and a dismissed finding is not raised again for the same cells.
Decisions are only ever added: the latest confirm/dismiss/reopen is the finding's state, comments add to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

from sqlalchemy import ColumnElement, Connection, Engine, Table, insert, select, update
from sqlalchemy.exc import IntegrityError

from cnbudget.domain.errors import UsageError
from cnbudget.store import schema

ReviewStatus = Literal["pending", "in_review", "done"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = get_args(ReviewStatus)
REVIEW_LABELS: dict[ReviewStatus, str] = {"pending": "待审", "in_review": "审核中", "done": "已完成"}
Action = Literal["confirm", "dismiss", "reopen", "comment"]
ACTIONS: tuple[Action, ...] = get_args(Action)
ACTION_LABELS: dict[Action, str] = {
    "confirm": "确认",
    "dismiss": "驳回（误报）",
    "reopen": "重新打开",
    "comment": "评论",
}
FindingState = Literal["open", "confirmed", "dismissed"]
STATE_LABELS: dict[FindingState, str] = {"open": "待定", "confirmed": "已确认", "dismissed": "已驳回"}
UploadStatus = Literal["queued", "running", "ingested", "new_version", "unchanged", "failed"]
UPLOAD_LABELS: dict[UploadStatus, str] = {
    "queued": "排队中",
    "running": "处理中",
    "ingested": "已入库",
    "new_version": "新版本已入库",
    "unchanged": "已在库中（内容相同）",
    "failed": "失败",
}
MAX_TEXT = 2000


@dataclass(frozen=True, slots=True)
class Series:
    """Every version of one document: organisation, kind, scope and year (0 when none is stated)."""

    organisation_id: int
    kind: str
    scope: str
    fiscal_year: int

    def where(self, table: Table) -> ColumnElement[bool]:
        c = table.c
        return (
            (c.organisation_id == self.organisation_id)
            & (c.kind == self.kind)
            & (c.scope == self.scope)
            & (c.fiscal_year == self.fiscal_year)
        )


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    finding_key: str
    rule_id: str
    document_id: int | None
    action: Action
    text: str
    user: str
    created_at: datetime


def series_of(conn: Connection, document_id: int) -> Series:
    d = schema.documents.c
    row = conn.execute(
        select(d.organisation_id, d.kind, d.scope, d.fiscal_year).where(d.id == document_id)
    ).first()
    if row is None:
        raise UsageError(f"没有编号为 #{document_id} 的文件", setting="document")
    return Series(row.organisation_id, row.kind, row.scope, row.fiscal_year or 0)


def decide(
    engine: Engine, document_id: int, finding_id: int, user_id: int, action: str, text: str = ""
) -> Decision:
    """Add a decision on one finding of the document (a dismissal needs a reason, a comment its text)."""
    return decide_all(engine, document_id, [finding_id], user_id, action, text)[0]


def decide_all(
    engine: Engine, document_id: int, finding_ids: list[int], user_id: int, action: str, text: str = ""
) -> list[Decision]:
    """The same decision on several findings of the document, all or none (one transaction)."""
    if action not in ACTIONS:
        raise UsageError(f"操作“{action}”无效：可用 {', '.join(ACTIONS)}", setting="action")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise UsageError(f"文字太长：最多 {MAX_TEXT} 个字符", setting="text")
    if action == "dismiss" and not text:
        raise UsageError("驳回须写明理由（为什么这是误报）", setting="text")
    if action == "comment" and not text:
        raise UsageError("评论内容为空", setting="text")
    f = schema.findings.c
    now = datetime.now(UTC)
    made: list[Decision] = []
    with engine.begin() as conn:
        series = series_of(conn, document_id)
        user = (
            conn.execute(select(schema.users.c.username).where(schema.users.c.id == user_id)).scalar() or ""
        )
        for finding_id in dict.fromkeys(finding_ids):
            finding = conn.execute(
                select(f.finding_key, f.rule_id).where((f.id == finding_id) & (f.document_id == document_id))
            ).first()
            if finding is None:
                raise UsageError(f"文件 #{document_id} 没有编号为 {finding_id} 的审核结果", setting="finding")
            new_id = conn.execute(
                insert(schema.decisions).values(
                    organisation_id=series.organisation_id,
                    kind=series.kind,
                    scope=series.scope,
                    fiscal_year=series.fiscal_year,
                    finding_key=finding.finding_key,
                    rule_id=finding.rule_id,
                    document_id=document_id,
                    action=action,
                    text=text,
                    user_id=user_id,
                    created_at=now,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            made.append(
                Decision(
                    int(new_id), finding.finding_key, finding.rule_id, document_id, action, text, user, now
                )
            )
    return made


def decisions(engine: Engine | Connection, series: Series) -> list[Decision]:
    """The series' decisions, oldest first."""
    d, u = schema.decisions.c, schema.users.c
    query = (
        select(d.id, d.finding_key, d.rule_id, d.document_id, d.action, d.text, u.username, d.created_at)
        .join(schema.users, u.id == d.user_id)
        .where(series.where(schema.decisions))
        .order_by(d.created_at, d.id)
    )
    if isinstance(engine, Connection):
        rows = engine.execute(query).all()
    else:
        with engine.connect() as conn:
            rows = conn.execute(query).all()
    return [Decision(r[0], r[1], r[2], r[3], r[4], r[5], r[6], _utc(r[7]) or datetime.now(UTC)) for r in rows]


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


@dataclass(frozen=True, slots=True)
class Review:
    status: ReviewStatus
    assignee_id: int | None
    assignee: str
    updated_at: datetime | None


def review(engine: Engine | Connection, series: Series) -> Review:
    r, u = schema.reviews.c, schema.users.c
    query = (
        select(r.status, r.assignee_id, u.username, r.updated_at)
        .outerjoin(schema.users, u.id == r.assignee_id)
        .where(series.where(schema.reviews))
    )
    if isinstance(engine, Connection):
        row = engine.execute(query).first()
    else:
        with engine.connect() as conn:
            row = conn.execute(query).first()
    if row is None:
        return Review("pending", None, "", None)
    return Review(row.status, row.assignee_id, row.username or "", _utc(row.updated_at))


def set_review(
    engine: Engine,
    document_id: int,
    user_id: int,
    status: str | None = None,
    assignee_id: int | None | Literal["keep"] = "keep",
) -> Review:
    """Change the status and/or the reviewer of the document's series."""
    if status is not None and status not in REVIEW_STATUSES:
        raise UsageError(f"状态“{status}”无效：可用 {', '.join(REVIEW_STATUSES)}", setting="status")
    now = datetime.now(UTC)
    for attempt in range(2):
        try:
            with engine.begin() as conn:
                series = series_of(conn, document_id)
                if assignee_id not in ("keep", None):
                    found = conn.execute(
                        select(schema.users.c.active, schema.users.c.role).where(
                            schema.users.c.id == assignee_id
                        )
                    ).first()
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
                if current.updated_at is None:
                    conn.execute(
                        insert(schema.reviews).values(
                            organisation_id=series.organisation_id,
                            kind=series.kind,
                            scope=series.scope,
                            fiscal_year=series.fiscal_year,
                            **values,
                        )
                    )
                else:
                    conn.execute(update(schema.reviews).where(series.where(schema.reviews)).values(**values))
                return review(conn, series)
        except IntegrityError:  # another reviewer created the row at the same moment: update it instead
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# ---- uploads --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Upload:
    id: int
    filename: str
    size: int
    status: UploadStatus
    message: str
    document_id: int | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status not in ("queued", "running")


def add_upload(engine: Engine, filename: str, sha256: str, size: int, user_id: int | None) -> int:
    with engine.begin() as conn:
        return int(
            conn.execute(
                insert(schema.uploads).values(
                    filename=schema.fit_text(schema.uploads, "filename", filename),
                    content_sha256=sha256,
                    size=size,
                    status="queued",
                    message="",
                    user_id=user_id,
                    created_at=datetime.now(UTC),
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )


def set_upload(
    engine: Engine, upload_id: int, status: UploadStatus, message: str = "", document_id: int | None = None
) -> None:
    values: dict[str, object] = {"status": status, "message": message, "document_id": document_id}
    if status not in ("queued", "running"):
        values["finished_at"] = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(update(schema.uploads).where(schema.uploads.c.id == upload_id).values(**values))


def uploads(engine: Engine, ids: Iterable[int] | None = None, limit: int = 200) -> list[Upload]:
    c = schema.uploads.c
    query = select(
        c.id, c.filename, c.size, c.status, c.message, c.document_id, c.created_at, c.finished_at
    ).order_by(c.id.desc())
    if ids is not None:
        query = query.where(c.id.in_(list(ids)))
    with engine.connect() as conn:
        rows = conn.execute(query.limit(limit)).all()
    return [
        Upload(r[0], r[1], r[2], r[3], r[4], r[5], _utc(r[6]) or datetime.now(UTC), _utc(r[7])) for r in rows
    ]
