"""Tables from space-separated conversions, where cell boundaries are lost.

Header labels arrive broken into fragments across lines, and long row labels wrap before their
amounts. The header is matched against the catalog's known column layouts (every label of the chosen
layout must be printed in the header text); each row's amounts are then read left to right. A row
whose count of amounts differs from the layout's is kept but flagged, never silently shifted.
"""

from __future__ import annotations

import re
from collections import Counter

from cnbudget.domain.catalog import TableSpec
from cnbudget.domain.i18n import t
from cnbudget.domain.numbers import amount_text, is_code, is_decimal_amount, parse_amount
from cnbudget.domain.text import compact, key
from cnbudget.domain.vocabulary import Side
from cnbudget.model import Cell, Column, Row, Table
from cnbudget.parse.tables.common import add_note, finish_row, is_caption, is_note
from cnbudget.read import Line

_ORDINAL_START = re.compile(r"^(?:[（(][一二三四五六七八九十廿]+[)）]|[一二三四五六七八九十廿]+[、.．])")
_EXPENDITURE_SIDE = ("支出", "年终结转结余", "年末结转和结余", "结余分配")
_SIDE: dict[str, Side] = {"收入": "收入", "支出": "支出"}


def _tokens(text: str) -> list[str]:
    return text.split()


def _has_amounts(line: Line) -> bool:
    return any(is_decimal_amount(tok) for tok in _tokens(line.text))


def parse_token_table(table: Table, spec: TableSpec, lines: list[Line], known_units: tuple[str, ...]) -> None:
    header_text: list[str] = []
    rows: list[tuple[list[Line], list[str]]] = []
    pending: list[Line] = []
    started = False
    for line in lines:
        if line.layout == "blank":
            continue
        text = line.stripped
        if is_note(text):
            add_note(table, line)
            continue
        if not started and not _has_amounts(line):
            if not is_caption(text) and not re.search(r"单位\s*[：:]\s*(?:万元|元)", text):
                header_text.append(text)
            continue
        started = True
        if _has_amounts(line):
            rows.append(
                ([*pending, line], [tok for ln in pending for tok in _tokens(ln.text)] + _tokens(line.text))
            )
            pending = []
        elif spec.two_sided:
            rows.append(([line], _tokens(line.text)))
        else:
            pending.append(line)
    if pending:
        n = pending[0].number
        table.warnings.append(
            t(
                f"第 {n} 行：最后一行金额之后的文字已忽略",
                f"line {n}: text after the last row of amounts ignored",
            )
        )

    printed = compact("".join(header_text))
    columns, warning = _choose_columns(spec, printed, rows)
    if warning:
        table.warnings.append(warning)
    table.columns = columns
    if not rows:
        table.is_empty = True
        return
    if not columns:
        table.status = "failed"
        table.warnings.append(
            t(
                f"第 {table.first_line} 行：表头无法识别；金额未归入各栏",
                f"line {table.first_line}: header not recognised; amounts not attributed to columns",
            )
        )
        return
    if spec.two_sided:
        for row_lines, toks in rows:
            _two_sided_row(table, columns, row_lines, toks)
    else:
        for row_lines, toks in rows:
            _plain_row(table, columns, row_lines, toks, known_units)


def _choose_columns(
    spec: TableSpec, printed: str, rows: list[tuple[list[Line], list[str]]]
) -> tuple[list[Column], str]:
    header_key = key(printed)
    counts = Counter(sum(1 for t in toks if amount_text(t) and not _is_row_code(t)) for _, toks in rows)
    expected = counts.most_common(1)[0][0] if counts else 0
    best: tuple[int, int, tuple[str, ...]] | None = None
    for variant in spec.variants:
        labels = {part for leaf in variant for part in leaf.split("/") if part not in ("收入", "支出")}
        if not all(key(label) in header_key for label in labels):
            continue
        width = 1 if spec.two_sided else len(variant)
        score = (1 if width == expected or spec.two_sided else 0, len(labels))
        if best is None or score > best[:2]:
            best = (score[0], score[1], variant)
    if best is None:
        return [], t(
            f"表头文字“{printed[:60]}”与 {spec.id} 的已知版式都不相符",
            f"header text '{printed[:60]}' matches no known layout of {spec.id}",
        )
    variant = best[2]
    columns = []
    for leaf in variant:
        parts = leaf.split("/")
        printed_parts = [_printed_form(p, printed) for p in parts]
        side = _SIDE.get(parts[0])
        columns.append(Column(path=printed_parts, role="value", index=None, side=side))
    warning = ""
    if not spec.two_sided and expected and expected != len(variant):
        warning = t(
            f"多数行有 {expected} 个金额，但表头有 {len(variant)} 栏",
            f"most rows print {expected} amounts but the header has {len(variant)} columns",
        )
    return columns, warning


