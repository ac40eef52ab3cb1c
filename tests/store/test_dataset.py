"""The library as a Parquet dataset: the four questions answer the same from it (DuckDB) as from the library,
on both backends; the layout is partitioned by year and region; a dataset is written whole or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cnbudget.domain.errors import DatabaseError, OutputError
from cnbudget.library import questions as q
from cnbudget.library.accounts import add_user
from cnbudget.library.review import decide
from cnbudget.store import schema
from cnbudget.store.database import open_database
from cnbudget.store.dataset import MANIFEST, open_dataset, write_dataset
from support.cli import invoke

pytest.importorskip("duckdb_engine")


@pytest.fixture(scope="module")
def both(seeded_library: str, tmp_path_factory: pytest.TempPathFactory):
    """The seeds' library, with one finding dismissed by a reviewer, and its dataset."""
    library = open_database(seeded_library, create=False)
    with library.connect() as conn:
        first = conn.execute(
            select(schema.findings.c.id, schema.findings.c.document_id).order_by(schema.findings.c.id)
        ).first()
    assert first is not None
    user = add_user(library, "reviewer", "a long enough password", "reviewer")
    decide(library, first.document_id, first.id, user.id, "dismiss", "尾差，已核实")
    folder = tmp_path_factory.mktemp("dataset") / "national"
    counts = write_dataset(library, folder)
    dataset = open_dataset(folder)
    yield library, dataset, folder, counts
    dataset.dispose()
    library.dispose()


def _same(a: q.Answer, b: q.Answer) -> None:
    assert a.rows == b.rows
    assert (a.title, a.columns, a.headers, a.notes, a.units, a.total) == (
        b.title,
        b.columns,
        b.headers,
        b.notes,
        b.units,
        b.total,
    )
    assert a.chart == b.chart


def _documents(library):
    d, o = schema.documents.c, schema.organisations.c
    with library.connect() as conn:
        return conn.execute(
            select(o.name, o.region, d.fiscal_year, d.kind).join(
                schema.organisations, o.id == d.organisation_id
            )
        ).all()


def test_every_row_is_in_the_dataset(both) -> None:
    library, _dataset, folder, counts = both
    with library.connect() as conn:
        for name, count in counts.items():
            table = schema.metadata.tables[name]
            assert count == conn.execute(select(func.count()).select_from(table)).scalar()
    assert counts["documents"] == 5 and counts["findings"] > 0 and counts["decisions"] == 1
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tables"]["facts"]["rows"] == counts["facts"]
    assert manifest["tables"]["metrics"]["columns"]["value"] == "VARCHAR"  # exact decimal text


def test_documents_are_partitioned_by_year_and_region(both) -> None:
    library, _dataset, folder, _counts = both
    expected = {(str(year), region or "unknown") for _name, region, year, _kind in _documents(library)}
    found = {
        (p.parent.parent.name.removeprefix("year="), p.parent.name.removeprefix("region="))
        for p in (folder / "documents").glob("year=*/region=*/*.parquet")
    }
    assert found == expected
    for table in ("metrics", "facts", "findings"):
        assert {p.parent.parent.name for p in (folder / table).glob("year=*/region=*/*.parquet")} <= {
            f"year={y}" for y, _r in expected
        }


def test_compare_is_the_same_from_either(both) -> None:
    library, dataset, _folder, _counts = both
    asked = 0
    for year, kind in {(row.fiscal_year, row.kind) for row in _documents(library)}:
        for metrics in (None, ["function:206", "economic:30217", "three_public_vehicle_purchase"]):
            a = q.compare(library, year, metrics, kind=kind)
            _same(a, q.compare(dataset, year, metrics, kind=kind))
            asked += len(a.rows)
    assert asked >= 5  # every document was in an answer


def test_history_and_findings_of_each_organisation_are_the_same(both) -> None:
    library, dataset, _folder, _counts = both
    for name, *_ in _documents(library):
        _same(q.history(library, name), q.history(dataset, name))
        _same(q.findings(library, organisation=name), q.findings(dataset, organisation=name))


