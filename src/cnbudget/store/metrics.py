"""The figures a library compares, read from each document once at ingest.

Comparing hundreds of documents must not re-read their tables: each document's headline figures
(total spending, 基本/项目, 人员经费, 三公 and its parts, spending per function and economic code) are
stored as rows of the ``metrics`` table. Where each figure is printed is reference data
(``data/metrics.toml``); the first source a document has wins, and the source is stored with the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from cnbudget.domain.i18n import t
from cnbudget.domain.numbers import convert
from cnbudget.domain.reference import data_toml
from cnbudget.domain.text import plain_label
from cnbudget.model import Document, Row, Table
from cnbudget.model.tables import three_public_view


@dataclass(frozen=True, slots=True)
class MetricSpec:
    name: str
    label_zh: str
    label_en: str
    description_zh: str
    description_en: str
    sources: tuple[dict[str, Any], ...]
    per_code: bool = False

    @property
    def label(self) -> str:
        return t(self.label_zh, self.label_en)

    @property
    def description(self) -> str:
        return t(self.description_zh, self.description_en)


@dataclass(frozen=True, slots=True)
class Derived:
    """A share computed from two stored metrics at query time (percent)."""

    name: str
    label_zh: str
    label_en: str
    numerator: str
    denominator: str

    @property
    def label(self) -> str:
        return t(self.label_zh, self.label_en)


DERIVED = {
    d.name: d
    for d in (
        Derived("basic_share", "基本支出占比(%)", "Basic share (%)", "basic_spending", "total_spending"),
        Derived(
            "project_share", "项目支出占比(%)", "Project share (%)", "project_spending", "total_spending"
        ),
        Derived(
            "personnel_share",
            "人员经费占一般公共预算基本支出(%)",
            "Personnel in general public budget basic spending (%)",
            "personnel",
            "general_budget_basic",
        ),  # fmt: skip
    )
}
_CODE_METRIC = re.compile(r"^(function|general_function|economic):(\d{3}(?:\d{2}){0,2})$")


@cache
def metric_specs() -> dict[str, MetricSpec]:
    specs: dict[str, MetricSpec] = {}
    for name, entry in data_toml("metrics.toml").items():
        specs[name] = MetricSpec(
            name=name,
            label_zh=entry["label"],
            label_en=entry["label_en"],
            description_zh=entry["description"],
            description_en=entry["description_en"],
            sources=tuple(entry["sources"]),
            per_code=bool(entry.get("per_code", False)),
        )
    return specs


def known_metric(name: str) -> bool:
    """True for stored metrics, derived shares and ``function:CODE`` / ``economic:CODE``."""
    specs = metric_specs()
    return (name in specs and not specs[name].per_code) or name in DERIVED or bool(_CODE_METRIC.match(name))


def metric_label(name: str) -> str:
    specs = metric_specs()
    if name in specs:
        return specs[name].label
    if name in DERIVED:
        return DERIVED[name].label
    m = _CODE_METRIC.match(name)
    if m:
        from cnbudget.domain.codes import economic_codes, function_codes

        names = economic_codes() if m.group(1) == "economic" else function_codes()
        return f"{m.group(2)} {names.get(m.group(2), '')}".strip()
    return name


def stored_metrics(name: str) -> tuple[str, ...]:
    """The stored metrics a question about ``name`` needs (a derived share needs two)."""
    if name in DERIVED:
        return (DERIVED[name].numerator, DERIVED[name].denominator)
    return (name,)


def document_metrics(doc: Document) -> Iterator[tuple[str, Decimal, str]]:
    """(metric, value in 万元, source) for every figure the document states: tables printed in 元 (Shanghai's)
    are converted, so that departments and years compare in one unit."""
    tables = {table.id: table for table in doc.tables}
    for spec in metric_specs().values():
        if spec.per_code:
            yield from _per_code(spec, tables)
            continue
        for source in spec.sources:
            table = tables.get(source["table"])
            if table is None or table.status == "failed":
                continue
            found = _value(table, source)
            if found is not None:
                yield spec.name, _in_wan(table, found[0]), found[1]
                break


def _in_wan(table: Table, value: Decimal) -> Decimal:
    return convert(value, table.amount_unit, "万元")


def _value(table: Table, source: dict[str, Any]) -> tuple[Decimal, str] | None:
    if "three_public" in source:
        return _three_public(table, source["three_public"], source.get("measure", ""))
    row = _row(table, source)
    if row is None:
        return None
    column = source.get("column")
    if "side" in source:
        keys = [c.key for c in table.columns if c.role == "value" and c.side == source["side"]]
        column = keys[0] if keys else None
    cell = _cell(row, column)
    if cell is None:
        return None
    return cell[1], f"{table.id} {row.label} {cell[0]}".strip()


def _row(table: Table, source: dict[str, Any]) -> Row | None:
    wanted = source.get("row", "total")
    if wanted == "total":
        return table.total_row()
    side = source.get("side")
    for row in table.rows:
        if (side is None or row.side == side) and plain_label(row.label) == wanted:
            return row
    return None


def _cell(row: Row, column: str | None) -> tuple[str, Decimal] | None:
    """The value of ``column`` (full path or last level), or the row's first value when None."""
    for cell in row.cells:
        if cell.value is None:
            continue
        if column is None or cell.column == column or cell.column.split("/")[-1] == column:
            return cell.column, cell.value
    return None


_ITEMS = {
    "overseas": "出国",
    "vehicle_purchase": "购置费",
    "vehicle_operation": "运行",
    "reception": "接待",
}


def _three_public(table: Table, item: str, measure: str) -> tuple[Decimal, str] | None:
    if not table.rows:
        return None
    row = table.rows[0]
    for cell in row.cells:
        found, path = three_public_view(cell.column)
        if found != measure or not path or cell.value is None:
            continue
        last = path[-1]
        if item == "total":
            hit = len(path) == 1 and "合计" in last
        elif item == "vehicles":
            hit = last == "小计"
        else:
            hit = _ITEMS[item] in last and not (item == "vehicle_purchase" and "运行" in last)
        if hit:
            return cell.value, f"{table.id} {cell.column}"
    return None


def _per_code(spec: MetricSpec, tables: dict[str, Table]) -> Iterator[tuple[str, Decimal, str]]:
    for source in spec.sources:
        table = tables.get(source["table"])
        if table is None or table.status == "failed":
            continue
        seen: set[str] = set()
        for row in table.rows:
            code = row.full_code
            if not (code.isdigit() and len(code) in (3, 5, 7)) or code in seen:
                continue
            cell = _cell(row, source.get("column"))
            if cell is not None:
                seen.add(code)
                yield (
                    f"{spec.name}:{code}",
                    _in_wan(table, cell[1]),
                    f"{table.id} {code} {row.label} {cell[0]}",
                )
        if seen:
            return
