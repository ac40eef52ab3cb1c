"""PDF benchmark: end-to-end read + parse + audit of a text PDF, and peak memory on a 200-page PDF.

    python benchmarks/pdf.py [--repeat N]

The test PDF is the real 30-page district final accounts in tests/fixtures/pdf; a 25-page file is cut
from it (pages 1–25) and a 200-page file is made by repeating its pages, both with pypdfium2. The real
budgets of 24–26 pages in tests/fixtures/corpus (Jiangsu and Shanghai) are timed the same way.
Targets (issue 4): under 0.6 s median for 25 pages; peak memory under 300 MB for 200 pages.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import machine  # benchmarks/run.py: the same machine line in every benchmark

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "fixtures" / "pdf" / "putuo-planning-resources-2024-final.pdf"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"


def _about_25_pages() -> list[Path]:
    import pypdfium2 as pdfium

    out = []
    for path in sorted(CORPUS.glob("*.pdf")):
        document = pdfium.PdfDocument(str(path))
        if 24 <= len(document) <= 26:
            out.append(path)
        document.close()
    return out


_MEMORY_PROBE = """
import resource, sys
import cnbudget
from cnbudget.audit import audit
report = audit(cnbudget.parse_file(sys.argv[1]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, len(report.findings))
"""


def _make(pages: int, target: Path) -> None:
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(SOURCE))
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        take = min(len(source), pages - len(out))
        out.import_pages(source, list(range(take)))
    out.save(str(target))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    import cnbudget
    from cnbudget.audit import audit

    print(f"machine: {machine()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "25-pages.pdf", Path(tmp) / "200-pages.pdf"
        _make(25, small)
        _make(200, large)
        timed = [(small, "25-page PDF"), (SOURCE, "30-page PDF (the real file)")]
        timed += [(p, p.stem[:30]) for p in _about_25_pages()]
        for path, label in timed:
            audit(cnbudget.parse_file(path))  # warm up imports
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                audit(cnbudget.parse_file(path))
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            verdict = "ok" if median < 0.6 else "NOT MET"
            print(
                f"{label:30} read+parse+audit median {median:.3f} s "
                f"(min {min(times):.3f}, max {max(times):.3f}, {args.repeat} runs); target < 0.6 s  {verdict}"
            )
        walls = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "cnbudget", "audit", str(small), "--fail-on", "never", "-f", "json"],
                check=True,
                capture_output=True,
            )
            walls.append(time.perf_counter() - start)
        print(f"{'CLI cnbudget audit, 25 pages':30} wall median {statistics.median(walls):.3f} s (5 runs)")
        probe = subprocess.run(
            [sys.executable, "-c", _MEMORY_PROBE, str(large)], check=True, capture_output=True, text=True
        )
        peak_mb, _ = probe.stdout.split()
        verdict = "ok" if int(peak_mb) < 300 else "NOT MET"
        print(f"{'200-page PDF':30} peak memory (max RSS) {peak_mb} MB; target < 300 MB  {verdict}")


if __name__ == "__main__":
    main()
