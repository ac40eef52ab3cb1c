"""A `DocumentDiff` as text (Rich tables), JSON, or one self-contained HTML file.

Every piece of document text is escaped for its output (Rich markup and control characters on a terminal,
HTML entities in the page); figures are printed as the document prints them, never cut.
Sections: 概况 (counts), 表格变化, 文字变化, 审核结果变化.
"""

from __future__ import annotations

import difflib
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cnbudget.domain.escape import terminal_text as esc
from cnbudget.domain.i18n import t
from cnbudget.domain.text import at
from cnbudget.domain.text import place as text_place
from cnbudget.domain.vocabulary import change_label, field_label, figure_label, severity_label
from cnbudget.report.json_model import to_jsonable
from cnbudget.report.kit.html import e as _e
from cnbudget.report.kit.html import page, stamp

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table as RichTable

    from cnbudget.report.diff import CellChange, DocumentDiff, FindingChange, Place


# ---- words, in the reviewer's language ------------------------------------------------------------------
def _where(place: Place | None) -> str:
    """A place as the audit cites it: the page of a PDF (its extracted-text line is no place in the
    document), else the line of a text input."""
    if place is None or not place.line:
        return ""
    return at(place.line, place.page)


def _moved(old: Place | None, new: Place | None) -> str:
    """Where a thing is in both versions: once when it did not move."""
    if old == new or not (old and old.line):
        return _where(new)
    if not (new and new.line):
        return _where(old)
    return f"{_where(old)} → {_where(new)}"


def _table_name(table_id: str) -> str:
    from cnbudget.domain.catalog import table_name

    return table_name(table_id)


def _wheres(places: list[Place]) -> str:
    pages = list(dict.fromkeys(p.page for p in places if p.page))
    lines = list(dict.fromkeys(p.line for p in places if p.line))
    return text_place(pages, [] if pages else lines, limit=3)


def _blank(raw: str) -> str:
    return raw if raw else t("（空白）", "(blank)")


def _signed(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:+,f}"


def _row_name(code: str, label: str, side: str = "") -> str:
    return " ".join(p for p in (side, code, label) if p)


def _summary_rows(diff: DocumentDiff) -> list[tuple[str, int]]:
    counts = diff.counts()
    return [
        (t("元数据变化", "metadata changed"), counts["metadata"]),
        (t("表格增删、单位与列变化", "tables added or removed, units and columns changed"), counts["tables"]),
        (t("行增删与行名变化", "rows added, removed or relabelled"), counts["rows"]),
        (t("单元格变化", "cells changed"), counts["cells"]),
        (t("文字变化", "narrative changes"), counts["text"]),
        (t("文字中数字变化", "narrative figures changed"), counts["claims"]),
        (t("审核问题已解决", "findings resolved"), counts["findings_resolved"]),
        (t("审核问题新出现", "findings new"), counts["findings_new"]),
        (t("审核问题仍存在", "findings still present"), counts["findings_present"]),
    ]


