"""Tables whose conversion keeps cell boundaries (tab-separated or pipe tables).

Amount cells are taken by position under the header tree. The leading cells of each group (before
its first amount column) give the code and the label, whatever header they sit under: final-account
tables print 类/款/项 and 科目名称 in columns that do not line up with their header.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from cnbudget.domain.catalog import TableSpec
from cnbudget.domain.i18n import t
from cnbudget.domain.numbers import amount_text, is_code, is_decimal_amount, join_code, parse_amount
from cnbudget.domain.text import compact, is_digits, key
from cnbudget.model import Cell, Column, Row, Table
from cnbudget.parse.tables.common import add_note, finish_row, is_caption, is_note
from cnbudget.parse.tables.header import assign_sides, build_columns, prefix_side, rename_duplicates
from cnbudget.read import Line
from cnbudget.read.source import Box

_BODY_START_LABELS = ("合计", "总计")


def _is_body_row(cells: list[str]) -> bool:
    """The first row with an amount, a 合计 label, or a code followed by a name starts the body."""
    if any(is_decimal_amount(c) for c in cells):
        return True
    texts = [compact(c) for c in cells if compact(c)]
    if not texts:
        return False
    if texts[0] in _BODY_START_LABELS:
        # "合计 基本支出 项目支出" is a header row; a bare 合计 row (or 合计 with 栏次 numbers) is an empty body
        return all(is_digits(text) or amount_text(text) is not None for text in texts[1:])
    return is_code(texts[0]) and any(not is_code(text) and amount_text(text) is None for text in texts[1:])


def _trim(cells: list[str]) -> list[str]:
    out = list(cells)
    while out and not out[-1].strip():
        out.pop()
    return out


def parse_cell_table(table: Table, spec: TableSpec, lines: list[Line]) -> None:
    header_rows, body = _header_and_body(table, lines)
    columns = build_columns(header_rows)
    _roles_from_cells(columns, body)
    _project_units(columns)
    if spec.two_sided:
        prefix_side(columns)
    table.warnings.extend(rename_duplicates(columns, spec.variants))
    table.columns = columns
    if not body:
        table.is_empty = True
        return
    if not any(c.role == "value" for c in columns):
        table.status = "failed"
        n = table.first_line
        table.warnings.append(
            t(f"第 {n} 行：表头中没有识别出金额栏", f"line {n}: no amount columns recognised in the header")
        )
        return
    if spec.shape not in ("two_sided", "grouped"):
        columns = _repair_narrow_header(table, spec, columns, body)
        table.columns = columns
    body = _join_rows_split_by_pages(body, columns, table)
    groups = assign_sides(columns) if spec.shape in ("two_sided", "grouped") else [columns]
    reading = _BodyReading(
        groups=groups,
        width=len(columns),
        keys={id(col): col.key for col in columns},  # Column.key joins the path; compute it once per column
        value_positions=[c.index for c in columns if c.role == "value" and c.index is not None],
        splits=[_split_code_columns(group) for group in groups],
        had_ordinals=any(compact(c) in ("栏次", "行次") for r in header_rows for c in r),
    )
    for line in body:
        _read_body_line(table, line, reading)


def _header_and_body(table: Table, lines: list[Line]) -> tuple[list[list[str]], list[Line]]:
    """The header's rows and the body's lines; captions and notes set aside (the notes on the table), a
    header printed again after a page break dropped."""
    header_rows: list[list[str]] = []
    printed_header: set[tuple[str, ...]] = set()
    body: list[Line] = []
    for line in lines:
        if line.cells is None and header_rows and compact(line.text) in _BODY_START_LABELS:
            # a 合计 row whose amounts are all blank: a workbook or Word table keeps only its label, which
            # the reader gives as a line of text; it is the same row as "合计<TAB><TAB>…" in a text export
            line = replace(line, cells=[line.text.strip()], layout="tab")
        if line.cells is None:
            if line.layout == "text":
                if is_note(line.text):
                    add_note(table, line)
                elif not body and not header_rows and is_caption(line.text):
                    continue
                elif body or header_rows:
                    add_note(table, line)
            continue
        if not any(c.strip() for c in line.cells):
            continue
        if not body and not _is_body_row(line.cells):
            header_rows.append(line.cells)
            printed_header.add(tuple(compact(c) for c in _trim(line.cells)))
            continue
        if tuple(compact(c) for c in _trim(line.cells)) in printed_header:
            continue  # header repeated after a page break (every row of it)
        body.append(line)
    return header_rows, body


@dataclass(slots=True)
class _BodyReading:
    """What reading a table's body lines needs of its header, worked out once."""

    groups: list[list[Column]]
    width: int
    keys: dict[int, str]
    value_positions: list[int]
    splits: list[list[int]]
    had_ordinals: bool
    contexts: list[list[str]] = field(default_factory=list)
    """The codes carried down split code columns, per group."""

    def __post_init__(self) -> None:
        self.contexts = [[""] * len(split) for split in self.splits]


