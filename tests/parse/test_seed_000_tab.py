"""Seed 000: 武汉市信息中心（武汉市大数据中心）2026 budget, tab-separated conversion.

Every expected value below was read from the document text (tests/fixtures/seeds/000_…txt).
"""

from decimal import Decimal as D

from support.seeds import cell, seed


def test_metadata() -> None:
    m = seed("000").metadata
    assert m.department == "武汉市信息中心（武汉市大数据中心）"
    assert (m.fiscal_year, m.kind, m.scope, m.level) == (2026, "budget", "department", "city")
    assert m.department_code == "157" and m.unit_codes == ["157003"]
    assert m.text_layout == "tab"
    assert "2025-09-20" in m.dates  # 填报日期 of the B11 form


def test_contents_are_not_tables() -> None:
    doc = seed("000")
    assert doc.toc_lines is not None and doc.toc_lines[0] < 10
    b01 = doc.table("B01")
    assert b01 is not None and b01.title_line == 90  # "收支总表" after "表 1", not the 目录 entry


def test_two_sided_summary() -> None:
    doc = seed("000")
    assert cell(doc, "B01", label="一、一般公共预算拨款收入", column="收入/预算数", side="收入") == D(
        "5357.53"
    )
    assert cell(doc, "B01", label="四、科学技术支出", column="支出/预算数", side="支出") == D("2565.35")
    assert cell(doc, "B01", label="上年结转结余", column="收入/预算数", side="收入") == D("559.16")
    assert cell(doc, "B01", label="支出总计", column="支出/预算数", side="支出") == D("5916.68")
    assert cell(doc, "B04", label="（四）科学技术支出", column="支出/预算数", side="支出") == D("2565.35")
    # "（二）政府性基金预算拨款" is printed blank in B04: blank is not zero
    assert cell(doc, "B04", label="（二）政府性基金预算拨款", column="收入/预算数", side="收入") is None


def test_income_table_blank_cells_stay_blank() -> None:
    doc = seed("000")
    assert cell(doc, "B02", code="157003", column="合计") == D("5916.68")
    assert cell(doc, "B02", code="157003", column="上年结转结余/小计") == D("559.16")
    assert cell(doc, "B02", code="157", column="本年收入/一般公共预算") == D("5357.53")
    assert cell(doc, "B02", code="157", column="合计") is None  # printed empty on the department row


def test_expenditure_tables() -> None:
    doc = seed("000")
    assert cell(doc, "B03", code="2014150", column="合计") == D("801.72")
    assert cell(doc, "B03", code="2014150", column="项目支出") == D("0.00")
    assert cell(doc, "B03", code="2014150", column="事业单位经营支出") is None
    assert cell(doc, "B05", code="2014150", column="基本支出/人员经费") == D("666.95")
    assert cell(doc, "B05", code="2014150", column="基本支出/公用经费") == D("134.77")
    assert doc.table("B05").row(code="20604").label == "技术与开发"  # B03 prints 技术与研究开发
    assert doc.table("B03").row(code="20604").label == "技术与研究开发"
    assert cell(doc, "B05U", code="157003", column="合计") == D("5916.68")
    assert cell(doc, "B06", code="30217", column="本年一般公共预算基本支出/公用经费") == D("0.50")
    assert cell(doc, "B06", code="31013", column="本年一般公共预算基本支出/合计") == D("0.00")
    assert cell(doc, "B07", label="", column="公务用车购置及运行费/公务用车购置费") == D("17.99")
    assert cell(doc, "B07", label="", column="“三公”经费合计") == D("24.49")


def test_empty_tables_keep_their_note() -> None:
    doc = seed("000")
    for table_id, word in (("B08", "政府性基金"), ("B09", "国有资本经营")):
        table = doc.table(table_id)
        assert table.is_empty and not table.rows
        assert any(word in note.text for note in table.notes)


def test_projects() -> None:
    doc = seed("000")
    by_code = [p for p in doc.projects if p.code == "42010026157Y000000107"]
    assert len(by_code) == 1 and by_code[0].total == D("1996.15")
    assert by_code[0].unit == "武汉市信息中心（武汉市大数据中心）"
    # the document gives two different projects the same code
    names = {p.name for p in doc.projects if p.code == "42010026157Y000000113"}
    assert names == {"劳务派遣人员经费", "武汉市政府门户网站改版及内容服务项目"}
    first_level = next(p for p in doc.projects if p.code == "420100221570220000106")
    assert first_level.level == "first_level" and first_level.total == D("360.41")


def test_department_performance_goals() -> None:
    b11 = next(p for p in seed("000").performance if p.id == "B11")
    patrol = next(i for i in b11.indicators if i.name == "每日巡查" and i.goal == "长期目标1")
    assert (patrol.level1, patrol.level2, patrol.basis) == ("产出指标", "数量指标", "计划数据")
    assert (patrol.target.comparator, patrol.target.number, patrol.target.unit) == ("≥", D("2"), "次")
    annual = next(i for i in b11.indicators if i.name == "市政府网站信息发布总量")
    assert [v.raw for v in annual.prior] == ["13724", "11322"] and annual.target.raw == "≥10000 篇"
    assert b11.goals[0].kind == "long_term" and b11.goals[0].number == 1
    funds = {f.label: f.amount for f in b11.funds}
    assert funds["人员类项目支出"] == D("1681.58") and funds["特定目标类项目支出"] == D("4100.34")


def test_project_performance_forms() -> None:
    perf = {p.id: p for p in seed("000").performance}
    assert perf["B12-1"].project_name == "武汉市大数据中心工作经费"
    assert perf["B12-1"].total_budget == D("444.4")
    assert {f.label: f.amount for f in perf["B12-1"].funds}["使用上年度财政拨款结转"] == D("203.57")
    assert perf["B12-2"].total_budget == D("3655.94")
    latex = next(i for i in perf["B12-2"].indicators if i.name == "运维问题解决率" and i.prior)
    assert (latex.target.comparator, latex.target.number) == ("≥", D("98"))  # printed $\geq 98\%$


def test_narrative_claims() -> None:
    claims = seed("000").claims
    income = next(c for c in claims if c.subject == "一般公共预算财政拨款收入")
    assert income.amount == D("5357.53") and income.share_pct == D("90.55") and income.line == 696
    this_year = next(c for c in claims if c.subject == "本年预算")
    assert (this_year.change_amount, this_year.change_pct, this_year.compared_year) == (
        D("1462.20"),
        D("37.54"),
        2025,
    )
    cut = next(c for c in claims if "其他数据事务支出" in c.subject)
    assert (cut.change_amount, cut.change_pct) == (D("-955.78"), D("-38.37"))
    car = next(c for c in claims if c.subject == "公务用车购置及运行维护费")
    assert (car.amount, car.change_amount, car.change_pct) == (D("23.99"), D("14.99"), D("166.56"))
    stray = next(c for c in claims if c.subject == "事业运行经费")
    assert stray.year == 2026 and stray.compared_year == 2024  # compared with the wrong year
    assert any(c.amount == D("5916.18") and "预算支出" in c.subject for c in claims)
