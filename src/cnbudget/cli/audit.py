"""`cnbudget audit` and `cnbudget rules`."""

from __future__ import annotations

import io
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cnbudget.cli.inputs import write_bytes_output, write_output
from cnbudget.cli.options import (
    FailOn,
    ReadingCommand,
    TableFormat,
    bom_opt,
    format_choice_opt,
    format_opt,
    jobs_opt,
    load_profile_option,
    needs_output,
    profile_opt,
    reading,
    sample_opt,
)
from cnbudget.cli.render import PageBar, console_for, error_text, show_rules
from cnbudget.cli.usage import Command
from cnbudget.domain.errors import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    CnbudgetError,
    UsageError,
)
from cnbudget.domain.i18n import t
from cnbudget.domain.reference import sample_path
from cnbudget.report import formats

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from cnbudget.audit import AuditReport
    from cnbudget.audit.profile import AuditProfile
    from cnbudget.domain.vocabulary import Severity
    from cnbudget.library.processing import Failure
    from cnbudget.read import ReadOptions


def register(app: typer.Typer) -> None:
    app.command(
        "audit",
        cls=ReadingCommand,
        help=t(
            "审核公开文件：表内合计、科目层级、表间勾稽、情况说明与报表是否一致。",
            "Check disclosures: sums, hierarchies, tables against each other, the narrative against the tables.",
        ),
    )(audit_command)
    app.command("rules", cls=Command, help=t(
        "列出审核规则：编号、类别、级别、适用文件、说明、依据。",
        "List the rule catalogue: id, family, severity, documents, tables, description, basis.",
    ) + "\n\n" + t(
        "给出 --profile 时：各规则在该审核方案下的级别，以及是否启用。",
        "With --profile: the severity each rule reports at, and whether it runs, under that review profile.",
    ))(rules_command)  # fmt: skip


def _audit_opt(name: str) -> Any:
    """The options of `audit` (functions of the run's language, like those of cli/options.py)."""
    return {
        "files": lambda: typer.Argument(metavar=t("文件...", "FILE..."), show_default=False, help=t(
            "要审核的公开文件，或文件夹（递归查找其中的 PDF、XLSX、XLS、DOCX、HTML 和文本文件，跳过隐藏文件）。",
            "Disclosure documents to check, or folders (searched recursively for PDF, XLSX, XLS, DOCX, HTML and "
            "text files; hidden files skipped).")),
        "sample": lambda: sample_opt(t("审核 cnbudget 自带的示例文件。", "Check the sample document bundled with cnbudget.")),
        "format": lambda: format_choice_opt(formats.AUDIT),
        "output": lambda: typer.Option("--output", "-o", metavar=t("文件", "FILE"),
                                       help=t("把报告写入此文件。", "Write the report to this file.")),
        "fail_on": lambda: typer.Option("--fail-on", help=t(
            "审核发现达到此级别时以退出码 1 结束。", "Exit with 1 when findings reach this level.")),
        "no_info": lambda: typer.Option("--no-info", help=t(
            "text/html 报告中不列尾差等提示。", "Leave rounding tails and other notes out of text/html.")),
        "bundle": lambda: typer.Option("--bundle", help=t(
            "这些文件是分开发布的同一份公开文件（如情况说明与报表分开），按给出的顺序合为一份审核。",
            "The FILEs are one disclosure published in parts (e.g. narrative and tables apart), checked as one "
            "document, in the order given.")),
        "summary": lambda: typer.Option("--summary", help=t(
            "text 格式只列文件汇总表（文件、单位、年度、错误、警告）和合计——给出文件夹时默认如此。",
            "Text format: only the table of documents (file, organisation, year, errors, warnings) and the "
            "totals — the default when a folder is given.")),
    }[name]()  # fmt: skip


