"""The first thing every request meets, before any of its body is read (a plain ASGI middleware, so that
nothing — not FastAPI's form parsing, not a dependency — touches the body first):

1. a change (POST, PUT, PATCH, DELETE) sent from another origin — another site, or this host on another
   port — is refused (403): browsers send ``Origin`` (or at least ``Referer``) with every such request, and
   a login form posted from elsewhere would otherwise log the victim in as the attacker;
2. a body sent to anything but the login needs a live session first: without one the answer is 401 at
   once, the body unread (an anonymous client cannot fill the disk);
3. the body is counted as it arrives and cut at the limit (413), whatever the framing — a declared
   ``Content-Length`` above the limit is refused at once, a chunked body when it passes it (Starlette's
   ``RequestBodyLimitResponder``, which FastAPI answers with a 413 in the usual error shape).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from anyio import to_thread
from starlette.middleware.body_limit import RequestBodyLimitResponder
from starlette.requests import Request, cookie_parser

from cnbudget.library.accounts import session_for
from cnbudget.web.errors import error_response, too_large
from cnbudget.web.security import SESSION_COOKIE, UNSAFE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

LOGIN_PATHS = frozenset({"/login", "/api/v1/login"})
"""Where a body is accepted without a session (a login form is small)."""
LOGIN_BODY_LIMIT = 16 * 1024


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _same_origin(headers: dict[str, str]) -> bool:
    """True unless the request says it comes from another origin — another host, or this host on another
    port — than the ``Host`` it was sent to (the scheme is not compared: behind a proxy that ends HTTPS the
    app sees plain HTTP); a client that sends neither ``Origin`` nor ``Referer`` (curl, scripts with the
    API) is not a browser being abused."""
    host = headers.get("host", "")
    source = headers.get("origin") or headers.get("referer") or ""
    if not source:
        return True
    if source == "null":
        return False
    return urlsplit(source).netloc.lower() == host.lower()


def _session_token(headers: dict[str, str]) -> str:
    """The session cookie, parsed as Starlette parses cookies for the app (leniently: another application's
    odd cookie on the same host must not hide this one)."""
    return cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE, "")


class BodyGuard:
    """See the module's docstring; ``limit`` is the largest body of a request with a session."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        request = Request(scope)
        if not _same_origin(headers):
            await self._answer(request, send, 403, "请求来自其他网站或端口，已拒绝", "origin")
            return
        is_login = scope["path"] in LOGIN_PATHS
        limit = LOGIN_BODY_LIMIT if is_login else self.limit
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            request.scope["starlette.max_body_size"] = limit
            await self._answer(request, send, 413, too_large(request), "body")
            return
        if not is_login:
            engine = scope["app"].state.engine
            token = _session_token(headers)
            if not token or await to_thread.run_sync(session_for, engine, token) is None:
                await self._answer(request, send, 401, "请先登录", "session")
                return
        # Starlette's own limit counts what arrives, whatever the framing; FastAPI turns it into a 413
        await RequestBodyLimitResponder(self.app, limit)(scope, receive, send)

    async def _answer(self, request: Request, send: Send, status: int, message: str, field: str) -> None:
        response = error_response(request, status, message, field)
        response.headers["Connection"] = "close"
        response.headers["Cache-Control"] = "no-store"
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        await response(request.scope, request.receive, send)
