"""The README's table of exit codes is the one src/cnbudget/domain/errors.py defines: every code, no other."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from cnbudget.domain import errors
from support.paths import ROOT

STOP = {"the", "could", "not", "was", "and", "with", "for", "reached", "asks", "this", "that", "from"}


def _defined(source: str | None = None) -> dict[int, str]:
    """EXIT_* constants of errors.py with the docstring under each (the meaning)."""
    tree = ast.parse(source if source is not None else Path(errors.__file__).read_text("utf-8"))
    found: dict[int, str] = {}
    body = tree.body
    for node, after in zip(body, [*body[1:], None], strict=True):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name.startswith("EXIT_"):
                doc = ""
                if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
                    doc = str(after.value.value)
                value = node.value
                assert isinstance(value, ast.Constant) and isinstance(value.value, int), name
                found[value.value] = doc or name.removeprefix("EXIT_").lower()
    return found


def _documented() -> dict[int, str]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", section, re.M)
    return {int(code): meaning for code, meaning in rows}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z-]+", text.lower()) if w not in STOP}


def test_the_readme_lists_exactly_the_defined_exit_codes() -> None:
    defined, documented = _defined(), _documented()
    assert sorted(documented) == sorted(defined)
    assert 70 in documented and "bug" in documented[70]  # the internal-error code is not a secret


def test_each_documented_meaning_is_the_defined_one() -> None:
    defined, documented = _defined(), _documented()
    synonyms = {"ok": {"success"}}
    for code, doc in defined.items():
        expected = _words(doc) | {s for w in _words(doc) for s in synonyms.get(w, set())}
        assert expected & _words(documented[code]), (code, doc, documented[code])


def test_the_check_sees_a_code_the_readme_lacks() -> None:
    source = Path(errors.__file__).read_text("utf-8") + '\nEXIT_NEW = 6\n"""Something new."""\n'
    assert _defined(source)[6] == "Something new." and 6 not in _documented()
