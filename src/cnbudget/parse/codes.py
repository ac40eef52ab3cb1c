"""Resolve codes printed only as a prefix to the full code.

Final-account tables often print "20103 行政运行" for 2010301, and F06 prints "301 基本工资" for
30101. The full code is found among the children of the printed prefix, by name: first in the other
tables of the same document (F05 prints full codes), then in the reference lists.
"""

from __future__ import annotations

from functools import cache

from cnbudget.domain.catalog import coded_by
from cnbudget.domain.codes import code_level, economic_codes, function_codes
from cnbudget.domain.text import key, similarity
from cnbudget.model import Table


def _names_match(printed_key: str, name_key: str) -> bool:
    a, b = printed_key, name_key
    if not a or not b:
        return False
    return a == b or (len(a) >= 4 and b.startswith(a)) or (len(b) >= 4 and a.startswith(b))


@cache
def _reference_keys(family: str) -> dict[str, str]:
    names = function_codes() if family == "function" else economic_codes()
    return {code: key(name) for code, name in names.items()}


def _family(table_id: str) -> str:
    return "economic" if table_id in coded_by("economic") else "function"


def resolve_codes(tables: list[Table]) -> None:
    # names printed with full codes; a code printed twice in one table is a prefix there, not a name source
    doc_names: dict[str, dict[str, set[str]]] = {"function": {}, "economic": {}}
    for table in tables:
        counts: dict[str, int] = {}
        for row in table.rows:
            counts[row.code] = counts.get(row.code, 0) + 1
        for row in table.rows:
            if row.code.isdigit() and row.label and counts[row.code] == 1:
                doc_names[_family(table.id)].setdefault(row.code, set()).add(key(row.label))
    indexes: dict[str, tuple[dict[str, set[str]], dict[str, list[str]]]] = {}
    for family in ("function", "economic"):
        names: dict[str, set[str]] = {code: {name} for code, name in _reference_keys(family).items()}
        for code, printed in doc_names[family].items():
            names.setdefault(code, set()).update(printed)
        children: dict[str, list[str]] = {}
        for code in names:
            if len(code) in (5, 7):
                children.setdefault(code[:-2], []).append(code)
        indexes[family] = (names, children)
    for table in tables:
        names, children = indexes[_family(table.id)]
        previous: tuple[str, str] = ("", "")
        for row in table.rows:
            code = row.code
            repeated = (code, row.label) == previous
            previous = (code, row.label)
            if not code.isdigit() or len(code) not in (3, 5) or not row.label:
                row.resolved_code = code if code_level(code) else ""
                continue
            label_key = key(row.label)
            if not repeated and any(_names_match(label_key, n) for n in names.get(code, ())):
                row.resolved_code = code
                continue
            kids = children.get(code, [])
            match = [c for c in kids if any(_names_match(label_key, n) for n in names[c])]
            if len(match) != 1:
                # names drift between years and tables (技术与开发 / 研究与开发 / 技术研究与开发): take the
                # clearly most similar of the code itself and its children
                scored = sorted(
                    (
                        (max((similarity(label_key, n) for n in names.get(c, ())), default=0.0), c)
                        for c in [code, *kids]
                    ),
                    reverse=True,
                )
                best_score, best = scored[0]
                runner_up = scored[1][0] if len(scored) > 1 else 0.0
                match = (
                    [best] if best != code and best_score >= 0.6 and best_score - runner_up >= 0.15 else []
                )
            if len(match) == 1:
                row.resolved_code = match[0]
                row.level = code_level(match[0])
            else:
                row.resolved_code = code
