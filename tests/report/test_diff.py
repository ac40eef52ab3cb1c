"""`cnbudget diff OLD NEW`: a new version made by changing a seed in one known way reports exactly that change.

Every expectation is derived from the mutation made (the line, the printed value, the sentence removed) and
from the old version's own audit, never copied from the diff's output.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnbudget import parse_text
from cnbudget.audit import AuditReport, audit
from cnbudget.domain.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_OUTPUT
from cnbudget.domain.numbers import format_amount, parse_amount
from cnbudget.model import Document
from cnbudget.report.diff.compare import DocumentDiff, diff_reports
from support.cli import invoke
from support.convert import text_to_docx, text_to_html, text_to_pdf, text_to_xlsx
from support.seeds import SEED_FILES

SEED = "000"  # 武汉市信息中心 2026 budget: tab-separated, five genuine errors


@cache
def _text() -> str:
    return SEED_FILES[SEED].read_text("utf-8")


@cache
def _old() -> AuditReport:
    return audit(parse_text(_text(), "old.txt"))


def _lines() -> list[str]:
    return _text().split("\n")


def _diff(new_text: str, audited: bool = True) -> tuple[DocumentDiff, AuditReport]:
    doc = parse_text(new_text, "new.txt")
    new = audit(doc) if audited else AuditReport(document=doc)
    old = _old() if audited else AuditReport(document=_old().document)
    return diff_reports(old, new), new


def _tab_cells(doc: Document) -> list[tuple[str, str, str, str, int, int, str]]:
    """(table, side, row key, column, line, field index, raw) of every printed amount whose line is
    tab-separated and whose field is exactly the printed value: the cells a test can change in the text."""
    lines = _lines()
    out = []
    for table in doc.tables:
        index = {c.key: c.index for c in table.columns if c.role == "value" and c.index is not None}
        sides = {c.key: c.side for c in table.columns}
        for row in table.rows:
            for cell in row.cells:
                fields = lines[cell.line - 1].split("\t")
                i = index.get(cell.column)
                if sides.get(cell.column):  # two-sided tables: columns repeat per side, found by value
                    continue
                if i is not None and i < len(fields) and fields[i].strip() == cell.raw and cell.raw:
                    out.append((table.id, row.side or "", row.full_code or row.label, cell.column, cell.line, i,
                                cell.raw))  # fmt: skip
    return out


def _set_field(line_no: int, index: int, value: str) -> str:
    lines = _lines()
    fields = lines[line_no - 1].split("\t")
    fields[index] = value
    lines[line_no - 1] = "\t".join(fields)
    return "\n".join(lines)


def _nothing_else(diff: DocumentDiff, *keep: str) -> None:
    for name in ("metadata", "tables", "rows", "cells", "text", "claims"):
        if name not in keep:
            assert getattr(diff, name) == [], (name, getattr(diff, name))


def _evidence_lines(report: AuditReport, rule_id: str | None = None) -> dict[str, set[int]]:
    return {f.rule_id: set(f.lines) for f in report.findings if rule_id is None or f.rule_id == rule_id}


# ---- the model-level comparison -------------------------------------------------------------------------
def test_identical_versions_have_no_change() -> None:
    diff, _ = _diff(_text())
    assert not diff.changed
    _nothing_else(diff)
    assert len(diff.findings_with("present")) == len(_old().findings)
    assert not diff.findings_with("new") and not diff.findings_with("resolved")


def test_one_cell_amount_changed() -> None:
    doc = _old().document
    b03 = doc.table("B03")
    assert b03 is not None
    row = b03.row(code="2014150")
    assert row is not None
    cell = row.cell("基本支出")
    assert cell is not None and cell.value is not None
    new_value = cell.value + Decimal("12.34")
    table, side, _, column, line, index, raw = next(
        c for c in _tab_cells(doc) if c[0] == "B03" and c[2] == "2014150" and c[3] == "基本支出"
    )
    diff, new = _diff(_set_field(line, index, format_amount(new_value)))
    _nothing_else(diff, "cells")
    [change] = diff.cells
    assert (change.table, change.row_code, change.column) == ("B03", "2014150", "基本支出")
    assert (change.old_raw, change.new_raw) == (raw, format_amount(new_value))
    assert change.difference == Decimal("12.34") and change.unit == "万元"
    assert change.old.line == change.new.line == line
    # the sums the cell is in now fail: every new finding points at the changed line
    assert diff.findings_with("new")
    for found in diff.findings_with("new"):
        assert line in {p.line for p in found.new}, found
    assert diff.changed


def test_blank_is_not_zero() -> None:
    doc = _old().document
    zero = next(c for c in _tab_cells(doc) if c[6] == "0.00" and c[0] == "B03")
    table, side, row_key, column, line, index, raw = zero
    diff, _ = _diff(_set_field(line, index, ""), audited=False)
    _nothing_else(diff, "cells")
    [change] = diff.cells
    assert (change.table, change.column, change.old_raw, change.new_raw) == (table, column, "0.00", "")
    assert change.old_value == Decimal("0.00") and change.new_value is None and change.difference is None


def test_a_row_removed() -> None:
    doc = _old().document
    b03 = doc.table("B03")
    assert b03 is not None
    row = b03.row(code="2014199")
    assert row is not None
    lines = _lines()
    del lines[row.line - 1]
    diff, _ = _diff("\n".join(lines), audited=False)
    _nothing_else(diff, "rows")
    [change] = diff.rows
    assert (change.table, change.code, change.label, change.change) == (
        "B03",
        "2014199",
        row.label,
        "removed",
    )
    assert change.old is not None and change.old.line == row.line
    assert dict(change.cells) == {c.column: c.raw for c in row.cells}


def test_a_narrative_sentence_deleted_resolves_its_finding() -> None:
    """NARR-YEAR-002 (a 2026 budget compared with 2024) rests on one sentence: deleting it resolves it."""
    lines = _lines()
    [line_no] = [i + 1 for i, text in enumerate(lines) if "事业运行经费 134.77 万元，比 2024 年" in text]
    sentence = lines[line_no - 1].strip()
    assert sentence.endswith("。") and sentence.count("。") == 1
    lines[line_no - 1] = ""
    diff, _ = _diff("\n".join(lines))
    _nothing_else(diff, "text")
    [change] = diff.text
    assert change.change == "removed" and change.new_text == ""
    assert (
        change.old_text == " ".join(sentence.split())
        and change.old is not None
        and change.old.line == line_no
    )
    expected = {f.rule_id for f in _old().findings if line_no in f.lines}
    assert "NARR-YEAR-002" in expected
    assert {f.rule_id for f in diff.findings_with("resolved")} == expected
    assert not diff.findings_with("new")


def test_an_error_fixed_in_the_narrative() -> None:
    """The sample's 预算支出 5,916.18 万元 against B01's 5,916.68: corrected, the figure and the finding."""
    text = _text()
    assert text.count("预算支出 5,916.18 万元") == 1
    diff, _ = _diff(text.replace("预算支出 5,916.18 万元", "预算支出 5,916.68 万元"))
    _nothing_else(diff, "text", "claims")
    [change] = diff.text
    assert change.change == "changed"
    assert "5,916.18" in change.old_text and "5,916.68" in change.new_text
    assert change.old_text.replace("5,916.18", "5,916.68") == change.new_text
    [claim] = diff.claims
    assert (claim.figure, claim.old_value, claim.new_value) == (
        "amount",
        Decimal("5916.18"),
        Decimal("5916.68"),
    )
    assert claim.difference == Decimal("0.50") and claim.unit == "万元"
    resolved = {f.rule_id for f in diff.findings_with("resolved")}
    assert resolved == {f.rule_id for f in _old().findings if f.rule_id == "NARR-AMOUNT-001"}
    assert not diff.findings_with("new")


def test_a_year_corrected_in_a_section_heading_is_one_changed_heading() -> None:
    section = _old().document.narrative[0]
    assert "2026" in section.heading
    lines = _lines()
    assert "2026" in lines[section.line - 1]
    lines[section.line - 1] = lines[section.line - 1].replace("2026", "2025")
    diff, _ = _diff("\n".join(lines), audited=False)
    _nothing_else(diff, "text")
    [change] = diff.text
    assert change.change == "changed" and not change.whole_section
    assert (change.old_text, change.new_text) == (section.heading, section.heading.replace("2026", "2025"))


def test_a_finding_in_an_edited_sentence_is_still_present() -> None:
    """Findings are matched by rule and place, not by message: rewording the sentence of NARR-YEAR-002
    without fixing its year keeps the finding (still present), with the new message."""
    lines = _lines()
    [line_no] = [i + 1 for i, text in enumerate(lines) if "事业运行经费 134.77 万元，比 2024 年" in text]
    lines[line_no - 1] = lines[line_no - 1].replace("主要原因是", "主要是")
    diff, _ = _diff("\n".join(lines))
    [change] = diff.text
    assert change.change == "changed"
    assert not diff.findings_with("resolved") and not diff.findings_with("new")
    present = [f for f in diff.findings_with("present") if f.rule_id == "NARR-YEAR-002"]
    assert len(present) == 1


def test_a_performance_indicator_target_changed() -> None:
    """B12-1's first indicator ≥10000公里 → ≥12000公里: one cell of the performance table."""
    perf = _old().document.performance_table("B12-1")
    assert perf is not None
    indicator = perf.indicators[0]
    assert indicator.target is not None
    old_raw = indicator.target.raw
    new_raw = old_raw.replace("10000", "12000")
    assert new_raw != old_raw
    lines = _lines()
    fields = lines[indicator.line - 1].split("\t")
    assert fields.count(old_raw) == 1
    fields[fields.index(old_raw)] = new_raw
    lines[indicator.line - 1] = "\t".join(fields)
    diff, _ = _diff("\n".join(lines), audited=False)
    _nothing_else(diff, "cells")
    [change] = diff.cells
    assert (change.table, change.old_raw, change.new_raw) == ("B12-1", old_raw, new_raw)
    assert change.row_label.endswith(indicator.name) and change.difference is None
    assert change.new.line == indicator.line


