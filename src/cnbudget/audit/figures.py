"""Where the narrative's subjects are stated in the tables.

The narrative restates table figures in its own words ("收支总预算", "一般公共服务支出(类)数据事务(款)事业
运行(项)", "公务接待费"). Each subject is mapped to every cell that states that figure; a narrative amount
is right when it matches any of them within the precision it is printed with.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cached_property, lru_cache

from cnbudget.audit.context import Context, Ref
from cnbudget.audit.funds import only_general_budget
from cnbudget.domain.catalog import fund_scope, income_source, spec_for
from cnbudget.domain.codes import class_code
from cnbudget.domain.names import INSTITUTION_WORDS
from cnbudget.domain.text import key, plain_label
from cnbudget.domain.vocabulary import UNUSABLE_STATUSES
from cnbudget.model import Row, Table
from cnbudget.model.summary import read_side
from cnbudget.model.tables import three_public_view

# canonical subject → patterns of narrative subjects (after normalisation)
ALIASES: dict[str, tuple[str, ...]] = {
    "收支总计": (r"^(部门)?收支总(预算|计)$", r"^收[、,]?支总(预算|计)$", r"^收支(决算)?总计$", r"^收入[、,]?支出(预算|决算)?总计$"),
    "收入": (r"^(部门)?(预算)?收入(预算|合计|决算)?$", r"^本年收入(合计)?$"),
    "支出": (r"^(部门)?(预算)?支出(预算|合计|决算)?$", r"^本年支出(合计)?$", r"^预算支出$"),
    "财政拨款收支总计": (r"^财政拨款收[、,]?支总(预算|计)$", r"^财政拨款(收入|支出)(预算|决算)?总(计|额)$"),
    "一般公共预算拨款": (
        r"^一般公共预算(财政)?拨款(支出)?(预算)?$", r"^一般公共预算财政拨款支出(预算|决算)?$",
    ),
    "一般公共预算拨款收入": (
        r"^一般公共预算(财政)?拨款收入$", r"^一般公共预算财政拨款本年收入$", r"^本年预算$",
        r"^一般公共预算收入$",
    ),
    "财政拨款收入": (r"^财政拨款(本年)?收入(预算|决算)?$",),
    "财政拨款支出": (r"^财政拨款(预算)?(本年)?支出(预算|决算|合计)?$",),
    "上年结转结余": (r"^上年结转(结余)?$", r"^结转结余$", r"^年初结转和结余$"),
    # the 一般公共预算 figure is B05/F05's; a bare 基本支出 may also be B03/F03's (all funds)
    "一般公共预算基本支出": (r"^一般公共预算(财政)?(拨款)?基本支出(决算|预算)?$",),
    "基本支出": (r"^(财政拨款)?基本支出(决算|预算)?$",),
    "项目支出": (r"^(一般公共预算)?(财政拨款)?项目(支出|经费)(决算|预算)?$",),
    "人员经费": (r"^人员经费$",),
    "公用经费": (r"^公用经费$",),
    "三公": (r"^(一般公共预算)?[“\"]?三公[”\"]?经费(财政拨款)?(支出)?(决算)?$",),
    "公务用车购置及运行费": (r"^公务用车购置及运行(维护)?费(支出)?$",),
    "公务用车购置费": (r"^公务用车购置费(支出)?$",),
    "公务用车运行费": (r"^公务用车运行(维护)?费(支出)?$",),
    "公务接待费": (r"^(国内)?公务接待费(支出)?$",),
    "因公出国(境)费": (r"^因公出国[(（]境[)）](经)?费(支出)?$",),
    "机关运行经费": (r"^(一般公共预算)?机关运行经费(预算|决算)?(支出)?(预算|决算)?$",),
    "工资福利支出": (r"^工资福利支出$",),
    "商品和服务支出": (r"^商品和服务支出$",),
    "对个人和家庭的补助": (r"^对个人和家庭的补助$",),
    "资本性支出": (r"^资本性支出$",),
}  # fmt: skip
_NAMED_YEAR = re.compile(rf"^[^\d，,。；;：:（(]{{2,20}}?{INSTITUTION_WORDS}(?=20\d{{2}}年)")
"""An organisation's name (however abbreviated) before the year a subject opens with."""
_TOTAL_WORDS = frozenset({"合计", "总计", "小计", "本年支出合计", "合计数", "金额"})
_COMPILED = {canon: [re.compile(p) for p in pats] for canon, pats in ALIASES.items()}
_LEADING = re.compile(
    r"^(?:20\d{2}年度?|本部门|部门|单位|其中|主要用于|包括|[（(]?[一二三四五六七八九十\d]+[)）.．、])+"
)
_TRAILING = re.compile(r"(?:类支出|为|是|达|均|预算数|决算数|总额|共计|合计)$")
_LEVEL_NAME = re.compile(r"(.+?)[（(]([类款项])[)）]")
CODE_LENGTH = {"类": 3, "款": 5, "项": 7}
"""The length of a function code at each level (类 201, 款 20101, 项 2010101)."""
_GENERAL_BUDGET = ("B05", "F05", "B15")
_ALL_FUNDS = ("B03", "F03")
_FUND_TABLES = ("B08", "F07", "B09", "F08")
_SCOPE_TABLES: dict[str, tuple[str, ...]] = {
    "一般公共预算": ("B05", "F05"),
    "财政拨款": ("B15", "B05", "F05"),
    "全部": _ALL_FUNDS,
    "政府性基金": ("B08", "F07"),
    "国有资本经营": ("B09", "F08"),
}
"""Where a function item of a scope is printed, the claim's scope decides (B15 is 财政拨款 by function)."""
_GENERAL_SECTION = re.compile(r"一般公共预算|财政拨款")
_ALL_FUNDS_SECTION = re.compile(r"收支|收入|支出")


