"""Putting a library right: three republications of one disclosure whose tables print no year (so they
became versions 1, 2, 3 of one document) are filed under their own years; a wrong upload is deleted and
the previous version is the latest again; a document is analysed again after its findings were lost —
on both backends, the review trail kept whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from cnbudget.domain.errors import UsageError
from cnbudget.library.accounts import add_user
from cnbudget.library.ingestion import ingest
from cnbudget.library.maintenance import correct_document, delete_document, reanalyse
from cnbudget.library.review import decide
from cnbudget.store import schema
from cnbudget.store.database import open_database
from cnbudget.store.review import decisions, series_of
from support.paths import FIXTURES

SEED = FIXTURES / "seeds" / "000_37ad2aea713753bc.txt"


def _without_year(text: str, mark: int) -> str:
    """The seed with its years blanked out (a disclosure printing none) and a line to make it a new file."""
    import re

    return re.sub(r"20\d\d", "", text) + f"\n（第 {mark} 次公开）\n"


def _docs(engine) -> list[tuple[int, int | None, int, bool]]:
    d = schema.documents.c
    with engine.connect() as conn:
        rows = conn.execute(select(d.id, d.fiscal_year, d.version, d.is_latest).order_by(d.id)).all()
    return [tuple(r) for r in rows]


def test_correct_delete_and_reanalyse(library_url: str, tmp_path: Path) -> None:
    engine = open_database(library_url)
    text = SEED.read_text("utf-8")
    files = []
    for mark in (1, 2, 3):
        path = tmp_path / f"republished-{mark}.txt"
        path.write_text(_without_year(text, mark), "utf-8")
        files.append(path)
    summary = ingest(engine, files, jobs=1)
    assert not summary.failed, summary
    docs = _docs(engine)
    assert [(year, version) for _, year, version, _ in docs] == [(None, 1), (None, 2), (None, 3)]
    first, second, third = (d[0] for d in docs)
    user = add_user(engine, "reviewer", "a long password", "reviewer")
    with engine.connect() as conn:
        f = schema.findings.c
        finding = conn.execute(select(f.id).where(f.document_id == second).order_by(f.id)).scalar()
    decide(engine, second, finding, user.id, "dismiss", "尾差，已核实")

    # each republication filed under its own year: each becomes version 1 of its series
    for document_id, year in ((first, 2023), (second, 2024), (third, 2025)):
        correct_document(engine, document_id, fiscal_year=year)
    assert sorted((year, version, latest) for _, year, version, latest in _docs(engine)) == [
        (2023, 1, True), (2024, 1, True), (2025, 1, True),
    ]  # fmt: skip
    # the decision follows its document into the new series; the old row stays in the trail
    with engine.connect() as conn:
        moved = decisions(conn, series_of(conn, second))
        total = conn.execute(select(func.count()).select_from(schema.decisions)).scalar()
    assert [(d.action, d.text) for d in moved] == [("dismiss", "尾差，已核实")] and total == 2

    # the same file again is unchanged; a corrected copy filed to 2025 is its version 2, deleted again
    extra = tmp_path / "wrong.txt"
    extra.write_text(_without_year(text, 4), "utf-8")
    ingest(engine, [extra], jobs=1)
    wrong = max(d[0] for d in _docs(engine))
    correct_document(engine, wrong, fiscal_year=2025)
    assert (2025, 2, True) in {(y, v, latest) for i, y, v, latest in _docs(engine) if i == wrong}
    delete_document(engine, wrong)
    assert {(y, v, latest) for i, y, v, latest in _docs(engine) if i == third} == {(2025, 1, True)}
    with engine.connect() as conn:
        left = conn.execute(
            select(func.count()).select_from(schema.facts).where(schema.facts.c.document_id == wrong)
        ).scalar()
    assert left == 0
    # a document the team decided on cannot be deleted
    with pytest.raises(UsageError, match="审核意见"):
        delete_document(engine, second)

    # findings lost (as after a rule change) come back from the stored original
    with engine.begin() as conn:
        before = conn.execute(
            select(func.count()).select_from(schema.findings).where(schema.findings.c.document_id == first)
        ).scalar()
        conn.execute(schema.findings.delete().where(schema.findings.c.document_id == first))
    done = reanalyse(engine, first)
    with engine.connect() as conn:
        after = conn.execute(
            select(func.count()).select_from(schema.findings).where(schema.findings.c.document_id == first)
        ).scalar()
        year = conn.execute(
            select(schema.documents.c.fiscal_year).where(schema.documents.c.id == first)
        ).scalar()
    assert after == before > 0 and year == 2023 and "重新审核" in done.what
    engine.dispose()
