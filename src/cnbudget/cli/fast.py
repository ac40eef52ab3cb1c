"""The console script: answers `cnbudget`, `--help` and `--version` before loading Typer, else runs the app."""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    if args in ([], ["--help"], ["-h"]):
        from cnbudget.cli.help_text import HELP

        sys.stdout.write(HELP)
        return
    if args == ["--version"]:
        from cnbudget.domain.version import __version__

        sys.stdout.write(f"cnbudget {__version__}\n")
        return
    from cnbudget.cli.app import main as run

    run()
