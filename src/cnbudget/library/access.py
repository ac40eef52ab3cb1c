"""Logging in, with its policy: wrong passwords are throttled per account and per address, and every
attempt is in the audit log.

Policy (stated in the README): after ``ACCOUNT_FAILURES`` wrong passwords for one account within
``WINDOW`` (counted since its last successful login), or ``ADDRESS_FAILURES`` from one address within
``WINDOW``, further attempts are refused — the password is not even checked — until the oldest of those
failures is ``WINDOW`` old; the refusal says when to try again. Nothing is locked for good: an
administrator can also reset the password, which does not lift the wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from cnbudget.library.accounts import User, authenticate
from cnbudget.library.activity import record
from cnbudget.store.events import failures_since

WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = 10
ADDRESS_FAILURES = 30


@dataclass(frozen=True, slots=True)
class Throttled(Exception):
    """Too many wrong passwords: try again in ``retry_after`` seconds."""

    retry_after: int
    reason: str

    def __str__(self) -> str:
        minutes = max(1, -(-self.retry_after // 60))
        return f"{self.reason}，请 {minutes} 分钟后再试"


def _wait(failures: list[datetime], limit: int, now: datetime) -> int | None:
    """Seconds until fewer than ``limit`` failures are inside the window; None when they already are."""
    if len(failures) < limit:
        return None
    oldest_counted = failures[-limit]
    return max(1, int((oldest_counted + WINDOW - now).total_seconds()) + 1)


def log_in(engine: Engine, username: str, password: str, address: str) -> User | None:
    """The user when the password is right; None when wrong; Throttled when attempts are refused."""
    username = username.strip()
    now = datetime.now(UTC)
    since = now - WINDOW
    waits = [
        (_wait(failures_since(engine, since, username=username), ACCOUNT_FAILURES, now), "该账号密码错误次数过多"),
        (_wait(failures_since(engine, since, address=address), ADDRESS_FAILURES, now), "此地址密码错误次数过多"),
    ]  # fmt: skip
    refused = [(wait, reason) for wait, reason in waits if wait is not None]
    if refused:
        wait, reason = max(refused)
        record(engine, "login_refused", username=username, address=address, detail=reason)
        raise Throttled(wait, reason)
    user = authenticate(engine, username, password)
    if user is None:
        record(engine, "login_failed", username=username, address=address)
        return None
    record(engine, "login", user_id=user.id, username=user.username, address=address)
    return user
