"""Performance goals and self-evaluations: values that parse, forms that add up, scores that compute."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, claim_evidence, fmt
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.projects import explained, similar_projects
from cnbudget.audit.registry import NotEvaluable, rule
from cnbudget.domain.text import key
from cnbudget.model import Indicator, PerformanceTable, SelfEvaluation

_TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"), "亿元": Decimal(10000)}
_RATE = re.compile(r"(率|满意度|满意率|占比|比例|比重)$")
_COUNT = re.compile(r"(人数|次数|个数|数量|件数|场次|人次)$")


def _ev(ind: Indicator, table: str) -> Evidence:
    raw = ind.target.raw if ind.target else ""
    return Evidence(
        "row", table, row_label=ind.name, raw=raw, line=ind.line, text=f"{ind.level2} {ind.name} {raw}"
    )


@rule(
    "PERF-TARGET-001",
    family="performance",
    severity="warning",
    basis="regulation",
    kinds=("budget",),
    description="绩效指标有可解析的指标值（数值或明确的定性表述）",
    rationale=(
        "绩效目标管理要求绩效指标细化、量化，每个指标都应有明确的指标值（数值或可以评判的定性表述）；"
        "指标值空白或只填“/”“—”“无”，绩效目标无法据以评价。"
    ),
    fix=(
        "查看报告所列指标的指标值栏，也可能是错行造成该栏为空。"
        "部门应补填量化目标值或明确的定性标准（如“≥95%”“按期完成”）。"
    ),
)
def targets_parse(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.performance:
        for ind in table.indicators:
            target = ind.target
            if target is None or not target.raw.strip() or target.raw.strip() in ("/", "-", "—", "无"):
                yield ctx.finding(
                    f"{table.id} 第 {ind.line} 行指标“{ind.name}”没有指标值（“{target.raw if target else ''}”）",
                    table=table.id,
                    row_label=ind.name,
                    evidence=[_ev(ind, table.id)],
                )


@rule(
    "PERF-UNIT-001",
    family="performance",
    severity="warning",
    basis="consistency",
    kinds=("budget",),
    description="指标值的计量与指标名称相符（比率类用%，数量类不用%）",
    rationale=(
        "指标值的计量应与指标性质相符："
        "名称为“……率”“满意度”“占比”“比例”“比重”的指标应以百分比表示，"
        "“人数”“次数”“个数”等数量指标不应为百分比；不相符多为指标值错行。"
    ),
    fix=("查看报告所列指标及其前后行，确认指标值是否错位到相邻指标。部门应将指标值与指标逐一对应后更正。"),
)
def units_fit(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.performance:
        for ind in table.indicators:
            target = ind.target
            if target is None or not target.raw:
                continue
            problem = ""
            if _RATE.search(ind.name) and target.number is not None and target.unit not in ("%", ""):
                problem = f"比率类指标的值却以“{target.unit}”计"
            elif (
                _RATE.search(ind.name)
                and target.qualitative
                and target.raw not in ("无",)
                and key(target.raw) not in key(ind.name)
            ):
                problem = "比率类指标的值不是数值"
            elif _COUNT.search(ind.name) and target.unit == "%":
                problem = "数量类指标的值却是百分比"
            if problem:
                yield ctx.finding(
                    f"{table.id} 第 {ind.line} 行指标“{ind.name}”的指标值“{target.raw}”：{problem}（可能错行）",
                    table=table.id,
                    row_label=ind.name,
                    evidence=[_ev(ind, table.id)],
                )


def _top_funds(table: PerformanceTable) -> tuple[Decimal | None, list[Decimal]]:
    total = None
    parts: list[Decimal] = []
    for fund in table.funds:
        label = fund.label
        if label == "合计":
            if total is None:
                total = fund.amount
            continue
        if label.startswith("其中") or fund.amount is None:
            continue
        if any(word in label for word in ("财政拨款", "财政专户", "单位资金", "结转", "其他资金")):
            parts.append(fund.amount)
    return total, parts


@rule(
    "PERF-FUNDS-001",
    family="performance",
    kinds=("budget",),
    description="项目支出绩效目标表的资金来源各项之和等于合计",
    rationale=(
        "项目支出绩效目标表中各资金来源（财政拨款、财政专户管理资金、单位资金、结转资金、其他资金等）"
        "之和应等于资金合计。"
    ),
    fix=(
        "核对各来源（不含“其中”明细行）之和与合计，容差为各数四舍五入的尾差。超出的，"
        "部门应更正来源金额或合计。"
    ),
)
def funds_add_up(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.performance:
        if not table.id.startswith("B12"):
            continue
        total, parts = _top_funds(table)
        if total is None or not parts:
            continue
        expected = sum(parts, Decimal(0))
        unit = Decimal(1) if table.amount_unit == "元" else Decimal("0.01")
        if abs(total - expected) > (len(parts) + 1) * unit / 2:
            yield ctx.finding(
                f"{table.id}“{table.project_name}”资金来源合计 {fmt(total)} ≠ 各来源之和 {fmt(expected)}",
                table=table.id,
                expected=expected,
                actual=total,
                difference=total - expected,
                evidence=[
                    Evidence("line", table.id, row_label=f.label, value=f.amount, line=f.line)
                    for f in table.funds
                ],
            )


@rule(
    "PERF-FUNDS-002",
    family="performance",
    kinds=("budget",),
    description="项目当年预算等于资金来源合计",
    rationale="项目当年预算就是本年度各资金来源的合计，项目支出绩效目标表中两处所填金额应相同。",
    fix=(
        "核对“项目当年预算”与资金来源合计，须完全相等。部门应更正其中错误的一处，并复核与项目支出表是否一致。"
    ),
)
def current_budget(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.performance:
        total, _ = _top_funds(table)
        if not table.id.startswith("B12") or table.current_budget is None or total is None:
            continue
        if table.current_budget != total:
            yield ctx.finding(
                f"{table.id}“{table.project_name}”项目当年预算 {fmt(table.current_budget)} ≠ 资金来源合计 {fmt(total)}",
                table=table.id,
                expected=total,
                actual=table.current_budget,
                difference=table.current_budget - total,
                evidence=[Evidence("line", table.id, line=table.first_line)],
            )


def _in_wan(table: PerformanceTable, value: Decimal) -> Decimal:
    return value * _TO_WAN.get(table.amount_unit, Decimal(1))


@rule(
    "PERF-B10-001",
    family="performance",
    kinds=("budget",),
    tables=("B10",),
    description="项目支出绩效目标表的项目预算与项目支出表同名项目一致",
    rationale=(
        "项目支出绩效目标表所列项目当年预算（未填当年预算的取项目总预算）"
        "与项目支出表中同名项目的金额是同一数。"
    ),
    fix=(
        "将绩效目标表金额换算为万元，与项目支出表同名项目的金额或同名各行之和比较，"
        "相差超过 0.01 万元即报告；项目支出表中找不到同名项目的不检查。部门应核对后统一两表，"
        "名称不一致的也应统一项目名称。"
    ),
)
def goals_match_projects(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.performance:
        if not table.id.startswith("B12") or not table.project_name:
            continue
        amount = table.current_budget if table.current_budget is not None else table.total_budget
        if amount is None:
            continue
        wan = _in_wan(table, amount)
        name = key(table.project_name)
        same = [p for p in ctx.doc.projects if key(p.name) == name and p.total is not None]
        if not same:
            continue
        totals = {p.total or Decimal(0) for p in same} | {
            sum((p.total or Decimal(0) for p in same), Decimal(0))
        }
        if any(abs(wan - t) <= Decimal("0.01") for t in totals):
            continue
        yield ctx.finding(
            f"{table.id}“{table.project_name}”项目预算 {fmt(amount)} {table.amount_unit}"
            f"（{fmt(wan)} 万元）与项目支出表同名项目 {fmt(same[0].total)} 万元不一致",
            table=table.id,
            expected=same[0].total,
            actual=wan,
            evidence=[
                Evidence("line", table.id, line=table.first_line),
                *(Evidence("row", "B10", p.code, p.name, value=p.total, line=p.line) for p in same),
            ],
        )


@rule(
    "PERF-B10-002",
    family="performance",
    severity="warning",
    basis="consistency",
    kinds=("budget",),
    tables=("B10",),
    description="整体支出绩效目标表所列项目金额与项目支出表一致",
    rationale="部门整体支出绩效目标表“项目支出情况”所列项目金额，应与项目支出表中对应项目一致。",
    fix=(
        "按名称相近匹配项目支出表中的项目（可为同名多行之和），相差超过 0.01 万元即报告；"
        "为警告级，须人工确认是否为同一项目。确属不一致的，部门应以项目支出表为准更正。"
    ),
)
def b11_projects(ctx: Context) -> Iterator[Finding]:
    b11 = ctx.doc.performance_table("B11")
    if b11 is None:
        return
    projects = [p for p in ctx.doc.projects if p.level == "project" and p.total is not None]
    for item in b11.projects:
        if item.amount is None:
            continue
        close = similar_projects(item.label, projects)
        if not close or explained(item.amount, close, projects, Decimal("0.01")):
            continue
        yield ctx.finding(
            f"整体支出绩效目标表项目“{item.label}” {item.raw} 与项目支出表“{close[0].name}” {fmt(close[0].total)} 不一致",
            table="B11",
            expected=close[0].total,
            actual=item.amount,
            evidence=[
                Evidence("line", "B11", row_label=item.label, value=item.amount, line=item.line),
                Evidence(
                    "row", "B10", close[0].code, close[0].name, value=close[0].total, line=close[0].line
                ),
            ],
        )


def _se_evidence(ev: SelfEvaluation) -> Evidence:
    return Evidence("table", "SE", row_label=ev.project_name or ev.title, line=ev.title_line, text=ev.title)


@rule(
    "SE-TOTAL-001",
    family="performance",
    kinds=("final",),
    description="自评表各指标得分与预算执行得分之和等于总分",
    rationale="绩效自评总分 = 预算执行得分 + 各绩效指标得分之和。",
    fix=(
        "将各指标得分与预算执行得分相加后与总分比较，只为带非半分小数的得分留出四舍五入容差。超出的，"
        "检查是否漏列、多列指标或得分抄错，部门应更正总分或得分。"
    ),
)
def self_eval_total(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.doc.self_evaluations:
        scores = [i.score for i in ev.indicators if i.score is not None]
        if ev.total_score is None or not scores:
            continue
        expected = sum(scores, Decimal(0)) + (ev.execution_score or Decimal(0))
        # only scores with a fraction beyond halves (1.71 of 2 points) can have been rounded
        rounded = sum(1 for s in scores if (s * 2) != (s * 2).to_integral_value())
        if abs(expected - ev.total_score) > Decimal("0.005") * (rounded + 1):
            yield ctx.finding(
                f"自评表“{ev.project_name or ev.title}”：总分 {ev.total_score} ≠ 预算执行得分 {ev.execution_score or 0} + "
                f"{len(scores)} 项指标得分 {sum(scores, Decimal(0))} = {expected}",
                table="SE",
                expected=expected,
                actual=ev.total_score,
                difference=ev.total_score - expected,
                evidence=[
                    _se_evidence(ev),
                    *(
                        Evidence("row", "SE", row_label=i.name, value=i.score, line=i.line)
                        for i in ev.indicators
                        if i.score is not None
                    ),
                ],
            )


@rule(
    "SE-RATE-001",
    family="performance",
    kinds=("final",),
    description="自评表执行率 = 执行数 ÷ 预算数",
    rationale="绩效自评表的预算执行率 = 执行数（B）÷ 预算数（A）× 100%。",
    fix=(
        "用自评表所列执行数和预算数复算，与所填执行率相差超过 0.5 个百分点即报告；"
        "预算数为零的不检查。部门应更正执行率，或核对执行数、预算数。"
    ),
)
def self_eval_rate(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.doc.self_evaluations:
        if ev.budget is None or ev.executed is None or ev.execution_rate is None or ev.budget == 0:
            continue
        expected = ev.executed * 100 / ev.budget
        if abs(expected - ev.execution_rate) > Decimal("0.5"):
            yield ctx.finding(
                f"自评表“{ev.project_name or ev.title}”：执行率 {ev.execution_rate}% ≠ {ev.executed} ÷ {ev.budget} = {expected:.2f}%",
                table="SE",
                expected=expected,
                actual=ev.execution_rate,
                evidence=[_se_evidence(ev)],
            )


@rule(
    "SE-RATE-002",
    family="performance",
    kinds=("final",),
    description="预算执行得分 = 分值 × 执行率（不超过分值）",
    rationale="绩效自评表的预算执行得分 = 预算执行分值 × 执行率，且不超过该项分值。",
    fix=(
        "以所填分值和执行率复算，相差超过 0.01 分即报告。"
        "部门应按公式更正得分（执行率达到或超过 100% 的得该项满分）。"
    ),
)
def self_eval_rate_score(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.doc.self_evaluations:
        if ev.execution_rate is None or ev.execution_weight is None or ev.execution_score is None:
            continue
        expected = min(ev.execution_weight, ev.execution_weight * ev.execution_rate / 100)
        if abs(expected - ev.execution_score) > Decimal("0.01"):
            yield ctx.finding(
                f"自评表“{ev.project_name or ev.title}”：预算执行得分 {ev.execution_score} ≠ "
                f"{ev.execution_weight} × {ev.execution_rate}% = {expected:.2f}",
                table="SE",
                expected=expected,
                actual=ev.execution_score,
                evidence=[_se_evidence(ev)],
            )


@rule(
    "SE-SCORE-001",
    family="performance",
    kinds=("final",),
    description="自评表各指标得分不超过其分值",
    rationale="绩效自评表中每个指标的得分不能超过该指标的分值。",
    fix="查看报告所列指标的分值和得分，可能是分值、得分错列或填错。部门应更正后重算总分。",
)
def self_eval_score_cap(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.doc.self_evaluations:
        for ind in ev.indicators:
            if ind.score is not None and ind.weight is not None and ind.score > ind.weight:
                yield ctx.finding(
                    f"自评表“{ev.project_name or ev.title}”第 {ind.line} 行“{ind.name}”得分 {ind.score} 超过分值 {ind.weight}",
                    table="SE",
                    expected=ind.weight,
                    actual=ind.score,
                    evidence=[Evidence("row", "SE", row_label=ind.name, value=ind.score, line=ind.line)],
                )


@rule(
    "SE-WEIGHT-001",
    family="performance",
    severity="warning",
    basis="regulation",
    kinds=("final",),
    description="自评表各指标分值与预算执行分值合计为 100 分",
    rationale="绩效自评按百分制评分，预算执行分值与各绩效指标分值合计应为 100 分。",
    fix=(
        "只在每个指标都列有分值时检查，合计偏离 100 分超过 0.05 分即报告。"
        "部门应调整分值设置，或补列遗漏的指标。"
    ),
)
def self_eval_weights(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.doc.self_evaluations:
        weights = [i.weight for i in ev.indicators if i.weight is not None]
        if len(weights) != len(ev.indicators) or not weights or ev.execution_weight is None:
            continue
        total = sum(weights, Decimal(0)) + ev.execution_weight
        if abs(total - 100) > Decimal("0.05"):
            yield ctx.finding(
                f"自评表“{ev.project_name or ev.title}”：分值合计 {total}，应为 100",
                table="SE",
                expected=Decimal(100),
                actual=total,
                evidence=[_se_evidence(ev)],
            )


_HEADER_COLUMNS = {"基本支出总额": "基本支出", "项目支出总额": "项目支出"}


@rule(
    "SE-HEADER-001",
    family="performance",
    kinds=("final",),
    tables=("F03",),
    description="部门整体绩效自评表表头的基本支出、项目支出总额与支出决算表一致",
    rationale=(
        "部门整体绩效自评表表头的基本支出总额、项目支出总额，应与支出决算表合计行的基本支出、项目支出一致。"
    ),
    fix=(
        "核对两组数：相差不超过 0.01 万元作尾差提示，超出为错误；"
        "常见错误是把部门支出总额填进了基本支出总额栏。部门应以支出决算表为准更正自评表。"
    ),
)
def self_eval_header(ctx: Context) -> Iterator[Finding]:
    from cnbudget.audit.context import Ref

    f03 = ctx.need("F03")
    total = f03.total_row()
    if total is None:
        return
    for ev in ctx.doc.self_evaluations:
        for label, column in _HEADER_COLUMNS.items():
            value = ev.header_amounts.get(label)
            ref = Ref(f03, total, column, f"合计 {column}")
            if value is None or ref.value is None or value == ref.value:
                continue
            tail = abs(value - ref.value) <= Decimal("0.01")
            yield ctx.finding(
                f"自评表“{ev.project_name or ev.title}”表头{label} {value} {'与' if tail else '≠'} 支出决算表 {column} {fmt(ref.value)}",
                severity="info" if tail else "error",
                table="SE",
                expected=ref.value,
                actual=value,
                difference=value - ref.value,
                evidence=[_se_evidence(ev), ref.evidence("copy")],
            )


@rule(
    "PERF-SHARE-001",
    family="performance",
    description="整体支出绩效目标表收入构成、支出构成各项的占比 = 该项金额 ÷ 合计",
    rationale="部门整体支出绩效目标表在收入构成、支出构成各项旁列出占比，应等于该项当年金额除以构成合计。",
    fix=(
        "按占比的印刷精度复算（与复算结果只差末位一个单位的视为凑整到 100% 的调整，不报告）。"
        "部门应按金额改正占比，或核对金额。"
    ),
)
def b11_shares(ctx: Context) -> Iterator[Finding]:
    b11 = ctx.doc.performance_table("B11")
    blocks = b11.fund_blocks() if b11 is not None else []
    if not blocks or not any(f.share is not None for block in blocks for f in block):
        raise NotEvaluable("整体支出绩效目标表没有列出占比")
    for block in blocks:
        total = block[-1].amount
        if not total:
            continue
        for fund in block[:-1]:
            if fund.share is None or fund.amount is None:
                continue
            exact = fund.amount * 100 / total
            unit = Decimal(1).scaleb(fund.share.as_tuple().exponent)  # type: ignore[arg-type]
            if abs(exact - fund.share) <= unit * Decimal("1.5"):
                continue
            expected = exact.quantize(unit)
            yield ctx.finding(
                f"整体支出绩效目标表“{fund.label}” {fund.raw} 占合计 {fmt(total)} 的 {expected}%，表中写作 {fund.share}%",
                table="B11",
                row_label=fund.label,
                expected=expected,
                actual=fund.share,
                evidence=[
                    Evidence(
                        "line", "B11", row_label=fund.label, raw=fund.raw, value=fund.amount, line=fund.line
                    )
                ],
            )


_SE_BUDGET = re.compile(r"^项目(?:全年|年初|年度)?(?:预算)?(?:数)?$|^(?:全年|年初)?预算")
_SE_EXECUTED = re.compile(r"^执行数|^(?:实际)?执行金额|^支出")


@rule(
    "SE-NARR-001",
    family="performance",
    kinds=("final",),
    description="决算说明对项目自评的综述（“××绩效自评综述：项目全年预算数为……执行数为……”）与该项目自评表的预算数、执行数一致",
    rationale=(
        "决算说明的预算绩效情况逐个综述项目自评结果，所写的全年预算数、执行数应与附件中同名项目自评表一致；"
        "不一致说明综述与自评表不是同一口径或同一版本（如自评表 3,797.75 万元，综述写 2,416.83 万元）。"
    ),
    fix=(
        "找到句中写明项目名称和“自评”的综述句，把其后的全年预算数、执行数与同名项目自评表的预算数（A）、"
        "执行数（B）按印刷精度比较。部门应核对后改正综述或自评表。"
    ),
)
def self_eval_narrative(ctx: Context) -> Iterator[Finding]:
    projects = [ev for ev in ctx.doc.self_evaluations if ev.scope == "project" and ev.project_name]
    if not projects:
        raise NotEvaluable("没有项目自评表")
    for claim in ctx.doc.claims:
        if claim.amount is None or "自评" not in claim.sentence:
            continue
        ev = next((e for e in projects if e.project_name in claim.sentence), None)
        if ev is None:
            continue
        if _SE_BUDGET.match(claim.subject):
            field, printed = "预算数（A）", ev.budget
        elif _SE_EXECUTED.match(claim.subject):
            field, printed = "执行数（B）", ev.executed
        else:
            continue
        if printed is None or abs(claim.amount - printed) <= Decimal("0.01"):
            continue
        yield ctx.finding(
            f"情况说明第 {claim.line} 行“{ev.project_name}”综述写 {claim.subject} {claim.raw}，"
            f"该项目自评表{field}为 {fmt(printed)}",
            table="SE-P",
            row_label=ev.project_name,
            expected=printed,
            actual=claim.amount,
            difference=claim.amount - printed,
            evidence=[claim_evidence(claim), _se_evidence(ev)],
        )
