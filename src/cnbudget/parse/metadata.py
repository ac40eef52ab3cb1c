"""Who and what the document is about, read from its cover, title lines and table captions.

Covers are printed many ways: the whole title on one line ("2017年度江苏省高级人民法院部门预算公开"), the
title wrapped over two lines ("2018年度江苏省高级" / "人民法院预算公开"), the organisation on one line and
"2019年度部门预算公开" on the next, or a series title that names only the region ("上海市普陀区2025年区级
部门预算") with the organisation on its own line ("预算主管部门：上海市普陀区商务委员会"). The title gives
the year, the kind (预算/决算) and the scope (部门/单位); table captions ("部门：…", "编制部门：…") give the
organisation's full name.
"""

from __future__ import annotations

import re
from typing import Literal

from cnbudget.domain.names import INSTITUTION_WORDS
from cnbudget.domain.text import compact
from cnbudget.domain.vocabulary import DocumentKind, Level, Scope, TextLayout
from cnbudget.model import Metadata
from cnbudget.read import Line

_COVER_LINES = 60
"""Lines at the start of a document where its title may be printed."""

_KIND = re.compile(r"(部门|单位)?(预算|决算)")
_YEAR = re.compile(r"(20\d{2})\s*年度?")
_TITLE_END = re.compile(r"(?:预算|决算)(?:信息)?(?:公开)?(?:情况)?(?:说明|报表|表)?$")
"""部门预算, 部门预算公开, 部门预算公开说明, 部门预算情况说明, 部门预算表, 部门决算公开报表 …"""
_NOT_NAME = re.compile(
    r"20\d{2}\s*年度?|省级|市级|区级|县级|区县级|市直|区直|省直|(?<!\d)年度?|[（(]汇总[)）]"
)
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_OVERVIEW = re.compile(r"^第[一二三四五六七八九十]+部分\s*(?P<org>.+?)概况$")
_CAPTION = re.compile(
    r"^(?:预算主管部门|预算单位|编制部门|编制单位|填报单位|部门名称|单位名称|部门/单位|部门\(单位\)名称|部门|单位)"
    r"[：:]\s*(?P<org>\S.*)$"
)
_MONEY_UNIT = re.compile(r"^(?:金额单位[：:])?(?:万元|元|千元|亿元)")
_DATE = re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ORG_SUFFIX = re.compile(r"[（(]汇总[)）]$")
_REGION_ONLY = re.compile(r"^(?:.{2,4}省)?(?:.{1,5}[市州盟])?(?:.{1,5}[区县旗])?$")
_INSTITUTION = re.compile(INSTITUTION_WORDS)
_NOT_ORG = re.compile(
    r"^(?:第|目录|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．])|(?:收入|支出|经费|资金)$"
)
"""A heading ("（二）高等学校收入", "一、部门职责") or an amount's subject, not an organisation."""


_FRAGMENT = re.compile(r"^[与和及的、]")
"""A name never starts with a conjunction: "与技术保障中心" is the second line of a wrapped name."""


def _clean_org(name: str) -> str:
    name = compact(name).rstrip("-—:：")
    return re.split(r"单位[：:]|填报日期|金额单位|单位$", name)[0]


def _is_organisation(name: str) -> bool:
    """An institution's name, not a region alone ("上海市普陀区") nor a heading, a date or a caption."""
    return (
        bool(name)
        and 3 <= len(name) <= 40
        and not _NOT_ORG.match(name)
        and not _FRAGMENT.match(name)
        and not re.search(r"预算|决算|公开|报表|目录|[：:]", name)
        and not re.search(r"\d", name)
        and not _REGION_ONLY.match(name)
        and bool(_INSTITUTION.search(name))
    )


def _title_candidates(lines: list[Line]) -> list[tuple[int, str]]:
    """(line number, text) of possible titles on the cover: a line naming 预算/决算, joined with up to two
    lines above it when the title is wrapped ("上海市普陀区规划和自然" / "资源局" / "2024年度部门决算"),
    the longest joins first."""
    head = [ln for ln in lines[:_COVER_LINES] if ln.layout == "text" and ln.stripped]
    out: list[tuple[int, str]] = []
    for i, line in enumerate(head):
        text = compact(line.stripped)
        following = compact(head[i + 1].stripped) if i + 1 < len(head) else ""
        if not _KIND.search(text) and following and len(following) <= 4 and _KIND.search(text + following):
            # a title wrapped inside a word ("2026年深圳市财政局（本级）部门预" / "算")
            out.append((line.number, text + following))
            continue
        if not _KIND.search(text):
            continue
        for k in (2, 1, 0):
            above = head[max(0, i - k) : i]
            if len(above) < k or any(_KIND.search(compact(a.stripped)) for a in above):
                continue
            out.append((line.number, "".join(compact(a.stripped) for a in above) + text))
    return out


