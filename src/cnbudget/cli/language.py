"""`--lang zh|en` taken from the command line before anything is built, so every text of the run — Typer's
help included — is in that language. Imports no Typer: the fast path (cli/fast.py) uses it too."""

from __future__ import annotations

from cnbudget.domain.errors import UsageError
from cnbudget.domain.i18n import LANGUAGES, Language, parse_language, t

OPTION = "--lang"


def split_language(args: list[str]) -> tuple[Language | None, list[str]]:
    """The language asked for with ``--lang X`` or ``--lang=X`` (before the command name or after it; the last
    one wins) and the other arguments in their order. Arguments after ``--`` are left alone.

    A missing or unknown value is a `UsageError` (exit 4)."""
    chosen: Language | None = None
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg == OPTION or arg.startswith(OPTION + "="):
            if arg == OPTION:
                if index + 1 >= len(args):
                    raise UsageError(t("--lang 需要一个值：zh 或 en", "--lang needs a value: zh or en"))
                value = args[index + 1]
                index += 2
            else:
                value = arg.split("=", 1)[1]
                index += 1
            found = parse_language(value) if value.strip().lower() in LANGUAGES else None
            if found is None:
                raise UsageError(
                    t(f"--lang 的值只能是 zh 或 en，不能是“{value}”", f"--lang is zh or en, not {value!r}")
                )
            chosen = found
            continue
        rest.append(arg)
        index += 1
    return chosen, rest
