"""Performance goals (B11, B12-n) and the self-evaluation tables of final accounts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from cnbudget.domain.vocabulary import EvaluationScope, GoalKind


@dataclass(slots=True, frozen=True)
class TargetValue:
    """An indicator value, kept raw and parsed: "≥98%" → comparator ≥, number 98, unit %."""

    raw: str
    comparator: str | None = None
    """One of ≥ ≤ > < = ; None for plain or qualitative values."""
    number: Decimal | None = None
    unit: str = ""
    qualitative: bool = False
    """True for values such as 持续提升 or 有效保障 that have no number."""


@dataclass(slots=True)
class Indicator:
    name: str
    level1: str = ""
    """一级指标: 产出指标, 效益指标, 满意度指标, 成本指标."""
    level2: str = ""
    """二级指标: 数量指标, 质量指标, 时效指标, 社会效益指标 …"""
    target: TargetValue | None = None
    prior: tuple[TargetValue, ...] = ()
    """Values of earlier years where the table prints them (前年, 上年)."""
    basis: str = ""
    """指标值确定依据: 计划标准, 历史标准 …"""
    actual: TargetValue | None = None
    """Self-evaluation only: 实际完成值 (B)."""
    weight: Decimal | None = None
    """Self-evaluation only: 分值 (points the indicator is worth)."""
    score: Decimal | None = None
    """Self-evaluation only: 得分."""
    goal: str = ""
    """The goal heading the indicator sits under (长期目标 1, 年度目标 2 …)."""
    line: int = 0


@dataclass(slots=True)
class PerformanceGoal:
    kind: GoalKind
    """``long_term``, ``annual`` or ``overall``."""
    number: int | None
    text: str
    line: int


@dataclass(slots=True)
class FundSource:
    label: str
    amount: Decimal | None
    raw: str
    line: int
    others: list[Decimal] = field(default_factory=list)
    """Further amounts on the same row: B11 prints the two previous years' figures after this year's."""
    share: Decimal | None = None
    """The share printed beside this year's amount (B11's 占比 column: "28.42%")."""


@dataclass(slots=True)
class PerformanceTable:
    id: str
    """B11 (整体支出绩效目标) or B12-n (项目支出绩效目标 / 项目申报表)."""
    title: str
    title_line: int
    first_line: int
    last_line: int
    amount_unit: str = "万元"
    project_name: str = ""
    project_code: str = ""
    total_budget: Decimal | None = None
    """项目总预算 (B12) or 当年金额合计 (B11)."""
    current_budget: Decimal | None = None
    """项目当年预算."""
    funds: list[FundSource] = field(default_factory=list)
    """资金来源 lines (B12) or 收入/支出构成 lines (B11)."""
    projects: list[FundSource] = field(default_factory=list)
    """B11 项目支出情况: project names with their budgets."""
    goals: list[PerformanceGoal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)

    def fund_blocks(self) -> list[list[FundSource]]:
        """B11's 收入构成 and 支出构成 (in that order): each run of fund rows ending with its 合计 row."""
        blocks: list[list[FundSource]] = [[]]
        for fund in self.funds:
            blocks[-1].append(fund)
            if fund.label == "合计":
                blocks.append([])
        return [b for b in blocks if b and b[-1].label == "合计"]


@dataclass(slots=True)
class SelfEvaluation:
    """部门整体绩效自评表 or 项目自评表 (final accounts, 附件)."""

    title: str
    scope: EvaluationScope
    """``department`` or ``project``."""
    title_line: int
    first_line: int
    last_line: int
    project_name: str = ""
    budget: Decimal | None = None
    """预算数 (A)."""
    executed: Decimal | None = None
    """执行数 (B)."""
    execution_rate: Decimal | None = None
    """执行率 as printed, in percent."""
    execution_weight: Decimal | None = None
    """Points for budget execution (usually 20)."""
    execution_score: Decimal | None = None
    total_score: Decimal | None = None
    """总分 as printed."""
    header_amounts: dict[str, Decimal] = field(default_factory=dict)
    """Amounts stated in the form's header: {"基本支出总额": …, "项目支出总额": …}."""
    indicators: list[Indicator] = field(default_factory=list)
