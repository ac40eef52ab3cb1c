"""Commands on a library of many documents: ingest, compare, history, execution, findings, export."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from cnbudget.cli.options import (
    AllVersionsOpt,
    DbOpt,
    ExportFormat,
    FormatOpt,
    Funds,
    Kind,
    KindFilterOpt,
    Level,
    MaxCellsOpt,
    MaxDepthOpt,
    MaxMbOpt,
    MaxPagesOpt,
    MaxPdfMbOpt,
    MaxSecondsOpt,
    MaxUnpackedMbOpt,
    MetricOpt,
    OcrOpt,
    OrganisationArg,
    OutputOpt,
    Scope,
    SeverityChoice,
    TableFormat,
    read_options,
)
from cnbudget.cli.render import show_answer, show_ingest_summary
from cnbudget.domain.errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, InputError, OutputError, UsageError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID
    from sqlalchemy import Engine

    from cnbudget.library.answers import Answer


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("compare")(compare_command)
    app.command("history")(history_command)
    app.command("execution")(execution_command)
    app.command("findings")(findings_command)
    app.command("organisations")(organisations_command)
    app.command("metrics")(metrics_command)
    app.command("export")(export_command)


def _open(db: str | None, create: bool = False) -> Engine:
    from cnbudget.store.database import open_database

    return open_database(db, create=create)


def _ask(db: str | None, fmt: TableFormat, output: Path | None, question: Callable[[Engine], Answer]) -> None:
    """Open the library, answer, print, and always close the connections."""
    engine = _open(db)
    try:
        show_answer(question(engine), fmt, output)
    finally:
        engine.dispose()


def ingest_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (read recursively).", show_default=False)
    ] = None,
    sample: Annotated[
        bool, typer.Option("--sample", help="Ingest the sample document bundled with cnbudget.")
    ] = False,
    db: DbOpt = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Worker processes (default: one per CPU).", show_default=False
        ),
    ] = None,
    max_pages: MaxPagesOpt = None,
    max_seconds: MaxSecondsOpt = None,
    ocr: OcrOpt = True,
    max_mb: MaxMbOpt = None,
    max_pdf_mb: MaxPdfMbOpt = None,
    max_cells: MaxCellsOpt = None,
    max_depth: MaxDepthOpt = None,
    max_unpacked_mb: MaxUnpackedMbOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")] = False,
    bundle: Annotated[
        bool,
        typer.Option(
            "--bundle",
            help="The files are one disclosure published in parts (e.g. narrative and tables apart), "
            "stored as one document, in the order given.",
        ),
    ] = False,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            help="Append a JSON line per document to this file as soon as it is done (time, path, status, "
            "message).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Parse, audit and store documents in the library; files already there (same content) are skipped."""
    from cnbudget.domain.reference import sample_path
    from cnbudget.library.ingestion import DOCUMENT_SUFFIXES, ingest

    if sample and paths:
        raise UsageError("give either PATH… or --sample, not both")
    paths = [sample_path()] if sample else list(paths or [])
    if not paths:
        raise UsageError("missing PATH (or use --sample to ingest the bundled sample document)")
    options = read_options(
        max_pages, max_seconds, ocr, max_mb, max_pdf_mb, max_cells, max_depth, max_unpacked_mb
    )
    journal = _open_log(log)
    engine = _open(db, create=True)
    bar = _Bar(quiet, journal)
    try:
        summary = ingest(
            engine, paths, jobs=jobs, options=options, progress=bar.advance,
            on_start=bar.start, bundle=bundle,
        )  # fmt: skip
    finally:
        bar.stop()
        engine.dispose()
        if journal is not None:
            journal.close()
    show_ingest_summary(summary, quiet)
    if summary.interrupted:
        raise SystemExit(EXIT_INTERRUPTED)
    if summary.total == 0:
        raise InputError(
            "no documents found (folders are searched for " + " ".join(sorted(DOCUMENT_SUFFIXES)) + " files)",
            " ".join(str(p) for p in paths),
        )
    raise SystemExit(EXIT_INPUT if summary.failed else EXIT_OK)


def _open_log(path: Path | None) -> TextIO | None:
    if path is None:
        return None
    try:
        return path.open("a", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"无法写入日志：{exc.strerror or exc}", str(path), setting="output") from exc


