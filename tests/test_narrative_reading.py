"""Reading figures out of narrative sentences: which amount a clause is about, what is a change, what is not
a figure at all. The sentences are those of the Shanghai district budgets (tests/fixtures/corpus)."""

from __future__ import annotations

from decimal import Decimal

import cnbudget
from cnbudget.audit import audit

TEXT = """上海市普陀区某某局2025年部门预算
第三部分 2025年部门预算情况说明
一、收入预算情况
2025年，本部门收入预算16497.86万元，其中：财政拨款收入16497.86万元，比2024年预算增加1421.25万元；事业收入0万元，比2024年预算增加（减少）0万元，增长（下降）0%。
二、国有资产占有情况
固定资产3149.52万元，其中：房屋14609.83平方米；单价50万元以上通用设备2台，单价100万元以上专用设备0台，其他固定资产0万元。
"""


def test_the_same_figure_twice_in_a_sentence_keeps_each_its_place() -> None:
    claims = cnbudget.parse_text(TEXT).claims
    total, appropriation = claims[0], claims[1]
    assert (total.amount, appropriation.amount) == (Decimal("16497.86"), Decimal("16497.86"))
    assert total.tail.startswith("，其中：财政拨款收入")
    assert appropriation.head.endswith("其中：财政拨款收入") and appropriation.tail.startswith("，比2024年")


def test_a_template_change_word_left_as_printed_is_a_change() -> None:
    income = next(c for c in cnbudget.parse_text(TEXT).claims if c.subject == "事业收入")
    assert (income.amount, income.change_amount, income.change_pct) == (0, 0, 0)


def test_no_false_findings_on_these_sentences() -> None:
    # 财政拨款收入 is the first part of 收入预算, not a total with 事业收入 under it; 单价50万元以上 is a
    # threshold, not a part of 固定资产; "增加（减少）0万元，增长（下降）0%" is no change
    findings = [f for f in audit(cnbudget.parse_text(TEXT)).findings if f.rule_id.startswith("NARR-")]
    assert [(f.rule_id, f.severity) for f in findings if f.severity != "info"] == []


def test_a_share_printed_after_a_space_names_its_base() -> None:
    text = TEXT.replace(
        "二、国有资产占有情况", "财政拨款支出16497.86万元，占本年支出合计的 100%。\n二、国有资产占有情况"
    )
    claim = next(c for c in cnbudget.parse_text(text).claims if c.share_pct is not None)
    assert (claim.share_pct, claim.share_base) == (Decimal("100"), "本年支出合计")
