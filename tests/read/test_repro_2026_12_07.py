"""The inputs of the reader review of 2026-12-07 (tests/fixtures/repro/2026-12-07, copied from
../shared/repro): each gives a report or a clear input error naming the file (exit 2) — never exit 70 —
within memory; and the damages found without a file (a device read whole, a symlink loop as the output,
``--max-mb nan``, forms nested three deep, a poster-sized blank page)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import cnbudget
from cnbudget.domain.errors import InputError, UsageError
from cnbudget.read import ReadOptions
from support.paths import FIXTURES

HERE = FIXTURES
REPRO = HERE / "repro" / "2026-12-07"
SEED = HERE / "seeds" / "000_37ad2aea713753bc.txt"
TWO_GIB = 2 * 1024**3


def _cli(*args: str, memory: int = TWO_GIB, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """`cnbudget …` in a process that may use at most ``memory`` bytes of address space."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "cnbudget", *args], capture_output=True, text=True, timeout=timeout,
        preexec_fn=limit, env={**os.environ, "CNBUDGET_LANG": "zh"}, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "name", sorted(p.name for p in REPRO.iterdir() if p.suffix != ".md"), ids=lambda n: n.split(".")[0]
)
def test_every_repro_input_gives_a_report_or_an_input_error_within_two_gib(name: str) -> None:
    done = _cli("audit", str(REPRO / name), "--fail-on", "never", "--format", "json")
    assert done.returncode in (0, 2), done.stderr[-2000:]
    if done.returncode == 2:
        assert name in done.stderr and "内部错误" not in done.stderr


def test_a_damaged_page_is_skipped_with_a_warning_and_the_others_are_read() -> None:
    doc = cnbudget.parse_file(REPRO / "pdf-damaged-page-object.pdf")
    assert any("已损坏" in w.message and "2" in w.message for w in doc.warnings)
    assert doc.table("B01") is not None


def test_damaged_xls_sheets_are_an_input_error_naming_them() -> None:
    for name in ("xls-damaged-sheet-indexerror.xls", "xls-damaged-sheet-keyerror.xls"):
        with pytest.raises(InputError, match="工作表 1"):
            cnbudget.parse_file(REPRO / name)


def test_a_superscript_in_the_column_numbers_is_not_a_number() -> None:
    doc = cnbudget.parse_file(REPRO / "text-superscript-in-column-numbers.txt")
    assert doc.tables


@pytest.mark.parametrize(
    "name",
    [
        "docx-amounts-in-tracked-insertions.docx",
        "docx-amounts-in-smart-tags.docx",
        "docx-tables-in-content-controls.docx",
    ],
)
def test_docx_text_wrapped_by_word_is_read_like_the_seed(name: str) -> None:
    """The seed's amounts, whether Word wrapped them in tracked insertions, smart tags or content controls."""
    seed = cnbudget.parse_file(SEED)
    wrapped = cnbudget.parse_file(REPRO / name)

    def amounts(doc: object) -> list[tuple[str, str, str]]:
        return sorted(
            (table.id, row.label, str(cell.value))
            for table in doc.tables  # type: ignore[attr-defined]
            for row in table.rows
            for cell in row.cells
            if cell.value is not None
        )

    assert len(amounts(seed)) > 500
    assert amounts(wrapped) == amounts(seed)


