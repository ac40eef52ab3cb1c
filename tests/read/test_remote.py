"""Documents named by URL, read through fsspec (`read.remote`): the same document as the file, limits
enforced, folders expanded, and an input error (never a crash) for what cannot be read."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import fsspec
import pytest

from cnbudget.domain.errors import InputError
from cnbudget.library import open_library
from cnbudget.library.ingestion import collect_paths, ingest
from cnbudget.read import ReadOptions, read_path
from cnbudget.read.remote import expand, is_url
from support.cli import invoke as cli
from support.seeds import SEED_FILES


@pytest.mark.parametrize(
    ("name", "url"),
    [("s3://bucket/2026/a.pdf", True), ("file:///tmp/a.pdf", True), ("hdfs://nn:8020/x", True),
     ("C:\\data\\a.pdf", False), ("a:b.pdf", False), ("/tmp/a.pdf", False), ("报表.pdf", False)],
)  # fmt: skip
def test_what_is_a_url(name: str, url: bool) -> None:
    assert is_url(name) is url


def test_a_file_url_reads_the_same_document_as_the_file() -> None:
    path = SEED_FILES["000"]
    by_url = read_path(path.resolve().as_uri())
    by_path = read_path(path)
    assert by_url.sha256 == by_path.sha256
    assert [line.text for line in by_url.lines] == [line.text for line in by_path.lines]


def test_a_folder_url_gives_its_documents_hidden_and_other_files_left_out(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for target in ("sub/a.txt", "b.pdf", ".hidden/c.txt", "notes.csv", ".d.txt"):
        (tmp_path / target).write_bytes(b"x")
    base = tmp_path.as_uri()
    assert expand(base) == [f"{base}/b.pdf", f"{base}/sub/a.txt"]
    assert expand(f"{base}/sub/a.txt") == [f"{base}/sub/a.txt"]
    assert expand(f"{base}/nothing") == []


def test_the_size_limit_holds_for_a_url() -> None:
    memory = fsspec.filesystem("memory")
    memory.pipe("/limits/big.txt", b"x" * 2_000_000)
    with pytest.raises(InputError) as refused:
        read_path("memory:///limits/big.txt", ReadOptions(max_mb=1))
    assert refused.value.setting == "max_mb"


def test_a_url_that_cannot_be_read_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError):
        read_path("memory:///no/such.pdf")
    with pytest.raises(InputError):
        read_path("nosuch://host/a.pdf")
    monkeypatch.setitem(sys.modules, "fsspec.core", None)  # fsspec not installed
    with pytest.raises(InputError) as missing:
        read_path("s3://bucket/a.pdf")
    assert missing.value.setting == "remote_component"


def test_ingest_reads_a_folder_url(tmp_path: Path) -> None:
    folder = tmp_path / "disclosures"
    folder.mkdir()
    for name in ("000", "003"):
        shutil.copy(SEED_FILES[name], folder / f"{name}.txt")
    files, failures = collect_paths([folder.as_uri(), f"{folder.as_uri()}/missing", "nosuch://x/y"])
    assert files == [f"{folder.as_uri()}/000.txt", f"{folder.as_uri()}/003.txt"] and len(failures) == 2
    engine = open_library(str(tmp_path / "lib.db"), create=True)
    try:
        summary = ingest(engine, [folder.as_uri()], jobs=2)
    finally:
        engine.dispose()
    assert sorted(summary.ingested) == files


def test_audit_of_a_folder_url_is_the_audit_of_the_folder(tmp_path: Path) -> None:
    for name in ("000", "003"):
        shutil.copy(SEED_FILES[name], tmp_path / f"{name}.txt")
    local = json.loads(cli("audit", str(tmp_path), "-f", "json", "--fail-on", "never").stdout)
    remote = json.loads(cli("audit", tmp_path.as_uri(), "-f", "json", "--fail-on", "never").stdout)
    assert remote["totals"] == local["totals"]
    assert [r["findings"] for r in remote["reports"]] == [r["findings"] for r in local["reports"]]
