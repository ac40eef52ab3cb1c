"""The reviewer's language: Chinese by default, English on request; one language per screen.

Every text a person reads on screen is written once as a pair, ``t("中文", "English")``, next to the code
that shows it, so the two never drift apart and a missing translation cannot happen. Files meant for other
programs (JSON keys, CSV headers of tidy exports, rule ids, enum values) stay in stable English.

The language is chosen, first match wins, by ``--lang zh|en`` on the command line (``set_language``), the
``CNBUDGET_LANG`` environment variable, then the POSIX locale variables ``LC_ALL``, ``LC_MESSAGES`` and
``LANG``: a locale starting with ``en`` means English. Anything else — including ``C`` and ``POSIX`` on a bare
server — means Chinese, the language of the documents and of their reviewers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal, get_args

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
LANG_ENV = "CNBUDGET_LANG"

_chosen: Language | None = None


def parse_language(value: str) -> Language | None:
    """``zh``/``en`` and their locale spellings (``zh_CN.UTF-8``, ``en-GB``); None when neither."""
    head = value.strip().lower().replace("-", "_").split("_", 1)[0].split(".", 1)[0]
    for lang in LANGUAGES:
        if head == lang:
            return lang
    return None


def language() -> Language:
    """The language of this run (see the module's docstring for the order)."""
    if _chosen is not None:
        return _chosen
    explicit = os.environ.get(LANG_ENV, "")
    if explicit and (found := parse_language(explicit)) is not None:
        return found
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if parse_language(value) == "en" else "zh"
    return "zh"


def set_language(lang: Language | None) -> None:
    """Fix the language for the rest of the run (None: back to the environment's choice)."""
    global _chosen
    _chosen = lang


@contextmanager
def language_set_to(lang: Language | None) -> Iterator[None]:
    """The language fixed for a block (one command run in a process that runs several), then restored."""
    global _chosen
    saved = _chosen
    if lang is not None:
        _chosen = lang
    try:
        yield
    finally:
        _chosen = saved


def t(zh: str, en: str) -> str:
    """The text in the run's language: both are written at the call site, Chinese first."""
    return en if language() == "en" else zh


def english() -> bool:
    return language() == "en"
