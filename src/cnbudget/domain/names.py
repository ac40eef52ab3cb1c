"""Organisation names as a key: the same department is printed with and without its region, 本级 or
（汇总）, with full- or half-width brackets, and sometimes with an OCR typo (硃口区 for 硚口区)."""

from __future__ import annotations

import re

from cnbudget.domain.text import compact, key

_REGION = re.compile(r"^(?:湖北省|武汉市|.{2,3}[省市](?=.{2,}[区县]))")
_SUFFIX = re.compile(r"(?:本级|[（(]汇总[)）])$")


def core_name(name: str) -> str:
    """The name without region prefix and 本级/（汇总）, punctuation folded (（ and ( are the same)."""
    return key(_SUFFIX.sub("", _REGION.sub("", compact(name))))


def typo_pair(a: str, b: str) -> bool:
    """Same length, one or two characters different: 硃口区 for 硚口区."""
    if a == b or len(a) != len(b) or len(a) < 4:
        return False
    return 0 < sum(1 for x, y in zip(a, b, strict=True) if x != y) <= 2


def name_key(name: str) -> str:
    """The key two printings of one organisation's name share (brackets folded, 汇总 dropped)."""
    return key(re.sub(r"[（(]汇总[)）]$", "", compact(name)))
