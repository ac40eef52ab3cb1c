"""The tests mirror the package's layers: every test file is in tests/<layer>/ (a layer of
system.test_layers.LAYERS, the same list the import check uses) or in tests/system/ for what spans them
all, none directly in tests/; and every folder holding tests is a package (an empty __init__.py), so that
two test files of one name in different folders do not collide."""

from __future__ import annotations

from pathlib import Path

from support.paths import TESTS
from system.test_layers import LAYERS

FOLDERS = {*LAYERS, "system"}
DATA = {"fixtures"}
"""Folders of data the tests read, not tests."""


def misplaced(tests: Path = TESTS) -> list[str]:
    out = set()
    for path in [*tests.rglob("test_*.py"), *tests.rglob("*_test.py")]:  # what pytest collects
        where = path.relative_to(tests)
        if where.parts[0] in DATA:
            continue
        if len(where.parts) == 1:
            out.add(f"{where}: directly in tests/; move it into the folder of the layer it tests")
        elif where.parts[0] not in FOLDERS:
            out.add(f"{where}: {where.parts[0]}/ is not a layer (nor system): {sorted(FOLDERS)}")
        for folder in where.parents[:-1]:
            if not (tests / folder / "__init__.py").is_file():
                out.add(f"{where}: tests/{folder}/ has no __init__.py")
    return sorted(out)


def test_every_test_file_is_in_the_folder_of_a_layer() -> None:
    assert misplaced() == []
