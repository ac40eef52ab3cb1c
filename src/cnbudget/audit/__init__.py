"""Audit: rules in a registry check a parsed document the way a careful finance-bureau reviewer would."""

from cnbudget.audit.engine import AuditReport, RuleOutcome, audit
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import Rule, all_rules

__all__ = ["AuditReport", "Evidence", "Finding", "Rule", "RuleOutcome", "all_rules", "audit"]
