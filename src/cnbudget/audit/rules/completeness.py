"""Completeness: required tables and sections are present, empty tables say why, nothing unreadable."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cnbudget.audit.context import Context
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.catalog import table_name, table_specs

_NONE_WORDS = re.compile(r"没有|无|未|不涉及|为零|为0|为空")


@rule(
    "COMP-TABLE-001",
    "completeness",
    "error",
    "公开的报表齐全（预算 B01–B12，决算 公开01–09表）",
    basis="regulation",
)
def required_tables(ctx: Context) -> Iterator[Finding]:
    present = {t.id for t in ctx.doc.tables} | {p.id.split("-")[0] for p in ctx.doc.performance}
    for spec in table_specs().values():
        if spec.required and ctx.kind in spec.doc_kinds and spec.id not in present:
            yield Finding(
                rule_id="COMP-TABLE-001",
                severity="error",
                message=f"缺少{spec.id}“{spec.name}”：应公开的报表未在文件中找到",
                table=spec.id,
            )


_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:X{2,}|Ｘ{2,}|×{2,})(?![A-Za-z])")


def placeholders(ctx: Context) -> list[tuple[int, str]]:
    """(line, snippet) of every unfilled placeholder ("上海市 XX 局", "XXX 万元") in title and narrative.

    Computed once per audit: two rules ask."""
    cached = ctx.cache.get("placeholders")
    if isinstance(cached, list):
        return cached
    found: list[tuple[int, str]] = []
    title = ctx.doc.metadata.title
    if _PLACEHOLDER.search(title):
        found.append((ctx.doc.metadata.title_line, title))
    for section in ctx.doc.narrative:
        for m in _PLACEHOLDER.finditer(section.text):
            found.append((section.line, section.text[max(0, m.start() - 8) : m.end() + 8]))
    ctx.cache["placeholders"] = found
    return found


@rule("COMP-TEMPLATE-001", "completeness", "error", "文件中没有未填写的模板占位符（XX、XXX 万元）",
      basis="regulation")  # fmt: skip
def template_placeholders(ctx: Context) -> Iterator[Finding]:
    """One finding for the whole document: a template's hundreds of blanks are one mistake, not hundreds."""
    found = placeholders(ctx)
    if not found:
        return
    empty = [t.id for t in ctx.doc.tables if not any(c.value for r in t.rows for c in r.cells)]
    examples = "；".join(f"第 {line} 行“{text}”" for line, text in found[:3])
    yield Finding(
        rule_id="COMP-TEMPLATE-001",
        severity="error",
        message=(
            f"文件含 {len(found)} 处未填写的占位符（如 {examples}）"
            + (f"，{len(empty)} 张表没有任何金额" if empty else "")
            + "：这是未填报的模板，不是可公开的文件"
        ),
        evidence=[Evidence("line", line=line, text=text) for line, text in found[:10]],
    )


@rule("COMP-EMPTY-001", "completeness", "warning", "空表附有说明（如“本部门没有使用政府性基金预算拨款安排的支出”）",
      basis="regulation")  # fmt: skip
def empty_tables_explained(ctx: Context) -> Iterator[Finding]:
    if placeholders(ctx):
        return  # an unfilled template: COMP-TEMPLATE-001 reports it once
    for table in ctx.doc.tables:
        has_amounts = any(c.value for r in table.rows for c in r.cells)
        if has_amounts:
            continue
        if not any(_NONE_WORDS.search(n.text) for n in table.notes):
            yield Finding(
                rule_id="COMP-EMPTY-001",
                severity="warning",
                message=f"{table.id}“{table_name(table.id)}”为空表，但没有说明原因",
                table=table.id,
                evidence=[Evidence("table", table.id, line=table.title_line)],
            )


