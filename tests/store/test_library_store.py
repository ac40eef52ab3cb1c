"""The library's storage on SQLite and PostgreSQL: schema and migrations, ingest, versions, bad input."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select

from cnbudget.audit import audit
from cnbudget.library.ingestion import ingest
from cnbudget.report.document.facts import iter_facts
from cnbudget.store import schema
from cnbudget.store.database import DatabaseError, current_revision, head_revision, open_database
from support.paths import FIXTURES
from support.seeds import SEED_FILES, SEEDS, seed


def _count(engine, table, **where) -> int:
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


def test_new_library_is_at_the_newest_migration_and_matches_the_schema(library_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from cnbudget.store.migrations import HEAD

    engine = open_database(library_url)
    assert current_revision(engine) == head_revision() == HEAD
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diff == [], "the migrations and store/schema.py disagree: write a migration"
    engine.dispose()
    open_database(library_url).dispose()  # opening again is a no-op


def test_ingest_stores_every_fact_and_finding_of_the_seeds(library_url: str) -> None:
    engine = open_database(library_url)
    summary = ingest(engine, [SEEDS], jobs=2)
    assert sorted(Path(p).name for p in summary.ingested) == sorted(p.name for p in SEED_FILES.values())
    assert not summary.failed and not summary.unchanged
    with engine.connect() as conn:
        ids = dict(conn.execute(select(schema.documents.c.source_path, schema.documents.c.id)).all())
    for name, path in SEED_FILES.items():
        doc = seed(name)
        document_id = ids[str(path)]
        assert _count(engine, schema.facts, document_id=document_id) == len(list(iter_facts(doc)))
        report = audit(doc)
        assert _count(engine, schema.findings, document_id=document_id) == len(report.findings)
        assert _count(engine, schema.claims, document_id=document_id) == len(doc.claims)
        assert _count(engine, schema.projects, document_id=document_id) == len(doc.projects)
    # a stored amount is the printed one, exactly: seed 000 B03 合计 row prints 5,916.68
    f = schema.facts.c
    with engine.connect() as conn:
        value = conn.execute(
            select(f.value).where(
                f.document_id == ids[str(SEED_FILES["000"])],
                f.table_kind == "B03",
                f.row_label == "合计",
                f.column_path == "合计",
            )
        ).scalar_one()
    assert value == Decimal("5916.68") and isinstance(value, Decimal)
    engine.dispose()


def test_organisations_units_and_the_title_typo(library_url: str) -> None:
    engine = open_database(library_url)
    ingest(engine, [SEEDS], jobs=1)
    o = schema.organisations.c
    with engine.connect() as conn:
        rows = {r.name: r for r in conn.execute(select(o.id, o.name, o.kind, o.code, o.parent_id, o.level))}
    # seed 004's title prints 硃口区…; its tables print 武汉市硚口区…本级: filed under 硚口区
    assert "硚口区经济信息化和科技创新局" in rows and not any("硃口" in n for n in rows)
    parent = rows["硚口区经济信息化和科技创新局"]
    assert (parent.kind, parent.code, parent.level) == ("department", "135", "district")
    for unit, code in (
        ("武汉市硚口区经济信息化和科技创新局本级", "135001"),
        ("武汉市硚口区大数据中心", "135002"),
    ):
        assert rows[unit].parent_id == parent.id and rows[unit].code == code and rows[unit].kind == "unit"
    assert rows["武汉市工业信息化中心"].kind == "unit" and rows["武汉市工业信息化中心"].code == "301014"
    engine.dispose()


def test_the_same_file_twice_is_unchanged(library_url: str, tmp_path: Path) -> None:
    engine = open_database(library_url)
    copy = tmp_path / "again" / "copy-of-000.txt"
    copy.parent.mkdir()
    shutil.copy(SEED_FILES["000"], copy)
    first = ingest(engine, [SEED_FILES["000"], copy], jobs=1)  # the same bytes twice in one batch
    assert len(first.ingested) == 1 and len(first.unchanged) == 1
    second = ingest(engine, [SEEDS], jobs=2)
    assert len(second.unchanged) == 1 and len(second.ingested) == 4
    assert _count(engine, schema.documents) == 5
    engine.dispose()


def test_a_republished_document_is_a_new_version_and_the_latest_is_used(
    library_url: str, tmp_path: Path
) -> None:
    from cnbudget.library.questions import compare

    engine = open_database(library_url)
    ingest(engine, [SEED_FILES["000"]], jobs=1)
    corrected = tmp_path / "000-corrected.txt"
    text = SEED_FILES["000"].read_text("utf-8")
    assert "预算支出 5,916.18 万元" in text  # the narrative's wrong figure (tables: 5,916.68)
    corrected.write_text(text.replace("预算支出 5,916.18 万元", "预算支出 5,916.68 万元"), "utf-8")
    summary = ingest(engine, [corrected], jobs=1)
    assert summary.new_versions == [str(corrected)]
    d = schema.documents.c
    with engine.connect() as conn:
        versions = conn.execute(select(d.version, d.is_latest, d.errors).order_by(d.version)).all()
    assert [(v.version, v.is_latest) for v in versions] == [(1, False), (2, True)]
    assert versions[1].errors == versions[0].errors - 1  # the corrected figure is no longer a finding
    answer = compare(engine, 2026)
    assert [r["document_id"] for r in answer.rows] == [2]
    engine.dispose()


def test_bad_files_are_listed_and_the_rest_of_the_batch_is_stored(library_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEED_FILES["001"], folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.pdf").write_bytes(b"\x00\x01\x02 not a pdf at all" * 50)
    (folder / "letter.txt").write_text("尊敬的领导：\n您好，这是一封信。\n", "utf-8")
    (folder / "letter-copy.txt").write_text("尊敬的领导：\n您好，这是一封信。\n", "utf-8")
    (folder / ".hidden.txt").write_text("skipped", "utf-8")
    (folder / "notes.json").write_text("{}", "utf-8")  # not a document suffix: not picked up
    engine = open_database(library_url)
    summary = ingest(engine, [folder, tmp_path / "missing.txt"], jobs=2)
    failed = {Path(f.path).name: f.message for f in summary.failed}
    assert set(failed) == {"empty.txt", "binary.pdf", "letter.txt", "letter-copy.txt", "missing.txt"}
    # the copy that comes second is parsed once and fails with the first, not reported "unchanged"
    assert failed["letter.txt"].startswith("same content as") and "letter-copy.txt" in failed["letter.txt"]
    assert all(message for message in failed.values())
    assert [Path(p).name for p in summary.ingested] == ["good.txt"]
    assert _count(engine, schema.documents) == 1
    engine.dispose()


def test_a_failure_while_writing_leaves_nothing_of_that_document(
    library_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cnbudget.store.writer as writer

    engine = open_database(library_url)
    real_insert = writer._insert_rows

    def failing_insert(conn, table, rows):  # type: ignore[no-untyped-def]
        if table is schema.findings:  # the last table written: everything before it must be undone
            raise RuntimeError("disk full (simulated)")
        return real_insert(conn, table, rows)

    monkeypatch.setattr(writer, "_insert_rows", failing_insert)
    summary = ingest(engine, [SEED_FILES["000"]], jobs=1)
    assert summary.failed and "disk full" in summary.failed[0].message
    for table in schema.TABLES:
        assert _count(engine, table) == 0, table.name  # organisations too: one transaction
    monkeypatch.setattr(writer, "_insert_rows", real_insert)
    assert len(ingest(engine, [SEED_FILES["000"]], jobs=1).ingested) == 1  # a re-run stores it
    engine.dispose()


def test_a_missing_library_is_an_error_for_questions(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="这里没有资料库"):
        open_database(str(tmp_path / "nothing.db"), create=False)
    with pytest.raises(DatabaseError, match="文件夹"):
        open_database(str(tmp_path / "no" / "such" / "folder" / "x.db"))
    with pytest.raises(DatabaseError):
        open_database("nosuchdialect://x")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.decimals(min_value=-(10**12), max_value=10**12, places=2), min_size=1, max_size=20))
def test_amounts_survive_storage_exactly(library_url: str, values: list[Decimal]) -> None:
    engine = open_database(library_url)
    with engine.begin() as conn:
        conn.execute(schema.metrics.delete())
        conn.execute(schema.documents.delete())
        conn.execute(schema.organisations.delete())
        org = conn.execute(
            insert(schema.organisations).values(
                name="x", name_key="x", kind="department", code="", region="", level=""
            )
        ).inserted_primary_key[0]
        from datetime import UTC, datetime

        doc = conn.execute(
            insert(schema.documents).values(
                organisation_id=org,
                kind="budget",
                fiscal_year=2026,
                scope="department",
                source_path="x",
                content_sha256="x",
                version=1,
                is_latest=True,
                parse_warnings=[],
                ingested_at=datetime.now(UTC),
            )  # fmt: skip
        ).inserted_primary_key[0]
        conn.execute(
            insert(schema.metrics),
            [{"document_id": doc, "metric": f"m{i}", "value": v, "source": ""} for i, v in enumerate(values)],
        )
    with engine.connect() as conn:
        stored = dict(conn.execute(select(schema.metrics.c.metric, schema.metrics.c.value)).all())
    assert [stored[f"m{i}"] for i in range(len(values))] == values
    assert all(str(stored[f"m{i}"]) == str(v) for i, v in enumerate(values))
    engine.dispose()


def test_a_pdf_is_stored_with_the_pages_of_its_facts_and_findings(tmp_path: Path) -> None:
    pdf = FIXTURES / "pdf" / "putuo-planning-resources-2024-final.pdf"
    engine = open_database(str(tmp_path / "library.db"))
    summary = ingest(engine, [pdf], jobs=1)
    assert len(summary.ingested) == 1, summary.failed
    f, d = schema.facts.c, schema.documents.c
    with engine.connect() as conn:
        assert conn.execute(select(d.source_format, d.kind, d.fiscal_year)).one() == ("pdf", "final", 2024)
        pages = conn.execute(select(f.page).where(f.table_kind == "F01")).scalars().all()
        finding_pages = conn.execute(select(schema.findings.c.pages)).scalars().all()
    assert pages and all(isinstance(p, int) and p > 0 for p in pages)
    assert any(p for p in finding_pages)  # the two narrative errors cite their pages
    engine.dispose()


def _create_and_ingest(url: str, path: str, barrier: Any, out: Any) -> None:
    barrier.wait()
    try:
        engine = open_database(url)
        summary = ingest(engine, [Path(path)], jobs=1)
        engine.dispose()
        out.put(("ok", len(summary.ingested), len(summary.unchanged), [f.message for f in summary.failed]))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        out.put((f"{type(exc).__name__}: {exc}", 0, 0, []))


def test_twenty_processes_create_and_ingest_into_one_new_library(library_url: str) -> None:
    """Twenty processes start at once on a library that does not exist: each creates it if needed and
    ingests one seed, four processes per seed. All succeed, each document is stored once with all its
    facts, and each organisation once."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")  # the parent has imported cnbudget; spawning 20 would not
    names = sorted(SEED_FILES)
    paths = [str(SEED_FILES[names[i % len(names)]]) for i in range(20)]
    barrier, out = ctx.Barrier(len(paths)), ctx.Queue()
    procs = [ctx.Process(target=_create_and_ingest, args=(library_url, p, barrier, out)) for p in paths]
    for p in procs:
        p.start()
    results = [out.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(60)
    assert [r[0] for r in results] == ["ok"] * 20, results
    assert not [r for r in results if r[3]], results
    assert sum(r[1] for r in results) == len(names)  # each seed stored by exactly one process
    assert sum(r[2] for r in results) == len(paths) - len(names)  # the others found it already there
    engine = open_database(library_url, create=False)
    assert _count(engine, schema.documents) == len(names)
    with engine.connect() as conn:
        organisations = conn.execute(select(schema.organisations.c.name)).scalars().all()
        ids = dict(conn.execute(select(schema.documents.c.source_path, schema.documents.c.id)).all())
    assert len(organisations) == len(set(organisations))
    for name in names:
        assert _count(engine, schema.facts, document_id=ids[str(SEED_FILES[name])]) == len(
            list(iter_facts(seed(name)))
        )
    engine.dispose()


def test_the_migration_lock_never_opens_the_library_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing any descriptor of an SQLite file drops every POSIX lock the process holds on it, SQLite's own
    included (SQLite's "How To Corrupt" §2.2): the lock that serialises migrations is a file of its own.
    With it on the library itself, 2 in 25 batches killed halfway under load left a library "malformed"."""
    import builtins

    from cnbudget.store import database

    library = tmp_path / "library.db"
    opened: list[str] = []
    real_open = builtins.open

    def recording_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    engine = database.open_database(str(library))
    engine.dispose()
    assert str(library) not in opened
    assert f"{library}-lock" in opened  # the creation was serialised by the lock file
