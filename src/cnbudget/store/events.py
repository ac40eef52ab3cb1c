"""The audit log: one row per thing a person did on the web (logins, failures, uploads, decisions, user
and document changes, exports), added and read, never changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, select

from cnbudget.domain.vocabulary import EVENT_LABELS
from cnbudget.store import schema


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    at: datetime
    action: str
    username: str
    address: str
    target: str
    detail: str

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


def record(
    engine: Engine,
    action: str,
    *,
    user_id: int | None = None,
    username: str = "",
    address: str = "",
    target: str = "",
    detail: str = "",
) -> None:
    row = schema.fit(
        schema.events,
        {"at": datetime.now(UTC), "action": action, "user_id": user_id, "username": username,
         "address": address, "target": target, "detail": detail},
    )  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(schema.events).values(**row))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def failures_since(
    engine: Engine, since: datetime, *, username: str | None = None, address: str | None = None
) -> list[datetime]:
    """When the failed logins of this name (after its last success) or from this address happened, oldest
    first, from ``since`` on."""
    e = schema.events.c
    with engine.connect() as conn:
        query = select(e.at).where(e.action == "login_failed", e.at >= since)
        if username is not None:
            last_ok = conn.execute(
                select(func.max(e.at)).where(e.action == "login", e.username == username)
            ).scalar()
            query = query.where(e.username == username)
            if last_ok is not None:
                query = query.where(e.at > last_ok)
        if address is not None:
            query = query.where(e.address == address)
        return [_aware(at) for at in conn.execute(query.order_by(e.at)).scalars()]


def events(
    engine: Engine, *, action: str = "", username: str = "", limit: int = 200, offset: int = 0
) -> tuple[list[Event], int]:
    """The newest events first (filtered by action and/or user name), and how many match in all."""
    e = schema.events.c
    where = []
    if action:
        where.append(e.action == action)
    if username:
        where.append(e.username == username)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(schema.events).where(*where)).scalar() or 0
        rows = conn.execute(
            select(e.id, e.at, e.action, e.username, e.address, e.target, e.detail)
            .where(*where)
            .order_by(e.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
    return [
        Event(r.id, _aware(r.at), r.action, r.username, r.address, r.target, r.detail) for r in rows
    ], int(total)
