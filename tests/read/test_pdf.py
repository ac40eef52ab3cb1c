"""PDF inputs: the real district final accounts and the national template, read through the same parser.

Expected figures were read off the PDF pages (page numbers are the PDF's, 1-based), not copied from output.
"""

from __future__ import annotations

import io
import subprocess
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import cnbudget
from cnbudget.audit import audit
from cnbudget.domain.errors import InputError
from cnbudget.model import Document
from cnbudget.read import ReadOptions, read_path
from cnbudget.report.document.facts import facts_csv
from support.convert import assert_reads_like_its_text, text_to_pdf
from support.paths import FIXTURES
from support.seeds import SEED_FILES

PDF = FIXTURES / "pdf"
PUTUO = PDF / "putuo-planning-resources-2024-final.pdf"
TEMPLATE = PDF / "national-final-accounts-template.pdf"


@cache
def putuo() -> Document:
    return cnbudget.parse_file(PUTUO)


def _value(doc: Document, table: str, column: str, code: str = "", label: str = "") -> tuple[Decimal, int]:
    t = doc.table(table)
    assert t is not None, table
    for row in t.rows:
        if (code and row.code == code) or (label and row.label == label and not code):
            for cell in row.cells:
                if cell.column == column:
                    assert cell.value is not None
                    return cell.value, cell.page or 0
    raise AssertionError(f"{table} {code or label} {column} not found")


@pytest.mark.parametrize(
    ("table", "code", "label", "column", "value", "page"),
    [
        ("F01", "", "总计", "收入/决算数", "9859.38", 7),
        ("F01", "", "本年支出合计", "支出/决算数", "9759.38", 7),
        ("F01", "", "年末结转和结余", "支出/决算数", "100.00", 7),
        ("F01", "", "十一、城乡社区支出", "支出/决算数", "3845.25", 7),
        ("F02", "2080505", "", "本年收入合计", "446.11", 8),
        ("F02", "2210203", "", "财政拨款收入", "171.49", 9),  # the table continues on page 9
        ("F05", "212", "", "基本支出", "1572.70", 14),
        ("F05", "212", "", "项目支出", "2259.65", 14),
        ("F05", "", "合计", "项目支出", "4381.74", 15),
        ("F06", "30108", "", "人员经费/决算数", "446.11", 16),
        # the header prints 决算数 twice; the catalog names the halves as other regions print them
        ("F06", "31002", "", "公用经费/决算数", "39.76", 16),
    ],
)
def test_cells_come_from_the_right_table_row_column_and_page(
    table: str, code: str, label: str, column: str, value: str, page: int
) -> None:
    assert _value(putuo(), table, column, code, label) == (Decimal(value), page)


def test_wrapped_header_cells_and_blank_cells() -> None:
    f02 = putuo().table("F02")
    assert f02 is not None
    keys = [c.key for c in f02.columns if c.role == "value"]
    # "附属单位" / "上缴收入" is one header cell printed on two lines
    assert keys[:3] == ["本年收入合计", "财政拨款收入", "上级补助收入"] and "附属单位上缴收入" in keys
    row = f02.row(code="2080505")
    assert [c.column for c in row.cells] == ["本年收入合计", "财政拨款收入"]  # blank cells stay blank


def test_three_public_expenses_and_boxes() -> None:
    f09 = putuo().table("F09")
    assert f09 is not None
    cells = {c.column.removeprefix("财政拨款“三公”经费/"): c for c in f09.rows[0].cells}
    # 公务接待费 spans two header rows; it must not be taken for a child of 公务用车运行维护费
    assert cells["公务接待费/预算数"].value == Decimal("2.85")
    assert cells["公务接待费/决算数"].value == Decimal("0.39")
    assert cells["公务用车购置及运行维护费/公务用车运行维护费/决算数"].value == Decimal("0.00")
    box = cells["公务接待费/决算数"].bbox
    assert box is not None and box[0] < box[2] and box[1] < box[3] and box[2] <= 842


