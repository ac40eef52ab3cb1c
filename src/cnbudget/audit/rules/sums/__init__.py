"""Sums within a table: 合计 = 基本支出 + 项目支出 along a row, units up to departments, B10 groups, and
the one cell that explains several broken sums (run after the others).

Row identities are read off the header tree: in a group of columns, a leading 合计/小计 column is the sum
of the group's other columns (a sub-group counts by its own 小计, or by all its columns when it has none)."""

from cnbudget.audit.rules.sums import (  # noqa: F401
    groups,
    roots,
    rows,
    totals,
)
