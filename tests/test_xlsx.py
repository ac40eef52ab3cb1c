"""XLSX inputs: every seed written as a workbook reads back to the same facts and the same audit."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnbudget.domain.errors import InputError
from cnbudget.read import ReadOptions, read_path, xlsx
from support.convert import assert_reads_like_its_text, text_to_xls, text_to_xlsx
from support.seeds import SEED_FILES


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_seed_round_trip_through_a_workbook(tmp_path: Path, name: str, fmt: str) -> None:
    workbook = tmp_path / f"{name}.{fmt}"
    (text_to_xlsx if fmt == "xlsx" else text_to_xls)(SEED_FILES[name], workbook)
    assert_reads_like_its_text(SEED_FILES[name], workbook, fmt)


def test_xls_merged_cells_keep_their_text_once(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表5")
    sheet.write_merge(0, 0, 0, 2, "一般公共预算支出表")
    sheet.write_merge(1, 2, 0, 0, "项目")
    sheet.write_merge(1, 1, 1, 2, "基本支出")
    sheet.write(2, 1, "人员经费")
    sheet.write(2, 2, "公用经费")
    sheet.write(3, 0, "合计")
    sheet.write(3, 1, 1297.3, xlwt.easyxf(num_format_str="#,##0.00"))
    sheet.write(3, 2, 5, xlwt.easyxf(num_format_str="0.00"))
    path = tmp_path / "merged.xls"
    book.save(str(path))
    lines = read_path(path).lines
    assert lines[0].text == "一般公共预算支出表" and lines[0].cells is None
    assert [line.cells for line in lines[1:]] == [
        ["项目", "基本支出"],
        ["", "人员经费", "公用经费"],
        ["合计", "1297.30", "5.00"],
    ]


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False))
def test_stored_floats_print_as_their_number_format(value: Decimal) -> None:
    assert xlsx.cell_text(float(value), "#,##0.00") == f"{value:.2f}"
    assert xlsx.cell_text(float(value), "0.00") == f"{value:.2f}"


def test_cell_text_of_other_values() -> None:
    assert xlsx.cell_text(None, "General") == ""
    assert xlsx.cell_text(2010301, "General") == "2010301"  # a code stored as a number stays a code
    assert xlsx.cell_text(5.0, "General") == "5"
    assert xlsx.cell_text("行政运行\n（项）", "General") == "行政运行（项）"


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    bomb = _zip(
        tmp_path / "budget.xlsx", {"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": bytes(8 << 20)}
    )
    with pytest.raises(InputError, match=r" 4 MB") as err:  # the limit applied, in either language
        read_path(bomb, ReadOptions(max_unpacked_mb=4))
    assert err.value.setting == "max_unpacked_mb"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"word/document.xml": b"<w/>"}, "无法读取的 DOCX 文档"),
        ({"readme.txt": b"hello"}, "这是 zip 压缩包，不是公开文件"),
        ({"xl/workbook.xml": b"not xml"}, "无法读取的 XLSX 工作簿"),
    ],
)
def test_other_zips_get_a_clear_message(tmp_path: Path, entries: dict[str, bytes], message: str) -> None:
    path = _zip(tmp_path / "input.xlsx", entries)
    with pytest.raises(InputError, match=message) as err:
        read_path(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04" + bytes(200), "zip 容器已损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "无法读取的 XLS 工作簿"),
    ],
)
def test_damaged_and_legacy_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "budget.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_path(path)
