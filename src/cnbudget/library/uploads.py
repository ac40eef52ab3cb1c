"""Files sent to the web application: kept under a name the server chooses, then parsed, audited and
stored in the background, each upload's progress in the library (`uploads` table) for any page to show.

Nothing from the client is used as a path: a file is stored as ``<sha256>.<ext>``, its name is kept only
to be shown. Types are told by content, never by the name. A zip of documents (a folder) is opened member
by member within limits: a bomb is refused before anything is unpacked.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO

from sqlalchemy import Engine

from cnbudget.domain.errors import InputError
from cnbudget.library import batch
from cnbudget.library.processing import Failure, died, record_or_fail
from cnbudget.read import ReadOptions
from cnbudget.read.source import container_kind
from cnbudget.store.records import DocumentRecord
from cnbudget.store.review import Upload, add_upload, set_upload, uploads
from cnbudget.store.writer import find_by_hash, write_record

__all__ = ["Budget", "Upload", "UploadLimits", "UploadQueue", "receive", "uploads"]


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """What one request may bring (the server's options; see `cnbudget serve --help`)."""

    max_bytes: int = 100 * 1024 * 1024
    """One file (or one zip) at most this large."""
    max_files: int = 200
    """Files in one request, members of a zip included."""
    max_unzipped: int = 1024 * 1024 * 1024
    """All members of one zip, unpacked."""
    max_request: int = 300 * 1024 * 1024
    """One request, all its files together (refused by its declared length before it is read)."""

    TOO_LARGE = frozenset({"max_upload_mb", "max_upload_files", "max_unzipped"})
    """The settings of the refusals that mean "too large" (HTTP 413) rather than "wrong type" (415)."""


EXTENSIONS = {"pdf": ".pdf", "xlsx": ".xlsx", "docx": ".docx", "ole": ".xls", "html": ".html", "text": ".txt"}


def sniff(head: bytes) -> str | None:
    """The kind of an upload by its first bytes (the reader's own `container_kind`); None for binary files
    that are none of these (images, executables …), refused at once rather than after the upload."""
    kind = container_kind(head)
    if kind == "text" and b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    return "html" if kind == "markup" else kind


def _zip_kind(path: Path, name: str) -> str:
    """xlsx, docx or archive (a folder of documents) — by the members, not the name."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise InputError("压缩包已损坏，无法打开", path=name) from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return "archive"


@dataclass(frozen=True, slots=True)
class Received:
    """One file kept: where the server stored it, what the client called it, and its digest."""

    path: Path
    filename: str
    sha256: str
    size: int


MAX_DEPTH = 2
"""A zip may hold zips, once: a folder of documents zipped with its sub-folders' zips inside."""


class Budget:
    """What one request may still unpack, shared by all its files and every level of their archives — a
    zip inside a zip gets no budget of its own — and the files this request stored, so that a refusal
    leaves nothing of it behind."""

    def __init__(self, limits: UploadLimits) -> None:
        self.limits = limits
        self.unpacked = 0
        self.files = 0
        self.created: list[Path] = []

    def take_bytes(self, count: int, name: str) -> None:
        self.unpacked += count
        if self.unpacked > self.limits.max_unzipped:
            raise InputError(
                f"解压后超过 {self.limits.max_unzipped // (1024 * 1024)} MB 的上限（一次上传的所有压缩包合计）",
                path=name,
                setting="max_unzipped",
            )

    def take_file(self, name: str) -> None:
        self.files += 1
        if self.files > self.limits.max_files:
            raise InputError(
                f"文件太多：一次上传（含压缩包内）最多 {self.limits.max_files} 个",
                path=name,
                setting="max_upload_files",
            )

    def forget(self, since: int) -> None:
        """Remove what was stored after the first ``since`` files (a refused archive's members)."""
        for path in self.created[since:]:
            path.unlink(missing_ok=True)
        del self.created[since:]


def receive(
    stream: IO[bytes], filename: str, storage: Path, limits: UploadLimits, budget: Budget | None = None
) -> list[Received]:
    """Copy an uploaded stream into storage (refusing it past ``max_bytes``), check its type by content,
    and unpack it when it is a zip of documents, within one budget for the whole request. Raises InputError
    naming the file; then nothing of this file is left in storage."""
    budget = budget or Budget(limits)
    mark = len(budget.created)
    try:
        name = Path(filename.replace("\\", "/")).name or "upload"
        return _receive(stream, name, storage, budget, depth=0, unpacked=False)
    except BaseException:
        budget.forget(mark)
        raise


def _receive(
    stream: IO[bytes], filename: str, storage: Path, budget: Budget, depth: int, unpacked: bool
) -> list[Received]:
    """``filename`` is what is shown: the client's name, or ``archive.zip/member`` for a member."""
    limits = budget.limits
    incoming = storage / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with tempfile.NamedTemporaryFile(dir=incoming, delete=False) as tmp:
        try:
            while block := _read(stream, filename):
                size += len(block)
                if size > limits.max_bytes:
                    raise InputError(
                        f"文件太大：超过 {limits.max_bytes // (1024 * 1024)} MB 的上限",
                        path=filename,
                        setting="max_upload_mb",
                    )
                if unpacked:  # what really comes out of an archive, whatever its headers said
                    budget.take_bytes(len(block), filename)
                digest.update(block)
                tmp.write(block)
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    temp = Path(tmp.name)
    try:
        if size == 0:
            raise InputError("文件是空的", path=filename)
        with temp.open("rb") as handle:
            kind = sniff(handle.read(8192))
        if kind is None:
            raise InputError(
                "不是预决算公开文件：只接受 PDF、XLSX、XLS、DOCX、HTML、文本或它们的 zip 压缩包",
                path=filename,
                setting="type",
            )
        if kind == "zip":
            kind = _zip_kind(temp, filename)
            if kind == "archive":
                if depth >= MAX_DEPTH:
                    raise InputError(
                        f"压缩包套得太深：最多 {MAX_DEPTH} 层", path=filename, setting="max_unzipped"
                    )
                return _unpack(temp, filename, storage, budget, depth + 1)
        budget.take_file(filename)
        return [_keep(temp, filename, digest.hexdigest(), size, kind, storage, budget)]
    finally:
        temp.unlink(missing_ok=True)


def _read(stream: IO[bytes], filename: str) -> bytes:
    """A block of the stream; a damaged archive member (lying sizes, bad data) is an input error."""
    try:
        return stream.read(1 << 20)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise InputError(f"压缩包已损坏，无法解开：{exc}", path=filename) from exc


def _keep(
    temp: Path, name: str, sha256: str, size: int, kind: str, storage: Path, budget: Budget
) -> Received:
    files = storage / "files"
    files.mkdir(parents=True, exist_ok=True)
    final = files / f"{sha256}{EXTENSIONS.get(kind, '')}"
    if not final.exists():
        shutil.copyfile(temp, final.with_suffix(final.suffix + ".part"))
        os.replace(final.with_suffix(final.suffix + ".part"), final)
        budget.created.append(final)
    return Received(final, name, sha256, size)


def _unpack(archive_path: Path, name: str, storage: Path, budget: Budget, depth: int) -> list[Received]:
    limits = budget.limits
    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = [
                m for m in archive.infolist() if not m.is_dir() and not Path(m.filename).name.startswith(".")
            ]
            if len(members) > limits.max_files:
                raise InputError(
                    f"压缩包内文件太多：{len(members)} 个，上限 {limits.max_files} 个",
                    path=name,
                    setting="max_upload_files",
                )
            declared = sum(m.file_size for m in members)
            if budget.unpacked + declared > limits.max_unzipped:
                budget.take_bytes(declared, name)  # refused before anything is unpacked
            kept: list[Received] = []
            for member in members:
                member_name = f"{name}/{member.filename}"
                if member.file_size > limits.max_bytes:
                    raise InputError(
                        f"文件太大：超过 {limits.max_bytes // (1024 * 1024)} MB 的上限",
                        path=member_name,
                        setting="max_upload_mb",
                    )
                with archive.open(member) as stream:
                    kept.extend(_receive(stream, member_name, storage, budget, depth, unpacked=True))
            return kept
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise InputError(f"压缩包已损坏或无法解开：{exc}", path=name) from exc


# ---- processing ------------------------------------------------------------------------------------------


def _unpathed(message: str, received: Received) -> str:
    """The message with the server's storage path replaced by the name the file came with."""
    return message.replace(str(received.path), received.filename).replace(str(received.path.parent), "…")


class UploadQueue:
    """Parses and audits kept files in worker processes (`batch.Workers`) and stores each result as it comes;
    the uploads table says where each file is. `close` waits for the files in hand."""

    def __init__(
        self, engine: Engine, workers: int = 1, options: ReadOptions | None = None,
        on_done: Callable[[int], None] | None = None,
    ) -> None:  # fmt: skip
        self.engine = engine
        self.options = options
        self.on_done = on_done
        self._workers = batch.Workers(workers)

    def submit(self, received: Received, user_id: int | None) -> int:
        """Record the upload and queue it; a file already in the library is answered at once."""
        upload_id = add_upload(self.engine, received.filename, received.sha256, received.size, user_id)
        with self.engine.connect() as conn:
            existing = find_by_hash(conn, received.sha256)
        if existing is not None:
            set_upload(self.engine, upload_id, "unchanged", "", existing[0])
            self._done(upload_id)
            return upload_id
        self._workers.submit(
            partial(record_or_fail, options=self.options), str(received.path),
            lambda outcome: self._store(upload_id, received, outcome), died,
        )  # fmt: skip
        return upload_id

    def _store(self, upload_id: int, received: Received, outcome: DocumentRecord | Failure) -> None:
        failed = True
        try:
            if isinstance(outcome, Failure):
                set_upload(self.engine, upload_id, "failed", _unpathed(outcome.message, received))
            else:
                record: DocumentRecord = outcome
                record.document["source_name"] = received.filename  # shown instead of the storage path
                written = write_record(self.engine, record)
                set_upload(self.engine, upload_id, written.status, "", written.document_id)  # type: ignore[arg-type]
                failed = False
        except Exception as exc:  # noqa: BLE001 - the upload says what happened; the server goes on
            set_upload(
                self.engine,
                upload_id,
                "failed",
                _unpathed(f"处理失败：{type(exc).__name__}: {exc}", received),
            )
        if failed:
            self._discard(received)
        self._done(upload_id)

    def _discard(self, received: Received) -> None:
        """A file that failed is not kept (the upload's row says why), unless a document holds it."""
        with self.engine.connect() as conn:
            if find_by_hash(conn, received.sha256) is None:
                received.path.unlink(missing_ok=True)

    def reanalyse(
        self, document_id: int, path: Path, on_done: Callable[[int, str], None] | None = None
    ) -> None:
        """Analyse a stored document again in a worker process and put the new analysis in its place;
        ``on_done(document_id, what)`` is told what happened (for the audit log)."""
        self._workers.submit(
            partial(record_or_fail, options=self.options), str(path),
            lambda outcome: self._replace(document_id, outcome, on_done), died,
        )  # fmt: skip

    def _replace(
        self,
        document_id: int,
        outcome: DocumentRecord | Failure,
        on_done: Callable[[int, str], None] | None,
    ) -> None:
        from cnbudget.library.maintenance import replace_analysis

        try:
            if isinstance(outcome, Failure):
                what = f"重新审核失败：{outcome.message}"
            else:
                what = replace_analysis(self.engine, document_id, outcome).what
        except Exception as exc:  # noqa: BLE001 - one document's failure is said, the others go on
            what = f"重新审核失败：{type(exc).__name__}: {exc}"
        if on_done is not None:
            on_done(document_id, what)

    def _done(self, upload_id: int) -> None:
        if self.on_done is not None:
            self.on_done(upload_id)

    def close(self) -> None:
        self._workers.close()
