"""Library benchmark: ingest a synthetic corpus, then time the questions (run: python benchmarks/library.py).

    python benchmarks/library.py [--documents 10000] [--jobs 2] [--repeat 21] [--work DIR] [--db URL]

Measures
  * ingest throughput: `cnbudget ingest CORPUS --jobs 2` wall time (a new process, text inputs);
  * database size on disk (SQLite: the file and its WAL);
  * latency of compare / history / execution / findings through the Python API on the filled
    library, median of N runs each (a warm process: what a server or notebook pays per question).
Target: under 100 ms per question on SQLite at 10,000 documents.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import TEMPLATES, department_name, generate  # noqa: E402
from run import machine  # noqa: E402

TARGET_MS = 100.0


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def _time(call, repeat: int) -> float:  # type: ignore[no-untyped-def]
    call()  # first call warms caches (imports, statement compilation)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--work", type=Path, help="keep the corpus and library here (default: a temp dir)")
    parser.add_argument("--db", help="a database URL instead of an SQLite file in the work folder")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="cnbudget-bench-"))
    corpus = work / "corpus"
    if not corpus.exists():
        started = time.perf_counter()
        generate(corpus, args.documents)
        print(f"corpus: {args.documents} documents in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    db_file = work / "library.db"
    db = args.db or str(db_file)
    if not args.db and db_file.exists():
        for stale in work.glob("library.db*"):
            stale.unlink()
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cnbudget.cli.app",
            "ingest",
            str(corpus),
            "--db",
            db,
            "--jobs",
            str(args.jobs),
            "-q",
        ],
        check=False,
    )
    elapsed = time.perf_counter() - started

    from cnbudget.library import questions as q
    from cnbudget.store.database import open_database

    engine = open_database(db, create=False)
    with engine.connect() as conn:
        from sqlalchemy import func, select

        from cnbudget.store import schema

        documents = conn.execute(select(func.count()).select_from(schema.documents)).scalar() or 0
        facts = conn.execute(select(func.count()).select_from(schema.facts)).scalar() or 0
    org = TEMPLATES[0].full.format(name=department_name(0))  # department 0 has budgets and final accounts
    timings = {
        "compare 2024 budget, 5 metrics": lambda: q.compare(engine, 2024),
        "compare 2024 final, function:206": lambda: q.compare(engine, 2024, ["function:206"], kind="final"),
        "history (one organisation)": lambda: q.history(engine, org),
        "execution (one organisation, 2024)": lambda: q.execution(engine, org, 2024),
        "findings --severity error --year 2024 (--limit 100)": lambda: q.findings(
            engine, severity="error", year=2024, limit=100
        ),
    }
    print(f"machine: {machine()}")
    print(f"documents in library: {documents}, facts: {facts}")
    print(f"ingest: {args.documents} documents in {elapsed:.1f} s = {args.documents / elapsed:.1f} documents/s "
          f"with --jobs {args.jobs}")  # fmt: skip
    if not args.db:
        print(
            f"database size: {_size(db_file) / 1e6:.0f} MB ({_size(db_file) / max(documents, 1) / 1e3:.0f} kB/document)"
        )
    for name, call in timings.items():
        ms = _time(call, args.repeat)
        print(
            f"{name}: median {ms:.1f} ms over {args.repeat} runs ({'met' if ms < TARGET_MS else 'NOT met'})"
        )
    engine.dispose()
    if not args.work:
        print(f"(work folder {work} kept for inspection; delete it when done)", file=sys.stderr)


if __name__ == "__main__":
    main()
