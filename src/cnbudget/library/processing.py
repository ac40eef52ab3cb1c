"""One document through the pipeline — read → parse → audit (→ the record the library stores) — with the
one error policy every face shares: the command line's `audit`, `diff` and `documents`, `ingest`, the web's
uploads and re-analyses all come here.

The policy: a document that cannot be read is an input error (`CnbudgetError`): the message names the file
(the part of a bundle) and the line, and the setting behind a limit, so that the command line can name its
option. A batch never stops for one document: `check_or_fail` and `record_or_fail` turn an input error into
a `Failure`, a `MemoryError` into one that says so, and any other exception — a defect of cnbudget, not of
the file — into a failure marked ``internal`` (exit 70 on the command line) that asks for a report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cnbudget.domain.errors import CnbudgetError
from cnbudget.domain.i18n import t
from cnbudget.domain.vocabulary import DocumentKind, Scope
from cnbudget.read.source import ReadOptions

if TYPE_CHECKING:
    from cnbudget.audit import AuditReport
    from cnbudget.audit.profile import AuditProfile
    from cnbudget.model import Document, Metadata
    from cnbudget.store.records import DocumentRecord

Parts = str | Path | Sequence[str | Path]


@dataclass(frozen=True, slots=True)
class Given:
    """What the person running a batch knows about a document (a manifest's columns, `library.manifest`):
    it wins over what the document prints, before the audit, so that the rules judge the document as filed
    (a document that prints no year is checked against the year given)."""

    organisation: str = ""
    fiscal_year: int | None = None
    kind: DocumentKind | Literal[""] = ""
    scope: Scope | Literal[""] = ""

    def apply(self, meta: Metadata) -> None:
        if self.organisation:
            meta.department = meta.organisation = self.organisation
        if self.fiscal_year is not None:
            meta.fiscal_year = self.fiscal_year
        if self.kind:
            meta.kind = self.kind
        if self.scope:
            meta.scope = self.scope


"""One file, or the files of one disclosure published in parts (narrative and tables apart), in order."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A document that could not be checked, and why."""

    path: str
    """The document: its file, or its parts joined by " + "."""
    message: str
    """Why, with the line and (for a bundle) the part it happened in."""
    setting: str | None = None
    """The setting behind the failure (a `ReadOptions` limit …), for the command line to name its option."""
    internal: bool = False
    """A defect of cnbudget rather than of the input: it should be reported with the file."""

    def __str__(self) -> str:
        return f"{self.path}{t('：', ': ')}{self.message}"


def _parts(parts: Parts) -> list[str]:
    return (
        [str(p) for p in parts]
        if isinstance(parts, Sequence) and not isinstance(parts, str)
        else [str(parts)]
    )


def read_document(parts: Parts, options: ReadOptions | None = None) -> Document:
    """The document read and parsed (raises `CnbudgetError` when it cannot be)."""
    from cnbudget.parse import parse_bundle

    return parse_bundle(list(_parts(parts)), options)


def check(
    parts: Parts,
    options: ReadOptions | None = None,
    profile: AuditProfile | None = None,
    given: Given | None = None,
) -> AuditReport:
    """The document read, parsed (what is ``given`` put in its metadata) and audited under ``profile``
    (raises `CnbudgetError`)."""
    from cnbudget.audit import audit

    doc = read_document(parts, options)
    if given is not None:
        given.apply(doc.metadata)
    return audit(doc, profile=profile)


def failure(exc: BaseException, parts: Parts) -> Failure:
    """The policy: what a batch records for a document that raised ``exc``."""
    names = _parts(parts)
    name = " + ".join(names)
    if isinstance(exc, CnbudgetError):
        message = exc.message
        if exc.line is not None:
            message = t(f"第 {exc.line} 行：{message}", f"line {exc.line}: {message}")
        if len(names) > 1 and exc.path:
            message = f"{exc.path}{t('：', ': ')}{message}"
        return Failure(name, message, exc.setting)
    if isinstance(exc, MemoryError):
        return Failure(name, t("读取此文件时内存不足", "ran out of memory reading this file"))
    why = f"{type(exc).__name__}: {exc}"
    return Failure(
        name,
        t(f"内部错误（{why}），这是 cnbudget 的缺陷，请连同该文件一起报告",
          f"internal error ({why}); this is a bug in cnbudget, please report it with the file"),
        internal=True,
    )  # fmt: skip


def died(parts: Parts) -> Failure:
    """The policy for a document whose worker process died under it (a crash, the out-of-memory killer):
    a failure of that document, which a new run tries again (`library.batch`)."""
    return Failure(
        " + ".join(_parts(parts)),
        t(
            "处理此文件时工作进程意外退出（崩溃或内存不足）；再次运行即可重试",
            "a worker process died (crash or out of memory) while this file was processed; run again to retry it",
        ),
    )


def check_or_fail(
    parts: Parts, options: ReadOptions | None = None, profile: AuditProfile | None = None
) -> AuditReport | Failure:
    """`check`, or the document's `Failure`; never raises (one bad document must not stop a batch)."""
    try:
        return check(parts, options, profile)
    except Exception as exc:  # noqa: BLE001 - the policy above: every failure is reported, none stops the batch
        return failure(exc, parts)


def record_or_fail(
    parts: Parts,
    options: ReadOptions | None = None,
    profile: AuditProfile | None = None,
    given: Given | None = None,
) -> DocumentRecord | Failure:
    """The record the library stores for the document (its facts, findings, metadata), or its `Failure`;
    never raises. Runs in worker processes (ingest, uploads, re-analysis)."""
    try:
        from cnbudget.store.records import build_record

        report = check(parts, options, profile, given)
        return build_record(report.document, report)
    except Exception as exc:  # noqa: BLE001 - the policy above
        return failure(exc, parts)
