"""The console script: answers `cnbudget`, `--help` and `--version` before loading Typer, else runs the app."""

from __future__ import annotations

import sys


def main() -> None:
    from cnbudget.cli.language import split_language
    from cnbudget.domain.errors import CnbudgetError
    from cnbudget.domain.i18n import language, language_set_to, t

    try:
        lang, args = split_language(sys.argv[1:])
    except CnbudgetError as exc:
        sys.stderr.write(t("cnbudget：错误：", "cnbudget: error: ") + f"{exc}\n")
        sys.exit(exc.exit_code)
    if args in ([], ["--help"], ["-h"]):
        from cnbudget.cli.help_text import HELP

        with language_set_to(lang):
            sys.stdout.write(HELP[language()])
        return
    if args == ["--version"]:
        from cnbudget.domain.version import __version__

        sys.stdout.write(f"cnbudget {__version__}\n")
        return
    from cnbudget.cli.app import main as run

    run()
