"""The review trail's tables: decisions on findings, each document's review status, and uploads in progress.
What a decision needs and who may be assigned is the library's policy (`cnbudget.library.review`).

A decision belongs to the document's *series* — organisation, kind, scope and year, i.e. every version of
the document — and to the finding's key (rule and cells, `Finding.key`), so it survives re-ingesting the
same document or a corrected version, and a dismissed finding is not raised again for the same cells.
Decisions are only ever added: the latest confirm/dismiss/reopen is the finding's state, comments add to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Table, insert, select, update

from cnbudget.domain.errors import UsageError
from cnbudget.domain.vocabulary import Action, ReviewStatus, UploadStatus
from cnbudget.store import schema


@dataclass(frozen=True, slots=True)
class Series:
    """Every version of one document: organisation, kind, scope and year (0 when none is stated)."""

    organisation_id: int
    kind: str
    scope: str
    fiscal_year: int

    def columns(self) -> dict[str, Any]:
        """The series' four columns, as a row of the decisions or reviews table has them."""
        return {"organisation_id": self.organisation_id, "kind": self.kind, "scope": self.scope,
                "fiscal_year": self.fiscal_year}  # fmt: skip

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


def finding_of(conn: Connection, document_id: int, finding_id: int) -> Any:
    """The finding's key and rule, when it is one of the document's findings."""
    f = schema.findings.c
    return conn.execute(
        select(f.finding_key, f.rule_id).where((f.id == finding_id) & (f.document_id == document_id))
    ).first()


def username_of(conn: Connection, user_id: int) -> str:
    return conn.execute(select(schema.users.c.username).where(schema.users.c.id == user_id)).scalar() or ""


def add_decision(
    conn: Connection,
    series: Series,
    document_id: int,
    finding: Any,
    user_id: int,
    action: Action,
    text: str,
    at: datetime,
) -> int:
    return int(
        conn.execute(
            insert(schema.decisions).values(
                **series.columns(),
                finding_key=finding.finding_key,
                rule_id=finding.rule_id,
                document_id=document_id,
                action=action,
                text=text,
                user_id=user_id,
                created_at=at,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )


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


def write_review(conn: Connection, series: Series, values: dict[str, Any], *, exists: bool) -> None:
    """Insert the series' review row, or update it when it ``exists``; an IntegrityError when another
    connection inserted it first."""
    if exists:
        conn.execute(update(schema.reviews).where(series.where(schema.reviews)).values(**values))
        return
    conn.execute(insert(schema.reviews).values(**series.columns(), **values))


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
