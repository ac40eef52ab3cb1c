"""Fixtures shared by the tests (helpers live in tests/support/)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.postgres import ENV_REQUIRE, ENV_URL, TemporaryServer, binaries
from support.seeds import SEED_FILES, SEEDS


@pytest.fixture(autouse=True)
def _chinese_screens(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test sees the CLI's default language, Chinese, whatever the machine's locale: CNBUDGET_LANG is set
    (it wins over LANG), and a language fixed by an earlier in-process run is forgotten. A test that wants
    English sets CNBUDGET_LANG=en or passes --lang en."""
    from cnbudget.domain import i18n

    monkeypatch.setenv(i18n.LANG_ENV, "zh")
    i18n.set_language(None)
    yield
    i18n.set_language(None)


@pytest.fixture(params=sorted(SEED_FILES))
def seed_name(request: pytest.FixtureRequest) -> str:
    return request.param


# ---- libraries (SQLite and PostgreSQL) ----------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for this test session (see tests/support/postgres.py)."""
    url = os.environ.get(ENV_URL, "")
    if url:
        yield url
        return
    folder = binaries()
    if folder is None:
        if os.environ.get(ENV_REQUIRE) == "1":
            pytest.fail(f"{ENV_REQUIRE}=1 but no PostgreSQL binaries (initdb, pg_ctl) and no {ENV_URL}")
        pytest.skip(
            "no PostgreSQL: install it (tools/test does) or set CNBUDGET_TEST_POSTGRES=postgresql://…"
        )
    server = TemporaryServer(folder).start()
    try:
        yield server.url
    finally:
        server.stop()


def _postgres_database(server: str) -> Iterator[str]:
    """A new empty database on the test server, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"cnbudget_test_{uuid.uuid4().hex[:12]}"
    admin = make_url(server)
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def library_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty library on each backend: an SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "library.db")
    else:
        yield from _postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_library(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A library holding the five seeds, shared by the tests of a module that only read it."""
    from cnbudget.library.ingestion import ingest
    from cnbudget.store.database import open_database

    if request.param == "sqlite":
        urls: Iterator[str] = iter([str(tmp_path_factory.mktemp("library") / "library.db")])
    else:
        urls = _postgres_database(request.getfixturevalue("postgres_server"))
    url = next(urls)
    engine = open_database(url)
    summary = ingest(engine, [SEEDS], jobs=1)
    engine.dispose()
    assert len(summary.ingested) == 5 and not summary.failed, summary
    yield url
    for _ in urls:  # finish the generator: drops the PostgreSQL database
        pass
