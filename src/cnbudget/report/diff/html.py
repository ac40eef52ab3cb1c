"""A comparison as one self-contained page (document text escaped by the HTML kit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnbudget.domain.i18n import t
from cnbudget.domain.vocabulary import change_label, field_label, figure_label, severity_label
from cnbudget.report.diff.words import blank, plain, row_name, signed, spans, summary_rows, where, wheres
from cnbudget.report.kit.html import e as _e
from cnbudget.report.kit.html import page, stamp

if TYPE_CHECKING:
    from cnbudget.report.diff.compare import DocumentDiff


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
                           [[(_e(name), False), (str(count), True)] for name, count in summary_rows(diff)]))  # fmt: skip
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
              (_e(where(tc.old)), False), (_e(where(tc.new)), False)] for tc in diff.tables],
        ))  # fmt: skip
    if diff.rows:
        out.append(f"<h3>{_e(t('行', 'Rows'))}</h3>")
        rows = []
        for rc in diff.rows:
            if rc.change == "changed":
                detail = f'<span class="old">{_e(rc.old_label)}</span> → <span class="new">{_e(rc.new_label)}</span>'
            else:
                detail = t("；", "; ").join(f"{_e(c)} {_e(v)}" for c, v in rc.cells)
            rows.append([(_e(rc.table), False), (_e(row_name(rc.code, rc.label, rc.side)), False),
                         (_e(change_label(rc.change)), False), (detail, False), (_e(where(rc.old)), False),
                         (_e(where(rc.new)), False)])  # fmt: skip
        out.append(_html_table([_e(h) for h in (t("表", "table"), t("行", "row"), t("变化", "change"),
                                                 t("内容", "detail"), t("旧版位置", "old at"),
                                                 t("新版位置", "new at"))], rows))  # fmt: skip
    if diff.cells:
        out.append(f"<h3>{_e(t('单元格', 'Cells'))}</h3>")
        out.append(_html_table(
            [_e(h) for h in (t("表", "table"), t("行", "row"), t("列", "column"), t("旧值", "old"), t("新值", "new"),
                             t("差额", "difference"), t("单位", "unit"), t("旧版位置", "old at"),
                             t("新版位置", "new at"))],
            [[(_e(c.table), False), (_e(row_name(c.row_code, c.row_label, c.side)), False), (_e(c.column), False),
              (_e(blank(c.old_raw)), True), (_e(blank(c.new_raw)), True), (_e(signed(c.difference)), True),
              (_e(c.unit), False), (_e(where(c.old)), False), (_e(where(c.new)), False)] for c in diff.cells],
        ))  # fmt: skip
    if not (diff.metadata or diff.tables or diff.rows or diff.cells):
        out.append(f"<p>{_e(t('表格无变化。', 'No table changed.'))}</p>")
    return out


def _html_narrative(diff: DocumentDiff) -> list[str]:
    out: list[str] = []
    out.append(f"<h2>{_e(t('文字变化', 'Narrative'))}</h2>")
    text_rows = []
    for tc in diff.text:
        old_spans, new_spans = spans(tc.old_text, tc.new_text)
        change = change_label(tc.change) + (t("（整节）", " (whole section)") if tc.whole_section else "")
        text_rows.append([(_e(tc.section), False), (_e(change), False),
                          (f'<span class="old">{_html_marked(old_spans, "del")}</span>', False),
                          (f'<span class="new">{_html_marked(new_spans, "ins")}</span>', False),
                          (_e(where(tc.old)), False), (_e(where(tc.new)), False)])  # fmt: skip
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
              (_e(plain(cc.old_value)), True), (_e(plain(cc.new_value)), True), (_e(signed(cc.difference)), True),
              (_e(cc.unit), False), (_e(where(cc.old)), False), (_e(where(cc.new)), False)] for cc in diff.claims],
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
                  (_e(f.rule_id), False), (_e(wheres(f.old if old else f.new)), False),
                  (_e(f.old_message if old else f.new_message), False)] for f in found],
            ))  # fmt: skip
    return out
