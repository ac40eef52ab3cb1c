"""`cnbudget audit DIR`: the documents of a folder audited one by one, a bad file reported, one summary.

The organisation, year and counts expected in the summary come from the golden records of the seeds
(tests/fixtures/golden/), which were checked against the documents.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cnbudget.domain.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK
from support.cli import invoke as run
from support.seeds import FIXTURES, SEED_FILES


def golden(name: str) -> dict:  # type: ignore[type-arg]
    data: dict = json.loads((FIXTURES / "golden" / f"{name}.json").read_text("utf-8"))  # type: ignore[type-arg]
    return data


def count(name: str, severity: str) -> int:
    return sum(1 for f in golden(name)["findings"] if f["severity"] == severity)


def folder(tmp_path: Path, bad: bool = True) -> Path:
    """000 at the top, 003 in a subfolder, 001 hidden, a spreadsheet-less CSV, and (optionally) a binary .txt."""
    root = tmp_path / "批量"
    (root / "sub").mkdir(parents=True)
    (root / ".old").mkdir()
    shutil.copy(SEED_FILES["000"], root / "a.txt")
    shutil.copy(SEED_FILES["003"], root / "sub" / "b.txt")
    shutil.copy(SEED_FILES["001"], root / ".old" / "c.txt")  # hidden folder: skipped
    shutil.copy(SEED_FILES["001"], root / ".d.txt")  # hidden file: skipped
    (root / "notes.csv").write_text("not a document\n", "utf-8")  # not a document suffix: skipped
    if bad:
        (root / "broken.txt").write_bytes(b"\x00\x01binary")
    return root


def test_a_folder_gives_one_summary_and_exit_2_when_a_file_is_unreadable(tmp_path: Path) -> None:
    root = folder(tmp_path)
    result = run("audit", str(root))
    assert result.returncode == EXIT_INPUT, result.stderr
    out = result.stdout
    assert "审核汇总" in out and out.count("审核汇总") == 1
    for name, path in (("000", root / "a.txt"), ("003", root / "sub" / "b.txt")):
        meta = golden(name)["metadata"]
        line = next(
            line for line in out.splitlines() if path.name in line and str(meta["fiscal_year"]) in line
        )
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        assert cells[1] == meta["department"]
        assert cells[3] == {"budget": "预算", "final": "决算"}[meta["kind"]]
        assert cells[4:6] == [str(count(name, "error")), str(count(name, "warning"))]
    assert "broken.txt" in out and "无法读取" in out
    assert "c.txt" not in out and ".d.txt" not in out and "notes.csv" not in out
    errors = count("000", "error") + count("003", "error")
    assert f"共 3 份：已审核 2 份（2 份有错误），无法读取 1 份；错误 {errors} 条" in out
    assert "broken.txt" in result.stderr and "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr and "\r" not in result.stderr  # no progress bar off a terminal
    # the per-finding details are left to --format html/json for a folder
    assert "DUP-PROJECT-001" not in out


def test_exit_code_follows_fail_on_over_all_documents(tmp_path: Path) -> None:
    root = folder(tmp_path, bad=False)
    assert run("audit", str(root)).returncode == EXIT_FINDINGS
    assert run("audit", str(root), "--fail-on", "never").returncode == EXIT_OK
    # an unreadable file wins over the findings, whatever --fail-on says
    (root / "broken.txt").write_bytes(b"\x00\x01binary")
    assert run("audit", str(root), "--fail-on", "never").returncode == EXIT_INPUT


def test_json_for_a_folder_is_one_document_with_a_list_and_totals(tmp_path: Path) -> None:
    root = folder(tmp_path)
    result = run("audit", str(root), "-f", "json")
    data = json.loads(result.stdout)
    assert [Path(r["document"]["path"]).name for r in data["reports"]] == ["a.txt", "b.txt"]
    assert [u["path"] for u in data["unreadable"]] == [str(root / "broken.txt")]
    assert data["totals"] == {
        "documents": 3, "audited": 2, "unreadable": 1,
        "errors": count("000", "error") + count("003", "error"),
        "warnings": count("000", "warning") + count("003", "warning"),
        "info": count("000", "info") + count("003", "info"),
    }  # fmt: skip


def test_files_and_folders_mixed_each_document_once(tmp_path: Path) -> None:
    root = folder(tmp_path, bad=False)
    result = run("audit", str(root), str(root / "a.txt"), str(SEED_FILES["002"]), "-f", "json")
    names = [Path(r["document"]["path"]).name for r in json.loads(result.stdout)["reports"]]
    assert names == ["a.txt", "b.txt", SEED_FILES["002"].name]


def test_an_empty_folder_is_an_unreadable_input(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("audit", str(empty), str(SEED_FILES["002"]), "--fail-on", "never")
    assert result.returncode == EXIT_INPUT
    assert "没有可审核的文件" in result.stdout and ".pdf" in result.stdout


def test_several_files_get_the_details_then_the_summary(tmp_path: Path) -> None:
    result = run("audit", str(SEED_FILES["000"]), str(SEED_FILES["002"]))
    assert result.returncode == EXIT_FINDINGS
    out = result.stdout
    assert "DUP-PROJECT-001" in out  # the details of each document, as before
    assert out.index("审核汇总") > out.index("DUP-PROJECT-001")
    summary_only = run("audit", str(SEED_FILES["000"]), str(SEED_FILES["002"]), "--summary").stdout
    assert "审核汇总" in summary_only and "DUP-PROJECT-001" not in summary_only
    one = run("audit", str(SEED_FILES["002"])).stdout
    assert "审核汇总" not in one  # a single document needs no summary


def test_html_for_a_folder_holds_every_document(tmp_path: Path) -> None:
    root = folder(tmp_path)
    page = tmp_path / "out.html"
    assert run("audit", str(root), "-f", "html", "-o", str(page)).returncode == EXIT_INPUT
    text = page.read_text("utf-8")
    for name in ("000", "003"):
        assert golden(name)["metadata"]["department"] in text
    assert "broken.txt" in text


def test_a_bug_on_one_file_still_reports_the_others_and_exits_70(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cnbudget.audit

    real = cnbudget.audit.audit

    def audit(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        if doc.metadata.fiscal_year == 2024:  # 003 is the 2024 final accounts
            raise ValueError("boom")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(cnbudget.audit, "audit", audit)
    root = folder(tmp_path, bad=False)
    result = run("audit", str(root), "-f", "json")
    assert result.returncode == EXIT_INTERNAL
    data = json.loads(result.stdout)
    assert [Path(r["document"]["path"]).name for r in data["reports"]] == ["a.txt"]
    assert "ValueError: boom" in data["unreadable"][0]["error"] and "Traceback" not in result.stderr


def test_worker_processes_give_the_same_report_in_the_same_order(tmp_path: Path) -> None:
    """`--jobs 2` runs the documents in worker processes (`library.batch`): the report is the one a single
    process gives, documents in the order of the folder, the bad file still reported."""
    root = folder(tmp_path)
    for name in ("001", "002", "004"):
        shutil.copy(SEED_FILES[name], root / f"z{name}.txt")
    alone = run("audit", str(root), "-f", "json", "--jobs", "1")
    together = run("audit", str(root), "-f", "json", "--jobs", "2")
    assert alone.returncode == together.returncode == EXIT_INPUT
    assert json.loads(together.stdout) == json.loads(alone.stdout)
    names = [Path(r["document"]["path"]).name for r in json.loads(together.stdout)["reports"]]
    assert names == ["a.txt", "b.txt", "z001.txt", "z002.txt", "z004.txt"]
