"""Build a `Table` for one region of the document, whichever layout the conversion used."""

from __future__ import annotations

from cnbudget.domain.catalog import spec_for
from cnbudget.domain.i18n import t
from cnbudget.domain.vocabulary import ProjectLevel
from cnbudget.model import Project, Table
from cnbudget.parse.segment import Region
from cnbudget.parse.tables.cells import parse_cell_table
from cnbudget.parse.tables.common import caption_unit
from cnbudget.parse.tables.tokens import parse_token_table
from cnbudget.read import Line


def parse_financial(
    region: Region, lines: list[Line], default_unit: str, known_units: tuple[str, ...]
) -> Table:
    spec = spec_for(region.table_id)
    body = region.body(lines)
    table = Table(
        id=region.table_id,
        title=region.title,
        title_line=region.title_line,
        first_line=body[0].number,
        last_line=_last_nonblank(body),
        amount_unit=caption_unit(body[:12]) or default_unit,
        page=body[0].page,
    )
    content = [ln for ln in body if ln.layout not in ("blank", "rule")]
    celled = sum(1 for ln in content if ln.cells is not None)
    after_title = [ln for ln in body if ln.number > region.title_line]
    if celled >= 2 or celled and celled >= len(content) // 3:
        table.layout = "cells"
        parse_cell_table(table, spec, after_title)
    else:
        table.layout = "tokens"
        parse_token_table(table, spec, after_title, known_units)
    if table.is_empty and not table.notes:
        n = table.title_line
        table.warnings.append(
            t(
                f"第 {n} 行：表中没有数据行，也没有说明原因的表注",
                f"line {n}: table has no rows and no note explaining why",
            )
        )
    return table


def _last_nonblank(body: list[Line]) -> int:
    for line in reversed(body):
        if line.layout != "blank":
            return line.number
    return body[-1].number


def projects_from(table: Table, units: tuple[str, ...] = ()) -> list[Project]:
    """B10 rows as projects; rows without a project unit are units, categories or 一级项目."""
    projects = []
    value_columns = [c.key for c in table.columns if c.role == "value"]
    total_key = value_columns[0] if value_columns else ""
    for index, row in enumerate(table.rows):
        if index == 0 and not row.label and not row.code:
            row.kind = "total"  # the unlabelled first row of amounts is the table's total
        if row.kind == "total" or not row.label:
            continue
        unit = row.texts.get("项目单位", "")
        level: ProjectLevel
        if unit:
            level = "project"
        elif row.label in units:
            level = "unit"
        elif row.code and len(row.code) >= 15:
            level = "first_level"
        elif row.code and len(row.code) in (3, 6):
            level = "unit"
        else:
            level = "category" if not row.code else "first_level"
        if level != "project":
            row.kind = "group"
        amounts = {c.column: c.value for c in row.cells if c.value is not None}
        projects.append(
            Project(
                name=row.label,
                code=row.code,
                unit=unit,
                level=level,
                total=amounts.get(total_key),
                amounts=amounts,
                line=row.line,
            )  # fmt: skip
        )
    return projects
