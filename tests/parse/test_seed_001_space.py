"""Seed 001: 武昌区大数据中心 2024 budget, space-separated with wrapped cells and headers."""

from decimal import Decimal as D

from support.seeds import cell, seed


def test_metadata() -> None:
    m = seed("001").metadata
    assert m.department == "武昌区大数据中心"
    assert (m.fiscal_year, m.kind, m.level, m.text_layout) == (2024, "budget", "district", "space")
    assert m.department_code == "343" and m.unit_codes == ["343001"]


def test_tables_use_catalog_layouts() -> None:
    doc = seed("001")
    for table in doc.tables:
        assert table.layout == "tokens" and table.status == "ok", table.id
    assert [c.key for c in doc.table("B03").columns] == ["合计", "基本支出", "项目支出"]
    assert len(doc.table("B02").columns) == 12  # 上年结转结余 without sources


def test_two_sided_sides_from_layout() -> None:
    doc = seed("001")
    assert cell(doc, "B01", label="一、一般公共预算拨款收入", column="收入/预算数", side="收入") == D(
        "1297.34"
    )
    # a right-hand item alone on an indented line
    assert cell(doc, "B01", label="十八、住房保障支出", column="支出/预算数", side="支出") == D("55.10")
    assert cell(doc, "B04", label="（七）社会保障和就业支出", column="支出/预算数", side="支出") == D("35.16")
    assert cell(doc, "B04", label="（二）政府性基金预算拨款", column="收入/预算数", side="收入") is None
    assert cell(doc, "B01", label="收入总计", column="收入/预算数", side="收入") == D("1297.34")


def test_wrapped_labels_and_codes() -> None:
    doc = seed("001")
    assert doc.table("B03").row(code="2010399").label == "其他政府办公厅（室）及相关机构事务支出"
    assert cell(doc, "B03", code="2010399", column="项目支出") == D("910.02")
    assert doc.table("B02").row(code="343001").label == "武昌区大数据中心本级"
    assert cell(doc, "B02", code="343", column="本年收入/一般公共预算") == D("1297.34")
    assert cell(doc, "B02", code="343", column="上年结转结余") == D("0.00")
    assert cell(doc, "B05", code="2080505", column="基本支出/人员经费") == D("35.16")
    assert cell(doc, "B06", code="31002", column="本年一般公共预算基本支出/公用经费") == D("6.00")
    assert cell(doc, "B07", label="", column="公务接待费") == D("0.51")


def test_project_table() -> None:
    project = next(p for p in seed("001").projects if p.level == "project")
    assert (project.name, project.unit, project.total) == (
        "网络建设运转维护经费",
        "武昌区大数据中心本级",
        D("910.02"),
    )


def test_performance_in_fragments() -> None:
    perf = {p.id: p for p in seed("001").performance}
    exit_bw = next(i for i in perf["B11"].indicators if i.name == "政务网互联网出口")
    assert (exit_bw.target.raw, exit_bw.basis, exit_bw.level2) == ("≥2G", "历史标准", "数量指标")
    users = next(i for i in perf["B12-1"].indicators if i.name == "协同办公系统注册用户量")
    assert [v.raw for v in users.prior] == ["≥5000人", "≥6000人"] and users.target.raw == "≥6300人"
    assert perf["B12-1"].project_code == "42010622343T000000102"
    assert perf["B12-1"].current_budget == D("910.02")
    assert [g.number for g in perf["B11"].goals if g.kind == "annual"] == [1, 2, 3, 4, 5]


def test_narrative_with_stale_figures() -> None:
    claims = seed("001").claims
    total = next(c for c in claims if c.subject == "部门收支总预算")
    assert (total.amount, total.change_amount, total.change_pct, total.compared_year) == (
        D("1297.34"), D("-1016.61"), D("-43.93"), 2023)  # fmt: skip
    stale = next(c for c in claims if c.amount == D("472.12"))
    assert stale.year == 2023 and "基本支出" in stale.subject
