"""Commands on a library of many documents: ingest, compare, history, execution, findings, export."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from cnbudget.cli.options import (
    BatchEngine,
    ExportFormat,
    Funds,
    Kind,
    Level,
    ReadingCommand,
    Scope,
    SeverityChoice,
    all_versions_opt,
    answer_format_opt,
    bom_opt,
    db_opt,
    jobs_opt,
    kind_filter_opt,
    load_profile_option,
    metric_opt,
    needs_output,
    organisation_arg,
    output_opt,
    profile_opt,
    reading,
    sample_opt,
)
from cnbudget.cli.render import PageBar, show_answer, show_ingest_summary
from cnbudget.cli.usage import Command, Group
from cnbudget.domain.errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, InputError, OutputError, UsageError
from cnbudget.domain.i18n import t
from cnbudget.report.formats import ANSWER

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID
    from sqlalchemy import Engine

    from cnbudget.library.processing import Given
    from cnbudget.model.answer import Answer


_HELP: dict[str, tuple[str, str]] = {
    "ingest": ("解析、审核文件并存入资料库；库中已有（内容相同）的文件跳过。",
               "Parse, audit and store documents in the library; files already there (same content) are skipped."),
    "compare": ("同一年度各部门并列比较（总额、基本/项目占比、人员经费、三公经费、任一科目）。",
                "Departments side by side for one year (total, 基本/项目 (basic/project) shares, 人员经费 "
                "(personnel), 三公 (three public expenses), any code)."),
    "history": ("一个部门（单位）的历年数字及同比增减。", "One organisation across years, with year-over-year changes."),
    "execution": ("决算与同年预算对比：按功能分类科目，以及三公经费。",
                  "Final accounts against the budget of the same year, per function code and for 三公 (three "
                  "public expenses)."),
    "findings": ("资料库中的审核发现，可按规则、级别、部门（单位）、年度筛选。",
                 "Audit findings across the library, filtered by rule, severity, organisation, year."),
    "metrics": ("compare 和 history 可显示的数字（各资料库相同：可给 --db，但不需要）。",
                "The figures compare and history can show (the same for every library: --db is accepted, not "
                "needed)."),
    "export": ("供分析用的整齐表格：金额、文件、部门（单位）和审核发现。",
               "Tidy tables for analysts: facts, documents, organisations and findings."),
    "organisations": ("资料库中的部门（单位）及其所属单位和文件数；合并、撤销合并、别名。",
                      "Organisations in the library, with their units and number of documents; merge, unmerge, "
                      "aliases."),
}  # fmt: skip
"""Each library command's help, in both languages (the one of the run is given when the app is built)."""


def register(app: typer.Typer) -> None:
    commands: dict[str, Callable[..., Any]] = {"ingest": ingest_command, "compare": compare_command, "history": history_command,
                "execution": execution_command, "findings": findings_command, "metrics": metrics_command,
                "export": export_command}  # fmt: skip
    for name, command in commands.items():
        cls = ReadingCommand if command is ingest_command else Command
        app.command(name, cls=cls, help=t(*_HELP[name]))(command)
    app.add_typer(_organisations_app(), name="organisations", help=t(*_HELP["organisations"]))


def open_library(db: str | None, create: bool = False, dataset: bool = False) -> Engine:
    """The library named by --db (else $CNBUDGET_DB, ./cnbudget.db); ``create``: a new one if missing;
    ``dataset``: a question, which a Parquet dataset (``parquet:DIR``) answers too."""
    from cnbudget.library import open_library as open_database

    return open_database(db, create=create, dataset=dataset)


@contextmanager
def using_library(db: str | None, create: bool = False, dataset: bool = False) -> Iterator[Engine]:
    """The library for one command, its connections closed when the command is done, whatever happens."""
    engine = open_library(db, create, dataset)
    try:
        yield engine
    finally:
        engine.dispose()