def test_a_device_is_read_only_up_to_the_limit() -> None:
    done = _cli("audit", "/dev/zero", "--max-mb", "5", memory=TWO_GIB // 2, timeout=60)
    assert done.returncode == 2 and "超过上限 5 MB" in done.stderr, done.stderr[-500:]


def test_a_symlink_loop_as_the_output_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    done = _cli("audit", str(SEED), "-o", str(tmp_path / "a"), "--fail-on", "never")
    assert done.returncode == 3 and "无法写入" in done.stderr, done.stderr[-500:]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400"])
def test_odd_limits_are_refused(value: str) -> None:
    done = _cli("audit", str(SEED), "--max-mb", value)
    assert done.returncode == 4 and "--max-mb" in done.stderr, done.stderr[-500:]
    with pytest.raises(UsageError):
        ReadOptions(max_mb=float(value))


def _wrapped_in_forms(source: Path, levels: int, target: Path, index: int = 0) -> None:
    """``source``'s page ``index`` drawn as a form XObject ``levels`` times over (as some tools re-wrap)."""
    import pypdfium2 as pdfium

    current = pdfium.PdfDocument(source)
    kept = [current]  # every level stays open until the last is saved
    for _ in range(levels):
        outer = pdfium.PdfDocument.new()
        width, height = current[index].get_size()
        page = outer.new_page(width, height)
        page.insert_obj(current.page_as_xobject(index, outer).as_pageobject())
        index = 0
        page.gen_content()
        current = outer
        kept.append(current)
    current.save(str(target))


def test_table_rules_are_read_through_forms_nested_three_deep(tmp_path: Path) -> None:
    from cnbudget.read import read_path

    source = HERE / "pdf" / "putuo-planning-resources-2024-final.pdf"
    plain = tmp_path / "plain.pdf"
    nested = tmp_path / "nested.pdf"
    _wrapped_in_forms(source, 1, plain, index=6)  # page 7: 收支总表, a ruled grid
    _wrapped_in_forms(source, 3, nested, index=6)
    direct = [line.cells for line in read_path(plain).lines]
    deep = [line.cells for line in read_path(nested).lines]
    assert sum(len(cells or []) > 3 for cells in direct) >= 20  # the page's table is read as cells
    assert deep == direct


def test_a_poster_sized_blank_page_is_not_sent_to_ocr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdfium2 as pdfium

    from cnbudget.read import ocr, read_path

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(14_400, 14_400)
    first = pdfium.PdfDocument(str(HERE / "pdf" / "putuo-planning-resources-2024-final.pdf"))
    pdf.import_pages(first, [6])
    path = tmp_path / "poster.pdf"
    pdf.save(str(path))

    def refuse(page: object) -> None:
        raise AssertionError("a blank page went to OCR")

    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "read_page", refuse)
    source = read_path(path, ReadOptions(ocr=True))
    assert {line.page for line in source.lines if line.text.strip()} == {2}


def test_ocr_renders_a_poster_sized_page_within_the_pixel_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from cnbudget.read import ocr

    rendered: list[float] = []

    class Poster:
        def get_size(self) -> tuple[float, float]:
            return 14_400.0, 14_400.0

        def render(self, scale: float, grayscale: bool) -> object:
            rendered.append(scale)
            raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        ocr.read_page(Poster())
    assert rendered and (14_400 * rendered[0]) ** 2 <= ocr.MAX_PIXELS


def test_reading_never_sets_aside_the_whole_size_limit() -> None:
    """A PDF of 1 MB is read within a 400 MB address space although the PDF limit is 500 MB (the fuzzer found
    ``read(limit)`` reserving the limit before reading: MemoryError once the space was fragmented)."""
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (400 * 2**20, 400 * 2**20));"
        "from cnbudget.read import read_path; [read_path(sys.argv[1]) for _ in range(3)]; print('ok')"
    )
    pdf = HERE / "pdf" / "putuo-planning-resources-2024-final.pdf"
    done = subprocess.run(
        [sys.executable, "-c", code, str(pdf)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0 and "ok" in done.stdout, done.stderr[-1000:]


def test_a_lone_surrogate_from_a_damaged_font_is_not_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fuzzer's one crash in 100,000 cases: a damaged PDF stream made PDFium give half of a UTF-16 pair
    (U+DD50) as a character, and the finding's key could not be encoded. It is now an unmapped glyph; and a
    key is made of any text."""
    import pypdfium2.raw as raw

    from cnbudget.audit.findings import Evidence, Finding
    from cnbudget.read import read_path

    pdf = HERE / "pdf" / "putuo-planning-resources-2024-final.pdf"
    original = raw.FPDFText_GetUnicode
    monkeypatch.setattr(
        raw, "FPDFText_GetUnicode", lambda handle, i: 0xDD50 if i == 3 else original(handle, i)
    )
    source = read_path(pdf)
    assert all("\udd50" not in line.text for line in source.lines)
    finding = Finding("X-1", "error", "消息", evidence=[Evidence("line", text="半个\udd50字符")])
    assert len(finding.key) == 24