def test_findings_filters_are_the_same_and_a_dismissal_counts(both) -> None:
    library, dataset, _folder, _counts = both
    everything = q.findings(library, dismissed=True)
    assert len(q.findings(library).rows) == len(everything.rows) - 1  # the dismissed one is left out
    for options in ({}, {"dismissed": True}, {"severity": "error"}, {"severity": "warning", "limit": 3},
                    {"rule": "NARR-*"}, {"year": 2026, "kind": "budget"}):  # fmt: skip
        _same(q.findings(library, **options), q.findings(dataset, **options))


def test_execution_is_the_same(both) -> None:
    library, dataset, _folder, _counts = both
    finals = [(name, year) for name, _r, year, kind in _documents(library) if kind == "final"]
    assert finals
    for name, year in finals:
        for funds in ("all", "general"):
            a = q.execution(library, name, year, funds=funds)
            assert a.rows
            _same(a, q.execution(dataset, name, year, funds=funds))


def test_the_command_line_answers_the_same_from_a_dataset(both, seeded_library: str, tmp_path: Path) -> None:
    _library, _dataset, _folder, _counts = both
    target = tmp_path / "ds"
    written = invoke("export", "--db", seeded_library, "--format", "dataset", "-o", str(target))
    assert written.returncode == 0, written.stderr
    assert f"parquet:{target}" in written.stderr
    for args in (["compare", "--year", "2026"], ["findings", "--severity", "error"]):
        from_library = invoke(*args, "--db", seeded_library, "--format", "json")
        from_dataset = invoke(*args, "--db", f"parquet:{target}", "--format", "json")
        assert from_library.returncode == from_dataset.returncode == 0, from_dataset.stderr
        assert json.loads(from_library.stdout) == json.loads(from_dataset.stdout)


def test_a_dataset_is_not_a_library_to_write_into(both, tmp_path: Path) -> None:
    _library, _dataset, folder, _counts = both
    ran = invoke("ingest", "--db", f"parquet:{folder}", str(tmp_path))
    assert ran.returncode != 0 and "Parquet 数据集只能回答" in ran.stderr and "Traceback" not in ran.stderr
    with pytest.raises(DatabaseError, match="需要资料库"):
        open_database(f"parquet:{folder}")
    with pytest.raises(DatabaseError, match="不是 cnbudget 数据集"):
        open_dataset(tmp_path)
    with pytest.raises(DatabaseError, match="没有数据集"):
        open_dataset(tmp_path / "missing")
    (tmp_path / MANIFEST).write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(DatabaseError, match="不是本版"):
        open_dataset(tmp_path)


def test_a_dataset_replaces_a_dataset_whole_and_nothing_else(both, tmp_path: Path) -> None:
    library, _dataset, _folder, counts = both
    target = tmp_path / "ds"
    assert write_dataset(library, target) == counts
    assert write_dataset(library, target) == counts  # replaced whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds"]  # no folder left half-written beside it
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="已有别的文件"):
        write_dataset(library, other)
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(OutputError, match="文件夹不存在"):
        write_dataset(library, tmp_path / "no" / "such")


def test_an_empty_library_gives_an_empty_dataset_that_answers(tmp_path: Path) -> None:
    library = open_database(str(tmp_path / "empty.db"))
    write_dataset(library, tmp_path / "ds")
    dataset = open_dataset(tmp_path / "ds")
    _same(q.compare(library, 2026), q.compare(dataset, 2026))
    _same(q.findings(library), q.findings(dataset))
    dataset.dispose()
    library.dispose()


def test_partitions_written_in_many_row_groups_give_the_same_answers(
    both, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    from cnbudget.store import dataset as module

    library, _dataset, _folder, counts = both
    monkeypatch.setattr(module, "ROW_GROUP", 7)  # rows of a partition flushed as they come, 7 at a time
    assert write_dataset(library, tmp_path / "ds") == counts
    facts = list((tmp_path / "ds" / "facts").glob("year=*/region=*/*.parquet"))
    assert max(pq.ParquetFile(f).num_row_groups for f in facts) > 1
    small = open_dataset(tmp_path / "ds")
    _same(q.findings(library, dismissed=True), q.findings(small, dismissed=True))
    _same(q.compare(library, 2026), q.compare(small, 2026))
    small.dispose()
