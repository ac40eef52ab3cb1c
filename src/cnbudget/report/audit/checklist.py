"""The reviewers' own deliverable: the official review checklist (公开情况检查表) of the document's kind and
scope, prefilled from the audit.

Each row is one part of the document (封面, 目录, 主要职能 …, each required table, 其他相关说明); every
finding is filed under the part it is about — the table it names, else the section of the text its first
line is in, else the cover (lines before the body), else the narrative row — and each row is marked:

- 否: an error was found in that part, or a required part is missing;
- 待复核: only warnings (probably wrong; the reviewer decides);
- 是: nothing found;
- 待人工判断: what the audit cannot judge (timeliness, the text of 主要职能): left for the reviewer.

The layouts are data (domain/data/checklists.toml). `fill_checklist` is the filled checklist as plain
data; the XLSX and HTML renderers below only lay it out.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from cnbudget.audit import AuditReport, Finding
from cnbudget.domain.catalog import ChecklistRow, ChecklistSpec, checklist_for, table_name, template_of
from cnbudget.domain.escape import sheet_text, text_cells
from cnbudget.domain.vocabulary import KIND_LABELS, SCOPE_LABELS
from cnbudget.model import Document, Heading, Metadata
from cnbudget.report.audit.notes import profile_note
from cnbudget.report.kit.html import e as _e
from cnbudget.report.kit.html import page

Status = Literal["是", "否", "待复核", "待人工判断"]
STATUS_HELP = {
    "是": "未发现问题",
    "否": "发现错误，或缺少该部分",
    "待复核": "只发现可能的问题（警告），需审核人员判断",
    "待人工判断": "程序无法判断（如及时性、主要职能的文字内容），请审核人员填写",
}
_OTHER = ChecklistRow(item="其他（检查表未列的部分）", part="section", group="内容规范性", required=False)


@dataclass
class Problem:
    """One finding as a reviewer writes it: where, what, and the rule that found it."""

    text: str
    severity: str
    rule_id: str
    pages: list[int]
    finding: Finding | None = None


@dataclass
class FilledRow:
    group: str
    item: str
    part: str
    status: Status
    problems: list[Problem] = field(default_factory=list)
    note: str = ""
    """What the audit saw of the part (where it was found), or why the row is left to the reviewer."""


@dataclass
class FilledChecklist:
    checklist: str
    title: str
    header: str
    org_label: str
    organisation: str
    source_path: str
    rows: list[FilledRow]

    @property
    def problems(self) -> int:
        return sum(len(r.problems) for r in self.rows)


# ---- filling -------------------------------------------------------------------------------------------


def _words(meta: Metadata) -> dict[str, str]:
    return {
        "year": str(meta.fiscal_year) if meta.fiscal_year else "",
        "region": meta.region,
        "scope": SCOPE_LABELS[meta.scope or "department"],
        "kind": KIND_LABELS[meta.kind or "budget"],
    }


def _fill(text: str, words: dict[str, str]) -> str:
    return text.format_map(words)


def _expand(spec: ChecklistSpec, doc: Document) -> list[ChecklistRow]:
    """The checklist's rows, with ``tables`` replaced by one row per table the template requires."""
    template = template_of(doc.metadata)
    out: list[ChecklistRow] = []
    for row in spec.rows:
        if row.part != "tables":
            out.append(row)
            continue
        for table_id in template.required:
            title = (template.titles.get(table_id) or (table_name(table_id),))[0]
            out.append(ChecklistRow(item=f"《{title}》", part="table", group=row.group, table=table_id))
    return out


def _section_range(outline: list[Heading], words: tuple[str, ...], end: int) -> tuple[Heading, int] | None:
    """The last heading naming one of ``words`` (the body's, after the contents), and its last line."""
    found: list[int] = []
    for word in words:  # the words in their order of preference: 概况 before 主要职能
        found = [k for k, h in enumerate(outline) if word in h.text]
        if found:
            break
    if not found:
        return None
    k = found[-1]
    heading = outline[k]
    following = [h.line for h in outline[k + 1 :] if h.level <= heading.level]
    return heading, (following[0] - 1 if following else end)


