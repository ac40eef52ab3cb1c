"""The run's language: --lang, CNBUDGET_LANG, then the POSIX locale; Chinese when nothing says English."""

from __future__ import annotations

import pytest

from cnbudget.domain import i18n


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch):
    for name in ("CNBUDGET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    i18n.set_language(None)
    yield
    i18n.set_language(None)


def test_chinese_when_nothing_is_set() -> None:
    assert i18n.language() == "zh"
    assert i18n.t("金额", "amount") == "金额"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "POSIX"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "de_DE.UTF-8"}, "zh"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "en_GB", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"CNBUDGET_LANG": "zh", "LC_ALL": "en_US.UTF-8"}, "zh"),
        ({"CNBUDGET_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"CNBUDGET_LANG": "fr", "LANG": "en_US.UTF-8"}, "en"),
    ],
)
def test_environment_order(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.language() == expected


def test_the_command_line_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNBUDGET_LANG", "zh")
    i18n.set_language("en")
    assert i18n.t("金额", "amount") == "amount"
    i18n.set_language(None)
    assert i18n.english() is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [("zh", "zh"), ("EN", "en"), ("en-GB", "en"), ("zh_TW.UTF-8", "zh"), ("fr", None), ("", None)],
)
def test_parse_language(value: str, expected: str | None) -> None:
    assert i18n.parse_language(value) == expected


def test_a_block_in_one_language_then_the_choice_before_it() -> None:
    i18n.set_language("zh")
    with i18n.language_set_to("en"):
        assert i18n.t("金额", "amount") == "amount"
    assert i18n.language() == "zh"
    with i18n.language_set_to(None):  # no choice on the command line: the one before stands
        assert i18n.language() == "zh"


def test_lang_is_taken_out_of_the_arguments_wherever_it_is() -> None:
    from cnbudget.cli.language import split_language
    from cnbudget.domain.errors import UsageError

    assert split_language(["--lang", "en", "audit", "--sample"]) == ("en", ["audit", "--sample"])
    assert split_language(["audit", "--lang=zh", "x.pdf"]) == ("zh", ["audit", "x.pdf"])
    assert split_language(["audit", "--lang", "zh", "--lang", "EN"]) == ("en", ["audit"])
    assert split_language(["audit", "--", "--lang", "en"]) == (None, ["audit", "--", "--lang", "en"])
    assert split_language(["rules"]) == (None, ["rules"])
    for wrong in (["--lang"], ["--lang", "fr"], ["--lang=zh_CN"], ["--lang="]):
        with pytest.raises(UsageError, match="--lang"):
            split_language(wrong)