def _read_title(meta: Metadata, lines: list[Line]) -> None:
    for number, text in _title_candidates(lines):
        if len(text) > 60 or _PART.match(text) or text.startswith("目录"):
            continue
        end = _TITLE_END.search(text)
        if end is None:
            continue
        head = _NOT_NAME.sub("", text[: end.start()])
        head = re.sub(r"(?:预算单位|部门|单位)+$", "", head)  # "北京市教育委员会部门2026年度部门预算"
        org = _clean_org(head)
        if org and not _is_organisation(org):
            if not _REGION_ONLY.match(org):
                continue
            org = ""  # a series title that names only the region: the organisation is printed elsewhere
        meta.title = text
        meta.title_line = number
        year = _YEAR.search(text)
        if year:
            meta.fiscal_year = int(year.group(1))
        words = _KIND.findall(text)
        meta.kind = _kind(words[-1][1])
        scope = next((w[0] for w in reversed(words) if w[0]), "")
        if "汇总" in text:
            meta.scope = "department"
        elif scope:
            meta.scope = _scope(scope)
        if org:
            meta.department = org
        return


def _cover_organisation(lines: list[Line], title_line: int) -> str:
    """An organisation printed on its own above the title, on one line or wrapped over several
    ("江苏省高级人民法院" / "2019年度部门预算公开"; "上海市普陀区规划和自然" / "资源局" / "2024年度部门决算")."""
    before = [
        ln for ln in lines[:_COVER_LINES] if ln.layout == "text" and ln.stripped and ln.number < title_line
    ]
    best = ""
    for k in (1, 2, 3):
        if len(before) < k:
            break
        name = _ORG_SUFFIX.sub("", _clean_org("".join(ln.stripped for ln in before[-k:])))
        if _is_organisation(name):
            best = name
    return best


def _kind(word: str) -> DocumentKind:
    return "budget" if word == "预算" else "final"


def _scope(word: str) -> Scope:
    return "department" if word == "部门" else "unit"


def read_metadata(lines: list[Line], path: str, sha256: str, layout: TextLayout) -> Metadata:
    meta = Metadata(source_path=path, source_sha256=sha256, text_layout=layout)
    _read_title(meta, lines)
    if not meta.department:
        for line in lines[:400]:
            m = _OVERVIEW.match(compact(line.stripped))
            if m and _is_organisation(_clean_org(m.group("org"))):
                meta.department = _clean_org(m.group("org"))
                break
    if not meta.department and meta.title_line:
        meta.department = _cover_organisation(lines, meta.title_line)
    if not meta.kind or not meta.fiscal_year:
        _kind_and_year_from_parts(lines, meta)
    captions = org_names_from_captions(lines)
    printed = _most_printed(captions, lines)
    if not meta.department and printed:
        meta.department = printed
    meta.organisation = printed or meta.department
    if not meta.scope:
        text = "".join(ln.stripped for ln in lines[:120])
        meta.scope = "unit" if "单位预算" in text and "部门预算" not in text else "department"
    meta.level = _level(meta.organisation or meta.department)
    meta.region = _region(meta.organisation or meta.department)
    seen: set[str] = set()
    for line in lines:
        for y, mo, d in _DATE.findall(line.text):
            if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
                continue
            if "日期" in line.text or line.layout == "text" and len(line.stripped) < 24:
                iso = f"{y}-{int(mo):02d}-{int(d):02d}"
                if iso not in seen:
                    seen.add(iso)
                    meta.dates.append(iso)
    return meta


def _kind_and_year_from_parts(lines: list[Line], meta: Metadata) -> None:
    for line in lines[:600]:
        s = compact(line.stripped)
        m = re.match(r"^第[一二三四五六七八九十]+部分.*?(20\d{2})年度?(部门|单位)?(预算|决算)", s)
        if m:
            meta.fiscal_year = meta.fiscal_year or int(m.group(1))
            meta.kind = meta.kind or _kind(m.group(3))
            if m.group(2) and not meta.scope:
                meta.scope = _scope(m.group(2))
            return


def _level(name: str) -> Level | Literal[""]:
    bare = name.replace("区直", "").replace("县直", "")
    if re.search(r"[区县旗]", bare):
        return "district"
    if "省" in bare and "市" not in bare:
        return "province"
    if "市" in bare:
        return "city"
    return ""


def _region(name: str) -> str:
    """The province or city a name begins with; a party organ's name begins with the party's (中共江苏省委办公厅,
    中国共产党重庆市委员会…: 江苏省, 重庆市)."""
    m = re.match(r"^(?:中国共产党|中共)?(.{1,6}?[省市])", name)
    return m.group(1) if m else ""


def _most_printed(names: list[str], lines: list[Line]) -> str:
    """The caption name printed most often (a cut-off "中国共产党江苏省委员会办" loses to the whole name)."""
    if not names:
        return ""
    counts = dict.fromkeys(names, 0)
    for line in lines:
        m = _CAPTION.match(compact(line.stripped)) if line.layout == "text" else None
        if m:
            org = _ORG_SUFFIX.sub("", _clean_org(m.group("org")))
            if org in counts:
                counts[org] += 1
    return max(names, key=lambda n: (counts[n], len(n)))


def org_names_from_captions(lines: list[Line]) -> list[str]:
    """Organisation names printed in table captions ("部门：…", "编制部门：…", "预算主管部门：…")."""
    names: list[str] = []
    for line in lines:
        if line.layout != "text":
            continue
        m = _CAPTION.match(compact(line.stripped))
        if not m or _MONEY_UNIT.match(m.group("org")):
            continue
        org = _ORG_SUFFIX.sub("", _clean_org(m.group("org")))
        if org and _is_organisation(org) and org not in names:
            names.append(org)
    return names
