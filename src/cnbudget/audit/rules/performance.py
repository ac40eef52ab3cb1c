"""Performance goals and self-evaluations: values that parse, forms that add up, scores that compute."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, fmt
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.projects import explained, similar_projects
from cnbudget.audit.registry import rule
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


@rule("PERF-TARGET-001", "performance", "warning", "绩效指标有可解析的指标值（数值或明确的定性表述）",
      kinds=("budget",), basis="regulation")  # fmt: skip
def targets_parse(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.performance:
        for ind in table.indicators:
            target = ind.target
            if target is None or not target.raw.strip() or target.raw.strip() in ("/", "-", "—", "无"):
                yield Finding(
                    rule_id="PERF-TARGET-001",
                    severity="warning",
                    message=f"{table.id} 第 {ind.line} 行指标“{ind.name}”没有指标值（“{target.raw if target else ''}”）",
                    table=table.id,
                    row_label=ind.name,
                    evidence=[_ev(ind, table.id)],
                )


@rule("PERF-UNIT-001", "performance", "warning", "指标值的计量与指标名称相符（比率类用%，数量类不用%）",
      kinds=("budget",), basis="consistency")  # fmt: skip
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
                yield Finding(
                    rule_id="PERF-UNIT-001",
                    severity="warning",
                    message=f"{table.id} 第 {ind.line} 行指标“{ind.name}”的指标值“{target.raw}”：{problem}（可能错行）",
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
    "performance",
    "error",
    "项目支出绩效目标表的资金来源各项之和等于合计",
    kinds=("budget",),
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
            yield Finding(
                rule_id="PERF-FUNDS-001",
                severity="error",
                message=f"{table.id}“{table.project_name}”资金来源合计 {fmt(total)} ≠ 各来源之和 {fmt(expected)}",
                table=table.id,
                expected=expected,
                actual=total,
                difference=total - expected,
                evidence=[
                    Evidence("line", table.id, row_label=f.label, value=f.amount, line=f.line)
                    for f in table.funds
                ],
            )


@rule("PERF-FUNDS-002", "performance", "error", "项目当年预算等于资金来源合计", kinds=("budget",))
def current_budget(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.performance:
        total, _ = _top_funds(table)
        if not table.id.startswith("B12") or table.current_budget is None or total is None:
            continue
        if table.current_budget != total:
            yield Finding(
                rule_id="PERF-FUNDS-002",
                severity="error",
                message=f"{table.id}“{table.project_name}”项目当年预算 {fmt(table.current_budget)} ≠ 资金来源合计 {fmt(total)}",
                table=table.id,
                expected=total,
                actual=table.current_budget,
                difference=table.current_budget - total,
                evidence=[Evidence("line", table.id, line=table.first_line)],
            )


def _in_wan(table: PerformanceTable, value: Decimal) -> Decimal:
    return value * _TO_WAN.get(table.amount_unit, Decimal(1))


@rule("PERF-B10-001", "performance", "error", "项目支出绩效目标表的项目预算与项目支出表同名项目一致",
      kinds=("budget",), tables=("B10",))  # fmt: skip
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
        yield Finding(
            rule_id="PERF-B10-001",
            severity="error",
            message=(
                f"{table.id}“{table.project_name}”项目预算 {fmt(amount)} {table.amount_unit}"
                f"（{fmt(wan)} 万元）与项目支出表同名项目 {fmt(same[0].total)} 万元不一致"
            ),
            table=table.id,
            expected=same[0].total,
            actual=wan,
            evidence=[Evidence("line", table.id, line=table.first_line),
                      *(Evidence("row", "B10", p.code, p.name, value=p.total, line=p.line) for p in same)],
        )  # fmt: skip


@rule("PERF-B10-002", "performance", "warning", "整体支出绩效目标表所列项目金额与项目支出表一致",
      kinds=("budget",), tables=("B10",), basis="consistency")  # fmt: skip
def b11_projects(ctx: Context) -> Iterator[Finding]:
    b11 = next((p for p in ctx.doc.performance if p.id == "B11"), None)
    if b11 is None:
        return
    projects = [p for p in ctx.doc.projects if p.level == "project" and p.total is not None]
    for item in b11.projects:
        if item.amount is None:
            continue
        close = similar_projects(item.label, projects)
        if not close or explained(item.amount, close, projects, Decimal("0.01")):
            continue
        yield Finding(
            rule_id="PERF-B10-002",
            severity="warning",
            message=f"整体支出绩效目标表项目“{item.label}” {item.raw} 与项目支出表“{close[0].name}” {fmt(close[0].total)} 不一致",
            table="B11",
            expected=close[0].total,
            actual=item.amount,
            evidence=[Evidence("line", "B11", row_label=item.label, value=item.amount, line=item.line),
                      Evidence("row", "B10", close[0].code, close[0].name, value=close[0].total, line=close[0].line)],
        )  # fmt: skip


def _se_evidence(ev: SelfEvaluation) -> Evidence:
    return Evidence("table", "SE", row_label=ev.project_name or ev.title, line=ev.title_line, text=ev.title)


@rule("SE-TOTAL-001", "performance", "error", "自评表各指标得分与预算执行得分之和等于总分", kinds=("final",))
def self_eval_total(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.doc.self_evaluations:
        scores = [i.score for i in ev.indicators if i.score is not None]
        if ev.total_score is None or not scores:
            continue
        expected = sum(scores, Decimal(0)) + (ev.execution_score or Decimal(0))
        # only scores with a fraction beyond halves (1.71 of 2 points) can have been rounded
        rounded = sum(1 for s in scores if (s * 2) != (s * 2).to_integral_value())
        if abs(expected - ev.total_score) > Decimal("0.005") * (rounded + 1):
            yield Finding(
                rule_id="SE-TOTAL-001",
                severity="error",
                message=(
                    f"自评表“{ev.project_name or ev.title}”：总分 {ev.total_score} ≠ 预算执行得分 {ev.execution_score or 0} + "
                    f"{len(scores)} 项指标得分 {sum(scores, Decimal(0))} = {expected}"
                ),
                table="SE",
                expected=expected,
                actual=ev.total_score,
                difference=ev.total_score - expected,
                evidence=[_se_evidence(ev), *(Evidence("row", "SE", row_label=i.name, value=i.score, line=i.line)
                                               for i in ev.indicators if i.score is not None)],
            )  # fmt: skip


@rule("SE-RATE-001", "performance", "error", "自评表执行率 = 执行数 ÷ 预算数", kinds=("final",))
def self_eval_rate(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.doc.self_evaluations:
        if ev.budget is None or ev.executed is None or ev.execution_rate is None or ev.budget == 0:
            continue
        expected = ev.executed * 100 / ev.budget
        if abs(expected - ev.execution_rate) > Decimal("0.5"):
            yield Finding(
                rule_id="SE-RATE-001",
                severity="error",
                message=f"自评表“{ev.project_name or ev.title}”：执行率 {ev.execution_rate}% ≠ {ev.executed} ÷ {ev.budget} = {expected:.2f}%",
                table="SE",
                expected=expected,
                actual=ev.execution_rate,
                evidence=[_se_evidence(ev)],
            )


@rule("SE-RATE-002", "performance", "error", "预算执行得分 = 分值 × 执行率（不超过分值）", kinds=("final",))
def self_eval_rate_score(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.doc.self_evaluations:
        if ev.execution_rate is None or ev.execution_weight is None or ev.execution_score is None:
            continue
        expected = min(ev.execution_weight, ev.execution_weight * ev.execution_rate / 100)
        if abs(expected - ev.execution_score) > Decimal("0.01"):
            yield Finding(
                rule_id="SE-RATE-002",
                severity="error",
                message=(
                    f"自评表“{ev.project_name or ev.title}”：预算执行得分 {ev.execution_score} ≠ "
                    f"{ev.execution_weight} × {ev.execution_rate}% = {expected:.2f}"
                ),
                table="SE",
                expected=expected,
                actual=ev.execution_score,
                evidence=[_se_evidence(ev)],
            )


@rule("SE-SCORE-001", "performance", "error", "自评表各指标得分不超过其分值", kinds=("final",))
def self_eval_score_cap(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.doc.self_evaluations:
        for ind in ev.indicators:
            if ind.score is not None and ind.weight is not None and ind.score > ind.weight:
                yield Finding(
                    rule_id="SE-SCORE-001",
                    severity="error",
                    message=f"自评表“{ev.project_name or ev.title}”第 {ind.line} 行“{ind.name}”得分 {ind.score} 超过分值 {ind.weight}",
                    table="SE",
                    expected=ind.weight,
                    actual=ind.score,
                    evidence=[Evidence("row", "SE", row_label=ind.name, value=ind.score, line=ind.line)],
                )


@rule("SE-WEIGHT-001", "performance", "warning", "自评表各指标分值与预算执行分值合计为 100 分", kinds=("final",),
      basis="regulation")  # fmt: skip
def self_eval_weights(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.doc.self_evaluations:
        weights = [i.weight for i in ev.indicators if i.weight is not None]
        if len(weights) != len(ev.indicators) or not weights or ev.execution_weight is None:
            continue
        total = sum(weights, Decimal(0)) + ev.execution_weight
        if abs(total - 100) > Decimal("0.05"):
            yield Finding(
                rule_id="SE-WEIGHT-001",
                severity="warning",
                message=f"自评表“{ev.project_name or ev.title}”：分值合计 {total}，应为 100",
                table="SE",
                expected=Decimal(100),
                actual=total,
                evidence=[_se_evidence(ev)],
            )


_HEADER_COLUMNS = {"基本支出总额": "基本支出", "项目支出总额": "项目支出"}


@rule("SE-HEADER-001", "performance", "error", "部门整体绩效自评表表头的基本支出、项目支出总额与支出决算表一致",
      kinds=("final",), tables=("F03",))  # fmt: skip
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
            yield Finding(
                rule_id="SE-HEADER-001",
                severity="info" if tail else "error",
                message=f"自评表“{ev.project_name or ev.title}”表头{label} {value} {'与' if tail else '≠'} 支出决算表 {column} {fmt(ref.value)}",
                table="SE",
                expected=ref.value,
                actual=value,
                difference=value - ref.value,
                evidence=[_se_evidence(ev), ref.evidence("copy")],
            )
