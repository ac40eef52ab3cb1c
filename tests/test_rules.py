"""Every rule fires on a fixture with the mistake it looks for, and stays quiet on a clean one."""

from __future__ import annotations

import pytest

from cnbudget.audit import all_rules, audit
from cnbudget.audit.findings import SEVERITY_RANK
from rulecases import CASES, Case, fresh

RULES = {r.id: r for r in all_rules()}


def _at_level(report, case: Case):  # type: ignore[no-untyped-def]
    level = SEVERITY_RANK[RULES[case.rule_id].severity]
    return [f for f in report.findings if f.rule_id == case.rule_id and SEVERITY_RANK[f.severity] >= level]


@pytest.mark.parametrize("case", CASES, ids=[c.rule_id for c in CASES])
def test_rule_fires(case: Case) -> None:
    doc = fresh(case.fire_seed)
    if case.mutate is not None:
        case.mutate(doc)
    report = audit(doc)
    found = _at_level(report, case)
    assert found, (
        f"{case.rule_id} did not fire; outcome: {[o for o in report.outcomes if o.rule_id == case.rule_id]}"
    )
    for finding in found:
        assert finding.message and finding.evidence or case.rule_id.startswith("COMP-")


@pytest.mark.parametrize("case", CASES, ids=[c.rule_id for c in CASES])
def test_rule_quiet_when_clean(case: Case) -> None:
    doc = fresh(case.clean_seed)
    if case.fix is not None:
        case.fix(doc)
    report = audit(doc)
    outcome = next(o for o in report.outcomes if o.rule_id == case.rule_id)
    assert outcome.status == "evaluated", outcome
    assert not _at_level(report, case), [f.message for f in _at_level(report, case)]


def test_every_rule_has_cases() -> None:
    assert {c.rule_id for c in CASES} == set(RULES)
    assert len(RULES) >= 60


def test_catalog_entries_are_complete() -> None:
    for r in RULES.values():
        assert r.description and r.family and r.severity in ("error", "warning", "info") and r.kinds
