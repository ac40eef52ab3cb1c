"""Entry point: one Typer app per language; every error becomes a message and an exit code, never a traceback.

`cnbudget`, `cnbudget --help` and `cnbudget --version` answer without loading Typer: the top-level help is
kept in help_text.py (written by tools/generate_cli_help.py, checked against the app by a test), so the
most common first call starts in a few hundredths of a second.

The language (`--lang zh|en`, else CNBUDGET_LANG / the locale; Chinese by default) is taken from the arguments
before the app is built: command help is given at registration and option help when Typer reads the
signatures, both in the language of the run (cli/options.py, cli/usage.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer

from cnbudget.cli import audit, diff, documents, library, web
from cnbudget.cli.language import split_language
from cnbudget.cli.render import error_text
from cnbudget.cli.usage import Group, NoArgsIsHelpError, usage_error_lines
from cnbudget.domain.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CnbudgetError
from cnbudget.domain.i18n import LANG_ENV, Language, language, language_set_to, t
from cnbudget.domain.version import __version__


def summary() -> str:
    return t(
        "读取、审核、比较政府部门预算和决算公开文件。",
        "Read, check and compare Chinese government budget and final-account disclosures (部门预算/决算公开).",
    )


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"cnbudget {__version__}\n")
        raise typer.Exit()


_APPS: dict[Language, typer.Typer] = {}


def build_app() -> typer.Typer:
    """The Typer app in the run's language (built once per language)."""
    lang = language()
    if lang not in _APPS:
        app = typer.Typer(
            name="cnbudget",
            cls=Group,
            help=summary(),
            no_args_is_help=True,
            add_completion=False,
            pretty_exceptions_enable=False,
            context_settings={"help_option_names": ["-h", "--help"]},
        )
        app.callback(help=summary())(_localised_root())
        audit.register(app)
        documents.register(app)
        diff.register(app)
        library.register(app)
        web.register(app)
        _APPS[lang] = app
    return _APPS[lang]


def _localised_root() -> Callable[..., None]:
    def root(
        version: bool = typer.Option(
            False,
            "--version",
            callback=_version,
            is_eager=True,
            help=t("显示版本号并退出。", "Print the version and exit."),
        ),
        lang: str = typer.Option(
            "",
            "--lang",
            metavar="zh|en",
            show_default=False,
            help=t(
                "界面语言：zh（中文，默认）或 en（英文）；也可用 CNBUDGET_LANG 或 LANG 设置。",
                "The language of the screens: zh (Chinese, the default) or en; also CNBUDGET_LANG or LANG.",
            ),
        ),
    ) -> None:
        """The options before the command name."""

    return root  # fmt: skip


def run(args: list[str] | None = None) -> int:
    """Run one command (``args`` default to the process's) and return its exit code; messages go to stderr."""
    arguments = list(sys.argv[1:] if args is None else args)
    try:
        lang, arguments = split_language(arguments)
    except CnbudgetError as exc:
        sys.stderr.write(t("cnbudget：错误：", "cnbudget: error: ") + f"{error_text(exc)}\n")
        return exc.exit_code
    with language_set_to(lang), _for_workers(lang):
        return _run(arguments)


@contextmanager
def _for_workers(lang: Language | None) -> Iterator[None]:
    """The language of ``--lang`` also in the environment, for worker processes however they start (ingest)."""
    if lang is None:
        yield
        return
    saved = os.environ.get(LANG_ENV)
    os.environ[LANG_ENV] = lang
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(LANG_ENV, None)
        else:
            os.environ[LANG_ENV] = saved


def _run(args: list[str]) -> int:
    app = build_app()
    try:
        result = app(args=args, prog_name="cnbudget", standalone_mode=False)
    except CnbudgetError as exc:
        sys.stderr.write(t("cnbudget：错误：", "cnbudget: error: ") + f"{error_text(exc)}\n")
        return exc.exit_code
    except SystemExit as exc:  # commands end with their exit code
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except typer.Abort:
        sys.stderr.write(t("cnbudget：已中止\n", "cnbudget: aborted\n"))
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        sys.stderr.write(t("cnbudget：已中断\n", "cnbudget: interrupted\n"))
        return EXIT_INTERRUPTED
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # usage errors from the command-line parser
        if isinstance(exc, NoArgsIsHelpError):  # `cnbudget` alone: the help (Typer's own)
            exc.show()
        else:
            sys.stderr.write(usage_error_lines(exc))
        code = getattr(exc, "exit_code", EXIT_USAGE)
        return EXIT_USAGE if code == 2 else code
    except Exception as exc:  # the last line of defence: say what failed and how to report it
        sys.stderr.write(
            t(
                f"cnbudget：内部错误：{type(exc).__name__}: {exc}\n这是 cnbudget 的缺陷，请连同输入文件一起报告。\n",
                f"cnbudget: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in cnbudget; please report it with the input file.\n",
            )
        )
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":  # pragma: no cover
    main()
