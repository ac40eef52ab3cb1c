"""A review profile: a bureau's own practice, as a TOML file the audit follows.

    name = "某区财政局审核口径"
    description = "…"

    [rules]
    disable = ["TEXT-PUNCT-001", "NARR-*"]   # rule ids, or globs over them
    enable = ["NARR-AMOUNT-001"]             # taken back out of `disable`

    [severity]
    "XT-B11-B03" = "warning"                 # error, warning, info (or 错误, 警告, 提示); globs allowed
    "TEXT-*" = "info"

    [tolerance]
    rounding_factor = 1                      # × the rounding model's bound; 0: every difference an error
    max_tail = "0.05万元"                     # no rounding tail above this (元, 千元, 万元, 亿元; a bare number is 元)
    declared_tails = true                    # honour a table note declaring 尾数误差

Every mistake is a `UsageError` naming the file, the line and the key, never a traceback. The profile is a
value (`AuditProfile`) handed to `audit()`, so the library, the command line and a web front end apply the
same practice; the report records which profile was used (its name and the SHA-256 of the file).
"""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import Rule, all_rules
from cnbudget.audit.tolerance import DEFAULT_TOLERANCE, Tolerance
from cnbudget.domain.errors import UsageError
from cnbudget.domain.i18n import t
from cnbudget.domain.numbers import YUAN_PER_UNIT, convert
from cnbudget.domain.vocabulary import SEVERITIES, SEVERITY_LABELS, SEVERITY_RANK, Severity

MAX_PROFILE_BYTES = 1 << 20
"""A profile is a few dozen lines; anything larger is not one."""

_SECTIONS: dict[str, tuple[str, ...]] = {
    "rules": ("disable", "enable"),
    "tolerance": ("rounding_factor", "max_tail", "declared_tails"),
}
_TOP = ("name", "description", "rules", "severity", "tolerance")
_SEVERITY_NAMES: dict[str, Severity] = {
    **{s: s for s in SEVERITIES},
    **{label: s for s, label in SEVERITY_LABELS.items()},
}
_MONEY = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(元|千元|万元|亿元)?\s*$")


@dataclass(frozen=True, slots=True, eq=False)
class AuditProfile:
    """What a review changes in the built-in audit: rules off, other severities, the rounding accepted."""

    name: str = ""
    description: str = ""
    source: str = ""
    """The file the profile was read from."""
    sha256: str = ""
    """The SHA-256 of that file: which version of the practice a report followed."""
    disabled: frozenset[str] = frozenset()
    """Ids of the rules that are not run."""
    severities: Mapping[str, Severity] = field(default_factory=dict)
    """Rule id → the level its findings are reported at."""
    tolerance: Tolerance = DEFAULT_TOLERANCE

    def enabled(self, rule_id: str) -> bool:
        return rule_id not in self.disabled

    def severity_of(self, rule: Rule) -> Severity:
        """The level the rule reports at under this profile."""
        return self.severities.get(rule.id, rule.severity)

    def adjust(self, finding: Finding, rule: Rule) -> None:
        """Report a finding of ``rule`` at the profile's level: a finding at the rule's own level takes the
        new level; a lower one (a rounding tail reported as 提示) stays, but none is above the new level."""
        level = self.severities.get(rule.id)
        if level is None:
            return
        if finding.severity == rule.severity or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[level]:
            finding.severity = level

    @property
    def label(self) -> str:
        """How a report names it: the profile's name (or file) and the start of its hash."""
        return f"{self.name or Path(self.source).name} ({self.sha256[:12]})" if self.sha256 else self.name

    def as_dict(self) -> dict[str, Any]:
        """For JSON reports: stable English keys."""
        return {
            "name": self.name,
            "description": self.description,
            "path": self.source,
            "sha256": self.sha256,
            "disabled": sorted(self.disabled),
            "severity": dict(sorted(self.severities.items())),
            "tolerance": {
                "rounding_factor": str(self.tolerance.rounding_factor),
                "max_tail_yuan": None
                if self.tolerance.max_tail_yuan is None
                else str(self.tolerance.max_tail_yuan),
                "declared_tails": self.tolerance.declared_tails,
            },
        }


