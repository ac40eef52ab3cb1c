"""A reading that checks itself before the audit sees it.

A table misread (values under the wrong columns, codes joined wrongly, a header one level too deep)
does not fail one identity: it fails most of them, in a pattern. Before the audit, every table's reading
is held against the relations the table states of itself:

- along each row, a 合计/小计 column is the sum of its group (the header tree says which);
- down the codes, a 类 is the sum of its 款 and a 款 of its 项, and the 合计 row is the sum of the 类;
- in a two-sided table, 收入总计 equals 支出总计;
- a printed code carries the name the classification gives it.

A real document breaks a few of these; a misreading breaks most. When the reading is implausible, the
other plausible readings (`ALTERNATIVES`: the amounts one column to the left or right) are tried and the
one under which most relations hold is kept. When none is plausible the table is marked ``unreliable``:
the audit reports it once (COMP-PARSE-001, for review) and does not run arithmetic on it.

The thresholds are named settings (`SelfCheckSettings`), as the layout heuristics are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from cnbudget.domain.codes import economic_codes, function_codes
from cnbudget.domain.i18n import t
from cnbudget.domain.text import key, plain_label, similarity
from cnbudget.model import Cell, Row, Table
from cnbudget.model.headers import column_identities, table_paths
from cnbudget.model.tables import code_children


@dataclass(frozen=True, slots=True)
class SelfCheckSettings:
    """When a reading is judged implausible."""

    min_relations: int = 6
    """Fewer relations than this say too little to judge a reading by them."""
    min_held_share: float = 0.5
    """A reading under which fewer than this share of the relations hold is implausible."""
    min_held_share_unplaced: float = 0.95
    """The same for a table read without the places of its cells (page text, space-separated text): its
    amounts were put in columns by their order alone, so the reading stands only if nearly all relations
    hold."""
    min_names: int = 5
    """Fewer coded rows with a known code than this say too little to judge the codes by their names."""
    min_names_share: float = 0.5
    """A reading in which fewer than this share of known codes carry their name is implausible."""
    name_similarity: float = 0.5
    """A printed name at least this similar to the classification's name is the same name (names drift)."""


SELF_CHECK = SelfCheckSettings()


@dataclass(slots=True)
class Reading:
    """How far a table's reading agrees with the relations the table states of itself."""

    relations: int = 0
    held: int = 0
    broken: list[str] = field(default_factory=list)
    """The first broken relations, described for the reviewer."""
    names: int = 0
    """Coded rows whose code the classification knows."""
    named_right: int = 0

    @property
    def share_held(self) -> float:
        return self.held / self.relations if self.relations else 1.0

    unplaced: bool = False
    """Read without the places of its cells (see `SelfCheckSettings.min_held_share_unplaced`)."""

    def plausible(self, settings: SelfCheckSettings = SELF_CHECK) -> bool:
        if self.unplaced:
            # amounts put in columns by their order alone: the few relations there are must hold too
            by_relations = self.share_held >= settings.min_held_share_unplaced
        else:
            by_relations = (
                self.relations < settings.min_relations or self.share_held >= settings.min_held_share
            )
        by_names = (
            self.names < settings.min_names or self.named_right >= settings.min_names_share * self.names
        )
        return by_relations and by_names

    def why(self) -> str:
        """Why the reading is implausible, in the reviewer's words."""
        out = []
        if self.relations:
            broken = self.relations - self.held
            out.append(
                t(
                    f"表内 {self.relations} 个勾稽关系中 {broken} 个不成立",
                    f"{broken} of {self.relations} sums fail",
                )
            )
        if self.names and self.named_right < self.names:
            wrong = self.names - self.named_right
            out.append(
                t(
                    f"{self.names} 个科目编码中 {wrong} 个与科目名称不符",
                    f"{wrong} of {self.names} codes do not match their names",
                )
            )
        if self.broken:
            out.append(t("如 ", "e.g. ") + t("；", "; ").join(self.broken[:3]))
        return t("，", ", ").join(out)

    def score(self) -> tuple[float, float]:
        names = self.named_right / self.names if self.names else 1.0
        return (self.share_held + names, self.held)


