"""Tables from space-separated conversions, where cell boundaries are lost.

Header labels arrive broken into fragments across lines, and long row labels wrap before their
amounts. The header is matched against the catalog's known column layouts (every label of the chosen
layout must be printed in the header text); each row's amounts are then read left to right. A row
whose count of amounts differs from the layout's is kept but flagged, never silently shifted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from decimal import Decimal

from cnbudget.domain.catalog import TableSpec
from cnbudget.domain.i18n import t
from cnbudget.domain.numbers import amount_text, is_code, is_decimal_amount, parse_amount
from cnbudget.domain.text import compact, is_digits, key
from cnbudget.domain.vocabulary import Side
from cnbudget.model import Cell, Column, Row, Table
from cnbudget.parse.tables.common import add_note, finish_row, is_caption, is_note
from cnbudget.parse.tables.header_words import header_columns, sides_text
from cnbudget.parse.tables.selfcheck import assess
from cnbudget.read import Line

_ORDINAL_START = re.compile(r"^(?:[（(][一二三四五六七八九十廿]+[)）]|[一二三四五六七八九十廿]+[、.．])")
_EXPENDITURE_SIDE = ("支出", "年终结转结余", "年末结转和结余", "结余分配")
_SIDE: dict[str, Side] = {"收入": "收入", "支出": "支出"}


def _tokens(text: str) -> list[str]:
    return text.split()


_GROUPED_INTEGER = re.compile(r"^-?\d{1,3}(?:,\d{3})+$")
"""An amount in 元 printed without decimals ("2,976,800"): the thousands separators say it is an amount."""


def _has_amounts(line: Line) -> bool:
    return any(is_decimal_amount(tok) or _GROUPED_INTEGER.match(tok) for tok in _tokens(line.text))


def _best_reading(
    table: Table, spec: TableSpec, candidates: list[tuple[list[Column], str]],
    rows: list[tuple[list[Line], list[str]]], known_units: tuple[str, ...],
) -> Table:  # fmt: skip
    """The table read under each candidate set of columns; kept, the reading whose own sums hold best."""
    best: tuple[tuple[bool, float, int], Table] | None = None
    for columns, warning in candidates:
        trial = replace(
            table, rows=[], warnings=[*table.warnings, *([warning] if warning else [])], status="ok"
        )
        trial.columns = columns
        for row_lines, toks in rows:
            if spec.two_sided:
                _two_sided_row(trial, columns, row_lines, toks)
            else:
                _plain_row(trial, columns, row_lines, toks, known_units)
        reading = assess(trial)
        score = (
            trial.status != "unreliable" and reading.plausible(),
            reading.share_held,
            -len(trial.warnings),
        )
        if best is None or score > best[0]:
            best = (score, trial)
    assert best is not None
    return best[1]


def _header_and_rows(
    table: Table, spec: TableSpec, lines: list[Line]
) -> tuple[list[str], list[tuple[list[Line], list[str]]]]:
    """The header's lines of text, and the body's rows: the lines of each with their tokens (a row's label
    may run over lines before its amounts); notes go to the table."""
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
        if not started and not _has_amounts(line) and not _starts_row(text):
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
    return header_text, rows


def parse_token_table(table: Table, spec: TableSpec, lines: list[Line], known_units: tuple[str, ...]) -> None:
    header_text, rows = _header_and_rows(table, spec, lines)
    printed = compact("".join(header_text))
    # the columns of a known layout of the table, and those the header's words name (`header_words`): the
    # reading under which more of the table's own sums hold is kept (the known layout when they tie)
    known = _choose_columns(spec, printed, rows)
    candidates = [known] if known[0] else []
    by_words = _columns_by_words(spec, "\n".join(header_text), rows)
    if by_words and (not candidates or [c.key for c in by_words[0]] != [c.key for c in known[0]]):
        candidates.append(by_words)
    if not rows:
        table.columns = candidates[0][0] if candidates else []
        table.is_empty = True
        return
    if not candidates:
        table.columns = []
        table.warnings.append(known[1])
        table.status = "failed"
        table.warnings.append(
            t(
                f"第 {table.first_line} 行：表头无法识别；金额未归入各栏",
                f"line {table.first_line}: header not recognised; amounts not attributed to columns",
            )
        )
        return
    chosen = _best_reading(table, spec, candidates, rows, known_units)
    table.columns, table.rows, table.warnings, table.status = (
        chosen.columns,
        chosen.rows,
        chosen.warnings,
        chosen.status,
    )


def _row_amounts(toks: list[str]) -> list[str]:
    """The amounts of a row's tokens: after its code and label (a code printed apart, "201 05 06", is no
    amount), or all of them when the row prints no label."""
    start = next((k for k, tok in enumerate(toks) if not amount_text(tok) and not is_digits(tok)), None)
    tail = toks[start:] if start is not None else toks
    return [tok for tok in tail if amount_text(tok) and not _is_row_code(tok)]


def _amount_counts(rows: list[tuple[list[Line], list[str]]]) -> Counter[int]:
    return Counter(len(_row_amounts(toks)) for _, toks in rows)


def _columns_by_words(
    spec: TableSpec, header: str, rows: list[tuple[list[Line], list[str]]]
) -> tuple[list[Column], str] | None:
    """The columns the header's words name (`header_words`): a one-sided table's when they are as many as
    most rows print amounts, or as the most any row prints; a two-sided table's per side, after each 项目."""
    if spec.two_sided:
        sides = sides_text(header)
        if sides is None:
            return None
        columns: list[Column] = []
        for side, text in zip(("收入", "支出"), sides, strict=True):
            found = header_columns(text, set(range(1, 12)))
            if not found:
                return None
            columns.extend(Column(path=[side, *path], role="value", index=None, side=side) for path in found)  # type: ignore[arg-type]
        return columns, ""
    counts = _amount_counts(rows)
    if not counts:
        return None
    # blank cells are not printed: the header may have more columns than a row has amounts, never fewer (a
    # count that only one row prints is a misread row, not the table's width)
    widest = max((n for n, times in counts.items() if times >= 2), default=max(counts))
    wanted = set(range(widest, widest + 12))
    found = header_columns(header, wanted)
    if not found:
        return None
    warning = ""
    if len(found) != counts.most_common(1)[0][0]:
        warning = t(
            f"多数行有 {counts.most_common(1)[0][0]} 个金额，但表头有 {len(found)} 栏：空白栏未印出，金额已从左到右读取",
            f"most rows print {counts.most_common(1)[0][0]} amounts but the header has {len(found)} columns: blank "
            "cells were not printed, amounts read left to right",
        )
    return [Column(path=path, role="value", index=None) for path in found], warning


