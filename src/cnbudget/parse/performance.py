"""Performance goal tables: 部门整体支出绩效目标表 (B11) and 项目支出绩效目标表 / 项目申报表 (B12-n)."""

from __future__ import annotations

import re
from decimal import Decimal

from cnbudget.domain.numbers import amount_text, is_code, parse_amount
from cnbudget.domain.text import compact
from cnbudget.model import FundSource, PerformanceTable
from cnbudget.parse.indicators import _BASIS, _LEVEL1, _LEVEL2, IndicatorReader, split_fragment_value
from cnbudget.parse.segment import Region
from cnbudget.parse.tables.common import caption_unit
from cnbudget.parse.targets import looks_like_value
from cnbudget.read import Line

_FUND_ROW = re.compile(r"^(\S.*?)\s+(\d[\d,]*(?:\.\d+)?)\s*(?:万元)?(?:\s|$)")
_INDICATOR_HEADER = re.compile(r"一级|长期绩效指标|年度绩效指标|三级指标")
_GOAL_END = re.compile(r"绩效指标|一级|指标$")
_NUMERIC_ONLY = re.compile(r"[\d.,/%]+")
_UNIT_FRAGMENT = re.compile(r"[^\d≥≤<>=/]{1,3}")

_AMOUNT_IN_TEXT = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:万元|元)?$")
_FUND_START = ("项目资金来源", "资金来源", "总体资金情况", "部门总体资金情况")
_FUND_END = ("项目支出明细", "部门职能概述", "项目支出明细测算", "依据项目支出预算")
_PROJECTS_START = ("项目支出情况",)
_PROJECTS_END = ("整体绩效", "总目标", "整体绩效目标")
_GOAL_START = re.compile(r"^(长期|年度)(绩效)?目标\s*\d+")
_INDICATORS_START = (
    "一级指标",
    "长期绩效指标",
    "年度绩效指标",
    "长期绩效目标表",
    "年度绩效目标表",
    "项目绩效总目标",
)


def _first_amount(cells: list[str]) -> tuple[int, Decimal | None, str]:
    for i, c in enumerate(cells):
        text = compact(c).removesuffix("万元").removesuffix("元")
        if amount_text(text) is not None and not is_code(text):
            return i, parse_amount(text), c.strip()
    return -1, None, ""


def _value_after(words: list[str], label: str) -> str:
    for i, w in enumerate(words):
        if w == label or w.startswith(label) and len(w) <= len(label) + 2:
            for nxt in words[i + 1 :]:
                if nxt:
                    return nxt
    return ""


def _line_cells(line: Line) -> list[str]:
    if line.cells is not None:
        return line.cells
    return [line.stripped]


