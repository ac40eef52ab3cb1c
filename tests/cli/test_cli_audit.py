"""`cnbudget audit` and `cnbudget rules` from the command line: formats, exit codes, bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

from cnbudget.domain.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_USAGE
from support.cli import invoke as run
from support.seeds import SEED_FILES


def test_sample_audit_in_the_terminal() -> None:
    result = run("audit", "--sample")
    assert result.returncode == EXIT_FINDINGS  # the sample has genuine errors
    assert "NARR-AMOUNT-001" in result.stdout and "5,916.18" in result.stdout
    assert "规则" in result.stdout


def test_fail_on_levels() -> None:
    assert run("audit", str(SEED_FILES["002"]), "--fail-on", "never", "-f", "json").returncode == EXIT_OK
    assert (
        run("audit", str(SEED_FILES["003"]), "--fail-on", "error", "-f", "json").returncode == EXIT_FINDINGS
    )
    # 001's only findings are errors and one info: --fail-on warning also trips on errors
    assert (
        run("audit", str(SEED_FILES["001"]), "--fail-on", "warning", "-f", "json").returncode == EXIT_FINDINGS
    )


def test_json_report(tmp_path: Path) -> None:
    out = tmp_path / "audit.json"
    result = run("audit", str(SEED_FILES["000"]), str(SEED_FILES["004"]), "-f", "json", "-o", str(out))
    assert result.returncode == EXIT_FINDINGS, result.stderr
    data = json.loads(out.read_text("utf-8"))
    assert [r["document"]["fiscal_year"] for r in data["reports"]] == [2026, 2026]
    first = data["reports"][0]
    assert first["summary"]["errors"] == 5
    finding = next(f for f in first["findings"] if f["rule_id"] == "DUP-PROJECT-001")
    assert finding["lines"] == [362, 363] and finding["evidence"][0]["table"] == "B10"
    assert any(c["status"] == "not_applicable" for c in first["coverage"])


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    assert run("audit", str(SEED_FILES["003"]), "-f", "html", "-o", str(out)).returncode == EXIT_FINDINGS
    page = out.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "SE-TOTAL-001" in page
    assert "<link" not in page and "src=" not in page and "http" not in page.replace("https://", "")
    assert 'class="copy"' in page or 'class="hit"' in page  # offending cells are marked


def test_xlsx_report(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "audit.xlsx"
    assert run("audit", str(SEED_FILES["000"]), "-f", "xlsx", "-o", str(out)).returncode == EXIT_FINDINGS
    book = load_workbook(out)
    sheet = book["审核发现"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["文件", "单位", "年度", "规则"] and "复核意见" in header
    rules = {row[3].value for row in sheet.iter_rows(min_row=2)}
    assert "DUP-PROJECT-001" in rules
    assert run("audit", "--sample", "-f", "xlsx").returncode == EXIT_USAGE  # a workbook needs --output


def test_unreadable_input_in_a_batch(tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = run("audit", str(SEED_FILES["002"]), str(bad), "-f", "json", "--fail-on", "never")
    assert result.returncode == EXIT_INPUT
    data = json.loads(result.stdout)
    assert len(data["reports"]) == 1 and data["unreadable"][0]["path"] == str(bad)
    assert "broken.txt" in result.stderr and "Traceback" not in result.stderr


def test_rules_catalog() -> None:
    result = run("rules", "-f", "json")
    rules = json.loads(result.stdout)
    assert len(rules) >= 60 and {r["family"] for r in rules} >= {
        "completeness",
        "sums",
        "hierarchy",
        "cross_table",
        "narrative",
        "consistency",
        "duplicates",
        "performance",
    }
    assert all(r["id"] and r["description"] and r["severity"] in ("error", "warning", "info") for r in rules)
    assert run("rules", "-f", "csv").stdout.startswith("id,family,severity")


def test_output_to_a_device_or_pipe_is_written_in_place(tmp_path: Path) -> None:
    """`-o /dev/null` or a named pipe: the report goes through it; the device is not replaced by a file
    (the atomic write renames a finished file over its target, which would destroy a device)."""
    import os
    import stat
    import threading

    pipe = tmp_path / "report.pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    done = run("audit", "--sample", "-f", "json", "-o", str(pipe), "--fail-on", "never")
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert json.loads(received[0])["reports"][0]["document"]["fiscal_year"] == 2026
    assert not list(tmp_path.glob(".cnbudget-*"))


def test_xlsx_lists_the_checks_a_finding_explains(tmp_path: Path) -> None:
    """004's 348.38 breaks two sums; the workbook row of the located cell names both under its message."""
    from openpyxl import load_workbook

    out = tmp_path / "audit.xlsx"
    assert run("audit", str(SEED_FILES["004"]), "-f", "xlsx", "-o", str(out)).returncode == EXIT_FINDINGS
    sheet = load_workbook(out)["审核发现"]
    located = [row[6].value for row in sheet.iter_rows(min_row=2) if row[3].value == "SUM-LOCATE-001"]
    assert located and "348.38" in located[0]
    assert "由此引起的 2 处不符" in located[0]
    assert "SUM-B05U-SUBTOTAL" in located[0] and "SUM-UNITS-001" in located[0]
