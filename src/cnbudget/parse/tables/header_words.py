"""Headers read as the words they hold, for conversions that lost where each column is.

Page text and space-separated conversions keep a header's words but not their places: a word wraps onto the
next line ("一般公共预" / "算拨款收入"), the words of the line below follow those above (基本支出 … / 小计 人员经费
公用经费), and a name column's words cut a word in two ("对附属单位补" 功能分类 "助支出"). The header is read
with the vocabulary of table_words.toml [columns]: the code and name columns' words are set aside first (so a
cut word is whole again), then the amount columns' words are read in order, longest first. Their structure
comes from what they are — a word's parts printed under it (基本支出 over 小计 | 人员经费 | 公用经费), a measure
under each item (预算数 | 决算数 under each 三公 item), a year over each set of columns (2025年预算数 |
2026年预算数) — and is kept only when it gives as many columns as the rows print amounts.
"""

from __future__ import annotations

import re

from cnbudget.domain.catalog import column_words
from cnbudget.domain.text import compact, key

_PERIOD = re.compile(r"20\d{2}年度?(?:预算|决算|执行)?数?")
"""A year over a set of columns ("2025年预算数")."""


def _tokens(text: str, with_ignored: bool) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, word) of the words of ``text`` (folded), kind ``period``, ``ignore`` or ``word``."""
    vocab = column_words()
    out = []
    i = 0
    while i < len(text):
        period = _PERIOD.match(text, i)
        if period:
            out.append((i, period.end(), "period", period.group(0)))
            i = period.end()
            continue
        found = next(
            (
                (kind, w)
                for kind, w in sorted(
                    [("ignore", w) for w in vocab.ignore] + [("word", w) for w in vocab.words],
                    key=lambda kw: -len(kw[1]),
                )
                if text.startswith(w, i)
            ),
            None,
        )
        if found is None:
            i += 1
            continue
        kind, w = found
        if with_ignored or kind != "ignore":
            out.append((i, i + len(w), kind, w))
        i += len(w)
    return out


def _words(text: str) -> list[tuple[str, str]]:
    """(kind, word) of the amount columns' words: the code and name columns' words removed first, so that a word
    they cut in two is read whole."""
    folded = key(compact(text))
    kept = "".join(
        folded[a:b] if kind != "ignore" else ""
        for a, b, kind, _ in _with_gaps(folded, _tokens(folded, with_ignored=True))
    )
    return [(kind, w) for _, _, kind, w in _tokens(kept, with_ignored=False)]


def _with_gaps(text: str, tokens: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    out = []
    at = 0
    for a, b, kind, w in tokens:
        if a > at:
            out.append((at, a, "gap", text[at:a]))
        out.append((a, b, kind, w))
        at = b
    if at < len(text):
        out.append((at, len(text), "gap", text[at:]))
    return out


def _grouped(items: list[str]) -> list[list[str]]:
    """Each word, or each of its parts printed under it (the first run of its parts after it, each part
    expanded in turn: “三公”经费 over 合计 … 公务用车购置及运行费, that over 小计 购置费 运行费)."""
    parts_of = column_words().parts
    claimed: set[int] = set()

    def expand(i: int) -> list[list[str]]:
        word = items[i]
        parts = parts_of.get(word, ())
        if not parts:
            return [[word]]
        j = i + 1
        while j < len(items) and (j in claimed or items[j] not in parts):
            j += 1
        # the run of its parts there, each part with its own parts (claimed as it is met); a part met twice
        # starts the next word's run (小计 购置费 运行费 | 小计 购置费 运行费 under two 公务用车购置及运行费)
        run: list[int] = []
        expanded: list[list[str]] = []
        seen: set[str] = set()
        while j < len(items) and (j in claimed or (items[j] in parts and items[j] not in seen)):
            if j not in claimed:
                claimed.add(j)
                run.append(j)
                seen.add(items[j])
                expanded.extend(expand(j))
            j += 1
        if len(run) < 2:
            for k in run:
                claimed.discard(k)
            return [[word]]
        return [[word, *leaf] for leaf in expanded]

    leaves: list[list[str]] = []
    for i in range(len(items)):
        if i not in claimed:
            claimed.add(i)
            leaves.extend(expand(i))
    return leaves


def _measured(leaves: list[list[str]]) -> list[list[str]]:
    """Items with a run of measures after them (预算数 决算数 预算数 决算数 …): each item split by its measures."""
    measures = set(column_words().measures)
    tail = 0
    while (
        tail < len(leaves) and leaves[len(leaves) - 1 - tail][-1] in measures and len(leaves[-1 - tail]) == 1
    ):
        tail += 1
    items, run = leaves[: len(leaves) - tail], leaves[len(leaves) - tail :]
    if not items or not run or len(run) % len(items) or len(run) == len(items) and len(items) == 1:
        return leaves
    per = len(run) // len(items)
    if per < 2:
        return leaves
    return [[*item, run[k * per + m][0]] for k, item in enumerate(items) for m in range(per)]


def header_columns(text: str, counts: set[int]) -> list[list[str]] | None:
    """The amount columns of a header (paths of words, left to right), when its words give as many columns as
    one of ``counts`` (the numbers of amounts its rows print); None when they do not."""
    words = _words(text)
    periods = [w for kind, w in words if kind == "period"]
    if len({p[:4] for p in periods}) < 2:
        periods = []  # one year printed over everything is the document's own: no columns of another year
    measures = set(column_words().measures)
    items = [
        w
        for n, (kind, w) in enumerate(words)
        if kind == "word"
        # "“三公”经费预算数", "机关运行经费预算数": a measure right after its word qualifies it, no column of its own
        and not (w in measures and n > 0 and words[n - 1][0] == "word" and words[n - 1][1] not in measures
                 and any(k == "word" and x not in measures for k, x in words[n + 1 :]))
    ]  # fmt: skip
    leaves = _measured(_grouped(items))
    if not leaves:
        return None
    options: list[list[list[str]]] = []
    if not periods:
        options.append(leaves)
    else:
        k = len(periods)
        if len(leaves) % k == 0:
            size = len(leaves) // k
            chunks = [leaves[n * size : (n + 1) * size] for n in range(k)]
            if all(chunk == chunks[0] for chunk in chunks):
                # the same columns under each year (2025年预算数 | 2026年预算数 over 合计 因公出国（境）费 …)
                options.append(
                    [[period, *leaf] for period, chunk in zip(periods, chunks, strict=True) for leaf in chunk]
                )
        # the earlier years print their total only, the last its columns (2025年预算数 | 2026年预算数: 总计 …)
        options.append([[p] for p in periods[:-1]] + [[periods[-1], *leaf] for leaf in leaves])
        options.append(leaves)
    return next((option for option in options if len(option) in counts), None)


def sides_text(text: str) -> tuple[str, str] | None:
    """A two-sided header's text of each side: after its 项目 (收入: 项目 预算数 | 支出: 项目 合计 一般公共预算 …)."""
    folded = key(compact(text))
    marks = [m.start() for m in re.finditer("项目", folded) if not folded.startswith("项目支出", m.start())]
    if len(marks) < 2:
        return None
    return folded[marks[0] + 2 : marks[1]], folded[marks[1] + 2 :]
