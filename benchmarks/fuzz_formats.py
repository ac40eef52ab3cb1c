"""Structure-aware fuzzing of every input format (run: python benchmarks/fuzz_formats.py [--cases N] [--jobs 2]).

Real documents in each format — PDFs cut from tests/fixtures/pdf and tests/fixtures/corpus, seed 000 as
XLSX, XLS, DOCX (Word's own wrappers: tests/fixtures/repro/2026-12-07), HTML and text — are damaged the way
files are damaged in the wild, one operator per case:

- text and HTML: an ASCII digit replaced by another script's digit (², ３, ٣, ①, 𝟑 …), a line or a cell
  damaged (`support.harness.fuzz`), tags dropped or nested deep;
- PDF: a page object's /Type renamed, a /Length, /Count, /W or /Size changed, a font's /BaseFont, /Subtype or
  /Encoding garbled, a number of a content stream made huge or negative, bytes flipped inside a stream, the
  page wrapped in forms three deep;
- XLSX and DOCX: in one XML part, an element renamed, an attribute dropped, a value replaced by an odd
  number or a Unicode digit, the part cut short, an element repeated; the zip rewritten;
- XLS: bytes flipped, or a record's length changed.

Each damaged file is parsed and audited (`cnbudget.parse_file`, `cnbudget.audit.audit`) in a worker whose
address space is capped at 2 GiB; a crash is anything but a report or a clear input error (exit 70 on the
command line), a memory error included. Target (issue 19): ≥ 100,000 cases, 0 crashes. Prints the count per
format and operator, the crashes with their operator and the end of their traceback.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import resource
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from run import machine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the harnesses: tests/support/harness
FIXTURES = ROOT / "tests" / "fixtures"
SEED = FIXTURES / "seeds" / "000_37ad2aea713753bc.txt"
DIGITS = "²３٣۳३৩๓①𝟑³¹⁰₃〇"
MEMORY = 2 * 1024**3


# ---- the documents damaged ------------------------------------------------------------------------------


def _pdf_cut(path: Path, pages: list[int]) -> bytes:
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(path))
    out = pdfium.PdfDocument.new()
    out.import_pages(source, [p for p in pages if p < len(source)])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _seed_rows() -> list[list[str]]:
    return [line.split("\t") for line in SEED.read_text("utf-8").splitlines()]


def _xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in _seed_rows():
        sheet.append([float(c.replace(",", "")) if re.fullmatch(r"-?[\d,]+\.\d+", c) else c for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xls() -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("公开表")
    for r, row in enumerate(_seed_rows()[:3000]):
        for c, value in enumerate(row[:200]):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _html() -> bytes:
    import html

    parts = ["<html><head><meta charset='utf-8'></head><body>"]
    table: list[str] = []
    for row in _seed_rows():
        if len(row) > 1:
            table.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
            continue
        if table:
            parts.append("<table>" + "".join(table) + "</table>")
            table = []
        parts.append(f"<p>{html.escape(row[0])}</p>")
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


def bases() -> dict[str, list[tuple[str, bytes]]]:
    corpus = sorted((FIXTURES / "corpus").glob("*.pdf"))[:2]
    return {
        "pdf": [
            (
                "putuo.pdf",
                _pdf_cut(FIXTURES / "pdf" / "putuo-planning-resources-2024-final.pdf", list(range(6, 14))),
            )
        ]
        + [(p.name, _pdf_cut(p, list(range(0, 8)))) for p in corpus],
        "xlsx": [("seed.xlsx", _xlsx())],
        "xls": [("seed.xls", _xls())],
        "docx": [
            (p.name, p.read_bytes()) for p in sorted((FIXTURES / "repro" / "2026-12-07").glob("*.docx"))
        ],
        "html": [("seed.html", _html())],
        "text": [("seed.txt", SEED.read_bytes())],
    }


# ---- the operators ---------------------------------------------------------------------------------------


def _unicode_digit(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    spots = [m.start() for m in re.finditer(r"\d", text)]
    if not spots:
        return data
    for _ in range(rng.randint(1, 3)):
        i = rng.choice(spots)
        text = text[:i] + rng.choice(DIGITS) + text[i + 1 :]
    return text.encode("utf-8")


def _text_damage(data: bytes, rng: random.Random) -> bytes:
    from support.harness.fuzz import CELL_DAMAGES, LINE_DAMAGES, damage_cell, damage_line

    lines = data.decode("utf-8").split("\n")
    if rng.random() < 0.5:
        lines, _ = damage_line(lines, rng, rng.choice(LINE_DAMAGES))
    else:
        lines, _ = damage_cell(lines, rng, rng.choice(CELL_DAMAGES))
    return "\n".join(lines).encode("utf-8")


def _html_tags(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8")
    choice = rng.random()
    if choice < 0.4:
        tags = [m.start() for m in re.finditer(r"</t[dr]>", text)]
        for i in sorted(rng.sample(tags, min(len(tags), rng.randint(1, 50))), reverse=True):
            text = text[:i] + text[i + 5 :]
    elif choice < 0.7:
        depth = rng.randint(50, 400)
        i = text.find("<table>")
        text = text[:i] + "<div>" * depth + text[i:] if i >= 0 else text
    else:
        i = rng.randrange(len(text))
        text = text[:i] + "<td><tr><table>" + text[i:]
    return text.encode("utf-8")


_PDF_KEYS = [
    (rb"/Type\s*/Page\b", [b"/Type /Pagx", b"/Type /Pages", b"/Type /Font"]),
    (rb"/Length\s+\d+", [b"/Length 0", b"/Length 99999999", b"/Length -5"]),
    (rb"/Count\s+\d+", [b"/Count 0", b"/Count 999999", b"/Count -1"]),
    (rb"/BaseFont\s*/[^\s/>\[]+", [b"/BaseFont /\xe5\xae\x8b", b"/BaseFont /X", b"/BaseFont 5"]),
    (rb"/Subtype\s*/\w+", [b"/Subtype /Type9", b"/Subtype /Form", b"/Subtype /Image"]),
    (rb"/Encoding\s*/[\w-]+", [b"/Encoding /Nope", b"/Encoding 7"]),
    (rb"/W\s*\[", [b"/W [ 1e30 ", b"/W [ -1 "]),
    (rb"/Size\s+\d+", [b"/Size 1", b"/Size 99999999"]),
    (
        rb"/MediaBox\s*\[[^\]]*\]",
        [b"/MediaBox [0 0 14400 14400]", b"/MediaBox [0 0 0 0]", b"/MediaBox [0 0 1e30 1e30]"],
    ),
]


def _pdf_key(data: bytes, rng: random.Random) -> bytes:
    pattern, replacements = rng.choice(_PDF_KEYS)
    spots = list(re.finditer(pattern, data))
    if not spots:
        return _pdf_bytes(data, rng)
    m = rng.choice(spots)
    return data[: m.start()] + rng.choice(replacements) + data[m.end() :]


def _pdf_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    streams = [m.end() for m in re.finditer(rb"stream\r?\n", data)]
    start = rng.choice(streams) if streams else rng.randrange(len(out))
    for _ in range(rng.randint(1, 8)):
        i = min(len(out) - 1, start + rng.randrange(200))
        out[i] = rng.randrange(256)
    return bytes(out)


def _pdf_forms(data: bytes, rng: random.Random) -> bytes:
    import pypdfium2 as pdfium

    current = pdfium.PdfDocument(data)
    kept = [current]
    index = rng.randrange(len(current))
    for _ in range(rng.randint(2, 5)):
        outer = pdfium.PdfDocument.new()
        width, height = current[index].get_size()
        page = outer.new_page(width, height)
        page.insert_obj(current.page_as_xobject(index, outer).as_pageobject())
        page.gen_content()
        current, index = outer, 0
        kept.append(current)
    buffer = io.BytesIO()
    current.save(buffer)
    return buffer.getvalue()


def _zip_xml(data: bytes, rng: random.Random) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    xml = [n for n in members if n.endswith(".xml") and len(members[n]) > 200]
    name = rng.choice(xml)
    text = members[name].decode("utf-8", "replace")
    choice = rng.random()
    tags = list(re.finditer(r"<(/?)([\w:]+)", text))
    if choice < 0.2 and tags:
        m = rng.choice(tags)
        text = (
            text[: m.start(2)]
            + rng.choice(["w:ins", "w:sdt", "x", "c", "v", "w:smartTag", "row"])
            + text[m.end(2) :]
        )
    elif choice < 0.35:
        attrs = list(re.finditer(r'\s[\w:]+="[^"]*"', text))
        if attrs:
            m = rng.choice(attrs)
            text = text[: m.start()] + text[m.end() :]
    elif choice < 0.6:
        values = list(re.finditer(r">(-?[\d.]+)<", text))
        if values:
            m = rng.choice(values)
            odd = rng.choice(["1e400", "nan", "-0", "99999999999999999999", "３", "²", "", "1,234"])
            text = text[: m.start(1)] + odd + text[m.end(1) :]
        else:
            text = _unicode_digit(text.encode(), rng).decode()
    elif choice < 0.75:
        text = text[: rng.randrange(len(text))]
    elif choice < 0.9 and tags:
        m = rng.choice([t for t in tags if not t.group(1)] or tags)
        end = text.find(">", m.start())
        closing = text.find(f"</{m.group(2)}>", end)
        if end > 0 and closing > 0 and closing - m.start() < 20000:
            element = text[m.start() : closing + len(m.group(2)) + 3]
            text = text[: m.start()] + element * rng.randint(2, 40) + text[m.start() :]
    else:
        text = _unicode_digit(text.encode(), rng).decode()
    members[name] = text.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, content in members.items():
            archive.writestr(n, content)
    return buffer.getvalue()


def _ole_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 10)):
            i = rng.randrange(512, len(out))
            out[i] = rng.randrange(256)
    else:  # a BIFF record's length: two bytes after its two-byte type
        i = rng.randrange(512, len(out) - 4)
        out[i + 2 : i + 4] = rng.choice([b"\xff\xff", b"\x00\x00", b"\x01\x00"])
    return bytes(out)


OPERATORS = {
    "text": {"unicode-digit": _unicode_digit, "line-or-cell": _text_damage},
    "html": {"unicode-digit": _unicode_digit, "tags": _html_tags},
    "pdf": {"key": _pdf_key, "stream-bytes": _pdf_bytes, "nested-forms": _pdf_forms},
    "xlsx": {"xml": _zip_xml},
    "docx": {"xml": _zip_xml},
    "xls": {"ole-bytes": _ole_bytes},
}
SUFFIX = {"text": ".txt", "html": ".html", "pdf": ".pdf", "xlsx": ".xlsx", "docx": ".docx", "xls": ".xls"}


# ---- running ---------------------------------------------------------------------------------------------

_BASES: dict[str, list[tuple[str, bytes]]] = {}


def _start() -> None:
    import warnings

    warnings.filterwarnings("ignore")  # openpyxl's and xlrd's complaints about the damage are expected
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    _BASES.update(bases())


def _case(job: tuple[str, str, int]) -> tuple[str, str, str]:
    """(format, operator, '' or the crash) of one damaged document."""
    import cnbudget
    from cnbudget.audit import audit
    from cnbudget.domain.errors import CnbudgetError

    fmt, op, seed = job
    rng = random.Random(seed)
    name, data = rng.choice(_BASES[fmt])
    try:
        damaged = OPERATORS[fmt][op](data, rng)
    except Exception:  # noqa: BLE001 - the operator could not apply here: count it as a plain read
        damaged = data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"damaged{SUFFIX[fmt]}"
        path.write_bytes(damaged)
        try:
            audit(cnbudget.parse_file(path))
        except CnbudgetError:
            return fmt, op, ""
        except BaseException:  # noqa: BLE001 - a crash (MemoryError included) is what is counted
            return (
                fmt,
                op,
                f"{name}: " + "".join(traceback.format_exc().strip().splitlines(keepends=True)[-3:]),
            )
    return fmt, op, ""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--formats", default=",".join(OPERATORS))
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f in OPERATORS]
    rng = random.Random(args.seed)
    jobs = []
    for i in range(args.cases):
        fmt = formats[i % len(formats)]
        jobs.append((fmt, rng.choice(sorted(OPERATORS[fmt])), rng.randrange(2**32)))
    started = time.monotonic()
    counts: Counter[tuple[str, str]] = Counter()
    crashes: list[tuple[str, str, str]] = []
    with ProcessPoolExecutor(args.jobs, initializer=_start) as pool:
        for done, (fmt, op, crash) in enumerate(pool.map(_case, jobs, chunksize=20), 1):
            counts[(fmt, op)] += 1
            if crash:
                crashes.append((fmt, op, crash))
            if done % 1000 == 0:
                print(
                    f"  {done} cases, {len(crashes)} crashes, {time.monotonic() - started:.0f} s", flush=True
                )
    seconds = time.monotonic() - started
    print(f"machine: {machine()}")
    print(f"{sum(counts.values())} damaged documents in {seconds:.0f} s with {args.jobs} workers")
    for (fmt, op), n in sorted(counts.items()):
        bad = sum(1 for f, o, _ in crashes if (f, o) == (fmt, op))
        print(f"  {fmt:5} {op:14} {n:7}  crashes {bad}")
    for fmt, op, crash in crashes[:20]:
        print(f"--- {fmt} {op}\n{crash}")
    print(
        f"crashes: {len(crashes)} (target 0; ≥ 100,000 cases: {'met' if args.cases >= 100_000 else 'not run'})"
    )
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
