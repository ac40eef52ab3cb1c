"""Who is asking, and may they: session cookies (HttpOnly, SameSite=Lax), CSRF tokens on every change,
roles (viewer reads, reviewer decides and uploads, admin manages users).

Every request that changes something (POST, PUT, PATCH, DELETE) must carry the session's CSRF token — in
the form field ``csrf_token`` or the ``X-CSRF-Token`` header — besides the cookie; the login form, before
any session exists, uses a double-submit cookie instead.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response

from cnbudget.library.access import Throttled, log_in
from cnbudget.library.accounts import Session, User, session_for
from cnbudget.library.activity import record
from cnbudget.web.errors import WebError

LOG = logging.getLogger("cnbudget.web")
SESSION_COOKIE = "cnbudget_session"
LOGIN_COOKIE = "cnbudget_login"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def set_cookie(response: Response, name: str, value: str, secure: bool, max_age: int | None = None) -> None:
    response.set_cookie(name, value, httponly=True, samesite="lax", secure=secure, max_age=max_age, path="/")


async def _form_token(request: Request) -> str:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def current_session(request: Request) -> Session:
    """The logged-in session (401 otherwise); for a change, its CSRF token checked too (403)."""
    engine = request.app.state.engine
    session = session_for(engine, request.cookies.get(SESSION_COOKIE, ""))
    if session is None:
        raise WebError(401, "请先登录")
    if request.method in UNSAFE:
        sent = request.headers.get(CSRF_HEADER) or await _form_token(request)
        if not sent or not hmac.compare_digest(sent, session.csrf_token):
            raise WebError(403, "请求缺少有效的 CSRF 令牌（请刷新页面后重试）", "csrf_token")
    request.state.session = session
    return session


SessionDep = Annotated[Session, Depends(current_session)]


async def reviewer(session: SessionDep) -> Session:
    if not session.user.can_review:
        raise WebError(403, "只有审核人和管理员可以这样做")
    return session


async def admin(session: SessionDep) -> Session:
    if not session.user.is_admin:
        raise WebError(403, "只有管理员可以这样做")
    return session


ReviewerDep = Annotated[Session, Depends(reviewer)]
AdminDep = Annotated[Session, Depends(admin)]


def login_token(request: Request) -> str:
    """The double-submit token of the login form: the cookie's, or a new one."""
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)


def check_login_token(request: Request, sent: str) -> None:
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise WebError(403, "登录表单已过期，请刷新页面后重试", "csrf_token")


def address(request: Request) -> str:
    """The client's address, for the audit log and the throttling of wrong passwords."""
    return request.client.host if request.client else ""


def log_in_or_refuse(request: Request, username: str, password: str) -> User | None:
    """`library.access.log_in` from this client; too many wrong passwords is a 429 with Retry-After."""
    try:
        user = log_in(request.app.state.engine, username, password, address(request))
        LOG.info("login %s %r from %s", "ok" if user else "failed", username[:64], address(request))
        return user
    except Throttled as exc:
        LOG.warning("login refused %r from %s: %s", username[:64], address(request), exc.reason)
        raise WebError(
            429, str(exc), "password", code="too_many_attempts", headers={"Retry-After": str(exc.retry_after)}
        ) from None


def audit(request: Request, action: str, target: str = "", detail: str = "") -> None:
    """Add what the logged-in user just did to the audit log."""
    session: Session | None = getattr(request.state, "session", None)
    LOG.info("%s by %s from %s: %s %s", action, session.user.username if session else "-", address(request),
             target, detail[:200])  # fmt: skip
    record(
        request.app.state.engine,
        action,
        user_id=session.user.id if session else None,
        username=session.user.username if session else "",
        address=address(request),
        target=target,
        detail=detail,
    )
