"""Resource limits for every input format: each refuses with the file, the limit, the size found and its option.

Limits are set small here so that the inputs stay tiny; the defaults (ReadOptions) are far above any real
disclosure, which the seed round trips through every format check elsewhere.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnbudget.cli.options import setting_hints
from cnbudget.domain.errors import EXIT_INPUT, EXIT_USAGE, InputError
from cnbudget.domain.i18n import set_language
from cnbudget.read import ReadOptions, read_path
from cnbudget.read.grid import MAX_COLSPAN, expand_spans
from cnbudget.read.source import CellCount
from support.cli import invoke as run
from support.paths import FIXTURES

PDF = FIXTURES / "pdf" / "encrypted.pdf"


@pytest.fixture(autouse=True)
def english() -> object:
    """Messages are checked in English; the Chinese twin is written beside each at the call site."""
    set_language("en")
    yield
    set_language(None)


def _refused(path: Path, setting: str, **limits: float) -> InputError:
    with pytest.raises(InputError) as err:
        read_path(path, ReadOptions(**limits))  # type: ignore[arg-type]
    assert err.value.setting == setting, err.value
    assert err.value.path == str(path)
    assert setting in setting_hints(), "the command line must say which option raises the limit"
    return err.value


def _html(body: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body></html>"


def _table(rows: int, columns: int) -> str:
    cells = "".join(f"<td>{c}</td>" for c in range(columns))
    return "<table>" + f"<tr>{cells}</tr>" * rows + "</table>"


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(path: Path, body: str) -> Path:
    """A minimal DOCX: the three parts python-docx needs, the body as given."""
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", f"<w:document {_W}><w:body>{body}</w:body></w:document>")
    return path


def _word_table(rows: int, columns: int) -> str:
    cell = "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
    return (
        "<w:tbl><w:tblGrid>"
        + "<w:gridCol/>" * columns
        + "</w:tblGrid>"
        + ("<w:tr>" + cell * columns + "</w:tr>") * rows
        + "</w:tbl>"
    )


# ---- bytes ------------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "budget.txt"
    path.write_text("部门收支总表\n" * 1000, encoding="utf-8")  # 19,000 bytes
    error = _refused(path, "max_mb", max_mb=0.01)
    assert error.message == "the file is 0.019 MB, more than the limit of 0.01 MB"
    assert read_path(path, ReadOptions(max_mb=0.02)).lines[0].text == "部门收支总表"


def test_a_file_over_the_default_size_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # a sparse file: 25 MB on paper, nothing on disk, so the test is instant
        f.write("部门预算\n".encode())
        f.truncate(25 * 1_000_000)
    start = time.perf_counter()
    error = _refused(path, "max_mb")
    assert time.perf_counter() - start < 1
    assert "the file is 25 MB, more than the limit of 20 MB" in error.message


def test_pdfs_have_their_own_size_limit_checked_before_anything_else(tmp_path: Path) -> None:
    # the encrypted PDF would be refused as encrypted; the size limit comes first
    error = _refused(PDF, "max_pdf_mb", max_pdf_mb=0.001)
    assert "limit of 0.001 MB" in error.message
    with pytest.raises(InputError, match="encrypted"):
        read_path(PDF, ReadOptions(max_mb=0.001))  # the limit of other formats does not apply to PDFs


# ---- cells ------------------------------------------------------------------------------------------


def test_xlsx_over_the_cell_limit(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r in range(1, 11):
        sheet.append([f"项目{r}", r, r * 2, r * 3])  # 10 rows of 4 cells
    path = tmp_path / "budget.xlsx"
    book.save(path)
    error = _refused(path, "max_cells", max_cells=30)
    assert "more than the limit of 30 cells" in error.message
    assert len(read_path(path, ReadOptions(max_cells=40)).lines) == 10


def test_xlsx_rows_far_below_the_data_count_as_cells(tmp_path: Path) -> None:
    """A sheet whose only other cell is on row 1,000,000 would make a million empty lines."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "部门收支总表"
    sheet["A1000000"] = "尾"
    path = tmp_path / "sparse.xlsx"
    book.save(path)
    error = _refused(path, "max_cells", max_cells=10_000)
    assert "limit of 10,000 cells" in error.message


