"""Rules of the family performance (绩效): each fires on a seed with the mistake it looks for and stays
quiet on a clean one."""

from __future__ import annotations

from decimal import Decimal

from cnbudget.model import Document
from support.rulecases import Case, _se, assert_fires, assert_quiet, cases_of, edited


def _target(doc: Document) -> None:
    from cnbudget.model import TargetValue

    doc.performance[0].indicators[0].target = TargetValue(raw="/")


def _funds(doc: Document) -> None:
    b12 = next(p for p in doc.performance if p.id == "B12-1")
    next(f for f in b12.funds if "一般公共预算" in f.label).amount = Decimal("200.00")


def _current(doc: Document) -> None:
    b12 = next(p for p in doc.performance if p.id == "B12-1")
    b12.current_budget = Decimal("445.40")


def _b12_vs_b10(doc: Document) -> None:
    b12 = next(p for p in doc.performance if p.id == "B12-1")
    b12.current_budget = Decimal("900.00")


def _b11_project(doc: Document) -> None:
    b11 = next(p for p in doc.performance if p.id == "B11")
    next(p for p in b11.projects if p.label == "一体化数字资源服务采购项目").amount = Decimal("500.00")


def _se_score(doc: Document) -> None:
    ind = next(i for i in doc.self_evaluations[0].indicators if i.weight is not None)
    ind.score = ind.weight + 1


def _se_weight(doc: Document) -> None:
    ind = next(i for i in doc.self_evaluations[2].indicators if i.weight is not None)
    ind.weight = ind.weight + 3


def _fix_smart_city(doc: Document) -> None:
    next(
        e for e in doc.self_evaluations if e.project_name == "智慧城市建设及相关运维经费"
    ).total_score = Decimal("99.57")


def _fix_header(doc: Document) -> None:
    doc.self_evaluations[0].header_amounts["基本支出总额"] = Decimal("2867.82")


CASES = [
    Case("PERF-TARGET-001", "000", _target, "000"),
    Case("PERF-UNIT-001", "004", None, "000"),
    Case("PERF-FUNDS-001", "000", _funds, "000"),
    Case("PERF-FUNDS-002", "000", _current, "000"),
    Case("PERF-B10-001", "001", _b12_vs_b10, "001"),
    Case("PERF-B10-002", "000", _b11_project, "000"),
    Case("SE-TOTAL-001", "003", None, "003", fix=_fix_smart_city),
    Case("SE-RATE-001", "003", _se("execution_rate", "90"), "003"),
    Case("SE-RATE-002", "003", _se("execution_score", "18"), "003"),
    Case("SE-SCORE-001", "003", _se_score, "003"),
    Case("SE-WEIGHT-001", "003", _se_weight, "003"),
    Case("SE-HEADER-001", "003", None, "003", fix=_fix_header),
    # 1681.58 is 28.42% of 5916.68; the mutation prints 26.42%
    Case("PERF-SHARE-001", "000", edited("1681.58\t28.42%", "1681.58\t26.42%"), "000"),
    # the seed's own error (its 大数据中心工作经费 综述 says 2,416.83, the table 3,797.75), and the seed with the
    # 综述 corrected to the table
    Case(
        "SE-NARR-001",
        "003",
        None,
        "003",
        fix=edited(
            "项目全年预算数为 2,416.83 万元，执行数为 2,416.83 万元",
            "项目全年预算数为 3,797.75 万元，执行数为 3,797.75 万元",
        ),
    ),
]


@cases_of(CASES)
def test_fires(case: Case) -> None:
    assert_fires(case)


@cases_of(CASES)
def test_quiet_when_clean(case: Case) -> None:
    assert_quiet(case)
