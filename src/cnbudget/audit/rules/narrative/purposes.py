"""What an item is for (NARR-PURPOSE-001) and amounts restated as something else (NARR-REPEAT-001)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cnbudget.audit.context import Context, claim_evidence
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.audit.rules.narrative.names import claim_paths

# ---- what an item is for -----------------------------------------------------------------------------------

_PURPOSE = re.compile(r"主要用于[：:]?\s*([^。；;]{2,80})")


def purpose_topics(text: str, field_name: str) -> set[str]:
    from cnbudget.domain.reference import data_toml

    return {
        topic["name"]
        for topic in data_toml("purposes.toml").values()
        if any(word in text for word in topic[field_name])
    }


@rule(
    "NARR-PURPOSE-001",
    family="narrative",
    basis="consistency",
    severity="warning",
    description="说明中科目“主要用于”的内容属于该科目（不是另一科目的用途）",
    rationale=(
        "情况说明逐项说明支出科目的用途；用途写成另一科目的（如“购房补贴（项）主要用于：职工基本医疗保险缴费”），"
        "多为复制相邻段落后没有改，读者会被误导。"
    ),
    fix=(
        "按用途主题词表（domain/data/purposes.toml：医疗、养老和离退休、住房）判断：用途只提到其他主题、"
        "没有提到科目本身的主题时提示。部门应核对该科目的实际用途并改正。"
    ),
)
def purposes(ctx: Context) -> Iterator[Finding]:
    seen: set[tuple[int, str]] = set()
    for claim, parts in claim_paths(ctx):
        if "用于" not in claim.sentence:
            continue
        purpose = _PURPOSE.search(claim.tail)
        if purpose is None or (claim.line, claim.subject) in seen:
            continue
        seen.add((claim.line, claim.subject))
        item = parts[-1][0]
        own, named = purpose_topics(item, "item"), purpose_topics(purpose.group(1), "purpose")
        if own and named and not own & named:
            yield ctx.finding(
                f"情况说明{ctx.cite(claim.line, claim.page)}“{item}（{parts[-1][1]}）”主要用于“{purpose.group(1)[:30]}”："
                f"所写用途属于{'、'.join(sorted(named))}，而该科目属于{'、'.join(sorted(own))}",
                evidence=[claim_evidence(claim)],
            )


_RESTATED = re.compile(r"^(?:20\d{2}\s*年度?)?(?:的)?(?:预算安排|当年预算|本年预算|预算数|预算安排数)$")


@rule(
    "NARR-REPEAT-001",
    family="narrative",
    basis="consistency",
    description="同一科目在说明中前后两处的金额一致（“××（项）”X万元，下文“本年预算安排”Y万元）",
    rationale=(
        "说明逐项写出科目金额后，常在下一句再写一次本年预算安排数（“……（项）”220.63万元……2023年预算安排"
        "441.25万元”）；同一个数写成两个，至少一处是错的，读者无法知道哪个是真的。"
    ),
    fix=(
        "取写明科目（××（项））及金额的句子，与其后、下一个科目之前的“（本年）预算安排/预算数”比较，"
        "年度须为本文件年度、单位相同。部门应核对报表，改正错误的一处（与报表相符的为准）。"
    ),
)
def restated_amounts(ctx: Context) -> Iterator[Finding]:
    claims = ctx.doc.claims
    paths = {id(c) for c, _ in claim_paths(ctx)}
    for i, item in enumerate(claims):
        if item.amount is None or id(item) not in paths:
            continue
        for later in claims[i + 1 : i + 8]:
            if later.section != item.section or later.paragraph > item.paragraph + 2 or id(later) in paths:
                break
            if (
                later.amount is None
                or later.unit != item.unit
                or later.year not in (None, ctx.year)
                or not _RESTATED.match(later.subject.strip())
            ):
                continue
            if later.amount != item.amount:
                yield ctx.finding(
                    f"情况说明{ctx.cite(item.line, item.page)}“{item.subject.strip('“”')}”{item.raw}，{ctx.cite(later.line, later.page)}又写"
                    f"“{later.subject}”{later.raw}：同一科目两处金额不同",
                    expected=item.amount,
                    actual=later.amount,
                    difference=later.amount - item.amount,
                    evidence=[claim_evidence(item), claim_evidence(later)],
                )
            break
