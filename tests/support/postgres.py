"""A PostgreSQL server for the library tests, started from whatever PostgreSQL binaries the machine has.

Order of preference: a server named by ``CNBUDGET_TEST_POSTGRES`` (a URL); else a private server this
module starts in a temporary folder with ``initdb`` and ``pg_ctl`` — found on the PATH, or in Debian's
``/usr/lib/postgresql/<version>/bin`` — listening on 127.0.0.1 and a free port, trusted without a password,
and removed at the end of the session. PostgreSQL refuses to run as root: under root the server runs as
the ``postgres`` user when it exists, else as ``nobody``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ENV_URL = "CNBUDGET_TEST_POSTGRES"
ENV_REQUIRE = "CNBUDGET_REQUIRE_POSTGRES"


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    on_path = shutil.which("initdb"), shutil.which("pg_ctl")
    if all(on_path):
        return Path(str(on_path[0])).resolve().parent
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version(p.parent.name))
    for folder in reversed(debian):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split(".") if p.isdigit())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TemporaryServer:
    """initdb + pg_ctl start in a temporary folder; `url` is its superuser URL; `stop()` removes it all."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="cnbudget-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "postgres" if _exists("postgres") else "nobody"
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.url = f"postgresql://cnbudget@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            timeout=120,
            user=self.user,
            cwd=self.folder,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args[:2])} failed: {result.stderr.strip() or result.stdout.strip()}"
            )

    def start(self) -> TemporaryServer:
        self._run(
            "initdb", "-D", str(self.data), "-U", "cnbudget", "--auth=trust", "-E", "UTF8", "--no-locale"
        )
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the test PostgreSQL server did not start; see {self.folder / 'server.log'}")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True