def _spans(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The two texts cut into pieces, each marked True where it differs from the other text."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    a: list[tuple[str, bool]] = []
    b: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            a.append((old[i1:i2], tag != "equal"))
        if j2 > j1:
            b.append((new[j1:j2], tag != "equal"))
    return a, b


# ---- JSON -----------------------------------------------------------------------------------------------
def diff_json(diff: DocumentDiff) -> str:
    """Stable English keys; amounts as exact decimal strings; each cell and claim with its difference."""
    payload: dict[str, Any] = {
        "old": to_jsonable(diff.old),
        "new": to_jsonable(diff.new),
        "changed": diff.changed,
        "summary": diff.counts(),
        "metadata": to_jsonable(diff.metadata),
        "tables": to_jsonable(diff.tables),
        "rows": to_jsonable(diff.rows),
        "cells": [{**to_jsonable(c), "difference": to_jsonable(c.difference)} for c in diff.cells],
        "text": to_jsonable(diff.text),
        "claims": [{**to_jsonable(c), "difference": to_jsonable(c.difference)} for c in diff.claims],
        "findings": to_jsonable(diff.findings),
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)


# ---- text -----------------------------------------------------------------------------------------------
def _table(title: str, columns: list[tuple[str, bool]]) -> RichTable:
    """A Rich table; figure columns (True) are right-aligned and never wrapped or cut."""
    from rich.table import Table as RichTable

    out = RichTable(title=title, title_justify="left", header_style="bold", show_lines=False)
    for name, figure in columns:
        out.add_column(name, justify="right" if figure else "left", no_wrap=figure, overflow="fold")
    return out


def _fit_figures(table: RichTable) -> None:
    """Figure columns as wide as their longest value, so that a narrow terminal wraps the text instead."""
    from rich.cells import cell_len

    for column in table.columns:
        if column.no_wrap:
            cells = [str(c) for c in column.cells]
            column.min_width = max((cell_len(c) for c in [*cells, str(column.header)]), default=1)


def _marked(spans: list[tuple[str, bool]], style: str) -> str:
    return "".join(f"[{style}]{esc(s)}[/]" if differs else esc(s) for s, differs in spans)


def render_diff_text(diff: DocumentDiff, console: Console) -> None:
    """What changed, section by section: summary, tables, rows and cells, narrative, findings."""
    console.print(
        f"[bold]{t('旧版', 'old')}[/bold] {esc(diff.old.path)}  sha256 {diff.old.sha256[:12]}\n"
        f"[bold]{t('新版', 'new')}[/bold] {esc(diff.new.path)}  sha256 {diff.new.sha256[:12]}"
    )
    console.rule(t("概况", "Summary"))
    if not diff.changed:
        console.print(t("两个版本无变化。", "No change between the two versions."))
    summary = _table("", [(t("项目", "what"), False), (t("数量", "count"), True)])
    for name, count in _summary_rows(diff):
        summary.add_row(name, str(count))
    console.print(summary)
    _text_tables(diff, console)
    _text_cells(diff, console)
    _text_narrative(diff, console)
    _text_findings(diff, console)


def _text_tables(diff: DocumentDiff, console: Console) -> None:
    console.rule(t("表格变化", "Tables"))
    if diff.metadata:
        meta = _table(t("元数据", "Metadata"), [(t("项目", "field"), False), (t("旧版", "old"), False),
                                                 (t("新版", "new"), False)])  # fmt: skip
        for m in diff.metadata:
            meta.add_row(field_label(m.field), esc(m.old), esc(m.new))
        console.print(meta)
    if diff.tables:
        tables = _table(t("表格", "Tables"), [(t("表", "table"), False), (t("变化", "change"), False),
                                               (t("内容", "detail"), False), (t("旧版位置", "old at"), False),
                                               (t("新版位置", "new at"), False)])  # fmt: skip
        for tc in diff.tables:
            tables.add_row(f"{esc(tc.table)} {esc(tc.name)}", change_label(tc.change), esc(tc.detail),
                           _where(tc.old), _where(tc.new))  # fmt: skip
        console.print(tables)
    if diff.rows:
        rows = _table(t("行", "Rows"), [(t("表", "table"), False), (t("行", "row"), False),
                                         (t("变化", "change"), False), (t("内容", "detail"), False),
                                         (t("旧版位置", "old at"), False), (t("新版位置", "new at"), False)])  # fmt: skip
        for rc in diff.rows:
            if rc.change == "changed":
                detail = f"{esc(rc.old_label)} → {esc(rc.new_label)}"
            else:
                detail = t("；", "; ").join(f"{esc(c)} {esc(v)}" for c, v in rc.cells)
            rows.add_row(esc(rc.table), esc(_row_name(rc.code, rc.label, rc.side)), change_label(rc.change),
                         detail, _where(rc.old), _where(rc.new))  # fmt: skip
        console.print(rows)


def _text_cells(diff: DocumentDiff, console: Console) -> None:
    by_table: dict[str, list[CellChange]] = {}
    for c in diff.cells:
        by_table.setdefault(c.table, []).append(c)
    for table_id, changes in by_table.items():  # one table each: fewer columns, and the unit in the title
        units = "、".join(dict.fromkeys(c.unit for c in changes if c.unit))
        title = f"{esc(table_id)} {esc(_table_name(table_id))}" + (t(f"（金额单位：{units}）", f" (amounts in {units})")
                                                                    if units else "")  # fmt: skip
        cells = _table(title, [(t("行", "row"), False), (t("列", "column"), False), (t("旧值", "old"), True),
                               (t("新值", "new"), True), (t("差额", "difference"), True),
                               (t("位置（旧 → 新）", "at (old → new)"), False)])  # fmt: skip
        for c in changes:
            cells.add_row(esc(_row_name(c.row_code, c.row_label, c.side)), esc(c.column), esc(_blank(c.old_raw)),
                          esc(_blank(c.new_raw)), _signed(c.difference), _moved(c.old, c.new))  # fmt: skip
        _fit_figures(cells)
        console.print(cells)
    if not (diff.metadata or diff.tables or diff.rows or diff.cells):
        console.print(t("表格无变化。", "No table changed."))


def _text_narrative(diff: DocumentDiff, console: Console) -> None:
    from rich.padding import Padding
    from rich.text import Text

    console.rule(t("文字变化", "Narrative"))
    for xc in diff.text:
        head = f"[bold]{esc(xc.section)}[/bold] · {change_label(xc.change)}"
        if xc.whole_section:
            head += t("（整节）", " (whole section)")
        console.print(head)
        old_spans, new_spans = _spans(xc.old_text, xc.new_text)
        if xc.old_text:  # the sentence on lines of its own: a long run of Chinese is folded, not pushed down
            console.print(f"  [red]− {t('旧', 'old')}[/red] {_where(xc.old)}")
            console.print(Padding(Text.from_markup(_marked(old_spans, "bold red")), (0, 0, 0, 4)))
        if xc.new_text:
            console.print(f"  [green]+ {t('新', 'new')}[/green] {_where(xc.new)}")
            console.print(Padding(Text.from_markup(_marked(new_spans, "bold green")), (0, 0, 0, 4)))
    if diff.claims:
        claims = _table(t("文字中的数字", "Narrative figures"), [
            (t("部分", "section"), False), (t("主题", "subject"), False), (t("项", "figure"), False),
            (t("旧值", "old"), True), (t("新值", "new"), True), (t("差额", "difference"), True),
            (t("单位", "unit"), False), (t("旧版位置", "old at"), False), (t("新版位置", "new at"), False),
        ])  # fmt: skip
        for cc in diff.claims:
            claims.add_row(esc(cc.section), esc(cc.subject), figure_label(cc.figure), esc(_plain(cc.old_value)),
                           esc(_plain(cc.new_value)), _signed(cc.difference), esc(cc.unit), _where(cc.old),
                           _where(cc.new))  # fmt: skip
        _fit_figures(claims)
        console.print(claims)
    if not diff.text and not diff.claims:
        console.print(t("文字无变化。", "No narrative changed."))


def _text_findings(diff: DocumentDiff, console: Console) -> None:
    console.rule(t("审核结果变化", "Audit findings"))
    for status, title in (("resolved", t("已解决（旧版有、新版无）", "Resolved (in the old version, not the new)")),
                          ("new", t("新出现（新版才有）", "New (only in the new version)"))):  # fmt: skip
        found = diff.findings_with(status)  # type: ignore[arg-type]
        if found:
            console.print(_findings_table(title, found, status == "resolved"))
    present = diff.findings_with("present")
    serious = [f for f in present if f.severity != "info"]
    console.print(
        t(f"仍存在 {len(present)} 条（其中错误和警告 {len(serious)} 条）。",
          f"{len(present)} still present ({len(serious)} errors and warnings).")
    )  # fmt: skip
    if serious:
        console.print(
            _findings_table(t("仍存在的错误和警告", "Errors and warnings still present"), serious, False)
        )


def _findings_table(title: str, found: list[FindingChange], old: bool) -> RichTable:
    table = _table(title, [(t("级别", "severity"), False), (t("规则", "rule"), False),
                           (t("位置", "at"), False), (t("说明", "message"), False)])  # fmt: skip
    for f in found:
        message = f.old_message if old else f.new_message
        places = f.old if old else f.new
        table.add_row(severity_label(f.severity), esc(f.rule_id), _wheres(places), esc(message))
    for column in table.columns[:2]:
        column.no_wrap = True
    return table


def _plain(value: Decimal | int | None) -> str:
    if value is None:
        return t("（无）", "(none)")
    return f"{value:,}" if isinstance(value, Decimal) else str(value)


# ---- HTML -----------------------------------------------------------------------------------------------
_CSS = """
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:2px 6px;vertical-align:top;text-align:left}
del{background:#ffd6d6;text-decoration:line-through}
ins{background:#d6f5d6;text-decoration:none}.old{color:#8a1c1c}.new{color:#1c6b1c}
.error{color:#b00020;font-weight:bold}.warning{color:#9a6700}.info{color:#666}
"""


def _html_table(heads: list[str], rows: list[list[tuple[str, bool]]]) -> str:
    """A table of already escaped cells; True marks a figure (right-aligned, never wrapped)."""
    head = "".join(f"<th>{h}</th>" for h in heads)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if num else f"<td>{c}</td>" for c, num in row) + "</tr>"
        for row in rows
    )
    return f'<div class="scroll"><table><tr>{head}</tr>{body}</table></div>'