def test_metadata_changes_are_named_field_by_field() -> None:
    old = _old()
    doc = copy.deepcopy(old.document)
    doc.metadata.organisation = doc.metadata.organisation + "（更正）"
    doc.metadata.kind = "final"
    doc.metadata.dates = [*doc.metadata.dates, "2026-01-05"]
    diff = diff_reports(old, AuditReport(document=doc))
    _nothing_else(diff, "metadata")
    got = {(m.field, m.old, m.new) for m in diff.metadata}
    meta = old.document.metadata
    assert got == {
        ("organisation", meta.organisation, meta.organisation + "（更正）"),
        ("kind", "budget", "final"),
        ("dates", "、".join(meta.dates), "、".join([*meta.dates, "2026-01-05"])),
    }


def test_money_unit_change_alone_is_no_change_of_figures() -> None:
    """B07 reprinted in 元: the same figures ×10,000 are no cell change; a figure beyond the rounding is."""
    old = _old()
    doc = copy.deepcopy(old.document)
    b07 = doc.table("B07")
    assert b07 is not None and any(c.value for r in b07.rows for c in r.cells)
    b07.amount_unit = "元"
    for row in b07.rows:
        row.cells = [
            replace(c, raw=f"{c.value * 10000:,.0f}", value=(c.value * 10000).quantize(Decimal(1)))
            if c.value is not None else c for c in row.cells
        ]  # fmt: skip
    diff = diff_reports(old, AuditReport(document=doc))
    _nothing_else(diff, "tables")
    assert [(t.table, t.change, t.detail) for t in diff.tables] == [("B07", "unit", "万元 → 元")]
    # one figure 51 元 off (more than half a cent of 万元 = 50 元): a change, in 元
    first = next(c for c in b07.rows[0].cells if c.value)
    target = first.value + 51 if first.value is not None else None
    b07.rows[0].cells[b07.rows[0].cells.index(first)] = replace(first, value=target, raw=f"{target:,}")
    diff = diff_reports(old, AuditReport(document=doc))
    [change] = diff.cells
    assert change.unit == "元" and change.difference == Decimal(51)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_single_cell_change_is_reported_as_exactly_that_cell(data: st.DataObject) -> None:
    cells = _tab_cells(_old().document)
    table, side, row_key, column, line, index, raw = data.draw(st.sampled_from(cells))
    old_value = parse_amount(raw)
    assert old_value is not None
    cents = data.draw(
        st.integers(min_value=0, max_value=10**9).filter(lambda n: Decimal(n) / 100 != old_value)
    )
    new_raw = format_amount(Decimal(cents) / 100)
    diff, _ = _diff(_set_field(line, index, new_raw), audited=False)
    _nothing_else(diff, "cells")
    [change] = diff.cells
    assert (change.table, change.column, change.old_raw, change.new_raw) == (table, column, raw, new_raw)
    assert row_key in (change.row_code, change.row_label)
    assert change.difference == Decimal(cents) / 100 - old_value
    assert change.old.line == change.new.line == line


