"""Text helpers every layer shares: character clean-up, matching keys, ordinals, name similarity.

Character clean-up never changes what a reader sees as the printed text.

Kangxi radicals (⼀ U+2F00) stand in for ideographs (一) in some PDF exports; zero-width and
non-breaking spaces come from converters. Full-width punctuation is kept: labels are reported as printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from cnbudget.domain.i18n import t


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
    for code in range(0xFF10, 0xFF1A):  # fullwidth digits ０–９
        table[code] = chr(code - 0xFF10 + ord("0"))
    table[0x00A0] = " "
    table[0x3000] = "  "
    table[0x000B] = " "
    table[0x000C] = " "
    return table


_TABLE = _build_table()


_SPECIAL = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE)) + "]")


_FULLWIDTH_POINT = re.compile(r"(?<=\d)．(?=\d)")
"""A fullwidth full stop between digits is a decimal point ("5,357．53"); elsewhere ("1．") an ordinal."""


def normalize_text(text: str) -> str:
    # str.translate costs a dict lookup per character; the characters to map are rare, so find them first
    if _SPECIAL.search(text):
        text = _SPECIAL.sub(lambda m: _TABLE[ord(m.group(0))], text)
    if "．" in text:
        text = _FULLWIDTH_POINT.sub(".", text)
    return text


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


_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十廿]+[、.．]|[（(][一二三四五六七八九十廿]+[)）]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[)）])\s*"
)


def plain_label(label: str) -> str:
    """A label without its ordinal: "（一）一般公共预算拨款" → "一般公共预算拨款", "1.一般公共预算资金" → "一般公共预算资金"."""
    return _ORDINAL.sub("", label)


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def chinese_number(text: str) -> int | None:
    """一 … 九十九, and 廿一 … 廿九 (= 21 … 29), as used in ordinals."""
    if not text:
        return None
    if text.startswith("廿"):
        rest = chinese_number(text[1:]) if len(text) > 1 else 0
        return 20 + (rest or 0)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _, units = text.partition("十")
        return _CN_DIGITS.get(tens, 0) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return _CN_DIGITS.get(text)


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams: 1.0 for equal names, ~0.8 for 其他技术与开发支出 vs 其他技术研究与开发支出."""
    if a == b:
        return 1.0
    pa = [a[i : i + 2] for i in range(len(a) - 1)]
    pb = [b[i : i + 2] for i in range(len(b) - 1)]
    if not pa or not pb:
        return 0.0
    remaining = list(pb)
    common = 0
    for gram in pa:
        if gram in remaining:
            remaining.remove(gram)
            common += 1
    return 2 * common / (len(pa) + len(pb))


def place(pages: Sequence[int], lines: Sequence[int], limit: int = 4) -> str:
    """Where a finding is, as a reviewer looks for it: the pages of a PDF (第 24、15 页) — its extracted-text
    line numbers are no place in the document — else the lines of a text input (第 12、13 行)."""
    if pages:
        shown = "、".join(str(p) for p in pages[:limit]) + ("…" if len(pages) > limit else "")
        return t(f"第 {shown} 页", f"p. {shown.replace('、', ', ')}")
    if lines:
        shown = "、".join(str(n) for n in lines[:limit]) + ("…" if len(lines) > limit else "")
        return t(f"第 {shown} 行", f"line {shown.replace('、', ', ')}")
    return ""


def at(line: int | None, page: int | None) -> str:
    """One place in a message: 第 24 页 for a PDF input, 第 812 行 for a text input."""
    return place([page] if page else [], [line] if line else [])


def is_digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also takes ``²`` and other digits that ``int`` refuses."""
    return text.isascii() and text.isdigit()
