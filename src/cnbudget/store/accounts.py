"""The users and sessions tables: plain queries. What a password must be, how it is hashed, when a session
ends and who may change whom is the library's policy (`cnbudget.library.accounts`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from cnbudget.store import schema


class DuplicateUser(Exception):
    """A user with this username exists already."""


def insert_user(conn: Connection, values: dict[str, Any]) -> int:
    """The new user's id; DuplicateUser when the username is taken (the transaction is then unusable)."""
    try:
        return int(conn.execute(insert(schema.users).values(**values)).inserted_primary_key[0])  # type: ignore[index]
    except IntegrityError:
        raise DuplicateUser(values.get("username", "")) from None


def user_rows(conn: Connection) -> list[Row[Any]]:
    return list(conn.execute(select(schema.users).order_by(schema.users.c.username)).all())


def user_row(conn: Connection, *, user_id: int | None = None, username: str | None = None) -> Row[Any] | None:
    u = schema.users.c
    where = u.id == user_id if user_id is not None else u.username == username
    return conn.execute(select(schema.users).where(where)).first()


def update_user(conn: Connection, user_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(schema.users).where(schema.users.c.id == user_id).values(**values))


def active_admins(conn: Connection) -> int:
    u = schema.users.c
    count = conn.execute(
        select(func.count()).select_from(schema.users).where(u.role == "admin", u.active.is_(True))
    ).scalar()
    return int(count or 0)


def insert_session(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(schema.sessions).values(**values))


def delete_sessions(
    conn: Connection,
    *,
    user_id: int | None = None,
    token_hash: str | None = None,
    expired_before: datetime | None = None,
) -> None:
    s = schema.sessions.c
    if user_id is not None:
        conn.execute(delete(schema.sessions).where(s.user_id == user_id))
    if token_hash is not None:
        conn.execute(delete(schema.sessions).where(s.token_hash == token_hash))
    if expired_before is not None:
        conn.execute(delete(schema.sessions).where(s.expires_at < expired_before))


def session_row(conn: Connection, token_hash: str) -> Any:
    """The session with its user's id, username, display name, role and whether they are active."""
    s, u = schema.sessions.c, schema.users.c
    return conn.execute(
        select(s.csrf_token, s.expires_at, u.id, u.username, u.display_name, u.role, u.active)
        .join(schema.users, u.id == s.user_id)
        .where(s.token_hash == token_hash)
    ).first()
