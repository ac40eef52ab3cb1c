"""Documents that are not disclosures, truncated, or damaged: a clear message or warnings, never a wrong number."""

from decimal import Decimal
from pathlib import Path

import pytest

import cnbudget
from cnbudget.domain.errors import InputError
from support.paths import FIXTURES

SEEDS = FIXTURES / "seeds"


def test_text_that_is_not_a_disclosure() -> None:
    with pytest.raises(InputError, match="不是预算或决算公开文件"):
        cnbudget.parse_text("今天天气很好。\n我们去公园散步，看到了很多花。\n" * 20, "notes.txt")


def test_truncated_document_gives_a_partial_model_with_warnings() -> None:
    text = (SEEDS / "000_37ad2aea713753bc.txt").read_text("utf-8")
    lines = text.splitlines()
    cut = next(i for i, line in enumerate(lines) if line.strip() == "支出总表" and i > 100)
    doc = cnbudget.parse_text("\n".join(lines[: cut + 12]), "truncated.txt")
    assert doc.table("B01") is not None and doc.table("B02") is not None
    missing = {w.message.split()[0] for w in doc.warnings if w.code == "missing-table"}
    assert {"B04", "B05", "B06", "B07"} <= missing
    assert any(w.code == "truncated" for w in doc.warnings)


def test_table_with_a_missing_header_column() -> None:
    text = (SEEDS / "000_37ad2aea713753bc.txt").read_text("utf-8")
    damaged = text.replace(
        "⇥小计⇥人员经费⇥公用经费⇥".replace("⇥", "\t"), "\t小计\t人员经费\t".replace("⇥", "\t"), 1
    )
    damaged = damaged.replace(
        "科目编码\t科目名称\t合计\t基本支出\t\t\t项目支出",
        "科目编码\t科目名称\t合计\t基本支出\t\t项目支出",
        1,
    )
    doc = cnbudget.parse_text(damaged, "damaged.txt")
    b05 = doc.table("B05")
    assert b05.status == "partial"
    assert any("各行有 5 个金额" in w for w in b05.warnings)
    assert any(w.table == "B05" for w in doc.warnings)
    row = b05.row(code="2014150")  # the amounts stay under their own columns
    assert row.value("基本支出/公用经费") == Decimal("134.77") and row.value("项目支出") == Decimal("0.00")


REPRO = FIXTURES / "repro"


@pytest.mark.parametrize("path", sorted(REPRO.glob("*.txt")), ids=lambda p: p.stem)
def test_inputs_that_crashed_give_a_report(path: Path) -> None:
    """One-line damages that once crashed the parser or a rule (IndexError): now a report."""
    from cnbudget.audit import audit

    report = audit(cnbudget.parse_file(path))
    assert report.outcomes and all(
        o.status in ("evaluated", "not_applicable", "not_evaluated") for o in report.outcomes
    )
