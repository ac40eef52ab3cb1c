"""Document text in the terminal is printed as written: never read as Rich markup, no control sequences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from cnbudget.audit import audit
from cnbudget.domain.escape import terminal_text
from cnbudget.report.audit.text import render_text
from support.rulecases import fresh, row

_PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40)


def _shown(markup: str) -> str:
    console = Console(width=400, color_system=None, soft_wrap=True)
    with console.capture() as capture:
        console.print(markup, end="")
    return capture.get()


@settings(max_examples=300)
@given(_PRINTABLE)
def test_any_text_is_printed_as_written(text: str) -> None:
    assert _shown(terminal_text(text) + "[dim]尾[/dim]") == text + "尾"


@pytest.mark.parametrize(
    "text", ["\\[", "a\\[b", "\\\\[", "\\\\\\", "\\[/bold]", "\\[[b]", "[a\\]", "\\\\\\[a]"]
)
def test_backslashes_before_a_bracket_are_printed_as_written(text: str) -> None:
    """Found by the property above: one backslash before "[" (not a tag) was printed twice."""
    assert _shown(terminal_text(text) + "[dim]尾[/dim]") == text + "尾"


def test_control_sequences_are_dropped() -> None:
    assert _shown(terminal_text("\x1b[31m红\x1b[0m\x07字")) == "红字"


def test_audit_report_with_markup_in_the_document() -> None:
    """An organisation and a label carrying "[/bold]" (MarkupError before) print as they are."""
    doc = fresh("000")
    doc.metadata.department = "[/bold]武汉市[red]信息中心"
    row(doc, "B05", code="2014150").label = "事业运行[/]\x1b[2J"
    target = row(doc, "B05", code="2014150")
    target.cells[0].value = (target.cells[0].value or 0) + 100
    console = Console(width=200, color_system=None)
    with console.capture() as capture:
        render_text([audit(doc)], [("bad[/b].pdf", "不是 PDF [x]")], console)
    out = capture.get()
    assert "[/bold]武汉市[red]信息中心" in out and "bad[/b].pdf" in out and "\x1b" not in out


def test_figures_are_never_cut_on_a_narrow_terminal(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """history at 80 columns showed 14,784.19 as "14,784" and a year as "20": figures keep all their digits."""
    from decimal import Decimal

    import cnbudget.cli.render as render
    from cnbudget.cli.options import TableFormat
    from cnbudget.model.answer import Answer

    answer = Answer(
        title="武汉市数据局：历年支出合计等", columns=["year", "kind", "total", "change", "pct", "note"]
    )
    answer.rows = [
        {"year": 2024, "kind": "final", "total": Decimal("14784.19"), "change": Decimal("-4626.07"),
         "pct": Decimal("-23.83"), "note": "一段很长的说明文字，" * 6},
        {"year": 2026, "kind": "budget", "total": Decimal("164978640.00"), "change": None, "pct": None, "note": ""},
    ]  # fmt: skip
    monkeypatch.setattr(render, "WIDE", 80)
    out_file = None
    render.show_answer(answer, TableFormat.text, out_file)
    shown = capsys.readouterr().out
    for figure in ("2024", "2026", "14,784.19", "-4,626.07", "164,978,640.00", "决算"):
        assert figure in shown, shown
