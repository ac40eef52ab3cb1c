"""Peak memory and time per input format and size, and the limits that refuse what is too large.

    python benchmarks/input_memory.py [--formats text,html,xlsx,xls,docx,pdf] [--mb 1,5,20,40]
                                      [--repeat N]

Each input is made from the tab-separated seed disclosure in tests/fixtures/seeds (its lines repeated
until the file has the size asked for): a text file; an HTML page (table rows in <table>, text in <p>);
an XLSX workbook (openpyxl write-only; amounts as numbers with a #,##0.00 format); an XLS workbook
(xlwt, a new sheet every 60,000 rows); a DOCX document (its XML written directly, with the paragraph,
run and cell properties Word writes — python-docx takes minutes to build large tables); a PDF (the real 30-page district final accounts in tests/fixtures/pdf,
its pages repeated with pypdfium2). Sizes are the file's size on disk, in MB (10^6 bytes).

Every input is read and parsed (`cnbudget.parse_file`, what every command does) with the default
limits in a new process. Peak memory is that process's peak resident set while reading (Linux VmHWM,
reset after importing every reader library) minus its resident set before reading (the fixed cost of
the interpreter and libraries, which does not grow with the input); elsewhere getrusage's ru_maxrss
stands in for the peak. Ratio = peak memory / file size.
Target (issue 12): ratio under 20 for every input read, or the input is refused with a message.
The median of --repeat runs is shown.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from run import machine  # benchmarks/run.py: the same machine line in every benchmark

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seeds" / "000_37ad2aea713753bc.txt"
PDF = ROOT / "tests" / "fixtures" / "pdf" / "putuo-planning-resources-2024-final.pdf"
MB = 1_000_000
TARGET_RATIO = 20.0

_PROBE = """
import gc, json, resource, sys, time
import cnbudget, cnbudget.parse, cnbudget.read.source
import lxml.html, openpyxl, xlrd, docx, pypdfium2
from cnbudget.domain.errors import CnbudgetError


def status(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


gc.collect()
try:  # Linux: reset the peak to the present, so that a transient peak while importing does not count
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    base, peak_of = status("VmRSS"), lambda: status("VmHWM")
except OSError:
    base, peak_of = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, None
start = time.perf_counter()
refused = ""
try:
    cnbudget.parse_file(sys.argv[1])
except CnbudgetError as exc:
    refused = exc.message + (f" [{exc.setting}]" if exc.setting else "")
elapsed = time.perf_counter() - start
peak = peak_of() if peak_of else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"base_kb": base, "peak_kb": peak, "seconds": elapsed, "refused": refused}))
"""


def _seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def _repeat(size: int) -> Iterator[str]:
    """The seed's lines, over and over, until about `size` bytes of UTF-8 have been given."""
    lines = _seed_lines()
    given = 0
    while given < size:
        for line in lines:
            yield line
            given += len(line.encode("utf-8")) + 1
            if given >= size:
                return


def _blocks(size: int) -> Iterator[tuple[str, list[str]]]:
    """("table", rows of cells) and ("text", [line]) blocks of the repeated seed."""
    rows: list[list[str]] = []
    for line in _repeat(size):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            yield "table", ["\t".join(r) for r in rows]
            rows = []
        yield "text", [line]
    if rows:
        yield "table", ["\t".join(r) for r in rows]


def _number(cell: str) -> float | None:
    try:
        return float(cell.replace(",", ""))
    except ValueError:
        return None


def make_text(size: int, target: Path) -> None:
    target.write_text("\n".join(_repeat(size)) + "\n", encoding="utf-8")


def make_html(size: int, target: Path) -> None:
    # about 80% of the bytes are the seed's text; the markup adds the rest
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>预算</title></head><body>"]
    for kind, lines in _blocks(int(size * 0.8)):
        if kind == "text":
            parts.append(f"<p>{escape(lines[0])}</p>")
            continue
        parts.append("<table>")
        for row in lines:
            parts.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row.split("\t")) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    target.write_text("\n".join(parts), encoding="utf-8")


def _rows(size: int) -> Iterator[list[str]]:
    for line in _repeat(size):
        yield line.split("\t")


