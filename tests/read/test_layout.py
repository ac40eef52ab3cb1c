"""Positioned characters and rules → rows (read.layout), and page furniture left out of running text."""

from __future__ import annotations

from cnbudget.parse.furniture import page_number_lines
from cnbudget.read import Line
from cnbudget.read.layout import Char, Rule, grid_rows


def _word(text: str, x: float, top: float, size: float = 10.0) -> list[Char]:
    return [Char(ch, x + i * size, top, x + (i + 1) * size, top + size) for i, ch in enumerate(text)]


def _grid(top_rule: bool) -> tuple[list[Rule], list[Rule]]:
    """Three columns (x 0–60–160–260), rows 10–30, 30–50; the outer top rule at 10 drawn or not."""
    horizontal = [Rule(y, 0, 260) for y in ((10, 30, 50) if top_rule else (30, 50))]
    vertical = [Rule(x, 10, 50) for x in (0, 60, 160, 260)]
    return horizontal, vertical


def test_a_grid_row_without_its_top_rule_is_still_a_row() -> None:
    chars = [*_word("30206", 2, 14, 8), *_word("电费", 70, 14), *_word("235.00", 200, 14, 8)]
    chars += [*_word("30207", 2, 34, 8), *_word("邮电费", 70, 34), *_word("105.00", 200, 34, 8)]
    for drawn in (True, False):
        rows, free = grid_rows(chars, *_grid(drawn))
        assert not free
        assert sorted(r.cells for r in rows) == [["30206", "电费", "235.00"], ["30207", "邮电费", "105.00"]]


def test_text_inside_a_frame_is_not_a_grid_row() -> None:
    # a frame (two long verticals) with one ruled table low down: the paragraph above it stays text
    horizontal = [Rule(y, 0, 300) for y in (200, 220, 240)]
    vertical = [Rule(0, 0, 240), Rule(300, 0, 240), Rule(150, 200, 240)]
    paragraph = _word("说明文字不是表格", 20, 180)
    cell = _word("合计", 20, 205)
    rows, free = grid_rows(paragraph + cell, horizontal, vertical)
    assert "".join(c.text for c in free) == "说明文字不是表格"
    assert [r.cells for r in rows] == [["合计", ""]]


def test_page_numbers_at_the_foot_or_head_of_a_page_are_furniture() -> None:
    lines = [
        Line(1, "因公出国（境）费支出222.5", page=27),
        Line(2, "27", page=27),
        Line(3, "万元，占“三公”经费的26.69%", page=28),
        Line(4, "本年支出 27", page=28),
        Line(5, "- 29 -", page=29),
        Line(6, "2,599.37", page=29),
        Line(7, "第 30 页 共 40 页", page=30),
        Line(8, "30", page=30),
        Line(9, "正文", page=30),
    ]
    # the lone 2,599.37 is the first line of page 29, but an amount, not a page number
    assert page_number_lines(lines) == {2, 5, 7}
    assert page_number_lines([Line(1, "27"), Line(2, "万元")]) == set()  # a text conversion has no pages
