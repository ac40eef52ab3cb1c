"""A comparison as JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cnbudget.report.kit.json import to_jsonable

if TYPE_CHECKING:
    from cnbudget.report.diff.compare import DocumentDiff


def diff_json(diff: DocumentDiff) -> str:
    """Stable English keys; amounts as exact decimal strings; each cell and claim with its difference."""
    payload: dict[str, Any] = {
        "old": to_jsonable(diff.old),
        "new": to_jsonable(diff.new),
        "changed": diff.changed,
        "summary": diff.counts(),
        "metadata": to_jsonable(diff.metadata),
        "tables": to_jsonable(diff.tables),
        "rows": to_jsonable(diff.rows),
        "cells": [{**to_jsonable(c), "difference": to_jsonable(c.difference)} for c in diff.cells],
        "text": to_jsonable(diff.text),
        "claims": [{**to_jsonable(c), "difference": to_jsonable(c.difference)} for c in diff.claims],
        "findings": to_jsonable(diff.findings),
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)
