"""Web benchmark: server time of a document page with 500 findings (target: under 200 ms), and with
--browser the time to its first screen in Chromium (target: under 1 s).

    python benchmarks/web_page.py [--repeat N] [--findings N] [--browser]

The real district final accounts in tests/fixtures/pdf is ingested into a fresh SQLite library; its
findings (13) are repeated with new keys until the document has --findings of them (100), and half of
them get a decision, so the page shows the trail too. The page is requested in-process (FastAPI's
TestClient: routing, queries, template) after one warm-up; the time printed is the median of --repeat.
The page shows its first hundred findings (the rest a page further, or by filter). With --browser the app
is served by Uvicorn on 127.0.0.1 and Chromium (Playwright) opens the page --repeat times: first
contentful paint and the time until the first finding is on screen, medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from run import machine

PAGE_SIZE = 100
"""Findings on the first page of a document (web/pages.py PAGE_SIZE)."""

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "tests" / "fixtures" / "pdf" / "putuo-planning-resources-2024-final.pdf"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--findings", type=int, default=500)
    parser.add_argument("--browser", action="store_true", help="also time the first screen in Chromium")
    args = parser.parse_args()

    from fastapi.testclient import TestClient
    from sqlalchemy import insert, select

    from cnbudget.library.accounts import add_user
    from cnbudget.library.ingestion import ingest
    from cnbudget.library.review import decide
    from cnbudget.store import schema
    from cnbudget.store.database import open_database
    from cnbudget.web.app import create_app
    from cnbudget.web.config import WebConfig

    folder = Path(tempfile.mkdtemp(prefix="cnbudget-web-bench-"))
    db = str(folder / "library.db")
    engine = open_database(db)
    summary = ingest(engine, [PDF], jobs=1)
    with engine.connect() as conn:
        document_id = conn.execute(select(schema.documents.c.id)).scalar_one()
    user = add_user(engine, "bench", "benchmark password", "reviewer")
    with engine.begin() as conn:
        rows = [
            dict(r._mapping)
            for r in conn.execute(select(schema.findings).where(schema.findings.c.document_id == document_id))
        ]
        extra = []
        k = 0
        while len(rows) + len(extra) < args.findings:
            row = dict(rows[k % len(rows)])
            row.pop("id")
            row["finding_key"] = f"bench{k:027d}"
            extra.append(row)
            k += 1
        if extra:
            conn.execute(insert(schema.findings), extra)
        ids = [
            r[0]
            for r in conn.execute(
                select(schema.findings.c.id).where(schema.findings.c.document_id == document_id)
            )
        ]
    for n, finding_id in enumerate(ids[::2]):
        decide(
            engine, document_id, finding_id, user.id, "dismiss" if n % 2 else "comment", "基准测试的审核意见"
        )
    engine.dispose()
    assert summary.ingested, summary

    app = create_app(WebConfig(db=db, storage=folder / "files"))
    with TestClient(app) as client:
        client.post("/api/v1/login", json={"username": "bench", "password": "benchmark password"})
        page = client.get(f"/documents/{document_id}")
        shown = page.text.count('<article class="finding')
        assert page.status_code == 200 and shown == min(len(ids), PAGE_SIZE), (
            page.status_code,
            shown,
            len(ids),
        )
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            client.get(f"/documents/{document_id}")
            times.append(time.perf_counter() - start)
        api_times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            client.get(f"/api/v1/documents/{document_id}/findings")
            api_times.append(time.perf_counter() - start)
    median = statistics.median(times) * 1000
    result = {
        "findings": len(ids),
        "page_median_ms": round(median, 1),
        "page_min_ms": round(min(times) * 1000, 1),
        "page_max_ms": round(max(times) * 1000, 1),
        "api_findings_median_ms": round(statistics.median(api_times) * 1000, 1),
        "bytes": len(page.content),
        "target_ms": 200,
        "met": median < 200,
    }
    if args.browser:
        result |= _browser(app_config=WebConfig(db=db, storage=folder / "files"), document_id=document_id,
                           repeat=args.repeat)  # fmt: skip
    print(f"machine: {machine()}")
    print(f"document page with {len(ids)} findings ({len(ids[::2])} with decisions), {args.repeat} requests:")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


def _browser(app_config: object, document_id: int, repeat: int) -> dict[str, object]:
    """First contentful paint and first finding on screen in Chromium, medians of ``repeat`` loads."""
    import shutil

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from cnbudget.web.app import create_app
    from support.web import live_server

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    paints, firsts = [], []
    with live_server(create_app(app_config)) as address, sync_playwright() as p:  # type: ignore[arg-type]
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.request.post(
            f"{address}/api/v1/login", data={"username": "bench", "password": "benchmark password"}
        )
        for _ in range(repeat + 1):
            page.goto("about:blank")
            page.goto(f"{address}/documents/{document_id}", wait_until="commit")
            page.locator("article.finding").first.wait_for(state="visible")
            timing = page.evaluate(
                "() => { const n = performance.getEntriesByType('navigation')[0];"
                " const p = performance.getEntriesByName('first-contentful-paint')[0];"
                " return [p ? p.startTime : null, performance.now(), n.startTime]; }"
            )
            paints.append(timing[0])
            firsts.append(timing[1] - timing[2])
        browser.close()
    paint = statistics.median([t for t in paints[1:] if t is not None])
    first = statistics.median(firsts[1:])
    return {"browser_first_paint_median_ms": round(paint, 1), "browser_first_finding_median_ms": round(first, 1),
            "browser_target_ms": 1000, "browser_met": max(paint, first) < 1000}  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