def _html_marked(spans: list[tuple[str, bool]], tag: str) -> str:
    return "".join(f"<{tag}>{_e(s)}</{tag}>" if differs else _e(s) for s, differs in spans)


def render_diff_html(diff: DocumentDiff) -> str:
    out = [
        f"<h1>{_e(t('公开文件版本比较', 'Comparison of two versions of a disclosure'))}</h1>",
        stamp(),
        f"<p>{_e(t('旧版', 'old'))}：{_e(diff.old.path)} · sha256 {_e(diff.old.sha256[:16])}…<br>"
        f"{_e(t('新版', 'new'))}：{_e(diff.new.path)} · sha256 {_e(diff.new.sha256[:16])}…</p>",
        f"<h2>{_e(t('概况', 'Summary'))}</h2>",
    ]
    if not diff.changed:
        out.append(f"<p>{_e(t('两个版本无变化。', 'No change between the two versions.'))}</p>")
    out.append(_html_table([_e(t("项目", "what")), _e(t("数量", "count"))],
                           [[(_e(name), False), (str(count), True)] for name, count in _summary_rows(diff)]))  # fmt: skip
    out += _html_tables(diff)
    out += _html_narrative(diff)
    out += _html_findings(diff)
    return page(t("cnbudget 版本比较", "cnbudget version comparison"), out, _CSS, lang=t("zh-CN", "en"))


