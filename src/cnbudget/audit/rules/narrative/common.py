"""Helpers of the narrative rules: tolerances and percentage intervals for printed figures, and the words that narrow or widen what a figure is about."""

from __future__ import annotations

import re
from decimal import Decimal

from cnbudget.audit.context import Context
from cnbudget.model import NarrativeClaim

TAIL = Decimal("0.02")
COMPARING = re.compile(
    r"较上年|比上年|与上年|上年同期|同比|(?:比|较)\s*20\d{2}\s*年"
    r"|由[^，。；]{0,30}(?:增加|减少|增长|下降|调增|调减|提高|降低|调整)(?:至|到|为)"
)
"""A figure set against another year's: "较上年", "较2025年", "由2025年177万元增加至237万元"."""
NESTED = re.compile(r"包括|其中|主要用于")
GENERIC_WORDS = re.compile(
    r"^(?:本年|当年|本部门|本单位)?(?:预算|年初预算|全年预算)?(?:安排|预算|预算数|执行数|决算数|支出|收入|金额|资金|合计)"
    r"(?:预算|数|支出)?$"
)
"""Subjects that name no figure of their own: 预算安排, 预算数, 支出 …"""
USUAL_BASE = re.compile(r"^(?:比|其|本年[收支出入]+|总?[收支]出?(?:总额|合计)?|合计|总额)$")
"""Words of a share that name no base of their own ("占比", "占本年支出"): the usual bases are tried."""
THRESHOLD = re.compile(r"\s*(?:以上|以下|以内|及以上|及以下|左右)")


def tolerance_of(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Decimal(5).scaleb(-(decimals + 1))


def pct_range(
    num: Decimal, num_tol: Decimal, den: Decimal, den_tol: Decimal
) -> tuple[Decimal, Decimal] | None:
    lo_den, hi_den = den - den_tol, den + den_tol
    if lo_den <= 0:
        return None
    values = [(n * 100) / d for n in (num - num_tol, num + num_tol) for d in (lo_den, hi_den)]
    return min(values), max(values)


def pct_ok(printed: Decimal, rng: tuple[Decimal, Decimal] | None) -> bool:
    if rng is None:
        return False
    half = tolerance_of(printed)
    return rng[0] - half <= abs(printed) <= rng[1] + half


def pct_truncated(printed: Decimal, rng: tuple[Decimal, Decimal] | None) -> bool:
    """The printed percentage cuts off the digits instead of rounding them (95.457 → 95.45)."""
    if rng is None:
        return False
    unit = 2 * tolerance_of(printed)
    return rng[0] - unit <= abs(printed) <= rng[1]


def same_places(value: Decimal, printed: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(min(int(printed.as_tuple().exponent), 0)))


TRUNCATED_NOTE = "（说明的数字是截尾而非四舍五入的结果）"


def is_budget_figure_of_final(ctx: Context, claim: NarrativeClaim) -> bool:
    """Final accounts quote 年初预算 next to 决算: the budget figure is in no table."""
    head = claim.head
    return ctx.kind == "final" and (
        "预算为" in head[-12:] or "全年预算" in head[-12:] or "预算数" in head[-10:]
    )


NARROWING = ("基本支出", "项目支出", "人员经费", "公用经费", "人员支出", "公用支出")


def narrowed_by_whole(claim: NarrativeClaim, claims: list[NarrativeClaim]) -> str:
    """The column a 其中 part is restricted to by its whole ("项目支出 270.00万元，其中：教育支出 270.00万元" →
    项目支出), when the part's own words do not name it; else ""."""
    if any(word in claim.subject for word in NARROWING):
        return ""
    same = [c for c in claims if c.sentence == claim.sentence and c.line <= claim.line]
    for whole in reversed(same):
        if whole is claim or whole.position >= claim.position >= 0:
            continue
        if "其中" in claim.sentence[whole.position : claim.position if claim.position >= 0 else None]:
            return next((word for word in NARROWING if word in whole.subject), "")
    return ""
