"""Generate docs/document.schema.json from the model dataclasses (development tool; needs pydantic).

python tools/generate_schema.py          # rewrite the schema
python tools/generate_schema.py --check  # exit 1 when the checked-in schema is out of date
"""

from __future__ import annotations

import json
import sys
import typing
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, TypeAdapter

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "document.schema.json"


def build_schema() -> dict[str, Any]:
    from cnbudget import model
    from cnbudget.report.document.json import SCHEMA_VERSION

    # Field docstrings become descriptions; Decimal serialises as a string (exact).
    for name in model.__all__:
        getattr(model, name).__pydantic_config__ = ConfigDict(use_attribute_docstrings=True)
    adapter = TypeAdapter(model.Document)
    schema = adapter.json_schema(mode="serialization")
    _decimals_as_strings(schema, model)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "cnbudget document model"
    schema["description"] = (
        "Output of `cnbudget parse FILE --format json`. Amounts are decimal strings as printed "
        "(no float rounding); every row, cell, indicator and claim carries the line it came from."
    )
    schema.setdefault("properties", {})["schema_version"] = {"const": SCHEMA_VERSION}
    return schema


DECIMAL = {"pattern": r"^-?\d+(\.\d+)?$"}


def _decimals_as_strings(schema: dict[str, Any], model: Any) -> None:
    """Write Decimal fields the same way whatever pydantic version renders them: exact decimal strings."""
    string = {"type": "string", "pattern": DECIMAL["pattern"]}
    for name in model.__all__:
        cls = getattr(model, name)
        props = schema["$defs"].get(cls.__name__, {}).get("properties", {})
        for field, hint in typing.get_type_hints(cls).items():
            text = str(hint)
            if "Decimal" not in text or field not in props:
                continue
            keep = {k: v for k, v in props[field].items() if k in ("title", "description", "default")}
            if text.startswith("dict"):
                props[field] = {**keep, "type": "object", "additionalProperties": dict(string)}
            elif "None" in text:
                props[field] = {**keep, "anyOf": [dict(string), {"type": "null"}]}
            else:
                props[field] = {**keep, **string}


def main() -> int:
    text = json.dumps(build_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if "--check" in sys.argv:
        current = SCHEMA_PATH.read_text("utf-8") if SCHEMA_PATH.exists() else ""
        if current != text:
            sys.stderr.write(f"{SCHEMA_PATH} is out of date: run python tools/generate_schema.py\n")
            return 1
        return 0
    SCHEMA_PATH.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
