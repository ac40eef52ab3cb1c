"""What a library question returns: a titled table of rows with notes, printable as text, JSON or CSV, and
with the chart that shows its figures. Plain data, below the layers that make it (`cnbudget.library`) and
draw it (`cnbudget.report.answer`, the CLI and the web pages)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from cnbudget.domain.escape import csv_cell
from cnbudget.domain.numbers import format_amount


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: list[Decimal | None]
    """One value per category of the chart (None: not stated, drawn as a gap, never as zero)."""


@dataclass(frozen=True, slots=True)
class Chart:
    """The figures of an answer worth a picture: categories along one axis, one or more series of values."""

    kind: Literal["bar", "line"]
    title: str
    unit: str
    """The unit of every value: 万元, % or 条 (a chart never mixes units)."""
    axis: str
    """What the categories are (部门（单位）, 年度, 项目 …)."""
    categories: list[str]
    series: list[Series]


@dataclass(slots=True)
class Answer:
    title: str
    columns: list[str]
    """Row keys in display order."""
    headers: dict[str, str] = field(default_factory=dict)
    """Display headings for columns (default: the key)."""
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Where figures come from, what is missing."""
    units: dict[str, str] = field(default_factory=dict)
    """The unit of each column of figures (万元, %): number formats and chart axes."""
    terminal_columns: list[str] | None = None
    """The columns worth the width of a terminal (JSON and CSV always carry all of them)."""
    total: int | None = None
    """When the rows are the first of more (a limit was given): how many there are in all."""
    chart: Chart | None = None
    """The chart of the XLSX and HTML reports (None: a table alone)."""

    def heading(self, column: str) -> str:
        return self.headers.get(column, column)

    def to_json(self) -> str:
        return json.dumps(
            {
                "title": self.title,
                "columns": [{"key": c, "heading": self.heading(c)} for c in self.columns],
                "rows": [{c: _json_value(row.get(c)) for c in self.columns} for row in self.rows],
                "notes": self.notes,
                **({"total": self.total} if self.total is not None else {}),
            },
            ensure_ascii=False,
            indent=1,
        )

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(
                ["" if row.get(c) is None else csv_cell(_plain(row.get(c))) for c in self.columns]
            )
        return out.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def display(value: Any) -> str:
    """A cell for the terminal: amounts with thousands separators, blanks as —."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format_amount(value)
    return str(value)
