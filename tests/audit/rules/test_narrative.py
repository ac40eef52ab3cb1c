"""Rules of the family narrative (说明与报表一致): each fires on a seed with the mistake it looks for and stays
quiet on a clean one."""

from __future__ import annotations

import copy
from decimal import Decimal

from cnbudget.audit import audit
from cnbudget.audit.findings import Finding
from cnbudget.model import Document
from support.rulecases import Case, assert_fires, assert_quiet, cases_of, claim, edited, fresh


def _share(doc: Document) -> None:
    claim(doc, "一般公共预算财政拨款收入", "5357.53").share_pct = Decimal("80.55")


def _prior(doc: Document) -> None:
    first = claim(doc, "收支总预算")
    other = copy.deepcopy(first)
    other.change_amount, other.change_pct, other.line = Decimal("-58.12"), Decimal("-6.95"), 600
    doc.narrative[-1].claims.append(other)


def _prior_b11(doc: Document) -> None:
    b11 = next(p for p in doc.performance if p.id == "B11")
    fund = next(f for f in b11.funds if f.label == "合计")
    fund.others[-1] = Decimal("4000.00")


def _parts(doc: Document) -> None:
    claim(doc, "货物类").amount = Decimal("122.99")


def _project_claim(doc: Document) -> None:
    claim(doc, "一体化数字资源服务采购项目", "569.20").amount = Decimal("579.20")


def _fix_completion(doc: Document) -> None:
    next(c for c in doc.claims if c.completion_pct == Decimal("78.0")).completion_pct = Decimal("77.9")


CASES = [
    Case("NARR-AMOUNT-001", "000", None, "002"),
    Case("NARR-SHARE-001", "000", _share, "000"),
    Case("NARR-CHANGE-001", "000", None, "002"),
    Case("NARR-PRIOR-001", "002", _prior, "002"),
    Case("NARR-PRIOR-002", "000", _prior_b11, "000"),
    Case("NARR-YEAR-001", "001", None, "000"),
    Case("NARR-YEAR-002", "000", None, "002"),
    Case("NARR-COMPLETION-001", "003", None, "003", fix=_fix_completion),
    Case("NARR-PARTS-001", "000", _parts, "000"),
    Case("NARR-PROJECT-001", "000", _project_claim, "000"),
    # 1,409.69 budgeted, 1,791.15 spent: the seed says 大于; the mutation says 小于
    Case(
        "NARR-DIRECTION-001",
        "003",
        edited("支出决算数大于年初预算数主要原因", "支出决算数小于年初预算数主要原因"),
        "003",
    ),
    # "2026 年预算数 31.18 万元，比 2025 年预算增加 0.01 万元，增长 0.03%，与上年基本持平" loses 基本
    Case("NARR-FLAT-001", "002", edited("与上年基本持平", "与上年持平"), "002"),
    # 事业单位医疗 is 2101102, not under 住房改革支出 (22102)
    Case(
        "NARR-NAME-001",
        "000",
        edited("住房改革支出(款)购房补贴(项)", "住房改革支出(款)事业单位医疗(项)"),
        "000",
    ),
    # the 2026 narrative calls class 210 by its 2014–2018 name (a paragraph copied from an old document)
    Case(
        "NARR-NAME-002",
        "000",
        edited(
            "卫生健康支出(类)行政事业单位医疗(款)公务员医疗补助(项)2026",
            "医疗卫生与计划生育支出(类)行政事业单位医疗(款)公务员医疗补助(项)2026",
        ),
        "000",
    ),
    Case(
        "NARR-PURPOSE-001",
        "000",
        edited(
            "购房补贴(项)2026年预算数27.68万元,比2025年预算增加1.05万元,增长3.94%,主要是:新入职6人,费用增加。",
            "购房补贴(项)2026年预算数27.68万元,比2025年预算增加1.05万元,增长3.94%,主要用于:职工基本医疗保险缴费。",
        ),
        "000",
    ),
    # Shanghai's layout with the base printed: (801.72 − 700.00) ÷ 700.00 is 14.53%, not 12.50%
    Case(
        "NARR-BASE-001",
        "000",
        edited(
            "事业运行(项)2026 年预算数 801.72 万元，比 2025 年预算增加 50.51 万元，增长 6.72%，",
            "事业运行(项)801.72 万元。2025 年当年预算执行数为 700.00 万元，2026 年预算安排 801.72 万元，"
            "比 2025 年预算执行数增加 12.50%，",
        ),
        "000",
        fix=edited(
            "事业运行(项)2026 年预算数 801.72 万元，比 2025 年预算增加 50.51 万元，增长 6.72%，",
            "事业运行(项)801.72 万元。2025 年当年预算执行数为 700.00 万元，2026 年预算安排 801.72 万元，"
            "比 2025 年预算执行数增加 14.53%，",
        ),
    ),
    # Shanghai's layout: “…（项）”X万元，主要用于…。YYYY年预算安排Y万元 (real in shpt-wanli-2023/2024, recorded)
    Case(
        "NARR-REPEAT-001",
        "000",
        edited(
            "事业运行(项)2026 年预算数 801.72 万元，",
            "事业运行(项)801.72 万元。2026 年预算安排 810.72 万元，",
        ),
        "000",
        fix=edited(
            "事业运行(项)2026 年预算数 801.72 万元，",
            "事业运行(项)801.72 万元。2026 年预算安排 801.72 万元，",
        ),
    ),
]


