"""The lines every report carries: the review profile the audit followed (its name, hash, rules off), and
the document's template (which one, how sure, on what evidence). Plain text: each output escapes it."""

from __future__ import annotations

from cnbudget.audit import AuditReport
from cnbudget.domain.catalog import template_of
from cnbudget.domain.i18n import t
from cnbudget.model import Document


def profile_note(report: AuditReport) -> str:
    """Plain text (each output escapes it for its medium); empty when no profile was used."""
    profile = report.profile
    if profile is None:
        return ""
    off = [o.rule_id for o in report.outcomes if o.disabled]
    line = t(f"审核配置：{profile.label}", f"Review profile: {profile.label}")
    if off:
        line += t(
            f"；已停用 {len(off)} 条规则：{'、'.join(off)}", f"; {len(off)} rules disabled: {', '.join(off)}"
        )
    return line


_SURE = {
    "certain": ("确定", "certain"),
    "likely": ("较可能", "likely"),
    "uncertain": (
        "不确定：按通用格式审核，缺表只作提示",
        "uncertain: audited as the general format, missing tables only warned of",
    ),
}


def template_note(doc: Document) -> str:
    """Plain text (each output escapes it for its medium); empty when the document names no template."""
    meta = doc.metadata
    if not meta.template:
        return ""
    name = template_of(meta).name
    sure = _SURE.get(meta.template_confidence)
    line = t(f"公开模板：{name}", f"Template: {meta.template}")
    if sure is not None:
        line += t(f"（{sure[0]}", f" ({sure[1]}")
        if meta.template_evidence:
            line += t(f"；依据：{meta.template_evidence}", f"; evidence: {meta.template_evidence}")
        line += t("）", ")")
    return line