def _printed_form(label: str, printed: str) -> str:
    """The label as printed (key() folds punctuation one character to one, so offsets agree)."""
    pos = key(printed).find(key(label))
    return printed[pos : pos + len(label)] if pos >= 0 and len(key(label)) == len(label) else label


def _is_row_code(tok: str) -> bool:
    return tok.isdigit() and len(tok) in (3, 5, 6, 7)


def _two_sided_row(table: Table, columns: list[Column], row_lines: list[Line], toks: list[str]) -> None:
    line = row_lines[-1]
    segments: list[tuple[list[str], list[str]]] = []
    for tok in toks:
        if amount_text(tok) is not None:
            if not segments:
                segments.append(([], []))
            segments[-1][1].append(tok)
            continue
        if not segments or segments[-1][1] or _ORDINAL_START.match(tok) and segments[-1][0]:
            segments.append(([], []))
        segments[-1][0].append(tok)
    if not segments:
        return
    sides: list[Side]
    if len(segments) >= 2:
        sides = ["收入", "支出"]
    else:
        label = compact("".join(segments[0][0]))
        right = line.indent >= 3 or any(word in label for word in _EXPENDITURE_SIDE)
        sides = ["支出" if right else "收入"]
    for (label_toks, amounts), side in zip(segments, sides, strict=False):
        col = next(c for c in columns if c.side == side)
        cells = [
            Cell(column=col.key, raw=a, value=parse_amount(a), line=line.number, page=line.page)
            for a in amounts[:1]
        ]
        if len(amounts) > 1:
            table.status = "partial"
            table.warnings.append(
                t(
                    f"第 {line.number} 行：一个{side}项目有 {len(amounts)} 个金额",
                    f"line {line.number}: {len(amounts)} amounts for one {side} item",
                )
            )
        table.rows.append(finish_row(Row(label=compact("".join(label_toks)), side=side, cells=cells,
                                         line=row_lines[0].number, last_line=line.number, page=row_lines[0].page)))  # fmt: skip


def _plain_row(
    table: Table, columns: list[Column], row_lines: list[Line], toks: list[str], known_units: tuple[str, ...]
) -> None:
    line = row_lines[-1]
    code = ""
    start = 0
    if len(toks) > 1 and is_code(toks[0]) and not is_decimal_amount(toks[0]):
        code, start = toks[0], 1
    label_toks: list[str] = []
    amounts: list[str] = []
    for tok in toks[start:]:
        if amount_text(tok) is not None:
            amounts.append(tok)
        elif not amounts:
            label_toks.append(tok)
    label = compact("".join(label_toks))
    texts: dict[str, str] = {}
    if table.id == "B10":
        for unit in sorted(known_units, key=len, reverse=True):
            if label.endswith(unit) and len(label) > len(unit):
                label, texts["项目单位"] = label[: -len(unit)], unit
                break
    cells = [
        Cell(column=col.key, raw=a, value=parse_amount(a), line=line.number, page=line.page)
        for col, a in zip(columns, amounts, strict=False)
    ]
    if len(amounts) != len(columns):
        table.status = "partial"
        table.warnings.append(
            t(
                f"第 {line.number} 行：{len(amounts)} 个金额对应 {len(columns)} 栏；已从左到右读取，请核对此行",
                f"line {line.number}: {len(amounts)} amounts for {len(columns)} columns; read left to right, check this row",
            )
        )
    table.rows.append(finish_row(Row(label=label, code=code, cells=cells, texts=texts,
                                     line=row_lines[0].number, last_line=line.number, page=row_lines[0].page)))  # fmt: skip