@lru_cache(maxsize=8192)
def normalise(subject: str) -> str:
    s = key(subject)
    previous = None
    while previous != s:
        previous = s
        s = _LEADING.sub("", s)
        s = _TRAILING.sub("", s) if len(s) > 4 else s
    return s


@lru_cache(maxsize=8192)
def canonical(subject: str) -> str | None:
    s = normalise(subject)
    for canon, patterns in _COMPILED.items():
        if any(p.match(s) for p in patterns):
            return canon
    return None


class FigureIndex:
    """Canonical subject (or plain table label, or function-class name) → cells that state it."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.by_key: dict[str, list[Ref]] = defaultdict(list)
        # coded rows of the detailed tables with their label keys, computed once per audit
        self.items: dict[str, list[tuple[Row, str, str]]] = {}
        for table_id in (*_GENERAL_BUDGET, *_ALL_FUNDS, *_FUND_TABLES):
            table = ctx.printed_table(table_id)
            if table is not None:
                # coded rows, and rows printed with a class's name but no code (杭州's 一般公共预算支出预算表
                # names its rows without codes): the class is known by its name
                self.items[table_id] = [
                    (r, r.full_code or class_code(r.label) or "", key(r.label))
                    for r in table.rows
                    if r.is_coded or (not r.code and r.kind == "item" and class_code(r.label))
                ]
        self._build()

    def add(self, name: str, ref: Ref) -> None:
        if ref.value is not None:
            self.by_key[name].append(ref)

    def _two_sided(self, table: Table) -> None:
        for side in ("收入", "支出"):
            col = table.first_value_column(side)
            if col is None:
                continue  # a table without that side
            read = read_side(table, side, None)
            for row in table.rows:
                if row.side != side or row.group != read.group:
                    continue
                label = plain_label(row.label).replace("（含专用结余）", "")
                if read.under_carry(row):
                    # "二、上年结转 （一）一般公共预算拨款": last year's money carried over, not this year's income
                    self.add("上年结转/" + key(label), Ref(table, row, col, f"上年结转 {label}"))
                    continue
                self.add(key(label), Ref(table, row, col, label))
                for canon in _CANONICAL_OF_LABEL.get(key(label), ()):
                    self.add(canon, Ref(table, row, col, label))
                if side == "收入" and read.role(row) in ("item", "part"):
                    # income by the source it names, whatever the words (一、一般公共预算资金 / 1.一般公共预算拨款)
                    source = income_source(label)
                    if source is not None and source[0] in _SOURCE_CANONICAL:
                        self.add(_SOURCE_CANONICAL[source[0]], Ref(table, row, col, label))
                if table.id in ("B04", "F04"):
                    # the appropriations' totals by their role, whatever their words
                    if row is read.subtotal:
                        self.add(
                            "财政拨款收入" if side == "收入" else "财政拨款支出", Ref(table, row, col, label)
                        )
                    if row is read.grand:
                        self.add("财政拨款收支总计", Ref(table, row, col, label))

    def _code_table(self, table: Table, columns: dict[str, str]) -> None:
        """Totals row of a code table into canonical subjects; class rows by name.

        Column names are matched in full ("本年支出/基本支出") or by their last level ("基本支出"): some
        regions print F05 without the 本年支出 group.
        """
        total = table.total_row()
        keys = [c.key for c in table.columns if c.role == "value"]
        if not keys:
            return
        for canon, column in columns.items():
            found = column if column in keys else _same_column(column, keys)
            if found is None and column in _TOTAL_WORDS and keys[0].split("/")[-1] in _TOTAL_WORDS:
                found = keys[0]  # the total printed as 总计 where 合计 was expected (重庆), or the reverse
            if total is not None and found is not None:
                self.add(canon, Ref(table, total, found, f"合计 {found}"))
        for row in table.coded_rows():
            self.add(key(row.label), Ref(table, row, keys[0], row.label))
            self.add(f"#{row.full_code}", Ref(table, row, keys[0], row.label))

    def _build(self) -> None:
        ctx = self.ctx
        for table_id in ("B01", "B04", "F01", "F04"):
            table = ctx.printed_table(table_id)
            if table is not None:
                self._two_sided(table)
        for table_id, columns in (
            ("B03", {"支出": "合计", "基本支出": "基本支出", "项目支出": "项目支出"}),
            ("B05", {"一般公共预算拨款": "合计", "基本支出": "基本支出/小计", "项目支出": "项目支出",
                     "人员经费": "基本支出/人员经费", "公用经费": "基本支出/公用经费",
                     "一般公共预算基本支出": "基本支出/小计"}),
            ("F03", {"支出": "本年支出合计", "基本支出": "基本支出", "项目支出": "项目支出"}),
            ("F05", {"一般公共预算拨款": "本年支出/小计", "基本支出": "本年支出/基本支出", "项目支出": "本年支出/项目支出",
                     "一般公共预算基本支出": "本年支出/基本支出"}),
            ("F02", {"收入": "本年收入合计", "财政拨款收入": "财政拨款收入"}),
        ):  # fmt: skip
            table = ctx.printed_table(table_id)
            if table is not None:
                self._code_table(table, columns)
        b06 = ctx.printed_table("B06")
        if b06 is not None:
            keys = [c.key for c in b06.columns if c.role == "value"]
            total = b06.total_row()
            if total is not None and len(keys) == 3:
                for canon, column in zip(("基本支出", "人员经费", "公用经费"), keys, strict=True):
                    self.add(canon, Ref(b06, total, column, canon))
                self.add("一般公共预算基本支出", Ref(b06, total, keys[0], "合计"))
            for row in b06.coded_rows():
                if len(row.full_code) == 3:
                    for column in keys:  # 商品和服务支出 is quoted under 人员经费 and under 公用经费 too
                        self.add(
                            key(row.label), Ref(b06, row, column, f"{row.label} {column.split('/')[-1]}")
                        )
        f06 = ctx.printed_table("F06")
        if f06 is not None:
            for row in f06.rows:
                if row.label in ("人员经费合计", "公用经费合计") and row.cells:
                    self.add(row.label[:4], Ref(f06, row, row.cells[0].column, row.label))
                elif len(row.full_code) == 3 and row.cells:
                    self.add(key(row.label), Ref(f06, row, row.cells[0].column, row.label))
        self._three_public()
        b13 = ctx.printed_table("B13")
        if b13 is not None and (total := b13.total_row()) is not None and total.cells:
            self.add("机关运行经费", Ref(b13, total, total.cells[0].column, "合计"))

    def _three_public(self) -> None:
        for table_id, measure in (("B07", ""), ("F09", "决算数"), ("F09", "预算数")):
            table = self.ctx.printed_table(table_id)
            if table is None or not table.rows:
                continue
            row = table.rows[0]
            # a table that also lists 会议费/培训费 has a 合计 over all of them: the 三公 total is its 小计
            wider = any("会议" in c.key or "培训" in c.key for c in table.columns)
            current = {c.key for c in table.columns if c.current}
            for cell in row.cells:
                if cell.column not in current:
                    continue  # 上年 and 增减 columns printed beside this year's
                found, items = three_public_view(cell.column)
                if found != measure or not items:
                    continue
                name = items[-1]
                if "机关运行" in cell.column and measure == "":
                    self.add("机关运行经费", Ref(table, row, cell.column, "机关运行经费"))
                if "机关运行" in cell.column or "会议" in name or "培训" in name:
                    continue  # printed beside the 三公 items, not one of them
                grouped = "三公" in cell.column.split("/")[0] and len(items) == 1
                canon = (
                    "三公" if ("合计" in name and len(items) == 1 and not wider) or (grouped and name == "小计")
                    or ("三公" in name and ("合计" in name or "小计" in name))  # "“三公”经费合计" beside 会议费
                    else None if "合计" in name
                    else "公务用车购置及运行费" if name == "小计"
                    else "公务用车购置费" if "购置" in name
                    else "公务用车运行费" if "运行" in name
                    else "公务接待费" if "接待" in name
                    else "因公出国(境)费" if "出国" in name
                    else None
                )  # fmt: skip
                if canon:
                    self.add(canon, Ref(table, row, cell.column, canon))

    def lookup(self, subject: str, section: str = "", scope: str = "") -> tuple[str, list[Ref]]:
        """The matching figures for a narrative subject, of the claim's ``scope`` when it has one (a figure of
        the 一般公共预算 is not compared with the all-funds table's); none when one of them is in a table read
        too badly to trust (the subject is that table's, and comparing it with another table's figure would
        be a false finding)."""
        found, refs = self._lookup(self._without_organisation(subject), section, scope)
        if found in _TWO_SIDED_SUBJECTS and self._unread_two_sided:
            # the figure is also a 收支总表's, and one of them could not be read: which it restates is unknown
            return found, []
        if scope:
            refs = [r for r in refs if self.same_scope(scope, ref_scope(r))]
        if any(r.table.status in UNUSABLE_STATUSES for r in refs):
            return found, []
        return found, refs

    @cached_property
    def _unread_two_sided(self) -> bool:
        return any(
            t.id in ("B01", "B04", "F01", "F04") and t.status in UNUSABLE_STATUSES
            for t in self.ctx.doc.tables
        )

    @cached_property
    def _organisations(self) -> tuple[str, ...]:
        meta = self.ctx.doc.metadata
        names = {key(n) for n in (meta.organisation, meta.department) if n and len(n) >= 3}
        return tuple(sorted(names, key=len, reverse=True))

    def _without_organisation(self, subject: str) -> str:
        """ "苏州市审计局2026年财政拨款预算支出": the subject without the organisation that opens it — its name,
        or the words before the year that follows it (an abbreviated name: "省检察院2018年…")."""
        compacted = key(subject)
        for name in self._organisations:
            if compacted.startswith(name) and len(compacted) > len(name):
                return compacted[len(name) :]
        named = _NAMED_YEAR.match(compacted)
        if named and len(compacted) > named.end():
            return compacted[named.end() :]
        return subject

    def same_scope(self, claim: str, cell: str) -> bool:
        """Whether a claim of scope ``claim`` may be compared with a cell of scope ``cell``: the same, or one
        that holds the same money in this document (财政拨款 that is all 一般公共预算; all funds that are)."""
        if not claim or not cell or claim == cell:
            return True
        pair = {claim, cell}
        if pair == {"财政拨款", "一般公共预算"}:
            return self.appropriation_is_general
        if "全部" in pair and pair & {"财政拨款", "一般公共预算"}:
            return self.all_is_general
        return False

    @cached_property
    def appropriation_is_general(self) -> bool:
        """All of the department's 财政拨款 is 一般公共预算 (政府性基金 and 国有资本经营 print nothing)."""
        for table_id in ("B04", "F04", "B01", "F01"):
            table = self.ctx.printed_table(table_id)
            if table is None:
                continue
            col = table.first_value_column("收入")
            if col is None:
                continue
            for row in table.rows:
                source = income_source(row.label) if row.side == "收入" else None
                value = row.value(col)
                if source and source[0] in ("政府性基金", "国有资本经营") and value:
                    return False
            return True
        return False

    @cached_property
    def all_is_general(self) -> bool:
        """All of the department's income is 一般公共预算 (no fund, fee or other income)."""
        return only_general_budget(self.ctx)

    def _lookup(self, subject: str, section: str = "", scope: str = "") -> tuple[str, list[Ref]]:
        """The matching figures for a narrative subject, and the key they were found under.

        A function-code path ("公共安全（类）", "住房改革支出（款）提租补贴（项）") is looked up in the tables of the
        funds its section is about: 一般公共预算/财政拨款 sections in B05/F05/B15, sections on all income and
        expenditure in B03/F03 (or in B05/F05 when both state the same total).
        """
        canon = canonical(subject)
        if canon and self.by_key.get(canon):
            return canon, self.by_key[canon]
        levels = [
            (name.strip("\"'“”‘’「」:："), CODE_LENGTH[level])
            for name, level in _LEVEL_NAME.findall(key(subject))
        ]
        if levels:
            # its last level's row, under the levels named before it, when only one code fits; in the tables
            # of the claim's scope (一般公共预算 → B05), else of its section's
            tables = _SCOPE_TABLES.get(scope) or self._scope(section)
            found = self._level_item(levels, tables)
            if not found and len(levels) == 1 and levels[0][1] == 3:
                # a class alone ("公共安全（类）支出"): the 收支总表 states it on its 支出 side
                found = self.by_key.get(key(levels[0][0] + "支出"), []) if levels[0][0][-2:] != "支出" else []
                found = found or self.by_key.get(key(levels[0][0]), [])
            return "/".join(name for name, _ in levels), found
        s = normalise(subject)
        if (s.endswith("支出") or len(s) >= 4) and self.by_key.get(s):
            return s, self.by_key[s]
        item = self._unique_item(s)
        if item:
            return s, item
        return "", []

    def _unique_item(self, name: str) -> list[Ref]:
        """A bare 款/项 name ("行政运行 745.86 万元") that names exactly one row of B05 or F05."""
        for table_id in ("B05", "F05"):
            table = self.ctx.printed_table(table_id)
            if table is None or table_id not in self.items:
                continue
            keys = [c.key for c in table.columns if c.role == "value"]
            rows = [r for r, code, label in self.items[table_id] if len(code) in (5, 7) and label == name]
            if len(rows) == 1 and keys:
                return [Ref(table, rows[0], keys[0], rows[0].label)]
        return []

    def _scope(self, section: str) -> tuple[str, ...]:
        if _GENERAL_SECTION.search(section):
            return _GENERAL_BUDGET
        if not _ALL_FUNDS_SECTION.search(section):
            return (*_GENERAL_BUDGET, *_ALL_FUNDS)
        coded = tuple(t for t in _ALL_FUNDS if any(len(code) == 3 for _, code, _ in self.items.get(t, [])))
        if coded:
            return coded
        # no table lists all funds by function: the general budget's does when the totals are the same
        pairs = (("B03", "B05"), ("F03", "F05"))
        return next(((general,) for every, general in pairs if self._same_total(every, general)), ())

    def _same_total(self, first: str, second: str) -> bool:
        totals = []
        for table_id in (first, second):
            table = self.ctx.printed_table(table_id)
            total = table.total_row() if table is not None else None
            cell = total.cells[0] if total is not None and total.cells else None
            totals.append(cell.value if cell is not None else None)
        return totals[0] is not None and totals[0] == totals[1]

    def _level_item(self, levels: list[tuple[str, int]], tables: tuple[str, ...]) -> list[Ref]:
        refs: list[Ref] = []
        codes: set[str] = set()
        for table_id in tables:
            table = self.ctx.printed_table(table_id)
            if table is None or table_id not in self.items:
                continue
            keys = [c.key for c in table.columns if c.role == "value"]
            rows = self.items[table_id]
            prefixes: set[str] | None = None
            for name, length in levels[:-1]:
                fitting = {code for r, code, _ in rows if len(code) == length and _close(r.label, name)}
                prefixes = {c for c in fitting if prefixes is None or any(c.startswith(p) for p in prefixes)}
            name, length = levels[-1]
            for row, code, _ in rows:
                if (
                    len(code) == length
                    and _close(row.label, name)
                    and (prefixes is None or any(code.startswith(p) for p in prefixes))
                    and keys
                ):
                    codes.add(code)
                    refs.append(Ref(table, row, keys[0], row.label))
        return refs if len(codes) == 1 else []


