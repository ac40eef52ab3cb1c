"""The parser's self-check: a reading is held against the relations the table states of itself."""

from __future__ import annotations

import copy
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cnbudget.audit import audit
from cnbudget.domain.codes import function_codes
from cnbudget.model import Cell, Column, Document, Row, Table
from cnbudget.parse.tables.selfcheck import ALTERNATIVES, assess, check_reading
from support.seeds import seed

COLUMNS = ["合计", "基本支出", "项目支出"]
HEADER = [*COLUMNS, "上缴上级支出"]
"""The header has a fourth amount column the rows leave blank, as real tables do."""


def _table(leaves: list[tuple[str, str, Decimal, Decimal]]) -> Table:
    """A function-classification table (合计 = 基本支出 + 项目支出) over 项 rows, with their 款, 类 and 合计."""
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for code, _name, basic, project in leaves:
        for prefix in (code[:3], code[:5], code, ""):
            b, p = sums.get(prefix, (Decimal(0), Decimal(0)))
            sums[prefix] = (b + basic, p + project)
    names = function_codes()
    rows = []
    for line, code in enumerate(sorted({*sums} - {""}), start=2):
        basic, project = sums[code]
        values = (basic + project, basic, project)
        cells = [Cell(c, f"{v:.2f}", v, line) for c, v in zip(COLUMNS, values, strict=True)]
        rows.append(Row(names[code], code, cells=cells, line=line))
    basic, project = sums[""]
    total = [
        Cell(c, f"{v:.2f}", v, 99) for c, v in zip(COLUMNS, (basic + project, basic, project), strict=True)
    ]
    rows.append(Row("合计", kind="total", cells=total, line=99))
    columns = [Column(["科目编码"], "code"), Column(["科目名称"], "label")]
    columns += [Column([c], "value") for c in HEADER]
    return Table("B05", "一般公共预算支出表", 1, 1, 99, columns=columns, rows=rows)


AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
LEAVES = st.lists(
    st.tuples(
        st.sampled_from(["2010101", "2010102", "2010301", "2080505", "2080506", "2210201", "2101101"]),
        st.just(""),
        AMOUNTS,
        AMOUNTS,
    ),
    min_size=3,
    max_size=7,
    unique_by=lambda leaf: leaf[0],
)


@settings(max_examples=60, deadline=None)
@given(LEAVES)
def test_a_table_that_adds_up_is_plausible_as_read(leaves: list[tuple[str, str, Decimal, Decimal]]) -> None:
    table = _table(leaves)
    reading = check_reading(table)
    assert reading.relations >= 6 and reading.held == reading.relations
    assert table.status == "ok" and not table.warnings


@settings(max_examples=60, deadline=None)
@given(LEAVES)
def test_amounts_read_one_column_off_are_put_back(leaves: list[tuple[str, str, Decimal, Decimal]]) -> None:
    right = _table(leaves)
    assert ALTERNATIVES["金额列整体左移一列"](copy.deepcopy(right)) is None  # nothing left of 合计
    shifted = _table(leaves)
    for (
        row
    ) in shifted.rows:  # each amount read one column to the right: 合计 blank, 项目支出 under 上缴上级支出
        row.cells = [Cell(HEADER[i + 1], c.raw, c.value, c.line) for i, c in enumerate(row.cells)]
    assert assess(shifted).share_held == 0
    check_reading(shifted)
    assert shifted.status == "ok" and shifted.warnings[0].startswith("按表内勾稽关系改读：金额列整体左移一列")
    assert [[(c.column, c.value) for c in r.cells] for r in shifted.rows] == [
        [(c.column, c.value) for c in r.cells] for r in right.rows
    ]


def _scrambled(doc: Document, table_id: str) -> Document:
    """The document with one table misread beyond repair: each column's amounts slid down by its own step
    (rows of different lengths read against the wrong rows)."""
    table = doc.table(table_id)
    assert table is not None
    for step, column in enumerate(table.value_keys(), start=1):
        cells = [c for r in table.rows if (c := r.cell(column)) is not None]
        values = [c.value for c in cells]
        for cell, value in zip(cells, values[step:] + values[:step], strict=True):
            cell.value = value
    return doc


def test_a_misread_table_is_one_parse_finding_not_many_errors() -> None:
    doc = copy.deepcopy(seed("000"))
    clean = audit(copy.deepcopy(doc))
    _scrambled(doc, "B05")
    b05 = doc.table("B05")
    assert b05 is not None
    reading = check_reading(b05)
    assert b05.status == "unreliable" and not reading.plausible()
    assert "勾稽关系" in b05.warnings[-1] and "人工核对" in b05.warnings[-1]
    report = audit(doc)
    parse = [f for f in report.findings if f.rule_id == "COMP-PARSE-001"]
    assert len(parse) == 1 and parse[0].needs_review and parse[0].table == "B05"
    assert "读取不可信" in parse[0].message
    # nothing is computed on B05 any more: no finding of another rule names it
    assert not [f for f in report.findings if f.rule_id != "COMP-PARSE-001" and "B05" in f.tables]
    new_errors = {f.message for f in report.findings if f.severity == "error"} - {
        f.message for f in clean.findings if f.severity == "error"
    }
    assert not new_errors
    outcome = next(o for o in report.outcomes if o.rule_id == "HIER-B05-KUAN")
    assert outcome.status == "not_evaluated" and "未能可靠读取" in outcome.reason


def test_the_real_documents_read_as_plausible() -> None:
    for name in ("000", "001", "002", "003", "004"):
        for table in seed(name).tables:
            assert table.status in ("ok", "partial"), (name, table.id, table.warnings)
            reading = assess(table)
            assert reading.plausible(), (name, table.id, reading.why())