def test_xls_over_the_cell_limit(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("预算")
    for r in range(10):
        for c in range(4):
            sheet.write(r, c, f"{r}-{c}")
    path = tmp_path / "budget.xls"
    book.save(str(path))
    _refused(path, "max_cells", max_cells=39)
    assert len(read_path(path, ReadOptions(max_cells=40)).lines) == 10


def test_docx_table_over_the_cell_limit(tmp_path: Path) -> None:
    path = _docx(tmp_path / "budget.docx", "<w:p><w:r><w:t>标题</w:t></w:r></w:p>" + _word_table(10, 3))
    _refused(path, "max_cells", max_cells=29)
    lines = read_path(path, ReadOptions(max_cells=30)).lines
    assert [line.text for line in lines] == ["标题"] + ["1\t1\t1"] * 10


def test_html_table_over_the_cell_limit(tmp_path: Path) -> None:
    path = tmp_path / "budget.html"
    path.write_text(_html(_table(10, 3)), encoding="utf-8")
    _refused(path, "max_cells", max_cells=29)
    assert len(read_path(path, ReadOptions(max_cells=30)).lines) == 10


def test_html_span_bomb_is_refused_at_once(tmp_path: Path) -> None:
    """One cell claiming 10^5 × 10^5 positions: cut to the standard's 1000 columns and the table's rows,
    and counted before anything is marked."""
    rows = '<tr><td colspan="100000" rowspan="100000">x</td><td>1</td></tr>' + "<tr><td>2</td></tr>" * 2000
    path = tmp_path / "spans.html"
    path.write_text(_html(f"<table>{rows}</table>"), encoding="utf-8")
    start = time.perf_counter()
    error = _refused(path, "max_cells")
    assert time.perf_counter() - start < 2
    assert f"stopped at {MAX_COLSPAN * 2001:,}" in error.message


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(-2, 4), st.integers(-2, 4)), min_size=0, max_size=4),
        min_size=0,
        max_size=6,
    ),
    st.integers(1, 60),
)
def test_spans_expand_within_the_cell_limit(spans: list[list[tuple[int, int]]], limit: int) -> None:
    """Every cell's text is placed exactly once, in row order; or the count passes the limit and the table
    is refused — never more positions marked than counted."""
    rows = [
        [(f"r{r}c{i}", colspan, rowspan) for i, (colspan, rowspan) in enumerate(row)]
        for r, row in enumerate(spans)
    ]
    claimed = sum(
        max(colspan, 1) * min(max(rowspan, 1), len(rows) - r)
        for r, row in enumerate(rows)
        for _, colspan, rowspan in row
    )
    count = CellCount(limit, "t.html")
    if claimed > limit:
        with pytest.raises(InputError) as err:
            expand_spans(rows, count)
        assert err.value.setting == "max_cells"
        return
    grid = expand_spans(rows, count)
    assert count.count == claimed
    assert len(grid) == len(rows)
    for r, row in enumerate(rows):
        assert [c for c in grid[r] if c] == [text for text, _, _ in row]


# ---- nesting ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [256, 300, 1000])
def test_html_nested_past_the_parser_is_too_deep_not_empty(tmp_path: Path, levels: int) -> None:
    """lxml drops a page nested 256 levels or more; that was reported as "no text"."""
    path = tmp_path / "deep.html"
    path.write_text(_html("<div>" * levels + "部门预算" + "</div>" * levels), encoding="utf-8")
    error = _refused(path, "max_depth")
    assert error.message == "the markup is nested too deeply: more than the limit of 200 levels"