def _ask(
    db: str | None,
    fmt: str,
    output: Path | None,
    question: Callable[[Engine], Answer],
    bom: bool = False,
) -> None:
    """Open the library, answer, print, and always close the connections."""
    needs_output(ANSWER, fmt, output)  # before the library is opened
    with using_library(db, dataset=True) as engine:
        show_answer(question(engine), fmt, output, bom)


def _ingest_opt(name: str) -> Any:
    """The options of `ingest` (functions of the run's language, like those of cli/options.py)."""
    return {
        "paths": lambda: typer.Argument(metavar=t("路径...", "PATH..."), show_default=False,
                                        help=t("文件或文件夹（包括子文件夹）。", "Files or folders (read recursively).")),
        "sample": lambda: sample_opt(t("把 cnbudget 自带的示例文件存入资料库。",
                                       "Ingest the sample document bundled with cnbudget.")),
        "quiet": lambda: typer.Option("--quiet", "-q", help=t("只显示汇总行。", "Print only the summary line.")),
        "bundle": lambda: typer.Option("--bundle", help=t(
            "这些文件是分开发布的同一份公开文件（如情况说明与报表分开），按给出的顺序合为一份存入。",
            "The files are one disclosure published in parts (e.g. narrative and tables apart), stored as one "
            "document, in the order given.")),
        "log": lambda: typer.Option("--log", metavar=t("文件", "FILE"), show_default=False, help=t(
            "每处理完一份文件，立即在此文件末尾追加一行 JSON，含 time path status message 字段。",
            "Append a JSON line per document to this file as soon as it is done (time, path, status, message).")),
        "manifest": lambda: typer.Option("--manifest", metavar=t("清单", "CSV"), show_default=False, help=t(
            "CSV 清单：每行一份文件（“文件”列，相对于清单所在文件夹），可另给“单位”“年度”“类型”（预算或决算）"
            "“范围”（部门或单位）列，入库前写入文件的元数据，优先于文件所印。",
            "A CSV list of files (a path column, relative to the manifest's folder), optionally with "
            "organisation, year, kind and scope: put in each document's metadata before it is audited, "
            "over what the document prints.")),
        "engine": lambda: typer.Option("--engine", help=t(
            "local：本机的工作进程（默认）；ray：Ray 集群上的任务（需 pip install 'cnbudget\\[ray]'），结果仍由本进程"
            "存入资料库。",
            "local: worker processes on this machine (the default); ray: tasks on a Ray cluster (needs pip install "
            "'cnbudget\\[ray]'); this process still stores the results.")),
        "address": lambda: typer.Option("--address", metavar=t("地址", "ADDRESS"), show_default=False, help=t(
            "Ray 集群的地址：auto（本机已启动的集群）、ray://主机:10001 或 主机:端口；默认在本机另起一个 Ray。",
            "The Ray cluster: auto (the one `ray start` started on this machine), ray://host:10001 (Ray Client) or "
            "host:port; default: a Ray of its own on this machine.")),
    }[name]()  # fmt: skip


def _manifest(manifest: Path | None) -> dict[Path | str, Given]:
    """The files a manifest lists and what it gives of each (read whole before the library is touched)."""
    if manifest is None:
        return {}
    from cnbudget.library.manifest import read_manifest

    return {entry.path: entry.given for entry in read_manifest(manifest)}