def _read_body_line(table: Table, line: Line, reading: _BodyReading) -> None:
    """One body line as the rows of its groups (one, or the two sides of a two-sided table)."""
    groups, width = reading.groups, reading.width
    cells = line.cells or []
    if len(groups) == 1 and len(_trim(cells)) < width:
        line = _right_aligned(line, reading.value_positions, width)
        cells = line.cells or []
    extra = [c for c in cells[width:] if c.strip()]
    if extra and len(groups) > 1:
        _read_by_segments(table, groups, line)
        return
    if extra:
        table.status = "partial"
        table.warnings.append(
            t(
                f"第 {line.number} 行：超出表头 {width} 栏的 {len(extra)} 个单元格已忽略",
                f"line {line.number}: {len(extra)} cell(s) beyond the header's {width} columns ignored",
            )
        )
    line_rows: list[Row] = []
    for number, (group, split, context) in enumerate(
        zip(groups, reading.splits, reading.contexts, strict=True)
    ):
        if split:
            cells = _fill_split_code(cells, split, context)
        row = _read_group(group, cells, line, reading.keys)
        if row is None:
            continue
        row.group = number
        if reading.had_ordinals and _ordinal_leak(row):
            table.warnings.append(
                t(
                    f"第 {line.number} 行：合计行中印出的栏次编号已忽略",
                    f"line {line.number}: 栏次 (column numbers) printed in a totals row were ignored",
                )
            )
            row.cells = []
        previous = line_rows[-1] if line_rows else None
        if previous is not None and not row.label and not row.code and previous.label and not previous.cells:
            previous.cells = row.cells  # a label spanning two groups (F06 公用经费合计)
            continue
        line_rows.append(row)
    table.rows.extend(finish_row(row) for row in line_rows)


_UNIT_HEADER = re.compile(r"^(?:预算|项目)?(?:单位|部门)(?:\(单位\))?(?:名称)?$")


_FRAGMENT_DIGITS = re.compile(r"^\d{1,3}$")


def _join_rows_split_by_pages(body: list[Line], columns: list[Column], table: Table) -> list[Line]:
    """A row the page break cut in two: the last row of a page ("杭州市机动 | 14,549.64 | … | 12,437.3") and the
    first of the next holding only the rest of its cells ("车驾驶员考试服务中心 | … | 6"). The second adds a few
    digits to amounts of the first and words to its label, and prints nothing where the first has no text: the
    two are one row."""
    values = {c.index for c in columns if c.role == "value" and c.index is not None}
    out: list[Line] = []
    for line in body:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.page is not None
            and line.page is not None
            and line.page == previous.page + 1
            and previous.cells is not None
            and line.cells is not None
        ):
            joined = _continued(previous.cells, line.cells, values)
            if joined is not None:
                out[-1] = replace(previous, cells=joined, own_text=None)
                table.warnings.append(
                    t(
                        f"第 {previous.number} 行：被分页截断的一行与第 {line.number} 行接续合并",
                        f"line {previous.number}: a row cut by the page break joined with line {line.number}",
                    )
                )
                continue
        out.append(line)
    return out


def _continued(first: list[str], rest: list[str], values: set[int]) -> list[str] | None:
    filled = [i for i, c in enumerate(rest) if c.strip()]
    if not filled or any(i >= len(first) or not first[i].strip() for i in filled):
        return None  # the second row prints where the first has nothing: a row of its own
    amounts = [i for i in filled if i in values]
    if not amounts or any(not _FRAGMENT_DIGITS.match(rest[i].strip()) for i in amounts):
        return None  # the rest of an amount is a few digits
    if len(filled) > len(amounts) + 1:
        return None
    joined = list(first)
    for i in filled:
        joined[i] = first[i].strip() + rest[i].strip()
        if i in values and amount_text(joined[i]) is None:
            return None
    return joined


def _project_units(columns: list[Column]) -> None:
    """单位名称 | 项目名称: the first names the project's unit, the second is the row's label (杭州's 项目支出表)."""
    labels = [c for c in columns if c.role == "label"]
    if len(labels) < 2 or not any(key(c.path[-1]) == "项目名称" for c in labels if c.path):
        return
    for col in labels:
        if col.path and _UNIT_HEADER.match(key(col.path[-1])):
            col.role = "text"
            col.path = ["项目单位"]


_SPLIT_LEVELS = ("类", "款", "项")
_PIECE = re.compile(r"^\d{1,2}$")


