"""Numeric claims of the narrative (第三部分 情况说明), so they can be checked against the tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(slots=True)
class NarrativeClaim:
    subject: str
    """What the figure is about, as printed before it ("一般公共预算财政拨款收入")."""
    amount: Decimal | None
    unit: str
    """万元 or 元 (as printed after the amount)."""
    raw: str
    year: int | None = None
    share_pct: Decimal | None = None
    """"占90.55%" → 90.55."""
    share_base: str = ""
    """What the share is of, when named ("占“三公”经费的26.86%" → "“三公”经费"); empty when not."""
    change_amount: Decimal | None = None
    """Signed: 减少 gives a negative amount."""
    change_pct: Decimal | None = None
    """Signed percentage change: 下降 gives a negative number."""
    compared_year: int | None = None
    """The year the change is measured against ("比2025年预算增加…")."""
    completion_pct: Decimal | None = None
    """Final accounts: "完成年初预算的127.1%" → 127.1."""
    section: str = ""
    sentence: str = ""
    """The clause (up to 。 or ；) the claim was read from."""
    paragraph: int = 0
    """Index of the 。-sentence within its section: clauses of one sentence share it."""
    line: int = 0
    page: int | None = None
    """Page of the line, for PDF inputs."""
    position: int = -1
    """Where the amount starts in `sentence` (-1 when unknown): the same figure may be printed twice in one
    sentence ("收入预算16497.86万元，其中：财政拨款收入16497.86万元")."""
    scope: str = ""
    """Whose money the figure is (parse.meaning): 全部 (all funds), 财政拨款, 一般公共预算, 政府性基金,
    国有资本经营 — from the subject's words, else the sentence's total, else the section heading; "" unknown."""
    measure: str = ""
    """What kind of figure: 预算 (this year's budget), 执行数 (last year's execution), 决算, 年初预算, 全年预算;
    "" when the words do not say."""
    base_measure: str = ""
    """The kind of figure a change is measured against, when named ("比2025年预算执行数" → 执行数, "比上年预算"
    → 预算, "比上年决算" → 决算)."""
    base_amount: Decimal | None = None
    """The figure a change is measured against, when the sentence prints it ("29.92万元，较上年的7.80万元增加
    22.12万元" → 7.80)."""
    flat: bool = False
    """The sentence says the figure is the same as the base (与上年持平, 与2023年度持平)."""
    item: str = ""
    """The function item whose paragraph the claim belongs to ("住房保障支出（类）住房改革支出（款）住房公积金（项）"),
    in documents that explain each item in a numbered paragraph; "" elsewhere."""
    block: int = -1
    """Index of that item paragraph in the section (-1 when none): claims of one item share it."""

    @property
    def head(self) -> str:
        """The sentence before this claim's amount."""
        if 0 <= self.position <= len(self.sentence):
            return self.sentence[: self.position]
        return self.sentence.split(self.raw, 1)[0]

    @property
    def tail(self) -> str:
        """The sentence after this claim's amount."""
        if 0 <= self.position <= len(self.sentence):
            return self.sentence[self.position + len(self.raw) :]
        return self.sentence.split(self.raw, 1)[1] if self.raw in self.sentence else ""


@dataclass(slots=True)
class NarrativeSection:
    heading: str
    line: int
    last_line: int
    text: str
    claims: list[NarrativeClaim] = field(default_factory=list)
    line_starts: list[tuple[int, int, int | None]] = field(default_factory=list)
    """(offset in ``text``, line number, page) where each source line of the section begins."""

    def place(self, pos: int) -> tuple[int, int | None]:
        """The line and page of the character at ``pos`` in ``text`` (the heading's line when unknown)."""
        found: tuple[int, int | None] = (self.line, None)
        for start, line, page in self.line_starts:
            if start > pos:
                break
            found = (line, page)
        return found
