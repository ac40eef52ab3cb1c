"""What the pages and the API share: files out (checklist, findings, facts, page images) and files in."""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response

from cnbudget.domain.errors import InputError
from cnbudget.domain.escape import csv_cell
from cnbudget.domain.vocabulary import (
    ACTION_LABELS,
    KIND_LABELS,
    SEVERITY_LABELS,
    STATE_LABELS,
    UPLOAD_LABELS,
)
from cnbudget.library import maintenance
from cnbudget.library.maintenance import Changed
from cnbudget.library.review import (
    DocumentView,
    document_facts,
    document_source,
    document_view,
    reviewed_report,
    source_file,
)
from cnbudget.library.uploads import Budget, Upload, UploadLimits, receive
from cnbudget.report import formats
from cnbudget.report.kit.xlsx import AMOUNT_FORMAT, YEAR_FORMAT, Column, Sheet, to_bytes, workbook
from cnbudget.web.errors import WebError
from cnbudget.web.security import address as client_address
from cnbudget.web.security import audit


def download(data: bytes, filename: str, media_type: str, request: Request | None = None) -> Response:
    """A file to save, its (Chinese) name encoded for every browser (RFC 5987); with the request, the
    export is in the audit log."""
    if request is not None:
        audit(request, "export", filename)
    ascii_name = filename.encode("ascii", "ignore").decode() or "cnbudget"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


def _base_name(view: DocumentView) -> str:
    year = view.fiscal_year or ""
    kind = next((label for k, label in KIND_LABELS.items() if k == view.kind), view.kind)
    name = "".join(c for c in f"{view.organisation}{year}年{kind}" if c not in '\\/:*?"<>|\r\n\t')
    return name[:80] or f"document-{view.id}"


def checklist_response(request: Request, document_id: int, fmt: str) -> Response:
    from cnbudget.report.audit.checklist import render_checklist_html, render_checklist_xlsx

    view = document_view(request.app.state.engine, document_id)
    report, notes = reviewed_report(view)
    name = f"{_base_name(view)}公开情况检查表"
    chosen = formats.CHECKLIST[fmt]
    if chosen.binary:
        return download(
            render_checklist_xlsx([report], [], notes=notes), name + chosen.suffix, chosen.media_type, request
        )
    html = render_checklist_html([report], [], notes=notes)
    return download(html.encode("utf-8"), name + chosen.suffix, chosen.media_type, request)


_FINDING_COLUMNS = tuple(
    Column(heading, width, wrap=heading in ("说明", "审核意见"))
    for heading, width in (("编号", 7), ("规则", 18), ("级别", 7), ("所在部分", 22), ("页", 8), ("说明", 70),
                           ("应为", 14), ("实为", 14), ("差额", 12), ("状态", 9), ("审核意见", 40))
)  # fmt: skip


def findings_workbook(view: DocumentView) -> bytes:
    """The document's findings with the team's decisions: one row each, amounts as numbers."""
    book = workbook()
    title = f"{view.organisation} {view.title}（第 {view.version} 版）"
    sheet = Sheet(book, "审核结果", _FINDING_COLUMNS, rows=len(view.findings), title=title)
    for f in view.findings:
        notes = "；".join(
            f"{d.user} {d.created_at:%Y-%m-%d %H:%M} {ACTION_LABELS[d.action]}"
            + (f"：{d.text}" if d.text else "")
            for d in f.trail
        )
        figures = YEAR_FORMAT if f.values == "year" else AMOUNT_FORMAT  # a year is not an amount
        sheet.append(
            [f.id, f.rule_id, next((label for k, label in SEVERITY_LABELS.items() if k == f.severity), f.severity), f.part, "、".join(str(p) for p in f.pages),
             f.message, f.expected, f.actual, f.difference, STATE_LABELS[f.state], notes],
            formats={6: figures, 7: figures, 8: figures},
        )  # fmt: skip
    return to_bytes(book)


def findings_xlsx_response(request: Request, document_id: int) -> Response:
    view = document_view(request.app.state.engine, document_id)
    return download(
        findings_workbook(view), f"{_base_name(view)}审核结果.xlsx", formats.XLSX.media_type, request
    )


