"""The fixed sets of values every layer speaks of, as `Literal` types with their Chinese labels.

One copy of each set and of each label map: the model's fields, the rules, the reports and the CLI all
take them from here, and mypy checks that a value used anywhere is one of the set. Labels are what a
reviewer reads (Chinese first); the values are the stable keys stored in the library and the JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, Final, Literal, get_args

from cnbudget.domain.i18n import Language, english, language

# ---- documents -------------------------------------------------------------------------------------
DocumentKind = Literal["budget", "final"]
DOCUMENT_KINDS: Final[tuple[DocumentKind, ...]] = get_args(DocumentKind)
KIND_LABELS: Final[dict[DocumentKind, str]] = {"budget": "预算", "final": "决算"}

Scope = Literal["department", "unit"]
SCOPES: Final[tuple[Scope, ...]] = get_args(Scope)
SCOPE_LABELS: Final[dict[Scope, str]] = {"department": "部门", "unit": "单位"}

Level = Literal["province", "city", "district"]
LEVELS: Final[tuple[Level, ...]] = get_args(Level)
LEVEL_LABELS: Final[dict[Level, str]] = {"province": "省级", "city": "市级", "district": "区县级"}

SourceFormat = Literal["text", "pdf", "xlsx", "xls", "docx", "html"]
TextLayout = Literal["tab", "pipe", "space"]
"""The dominant layout of a text conversion: tab-separated, Markdown pipe tables, or space-aligned."""
LineLayout = Literal["tab", "pipe", "text", "blank", "rule"]
"""One line of a source: cells (tab, pipe), plain text, blank, or a Markdown separator row (rule)."""

# ---- tables ----------------------------------------------------------------------------------------
TableKind = Literal["financial", "listing", "performance", "self_evaluation"]
TableShape = Literal["rows", "two_sided", "grouped", "single_row"]
TableLayout = Literal["cells", "tokens"]
"""How a table was read: from cell boundaries, or from space-separated tokens matched to the catalogue."""

TableStatus = Literal["ok", "partial", "unreliable", "failed"]
TABLE_STATUS_LABELS: Final[dict[TableStatus, str]] = {
    "ok": "完整",
    "partial": "部分读取",
    "unreliable": "读取不可信",
    "failed": "未能读取",
}
UNUSABLE_STATUSES: Final[tuple[TableStatus, ...]] = ("unreliable", "failed")
"""Tables read so badly that the audit runs no arithmetic on them."""

ColumnRole = Literal["value", "code", "label", "text", "ordinal", "unknown"]
Side = Literal["收入", "支出"]
SIDES: Final[tuple[Side, ...]] = get_args(Side)

RowKind = Literal["item", "total", "group"]
ROW_KIND_LABELS: Final[dict[RowKind, str]] = {"item": "明细行", "total": "合计行", "group": "分组行"}

ProjectLevel = Literal["project", "first_level", "unit", "category"]
GoalKind = Literal["long_term", "annual", "overall"]
EvaluationScope = Literal["department", "project"]

# ---- audit -----------------------------------------------------------------------------------------
Severity = Literal["error", "warning", "info"]
SEVERITIES: Final[tuple[Severity, ...]] = get_args(Severity)
SEVERITY_LABELS: Final[dict[Severity, str]] = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_RANK: Final[dict[Severity, int]] = {"info": 0, "warning": 1, "error": 2}
"""Order of severity: a finding reaches a threshold when its rank is at least the threshold's."""

Family = Literal[
    "completeness",
    "sums",
    "hierarchy",
    "cross_table",
    "narrative",
    "consistency",
    "duplicates",
    "performance",
    "text",
]
FAMILY_LABELS: Final[dict[Family, str]] = {
    "completeness": "完整性",
    "sums": "表内勾稽",
    "hierarchy": "科目层级",
    "cross_table": "表间勾稽",
    "narrative": "说明与报表一致",
    "consistency": "年份与名称",
    "duplicates": "重复",
    "performance": "绩效",
    "text": "文字质量",
}
FAMILIES: Final[tuple[Family, ...]] = get_args(Family)

Basis = Literal["identity", "regulation", "consistency"]
BASIS_LABELS: Final[dict[Basis, str]] = {
    "identity": "勾稽关系",
    "regulation": "公开规定",
    "consistency": "前后一致",
}

Phase = Literal["main", "after"]
"""When a rule runs: ``after`` rules read what the ``main`` rules recorded (the identities they checked)."""
PHASES: Final[tuple[Phase, ...]] = get_args(Phase)

RuleStatus = Literal["evaluated", "not_applicable", "not_evaluated"]
RULE_STATUS_LABELS: Final[dict[RuleStatus, str]] = {
    "evaluated": "已检查",
    "not_applicable": "不适用",
    "not_evaluated": "未能检查（数据缺失）",
}