@cases_of(CASES)
def test_fires(case: Case) -> None:
    assert_fires(case)


@cases_of(CASES)
def test_quiet_when_clean(case: Case) -> None:
    assert_quiet(case)


def _line_findings(doc: Document, rule_id: str, line: int) -> list[Finding]:
    return [f for f in audit(doc).findings if f.rule_id == rule_id and f"第 {line} 行" in f.message]


def test_a_share_one_unit_off_is_evened_out_not_an_error() -> None:
    # 基本支出 1816.35 of 5916.69 is 30.699%: printed 30.70; 30.71 is what evening shares out to 100% gives
    doc = fresh("000")
    basic = claim(doc, "基本支出", "1816.35")
    basic.share_pct = Decimal("30.71")
    assert not _line_findings(doc, "NARR-SHARE-001", basic.line)
    basic.share_pct = Decimal("30.73")
    assert [f.severity for f in _line_findings(doc, "NARR-SHARE-001", basic.line)] == ["error"]


def test_a_share_of_a_named_base_is_computed_on_it() -> None:
    # “三公”经费 of seed 000 total 24.49 (B07): 公务用车购置及运行维护费 23.99 is 97.96% of it
    doc = fresh("000")
    car = claim(doc, "公务用车购置及运行维护费", "23.99")
    car.change_amount = car.change_pct = None
    car.share_pct, car.share_base = Decimal("97.96"), "“三公”经费"
    assert not _line_findings(doc, "NARR-SHARE-001", car.line)
    car.share_pct = Decimal("0.41")  # of the whole budget 5,916.69, not of the 三公 total the sentence names
    found = _line_findings(doc, "NARR-SHARE-001", car.line)
    assert len(found) == 1 and "“三公”经费 24.49 计算应为 97.96%" in found[0].message


def test_a_rise_from_nothing_written_as_100_percent_is_information() -> None:
    """A new item's “增长100%” is the accepted convention (issue 11): info with the explanation, never an error."""
    doc = fresh("000")
    purchase = claim(doc, "公务用车购置费", "17.99")
    purchase.change_amount, purchase.change_pct = Decimal("17.99"), Decimal("100")
    found = _line_findings(doc, "NARR-CHANGE-001", purchase.line)
    assert [f.severity for f in found] == ["info"] and "新增" in found[0].message
    purchase.change_pct = Decimal("50")
    assert [f.severity for f in _line_findings(doc, "NARR-CHANGE-001", purchase.line)] == ["error"]


def test_a_function_item_named_without_its_class_is_found() -> None:
    # “行政事业单位医疗（款）公务员医疗补助（项）” is 2101103 of B05 (96.50 in seed 000)
    doc = fresh("000")
    full = claim(doc, "公务员医疗补助", "96.50")
    full.subject = "行政事业单位医疗（款）公务员医疗补助（项）"
    full.change_amount = full.change_pct = None
    assert not _line_findings(doc, "NARR-AMOUNT-001", full.line)
    full.amount = Decimal("99.50")
    found = _line_findings(doc, "NARR-AMOUNT-001", full.line)
    assert found and found[0].severity == "error" and "公务员医疗补助 为 96.50" in found[0].message


