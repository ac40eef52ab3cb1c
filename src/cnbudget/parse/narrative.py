"""Numeric claims of the narrative part (第三部分 情况说明).

Every amount followed by 万元/元 is a claim; the text after it, up to the next such amount, may state
its share ("占90.55%"), its change against another year ("比2025年预算增加1,462.20万元，增长37.54%")
or, in final accounts, its completion of the budget ("完成年初预算的127.1%"). Amounts inside a
change phrase belong to the claim before them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from cnbudget.domain.numbers import parse_amount
from cnbudget.domain.text import compact
from cnbudget.model import NarrativeClaim, NarrativeSection, Part
from cnbudget.parse.furniture import furniture_lines
from cnbudget.parse.meaning import annotate
from cnbudget.parse.outline import within
from cnbudget.read import Line

_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|亿元|元)")
_EITHER = r"(?:[（(](?:增加|减少|增长|下降|降低|持平)[)）])?"
"""A template's "增加（减少）" left as printed: the word before the brackets counts."""
_CHANGE = re.compile(
    r"(增加|减少|增长|下降|降低|减|增)" + _EITHER
    + r"了?\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|亿元|元)"
)  # fmt: skip
_CHANGE_PCT = re.compile(r"(增长|下降|降低|减少|增加|上升|下滑)" + _EITHER + r"了?\s*(\d+(?:\.\d+)?)\s*%")
_SHARE = re.compile(r"占(?P<base>比|本年[收支出入]+|[^，,。；;\d]{0,12}的?)?\s*(?P<pct>\d+(?:\.\d+)?)\s*%")
_GENERIC_SUBJECT = re.compile(r"^(?:预算|决算)?支出(?:预算|决算)?$")
_LEVEL_LABEL = re.compile(r"[（(][类款项][)）]$")
_COMPLETION = re.compile(r"完成(?:年初|全年|调整)?预算(?:数)?的\s*(\d+(?:\.\d+)?)\s*%")
_YEAR = re.compile(
    r"(?<![-—–~～至到])(?<![-—–~～至到]\s)(20\d{2})\s*年(?!\s*\d{1,2}\s*月|\s*(?:起|以来|开始))"
)
_COMPARING_YEAR = re.compile(r"(?:比|较|与|同)\s*$")
"""A year that labels a figure ("2025年预算"), not a date ("自2017年7月起"), a start ("从2020年起") or the end of
a period ("2025-2027年")."""
_COMPARED = re.compile(r"(?:比|较|与|同)\s*(?:上年|(20\d{2})\s*年)")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])\s*\S")
_SUBJECT_TRIM = re.compile(
    r"^(?:20\d{2}\s*年度?|[（(]?[一二三四五六七八九十\d]+[)）.．、]|其中|包括|主要(?:用于|是|包括)?|具体(?:包括|如下)?|按照|以及|和|及|共|合计|总计|为|是|用于)[:：]?|"
    r"(?:20\d{2}\s*年度?|预算数|决算数|支出决算|年初预算|全年预算|为|是|达|均|共计|合计|总额)$"
)
_DEFINITION = re.compile(r"[：:]\s*指|[：:].*[，,。；;]|[：:][^：:]{8,}$|[。；;].")
"""A numbered line that is running text, not a heading: a definition ("七、机关运行经费：指行政单位…"), a
sentence after a colon, or a sentence that goes on after its full stop ("三、向潮头赶，…新突破。聚力“法治化信")."""
_LONE_NUMBER = re.compile(r"^[-—–·─━－‐\s]*\d{1,3}[-—–·─━－‐\s]*$")
"""A line that is nothing but a short number: in running text, a page number."""
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[)）]|^\d+[.．、]")
_NEGATIVE = ("减少", "下降", "降低", "减", "下滑", "降幅", "减幅", "下降率")


