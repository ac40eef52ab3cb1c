"""How the CLI prints what the library returns: answers, the rule catalogue, ingest summaries, errors.

One place for every screen, so each command only parses its arguments, calls the library and hands the
result here. Text from documents is never read as Rich markup (`escape`).
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cnbudget.cli.inputs import write_bytes_output, write_output
from cnbudget.cli.options import TableFormat, needs_output, setting_hints
from cnbudget.domain.i18n import t
from cnbudget.domain.vocabulary import value_labeller
from cnbudget.report.formats import ANSWER

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from cnbudget.audit.profile import AuditProfile
    from cnbudget.audit.registry import Rule
    from cnbudget.domain.errors import CnbudgetError
    from cnbudget.domain.vocabulary import Severity
    from cnbudget.library.ingestion import IngestSummary
    from cnbudget.library.processing import Failure
    from cnbudget.model.answer import Answer

WIDE = 220
"""Columns of a report written to a file or a pipe: whole lines rather than a terminal's 80."""


def console_for(output: Path | None, buffer: io.StringIO | None = None, stderr: bool = False) -> Console:
    """A console on the terminal, or on ``buffer`` (for ``output``) as wide as a page of figures."""
    from rich.console import Console

    if buffer is not None:
        return Console(file=buffer, width=WIDE, highlight=False)
    stream = sys.stderr if stderr else sys.stdout
    return Console(highlight=False, stderr=stderr, width=None if stream.isatty() else WIDE)


