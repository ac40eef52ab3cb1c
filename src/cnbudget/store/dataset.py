"""The library as a Parquet dataset, partitioned by year and region, that DuckDB answers in place.

A library of the whole country's disclosures outgrows one database server for the people who only ask
questions of it (a research group, a newsroom): they want files they can copy, and an engine that reads
them where they lie. ``write_dataset`` writes the library's tables that the questions read as Parquet::

    DIR/dataset.json                                   what is in it: tables, columns, rows, schema revision
    DIR/documents/year=2024/region=上海市/part-0.parquet  documents, metrics, facts and findings: one folder
    DIR/metrics/year=2024/region=上海市/part-0.parquet    per fiscal year and region of the organisation
    DIR/organisations/part-0.parquet                     organisations and review decisions: one file each

``open_dataset`` gives an SQLAlchemy engine on DuckDB in which each table is a view over its files, named
and typed as in the library's schema, so ``compare``, ``history``, ``execution`` and ``findings`` run the
very same queries on it as on SQLite or PostgreSQL (``--db parquet:DIR``). Amounts are the exact decimal
text the library keeps (``CAST(value AS DECIMAL(28, 6))`` to compute with them in DuckDB). The dataset is
written into a folder of its own next to the target and moved into place when complete: a reader never
sees half of one, and a second export replaces the first whole.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, DateTime, Engine, Integer, Select, Table, create_engine, event, select
from sqlalchemy.pool import StaticPool

from cnbudget.domain.errors import DatabaseError, OutputError
from cnbudget.domain.i18n import t
from cnbudget.store import schema
from cnbudget.store.database import DATASET_PREFIX, current_revision

MANIFEST = "dataset.json"
FORMAT = "cnbudget-dataset"
VERSION = 1
TABLES = ("organisations", "documents", "metrics", "facts", "findings", "decisions")
"""What the questions read (``claims``, ``projects`` and ``indicators`` stay in the library)."""
PARTITIONED = frozenset({"documents", "metrics", "facts", "findings"})
BATCH = 50_000
ROW_GROUP = 8_192
"""Rows of one partition written together: rows of many partitions arrive mixed, and a Parquet row group of
a few rows would make every query read many."""
UNKNOWN = "unknown"
"""The partition of a document whose year, or whose organisation's region, is not known."""


def dataset_folder(db: str) -> Path:
    """The folder ``parquet:DIR`` names."""
    return Path(db[len(DATASET_PREFIX) :]).expanduser()


