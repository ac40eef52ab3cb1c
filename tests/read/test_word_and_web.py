"""DOCX and HTML inputs: every seed round-trips to the same facts; merged cells land where the parser expects."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

import cnbudget
from cnbudget.domain.errors import InputError
from cnbudget.read import read_path
from cnbudget.read.grid import expand_spans
from support.convert import assert_reads_like_its_text, text_to_docx, text_to_html
from support.seeds import SEED_FILES


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_seed_round_trip(tmp_path: Path, name: str, fmt: str) -> None:
    target = tmp_path / f"{name}.{fmt}"
    (text_to_docx if fmt == "docx" else text_to_html)(SEED_FILES[name], target)
    assert_reads_like_its_text(SEED_FILES[name], target, fmt)


EMPTY_F07 = (
    "2024 年度政府性基金预算财政拨款收入支出决算表\n金额单位：万元\n"
    "项目\t\t\t\t年初结转和结余\t本年收入\t本年支出\t\t\t年末结转和结余\n"
    "功能分类科目\t科目名称\t\t\t\t\t小计\t基本支出\t项目支出\t\n"
    "类\t款\t项\t\t\t\t\t\t\t\n"
    "栏次\t\t\t\t1\t2\t3\t4\t5\t6\n"
    "合计\t\t\t\t\t\t\t\t\t\n"
    "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。\n"
)


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_a_totals_row_with_every_amount_blank_is_a_row(tmp_path: Path, fmt: str) -> None:
    """A Word or web table keeps a 合计 row whose amounts are blank as its label alone, which the reader
    gives as a line of text; inside the table it is the 合计 row, as in the tab-separated text."""
    text = tmp_path / "f07.txt"
    text.write_text(EMPTY_F07, encoding="utf-8")
    target = tmp_path / f"f07.{fmt}"
    (text_to_docx if fmt == "docx" else text_to_html)(text, target)
    for path in (text, target):
        table = cnbudget.parse_file(path).table("F07")
        assert table is not None and not table.is_empty
        assert [(row.label, row.cells) for row in table.rows] == [("合计", [])]
        assert [note.text for note in table.notes] == [EMPTY_F07.splitlines()[-1]]


def test_spans_leave_the_covered_positions_empty() -> None:
    rows = [
        [("项目", 1, 2), ("基本支出", 3, 1), ("项目支出", 1, 2)],
        [("小计", 1, 1), ("人员经费", 1, 1), ("公用经费", 1, 1)],
    ]
    assert expand_spans(rows) == [
        ["项目", "基本支出", "", "", "项目支出"],
        ["", "小计", "人员经费", "公用经费", ""],
    ]


def test_word_merged_cells_keep_their_text_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "项目"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "基本支出"
    table.cell(1, 1).text = "人员经费"
    table.cell(1, 2).text = "公用经费"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    cells = [line.cells for line in read_path(path).lines if line.cells]
    assert cells == [["项目", "基本支出"], ["", "人员经费", "公用经费"]]  # trailing blanks are dropped


def test_html_is_recognised_by_content_and_scripts_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        "<!DOCTYPE html><html><head><script>var x = 1.00;</script></head><body><p>部门收支总表</p>"
        "<table><tr><th rowspan=2>项目</th><th colspan=2>预算数</th></tr><tr><td>2025</td><td>2026</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    source = read_path(path)
    assert source.format == "html" and "var" not in "".join(line.text for line in source.lines)
    assert [line.cells for line in source.lines if line.cells] == [
        ["项目", "预算数"],  # trailing blanks are dropped
        ["", "2025", "2026"],
    ]


def test_empty_word_and_web_documents(tmp_path: Path) -> None:
    empty_docx = tmp_path / "empty.docx"
    docx.Document().save(str(empty_docx))
    empty_html = tmp_path / "empty.html"
    empty_html.write_text("<html><body><script>1</script></body></html>", encoding="utf-8")
    for path, message in ((empty_docx, "文档中没有文字"), (empty_html, "网页中没有文字")):
        with pytest.raises(InputError, match=message):
            read_path(path)