def ingest_command(
    paths: Annotated[list[str] | None, _ingest_opt("paths")] = None,
    sample: Annotated[bool, _ingest_opt("sample")] = False,
    db: Annotated[str | None, db_opt()] = None,
    jobs: Annotated[int | None, jobs_opt()] = None,
    quiet: Annotated[bool, _ingest_opt("quiet")] = False,
    bundle: Annotated[bool, _ingest_opt("bundle")] = False,
    log: Annotated[Path | None, _ingest_opt("log")] = None,
    profile_path: Annotated[Path | None, profile_opt()] = None,
    manifest: Annotated[Path | None, _ingest_opt("manifest")] = None,
    engine_name: Annotated[BatchEngine, _ingest_opt("engine")] = BatchEngine.local,
    address: Annotated[str | None, _ingest_opt("address")] = None,
) -> None:
    """Parse, audit and store documents in the library; files already there (same content) are skipped."""
    from cnbudget.library.ingestion import check_runner, ingest
    from cnbudget.read.folders import DOCUMENT_SUFFIXES

    check_runner(engine_name.value, address)  # before the library is created
    inputs, given = _ingest_inputs(paths, sample, manifest)
    profile = load_profile_option(profile_path)  # checked before the library is touched
    journal = _open_log(log)
    engine = open_library(db, create=True)
    bar = _Bar(quiet, journal)
    options = reading(None if quiet else bar.pages)  # pages: one process only
    try:
        summary = ingest(
            engine, inputs, jobs=jobs, options=options, progress=bar.advance, on_start=bar.start, bundle=bundle,
            profile=profile, given=given, runner=engine_name.value, address=address,
        )  # fmt: skip
    finally:
        bar.pages.stop()
        bar.stop()
        engine.dispose()
        if journal is not None:
            journal.close()
    show_ingest_summary(summary, quiet)
    if summary.interrupted:
        raise SystemExit(EXIT_INTERRUPTED)
    if summary.total == 0:
        suffixes = " ".join(sorted(DOCUMENT_SUFFIXES))
        raise InputError(
            t(
                f"没有找到文件（在文件夹中查找 {suffixes} 文件）",
                f"no documents found (folders are searched for {suffixes} files)",
            ),
            " ".join(str(p) for p in inputs),
        )
    raise SystemExit(EXIT_INPUT if summary.failed else EXIT_OK)


def _ingest_inputs(
    paths: list[str] | None, sample: bool, manifest: Path | None
) -> tuple[list[Path | str], dict[Path | str, Given]]:
    """What to ingest: the paths and URLs given, the bundled sample, or a manifest's files (and what it gives)."""
    from cnbudget.domain.reference import sample_path
    from cnbudget.read.remote import is_url

    if sample and paths:
        raise UsageError(t("请给出路径或 --sample，不要同时给出", "give either PATH… or --sample, not both"))
    inputs: list[Path | str] = (
        [sample_path()] if sample else [p if is_url(p) else Path(p) for p in paths or []]
    )
    given = _manifest(manifest)
    inputs += list(given)
    if not inputs:
        raise UsageError(
            t(
                "缺少路径（或用 --sample 存入自带的示例文件，或用 --manifest 给出清单）",
                "missing PATH (or use --sample to ingest the bundled sample document, or --manifest)",
            )
        )
    return inputs, given


