"""A local Ray cluster for the tests of the Ray engine: ``ray start --head`` with 2 worker CPUs, this machine's
address, no dashboard, no usage report — nothing leaves the machine — and a token of its own (Ray's token
authentication, which the cluster and every driver are given through the environment)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_DISABLE_DOCKER_CPU_WARNING": "1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ray_command() -> str:
    return str(Path(sys.executable).with_name("ray"))


def client_environment() -> dict[str, str]:
    """A new token, and what a driver needs in its environment to use a cluster started with it. Ray reads it
    when it is imported: a test process sets it before that."""
    return {**RAY_ENV, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}


class LocalCluster:
    """Started by `start`, stopped by `stop`; ``address`` is what ``--address`` takes."""

    def __init__(self, client_env: dict[str, str], cpus: int = 2) -> None:
        self.cpus = cpus
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        # Ray's socket paths must stay short: a folder of its own right under /tmp
        self.temp = tempfile.mkdtemp(prefix="rt", dir="/tmp")
        self.env = {**os.environ, **client_env}

    def start(self) -> LocalCluster:
        subprocess.run(
            [ray_command(), "start", "--head", f"--port={self.port}", "--node-ip-address=127.0.0.1",
             f"--num-cpus={self.cpus}", "--include-dashboard=false", "--disable-usage-stats",
             "--object-store-memory=100000000", f"--temp-dir={self.temp}"],
            env=self.env, check=True, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        return self

    def stop(self) -> None:
        subprocess.run([ray_command(), "stop", "--force"], env=self.env, capture_output=True, timeout=120)
        time.sleep(0.5)


def busy_workers() -> list[int]:
    """The processes of Ray workers running a document now (Ray titles them ``ray::process_document``), from /proc."""
    busy = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"ray::process_document"):
                busy.append(int(entry.name))
    return busy
