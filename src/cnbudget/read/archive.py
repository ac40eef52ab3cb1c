"""Zip containers (XLSX, DOCX): refuse zip bombs before anything is unpacked."""

from __future__ import annotations

import io
import zipfile

from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.read.source import MB, ReadOptions, megabytes

MAX_RATIO = 200
"""Compression ratio above which a member of more than `LARGE_MEMBER` bytes is treated as a zip bomb."""
LARGE_MEMBER = 10 * MB


def zip_members(data: bytes, path: str, max_unpacked_mb: float | None = None) -> set[str]:
    """The member names of a zip container, after refusing zip bombs by their declared sizes.

    Two limits, each quoted in its own message: the unpacked size of all members together
    (`ReadOptions.max_unpacked_mb`), and a compression ratio no real workbook or document reaches."""
    if max_unpacked_mb is None:
        max_unpacked_mb = ReadOptions().max_unpacked_mb
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, and NotImplementedError, UnicodeDecodeError … for damaged headers
        raise InputError(
            t(
                "无法读取的 XLSX 或 DOCX 文件（zip 容器已损坏）",
                "not a readable XLSX or DOCX file (the zip container is damaged)",
            ),
            path,
        ) from exc
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if total > max_unpacked_mb * MB:
            raise InputError(
                t(
                    f"解压后有 {megabytes(total)} MB（算到 {info.filename}），超过上限 {max_unpacked_mb:g} MB",
                    f"would unpack to {megabytes(total)} MB (up to {info.filename}), more than the limit "
                    f"of {max_unpacked_mb:g} MB",
                ),
                path,
                setting="max_unpacked_mb",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > LARGE_MEMBER and ratio > MAX_RATIO:
            raise InputError(
                t(
                    f"{info.filename} 压缩比为 {ratio:.0f}:1（解压后 {megabytes(info.file_size)} MB），"
                    f"超过 {MAX_RATIO}:1 的上限：是压缩炸弹，不是公开文件",
                    f"{info.filename} is compressed {ratio:.0f}:1 ({megabytes(info.file_size)} MB unpacked), "
                    f"more than the limit of {MAX_RATIO}:1 for members over {LARGE_MEMBER // MB} MB "
                    "— a zip bomb, not a disclosure",
                ),
                path,
            )  # fmt: skip
    return set(archive.namelist())
