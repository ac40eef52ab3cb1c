"""The pages without JavaScript: log in through the form, find the document, open the evidence, decide,
upload through the form, browse tables and the library — and document text always escaped."""

from __future__ import annotations

import re

from support.web import PASSWORD, PDF, wait_for

SEED_LABEL = "一般公共服务支出"


def _form_login(web, role: str = "reviewer") -> str:
    page = web.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = web.post("/login", data={"username": role, "password": PASSWORD, "csrf_token": token,
                                        "next": "/documents"}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/documents"
    documents = web.get("/documents")
    return re.search(r'name="csrf-token" content="([^"]+)"', documents.text).group(1)


def _upload_form(web, csrf: str, name: str, data: bytes) -> int:
    response = web.post("/upload", data={"csrf_token": csrf}, files=[("files", (name, data, "application/pdf"))],
                        follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text
    ids = [int(i) for i in response.headers["location"].split("ids=")[1].split("%2C")]
    [done] = wait_for(web, ids)
    assert done["document_id"], done
    return int(done["document_id"])


def test_login_form_needs_its_token_and_the_right_password(web) -> None:
    assert web.get("/documents", follow_redirects=False).headers["location"] == "/login?next=/documents"
    web.get("/login")
    forged = web.post("/login", data={"username": "reviewer", "password": PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 403
    page = web.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    wrong = web.post("/login", data={"username": "reviewer", "password": "nope", "csrf_token": token})
    assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
    outside = web.post("/login", data={"username": "reviewer", "password": PASSWORD, "csrf_token": token,
                                       "next": "//evil.example/x"}, follow_redirects=False)  # fmt: skip
    assert outside.headers["location"] == "/documents"
    assert "default-src 'self'" in web.get("/documents").headers["content-security-policy"]


def test_review_a_document_through_the_pages(web) -> None:
    csrf = _form_login(web)
    doc = _upload_form(web, csrf, "决算.pdf", PDF.read_bytes())
    listing = web.get("/documents").text
    assert f'href="/documents/{doc}"' in listing and "待审" in listing
    page = web.get(f"/documents/{doc}").text
    ids = [int(i) for i in re.findall(r'<article class="finding [^"]*" id="f(\d+)"', page)]
    assert ids, page[:2000]
    findings = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"]
    assert sorted(ids) == sorted(f["id"] for f in findings)
    boxed = next(f for f in findings if any(e.get("bbox") for e in f["evidence"]))
    fragment = web.get(f"/documents/{doc}/findings/{boxed['id']}/evidence", headers={"X-Fragment": "1"}).text
    assert "<svg viewBox" in fragment and 'class="box' in fragment and "<html" not in fragment
    page_number = next(e["page"] for e in boxed["evidence"] if e.get("bbox"))
    assert f"/documents/{doc}/pages/{page_number}.png" in fragment
    assert web.get(f"/documents/{doc}/pages/{page_number}.png").content.startswith(b"\x89PNG")
    whole = web.get(f"/documents/{doc}/findings/{boxed['id']}/evidence").text
    assert "<html" in whole and "返回" in whole

    decided = web.post(f"/documents/{doc}/findings/{boxed['id']}/decide",
                       data={"csrf_token": csrf, "action": "dismiss", "text": "表中合计含尾差"}, follow_redirects=False)  # fmt: skip
    assert decided.status_code == 303 and decided.headers["location"].endswith(f"#f{boxed['id']}")
    page = web.get(f"/documents/{doc}").text
    article = page.split(f'id="f{boxed["id"]}"')[1].split("</article>")[0]
    assert "已驳回" in article and "表中合计含尾差" in article and "reviewer" in article
    no_token = web.post(f"/documents/{doc}/findings/{boxed['id']}/decide", data={"action": "confirm"})
    assert no_token.status_code == 403
    web.post(f"/documents/{doc}/review", data={"csrf_token": csrf, "status": "done", "assignee_id": "2"})
    assert "已完成" in web.get("/documents", params={"status": "done"}).text
    assert f'/documents/{doc}"' not in web.get("/documents", params={"status": "pending"}).text

    tables = web.get(f"/documents/{doc}/tables").text
    assert '<table class="grid">' in tables and "F01" in tables
    for what in ("checklist.xlsx", "checklist.html", "findings.xlsx", "facts.csv"):
        assert web.get(f"/documents/{doc}/export/{what}").status_code == 200, what


def test_library_pages(web) -> None:
    csrf = _form_login(web)
    doc = _upload_form(web, csrf, "决算.pdf", PDF.read_bytes())
    meta = web.get(f"/api/v1/documents/{doc}").json()
    assert meta["organisation"] in web.get("/library/organisations").text
    compare = web.get("/library/compare", params={"year": meta["fiscal_year"], "kind": "final"}).text
    assert meta["organisation"] in compare
    history = web.get("/library/history", params={"organisation": f"#{meta['organisation_id']}"}).text
    assert str(meta["fiscal_year"]) in history
    assert "没有" in web.get("/library/history", params={"organisation": "不存在的单位"}).text
    assert "NARR-" in web.get("/library/findings").text or "SUM-" in web.get("/library/findings").text
    assert web.get("/library/execution").status_code == 200  # the empty form


def test_document_text_is_escaped(web, tmp_path) -> None:
    from support.seeds import SEED_FILES

    csrf = _form_login(web)
    text = SEED_FILES["000"].read_text("utf-8")
    hostile = text.replace(f"201\t{SEED_LABEL}\t", f"201\t<script>alert(1)</script>{SEED_LABEL}\t", 1)
    assert hostile != text
    response = web.post("/upload", data={"csrf_token": csrf},
                        files=[("files", ("<img src=x onerror=alert(1)>.txt", hostile.encode(), "text/plain"))],
                        follow_redirects=False)  # fmt: skip
    ids = [int(i) for i in response.headers["location"].split("ids=")[1].split("%2C")]
    [done] = wait_for(web, ids)
    assert done["status"] == "ingested", done
    uploads = web.get("/uploads").text
    assert "<img src=x" not in uploads and "&lt;img src=x onerror=alert(1)&gt;.txt" in uploads
    doc = done["document_id"]
    facts = web.get(f"/documents/{doc}/export/facts.csv").content.decode("utf-8-sig").splitlines()
    assert any("201" in line for line in facts), facts[:5]
    table = next(line.split(",")[0] for line in facts if "<script>" in line)  # where the parser put the label
    tables = web.get(f"/documents/{doc}/tables", params={"table": table}).text
    assert "<script>alert(1)</script>" not in tables and "&lt;script&gt;alert(1)&lt;/script&gt;" in tables


def test_roles_on_pages(web) -> None:
    csrf = _form_login(web, "viewer")
    assert web.get("/upload").status_code == 403
    assert web.get("/users").status_code == 403
    assert web.post("/users", data={"csrf_token": csrf, "username": "x", "password": "12345678",
                                    "role": "admin"}).status_code == 403  # fmt: skip
    web.post("/logout", data={"csrf_token": csrf})
    csrf = _form_login(web, "admin")
    added = web.post("/users", data={"csrf_token": csrf, "username": "李审核", "password": "long enough pw",
                                     "role": "reviewer", "display_name": "李"}, follow_redirects=False)  # fmt: skip
    assert added.status_code == 303
    assert "李审核" in web.get("/users").text
    short = web.post(
        "/users", data={"csrf_token": csrf, "username": "王", "password": "short", "role": "viewer"}
    )
    assert short.status_code == 400 and "密码太短" in short.text


def test_library_answers_have_their_chart_and_files(web) -> None:
    import io

    from openpyxl import load_workbook

    csrf = _form_login(web)
    doc = _upload_form(web, csrf, "决算.pdf", PDF.read_bytes())
    meta = web.get(f"/api/v1/documents/{doc}").json()
    params = {"year": meta["fiscal_year"], "kind": "final"}
    page = web.get("/library/compare", params=params).text
    assert '<svg class="chart"' in page and 'class="bar"' in page  # drawn inline: no script, no network
    csv_file = web.get("/library/compare", params={**params, "download": "csv"})
    assert (
        csv_file.content.startswith("\ufeff".encode()) and meta["organisation"] in csv_file.content.decode()
    )
    book = load_workbook(
        io.BytesIO(web.get("/library/compare", params={**params, "download": "xlsx"}).content)
    )
    assert any(ws._charts for ws in book.worksheets)  # the native chart travels with the figures


def test_pages_need_nothing_from_the_network(web) -> None:
    """Every script, style, image and font is served by the application itself (an intranet without
    internet access): no page refers to another host."""
    csrf = _form_login(web)
    doc = _upload_form(web, csrf, "决算.pdf", PDF.read_bytes())
    finding = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"][0]
    pages = ["/documents", f"/documents/{doc}", f"/documents/{doc}/tables", "/upload", "/uploads",
             f"/documents/{doc}/findings/{finding['id']}/evidence", "/library/organisations", "/api/docs",
             "/api/redoc"]  # fmt: skip
    for path in pages:
        html = web.get(path).text
        assert not re.findall(r'(?:src|href)="(?:https?:)?//', html), path
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
            assert web.get(asset).status_code == 200, asset
    css = web.get("/static/app.css").text
    assert "url(" not in css and "@import" not in css


def test_user_administration_account_and_log_pages(web) -> None:
    csrf = _form_login(web, "admin")
    users = web.get("/users")
    assert (
        '<option value="viewer" selected>查阅人</option>' in users.text
    )  # a new user is a viewer by default
    viewer_id = re.search(r'action="/users/(\d+)"[^<]*<input[^>]*>\s*<label>角色 <select name="role">'
                          r'(?:(?!</select>).)*value="viewer" selected', users.text, re.S)  # fmt: skip
    assert viewer_id, users.text[:2000]
    target = viewer_id.group(1)
    saved = web.post(f"/users/{target}", data={"csrf_token": csrf, "role": "reviewer", "active": "0"})
    assert saved.status_code == 200 and "已保存 viewer" in saved.text
    assert re.search(r"<td>viewer</td><td>[^<]*</td><td>审核人</td><td>停用</td>", saved.text)
    short = web.post(f"/users/{target}", data={"csrf_token": csrf, "password": "short"})
    assert short.status_code == 400 and "密码太短" in short.text
    log = web.get("/events", params={"action": "user"})
    assert "用户管理" in log.text and "active=False" in log.text
    csv = web.get("/events", params={"action": "login", "download": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and "登录" in csv.content.decode("utf-8-sig")
    assert web.get("/events", params={"offset": "-1"}).status_code == 422
    # my own password: the current one is needed; afterwards the new one logs in
    wrong = web.post(
        "/account/password", data={"csrf_token": csrf, "current": "nope", "new": "a new password"}
    )
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.text
    done = web.post(
        "/account/password", data={"csrf_token": csrf, "current": PASSWORD, "new": "a new password"}
    )
    assert done.status_code == 200 and "密码已修改" in done.text
    assert web.get("/account").status_code == 200  # still logged in, with the new session
    web.cookies.clear()
    assert (
        web.post("/api/v1/login", json={"username": "admin", "password": "a new password"}).status_code == 200
    )


def test_every_finding_with_a_page_shows_it_boxed_and_opens_the_original(web) -> None:
    """Narrative, row, table and text findings too: the sentence or row is boxed on its page (found by its
    line on the PDF read again), and the original PDF opens at the page."""
    csrf = _form_login(web)
    doc = _upload_form(web, csrf, "普陀决算.pdf", PDF.read_bytes())
    findings = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"]
    with_pages = [f for f in findings if f["pages"]]
    kinds = {e["kind"] for f in with_pages for e in f["evidence"]}
    assert {"claim", "cell"} <= kinds and len(with_pages) == len(findings)
    for f in with_pages:
        html = web.get(f"/documents/{doc}/findings/{f['id']}/evidence", headers={"x-fragment": "1"}).text
        assert html.count("<image href=") >= 1, f["rule_id"]
        assert 'class="box' in html, (f["rule_id"], f["evidence"])
        assert f"/documents/{doc}/original#page=" in html
    original = web.get(f"/documents/{doc}/original")
    assert original.status_code == 200 and original.content == PDF.read_bytes()
    assert original.headers["content-type"] == "application/pdf"
    assert (
        "inline" in original.headers["content-disposition"]
        and "%E6%99%AE%E9%99%80" in original.headers["content-disposition"]
    )


def test_the_document_page_filters_pages_and_decides_in_bulk(web) -> None:
    csrf = _form_login(web)
    doc = _upload_form(web, csrf, "普陀决算.pdf", PDF.read_bytes())
    findings = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    assert errors and len(errors) < len(findings)
    page = web.get(f"/documents/{doc}", params={"severity": "错误"})  # Chinese values are understood
    assert page.text.count('class="finding ') == len(errors)
    assert f"共 {len(errors)} 条（已筛选）" in page.text
    rule = findings[0]["rule_id"]
    only = web.get(f"/documents/{doc}", params={"rule": rule})
    assert only.text.count('class="finding ') == sum(f["rule_id"] == rule for f in findings)
    found = web.get(f"/documents/{doc}", params={"q": findings[0]["message"][:8]})
    assert f'id="f{findings[0]["id"]}"' in found.text
    # dismissing without a reason: the page again, the problem beside the finding, nothing lost
    target = findings[0]["id"]
    bare = web.post(
        f"/documents/{doc}/findings/{target}/decide", data={"csrf_token": csrf, "action": "dismiss"}
    )
    assert bare.status_code == 400 and "驳回须写明理由" in bare.text and f'id="f{target}"' in bare.text
    # bulk: dismiss every error with one reason, back to the filtered page
    ids = [str(f["id"]) for f in errors]
    done = web.post(f"/documents/{doc}/bulk", data={"csrf_token": csrf, "action": "dismiss", "text": "批量：已核实",
                    "ids": ids, "back_to": f"/documents/{doc}?severity=error"}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == f"/documents/{doc}?severity=error"
    states = {f["id"]: f["state"] for f in web.get(f"/api/v1/documents/{doc}/findings").json()["findings"]}
    assert all(states[int(i)] == "dismissed" for i in ids) and list(states.values()).count(
        "dismissed"
    ) == len(ids)
    refused = web.post(f"/documents/{doc}/bulk", data={"csrf_token": csrf, "action": "dismiss", "ids": ids})
    assert refused.status_code == 400 and "驳回须写明理由" in refused.text
    none = web.post(f"/documents/{doc}/bulk", data={"csrf_token": csrf, "action": "confirm"})
    assert none.status_code == 400 and "没有选择" in none.text
    # reading notes are folded: each once with its count, without the installation hint
    from cnbudget.web.pages import _folded

    hint = "以下页面没有可用的文字层，未读取（未安装 OCR 组件）：3"
    folded = _folded([{"message": "B05 读取不完整"}, {"message": "B05 读取不完整"}, hint, "B05 读取不完整"])
    assert folded == [
        ("B05 读取不完整", 3),
        ("以下页面没有可用的文字层，未读取（服务器未安装 OCR 组件（请告知管理员））：3", 1),
    ]


def test_a_document_is_corrected_analysed_again_and_deleted_from_the_page(web, tmp_path) -> None:
    csrf = _form_login(web)
    doc = _upload_form(web, csrf, "普陀决算.pdf", PDF.read_bytes())
    response = web.post(f"/documents/{doc}/correct", data={"csrf_token": csrf, "fiscal_year": "2023",
                        "organisation": "上海市普陀区规划和自然资源局（更正）"}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    meta = web.get(f"/api/v1/documents/{doc}").json()
    assert meta["fiscal_year"] == 2023 and meta["organisation"] == "上海市普陀区规划和自然资源局（更正）"
    assert (
        web.post(
            f"/documents/{doc}/correct", data={"csrf_token": csrf, "fiscal_year": "二〇二三"}
        ).status_code
        == 422
    )
    before = len(web.get(f"/api/v1/documents/{doc}/findings").json()["findings"])
    assert (
        web.post(f"/documents/{doc}/reanalyse", data={"csrf_token": csrf}, follow_redirects=False).status_code
        == 303
    )
    assert len(web.get(f"/api/v1/documents/{doc}/findings").json()["findings"]) == before
    assert web.get(f"/api/v1/documents/{doc}").json()["fiscal_year"] == 2023  # the correction stays
    stored = list((tmp_path / "files").rglob("*.pdf"))
    assert len(stored) == 1
    gone = web.post(f"/documents/{doc}/delete", data={"csrf_token": csrf}, follow_redirects=False)
    assert gone.status_code == 303 and web.get(f"/api/v1/documents/{doc}").status_code == 404
    assert not stored[0].exists()  # the server's copy goes with it
    web.cookies.clear()
    login_admin = web.post("/api/v1/login", json={"username": "admin", "password": PASSWORD}).json()
    log = web.get("/api/v1/events", headers={"X-CSRF-Token": login_admin["csrf_token"]}).json()["events"]
    assert {"document", "reanalyse", "delete"} <= {e["action"] for e in log}


def test_library_forms_speak_chinese_and_leave_out_what_the_team_dismissed(web) -> None:
    csrf = _form_login(web)
    doc = _upload_form(web, csrf, "普陀决算.pdf", PDF.read_bytes())
    meta = web.get(f"/api/v1/documents/{doc}").json()
    form = web.get("/library/compare").text
    assert '<option value="final">决算</option>' in form and '<option value="total_spending">' in form
    assert "total_spending" not in re.sub(r'value="[^"]*"', "", form)  # ids only in values, labels shown
    chosen = web.get(
        "/library/compare", params={"year": meta["fiscal_year"], "kind": "决算", "metric": ["支出合计"]}
    )
    assert meta["organisation"] in chosen.text, chosen.text[:500]
    assert "应为 2,0" not in web.get(f"/documents/{doc}").text  # no year printed as an amount
    levels = web.get("/library/findings", params={"severity": "错误"})
    assert levels.status_code == 200 and '<option value="error" selected>错误</option>' in levels.text
    findings = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"]
    target = findings[0]
    web.post(f"/api/v1/documents/{doc}/findings/{target['id']}/decisions", json={"action": "dismiss", "text": "误报"},
             headers={"X-CSRF-Token": csrf})  # fmt: skip
    listed = web.get("/api/v1/questions/findings").json()["rows"]
    assert target["message"] not in {r["message"] for r in listed}
    assert len(listed) == len(findings) - 1
    everything = web.get("/api/v1/questions/findings", params={"dismissed": "true"}).json()["rows"]
    assert target["message"] in {r["message"] for r in everything}
    # reopened: listed again
    web.post(f"/api/v1/documents/{doc}/findings/{target['id']}/decisions", json={"action": "reopen"},
             headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert len(web.get("/api/v1/questions/findings").json()["rows"]) == len(findings)


def test_a_form_sent_after_the_session_ended_returns_to_its_page_after_login(web) -> None:
    csrf = _form_login(web)
    doc = _upload_form(web, csrf, "普陀决算.pdf", PDF.read_bytes())
    finding = web.get(f"/api/v1/documents/{doc}/findings").json()["findings"][0]["id"]
    page = web.get(f"/documents/{doc}").text
    assert f'data-keep="{doc}-{finding}"' in page  # the page's script keeps what is typed in this field
    web.cookies.delete("cnbudget_session")
    host = "testserver"
    response = web.post(f"/documents/{doc}/findings/{finding}/decide", follow_redirects=False,
                        data={"csrf_token": csrf, "action": "dismiss", "text": "打了很久的理由"},
                        headers={"Referer": f"http://{host}/documents/{doc}", "Host": host})  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=/documents/{doc}"
