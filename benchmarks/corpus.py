"""A synthetic corpus for scale tests: many departments × years derived from the five seed documents.

    python benchmarks/corpus.py OUT_DIR --documents 10000 [--seed 1]

Each synthetic document is a seed's text with two changes, neither of which touches an identity:
  * the organisation is renamed everywhere it is printed (title, captions, unit rows, narrative);
  * every year is shifted by the same number of years (a 2026 budget becomes a 2023 budget, its
    "比2025年" becomes "比2022年"; a stray wrong year stays wrong by the same amount).
Amounts are left as printed. Scaling them was tried and rejected: multiplying by any factor also
multiplies the seeds' rounding tails (5,916.68 against 1,816.35 + 4,100.34 becomes a two-cent gap at
×2) and reaches numbers that are not money (scores, rates), so the synthetic documents would no longer
satisfy the identities their seeds satisfy. Variation between departments comes from the four budget
templates (778.64 to 5,916.68 万元, department and unit documents, three text layouts) and from which
years and which final accounts each department has.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


@dataclass(frozen=True)
class Template:
    file: str
    kind: str
    year: int
    names: tuple[tuple[str, str], ...]
    """(printed name, replacement pattern): {name} is the synthetic core name."""
    full: str = ""
    """The whole synthetic name, for final accounts of a department that has this budget template."""


TEMPLATES = (
    Template(
        "000_37ad2aea713753bc.txt",
        "budget",
        2026,
        (("信息中心（武汉市大数据中心）", "{name}中心"),),
        "武汉市{name}中心",
    ),
    Template(
        "001_825a62496bc4820b.txt",
        "budget",
        2024,
        (("武昌区大数据中心", "武昌区{name}中心"),),
        "武昌区{name}中心",
    ),
    # a unit budget (单位预算): its unit publishes no final accounts of its own here
    Template("002_259adb099584b024.txt", "budget", 2026, (("武汉市工业信息化中心", "武汉市{name}服务中心"),)),
    Template("003_2869a1c1e51113ab.txt", "final", 2024, (("武汉市数据局", "武汉市{name}局"),)),
    Template(
        "004_3af882b25fa8e580.txt",
        "budget",
        2026,
        (
            ("硚口区经济信息化和科技创新局", "硚口区{name}局"),
            ("硃口区经济信息化和科技创新局", "硃口区{name}局"),
            ("硚口区大数据中心", "硚口区{name}数据中心"),
        ),
        "硚口区{name}局",
    ),
)
SYLLABLES = (
    "华兴安康宁泰和丰盛昌明德信达通远合顺嘉隆瑞祥福鑫荣恒源升平新光辉晨阳清正鸿景博睿成益广汇东南西北中"
)
_YEAR = re.compile(r"(?<![\d.])(20\d{2})(?=\s*年)")


def department_name(index: int) -> str:
    """A distinct core name of two or more syllables per department index (bijective base-n numerals)."""
    n = len(SYLLABLES)
    number = index + n + 1  # skip the one-syllable names
    name = ""
    while number:
        number, digit = divmod(number - 1, n)
        name = SYLLABLES[digit] + name
    return name


def shift_years(text: str, delta: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(1)) + delta), text) if delta else text


def rename(text: str, template: Template, name: str, pattern: str | None = None) -> str:
    """Replace each printed name, also where a table cell wraps it over several lines.

    ``pattern`` overrides the template's own (final accounts take their department's budget name)."""
    for printed, own in template.names:
        new = (pattern or own).format(name=name)
        wrapped = re.compile(r"\s*".join(_char(ch) for ch in printed))
        text = wrapped.sub(lambda m, n=new: _same_breaks(m.group(0), n), text)
    return text


def _char(ch: str) -> str:
    return "[（(]" if ch in "（(" else "[）)]" if ch in "）)" else re.escape(ch)


def _same_breaks(printed: str, new: str) -> str:
    """``new`` broken over lines where ``printed`` was, so wrapped cells stay wrapped."""
    pieces = re.split(r"([ \t]*\n\s*)", printed)
    words, breaks = pieces[0::2], pieces[1::2]
    if not breaks:
        return new
    total = sum(len(w) for w in words)
    out, used = [], 0
    for i, word in enumerate(words):
        size = len(new) - used if i == len(words) - 1 else max(1, round(len(word) * len(new) / total))
        out.append(new[used : used + size])
        used += size
        if i < len(breaks):
            out.append(breaks[i])
    return "".join(out)


def synthetic_document(
    template_text: str, template: Template, name: str, year: int, pattern: str | None = None
) -> str:
    return shift_years(rename(template_text, template, name, pattern), year - template.year)


def generate(out: Path, documents: int, seed: int = 1, first_year: int = 2019, years: int = 8) -> list[Path]:
    """Write ``documents`` files: departments × years × kinds, in folders per year."""
    rng = random.Random(seed)
    texts = {t.file: (SEEDS / t.file).read_text("utf-8") for t in TEMPLATES}
    budgets = [t for t in TEMPLATES if t.kind == "budget"]
    finals = [t for t in TEMPLATES if t.kind == "final"]
    written: list[Path] = []
    department = 0
    while len(written) < documents:
        name = department_name(department)
        budget_template = budgets[department % len(budgets)]
        start = first_year + rng.randrange(0, 3)
        for year in range(start, first_year + years):
            for template in (budget_template, finals[0]):
                if len(written) >= documents:
                    break
                if template.kind == "final" and rng.random() < 0.3:
                    continue  # not every year's final accounts are published (or collected)
                if template.kind == "final" and not budget_template.full:
                    continue
                pattern = budget_template.full if template.kind == "final" else None
                text = synthetic_document(texts[template.file], template, name, year, pattern)
                folder = out / str(year)
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / f"{department:05d}-{template.kind}-{year}.txt"
                path.write_text(text, "utf-8")
                written.append(path)
        department += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    files = generate(args.out, args.documents, args.seed)
    size = sum(p.stat().st_size for p in files)
    print(
        f"{len(files)} documents, {size / 1e6:.0f} MB in {args.out} ({time.perf_counter() - started:.1f} s)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
