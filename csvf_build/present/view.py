"""The customer-facing view: only what may leave the company, computed without internal records.

`customer_view` is the one way into a pack. It removes internal records (and
the account notes, contact notes and attachments) from the customer's folder
*before* computing (`compute_customer` on the rest, content-format.md:
"anything made for the customer is computed without them"), then copies out
only what may be shown. The document code receives a `CustomerView` and
nothing else: no model, no folder, so no cost to serve, service hours,
revenue per service hour, over-servicing, health or another customer's data
is within its reach.

The pack is taken as at the last day of its fiscal year (or the build date,
for the year still running): a pack for FY2026 shows FY2026 and what came
before it, whenever it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction

from csvf_build.charts import customer as charts
from csvf_build.charts.spec import Chart, ChartSpec
from csvf_build.content.load import CustomerFolder, RecordFile
from csvf_build.content.schema import AppreciationRecord, Catalog, Company, Expectation, ServiceRecord, SurveyRecord
from csvf_build.model.account import break_even_progress
from csvf_build.model.compute import EXACT, CustomerModel, Model, compute_customer
from csvf_build.model.expectations import ExpectationStatus
from csvf_build.model.figures import Figures, catalog_service, service_benefit
from csvf_build.model.periods import fiscal_year, fiscal_year_bounds
from csvf_build.present.note import PackNote, first_paragraph
from csvf_build.render import fmt
from csvf_build.render.value_file import role_words

NOTABLE_SERVICES = 5  # the largest services of the year, each with its story


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    email: str | None = None


@dataclass(frozen=True)
class PeriodFigures:
    """The figures of one period that the customer may see: no cost to serve, no service hours."""

    cost_avoided: Decimal
    return_: Decimal
    benefits: Decimal
    spend: Decimal
    customer_hours: Decimal
    time_cost: Decimal
    total_cost: Decimal
    value_ratio: Fraction | None
    service_value_rate: Fraction | None
    csat: Fraction | None
    surveys: int
    appreciations: int
    touchpoints: int
    services: int  # service records

    @classmethod
    def of(cls, f: Figures) -> PeriodFigures:
        return cls(
            cost_avoided=f.cost_avoided,
            return_=f.return_,
            benefits=f.benefits,
            spend=f.spend,
            customer_hours=f.customer_hours,
            time_cost=f.time_cost,
            total_cost=f.total_cost,
            value_ratio=f.value_ratio,
            service_value_rate=f.service_value_rate,
            csat=f.csat,
            surveys=f.surveys,
            appreciations=f.appreciations,
            touchpoints=f.touchpoints,
            services=f.service_records,
        )


@dataclass(frozen=True)
class ServiceUse:
    """One catalog service in the year: how often it was given and its value."""

    name: str
    records: int
    value: Decimal


@dataclass(frozen=True)
class GroupValue:
    name: str
    cost_avoided: Decimal
    return_: Decimal
    services: tuple[ServiceUse, ...]  # largest value first

    @property
    def benefits(self) -> Decimal:
        return self.cost_avoided + self.return_


@dataclass(frozen=True)
class Story:
    """A notable service of the year and its short story (the first paragraph of the record)."""

    day: date
    title: str
    service: str
    group: str
    benefit: str  # cost-avoided | return
    value: Decimal
    text: str


@dataclass(frozen=True)
class Reading:
    day: date
    actual: Decimal
    confirmed_by: str | None  # who on the customer's side confirmed the figure, when someone did


@dataclass(frozen=True)
class ExpectationView:
    metric: str
    unit: str
    better: str  # higher | lower
    expected: Decimal
    baseline: Decimal | None
    readings: tuple[Reading, ...]  # oldest first; the last one is the result
    met: bool | None  # None: not measured yet
    gap: Fraction | None
    chart: Chart

    @property
    def latest(self) -> Reading | None:
        return self.readings[-1] if self.readings else None


@dataclass(frozen=True)
class SurveyAnswer:
    day: date
    title: str
    score: Decimal
    scale: int
    csat: Fraction  # on the 0-100 scale


@dataclass(frozen=True)
class Appreciation:
    day: date
    title: str
    sender: str
    about: str | None
    text: str


@dataclass(frozen=True)
class BreakEvenView:
    month: str | None  # YYYY-MM from which cumulative benefits stayed at or above cumulative cost
    last_month: str | None  # the month the figures are taken at
    benefits: Fraction  # cumulative, at `last_month`
    cost: Fraction
    progress: Fraction | None  # benefits as a percentage of cost


@dataclass(frozen=True)
class CustomerView:
    """Everything a pack may show about one customer and one fiscal year."""

    customer_id: str
    customer_name: str
    industry: str | None
    since: date
    supplier_name: str
    currency: str
    fiscal_year: int
    first_day: date
    last_day: date
    complete: bool  # False: the year is still running and the figures are to date
    as_of: date  # the day the figures are taken at
    prepared: date  # the build date
    contacts: tuple[Person, ...]  # the customer's contacts in their role on the day the pack is made
    account_manager: str
    team: tuple[Person, ...]  # our people, with their roles in words
    year: PeriodFigures
    previous: PeriodFigures | None  # the fiscal year before, if the customer had one
    all_time: PeriodFigures  # from `since` to `as_of`
    groups: tuple[GroupValue, ...]
    stories: tuple[Story, ...]
    break_even: BreakEvenView
    expectations: tuple[ExpectationView, ...]
    surveys: tuple[SurveyAnswer, ...]  # in the year
    appreciations: tuple[Appreciation, ...]  # in the year
    pack_note: PackNote  # what the rep wrote in pack.md
    value_chart: Chart
    break_even_chart: Chart
    ratio_chart: Chart


# -- the period


def default_year(today: date, fiscal_year_start: int) -> int:
    """The last complete fiscal year: the one before the build date's."""
    return fiscal_year(today, fiscal_year_start) - 1


