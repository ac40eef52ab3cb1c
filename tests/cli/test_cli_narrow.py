"""On a terminal too narrow for an answer's table (80 columns), the rows are printed one by one: no rule id,
figure or year is cut into slivers."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from rich.console import Console

from cnbudget.cli import render
from cnbudget.model.answer import Answer


def _answer() -> Answer:
    answer = Answer(title="审核发现", columns=["organisation", "year", "rule_id", "message", "amount"],
                    headers={"organisation": "部门", "year": "年度", "rule_id": "规则", "message": "说明", "amount": "金额"})  # fmt: skip
    for n in range(3):
        answer.rows.append({"organisation": "武汉市信息中心（武汉市大数据中心）", "year": 2026,
                            "rule_id": f"NARR-AMOUNT-00{n}", "amount": Decimal("1234567.89"),
                            "message": "情况说明第 1831 行“一般公共预算基本支出 472.12万元”与报表不一致：" * 2})  # fmt: skip
    return answer


@pytest.mark.parametrize("width", [60, 80, 200])
def test_an_answer_fits_the_terminal_without_splitting_values(
    width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = io.StringIO()
    monkeypatch.setattr(
        render, "console_for", lambda output, b=None, stderr=False: Console(file=buffer, width=width)
    )
    render.show_answer(_answer(), "text", None)
    text = buffer.getvalue()
    for n in range(3):
        assert f"NARR-AMOUNT-00{n}" in text
    assert text.count("1,234,567.89") == 3 and text.count("2026") == 3
    assert max(len(line) for line in text.splitlines()) <= width
