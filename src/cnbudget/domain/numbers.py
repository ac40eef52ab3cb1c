"""Amounts, percentages and codes as printed in disclosures.

Amounts are `Decimal`, never float. A printed amount keeps its digits exactly (trailing zeros too):
"1,297.30" becomes Decimal("1297.30") and prints back as "1297.30".
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_MINUS = "-−–－"
_AMOUNT = re.compile(r"^[-−–－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_PAREN_NEGATIVE = re.compile(r"^[(（]\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*[)）]$")
_PERCENT = re.compile(r"^([-−–－]?\d+(?:\.\d+)?)\s*%$")
_FUNCTION_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_SPLIT_CODE = re.compile(r"^(\d{3})\s+(\d{2})(?:\s+(\d{2}))?$")
_PROJECT_CODE = re.compile(r"^\d{6,}[0-9A-Z]*\d$")


_PLAIN = re.compile(r"\d+\.\d+")


def amount_text(text: str) -> str | None:
    """The canonical printed form of an amount (separators removed, sign normalised), or None."""
    s = text.strip()
    if _PLAIN.fullmatch(s):
        return s  # the common case: 1297.34
    s = s.replace(" ", "")
    if not s or not (s[0].isdigit() or s[0] in "-−–－(（"):
        return None
    m = _PAREN_NEGATIVE.match(s)
    if m:
        return "-" + m.group(1).replace(",", "")
    if not _AMOUNT.match(s):
        return None
    s = s.replace(",", "")
    if s[0] in _MINUS:
        s = "-" + s[1:]
    return s


@lru_cache(maxsize=8192)
def parse_amount(text: str) -> Decimal | None:
    """The amount printed, or None. Equal printed amounts give one shared `Decimal` (it is immutable): a
    disclosure prints the same figures in several tables, and a large one holds tens of thousands."""
    canonical = amount_text(text)
    if canonical is None:
        return None
    try:
        return Decimal(canonical)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None


def is_amount(text: str) -> bool:
    return amount_text(text) is not None


def is_decimal_amount(text: str) -> bool:
    """An amount printed with a decimal point or thousands separators: never a code or a row number."""
    canonical = amount_text(text)
    return canonical is not None and ("." in canonical or "," in text)


_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)"
_DECIMAL_TOKEN = re.compile(rf"(?<!\S)(?:[-−–－]?{_NUMBER}|[(（]{_NUMBER}[)）])(?!\S)")


def has_decimal_amount(text: str) -> bool:
    """Does any whitespace-separated token of `text` pass `is_decimal_amount`? One regex scan."""
    return _DECIMAL_TOKEN.search(text) is not None


def parse_percent(text: str) -> Decimal | None:
    m = _PERCENT.match(text.strip().replace(" ", ""))
    if not m:
        return None
    value = m.group(1)
    if value[0] in _MINUS:
        value = "-" + value[1:]
    return Decimal(value)


def join_code(parts: list[str]) -> str:
    """Join a code printed over 类/款/项 columns ("201", "06", "01") or in one cell ("201 06 01")."""
    pieces = [p.strip() for p in parts if p and p.strip()]
    if (
        len(pieces) > 1
        and re.fullmatch(r"\d{3}", pieces[0])
        and all(re.fullmatch(r"\d{1,2}", p) for p in pieces[1:])
    ):
        # 款/项 printed in their own columns without the leading zero ("301 | 2" for 30102)
        pieces = [pieces[0], *(p.zfill(2) for p in pieces[1:])]
    joined = "".join(pieces)
    m = _SPLIT_CODE.match(" ".join(pieces))
    if m:
        return "".join(g for g in m.groups() if g)
    return joined.replace(" ", "")


def is_classification_code(text: str) -> bool:
    """A function (3/5/7 digits) or economic (3/5 digits) classification code, possibly split."""
    s = text.strip()
    return bool(_FUNCTION_CODE.match(s) or _SPLIT_CODE.match(s))


def is_code(text: str) -> bool:
    """Any code cell: classification, unit (3 or 6 digits) or project code (42010026157Y000000101)."""
    s = text.strip()
    if not s:
        return False
    if is_classification_code(s):
        return True
    return bool(re.fullmatch(r"\d{6}", s) or _PROJECT_CODE.match(s))


def format_amount(value: Decimal) -> str:
    """Chinese-report style with thousands separators, two decimals: 1,234.50."""
    return f"{value:,.2f}"


YUAN_PER_UNIT = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
"""Money units as printed in captions (单位：万元), in 元."""


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """An amount printed in one money unit, in another (exact: Decimal division by a power of ten)."""
    if from_unit == to_unit:
        return value
    return value * YUAN_PER_UNIT.get(from_unit, Decimal(1)) / YUAN_PER_UNIT.get(to_unit, Decimal(1))
