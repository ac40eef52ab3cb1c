"""The real documents end to end, held against what is known of them (tests/fixtures/corpus/expectations.toml).

Every document of the corpus (Shanghai district and Jiangsu provincial budgets), the five seeds and the PDF
fixtures is read, parsed and audited as `benchmarks/real_documents.py` does: its metadata must be right,
its template's tables found, every real error recorded for it (checked by hand, with the document's words)
reported, and no other error-level finding made. A false error here is a defect of cnbudget.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from support.paths import FIXTURES, ROOT

_PATH = ROOT / "benchmarks" / "real_documents.py"
_SPEC = importlib.util.spec_from_file_location("real_documents", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
real_documents = importlib.util.module_from_spec(_SPEC)
sys.modules["real_documents"] = real_documents
_SPEC.loader.exec_module(real_documents)

DOCUMENTS = real_documents.expectations()


def test_every_corpus_file_is_a_declared_document() -> None:
    corpus = FIXTURES / "corpus"
    declared = {f.name for e in DOCUMENTS for f in e.files}
    assert {p.name for p in corpus.glob("*.pdf")} <= declared
    national = FIXTURES / "national"
    assert {p.name for p in national.iterdir() if p.suffix in (".pdf", ".xlsx", ".docx")} <= declared


TUNED = [e for e in DOCUMENTS if e.part != "validation"]
VALIDATION = [e for e in DOCUMENTS if e.part == "validation"]


@pytest.mark.parametrize("expected", TUNED, ids=[e.name for e in TUNED])
def test_read_as_known(expected) -> None:  # type: ignore[no-untyped-def]
    result = real_documents.compare(expected, real_documents.run(expected))
    assert result.outcome == "ok", result.message
    assert result.problems == []
    # the recorded errors are the document's: each has the words that prove it
    assert all(k.get("quote") for k in expected.errors)


@pytest.mark.parametrize("expected", VALIDATION, ids=[e.name for e in VALIDATION])
def test_validation_documents_read(expected) -> None:  # type: ignore[no-untyped-def]
    """The validation cities are not tuned on: their findings are the benchmark's figure, not a test's. What
    must hold on them as on every document: read without a crash, and the metadata (from the covers) right."""
    result = real_documents.compare(expected, real_documents.run(expected))
    assert result.outcome == "ok", result.message
    metadata = [
        p for p in result.problems if p.split()[0] in ("organisation", "year", "kind", "scope", "template")
    ]
    assert metadata == []


def test_validation_is_a_third_of_the_national_cities() -> None:
    cities = {e.city for e in DOCUMENTS if e.part in ("development", "validation")}
    held = {e.city for e in VALIDATION}
    assert len(cities) == 15 and len(held) == 5
    assert held == real_documents.validation_cities(cities)
    assert not held & {e.city for e in TUNED}


CORPUS = FIXTURES / "corpus"


def test_figures_read_off_the_pages() -> None:
    """Cells and sentences the readers once got wrong, as printed on the page."""
    from decimal import Decimal

    import cnbudget

    court = cnbudget.parse_file(CORPUS / "js-court-2017-budget-dept.pdf")
    b06 = court.table("B06")
    assert b06 is not None
    # p.16 opens with this row and no rule above it: the grid continues from p.15
    electricity = b06.row(code="30206")
    assert (electricity.label, electricity.cells[0].value, electricity.cells[0].page) == (
        "电费",
        Decimal("235.00"),
        16,
    )
    wanli = cnbudget.parse_file(CORPUS / "shpt-wanli-2024-budget-dept.pdf")
    b06 = wanli.table("B06")
    assert b06 is not None
    # p.29 prints 款 in its own column without the leading zero: "301 | 2 | 津贴补贴"
    assert b06.row(code="30102").label == "津贴补贴" and b06.row(code="30107").label == "绩效工资"
    npc = cnbudget.parse_file(CORPUS / "js-npc-2018-budget-dept.pdf")
    # "因公出国（境）费支出222.5" ends p.27 above its page number 27; "万元，占…" starts p.28
    abroad = [c for c in npc.claims if c.subject.startswith("因公出国（境）费支出") and c.share_pct]
    assert [(c.amount, c.share_pct, c.share_base) for c in abroad] == [
        (Decimal("222.5"), Decimal("26.69"), "“三公”经费")
    ]


def test_a_table_ends_where_running_text_begins() -> None:
    """Shanghai prints its 其他相关情况说明 after the last table (p.21): that text and the project forms
    after it are narrative and forms, not rows of the 三公 table above them."""
    import cnbudget

    doc = cnbudget.parse_file(CORPUS / "shpt-govoffice-2025-budget-dept.pdf")
    b07 = doc.table("B07")
    assert b07 is not None and len(b07.rows) == 1 and b07.status == "ok"
    headings = [s.heading for s in doc.narrative]
    assert "一、2025年“三公”经费预算情况说明" in headings
    car = [c for c in doc.claims if c.subject == "公务用车运行费"]
    assert [c.amount for c in car] == [0]  # "公务用车运行费0万元", as B07 leaves it blank
    wanli = cnbudget.parse_file(CORPUS / "shpt-wanli-2023-budget-dept.pdf")
    assert len(wanli.table("B07").rows) == 1  # type: ignore[union-attr]


TEXT_TWINS = [
    "js-npc-2018-budget-dept", "js-procuratorate-2019-budget-dept", "js-cpcoffice-2019-budget-dept",
    "shpt-wanli-2024-budget-dept", "shpt-govoffice-2025-budget-unit", "putuo-planning-resources-2024-final",
]  # fmt: skip


@pytest.mark.parametrize("name", TEXT_TWINS)
def test_a_text_conversion_of_the_pdf_is_audited_alike(name: str) -> None:
    """The same disclosure as a tab-separated text conversion (no pages, no boxes): the same tables and the
    same error-level findings as its PDF (page numbers inside sentences are recognised without pages)."""
    from cnbudget.audit import audit
    from cnbudget.parse import parse_bundle, parse_text
    from cnbudget.read import read_bundle

    expected = next(e for e in DOCUMENTS if e.name == name)
    text = "\n".join(line.text for line in read_bundle(list(expected.files)).lines)
    as_pdf, as_text = parse_bundle(list(expected.files)), parse_text(text, name)
    assert sorted(t.id for t in as_text.tables) == sorted(t.id for t in as_pdf.tables)

    def errors(doc):  # type: ignore[no-untyped-def]
        # the same places: a PDF names the page (第 7 页), its text conversion the line (第 104 行)
        return sorted(
            (f.rule_id, f.message.split("：")[0], f.lines)
            for f in audit(doc).findings
            if f.severity == "error"
        )

    def unplaced(found):  # type: ignore[no-untyped-def]
        return [
            (rule, re.sub(r"(提取文本)?第 \d+ [页行]", "第 · ", head), lines) for rule, head, lines in found
        ]

    assert unplaced(errors(as_text)) == unplaced(errors(as_pdf))