def audit_command(
    files: Annotated[list[str] | None, _audit_opt("files")] = None,
    sample: Annotated[bool, _audit_opt("sample")] = False,
    fmt: Annotated[str, _audit_opt("format")] = "text",
    output: Annotated[Path | None, _audit_opt("output")] = None,
    fail_on: Annotated[FailOn, _audit_opt("fail_on")] = FailOn.error,
    no_info: Annotated[bool, _audit_opt("no_info")] = False,
    bundle: Annotated[bool, _audit_opt("bundle")] = False,
    profile_path: Annotated[Path | None, profile_opt()] = None,
    summary: Annotated[bool, _audit_opt("summary")] = False,
    jobs: Annotated[int | None, jobs_opt()] = None,
) -> None:
    """Check disclosures: sums, hierarchies, tables against each other, the narrative against the tables."""
    given = _given(files, sample, fmt, output)
    profile = load_profile_option(profile_path)  # a mistake in it stops the run before any document is read
    paths, failures, folders = _expand(given)
    if bundle and len(paths) < 2:
        raise UsageError(t("--bundle 合并同一份公开文件的各部分：请给出两个或更多文件",
                           "--bundle joins the parts of one disclosure: give two or more FILEs"))  # fmt: skip
    documents: list[list[Path | str]] = [paths] if bundle else [[p] for p in paths]
    reports, crashed = _check_all(documents, profile, failures, jobs)
    _write(reports, failures, fmt, output, not no_info, summary or folders)
    if crashed:
        raise SystemExit(EXIT_INTERNAL)
    if failures:
        raise SystemExit(EXIT_INPUT)
    thresholds: dict[FailOn, Severity] = {FailOn.error: "error", FailOn.warning: "warning"}
    threshold = thresholds.get(fail_on)
    raise SystemExit(EXIT_FINDINGS if any(r.reaches(threshold) for r in reports) else EXIT_OK)


def _given(files: list[str] | None, sample: bool, fmt: str, output: Path | None) -> list[Path | str]:
    """The inputs named on the command line, once the arguments are known to go together: files and folders,
    or URLs read through fsspec (`read.remote`)."""
    from cnbudget.read.remote import is_url

    if sample and files:
        raise UsageError(t("请给出文件或 --sample，不要同时给出", "give either FILE… or --sample, not both"))
    given: list[Path | str] = (
        [sample_path()] if sample else [f if is_url(f) else Path(f) for f in files or []]
    )
    if not given:
        raise UsageError(t("缺少文件（或用 --sample 审核自带的示例文件）",
                           "missing FILE (or use --sample to check the bundled sample document)"))  # fmt: skip
    needs_output(formats.AUDIT, fmt, output)
    return given


def _check_all(
    documents: list[list[Path | str]],
    profile: AuditProfile | None,
    failures: list[tuple[str, str]],
    jobs: int | None,
) -> tuple[list[AuditReport], bool]:
    """Each document checked by the batch runner (`check_or_fail`: one bad file never stops the others; in
    worker processes when there are several), with a bar on a terminal; failures are added to ``failures``.
    The reports in the order of ``documents``, and whether cnbudget itself failed."""
    from cnbudget.library import batch
    from cnbudget.library.processing import Failure as Failed
    from cnbudget.library.processing import died

    workers = batch.workers_for(jobs, len(documents))
    bar = _Bar(len(documents))
    pages = PageBar(bar.progress)  # the pages of a slow PDF (one process only): a line of the batch's bar
    work = partial(_check, options=reading(pages if workers == 1 else None), profile=profile)
    outcomes: dict[int, AuditReport | Failure] = {}
    try:
        for index, outcome in batch.run(work, documents, workers, died):
            outcomes[index] = outcome
            if isinstance(outcome, Failed):
                bar.say(t("cnbudget：错误：", "cnbudget: error: ") + error_text(outcome))
            pages.next_document()
            bar.advance(str(documents[index][-1]).rsplit("/", 1)[-1])
    finally:
        pages.stop()
        bar.stop()
    ordered = [outcomes[i] for i in sorted(outcomes)]
    failures += [(o.path, o.message) for o in ordered if isinstance(o, Failed)]
    crashed = any(isinstance(o, Failed) and o.internal for o in ordered)
    return [o for o in ordered if not isinstance(o, Failed)], crashed