def _open_log(path: Path | None) -> TextIO | None:
    if path is None:
        return None
    parent = path.resolve().parent
    if not parent.is_dir():  # a mistyped folder is not created silently
        raise OutputError(
            t(f"文件夹不存在：{parent}", f"no such folder: {parent}"), str(path), setting="output"
        )
    try:
        return path.open("a", encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or exc
        raise OutputError(
            t(f"无法写入日志：{reason}", f"cannot write the log: {reason}"), str(path), setting="output"
        ) from exc


class _Bar:
    """A Rich progress bar on stderr, only on a terminal (logs and pipes get the summary alone)."""

    def __init__(self, quiet: bool, journal: TextIO | None = None) -> None:
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        self.quiet = quiet
        self.journal = journal
        self.pages = PageBar()
        """The pages of a slow PDF (OCR) read in this process: a line of this bar once it is shown."""

    def start(self, total: int) -> None:
        if self.quiet or not sys.stderr.isatty() or total < 2:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self.progress = RichProgress(
            TextColumn(t("入库", "Ingesting")), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            TextColumn("{task.fields[last]}", markup=False), console=Console(stderr=True), transient=True,
        )  # fmt: skip
        self.task = self.progress.add_task("ingest", total=total, last="")
        self.progress.start()
        self.pages.attach(self.progress)  # Rich shows one live display at a time: the pages share it

    def advance(self, path: str, status: str, message: str = "") -> None:
        if self.journal is not None:
            entry = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "path": path, "status": status}
            if message:
                entry["message"] = message
            self.journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self.journal.flush()  # a line per document as it finishes, readable while the batch runs
        self.pages.next_document()
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=1, last=Path(path).name[-40:])

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def compare_command(
    year: Annotated[
        int, typer.Option("--year", "-y", metavar=t("年度", "YEAR"), help=t("预算年度。", "Fiscal year."))
    ],
    metric: Annotated[list[str] | None, metric_opt()] = None,
    kind: Annotated[
        Kind,
        typer.Option(
            "--kind",
            metavar=t("类型", "KIND"),
            help=t("预算或决算（也可写 budget、final）。", "budget or final."),
        ),
    ] = Kind.budget,
    scope: Annotated[
        Scope | None,
        typer.Option(
            "--scope",
            show_default=False,
            help=t("只看 department（部门）或 unit（单位）文件。", "department or unit documents only."),
        ),
    ] = None,
    level: Annotated[
        Level | None,
        typer.Option(
            "--level",
            show_default=False,
            help=t("province（省级）、city（市级）或 district（区县级）。", "province, city or district."),
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar=t("地区", "REGION"),
            show_default=False,
            help=t(
                "只看这个省或市的部门（单位），如 湖北省、武汉市（名称开头的省市）。",
                "Only organisations of this province or city, written as their names begin (in Chinese).",
            ),
        ),
    ] = None,  # fmt: skip
    db: Annotated[str | None, db_opt()] = None,
    fmt: Annotated[str, answer_format_opt()] = "text",
    output: Annotated[Path | None, output_opt()] = None,
    bom: Annotated[bool, bom_opt()] = False,
) -> None:
    """Departments side by side for one year (total, 基本/项目 shares, 人员经费, 三公, any code)."""
    from cnbudget.library.questions import compare

    _ask(db, fmt, output, lambda engine: compare(
        engine, year, metric, kind=kind.canonical, scope=scope.value if scope else None,
        level=level.value if level else None, region=region,
    ), bom)  # fmt: skip


def history_command(
    organisation: Annotated[str, organisation_arg()],
    metric: Annotated[list[str] | None, metric_opt()] = None,
    kind: Annotated[Kind | None, kind_filter_opt()] = None,
    db: Annotated[str | None, db_opt()] = None,
    fmt: Annotated[str, answer_format_opt()] = "text",
    output: Annotated[Path | None, output_opt()] = None,
    bom: Annotated[bool, bom_opt()] = False,
) -> None:
    """One organisation across years, with year-over-year changes."""
    from cnbudget.library.questions import history

    _ask(
        db,
        fmt,
        output,
        lambda engine: history(engine, organisation, metric, kind=kind.canonical if kind else None),
        bom,
    )


def execution_command(
    organisation: Annotated[str, organisation_arg()],
    year: Annotated[
        int,
        typer.Argument(help=t("预算年度。", "Fiscal year."), metavar=t("年度", "YEAR"), show_default=False),
    ],
    funds: Annotated[
        Funds,
        typer.Option(
            "--funds",
            help=t(
                "all：全部资金（B03 对 F03）；general：一般公共预算（B05 对 F05）。",
                "all (B03 against F03) or general: 一般公共预算 (general public budget; B05 against F05).",
            ),
        ),
    ] = Funds.all,
    db: Annotated[str | None, db_opt()] = None,
    fmt: Annotated[str, answer_format_opt()] = "text",
    output: Annotated[Path | None, output_opt()] = None,
    bom: Annotated[bool, bom_opt()] = False,
) -> None:
    """Final accounts against the budget of the same year, per function code and for 三公."""
    from cnbudget.library.questions import execution

    _ask(db, fmt, output, lambda engine: execution(engine, organisation, year, funds=funds.value), bom)


