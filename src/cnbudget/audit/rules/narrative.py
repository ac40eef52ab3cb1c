"""The narrative (情况说明) against the tables and against arithmetic.

Every amount whose subject is a table figure must equal it; every share and change must recompute;
the prior-year figure a change implies must agree wherever it is implied; years must be this year's.
Arithmetic on printed figures uses intervals: "55.1" stands for 55.05–55.15, so a percentage is
accepted when some value consistent with the printed inputs gives the printed percentage.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from cnbudget.audit.context import Context, Identity, claim_evidence, fmt
from cnbudget.audit.figures import CODE_LENGTH, FigureIndex, canonical, figure_index, normalise
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.projects import explained, similar_projects
from cnbudget.audit.registry import NotEvaluable, rule
from cnbudget.audit.tolerance import display_tolerance
from cnbudget.domain.catalog import coded_by, table_name
from cnbudget.domain.numbers import YUAN_PER_UNIT, convert
from cnbudget.domain.text import is_digits, key, plain_label, similarity
from cnbudget.domain.vocabulary import UNUSABLE_STATUSES, Severity
from cnbudget.model import NarrativeClaim, NarrativeSection

TAIL = Decimal("0.02")
_COMPARING = re.compile(
    r"较上年|比上年|与上年|上年同期|同比|(?:比|较)\s*20\d{2}\s*年"
    r"|由[^，。；]{0,30}(?:增加|减少|增长|下降|调增|调减|提高|降低|调整)(?:至|到|为)"
)
"""A figure set against another year's: "较上年", "较2025年", "由2025年177万元增加至237万元"."""
_NESTED = re.compile(r"包括|其中|主要用于")
_GENERIC_WORDS = re.compile(
    r"^(?:本年|当年|本部门|本单位)?(?:预算|年初预算|全年预算)?(?:安排|预算|预算数|执行数|决算数|支出|收入|金额|资金|合计)"
    r"(?:预算|数|支出)?$"
)
"""Subjects that name no figure of their own: 预算安排, 预算数, 支出 …"""
_USUAL_BASE = re.compile(r"^(?:比|其|本年[收支出入]+|总?[收支]出?(?:总额|合计)?|合计|总额)$")
"""Words of a share that name no base of their own ("占比", "占本年支出"): the usual bases are tried."""
_THRESHOLD = re.compile(r"\s*(?:以上|以下|以内|及以上|及以下|左右)")


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
    head = claim.head
    return ctx.kind == "final" and (
        "预算为" in head[-12:] or "全年预算" in head[-12:] or "预算数" in head[-10:]
    )


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
        if claim.amount is None or claim.unit not in YUAN_PER_UNIT or _is_budget_figure_of_final(ctx, claim):
            continue
        subject = (
            claim.subject.split("/")[0]
            if "/" in claim.subject and "支出决算" in claim.subject
            else claim.subject
        )
        _, refs = index.lookup(subject, claim.section, claim.scope)
        if not refs:
            continue
        narrowed = _narrowed_by_whole(claim, ctx.doc.claims)
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


_NARROWING = ("基本支出", "项目支出", "人员经费", "公用经费", "人员支出", "公用支出")


