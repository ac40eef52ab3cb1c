"""Turn the bytes of a text conversion into str, whatever encoding the publisher's tool used."""

from __future__ import annotations

import codecs

from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: CJK text has NUL in one of every two bytes only for ASCII characters."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nul > 0.2 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.2 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return the text and the encoding name; raise InputError for empty or binary input."""
    if not data.strip():
        raise InputError(t("文件是空的", "the file is empty"), path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(
                    t(f"以 {encoding} 字节序标记开头，但不是有效的 {encoding}",
                      f"starts with a {encoding} byte-order mark but is not valid {encoding}"),
                    path,
                ) from exc  # fmt: skip
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise InputError(
            t(
                "这是二进制文件，不是文本；PDF 和电子表格按内容识别",
                "this is a binary file, not text; PDF and spreadsheet files are recognised by their content",
            ),
            path,
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            t(
                f"无法按 UTF-8、UTF-16 或 GBK/GB18030 解码（第 {exc.start} 字节有误）",
                f"cannot decode the text as UTF-8, UTF-16 or GBK/GB18030 (bad byte at offset {exc.start})",
            ),
            path,
            line,
        ) from exc
