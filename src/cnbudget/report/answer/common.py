"""What the answer's files share: headings with their units, the notes, the categories a chart shows."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from cnbudget.domain.i18n import t
from cnbudget.model.answer import Answer, Chart

MAX_CATEGORIES = 40
"""A chart shows at most this many bars or points along its axis (the table lists every row)."""
COLOURS = ("#3b6fb6", "#d9822b", "#2e9e6b", "#b84a62", "#7a5cb0", "#8c6d3f", "#4aa3b8", "#999999")


Label = Callable[[str, Any], Any]
"""How a fixed value is shown to a person (budget → 预算); the identity by default."""


def as_is(_column: str, value: Any) -> Any:
    return value


def heading(answer: Answer, column: str) -> str:
    """The column's heading with its unit, unless the heading already says it."""
    heading = answer.heading(column)
    unit = answer.units.get(column)
    if unit and unit not in heading:
        return f"{heading}（{unit}）"
    return heading


def notes(answer: Answer) -> list[str]:
    notes = list(answer.notes)
    if answer.total is not None:
        notes.append(
            t(
                f"显示 {len(answer.rows)} 条，共 {answer.total} 条；用 --limit 显示更多",
                f"{len(answer.rows)} of {answer.total} shown; --limit shows more",
            )
        )
    return notes


def shown(chart: Chart) -> tuple[list[str], list[list[Decimal | None]], str]:
    """The categories a chart draws (the first MAX_CATEGORIES), their values per series, and its title."""
    count = min(len(chart.categories), MAX_CATEGORIES)
    title = f"{chart.title}（{t('单位', 'unit')}：{chart.unit}）"
    if len(chart.categories) > count:
        title += t(f"，前 {count} 个", f", first {count}")
    return list(chart.categories[:count]), [list(s.values[:count]) for s in chart.series], title
