"""NARR-CHANGE-001 and NARR-BASE-001: a change and its rate recompute, against the base the sentence names."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, claim_evidence, fmt
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import rule
from cnbudget.audit.rules.narrative.common import (
    TRUNCATED_NOTE,
    pct_ok,
    pct_range,
    pct_truncated,
    same_places,
    tolerance_of,
)
from cnbudget.domain.vocabulary import Severity
from cnbudget.model import NarrativeClaim


@rule(
    "NARR-CHANGE-001",
    family="narrative",
    description="情况说明中的增减率与增减额相符（增减率 = 增减额 ÷ 上年数）",
    rationale=(
        "增减率 = 增减额 ÷ 上年数 × 100%，其中上年数 = 本年数 − 增减额；"
        "说明中的增减额与增减率必须满足这一关系，增减方向也必须一致。"
    ),
    fix=(
        "以“本年数 − 增减额”推算上年数并复算增减率（考虑数字的四舍五入区间）："
        "方向相反或偏差超出舍入范围为错误，截尾造成的为警告，"
        "推算的上年数为零或负数时增减率无意义也报错（新增事项按惯例写作“增长100%”的只作提示）。部门应更正增减额、增减率或本年数；上年无此项的，"
        "宜写明“上年无此项支出”而不写增长率。"
    ),
)
def change_rates(ctx: Context) -> Iterator[Finding]:
    for claim in ctx.doc.claims:
        if claim.change_amount is None or claim.change_pct is None or claim.amount is None:
            continue
        if claim.change_amount == 0 and claim.change_pct == 0:
            continue  # "增加（减少）0万元，增长（下降）0%": no change, whatever the prior year had
        prior = claim.amount - claim.change_amount
        prior_tol = tolerance_of(claim.amount) + tolerance_of(claim.change_amount)
        if (
            (claim.change_amount > 0) != (claim.change_pct > 0)
            and claim.change_amount != 0
            and claim.change_pct != 0
        ):
            yield _change_finding(ctx, claim, prior, None, "增减方向与增减率的正负不一致")
            continue
        rng = pct_range(abs(claim.change_amount), tolerance_of(claim.change_amount), prior, prior_tol)
        if pct_ok(claim.change_pct, rng):
            continue
        if abs(prior) <= prior_tol and claim.change_pct == 100:
            why = "上年数为零（新增事项），按惯例写作“增长100%”：不是错误，宜写明“上年无此项”"
            yield _change_finding(ctx, claim, prior, None, why, "info")
            continue
        if pct_truncated(claim.change_pct, rng):
            why = f"上年数 {fmt(prior)} 推算的增减率{TRUNCATED_NOTE}"
            yield _change_finding(ctx, claim, prior, None, why, "warning")
            continue
        expected = (
            same_places(abs(claim.change_amount) * 100 / prior, claim.change_pct) if prior > 0 else None
        )
        why = (
            f"上年数 {fmt(prior)} 推算的增减率应为 {expected}%" if expected is not None
            else f"上年数为 {fmt(prior)}，不能计算增减率"
        )  # fmt: skip
        yield _change_finding(ctx, claim, prior, expected, why)


def _change_finding(
    ctx: Context,
    claim: NarrativeClaim,
    prior: Decimal,
    expected: Decimal | None,
    why: str,
    severity: Severity = "error",
) -> Finding:
    return ctx.finding(
        f"情况说明{ctx.cite(claim.line, claim.page)}“{claim.subject} {claim.raw}，增减 {fmt(claim.change_amount)} 万元，"
        f"{claim.change_pct}%”：{why}",
        severity=severity,
        expected=expected,
        actual=claim.change_pct,
        evidence=[claim_evidence(claim)],
    )


def named_base(claims: list[NarrativeClaim], i: int) -> NarrativeClaim | Decimal | None:
    """The figure claim ``i``'s change is measured against: printed in its own sentence ("较上年的7.80万元"),
    else the figure of the year (and kind) its comparison names, before it in the same item paragraph or
    sentence ("2022年当年预算执行数为1.48万元，2023年预算安排2.63万元，比2022年预算执行数增加77.70%")."""
    claim = claims[i]
    if claim.base_amount is not None:
        return claim.base_amount
    if claim.compared_year is None:
        return None
    for other in reversed(claims[:i]):
        if other.section != claim.section:
            break
        same_place = (claim.block >= 0 and other.block == claim.block) or other.paragraph == claim.paragraph
        if not same_place:
            if other.paragraph < claim.paragraph - 1 or (claim.block >= 0 and other.block != claim.block):
                break
            continue
        if (
            other.amount is not None
            and other.unit == claim.unit
            and other.year == claim.compared_year
            and (not claim.base_measure or not other.measure or other.measure == claim.base_measure)
        ):
            return other
    return None


def _item_heading(claims: list[NarrativeClaim], i: int) -> NarrativeClaim | None:
    """The figure that opens claim ``i``'s item paragraph ("“…住房公积金（项）”350.35万元"), if any."""
    claim = claims[i]
    if claim.block < 0:
        return None
    return next(
        (
            c
            for c in claims[:i]
            if c.section == claim.section
            and c.block == claim.block
            and c.item
            and c.subject.strip('“”"') == c.item
        ),
        None,
    )