# ---- writing ------------------------------------------------------------------------------------------
def write_dataset(
    engine: Engine, folder: Path, *, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Write the library's tables under ``folder`` (replacing a dataset already there); rows per table.
    Needs pyarrow (the parquet extra: `library.exports.export_dataset` says so before anything is written)."""
    folder = folder.expanduser()
    _check_target(folder)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.writing-", dir=folder.parent))
    try:
        counts = {}
        for name in TABLES:
            table = schema.metadata.tables[name]
            counts[name] = _write_table(engine, table, work / name)
            if progress:
                progress(name, counts[name])
        _write_manifest(work, engine, counts)
        _swap(work, folder)
    except OSError as exc:
        reason = exc.strerror or exc
        raise OutputError(
            t(f"无法写入数据集：{reason}", f"cannot write the dataset: {reason}"), str(folder)
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return counts


def _check_target(folder: Path) -> None:
    if not folder.parent.is_dir():
        raise OutputError(
            t(f"文件夹不存在：{folder.parent}", f"no such folder: {folder.parent}"), str(folder)
        )
    if folder.exists() and (
        not folder.is_dir() or (any(folder.iterdir()) and not (folder / MANIFEST).is_file())
    ):
        raise OutputError(
            t(
                "这里已有别的文件：数据集只写进空文件夹或替换一个数据集",
                "something else is here: a dataset is written into an empty folder or replaces a dataset",
            ),
            str(folder),
            setting="output",
        )


def _swap(work: Path, folder: Path) -> None:
    """Move the finished dataset into place; the one it replaces is removed only afterwards."""
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        folder.rename(old)
    os.chmod(work, 0o755)
    try:
        work.rename(folder)
    except OSError:
        if old is not None:  # the dataset that was there stays
            old.rename(folder)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _partition_query(table: Table) -> Select[Any]:
    docs = schema.documents.c
    orgs = schema.organisations.c
    year = docs.fiscal_year.label("_year")
    region = orgs.region.label("_region")
    if table is schema.documents:
        joined = table.join(schema.organisations, orgs.id == docs.organisation_id)
    else:
        joined = table.join(schema.documents, docs.id == table.c.document_id).join(
            schema.organisations, orgs.id == docs.organisation_id
        )
    return select(table, year, region).select_from(joined).order_by(table.c[_key(table)])


def _key(table: Table) -> str:
    return "id" if "id" in table.c else "document_id"


def _write_table(engine: Engine, table: Table, target: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_schema = pa.schema([(c.name, arrow_type(pa, c.type)) for c in table.columns])
    partitioned = table.name in PARTITIONED
    query = _partition_query(table) if partitioned else select(table).order_by(table.c[_key(table)])
    writers: dict[tuple[str, str], Any] = {}
    waiting: dict[tuple[str, str], list[Any]] = {}
    count = 0

    def flush(key: tuple[str, str]) -> None:
        if key not in writers:
            writers[key] = pq.ParquetWriter(str(_part_file(target, key, partitioned)), arrow_schema)
        writers[key].write_table(_arrow_table(pa, arrow_schema, table, waiting.pop(key)))

    try:
        for batch in _batches(engine, query):
            for row in batch:
                key = (_part(row._year), _part(row._region)) if partitioned else ("", "")
                waiting.setdefault(key, []).append(row)
                if len(waiting[key]) >= ROW_GROUP:
                    flush(key)
            count += len(batch)
        for key in list(waiting):
            flush(key)
        if not writers:  # an empty table is still a table: the view needs its columns
            pq.write_table(arrow_schema.empty_table(), str(_part_file(target, ("", ""), False)))
    finally:
        for writer in writers.values():
            writer.close()
    return count


def _part(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    # a region is a folder name: nothing that leaves the folder or that the hive layout gives a meaning to
    text = "".join("_" if ch in '/\\=:*?"<>|' or ord(ch) < 32 else ch for ch in text)
    return text if text and text not in {".", ".."} else UNKNOWN


def _part_file(target: Path, key: tuple[str, str], partitioned: bool) -> Path:
    folder = target / f"year={key[0]}" / f"region={key[1]}" if partitioned else target
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "part-0.parquet"


def _batches(engine: Engine, query: Select[Any]) -> Iterator[list[Any]]:
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
        for partition in result.partitions(BATCH):
            yield list(partition)


def _arrow_table(pa: Any, arrow_schema: Any, table: Table, rows: list[Any]) -> Any:
    columns = [
        pa.array([_arrow_value(getattr(row, c.name)) for row in rows], type=field.type)
        for c, field in zip(table.columns, arrow_schema, strict=True)
    ]
    return pa.Table.from_arrays(columns, schema=arrow_schema)


def arrow_type(pa: Any, sql_type: Any, amounts: Any = None) -> Any:
    """The Parquet type of a column of the library; amounts are ``amounts`` (exports: decimals), else the
    exact decimal text the library keeps (the dataset), like text and JSON."""
    if amounts is not None and isinstance(sql_type, schema.Amount):
        return amounts
    if isinstance(sql_type, Boolean):
        return pa.bool_()
    if isinstance(sql_type, Integer):
        return pa.int64()
    if isinstance(sql_type, DateTime):
        return pa.timestamp("us", tz="UTC")
    return pa.string()


def arrow_value(value: Any) -> Any:
    """A value of the library as pyarrow takes it (JSON as its text, times in UTC); exports use it too."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # SQLite gives back naive times; they were stored in UTC
    return value


def _arrow_value(value: Any) -> Any:
    """In the dataset, amounts are the exact decimal text the library keeps."""
    return format(value, "f") if isinstance(value, Decimal) else arrow_value(value)


def _duckdb_type(sql_type: Any) -> str:
    if isinstance(sql_type, Boolean):
        return "BOOLEAN"
    if isinstance(sql_type, Integer):
        return "BIGINT"
    if isinstance(sql_type, DateTime):
        return "TIMESTAMPTZ"
    return "VARCHAR"


def manifest_for(counts: dict[str, int], revision: str | None) -> dict[str, Any]:
    """What ``dataset.json`` says: shared with the benchmark that writes a synthetic dataset."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "schema_revision": revision,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "partitioned_by": ["year", "region"],
        "tables": {
            name: {
                "rows": counts.get(name, 0),
                "partitioned": name in PARTITIONED,
                "columns": {c.name: _duckdb_type(c.type) for c in schema.metadata.tables[name].columns},
            }
            for name in TABLES
        },
    }


def _write_manifest(work: Path, engine: Engine, counts: dict[str, int]) -> None:
    manifest = manifest_for(counts, current_revision(engine))
    (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# ---- reading ------------------------------------------------------------------------------------------
def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not folder.is_dir():
        raise DatabaseError(t("这里没有数据集", "no dataset here"), str(folder), setting="db")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DatabaseError(
            t(
                f"不是 cnbudget 数据集（没有 {MANIFEST}；用 cnbudget export --format dataset 写出）",
                f"not a cnbudget dataset (no {MANIFEST}; write one with cnbudget export --format dataset)",
            ),
            str(folder),
            setting="db",
        ) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatabaseError(
            t(f"无法读取 {MANIFEST}：{exc}", f"cannot read {MANIFEST}: {exc}"), str(path)
        ) from exc
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("version") != VERSION
    ):
        raise DatabaseError(
            t(
                f"不是本版 cnbudget 能读的数据集（需要 {FORMAT} 第 {VERSION} 版）",
                f"not a dataset this cnbudget reads (needs {FORMAT} version {VERSION})",
            ),
            str(path),
        )
    return manifest


def open_dataset(folder: Path) -> Engine:
    """An engine on DuckDB whose tables are views over the dataset's files (nothing is loaded)."""
    folder = folder.expanduser().resolve()
    manifest = read_manifest(folder)
    try:
        import duckdb_engine  # noqa: F401
    except ImportError as exc:
        raise DatabaseError(
            t(
                "读取 Parquet 数据集需要 DuckDB：请运行 pip install 'cnbudget[parquet]'",
                "reading a Parquet dataset needs DuckDB: run pip install 'cnbudget[parquet]'",
            ),
            str(folder),
        ) from exc
    views = [_view(folder, name) for name in TABLES if name in manifest.get("tables", {})]
    missing = [name for name in TABLES if name not in manifest.get("tables", {})]
    if missing:
        raise DatabaseError(
            t(f"数据集缺少表：{'、'.join(missing)}", f"the dataset lacks tables: {', '.join(missing)}"),
            str(folder),
        )
    engine = create_engine("duckdb:///:memory:", poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _create_views(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("SET enable_progress_bar = false")  # DuckDB's own bar would mix into answers
        for statement in views:
            dbapi_connection.execute(statement)

    return engine


def _view(folder: Path, name: str) -> str:
    table = schema.metadata.tables[name]
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    pattern = str(folder / name / ("**/*.parquet" if name in PARTITIONED else "*.parquet")).replace("'", "''")
    return (
        f'CREATE VIEW "{name}" AS SELECT {columns} '
        f"FROM read_parquet('{pattern}', hive_partitioning = false, union_by_name = true)"
    )