def pack_years(since: date, today: date, fiscal_year_start: int) -> range:
    """The fiscal years a pack can be made for: from the year of `since` to the build date's."""
    return range(fiscal_year(since, fiscal_year_start), fiscal_year(today, fiscal_year_start) + 1)


def taken_at(year: int, fiscal_year_start: int, today: date) -> date:
    """The day a pack's figures are taken at: the last day of its year, or the build date if sooner."""
    return min(fiscal_year_bounds(year, fiscal_year_start)[1], today)


# -- the customer-facing model


def public_folder(folder: CustomerFolder, year: int, day: date) -> CustomerFolder:
    """The folder without internal records, notes, contact notes, attachments and anything after `day`."""
    customer = folder.customer
    public_customer = customer.model_copy(
        update={
            "contacts": [k.model_copy(update={"note": None}) for k in customer.contacts],
            "revenue": {y: amount for y, amount in customer.revenue.items() if y <= year},
        }
    )
    records = tuple(r for r in folder.records if not r.record.internal and r.record.date <= day)
    return replace(folder, customer=public_customer, notes=None, records=records, attachments=frozenset())


def public_model(folder: CustomerFolder, company: Company, catalog: Catalog, year: int, today: date) -> CustomerModel:
    """The customer-facing model of fiscal year `year`: computed only from what the customer may see."""
    day = taken_at(year, company.fiscal_year_start, today)
    public = public_folder(folder, year, day)
    with localcontext(EXACT):
        return compute_customer(public, public.records, company, catalog, day)


# -- the view