def _findings_opt(name: str) -> Any:
    """The filters of `findings` (functions of the run's language, like those of cli/options.py)."""
    return {
        "rule": lambda: typer.Option("--rule", metavar=t("规则", "RULE"), show_default=False,
                                     help=t("规则编号（NARR-* 表示一类规则）。", "A rule id (NARR-* for a family of ids).")),
        "severity": lambda: typer.Option("--severity", metavar=t("级别", "LEVEL"), show_default=False, help=t(
            "至少这个级别：错误、警告或提示（也可写 error、warning、info）。", "At least this severe: error, warning or info.")),
        "org": lambda: typer.Option("--org", metavar=t("部门", "ORGANISATION"), show_default=False, help=t(
            "部门（单位）：名称、名称的一部分、编码或 #编号。", "Name, part of a name, code, or #id.")),
        "year": lambda: typer.Option("--year", "-y", metavar=t("年度", "YEAR"), show_default=False,
                                     help=t("预算年度。", "Fiscal year.")),
        "limit": lambda: typer.Option("--limit", min=1, show_default=False,
                                      help=t("最多显示这么多条。", "At most this many.")),
        "dismissed": lambda: typer.Option("--dismissed", help=t(
            "也列出审核团队已驳回（认定为误报）的审核结果。", "Also list findings a review team dismissed.")),
    }[name]()  # fmt: skip


def findings_command(
    rule: Annotated[str | None, _findings_opt("rule")] = None,
    severity: Annotated[SeverityChoice | None, _findings_opt("severity")] = None,
    organisation: Annotated[str | None, _findings_opt("org")] = None,
    year: Annotated[int | None, _findings_opt("year")] = None,
    kind: Annotated[Kind | None, kind_filter_opt()] = None,
    all_versions: Annotated[bool, all_versions_opt()] = False,
    limit: Annotated[int | None, _findings_opt("limit")] = None,
    dismissed: Annotated[bool, _findings_opt("dismissed")] = False,
    db: Annotated[str | None, db_opt()] = None,
    fmt: Annotated[str, answer_format_opt()] = "text",
    output: Annotated[Path | None, output_opt()] = None,
    bom: Annotated[bool, bom_opt()] = False,
) -> None:
    """Audit findings across the library, filtered by rule, severity, organisation, year."""
    from cnbudget.library.questions import findings

    _ask(db, fmt, output, lambda engine: findings(
        engine, rule=rule, severity=severity.canonical if severity else None, organisation=organisation, year=year,
        kind=kind.canonical if kind else None, all_versions=all_versions, limit=limit, dismissed=dismissed,
    ), bom)  # fmt: skip


def _organisations_app() -> typer.Typer:
    """`cnbudget organisations [merge|unmerge|aliases]`, built in the run's language like the app."""
    group = typer.Typer(
        cls=Group, no_args_is_help=False, context_settings={"help_option_names": ["-h", "--help"]}
    )
    group.callback(invoke_without_command=True, cls=Group)(organisations_command)
    group.command(
        "merge",
        cls=Command,
        help=t(
            "把“旧名”的文件归入“新名”；旧名此后作为新名的别名（用于更名的部门）。",
            "File ALIAS's documents under TARGET; ALIAS stays a name of TARGET (for renamed departments).",
        ),
    )(merge_command)
    group.command(
        "unmerge",
        cls=Command,
        help=t(
            "撤销合并：该名称重新成为独立的部门（单位），带回以它为名的文件。",
            "Undo a merge: ALIAS is its own organisation again, with the documents that name it.",
        ),
    )(unmerge_command)
    group.command(
        "aliases",
        cls=Command,
        help=t(
            "已并入其他部门（单位）的名称，及各名称下的文件。",
            "Names merged into other organisations, with the documents filed under each.",
        ),
    )(aliases_command)
    return group


