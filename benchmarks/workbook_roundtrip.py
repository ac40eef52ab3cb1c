"""Do the tables of every fixture document read back the same from the workbook `parse -f xlsx` writes?

    python benchmarks/workbook_roundtrip.py [FILE_OR_FOLDER ...]

Default: the seeds, tests/fixtures/pdf, tests/fixtures/national and tests/fixtures/corpus. For each document:
parsed, written as a workbook, the workbook parsed; compared: every cell with an amount (table id, full code,
label — with the control characters a worksheet cannot hold left out —, column, amount), the table ids, and
the organisation, year, kind and scope. Each difference is printed with the first cell that differs.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from run import machine  # benchmarks/run.py: the same machine line in every benchmark

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def documents(args: list[str]) -> list[Path]:
    if not args:
        found = sorted((FIXTURES / "seeds").glob("*.txt"))
        for folder in ("pdf", "national", "corpus"):
            found += sorted((FIXTURES / folder).glob("*.pdf"))
        return found
    out: list[Path] = []
    for arg in map(Path, args):
        out += sorted(p for p in arg.rglob("*") if p.is_file()) if arg.is_dir() else [arg]
    return out


def main() -> None:
    from cnbudget.domain.errors import CnbudgetError
    from cnbudget.parse import parse_file
    from cnbudget.report.document.workbook import document_workbook, kept_amounts

    print(f"machine: {machine()}")
    print(f"command: {' '.join(sys.argv)}")
    same = differ = unreadable = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        target = Path(work) / "tables.xlsx"
        for path in documents(sys.argv[1:]):
            try:
                doc = parse_file(path)
            except CnbudgetError:
                unreadable += 1
                continue
            target.write_bytes(document_workbook(doc))
            back = parse_file(target)
            a, b = kept_amounts(doc), kept_amounts(back)
            ids = sorted(t.id for t in doc.tables) == sorted(t.id for t in back.tables)
            m, n = doc.metadata, back.metadata
            meta = (m.organisation, m.fiscal_year, m.kind, m.scope) == (
                n.organisation,
                n.fiscal_year,
                n.kind,
                n.scope,
            )
            if a == b and ids and meta:
                same += 1
                continue
            differ += 1
            first = next(((x, y) for x, y in zip(a, b, strict=False) if x != y), None)
            print(f"{path.name}: cells {'same' if a == b else 'differ'} ({len(a)} / {len(b)}), table ids "
                  f"{'same' if ids else 'differ'}, metadata {'same' if meta else 'differs'}; first: {first}")  # fmt: skip
            if not ids:
                print(f"    {sorted(t.id for t in doc.tables)}\n    {sorted(t.id for t in back.tables)}")
    print(f"{same + differ} documents ({unreadable} unreadable left out) in {time.perf_counter() - start:.0f} s: "
          f"{same} read back the same, {differ} differ")  # fmt: skip


if __name__ == "__main__":
    main()
