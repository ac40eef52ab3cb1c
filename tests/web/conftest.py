"""A web application on a fresh library (SQLite and PostgreSQL), with one user of each role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is part of the test extra: tools/test installs it")
from fastapi.testclient import TestClient  # noqa: E402

from cnbudget.library.accounts import add_user  # noqa: E402
from cnbudget.library.uploads import UploadLimits  # noqa: E402
from cnbudget.store.database import open_database  # noqa: E402
from cnbudget.web.app import create_app  # noqa: E402
from cnbudget.web.config import WebConfig  # noqa: E402
from support.web import PASSWORD, ROLES  # noqa: E402


def _client(library_url: str, tmp_path: Path, **settings: Any) -> Iterator[Any]:
    engine = open_database(library_url)
    for role in ROLES:
        add_user(engine, role, PASSWORD, role, f"{role} 测试")
    engine.dispose()
    app = create_app(WebConfig(db=library_url, storage=tmp_path / "files", workers=1, **settings))
    with TestClient(app) as client:
        yield client


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Any]:
    """On SQLite: most behaviour does not depend on the backend."""
    yield from _client(str(tmp_path / "library.db"), tmp_path)


@pytest.fixture
def web_small(tmp_path: Path) -> Iterator[Any]:
    """Upload limits of a few megabytes, so that refusals are tested with small files."""
    limits = UploadLimits(max_bytes=3 * 1024 * 1024, max_files=5, max_unzipped=8 * 1024 * 1024,
                          max_request=12 * 1024 * 1024)  # fmt: skip
    yield from _client(str(tmp_path / "library.db"), tmp_path, limits=limits)


@pytest.fixture
def web_any(library_url: str, tmp_path: Path) -> Iterator[Any]:
    """On SQLite and on PostgreSQL: for what the backends do differently (transactions, triggers)."""
    yield from _client(library_url, tmp_path)
