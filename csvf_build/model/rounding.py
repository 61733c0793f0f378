"""Rounding happens once, on output, half up (value-model.md, first paragraph)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def round_half_up(value: Decimal | Fraction | int, places: int) -> Decimal:
    """Round an exact value half up (away from zero on a tie) to `places` decimals."""
    if isinstance(value, Fraction):
        # In integers: Fraction arithmetic made new fractions at every step, and this runs for every figure shown.
        whole, rest = divmod(abs(value.numerator) * 10**places, value.denominator)
        if 2 * rest >= value.denominator:
            whole += 1
        return Decimal(-whole if value.numerator < 0 else whole).scaleb(-places)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