_TABLE_SCOPE = {"全部": "全部", "财政拨款": "财政拨款", "一般公共预算": "一般公共预算", "政府性基金": "政府性基金",
                "国有资本经营": "国有资本经营"}  # fmt: skip
_SOURCE_CANONICAL = {"一般公共预算": "一般公共预算拨款收入", "财政拨款": "财政拨款收入"}
_TWO_SIDED_SUBJECTS = frozenset(
    {
        "收支总计",
        "收入",
        "支出",
        "财政拨款收支总计",
        "财政拨款收入",
        "财政拨款支出",
        "一般公共预算拨款收入",
        "上年结转结余",
    }
)
"""What the 收支总表 and 财政拨款收支总表 state by their rows' roles and words."""
"""Income rows indexed by the source they name, under the narrative's canonical subject for it."""


def ref_scope(ref: Ref) -> str:
    """Whose money a cell states: the fund its row or column names (一般公共预算拨款 in 收支总表's income, 支出/
    一般公共预算 in 财政拨款收支总表), else its table's (catalogue `funds`), "" when unknown."""
    for words in (ref.row.label if ref.row.side == "收入" else "", ref.column):
        scope = fund_scope(words)
        if scope:
            return scope
    spec = spec_for(ref.table.id)
    return _TABLE_SCOPE.get(spec.funds[0], "") if spec.funds else ""


