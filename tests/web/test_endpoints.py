"""Every endpoint of the API is exercised here or in test_api.py (a new endpoint without a test fails),
with what each role may do."""

from __future__ import annotations

from support.web import PDF, login, upload, wait_for

COVERED = {
    ("POST", "/api/v1/login"), ("POST", "/api/v1/logout"), ("GET", "/api/v1/me"),
    ("GET", "/api/v1/documents"), ("GET", "/api/v1/documents/{document_id}"),
    ("GET", "/api/v1/documents/{document_id}/findings"),
    ("POST", "/api/v1/documents/{document_id}/findings/{finding_id}/decisions"),
    ("GET", "/api/v1/documents/{document_id}/decisions"), ("PUT", "/api/v1/documents/{document_id}/review"),
    ("GET", "/api/v1/documents/{document_id}/checklist"), ("GET", "/api/v1/documents/{document_id}/findings.xlsx"),
    ("GET", "/api/v1/documents/{document_id}/facts.csv"), ("GET", "/api/v1/documents/{document_id}/pages/{page}.png"),
    ("POST", "/api/v1/uploads"), ("GET", "/api/v1/uploads"), ("GET", "/api/v1/uploads/{upload_id}"),
    ("GET", "/api/v1/organisations"), ("GET", "/api/v1/questions/compare"), ("GET", "/api/v1/questions/history"),
    ("GET", "/api/v1/questions/execution"), ("GET", "/api/v1/questions/findings"), ("GET", "/api/v1/users"),
    ("GET", "/api/v1/reviewers"), ("POST", "/api/v1/users"), ("PATCH", "/api/v1/users/{user_id}"),
    ("POST", "/api/v1/me/password"), ("GET", "/api/v1/events"), ("GET", "/api/v1/documents/{document_id}/original"),
    ("PATCH", "/api/v1/documents/{document_id}"), ("DELETE", "/api/v1/documents/{document_id}"),
    ("POST", "/api/v1/documents/{document_id}/reanalyse"), ("POST", "/api/v1/reanalyse"),
}  # fmt: skip


def test_every_endpoint_is_covered(web) -> None:
    schema = web.get("/api/v1/openapi.json").json()
    served = {(method.upper(), path) for path, methods in schema["paths"].items() for method in methods}
    assert served == COVERED


def test_the_remaining_endpoints_and_roles(web) -> None:
    csrf = login(web, "reviewer")
    response = upload(web, csrf, ("决算.pdf", PDF.read_bytes()))
    [upload_id] = [u["id"] for u in response.json()["uploads"]]
    [done] = wait_for(web, [upload_id])
    one = web.get(f"/api/v1/uploads/{upload_id}").json()
    assert one["status"] == "ingested" and one["status_label"] == "已入库" and one["filename"] == "决算.pdf"
    assert web.get("/api/v1/uploads/999999").status_code == 404
    assert [u["id"] for u in web.get("/api/v1/uploads").json()["uploads"]] == [upload_id]
    assert web.get("/api/v1/uploads", params={"ids": "1;DROP"}).status_code == 422
    doc = done["document_id"]
    meta = web.get(f"/api/v1/documents/{doc}").json()

    listed = web.get("/api/v1/documents", params={"search": meta["organisation"][:4]}).json()["documents"]
    assert [d["id"] for d in listed] == [doc]
    assert web.get("/api/v1/documents", params={"search": "不存在的名称"}).json()["documents"] == []
    assert [
        d["id"] for d in web.get("/api/v1/documents", params={"status": "pending"}).json()["documents"]
    ] == [doc]
    assert web.get("/api/v1/documents", params={"status": "done"}).json()["documents"] == []
    assert web.get("/api/v1/documents", params={"status": "closed"}).status_code == 422

    history = web.get(
        "/api/v1/questions/history", params={"organisation": f"#{meta['organisation_id']}"}
    ).json()
    assert [r["year"] for r in history["rows"]] == [meta["fiscal_year"]]
    execution = web.get("/api/v1/questions/execution",
                        params={"organisation": f"#{meta['organisation_id']}", "year": meta["fiscal_year"]})  # fmt: skip
    # only the final accounts are in the library: their own F09 budget column is compared, and a note says so
    assert execution.status_code == 200
    answer = execution.json()
    assert any("没有" in note and "预算" in note for note in answer["notes"])
    assert answer["rows"] and any("三公" in str(row.values()) for row in answer["rows"])
    reviewers = {u["username"] for u in web.get("/api/v1/reviewers").json()["users"]}
    assert reviewers == {"admin", "reviewer"}  # viewers cannot be assigned a document
    assert web.get("/api/v1/me").json()["user"]["role"] == "reviewer"
    assert web.get("/api/v1/users").status_code == 403

    finding = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"][0]
    viewer = login(web, "viewer")
    assert web.post(f"/api/v1/documents/{doc}/findings/{finding['id']}/decisions", json={"action": "confirm"},
                    headers={"X-CSRF-Token": viewer}).status_code == 403  # fmt: skip
    assert web.get(f"/api/v1/documents/{doc}/checklist", params={"format": "html"}).status_code == 200
    assert web.put(f"/api/v1/documents/{doc}/review", json={"assignee_id": 3},
                   headers={"X-CSRF-Token": viewer}).status_code == 403  # fmt: skip
    admin = login(web, "admin")
    unassignable = web.put(f"/api/v1/documents/{doc}/review", json={"assignee_id": 999},
                           headers={"X-CSRF-Token": admin})  # fmt: skip
    assert unassignable.status_code == 400
    cleared = web.put(
        f"/api/v1/documents/{doc}/review", json={"assignee_id": 0}, headers={"X-CSRF-Token": admin}
    )
    assert cleared.json()["assignee_id"] is None


