"""Throughput of the batch runner on real PDFs, and what it means for the whole country's output.

    python benchmarks/scale.py [--folder DIR] [--repeat 3] [--engine local|ray]

The documents: every PDF of tests/fixtures (the district final accounts, the national template, the
national documents kept as fixtures) unless --folder names another set. Each run reads, parses and audits
every document (`processing.check_or_fail`, what `cnbudget audit DIR` and `ingest` do; nothing is stored)
with 1 and with 2 workers, in a new process each time: worker processes of `library.batch.run` (``local``),
or Ray tasks of `library.cluster.run` on a Ray started for the run with 1 or 2 CPUs (``ray``; its start-up,
~3 s, is not counted: a cluster is started once for a whole national batch). Reported: documents per second
(median of --repeat runs), the scaling efficiency from 1 to 2 workers (the rate with 2 ÷ twice the rate
with 1; target ≥ 0.8), the CPU seconds per document (local: user + system of every process ÷ documents;
ray: the CPU time of the tasks themselves, measured in the workers), and from these how many cores a
million PDFs a day needs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from run import machine  # benchmarks/run.py: the same machine line in every benchmark

ROOT = Path(__file__).resolve().parent.parent
TARGET_EFFICIENCY = 0.8
SECONDS_PER_DAY = 86_400

_PROBE = """
import json, resource, sys, time
from pathlib import Path
from cnbudget.library import batch, cluster
from cnbudget.library.processing import Failure, check_or_fail

files = [[Path(p)] for p in json.loads(sys.argv[1])]
workers = int(sys.argv[2])
engine = sys.argv[3]


def died(parts):
    return Failure(str(parts[0]), "died")


def timed(parts):  # in the worker: the document's CPU time, whatever the engine around it
    start = time.process_time()
    return check_or_fail(parts), time.process_time() - start


def timed_died(parts):
    return died(parts), 0.0


if engine == "ray":
    cluster.connect(None, workers)  # started before the clock, as a cluster is for a whole batch
    runner = cluster.run(timed, files, timed_died)
else:
    runner = batch.run(timed, files, workers, timed_died)
start = time.perf_counter()
failed = 0
task_cpu = 0.0
for _, (outcome, cpu) in runner:
    failed += isinstance(outcome, Failure)
    task_cpu += cpu
elapsed = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
print(json.dumps({"seconds": elapsed, "cpu": task_cpu if engine == "ray" else cpu, "failed": failed}))
"""


def documents(folder: Path | None) -> list[Path]:
    if folder is not None:
        return sorted(folder.rglob("*.pdf"))
    return sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf")) + sorted(
        (ROOT / "tests" / "fixtures" / "national").glob("*.pdf")
    )


def probe(files: list[Path], workers: int, engine: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps([str(f) for f in files]), str(workers), engine],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    args = parser.parse_args()
    files = documents(args.folder)
    print(f"machine: {machine()}")
    print(f"command: {' '.join(sys.argv)}")
    print(
        f"{len(files)} PDF documents, read, parsed and audited ({args.engine}); medians of {args.repeat} runs"
    )
    rates: dict[int, float] = {}
    cpu_per_doc: dict[int, float] = {}
    for workers in (1, 2):
        runs = [probe(files, workers, args.engine) for _ in range(args.repeat)]
        seconds = statistics.median(r["seconds"] for r in runs)
        rates[workers] = len(files) / seconds
        cpu_per_doc[workers] = statistics.median(r["cpu"] for r in runs) / len(files)
        failed = int(max(r["failed"] for r in runs))
        print(f"  {workers} worker(s): {seconds:6.1f} s, {rates[workers]:5.2f} documents/s, "
              f"{cpu_per_doc[workers]:.2f} CPU s per document, {failed} unreadable")  # fmt: skip
    efficiency = rates[2] / (2 * rates[1])
    verdict = "met" if efficiency >= TARGET_EFFICIENCY else "NOT MET"
    print(f"scaling efficiency 1 → 2 workers: {efficiency:.2f} (target ≥ {TARGET_EFFICIENCY}: {verdict})")
    per_doc = max(cpu_per_doc.values())  # with workers: the results are sent back, and that costs CPU too
    cores = 1_000_000 * per_doc / SECONDS_PER_DAY
    print(f"a million PDFs a day at {per_doc:.2f} CPU s each (the larger of the two): {cores:,.1f} cores busy "
          f"all day, {cores / 0.8:,.1f} at 80% use — documents like these; scans read by OCR take ~25 s a page")  # fmt: skip


if __name__ == "__main__":
    main()
