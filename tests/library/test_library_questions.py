"""compare, history, execution and findings on the five seeds, each figure checked against the documents.

Figures quoted in comments are the printed cells: seed 000 B03 line 151 "合计 5,916.68 1,816.35 4,100.34",
seed 002 B03 "合计 778.64 568.64 210.00", seed 004 B03 line 184 "合计 2,840.98 1,680.88 1,160.10",
seed 003 F03 line 191 "合计 14,784.19 2,867.82 11,916.37", F09 line 412 "10.05 … 9.36 … 9.36 0.69" twice.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from cnbudget.audit import audit
from cnbudget.domain.errors import UsageError
from cnbudget.library import questions as q
from cnbudget.library.ingestion import ingest
from cnbudget.store.database import open_database
from support.paths import FIXTURES
from support.seeds import SEED_FILES, seed


@pytest.fixture(scope="module")
def engine(seeded_library: str):
    engine = open_database(seeded_library, create=False)
    yield engine
    engine.dispose()


def test_compare_2026_budgets(engine) -> None:
    answer = q.compare(engine, 2026)
    rows = {r["organisation"]: r for r in answer.rows}
    assert list(rows) == [
        "武汉市信息中心（武汉市大数据中心）",
        "硚口区经济信息化和科技创新局",
        "武汉市工业信息化中心",
    ]
    info = rows["武汉市信息中心（武汉市大数据中心）"]
    assert info["total_spending"] == Decimal("5916.68")
    assert info["basic_share"] == Decimal("30.70")  # 1,816.35 / 5,916.68 = 30.699 %
    assert info["project_share"] == Decimal("69.30")  # 4,100.34 / 5,916.68 = 69.302 %
    assert info["personnel"] == Decimal("1681.58")  # B05 合计 人员经费
    assert info["three_public"] == Decimal("24.49")  # B07 “三公”经费合计
    hk = rows["硚口区经济信息化和科技创新局"]
    assert (hk["total_spending"], hk["basic_share"], hk["three_public"]) == (
        Decimal("2840.98"), Decimal("59.17"), Decimal("0.20"),
    )  # fmt: skip
    unit = rows["武汉市工业信息化中心"]
    assert (unit["total_spending"], unit["basic_share"], unit["scope"]) == (
        Decimal("778.64"),
        Decimal("73.03"),
        "unit",
    )


def test_compare_on_codes_and_three_public_parts(engine) -> None:
    answer = q.compare(engine, 2026, ["function:206", "economic:30217", "three_public_vehicle_purchase"])
    rows = {r["organisation"]: r for r in answer.rows}
    assert rows["武汉市信息中心（武汉市大数据中心）"]["function:206"] == Decimal("2565.35")  # B03 line 156
    assert rows["硚口区经济信息化和科技创新局"]["function:206"] == Decimal("795.46")  # B03 line 190
    assert rows["武汉市信息中心（武汉市大数据中心）"]["economic:30217"] == Decimal("0.50")  # B06 line 287
    assert rows["硚口区经济信息化和科技创新局"]["economic:30217"] == Decimal("0.20")  # B06 line 338
    assert rows["武汉市信息中心（武汉市大数据中心）"]["three_public_vehicle_purchase"] == Decimal("17.99")
    assert rows["武汉市工业信息化中心"]["function:206"] is None  # it has no 206 row
    shares = {
        r["organisation"]: r["personnel_share"] for r in q.compare(engine, 2026, ["personnel_share"]).rows
    }
    assert shares["武汉市信息中心（武汉市大数据中心）"] == Decimal("92.58")  # 1,681.58 / 1,816.35 (B05 合计)
    assert any("未列出所问的全部数字" in n for n in answer.notes)


def test_compare_final_accounts_and_filters(engine) -> None:
    answer = q.compare(engine, 2024, kind="final")
    assert [(r["organisation"], r["total_spending"], r["basic_share"]) for r in answer.rows] == [
        ("武汉市数据局", Decimal("14784.19"), Decimal("19.40"))  # 2,867.82 / 14,784.19 = 19.398 %
    ]
    assert [r["organisation"] for r in q.compare(engine, 2026, scope="unit").rows] == ["武汉市工业信息化中心"]
    assert [r["organisation"] for r in q.compare(engine, 2026, level="district").rows] == [
        "硚口区经济信息化和科技创新局"
    ]
    assert q.compare(engine, 2030).rows == []
    with pytest.raises(UsageError, match="没有指标"):
        q.compare(engine, 2026, ["spending_per_cat"])


def test_history_of_one_organisation(engine) -> None:
    answer = q.history(engine, "武汉市数据局")
    assert [(r["year"], r["kind"], r["total_spending"]) for r in answer.rows] == [
        (2024, "final", Decimal("14784.19"))
    ]
    assert answer.rows[0]["total_spending_change"] is None  # no earlier year in the library


def test_organisations_are_found_by_code_name_part_or_id(engine) -> None:
    with engine.connect() as conn:
        assert q.resolve_organisation(conn, "135")[1] == "硚口区经济信息化和科技创新局"
        assert (
            q.resolve_organisation(conn, "硚口区经济信息化和科技创新局")[1] == "硚口区经济信息化和科技创新局"
        )
        assert q.resolve_organisation(conn, "工业信息化")[1] == "武汉市工业信息化中心"
        # 信息中心 names one organisation: the centre (unit 157003 of 武汉市数据局, whose B02 lists both)
        assert q.resolve_organisation(conn, "武汉市信息中心")[1] == "武汉市信息中心（武汉市大数据中心）"
        with pytest.raises(UsageError, match="相符，请指明"):
            q.resolve_organisation(conn, "中心")
        # 武汉 is part of the name of every 武汉市 organisation: ambiguous, not the first department found
        with pytest.raises(UsageError, match="武汉市数据局"):
            q.resolve_organisation(conn, "武汉")
        with pytest.raises(UsageError, match="没有"):
            q.resolve_organisation(conn, "不存在的局")


def test_execution_without_a_budget_uses_the_final_accounts_own_budget_column(engine) -> None:
    answer = q.execution(engine, "武汉市数据局", 2024)
    three = {r["name"]: r for r in answer.rows if r["item"] == "三公"}
    total = three["“三公”经费"]
    assert (total["budget"], total["final"], total["rate_pct"]) == (
        Decimal("10.05"),
        Decimal("10.05"),
        Decimal("100.00"),
    )
    assert three["公务接待费"]["final"] == Decimal("0.69")
    assert total["budget_source"] == "决算 F09 表所列预算数"
    functions = [r for r in answer.rows if r["item"] == "功能分类"]
    assert {r["code"]: r["final"] for r in functions}["206"] == Decimal("2965.73")  # F03 line 154
    assert all(r["budget"] is None for r in functions)
    assert any("2024 年预算" in n and "F09" in n for n in answer.notes)
    with pytest.raises(UsageError, match="库中没有武汉市数据局的 2026 年决算"):
        q.execution(engine, "武汉市数据局", 2026)


def test_execution_against_a_budget_of_the_same_year(library_url: str, tmp_path: Path) -> None:
    """A 2024 budget for 武汉市数据局, made from seed 000 renamed and moved two years back."""
    text = SEED_FILES["000"].read_text("utf-8")
    budget_text = (
        text.replace("武汉市信息中心（武汉市大数据中心）", "武汉市数据局")
        .replace("武汉市信息中心(武汉市大数据中心)", "武汉市数据局")
        .replace("2026", "2024")
        .replace("2025", "2023")
    )
    budget = tmp_path / "data-bureau-2024-budget.txt"
    budget.write_text(budget_text, "utf-8")
    engine = open_database(library_url)
    summary = ingest(engine, [SEED_FILES["003"], budget], jobs=1)
    assert len(summary.ingested) == 2, summary
    answer = q.execution(engine, "武汉市数据局", 2024)
    rows = {(r["item"], r["code"], r["name"]): r for r in answer.rows}
    f206 = rows[("功能分类", "206", "科学技术支出")]
    # budget B03 206 2,565.35 (seed 000 line 156); final F03 206 2,965.73 (seed 003 line 154)
    assert (f206["budget"], f206["final"], f206["difference"]) == (
        Decimal("2565.35"),
        Decimal("2965.73"),
        Decimal("400.38"),
    )
    assert f206["rate_pct"] == Decimal("115.61")  # 2,965.73 / 2,565.35 = 115.607 %
    total = rows[("支出合计", "", "")]
    assert (total["budget"], total["final"]) == (Decimal("5916.68"), Decimal("14784.19"))
    three = rows[("三公", "", "“三公”经费")]
    assert (three["budget"], three["final"], three["budget_source"]) == (
        Decimal("24.49"), Decimal("10.05"), "预算文件（B07）",
    )  # fmt: skip
    assert any(n.startswith("预算：文档 ") for n in answer.notes)
    # 一般公共预算 only: B05 (seed 000 lines 224, 229) against F05 (seed 003 lines 284, 291)
    general = q.execution(engine, "武汉市数据局", 2024, funds="general")
    rows = {(r["item"], r["code"]): r for r in general.rows}
    assert (rows[("一般公共预算支出", "")]["budget"], rows[("一般公共预算支出", "")]["final"]) == (
        Decimal("5916.68"), Decimal("14784.19"),
    )  # fmt: skip
    assert rows[("一般公共预算基本支出", "")]["budget"] == Decimal("1816.35")
    assert rows[("一般公共预算基本支出", "")]["final"] == Decimal("2867.82")
    assert (rows[("功能分类", "206")]["budget"], rows[("功能分类", "206")]["final"]) == (
        Decimal("2565.35"), Decimal("2965.73"),
    )  # fmt: skip
    with pytest.raises(UsageError):
        q.execution(engine, "武汉市数据局", 2024, funds="special")
    engine.dispose()


def test_findings_across_the_library_are_the_audits_findings(engine) -> None:
    answer = q.findings(engine, severity="error")
    stored = {(r["organisation"], r["rule_id"], r["lines"]) for r in answer.rows}
    expected = set()
    names = {"000": "武汉市信息中心（武汉市大数据中心）", "001": "武昌区大数据中心", "002": "武汉市工业信息化中心",
             "003": "武汉市数据局", "004": "硚口区经济信息化和科技创新局"}  # fmt: skip
    for name in SEED_FILES:
        for f in audit(seed(name)).findings:
            if f.severity == "error":
                expected.add((names[name], f.rule_id, ",".join(str(n) for n in f.lines)))
    assert stored == expected
    assert all(r["severity"] == "error" for r in answer.rows)
    narrative = q.findings(engine, rule="NARR-*", organisation="157003")
    assert narrative.rows and all(r["rule_id"].startswith("NARR-") for r in narrative.rows)
    assert {r["organisation"] for r in narrative.rows} == {"武汉市信息中心（武汉市大数据中心）"}
    # 157 is 武汉市数据局 (seed 000's B02 line "157 武汉市数据局"), whose own document is seed 003
    assert {r["organisation"] for r in q.findings(engine, organisation="157").rows} == {"武汉市数据局"}
    typo = q.findings(engine, rule="NAME-ORG-001")
    assert [r["organisation"] for r in typo.rows] == [
        "硚口区经济信息化和科技创新局"
    ] and "硃口区" in typo.rows[0]["message"]
    assert q.findings(engine, year=2024, kind="final", severity="warning").rows
    limited = q.findings(engine, limit=3)
    assert len(limited.rows) == 3 and limited.total is not None and limited.total > 3
    # a real rule with nothing to report is an empty answer; an id that names no rule is a mistake
    assert q.findings(engine, rule="TEXT-GLYPH-001").rows == []
    with pytest.raises(UsageError, match="NARR-AMOUNT-001"):
        q.findings(engine, rule="NARR-AMOUNT-01")


def test_answers_as_json_and_csv(engine) -> None:
    answer = q.compare(engine, 2026, ["total_spending"])
    data = json.loads(answer.to_json())
    assert data["rows"][0]["total_spending"] == "5916.68"
    lines = answer.to_csv().splitlines()
    assert lines[0] == "organisation,code,scope,document_id,total_spending,errors"
    # the centre publishes a 部门预算 (scope department) but is unit 157003 of 武汉市数据局 in its own B02
    assert lines[1].startswith("武汉市信息中心（武汉市大数据中心）,157003,department,")


def test_execution_sums_the_units_budgets_when_the_department_has_none(
    library_url: str, tmp_path: Path
) -> None:
    """硚口区经信局: units known from its 2026 budget (seed 004: 135001, 135002); for 2025 the library holds
    its final accounts (seed 003 renamed) and the budget of one unit (seed 002 renamed 武汉市硚口区大数据中心)."""
    final_text = (
        SEED_FILES["003"]
        .read_text("utf-8")
        .replace("武汉市数据局", "硚口区经济信息化和科技创新局")
        .replace("2024", "2025")
    )
    unit_text = (
        SEED_FILES["002"]
        .read_text("utf-8")
        .replace("武汉市工业信息化中心", "武汉市硚口区大数据中心")
        .replace("2026", "2025")
    )
    final, unit = tmp_path / "final-2025.txt", tmp_path / "unit-budget-2025.txt"
    final.write_text(final_text, "utf-8")
    unit.write_text(unit_text, "utf-8")
    engine = open_database(library_url)
    assert len(ingest(engine, [SEED_FILES["004"], final, unit], jobs=1).ingested) == 3
    answer = q.execution(engine, "硚口区经济信息化和科技创新局", 2025)
    total = next(r for r in answer.rows if r["item"] == "支出合计")
    assert (total["budget"], total["final"]) == (
        Decimal("778.64"),
        Decimal("14784.19"),
    )  # seed 002 B03; 003 F03
    assert any("以其所属单位的预算相加" in n for n in answer.notes)
    assert total["budget_source"] == "1 个所属单位预算之和"
    engine.dispose()


def test_documents_printed_in_yuan_compare_in_wan(tmp_path: Path) -> None:
    """Shanghai prints its tables in 元, Wuhan in 万元: the library compares both in 万元, and a Shanghai
    收入预算总表 listing income by function class (201 一般公共服务支出) gives no organisation code."""
    corpus = FIXTURES / "corpus"
    engine = open_database(f"sqlite:///{tmp_path / 'lib.db'}")
    ingest(engine, [corpus / "shpt-finance-2025-budget-dept.pdf", SEED_FILES["000"]], jobs=1)
    shanghai = next(r for r in q.compare(engine, 2025, ["total_spending"]).rows)
    # its 财务收支预算总表 p.9 prints 支出总计 in 元; the library holds the same figure in 万元
    from cnbudget.parse import parse_file

    doc = parse_file(corpus / "shpt-finance-2025-budget-dept.pdf")
    b03 = doc.table("B03")
    assert b03 is not None and b03.amount_unit == "元"
    total = b03.total_row()
    assert total is not None and total.cells[0].value is not None
    assert shanghai["total_spending"] == total.cells[0].value / 10000
    assert shanghai["code"] in ("", None)
    answer = q.compare(engine, 2026, ["total_spending"])
    assert answer.rows[0]["total_spending"] == Decimal("5916.68")  # seed 000, printed in 万元
    assert any("万元" in n for n in answer.notes)


@pytest.mark.parametrize("wildcard", ["%", "_", "武汉%中心"])
def test_a_wildcard_in_a_name_is_a_character_not_a_pattern(engine, wildcard: str) -> None:
    # part of a name is looked up by the database (LIKE): % and _ must not match everything
    with pytest.raises(UsageError, match="没有与"):
        q.history(engine, wildcard)


def test_part_of_a_name_finds_the_organisation_through_the_database(engine) -> None:
    assert q.history(engine, "工业信息化中心").title.startswith("武汉市工业信息化中心")
