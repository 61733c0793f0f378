"""What the home, index and catalog pages show, built from the model.

Templates hold no logic: every choice that depends on a figure is made here.
Values are either user text (escaped by the template engine) or `Markup` from
`fmt` (figures we formatted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.figures import DIRECTIONS, STAGES, Figures, Usage
from csvf_build.model.health import Reason
from csvf_build.render import fmt

HEALTH_ADMONITION = {"red": "danger", "amber": "warning", "green": "success"}
HEALTH_ORDER = ("red", "amber", "green")


@dataclass(frozen=True)
class Row:
    label: Markup
    values: tuple[object, ...]


def health_badge(level: str) -> Markup:
    return Markup(f'<span class="csvf-health csvf-health--{level}">{level}</span>')


def anchor_of(c: CustomerModel, path: str) -> str:
    """The id of a record's entry on its value file (unique within the customer: the content layer assigns it)."""
    return c.folder.anchor_of(path)


def reason_views(c: CustomerModel, reasons: tuple[Reason, ...]) -> list[dict[str, object]]:
    """Health reasons with the anchor of the record behind each, if any."""
    return [{"text": r.text, "anchor": anchor_of(c, r.record) if r.record else None} for r in reasons]


def year_label(model: Model, year: int) -> str:
    return f"FY{year}" + (" (to date)" if year == model.current_year else "")


def current_figures(c: CustomerModel, model: Model) -> Figures:
    return c.years.get(model.current_year, Figures(customers=0))


def figure_rows(figures: list[Figures]) -> list[Row]:
    """The value-model figures, one row each, one column per period (money without its currency)."""

    def row(label: str, render: Callable[[Figures], object], strong: bool = False) -> Row:
        values = tuple(render(f) for f in figures)
        if strong:
            return Row(Markup(f"<strong>{label}</strong>"), tuple(Markup("<strong>%s</strong>") % v for v in values))
        return Row(Markup(label), values)

    rows = [
        row("Cost avoided", lambda f: fmt.money(f.cost_avoided)),
        row("Return", lambda f: fmt.money(f.return_)),
        row("Benefits", lambda f: fmt.money(f.benefits), strong=True),
        row("Spend (our revenue)", lambda f: fmt.money(f.spend)),
        row("Time cost", lambda f: fmt.money(f.time_cost)),
        row("Total cost", lambda f: fmt.money(f.total_cost), strong=True),
        row("Value ratio", lambda f: fmt.ratio(f.value_ratio), strong=True),
        row("Service value rate", lambda f: fmt.percent(f.service_value_rate)),
        row("Cost to serve", lambda f: fmt.money(f.cost_to_serve)),
        row("Service hours", lambda f: fmt.number(f.service_hours)),
        row("Revenue per service hour", lambda f: fmt.money(f.revenue_per_service_hour)),
        row("Customer hours", lambda f: fmt.number(f.customer_hours)),
        row("CSAT (0-100)", lambda f: fmt.score(f.csat)),
        row("Escalations", lambda f: fmt.number(f.escalations)),
        row("Appreciations", lambda f: fmt.number(f.appreciations)),
        row("Touchpoints", lambda f: fmt.number(f.touchpoints)),
    ]
    rows += [row(f"&nbsp;&nbsp;{stage} the purchase", _stage_count(stage)) for stage in STAGES]
    rows += [row(f"Business changes: {direction}", _change_count(direction)) for direction in DIRECTIONS]
    return rows


def _stage_count(stage: str) -> Callable[[Figures], Markup]:
    return lambda f: fmt.number(f.touchpoints_by_stage.get(stage, 0))


def _change_count(direction: str) -> Callable[[Figures], Markup]:
    return lambda f: _change(f, direction)


def _change(figures: Figures, direction: str) -> Markup:
    count = figures.changes_by_direction.get(direction, 0)
    if not count:
        return Markup("0")
    return Markup("%s (%s/yr)") % (count, fmt.money(figures.change_amount_by_direction[direction]))


def customer_flags(c: CustomerModel, model: Model) -> list[str]:
    """What a manager scanning the index should notice, beyond health."""
    flags = []
    if c.presentation_due:
        flags.append("presentation due")
    if c.stale:
        flags.append("stale")
    if model.portfolio(model.current_year).shares[c.id].over_serviced:
        flags.append("over-serviced")
    if c.break_even.month is not None:
        flags.append(f"profit zone since {c.break_even.month.label()}")
    return flags


