"""Positioned text and ruling lines → rows of cells: shared by the PDF reader and OCR.

Disclosure tables are drawn as ruled grids, so cells are rebuilt from the rules: a cell is the box of
rules around a character, every character inside is that cell's text — a label wrapped over two lines
stays one cell, an empty cell stays an empty string. Characters outside any grid are grouped into text
lines by their baseline, and gaps become spaces so that text aligned without rules keeps its columns.
Coordinates are PDF points from the page's top-left corner.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from cnbudget.read.source import Box


@dataclass(frozen=True, slots=True)
class LayoutSettings:
    """The heuristics of turning positioned characters and ruling lines into rows of cells, named.

    Lengths are PDF points; factors multiply a character's height (its em). The defaults read the
    disclosures seen so far (ruled grids from Excel or WPS, text at 9–12 pt); change one here, not in code.
    """

    snap: float = 1.5
    """Rules closer than this are one rule, and a character this close to a rule's end is still inside it."""
    rule_max_thickness: float = 3.0
    """A path thinner than this in one direction is a ruling line, not a filled shape."""
    max_box_share: float = 0.5
    """A stroked rectangle covering more than this share of the page is a frame, not a cell's box."""
    invisible_from: int = 240
    """Paint whose every colour channel (0–255) is at least this is white on white paper: no rule."""
    same_line: float = 0.5
    """Characters whose centres differ by less than this many heights are on one line."""
    open_row_height: float = 6.0
    """A row of a grid without its outer rule is read as a row when it is at most this many heights high."""
    column_gap: float = 0.6
    """A gap wider than this many heights between characters of a line separates words or columns."""
    space_width: float = 0.5
    """A separating gap becomes one space per this many heights, so text aligned by spaces keeps columns."""
    max_spaces: int = 400
    """At most this many spaces for one gap: a damaged file's coordinates (1e30 points) must not become
    gigabytes of padding; no real page is wider than 400 half-ems."""
    neighbour_reach: float = 1.5
    """Characters further apart than this many heights are not neighbours in one word (turn detection)."""
    turn_ratio: float = 3.0
    """A page is turned when vertical steps between neighbours outnumber horizontal ones this many times."""


LAYOUT = LayoutSettings()


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Rule:
    """A horizontal rule at `at` (y) from `lo` to `hi` (x), or a vertical one at x from y `lo` to `hi`."""

    at: float
    lo: float
    hi: float


