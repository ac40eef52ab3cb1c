"""Tables that must agree with each other (DOMAIN.md §4, across tables)."""

from cnbudget.audit.rules.cross_table import (  # noqa: F401
    budget,
    common,
    final,
    funds,
    three_public,
    totals,
)
