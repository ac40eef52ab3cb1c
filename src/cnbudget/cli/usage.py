"""Typer's and Click's own words in the run's language: help panels, the usage line, type names, the help
option, and the command-line parser's error messages.

Typer 0.28 vendors Click without gettext, so there is no catalogue to install: the words Typer keeps as
module constants (rich_utils: panel titles, "[default: …]") are set for the run, the usage line and type
names come from the command classes below (given to Typer with ``cls=``), and parser errors are written by
`usage_error_text` from the exception's fields rather than from Click's English sentence.
"""

from __future__ import annotations

import re
from copy import copy
from typing import Any

import typer
from typer._click import exceptions as click_errors  # the vendored Click's error classes (typer <0.29)
from typer._click.exceptions import NoArgsIsHelpError
from typer.core import TyperArgument, TyperCommand, TyperGroup

from cnbudget.domain.i18n import t

__all__ = [
    "BadValue",
    "Command",
    "Group",
    "localise_params",
    "NoArgsIsHelpError",
    "localise_typer",
    "usage_error_lines",
]


def localise_typer() -> None:
    """Typer's fixed help words in the run's language (module constants it reads when it prints help).

    Called only when help is printed: Typer's help renderer (rich_utils, with Rich's Markdown) costs more
    than a whole command's start-up, and a command that does its work never needs it."""
    from rich.text import Text
    from typer import rich_utils

    class _FoldingHighlighter(rich_utils.OptionHighlighter):
        """Typer's highlighter, with help texts folded at the column's edge: Rich wraps at spaces, and a
        Chinese sentence has none, so it would be cut with "…" instead of continuing on the next line."""

        def __call__(self, text: str | Text) -> Text:
            out = super().__call__(text)
            out.overflow = "fold"
            return out

    rich_utils.highlighter = _FoldingHighlighter()
    rich_utils.ARGUMENTS_PANEL_TITLE = t("参数", "Arguments")
    rich_utils.OPTIONS_PANEL_TITLE = t("选项", "Options")
    rich_utils.COMMANDS_PANEL_TITLE = t("命令", "Commands")
    rich_utils.ERRORS_PANEL_TITLE = t("错误", "Error")
    rich_utils.DEFAULT_STRING = t("[默认：{}]", "[default: {}]")
    rich_utils.REQUIRED_LONG_STRING = t("[必填]", "[required]")
    rich_utils.ENVVAR_STRING = t("[环境变量：{}]", "[env var: {}]")
    rich_utils.DEPRECATED_STRING = t("（已弃用）", "(deprecated) ")
    rich_utils.ABORTED_TEXT = t("已中止。", "Aborted.")
    rich_utils.RICH_HELP = t("帮助：[blue]{command_path} {help_option}[/]", "Try [blue]'{command_path} {help_option}'[/] for help.")  # fmt: skip


def _type_names() -> dict[str, str]:
    return {
        "path": t("路径", "path"),
        "text": t("文本", "text"),
        "str": t("文本", "text"),
        "int": t("整数", "integer"),
        "int range": t("整数", "integer"),
        "float": t("数字", "number"),
        "float range": t("数字", "number"),
    }


def localise_params(params: list[Any]) -> None:
    """Each parameter's type shown as ``<路径>``/``<整数>`` (a copy of the type: Click shares some of them)."""
    names = _type_names()
    for param in params:
        name = getattr(param.type, "name", "")
        if name in names:
            param.type = copy(param.type)
            param.type.name = names[name]


def _help_option(option: Any) -> Any:
    if option is not None:
        option.help = t("显示本帮助并退出。", "Show this message and exit.")
    return option


class _Localised:
    """The usage line and the help option in the run's language (mixed into a Click command or group)."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = " ".join(self.collect_usage_pieces(ctx))  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, pieces, t("用法：", "Usage: "))

    def get_help_option(self, ctx: Any) -> Any:
        return _help_option(super().get_help_option(ctx))  # type: ignore[misc]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        localise_typer()  # the help words in the run's language, set when help is printed
        super().format_help(ctx, formatter)  # type: ignore[misc]


class Command(_Localised, TyperCommand):
    """A command whose usage line, type names and help option speak the run's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["options_metavar"] = t("[选项]", "[OPTIONS]")
        super().__init__(*args, **kwargs)
        localise_params(self.params)