def _where(finding: Finding) -> str:
    if finding.pages:
        return "第 " + "、".join(str(p) for p in sorted(finding.pages)[:3]) + " 页："
    if finding.lines:
        return "第 " + "、".join(str(n) for n in sorted(finding.lines)[:3]) + " 行："
    return ""


def _problem(finding: Finding, notes: Mapping[str, str]) -> Problem:
    mark = "［需复核］" if finding.severity == "warning" else ""
    note = notes.get(finding.key, "")
    return Problem(
        text=f"{mark}{_where(finding)}{finding.message}" + (f"（审核意见：{note}）" if note else ""),
        severity=finding.severity,
        rule_id=finding.rule_id,
        pages=finding.pages,
        finding=finding,
    )


def _row_ranges(rows: list[ChecklistRow], doc: Document, last_line: int) -> dict[int, tuple[Heading, int]]:
    """Where each row's part of the document runs: its heading and last line."""
    ranges: dict[int, tuple[Heading, int]] = {}
    for k, row in enumerate(rows):
        if row.part == "narrative" and doc.narrative:
            # the narrative the parser found (its part, or Shanghai's 说明 sections): from its first heading
            first = doc.narrative[0]
            heading = next((h for h in doc.outline if h.line == first.line), None)
            heading = heading or Heading(text=first.heading, line=first.line, level=1)
            ranges[k] = (heading, max(s.last_line for s in doc.narrative))
        elif row.part in ("section", "narrative") and row.headings:
            found = _section_range(doc.outline, row.headings, last_line)
            if found is not None:
                ranges[k] = found
    return ranges


def fill_checklist(
    report: AuditReport, include_info: bool = False, notes: Mapping[str, str] | None = None
) -> FilledChecklist:
    """The checklist of the document's kind and scope, each row marked from the findings filed under it.

    ``notes``: the review team's words on findings, by `Finding.key`, written after the problem."""
    doc = report.document
    meta = doc.metadata
    spec = checklist_for(meta.template, meta.kind)
    words = _words(meta)
    rows = _expand(spec, doc)
    last_line = max(
        [doc.outline[-1].line if doc.outline else 0, *(t.last_line for t in doc.tables),
         *(s.last_line for s in doc.narrative), meta.title_line],
    )  # fmt: skip
    body_starts = [h.line for h in doc.outline] + [t.first_line for t in doc.tables]
    if doc.toc_lines:
        body_starts.append(doc.toc_lines[0])
    body = min(body_starts) if body_starts else last_line + 1

    ranges = _row_ranges(rows, doc, last_line)
    narrative_row = next((k for k, r in enumerate(rows) if r.part == "narrative"), None)
    table_rows = {r.table: k for k, r in enumerate(rows) if r.part == "table"}
    cover_row = next((k for k, r in enumerate(rows) if r.part == "cover"), None)
    contents_row = next((k for k, r in enumerate(rows) if r.part == "contents"), None)

    filed: dict[int, list[Finding]] = {}
    other: list[Finding] = []
    for finding in report.findings:
        if finding.severity == "info" and not include_info:
            continue
        place = _file(finding, rows, table_rows, ranges, body, doc, cover_row, contents_row, narrative_row)
        if place is None:
            other.append(finding)
        else:
            filed.setdefault(place, []).append(finding)

    notes = notes or {}
    filled = [_mark(row, words, filed.get(k, []), ranges.get(k), doc, notes) for k, row in enumerate(rows)]
    if other:
        filled.append(_mark(_OTHER, words, other, None, doc, notes))
    return FilledChecklist(
        checklist=spec.id,
        title=_fill(spec.title, words),
        header=_fill(spec.header, words),
        org_label=_fill(spec.org_label, words),
        organisation=meta.organisation or meta.department,
        source_path=meta.source_name or meta.source_path,
        rows=filled,
    )


