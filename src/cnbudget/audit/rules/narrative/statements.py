"""The direction a sentence states: 决算数大于/小于/等于预算数 (NARR-DIRECTION-001), 与上年持平 (NARR-FLAT-001)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, claim_evidence, fmt
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.numbers import convert

# ---- the direction a sentence states: 决算数大于/小于/等于预算数, 与上年持平 ---------------------------------

_NUMBER = r"(\d[\d,，]*(?:\.\d+)?)\s*(万元|元)"
_BUDGET_AMOUNT = re.compile(r"(?:年初|全年|调整后)?预算(?:数)?(?:为|是|数为|：|:)?\s*" + _NUMBER)
_FINAL_AMOUNT = re.compile(r"决算(?:数)?(?:为|是|数为|：|:)?\s*" + _NUMBER)
_COMPLETION = re.compile(r"完成(?:年初|全年|调整后)?预算(?:数)?的?\s*(\d+(?:\.\d+)?)\s*[%％]")
_DIRECTION = re.compile(
    r"决算(?:数)?\s*(大于|高于|超过|多于|小于|低于|少于|等于|持平于?|与(?:年初|全年|调整后)?预算(?:数)?(?:基本)?持平)"
    r"(?!\s*[（(/／])"
)
_RELATION = {"大于": ">", "高于": ">", "超过": ">", "多于": ">", "小于": "<", "低于": "<", "少于": "<"}
_RELATION_WORD = {">": "大于", "<": "小于", "=": "等于"}
_ITEM_START = re.compile(r"\n|[（(]\d{1,2}[)）]|(?<![\d.])\d{1,2}[.．、](?!\d)|[一二三四五六七八九十]+[、是]")


def _amount(text: str, unit: str) -> Decimal:
    return convert(Decimal(text.replace(",", "").replace("，", "")), unit, "万元")


def _stated_relation(scope: str) -> tuple[str, str] | None:
    """The relation of 决算 to 预算 that the figures before a statement show: (">", "决算 … 预算 …")."""
    budgets = list(_BUDGET_AMOUNT.finditer(scope))
    finals = list(_FINAL_AMOUNT.finditer(scope))
    if budgets and finals:
        budget, final = budgets[-1], finals[-1]
        b, f = _amount(budget.group(1), budget.group(2)), _amount(final.group(1), final.group(2))
        relation = ">" if f > b else "<" if f < b else "="
        return relation, f"预算 {budget.group(1)}{budget.group(2)}、决算 {final.group(1)}{final.group(2)}"
    rates = list(_COMPLETION.finditer(scope))
    if rates:
        pct = Decimal(rates[-1].group(1))
        if abs(pct - 100) < Decimal("0.05") * (1 if "." in rates[-1].group(1) else 10):
            return None  # 100% as printed: equal, or a rounding away from it
        return (">" if pct > 100 else "<"), f"完成预算的 {rates[-1].group(1)}%"
    return None


@rule(
    "NARR-DIRECTION-001",
    family="narrative",
    kinds=("final",),
    description="“决算数大于（小于、等于）预算数”的表述与前面所写的预算数、决算数相符",
    rationale=(
        "决算说明在给出预算数、决算数和完成百分比后，用“决算数大于（小于）预算数的主要原因是……”说明差异；"
        "表述的方向与数字相反（决算数小于预算数却写“大于”，或两数不等却写“持平”），读者会被误导，"
        "也说明所写的原因可能不是这个项目的。"
    ),
    fix=(
        "取同一项（同一编号或同一段）中表述之前最近的预算数和决算数比较，没有金额时用完成百分比"
        "（印刷为100%的不判断）。部门应改正方向用语，并核对所写的原因是否与之相符。"
    ),
)
def stated_direction(ctx: Context) -> Iterator[Finding]:
    for section in ctx.doc.narrative:
        text = section.text
        if "决算" not in text:
            continue
        starts: list[int] | None = None
        for m in _DIRECTION.finditer(text):
            if starts is None:
                starts = [s.start() for s in _ITEM_START.finditer(text)]
            begin = starts[bisect_right(starts, m.start() - 1) - 1] if starts and starts[0] < m.start() else 0
            scope = text[begin : m.start()]
            shown = _stated_relation(scope)
            if shown is None:
                continue
            relation, figures = shown
            word = m.group(1)
            said = _RELATION.get(word, "=")
            if said == relation:
                continue
            line, page = section.place(m.start())
            sentence = text[max(0, m.start() - 60) : m.end() + 10].replace("\n", " ")
            yield ctx.finding(
                f"情况说明{ctx.cite(line, page)}称“决算数{word}预算数”，但{figures}，决算数{_RELATION_WORD[relation]}预算数",
                evidence=[Evidence("line", line=line, page=page, text=sentence)],
            )


_FLAT = re.compile(r"(?<!基本)(?<!大体)(?<!大致)持平")
_OTHER_ITEMS = re.compile(r"[：:]|主要|其中|包括|原因|具体|分别")


@rule(
    "NARR-FLAT-001",
    family="narrative",
    description="说“与上年持平”的项目没有同时写出增减额或增减率",
    rationale="“持平”表示与上年相同；同一句写了不为零的增减额或增减率又称“持平”，两种说法必有一错。",
    fix=(
        "只检查同一分句中既写了增减额（率）又写了“持平”的（“基本持平”“大体持平”不检查）。"
        "部门应删去其一，或改为“基本持平”并写明增减数。"
    ),
)
def flat_but_changed(ctx: Context) -> Iterator[Finding]:
    for claim in ctx.doc.claims:
        change = claim.change_amount if claim.change_amount not in (None, 0) else claim.change_pct
        own = _OTHER_ITEMS.split(claim.tail, maxsplit=1)[0]  # "…减少2.61万元，主要是：因公出国费与上年持平"
        if change is None or change == 0 or not _FLAT.search(own):
            continue
        yield ctx.finding(
            f"情况说明{ctx.cite(claim.line, claim.page)}“{claim.subject} {claim.raw}”写明增减 {fmt(change)}"
            f"{'%' if claim.change_amount in (None, 0) else ' 万元'}，同一句又称“持平”",
            evidence=[claim_evidence(claim)],
        )
