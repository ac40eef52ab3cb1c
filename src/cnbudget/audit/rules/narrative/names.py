"""Names of function classes and items in the narrative are the fiscal year's (NARR-NAME-…)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from cnbudget.audit.context import Context, claim_evidence
from cnbudget.audit.figures import CODE_LENGTH
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import NotEvaluable, rule
from cnbudget.domain.catalog import coded_by
from cnbudget.domain.text import is_digits, key, plain_label, similarity
from cnbudget.model import NarrativeClaim, NarrativeSection

# ---- names of function classes and items ------------------------------------------------------------------

_NAME_CHARS = r"(?:[^（）()，,。；;：:、\s\d“”]|[（(][^类款项（）()]{1,3}[)）])"
_PATH_PART = re.compile(rf"({_NAME_CHARS}+?)\s*[（(]([类款项])[)）]")
_LEVEL_LENGTH = CODE_LENGTH


def claim_paths(ctx: Context) -> list[tuple[NarrativeClaim, list[tuple[str, str]]]]:
    """Each claim that names a function path, with its (name, level) parts; computed once per audit."""
    return ctx.memo(_find_claim_paths)


def _find_claim_paths(ctx: Context) -> list[tuple[NarrativeClaim, list[tuple[str, str]]]]:
    out = []
    for claim in ctx.doc.claims:
        subject = claim.subject
        if "类" in subject or "款" in subject or "项" in subject:
            parts = [(plain_label(name), level) for name, level in _PATH_PART.findall(subject)]
            if parts:
                out.append((claim, parts))
    return out


@cache
def _catalogue_names() -> dict[str, frozenset[str]]:
    from cnbudget.domain.codes import function_codes

    names: dict[str, set[str]] = defaultdict(set)
    for code, name in function_codes().items():
        names[key(name)].add(code)
    return {k: frozenset(v) for k, v in names.items()}


def _function_names(ctx: Context) -> dict[str, set[str]]:
    """Name key → the function codes printed with that name: the document's own tables (its fiscal year's
    names), then the code catalogue."""
    return ctx.memo(_printed_functions).names


@dataclass(frozen=True, slots=True)
class _PrintedFunctions:
    names: dict[str, set[str]]
    """Name key → the function codes printed with that name (the document's tables, then the catalogue)."""
    labels: dict[str, str]
    """Code → the name the document's tables print for it."""


def _printed_functions(ctx: Context) -> _PrintedFunctions:
    names: dict[str, set[str]] = defaultdict(set)
    printed: dict[str, str] = {}
    for table in ctx.tables():
        if table.id in coded_by("function"):
            for row in table.rows:
                code = row.full_code
                if is_digits(code) and len(code) in (3, 5, 7) and row.label:
                    names[key(plain_label(row.label))].add(code)
                    printed.setdefault(code, plain_label(row.label))
    for name, codes in _catalogue_names().items():
        names[name].update(codes)
    return _PrintedFunctions(names, printed)


def _printed_near(
    ctx: Context, name: str, parents: set[str], length: int, threshold: float = 0.6
) -> tuple[str, str] | None:
    """The code and printed name of the tables' item under ``parents`` that ``name`` is a misspelling of
    (the same characters in another order, or most of its character pairs)."""
    printed = ctx.memo(_printed_functions).labels
    said = key(name)
    best: tuple[float, str, str] | None = None
    for code, label in printed.items():
        if len(code) != length or not any(code.startswith(p) for p in parents):
            continue
        shown = key(label)
        score = 1.0 if sorted(shown) == sorted(said) else similarity(shown, said)
        if score >= threshold and (best is None or score > best[0]):
            best = (score, code, label)
    return (best[1], best[2]) if best is not None else None


_NAMED_AFTER = re.compile(r"^(?:支出)?\s*(?:[（(](?:类|款|项|\d{3,7})[)）]|\d)")
_NAMED_BEFORE = re.compile(r"\d{3,7}\s*[)）]?\s*$")


def out_of_year_names(ctx: Context) -> list[tuple[str, str, str, NarrativeSection, int]]:
    """(code, printed name, the year's name, section, position) of every function class or item the running
    text names by a name of another year: the name followed by （类）/（款）/（项）, a code or an amount, or
    preceded by a code; a class name ending in 支出 wherever it stands."""
    from cnbudget.domain.codes import names_by_year

    year = ctx.year
    if not year:
        return []
    found = []
    for code, periods in names_by_year().items():
        current = next((p for p in periods if p.covers(year)), None)
        if current is None:
            continue
        for period in periods:
            if period.covers(year) or period.name == current.name:
                continue
            stem = period.name.removesuffix("支出") if len(period.name) > 5 else period.name
            pattern = re.compile(re.escape(stem))
            for section in [*ctx.doc.narrative, *ctx.doc.prose]:
                for m in pattern.finditer(section.text):
                    after, before = (
                        section.text[m.end() : m.end() + 12],
                        section.text[max(0, m.start() - 10) : m.start()],
                    )
                    if current.name.startswith(stem) and section.text.startswith(current.name, m.start()):
                        continue  # the stem is the start of this year's name
                    whole = period.name.endswith("支出") and section.text.startswith(period.name, m.start())
                    if whole or _NAMED_AFTER.match(after) or _NAMED_BEFORE.search(before):
                        found.append((code, period.name, current.name, section, m.start()))
    return found


@rule(
    "NARR-NAME-002",
    family="narrative",
    severity="warning",
    basis="regulation",
    description="说明文字中的科目名称是本文件年度的名称（不是该科目在其他年度的名称）",
    rationale=(
        "支出功能分类科目的名称随年度调整（如 210 类 2019 年起称“卫生健康支出”，此前为“医疗卫生与计划生育支出”）；"
        "说明中沿用其他年度的科目名称，多为套用旧稿，读者也无法与本年度报表对应。"
    ),
    fix=(
        "按 domain/data/function_names_by_year.csv 中有出处的各名称及其适用年度，查找情况说明和其他文字部分"
        "（部门概况、名词解释）中作为科目写出的名称（其后为（类）（款）（项）、编码或金额，或其前为编码；以“支出”结尾的"
        "类名在任何位置）；两段已知年度之间的年份不判断。部门应改用本年度科目名称。"
    ),
)
def narrative_names_of_the_year(ctx: Context) -> Iterator[Finding]:
    if not ctx.year:
        raise NotEvaluable("未能识别文件年度")
    hits = out_of_year_names(ctx)
    by_name: dict[tuple[str, str, str], list[tuple[NarrativeSection, int]]] = {}
    for code, printed, current, section, at in hits:
        by_name.setdefault((code, printed, current), []).append((section, at))
    for (code, printed, current), places in by_name.items():
        section, at = places[0]
        line, page = section.place(at)
        yield ctx.finding(
            f"说明文字{ctx.cite(line, page)}写作“{printed}”：这是科目 {code} 在其他年度的名称，"
            f"{ctx.year} 年度该科目称“{current}”" + (f"（共 {len(places)} 处）" if len(places) > 1 else ""),
            evidence=[
                Evidence("line", line=s.place(a)[0], page=s.place(a)[1], text=s.text[max(0, a - 10) : a + 20])
                for s, a in places
            ],
        )


@rule(
    "NARR-NAME-001",
    family="narrative",
    basis="consistency",
    description="说明中“××（类）××（款）××（项）”的科目名称与科目层级相符（项属于所写的款，款属于所写的类）",
    rationale=(
        "情况说明按“类—款—项”逐级写出支出功能分类科目；项的名称写成了另一款下的项（或款写错了类），"
        "说明所说的金额和用途对应不到报表中的科目，多为复制上一段后没有改全。"
    ),
    fix=(
        "用本文件报表中印出的科目编码和名称（不足时用支出功能分类科目目录）查出各级名称对应的编码，"
        "下级编码应以上级编码开头，否则为错误；上级找得到而下级名称与报表中该上级下某科目只差字序或个别字的"
        "（如“一般行政事务管理”与“一般行政管理事务”），提示名称不一致；名称在报表和目录中都找不到的不判断。"
        "部门应按报表改正科目名称。"
    ),
)
def item_names(ctx: Context) -> Iterator[Finding]:
    names = _function_names(ctx)
    seen: set[tuple[int, str]] = set()
    for claim, parts in claim_paths(ctx):
        if len(parts) < 2 or (claim.line, claim.subject) in seen:
            continue
        seen.add((claim.line, claim.subject))
        for (parent, parent_level), (child, child_level) in zip(parts, parts[1:], strict=False):
            if _LEVEL_LENGTH[child_level] <= _LEVEL_LENGTH[parent_level]:
                continue
            parent_codes = {c for c in names.get(key(parent), ()) if len(c) == _LEVEL_LENGTH[parent_level]}
            # a level marked wrong ("住房改革支出（类）" for the 款 22102) still names its code
            parent_codes = parent_codes or {
                c for c in names.get(key(parent), ()) if len(c) < _LEVEL_LENGTH[child_level]
            }
            child_codes = {c for c in names.get(key(child), ()) if len(c) == _LEVEL_LENGTH[child_level]}
            if (
                parent_codes
                and not child_codes
                and _printed_near(ctx, child, parent_codes, _LEVEL_LENGTH[child_level]) is None
            ):
                # not a misspelling of an item of this parent: perhaps of another's ("…基本养老保险缴费")
                elsewhere = _printed_near(ctx, child, {""}, _LEVEL_LENGTH[child_level], threshold=0.8)
                child_codes = {elsewhere[0]} if elsewhere is not None else set()
            if parent_codes and not child_codes:
                near = _printed_near(ctx, child, parent_codes, _LEVEL_LENGTH[child_level])
                if near is not None:
                    yield ctx.finding(
                        f"情况说明{ctx.cite(claim.line, claim.page)}写作“{child}（{child_level}）”，报表中“{parent}”下的科目为"
                        f"“{near[1]}”（{near[0]}）：科目名称应与报表一致",
                        severity="warning",
                        evidence=[claim_evidence(claim)],
                    )
                    break
            if not parent_codes or not child_codes:
                continue
            if any(c.startswith(p) for c in child_codes for p in parent_codes):
                continue
            known_below = any(
                len(c) == _LEVEL_LENGTH[child_level] and c.startswith(p)
                for codes in names.values()
                for c in codes
                for p in parent_codes
            )
            if not known_below:
                # neither the document's tables nor the catalogue list any item under that parent (杭州: 公安（款）
                # 行政运行（项）, 2040201, printed without codes): which code the name has there is unknown
                ctx.not_here(
                    f"“{parent}”下的{child_level}级科目在报表和科目目录中都没有编码，不判断“{child}”"
                )
                continue
            yield ctx.finding(
                f"情况说明{ctx.cite(claim.line, claim.page)}“{parent}（{parent_level}）{child}（{child_level}）”："
                f"“{child}”的科目编码为 {'、'.join(sorted(child_codes))}，"
                f"不在“{parent}”（{'、'.join(sorted(parent_codes))}）之下",
                evidence=[claim_evidence(claim)],
            )
            break
