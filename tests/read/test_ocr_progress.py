"""Long OCR reads: a callback per page (the CLI's progress bar), and a time limit that grows with the pages
read by OCR unless --max-seconds gives one. OCR itself is replaced by a fake engine on a fake clock, so the
tests take no time; the real engine is tested in test_pdf.py."""

from __future__ import annotations

import io
import math
import pickle
from concurrent.futures import Future
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from cnbudget.cli.render import PageBar
from cnbudget.domain.errors import InputError
from cnbudget.read import ReadOptions, ocr, pdf, read_path
from cnbudget.read.layout import Char
from cnbudget.read.source import BASE_SECONDS, MAX_AUTO_SECONDS, OCR_PAGE_SECONDS
from support.cli import invoke as cli
from support.paths import FIXTURES

PUTUO = FIXTURES / "pdf" / "putuo-planning-resources-2024-final.pdf"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(pdf, "time", fake)
    return fake


def fake_ocr(monkeypatch: pytest.MonkeyPatch, clock: Clock, seconds: float) -> list[int]:
    """OCR that "takes" `seconds` a page on the fake clock and reads one line of text; returns the pages seen."""
    seen: list[int] = []

    def read_page(page: pdfium.PdfPage) -> tuple[list[Char], list, list]:  # type: ignore[type-arg]
        clock.now += seconds
        seen.append(len(seen) + 1)
        return [Char(f"第{len(seen)}页文字", 50.0, 50.0, 150.0, 62.0)], [], []

    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "read_page", read_page)
    return seen


def scans(tmp_path: Path, pages: int) -> Path:
    """A PDF of pages that draw something but have no text layer (what a scan looks like to the reader; a
    page that draws nothing at all is blank and not sent to OCR)."""
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        page = doc.new_page(595, 842)
        mark = raw.FPDFPageObj_CreateNewRect(50, 50, 400, 600)
        raw.FPDFPath_SetDrawMode(mark, raw.FPDF_FILLMODE_ALTERNATE, 1)
        raw.FPDFPage_InsertObject(page.raw, mark)
        page.gen_content()
    path = tmp_path / f"scan-{pages}.pdf"
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_every_page_is_reported_as_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    fake_ocr(monkeypatch, clock, 5)
    calls: list[tuple[int, int, bool]] = []
    source = read_path(scans(tmp_path, 4), ReadOptions(progress=lambda *call: calls.append(call)))
    assert calls == [(1, 4, True), (2, 4, True), (3, 4, True), (4, 4, True)]
    assert [line.text for line in source.lines] == ["第1页文字", "第2页文字", "第3页文字", "第4页文字"]
    text_pages: list[tuple[int, int, bool]] = []
    read_path(PUTUO, ReadOptions(progress=lambda *call: text_pages.append(call)))
    assert text_pages == [(n, 30, False) for n in range(1, 31)]  # a text PDF: no page went to OCR


def test_the_default_limit_grows_with_the_pages_read_by_ocr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    """120 scanned pages at 9 s each take 1,080 s: more than the old fixed 600 s, well within the new limit."""
    seen = fake_ocr(monkeypatch, clock, 9)
    source = read_path(scans(tmp_path, 120), ReadOptions())
    assert len(seen) == 120 and len(source.lines) == 120 and clock.now - 1000 == 1080


def test_an_explicit_max_seconds_is_the_limit_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    fake_ocr(monkeypatch, clock, 9)
    with pytest.raises(InputError) as err:
        read_path(scans(tmp_path, 120), ReadOptions(max_seconds=600))
    stopped = math.floor(600 / 9) + 2  # the first page that starts after 600 s have gone
    assert f"{stopped}" in err.value.message and "120" in err.value.message and "600" in err.value.message
    assert err.value.setting == "max_seconds"