def _html_tables(diff: DocumentDiff) -> list[str]:
    out: list[str] = []
    out.append(f"<h2>{_e(t('表格变化', 'Tables'))}</h2>")
    if diff.metadata:
        out.append(f"<h3>{_e(t('元数据', 'Metadata'))}</h3>")
        out.append(_html_table([_e(t("项目", "field")), _e(t("旧版", "old")), _e(t("新版", "new"))],
                               [[(_e(field_label(m.field)), False), (_e(m.old), False), (_e(m.new), False)]
                                for m in diff.metadata]))  # fmt: skip
    if diff.tables:
        out.append(f"<h3>{_e(t('表格', 'Tables'))}</h3>")
        out.append(_html_table(
            [_e(h) for h in (t("表", "table"), t("变化", "change"), t("内容", "detail"), t("旧版位置", "old at"),
                             t("新版位置", "new at"))],
            [[(_e(f"{tc.table} {tc.name}"), False), (_e(change_label(tc.change)), False), (_e(tc.detail), False),
              (_e(_where(tc.old)), False), (_e(_where(tc.new)), False)] for tc in diff.tables],
        ))  # fmt: skip
    if diff.rows:
        out.append(f"<h3>{_e(t('行', 'Rows'))}</h3>")
        rows = []
        for rc in diff.rows:
            if rc.change == "changed":
                detail = f'<span class="old">{_e(rc.old_label)}</span> → <span class="new">{_e(rc.new_label)}</span>'
            else:
                detail = t("；", "; ").join(f"{_e(c)} {_e(v)}" for c, v in rc.cells)
            rows.append([(_e(rc.table), False), (_e(_row_name(rc.code, rc.label, rc.side)), False),
                         (_e(change_label(rc.change)), False), (detail, False), (_e(_where(rc.old)), False),
                         (_e(_where(rc.new)), False)])  # fmt: skip
        out.append(_html_table([_e(h) for h in (t("表", "table"), t("行", "row"), t("变化", "change"),
                                                 t("内容", "detail"), t("旧版位置", "old at"),
                                                 t("新版位置", "new at"))], rows))  # fmt: skip
    if diff.cells:
        out.append(f"<h3>{_e(t('单元格', 'Cells'))}</h3>")
        out.append(_html_table(
            [_e(h) for h in (t("表", "table"), t("行", "row"), t("列", "column"), t("旧值", "old"), t("新值", "new"),
                             t("差额", "difference"), t("单位", "unit"), t("旧版位置", "old at"),
                             t("新版位置", "new at"))],
            [[(_e(c.table), False), (_e(_row_name(c.row_code, c.row_label, c.side)), False), (_e(c.column), False),
              (_e(_blank(c.old_raw)), True), (_e(_blank(c.new_raw)), True), (_e(_signed(c.difference)), True),
              (_e(c.unit), False), (_e(_where(c.old)), False), (_e(_where(c.new)), False)] for c in diff.cells],
        ))  # fmt: skip
    if not (diff.metadata or diff.tables or diff.rows or diff.cells):
        out.append(f"<p>{_e(t('表格无变化。', 'No table changed.'))}</p>")
    return out


