"""The library commands end to end: ingest, questions in three formats, exports, a batch killed halfway."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cnbudget.store import schema
from cnbudget.store.database import open_database
from support.paths import ROOT
from support.seeds import SEED_FILES, SEEDS

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import generate  # noqa: E402

from support.cli import invoke as cli


def test_ingest_then_ask(library_url: str) -> None:
    done = cli("ingest", str(SEEDS), "--db", library_url, "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert "新入库 5，新版本 0，未变 0，失败 0" in done.stderr
    again = cli("ingest", str(SEEDS), "--db", library_url)
    assert again.returncode == 0 and "未变 5" in again.stderr
    text = cli("compare", "--year", "2026", "--db", library_url)
    assert text.returncode == 0 and "5,916.68" in text.stdout and "2026 年预算" in text.stdout
    rows = list(
        csv.DictReader(io.StringIO(cli("compare", "-y", "2026", "--db", library_url, "-f", "csv").stdout))
    )
    assert (
        rows[0]["organisation"] == "武汉市信息中心（武汉市大数据中心）"
        and rows[0]["total_spending"] == "5916.68"
    )
    data = json.loads(cli("execution", "武汉市数据局", "2024", "--db", library_url, "-f", "json").stdout)
    assert {r["name"]: r["final"] for r in data["rows"] if r["item"] == "三公"}["“三公”经费"] == "10.05"
    history = json.loads(
        cli("history", "135", "--db", library_url, "-f", "json", "-m", "three_public").stdout
    )
    assert [(r["year"], r["three_public"]) for r in history["rows"]] == [(2026, "0.20")]
    findings = cli("findings", "--db", library_url, "--severity", "error", "--org", "硚口", "-f", "csv")
    assert findings.returncode == 0 and "NAME-ORG-001" in findings.stdout


def test_environment_variable_names_the_library(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    assert cli("ingest", str(SEED_FILES["003"]), env={"CNBUDGET_DB": str(db)}).returncode == 0
    assert db.exists()
    done = cli("organisations", "-f", "csv", env={"CNBUDGET_DB": str(db)})
    assert "武汉市数据局" in done.stdout


def test_usage_and_input_errors_are_messages_with_exit_codes(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    missing = cli("compare", "-y", "2026", "--db", str(db))
    assert (
        missing.returncode == 5 and "这里没有资料库" in missing.stderr and "Traceback" not in missing.stderr
    )
    bad = tmp_path / "bad.txt"
    bad.write_text("这不是预算公开文件。\n", "utf-8")
    done = cli("ingest", str(bad), str(SEED_FILES["002"]), "--db", str(db))
    assert done.returncode == 2 and "失败 1" in done.stderr and "bad.txt" in done.stderr
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    nothing = cli("ingest", str(empty), "--db", str(db))
    assert nothing.returncode == 2 and "没有找到文件" in nothing.stderr
    unknown = cli("history", "不存在的局", "--db", str(db))
    assert unknown.returncode == 4 and "库中没有" in unknown.stderr
    metric = cli("compare", "-y", "2026", "-m", "nonsense", "--db", str(db))
    assert metric.returncode == 4 and "没有指标" in metric.stderr
    url = cli("compare", "-y", "2026", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert url.returncode == 5 and "无法打开资料库" in url.stderr and "Traceback" not in url.stderr


def test_exports_in_three_formats(tmp_path: Path, library_url: str) -> None:
    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    assert cli("ingest", str(SEEDS), "--db", library_url).returncode == 0
    out = tmp_path / "csv"
    done = cli("export", "--db", library_url, "-o", str(out))
    assert done.returncode == 0, done.stderr
    engine = open_database(library_url, create=False)
    with engine.connect() as conn:
        facts = conn.execute(select(func.count()).select_from(schema.facts)).scalar()
    engine.dispose()
    with (out / "facts.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == facts and rows[0].keys() >= {
        "organisation",
        "fiscal_year",
        "table_kind",
        "column",
        "value",
    }
    b03 = [
        r
        for r in rows
        if r["organisation"] == "武汉市信息中心（武汉市大数据中心）" and r["table_kind"] == "B03"
    ]
    assert {r["column"]: r["value"] for r in b03 if r["row_label"] == "合计"} == {
        "合计": "5916.68", "基本支出": "1816.35", "项目支出": "4100.34",
    }  # fmt: skip
    assert {p.name for p in out.iterdir()} == {
        "facts.csv",
        "documents.csv",
        "organisations.csv",
        "findings.csv",
    }

    parquet = tmp_path / "parquet"
    assert cli("export", "--db", library_url, "-o", str(parquet), "-f", "parquet").returncode == 0
    table = pq.read_table(parquet / "facts.parquet")
    assert table.num_rows == facts
    values = table.column("value").to_pylist()
    assert Decimal("5916.68") in values and all(isinstance(v, Decimal) for v in values)
    assert pq.read_table(parquet / "documents.parquet").num_rows == 5

    book = tmp_path / "library.xlsx"
    assert (
        cli(
            "export", "--db", library_url, "-o", str(book), "-f", "xlsx", "-t", "documents", "-t", "findings"
        ).returncode
        == 0
    )
    sheets = load_workbook(book, read_only=True)
    assert sheets.sheetnames == ["documents", "findings"]
    rows = list(sheets["documents"].iter_rows(values_only=True))
    assert len(rows) == 6 and rows[0][0] == "document_id"
    assert {r[2] for r in rows[1:]} >= {"武汉市数据局", "硚口区经济信息化和科技创新局"}


def test_xlsx_export_refuses_more_rows_than_a_sheet_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cnbudget.library.exports as export

    db = tmp_path / "lib.db"
    cli("ingest", str(SEED_FILES["002"]), "--db", str(db))
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 10)
    done = cli("export", "--db", str(db), "-o", str(tmp_path / "x.xlsx"), "-f", "xlsx")
    assert done.returncode == 4 and "超过 Excel 工作表的容量" in done.stderr and "（--table）" in done.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_a_batch_killed_halfway_leaves_whole_documents_and_a_rerun_finishes_it(
    tmp_path: Path, library_url: str
) -> None:
    corpus = tmp_path / "corpus"
    files = generate(corpus, 40)
    db = library_url
    sqlite = "://" not in db
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cnbudget",
            "ingest",
            str(corpus),
            "--db",
            str(db),
            "--jobs",
            "1",
            "-q",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if not sqlite or Path(db).exists():
            try:
                engine = open_database(db, create=False)
                with engine.connect() as conn:
                    stored = conn.execute(select(func.count()).select_from(schema.documents)).scalar() or 0
                engine.dispose()
            except Exception:  # noqa: BLE001 - the schema may still be being created
                stored = 0
        if stored >= 5:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 5 <= stored < len(files), "the batch finished before it could be killed"

    def consistent() -> int:
        engine = open_database(db, create=False)
        d, f, m = schema.documents.c, schema.findings.c, schema.metrics.c
        with engine.connect() as conn:
            documents = conn.execute(select(d.id, d.errors + d.warnings + d.infos)).all()
            findings = dict(conn.execute(select(f.document_id, func.count()).group_by(f.document_id)).all())
            metrics = dict(conn.execute(select(m.document_id, func.count()).group_by(m.document_id)).all())
            facts = dict(
                conn.execute(
                    select(schema.facts.c.document_id, func.count()).group_by(schema.facts.c.document_id)
                ).all()
            )
        engine.dispose()
        for document_id, expected_findings in documents:
            assert findings.get(document_id, 0) == expected_findings
            assert metrics.get(document_id, 0) > 40 and facts.get(document_id, 0) > 200
        assert set(facts) <= {row[0] for row in documents}
        return len(documents)

    before = consistent()
    done = cli("ingest", str(corpus), "--db", db, "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert f"新入库 {len(files) - before}，新版本 0，未变 {before}，失败 0" in done.stderr
    assert consistent() == len(files)


def test_parquet_without_pyarrow_says_so_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "lib.db"
    cli("ingest", str(SEED_FILES["002"]), "--db", str(db))
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if it were not installed
    done = cli("export", "--db", str(db), "-o", str(tmp_path / "out"), "-f", "parquet")
    assert done.returncode == 4 and "parquet 附加组件" in done.stderr
    assert not (tmp_path / "out").exists()


def test_metrics_lists_every_figure_and_the_code_forms() -> None:
    done = cli("metrics", "-f", "csv")
    names = [row["metric"] for row in csv.DictReader(io.StringIO(done.stdout))]
    assert done.returncode == 0
    assert {
        "total_spending",
        "three_public_reception",
        "basic_share",
        "function:CODE",
        "economic:CODE",
    } <= set(names)


def test_ingest_sample_and_metrics_with_db(tmp_path: Path) -> None:
    """`ingest --sample` and `metrics --db` were rejected; a bare `ingest` says what is missing."""
    db = tmp_path / "lib.db"
    done = cli("ingest", "--sample", "--db", str(db))
    assert done.returncode == 0 and "新入库 1" in done.stdout + done.stderr
    assert cli("metrics", "--db", str(db)).returncode == 0
    bare = cli("ingest", "--db", str(db))
    assert bare.returncode == 4 and "--sample" in bare.stderr


def test_ingest_logs_a_json_line_per_document(tmp_path: Path) -> None:
    """--log: one JSON line per document as it finishes, failures with their reason."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("000", "002"):
        (folder / f"{name}.txt").write_bytes(SEED_FILES[name].read_bytes())
    (folder / "bad.txt").write_text("会议纪要\n", "utf-8")
    log = tmp_path / "ingest.jsonl"
    done = cli("ingest", str(folder), "--db", str(tmp_path / "lib.db"), "--log", str(log), "--jobs", "2")
    assert done.returncode == 2  # one input failed
    entries = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert sorted(Path(e["path"]).name for e in entries) == ["000.txt", "002.txt", "bad.txt"]
    assert {e["status"] for e in entries if e["path"].endswith("bad.txt")} == {"failed"}
    assert all(e["time"] and (e["status"] != "failed" or e["message"]) for e in entries)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc to find the worker processes")
def test_workers_end_with_a_killed_ingest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate(corpus, 60)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cnbudget", "ingest", str(corpus), "--db", str(tmp_path / "lib.db"), "--jobs", "2",
         "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = [c for c in _children(proc.pid) if _alive(c)]
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers did not start"
    time.sleep(0.5)  # let them get busy
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "worker processes outlived the killed ingest"
