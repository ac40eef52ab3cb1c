"""Indicator rows of performance and self-evaluation tables, whatever their column drift.

Merged cells leave 一级/二级指标 only on the first row of a block, and converters shift cells left or
right. Cells are therefore recognised by what they say: a level-1 name (产出指标 …), a level-2 name
(数量指标 …), a basis (计划标准 …), a goal heading, or else the indicator's name and its values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from cnbudget.domain.text import compact
from cnbudget.domain.vocabulary import GoalKind
from cnbudget.model import Indicator, PerformanceGoal
from cnbudget.parse.targets import clean_latex, looks_like_value, parse_target

WEIGHT = re.compile(r"[（(]\s*(?:得)?\s*(\d+(?:\.\d+)?)\s*分\s*(?:\*[^)）]*)?[)）]")
_LEVEL1 = re.compile(r"^(产出|效益|满意度|成本|效果|影响)指标\d*$")
_LEVEL2 = re.compile(
    r"^(数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|服务满意度|满意度|经济成本|社会成本|"
    r"生态环境成本|经济效益成本|社会效益成本|经济)(指标)?\d*$"
)
_BASIS = re.compile(
    r"^(计划|历史|行业|其他|参考)?(标准|数据)$|^立项批复$|^计划标准$|^测算$|^.{0,6}(标准|依据)$"
)
_GOAL = re.compile(
    r"^(长期|年度|中期)?(绩效)?目标\s*(\d+)?\s*(?:[（(].*[)）])?\s*[:：]?$|^(长期|年度)绩效目标\s*(\d+)"
)
_GOAL_COLUMN = re.compile(
    r"^(长期|年度)绩效\s*(目标|指标)表?\d*[:：]?$|^(长期|年度)(绩效)?目标\d*$|^项目年度绩效目标$"
)
_NOT_INDICATOR = re.compile(
    r"^(偏差|改进措施|备注|说明|-{3,}|填报|单位名称|项目名称|主管部门|项目类别|项目属性|项目类型)"
)
_GOAL_INLINE = re.compile(r"^(长期|年度)(?:绩效)?目标\s*(\d+)?\s*[:：]\s*(.+)$")
_TAGS = re.compile(r"<[^>]+>")
_HEADER_WORDS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "指标名称",
    "目标值",
    "实际完成值",
    "指标值确定依据",
    "目标说明",
)


def strip_weight(text: str) -> tuple[str, Decimal | None]:
    if "分" not in text:
        return text, None
    m = WEIGHT.search(text)
    if not m:
        return text, None
    try:
        weight = Decimal(m.group(1))
    except InvalidOperation:  # pragma: no cover
        weight = None
    return (text[: m.start()] + text[m.end() :]).strip(), weight


_GOAL_KINDS: dict[str, GoalKind] = {"长期": "long_term", "年度": "annual", "中期": "long_term"}


def _kind(word: str | None) -> GoalKind:
    return _GOAL_KINDS.get(word or "", "overall")


@dataclass
class IndicatorReader:
    """Feed rows of cells; collects goals and indicators, carrying merged level cells forward."""

    self_evaluation: bool = False
    level1: str = ""
    level2: str = ""
    goal: str = ""
    goals: list[PerformanceGoal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    value_columns: int = 1
    """How many value cells precede the basis: 3 where the header has 前年/上年/当年."""
    _raw: dict[str, str] = field(default_factory=dict)
    """The printed form (spaces kept) of each cell of the current row, by its compact form."""

    def header(self, words: list[str]) -> bool:
        """Column-header rows (一级指标 …); ``words`` are the row's cells with whitespace removed."""
        joined = "".join(words)
        if "指标" not in joined and "前年" not in joined and "目标" not in joined:
            return False
        if not any(w in joined for w in _HEADER_WORDS) and not ("前年" in words and "上年" in words):
            return False
        if "前年" in words or "近两年指标值" in joined:
            self.value_columns = 3
        return True

    def feed(self, cells: list[str], line: int) -> None:
        printed = [_printed(c) for c in cells if c]
        printed = [p for p in printed if p]
        texts = [p.replace(" ", "") for p in printed]
        self._raw = dict(zip(texts, printed, strict=True))
        if not texts:
            return
        is_header = self.header(texts)
        first, _ = strip_weight(texts[0])
        goal = _GOAL.match(first)
        inline = _GOAL_INLINE.match(texts[0])
        if inline and len(texts) == 1:
            self._goal(inline.group(1), inline.group(2), inline.group(3), line)
            return
        if goal and (len(texts) >= 2 or goal.group(1)) and not is_header:
            kind_word = goal.group(1) or goal.group(4)
            number = goal.group(3) or goal.group(5)
            if len(texts) >= 2 and not any(_LEVEL1.match(strip_weight(t)[0]) for t in texts[1:3]):
                self._goal(kind_word, number, texts[1], line)
                return
            texts = texts[1:]
        if is_header or not texts or _NOT_INDICATOR.match(texts[0]):
            return
        if self._continuation(texts):
            return
        if texts and _GOAL_COLUMN.match(texts[0]):
            self.goal = texts[0].removesuffix("表")
            texts = texts[1:]
        level1, level2, lead = _leading_levels(texts)
        rest = texts[lead:]
        if level1:
            self.level1, self.level2 = level1, ""
        if level2:
            self.level2 = level2
            if not level1 and self.level1 == "" and "满意" in level2:
                self.level1 = "满意度指标"
        if not rest:
            return
        basis = ""
        if len(rest) >= 2 and _BASIS.match(rest[-1]):
            basis = rest.pop()
        name_cell = rest[0]
        values = rest[1:]
        if not values:
            return
        name, weight = strip_weight(name_cell)
        values = [self._raw.get(v, v) for v in values]
        if self.self_evaluation:
            self._self_evaluation(name, weight, values, line)
            return
        targets = [parse_target(v) for v in values]
        self.indicators.append(Indicator(
            name=name, level1=self.level1, level2=self.level2, target=targets[-1],
            prior=tuple(targets[:-1]), basis=basis, goal=self.goal, line=line,
        ))  # fmt: skip

    def _continuation(self, texts: list[str]) -> bool:
        """Cells of the previous row wrapped past a page break ("社会效益"+"指标", "有效保"+"障")."""
        if not self.indicators or len(texts) > 3 or any(len(t) > 3 for t in texts):
            return False
        if any(_BASIS.match(t) or _LEVEL1.match(t) or looks_like_value(t) for t in texts):
            return False
        last = self.indicators[-1]
        for fragment in texts:
            if fragment.startswith("指标") and not last.level2.endswith("指标"):
                last.level2 += fragment
                self.level2 = last.level2
            elif last.target is not None:
                last.target = parse_target(last.target.raw + fragment)
        return True

    def _goal(self, kind_word: str | None, number: str | None, text: str, line: int) -> None:
        self.goal = f"{kind_word or ''}目标{number or ''}"
        self.goals.append(PerformanceGoal(_kind(kind_word), int(number) if number else None, text, line))

    def _self_evaluation(self, name: str, weight: Decimal | None, values: list[str], line: int) -> None:
        numbers = values[:]
        score = _decimal(numbers[-1]) if numbers else None
        if score is not None:
            numbers.pop()
        if len(numbers) >= 3 and _decimal(numbers[-1]) is not None:
            weight = weight if weight is not None else _decimal(numbers[-1])
            numbers.pop()
        target = parse_target(numbers[0]) if numbers else None
        actual = parse_target(numbers[1]) if len(numbers) > 1 else None
        self.indicators.append(
            Indicator(
                name=name,
                level1=self.level1,
                level2=self.level2,
                target=target,
                actual=actual,
                weight=weight,
                score=score,
                goal=self.goal,
                line=line,
            )  # fmt: skip
        )