def csv_bytes(rows: list[list[Any]]) -> bytes:
    """Rows as CSV for Excel (BOM, CRLF), document text that looks like a formula kept as text."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(v) if isinstance(v, str) else v for v in row])
    return out.getvalue().encode("utf-8")


def facts_csv_response(request: Request, document_id: int) -> Response:
    view = document_view(request.app.state.engine, document_id)
    table: list[list[Any]] = [["table_kind", "row_code", "row_label", "column", "value", "page", "line"]]
    table += [
        [f.table_kind, f.row_code, f.row_label, f.column, f.value, f.page or "", f.line]
        for f in document_facts(request.app.state.engine, document_id)
    ]
    return download(csv_bytes(table), f"{_base_name(view)}数据.csv", formats.CSV.media_type, request)


@lru_cache(maxsize=48)
def _render(path: str, page: int, scale: float, sha256: str) -> tuple[bytes, float, float]:
    from cnbudget.report.kit.page_crops import render_page

    return render_page(path, page, scale)


@lru_cache(maxsize=16)
def _line_places(path: str, sha256: str) -> dict[int, tuple[int, tuple[float, float, float, float]]]:
    from cnbudget.report.kit.page_crops import line_places

    return line_places(path)


def evidence_places(
    request: Request, document_id: int, evidence: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The finding's evidence with a page and a box for every sentence, line and row that has none (found
    by its line on the PDF read again; cells keep their own boxes)."""
    source = document_source(request.app.state.engine, document_id)
    if source.source_format != "pdf" or not any(e.get("line") and not e.get("bbox") for e in evidence):
        return evidence
    try:
        places = _line_places(str(source_file(source)), source.sha256)
    except InputError:
        return evidence
    out = []
    for e in evidence:
        found = places.get(e.get("line") or 0)
        if found and not e.get("bbox") and e.get("kind") in ("claim", "line", "row", "table"):
            e = {**e, "page": e.get("page") or found[0], "bbox": list(found[1])}
        out.append(e)
    return out


def original_response(request: Request, document_id: int) -> Response:
    """The stored original, under the name it was uploaded with: a PDF opens in the browser (``#page=N``
    goes to a page), other formats are downloaded."""
    source = document_source(request.app.state.engine, document_id)
    try:
        path = source_file(source)
    except InputError as exc:
        raise WebError(404, exc.message, "document") from exc
    name = Path(source.name.replace("\\", "/")).name or f"document-{document_id}"
    audit(request, "export", name, "original")
    if source.source_format == "pdf":
        disposition = f"inline; filename*=UTF-8''{quote(name)}"
        return FileResponse(path, media_type="application/pdf", headers={
            "Content-Disposition": disposition, "Content-Security-Policy": "frame-ancestors 'none'"})  # fmt: skip
    return FileResponse(path, media_type="application/octet-stream",
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})  # fmt: skip


def page_image(
    request: Request, document_id: int, page: int, scale: float = 2.0
) -> tuple[bytes, float, float]:
    """The page as PNG and its size in points; 404 when the document is not a PDF or the page is not there."""
    source = document_source(request.app.state.engine, document_id)
    if source.source_format != "pdf":
        raise WebError(404, "该文件不是 PDF，没有页面图像", "page")
    try:
        path = source_file(source)
        return _render(str(path), page, round(scale, 2), source.sha256)
    except InputError as exc:
        raise WebError(404, exc.message, "page") from exc


def upload_json(u: Upload) -> dict[str, Any]:
    return {
        "id": u.id,
        "filename": u.filename,
        "size": u.size,
        "status": u.status,
        "status_label": UPLOAD_LABELS.get(u.status, u.status),
        "finished": u.finished,
        "message": u.message,
        "document_id": u.document_id,
        "created_at": u.created_at.isoformat(),
        "finished_at": u.finished_at.isoformat() if u.finished_at else None,
    }


