"""Mutation testing of the narrative checks on real documents: change the words of a real disclosure the way
reviewers find them wrong, parse and audit it again, and see whether the change is caught.

Unlike `text_mutation`, which edits a text conversion, this edits the document as it was read (any format:
the lines of a PDF keep their pages and boxes, its tables are read as before), so it runs on the national
corpus of PDFs. Kinds (each one place of the running text changed, where the document's own words allow a
careful reader to see the mistake):

  * ``rate``: the rate of a change ("增长1.02%") changed in one digit (not its last: one unit of it is a
    rounding tail), where the sentence gives the figure and either its change or its base, so that the rate
    follows from them;
  * ``direction``: a rise told as a fall or the reverse — every direction word of the change turned
    (增加/增长 ↔ 减少/下降), where the figure, its change and its rate (or its base) say which it is;
  * ``repeated``: an item's amount (a paragraph about one function item) changed in one digit (not the
    last) where the document states it again — in the same paragraph or in a table: the same item given
    two amounts;
  * ``class_name``: a function class named by its name of another fiscal year (卫生健康支出 →
    医疗卫生与计划生育支出 in a 2026 document), from domain/data/function_names_by_year.csv;
  * ``share``: the share of a figure ("占92.7%") changed in one digit (not the last), where its base is a
    figure the document states (the amount divided by the share gives a printed figure);
  * ``total``: the 财政拨款 total the narrative restates from 财政拨款收支总表 changed in one digit (not the
    last).

A mutation is *detected* when the audit of the changed document has a finding (warning or error) that the
audit of the original did not have, on the changed lines or on the line where the changed sentence's figure
stands (or the one before, where a wrapped sentence starts). Lines the original already has a finding on are
not changed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from cnbudget.audit.engine import audit
from cnbudget.domain.codes import names_by_year
from cnbudget.domain.numbers import YUAN_PER_UNIT, convert
from cnbudget.domain.text import is_digits
from cnbudget.model import Document, NarrativeClaim
from cnbudget.read import Source
from support.harness.text_mutation import TextOutcome, TextSummary, places

NARRATIVE_KINDS = ("rate", "direction", "repeated", "class_name", "share", "total")

_RATE = re.compile(r"(增长|下降|降低|减少|增加|上升|下滑|增幅|降幅)(?:了|为)?\s*(\d+(?:\.\d+)?)\s*[%％]")
_SHARE = re.compile(r"占[^，,。；;\d%％]{0,16}?(\d+(?:\.\d+)?)\s*[%％]")
_TURN = {"增加": "减少", "减少": "增加", "增长": "下降", "下降": "增长", "降低": "增长", "上升": "下降"}
_TURNED = re.compile("|".join(_TURN))
_PATH = re.compile(r"[（(][类款项][)）]")
_LOOK_AHEAD = 3
"""Lines after a figure's line searched for its rate, share or direction words (a sentence wraps)."""


NarrativeOutcome = TextOutcome
NarrativeSummary = TextSummary


@dataclass(slots=True)
class _Change:
    kind: str
    anchor: int
    """The line the changed figure's finding is cited on (the claim's line)."""
    edits: dict[int, str]
    """Line number → its new text."""
    description: str


def _digit_changed(rng: random.Random, raw: str) -> str | None:
    """``raw`` with one digit, not its last, replaced: a mistyped figure beyond any rounding tail."""
    digits = [i for i, ch in enumerate(raw) if is_digits(ch)][:-1]
    if not digits:
        return None
    i = rng.choice(digits)
    choices = (
        [d for d in "123456789" if d != raw[i]]
        if i == digits[0]
        else [d for d in "0123456789" if d != raw[i]]
    )
    return raw[:i] + rng.choice(choices) + raw[i + 1 :]


def _wan(value: Decimal, unit: str) -> Decimal:
    return convert(value, unit, "万元") if unit in YUAN_PER_UNIT else value


