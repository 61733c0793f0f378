"""Half-up rounding of exact fractions, against Decimal division at a precision far beyond any figure's."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from fractions import Fraction

from csvf_build.model.rounding import round_half_up


def reference(value: Fraction, places: int) -> Decimal:
    """A quotient that ends is exact at 100 digits; one that does not cannot be a tie, and 100 digits decide its side."""
    with localcontext(Context(prec=100)):
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def test_ties_go_away_from_zero() -> None:
    assert str(round_half_up(Fraction(5, 2), 0)) == "3"
    assert str(round_half_up(Fraction(-5, 2), 0)) == "-3"
    assert str(round_half_up(Fraction(1, 8), 2)) == "0.13"
    assert str(round_half_up(Fraction(-1, 8), 2)) == "-0.13"
    assert str(round_half_up(Fraction(1, 3), 4)) == "0.3333"
    assert str(round_half_up(Fraction(0), 2)) == "0.00"


def test_random_fractions_round_as_exact_decimal_division_does() -> None:
    rng = random.Random(11)
    for _ in range(20_000):
        value = Fraction(rng.randint(-(10**12), 10**12), rng.randint(1, 10**7))
        if rng.random() < 0.2:
            value = Fraction(rng.randint(-999, 999) * 5, 10 ** rng.randint(1, 4))  # a tie, or close to one
        for places in (0, 1, 2, 4):
            got = round_half_up(value, places)
            assert got == reference(value, places) and got.as_tuple().exponent == -places, (value, places)
