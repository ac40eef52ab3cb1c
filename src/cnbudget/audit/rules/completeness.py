"""Completeness: required tables and sections are present, empty tables say why, nothing unreadable."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cnbudget.audit.context import Context, claim_evidence
from cnbudget.audit.findings import Evidence, Finding
from cnbudget.audit.registry import rule
from cnbudget.domain.catalog import spec_for, table_name, template_of
from cnbudget.domain.vocabulary import SIDES, TABLE_STATUS_LABELS, UNUSABLE_STATUSES
from cnbudget.model import Table
from cnbudget.model.summary import read_side

_NONE_WORDS = re.compile(r"没有|无|未|不涉及|为零|为0|为空")


@rule(
    "COMP-TABLE-001",
    family="completeness",
    basis="regulation",
    description="公开的报表齐全：文件目录所列、所用模板要求的各表都已公开（模板不能确定时缺表只作警告）",
    rationale=(
        "《预算法》第十四条要求部门预算、决算及报表向社会公开，"
        "公开模板规定了必须公开的整套报表（如全国统一的决算公开01–09表，各地预算模板的八至十三张表）；"
        "缺表即公开内容不完整。报表按其内容识别（标题所说的收支、资金、分类和表中的科目），不论各地标题措辞。"
    ),
    fix=(
        "目录列了而正文没有的表、以及模板确定（文件所署地区的模板，且印有其绝大多数表）时模板要求而未找到的表，"
        "报为错误；模板不能确定时只作警告，并列出找到的表。报表放在附件而附件未随文件提供的，只提示一次。"
        "确属缺失的，部门应补充该表后重新公开；本部门没有相关收支的，也应以空表列出并注明原因。"
    ),
)
def required_tables(ctx: Context) -> Iterator[Finding]:
    meta = ctx.doc.metadata
    template = template_of(meta)
    present = {t.id for t in ctx.doc.tables} | {p.id.split("-")[0] for p in ctx.doc.performance}
    standard = sorted(i for i in present if not i.startswith("X"))
    if not standard and _tables_elsewhere(ctx):
        yield ctx.finding(
            f"情况说明称报表见附件（{_tables_elsewhere(ctx)}），本文件不含报表：附件未随文件提供，未检查报表；"
            "请与附件一并审核（cnbudget audit --bundle 说明.pdf 报表.pdf）",
            severity="warning",
        )
        return
    declared = meta.declared_tables
    found = "、".join(f"{i} {table_name(i)}" for i in standard) or "无"
    for table_id in dict.fromkeys([*template.required, *declared]):
        if table_id in present:
            continue
        if table_id in declared:
            yield ctx.finding(
                f"缺少{table_id}“{table_name(table_id)}”：文件目录列有此表，正文中没有找到",
                table=table_id,
            )
        elif meta.template_confidence == "certain":
            yield ctx.finding(
                f"缺少{table_id}“{table_name(table_id)}”：{template.name}应公开的报表未在文件中找到"
                f"（模板依据：{meta.template_evidence}）",
                table=table_id,
            )
        else:
            yield ctx.finding(
                f"未找到{table_id}“{table_name(table_id)}”：按{template.name}应公开此表，但未能确定文件所用模板"
                f"（{meta.template_evidence}），请核对是否以其他形式公开；文件中找到的表：{found}",
                table=table_id,
                severity="warning",
            )


_ATTACHMENT = re.compile(
    r"(?:详见|见|附)[^。；\n]{0,12}附件[^。；\n]{0,20}|附件\s*\d?\s*[：:]?[^。；\n]{0,20}(?:报表|公开表)"
)


def _tables_elsewhere(ctx: Context) -> str:
    """The words that say the tables are in an attachment ("详见附件2", "附件2：…报表"), or ""."""
    texts = [s.text for s in ctx.doc.narrative] + [h.text for h in ctx.doc.outline]
    for text in texts:
        m = _ATTACHMENT.search(text)
        if m and ("表" in m.group(0) or "附件" in m.group(0)):
            return m.group(0).strip()
    return ""


_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:X{2,}|Ｘ{2,}|×{2,})(?![A-Za-z])")


def placeholders(ctx: Context) -> list[tuple[int, str]]:
    """(line, snippet) of every unfilled placeholder ("上海市 XX 局", "XXX 万元") in title and narrative.

    Computed once per audit: two rules ask."""
    return ctx.memo(_find_placeholders)


def _find_placeholders(ctx: Context) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    title = ctx.doc.metadata.title
    if _PLACEHOLDER.search(title):
        found.append((ctx.doc.metadata.title_line, title))
    for section in ctx.doc.narrative:
        for m in _PLACEHOLDER.finditer(section.text):
            found.append((section.line, section.text[max(0, m.start() - 8) : m.end() + 8]))
    return found


@rule(
    "COMP-TEMPLATE-001",
    family="completeness",
    basis="regulation",
    phase="after",
    description="文件中没有未填写的模板占位符（XX、XXX 万元）",
    rationale=(
        "公开文件应是填报完成的正式文本；文件标题或情况说明中残留“XX”“XXX万元”等占位符，"
        "说明公开的是未填写完成的模板，内容不真实、不完整。"
    ),
    fix=(
        "本规则对整份文件只报告一次，列出占位符个数、前几处所在行以及没有任何金额的报表数；"
        "此时空表说明规则（COMP-EMPTY-001）不再逐表报告；报表全部没有金额的（整份未填报的模板），"
        "其他规则的发现都列在本条之下，不再单独报告。"
        "部门应将全部占位符替换为实际名称和金额，核对后重新公开。"
    ),
)
def template_placeholders(ctx: Context) -> Iterator[Finding]:
    """One finding for the whole document: a template's hundreds of blanks are one mistake, not hundreds."""
    found = placeholders(ctx)
    if not found:
        return
    empty = [t.id for t in ctx.doc.tables if not any(c.value for r in t.rows for c in r.cells)]
    unfilled = bool(ctx.doc.tables) and len(empty) == len(ctx.doc.tables)
    examples = "；".join(f"{ctx.cite(line)}“{text}”" for line, text in found[:3])
    finding = ctx.finding(
        f"文件含 {len(found)} 处未填写的占位符（如 {examples}）"
        + (f"，{len(empty)} 张表没有任何金额" if empty else "")
        + "：这是未填报的模板，不是可公开的文件",
        evidence=[Evidence("line", line=line, text=text) for line, text in found[:10]],
    )
    if unfilled:
        # every other finding on a blank template follows from its being blank: listed under this one
        finding.related = [f for f in ctx.earlier if f.severity != "info"]
    yield finding


