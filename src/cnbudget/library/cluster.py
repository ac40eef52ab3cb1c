"""Ray behind the batch runner: the same work on the documents (`processing.record_or_fail`), as Ray tasks on a
cluster, for a batch bigger than one machine (``cnbudget ingest … --engine ray [--address ADDRESS]``).

What runs where. The process that runs ``ingest`` (the driver) lists the inputs, skips what the library
holds already (by content hash, which Ray tasks compute: the driver reads no document), and stores each
result as it comes back, one transaction per document, exactly as with the local process pool; the Ray
workers read, parse and audit. Inputs are local paths
(every node must see them at the same path) or fsspec URLs (``s3://…``) that the workers read themselves.

Failure semantics:

- a worker killed mid-document (a crash, the out-of-memory killer, a lost node): Ray runs the task again
  (up to ``RETRIES`` times); the driver stores the one result it gets, so the document is stored once. A
  document that kills its worker every time fails alone, with the same message as with the local pool;
- the driver killed: its tasks end with it. Nothing is half-stored (each document is one transaction), and a
  rerun of the same command skips the documents stored (same content) and finishes the rest;
- memory per worker: a task holds one document, bounded by the reading limits (`ReadOptions`); a bounded
  number of tasks is in flight (``IN_FLIGHT_PER_WORKER`` per CPU of the cluster), so the driver does not
  hold a million results either.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Sequence
from typing import Any, TypeVar

from cnbudget.domain.errors import InputError, UsageError
from cnbudget.domain.i18n import t
from cnbudget.library.batch import IN_FLIGHT_PER_WORKER

Item = TypeVar("Item")
Result = TypeVar("Result")

RETRIES = 3
"""How many times Ray runs a document again whose worker died (Ray's own default for tasks)."""
LOCAL = "local"
"""``--address local``: a Ray instance started for this run on this machine (the default)."""


def ray_module() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise UsageError(
            t(
                "--engine ray 需要 Ray：请运行 pip install 'cnbudget[ray]'",
                "--engine ray needs Ray: run pip install 'cnbudget[ray]'",
            ),
            setting="engine",
        ) from exc
    return ray


def connect(address: str | None, workers: int | None = None) -> bool:
    """Join the cluster at ``address`` (``auto``: the one started on this machine with ``ray start``;
    ``ray://host:10001``: through Ray Client; ``host:port``: a head node), or start a Ray of our own
    (``local``/None, with ``workers`` CPUs). True when this call started or joined Ray, so the caller leaves
    it afterwards; a process already in a Ray session keeps it."""
    ray = ray_module()
    if ray.is_initialized():
        return False
    settings: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
    try:
        if address in (None, "", LOCAL):
            ray.init(num_cpus=workers, include_dashboard=False, **settings)
        else:
            _reachable(address)
            ray.init(address=address, **settings)
    except (ConnectionError, RuntimeError, ValueError, TimeoutError, OSError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(
            t(f"无法连接 Ray 集群：{reason}", f"cannot reach the Ray cluster: {reason}"),
            address or LOCAL,
            setting="address",
        ) from exc
    return True


CONNECT_SECONDS = 10.0
"""How long a head node's port may take to answer before the cluster is called unreachable (Ray itself
would try for minutes)."""


def _reachable(address: str) -> None:
    """A ``host:port`` (or ``ray://host:port``) that answers; ``auto`` is found by Ray on this machine."""
    import socket

    if address == "auto":
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(
            t(
                "地址应为 auto、主机:端口 或 ray://主机:端口",
                "the address is auto, host:port or ray://host:port",
            )
        )
    with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS):
        pass


def process_document(work: Callable[[Any], Any], item: Any) -> Any:
    """A Ray task: one document through the work (its name is what the dashboard shows)."""
    return work(item)


def run(
    work: Callable[[Item], Result],
    items: Sequence[Item],
    died: Callable[[Item], Result],
    *,
    address: str | None = None,
    workers: int | None = None,
) -> Generator[tuple[int, Result], None, None]:
    """(index in ``items``, result) for each item as it finishes on Ray — the contract of `batch.run`.
    ``work`` is sent to the workers with cloudpickle: a module-level function of cnbudget (installed on every
    node), its arguments bound with `functools.partial`. Closing the generator cancels what is in flight."""
    if not items:  # nothing to read (all stored already): no cluster to join
        return
    ray = ray_module()
    started = connect(address, workers)
    try:
        task = ray.remote(num_cpus=1, max_retries=RETRIES, retry_exceptions=False)(process_document)
        shared = ray.put(work)
        limit = max(1, int(ray.cluster_resources().get("CPU", 1))) * IN_FLIGHT_PER_WORKER
        queue = list(reversed(range(len(items))))
        running: dict[Any, int] = {}
        try:
            while queue or running:
                while queue and len(running) < limit:
                    index = queue.pop()
                    running[task.remote(shared, items[index])] = index
                ready, _ = ray.wait(list(running), num_returns=1)
                for ref in ready:
                    index = running.pop(ref)
                    yield index, _result(ray, ref, items[index], died)
        finally:
            for ref in running:
                ray.cancel(ref, force=True)
    finally:
        if started:
            ray.shutdown()


def _result(ray: Any, ref: Any, item: Item, died: Callable[[Item], Result]) -> Result:
    """The task's result; ``died`` when its worker died every time it was run. The work itself never raises
    for a document (`processing` turns every failure into a result), so a task that raises means workers that
    cannot run cnbudget at all (not installed, another version): the batch stops there, with the reason —
    what was stored is kept, and the same command finishes the rest once the nodes are right."""
    exceptions = ray.exceptions
    try:
        return ray.get(ref)  # type: ignore[no-any-return,unused-ignore]
    except (exceptions.WorkerCrashedError, exceptions.NodeDiedError, exceptions.OutOfMemoryError,
            exceptions.TaskCancelledError, exceptions.ObjectLostError):  # fmt: skip
        return died(item)
    except exceptions.RayError as exc:
        cause = getattr(exc, "cause", None) or exc
        reason = (
            f"{type(cause).__name__}: {str(cause).strip().splitlines()[-1] if str(cause).strip() else ''}"
        )
        raise InputError(
            t(
                f"Ray 的工作进程无法运行 cnbudget（各节点须装有同一版本的 cnbudget）：{reason}",
                f"the Ray workers cannot run cnbudget (every node needs the same cnbudget version): {reason}",
            ),
            "--engine ray",
            setting="engine",
        ) from exc
