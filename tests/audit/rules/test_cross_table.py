"""Rules of the family cross_table (表间勾稽): each fires on a seed with the mistake it looks for and stays
quiet on a clean one."""

from __future__ import annotations

from decimal import Decimal

from support.rulecases import B06, Case, _b, _drop_row, _set, assert_fires, assert_quiet, cases_of, edited

CASES = [
    # the two changes that went unnoticed before (issue 11): 人员类 1,681.58 → 1,681.98; 特定目标类 4,100.34 → 4,100.04;
    # seed 002's 运转类 123.66 includes a project of 72.00 beside the 公用经费 51.66, and stays quiet
    Case("XT-B11-B03", "000", edited("人员类项目支出\t1681.58", "人员类项目支出\t1681.98"), "002"),
    Case(
        "XT-B11-B03", "000", edited("特定目标类项目支出\t\t4100.34", "特定目标类项目支出\t\t4100.04"), "000"
    ),
    Case("XT-B01-B03", "000", _b("B03", "合计", code="201"), "000"),
    Case("XT-B04-B05", "000", _b("B04", "支出/预算数", label="（一）一般公共服务支出", side="支出"), "000"),
    Case("XT-B01-B04", "000", _b("B04", "支出/预算数", label="（四）科学技术支出", side="支出"), "000"),
    Case("XT-B03-B05", "000", _b("B05", "合计", code="2014150"), "000"),
    Case("XT-B05-B05U", "000", _b("B05U", "项目支出", code="157003"), "000"),
    Case("XT-B06-B05", "000", _b("B06", B06 + "人员经费", label="合计"), "000"),
    Case("XT-B07-B06", "000", _set("B06", B06 + "合计", "1.00", code="30217"), "000"),
    Case("XT-B10-B03", "000", _b("B10", "合计", code="42010026157Y000000107"), "000"),
    Case("XT-B02-B01", "000", _b("B02", "本年收入/一般公共预算", label="合计"), "000"),
    Case("XT-B11-B01", "000", lambda d: setattr(d.performance[0], "total_budget", Decimal("5900.00")), "001"),
    Case("XT-F01-F03", "003", _b("F03", "本年支出合计", code="206"), "003"),
    Case("XT-F04-F05", "003", _b("F05", "本年支出/小计", code="206"), "003"),
    Case("XT-F01-F02", "003", _b("F02", "本年收入合计", label="合计"), "003"),
    Case("XT-F05-F06", "003", _b("F05", "本年支出/基本支出", label="合计"), "003"),
    Case("XT-F09-F06", "003", _set("F06", "公用经费/决算数", "1.00", code="30217"), "003"),
    Case("XT-UNITS-001", "004", _drop_row("B05U", code="135002"), "004"),
]


@cases_of(CASES)
def test_fires(case: Case) -> None:
    assert_fires(case)


@cases_of(CASES)
def test_quiet_when_clean(case: Case) -> None:
    assert_quiet(case)
