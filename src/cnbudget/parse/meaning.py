"""What each figure of the narrative is: whose money, what kind of figure, against what it is compared.

A narrative restates the tables in sentences such as "2026年一般公共预算财政拨款支出18,417.70万元，比2025年增加
2,781.90万元。其中：基本支出9,018.47万元……项目支出9,399.23万元" or, item by item, "“住房保障支出（类）住房改革
支出（款）住房公积金（项）”350.35万元……2023年当年预算执行数为348.52万元，2024年预算安排352.67万元，比2023年
预算执行数增加0.53%". A figure is only comparable with a table cell of the same scope and kind, and a rate
only with the base it names. Each claim is annotated with:

- its scope (`scope`): the fund its own words name (一般公共预算, 政府性基金, 国有资本经营, 财政拨款), or all funds
  when they name a total of income or spending without a fund; else the scope of the figure its sentence
  opens with ("其中" parts take their total's); else the scope its section heading names;
- its kind (`measure`): 执行数, 决算, 年初预算, 全年预算 or 预算, from the words just before the amount;
- the kind of figure a change is measured against (`base_measure`), and whether the figure is said to be
  the same as it (`flat`, 持平);
- the item paragraph it belongs to (`item`, `block`), in narratives that explain each function item in its
  own numbered paragraph.
"""

from __future__ import annotations

import re

from cnbudget.domain.catalog import fund_scope
from cnbudget.domain.text import compact
from cnbudget.model import NarrativeClaim, NarrativeSection

_ALL_FUNDS = re.compile(
    r"^(?:部门|单位|本部门|本单位)?(?:收支总|收入总|支出总|收入|支出|本年收入|本年支出)(?:预算|决算|合计|总计)?(?:数)?$"
)
"""A total of income or spending that names no fund: all funds (收入预算, 支出合计, 收支总预算)."""
_SECTION_SCOPES = (
    (re.compile(r"一般公共预算"), "一般公共预算"),
    (re.compile(r"政府性基金"), "政府性基金"),
    (re.compile(r"国有资本经营"), "国有资本经营"),
    (re.compile(r"财政拨款"), "财政拨款"),
    (
        re.compile(
            r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、])?\s*(?:20\d{2}年度?)?"
            r"(?:部门|单位|本部门)?(?:预算|决算)?(?:收支|收入|支出)"
        ),
        "全部",
    ),
)
"""A heading's scope: the fund it names, or all funds when it is about income or spending as a whole
("二、收入预算情况说明"); not a function class ("（一）社会保障和就业支出（类）")."""
_MEASURES = (
    (re.compile(r"执行(?:数)?"), "执行数"),
    (re.compile(r"决算"), "决算"),
    (re.compile(r"年初预算"), "年初预算"),
    (re.compile(r"全年预算|调整(?:后)?预算"), "全年预算"),
    (re.compile(r"预算|安排"), "预算"),
)
_BASE = re.compile(
    r"(?:比|较|与|同)\s*(?:上年度?|上一年|20\d{2}\s*年度?)\s*(?P<words>[^增减持下降上升，,。；;%\d]{0,10})"
)
_OWN_TAIL = re.compile(r"[；;。]|主要|其中|包括")
"""Where what a sentence says of its figure ends (the reasons and parts after it are about other figures)."""
_FLAT = re.compile(r"(?<!基本)(?<!大体)(?<!大致)持平")
_PATH = re.compile(r"[（(][类款项][)）]")
_ITEM_MARK = re.compile(
    r"(?:^|[。；;：:\n])(?:\d{1,2}[.．、]|[（(]\d{1,2}[)）]|[（(][一二三四五六七八九十]+[)）])?$|(?:\d{1,2}[.．、]|[（(]\d{1,2}[)）])$"
)
"""What precedes an item paragraph's path: nothing, the end of a sentence, or its number (1. / （1）)."""
_PARTS = re.compile(r"^其中")


