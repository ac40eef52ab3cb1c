"""A manifest lists a batch's files with what is known of each (`library.manifest`); what it gives is put in
the document's metadata before the audit and stored; a manifest that cannot be used is refused whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from cnbudget.domain.errors import EXIT_INPUT, InputError
from cnbudget.library import open_library
from cnbudget.library.ingestion import ingest
from cnbudget.library.manifest import read_manifest
from cnbudget.library.processing import Given
from cnbudget.store import schema
from support.cli import invoke as cli
from support.seeds import SEED_FILES


def _write(folder: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    manifest = folder / "清单.csv"
    manifest.write_bytes(text.encode(encoding))
    return manifest


def test_columns_in_chinese_or_english_paths_relative_to_the_manifest(tmp_path: Path) -> None:
    manifest = _write(
        tmp_path, "文件,单位,年度,类型,范围\nsub/a.pdf,武汉市 教育局,2024,决算,部门\n\nb.txt,,,,\n"
    )
    entries = read_manifest(manifest)
    assert [e.path for e in entries] == [tmp_path / "sub" / "a.pdf", tmp_path / "b.txt"]
    assert entries[0].given == Given("武汉市教育局", 2024, "final", "department")
    assert entries[1].given == Given()
    english = _write(
        tmp_path, "path,year,kind,scope,organisation\nx.pdf,2023,budget,unit,某单位\n", "gb18030"
    )
    assert read_manifest(english)[0].given == Given("某单位", 2023, "budget", "unit")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("year\n2024\n", 1, "path"),
        ("path,year\na.pdf,20x4\n", 2, "20x4"),
        ("path,year\na.pdf,1800\n", 2, "1800"),
        ("path,kind\na.pdf,半年\n", 2, "半年"),
        ("path,scope\na.pdf,省\n", 2, "省"),
        ("path,year\na.pdf,2024\n,2025\n", 3, "path"),
    ],
)
def test_a_manifest_that_cannot_be_used_is_refused_naming_the_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    with pytest.raises(InputError) as refused:
        read_manifest(_write(tmp_path, text))
    assert refused.value.line == line and refused.value.path.endswith("清单.csv")
    assert words in refused.value.message or words == "path"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_manifest_or_an_input_error(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    folder = tmp_path_factory.mktemp("m")
    try:
        entries = read_manifest(_write(folder, text, "utf-8"))
    except InputError:
        return
    for entry in entries:  # what is given is what the checks let through
        assert str(entry.path)
        year = entry.given.fiscal_year
        assert year is None or 1949 <= year <= 2200
        assert entry.given.kind in ("", "budget", "final") and entry.given.scope in ("", "department", "unit")


def test_what_the_manifest_gives_is_audited_and_stored(tmp_path: Path) -> None:
    shutil.copy(SEED_FILES["000"], tmp_path / "a.txt")
    manifest = _write(tmp_path, "path,year,organisation\na.txt,2031,清单所给单位\n")
    engine = open_library(str(tmp_path / "lib.db"), create=True)
    try:
        summary = ingest(engine, [e.path for e in read_manifest(manifest)],
                         given={e.path: e.given for e in read_manifest(manifest)}, jobs=1)  # fmt: skip
        assert len(summary.ingested) == 1
        with engine.connect() as conn:
            year = conn.execute(select(schema.documents.c.fiscal_year)).scalar_one()
            names = set(conn.execute(select(schema.organisations.c.name)).scalars())
    finally:
        engine.dispose()
    assert year == 2031 and "清单所给单位" in names


def test_the_command_refuses_a_bad_manifest_before_touching_the_library(tmp_path: Path) -> None:
    manifest = _write(tmp_path, "path,year\na.txt,20x1\n")
    done = cli("ingest", "--manifest", str(manifest), "--db", str(tmp_path / "lib.db"))
    assert done.returncode == EXIT_INPUT and "清单.csv:2" in done.stderr
    assert not (tmp_path / "lib.db").exists()
