"""Code hierarchies: 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 (function codes); the same for economic codes;
codes that are not in the reference lists, or that sit under the wrong parent."""

from __future__ import annotations

from collections.abc import Iterator

from cnbudget.audit.context import Context, Ref, row_evidence, row_name
from cnbudget.audit.findings import Finding
from cnbudget.audit.registry import NotEvaluable, rule
from cnbudget.domain.catalog import coded_by, spec_for, table_name
from cnbudget.domain.codes import economic_codes, function_codes
from cnbudget.domain.text import is_digits, plain_label
from cnbudget.model import Row, Table
from cnbudget.model.tables import code_children, leaves_under

FUNCTION_TABLES = coded_by("function")
ECONOMIC_TABLES = coded_by("economic")
CODE_TABLES = FUNCTION_TABLES | ECONOMIC_TABLES


@rule(
    each={
        "HIER-B03-TOTAL": {"table": "B03", "unit": "功能分类"},
        "HIER-B05-TOTAL": {"table": "B05", "unit": "功能分类"},
        "HIER-B06-TOTAL": {"table": "B06", "unit": "经济分类"},
        "HIER-F02-TOTAL": {"table": "F02", "unit": "功能分类"},
        "HIER-F03-TOTAL": {"table": "F03", "unit": "功能分类"},
        "HIER-F05-TOTAL": {"table": "F05", "unit": "功能分类"},
    },
    family="hierarchy",
    description="{name}：合计行等于各{unit}类级科目之和",
    rationale="{name}按科目编码逐级汇总，不带编码的合计行等于各类级科目（3 位编码）之和：合计 = Σ 类。",
    fix=(
        "逐列核对{name}合计行与各类级科目行之和，容差按全部最底层科目个数计算的四舍五入尾差，超出为错误；"
        "表中没有类级科目行或没有合计（总计）行时不检查。"
        "超出的，检查是否漏列某一类科目或类级金额录错，由部门更正。"
    ),
)
def total_of_classes(ctx: Context, table: str, unit: str) -> Iterator[Finding]:
    t = ctx.need(table)
    rows = t.coded_rows()
    classes = [r for r in rows if len(r.full_code) == 3]
    totals = [r for r in t.rows if r.kind == "total" and not r.code and r.label in ("合计", "总计")]
    if not classes or not totals:
        return
    leaves = sum(leaves_under(rows, c.full_code) for c in classes)
    for column in t.value_keys():
        yield from ctx.check_sum(
            Ref(t, totals[0], column, f"合计 {column}"),
            [Ref(t, r, column, row_name(r)) for r in classes],
            f"{table_name(t.id)} 合计行",
            rounded_items=leaves,
        )


def _children_sum(ctx: Context, t: Table, parent_len: int) -> Iterator[Finding]:
    rows = t.coded_rows()
    for parent in [r for r in rows if len(r.full_code) == parent_len]:
        code = parent.full_code
        children = code_children(rows, parent)
        if not children:
            continue
        leaves = leaves_under(rows, code)
        for column in t.value_keys():
            yield from ctx.check_sum(
                Ref(t, parent, column, f"{row_name(parent)} {column}"),
                [Ref(t, r, column, row_name(r)) for r in children],
                f"{table_name(t.id)} {code} 下级科目合计",
                rounded_items=leaves,
            )


@rule(
    each={
        "HIER-B03-CLASS": {"table": "B03"},
        "HIER-B05-CLASS": {"table": "B05"},
        "HIER-B06-CLASS": {"table": "B06"},
        "HIER-F02-CLASS": {"table": "F02"},
        "HIER-F03-CLASS": {"table": "F03"},
        "HIER-F05-CLASS": {"table": "F05"},
    },
    family="hierarchy",
    description="{name}：每个类级科目等于其下款级科目之和",
    rationale="{name}中每个类级科目（3 位编码）等于其下各款级科目（5 位编码）之和：类 = Σ 款。",
    fix=(
        "对报告所列类级科目，逐列加总其下款级科目；容差按该类所含最底层科目个数计算的尾差，超出为错误。"
        "未列出任何款级科目的类不在此检查（见 HIER-CODE-003）；部门应补列漏掉的款级科目或更正金额。"
    ),
)
def classes_of_kuan(ctx: Context, table: str) -> Iterator[Finding]:
    return _children_sum(ctx, ctx.need(table), 3)


