"""One customer's figures for one period (value-model.md, "One customer, one period").

`Figures` holds only additive amounts and counts; every ratio is derived from
them. So all time is the sum of the fiscal years, and a segment's figures are
the sum of its customers', with ratios recomputed from the totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from csvf_build.content.schema import (
    AnyRecord,
    AppreciationRecord,
    BusinessChangeRecord,
    Catalog,
    Company,
    EscalationRecord,
    MeetingRecord,
    Service,
    ServiceRecord,
    SurveyRecord,
)

ZERO = Decimal(0)
STAGES = ("before", "during", "after")
DIRECTIONS = ("expansion", "reduction", "new-line", "lost-line")


def ratio(numerator: Decimal | Fraction, denominator: Decimal | Fraction) -> Fraction | None:
    """Exact quotient; none when the denominator is 0."""
    if not denominator:
        return None
    return Fraction(numerator) / Fraction(denominator)


def percent(numerator: Decimal | Fraction, denominator: Decimal | Fraction) -> Fraction | None:
    share = ratio(numerator, denominator)
    return None if share is None else share * 100


@dataclass(frozen=True)
class Usage:
    """How often one catalog service was given, and its value."""

    records: int = 0
    value: Decimal = ZERO

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.records + other.records, self.value + other.value)


def _merge(left: dict, right: dict, empty: object) -> dict:
    keys = sorted(set(left) | set(right))
    return {key: left.get(key, empty) + right.get(key, empty) for key in keys}


@dataclass(frozen=True)
class Figures:
    """Additive figures of one customer (or a group of customers) in one period."""

    cost_avoided: Decimal = ZERO
    return_: Decimal = ZERO
    spend: Decimal = ZERO
    customer_hours: Decimal = ZERO
    time_cost: Decimal = ZERO
    cost_to_serve: Decimal = ZERO
    service_hours: Decimal = ZERO
    survey_points: Fraction = Fraction(0)  # sum of scores rescaled to 0-100
    surveys: int = 0
    escalations: int = 0
    appreciations: int = 0
    touchpoints: int = 0
    service_records: int = 0
    records: int = 0
    customers: int = 1
    touchpoints_by_stage: dict[str, int] = field(default_factory=dict)
    changes_by_direction: dict[str, int] = field(default_factory=dict)
    change_amount_by_direction: dict[str, Decimal] = field(default_factory=dict)
    usage: dict[str, Usage] = field(default_factory=dict)

    # -- derived figures

    @property
    def benefits(self) -> Decimal:
        return self.cost_avoided + self.return_

    @property
    def total_cost(self) -> Decimal:
        return self.spend + self.time_cost

    @property
    def value_ratio(self) -> Fraction | None:
        return ratio(self.benefits, self.total_cost)

    @property
    def service_value_rate(self) -> Fraction | None:
        """Benefits per 100 of spend."""
        return percent(self.benefits, self.spend)

    @property
    def csat(self) -> Fraction | None:
        return None if not self.surveys else self.survey_points / self.surveys

    @property
    def revenue_per_service_hour(self) -> Fraction | None:
        return ratio(self.spend, self.service_hours)

    def __add__(self, other: Figures) -> Figures:
        values: dict[str, Any] = {}
        for f in fields(self):
            left, right = getattr(self, f.name), getattr(other, f.name)
            if isinstance(left, dict):
                empty = Usage() if f.name == "usage" else (ZERO if f.name == "change_amount_by_direction" else 0)
                values[f.name] = _merge(left, right, empty)
            else:
                values[f.name] = left + right
        return Figures(**values)


def total(items: Iterable[Figures]) -> Figures:
    """The sum of several figures; a group of no customers counts 0 customers."""
    result = Figures(customers=0)
    for item in items:
        result = result + item
    return result


def service_value(record: ServiceRecord, catalog: Catalog) -> Decimal:
    """`value` if given, else quantity x rate (the record's rate, else the catalog's)."""
    if record.value is not None:
        return record.value
    rate = record.rate if record.rate is not None else catalog_service(catalog, record.service).rate
    return (record.quantity or ZERO) * (rate or ZERO)


def service_benefit(record: ServiceRecord, catalog: Catalog) -> str:
    return record.benefit or catalog_service(catalog, record.service).benefit


def cost_to_serve(record: ServiceRecord, company: Company) -> Decimal:
    """`our_cost`, else hours x internal_hour_cost, else 0."""
    if record.our_cost is not None:
        return record.our_cost
    return (record.hours or ZERO) * company.internal_hour_cost


def catalog_service(catalog: Catalog, service_id: str) -> Service:
    """A record's catalog service; the checker has made sure it exists."""
    service = catalog.service(service_id)
    assert service is not None, service_id
    return service


def rescaled_score(record: SurveyRecord) -> Fraction:
    """A survey score on CSAT's 0-100 scale: score / scale x 100."""
    return Fraction(record.score) * 100 / record.scale


def record_figures(record: AnyRecord, company: Company, catalog: Catalog) -> Figures:
    """What one record adds to its period's figures."""
    hours = record.customer_hours or ZERO
    base = Figures(customer_hours=hours, time_cost=hours * company.customer_hour_cost, records=1, customers=0)
    if isinstance(record, ServiceRecord):
        value = service_value(record, catalog)
        avoided = service_benefit(record, catalog) == "cost-avoided"
        return replace(
            base,
            cost_avoided=value if avoided else ZERO,
            return_=ZERO if avoided else value,
            cost_to_serve=cost_to_serve(record, company),
            service_hours=record.hours or ZERO,
            service_records=1,
            usage={record.service: Usage(1, value)},
        )
    if isinstance(record, SurveyRecord):
        return replace(base, survey_points=rescaled_score(record), surveys=1)
    if isinstance(record, EscalationRecord):
        return replace(base, escalations=1)
    if isinstance(record, AppreciationRecord):
        return replace(base, appreciations=1)
    if isinstance(record, MeetingRecord):
        return replace(base, touchpoints=1, touchpoints_by_stage={record.stage: 1})
    if isinstance(record, BusinessChangeRecord):
        return replace(
            base,
            changes_by_direction={record.direction: 1},
            change_amount_by_direction={record.direction: record.amount or ZERO},
        )
    return base


def period_total(records: Iterable[Figures], spend: Decimal) -> Figures:
    """One customer's figures for a period: its records' figures, with `spend` as the period's revenue."""
    result = Figures(spend=spend, customers=1)
    for figures in records:
        result = result + figures
    return result
