"""The pages people use: server-rendered (Jinja2, autoescaped), working without JavaScript; app.js adds
drag-and-drop upload, live progress, evidence loaded on demand and keyboard navigation between findings."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from cnbudget.domain.errors import CnbudgetError, UsageError
from cnbudget.domain.numbers import format_amount
from cnbudget.domain.vocabulary import (
    ACTION_LABELS,
    EVENT_LABELS,
    KIND_LABELS,
    REVIEW_LABELS,
    ROLE_LABELS,
    SCOPE_LABELS,
    SEVERITY_LABELS,
    STATE_LABELS,
    UPLOAD_LABELS,
)
from cnbudget.library.accounts import (
    add_user,
    change_own_password,
    change_user,
    close_session,
    list_users,
    open_session,
    session_for,
)
from cnbudget.library.activity import entries
from cnbudget.library.review import (
    decide,
    document_facts,
    document_tables,
    document_view,
    documents_overview,
    set_review,
)
from cnbudget.library.uploads import uploads
from cnbudget.model.answer import Answer, display
from cnbudget.report import formats
from cnbudget.web import services
from cnbudget.web.errors import WebError
from cnbudget.web.params import (
    KINDS,
    MAX_ID,
    SEVERITIES,
    DocumentId,
    FindingId,
    PageNumber,
    UserId,
    ids_of,
    one_of,
    year_of,
)
from cnbudget.web.security import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    AdminDep,
    ReviewerDep,
    SessionDep,
    audit,
    check_login_token,
    log_in_or_refuse,
    login_token,
    set_cookie,
)

router = APIRouter(include_in_schema=False)


def install_filters(templates: Jinja2Templates) -> None:
    env = templates.env
    env.filters["amount"] = lambda v: "" if v is None else format_amount(v) if isinstance(v, Decimal) else v
    env.filters["cell"] = display
    env.globals.update(
        KIND_LABELS=KIND_LABELS,
        SCOPE_LABELS=SCOPE_LABELS,
        SEVERITY_LABELS=SEVERITY_LABELS,
        REVIEW_LABELS=REVIEW_LABELS,
        STATE_LABELS=STATE_LABELS,
        ACTION_LABELS=ACTION_LABELS,
        UPLOAD_LABELS=UPLOAD_LABELS,
        ROLE_LABELS=ROLE_LABELS,
    )


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    session = getattr(request.state, "session", None)
    html = request.app.state.templates.get_template(template).render(
        request=request,
        user=session.user if session else None,
        csrf=session.csrf_token if session else "",
        **context,
    )
    return HTMLResponse(html, status_code=status)


def back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _safe_next(target: str) -> str:
    """Only a path on this site (no scheme, no //host): the login form must not redirect elsewhere."""
    return (
        target
        if target.startswith("/") and not target.startswith("//") and "\\" not in target
        else "/documents"
    )


# ---- logging in ---------------------------------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request, next: str = "/documents") -> HTMLResponse:
    token = login_token(request)
    response = render(request, "login.html", next=_safe_next(next), login_csrf=token, error="")
    set_cookie(response, LOGIN_COOKIE, token, request.app.state.config.secure_cookies, 3600)
    return response


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/documents",
) -> Response:
    check_login_token(request, csrf_token)
    config = request.app.state.config
    user = log_in_or_refuse(request, username, password)
    if user is None:
        return render(request, "login.html", status=401, next=_safe_next(next), login_csrf=csrf_token,
                      error="用户名或密码不正确")  # fmt: skip
    token, _ = open_session(request.app.state.engine, user, config.session_hours)
    response = back(_safe_next(next))
    set_cookie(response, SESSION_COOKIE, token, config.secure_cookies, config.session_hours * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    close_session(request.app.state.engine, request.cookies.get(SESSION_COOKIE, ""))
    audit(request, "logout")
    response = back("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(request: Request) -> Response:
    logged_in = session_for(request.app.state.engine, request.cookies.get(SESSION_COOKIE, ""))
    return back("/documents" if logged_in else "/login")


# ---- documents ----------------------------------------------------------------------------------------------


@router.get("/documents")
def documents_page(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    status: str = "",
    all_versions: bool = False,
) -> HTMLResponse:
    status = status if status in REVIEW_LABELS else ""
    rows = documents_overview(request.app.state.engine, q, status, all_versions)
    return render(request, "documents.html", rows=rows, q=q, wanted=status, all_versions=all_versions)


PAGE_SIZE = 100
"""Findings per page of a document: a document with 500 findings opens on its first hundred."""


@router.get("/documents/{document_id}")
def document_page(
    request: Request,
    document_id: DocumentId,
    session: SessionDep,
    severity: Annotated[str, Query(max_length=10)] = "",
    state: Annotated[str, Query(max_length=10)] = "",
    rule: Annotated[str, Query(max_length=40)] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    start: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    return _document(request, document_id, severity, state, rule, q, start)


def _document(
    request: Request, document_id: int, severity: str = "", state: str = "", rule: str = "", q: str = "",
    start: int = 0, problem: dict[str, Any] | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    engine = request.app.state.engine
    view = document_view(engine, document_id)
    level = one_of(severity, SEVERITIES, "severity", "级别") or ""
    state = state if state in STATE_LABELS else ""
    words = q.strip()
    order = {"error": 0, "warning": 1, "info": 2}
    chosen = [
        f for f in sorted(view.findings, key=lambda f: (order.get(f.severity, 3), f.id))
        if (not level or f.severity == level) and (not state or f.state == state) and (not rule or f.rule_id == rule)
        and (not words or words in f.message or words in f.rule_id or words in (f.part or ""))
    ]  # fmt: skip
    shown = chosen[start : start + PAGE_SIZE]
    groups: dict[str, list[Any]] = {}
    for f in shown:
        groups.setdefault(f.part, []).append(f)
    reviewers = [u for u, active in list_users(engine) if active and u.can_review]
    warnings = _folded(view.parse_warnings)
    filters = {"severity": level, "state": state, "rule": rule, "q": words}
    query = urlencode([(k, v) for k, v in filters.items() if v])
    return render(request, "document.html", status=status, view=view, groups=groups, reviewers=reviewers,
                  warnings=warnings, filters=filters, query=query, start=start, page_size=PAGE_SIZE,
                  matched=len(chosen), rules=sorted({f.rule_id for f in view.findings}), problem=problem or {})  # fmt: skip


def _folded(parse_warnings: list[Any]) -> list[tuple[str, int]]:
    """Each parse warning once, with how many times it was given, in the order first given."""
    counts: dict[str, int] = {}
    for w in parse_warnings:
        text = w if isinstance(w, str) else str(w.get("message") or w) if isinstance(w, dict) else str(w)
        # the reviewer reading the page cannot install anything: whoever runs the server can
        text = text.replace("未安装 OCR 组件", "服务器未安装 OCR 组件（请告知管理员）")
        counts[text] = counts.get(text, 0) + 1
    return list(counts.items())


@router.get("/documents/{document_id}/findings/{finding_id}/evidence")
def evidence(
    request: Request, document_id: DocumentId, finding_id: FindingId, session: SessionDep
) -> HTMLResponse:
    view = document_view(request.app.state.engine, document_id)
    finding = view.finding(finding_id)
    evidence = services.evidence_places(request, document_id, finding.evidence)
    boxed = [e["page"] for e in evidence if e.get("page") and e.get("bbox")]
    pages = []
    # every page the finding names: those with a box first (a cell, a sentence, a row), then the rest
    for page in list(dict.fromkeys([*boxed, *finding.pages]))[:3]:
        try:
            _, width, height = services.page_image(request, document_id, page)
        except WebError:
            continue
        boxes = [e for e in evidence if e.get("page") == page and e.get("bbox")]
        pages.append({"number": page, "width": width, "height": height, "boxes": boxes})
    fragment = request.headers.get("x-fragment") == "1"
    return render(
        request, "evidence.html", view=view, f=finding, pages=pages, fragment=fragment, evidence=evidence
    )


@router.post("/documents/{document_id}/findings/{finding_id}/decide")
def decide_form(
    request: Request,
    document_id: DocumentId,
    finding_id: FindingId,
    session: ReviewerDep,
    action: Annotated[str, Form(max_length=16)],
    text: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        decide(request.app.state.engine, document_id, finding_id, session.user.id, action, text)
    except UsageError as exc:
        if exc.setting in ("document", "finding"):
            raise
        # the page again, the reason typed kept and the problem said beside the finding
        return _document(request, document_id, problem={"id": finding_id, "message": str(exc), "text": text},
                         status=400)  # fmt: skip
    audit(request, "decision", f"document {document_id} finding {finding_id}", f"{action} {text}".strip())
    return back(f"/documents/{document_id}#f{finding_id}")


@router.post("/documents/{document_id}/bulk")
def bulk_form(
    request: Request,
    document_id: DocumentId,
    session: ReviewerDep,
    action: Annotated[str, Form(max_length=16)],
    ids: Annotated[list[str] | None, Form(max_length=12)] = None,
    text: Annotated[str, Form(max_length=2000)] = "",
    back_to: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    chosen = ids_of(",".join(ids or []), "ids") or []
    if not chosen:
        return _document(request, document_id, problem={"id": 0, "message": "没有选择审核结果", "text": text},
                         status=400)  # fmt: skip
    try:
        services.decide_many(request, document_id, chosen, action, text)
    except UsageError as exc:
        if exc.setting in ("document", "finding"):
            raise
        return _document(
            request, document_id, problem={"id": 0, "message": str(exc), "text": text}, status=400
        )
    target = back_to if back_to.startswith(f"/documents/{document_id}") and "//" not in back_to else ""
    return back(target or f"/documents/{document_id}")


@router.post("/documents/{document_id}/review")
def review_form(
    request: Request,
    document_id: DocumentId,
    session: ReviewerDep,
    status: Annotated[str, Form(max_length=16)] = "",
    assignee_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    assignee: int | None | str = "keep"
    if assignee_id == "none":
        assignee = None
    elif assignee_id.isascii() and assignee_id.isdigit() and 0 < int(assignee_id) <= MAX_ID:
        assignee = int(assignee_id)
    elif assignee_id:
        raise WebError(422, f"审核人“{assignee_id[:20]}”无效", "assignee_id")
    result = set_review(request.app.state.engine, document_id, session.user.id, status or None, assignee)  # type: ignore[arg-type]
    audit(
        request, "review", f"document {document_id}", f"status={result.status} assignee={result.assignee_id}"
    )
    return back(f"/documents/{document_id}")


@router.get("/documents/{document_id}/tables")
def tables_page(
    request: Request, document_id: DocumentId, session: SessionDep, table: str = ""
) -> HTMLResponse:
    from cnbudget.domain.catalog import table_name

    engine = request.app.state.engine
    view = document_view(engine, document_id)
    kinds = document_tables(engine, document_id)
    chosen = table if table in kinds else (kinds[0] if kinds else "")
    columns: list[str] = []
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for fact in document_facts(engine, document_id, chosen) if chosen else []:
        if fact.column not in columns:
            columns.append(fact.column)
        row = rows.setdefault((fact.row_code, fact.row_label), {"code": fact.row_code, "label": fact.row_label,
                                                                  "page": fact.page, "cells": {}})  # fmt: skip
        row["cells"][fact.column] = fact.value

    def name(kind: str) -> str:
        try:
            return f"{kind} {table_name(kind)}"
        except KeyError:
            return kind

    return render(request, "tables.html", view=view, kinds=kinds, chosen=chosen, name=name,
                  columns=columns, rows=list(rows.values()))  # fmt: skip


@router.get("/documents/{document_id}/export/{what}")
def export(request: Request, document_id: DocumentId, what: str, session: SessionDep) -> Response:
    if what == "checklist.xlsx":
        return services.checklist_response(request, document_id, "xlsx")
    if what == "checklist.html":
        return services.checklist_response(request, document_id, "html")
    if what == "findings.xlsx":
        return services.findings_xlsx_response(request, document_id)
    if what == "facts.csv":
        return services.facts_csv_response(request, document_id)
    raise WebError(404, "没有这种导出")


@router.post("/reanalyse")
def reanalyse_library_form(request: Request, session: AdminDep) -> Response:
    services.reanalyse_library(request)
    return back("/events?action=reanalyse")


@router.post("/documents/{document_id}/correct")
def correct_form(
    request: Request,
    document_id: DocumentId,
    session: ReviewerDep,
    organisation: Annotated[str, Form(max_length=200)] = "",
    fiscal_year: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    year = year_of(fiscal_year, "fiscal_year")
    services.correct(request, document_id, organisation.strip() or None, year)
    return back(f"/documents/{document_id}")


@router.post("/documents/{document_id}/reanalyse")
def reanalyse_form(request: Request, document_id: DocumentId, session: ReviewerDep) -> Response:
    services.reanalyse(request, document_id)
    return back(f"/documents/{document_id}")


@router.post("/documents/{document_id}/delete")
def delete_form(request: Request, document_id: DocumentId, session: ReviewerDep) -> Response:
    services.delete_document(request, document_id)
    return back("/documents")


@router.get("/documents/{document_id}/original")
def original(request: Request, document_id: DocumentId, session: SessionDep) -> Response:
    return services.original_response(request, document_id)


@router.get("/documents/{document_id}/pages/{page}.png")
def page_png(request: Request, document_id: DocumentId, page: PageNumber, session: SessionDep) -> Response:
    png, _, _ = services.page_image(request, document_id, page)
    return Response(png, media_type="image/png")


# ---- uploads ------------------------------------------------------------------------------------------------


@router.get("/upload")
def upload_page(request: Request, session: ReviewerDep) -> HTMLResponse:
    return render(request, "upload.html", limits=request.app.state.config.limits, refused=[])


@router.post("/upload")
async def upload_form(
    request: Request, session: ReviewerDep, files: Annotated[list[UploadFile], File()]
) -> Response:
    accepted, refused = await services.receive_uploads(request, files, session.user.id)
    if refused and not accepted:
        return render(request, "upload.html", status=refused[0]["status"], limits=request.app.state.config.limits,
                      refused=refused)  # fmt: skip
    return back("/uploads?" + urlencode({"ids": ",".join(str(a["id"]) for a in accepted)}))


@router.get("/uploads")
def uploads_page(
    request: Request,
    session: SessionDep,
    ids: Annotated[str, Query(pattern=r"^[0-9,]*$", max_length=2000)] = "",
) -> HTMLResponse:
    wanted = ids_of(ids)
    found = uploads(request.app.state.engine, wanted, limit=200)
    return render(request, "uploads.html", uploads=found, ids=ids)


# ---- the library --------------------------------------------------------------------------------------------


def _answer(
    request: Request, title: str, form: dict[str, Any], ask: Any, required: tuple[str, ...] = ()
) -> Response:
    """A library question as a page: its form, and its answer — table and chart — once the required fields
    are filled; ``?download=csv|xlsx`` gives the answer as a file (CSV with BOM for Excel; XLSX with a chart)."""
    from cnbudget.report.answer.html import chart_svg
    from cnbudget.report.answer.xlsx import answer_xlsx

    answer: Answer | None = None
    error = ""
    if all(form.get(k) not in (None, "") for k in required):
        try:
            answer = ask()
        except CnbudgetError as exc:
            error = str(exc)
    wanted = request.query_params.get("download", "")
    if answer is not None and wanted == "csv":
        return services.download(
            ("\ufeff" + answer.to_csv()).encode("utf-8"), f"{title}.csv", formats.CSV.media_type, request
        )
    if answer is not None and wanted == "xlsx":
        return services.download(answer_xlsx(answer), f"{title}.xlsx", formats.XLSX.media_type, request)
    svg = chart_svg(answer.chart) if answer is not None and answer.chart is not None else ""
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "download"])
    chosen = list(dict.fromkeys(_metrics(request.query_params.getlist("metric")) or []))
    return render(request, "answer.html", title=title, form=form, answer=answer, error=error, chart_svg=svg,
                  query=query, choices=_choices(), chosen_metrics=chosen, code_metrics=",".join(m for m in chosen if ":" in m))  # fmt: skip


def _choices() -> dict[str, list[tuple[str, str]]]:
    """The values a library form offers, with the words people read (the ids stay in the address)."""
    from cnbudget.library.questions import metrics

    named = [(r["metric"], r["label"]) for r in metrics().rows if not str(r["metric"]).endswith(":CODE")]
    return {
        "kind": [("budget", "预算"), ("final", "决算")],
        "severity": [("", "全部"), ("error", "错误"), ("warning", "警告"), ("info", "提示")],
        "metric": named,
    }


@router.get("/library/organisations")
def organisations_page(request: Request, session: SessionDep) -> Response:
    from cnbudget.library.questions import organisations

    return _answer(request, "部门（单位）", {}, lambda: organisations(request.app.state.engine))


@router.get("/library/compare")
def compare_page(
    request: Request, session: SessionDep, year: Annotated[str, Query(max_length=10)] = "",
    metric: Annotated[list[str] | None, Query(max_length=20)] = None, kind: Annotated[str, Query(max_length=10)] = "budget",
) -> Response:  # fmt: skip
    from cnbudget.library.questions import compare

    chosen = one_of(kind, KINDS, "kind", "类型") or "budget"
    number = year_of(year)
    return _answer(request, "部门比较", {"year": number, "metric": ",".join(metric or []), "kind": chosen},
                   lambda: compare(request.app.state.engine, number or 0, _metrics(metric), kind=chosen),
                   required=("year",))  # fmt: skip


@router.get("/library/history")
def history_page(
    request: Request,
    session: SessionDep,
    organisation: Annotated[str, Query(max_length=200)] = "",
    metric: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> Response:
    from cnbudget.library.questions import history

    return _answer(request, "历年变化", {"organisation": organisation, "metric": ",".join(metric or [])},
                   lambda: history(request.app.state.engine, organisation, _metrics(metric)),
                   required=("organisation",))  # fmt: skip


@router.get("/library/execution")
def execution_page(
    request: Request,
    session: SessionDep,
    organisation: Annotated[str, Query(max_length=200)] = "",
    year: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    from cnbudget.library.questions import execution

    number = year_of(year)
    return _answer(request, "预算执行（决算对预算）", {"organisation": organisation, "year": number},
                   lambda: execution(request.app.state.engine, organisation, number or 0),
                   required=("organisation", "year"))  # fmt: skip


@router.get("/library/findings")
def findings_page(
    request: Request, session: SessionDep, rule: Annotated[str, Query(max_length=40)] = "",
    severity: Annotated[str, Query(max_length=10)] = "", organisation: Annotated[str, Query(max_length=200)] = "",
    year: Annotated[str, Query(max_length=10)] = "",
) -> Response:  # fmt: skip
    from cnbudget.library.questions import findings

    level = one_of(severity, SEVERITIES, "severity", "级别")
    number = year_of(year)
    form = {"rule": rule, "severity": level or "", "organisation": organisation, "year": number}
    return _answer(request, "审核结果（全库）", form, lambda: findings(
        request.app.state.engine, rule=rule or None, severity=level, organisation=organisation or None,
        year=number, limit=500))  # fmt: skip


def _metrics(values: list[str] | None) -> list[str] | None:
    """The metrics asked for: ids, or their Chinese names as the form shows them (comma-separated too)."""
    by_label = {label: name for name, label in _choices()["metric"]}
    out = [
        by_label.get(m.strip(), m.strip())
        for v in values or []
        for m in v.replace("，", ",").split(",")
        if m.strip()
    ]
    return out or None


# ---- users --------------------------------------------------------------------------------------------------


@router.get("/users")
def users_page(request: Request, session: AdminDep) -> HTMLResponse:
    return render(request, "users.html", users=list_users(request.app.state.engine), error="")


@router.post("/users")
def add_user_form(
    request: Request,
    session: AdminDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[str, Form(max_length=16)],
    display_name: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    try:
        made = add_user(request.app.state.engine, username, password, role, display_name)
    except CnbudgetError as exc:
        return render(request, "users.html", status=400, users=list_users(request.app.state.engine),
                      error=str(exc))  # fmt: skip
    audit(request, "user", made.username, f"added, role={made.role}")
    return back("/users")


@router.post("/users/{user_id}")
def change_user_form(
    request: Request,
    session: AdminDep,
    user_id: UserId,
    role: Annotated[str, Form(max_length=16)] = "",
    active: Annotated[str, Form(max_length=1)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    engine = request.app.state.engine
    try:
        user, _ = change_user(
            engine,
            user_id,
            role=role or None,
            active=None if active == "" else active == "1",
            password=password or None,
        )
    except CnbudgetError as exc:
        return render(request, "users.html", status=400, users=list_users(engine), error=str(exc))
    what = [f"role={role}"] if role else []
    what += [f"active={active == '1'}"] if active else []
    what += ["password reset"] if password else []
    audit(request, "user", user.username, ", ".join(what))
    return render(request, "users.html", users=list_users(engine), error="", done=f"已保存 {user.username}")


@router.get("/account")
def account_page(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "account.html", error="", done="")


@router.post("/account/password")
def account_password(
    request: Request,
    session: SessionDep,
    current: Annotated[str, Form(max_length=1000)],
    new: Annotated[str, Form(max_length=1000)],
) -> Response:
    engine = request.app.state.engine
    try:
        change_own_password(engine, session.user, current, new)
    except CnbudgetError as exc:
        return render(request, "account.html", status=400, error=str(exc), done="")
    audit(request, "password", session.user.username)
    config = request.app.state.config
    token, fresh = open_session(engine, session.user, config.session_hours)
    request.state.session = fresh
    response = render(request, "account.html", error="", done="密码已修改；其他地方的登录已失效")
    set_cookie(response, SESSION_COOKIE, token, config.secure_cookies, config.session_hours * 3600)
    return response


@router.get("/events")
def events_page(
    request: Request,
    session: AdminDep,
    action: Annotated[str, Query(max_length=32)] = "",
    username: Annotated[str, Query(max_length=64)] = "",
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    engine = request.app.state.engine
    action = action if action in EVENT_LABELS else ""
    if request.query_params.get("download") == "csv":
        found, _ = entries(engine, action=action, username=username, limit=100_000)
        rows = [["时间", "操作", "用户名", "地址", "对象", "详情"]]
        rows += [[e.at.isoformat(), e.label, e.username, e.address, e.target, e.detail] for e in found]
        return services.download(services.csv_bytes(rows), "操作日志.csv", formats.CSV.media_type, request)
    found, total = entries(engine, action=action, username=username, limit=200, offset=offset)
    query = urlencode([(k, v) for k, v in (("action", action), ("username", username)) if v])
    return render(request, "events.html", events=found, total=total, offset=offset, action=action,
                  username=username, query=query, ACTIONS=EVENT_LABELS)  # fmt: skip