def test_html_depth_limit_is_a_setting(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_text(_html("<div>" * 50 + "部门预算" + "</div>" * 50), encoding="utf-8")
    assert read_path(path).lines[0].text == "部门预算"
    error = _refused(path, "max_depth", max_depth=20)
    assert "limit of 20 levels" in error.message


def test_docx_depth(tmp_path: Path) -> None:
    # document > body > tbl > tr > tc > p > r > t: eight levels
    path = _docx(tmp_path / "table.docx", _word_table(1, 2))
    assert read_path(path, ReadOptions(max_depth=8)).lines[0].text == "1\t1"
    error = _refused(path, "max_depth", max_depth=7)
    assert "limit of 7 levels" in error.message


def test_docx_nested_past_the_parser_is_too_deep(tmp_path: Path) -> None:
    nested = "<w:sdt><w:sdtContent>" * 150 + "<w:p/>" + "</w:sdtContent></w:sdt>" * 150
    path = _docx(tmp_path / "deep.docx", nested)
    error = _refused(path, "max_depth")
    assert "limit of 200 levels" in error.message


# ---- zip containers ---------------------------------------------------------------------------------


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_unpacked_size_message_quotes_the_limit_applied(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "budget.xlsx", {"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": bytes(3_000_000)}
    )
    error = _refused(path, "max_unpacked_mb", max_unpacked_mb=2)
    assert (
        error.message == "would unpack to 3 MB (up to xl/worksheets/sheet1.xml), more than the limit of 2 MB"
    )


def test_compression_ratio_message_quotes_the_ratio_limit(tmp_path: Path) -> None:
    """Under the unpacked limit but compressed a thousandfold: the message gives the ratio and its limit,
    not the unpacked limit, which was not what refused it."""
    path = _zip(tmp_path / "budget.docx", {"word/document.xml": bytes(11_000_000)})
    with pytest.raises(InputError) as err:
        read_path(path)
    message = err.value.message
    assert message.startswith("word/document.xml is compressed ") and "11 MB unpacked" in message
    assert "more than the limit of 200:1 for members over 10 MB" in message
    assert "100 MB" not in message


# ---- the command line -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["parse"], ["facts"], ["show", "--table", "B01"], ["audit"], ["diff", "{path}"]]
)
def test_commands_name_the_option_that_raises_the_limit(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "budget.txt"
    path.write_text("部门收支总表\n" * 1000, encoding="utf-8")
    rest = [str(path) if arg == "{path}" else arg for arg in command[1:]]
    result = run(command[0], str(path), *rest, "--max-mb", "0.01", env={"CNBUDGET_LANG": "en"})
    assert result.returncode == EXIT_INPUT
    assert (
        str(path) in result.stderr and "limit of 0.01 MB" in result.stderr and "(--max-mb)" in result.stderr
    )


def test_ingest_takes_the_limits(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_text(_html("<div>" * 30 + "部门预算" + "</div>" * 30), encoding="utf-8")
    db = tmp_path / "library.db"
    result = run(
        "ingest", str(path), "--db", str(db), "--max-depth", "10", "--jobs", "1", env={"CNBUDGET_LANG": "en"}
    )
    assert result.returncode != 0 or "failed" in (result.stdout + result.stderr).lower()
    assert "--max-depth" in result.stdout + result.stderr


def test_the_depth_option_cannot_pass_the_parser_ceiling(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(_html("<p>部门预算</p>"), encoding="utf-8")
    assert run("parse", str(path), "--max-depth", "256").returncode == EXIT_USAGE


def test_limit_fields_have_their_options() -> None:
    from dataclasses import fields

    limits = [f.name for f in fields(ReadOptions) if f.name.startswith("max_")]
    assert limits and all(name in setting_hints() for name in limits)


@pytest.mark.parametrize("command", ["audit", "parse", "facts", "show", "diff", "ingest"])
def test_every_reading_setting_is_an_option_of_every_reading_command(command: str) -> None:
    """Declared once, on `ReadOptions`: each field with an `OptionHelp` is an option of each command that
    reads documents, named after the field."""
    from dataclasses import fields

    offered = [f.name for f in fields(ReadOptions) if "option" in f.metadata]
    assert {"max_pages", "max_seconds", "ocr", "max_mb", "max_cells"} <= set(offered)
    shown = run(command, "--help", env={"CNBUDGET_LANG": "en", "COLUMNS": "200"}).stdout
    for name in offered:
        assert "--" + name.replace("_", "-") in shown, (command, name)


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_a_limit_that_is_not_a_finite_number_is_refused(tmp_path: Path, value: str) -> None:
    """NaN passes every range check (it compares false) and would switch the limit off."""
    path = tmp_path / "budget.txt"
    path.write_text("部门收支总表\n", encoding="utf-8")
    result = run("parse", str(path), "--max-mb", value, env={"CNBUDGET_LANG": "en"})
    assert result.returncode == EXIT_USAGE
    assert (
        "--max-mb" in result.stderr
        and "not a finite number" in result.stderr
        and "Traceback" not in result.stderr
    )


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_damaged_docx_is_refused_not_a_crash(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """The streamed DOCX reader and the zip check: bytes changed or cut anywhere give a document or a
    clear InputError (zipfile raises NotImplementedError, UnicodeDecodeError, zlib errors … on its own)."""
    folder = tmp_path_factory.mktemp("docx")
    original = _docx(
        folder / "ok.docx", "<w:p><w:r><w:t>标题</w:t></w:r></w:p>" + _word_table(3, 3)
    ).read_bytes()
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(damaged)))
    path = folder / "damaged.docx"
    path.write_bytes(bytes(damaged[:cut]))
    try:
        source = read_path(path)
    except InputError as exc:
        assert exc.path == str(path) and exc.message
    else:
        assert source.lines


def test_a_zip_needing_an_unknown_version_is_refused(tmp_path: Path) -> None:
    """zipfile raises NotImplementedError for a "version needed to extract" it does not know."""
    data = bytearray(_docx(tmp_path / "ok.docx", "<w:p><w:r><w:t>标题</w:t></w:r></w:p>").read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 6] = 0xFF  # version needed to extract, in the first central directory entry
    path = tmp_path / "future.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="zip container is damaged"):
        read_path(path)