_FUNDS = ("政府性基金", "国有资本经营", "财政专户", "一般公共预算", "三公", "机关运行经费", "政府采购")
_ZERO_FIGURE = re.compile(r"(?<![\d.])0(?:\.0+)?\s*万?元|为零|为0(?![\d.])")


def _explained_in_narrative(ctx: Context, table: Table) -> bool:
    """A narrative sentence about the table's funds that says they are nil ("本部门2017年政府性基金支出预算
    支出0万元", "没有国有资本经营预算拨款"): templates that give each table its own paragraph explain an
    empty table there."""
    title = table.title or table_name(table.id)
    funds = [f for f in _FUNDS if f in title]
    if not funds:
        return False
    for section in ctx.doc.narrative:
        for sentence in re.split(r"[。；;]", section.text):
            if any(f in sentence for f in funds) and (
                _NONE_WORDS.search(sentence) or _ZERO_FIGURE.search(sentence)
            ):
                return True
    return False


def _empty_tables(ctx: Context) -> Iterator[Table]:
    """The tables with no amount at all (none on an unfilled template: COMP-TEMPLATE-001 reports it once)."""
    if placeholders(ctx):
        return
    for table in ctx.tables():
        if not any(c.value for r in table.rows for c in r.cells):
            yield table


@rule(
    "COMP-EMPTY-001",
    family="completeness",
    severity="warning",
    basis="regulation",
    description="空表附有说明（如“本部门没有使用政府性基金预算拨款安排的支出”）",
    rationale=(
        "按公开模板要求，本部门没有相应收支的报表（常见为政府性基金预算、国有资本经营预算支出表）"
        "也应以空表公开并注明原因，使读者能区分“没有此项收支”与“漏报”。"
    ),
    fix=(
        "查看该表是否全表无非零金额，以及表下（表注）有无“没有／无／未／不涉及／为零”之类的说明；"
        "表下没有注的，情况说明中讲该类资金为零或没有的句子（如“政府性基金支出预算支出0万元”）也算交代。"
        "部门应在空表下加注，"
        "如“本部门2026年没有使用政府性基金预算拨款安排的支出，故本表为空表”。"
    ),
)
def empty_tables_explained(ctx: Context) -> Iterator[Finding]:
    for table in _empty_tables(ctx):
        if not any(_NONE_WORDS.search(n.text) for n in table.notes) and not _explained_in_narrative(
            ctx, table
        ):
            yield ctx.finding(
                f"{table.id}“{table_name(table.id)}”为空表，但没有说明原因",
                table=table.id,
                evidence=[Evidence("table", table.id, line=table.title_line)],
            )