def test_every_line_knows_its_page() -> None:
    source = read_path(PUTUO)
    assert source.format == "pdf" and len(source.lines) > 400
    assert all(line.page is not None and 1 <= line.page <= 30 for line in source.lines)
    assert {line.page for line in source.lines} == set(range(1, 31))


def test_narrative_numbers_stay_in_their_sentences() -> None:
    claim = next(c for c in putuo().claims if c.line and "人员经费" in c.subject)
    assert claim.amount == Decimal("4896.98") and "人员经费4896.98万元" in claim.sentence


def test_audit_errors_are_the_real_ones() -> None:
    report = audit(putuo())
    errors = sorted((f.rule_id, f.actual, f.expected) for f in report.findings if f.severity == "error")
    # 情况说明 六: 基本支出 5,377.64 and 人员经费 4,896.98 are the all-funds figures of F03; the 一般公共预算
    # tables (F05 合计 基本支出, F06 人员经费合计) give 5,364.75 and 4,884.09.
    assert errors == [
        ("NARR-AMOUNT-001", Decimal("4896.98"), Decimal("4884.09")),
        ("NARR-AMOUNT-001", Decimal("5377.64"), Decimal("5364.75")),
    ]
    cell = next(f for f in report.findings if f.rule_id == "SUM-LOCATE-001").evidence[0]
    assert cell.page == 12 and cell.bbox is not None  # F04 九、卫生健康支出 236.63


def test_template_placeholders_are_one_finding() -> None:
    report = audit(cnbudget.parse_file(TEMPLATE))
    assert [(f.rule_id, f.severity) for f in report.findings if f.severity != "info"] == [
        ("COMP-TEMPLATE-001", "error")
    ]