# ---- the command ----------------------------------------------------------------------------------------
def test_cli_identical_files_exit_0_and_say_so() -> None:
    path = str(SEED_FILES[SEED])
    zh = invoke("diff", path, path, env={"CNBUDGET_LANG": "zh"})
    assert zh.returncode == EXIT_OK, zh.stderr
    assert "无变化" in zh.stdout and "概况" in zh.stdout and "审核结果变化" in zh.stdout
    en = invoke("diff", path, path, env={"CNBUDGET_LANG": "en"})
    assert en.returncode == EXIT_OK and "No change" in en.stdout


def test_cli_seed_against_itself_as_a_workbook(tmp_path: Path) -> None:
    workbook = tmp_path / "same.xlsx"
    text_to_xlsx(SEED_FILES[SEED], workbook)
    result = invoke("diff", str(SEED_FILES[SEED]), str(workbook), "-f", "json")
    assert result.returncode == EXIT_OK, result.stdout
    data = json.loads(result.stdout)
    assert data["changed"] is False and data["old"]["source_format"] == "text"
    assert data["new"]["source_format"] == "xlsx"
    assert data["summary"]["findings_present"] == len(_old().findings)


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_seed_against_itself_in_other_formats(tmp_path: Path, fmt: str) -> None:
    """The same disclosure as a Word file, a web page or a PDF: no change (lines and pages differ; they
    are not compared)."""
    converted = tmp_path / f"same.{fmt}"
    {"docx": text_to_docx, "html": text_to_html, "pdf": text_to_pdf}[fmt](SEED_FILES[SEED], converted)
    result = invoke("diff", str(SEED_FILES[SEED]), str(converted), "-f", "json")
    assert result.returncode == EXIT_OK, result.stdout
    assert json.loads(result.stdout)["new"]["source_format"] == fmt


