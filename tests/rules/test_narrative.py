"""Rules of the family narrative (说明与报表一致): each fires on a seed with the mistake it looks for and stays
quiet on a clean one."""

from __future__ import annotations

import copy
from decimal import Decimal

from cnbudget.model import Document
from support.rulecases import Case, assert_fires, assert_quiet, cases_of, claim


def _share(doc: Document) -> None:
    claim(doc, "一般公共预算财政拨款收入", "5357.53").share_pct = Decimal("80.55")


def _prior(doc: Document) -> None:
    first = claim(doc, "收支总预算")
    other = copy.deepcopy(first)
    other.change_amount, other.change_pct, other.line = Decimal("-58.12"), Decimal("-6.95"), 600
    doc.narrative[-1].claims.append(other)


def _prior_b11(doc: Document) -> None:
    b11 = next(p for p in doc.performance if p.id == "B11")
    fund = next(f for f in b11.funds if f.label == "合计")
    fund.others[-1] = Decimal("4000.00")


def _parts(doc: Document) -> None:
    claim(doc, "货物类").amount = Decimal("122.99")


def _project_claim(doc: Document) -> None:
    claim(doc, "一体化数字资源服务采购项目", "569.20").amount = Decimal("579.20")


def _fix_completion(doc: Document) -> None:
    next(c for c in doc.claims if c.completion_pct == Decimal("78.0")).completion_pct = Decimal("77.9")


CASES = [
    Case("NARR-AMOUNT-001", "000", None, "002"),
    Case("NARR-SHARE-001", "000", _share, "000"),
    Case("NARR-CHANGE-001", "000", None, "002"),
    Case("NARR-PRIOR-001", "002", _prior, "002"),
    Case("NARR-PRIOR-002", "000", _prior_b11, "000"),
    Case("NARR-YEAR-001", "001", None, "000"),
    Case("NARR-YEAR-002", "000", None, "002"),
    Case("NARR-COMPLETION-001", "003", None, "003", fix=_fix_completion),
    Case("NARR-PARTS-001", "000", _parts, "000"),
    Case("NARR-PROJECT-001", "000", _project_claim, "000"),
]


@cases_of(CASES)
def test_fires(case: Case) -> None:
    assert_fires(case)


@cases_of(CASES)
def test_quiet_when_clean(case: Case) -> None:
    assert_quiet(case)