def _unit(values: list[Cell]) -> Decimal:
    """One unit of the finest printed digit among the cells (0.01 for 万元 with two decimals, 1 for 元)."""
    exponents = [
        int(e) for c in values if c.value is not None and isinstance(e := c.value.as_tuple().exponent, int)
    ]
    return Decimal(1).scaleb(min([0, *exponents]))


def _holds(total: Cell | None, parts: list[Cell]) -> bool:
    if total is None or total.value is None:
        return False
    expected = sum((p.value for p in parts if p.value is not None), Decimal(0))
    unit = _unit([total, *parts])
    return abs(total.value - expected) <= unit * (len(parts) + 1)


def _relations(table: Table) -> Iterator[tuple[Cell | None, list[Cell], str]]:
    """(total, parts, what) for every relation the table states of itself; a blank total is None."""
    for identity in column_identities(table_paths(table)):
        for row in table.rows:
            if row.side not in (None, "支出"):
                continue
            total = row.cell(identity.total)
            parts = [c for p in identity.parts if (c := row.cell(p)) is not None and c.value is not None]
            if parts and (total is None or total.value is None):
                # a total left blank beside amounts: the amounts may sit one column off
                if any(p.value for p in parts):
                    yield None, parts, f"{row.full_code or row.label} {identity.total} 空白"
            elif total is not None and total.value is not None and parts:
                yield total, parts, f"{row.full_code or row.label} {identity.total}"
    first = table.first_value_column()
    if first is None:
        return
    coded = [r for r in table.coded_rows() if r.cell(first) is not None]
    for parent in coded:
        code = parent.full_code
        if len(code) not in (3, 5):
            continue
        children = code_children(coded, parent)
        total = parent.cell(first)
        if children and total is not None and total.value is not None:
            yield total, [c for r in children if (c := r.cell(first)) is not None], f"{code} 下级科目"
    grand = table.total_row()
    classes = [r.cell(first) for r in coded if len(r.full_code) == 3]
    if grand is not None and (total := grand.cell(first)) is not None and total.value is not None:
        present = [c for c in classes if c is not None]
        if present and len({r.full_code[0] for r in coded if len(r.full_code) == 3}) == 1:
            yield total, present, "合计 = 各类之和"
    income = _side_total(table, "收入", ("收入总计", "总计"))
    spending = _side_total(table, "支出", ("支出总计", "总计"))
    if income is not None and spending is not None:
        yield income, [spending], "收入总计 = 支出总计"
    if table.layout == "tokens":
        yield from _unplaced_relations(table, coded)


def _unplaced_relations(table: Table, coded: list[Row]) -> Iterator[tuple[Cell | None, list[Cell], str]]:
    """A table read without the places of its cells is held to more of its sums: the codes' in every column
    (not the first only), and each side's items against its 合计 (a row lost or joined shows there)."""
    from cnbudget.model.summary import read_side

    keys = [c.key for c in table.columns if c.role == "value" and c.current]
    for column in keys[1:]:
        rows = [r for r in coded if r.cell(column) is not None]
        for parent in rows:
            if len(parent.full_code) not in (3, 5):
                continue
            children = code_children(rows, parent)
            total = parent.cell(column)
            if children and total is not None and total.value is not None:
                yield (
                    total,
                    [c for r in children if (c := r.cell(column)) is not None],
                    f"{parent.full_code} {column}",
                )
    for side in ("收入", "支出"):
        if not any(r.side == side for r in table.rows):
            continue
        first = table.first_value_column(side)
        read = read_side(table, side)
        total_row = read.subtotal or read.grand
        if first is None or total_row is None:
            continue
        total = total_row.cell(first)
        parts = [c for r in read.parts if (c := r.cell(first)) is not None and c.value is not None]
        if total is not None and total.value is not None and parts:
            yield total, parts, f"{side}合计 = 各项之和"


def _side_total(table: Table, side: str, names: tuple[str, ...]) -> Cell | None:
    column = table.first_value_column(side)
    if column is None:
        return None
    for row in table.rows:
        if row.side == side and plain_label(row.label) in names:
            cell = row.cell(column)
            return cell if cell is not None and cell.value is not None else None
    return None


