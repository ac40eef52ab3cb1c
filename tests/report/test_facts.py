"""The facts export against the document text: every printed amount of a standard table is a fact."""

import csv
import io
from collections import Counter

from cnbudget.domain.numbers import amount_text, is_decimal_amount
from cnbudget.read import read_path
from cnbudget.report.document.facts import FACT_COLUMNS, facts_csv, iter_facts
from support.seeds import SEED_FILES, seed


def _printed_amounts(name: str, table) -> Counter:  # type: ignore[no-untyped-def]
    """Amounts printed between a table's title and its last line, read straight from the text."""
    found: Counter = Counter()
    for line in read_path(SEED_FILES[name]).lines:
        if table.title_line < line.number <= table.last_line:
            tokens = line.cells if line.cells is not None else line.text.split()
            found.update(amount_text(t) for t in tokens if t and is_decimal_amount(t.strip()))
    return found


def test_every_printed_amount_is_a_fact(seed_name: str) -> None:
    doc = seed(seed_name)
    facts = list(iter_facts(doc))
    assert facts
    for table in doc.tables:
        got = Counter(f.value for f in facts if f.table_kind == table.id)
        assert got == _printed_amounts(seed_name, table), table.id


def test_csv_contract(seed_name: str) -> None:
    rows = list(csv.reader(io.StringIO(facts_csv(seed(seed_name)))))
    assert tuple(rows[0]) == FACT_COLUMNS
    for kind, code, label, column, value in rows[1:]:
        assert kind in {t.id for t in seed(seed_name).tables}
        assert " " not in label and " " not in column and "," not in value
        assert amount_text(value) == value
        if kind in ("B01", "B04", "F01", "F04"):
            assert column.split("/")[0] in ("收入", "支出")
        assert code == "" or code.replace(" ", "") == code


def test_known_facts() -> None:
    rows = set(iter_facts(seed("000")))
    assert ("B05", "2014150", "事业运行", "基本支出/人员经费", "666.95") in rows
    assert ("B01", "", "收入总计", "收入/预算数", "5916.68") in rows
    assert ("B04", "", "一、本年收入", "收入/预算数", "5357.53") in rows
    rows = set(iter_facts(seed("003")))
    assert ("F02", "20103", "行政运行", "本年收入合计", "1791.15") in rows
    assert ("F06", "", "公用经费合计", "公用经费/决算数", "285.07") in rows
    rows = set(iter_facts(seed("001")))
    assert ("B02", "343", "武昌区大数据中心", "本年收入/一般公共预算", "1297.34") in rows
