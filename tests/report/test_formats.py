"""The formats of each artefact are declared once (`report/formats.py`): the command line's --format choices
and the web's downloads are built from that table, so a new entry reaches every face."""

from __future__ import annotations

import typer.main

from cnbudget.cli.app import build_app
from cnbudget.report import formats


def _choices(command: str, group: str | None = None) -> list[str]:
    root = typer.main.get_command(build_app())
    cmd = root.commands[group].commands[command] if group else root.commands[command]  # type: ignore[attr-defined]
    (option,) = [p for p in cmd.params if "--format" in getattr(p, "opts", ())]
    return list(option.type.choices)


def test_the_cli_offers_exactly_the_formats_of_each_artefact() -> None:
    assert _choices("audit") == list(formats.AUDIT)
    assert _choices("diff") == list(formats.DIFF)
    for command in ("compare", "findings", "history"):
        assert _choices(command) == list(formats.ANSWER), command


def test_a_new_entry_reaches_the_cli(monkeypatch) -> None:
    extra = formats.Format(
        "ods", ".ods", "application/vnd.oasis.opendocument.spreadsheet", True, "测试", "test"
    )
    monkeypatch.setitem(formats.AUDIT, "ods", extra)
    assert "ods" in _choices("audit")
    assert "ods" in formats.help_text(formats.AUDIT)


def test_every_format_says_what_it_gives_in_both_languages() -> None:
    for table in (formats.AUDIT, formats.ANSWER, formats.DIFF, formats.CHECKLIST):
        for entry in table.values():
            assert entry.zh and entry.en and entry.suffix.startswith(".") and "/" in entry.media_type
            assert entry.binary == (entry.media_type == formats.XLSX_MEDIA and entry.name != "checklist")


def test_the_web_checklist_download_offers_the_formats_of_the_table() -> None:
    import typing

    from cnbudget.web import api

    hints = typing.get_type_hints(api.checklist, include_extras=True)
    assert list(typing.get_args(hints["format"])) == list(formats.CHECKLIST)


def test_every_audit_file_format_names_a_renderer_that_writes_it() -> None:
    """The command line writes an audit through the renderer its entry names (text aside: the terminal)."""
    for entry in formats.AUDIT.values():
        if entry.name == "text":
            assert not entry.render
            continue
        render = formats.renderer(entry)
        for suffix in ("", ".xlsx", ".html"):
            written = render([], [("a.pdf", "无法读取")], True, suffix)
            expected_bytes = entry.binary or (entry.name == "checklist" and suffix == ".xlsx")
            assert isinstance(written, bytes) == expected_bytes, (entry.name, suffix)
            assert written  # a file, even for a batch where nothing could be read
