"""The five seed documents and the fixtures beside them, parsed once per test session."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import cnbudget
from cnbudget.model import Document
from support.paths import FIXTURES

SEEDS = FIXTURES / "seeds"
SEED_FILES = {
    "000": SEEDS / "000_37ad2aea713753bc.txt",  # 武汉市信息中心 2026 budget, tab-separated
    "001": SEEDS / "001_825a62496bc4820b.txt",  # 武昌区大数据中心 2024 budget, space-separated
    "002": SEEDS / "002_259adb099584b024.txt",  # 武汉市工业信息化中心 2026 unit budget, tab-separated
    "003": SEEDS / "003_2869a1c1e51113ab.txt",  # 武汉市数据局 2024 final accounts, tab-separated
    "004": SEEDS / "004_3af882b25fa8e580.txt",  # 硚口区经信局 2026 budget, Markdown pipe tables
}
PDF = FIXTURES / "pdf"


@cache
def seed(name: str) -> Document:
    """A seed, parsed once (tests that change it take a deep copy)."""
    return cnbudget.parse_file(SEED_FILES[name])


def cell(
    doc: Document, table: str, code: str = "", label: str = "", column: str = "", side: str | None = None
) -> Decimal | None:
    """The value of one cell, found by table, row code or label, and column."""
    t = doc.table(table)
    assert t is not None, f"{table} missing"
    row = t.row(code=code, label=label, side=side)
    assert row is not None, f"{table} row {code or label} missing"
    for c in row.cells:
        if c.column == column:
            return c.value
    return None
