"""The rounding model.

Published amounts are rounded to the printed precision (0.01 万元, or 1 元). A total rounded on its own
and n parts each rounded on their own can differ from the sum of the printed parts by at most
(n + 1) × half a unit: the document's "尾差". A difference within that bound is reported as a rounding
tail (info); beyond it, the identity is broken (error). Figures that are copies of one another (the same
amount printed in two tables) have no arithmetic between them; unless the copy aggregates k rounded
items, any difference is an error.

A review profile may change how much of that bound a bureau accepts (`Tolerance`): a factor on the bound,
a ceiling in money, and whether a document's own note on 尾数误差 is honoured.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cnbudget.domain.numbers import convert

HALF_CENT = Decimal("0.005")


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How much rounding the reviewer accepts in the arithmetic identities (sums and copies)."""

    rounding_factor: Decimal = Decimal(1)
    """Multiplies the rounding model's bound: 1 is the model, 0 accepts no tail (every difference an error)."""
    max_tail_yuan: Decimal | None = None
    """No difference above this many 元 is a rounding tail, however many figures were rounded."""
    declared_tails: bool = True
    """A table note declaring 尾数误差 lets copies of one figure differ by one printed unit."""

    def allowed(self, bound: Decimal, amount_unit: str) -> Decimal:
        """The model's ``bound`` (in the table's ``amount_unit``) as this practice accepts it."""
        allowed = bound * self.rounding_factor
        if self.max_tail_yuan is not None:
            allowed = min(allowed, convert(self.max_tail_yuan, "元", amount_unit))
        return allowed

    @property
    def is_default(self) -> bool:
        return self == DEFAULT_TOLERANCE


DEFAULT_TOLERANCE = Tolerance()


def unit_of(raws: list[str]) -> Decimal:
    """The printed precision: 0.01 when amounts carry two decimals, 1 for whole yuan …"""
    best = 0
    for raw in raws:
        text = raw.replace(",", "").strip()
        if "." in text:
            best = max(best, len(text.split(".", 1)[1]))
    return Decimal(1).scaleb(-best) if best else Decimal(1)


def precision(values: list[Decimal | None]) -> Decimal:
    """The printed precision of parsed amounts (a Decimal keeps its printed decimals): 0.01, or 1 …"""
    decimals = 0
    for value in values:
        if value is not None:
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > decimals:
                decimals = -exponent
    return Decimal(1).scaleb(-decimals)


def tolerance(addends: int, unit: Decimal = Decimal("0.01")) -> Decimal:
    """Largest difference explained by rounding a total and ``addends`` parts to ``unit``."""
    return (max(addends, 1) + 1) * unit / 2


def classify(difference: Decimal, addends: int, unit: Decimal = Decimal("0.01")) -> str:
    """``ok``, ``tail`` (rounding, info) or ``break`` (error)."""
    if difference == 0:
        return "ok"
    return "tail" if abs(difference) <= tolerance(addends, unit) else "break"


def display_tolerance(raw: str) -> Decimal:
    """Half a unit of the last printed digit: "55.1" stands for 55.05–55.15."""
    text = raw.replace(",", "").strip()
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return Decimal(5).scaleb(-(decimals + 1))
