"""Rules of the family text (文字质量): each fires on a seed whose words were changed the way reviewers find
them changed in real disclosures (the seed's text edited and parsed again), and stays quiet on a clean one.
The real defects of the corpus (a doubled full stop, a bracket left open, template words) are recorded in
tests/fixtures/corpus/expectations.toml and checked by tests/system/test_real_documents.py."""

from __future__ import annotations

import pytest

from cnbudget.audit import audit
from cnbudget.audit.rules.wording import unbalanced
from cnbudget.model import Document
from support.rulecases import Case, assert_fires, assert_quiet, cases_of, edited, fresh


def _unit_heading(doc: Document) -> None:
    part = next(p for p in doc.parts if "单位预算情况说明" in p.title)
    part.title = part.title.replace("单位预算", "部门预算")


def _blank_page(doc: Document) -> None:
    doc.blank_pages = [31]


CASES = [
    Case("TEXT-PUNCT-001", "000", edited("占 90.55%；", "占 90.55%；；"), "000"),
    Case(
        "TEXT-BRACKET-001",
        "000",
        edited("主要原因是新增公务用车一台。", "主要原因是新增《公务用车一台。"),
        "000",
    ),
    Case("TEXT-TRUNC-001", "000", edited("主要原因是新增公务用车一台。", "主要原因是。"), "000"),
    Case("TEXT-TEMPLATE-001", "001", None, "000"),
    Case("TEXT-GLYPH-001", "000", edited("占 90.55%；", "占 90.55%\ufffd\ufffd；"), "000"),
    Case("TEXT-SCOPE-001", "002", _unit_heading, "002"),
    # a text seed has no pages; js-npc-2017's blank last page (p.31) is recorded in the corpus expectations
    Case("TEXT-PAGE-001", "000", _blank_page, "000"),
]


@cases_of(CASES)
def test_fires(case: Case) -> None:
    assert_fires(case)


@cases_of(CASES)
def test_quiet_when_clean(case: Case) -> None:
    assert_quiet(case)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（一）收入预算（含结转）。", []),
        ("经费（其中，“三公”经费 3 万元。公用经费 2 万元）。", []),  # a parenthesis may run past a full stop
        ("询价采购《机房监测系统、防病毒软件续保服务；开展运维。", [(4, "《》")]),  # a title may not
        ("平均得分99.33分（其中，绩效评级为“优”的项目39个。", [(10, "（）")]),
        ("行政运行(项）支出 5 万元）。", [(14, "（）")]),  # half- and full-width pair; one too many closes
    ],
)
def test_unbalanced_marks(text: str, expected: list[tuple[int, str]]) -> None:
    assert unbalanced(text) == expected


def test_one_finding_per_kind_with_every_place() -> None:
    """Ten doubled marks are one finding with ten places, not ten findings."""
    doc = fresh("000")
    edited("万元，", "万元，，", count=10)(doc)
    found = [f for f in audit(doc).findings if f.rule_id == "TEXT-PUNCT-001"]
    assert len(found) == 1
    assert len(found[0].evidence) >= 8 and "等" in found[0].message
    from cnbudget.audit.rules.wording import _snippet

    text = "部门预算与2023年度减少0.15万元，下降（增长）27.78%，主要原因是人员变动。"
    start = text.index("下降（增长）")
    quoted = _snippet(text, start, start + 6, 14)  # 14 characters back would start inside "2023"
    assert "2023年度" in quoted and "27.78%" in quoted
    assert _snippet("共计 1,234.56 万元", 9, 11, 4).startswith("1,234.56")


def test_the_other_parts_are_read_too() -> None:
    """名词解释 (第四部分) is running text like the narrative: its doubled full stop is found, and the message
    says it is not in the 情况说明."""
    doc = fresh("000")
    edited("指市级财政一般公共预算当年拨付的资金。", "指市级财政一般公共预算当年拨付的资金。。")(doc)
    assert any("名词解释" in s.heading for s in doc.prose)
    found = [f for f in audit(doc).findings if f.rule_id == "TEXT-PUNCT-001"]
    assert len(found) == 1 and found[0].message.startswith("说明文字中有")
    assert "当年拨付的资金。。" in found[0].message


def test_a_sentence_stopped_after_the_templates_year() -> None:
    """Shandong's template starts "（一）收入预算：2026年" and the figures were never filled in."""
    doc = fresh("000")
    edited("主要原因是新增公务用车一台。", "（一）收入预算：2025年。")(doc)
    found = [f for f in audit(doc).findings if f.rule_id == "TEXT-TRUNC-001"]
    assert len(found) == 1 and "收入预算：2025年。" in found[0].message
