"""The README's Python example runs as written (on the seeds, in a temporary folder)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from support.paths import FIXTURES, ROOT


def test_readme_library_example_runs(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    readme = (ROOT / "README.md").read_text("utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "open_library" in b)
    shutil.copytree(FIXTURES / "seeds", tmp_path / "disclosures")
    monkeypatch.chdir(tmp_path)
    printed: list[tuple[object, ...]] = []
    exec(block, {"print": lambda *a: printed.append(a)})  # noqa: S102 - the documented example itself
    assert printed and all(len(p) == 3 for p in printed)
    assert any("武汉市信息中心" in str(p[0]) for p in printed)


def test_library_names_are_the_functions_even_after_their_modules_load() -> None:
    """No submodule has the name of a function the package offers (importing it would rebind the name)."""
    import pkgutil

    import cnbudget.library as library

    modules = {m.name for m in pkgutil.iter_modules(library.__path__)}
    assert not modules & set(library.__all__)
    import cnbudget.library.ingestion  # noqa: F401
    from cnbudget.library import ingest

    assert callable(ingest)