def find_narrative_part(parts: list[Part]) -> Part | None:
    """The part that holds the narrative: the first whose title names a 说明 (…情况说明, 编制说明), else the third
    (the usual order: 部门概况, the tables, the 说明)."""
    for part in parts:
        if "说明" in part.title:
            return part
    for part in parts:
        if part.number == 3:
            return part
    return None


_NARRATIVE_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．])?(?:20\d{2}年度?)?[^，,。；;：:\d]{0,24}(?:情况说明|编制说明|相关说明|相关情况)$"
)


def narrative_parts(lines: list[Line], parts: list[Part], outside: list[tuple[int, int]]) -> list[Part]:
    """Where the narrative is: the part that holds it (第三部分 …情况说明), or, in documents not divided into
    parts (Shanghai's: 四、部门预算编制说明 … 六、其他相关情况说明 … 项目经费情况说明), each section headed by a
    line that names a 说明, up to the next such heading or table. ``outside``: (first, last) line numbers
    of the contents and the tables, where no narrative begins."""
    explained = [p for p in parts if "说明" in p.title]
    if explained:
        # 西安: 第二部分 部门预算收支情况说明 and 第三部分 其他重要事项说明 are both the narrative
        return explained
    part = find_narrative_part(parts)
    if part is not None:
        return [part]
    starts = [
        line
        for line in lines
        if line.layout == "text"
        and _NARRATIVE_HEADING.match(compact(line.stripped))
        and not _AMOUNT.search(line.stripped)
        and not any(a <= line.number <= b for a, b in outside)
    ]
    found: list[Part] = []
    for k, line in enumerate(starts):
        end = starts[k + 1].number - 1 if k + 1 < len(starts) else lines[-1].number
        end = min([end, *(a - 1 for a, _ in outside if line.number < a <= end)])
        found.append(Part(number=0, title=compact(line.stripped), line=line.number, last_line=end))
    return found


def _sections(lines: list[Line], part: Part, furniture: set[int]) -> list[tuple[str, int, list[Line]]]:
    sections: list[tuple[str, int, list[Line]]] = [(part.title, part.line, [])]
    for line in lines:
        if (
            not (part.line < line.number <= part.last_line)
            or line.layout == "blank"
            or line.number in furniture
            or (line.cells is None and _LONE_NUMBER.match(line.stripped))
        ):
            continue  # a page number, also in text conversions that lost the pages
        text = line.stripped
        if (
            _HEADING.match(text)
            and len(compact(text)) <= 30
            and not _AMOUNT.search(text)
            and re.match(r"^[一二三四五六七八九十]+[、.．]", text)
            and not _DEFINITION.search(text)
        ):
            sections.append((compact(text), line.number, []))
            continue
        sections[-1][2].append(line)
    # the part's own title stays, even when a numbered section follows it at once: it is a heading too
    return sections


def read_narrative(
    lines: list[Line],
    parts: list[Part],
    outside: list[tuple[int, int]] | None = None,
    furniture: set[int] | None = None,
) -> list[NarrativeSection]:
    """``furniture``: the page furniture's line numbers (`furniture_lines`), when already known."""
    result = []
    furniture = furniture_lines(lines) if furniture is None else furniture
    for part in narrative_parts(lines, parts, outside or []):
        result.extend(_read_part(lines, part, furniture))
    return result


def read_prose(
    lines: list[Line],
    parts: list[Part],
    narrative: list[NarrativeSection],
    outside: list[tuple[int, int]],
    furniture: set[int] | None = None,
) -> list[NarrativeSection]:
    """The running text of the other parts (第一部分 部门概况, 第四部分 名词解释 …): read as the narrative is,
    without its figures. A part that is mostly tables (第二部分 …预算表) has no running text to read."""
    furniture = furniture_lines(lines) if furniture is None else furniture
    taken = {(s.line, s.last_line) for s in narrative}
    tabled = within(outside)
    kept = [line for line in lines if not tabled(line.number)]
    result: list[NarrativeSection] = []
    for part in parts:
        if any(part.line <= first <= part.last_line for first, _ in taken):
            continue
        span = range(part.line + 1, part.last_line + 1)
        if not span or 2 * sum(1 for n in span if tabled(n)) > len(span):
            continue
        result.extend(_read_part(kept, part, furniture, claims=False))
    return result