def _same_column(column: str, keys: list[str]) -> str | None:
    """The printed column that is ``column`` ("基本支出/小计"): the one printed by its last level alone (some
    regions print F05 without the 本年支出 group) — but a bare 小计 or 合计 is the row's total, not the group's,
    and the group printed alone (基本支出 with no 小计 under it) is the group's total."""
    *group, leaf = column.split("/")
    if leaf not in _TOTAL_WORDS or not group:
        return next((k for k in keys if k == leaf), None)
    return next((k for k in keys if k.split("/")[-1] == leaf and group[-1] in k), None) or next(
        (k for k in keys if k == group[-1]), None
    )


def figure_index(ctx: Context) -> FigureIndex:
    """The index of the document being audited, built once and shared by the rules that ask."""
    return ctx.memo(FigureIndex)


@lru_cache(maxsize=16384)
def _close(printed: str, said: str) -> bool:
    a, b = key(printed), key(said)
    return a == b or a.startswith(b) or b.startswith(a) or a.replace("研究", "") == b.replace("研究", "")


_CANONICAL_OF_LABEL: dict[str, tuple[str, ...]] = {
    "收入总计": ("收支总计", "收入"),
    "支出总计": ("收支总计", "支出"),
    "总计": ("收支总计", "收入", "支出"),
    "本年收入合计": ("收入",),
    "本年支出合计": ("支出",),
    "本年收入": ("收入",),
    "本年支出": ("支出",),
    "一般公共预算拨款收入": ("一般公共预算拨款收入",),
    "一般公共预算财政拨款收入": ("一般公共预算拨款收入",),
    "一般公共预算拨款": ("一般公共预算拨款收入",),
    "一般公共预算财政拨款": ("一般公共预算拨款收入",),
    "一般公共预算": ("一般公共预算拨款收入",),
    "上年结转结余": ("上年结转结余",),
    "上年结转": ("上年结转结余",),
    "年初结转和结余": ("上年结转结余",),
}
