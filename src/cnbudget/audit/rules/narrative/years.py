"""The prior-year figures a change implies agree (NARR-PRIOR-…), years are this year's (NARR-YEAR-…), and a completion rate recomputes (NARR-COMPLETION-001)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, claim_evidence, fmt
from cnbudget.audit.figures import normalise
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import rule
from cnbudget.audit.rules.narrative.common import (
    COMPARING,
    GENERIC_WORDS,
    TAIL,
    THRESHOLD,
    TRUNCATED_NOTE,
    is_budget_figure_of_final,
    pct_ok,
    pct_range,
    pct_truncated,
    same_places,
    tolerance_of,
)
from cnbudget.model import NarrativeClaim


@rule(
    "NARR-PRIOR-001",
    family="narrative",
    basis="consistency",
    description="同一项目在说明各处隐含的上年数一致",
    rationale="同一项目在说明多处与上年比较时，由“本年数 − 增减额”推算出的上年数是同一个数，必须一致。",
    fix=(
        "对报告列出的两处说明分别推算上年数，两者相差超过印刷精度加 0.02 万元即报告。"
        "部门应核实上年实际数，统一各处的增减额（和本年数）。"
    ),
)
def prior_consistent(ctx: Context) -> Iterator[Finding]:
    by_subject: dict[tuple[str, str, str], list[tuple[NarrativeClaim, Decimal]]] = defaultdict(list)
    for claim in ctx.doc.claims:
        if claim.change_amount is None or claim.amount is None:
            continue
        subject = normalise(claim.subject)
        if GENERIC_WORDS.match(subject):
            # "预算安排 6.02万元": words that name no figure of their own (the item is in the sentence before)
            ctx.not_here(f"“{claim.subject}”不指明是哪一项，不与其他同名表述比较上年数")
            continue
        by_subject[(subject, claim.scope, claim.measure)].append((claim, claim.amount - claim.change_amount))
    for (subject, _, _), items in by_subject.items():
        first, prior = items[0]
        for claim, other in items[1:]:
            if (
                abs(other - prior)
                > tolerance_of(first.amount or Decimal(0)) + tolerance_of(claim.amount or Decimal(0)) + TAIL
            ):
                yield ctx.finding(
                    f"“{subject}”的上年数前后不一致：{ctx.cite(first.line, first.page)}推算为 {fmt(prior)}，"
                    f"{ctx.cite(claim.line, claim.page)}推算为 {fmt(other)}",
                    expected=prior,
                    actual=other,
                    difference=other - prior,
                    evidence=[claim_evidence(first), claim_evidence(claim)],
                )


@rule(
    "NARR-PRIOR-002",
    family="narrative",
    basis="consistency",
    kinds=("budget",),
    description="说明推算的上年收支总额与整体绩效目标表所列上年金额一致",
    rationale=(
        "情况说明中收支总预算与上年比较所隐含的上年数，"
        "与部门整体支出绩效目标表“近两年收支金额”中所列上年金额是同一数。"
    ),
    fix=(
        "以说明中的收支总预算减增减额推算上年数，与整体支出绩效目标表资金合计行最后一列（上年）比较，"
        "相差超过印刷精度加 0.02 万元即报告。部门应核实上年预算数后统一两处。"
    ),
)
def prior_vs_b11(ctx: Context) -> Iterator[Finding]:
    b11 = ctx.doc.performance_table("B11")
    if b11 is None or not ctx.year:
        return
    fund = next((f for f in b11.funds if f.label == "合计" and f.others), None)
    if fund is None:
        return
    last_year = fund.others[-1]
    for claim in ctx.doc.claims:
        if (
            claim.change_amount is None
            or claim.amount is None
            or normalise(claim.subject) not in ("收支总预算", "部门收支总预算", "收支总计")
        ):
            continue
        prior = claim.amount - claim.change_amount
        if abs(prior - last_year) > tolerance_of(claim.amount) + tolerance_of(claim.change_amount) + TAIL:
            yield ctx.finding(
                f"情况说明{ctx.cite(claim.line, claim.page)}推算上年收支总额为 {fmt(prior)}，整体支出绩效目标表所列 {ctx.year - 1} 年"
                f"为 {fmt(last_year)}",
                table="B11",
                expected=last_year,
                actual=prior,
                difference=prior - last_year,
                evidence=[claim_evidence(claim), Evidence("line", "B11", line=fund.line, value=last_year)],
            )


@rule(
    "NARR-YEAR-001",
    family="narrative",
    basis="consistency",
    description="情况说明中金额所属的年度是本文件年度（不是上年或更早的年度）",
    rationale=(
        "本年度预算（决算）说明所述金额应属于本文件年度；"
        "出现上年或更早年度的金额表述（如 2024 年预算中写“2023年一般公共预算基本支出……”"
        "），通常是沿用旧稿未改，金额也可能是旧数。"
    ),
    fix=(
        "查看报告所列句子的年度和金额；与上年比较的句子（“比……”）和“截至……”的时点表述不报告。"
        "部门应将年度改为本年度，并核对金额是否为本年数。"
    ),
    values="year",
)
def years(ctx: Context) -> Iterator[Finding]:
    if not ctx.year:
        return
    for claim in ctx.doc.claims:
        if claim.year is None or claim.year == ctx.year or claim.year == claim.compared_year:
            continue
        if "截至" in claim.sentence or "截止" in claim.sentence or "比" in claim.head[-20:]:
            continue
        if THRESHOLD.match(claim.tail):
            continue  # "单价20万元以上的设备": a threshold, no figure of any year
        if COMPARING.search(claim.sentence) or re.search(rf"{ctx.year}\s*年", claim.sentence):
            continue  # a change explained against last year's figure, or both years named: not a stale figure
        yield ctx.finding(
            f"情况说明{ctx.cite(claim.line, claim.page)}“{claim.sentence[:60]}”：金额 {claim.raw} 标为 {claim.year} 年，"
            f"本文件为 {ctx.year} 年{'预算' if ctx.kind == 'budget' else '决算'}",
            expected=Decimal(ctx.year),
            actual=Decimal(claim.year),
            evidence=[claim_evidence(claim)],
        )


@rule(
    "NARR-YEAR-002",
    family="narrative",
    basis="consistency",
    description="增减比较的对象是上一年度",
    rationale=(
        "预算说明与上年预算比较、决算说明与上年决算比较，增减比较的对象应是上一年度；"
        "与更早年度比较通常是沿用旧稿未改。"
    ),
    fix="查看报告所列句子中的比较年度。部门应改为与上一年度比较，并重新核算增减额和增减率。",
    values="year",
)
def compared_years(ctx: Context) -> Iterator[Finding]:
    if not ctx.year:
        return
    for claim in ctx.doc.claims:
        if claim.compared_year is None or claim.compared_year == ctx.year - 1:
            continue
        yield ctx.finding(
            f"情况说明{ctx.cite(claim.line, claim.page)}“{claim.subject} {claim.raw}”与 {claim.compared_year} 年比较，"
            f"应与 {ctx.year - 1} 年比较",
            expected=Decimal(ctx.year - 1),
            actual=Decimal(claim.compared_year),
            evidence=[claim_evidence(claim)],
        )


@rule(
    "NARR-COMPLETION-001",
    family="narrative",
    kinds=("final",),
    description="决算说明中的完成预算百分比 = 决算数 ÷ 预算数",
    rationale=(
        "决算说明中“完成年初预算的 X%”= 决算数 ÷ 预算数 × 100%，"
        "应能由同一段中前面所写的预算数和该决算数算出。"
    ),
    fix=(
        "以同段中紧邻的预算数和决算数复算（考虑印刷数字的四舍五入区间）：不符为错误，截尾所致为警告；"
        "预算数为零而写了完成率的为警告（完成率无意义），0 对 0 按惯例写的只作提示。部门应更正百分比，或核对所引预算数、决算数。"
    ),
)
def completion(ctx: Context) -> Iterator[Finding]:
    claims = ctx.doc.claims
    for i, claim in enumerate(claims):
        if claim.completion_pct is None or claim.amount is None or i == 0:
            continue
        budget = claims[i - 1]
        if budget.amount is None or budget.paragraph != claim.paragraph or budget.section != claim.section:
            continue
        if budget.amount == 0 and is_budget_figure_of_final(ctx, budget):
            # no budget: a rate is undefined; 0 spent of 0 written as 0% or 100% is the accepted convention
            nothing = claim.amount == 0
            yield ctx.finding(
                f"情况说明{ctx.cite(claim.line, claim.page)}：预算数为 0，"
                + (
                    "决算数也为 0，完成率按惯例写作 "
                    if nothing
                    else f"决算 {claim.raw}，完成率无意义，说明却写作 "
                )
                + f"{claim.completion_pct}%"
                + ("" if nothing else "；宜写明“年初未安排预算”及支出原因"),
                severity="info" if nothing else "warning",
                actual=claim.completion_pct,
                evidence=[claim_evidence(budget), claim_evidence(claim)],
            )
            continue
        if budget.amount == 0:
            continue  # the figure before is not this item's budget
        rng = pct_range(claim.amount, tolerance_of(claim.amount), budget.amount, tolerance_of(budget.amount))
        if pct_ok(claim.completion_pct, rng):
            continue
        truncated = pct_truncated(claim.completion_pct, rng)
        expected = same_places(claim.amount * 100 / budget.amount, claim.completion_pct)
        yield ctx.finding(
            f"情况说明{ctx.cite(claim.line, claim.page)}：决算 {claim.raw} ÷ 预算 {budget.raw} 应为 {expected}%，"
            f"说明写作 {claim.completion_pct}%" + (TRUNCATED_NOTE if truncated else ""),
            severity="warning" if truncated else "error",
            expected=expected,
            actual=claim.completion_pct,
            evidence=[claim_evidence(budget), claim_evidence(claim)],
        )
