"""The real-document narrative mutation harness (benchmarks/narrative_mutation.py): each kind of change is
made where the document's own words let a reader see it, edits the lines as read (a PDF keeps its tables),
and only a new finding on the changed place counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cnbudget.model import NarrativeClaim
from cnbudget.read import read_path
from support.harness.narrative_mutation import (
    NARRATIVE_KINDS,
    NarrativeHarness,
    _Change,
    _rate_range,
    _ratio_range,
    mutate_narrative,
)
from support.paths import FIXTURES

NATIONAL = FIXTURES / "national"


@pytest.fixture(scope="module")
def suzhou() -> NarrativeHarness:
    path = NATIONAL / "js-suzhou-audit-2026-budget-dept.pdf"
    return NarrativeHarness(read_path(path), path.name)


def test_every_kind_finds_places_and_changes_only_narrative_lines(suzhou: NarrativeHarness) -> None:
    narrative = {n for s in suzhou.doc.narrative for _, n, _ in s.line_starts}
    for kind in ("rate", "direction", "repeated", "class_name", "share", "total"):
        changes = list(getattr(suzhou, kind)())
        assert changes, kind
        for change in changes[:5]:
            assert set(change.edits) <= narrative | {n + k for n in narrative for k in range(4)}, kind
            assert all(suzhou.text(n) != new for n, new in change.edits.items()), change.description


def test_the_changes_are_found_on_a_real_document(suzhou: NarrativeHarness) -> None:
    summary = mutate_narrative(suzhou.source, suzhou.name, per_kind=2)
    made = {kind: summary.rate(kind) for kind in NARRATIVE_KINDS}
    assert all(n == 2 for _, n in made.values()), made
    assert all(d == n for d, n in made.values()), [o for o in summary.outcomes if not o.detected]


def test_a_change_no_rule_reads_is_not_found(suzhou: NarrativeHarness) -> None:
    """Only a new finding on the changed place counts: a changed cover line is not 'found' because some other
    finding moved."""
    title = next(line for line in suzhou.source.lines if line.text.strip())
    outcome = suzhou._try(_Change("rate", title.number, {title.number: title.text + "（草稿）"}, "test"))  # noqa: SLF001
    assert not outcome.detected


def test_in_scope_only_beyond_what_rounding_allows() -> None:
    """西安: 59.30万元, 较上年增加41.70万元, 增长236.93% — the printed figures allow 236.77%–237.10%, so 236.83%
    is no mistake anyone could see; a share of 10 in 10.00 is 99.90%–100.10%."""
    claim = NarrativeClaim(
        "机关资本性支出", Decimal("59.30"), "万元", "59.30万元", change_amount=Decimal("41.70"),
        change_pct=Decimal("236.93"),
    )  # fmt: skip
    low, high = _rate_range(claim)
    assert low < Decimal("236.83") < high and high < Decimal("237.2")
    low, high = _ratio_range(Decimal("10.00"), Decimal("10.00"))
    assert low < 100 < high and high - low < Decimal("0.21")
