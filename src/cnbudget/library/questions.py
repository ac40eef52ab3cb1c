"""The questions a library answers: compare departments, follow one across years, budget against
final accounts, and findings across documents. Each returns an `Answer`; the CLI only formats it.

Every figure comes from the ``metrics`` table (one row per document and figure, indexed by metric),
so each question is one or two indexed queries whatever the size of the library. Only the latest
version of each document is used unless asked otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, case, func, select

from cnbudget.domain.errors import UsageError
from cnbudget.domain.i18n import t
from cnbudget.domain.names import core_name, name_key
from cnbudget.domain.text import place
from cnbudget.domain.vocabulary import SCOPE_LABELS, scope_label
from cnbudget.model.answer import Answer, Chart, Series
from cnbudget.store import schema
from cnbudget.store.metrics import DERIVED, known_metric, metric_label, metric_specs, stored_metrics

DEFAULT_METRICS = (
    "total_spending",
    "basic_share",
    "project_share",
    "personnel",
    "three_public",
)
THREE_PUBLIC_ITEMS = (
    "three_public",
    "three_public_overseas",
    "three_public_vehicles",
    "three_public_vehicle_purchase",
    "three_public_vehicle_operation",
    "three_public_reception",
)
_CENT = Decimal("0.01")

docs = schema.documents.c
orgs = schema.organisations.c
mets = schema.metrics.c
_ORGANISATION = (orgs.id, orgs.name, orgs.kind, orgs.code, orgs.merged_into)
_NAME_KEY_LENGTH = int(getattr(orgs.name_key.type, "length", 0) or 0)
"""Longer folded names are stored cut (store/records.py): those are found by reading every name."""


def check_metrics(names: list[str]) -> list[str]:
    unknown = [n for n in names if not known_metric(n)]
    if unknown:
        listed = ", ".join(unknown)
        raise UsageError(
            t(f"没有指标 {listed}（单个科目用 function:编码 / economic:编码，如 function:206）",
              f"unknown metric {listed} (use function:CODE / economic:CODE for one code, e.g. function:206)"),
            setting="metric",
        )  # fmt: skip
    return names


AMOUNT_UNIT = "万元"
"""The unit of every amount in the library (documents printed in 元 are converted at ingest)."""


def metric_unit(name: str) -> str:
    """万元 for amounts, % for the derived shares."""
    return "%" if name in DERIVED else AMOUNT_UNIT


def _percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (numerator * 100 / denominator).quantize(_CENT, ROUND_HALF_UP)


def _value(values: dict[str, Decimal], metric: str) -> Decimal | None:
    if metric in DERIVED:
        d = DERIVED[metric]
        return _percent(values.get(d.numerator), values.get(d.denominator))
    return values.get(metric)


def _metric_values(
    conn: Connection, documents: Select[Any], metrics: list[str]
) -> dict[int, dict[str, Decimal]]:
    """The stored figures the metrics need, for the documents the query ``documents`` selects (by id): one
    query, so the database joins rather than Python sending the ids back in chunks."""
    needed = sorted({m for name in metrics for m in stored_metrics(name)})
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if not needed:
        return found
    ids = documents.with_only_columns(docs.id).order_by(None).scalar_subquery()
    query = select(mets.document_id, mets.metric, mets.value).where(
        mets.metric.in_(needed), mets.document_id.in_(ids)
    )
    # fetched at once: a row at a time costs DuckDB's driver more than the query itself on 100,000 documents
    for document_id, metric, value in conn.execute(query).all():
        found[document_id][metric] = value
    return found


# ---- compare ----------------------------------------------------------------------------------------
def compare(
    engine: Engine,
    year: int,
    metrics: list[str] | None = None,
    *,
    kind: str = "budget",
    scope: str | None = None,
    level: str | None = None,
    region: str | None = None,
) -> Answer:
    """Organisations side by side for one year, sorted by the first metric (largest first)."""
    names = check_metrics(list(metrics or DEFAULT_METRICS))
    conditions = [docs.fiscal_year == year, docs.kind == kind, docs.is_latest.is_(True)]
    if scope:
        conditions.append(docs.scope == scope)
    if level:
        conditions.append(orgs.level == level)
    if region:
        conditions.append(orgs.region == region)
    query = (
        select(docs.id, orgs.name, orgs.code, docs.scope, docs.version, docs.errors)
        .join(schema.organisations, orgs.id == docs.organisation_id)
        .where(and_(*conditions))
    )
    with engine.connect() as conn:
        documents = conn.execute(query).all()
        values = _metric_values(conn, query, names)
    kind_name = document_kind_name(kind)
    answer = _compare_answer(year, kind_name, len(documents), names)
    for d in documents:
        row: dict[str, Any] = {"organisation": d.name, "code": d.code, "scope": d.scope, "document_id": d.id,
                               "errors": d.errors}  # fmt: skip
        row.update({name: _value(values.get(d.id, {}), name) for name in names})
        answer.rows.append(row)
    first = names[0]
    answer.rows.sort(key=lambda r: (r[first] is None, -(r[first] or 0), r["organisation"]))
    answer.units = {n: metric_unit(n) for n in names}
    answer.chart = Chart(
        "bar",
        t(f"{year} 年{kind_name}：{metric_label(first)}", f"{year} {kind_name}: {metric_label(first)}"),
        metric_unit(first),
        t("部门（单位）", "organisation"),
        [r["organisation"] for r in answer.rows],
        [Series(metric_label(first), [r[first] for r in answer.rows])],
    )
    answer.notes += _compare_notes(answer, year, kind_name, names)
    return answer


def _compare_answer(year: int, kind_name: str, count: int, names: list[str]) -> Answer:
    return Answer(
        title=t(
            f"{year} 年{kind_name}：{count} 个部门（单位）", f"{year} {kind_name}: {count} organisations"
        ),
        columns=["organisation", "code", "scope", "document_id", *names, "errors"],
        headers={
            "organisation": t("部门（单位）", "Organisation"),
            "code": t("编码", "Code"),
            "scope": t("范围", "Scope"),
            "document_id": t("文档", "Document"),
            "errors": t("错误数", "Errors"),
            **{n: metric_label(n) for n in names},
        },
        terminal_columns=["organisation", "code", "scope", *names, "errors"],
    )


def _compare_notes(answer: Answer, year: int, kind_name: str, names: list[str]) -> list[str]:
    """The unit of the figures; that nothing matched; which documents lack a figure asked for."""
    notes = [_unit_note()]
    if not answer.rows:
        notes.append(t(f"库中没有符合条件的 {year} 年{kind_name}文件",
                       f"the library holds no {year} {kind_name} documents that match"))  # fmt: skip
    missing = [r["organisation"] for r in answer.rows if any(r[n] is None for n in names)]
    if missing:
        notes.append(
            t(f"{len(missing)} 份文件未列出所问的全部数字（显示为 —）：",
              f"{len(missing)} documents do not state every figure asked for (shown as —): ")
            + t("、", ", ").join(missing[:10])
            + (" …" if len(missing) > 10 else "")
        )  # fmt: skip
    return notes


def _unit_note() -> str:
    return t(
        "金额单位：万元（以元列示的文件已换算为万元；比率为百分比）",
        "Amounts in 万元 (ten thousand yuan; documents in yuan are converted); shares in percent",
    )


def document_kind_name(kind: str) -> str:
    from cnbudget.domain.vocabulary import DOCUMENT_KINDS, kind_label

    return next((kind_label(k) for k in DOCUMENT_KINDS if k == kind), kind)


# ---- organisations ----------------------------------------------------------------------------------
def resolve_organisation(conn: Connection, text: str, *, follow_aliases: bool = True) -> tuple[int, str]:
    """An organisation by ``#id``, code, full name or part of its name; ambiguity is an error listing the
    matches (a department that holds documents is preferred to its own units). Names are compared folded (（ and (, fullwidth letters …). A name merged into another
    (``organisations merge``) stands for the organisation it was merged into, unless ``follow_aliases`` is
    false (to undo the merge)."""
    text = text.strip()
    hits = _matching_organisations(conn, text)
    if follow_aliases:
        hits = list({(target := _target(conn, r)).id: target for r in hits}.values())
    if len(hits) > 1:
        hits = _department_over_its_units(conn, hits)
    if not hits:
        raise UsageError(
            t(f"库中没有与“{text}”相符的部门（单位）", f"no organisation in the library matches “{text}”"),
            setting="organisation",
        )
    if len(hits) > 1:
        listed = "; ".join(
            f"#{r.id} {r.name} ({scope_label(r.kind) if r.kind in SCOPE_LABELS else r.kind}{', ' + r.code if r.code else ''})"
            for r in hits[:12]
        )
        more = t(f" 等 {len(hits)} 个", f" … {len(hits)} in all") if len(hits) > 12 else ""
        raise UsageError(
            t(
                f"“{text}”与 {len(hits)} 个部门（单位）相符，请指明其中一个（名称、编码或 #编号）：{listed}{more}",
                f"“{text}” matches {len(hits)} organisations; name one of them (name, code or #id): "
                f"{listed}{more}",
            ),
            setting="organisation",
        )
    return hits[0].id, hits[0].name


def _department_over_its_units(conn: Connection, hits: list[Any]) -> list[Any]:
    """A department and units of its own (硚口 names 硚口区经信局 and its 本级 and 大数据中心): the department
    is meant when it holds documents, which cover its units; otherwise the matches stay ambiguous."""
    departments = [r for r in hits if r.kind == "department"]
    if len(departments) != 1:
        return hits
    department = departments[0]
    others = [r.id for r in hits if r.id != department.id]
    parents = set(conn.execute(select(orgs.parent_id).where(orgs.id.in_(others))).scalars())
    if parents != {department.id}:
        return hits
    held = conn.execute(select(func.count()).where(docs.organisation_id == department.id)).scalar()
    return [department] if held else hits


def _matching_organisations(conn: Connection, text: str) -> list[Any]:
    """``#id``, else the code, else the folded full name, through the index; only when none of these matches
    is every name read, for part of a name (a library of the whole country holds 100,000s)."""
    if text.startswith("#") and text[1:].isdigit():
        return list(conn.execute(select(*_ORGANISATION).where(orgs.id == int(text[1:]))))
    wanted_key, wanted_core = name_key(text), core_name(text)
    hits = (
        list(conn.execute(select(*_ORGANISATION).where(orgs.code == text, orgs.code != ""))) if text else []
    )
    if not hits and wanted_key and len(wanted_key) <= _NAME_KEY_LENGTH:
        hits = list(conn.execute(select(*_ORGANISATION).where(orgs.name_key == wanted_key)))
        # part of the folded name, found by the database (武汉 names every 武汉市 organisation: ambiguous)
        escaped = wanted_key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        part = orgs.name_key.like(f"%{escaped}%", escape="\\")
        hits = hits or list(conn.execute(select(*_ORGANISATION).where(part).order_by(orgs.id)))
    if hits:
        return hits
    rows = conn.execute(select(*_ORGANISATION).order_by(orgs.id)).all()
    hits = [r for r in rows if name_key(r.name) == wanted_key]
    # part of a name: of the full name (武汉 names every 武汉市 organisation: ambiguous), else of its core
    hits = hits or [r for r in rows if wanted_key and wanted_key in name_key(r.name)]
    return hits or [r for r in rows if wanted_core and wanted_core in core_name(r.name)]


def _target(conn: Connection, row: Any) -> Any:
    """The organisation an alias was merged into, following a chain of merges."""
    seen = {row.id}
    while row.merged_into is not None and row.merged_into not in seen:
        merged = conn.execute(select(*_ORGANISATION).where(orgs.id == row.merged_into)).first()
        if merged is None:
            break
        seen.add(merged.id)
        row = merged
    return row


def metrics() -> Answer:
    """The figures compare and history can show (no library needed)."""
    answer = Answer(
        title=t("可比较的指标", "Figures to compare"),
        columns=["metric", "label", "description"],
        headers={
            "metric": t("指标", "Metric"),
            "label": t("名称", "Label"),
            "description": t("说明", "Description"),
        },
    )
    for spec in metric_specs().values():
        name = f"{spec.name}:CODE" if spec.per_code else spec.name
        answer.rows.append({"metric": name, "label": spec.label, "description": spec.description})
    for d in DERIVED.values():
        answer.rows.append(
            {"metric": d.name, "label": d.label, "description": f"{d.numerator} / {d.denominator} × 100"}
        )
    return answer


def organisations(engine: Engine) -> Answer:
    parent = schema.organisations.alias("parent")
    query = (
        select(
            orgs.id, orgs.name, orgs.kind, orgs.code, orgs.level, orgs.region, parent.c.name.label("parent")
        )
        .outerjoin(parent, parent.c.id == orgs.parent_id)
        .where(orgs.merged_into.is_(None))
        .order_by(orgs.name)
    )
    with engine.connect() as conn:
        counts: dict[int, int] = dict(
            conn.execute(
                select(docs.organisation_id, func.count())
                .where(docs.is_latest.is_(True))
                .group_by(docs.organisation_id)
            ).all()
        )
        rows = conn.execute(query).all()
        aliases = conn.execute(
            select(func.count()).select_from(schema.organisations).where(orgs.merged_into.is_not(None))
        ).scalar()
    answer = Answer(
        title=t(f"{len(rows)} 个部门（单位）", f"{len(rows)} organisations"),
        columns=["id", "name", "kind", "code", "level", "region", "parent", "documents"],
        headers={
            "id": t("编号", "Id"),
            "name": t("名称", "Name"),
            "kind": t("类型", "Kind"),
            "code": t("编码", "Code"),
            "level": t("级次", "Level"),
            "region": t("地区", "Region"),
            "parent": t("上级部门", "Parent"),
            "documents": t("文件数", "Documents"),
        },
    )
    for r in rows:
        answer.rows.append({**r._asdict(), "id": f"#{r.id}", "documents": counts.get(r.id, 0)})
    if aliases:
        answer.notes.append(
            t(
                f"另有 {aliases} 个名称已并入其他部门（单位），见 cnbudget organisations aliases",
                f"{aliases} more names were merged into other organisations: see cnbudget organisations aliases",
            )
        )
    return answer


# ---- history ----------------------------------------------------------------------------------------
def history(
    engine: Engine, organisation: str, metrics: list[str] | None = None, *, kind: str | None = None
) -> Answer:
    """One organisation's documents by year, each metric with its change on the previous year of the same kind."""
    names = check_metrics(
        list(metrics or ("total_spending", "basic_spending", "project_spending", "personnel", "three_public"))
    )
    with engine.connect() as conn:
        org_id, org_name = resolve_organisation(conn, organisation)
        conditions = [docs.organisation_id == org_id, docs.is_latest.is_(True)]
        if kind:
            conditions.append(docs.kind == kind)
        query = select(docs.id, docs.fiscal_year, docs.kind, docs.scope, docs.version).where(
            and_(*conditions)
        )
        # two documents of one kind and year (a department's and a unit's) come in the same order every time
        documents = conn.execute(query.order_by(docs.kind, docs.fiscal_year, docs.scope, docs.id)).all()
        values = _metric_values(conn, query, names)
    answer = _history_answer(org_name, names)
    answer.rows = _history_rows(documents, values, names)
    answer.notes.append(_unit_note())
    for name in names:
        unit = metric_unit(name)
        answer.units |= {name: unit, f"{name}_change": unit, f"{name}_change_pct": "%"}
    answer.chart = _history_chart(answer, org_name, names)
    if not documents:
        answer.notes.append(t(f"库中没有{org_name}的文件", f"the library holds no documents of {org_name}"))
    gaps = _gaps([d.fiscal_year for d in documents if d.kind == "budget"]) + _gaps(
        [d.fiscal_year for d in documents if d.kind == "final"]
    )
    if gaps:
        answer.notes.append(
            t("缺少年度，跨过缺少的年度不计算增减：", "years missing (no change is computed across a gap): ")
            + t("、", ", ").join(str(g) for g in sorted(set(gaps)))
        )
    return answer


def _history_answer(org_name: str, names: list[str]) -> Answer:
    columns = ["year", "kind", "document_id", "version"]
    headers = {
        "year": t("年度", "Year"),
        "kind": t("类型", "Kind"),
        "document_id": t("文档", "Document"),
        "version": t("版本", "Version"),
    }
    for name in names:
        columns += [name, f"{name}_change", f"{name}_change_pct"]
        label = metric_label(name)
        headers |= {
            name: label,
            f"{name}_change": t(f"{label}增减", f"{label} change"),
            f"{name}_change_pct": t(f"{label}增减(%)", f"{label} change (%)"),
        }
    first = metric_label(names[0])
    return Answer(
        title=t(f"{org_name}：历年{first}等", f"{org_name}: {first} and more by year"),
        columns=columns,
        headers=headers,
    )


def _history_rows(
    documents: Sequence[Any], values: dict[int, dict[str, Decimal]], names: list[str]
) -> list[dict[str, Any]]:
    """A row per document, each figure with its change on the same kind's document of the year before
    (none across a missing year)."""
    rows = []
    previous: dict[str, tuple[int, dict[str, Decimal]]] = {}
    for d in documents:
        current = values.get(d.id, {})
        row: dict[str, Any] = {
            "year": d.fiscal_year,
            "kind": d.kind,
            "document_id": d.id,
            "version": d.version,
        }
        before = previous.get(d.kind)
        for name in names:
            now = _value(current, name)
            row[name] = now
            row[f"{name}_change"] = row[f"{name}_change_pct"] = None
            if before and before[0] == (d.fiscal_year or 0) - 1:
                then = _value(before[1], name)
                if now is not None and then is not None:
                    row[f"{name}_change"] = now - then
                    if name not in DERIVED:
                        row[f"{name}_change_pct"] = _percent(now - then, then)
        previous[d.kind] = (d.fiscal_year or 0, current)
        rows.append(row)
    return rows


def _history_chart(answer: Answer, org_name: str, names: list[str]) -> Chart:
    """The figures in the first metric's unit, one line per figure and kind (预算, 决算), by year."""
    unit = metric_unit(names[0])
    years = sorted({r["year"] for r in answer.rows if r["year"]})
    kinds = [k for k in ("budget", "final") if any(r["kind"] == k for r in answer.rows)]
    series = []
    for name in (n for n in names if metric_unit(n) == unit):
        for kind in kinds:
            by_year = {r["year"]: r[name] for r in answer.rows if r["kind"] == kind}
            label = metric_label(name) + (
                t(f"（{document_kind_name(kind)}）", f" ({document_kind_name(kind)})")
                if len(kinds) > 1
                else ""
            )
            series.append(Series(label, [by_year.get(y) for y in years]))
    title = t(
        f"{org_name}：历年{metric_label(names[0])}等", f"{org_name}: {metric_label(names[0])} etc. by year"
    )
    return Chart("line", title, unit, t("年度", "year"),
                 [str(y) for y in years], series)  # fmt: skip


def _gaps(years: list[int | None]) -> list[int]:
    known = sorted(y for y in years if y)
    return [y for a, b in zip(known, known[1:], strict=False) for y in range(a + 1, b)]


# ---- execution --------------------------------------------------------------------------------------
EXECUTION_FUNDS = {
    # funds → (totals shown, per-code metric)
    "all": (("total_spending", "basic_spending", "project_spending"), "function"),
    "general": (("general_budget_spending", "general_budget_basic"), "general_function"),
}


def execution(engine: Engine, organisation: str, year: int, *, funds: str = "all") -> Answer:
    """Final accounts against the budget of the same year: per function code and for 三公.

    ``funds``: ``all`` compares all funds (B03 against F03); ``general`` the 一般公共预算 appropriations
    (B05 against F05), the base of the 年初预算 execution rates final accounts state."""
    if funds not in EXECUTION_FUNDS:
        choices = ", ".join(EXECUTION_FUNDS)
        raise UsageError(t(f"funds 只能是 {choices}", f"funds is one of {choices}"))
    totals, per_code = EXECUTION_FUNDS[funds]
    with engine.connect() as conn:
        org_id, org_name = resolve_organisation(conn, organisation)
        final = _latest(conn, [org_id], year, "final")
        if not final:
            raise UsageError(t(f"库中没有{org_name}的 {year} 年决算",
                               f"the library holds no {year} final accounts (决算) of {org_name}"))  # fmt: skip
        budget, origin, budget_note = _execution_budget(conn, org_id, org_name, year)
        final_values = _all_metrics(conn, final)
        budget_values = _all_metrics(conn, budget) if budget else {}
    answer = _execution_answer(org_name, year, funds)
    answer.notes.append(
        t(f"决算：文档 {final[0]}（{year} 年决算）", f"final accounts: document {final[0]} ({year})")
    )
    answer.notes.append(budget_note or t(
        f"库中没有{org_name}或其所属单位的 {year} 年预算：只能比较“三公”经费，以决算 F09 表所列预算数为准",
        f"no {year} budget of {org_name} or its units in the library: only the three public expenses (三公) "
        "compare, against the budget column of the final accounts' table F09"))  # fmt: skip
    answer.rows = _execution_rows(totals, per_code, budget_values, final_values, origin)
    answer.units = {"budget": AMOUNT_UNIT, "final": AMOUNT_UNIT, "difference": AMOUNT_UNIT, "rate_pct": "%"}
    answer.chart = Chart(
        "bar",
        answer.title,
        AMOUNT_UNIT,
        t("项目", "item"),
        [" ".join(x for x in (r["code"], r["name"] or r["item"]) if x) for r in answer.rows],
        [
            Series(answer.heading("budget"), [r["budget"] for r in answer.rows]),
            Series(answer.heading("final"), [r["final"] for r in answer.rows]),
        ],
    )
    return answer


def _execution_budget(conn: Connection, org_id: int, org_name: str, year: int) -> tuple[list[int], str, str]:
    """The budget documents to compare with: the organisation's own, else its units' budgets summed; with
    where the budget figures come from and the note that says so ("" when there is no budget at all)."""
    budget = _latest(conn, [org_id], year, "budget")
    if budget:
        note = t(f"预算：文档 {budget[0]}（{year} 年预算）", f"budget: document {budget[0]} ({year} budget)")
        return budget, t("预算文件", "budget document"), note
    merged = [org_id, *conn.execute(select(orgs.id).where(orgs.merged_into == org_id)).scalars()]
    units = [r.id for r in conn.execute(select(orgs.id).where(orgs.parent_id.in_(merged)))]
    budget = _latest(conn, units, year, "budget")
    if not budget:
        return [], t("预算文件", "budget document"), ""
    ids = t("、", ", ").join(str(b) for b in budget)
    note = t(
        f"库中没有{org_name}本身的 {year} 年预算：以其所属单位的预算相加（文档 {ids}）；没有预算的单位不在其中",
        f"no {year} budget of {org_name} itself: its units' budgets are summed "
        f"(documents {ids}); units without a budget are missing from it",
    )
    return budget, t(f"{len(budget)} 个所属单位预算之和", f"sum of {len(budget)} unit budget(s)"), note


def _execution_answer(org_name: str, year: int, funds: str) -> Answer:
    general = funds == "general"
    return Answer(
        title=t(
            f"{org_name} {year} 年预算执行（决算/预算{'，一般公共预算' if general else ''}）",
            f"{org_name} {year}: final accounts against budget{' (general public budget)' if general else ''}",
        ),
        columns=["item", "code", "name", "budget", "final", "difference", "rate_pct", "budget_source"],
        headers={
            "item": t("项目", "Item"),
            "code": t("科目编码", "Code"),
            "name": t("科目名称", "Name"),
            "budget": t("预算数", "Budget"),
            "final": t("决算数", "Final"),
            "difference": t("决算-预算", "Final − budget"),
            "rate_pct": t("决算/预算(%)", "Final / budget (%)"),
            "budget_source": t("预算数来源", "Budget from"),
        },
    )


def _execution_rows(
    totals: Sequence[str], per_code: str, budget_values: dict[str, Decimal], final_values: dict[str, Decimal],
    origin: str,
) -> list[dict[str, Any]]:  # fmt: skip
    """The totals, each function code, and the 三公 items, budget against final."""
    from cnbudget.domain.codes import function_codes

    names = function_codes()
    rows = []
    for metric in totals:
        b, f = budget_values.get(metric), final_values.get(metric)
        if b is not None or f is not None:
            rows.append(_execution_row(metric_label(metric), "", "", b, f, origin if b is not None else ""))
    codes = sorted(
        {m.split(":")[1] for m in (*final_values, *budget_values) if m.startswith(f"{per_code}:")},
        key=lambda c: (c[:3], c),
    )
    for code in codes:
        b, f = budget_values.get(f"{per_code}:{code}"), final_values.get(f"{per_code}:{code}")
        rows.append(_execution_row(t("功能分类", "Function code"), code, names.get(code, ""), b, f,
                                   origin if b is not None else ""))  # fmt: skip
    for metric in THREE_PUBLIC_ITEMS:
        f = final_values.get(metric)
        b = budget_values.get(metric)
        source = t(f"{origin}（B07）", f"{origin} (B07)") if b is not None else ""
        if b is None and final_values.get(f"{metric}_budgeted") is not None:
            b = final_values[f"{metric}_budgeted"]
            source = t("决算 F09 表所列预算数", "final accounts, F09 budget column")
        if b is not None or f is not None:
            rows.append(_execution_row(t("三公", "Three public"), "", metric_label(metric), b, f, source))
    return rows


def _latest(conn: Connection, org_ids: list[int], year: int, kind: str) -> list[int]:
    if not org_ids:
        return []
    return list(
        conn.execute(
            select(docs.id)
            .where(
                docs.organisation_id.in_(org_ids),
                docs.fiscal_year == year,
                docs.kind == kind,
                docs.is_latest.is_(True),
            )
            .order_by(docs.id)
        ).scalars()
    )


def _all_metrics(conn: Connection, document_ids: list[int]) -> dict[str, Decimal]:
    """All metrics of the documents, summed over them (several unit budgets stand for one department)."""
    totals: dict[str, Decimal] = {}
    for metric, value in conn.execute(
        select(mets.metric, mets.value).where(mets.document_id.in_(document_ids))
    ):
        totals[metric] = totals.get(metric, Decimal(0)) + value
    return totals


def _execution_row(
    item: str, code: str, name: str, budget: Decimal | None, final: Decimal | None, source: str
) -> dict[str, Any]:
    return {
        "item": item,
        "code": code,
        "name": name,
        "budget": budget,
        "final": final,
        "difference": final - budget if budget is not None and final is not None else None,
        "rate_pct": _percent(final, budget),
        "budget_source": source,
    }


# ---- findings ---------------------------------------------------------------------------------------
def _numbers(stored: str | None) -> list[int]:
    """Lines or pages as stored ("812,300")."""
    return [int(n) for n in (stored or "").split(",") if n.strip().isdigit()]


def _known_rule(rule: str) -> None:
    """An id (or pattern) that names no rule is a mistake, not "no findings" (checked only when nothing was
    found: the rule catalogue is not loaded for the questions that find something)."""
    import fnmatch

    from cnbudget.audit.registry import all_rules

    ids = [r.id for r in all_rules()]
    if not any(fnmatch.fnmatchcase(i, rule) for i in ids):
        close = [i for i in ids if i.split("-")[0] == rule.split("-")[0]][:8]
        raise UsageError(
            t(f"没有规则 {rule}", f"no rule {rule}")
            + (
                t(f"；同类规则有：{'、'.join(close)}", f"; rules of that family: {', '.join(close)}")
                if close
                else ""
            )
            + t("（全部规则：cnbudget rules）", " (all rules: cnbudget rules)"),
            setting="rule",
        )


def _latest_decision() -> Any:
    """The latest confirm, dismiss or reopen of the team on each finding (by its series and key), as the
    review pages count it (comments change nothing)."""
    d = schema.decisions.c
    f = schema.findings.c
    return (
        select(d.action)
        .where(
            d.organisation_id == docs.organisation_id,
            d.kind == docs.kind,
            d.scope == docs.scope,
            d.fiscal_year == func.coalesce(docs.fiscal_year, 0),
            d.finding_key == f.finding_key,
            d.action.in_(("confirm", "dismiss", "reopen")),
        )
        .order_by(d.id.desc())
        .limit(1)
        .correlate(schema.findings, schema.documents)
        .scalar_subquery()
    )


def findings(
    engine: Engine,
    *,
    rule: str | None = None,
    severity: str | None = None,
    organisation: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    all_versions: bool = False,
    limit: int | None = None,
    dismissed: bool = False,
) -> Answer:
    """Audit findings across the library, most severe first; those a review team dismissed as not a problem
    of the document are left out unless ``dismissed``."""
    conditions = _finding_conditions(rule, severity, year, kind, all_versions, dismissed)
    with engine.connect() as conn:
        if organisation:
            org_id, _ = resolve_organisation(conn, organisation)
            conditions.append(docs.organisation_id == org_id)
        query = _findings_query(conditions)
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar() or 0
        f = schema.findings.c
        rank = case({"error": 0, "warning": 1, "info": 2}, value=f.severity, else_=3)
        query = query.order_by(rank, orgs.name, docs.fiscal_year, f.rule_id, f.id)
        rows = conn.execute(query if limit is None else query.limit(limit)).all()
    if rule and not total:
        _known_rule(rule)
    answer = _findings_answer(rows, total)
    if limit is not None and total > limit:
        answer.total = total
    answer.chart = _findings_by_rule(answer)
    return answer


def _finding_conditions(
    rule: str | None, severity: str | None, year: int | None, kind: str | None, all_versions: bool,
    dismissed: bool,
) -> list[ColumnElement[bool]]:  # fmt: skip
    f = schema.findings.c
    conditions: list[ColumnElement[bool]] = []
    if not dismissed:
        conditions.append(func.coalesce(_latest_decision(), "") != "dismiss")
    if not all_versions:
        conditions.append(docs.is_latest.is_(True))
    if rule:
        conditions.append(f.rule_id.like(rule.replace("*", "%")) if "*" in rule else f.rule_id == rule)
    if severity:
        levels = {"error": ["error"], "warning": ["error", "warning"], "info": ["error", "warning", "info"]}
        conditions.append(f.severity.in_(levels[severity]))
    if year:
        conditions.append(docs.fiscal_year == year)
    if kind:
        conditions.append(docs.kind == kind)
    return conditions


def _findings_query(conditions: list[ColumnElement[bool]]) -> Select[Any]:
    f = schema.findings.c
    return (
        select(
            orgs.name,
            docs.fiscal_year,
            docs.kind,
            docs.id.label("document_id"),
            docs.version,
            f.rule_id,
            f.severity,
            f.message,
            f.table_kind,
            f.lines,
            f.pages,
            docs.source_name,
        )  # fmt: skip
        .join(schema.documents, docs.id == f.document_id)
        .join(schema.organisations, orgs.id == docs.organisation_id)
        .where(and_(*conditions))
    )


def _finding_headers() -> dict[str, str]:
    return {
        "organisation": t("部门（单位）", "Organisation"),
        "year": t("年度", "Year"),
        "kind": t("类型", "Kind"),
        "document_id": t("文档", "Document"),
        "version": t("版本", "Version"),
        "rule_id": t("规则", "Rule"),
        "severity": t("级别", "Severity"),
        "message": t("说明", "Message"),
        "table": t("表", "Table"),
        "place": t("位置", "Place"),
        "pages": t("页", "Pages"),
        "lines": t("行（文本）", "Lines (text)"),
        "source": t("来源文件", "Source"),
    }


def _findings_answer(rows: Sequence[Any], total: int) -> Answer:
    headers = _finding_headers()
    answer = Answer(
        title=t(f"{total} 条审核发现", f"{total} findings"),
        columns=list(headers),
        headers=headers,
        terminal_columns=[
            "organisation",
            "year",
            "kind",
            "document_id",
            "rule_id",
            "severity",
            "message",
            "place",
        ],  # fmt: skip
    )
    for r in rows:
        answer.rows.append({
            "organisation": r.name, "year": r.fiscal_year, "kind": r.kind, "document_id": r.document_id,
            "version": r.version, "rule_id": r.rule_id, "severity": r.severity, "message": r.message,
            "table": r.table_kind,
            # a PDF's page is the place (its extracted-text lines are not); a text input's line
            "place": place(_numbers(r.pages), _numbers(r.lines), 3),
            "pages": r.pages, "lines": r.lines, "source": r.source_name,
        })  # fmt: skip
    answer.units = {}
    return answer


def _findings_by_rule(answer: Answer) -> Chart:
    counts: dict[str, int] = defaultdict(int)
    for row in answer.rows:
        counts[row["rule_id"]] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return Chart(
        "bar",
        t(f"各规则的审核发现（所列 {len(answer.rows)} 条）", f"Findings by rule ({len(answer.rows)} listed)"),
        t("条", "findings"),
        t("规则", "rule"),
        [rule for rule, _ in ranked],
        [Series(t("发现数", "findings"), [Decimal(n) for _, n in ranked])],
    )
