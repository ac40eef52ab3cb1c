"""NARR-SHARE-001: a share (占…%) recomputes from the figures it relates."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, claim_evidence, fmt
from cnbudget.audit.figures import FigureIndex, canonical, figure_index
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.audit.rules.narrative.common import (
    TRUNCATED_NOTE,
    USUAL_BASE,
    pct_ok,
    pct_range,
    pct_truncated,
    same_places,
    tolerance_of,
)
from cnbudget.domain.vocabulary import UNUSABLE_STATUSES
from cnbudget.model import NarrativeClaim


def _bases(ctx: Context, claim: NarrativeClaim, index: FigureIndex) -> tuple[list[Decimal], list[Decimal]]:
    """(named, other): the figures of the base the sentence names ("占“三公”经费的"), and the usual bases."""
    same = [
        c for c in ctx.doc.claims if c.section == claim.section and c.line <= claim.line and c is not claim
    ]
    named: list[Decimal] = []
    canon = canonical(claim.share_base) if claim.share_base else None
    if canon:
        named.extend(v for r in index.by_key.get(canon, []) if (v := r.value_in(claim.unit)) is not None)
        named.extend(c.amount for c in same if c.amount is not None and canonical(c.subject) == canon)
    bases = [
        c.amount
        for c in same
        if c.amount is not None and claim.amount is not None and c.amount >= claim.amount
    ]
    for name in ("收支总计", "收入", "支出", "一般公共预算拨款", "基本支出", "项目支出", "三公"):
        bases.extend(v for r in index.by_key.get(name, []) if (v := r.value_in(claim.unit)) is not None)
    return named, bases


def _pct_adjusted(printed: Decimal, rng: tuple[Decimal, Decimal] | None) -> bool:
    """One unit of the last printed digit off: shares are evened out so that they add up to 100%."""
    if rng is None:
        return False
    unit = 2 * tolerance_of(printed)
    return rng[0] - 3 * unit / 2 <= abs(printed) <= rng[1] + 3 * unit / 2


@rule(
    "NARR-SHARE-001",
    family="narrative",
    description="情况说明中的占比（占 X%）与金额相符",
    rationale=(
        "说明中“占 X%”的比例应能由所述金额除以其基数（句中点名的基数，如“占‘三公’经费的”，就只用它；"
        "未点名时为同节前文的较大金额，或收支总计、支出合计、基本支出、项目支出、“三公”经费等报表总额）得出，"
        "否则比例或金额有误。"
    ),
    fix=(
        "用所述金额和应有基数复算比例，计算时考虑各印出数字的四舍五入区间；"
        "只要有一个合理基数能得出所印比例即不报告；所印比例是截尾而非四舍五入所得的为警告；"
        "其余与复算结果只差末位一个单位的不报告（各项占比常被调整到合计 100%）。"
        "部门应更正比例或金额，并确认所用基数正确。"
    ),
)
def shares(ctx: Context) -> Iterator[Finding]:
    index = figure_index(ctx)
    for claim in ctx.doc.claims:
        if claim.share_pct is None or claim.amount is None:
            continue
        named, others = _bases(ctx, claim, index)
        if claim.share_base and not named and not USUAL_BASE.match(claim.share_base):
            # the sentence names its base ("占财政性资金（人员类……除外）总额的比例"), which no table or figure states:
            # the share cannot be checked against another base
            ctx.not_here(f"“{claim.share_base}”不是报表或说明中的数，不核对以其为基数的占比")
            continue
        bases = named or others  # a base the sentence names is the base
        tol = tolerance_of(claim.amount)
        ranges = [pct_range(claim.amount, tol, b, tolerance_of(b)) for b in bases]
        if any(pct_ok(claim.share_pct, r) for r in ranges):
            continue
        truncated = any(pct_truncated(claim.share_pct, r) for r in ranges)
        if not truncated and any(_pct_adjusted(claim.share_pct, r) for r in ranges):
            continue
        if any(t.status in UNUSABLE_STATUSES for t in ctx.doc.tables):
            continue  # the base may be a figure of the table that could not be read
        amount, printed = claim.amount, claim.share_pct
        candidates = [b for b in bases if b >= amount and b > 0]
        base = min(candidates, key=lambda b: abs(amount * 100 / b - printed), default=None)
        expected = same_places(amount * 100 / base, printed) if base else None
        yield ctx.finding(
            f"情况说明{ctx.cite(claim.line, claim.page)}“{claim.subject} {claim.raw}，占 {claim.share_pct}%”：占比与金额不符"
            + (
                f"（按 {claim.share_base + ' ' if claim.share_base else ''}{fmt(base)} 计算应为 {expected}%）"
                if base
                else ""
            )
            + (TRUNCATED_NOTE if truncated else ""),
            severity="warning" if truncated else "error",
            expected=expected,
            actual=claim.share_pct,
            evidence=[claim_evidence(claim)],
        )
