"""Page-text conversions: a disclosure copied out of its PDF page by page (the text without places, as
pypdfium2's get_text_range gives it, or a reader's "save as text") is read as far as its words allow, and a
table whose reading its own sums do not confirm is set aside, never audited into false errors.

The page text is made here from the real PDF fixture, so the expectations are the PDF's own reading."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

import cnbudget
from cnbudget.audit import audit
from cnbudget.parse.tables.header_words import header_columns, sides_text
from support.paths import FIXTURES

PDF = FIXTURES / "pdf" / "putuo-planning-resources-2024-final.pdf"


def _page_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def both() -> tuple[cnbudget.Document, cnbudget.Document]:
    return cnbudget.parse_text(_page_text(PDF), "putuo.txt"), cnbudget.parse_file(PDF)


def test_the_core_tables_are_read_as_from_the_pdf(both: tuple[cnbudget.Document, cnbudget.Document]) -> None:
    text, pdf = both
    for table_id in ("F01", "F03", "F04", "F05", "F09"):
        read, reference = text.table(table_id), pdf.table(table_id)
        assert read is not None and reference is not None, table_id
        assert read.status == "ok", (table_id, read.warnings[:3])
        mine = {
            (r.full_code or r.label, c.column.split("/")[-1], c.value) for r in read.rows for c in r.cells
        }
        theirs = {
            (r.full_code or r.label, c.column.split("/")[-1], c.value)
            for r in reference.rows
            for c in r.cells
        }
        # every amount read from the page text is the PDF's, under the same row and column
        assert len(mine & theirs) >= 0.9 * len(mine), (table_id, sorted(mine - theirs)[:5])


def test_interleaved_budget_and_final_pairs(both: tuple[cnbudget.Document, cnbudget.Document]) -> None:
    """F09 prints 预算数 | 决算数 under each 三公 item: "2.85 0.39 0.00 0.00 … 2.85 0.39"."""
    text, _ = both
    f09 = text.table("F09")
    assert f09 is not None
    row = f09.rows[0]
    assert [c.column.split("/")[-2:] for c in row.cells][:2] == [["合计", "预算数"], ["合计", "决算数"]]
    assert [str(c.value) for c in row.cells if "接待" in c.column] == ["2.85", "0.39"]


def test_no_false_errors_from_what_could_not_be_read(
    both: tuple[cnbudget.Document, cnbudget.Document],
) -> None:
    text, pdf = both
    from_pdf = {f.rule_id for f in audit(pdf).findings if f.severity == "error"}
    from_text = {f.rule_id for f in audit(text).findings if f.severity == "error"}
    assert from_text <= from_pdf


@pytest.mark.parametrize(
    ("header", "counts", "expected"),
    [
        # a word cut in two by the name column's words: 对附属单位补 | 功能分类 | 助支出
        (
            "项目\n本年支出合计 基本支出 项目支出 上缴上级支出 经营支出 对附属单位补\n功能分类 助支出\n科目编码 科目名称",
            {6},
            [["本年支出合计"], ["基本支出"], ["项目支出"], ["上缴上级支出"], ["经营支出"], ["对附属单位补助支出"]],
        ),
        # a year over each set of columns, the earlier year's total only (重庆 B05)
        (
            "功能分类科目\n2025年预算\n数\n2026年预算数\n科目编码 科目名称 总计\n基本支出\n项目支出\n小计 人员经费 公用经费",
            {6},
            [
                ["2025年预算数"], ["2026年预算数", "总计"], ["2026年预算数", "基本支出", "小计"],
                ["2026年预算数", "基本支出", "人员经费"], ["2026年预算数", "基本支出", "公用经费"],
                ["2026年预算数", "项目支出"],
            ],
        ),
        # a word's parts in the line below, and a column beside the group that holds them (上海 B07)
        (
            "2023年“三公”经费预算数\n2023年机关运行经\n费预算数\n合计 因公出国(境)费 公务接待费\n公务用车购置及运行费\n小计 购置费 运行费",
            {7},
            [
                ['"三公"经费', "合计"], ['"三公"经费', "因公出国(境)费"], ['"三公"经费', "公务接待费"],
                ['"三公"经费', "公务用车购置及运行费", "小计"], ['"三公"经费', "公务用车购置及运行费", "购置费"],
                ['"三公"经费', "公务用车购置及运行费", "运行费"], ["机关运行经费"],
            ],
        ),
        # words that give a number of columns no row prints: not a reading
        ("项目\n合计 基本支出 项目支出", {5}, None),
    ],
)  # fmt: skip
def test_header_words(header: str, counts: set[int], expected: list[list[str]] | None) -> None:
    assert header_columns(header, counts) == expected


def test_a_two_sided_header_is_read_per_side() -> None:
    income, spending = sides_text(
        "收入 支出\n项目 预算数 项目 总计 一般公共预算\n政府性基金\n预算\n国有资本经营\n预算"
    ) or ("", "")
    assert header_columns(income, set(range(1, 5))) == [["预算数"]]
    assert header_columns(spending, set(range(1, 8))) == [
        ["总计"],
        ["一般公共预算"],
        ["政府性基金预算"],
        ["国有资本经营预算"],
    ]
