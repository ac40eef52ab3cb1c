"""Split a document into its table of contents, parts, table regions and narrative.

The table of contents repeats every title before the body; a title only opens a table when it lies
outside the contents and is followed by table content.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from cnbudget.domain.catalog import TitleMatch, match_title, spec_for, table_marker, without_marker
from cnbudget.domain.numbers import has_decimal_amount
from cnbudget.domain.text import chinese_number, compact
from cnbudget.model import Part
from cnbudget.parse.recognise import choose
from cnbudget.read import Line

_UNIT_CAPTION = re.compile(r"单位\s*[：:]\s*(?:万元|元|千元)")
_PART = re.compile(r"^第([一二三四五六七八九十]+)部分\s*(.*)$")


@dataclass(slots=True)
class Region:
    table_id: str
    title: str
    title_line: int
    start: int
    """Index into the line list of the title line."""
    end: int
    """Index one past the region's last line."""
    number: str = ""
    skip: tuple[tuple[int, int], ...] = ()
    """(first, end) index ranges inside the region that are not the table's: the title and captions
    printed again on each page a table continues on."""

    def body(self, lines: list[Line]) -> list[Line]:
        """The region's lines without the repeated titles of its continuation pages."""
        if not self.skip:
            return lines[self.start : self.end]
        out: list[Line] = []
        k = self.start
        for first, end in self.skip:
            out.extend(lines[k:first])
            k = end
        out.extend(lines[k : self.end])
        return out


@dataclass(slots=True)
class Segments:
    toc: tuple[int, int] | None
    parts: list[Part]
    regions: list[Region]
    declared: list[str] = field(default_factory=list)
    """The standard tables the contents (目录) list, in their order: what the document says it holds."""


def find_toc(lines: list[Line]) -> tuple[int, int] | None:
    """Indexes (first, last) of the table of contents, or None."""
    for i, line in enumerate(lines[:200]):
        if compact(line.text) in ("目录", "目次"):
            first_entry = None
            for j in range(i + 1, min(i + 400, len(lines))):
                s = compact(lines[j].text).lstrip("-•·*")
                if not s:
                    continue
                if first_entry is None:
                    first_entry = s
                    continue
                if s == first_entry or _split_entry(lines, j, s, first_entry):
                    return (i, j - 1)
            return None
    return None


def _split_entry(lines: list[Line], j: int, s: str, entry: str) -> bool:
    """The body's first heading printed over two lines ("第一部分" / "部门概况") where the contents print it
    on one ("第一部分 部门概况"): the contents end above it."""
    if not (_PART.match(s) and entry.startswith(s) and len(entry) > len(s)):
        return False
    following = next((compact(ln.text) for ln in lines[j + 1 : j + 4] if compact(ln.text)), "")
    return bool(following) and entry == s + following


def _content_flags(lines: list[Line]) -> list[bool]:
    """For each line: does it carry table content (cells, or amounts in a space-separated row)?"""
    return [
        line.layout in ("tab", "pipe") or (line.layout == "text" and has_decimal_amount(line.text))
        for line in lines
    ]


def _has_table_content(flags: list[bool], start: int, end: int) -> bool:
    return any(flags[start:end])


_PROSE_HEADING = re.compile(r"^[一二三四五六七八九十]+[、.．]\S")


_TABLE_NOTE = re.compile(r"^(?:注|备注|说明)|本表|空表|此表|无数据|数据为零|单位[:：]")


def _is_prose(line: Line) -> bool:
    """Running text, not a note under a table ("注：本单位没有……，故本表为空表。")."""
    text = compact(line.stripped)
    return (
        line.layout == "text"
        and len(text) >= 20
        and ("，" in text or "。" in text)
        and not _TABLE_NOTE.search(text)
    )


def _prose_break(lines: list[Line], content: int, end: int) -> int:
    """Where a ruled table gives way to running text: its region ends there, not at the next title.

    A table drawn as a grid (cells) ends where a section heading or a line of prose, followed by prose,
    comes after its cells;
    a document whose narrative comes after its last table would otherwise read that narrative, and the
    forms printed after it, as rows of that table. Space-aligned tables (no cells) are left alone: their
    rows are text lines themselves.
    """
    if content >= end or lines[content].cells is None:
        return end
    for k in range(content + 1, end):
        line = lines[k]
        if line.layout != "text":
            continue
        text = compact(line.stripped)
        heading = _PROSE_HEADING.match(text) and len(text) <= 20 and not has_decimal_amount(text)
        following = next((ln for ln in lines[k + 1 : end] if ln.layout != "blank"), None)
        if (heading or _is_prose(line)) and following is not None and _is_prose(following):
            # a heading printed above that ("其他相关情况说明") belongs to the text too
            while k - 1 > content and _is_heading_above(lines[k - 1]):
                k -= 1
            return k
    return end