class PageBar:
    """The pages of a PDF read so far, as a Rich progress bar on stderr — only on a terminal, and only once
    reading is slow (a page read by OCR, or a second gone), so a text PDF read in milliseconds shows nothing.

    Given to the reader as `ReadOptions.progress`; with ``progress`` (the bar of a batch), it is a line of
    that bar instead of a display of its own (Rich shows one live display at a time)."""

    SLOW = 1.0
    """Seconds after which a PDF without OCR pages gets a bar too."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.shared = progress is not None
        self.progress = progress
        self.task: TaskID | None = None
        self.started = time.monotonic()

    def __call__(self, page: int, pages: int, ocr: bool) -> None:
        if self.task is None:
            if not sys.stderr.isatty() or not (ocr or time.monotonic() - self.started > self.SLOW):
                return
            if self.progress is None:
                from rich.console import Console
                from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
                from rich.progress import Progress as RichProgress

                self.progress = RichProgress(
                    TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True,
                )  # fmt: skip
                self.progress.start()
            self.task = self.progress.add_task(t("读取 PDF 页面", "reading PDF pages"), total=pages)
        assert self.progress is not None
        self.progress.update(self.task, completed=page, total=pages)

    def attach(self, progress: Progress) -> None:
        """Be a line of ``progress`` (a batch's bar, started after the reader was given this one)."""
        self.progress, self.shared = progress, True

    def next_document(self) -> None:
        """The next file starts: its pages get a bar of their own."""
        if self.task is not None and self.progress is not None:
            self.progress.remove_task(self.task)
        self.task = None
        self.started = time.monotonic()

    def stop(self) -> None:
        if self.progress is not None and not self.shared:
            self.progress.stop()


def error_text(exc: CnbudgetError | Failure) -> str:
    """The error as the user reads it: the library's message, and how to change the setting behind it."""
    hint = setting_hints().get(exc.setting or "")
    return f"{exc}{t(f'（{hint}）', f' ({hint})')}" if hint else str(exc)


def show_answer(answer: Answer, fmt: str, output: Path | None, bom: bool = False) -> None:
    if fmt == "json":
        write_output(answer.to_json(), output)
        return
    if fmt == "csv":
        write_output(answer.to_csv(), output, bom=bom)
        return
    if fmt == "xlsx":
        from cnbudget.report.answer.xlsx import answer_xlsx

        needs_output(ANSWER, fmt, output)
        assert output is not None
        write_bytes_output(answer_xlsx(answer, value_labeller()), output)
        return
    if fmt == "html":
        from cnbudget.report.answer.html import answer_html

        write_output(answer_html(answer, value_labeller()), output)
        return
    if len(answer.rows) > LONG_ANSWER:
        _stream_answer(answer, output)
        return
    from rich.table import Table

    from cnbudget.domain.escape import terminal_text as escape
    from cnbudget.model.answer import display

    buffer = io.StringIO() if output is not None else None
    console = console_for(output, buffer)
    columns = answer.terminal_columns or answer.columns
    table = Table(title=escape(answer.title), header_style="bold")
    for column in columns:
        values = [r.get(column) for r in answer.rows]
        numeric = any(isinstance(v, int | Decimal) and not isinstance(v, bool) for v in values)
        table.add_column(
            escape(answer.heading(column)),
            justify="right" if numeric else "left",
            no_wrap=numeric,  # figures stay on one line; text columns wrap to make room for them
            overflow="fold",
            ratio=3 if column == "message" else None,
            # a figure is never cut: its column is as wide as its longest value (text columns wrap instead)
            min_width=max((len(display(v)) for v in values), default=1) if numeric else None,
        )
    label = value_labeller()
    cells = [[escape(display(label(c, row.get(c)))) for c in columns] for row in answer.rows]
    for row_cells in cells:
        table.add_row(*row_cells)
    print_fitted(console, table, escape(answer.title), [escape(answer.heading(c)) for c in columns], cells)
    for line in _answer_notes(answer):
        console.print(escape(line))
    if buffer is not None:
        write_output(buffer.getvalue(), output)


LONG_ANSWER = 300
"""Rows above which a text answer is written as numbered records, streamed, rather than laid out as one
table: Rich measures every cell of a table before printing it (24 s for the 22,724 findings of a
2,000-document library), and no one reads a table that long on a screen anyway."""


def _answer_notes(answer: Answer) -> list[str]:
    notes = [t("  注：", "  Note: ") + note for note in answer.notes]
    if answer.total is not None:
        shown, total = len(answer.rows), answer.total
        notes.append(t(f"  注：显示 {shown} 条，共 {total} 条；用 --limit 显示更多",
                       f"  Note: {shown} of {total} shown; --limit shows more"))  # fmt: skip
    return notes


def record_lines(title: str, headings: list[str], rows: list[list[str]]) -> Iterator[str]:
    """Rows as numbered records: the short values (rule, year, figures) on one line, each long text on
    its own indented line below. Plain text (no markup): for long answers and narrow screens."""
    long = {k for k in range(len(headings)) if any(len(r[k]) > 24 for r in rows)}
    yield title
    for number, row in enumerate(rows, 1):
        head = [f"{headings[k]}：{value}" for k, value in enumerate(row) if k not in long and value]
        yield f"{number}. " + " · ".join(head)
        yield from (f"    {value}" for k, value in enumerate(row) if k in long and value)


def _stream_answer(answer: Answer, output: Path | None) -> None:
    """A long answer as records (`record_lines`), written as it is made."""
    from cnbudget.domain.escape import plain_text
    from cnbudget.model.answer import display

    columns = answer.terminal_columns or answer.columns
    headings = [plain_text(answer.heading(c)) for c in columns]
    label = value_labeller()
    rows = [[plain_text(display(label(c, row.get(c)))) for c in columns] for row in answer.rows]
    lines = [*record_lines(plain_text(answer.title), headings, rows), *map(plain_text, _answer_notes(answer))]
    text = "\n".join(lines) + "\n"
    if output is not None:
        write_output(text, output)
    else:
        sys.stdout.write(text)


def print_fitted(
    console: Console, table: Any, title: str, headings: list[str], rows: list[list[str]]
) -> None:
    """The table when the terminal is wide enough for it; else the rows one by one — the short values
    (names of rules, years, figures) on one line, each long text on its own indented lines below — so that
    nothing is cut into slivers on an 80-column terminal. Values are already escaped for the terminal."""
    from rich.measure import Measurement
    from rich.padding import Padding

    natural = Measurement.get(console, console.options.update_width(10_000), table).maximum
    if natural <= console.width or not rows:
        console.print(table)
        return
    console.print(f"[bold]{title}[/bold]")
    long = {k for k in range(len(headings)) if max(len(r[k]) for r in rows) > 24}
    for number, row in enumerate(rows, 1):
        head = [f"{headings[k]}：{value}" for k, value in enumerate(row) if k not in long and value]
        console.print(f"[bold]{number}.[/bold] " + " · ".join(head), overflow="fold")
        for k, value in enumerate(row):
            if k in long and value:
                console.print(Padding(value, (0, 0, 0, 4)))


def show_rules(
    rules: list[Rule], fmt: TableFormat, profile: AuditProfile | None = None, bom: bool = False
) -> None:
    """The rule catalogue: id, family, severity, documents, tables, description, basis. With a review
    profile, the severity is the one it sets, ``enabled`` says whether the rule runs, and
    ``default_severity`` keeps the built-in level."""
    view = _RuleView(profile)
    if fmt is TableFormat.json:
        rows = [{"id": r.id, "family": r.family, "severity": view.severity(r), "kinds": list(r.kinds),
                 "tables": list(r.tables), "description": r.description, "basis": r.basis,
                 "rationale": r.rationale, "fix": r.fix, "enabled": view.enabled(r), "default_severity": r.severity,
                 "cites": [{"title": c.title, "text": c.text, "quoted": c.quoted} for c in r.cites]}
                for r in rules]  # fmt: skip
        write_output(json.dumps(rows, ensure_ascii=False, indent=1), None)
    elif fmt is TableFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("id", "family", "severity", "kinds", "tables", "description", "basis", "rationale",
                         "fix", "enabled", "default_severity", "cites"))  # fmt: skip
        for r in rules:
            writer.writerow((r.id, r.family, view.severity(r), " ".join(r.kinds), " ".join(r.tables),
                             r.description, r.basis, r.rationale, r.fix, "true" if view.enabled(r) else "false",
                             r.severity, r.basis_text()))  # fmt: skip
        write_output(buffer.getvalue(), None, bom=bom)
    else:
        _rules_table(rules, view, profile)