def organisations_command(
    ctx: typer.Context,
    db: Annotated[str | None, db_opt()] = None,
    fmt: Annotated[str, answer_format_opt()] = "text",
    output: Annotated[Path | None, output_opt()] = None,
    bom: Annotated[bool, bom_opt()] = False,
) -> None:
    """Organisations in the library, with their units and number of documents; merge, unmerge, aliases."""
    ctx.obj = db
    if ctx.invoked_subcommand is not None:
        return
    from cnbudget.library.questions import organisations

    _ask(db, fmt, output, organisations, bom)


def merge_command(
    ctx: typer.Context,
    alias: Annotated[
        str,
        typer.Argument(
            help=t(
                "被并入的部门（单位，旧名）：名称、名称的一部分、编码或 #编号。",
                "The organisation merged away (old name): name, part, code or #id.",
            ),
            metavar=t("旧名", "ALIAS"),
            show_default=False,
        ),
    ],
    target: Annotated[
        str,
        typer.Argument(
            help=t(
                "并入后的部门（单位，新名）：名称、名称的一部分、编码或 #编号。",
                "The organisation it becomes (new name): name, part, code or #id.",
            ),
            metavar=t("新名", "TARGET"),
            show_default=False,
        ),
    ],
    db: Annotated[str | None, db_opt()] = None,
) -> None:
    """File ALIAS's documents under TARGET; ALIAS stays a name of TARGET (for renamed departments)."""
    from cnbudget.domain.escape import plain_text
    from cnbudget.library.identity import merge

    with using_library(db or ctx.obj) as engine:
        done = merge(engine, alias, target)
    a, b = plain_text(done.alias_name), plain_text(done.target_name)
    sys.stdout.write(
        t(
            f"已将 #{done.alias_id} {a} 并入 #{done.target_id} {b}：{done.documents} 份文件改归后者；"
            f"以后入库的“{a}”文件也归入后者（撤销：cnbudget organisations unmerge '#{done.alias_id}'）\n",
            f"merged #{done.alias_id} {a} into #{done.target_id} {b}: {done.documents} document(s) moved; "
            f"documents of “{a}” ingested later go there too (undo: cnbudget organisations unmerge "
            f"'#{done.alias_id}')\n",
        )
    )


def unmerge_command(
    ctx: typer.Context,
    alias: Annotated[
        str,
        typer.Argument(
            help=t(
                "已合并的名称：名称、名称的一部分、编码或 #编号。", "A merged name: name, part, code or #id."
            ),
            metavar=t("旧名", "ALIAS"),
            show_default=False,
        ),
    ],
    db: Annotated[str | None, db_opt()] = None,
) -> None:
    """Undo a merge: ALIAS is its own organisation again, with the documents that name it."""
    from cnbudget.domain.escape import plain_text
    from cnbudget.library.identity import unmerge

    with using_library(db or ctx.obj) as engine:
        done = unmerge(engine, alias)
    a, b = plain_text(done.alias_name), plain_text(done.target_name)
    sys.stdout.write(
        t(
            f"#{done.alias_id} {a} 不再并入 #{done.target_id} {b}：{done.documents} 份文件归回前者\n",
            f"#{done.alias_id} {a} is no longer merged into #{done.target_id} {b}: "
            f"{done.documents} document(s) moved back\n",
        )
    )


def aliases_command(
    ctx: typer.Context,
    db: Annotated[str | None, db_opt()] = None,
    fmt: Annotated[str, answer_format_opt()] = "text",
    output: Annotated[Path | None, output_opt()] = None,
    bom: Annotated[bool, bom_opt()] = False,
) -> None:
    """Names merged into other organisations, with the documents filed under each."""
    from cnbudget.library.identity import aliases

    _ask(db or ctx.obj, fmt, output, aliases, bom)


