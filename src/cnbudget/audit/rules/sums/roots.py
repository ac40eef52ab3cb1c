"""The one cell that explains several broken sums (SUM-LOCATE-001, SUM-ROOT-001; run after the others)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from cnbudget.audit.context import Context, Identity, fmt
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import rule
from cnbudget.audit.tolerance import precision
from cnbudget.domain.catalog import table_name
from cnbudget.domain.vocabulary import Severity


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