class NarrativeHarness:
    """One real document, read once; each mutation edits its lines and parses and audits them again."""

    def __init__(self, source: Source, name: str, seed: int = 2026) -> None:
        from cnbudget.parse import parse_source

        self._parse = parse_source
        self.source = source
        self.name = name
        self.rng = random.Random(seed)
        self.index = {line.number: k for k, line in enumerate(source.lines)}
        self.doc: Document = parse_source(source)
        self.baseline = places(audit(self.doc), evidence=True)
        self.flagged = {line for _, line in self.baseline}

    # ---- one mutation -----------------------------------------------------------------------------------
    def text(self, number: int) -> str:
        k = self.index.get(number)
        return self.source.lines[k].text if k is not None else ""

    def _try(self, change: _Change) -> NarrativeOutcome:
        lines = list(self.source.lines)
        for number, new in change.edits.items():
            old = lines[self.index[number]]
            cells = [new] if old.cells is not None and len(old.cells) == 1 else old.cells
            lines[self.index[number]] = replace(old, own_text=new, cells=cells)
        doc = self._parse(replace(self.source, lines=lines))
        found = places(audit(doc), evidence=True) - self.baseline
        window = set(change.edits) | {change.anchor, change.anchor - 1}
        first = min(window)
        window |= set(range(first, max(window) + 1))
        detected = any(line in window for _, line in found)
        return NarrativeOutcome(change.kind, change.anchor, change.description, detected)

    # ---- where a claim's words are ----------------------------------------------------------------------
    def _following(self, claim: NarrativeClaim) -> list[int]:
        return [n for n in range(claim.line, claim.line + _LOOK_AHEAD + 1) if n in self.index]

    def _find(
        self, claim: NarrativeClaim, pattern: re.Pattern[str], value: Decimal
    ) -> tuple[int, re.Match[str]] | None:
        """The first match of ``pattern`` at or after the claim's figure whose number is ``value``."""
        for n in self._following(claim):
            text = self.text(n)
            start = 0
            if n == claim.line:
                at = text.find(claim.raw.split("万元")[0].split("元")[0].strip())
                start = max(at, 0)
            for m in pattern.finditer(text, start):
                if Decimal(m.group(m.lastindex or 1)) == abs(value):
                    return n, m
        return None

    # ---- candidates per kind ----------------------------------------------------------------------------
    def rate(self) -> Iterator[_Change]:
        for claim in self.doc.claims:
            if claim.change_pct is None or claim.change_pct == 0 or claim.amount is None:
                continue
            if claim.change_amount is None and claim.base_amount is None:
                continue  # the rate follows from nothing the sentence says
            found = self._find(claim, _RATE, claim.change_pct)
            if found is None:
                continue
            n, m = found
            low, high = _rate_range(claim)
            new = self._beyond(m.group(2), [(low, high)])
            if new is None:
                continue
            text = self.text(n)
            yield _Change(
                "rate",
                claim.line,
                {n: text[: m.start(2)] + new + text[m.end(2) :]},
                f"{claim.subject[-16:]} {m.group(1)}{m.group(2)}% → {new}%",
            )

    def direction(self) -> Iterator[_Change]:
        for claim in self.doc.claims:
            if claim.amount is None or claim.change_pct is None or claim.change_pct == 0:
                continue
            if not _direction_is_determined(claim):
                continue
            edits: dict[int, str] = {}
            turned: list[str] = []
            for n in self._following(claim):
                text = self.text(n)
                start = 0
                if n == claim.line:
                    start = max(text.find(claim.raw.split("万元")[0].split("元")[0].strip()), 0)
                stop = text.find("。", start)
                stop = len(text) if stop < 0 else stop
                span = text[start:stop]
                if _TURNED.search(span):
                    edits[n] = text[:start] + _TURNED.sub(lambda m: _TURN[m.group(0)], span) + text[stop:]
                    turned.extend(m.group(0) for m in _TURNED.finditer(span))
                if stop < len(text) or len(turned) >= 2:
                    break
            if edits:
                yield _Change(
                    "direction",
                    claim.line,
                    edits,
                    f"{claim.subject[-16:]}: {'/'.join(turned)} turned",
                )

    def repeated(self) -> Iterator[_Change]:
        from cnbudget.audit.context import Context
        from cnbudget.audit.figures import figure_index

        index = figure_index(Context(self.doc))
        claims = self.doc.claims
        for k, heading in enumerate(claims):
            if (
                not (heading.item and _PATH.search(heading.subject))
                or heading.unit != "万元"
                or not heading.amount
            ):
                continue
            _, refs = index.lookup(heading.subject, heading.section, heading.scope)
            if any(r.value_in("万元") == heading.amount for r in refs):
                yield from self._mistyped("repeated", heading, "报表另有")
            for later in claims[k + 1 :]:
                if later.block != heading.block or later.section != heading.section:
                    break
                if (
                    later.amount == heading.amount
                    and later.measure == heading.measure
                    and later.subject.strip()
                    and not _PATH.search(later.subject)
                ):
                    yield from self._mistyped("repeated", later, "段内另有")
                    break

    def _mistyped(self, kind: str, claim: NarrativeClaim, note: str = "") -> Iterator[_Change]:
        """The claim's figure with one digit (not the last) changed where its line prints it."""
        text = self.text(claim.line)
        at = text.find(claim.raw)
        if at < 0:
            return
        number = re.sub(r"\s*(?:万元|亿元|元)$", "", claim.raw)
        new = _digit_changed(self.rng, number)
        if new is None:
            return
        yield _Change(
            kind,
            claim.line,
            {claim.line: text[:at] + claim.raw.replace(number, new, 1) + text[at + len(claim.raw) :]},
            f"{claim.subject[-16:]} {number} → {new}" + (f"（{note} {number}）" if note else ""),
        )

    def class_name(self) -> Iterator[_Change]:
        year = self.doc.metadata.fiscal_year
        if not year:
            return
        narrative = sorted({n for s in self.doc.narrative for _, n, _ in s.line_starts})
        for periods in names_by_year().values():
            current = next((p for p in periods if p.covers(year)), None)
            if current is None:
                continue
            others = [p for p in periods if not p.covers(year) and p.name != current.name]
            if not others:
                continue
            stem = current.name.removesuffix("支出") if len(current.name) > 5 else current.name
            for n in narrative:
                text = self.text(n)
                for m in re.finditer(re.escape(stem) + r"(?:支出)?(?=\s*[（(][类款项][)）]|\s*\d)", text):
                    other = self.rng.choice(others).name
                    yield _Change(
                        "class_name",
                        n,
                        {n: text[: m.start()] + other + text[m.end() :]},
                        f"{m.group(0)} → {other}（{year} 年）",
                    )

    def share(self) -> Iterator[_Change]:
        figures = self._figures()
        for claim in self.doc.claims:
            pct = claim.share_pct
            if pct is None or pct <= 0 or claim.amount is None or claim.amount <= 0:
                continue
            amount = _wan(claim.amount, claim.unit)
            ranges = [_ratio_range(amount, f) for f in figures if f > 0 and f >= amount * Decimal("0.99")]
            if not any(r[0] - _unit(pct) <= pct <= r[1] + _unit(pct) for r in ranges):
                continue  # no printed figure is its base: nobody can check this share
            found = self._find(claim, _SHARE, pct)
            if found is None:
                continue
            n, m = found
            new = self._beyond(m.group(1), ranges)
            if new is None:
                continue  # every change of a digit still fits some printed figure as the base
            text = self.text(n)
            yield _Change(
                "share",
                claim.line,
                {n: text[: m.start(1)] + new + text[m.end(1) :]},
                f"{claim.subject[-16:]} 占{m.group(1)}% → {new}%",
            )

    def total(self) -> Iterator[_Change]:
        b04 = self.doc.table("B04")
        if b04 is None:
            return
        from cnbudget.model.summary import read_side

        totals: set[Decimal] = set()
        for side in (read_side(b04, "收入"), read_side(b04, "支出")):
            for row in (side.grand, side.subtotal, side.head):
                if row is not None:
                    totals.update(
                        _wan(c.value, b04.amount_unit)
                        for c in row.cells[:1]
                        if c.value is not None and c.value
                    )
        for claim in self.doc.claims:
            if "财政拨款" not in claim.subject or claim.amount is None:
                continue
            if _wan(claim.amount, claim.unit) in totals:
                yield from self._mistyped("total", claim)

    def _beyond(self, raw: str, ranges: list[tuple[Decimal, Decimal]], tries: int = 6) -> str | None:
        """``raw`` (a printed rate or share) with one digit changed so that no range allows it (each widened
        by one unit of the printed value and more: shares are evened out to add up to 100%)."""
        for _ in range(tries):
            new = _digit_changed(self.rng, raw)
            if new is None:
                return None
            value = Decimal(new)
            margin = 2 * _unit(value)
            if not any(low - margin <= value <= high + margin for low, high in ranges):
                return new
        return None

    def _figures(self) -> list[Decimal]:
        """Every figure the document prints, in 万元: the narrative's and the tables' (the bases of shares)."""
        out = [
            _wan(c.amount, c.unit)
            for c in self.doc.claims
            if c.amount is not None and c.unit in YUAN_PER_UNIT
        ]
        for table in self.doc.tables:
            for row in table.rows:
                out.extend(_wan(c.value, table.amount_unit) for c in row.cells if c.value is not None)
        return out

    def run(self, per_kind: int) -> Iterator[NarrativeOutcome]:
        for kind in NARRATIVE_KINDS:
            seen: set[tuple[int, ...]] = set()
            candidates = []
            for change in getattr(self, kind)():
                lines = tuple(sorted(change.edits))
                if any(n in self.flagged for n in lines) or change.anchor in self.flagged or lines in seen:
                    continue  # a line the original has a finding on cannot show a new one
                if all(self.text(n) == new for n, new in change.edits.items()):
                    continue
                seen.add(lines)
                candidates.append(change)
            self.rng.shuffle(candidates)
            for change in candidates[:per_kind]:
                yield self._try(change)


