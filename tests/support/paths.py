"""Where things are, for tests wherever they live under tests/: the one place that reckons from a file."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
"""tests/"""
FIXTURES = TESTS / "fixtures"
"""tests/fixtures/: seeds, PDFs, the corpora, golden records, fonts …"""
ROOT = TESTS.parent
"""The repository: README.md, pyproject.toml, src/, docs/, tools/, benchmarks/."""