def _pdf_bytes(doc: pdfium.PdfDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _scan(target: pdfium.PdfDocument, source: pdfium.PdfDocument, index: int) -> None:
    """Append page `index` of `source` to `target` as an image only: a scan, no text layer."""
    width, height = source[index].get_size()
    bitmap = source[index].render(scale=3, grayscale=True)
    page = target.new_page(width, height)
    image = pdfium.PdfImage.new(target)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()


def _scanned_page_pdf() -> bytes:
    scan = pdfium.PdfDocument.new()
    _scan(scan, pdfium.PdfDocument(str(PUTUO)), 16)
    return _pdf_bytes(scan)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: PUTUO.read_bytes()[:5000], "无法读取的 PDF"),
        (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 4, "无法读取的 PDF"),
        (lambda: _pdf_bytes(pdfium.PdfDocument.new()), "PDF 没有页面"),
        (_scanned_page_pdf, "所有页面都没有文字层"),
        (lambda: (PDF / "encrypted.pdf").read_bytes(), "PDF 已加密（有密码保护）"),  # made with pikepdf
    ],
    ids=["truncated", "corrupt", "zero-pages", "scanned", "encrypted"],
)
def test_bad_pdfs_get_a_clear_message(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.pdf"
    path.write_bytes(make())
    with pytest.raises(InputError) as err:
        read_path(path, ReadOptions(ocr=False))
    assert message in str(err.value) and str(path) in str(err.value)


def test_a_scan_without_ocr_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader says the OCR component is missing; the command line says how to install it (the web tells
    the reviewer to ask whoever runs the server): the reader names no installation command."""
    from cnbudget.cli.options import setting_hints
    from cnbudget.read import ocr

    path = tmp_path / "扫描件.pdf"
    path.write_bytes(_scanned_page_pdf())
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(InputError) as err:
        read_path(path)
    assert "未安装 OCR 组件" in err.value.message and "pip" not in err.value.message
    assert (
        err.value.setting == "ocr_component"
        and 'pip install "cnbudget[ocr]"' in setting_hints()["ocr_component"]
    )
    with pytest.raises(InputError) as off:
        read_path(path, ReadOptions(ocr=False))
    assert "OCR 已关闭" in off.value.message and off.value.setting == "ocr"


def test_format_is_chosen_by_content_not_extension(tmp_path: Path) -> None:
    renamed = tmp_path / "report.txt"
    renamed.write_bytes(PUTUO.read_bytes())
    assert read_path(renamed).format == "pdf"
    text = tmp_path / "looks.pdf"
    text.write_text("部门收支总表\n", encoding="utf-8")
    assert read_path(text).format == "text"


def test_page_limit_is_an_option() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "cnbudget", "facts", str(PUTUO), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=60)

    refused = run("--max-pages", "10")
    assert refused.returncode == 2 and "PDF 有 30 页，超过上限 10 页" in refused.stderr
    read = run("--max-pages", "30")
    assert read.returncode == 0 and "F05,212,城乡社区支出,基本支出,1572.70" in read.stdout


@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_seed_round_trip_through_pdf(tmp_path: Path, name: str) -> None:
    """Each seed drawn as a PDF (ruled grids for tables, aligned text otherwise) reads back the same."""
    pdf = tmp_path / f"{name}.pdf"
    text_to_pdf(SEED_FILES[name], pdf)
    assert_reads_like_its_text(SEED_FILES[name], pdf, "pdf")
    from_pdf = cnbudget.parse_file(pdf)
    pages = {c.page for t in from_pdf.tables for r in t.rows for c in r.cells}
    assert None not in pages and len(pages) > 1


def test_a_printed_space_between_runs_of_two_fonts_is_kept(tmp_path: Path) -> None:
    """A target and its 指标值确定依据 printed as aligned text stay two words.

    Word and WPS set a space between Chinese runs in the Latin font, a run of its own that draws no ink;
    PDFium ignores such a run and infers a space in its place, which the reader dropped as inferred, so
    the target read "≥20000路历史标准" and absorbed the next column."""
    from reportlab.pdfgen import canvas

    from support.convert import FONT, _font

    _font()
    path = tmp_path / "mixed-fonts.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(600, 400))
    for y, runs in ((350, ("≥20000路", " ", "历史标准")), (330, ("=100%", " ", "计划标准"))):
        text = pdf.beginText(36, y)
        for run in runs:
            text.setFont("Helvetica" if run == " " else FONT, 9)
            text.textOut(run)
        pdf.drawText(text)
    pdf.save()
    assert [line.text for line in read_path(path).lines] == ["≥20000路 历史标准", "=100% 计划标准"]


def test_every_amount_in_the_table_grids_is_a_fact() -> None:
    from cnbudget.domain.numbers import amount_text, is_decimal_amount

    printed = sorted(
        (line.number, amount_text(c))
        for line in read_path(PUTUO).lines
        if line.cells and 7 <= (line.page or 0) <= 19  # the tables of 第二部分
        for c in line.cells
        if is_decimal_amount(c)
    )
    read = sorted((c.line, c.raw.replace(",", "")) for t in putuo().tables for r in t.rows for c in r.cells)
    assert len(printed) == 308 and read == printed


@pytest.fixture(scope="module")
def partly_scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The district PDF with page 17 (the 三公 table) replaced by a scan of itself."""
    source = pdfium.PdfDocument(str(PUTUO))
    out = pdfium.PdfDocument.new()
    out.import_pages(source, list(range(16)))
    _scan(out, source, 16)
    out.import_pages(source, list(range(17, len(source))))
    path = tmp_path_factory.mktemp("scan") / "partly-scanned.pdf"
    path.write_bytes(_pdf_bytes(out))
    return path


def test_without_ocr_the_unread_pages_are_named(partly_scanned: Path) -> None:
    doc = cnbudget.parse_file(partly_scanned, ReadOptions(ocr=False))
    assert any("未读取" in w.message and w.message.endswith("：17") for w in doc.warnings)
    assert doc.table("F09") is None or not doc.table("F09").rows


def test_a_scanned_page_is_read_by_ocr_into_the_same_facts(partly_scanned: Path) -> None:
    pytest.importorskip("rapidocr_onnxruntime")
    doc = cnbudget.parse_file(partly_scanned)
    assert facts_csv(doc) == facts_csv(putuo())
    f09 = doc.table("F09")
    assert f09 is not None and all(c.ocr and c.page == 17 for c in f09.rows[0].cells)
    assert not any(c.ocr for t in doc.tables if t.id != "F09" for r in t.rows for c in r.cells)
    assert any("经 OCR 识别" in w.message for w in doc.warnings)
    # a finding resting on an OCR value says it needs review
    f09.rows[0].cells[1].value = Decimal("1.39")
    # the broken sum, or the finding that locates the cell and lists the sum under it (one root, one finding)
    flagged = [
        f for f in audit(doc).findings if "SUM-F09-ROW" in (f.rule_id, *(r.rule_id for r in f.related))
    ]
    assert flagged and all("OCR" in f.message and "复核" in f.message for f in flagged)


def test_html_report_shows_the_page_with_the_cells_boxed(tmp_path: Path) -> None:
    from cnbudget.report.audit.html import render_html

    page = render_html([audit(putuo())], [])
    assert page.count("data:image/png;base64,") >= 3
    assert (
        "原文第 12 页" in page and '第 12、13 页<span class="detail">（提取文本第' in page
    )  # SUM-LOCATE-001: F04 (p. 12) vs F05 (p. 13); the page is the place, the text's lines a detail


def test_landscape_pages_turned_inside_portrait_pages(tmp_path: Path) -> None:
    """Tables drawn turned a quarter on portrait pages marked /Rotate 90 read as if printed straight."""
    pdf = tmp_path / "turned.pdf"
    text_to_pdf(SEED_FILES["003"], pdf, turned=True)
    assert pdfium.PdfDocument(str(pdf))[0].get_rotation() == 90
    assert facts_csv(cnbudget.parse_file(pdf)) == facts_csv(cnbudget.parse_file(SEED_FILES["003"]))


def test_a_rotate_flag_on_upright_content_changes_nothing(tmp_path: Path) -> None:
    source = pdfium.PdfDocument(str(PUTUO))
    out = pdfium.PdfDocument.new()
    out.import_pages(source, [13])
    out[0].set_rotation(90)
    path = tmp_path / "flagged.pdf"
    path.write_bytes(_pdf_bytes(out))
    rows = [line.cells for line in read_path(path).lines if line.cells]
    assert rows[2] == ["208", "社会保障和就业支出", "754.75", "754.75", "0.00"]


def test_time_limit_stops_a_slow_read() -> None:
    with pytest.raises(
        InputError, match=r"reading stopped at page \d+ of 30 after|在第 \d+ 页（共 30 页）停止读取"
    ) as err:
        read_path(PUTUO, ReadOptions(max_seconds=1e-9))
    assert err.value.setting == "max_seconds"  # the CLI names the option: --max-seconds


def test_pages_in_every_report_format() -> None:
    import json

    from cnbudget.report.audit.json import reports_json

    report = audit(putuo())
    errors = [f for f in report.findings if f.severity == "error"]
    assert [f.pages for f in errors] == [[24, 15], [24, 16]]  # the narrative page, then the table's
    data = json.loads(reports_json([report], []))
    assert [f["pages"] for f in data["reports"][0]["findings"] if f["severity"] == "error"] == [
        [24, 15],
        [24, 16],
    ]


def test_rules_are_found_in_a_page_image() -> None:
    np = pytest.importorskip("numpy")
    from cnbudget.read.ocr import SCALE, page_rules

    image = np.full((400, 600), 255, dtype=np.uint8)
    for y in (50, 51, 150, 250):  # one rule two pixels thick
        image[y, 40:560] = 0
    for x in (40, 300, 559):
        image[50:251, x] = 0
    image[100, 100:120] = 0  # a short stroke of a character: not a rule
    horizontal, vertical = page_rules(image)
    assert sorted(r.at * SCALE for r in horizontal) == [50.5, 150, 250]
    assert sorted(r.at * SCALE for r in vertical) == [40, 300, 559]
    assert all(r.lo * SCALE == 40 and r.hi * SCALE == 560 for r in horizontal)
