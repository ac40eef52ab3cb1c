"""Indicator values: "≥98%", "$\\geq 98\\%$", "不超过12小时", "365 天", "持续提升"."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from cnbudget.model import TargetValue

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


def parse_target(raw: str) -> TargetValue:
    text = clean_latex(raw).strip()
    compact = re.sub(r"\s+", "", text)
    value = TargetValue(raw=raw.strip())
    if not compact or compact in ("/", "无", "-", "—", "——"):
        value.qualitative = bool(compact) and compact == "无"
        return value
    if re.search(r"20\d{2}年\d{1,2}月", compact):
        value.qualitative = True  # a deadline ("2024年12月底"), not a quantity
        return value
    rest = compact
    for symbol in sorted(_SYMBOLS, key=len, reverse=True):
        if rest.startswith(symbol):
            value.comparator = _SYMBOLS[symbol]
            rest = rest[len(symbol) :]
            break
    m = next((n for n in _NUMBER.finditer(rest) if rest[n.end() : n.end() + 1] != "年"), None)
    if value.comparator is None:
        for word, comparator in _WORD_COMPARATORS:
            if word in rest and (
                m is None or rest.find(word) < m.start() or word in ("以上", "以内", "以下")
            ):
                value.comparator = comparator
                break
    if m is None:
        value.qualitative = True
        return value
    try:
        value.number = Decimal(m.group(0).replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        value.qualitative = True
        return value
    unit = rest[m.end() :]
    for word, _ in _WORD_COMPARATORS:
        unit = unit.replace(word, "")
    value.unit = unit if len(unit) <= 12 else ""
    return value


def looks_like_value(token: str) -> bool:
    """A cell or token that states an indicator value rather than naming the indicator."""
    t = clean_latex(token).strip().replace(" ", "")
    if not t:
        return False
    if t[0] in "≥≤<>=＞＜＝≧≦" or t in ("/", "无"):
        return True
    if re.fullmatch(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?(?:%|[^\d\s]{0,6})", t):
        return True
    return bool(re.fullmatch(r"(?:不低于|不少于|不超过|不高于|达到|达|低于|高于)\S{1,12}", t))
