"""Built-in rules; importing this package registers them."""

from cnbudget.audit.rules import (  # noqa: F401
    completeness,
    consistency,
    cross_table,
    duplicates,
    hierarchy,
    narrative,
    performance,
    sums,
    two_sided,
    wording,
)
