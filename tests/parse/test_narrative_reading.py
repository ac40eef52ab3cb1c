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


def test_a_figure_set_against_another_year_is_not_a_stale_figure() -> None:
    text = TEXT.replace(
        "二、国有资产占有情况",
        "三、增减原因\n养老服务发展资金项目由2024年177万元增加至237万元，项目支出增加；2025年在职人员较2024年增加。\n"
        "二、国有资产占有情况",
    )
    findings = [f for f in audit(cnbudget.parse_text(text)).findings if f.rule_id == "NARR-YEAR-001"]
    assert findings == []


SPLIT_CONTENTS = """2026年某某市教育局部门预算
目 录
第一部分 部门概况
第二部分 2026年部门预算情况说明
第三部分 名词解释
第一部分
部门概况
一、主要职责
负责全市教育工作。
第二部分
2026年部门预算情况说明
一、收支预算情况
2026年收入预算1,000.00万元，比上年增加100.00万元，增长11.11%。
第三部分
名词解释
一、财政拨款收入：指市级财政拨款形成的部门收入（含结转。
"""


def test_contents_end_where_the_body_prints_its_first_part_over_two_lines() -> None:
    """The contents print "第一部分 部门概况" on one line, the body "第一部分" and "部门概况" on two: the
    contents end there, each part has its whole title, and the narrative is the body's, not the contents'."""
    doc = cnbudget.parse_text(SPLIT_CONTENTS)
    assert doc.toc_lines == (2, 5)
    assert [p.title for p in doc.parts] == [
        "第一部分部门概况",
        "第二部分2026年部门预算情况说明",
        "第三部分名词解释",
    ]
    assert [c.amount for c in doc.claims] == [Decimal("1000.00")]
    # 名词解释 is read as running text: its definition is a sentence, not a heading, and its bracket is open
    assert any("财政拨款收入：指" in s.text for s in doc.prose)
    assert any(f.rule_id == "TEXT-BRACKET-001" for f in audit(doc).findings)


def test_a_change_after_a_list_of_parts_is_the_wholes() -> None:
    """西安: "收入344,447.70万元，其中：一般公共预算拨款324,638.50万元、上年结转13,102.70万元、其他收入
    3,444.00万元，较上年减少129,422.00万元，下降27.31%" — the fall is the whole's (129,422 ÷ 473,869.70)."""
    text = TEXT.replace(
        "二、国有资产占有情况",
        "本部门当年预算收入344,447.70万元，其中：一般公共预算拨款324,638.50万元、上年结转13,102.70万元、"
        "其他收入6,706.50万元，较上年减少129,422.00万元，下降27.31%。\n二、国有资产占有情况",
    )
    claims = [c for c in cnbudget.parse_text(text).claims if c.sentence.startswith("本部门当年预算收入")]
    assert [(c.amount, c.change_amount, c.change_pct) for c in claims] == [
        (Decimal("344447.70"), Decimal("-129422.00"), Decimal("-27.31")),
        (Decimal("324638.50"), None, None),
        (Decimal("13102.70"), None, None),
        (Decimal("6706.50"), None, None),
    ]


def test_every_part_that_explains_is_narrative() -> None:
    """西安 prints 第二部分 部门预算收支情况说明 and 第三部分 其他重要事项说明: both are read."""
    text = SPLIT_CONTENTS.replace(
        "第三部分\n名词解释", "第三部分\n其他重要事项说明\n一、三公经费\n“三公”经费预算12.00万元。"
    )
    doc = cnbudget.parse_text(text)
    assert [c.amount for c in doc.claims] == [Decimal("1000.00"), Decimal("12.00")]


def test_a_part_of_project_spending_is_not_held_to_the_whole_class_row() -> None:
    """长沙: "项目支出预算270.00万元……其中：教育支出270.00万元" is 教育支出's 项目支出, not its whole row."""
    from cnbudget.audit.rules.narrative.common import narrowed_by_whole

    text = TEXT.replace(
        "二、国有资产占有情况",
        "（二）项目支出：2025年本单位项目支出预算270.00万元，主要用于专项业务，其中：教育支出270.00万元。\n"
        "二、国有资产占有情况",
    )
    claims = [c for c in cnbudget.parse_text(text).claims if "项目支出预算" in c.sentence]
    assert [narrowed_by_whole(c, claims) for c in claims] == ["", "项目支出"]


def test_a_base_named_with_its_kind_is_the_base() -> None:
    """ "比2025年年初预算数1,000.00万元增加100.00万元": 1,000.00 is the base, not a figure of 2026."""
    text = TEXT.replace(
        "二、国有资产占有情况",
        "2025年一般公共预算财政拨款支出1,100.00万元，比2024年年初预算数1,000.00万元增加100.00万元，增长10.00%。\n"
        "二、国有资产占有情况",
    )
    claims = [
        c for c in cnbudget.parse_text(text).claims if c.sentence.startswith("2025年一般公共预算财政拨款支出")
    ]
    assert [(c.amount, c.base_amount, c.change_pct) for c in claims] == [
        (Decimal("1100.00"), Decimal("1000.00"), Decimal("10.00"))
    ]


def test_words_that_name_no_item_are_not_one_subject() -> None:
    """Two items each "预算安排 X万元，比上年增加 Y万元": their last years are not one figure's."""
    text = TEXT.replace(
        "二、国有资产占有情况",
        "1.因公出国（境）费：预算安排10.00万元，比上年增加2.00万元。\n2.公务接待费：预算安排6.00万元，比上年增加1.00万元。\n"
        "二、国有资产占有情况",
    )
    assert not [f for f in audit(cnbudget.parse_text(text)).findings if f.rule_id == "NARR-PRIOR-001"]


THREE_PUBLIC = TEXT.replace(
    "二、国有资产占有情况",
    "2025年“三公”经费预算12.00万元，其中：因公出国（境）费2.00万元，公务用车购置及运行维护费6.00万元（公务用车购置费"
    "2.00万元，公务用车运行维护费4.00万元），公务接待费4.00万元。\n二、国有资产占有情况",
)


def test_a_parts_breakdown_in_brackets_is_not_more_parts() -> None:
    """The 购置费 and 运行维护费 in brackets make up their 公务用车 figure; the list still adds up to 12.00, and a
    wrong part is still found."""
    parts = [f for f in audit(cnbudget.parse_text(THREE_PUBLIC)).findings if f.rule_id == "NARR-PARTS-001"]
    assert parts == []
    wrong = THREE_PUBLIC.replace("公务接待费4.00万元", "公务接待费5.00万元")
    parts = [f for f in audit(cnbudget.parse_text(wrong)).findings if f.rule_id == "NARR-PARTS-001"]
    assert (
        len(parts) == 1
        and "合计 13.00" in parts[0].message
        and "购置费" not in parts[0].message.split("其中所列")[1]
    )
