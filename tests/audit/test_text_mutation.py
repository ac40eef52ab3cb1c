"""The text mutation harness (benchmarks/text_mutation.py): each kind of change is made where the audit can
judge it, changes exactly one line, and a change the rules catch is counted as detected."""

from __future__ import annotations

from support.harness.text_mutation import TEXT_KINDS, TextHarness, mutate_text
from support.seeds import SEED_FILES


def test_each_change_is_one_line_at_a_judged_place() -> None:
    text = SEED_FILES["003"].read_text("utf-8")
    harness = TextHarness(text, str(SEED_FILES["003"]))
    lines = text.split("\n")
    for kind in TEXT_KINDS:
        for number, new_line, description in list(getattr(harness, kind)())[:5]:
            assert new_line != lines[number - 1], (kind, description)
            assert "\n" not in new_line


def test_changes_are_detected_on_a_seed() -> None:
    summary = mutate_text(SEED_FILES["003"].read_text("utf-8"), str(SEED_FILES["003"]), per_kind=3)
    for kind in ("direction", "year", "punctuation", "name", "amount"):
        detected, made = summary.rate(kind)
        assert made > 0, kind
        assert detected == made, [o for o in summary.outcomes if o.kind == kind and not o.detected]


def test_a_change_nothing_checks_is_not_detected() -> None:
    """The harness does not count any new finding anywhere: only one on the changed line."""
    text = SEED_FILES["002"].read_text("utf-8")
    harness = TextHarness(text, str(SEED_FILES["002"]))
    title_line = 3  # 武汉市工业信息化中心 2026 年单位预算: a cover line no rule reads word by word
    outcome = harness._try("punctuation", title_line, harness.lines[title_line - 1] + "，", "test")  # noqa: SLF001
    assert not outcome.detected
