"""The data export: exports/value-files.json and .csv (value-model.md, "Data export").

Money is a string with 2 decimals, every other number is rounded half up to
4 decimals, a ratio without a denominator is null (an empty CSV cell). The
portfolio figures per period (segments, tiers, the usage matrix, 80/20, the
selling cycle) join the JSON under `portfolio` and have CSV files of their
own; `alerts.json` lists what crossed a line at the build date.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import Any

from csvf_build.memo import Remember, fresh
from csvf_build.model.alerts import alerts
from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.figures import DIRECTIONS, STAGES, Figures, Usage
from csvf_build.model.periods import ALL_TIME
from csvf_build.model.portfolio import EIGHTY, Group, Portfolio, Share
from csvf_build.model.rounding import round_half_up

FIGURE_NAMES = (
    "cost_avoided", "return", "benefits", "spend", "time_cost", "total_cost", "value_ratio",
    "service_value_rate", "cost_to_serve", "service_hours", "csat", "escalations", "appreciations", "touchpoints",
)  # fmt: skip
SHARE_NAMES = ("revenue_share", "cost_to_serve_share", "over_serviced")
EXTRA_NAMES = (
    "customer_hours",
    "revenue_per_service_hour",
    *(f"touchpoints_{stage}" for stage in STAGES),
    *(f"business_changes_{d.replace('-', '_')}" for d in DIRECTIONS),
    *(f"business_changes_{d.replace('-', '_')}_amount" for d in DIRECTIONS),
)
CYCLE_NAMES = ("last_touchpoint", "median_days_between_touchpoints")
CSV_COLUMNS = ("id", "fiscal_year", *FIGURE_NAMES, *SHARE_NAMES, *EXTRA_NAMES, *CYCLE_NAMES)


def money(value: Decimal | Fraction) -> str:
    return str(round_half_up(value, 2))


def optional_money(value: Decimal | Fraction | None) -> str | None:
    return None if value is None else money(value)


def number(value: Decimal | Fraction | None) -> int | float | None:
    """Rounded to 4 decimals; whole numbers stay integers."""
    if value is None:
        return None
    rounded = round_half_up(value, 4)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def figures_record(f: Figures) -> dict[str, Any]:
    """Every figure of one customer and period, under its export name."""
    record: dict[str, Any] = {
        "cost_avoided": money(f.cost_avoided),
        "return": money(f.return_),
        "benefits": money(f.benefits),
        "spend": money(f.spend),
        "time_cost": money(f.time_cost),
        "total_cost": money(f.total_cost),
        "value_ratio": number(f.value_ratio),
        "service_value_rate": number(f.service_value_rate),
        "cost_to_serve": money(f.cost_to_serve),
        "service_hours": number(f.service_hours),
        "csat": number(f.csat),
        "escalations": f.escalations,
        "appreciations": f.appreciations,
        "touchpoints": f.touchpoints,
        "customer_hours": number(f.customer_hours),
        "revenue_per_service_hour": number(f.revenue_per_service_hour),
    }
    for stage in STAGES:
        record[f"touchpoints_{stage}"] = f.touchpoints_by_stage.get(stage, 0)
    for direction in DIRECTIONS:
        name = f"business_changes_{direction.replace('-', '_')}"
        record[name] = f.changes_by_direction.get(direction, 0)
        record[f"{name}_amount"] = money(f.change_amount_by_direction.get(direction, Decimal(0)))
    return record


def share_record(share: Share) -> dict[str, Any]:
    return {
        "revenue_share": number(share.revenue_share),
        "cost_to_serve_share": number(share.cost_to_serve_share),
        "over_serviced": share.over_serviced,
    }


def cycle_figures(model: Model, year: int | None, cid: str) -> dict[str, Any]:
    """The customer's selling cycle in the period: its last touchpoint and the median days between touchpoints."""
    row = model.portfolio(year).cycle.customers.get(cid)
    return {
        "last_touchpoint": row.last.isoformat() if row and row.last else None,
        "median_days_between_touchpoints": number(row.median_gap) if row else None,
    }