def _from_zero(ctx: Context, where: str, pct: Decimal, evidence: list[Evidence]) -> Iterator[Finding]:
    """A change from a base of zero has no rate; "增长100%" is the custom, said as a note."""
    if abs(pct) == 100:
        yield ctx.finding(
            f"{where}：所比较的数为零，按惯例写作“增长100%”：不是错误，宜写明“上年无此项”",
            severity="info", evidence=evidence,
        )  # fmt: skip


def _rate_fits_item(claims: list[NarrativeClaim], i: int, pct: Decimal, base: Decimal) -> bool:
    """Does the rate fit the figure of the item the claim restates (its heading's), rather than the claim's?"""
    heading = _item_heading(claims, i)
    if heading is None or heading.amount is None or heading.amount == claims[i].amount:
        return False
    other = heading.amount - base
    return pct_ok(
        abs(pct),
        pct_range(
            abs(other), tolerance_of(heading.amount) + tolerance_of(base), abs(base), tolerance_of(base)
        ),
    )


@rule(
    "NARR-BASE-001",
    family="narrative",
    description="增减额、增减率、增减方向和“持平”与句中所比较的数相符（“比2025年执行数增加12.50%”）",
    rationale=(
        "说明写出本年数和所比较的数（上年预算数、上年执行数、上年决算数）后，再写“增加（减少）××万元，"
        "增长（下降）××%”或“持平”；增减额应等于两数之差，增减率应等于差额除以所比较的数，方向应与两数的大小一致。"
        "逐项说明的段落常从上一段复制，数字改了而增减率、“增加”“减少”没有改（上年执行数5,000.00万元、本年预算"
        "1,000.00万元，却写“增加12.50%”）。"
    ),
    fix=(
        "所比较的数取同一句中印出的（“较上年的7.80万元”），否则取同一逐项段落或同一句中、年度（和执行数、预算数等"
        "口径）与比较对象相符的数；复算时考虑各数的四舍五入区间。方向相反、增减额或增减率超出舍入范围为错误，"
        "增减率截尾的为警告；所比较的数为零而写“增长100%”的按惯例只作提示。部门应更正增减额、增减率或方向用语。"
    ),
)
def change_against_base(ctx: Context) -> Iterator[Finding]:
    claims = ctx.doc.claims
    for i, claim in enumerate(claims):
        if claim.amount is None or (
            claim.change_amount is None and claim.change_pct is None and not claim.flat
        ):
            continue
        found = named_base(claims, i)
        base = found if isinstance(found, Decimal) or found is None else found.amount
        if base is None:
            continue
        shown = f"{fmt(base)}{claim.unit}"
        where = (
            f"情况说明{ctx.cite(claim.line, claim.page)}“{claim.subject} {claim.raw}”（所比较的数 {shown}）"
        )
        evidence = [claim_evidence(claim)] + (
            [] if isinstance(found, Decimal) or found is None else [claim_evidence(found)]
        )
        diff = claim.amount - base
        tol = tolerance_of(claim.amount) + tolerance_of(base)
        if claim.flat and claim.change_amount in (None, 0) and claim.change_pct in (None, 0):
            if abs(diff) > tol:
                yield ctx.finding(
                    f"{where}：称“持平”，但两数相差 {fmt(diff)}", expected=base, actual=claim.amount,
                    difference=diff, evidence=evidence,
                )  # fmt: skip
            continue
        if claim.change_amount is not None:
            if abs(diff - claim.change_amount) > tol + tolerance_of(claim.change_amount):
                yield ctx.finding(
                    f"{where}：增减 {fmt(claim.change_amount)}{claim.unit}，但两数之差为 {fmt(diff)}",
                    expected=diff, actual=claim.change_amount, difference=claim.change_amount - diff,
                    evidence=evidence,
                )  # fmt: skip
            continue  # the rate against the change is NARR-CHANGE-001's
        pct = claim.change_pct
        assert pct is not None
        if diff and pct and (diff > 0) != (pct > 0):
            word, real = ("增长" if pct > 0 else "下降"), ("增加" if diff > 0 else "减少")
            yield ctx.finding(
                f"{where}：写作“{word}{abs(pct)}%”，但本年数比所比较的数{real} {fmt(abs(diff))}：增减方向说反了",
                expected=diff, actual=pct, evidence=evidence,
            )  # fmt: skip
            continue
        if abs(base) <= tolerance_of(base):
            yield from _from_zero(ctx, where, pct, evidence)
            continue
        rng = pct_range(abs(diff), tol, abs(base), tolerance_of(base))
        if pct_ok(abs(pct), rng):
            continue
        if _rate_fits_item(claims, i, pct, base):
            continue  # the rate fits the item's own figure: the restated one is wrong (NARR-REPEAT-001)
        expected = same_places(abs(diff) * 100 / abs(base), pct)
        truncated = pct_truncated(abs(pct), rng)
        yield ctx.finding(
            f"{where}：增减率 {abs(pct)}% 与两数不符，按两数应为 {expected}%" + (TRUNCATED_NOTE if truncated else ""),
            severity="warning" if truncated else "error",
            expected=expected, actual=abs(pct), evidence=evidence,
        )  # fmt: skip
