"""The audit log as the faces use it: what people did on the web, recorded and read back (never changed).

The table and its queries are `cnbudget.store.events`; here is what may be recorded: only the actions the
vocabulary names (`EVENT_LABELS`), so that the administrator's page can show and filter every one of them.
"""

from __future__ import annotations

from sqlalchemy import Engine

from cnbudget.domain.vocabulary import EVENT_LABELS
from cnbudget.store import events as table
from cnbudget.store.events import Event

__all__ = ["EVENT_LABELS", "Event", "entries", "record"]


def record(
    engine: Engine,
    action: str,
    *,
    user_id: int | None = None,
    username: str = "",
    address: str = "",
    target: str = "",
    detail: str = "",
) -> None:
    """Add one entry; an action the vocabulary does not name is a programming error."""
    if action not in EVENT_LABELS:
        raise ValueError(f"unknown action {action!r}")
    table.record(
        engine, action, user_id=user_id, username=username, address=address, target=target, detail=detail
    )


def entries(
    engine: Engine, *, action: str = "", username: str = "", limit: int = 200, offset: int = 0
) -> tuple[list[Event], int]:
    """The newest entries first (filtered by action and/or user name), and how many match in all."""
    return table.events(engine, action=action, username=username, limit=limit, offset=offset)
