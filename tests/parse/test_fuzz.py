"""Damaged inputs give a report or a clear error, never a crash (bounded; `python benchmarks/fuzz.py` runs
the long version). Each seed is damaged line by line and cell by cell (headers included), and every reader
gets random bytes behind its format's signature."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnbudget.domain.errors import CnbudgetError
from cnbudget.parse import parse_file
from support.harness.fuzz import fuzz
from support.seeds import SEED_FILES


@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_damaged_seeds_never_crash(name: str) -> None:
    path = SEED_FILES[name]
    outcomes = fuzz(path.read_text("utf-8"), str(path), count=40, seed=int(name) + 11)
    crashes = [(o.damage, o.line, o.crash) for o in outcomes if not o.ok]
    assert not crashes, crashes[:3]


_SIGNATURES = {
    ".pdf": b"%PDF-1.7\n",
    ".xlsx": b"PK\x03\x04",
    ".docx": b"PK\x03\x04",
    ".xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ".html": b"<html><body><table><tr><td>",
    ".txt": "部门收支总表\t合计\n".encode(),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from(sorted(_SIGNATURES)), body=st.binary(max_size=2048), signed=st.booleans())
def test_random_bytes_in_every_reader(tmp_path: Path, suffix: str, body: bytes, signed: bool) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes((_SIGNATURES[suffix] if signed else b"") + body)
    try:
        parse_file(path)
    except CnbudgetError as exc:
        assert exc.path and Path(exc.path).name == path.name, (
            exc.path,
            str(exc),
        )  # the message names the file
