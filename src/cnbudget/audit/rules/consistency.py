"""Years and names: the organisation is called the same everywhere; tables carry the document's year."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cnbudget.audit.context import Context
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.catalog import table_name
from cnbudget.domain.names import core_name as _core
from cnbudget.domain.names import typo_pair as _typo_pair

_YEAR_CAPTION = re.compile(r"^(20\d{2})\s*年度?$")
_YEAR_IN_TITLE = re.compile(r"(20\d{2})\s*年度?")
_OWN_REPORT = re.compile(r"20\d{2}\s*年度?(?:部门|单位)?(?:预算|决算)(?:编制)?(?:情况)?说明")


def _name_occurrences(ctx: Context) -> list[tuple[str, int, str, str]]:
    """(name, line, code, list) of every printing of an organisation's name: the title and part headings (no
    code, no list), and the rows of the tables that list units (their code, the table)."""
    found: list[tuple[str, int, str, str]] = []
    meta = ctx.doc.metadata
    if meta.department:
        found.append((meta.department, meta.title_line, "", ""))
    for table_id in ("B02", "B05U"):
        table = ctx.table(table_id)
        for row in table.rows if table is not None and table.lists_units else []:
            if row.code and row.label:
                found.append((row.label, row.line, row.code, table_id))
    for part in ctx.doc.parts:
        m = re.match(r"^第.部分(.+?)(?:20\d{2}|概况)", part.title)
        if m:
            found.append((m.group(1), part.line, "", ""))
    return found


@rule(
    "NAME-ORG-001",
    family="consistency",
    basis="consistency",
    description="部门（单位）名称全文一致（如标题作“硃口区”而报表作“硚口区”）",
    rationale=(
        "部门（单位）名称在封面标题、各部分标题、收入总表和分单位支出表中应完全一致；"
        "只差一两个字的写法（如“硃口区”与“硚口区”）是录入或识别错误。"
    ),
    fix=(
        "查看报告列出的两处名称，以机构编制部门核定的全称为准。部门应更正错字后重新公开；"
        "若原文件正确、只是扫描识别误差，人工确认即可。"
    ),
)
def organisation_names(ctx: Context) -> Iterator[Finding]:
    occurrences = _name_occurrences(ctx)
    reported: set[tuple[str, str]] = set()
    for i, (a, line_a, code_a, list_a) in enumerate(occurrences):
        for b, line_b, code_b, list_b in occurrences[i + 1 :]:
            if code_a and code_b and code_a != code_b or list_a and list_a == list_b:
                continue  # two rows of one list (无锡市第三高级中学, 无锡市第六高级中学): two organisations
            ca, cb = _core(a), _core(b)
            if _typo_pair(ca, cb) and (ca, cb) not in reported and (cb, ca) not in reported:
                reported.add((ca, cb))
                yield ctx.finding(
                    f"单位名称不一致：{ctx.cite(line_a)}作“{a}”，{ctx.cite(line_b)}作“{b}”",
                    evidence=[Evidence("line", line=line_a, text=a), Evidence("line", line=line_b, text=b)],
                )


@rule(
    "YEAR-TABLE-001",
    family="consistency",
    basis="consistency",
    description="报表标题与表头的年度与文件年度一致",
    rationale="报表标题中的年度应为本文件年度；年度错误多为沿用旧年度模板，读者无法确认数据所属年度。",
    fix=(
        "查看报告所列表的标题（本规则只检查表标题中的年份，不检查列标题）。部门应改正年度，"
        "并核对表中数据是否为本年度数据。"
    ),
)
def table_years(ctx: Context) -> Iterator[Finding]:
    if not ctx.year:
        return
    for table in ctx.tables():
        years = {int(y) for y in _YEAR_IN_TITLE.findall(table.title)}
        for year in years:
            if year != ctx.year:
                yield ctx.finding(
                    f"{table_name(table.id)} 标题为 {year} 年，文件年度为 {ctx.year} 年",
                    table=table.id,
                    evidence=[Evidence("table", table.id, line=table.title_line, text=table.title)],
                )


@rule(
    "YEAR-PART-001",
    family="consistency",
    basis="consistency",
    description="各部分标题（及说明本文件预算、决算的各节标题）中的年度与文件年度一致",
    rationale=(
        "各部分标题（如“第三部分 2026年部门预算情况说明”）中的年度应与文件年度一致，年度错误多为沿用旧稿。"
    ),
    fix="查看报告列出的标题。部门应改正年度，并检查该部分内容是否也沿用了旧年度的数据。",
)
def part_years(ctx: Context) -> Iterator[Finding]:
    if not ctx.year:
        return
    headings: list[tuple[str, int, int | None]] = [(part.title, part.line, None) for part in ctx.doc.parts]
    seen = {line for _, line, _ in headings}
    # the headings of the text that name this document's own 预算/决算 ("二、2025年部门预算编制说明"); a heading
    # on last year's work ("2025年工作完成情况") names another year on purpose
    headings += [
        (h.text, h.line, h.page) for h in ctx.doc.outline if h.line not in seen and _OWN_REPORT.search(h.text)
    ]
    for title, line, page in headings:
        for year in sorted({int(y) for y in _YEAR_IN_TITLE.findall(title)}):
            if year != ctx.year:
                yield ctx.finding(
                    f"“{title}”中的年度为 {year} 年，文件年度为 {ctx.year} 年",
                    evidence=[Evidence("line", line=line, page=page, text=title)],
                )
    _ = _YEAR_CAPTION


_AS_OF = re.compile(r"截至\s*(20\d{2})\s*年\s*12\s*月\s*31\s*日")


@rule(
    "YEAR-ASOF-001",
    family="consistency",
    basis="regulation",
    description="国有资产等“截至…年12月31日”的时点：预算为上年末，决算为本年末",
    rationale=(
        "公开模板要求国有资产占用等情况按时点说明：预算在年度开始前编制，"
        "应说明截至上年 12 月 31 日的情况；决算说明本年度执行结果，"
        "应说明截至本年 12 月 31 日的情况。"
    ),
    fix=(
        "查看说明中“截至……年12月31日”的年份。部门应改为正确年份（预算为上年末、决算为本年末）"
        "，并核对所述资产数据是否为该时点的数。"
    ),
)
def as_of_dates(ctx: Context) -> Iterator[Finding]:
    if not ctx.year or not ctx.kind:
        return
    expected = ctx.year - 1 if ctx.kind == "budget" else ctx.year
    for section in ctx.doc.narrative:
        for m in _AS_OF.finditer(section.text):
            year = int(m.group(1))
            if year != expected:
                yield ctx.finding(
                    f"“{section.heading}”中“{m.group(0)}”：{ctx.year} 年{'预算' if ctx.kind == 'budget' else '决算'}"
                    f"应说明截至 {expected} 年 12 月 31 日的情况",
                    evidence=[Evidence("line", line=section.line, text=m.group(0))],
                )
