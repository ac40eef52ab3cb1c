"""The server's settings, from `cnbudget serve`'s options or the environment (CNBUDGET_*)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cnbudget.library.uploads import UploadLimits


@dataclass(frozen=True, slots=True)
class WebConfig:
    db: str | None = None
    """The library: an SQLite file or a PostgreSQL URL (default: $CNBUDGET_DB, else ./cnbudget.db)."""
    storage: Path = Path("cnbudget-files")
    """Where uploaded files are kept (under names the server chooses)."""
    workers: int = 1
    """Worker processes that parse and audit uploads."""
    limits: UploadLimits = field(default_factory=UploadLimits)
    secure_cookies: bool = False
    """Mark cookies Secure (when the server is behind HTTPS)."""
    session_hours: int = 12

    @classmethod
    def from_env(cls) -> WebConfig:
        """The settings `cnbudget serve` hands to the server process (uvicorn starts the app by name)."""
        env = os.environ
        defaults = cls()
        limits = UploadLimits(
            max_bytes=int(env.get("CNBUDGET_MAX_UPLOAD_MB", defaults.limits.max_bytes // (1024 * 1024)))
            * 1024
            * 1024,
            max_files=int(env.get("CNBUDGET_MAX_UPLOAD_FILES", defaults.limits.max_files)),
        )
        return cls(
            db=env.get("CNBUDGET_DB") or None,
            storage=Path(env.get("CNBUDGET_STORAGE", str(defaults.storage))),
            workers=int(env.get("CNBUDGET_WORKERS", defaults.workers)),
            limits=limits,
            secure_cookies=env.get("CNBUDGET_SECURE_COOKIES", "") == "1",
            session_hours=int(env.get("CNBUDGET_SESSION_HOURS", defaults.session_hours)),
        )