def test_a_misspelt_item_name_is_a_warning_naming_the_printed_one() -> None:
    """ "一般行政事务管理" for the tables' 一般行政管理事务 (as three Jiangsu court budgets print it)."""
    doc = fresh("000")
    edited("数据事务(款)事业运行(项)", "数据事务(款)运行事业(项)")(doc)
    found = [f for f in audit(doc).findings if f.rule_id == "NARR-NAME-001"]
    assert [f.severity for f in found] == ["warning"]
    assert "事业运行" in found[0].message and "运行事业" in found[0].message


def test_a_completion_rate_of_nothing_budgeted() -> None:
    """0 spent of 0 budgeted written as 0.0% is the convention (info); money spent against a budget of 0 has
    no completion rate (warning)."""
    doc = fresh("003")
    found = [
        f for f in audit(doc).findings if f.rule_id == "NARR-COMPLETION-001" and "第 580 行" in f.message
    ]
    assert [f.severity for f in found] == ["info"]
    edited(
        "全年预算为 0.00 万元，支出决算为 0.00 万元，完成全年预算的 0.0%",
        "全年预算为 0.00 万元，支出决算为 3.00 万元，完成全年预算的 100.0%",
    )(doc)
    found = [
        f for f in audit(doc).findings if f.rule_id == "NARR-COMPLETION-001" and "第 580 行" in f.message
    ]
    assert [f.severity for f in found] == ["warning"] and "无意义" in found[0].message


_ITEM = "事业运行(项)2026 年预算数 801.72 万元，比 2025 年预算增加 50.51 万元，增长 6.72%，"


def _base_findings(replacement: str) -> list[Finding]:
    doc = fresh("000")
    edited(_ITEM, replacement)(doc)
    return [f for f in audit(doc).findings if f.rule_id == "NARR-BASE-001"]


def test_a_fall_described_as_a_rise_is_an_error() -> None:
    """5,000.00 executed last year, 1,000.00 budgeted: "增加12.50%" is a fall of 80% described as a rise."""
    found = _base_findings(
        "事业运行(项)1,000.00 万元。2025 年当年预算执行数为 5,000.00 万元，2026 年预算安排 1,000.00 万元，"
        "比 2025 年预算执行数增加 12.50%，"
    )
    assert [f.severity for f in found] == ["error"] and "方向说反" in found[0].message


def test_a_change_against_the_base_printed_in_the_sentence() -> None:
    """ "较上年的7.80万元增加22.12万元": the base is printed; 29.92 − 7.80 = 22.12, and 22.12 is right."""
    assert not _base_findings("事业运行(项)2026 年预算数 29.92 万元，较上年的 7.80 万元增加 22.12 万元，")
    found = _base_findings("事业运行(项)2026 年预算数 29.92 万元，较上年的 7.80 万元增加 21.12 万元，")
    assert [f.severity for f in found] == ["error"] and "两数之差为 22.12" in found[0].message


def test_flat_with_a_different_base_is_an_error() -> None:
    found = _base_findings("事业运行(项)2026 年预算数 29.92 万元，较上年的 27.80 万元持平，")
    assert [f.severity for f in found] == ["error"] and "持平" in found[0].message


def test_a_rate_that_fits_the_items_own_figure_is_the_restated_figures_fault() -> None:
    """“…（项）”350.35万元 … 预算安排352.67万元，比上年执行数增加0.53%: 0.53% fits 350.35; NARR-REPEAT-001 reports
    the two amounts, NARR-BASE-001 stays quiet (one root)."""
    assert not _base_findings(
        "事业运行(项)350.35 万元。2025 年当年预算执行数为 348.52 万元，2026 年预算安排 352.67 万元，"
        "比 2025 年预算执行数增加 0.53%，"
    )


def test_names_of_another_year_only_where_they_name_a_class() -> None:
    """The old name is found in 名词解释 as in the narrative, once per name with every place; "行政事业单位离退休"
    as words of a purpose ("用于行政事业单位离退休人员") names no class and is not reported."""
    doc = fresh("000")
    edited("卫生健康支出(类)", "医疗卫生与计划生育支出(类)", count=4)(doc)
    found = [f for f in audit(doc).findings if f.rule_id == "NARR-NAME-002"]
    assert len(found) == 1 and "共 4 处" in found[0].message and len(found[0].evidence) == 4
    doc = fresh("000")
    edited("主要是:新入职6人,医疗保险增加。", "主要用于行政事业单位离退休人员医疗保险。")(doc)
    assert not [f for f in audit(doc).findings if f.rule_id == "NARR-NAME-002"]
