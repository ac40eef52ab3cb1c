"""A library answer as one self-contained page (inline style, no script, nothing fetched): the table and the
chart as inline SVG, with the unit of every figure in the headings and on the axis."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from cnbudget.domain.i18n import t
from cnbudget.domain.numbers import format_amount
from cnbudget.model.answer import Answer, Chart
from cnbudget.report.answer.common import COLOURS, Label, as_is, heading, notes, shown
from cnbudget.report.kit.html import e as _e
from cnbudget.report.kit.html import page, stamp

_CSS = """
table.answer{border-collapse:collapse;font-size:.88em;margin:1em 0}
table.answer th,table.answer td{border:1px solid #ccc;padding:2px 8px;vertical-align:top}
table.answer th{background:#f2f2f2}svg.chart{max-width:100%;height:auto;font-size:12px}
svg.chart .axis{stroke:#444}svg.chart .grid{stroke:#e4e4e4}
"""


def _cell_text(value: Any) -> str:
    if value is None or value == "":
        return "—" if value is None else ""
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def answer_html(answer: Answer, label: Label = as_is) -> str:
    """One page: title, chart, table, notes; nothing outside the file."""
    out = [f"<h1>{_e(answer.title)}</h1>", stamp()]
    if answer.chart is not None and answer.chart.categories:
        out.append(f"<figure>{chart_svg(answer.chart)}</figure>")
    head = "".join(f"<th>{_e(heading(answer, c))}</th>" for c in answer.columns)
    body = []
    for row in answer.rows:
        cells = []
        for column in answer.columns:
            value = label(column, row.get(column))
            number = isinstance(value, int | Decimal) and not isinstance(value, bool)
            css = ' class="num"' if number else ""
            cells.append(f"<td{css}>{_e(_cell_text(value))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    out.append(f'<div class="scroll"><table class="answer"><tr>{head}</tr>{"".join(body)}</table></div>')
    out += [f'<p class="note">{_e(t("注", "Note"))}：{_e(note)}</p>' for note in notes(answer)]
    return page(answer.title, out, _CSS)


def _ticks(low: float, high: float, count: int = 5) -> tuple[list[float], int]:
    """Round axis values covering low to high (1, 2 or 5 times a power of ten apart) and their decimals."""
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [i * step for i in range(first, last + 1)], max(0, -math.floor(math.log10(step)))


def _figure(value: Decimal, unit: str) -> str:
    """A value as the chart labels it: amounts and shares with two decimals, counts as they are."""
    return format_amount(value) if unit in ("万元", "元", "%") else f"{value:,f}"


def _short(text: str, length: int = 14) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def chart_svg(chart: Chart) -> str:
    """The chart as inline SVG: bars or lines, the axis in the chart's unit, a legend, a tooltip per value."""
    categories, values, title = shown(chart)
    numbers = [float(v) for series in values for v in series if v is not None]
    low, high = min([0.0, *numbers]), max([0.0, *numbers])
    if high == low:
        high = low + 1
    ticks, decimals = _ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    left, top, right, bottom = 90, 50, 20, 130
    width = max(left + right + max(18, min(70, 900 // max(1, len(categories)))) * len(categories), 480)
    plot_w = width - left - right
    slot = plot_w / max(1, len(categories))
    plot_h = 300
    height = top + plot_h + bottom + 22 * ((len(values) + 3) // 4)

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * plot_h

    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" data-kind="{_e(chart.kind)}" data-unit="{_e(chart.unit)}">',
        f"<title>{_e(title)}</title>",
        f'<text x="{width / 2:.1f}" y="22" text-anchor="middle" font-size="15" font-weight="bold">{_e(title)}</text>',
        f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{_e(chart.unit)}</text>',
    ]
    for tick in ticks:
        ty = y(tick)
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        out.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{tick:,.{decimals}f}</text>')
    zero = y(0.0)
    out.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{zero:.1f}" y2="{zero:.1f}"/>')
    out.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}"/>')
    for index, category in enumerate(categories):
        cx = left + slot * (index + 0.5)
        ly = top + plot_h + 14
        out.append(
            f'<text x="{cx:.1f}" y="{ly}" text-anchor="end" transform="rotate(-40 {cx:.1f} {ly})">'
            f"<title>{_e(category)}</title>{_e(_short(category))}</text>"
        )
    labelled = len(categories) * len(values) <= 24
    for number, (series, series_values) in enumerate(zip(chart.series, values, strict=True)):
        colour = COLOURS[number % len(COLOURS)]
        if chart.kind == "line":
            out += _line(series.name, series_values, categories, colour, left, slot, y, chart.unit, labelled)
        else:
            bar_w = slot * 0.8 / len(values)
            lefts = [left + slot * index + slot * 0.1 + bar_w * number for index in range(len(categories))]
            out += _bars(
                series.name, series_values, categories, colour, lefts, bar_w, y, chart.unit, labelled
            )
    out += _legend(chart, left, top + plot_h + bottom)
    out.append("</svg>")
    return "".join(out)


def _bars(
    name: str, values: list[Decimal | None], categories: list[str], colour: str, lefts: list[float], bar_w: float,
    y: Callable[[float], float], unit: str, labelled: bool,
) -> list[str]:  # fmt: skip
    """One series' bars (a tooltip each; the value above it when there are few)."""
    out = []
    zero = y(0.0)
    for index, value in enumerate(values):
        if value is None:
            continue
        x = lefts[index]
        top_y, base = sorted((y(float(value)), zero))
        tip = f"{categories[index]} · {name}：{_figure(value, unit)} {unit}"
        out.append(
            f'<rect class="bar" x="{x:.1f}" y="{top_y:.2f}" width="{bar_w:.1f}" height="{base - top_y:.2f}" '
            f'fill="{colour}" data-value="{value}" data-category="{_e(categories[index])}" '
            f'data-series="{_e(name)}"><title>{_e(tip)}</title></rect>'
        )
        if labelled:
            out.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top_y - 3:.1f}" text-anchor="middle" font-size="10">'
                f"{_e(_figure(value, unit))}</text>"
            )
    return out


def _legend(chart: Chart, left: int, legend_y: int) -> list[str]:
    out = []
    for number, series in enumerate(chart.series):
        lx = left + (number % 4) * 220
        ly = legend_y + 22 * (number // 4)
        out.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{COLOURS[number % len(COLOURS)]}"/>'
        )
        out.append(f'<text x="{lx + 18}" y="{ly}">{_e(_short(series.name, 24))}（{_e(chart.unit)}）</text>')
    return out


def _line(
    name: str,
    values: list[Decimal | None],
    categories: list[str],
    colour: str,
    left: float,
    slot: float,
    y: Callable[[float], float],
    unit: str,
    labelled: bool,
) -> list[str]:
    """A polyline per run of stated values (a gap where a year is missing), a point per value."""
    out: list[str] = []
    run: list[str] = []
    points = []
    for index, value in enumerate(values):
        if value is None:
            if len(run) > 1:
                out.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>'
                )
            run = []
            continue
        px, py = left + slot * (index + 0.5), y(float(value))
        run.append(f"{px:.1f},{py:.2f}")
        tip = f"{categories[index]} · {name}：{_figure(value, unit)} {unit}"
        points.append(
            f'<circle class="point" cx="{px:.1f}" cy="{py:.2f}" r="3.5" fill="{colour}" data-value="{value}" '
            f'data-category="{_e(categories[index])}" data-series="{_e(name)}"><title>{_e(tip)}</title></circle>'
        )
        if labelled:
            points.append(
                f'<text x="{px:.1f}" y="{py - 7:.1f}" text-anchor="middle" font-size="10">{_e(_figure(value, unit))}</text>'
            )
    if len(run) > 1:
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>')
    return out + points