def _is_heading_above(line: Line) -> bool:
    text = compact(line.stripped)
    return (
        line.layout == "text"
        and 0 < len(text) <= 30
        and not has_decimal_amount(text)
        and not _TABLE_NOTE.search(text)
        and not _is_prose(line)
    )


def _title_end(lines: list[Line], start: int) -> int:
    """The index of the last line of a title that starts at ``start`` (a title may wrap to the next line)."""
    nxt = start + 1
    if (
        nxt < len(lines)
        and lines[nxt].layout == "text"
        and lines[nxt].stripped.endswith("表")
        and not (lines[start].stripped.endswith("表"))
    ):
        return nxt
    return start


_SENTENCE = re.compile(r"[，。；;：:]")
_TITLE_END = re.compile(r"表(?:[（(][^）)]*[)）])?$")
"""The end of a table title: 表, or 表 and a bracketed qualifier ("…预算表（不含上年结转）")."""


@dataclass(slots=True)
class _Title:
    index: int
    """Index of its first line (the number printed above it, when there is one)."""
    match: TitleMatch
    text: str
    number: str


def _wrapped_title(lines: list[Line], i: int, org_names: tuple[str, ...]) -> TitleMatch | None:
    """A title wrapped over two lines ("…“三公”经费、会议费、培训费支" / "出预算表（不含上年结转）"): the line does not
    end in 表, is short and no sentence, and the next is a short tail that ends one."""
    if i + 1 >= len(lines) or lines[i].layout != "text" or lines[i + 1].layout != "text":
        return None
    head, tail = lines[i].stripped, lines[i + 1].stripped
    if (
        head.endswith("表")
        or len(compact(head)) > 40
        or _SENTENCE.search(without_marker(head))
        or not _TITLE_END.search(compact(tail))
        or len(compact(tail)) > 24
        or _PART.match(compact(tail))
        or _PROSE_HEADING.match(compact(tail))
    ):
        return None
    alone = match_title(tail, org_names)
    if alone is not None and (alone.number or (alone.table_id != "X" and len(compact(tail)) > 8)):
        return (
            None  # the next line is a title of its own ("表 12.项目支出绩效目标表"), not the end of this one
        )
    return match_title(head + tail, org_names)


def _kind_of_titles(titles: list[_Title]) -> str:
    """budget or final, as most titles that say it say (决算 / 预算), else ""."""
    said = [t.match.kind for t in titles if t.match.kind]
    if not said:
        return ""
    finals = said.count("final")
    return "final" if 2 * finals > len(said) else "budget"


def _part(lines: list[Line], i: int, pm: re.Match[str], flags: list[bool]) -> Part:
    """A part's heading (第三部分 …), with its title when it is printed on the next line."""
    line = lines[i]
    title = compact(line.stripped)
    if not pm.group(2):
        # "第三部分" on a line of its own, its title on the next ("2026年部门预算情况和重要事项说明")
        k = next((k for k in range(i + 1, min(i + 3, len(lines))) if lines[k].stripped), None)
        if (
            k is not None
            and lines[k].layout == "text"
            and len(compact(lines[k].text)) <= 40
            and not _PART.match(compact(lines[k].text))
            and not flags[k]
        ):
            title += compact(lines[k].text)
    return Part(number=chinese_number(pm.group(1)) or 0, title=title, line=line.number, last_line=line.number)


def _find_titles(
    lines: list[Line], org_names: tuple[str, ...], flags: list[bool], toc: tuple[int, int] | None
) -> tuple[list[_Title], list[Part], list[int]]:
    parts: list[Part] = []
    titles: list[_Title] = []
    boundaries: list[int] = []
    marker: tuple[int, str] | None = None
    wrapped: set[int] = set()
    for i, line in enumerate(lines):
        if line.layout != "text" or (toc is not None and toc[0] <= i <= toc[1]) or i in wrapped:
            continue
        s = line.stripped
        pm = _PART.match(compact(s))
        if pm and len(s) < 80:
            parts.append(_part(lines, i, pm, flags))
            boundaries.append(i)
            continue
        num = table_marker(s)
        if num is not None:
            previous = titles[-1] if titles else None
            if previous is not None and _title_end(lines, previous.index) >= i - 1:
                # the number printed under the title it belongs to ("支出预算总表" / "公开表三")
                previous.number = previous.number or num
            else:
                marker = (i, num)
            continue
        m = match_title(s, org_names)
        if m is None and not flags[i]:
            m = _wrapped_title(lines, i, org_names)
            if m is not None:
                wrapped.add(i + 1)
                s = s + lines[i + 1].stripped
        if m is None:
            continue
        printed_number = m.number
        start = i
        if marker is not None and i - marker[0] <= 4:
            printed_number = printed_number or marker[1]
            start = marker[0]
        marker = None
        titles.append(_Title(start, m, without_marker(s), printed_number))
    return titles, parts, boundaries


