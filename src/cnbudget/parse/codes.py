"""Resolve codes printed only as a prefix to the full code.

Final-account tables often print "20103 行政运行" for 2010301, and F06 prints "301 基本工资" for
30101. The full code is found among the children of the printed prefix, by name: first in the other
tables of the same document (F05 prints full codes), then in the reference lists.
"""

from __future__ import annotations

from cnbudget.model import Table
from cnbudget.parse.catalog import economic_codes, function_codes
from cnbudget.parse.numbers import code_level
from cnbudget.read.normalize import key

ECONOMIC_TABLES = ("B06", "F06")


def _names_match(printed: str, name: str) -> bool:
    a, b = key(printed), key(name)
    if not a or not b:
        return False
    return a == b or (len(a) >= 4 and b.startswith(a)) or (len(b) >= 4 and a.startswith(b))


def resolve_codes(tables: list[Table]) -> None:
    doc_names: dict[str, dict[str, str]] = {"function": {}, "economic": {}}
    for table in tables:
        family = "economic" if table.id in ECONOMIC_TABLES else "function"
        for row in table.rows:
            if row.code.isdigit() and row.label:
                doc_names[family].setdefault(row.code, row.label)
    references = {"function": function_codes(), "economic": economic_codes()}
    for table in tables:
        family = "economic" if table.id in ECONOMIC_TABLES else "function"
        names = {**references[family], **doc_names[family]}
        previous: tuple[str, str] = ("", "")
        for row in table.rows:
            code = row.code
            repeated = (code, row.label) == previous
            previous = (code, row.label)
            if not code.isdigit() or len(code) not in (3, 5) or not row.label:
                row.resolved_code = code if code_level(code) else ""
                continue
            own = names.get(code)
            if own and _names_match(row.label, own) and not repeated:
                row.resolved_code = code
                continue
            children = [c for c in names if len(c) == len(code) + 2 and c.startswith(code)]
            match = [c for c in children if _names_match(row.label, names[c])]
            if len(match) == 1:
                row.resolved_code = match[0]
                row.level = code_level(match[0])
            else:
                row.resolved_code = code
