"""Resolve codes printed only as a prefix to the full code.

Final-account tables often print "20103 行政运行" for 2010301, and F06 prints "301 基本工资" for
30101. The full code is found among the children of the printed prefix, by name: first in the other
tables of the same document (F05 prints full codes), then in the reference lists.
"""

from __future__ import annotations

from functools import cache

from cnbudget.model import Table
from cnbudget.parse.catalog import economic_codes, function_codes
from cnbudget.parse.numbers import code_level
from cnbudget.read.normalize import key

ECONOMIC_TABLES = ("B06", "F06")


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
    return "economic" if table_id in ECONOMIC_TABLES else "function"


def resolve_codes(tables: list[Table]) -> None:
    doc_names: dict[str, dict[str, str]] = {"function": {}, "economic": {}}
    for table in tables:
        for row in table.rows:
            if row.code.isdigit() and row.label:
                doc_names[_family(table.id)].setdefault(row.code, row.label)
    indexes: dict[str, tuple[dict[str, str], dict[str, list[str]]]] = {}
    for family in ("function", "economic"):
        keys = {**_reference_keys(family), **{code: key(name) for code, name in doc_names[family].items()}}
        children: dict[str, list[str]] = {}
        for code in keys:
            if len(code) in (5, 7):
                children.setdefault(code[:-2], []).append(code)
        indexes[family] = (keys, children)
    for table in tables:
        keys, children = indexes[_family(table.id)]
        previous: tuple[str, str] = ("", "")
        for row in table.rows:
            code = row.code
            repeated = (code, row.label) == previous
            previous = (code, row.label)
            if not code.isdigit() or len(code) not in (3, 5) or not row.label:
                row.resolved_code = code if code_level(code) else ""
                continue
            label_key = key(row.label)
            own = keys.get(code)
            if own and _names_match(label_key, own) and not repeated:
                row.resolved_code = code
                continue
            match = [c for c in children.get(code, []) if _names_match(label_key, keys[c])]
            if len(match) == 1:
                row.resolved_code = match[0]
                row.level = code_level(match[0])
            else:
                row.resolved_code = code