def _snap(values: list[float], snap: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > snap:
            out.append(v)
    return out


def text_of(chars: list[Char], settings: LayoutSettings = LAYOUT) -> str:
    """Characters of one cell or line in reading order; sub-lines joined without a space (CJK wraps)."""
    if not chars:
        return ""
    rows: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if rows and abs(ch.cy - rows[-1][0].cy) < settings.same_line * max(
            ch.height, rows[-1][0].height, 1.0
        ):
            rows[-1].append(ch)
        else:
            rows.append([ch])
    parts: list[str] = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        out = [row[0].text]
        for prev, ch in zip(row, row[1:], strict=False):
            gap = ch.x0 - prev.x1
            size = max(ch.height, prev.height, 1.0)
            if gap > settings.column_gap * size:
                # text aligned with spaces keeps its columns: one space per half em of empty paper
                spaces = min(settings.max_spaces, gap / (settings.space_width * size))
                out.append(" " * max(1, round(spaces)))
            out.append(ch.text)
        parts.append("".join(out))
    return "".join(parts)


def _box(chars: list[Char]) -> Box:
    return (
        round(min(c.x0 for c in chars), 1),
        round(min(c.top for c in chars), 1),
        round(max(c.x1 for c in chars), 1),
        round(max(c.bottom for c in chars), 1),
    )


@dataclass(slots=True)
class Row:
    top: float
    cells: list[str]
    boxes: list[Box | None]


class _Rules:
    """Rules of one direction indexed by position, each position with the merged spans drawn there."""

    def __init__(self, rules: list[Rule], snap: float) -> None:
        spans: dict[float, list[tuple[float, float]]] = {}
        positions = _snap([r.at for r in rules], snap)
        for r in sorted(rules, key=lambda r: r.lo):
            at = positions[bisect_left(positions, r.at - snap)]
            merged = spans.setdefault(at, [])
            if merged and r.lo <= merged[-1][1] + snap:
                merged[-1] = (merged[-1][0], max(merged[-1][1], r.hi))
            else:
                merged.append((r.lo, r.hi))
        self.positions = positions
        self.spans = spans
        self.snap = snap

    def covers(self, at: float, point: float) -> bool:
        return any(lo - self.snap <= point <= hi + self.snap for lo, hi in self.spans[at])

    def span(self, at: float, point: float) -> tuple[float, float] | None:
        """The merged span of the rule at `at` that runs across `point`."""
        return next(
            ((lo, hi) for lo, hi in self.spans[at] if lo - self.snap <= point <= hi + self.snap), None
        )

    def before(self, value: float, point: float) -> float | None:
        """The nearest rule at or before `value` that runs across `point`."""
        i = bisect_right(self.positions, value) - 1
        while i >= 0:
            at = self.positions[i]
            if self.covers(at, point):
                return at
            i -= 1
        return None

    def after(self, value: float, point: float) -> float | None:
        i = bisect_right(self.positions, value)
        while i < len(self.positions):
            at = self.positions[i]
            if self.covers(at, point):
                return at
            i += 1
        return None


def _regions(vertical: list[Rule], snap: float) -> list[tuple[float, float]]:
    """Vertical extents of the ruled tables on a page: overlapping vertical rules belong to one table."""
    out: list[tuple[float, float]] = []
    for r in sorted(vertical, key=lambda r: r.lo):
        if out and r.lo <= out[-1][1] + snap:
            out[-1] = (out[-1][0], max(out[-1][1], r.hi))
        else:
            out.append((r.lo, r.hi))
    return out


def _open_edge(
    vs: _Rules, left: float, ch: Char, top: float | None, bottom: float | None, settings: LayoutSettings
) -> tuple[float | None, float | None]:
    """A grid row drawn without its outer top or bottom rule (a table continued on the next page).

    The column rules end where the missing rule would be; it counts as drawn there when the row is one
    row high and at least one inner column rule runs through it too (not just a frame around text).
    """
    span = vs.span(left, ch.cy)
    crossing = sum(1 for at in vs.positions if vs.covers(at, ch.cy))
    if span is None or crossing < 3:
        return top, bottom
    reach = settings.open_row_height * max(ch.height, 1.0)
    if top is None and bottom is not None and 0 < bottom - span[0] <= reach:
        return span[0], bottom
    if bottom is None and top is not None and 0 < span[1] - top <= reach:
        return top, span[1]
    return top, bottom


def grid_rows(
    chars: list[Char], horizontal: list[Rule], vertical: list[Rule], settings: LayoutSettings = LAYOUT
) -> tuple[list[Row], list[Char]]:
    """Rows of ruled tables on one page, and the characters that lie outside every grid.

    A cell is the box of rules around a character; a cell spanning several rows or columns belongs to the
    row of its top rule and puts its text in its leftmost column, as spreadsheet exports do.
    """
    snap = settings.snap
    hs, vs = _Rules(horizontal, snap), _Rules(vertical, snap)
    regions = _regions(vertical, snap)
    cells: dict[tuple[int, float, float], list[Char]] = {}
    free: list[Char] = []
    for ch in chars:
        cx, cy = ch.cx, ch.cy
        left, right = vs.before(cx, cy), vs.after(cx, cy)
        top, bottom = hs.before(cy, cx), hs.after(cy, cx)
        if left is not None and right is not None and (top is None) != (bottom is None):
            top, bottom = _open_edge(vs, left, ch, top, bottom, settings)
        if left is None or right is None or top is None or bottom is None or bottom - top <= snap:
            free.append(ch)
            continue
        region = next((i for i, (lo, hi) in enumerate(regions) if lo - snap <= cy <= hi + snap), -1)
        cells.setdefault((region, top, left), []).append(ch)
    rows: dict[tuple[int, float], dict[float, list[Char]]] = {}
    for (region, top, left), members in cells.items():
        rows.setdefault((region, top), {})[left] = members
    columns: dict[int, list[float]] = {}
    for i, (lo, hi) in enumerate(regions):
        columns[i] = [x for x in vs.positions if any(a <= hi and b >= lo for a, b in vs.spans[x])][:-1]
    out: list[Row] = []
    for (region, top), by_left in rows.items():
        leaf = columns.get(region) or sorted(by_left)
        texts = [text_of(by_left.get(x, []), settings) for x in leaf]
        boxes: list[Box | None] = [_box(by_left[x]) if x in by_left else None for x in leaf]
        out.append(Row(top, texts, boxes))
    return out, free


def text_lines(chars: list[Char], settings: LayoutSettings = LAYOUT) -> list[Row]:
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines and abs(ch.cy - lines[-1][-1].cy) < settings.same_line * max(
            ch.height, lines[-1][-1].height, 1.0
        ):
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return [Row(min(c.top for c in line), [text_of(line, settings)], [_box(line)]) for line in lines]


def reading_turn(chars: list[Char], settings: LayoutSettings = LAYOUT) -> int:
    """How the text runs on the page: 0 left to right, 90 bottom to top, 270 top to bottom.

    Landscape tables are often drawn turned inside a portrait page (and the page given /Rotate); the
    direction from one character to the next tells which way to turn the page back.
    """
    across = up = down = 0
    for a, b in zip(chars, chars[1:], strict=False):
        step_x, step_y = b.cx - a.cx, b.cy - a.cy
        reach = settings.neighbour_reach * max(a.height, a.x1 - a.x0, 1.0)
        if abs(step_x) > reach or abs(step_y) > reach:
            continue  # not neighbours in one word
        if abs(step_x) >= abs(step_y):
            across += 1
        elif step_y < 0:
            up += 1
        else:
            down += 1
    if max(up, down) <= settings.turn_ratio * across:
        return 0
    return 90 if up > down else 270


def turn(
    chars: list[Char], horizontal: list[Rule], vertical: list[Rule], degrees: int, width: float, height: float
) -> tuple[list[Char], list[Rule], list[Rule]]:
    """Turn a page so that its text runs left to right (top-left coordinates, width × height unturned)."""
    if degrees == 90:  # text reads upwards: turn clockwise, (x, y) → (height - y, x)
        out = [Char(c.text, height - c.bottom, c.x0, height - c.top, c.x1) for c in chars]
        return (
            out,
            [Rule(r.at, height - r.hi, height - r.lo) for r in vertical],
            [Rule(height - r.at, r.lo, r.hi) for r in horizontal],
        )
    if degrees == 270:  # text reads downwards: turn anticlockwise, (x, y) → (y, width - x)
        out = [Char(c.text, c.top, width - c.x1, c.bottom, width - c.x0) for c in chars]
        return (
            out,
            [Rule(width - r.at, r.lo, r.hi) for r in vertical],
            [Rule(r.at, width - r.hi, width - r.lo) for r in horizontal],
        )
    return chars, horizontal, vertical
