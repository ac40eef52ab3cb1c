"""The whole model as JSON: Decimal as strings (exact), dataclasses as objects."""

from __future__ import annotations

import json

from cnbudget.model import Document
from cnbudget.report.kit.json import to_jsonable

SCHEMA_VERSION = "1"


def document_json(doc: Document, indent: int | None = 1) -> str:
    payload = {"schema_version": SCHEMA_VERSION, **to_jsonable(doc)}
    return json.dumps(payload, ensure_ascii=False, indent=indent)