def _narrowed_by_whole(claim: NarrativeClaim, claims: list[NarrativeClaim]) -> str:
    """The column a 其中 part is restricted to by its whole ("项目支出 270.00万元，其中：教育支出 270.00万元" →
    项目支出), when the part's own words do not name it; else ""."""
    if any(word in claim.subject for word in _NARROWING):
        return ""
    same = [c for c in claims if c.sentence == claim.sentence and c.line <= claim.line]
    for whole in reversed(same):
        if whole is claim or whole.position >= claim.position >= 0:
            continue
        if "其中" in claim.sentence[whole.position : claim.position if claim.position >= 0 else None]:
            return next((word for word in _NARROWING if word in whole.subject), "")
    return ""


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
    unit = 2 * _tol(printed)
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
        if claim.share_base and not named and not _USUAL_BASE.match(claim.share_base):
            # the sentence names its base ("占财政性资金（人员类……除外）总额的比例"), which no table or figure states:
            # the share cannot be checked against another base
            ctx.not_here(f"“{claim.share_base}”不是报表或说明中的数，不核对以其为基数的占比")
            continue
        bases = named or others  # a base the sentence names is the base
        tol = _tol(claim.amount)
        ranges = [_pct_range(claim.amount, tol, b, _tol(b)) for b in bases]
        if any(_pct_ok(claim.share_pct, r) for r in ranges):
            continue
        truncated = any(_pct_truncated(claim.share_pct, r) for r in ranges)
        if not truncated and any(_pct_adjusted(claim.share_pct, r) for r in ranges):
            continue
        if any(t.status in UNUSABLE_STATUSES for t in ctx.doc.tables):
            continue  # the base may be a figure of the table that could not be read
        amount, printed = claim.amount, claim.share_pct
        candidates = [b for b in bases if b >= amount and b > 0]
        base = min(candidates, key=lambda b: abs(amount * 100 / b - printed), default=None)
        expected = _same_places(amount * 100 / base, printed) if base else None
        yield ctx.finding(
            f"情况说明{ctx.cite(claim.line, claim.page)}“{claim.subject} {claim.raw}，占 {claim.share_pct}%”：占比与金额不符"
            + (
                f"（按 {claim.share_base + ' ' if claim.share_base else ''}{fmt(base)} 计算应为 {expected}%）"
                if base
                else ""
            )
            + (_TRUNCATED if truncated else ""),
            severity="warning" if truncated else "error",
            expected=expected,
            actual=claim.share_pct,
            evidence=[claim_evidence(claim)],
        )


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
        prior_tol = _tol(claim.amount) + _tol(claim.change_amount)
        if (
            (claim.change_amount > 0) != (claim.change_pct > 0)
            and claim.change_amount != 0
            and claim.change_pct != 0
        ):
            yield _change_finding(ctx, claim, prior, None, "增减方向与增减率的正负不一致")
            continue
        rng = _pct_range(abs(claim.change_amount), _tol(claim.change_amount), prior, prior_tol)
        if _pct_ok(claim.change_pct, rng):
            continue
        if abs(prior) <= prior_tol and claim.change_pct == 100:
            why = "上年数为零（新增事项），按惯例写作“增长100%”：不是错误，宜写明“上年无此项”"
            yield _change_finding(ctx, claim, prior, None, why, "info")
            continue
        if _pct_truncated(claim.change_pct, rng):
            why = f"上年数 {fmt(prior)} 推算的增减率{_TRUNCATED}"
            yield _change_finding(ctx, claim, prior, None, why, "warning")
            continue
        expected = (
            _same_places(abs(claim.change_amount) * 100 / prior, claim.change_pct) if prior > 0 else None
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
    return _pct_ok(abs(pct), _pct_range(abs(other), _tol(heading.amount) + _tol(base), abs(base), _tol(base)))


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
        tol = _tol(claim.amount) + _tol(base)
        if claim.flat and claim.change_amount in (None, 0) and claim.change_pct in (None, 0):
            if abs(diff) > tol:
                yield ctx.finding(
                    f"{where}：称“持平”，但两数相差 {fmt(diff)}", expected=base, actual=claim.amount,
                    difference=diff, evidence=evidence,
                )  # fmt: skip
            continue
        if claim.change_amount is not None:
            if abs(diff - claim.change_amount) > tol + _tol(claim.change_amount):
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
        if abs(base) <= _tol(base):
            yield from _from_zero(ctx, where, pct, evidence)
            continue
        rng = _pct_range(abs(diff), tol, abs(base), _tol(base))
        if _pct_ok(abs(pct), rng):
            continue
        if _rate_fits_item(claims, i, pct, base):
            continue  # the rate fits the item's own figure: the restated one is wrong (NARR-REPEAT-001)
        expected = _same_places(abs(diff) * 100 / abs(base), pct)
        truncated = _pct_truncated(abs(pct), rng)
        yield ctx.finding(
            f"{where}：增减率 {abs(pct)}% 与两数不符，按两数应为 {expected}%" + (_TRUNCATED if truncated else ""),
            severity="warning" if truncated else "error",
            expected=expected, actual=abs(pct), evidence=evidence,
        )  # fmt: skip


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
        if _GENERIC_WORDS.match(subject):
            # "预算安排 6.02万元": words that name no figure of their own (the item is in the sentence before)
            ctx.not_here(f"“{claim.subject}”不指明是哪一项，不与其他同名表述比较上年数")
            continue
        by_subject[(subject, claim.scope, claim.measure)].append((claim, claim.amount - claim.change_amount))
    for (subject, _, _), items in by_subject.items():
        first, prior = items[0]
        for claim, other in items[1:]:
            if (
                abs(other - prior)
                > _tol(first.amount or Decimal(0)) + _tol(claim.amount or Decimal(0)) + TAIL
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
        if abs(prior - last_year) > _tol(claim.amount) + _tol(claim.change_amount) + TAIL:
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
        if _THRESHOLD.match(claim.tail):
            continue  # "单价20万元以上的设备": a threshold, no figure of any year
        if _COMPARING.search(claim.sentence) or re.search(rf"{ctx.year}\s*年", claim.sentence):
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
        if budget.amount == 0 and _is_budget_figure_of_final(ctx, budget):
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
        rng = _pct_range(claim.amount, _tol(claim.amount), budget.amount, _tol(budget.amount))
        if _pct_ok(claim.completion_pct, rng):
            continue
        truncated = _pct_truncated(claim.completion_pct, rng)
        expected = _same_places(claim.amount * 100 / budget.amount, claim.completion_pct)
        yield ctx.finding(
            f"情况说明{ctx.cite(claim.line, claim.page)}：决算 {claim.raw} ÷ 预算 {budget.raw} 应为 {expected}%，"
            f"说明写作 {claim.completion_pct}%" + (_TRUNCATED if truncated else ""),
            severity="warning" if truncated else "error",
            expected=expected,
            actual=claim.completion_pct,
            evidence=[claim_evidence(budget), claim_evidence(claim)],
        )


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
        if _THRESHOLD.match(rest):
            return []  # "单价50万元以上的设备": a threshold, not a part
        if _NESTED.search(rest[:12]) and not rest.lstrip().startswith(("（", "(")):
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


# ---- names of function classes and items ------------------------------------------------------------------

_NAME_CHARS = r"(?:[^（）()，,。；;：:、\s\d“”]|[（(][^类款项（）()]{1,3}[)）])"
_PATH_PART = re.compile(rf"({_NAME_CHARS}+?)\s*[（(]([类款项])[)）]")
_LEVEL_LENGTH = CODE_LENGTH


def _claim_paths(ctx: Context) -> list[tuple[NarrativeClaim, list[tuple[str, str]]]]:
    """Each claim that names a function path, with its (name, level) parts; computed once per audit."""
    return ctx.memo(_find_claim_paths)


def _find_claim_paths(ctx: Context) -> list[tuple[NarrativeClaim, list[tuple[str, str]]]]:
    out = []
    for claim in ctx.doc.claims:
        subject = claim.subject
        if "类" in subject or "款" in subject or "项" in subject:
            parts = [(plain_label(name), level) for name, level in _PATH_PART.findall(subject)]
            if parts:
                out.append((claim, parts))
    return out


@cache
def _catalogue_names() -> dict[str, frozenset[str]]:
    from cnbudget.domain.codes import function_codes

    names: dict[str, set[str]] = defaultdict(set)
    for code, name in function_codes().items():
        names[key(name)].add(code)
    return {k: frozenset(v) for k, v in names.items()}


def _function_names(ctx: Context) -> dict[str, set[str]]:
    """Name key → the function codes printed with that name: the document's own tables (its fiscal year's
    names), then the code catalogue."""
    return ctx.memo(_printed_functions).names


@dataclass(frozen=True, slots=True)
class _PrintedFunctions:
    names: dict[str, set[str]]
    """Name key → the function codes printed with that name (the document's tables, then the catalogue)."""
    labels: dict[str, str]
    """Code → the name the document's tables print for it."""


def _printed_functions(ctx: Context) -> _PrintedFunctions:
    names: dict[str, set[str]] = defaultdict(set)
    printed: dict[str, str] = {}
    for table in ctx.tables():
        if table.id in coded_by("function"):
            for row in table.rows:
                code = row.full_code
                if is_digits(code) and len(code) in (3, 5, 7) and row.label:
                    names[key(plain_label(row.label))].add(code)
                    printed.setdefault(code, plain_label(row.label))
    for name, codes in _catalogue_names().items():
        names[name].update(codes)
    return _PrintedFunctions(names, printed)


def _printed_near(
    ctx: Context, name: str, parents: set[str], length: int, threshold: float = 0.6
) -> tuple[str, str] | None:
    """The code and printed name of the tables' item under ``parents`` that ``name`` is a misspelling of
    (the same characters in another order, or most of its character pairs)."""
    printed = ctx.memo(_printed_functions).labels
    said = key(name)
    best: tuple[float, str, str] | None = None
    for code, label in printed.items():
        if len(code) != length or not any(code.startswith(p) for p in parents):
            continue
        shown = key(label)
        score = 1.0 if sorted(shown) == sorted(said) else similarity(shown, said)
        if score >= threshold and (best is None or score > best[0]):
            best = (score, code, label)
    return (best[1], best[2]) if best is not None else None


_NAMED_AFTER = re.compile(r"^(?:支出)?\s*(?:[（(](?:类|款|项|\d{3,7})[)）]|\d)")
_NAMED_BEFORE = re.compile(r"\d{3,7}\s*[)）]?\s*$")


def out_of_year_names(ctx: Context) -> list[tuple[str, str, str, NarrativeSection, int]]:
    """(code, printed name, the year's name, section, position) of every function class or item the running
    text names by a name of another year: the name followed by （类）/（款）/（项）, a code or an amount, or
    preceded by a code; a class name ending in 支出 wherever it stands."""
    from cnbudget.domain.codes import names_by_year

    year = ctx.year
    if not year:
        return []
    found = []
    for code, periods in names_by_year().items():
        current = next((p for p in periods if p.covers(year)), None)
        if current is None:
            continue
        for period in periods:
            if period.covers(year) or period.name == current.name:
                continue
            stem = period.name.removesuffix("支出") if len(period.name) > 5 else period.name
            pattern = re.compile(re.escape(stem))
            for section in [*ctx.doc.narrative, *ctx.doc.prose]:
                for m in pattern.finditer(section.text):
                    after, before = (
                        section.text[m.end() : m.end() + 12],
                        section.text[max(0, m.start() - 10) : m.start()],
                    )
                    if current.name.startswith(stem) and section.text.startswith(current.name, m.start()):
                        continue  # the stem is the start of this year's name
                    whole = period.name.endswith("支出") and section.text.startswith(period.name, m.start())
                    if whole or _NAMED_AFTER.match(after) or _NAMED_BEFORE.search(before):
                        found.append((code, period.name, current.name, section, m.start()))
    return found


@rule(
    "NARR-NAME-002",
    family="narrative",
    severity="warning",
    basis="regulation",
    description="说明文字中的科目名称是本文件年度的名称（不是该科目在其他年度的名称）",
    rationale=(
        "支出功能分类科目的名称随年度调整（如 210 类 2019 年起称“卫生健康支出”，此前为“医疗卫生与计划生育支出”）；"
        "说明中沿用其他年度的科目名称，多为套用旧稿，读者也无法与本年度报表对应。"
    ),
    fix=(
        "按 domain/data/function_names_by_year.csv 中有出处的各名称及其适用年度，查找情况说明和其他文字部分"
        "（部门概况、名词解释）中作为科目写出的名称（其后为（类）（款）（项）、编码或金额，或其前为编码；以“支出”结尾的"
        "类名在任何位置）；两段已知年度之间的年份不判断。部门应改用本年度科目名称。"
    ),
)
def narrative_names_of_the_year(ctx: Context) -> Iterator[Finding]:
    if not ctx.year:
        raise NotEvaluable("未能识别文件年度")
    hits = out_of_year_names(ctx)
    by_name: dict[tuple[str, str, str], list[tuple[NarrativeSection, int]]] = {}
    for code, printed, current, section, at in hits:
        by_name.setdefault((code, printed, current), []).append((section, at))
    for (code, printed, current), places in by_name.items():
        section, at = places[0]
        line, page = section.place(at)
        yield ctx.finding(
            f"说明文字{ctx.cite(line, page)}写作“{printed}”：这是科目 {code} 在其他年度的名称，"
            f"{ctx.year} 年度该科目称“{current}”" + (f"（共 {len(places)} 处）" if len(places) > 1 else ""),
            evidence=[
                Evidence("line", line=s.place(a)[0], page=s.place(a)[1], text=s.text[max(0, a - 10) : a + 20])
                for s, a in places
            ],
        )


@rule(
    "NARR-NAME-001",
    family="narrative",
    basis="consistency",
    description="说明中“××（类）××（款）××（项）”的科目名称与科目层级相符（项属于所写的款，款属于所写的类）",
    rationale=(
        "情况说明按“类—款—项”逐级写出支出功能分类科目；项的名称写成了另一款下的项（或款写错了类），"
        "说明所说的金额和用途对应不到报表中的科目，多为复制上一段后没有改全。"
    ),
    fix=(
        "用本文件报表中印出的科目编码和名称（不足时用支出功能分类科目目录）查出各级名称对应的编码，"
        "下级编码应以上级编码开头，否则为错误；上级找得到而下级名称与报表中该上级下某科目只差字序或个别字的"
        "（如“一般行政事务管理”与“一般行政管理事务”），提示名称不一致；名称在报表和目录中都找不到的不判断。"
        "部门应按报表改正科目名称。"
    ),
)
def item_names(ctx: Context) -> Iterator[Finding]:
    names = _function_names(ctx)
    seen: set[tuple[int, str]] = set()
    for claim, parts in _claim_paths(ctx):
        if len(parts) < 2 or (claim.line, claim.subject) in seen:
            continue
        seen.add((claim.line, claim.subject))
        for (parent, parent_level), (child, child_level) in zip(parts, parts[1:], strict=False):
            if _LEVEL_LENGTH[child_level] <= _LEVEL_LENGTH[parent_level]:
                continue
            parent_codes = {c for c in names.get(key(parent), ()) if len(c) == _LEVEL_LENGTH[parent_level]}
            # a level marked wrong ("住房改革支出（类）" for the 款 22102) still names its code
            parent_codes = parent_codes or {
                c for c in names.get(key(parent), ()) if len(c) < _LEVEL_LENGTH[child_level]
            }
            child_codes = {c for c in names.get(key(child), ()) if len(c) == _LEVEL_LENGTH[child_level]}
            if (
                parent_codes
                and not child_codes
                and _printed_near(ctx, child, parent_codes, _LEVEL_LENGTH[child_level]) is None
            ):
                # not a misspelling of an item of this parent: perhaps of another's ("…基本养老保险缴费")
                elsewhere = _printed_near(ctx, child, {""}, _LEVEL_LENGTH[child_level], threshold=0.8)
                child_codes = {elsewhere[0]} if elsewhere is not None else set()
            if parent_codes and not child_codes:
                near = _printed_near(ctx, child, parent_codes, _LEVEL_LENGTH[child_level])
                if near is not None:
                    yield ctx.finding(
                        f"情况说明{ctx.cite(claim.line, claim.page)}写作“{child}（{child_level}）”，报表中“{parent}”下的科目为"
                        f"“{near[1]}”（{near[0]}）：科目名称应与报表一致",
                        severity="warning",
                        evidence=[claim_evidence(claim)],
                    )
                    break
            if not parent_codes or not child_codes:
                continue
            if any(c.startswith(p) for c in child_codes for p in parent_codes):
                continue
            known_below = any(
                len(c) == _LEVEL_LENGTH[child_level] and c.startswith(p)
                for codes in names.values()
                for c in codes
                for p in parent_codes
            )
            if not known_below:
                # neither the document's tables nor the catalogue list any item under that parent (杭州: 公安（款）
                # 行政运行（项）, 2040201, printed without codes): which code the name has there is unknown
                ctx.not_here(
                    f"“{parent}”下的{child_level}级科目在报表和科目目录中都没有编码，不判断“{child}”"
                )
                continue
            yield ctx.finding(
                f"情况说明{ctx.cite(claim.line, claim.page)}“{parent}（{parent_level}）{child}（{child_level}）”："
                f"“{child}”的科目编码为 {'、'.join(sorted(child_codes))}，"
                f"不在“{parent}”（{'、'.join(sorted(parent_codes))}）之下",
                evidence=[claim_evidence(claim)],
            )
            break


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
    for claim, parts in _claim_paths(ctx):
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
    paths = {id(c) for c, _ in _claim_paths(ctx)}
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