def test_user_administration_and_the_audit_log(web) -> None:
    from support.web import PASSWORD

    csrf = login(web, "admin")
    users = {u["username"]: u for u in web.get("/api/v1/users").json()["users"]}
    viewer = users["viewer"]["id"]
    headers = {"X-CSRF-Token": csrf}
    # promote, then deactivate: the viewer's sessions end and it cannot log in
    changed = web.patch(f"/api/v1/users/{viewer}", json={"role": "reviewer"}, headers=headers).json()
    assert changed["role"] == "reviewer" and changed["active"] is True
    assert (
        web.patch(f"/api/v1/users/{viewer}", json={"active": False}, headers=headers).json()["active"]
        is False
    )
    web.cookies.clear()
    assert web.post("/api/v1/login", json={"username": "viewer", "password": PASSWORD}).status_code == 401
    csrf = login(web, "admin")
    headers = {"X-CSRF-Token": csrf}
    # reset its password and reactivate it
    new = "another long password"
    web.patch(f"/api/v1/users/{viewer}", json={"active": True, "password": new}, headers=headers)
    # the last administrator cannot stop being one
    admin_id = users["admin"]["id"]
    refused = web.patch(f"/api/v1/users/{admin_id}", json={"role": "viewer"}, headers=headers)
    assert refused.status_code == 400 and "管理员" in refused.json()["error"]["message"]
    assert web.patch("/api/v1/users/999999", json={"active": True}, headers=headers).status_code == 404
    # the viewer changes its own password (the current one is needed)
    web.cookies.clear()
    response = web.post("/api/v1/login", json={"username": "viewer", "password": new})
    mine = {"X-CSRF-Token": response.json()["csrf_token"]}
    wrong = web.post("/api/v1/me/password", json={"current": "nope", "new": "a third password"}, headers=mine)
    assert wrong.status_code == 400
    done = web.post("/api/v1/me/password", json={"current": new, "new": "a third password"}, headers=mine)
    assert done.status_code == 200
    assert web.get("/api/v1/me").json()["user"]["username"] == "viewer"  # the new cookie works
    assert web.get("/api/v1/events").status_code == 403  # the log is the admin's
    web.cookies.clear()
    csrf = login(web, "admin")
    log = web.get("/api/v1/events").json()
    actions = [e["action"] for e in log["events"]]
    assert {"login", "login_failed", "user", "password"} <= set(actions)
    user_changes = [e["detail"] for e in log["events"] if e["action"] == "user"]
    assert "active=False" in user_changes and any("password reset" in d for d in user_changes)
    only = web.get("/api/v1/events", params={"action": "password"}).json()
    assert only["total"] == 1 and only["events"][0]["username"] == "viewer"


def test_correct_reanalyse_and_delete_through_the_api(web) -> None:
    csrf = login(web, "reviewer")
    headers = {"X-CSRF-Token": csrf}
    [done] = wait_for(
        web, [u["id"] for u in upload(web, csrf, ("决算.pdf", PDF.read_bytes())).json()["uploads"]]
    )
    doc = done["document_id"]
    changed = web.patch(f"/api/v1/documents/{doc}", json={"fiscal_year": 2022}, headers=headers).json()
    assert "年度" in changed["what"] and web.get(f"/api/v1/documents/{doc}").json()["fiscal_year"] == 2022
    assert (
        web.patch(f"/api/v1/documents/{doc}", json={"fiscal_year": 1800}, headers=headers).status_code == 422
    )
    assert web.patch(f"/api/v1/documents/{doc}", json={}, headers=headers).status_code == 400
    again = web.post(f"/api/v1/documents/{doc}/reanalyse", headers=headers).json()
    assert again["document_id"] == doc and "重新审核" in again["what"]
    finding = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"][0]["id"]
    web.post(
        f"/api/v1/documents/{doc}/findings/{finding}/decisions", json={"action": "confirm"}, headers=headers
    )
    kept = web.delete(f"/api/v1/documents/{doc}", headers=headers)
    assert kept.status_code == 400 and "审核意见" in kept.json()["error"]["message"]
    viewer = web.post(
        "/api/v1/login", json={"username": "viewer", "password": "correct horse battery"}
    ).json()
    assert (
        web.delete(f"/api/v1/documents/{doc}", headers={"X-CSRF-Token": viewer["csrf_token"]}).status_code
        == 403
    )


def test_the_whole_library_is_analysed_again_in_the_background(web) -> None:
    import time

    csrf = login(web, "reviewer")
    [done] = wait_for(
        web, [u["id"] for u in upload(web, csrf, ("决算.pdf", PDF.read_bytes())).json()["uploads"]]
    )
    doc = done["document_id"]
    before = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"]
    assert web.post("/api/v1/reanalyse", headers={"X-CSRF-Token": csrf}).status_code == 403  # admin only
    admin = login(web, "admin")
    answer = web.post("/api/v1/reanalyse", headers={"X-CSRF-Token": admin})
    assert answer.status_code == 202 and answer.json()["queued"] == [doc] and answer.json()["skipped"] == []
    deadline = time.monotonic() + 120
    while True:
        log = web.get("/api/v1/events", params={"action": "reanalyse"}).json()["events"]
        if any(e["target"] == f"document {doc}" for e in log):
            break
        assert time.monotonic() < deadline, log
        time.sleep(0.2)
    entry = next(e for e in log if e["target"] == f"document {doc}")
    assert "重新审核：错误" in entry["detail"] and entry["username"] == "admin"
    after = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"]
    assert [(f["rule_id"], f["message"]) for f in after] == [(f["rule_id"], f["message"]) for f in before]
