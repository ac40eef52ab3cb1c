"""A disclosure published as two files (the narrative and the tables apart) audited and stored as one."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from cnbudget.read import read_bundle
from cnbudget.store import schema
from cnbudget.store.database import open_database
from support.cli import invoke as cli
from support.paths import FIXTURES

CORPUS = FIXTURES / "corpus"
TEXT = CORPUS / "js-cpcoffice-2019-budget-dept-text.pdf"
TABLES = CORPUS / "js-cpcoffice-2019-budget-dept-tables.pdf"


def test_audit_bundle_is_one_document(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    done = cli(
        "audit", "--bundle", str(TEXT), str(TABLES), "-f", "json", "-o", str(out), "--fail-on", "never"
    )
    assert done.returncode == 0, done.stderr
    reports = json.loads(out.read_text("utf-8"))["reports"]
    assert len(reports) == 1
    document = reports[0]["document"]
    assert document["path"] == f"{TEXT} + {TABLES}" and document["fiscal_year"] == 2019
    messages = [f["message"] for f in reports[0]["findings"]]
    # the narrative (first file) is checked against the tables (second file): the real error recorded
    # for this disclosure is found, and no table is reported missing
    page = read_bundle([TEXT, TABLES]).lines[132].page  # the claim on line 133, placed by its page
    assert page and any(f"第 {page} 页" in m and "住房保障" in m for m in messages)
    assert not [f for f in reports[0]["findings"] if f["rule_id"] == "COMP-TABLE-001"]
    apart = cli("audit", str(TEXT), str(TABLES), "-f", "json", "--fail-on", "never")
    assert len(json.loads(apart.stdout)["reports"]) == 2  # without --bundle: two documents


def test_bundle_needs_two_files_and_names_a_missing_part(tmp_path: Path) -> None:
    one = cli("audit", "--bundle", str(TEXT))
    assert one.returncode == 4 and "两个或更多文件" in one.stderr
    missing = cli("audit", "--bundle", str(TEXT), str(tmp_path / "nope.pdf"))
    assert missing.returncode == 2 and "nope.pdf" in missing.stderr and "Traceback" not in missing.stderr


def test_ingest_bundle_stores_one_document(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lib.db'}"
    done = cli("ingest", "--bundle", str(TEXT), str(TABLES), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "新入库 1" in done.stderr
    again = cli("ingest", "--bundle", str(TEXT), str(TABLES), "--db", db)
    assert again.returncode == 0 and "未变 1" in again.stderr
    engine = open_database(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(schema.documents.c.source_path, schema.documents.c.fiscal_year)).all()
    finally:
        engine.dispose()
    assert rows == [(f"{TEXT} + {TABLES}", 2019)]
    missing = cli("ingest", "--bundle", str(TEXT), str(tmp_path / "nope.pdf"), "--db", db)
    assert missing.returncode == 2 and "nope.pdf" in missing.stderr


def test_page_crops_come_from_the_file_the_page_is_in() -> None:
    import pypdfium2 as pdfium

    from cnbudget.audit.findings import Evidence
    from cnbudget.model import SourcePart
    from cnbudget.report.kit.page_crops import PageCrops

    counts = []
    for path in (TEXT, TABLES):
        pdf = pdfium.PdfDocument(str(path))
        counts.append(len(pdf))
        pdf.close()
    parts = [
        SourcePart(str(TEXT), "", 1, 100, 1, counts[0]),
        SourcePart(str(TABLES), "", 101, 200, counts[0] + 1, counts[1]),
    ]
    crops = PageCrops(f"{TEXT} + {TABLES}", "pdf", parts)
    try:
        first_table_page = counts[0] + 1
        box = (60.0, 100.0, 300.0, 140.0)
        made = crops.for_evidence([Evidence("cell", page=first_table_page, bbox=box)])
        assert [page for page, _ in made] == [first_table_page] and made[0][1].startswith("data:image/png")
        beyond = counts[0] + counts[1] + 1
        assert crops.for_evidence([Evidence("cell", page=beyond, bbox=box)]) == []
    finally:
        crops.close()