def _printed(cell: str) -> str:
    """A cell as printed, with HTML tags and LaTeX removed and runs of whitespace folded."""
    if "<" in cell:
        cell = _TAGS.sub("", cell)
    cell = clean_latex(cell)
    if "  " in cell or "\n" in cell or "\t" in cell:
        cell = " ".join(cell.split())
    return cell.strip()


def _decimal(text: str) -> Decimal | None:
    t = compact(text).removesuffix("分")
    if not re.fullmatch(r"\d+(?:\.\d+)?", t):
        return None
    return Decimal(t)


def split_fragment_value(fragment: str) -> tuple[str, list[str]]:
    """Space layout: "事故发生率 0" → ("事故发生率", ["0"]); "≥7G ≥5G ≥2G" → ("", [...])."""
    tokens = fragment.split()
    merged: list[str] = []
    for tok in tokens:
        if merged and re.fullmatch(r"[^\d≥≤<>=/]{1,2}", tok) and re.search(r"\d$", merged[-1]):
            merged[-1] += tok
        else:
            merged.append(tok)
    values: list[str] = []
    while merged and looks_like_value(merged[-1]):
        values.insert(0, merged.pop())
    return "".join(merged), values


def _leading_levels(texts: list[str]) -> tuple[str, str, int]:
    """The level-1 and level-2 names a row's leading cells print (一级指标, 二级指标), and how many cells they
    take: level names only ever stand in the leading cells."""
    level1 = level2 = ""
    lead = 0
    for text in texts[:2]:
        bare = strip_weight(text)[0] if "分" in text else text
        if "指标" not in bare and "满意" not in bare and "成本" not in bare and "效益" not in bare:
            break
        if not level1 and not level2 and _LEVEL1.match(bare):
            level1, lead = bare, lead + 1
        elif not level2 and _LEVEL2.match(bare):
            level2, lead = bare, lead + 1
        else:
            break
    return level1, level2, lead
