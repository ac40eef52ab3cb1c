"""Rules of the family sums (表内勾稽): each fires on a seed with the mistake it looks for and stays
quiet on a clean one."""

from __future__ import annotations

from decimal import Decimal

from cnbudget.audit import audit
from cnbudget.model import Cell, Document
from support.rulecases import B06, Case, _b, assert_fires, assert_quiet, bump, cases_of, fresh, row, set_cell


def _f07(doc: Document) -> None:
    r = row(doc, "F07", label="合计")
    r.cells = [
        Cell("本年支出/小计", "10.00", Decimal("10.00"), r.line),
        Cell("本年支出/基本支出", "4.00", Decimal(4), r.line),
        Cell("本年支出/项目支出", "5.00", Decimal(5), r.line),
    ]


def _f08(doc: Document) -> None:
    r = row(doc, "F08", label="合计")
    r.cells = [
        Cell("本年支出/合计", "10.00", Decimal(10), r.line),
        Cell("本年支出/基本支出项目支出", "3.00", Decimal(3), r.line),
    ]


def _f04_group(doc: Document) -> None:
    set_cell(doc, "F04", "收入/决算数", "10.00", label="年初财政拨款结转和结余", side="收入")
    set_cell(doc, "F04", "收入/决算数", "5.00", label="一般公共预算财政拨款", side="收入")


def _drop_row(doc: Document, table_id: str, code: str) -> None:
    """A 项 left out of a table: its 款 misses by the item's amount in every column."""
    table = doc.table(table_id)
    assert table is not None
    table.rows = [r for r in table.rows if r.code != code]


CASES = [
    Case("SUM-B01-ITEMS", "000", _b("B01", "支出/预算数", label="四、科学技术支出", side="支出"), "000"),
    Case("SUM-B01-TOTAL", "000", _b("B01", "收入/预算数", label="上年结转结余", side="收入"), "000"),
    Case("SUM-B01-BALANCE", "000", _b("B01", "支出/预算数", label="支出总计", side="支出"), "000"),
    Case("SUM-B04-ITEMS", "000", _b("B04", "支出/预算数", label="（四）科学技术支出", side="支出"), "000"),
    Case("SUM-B04-TOTAL", "000", _b("B04", "收入/预算数", label="收入总计", side="收入"), "000"),
    Case("SUM-B04-BALANCE", "000", _b("B04", "支出/预算数", label="支出总计", side="支出"), "000"),
    Case(
        "SUM-B04-GROUPS",
        "000",
        _b("B04", "收入/预算数", label="（一）一般公共预算拨款", side="收入", nth=1),
        "000",
    ),
    Case("SUM-F01-ITEMS", "003", _b("F01", "支出/金额", label="六、科学技术支出", side="支出"), "003"),
    Case("SUM-F01-TOTAL", "003", _b("F01", "支出/金额", label="总计", side="支出"), "003"),
    Case("SUM-F01-BALANCE", "003", _b("F01", "收入/金额", label="总计", side="收入"), "003"),
    Case("SUM-F04-ITEMS", "003", _b("F04", "支出/决算数/小计", label="六、科学技术支出", side="支出"), "003"),
    Case("SUM-F04-TOTAL", "003", _b("F04", "收入/决算数", label="总计", side="收入"), "003"),
    Case("SUM-F04-BALANCE", "003", _b("F04", "支出/决算数/小计", label="总计", side="支出"), "003"),
    Case("SUM-F04-GROUPS", "003", _f04_group, "003"),
    Case("SUM-B02-ROW", "000", _b("B02", "合计", code="157003"), "004"),
    Case("SUM-B02-SUBTOTAL", "000", _b("B02", "本年收入/事业收入", code="157003"), "004"),
    Case("SUM-B03-ROW", "000", _b("B03", "基本支出", code="2014150"), "000"),
    Case("SUM-B05-ROW", "000", _b("B05", "项目支出", code="2014150"), "004"),
    Case("SUM-B05-SUBTOTAL", "000", _b("B05", "基本支出/人员经费", code="2014150"), "000"),
    Case("SUM-B05U-ROW", "000", _b("B05U", "项目支出", code="157003"), "001"),
    Case("SUM-B05U-SUBTOTAL", "000", _b("B05U", "基本支出/人员经费", code="157003"), "000"),
    Case("SUM-B06-ROW", "000", _b("B06", B06 + "人员经费", code="30101"), "000"),
    Case("SUM-B07-ROW", "000", _b("B07", "公务接待费"), "000"),
    Case("SUM-B07-SUBTOTAL", "000", _b("B07", "公务用车购置及运行费/公务用车购置费"), "000"),
    Case("SUM-B10-ROW", "000", _b("B10", "本年拨款/一般公共预算", code="42010026157Y000000107"), "000"),
    Case("SUM-F02-ROW", "003", _b("F02", "财政拨款收入", code="2010301"), "003"),
    Case("SUM-F03-ROW", "003", _b("F03", "基本支出", code="2010301"), "003"),
    Case(
        "SUM-F04-SUBTOTAL",
        "003",
        _b("F04", "支出/决算数/一般公共预算财政拨款", label="一、一般公共服务支出", side="支出"),
        "003",
    ),
    Case("SUM-F05-SUBTOTAL", "003", _b("F05", "本年支出/基本支出", code="2010301"), "003"),
    Case("SUM-F07-SUBTOTAL", "003", _f07, "003"),
    Case("SUM-F08-ROW", "003", _f08, "003"),
    Case("SUM-F09-ROW", "003", _b("F09", "决算数/公务接待费"), "003"),
    Case("SUM-F09-SUBTOTAL", "003", _b("F09", "决算数/公务用车购置及运行维护费/公务用车运行维护费"), "003"),
    Case("SUM-BLANK-001", "000", None, "002"),
    Case(
        "SUM-LOCATE-001",
        "000",
        _b("B01", "支出/预算数", label="四、科学技术支出", side="支出", by="0.03"),
        "000",
    ),
    Case("SUM-ROOT-001", "000", lambda doc: _drop_row(doc, "B03", "2101102"), "000"),
    Case("SUM-UNITS-001", "004", _b("B02", "合计", code="135002"), "004"),
    Case("SUM-B10-GROUPS", "004", _b("B10", "合计", code="135001"), "004"),
]


