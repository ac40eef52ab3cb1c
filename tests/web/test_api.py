"""The REST API end to end on both backends: log in, upload a real PDF, review its findings, keep the
decisions across versions, export — and every refusal: bad uploads, missing CSRF token, forbidden roles."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from cnbudget.audit import audit
from cnbudget.parse import parse_file
from support.web import PASSWORD, PDF, login, upload, wait_for


@pytest.fixture(scope="module")
def expected():
    """What the fixture PDF's audit finds, from the parser and the audit themselves (not the web)."""
    report = audit(parse_file(PDF))
    return report


def _ingest(web, csrf: str, data: bytes, name: str = "报告.pdf") -> dict:
    response = upload(web, csrf, (name, data))
    assert response.status_code == 202, response.text
    [done] = wait_for(web, [u["id"] for u in response.json()["uploads"]])
    return done


def test_upload_review_and_keep_decisions_across_versions(web_any, expected) -> None:
    web = web_any
    csrf = login(web, "reviewer")
    done = _ingest(web, csrf, PDF.read_bytes())
    assert done["status"] == "ingested" and done["filename"] == "报告.pdf"
    doc = done["document_id"]

    meta = web.get(f"/api/v1/documents/{doc}").json()
    assert meta["fiscal_year"] == expected.document.metadata.fiscal_year and meta["kind"] == "final"
    assert meta["counts"]["error"] == expected.count("error") and meta["review"]["status"] == "pending"
    findings = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"]
    assert sorted(f["rule_id"] for f in findings) == sorted(f.rule_id for f in expected.findings)
    assert {f["key"] for f in findings} == {f.key for f in expected.findings}
    assert len({f["key"] for f in findings}) == len(findings)  # one key per finding
    error = next(f for f in findings if f["severity"] == "error")
    boxed = next(f for f in findings if any(e.get("bbox") for e in f["evidence"]) and f["id"] != error["id"])

    # dismiss one (a reason is required), confirm another, comment
    refused = web.post(f"/api/v1/documents/{doc}/findings/{error['id']}/decisions", json={"action": "dismiss"},
                       headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "text"
    made = web.post(f"/api/v1/documents/{doc}/findings/{error['id']}/decisions",
                    json={"action": "dismiss", "text": "说明中的数字是四舍五入后的"}, headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert made.status_code == 201 and made.json()["user"] == "reviewer"
    web.post(f"/api/v1/documents/{doc}/findings/{boxed['id']}/decisions", json={"action": "confirm"},
             headers={"X-CSRF-Token": csrf})  # fmt: skip
    web.post(f"/api/v1/documents/{doc}/findings/{boxed['id']}/decisions", json={"action": "comment", "text": "请部门更正"},
             headers={"X-CSRF-Token": csrf})  # fmt: skip
    review = web.put(f"/api/v1/documents/{doc}/review", json={"status": "in_review", "assignee_id": 2},
                     headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert review.json() == {"status": "in_review", "assignee_id": 2, "assignee": "reviewer"}

    # the same file again: recognised, nothing new
    again = _ingest(web, csrf, PDF.read_bytes(), "again.pdf")
    assert again["status"] == "unchanged" and again["document_id"] == doc
    # a republished version (different bytes, same document): decisions follow the findings' keys
    newer = _ingest(web, csrf, PDF.read_bytes() + b"\n% republished\n", "v2.pdf")
    assert newer["status"] == "new_version" and newer["document_id"] != doc
    states = {
        f["key"]: f for f in web.get(f"/api/v1/documents/{newer['document_id']}/findings").json()["findings"]
    }
    assert states[error["key"]]["state"] == "dismissed"
    assert states[error["key"]]["decisions"][0]["text"] == "说明中的数字是四舍五入后的"
    assert states[boxed["key"]]["state"] == "confirmed"
    assert [d["action"] for d in states[boxed["key"]]["decisions"]] == ["confirm", "comment"]
    assert web.get(f"/api/v1/documents/{newer['document_id']}").json()["review"]["status"] == "in_review"
    open_only = web.get(f"/api/v1/documents/{newer['document_id']}/findings", params={"state": "open"}).json()
    assert error["key"] not in {f["key"] for f in open_only["findings"]}
    trail = web.get(f"/api/v1/documents/{doc}/decisions").json()["decisions"]
    assert [d["action"] for d in trail] == ["dismiss", "confirm", "comment"]


def test_exports_carry_the_decisions(web, expected) -> None:
    csrf = login(web, "reviewer")
    doc = _ingest(web, csrf, PDF.read_bytes())["document_id"]
    findings = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"]
    dismissed = next(f for f in findings if f["severity"] == "error")
    web.post(f"/api/v1/documents/{doc}/findings/{dismissed['id']}/decisions",
             json={"action": "dismiss", "text": "误报：已核对原表"}, headers={"X-CSRF-Token": csrf})  # fmt: skip
    kept = next(f for f in findings if f["severity"] == "error" and f["id"] != dismissed["id"])
    web.post(f"/api/v1/documents/{doc}/findings/{kept['id']}/decisions",
             json={"action": "comment", "text": "已告知部门"}, headers={"X-CSRF-Token": csrf})  # fmt: skip

    sheet = web.get(f"/api/v1/documents/{doc}/checklist", params={"format": "xlsx"})
    assert sheet.status_code == 200 and "attachment" in sheet.headers["content-disposition"]
    book = load_workbook(io.BytesIO(sheet.content))
    text_all = "\n".join(
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value
    )
    assert dismissed["message"] not in text_all  # a false alarm is not a problem of the document
    assert kept["message"] in text_all and "已告知部门" in text_all
    html = web.get(f"/api/v1/documents/{doc}/checklist", params={"format": "html"}).text
    assert "已告知部门" in html and dismissed["message"] not in html

    book = load_workbook(io.BytesIO(web.get(f"/api/v1/documents/{doc}/findings.xlsx").content))
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    assert sheet[2][:3] == ("编号", "规则", "级别")  # a title, a blank line, the heading, then the findings
    rows = sheet[3:]
    assert len(rows) == len(expected.findings)
    by_id = {r[0]: r for r in rows}
    assert by_id[dismissed["id"]][9] == "已驳回" and "误报：已核对原表" in by_id[dismissed["id"]][10]
    facts = web.get(f"/api/v1/documents/{doc}/facts.csv")
    assert facts.content.startswith("\ufeff".encode()) and b"F01" in facts.content

    png = web.get(f"/api/v1/documents/{doc}/pages/1.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert web.get(f"/api/v1/documents/{doc}/pages/999.png").status_code == 404


def test_bad_uploads_are_refused_with_a_reason(web_small) -> None:
    web = web_small
    csrf = login(web, "reviewer")
    wrong = upload(web, csrf, ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100))
    assert wrong.status_code == 415 and wrong.json()["error"]["code"] == "unsupported_type"
    assert "photo.pdf" in wrong.json()["error"]["message"]
    empty = upload(web, csrf, ("empty.pdf", b""))
    assert empty.status_code in (415, 422)
    corrupt = _ingest(web, csrf, b"%PDF-1.7\n" + b"garbage" * 200, "corrupt.pdf")
    assert corrupt["status"] == "failed" and corrupt["message"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for k in range(4):  # 4 × 2.5 MB of zeros: 10 MB unpacked from a few kilobytes, over the 8 MB limit
            archive.writestr(f"{k}.txt", b"0" * (5 * 512 * 1024))
    assert len(bomb.getvalue()) < 100_000
    refused = upload(web, csrf, ("folder.zip", bomb.getvalue()))
    assert refused.status_code == 413 and "8 MB" in refused.json()["error"]["message"]
    large = upload(web, csrf, ("large.txt", b"x" * (4 * 1024 * 1024)))
    assert large.status_code == 413 and "3 MB" in large.json()["error"]["message"]
    many = upload(web, csrf, *[(f"{k}.txt", b"x") for k in range(6)])
    assert many.status_code == 413
    too_big = web.post("/api/v1/uploads", content=b"x", headers={"X-CSRF-Token": csrf,
                       "Content-Length": str(10**10), "Content-Type": "multipart/form-data; boundary=x"})  # fmt: skip
    assert too_big.status_code == 413
    # a zip of documents (a folder) is unpacked: each member its own upload
    folder = io.BytesIO()
    with zipfile.ZipFile(folder, "w") as archive:
        archive.writestr("部门/决算.pdf", PDF.read_bytes())
        archive.writestr("__MACOSX/.hidden", b"x")
    response = upload(web, csrf, ("文件夹.zip", folder.getvalue()))
    assert response.status_code == 202
    assert [u["filename"] for u in response.json()["uploads"]] == ["文件夹.zip/部门/决算.pdf"]


def test_roles_csrf_and_login(web) -> None:
    assert web.get("/api/v1/documents").status_code == 401
    assert web.get("/api/v1/documents").json()["error"]["code"] == "not_logged_in"
    bad = web.post("/api/v1/login", json={"username": "viewer", "password": "wrong password"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "bad_credentials"
    csrf = login(web, "viewer")
    assert web.get("/api/v1/documents").status_code == 200
    assert upload(web, csrf, ("a.pdf", PDF.read_bytes())).status_code == 403  # viewers do not upload
    assert web.get("/api/v1/users").status_code == 403
    assert (
        web.put(
            "/api/v1/documents/1/review", json={"status": "done"}, headers={"X-CSRF-Token": csrf}
        ).status_code
        == 403
    )

    csrf = login(web, "reviewer")
    doc = _ingest(web, csrf, PDF.read_bytes())["document_id"]
    finding = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"][0]
    url = f"/api/v1/documents/{doc}/findings/{finding['id']}/decisions"
    no_token = web.post(url, json={"action": "confirm"})
    assert no_token.status_code == 403 and no_token.json()["error"]["field"] == "csrf_token"
    assert web.post(url, json={"action": "confirm"}, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert web.post(url, json={"action": "approve"}, headers={"X-CSRF-Token": csrf}).status_code == 422
    assert web.post(f"/api/v1/documents/{doc}/findings/999999/decisions", json={"action": "confirm"},
                    headers={"X-CSRF-Token": csrf}).status_code == 404  # fmt: skip
    assert web.get("/api/v1/documents/424242").status_code == 404
    assert web.post("/api/v1/users", json={"username": "x", "password": "12345678", "role": "viewer"},
                    headers={"X-CSRF-Token": csrf}).status_code == 403  # fmt: skip

    csrf = login(web, "admin")
    made = web.post("/api/v1/users", json={"username": "新人", "password": "long enough pw", "role": "viewer"},
                    headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert made.status_code == 201
    dup = web.post("/api/v1/users", json={"username": "新人", "password": "long enough pw", "role": "viewer"},
                   headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert dup.status_code == 400 and "已存在" in dup.json()["error"]["message"]
    assert "新人" in [u["username"] for u in web.get("/api/v1/users").json()["users"]]
    assert web.post("/api/v1/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert web.get("/api/v1/me").status_code == 401


def test_questions_and_openapi(web) -> None:
    csrf = login(web, "viewer")
    assert web.get("/api/v1/organisations").json()["rows"] == []
    login(web, "reviewer")
    csrf = login(web, "reviewer")
    doc = _ingest(web, csrf, PDF.read_bytes())["document_id"]
    year = web.get(f"/api/v1/documents/{doc}").json()["fiscal_year"]
    organisations = web.get("/api/v1/organisations").json()["rows"]
    assert len(organisations) >= 1
    compare = web.get("/api/v1/questions/compare", params={"year": year, "kind": "final"}).json()
    assert compare["rows"]
    findings = web.get("/api/v1/questions/findings", params={"severity": "error"}).json()
    assert findings["rows"] and all(r["severity"] == "error" for r in findings["rows"])
    assert web.get("/api/v1/questions/compare", params={"year": year, "metric": "no_such"}).status_code == 400
    schema = web.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/v1/uploads", "/api/v1/documents/{document_id}/findings/{finding_id}/decisions",
            "/api/v1/documents/{document_id}/checklist", "/api/v1/questions/history"} <= paths  # fmt: skip
    assert all(not p.startswith("/documents") for p in paths)  # the pages are not part of the API


def test_the_decision_trail_cannot_be_edited(web_any) -> None:
    web = web_any
    csrf = login(web, "reviewer")
    doc = _ingest(web, csrf, PDF.read_bytes())["document_id"]
    finding = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"][0]
    web.post(f"/api/v1/documents/{doc}/findings/{finding['id']}/decisions", json={"action": "confirm"},
             headers={"X-CSRF-Token": csrf})  # fmt: skip
    engine = web.app.state.engine
    for statement in ("UPDATE decisions SET text = 'changed'", "DELETE FROM decisions"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM decisions")).scalar() == 1


def test_passwords_are_hashed_and_sessions_are_tokens(web) -> None:
    login(web, "admin")
    engine = web.app.state.engine
    with engine.connect() as conn:
        hashes = conn.execute(text("SELECT password_hash FROM users")).scalars().all()
        tokens = conn.execute(text("SELECT token_hash FROM sessions")).scalars().all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    cookie = web.cookies.get("cnbudget_session")
    assert cookie and cookie not in tokens
    response = web.post("/api/v1/login", json={"username": "admin", "password": PASSWORD})
    header = response.headers["set-cookie"]
    assert "HttpOnly" in header and "SameSite=lax" in header.replace("Lax", "lax")
