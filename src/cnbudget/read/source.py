"""Lines and cells with their position: the one shape every reader produces."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, BinaryIO, Literal

from cnbudget.domain.errors import InputError, UsageError
from cnbudget.domain.i18n import t
from cnbudget.domain.text import normalize_text
from cnbudget.domain.vocabulary import LineLayout, SourceFormat, TextLayout
from cnbudget.model import SourcePart
from cnbudget.read.decode import decode

Box = tuple[float, float, float, float]
"""x0, top, x1, bottom in points from the page's top-left corner."""

_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?\s*$")


@dataclass(slots=True)
class Line:
    number: int
    """1-based line number in the decoded text (the reference for every finding on text inputs)."""
    own_text: str | None
    """The line's text; None when it is exactly its cells joined by tabs (a row read from a workbook, a
    DOCX/HTML table or a PDF's cells), so that a table's text is held once, in its cells (`text`)."""
    cells: list[str] | None = None
    """Cells when the layout marks them (tab-separated or a pipe table); None for plain text."""
    layout: LineLayout = "text"
    """``tab``, ``pipe``, ``text`` or ``blank``; pipe separator rows are ``rule``."""
    page: int | None = None
    indent: int = 0
    """Leading spaces: in space-separated conversions they tell which side of a two-sided table a cell is on."""
    boxes: list[Box | None] | None = None
    """For PDF inputs: the box of each cell (or of the whole line of text); None for text inputs."""
    ocr: bool = False
    """Read by OCR from a scanned page: its values need review."""

    @property
    def text(self) -> str:
        own = self.own_text
        return own if own is not None else "\t".join(self.cells or ())

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass(slots=True)
class Source:
    path: str
    lines: list[Line]
    sha256: str
    format: SourceFormat = "text"
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    """Pages of a PDF (0 for inputs without pages)."""
    files: list[SourcePart] = field(default_factory=list)
    """For a bundle read from several files: each file and where its lines and pages are."""

    @property
    def layout(self) -> TextLayout:
        tabs = sum(1 for line in self.lines if line.layout == "tab")
        pipes = sum(1 for line in self.lines if line.layout == "pipe")
        if max(tabs, pipes) < 10:
            return "space"
        return "tab" if tabs >= pipes else "pipe"


def _split_pipe(stripped: str) -> list[str]:
    body = stripped[1:] if stripped[0] == "|" else stripped
    if body.endswith("|"):
        body = body[:-1]
    return [cell.strip() for cell in body.split("|")]


def make_line(
    number: int,
    raw: str,
    page: int | None = None,
    normalized: bool = False,
    shared: dict[str, str] | None = None,
) -> Line:
    """`shared`: equal cells of one document kept once (a disclosure repeats half its cells: 0.00, codes,
    labels of the tables that share rows), which halves the memory its cells take."""
    text = raw if normalized else normalize_text(raw)
    stripped = text.strip()
    indent = len(text) - len(text.lstrip(" \u3000"))
    if not stripped:
        return Line(number, text, None, "blank", page, indent)
    if "\t" in text:
        cells = [c.strip() for c in text.split("\t")]
        if shared is not None:
            cells = [shared.setdefault(c, c) for c in cells]
        return Line(number, text, cells, "tab", page, indent)
    if stripped[0] == "|" and stripped.count("|") >= 2:
        if "--" in stripped and _PIPE_SEPARATOR.match(stripped):
            return Line(number, text, None, "rule", page, indent)
        return Line(number, text, _split_pipe(stripped), "pipe", page, indent)
    return Line(number, text, None, "text", page, indent)


def source_from_text(text: str, path: str = "<text>", encoding: str = "utf-8", sha256: str = "") -> Source:
    raw_lines = normalize_text(text).splitlines()
    shared: dict[str, str] = {}
    lines = [make_line(i + 1, raw, normalized=True, shared=shared) for i, raw in enumerate(raw_lines)]
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Source(path=path, lines=lines, sha256=digest, encoding=encoding)


def source_from_bytes(data: bytes, path: str) -> Source:
    """The hash is of the file's bytes, so that the same file is recognised whatever its encoding."""
    text, encoding = decode(data, path)
    return source_from_text(text, path, encoding, sha256=hashlib.sha256(data).hexdigest())


BASE_SECONDS = 600.0
"""The automatic time limit of a PDF's pages with a text layer (each takes milliseconds)."""
OCR_PAGE_SECONDS = 60.0
"""Added to the automatic limit for each page read by OCR: RapidOCR takes 20–60 s for a page of tables on two
busy cores (median 23 s, measured on the district fixture's table pages), far less on a free machine."""
MAX_AUTO_SECONDS = 8 * 3600.0
"""The automatic limit never exceeds this, however many pages are scans (1000 pages at ~25 s fit)."""

