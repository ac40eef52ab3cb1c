"""Text quality (文字质量): what a reviewer marks in the narrative without doing any arithmetic — doubled
punctuation, brackets and quotation marks left open, a sentence that stops right after "主要原因是",
template words left in ("增加（减少）"), characters that did not render, and headings that speak of a
部门 in a unit's document (or the reverse).

Each rule reads the narrative sections, and the running text of the other parts (部门概况, 名词解释), as the
parser joined them (wrapped lines put back together, page numbers and headers removed), so a line break or a
page break is never taken for a text defect.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cnbudget.audit.context import Context
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.text import is_digits
from cnbudget.domain.vocabulary import SCOPE_LABELS
from cnbudget.model import NarrativeSection

_SHOWN = 3
"""Places quoted in one finding's message (all of them are in its evidence)."""


def _snippet(text: str, start: int, end: int, width: int = 14) -> str:
    """The words around a place, ``width`` characters each side, widened so that no number is cut in two
    (a quoted "023年度" would misstate the year)."""
    left, right = max(0, start - width), min(len(text), end + width)
    while left > 0 and _numeral(text[left - 1]) and _numeral(text[left]):
        left -= 1
    while right < len(text) and _numeral(text[right - 1]) and _numeral(text[right]):
        right += 1
    before = text[left:start].replace("\n", " ")
    after = text[end:right].replace("\n", " ")
    return f"{before}{text[start:end]}{after}"


def _numeral(char: str) -> bool:  # noqa: N802 - reads as the character class it is
    return is_digits(char) or char in ".,．"


def _place(section: NarrativeSection, start: int, end: int) -> Evidence:
    line, page = section.place(start)
    return Evidence("line", line=line, page=page, text=_snippet(section.text, start, end, 30))


def _texts(ctx: Context) -> list[NarrativeSection]:
    """The running text the rules read: the narrative and the other parts' (部门概况, 名词解释 …)."""
    return [*ctx.doc.narrative, *ctx.doc.prose]


def _matches(ctx: Context, pattern: re.Pattern[str]) -> list[tuple[NarrativeSection, int, int]]:
    """(section, start, end) of every match of ``pattern`` in the running text."""
    return [(s, m.start(), m.end()) for s in _texts(ctx) for m in pattern.finditer(s.text)]


def _report(
    ctx: Context, hits: list[tuple[NarrativeSection, int, int]], what: str, advice: str
) -> Iterator[Finding]:
    """One finding per document for a kind of defect: how many, the first few quoted, every place as evidence."""
    if not hits:
        return
    quoted = "；".join(
        f"{ctx.cite(*section.place(start))}“{_snippet(section.text, start, end)}”"
        for section, start, end in hits[:_SHOWN]
    )
    more = f"等 {len(hits)} 处" if len(hits) > _SHOWN else ""
    narrative = {id(s) for s in ctx.doc.narrative}
    where = "情况说明" if all(id(section) in narrative for section, _, _ in hits) else "说明文字"
    yield ctx.finding(
        f"{where}中有{what}：{quoted}{more}。{advice}",
        evidence=[_place(section, start, end) for section, start, end in hits],
    )


# ---- doubled punctuation -------------------------------------------------------------------------------

_DOUBLED = re.compile(r"[，。；：、！？,;]{2,}")


@rule(
    "TEXT-PUNCT-001",
    family="text",
    basis="regulation",
    severity="warning",
    description="情况说明中没有重复或连用的标点（“。。”“，。”）",
    rationale="标点重复或连用（“减少了该项支出。。”“，。”）多为删改文字时留下的痕迹，是公开文本校对不严的表现，审核时会被指出。",
    fix="查看报告引用的句子。部门应删去多余的标点，并检查该处是否删漏了文字。",
)
def doubled_punctuation(ctx: Context) -> Iterator[Finding]:
    yield from _report(ctx, _matches(ctx, _DOUBLED), "重复或连用的标点", "应删去多余的标点")


# ---- brackets and quotation marks ----------------------------------------------------------------------

_OPENING = {"（": "（）", "(": "（）", "“": "“”", "《": "《》", "【": "【】"}
_CLOSING = {"）": "（）", ")": "（）", "”": "“”", "》": "《》", "】": "【】"}
_IN_SENTENCE = {"《》", "【】"}
_MARKS = re.compile(r"[（()）“”《》【】。\n]")
"""Titles and marks that never run past the end of a sentence; parentheses and quotations may."""