def _html_narrative(diff: DocumentDiff) -> list[str]:
    out: list[str] = []
    out.append(f"<h2>{_e(t('文字变化', 'Narrative'))}</h2>")
    text_rows = []
    for tc in diff.text:
        old_spans, new_spans = _spans(tc.old_text, tc.new_text)
        change = change_label(tc.change) + (t("（整节）", " (whole section)") if tc.whole_section else "")
        text_rows.append([(_e(tc.section), False), (_e(change), False),
                          (f'<span class="old">{_html_marked(old_spans, "del")}</span>', False),
                          (f'<span class="new">{_html_marked(new_spans, "ins")}</span>', False),
                          (_e(_where(tc.old)), False), (_e(_where(tc.new)), False)])  # fmt: skip
    if text_rows:
        out.append(_html_table([_e(h) for h in (t("部分", "section"), t("变化", "change"), t("旧文", "old text"),
                                                 t("新文", "new text"), t("旧版位置", "old at"),
                                                 t("新版位置", "new at"))], text_rows))  # fmt: skip
    if diff.claims:
        out.append(f"<h3>{_e(t('文字中的数字', 'Narrative figures'))}</h3>")
        out.append(_html_table(
            [_e(h) for h in (t("部分", "section"), t("主题", "subject"), t("项", "figure"), t("旧值", "old"),
                             t("新值", "new"), t("差额", "difference"), t("单位", "unit"), t("旧版位置", "old at"),
                             t("新版位置", "new at"))],
            [[(_e(cc.section), False), (_e(cc.subject), False), (_e(figure_label(cc.figure)), False),
              (_e(_plain(cc.old_value)), True), (_e(_plain(cc.new_value)), True), (_e(_signed(cc.difference)), True),
              (_e(cc.unit), False), (_e(_where(cc.old)), False), (_e(_where(cc.new)), False)] for cc in diff.claims],
        ))  # fmt: skip
    if not diff.text and not diff.claims:
        out.append(f"<p>{_e(t('文字无变化。', 'No narrative changed.'))}</p>")
    return out


def _html_findings(diff: DocumentDiff) -> list[str]:
    out: list[str] = []
    out.append(f"<h2>{_e(t('审核结果变化', 'Audit findings'))}</h2>")
    for status, title in (("resolved", t("已解决（旧版有、新版无）", "Resolved (in the old version, not the new)")),
                          ("new", t("新出现（新版才有）", "New (only in the new version)")),
                          ("present", t("仍存在", "Still present"))):  # fmt: skip
        found = diff.findings_with(status)  # type: ignore[arg-type]
        out.append(f"<h3>{_e(title)}（{len(found)}）</h3>")
        if found:
            old = status == "resolved"
            out.append(_html_table(
                [_e(h) for h in (t("级别", "severity"), t("规则", "rule"), t("位置", "at"), t("说明", "message"))],
                [[(f'<span class="{_e(f.severity)}">{_e(severity_label(f.severity))}</span>', False),
                  (_e(f.rule_id), False), (_e(_wheres(f.old if old else f.new)), False),
                  (_e(f.old_message if old else f.new_message), False)] for f in found],
            ))  # fmt: skip
    return out
