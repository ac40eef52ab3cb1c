"""Users and their sessions, with the library's policy: who may read the library, review, or administer it.

Passwords are kept as argon2id hashes (argon2-cffi, the `web` extra) and must have `MIN_PASSWORD`
characters; a session is a random token whose SHA-256 is stored — the database never holds a token that
would let its reader log in — and lasts `SESSION_HOURS`; a user deactivated or given a new password loses
every session; the last active administrator stays one. The tables are `cnbudget.store.accounts`.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Engine

from cnbudget.domain.errors import UsageError
from cnbudget.domain.i18n import t
from cnbudget.domain.vocabulary import ROLE_LABELS, ROLES, Role
from cnbudget.store import accounts as table

__all__ = [
    "MIN_PASSWORD", "ROLES", "ROLE_LABELS", "SESSION_HOURS", "Role", "Session", "User", "add_user",
    "authenticate", "change_own_password", "change_user", "close_session", "list_users", "open_session",
    "session_for", "set_password", "user_by_id",
]  # fmt: skip

SESSION_HOURS = 12
MIN_PASSWORD = 8


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role

    @property
    def can_review(self) -> bool:
        return self.role in ("admin", "reviewer")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def label(self) -> str:
        return self.display_name or self.username


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    csrf_token: str


def _hasher():  # type: ignore[no-untyped-def]
    try:
        from argon2 import PasswordHasher
    except ImportError as exc:  # pragma: no cover - the web extra is installed with the tests
        raise UsageError("用户管理需要 web 组件：pip install 'cnbudget[web]'") from exc
    return PasswordHasher()


def _user(row: Any) -> User:
    return User(row.id, row.username, row.display_name, row.role)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UsageError(
            t(f"密码太短：至少 {MIN_PASSWORD} 个字符",
              f"the password is too short: at least {MIN_PASSWORD} characters"),
            setting="password",
        )  # fmt: skip


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UsageError(
            t(f"角色“{role}”无效：可用 {'、'.join(ROLES)}", f"invalid role “{role}”: use {', '.join(ROLES)}"),
            setting="role",
        )


def add_user(engine: Engine, username: str, password: str, role: str, display_name: str = "") -> User:
    """A new user; the username is unique (1–64 characters, no spaces) and the password long enough."""
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise UsageError(
            t(f"用户名“{username}”无效：1–64 个字符，不含空格",
              f"invalid username “{username}”: 1–64 characters, no spaces"),
            setting="username",
        )  # fmt: skip
    _check_role(role)
    _check_password(password)
    shown = display_name.strip()[:100]
    values = {
        "username": username,
        "display_name": shown,
        "password_hash": _hasher().hash(password),
        "role": role,
        "active": True,
        "created_at": datetime.now(UTC),
    }
    try:
        with engine.begin() as conn:
            new_id = table.insert_user(conn, values)
    except table.DuplicateUser:
        raise UsageError(
            t(f"用户“{username}”已存在", f"the user “{username}” exists already"), setting="username"
        ) from None
    return User(new_id, username, shown, role)  # type: ignore[arg-type]


def set_password(engine: Engine, username: str, password: str) -> None:
    """A new password for the user (from the command line); their sessions end."""
    _check_password(password)
    with engine.begin() as conn:
        row = table.user_row(conn, username=username)
        if row is None:
            raise UsageError(t(f"没有用户“{username}”", f"no user “{username}”"), setting="username")
        table.update_user(conn, row.id, {"password_hash": _hasher().hash(password)})
        table.delete_sessions(conn, user_id=row.id)


def list_users(engine: Engine) -> list[tuple[User, bool]]:
    """Every user, by username, and whether they are active."""
    with engine.connect() as conn:
        return [(_user(r), bool(r.active)) for r in table.user_rows(conn)]


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The active user with this password; None otherwise (the same time is spent on an unknown name)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    with engine.connect() as conn:
        row = table.user_row(conn, username=username.strip())
    if row is None or not row.active:
        with contextlib.suppress(VerificationError, InvalidHashError):
            hasher.verify(_dummy_hash(), password)  # the same time as for a known user
        return None
    try:
        hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return _user(row)


@cache
def _dummy_hash() -> str:
    return str(_hasher().hash(secrets.token_hex(8)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def open_session(engine: Engine, user: User, hours: int = SESSION_HOURS) -> tuple[str, Session]:
    """A new session: the token for the cookie, and the session (with its CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        table.delete_sessions(conn, expired_before=now)
        table.insert_session(
            conn,
            {"token_hash": _digest(token), "user_id": user.id, "csrf_token": csrf, "created_at": now,
             "expires_at": now + timedelta(hours=hours)},
        )  # fmt: skip
    return token, Session(user, csrf)


def session_for(engine: Engine, token: str) -> Session | None:
    """The live session of this cookie token, None when unknown, expired or its user deactivated."""
    if not token or len(token) > 200:
        return None
    with engine.connect() as conn:
        row = table.session_row(conn, _digest(token))
    if row is None or not row.active:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    if expires < datetime.now(UTC):
        return None
    return Session(_user(row), row.csrf_token)


def close_session(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        table.delete_sessions(conn, token_hash=_digest(token))


def user_by_id(engine: Engine, user_id: int) -> tuple[User, bool]:
    with engine.connect() as conn:
        row = table.user_row(conn, user_id=user_id)
    if row is None:
        raise UsageError(t(f"没有编号为 {user_id} 的用户", f"no user #{user_id}"), setting="user")
    return _user(row), bool(row.active)


def change_user(
    engine: Engine,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> tuple[User, bool]:
    """An administrator's change of a user: role, active, a new password (the user's sessions end when
    they are deactivated or given a new password). The last active administrator stays one."""
    if role is not None:
        _check_role(role)
    if password is not None:
        _check_password(password)
    user, was_active = user_by_id(engine, user_id)
    values: dict[str, object] = {}
    if role is not None:
        values["role"] = role
    if active is not None:
        values["active"] = active
    if password is not None:
        values["password_hash"] = _hasher().hash(password)
    if not values:
        return user, was_active
    with engine.begin() as conn:
        table.update_user(conn, user_id, values)
        if not table.active_admins(conn):  # raising here rolls the change back
            raise UsageError(
                t("至少要有一位在用的管理员", "at least one active administrator must remain"), setting="role"
            )
        if active is False or password is not None:
            table.delete_sessions(conn, user_id=user_id)
    return user_by_id(engine, user_id)


def change_own_password(engine: Engine, user: User, current: str, new: str) -> None:
    """The user's own new password, given the current one; their other sessions end."""
    if authenticate(engine, user.username, current) is None:
        raise UsageError(t("当前密码不正确", "the current password is wrong"), setting="current")
    change_user(engine, user.id, password=new)