def _read_part(
    lines: list[Line], part: Part, furniture: set[int], claims: bool = True
) -> list[NarrativeSection]:
    result = []
    for heading, first, body in _sections(lines, part, furniture):
        text, offsets = _join(body)
        section = NarrativeSection(
            heading=heading, line=first, last_line=body[-1].number if body else first, text=text
        )
        pages = {line.number: line.page for line in body}
        section.line_starts = [(start, number, pages.get(number)) for start, number in offsets]
        if claims:
            section.claims = _claims(text, offsets, heading)
            for claim in section.claims:
                claim.page = pages.get(claim.line)
            annotate(section)
        result.append(section)
    return result


def _join(body: list[Line]) -> tuple[str, list[tuple[int, int]]]:
    """Concatenate wrapped lines (CJK text wraps without spaces); remember where each line starts."""
    pieces: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for line in body:
        if line.cells is not None:
            continue
        piece = line.stripped
        if pieces and pieces[-1] and piece and pieces[-1][-1].isascii() and piece[0].isascii():
            piece = " " + piece
        if _SUBHEADING.match(piece) and len(compact(piece)) <= 25 and not _AMOUNT.search(piece):
            piece += "\n"
        offsets.append((pos, line.number))
        pieces.append(piece)
        pos += len(piece)
    return "".join(pieces), offsets


def _line_at(offsets: list[tuple[int, int]], pos: int) -> int:
    line = offsets[0][1] if offsets else 0
    for start, number in offsets:
        if start > pos:
            break
        line = number
    return line


def _sentences(text: str) -> list[tuple[int, int, str]]:
    """(offset, paragraph, clause): clauses end at 。 or ；, paragraphs (sentences) at 。 only."""
    out = []
    start = 0
    paragraph = 0
    for m in re.finditer(r"[。；;\n]", text):
        out.append((start, paragraph, text[start : m.end()]))
        start = m.end()
        if m.group(0) in "。\n":
            paragraph += 1
    if start < len(text):
        out.append((start, paragraph, text[start:]))
    return out


_CONTINUATION = re.compile(r"^(?:比|较|与|同)\s*(?:上年|上一年|20\d{2})")


def _continue_change(claim: NarrativeClaim, sentence: str) -> None:
    if claim.change_amount is not None or claim.change_pct is not None:
        return
    change = _CHANGE.search(sentence)
    if change:
        claim.change_amount = _signed(change.group(1), change.group(2))
    pct = _CHANGE_PCT.search(sentence)
    if pct:
        claim.change_pct = Decimal(pct.group(2)) * (-1 if pct.group(1) in _NEGATIVE else 1)
    compared = _COMPARED.search(sentence)
    if compared and compared.group(1):
        claim.compared_year = int(compared.group(1))


def _paren_depths(sentence: str) -> list[int]:
    """Nesting depth of full- or half-width parentheses at each character."""
    if "(" not in sentence and "（" not in sentence:
        return [0] * (len(sentence) + 1)
    depths = []
    depth = 0
    for ch in sentence:
        if ch in "（(":
            depth += 1
            depths.append(depth)
            continue
        depths.append(depth)
        if ch in "）)" and depth:
            depth -= 1
    depths.append(depth)
    return depths


def _signed(word: str, number: str) -> Decimal | None:
    value = parse_amount(number)
    if value is None:
        return None
    return -value if word in _NEGATIVE else value


def _claims(text: str, offsets: list[tuple[int, int]], heading: str) -> list[NarrativeClaim]:
    claims: list[NarrativeClaim] = []
    for start, paragraph, sentence in _sentences(text):
        first = len(claims)
        _sentence_claims(claims, start, paragraph, sentence, offsets, heading)
        _change_of_the_whole(claims[first:])
    return claims


