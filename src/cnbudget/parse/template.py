"""Which template a document was printed from, and how sure that is.

Templates are data (domain/data/templates.toml): each is the set of national-standard tables a region's
documents print, by id. The tables a document holds are recognised by what they contain (parse.segment,
parse.recognise), whatever their titles, so a template is matched by content: the share of its required
tables the document prints, the tables it prints that the template does not have, and whether the document
names one of the template's regions. The match comes with a confidence:

- ``certain``: the document names the template's region and prints (nearly) all of its required tables and
  no table foreign to it;
- ``likely``: most of the template's required tables are printed;
- ``uncertain``: neither — the generic template of the kind is used, and a table it requires that is not
  found is reported as a warning that lists what was found, not as an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnbudget.domain.catalog import TemplateSpec, templates
from cnbudget.domain.i18n import t
from cnbudget.model import Metadata

_CERTAIN_SHARE = 0.8
"""Share of a template's required tables a document must print for the match to be certain."""
_LIKELY_SHARE = 0.6
_NATIONAL_SHARE = 0.85
"""Share of the national standard's required tables that makes a document certainly follow it."""
_FOREIGN_ALLOWED = 1
"""Tables foreign to a template a certain match may print (a region adds a table now and then)."""
_SIGNATURE = 2
"""Tables beyond the national standard a document must print to follow a regional template it does not name."""


@dataclass(frozen=True, slots=True)
class TemplateMatch:
    template: TemplateSpec
    confidence: str
    """certain, likely or uncertain."""
    evidence: str
    """Why, in the reviewer's words."""


def _standard(found: list[str]) -> set[str]:
    """The standard tables among those found (numbered performance tables as B12; other tables left out)."""
    return {
        "B12" if table_id.startswith("B12") else table_id
        for table_id in found
        if not table_id.startswith("X")
    }


def match_template(meta: Metadata, found: list[str], org_names: tuple[str, ...] = ()) -> TemplateMatch:
    """The template of a document with metadata ``meta`` whose recognised tables are ``found``."""
    candidates = [
        tp
        for tp in templates().values()
        if (not meta.kind or tp.kind == meta.kind) and (not meta.scope or meta.scope in tp.scopes)
    ] or list(templates().values())
    printed = _standard(found)
    names = "".join((meta.department, meta.organisation, meta.title, meta.region, *org_names))
    generic = next((tp for tp in candidates if tp.generic), candidates[0])
    standard = set(generic.required)

    def measure(tp: TemplateSpec) -> tuple[float, int, bool, int]:
        required = set(tp.required)
        share = len(printed & required) / len(required) if required else 0.0
        foreign = len(printed - set(tp.tables))
        named = any(r in names for r in tp.regions)
        specific = len(printed & (required - standard))  # tables it requires beyond the national standard
        return share, foreign, named, specific

    # a regional template is chosen when the document prints its set and either names its region or prints
    # the tables that set it apart from the national standard; otherwise the national template of the kind
    def fits(tp: TemplateSpec) -> bool:
        share, foreign, named, specific = measure(tp)
        if named:
            return share >= _LIKELY_SHARE and foreign <= _FOREIGN_ALLOWED
        # unnamed, the content alone must be the template's signature: all of its tables, nothing else,
        # and at least two that the national standard does not require (湖州 prints 杭州's set)
        return share == 1.0 and not foreign and specific >= _SIGNATURE

    regional = [tp for tp in candidates if not tp.generic and fits(tp)]
    best = (
        max(regional, key=lambda tp: (measure(tp)[2], measure(tp)[0] - 0.25 * measure(tp)[1], measure(tp)[3]))
        if regional
        else generic
    )
    share, foreign, named, _ = measure(best)
    if not best.generic and named and share >= _CERTAIN_SHARE and foreign <= _FOREIGN_ALLOWED:
        confidence = "certain"
    elif best.generic and share >= _NATIONAL_SHARE and not foreign:
        confidence = "certain"  # the national standard set, whole or all but one, and nothing else
    elif share >= _LIKELY_SHARE:
        confidence = "likely"
    else:
        confidence = "uncertain"
    missing = [table_id for table_id in best.required if table_id not in printed]
    extra = sorted(printed - set(best.tables))
    evidence = t(
        f"印有其要求的 {len(best.required) - len(missing)}/{len(best.required)} 张表"
        + (f"，缺 {'、'.join(missing)}" if missing else "")
        + (f"；另有模板外的 {'、'.join(extra)}" if extra else "")
        + ("；文件所署地区属该模板" if named else ""),
        f"prints {len(best.required) - len(missing)} of the {len(best.required)} tables it requires"
        + (f", lacks {', '.join(missing)}" if missing else "")
        + (f"; also {', '.join(extra)} outside it" if extra else "")
        + ("; the document names its region" if named else ""),
    )
    return TemplateMatch(best, confidence, evidence)
