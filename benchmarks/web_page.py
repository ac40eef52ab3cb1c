"""Web benchmark: server time of a document page with 100 findings (target: under 200 ms).

    python benchmarks/web_page.py [--repeat N] [--findings N]

The real district final accounts in tests/fixtures/pdf is ingested into a fresh SQLite library; its
findings (13) are repeated with new keys until the document has --findings of them (100), and half of
them get a decision, so the page shows the trail too. The page is requested in-process (FastAPI's
TestClient: routing, queries, template) after one warm-up; the time printed is the median of --repeat.
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

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "tests" / "fixtures" / "pdf" / "putuo-planning-resources-2024-final.pdf"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--findings", type=int, default=100)
    args = parser.parse_args()

    from fastapi.testclient import TestClient
    from sqlalchemy import insert, select

    from cnbudget.library.ingestion import ingest
    from cnbudget.store import schema
    from cnbudget.store.accounts import add_user
    from cnbudget.store.database import open_database
    from cnbudget.store.review import decide
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
        assert page.status_code == 200 and shown == len(ids), (page.status_code, shown, len(ids))
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
    print(f"machine: {machine()}")
    print(f"document page with {len(ids)} findings ({len(ids[::2])} with decisions), {args.repeat} requests:")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
