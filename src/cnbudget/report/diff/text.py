"""A comparison as tables on a terminal (Rich; document text escaped for the terminal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnbudget.domain.escape import terminal_text as esc
from cnbudget.domain.i18n import t
from cnbudget.domain.vocabulary import change_label, field_label, figure_label, severity_label
from cnbudget.report.diff.words import (
    blank,
    moved,
    plain,
    row_name,
    signed,
    spans,
    summary_rows,
    table_name,
    where,
    wheres,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table as RichTable

    from cnbudget.report.diff.compare import CellChange, DocumentDiff, FindingChange


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
    for name, count in summary_rows(diff):
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
                           where(tc.old), where(tc.new))  # fmt: skip
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
            rows.add_row(esc(rc.table), esc(row_name(rc.code, rc.label, rc.side)), change_label(rc.change),
                         detail, where(rc.old), where(rc.new))  # fmt: skip
        console.print(rows)


def _text_cells(diff: DocumentDiff, console: Console) -> None:
    by_table: dict[str, list[CellChange]] = {}
    for c in diff.cells:
        by_table.setdefault(c.table, []).append(c)
    for table_id, changes in by_table.items():  # one table each: fewer columns, and the unit in the title
        units = "、".join(dict.fromkeys(c.unit for c in changes if c.unit))
        title = f"{esc(table_id)} {esc(table_name(table_id))}" + (t(f"（金额单位：{units}）", f" (amounts in {units})")
                                                                    if units else "")  # fmt: skip
        cells = _table(title, [(t("行", "row"), False), (t("列", "column"), False), (t("旧值", "old"), True),
                               (t("新值", "new"), True), (t("差额", "difference"), True),
                               (t("位置（旧 → 新）", "at (old → new)"), False)])  # fmt: skip
        for c in changes:
            cells.add_row(esc(row_name(c.row_code, c.row_label, c.side)), esc(c.column), esc(blank(c.old_raw)),
                          esc(blank(c.new_raw)), signed(c.difference), moved(c.old, c.new))  # fmt: skip
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
        old_spans, new_spans = spans(xc.old_text, xc.new_text)
        if xc.old_text:  # the sentence on lines of its own: a long run of Chinese is folded, not pushed down
            console.print(f"  [red]− {t('旧', 'old')}[/red] {where(xc.old)}")
            console.print(Padding(Text.from_markup(_marked(old_spans, "bold red")), (0, 0, 0, 4)))
        if xc.new_text:
            console.print(f"  [green]+ {t('新', 'new')}[/green] {where(xc.new)}")
            console.print(Padding(Text.from_markup(_marked(new_spans, "bold green")), (0, 0, 0, 4)))
    if diff.claims:
        claims = _table(t("文字中的数字", "Narrative figures"), [
            (t("部分", "section"), False), (t("主题", "subject"), False), (t("项", "figure"), False),
            (t("旧值", "old"), True), (t("新值", "new"), True), (t("差额", "difference"), True),
            (t("单位", "unit"), False), (t("旧版位置", "old at"), False), (t("新版位置", "new at"), False),
        ])  # fmt: skip
        for cc in diff.claims:
            claims.add_row(esc(cc.section), esc(cc.subject), figure_label(cc.figure), esc(plain(cc.old_value)),
                           esc(plain(cc.new_value)), signed(cc.difference), esc(cc.unit), where(cc.old),
                           where(cc.new))  # fmt: skip
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
        table.add_row(severity_label(f.severity), esc(f.rule_id), wheres(places), esc(message))
    for column in table.columns[:2]:
        column.no_wrap = True
    return table
