"""The Ray engine on a local Ray cluster (``ray start --head``, 2 worker CPUs): the same library as local ingest,
a worker killed mid-document, a driver killed mid-run, a document that kills every worker it runs in."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from cnbudget.library import cluster
from cnbudget.library.ingestion import ingest
from cnbudget.store import schema
from cnbudget.store.database import open_database
from support.paths import FIXTURES
from support.ray_cluster import LocalCluster, busy_workers, client_environment

CLIENT = client_environment()
os.environ.update(CLIENT)  # before Ray is imported, which reads it then (and only this module imports Ray)
pytest.importorskip("ray")

CORPUS = FIXTURES / "corpus"
PDFS = sorted(CORPUS.glob("*.pdf"))


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[LocalCluster]:
    running = LocalCluster(CLIENT, cpus=2)
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture
def ray_address(ray_cluster: LocalCluster) -> str:
    return ray_cluster.address


def _library(engine) -> dict[str, Counter]:
    """What a library holds, without what differs between two runs (ids, times, paths' order)."""
    d, o, f, x = schema.documents.c, schema.organisations.c, schema.facts.c, schema.findings.c
    with engine.connect() as conn:
        documents = Counter(conn.execute(
            select(d.content_sha256, o.name, d.kind, d.fiscal_year, d.scope, d.version, d.is_latest, d.errors,
                   d.warnings, d.infos, d.source_name).join(schema.organisations, o.id == d.organisation_id)
        ).all())  # fmt: skip
        facts = Counter(conn.execute(
            select(d.content_sha256, f.table_kind, f.row_code, f.code, f.row_label, f.column_path, f.value, f.line,
                   f.page).join(schema.documents, d.id == f.document_id)
        ).all())  # fmt: skip
        findings = Counter(conn.execute(
            select(d.content_sha256, x.rule_id, x.severity, x.message, x.lines, x.pages, x.finding_key)
            .join(schema.documents, d.id == x.document_id)
        ).all())  # fmt: skip
    return {"documents": documents, "facts": facts, "findings": findings}


def _stored_once(engine, expected: int) -> None:
    with engine.connect() as conn:
        hashes = list(conn.execute(select(schema.documents.c.content_sha256)).scalars())
    assert len(hashes) == expected
    assert len(set(hashes)) == len(hashes), "a document was stored twice"


def test_ray_gives_the_library_local_ingest_gives(ray_address: str, tmp_path: Path) -> None:
    local = open_database(str(tmp_path / "local.db"))
    on_ray = open_database(str(tmp_path / "ray.db"))
    a = ingest(local, [CORPUS], jobs=2)
    b = ingest(on_ray, [CORPUS], runner="ray", address=ray_address)
    stored = sorted(b.ingested + b.new_versions)
    assert sorted(a.ingested + a.new_versions) == stored and {str(p) for p in PDFS} <= set(stored)
    assert sorted(map(str, a.failed)) == sorted(map(str, b.failed))  # the README and the blank templates
    held_local, held_ray = _library(local), _library(on_ray)
    assert sum(held_ray["facts"].values()) > 1_000 and sum(held_ray["findings"].values()) > 0  # not vacuous
    for table in ("documents", "facts", "findings"):
        assert held_local[table] == held_ray[table], table
    again = ingest(on_ray, [CORPUS], runner="ray", address=ray_address)
    assert len(again.unchanged) == len(stored) and not again.ingested  # by content: nothing read twice
    local.dispose()
    on_ray.dispose()


def test_on_a_cluster_the_workers_read_the_inputs_to_hash_them_not_the_driver(
    ray_address: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cnbudget.library import ingestion

    def driver_reads(path):  # type: ignore[no-untyped-def]
        raise AssertionError(f"the driver read {path}")

    monkeypatch.setattr(
        ingestion, "file_sha256", driver_reads
    )  # this process only: the workers import their own
    engine = open_database(str(tmp_path / "library.db"))
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(PDFS[0].read_bytes())
    inputs = [*PDFS[:3], copy, tmp_path / "missing.pdf"]
    summary = ingest(engine, inputs, runner="ray", address=ray_address)
    assert len(summary.ingested + summary.new_versions) == 3 and summary.unchanged == [
        str(copy)
    ]  # same bytes
    assert [f.path for f in summary.failed] == [str(tmp_path / "missing.pdf")]
    again = ingest(engine, PDFS[:3], runner="ray", address=ray_address)
    assert len(again.unchanged) == 3 and not again.ingested  # known by the hashes the workers made
    engine.dispose()


def test_a_worker_killed_mid_document_is_retried_and_the_document_stored_once(
    ray_address: str, tmp_path: Path
) -> None:
    engine = open_database(str(tmp_path / "library.db"))
    killed: list[int] = []
    stop = threading.Event()

    def killer() -> None:
        while not stop.is_set() and not killed:
            for pid in busy_workers():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                break
            time.sleep(0.05)

    watch = threading.Thread(target=killer)
    watch.start()
    try:
        summary = ingest(engine, PDFS[:8], runner="ray", address=ray_address)
    finally:
        stop.set()
        watch.join()
    assert killed, "no worker was seen running a document"
    assert summary.failed == [] and len(summary.ingested + summary.new_versions) == 8
    _stored_once(engine, 8)
    engine.dispose()


def test_a_driver_killed_mid_run_is_finished_by_a_rerun(ray_address: str, tmp_path: Path) -> None:
    db = str(tmp_path / "library.db")
    log = tmp_path / "run.jsonl"
    command = [sys.executable, "-m", "cnbudget", "ingest", *map(str, PDFS), "--db", db, "--engine", "ray",
               "--address", ray_address, "--quiet", "--log", str(log)]  # fmt: skip
    env = {**os.environ, "CNBUDGET_LANG": "en"}
    driver = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and (not log.exists() or len(log.read_text().splitlines()) < 3):
        time.sleep(0.05)
    driver.kill()
    driver.wait(timeout=60)
    stored_before = len(log.read_text().splitlines())
    assert 3 <= stored_before < len(PDFS), "the driver was not killed mid-run"
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    engine = open_database(db, create=False)
    _stored_once(engine, len(PDFS))
    statuses = Counter(line.split('"status": "')[1].split('"')[0] for line in log.read_text().splitlines())
    assert statuses["unchanged"] >= stored_before - 1  # what the killed run stored is not read again
    engine.dispose()


def test_a_document_that_kills_every_worker_fails_alone(ray_address: str) -> None:
    def work(item: str) -> str:
        if item == "poison":
            os.kill(os.getpid(), signal.SIGKILL)
        return item.upper()

    results = dict(cluster.run(work, ["a", "poison", "b"], lambda item: f"died: {item}", address=ray_address))
    assert results == {0: "A", 1: "died: poison", 2: "B"}


def test_workers_that_cannot_run_the_work_stop_the_batch_with_the_reason(ray_address: str) -> None:
    from cnbudget.domain.errors import InputError

    def work(item: str) -> str:
        raise ModuleNotFoundError("No module named 'cnbudget'")  # as on a node without cnbudget

    with pytest.raises(InputError, match="No module named 'cnbudget'"):
        list(cluster.run(work, ["a"], lambda item: "died", address=ray_address))
    assert (
        list(cluster.run(work, [], lambda item: "died", address="127.0.0.1:1")) == []
    )  # nothing: no cluster


def test_a_cluster_that_cannot_be_reached_is_a_clear_error(tmp_path: Path) -> None:
    from cnbudget.domain.errors import InputError

    engine = open_database(str(tmp_path / "library.db"))
    with pytest.raises(InputError, match="Ray"):
        ingest(engine, PDFS[:1], runner="ray", address="127.0.0.1:1")
    engine.dispose()


def test_the_page_callback_of_this_process_is_never_sent_to_ray(monkeypatch: pytest.MonkeyPatch) -> None:
    from cnbudget.library import ingestion
    from cnbudget.read.source import ReadOptions

    sent = []

    def run(work, items, died, **settings):  # type: ignore[no-untyped-def]
        sent.append(work.keywords["options"])
        return iter([])

    monkeypatch.setattr(cluster, "run", run)
    runner = ingestion._Runner("ray", "auto", None)
    list(ingestion._results([("a.pdf", None)], 1, ReadOptions(progress=lambda *call: None), None, runner))
    assert sent and sent[0].progress is None