def metrics_command(
    fmt: Annotated[str, answer_format_opt()] = "text",
    output: Annotated[Path | None, output_opt()] = None,
    db: Annotated[str | None, db_opt()] = None,
    bom: Annotated[bool, bom_opt()] = False,
) -> None:
    """The figures compare and history can show (the same for every library: --db is accepted, not needed)."""
    from cnbudget.library.questions import metrics

    show_answer(metrics(), fmt, output, bom)


def _export_opt(name: str) -> Any:
    """The options of `export` (functions of the run's language, like those of cli/options.py)."""
    return {
        "output": lambda: typer.Option("--output", "-o", metavar=t("路径", "PATH"), show_default=False, help=t(
            "一个文件夹（csv、parquet：每张表一个文件；文件夹的上级须已存在），只导出一张表时也可是 x.csv / x.parquet "
            "文件；xlsx 为一个 .xlsx 文件；dataset 为一个文件夹（空的，或替换其中的数据集）。",
            "A folder (csv, parquet: one file per table; its parent must exist), or with one --table a file "
            "x.csv / x.parquet; for xlsx one .xlsx file; for dataset a folder (empty, or holding a dataset it "
            "replaces).")),
        "format": lambda: typer.Option("--format", "-f", metavar=t("格式", "FORMAT"), help=t(
            "csv、parquet、xlsx，或 dataset：按年度和地区分区的 Parquet 数据集，含提问所需的全部表和所有版本，"
            "提问的命令用 --db parquet:文件夹 直接读取。",
            "csv, parquet, xlsx, or dataset: a Parquet dataset partitioned by year and region, with every table "
            "the questions read and every version, that compare, history, execution and findings read in place "
            "with --db parquet:DIR (DuckDB).")),
        "table": lambda: typer.Option("--table", "-t", metavar=t("表", "TABLE"), show_default=False, help=t(
            "表名 facts documents organisations findings 之一（可重复；默认全部）。",
            "facts, documents, organisations, findings (repeatable; default all).")),
    }[name]()  # fmt: skip


def export_command(
    output: Annotated[Path, _export_opt("output")],
    fmt: Annotated[ExportFormat, _export_opt("format")] = ExportFormat.csv,
    table: Annotated[list[str] | None, _export_opt("table")] = None,
    all_versions: Annotated[bool, all_versions_opt()] = False,
    db: Annotated[str | None, db_opt()] = None,
    bom: Annotated[bool, bom_opt()] = False,
) -> None:
    """Tidy tables for analysts: facts, documents, organisations and findings."""
    from cnbudget.library.exports import EXPORT_TABLES, export

    if fmt is ExportFormat.dataset:
        _export_dataset(db, output, bool(table or all_versions or bom))
        return
    names = table or list(EXPORT_TABLES)
    unknown = [n for n in names if n not in EXPORT_TABLES]
    if unknown:
        raise UsageError(
            t(f"没有表 {'、'.join(unknown)}：可选 {'、'.join(EXPORT_TABLES)}",
              f"unknown table {', '.join(unknown)}: choose from {', '.join(EXPORT_TABLES)}")
        )  # fmt: skip
    with using_library(db) as engine:
        written = export(engine, output, fmt.value, names, all_versions=all_versions, bom=bom)
    for path, rows in written:
        sys.stderr.write(t(f"{path}：{rows} 行\n", f"{path}: {rows} rows\n"))


def _export_dataset(db: str | None, output: Path, other_options: bool) -> None:
    from cnbudget.library.exports import export_dataset

    if other_options:
        raise UsageError(t("dataset 总是包含全部表和所有版本：不用 --table、--all-versions、--bom",
                           "a dataset always holds every table and version: no --table, --all-versions, --bom"))  # fmt: skip
    with using_library(db) as engine:
        counts = export_dataset(engine, output)
    listed = t("，", ", ").join(f"{name} {count}" for name, count in counts.items())
    sys.stderr.write(t(f"{output}：{listed} 行；用 --db parquet:{output} 提问\n",
                       f"{output}: {listed} rows; ask with --db parquet:{output}\n"))  # fmt: skip
