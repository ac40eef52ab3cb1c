"""The layers import only downwards: cli/web → library/report → store → audit/parse → read → model → domain.

Every import in src/cnbudget (at module level or inside a function) is read with `ast`; an import of a
layer above, or of a sibling on the same level (library ↔ report, audit ↔ parse), fails with the file and
line. The audit judges a model, whoever built it: it knows nothing of how documents are read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from support.paths import ROOT

PACKAGE = ROOT / "src" / "cnbudget"
LAYERS: dict[str, int] = {
    "domain": 0,
    "model": 1,
    "read": 2,
    "parse": 3,
    "audit": 3,
    "store": 5,
    "library": 6,
    "report": 6,
    "cli": 7,
    "web": 7,
}
"""Each package's floor. The package root (`cnbudget/__init__.py`, `__main__.py`) is the public face, above all."""

SKIPPED: dict[str, set[str]] = {"cli": {"store"}, "web": {"store"}, "audit": {"read"}}
"""Layers below that a package may not reach past the one between: the faces (command line, web) speak to
the library's API (`cnbudget.library`: accounts, review, activity, uploads, questions …), never to its
tables — the policy lives in one place for both."""


def _why_not(own: str) -> str:
    if own == "audit":
        return "the audit judges the model, not how it was read"
    return "past the library: use its API"


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "cnbudget":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "<root>"


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    relative_to = ".".join(("cnbudget", *path.relative_to(PACKAGE).with_suffix("").parts))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = relative_to.split(".")[: -node.level]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def violations() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = _layer(".".join(("cnbudget", *path.relative_to(PACKAGE).with_suffix("").parts)))
        if own == "<root>":
            continue
        assert own is not None
        for line, module in _imports(path):
            target = _layer(module)
            if target is None or target == own:
                continue
            if target == "<root>":
                out.append(
                    f"{path.relative_to(PACKAGE)}:{line}: imports the package root ({module}); import the layer"
                )
            elif LAYERS[target] >= LAYERS[own]:
                out.append(
                    f"{path.relative_to(PACKAGE)}:{line}: {own} imports {module} ({target} is not below it)"
                )
            elif target in SKIPPED.get(own, set()):
                out.append(f"{path.relative_to(PACKAGE)}:{line}: {own} imports {module} ({_why_not(own)})")
    return out


def test_every_import_points_down() -> None:
    assert violations() == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The test itself can fail: an audit module importing the store is caught."""
    probe = PACKAGE / "audit" / "_layer_probe.py"
    probe.write_text("from cnbudget.store import schema\n", "utf-8")
    try:
        assert any("_layer_probe.py:1: audit imports cnbudget.store" in v for v in violations())
    finally:
        probe.unlink()


@pytest.mark.parametrize("face", ["cli", "web"])
def test_the_check_sees_a_face_reaching_the_tables(face: str) -> None:
    probe = PACKAGE / face / "_layer_probe.py"
    probe.write_text("def f():\n    from cnbudget.store.accounts import user_row\n", "utf-8")
    try:
        assert any(f"_layer_probe.py:2: {face} imports cnbudget.store.accounts (past the library" in v
                   for v in violations())  # fmt: skip
    finally:
        probe.unlink()


def test_audit_and_parse_are_siblings(tmp_path: Path) -> None:
    probe = PACKAGE / "audit" / "_layer_probe.py"
    probe.write_text("from cnbudget.parse import parse_text\n", "utf-8")
    try:
        assert any("_layer_probe.py:1: audit imports cnbudget.parse (parse is not below it)" in v
                   for v in violations())  # fmt: skip
    finally:
        probe.unlink()


def test_no_runtime_module_imports_a_test_harness() -> None:
    """The fuzz and mutation harnesses live in tests/support/harness; the package never imports them (nor
    anything of the tests)."""
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {module}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, module in _imports(path)
        if module.split(".")[0] in ("support", "tests", "conftest") or "harness" in module
    ]
    assert found == []
    assert not [
        p
        for p in PACKAGE.rglob("*.py")
        if p.stem in ("fuzz", "mutation", "text_mutation", "narrative_mutation")
    ]


def test_the_architecture_guide_draws_every_layer_in_its_place() -> None:
    """docs/architecture.md's map of the layers names each package of LAYERS on its level, top first, with
    siblings on one line — the guide and this test say the same."""
    import re

    guide = (PACKAGE.parents[1] / "docs" / "architecture.md").read_text("utf-8")
    block = guide.split("```", 2)[1]
    drawn = [re.findall(r"\b([a-z]+)/", line) for line in block.splitlines() if re.search(r"\b[a-z]+/", line)]
    assert sorted(p for level in drawn for p in level) == sorted(LAYERS)
    levels = [{LAYERS[p] for p in level} for level in drawn]
    assert all(len(level) == 1 for level in levels), drawn  # siblings share a line
    assert [level.pop() for level in levels] == sorted({*LAYERS.values()}, reverse=True)
