"""The typed model of one disclosure document.

Plain dataclasses keep `import cnbudget` cheap (the CLI must start in well under half a second);
the JSON schema is generated from these classes at development time (see ``docs/schema``).
"""

from cnbudget.model.document import Document, Heading, Metadata, Part, SourcePart, Warning_
from cnbudget.model.narrative import NarrativeClaim, NarrativeSection
from cnbudget.model.performance import (
    FundSource,
    Indicator,
    PerformanceGoal,
    PerformanceTable,
    SelfEvaluation,
    TargetValue,
)
from cnbudget.model.tables import Cell, Column, Note, Project, Row, Table

__all__ = [
    "Cell",
    "Column",
    "Document",
    "Heading",
    "FundSource",
    "Indicator",
    "Metadata",
    "NarrativeClaim",
    "NarrativeSection",
    "Note",
    "Part",
    "PerformanceGoal",
    "PerformanceTable",
    "Project",
    "Row",
    "SelfEvaluation",
    "SourcePart",
    "Table",
    "TargetValue",
    "Warning_",
]
