"""Figures across customers for one period (value-model.md, "Across customers").

Pages only format what is here; nothing below is recomputed by a template.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from csvf_build.model.figures import Figures, percent, total

TOP_FRACTION = Fraction(1, 5)  # the "20%" of the 80/20 rule


@dataclass(frozen=True)
class Share:
    """One customer's place in the portfolio for one period."""

    revenue_share: Fraction | None  # percentage
    cost_to_serve_share: Fraction | None  # percentage
    over_serviced: bool


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


@dataclass(frozen=True)
class Group:
    """A segment's or tier's figures: sums, ratios recomputed from the sums."""

    name: str
    figures: Figures
    over_serviced: int


@dataclass(frozen=True)
class Portfolio:
    period: str  # "2026" or "all"
    figures: Figures
    shares: dict[str, Share]
    pareto: Pareto
    segments: tuple[Group, ...]
    tiers: tuple[Group, ...]


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
) -> Portfolio:
    """Every cross-customer figure of one period; `figures` has every customer."""
    flags = shares(figures, over_servicing_ratio)
    return Portfolio(
        period=period,
        figures=total(figures.values()),
        shares=flags,
        pareto=pareto(figures),
        segments=groups(segments, segment_of, figures, flags),
        tiers=groups(tiers, tier_of, figures, flags),
    )