def own_figures(c: CustomerModel) -> dict[str, dict[str, Any]]:
    """The customer's own figures of every fiscal year ("2026") and of all time ("all"): what a build may reuse."""
    own = {str(year): figures_record(f) for year, f in c.years.items()}
    own[ALL_TIME] = figures_record(c.all_time)
    return own


def period_record(c: CustomerModel, model: Model, year: int | None, own: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Every figure of the customer in one period: its own, its place in the portfolio, its selling cycle."""
    key = ALL_TIME if year is None else str(year)
    mine = own[key] if own is not None else figures_record(c.all_time if year is None else c.years[year])
    return mine | share_record(model.portfolio(year).shares[c.id]) | cycle_figures(model, year, c.id)


def customer_record(c: CustomerModel, model: Model, remember: Remember = fresh) -> dict[str, Any]:
    own = remember("export", c.folder, "", partial(own_figures, c))
    return {
        "id": c.id,
        "name": c.customer.name,
        "segment": c.customer.segment,
        "tier": c.customer.tier,
        "health": c.health.level,
        "health_reasons": [reason.text for reason in c.health.reasons],
        "presentation_due": c.presentation_due,
        "stale": c.stale,
        "break_even": c.break_even.month.label() if c.break_even.month else None,
        "last_record": c.last_record.isoformat() if c.last_record else None,
        "last_presentation": c.last_presentation.isoformat() if c.last_presentation else None,
        "next_presentation": c.next_presentation.isoformat() if c.next_presentation else None,
        "years": {str(year): period_record(c, model, year, own) for year in c.years},
        "all_time": period_record(c, model, None, own),
    }


def export_data(model: Model, remember: Remember = fresh) -> dict[str, Any]:
    """`remember` may reuse each customer's own figures made from the same files (`csvf_build/memo.py`)."""
    return {
        "build_date": model.build_date.isoformat(),
        "currency": model.company.currency,
        "customers": [customer_record(c, model, remember) for c in model.customers],
        "portfolio": {
            "years": {key: portfolio_record(model, key) for key in model.portfolios if key != ALL_TIME},
            "all_time": portfolio_record(model, ALL_TIME),
        },
    }


def export_json(model: Model, remember: Remember = fresh) -> str:
    return json.dumps(export_data(model, remember), indent=2, ensure_ascii=False) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_csv(model: Model, remember: Remember = fresh) -> str:
    """One row per customer and fiscal year, sorted by id then year."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in model.customers:
        own = remember("export", c.folder, "", partial(own_figures, c))
        for year in sorted(c.years):
            row = {"id": c.id, "fiscal_year": year} | period_record(c, model, year, own)
            writer.writerow(_cell(row[name]) for name in CSV_COLUMNS)
    return buffer.getvalue()


# -- the portfolio, per period

GROUP_COLUMNS = (
    "customers", "over_serviced_customers", "cost_to_serve_per_customer", "spend_per_customer",
    *FIGURE_NAMES, *EXTRA_NAMES,
)  # fmt: skip
USAGE_COLUMNS = ("period", "dimension", "group", "service", "records", "value")


def usage_records(model: Model, usage: dict[str, Usage]) -> list[dict[str, Any]]:
    """Every catalog service, in catalog order, with its records and value (0 when unused)."""
    return [
        {"service": s.id, "records": usage.get(s.id, Usage()).records, "value": money(usage.get(s.id, Usage()).value)}
        for s in model.catalog.services
    ]


def group_record(model: Model, group: Group) -> dict[str, Any]:
    """A segment's or tier's figures: sums, ratios from the sums, what it costs per customer, its usage."""
    return {
        "name": group.name,
        "customers": group.figures.customers,
        "over_serviced_customers": group.over_serviced,
        "cost_to_serve_per_customer": optional_money(group.cost_to_serve_per_customer),
        "spend_per_customer": optional_money(group.spend_per_customer),
        **figures_record(group.figures),
        "usage": usage_records(model, group.figures.usage),
    }


def cycle_record(p: Portfolio) -> dict[str, Any]:
    """The period's selling cycle; each customer's own is in its period record."""
    cycle = p.cycle
    return {
        "touchpoints": p.figures.touchpoints,
        **{f"touchpoints_{stage}": p.figures.touchpoints_by_stage.get(stage, 0) for stage in STAGES},
        "gaps": len(cycle.all_gaps),
        "median_days_between_touchpoints": number(cycle.median_gap),
        "left_alone": list(cycle.left_alone),
    }


def portfolio_record(model: Model, key: str) -> dict[str, Any]:
    """One period's cross-customer figures (value-model.md, "Across customers, one period")."""
    p = model.portfolios[key]
    first, last = (None, model.build_date) if key == ALL_TIME else model.fiscal_year_bounds(int(key))
    return {
        "first_day": first.isoformat() if first else None,
        "last_day": min(last, model.build_date).isoformat(),
        "customers": len(p.members),
        "over_serviced_customers": len(p.over_serviced),
        "figures": {
            "cost_to_serve_per_customer": optional_money(p.whole.cost_to_serve_per_customer),
            "spend_per_customer": optional_money(p.whole.spend_per_customer),
            **figures_record(p.figures),
        },
        "usage": usage_records(model, p.figures.usage),
        "pareto": {
            "paying_customers": len(p.pareto.rows),
            "top_count": p.pareto.top_count,
            "top_fraction": number(p.pareto.top_fraction),
            "top_share": number(p.pareto.top_share),
            "customers_for_80_percent": p.pareto.customers_for(EIGHTY),
            "rows": [{"id": r.id, "cumulative_share": number(r.cumulative_share)} for r in p.pareto.rows],
        },
        "over_serviced": list(p.over_serviced),
        "segments": [group_record(model, g) for g in p.segments],
        "tiers": [group_record(model, g) for g in p.tiers],
        "selling_cycle": cycle_record(p),
    }


def _periods(model: Model) -> list[str]:
    """The fiscal years ascending, then all time."""
    return [key for key in model.portfolios if key != ALL_TIME] + [ALL_TIME]


def _groups_csv(model: Model, dimension: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("period", dimension, *GROUP_COLUMNS))
    for key in _periods(model):
        p = model.portfolios[key]
        for group in p.segments if dimension == "segment" else p.tiers:
            row = group_record(model, group)
            writer.writerow((key, group.name, *(_cell(row[name]) for name in GROUP_COLUMNS)))
    return buffer.getvalue()


def export_segments_csv(model: Model) -> str:
    """exports/segments.csv: one row per period and segment (fiscal years, then `all`)."""
    return _groups_csv(model, "segment")


def export_tiers_csv(model: Model) -> str:
    """exports/tiers.csv: one row per period and tier."""
    return _groups_csv(model, "tier")


def export_usage_csv(model: Model) -> str:
    """exports/usage.csv: the usage matrix, one row per period, segment or tier (or the portfolio) and catalog service."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(USAGE_COLUMNS)
    for key in _periods(model):
        p = model.portfolios[key]
        columns = [("portfolio", "all", p.figures.usage)]
        columns += [("segment", g.name, g.figures.usage) for g in p.segments]
        columns += [("tier", g.name, g.figures.usage) for g in p.tiers]
        for dimension, name, usage in columns:
            for item in usage_records(model, usage):
                writer.writerow((key, dimension, name, item["service"], item["records"], item["value"]))
    return buffer.getvalue()


def export_alerts_json(model: Model) -> str:
    """exports/alerts.json: what crossed a line at the build date (`csvf alerts` reads it)."""
    data = {
        "build_date": model.build_date.isoformat(),
        "alerts": [
            {"customer": a.customer, "name": a.name, "kind": a.kind, "since": a.since.isoformat(), "message": a.message}
            for a in alerts(model)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
