"""The line every report carries when the audit followed a review profile: its name, hash, rules off."""

from __future__ import annotations

from cnbudget.audit import AuditReport
from cnbudget.domain.i18n import t


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