PageProgress = Callable[[int, int, bool], None]
"""Called after each page of a PDF with (pages done, pages in all, whether that page was read by OCR)."""


@dataclass(frozen=True, slots=True)
class OptionHelp:
    """How a reading setting is offered to people (the command line builds its options from these, so a
    new limit is one field of `ReadOptions`): its help in both languages, and its bounds."""

    zh: str
    en: str
    minimum: float | None = None
    maximum: float | None = None
    limit: bool = False
    """A size limit (shown together under 读取限制) rather than a choice of how to read."""


def _option(zh: str, en: str, **bounds: Any) -> dict[str, OptionHelp]:
    return {"option": OptionHelp(zh, en, **bounds)}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Limits that keep one hostile or huge file from stalling a batch or exhausting memory.

    Each default is far above any real disclosure (workbooks and text conversions of a few megabytes,
    under 100,000 cells); an input over a limit is refused with an `InputError` naming the limit's
    field as its ``setting``, so that the command line can say which option raises it."""

    max_pages: int = field(default=1000, metadata=_option(
        "PDF 页数超过此数即拒绝读取（默认 1000）。", "Refuse PDFs with more pages than this (default 1000).",
        minimum=1))  # fmt: skip
    """PDFs with more pages are refused (disclosures run to a few hundred)."""
    max_seconds: float | None = field(default=None, metadata=_option(
        "读取一个 PDF 超过这么多秒即停止。默认自动：600 秒，每页 OCR 另加 60 秒，至多 8 小时。",
        "Stop reading a PDF after this many seconds. Default: automatic, 600 s plus 60 s per page read by "
        "OCR, at most 8 hours.", minimum=1))  # fmt: skip
    """Reading a PDF stops with an error after this long. None: the automatic limit (`time_limit`), which
    grows with the pages read by OCR; a number is the limit, exactly."""
    ocr: bool = field(default=True, metadata=_option(
        "已安装 OCR 时，识别扫描版 PDF 的页面。", "Read scanned PDF pages by OCR when it is installed."))  # fmt: skip
    """Read scanned pages by OCR when it is installed."""
    max_mb: float = field(default=20.0, metadata=_option(
        "拒绝大于此值（MB）的 XLSX、XLS、DOCX、HTML 和文本文件（默认 20）。",
        "Refuse XLSX, XLS, DOCX, HTML and text files larger than this many MB (default 20).",
        minimum=0.001, limit=True))  # fmt: skip
    """XLSX, XLS, DOCX, HTML and text files larger than this (MB, 10^6 bytes) are refused unread."""
    max_pdf_mb: float = field(default=500.0, metadata=_option(
        "拒绝大于此值（MB）的 PDF（默认 500）。", "Refuse PDFs larger than this many MB (default 500).",
        minimum=0.001, limit=True))  # fmt: skip
    """PDFs larger than this (MB) are refused unread: a PDF's memory is its size and one page at a time."""
    max_cells: int = field(default=1_000_000, metadata=_option(
        "拒绝单元格多于此数的工作簿和文档表格（默认 1000000）。",
        "Refuse workbooks and document tables with more cells than this (default 1000000).",
        minimum=1, limit=True))  # fmt: skip
    """Spreadsheets and document tables with more cells are refused (spans and empty rows count)."""
    max_depth: int = field(default=200, metadata=_option(
        "拒绝标记嵌套超过此层数的 HTML 和 DOCX（默认 200，最多 255）。",
        "Refuse HTML and DOCX markup nested deeper than this (default 200, at most 255).",
        minimum=1, maximum=255, limit=True))  # fmt: skip
    """HTML and DOCX markup nested deeper than this is refused; at most 255, the XML parser's own limit."""
    max_unpacked_mb: float = field(default=100.0, metadata=_option(
        "拒绝解压后大于此值（MB）的 XLSX 和 DOCX（默认 100）。",
        "Refuse XLSX and DOCX files that unpack to more than this many MB (default 100).",
        minimum=0.001, limit=True))  # fmt: skip
    """XLSX and DOCX containers that would unpack to more than this (MB) are refused (zip bombs)."""

    progress: PageProgress | None = field(default=None, compare=False, repr=False)
    """Told of each page as it is read (a progress bar for long OCR); None in worker processes."""

    def __post_init__(self) -> None:
        """Every limit a finite positive number: NaN compares false with everything and would switch a
        limit off; infinity is no limit either."""
        for setting in fields(self):
            about = setting.metadata.get("option")
            if about is None or about.minimum is None:
                continue  # not a limit (ocr, progress)
            name, value = setting.name, getattr(self, setting.name)
            if value is None and name == "max_seconds":
                continue
            if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
                raise UsageError(
                    t(f"读取限制 {name} 的值无效：{value!r}（应为有限的正数）",
                      f"invalid reading limit {name}: {value!r} (a finite positive number)"),
                    setting=name,
                )  # fmt: skip

    def time_limit(self, ocr_pages: int) -> float:
        """Seconds a PDF may take, once ``ocr_pages`` of its pages have been read by OCR: ``max_seconds`` if
        given, else BASE_SECONDS plus OCR_PAGE_SECONDS per OCR page, at most MAX_AUTO_SECONDS."""
        if self.max_seconds is not None:
            return self.max_seconds
        return min(BASE_SECONDS + OCR_PAGE_SECONDS * ocr_pages, MAX_AUTO_SECONDS)


