"""Run every applicable rule and report what was checked, what was not, and what was found.

Rules run phase by phase (`Phase`): the ``main`` rules first, then the ``after`` rules, which read what
the main rules recorded (the identities they checked). Before each check the engine tells the context
which rule runs; a check that lacks data raises `NotEvaluable` and is reported as not evaluated.

A review profile (`AuditProfile`) turns rules off (reported as not evaluated, disabled by the profile),
reports a rule's findings at another level, and sets the rounding the identities accept.
"""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass, field

from cnbudget.audit.context import Context, Identity
from cnbudget.audit.findings import Finding
from cnbudget.audit.profile import AuditProfile
from cnbudget.audit.registry import NotEvaluable, Rule, all_rules
from cnbudget.audit.tolerance import DEFAULT_TOLERANCE
from cnbudget.domain.i18n import t
from cnbudget.domain.vocabulary import PHASES, SEVERITY_RANK, RuleStatus, Severity, kind_label
from cnbudget.model import Document


@dataclass(slots=True)
class RuleOutcome:
    rule_id: str
    status: RuleStatus
    """``evaluated``, ``not_applicable`` (wrong document kind) or ``not_evaluated`` (data missing)."""
    reason: str = ""
    findings: int = 0
    disabled: bool = False
    """Not evaluated because the review profile turned the rule off."""


@dataclass(slots=True)
class AuditReport:
    document: Document
    findings: list[Finding] = field(default_factory=list)
    outcomes: list[RuleOutcome] = field(default_factory=list)
    identities: list[Identity] = field(default_factory=list)
    """Every arithmetic relation checked, with its cells and residual (for coverage and the mutation harness)."""
    profile: AuditProfile | None = None
    """The review profile the audit followed (None: the built-in practice)."""

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def worst(self) -> Severity | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: SEVERITY_RANK[s])

    def reaches(self, threshold: Severity | None) -> bool:
        """True when some finding is at least as severe as ``threshold`` (None: never)."""
        if threshold is None:
            return False
        return any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold] for f in self.findings)


OCR_NOTE = "（所涉数值由 OCR 从扫描页识别，需人工复核）"


def audit(doc: Document, rules: list[Rule] | None = None, profile: AuditProfile | None = None) -> AuditReport:
    """Run ``rules`` (default: all built-in rules) on ``doc``, following ``profile`` when one is given."""
    # like parsing, auditing allocates many small objects and no cycles: the cyclic GC only adds pauses
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _audit(doc, rules, profile)
    finally:
        if collecting:
            gc.enable()


def _audit(doc: Document, rules: list[Rule] | None, profile: AuditProfile | None) -> AuditReport:
    ctx = Context(doc, profile.tolerance if profile is not None else DEFAULT_TOLERANCE)
    report = AuditReport(document=doc, profile=profile)
    selected = rules if rules is not None else all_rules()
    for phase in PHASES:
        ctx.earlier = list(report.findings)  # what the rules of the phases before found
        for r in selected:
            if r.phase != phase:
                continue
            if profile is not None and not profile.enabled(r.id):
                reason = t("已被审核配置停用", "disabled by the review profile")
                report.outcomes.append(RuleOutcome(r.id, "not_evaluated", reason, disabled=True))
                continue
            report.outcomes.append(_run(ctx, r, report.findings, profile))
    ctx.rule = None
    report.identities = ctx.identities
    folded = {id(r) for f in report.findings for r in f.related}
    report.findings = [f for f in report.findings if id(f) not in folded]
    for finding in report.findings:
        if any(e.ocr for e in finding.evidence):
            finding.message += OCR_NOTE
            finding.needs_review = True
    report.findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.lines[0] if f.lines else 0, f.rule_id))
    seen: Counter[str] = Counter()
    for finding in report.findings:  # one key per finding, for the decisions that follow it
        finding.occurrence = seen[finding.place_key]
        seen[finding.place_key] += 1
    return report


def _run(ctx: Context, r: Rule, findings: list[Finding], profile: AuditProfile | None = None) -> RuleOutcome:
    if ctx.kind and ctx.kind not in r.kinds:
        kinds = t("、", ", ").join(kind_label(k) for k in r.kinds)
        return RuleOutcome(r.id, "not_applicable", t(f"只适用于{kinds}", f"applies to {kinds} only"))
    missing = [table_id for table_id in r.tables if ctx.table(table_id) is None]
    if missing:
        return RuleOutcome(r.id, "not_evaluated", t("；", "; ").join(ctx.absence(m) for m in missing))
    ctx.rule = r
    ctx.passed_over = []
    try:
        found = list(r.check(ctx))
    except NotEvaluable as exc:
        return RuleOutcome(r.id, "not_evaluated", str(exc))
    if profile is not None:
        for finding in found:
            profile.adjust(finding, r)
    findings.extend(found)
    # where the rule's premises did not hold it did not judge: said, not hidden (partly evaluated)
    return RuleOutcome(r.id, "evaluated", t("；", "; ").join(ctx.passed_over), len(found))