@rule(
    each={
        "HIER-B03-KUAN": {"table": "B03"},
        "HIER-B05-KUAN": {"table": "B05"},
        "HIER-F02-KUAN": {"table": "F02"},
        "HIER-F03-KUAN": {"table": "F03"},
        "HIER-F05-KUAN": {"table": "F05"},
    },
    family="hierarchy",
    description="{name}：每个款级科目等于其下项级科目之和",
    rationale="{name}中每个款级科目（5 位编码）等于其下各项级科目（7 位编码）之和：款 = Σ 项。",
    fix=(
        "对报告所列款级科目，逐列加总其下项级科目；容差按所含项级科目个数计算的尾差，超出为错误。"
        "未列出项级科目的款不在此检查（见 HIER-CODE-003）；部门应补列漏掉的项级科目或更正金额。"
    ),
)
def kuan_of_items(ctx: Context, table: str) -> Iterator[Finding]:
    return _children_sum(ctx, ctx.need(table), 5)


def _f06_groups(table: Table) -> tuple[list[Row], list[Row]]:
    personnel = [r for r in table.rows if r.full_code[:3] in ("301", "303")]
    public = [r for r in table.rows if r.full_code[:3] in ("302", "307", "309", "310", "312", "399")]
    return personnel, public


@rule(
    "HIER-F06-CLASS",
    family="hierarchy",
    tables=("F06",),
    description="基本支出决算明细表：每个经济分类类级科目等于其下款级科目之和",
    rationale=(
        "基本支出决算明细表按经济分类列示，每个类级科目（如 301 工资福利支出）"
        "等于其下款级科目（如 30101 基本工资……）之和：类 = Σ 款。"
    ),
    fix=(
        "对报告所列类级科目，在同一金额列内加总其下款级科目；差额在按款级个数计算的尾差范围内只作提示，"
        "超出为错误。部门应检查是否漏列款级科目或录错金额并更正。"
    ),
)
def f06_classes(ctx: Context) -> Iterator[Finding]:
    table = ctx.need("F06")
    rows = [r for r in table.rows if is_digits(r.full_code)]
    for parent in [r for r in rows if len(r.full_code) == 3]:
        children = [r for r in rows if len(r.full_code) == 5 and r.full_code.startswith(parent.full_code)]
        for cell in parent.cells:
            yield from ctx.check_sum(
                Ref(table, parent, cell.column, row_name(parent)),
                [Ref(table, r, cell.column, row_name(r)) for r in children],
                f"{table_name(table.id)} {parent.full_code} 下级科目合计",
            )


@rule(
    "HIER-F06-TOTAL",
    family="hierarchy",
    tables=("F06",),
    description="基本支出决算明细表：人员经费合计、公用经费合计等于各类级科目之和",
    rationale=(
        "基本支出决算明细表中，人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助，"
        "公用经费合计 = 302、307、309、310、312、399 等类级科目之和。"
    ),
    fix=(
        "核对人员经费合计、公用经费合计与相应类级科目之和，容差按所含款级科目个数计算的尾差。"
        "超出的，检查类级科目是否漏列、录错或归错经费类别，由部门更正。"
    ),
)
def f06_totals(ctx: Context) -> Iterator[Finding]:
    table = ctx.need("F06")
    personnel, public = _f06_groups(table)
    for label, members in (("人员经费合计", personnel), ("公用经费合计", public)):
        total = next((r for r in table.rows if r.label == label), None)
        classes = [r for r in members if len(r.full_code) == 3]
        if total is None or not total.cells or not classes:
            continue
        column = total.cells[0].column
        leaves = sum(1 for r in members if len(r.full_code) == 5 and r.cells) or len(classes)
        yield from ctx.check_sum(
            Ref(table, total, column, label),
            [Ref(table, r, r.cells[0].column if r.cells else column, row_name(r)) for r in classes],
            f"{table_name(table.id)} {label}",
            rounded_items=leaves,
        )


