"""Character clean-up that never changes what a reader sees as the printed text.

Kangxi radicals (⼀ U+2F00) stand in for ideographs (一) in some PDF exports; zero-width and
non-breaking spaces come from converters. Full-width punctuation is kept: labels are reported as printed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x2F00, 0x2FD6):
        table[code] = unicodedata.normalize("NFKC", chr(code))
    for code in range(0x2E80, 0x2EF4):
        mapped = unicodedata.normalize("NFKC", chr(code))
        if mapped != chr(code):
            table[code] = mapped
    for code in (0x200B, 0x200C, 0x200D, 0xFEFF):
        table[code] = ""
    table[0x00A0] = " "
    table[0x3000] = "  "
    table[0x000B] = " "
    table[0x000C] = " "
    return table


_TABLE = _build_table()


_SPECIAL = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE)) + "]")


def normalize_text(text: str) -> str:
    # str.translate costs a dict lookup per character; the characters to map are rare, so find them first
    if not _SPECIAL.search(text):
        return text
    return _SPECIAL.sub(lambda m: _TABLE[ord(m.group(0))], text)


def compact(text: str) -> str:
    """Whitespace removed: the form in which labels and header paths are reported."""
    return "".join(text.split())


_KEY_TABLE = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "：": ":",
        "，": ",",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "〔": "[",
        "〕": "]",
        "．": ".",
        "、": ",",
    }
)


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """A matching key: whitespace removed and full-width punctuation folded to ASCII.

    Cached: the audit keys the same labels and subjects over and over."""
    return compact(text).translate(_KEY_TABLE)
