"""The whole value model: every customer, every period, and the portfolio.

`compute_model` is the single source of truth: pages, the export and (later)
charts, the customer pack and `csvf diff` read figures from here only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Context, Decimal, Inexact, InvalidOperation, localcontext
from functools import partial

from csvf_build.content.load import Content, CustomerFolder, RecordFile
from csvf_build.content.schema import Catalog, Company, Contact, Customer, MeetingRecord, ServiceRecord
from csvf_build.memo import Remember, fresh
from csvf_build.model.account import (
    Handover,
    SamePeriod,
    handovers,
    next_presentation,
    open_escalations,
    purchasing_changes,
    same_period_last_year,
)
from csvf_build.model.breakeven import BreakEven, break_even
from csvf_build.model.expectations import ExpectationStatus, expectation_statuses
from csvf_build.model.figures import Figures, catalog_service, period_total, record_figures
from csvf_build.model.health import Health, health, is_stale, last_presentation, presentation_due
from csvf_build.model.periods import ALL_TIME, fiscal_year, fiscal_year_bounds
from csvf_build.model.portfolio import Portfolio, portfolio

# Money sums must never round: any inexact step raises instead.
EXACT = Context(prec=60, traps=[Inexact, InvalidOperation])


@dataclass(frozen=True, eq=False)
class CustomerModel:
    """One customer's computed value file."""

    folder: CustomerFolder
    record_figures: dict[str, Figures]  # what each record adds, by its content path
    years: dict[int, Figures]  # fiscal years with revenue or records, ascending
    all_time: Figures
    break_even: BreakEven
    expectations: tuple[ExpectationStatus, ...]
    health: Health
    presentation_required: bool  # its segment must be presented to once a year
    presentation_due: bool
    stale: bool
    last_record: date | None
    last_presentation: date | None
    next_presentation: date | None  # the day the next yearly presentation is due by, if required
    handovers: tuple[Handover, ...]  # current customer contacts and whom each replaced
    purchasing_changes: tuple[Contact, ...]  # purchasing contacts who came or went in the last 12 months
    open_escalations: tuple[RecordFile, ...]
    same_period: SamePeriod  # the current year to date against the same stretch of the previous one
    value_by_group: dict[int, dict[tuple[str, str], Decimal]]  # fiscal year -> (group id, benefit) -> value
    touchpoint_dates: dict[int, tuple[date, ...]] = field(default_factory=dict)  # fiscal year -> meeting dates, ascending

    @property
    def id(self) -> str:
        return self.folder.id

    @property
    def customer(self) -> Customer:
        return self.folder.customer


@dataclass(frozen=True, eq=False)
class Model:
    build_date: date
    company: Company
    catalog: Catalog
    customers: tuple[CustomerModel, ...]  # sorted by id
    fiscal_years: tuple[int, ...]  # every year any customer has, ascending
    current_year: int
    portfolios: dict[str, Portfolio]  # "2026", ..., and "all"

    def portfolio(self, year: int | None) -> Portfolio:
        """The portfolio of fiscal year `year` (any year of the model, or the current one), or of all time."""
        return self.portfolios[ALL_TIME if year is None else str(year)]

    def fiscal_year_bounds(self, year: int) -> tuple[date, date]:
        return fiscal_year_bounds(year, self.company.fiscal_year_start)


