"""Web load benchmark: 20 concurrent uploads of the corpus PDFs to a local server (bounded, 127.0.0.1).

    python benchmarks/web_uploads.py [--clients 20] [--workers 2]

`cnbudget serve` is started on a free port with a fresh SQLite library (and, with --db, any library URL);
a reviewer is added with `cnbudget users add`; then --clients threads log in and upload one PDF each from
tests/fixtures/corpus at the same moment, and poll until every upload is finished. Reported: HTTP errors,
failed uploads, documents in the library against distinct files sent (nothing lost, nothing twice), and
the time until the last document was stored.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from run import machine

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
PASSWORD = "load test password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    import httpx

    folder = Path(tempfile.mkdtemp(prefix="cnbudget-load-"))
    db = args.db or str(folder / "library.db")
    env = {**os.environ, "CNBUDGET_PASSWORD": PASSWORD}
    subprocess.run(["cnbudget", "users", "add", "load", "--role", "reviewer", "--db", db], env=env, check=True,
                   capture_output=True)  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        [
            "cnbudget",
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--storage",
            str(folder / "files"),
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/login", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(
                        f"the server did not start: {server.stderr.read() if server.stderr else ''}"
                    ) from None
                time.sleep(0.2)
        files = sorted(CORPUS.glob("*.pdf"))
        chosen = [files[k % len(files)] for k in range(args.clients)]
        results: list[dict[str, object]] = []
        barrier = threading.Barrier(args.clients)
        lock = threading.Lock()

        def client(path: Path) -> None:
            with httpx.Client(base_url=base, timeout=600) as http:
                token = http.post("/api/v1/login", json={"username": "load", "password": PASSWORD}).json()[
                    "csrf_token"
                ]
                barrier.wait()
                sent = time.monotonic()
                response = http.post("/api/v1/uploads", files={"files": (path.name, path.read_bytes(), "application/pdf")},
                                     headers={"X-CSRF-Token": token})  # fmt: skip
                outcome: dict[str, object] = {"file": path.name, "http": response.status_code}
                if response.status_code == 202:
                    [upload] = response.json()["uploads"]
                    while True:
                        state = http.get(f"/api/v1/uploads/{upload['id']}").json()
                        if state["finished"]:
                            break
                        time.sleep(0.5)
                    outcome.update(
                        status=state["status"], message=state["message"], seconds=time.monotonic() - sent
                    )
                with lock:
                    results.append(outcome)

        start = time.monotonic()
        threads = [threading.Thread(target=client, args=(p,)) for p in chosen]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
        with httpx.Client(base_url=base, timeout=60) as http:
            http.post("/api/v1/login", json={"username": "load", "password": PASSWORD})
            documents = http.get("/api/v1/documents", params={"all_versions": "true"}).json()["documents"]
    finally:
        server.terminate()
        server.wait(30)
    distinct = {hashlib.sha256(p.read_bytes()).hexdigest() for p in chosen}
    failed = [r for r in results if r.get("status") == "failed"]
    http_errors = [r for r in results if r["http"] != 202]
    print(f"machine: {machine()}")
    print(json.dumps({
        "clients": args.clients, "server_workers": args.workers, "distinct_files": len(distinct),
        "http_errors": len(http_errors), "failed_uploads": len(failed),
        "documents_in_library": len(documents), "lost": len(distinct) - len(documents) - len(failed),
        "all_finished_s": round(elapsed, 1),
        "slowest_upload_s": round(max(float(r.get("seconds", 0)) for r in results), 1),  # type: ignore[arg-type]
        "failures": failed + http_errors,
    }, ensure_ascii=False, indent=1))  # fmt: skip
    return 0 if not http_errors and len(documents) + len(failed) == len(distinct) else 1


if __name__ == "__main__":
    sys.exit(main())
