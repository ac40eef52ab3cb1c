"""Matching project amounts quoted elsewhere (narrative, B11) against the project table (B10).

A project's budget is often printed in B10 on two lines: this year's appropriation under the project's
name, and last year's carried-over funds (财政拨款结转结余) on a line of its own, sometimes under an older
name. A quoted amount that equals the named line plus some carried-over lines is consistent.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from itertools import combinations

from cnbudget.domain.text import key, similarity
from cnbudget.model import Project

MAX_CARRY_LINES = 12


def carry_only(project: Project) -> bool:
    current = sum((v for k, v in project.amounts.items() if k.startswith("本年拨款")), Decimal(0))
    carried = sum((v for k, v in project.amounts.items() if "结转" in k), Decimal(0))
    return current == 0 and carried > 0


def similar_projects(name: str, projects: list[Project], threshold: float = 0.75) -> list[Project]:
    target = key(name)
    return [p for p in projects if similarity(target, _name_key(p.name)) >= threshold]


@lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    return key(name)


def explained(amount: Decimal, matches: list[Project], projects: list[Project], tolerance: Decimal) -> bool:
    """True when the amount is a matched line, their sum, or either plus some carried-over lines."""
    bases = {p.total for p in matches if p.total is not None}
    bases.add(sum((p.total for p in matches if p.total is not None), Decimal(0)))
    if any(abs(amount - base) <= tolerance for base in bases):
        return True  # the common case: no carried-over lines to combine
    chosen = {id(p) for p in matches}
    carries = [p.total for p in projects if p.total is not None and id(p) not in chosen and carry_only(p)]
    carries = carries[:MAX_CARRY_LINES]
    for base in bases:
        for size in (1, 2, 3):
            for combo in combinations(carries, size):
                if abs(amount - base - sum(combo, Decimal(0))) <= tolerance:
                    return True
    return False
