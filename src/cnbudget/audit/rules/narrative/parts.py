"""NARR-PARTS-001 (the parts listed after 其中 add up to their whole) and NARR-PROJECT-001 (projects named in the narrative are in the project table)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, claim_evidence, fmt
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.projects import explained, similar_projects
from cnbudget.audit.registry import rule
from cnbudget.audit.rules.narrative.common import NESTED, THRESHOLD, is_budget_figure_of_final, tolerance_of
from cnbudget.audit.tolerance import display_tolerance
from cnbudget.domain.text import key, similarity
from cnbudget.model import NarrativeClaim


@rule(
    "NARR-PARTS-001",
    family="narrative",
    description="说明中“合计……其中……”所列各部分之和不超过（且一般等于）合计数",
    rationale=(
        "说明中“合计……，其中：……”所列各部分是合计数的组成，各部分之和不能超过合计数，列全时应等于合计数。"
    ),
    fix=(
        "把“其中”所列各部分相加后与合计比较，容差为各数印刷精度之和：超过合计为错误；"
        "少于合计为警告，需确认是否有部分未列出。某部分自带“包括／其中”的嵌套列示不检查；"
        "部门应更正金额或补全所列部分。"
    ),
)
def parts_add_up(ctx: Context) -> Iterator[Finding]:
    for section in ctx.doc.narrative:
        claims = section.claims
        for i, total in enumerate(claims):
            if total.amount is None or is_budget_figure_of_final(ctx, total):
                continue  # "年初预算为 2.85 万元，支出决算为 0.39 万元，其中：…" lists parts of the 决算
            parts = _parts_after(claims, i)
            if len(parts) < 2:
                continue
            values = [p.amount for p in parts if p.amount is not None]
            expected = sum(values, Decimal(0))
            tol = tolerance_of(total.amount) + sum((tolerance_of(v) for v in values), Decimal(0))
            diff = total.amount - expected
            if abs(diff) <= tol:
                continue
            over = diff < 0
            yield ctx.finding(
                f"情况说明{ctx.cite(total.line, total.page)}“{total.subject} {total.raw}”：其中所列 "
                f"{'、'.join(f'{p.subject} {p.raw}' for p in parts)} 合计 {fmt(expected)}，"
                f"{'超过合计数' if over else '少于合计数（可能有未列出的部分）'}",
                severity="error" if over else "warning",
                expected=expected,
                actual=total.amount,
                difference=diff,
                evidence=[claim_evidence(total), *(claim_evidence(p) for p in parts)],
            )


_LIST_OPENS = re.compile(r"其中\s*[：:]")


def _bracket_depth(claim: NarrativeClaim) -> int:
    """How many brackets are open before the claim's figure in its sentence."""
    head = claim.sentence[: claim.position] if claim.position >= 0 else claim.head
    return max(0, sum(head.count(c) for c in "（(") - sum(head.count(c) for c in "）)"))


def _parts_after(claims: list[NarrativeClaim], i: int) -> list[NarrativeClaim]:
    total = claims[i]
    tail = total.tail
    following = claims[i + 1] if i + 1 < len(claims) else None
    if (
        following is not None
        and following.sentence == total.sentence
        and following.position > total.position >= 0
    ):
        # what the sentence says of this figure ends where the next figure begins
        tail = total.sentence[total.position + len(total.raw) : following.position]
    if _LIST_OPENS.search(tail):
        # "其中：A；B；C" lists the parts over the clauses of the sentence
        same = [c for c in claims[i + 1 :] if c.paragraph == total.paragraph]
    elif "其中" in tail:
        # "经费4,754.51万元，其中结转结余390.00万元，用于…；勤务辅警业务费…": a part named in the same clause;
        # the clauses after it are other items, not its parts
        same = [c for c in claims[i + 1 :] if c.paragraph == total.paragraph and c.sentence == total.sentence]
    else:
        nxt = [c for c in claims[i + 1 :] if c.paragraph == total.paragraph + 1]
        if not nxt or not nxt[0].sentence.startswith("其中"):
            return []
        before = [c for c in claims[: i + 1] if c.paragraph == total.paragraph]
        if before[0] is not total:
            # "合计86,999.14万元，包括本年收入86,999.14万元，上年结转结余0万元。其中：…": the parts are the
            # sentence's total's (its first figure), not the last figure named before them
            return []
        same = nxt
    parts: list[NarrativeClaim] = []
    for claim in same:
        if _bracket_depth(claim) > (_bracket_depth(total) if total.sentence == claim.sentence else 0):
            continue  # "公务用车购置及运行维护费b万元（其中：购置费c，运行维护费d）": a part's own breakdown
        if total.share_pct is not None and claim.share_pct is not None:
            break  # "基本支出 X，占 a%，其中：…；项目支出 Y，占 b%": a sibling of the total, not a part
        rest = claim.tail
        if THRESHOLD.match(rest):
            return []  # "单价50万元以上的设备": a threshold, not a part
        if NESTED.search(rest[:12]) and not rest.lstrip().startswith(("（", "(")):
            return []  # a part with its own breakdown: the list is nested, not checked (one in brackets is
            # skipped above, figure by figure)
        parts.append(claim)
    return parts


@rule(
    "NARR-PROJECT-001",
    family="narrative",
    severity="warning",
    basis="consistency",
    kinds=("budget",),
    tables=("B10",),
    description="说明中项目金额与项目支出表一致（可为同名项目各行之和）",
    rationale="情况说明中项目经费部分所述项目金额，应与项目支出表中同名项目的金额（或同名多行之和）一致。",
    fix=(
        "本规则只核对标题含“项目”的说明节中、名称与项目支出表相近的金额，为警告级，"
        "名称匹配可能有误，须人工确认是否为同一项目。确属不一致的，部门应以项目支出表为准修改说明，"
        "或更正项目支出表。"
    ),
)
def projects(ctx: Context) -> Iterator[Finding]:
    ctx.need("B10")
    projects_ = [p for p in ctx.doc.projects if p.level == "project" and p.total is not None]
    for claim in ctx.doc.claims:
        if "项目" not in claim.section or claim.amount is None:
            continue
        close = similar_projects(claim.subject, projects_)
        if not close or explained(
            claim.amount, close, projects_, display_tolerance(claim.raw.replace("万元", ""))
        ):
            continue
        best = max(close, key=lambda p: similarity(key(claim.subject), key(p.name)))
        yield ctx.finding(
            f"情况说明{ctx.cite(claim.line, claim.page)}“{claim.subject} {claim.raw}”与项目支出表不一致："
            f"“{best.name}” 为 {fmt(best.total)}",
            table="B10",
            row_code=best.code,
            row_label=best.name,
            expected=best.total,
            actual=claim.amount,
            evidence=[
                claim_evidence(claim),
                Evidence("row", "B10", best.code, best.name, value=best.total, line=best.line),
            ],
        )