@rule(
    "HIER-CODE-001",
    family="hierarchy",
    severity="warning",
    basis="regulation",
    description="科目编码的类级不在支出功能/经济分类目录中",
    rationale=(
        "功能分类和经济分类科目应使用财政部当年《政府收支分类科目》中的编码；"
        "类级编码（前三位）不在目录中，通常是编码录入错误、读取错位或使用了已取消的科目。"
    ),
    fix=(
        "查看报告所列行的编码和名称，对照当年《政府收支分类科目》核实"
        "（功能分类表查支出功能分类，基本支出表和决算明细表查经济分类）。"
        "属录入错误的由部门更正编码；属读取错位（如编码与金额粘连）的，人工复核原表即可。"
    ),
)
def unknown_codes(ctx: Context) -> Iterator[Finding]:
    for table in ctx.tables():
        if table.id not in CODE_TABLES:
            continue
        economic = table.id in ECONOMIC_TABLES
        reference = economic_codes() if economic else function_codes()
        for row in table.coded_rows():
            head = row.full_code[:3]
            if head not in reference:
                yield ctx.finding(
                    f"{table_name(table.id)} {row_name(row)}：类级科目 {head} 不在{'经济' if economic else '功能'}分类目录中",
                    at=(table, row),
                )


@rule(
    "HIER-CODE-002",
    family="hierarchy",
    basis="regulation",
    description="款/项级科目缺少其上级科目行（层级不完整）",
    rationale=(
        "科目表按类—款—项逐级列示，每个款级科目应列有所属类级行，每个项级科目应列有所属款级行，"
        "层级才完整，上级金额才能与下级核对。"
    ),
    fix=(
        "查看报告所列科目的上级编码（去掉末两位）是否在本表中列示。"
        "缺失的，部门应补列上级科目行并填列汇总金额；也可能是本行编码录错，挂到了不存在的上级下。"
    ),
)
def orphan_codes(ctx: Context) -> Iterator[Finding]:
    for table in ctx.tables():
        if table.id not in CODE_TABLES:
            continue
        rows = table.coded_rows()
        codes = {r.full_code for r in rows}
        printed_levels = {len(c) for c in codes}
        missing: dict[str, list[Row]] = {}
        flat: set[int] = set()
        for row in rows:
            code = row.full_code
            parent = code[:-2]
            if len(code) <= 3 or parent in codes:
                continue
            if len(parent) not in printed_levels:
                flat.add(len(parent))  # this table lists no row of that level at all: its convention
                continue
            missing.setdefault(parent, []).append(row)
        if flat:
            levels = "、".join(_LEVEL_NAMES[n] for n in sorted(flat))
            ctx.not_here(f"{table_name(table.id)}不列{levels}级科目（按项平铺列示），不检查上级科目行")
        for parent, kids in missing.items():
            listed = "、".join(row_name(r) for r in kids[:3]) + ("等" if len(kids) > 3 else "")
            finding = ctx.finding(
                f"{table_name(table.id)} 缺少上级科目 {parent} 行（其下列有 {len(kids)} 个科目：{listed}）",
                at=(table, kids[0]),
            )
            finding.evidence.extend(row_evidence(table, r) for r in kids[1:5])
            yield finding


_LEVEL_NAMES = {3: "类", 5: "款", 7: "项"}


@rule(
    "HIER-NAME-002",
    family="hierarchy",
    severity="warning",
    basis="regulation",
    description="科目名称是本文件年度的名称（不是该编码在其他年度的旧名称或新名称）",
    rationale=(
        "支出功能分类科目的名称随年度调整（如 210 类 2019 年起称“卫生健康支出”，此前为“医疗卫生与计划生育支出”）；"
        "文件应使用本年度的科目名称，沿用旧名称多为套用旧表。"
    ),
    fix=(
        "按 domain/data/function_names_by_year.csv 中有出处的各名称及其适用年度判断：印出的名称只适用于其他年度、"
        "而本年度另有适用名称的提示；两段已知年度之间的年份不判断。部门应改用本年度科目名称。"
    ),
)
def names_of_the_year(ctx: Context) -> Iterator[Finding]:
    from cnbudget.domain.codes import name_out_of_year

    year = ctx.year
    if not year:
        raise NotEvaluable("未能识别文件年度")
    reported: set[tuple[str, str]] = set()
    for table in ctx.tables():
        if table.id not in FUNCTION_TABLES:
            continue
        for row in table.coded_rows():
            code, name = row.full_code, plain_label(row.label)
            current = name_out_of_year(code, name, year)
            if current is None or (code, name) in reported:
                continue
            reported.add((code, name))
            yield ctx.finding(
                f"科目 {code} 印作“{name}”，这是其他年度的名称；{year} 年度该科目称“{current.name}”",
                at=(table, row),
            )


