"""Fixtures for the rule tests: for every rule, a document where it fires and one where it does not.

A firing fixture is a seed with one realistic mistake introduced into its parsed model (a mistyped
amount, a missing table, a narrative figure from the wrong year …); a clean fixture is a seed where the
rule is evaluated and holds, or a seed whose genuine mistake has been corrected.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from cnbudget.model import Cell, Document, Row
from conftest import seed

Mutation = Callable[[Document], None]


def fresh(name: str) -> Document:
    return copy.deepcopy(seed(name))


def row(
    doc: Document, table: str, code: str = "", label: str = "", side: str | None = None, nth: int = 0
) -> Row:
    t = doc.table(table)
    assert t is not None, table
    found = [
        r for r in t.rows
        if (side is None or r.side == side)
        and (code and (r.code == code or r.resolved_code == code) or not code and r.label == label)
    ]  # fmt: skip
    assert len(found) > nth, (table, code, label, side)
    return found[nth]


def set_cell(doc: Document, table: str, column: str, value: str, code: str = "", label: str = "",
             side: str | None = None, nth: int = 0) -> None:  # fmt: skip
    r = row(doc, table, code, label, side, nth)
    for c in r.cells:
        if c.column == column:
            c.value, c.raw = Decimal(value), value
            return
    r.cells.append(Cell(column=column, raw=value, value=Decimal(value), line=r.line))


def bump(doc: Document, table: str, column: str, code: str = "", label: str = "", side: str | None = None,
         nth: int = 0, by: str = "1.00") -> None:  # fmt: skip
    r = row(doc, table, code, label, side, nth)
    for c in r.cells:
        if c.column == column:
            assert c.value is not None
            c.value = c.value + Decimal(by)
            c.raw = str(c.value)
            return
    raise AssertionError(f"no cell {column} in {table} {code or label}")


def claim(doc: Document, contains: str, amount: str | None = None):  # type: ignore[no-untyped-def]
    for c in doc.claims:
        if contains in c.subject and (amount is None or c.amount == Decimal(amount)):
            return c
    raise AssertionError(contains)


@dataclass
class Case:
    rule_id: str
    fire_seed: str
    mutate: Mutation | None
    clean_seed: str
    fix: Mutation | None = None
    """Applied to the clean seed first: corrects a genuine mistake the document has."""


def _drop_row(table_id: str, code: str = "", label: str = "", side: str | None = None) -> Mutation:
    def mutate(doc: Document) -> None:
        target = row(doc, table_id, code, label, side)
        doc.table(table_id).rows.remove(target)

    return mutate


def _childless(doc: Document) -> None:
    """22102 住房改革支出 keeps its amount but its three 项 rows are left out."""
    for code in ("2210201", "2210202", "2210203"):
        _drop_row("B05", code=code)(doc)


def _drop_table(table_id: str) -> Mutation:
    def mutate(doc: Document) -> None:
        doc.tables = [t for t in doc.tables if t.id != table_id]

    return mutate


def _f07(doc: Document) -> None:
    r = row(doc, "F07", label="合计")
    r.cells = [Cell("本年支出/小计", "10.00", Decimal("10.00"), r.line), Cell("本年支出/基本支出", "4.00", Decimal(4), r.line),
               Cell("本年支出/项目支出", "5.00", Decimal(5), r.line)]  # fmt: skip


def _f08(doc: Document) -> None:
    r = row(doc, "F08", label="合计")
    r.cells = [
        Cell("本年支出/合计", "10.00", Decimal(10), r.line),
        Cell("本年支出/基本支出项目支出", "3.00", Decimal(3), r.line),
    ]


def _f04_group(doc: Document) -> None:
    set_cell(doc, "F04", "收入/决算数", "10.00", label="年初财政拨款结转和结余", side="收入")
    set_cell(doc, "F04", "收入/决算数", "5.00", label="一般公共预算财政拨款", side="收入")


def _unknown_class(doc: Document) -> None:
    r = row(doc, "B03", code="221")
    r.code = r.resolved_code = "998"


def _orphan(doc: Document) -> None:
    t = doc.table("B03")
    t.rows = [r for r in t.rows if r.code != "20141"]


def _rename(doc: Document) -> None:
    row(doc, "B05", code="2014150").label = "事业机构运转经费"


def _empty_note(doc: Document) -> None:
    doc.table("B08").notes = []


def _unfilled_template(doc: Document) -> None:
    doc.narrative[0].text += "与上年相比增加XXX万元，增长XX%。"


def _amount_in_empty(doc: Document) -> None:
    t = doc.table("B08")
    t.rows.append(
        Row(
            label="其他支出",
            code="229",
            cells=[Cell("本年政府性基金预算支出/合计", "5.00", Decimal(5), 320)],
            line=320,
        )
    )


def _partial(doc: Document) -> None:
    t = doc.table("B05")
    t.status = "partial"
    t.warnings.append("line 230: 4 amounts for 5 columns")


def _no_narrative(doc: Document) -> None:
    doc.narrative = []


def _no_three_public_section(doc: Document) -> None:
    doc.narrative = [s for s in doc.narrative if "三公" not in s.heading]


def _no_b12(doc: Document) -> None:
    doc.performance = [p for p in doc.performance if not p.id.startswith("B12")]


def _duplicate_row(doc: Document) -> None:
    t = doc.table("B03")
    t.rows.append(copy.deepcopy(row(doc, "B03", code="2210201")))


def _duplicate_project(doc: Document) -> None:
    doc.projects.append(copy.deepcopy(next(p for p in doc.projects if p.level == "project")))


def _table_year(doc: Document) -> None:
    doc.table("F02").title = "2023年度收入决算表"


def _part_year(doc: Document) -> None:
    part = next(p for p in doc.parts if p.number == 2)
    part.title = part.title.replace("2026", "2025")


def _share(doc: Document) -> None:
    claim(doc, "一般公共预算财政拨款收入", "5357.53").share_pct = Decimal("80.55")


def _prior(doc: Document) -> None:
    first = claim(doc, "收支总预算")
    other = copy.deepcopy(first)
    other.change_amount, other.change_pct, other.line = Decimal("-58.12"), Decimal("-6.95"), 600
    doc.narrative[-1].claims.append(other)


def _prior_b11(doc: Document) -> None:
    b11 = next(p for p in doc.performance if p.id == "B11")
    fund = next(f for f in b11.funds if f.label == "合计")
    fund.others[-1] = Decimal("4000.00")


def _parts(doc: Document) -> None:
    claim(doc, "货物类").amount = Decimal("122.99")


def _project_claim(doc: Document) -> None:
    claim(doc, "一体化数字资源服务采购项目", "569.20").amount = Decimal("579.20")


def _target(doc: Document) -> None:
    from cnbudget.model import TargetValue

    doc.performance[0].indicators[0].target = TargetValue(raw="/")


def _unit(doc: Document) -> None:
    from cnbudget.parse.targets import parse_target

    ind = next(i for i in doc.performance[0].indicators if i.name.endswith("率"))
    ind.target = parse_target("5 人")


def _funds(doc: Document) -> None:
    b12 = next(p for p in doc.performance if p.id == "B12-1")
    next(f for f in b12.funds if "一般公共预算" in f.label).amount = Decimal("200.00")


def _current(doc: Document) -> None:
    b12 = next(p for p in doc.performance if p.id == "B12-1")
    b12.current_budget = Decimal("445.40")


def _b12_vs_b10(doc: Document) -> None:
    b12 = next(p for p in doc.performance if p.id == "B12-1")
    b12.current_budget = Decimal("900.00")


def _b11_project(doc: Document) -> None:
    b11 = next(p for p in doc.performance if p.id == "B11")
    next(p for p in b11.projects if p.label == "一体化数字资源服务采购项目").amount = Decimal("500.00")


def _se(attr: str, value: str, which: int = 0) -> Mutation:
    def mutate(doc: Document) -> None:
        setattr(doc.self_evaluations[which], attr, Decimal(value))

    return mutate


def _se_score(doc: Document) -> None:
    ind = next(i for i in doc.self_evaluations[0].indicators if i.weight is not None)
    ind.score = ind.weight + 1  # type: ignore[operator]


def _se_weight(doc: Document) -> None:
    ind = next(i for i in doc.self_evaluations[2].indicators if i.weight is not None)
    ind.weight = ind.weight + 3  # type: ignore[operator]


def _fix_completion(doc: Document) -> None:
    next(c for c in doc.claims if c.completion_pct == Decimal("78.0")).completion_pct = Decimal("77.9")


def _fix_smart_city(doc: Document) -> None:
    next(
        e for e in doc.self_evaluations if e.project_name == "智慧城市建设及相关运维经费"
    ).total_score = Decimal("99.57")


def _fix_header(doc: Document) -> None:
    doc.self_evaluations[0].header_amounts["基本支出总额"] = Decimal("2867.82")


def _b(table: str, column: str, code: str = "", label: str = "", side: str | None = None, nth: int = 0,
       by: str = "1.00") -> Mutation:  # fmt: skip
    return lambda doc: bump(doc, table, column, code, label, side, nth, by)


def _set(
    table: str, column: str, value: str, code: str = "", label: str = "", side: str | None = None
) -> Mutation:
    return lambda doc: set_cell(doc, table, column, value, code, label, side)


B06 = "本年一般公共预算基本支出/"
CASES = [
    # two-sided summary tables
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
    # rows
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
    # hierarchy
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
    # cross-table
    Case("XT-B01-B03", "000", _b("B03", "合计", code="201"), "000"),
    Case("XT-B04-B05", "000", _b("B04", "支出/预算数", label="（一）一般公共服务支出", side="支出"), "000"),
    Case("XT-B01-B04", "000", _b("B04", "支出/预算数", label="（四）科学技术支出", side="支出"), "000"),
    Case("XT-B03-B05", "000", _b("B05", "合计", code="2014150"), "000"),
    Case("XT-B05-B05U", "000", _b("B05U", "项目支出", code="157003"), "000"),
    Case("XT-B06-B05", "000", _b("B06", B06 + "人员经费", label="合计"), "000"),
    Case("XT-B07-B06", "000", _set("B06", B06 + "合计", "1.00", code="30217"), "000"),
    Case("XT-B10-B03", "000", _b("B10", "合计", code="42010026157Y000000107"), "000"),
    Case("XT-B02-B01", "000", _b("B02", "本年收入/一般公共预算", label="合计"), "000"),
    Case("XT-B11-B01", "000", lambda d: setattr(d.performance[0], "total_budget", Decimal("5900.00")), "001"),
    Case("XT-F01-F03", "003", _b("F03", "本年支出合计", code="206"), "003"),
    Case("XT-F04-F05", "003", _b("F05", "本年支出/小计", code="206"), "003"),
    Case("XT-F01-F02", "003", _b("F02", "本年收入合计", label="合计"), "003"),
    Case("XT-F05-F06", "003", _b("F05", "本年支出/基本支出", label="合计"), "003"),
    Case("XT-F09-F06", "003", _set("F06", "公用经费/决算数", "1.00", code="30217"), "003"),
    # completeness
    Case("COMP-TABLE-001", "000", _drop_table("B03"), "000"),
    Case("COMP-EMPTY-001", "000", _empty_note, "000"),
    Case("COMP-TEMPLATE-001", "000", _unfilled_template, "000"),
    Case("COMP-EMPTY-002", "000", _amount_in_empty, "000"),
    Case("COMP-PARSE-001", "000", _partial, "000"),
    Case("COMP-NARR-001", "000", _no_narrative, "000"),
    Case("COMP-NARR-002", "000", _no_three_public_section, "000"),
    Case("COMP-3GONG-001", "000", None, "001"),
    Case("COMP-B12-001", "000", _no_b12, "000"),
    Case("COMP-ROWS-001", "000", _drop_row("B01", label="本年支出合计", side="支出"), "000"),
    Case(
        "HIER-CODE-003",
        "000",
        _drop_row("B05", code="2210201")
        and (lambda d: [_drop_row("B05", code=c)(d) for c in ("2210201", "2210202", "2210203")]),
        "000",
    ),
    Case("SUM-UNITS-001", "004", _b("B02", "合计", code="135002"), "004"),
    Case("XT-UNITS-001", "004", _drop_row("B05U", code="135002"), "004"),
    Case("SUM-B10-GROUPS", "004", _b("B10", "合计", code="135001"), "004"),
    # duplicates, names, years
    Case("DUP-PROJECT-001", "000", None, "004"),
    Case("DUP-PROJECT-002", "000", _duplicate_project, "000"),
    Case("DUP-ROW-001", "000", _duplicate_row, "000"),
    Case("NAME-ORG-001", "004", None, "000"),
    Case("YEAR-TABLE-001", "003", _table_year, "003"),
    Case("YEAR-PART-001", "000", _part_year, "000"),
    Case("YEAR-ASOF-001", "000", None, "001"),
    # narrative
    Case("NARR-AMOUNT-001", "000", None, "002"),
    Case("NARR-SHARE-001", "000", _share, "000"),
    Case("NARR-CHANGE-001", "000", None, "002"),
    Case("NARR-PRIOR-001", "002", _prior, "002"),
    Case("NARR-PRIOR-002", "000", _prior_b11, "000"),
    Case("NARR-YEAR-001", "001", None, "000"),
    Case("NARR-YEAR-002", "000", None, "002"),
    Case("NARR-COMPLETION-001", "003", None, "003", fix=_fix_completion),
    Case("NARR-PARTS-001", "000", _parts, "000"),
    Case("NARR-PROJECT-001", "000", _project_claim, "000"),
    # performance
    Case("PERF-TARGET-001", "000", _target, "000"),
    Case("PERF-UNIT-001", "004", None, "000"),
    Case("PERF-FUNDS-001", "000", _funds, "000"),
    Case("PERF-FUNDS-002", "000", _current, "000"),
    Case("PERF-B10-001", "001", _b12_vs_b10, "001"),
    Case("PERF-B10-002", "000", _b11_project, "000"),
    Case("SE-TOTAL-001", "003", None, "003", fix=_fix_smart_city),
    Case("SE-RATE-001", "003", _se("execution_rate", "90"), "003"),
    Case("SE-RATE-002", "003", _se("execution_score", "18"), "003"),
    Case("SE-SCORE-001", "003", _se_score, "003"),
    Case("SE-WEIGHT-001", "003", _se_weight, "003"),
    Case("SE-HEADER-001", "003", None, "003", fix=_fix_header),
]
