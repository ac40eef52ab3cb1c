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
        ["合计", "1,297.30", "5.00"],  # as printed: "#,##0.00" has thousands separators
    ]


def test_xls_percentages_and_separators_read_as_printed(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("B12-1")
    sheet.write(0, 0, "资金来源")
    sheet.write(0, 1, 270000, xlwt.easyxf(num_format_str="#,##0"))
    sheet.write(0, 2, 0.98, xlwt.easyxf(num_format_str="0%"))
    path = tmp_path / "printed.xls"
    book.save(str(path))
    assert [line.cells for line in read_path(path).lines] == [["资金来源", "270,000", "98%"]]


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False))
def test_stored_floats_print_as_their_number_format(value: Decimal) -> None:
    assert xlsx.cell_text(float(value), "#,##0.00") == f"{value:,.2f}"
    assert xlsx.cell_text(float(value), "0.00") == f"{value:.2f}"


@pytest.mark.parametrize(
    ("value", "number_format", "printed"),
    [
        (270000, "#,##0", "270,000"),  # a 6-digit amount is not a unit code when printed with its separator
        (0.98, "0%", "98%"),
        (1, "0%", "100%"),
        (0.2842, "0.00%", "28.42%"),
        (0.125, "0.00", "0.13"),  # Excel rounds half away from zero
        (-1234.5, "#,##0.00_);(#,##0.00)", "(1,234.50)"),
        (-1234.5, "#,##0.00;[Red]-#,##0.00", "-1,234.50"),
        (-1234.5, "#,##0.00;[Red]#,##0.00", "-1,234.50"),  # shown negative by colour only: the sign is kept
        (-0.001, "0.00", "0.00"),
        (0, '#,##0.00;-#,##0.00;"-"', "-"),
        (1297.3, '#,##0.00"万元"', "1,297.30万元"),
        (1297.3, "#,##0.00_ ", "1,297.30"),
        (3.0, "[$¥-804]#,##0.00", "¥3.00"),
        (12.5, "0.0#", "12.5"),
        (12.0, "0.0#", "12.0"),
        (7, "000", "007"),
        (1234567, "#,##0,", "1,235"),
        (1.5, "0.00E+00", "1.5"),  # a pattern this reader does not render prints the plain number
    ],
)
def test_numbers_read_as_printed(value: float, number_format: str, printed: str) -> None:
    assert xlsx.cell_text(value, number_format) == printed


def test_formulas_and_percentages_read_as_printed(tmp_path: Path) -> None:
    """A workbook written without calculated values (openpyxl, many generators): constants are printed;
    a percent-formatted number prints as a percentage; a text cell starting with = stays text."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["满意度", "=100%", "计划标准"])
    sheet.append(["完成率", 0.98, "计划标准"])
    sheet["B2"].number_format = "0%"
    sheet.append(["合计", '="共计"', "=SUM(B2:B2)"])
    sheet.append(["目标", "=100%"])
    sheet["B4"].data_type = "s"  # typed as text: printed "=100%"
    path = tmp_path / "formulas.xlsx"
    workbook.save(path)
    source = read_path(path)
    assert [line.cells or [line.text] for line in source.lines] == [
        ["满意度", "100%", "计划标准"],
        ["完成率", "98%", "计划标准"],
        ["合计", "共计"],  # the sum has no saved value: blank, and said
        ["目标", "=100%"],
    ]
    assert any("C3 =SUM(B2:B2)" in w for w in source.warnings)


def test_formulas_read_as_the_values_saved_with_them(tmp_path: Path) -> None:
    """Excel and WPS save each formula's value: that is what is printed, in the cell's number format."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["合计", "=SUM(1,2)", "=100%"])
    sheet["B1"].number_format = "#,##0.00"
    sheet["C1"].number_format = "0%"
    path = tmp_path / "saved.xlsx"
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:  # save the values as a calculating program does
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    sheet_xml = sheet_xml.replace("<f>SUM(1,2)</f><v></v>", "<f>SUM(1,2)</f><v>1297.3</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(
        "<f>100%</f><v></v>", "<f>100%</f><v>1</v>"
    ).encode()
    _zip(path, parts)
    source = read_path(path)
    assert [line.cells for line in source.lines] == [["合计", "1,297.30", "100%"]]
    assert not source.warnings


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


def test_what_openpyxl_prints_stays_off_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """openpyxl prints "0 is out of range" to stdout for a damaged style index before it raises (seen in the
    fuzzing): on stdout that would break a JSON report. The reader keeps it off, and says what failed."""
    import openpyxl

    from cnbudget.domain.errors import InputError
    from cnbudget.read.xlsx import read_xlsx

    def damaged(*_args: object, **_kwargs: object) -> None:
        print("0 is out of range")
        raise IndexError("list index out of range")

    monkeypatch.setattr(openpyxl, "load_workbook", damaged)
    with pytest.raises(InputError) as refused:
        read_xlsx(b"PK", "样式损坏.xlsx")
    assert "IndexError" in refused.value.message and refused.value.path == "样式损坏.xlsx"
    assert capsys.readouterr().out == ""