def load_profile(path: str | Path) -> AuditProfile:
    """Read and check a profile file; a `UsageError` names the file, line and key of any mistake."""
    name = str(path)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_PROFILE_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(t("审核配置文件不存在", "no such profile file"), name, setting="profile") from None
    except IsADirectoryError:
        raise UsageError(t("这是文件夹，不是审核配置文件", "a folder, not a profile file"), name) from None
    except OSError as exc:
        raise UsageError(t(f"无法读取审核配置：{exc.strerror or exc}", f"cannot read the profile: {exc.strerror or exc}"), name) from None  # fmt: skip
    if len(data) > MAX_PROFILE_BYTES:
        raise UsageError(t("审核配置文件过大（超过 1 MB），不像是审核配置", "the profile is larger than 1 MB: not a profile"), name)  # fmt: skip
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UsageError(
            t("审核配置须为 UTF-8 编码的 TOML", "a profile is TOML in UTF-8"), name, line
        ) from None
    return parse_profile(text, name, hashlib.sha256(data).hexdigest())


def parse_profile(text: str, source: str = "<profile>", sha256: str = "") -> AuditProfile:
    """A profile from its TOML text (``source`` names it in messages)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        line = int(found.group(1)) if found else None
        column = f"，第 {found.group(2)} 列" if found else ""
        column_en = f", column {found.group(2)}" if found else ""
        raise UsageError(
            t(f"不是有效的 TOML{column}：{message}", f"not valid TOML{column_en}: {message}"), source, line
        ) from None
    checker = _Checker(text, source)
    checker.keys(raw, _TOP, "")
    rules = {r.id: r for r in all_rules()}
    name = checker.string(raw, "name")
    description = checker.string(raw, "description")
    section = checker.table(raw, "rules")
    checker.keys(section, _SECTIONS["rules"], "rules")
    disable = checker.patterns(section, "disable", rules)
    enable = checker.patterns(section, "enable", rules)
    disabled = frozenset(rule_id for pattern in disable for rule_id in _matching(pattern, rules)) - frozenset(
        rule_id for pattern in enable for rule_id in _matching(pattern, rules)
    )
    severities = checker.severities(checker.table(raw, "severity"), rules)
    section = checker.table(raw, "tolerance")
    checker.keys(section, _SECTIONS["tolerance"], "tolerance")
    tolerance = Tolerance(
        rounding_factor=checker.factor(section),
        max_tail_yuan=checker.money(section),
        declared_tails=checker.boolean(section, "declared_tails", True),
    )
    return AuditProfile(name, description, source, sha256, disabled, severities, tolerance)


def _matching(pattern: str, rules: Mapping[str, Rule]) -> list[str]:
    if any(c in pattern for c in "*?["):
        return [rule_id for rule_id in rules if fnmatch.fnmatchcase(rule_id, pattern)]
    return [pattern] if pattern in rules else []


class _Checker:
    """Reads one part of the profile after another; the first mistake stops with its file, line and key."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source

    def fail(self, key: str, zh: str, en: str, needle: str = "") -> UsageError:
        return UsageError(t(f"“{key}”：{zh}", f"'{key}': {en}"), self.source, self.line_of(needle or key))

    def line_of(self, needle: str) -> int | None:
        """The first line that mentions ``needle`` (a key's last part, or a value), after its section."""
        parts = needle.split(".")
        start = 0
        if len(parts) > 1:  # look for the key inside its [section]
            header = re.compile(rf"^\s*\[\s*{re.escape(parts[0])}\s*\]")
            start = next((i for i, line in enumerate(self.lines) if header.match(line)), 0)
            needle = parts[-1]
        for number, line in enumerate(self.lines[start:], start + 1):
            if needle in line:
                return number
        return None

    def keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], section: str) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
                where = f"{section}.{key}" if section else key
                hint_zh = f"，是否想写“{close[0]}”？" if close else f"；可用：{'、'.join(allowed)}"
                hint_en = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(allowed)}"
                raise self.fail(where, f"未知的设置{hint_zh}", f"unknown setting{hint_en}")

    def string(self, table: Mapping[str, Any], key: str) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            raise self.fail(key, "应为文字（加引号）", "must be text (in quotes)")
        return value

    def table(self, raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = raw.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, f"应为一节 [{key}]", f"must be a section [{key}]")
        return value

    def patterns(self, section: Mapping[str, Any], key: str, rules: Mapping[str, Rule]) -> list[str]:
        where = f"rules.{key}"
        value = section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, '应为规则编号的列表，如 ["TEXT-PUNCT-001", "NARR-*"]',
                            'must be a list of rule ids, e.g. ["TEXT-PUNCT-001", "NARR-*"]')  # fmt: skip
        out = []
        for item in value:
            pattern = item.strip().upper()
            if not _matching(pattern, rules):
                raise self.unknown_rule(where, item, rules)
            out.append(pattern)
        return out

    def unknown_rule(self, where: str, item: str, rules: Mapping[str, Rule]) -> UsageError:
        pattern = item.strip().upper()
        candidates = list(rules) + sorted({rule_id.split("-", 1)[0] + "-*" for rule_id in rules})
        close = difflib.get_close_matches(pattern, candidates, n=3, cutoff=0.5)
        glob = any(c in pattern for c in "*?[")
        zh = ("通配符不匹配任何规则" if glob else "没有这条规则") + (f"；相近的有：{'、'.join(close)}" if close else "；`cnbudget rules` 列出全部规则")  # fmt: skip
        en = ("the pattern matches no rule" if glob else "no such rule") + (f"; closest: {', '.join(close)}" if close else "; `cnbudget rules` lists them all")  # fmt: skip
        return self.fail(f"{where} {item}", zh, en, item)

    def severities(self, section: Mapping[str, Any], rules: Mapping[str, Rule]) -> dict[str, Severity]:
        globbed: dict[str, Severity] = {}
        exact: dict[str, Severity] = {}
        for key, value in section.items():
            pattern = key.strip().upper()
            ids = _matching(pattern, rules)
            if not ids:
                raise self.unknown_rule("severity", key, rules)
            level = _SEVERITY_NAMES.get(value.strip().lower() if isinstance(value, str) else "")
            if level is None:
                shown = value if isinstance(value, str) else repr(value)
                raise self.fail(
                    f"severity.{key}",
                    f"未知的级别“{shown}”；可用：error（错误）、warning（警告）、info（提示）",
                    f"unknown severity '{shown}'; use error, warning or info",
                    key,
                )
            target = globbed if any(c in pattern for c in "*?[") else exact
            target.update(dict.fromkeys(ids, level))
        return {**globbed, **exact}  # a rule named by its id wins over a pattern

    def factor(self, section: Mapping[str, Any]) -> Decimal:
        value = section.get("rounding_factor", 1)
        number = _decimal(value)
        if number is None or number < 0 or number > 100:
            raise self.fail("tolerance.rounding_factor", "应为 0 到 100 之间的数（1 即四舍五入模型本身，0 不容许任何尾差）",
                            "must be a number from 0 to 100 (1 is the rounding model, 0 accepts no tail)")  # fmt: skip
        return number

    def money(self, section: Mapping[str, Any]) -> Decimal | None:
        if "max_tail" not in section:
            return None
        value = section["max_tail"]
        number = _decimal(value) if not isinstance(value, str) else None
        unit = "元"
        if isinstance(value, str) and (found := _MONEY.match(value)):
            number, unit = Decimal(found.group(1)), found.group(2) or "元"
        if number is None or number < 0 or unit not in YUAN_PER_UNIT:
            raise self.fail("tolerance.max_tail", '应为金额，如 "0.05万元"、"500元" 或 500（元）',
                            'must be an amount such as "0.05万元", "500元" or 500 (元)')  # fmt: skip
        return convert(number, unit, "元")

    def boolean(self, section: Mapping[str, Any], key: str, default: bool) -> bool:
        value = section.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"tolerance.{key}", "应为 true 或 false", "must be true or false")
        return value


def _decimal(value: object) -> Decimal | None:
    """A TOML number (a float read through its shortest text: 0.1 is 0.1), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
