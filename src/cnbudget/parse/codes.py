"""Resolve codes printed only as a prefix to the full code.

Final-account tables often print "20103 行政运行" for 2010301, and F06 prints "301 基本工资" for
30101. The full code is found among the children of the printed prefix, by name: first in the other
tables of the same document (F05 prints full codes), then in the reference lists.
"""

from __future__ import annotations

import re
from functools import cache

from cnbudget.domain.catalog import coded_by
from cnbudget.domain.codes import class_code, code_level, economic_codes, function_codes
from cnbudget.domain.text import is_digits, key, similarity
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
            if is_digits(row.code) and row.label and counts[row.code] == 1:
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
            if not is_digits(code) or len(code) not in (3, 5) or not row.label:
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


_UNIT_CODE = re.compile(r"^\d{6}$")


def organisation_rows(table: Table) -> None:
    """Rows of a code table that name an organisation, not a classification code: a unit (6-digit code),
    its department (a 3-digit code heading those units, under a name that is not the class's), or the one
    unnumbered row of amounts over the coded rows of a table printed for one organisation (深圳's 支出总表:
    "深圳市财政局（本级）" over 201, 20106 …). Units and departments become ``group`` rows, which are no
    classification rows; the organisation's own row is the table's total."""
    if table.id not in coded_by("function") | coded_by("economic"):
        return
    rows = table.rows
    units = {r.code for r in rows if _UNIT_CODE.match(r.code)}
    names = function_codes() if _family(table.id) == "function" else economic_codes()
    for row in rows:
        heads_units = len(row.code) == 3 and any(u.startswith(row.code) for u in units)
        printed_as_class = similarity(key(row.label), key(names.get(row.code, ""))) >= 0.5
        if row.code in units or (heads_units and not printed_as_class):
            row.kind, row.level, row.resolved_code = "group", None, ""
    if any(r.kind == "total" for r in rows):
        return
    heads = [r for r in rows if not r.code and r.label and r.cells and r.kind == "item"]
    coded = [r for r in rows if r.is_coded]
    if len(heads) == 1 and rows and rows[0] is heads[0] and coded and class_code(heads[0].label) is None:
        heads[0].kind = "total"
