"""What a live figure can name, and how each is looked up in the model.

Every value comes from the `Model` (or the content it was computed from) and
is formatted by `render.fmt`, as the value-file and portfolio pages format it:
nothing here computes a figure. Names are the data export's where the export
has one, so a reader can check a page against exports/value-files.json.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup

from csvf_build.calendar import Month
from csvf_build.content.load import RecordFile
from csvf_build.content.schema import ServiceRecord
from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.expectations import ExpectationStatus
from csvf_build.model.figures import DIRECTIONS, STAGES, Figures, catalog_service
from csvf_build.model.portfolio import Group, Portfolio
from csvf_build.render import fmt

# Kinds of subject a figure can be asked of.
SETTING, PERIOD, CUSTOMER, CUSTOMER_PERIOD, GROUP, PORTFOLIO, EXPECTATION, RECORD = (
    "setting", "period", "customer", "customer-period", "group", "portfolio", "expectation", "record",
)  # fmt: skip


@dataclass(frozen=True)
class Value:
    """A resolved figure: `text` is ours (safe) unless `user`; `href` makes it a link (a docs-tree path)."""

    text: str
    user: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Subject:
    """Whom a figure is about: a customer, a group (portfolio, segment, tier), an expectation or a record."""

    kind: str  # CUSTOMER, GROUP, EXPECTATION, RECORD
    customer: CustomerModel | None = None
    group: str | None = None  # "portfolio", "segment:key", "tier:premium"
    expectation: ExpectationStatus | None = None
    record: RecordFile | None = None


def yes_no(flag: bool | None) -> str:
    return "not measured" if flag is None else ("yes" if flag else "no")


def _count(value: int) -> Markup:
    return fmt.number(value)


FigureFn = Callable[[Figures], Markup]

# Figures of one customer's (or one group's) period, by export name.
PERIOD_FIGURES: dict[str, FigureFn] = {
    "cost_avoided": lambda f: fmt.money(f.cost_avoided),
    "return": lambda f: fmt.money(f.return_),
    "benefits": lambda f: fmt.money(f.benefits),
    "spend": lambda f: fmt.money(f.spend),
    "time_cost": lambda f: fmt.money(f.time_cost),
    "total_cost": lambda f: fmt.money(f.total_cost),
    "value_ratio": lambda f: fmt.ratio(f.value_ratio),
    "service_value_rate": lambda f: fmt.percent(f.service_value_rate),
    "cost_to_serve": lambda f: fmt.money(f.cost_to_serve),
    "service_hours": lambda f: fmt.number(f.service_hours),
    "csat": lambda f: fmt.score(f.csat),
    "surveys": lambda f: _count(f.surveys),
    "escalations": lambda f: _count(f.escalations),
    "appreciations": lambda f: _count(f.appreciations),
    "touchpoints": lambda f: _count(f.touchpoints),
    "customer_hours": lambda f: fmt.number(f.customer_hours),
    "revenue_per_service_hour": lambda f: fmt.money(f.revenue_per_service_hour),
    "service_records": lambda f: _count(f.service_records),
    "records": lambda f: _count(f.records),
}
for _stage in STAGES:
    PERIOD_FIGURES[f"touchpoints_{_stage}"] = lambda f, s=_stage: _count(f.touchpoints_by_stage.get(s, 0))  # type: ignore[misc]
for _direction in DIRECTIONS:
    _name = f"business_changes_{_direction.replace('-', '_')}"
    PERIOD_FIGURES[_name] = lambda f, d=_direction: _count(f.changes_by_direction.get(d, 0))  # type: ignore[misc]
    PERIOD_FIGURES[f"{_name}_amount"] = lambda f, d=_direction: fmt.money(f.change_amount_by_direction.get(d, Decimal(0)))  # type: ignore[misc]

SHARE_FIGURES = ("revenue_share", "cost_to_serve_share", "over_serviced", "servicing_index")
CUSTOMER_FIGURES = (
    "name", "link", "segment", "tier", "industry", "since", "account_manager", "health", "health_reasons",
    "presentation_due", "presentation_required", "last_presentation", "next_presentation", "last_record", "break_even",
    "purchasing_change", "open_escalations", "expectations", "expectations_met",
)  # fmt: skip
GROUP_FIGURES = ("customers", "over_serviced_customers", "cost_to_serve_per_customer", "spend_per_customer")
PORTFOLIO_FIGURES = (
    "paying_customers", "pareto_top_count", "pareto_top_fraction", "pareto_top_share", "customers_for_80_percent",
    "median_days_between_touchpoints", "left_alone", "portfolio_link",
)  # fmt: skip
EXPECTATION_FIGURES = ("metric", "expected", "actual", "unit", "better", "gap", "met", "measured_on", "measurements")
RECORD_FIGURES = ("record_title", "record_date", "service_name", "quantity", "service_unit", "rate", "service_value", "benefit_kind")
SETTING_FIGURES = (
    "company", "currency", "fiscal_year_start", "internal_hour_cost", "customer_hour_cost", "presentation_interval_days",
    "stale_after_days", "over_servicing_ratio", "segments", "top_segment", "presentation_required_segments", "tiers", "build_date",
    "current_year",
)  # fmt: skip
PERIOD_ONLY_FIGURES = ("period", "first_day", "last_day")


def kinds_of(what: str) -> set[str]:
    """The kinds of subject `what` can be asked of (empty: no such figure)."""
    kinds: set[str] = set()
    if what in PERIOD_FIGURES:
        kinds |= {CUSTOMER_PERIOD, GROUP}
    if what in SHARE_FIGURES:
        kinds.add(CUSTOMER_PERIOD)
    if what in CUSTOMER_FIGURES:
        kinds.add(CUSTOMER)
    if what == "link":
        kinds.add(PORTFOLIO)
    if what in GROUP_FIGURES:
        kinds.add(GROUP)
    if what in PORTFOLIO_FIGURES:
        kinds.add(PORTFOLIO)
    if what in EXPECTATION_FIGURES:
        kinds.add(EXPECTATION)
    if what in RECORD_FIGURES:
        kinds.add(RECORD)
    if what in SETTING_FIGURES:
        kinds.add(SETTING)
    if what in PERIOD_ONLY_FIGURES:
        kinds.add(PERIOD)
    return kinds


def all_names() -> list[str]:
    return sorted(
        {
            *PERIOD_FIGURES, *SHARE_FIGURES, *CUSTOMER_FIGURES, *GROUP_FIGURES, *PORTFOLIO_FIGURES,
            *EXPECTATION_FIGURES, *RECORD_FIGURES, *SETTING_FIGURES, *PERIOD_ONLY_FIGURES,
        }
    )  # fmt: skip


def period_key(model: Model, period: str) -> int | None:
    """The fiscal year a period names (None: all time)."""
    if period == "all-time":
        return None
    if period == "this-year":
        return model.current_year
    if period == "last-year":
        return model.current_year - 1
    return int(period.removeprefix("FY"))


def period_label(model: Model, year: int | None) -> str:
    if year is None:
        return "all time"
    return f"FY{year} (to date)" if year == model.current_year else f"FY{year}"


def portfolio_page(model: Model, year: int | None) -> str:
    """The docs-tree path of a period's portfolio page (the current year is the section's index)."""
    if year == model.current_year:
        return "portfolio/index.md"
    return "portfolio/all-time.md" if year is None else f"portfolio/fy{year}.md"


def setting(model: Model, what: str) -> Value:
    company = model.company
    values: dict[str, str] = {
        "currency": company.currency,
        "fiscal_year_start": date(2000, company.fiscal_year_start, 1).strftime("%B"),
        "internal_hour_cost": fmt.money(company.internal_hour_cost),
        "customer_hour_cost": fmt.money(company.customer_hour_cost),
        "presentation_interval_days": fmt.number(company.presentation_interval_days),
        "stale_after_days": fmt.number(company.stale_after_days),
        "over_servicing_ratio": fmt.ratio(Fraction(company.over_servicing_ratio)),
        "build_date": fmt.day(model.build_date),
        "current_year": f"FY{model.current_year}",
    }
    if what in values:
        return Value(str(values[what]))
    lists = {
        "top_segment": company.segments[:1],
        "segments": company.segments,
        "presentation_required_segments": company.presentation_required,
        "tiers": company.tiers,
    }
    if what in lists:
        return Value(", ".join(lists[what]) or "none", user=True)
    return Value(company.name, user=True)  # "company"


def period_value(model: Model, what: str, year: int | None) -> Value:
    if what == "period":
        return Value(period_label(model, year))
    if year is None:
        return Value(str(fmt.NONE))
    first, last = model.fiscal_year_bounds(year)
    if what == "last_day":
        return Value(str(fmt.day(min(last, model.build_date))))
    return Value(str(fmt.day(first)))


def customer_period(model: Model, c: CustomerModel, what: str, year: int | None) -> Value:
    figures = c.all_time if year is None else c.years.get(year)
    key = "all" if year is None else str(year)
    if figures is None or key not in model.portfolios:
        return Value(str(fmt.NONE))
    if what in PERIOD_FIGURES:
        return Value(str(PERIOD_FIGURES[what](figures)))
    share = model.portfolios[key].shares[c.id]
    if what == "revenue_share":
        return Value(str(fmt.percent(share.revenue_share)))
    if what == "cost_to_serve_share":
        return Value(str(fmt.percent(share.cost_to_serve_share)))
    if what == "servicing_index":
        return Value(str(fmt.ratio(share.servicing_index)))
    return Value(yes_no(share.over_serviced))


def _month(month: Month | None) -> str:
    return month.label() if month else "not reached"


def customer_value(model: Model, c: CustomerModel, what: str) -> Value:
    customer = c.customer
    if what in ("name", "link"):
        return Value(customer.name, user=True, href=f"customers/{c.id}/index.md" if what == "link" else None)
    user_text = {
        "segment": customer.segment,
        "tier": customer.tier,
        "industry": customer.industry or "not given",
        "account_manager": customer.account_manager,
    }
    if what in user_text:
        return Value(user_text[what], user=True)
    if what == "health_reasons":
        return Value("; ".join(reason.text for reason in c.health.reasons) or "nothing to report", user=True)
    if what == "purchasing_change":
        changes = [k.to if k.to and k.to <= model.build_date else k.from_ for k in c.purchasing_changes]
        return Value(str(fmt.day(max(changes, default=None))) if changes else "none in the last 12 months")
    ours: dict[str, str] = {
        "since": str(fmt.day(customer.since)),
        "health": c.health.level,
        "presentation_due": yes_no(c.presentation_due),
        "presentation_required": yes_no(c.presentation_required),
        "last_presentation": str(fmt.day(c.last_presentation)) if c.last_presentation else "never",
        "next_presentation": str(fmt.day(c.next_presentation)) if c.next_presentation else "not required",
        "last_record": str(fmt.day(c.last_record)) if c.last_record else "none yet",
        "break_even": _month(c.break_even.month),
        "open_escalations": str(fmt.number(len(c.open_escalations))),
        "expectations": str(fmt.number(len(c.expectations))),
        "expectations_met": str(fmt.number(sum(1 for e in c.expectations if e.met))),
    }
    return Value(ours[what])


def _group(model: Model, group: str, year: int | None) -> tuple[Portfolio, Group] | None:
    key = "all" if year is None else str(year)
    if key not in model.portfolios:
        return None
    p = model.portfolios[key]
    if group == "portfolio":
        return p, p.whole
    kind, _, name = group.partition(":")
    found = next((g for g in (p.segments if kind == "segment" else p.tiers) if g.name == name), None)
    return (p, found) if found is not None else None


def group_value(model: Model, group: str, what: str, year: int | None) -> Value:
    if what in ("link", "portfolio_link"):
        return Value(f"the portfolio, {period_label(model, year)}", href=portfolio_page(model, year))
    found = _group(model, group, year)
    if found is None:
        return Value(str(fmt.NONE))
    p, g = found
    if what in PERIOD_FIGURES:
        return Value(str(PERIOD_FIGURES[what](g.figures)))
    values: dict[str, Markup | str] = {
        "customers": fmt.number(g.figures.customers),
        "over_serviced_customers": fmt.number(g.over_serviced),
        "cost_to_serve_per_customer": fmt.money(g.cost_to_serve_per_customer),
        "spend_per_customer": fmt.money(g.spend_per_customer),
        "paying_customers": fmt.number(len(p.pareto.rows)),
        "pareto_top_count": fmt.number(p.pareto.top_count),
        "pareto_top_fraction": fmt.percent(p.pareto.top_fraction, 0),
        "pareto_top_share": fmt.percent(p.pareto.top_share),
        "customers_for_80_percent": fmt.number(p.pareto.customers_for(Fraction(80))),
        "median_days_between_touchpoints": fmt.number(p.cycle.median_gap),
        "left_alone": fmt.number(len(p.cycle.left_alone)),
    }
    return Value(str(values[what]))


def expectation_value(status: ExpectationStatus, what: str) -> Value:
    e = status.expectation
    if what == "metric":
        return Value(e.metric, user=True)
    if what == "unit":
        return Value(e.unit or "", user=True)
    values: dict[str, str] = {
        "expected": str(fmt.number(e.expected)),
        "actual": str(fmt.number(status.actual)),
        "better": e.better,
        "gap": str(fmt.percent(status.gap)),
        "met": yes_no(status.met),
        "measured_on": str(fmt.day(status.latest.date)) if status.latest else "not measured",
        "measurements": str(fmt.number(len(status.history))),
    }
    return Value(values[what])


def record_value(model: Model, c: CustomerModel, record_file: RecordFile, what: str) -> Value:
    record = record_file.record
    assert isinstance(record, ServiceRecord)
    service = catalog_service(model.catalog, record.service)
    figures = c.record_figures[record_file.path]
    if what in ("record_title", "service_name", "service_unit"):
        return Value({"record_title": record.title, "service_name": service.name, "service_unit": service.unit}[what], user=True)
    rate = record.rate if record.rate is not None else service.rate
    values: dict[str, Markup | str] = {
        "record_date": fmt.day(record.date),
        "quantity": fmt.number(record.quantity),
        "rate": fmt.money(rate),
        "service_value": fmt.money(figures.benefits),
        "benefit_kind": "cost avoided" if figures.cost_avoided else "return",
    }
    return Value(str(values[what]))