class Group(_Localised, TyperGroup):
    """The `cnbudget` group, speaking the run's language like `Command`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["options_metavar"] = t("[选项]", "[OPTIONS]")
        kwargs["subcommand_metavar"] = t("命令 [参数]...", "COMMAND [ARGS]...")
        super().__init__(*args, **kwargs)
        localise_params(self.params)


# ---- parser errors ----------------------------------------------------------------------------------
class BadValue(click_errors.BadParameter):
    """A value refused by one of cnbudget's own checks, its message already in the run's language."""


_QUOTED = re.compile(r"^'((?:[^'\\]|\\.)*)'|^(\S+) is not in the range")


def _hint(exc: Any) -> str:
    if getattr(exc, "param_hint", None) is not None:
        hint = exc.param_hint
        return " / ".join(hint) if isinstance(hint, list | tuple) else str(hint)
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    if isinstance(param, TyperArgument):
        return param.metavar or param.name or ""
    return " / ".join(param.opts)


def _bad_value(exc: Any) -> str:
    """Why a value was refused, said in Chinese from the parameter's type (Click's sentence is English)."""
    param = getattr(exc, "param", None)
    kind = getattr(param, "type", None)
    found = _QUOTED.match(exc.message or "")
    value = (found.group(1) or found.group(2)) if found else ""
    given = f"“{value}”" if value else t("给出的值", "the value")
    choices = getattr(kind, "choices", None)
    if choices:
        return f"{given} 不是可选值，可选：{'、'.join(str(getattr(c, 'value', c)) for c in choices)}"
    described = getattr(kind, "_describe_range", None)
    if callable(described) and " in the range " in (exc.message or ""):
        return f"{given} 超出范围（{described()}）"
    if "int" in type(kind).__name__.lower():
        return f"{given} 不是整数"
    if "float" in type(kind).__name__.lower():
        return f"{given} 不是数字"
    if "is not a valid" in (exc.message or ""):
        return f"{given} 无效"
    return exc.message or ""


def usage_error_text(exc: click_errors.UsageError) -> str:
    """The parser's complaint in the run's language (English: Click's own message)."""
    message = exc.message or ""
    hint = _hint(exc)
    if isinstance(exc, click_errors.NoSuchOption):
        text = t(f"没有选项 {exc.option_name}", f"No such option: {exc.option_name}")
        if exc.possibilities:
            near = ", ".join(sorted(exc.possibilities))
            text += t(f"（可能是：{near}）", f" (Possible options: {near})")
        return text
    if isinstance(exc, click_errors.MissingParameter):
        if getattr(exc, "param", None) is not None and isinstance(exc.param, TyperArgument):
            return t(f"缺少参数 {hint}", exc.format_message())
        return t(f"缺少选项 {hint}", exc.format_message())
    if isinstance(exc, BadValue):
        return t(f"{hint} 的值无效：{exc.message}", f"Invalid value for {hint}: {exc.message}")
    if isinstance(exc, click_errors.BadParameter):
        return t(f"{hint} 的值无效：{_bad_value(exc)}", exc.format_message())
    if isinstance(exc, click_errors.BadOptionUsage):
        if "requires" in message:
            return t(f"选项 {exc.option_name} 需要一个值", message)
        if "does not take a value" in message:
            return t(f"选项 {exc.option_name} 不接受值", message)
    found = re.match(r"Got unexpected extra arguments? \((.*)\)$", message)
    if found:
        return t(f"多余的参数：{found.group(1)}", message)
    found = re.match(r"No such command '(.*)'\.$", message)
    if found:
        return t(f"没有命令 {found.group(1)}（全部命令：cnbudget --help）", message)
    if message == "Missing command.":
        return t("缺少命令（全部命令：cnbudget --help）", message)
    return exc.format_message()


def usage_error_lines(exc: typer.TyperException) -> str:
    """The usage line, where to find help, and the error: what `cnbudget` prints for a wrong command line."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            command = f"{ctx.command_path} {ctx.help_option_names[0]}"
            lines.append(t(f"帮助：{command}", f"Try '{command}' for help."))
        lines.append("")
    text = usage_error_text(exc) if isinstance(exc, click_errors.UsageError) else str(exc)
    lines.append(t("cnbudget：错误：", "cnbudget: error: ") + text)
    return "\n".join(lines) + "\n"
