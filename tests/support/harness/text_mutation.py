"""Mutation testing of the reviewer rules: change the words of a seed the way real disclosures get them
wrong, parse and audit again, and see whether the change is caught.

Kinds (each one line of the narrative changed, at a place the audit can judge):
  * ``direction``: a direction word swapped (增加 ↔ 减少, 增长 ↔ 下降, 大于 ↔ 小于) in a sentence that gives
    both the change and its rate, or that states 决算数大于/小于预算数 after its figures;
  * ``year``: the year a figure is compared with set to the document's own year ("与2026年预算相比" in a
    2026 budget), or a figure's year set to the year before;
  * ``punctuation``: a comma or full stop doubled;
  * ``name``: an item's name (…（项）) replaced by the name of another item with a different amount;
  * ``purpose``: what an item is "主要用于" exchanged with the purpose of an item of another topic (医疗,
    养老和离退休, 住房: domain/data/purposes.toml);
  * ``amount``: one digit (not the last: one unit of it is a rounding tail) of an amount the narrative
    restates from a table, changed in the narrative.
A mutation is *detected* when the audit of the changed document has a finding (warning or error) on the
changed line (or on the line before, where a wrapped sentence starts) that the audit of the original did
not have; lines the original already has a finding on are
not changed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from cnbudget.audit.engine import AuditReport, audit
from cnbudget.audit.rules.narrative.purposes import purpose_topics
from cnbudget.domain.text import is_digits, key
from cnbudget.domain.vocabulary import SEVERITY_RANK

TEXT_KINDS = ("direction", "year", "punctuation", "name", "purpose", "amount")

_OPPOSITE = {"增加": "减少", "减少": "增加", "增长": "下降", "下降": "增长", "大于": "小于", "小于": "大于"}
_DIRECTION_WORD = re.compile(r"增加|减少|增长|下降")
_STATED = re.compile(r"决算数?(大于|小于)(?:年初|全年)?预算")
_ITEM = re.compile(r"(?:[^（）()，,。；;：:、\s\d“”]|[（(][^类款项（）()]{1,3}[)）]){2,30}?[（(]项[)）]")
_PURPOSE = re.compile(r"主要用于[：:]?([^。；]{4,60})")


@dataclass(slots=True)
class TextOutcome:
    kind: str
    line: int
    description: str
    detected: bool


@dataclass
class TextSummary:
    document: str
    outcomes: list[TextOutcome] = field(default_factory=list)

    def rate(self, kind: str | None = None) -> tuple[int, int]:
        scoped = [o for o in self.outcomes if kind is None or o.kind == kind]
        return sum(1 for o in scoped if o.detected), len(scoped)


def places(report: AuditReport, evidence: bool = False) -> set[tuple[str, int]]:
    """(rule, line) of every warning or error, the folded ones included; with ``evidence``, the lines of the
    text a finding quotes too (a PDF finding cites its page, its evidence the lines)."""
    out: set[tuple[str, int]] = set()
    for finding in report.findings:
        for f in [finding, *finding.related]:
            if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"]:
                out.update((f.rule_id, line) for line in f.lines)
                if evidence:
                    out.update((f.rule_id, ev.line) for ev in f.evidence if ev.line and ev.kind == "line")
    return out


class TextHarness:
    def __init__(self, text: str, name: str, seed: int = 2026) -> None:
        from cnbudget.parse import parse_text

        self._parse = parse_text
        self.source_name = name
        self.lines = text.split("\n")
        self.rng = random.Random(seed)
        self.doc = parse_text(text, name)
        self.baseline = places(audit(self.doc))
        self.fiscal_year = self.doc.metadata.fiscal_year

    # ---- one mutation ---------------------------------------------------------------------------------
    def _try(self, kind: str, number: int, new_line: str, description: str) -> TextOutcome:
        lines = list(self.lines)
        lines[number - 1] = new_line
        doc = self._parse("\n".join(lines), self.source_name)
        found = places(audit(doc)) - self.baseline
        # a sentence wrapped over two lines is cited by the line it starts on
        return TextOutcome(kind, number, description, any(line in (number - 1, number) for _, line in found))

    # ---- candidates per kind -----------------------------------------------------------------------------
    def _narrative_lines(self) -> list[int]:
        out: list[int] = []
        for section in self.doc.narrative:
            out.extend(range(section.line + 1, section.last_line + 1))
        return [n for n in out if 0 < n <= len(self.lines) and self.lines[n - 1].strip()]

    def direction(self) -> Iterator[tuple[int, str, str]]:
        for claim in self.doc.claims:
            if not (claim.change_amount and claim.change_pct):
                continue
            line = self.lines[claim.line - 1]
            words = list(_DIRECTION_WORD.finditer(line))
            if len(words) < 2:
                continue  # the change and its rate on different lines
            first = words[0]
            yield (
                claim.line,
                line[: first.start()] + _OPPOSITE[first.group(0)] + line[first.end() :],
                f"{first.group(0)} → {_OPPOSITE[first.group(0)]}",
            )
        for number in self._narrative_lines():
            line = self.lines[number - 1]
            stated = _STATED.search(line)
            if stated and re.search(
                r"预算(?:数)?为?\s*[\d,.]+\s*万元.*决算(?:数)?为?\s*[\d,.]+\s*万元", line[: stated.start()]
            ):
                word = stated.group(1)
                yield (
                    number,
                    line[: stated.start(1)] + _OPPOSITE[word] + line[stated.end(1) :],
                    f"决算数{word} → {_OPPOSITE[word]}",
                )

    def year(self) -> Iterator[tuple[int, str, str]]:
        if not self.fiscal_year:
            return
        for claim in self.doc.claims:
            line = self.lines[claim.line - 1]
            if claim.compared_year == self.fiscal_year - 1:
                m = re.search(rf"(?:比|较|与|同)\s*{self.fiscal_year - 1}\s*年", line)
                if m:
                    new = m.group(0).replace(str(self.fiscal_year - 1), str(self.fiscal_year))
                    yield (
                        claim.line,
                        line[: m.start()] + new + line[m.end() :],
                        f"比{self.fiscal_year - 1}年 → 比{self.fiscal_year}年",
                    )
            elif claim.year == self.fiscal_year and claim.change_amount is None:
                m = re.search(rf"{self.fiscal_year}\s*年", line)
                if m and m.start() <= line.find(claim.raw):
                    new = line[: m.start()] + str(self.fiscal_year - 1) + line[m.start() + 4 :]
                    yield (
                        claim.line,
                        new,
                        f"{self.fiscal_year}年 → {self.fiscal_year - 1}年（{claim.subject}）",
                    )

    def punctuation(self) -> Iterator[tuple[int, str, str]]:
        for number in self._narrative_lines():
            line = self.lines[number - 1]
            marks = [i for i, ch in enumerate(line) if ch in "，。"]
            if marks:
                i = self.rng.choice(marks)
                yield number, line[: i + 1] + line[i] + line[i + 1 :], f"“{line[i]}” doubled"

    def name(self) -> Iterator[tuple[int, str, str]]:
        items: dict[str, set[Decimal]] = {}
        for claim in self.doc.claims:
            for m in _ITEM.finditer(claim.subject):
                if claim.amount is not None:
                    items.setdefault(m.group(0), set()).add(claim.amount)
        names = sorted(items)
        for claim in self.doc.claims:
            own = [n for n in names if n in claim.subject]
            line = self.lines[claim.line - 1]
            if not own or claim.amount is None or own[-1] not in line:
                continue
            others = [
                n for n in names
                if claim.amount not in items[n] and n not in claim.subject and key(n) != key(own[-1])
            ]  # fmt: skip
            if others:
                other = self.rng.choice(others)
                yield claim.line, line.replace(own[-1], other, 1), f"{own[-1]} → {other}"

    def purpose(self) -> Iterator[tuple[int, str, str]]:
        found = [(n, m) for n in self._narrative_lines() if (m := _PURPOSE.search(self.lines[n - 1]))]
        for k, (number, m) in enumerate(found):
            # in scope: a purpose of another topic (医疗, 住房 …, domain/data/purposes.toml) — two purposes
            # of one topic are both plausible for either item
            mine = purpose_topics(m.group(1), "purpose")
            others = [
                o for _, o in found[:k] + found[k + 1 :]
                if o.group(1) != m.group(1) and mine and (theirs := purpose_topics(o.group(1), "purpose")) and not mine & theirs
            ]  # fmt: skip
            if others:
                other = self.rng.choice(others).group(1)
                line = self.lines[number - 1]
                yield number, line[: m.start(1)] + other + line[m.end(1) :], f"用途 → “{other[:16]}…”"

    def _shared(self) -> set[int]:
        """ids of the claims whose amount a table states (the figures NARR-AMOUNT-001 holds to a cell)."""
        from cnbudget.audit.context import Context
        from cnbudget.audit.figures import figure_index

        index = figure_index(Context(self.doc))
        out: set[int] = set()
        for claim in self.doc.claims:
            if claim.amount is None or claim.unit != "万元":
                continue
            _, refs = index.lookup(claim.subject, claim.section)
            if any(r.value_in("万元") == claim.amount for r in refs):
                out.add(id(claim))
        return out

    def amount(self) -> Iterator[tuple[int, str, str]]:
        shared = self._shared()
        for claim in self.doc.claims:
            if claim.amount is None or claim.amount == 0 or id(claim) not in shared:
                continue  # a figure no table states is beyond this kind (the issue: one place of two)
            line = self.lines[claim.line - 1]
            at = line.find(claim.raw)
            digits = [at + i for i, ch in enumerate(claim.raw) if is_digits(ch)] if at >= 0 else []
            if "." in claim.raw:
                digits = digits[:-1]  # one unit of the last place is a rounding tail (info), not a mistake
            if not digits:
                continue
            i = self.rng.choice(digits)
            digit = self.rng.choice([d for d in "123456789" if d != line[i]])
            yield (
                claim.line,
                line[:i] + digit + line[i + 1 :],
                f"{claim.raw} → {line[at:i] + digit + line[i + 1 : at + len(claim.raw)]}",
            )

    def run(self, per_kind: int) -> Iterator[TextOutcome]:
        flagged = {line for _, line in self.baseline}
        for kind in TEXT_KINDS:
            # a line the original already has a finding on cannot show a new one: not a fair test
            candidates = [c for c in dict.fromkeys(getattr(self, kind)()) if c[0] not in flagged]
            self.rng.shuffle(candidates)
            for number, new_line, description in candidates[:per_kind]:
                if new_line != self.lines[number - 1]:
                    yield self._try(kind, number, new_line, description)


def mutate_text(text: str, name: str, per_kind: int = 40, seed: int = 2026) -> TextSummary:
    summary = TextSummary(name)
    summary.outcomes.extend(TextHarness(text, name, seed).run(per_kind))
    return summary
