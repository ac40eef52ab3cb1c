"""The mutation harness on a small sample: perturbed amounts and rows must be caught (≥ 98 %)."""

from __future__ import annotations

import copy

import pytest

from cnbudget.audit import audit
from cnbudget.audit.mutation import Harness, mutate_document
from conftest import seed


@pytest.mark.parametrize("name", ["000", "001", "003", "004"])
def test_perturbations_are_detected(name: str) -> None:
    summary = mutate_document(copy.deepcopy(seed(name)), per_kind=20, seed=7)
    detected, scoped = summary.rate()
    assert scoped >= 40
    assert detected / scoped >= 0.95, [
        o.description for o in summary.outcomes if o.in_scope and not o.detected
    ]
    digits = summary.rate("digit")
    assert digits[0] == digits[1]


def test_harness_restores_the_document() -> None:
    doc = copy.deepcopy(seed("000"))
    before = [(f.rule_id, f.message) for f in audit(doc).findings]
    mutate_document(doc, per_kind=10)
    assert [(f.rule_id, f.message) for f in audit(doc).findings] == before


def test_a_cent_typo_is_an_error_not_a_rounding_tail() -> None:
    doc = copy.deepcopy(seed("000"))
    harness = Harness(doc)
    table = doc.table("B05")
    row = table.row(code="2014150")
    cell = next(c for c in row.cells if c.column == "基本支出/人员经费")
    cell.raw = "666.96"  # 666.95 mistyped by one cent
    cell.value = cell.value + type(cell.value)("0.01")
    report = audit(doc)
    located = [f for f in report.findings if f.rule_id == "SUM-LOCATE-001"]
    assert located and located[0].severity == "error" and "666.95" in located[0].message
    _ = harness
