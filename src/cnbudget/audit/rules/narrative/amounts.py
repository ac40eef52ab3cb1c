"""NARR-AMOUNT-001: an amount the narrative states equals the table figure it names."""

from __future__ import annotations

from collections.abc import Iterator

from cnbudget.audit.context import Context, Identity, claim_evidence, fmt
from cnbudget.audit.figures import figure_index
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.audit.rules.narrative.common import TAIL, is_budget_figure_of_final, narrowed_by_whole
from cnbudget.audit.tolerance import display_tolerance
from cnbudget.domain.catalog import table_name
from cnbudget.domain.numbers import YUAN_PER_UNIT, convert


@rule(
    "NARR-AMOUNT-001",
    family="narrative",
    basis="consistency",
    description="情况说明中的金额与报表一致（总额、收入、支出、功能分类、经济分类、三公等）",
    rationale=(
        "情况说明是对报表的文字说明，其中引用的总额、收入、支出、功能分类、经济分类、"
        "“三公”经费等金额必须与报表数一致，否则公开信息自相矛盾。"
    ),
    fix=(
        "对照报告给出的说明原文和报表单元格："
        "按说明所写精度比较（如“55.1万元”代表 55.05–55.15），"
        "超出部分在 0.02 万元以内作尾差提示，再多即为错误；只核对以万元表述、"
        "能对应到报表项目的金额，决算说明中引用的年初预算数不核对。部门应以报表为准修改说明，"
        "报表本身有误的先改报表。"
    ),
)
def amounts(ctx: Context) -> Iterator[Finding]:
    index = figure_index(ctx)
    for claim in ctx.doc.claims:
        if claim.amount is None or claim.unit not in YUAN_PER_UNIT or is_budget_figure_of_final(ctx, claim):
            continue
        subject = (
            claim.subject.split("/")[0]
            if "/" in claim.subject and "支出决算" in claim.subject
            else claim.subject
        )
        _, refs = index.lookup(subject, claim.section, claim.scope)
        if not refs:
            continue
        narrowed = narrowed_by_whole(claim, ctx.doc.claims)
        if narrowed and not any(narrowed in r.column or narrowed in r.name for r in refs):
            # "项目支出270.00万元……其中：教育支出270.00万元": the class's 项目支出 only, not its whole row
            ctx.not_here(
                f"“{narrowed}”中的部分（如“{claim.subject}”）只对应报表中该科目的{narrowed}数，未单独核对"
            )
            continue
        # tables may print 元 where the narrative says 万元: compare in the narrative's unit
        allowed = display_tolerance(claim.raw.replace("万元", "").replace("亿元", "").replace("元", ""))
        diffs = [
            (abs(claim.amount - value), r) for r in refs if (value := r.value_in(claim.unit)) is not None
        ]
        if not diffs:
            continue
        best, ref = min(diffs, key=lambda d: d[0])
        if best <= allowed:
            continue
        tail = best <= allowed + ctx.accepted.allowed(convert(TAIL, "万元", claim.unit), claim.unit)
        shown = fmt(ref.value) + (ref.unit if ref.unit != claim.unit else "")
        in_claim_unit = ref.value_in(claim.unit)
        finding = ctx.finding(
            f"情况说明{ctx.cite(claim.line, claim.page)}“{claim.subject} {claim.raw}”{'与' if tail else '与报表不一致：'}"
            f"{table_name(ref.table.id)} {ref.describe()} 为 {shown}"
            f"{'，相差在尾差范围内' if tail else ''}",
            severity="info" if tail else "error",
            table=ref.table.id,
            row_code=ref.row.code,
            row_label=ref.row.label,
            column=ref.column,
            expected=in_claim_unit,
            actual=claim.amount,
            difference=claim.amount - in_claim_unit if in_claim_unit is not None else None,
            evidence=[claim_evidence(claim), *(r.evidence("copy") for r in refs[:4])],
        )
        if not tail and in_claim_unit is not None:
            # the comparison is a relation like the tables' own: a table cell that breaks several is one root
            residual = convert(in_claim_unit - claim.amount, claim.unit, ref.unit)
            ctx.identities.append(
                Identity(
                    [(ref.key, 1), (("narrative", claim.line, claim.raw), -1)],
                    residual,
                    ctx.rule_id,
                    finding,
                    [ref],
                )
            )
        yield finding
