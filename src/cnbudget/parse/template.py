"""Which template a document was printed from: the one whose tables it prints, region it names, kind it is.

Templates are data (domain/data/templates.toml). The match counts, for each template of the document's
kind and scope, the printed table titles that template uses (its own wording is the strongest sign), the
tables of its list that were found, and whether the organisation or title names one of its regions. When
no regional template shows any sign, the generic template of the kind is used.
"""

from __future__ import annotations

import re

from cnbudget.domain.catalog import TemplateSpec, templates
from cnbudget.domain.text import key
from cnbudget.model import Metadata

_MARKER = re.compile(
    r"^(?:表\s*\d+(?:\s*[-—–]\s*\d+)?|公开\s*\d+\s*表)\s*[.．、:：]?\s*|^[一二三四五六七八九十]+[、.．]\s*"
)
_YEAR = re.compile(r"20\d{2}\s*年度?")


def _title_key(title: str, org_names: tuple[str, ...]) -> str:
    k = key(_MARKER.sub("", title.strip()))
    k = _YEAR.sub("", k)
    for name in sorted(org_names, key=len, reverse=True):
        nk = key(name)
        if nk and nk in k:
            k = k.replace(nk, "")
    return _YEAR.sub("", k)


def match_template(
    meta: Metadata, found: list[tuple[str, str]], org_names: tuple[str, ...] = ()
) -> TemplateSpec:
    """The template of a document with metadata ``meta`` whose tables ``found`` are (id, printed title)."""
    candidates = [
        t
        for t in templates().values()
        if (not meta.kind or t.kind == meta.kind) and (not meta.scope or meta.scope in t.scopes)
    ]
    if not candidates:
        candidates = list(templates().values())
    ids = {table_id.split("-")[0] for table_id, _ in found}
    printed = {_title_key(title, org_names) for _, title in found}
    names = "".join((meta.department, meta.title, meta.region, *org_names))

    def score(t: TemplateSpec) -> tuple[float, int]:
        own = {key(title) for titles in t.titles.values() for title in titles}
        wording = sum(1 for p in printed if p in own)
        listed = len(ids & set(t.tables)) - len(ids - set(t.tables))
        region = 2 if any(r in names for r in t.regions) else 0
        signs = wording + region
        return (3 * wording + listed + region if signs or t.generic else float("-inf"), 0 if t.generic else 1)

    best = max(candidates, key=score)
    if score(best)[0] == float("-inf"):
        generic = [t for t in candidates if t.generic]
        return generic[0] if generic else best
    return best
