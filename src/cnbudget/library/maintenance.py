"""Putting a library right: delete a wrong upload, analyse a stored document again (after a rule change),
correct the organisation or year a document was filed under. Each is one transaction; the web records
who did it in the audit log, and the review trail is never changed — decisions are only ever added.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, delete, func, insert, select, update

from cnbudget.domain.errors import UsageError
from cnbudget.domain.text import compact
from cnbudget.library.review import document_source, source_file
from cnbudget.read import ReadOptions
from cnbudget.store import schema
from cnbudget.store.records import DocumentRecord, OrganisationRecord
from cnbudget.store.writer import find_or_add_organisation, mark_newest_latest, series_where

docs = schema.documents.c
CONTENT = (schema.facts, schema.metrics, schema.projects, schema.indicators, schema.claims, schema.findings)
"""What a document's analysis wrote (replaced by a new analysis, removed with the document)."""


@dataclass(frozen=True, slots=True)
class Changed:
    document_id: int
    what: str
    """What was done, in words for the audit log."""
    path: str = ""
    """The stored file, when the document was deleted (for the storage to let it go)."""
    sha256: str = ""


def _row(conn: Any, document_id: int) -> Any:
    row = conn.execute(select(schema.documents).where(docs.id == document_id)).first()
    if row is None:
        raise UsageError(f"没有编号为 #{document_id} 的文件", setting="document")
    return row


def _newest_latest(conn: Any, row: Any) -> None:
    """Of the series ``row`` was in, the highest version left is the latest."""
    mark_newest_latest(conn, series_where(row.organisation_id, row.kind, row.scope, row.fiscal_year))


def delete_document(engine: Engine, document_id: int) -> Changed:
    """Remove a document and all it wrote; the series' previous version becomes the latest again. A
    document the team has decided on cannot be deleted: the review trail is kept whole."""
    with engine.begin() as conn:
        row = _row(conn, document_id)
        decided = conn.execute(
            select(func.count())
            .select_from(schema.decisions)
            .where(schema.decisions.c.document_id == document_id)
        ).scalar()
        if decided:
            raise UsageError(
                f"文件 #{document_id} 已有 {decided} 条审核意见，不能删除（审核记录不可删改）；如是错误文件，请更正其单位或年度",
                setting="decisions",
            )
        for table in CONTENT:
            conn.execute(delete(table).where(table.c.document_id == document_id))
        conn.execute(
            update(schema.uploads).where(schema.uploads.c.document_id == document_id).values(document_id=None)
        )
        conn.execute(delete(schema.documents).where(docs.id == document_id))
        _newest_latest(conn, row)
    return Changed(document_id, f"删除 {row.source_name or row.source_path}（第 {row.version} 版）", row.source_path,
                   row.content_sha256)  # fmt: skip


def reanalyse(engine: Engine, document_id: int, options: ReadOptions | None = None) -> Changed:
    """Read, parse and audit the stored original again with this cnbudget's rules, and replace what the
    document's analysis wrote; where it is filed (organisation, year, version) and the team's decisions
    stay. Raises InputError when the original is gone or changed, or cannot be read."""
    from cnbudget.library.processing import Failure, record_or_fail

    source = document_source(engine, document_id)
    path = source_file(source)
    outcome = record_or_fail(str(path), options)
    if isinstance(outcome, Failure):
        raise UsageError(f"重新审核失败：{outcome.message}", setting="reanalyse")
    return replace_analysis(engine, document_id, outcome)


def replace_analysis(engine: Engine, document_id: int, record: DocumentRecord) -> Changed:
    """Put a new analysis of the document's original in place of the old one (its filing and the team's
    decisions stay)."""
    kept = ("title", "department_name", "amount_unit", "parse_warnings", "errors", "warnings", "infos")
    with engine.begin() as conn:
        _row(conn, document_id)
        for table in CONTENT:
            conn.execute(delete(table).where(table.c.document_id == document_id))
        for table, rows in record.rows():
            if rows:
                conn.execute(
                    insert(table), [schema.fit(table, {"document_id": document_id, **r}) for r in rows]
                )
        conn.execute(
            update(schema.documents)
            .where(docs.id == document_id)
            .values(**{k: record.document[k] for k in kept if k in record.document})
        )
    counts = record.document
    return Changed(document_id, f"重新审核：错误 {counts.get('errors', 0)}、警告 {counts.get('warnings', 0)}")


