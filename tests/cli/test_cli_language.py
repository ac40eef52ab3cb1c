"""One language per screen: Chinese by default, English with --lang en / CNBUDGET_LANG=en / LANG=en_*.

A Chinese screen has no English words except ids, option names, file paths, codes, format names and document
content; an English screen has no Chinese except document content (names, titles, labels, the findings' own
messages) and the domain terms written beside their English. Checked on the help of every command and on the
usual outputs, in both languages.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from cnbudget.cli.app import build_app
from cnbudget.domain.catalog import sources
from cnbudget.domain.errors import EXIT_USAGE
from cnbudget.domain.i18n import language_set_to
from cnbudget.library.exports import EXPORT_TABLES
from cnbudget.store.metrics import DERIVED, metric_specs
from support.cli import invoke, process
from support.paths import ROOT
from support.seeds import SEED_FILES

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

# ---- what a Chinese screen may show in Latin letters ------------------------------------------------
TECHNICAL = re.compile(
    r"--?[A-Za-z][\w-]*"  # option names
    r"|\S*[/\\]\S*"  # paths, URLs, a/b alternatives
    r"|\b[\w.-]+\.(?:toml|xlsx|html|csv|json|pdf|db)\b"  # file names
    r"|\$?[A-Za-z]+_[\w]+"  # snake_case ids, metric names, environment variables
    r"|[A-Za-z_]+:[A-Za-z\d]+"  # function:206, economic:CODE
    r"|\b[A-Z][A-Z\d-]*\b"  # ids and acronyms: B03, DUP-PROJECT-001, PDF, OCR
    r"|\b\w*\d\w*\b"  # anything with a digit: codes, sha256
    r"|\bp\.\d"  # page references
)
TERMS = {
    "cnbudget",
    "zh",
    "en",
    "pip",
    "install",
    "x",
    # format and enum values typed on the command line
    *[
        "text",
        "json",
        "html",
        "xlsx",
        "xls",
        "docx",
        "csv",
        "parquet",
        "checklist",
        "error",
        "warning",
        "never",
        "info",
        "budget",
        "final",
        "dataset",
        "local",
        "ray",
        "auto",
    ],
    *["department", "unit", "province", "city", "district", "all", "general", "ocr", "no"],
    # ids a user types or a program reads: command names, metric names, export tables, --log fields
    *(c.name or "" for c in build_app().registered_commands),
    *(g.name or "" for g in build_app().registered_groups),
    *["merge", "unmerge", "aliases", "add", "list", "passwd"],  # their subcommands
    *["admin", "reviewer", "viewer"],  # the web application's roles, typed as --role
    *metric_specs(),
    *DERIVED,
    *EXPORT_TABLES,
    *["time", "path", "status", "message"],
    "SQLite",
    "PostgreSQL",
    "postgresql",
    "Unicode",
    "Excel",
    "Parquet",
    "Typer",
    "Ray",
}


def english_words(screen: str) -> set[str]:
    """Latin words on a Chinese screen that are not ids, options, paths, codes or names of formats."""
    rest = TECHNICAL.sub(" ", screen)
    return {w for w in re.findall(r"[A-Za-z]{2,}", rest) if w not in TERMS and w.lower() not in TERMS}


DOMAIN_TERMS = (
    "部门预算/决算公开",
    "公开情况检查表",
    "预算",
    "决算",
    "基本/项目",
    "人员经费",
    "三公",
    "一般公共预算",
    "万元",
    "预算/决算",
)
"""Chinese terms an English screen gives beside their English (in parentheses), as the reviewers name them."""


def chinese_outside(screen: str, allowed: list[str]) -> list[str]:
    """Runs of Chinese on an English screen found in none of the allowed texts (document content, terms)."""
    pool = "\n".join([*allowed, *DOMAIN_TERMS])
    return [run for run in CJK.findall(screen) if run not in pool]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _commands() -> list[str]:
    app = build_app()
    return [c.name or "" for c in app.registered_commands] + [g.name or "" for g in app.registered_groups]


SUBCOMMANDS = [
    ("organisations", "merge"),
    ("organisations", "unmerge"),
    ("organisations", "aliases"),
    ("users", "add"),
    ("users", "list"),
    ("users", "passwd"),
]


# ---- help ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["", *sorted(_commands()), *(" ".join(pair) for pair in SUBCOMMANDS)])
def test_help_of_every_command_in_one_language(command: str) -> None:
    args = [*command.split(" "), "--help"] if command else ["--help"]
    zh = invoke(*args)
    assert zh.returncode == 0, zh.stderr
    assert "用法：" in zh.stdout and "Usage" not in zh.stdout
    assert not english_words(zh.stdout), english_words(zh.stdout)
    assert "<bool>" not in zh.stdout and "list[" not in zh.stdout and "<path>" not in zh.stdout
    en = invoke("--lang", "en", *args)
    assert en.returncode == 0, en.stderr
    assert "Usage:" in en.stdout and "用法" not in en.stdout
    assert not chinese_outside(en.stdout, []), chinese_outside(en.stdout, [])


def test_every_option_and_argument_says_what_it_does() -> None:
    import typer.main

    for lang in ("zh", "en"):
        with language_set_to(lang):  # type: ignore[arg-type]
            group = typer.main.get_command(build_app())
            commands = getattr(group, "commands", {})
            assert set(commands) == set(_commands())
            for name, command in commands.items():
                for param in command.params:
                    assert getattr(param, "help", None), (lang, name, param.name)
                for sub, subcommand in getattr(command, "commands", {}).items():  # organisations merge …
                    assert subcommand.help, (lang, name, sub)
                    for param in subcommand.params:
                        assert getattr(param, "help", None), (lang, name, sub, param.name)
            groups = {name: set(getattr(c, "commands", {})) for name, c in commands.items()}
            assert groups["organisations"] == {"merge", "unmerge", "aliases"}
            assert groups["users"] == {"add", "list", "passwd"}


def test_root_help_from_the_app_and_from_the_fast_path_agree_on_the_language() -> None:
    for env, marker, other in (({}, "用法：", "Usage:"), ({"CNBUDGET_LANG": "en"}, "Usage:", "用法：")):
        slow = invoke("--help", env=env)
        fast = process("--help", env=env)
        assert marker in slow.stdout and other not in slow.stdout
        assert fast.returncode == 0 and marker in fast.stdout and other not in fast.stdout, fast.stdout


def test_the_fast_path_takes_lang_and_the_locale() -> None:
    english = process("--lang", "en", env={"CNBUDGET_LANG": ""})
    assert english.returncode == 0 and english.stdout.startswith("Usage: cnbudget"), english.stdout
    by_locale = process(
        "-h", env={"CNBUDGET_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "en_US.UTF-8"}
    )
    assert by_locale.stdout.startswith("Usage: cnbudget"), by_locale.stdout
    chinese = process("--lang=zh", "--help", env={"CNBUDGET_LANG": "en"})
    assert chinese.stdout.startswith("用法：cnbudget"), chinese.stdout
    assert not english_words(chinese.stdout), english_words(chinese.stdout)
    # a whole command in a process of its own, the option after the command name
    shown = process("show", "--sample", "--table", "B99", "--lang", "en", env={"CNBUDGET_LANG": "zh"})
    assert shown.returncode == EXIT_USAGE and "table B99 is not in this document" in shown.stderr, (
        shown.stderr
    )


@pytest.mark.parametrize("args", [("--lang", "fr", "rules"), ("rules", "--lang"), ("--lang=", "rules")])
def test_an_unknown_language_is_a_usage_error(args: tuple[str, ...]) -> None:
    result = invoke(*args)
    assert result.returncode == EXIT_USAGE and "--lang" in result.stderr and "zh" in result.stderr
    assert result.stdout == ""
    fast = process(*args)
    assert fast.returncode == EXIT_USAGE and "--lang" in fast.stderr and "Traceback" not in fast.stderr


def test_lang_does_not_outlive_its_run() -> None:
    assert "Usage:" in invoke("--lang", "en", "rules", "--help").stdout
    assert "用法：" in invoke("rules", "--help").stdout


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (("audit", "--frob"), "没有选项 --frob", "No such option: --frob"),
        (("history",), "缺少参数 部门", "Missing argument 'ORGANISATION'"),
        (("compare", "--year", "x"), "“x” 不是整数", "'x' is not a valid integer"),
        (("audit", "--format", "z", "--sample"), "可选：text、json", "'z' is not one of"),
        (("audit", "--max-pages", "0", "--sample"), "超出范围", "not in the range"),
        (("frobnicate",), "没有命令 frobnicate", "No such command 'frobnicate'"),
        (("audit", "--output"), "选项 --output 需要一个值", "requires an argument"),
        (("show", "--sample", "--table", "B99"), "本文件中没有表 B99", "table B99 is not in this document"),
        (("audit",), "缺少文件", "missing FILE"),
    ],
)
def test_usage_errors_in_each_language(args: tuple[str, ...], zh: str, en: str) -> None:
    chinese = invoke(*args)
    assert chinese.returncode == EXIT_USAGE and zh in chinese.stderr, chinese.stderr
    typed = chinese.stderr.replace(args[0], "")  # the user's own words, quoted back
    assert not english_words(typed), english_words(typed)
    english = invoke("--lang", "en", *args)
    assert english.returncode == EXIT_USAGE and en in english.stderr, english.stderr
    assert not CJK.search(english.stderr), english.stderr


# ---- outputs ------------------------------------------------------------------------------------------
@cache
def _document_texts(path: Path | None = None) -> tuple[str, ...]:
    """Every string of the parsed document (names, titles, labels, notes) and of its audit (the findings'
    messages are stored text, in Chinese), and the rule catalogue's descriptions."""
    where = [str(path)] if path else ["--sample"]
    texts = _strings(json.loads(invoke("parse", *where).stdout))
    texts += _strings(json.loads(invoke("audit", *where, "--format", "json").stdout))
    texts += [r["description"] for r in json.loads(invoke("rules", "--format", "json").stdout)]
    texts += [s.short for s in sources().values()]  # the provisions a rule rests on, cited as in Chinese law
    return tuple(texts)


