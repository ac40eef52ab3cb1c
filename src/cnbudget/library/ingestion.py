"""Batch ingest: parse and audit in worker processes, write each document in its own transaction.

Parsing and auditing are CPU-bound and independent, so they run in a pool of processes; writing is
done by the parent alone (SQLite allows one writer, and one writer keeps version numbers simple).
A file that fails is recorded and the batch goes on; a batch killed halfway leaves only whole
documents behind, and running it again skips them by their content hash.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select

from cnbudget.domain.errors import CnbudgetError
from cnbudget.read.source import ReadOptions
from cnbudget.store import schema
from cnbudget.store.records import DocumentRecord
from cnbudget.store.writer import WriteResult, write_record

DOCUMENT_SUFFIXES = frozenset({".txt", ".md", ".pdf", ".xlsx", ".xls", ".docx", ".html", ".htm"})
"""Files picked up when a folder is given (a file named explicitly is always read)."""


@dataclass(frozen=True, slots=True)
class Failure:
    path: str
    message: str
    setting: str | None = None
    """The setting behind the failure (a `ReadOptions` limit …), for the command line to name its option."""


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


def collect_paths(inputs: Iterable[Path]) -> tuple[list[Path], list[Failure]]:
    """Files to ingest, folders walked recursively in a stable order; missing inputs are failures."""
    files: list[Path] = []
    missing: list[Failure] = []
    seen: set[Path] = set()
    for item in inputs:
        if item.is_dir():
            found = sorted(
                p
                for p in item.rglob("*")
                if p.is_file()
                and p.suffix.lower() in DOCUMENT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(item).parts)
            )
        elif item.is_file():
            found = [item]
        else:
            missing.append(Failure(str(item), "no such file or folder"))
            continue
        for path in found:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                files.append(path)
    return files, missing


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def process_file(path: str | tuple[str, ...], options: ReadOptions | None = None) -> DocumentRecord | Failure:
    """Read, parse, audit and flatten one file, or the files of one disclosure published in parts (runs in
    a worker process). Never raises."""
    parts = list(path) if isinstance(path, tuple) else [path]
    name = " + ".join(parts)
    try:
        from cnbudget.audit import audit
        from cnbudget.parse import parse_bundle
        from cnbudget.store.records import build_record

        doc = parse_bundle(list(parts), options)
        return build_record(doc, audit(doc))
    except CnbudgetError as exc:
        message = exc.message
        if exc.line is not None:
            message = f"line {exc.line}: {message}"
        if len(parts) > 1 and exc.path:
            message = f"{exc.path}: {message}"
        return Failure(name, message, exc.setting)
    except MemoryError:
        return Failure(name, "ran out of memory reading this file")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch; it is reported
        return Failure(name, f"internal error ({type(exc).__name__}: {exc}); please report it with the file")


Progress = Callable[[str, str, str], None]
"""Called as each document finishes: (path, status, message) — status ingested, new_version, unchanged or
failed; the message says why a document failed."""
"""Called after each file with its path and outcome (ingested, new_version, unchanged, failed)."""


def ingest(
    engine: Engine,
    inputs: Iterable[Path],
    *,
    jobs: int | None = None,
    options: ReadOptions | None = None,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
    bundle: bool = False,
) -> IngestSummary:
    """Ingest files and folders into the library opened as ``engine``.

    ``bundle``: the files are the parts of one disclosure (narrative and tables published apart), stored
    as one document, in the order given."""
    files, failures = collect_paths(inputs)
    summary = IngestSummary(failed=failures)
    total = (1 if bundle and files else len(files)) + len(failures)  # documents, and inputs that do not exist
    with engine.connect() as conn:
        known = set(conn.execute(select(schema.documents.c.content_sha256)).scalars())
    pending: list[str | tuple[str, ...]] = []
    first_of: dict[str, str] = {}
    copies: dict[str, list[str]] = {}
    """The same bytes twice in one batch are parsed once; the copies share the first one's outcome."""
    digests: list[tuple[Path, str]] = []
    for path in files:
        try:
            digests.append((path, file_sha256(path)))
        except OSError as exc:
            failures.append(Failure(str(path), f"cannot read: {exc.strerror or exc}"))
    if bundle and digests and not failures:
        # the bundle's identity is that of `read_bundle`: the digest of its parts' digests, in order
        digest = hashlib.sha256("".join(d for _, d in digests).encode("ascii")).hexdigest()
        name = " + ".join(str(p) for p, _ in digests)
        if digest in known:
            summary.unchanged.append(name)
        else:
            copies[name] = []
            pending.append(tuple(str(p) for p, _ in digests))
        digests = []
    elif bundle and failures:
        digests = []  # one part missing: the disclosure is not stored incomplete
    for path, digest in digests:
        if digest in known:
            summary.unchanged.append(str(path))
        elif digest in first_of:
            copies[first_of[digest]].append(str(path))
        else:
            first_of[digest] = str(path)
            copies[str(path)] = []
            pending.append(str(path))
    if on_start:
        on_start(total)
    for name in summary.unchanged:
        _report(progress, name, "unchanged")
    for failure in failures:
        _report(progress, failure.path, "failed", failure.message)
    workers = max(1, jobs or os.cpu_count() or 1)
    results = _results(pending, workers, options)
    try:
        for outcome in results:
            if isinstance(outcome, Failure):
                _fail(summary, progress, outcome, copies)
                continue
            try:
                written = write_record(engine, outcome)
            except Exception as exc:  # noqa: BLE001 - the transaction rolled back; report and go on
                _fail(summary, progress, Failure(outcome.path, f"could not be stored: {_short(exc)}"), copies)
                continue
            _tally(summary, outcome.path, written)
            _report(progress, outcome.path, written.status)
            for copy in copies.get(outcome.path, []):
                summary.unchanged.append(copy)
                _report(progress, copy, "unchanged")
    except KeyboardInterrupt:
        summary.interrupted = True
        results.close()  # cancels queued files and waits for the workers to stop
    return summary


def _results(
    paths: list[str | tuple[str, ...]], workers: int, options: ReadOptions | None
) -> Generator[DocumentRecord | Failure, None, None]:
    if workers == 1 or len(paths) <= 1:
        for path in paths:
            yield process_file(path, options)
        return
    queue = list(reversed(paths))
    while queue:
        # a bounded number of files in flight: a batch of 10,000 must not hold 10,000 parsed records
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_end_with_parent, initargs=(os.getpid(),)
        ) as pool:
            running: dict[Future[DocumentRecord | Failure], str | tuple[str, ...]] = {}
            broken = False
            try:
                while queue or running:
                    while queue and len(running) < workers * 4 and not broken:
                        path = queue.pop()
                        running[pool.submit(process_file, path, options)] = path
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        path = running.pop(future)
                        try:
                            yield future.result()
                        except BrokenProcessPool:
                            broken = True
                            yield Failure(
                                path if isinstance(path, str) else " + ".join(path),
                                "a worker process died (crash or out of memory) while this file was being "
                                "read; run the batch again to retry it",
                            )
                    if broken and not running:
                        break
            finally:
                for future in running:
                    future.cancel()


def _end_with_parent(parent: int) -> None:
    """In a worker: stop when the ingest that started it is gone (killed, even with SIGKILL), instead of
    finishing files nobody will store. Linux is told to send SIGTERM at once; elsewhere a watch thread
    notices within a second."""
    import signal
    import threading

    with suppress(Exception):  # prctl(PR_SET_PDEATHSIG, SIGTERM): Linux only
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(1.0)

    threading.Thread(target=watch, name="cnbudget-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


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