def compute_customer(
    folder: CustomerFolder, records: tuple[RecordFile, ...], company: Company, catalog: Catalog, today: date
) -> CustomerModel:
    """One customer's figures from the given records (all of them, or a customer-facing subset)."""
    customer = folder.customer
    start = company.fiscal_year_start
    each = {r.path: record_figures(r.record, company, catalog) for r in records}  # once per record
    per_record = [(r.record.date, each[r.path]) for r in records]
    by_year: dict[int, list[Figures]] = {year: [] for year in customer.revenue}
    for day, figures in per_record:
        by_year.setdefault(fiscal_year(day, start), []).append(figures)
    years = {year: period_total(by_year[year], customer.revenue.get(year, Decimal(0))) for year in sorted(by_year)}
    all_time = period_total([f for _, f in per_record], sum(customer.revenue.values(), Decimal(0)))
    dated = [(day, f.benefits, f.time_cost) for day, f in per_record]
    statuses = expectation_statuses(customer.expectations, records)
    due = presentation_due(customer.segment, customer.since, records, company, today)
    stale = is_stale(customer.since, records, company, today)
    required = customer.segment in company.presentation_required
    last_shown = last_presentation(records)
    current_year = fiscal_year(today, start)
    return CustomerModel(
        folder=folder,
        record_figures=each,
        years=years,
        all_time=all_time,
        break_even=break_even(customer.since, today, start, customer.revenue, dated),
        expectations=statuses,
        health=health(records, statuses, due=due, stale=stale, today=today),
        presentation_required=required,
        presentation_due=due,
        stale=stale,
        last_record=max((r.record.date for r in records), default=None),
        last_presentation=last_shown,
        next_presentation=next_presentation(customer.since, last_shown, company.presentation_interval_days, required),
        handovers=handovers(customer),
        purchasing_changes=purchasing_changes(customer, today),
        open_escalations=open_escalations(records),
        same_period=same_period_last_year(records, each, customer.revenue, current_year, start, today),
        value_by_group=value_by_group(records, each, catalog, start),
        touchpoint_dates=touchpoint_dates(records, start),
    )


def touchpoint_dates(records: tuple[RecordFile, ...], fiscal_year_start: int) -> dict[int, tuple[date, ...]]:
    """The dates of the customer's meetings (its touchpoints) by fiscal year, for the selling cycle."""
    result: dict[int, list[date]] = {}
    for r in records:
        if isinstance(r.record, MeetingRecord):
            result.setdefault(fiscal_year(r.record.date, fiscal_year_start), []).append(r.record.date)
    return {year: tuple(sorted(days)) for year, days in sorted(result.items())}


def value_by_group(
    records: tuple[RecordFile, ...], each: dict[str, Figures], catalog: Catalog, fiscal_year_start: int
) -> dict[int, dict[tuple[str, str], Decimal]]:
    """Service value per fiscal year by catalog group and benefit, from each record's figures."""
    result: dict[int, dict[tuple[str, str], Decimal]] = {}
    for r in records:
        if isinstance(r.record, ServiceRecord):
            figures = each[r.path]
            group = catalog_service(catalog, r.record.service).group
            year = result.setdefault(fiscal_year(r.record.date, fiscal_year_start), {})
            for benefit, amount in (("cost-avoided", figures.cost_avoided), ("return", figures.return_)):
                if amount:
                    year[(group, benefit)] = year.get((group, benefit), Decimal(0)) + amount
    return result


def compute_model(content: Content, today: date, remember: Remember = fresh) -> Model:
    """Every figure of value-model.md for checked content at build date `today`.

    `remember` may reuse a customer's figures computed from the same files (`csvf_build/memo.py`).
    """
    company, catalog = content.company, content.catalog
    with localcontext(EXACT):
        customers = tuple(
            remember("model", folder, "", partial(compute_customer, folder, folder.records, company, catalog, today))
            for folder in sorted(content.customers, key=lambda f: f.id)
        )
        years = tuple(sorted({year for c in customers for year in c.years}))
        segment_of = {c.id: c.customer.segment for c in customers}
        tier_of = {c.id: c.customer.tier for c in customers}

        def period(key: str, figures: dict[str, Figures], dates: dict[str, tuple[date, ...]]) -> Portfolio:
            return portfolio(
                key,
                figures,
                segments=company.segments,
                tiers=company.tiers,
                segment_of=segment_of,
                tier_of=tier_of,
                over_servicing_ratio=company.over_servicing_ratio,
                touchpoint_dates=dates,
            )

        current = fiscal_year(today, company.fiscal_year_start)
        portfolios = {
            str(year): period(
                str(year),
                {c.id: c.years.get(year, Figures(customers=0)) for c in customers},
                {c.id: c.touchpoint_dates.get(year, ()) for c in customers},
            )
            for year in sorted({*years, current})
        }
        portfolios[ALL_TIME] = period(
            ALL_TIME,
            {c.id: c.all_time for c in customers},
            {c.id: tuple(day for days in c.touchpoint_dates.values() for day in days) for c in customers},
        )
    return Model(
        build_date=today,
        company=company,
        catalog=catalog,
        customers=customers,
        fiscal_years=years,
        current_year=current,
        portfolios=portfolios,
    )