EvidenceKind = Literal["cell", "claim", "row", "table", "line"]
EvidenceRole = Literal["", "total", "part", "copy", "claim", "suspect"]

# ---- library ---------------------------------------------------------------------------------------
IngestStatus = Literal["ingested", "new_version", "unchanged", "failed"]
INGEST_STATUS_LABELS: Final[dict[IngestStatus, str]] = {
    "ingested": "新入库",
    "new_version": "新版本",
    "unchanged": "未变",
    "failed": "失败",
}


# ---- the labels in English, for screens in English (`--lang en`) ------------------------------------
# The Chinese maps above stay what files (HTML, XLSX, the checklist) show; screens take the label in the run's
# language through the functions below.
KIND_LABELS_EN: Final[dict[DocumentKind, str]] = {"budget": "budget", "final": "final accounts"}
SCOPE_LABELS_EN: Final[dict[Scope, str]] = {"department": "department", "unit": "unit"}
LEVEL_LABELS_EN: Final[dict[Level, str]] = {"province": "province", "city": "city", "district": "district"}
TABLE_STATUS_LABELS_EN: Final[dict[TableStatus, str]] = {
    "ok": "complete",
    "partial": "partly read",
    "unreliable": "unreliable",
    "failed": "not read",
}
SEVERITY_LABELS_EN: Final[dict[Severity, str]] = {"error": "error", "warning": "warning", "info": "note"}
FAMILY_LABELS_EN: Final[dict[Family, str]] = {
    "completeness": "completeness",
    "sums": "sums within a table",
    "hierarchy": "code hierarchy",
    "cross_table": "tables against each other",
    "narrative": "narrative against tables",
    "consistency": "years and names",
    "duplicates": "duplicates",
    "performance": "performance",
    "text": "wording",
}
BASIS_LABELS_EN: Final[dict[Basis, str]] = {
    "identity": "accounting identity",
    "regulation": "disclosure rules",
    "consistency": "consistency",
}
RULE_STATUS_LABELS_EN: Final[dict[RuleStatus, str]] = {
    "evaluated": "checked",
    "not_applicable": "not applicable",
    "not_evaluated": "not checked (data missing)",
}


def _pick(zh: dict[Any, str], en: dict[Any, str], key: Any) -> str:
    return (en if english() else zh)[key]


# ---- the review team's work (the library's users, decisions, uploads and audit log) ------------------
Role = Literal["admin", "reviewer", "viewer"]
ROLES: Final[tuple[Role, ...]] = get_args(Role)
ROLE_LABELS: Final[dict[Role, str]] = {"admin": "管理员", "reviewer": "审核人", "viewer": "查阅人"}

ReviewStatus = Literal["pending", "in_review", "done"]
REVIEW_STATUSES: Final[tuple[ReviewStatus, ...]] = get_args(ReviewStatus)
REVIEW_LABELS: Final[dict[ReviewStatus, str]] = {"pending": "待审", "in_review": "审核中", "done": "已完成"}

Action = Literal["confirm", "dismiss", "reopen", "comment"]
ACTIONS: Final[tuple[Action, ...]] = get_args(Action)
ACTION_LABELS: Final[dict[Action, str]] = {
    "confirm": "确认",
    "dismiss": "驳回（误报）",
    "reopen": "重新打开",
    "comment": "评论",
}

FindingState = Literal["open", "confirmed", "dismissed"]
STATE_LABELS: Final[dict[FindingState, str]] = {"open": "待定", "confirmed": "已确认", "dismissed": "已驳回"}

UploadStatus = Literal["queued", "running", "ingested", "new_version", "unchanged", "failed"]
UPLOAD_LABELS: Final[dict[UploadStatus, str]] = {
    "queued": "排队中",
    "running": "处理中",
    "ingested": "已入库",
    "new_version": "新版本已入库",
    "unchanged": "已在库中（内容相同）",
    "failed": "失败",
}

EVENT_LABELS: Final[dict[str, str]] = {
    "login": "登录",
    "login_failed": "登录失败",
    "login_refused": "登录被限制",
    "logout": "退出",
    "upload": "上传",
    "decision": "审核意见",
    "review": "审核状态",
    "document": "修改文件信息",
    "delete": "删除",
    "reanalyse": "重新审核",
    "user": "用户管理",
    "password": "修改密码",
    "export": "导出",
}
"""Every action the audit log knows, with the words the administrator's page shows."""


def kind_label(kind: DocumentKind) -> str:
    return _pick(KIND_LABELS, KIND_LABELS_EN, kind)


