"""Entry point: one Typer app; every error becomes a message and an exit code, never a traceback."""

from __future__ import annotations

import sys

import typer

from cnbudget.cli import documents
from cnbudget.errors import EXIT_INPUT, CnbudgetError

app = typer.Typer(
    name="cnbudget",
    help="Read, check and compare Chinese government budget and final-account disclosures (部门预算/决算公开).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
documents.register(app)


def main() -> None:
    try:
        app(standalone_mode=False)
    except CnbudgetError as exc:
        sys.stderr.write(f"cnbudget: error: {exc}\n")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("cnbudget: interrupted\n")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # the last line of defence: say what failed, where to report it
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        sys.stderr.write(
            f"cnbudget: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in cnbudget; please report it with the input file.\n"
        )
        sys.exit(EXIT_INPUT if isinstance(exc, UnicodeError | OSError) else 70)


if __name__ == "__main__":  # pragma: no cover
    main()
