"""Entry point: one Typer app; every error becomes a message and an exit code, never a traceback.

`cnbudget`, `cnbudget --help` and `cnbudget --version` answer without loading Typer: the top-level help is
kept in help_text.py (written by tools/generate_cli_help.py, checked against the app by a test), so the
most common first call starts in a few hundredths of a second.
"""

from __future__ import annotations

import sys

import typer

from cnbudget.cli import audit, diff, documents, library, web
from cnbudget.cli.render import error_text
from cnbudget.domain.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CnbudgetError
from cnbudget.domain.version import __version__

app = typer.Typer(
    name="cnbudget",
    help="Read, check and compare Chinese government budget and final-account disclosures (部门预算/决算公开).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"cnbudget {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Read, check and compare Chinese government budget and final-account disclosures (部门预算/决算公开)."""


audit.register(app)
documents.register(app)
diff.register(app)
library.register(app)
web.register(app)


def run(args: list[str] | None = None) -> int:
    """Run one command (``args`` default to the process's) and return its exit code; messages go to stderr."""
    try:
        result = app(args=args, prog_name="cnbudget", standalone_mode=False)
    except CnbudgetError as exc:
        sys.stderr.write(f"cnbudget: error: {error_text(exc)}\n")
        return exc.exit_code
    except SystemExit as exc:  # commands end with their exit code
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except typer.Abort:
        sys.stderr.write("cnbudget: aborted\n")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        sys.stderr.write("cnbudget: interrupted\n")
        return EXIT_INTERRUPTED
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # usage errors from the command-line parser
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            sys.stderr.write(f"cnbudget: error: {exc}\n")
        code = getattr(exc, "exit_code", EXIT_USAGE)
        return EXIT_USAGE if code == 2 else code
    except Exception as exc:  # the last line of defence: say what failed and how to report it
        sys.stderr.write(
            f"cnbudget: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in cnbudget; please report it with the input file.\n"
        )
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":  # pragma: no cover
    main()