async def receive_uploads(
    request: Request, files: list[UploadFile], user_id: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Keep each file (checked by content, within the limits) and queue it; refusals say which and why."""
    config = request.app.state.config
    queue = request.app.state.queue
    accepted: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    if not files:
        raise WebError(400, "没有选择文件", "files")
    if len(files) > config.limits.max_files:
        raise WebError(413, f"一次最多上传 {config.limits.max_files} 个文件", "files")
    count = 0
    budget = Budget(config.limits)  # one for the whole request: every file, every level of every zip
    for upload in files:
        name = upload.filename or "upload"
        try:
            kept = await run_in_threadpool(receive, upload.file, name, config.storage, config.limits, budget)
        except InputError as exc:
            status = 413 if exc.setting in UploadLimits.TOO_LARGE else 415 if exc.setting == "type" else 422
            refused.append({"filename": name, "status": status, "message": str(exc)})
            continue
        finally:
            await upload.close()
        for received in kept:
            count += 1
            if count > config.limits.max_files:
                refused.append({"filename": received.filename, "status": 413,
                                "message": f"{received.filename}: 一次最多处理 {config.limits.max_files} 个文件"})  # fmt: skip
                continue
            upload_id = await run_in_threadpool(queue.submit, received, user_id)
            audit(
                request,
                "upload",
                received.filename,
                f"upload {upload_id}, {received.size} bytes, sha256 {received.sha256}",
            )
            accepted.append({"id": upload_id, "filename": received.filename})
    return accepted, refused


def delete_document(request: Request, document_id: int) -> Changed:
    """Delete the document; its file leaves the server's storage when no other document holds it (a file
    ingested from the command line is never touched)."""
    engine = request.app.state.engine
    done = maintenance.delete_document(engine, document_id)
    unused = maintenance.stored_file_unused(engine, done.path, done.sha256)
    storage = request.app.state.config.storage.resolve()
    if unused is not None and unused.resolve().is_relative_to(storage):
        unused.unlink(missing_ok=True)
    audit(request, "delete", f"document {document_id}", done.what)
    return done


def reanalyse(request: Request, document_id: int) -> Changed:
    try:
        done = maintenance.reanalyse(request.app.state.engine, document_id)
    except InputError as exc:
        raise WebError(409, f"无法重新审核：{exc.message}", "document") from exc
    audit(request, "reanalyse", f"document {document_id}", done.what)
    return done


def correct(request: Request, document_id: int, organisation: str | None, fiscal_year: int | None) -> Changed:
    done = maintenance.correct_document(
        request.app.state.engine, document_id, organisation=organisation, fiscal_year=fiscal_year
    )
    audit(request, "document", f"document {document_id}", done.what)
    return done


def decide_many(request: Request, document_id: int, finding_ids: list[int], action: str, text: str) -> int:
    """The same decision on several findings of the document (each its own row of the trail)."""
    from cnbudget.library.review import decide_all

    session = request.state.session
    decide_all(request.app.state.engine, document_id, finding_ids, session.user.id, action, text)
    audit(request, "decision", f"document {document_id} findings {','.join(map(str, finding_ids))[:200]}",
          f"{action} {text}".strip())  # fmt: skip
    return len(finding_ids)


def reanalyse_library(request: Request) -> dict[str, Any]:
    """Every document's newest version analysed again in the worker processes (after a rule change); each
    one's outcome goes to the audit log as it finishes. Documents whose original is gone are listed."""
    from cnbudget.library.activity import record

    engine = request.app.state.engine
    session = request.state.session
    address = client_address(request)

    def logged(document_id: int, what: str) -> None:
        record(engine, "reanalyse", user_id=session.user.id, username=session.user.username, address=address,
               target=f"document {document_id}", detail=what)  # fmt: skip

    queued, skipped = [], []
    for document_id in maintenance.latest_documents(engine):
        try:
            path = source_file(document_source(engine, document_id))
        except InputError as exc:
            skipped.append({"document_id": document_id, "message": exc.message})
            continue
        request.app.state.queue.reanalyse(document_id, path, logged)
        queued.append(document_id)
    audit(request, "reanalyse", "library", f"{len(queued)} queued, {len(skipped)} without their original")
    return {"queued": queued, "skipped": skipped}
