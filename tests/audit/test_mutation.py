"""The mutation harness on a small sample: perturbed amounts and rows must be caught (≥ 98 %)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from cnbudget.audit import audit
from cnbudget.audit.findings import Finding
from cnbudget.model import Document
from support.harness.mutation import mutate_document
from support.seeds import seed


@pytest.mark.parametrize("name", ["000", "001", "003", "004"])
def test_perturbations_are_detected(name: str) -> None:
    summary = mutate_document(copy.deepcopy(seed(name)), per_kind=20, seed=7)
    detected, scoped = summary.rate()
    assert scoped >= 40
    assert detected / scoped >= 0.95, [
        o.description for o in summary.outcomes if o.in_scope and not o.detected
    ]
    # every changed digit is caught, except a one-cent shift that rounding could also explain (a warning)
    missed = [o for o in summary.outcomes if o.kind == "digit" and o.in_scope and not o.detected]
    assert all(_shift(o.description) == Decimal("0.01") for o in missed), [o.description for o in missed]


def _shift(description: str) -> Decimal:
    old, new = description.rsplit(": ", 1)[1].replace(",", "").split(" → ")
    return abs(Decimal(new) - Decimal(old))


def test_harness_restores_the_document() -> None:
    doc = copy.deepcopy(seed("000"))
    before = [(f.rule_id, f.message) for f in audit(doc).findings]
    mutate_document(doc, per_kind=10)
    assert [(f.rule_id, f.message) for f in audit(doc).findings] == before


def _located(cents: str) -> list[Finding]:
    return [f for f in audit(_mutated_by(cents)).findings if f.rule_id == "SUM-LOCATE-001"]


def test_a_one_cent_shift_of_one_cell_is_located_as_a_warning() -> None:
    # one cent is also what rounding leaves when the unrounded value ends in a half: not proven wrong
    located = _located("0.01")
    assert [f.severity for f in located] == ["warning"] and "666.96" in located[0].message


def test_a_larger_shift_is_an_error_or_breaks_the_identities_themselves() -> None:
    doc = copy.deepcopy(seed("000"))
    row = doc.table("B01").row(label="四、科学技术支出", side="支出")
    cell = next(c for c in row.cells if c.column == "支出/预算数")
    cell.value = cell.value + Decimal("0.03")
    cell.raw = str(cell.value)
    located = [f for f in audit(doc).findings if f.rule_id == "SUM-LOCATE-001"]
    assert [f.severity for f in located] == ["error"] and located[0].difference == Decimal("0.03")
    errors = {f.rule_id for f in audit(_mutated_by("0.02")).findings if f.severity == "error"}
    assert errors and errors != {"SUM-LOCATE-001"}


def _mutated_by(cents: str) -> Document:
    """B05 2014150 基本支出/人员经费 666.95 mistyped."""
    doc = copy.deepcopy(seed("000"))
    row = doc.table("B05").row(code="2014150")
    cell = next(c for c in row.cells if c.column == "基本支出/人员经费")
    cell.value = cell.value + Decimal(cents)
    cell.raw = str(cell.value)
    return doc
