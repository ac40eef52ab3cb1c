"""Seed 003: 武汉市数据局 2024 final accounts (公开01–09表) with self-evaluation appendices."""

from decimal import Decimal as D

from support.seeds import cell, seed


def test_metadata() -> None:
    m = seed("003").metadata
    assert (m.department, m.fiscal_year, m.kind) == ("武汉市数据局", 2024, "final")
    assert "2025-09-29" in m.dates


def test_all_final_tables_found() -> None:
    doc = seed("003")
    assert [t.id for t in doc.tables] == [f"F0{i}" for i in range(1, 10)]


def test_summary_tables() -> None:
    doc = seed("003")
    assert cell(doc, "F01", label="一、一般公共服务支出", column="支出/金额", side="支出") == D("10815.60")
    assert cell(doc, "F01", label="六、科学技术支出", column="支出/金额", side="支出") == D("2965.74")
    assert cell(doc, "F04", label="八、社会保障和就业支出", column="支出/决算数/小计", side="支出") == D(
        "446.74"
    )
    assert [c.key for c in doc.table("F04").columns if c.role == "value"] == [
        "收入/决算数", "支出/决算数/小计", "支出/决算数/一般公共预算财政拨款", "支出/决算数/政府性基金预算财政拨款",
        "支出/决算数/国有资本经营预算财政拨款"]  # fmt: skip


def test_prefix_codes_are_resolved() -> None:
    f02 = seed("003").table("F02")
    row = f02.row(label="行政运行")
    assert (row.code, row.resolved_code, row.level) == ("20103", "2010301", 3)
    assert row.value("本年收入合计") == D("1791.15")
    assert f02.row(code="20103").resolved_code == "20103"  # the 款 row itself


def test_side_by_side_economic_groups() -> None:
    f06 = seed("003").table("F06")
    reception = f06.row(label="公务接待费")
    assert (reception.code, reception.resolved_code) == ("302", "30217")
    assert reception.value("公用经费/决算数") == D("0.69")
    # the totals row prints 公用经费合计 four cells out of line; it is still read
    assert f06.row(label="人员经费合计").value("人员经费/决算数") == D("2582.75")
    assert f06.row(label="公用经费合计").value("公用经费/决算数") == D("285.07")


def test_empty_and_three_public_tables() -> None:
    doc = seed("003")
    assert all(not r.cells for r in doc.table("F07").rows)
    assert all(not r.cells for r in doc.table("F08").rows)  # 栏次 "3" in the totals row is not an amount
    assert cell(doc, "F09", label="", column="预算数/公务接待费") == D("0.69")
    assert cell(doc, "F09", label="", column="决算数/合计") == D("10.05")
    assert cell(doc, "F09", label="", column="决算数/公务用车购置及运行维护费/公务用车运行维护费") == D(
        "9.36"
    )


def test_self_evaluations() -> None:
    evs = seed("003").self_evaluations
    dept = evs[0]
    assert (dept.scope, dept.total_score, dept.budget, dept.executed) == ("department", D("97.41"), D("14784.19"),
                                                                          D("14784.19"))  # fmt: skip
    assert (dept.execution_rate, dept.execution_score) == (D("100"), D("20"))
    monitor = next(i for i in dept.indicators if i.name == "监管数据汇聚总量")
    assert (monitor.target.raw, monitor.actual.raw, monitor.weight, monitor.score) == ("≥920万", "496万", D("5"),
                                                                                        D("2.7"))  # fmt: skip
    smart = next(e for e in evs if e.project_name == "智慧城市建设及相关运维经费")
    assert smart.budget == D("3375") and smart.executed == D("3375")  # "2639…+736…=3375"
    assert smart.total_score == D("99.71")
    # the printed total does not add up: 20 + Σ indicator scores = 99.57 (checked by hand)
    assert smart.execution_score + sum(i.score for i in smart.indicators if i.score) == D("99.57")
    for ev in evs:
        if ev is not smart:
            assert ev.execution_score + sum(i.score for i in ev.indicators if i.score) == ev.total_score


def test_final_account_narrative() -> None:
    claims = seed("003").claims
    done = next(c for c in claims if c.completion_pct == D("89.0"))
    assert done.amount == D("14784.19")
    income = next(c for c in claims if c.subject == "收入" and c.change_amount is not None)
    assert (income.change_amount, income.change_pct, income.compared_year) == (
        D("-4626.07"),
        D("-23.8"),
        2023,
    )
