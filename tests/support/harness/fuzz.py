"""Damage a document the way copies get damaged, and check that cnbudget answers with a report or a
clear error — never a crash (the property of issue 12; exit 70 is a crash).

Damages (one per input): a line deleted, duplicated, swapped with the next, cut short, a character
replaced, text inserted; a cell of a tab-separated line emptied, replaced by a number or by text, or a
cell added or dropped (headers are tab-separated lines too). Used by tests/parse/test_fuzz.py (bounded) and
benchmarks/fuzz.py (long).
"""

from __future__ import annotations

import random
import traceback
from dataclasses import dataclass

from cnbudget.audit.engine import audit
from cnbudget.domain.errors import CnbudgetError

LINE_DAMAGES = ("delete", "duplicate", "swap", "cut", "char", "insert")
CELL_DAMAGES = ("empty", "number", "text", "add", "drop")
_TEXT = "合计小计项目一般公共预算支出收入（类）款项万元%0123456789.,-—\t |"


@dataclass(slots=True)
class Outcome:
    damage: str
    line: int
    ok: bool
    """A report or a clear error (CnbudgetError)."""
    crash: str = ""
    """The traceback's last lines when it crashed."""


def damage_line(lines: list[str], rng: random.Random, kind: str) -> tuple[list[str], int]:
    out = list(lines)
    i = rng.randrange(len(out))
    line = out[i]
    if kind == "delete":
        del out[i]
    elif kind == "duplicate":
        out.insert(i, line)
    elif kind == "swap" and i + 1 < len(out):
        out[i], out[i + 1] = out[i + 1], out[i]
    elif kind == "cut":
        out[i] = line[: rng.randrange(len(line) + 1)]
    elif kind == "char" and line:
        j = rng.randrange(len(line))
        out[i] = line[:j] + rng.choice(_TEXT) + line[j + 1 :]
    elif kind == "insert":
        j = rng.randrange(len(line) + 1)
        out[i] = line[:j] + "".join(rng.choice(_TEXT) for _ in range(rng.randint(1, 8))) + line[j:]
    return out, i + 1


def damage_cell(lines: list[str], rng: random.Random, kind: str) -> tuple[list[str], int]:
    rows = [k for k, line in enumerate(lines) if "\t" in line or "|" in line]
    if not rows:
        return damage_line(lines, rng, "char")
    out = list(lines)
    i = rng.choice(rows)
    sep = "\t" if "\t" in out[i] else "|"
    cells = out[i].split(sep)
    j = rng.randrange(len(cells))
    if kind == "empty":
        cells[j] = ""
    elif kind == "number":
        cells[j] = rng.choice(["0", "-1", "1e9", "12,345.678", "0.00", "99999999999999", "．5", "1,2,3"])
    elif kind == "text":
        cells[j] = "".join(rng.choice(_TEXT) for _ in range(rng.randint(1, 12)))
    elif kind == "add":
        cells.insert(j, rng.choice(["", "合计", "1.00"]))
    elif kind == "drop" and len(cells) > 1:
        del cells[j]
    out[i] = sep.join(cells)
    return out, i + 1


def run_one(text: str, name: str) -> str:
    """'' when the damaged text gives a report or a clear error; the traceback's tail when it crashes."""
    from cnbudget.parse import parse_text

    try:
        audit(parse_text(text, name))
    except CnbudgetError:
        return ""
    except Exception:  # noqa: BLE001 - a crash is what is being counted
        return "".join(traceback.format_exc().strip().splitlines(keepends=True)[-3:])
    return ""


def fuzz(text: str, name: str, count: int, seed: int = 2026) -> list[Outcome]:
    rng = random.Random(seed)
    lines = text.split("\n")
    out = []
    for _ in range(count):
        if rng.random() < 0.5:
            kind = rng.choice(LINE_DAMAGES)
            damaged, line = damage_line(lines, rng, kind)
        else:
            kind = "cell-" + rng.choice(CELL_DAMAGES)
            damaged, line = damage_cell(lines, rng, kind[5:])
        crash = run_one("\n".join(damaged), name)
        out.append(Outcome(kind, line, not crash, crash))
    return out