MB = 1_000_000
DEPTH_CEILING = 255
"""libxml2 (lxml) stops at 256 levels without its unsafe "huge" mode: no setting can go past this."""


def megabytes(size: float) -> str:
    """Bytes as MB for a message, to four significant digits (so that it never reads as the limit)."""
    mb = size / MB
    return f"{mb:.0f}" if mb >= 1000 else f"{mb:.4g}"


def too_deep(limit: int, path: str) -> InputError:
    limit = min(limit, DEPTH_CEILING)
    return InputError(
        t(
            f"标记嵌套过深：超过上限 {limit} 层",
            f"the markup is nested too deeply: more than the limit of {limit} levels",
        ),
        path,
        setting="max_depth",
    )


class CellCount:
    """Counts the cells a reader produces and refuses the input when they pass `ReadOptions.max_cells`."""

    __slots__ = ("count", "limit", "path")

    def __init__(self, limit: int, path: str) -> None:
        self.count = 0
        self.limit = limit
        self.path = path

    def add(self, cells: int) -> None:
        self.count += cells
        if self.count > self.limit:
            raise InputError(
                t(
                    f"单元格超过上限 {self.limit:,} 个（读到 {self.count:,} 个时停止；合并单元格与空行也计入）",
                    f"more than the limit of {self.limit:,} cells (stopped at {self.count:,}; merged cells "
                    "and empty rows count)",
                ),
                self.path,
                setting="max_cells",
            )


Container = Literal["pdf", "zip", "ole", "markup", "text"]