def correct_document(
    engine: Engine, document_id: int, *, organisation: str | None = None, fiscal_year: int | None = None
) -> Changed:
    """File the document under another organisation (by name; a new one is created when none has it)
    and/or another year: it becomes the newest version of that series, the series it left gets its
    previous version back as the latest, and the decisions taken on it are added to its new series."""
    if organisation is None and fiscal_year is None:
        raise UsageError("没有要更正的内容：请给出单位或年度", setting="correction")
    if fiscal_year is not None and not 1949 <= fiscal_year <= 2200:
        raise UsageError(f"年度 {fiscal_year} 无效", setting="fiscal_year")
    with engine.begin() as conn:
        row = _row(conn, document_id)
        org_id = row.organisation_id
        said = []
        if organisation is not None:
            name = compact(organisation)
            if not name or len(name) > 200:
                raise UsageError("单位名称无效（1–200 个字）", setting="organisation_name")
            kind = "unit" if row.scope == "unit" else "department"
            org_id = find_or_add_organisation(conn, OrganisationRecord(name, kind))
            said.append(f"单位 → {name}")
        year = row.fiscal_year if fiscal_year is None else fiscal_year
        if fiscal_year is not None:
            said.append(f"年度 {row.fiscal_year or '未标明'} → {fiscal_year}")
        if org_id == row.organisation_id and year == row.fiscal_year:
            return Changed(document_id, "没有变化")
        same_year = docs.fiscal_year.is_(None) if year is None else docs.fiscal_year == year
        target = and_(
            docs.organisation_id == org_id, docs.kind == row.kind, docs.scope == row.scope, same_year
        )
        version = (conn.execute(select(func.max(docs.version)).where(target)).scalar() or 0) + 1
        conn.execute(update(schema.documents).where(target).values(is_latest=False))
        conn.execute(
            update(schema.documents)
            .where(docs.id == document_id)
            .values(organisation_id=org_id, filed_as=None, fiscal_year=year, version=version, is_latest=True)
        )
        _newest_latest(conn, row)
        _carry_decisions(conn, row, document_id, org_id, year)
    return Changed(document_id, "；".join(said) + f"（现为第 {version} 版）")


def _carry_decisions(conn: Any, row: Any, document_id: int, org_id: int, year: int | None) -> None:
    """The decisions taken on this document, added again under its new series (the old rows stay)."""
    d = schema.decisions.c
    taken = conn.execute(select(schema.decisions).where(d.document_id == document_id).order_by(d.id)).all()
    for decision in taken:
        conn.execute(
            insert(schema.decisions).values(
                organisation_id=org_id, kind=row.kind, scope=row.scope, fiscal_year=year or 0,
                finding_key=decision.finding_key, rule_id=decision.rule_id, document_id=document_id,
                action=decision.action, text=decision.text, user_id=decision.user_id, created_at=decision.created_at,
            )
        )  # fmt: skip


def stored_file_unused(engine: Engine, path: str, sha256: str) -> Path | None:
    """The stored file when no document holds its content any more (to be removed from storage)."""
    with engine.connect() as conn:
        used = conn.execute(
            select(func.count()).select_from(schema.documents).where(docs.content_sha256 == sha256)
        ).scalar()
    return None if used else Path(path)


def latest_documents(engine: Engine) -> list[int]:
    """The ids of every document's newest version (what a re-analysis of the library goes through)."""
    with engine.connect() as conn:
        return [
            int(i)
            for i in conn.execute(select(docs.id).where(docs.is_latest.is_(True)).order_by(docs.id)).scalars()
        ]
