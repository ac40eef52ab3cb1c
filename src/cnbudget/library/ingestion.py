"""Batch ingest: parse and audit by the batch runner (`library.batch`, worker processes), write each document
in its own transaction.

Writing is done by the parent alone (SQLite allows one writer, and one writer keeps version numbers simple).
A file that fails is recorded and the batch goes on; a batch killed halfway leaves only whole
documents behind, and running it again skips them by their content hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select

from cnbudget.domain.errors import CnbudgetError, UsageError
from cnbudget.domain.i18n import t
from cnbudget.library import batch
from cnbudget.library.processing import Failure, Given, died, record_or_fail
from cnbudget.read import remote
from cnbudget.read.folders import expand_inputs
from cnbudget.read.remote import is_url
from cnbudget.read.source import ReadOptions
from cnbudget.store import schema
from cnbudget.store.records import DocumentRecord
from cnbudget.store.writer import WriteResult, write_record

if TYPE_CHECKING:
    from cnbudget.audit.profile import AuditProfile


@dataclass(slots=True)
class IngestSummary:
    ingested: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    interrupted: bool = False

    @property
    def total(self) -> int:
        return len(self.ingested) + len(self.new_versions) + len(self.unchanged) + len(self.failed)


def collect_paths(inputs: Iterable[Path | str]) -> tuple[list[Path | str], list[Failure]]:
    """Files to ingest, folders walked recursively in a stable order; missing inputs are failures. An input
    may be a URL read through fsspec (`read.remote`): a file, or a folder of documents."""
    files: list[Path | str] = []
    failures: list[Failure] = []
    local: list[Path] = []
    for item in inputs:
        if is_url(item):
            try:
                found = remote.expand(str(item))
            except CnbudgetError as exc:
                failures.append(Failure(str(item), exc.message))
                continue
            files += found
            if not found:
                failures.append(Failure(str(item), t("文件或文件夹不存在", "no such file or folder")))
        else:
            local.append(Path(item))
    expanded = expand_inputs(local)
    failures += [
        Failure(str(item), t("文件或文件夹不存在", "no such file or folder")) for item in expanded.missing
    ]
    return files + list(expanded.files), failures


def file_sha256(path: Path | str) -> str:
    digest = hashlib.sha256()
    with remote.open_url(str(path))[0] if is_url(path) else Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_key(path: Path | str) -> str:
    """How an input is known across a batch: a URL as written, a file by its full path."""
    return str(path) if is_url(path) else str(Path(path).resolve())


Progress = Callable[[str, str, str], None]
"""Called as each document finishes: (path, status, message) — status ingested, new_version, unchanged or
failed; the message says why a document failed."""
"""Called after each file with its path and outcome (ingested, new_version, unchanged, failed)."""


def ingest(
    engine: Engine,
    inputs: Iterable[Path | str],
    *,
    jobs: int | None = None,
    options: ReadOptions | None = None,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
    bundle: bool = False,
    profile: AuditProfile | None = None,
    given: Mapping[Path | str, Given] | None = None,
    runner: str = "local",
    address: str | None = None,
) -> IngestSummary:
    """Ingest files and folders into the library opened as ``engine``.

    ``bundle``: the files are the parts of one disclosure (narrative and tables published apart), stored
    as one document, in the order given. ``profile``: the review profile the stored findings follow (a
    document already in the library, same content, is skipped and keeps the findings it was stored with).
    ``given``: what is known of a file (by its resolved path; a manifest's columns, `library.manifest`),
    put in its metadata before it is audited; a bundle takes what is given for its first part. ``runner``:
    ``local`` (worker processes on this machine, `library.batch`) or ``ray`` (Ray tasks on the cluster at
    ``address``, `library.cluster`); the library is written by this process either way."""
    runner_of = _Runner(runner, address, jobs)  # a wrong engine is refused before anything is read
    files, failures = collect_paths(inputs)
    summary = IngestSummary(failed=failures)
    total = (1 if bundle and files else len(files)) + len(failures)  # documents, and inputs that do not exist
    with engine.connect() as conn:
        known = set(conn.execute(select(schema.documents.c.content_sha256)).scalars())
    plan = _plan(files, known, bundle, failures, runner_of)
    summary.unchanged += plan.unchanged
    if on_start:
        on_start(total)
    for name in summary.unchanged:
        _report(progress, name, "unchanged")
    for failure in failures:
        _report(progress, failure.path, "failed", failure.message)
    known_of = {input_key(p): g for p, g in (given or {}).items()}
    pending = [
        (parts, known_of.get(input_key(parts if isinstance(parts, str) else parts[0])))
        for parts in plan.pending
    ]
    results = _results(pending, runner_of.workers(len(pending)), options, profile, runner_of)
    try:
        for outcome in results:
            if isinstance(outcome, Failure):
                _fail(summary, progress, outcome, plan.copies)
            else:
                _store(engine, outcome, summary, progress, plan.copies)
    except KeyboardInterrupt:
        summary.interrupted = True
        results.close()  # cancels queued files and waits for the workers to stop
    return summary


@dataclass(slots=True)
class _Plan:
    pending: list[str | tuple[str, ...]] = field(default_factory=list)
    """What is to be read: a file, or a bundle's parts."""
    unchanged: list[str] = field(default_factory=list)
    """In the library already, by content."""
    copies: dict[str, list[str]] = field(default_factory=dict)
    """The same bytes twice in one batch are parsed once; the copies share the first one's outcome."""


def digest_or_fail(path: Path | str) -> str | Failure:
    """The content hash of one input, or why it cannot be read (in a Ray task for a batch on a cluster)."""
    try:
        return file_sha256(path)
    except OSError as exc:
        reason = exc.strerror or exc
        return Failure(str(path), t(f"无法读取：{reason}", f"cannot read: {reason}"))
    except CnbudgetError as exc:  # a URL that cannot be opened
        return Failure(str(path), exc.message)


def _digests(files: list[Path | str], runner: _Runner) -> list[str | Failure]:
    """Each input's content hash, in order: read here, or — on a cluster — by the Ray workers, so that the
    process that stores the results does not read a million documents once more by itself."""
    if runner.name != "ray" or len(files) <= 1:
        return [digest_or_fail(path) for path in files]
    from cnbudget.library import cluster

    hashed = dict(cluster.run(digest_or_fail, files, died, address=runner.address, workers=runner.jobs))
    return [hashed[index] for index in range(len(files))]


def _plan(
    files: list[Path | str], known: set[str], bundle: bool, failures: list[Failure], runner: _Runner
) -> _Plan:
    """What a batch reads, once each content: files already stored are unchanged, copies wait for the
    first of them; a bundle is one document, stored only when every part can be read."""
    plan = _Plan()
    digests: list[tuple[Path | str, str]] = []
    for path, digest in zip(files, _digests(files, runner), strict=True):
        if isinstance(digest, Failure):
            failures.append(digest)
        else:
            digests.append((path, digest))
    if bundle:
        if digests and not failures:  # one part missing: the disclosure is not stored incomplete
            # the bundle's identity is that of `read_bundle`: the digest of its parts' digests, in order
            digest = hashlib.sha256("".join(d for _, d in digests).encode("ascii")).hexdigest()
            name = " + ".join(str(p) for p, _ in digests)
            if digest in known:
                plan.unchanged.append(name)
            else:
                plan.copies[name] = []
                plan.pending.append(tuple(str(p) for p, _ in digests))
        return plan
    first_of: dict[str, str] = {}
    for path, digest in digests:
        if digest in known:
            plan.unchanged.append(str(path))
        elif digest in first_of:
            plan.copies[first_of[digest]].append(str(path))
        else:
            first_of[digest] = str(path)
            plan.copies[str(path)] = []
            plan.pending.append(str(path))
    return plan


def _store(
    engine: Engine, record: DocumentRecord, summary: IngestSummary, progress: Progress | None,
    copies: dict[str, list[str]],
) -> None:  # fmt: skip
    """Write one document (its own transaction) and count it, with the copies of it in the batch."""
    try:
        written = write_record(engine, record)
    except Exception as exc:  # noqa: BLE001 - the transaction rolled back; report and go on
        why = _short(exc)
        _fail(summary, progress, Failure(record.path, t(f"无法存入资料库：{why}", f"could not be stored: {why}")),
              copies)  # fmt: skip
        return
    _tally(summary, record.path, written)
    _report(progress, record.path, written.status)
    for copy in copies.get(record.path, []):
        summary.unchanged.append(copy)
        _report(progress, copy, "unchanged")


@dataclass(frozen=True, slots=True)
class _Runner:
    """Where the documents are read: ``local`` worker processes, or ``ray`` tasks (at ``address``)."""

    name: str
    address: str | None
    jobs: int | None

    def __post_init__(self) -> None:
        check_runner(self.name, self.address)

    def workers(self, documents: int) -> int:
        """Worker processes on this machine (Ray decides its own from the cluster's CPUs)."""
        return batch.workers_for(self.jobs, documents) if self.name == "local" else 1


RUNNERS = ("local", "ray")


def check_runner(runner: str, address: str | None) -> None:
    """An engine this batch runner has, and an address only for Ray (checked before a library is created)."""
    if runner not in RUNNERS:
        raise UsageError(t(f"没有执行引擎 {runner}：可选 {'、'.join(RUNNERS)}",
                           f"no engine {runner}: choose from {', '.join(RUNNERS)}"), setting="engine")  # fmt: skip
    if address and runner != "ray":
        raise UsageError(t("--address 只用于 --engine ray", "--address is for --engine ray only"),
                         setting="address")  # fmt: skip


Pending = tuple[str | tuple[str, ...], Given | None]
"""A document to read (a file, or a bundle's parts) and what is given about it."""


def _results(
    paths: list[Pending],
    workers: int,
    options: ReadOptions | None,
    profile: AuditProfile | None,
    runner: _Runner | None = None,
) -> Generator[DocumentRecord | Failure, None, None]:
    """Each pending document read, parsed and audited by the batch runner, as it finishes."""
    runner = runner or _Runner("local", None, None)
    if (workers > 1 or runner.name != "local") and options is not None and options.progress is not None:
        options = replace(options, progress=None)  # a callback of this process means nothing in a worker
    work = partial(_record, options=options, profile=profile)
    if runner.name == "ray":
        from cnbudget.library import cluster

        for _, outcome in cluster.run(work, paths, _died, address=runner.address, workers=runner.jobs):
            yield outcome
        return
    for _, outcome in batch.run(work, paths, workers, _died):
        yield outcome


def _record(
    item: Pending, options: ReadOptions | None, profile: AuditProfile | None
) -> DocumentRecord | Failure:
    path, given = item
    return record_or_fail(path, options, profile, given)


def _died(item: Pending) -> Failure:
    return died(item[0])


def _fail(
    summary: IngestSummary, progress: Progress | None, failure: Failure, copies: dict[str, list[str]]
) -> None:
    summary.failed.append(failure)
    _report(progress, failure.path, "failed", failure.message)
    for copy in copies.get(failure.path, []):
        message = f"same content as {failure.path}, which failed: {failure.message}"
        summary.failed.append(Failure(copy, message))
        _report(progress, copy, "failed", message)


def _tally(summary: IngestSummary, path: str, written: WriteResult) -> None:
    if written.status == "ingested":
        summary.ingested.append(path)
    elif written.status == "new_version":
        summary.new_versions.append(path)
    else:
        summary.unchanged.append(path)


def _report(progress: Progress | None, path: str, status: str, message: str = "") -> None:
    if progress is not None:
        progress(path, status, message)


def _short(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
