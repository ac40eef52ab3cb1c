"""One error shape for the API and one error page for people, whatever went wrong.

API: ``{"error": {"status": 404, "code": "not_found", "message": "…", "field": "document"}}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from cnbudget.domain.errors import CnbudgetError, DatabaseError, InputError, OutputError, UsageError

CODES = {400: "bad_request", 401: "not_logged_in", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 415: "unsupported_type", 422: "invalid", 429: "too_many_attempts",
         500: "server_error",
         503: "unavailable"}  # fmt: skip


class WebError(Exception):
    """An answer other than success, with the words a person reads."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field
        self.code = code
        """A more precise code than the status's (``bad_credentials`` rather than ``not_logged_in``)."""
        self.headers = headers or {}


def status_of(exc: CnbudgetError) -> int:
    if isinstance(exc, UsageError):
        return 404 if exc.setting in ("document", "finding", "organisation", "upload", "user") else 400
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, DatabaseError | OutputError):
        return 503
    return 400


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def error_response(
    request: Request,
    status: int,
    message: str,
    field: str | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    response = _error_response(request, status, message, field, code)
    response.headers.update(headers or {})
    return response


def _error_response(
    request: Request, status: int, message: str, field: str | None, code: str | None
) -> Response:
    if _wants_json(request):
        body: dict[str, Any] = {
            "status": status,
            "code": code or CODES.get(status, "error"),
            "message": message,
        }
        if field:
            body["field"] = field
        return JSONResponse({"error": body}, status_code=status)
    if status == 401:
        from urllib.parse import quote, urlsplit

        from fastapi.responses import RedirectResponse

        # back where the person was: the page itself, or — for a form sent after the session ended — the
        # page the form was on (what was typed there is kept by the page's script)
        target = request.url.path if request.method == "GET" else "/documents"
        referer = urlsplit(request.headers.get("referer", ""))
        if request.method != "GET" and referer.netloc == request.headers.get("host", "") and referer.path:
            target = referer.path
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    templates = request.app.state.templates
    return HTMLResponse(
        templates.get_template("error.html").render(status=status, message=message, user=None, csrf=""),
        status_code=status,
    )


def too_large(request: Request) -> str:
    """The words of a 413, with the limit that applied to this request."""
    limit = request.scope.get("starlette.max_body_size")
    if not isinstance(limit, int):
        return "请求太大"
    if limit < 1024 * 1024:
        return f"请求太大：最多 {limit // 1024} KB"
    return f"请求太大：一次最多 {limit // (1024 * 1024)} MB（更多文件请分几次上传）"


def install(app: Any) -> None:
    @app.exception_handler(WebError)
    async def _web(request: Request, exc: WebError) -> Response:
        return error_response(request, exc.status, exc.message, exc.field, exc.code, exc.headers)

    @app.exception_handler(CnbudgetError)
    async def _cnbudget(request: Request, exc: CnbudgetError) -> Response:
        return error_response(request, status_of(exc), str(exc), exc.setting)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        words = {404: "没有这个页面", 405: "不支持这种请求方式", 413: too_large(request)}
        return error_response(request, exc.status_code, words.get(exc.status_code, str(exc.detail)))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
        return error_response(
            request, 422, f"参数无效：{where} {first.get('msg', '')}".strip(), where or None
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        import logging

        logging.getLogger("cnbudget.web").exception("unexpected error on %s", request.url.path)
        return error_response(request, 500, "服务器内部错误（已记录日志，请联系管理员）")