_CONDITIONAL = re.compile(
    r"如(?:无|果|为空|没有)|若(?:无|为空|没有)|(?:为空|无数(?:字|据))(?:的|时)?[，,]?则"
)
"""A template's note that says what an empty table would mean ("此表如无数字则表示单位无该项支出"), not that
the department has none."""


@rule(
    "COMP-EMPTY-002",
    family="completeness",
    basis="consistency",
    description="说明称“没有/无”此类支出的表中却列有金额",
    rationale=(
        "表注称“没有使用……”或“无……支出（收入）”，而表中却列有金额，表注与数据互相矛盾，至少有一方是错的。"
    ),
    fix=(
        "核对该表金额与表注：确有此类收支的，删去“没有／无”的表注并在情况说明中如实说明；"
        "确无此类收支的，删去误填的金额（常见为从其他表误粘贴）。"
    ),
)
def empty_note_contradicted(ctx: Context) -> Iterator[Finding]:
    for table in ctx.tables():
        amounts = [c for r in table.rows for c in r.cells if c.value]
        notes = [
            n
            for n in table.notes
            if re.search(r"没有使用|无.{0,10}(支出|收入)", n.text) and not _CONDITIONAL.search(n.text)
        ]
        if amounts and notes:
            yield ctx.finding(
                f"{table.id}“{table_name(table.id)}”注明“{notes[0].text[:40]}”，但表中列有 {len(amounts)} 个金额",
                table=table.id,
                evidence=[
                    Evidence("line", table.id, line=notes[0].line, text=notes[0].text),
                    *(Evidence("cell", table.id, raw=c.raw, value=c.value, line=c.line) for c in amounts[:3]),
                ],
            )


@rule(
    "COMP-EMPTY-003",
    family="completeness",
    basis="consistency",
    description="空表（只有表头）对应的资金，情况说明中没有写出不为零的金额",
    rationale=(
        "报表只有表头、没有任何金额，而情况说明却写出了该类资金（如政府性基金、国有资本经营预算）的金额，"
        "表与说明互相矛盾：要么表中漏填，要么说明沿用了别的年度或别的单位的数字。"
    ),
    fix=(
        "只检查标题中写明资金类别（政府性基金、国有资本经营、“三公”、机关运行经费、政府采购等）的空表："
        "说明中提到该类资金、年度为本文件年度、金额不为零的句子即报告。部门应补填报表或改正说明。"
    ),
)
def empty_table_with_amounts(ctx: Context) -> Iterator[Finding]:
    for table in _empty_tables(ctx):
        title = table.title or table_name(table.id)
        funds = [f for f in _FUNDS if f in title]
        if not funds:
            continue
        said = [
            c for c in ctx.doc.claims
            if c.amount and any(f in c.subject for f in funds) and c.year in (None, ctx.year)
            and c.change_amount is None and c.share_pct is None
        ]  # fmt: skip
        if said:
            claim = said[0]
            yield ctx.finding(
                f"{table.id}“{table_name(table.id)}”为空表，但情况说明{ctx.cite(claim.line, claim.page)}写“{claim.subject} {claim.raw}”",
                table=table.id,
                evidence=[
                    claim_evidence(claim),
                    Evidence("table", table.id, line=table.title_line, page=table.page),
                ],
            )


@rule(
    "COMP-PARSE-001",
    family="completeness",
    severity="warning",
    basis="consistency",
    description="报表能被可靠读取（表头识别、各列对齐、读取结果符合表内勾稽关系），否则不做算术检查",
    rationale=(
        "表内、表间勾稽检查以正确识别表头、各列对齐为前提；读错的表会使几乎每个勾稽关系都不成立，"
        "报出的几十个“差错”其实是读取问题。读取后先用表内自身的关系（合计列、上下级科目、合计行、"
        "收支总计、编码与科目名称）检验读法，读法不可信的表只报告一次，不做算术检查。"
    ),
    fix=(
        "对照原文件查看报告所述问题（表头未识别金额列、某行单元格多于表头列数、多数勾稽关系不成立、"
        "编码与名称不符等）并人工核对该表。状态为“读取不可信”或“未能读取”的表不做任何算术检查，"
        "需人工复核；“部分读取”的表仍参加检查，其报出的差额可能源于列错位，应先核实原表；"
        "按勾稽关系改读（如金额列整体移位）的表照常检查，报告中注明所作改读。"
        "问题出在文件本身（缺列、合并单元格错位）的，部门应按模板格式重新排版公开。"
    ),
)
def parse_health(ctx: Context) -> Iterator[Finding]:
    for table in ctx.doc.tables:
        where = f"{table.id}“{table_name(table.id)}”" + (f"（第 {table.page} 页）" if table.page else "")
        evidence = [Evidence("table", table.id, line=table.title_line, page=table.page)]
        if table.status == "ok":
            reread = [w for w in table.warnings if w.startswith("按表内勾稽关系改读")]
            if reread:
                yield ctx.finding(f"{where}{reread[0]}", severity="info", table=table.id, evidence=evidence)
            continue
        finding = ctx.finding(
            f"{where}{TABLE_STATUS_LABELS[table.status]}：{'；'.join(table.warnings[:3])}",
            table=table.id,
            evidence=evidence,
        )
        finding.needs_review = table.status in UNUSABLE_STATUSES
        yield finding


