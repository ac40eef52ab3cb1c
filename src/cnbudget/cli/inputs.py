"""Resolving the FILE argument and the bundled sample, writing outputs safely."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

from cnbudget.domain.errors import OutputError, UsageError
from cnbudget.domain.i18n import t
from cnbudget.domain.reference import sample_path


def resolve_input(file: Path | None, sample: bool) -> Path:
    if sample and file is not None:
        raise UsageError(t("请给出文件或 --sample，不要同时给出", "give either FILE or --sample, not both"))
    if sample:
        return sample_path()
    if file is None:
        raise UsageError(
            t(
                "缺少文件（或用 --sample 使用自带的示例文件）",
                "missing FILE (or use --sample to run on the bundled sample document)",
            )
        )
    return file


BOM = "\ufeff"
"""The UTF-8 byte order mark: Excel reads a CSV file that begins with it as UTF-8 (else as the ANSI code page)."""


def write_output(text: str, output: Path | None, bom: bool = False) -> None:
    """Write to stdout, or atomically to a file: a failed write never leaves half a report behind.

    ``bom``: begin with the UTF-8 byte order mark (CSV for Excel)."""
    if bom:
        text = BOM + text
    if output is None:
        sys.stdout.write(text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")
        return
    write_bytes_output(text.encode("utf-8"), output)


def _is_device(target: Path) -> bool:
    """/dev/null, /dev/stdout, a named pipe: written in place. Moving a finished file over them (the atomic
    write) would replace the device with a regular file."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISBLK(mode)


def write_bytes_output(data: bytes, output: Path) -> None:
    """Write a report atomically: into a temporary file beside the target, moved over it when complete.

    The folder must exist (a mistyped folder is not created silently); a folder as the target, or any
    failure, leaves nothing behind."""
    try:
        target = output.resolve()
    except (RuntimeError, OSError) as exc:  # a symlink loop (RuntimeError before Python 3.13)
        raise OutputError(
            t(f"无法写入：路径无法解析（{exc}）", f"cannot write: the path cannot be resolved ({exc})"),
            str(output), setting="output",
        ) from exc  # fmt: skip
    if _is_device(target):
        try:
            with target.open("wb") as handle:
                handle.write(data)
        except OSError as exc:
            reason = exc.strerror or exc
            raise OutputError(t(f"无法写入：{reason}", f"cannot write: {reason}"), str(output)) from exc
        return
    if target.is_dir():
        raise OutputError(
            t("这是一个文件夹，请给出文件名（如 review.xlsx）", "this is a folder: give a file name (e.g. review.xlsx)"),
            str(output), setting="output",
        )  # fmt: skip
    if not target.parent.is_dir():
        folder = target.parent
        raise OutputError(
            t(f"文件夹不存在：{folder}", f"no such folder: {folder}"), str(output), setting="output"
        )
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".cnbudget-", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        _publish(tmp, target)
        tmp = ""
    except OSError as exc:
        reason = exc.strerror or exc
        raise OutputError(t(f"无法写入：{reason}", f"cannot write: {reason}"), str(output)) from exc
    finally:
        if tmp:
            with suppress(OSError):
                os.unlink(tmp)


def _publish(tmp: str, target: Path) -> None:
    """Give the finished file the usual permissions (mkstemp makes it private), then move it in place."""
    umask = os.umask(0)
    os.umask(umask)
    with suppress(OSError):
        os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, target)