def customer_view(
    folder: CustomerFolder, company: Company, catalog: Catalog, year: int, today: date, note: PackNote | None = None
) -> CustomerView:
    """What the pack of `year` may show, built from the customer-facing model only."""
    start = company.fiscal_year_start
    c = public_model(folder, company, catalog, year, today)
    first, last = fiscal_year_bounds(year, start)
    day = taken_at(year, start, today)
    chart_model = Model(
        build_date=day,
        company=company,
        catalog=catalog,
        customers=(c,),
        fiscal_years=tuple(c.years),
        current_year=year if day < last else year + 1,  # charts say "to date" only of a year still running
        portfolios={},
    )
    in_year = tuple(r for r in c.folder.records if first <= r.record.date <= last)
    previous = c.years.get(year - 1)
    return CustomerView(
        customer_id=folder.id,
        customer_name=c.customer.name,
        industry=c.customer.industry,
        since=c.customer.since,
        supplier_name=company.name,
        currency=company.currency,
        fiscal_year=year,
        first_day=first,
        last_day=last,
        complete=day == last,
        as_of=day,
        prepared=today,
        contacts=tuple(Person(k.name, k.role, k.email) for k in c.customer.contacts if k.side == "customer" and k.active_on(today)),
        account_manager=c.customer.account_manager,
        team=our_team(c, today),
        year=PeriodFigures.of(c.years.get(year, Figures(customers=0))),
        previous=PeriodFigures.of(previous) if previous is not None else None,
        all_time=PeriodFigures.of(c.all_time),
        groups=group_values(c, catalog, year),
        stories=notable_stories(c, catalog, in_year),
        break_even=break_even_view(c),
        expectations=tuple(expectation_view(c, s, i) for i, s in enumerate(c.expectations, start=1)),
        surveys=survey_answers(c, in_year),
        appreciations=tuple(
            Appreciation(r.record.date, r.record.title, r.record.from_, r.record.about, first_paragraph(r.body.html))
            for r in in_year
            if isinstance(r.record, AppreciationRecord)
        ),
        pack_note=note or PackNote(),
        value_chart=_value_chart(c, chart_model, year),
        break_even_chart=charts.break_even(c, chart_model, _chart_base(c)),
        ratio_chart=charts.ratios(c, chart_model, _chart_base(c)),
    )


def _chart_base(c: CustomerModel) -> str:
    return f"pack/{c.id}"


def _value_chart(c: CustomerModel, model: Model, year: int) -> Chart:
    """The value-by-year chart, its text alternative about the pack's year (not the build date's)."""
    chart = charts.value_by_year(c, model, _chart_base(c))
    if not isinstance(chart, ChartSpec):
        return chart
    benefits = c.years[year].benefits if year in c.years else Decimal(0)
    alt = f"Value delivered per fiscal year by service group, up to FY{year}; FY{year}: {fmt.money(benefits, model.company.currency)}."
    return replace(chart, alt=alt)


def our_team(c: CustomerModel, day: date) -> tuple[Person, ...]:
    """Our side by person: the account manager, the team's roles in words, our contacts in their role on `day`."""
    roles: dict[str, list[str]] = {c.customer.account_manager: ["Account manager"]}
    emails: dict[str, str | None] = {}
    for role, name in sorted(c.customer.team.items()):
        roles.setdefault(name, []).append(role_words(role))
    for k in c.customer.contacts:
        if k.side == "us" and k.active_on(day):
            roles.setdefault(k.name, []).append(k.role)
            emails[k.name] = emails.get(k.name) or k.email
    return tuple(Person(name, ", ".join(dict.fromkeys(said)), emails.get(name)) for name, said in roles.items())


def group_values(c: CustomerModel, catalog: Catalog, year: int) -> tuple[GroupValue, ...]:
    """The year's value by catalog group (catalog order), each with its services, largest first."""
    by_group = c.value_by_group.get(year, {})
    usage = c.years[year].usage if year in c.years else {}
    groups = []
    for group in catalog.groups:
        avoided = by_group.get((group.id, "cost-avoided"), Decimal(0))
        gained = by_group.get((group.id, "return"), Decimal(0))
        if not avoided and not gained:
            continue
        services = [
            ServiceUse(catalog_service(catalog, sid).name, use.records, use.value)
            for sid, use in usage.items()
            if catalog_service(catalog, sid).group == group.id and use.value
        ]
        groups.append(GroupValue(group.name, avoided, gained, tuple(sorted(services, key=lambda s: (-s.value, s.name)))))
    return tuple(groups)


