"""Figures across customers for one period (value-model.md, "Across customers").

Pages only format what is here; nothing below is recomputed by a template.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from csvf_build.model.cycle import SellingCycle, selling_cycle
from csvf_build.model.figures import Figures, percent, ratio, total

TOP_FRACTION = Fraction(1, 5)  # the "20%" of the 80/20 rule
EIGHTY = Fraction(80)  # the "80%" of the 80/20 rule, as a percentage


@dataclass(frozen=True)
class Share:
    """One customer's place in the portfolio for one period."""

    revenue_share: Fraction | None  # percentage
    cost_to_serve_share: Fraction | None  # percentage
    over_serviced: bool

    @property
    def servicing_index(self) -> Fraction | None:
        """Cost-to-serve share / revenue share, the number the over-servicing flag compares; none without spend."""
        if self.cost_to_serve_share is None or not self.revenue_share:
            return None
        return self.cost_to_serve_share / self.revenue_share


@dataclass(frozen=True)
class ParetoRow:
    id: str
    spend: Decimal
    cumulative_share: Fraction  # percentage


@dataclass(frozen=True)
class Pareto:
    rows: tuple[ParetoRow, ...]
    top_count: int  # ceil(n x TOP_FRACTION)
    top_share: Fraction | None  # percentage of revenue the top 20% bring
    top_fraction: Fraction = field(default=Fraction(20))  # the "20%" as a percentage, for pages to print

    def customers_for(self, share: Fraction) -> int | None:
        """How many of the largest customers it takes to reach `share` percent of revenue; none without spend."""
        return next((i for i, row in enumerate(self.rows, start=1) if row.cumulative_share >= share), None)


@dataclass(frozen=True)
class Group:
    """A segment's or tier's figures: sums, ratios recomputed from the sums."""

    name: str
    figures: Figures
    over_serviced: int

    @property
    def cost_to_serve_per_customer(self) -> Fraction | None:
        """What this level of service costs us per customer of the period: cost to serve / customers."""
        return ratio(self.figures.cost_to_serve, Fraction(self.figures.customers))

    @property
    def spend_per_customer(self) -> Fraction | None:
        """What a customer of this group brings on average: spend / customers (beside what it costs)."""
        return ratio(self.figures.spend, Fraction(self.figures.customers))


@dataclass(frozen=True)
class Portfolio:
    period: str  # "2026" or "all"
    figures: Figures
    shares: dict[str, Share]
    pareto: Pareto
    segments: tuple[Group, ...]
    tiers: tuple[Group, ...]
    cycle: SellingCycle = field(default_factory=SellingCycle)  # touchpoints and the days between them
    members: tuple[str, ...] = ()  # customers of the period (a revenue entry or a record in it; all time: all), by id

    @property
    def whole(self) -> Group:
        """The whole portfolio as one group (its per-customer figures beside the segments' and tiers')."""
        return Group("all", self.figures, len(self.over_serviced))

    @property
    def over_serviced(self) -> tuple[str, ...]:
        """The over-serviced customers of the period, by id."""
        return tuple(cid for cid in self.members if self.shares[cid].over_serviced)


def shares(figures: dict[str, Figures], over_servicing_ratio: Decimal) -> dict[str, Share]:
    """Revenue and cost-to-serve shares, and the over-servicing flag, per customer."""
    all_spend = sum((f.spend for f in figures.values()), Decimal(0))
    all_cost = sum((f.cost_to_serve for f in figures.values()), Decimal(0))
    result = {}
    for cid, f in figures.items():
        revenue_share = percent(f.spend, all_spend)
        cost_share = percent(f.cost_to_serve, all_cost)
        if not f.cost_to_serve:
            over = False
        elif not f.spend:
            over = True
        else:
            over = cost_share / revenue_share >= Fraction(over_servicing_ratio)  # type: ignore[operator]
        result[cid] = Share(revenue_share, cost_share, over)
    return result


def pareto(figures: dict[str, Figures]) -> Pareto:
    """Customers with spend, largest first (ties by id), with the top-20% headline."""
    paying = sorted(((cid, f.spend) for cid, f in figures.items() if f.spend > 0), key=lambda item: (-item[1], item[0]))
    all_spend = sum((spend for _, spend in paying), Decimal(0))
    rows, running = [], Decimal(0)
    for cid, spend in paying:
        running += spend
        rows.append(ParetoRow(cid, spend, percent(running, all_spend) or Fraction(0)))
    top = math.ceil(len(paying) * TOP_FRACTION)
    top_share = percent(sum((s for _, s in paying[:top]), Decimal(0)), all_spend) if paying else None
    return Pareto(tuple(rows), top, top_share, TOP_FRACTION * 100)


def groups(names: list[str], member_of: dict[str, str], figures: dict[str, Figures], flags: dict[str, Share]) -> tuple[Group, ...]:
    """Sum figures over the customers of each named group, in the given order."""
    return tuple(
        Group(
            name,
            total(f for cid, f in figures.items() if member_of[cid] == name),
            sum(1 for cid in figures if member_of[cid] == name and flags[cid].over_serviced),
        )
        for name in names
    )


def portfolio(
    period: str,
    figures: dict[str, Figures],
    *,
    segments: list[str],
    tiers: list[str],
    segment_of: dict[str, str],
    tier_of: dict[str, str],
    over_servicing_ratio: Decimal,
    touchpoint_dates: Mapping[str, Sequence[date]] | None = None,
) -> Portfolio:
    """Every cross-customer figure of one period; `figures` has every customer.

    `touchpoint_dates` holds each customer's meeting dates within the period (for the selling cycle).
    """
    flags = shares(figures, over_servicing_ratio)
    return Portfolio(
        period=period,
        figures=total(figures.values()),
        shares=flags,
        pareto=pareto(figures),
        segments=groups(segments, segment_of, figures, flags),
        tiers=groups(tiers, tier_of, figures, flags),
        cycle=selling_cycle(figures, touchpoint_dates or {}),
        members=tuple(sorted(cid for cid, f in figures.items() if f.customers)),
    )
