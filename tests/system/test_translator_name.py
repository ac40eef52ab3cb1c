"""`t` is the translator (`cnbudget.domain.i18n.t`): a module that imports it never binds `t` to anything
else — a loop variable named `t` would make the next `t("中文", "English")` call a table."""

from __future__ import annotations

import ast
from pathlib import Path

from support.paths import ROOT

PACKAGE = ROOT / "src" / "cnbudget"


def _imports_t(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and node.module == "cnbudget.domain.i18n"
        and any(alias.name == "t" and alias.asname is None for alias in node.names)
        for node in ast.walk(tree)
    )  # fmt: skip


def shadowing(root: Path = PACKAGE) -> list[str]:
    """file:line of every other binding of the name ``t`` in a module that imports the translator."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        if not _imports_t(tree):
            continue
        for node in ast.walk(tree):
            bound = (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == "t") or (
                isinstance(node, ast.arg) and node.arg == "t"
            )
            if bound:
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_the_translator_is_never_shadowed() -> None:
    assert shadowing() == []


def test_the_check_sees_a_loop_variable(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        "from cnbudget.domain.i18n import t\n\nnames = [t.id for t in tables]\n", "utf-8"
    )
    assert shadowing(tmp_path) == ["m.py:3"]