def notable_stories(c: CustomerModel, catalog: Catalog, in_year: tuple[RecordFile, ...]) -> tuple[Story, ...]:
    """The year's largest services, with the first paragraph of each record's story."""
    services = [r for r in in_year if isinstance(r.record, ServiceRecord) and c.record_figures[r.path].benefits > 0]
    largest = sorted(services, key=lambda r: (-c.record_figures[r.path].benefits, r.record.date, r.path))[:NOTABLE_SERVICES]
    stories = []
    for r in largest:
        record = r.record
        assert isinstance(record, ServiceRecord)
        service = catalog_service(catalog, record.service)
        group = next((g.name for g in catalog.groups if g.id == service.group), service.group)
        stories.append(
            Story(
                day=record.date,
                title=record.title,
                service=service.name,
                group=group,
                benefit=service_benefit(record, catalog),
                value=c.record_figures[r.path].benefits,
                text=first_paragraph(r.body.html),
            )
        )
    return tuple(stories)


def break_even_view(c: CustomerModel) -> BreakEvenView:
    timeline = c.break_even.timeline
    last = timeline[-1] if timeline else None
    return BreakEvenView(
        month=c.break_even.month.label() if c.break_even.month else None,
        last_month=last.month.label() if last else None,
        benefits=last.benefits if last else Fraction(0),
        cost=last.cost if last else Fraction(0),
        progress=break_even_progress(c.break_even),
    )


def expectation_view(c: CustomerModel, s: ExpectationStatus, index: int) -> ExpectationView:
    """One expectation with its readings; `baseline` and `confirmed_by` where the format has them."""
    by_path = {r.path: r.record for r in c.folder.records}
    e = s.expectation
    return ExpectationView(
        metric=e.metric,
        unit=e.unit,
        better=e.better,
        expected=e.expected,
        baseline=_baseline(e),
        readings=tuple(Reading(m.date, m.actual, confirmed_by(getattr(by_path.get(m.path), "confirmed_by", None))) for m in s.history),
        met=s.met,
        gap=s.gap,
        chart=_expectation_chart(c, s, index),
    )


def _expectation_chart(c: CustomerModel, s: ExpectationStatus, index: int) -> Chart:
    """The expectation's chart under a short title: the pack names the metric just above it."""
    chart = charts.expectation(c, s, _chart_base(c), index)
    if not isinstance(chart, ChartSpec):
        return chart
    lines = tuple(replace(line, values=tuple(_shortest(v) for v in line.values)) for line in chart.lines)
    return replace(chart, title="Measured against the target", lines=lines)


def _shortest(value: str | None) -> str | None:
    """An exact figure without trailing zeros: the legend prints it ("Expected 4000", not "4000.0000")."""
    return None if value is None else format(Decimal(value).normalize(), "f")


def _baseline(e: Expectation) -> Decimal | None:
    value = getattr(e, "baseline", None)
    return None if value is None else Decimal(str(value))


def confirmed_by(value: object) -> str | None:
    """A measurement's `confirmed_by` as words: a name, several names, or just "the customer"."""
    if value is None or value is False:
        return None
    if value is True:
        return "the customer"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or None
    return str(value) or None


def survey_answers(c: CustomerModel, in_year: tuple[RecordFile, ...]) -> tuple[SurveyAnswer, ...]:
    answers = []
    for r in in_year:
        record = r.record
        if isinstance(record, SurveyRecord):
            csat = c.record_figures[r.path].csat
            assert csat is not None  # a survey's own figures hold its one score
            answers.append(SurveyAnswer(record.date, record.title, record.score, record.scale, csat))
    return tuple(answers)