def parse_performance(region: Region, lines: list[Line], default_unit: str) -> PerformanceTable:
    body = lines[region.start : region.end]
    table = PerformanceTable(
        id=region.table_id,
        title=region.title,
        title_line=region.title_line,
        first_line=body[0].number,
        last_line=next((ln.number for ln in reversed(body) if ln.layout != "blank"), body[-1].number),
        amount_unit=caption_unit(body[:12]) or default_unit,
    )
    content = [ln for ln in body if ln.layout not in ("blank", "rule") and ln.number > region.title_line]
    celled = sum(1 for ln in content if ln.cells is not None)
    if celled >= max(2, len(content) // 4):
        _read_cells(table, content)
    else:
        _read_text(table, content)
    return table


def _read_cells(table: PerformanceTable, content: list[Line]) -> None:
    """Header fields and fund lines come first; from the first goal or indicator row on, only indicators."""
    reader = IndicatorReader()
    section = ""
    position = 0
    for position, line in enumerate(content):  # noqa: B007 - position is used after the loop
        cells = _line_cells(line)
        all_words = [c.replace(" ", "") for c in cells]
        words = [w for w in all_words if w]
        if not words:
            continue
        head = words[0]
        if (
            any(w.startswith(_INDICATORS_START) for w in words)
            or _LEVEL1.match(head)
            or _GOAL_START.match(head)
        ):
            break
        _form_fields(table, all_words, words)
        if head in _FUND_START or (len(words) > 1 and words[1] in _FUND_START):
            section = "funds"
        elif head.startswith(_FUND_END) or head.startswith(_PROJECTS_END):
            section = ""
        elif head in _PROJECTS_START:
            section = "projects"
        if section == "funds":
            idx, amount, raw = _first_amount(words)
            labels = [w for w in words[: idx if idx >= 0 else len(words)] if w not in _FUND_START]
            if idx >= 0 and labels:
                others = [a for a in (parse_amount(w) for w in words[idx + 1 :]) if a is not None]
                share = _share(words[idx + 1]) if idx + 1 < len(words) else None
                table.funds.append(FundSource(labels[-1], amount, raw, line.number, others, share))
                if labels[-1] == "合计" and table.total_budget is None and table.id == "B11":
                    table.total_budget = amount
        elif section == "projects":
            idx, amount, raw = _first_amount(words)
            if idx >= 1:
                table.projects.append(FundSource(label=words[0], amount=amount, raw=raw, line=line.number))
    else:
        position = len(content)
    for line in content[position:]:
        reader.feed(_line_cells(line), line.number)
    table.goals, table.indicators = reader.goals, reader.indicators


def _form_fields(table: PerformanceTable, all_words: list[str], words: list[str]) -> None:
    if not table.project_name and table.id.startswith("B12") and "项目名称" in all_words:
        table.project_name = _value_after(all_words, "项目名称")
    if not table.project_code and "项目编码" in all_words:
        code = _value_after(all_words, "项目编码")
        table.project_code = code if is_code(code) else ""
    for label, attr in (("项目总预算", "total_budget"), ("项目当年预算", "current_budget")):
        if getattr(table, attr) is None and label in words:
            idx = words.index(label)
            _, amount, _ = _first_amount(words[idx + 1 : idx + 2] or [""])
            setattr(table, attr, amount)


def _fund_line(table: PerformanceTable, text: str, number: int) -> None:
    """A line of the funds block above the indicators (资金来源 and amounts), in the space layout."""
    fund = _FUND_ROW.match(text)
    if not fund or re.match(r"^\d", fund.group(1)) or "电话" in fund.group(1):
        return
    rest = text[fund.end() :].split()
    others = [a for a in (parse_amount(word) for word in rest) if a is not None]
    label = compact(fund.group(1))
    share = _share(rest[0]) if rest else None
    source = FundSource(label, parse_amount(fund.group(2)), fund.group(2), number, others, share)
    table.funds.append(source)
    if label == "合计" and table.id == "B11" and table.total_budget is None:
        table.total_budget = source.amount


def _level_line(reader: IndicatorReader, pending: str, flat: str) -> bool:
    """A line naming a level-1 or level-2 indicator (alone, or completing the words before it) sets it."""
    level = next((c for c in (flat, pending + flat) if _LEVEL1.match(c) or _LEVEL2.match(c)), None)
    if level is None:
        return False
    if _LEVEL1.match(level):
        reader.level1, reader.level2 = level, ""
    else:
        reader.level2 = level if level.endswith(("指标", "满意度")) else level + "指标"
    return True


def _read_text(table: PerformanceTable, content: list[Line]) -> None:
    """Space layout: fragments on their own lines; an indicator ends at its basis (计划标准 …)."""
    reader = IndicatorReader()
    started = False
    goal_open = False
    names: list[str] = []
    values: list[str] = []

    def emit(basis: str, line: int) -> None:
        merged = merge_value_tokens(values)
        name = "".join(names)
        if name and merged:
            reader.feed([reader.level1, reader.level2, name, *merged, basis], line)
        names.clear()
        values.clear()

    for line in content:
        text = line.stripped
        flat = compact(text)
        _header_fields(table, text, flat)
        if not started:
            _fund_line(table, text, line.number)
            if _INDICATOR_HEADER.search(flat):
                started = True
            continue
        goal = _GOAL_TEXT.match(flat) or (_GOAL_TEXT.match("".join(names) + flat) if names else None)
        if goal:
            names.clear()
            emit("", line.number)
            number = goal.group(2)
            reader._goal(goal.group(1), number, flat[goal.end() :], line.number)
            goal_open = True
            continue
        if goal_open and not _GOAL_END.search(flat):
            reader.goals[-1].text += flat
            continue
        goal_open = False
        if not values and _level_line(reader, "".join(names), flat):
            names.clear()
            continue
        if _TEXT_HEADER.search(flat):
            names.clear()
            continue
        tokens = text.split()
        basis = tokens.pop() if tokens and _BASIS.match(tokens[-1]) else ""
        if tokens:
            previous_value = values[-1] if values else ""
            if _is_value_fragment(tokens, previous_value):
                values.extend(tokens)
            else:
                if values:
                    emit("", line.number)
                name_part, found = split_fragment_value(" ".join(tokens))
                names.append(name_part)
                values.extend(found)
        if basis:
            emit(basis, line.number)
    emit("", content[-1].number if content else 0)
    table.goals, table.indicators = reader.goals, reader.indicators


_GOAL_TEXT = re.compile(r"^(长期|年度)目标(\d+)?[:：]")
_TEXT_HEADER = re.compile(
    r"绩效指标$|^指标值|^二级指标|^三级指标|^一级$|^指标$|指标值确定依据|^目标名称|^前年|^上年|^预计当年|^实现$|^定依据$"
)
_COMPARATOR_ONLY = re.compile(r"^[≥≤<>=＞＜]$")


def _is_value_fragment(tokens: list[str], previous: str) -> bool:
    flat = "".join(tokens)
    if _COMPARATOR_ONLY.match(flat) or _NUMERIC_ONLY.fullmatch(flat):
        return True
    if len(flat) <= 2 and not re.search(r"\d", flat) and re.search(r"[\d≥≤]$", previous):
        return True  # a unit wrapped onto its own line ("6000" / "人")
    return all(looks_like_value(t) or _COMPARATOR_ONLY.match(t) for t in merge_value_tokens(tokens))


def merge_value_tokens(tokens: list[str]) -> list[str]:
    """Rejoin values split by wrapping: ["≥", "6000", "人"] → ["≥6000人"]."""
    out: list[str] = []
    for tok in tokens:
        if out and (
            _COMPARATOR_ONLY.match(out[-1]) or (_UNIT_FRAGMENT.fullmatch(tok) and re.search(r"\d$", out[-1]))
        ):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _header_fields(table: PerformanceTable, text: str, flat: str) -> None:
    m = re.match(r"^项目名称\s*(\S+)", text)
    if m and not table.project_name:
        table.project_name = m.group(1)
        code = re.search(r"项目编码\s*(\S+)", text)
        table.project_code = code.group(1) if code else ""
    for label, attr in (("项目当年预算", "current_budget"), ("项目总预算", "total_budget")):
        if flat.startswith(label) and getattr(table, attr) is None:
            am = _AMOUNT_IN_TEXT.search(flat)
            setattr(table, attr, parse_amount(am.group(1)) if am else None)


_SHARE = re.compile(r"^(\d{1,3}(?:\.\d+)?)\s*[%％]$")


def _share(word: str) -> Decimal | None:
    """A printed share ("28.42%"), or None."""
    m = _SHARE.match(word.strip())
    return Decimal(m.group(1)) if m else None
