"""Generate docs/rules.md from the rule registry (development tool).

python tools/generate_rules_doc.py          # rewrite the catalog
python tools/generate_rules_doc.py --check  # exit 1 when docs/rules.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def render() -> str:
    from cnbudget.audit.registry import all_rules
    from cnbudget.domain.vocabulary import BASIS_LABELS, FAMILIES, FAMILY_LABELS, KIND_LABELS, SEVERITY_LABELS

    rules = all_rules()
    lines = [
        "# Audit rules",
        "",
        f"Generated from the rule registry by `python tools/generate_rules_doc.py`; {len(rules)} rules.",
        "`cnbudget rules` prints the same catalog. Severity is the most severe level a rule reports: sum and",
        "reconciliation rules also report rounding tails (尾差) as `info`.",
        "",
        "## Severity policy (级别)",
        "",
        "| level | when | examples |",
        "|---|---|---|",
        "| **error** 错误 | a figure or a statement is wrong: the document says something the figures prove false |"
        " a sum that does not add up beyond rounding; a narrative amount that differs from its table; "
        "“决算数大于预算数” when it is smaller; a rate that does not follow from its amounts; a wrong year |",
        "| **warning** 警告 | probably wrong, or a defect of the text that needs a look; the reviewer decides |"
        " a rate that only a truncated (not rounded) figure explains; a doubled full stop; a bracket left open; "
        "template words (“增加（减少）”); an empty table without its note; a table read too badly to check |",
        "| **info** 提示 | rounding tails and accepted conventions: nothing to correct |"
        " a sum off by the rounding of its parts (尾差); “增长100%” from a zero base; 0/0 completion |",
        "",
        "A rule's severity below is the most severe level it reports; a finding's message says why it has its",
        "level when a rule reports several. A finding resting on OCR or on a table read unreliably also carries",
        "`needs_review`. A broken check explained by one mistyped cell is listed under that cell's finding",
        "(SUM-LOCATE-001), not reported again.",
        "",
        "Each rule is one decorated function in `src/cnbudget/audit/rules/` (see docs/architecture.md); its",
        "cases are in `tests/audit/rules/test_<family>.py`.",
        "",
    ]
    for family in FAMILIES:
        members = [r for r in rules if r.family == family]
        if not members:
            continue
        lines += [
            f"## {FAMILY_LABELS[family]} ({family})",
            "",
            "| id | severity | documents | tables | basis | checks |",
            "|---|---|---|---|---|---|",
        ]
        for r in members:
            kinds = ", ".join(r.kinds)
            tables = ", ".join(r.tables) or "—"
            lines.append(
                f"| [`{r.id}`](#{r.id.lower()}) | {r.severity} | {kinds} | {tables} | {r.basis} | {r.description} |"
            )
        lines.append("")
        for r in members:
            kinds = "、".join(KIND_LABELS[k] for k in r.kinds)
            lines += [
                f"### {r.id}",
                "",
                f"{r.description}（{SEVERITY_LABELS[r.severity]} · {kinds} · {BASIS_LABELS[r.basis]}"
                + (f" · 需要 {'、'.join(r.tables)}" if r.tables else "")
                + ("，在其他规则之后运行" if r.phase == "after" else "")
                + "）",
                "",
                f"- **依据**：{r.basis_text()}",
                *[f"  - {c.title}：{'“' + c.text + '”' if c.quoted else c.text}" for c in r.cites],
                f"- **为什么**：{r.rationale}",
                f"- **审核与更正**：{r.fix}",
                "",
            ]
    return "\n".join(lines)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not PATH.exists() or PATH.read_text("utf-8") != text:
            sys.stderr.write(f"{PATH} is out of date: run python tools/generate_rules_doc.py\n")
            return 1
        return 0
    PATH.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
