"""The rule registry: every check has a stable id, a family, a severity and a one-line description."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cnbudget.audit.context import Context
    from cnbudget.audit.findings import Finding

CheckFunction = Callable[["Context"], Iterable["Finding"]]

FAMILIES = {
    "completeness": "完整性",
    "sums": "表内勾稽",
    "hierarchy": "科目层级",
    "cross_table": "表间勾稽",
    "narrative": "说明与报表一致",
    "consistency": "年份与名称",
    "duplicates": "重复",
    "performance": "绩效",
}
BASES = ("identity", "regulation", "consistency")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    family: str
    severity: str
    """The most severe level the rule reports (sum rules also report rounding tails as info)."""
    description: str
    basis: str
    """``identity`` (arithmetic that must hold), ``regulation`` (disclosure rules), ``consistency``."""
    kinds: tuple[str, ...]
    """Document kinds the rule applies to: budget, final."""
    tables: tuple[str, ...]
    """Tables the rule needs; when one is missing the rule could not be evaluated."""
    check: CheckFunction


_RULES: dict[str, Rule] = {}


class NotEvaluable(Exception):
    """Raised by a check when the data it needs is missing or unreadable."""


def rule(
    rule_id: str,
    family: str,
    severity: str,
    description: str,
    basis: str = "identity",
    kinds: tuple[str, ...] = ("budget", "final"),
    tables: tuple[str, ...] = (),
) -> Callable[[CheckFunction], CheckFunction]:
    if family not in FAMILIES or basis not in BASES or severity not in ("error", "warning", "info"):
        raise ValueError(f"bad rule declaration {rule_id}")

    def register(func: CheckFunction) -> CheckFunction:
        if rule_id in _RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        _RULES[rule_id] = Rule(rule_id, family, severity, description, basis, kinds, tables, func)
        return func

    return register


def all_rules() -> list[Rule]:
    from cnbudget.audit import rules  # noqa: F401  - importing registers the built-in rules

    return sorted(_RULES.values(), key=lambda r: (list(FAMILIES).index(r.family), r.id))