def _choose_columns(
    spec: TableSpec, printed: str, rows: list[tuple[list[Line], list[str]]]
) -> tuple[list[Column], str]:
    header_key = key(printed)
    counts = _amount_counts(rows)
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


_ROW_START = re.compile(r"^\d{3}(?:\d{2}){0,2}\s+\S*[\u4e00-\u9fff]")
"""A row's code and the start of its name ("208 社会保障和就"): the rows have begun, though the amounts wrap
to a later line."""


def _starts_row(text: str) -> bool:
    return bool(_ROW_START.match(text))


def _total_word(column: Column) -> bool:
    return any(word in column.path[-1] for word in ("合计", "总计")) or column.path[-1] in ("小计", "金额")


def _is_row_code(tok: str) -> bool:
    return is_digits(tok) and len(tok) in (3, 5, 6, 7)


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
        own = [c for c in columns if c.side == side]
        cells = [
            Cell(column=col.key, raw=a, value=parse_amount(a), line=line.number, page=line.page)
            for col, a in zip(own, amounts, strict=False)
        ]
        if len(amounts) > len(own):
            table.status = "unreliable"
            table.warnings.append(
                t(
                    f"第 {line.number} 行：一个{side}项目有 {len(amounts)} 个金额",
                    f"line {line.number}: {len(amounts)} amounts for one {side} item",
                )
            )
        table.rows.append(finish_row(Row(label=compact("".join(label_toks)), side=side, cells=cells,
                                         line=row_lines[0].number, last_line=line.number, page=row_lines[0].page)))  # fmt: skip


def _leading_code(toks: list[str]) -> tuple[str, int]:
    """The classification code a row starts with, and how many tokens it takes ("" and 0 when none)."""
    if not (len(toks) > 1 and is_code(toks[0]) and not is_decimal_amount(toks[0])):
        return "", 0
    code, start = toks[0], 1
    # 类 款 项 printed apart ("201 05 06 统计管理"): the 款 and 项 follow as two digits each
    while (
        len(code) in (3, 5)
        and start + 1 < len(toks)
        and re.fullmatch(r"\d{2}", toks[start])
        and not amount_text(toks[start + 1])
    ):
        code, start = code + toks[start], start + 1
    return code, start


def _plain_row(
    table: Table, columns: list[Column], row_lines: list[Line], toks: list[str], known_units: tuple[str, ...]
) -> None:
    line = row_lines[-1]
    code, start = _leading_code(toks)
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
    placed = list(zip(columns, amounts, strict=False))
    if 1 < len(amounts) < len(columns) and _total_word(columns[0]):
        # blank cells are not printed: which columns the amounts after the total stand in is not known. The
        # total is certain when the others add up to it; the others are kept as printed, in no column.
        values = [v for a in amounts if (v := parse_amount(a)) is not None]
        if len(values) == len(amounts) and abs(values[0] - sum(values[1:])) <= Decimal("0.01") * len(values):
            placed = placed[:1]
            texts["未定栏金额"] = " ".join(amounts[1:])
            table.warnings.append(
                t(
                    f"第 {line.number} 行：{len(amounts)} 个金额对应 {len(columns)} 栏（空白栏未印出）：只读取合计，"
                    f"其余 {len(amounts) - 1} 个金额所在栏无法确定",
                    f"line {line.number}: {len(amounts)} amounts for {len(columns)} columns (blank cells not printed): "
                    f"only the total read; the columns of the other {len(amounts) - 1} are unknown",
                )
            )
    cells = [
        Cell(column=col.key, raw=a, value=parse_amount(a), line=line.number, page=line.page)
        for col, a in placed
    ]
    if len(amounts) > len(columns):
        # more amounts than columns: rows joined, or a second group of columns beside the first (F06 prints
        # 经济分类 | 决算数 twice across the page): the order of the amounts says nothing about their columns
        table.status = "unreliable"
    if len(amounts) != len(columns) and "未定栏金额" not in texts:
        if table.status == "ok":
            table.status = "partial"
        table.warnings.append(
            t(
                f"第 {line.number} 行：{len(amounts)} 个金额对应 {len(columns)} 栏；已从左到右读取，请核对此行",
                f"line {line.number}: {len(amounts)} amounts for {len(columns)} columns; read left to right, check this row",
            )
        )
    table.rows.append(finish_row(Row(label=label, code=code, cells=cells, texts=texts,
                                     line=row_lines[0].number, last_line=line.number, page=row_lines[0].page)))  # fmt: skip
