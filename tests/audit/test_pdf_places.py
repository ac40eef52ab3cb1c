"""For a PDF the place of a finding is its page (第 N 页), in every report and in the messages; the lines of
the extracted text are at most a secondary detail. Pages are checked against the reader's own page of each
line, not against the reports."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook

import cnbudget
from cnbudget.audit import AuditReport, audit
from cnbudget.read import read_path
from support.cli import invoke as cli
from support.paths import FIXTURES

PDFS = FIXTURES / "pdf"
PUTUO = PDFS / "putuo-planning-resources-2024-final.pdf"
TEMPLATE = PDFS / "national-final-accounts-template.pdf"


@cache
def report(path: Path) -> AuditReport:
    return audit(cnbudget.parse_file(path))


@cache
def line_pages(path: Path) -> dict[int, int | None]:
    return {line.number: line.page for line in read_path(path).lines}


@pytest.mark.parametrize("path", [PUTUO, TEMPLATE], ids=["putuo", "template"])
def test_every_place_is_the_readers_page_of_its_line(path: Path) -> None:
    pages = line_pages(path)
    findings = report(path).findings
    evidence = [e for f in findings for e in f.evidence if e.line]
    assert evidence and all(e.page == pages[e.line] for e in evidence if e.page)
    # rules that only knew a line have the page filled in: all but the lines whose page cannot be told
    assert sum(1 for e in evidence if e.page) >= 0.9 * len(evidence)
    for f in findings:  # a message cites the page of a line, never the line as if it were a place
        for number in re.findall(r"(?<!提取文本)第 (\d+) 行", f.message):
            pytest.fail(f"{f.rule_id} cites line {number} of a PDF as a place: {f.message}")
        for number in re.findall(r"第 (\d+) 页", f.message):
            assert int(number) in set(pages.values())


def test_narrative_claims_cite_their_page() -> None:
    pages = line_pages(PUTUO)
    errors = [f for f in report(PUTUO).findings if f.rule_id == "NARR-AMOUNT-001" and f.severity == "error"]
    assert errors
    for f in errors:
        claim = next(e for e in f.evidence if e.kind == "claim")
        assert f"情况说明第 {pages[claim.line]} 页“" in f.message


def test_text_report_shows_pages_not_lines() -> None:
    done = cli("audit", str(PUTUO), "--no-info")
    first = report(PUTUO).findings[0]
    assert first.pages and first.lines
    where = "第 " + "、".join(str(p) for p in first.pages[:3]) + " 页"
    row = next(line for line in done.stdout.splitlines() if first.rule_id in line)
    assert where in row and not re.search(rf"\b{first.lines[0]}\b", row)


def test_html_xlsx_and_json_put_the_page_first(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    assert cli("audit", str(PUTUO), "-f", "html", "-o", str(page)).returncode == 1
    tree = lxml_html.fromstring(page.read_bytes())
    metas = [m.text_content() for m in tree.xpath("//div[@class='finding error']/div[@class='meta'][b]")]
    assert metas and all(re.search(r"· 第 [\d、]+ 页（提取文本第 [\d、]+ 行）$", m) for m in metas)

    book = tmp_path / "r.xlsx"
    assert cli("audit", str(PUTUO), "-f", "xlsx", "-o", str(book)).returncode == 1
    rows = list(load_workbook(book).worksheets[0].iter_rows(values_only=True))
    header = list(rows[0])
    assert header.index("页码") < header.index("行号（文本）")
    first = report(PUTUO).findings[0]
    assert rows[1][header.index("页码")] == ",".join(str(p) for p in first.pages)

    data = json.loads(cli("audit", str(PUTUO), "-f", "json").stdout)
    keys = list(data["reports"][0]["findings"][0])
    assert keys.index("pages") < keys.index("lines")


def test_findings_in_the_library_are_placed_by_page(tmp_path: Path) -> None:
    db = str(tmp_path / "lib.db")
    assert cli("ingest", str(PUTUO), "--db", db).returncode == 0
    data = json.loads(cli("findings", "--db", db, "--severity", "error", "-f", "json").stdout)
    expected = {
        (f.rule_id, "第 " + "、".join(str(p) for p in f.pages[:3]) + " 页")
        for f in report(PUTUO).findings
        if f.severity == "error"
    }
    assert {(r["rule_id"], r["place"]) for r in data["rows"]} == expected
    text = cli("findings", "--db", db, "--severity", "error")
    assert "位置" in text.stdout and "第 24、15 页" in text.stdout