def unbalanced(text: str) -> list[tuple[int, str]]:
    """(position, pair) of every bracket or quotation mark left open or closed without opening.

    Full- and half-width parentheses pair with each other; 《》 and 【】 must close within their
    sentence (before 。 or a paragraph break), （） and “” within the section."""
    stack: list[tuple[str, int]] = []
    found: list[tuple[int, str]] = []
    for m in _MARKS.finditer(text):
        i, ch = m.start(), m.group(0)
        if ch in "。\n":
            while stack and stack[-1][0] in _IN_SENTENCE:
                pair, at = stack.pop()
                found.append((at, pair))
        if ch in _OPENING:
            stack.append((_OPENING[ch], i))
        elif ch in _CLOSING:
            pair = _CLOSING[ch]
            if not any(open_pair == pair for open_pair, _ in stack):
                found.append((i, pair))
                continue
            while stack[-1][0] != pair:  # what was opened inside and never closed
                inner, at = stack.pop()
                found.append((at, inner))
            stack.pop()
    found.extend((at, pair) for pair, at in stack)
    return sorted(found)


@rule(
    "TEXT-BRACKET-001",
    family="text",
    basis="regulation",
    severity="warning",
    description="情况说明中的括号、引号、书名号成对出现",
    rationale=(
        "括号、引号和书名号只出现一半（“询价采购《机房微在线监测系统、……”“平均得分99.33分（其中……”），"
        "说明句子被删改过或漏了文字，读者无法判断所指的范围。"
    ),
    fix=(
        "书名号、方括号应在本句内闭合，圆括号和引号可跨句但应在本节内闭合；全角和半角圆括号互相配对。"
        "部门应补全缺失的一半，并检查该处文字是否完整。"
    ),
)
def brackets(ctx: Context) -> Iterator[Finding]:
    hits = [(s, at, at + 1) for s in _texts(ctx) for at, _ in unbalanced(s.text)]
    yield from _report(ctx, hits, "不成对的括号或引号", "应补全缺失的一半并核对该处文字")


# ---- sentences that stop where the explanation should begin ---------------------------------------------

_STOPPED = re.compile(
    r"(?:原因(?:是|为|主要是|在于)|原因[：:]|主要用于|主要包括|具体包括|主要有)[：:]?\s*(?=[。；;]|$)"
    r"|[：:]\s*20\d{2}\s*年度?\s*(?=[。；;]|$)"
)
"""A sentence that stops where its content should begin: after "主要原因是", or after the year a template
starts the figures with ("（一）收入预算：2026年。")."""


@rule(
    "TEXT-TRUNC-001",
    family="text",
    basis="regulation",
    severity="warning",
    description="“主要原因是”“主要用于”之后有内容（句子没有在该说明处中断）",
    rationale=(
        "模板要求说明增减变化的原因和资金的用途；句子在“主要原因是”“主要用于”之后直接结束，"
        "或只写了模板开头的年度（“收入预算：2026年。”），说明应填写的内容漏填了。"
    ),
    fix="查看报告引用的句子。部门应补写原因、用途或数字；确实无需说明的，删去这半句。",
)
def stopped_sentences(ctx: Context) -> Iterator[Finding]:
    yield from _report(ctx, _matches(ctx, _STOPPED), "在应填内容处中断的句子", "应补写原因、用途或数字")


# ---- template words left in -----------------------------------------------------------------------------

_TEMPLATE_WORDS = re.compile(
    r"(?:增加|增长|上升|提高)\s*[（(/／]\s*(?:减少|下降|降低|减)\s*[）)]?"
    r"|(?:减少|下降)\s*[（(/／]\s*(?:增加|增长)\s*[）)]?"
    r"|(?:大于|小于|高于|低于)\s*[（(/／]\s*(?:大于|小于|等于|高于|低于)\s*[）)]?"
    r"|[_＿]{3,}"
)