def index_rows(model: Model) -> list[dict[str, object]]:
    """One line of the customers index per customer, by name."""
    rows: list[dict[str, object]] = []
    for c in sorted(model.customers, key=lambda c: c.customer.name.casefold()):
        current = current_figures(c, model)
        rows.append(
            {
                "id": c.id,
                "name": c.customer.name,
                "segment": c.customer.segment,
                "tier": c.customer.tier,
                "health": health_badge(c.health.level),
                "benefits": fmt.money(current.benefits),
                "spend": fmt.money(current.spend),
                "value_ratio": fmt.ratio(current.value_ratio),
                "last_record": fmt.day(c.last_record),
                "flags": ", ".join(customer_flags(c, model)) or fmt.NONE,
            }
        )
    return rows


def _headline(f: Figures, currency: str) -> dict[str, Markup]:
    return {
        "benefits": fmt.money(f.benefits, currency),
        "spend": fmt.money(f.spend, currency),
        "value_ratio": fmt.ratio(f.value_ratio),
        "service_value_rate": fmt.percent(f.service_value_rate),
        "cost_to_serve": fmt.money(f.cost_to_serve, currency),
    }


def home_view(model: Model) -> dict[str, Any]:
    """Everything the home page shows: this year, the 80/20 headline, health, due, over-serviced."""
    company, year, currency = model.company, model.current_year, model.company.currency
    now, ever = model.portfolio(year), model.portfolio(None)
    by_level = {level: [c for c in model.customers if c.health.level == level] for level in HEALTH_ORDER}
    pareto = now.pareto
    return {
        "company": company.name,
        "build_date": fmt.day(model.build_date),
        "year": year,
        "year_start": fmt.day(model.fiscal_year_bounds(year)[0]),
        "currency": currency,
        "now": _headline(now.figures, currency),
        "ever": _headline(ever.figures, currency),
        "pareto": {
            "top_count": pareto.top_count,
            "paying": len(pareto.rows),
            "top_fraction": fmt.percent(pareto.top_fraction, decimals=0),
            "top_share": fmt.percent(pareto.top_share),
        }
        if pareto.rows
        else None,
        "by_health": [
            {"badge": health_badge(level), "count": len(members), "members": [{"id": c.id, "name": c.customer.name} for c in members]}
            for level, members in by_level.items()
        ],
        "attention": [
            {"id": c.id, "name": c.customer.name, "level": c.health.level, "reasons": reason_views(c, c.health.reasons)}
            for c in model.customers
            if c.health.level != "green"
        ],
        "due": [
            {
                "id": c.id,
                "name": c.customer.name,
                "segment": c.customer.segment,
                "last": fmt.day(c.last_presentation) if c.last_presentation else "never",
            }
            for c in model.customers
            if c.presentation_due
        ],
        "required": ", ".join(company.presentation_required) or "no segment",
        "interval": company.presentation_interval_days,
        "over_servicing_ratio": fmt.number(company.over_servicing_ratio),
        "over_serviced": [
            {
                "id": c.id,
                "name": c.customer.name,
                "segment": c.customer.segment,
                "revenue_share": fmt.percent(now.shares[c.id].revenue_share),
                "cost_share": fmt.percent(now.shares[c.id].cost_to_serve_share),
            }
            for c in model.customers
            if now.shares[c.id].over_serviced
        ],
    }


def catalog_groups(model: Model) -> list[dict[str, Any]]:
    """The catalog by group, each service with its all-time usage."""
    usage = model.portfolio(None).figures.usage
    return [
        {
            "id": group.id,
            "name": group.name,
            "services": [
                {
                    "name": s.name,
                    "id": s.id,
                    "unit": s.unit,
                    "rate": fmt.money(s.rate) if s.rate is not None else Markup("given per record"),
                    "benefit": s.benefit,
                    "records": fmt.number(usage.get(s.id, Usage()).records),
                    "value": fmt.money(usage.get(s.id, Usage()).value),
                    "description": s.description,
                }
                for s in model.catalog.services
                if s.group == group.id
            ],
        }
        for group in model.catalog.groups
    ]
