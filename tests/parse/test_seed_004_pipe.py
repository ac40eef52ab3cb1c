"""Seed 004: 硚口区经济信息化和科技创新局（汇总）2026 budget, Markdown pipe tables with HTML fragments."""

from decimal import Decimal as D

from support.seeds import cell, seed


def test_metadata_keeps_printed_name() -> None:
    m = seed("004").metadata
    assert m.department == "硃口区经济信息化和科技创新局"  # the title's OCR typo is kept as printed
    assert (m.scope, m.level, m.department_code, m.text_layout) == ("department", "district", "135", "pipe")
    assert m.unit_codes == ["135001", "135002"]
    assert m.region == "武汉市"


def test_pipe_tables() -> None:
    doc = seed("004")
    assert cell(doc, "B02", code="135002", column="合计") == D("500.91")
    assert cell(doc, "B05U", code="135001", column="项目支出") == D("1028.66")
    assert cell(doc, "B06", code="30299", column="本年一般公共预算基本支出/人员经费") == D("4.41")
    assert cell(doc, "B01", label="八、卫生健康支出", column="支出/预算数", side="支出") == D("311.72")


def test_table_continued_after_page_break() -> None:
    doc = seed("004")
    project = next(p for p in doc.projects if p.code == "42010426135T000000119")
    assert (project.name, project.unit, project.total) == (
        "编外人员用工保障经费",
        "武汉市硚口区大数据中心",
        D("6.50"),
    )
    categories = [p for p in doc.projects if p.code == "31"]
    assert len(categories) == 2 and all(p.name == "本级支出项目" for p in categories)


def test_project_forms_in_yuan() -> None:
    perf = {p.id: p for p in seed("004").performance}
    assert len([p for p in perf if p.startswith("B12-")]) == 14
    first = perf["B12-1"]
    assert (first.amount_unit, first.total_budget, first.project_name) == (
        "元",
        D("270000"),
        "编外人员用工保障经费",
    )
    wrapped = next(i for i in perf["B12-2"].indicators if i.name == "保障各项工作完成")
    assert (wrapped.level2, wrapped.target.raw) == ("社会效益指标", "有效保障")  # rejoined over a page break
    assert perf["B11"].goals[0].text == "编外人员队伍稳定履职"
