"""Parsing: segment the document, recognise each standard table, and build the model."""

from __future__ import annotations

import gc
import re
from pathlib import Path

from cnbudget.domain.catalog import TemplateSpec, spec_for, table_name
from cnbudget.domain.errors import InputError
from cnbudget.domain.i18n import t
from cnbudget.domain.names import organisation_row, own_row
from cnbudget.domain.text import compact, is_digits
from cnbudget.model import Document, Warning_
from cnbudget.parse.codes import organisation_rows, resolve_codes
from cnbudget.parse.furniture import furniture_lines
from cnbudget.parse.metadata import org_names_from_captions, read_metadata
from cnbudget.parse.narrative import read_narrative, read_prose
from cnbudget.parse.outline import read_outline
from cnbudget.parse.performance import parse_performance
from cnbudget.parse.segment import Region, segment
from cnbudget.parse.self_evaluation import parse_self_evaluation
from cnbudget.parse.tables.financial import parse_financial, projects_from
from cnbudget.parse.tables.selfcheck import check_reading
from cnbudget.parse.template import match_template
from cnbudget.read import Line, ReadOptions, Source, read_bundle, read_path, source_from_text


def parse_file(path: str | Path, options: ReadOptions | None = None) -> Document:
    """Read and parse one disclosure file (PDF, XLSX, XLS, DOCX, HTML or text, told apart by content)."""
    return parse_source(read_path(path, options), keep_source=False)


def parse_bundle(paths: list[str | Path], options: ReadOptions | None = None) -> Document:
    """Read and parse several files that together are one disclosure (narrative and tables apart)."""
    return parse_source(read_bundle(paths, options), keep_source=False)


def parse_text(text: str, name: str = "<text>") -> Document:
    """Parse a disclosure already decoded to text."""
    return parse_source(source_from_text(text, name))


def parse_source(source: Source, keep_source: bool = True) -> Document:
    """``keep_source=False``: the caller has no further use for ``source``, so the rows of the tables are let
    go from its lines once the tables are read (`_release_table_rows`): the model of a table and the lines
    it was read from are then never held together to the end, which keeps the peak memory of a large
    document near its model's size."""
    # Parsing allocates ~10^5 small objects and creates no reference cycles: the cyclic collector would
    # only add pauses, so it is suspended for the parse (reference counting still frees everything).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse(source, keep_source)
    finally:
        if collecting:
            gc.enable()


def _parse(source: Source, keep_source: bool) -> Document:
    lines = source.lines
    meta = read_metadata(lines, source.path, source.sha256, source.layout)
    meta.source_format = source.format
    meta.source_files = list(source.files)
    captions = org_names_from_captions(lines)
    org_names = tuple(n for n in [meta.department, *captions] if n)
    segments = segment(lines, org_names, meta.kind)
    doc = Document(metadata=meta, parts=segments.parts)
    if segments.toc:
        doc.toc_lines = (lines[segments.toc[0]].number, lines[segments.toc[1]].number)
    if not segments.regions and not meta.kind:
        raise InputError(
            t(
                "不是预算或决算公开文件：没有标准报表，也没有预算/决算标题",
                "not a budget or final-account disclosure: no standard table and no 预算/决算 (budget/final accounts) title found",
            ),
            source.path,
        )

    if not meta.fiscal_year and segments.regions:
        # a tables file printed without a cover (北京's 附件2): the year its table titles print
        years = [int(y) for r in segments.regions for y in _YEAR_IN_HEADER.findall(r.title)]
        if years:
            meta.fiscal_year = max(set(years), key=years.count)
    if not meta.kind and segments.regions:
        finals = sum(1 for r in segments.regions if r.table_id.startswith("F"))
        meta.kind = "final" if 2 * finals > len(segments.regions) else "budget"
    matched = match_template(meta, [r.table_id for r in segments.regions], org_names)
    template = matched.template
    meta.template = template.id
    meta.template_confidence = matched.confidence  # type: ignore[assignment]
    meta.template_evidence = matched.evidence
    meta.declared_tables = list(segments.declared)
    units = tuple(_unit_names(lines, segments.regions, captions))
    furniture, printed = furniture_lines(lines), _printed_pages(source)
    _read_tables(doc, segments.regions, lines, template.unit, units, release_rows=not keep_source)
    _read_text(doc, lines, furniture, printed, source.pages)
    if not meta.kind:
        meta.kind = template.kind
    _missing_tables(doc, template)
    if doc.tables and not doc.narrative:
        last = max(table.last_line for table in doc.tables)
        doc.warnings.append(Warning_("truncated", t(f"报表（至第 {last} 行）之后没有情况说明：文件可能不完整",
                                     f"no narrative part (情况说明) after the tables, which end at line "
                                     f"{last}: the document may be truncated"), last))  # fmt: skip
    for message in source.warnings:
        doc.warnings.append(Warning_("read", message))
    return doc


