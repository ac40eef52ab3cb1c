"""Reference data files shipped in the package (``cnbudget/domain/data``): read once, by name."""

from __future__ import annotations

import csv
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

_PACKAGE = "cnbudget.domain.data"
SAMPLE_NAME = "wuhan-information-center-2026-budget.txt"
"""The document bundled as a sample (`cnbudget audit --sample`)."""


def data_text(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text("utf-8")


@cache
def data_toml(name: str) -> dict[str, Any]:
    return tomllib.loads(data_text(name))


@cache
def data_csv(name: str) -> tuple[dict[str, str], ...]:
    return tuple(csv.DictReader(data_text(name).splitlines()))


def sample_path() -> Path:
    """The bundled sample document (a real file inside the installed package)."""
    with resources.as_file(resources.files(_PACKAGE).joinpath("samples").joinpath(SAMPLE_NAME)) as path:
        return Path(path)
