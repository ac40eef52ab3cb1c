"""Entry point: one Typer app; every error becomes a message and an exit code, never a traceback."""

from __future__ import annotations

import sys

import typer

from cnbudget.cli import audit, documents, library
from cnbudget.domain.errors import EXIT_OK, EXIT_USAGE, CnbudgetError

app = typer.Typer(
    name="cnbudget",
    help="Read, check and compare Chinese government budget and final-account disclosures (部门预算/决算公开).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
audit.register(app)
documents.register(app)
library.register(app)


def main() -> None:
    try:
        result = app(standalone_mode=False)
    except CnbudgetError as exc:
        sys.stderr.write(f"cnbudget: error: {exc}\n")
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("cnbudget: aborted\n")
        sys.exit(130)
    except KeyboardInterrupt:
        sys.stderr.write("cnbudget: interrupted\n")
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors from the command-line parser
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            sys.stderr.write(f"cnbudget: error: {exc}\n")
        code = getattr(exc, "exit_code", EXIT_USAGE)
        sys.exit(EXIT_USAGE if code == 2 else code)
    except Exception as exc:  # the last line of defence: say what failed and how to report it
        sys.stderr.write(
            f"cnbudget: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in cnbudget; please report it with the input file.\n"
        )
        sys.exit(70)
    sys.exit(result if isinstance(result, int) else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
