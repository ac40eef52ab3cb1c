"""One self-contained HTML file: every finding with the table excerpt it rests on, offending cells marked.

No external assets (CSS inline, no scripts from elsewhere), so the file can be mailed or archived as is.
"""

from __future__ import annotations

from collections import defaultdict

from cnbudget.audit import AuditReport, Evidence, Finding
from cnbudget.audit.registry import all_rules
from cnbudget.domain.catalog import table_name
from cnbudget.domain.i18n import t as tr
from cnbudget.domain.numbers import format_amount
from cnbudget.domain.text import at, place
from cnbudget.domain.vocabulary import KIND_LABELS, SEVERITY_LABELS
from cnbudget.model import Document, Table
from cnbudget.report.audit.notes import profile_note, template_note
from cnbudget.report.kit.html import e as _e
from cnbudget.report.kit.html import page, stamp
from cnbudget.report.kit.page_crops import PageCrops

_CSS = """
.summary span{display:inline-block;margin-right:1.2em;font-weight:bold}
.finding{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;padding:.6em .9em;margin:.9em 0}
.finding.error{border-left-color:#b00020}.finding.warning{border-left-color:#d4a000}.finding.info{border-left-color:#bbb}
.finding .msg{color:#222;font-size:1.02em}
figure{margin:.5em 0}figure img{max-width:100%;border:1px solid #ccc}figcaption{font-size:.8em;color:#666}
table.excerpt{border-collapse:collapse;margin:.5em 0;font-size:.85em}
table.excerpt th,table.excerpt td{border:1px solid #ccc;padding:2px 6px;text-align:right;white-space:nowrap}
table.excerpt td.label,table.excerpt th.label{text-align:left}
td.hit{background:#ffe0e0;outline:2px solid #b00020;font-weight:bold}td.part{background:#fff6cc}
td.copy{background:#e0ecff;outline:2px solid #3060c0}td.suspect{background:#ffb3b3;outline:3px solid #b00020}
blockquote{margin:.4em 0;padding:.3em .8em;background:#f6f6f6;border-left:3px solid #999}
mark{background:#ffd24d}table.coverage{border-collapse:collapse;font-size:.8em}
table.coverage td{border-bottom:1px solid #eee;padding:1px 6px}
.related{color:#555;font-size:.88em;margin:.3em 0}.detail{color:#999;font-size:.9em}.related ul{margin:.2em 0 .2em 1.2em;padding:0}
"""
_ROLE_CLASS = {"total": "hit", "part": "part", "copy": "copy", "suspect": "suspect"}


def _related(finding: Finding) -> str:
    """The broken checks the finding explains, listed under it."""
    if not finding.related:
        return ""
    items = "".join(f"<li>{_e(r.rule_id)}：{_e(r.message)}</li>" for r in finding.related)
    return f'<div class="related">由此引起的 {len(finding.related)} 处不符：<ul>{items}</ul></div>'


def _crops(crops: PageCrops, finding: Finding) -> str:
    return "".join(
        f'<figure><img alt="第 {page} 页" src="{uri}"><figcaption>原文第 {page} 页（红框为所涉单元格）</figcaption></figure>'
        for page, uri in crops.for_evidence(finding.evidence)
    )


def _excerpt(doc: Document, finding: Finding) -> str:
    by_table: dict[str, list[Evidence]] = defaultdict(list)
    for ev in finding.evidence:
        if ev.kind == "cell" and ev.table:
            by_table[ev.table].append(ev)
    parts = []
    for ev in finding.evidence:
        if ev.kind == "claim" and ev.text:
            sentence = _e(ev.text)
            if ev.raw:
                sentence = sentence.replace(_e(ev.raw), f"<mark>{_e(ev.raw)}</mark>", 1)
            parts.append(f"<blockquote>{at(ev.line, ev.page)}：{sentence}</blockquote>")
    for table_id, evidence in by_table.items():
        table = doc.table(table_id)
        if table is None:
            continue
        parts.append(_table_excerpt(table, evidence))
    for ev in finding.evidence:
        if ev.kind in ("row", "line") and ev.line and not by_table:
            label = _e(ev.row_label or ev.text)
            value = f" {format_amount(ev.value)}" if ev.value is not None else ""
            parts.append(f'<div class="meta">{at(ev.line, ev.page)} {_e(ev.table)} {label}{value}</div>')
    return "".join(parts)


