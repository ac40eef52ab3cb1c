"""Organisation identity in the library: merging a renamed department into its new name, and undoing it.

``merge(engine, "武汉市经济和信息化局", "武汉市经济信息化局")`` files the first organisation's documents under
the second and keeps the first as an alias of it: a later ingest of a document printed with the old name
lands on the new one, and history, compare, findings and execution treat them as one. Each moved
document remembers the organisation it names (``documents.filed_as``), so ``unmerge`` puts back exactly
those documents. Organisations are named as everywhere else: name, part of a name, code or ``#id``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, select, update

from cnbudget.domain.errors import UsageError
from cnbudget.domain.i18n import t
from cnbudget.library.questions import document_kind_name, resolve_organisation
from cnbudget.model.answer import Answer
from cnbudget.store import schema
from cnbudget.store.writer import mark_newest_latest, series_where

orgs = schema.organisations.c
docs = schema.documents.c


@dataclass(frozen=True, slots=True)
class MergeResult:
    alias_id: int
    alias_name: str
    target_id: int
    target_name: str
    documents: int
    """Documents moved (merge) or moved back (unmerge)."""


def merge(engine: Engine, alias: str, target: str) -> MergeResult:
    """File ``alias``'s documents under ``target`` and keep ``alias`` as a name of ``target``.

    Names already merged into ``alias`` follow it to ``target``. Refused when both hold a document of
    the same kind, year and scope (two versions of one document with different numbers otherwise)."""
    with engine.begin() as conn:
        alias_id, alias_name = resolve_organisation(conn, alias, follow_aliases=False)
        target_id, target_name = resolve_organisation(conn, target)
        if _canonical(conn, alias_id) == target_id:
            raise UsageError(
                t(
                    f"“{alias_name}”已是“{target_name}”的同一部门（单位），无需合并",
                    f"“{alias_name}” is already the same organisation as “{target_name}”",
                ),
                setting="organisation",
            )
        clash = _clashes(conn, alias_id, target_id)
        if clash:
            raise UsageError(
                t(
                    f"“{alias_name}”与“{target_name}”都有{clash}的文件，合并后将无法分辨哪一份是最新版本；"
                    "未合并",
                    f"“{alias_name}” and “{target_name}” both hold documents of {clash}: merged, neither would "
                    "be the latest version; nothing was merged",
                ),
                setting="organisation",
            )
        moved = conn.execute(
            update(schema.documents)
            .where(docs.organisation_id == alias_id)
            .values(organisation_id=target_id, filed_as=func.coalesce(docs.filed_as, alias_id))
        ).rowcount
        conn.execute(
            update(schema.organisations).where(orgs.merged_into == alias_id).values(merged_into=target_id)
        )
        conn.execute(update(schema.organisations).where(orgs.id == alias_id).values(merged_into=target_id))
    return MergeResult(alias_id, alias_name, target_id, target_name, moved or 0)


def unmerge(engine: Engine, alias: str) -> MergeResult:
    """Undo ``merge``: the alias is its own organisation again, with the documents that name it."""
    with engine.begin() as conn:
        alias_id, alias_name = resolve_organisation(conn, alias, follow_aliases=False)
        target_id = conn.execute(select(orgs.merged_into).where(orgs.id == alias_id)).scalar()
        if target_id is None:
            raise UsageError(
                t(
                    f"“{alias_name}”未并入其他部门（单位）（已合并的名称：cnbudget organisations aliases）",
                    f"“{alias_name}” is not merged into another organisation "
                    "(merged names: cnbudget organisations aliases)",
                ),
                setting="organisation",
            )
        target_name = conn.execute(select(orgs.name).where(orgs.id == target_id)).scalar_one()
        moved = conn.execute(
            update(schema.documents)
            .where(docs.filed_as == alias_id)
            .values(organisation_id=alias_id, filed_as=None)
        ).rowcount
        conn.execute(update(schema.organisations).where(orgs.id == alias_id).values(merged_into=None))
        for org_id in {alias_id, int(target_id), _canonical(conn, int(target_id))}:
            _latest_versions(conn, org_id)
    return MergeResult(alias_id, alias_name, int(target_id), target_name, moved or 0)


def aliases(engine: Engine) -> Answer:
    """The names merged into other organisations, with the documents filed under each."""
    target = schema.organisations.alias("target")
    with engine.connect() as conn:
        counts: dict[int, int] = dict(
            conn.execute(
                select(docs.filed_as, func.count()).where(docs.filed_as.is_not(None)).group_by(docs.filed_as)
            ).all()
        )
        rows = conn.execute(
            select(
                orgs.id,
                orgs.name,
                orgs.code,
                target.c.id.label("target_id"),
                target.c.name.label("target"),
            )
            .join(target, target.c.id == orgs.merged_into)
            .order_by(target.c.name, orgs.name)
        ).all()
    answer = Answer(
        title=t(f"{len(rows)} 个已合并的名称", f"{len(rows)} merged names"),
        columns=["id", "alias", "code", "target_id", "organisation", "documents"],
        headers={
            "id": t("编号", "id"),
            "alias": t("名称", "name"),
            "code": t("编码", "code"),
            "target_id": t("并入编号", "into id"),
            "organisation": t("并入部门（单位）", "merged into"),
            "documents": t("文件数", "documents"),
        },
    )
    for r in rows:
        answer.rows.append(
            {
                "id": f"#{r.id}",
                "alias": r.name,
                "code": r.code,
                "target_id": f"#{r.target_id}",
                "organisation": r.target,
                "documents": counts.get(r.id, 0),
            }
        )
    if not rows:
        answer.notes.append(
            t(
                "没有合并过的名称；合并：cnbudget organisations merge 旧名称 新名称",
                "no names merged; to merge: cnbudget organisations merge OLD-NAME NEW-NAME",
            )
        )
    return answer


def _canonical(conn: Connection, org_id: int) -> int:
    from cnbudget.store.writer import canonical_organisation

    return canonical_organisation(conn, org_id)


def _clashes(conn: Connection, alias_id: int, target_id: int) -> str:
    """The kinds and years both organisations hold a document of ("2024 年预算"), or ""."""

    def held(org_id: int) -> set[tuple[str, int | None, str]]:
        query = select(docs.kind, docs.fiscal_year, docs.scope).where(docs.organisation_id == org_id)
        return {(r.kind, r.fiscal_year, r.scope) for r in conn.execute(query)}

    both = sorted(held(alias_id) & held(target_id), key=lambda k: (k[1] or 0, k[0], k[2]))
    listed = t("、", ", ").join(
        t(
            f"{year or '未注明'} 年{document_kind_name(kind)}",
            f"{year or 'undated'} {document_kind_name(kind)}",
        )
        for kind, year, _scope in both[:6]
    )
    if len(both) > 6:
        listed += t(f" 等 {len(both)} 项", f" … {len(both)} in all")
    return listed


def _latest_versions(conn: Connection, org_id: int) -> None:
    """Each document series of the organisation (kind, year, scope) with only its highest version latest."""
    query = select(docs.kind, docs.scope, docs.fiscal_year).where(docs.organisation_id == org_id).distinct()
    for kind, scope, year in conn.execute(query).all():
        mark_newest_latest(conn, series_where(org_id, kind, scope, year))