def make_xlsx(size: int, target: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    # the cells compress about 2:1 in the zip; this many bytes of cells make `size` on disk
    book = Workbook(write_only=True)
    sheet = book.create_sheet("预算")
    for cells in _rows(size * 2):
        row = []
        for cell in cells:
            number = _number(cell)
            if number is None:
                row.append(cell)
            else:
                written = WriteOnlyCell(sheet, value=number)
                written.number_format = "#,##0.00"
                row.append(written)
        sheet.append(row)
    book.save(target)


def make_xls(size: int, target: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    amount = xlwt.easyxf(num_format_str="#,##0.00")
    sheet, r, sheets = None, 0, 0
    for cells in _rows(int(size * 0.9)):
        if sheet is None or r == 60_000:
            sheets += 1
            sheet, r = book.add_sheet(f"预算{sheets}"), 0
        for c, cell in enumerate(cells[:256]):
            number = _number(cell)
            if number is None:
                sheet.write(r, c, cell)
            else:
                sheet.write(r, c, number, amount)
        r += 1
    book.save(str(target))


_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


# the properties Word writes for every paragraph, run and cell of a disclosure (font, size, width)
_PPR = '<w:pPr><w:spacing w:line="360" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>'
_RPR = '<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:hint="eastAsia"/><w:sz w:val="24"/></w:rPr>'
_TCPR = '<w:tcPr><w:tcW w:w="1200" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'


def _docx_xml(size: int) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    )
    for kind, lines in _blocks(size):
        if kind == "text":
            yield f"<w:p>{_PPR}<w:r>{_RPR}<w:t xml:space='preserve'>{escape(lines[0])}</w:t></w:r></w:p>"
            continue
        width = max(len(row.split("\t")) for row in lines)
        yield "<w:tbl><w:tblGrid>" + "<w:gridCol/>" * width + "</w:tblGrid>"
        for row in lines:
            cells = row.split("\t") + [""] * (width - len(row.split("\t")))
            yield (
                "<w:tr>"
                + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in cells)
                + "</w:tr>"
            )
        yield "</w:tbl>"
    yield "<w:sectPr/></w:body></w:document>"


def make_docx(size: int, target: Path) -> None:
    # with Word's properties on every paragraph, run and cell, this much text makes about `size` on disk
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_TYPES)
        archive.writestr("_rels/.rels", _DOCX_RELS)
        with archive.open("word/document.xml", "w") as member:
            for part in _docx_xml(size * 2):
                member.write(part.encode("utf-8"))


def make_pdf(size: int, target: Path) -> None:
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(PDF))
    pages = max(1, round(size / PDF.stat().st_size * len(source)))
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        take = min(len(source), pages - len(out))
        out.import_pages(source, list(range(take)))
    out.save(str(target))
    out.close()
    source.close()


MAKERS: dict[str, Callable[[int, Path], None]] = {
    "text": make_text,
    "html": make_html,
    "xlsx": make_xlsx,
    "xls": make_xls,
    "docx": make_docx,
    "pdf": make_pdf,
}


def probe(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {"base_kb": 0, "peak_kb": 0, "seconds": 0.0, "refused": f"CRASH: {done.stderr[-300:]}"}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--formats", default=",".join(MAKERS))
    parser.add_argument("--mb", default="1,5,20,40", help="File sizes in MB (10^6 bytes), comma-separated.")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"target: peak memory under {TARGET_RATIO:g}x the file, or refused with a message\n")
    header = f"{'format':6} {'file MB':>8} {'peak MB':>8} {'ratio':>6} {'seconds':>8}  result"
    print(header)
    print("-" * len(header))
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            for mb in (float(m) for m in args.mb.split(",")):
                target = Path(tmp) / f"input-{mb:g}mb.{fmt}"
                MAKERS[fmt](int(mb * MB), target)
                size = target.stat().st_size
                runs = [probe(target) for _ in range(args.repeat)]
                peak = (
                    statistics.median(max(0, int(str(r["peak_kb"])) - int(str(r["base_kb"]))) for r in runs)
                    * 1024
                    / MB
                )
                seconds = statistics.median(float(str(r["seconds"])) for r in runs)
                refused = str(runs[0]["refused"])
                ratio = peak / (size / MB)
                ok = bool(refused) and not refused.startswith("CRASH") or ratio < TARGET_RATIO
                failed += not ok
                result = f"refused: {refused}" if refused else "read"
                mark = "ok" if ok else "NOT MET"
                print(f"{fmt:6} {size / MB:8.2f} {peak:8.1f} {ratio:6.1f} {seconds:8.2f}  {mark:7} {result}")
                target.unlink()
    print(f"\n{'all inputs within the target' if not failed else f'{failed} input(s) NOT MET'}")


if __name__ == "__main__":
    main()
