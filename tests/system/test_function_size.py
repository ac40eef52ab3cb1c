"""No function in src/ grows past the ceiling in pyproject.toml ([tool.cnbudget.size]), which only goes
down as long functions are split into named steps; ruff keeps the same kind of ceiling on complexity,
statements and branches (C901, PLR0915, PLR0912)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from support.paths import ROOT

PACKAGE = ROOT / "src" / "cnbudget"


def _ceiling() -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return int(config["tool"]["cnbudget"]["size"]["max-function-lines"])


def function_lengths(root: Path = PACKAGE) -> list[tuple[int, str]]:
    """(lines, "file:line name") of every function, migrations aside, longest first."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                where = f"{path.relative_to(root)}:{node.lineno} {node.name}"
                found.append((node.end_lineno - node.lineno + 1, where))
    return sorted(found, reverse=True)


def test_no_function_is_longer_than_the_ceiling() -> None:
    ceiling = _ceiling()
    too_long = [f"{where}: {lines} lines" for lines, where in function_lengths() if lines > ceiling]
    assert too_long == [], f"over the ceiling of {ceiling} lines: split them into named steps"


def test_the_ceiling_is_today_s_longest_function() -> None:
    """Lowered with every split: a ceiling above the longest function would let one grow unseen."""
    assert function_lengths()[0][0] == _ceiling()


def test_the_measure_sees_a_long_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(200))
    (tmp_path / "long.py").write_text(f"def long():\n{body}\n", "utf-8")
    assert function_lengths(tmp_path) == [(201, "long.py:1 long")]