@rule(
    "COMP-NARR-001",
    family="completeness",
    basis="regulation",
    description="有情况说明部分（第三部分）",
    rationale=(
        "《预算法》第十四条要求对部门预算、决算中机关运行经费的安排、使用情况等重要事项作出说明，"
        "公开模板也要求报表之后附情况说明（第三部分）；没有说明部分，公开内容不完整。"
    ),
    fix=(
        "核对文件在报表之后有无“情况说明／预算编制说明／决算情况说明”部分，"
        "或说明是否另成文件而未一并提供。确属缺失的，部门应补充情况说明后重新公开。"
    ),
)
def narrative_present(ctx: Context) -> Iterator[Finding]:
    if not ctx.doc.narrative:
        yield ctx.finding(
            "未找到情况说明部分（第三部分）：报表之后文件可能不完整",
        )


_SUB_HEADING = re.compile(r"[（(][一二三四五六七八九十]{1,3}[）)][^（(。，]{2,24}?(?:情况|说明)")


@rule(
    "COMP-NARR-002",
    family="completeness",
    severity="warning",
    basis="regulation",
    description="情况说明包含其公开模板规定的各节（收支总体、收入、支出、三公、基金、国资等）",
    rationale=(
        "公开模板规定情况说明应逐项说明收支总体、收入、支出、财政拨款收支、一般公共预算支出、"
        "基本支出、“三公”经费、政府性基金和国有资本经营预算支出等情况，决算另须说明机关运行经费、"
        "政府采购、国有资产占用和预算绩效情况；各地模板的节目不尽相同（上海区级预算为“预算编制说明”"
        "和“其他相关情况说明”），按文件所用模板（templates.toml）判断，缺节即说明不完整。"
    ),
    fix=(
        "按报告列出的缺节名称查看说明的各级标题（含“其他重要事项的情况说明”下的小标题），"
        "本规则按标题中的关键词判断，先确认是否只是标题措辞不同。确实缺少的，部门应补写该节；"
        "没有此类收支的也应写明“无”及原因。"
    ),
)
def narrative_sections(ctx: Context) -> Iterator[Finding]:
    if not ctx.doc.narrative:
        return
    headings = "".join(s.heading for s in ctx.doc.narrative)
    # sub-sections count too: "十一、其他重要事项的情况说明 （一）机关运行经费支出情况 （二）政府采购…"
    headings += "".join(_SUB_HEADING.findall("".join(s.text for s in ctx.doc.narrative)))
    template = template_of(ctx.doc.metadata)
    for name, words in template.sections.items():  # the template's own sections (templates.toml)
        if not any(word in headings for word in words):
            yield ctx.finding(
                f"情况说明中没有“{name}”一节（{template.name}）",
                evidence=[Evidence("line", line=ctx.doc.narrative[0].line)],
            )


@rule(
    "COMP-3GONG-001",
    family="completeness",
    severity="info",
    basis="regulation",
    description="“三公”经费为零的项目在说明中有交代",
    rationale=(
        "“三公”经费是预决算公开的重点，公开要求对“三公”经费各项的安排及增减变化作出说明；"
        "某项为零的也应交代（如“本部门无因公出国（境）安排”），以免被误认为漏填。"
    ),
    fix=(
        "本规则只检查“三公”经费表中填为 0 的项目（留空不计）的名称是否在情况说明中出现，"
        "出现即视为已交代，属提示级。审核时应查看“三公”经费一节是否确实说明了该项为零及原因，"
        "未说明的由部门补充。"
    ),
)
def zero_three_public_explained(ctx: Context) -> Iterator[Finding]:
    table = ctx.table("B07") or ctx.table("F09")
    if table is None or not table.rows:
        return
    text = "".join(s.text for s in ctx.doc.narrative)
    for cell in table.rows[0].cells:
        parts = cell.column.split("/")
        name = parts[-2] if parts[-1] == "小计" and len(parts) > 1 else parts[-1]
        name = name.replace("（境）", "(境)").removeprefix("“三公”经费")
        if cell.value == 0 and name and name[:4] not in text.replace("（境）", "(境)"):
            yield ctx.finding(
                f"{table_name(table.id)} {cell.column} 为 0，情况说明未提及",
                table=table.id,
                column=cell.column,
                evidence=[
                    Evidence(
                        "cell", table.id, column=cell.column, raw=cell.raw, value=cell.value, line=cell.line
                    )
                ],
            )


