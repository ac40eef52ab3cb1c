"""The narrative (情况说明) against the tables and against arithmetic.

Every amount whose subject is a table figure must equal it; every share and change must recompute;
the prior-year figure a change implies must agree wherever it is implied; years must be this year's.
Arithmetic on printed figures uses intervals: "55.1" stands for 55.05–55.15, so a percentage is
accepted when some value consistent with the printed inputs gives the printed percentage."""

from cnbudget.audit.rules.narrative import (  # noqa: F401
    amounts,
    changes,
    common,
    names,
    parts,
    purposes,
    shares,
    statements,
    years,
)