def _merge_repeated(titles: list[_Title], flags: list[bool]) -> list[_Title]:
    """A title repeated right after itself is one ("表 1.部门收支总表" then "部门收支总表"; F-table "公开01表")."""
    merged: list[_Title] = []
    for entry in titles:
        if (
            merged
            and merged[-1].match.candidates == entry.match.candidates
            and not _has_table_content(flags, merged[-1].index, entry.index)
        ):
            prev = merged[-1]
            prev.text = prev.text if len(prev.text) >= len(entry.text) else entry.text
            prev.number = prev.number or entry.number
            continue
        merged.append(entry)
    return merged


def segment(lines: list[Line], org_names: tuple[str, ...], kind: str = "") -> Segments:
    """The document's contents, parts and table regions. Each region's table is the one its title names,
    among the title's candidates the one the document's ``kind`` and the region's rows fit
    (`parse.recognise.choose`); a table continued on the next page under its title again is one region."""
    toc = find_toc(lines)
    flags = _content_flags(lines)
    titles, parts, boundaries = _find_titles(lines, org_names, flags, toc)
    kind = kind or _kind_of_titles(titles)

    merged = _merge_repeated(titles, flags)
    regions: list[Region] = []
    stops = sorted({e.index for e in merged} | set(boundaries) | {len(lines)})
    b12_count = 0
    others = 0
    for entry in merged:
        start, title, number = entry.index, entry.text, entry.number
        end = stops[bisect_right(stops, start)]  # by bisection: a scan per table was quadratic
        content = next((k for k in range(start, end) if flags[k]), end)
        table_id = choose(entry.match.candidates, lines[content:end], kind)
        if not _has_table_content(flags, start, end):
            # an empty table (B08/B09 with a note) still has its unit caption; a title listed in a
            # second contents page has nothing but other titles after it
            caption = any(ln.layout == "text" and _UNIT_CAPTION.search(ln.text) for ln in lines[start:end])
            if not caption or spec_for(table_id).kind != "financial":
                continue
        previous = regions[-1] if regions else None
        if (
            previous is not None
            and previous.table_id == table_id
            and previous.end == start
            and spec_for(table_id).kind in ("financial", "listing")
            and table_id != "X"
        ):
            # the same table continued on the next page, its title printed again above it
            previous.skip = (*previous.skip, (start, content))
            previous.end = _prose_break(lines, content, end)
            continue
        if table_id == "B12":
            b12_count += 1
            table_id = f"B12-{number.split('-')[1] if '-' in number else b12_count}"
        elif table_id == "X":
            others += 1
            table_id = f"X-{others}"
        # the title printed nearest the table (an attachment list may name it just above)
        if spec_for(table_id).kind in ("financial", "listing"):
            end = _prose_break(lines, content, end)
        printed = [ln.number for ln in lines[start:content] if match_title(ln.stripped, org_names)]
        title_line = printed[-1] if printed else lines[start].number
        regions.append(Region(table_id, title, title_line, start, end, number))
    for idx, part in enumerate(parts):
        part.last_line = parts[idx + 1].line - 1 if idx + 1 < len(parts) else lines[-1].number
    return Segments(
        toc=toc, parts=parts, regions=regions, declared=_declared(lines, toc, org_names, kind, flags)
    )


def _declared(
    lines: list[Line], toc: tuple[int, int] | None, org_names: tuple[str, ...], kind: str, flags: list[bool]
) -> list[str]:
    """The standard tables the document lists as its contents: the titles in its 目录, and any run of three or
    more titles with no table between them (a list of the tables under 第二部分 …预算表). Titles are read as
    any title is; a choice that depends on rows takes the title's first candidate of the document's kind."""
    runs: list[list[str]] = []
    current: list[str] = []
    in_toc: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.layout != "text":
            if flags[i]:
                if len(current) >= 3:
                    runs.append(current)
                current = []
            i += 1
            continue
        m = match_title(line.stripped, org_names)
        step = 1
        if m is None:
            m = _wrapped_title(lines, i, org_names)
            step = 2 if m is not None else 1
        if m is not None:
            table_id = choose(m.candidates, [], kind)
            if table_id != "X":
                current.append(table_id)
                if toc is not None and toc[0] <= i <= toc[1]:
                    in_toc.append(table_id)
        i += step
    if len(current) >= 3:
        runs.append(current)
    out: list[str] = []
    for table_id in [*in_toc, *(t for run in runs for t in run)]:
        if table_id not in out:
            out.append(table_id)
    return out
