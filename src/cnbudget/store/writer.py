"""Writing one document into the library: all of it in one transaction, or nothing.

The content hash decides whether a file is new: the same bytes ingested twice are recognised and
left alone. A different file for the same organisation, kind, year and scope is a re-published
version: it is stored beside the old one with the next version number and becomes the latest.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection, Engine, Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from cnbudget.store import schema
from cnbudget.store.records import DocumentRecord, OrganisationRecord

WRITE_ATTEMPTS = 6
"""Tries of one document's transaction when concurrent writers keep committing the rows it needs."""


@dataclass(frozen=True, slots=True)
class WriteResult:
    status: str
    """``ingested`` (new), ``new_version`` (a re-published document) or ``unchanged`` (same content)."""
    document_id: int
    version: int


def series_where(organisation_id: int, kind: str, scope: str, fiscal_year: int | None) -> ColumnElement[bool]:
    """The documents of one series: every version of one organisation's disclosure of one kind, scope and
    year (a document that states no year is in the series of the organisation's other yearless ones)."""
    docs = schema.documents.c
    year = docs.fiscal_year.is_(None) if fiscal_year is None else docs.fiscal_year == fiscal_year
    return (docs.organisation_id == organisation_id) & (docs.kind == kind) & (docs.scope == scope) & year


def mark_newest_latest(conn: Connection, series: ColumnElement[bool]) -> None:
    """Of the documents of ``series``, the highest version is the latest, and only it."""
    docs = schema.documents.c
    newest = conn.execute(select(func.max(docs.version)).where(series)).scalar()
    conn.execute(update(schema.documents).where(series).values(is_latest=docs.version == newest))


def find_by_hash(conn: Connection, sha256: str) -> tuple[int, int] | None:
    row = conn.execute(
        select(schema.documents.c.id, schema.documents.c.version).where(
            schema.documents.c.content_sha256 == sha256
        )
    ).first()
    return (row[0], row[1]) if row else None


def write_record(engine: Engine, record: DocumentRecord) -> WriteResult:
    """Store the document. When concurrent writers stored the same organisation (a parent department several
    documents name), the same file, or another version first, the transaction rolls back and is tried again
    on what they committed — a few times, with a short random pause, as many writers may collide."""
    for attempt in range(WRITE_ATTEMPTS):
        try:
            with engine.begin() as conn:
                return _write(conn, record)
        except IntegrityError:
            if attempt == WRITE_ATTEMPTS - 1:
                raise
            with engine.connect() as conn:
                existing = find_by_hash(conn, record.sha256)
            if existing:
                return WriteResult("unchanged", existing[0], existing[1])
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _write(conn: Connection, record: DocumentRecord) -> WriteResult:
    existing = find_by_hash(conn, record.sha256)
    if existing:
        return WriteResult("unchanged", existing[0], existing[1])
    parent_id = _parent(conn, record.organisation.parent)
    named_id = _organisation(conn, record.organisation, parent_id=parent_id, titled=True)
    for unit in record.units:
        if unit.key != record.organisation.key:
            _organisation(conn, unit, parent_id=named_id)
    # an organisation merged into another (`organisations merge`) is an alias: its documents go there
    org_id = canonical_organisation(conn, named_id)
    docs = schema.documents.c
    doc_fields = record.document
    same = series_where(org_id, doc_fields["kind"], doc_fields["scope"], doc_fields["fiscal_year"])
    previous = conn.execute(select(func.max(docs.version)).where(same)).scalar()
    version = (previous or 0) + 1
    if previous:
        conn.execute(update(schema.documents).where(same).values(is_latest=False))
    document_id = conn.execute(
        insert(schema.documents).values(
            organisation_id=org_id,
            filed_as=named_id if named_id != org_id else None,
            version=version,
            is_latest=True,
            ingested_at=datetime.now(UTC),
            **doc_fields,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    for table, rows in record.rows():
        if rows:
            _insert_rows(conn, table, [{"document_id": document_id, **row} for row in rows])
    return WriteResult("new_version" if previous else "ingested", document_id, version)


def _insert_rows(conn: Connection, table: Table, rows: list[dict[str, object]]) -> None:
    """Many rows at once. On PostgreSQL through COPY, in the same transaction: psycopg's executemany
    sends one statement per row, which made the server's writes six times slower than SQLite's."""
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), rows)
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def canonical_organisation(conn: Connection, org_id: int) -> int:
    """The organisation an alias was merged into (following a chain of merges), else the organisation."""
    orgs = schema.organisations.c
    seen = {org_id}
    while True:
        target = conn.execute(select(orgs.merged_into).where(orgs.id == org_id)).scalar()
        if target is None or target in seen:
            return org_id
        seen.add(target)
        org_id = int(target)