def _change_of_the_whole(claims: list[NarrativeClaim]) -> None:
    """ "收入344,447.70万元，其中：一般公共预算拨款324,638.50万元、上年结转13,102.70万元、其他收入3,444.00万元，
    较上年减少129,422.00万元": a change stated once after a list of parts joined by 、 is the whole's, not the
    last part's."""
    for h, whole in enumerate(claims):
        parts = claims[h + 1 :]
        if (
            len(parts) < 2
            or not re.match(r"^[，,]?\s*其中", whole.tail)
            or (whole.change_amount is not None or whole.change_pct is not None)
        ):
            continue
        last = parts[-1]
        if last.change_amount is None and last.change_pct is None:
            return
        if any(p.change_amount is not None or p.change_pct is not None for p in parts[:-1]):
            return
        if not all("、" in p.head[-30:] for p in parts[1:]):
            return
        whole.change_amount, whole.change_pct = last.change_amount, last.change_pct
        whole.compared_year = whole.compared_year or last.compared_year
        last.change_amount = last.change_pct = None
        return


def _sentence_claims(
    claims: list[NarrativeClaim],
    start: int,
    paragraph: int,
    sentence: str,
    offsets: list[tuple[int, int]],
    heading: str,
) -> None:
    changes = {m.start(2) for m in _CHANGE.finditer(sentence)}
    bases = [m for m in _AMOUNT.finditer(sentence) if m.start(1) not in changes]
    if not bases and claims and _CONTINUATION.match(sentence.strip()):
        _continue_change(
            claims[-1], sentence
        )  # "…5,916.68 万元。比 2025 年预算增加 …" belongs to the claim before
        return
    depth = _paren_depths(sentence)
    for i, m in enumerate(bases):
        tail, head_start = _clause(sentence, bases, i, depth)
        head = compact(sentence[head_start + 1 : m.start()])
        base = _BASE_HEAD.match(head)
        if base and i > 0 and claims and claims[-1].sentence == sentence.strip():
            # "…29.92万元，较上年的7.80万元增加22.12万元": the figure compared with, not a figure of its own
            _as_base(claims[-1], m, base, tail)
            continue
        subject = head
        for _ in range(3):
            subject = _SUBJECT_TRIM.sub("", subject)
        if not subject and claims and head:
            # "年初预算为 X 万元，支出决算为 Y 万元": the second figure is about the same item
            subject = f"{claims[-1].subject.split('/')[0]}/{head.rstrip('为是达')}"
        own_head = sentence[bases[i - 1].end() if i > 0 else 0 : m.start()]
        # the year that labels the figure: in its own clause, else before it but not one a comparison
        # names ("比2025年增加74.73万元，主要原因是新增了…资金1000万元": 1000 is no 2025 figure)
        years = [int(y) for y in _YEAR.findall(sentence[head_start + 1 : m.start()])] or [
            int(y.group(1))
            for y in _YEAR.finditer(own_head)
            if not _COMPARING_YEAR.search(own_head[: y.start()])
        ]
        compared = _COMPARED.search(tail) or _COMPARED.search(sentence[head_start + 1 : m.start()])
        compared_year = int(compared.group(1)) if compared and compared.group(1) else None
        claim = NarrativeClaim(
            subject=subject,
            amount=parse_amount(m.group(1)),
            unit=m.group(2),
            raw=m.group(0),
            year=next((y for y in reversed(years) if y != compared_year), None),
            compared_year=compared_year,
            section=heading,
            sentence=sentence.strip(),
            paragraph=paragraph,
            line=_line_at(offsets, start + m.start()),
            position=m.start() - (len(sentence) - len(sentence.lstrip())),
        )
        if (not subject or _GENERIC_SUBJECT.match(subject)) and head_start >= 0:
            subject = _labelled(sentence, head_start, subject)
            claim.subject = subject
        _tail_figures(claim, tail)
        claims.append(claim)


