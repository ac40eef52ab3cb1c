"""Users and their sessions: who may read the library, review, or administer it.

Passwords are kept as argon2id hashes (argon2-cffi, the `web` extra); a session is a random token whose
SHA-256 is stored — the database never holds a token that would let its reader log in.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Literal, get_args

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from cnbudget.domain.errors import UsageError
from cnbudget.domain.i18n import t
from cnbudget.store import schema

Role = Literal["admin", "reviewer", "viewer"]
ROLES: tuple[Role, ...] = get_args(Role)
ROLE_LABELS: dict[Role, str] = {"admin": "管理员", "reviewer": "审核人", "viewer": "查阅人"}
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


def _user(row: object) -> User:
    return User(row.id, row.username, row.display_name, row.role)  # type: ignore[attr-defined]


def _too_short() -> str:
    return t(
        f"密码太短：至少 {MIN_PASSWORD} 个字符",
        f"the password is too short: at least {MIN_PASSWORD} characters",
    )


def add_user(engine: Engine, username: str, password: str, role: str, display_name: str = "") -> User:
    """A new user; the username is unique and the password at least MIN_PASSWORD characters."""
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise UsageError(
            t(f"用户名“{username}”无效：1–64 个字符，不含空格",
              f"invalid username “{username}”: 1–64 characters, no spaces"),
            setting="username",
        )  # fmt: skip
    if role not in ROLES:
        raise UsageError(
            t(f"角色“{role}”无效：可用 {'、'.join(ROLES)}", f"invalid role “{role}”: use {', '.join(ROLES)}"),
            setting="role",
        )
    if len(password) < MIN_PASSWORD:
        raise UsageError(_too_short(), setting="password")
    hashed = _hasher().hash(password)
    try:
        with engine.begin() as conn:
            new_id = conn.execute(
                insert(schema.users).values(
                    username=username,
                    display_name=display_name.strip()[:100],
                    password_hash=hashed,
                    role=role,
                    active=True,
                    created_at=datetime.now(UTC),
                )
            ).inserted_primary_key[0]  # type: ignore[index]
    except IntegrityError:
        raise UsageError(
            t(f"用户“{username}”已存在", f"the user “{username}” exists already"), setting="username"
        ) from None
    return User(int(new_id), username, display_name.strip()[:100], role)


def set_password(engine: Engine, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UsageError(_too_short(), setting="password")
    u = schema.users.c
    with engine.begin() as conn:
        done = conn.execute(
            update(schema.users).where(u.username == username).values(password_hash=_hasher().hash(password))
        ).rowcount
        user_id = conn.execute(select(u.id).where(u.username == username)).scalar()
        if user_id is not None:
            conn.execute(delete(schema.sessions).where(schema.sessions.c.user_id == user_id))
    if not done:
        raise UsageError(t(f"没有用户“{username}”", f"no user “{username}”"), setting="username")


def list_users(engine: Engine) -> list[tuple[User, bool]]:
    u = schema.users.c
    with engine.connect() as conn:
        rows = conn.execute(select(schema.users).order_by(u.username)).all()
    return [(_user(r), bool(r.active)) for r in rows]


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The active user with this password; None otherwise (the same time is spent on an unknown name)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    with engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.username == username.strip())).first()
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
        conn.execute(delete(schema.sessions).where(schema.sessions.c.expires_at < now))
        conn.execute(
            insert(schema.sessions).values(
                token_hash=_digest(token),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
    return token, Session(user, csrf)


def session_for(engine: Engine, token: str) -> Session | None:
    """The live session of this cookie token, None when unknown, expired or its user deactivated."""
    if not token or len(token) > 200:
        return None
    s, u = schema.sessions.c, schema.users.c
    with engine.connect() as conn:
        row = conn.execute(
            select(s.csrf_token, s.expires_at, u.id, u.username, u.display_name, u.role, u.active)
            .join(schema.users, u.id == s.user_id)
            .where(s.token_hash == _digest(token))
        ).first()
    if row is None or not row.active:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    if expires < datetime.now(UTC):
        return None
    return Session(_user(row), row.csrf_token)


def close_session(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(schema.sessions).where(schema.sessions.c.token_hash == _digest(token)))


def user_by_id(engine: Engine, user_id: int) -> tuple[User, bool]:
    with engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.id == user_id)).first()
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
    if role is not None and role not in ROLES:
        raise UsageError(
            t(f"角色“{role}”无效：可用 {'、'.join(ROLES)}", f"invalid role “{role}”: use {', '.join(ROLES)}"),
            setting="role",
        )
    if password is not None and len(password) < MIN_PASSWORD:
        raise UsageError(_too_short(), setting="password")
    user, was_active = user_by_id(engine, user_id)
    u = schema.users.c
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
        conn.execute(update(schema.users).where(u.id == user_id).values(**values))
        admins = conn.execute(
            select(func.count()).select_from(schema.users).where(u.role == "admin", u.active.is_(True))
        ).scalar()
        if not admins:
            raise UsageError(
                t("至少要有一位在用的管理员", "at least one active administrator must remain"), setting="role"
            )
        if active is False or password is not None:
            conn.execute(delete(schema.sessions).where(schema.sessions.c.user_id == user_id))
    return user_by_id(engine, user_id)


def change_own_password(engine: Engine, user: User, current: str, new: str) -> None:
    """The user's own new password, given the current one; their other sessions end."""
    if authenticate(engine, user.username, current) is None:
        raise UsageError(t("当前密码不正确", "the current password is wrong"), setting="current")
    change_user(engine, user.id, password=new)