class _Bar:
    """A Rich progress bar on stderr, only on a terminal (logs and pipes get the summary alone)."""

    def __init__(self, quiet: bool, journal: TextIO | None = None) -> None:
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        self.quiet = quiet
        self.journal = journal

    def start(self, total: int) -> None:
        if self.quiet or not sys.stderr.isatty() or total < 2:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self.progress = RichProgress(
            TextColumn("入库"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            TextColumn("{task.fields[last]}", markup=False), console=Console(stderr=True), transient=True,
        )  # fmt: skip
        self.task = self.progress.add_task("ingest", total=total, last="")
        self.progress.start()

    def advance(self, path: str, status: str, message: str = "") -> None:
        if self.journal is not None:
            entry = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "path": path, "status": status}
            if message:
                entry["message"] = message
            self.journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self.journal.flush()  # a line per document as it finishes, readable while the batch runs
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=1, last=Path(path).name[-40:])

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def compare_command(
    year: Annotated[int, typer.Option("--year", "-y", help="Fiscal year.")],
    metric: MetricOpt = None,
    kind: Annotated[Kind, typer.Option("--kind", help="budget (预算) or final (决算).")] = Kind.budget,
    scope: Annotated[
        Scope | None, typer.Option("--scope", help="department or unit documents only.", show_default=False)
    ] = None,
    level: Annotated[
        Level | None, typer.Option("--level", help="province, city or district.", show_default=False)
    ] = None,
    db: DbOpt = None,
    fmt: FormatOpt = TableFormat.text,
    output: OutputOpt = None,
) -> None:
    """Departments side by side for one year (total, 基本/项目 shares, 人员经费, 三公, any code)."""
    from cnbudget.library.questions import compare

    _ask(db, fmt, output, lambda engine: compare(
        engine, year, metric, kind=kind.value, scope=scope.value if scope else None,
        level=level.value if level else None,
    ))  # fmt: skip


def history_command(
    organisation: OrganisationArg,
    metric: MetricOpt = None,
    kind: KindFilterOpt = None,
    db: DbOpt = None,
    fmt: FormatOpt = TableFormat.text,
    output: OutputOpt = None,
) -> None:
    """One organisation across years, with year-over-year changes."""
    from cnbudget.library.questions import history

    _ask(
        db,
        fmt,
        output,
        lambda engine: history(engine, organisation, metric, kind=kind.value if kind else None),
    )


def execution_command(
    organisation: OrganisationArg,
    year: Annotated[int, typer.Argument(help="Fiscal year.", show_default=False)],
    funds: Annotated[
        Funds,
        typer.Option("--funds", help="all (B03 against F03) or general: 一般公共预算 (B05 against F05)."),
    ] = Funds.all,
    db: DbOpt = None,
    fmt: FormatOpt = TableFormat.text,
    output: OutputOpt = None,
) -> None:
    """Final accounts against the budget of the same year, per function code and for 三公."""
    from cnbudget.library.questions import execution

    _ask(db, fmt, output, lambda engine: execution(engine, organisation, year, funds=funds.value))


def findings_command(
    rule: Annotated[
        str | None, typer.Option("--rule", help="A rule id (NARR-* for a family of ids).", show_default=False)
    ] = None,
    severity: Annotated[
        SeverityChoice | None, typer.Option("--severity", help="At least this severe.", show_default=False)
    ] = None,
    organisation: Annotated[
        str | None, typer.Option("--org", help="Name, part of a name, code, or #id.", show_default=False)
    ] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Fiscal year.", show_default=False)] = None,
    kind: KindFilterOpt = None,
    all_versions: AllVersionsOpt = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many.", show_default=False)
    ] = None,
    db: DbOpt = None,
    fmt: FormatOpt = TableFormat.text,
    output: OutputOpt = None,
) -> None:
    """Audit findings across the library, filtered by rule, severity, organisation, year."""
    from cnbudget.library.questions import findings

    _ask(db, fmt, output, lambda engine: findings(
        engine, rule=rule, severity=severity.value if severity else None, organisation=organisation, year=year,
        kind=kind.value if kind else None, all_versions=all_versions, limit=limit,
    ))  # fmt: skip


def organisations_command(
    db: DbOpt = None, fmt: FormatOpt = TableFormat.text, output: OutputOpt = None
) -> None:
    """Organisations in the library, with their units and number of documents."""
    from cnbudget.library.questions import organisations

    _ask(db, fmt, output, organisations)


def metrics_command(fmt: FormatOpt = TableFormat.text, output: OutputOpt = None, db: DbOpt = None) -> None:
    """The figures compare and history can show (the same for every library: --db is accepted, not needed)."""
    from cnbudget.library.questions import metrics

    show_answer(metrics(), fmt, output)


def export_command(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="A folder (csv, parquet: one file per table) or an .xlsx file.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv, parquet or xlsx.")
    ] = ExportFormat.csv,
    table: Annotated[
        list[str] | None,
        typer.Option(
            "--table",
            "-t",
            help="facts, documents, organisations, findings (repeatable; default all).",
            show_default=False,
        ),
    ] = None,
    all_versions: AllVersionsOpt = False,
    db: DbOpt = None,
) -> None:
    """Tidy tables for analysts: facts, documents, organisations and findings."""
    from cnbudget.library.exports import EXPORT_TABLES, export

    names = table or list(EXPORT_TABLES)
    unknown = [n for n in names if n not in EXPORT_TABLES]
    if unknown:
        raise UsageError(f"unknown table {', '.join(unknown)}: choose from {', '.join(EXPORT_TABLES)}")
    engine = _open(db)
    try:
        written = export(engine, output, fmt.value, names, all_versions=all_versions)
    finally:
        engine.dispose()
    for path, rows in written:
        sys.stderr.write(f"{path}: {rows} rows\n")