def _check(
    parts: list[Path | str], options: ReadOptions, profile: AuditProfile | None
) -> AuditReport | Failure:
    from cnbudget.library.processing import check_or_fail

    return check_or_fail(parts, options, profile)


def _expand(given: list[Path | str]) -> tuple[list[Path | str], list[tuple[str, str]], bool]:
    """The documents to audit: files as given (a missing one is reported by the reader), folders searched
    recursively; each file once. A folder without documents is an unreadable input. And whether a folder
    was given (the report is then a summary)."""
    from cnbudget.read import remote
    from cnbudget.read.folders import DOCUMENT_SUFFIXES, expand_inputs

    suffixes = " ".join(sorted(DOCUMENT_SUFFIXES))
    empty = t(
        f"文件夹中没有可审核的文件（查找 {suffixes}）", f"no documents in this folder (looked for {suffixes})"
    )
    files: list[Path | str] = []
    failures: list[tuple[str, str]] = []
    folders = False
    seen: set[Path] = set()  # each file once, however it was named
    for item in given:
        if isinstance(item, str):  # a URL: a file, a folder of documents, or nothing (the reader says so)
            try:
                found = remote.expand(item)
            except CnbudgetError as exc:
                failures.append((item, exc.message))
                continue
            folders = folders or bool(found) and found != [item]
            files += found or [item]
            continue
        local = expand_inputs([item], keep_missing=True)
        folders = folders or item.is_dir()
        for file in local.files:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
        failures += [(str(folder), empty) for folder in local.empty]
    return files, failures, folders


class _Bar:
    """A Rich progress bar on stderr, only when stderr is a terminal and there are several documents."""

    def __init__(self, total: int) -> None:
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        if total < 2 or not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self.progress = RichProgress(
            TextColumn(t("审核", "Auditing")), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            TextColumn("{task.fields[last]}", markup=False), console=Console(stderr=True), transient=True,
        )  # fmt: skip
        self.task = self.progress.add_task("audit", total=total, last="")
        self.progress.start()

    def say(self, line: str) -> None:
        """A message on stderr, above the bar while it runs."""
        if self.progress is not None:
            from cnbudget.domain.escape import terminal_text

            self.progress.console.print(terminal_text(line), highlight=False)
        else:
            sys.stderr.write(line + "\n")

    def advance(self, name: str) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=1, last=name[-40:])

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _write(
    reports: list[AuditReport],
    failures: list[tuple[str, str]],
    fmt: str,
    output: Path | None,
    info: bool,
    only_summary: bool = False,
) -> None:
    entry = formats.AUDIT[fmt]
    if entry.render:
        written = formats.renderer(entry)(reports, failures, info, output.suffix.lower() if output else "")
        if isinstance(written, bytes):
            assert output is not None  # a workbook needs -o (`needs_output`); the checklist only with .xlsx
            write_bytes_output(written, output)
        else:
            write_output(written, output)
    else:
        from cnbudget.report.audit.text import render_summary, render_text

        buffer = io.StringIO() if output is not None else None
        console = console_for(output, buffer)
        with_summary = only_summary or len(reports) + len(failures) > 1
        if not only_summary:  # the unreadable files are listed once: in the summary when there is one
            render_text(reports, [] if with_summary else failures, console, info)
        if with_summary:
            render_summary(reports, failures, console)
        if buffer is not None:
            write_output(buffer.getvalue(), output)


def rules_command(
    fmt: Annotated[TableFormat, format_opt()] = TableFormat.text,
    profile_path: Annotated[Path | None, profile_opt()] = None,
    bom: Annotated[bool, bom_opt()] = False,
) -> None:
    """List the rule catalogue: id, family, severity, documents, tables, description, basis.

    With --profile: the severity each rule reports at, and whether it runs, under that review profile."""
    from cnbudget.audit.registry import all_rules

    show_rules(all_rules(), fmt, load_profile_option(profile_path), bom)