@rule(
    "COMP-B12-001",
    family="completeness",
    severity="warning",
    basis="regulation",
    kinds=("budget",),
    tables=("B10",),
    description="项目支出表中的项目公开了项目支出绩效目标表",
    rationale=(
        "预算公开模板要求随部门预算公开项目支出绩效目标表，使项目支出表中的项目都有对应的绩效目标可查。"
    ),
    fix=(
        "本规则只在项目支出表列有项目、而全文找不到任何项目支出绩效目标表时报告，不逐个项目核对。"
        "审核时应对照项目支出表核实主要项目是否都公开了绩效目标表，缺失的由部门补充公开。"
    ),
)
def project_goals_published(ctx: Context) -> Iterator[Finding]:
    projects = [p for p in ctx.doc.projects if p.level == "project"]
    b12 = [p for p in ctx.doc.performance if p.id.startswith("B12")]
    if projects and not b12:
        yield ctx.finding(
            f"项目支出表列有 {len(projects)} 个项目，但未公开项目支出绩效目标表",
            table="B10",
        )


_REQUIRED_ROWS: dict[str, tuple[tuple[str | None, tuple[str, ...], str], ...]] = {
    "F06": ((None, ("人员经费合计",), "人员经费合计"), (None, ("公用经费合计",), "公用经费合计")),
}
"""Rows a table cannot do without besides its totals: (side, the names it may be printed with, its name)."""
_TOTALS_ROW_TABLES = ("B03", "B05", "B06", "F02", "F03", "F05")


@rule(
    "COMP-ROWS-001",
    family="completeness",
    basis="regulation",
    description="报表的合计、总计行齐全（“三公”经费表有数据行）",
    rationale=(
        "合计、总计行是表内勾稽和表间核对的依据：收支总表须有本年收入合计、收入总计、本年支出合计、"
        "支出总计，科目表和收入总表须有合计行，基本支出决算明细表须有人员经费合计、公用经费合计，"
        "“三公”经费表须有数据行；缺少这些行，表不完整也无法核对。"
    ),
    fix=(
        "查看报告所列表缺少的行，确认是否跨页截断、漏印或改用了其他称谓；空表不检查本规则。"
        "部门应按模板补齐合计／总计行并填列金额。"
    ),
)
def required_rows(ctx: Context) -> Iterator[Finding]:
    from cnbudget.domain.text import plain_label

    for table in ctx.tables():
        if table.is_empty:
            continue
        missing: list[str] = []
        if spec_for(table.id).two_sided:
            # the totals by their role, whatever their words (收入总计; 合计 at the head of a side with no
            # carry-over; 收入合计 after the carry-overs): model.summary
            for side in SIDES:
                read = read_side(table, side)
                if any(r.side == side for r in table.rows) and read.grand is None:
                    missing.append(f"{side}总计")
        for wanted, names, shown in _REQUIRED_ROWS.get(table.id, ()):
            if not any(
                (wanted is None or r.side == wanted) and plain_label(r.label) in names for r in table.rows
            ):
                missing.append(f"{wanted or ''}{shown}")
        data_rows = [r for r in table.rows if r.code]
        # a table printed as rows of codes or units needs its total; one printed as a single row has none
        needs_total = len(data_rows) > 1 and (table.id in _TOTALS_ROW_TABLES or table.id in ("B02", "B05U"))
        if needs_total and table.total_row() is None:
            missing.append("合计")
        if table.id in ("B07", "F09") and not any(r.cells for r in table.rows):
            missing.append("数据行")
        levels = {p.line: p.level for p in ctx.doc.projects}
        units = [r for r in table.rows if levels.get(r.line) == "unit"]
        if (
            table.id == "B10"
            and (len(units) > 1 or units and units[0] is not table.rows[0])
            and not any(r.kind == "total" for r in table.rows)
        ):
            # one unit printed first heads its projects as their total (深圳: 深圳市财政局（本级） over its projects)
            missing.append("合计")
        if missing:
            yield ctx.finding(
                f"{table.id}“{table_name(table.id)}”缺少 {'、'.join(missing)} 行",
                at=table,
            )
