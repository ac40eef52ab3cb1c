"""Which standard table a region is, when its title leaves a choice: by what its rows contain.

A title says what a table shows (`domain.catalog.match_title`); where it does not say how the rows are
classified ("一般公共预算支出情况表": by function, by unit or by economic class?), the rows do: function codes
(201, 20101, 2010101), economic codes (301, 30101) or their names, unit codes (157003), project names under
a 项目名称 header. The document's kind (预算/决算) chooses between a budget table and its final-account
counterpart.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from cnbudget.domain.catalog import spec_for
from cnbudget.domain.codes import economic_codes
from cnbudget.domain.text import compact, plain_label
from cnbudget.read import Line

_CODE = re.compile(r"^(\d{3})(?:\s*(\d{2}))?(?:\s*(\d{2}))?$")
_UNIT_CODE = re.compile(r"^\d{6}$")
ROWS_READ = 40
"""How many lines of a region are read to tell its rows' classification."""


@dataclass(slots=True)
class RowEvidence:
    """What the first rows of a region are classified by."""

    counts: Counter[str] = field(default_factory=Counter)

    @property
    def by(self) -> str:
        """function, economic, unit, project, or "" when the rows do not say."""
        if not self.counts:
            return ""
        found, n = self.counts.most_common(1)[0]
        return found if n >= 2 or len(self.counts) == 1 else ""


def _economic_names() -> frozenset[str]:
    return frozenset(economic_codes().values())


def row_evidence(lines: list[Line]) -> RowEvidence:
    evidence = RowEvidence()
    economic = _economic_names()
    for line in lines[:ROWS_READ]:
        cells = [c.strip() for c in line.cells] if line.cells is not None else line.stripped.split()
        cells = [c for c in cells if c]
        if not cells:
            continue
        head = compact(" ".join(cells[:3]))
        if any(compact(c) in ("项目名称", "项目") for c in cells[:3]) and line.cells is not None:
            evidence.counts["project"] += 1
            continue
        first = cells[0]
        code = _CODE.match(first)
        if code is not None and not head.startswith(("合计", "总计")):
            klass = code.group(1)
            if klass.startswith("2"):
                evidence.counts["function"] += 1
            elif klass[0] in "35":
                evidence.counts["economic"] += 1
            continue
        if _UNIT_CODE.match(first):
            evidence.counts["unit"] += 1
            continue
        label = plain_label(compact(first))
        if label in economic:
            evidence.counts["economic"] += 1
    return evidence


def choose(candidates: tuple[str, ...], lines: list[Line], kind: str = "") -> str:
    """The table among ``candidates`` (from the title) that the region's rows and the document's kind fit."""
    fitting = [c for c in candidates if not kind or kind in spec_for(c).doc_kinds] or list(candidates)
    if len(fitting) == 1:
        return fitting[0]
    by = row_evidence(lines).by
    for candidate in fitting:
        if by and spec_for(candidate).rows_by == by:
            return candidate
    return fitting[0]
