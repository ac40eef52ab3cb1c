"""Tidy tables out of the library for analysts: CSV, Parquet (pyarrow) or one XLSX workbook.

Each table is streamed from the database in batches, so exporting millions of facts needs little
memory; every file is written under a temporary name and moved into place when complete. Amounts stay
exact: decimal text in CSV, decimal128 in Parquet, numbers in XLSX.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, func, select

from cnbudget.domain.errors import OutputError, UsageError
from cnbudget.domain.escape import csv_cell, write_only_value
from cnbudget.domain.i18n import t
from cnbudget.store import schema
from cnbudget.store.dataset import arrow_type, arrow_value

XLSX_MAX_ROWS = 1_048_575
BATCH = 20_000

docs = schema.documents.c
orgs = schema.organisations.c


def _documents(all_versions: bool) -> Select[Any]:
    query = select(
        docs.id.label("document_id"),
        docs.organisation_id,
        orgs.name.label("organisation"),
        docs.kind,
        docs.fiscal_year,
        docs.scope,
        docs.title,
        docs.version,
        docs.is_latest,
        docs.amount_unit,
        docs.errors,
        docs.warnings,
        docs.infos,
        docs.source_name.label("source"),
        docs.source_format,
        docs.content_sha256,
        docs.ingested_at,
    ).join(schema.organisations, orgs.id == docs.organisation_id)
    return query if all_versions else query.where(docs.is_latest.is_(True))


def _organisations(_all_versions: bool) -> Select[Any]:
    parent = schema.organisations.alias("parent")
    return (
        select(
            orgs.id.label("organisation_id"),
            orgs.name,
            orgs.kind,
            orgs.code,
            orgs.level,
            orgs.region,
            orgs.parent_id,
            parent.c.name.label("parent_name"),
            orgs.merged_into,
        )
        .outerjoin(parent, parent.c.id == orgs.parent_id)
        .order_by(orgs.id)
    )


def _with_document(table: Any, columns: list[Any], all_versions: bool) -> Select[Any]:
    query = (
        select(
            table.c.document_id,
            orgs.name.label("organisation"),
            docs.fiscal_year,
            docs.kind,
            docs.version,
            *columns,
        )
        .join(schema.documents, docs.id == table.c.document_id)
        .join(schema.organisations, orgs.id == docs.organisation_id)
        .order_by(table.c.document_id, table.c.id)
    )
    return query if all_versions else query.where(docs.is_latest.is_(True))


def _facts(all_versions: bool) -> Select[Any]:
    f = schema.facts.c
    return _with_document(
        schema.facts,
        [
            f.table_kind,
            f.row_code,
            f.code,
            f.code_level,
            f.row_label,
            f.column_path.label("column"),
            f.value,
            f.line,
            f.page,
        ],
        all_versions,
    )


def _findings(all_versions: bool) -> Select[Any]:
    f = schema.findings.c
    return _with_document(
        schema.findings,
        [
            f.rule_id,
            f.severity,
            f.message,
            f.table_kind,
            f.row_code,
            f.row_label,
            f.column_path.label("column"),
            f.expected,
            f.actual,
            f.difference,
            f.lines,
            f.pages,
            f.needs_review,
        ],  # fmt: skip
        all_versions,
    )


EXPORT_TABLES = {
    "facts": _facts,
    "documents": _documents,
    "organisations": _organisations,
    "findings": _findings,
}


def _rows(engine: Engine, query: Select[Any]) -> tuple[list[str], Iterator[list[tuple[Any, ...]]]]:
    conn = engine.connect()
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
    columns = list(result.keys())

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        try:
            for partition in result.partitions(BATCH):
                yield [tuple(r) for r in partition]
        finally:
            result.close()
            conn.close()

    return columns, batches()


def _count(engine: Engine, query: Select[Any]) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar() or 0)


def export(
    engine: Engine,
    output: Path,
    fmt: str,
    tables: list[str],
    *,
    all_versions: bool = False,
    bom: bool = False,
) -> list[tuple[Path, int]]:
    """Write the tables; return each file written with its number of rows.

    CSV and Parquet write one file per table into the folder ``output`` (created when its parent exists);
    a path ending in ``.csv``/``.parquet`` is that one file, for one table. XLSX writes one workbook.
    ``bom``: CSV files begin with a UTF-8 byte order mark, so that Excel reads the Chinese text right."""
    _parent_exists(output)
    if fmt == "xlsx":
        return [(output, _xlsx(engine, output, tables, all_versions))]
    if fmt == "parquet":
        _require_pyarrow()  # before anything is created
    if output.suffix.lower() == f".{fmt}" and not output.is_dir():
        if len(tables) != 1:
            raise UsageError(
                t(
                    f"{fmt} 导出每张表写一个文件，{len(tables)} 张表不能写进一个 .{fmt} 文件："
                    f"请给出文件夹（如 -o {output.with_suffix('')}），或用 --table 只选一张表",
                    f"a {fmt} export writes one file per table; {len(tables)} tables do not fit in one .{fmt} "
                    f"file: give a folder (e.g. -o {output.with_suffix('')}), or choose one table with --table",
                ),
                str(output),
                setting="output",
            )
        return [(output, _write_table(engine, output, fmt, tables[0], all_versions, bom))]
    if output.exists() and not output.is_dir():
        raise UsageError(
            t(
                f"{fmt} 导出为每张表一个文件：请给出文件夹，而不是文件",
                f"{fmt} exports write one file per table: give a folder, not a file",
            ),
            str(output),
            setting="output",
        )
    try:
        output.mkdir(exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or exc
        raise OutputError(
            t(f"无法创建文件夹：{reason}", f"cannot create the folder: {reason}"), str(output)
        ) from exc
    return [
        (
            output / f"{name}.{fmt}",
            _write_table(engine, output / f"{name}.{fmt}", fmt, name, all_versions, bom),
        )
        for name in tables
    ]


def export_dataset(engine: Engine, output: Path) -> dict[str, int]:
    """The library as a Parquet dataset partitioned by year and region (store/dataset.py), which the questions
    answer from in place; rows per table."""
    _require_pyarrow()
    from cnbudget.store.dataset import write_dataset

    return write_dataset(engine, output)


def _parent_exists(output: Path) -> None:
    """A mistyped folder is not created silently: the folder the output goes into must exist."""
    parent = output.resolve().parent
    if not parent.is_dir():
        raise OutputError(
            t(f"文件夹不存在：{parent}", f"no such folder: {parent}"), str(output), setting="output"
        )


def _write_table(engine: Engine, target: Path, fmt: str, name: str, all_versions: bool, bom: bool) -> int:
    query = EXPORT_TABLES[name](all_versions)
    columns, batches = _rows(engine, query)
    if fmt == "csv":
        return _atomic(target, lambda tmp: _csv(tmp, columns, batches, bom))
    types = [column.type for column in query.selected_columns]
    return _atomic(target, lambda tmp: _parquet(tmp, columns, batches, types))


def _atomic(target: Path, write: Any) -> int:
    fd, tmp = tempfile.mkstemp(prefix=".cnbudget-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        count = int(write(Path(tmp)))
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        return count
    except OSError as exc:
        reason = exc.strerror or exc
        raise OutputError(t(f"无法写入：{reason}", f"cannot write: {reason}"), str(target)) from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _csv(path: Path, columns: list[str], batches: Iterator[list[tuple[Any, ...]]], bom: bool = False) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for batch in batches:
            writer.writerows(tuple(csv_cell(_text(v)) for v in row) for row in batch)
            count += len(batch)
    return count


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            t(
                "导出 Parquet 需要 pyarrow：请安装 parquet 附加组件（源码目录中 pip install -e '.[parquet]'，"
                "否则 pip install 'cnbudget[parquet]'）",
                "Parquet export needs pyarrow: install the parquet extra (pip install -e '.[parquet]' in a "
                "checkout, pip install 'cnbudget[parquet]' otherwise)",
            )
        ) from exc


def _parquet(
    path: Path, columns: list[str], batches: Iterator[list[tuple[Any, ...]]], types: list[Any]
) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_schema = pa.schema(
        [
            (name, arrow_type(pa, kind, pa.decimal128(28, 6)))
            for name, kind in zip(columns, types, strict=True)
        ]
    )
    count = 0
    with pq.ParquetWriter(str(path), arrow_schema) as writer:
        for batch in batches:
            values = list(zip(*batch, strict=True)) if batch else [() for _ in columns]
            arrays = [
                pa.array([arrow_value(v) for v in column], type=field.type)
                for column, field in zip(values, arrow_schema, strict=True)
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=arrow_schema))
            count += len(batch)
    return count


def _xlsx(engine: Engine, output: Path, tables: list[str], all_versions: bool) -> int:
    from openpyxl import Workbook

    for name in tables:
        rows = _count(engine, EXPORT_TABLES[name](all_versions))
        if rows > XLSX_MAX_ROWS:
            raise UsageError(
                t(
                    f"{name} 有 {rows:,} 行，超过 Excel 工作表的容量（{XLSX_MAX_ROWS:,}）：请导出为 csv 或 parquet，或只导出其他表",
                    f"{name} has {rows:,} rows, more than an Excel sheet holds ({XLSX_MAX_ROWS:,}): "
                    "export it as csv or parquet, or export the other tables",
                ),
                setting="table",
            )
    if output.exists() and output.is_dir():
        raise UsageError(
            t(
                "xlsx 导出为一个工作簿：请给出以 .xlsx 结尾的文件名",
                "an xlsx export is one workbook: give a file name ending in .xlsx",
            ),
            str(output),
            setting="output",
        )
    total = 0

    def write(tmp: Path) -> int:
        nonlocal total
        book = Workbook(write_only=True)
        for name in tables:
            sheet = book.create_sheet(name)
            columns, batches = _rows(engine, EXPORT_TABLES[name](all_versions))
            sheet.append(columns)
            for batch in batches:
                for row in batch:
                    sheet.append([write_only_value(sheet, _cell(v)) for v in row])
                total += len(batch)
        book.save(tmp)
        return total

    return _atomic(output, write)


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; stored times are UTC
    return value
