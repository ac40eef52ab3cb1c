"""The HTML kit: one page shell, one base style and one escaping for every HTML file the package writes
(the audit report, the checklist, a library answer, a version comparison).

Every piece of document text reaches a page through `e` (names, labels and messages are untrusted input),
and a page is self-contained: its style is inline, its pictures data URIs, so it opens offline and on an
intranet without any server.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date

from cnbudget.domain.version import __version__

FONT = '"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif'
"""Chinese first: the fonts that ship with Linux desktops, Windows and macOS."""

BASE_CSS = (
    f"body{{font-family:{FONT};margin:2em auto;max-width:1200px;padding:0 1em;color:#222;line-height:1.5}}"
    "h1{font-size:1.4em}h2{font-size:1.25em;border-bottom:2px solid #444;padding-bottom:.2em;margin-top:2em}"
    "h3{font-size:1.05em}.meta,.note{color:#666;font-size:.85em}.scroll{overflow-x:auto}"
    "td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    ".sev-error{color:#b00020}.sev-warning{color:#9a6700}.sev-info{color:#666}\n"
)
"""What every page shares; each kind of file adds only the style of its own parts."""


def e(value: object) -> str:
    """Text for HTML content or a quoted attribute value."""
    return html.escape(str(value), quote=True)


def page(title: str, parts: Iterable[str], css: str = "", lang: str = "zh-CN") -> str:
    """A whole page: ``title`` (plain text, escaped here), the base style and ``css``, and the body's
    ``parts`` (HTML, already escaped by their writer)."""
    head = (
        f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8"><title>{e(title)}</title>'
        f"<style>{BASE_CSS}{css}</style></head><body>"
    )
    return head + "".join(parts) + "</body></html>"


def stamp(*more: str) -> str:
    """The line under a page's title: the version of cnbudget that wrote it, the day, and ``more``."""
    return f'<div class="meta">{" · ".join([f"cnbudget {e(__version__)}", date.today().isoformat(), *more])}</div>'