def _parent(conn: Connection, parent: OrganisationRecord | None) -> int | None:
    """The department a unit's document names: by its name when its tables print it, else the one
    department of the library with its code in the same region and level (codes are per region)."""
    if parent is None:
        return None
    if parent.name:
        return _organisation(conn, parent, parent_id=None)
    orgs = schema.organisations.c
    found = conn.execute(
        select(orgs.id).where(
            (orgs.code == parent.code)
            & (orgs.kind == "department")
            & (orgs.region == parent.region)
            & (orgs.level == parent.level)
            & orgs.merged_into.is_(None)
        )
    ).all()
    return int(found[0].id) if len(found) == 1 else None


def _adopt_units(conn: Connection, department_id: int, department: OrganisationRecord) -> None:
    """Units stored before their department, known only by a code that extends the department's in the
    same region and level, become its units."""
    orgs = schema.organisations.c
    conn.execute(
        update(schema.organisations)
        .where(
            orgs.parent_id.is_(None),
            orgs.kind == "unit",
            orgs.code.startswith(department.code, autoescape=True),
            func.length(orgs.code) > len(department.code),
            orgs.region == department.region,
            orgs.level == department.level,
        )
        .values(parent_id=department_id)
    )


def find_or_add_organisation(conn: Connection, org: OrganisationRecord, parent_id: int | None = None) -> int:
    """The canonical id of the organisation with this name (created when new)."""
    return canonical_organisation(conn, _organisation(conn, org, parent_id))


def _organisation(
    conn: Connection, org: OrganisationRecord, parent_id: int | None, *, titled: bool = False
) -> int:
    """The organisation with the record's folded name (one per name, whatever its kind), created when new;
    a blank code, region, level or parent is filled in, and a unit's code (157003) replaces the code of
    its department (157) that an older cnbudget filed it under. ``titled``: the name as the organisation's
    own document prints it in its title, which is shown rather than a printing from another document's
    table (the same folded name, e.g. with ASCII brackets) — whichever was stored first."""
    orgs = schema.organisations.c
    row = conn.execute(
        select(orgs.id, orgs.name, orgs.kind, orgs.code, orgs.region, orgs.level, orgs.parent_id).where(
            orgs.name_key == org.key
        )
    ).first()
    if row is None:
        new_id = int(
            conn.execute(
                insert(schema.organisations).values(
                    name=org.name,
                    name_key=org.key,
                    kind=org.kind,
                    code=org.code,
                    region=org.region,
                    level=org.level,
                    parent_id=parent_id,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )
        if org.kind == "department" and org.code:
            _adopt_units(conn, new_id, org)
        return new_id
    changes: dict[str, object] = {
        name: value
        for name, value, current in (
            ("code", org.code, row.code),
            ("region", org.region, row.region),
            ("level", org.level, row.level),
        )
        if value and not current
    }
    if org.kind == "unit" and len(org.code) > len(row.code) > 0 and org.code.startswith(row.code):
        changes |= {"code": org.code, "kind": "unit"}
    if parent_id is not None and row.parent_id is None and parent_id != row.id:
        changes["parent_id"] = parent_id
    if titled and org.name and org.name != row.name:
        changes["name"] = org.name
    if changes:
        conn.execute(update(schema.organisations).where(orgs.id == row.id).values(**changes))
        if row.kind == "department" and "code" in changes and "kind" not in changes:
            known = OrganisationRecord(
                org.name, "department", org.code, org.region or row.region, org.level or row.level
            )
            _adopt_units(conn, int(row.id), known)
    return int(row.id)
