"""Indicator values: "≥98%", "$\\geq 98\\%$", "不超过12小时", "365 天", "持续提升"."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from cnbudget.model import TargetValue

_NUMBER_WITH_UNIT = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?(?:%|[^\d\s]{0,6})")
_WORDED_TARGET = re.compile(r"(?:不低于|不少于|不超过|不高于|达到|达|低于|高于)\S{1,12}")

_LATEX = (
    (r"\geq", "≥"), (r"\leq", "≤"), (r"\ge", "≥"), (r"\le", "≤"), (r"\%", "%"), (r"\times", "×"),
    ("$", ""), (r"\,", ""), ("{", ""), ("}", ""),
)  # fmt: skip
_WORD_COMPARATORS = (
    ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("大于等于", "≥"), ("至少", "≥"), ("达到", "≥"), ("达", "≥"),
    ("以上", "≥"), ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"), ("不大于", "≤"), ("小于等于", "≤"),
    ("以内", "≤"), ("以下", "≤"), ("低于", "<"), ("少于", "<"), ("小于", "<"), ("高于", ">"), ("大于", ">"),
    ("超过", ">"), ("多于", ">"),
)  # fmt: skip
_SYMBOLS = {"≥": "≥", ">=": "≥", "＞=": "≥", "≧": "≥", "≤": "≤", "<=": "≤", "≦": "≤", ">": ">", "＞": ">",
            "<": "<", "＜": "<", "=": "=", "＝": "="}  # fmt: skip
_NUMBER = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?")


def clean_latex(text: str) -> str:
    if "\\" not in text and "$" not in text:
        return text
    for old, new in _LATEX:
        text = text.replace(old, new)
    return text


_SYMBOL_ORDER = sorted(_SYMBOLS, key=len, reverse=True)
_COMPARATOR_WORDS = dict(_WORD_COMPARATORS)
_WORD = re.compile("|".join(re.escape(w) for w, _ in _WORD_COMPARATORS))
_DEADLINE = re.compile(r"20\d{2}年\d{1,2}月")
_SUFFIX_WORDS = ("以上", "以内", "以下")


@lru_cache(maxsize=8192)
def parse_target(raw: str) -> TargetValue:
    """Parse an indicator value; values repeat a lot across tables, and TargetValue is immutable."""
    printed = raw.strip()
    compact = "".join(clean_latex(printed).split())
    if not compact or compact in ("/", "无", "-", "—", "——"):
        return TargetValue(raw=printed, qualitative=compact == "无")
    if "年" in compact and _DEADLINE.search(compact):
        return TargetValue(raw=printed, qualitative=True)  # a deadline ("2024年12月底"), not a quantity
    rest = compact
    comparator: str | None = None
    for symbol in _SYMBOL_ORDER:
        if rest.startswith(symbol):
            comparator = _SYMBOLS[symbol]
            rest = rest[len(symbol) :]
            break
    m = next((n for n in _NUMBER.finditer(rest) if rest[n.end() : n.end() + 1] != "年"), None)
    words = [w.group(0) for w in _WORD.finditer(rest)] if comparator is None or m is not None else []
    if comparator is None:
        # the first listed word that stands before the number, or a suffix such as 以上 after it
        for word, candidate in _WORD_COMPARATORS:
            if word in words and (m is None or rest.find(word) < m.start() or word in _SUFFIX_WORDS):
                comparator = candidate
                break
    if m is None:
        return TargetValue(raw=printed, comparator=comparator, qualitative=True)
    try:
        number = Decimal(m.group(0).replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return TargetValue(raw=printed, comparator=comparator, qualitative=True)
    unit = rest[m.end() :]
    if words:
        unit = _WORD.sub("", unit)
    return TargetValue(
        raw=printed, comparator=comparator, number=number, unit=unit if len(unit) <= 12 else ""
    )


def looks_like_value(token: str) -> bool:
    """A cell or token that states an indicator value rather than naming the indicator."""
    t = clean_latex(token).strip().replace(" ", "")
    if not t:
        return False
    if t[0] in "≥≤<>=＞＜＝≧≦" or t in ("/", "无"):
        return True
    if _NUMBER_WITH_UNIT.fullmatch(t):
        return True
    return bool(_WORDED_TARGET.fullmatch(t))