def _split_code_columns(group: list[Column]) -> list[int]:
    """The positions of a code printed over 类 | 款 | 项 columns at the head of a group, or []."""
    split: list[int] = []
    for col in group:
        if col.role != "code" or col.index is None:
            break
        if col.path and key(col.path[-1]) in _SPLIT_LEVELS:
            split.append(col.index)
    return split if len(split) >= 2 else []


def _fill_split_code(cells: list[str], split: list[int], context: list[str]) -> list[str]:
    """A 款 row printing only its 款 ("| 06 |") and a 项 row only its 项 ("| | 01") take the levels above
    from the rows before them (烟台: 201 | | ; | 06 | ; | | 01 → 2010601); the context follows each row."""
    pieces = [cells[i].strip() if i < len(cells) else "" for i in split]
    filled = [j for j, piece in enumerate(pieces) if piece]
    if not filled:
        return cells
    first = filled[0]
    if first > 0 and all(_PIECE.match(pieces[j]) for j in filled) and all(context[:first]):
        pieces[:first] = context[:first]
        out = list(cells) + [""] * max(0, max(split) + 1 - len(cells))
        for j, index in enumerate(split):
            out[index] = pieces[j]
        cells = out
    last = max(j for j, piece in enumerate(pieces) if piece)
    if pieces[0]:
        context[:] = pieces[: last + 1] + [""] * (len(split) - last - 1)
    return cells


def _roles_from_cells(columns: list[Column], body: list[Line]) -> None:
    """A column the header does not say is a code or a name ("预算单位", "支出项目类别") but whose cells are
    words, not amounts, holds the rows' labels (before the first amount column) or their texts."""
    tally: dict[int, list[int]] = {
        c.index: [0, 0] for c in columns if c.role == "value" and c.index is not None
    }
    if not tally:
        return
    for line in body:
        cells = line.cells or []
        for index, counts in tally.items():
            text = cells[index].strip() if index < len(cells) else ""
            if text:
                counts[0 if amount_text(text) is not None or is_code(text) else 1] += 1
    worded = {
        i
        for i, (amounts, words) in tally.items()
        if (words and not amounts) or (words >= 2 and words > 3 * amounts)
    }
    if not worded:
        return
    first_amount = min((i for i in tally if i not in worded), default=None)
    amounts = {i for i in tally if i not in worded}
    for col in columns:
        if col.index in worded:
            # the rows' labels: before the first amount, or heading the amounts of a group printed beside
            # another (西安's 收支总表: 支出功能分类科目 | 预算数 | 部门预算支出经济分类科目 | 预算数 …)
            heads_a_group = col.index - 1 in amounts and col.index + 1 in amounts
            col.role = (
                "label" if first_amount is None or col.index < first_amount or heads_a_group else "text"
            )


def _repair_narrow_header(
    table: Table, spec: TableSpec, columns: list[Column], body: list[Line]
) -> list[Column]:
    """Rows wider than the header: a header cell was lost. Name the columns from the catalog."""
    widths = Counter(len(_trim(line.cells or [])) for line in body)
    modal = widths.most_common(1)[0][0]
    first_value = next((c.index for c in columns if c.role == "value"), None)
    if first_value is None or modal <= len(columns):
        return columns
    wanted = modal - first_value
    variant = next((v for v in spec.variants if len(v) == wanted), None)
    if variant is None:
        return columns
    table.status = "partial"
    printed = sum(1 for c in columns if c.role == "value")
    table.warnings.append(
        t(
            f"第 {table.title_line} 行：表头有 {printed} 个金额栏，但各行有 {wanted} 个金额；已按 {spec.id} 的标准版式命名各栏，请核对表头",
            f"line {table.title_line}: the header names {printed} amount columns but rows carry {wanted}; "
            f"columns named from the catalog layout of {spec.id}, check the header",
        )
    )
    return columns[:first_value] + [
        Column(path=leaf.split("/"), role="value", index=first_value + i) for i, leaf in enumerate(variant)
    ]


def _right_aligned(line: Line, value_positions: list[int], width: int) -> Line:
    """A row printed with fewer cells than the header (a 合计 label merged across the code and name
    columns, alone on a continuation page): its amounts are the last amount columns, its text the label.

    Only when the amounts would otherwise fall under code or name columns, every amount sits after the
    row's text, and they fit the amount columns."""
    cells = _trim(line.cells or [])
    amounts = [
        i for i, c in enumerate(cells) if amount_text(c.strip()) is not None and not is_code(c.strip())
    ]
    if not amounts or amounts != list(range(amounts[0], len(cells))) or len(amounts) > len(value_positions):
        return line
    first_value = value_positions[0] if value_positions else width
    if amounts[0] >= first_value:
        return line  # the amounts already stand under amount columns
    out = [""] * width
    boxes: list[Box | None] = [None] * width
    texts = [i for i in range(amounts[0]) if cells[i].strip()]
    for k, i in enumerate(texts[: max(first_value, 1)]):
        out[k] = cells[i]
        boxes[k] = line.boxes[i] if line.boxes and i < len(line.boxes) else None
    targets = value_positions[len(value_positions) - len(amounts) :]
    for i, target in zip(amounts, targets, strict=True):
        out[target] = cells[i]
        boxes[target] = line.boxes[i] if line.boxes and i < len(line.boxes) else None
    return replace(line, own_text=line.text, cells=out, boxes=boxes if line.boxes else None)