def _reference_name(code: str) -> str | None:
    names = economic_codes() if code.startswith("3") else function_codes()
    return names.get(code)


def assess(table: Table, settings: SelfCheckSettings = SELF_CHECK) -> Reading:
    reading = Reading(unplaced=table.layout == "tokens")
    for total, parts, what in _relations(table):
        reading.relations += 1
        if _holds(total, parts):
            reading.held += 1
        elif len(reading.broken) < 5:
            n = (total or parts[0]).line
            reading.broken.append(f"{what}" + t(f"（第 {n} 行）", f" (line {n})"))
    for row in table.coded_rows():
        name = _reference_name(row.full_code)
        if name is None or not row.label:
            continue
        reading.names += 1
        printed, known = key(row.label), key(name)
        if (
            printed == known
            or printed in known
            or known in printed
            or similarity(printed, known) >= settings.name_similarity
        ):
            reading.named_right += 1
    return reading


def _shifted(by: int) -> Callable[[Table], Table | None]:
    """The same table with every amount one column to the right (by=1) or left (by=-1) of where it was read."""

    def shift(table: Table) -> Table | None:
        keys = table.value_keys()
        if table.first_value_column("收入") is not None:
            return None  # two-sided tables are read by side; their columns are not a row of amounts
        index = {k: i for i, k in enumerate(keys)}
        rows: list[Row] = []
        for row in table.rows:
            cells: list[Cell] = []
            for cell in row.cells:
                i = index.get(cell.column)
                if i is None or not 0 <= i + by < len(keys):
                    return None
                cells.append(_moved(cell, keys[i + by]))
            rows.append(_with_cells(row, cells))
        return _with_rows(table, rows)

    return shift


def _moved(cell: Cell, column: str) -> Cell:
    return Cell(column, cell.raw, cell.value, cell.line, cell.page, cell.bbox, cell.ocr)


def _with_cells(row: Row, cells: list[Cell]) -> Row:
    return replace(row, cells=cells)


def _with_rows(table: Table, rows: list[Row]) -> Table:
    return replace(table, rows=rows, warnings=list(table.warnings))


ALTERNATIVES: dict[str, Callable[[Table], Table | None]] = {
    "金额列整体右移一列": _shifted(1),
    "金额列整体左移一列": _shifted(-1),
}
"""Other plausible readings of a table whose reading is implausible, by what they change."""
_CHANGES_EN = {
    "金额列整体右移一列": "amount columns shifted one to the right",
    "金额列整体左移一列": "amount columns shifted one to the left",
}


def check_reading(table: Table, settings: SelfCheckSettings = SELF_CHECK) -> Reading:
    """Check a parsed table against its own relations; adopt a better reading or mark it unreliable."""
    reading = assess(table, settings)
    if reading.plausible(settings) or table.status == "failed":
        return reading
    best: tuple[str, Table, Reading] | None = None
    for change, alternative in ALTERNATIVES.items():
        other = alternative(table)
        if other is None:
            continue
        other_reading = assess(other, settings)
        if other_reading.plausible(settings) and (best is None or other_reading.score() > best[2].score()):
            best = (change, other, other_reading)
    if best is not None:
        change, other, other_reading = best
        table.rows = other.rows
        table.warnings.append(
            t(
                f"按表内勾稽关系改读：{change}（原读法{reading.why()}；改读后 {other_reading.relations} 个关系中 "
                f"{other_reading.held} 个成立）",
                f"read again by the table's own sums: {_CHANGES_EN.get(change, change)} (first reading: {reading.why()}; now "
                f"{other_reading.held} of {other_reading.relations} sums hold)",
            )
        )
        return other_reading
    table.status = "unreliable"
    table.warnings.append(
        t(
            f"读取结果不可信：{reading.why()}；未做算术检查，请对照原表人工核对",
            f"reading not reliable: {reading.why()}; no arithmetic checked, compare with the printed table by hand",
        )
    )
    return reading
