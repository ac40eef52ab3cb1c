"""The one error policy of document processing (`cnbudget.library.processing`), which the command line,
ingest, web uploads and re-analyses share."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnbudget.audit import AuditReport
from cnbudget.domain.errors import InputError
from cnbudget.library import processing
from cnbudget.library.processing import Failure, check_or_fail, failure, record_or_fail
from support.paths import FIXTURES

SEED = FIXTURES / "seeds" / "000_37ad2aea713753bc.txt"


def test_a_readable_document_is_checked_and_recorded() -> None:
    report = check_or_fail(SEED)
    assert isinstance(report, AuditReport)
    record = record_or_fail(str(SEED))
    assert not isinstance(record, Failure)
    assert record.document["content_sha256"] == report.document.metadata.source_sha256 != ""


def test_an_input_error_names_the_line_and_the_part_of_a_bundle() -> None:
    exc = InputError("表头无法识别", "第二部分.xlsx", 12, setting="max_cells")
    single = failure(exc, "第二部分.xlsx")
    assert (single.path, single.message, single.setting, single.internal) == (
        "第二部分.xlsx", "第 12 行：表头无法识别", "max_cells", False,
    )  # fmt: skip
    bundle = failure(exc, ["说明.docx", "第二部分.xlsx"])
    assert bundle.path == "说明.docx + 第二部分.xlsx"
    assert bundle.message == "第二部分.xlsx：第 12 行：表头无法识别"


def test_a_missing_file_is_a_failure_not_an_exception(tmp_path: Path) -> None:
    outcome = check_or_fail(tmp_path / "没有.pdf")
    assert isinstance(outcome, Failure) and not outcome.internal
    assert outcome.message == "文件不存在"


def test_a_defect_is_a_failure_marked_internal(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("表3")

    monkeypatch.setattr(processing, "read_document", broken)
    for outcome in (check_or_fail(SEED), record_or_fail(SEED)):
        assert isinstance(outcome, Failure) and outcome.internal
        assert "KeyError" in outcome.message and "请连同该文件一起报告" in outcome.message


def test_running_out_of_memory_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def huge(*_args: object, **_kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(processing, "read_document", huge)
    outcome = check_or_fail(SEED)
    assert isinstance(outcome, Failure) and not outcome.internal and "内存不足" in outcome.message
