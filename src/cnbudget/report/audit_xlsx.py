"""Findings as a workbook for reviewers: one row per finding, with empty columns for their notes."""

from __future__ import annotations

import io
from decimal import Decimal

from cnbudget.audit import AuditReport, Finding
from cnbudget.audit.registry import all_rules
from cnbudget.domain.escape import text_cells
from cnbudget.domain.i18n import t
from cnbudget.domain.vocabulary import FAMILY_LABELS
from cnbudget.report.profile_note import profile_note

_HEADERS = ("文件", "单位", "年度", "规则", "类别", "级别", "说明", "表", "行编码", "行名称", "列", "应为", "实为", "差额",
            "页码", "行号（文本）", "复核意见", "处理状态")  # fmt: skip
_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}


def _num(value: Decimal | None) -> float | str:
    return float(value) if value is not None else ""


def _message(finding: Finding) -> str:
    """The message, with the broken checks this finding explains listed under it."""
    if not finding.related:
        return finding.message
    lines = [finding.message, f"由此引起的 {len(finding.related)} 处不符："]
    lines += [f"· {r.rule_id}：{r.message}" for r in finding.related]
    return "\n".join(lines)


def render_xlsx(reports: list[AuditReport], failures: list[tuple[str, str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    rules = {r.id: r for r in all_rules()}
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    ws = wb.create_sheet("审核发现")
    ws.append(_HEADERS)
    fills = {
        "error": PatternFill("solid", fgColor="FFE0E0"),
        "warning": PatternFill("solid", fgColor="FFF4CC"),
    }
    for report in reports:
        meta = report.document.metadata
        for f in report.findings:
            rule = rules.get(f.rule_id)
            ws.append([
                meta.source_path, meta.department, meta.fiscal_year or "", f.rule_id,
                FAMILY_LABELS[rule.family] if rule else "", _LABEL[f.severity], _message(f), f.table, f.row_code,
                f.row_label, f.column, _num(f.expected), _num(f.actual), _num(f.difference),
                ",".join(str(n) for n in f.pages), ",".join(str(n) for n in f.lines), "", "",
            ])  # fmt: skip
            if f.severity in fills:
                for cell in ws[ws.max_row][:7]:
                    cell.fill = fills[f.severity]
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = (28, 22, 6, 18, 12, 6, 70, 6, 12, 20, 18, 12, 12, 10, 8, 12, 30, 12)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=7):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions

    cov = wb.create_sheet("规则覆盖")
    cov.append(("文件", "规则", "说明", "状态", "原因", "发现数"))
    status = {"evaluated": "已检查", "not_applicable": "不适用", "not_evaluated": "未能检查（数据缺失）"}
    for report in reports:
        for o in report.outcomes:
            rule = rules.get(o.rule_id)
            cov.append((report.document.metadata.source_path, o.rule_id, rule.description if rule else "",
                        t("已被审核配置停用", "disabled by the review profile") if o.disabled else status[o.status], o.reason, o.findings))  # fmt: skip
        if report.profile is not None:  # which practice the coverage above follows
            cov.append((report.document.metadata.source_path, "", profile_note(report)))
    cov.freeze_panes = "A2"
    for path, error in failures:
        ws.append([path, "", "", "", "", "错误", f"无法读取：{error}"])
    text_cells(wb)  # a label like =HYPERLINK(…) stays text
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