def _places_of(value: Decimal) -> int:
    """Decimal places as printed ("2.00" has two)."""
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def _unit(value: Decimal) -> Decimal:
    """One unit of the last printed place."""
    return Decimal(1).scaleb(-_places_of(value))


def _ratio_range(part: Decimal, whole: Decimal) -> tuple[Decimal, Decimal]:
    """The percentages ``part`` ÷ ``whole`` can be, each anywhere in its rounding interval."""
    tp, tw = _unit(part) / 2, _unit(whole) / 2
    low = max(part - tp, Decimal(0)) * 100 / (whole + tw)
    high = (part + tp) * 100 / (whole - tw) if whole > tw else Decimal("Infinity")
    return low, high


def _rate_range(claim: NarrativeClaim) -> tuple[Decimal, Decimal]:
    """The rates of change the claim's printed figures allow (its amount and its change, or its base)."""
    assert claim.amount is not None
    a, ta = claim.amount, _unit(claim.amount) / 2
    if claim.base_amount is not None:
        b, tb = claim.base_amount, _unit(claim.base_amount) / 2
        corners = [((a + x) - (b + y)) / (b + y) * 100 for x in (-ta, ta) for y in (-tb, tb) if b + y > 0]
    else:
        assert claim.change_amount is not None
        c, tc = abs(claim.change_amount), _unit(claim.change_amount) / 2
        sign = 1 if claim.change_amount >= 0 else -1
        corners = []
        for x in (-ta, ta):
            for y in (-tc, tc):
                prior = (a + x) - sign * (c + y)
                if prior > 0:
                    corners.append((c + y) * 100 / prior)
    if not corners:
        return Decimal(0), Decimal("Infinity")
    return abs(min(corners, key=abs)), abs(max(corners, key=abs))


def _direction_is_determined(claim: NarrativeClaim) -> bool:
    """Whether the figure, its change and its rate (or the base it names) say which way it went: a rise of
    c to the amount a has the rate c ÷ (a − c), a fall c ÷ (a + c); the two must differ beyond the printed
    rate's rounding."""
    assert claim.amount is not None and claim.change_pct is not None
    if claim.base_amount is not None:
        return claim.base_amount != claim.amount
    if claim.change_amount is None or claim.change_amount == 0:
        return False
    a, c = claim.amount, abs(claim.change_amount)
    if a - c <= 0:
        return True  # only a fall fits
    rise, fall = c / (a - c) * 100, c / (a + c) * 100
    return abs(rise - fall) > 2 * _unit(claim.change_pct)


def mutate_narrative(source: Source, name: str, per_kind: int = 5, seed: int = 2026) -> NarrativeSummary:
    summary = NarrativeSummary(name)
    summary.outcomes.extend(NarrativeHarness(source, name, seed).run(per_kind))
    return summary
