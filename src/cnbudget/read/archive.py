"""Zip containers (XLSX, DOCX): refuse zip bombs before anything is unpacked."""

from __future__ import annotations

import io
import zipfile

from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t

MAX_UNCOMPRESSED = 200 * 1024 * 1024
"""A disclosure workbook or document is a few megabytes; more than this unpacked is refused."""
MAX_RATIO = 200
"""Compression ratio above which a large member is treated as a zip bomb."""


def zip_members(data: bytes, path: str) -> set[str]:
    """The member names of a zip container, after refusing zip bombs by their declared sizes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
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
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO):
            size, limit = info.file_size // (1024 * 1024), MAX_UNCOMPRESSED // (1024 * 1024)
            raise InputError(
                t(f"拒绝读取：{info.filename} 解压后为 {size} MB（压缩比 {ratio:.0f}:1；上限共 {limit} MB）——是 zip 炸弹，不是公开文件",
                  f"refused: {info.filename} would unpack to {size} MB (compressed {ratio:.0f}:1; the limit is "
                  f"{limit} MB in all) — a zip bomb, not a disclosure"),
                path,
            )  # fmt: skip
    return set(archive.namelist())