def test_audit_and_parse_summary_in_each_language() -> None:
    allowed = list(_document_texts())
    for args in (("audit", "--sample"), ("parse", "--sample", "--format", "text"), ("rules",)):
        zh = invoke(*args)
        assert zh.returncode in (0, 1), zh.stderr
        assert not english_words(zh.stdout), (args, english_words(zh.stdout))
        en = invoke("--lang", "en", *args)
        assert en.returncode == zh.returncode, en.stderr
        assert not chinese_outside(en.stdout, allowed), (args, chinese_outside(en.stdout, allowed))
    audit_zh, audit_en = (
        invoke("audit", "--sample").stdout,
        invoke("--lang", "en", "audit", "--sample").stdout,
    )
    assert "错误" in audit_zh and "条已检查" in audit_zh
    assert re.search(r"\d+ errors", audit_en) and "checked" in audit_en
    summary = invoke("--lang", "en", "parse", "--sample", "--format", "text").stdout
    assert "Tables" in summary and "Narrative:" in summary


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("lang") / "library.db")
    done = invoke("ingest", str(SEED_FILES["000"]), str(SEED_FILES["003"]), "--db", db, "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert "新入库 2" in done.stderr
    return db


def test_library_answers_in_each_language(library: str) -> None:
    allowed = [*_document_texts(SEED_FILES["000"]), *_document_texts(SEED_FILES["003"])]
    organisations = json.loads(invoke("organisations", "--db", library, "--format", "json").stdout)
    names = [r["name"] for r in organisations["rows"]]
    allowed += names + [r["parent"] or "" for r in organisations["rows"]]
    # the names of function codes are the official classification's (reference data, in Chinese)
    from cnbudget.domain.codes import function_codes

    allowed += list(function_codes().values())
    year = json.loads(invoke("parse", str(SEED_FILES["003"])).stdout)["metadata"]["fiscal_year"]
    questions = [
        ("organisations",),
        ("findings", "--limit", "5"),
        ("compare", "--year", str(year), "--kind", "final"),
        ("history", names[0]),
        ("metrics",),
        ("findings", "--rule", "NOPE-999"),
        ("execution", names[0], "1999"),
    ]
    for args in questions:
        zh = invoke(*args, "--db", library)
        en = invoke("--lang", "en", *args, "--db", library)
        assert zh.returncode == en.returncode, (args, zh.stderr, en.stderr)
        assert not english_words(zh.stdout + zh.stderr), (args, english_words(zh.stdout + zh.stderr))
        found = chinese_outside(en.stdout + en.stderr, allowed)
        assert not found, (args, found)
    assert "个部门（单位）" in invoke("organisations", "--db", library).stdout
    assert "organisations" in invoke("--lang", "en", "organisations", "--db", library).stdout


def test_ingest_summary_and_failures_in_each_language(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    db = str(tmp_path / "lib.db")
    zh = invoke("ingest", str(bad), "--db", db)
    assert "失败 1" in zh.stderr and "文件是空的" in zh.stderr
    assert not english_words(zh.stderr), english_words(zh.stderr)
    other = tmp_path / "also-empty.txt"
    other.write_bytes(b"  \n")
    # read by worker processes: they speak the language of --lang too
    en = invoke("--lang", "en", "ingest", str(bad), str(other), "--db", db, "--jobs", "2")
    assert "failed 2" in en.stderr and en.stderr.count("the file is empty") == 2, en.stderr
    assert not CJK.search(en.stderr), en.stderr


def test_help_texts_follow_the_language_of_each_build() -> None:
    """Option help is read from the signatures when the command is built: each run gets its own language."""
    for lang, word in (("zh", "显示本帮助并退出"), ("en", "Show this message and exit")):
        with language_set_to(lang):  # type: ignore[arg-type]
            assert word in invoke("parse", "--help").stdout


def test_rules_under_a_review_profile_in_each_language() -> None:
    profile = ROOT / "docs" / "profile.example.toml"
    zh = invoke("rules", "--profile", str(profile))
    assert zh.returncode == 0, zh.stderr
    assert "按审核配置" in zh.stdout and "已停用" in zh.stdout, zh.stdout[:400]
    assert not english_words(zh.stdout), english_words(zh.stdout)
    en = invoke("--lang", "en", "rules", "--profile", str(profile))
    assert en.returncode == 0, en.stderr
    assert "under the profile" in en.stdout and "disabled" in en.stdout, en.stdout[:400]
    name = "某区财政局部门预算公开审核口径"  # the profile's own name: its content, in the reviewer's words
    allowed = [*_document_texts(), name]
    assert not chinese_outside(en.stdout, allowed), chinese_outside(en.stdout, allowed)
