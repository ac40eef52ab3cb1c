"""Organisation identity: names folded for width and brackets, one organisation per folded name, merges

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 19:20:00

Existing organisations get the new folded key (信息中心（…） and 信息中心(…), fullwidth letters, 【】 …
fold to one); those that now share a key are merged into the oldest: its blank code, region and level
are filled from the others (a more precise code that extends its own, 157003 for 157, is taken with
the others' kind), their documents and units move to it, and the documents of one kind, year and scope
are renumbered as versions of one document in the order they were ingested. Then the key is made
unique, and ``merged_into`` (an alias: ``organisations merge``) and ``documents.filed_as`` are added.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

from cnbudget.domain.names import name_key, organisation_row, own_row

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_organisations = sa.table(
    "organisations",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("name_key", sa.String),
    sa.column("kind", sa.String),
    sa.column("code", sa.String),
    sa.column("region", sa.String),
    sa.column("level", sa.String),
    sa.column("parent_id", sa.Integer),
)
_documents = sa.table(
    "documents",
    sa.column("id", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("fiscal_year", sa.Integer),
    sa.column("scope", sa.String),
    sa.column("version", sa.Integer),
    sa.column("is_latest", sa.Boolean),
    sa.column("ingested_at", sa.DateTime),
    sa.column("department_name", sa.String),
)
_facts = sa.table(
    "facts",
    sa.column("id", sa.Integer),
    sa.column("document_id", sa.Integer),
    sa.column("table_kind", sa.String),
    sa.column("row_code", sa.String),
    sa.column("row_label", sa.String),
)


def _add_reference(table: str, column: str) -> None:
    """A nullable column referring to organisations.id. SQLite adds the reference with the column
    (it cannot add a constraint to a table afterwards); PostgreSQL as a named constraint."""
    name = f"fk_{table}_{column}_organisations"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES organisations (id)"
        )
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(name), table, "organisations", [column], ["id"])


def upgrade() -> None:
    _add_reference("organisations", "merged_into")
    _add_reference("documents", "filed_as")
    _merge_folded_duplicates(op.get_bind())
    _units_under_their_departments(op.get_bind())
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisations_name_key"), ["name_key"], unique=True)


def _merge_folded_duplicates(conn: sa.Connection) -> None:
    o = _organisations.c
    rows = conn.execute(sa.select(_organisations).order_by(o.id)).mappings().all()
    groups: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        groups[name_key(row["name"])[:200]].append(row)
    for key, members in groups.items():
        keep, others = members[0], members[1:]
        ids = [m["id"] for m in members]
        changes: dict[str, Any] = {"name_key": key}
        for field in ("code", "region", "level"):
            if not keep[field]:
                changes[field] = next((m[field] for m in others if m[field]), "")
        for other in others:  # a unit's code (157003) extends the department code it was filed under (157)
            code = changes.get("code") or keep["code"]
            if other["code"] and code and len(other["code"]) > len(code) and other["code"].startswith(code):
                changes["code"], changes["kind"] = other["code"], other["kind"]
        if keep["parent_id"] in ids:
            changes["parent_id"] = next(
                (m["parent_id"] for m in others if m["parent_id"] not in (None, *ids)), None
            )
        if others:
            _move(conn, keep["id"], ids[1:])
        conn.execute(sa.update(_organisations).where(o.id == keep["id"]).values(**changes))


def _move(conn: sa.Connection, keep: int, other_ids: list[int]) -> None:
    """The documents and units of the others to ``keep``, then the others deleted."""
    o, d = _organisations.c, _documents.c
    ids = [keep, *other_ids]
    conn.execute(sa.update(_organisations).where(o.parent_id.in_(other_ids)).values(parent_id=keep))
    conn.execute(sa.update(_organisations).where(o.id == keep, o.parent_id == keep).values(parent_id=None))
    documents = conn.execute(
        sa.select(d.id, d.kind, d.fiscal_year, d.scope, d.ingested_at)
        .where(d.organisation_id.in_(ids))
        .order_by(d.ingested_at, d.id)
    ).all()
    for doc in documents:  # out of the way of the (organisation, kind, year, scope, version) key
        conn.execute(
            sa.update(_documents).where(d.id == doc.id).values(organisation_id=keep, version=-doc.id)
        )
    series: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for doc in documents:
        series[(doc.kind, doc.fiscal_year, doc.scope)].append(doc.id)
    for document_ids in series.values():
        for version, document_id in enumerate(document_ids, start=1):
            conn.execute(
                sa.update(_documents)
                .where(d.id == document_id)
                .values(version=version, is_latest=version == len(document_ids))
            )
    conn.execute(sa.delete(_organisations).where(o.id.in_(other_ids)))


def _units_under_their_departments(conn: sa.Connection) -> None:
    """An organisation whose newest document's own tables (B02, B05U: the stored facts) list it as a unit
    of a department (157003 under 157 武汉市数据局) gets its unit code, and that department as parent."""
    o, d, f = _organisations.c, _documents.c, _facts.c
    for org in conn.execute(sa.select(_organisations).order_by(o.id)).all():
        listed: dict[str, str] = {}
        printed = ""
        for doc in conn.execute(
            sa.select(d.id, d.department_name)
            .where(d.organisation_id == org.id, d.is_latest.is_(True))
            .order_by(d.id.desc())
        ).all():  # the newest document that lists organisations by code
            for code, label in conn.execute(
                sa.select(f.row_code, f.row_label)
                .where(f.document_id == doc.id, f.table_kind.in_(("B02", "B05U")))
                .order_by(f.id)
            ):
                if label and organisation_row(code, label):
                    listed.setdefault(code, label)
            if listed:
                printed = doc.department_name
                break
        own = own_row([org.name, printed], list(listed.items()))
        if own is None or not own.parent_code:
            continue
        if org.code and not own.code.startswith(org.code):
            continue  # the library knows it by another code: left as it is
        changes: dict[str, Any] = {"code": own.code, "kind": "unit"}
        if own.parent_name and org.parent_id in (None, org.id):
            key = name_key(own.parent_name)[:200]
            parent = conn.execute(sa.select(o.id).where(o.name_key == key)).scalar()
            if parent is None:
                parent = conn.execute(
                    sa.insert(_organisations)
                    .values(name=own.parent_name[:200], name_key=key, kind="department", code=own.parent_code,
                            region=org.region, level=org.level, parent_id=None)
                    .returning(o.id)
                ).scalar_one()  # fmt: skip
            else:  # a department the library knew by name only gets the code its unit's tables print
                conn.execute(
                    sa.update(_organisations).where(o.id == parent, o.code == "").values(code=own.parent_code)
                )
            if parent != org.id:
                changes["parent_id"] = parent
        conn.execute(sa.update(_organisations).where(o.id == org.id).values(**changes))


def downgrade() -> None:
    raise NotImplementedError("organisations merged by their folded names cannot be told apart again")