def _printed_pages(source: Source) -> set[int]:
    return (
        {line.page for line in source.lines if line.page is not None and line.text.strip()}
        if source.pages
        else set()
    )


def _read_text(doc: Document, lines: list[Line], furniture: set[int], printed: set[int], pages: int) -> None:
    """The narrative, the other parts' running text and the headings, outside the tables read before.
    ``furniture`` and ``printed`` (the pages that print something) were found on every line, before the
    tables' rows may have been let go."""
    outside = [(table.first_line, table.last_line) for table in doc.tables]
    outside += [(p.first_line, p.last_line) for p in doc.performance]
    if doc.toc_lines:
        outside.append(doc.toc_lines)
    doc.narrative = read_narrative(lines, doc.parts, outside, furniture)
    doc.prose = read_prose(lines, doc.parts, doc.narrative, outside, furniture)
    doc.outline = read_outline(lines, outside)
    doc.blank_pages = [page for page in range(1, pages + 1) if page not in printed]


_RELEASED = Line(0, "", None, "blank")
"""Stands for a table's row once it is let go (`_release_rows`), until the line list is compacted."""


def _release_rows(lines: list[Line], region: Region, regions: list[Region], k: int) -> None:
    """Let go of the rows (lines with cells) of a region just read: what comes after the tables reads only
    running text and headings, and skips the tables' lines. Lines a later region also covers are kept, and
    so is the last row of each run of rows (a section of running text that ends in a table ends on it).
    (`_read_tables` then drops them, and the blank lines, from the list.)"""
    end = min([region.end, *(r.start for r in regions[k + 1 :] if r.start >= region.start)])
    following: Line | None = None  # the next line that is not blank
    for i in range(end - 1, region.start - 1, -1):
        line = lines[i]
        if line.layout == "blank":
            continue
        if line.cells is not None and following is not None and following.cells is not None:
            lines[i] = _RELEASED
        following = line


def _read_tables(
    doc: Document,
    regions: list[Region],
    lines: list[Line],
    unit: str,
    units: tuple[str, ...],
    release_rows: bool = False,
) -> None:
    """Every table region read by its kind, then checked against its own identities (a reading that does not
    hold is marked, not audited), with the projects of B10 and the document's amount unit.

    ``release_rows``: the caller has no further use for the lines, so each region's rows are let go once its
    table is read (the model of a table and the lines it was read from are not held together to the end)."""
    last = lines[-1] if lines else None  # kept: what follows the tables reads where the document ends
    for k, region in enumerate(regions):
        spec = spec_for(region.table_id)
        if spec.kind in ("financial", "listing"):
            table = parse_financial(region, lines, unit, units)
            doc.tables.append(table)
            doc.warnings.extend(Warning_("table", w, None, table.id) for w in table.warnings)
        elif spec.kind == "performance":
            doc.performance.append(parse_performance(region, lines, unit))
        else:
            doc.self_evaluations.append(parse_self_evaluation(region, lines))
        if release_rows:
            _release_rows(lines, region, regions, k)
    if release_rows:  # and the blank lines, which nothing after the tables reads
        lines[:] = [x for x in lines if x is last or (x is not _RELEASED and x.layout != "blank")]
    _periods(doc)
    resolve_codes(doc.tables)
    for table in doc.tables:
        organisation_rows(table)
    for table in doc.tables:
        before = len(table.warnings)
        check_reading(table)
        doc.warnings.extend(Warning_("table", w, None, table.id) for w in table.warnings[before:])
    for table in doc.tables:
        if table.id == "B10":
            doc.projects.extend(projects_from(table, units))
    _organisation_codes(doc)
    main = next(
        (table for table in doc.tables if table.id in ("B01", "F01")), doc.tables[0] if doc.tables else None
    )
    if main is not None:
        doc.metadata.amount_unit = main.amount_unit


