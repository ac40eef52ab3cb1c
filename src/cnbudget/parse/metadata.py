"""Who and what the document is about, read from its title lines and table captions."""

from __future__ import annotations

import re
from typing import Literal

from cnbudget.domain.vocabulary import Level, TextLayout
from cnbudget.model import Metadata
from cnbudget.read import Line

_SPACES = re.compile(r"\s+")

_TITLE = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分\s*)?(?P<pre_year>20\d{2})?\s*(?:年度?)?\s*(?P<org>[^\s].*?)\s*"
    r"(?P<year>20\d{2})?\s*(?:年度?)?\s*(?P<scope>部门|单位)?(?P<kind>预算|决算)(?:公开|表|情况说明)?$"
)
_OVERVIEW = re.compile(r"^第[一二三四五六七八九十]+部分\s*(?P<org>.+?)概况$")
_ORG_LINE = re.compile(r"^(?:部门|单位|部门/单位|单位名称|部门名称|部门\(单位\)名称)[：:]\s*(?P<org>\S.*)$")
_DATE = re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ORG_SUFFIX = re.compile(r"[（(]汇总[)）]$")


def _clean_org(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    name = name.rstrip("-—:：")
    return name


def read_metadata(lines: list[Line], path: str, sha256: str, layout: TextLayout) -> Metadata:
    meta = Metadata(source_path=path, source_sha256=sha256, text_layout=layout)
    head = [ln for ln in lines[:60] if ln.layout == "text"]
    for line in head:
        s = _SPACES.sub(" ", line.stripped)
        m = _TITLE.match(s)
        if m and m.group("org") and ("预算" in s or "决算" in s) and len(s) < 80:
            org = _clean_org(m.group("org"))
            if org.endswith("部门") or org.endswith("单位"):
                org = org[:-2]
            if not org or org.startswith("第"):
                continue
            meta.title = re.sub(r"\s+", "", s)
            meta.title_line = line.number
            year = m.group("year") or m.group("pre_year")
            if year:
                meta.fiscal_year = int(year)
            meta.kind = "budget" if m.group("kind") == "预算" else "final"
            if "汇总" in org:
                meta.scope = "department"
            elif m.group("scope"):
                meta.scope = "department" if m.group("scope") == "部门" else "unit"
            meta.department = _ORG_SUFFIX.sub("", org)
            break
    if not meta.department:
        for line in lines[:400]:
            m2 = _OVERVIEW.match(_SPACES.sub("", line.stripped))
            if m2:
                meta.department = _clean_org(m2.group("org"))
                break
    if not meta.kind or not meta.fiscal_year:
        _kind_and_year_from_parts(lines, meta)
    if not meta.scope:
        text = "".join(ln.stripped for ln in lines[:120])
        meta.scope = "unit" if "单位预算" in text and "部门预算" not in text else "department"
    meta.level = _level(meta.department)
    meta.region = _region(meta.department)
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
        s = _SPACES.sub("", line.stripped)
        m = re.match(r"^第[一二三四五六七八九十]+部分.*?(20\d{2})年度?(部门|单位)?(预算|决算)", s)
        if m:
            meta.fiscal_year = meta.fiscal_year or int(m.group(1))
            meta.kind = meta.kind or ("budget" if m.group(3) == "预算" else "final")
            if m.group(2) and not meta.scope:
                meta.scope = "department" if m.group(2) == "部门" else "unit"
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
    m = re.match(r"^(.{1,6}?[省市])", name)
    return m.group(1) if m else ""


def org_names_from_captions(lines: list[Line]) -> list[str]:
    """Organisation names printed in table captions ("部门/单位：…", "部门：…")."""
    names: list[str] = []
    for line in lines:
        if line.layout != "text":
            continue
        m = _ORG_LINE.match(line.stripped.replace(" ", ""))
        if m:
            org = _clean_org(m.group("org"))
            org = re.split(r"单位[：:]|填报日期|金额单位", org)[0]
            if org and not re.match(r"^(万元|元|千元)$", org) and org not in names:
                names.append(org)
    return names