def _table_excerpt(table: Table, evidence: list[Evidence]) -> str:
    marks = {(ev.line, ev.column, ev.row_label): _ROLE_CLASS.get(ev.role, "hit") for ev in evidence}
    places = {(ev.line, ev.row_label) for ev in evidence}
    columns = list(dict.fromkeys(c.key for c in table.columns if c.role == "value"))
    rows = [r for r in table.rows if (r.line, r.label) in places]
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = {c.column: c for c in row.cells}
        tds = []
        for col in columns:
            cell = cells.get(col)
            css = marks.get((row.line, col, row.label), "")
            text = "" if cell is None else (_e(cell.raw))
            tds.append(f'<td class="{css}">{text}</td>')
        side = f"{_e(row.side)} " if row.side else ""
        body.append(f'<tr><td class="label">{row.line}</td><td class="label">{side}{_e(row.code)} {_e(row.label)}</td>'
                    f"{''.join(tds)}</tr>")  # fmt: skip
    title = f"{_e(table.id)} {_e(table_name(table.id))}（单位：{_e(table.amount_unit)}）"
    return (f'<div class="meta">{title}</div><div class="scroll"><table class="excerpt"><tr><th class="label">行</th>'
            f'<th class="label">项目</th>{head}</tr>{"".join(body)}</table></div>')  # fmt: skip


def render_html(reports: list[AuditReport], failures: list[tuple[str, str]], show_info: bool = True) -> str:
    rules = {r.id: r for r in all_rules()}
    out = ["<h1>预决算公开审核报告</h1>", stamp(f"{len(reports)} 个文件")]
    for report in reports:
        doc = report.document
        meta = doc.metadata
        kind = KIND_LABELS[meta.kind] if meta.kind else ""
        out.append(f"<h2>{_e(meta.department)} {meta.fiscal_year or ''}年{kind}</h2>")
        out.append(f'<div class="meta">{_e(meta.source_path)} · sha256 {meta.source_sha256[:16]}…</div>')
        if note := template_note(doc):
            out.append(f'<div class="meta">{_e(note)}</div>')
        out.append(
            f'<p class="summary"><span class="sev-error">{report.count("error")} 错误</span>'
            f'<span class="sev-warning">{report.count("warning")} 警告</span>'
            f'<span class="sev-info">{report.count("info")} 提示</span></p>'
        )
        crops = PageCrops(meta.source_path, meta.source_format, meta.source_files)
        for f in report.findings:
            if f.severity == "info" and not show_info:
                continue
            rule = rules.get(f.rule_id)
            pages = sorted({e.page for e in f.evidence if e.page})
            where = place(pages, f.lines, 8)
            if pages:  # the page is the place; the extracted text's lines only a detail (as `cnbudget show` numbers them)
                shown = "、".join(str(n) for n in f.lines[:8])
                where += f'<span class="detail">（{tr(f"提取文本第 {shown} 行", f"extracted text, line {shown}")}）</span>'
            out.append(
                f'<div class="finding {f.severity}"><div class="meta"><b class="sev-{f.severity}">{SEVERITY_LABELS[f.severity]}</b> · '
                f"{_e(f.rule_id)} · {_e(rule.description if rule else '')} · {where}</div>"
                f'<div class="msg">{_e(f.message)}</div>{_related(f)}{_excerpt(doc, f)}{_crops(crops, f)}</div>'
            )
        crops.close()
        skipped = [
            o
            for o in report.outcomes
            if o.status == "not_evaluated" and not o.disabled or o.status == "evaluated" and o.reason
        ]
        evaluated = sum(1 for o in report.outcomes if o.status == "evaluated")
        out.append(
            f"<p>已检查 {evaluated} 条规则；因数据缺失或前提不成立未能（全部）检查 {len(skipped)} 条：</p>"
        )
        if skipped:
            rows = "".join(f"<tr><td>{_e(o.rule_id)}</td><td>{_e(o.reason)}</td></tr>" for o in skipped)
            out.append(f'<table class="coverage">{rows}</table>')
        if report.profile is not None:
            out.append(f'<p class="meta">{_e(profile_note(report))}</p>')
    for path, error in failures:
        out.append(f'<p class="sev-error">无法读取 {_e(path)}：{_e(error)}</p>')
    return page("cnbudget 审核报告", out, _CSS)


def render(reports: list[AuditReport], failures: list[tuple[str, str]], info: bool, suffix: str) -> str:
    """`Renderer` of ``--format html``."""
    return render_html(reports, failures, info)
