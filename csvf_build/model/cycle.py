"""The selling cycle across customers for one period: touchpoints, the days between them, who is left alone.

A touchpoint is a meeting record (value-model.md, "One customer, one period");
its `stage` says where in the purchase it fell. The gaps are the days between
one customer's consecutive meetings in the period, so a month of silence shows
even when the yearly count looks healthy. The median is exact: the mean of the
two middle gaps (a Fraction) when their number is even.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from itertools import pairwise

from csvf_build.model.figures import Figures


def median(values: Sequence[int]) -> Fraction | None:
    """The exact median; none of no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def gaps(dates: Sequence[date]) -> tuple[int, ...]:
    """Days between consecutive touchpoints, in date order (two on one day: a gap of 0)."""
    ordered = sorted(dates)
    return tuple((later - earlier).days for earlier, later in pairwise(ordered))


@dataclass(frozen=True)
class CustomerCycle:
    """One customer's touchpoints in the period."""

    id: str
    touchpoints: int
    by_stage: dict[str, int]  # before | during | after the purchase -> count
    last: date | None  # the latest touchpoint in the period
    gaps: tuple[int, ...]  # days between consecutive touchpoints

    @property
    def median_gap(self) -> Fraction | None:
        return median(self.gaps)


@dataclass(frozen=True)
class SellingCycle:
    """Every customer of the period (by id) with its touchpoints; the pooled median gap."""

    customers: dict[str, CustomerCycle] = field(default_factory=dict)  # by id, in id order
    left_alone: tuple[str, ...] = ()  # customers of the period without a touchpoint in it, by id
    all_gaps: tuple[int, ...] = field(default=(), repr=False)

    @property
    def median_gap(self) -> Fraction | None:
        """The median of every customer's gaps together: the portfolio's usual wait between touchpoints."""
        return median(self.all_gaps)


def selling_cycle(figures: Mapping[str, Figures], touchpoint_dates: Mapping[str, Sequence[date]]) -> SellingCycle:
    """The cycle of the customers counted in the period (those whose figures count a customer).

    `touchpoint_dates` holds each customer's meeting dates within the period.
    """
    rows = []
    for cid in sorted(figures):
        f = figures[cid]
        if not f.customers:
            continue  # not a customer of this period: no revenue entry and no record in it
        dates = sorted(touchpoint_dates.get(cid, ()))
        rows.append(CustomerCycle(cid, f.touchpoints, dict(f.touchpoints_by_stage), dates[-1] if dates else None, gaps(dates)))
    return SellingCycle(
        customers={r.id: r for r in rows},
        left_alone=tuple(r.id for r in rows if not r.touchpoints),
        all_gaps=tuple(g for r in rows for g in r.gaps),
    )
