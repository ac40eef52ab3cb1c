"""Benchmarks for cnbudget (run: python benchmarks/run.py [--repeat N]).

Measures
  * in-process parse time per seed document (read + parse, warm), median of N runs;
  * wall time of the whole CLI call `cnbudget facts <largest seed>` (new process each run), median of N runs.
  * the audit of a parsed document (all rules), median of N runs.
Targets: median parse under 30 ms per seed; whole CLI call under 0.5 s; audit under 20 ms per document.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
PARSE_TARGET_MS = 30.0
AUDIT_TARGET_MS = 20.0
CLI_TARGET_S = 0.5


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def bench_parse(repeat: int) -> list[dict[str, object]]:
    from cnbudget.parse import parse_source
    from cnbudget.read import read_path

    results = []
    for path in SEEDS:
        parse_source(read_path(path))  # warm caches (catalog, code lists, compiled patterns)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            parse_source(read_path(path))
            times.append((time.perf_counter() - start) * 1000)
        results.append(
            {
                "seed": path.name,
                "bytes": path.stat().st_size,
                "median_ms": round(statistics.median(times), 2),
                "min_ms": round(min(times), 2),
                "max_ms": round(max(times), 2),
            }
        )
    return results


def bench_audit(repeat: int) -> list[dict[str, object]]:
    from cnbudget.audit import audit
    from cnbudget.parse import parse_source
    from cnbudget.read import read_path

    results = []
    for path in SEEDS:
        doc = parse_source(read_path(path))
        audit(doc)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            audit(doc)
            times.append((time.perf_counter() - start) * 1000)
        results.append(
            {
                "seed": path.name,
                "median_ms": round(statistics.median(times), 2),
                "max_ms": round(max(times), 2),
            }
        )
    return results


def bench_cli(repeat: int) -> dict[str, object]:
    largest = max(SEEDS, key=lambda p: p.stat().st_size)
    command = [sys.executable, "-m", "cnbudget", "facts", str(largest)]
    subprocess.run(command, capture_output=True, check=True)  # warm the page cache and .pyc files
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return {
        "command": "cnbudget facts " + str(largest.relative_to(ROOT)),
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=31, help="runs per measurement (default 31)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    parse = bench_parse(args.repeat)
    print(
        f"\nin-process parse (read + parse), median of {args.repeat} runs; target < {PARSE_TARGET_MS:.0f} ms"
    )
    for r in parse:
        flag = "ok" if float(r["median_ms"]) < PARSE_TARGET_MS else "NOT MET"  # type: ignore[arg-type]
        print(f"  {r['seed']:<28} {r['bytes']:>7} B  median {r['median_ms']:>6} ms"
              f"  (min {r['min_ms']}, max {r['max_ms']})  {flag}")  # fmt: skip
    total = sum(float(r["median_ms"]) for r in parse)  # type: ignore[arg-type]
    print(f"  throughput: {len(parse) / (total / 1000):.1f} documents/s (sum of medians {total:.1f} ms)")
    audits = bench_audit(args.repeat)
    print(
        f"\naudit of a parsed document (all rules), median of {args.repeat} runs; target < {AUDIT_TARGET_MS:.0f} ms"
    )
    for r in audits:
        flag = "ok" if float(r["median_ms"]) < AUDIT_TARGET_MS else "NOT MET"  # type: ignore[arg-type]
        print(f"  {r['seed']:<28} median {r['median_ms']:>6} ms  (max {r['max_ms']})  {flag}")
    cli = bench_cli(max(5, args.repeat // 2))
    flag = "ok" if float(cli["median_s"]) < CLI_TARGET_S else "NOT MET"  # type: ignore[arg-type]
    print(f"\nCLI wall time: {cli['command']}\n  median {cli['median_s']} s (min {cli['min_s']}, max {cli['max_s']})"
          f"; target < {CLI_TARGET_S} s  {flag}")  # fmt: skip
    if args.json:
        args.json.write_text(
            json.dumps({"machine": machine(), "parse": parse, "audit": audits, "cli": cli}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
