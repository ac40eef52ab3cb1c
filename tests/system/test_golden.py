"""What cnbudget reads and reports on the seeds and PDF fixtures is what tests/fixtures/golden/ records.

The golden files were written from the behaviour before the ground-floor refactoring and are rewritten
only on purpose (`python tools/golden.py`, the diff reviewed). Expected values of individual figures are
checked against the documents themselves in the other tests; this one guards against any silent change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from support.paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from golden import INPUTS, golden_path, snapshot  # noqa: E402


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem.split("_")[0] for p in INPUTS])
def test_facts_and_findings_are_unchanged(path: Path) -> None:
    recorded = json.loads(golden_path(path).read_text("utf-8"))
    now = json.loads(json.dumps(snapshot(path), ensure_ascii=False))
    assert now["metadata"] == recorded["metadata"]
    assert now["facts"] == recorded["facts"]
    assert now["findings"] == recorded["findings"]
    assert now["outcomes"] == recorded["outcomes"]
