"""Organisation names as a key, and which row of its own tables a document is about.

The same department is printed with and without its region, 本级 or （汇总）, with full- or half-width
brackets (信息中心（…） and 信息中心(…)), fullwidth letters and digits, and sometimes with an OCR typo
(硃口区 for 硚口区). Identity rests on a folded key; the name shown is always the one printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from cnbudget.domain.codes import class_code
from cnbudget.domain.text import compact

INSTITUTION_WORDS = (
    r"(?:局|委|办|院|厅|会|中心|所|站|队|处|室|部|署|馆|校|团|社|司|组|委员会|政府|法院|检察院|街道|镇|乡)"
)
"""The words a public body's name ends in (regular-expression text): 局, 委员会, 中心, 街道 …"""

_REGION = re.compile(r"^(?:湖北省|武汉市|.{2,3}[省市](?=.{2,}[区县]))")
_SUFFIX = re.compile(r"(?:本级|\(汇总\))$")
_SUMMARY = re.compile(r"\(汇总\)$")

_OPEN = "([{（［｛【〔〖〘〚「『〈《﹙﹛﹝"
_CLOSE = ")]}）］｝】〕〗〙〛」』〉》﹚﹜﹞"
_FOLD = str.maketrans(
    {
        **dict.fromkeys(_OPEN, "("),
        **dict.fromkeys(_CLOSE, ")"),
        "·": "·",
        "・": "·",
        "•": "·",
        "‧": "·",
        "—": "-",
        "–": "-",
        "－": "-",
        "﹣": "-",
        "、": ",",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
    }
)


@lru_cache(maxsize=8192)
def fold_name(name: str) -> str:
    """The name folded for identity: width (NFKC: fullwidth letters, digits and punctuation, Kangxi
    radicals), every kind of bracket to ( ), whitespace removed, letters in one case. Two printings of
    one name fold to the same text; the printed name itself is kept for display."""
    text = unicodedata.normalize("NFKC", name)
    return compact(text.translate(_FOLD)).casefold()


def name_key(name: str) -> str:
    """The key two printings of one organisation's name share (folded, （汇总） dropped)."""
    return _SUMMARY.sub("", fold_name(name))


def core_name(name: str) -> str:
    """The key without region prefix and 本级/（汇总）: 武汉市硚口区…本级 and 硚口区… share it."""
    return _SUFFIX.sub("", _REGION.sub("", fold_name(name)))


def typo_pair(a: str, b: str) -> bool:
    """Same length, one or two characters different: 硃口区 for 硚口区."""
    if a == b or len(a) != len(b) or len(a) < 4:
        return False
    return 0 < sum(1 for x, y in zip(a, b, strict=True) if x != y) <= 2


def _one_typo(a: str, b: str) -> bool:
    return len(a) == len(b) >= 6 and sum(1 for x, y in zip(a, b, strict=True) if x != y) == 1


def organisation_row(code: str, label: str) -> bool:
    """A row of an organisation table (B02, B05U) that lists a department or unit by its code, not a
    function class (Shanghai's 收入预算总表 lists income by class: 201 一般公共服务支出)."""
    return code.isdigit() and class_code(label) is None and not label.endswith("支出")


@dataclass(frozen=True, slots=True)
class OwnRow:
    """The row of the document's own organisation tables (B02, B05U) that names the document's subject."""

    code: str
    name: str
    parent_code: str = ""
    """The code of the department the organisation belongs to, when it is a unit (its code extends it)."""
    parent_name: str = ""
    """The parent's name as the tables list it (empty when they list only its code)."""


def own_row(
    names: Sequence[str], rows: Sequence[tuple[str, str]], department_code: str = ""
) -> OwnRow | None:
    """Which of the listed organisations (code, name) the document is about, by its printed names.

    The names are matched on their folded keys, then without region and 本级, then allowing one mistyped
    character in a long name (硃口区… for 硚口区…, not 财政厅 for 教育厅); among equally good matches the shortest code (the department) wins. A unit's
    code extends its department's (157 → 157003, in any region's numbering): its parent is the longest
    listed code it extends, else ``department_code`` when it extends that."""
    listed = [(c, n) for c, n in rows if c and n]
    if not listed:
        return None
    tiers = (
        lambda a, b: name_key(a) == name_key(b),
        lambda a, b: core_name(a) == core_name(b),
        lambda a, b: _one_typo(core_name(a), core_name(b)),
    )
    for same in tiers:
        hits = [(c, n) for c, n in listed for wanted in names if wanted and same(wanted, n)]
        if hits:
            code, name = min(hits, key=lambda h: (len(h[0]), h[0]))
            break
    else:
        return None
    prefixes = [(c, n) for c, n in listed if len(c) < len(code) and code.startswith(c)]
    if prefixes:
        parent_code, parent_name = max(prefixes, key=lambda p: len(p[0]))
    elif department_code and len(department_code) < len(code) and code.startswith(department_code):
        parent_code, parent_name = department_code, ""
    else:
        parent_code = parent_name = ""
    return OwnRow(code, name, parent_code, parent_name)
