"""Write (or check) the behaviour snapshot of the seeds and PDF fixtures: facts and audit findings.

A refactoring must leave what cnbudget reads and reports unchanged; `tests/system/test_golden.py` compares
today's output with the files written here. When a change is meant to alter the output (a parser fix, a
new rule), run `python tools/golden.py` and review the diff of tests/fixtures/golden/ like any change.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
INPUTS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("0*.txt")) + [
    ROOT / "tests" / "fixtures" / "pdf" / "putuo-planning-resources-2024-final.pdf",
    ROOT / "tests" / "fixtures" / "pdf" / "national-final-accounts-template.pdf",
]


def snapshot(path: Path) -> dict[str, object]:
    import cnbudget
    from cnbudget.audit import audit

    try:
        from cnbudget.model import facts_csv  # type: ignore[attr-defined]
    except ImportError:
        from cnbudget.report.document.facts import facts_csv

    doc = cnbudget.parse_file(path)
    report = audit(doc)
    meta = doc.metadata
    return {
        "metadata": {
            "department": meta.department,
            "fiscal_year": meta.fiscal_year,
            "kind": meta.kind,
            "scope": meta.scope,
            "amount_unit": meta.amount_unit,
        },
        "facts": facts_csv(doc).splitlines(),
        "findings": [
            {
                "rule": f.rule_id,
                "severity": f.severity,
                "table": f.table,
                "row": f"{f.row_code} {f.row_label}".strip(),
                "column": f.column,
                "expected": None if f.expected is None else str(f.expected),
                "actual": None if f.actual is None else str(f.actual),
                "lines": f.lines,
                "pages": f.pages,
                "message": f.message,
                **(
                    {"related": [f"{r.rule_id} {r.severity}: {r.message}" for r in f.related]}
                    if f.related
                    else {}
                ),
            }
            for f in report.findings
        ],
        "outcomes": sorted(f"{o.rule_id} {o.status}" for o in report.outcomes),
    }


def golden_path(path: Path) -> Path:
    return GOLDEN / (path.stem.split("_")[0] + ".json")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="compare instead of writing; exit 1 on a difference"
    )
    args = parser.parse_args()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    differ = 0
    for path in INPUTS:
        text = json.dumps(snapshot(path), ensure_ascii=False, indent=1) + "\n"
        target = golden_path(path)
        if args.check:
            if not target.exists() or target.read_text("utf-8") != text:
                print(f"differs: {path.name}")
                differ += 1
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
