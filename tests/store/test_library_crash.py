"""Creating and upgrading a library is all or nothing: a fault at any statement of the creation or of a
migration, or a kill -9 at a random moment while another process writes, leaves a library that the next
open finds at its old revision (or the new one) and brings to the newest."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, inspect

from cnbudget.store import schema
from cnbudget.store.database import _alembic_config, current_revision, database_url, open_database
from cnbudget.store.migrations import HEAD

STARTS = (None, "0001", "0002", "0003")
"""Where a library may be when cnbudget opens it: not there yet, or at each older revision."""


class Injected(Exception):
    """The fault put at one statement."""


def _at(url: str, revision: str | None) -> None:
    """A library at ``revision`` (nothing for None), written with Alembic as the old cnbudget did."""
    if revision is None:
        return
    from alembic import command

    engine = create_engine(database_url(url))
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


@contextmanager
def _fault_at(number: int | None) -> Iterator[list[str]]:
    """Count the statements every engine sends (and raise at the ``number``-th one)."""
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)
        if number is not None and len(seen) == number:
            raise Injected(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", before)


def _revision(url: str) -> str | None:
    engine = create_engine(database_url(url))
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def _opens_at_head(url: str) -> None:
    engine = open_database(url)
    try:
        assert current_revision(engine) == HEAD
        tables = set(inspect(engine).get_table_names())
        assert {t.name for t in schema.metadata.sorted_tables} <= tables
    finally:
        engine.dispose()


def _schema_statements(url_of: object, start: str | None) -> int:
    url = url_of()  # type: ignore[operator]
    _at(url, start)
    with _fault_at(None) as seen:
        open_database(url).dispose()
    return len(seen)


@pytest.mark.parametrize("start", STARTS, ids=lambda s: f"from-{s or 'nothing'}")
def test_a_fault_at_every_statement_leaves_the_sqlite_library_as_it_was(
    tmp_path: Path, start: str | None
) -> None:
    template = tmp_path / "template.db"
    _at(str(template), start)
    counter = iter(range(10_000))

    def fresh() -> str:
        path = tmp_path / f"trial-{next(counter)}.db"
        if template.exists():
            shutil.copyfile(template, path)
        return str(path)

    total = _schema_statements(fresh, None)
    assert total > 3
    for number in range(1, total + 1):
        url = fresh()
        with _fault_at(number), pytest.raises(Exception) as raised:  # noqa: PT011 - the injected fault, wrapped or not
            open_database(url).dispose()
        assert "Injected" in repr(raised.value) or "Injected" in repr(raised.value.__cause__)
        assert _revision(url) == start, f"statement {number} of {total} left the library half-upgraded"
        _opens_at_head(url)
        Path(url).unlink()


@pytest.fixture
def pg_databases(postgres_server: str) -> Iterator[object]:
    """A maker of new empty PostgreSQL databases on the test server, all dropped afterwards."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(postgres_server)
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    made: list[str] = []

    def make() -> str:
        name = f"cnbudget_crash_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return admin.set(database=name).render_as_string(hide_password=False)

    yield make
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _kill_during_creation(url: str, delay: float) -> None:
    """Open (create or upgrade) the library in another process and kill it after ``delay`` seconds."""
    code = (
        "import sys; from cnbudget.store.database import open_database; open_database(sys.argv[1]).dispose()"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, url])
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)


@pytest.mark.parametrize("start", STARTS, ids=lambda s: f"from-{s or 'nothing'}")
def test_a_fault_at_any_statement_leaves_the_postgresql_library_as_it_was(
    pg_databases, start: str | None
) -> None:
    """Every statement of a creation; the first, middle and last of each upgrade (PostgreSQL's schema
    statements are transactional: the creation's run covers every migration's statements)."""
    total = _schema_statements(pg_databases, start)
    numbers = range(1, total + 1) if start is None else sorted({1, total // 2, total})
    for number in numbers:
        url = pg_databases()
        _at(url, start)
        with _fault_at(number), pytest.raises(Exception) as raised:  # noqa: PT011
            open_database(url).dispose()
        assert "Injected" in repr(raised.value) or "Injected" in repr(raised.value.__cause__)
        assert _revision(url) == start, f"statement {number} of {total} left the library half-upgraded"
        _opens_at_head(url)


@contextmanager
def _load() -> Iterator[None]:
    """Both cores busy, as on a server ingesting while the library is opened."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        yield
    finally:
        for burner in burners:
            burner.kill()
            burner.wait(30)


KILLS = int(os.environ.get("CNBUDGET_KILL_TRIALS", "8"))
"""Kills per kind (creation, upgrade) and backend; BENCHMARKS.md records a run with 50."""


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kills_during_creation_and_upgrade_under_load_leave_a_library_that_opens(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """kill -9 at a random moment of a creation (or of an upgrade from 0001), KILLS times each, with both
    cores busy: every time the next open finds the library whole and brings it to the newest revision."""
    if backend == "sqlite":
        counter = iter(range(10_000))

        def make() -> str:
            return str(tmp_path / f"kill-{next(counter)}.db")
    else:
        make = request.getfixturevalue("pg_databases")
    chance = random.Random(19)
    with _load():
        for trial in range(KILLS * 2):
            url = make()
            start = None if trial % 2 == 0 else "0001"
            _at(url, start)
            _kill_during_creation(url, chance.uniform(0.3, 1.5))  # mostly inside the migration, under load
            assert _revision(url) in (start, HEAD), trial
            _opens_at_head(url)