def test_the_automatic_limit_still_stops_a_pathological_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    """100 s a page outruns 600 s + 30 s a page: stopped once 100·n > 600 + 30·n, at the 10th page."""
    seen = fake_ocr(monkeypatch, clock, 100)
    with pytest.raises(InputError) as err:
        read_path(scans(tmp_path, 300), ReadOptions())
    done = next(n for n in range(1, 300) if 100 * n > BASE_SECONDS + OCR_PAGE_SECONDS * n)
    assert len(seen) == done and f"{done + 1}" in err.value.message and "300" in err.value.message
    assert f"{BASE_SECONDS + OCR_PAGE_SECONDS * done:g}" in err.value.message  # the limit it reached


def test_the_limit_arithmetic() -> None:
    assert ReadOptions().time_limit(0) == BASE_SECONDS
    assert ReadOptions().time_limit(10) == BASE_SECONDS + 10 * OCR_PAGE_SECONDS
    assert ReadOptions().time_limit(1000) == MAX_AUTO_SECONDS  # bounded, however many pages
    assert ReadOptions(max_seconds=45).time_limit(1000) == 45


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_shows_on_a_terminal_once_reading_is_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    fast = PageBar()
    for page in range(1, 4):
        fast(page, 3, False)  # text pages read in no time: no bar
    fast.stop()
    assert fast.progress is None and screen.getvalue() == ""
    slow = PageBar()
    slow(1, 3, True)
    slow(2, 3, True)
    slow(3, 3, True)
    assert slow.progress is not None and slow.task is not None
    assert slow.progress.tasks[0].completed == 3 and slow.progress.tasks[0].total == 3
    slow.stop()
    assert "3/3" in screen.getvalue()


def test_no_bar_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    bar = PageBar()
    bar(1, 2, True)
    bar.stop()
    assert bar.progress is None


def test_the_commands_hand_the_bar_to_the_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    fake_ocr(monkeypatch, clock, 1)
    calls: list[tuple[int, int, bool]] = []
    monkeypatch.setattr(PageBar, "__call__", lambda self, *call: calls.append(call))
    path = scans(tmp_path, 3)
    for command in ("parse", "audit", "facts"):
        calls.clear()
        cli(command, str(path))  # not a disclosure: an error, after the pages were read
        assert calls == [(1, 3, True), (2, 3, True), (3, 3, True)], command


def test_ingest_shows_pages_in_its_own_bar_and_never_sends_the_callback_to_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    from cnbudget.library import batch, ingestion

    fake_ocr(monkeypatch, clock, 1)
    calls: list[tuple[int, int, bool]] = []
    monkeypatch.setattr(PageBar, "__call__", lambda self, *call: calls.append(call))
    done = cli("ingest", str(scans(tmp_path, 2)), "--db", str(tmp_path / "lib.db"), "--jobs", "1")
    assert done.returncode == 2 and calls == [(1, 2, True), (2, 2, True)]  # read in this process

    sent: list[ReadOptions | None] = []

    class Pool:  # runs each file here, keeping what would be pickled for a worker process
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def __enter__(self) -> Pool:
            return self

        def __exit__(self, *args: object) -> None:
            pass

        def submit(self, fn, item):  # type: ignore[no-untyped-def]
            pickle.dumps(fn)  # the work and its bound options go to the worker
            sent.append(fn.keywords["options"])
            future: Future = Future()  # type: ignore[type-arg]
            future.set_result(fn(item))
            return future

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Pool)
    files = [str(scans(tmp_path, 1)), str(tmp_path / "missing.pdf")]
    pending = [(f, None) for f in files]
    outcomes = list(ingestion._results(pending, 2, ReadOptions(progress=lambda *call: None), None))
    assert len(outcomes) == 2 and len(sent) == 2 and all(o is not None and o.progress is None for o in sent)


def test_a_page_bar_joins_a_batch_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console
    from rich.progress import Progress

    monkeypatch.setattr("sys.stderr", Terminal())
    batch = Progress(console=Console(file=Terminal()), transient=True)
    batch.start()
    bar = PageBar()
    bar.attach(batch)
    bar(1, 5, True)  # no second live display (Rich would raise LiveError)
    assert [t.total for t in batch.tasks] == [5]
    bar.next_document()
    assert batch.tasks == []
    bar.stop()  # the batch's bar is the batch's to stop
    assert batch.live.is_started
    batch.stop()
