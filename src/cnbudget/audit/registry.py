"""The rule registry: a rule is one decorated function.

    @rule(
        "XT-B05-B05U",
        family="cross_table",
        description="一般公共预算支出表分功能科目与分单位的合计一致",
        rationale="…why it must hold…",
        fix="…what the reviewer checks, how the department corrects it…",
        tables=("B05", "B05U"),
    )
    def b05_b05u(ctx: Context) -> Iterator[Finding]:
        …
        yield from ctx.check_copy(a, b, "分功能科目与分单位")
        yield ctx.finding("…", at=ref)

The engine tells the context which rule runs, so a check never repeats its own id. A check that is the
same for several tables is declared once with ``each``: every id is written out (``grep`` finds it) with
the parameters the check receives; ``{name}`` in the texts becomes the table's Chinese name:

    @rule(each={"SUM-B03-ROW": {"table": "B03"}, "SUM-F03-ROW": {"table": "F03"}}, family="sums", …)
    def row_sums(ctx: Context, table: str) -> Iterator[Finding]: …

The documents a rule applies to default to the kinds its table belongs to (B… budget, F… final).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from cnbudget.domain.catalog import Source, rule_sources, spec_for, table_name
from cnbudget.domain.vocabulary import (
    DOCUMENT_KINDS,
    FAMILIES,
    Basis,
    DocumentKind,
    Family,
    Phase,
    Severity,
)

if TYPE_CHECKING:
    from cnbudget.audit.context import Context
    from cnbudget.audit.findings import Finding

CheckFunction = Callable[..., Iterable["Finding"]]


ValueKind = Literal["amount", "year"]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    family: Family
    severity: Severity
    """The most severe level the rule reports (sum rules also report rounding tails as info)."""
    description: str
    """One line: what holds in a correct document."""
    rationale: str
    """Why it must hold: the identity or the disclosure rule behind it."""
    fix: str
    """What the reviewer checks when it fires, and how the department corrects the document."""
    basis: Basis
    """``identity`` (arithmetic that must hold), ``regulation`` (disclosure rules), ``consistency``."""
    kinds: tuple[DocumentKind, ...]
    """Document kinds the rule applies to."""
    tables: tuple[str, ...]
    """Tables the rule needs; when one is missing the rule could not be evaluated."""
    phase: Phase
    """``after`` rules run once the ``main`` rules are done and read what they recorded."""
    check: Callable[[Context], Iterable[Finding]] = field(compare=False)
    cites: tuple[Source, ...] = ()
    values: ValueKind = "amount"
    """What the findings' expected and actual values are: amounts (万元, two decimals), or years (2025, as
    such: not 2,025.00)."""
    """The provisions the rule rests on (domain/data/rule_sources.toml); every ``regulation`` rule has one."""

    def basis_text(self) -> str:
        """The basis as a reviewer cites it: the provisions, else the identity or the agreement checked."""
        if self.cites:
            return "；".join(source.title for source in self.cites)
        if self.basis == "identity":
            return f"勾稽关系：{self.description}"
        return f"同一文件前后一致：{self.description}"


_RULES: dict[str, Rule] = {}


class NotEvaluable(Exception):
    """Raised by a check when the data it needs is missing or unreadable."""


def _kinds_of(tables: tuple[str, ...]) -> tuple[DocumentKind, ...]:
    kinds: list[DocumentKind] = []
    for table_id in tables:
        try:
            spec_kinds = spec_for(table_id).doc_kinds
        except KeyError:
            continue
        kinds.extend(k for k in DOCUMENT_KINDS if k in spec_kinds and k not in kinds)
    return tuple(kinds) or DOCUMENT_KINDS


def rule(
    rule_id: str | None = None,
    *,
    family: Family,
    description: str,
    rationale: str,
    fix: str,
    severity: Severity = "error",
    basis: Basis = "identity",
    kinds: tuple[DocumentKind, ...] | None = None,
    tables: tuple[str, ...] = (),
    phase: Phase = "main",
    each: Mapping[str, Mapping[str, Any]] | None = None,
    values: ValueKind = "amount",
) -> Callable[[CheckFunction], CheckFunction]:
    """Declare a rule (or, with ``each``, one rule per parameter set) around its check function."""
    if (rule_id is None) == (each is None):
        raise ValueError("declare a rule with an id or with each={id: parameters}, not both")
    if not description or not rationale or not fix:
        raise ValueError(f"rule {rule_id or list(each or {})}: description, rationale and fix are required")

    def register(func: CheckFunction) -> CheckFunction:
        instances = {rule_id: {}} if rule_id is not None else dict(each or {})
        for instance_id, params in instances.items():
            if instance_id in _RULES:
                raise ValueError(f"duplicate rule id {instance_id}")
            needs = tuple(tables) or ((params["table"],) if "table" in params else ())
            names = {**params, "name": table_name(params["table"])} if "table" in params else dict(params)
            _RULES[instance_id] = Rule(
                id=instance_id,
                family=family,
                severity=severity,
                description=description.format(**names),
                rationale=rationale.format(**names),
                fix=fix.format(**names),
                basis=basis,
                kinds=kinds if kinds is not None else _kinds_of(needs),
                tables=needs,
                phase=phase,
                check=partial(func, **params) if params else func,
                cites=rule_sources().get(instance_id, ()),
                values=values,
            )
        return func

    return register


def all_rules() -> list[Rule]:
    """Every built-in rule, by family (in the order of FAMILIES) and id."""
    from cnbudget.audit import rules  # noqa: F401  - importing registers the built-in rules

    return sorted(_RULES.values(), key=lambda r: (FAMILIES.index(r.family), r.id))


def rule_by_id(rule_id: str) -> Rule | None:
    all_rules()
    return _RULES.get(rule_id)
