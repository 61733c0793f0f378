"""The data export: exports/value-files.json and .csv (value-model.md, "Data export").

Money is a string with 2 decimals, every other number is rounded half up to
4 decimals, a ratio without a denominator is null (an empty CSV cell).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.figures import DIRECTIONS, STAGES, Figures
from csvf_build.model.portfolio import Share
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
CSV_COLUMNS = ("id", "fiscal_year", *FIGURE_NAMES, *SHARE_NAMES, *EXTRA_NAMES)


def money(value: Decimal) -> str:
    return str(round_half_up(value, 2))


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


def customer_record(c: CustomerModel, model: Model) -> dict[str, Any]:
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
        "years": {str(year): figures_record(f) | share_record(model.portfolio(year).shares[c.id]) for year, f in c.years.items()},
        "all_time": figures_record(c.all_time) | share_record(model.portfolio(None).shares[c.id]),
    }


def export_data(model: Model) -> dict[str, Any]:
    return {
        "build_date": model.build_date.isoformat(),
        "currency": model.company.currency,
        "customers": [customer_record(c, model) for c in model.customers],
    }


def export_json(model: Model) -> str:
    return json.dumps(export_data(model), indent=2, ensure_ascii=False) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_csv(model: Model) -> str:
    """One row per customer and fiscal year, sorted by id then year."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in model.customers:
        for year, f in sorted(c.years.items()):
            row = {"id": c.id, "fiscal_year": year} | figures_record(f) | share_record(model.portfolio(year).shares[c.id])
            writer.writerow(_cell(row[name]) for name in CSV_COLUMNS)
    return buffer.getvalue()
