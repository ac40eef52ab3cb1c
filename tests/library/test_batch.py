"""The batch runner (`library.batch`): every item's result once, with its place in the batch, in this process
or in worker processes; a worker that dies fails its own item and the batch goes on."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st

from cnbudget.library import batch


def _square(x: int) -> int:
    return x * x


def _die_on(x: int, fatal: int) -> int:
    if x == fatal:
        os._exit(9)  # as the kernel's out-of-memory killer would end it
    return x * x


def _died(x: int) -> int:
    return -x


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(-1000, 1000), max_size=12), st.integers(1, 3))
def test_every_item_once_with_its_place(items: list[int], workers: int) -> None:
    got = list(batch.run(_square, items, workers if len(items) > 1 else 1, _died))
    assert sorted(index for index, _ in got) == list(range(len(items)))
    assert all(result == items[index] ** 2 for index, result in got)


def test_a_dead_worker_fails_its_item_and_the_rest_finish() -> None:
    items = list(range(10))
    pairs = list(batch.run(partial(_die_on, fatal=4), items, 2, _died))
    got = dict(pairs)
    assert len(pairs) == len(items) and sorted(got) == items  # each once
    assert got == {i: -i if i == 4 else i * i for i in items}  # only the document that killed its worker


def test_workers_are_never_more_than_the_documents() -> None:
    assert batch.workers_for(8, 3) == 3
    assert batch.workers_for(None, 1) == 1
    assert batch.workers_for(2, 0) == 1


def test_workers_hand_each_result_to_its_callback_and_survive_a_dead_worker() -> None:
    """`Workers` (the web's uploads): documents submitted one by one; one kills its worker — it alone gets
    `died`, the others in flight are run again, and the pool goes on with the next ones."""
    import threading

    results: dict[int, int] = {}
    finished = threading.Event()
    lock = threading.Lock()

    def done(item: int) -> Callable[[int], None]:
        def record(result: int) -> None:
            with lock:
                results[item] = result
                if len(results) == 8:
                    finished.set()

        return record

    workers = batch.Workers(2)
    try:
        for item in range(8):
            workers.submit(partial(_die_on, fatal=3), item, done(item), _died)
        assert finished.wait(120)
    finally:
        workers.close()
    assert results == {i: -i if i == 3 else i * i for i in range(8)}
