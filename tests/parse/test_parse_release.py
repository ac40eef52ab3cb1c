"""Parsing a file lets go of its tables' rows once they are read (`parse_source(keep_source=False)`, what
`parse_file` does): the document must be exactly the one read while keeping every line, in every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnbudget.parse import parse_file, parse_source
from cnbudget.read import read_path
from support.convert import text_to_docx, text_to_html, text_to_xlsx
from support.paths import FIXTURES
from support.seeds import SEED_FILES

PDFS = [FIXTURES / "pdf" / "putuo-planning-resources-2024-final.pdf"] + [
    FIXTURES / "national" / name
    for name in (
        "bj-beijing-edu-2026-budget-dept-tables.pdf",  # tables apart from the narrative
        "cq-chongqing-govoffice-2026-budget-dept.pdf",  # the narrative before the tables
        "sn-xian-finance-2026-budget-dept.pdf",  # a narrative section that ends in a table
        "sd-yantai-finance-2026-budget-dept.pdf",
    )
]
CONVERT = {"docx": text_to_docx, "html": text_to_html, "xlsx": text_to_xlsx}


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_a_pdf_parsed_with_its_rows_let_go_is_the_document_read_keeping_them(path: Path) -> None:
    kept = parse_source(read_path(path), keep_source=True)
    assert kept.tables, "the fixture has tables, so rows are let go"
    assert parse_file(path) == kept


@pytest.mark.parametrize("fmt", sorted(CONVERT))
@pytest.mark.parametrize("name", sorted(SEED_FILES)[:3])
def test_a_converted_seed_parsed_with_its_rows_let_go_is_the_same(
    tmp_path: Path, name: str, fmt: str
) -> None:
    target = tmp_path / f"{name}.{fmt}"
    CONVERT[fmt](SEED_FILES[name], target)
    assert parse_file(target) == parse_source(read_path(target), keep_source=True)
    source = read_path(SEED_FILES[name])
    assert parse_source(source, keep_source=False) == parse_source(read_path(SEED_FILES[name]))


def test_the_rows_of_the_tables_are_let_go_but_the_last_of_each_run_and_the_text_stay() -> None:
    name = sorted(SEED_FILES)[0]
    source = read_path(SEED_FILES[name])
    before = list(source.lines)
    doc = parse_source(source, keep_source=False)
    ranges = [(t.first_line, t.last_line) for t in doc.tables]
    inside = [x for x in before if x.cells is not None and any(a <= x.number <= b for a, b in ranges)]
    left = [x for x in source.lines if x.cells is not None and any(a <= x.number <= b for a, b in ranges)]
    assert len(inside) > 100
    assert 0 < len(left) <= len(doc.tables) * 3  # the last row of each run, not the tables' rows
    text = [x for x in before if x.cells is None and x.layout != "blank"]
    assert text == [x for x in source.lines if x.cells is None and x.layout != "blank"]
    assert before[-1] is source.lines[-1]


def test_parse_source_keeps_the_source_whole_by_default() -> None:
    source = read_path(SEED_FILES[sorted(SEED_FILES)[0]])
    before = list(source.lines)
    parse_source(source)
    assert source.lines == before