@cases_of(CASES)
def test_fires(case: Case) -> None:
    assert_fires(case)


@cases_of(CASES)
def test_quiet_when_clean(case: Case) -> None:
    assert_quiet(case)


def test_one_mistyped_cell_is_reported_once_with_the_sums_it_breaks_under_it() -> None:
    # B05 2014150 事业运行 人员经费 is 666.95 in seed 000; typed as 671.95 it breaks the 基本支出 subtotal
    # of its row and the 款 sum of its column, each by 5.00
    doc = fresh("000")
    bump(doc, "B05", "基本支出/人员经费", code="2014150", by="5.00")
    report = audit(doc)
    located = [f for f in report.findings if f.rule_id == "SUM-LOCATE-001"]
    assert len(located) == 1 and located[0].severity == "error"
    assert "若为 666.95 则全部相符" in located[0].message
    assert sorted(r.rule_id for r in located[0].related) == ["HIER-B05-KUAN", "SUM-B05-SUBTOTAL"]
    assert all(r.severity == "error" for r in located[0].related)
    # the broken sums are listed under it, not reported again on their own
    assert not [
        f
        for f in report.findings
        if f.rule_id in ("HIER-B05-KUAN", "SUM-B05-SUBTOTAL") and f.severity == "error"
    ]
    assert report.count("error") == audit(fresh("000")).count("error") + 1


def test_one_root_is_one_finding() -> None:
    """A 项 left out of 支出总表: its 款 and 类 miss by the same 54.20 in 合计 and 基本支出; one finding,
    the broken sums under it."""
    doc = fresh("000")
    _drop_row(doc, "B03", "2101102")  # 事业单位医疗 54.20, basic spending
    report = audit(doc)
    roots = [f for f in report.findings if f.rule_id == "SUM-ROOT-001"]
    assert len(roots) == 1 and "同时相差 54.20" in roots[0].message
    assert len(roots[0].related) >= 2
    assert {r.rule_id for r in roots[0].related} <= {
        "HIER-B03-KUAN",
        "HIER-B03-CLASS",
        "HIER-B03-TOTAL",
        "XT-B03-B05",
    }
    folded = {id(r) for r in roots[0].related}
    assert not [f for f in report.findings if id(f) in folded]
