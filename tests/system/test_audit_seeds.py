"""The audit of the five seeds: every genuine error is reported, and every error reported is genuine.

Each expected error below was verified by hand against the document text (line numbers are the seed
files'); the test fails both when one goes missing and when any other error-level finding appears.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from cnbudget.audit import audit
from support.seeds import seed

# (rule, primary line) → why it is an error, checked in the document
GENUINE_ERRORS = {
    "000": {
        (
            "DUP-PROJECT-001",
            362,
        ): "B10 gives 42010026157Y000000113 to 劳务派遣人员经费 and to 门户网站改版及内容服务项目",
        ("NARR-CHANGE-001", 724): "科学技术支出 2,565.35 up 2,565.32 from 0.03 is not 'growth 100%'",
        (
            "YEAR-ASOF-001",
            798,
        ): "a 2026 budget states assets 截至 2026 年 12 月 31 日 (a future date; should be 2025)",
        ("NARR-YEAR-002", 802): "事业运行经费 compared with 2024 in a 2026 budget",
        ("NARR-AMOUNT-001", 822): "预算支出 5,916.18 万元 while every table gives 5,916.68",
    },
    "001": {
        (
            "NARR-AMOUNT-001",
            1831,
        ): "一般公共预算基本支出 472.12 is last year's figure (B11 2023 column); tables give 387.32",
        ("NARR-YEAR-001", 1831): "the same sentence dates it 2023 in a 2024 budget",
        ("NARR-YEAR-001", 1900): "2023年项目支出 910.02 in a 2024 budget",
    },
    "002": {
        ("COMP-TABLE-001", None): "表2 收入总表 is listed in the contents but not published",
    },
    "003": {
        ("NARR-COMPLETION-001", 534): "职业年金 56.48 ÷ 72.48 = 77.9%, the narrative says 78.0%",
        ("SE-TOTAL-001", 992): "智慧城市 self-evaluation: 20 + Σ scores = 99.57, printed total 99.71",
        (
            "SE-HEADER-001",
            774,
        ): "整体绩效自评表 header gives 基本支出总额 14,784.19 (the total); 基本支出 is 2,867.82",
        (
            "SE-NARR-001",
            658,
        ): "大数据中心工作经费 综述 says 2,416.83 budgeted and executed; its self-evaluation 3,797.75",
    },
    "004": {
        ("NAME-ORG-001", 3): "the title says 硃口区, the tables 硚口区",
        ("NARR-AMOUNT-001", 1711): "一般公共预算基本支出 2,840.98 万元 is the total; 基本支出 is 1,680.88",
    },
}


def _errors(name: str) -> set[tuple[str, int | None]]:
    report = audit(seed(name))
    return {(f.rule_id, f.lines[0] if f.lines else None) for f in report.findings if f.severity == "error"}


@pytest.mark.parametrize("name", sorted(GENUINE_ERRORS))
def test_every_genuine_error_is_reported_and_nothing_else(name: str) -> None:
    assert _errors(name) == set(GENUINE_ERRORS[name])


def test_rounding_tails_are_information_not_errors() -> None:
    report = audit(seed("003"))
    tails = [f for f in report.findings if f.rule_id == "XT-F01-F03"]
    assert tails and all(f.severity == "info" for f in tails)  # F01 10,815.60 vs F03 10,815.59 …
    f06 = next(f for f in report.findings if f.rule_id == "HIER-F06-TOTAL")
    assert f06.severity == "info" and f06.difference == Decimal("-0.02")  # 285.07 vs 14 items = 285.09
    report = audit(seed("000"))
    assert any(
        f.severity == "info" and f.rule_id == "SUM-B03-ROW" for f in report.findings
    )  # 5,916.68 vs .69


def test_one_unit_that_explains_two_differences_is_a_warning() -> None:
    # B05U 135002 人员经费 348.38: its 小计 369.47 (= 348.38 + 21.10 - 0.01) and the department's 1,569.26
    # (= 1,220.89 + 348.38 - 0.01) both need 348.37. A typo, or an unrounded 348.375 printed as 348.38 while
    # the totals were rounded from unrounded figures: the reviewer must look, but it is not proven wrong.
    report = audit(seed("004"))
    located = [f for f in report.findings if f.rule_id == "SUM-LOCATE-001"]
    assert [(f.severity, f.lines[0], f.actual, f.expected) for f in located] == [
        ("warning", 306, Decimal("348.38"), Decimal("348.37"))
    ]
    assert "半分" in located[0].message


def test_findings_carry_evidence() -> None:
    report = audit(seed("000"))
    f = next(f for f in report.findings if f.rule_id == "NARR-AMOUNT-001")
    assert (
        f.expected == Decimal("5916.68")
        and f.actual == Decimal("5916.18")
        and f.difference == Decimal("-0.50")
    )
    assert f.lines[0] == 822 and "5,916.18" in f.message and "5,916.68" in f.message
    kinds = {e.kind for e in f.evidence}
    assert kinds == {"claim", "cell"}
    tail = next(f for f in report.findings if f.rule_id == "SUM-B03-ROW")
    assert tail.message.startswith("支出总表") and "≠" not in tail.message and "尾差" in tail.message


def test_coverage_is_reported(seed_name: str) -> None:
    report = audit(seed(seed_name))
    statuses = {o.status for o in report.outcomes}
    assert "evaluated" in statuses
    assert all(o.reason for o in report.outcomes if o.status != "evaluated")
    assert len(report.outcomes) == len({o.rule_id for o in report.outcomes})


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_every_finding_has_its_own_key_and_keeps_it_when_lines_move(name: str, tmp_path) -> None:
    """A reviewer's decision follows `Finding.key`: unique within a report, and the same in a republished
    version whose lines all moved (a paragraph added at the top)."""
    from cnbudget.parse import parse_file
    from support.seeds import SEED_FILES

    report = audit(seed(name))
    keys = [f.key for f in report.findings]
    assert len(set(keys)) == len(keys)
    text = SEED_FILES[name].read_text("utf-8")
    first_break = text.index("\n") + 1
    moved = tmp_path / SEED_FILES[name].name
    moved.write_text(
        text[:first_break] + "（本版本为更正后重新公开的版本。）\n\n" + text[first_break:], "utf-8"
    )
    again = audit(parse_file(moved))
    if any(f.lines for f in report.findings):  # the lines did move
        assert sorted(f.lines for f in again.findings) != sorted(f.lines for f in report.findings)
    assert sorted(f.key for f in again.findings) == sorted(keys)
