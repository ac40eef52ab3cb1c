"""The narrative (情况说明) against the tables and against arithmetic.

Every amount whose subject is a table figure must equal it; every share and change must recompute;
the prior-year figure a change implies must agree wherever it is implied; years must be this year's.
Arithmetic on printed figures uses intervals: "55.1" stands for 55.05–55.15, so a percentage is
accepted when some value consistent with the printed inputs gives the printed percentage.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, fmt
from cnbudget.audit.figures import FigureIndex, normalise
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.projects import explained, similar_projects
from cnbudget.audit.registry import rule
from cnbudget.audit.tolerance import display_tolerance
from cnbudget.domain.catalog import table_name
from cnbudget.domain.text import key, similarity
from cnbudget.model import NarrativeClaim

TAIL = Decimal("0.02")
_NESTED = re.compile(r"包括|其中|主要用于")


def figure_index(ctx: Context) -> FigureIndex:
    index = ctx.cache.get("figures")
    if not isinstance(index, FigureIndex):
        index = FigureIndex(ctx)
        ctx.cache["figures"] = index
    return index


def claim_evidence(claim: NarrativeClaim) -> Evidence:
    return Evidence(
        "claim",
        raw=claim.raw,
        value=claim.amount,
        line=claim.line,
        page=claim.page,
        text=claim.sentence,
        role="claim",
    )


def _tol(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Decimal(5).scaleb(-(decimals + 1))


def _pct_range(
    num: Decimal, num_tol: Decimal, den: Decimal, den_tol: Decimal
) -> tuple[Decimal, Decimal] | None:
    lo_den, hi_den = den - den_tol, den + den_tol
    if lo_den <= 0:
        return None
    values = [(n * 100) / d for n in (num - num_tol, num + num_tol) for d in (lo_den, hi_den)]
    return min(values), max(values)


def _pct_ok(printed: Decimal, rng: tuple[Decimal, Decimal] | None) -> bool:
    if rng is None:
        return False
    half = _tol(printed)
    return rng[0] - half <= abs(printed) <= rng[1] + half


def _pct_truncated(printed: Decimal, rng: tuple[Decimal, Decimal] | None) -> bool:
    """The printed percentage cuts off the digits instead of rounding them (95.457 → 95.45)."""
    if rng is None:
        return False
    unit = 2 * _tol(printed)
    return rng[0] - unit <= abs(printed) <= rng[1]


def _same_places(value: Decimal, printed: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(min(int(printed.as_tuple().exponent), 0)))


_TRUNCATED = "（说明的数字是截尾而非四舍五入的结果）"


def _is_budget_figure_of_final(ctx: Context, claim: NarrativeClaim) -> bool:
    """Final accounts quote 年初预算 next to 决算: the budget figure is in no table."""
    head = claim.sentence.split(claim.raw)[0]
    return ctx.kind == "final" and (
        "预算为" in head[-12:] or "全年预算" in head[-12:] or "预算数" in head[-10:]
    )


@rule("NARR-AMOUNT-001", "narrative", "error", "情况说明中的金额与报表一致（总额、收入、支出、功能分类、经济分类、三公等）",
      basis="consistency")  # fmt: skip
def amounts(ctx: Context) -> Iterator[Finding]:
    index = figure_index(ctx)
    for claim in ctx.doc.claims:
        if claim.amount is None or claim.unit != "万元" or _is_budget_figure_of_final(ctx, claim):
            continue
        subject = (
            claim.subject.split("/")[0]
            if "/" in claim.subject and "支出决算" in claim.subject
            else claim.subject
        )
        name, refs = index.lookup(subject)
        if not refs:
            continue
        allowed = display_tolerance(claim.raw.replace("万元", "").replace("元", ""))
        diffs = [(abs(claim.amount - r.value), r) for r in refs if r.value is not None]
        if not diffs:
            continue
        best, ref = min(diffs, key=lambda d: d[0])
        if best <= allowed:
            continue
        tail = best <= allowed + TAIL
        yield Finding(
            rule_id="NARR-AMOUNT-001",
            severity="info" if tail else "error",
            message=(
                f"情况说明第 {claim.line} 行“{claim.subject} {claim.raw}”{'与' if tail else '与报表不一致：'}"
                f"{table_name(ref.table.id)} {ref.describe()} 为 {fmt(ref.value)}"
                f"{'，相差在尾差范围内' if tail else ''}"
            ),
            table=ref.table.id,
            row_code=ref.row.code,
            row_label=ref.row.label,
            column=ref.column,
            expected=ref.value,
            actual=claim.amount,
            difference=claim.amount - ref.value if ref.value is not None else None,
            evidence=[claim_evidence(claim), *(r.evidence("copy") for r in refs[:4])],
        )
        _ = name


def _bases(ctx: Context, claim: NarrativeClaim, index: FigureIndex) -> list[Decimal]:
    same = [
        c for c in ctx.doc.claims if c.section == claim.section and c.line <= claim.line and c is not claim
    ]
    bases = [
        c.amount
        for c in same
        if c.amount is not None and claim.amount is not None and c.amount >= claim.amount
    ]
    for name in ("收支总计", "收入", "支出", "一般公共预算拨款", "基本支出", "项目支出", "三公"):
        bases.extend(r.value for r in index.by_key.get(name, []) if r.value is not None)
    return bases


@rule("NARR-SHARE-001", "narrative", "error", "情况说明中的占比（占 X%）与金额相符", basis="identity")
def shares(ctx: Context) -> Iterator[Finding]:
    index = figure_index(ctx)
    for claim in ctx.doc.claims:
        if claim.share_pct is None or claim.amount is None:
            continue
        bases = _bases(ctx, claim, index)
        tol = _tol(claim.amount)
        ranges = [_pct_range(claim.amount, tol, b, _tol(b)) for b in bases]
        if any(_pct_ok(claim.share_pct, r) for r in ranges):
            continue
        truncated = any(_pct_truncated(claim.share_pct, r) for r in ranges)
        base = next(
            (b for b in reversed(bases[: len(bases)]) if b >= claim.amount), bases[0] if bases else None
        )
        expected = _same_places(claim.amount * 100 / base, claim.share_pct) if base else None
        yield Finding(
            rule_id="NARR-SHARE-001",
            severity="warning" if truncated else "error",
            message=(
                f"情况说明第 {claim.line} 行“{claim.subject} {claim.raw}，占 {claim.share_pct}%”：占比与金额不符"
                + (f"（按 {fmt(base)} 计算应为 {expected}%）" if base else "")
                + (_TRUNCATED if truncated else "")
            ),
            expected=expected,
            actual=claim.share_pct,
            evidence=[claim_evidence(claim)],
        )


@rule("NARR-CHANGE-001", "narrative", "error", "情况说明中的增减率与增减额相符（增减率 = 增减额 ÷ 上年数）",
      basis="identity")  # fmt: skip
def change_rates(ctx: Context) -> Iterator[Finding]:
    for claim in ctx.doc.claims:
        if claim.change_amount is None or claim.change_pct is None or claim.amount is None:
            continue
        prior = claim.amount - claim.change_amount
        prior_tol = _tol(claim.amount) + _tol(claim.change_amount)
        if (
            (claim.change_amount > 0) != (claim.change_pct > 0)
            and claim.change_amount != 0
            and claim.change_pct != 0
        ):
            yield _change_finding(claim, prior, None, "增减方向与增减率的正负不一致")
            continue
        rng = _pct_range(abs(claim.change_amount), _tol(claim.change_amount), prior, prior_tol)
        if _pct_ok(claim.change_pct, rng):
            continue
        if _pct_truncated(claim.change_pct, rng):
            why = f"上年数 {fmt(prior)} 推算的增减率{_TRUNCATED}"
            yield _change_finding(claim, prior, None, why, "warning")
            continue
        expected = (
            _same_places(abs(claim.change_amount) * 100 / prior, claim.change_pct) if prior > 0 else None
        )
        why = (
            f"上年数 {fmt(prior)} 推算的增减率应为 {expected}%" if expected is not None
            else f"上年数为 {fmt(prior)}，不能计算增减率"
        )  # fmt: skip
        yield _change_finding(claim, prior, expected, why)


def _change_finding(
    claim: NarrativeClaim, prior: Decimal, expected: Decimal | None, why: str, severity: str = "error"
) -> Finding:
    return Finding(
        rule_id="NARR-CHANGE-001",
        severity=severity,
        message=(
            f"情况说明第 {claim.line} 行“{claim.subject} {claim.raw}，增减 {fmt(claim.change_amount)} 万元，"
            f"{claim.change_pct}%”：{why}"
        ),
        expected=expected,
        actual=claim.change_pct,
        evidence=[claim_evidence(claim)],
    )


@rule("NARR-PRIOR-001", "narrative", "error", "同一项目在说明各处隐含的上年数一致", basis="consistency")
def prior_consistent(ctx: Context) -> Iterator[Finding]:
    by_subject: dict[str, list[tuple[NarrativeClaim, Decimal]]] = defaultdict(list)
    for claim in ctx.doc.claims:
        if claim.change_amount is None or claim.amount is None:
            continue
        by_subject[normalise(claim.subject)].append((claim, claim.amount - claim.change_amount))
    for subject, items in by_subject.items():
        first, prior = items[0]
        for claim, other in items[1:]:
            if (
                abs(other - prior)
                > _tol(first.amount or Decimal(0)) + _tol(claim.amount or Decimal(0)) + TAIL
            ):
                yield Finding(
                    rule_id="NARR-PRIOR-001",
                    severity="error",
                    message=(
                        f"“{subject}”的上年数前后不一致：第 {first.line} 行推算为 {fmt(prior)}，"
                        f"第 {claim.line} 行推算为 {fmt(other)}"
                    ),
                    expected=prior,
                    actual=other,
                    difference=other - prior,
                    evidence=[claim_evidence(first), claim_evidence(claim)],
                )


@rule("NARR-PRIOR-002", "narrative", "error", "说明推算的上年收支总额与整体绩效目标表所列上年金额一致",
      kinds=("budget",), basis="consistency")  # fmt: skip
def prior_vs_b11(ctx: Context) -> Iterator[Finding]:
    b11 = next((p for p in ctx.doc.performance if p.id == "B11"), None)
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
        if abs(prior - last_year) > _tol(claim.amount) + _tol(claim.change_amount) + TAIL:
            yield Finding(
                rule_id="NARR-PRIOR-002",
                severity="error",
                message=(
                    f"情况说明第 {claim.line} 行推算上年收支总额为 {fmt(prior)}，整体支出绩效目标表所列 {ctx.year - 1} 年"
                    f"为 {fmt(last_year)}"
                ),
                table="B11",
                expected=last_year,
                actual=prior,
                difference=prior - last_year,
                evidence=[claim_evidence(claim), Evidence("line", "B11", line=fund.line, value=last_year)],
            )


@rule("NARR-YEAR-001", "narrative", "error", "情况说明中金额所属的年度是本文件年度（不是上年或更早的年度）",
      basis="consistency")  # fmt: skip
def years(ctx: Context) -> Iterator[Finding]:
    if not ctx.year:
        return
    for claim in ctx.doc.claims:
        if claim.year is None or claim.year == ctx.year or claim.year == claim.compared_year:
            continue
        if "截至" in claim.sentence or "比" in claim.sentence.split(claim.raw)[0][-20:]:
            continue
        yield Finding(
            rule_id="NARR-YEAR-001",
            severity="error",
            message=(
                f"情况说明第 {claim.line} 行“{claim.sentence[:60]}”：金额 {claim.raw} 标为 {claim.year} 年，"
                f"本文件为 {ctx.year} 年{'预算' if ctx.kind == 'budget' else '决算'}"
            ),
            expected=Decimal(ctx.year),
            actual=Decimal(claim.year),
            evidence=[claim_evidence(claim)],
        )


@rule("NARR-YEAR-002", "narrative", "error", "增减比较的对象是上一年度", basis="consistency")
def compared_years(ctx: Context) -> Iterator[Finding]:
    if not ctx.year:
        return
    for claim in ctx.doc.claims:
        if claim.compared_year is None or claim.compared_year == ctx.year - 1:
            continue
        yield Finding(
            rule_id="NARR-YEAR-002",
            severity="error",
            message=(
                f"情况说明第 {claim.line} 行“{claim.subject} {claim.raw}”与 {claim.compared_year} 年比较，"
                f"应与 {ctx.year - 1} 年比较"
            ),
            expected=Decimal(ctx.year - 1),
            actual=Decimal(claim.compared_year),
            evidence=[claim_evidence(claim)],
        )


@rule(
    "NARR-COMPLETION-001",
    "narrative",
    "error",
    "决算说明中的完成预算百分比 = 决算数 ÷ 预算数",
    kinds=("final",),
)
def completion(ctx: Context) -> Iterator[Finding]:
    claims = ctx.doc.claims
    for i, claim in enumerate(claims):
        if claim.completion_pct is None or claim.amount is None or i == 0:
            continue
        budget = claims[i - 1]
        if budget.amount is None or budget.paragraph != claim.paragraph or budget.section != claim.section:
            continue
        if budget.amount == 0:
            continue  # no budget: the percentage is undefined whatever is printed
        rng = _pct_range(claim.amount, _tol(claim.amount), budget.amount, _tol(budget.amount))
        if _pct_ok(claim.completion_pct, rng):
            continue
        truncated = _pct_truncated(claim.completion_pct, rng)
        expected = _same_places(claim.amount * 100 / budget.amount, claim.completion_pct)
        yield Finding(
            rule_id="NARR-COMPLETION-001",
            severity="warning" if truncated else "error",
            message=(
                f"情况说明第 {claim.line} 行：决算 {claim.raw} ÷ 预算 {budget.raw} 应为 {expected}%，"
                f"说明写作 {claim.completion_pct}%" + (_TRUNCATED if truncated else "")
            ),
            expected=expected,
            actual=claim.completion_pct,
            evidence=[claim_evidence(budget), claim_evidence(claim)],
        )


@rule("NARR-PARTS-001", "narrative", "error", "说明中“合计……其中……”所列各部分之和不超过（且一般等于）合计数",
      basis="identity")  # fmt: skip
def parts_add_up(ctx: Context) -> Iterator[Finding]:
    for section in ctx.doc.narrative:
        claims = section.claims
        for i, total in enumerate(claims):
            if total.amount is None or _is_budget_figure_of_final(ctx, total):
                continue  # "年初预算为 2.85 万元，支出决算为 0.39 万元，其中：…" lists parts of the 决算
            parts = _parts_after(claims, i)
            if len(parts) < 2:
                continue
            values = [p.amount for p in parts if p.amount is not None]
            expected = sum(values, Decimal(0))
            tol = _tol(total.amount) + sum((_tol(v) for v in values), Decimal(0))
            diff = total.amount - expected
            if abs(diff) <= tol:
                continue
            over = diff < 0
            yield Finding(
                rule_id="NARR-PARTS-001",
                severity="error" if over else "warning",
                message=(
                    f"情况说明第 {total.line} 行“{total.subject} {total.raw}”：其中所列 "
                    f"{'、'.join(f'{p.subject} {p.raw}' for p in parts)} 合计 {fmt(expected)}，"
                    f"{'超过合计数' if over else '少于合计数（可能有未列出的部分）'}"
                ),
                expected=expected,
                actual=total.amount,
                difference=diff,
                evidence=[claim_evidence(total), *(claim_evidence(p) for p in parts)],
            )


def _parts_after(claims: list[NarrativeClaim], i: int) -> list[NarrativeClaim]:
    total = claims[i]
    tail = total.sentence.split(total.raw, 1)[1] if total.raw in total.sentence else ""
    if "其中" in tail:
        same = [c for c in claims[i + 1 :] if c.paragraph == total.paragraph]
    else:
        nxt = [c for c in claims[i + 1 :] if c.paragraph == total.paragraph + 1]
        if not nxt or not nxt[0].sentence.startswith("其中"):
            return []
        if any(c.paragraph == total.paragraph for c in claims[i + 1 :]):
            return []
        same = nxt
    parts: list[NarrativeClaim] = []
    for claim in same:
        if total.share_pct is not None and claim.share_pct is not None:
            break  # "基本支出 X，占 a%，其中：…；项目支出 Y，占 b%": a sibling of the total, not a part
        rest = claim.sentence.split(claim.raw, 1)[1] if claim.raw in claim.sentence else ""
        if _NESTED.search(rest[:12]):
            return []  # a part with its own breakdown: the list is nested, not checked
        parts.append(claim)
    return parts


@rule("NARR-PROJECT-001", "narrative", "warning", "说明中项目金额与项目支出表一致（可为同名项目各行之和）",
      kinds=("budget",), tables=("B10",), basis="consistency")  # fmt: skip
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
        yield Finding(
            rule_id="NARR-PROJECT-001",
            severity="warning",
            message=(
                f"情况说明第 {claim.line} 行“{claim.subject} {claim.raw}”与项目支出表不一致："
                f"“{best.name}” 为 {fmt(best.total)}"
            ),
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
