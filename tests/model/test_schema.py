"""The documented JSON schema is generated from the model and kept current; outputs validate against the model."""

import json
import subprocess
import sys

from pydantic import TypeAdapter

from cnbudget.model import Document
from cnbudget.report.document.json import document_json
from support.paths import ROOT
from support.seeds import seed


def test_checked_in_schema_is_current() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "generate_schema.py"), "--check"],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_json_output_round_trips_through_the_model(seed_name: str) -> None:
    doc = seed(seed_name)
    data = json.loads(document_json(doc))
    data.pop("schema_version")
    again = TypeAdapter(Document).validate_python(data)
    assert again.tables[0].rows[0].cells == doc.tables[0].rows[0].cells
    assert len(again.claims) == len(doc.claims)


def test_rule_catalog_document_is_current() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "generate_rules_doc.py"), "--check"],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