@rule(
    "COMP-EMPTY-002", "completeness", "error", "说明称“没有/无”此类支出的表中却列有金额", basis="consistency"
)
def empty_note_contradicted(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.tables:
        amounts = [c for r in table.rows for c in r.cells if c.value]
        notes = [n for n in table.notes if re.search(r"没有使用|无.{0,10}(支出|收入)", n.text)]
        if amounts and notes:
            yield Finding(
                rule_id="COMP-EMPTY-002",
                severity="error",
                message=f"{table.id}“{table_name(table.id)}”注明“{notes[0].text[:40]}”，但表中列有 {len(amounts)} 个金额",
                table=table.id,
                evidence=[Evidence("line", table.id, line=notes[0].line, text=notes[0].text),
                          *(Evidence("cell", table.id, raw=c.raw, value=c.value, line=c.line) for c in amounts[:3])],
            )  # fmt: skip


@rule("COMP-PARSE-001", "completeness", "warning", "报表能被完整读取（表头识别、各列对齐），否则不做算术检查",
      basis="consistency")  # fmt: skip
def parse_health(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.tables:
        if table.status == "ok":
            continue
        yield Finding(
            rule_id="COMP-PARSE-001",
            severity="warning",
            message=f"{table.id}“{table_name(table.id)}”未能完整读取（{table.status}）：{'；'.join(table.warnings[:3])}",
            table=table.id,
            evidence=[Evidence("table", table.id, line=table.title_line)],
        )


@rule("COMP-NARR-001", "completeness", "error", "有情况说明部分（第三部分）", basis="regulation")
def narrative_present(ctx: Context) -> Iterator[Finding]:
    if not ctx.doc.narrative:
        yield Finding(
            rule_id="COMP-NARR-001",
            severity="error",
            message="未找到情况说明部分（第三部分）：报表之后文件可能不完整",
        )


_BUDGET_SECTIONS = (
    ("收支", "收支预算总体情况"), ("收入", "收入预算情况"), ("支出", "支出预算情况"), ("财政拨款", "财政拨款收支总体情况"),
    ("一般公共预算", "一般公共预算支出情况"), ("基本支出", "一般公共预算基本支出情况"), ("三公", "“三公”经费支出情况"),
    ("政府性基金", "政府性基金预算支出情况"), ("国有资本", "国有资本经营预算支出情况"),
)  # fmt: skip
_SUB_HEADING = re.compile(r"[（(][一二三四五六七八九十]{1,3}[）)][^（(。，]{2,24}?(?:情况|说明)")
_FINAL_SECTIONS = (
    ("收入支出决算总体", "收入支出决算总体情况"), ("收入决算", "收入决算情况"), ("支出决算", "支出决算情况"),
    ("财政拨款收入支出", "财政拨款收入支出决算总体情况"), ("一般公共预算财政拨款支出", "一般公共预算财政拨款支出决算情况"),
    ("基本支出", "一般公共预算财政拨款基本支出决算情况"), ("三公", "“三公”经费支出决算情况"), ("机关运行经费", "机关运行经费支出情况"),
    ("政府采购", "政府采购支出情况"), ("国有资产", "国有资产占用情况"), ("绩效", "预算绩效情况"),
)  # fmt: skip


@rule("COMP-NARR-002", "completeness", "warning", "情况说明包含规定的各节（收支总体、收入、支出、三公、基金、国资等）",
      basis="regulation")  # fmt: skip
def narrative_sections(ctx: Context) -> Iterator[Finding]:
    if not ctx.doc.narrative:
        return
    headings = "".join(s.heading for s in ctx.doc.narrative)
    # sub-sections count too: "十一、其他重要事项的情况说明 （一）机关运行经费支出情况 （二）政府采购…"
    headings += "".join(_SUB_HEADING.findall("".join(s.text for s in ctx.doc.narrative)))
    for word, name in _BUDGET_SECTIONS if ctx.kind == "budget" else _FINAL_SECTIONS:
        if word not in headings:
            yield Finding(
                rule_id="COMP-NARR-002",
                severity="warning",
                message=f"情况说明中没有“{name}”一节",
                evidence=[Evidence("line", line=ctx.doc.narrative[0].line)],
            )


@rule("COMP-3GONG-001", "completeness", "info", "“三公”经费为零的项目在说明中有交代", basis="regulation")
def zero_three_public_explained(ctx: Context) -> Iterator[Finding]:
    table = ctx.table("B07") or ctx.table("F09")
    if table is None or not table.rows:
        return
    text = "".join(s.text for s in ctx.doc.narrative)
    for cell in table.rows[0].cells:
        parts = cell.column.split("/")
        name = parts[-2] if parts[-1] == "小计" and len(parts) > 1 else parts[-1]
        name = name.replace("（境）", "(境)").removeprefix("“三公”经费")
        if cell.value == 0 and name and name[:4] not in text.replace("（境）", "(境)"):
            yield Finding(
                rule_id="COMP-3GONG-001",
                severity="info",
                message=f"{table_name(table.id)} {cell.column} 为 0，情况说明未提及",
                table=table.id,
                column=cell.column,
                evidence=[
                    Evidence(
                        "cell", table.id, column=cell.column, raw=cell.raw, value=cell.value, line=cell.line
                    )
                ],
            )


@rule("COMP-B12-001", "completeness", "warning", "项目支出表中的项目公开了项目支出绩效目标表", basis="regulation",
      kinds=("budget",), tables=("B10",))  # fmt: skip
def project_goals_published(ctx: Context) -> Iterator[Finding]:
    projects = [p for p in ctx.doc.projects if p.level == "project"]
    b12 = [p for p in ctx.doc.performance if p.id.startswith("B12")]
    if projects and not b12:
        yield Finding(
            rule_id="COMP-B12-001",
            severity="warning",
            message=f"项目支出表列有 {len(projects)} 个项目，但未公开项目支出绩效目标表",
            table="B10",
        )


_REQUIRED_ROWS = {
    "B01": (("收入", "本年收入合计"), ("收入", "收入总计"), ("支出", "本年支出合计"), ("支出", "支出总计")),
    "B04": (("收入", "收入总计"), ("支出", "支出总计")),
    "F01": (("收入", "本年收入合计"), ("收入", "总计"), ("支出", "本年支出合计"), ("支出", "总计")),
    "F04": (("收入", "本年收入合计"), ("收入", "总计"), ("支出", "本年支出合计"), ("支出", "总计")),
    "F06": ((None, "人员经费合计"), (None, "公用经费合计")),
}
_TOTALS_ROW_TABLES = ("B03", "B05", "B06", "F02", "F03", "F05")


@rule(
    "COMP-ROWS-001",
    "completeness",
    "error",
    "报表的合计、总计行齐全（“三公”经费表有数据行）",
    basis="regulation",
)
def required_rows(ctx: Context) -> Iterator[Finding]:
    from cnbudget.domain.text import plain_label

    for table in ctx.doc.tables:
        if table.is_empty:
            continue
        missing: list[str] = []
        for side, label in _REQUIRED_ROWS.get(table.id, ()):
            if not any(
                (side is None or r.side == side) and plain_label(r.label) == label for r in table.rows
            ):
                missing.append(f"{side or ''}{label}")
        data_rows = [r for r in table.rows if r.code]
        needs_total = (
            table.id in _TOTALS_ROW_TABLES or table.id == "B02" or (table.id == "B05U" and len(data_rows) > 1)
        )
        if needs_total and not any(r.label in ("合计", "总计") for r in table.rows):
            missing.append("合计")
        if table.id in ("B07", "F09") and not any(r.cells for r in table.rows):
            missing.append("数据行")
        levels = {p.line: p.level for p in ctx.doc.projects}
        if (
            table.id == "B10"
            and any(levels.get(r.line) == "unit" for r in table.rows)
            and not any(r.kind == "total" for r in table.rows)
        ):
            missing.append("合计")
        if missing:
            yield Finding(
                rule_id="COMP-ROWS-001",
                severity="error",
                message=f"{table.id}“{table_name(table.id)}”缺少 {'、'.join(missing)} 行",
                table=table.id,
                evidence=[Evidence("table", table.id, line=table.title_line)],
            )