class _RuleView:
    """A rule as a review profile has it: its severity and whether it runs."""

    def __init__(self, profile: AuditProfile | None) -> None:
        self.profile = profile

    def severity(self, r: Rule) -> Severity:
        return self.profile.severity_of(r) if self.profile is not None else r.severity

    def enabled(self, r: Rule) -> bool:
        return self.profile.enabled(r.id) if self.profile is not None else True


def _rules_table(rules: list[Rule], view: _RuleView, profile: AuditProfile | None) -> None:
    from rich.table import Table

    from cnbudget.domain.escape import terminal_text as escape
    from cnbudget.domain.vocabulary import basis_label, family_label, kind_label, severity_label

    title = t(f"cnbudget 审核规则（{len(rules)} 条）", f"cnbudget rules ({len(rules)})")
    if profile is not None:
        off = sum(1 for r in rules if not view.enabled(r))
        title += t(
            f"，按审核配置 {profile.label}：停用 {off} 条",
            f", under the profile {profile.label}: {off} disabled",
        )
    table = Table(title=escape(title), header_style="bold")
    headings = [t("规则", "Rule"), t("类别", "Family"), t("级别", "Severity"), t("适用", "Documents")]
    for name in headings:
        table.add_column(name, no_wrap=True)
    table.add_column(t("说明", "Description"))
    table.add_column(t("依据", "Basis"), no_wrap=True)
    shown: list[list[str]] = []
    for r in rules:
        kinds = t("、", ", ").join(kind_label(k) for k in r.kinds)
        level = severity_label(view.severity(r))
        if view.severity(r) != r.severity:
            level += t(f"（原为{severity_label(r.severity)}）", f" (was {severity_label(r.severity)})")
        if not view.enabled(r):
            level = t("[dim]已停用[/dim]", "[dim]disabled[/dim]")
        basis = basis_label(r.basis)
        if r.cites:
            basis += f"{t('：', ': ')}{t('、', ', ').join(c.short for c in r.cites)}"
        table.add_row(r.id, family_label(r.family), level, kinds, r.description, basis,
                      style="dim" if not view.enabled(r) else None)  # fmt: skip
        shown.append([r.id, family_label(r.family), level, kinds, escape(r.description), basis])
    headings += [t("说明", "Description"), t("依据", "Basis")]
    print_fitted(console_for(None), table, escape(title), headings, shown)


def show_ingest_summary(summary: IngestSummary, quiet: bool) -> None:
    from cnbudget.domain.escape import terminal_text as escape

    console = console_for(None, stderr=True)
    counts = (len(summary.ingested), len(summary.new_versions), len(summary.unchanged), len(summary.failed))
    line = t(
        "新入库 {}，新版本 {}，未变 {}，失败 {}", "ingested {}, new versions {}, unchanged {}, failed {}"
    ).format(*counts)
    if summary.interrupted:
        line += t(
            "——已中断：已入库的文件都是完整的；再次运行同一命令即可完成其余文件",
            " — interrupted: the documents stored are complete; run the same command again to finish the rest",
        )
    console.print(line)
    if not quiet:
        for path in summary.new_versions:
            console.print(t("  新版本：", "  new version: ") + escape(path))
    for failure in summary.failed:
        hint = setting_hints().get(failure.setting or "")
        message = f"{failure.message} ({hint})" if hint else failure.message
        console.print(
            f"  [red]{t('失败', 'failed')}[/red] {escape(failure.path)}{t('：', ': ')}{escape(message)}"
        )
