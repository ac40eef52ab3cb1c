"""The batch runner: documents through the same work (`processing.check_or_fail` for an audit,
`processing.record_or_fail` for an ingest or an upload), in this process or in worker processes — `run` for
a batch known in advance (`audit DIR`, `ingest`), `Workers` for documents that arrive one by one (the web).

Parsing and auditing are CPU-bound and independent, so a batch of several documents runs them in worker
processes, a bounded number in flight (a batch of 10,000 must not hold 10,000 parsed documents). Results
come back as they finish, each with its place in the batch. The work never raises for a document
(`processing.failure` decides what a failing one gives); a worker that dies (a crash, the kernel's
out-of-memory killer) fails its own document with `died` — the others that were in flight with it are run
again — and the batch goes on in a new pool. A worker stops
when the process that started it is gone, even after SIGKILL, instead of finishing documents nobody will
store.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

IN_FLIGHT_PER_WORKER = 4
"""Documents queued per worker process: enough to keep each busy, few enough to bound memory."""


def workers_for(jobs: int | None, documents: int) -> int:
    """Worker processes for a batch: ``jobs``, else one per core; never more than the documents."""
    return max(1, min(jobs or os.cpu_count() or 1, documents))


def run(
    work: Callable[[Item], Result],
    items: Sequence[Item],
    workers: int,
    died: Callable[[Item], Result],
) -> Generator[tuple[int, Result], None, None]:
    """(index in ``items``, result) for each item as it finishes. ``work`` must be picklable (a module-level
    function, its arguments bound with `functools.partial`) when ``workers`` > 1. Closing the generator
    cancels what is queued and waits for the running documents.

    When a worker dies, the pool is broken and every document in flight in it loses its result: those are
    run again one at a time, each in a process of its own, so that only the document that kills its worker
    fails (with ``died``)."""
    if workers <= 1 or len(items) <= 1:
        for index, item in enumerate(items):
            yield index, work(item)
        return
    queue = list(reversed(range(len(items))))
    suspects: list[int] = []
    while queue:
        with _pool(workers) as pool:
            yield from _drain(pool, work, items, queue, workers, suspects)
    for index in suspects:
        yield index, _alone(work, items[index], died)


def _pool(workers: int, spawn: bool = False) -> ProcessPoolExecutor:
    import multiprocessing

    context = multiprocessing.get_context("spawn") if spawn else None
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_end_with_parent, initargs=(os.getpid(),)
    )


def _drain(
    pool: ProcessPoolExecutor,
    work: Callable[[Item], Result],
    items: Sequence[Item],
    queue: list[int],
    workers: int,
    suspects: list[int],
) -> Generator[tuple[int, Result], None, None]:
    """Run ``queue`` in ``pool`` until it is empty, or until the pool breaks: then what was in flight goes to
    ``suspects`` and the caller starts a new pool for the rest."""
    running: dict[Future[Result], int] = {}
    try:
        while queue or running:
            while queue and len(running) < workers * IN_FLIGHT_PER_WORKER:
                index = queue.pop()
                running[pool.submit(work, items[index])] = index
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                index = running.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    suspects.append(index)
                    suspects.extend(running.pop(f) for f in list(running))
                    return
                yield index, result
    finally:
        for future in running:
            future.cancel()


class Workers:
    """Worker processes for documents that arrive one by one (the web's uploads and re-analyses): each is
    run with `submit` and its result handed to ``done`` in a thread of this process. The pool is started on
    first use (``spawn``: a server's threads are not copied into workers) and replaced when a worker dies;
    the documents in flight when that happens are run again one at a time, each in a process of its own,
    so that only the one that kills its worker gets ``died``."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(
        self,
        work: Callable[[Item], Result],
        item: Item,
        done: Callable[[Result], None],
        died: Callable[[Item], Result],
    ) -> None:
        pool = self._current()
        try:
            future = pool.submit(work, item)
        except (BrokenProcessPool, RuntimeError):  # broken, or shut down under us: a new pool
            self._replace(pool)
            future = self._current().submit(work, item)

        def finished(f: Future[Result]) -> None:
            try:
                result = f.result()
            except BrokenProcessPool:
                self._replace(pool)
                result = _alone(work, item, died)
            done(result)

        future.add_done_callback(finished)

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = _pool(self.workers, spawn=True)
            return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None

    def close(self) -> None:
        """Wait for the documents in hand, then stop the workers."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=False)


def _alone(work: Callable[[Item], Result], item: Item, died: Callable[[Item], Result]) -> Result:
    """``item`` run in a process of its own: its result, or ``died`` when that process dies too."""
    with _pool(1) as alone:
        try:
            return alone.submit(work, item).result()
        except BrokenProcessPool:
            return died(item)


def _end_with_parent(parent: int) -> None:
    """In a worker: stop when the batch that started it is gone (killed, even with SIGKILL). Linux is told
    to send SIGTERM at once; elsewhere a watch thread notices within a second."""
    import signal
    import threading

    with suppress(Exception):  # prctl(PR_SET_PDEATHSIG, SIGTERM): Linux only
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(1.0)

    threading.Thread(target=watch, name="cnbudget-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
