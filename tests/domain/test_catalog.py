import pytest

from cnbudget.domain.catalog import match_title, spec_for, table_marker, table_specs
from cnbudget.domain.codes import function_codes


@pytest.mark.parametrize(
    ("title", "table_id"),
    [
        ("收支总表", "B01"),
        ("部门收支总表", "B01"),
        ("财政拨款收支总表", "B04"),
        ("一般公共预算支出表(分功能科目)", "B05"),
        ("一般公共预算支出表(分单位)", "B05U"),
        ("一般公共预算“三公”经费支出表", "B07"),
        ("2024 年度收入支出决算总表", "F01"),
        ("公开01表：收支预算总表", "B01"),
        ("一、2017年度武汉市数据局部门收支预算总表", "B01"),
        ("2024 年度一般公共预算财政拨款支出决算表", "F05"),
        ("部门整体支出绩效目标申报表", "B11"),
        ("网络建设运转维护项目支出绩效目标表", "B12"),
        ("2024 年度“行政运行工作经费”项目自评表", "SE-P"),
        ("2024 年度武汉市数据局部门整体绩效自评表", "SE-D"),
    ],
)
def test_titles(title: str, table_id: str) -> None:
    match = match_title(title, ("武汉市数据局",))
    assert match is not None and match.table_id == table_id


@pytest.mark.parametrize(
    "text",
    [
        "十、项目支出安排情况",
        "一、收支预算总体安排情况",
        "第二部分 武汉市数据局 2024 年度部门决算表",
        "2026 年收支总预算 5,916.68 万元，比 2025 年预算增加",
    ],
)
def test_not_titles(text: str) -> None:
    assert match_title(text) is None


@pytest.mark.parametrize(
    ("text", "number"), [("公开 05 表", "5"), ("公开表十二", "12"), ("表 5-1.", "5-1"), ("表3", "3")]
)
def test_a_table_number_alone_is_a_marker_not_a_title(text: str, number: str) -> None:
    """ "公开05表" numbers a table in the national final accounts and in Jiangsu's budgets alike: the title
    printed with it says which table it is."""
    assert table_marker(text) == number and match_title(text) is None


def test_markers_and_specs() -> None:
    assert (
        table_marker("表 12-1") == "12-1"
        and table_marker("表2") == "2"
        and table_marker("表 1. 收支总表") is None
    )
    assert spec_for("B12-3").kind == "performance"
    assert all(spec.titles for spec in table_specs().values())
    assert function_codes()["2014199"] == "其他数据事务支出"


def test_financial_ids_spelled_out_are_the_catalogues() -> None:
    from cnbudget.domain.catalog import FINANCIAL_IDS, financial_ids

    assert financial_ids() == FINANCIAL_IDS


def test_every_template_names_tables_of_the_catalogue_and_one_generic_per_kind() -> None:
    from cnbudget.domain.catalog import templates

    specs = table_specs()
    for template in templates().values():
        assert set(template.tables) <= set(specs), template.id
        assert set(template.titles) <= set(template.tables), template.id
        assert all(template.kind in specs[t].doc_kinds for t in template.tables), template.id
    for kind in ("budget", "final"):
        assert [t.id for t in templates().values() if t.generic and t.kind == kind]


def test_a_templates_own_titles_name_its_tables() -> None:
    """Shanghai's 一般公共预算支出功能分类预算表 is B05; Jiangsu's 财政拨款支出预算表（功能科目） is B15."""
    assert match_title("2025年部门一般公共预算支出功能分类预算表").table_id == "B05"
    assert match_title("2025年预算单位一般公共预算基本支出部门预算经济分类预算表").table_id == "B06"
    assert match_title("2025年部门“三公”经费和机关运行经费预算表").table_id == "B07"
    assert match_title("财政拨款支出预算表（功能科目）").table_id == "B15"
    assert match_title("财政拨款基本支出预算表（经济科目）").table_id == "B16"
    assert match_title("财政拨款收支预算总表").table_id == "B04"
    assert match_title("一般公共预算机关运行经费支出预算表").table_id == "B13"


def test_every_regulation_rule_cites_its_provision_and_every_citation_is_used() -> None:
    from cnbudget.audit.registry import all_rules
    from cnbudget.domain.catalog import rule_sources, sources

    rules = {r.id: r for r in all_rules()}
    cited = rule_sources()
    assert not set(cited) - set(rules), "rule_sources.toml names rules that do not exist"
    assert not [r.id for r in rules.values() if r.basis == "regulation" and not r.cites]
    used = {s.id for cites in cited.values() for s in cites}
    assert used == set(sources()), "a source nobody cites, or a citation of nothing"
    law = rules["HIER-CODE-003"]
    assert law.cites[0].title == "《中华人民共和国预算法实施条例》第六条" and "公开到项" in law.cites[0].text
    assert law.basis_text().startswith("《中华人民共和国预算法实施条例》第六条")
    assert rules["SUM-B01-BALANCE"].basis_text() == "勾稽关系：" + rules["SUM-B01-BALANCE"].description


def test_the_rule_catalogue_shows_the_citations() -> None:
    import json

    from support.cli import invoke

    result = invoke("rules", "--format", "json")
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert [c["title"] for c in rows["COMP-NARR-001"]["cites"]][0] == "《中华人民共和国预算法》第十四条第二款"
    assert rows["SUM-B01-BALANCE"]["cites"] == []


def test_a_province_stands_for_its_cities() -> None:
    """A template declared for 浙江省 is the template of a document of any of its cities (regions.toml)."""
    from cnbudget.domain.catalog import templates

    zhejiang = templates()["zhejiang-budget"].regions
    assert {"浙江省", "杭州市", "湖州市", "宁波市"} <= set(zhejiang)
    assert "苏州市" not in zhejiang and "苏州市" in templates()["jiangsu-province-budget"].regions


def test_every_report_says_which_template_and_how_sure() -> None:
    import copy

    from cnbudget.domain.i18n import language_set_to
    from cnbudget.report.audit.notes import template_note
    from support.seeds import seed

    doc = copy.deepcopy(seed("000"))
    assert template_note(doc).startswith("公开模板：湖北省武汉市") and "确定" in template_note(doc)
    doc.metadata.template, doc.metadata.template_confidence = "national-budget", "uncertain"
    doc.metadata.template_evidence = "印有其要求的 5/8 张表"
    note = template_note(doc)
    assert "不确定" in note and "缺表只作提示" in note and "5/8" in note
    with language_set_to("en"):
        assert "uncertain" in template_note(doc)


def test_a_column_that_restates_part_of_another_adds_up_with_nothing() -> None:
    from cnbudget.model import Column

    assert Column(["项目支出", "扣除基建项目后预算数"], "value").memo
    assert Column(["其中：专项资金"], "value").memo and Column(["不含结转"], "value").memo
    assert not Column(["项目支出"], "value").memo and not Column(["基本支出", "小计"], "value").memo


def test_a_bare_subtotal_is_the_rows_total_not_a_groups() -> None:
    from cnbudget.audit.figures import _same_column

    assert _same_column("基本支出/小计", ["小计", "基本支出", "项目支出"]) == "基本支出"
    assert _same_column("基本支出/小计", ["合计", "基本支出/小计", "项目支出"]) == "基本支出/小计"
    assert _same_column("基本支出/小计", ["合计", "本年支出/基本支出/小计"]) == "本年支出/基本支出/小计"
    assert _same_column("本年支出/基本支出", ["合计", "基本支出", "项目支出"]) == "基本支出"
