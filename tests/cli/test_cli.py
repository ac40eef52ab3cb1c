"""The command line: outputs, formats and exit codes (documented in README.md)."""

import csv
import io
import json
from pathlib import Path

import pytest

from cnbudget.domain.errors import EXIT_INPUT, EXIT_USAGE
from support.cli import invoke as run
from support.cli import process
from support.seeds import SEED_FILES


def test_facts_csv_on_the_bundled_sample() -> None:
    """The installed entry point, in a process of its own, as a user runs it."""
    result = process("facts", "--sample")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["table_kind", "row_code", "row_label", "column", "value"]
    assert ["B05", "2014150", "事业运行", "基本支出/人员经费", "666.95"] in rows


def test_parse_json_matches_the_model(tmp_path: Path) -> None:
    out = tmp_path / "doc.json"
    result = run("parse", str(SEED_FILES["003"]), "--format", "json", "--output", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text("utf-8"))
    assert data["schema_version"] == "1"
    assert data["metadata"]["kind"] == "final"
    assert [t["id"] for t in data["tables"]][:2] == ["F01", "F02"]
    first = data["tables"][0]["rows"][0]["cells"][0]
    assert first == {**first, "raw": "14,784.19", "value": "14784.19", "line": 99}


def test_parse_text_summary_and_show() -> None:
    summary = run("parse", str(SEED_FILES["001"]), "--format", "text")
    assert summary.returncode == 0 and "武昌区大数据中心" in summary.stdout and "B12-1" in summary.stdout
    shown = run("show", str(SEED_FILES["000"]), "--table", "b07")
    assert shown.returncode == 0 and "24.49" in shown.stdout and "17.99" in shown.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("facts", "/nonexistent/file.txt"), EXIT_INPUT, "文件不存在"),
        (("facts",), EXIT_USAGE, "缺少文件"),
        (("show", "--sample", "--table", "B99"), EXIT_USAGE, "本文件中没有表 B99"),
        (("show", "--sample"), EXIT_USAGE, "--table"),
        (("facts", "--sample", "--bogus"), EXIT_USAGE, "没有选项 --bogus"),
        (("parse", "--sample", "--format", "xml"), EXIT_USAGE, "xml"),
    ],
)
def test_errors_are_messages_not_tracebacks(args: tuple[str, ...], code: int, message: str) -> None:
    result = run(*args)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_binary_and_non_disclosure_inputs(tmp_path: Path) -> None:
    binary = tmp_path / "report.txt"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary zip")
    result = run("facts", str(binary))  # a zip's signature: read as a damaged XLSX/DOCX, whatever the name
    assert (
        result.returncode == EXIT_INPUT and "zip 容器已损坏" in result.stderr and str(binary) in result.stderr
    )
    png = tmp_path / "figure.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x00")
    result = run("facts", str(png))
    assert result.returncode == EXIT_INPUT and "二进制文件" in result.stderr and str(png) in result.stderr
    prose = tmp_path / "notes.txt"
    prose.write_text("会议纪要\n今天讨论了工作安排。\n", "utf-8")
    result = run("parse", str(prose))
    assert result.returncode == EXIT_INPUT and "不是预算或决算公开文件" in result.stderr


def test_output_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x")
    result = run("facts", "--sample", "--output", str(blocked / "facts.csv"))
    assert result.returncode == 3 and "文件夹不存在" in result.stderr
    assert blocked.read_text() == "x"
    # a mistyped folder is not created; a folder as the target leaves no hidden partial file in it
    result = run("facts", "--sample", "--output", str(tmp_path / "no" / "such" / "facts.csv"))
    assert result.returncode == 3 and "文件夹不存在" in result.stderr and not (tmp_path / "no").exists()
    folder = tmp_path / "out"
    folder.mkdir()
    result = run("audit", "--sample", "-f", "xlsx", "-o", str(folder))
    assert result.returncode == 3 and "文件夹" in result.stderr and list(folder.iterdir()) == []