def scope_label(scope: Scope) -> str:
    return _pick(SCOPE_LABELS, SCOPE_LABELS_EN, scope)


def level_label(level: Level) -> str:
    return _pick(LEVEL_LABELS, LEVEL_LABELS_EN, level)


def table_status_label(status: TableStatus) -> str:
    return _pick(TABLE_STATUS_LABELS, TABLE_STATUS_LABELS_EN, status)


def severity_label(severity: Severity) -> str:
    return _pick(SEVERITY_LABELS, SEVERITY_LABELS_EN, severity)


def family_label(family: Family) -> str:
    return _pick(FAMILY_LABELS, FAMILY_LABELS_EN, family)


def basis_label(basis: Basis) -> str:
    return _pick(BASIS_LABELS, BASIS_LABELS_EN, basis)


def rule_status_label(status: RuleStatus) -> str:
    return _pick(RULE_STATUS_LABELS, RULE_STATUS_LABELS_EN, status)


@cache
def _value_labels(lang: Language) -> dict[str, dict[str, str]]:
    english_labels = lang == "en"

    def pick(zh: dict[Any, str], en: dict[Any, str]) -> dict[str, str]:
        return dict(en if english_labels else zh)

    return {
        "scope": pick(SCOPE_LABELS, SCOPE_LABELS_EN),
        # a document's kind (预算/决算), or an organisation's (部门/单位)
        "kind": {**pick(KIND_LABELS, KIND_LABELS_EN), **pick(SCOPE_LABELS, SCOPE_LABELS_EN)},
        "level": pick(LEVEL_LABELS, LEVEL_LABELS_EN),
        "severity": pick(SEVERITY_LABELS, SEVERITY_LABELS_EN),
    }


def value_labeller() -> Callable[[str, object], object]:
    """A function giving a stored value of a library answer's column in the reader's language (budget →
    预算, error → 错误; other values as they are), the language looked up once for all the values it labels.
    Files for programs keep the stable English values; screens and reports for people use this."""
    labels = _value_labels(language())

    def label(column: str, value: object) -> object:
        if isinstance(value, str):
            found = labels.get(column)
            if found is not None:
                return found.get(value, value)
        return value

    return label


# ---- what changed between two versions of a document (cnbudget diff) ----------------------------------
ChangeKind = Literal["added", "removed", "changed", "unit", "column_added", "column_removed"]
CHANGE_LABELS: Final[dict[str, str]] = {
    "added": "新增", "removed": "删除", "changed": "修改", "unit": "金额单位改变", "column_added": "新增列",
    "column_removed": "删除列",
}  # fmt: skip
CHANGE_LABELS_EN: Final[dict[str, str]] = {
    "added": "added", "removed": "removed", "changed": "changed", "unit": "money unit changed",
    "column_added": "column added", "column_removed": "column removed",
}  # fmt: skip
FIELD_LABELS: Final[dict[str, str]] = {
    "title": "标题", "organisation": "单位名称", "department": "标题所列部门", "department_code": "部门编码",
    "fiscal_year": "年度", "kind": "预算/决算", "scope": "部门/单位", "level": "层级", "amount_unit": "金额单位",
    "unit_names": "所属单位", "unit_codes": "单位编码", "dates": "日期",
}  # fmt: skip
"""The document's metadata fields, as a comparison of two versions names them."""
FIELD_LABELS_EN: Final[dict[str, str]] = {
    "title": "title", "organisation": "organisation", "department": "department in the title",
    "department_code": "department code", "fiscal_year": "fiscal year", "kind": "budget or final",
    "scope": "department or unit", "level": "level", "amount_unit": "money unit", "unit_names": "units",
    "unit_codes": "unit codes", "dates": "dates",
}  # fmt: skip
FIGURE_LABELS: Final[dict[str, str]] = {
    "amount": "金额", "share_pct": "占比", "change_amount": "增减额", "change_pct": "增减率",
    "completion_pct": "完成率", "year": "年度", "compared_year": "比较年度",
}  # fmt: skip
"""The figures of a narrative claim."""
FIGURE_LABELS_EN: Final[dict[str, str]] = {
    "amount": "amount", "share_pct": "share", "change_amount": "change", "change_pct": "change rate",
    "completion_pct": "completion", "year": "year", "compared_year": "compared year",
}  # fmt: skip


def change_label(change: str) -> str:
    return (CHANGE_LABELS_EN if english() else CHANGE_LABELS).get(change, change)


def field_label(name: str) -> str:
    return (FIELD_LABELS_EN if english() else FIELD_LABELS).get(name, name)


def figure_label(name: str) -> str:
    return (FIGURE_LABELS_EN if english() else FIGURE_LABELS).get(name, name)