def test_cli_changes_found_exit_1_in_every_format(tmp_path: Path) -> None:
    new = tmp_path / "new.txt"
    new.write_text(_text().replace("预算支出 5,916.18 万元", "预算支出 5,916.68 万元"), "utf-8")
    old = str(SEED_FILES[SEED])
    text = invoke("diff", old, str(new), env={"CNBUDGET_LANG": "zh"})
    assert text.returncode == EXIT_FINDINGS, text.stderr
    for heading in (
        "概况",
        "表格变化",
        "文字变化",
        "审核结果变化",
        "已解决",
        "NARR-AMOUNT-001",
        "5,916.18",
        "5,916.68",
    ):
        assert heading in text.stdout, heading
    out = tmp_path / "diff.json"
    assert invoke("diff", old, str(new), "-f", "json", "-o", str(out)).returncode == EXIT_FINDINGS
    data = json.loads(out.read_text("utf-8"))
    assert data["changed"] is True and data["summary"]["claims"] == 1
    assert data["claims"][0]["difference"] == "0.50"
    assert [f["rule_id"] for f in data["findings"] if f["status"] == "resolved"] == ["NARR-AMOUNT-001"]
    page = tmp_path / "diff.html"
    assert invoke("diff", old, str(new), "-f", "html", "-o", str(page)).returncode == EXIT_FINDINGS
    html = page.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<del>" in html and "<ins>" in html
    assert "src=" not in html and "<link" not in html  # self-contained


def test_document_text_is_escaped_on_screen_and_in_html(tmp_path: Path) -> None:
    payload = "[/bold][red]注入[/red]<script>alert(1)</script>\x1b[31m"
    new = tmp_path / "new.txt"
    new.write_text(
        _text().replace("预算支出 5,916.18 万元全面实施", f"预算支出 5,916.18 万元{payload}全面实施"), "utf-8"
    )
    old = str(SEED_FILES[SEED])
    text = invoke("diff", old, str(new))
    assert text.returncode == EXIT_FINDINGS, text.stderr
    assert "[/bold][red]注入[/red]" in text.stdout and "\x1b" not in text.stdout
    page = invoke("diff", old, str(new), "-f", "html")
    assert "<script>" not in page.stdout and "&lt;script&gt;" in page.stdout


def test_cli_errors(tmp_path: Path) -> None:
    missing = invoke("diff", str(SEED_FILES[SEED]), str(tmp_path / "nope.txt"))
    assert missing.returncode == EXIT_INPUT and "nope.txt" in missing.stderr and not missing.stdout
    folder = invoke("diff", str(SEED_FILES[SEED]), str(SEED_FILES[SEED]), "-o", str(tmp_path))
    assert folder.returncode == EXIT_OUTPUT and list(tmp_path.iterdir()) == []


def test_numbers_are_never_cut_in_a_narrow_terminal() -> None:
    """A large figure at 80 and 60 columns: the text columns wrap, the figure is printed whole."""
    import io

    from rich.console import Console

    from cnbudget.report.diff.text import render_diff_text

    doc = _old().document
    table, side, row_key, column, line, index, raw = next(c for c in _tab_cells(doc) if c[0] == "B03")
    diff, _ = _diff(_set_field(line, index, "123,456,789.01"), audited=False)
    difference = Decimal("123456789.01") - (parse_amount(raw) or Decimal(0))
    for width in (80, 60):
        buffer = io.StringIO()
        render_diff_text(diff, Console(file=buffer, width=width, highlight=False))
        screen = buffer.getvalue()
        assert "123,456,789.01" in screen and raw in screen, width
        assert f"{difference:+,f}" in screen, width
