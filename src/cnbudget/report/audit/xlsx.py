"""Findings as a workbook for reviewers: one row per finding, with empty columns for their notes."""

from __future__ import annotations

from decimal import Decimal

from cnbudget.audit import AuditReport, Finding
from cnbudget.audit.registry import all_rules
from cnbudget.domain.i18n import t
from cnbudget.domain.vocabulary import FAMILY_LABELS, SEVERITY_LABELS
from cnbudget.report.audit.notes import profile_note
from cnbudget.report.kit.xlsx import Column, Sheet, to_bytes, workbook

_HEADERS = ("文件", "单位", "年度", "规则", "类别", "级别", "说明", "表", "行编码", "行名称", "列", "应为", "实为", "差额",
            "页码", "行号（文本）", "复核意见", "处理状态")  # fmt: skip


def _num(value: Decimal | None) -> float | str:
    return float(value) if value is not None else ""


def _message(finding: Finding) -> str:
    """The message, with the broken checks this finding explains listed under it."""
    if not finding.related:
        return finding.message
    lines = [finding.message, f"由此引起的 {len(finding.related)} 处不符："]
    lines += [f"· {r.rule_id}：{r.message}" for r in finding.related]
    return "\n".join(lines)


_COLUMNS = tuple(
    Column(heading, width, wrap=heading == "说明")
    for heading, width in zip(
        _HEADERS, (28, 22, 6, 18, 12, 6, 70, 6, 12, 20, 18, 12, 12, 10, 8, 12, 30, 12), strict=True
    )
)
_COVERAGE = tuple(
    Column(h, w)
    for h, w in (("文件", 28), ("规则", 18), ("说明", 50), ("状态", 16), ("原因", 50), ("发现数", 8))
)
_STATUS = {"evaluated": "已检查", "not_applicable": "不适用", "not_evaluated": "未能检查（数据缺失）"}


def render_xlsx(reports: list[AuditReport], failures: list[tuple[str, str]]) -> bytes:
    rules = {r.id: r for r in all_rules()}
    book = workbook()
    found = Sheet(book, "审核发现", _COLUMNS, rows=sum(len(r.findings) for r in reports) + len(failures))
    for report in reports:
        meta = report.document.metadata
        for f in report.findings:
            rule = rules.get(f.rule_id)
            found.append([
                meta.source_path, meta.department, meta.fiscal_year or "", f.rule_id,
                FAMILY_LABELS[rule.family] if rule else "", SEVERITY_LABELS[f.severity], _message(f), f.table, f.row_code,
                f.row_label, f.column, _num(f.expected), _num(f.actual), _num(f.difference),
                ",".join(str(n) for n in f.pages), ",".join(str(n) for n in f.lines), "", "",
            ], level=f.severity, filled=7)  # fmt: skip
    for path, error in failures:
        found.append([path, "", "", "", "", "错误", f"无法读取：{error}"])
    coverage = Sheet(book, "规则覆盖", _COVERAGE, rows=0)
    for report in reports:
        for o in report.outcomes:
            rule = rules.get(o.rule_id)
            coverage.append((report.document.metadata.source_path, o.rule_id, rule.description if rule else "",
                             t("已被审核配置停用", "disabled by the review profile") if o.disabled else _STATUS[o.status], o.reason, o.findings))  # fmt: skip
        if report.profile is not None:  # which practice the coverage above follows
            coverage.append((report.document.metadata.source_path, "", profile_note(report)))
    return to_bytes(book)


def render(reports: list[AuditReport], failures: list[tuple[str, str]], info: bool, suffix: str) -> bytes:
    """`Renderer` of ``--format xlsx``."""
    return render_xlsx(reports, failures)