def _file(
    finding: Finding,
    rows: list[ChecklistRow],
    table_rows: dict[str, int],
    ranges: dict[int, tuple[Heading, int]],
    body: int,
    doc: Document,
    cover_row: int | None,
    contents_row: int | None,
    narrative_row: int | None,
) -> int | None:
    """The row a finding belongs under (None: no row of the checklist is about its part).

    A finding that starts in the text (a narrative figure that differs from its table) is filed under the
    part of the text it quotes; one that starts in a table, under that table."""
    in_text = bool(finding.evidence) and finding.evidence[0].kind in ("claim", "line")
    if not in_text:
        for table in finding.tables:
            k = table_rows.get(table) or table_rows.get(table.split("-")[0])
            if k is not None:
                return k
        if finding.table:
            return (
                None  # a table the checklist has no row for (B05U …): the row for other parts, not a section
            )
    lines = finding.lines
    if lines:
        line = lines[0]
        inside = [
            (end - heading.line, k) for k, (heading, end) in ranges.items() if heading.line <= line <= end
        ]
        if inside:
            return min(inside)[1]  # the narrowest part that holds the line
        if doc.toc_lines and doc.toc_lines[0] <= line <= doc.toc_lines[1] and contents_row is not None:
            return contents_row
        if line < body and cover_row is not None:
            return cover_row
        if in_text:
            return narrative_row
    for table in finding.tables:
        k = table_rows.get(table) or table_rows.get(table.split("-")[0])
        if k is not None:
            return k
    if finding.tables:
        return None  # a table this checklist has no row for
    return narrative_row


def _mark(
    row: ChecklistRow, words: dict[str, str], findings: list[Finding], found: tuple[Heading, int] | None,
    doc: Document, notes: Mapping[str, str],
) -> FilledRow:  # fmt: skip
    item = _fill(row.item, words)
    problems = [_problem(f, notes) for f in findings]
    out = FilledRow(group=row.group, item=item, part=row.part, status="是", problems=problems)
    if row.part == "manual":
        out.status, out.note = "待人工判断", "程序无法判断，请审核人员填写"
        return out
    if row.part in ("section", "narrative") and row.headings:
        if found is None:
            if row.required:
                out.problems.insert(0, Problem(f"未找到标题含“{row.headings[0]}”的部分", "error", "", []))
            else:
                out.note = "文件中没有此部分（非必需）"
        else:
            heading = found[0]
            page = f"第 {heading.page} 页" if heading.page else f"第 {heading.line} 行"
            out.note = f"见{page}“{heading.text}”"
            if row.judge == "presence":
                out.note += "；内容需人工判断"
    if row.part == "contents":
        has_toc = doc.toc_lines is not None or any(h.text == "目录" for h in doc.outline)
        if not has_toc:
            out.problems.insert(0, Problem("未找到目录", "warning", "", []))
    if row.part == "cover":
        meta = doc.metadata
        missing = [w for w, v in (("单位名称", meta.organisation or meta.department), ("年度", meta.fiscal_year))
                   if not v]  # fmt: skip
        if missing:
            out.problems.insert(0, Problem(f"封面或标题中未能识别{'、'.join(missing)}", "warning", "", []))
        elif meta.title:
            out.note = f"标题“{meta.title}”"
    severities = {p.severity for p in out.problems}
    if "error" in severities:
        out.status = "否"
    elif severities:
        out.status = "待复核"
    elif row.judge == "presence" and found is not None:
        out.status = "待人工判断"
    return out


# ---- XLSX ------------------------------------------------------------------------------------------------


def _sheet_name(checklist: FilledChecklist, taken: set[str]) -> str:
    base = (
        "".join(c for c in sheet_text(checklist.organisation or "检查表") if c not in "[]:*?/\\")[:24]
        or "检查表"
    )
    name, n = base, 2
    while name in taken:
        name, n = f"{base[:21]}（{n}）", n + 1
    taken.add(name)
    return name


def render_checklist_xlsx(
    reports: list[AuditReport], failures: list[tuple[str, str]], notes: Mapping[str, str] | None = None
) -> bytes:
    """One sheet per document in the official layout, and a sheet of page crops the problems link to."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.worksheets[0])
    style, shots = _Style(), _Shots(wb)
    taken: set[str] = set()
    for report in reports:
        filled = fill_checklist(report, notes=notes)
        ws = wb.create_sheet(_sheet_name(filled, taken))
        _sheet_head(ws, filled, style)
        _sheet_rows(ws, report, filled, style, shots)
        _sheet_foot(ws, report, filled, style)
    if failures:
        ws = wb.create_sheet("无法读取")
        ws.append(["文件", "原因"])
        for path, error in failures:
            ws.append([sheet_text(path), sheet_text(error)])
    if not wb.worksheets:
        wb.create_sheet("检查表")
    text_cells(wb)  # a label like =HYPERLINK(…) stays text
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class _Style:
    """The checklist's borders, alignments and the fills of its 符合要求 answers."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Side

        thin = Side(style="thin", color="999999")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.fills = {"否": "FFE0E0", "待复核": "FFF4CC", "待人工判断": "E8EEF8"}


