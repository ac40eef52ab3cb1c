"""Errors that reach the user as a clear message and a documented exit code, never a traceback.

The library raises them without command-line wording: an error that a setting controls names the
setting (``setting="max_pages"``), and the CLI says how to change it (``--max-pages``).
"""

from __future__ import annotations

from cnbudget.domain.i18n import t

EXIT_OK = 0
EXIT_FINDINGS = 1
"""Audit findings reached the --fail-on threshold."""
EXIT_INPUT = 2
"""The input could not be read: missing, empty, binary, undecodable, or not a disclosure."""
EXIT_OUTPUT = 3
"""The output could not be written."""
EXIT_USAGE = 4
"""A command-line option was wrong (unknown table id, format …)."""
EXIT_DATABASE = 5
"""The library (database) could not be opened or written."""
EXIT_INTERNAL = 70
"""A bug in cnbudget (an unexpected exception): the message asks for a report with the input."""
EXIT_INTERRUPTED = 130
"""Stopped by Ctrl-C."""


class CnbudgetError(Exception):
    exit_code = EXIT_INPUT

    def __init__(
        self, message: str, path: str = "", line: int | None = None, *, setting: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.setting = setting
        """The setting that governs this error (a `ReadOptions` field, ``db``, ``metric`` …), if any."""

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where = f"{where}:{self.line}" if where else t(f"第 {self.line} 行", f"line {self.line}")
        return f"{where}{t('：', ': ')}{self.message}" if where else self.message


class InputError(CnbudgetError):
    """The file cannot be turned into a document: bad input, not a bug."""


class OutputError(CnbudgetError):
    exit_code = EXIT_OUTPUT


class UsageError(CnbudgetError):
    """A request the library cannot answer as asked (unknown metric, ambiguous organisation …)."""

    exit_code = EXIT_USAGE


class DatabaseError(CnbudgetError):
    """The library cannot be opened or written."""

    exit_code = EXIT_DATABASE