_YEAR_IN_HEADER = re.compile(r"(20\d{2})\s*年")
_LAST_YEAR = re.compile(r"^上年度?(?:预算|执行|决算|实际)?数?$|^上年度?(?:预算|执行|决算|实际)数")
"""上年, 上年预算数, 上年执行数 — not 上年结转结余, which is this year's income carried over."""
_CHANGE_COLUMN = re.compile(
    r"^(?:比上年)?(?:增减|增长|变动|变化)(?:变化|变动)?(?:情况|额|数|率|幅度|%|[（(]%[)）])?$"
)
"""增减变化情况, 增减额, 增减率: a difference between two years, not an amount of either."""


def _periods(doc: Document) -> None:
    """Columns of another year ("2025年预算数" beside 2026's, "上年预算数") are marked prior: they are facts,
    but not the table's figures for the document's year."""
    year = doc.metadata.fiscal_year
    for table in doc.tables:
        for col in table.columns:
            if col.role != "value":
                continue
            years = {int(y) for part in col.path for y in _YEAR_IN_HEADER.findall(part)}
            if any(_LAST_YEAR.match(p) for p in col.path) or (year and years and year not in years):
                col.period = "prior"
            elif any(_CHANGE_COLUMN.match(p) for p in col.path):
                col.period = "change"


def _unit_names(lines: list[Line], regions: list[Region], captions: list[str]) -> list[str]:
    """Names of the department's units, for splitting 项目名称+项目单位 in space layouts."""
    names = set(captions)
    for region in regions:
        if region.table_id not in ("B02", "B05U"):
            continue
        pending = ""
        for line in lines[region.start : region.end]:
            if line.layout == "blank":
                continue
            text = line.stripped
            if line.cells is not None:
                for cell in line.cells[:3]:
                    c = compact(cell)
                    if c and not is_digits(c[0]) and not re.search(r"合计|代码|名称|编码|\d", c):
                        names.add(c)
                continue
            m = re.match(r"^(\d{3}|\d{6})$", text)
            if m:
                pending = "\u0000"
                continue
            if pending and text and not re.search(r"\d", text):
                pending = (pending.strip("\u0000") + compact(text)) or "\u0000"
                continue
            if pending and pending != "\u0000":
                names.add(pending)
            pending = ""
    return sorted((n for n in names if len(n) >= 4), key=len, reverse=True)


def _organisation_codes(doc: Document) -> None:
    """The department and unit codes the organisation tables list, and which of them the document is
    about: a unit that publishes its own document is filed under its own code, with its department."""
    meta = doc.metadata
    listed: dict[str, str] = {}
    for table_id in ("B02", "B05U"):
        table = doc.table(table_id)
        if table is None:
            continue
        for row in table.rows:
            if not organisation_row(row.code, row.label):
                continue  # a table listing income by function class (Shanghai's 收入预算总表): 201 is 一般公共服务
            if row.label:
                listed.setdefault(row.code, compact(row.label))
            if len(row.code) == 3 and not doc.metadata.department_code:
                doc.metadata.department_code = row.code
            elif len(row.code) == 6 and row.code not in doc.metadata.unit_codes:
                doc.metadata.unit_codes.append(row.code)
                doc.metadata.unit_names.append(row.label)
    if not doc.metadata.department_code and doc.metadata.unit_codes:
        doc.metadata.department_code = doc.metadata.unit_codes[0][:3]
    own = own_row([meta.organisation, meta.department], list(listed.items()), meta.department_code)
    if own is not None:
        meta.organisation_code, meta.parent_code, meta.parent_name = (
            own.code,
            own.parent_code,
            own.parent_name,
        )
    if not doc.metadata.region:
        for name in doc.metadata.unit_names:
            m = re.match(r"^(.{1,6}?[省市])", name)
            if m:
                doc.metadata.region = m.group(1)
                break


def _missing_tables(doc: Document, template: TemplateSpec) -> None:
    present = {table.id for table in doc.tables} | {p.id.split("-")[0] for p in doc.performance}
    for table_id in dict.fromkeys([*template.required, *doc.metadata.declared_tables]):
        if table_id not in present:
            doc.warnings.append(
                Warning_(
                    "missing-table",
                    t(
                        f"{table_id} {table_name(table_id)} 未找到（{template.name}要求公开此表）",
                        f"{table_id} {table_name(table_id)} not found ({template.name} requires it)",
                    ),
                )
            )


__all__ = ["parse_bundle", "parse_file", "parse_source", "parse_text"]
