"""Work for an instruction count: read, parse and audit the five seeds N times (after one warm-up round).

The VM's speed drifts; instruction counts do not. Compare two versions of the code with

    valgrind --tool=callgrind python benchmarks/instructions.py 0
    valgrind --tool=callgrind python benchmarks/instructions.py 3

The difference of the two "Collected" totals is the work of three rounds (5 parses + 5 audits each).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cnbudget.audit import audit
from cnbudget.parse import parse_file

SEEDS = sorted((Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "seeds").glob("0*.txt"))


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    for path in SEEDS:  # warm-up: imports, caches of the reference data
        audit(parse_file(path))
    started = time.perf_counter()
    for _ in range(rounds):
        for path in SEEDS:
            audit(parse_file(path))
    if rounds:
        print(f"{(time.perf_counter() - started) / rounds * 1000:.1f} ms per round")


if __name__ == "__main__":
    main()
