"""Reading: any input file becomes a `Source` of numbered lines, each with its cells when known.

Text conversions come in three layouts (tab-separated, Markdown pipe tables, space-separated); PDF and
spreadsheet readers produce the same `Source`, with page numbers and boxes filled in.
"""

from cnbudget.read.source import (
    Line,
    ReadOptions,
    Source,
    read_bundle,
    read_path,
    source_from_bytes,
    source_from_text,
)

__all__ = [
    "Line", "ReadOptions", "Source", "read_bundle", "read_path", "source_from_bytes",
    "source_from_text",
]  # fmt: skip