def _own_scope(claim: NarrativeClaim) -> str:
    head = compact(claim.head)[-30:]
    found = fund_scope(claim.subject) or fund_scope(head)
    if found:
        return found
    if _ALL_FUNDS.match(compact(claim.subject)):
        return "全部"
    return ""


def _measure(claim: NarrativeClaim) -> str:
    near = compact(claim.head)[-14:]
    best, at = "", -1
    for pattern, measure in _MEASURES:
        for m in pattern.finditer(near):
            if m.start() > at or (m.start() == at and not best):
                best, at = measure, m.start()
    return best


def _base_measure(claim: NarrativeClaim) -> str:
    m = _BASE.search(claim.tail)
    if m is None:
        return ""
    words = m.group("words")
    for pattern, measure in _MEASURES:
        if pattern.search(words):
            return measure
    return ""


_SUBHEADING = re.compile(
    r"(?:^|[\n。；;])\s*(?P<mark>[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[)）])(?P<text>[^\n]{2,40})\n"
)
_MARK_LEVEL = (
    (re.compile(r"^[（(][一二三四五六七八九十]+[)）]$"), 2),
    (re.compile(r"^\d{1,2}[.．、]$"), 3),
    (re.compile(r"^[（(]\d{1,2}[)）]$"), 4),
)


def _scope_of(text: str) -> str:
    return next((scope for pattern, scope in _SECTION_SCOPES if pattern.search(text)), "")


def _subheading_scopes(section: NarrativeSection) -> list[tuple[int, str]]:
    """(line, scope) from each subheading of the section ("（五）一般公共预算当年拨款情况说明", "2.政府性基金
    预算当年拨款结构情况"): the scope that holds below it, a deeper heading narrowing it, a sibling ending it."""
    out: list[tuple[int, str]] = []
    stack: list[tuple[int, str]] = []
    for m in _SUBHEADING.finditer(section.text):
        depth = next((d for pattern, d in _MARK_LEVEL if pattern.match(m.group("mark"))), 3)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        stack.append((depth, _scope_of(m.group("text"))))
        current = next((scope for _, scope in reversed(stack) if scope), "")
        line, _ = section.place(m.start("text"))
        out.append((line, current))
    return out


def annotate(section: NarrativeSection) -> None:
    """Give each claim of ``section`` its scope, kind, base, and item paragraph."""
    heading_scope = _scope_of(section.heading)
    subheadings = _subheading_scopes(section)
    opening: dict[int, str] = {}
    block, item = -1, ""
    last_scoped = ""
    for claim in section.claims:
        own = _own_scope(claim)
        if claim.paragraph not in opening:
            # "其中：基本支出…" opening a sentence lists the parts of the total before it: its scope
            parts_of_before = _PARTS.match(claim.sentence.strip()) is not None
            opening[claim.paragraph] = own or (last_scoped if parts_of_before else "")
        if own:
            last_scoped = own
        under = next((scope for line, scope in reversed(subheadings) if line <= claim.line), None)
        claim.scope = (
            own or opening.get(claim.paragraph, "") or (under if under is not None else heading_scope)
        )
        claim.measure = _measure(claim)
        claim.base_measure = _base_measure(claim)
        claim.flat = bool(_FLAT.search(_OWN_TAIL.split(claim.tail, maxsplit=1)[0]))
        if _PATH.search(claim.subject) and _starts_item(claim):
            block += 1
            item = claim.subject.strip('“”"')
        claim.block, claim.item = block, item


def _starts_item(claim: NarrativeClaim) -> bool:
    """An item paragraph opens with its path: "1.“一般公共服务支出（类）…（项）”2.63万元" or "（一）…（项）…"."""
    head = compact(claim.head)
    path = compact(claim.subject).strip('“”"')
    at = head.rfind(path)
    if at < 0:
        return False
    before = head[:at].rstrip('“"')
    return not before or bool(_ITEM_MARK.search(before))
