"""The whole parsed document."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from cnbudget.domain.catalog import FINANCIAL_IDS
from cnbudget.domain.vocabulary import DocumentKind, Level, Scope, SourceFormat, TextLayout
from cnbudget.model.narrative import NarrativeClaim, NarrativeSection
from cnbudget.model.performance import PerformanceTable, SelfEvaluation
from cnbudget.model.tables import Cell, Project, Row, Table


@dataclass(slots=True)
class SourcePart:
    """One file of a disclosure published as several (narrative and tables apart), read as one document."""

    path: str
    sha256: str
    first_line: int
    last_line: int
    first_page: int | None = None
    """The document's page number of this file's first page (pages are numbered on across the files)."""
    pages: int = 0


@dataclass(slots=True)
class Metadata:
    title: str = ""
    title_line: int = 0
    """Line of the document's title (0 when it has none)."""
    department: str = ""
    """The organisation the document is about, as printed in its title (else in its table captions)."""
    organisation: str = ""
    """The organisation by its full name: as the table captions print it ("部门：…"), else as the title does."""
    department_code: str = ""
    """The department's code as the organisation tables (B02, B05U) list it (157)."""
    organisation_code: str = ""
    """The code the document's own tables give the organisation it is about: the department's (157), or a
    unit's (157003) when a unit publishes its own document; empty when the tables do not list it."""
    parent_code: str = ""
    """For a unit's document, the code of the department it belongs to (its code extends it)."""
    parent_name: str = ""
    """For a unit's document, its department's name as the tables list it (武汉市数据局)."""
    unit_names: list[str] = field(default_factory=list)
    unit_codes: list[str] = field(default_factory=list)
    fiscal_year: int | None = None
    kind: DocumentKind | Literal[""] = ""
    """``budget`` (预算) or ``final`` (决算); empty when the document does not say."""
    scope: Scope | Literal[""] = ""
    """``department`` (部门, 汇总) or ``unit`` (单位)."""
    level: Level | Literal[""] = ""
    """``province``, ``city`` or ``district``."""
    region: str = ""
    amount_unit: str = "万元"
    template: str = ""
    """The template the document was printed from (domain/data/templates.toml), e.g. shanghai-district-budget."""
    template_confidence: Literal["certain", "likely", "uncertain", ""] = ""
    """How sure the match is (parse.template): ``certain`` when the tables found are the template's and the
    document names its region, ``likely`` when most are, ``uncertain`` otherwise (a missing table is then
    only a warning)."""
    template_evidence: str = ""
    """Why that template, in the reviewer's words (the tables found and missing, the region named)."""
    declared_tables: list[str] = field(default_factory=list)
    """The standard tables the document's own contents (目录) list: the set it promises."""
    dates: list[str] = field(default_factory=list)
    """Dates printed in the document (填报日期, publication date), ISO formatted."""
    source_path: str = ""
    """The file read; for several files read as one disclosure, their paths joined by " + "."""
    source_name: str = ""
    """The name shown for the file, when it is not ``source_path``: the name an upload came with (the
    server's storage path is never shown)."""
    source_sha256: str = ""
    source_files: list[SourcePart] = field(default_factory=list)
    """The files of a disclosure published as several, with where each one's lines and pages are."""
    source_format: SourceFormat = "text"
    text_layout: TextLayout | Literal[""] = ""
    """Dominant layout of the text input: ``tab``, ``pipe`` or ``space``."""


@dataclass(slots=True)
class Part:
    """A top-level part (第一部分 概况 … 第四部分 名词解释) of the body, not the table of contents."""

    number: int
    title: str
    line: int
    last_line: int


@dataclass(slots=True)
class Heading:
    """A heading of the document's text (第一部分 …, 一、…, （一）…, or a short title such as 名词解释)."""

    text: str
    line: int
    page: int | None = None
    level: int = 2
    """1 for 第X部分, 2 for 一、 and unnumbered titles, 3 for （一）."""


@dataclass(slots=True)
class Warning_:
    """Something the parser could not do fully; the model is still usable."""

    code: str
    message: str
    line: int | None = None
    table: str | None = None


@dataclass(slots=True)
class Document:
    metadata: Metadata
    parts: list[Part] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    performance: list[PerformanceTable] = field(default_factory=list)
    self_evaluations: list[SelfEvaluation] = field(default_factory=list)
    narrative: list[NarrativeSection] = field(default_factory=list)
    prose: list[NarrativeSection] = field(default_factory=list)
    """The running text of the other parts (部门概况, 名词解释 …), read without figures: what the text rules
    (wording, names of the year) read besides the narrative."""
    toc_lines: tuple[int, int] | None = None
    """First and last line of the table of contents, when one was found."""
    blank_pages: list[int] = field(default_factory=list)
    """Pages of a PDF with no text at all (not even by OCR): blank, or an image nobody can read."""
    outline: list[Heading] = field(default_factory=list)
    """Every heading of the text outside the tables and the contents, in order."""
    warnings: list[Warning_] = field(default_factory=list)

    def table(self, table_id: str) -> Table | None:
        for table in self.tables:
            if table.id == table_id:
                return table
        return None

    def performance_table(self, table_id: str) -> PerformanceTable | None:
        """A performance table by id (B11, B12-1 …)."""
        return next((p for p in self.performance if p.id == table_id), None)

    @property
    def claims(self) -> list[NarrativeClaim]:
        return [claim for section in self.narrative for claim in section.claims]

    def fact_cells(self) -> Iterator[tuple[Table, Row, Cell]]:
        """Every non-blank amount of the standard financial tables, with its table and row: the facts."""
        for table in self.tables:
            if table.id not in FINANCIAL_IDS:
                continue
            for row in table.rows:
                for cell in row.cells:
                    if cell.value is not None:
                        yield table, row, cell
