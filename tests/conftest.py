from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

import cnbudget
from cnbudget.model import Document

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED_FILES = {
    "000": SEEDS / "000_37ad2aea713753bc.txt",  # 武汉市信息中心 2026 budget, tab-separated
    "001": SEEDS / "001_825a62496bc4820b.txt",  # 武昌区大数据中心 2024 budget, space-separated
    "002": SEEDS / "002_259adb099584b024.txt",  # 武汉市工业信息化中心 2026 unit budget, tab-separated
    "003": SEEDS / "003_2869a1c1e51113ab.txt",  # 武汉市数据局 2024 final accounts, tab-separated
    "004": SEEDS / "004_3af882b25fa8e580.txt",  # 硚口区经信局 2026 budget, Markdown pipe tables
}


@cache
def seed(name: str) -> Document:
    return cnbudget.parse_file(SEED_FILES[name])


@pytest.fixture(params=sorted(SEED_FILES))
def seed_name(request: pytest.FixtureRequest) -> str:
    return request.param


def cell(
    doc: Document, table: str, code: str = "", label: str = "", column: str = "", side: str | None = None
):
    t = doc.table(table)
    assert t is not None, f"{table} missing"
    row = t.row(code=code, label=label, side=side)
    assert row is not None, f"{table} row {code or label} missing"
    for c in row.cells:
        if c.column == column:
            return c.value
    return None


# ---- libraries (SQLite and PostgreSQL) ----------------------------------------------------------------
POSTGRES_URL = os.environ.get("CNBUDGET_TEST_POSTGRES", "")
"""A PostgreSQL server for the library tests (`.ci/run` starts one and sets this)."""
REQUIRE_POSTGRES = os.environ.get("CNBUDGET_REQUIRE_POSTGRES") == "1"


def _postgres_database() -> Iterator[str]:
    """A new empty database on the test server, dropped afterwards."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("CNBUDGET_REQUIRE_POSTGRES=1 but CNBUDGET_TEST_POSTGRES is not set")
        pytest.skip("no PostgreSQL server: set CNBUDGET_TEST_POSTGRES=postgresql://… (.ci/run does)")
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"cnbudget_test_{uuid.uuid4().hex[:12]}"
    admin = make_url(POSTGRES_URL)
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
        yield from _postgres_database()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_library(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A library holding the five seeds, shared by the tests of a module that only read it."""
    from cnbudget.library.ingest import ingest
    from cnbudget.store.database import open_database

    if request.param == "sqlite":
        urls: Iterator[str] = iter([str(tmp_path_factory.mktemp("library") / "library.db")])
    else:
        urls = _postgres_database()
    url = next(urls)
    engine = open_database(url)
    summary = ingest(engine, [SEEDS], jobs=1)
    engine.dispose()
    assert len(summary.ingested) == 5 and not summary.failed, summary
    yield url
    for _ in urls:  # finish the generator: drops the PostgreSQL database
        pass
