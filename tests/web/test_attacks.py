"""The probes of the security review, re-run against a live server (Uvicorn on 127.0.0.1, as `cnbudget
serve` runs the app): bodies bounded before they are read, one unpack budget, throttled passwords, no
server path anywhere, no 500 from any route, login CSRF from another port, a viewer never assigned."""

from __future__ import annotations

import io
import socket
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cnbudget.library.access import ACCOUNT_FAILURES
from cnbudget.library.accounts import add_user
from cnbudget.library.uploads import UploadLimits
from cnbudget.store.database import open_database
from cnbudget.web.app import create_app
from cnbudget.web.config import WebConfig
from support.web import PASSWORD, PDF, ROLES, live_server

LIMITS = UploadLimits(max_bytes=3 * 1024 * 1024, max_files=5, max_unzipped=8 * 1024 * 1024,
                      max_request=12 * 1024 * 1024)  # fmt: skip
MB = 1024 * 1024


def _site(tmp: Path) -> Iterator[dict[str, Any]]:
    db = str(tmp / "library.db")
    engine = open_database(db)
    for role in ROLES:
        add_user(engine, role, PASSWORD, role, f"{role} 测试")
    add_user(engine, "target", PASSWORD, "viewer", "被猜密码的账号")
    engine.dispose()
    storage = tmp / "storage"
    app = create_app(WebConfig(db=db, storage=storage, limits=LIMITS))
    with live_server(app) as address:
        yield {"url": address, "storage": storage, "tmp": tmp}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    yield from _site(tmp_path_factory.mktemp("site"))


