"""The document's outline: every heading of its text (第一部分 …, 一、…, （一）…, and the short unnumbered
titles such as 项目经费情况说明), outside the tables and the table of contents.

Reviewers check a disclosure part by part (封面, 目录, 主要职能, 机构设置, 名词解释 …); the outline tells
where each part is, so that what is found can be filed under it and a part that is missing can be named.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from cnbudget.domain.text import compact
from cnbudget.model import Heading
from cnbudget.read import Line

_LEVELS = (
    (1, re.compile(r"^第[一二三四五六七八九十]+部分")),
    (2, re.compile(r"^[一二三四五六七八九十]+[、.．]")),
    (3, re.compile(r"^[（(][一二三四五六七八九十]+[)）]")),
)
_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|元|%|％)")
_TITLE_WORDS = re.compile(r"(?:说明|情况|解释|职能|设置|概况|目录|附件|附表)$")
_SENTENCE = re.compile(r"[。，,；;]|[：:].")
"""Punctuation inside a line makes it a sentence or a definition ("一、财政拨款：指…"), not a heading."""
_MAX_CHARS = 30
"""A heading is short: longer lines are sentences that happen to begin with a number."""
_MAX_UNNUMBERED = 30


def read_outline(lines: list[Line], outside: list[tuple[int, int]]) -> list[Heading]:
    """Every heading line outside the given (first, last) line ranges, in order."""
    found: list[Heading] = []
    inside = within(outside)
    for line in lines:
        if line.layout != "text" or inside(line.number):
            continue
        text = compact(line.stripped)
        if not text or len(text) > _MAX_CHARS or _AMOUNT.search(text) or _SENTENCE.search(text):
            continue
        level = next((lv for lv, pattern in _LEVELS if pattern.match(text)), 0)
        if not level and len(text) <= _MAX_UNNUMBERED and _TITLE_WORDS.search(text):
            level = 2
        if level:
            found.append(Heading(text=text, line=line.number, page=line.page, level=level))
    return found


def within(ranges: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether a line number falls in one of the ranges, by bisection: a document has a range per table,
    and testing every line against every range made long documents quadratic."""
    merged: list[list[int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [a for a, _ in merged]

    def inside(number: int) -> bool:
        i = bisect_right(starts, number) - 1
        return i >= 0 and number <= merged[i][1]

    return inside
