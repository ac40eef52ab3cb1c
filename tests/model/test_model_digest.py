"""The digest the format tests compare: it sees what a reviewer reads and ignores where it was printed."""

from __future__ import annotations

import copy
from decimal import Decimal

from support.digest import digest_differences, model_digest
from support.seeds import seed


def test_places_are_not_compared_but_what_is_printed_is() -> None:
    original = seed("000")
    moved = copy.deepcopy(original)
    for table in moved.performance:
        table.first_line += 7
        for indicator in table.indicators:
            indicator.line += 7
    for claim in moved.claims:
        claim.line, claim.page = claim.line + 7, 3
    assert digest_differences(model_digest(original), model_digest(moved)) == []

    changed = copy.deepcopy(original)
    indicator = changed.performance[0].indicators[1]
    assert indicator.target is not None
    indicator.basis = indicator.basis + "历史标准"
    changed.claims[0].amount = Decimal("1")
    differences = digest_differences(model_digest(original), model_digest(changed))
    assert [d.split(":")[0] for d in differences] == [
        "performance[0].indicators[1].basis",
        "claims[0].amount",
    ]


def test_a_missing_item_is_named_once() -> None:
    original = seed("004")
    shorter = copy.deepcopy(original)
    del shorter.performance[1].funds[0]
    differences = digest_differences(model_digest(original), model_digest(shorter))
    assert differences == [
        f"performance[1].funds[0] only in the text: {model_digest(original)['performance'][1]['funds'][0]!r}"
    ]
