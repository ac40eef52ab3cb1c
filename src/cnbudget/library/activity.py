"""The audit log as the faces use it: what people did on the web, recorded and read back (never changed).

The table and its queries are `cnbudget.store.events`; here is what may be recorded: only the actions the
vocabulary names (`EVENT_LABELS`), so that the administrator's page can show and filter every one of them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from cnbudget.domain.vocabulary import EVENT_LABELS
from cnbudget.store import events as table
from cnbudget.store.events import Event

__all__ = ["EVENT_LABELS", "Event", "entries", "record"]


def record(engine: Engine, action: str, **who: Any) -> None:
    """Add one entry: ``action`` and who did it to what (``user_id``, ``username``, ``address``, ``target``,
    ``detail``). An action the vocabulary does not name is a programming error."""
    if action not in EVENT_LABELS:
        raise ValueError(f"unknown action {action!r}")
    table.record(engine, action, **who)


def entries(
    engine: Engine, *, action: str = "", username: str = "", limit: int = 200, offset: int = 0
) -> tuple[list[Event], int]:
    """The newest entries first (filtered by action and/or user name), and how many match in all."""
    return table.events(engine, action=action, username=username, limit=limit, offset=offset)
