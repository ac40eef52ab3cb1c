"""Opening the library: where it is, creating or upgrading its tables, and engine settings per backend.

The location comes from ``--db``, else ``CNBUDGET_DB``, else ``./cnbudget.db``; a bare path means an
SQLite file, anything with ``://`` is an SQLAlchemy URL (``postgresql://user@host/db``). Every open
brings the schema to the newest migration, so a library written by an older cnbudget keeps working.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from cnbudget.domain.errors import DatabaseError
from cnbudget.domain.i18n import t

DEFAULT_PATH = "cnbudget.db"
ENV_VAR = "CNBUDGET_DB"
DATASET_PREFIX = "parquet:"
"""``--db parquet:DIR`` names a Parquet dataset, which the questions read in place with DuckDB."""

__all__ = ["DEFAULT_PATH", "ENV_VAR", "DatabaseError", "database_url", "open_database", "upgrade"]


def database_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for ``--db`` / ``CNBUDGET_DB`` / the default file."""
    value = db or os.environ.get(ENV_VAR) or DEFAULT_PATH
    if "://" in value:
        if value.startswith("postgres://"):  # the spelling many hosting services hand out
            value = "postgresql://" + value[len("postgres://") :]
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value[len("postgresql://") :]
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def describe(url: str) -> str:
    """The URL without a password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """The connection's settings. The busy timeout comes first: switching a new library to WAL takes a lock,
    and twenty processes opening a new library at once made one fail with "database is locked" when the
    switch ran before the timeout was set. SQLite answers a switch that would deadlock at once, whatever the
    timeout: it is tried again for a while (the library is in WAL mode for good once one switch is done)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    for attempt in range(50):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.05 + random.random() * 0.1)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def open_database(db: str | None = None, *, create: bool = True, dataset: bool = False) -> Engine:
    """An engine on the library, its schema at the newest migration.

    With ``create=False`` a missing SQLite file is an error rather than a new empty library (the
    question commands use this, so a mistyped path is not answered with "no documents"). ``dataset``: the
    caller only reads what the questions read, so ``parquet:DIR`` (a dataset, see store/dataset.py) will do.
    """
    named = db or os.environ.get(ENV_VAR)
    if named and named.startswith(DATASET_PREFIX):
        return _open_dataset(named, dataset)
    url = database_url(db)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        if not create and not path.exists():
            raise DatabaseError(t("这里没有资料库", "no library here"), str(path), setting="db")
        if create and not path.parent.exists():
            raise DatabaseError(
                t("资料库所在的文件夹不存在", "the folder for the library does not exist"), str(path)
            )
    try:
        engine = create_engine(url, future=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DatabaseError(
            t(f"cnbudget 无法使用这个数据库地址：{exc}", f"not a database URL cnbudget can use: {exc}"),
            describe(url),
        ) from exc
    except ImportError as exc:  # the driver is missing
        raise DatabaseError(
            t(
                f"未安装数据库驱动（{exc.name}）；PostgreSQL 请运行 pip install 'cnbudget[postgres]'",
                f"the database driver is not installed ({exc.name}); for PostgreSQL run pip install 'cnbudget[postgres]'",
            ),
            describe(url),
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        upgrade(engine)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(
            t(f"无法打开资料库：{reason}", f"cannot open the library: {reason}"), describe(url)
        ) from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(
            t(f"无法打开资料库：{exc}", f"cannot open the library: {exc}"), describe(url)
        ) from exc
    return engine


def _open_dataset(named: str, allowed: bool) -> Engine:
    if not allowed:
        raise DatabaseError(
            t(
                "Parquet 数据集只能回答 compare、history、execution 和 findings；这个命令需要资料库"
                "（SQLite 文件或 PostgreSQL）",
                "a Parquet dataset answers compare, history, execution and findings only; this command "
                "needs a library (an SQLite file or PostgreSQL)",
            ),
            named,
            setting="db",
        )
    from cnbudget.store.dataset import dataset_folder, open_dataset

    return open_dataset(dataset_folder(named))


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    location = resources.files("cnbudget.store").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str:
    """The newest revision among the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return current_revision_on(conn)


def current_revision_on(conn: Any) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (nothing to do, and cheap, when it is already there)."""
    from cnbudget.store.migrations import HEAD

    if current_revision(engine) == HEAD:
        return
    from alembic import command

    config = _alembic_config()
    # several processes may open a new library at once (a batch of ingests, a question while an ingest
    # creates it): one migrates, the others wait for it and then find the schema there
    with _migration_lock(engine):
        if current_revision(engine) == HEAD:
            return
        if engine.dialect.name == "sqlite":
            _upgrade_sqlite(engine, config)
            return
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
                if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is not None and (
                    conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
                ):
                    return  # another process migrated while this one waited for the lock
            config.attributes["connection"] = conn
            command.upgrade(config, "head")


def _upgrade_sqlite(engine: Engine, config: Any) -> None:
    """All the migrations in one SQLite transaction, schema statements included.

    Python's sqlite3 module begins a transaction only before INSERT/UPDATE/DELETE and runs CREATE, ALTER
    and DROP each on its own: a library killed while it was being created or migrated was left half-built
    and unopenable. Here the module's own handling is off and BEGIN IMMEDIATE is sent, so a creation or an
    upgrade — all its steps and the version it records — is committed whole or not at all.
    """
    from alembic import command

    from cnbudget.store.migrations import HEAD

    with engine.connect() as conn:
        dbapi = conn.connection.driver_connection
        previous = dbapi.isolation_level  # type: ignore[union-attr]
        dbapi.isolation_level = None  # type: ignore[union-attr]
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            if current_revision_on(conn) == HEAD:
                conn.rollback()
                return
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            dbapi.isolation_level = previous  # type: ignore[union-attr]


_MIGRATION_LOCK_KEY = 0x636E6264  # "cnbd": the advisory lock all cnbudget processes take to migrate


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """For SQLite, an exclusive flock while migrating (PostgreSQL locks inside the migration's transaction
    instead), taken on a file beside the library (``library.db-lock``), never on the library itself: closing
    any descriptor of the library file drops every POSIX lock the process holds on it, SQLite's own
    included, and a library written while its locks were gone could be left "malformed" (SQLite's "How
    To Corrupt" §2.2; seen as 2 kills in 25 leaving an unopenable library). Without fcntl (Windows) the
    migration is not serialised."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux/macOS
        yield
        return
    with open(f"{path}-lock", "ab") as handle:  # noqa: PTH123 - a lock file of its own, as SQLite's -wal/-shm
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
