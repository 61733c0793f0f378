"""Rounding happens once, on output, half up (value-model.md, first paragraph)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def round_half_up(value: Decimal | Fraction | int, places: int) -> Decimal:
    """Round an exact value half up (away from zero on a tie) to `places` decimals."""
    if isinstance(value, Fraction):
        sign = -1 if value < 0 else 1
        scaled = abs(value) * 10**places
        whole = int(scaled)
        if scaled - whole >= Fraction(1, 2):
            whole += 1
        return (Decimal(sign * whole) / Decimal(10) ** places).quantize(Decimal(1).scaleb(-places))
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
