"""The portfolio's charts for one period, as specs built from the model (no figure recomputed).

80/20 (customers by spend with the cumulative share) and over-servicing
(revenue share against cost-to-serve share). Both stay light however many
customers there are: the Pareto turns from bars into an area, the scatter
labels only the few flagged customers that fit, and the table behind each
chart samples what it shows.
"""

from __future__ import annotations

from csvf_build.charts.customer import exact
from csvf_build.charts.spec import Chart, ChartSpec, Mark, NoChart, Series
from csvf_build.model.compute import Model
from csvf_build.model.periods import ALL_TIME
from csvf_build.model.portfolio import EIGHTY, Portfolio
from csvf_build.render import fmt

NAMED_BARS = 12  # up to this many paying customers the Pareto names each bar
MOST_LABELS = 10  # flagged customers labelled on the scatter
TABLE_ROWS = 25  # rows of a table behind a chart, at most (about)


def period_slug(key: str) -> str:
    """A period's name in file names: fy2026, all-time."""
    return "all-time" if key == ALL_TIME else f"fy{key}"


def period_name(model: Model, key: str) -> str:
    """A period as pages and charts name it: FY2027 (to date), FY2026, all time."""
    if key == ALL_TIME:
        return "all time"
    return f"FY{key}" + (" (to date)" if key == str(model.current_year) else "")


def portfolio_charts(model: Model) -> dict[str, list[Chart]]:
    """Every period's charts, by the model's period key."""
    return {key: [pareto(model, key), over_servicing(model, key)] for key in model.portfolios}


def _names(model: Model) -> dict[str, str]:
    return {c.id: c.customer.name for c in model.customers}


def _sample(count: int, keep: tuple[int, ...] = ()) -> list[int]:
    """Row indexes for a table behind a chart: every row when few, else evenly spaced plus `keep` and the last."""
    step = max(1, -(-count // TABLE_ROWS))
    picked = set(range(0, count, step)) | {i for i in keep if 0 <= i < count}
    if count:
        picked.add(count - 1)
    return sorted(picked)


def pareto(model: Model, key: str) -> Chart:
    p: Portfolio = model.portfolios[key]
    period = period_name(model, key)
    title = f"80/20: customers by spend, {period}"
    rows = p.pareto.rows
    if not rows:
        return NoChart("pareto", title, f"No customer has spend in {period}, so there is no 80/20 chart.")
    names, currency, n, top = _names(model), model.company.currency, len(rows), p.pareto.top_count
    reach = p.pareto.customers_for(EIGHTY)
    alt = (
        f"Customers by spend in {period}, largest first, with the cumulative share of revenue. "
        f"The top {top} of {n} paying customers ({fmt.percent(p.pareto.top_fraction, decimals=0)}) bring "
        f"{fmt.percent(p.pareto.top_share)} of revenue; 80% of revenue is reached with {reach} customers. "
        f"Largest: {names[rows[0].id]}, {fmt.money(rows[0].spend, currency)}."
    )
    table = tuple(
        (
            names[rows[i].id],
            str(i + 1),
            str(fmt.money(rows[i].spend)),
            str(fmt.percent(p.shares[rows[i].id].revenue_share)),
            str(fmt.percent(rows[i].cumulative_share)),
        )
        for i in _sample(n, keep=(top - 1,))
    )
    return ChartSpec(
        path=f"portfolio/charts/{period_slug(key)}-pareto.svg",
        kind="pareto",
        title=title,
        alt=alt,
        x_label="Customers by spend, largest first" if n <= NAMED_BARS else "Customers by spend, largest first (rank)",
        y_label=f"Spend ({currency})",
        y2_label="Cumulative share of revenue (%)",
        x=tuple(names[r.id] for r in rows) if n <= NAMED_BARS else tuple(str(i) for i in range(1, n + 1)),
        series=(
            Series("Spend", tuple(exact(r.spend, 2) for r in rows), "spend"),
            Series("Cumulative share of revenue", tuple(exact(r.cumulative_share) for r in rows), "cumulative"),
        ),
        lines=(Series("80% of revenue", (exact(EIGHTY),), "eighty"),),
        marks=(Mark(str(top), f"top {fmt.percent(p.pareto.top_fraction, decimals=0)}: {top} customers", "top"),),
        table_headings=("Customer", "Rank", "Spend", "Revenue share", "Cumulative share"),
        table_rows=table,
    )


def over_servicing(model: Model, key: str) -> Chart:
    p = model.portfolios[key]
    period = period_name(model, key)
    title = f"Over-servicing: cost-to-serve share against revenue share, {period}"
    points = [
        (cid, s)
        for cid, s in ((cid, p.shares[cid]) for cid in p.members)
        if s.revenue_share is not None and s.cost_to_serve_share is not None
    ]
    if not points:
        return NoChart("scatter", title, f"No spend or no cost to serve is recorded in {period}, so there is no over-servicing chart.")
    names = _names(model)
    ratio = model.company.over_servicing_ratio
    flagged = sorted((item for item in points if item[1].over_serviced), key=lambda item: (-(item[1].cost_to_serve_share or 0), item[0]))
    labelled = flagged[:MOST_LABELS]
    if flagged:
        worst_id, worst = flagged[0]
        lead = (
            f"{len(flagged)} of {len(points)} customers are over-serviced (cost-to-serve share at least {fmt.number(ratio)} times "
            f"their revenue share); the largest, {names[worst_id]}, takes {fmt.percent(worst.cost_to_serve_share)} of our cost to serve "
            f"for {fmt.percent(worst.revenue_share)} of revenue."
        )
    else:
        lead = f"No customer of {len(points)} is over-serviced (cost-to-serve share at least {fmt.number(ratio)} times its revenue share)."
    by_cost = sorted(points, key=lambda item: (-(item[1].cost_to_serve_share or 0), item[0]))
    shown = by_cost[:TABLE_ROWS]
    return ChartSpec(
        path=f"portfolio/charts/{period_slug(key)}-over-servicing.svg",
        kind="scatter",
        title=title,
        alt=f"Revenue share against cost-to-serve share per customer, {period}. {lead}",
        x_label="Share of revenue (%)",
        y_label="Share of cost to serve (%)",
        x=tuple(cid for cid, _ in points),
        series=(
            Series("Revenue share", tuple(exact(s.revenue_share) for _, s in points), "x"),
            Series("Cost-to-serve share", tuple(exact(s.cost_to_serve_share) for _, s in points), "y"),
            Series("Over-serviced", tuple("1" if s.over_serviced else "0" for _, s in points), "flag"),
        ),
        lines=(
            Series("Same share of cost and revenue", ("1",), "diagonal"),
            Series(f"Threshold: cost share = {fmt.number(ratio)} x revenue share", (exact(ratio),), "threshold"),
        ),
        marks=tuple(Mark(cid, names[cid], "label") for cid, _ in labelled),
        table_headings=("Customer", "Revenue share", "Cost-to-serve share", "Over-serviced"),
        table_rows=tuple(
            (names[cid], str(fmt.percent(s.revenue_share)), str(fmt.percent(s.cost_to_serve_share)), "yes" if s.over_serviced else "no")
            for cid, s in shown
        ),
    )
