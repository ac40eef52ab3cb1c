"""`cnbudget users …` and `cnbudget serve` from the command line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from support.cli import invoke


def test_users_add_list_and_passwd(tmp_path: Path) -> None:
    db = str(tmp_path / "library.db")
    added = invoke("users", "add", "zhang", "--role", "reviewer", "--name", "张三", "--db", db,
                   env={"CNBUDGET_PASSWORD": "a long password"})  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = invoke("users", "list", "--db", db)
    assert "zhang" in listed.stdout and "张三" in listed.stdout
    assert (
        "审核人" in listed.stdout and "在用" in listed.stdout
    )  # the role and state in the screen's language
    listed_en = invoke("--lang", "en", "users", "list", "--db", db)
    assert (
        "\treviewer\t" in listed_en.stdout
        and "active" in listed_en.stdout
        and "审核人" not in listed_en.stdout
    )
    again = invoke("users", "add", "zhang", "--db", db, env={"CNBUDGET_PASSWORD": "a long password"})
    assert again.returncode == 4 and "已存在" in again.stderr
    short = invoke("users", "add", "li", "--db", db, env={"CNBUDGET_PASSWORD": "short"})
    assert short.returncode == 4 and "密码太短" in short.stderr
    english = invoke("--lang", "en", "users", "add", "zhang", "--db", db, env={"CNBUDGET_PASSWORD": "short"})
    assert english.returncode == 4 and "too short" in english.stderr and "密码" not in english.stderr
    exists = invoke(
        "users", "add", "zhang", "--db", db, "--lang", "en", env={"CNBUDGET_PASSWORD": "a long password"}
    )
    assert exists.returncode == 4 and "exists already" in exists.stderr, exists.stderr
    role = invoke(
        "users", "add", "li", "--role", "boss", "--db", db, env={"CNBUDGET_PASSWORD": "a long password"}
    )
    assert role.returncode == 4 and "boss" in role.stderr
    changed = invoke("users", "passwd", "zhang", "--db", db, env={"CNBUDGET_PASSWORD": "another long one"})
    assert changed.returncode == 0
    missing = invoke("users", "passwd", "nobody", "--db", db, env={"CNBUDGET_PASSWORD": "another long one"})
    assert missing.returncode == 4 and "nobody" in missing.stderr

    from cnbudget.library.accounts import authenticate
    from cnbudget.store.database import open_database

    engine = open_database(db)
    assert authenticate(engine, "zhang", "another long one") is not None
    assert authenticate(engine, "zhang", "a long password") is None
    engine.dispose()


def test_serve_starts_on_the_sample_and_creates_the_first_administrator(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = tmp_path / "library.db"
    server = subprocess.Popen(
        [sys.executable, "-m", "cnbudget", "serve", "--sample", "--db", str(db), "--port", str(port),
         "--log", str(tmp_path / "serve.log")],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "CNBUDGET_LANG": "zh"},
    )  # fmt: skip
    try:
        assert server.stderr is not None
        first = server.stderr.readline()
        secret = re.search(r"密码写在 (\S+)（只有你可读", first)
        assert secret, first
        kept = Path(secret.group(1))
        assert kept.stat().st_mode & 0o777 == 0o600
        password = kept.read_text(encoding="utf-8").strip()
        assert password not in first
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/login", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.2)
        with httpx.Client(base_url=base) as client:
            login = client.post("/api/v1/login", json={"username": "admin", "password": password})
            assert login.status_code == 200
            documents = client.get("/api/v1/documents").json()["documents"]
        assert len(documents) == 1  # the bundled sample, ingested before the server started
        assert (tmp_path / "cnbudget-files").is_dir()  # uploads are kept beside the library
    finally:
        server.terminate()
        server.wait(30)
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert '"POST /api/v1/login HTTP/1.1" 200' in log  # the access log
    assert "login ok 'admin' from 127.0.0.1" in log  # the server's own record