class _Shots:
    """The 问题截图 sheet (made when the first crop comes): each row's crops under a heading, linked from
    the row's problem cell."""

    def __init__(self, wb: Any) -> None:
        self.wb, self.row = wb, 1
        self.sheet: Any = None

    def add(self, ws: Any, r: int, item: str, images: list[str]) -> None:
        from openpyxl.drawing.image import Image as XLImage
        from openpyxl.styles import Font

        if self.sheet is None:
            self.sheet = self.wb.create_sheet("问题截图")
            self.sheet.column_dimensions["A"].width = 60
        self.sheet.cell(self.row, 1, f"{ws.title} · {item}").font = Font(bold=True)
        ws.cell(r, 5).hyperlink = f"#'问题截图'!A{self.row}"
        ws.cell(r, 5).font = Font(color="1F4E9A", underline="single")
        self.row += 1
        for uri in images:
            picture = XLImage(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
            scale = min(1.0, 900 / max(picture.width, 1))
            picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
            self.sheet.add_image(picture, f"A{self.row}")
            self.row += int(picture.height / 20) + 2


def _sheet_head(ws: Any, filled: FilledChecklist, style: _Style) -> None:
    from openpyxl.styles import Font

    ws.append([sheet_text(filled.title)])
    ws.merge_cells("A1:G1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = style.centre
    ws.append([sheet_text(f"{filled.org_label}：{filled.organisation}")])
    ws.append(["公开网址："])
    ws.append([filled.header, None, None, "符合要求", "问题截图", "页码", "依据（cnbudget 规则）"])
    ws.merge_cells("A4:C4")
    for cell in ws[4]:
        cell.font, cell.alignment, cell.border = Font(bold=True), style.centre, style.border


def _sheet_rows(ws: Any, report: AuditReport, filled: FilledChecklist, style: _Style, shots: _Shots) -> None:
    from openpyxl.styles import PatternFill

    from cnbudget.report.kit.page_crops import PageCrops

    meta = report.document.metadata
    crops = PageCrops(meta.source_path, meta.source_format, meta.source_files)
    group_start: tuple[str, int] | None = None
    for row in filled.rows:
        r = ws.max_row + 1
        text = "\n".join(p.text for p in row.problems) or row.note
        pages = sorted({p for prob in row.problems for p in prob.pages})
        rules = sorted({p.rule_id for p in row.problems if p.rule_id})
        ws.append(
            [
                row.group,
                row.item,
                None,
                row.status,
                sheet_text(text),
                "、".join(map(str, pages)),
                " ".join(rules),
            ]
        )
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
        # rows tall enough for their wrapped problems (LibreOffice does not grow them when it opens the file)
        wrapped = sum(max(1, -(-len(line) // 45)) for line in text.split("\n")) if text else 1
        ws.row_dimensions[r].height = min(409, 16 * wrapped)
        for cell in ws[r]:
            cell.border, cell.alignment = style.border, style.wrap
        ws.cell(r, 4).alignment = style.centre
        if row.status in style.fills:
            ws.cell(r, 4).fill = PatternFill("solid", fgColor=style.fills[row.status])
        if row.group:
            _close_group(ws, group_start, r - 1)
            group_start = (row.group, r)
        # the crops of this row's problems, on the 问题截图 sheet, linked from the problem cell
        images = [uri for p in row.problems if p.finding for _, uri in crops.for_evidence(p.finding.evidence)]
        if images:
            shots.add(ws, r, row.item, images)
    _close_group(ws, group_start, ws.max_row)
    crops.close()


def _sheet_foot(ws: Any, report: AuditReport, filled: FilledChecklist, style: _Style) -> None:
    """The note on how the sheet was filled, the column widths, and the page set-up of the printed form
    (landscape, all columns on one page width, the heading row on every page)."""
    ws.append([])
    legend = "；".join(f"{k}：{v}" for k, v in STATUS_HELP.items())
    note = profile_note(report)
    ws.append(
        [
            f"说明：由 cnbudget 根据审核结果预填（{filled.source_path}）。{legend}。"
            + (f"{note}。" if note else "")
        ]
    )
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=7)
    ws.cell(ws.max_row, 1).alignment = style.wrap
    ws.row_dimensions[ws.max_row].height = 48
    for column, width in zip("ABCDEFG", (12, 30, 14, 12, 80, 10, 22), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"


def _close_group(ws: object, start: tuple[str, int] | None, end: int) -> None:
    """Merge the first column over the rows of one group (内容规范性 spans its rows, as on the form)."""
    if start is not None and end > start[1]:
        ws.merge_cells(start_row=start[1], start_column=1, end_row=end, end_column=1)  # type: ignore[attr-defined]


# ---- HTML ------------------------------------------------------------------------------------------------

_CSS = """
h1{text-align:center}table{border-collapse:collapse;width:100%;margin:1em 0}
th,td{border:1px solid #999;padding:.4em .6em;vertical-align:top;text-align:left}th{background:#f2f2f2}
td.s{text-align:center;white-space:nowrap;font-weight:bold}.s-否{background:#ffe0e0}.s-待复核{background:#fff4cc}
.s-待人工判断{background:#e8eef8}ul{margin:0;padding-left:1.2em}.note{color:#555}.rule{color:#777;font-size:.85em}
img{max-width:100%;border:1px solid #ccc;margin:.3em 0}.legend{color:#555;font-size:.9em}
"""


def render_checklist_html(
    reports: list[AuditReport], failures: list[tuple[str, str]], notes: Mapping[str, str] | None = None
) -> str:
    """The same checklist as one self-contained page (crops inline), one section per document."""
    from cnbudget.report.kit.page_crops import PageCrops

    parts: list[str] = []
    for report in reports:
        filled = fill_checklist(report, notes=notes)
        meta = report.document.metadata
        crops = PageCrops(meta.source_path, meta.source_format, meta.source_files)
        note = profile_note(report)
        parts.append(f"<section><h1>{_e(filled.title)}</h1><p>{_e(filled.org_label)}：{_e(filled.organisation)}"
                     f"<br>文件：{_e(filled.source_path)}" + (f"<br>{_e(note)}" if note else "") + "</p>")  # fmt: skip
        parts.append(
            f"<table><tr><th colspan=2>{_e(filled.header)}</th><th>符合要求</th><th>问题截图</th></tr>"
        )
        for row in filled.rows:
            items = []
            for p in row.problems:
                shots = "".join(
                    f'<br><img alt="第 {page} 页" src="{uri}">'
                    for page, uri in (crops.for_evidence(p.finding.evidence) if p.finding else [])
                )
                rule = f' <span class="rule">{_e(p.rule_id)}</span>' if p.rule_id else ""
                items.append(f"<li>{_e(p.text)}{rule}{shots}</li>")
            body = f"<ul>{''.join(items)}</ul>" if items else ""
            note = f'<div class="note">{_e(row.note)}</div>' if row.note else ""
            parts.append(f"<tr><td>{_e(row.group)}</td><td>{_e(row.item)}</td>"
                         f'<td class="s s-{_e(row.status)}">{_e(row.status)}</td><td>{body}{note}</td></tr>')  # fmt: skip
        parts.append("</table></section>")
        crops.close()
    for path, error in failures:
        parts.append(f"<p>无法读取 {_e(path)}：{_e(error)}</p>")
    legend = "；".join(f"{_e(k)}：{_e(v)}" for k, v in STATUS_HELP.items())
    parts.append(f'<p class="legend">由 cnbudget 根据审核结果预填。{legend}。</p>')
    return page("公开情况检查表", parts, _CSS)


def render(
    reports: list[AuditReport], failures: list[tuple[str, str]], info: bool, suffix: str
) -> str | bytes:
    """`Renderer` of ``--format checklist``: a workbook for an ``.xlsx`` file, else a page."""
    if suffix == ".xlsx":
        return render_checklist_xlsx(reports, failures)
    return render_checklist_html(reports, failures)