@rule(
    "HIER-NAME-001",
    family="hierarchy",
    severity="info",
    basis="consistency",
    description="同一科目编码在不同表中名称不一致（科目名称以编码为准）",
    rationale=(
        "同一科目编码在全文各表中应使用同一名称，即本年度《政府收支分类科目》中的名称；"
        "名称不一致多为沿用了旧年度科目名称或录入错误，核对以编码为准。"
    ),
    fix=(
        "查看报告列出的两处名称（只比较功能分类科目表，一方是另一方截断前缀的不报告），"
        "对照本年度科目目录确定正确名称（如 20604 款名称各年度有调整）。属提示级，部门应统一更正为本年度名称。"
    ),
)
def names_differ(ctx: Context) -> Iterator[Finding]:
    seen: dict[str, tuple[Table, Row]] = {}
    reported: set[tuple[str, str]] = set()
    for table in ctx.tables():
        if table.id not in FUNCTION_TABLES:
            continue
        for row in table.coded_rows():
            code = row.full_code
            if row.code != code:
                continue  # names of prefix-only rows are truncated by the converter
            other_table, other = seen.setdefault(code, (table, row))
            if (
                other.label != row.label
                and (code, row.label) not in reported
                and not (other.label.startswith(row.label) or row.label.startswith(other.label))
            ):
                reported.add((code, row.label))
                yield ctx.finding(
                    f"科目 {code} 在{table_name(other_table.id)}中为“{other.label}”，在{table_name(table.id)}中为“{row.label}”",
                    table=table.id,
                    row_code=code,
                    row_label=row.label,
                    evidence=[row_evidence(other_table, other), row_evidence(table, row)],
                )


@rule(
    "HIER-CODE-003",
    family="hierarchy",
    basis="regulation",
    description="有金额的类、款级科目列出了其下级科目（功能分类到项级，经济分类到款级）",
    rationale=(
        "《预算法实施条例》要求部门预决算支出按功能分类公开到项、基本支出按经济分类公开到款；"
        "有金额的类、款级功能科目（经济分类的类级科目）没有列出下级明细，细化程度不符合要求。"
    ),
    fix=(
        "查看报告所列科目是否有金额而其下没有任何下级科目行；经济分类只对基本支出表要求到款，"
        "全部支出或项目支出按经济分类的表不检查。部门应补列项级（经济分类为款级）明细；若该行本应是项级科目，则更正其编码。"
    ),
)
def childless_codes(ctx: Context) -> Iterator[Finding]:
    for table in ctx.tables():
        if table.id not in CODE_TABLES:
            continue
        economic = table.id in ECONOMIC_TABLES
        if economic and "基本支出" not in spec_for(table.id).subjects:
            # the regulation asks 基本支出 by economic class to 款; a table of all spending or of 项目支出 by
            # economic class may stop at 类
            ctx.not_here(f"{table_name(table.id)}不是基本支出表，经济分类细化到款的要求不适用")
            continue
        rows = table.coded_rows()
        codes = {r.full_code for r in rows}
        printed_levels = {len(c) for c in codes}
        unlisted: set[int] = set()
        for row in rows:
            code = row.full_code
            if len(code) >= (5 if economic else 7) or not any(c.value for c in row.cells):
                continue
            if len(code) + 2 not in printed_levels:
                unlisted.add(len(code) + 2)  # the table lists no row of the level below at all
                continue
            if not code_children(rows, row):
                yield ctx.finding(
                    f"{table_name(table.id)} {row_name(row)} 有金额，但没有列出其下级科目", at=(table, row)
                )
        if unlisted:
            # one root, one finding: a table printed to 款 (or 类) only is one omission, not one per row
            levels = "、".join(_LEVEL_NAMES[n] for n in sorted(unlisted))
            deepest = max(len(c) for c in codes)
            yield ctx.finding(
                f"{table_name(table.id)}只列到{_LEVEL_NAMES[deepest]}级科目，未列任何{levels}级科目"
                f"（{'经济分类应公开到款' if economic else '功能分类应公开到项'}）",
                at=table,
            )