def container_kind(head: bytes) -> Container:
    """What a file is by its first bytes (never by its name): a PDF, a zip container (XLSX, DOCX, or an
    archive), an OLE compound file (XLS, or a legacy DOC), markup (HTML), or else text."""
    if head[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.lstrip()[:1] == b"<" or head.startswith(b"\xef\xbb\xbf<"):
        return "markup"
    return "text"


def _read_within(stream: BinaryIO, head: bytes, size: int, limit: int) -> bytes:
    """The whole file, no more than ``limit + 1`` bytes of it.

    A file of known size is read in one piece: a file read in blocks and joined leaves glibc's heap in
    pieces (freeing a large block raises its mmap threshold, and later allocations land in the heap around
    the objects that stay), which costs a third more peak memory for a workbook. A pipe or a device
    (/dev/zero) has no size: it is read a block at a time, never setting aside the whole limit (``read(n)``
    would — 500 MB for a PDF)."""
    if 0 < size <= limit:
        stream.seek(0)
        data = stream.read(size + 1)
        if len(data) <= size:
            return data
        blocks, total = [data], len(data)  # it grew while being read
    else:
        blocks, total = [head], len(head)
    while total <= limit and (block := stream.read(min(1 << 22, limit - total + 1))):
        blocks.append(block)
        total += len(block)
    return b"".join(blocks)


def read_path(path: str | Path, options: ReadOptions | None = None) -> Source:
    """Read any supported file, told apart by content: PDF, XLSX, DOCX, HTML or text."""
    options = options or ReadOptions()
    name = str(path)
    opened, size = _open(path, name)
    try:
        with opened as stream:
            head = stream.read(1024)
            kind = container_kind(head)
            is_pdf = kind == "pdf"
            if size is not None:
                _check_size(size, is_pdf, options, name)
            limit = int((options.max_pdf_mb if is_pdf else options.max_mb) * MB)
            data = _read_within(stream, head, size if size is not None else -1, limit)
    except OSError as exc:
        reason = exc.strerror or exc
        raise InputError(t(f"无法读取文件：{reason}", f"cannot read the file: {reason}"), name) from exc
    _check_size(len(data), is_pdf, options, name, stopped=True)  # a file that grew while read, or a pipe
    if is_pdf:
        from cnbudget.read.pdf import read_pdf

        return read_pdf(data, name, options)
    if kind == "zip":
        from cnbudget.read.archive import zip_members

        members = zip_members(data, name, options.max_unpacked_mb)
        if "xl/workbook.xml" in members:
            from cnbudget.read.xlsx import read_xlsx

            return read_xlsx(data, name, options)
        if "word/document.xml" in members:
            from cnbudget.read.docx import read_docx

            return read_docx(data, name, options)
        raise InputError(
            t("这是 zip 压缩包，不是公开文件（PDF、XLSX、DOCX、HTML 或文本）",
              "a zip archive, not a disclosure document (PDF, XLSX, DOCX, HTML or text)"),
            name,
        )  # fmt: skip
    if kind == "ole":  # XLS (or a legacy DOC, refused there)
        from cnbudget.read.xls import read_xls

        return read_xls(data, name, options)
    if kind == "markup":
        from cnbudget.read.html_page import looks_like_html, read_html

        text, encoding = decode(data, name)
        if looks_like_html(text):
            return read_html(data, text, encoding, name, options)
        return source_from_text(text, name, encoding, sha256=hashlib.sha256(data).hexdigest())
    return source_from_bytes(data, name)


def _open(path: str | Path, name: str) -> tuple[BinaryIO, int | None]:
    """The document's bytes as a stream, and its size when known before reading: a file here, or a URL
    read through fsspec (`read.remote`)."""
    from cnbudget.read.remote import is_url, open_url

    if is_url(name):
        return open_url(name)
    p = Path(path)
    if not p.exists():
        raise InputError(t("文件不存在", "no such file"), name)
    if p.is_dir():
        raise InputError(t("这是文件夹，不是文件", "is a directory, not a file"), name)
    try:
        return p.open("rb"), p.stat().st_size
    except OSError as exc:
        reason = exc.strerror or exc
        raise InputError(t(f"无法读取文件：{reason}", f"cannot read the file: {reason}"), name) from exc


def _check_size(size: int, is_pdf: bool, options: ReadOptions, path: str, stopped: bool = False) -> None:
    limit, setting = (options.max_pdf_mb, "max_pdf_mb") if is_pdf else (options.max_mb, "max_mb")
    if size > limit * MB and stopped:
        raise InputError(
            t(
                f"文件超过上限 {limit:g} MB（读到上限即停止）",
                f"the file is larger than the limit of {limit:g} MB (reading stopped there)",
            ),
            path,
            setting=setting,
        )
    if size > limit * MB:
        raise InputError(
            t(
                f"文件有 {megabytes(size)} MB，超过上限 {limit:g} MB",
                f"the file is {megabytes(size)} MB, more than the limit of {limit:g} MB",
            ),
            path,
            setting=setting,
        )


def read_bundle(paths: list[str | Path], options: ReadOptions | None = None) -> Source:
    """Several files that together are one disclosure (narrative and tables published apart), as one source.

    Lines and pages are numbered on across the files, in the order given; `Source.files` says where each
    file's lines and pages are, so that evidence can be traced back to the file and its own page."""
    if len(paths) == 1:
        return read_path(paths[0], options)
    sources = [read_path(path, options) for path in paths]
    lines: list[Line] = []
    files: list[SourcePart] = []
    warnings: list[str] = []
    page_offset = 0
    for source in sources:
        first = len(lines) + 1
        pages = source.pages or max((line.page or 0 for line in source.lines), default=0)
        for line in source.lines:
            line.number = len(lines) + 1
            if line.page is not None:
                line.page += page_offset
            lines.append(line)
        files.append(
            SourcePart(
                source.path, source.sha256, first, len(lines), page_offset + 1 if pages else None, pages
            )
        )
        warnings += [f"{source.path}: {w}" for w in source.warnings]
        page_offset += pages
    digest = hashlib.sha256("".join(f.sha256 for f in files).encode("ascii")).hexdigest()
    return Source(
        path=" + ".join(str(p) for p in paths), lines=lines, sha256=digest, format=sources[0].format,
        encoding=sources[0].encoding, warnings=warnings, pages=page_offset, files=files,
    )  # fmt: skip
