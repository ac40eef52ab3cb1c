"""Seed 002: 武汉市工业信息化中心 2026 unit budget (单位预算), tab-separated; 收入总表 is missing."""

from decimal import Decimal as D

from support.seeds import cell, seed


def test_unit_budget_metadata() -> None:
    m = seed("002").metadata
    assert (m.department, m.scope, m.fiscal_year) == ("武汉市工业信息化中心", "unit", 2026)
    assert m.unit_codes == ["301014"]


def test_missing_income_table_is_reported() -> None:
    doc = seed("002")
    assert doc.table("B02") is None
    assert any(w.code == "missing-table" and "B02" in w.message for w in doc.warnings)


def test_blank_cells() -> None:
    doc = seed("002")
    assert cell(doc, "B01", label="一、一般公共服务支出", column="支出/预算数", side="支出") is None
    assert cell(doc, "B01", label="十二、资源勘探工业信息等支出", column="支出/预算数", side="支出") == D(
        "595.99"
    )
    assert doc.table("B06").row(code="30226").cells == []  # 劳务费 printed with no amounts
    assert cell(doc, "B06", code="30231", column="本年一般公共预算基本支出/公用经费") == D("3.00")
    assert cell(doc, "B07", label="", column="公务用车购置及运行费/公务用车运行费") == D("3.00")
    assert cell(doc, "B07", label="", column="因公出国（境）费") is None


def test_first_level_projects() -> None:
    projects = {p.code: p for p in seed("002").projects}
    assert projects["420100263010030000100"].level == "first_level"
    assert projects["42010026301T000000114"].total == D("138.00")
