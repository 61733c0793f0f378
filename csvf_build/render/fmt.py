"""Figures as pages show them: rounded once, half up (value-model.md).

Money to whole currency units, ratios to 2 decimals, percentages and CSAT to
1 decimal. Every function returns `Markup`: text we built, safe to place.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup

from csvf_build.model.rounding import round_half_up

NONE = Markup("&mdash;")


def money(value: Decimal | Fraction | None, currency: str = "") -> Markup:
    if value is None:
        return NONE
    text = f"{round_half_up(value, 0):,}"
    return Markup(f"{text} {currency}".strip())


def ratio(value: Fraction | None) -> Markup:
    return NONE if value is None else Markup(str(round_half_up(value, 2)))


def percent(value: Fraction | None, decimals: int = 1) -> Markup:
    return NONE if value is None else Markup(f"{round_half_up(value, decimals)}%")


def score(value: Fraction | None) -> Markup:
    """CSAT on its 0-100 scale."""
    return NONE if value is None else Markup(str(round_half_up(value, 1)))


def number(value: Decimal | Fraction | int | None) -> Markup:
    """A plain quantity (hours, measurements): grouped, no trailing zeros, at most 4 decimals."""
    if value is None:
        return NONE
    exact = round_half_up(value, 4) if isinstance(value, Fraction) else Decimal(value)
    whole, dot, fraction = format(exact.normalize(), "f").partition(".")
    sign = "-" if whole.startswith("-") else ""
    return Markup(f"{sign}{int(whole.lstrip('-')):,}{dot}{fraction}")


def day(value: date | None) -> Markup:
    return NONE if value is None else Markup(value.isoformat())
