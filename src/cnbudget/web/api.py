"""The REST API under /api/v1: everything the pages do, as JSON, described at /api/v1/openapi.json.

Clients log in with POST /api/v1/login (JSON), keep the session cookie, and send the CSRF token it
returns in the X-CSRF-Token header with every change. Errors all have one shape (see errors.py).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from cnbudget.library.accounts import (
    add_user,
    change_own_password,
    change_user,
    close_session,
    list_users,
    open_session,
)
from cnbudget.library.activity import Event, entries
from cnbudget.library.review import (
    DocumentView,
    FindingView,
    decide,
    document_view,
    documents_overview,
    set_review,
)
from cnbudget.library.uploads import uploads
from cnbudget.model.answer import Answer
from cnbudget.web import services
from cnbudget.web.errors import WebError
from cnbudget.web.params import (
    KINDS,
    SEVERITIES,
    DocumentId,
    FindingId,
    PageNumber,
    UploadId,
    UserId,
    Year,
    ids_of,
    one_of,
)
from cnbudget.web.security import (
    SESSION_COOKIE,
    AdminDep,
    ReviewerDep,
    SessionDep,
    audit,
    log_in_or_refuse,
    set_cookie,
)

router = APIRouter(prefix="/api/v1", tags=["api"])


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class Login(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1000)


class DecisionIn(BaseModel):
    action: Literal["confirm", "dismiss", "reopen", "comment"]
    text: str = Field(default="", max_length=2000, description="the reason of a dismissal, or the comment")


class ReviewIn(BaseModel):
    status: Literal["pending", "in_review", "done"] | None = None
    assignee_id: int | None = Field(default=None, description="a user's id; 0 to leave it unassigned")


class UserIn(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(min_length=8, max_length=1000)
    role: Literal["admin", "reviewer", "viewer"]
    display_name: str = Field(default="", max_length=100)


@router.post("/login", summary="Log in: sets the session cookie, returns the CSRF token")
def login(body: Login, request: Request) -> JSONResponse:
    config = request.app.state.config
    user = log_in_or_refuse(request, body.username, body.password)
    if user is None:
        raise WebError(401, "用户名或密码不正确", "password", code="bad_credentials")
    token, session = open_session(request.app.state.engine, user, config.session_hours)
    response = JSONResponse({"user": _user(session.user), "csrf_token": session.csrf_token})
    set_cookie(response, SESSION_COOKIE, token, config.secure_cookies, config.session_hours * 3600)
    return response


@router.post("/logout", summary="End the session")
def logout(session: SessionDep, request: Request) -> JSONResponse:
    close_session(request.app.state.engine, request.cookies.get(SESSION_COOKIE, ""))
    audit(request, "logout")
    response = JSONResponse({"ok": True})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _user(user: Any) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name, "role": user.role}


@router.get("/me", summary="Who is logged in")
def me(session: SessionDep) -> dict[str, Any]:
    return {"user": _user(session.user), "csrf_token": session.csrf_token}


# ---- documents --------------------------------------------------------------------------------------------


@router.get("/documents", summary="The library's documents with their review status")
def documents(
    session: SessionDep,
    request: Request,
    search: Annotated[str, Query(max_length=100)] = "",
    status: Literal["", "pending", "in_review", "done"] = "",
    all_versions: bool = False,
) -> dict[str, Any]:
    rows = documents_overview(request.app.state.engine, search, status, all_versions)
    return {"documents": [{k: _plain(getattr(r, k)) for k in r.__slots__} for r in rows]}


def document_json(view: DocumentView) -> dict[str, Any]:
    return {
        "id": view.id,
        "organisation": view.organisation,
        "organisation_id": view.organisation_id,
        "title": view.title,
        "kind": view.kind,
        "scope": view.scope,
        "fiscal_year": view.fiscal_year,
        "version": view.version,
        "is_latest": view.is_latest,
        "source_format": view.source_format,
        "amount_unit": view.amount_unit,
        "content_sha256": view.content_sha256,
        "parse_warnings": view.parse_warnings,
        "ingested_at": _plain(view.ingested_at),
        "review": {
            "status": view.review.status,
            "assignee_id": view.review.assignee_id,
            "assignee": view.review.assignee,
        },
        "counts": view.counts(),
        "open": view.counts("open"),
        "versions": [{"id": i, "version": v, "ingested_at": _plain(t)} for i, v, t in view.versions],
    }


def finding_json(f: FindingView) -> dict[str, Any]:
    return {
        "id": f.id,
        "rule_id": f.rule_id,
        "severity": f.severity,
        "message": f.message,
        "part": f.part,
        "table": f.table,
        "row_code": f.row_code,
        "row_label": f.row_label,
        "column": f.column,
        "expected": _plain(f.expected),
        "actual": _plain(f.actual),
        "difference": _plain(f.difference),
        "pages": f.pages,
        "lines": f.lines,
        "needs_review": f.needs_review,
        "key": f.key,
        "evidence": f.evidence,
        "state": f.state,
        "decisions": [decision_json(d) for d in f.trail],
    }


def decision_json(d: Any) -> dict[str, Any]:
    return {
        "id": d.id,
        "action": d.action,
        "text": d.text,
        "user": d.user,
        "created_at": _plain(d.created_at),
        "document_id": d.document_id,
        "rule_id": d.rule_id,
        "finding_key": d.finding_key,
    }


@router.get("/documents/{document_id}", summary="One document: metadata, parse health, review status, counts")
def document(document_id: DocumentId, session: SessionDep, request: Request) -> dict[str, Any]:
    return document_json(document_view(request.app.state.engine, document_id))


@router.get("/documents/{document_id}/findings", summary="The document's findings with the team's decisions")
def document_findings(
    document_id: DocumentId,
    session: SessionDep,
    request: Request,
    state: Literal["", "open", "confirmed", "dismissed"] = "",
) -> dict[str, Any]:
    view = document_view(request.app.state.engine, document_id)
    return {"findings": [finding_json(f) for f in view.findings if not state or f.state == state]}


@router.post(
    "/documents/{document_id}/findings/{finding_id}/decisions",
    status_code=201,
    summary="Confirm, dismiss (with a reason), reopen or comment on a finding",
)
def add_decision(
    document_id: DocumentId, finding_id: FindingId, body: DecisionIn, session: ReviewerDep, request: Request
) -> dict[str, Any]:
    made = decide(request.app.state.engine, document_id, finding_id, session.user.id, body.action, body.text)
    audit(
        request,
        "decision",
        f"document {document_id} finding {finding_id}",
        f"{body.action} {body.text}".strip(),
    )
    return decision_json(made)


@router.get("/documents/{document_id}/decisions", summary="The review trail of the document (all versions)")
def document_decisions(document_id: DocumentId, session: SessionDep, request: Request) -> dict[str, Any]:
    view = document_view(request.app.state.engine, document_id)
    trail = sorted((d for f in view.findings for d in f.trail), key=lambda d: (d.created_at, d.id))
    unique = {d.id: d for d in trail}
    return {"decisions": [decision_json(d) for d in unique.values()]}


@router.put("/documents/{document_id}/review", summary="Set the review status and/or the reviewer")
def put_review(
    document_id: DocumentId, body: ReviewIn, session: ReviewerDep, request: Request
) -> dict[str, Any]:
    assignee: int | None | Literal["keep"] = "keep"
    if body.assignee_id is not None:
        assignee = body.assignee_id or None
    result = set_review(request.app.state.engine, document_id, session.user.id, body.status, assignee)
    audit(
        request, "review", f"document {document_id}", f"status={result.status} assignee={result.assignee_id}"
    )
    return {"status": result.status, "assignee_id": result.assignee_id, "assignee": result.assignee}


@router.get("/documents/{document_id}/checklist", summary="The review checklist with the team's decisions")
def checklist(
    document_id: DocumentId, session: SessionDep, request: Request, format: Literal["xlsx", "html"] = "xlsx"
) -> Response:
    return services.checklist_response(request, document_id, format)


@router.get("/documents/{document_id}/findings.xlsx", summary="The findings as a workbook, with decisions")
def findings_xlsx(document_id: DocumentId, session: SessionDep, request: Request) -> Response:
    return services.findings_xlsx_response(request, document_id)


@router.get("/documents/{document_id}/facts.csv", summary="Every amount of the document's tables")
def facts_csv(document_id: DocumentId, session: SessionDep, request: Request) -> Response:
    return services.facts_csv_response(request, document_id)


class DocumentChange(BaseModel):
    organisation: str | None = Field(
        default=None, min_length=1, max_length=200, description="file it under this organisation"
    )
    fiscal_year: int | None = Field(default=None, ge=1949, le=2200, description="file it under this year")


def changed_json(done: Any) -> dict[str, Any]:
    return {"document_id": done.document_id, "what": done.what}


@router.patch(
    "/documents/{document_id}", summary="Correct the organisation or year a document is filed under"
)
def correct_document(
    document_id: DocumentId, body: DocumentChange, session: ReviewerDep, request: Request
) -> dict[str, Any]:
    return changed_json(services.correct(request, document_id, body.organisation, body.fiscal_year))


@router.delete(
    "/documents/{document_id}", summary="Delete a document (a wrong upload); not one the team decided on"
)
def delete_document(document_id: DocumentId, session: ReviewerDep, request: Request) -> dict[str, Any]:
    return changed_json(services.delete_document(request, document_id))


@router.post("/documents/{document_id}/reanalyse", summary="Read, parse and audit the stored original again")
def reanalyse_document(document_id: DocumentId, session: ReviewerDep, request: Request) -> dict[str, Any]:
    return changed_json(services.reanalyse(request, document_id))


@router.post(
    "/reanalyse", status_code=202, summary="Analyse every document again with the current rules (admin)"
)
def reanalyse_library(session: AdminDep, request: Request) -> dict[str, Any]:
    return services.reanalyse_library(request)


@router.get("/documents/{document_id}/original", summary="The original file, under its uploaded name")
def original_file(document_id: DocumentId, session: SessionDep, request: Request) -> Response:
    return services.original_response(request, document_id)


@router.get("/documents/{document_id}/pages/{page}.png", summary="One page of the PDF as an image")
def page_png(
    document_id: DocumentId,
    page: PageNumber,
    session: SessionDep,
    request: Request,
    scale: Annotated[float, Query(ge=0.5, le=4)] = 2,
) -> Response:
    png, _, _ = services.page_image(request, document_id, page, scale)
    return Response(png, media_type="image/png")


# ---- uploads ----------------------------------------------------------------------------------------------


@router.post(
    "/uploads", status_code=202, summary="Upload documents (or a zip of them); processed in the background"
)
async def upload(
    request: Request, session: ReviewerDep, files: Annotated[list[UploadFile], File(description="the files")]
) -> dict[str, Any]:
    accepted, refused = await services.receive_uploads(request, files, session.user.id)
    if not accepted and refused:
        raise WebError(refused[0]["status"], refused[0]["message"], "files")
    return {"uploads": accepted, "refused": refused}


@router.get("/uploads", summary="Uploads and where each one is (queued, ingested, failed …)")
def list_uploads(
    session: SessionDep,
    request: Request,
    ids: Annotated[str, Query(pattern=r"^[0-9,]*$", max_length=2000)] = "",
) -> dict[str, Any]:
    wanted = ids_of(ids)
    return {"uploads": [services.upload_json(u) for u in uploads(request.app.state.engine, wanted)]}


@router.get("/uploads/{upload_id}", summary="One upload")
def one_upload(upload_id: UploadId, session: SessionDep, request: Request) -> dict[str, Any]:
    found = uploads(request.app.state.engine, [upload_id])
    if not found:
        raise WebError(404, f"没有编号为 {upload_id} 的上传", "upload")
    return services.upload_json(found[0])


# ---- the library's questions ------------------------------------------------------------------------------


def answer_json(answer: Answer) -> JSONResponse:
    return JSONResponse(json.loads(answer.to_json()))


@router.get("/organisations", summary="Organisations with their documents")
def organisations(session: SessionDep, request: Request) -> JSONResponse:
    from cnbudget.library.questions import organisations as ask

    return answer_json(ask(request.app.state.engine))


@router.get("/questions/compare", summary="Departments side by side for one year")
def compare(
    session: SessionDep,
    request: Request,
    year: Year,
    metric: Annotated[list[str] | None, Query(max_length=20)] = None,
    kind: Annotated[str, Query(max_length=10, description="budget / final (预算 / 决算)")] = "budget",
) -> JSONResponse:
    from cnbudget.library.questions import compare as ask

    chosen = one_of(kind, KINDS, "kind", "类型") or "budget"
    return answer_json(ask(request.app.state.engine, year, metric, kind=chosen))


@router.get("/questions/history", summary="One organisation across years")
def history(
    session: SessionDep,
    request: Request,
    organisation: Annotated[str, Query(min_length=1, max_length=200)],
    metric: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> JSONResponse:
    from cnbudget.library.questions import history as ask

    return answer_json(ask(request.app.state.engine, organisation, metric))


@router.get("/questions/execution", summary="Final accounts against the budget of the same year")
def execution(
    session: SessionDep,
    request: Request,
    organisation: Annotated[str, Query(min_length=1, max_length=200)],
    year: Year,
) -> JSONResponse:
    from cnbudget.library.questions import execution as ask

    return answer_json(ask(request.app.state.engine, organisation, year))


@router.get("/questions/findings", summary="Findings across the library")
def findings(
    session: SessionDep,
    request: Request,
    rule: Annotated[str | None, Query(max_length=40)] = None,
    severity: Annotated[
        str, Query(max_length=10, description="error / warning / info (错误 / 警告 / 提示)")
    ] = "",
    organisation: Annotated[str | None, Query(max_length=200)] = None,
    year: Annotated[int | None, Query(ge=1949, le=2200)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    dismissed: Annotated[bool, Query(description="include the findings a team dismissed")] = False,
) -> JSONResponse:
    from cnbudget.library.questions import findings as ask

    answer = ask(
        request.app.state.engine,
        rule=rule,
        severity=one_of(severity, SEVERITIES, "severity", "级别"),
        organisation=organisation,
        year=year,
        limit=limit,
        dismissed=dismissed,
    )
    return answer_json(answer)


# ---- users ------------------------------------------------------------------------------------------------


@router.get("/users", summary="Users (admin)")
def users(session: AdminDep, request: Request) -> dict[str, Any]:
    return {"users": [{**_user(u), "active": active} for u, active in list_users(request.app.state.engine)]}


@router.get("/reviewers", summary="Users who can be assigned a document")
def reviewers(session: SessionDep, request: Request) -> dict[str, Any]:
    found = list_users(request.app.state.engine)
    return {"users": [_user(u) for u, active in found if active and u.can_review]}


@router.post("/users", status_code=201, summary="Add a user (admin)")
def new_user(body: UserIn, session: AdminDep, request: Request) -> dict[str, Any]:
    made = add_user(request.app.state.engine, body.username, body.password, body.role, body.display_name)
    audit(request, "user", made.username, f"added, role={made.role}")
    return _user(made)


class UserChange(BaseModel):
    role: Literal["admin", "reviewer", "viewer"] | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=1000, description="a new password")


class PasswordChange(BaseModel):
    current: str = Field(max_length=1000)
    new: str = Field(min_length=8, max_length=1000)


@router.patch(
    "/users/{user_id}", summary="Change a user's role, deactivate or reactivate, reset the password (admin)"
)
def change_user_api(user_id: UserId, body: UserChange, session: AdminDep, request: Request) -> dict[str, Any]:
    user, active = change_user(
        request.app.state.engine, user_id, role=body.role, active=body.active, password=body.password
    )
    what = [f"role={body.role}"] if body.role else []
    what += [f"active={body.active}"] if body.active is not None else []
    what += ["password reset"] if body.password else []
    audit(request, "user", user.username, ", ".join(what))
    return {**_user(user), "active": active}


@router.post(
    "/me/password", summary="Change my own password (other sessions end; this one gets a new cookie)"
)
def change_password_api(body: PasswordChange, session: SessionDep, request: Request) -> JSONResponse:
    engine = request.app.state.engine
    change_own_password(engine, session.user, body.current, body.new)
    audit(request, "password", session.user.username)
    config = request.app.state.config
    token, fresh = open_session(engine, session.user, config.session_hours)
    response = JSONResponse({"ok": True, "csrf_token": fresh.csrf_token})
    set_cookie(response, SESSION_COOKIE, token, config.secure_cookies, config.session_hours * 3600)
    return response


@router.get("/events", summary="The audit log, newest first (admin)")
def events_api(
    session: AdminDep,
    request: Request,
    action: Annotated[str, Query(max_length=32)] = "",
    username: Annotated[str, Query(max_length=64)] = "",
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    found, total = entries(
        request.app.state.engine, action=action, username=username, limit=limit, offset=offset
    )
    return {"total": total, "events": [event_json(e) for e in found]}


def event_json(e: Event) -> dict[str, Any]:
    return {"id": e.id, "at": e.at.isoformat(), "action": e.action, "label": e.label, "username": e.username,
            "address": e.address, "target": e.target, "detail": e.detail}  # fmt: skip