@pytest.fixture
def own_site(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A server of its own: for the throttling and the sweep, whose wrong passwords would lock the address on
    the shared one."""
    yield from _site(tmp_path)


def _client(site: dict[str, Any], role: str | None = None) -> httpx.Client:
    client = httpx.Client(base_url=site["url"], timeout=120)
    if role is not None:
        response = client.post("/api/v1/login", json={"username": role, "password": PASSWORD})
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def _stored(storage: Path) -> list[Path]:
    return [p for p in storage.rglob("*") if p.is_file()] if storage.exists() else []


def test_an_anonymous_chunked_upload_is_answered_before_a_megabyte_is_read(site: dict[str, Any]) -> None:
    host, port = site["url"].removeprefix("http://").split(":")
    before = _stored(site["storage"])
    chunk = b"a" * 65536
    frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    sent, answer = 0, b""
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            f"POST /api/v1/uploads HTTP/1.1\r\nHost: {host}:{port}\r\nTransfer-Encoding: chunked\r\n"
            "Content-Type: multipart/form-data; boundary=xyz\r\n\r\n".encode()
        )
        sock.settimeout(0.2)
        while sent < 4 * MB:
            try:
                answer = sock.recv(65536)
                if answer:
                    break
            except TimeoutError:
                pass
            try:
                sock.sendall(frame)
            except OSError:
                break
            sent += len(chunk)
        if not answer:
            sock.settimeout(5)
            answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    assert sent < MB, f"{sent} bytes were sent before the answer"
    assert _stored(site["storage"]) == before


def test_a_chunked_body_over_the_cap_is_cut_and_nothing_is_kept(site: dict[str, Any]) -> None:
    client = _client(site, "reviewer")
    before = _stored(site["storage"])

    def body() -> Iterator[bytes]:
        yield b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
        for _ in range(40):
            yield b"1" * MB

    response = client.post(
        "/api/v1/uploads", content=body(), headers={"Content-Type": "multipart/form-data; boundary=xyz"}
    )
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "too_large"
    assert _stored(site["storage"]) == before


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_nested_zips_share_one_budget_and_leave_nothing_when_refused(site: dict[str, Any]) -> None:
    client = _client(site, "reviewer")
    before = _stored(site["storage"])
    # each inner zip is within the limits (2 × 2.5 MB); together they unpack to 10 MB > 8 MB
    inner = [
        _zip({f"d{i}-{j}.txt": (f"{i}{j}" * 10).encode() * (MB // 8) for j in range(2)}) for i in range(2)
    ]
    outer = _zip({f"part{i}.zip": data for i, data in enumerate(inner)})
    assert len(outer) < MB
    response = client.post("/api/v1/uploads", files=[("files", ("folders.zip", outer, "application/zip"))])
    assert response.status_code == 413, response.text
    assert "解压后超过" in response.json()["error"]["message"]
    assert _stored(site["storage"]) == before
    # three levels deep: refused whatever the size
    deep = _zip({"a.zip": _zip({"b.zip": _zip({"c.txt": b"1 2 3"})})})
    response = client.post("/api/v1/uploads", files=[("files", ("deep.zip", deep, "application/zip"))])
    assert response.status_code == 413 and "套得太深" in response.text, response.text
    # a zip whose headers lie about the sizes is an input error, not a 500
    lying = bytearray(_zip({"x.txt": b"1 2 3 4 5 6 7 8 9" * 100}))
    at = lying.find(b"PK\x01\x02") + 24  # the central directory's uncompressed size
    lying[at : at + 4] = (5).to_bytes(4, "little")
    response = client.post(
        "/api/v1/uploads", files=[("files", ("lying.zip", bytes(lying), "application/zip"))]
    )
    assert response.status_code in (413, 415, 422), response.text
    assert _stored(site["storage"]) == before


def test_wrong_passwords_are_throttled_and_logged(own_site: dict[str, Any]) -> None:
    site = own_site
    client = _client(site)
    statuses = []
    for _ in range(30):
        response = client.post("/api/v1/login", json={"username": "target", "password": "wrong password"})
        statuses.append(response.status_code)
    assert statuses[:ACCOUNT_FAILURES] == [401] * ACCOUNT_FAILURES
    assert set(statuses[ACCOUNT_FAILURES:]) == {429}
    assert 1 <= int(response.headers["Retry-After"]) <= 15 * 60
    assert response.json()["error"]["code"] == "too_many_attempts"
    # even the right password waits; the page form says the same
    response = client.post("/api/v1/login", json={"username": "target", "password": PASSWORD})
    assert response.status_code == 429
    # another account from the same address is not locked by this one
    admin = _client(site, "admin")
    log = admin.get("/api/v1/events", params={"action": "login_failed"}).json()
    assert log["total"] >= ACCOUNT_FAILURES
    assert {e["username"] for e in log["events"]} == {"target"}
    assert all(e["address"] == "127.0.0.1" for e in log["events"])


def test_login_from_another_port_is_refused(site: dict[str, Any]) -> None:
    client = _client(site)
    page = client.get("/login")
    token = page.cookies.get("cnbudget_login") or client.cookies.get("cnbudget_login")
    other = site["url"].rsplit(":", 1)[0] + ":1"
    form = {"username": "reviewer", "password": PASSWORD, "csrf_token": token}
    response = client.post("/login", data=form, headers={"Origin": other})
    assert response.status_code == 403 and "其他网站" in response.text
    response = client.post("/login", data=form, headers={"Referer": other + "/attack.html"})
    assert response.status_code == 403
    response = client.post("/login", data=form, headers={"Origin": site["url"]})
    assert response.status_code == 303, response.text


def _upload_and_wait(client: httpx.Client, name: str, data: bytes) -> dict[str, Any]:
    response = client.post("/api/v1/uploads", files=[("files", (name, data, "application/pdf"))])
    assert response.status_code == 202, response.text
    ids = [u["id"] for u in response.json()["uploads"]]
    deadline = time.monotonic() + 180
    while True:
        found = client.get("/api/v1/uploads", params={"ids": ",".join(map(str, ids))}).json()["uploads"]
        if all(u["finished"] for u in found):
            return dict(found[0])
        assert time.monotonic() < deadline
        time.sleep(0.3)


def _texts(response: httpx.Response) -> str:
    """What a person or a program gets out of a response: the text, or every part of a workbook."""
    data = response.content
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return data.decode("utf-8", "replace")


def test_no_server_path_in_any_response_or_export(site: dict[str, Any]) -> None:
    client = _client(site, "reviewer")
    done = _upload_and_wait(client, "普陀规划资源2024决算.pdf", PDF.read_bytes())
    assert done["status"] in ("ingested", "new_version", "unchanged"), done
    doc = done["document_id"]
    findings = client.get(f"/api/v1/documents/{doc}/findings").json()["findings"]
    finding = findings[0]["id"]
    paths = [
        f"/api/v1/documents/{doc}", f"/api/v1/documents/{doc}/findings", f"/api/v1/documents/{doc}/decisions",
        f"/api/v1/documents/{doc}/checklist?format=xlsx", f"/api/v1/documents/{doc}/checklist?format=html",
        f"/api/v1/documents/{doc}/findings.xlsx", f"/api/v1/documents/{doc}/facts.csv", "/api/v1/documents",
        "/api/v1/uploads", "/api/v1/questions/findings", "/api/v1/organisations",
        f"/documents/{doc}", f"/documents/{doc}/findings/{finding}/evidence", f"/documents/{doc}/tables",
        f"/documents/{doc}/export/checklist.xlsx", f"/documents/{doc}/export/checklist.html",
        f"/documents/{doc}/export/findings.xlsx", f"/documents/{doc}/export/facts.csv",
        "/library/findings", "/library/findings?download=csv", "/library/findings?download=xlsx", "/uploads",
        "/documents",
    ]  # fmt: skip
    storage = str(site["storage"].resolve())
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        text = _texts(response)
        assert storage not in text and str(site["tmp"]) not in text, path
        assert response.headers["Cache-Control"] == "no-store", path
    named = client.get("/api/v1/questions/findings").json()
    assert any(r.get("source") == "普陀规划资源2024决算.pdf" for r in named["rows"])


def test_a_viewer_cannot_be_assigned(site: dict[str, Any]) -> None:
    client = _client(site, "admin")
    users = {u["username"]: u["id"] for u in client.get("/api/v1/users").json()["users"]}
    docs = client.get("/api/v1/documents").json()["documents"]
    if not docs:
        _upload_and_wait(client, "sample.pdf", PDF.read_bytes())
        docs = client.get("/api/v1/documents").json()["documents"]
    doc = docs[0]["id"]
    response = client.put(f"/api/v1/documents/{doc}/review", json={"assignee_id": users["viewer"]})
    assert response.status_code == 400 and "查阅人" in response.json()["error"]["message"]
    response = client.put(f"/api/v1/documents/{doc}/review", json={"assignee_id": users["reviewer"]})
    assert response.status_code == 200


ODD = [
    "错误",
    str(2**63),
    str(2**64 + 7),
    "-1",
    "0",
    "",
    "x" * 3000,
    "1e400",
    "nan",
    "²",
    "%00",
    "../../etc/passwd",
]
"""Values a route must answer with a 4xx (or its normal answer), never a 500."""


def _routes(site: dict[str, Any]) -> list[tuple[str, str, list[str], list[str], list[str]]]:
    """(method, path template, path params, query params, body fields) of every route of the app."""
    from fastapi.routing import APIRoute

    from cnbudget.web import api, pages

    out = []
    for route in [*api.router.routes, *pages.router.routes]:
        if not isinstance(route, APIRoute):
            continue
        dep = route.dependant
        queries = [q.alias for q in dep.query_params] + [
            q.alias for d in dep.dependencies for q in d.query_params
        ]
        body = [b.alias for b in dep.body_params]
        fields = []
        for b in dep.body_params:
            annotation = getattr(b.field_info, "annotation", None)
            model_fields = getattr(annotation, "model_fields", None)
            fields += list(model_fields) if model_fields else [b.alias]
        for method in route.methods:
            out.append(
                (method, route.path_format, [p.alias for p in dep.path_params], queries, fields or body)
            )
    return out


@pytest.mark.parametrize("role", [None, "viewer", "admin"])
def test_no_route_answers_500_to_odd_values(own_site: dict[str, Any], role: str | None) -> None:
    site = own_site  # its odd logins count as wrong passwords from this address: a server of its own
    client = _client(site, role)
    routes = _routes(site)
    assert len(routes) > 40
    failures = []
    for method, template, path_params, queries, fields in routes:
        if (
            template in ("/api/v1/logout", "/logout", "/api/v1/me/password")
            or "/users/" in template
            and role == "admin"
        ):
            continue  # would end this client's session or change the admin account under the sweep
        for value in ODD:
            path = template
            for name in path_params:
                path = path.replace("{" + name + "}", value or "1")
            params = dict.fromkeys(queries, value)
            kwargs: dict[str, Any] = {"params": params}
            if method in ("POST", "PUT", "PATCH", "DELETE"):
                if template.startswith("/api/"):
                    kwargs["json"] = dict.fromkeys(fields, value)
                else:
                    kwargs["data"] = dict.fromkeys(fields, value) | {
                        "csrf_token": client.headers.get("X-CSRF-Token", "")
                    }
            try:
                response = client.request(method, path, **kwargs)
            except httpx.InvalidURL:
                continue
            if response.status_code >= 500:
                failures.append((method, path[:80], value[:20], response.status_code, response.text[:200]))
    assert not failures, failures


def test_another_applications_odd_cookie_does_not_hide_the_session(site: dict[str, Any]) -> None:
    client = _client(site, "reviewer")
    token = client.cookies.get("cnbudget_session")
    odd = f'theme="a b"; x,y=1; broken; cnbudget_session={token}; last=%E4%B8%AD'
    bare = httpx.Client(base_url=site["url"], timeout=60)
    response = bare.post(
        "/api/v1/logout", headers={"Cookie": odd, "X-CSRF-Token": client.headers["X-CSRF-Token"]}
    )
    assert response.status_code == 200, response.text
