"""Mutation harness for the audit (run: python benchmarks/mutation.py [--per-kind N] [--seed S]).

For each seed document, perturbs N cells by a changed digit, N rows by exchanging their amounts with
another row of the table, and N rows by leaving them out; then reports, per seed and per kind, how many
perturbations that change some checked relation produce a new error-level finding naming the perturbed
table (target: at least 98 %). See `support.harness.mutation` for the definitions.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the harnesses: tests/support/harness
SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))


def main() -> int:
    from cnbudget import parse_file
    from support.harness.mutation import KINDS, mutate_document

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-kind", type=int, default=200, help="perturbations of each kind per seed")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (results are reproducible)")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    total_detected = total_scoped = 0
    print(f"{'seed':<28} {'digit':>11} {'swap':>11} {'drop':>11} {'all':>13}  out of scope  time")
    for path in SEEDS:
        start = time.perf_counter()
        summary = mutate_document(parse_file(path), per_kind=args.per_kind, seed=args.seed)
        cells = []
        for kind in KINDS:
            d, n = summary.rate(kind)
            cells.append(f"{d:>4}/{n:<4}" if n else "     -    ")
        d, n = summary.rate()
        total_detected, total_scoped = total_detected + d, total_scoped + n
        out = sum(1 for o in summary.outcomes if not o.in_scope)
        print(f"{path.name:<28} {cells[0]:>11} {cells[1]:>11} {cells[2]:>11} {d:>4}/{n:<4} {100 * d / n:5.1f}%"
              f"  {out:>12}  {time.perf_counter() - start:4.1f}s")  # fmt: skip
        if args.show_misses:
            for o in summary.outcomes:
                if o.in_scope and not o.detected:
                    print(f"    missed {o.kind}: {o.description}")
    print(
        f"{'all seeds':<28} {'':>35} {total_detected:>4}/{total_scoped:<4} {100 * total_detected / total_scoped:5.1f}%"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
