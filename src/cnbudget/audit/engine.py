"""Run every applicable rule and report what was checked, what was not, and what was found."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from cnbudget.audit.context import Context, Identity, fmt
from cnbudget.audit.findings import SEVERITY_RANK, Finding
from cnbudget.audit.registry import NotEvaluable, Rule, all_rules, rule
from cnbudget.audit.tolerance import precision
from cnbudget.domain.catalog import table_name
from cnbudget.model import Document


@dataclass(slots=True)
class RuleOutcome:
    rule_id: str
    status: str
    """``evaluated``, ``not_applicable`` (wrong document kind) or ``not_evaluated`` (data missing)."""
    reason: str = ""
    findings: int = 0


@dataclass(slots=True)
class AuditReport:
    document: Document
    findings: list[Finding] = field(default_factory=list)
    outcomes: list[RuleOutcome] = field(default_factory=list)
    identities: list[Identity] = field(default_factory=list)
    """Every arithmetic relation checked, with its cells and residual (for coverage and the mutation harness)."""

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def worst(self) -> str | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: SEVERITY_RANK[s])

    def reaches(self, threshold: str) -> bool:
        """True when some finding is at least as severe as ``threshold`` (error, warning; never = False)."""
        if threshold == "never":
            return False
        return any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold] for f in self.findings)


LOCATE_RULE = "SUM-LOCATE-001"
OCR_NOTE = "（所涉数值由 OCR 从扫描页识别，需人工复核）"


@rule(
    LOCATE_RULE,
    "sums",
    "error",
    "单个单元格同时使多个勾稽关系相差同一数额：录入错误而非尾差；仅差末位一个单位时为警告（在其他规则之后运行）",
)
def _locate_placeholder(ctx: Context) -> Iterator[Finding]:
    """Runs after every other rule, over the identities they recorded (see `locate`)."""
    return iter(locate(ctx.identities))


def audit(doc: Document, rules: list[Rule] | None = None) -> AuditReport:
    # like parsing, auditing allocates many small objects and no cycles: the cyclic GC only adds pauses
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _audit(doc, rules)
    finally:
        if collecting:
            gc.enable()


def _audit(doc: Document, rules: list[Rule] | None) -> AuditReport:
    ctx = Context(doc)
    report = AuditReport(document=doc)
    for r in rules if rules is not None else all_rules():
        if r.id == LOCATE_RULE:
            continue
        if ctx.kind and ctx.kind not in r.kinds:
            report.outcomes.append(RuleOutcome(r.id, "not_applicable", f"applies to {', '.join(r.kinds)}"))
            continue
        missing = [t for t in r.tables if ctx.table(t) is None]
        if missing:
            report.outcomes.append(RuleOutcome(r.id, "not_evaluated", f"missing {', '.join(missing)}"))
            continue
        try:
            found = list(r.check(ctx))
        except NotEvaluable as exc:
            report.outcomes.append(RuleOutcome(r.id, "not_evaluated", str(exc)))
            continue
        report.findings.extend(found)
        report.outcomes.append(RuleOutcome(r.id, "evaluated", "", len(found)))
    report.identities = ctx.identities
    located = list(_locate_placeholder(ctx))
    report.findings.extend(located)
    report.outcomes.append(RuleOutcome(LOCATE_RULE, "evaluated", "", len(located)))
    for finding in report.findings:
        if any(e.ocr for e in finding.evidence):
            finding.message += OCR_NOTE
    report.findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.lines[0] if f.lines else 0, f.rule_id))
    return report


def locate(identities: list[Identity]) -> list[Finding]:
    """A single cell that alone explains several small differences is a typo, not rounding.

    Rounding tails scatter over totals; a mistyped cell shifts every identity it takes part in by the
    same amount. When every identity containing one cell misses by an amount that the same correction
    of that cell would repair, and at least two do, the cell is reported. A correction of more than one
    unit of the last printed digit is an error. A correction of exactly one unit is a warning: it is also
    what rounding leaves when that cell's unrounded value ends in a half (348.375 printed 348.38 while
    the totals were rounded from the unrounded figures), so the reviewer must look at the source.
    """
    by_cell: dict[tuple[str, int, str], list[tuple[Identity, int]]] = defaultdict(list)
    for identity in identities:
        for key, coef in identity.terms:
            by_cell[key].append((identity, coef))
    findings = []
    reported: set[int] = set()
    for key, memberships in by_cell.items():
        failing = [(i, c) for i, c in memberships if i.residual != 0]
        if len(failing) < 2 or len(failing) != len(memberships):
            continue
        if all(i.finding is not None and i.finding.severity == "error" for i, _ in failing):
            continue  # already reported as broken identities
        corrections = {-(i.residual / c) for i, c in failing}
        if len(corrections) != 1:
            continue
        group = frozenset(id(i) for i, _ in failing)
        if hash(group) in reported:
            continue
        reported.add(hash(group))
        correction = corrections.pop()
        ref = next(r for r in failing[0][0].refs if r.key == key)
        value = ref.value
        expected = value + correction if value is not None else None
        rules = sorted({i.rule_id for i, _ in failing})
        one_unit = abs(correction) <= precision([value])
        findings.append(
            Finding(
                rule_id=LOCATE_RULE,
                severity="warning" if one_unit else "error",
                message=(
                    f"{table_name(ref.table.id)} {ref.describe()} {ref.column}：{fmt(value)} 使 {len(failing)} 个勾稽关系"
                    f"（{'、'.join(rules)}）同时相差 {fmt(-correction)}；若为 {fmt(expected)} 则全部相符，"
                    + (
                        "可能是录入错误，也可能是该数未四舍五入前恰为半分所致，请核对原始数据"
                        if one_unit
                        else "应为录入错误而非尾差"
                    )
                ),
                table=ref.table.id,
                row_code=ref.row.code,
                row_label=ref.row.label,
                column=ref.column,
                expected=expected,
                actual=value,
                difference=-correction if value is not None else None,
                evidence=[
                    ref.evidence("suspect"),
                    *(e for i, _ in failing if i.finding for e in i.finding.evidence[:1]),
                ],
            )
        )
    return findings