def _ordinal_leak(row: Row) -> bool:
    """F08 prints "合计 3": the column number slipped into the totals row of an empty table."""
    return bool(row.cells) and all(is_digits(c.raw) and len(c.raw) <= 2 for c in row.cells)


def _read_group(group: list[Column], cells: list[str], line: Line, keys: dict[int, str]) -> Row | None:
    first_value = next((c.index for c in group if c.role == "value"), None)
    codes: list[str] = []
    texts: list[str] = []
    extra_texts: dict[str, str] = {}
    values: list[Cell] = []
    # a second classification after the label (山东: 部门经济分类 301 工资福利支出 | 政府经济分类 501 机关工资福利支出)
    cross: list[str] = []
    cross_label = ""
    for col in group:
        if col.index is None or col.index >= len(cells):
            continue
        raw = cells[col.index].strip()
        if not raw:
            continue
        if col.role == "value":
            box = line.boxes[col.index] if line.boxes and col.index < len(line.boxes) else None
            values.append(
                Cell(
                    column=keys[id(col)],
                    raw=raw,
                    value=parse_amount(raw),
                    line=line.number,
                    page=line.page,
                    bbox=box,
                    ocr=line.ocr,
                )
            )
        elif col.role == "ordinal":
            continue
        elif col.role == "text" and (first_value is None or col.index < first_value):
            extra_texts[keys[id(col)]] = compact(raw)
        elif col.role == "code" and raw.replace(" ", "").isalnum() and is_digits(raw[:1]):
            if not texts:
                codes.append(raw)
            else:
                cross.append(raw)
        elif not texts and is_code(raw):
            codes.append(raw)
        elif cross and col.role == "label" and not cross_label:
            cross_label = keys[id(col)]
            extra_texts[cross_label] = f"{join_code(cross)} {compact(raw)}"
        else:
            texts.append(compact(raw))
    if not codes and not texts and not values:
        return None
    if cross and not cross_label:
        extra_texts["分类编码"] = join_code(cross)
    side = group[0].side
    label = texts[0] if texts else ""
    for extra in texts[1:]:
        extra_texts.setdefault("text", extra)
    return Row(label=label, code=join_code(codes), side=side, cells=values, texts=extra_texts,
               line=line.number, last_line=line.number, page=line.page)  # fmt: skip


def _read_by_segments(table: Table, groups: list[list[Column]], line: Line) -> None:
    """A row with more cells than the header: cut it where each new label starts, one group each."""
    cells = line.cells or []
    segments: list[list[str]] = []
    for raw in cells:
        text = raw.strip()
        starts = bool(text) and amount_text(text) is None and not is_code(text)
        if starts and (not segments or any(amount_text(c.strip()) for c in segments[-1])):
            segments.append([])
        if not segments:
            segments.append([])
        segments[-1].append(text)
    for group, segment in zip(groups, segments, strict=False):
        label_texts = [compact(c) for c in segment if c and amount_text(c) is None and not is_code(c)]
        codes = [c for c in segment if c and is_code(c)]
        amounts = [c for c in segment if c and amount_text(c) is not None and not is_code(c)]
        value_cols = [c for c in group if c.role == "value"]
        cells_out = [
            Cell(column=col.key, raw=raw, value=parse_amount(raw), line=line.number, page=line.page)
            for col, raw in zip(value_cols, amounts, strict=False)
        ]
        if len(amounts) > len(value_cols):
            table.status = "partial"
            table.warnings.append(
                t(
                    f"第 {line.number} 行：一组中的金额多于栏数；多出的已忽略",
                    f"line {line.number}: more amounts than columns in a group; extra ignored",
                )
            )
        row = Row(label=label_texts[0] if label_texts else "", code=join_code(codes), side=group[0].side, group=group[0].group,
                  cells=cells_out, line=line.number, last_line=line.number, page=line.page)  # fmt: skip
        table.rows.append(finish_row(row))
    table.warnings.append(
        t(
            f"第 {line.number} 行：单元格与表头不对齐；已逐组读取",
            f"line {line.number}: cells out of line with the header; read group by group",
        )
    )


def header_key(columns: list[Column]) -> str:
    return "|".join(key(c.key) for c in columns)
