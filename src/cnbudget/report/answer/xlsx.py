"""A library answer as a workbook: the table with typed cells (amounts are numbers in their format, never
text) and a native Excel chart on a second sheet, drawn from the figures written beside it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cnbudget.domain.i18n import t
from cnbudget.model.answer import Answer, Chart
from cnbudget.report.answer.common import Label, as_is, heading, notes, shown
from cnbudget.report.kit.xlsx import (
    AMOUNT_FORMAT,
    PERCENT_FORMAT,
    YEAR_FORMAT,
    Column,
    Sheet,
    to_bytes,
    workbook,
)


def answer_xlsx(answer: Answer, label: Label = as_is) -> bytes:
    """The table on the first sheet (amounts as numbers in their format), the chart with its figures on the
    second."""
    book = workbook()
    columns = []
    for column in answer.columns:
        longest = max((len(str(r.get(column) or "")) for r in answer.rows), default=0)
        wide = max(len(heading(answer, column)), longest) + 2
        columns.append(Column(heading(answer, column), min(max(wide, 8), 48)))
    sheet = Sheet(book, t("数据", "data"), columns, rows=len(answer.rows), title=answer.title)
    units = [answer.units.get(c) for c in answer.columns]
    formats = {i: PERCENT_FORMAT if u == "%" else AMOUNT_FORMAT for i, u in enumerate(units) if u}
    for row in answer.rows:
        sheet.append(
            [_xlsx_value(label(column, row.get(column))) for column in answer.columns], formats=formats
        )
    for note in notes(answer):
        sheet.sheet.append([])
        sheet.append([f"{t('注', 'Note')}：{note}"])
    if answer.chart is not None and answer.chart.categories:
        _xlsx_chart(book, answer.chart)
    return to_bytes(book)


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).lower()
    if isinstance(value, int | Decimal):
        return value  # a number cell (openpyxl writes a Decimal exactly as its digits)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _xlsx_chart(book: Any, chart: Chart) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.utils import get_column_letter

    categories, values, title = shown(chart)
    width = min(max((len(c) for c in categories), default=8) + 2, 40)
    headings = [Column(chart.axis, width), *(Column(f"{s.name}（{chart.unit}）", 14) for s in chart.series)]
    data_sheet = Sheet(book, t("图表", "chart"), headings, rows=0)
    sheet = data_sheet.sheet
    number_format = (
        PERCENT_FORMAT
        if chart.unit == "%"
        else AMOUNT_FORMAT
        if chart.unit in ("万元", "元")
        else YEAR_FORMAT
    )
    figures = dict.fromkeys(range(1, len(values) + 1), number_format)
    for index, category in enumerate(categories):
        data_sheet.append([category, *(v[index] for v in values)], formats=figures)
    drawing: Any = LineChart() if chart.kind == "line" else BarChart()
    if chart.kind != "line":
        drawing.type = "col"
    drawing.title = title
    drawing.y_axis.title = chart.unit
    drawing.x_axis.title = chart.axis
    drawing.y_axis.numFmt = number_format
    drawing.x_axis.delete = False  # openpyxl hides both axes by default in recent Excel versions
    drawing.y_axis.delete = False
    data = Reference(sheet, min_col=2, max_col=1 + len(values), min_row=1, max_row=1 + len(categories))
    drawing.add_data(data, titles_from_data=True)
    drawing.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=1 + len(categories)))
    drawing.width = min(max(16.0, 1.2 * len(categories) * max(1, len(values))), 48.0)
    drawing.height = 10.0
    sheet.add_chart(drawing, f"{get_column_letter(len(values) + 3)}2")
