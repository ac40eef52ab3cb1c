"""Helpers of the web tests: log in through the API, upload, wait for the background work."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from support.paths import FIXTURES

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

PDF = FIXTURES / "pdf" / "putuo-planning-resources-2024-final.pdf"
PASSWORD = "correct horse battery"
ROLES = ("admin", "reviewer", "viewer")


def login(client: TestClient, role: str) -> str:
    """Log the client in through the API; returns the CSRF token for changes."""
    response = client.post("/api/v1/login", json={"username": role, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["csrf_token"])


def wait_for(client: TestClient, ids: list[int], timeout: float = 120) -> list[dict[str, Any]]:
    """Poll the uploads until every one is finished, as the page does."""
    deadline = time.monotonic() + timeout
    while True:
        uploads = client.get("/api/v1/uploads", params={"ids": ",".join(map(str, ids))}).json()["uploads"]
        if all(u["finished"] for u in uploads):
            return list(uploads)
        assert time.monotonic() < deadline, uploads
        time.sleep(0.2)


def upload(client: TestClient, csrf: str, *files: tuple[str, bytes]) -> Any:
    return client.post(
        "/api/v1/uploads",
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        headers={"X-CSRF-Token": csrf},
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """The application served by Uvicorn on 127.0.0.1, as `cnbudget serve` runs it; yields its address."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(30)
