"""Rules of the family hierarchy (科目层级): each fires on a seed with the mistake it looks for and stays
quiet on a clean one."""

from __future__ import annotations

from cnbudget.model import Document
from support.rulecases import B06, Case, _b, _drop_row, assert_fires, assert_quiet, cases_of, fresh, row


def _unknown_class(doc: Document) -> None:
    r = row(doc, "B03", code="221")
    r.code = r.resolved_code = "998"


def _orphan(doc: Document) -> None:
    t = doc.table("B03")
    t.rows = [r for r in t.rows if r.code != "20141"]


def _rename(doc: Document) -> None:
    row(doc, "B05", code="2014150").label = "事业机构运转经费"


def _old_class_name(doc: Document) -> None:
    # class 210 was 医疗卫生与计划生育支出 until 2018; seed 000 is a 2026 budget
    row(doc, "B05", code="210").label = "医疗卫生与计划生育支出"


CASES = [
    Case("HIER-NAME-002", "000", _old_class_name, "000"),
    Case("HIER-B03-TOTAL", "000", _b("B03", "合计", code="201"), "000"),
    Case("HIER-B03-CLASS", "000", _b("B03", "合计", code="20141"), "000"),
    Case("HIER-B03-KUAN", "000", _b("B03", "合计", code="2014150"), "000"),
    Case("HIER-B05-TOTAL", "004", _b("B05", "合计", code="206"), "004"),
    Case("HIER-B05-CLASS", "004", _b("B05", "合计", code="20601"), "004"),
    Case("HIER-B05-KUAN", "004", _b("B05", "合计", code="2060101"), "004"),
    Case("HIER-B06-TOTAL", "000", _b("B06", B06 + "合计", code="301"), "000"),
    Case("HIER-B06-CLASS", "000", _b("B06", B06 + "合计", code="30101"), "000"),
    Case("HIER-F02-TOTAL", "003", _b("F02", "本年收入合计", code="210"), "003"),
    Case("HIER-F02-CLASS", "003", _b("F02", "本年收入合计", code="21011", nth=0), "003"),
    Case("HIER-F02-KUAN", "003", _b("F02", "本年收入合计", code="2101101"), "003"),
    Case("HIER-F03-TOTAL", "003", _b("F03", "本年支出合计", code="210"), "003"),
    Case("HIER-F03-CLASS", "003", _b("F03", "本年支出合计", code="21011", nth=0), "003"),
    Case("HIER-F03-KUAN", "003", _b("F03", "本年支出合计", code="2101101"), "003"),
    Case("HIER-F05-TOTAL", "003", _b("F05", "本年支出/小计", code="210"), "003"),
    Case("HIER-F05-CLASS", "003", _b("F05", "本年支出/小计", code="21011"), "003"),
    Case("HIER-F05-KUAN", "003", _b("F05", "本年支出/小计", code="2101101"), "003"),
    Case("HIER-F06-CLASS", "003", _b("F06", "人员经费/决算数", code="30101"), "003"),
    Case("HIER-F06-TOTAL", "003", _b("F06", "人员经费/决算数", code="301", nth=0), "003"),
    Case("HIER-CODE-001", "000", _unknown_class, "000"),
    Case("HIER-CODE-002", "000", _orphan, "000"),
    Case("HIER-NAME-001", "004", _rename, "004"),
    Case(
        "HIER-CODE-003",
        "000",
        _drop_row("B05", code="2210201")
        and (lambda d: [_drop_row("B05", code=c)(d) for c in ("2210201", "2210202", "2210203")]),
        "000",
    ),
]


@cases_of(CASES)
def test_fires(case: Case) -> None:
    assert_fires(case)


@cases_of(CASES)
def test_quiet_when_clean(case: Case) -> None:
    assert_quiet(case)


def test_names_by_year_judge_only_known_periods() -> None:
    from cnbudget.domain.codes import name_out_of_year

    assert name_out_of_year("210", "医疗卫生与计划生育支出", 2026).name == "卫生健康支出"  # type: ignore[union-attr]
    assert name_out_of_year("210", "卫生健康支出", 2026) is None
    assert name_out_of_year("210", "卫生健康支出", 2017).name == "医疗卫生与计划生育支出"  # type: ignore[union-attr]
    # 行政事业单位离退休 is printed up to 2019 and 行政事业单位养老支出 from 2023: 2021 is not judged
    assert name_out_of_year("20805", "行政事业单位离退休", 2021) is None
    assert name_out_of_year("20805", "行政事业单位离退休", 2025).name == "行政事业单位养老支出"  # type: ignore[union-attr]
    assert name_out_of_year("2010101", "行政运行", 2025) is None  # no history recorded


def test_economic_detail_to_kuan_is_asked_of_basic_spending_only() -> None:
    """The regulation asks 基本支出 by economic class to 款: a table of all spending by economic class printed to
    类 (B17) is not judged, the same rows as 基本支出 (B06) are."""
    from cnbudget.audit import audit

    for table_id, fires in (("B06", True), ("B17", False)):
        doc = fresh("000")
        b06 = doc.table("B06")
        b06.rows = [r for r in b06.rows if len(r.full_code) != 5]
        b06.id = table_id
        found = [f for f in audit(doc).findings if f.rule_id == "HIER-CODE-003"]
        assert bool(found) == fires, table_id