@rule(
    "TEXT-TEMPLATE-001",
    family="text",
    basis="regulation",
    severity="warning",
    description="情况说明中没有留下模板的备选用语（“增加（减少）”“增长（下降）”）或待填空格",
    rationale=(
        "公开模板用“增加（减少）”“增长（下降）”提示按实际情况二选一，用下划线留出待填内容；"
        "公开文本中原样保留，说明没有按实际情况填写，读者看不出是增是减。"
    ),
    fix="查看报告引用的句子。部门应按实际增减选用一个词（无变化的写“与上年持平”），并填写空格。",
)
def template_words(ctx: Context) -> Iterator[Finding]:
    yield from _report(
        ctx,
        _matches(ctx, _TEMPLATE_WORDS),
        "模板的备选用语或待填空格",
        "应按实际情况选用一个词并填写完整",
    )


# ---- characters that did not render -------------------------------------------------------------------

_UNRENDERED = re.compile(r"[\ufffd\ue000-\uf8ff\u25a1\x00-\x08\x0b\x0c\x0e-\x1f]+")


@rule(
    "TEXT-GLYPH-001",
    family="text",
    basis="regulation",
    severity="warning",
    description="情况说明的文字都能正常显示（没有缺字、方框或乱码）",
    rationale="生成 PDF 时字体缺字，文字会显示为方框或替换符，读者看到的内容残缺；这类问题只有逐字查看才能发现。",
    fix="查看报告引用的位置。部门应嵌入完整字体重新生成文件，并核对该处原文。",
)
def unrendered(ctx: Context) -> Iterator[Finding]:
    yield from _report(
        ctx,
        _matches(ctx, _UNRENDERED),
        "无法显示的字符（缺字、方框或乱码）",
        "应嵌入完整字体重新生成并核对原文",
    )


# ---- 部门 / 单位 wording -------------------------------------------------------------------------------

_SCOPE_WORDS = {
    "unit": re.compile(r"部门(?:预算|决算|概况|主要职能|机构设置|收支|收入|支出|财政拨款|“三公”)"),
    "department": re.compile(r"(?<![部预])单位(?:预算|决算|概况|主要职能|机构设置)"),
}


@rule(
    "TEXT-SCOPE-001",
    family="text",
    basis="consistency",
    severity="warning",
    description="标题用语与文件范围一致：单位预算（决算）不称“部门预算”，部门预算不称“单位预算”",
    rationale=(
        "部门预算与单位预算是两种文件，模板的标题用语不同；单位文件的各部分标题写成“部门预算”“部门概况”"
        "（或反过来），多为套用了另一种模板，读者会误解公开的范围。"
    ),
    fix="只查看各部分标题和各节标题（正文中提到主管部门是正常的）。部门应按文件范围改正标题用语。",
)
def scope_words(ctx: Context) -> Iterator[Finding]:
    scope = ctx.doc.metadata.scope
    if scope not in _SCOPE_WORDS:
        return
    pattern = _SCOPE_WORDS[scope]
    headings = [(p.title, p.line) for p in ctx.doc.parts] + [(s.heading, s.line) for s in ctx.doc.narrative]
    seen: set[int] = set()
    for text, line in headings:
        m = pattern.search(text)
        if m is None or line in seen:
            continue
        seen.add(line)
        yield ctx.finding(
            f"这是一份{SCOPE_LABELS[scope] if scope else ''}文件，但{ctx.cite(line)}的标题“{text}”称“{m.group(0)}”",
            evidence=[Evidence("line", line=line, text=text)],
        )


# ---- blank pages ----------------------------------------------------------------------------------------


@rule(
    "TEXT-PAGE-001",
    family="text",
    basis="regulation",
    severity="warning",
    description="PDF 文件中没有空白页（没有任何文字的页面）",
    rationale="公开文件中的空白页多为排版或转换 PDF 时留下的，也可能是一页扫描图像没有文字层，读者无法检索；审核时会被指出。",
    fix="查看报告列出的页码（OCR 也读不出文字的页）。部门应删去空白页，或换成有文字层的页面。",
)
def blank_pages(ctx: Context) -> Iterator[Finding]:
    pages = ctx.doc.blank_pages
    if not pages:
        return
    shown = "、".join(str(p) for p in pages[:10]) + ("等" if len(pages) > 10 else "")
    yield ctx.finding(
        f"第 {shown} 页没有任何文字（共 {len(pages)} 页）：空白页，或没有文字层的图像",
        evidence=[Evidence("line", page=p, text="（空白页）") for p in pages],
    )
