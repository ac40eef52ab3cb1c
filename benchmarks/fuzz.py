"""Fuzzing (run: python benchmarks/fuzz.py [--per-seed N] [--jobs 2]).

Damages each seed N times (a line deleted, duplicated, swapped, cut, a character replaced, text inserted;
a cell emptied, replaced, added or dropped — see `support.harness.fuzz`), parses and audits every damaged
copy, and counts crashes: anything but a report or a clear error (exit 70 on the command line). Target
(issue 12): 0 crashes. Prints each crash's damage, line and the end of its traceback.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the harnesses: tests/support/harness
SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))


def _run(job: tuple[Path, int, int]) -> tuple[str, int, list[tuple[str, int, str]], Counter[str]]:
    from support.harness.fuzz import fuzz

    path, count, seed = job
    outcomes = fuzz(path.read_text("utf-8"), str(path), count, seed)
    return (
        path.name,
        len(outcomes),
        [(o.damage, o.line, o.crash) for o in outcomes if not o.ok],
        Counter(o.damage for o in outcomes),
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-seed", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}; {args.per_seed} damaged copies per seed"
    )
    started = time.perf_counter()
    total = crashes = 0
    kinds: Counter[str] = Counter()
    chunks = 8
    jobs = [(p, args.per_seed // chunks, args.seed + k) for p in SEEDS for k in range(chunks)]
    with ProcessPoolExecutor(args.jobs) as pool:
        for name, count, crashed, counted in pool.map(_run, jobs):
            total += count
            crashes += len(crashed)
            kinds += counted
            for damage, line, tail in crashed:
                print(f"  CRASH {name} {damage} line {line}: {tail.splitlines()[-1] if tail else ''}")
    print(f"{total} damaged inputs ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print(f"crashes {crashes}; wall {time.perf_counter() - started:.0f} s with {args.jobs} workers; target 0: "
          + ("met" if crashes == 0 else "NOT met"))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
