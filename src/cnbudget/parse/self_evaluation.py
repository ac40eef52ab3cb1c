"""Self-evaluation tables of final accounts (部门整体绩效自评表, 项目自评表)."""

from __future__ import annotations

import re
from decimal import Decimal

from cnbudget.domain.numbers import parse_amount, parse_percent
from cnbudget.domain.text import compact
from cnbudget.model import SelfEvaluation
from cnbudget.parse.indicators import IndicatorReader, strip_weight
from cnbudget.parse.segment import Region
from cnbudget.read import Line

_GOAL_ROW = re.compile(r"^(年度|长期)(绩效)?(目标|指标)")
_EQUALS_TAIL = re.compile(r"=\s*([\d,]+(?:\.\d+)?)\s*$")


def _amount(cell: str) -> Decimal | None:
    text = compact(cell).removesuffix("分")
    tail = _EQUALS_TAIL.search(text)
    if tail:
        text = tail.group(1)
    return parse_amount(text)


def parse_self_evaluation(region: Region, lines: list[Line]) -> SelfEvaluation:
    body = lines[region.start : region.end]
    ev = SelfEvaluation(
        title=region.title,
        scope="department" if region.table_id == "SE-D" else "project",
        title_line=region.title_line,
        first_line=body[0].number,
        last_line=next((ln.number for ln in reversed(body) if ln.layout != "blank"), body[-1].number),
    )
    m = re.search(r"[“\"](.+?)[”\"]", region.title) or re.search(r"[（(](.+?)[)）]自评表", region.title)
    ev.project_name = m.group(1) if m else ""
    reader = IndicatorReader(self_evaluation=True)
    expect_execution = False
    indicators_started = False
    for line in body:
        if line.number <= region.title_line or line.cells is None:
            continue
        words = [compact(c) for c in line.cells]
        present = [w for w in words if w]
        if not present:
            continue
        if present[0] == "项目名称" and len(present) > 1 and not ev.project_name:
            ev.project_name = present[1]
        if not indicators_started and not expect_execution:
            for i, word in enumerate(present[:-1]):
                label = re.sub(r"[（(].*?[)）]", "", word)
                value = _amount(present[i + 1])
                if label.endswith("总额") and value is not None:
                    ev.header_amounts[label] = value
        if present[0].startswith("预算执行情况"):
            _, ev.execution_weight = strip_weight(present[0])
            expect_execution = True
            row = present[1:]
            if any(_amount(w) is not None for w in row):
                _execution(ev, row)
                expect_execution = False
            continue
        if expect_execution:
            if sum(1 for w in present if _amount(w) is not None) >= 2:
                _execution(ev, present)
                expect_execution = False
            continue
        if present[0] == "总分" and len(present) > 1:
            ev.total_score = _amount(present[1])
            continue
        if not indicators_started:
            indicators_started = any("一级指标" in w for w in present) or bool(_GOAL_ROW.match(present[0]))
        if indicators_started:
            reader.feed(line.cells, line.number)
    ev.indicators = reader.indicators
    return ev


def _execution(ev: SelfEvaluation, cells: list[str]) -> None:
    amounts: list[Decimal] = []
    for cell in cells:
        pct = parse_percent(cell)
        if pct is not None:
            ev.execution_rate = pct
            continue
        value = _amount(cell)
        if value is None:
            continue
        if ev.execution_rate is None and len(amounts) < 2:
            amounts.append(value)
        elif ev.execution_rate is not None and ev.execution_score is None:
            ev.execution_score = value
    if amounts:
        ev.budget = amounts[0]
    if len(amounts) > 1:
        ev.executed = amounts[1]
