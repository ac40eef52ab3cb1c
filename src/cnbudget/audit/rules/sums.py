"""Sums within a table: 合计 = 基本支出 + 项目支出 along a row, units up to departments, B10 groups, and
the one cell that explains several broken sums (run after the others).

Row identities are read off the header tree: in a group of columns, a leading 合计/小计 column is the sum
of the group's other columns (a sub-group counts by its own 小计, or by all its columns when it has none).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, Identity, Ref, fmt, row_name
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.audit.tolerance import precision
from cnbudget.domain.catalog import table_name
from cnbudget.domain.text import is_digits
from cnbudget.domain.vocabulary import Severity
from cnbudget.model import Row, Table
from cnbudget.model.headers import column_identities, table_paths
from cnbudget.model.tables import MEASURES

SYSTEMATIC_ROWS = 4
"""A row relation broken on this many rows (and a quarter of those checked) is broken by the reading."""


def _name(column: str) -> str:
    """How a column is called in messages: its leaf, with its group when the leaf is 小计/合计."""
    parts = column.split("/")
    if parts[-1] in MEASURES and len(parts) > 1:  # 三公 with 预算数/决算数 below the items
        return _name("/".join(parts[:-1])) + parts[-1]
    if parts[-1] in ("小计", "合计") and len(parts) > 1:
        return parts[-2] + parts[-1]
    return parts[-1]


_ROW_SUMS = {
    "SUM-B02-ROW": {"table": "B02", "example": "合计 = 本年收入小计 + 上年结转结余小计"},
    "SUM-B03-ROW": {"table": "B03", "example": "合计 = 基本支出 + 项目支出（+ 经营支出等）"},
    "SUM-B05-ROW": {"table": "B05", "example": "合计 = 基本支出小计 + 项目支出"},
    "SUM-B05U-ROW": {"table": "B05U", "example": "合计 = 基本支出小计 + 项目支出"},
    "SUM-B06-ROW": {"table": "B06", "example": "合计 = 人员经费 + 公用经费"},
    "SUM-B07-ROW": {"table": "B07", "example": "“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行费小计 + 公务接待费"},
    "SUM-B10-ROW": {"table": "B10", "example": "合计 = 各资金来源之和"},
    "SUM-F02-ROW": {"table": "F02", "example": "本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + …"},
    "SUM-F03-ROW": {"table": "F03", "example": "本年支出合计 = 基本支出 + 项目支出 + 上缴上级支出 + …"},
    "SUM-F08-ROW": {"table": "F08", "example": "本年支出合计 = 基本支出 + 项目支出"},
    "SUM-F09-ROW": {"table": "F09", "example": "“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费小计 + 公务接待费"},
}  # fmt: skip
_SUBTOTAL_SUMS = {
    "SUM-B02-SUBTOTAL": {"table": "B02", "example": "本年收入小计 = 各收入来源之和"},
    "SUM-B05-SUBTOTAL": {"table": "B05", "example": "基本支出小计 = 人员经费 + 公用经费"},
    "SUM-B05U-SUBTOTAL": {"table": "B05U", "example": "基本支出小计 = 人员经费 + 公用经费"},
    "SUM-B07-SUBTOTAL": {"table": "B07", "example": "公务用车购置及运行费小计 = 购置费 + 运行费"},
    "SUM-F04-SUBTOTAL": {"table": "F04", "example": "支出决算数小计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算财政拨款"},
    "SUM-F05-SUBTOTAL": {"table": "F05", "example": "本年支出小计 = 基本支出 + 项目支出"},
    "SUM-F07-SUBTOTAL": {"table": "F07", "example": "本年支出小计 = 基本支出 + 项目支出"},
    "SUM-F09-SUBTOTAL": {"table": "F09", "example": "公务用车购置及运行维护费小计 = 购置费 + 运行维护费"},
}  # fmt: skip
ROW_SUM_RULES = {**{k: {**v, "level": "row"} for k, v in _ROW_SUMS.items()},
                 **{k: {**v, "level": "subtotal"} for k, v in _SUBTOTAL_SUMS.items()}}  # fmt: skip
"""Every row-sum rule and its table; a test checks these against the identities the catalogue implies."""


@rule(
    each={k: {**v, "level": "row"} for k, v in _ROW_SUMS.items()},
    family="sums",
    description="{name}：每行合计等于各组成列之和（{example}）",
    rationale=(
        "{name}每一行的合计列是表头上由它统辖的各组成列之和（组成列自带小计的按小计计入，"
        "即 {example}）；这是表内横向勾稽关系，任一行不等说明该行数据录入或汇总有误。"
    ),
    fix=(
        "逐行核对{name}合计列与各组成列之和（表头分预算数、决算数的分别核对）："
        "差额在尾差范围内只作提示，超出为错误，只有一个非零组成项时合计必须与之相等；"
        "合计留空的行不在此检查，由 SUM-BLANK-001 报告。"
        "部门应按原始数据更正出错的合计数或组成数。"
    ),
)
@rule(
    each={
        k: {"table": v["table"], "example": v["example"], "level": "subtotal"}
        for k, v in _SUBTOTAL_SUMS.items()
    },
    family="sums",
    description="{name}：每行小计等于其下各列之和（{example}）",
    rationale="{name}中标为“小计”的列等于其所在列组内其余各列之和（{example}）；这是表内横向勾稽关系。",
    fix=(
        "逐行核对{name}小计列与同组各列之和（两方的表只核对支出方各行）："
        "差额在尾差范围内只作提示，超出为错误，只有一个非零组成项时小计必须与之相等。"
        "部门应查明是小计还是组成列录错并更正，同时复核该行的合计列。"
    ),
)
def row_sums(ctx: Context, table: str, level: str, example: str) -> Iterator[Finding]:
    t = ctx.need(table)
    for identity in column_identities(table_paths(t)):
        if identity.level != level:
            continue
        recorded = len(ctx.identities)
        found: list[Finding] = []
        checked = 0
        for row in t.rows:
            if t.id == "F04" and row.side != "支出":
                continue
            total = Ref(t, row, identity.total, _name(identity.total))
            parts = [Ref(t, row, p, _name(p)) for p in identity.parts]
            checked += total.value is not None
            found.extend(ctx.check_sum(total, parts, f"{table_name(t.id)} {row_name(row)}"))
        broken = [f for f in found if f.severity == "error"]
        if len(broken) >= SYSTEMATIC_ROWS and len(broken) * 4 >= checked:
            # the relation the header implies fails on row after row: the header is read (or meant) otherwise;
            # one finding says so, instead of one per row
            del ctx.identities[recorded:]
            parts_text = " + ".join(_name(p) for p in identity.parts)
            ctx.not_here(
                f"{table_name(t.id)}“{_name(identity.total)} = {parts_text}”在 {len(broken)}/{checked} 行不成立，未逐行报告"
            )
            yield ctx.finding(
                f"{table_name(t.id)}：表头所示“{_name(identity.total)} = {parts_text}”在 {len(broken)}/{checked} 行不成立，"
                "多为读表有误或各栏含义与表头不同（如含“其中”栏、跨年栏），请对照原表人工核对",
                severity="warning",
                table=t.id,
                column=identity.total,
                evidence=[e for f in broken[:3] for e in f.evidence[:1]],
            )
            continue
        yield from found


@rule(
    "SUM-BLANK-001",
    family="sums",
    severity="warning",
    basis="consistency",
    description="合计/小计列留空而其组成列有数",
    rationale=(
        "合计、小计列是其组成列的加总；组成列有数而合计（小计）留空，该行金额不完整，"
        "读者看不到合计数，表内勾稽也无法核对。"
    ),
    fix=(
        "查看报告所列单元格是漏填还是在文件转换中丢失。"
        "部门应补填合计（小计）数并使之等于组成列之和；补填前该行不参加合计列的勾稽检查，补填后应复核。"
    ),
)
def blank_totals(ctx: Context) -> Iterator[Finding]:
    for table in ctx.tables():
        identities = column_identities(table_paths(table))
        if not identities:
            continue
        for row in table.rows:
            values = {c.column: c.value for c in row.cells}
            for identity in identities:
                if values.get(identity.total) is not None or not any(values.get(p) for p in identity.parts):
                    continue  # the common case, decided without building references
                total = Ref(table, row, identity.total, _name(identity.total))
                parts = [Ref(table, row, p, _name(p)) for p in identity.parts]
                filled = [p for p in parts if p.value not in (None, 0)]
                if total.value is None and filled:
                    names = "、".join(f"{p.describe()} {p.cell.raw if p.cell else ''}" for p in filled)
                    yield ctx.finding(
                        f"{table_name(table.id)} {row_name(row)}：{total.describe()}留空，但 {names} 有数",
                        table=table.id,
                        row_code=row.code,
                        row_label=row.label,
                        column=identity.total,
                        evidence=[p.evidence("part") for p in filled],
                    )


def departments_and_units(table: Table) -> tuple[list[Row], list[Row]]:
    """Department rows (3-digit code) and unit rows (6-digit code) of B02/B05U."""
    departments = [r for r in table.rows if is_digits(r.code) and len(r.code) == 3]
    units = [r for r in table.rows if is_digits(r.code) and len(r.code) == 6]
    return departments, units


@rule(
    "SUM-UNITS-001",
    family="sums",
    kinds=("budget",),
    description="收入总表、分单位支出表中各单位之和等于部门行，各部门之和等于合计行",
    rationale=(
        "收入总表和一般公共预算支出表（分单位）中，部门行是其所属单位（单位编码以部门编码开头）的汇总，"
        "合计行是各部门行的汇总：部门行 = Σ 所属单位行，合计 = Σ 部门行。"
    ),
    fix=(
        "逐列核对报告所列部门行或合计行与其下各行之和（某部门行留空时，合计行改按单位行核对），"
        "尾差范围内只作提示。超出的，检查是否漏列、重复列示单位或单位编码归属错误，由部门更正汇总数或明细数。"
    ),
)
def units_add_up(ctx: Context) -> Iterator[Finding]:
    for table_id in ("B02", "B05U"):
        table = ctx.table(table_id)
        if table is None or not table.lists_units:
            continue
        departments, units = departments_and_units(table)
        total = table.total_row()
        columns = table.value_keys()
        for dept in departments:
            members = [u for u in units if u.code.startswith(dept.code)]
            for column in columns if members else []:
                yield from ctx.check_sum(
                    Ref(table, dept, column, f"{row_name(dept)} {column}"),
                    [Ref(table, u, column, row_name(u)) for u in members],
                    f"{table_name(table_id)} 部门行",
                )
        if total is None or not (departments or units):
            continue
        for column in columns:
            # a department row printed blank (a warning of its own) is replaced by its units
            tops = departments if all(Ref(table, d, column).value is not None for d in departments) else units
            yield from ctx.check_sum(
                Ref(table, total, column, f"合计 {column}"),
                [Ref(table, r, column, row_name(r)) for r in (tops or units)],
                f"{table_name(table_id)} 合计行",
            )


_RANK = {"total": 0, "department": 1, "unit": 2, "first_level": 3, "category": 3, "project": 4}


def _b10_level(row: Row, level: str | None, rows: list[Row]) -> str | None:
    if level != "unit":
        return level
    if is_digits(row.code):
        return "department" if len(row.code) == 3 else "unit"
    if row.label.endswith("本级"):
        return "unit"
    later = [r.label for r in rows if r.line > row.line]
    return "department" if any(lbl != row.label and lbl.startswith(row.label) for lbl in later) else "unit"


@rule(
    "SUM-B10-GROUPS",
    family="sums",
    tables=("B10",),
    description="项目支出表中合计、单位、一级项目（或项目类别）各行等于其下各行之和",
    rationale=(
        "项目支出表按合计—部门—单位—一级项目（或项目类别）—项目逐级汇总，"
        "每个汇总行的各列都应等于其下一级各行之和；这是表内纵向勾稽关系。"
    ),
    fix=(
        "逐列核对报告所列汇总行与其直接下级各行之和，差额在尾差范围内只作提示，超出为错误。"
        "常见原因是漏列或重复列示项目、项目归错单位、汇总行未随项目调整更新，部门应更正后使汇总行与明细一致。"
    ),
)
def b10_groups(ctx: Context) -> Iterator[Finding]:
    b10 = ctx.need("B10")
    levels = {p.line: p.level for p in ctx.doc.projects}
    ranked: list[tuple[int, Row]] = []
    for row in b10.rows:
        level = "total" if row.kind == "total" else _b10_level(row, levels.get(row.line), b10.rows)
        if level in _RANK and row.cells:
            ranked.append((_RANK[level], row))
    if not any(rank == _RANK["project"] for rank, _ in ranked):
        # no row says it is a project (no 项目单位, no project code): categories and projects nested at levels
        # the table does not print (西安's 专项业务经费支出表) cannot be told apart, nor summed
        ctx.not_here("项目支出表未标明哪些行是项目（没有项目单位列或项目编码），分组层级不明，不检查分组合计")
        return
    columns = b10.value_keys()
    for i, (rank, row) in enumerate(ranked):
        if rank == _RANK["project"]:
            continue
        children: list[Row] = []
        child_rank = None
        for other_rank, other in ranked[i + 1 :]:
            if other_rank <= rank:
                break
            if child_rank is None:
                child_rank = other_rank
            if other_rank == child_rank:
                children.append(other)
        if not children:
            continue
        for column in columns:
            yield from ctx.check_sum(
                Ref(b10, row, column, f"{row_name(row)} {column}"),
                [Ref(b10, r, column, row_name(r)) for r in children],
                "项目支出表 分组合计",
            )


@rule(
    "SUM-LOCATE-001",
    family="sums",
    phase="after",
    description="单个单元格同时使多个勾稽关系相差同一数额：录入错误而非尾差；仅差末位一个单位时为警告（在其他规则之后运行）",
    rationale=(
        "四舍五入尾差分散在各合计数上，而一个单元格录错会使它参与的每个勾稽关系都偏差同一数额；"
        "某单元格参与的全部勾稽关系（至少两个）都不相等、且把它改为同一数值即可全部相符时，"
        "差错应定位到该单元格，不能当作尾差。"
    ),
    fix=(
        "按报告给出的单元格和应有数，对照原始数据（预算系统报表、批复文件）核实并更正："
        "更正幅度超过末位一个单位的为错误；恰为末位一个单位（0.01 万元）的为警告，"
        "因为未四舍五入前恰为半分的数也会留下这种痕迹，须查原始数据确认。"
        "所涉各勾稽关系列在本条之下，不再单独报告：一处录错只报一次。"
    ),
)
def locate(ctx: Context) -> Iterator[Finding]:
    """A single cell that alone explains several small differences is a typo, not rounding.

    Rounding tails scatter over totals; a mistyped cell shifts every identity it takes part in by the
    same amount. When every identity containing one cell misses by an amount that the same correction
    of that cell would repair, and at least two do, the cell is reported. A correction of more than one
    unit of the last printed digit is an error. A correction of exactly one unit is a warning: it is also
    what rounding leaves when that cell's unrounded value ends in a half (348.375 printed 348.38 while
    the totals were rounded from the unrounded figures), so the reviewer must look at the source.
    """
    by_cell = _broken_memberships(ctx)
    reported: set[frozenset[int]] = set()
    explaining: dict[frozenset[int], list[tuple[str, int, str]]] = defaultdict(list)
    for key, memberships in by_cell.items():
        failing = [(i, c) for i, c in memberships if i.residual != 0]
        if len(failing) >= 2 and len(failing) == len(memberships):
            explaining[frozenset(id(i) for i, _ in failing)].append(key)
    for key, memberships in by_cell.items():
        failing = [(i, c) for i, c in memberships if i.residual != 0]
        if len(failing) < 2 or len(failing) != len(memberships):
            continue
        corrections = {-(i.residual / c) for i, c in failing}
        if len(corrections) != 1:
            continue
        group = frozenset(id(i) for i, _ in failing)
        if group in reported:
            continue
        reported.add(group)
        if len(explaining[group]) > 1:
            continue  # several cells would each explain the same differences (any project of a total): no one cell
        finding = _one_cell(ctx, key, failing, corrections.pop())
        ctx.memo(_located).update(id(i) for i, _ in failing)
        yield finding


def _broken_memberships(ctx: Context) -> dict[tuple[str, int, str], list[tuple[Identity, int]]]:
    """Each cell of a broken identity, with every identity it takes part in (and its coefficient there):
    only such a cell can be the one to blame."""
    suspects = {key for identity in ctx.identities if identity.residual != 0 for key, _ in identity.terms}
    by_cell: dict[tuple[str, int, str], list[tuple[Identity, int]]] = defaultdict(list)
    if not suspects:
        return by_cell
    for identity in ctx.identities:
        for key, coef in identity.terms:
            if key in suspects:
                by_cell[key].append((identity, coef))
    return by_cell


def _one_cell(
    ctx: Context, key: tuple[str, int, str], failing: list[tuple[Identity, int]], correction: Decimal
) -> Finding:
    """The finding of one mistyped cell: the identities it breaks by the same amount, and its value that
    would make them all hold (a warning when the correction is one unit of the last digit)."""
    ref = next(r for r in failing[0][0].refs if r.key == key)
    value = ref.value
    expected = value + correction if value is not None else None
    rules = sorted({i.rule_id for i, _ in failing})
    one_unit = abs(correction) <= precision([value])
    related = [i.finding for i, _ in failing if i.finding is not None]
    severity: Severity = "warning" if one_unit else "error"
    finding = ctx.finding(
        f"{table_name(ref.table.id)} {ref.describe()} {ref.column}：{fmt(value)} 使 {len(failing)} 个勾稽关系"
        f"（{'、'.join(rules)}）同时相差 {fmt(-correction)}；若为 {fmt(expected)} 则全部相符，"
        + (
            "可能是录入错误，也可能是该数未四舍五入前恰为半分所致，请核对原始数据"
            if one_unit
            else "应为录入错误而非尾差"
        ),
        severity=severity,
        table=ref.table.id,
        row_code=ref.row.code,
        row_label=ref.row.label,
        column=ref.column,
        expected=expected,
        actual=value,
        difference=-correction if value is not None else None,
        evidence=[
            ref.evidence("suspect"),
            *(e for i, _ in failing if i.finding for e in i.finding.evidence[:1]),
        ],
    )
    finding.related = related
    return finding


def _located(_ctx: Context) -> set[int]:
    """The identities SUM-LOCATE-001 traced to one cell (by id): SUM-ROOT-001 does not report them again."""
    return set()


@rule(
    "SUM-ROOT-001",
    family="sums",
    phase="after",
    description="同一差额使多个勾稽关系同时不成立：一处差错，只报一次（各处列在其下）",
    rationale=(
        "漏列一行、多列一行或把一个数录错，会使它所在的每个合计、每张对应的表都相差同一数额；"
        "把这些不相等逐条报出，读者看到的是许多错误，实际只有一处。多个勾稽关系相差的数额相同（超过末位一个单位）"
        "且涉及同一张表时，按一处差错报告一次，所涉各关系列在其下。"
    ),
    fix=(
        "按列出的各处（同一差额）查找共同的原因：某行是否漏列或重复列示、某个数是否录错；"
        "不能定位到单个单元格的（如项目支出表合计比各项目之和多出同一数额），须对照原始数据逐行核对。"
        "部门更正后，列出的各关系应同时相符。"
    ),
)
def one_root(ctx: Context) -> Iterator[Finding]:
    """Broken identities that miss by the same amount, in the same table, are one mistake (a row left out,
    an amount typed wrong somewhere all of them share), reported once with the others under it."""
    skip = ctx.memo(_located)
    broken: list[tuple[Decimal, Decimal, Identity]] = []
    for identity in ctx.identities:
        finding = identity.finding
        if id(identity) in skip or finding is None or finding.severity != "error" or not identity.refs:
            continue
        unit = precision([r.value for r in identity.refs])
        if abs(identity.residual) <= unit:
            continue  # a cent: rounding can leave it anywhere
        broken.append((abs(identity.residual), unit, identity))
    for amount, members in _same_difference(broken):
        first = members[0].finding
        assert first is not None
        rules = sorted({i.rule_id for i in members})
        shared = set.intersection(*({r.table.id for r in i.refs} for i in members))
        table_id = sorted(shared)[0] if shared else members[0].refs[0].table.id
        finding = ctx.finding(
            f"{table_name(table_id)}：{len(members)} 个勾稽关系（{'、'.join(rules)}）同时相差 {fmt(amount)}，"
            f"应为同一处差错（漏列或多列一行、录错一个数），不是 {len(members)} 处；如 {first.message}",
            table=table_id,
            difference=amount,
            evidence=[e for i in members if i.finding for e in i.finding.evidence[:1]],
        )
        finding.related = [i.finding for i in members if i.finding is not None]
        yield finding


def _same_difference(broken: list[tuple[Decimal, Decimal, Identity]]) -> list[tuple[Decimal, list[Identity]]]:
    """Groups of two or more broken identities that miss by the same amount (within a unit of the last
    digit: 50.59 and 50.60) and are linked by the tables they share."""
    out: list[tuple[Decimal, list[Identity]]] = []
    broken = sorted(broken, key=lambda b: b[0])
    clusters: list[list[tuple[Decimal, Decimal, Identity]]] = []
    for item in broken:
        if clusters and item[0] - clusters[-1][-1][0] <= item[1]:
            clusters[-1].append(item)
        else:
            clusters.append([item])
    for cluster in clusters:
        pending = [i for _, _, i in cluster]
        while pending:
            group = [pending.pop(0)]
            tables = {r.table.id for r in group[0].refs}
            grew = True
            while grew:
                grew = False
                for other in list(pending):
                    if tables & {r.table.id for r in other.refs}:
                        group.append(other)
                        tables |= {r.table.id for r in other.refs}
                        pending.remove(other)
                        grew = True
            tables_own = [i for i in group if not i.rule_id.startswith("NARR-")]
            if len(group) >= 2 and tables_own:
                # narrative sentences that disagree with the same cell are a root only with a table relation
                # that the cell breaks too: two sentences alone are two places to correct
                out.append((max(abs(i.residual) for i in group), group))
    return out
