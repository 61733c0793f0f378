"""Break-even: the month from which cumulative benefits stay at or above cost.

value-model.md, "Break-even". Spend is spread evenly over the months of each
fiscal year that lie between the month of `since` and the build month; benefits
and time cost count in their record's month. All sums are exact fractions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from csvf_build.model.periods import Month, fiscal_year, months_between


@dataclass(frozen=True)
class MonthPoint:
    month: Month
    benefits: Fraction  # cumulative
    cost: Fraction  # cumulative total cost (spend + time cost)

    @property
    def in_profit_zone(self) -> bool:
        return self.benefits >= self.cost


@dataclass(frozen=True)
class BreakEven:
    month: Month | None
    timeline: tuple[MonthPoint, ...]


def break_even(
    since: date,
    today: date,
    fiscal_year_start: int,
    revenue: dict[int, Decimal],
    dated: Iterable[tuple[date, Decimal, Decimal]],
) -> BreakEven:
    """`dated` holds (record date, benefit, time cost) for every record."""
    months = months_between(Month.of(since), Month.of(today))
    benefits = {m: Fraction(0) for m in months}
    costs = {m: Fraction(0) for m in months}
    by_year: dict[int, list[Month]] = {}
    for month in months:
        by_year.setdefault(fiscal_year(date(month.year, month.month, 1), fiscal_year_start), []).append(month)
    for year, amount in revenue.items():
        covered = by_year.get(year, [])
        for month in covered:
            costs[month] += Fraction(amount) / len(covered)
    total_benefits = Fraction(0)
    for day, benefit, time_cost in dated:
        month = Month.of(day)
        if month in benefits:
            benefits[month] += Fraction(benefit)
            costs[month] += Fraction(time_cost)
            total_benefits += Fraction(benefit)

    timeline, running_benefits, running_cost = [], Fraction(0), Fraction(0)
    for month in months:
        running_benefits += benefits[month]
        running_cost += costs[month]
        timeline.append(MonthPoint(month, running_benefits, running_cost))

    found: Month | None = None
    if total_benefits > 0:
        for point in reversed(timeline):
            if not point.in_profit_zone:
                break
            found = point.month
    return BreakEven(found, tuple(timeline))