def _clause(sentence: str, bases: list[re.Match[str]], i: int, depth: list[int]) -> tuple[str, int]:
    """The words after the ``i``-th amount that speak of it (up to the next amount; inside or outside the
    brackets it stands in), and where the words before it that name it start."""
    m = bases[i]
    inner = depth[m.start()] > 0
    later = [b for b in bases[i + 1 :] if inner or depth[b.start()] == 0]
    tail_end = later[0].start() if later else len(sentence)
    if inner:
        close = next((k for k in range(m.end(), len(sentence)) if depth[k] < depth[m.start()]), tail_end)
        tail = sentence[m.end() : min(close, tail_end)]
    else:
        tail = "".join(ch for k, ch in enumerate(sentence[m.end() : tail_end], m.end()) if depth[k] == 0)
    head_start = max((sentence.rfind(ch, 0, m.start()) for ch in "，,：:；;。"), default=-1)
    opening = max(sentence.rfind("（", 0, m.start()), sentence.rfind("(", 0, m.start()))
    if inner and opening > head_start:
        head_start = opening
    if i > 0:
        head_start = max(head_start, bases[i - 1].end())
    return tail, head_start


def _tail_figures(claim: NarrativeClaim, tail: str) -> None:
    """The share, change, change rate and completion rate the words after an amount state of it."""
    share = _SHARE.search(tail)
    if share:
        claim.share_pct = Decimal(share.group("pct"))
        claim.share_base = (share.group("base") or "").strip().removesuffix("的").strip()
    change = _CHANGE.search(tail)
    if change:
        claim.change_amount = _signed(change.group(1), change.group(2))
    pct = _CHANGE_PCT.search(tail)
    if pct and (not share or pct.start() != share.start()):
        sign = -1 if pct.group(1) in _NEGATIVE else 1
        claim.change_pct = Decimal(pct.group(2)) * sign
    completion = _COMPLETION.search(tail)
    if completion:
        claim.completion_pct = Decimal(completion.group(1))


_BASE_HEAD = re.compile(
    r"^(?:比|较|与|同)(?:上年度?|上一年|(20\d{2})年度?)(?:同期)?的?(?:年初|全年|调整后?)?(?:预算|执行|决算)?数?(?:为)?$"
)


def _as_base(claim: NarrativeClaim, m: re.Match[str], base: re.Match[str], tail: str) -> None:
    """The figure a sentence compares ``claim`` with, and the change it then states, are ``claim``'s."""
    claim.base_amount = parse_amount(m.group(1))
    if base.group(1):
        claim.compared_year = claim.compared_year or int(base.group(1))
    if claim.change_amount is None:
        change = _CHANGE.search(tail)
        if change:
            claim.change_amount = _signed(change.group(1), change.group(2))
    if claim.change_pct is None:
        pct = _CHANGE_PCT.search(tail) or _GROWTH.search(tail)
        if pct:
            claim.change_pct = Decimal(pct.group(2)) * (-1 if pct.group(1) in _NEGATIVE else 1)


_GROWTH = re.compile(r"(增幅|降幅|减幅|增长率|下降率)\s*(?:为)?\s*(\d+(?:\.\d+)?)\s*%")


def _labelled(sentence: str, colon: int, subject: str) -> str:
    """ "检察（款）：预算支出合计 16,444.36 万元": a bare 支出 after a colon is the labelled item's."""
    if sentence[colon] not in "：:":
        return subject
    start = max(sentence.rfind(ch, 0, colon) for ch in "，,；;。：:")
    label = compact(sentence[start + 1 : colon])
    for _ in range(3):
        label = _SUBJECT_TRIM.sub("", label)
    return label + subject if _LEVEL_LABEL.search(label) else subject
