"""The guides name files that exist: a path in README.md, docs/ or BENCHMARKS.md that a move or a split left
behind is a dangling reference."""

from __future__ import annotations

import re

from support.paths import ROOT

_REPO_PATH = re.compile(r"`((?:src|tests|tools|benchmarks|docs)/[^`\s]+)`")
_PACKAGE_FILE = re.compile(r"`((?:cli|web|library|report|store|audit|parse|read|model|domain)/[^`\s]+\.py)`")


def _dangling(text: str) -> list[str]:
    found = []
    for m in _REPO_PATH.finditer(text):
        path = m.group(1).split("::")[0].rstrip(".,;:")
        if not any(ch in path for ch in "*<>{}") and not (ROOT / path).exists():
            found.append(path)
    for m in _PACKAGE_FILE.finditer(text):
        path = m.group(1)
        if not any(ch in path for ch in "*<>{}") and not (ROOT / "src" / "cnbudget" / path).exists():
            found.append(path)
    return found


def test_every_path_the_guides_name_exists() -> None:
    guides = [ROOT / "README.md", ROOT / "BENCHMARKS.md", *sorted((ROOT / "docs").glob("*.md"))]
    dangling = {str(g.relative_to(ROOT)): _dangling(g.read_text("utf-8")) for g in guides}
    assert not {k: v for k, v in dangling.items() if v}


def test_a_moved_file_is_found() -> None:
    assert _dangling("see `tests/test_layers.py` and `report/answer_files.py`") == [
        "tests/test_layers.py",
        "report/answer_files.py",
    ]
    assert _dangling("see `tests/system/test_layers.py` and `report/answer/xlsx.py`") == []
