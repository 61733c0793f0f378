"""What each page shows, as rows of labels and values, built from the model.

Templates hold no logic: every choice that depends on a figure is made here.
Values are either user text (escaped by the template engine) or `Markup` from
`fmt` (figures we formatted).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from markupsafe import Markup

from csvf_build.content.load import Content, RecordFile
from csvf_build.content.schema import (
    AppreciationRecord,
    BusinessChangeRecord,
    Contact,
    EscalationRecord,
    MeasurementRecord,
    MeetingRecord,
    PresentationRecord,
    ServiceRecord,
    SurveyRecord,
)
from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.figures import DIRECTIONS, STAGES, Figures, catalog_service, cost_to_serve, service_benefit, service_value
from csvf_build.model.health import Reason
from csvf_build.render import fmt
from csvf_build.render.text import escape

HEALTH_ADMONITION = {"red": "danger", "amber": "warning", "green": "success"}


@dataclass(frozen=True)
class Row:
    label: Markup
    values: tuple[object, ...]


def health_badge(level: str) -> Markup:
    return Markup(f'<span class="csvf-health csvf-health--{level}">{level}</span>')


def record_anchor(path: str) -> str:
    """The id of a record's heading on its value file: stable, from its file name."""
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    return "r-" + (re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "record")


def reason_views(reasons: tuple[Reason, ...]) -> list[dict[str, object]]:
    """Health reasons with the anchor of the record behind each, if any."""
    return [{"text": r.text, "anchor": record_anchor(r.record) if r.record else None} for r in reasons]


def year_label(model: Model, year: int) -> str:
    return f"FY{year}" + (" (to date)" if year == model.current_year else "")


def figure_rows(figures: list[Figures]) -> list[Row]:
    """The value-model figures, one row each, one column per period (money without its currency)."""

    def row(label: str, render: Callable[[Figures], object]) -> Row:
        return Row(Markup(label), tuple(render(f) for f in figures))

    rows = [
        row("Cost avoided", lambda f: fmt.money(f.cost_avoided)),
        row("Return", lambda f: fmt.money(f.return_)),
        row("**Benefits**", lambda f: Markup(f"**{fmt.money(f.benefits)}**")),
        row("Spend (our revenue)", lambda f: fmt.money(f.spend)),
        row("Time cost", lambda f: fmt.money(f.time_cost)),
        row("**Total cost**", lambda f: Markup(f"**{fmt.money(f.total_cost)}**")),
        row("**Value ratio**", lambda f: Markup(f"**{fmt.ratio(f.value_ratio)}**")),
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
    return Markup(f"{count} ({fmt.money(figures.change_amount_by_direction[direction])}/yr)")


def record_facts(record_file: RecordFile, model: Model) -> list[tuple[str, object]]:
    """The label/value pairs shown under a record's title."""
    record, currency = record_file.record, model.company.currency
    facts: list[tuple[str, object]] = []
    if isinstance(record, ServiceRecord):
        service = catalog_service(model.catalog, record.service)
        facts.append(("Service", service.name))
        if record.quantity is not None:
            facts.append(("Quantity", Markup(f"{fmt.number(record.quantity)} ") + escape(service.unit)))
        facts.append(("Value", fmt.money(service_value(record, model.catalog), currency)))
        facts.append(("Benefit", service_benefit(record, model.catalog)))
        if record.hours is not None:
            facts.append(("Our hours", fmt.number(record.hours)))
        facts.append(("Cost to serve", fmt.money(cost_to_serve(record, model.company), currency)))
    elif isinstance(record, MeetingRecord):
        facts += [("Kind", record.kind), ("Stage", f"{record.stage} the purchase")]
    elif isinstance(record, SurveyRecord):
        facts.append(("Score", Markup(f"{fmt.number(record.score)} / {record.scale}")))
    elif isinstance(record, EscalationRecord):
        facts += [("Level", record.level), ("Raised to", record.raised_to)]
        facts.append(("Resolved", fmt.day(record.resolved) if record.resolved else Markup("<b>not yet</b>")))
    elif isinstance(record, AppreciationRecord):
        facts.append(("From", record.from_))
        if record.about:
            facts.append(("About", record.about))
    elif isinstance(record, BusinessChangeRecord):
        facts.append(("Direction", record.direction))
        if record.amount is not None:
            facts.append(("Amount", Markup(f"{fmt.money(record.amount, currency)} per year")))
    elif isinstance(record, MeasurementRecord):
        facts += [("Expectation", record.expectation), ("Actual", fmt.number(record.actual))]
    elif isinstance(record, PresentationRecord):
        facts.append(("Attendees", ", ".join(record.attendees)))
        if record.outcome:
            facts.append(("Outcome", record.outcome))
    if record.by:
        facts.append(("By", record.by))
    if record.contact:
        facts.append(("Contact", record.contact))
    if record.customer_hours is not None:
        facts.append(("Customer hours", fmt.number(record.customer_hours)))
    if record.tags:
        facts.append(("Tags", ", ".join(record.tags)))
    return facts


def contact_groups(contacts: list[Contact]) -> list[dict[str, object]]:
    """Current customer contacts, former ones (the handover history), our side."""

    def view(k: Contact) -> dict[str, object]:
        period = f"since {k.from_}" if k.to is None else f"{k.from_} to {k.to}"
        email = Markup(f'<a href="mailto:{quote(k.email, safe="@.+-_")}">') + escape(k.email) + Markup("</a>") if k.email else None
        return {"name": k.name, "role": k.role, "period": period, "email": email, "note": k.note}

    current = sorted((k for k in contacts if k.side == "customer" and k.to is None), key=lambda k: k.from_)
    former = sorted((k for k in contacts if k.side == "customer" and k.to is not None), key=lambda k: (k.to, k.from_), reverse=True)
    ours = sorted((k for k in contacts if k.side == "us"), key=lambda k: (k.to is not None, k.from_))
    groups = [("Current contacts", current), ("Former contacts, latest first", former), ("Our side", ours)]
    return [{"title": title, "contacts": [view(k) for k in members]} for title, members in groups if members]


def days_ago(day: date | None, today: date) -> str:
    if day is None:
        return ""
    days = (today - day).days
    return "today" if days == 0 else f"{days} days ago"


def account_facts(c: CustomerModel, model: Model) -> list[tuple[str, object]]:
    """The label/value rows at the top of a value file."""
    customer, today, year = c.customer, model.build_date, model.current_year
    current = c.years.get(year, Figures(customers=0))
    required = Markup(" (yearly presentation required)") if customer.segment in model.company.presentation_required else Markup("")
    last_record: Markup = Markup("none yet")
    if c.last_record:
        last_record = Markup(f"{fmt.day(c.last_record)} ({days_ago(c.last_record, today)})")
        last_record += Markup(" &mdash; <b>stale</b>") if c.stale else Markup("")
    last_presentation = Markup("never")
    if c.last_presentation:
        last_presentation = Markup(f"{fmt.day(c.last_presentation)} ({days_ago(c.last_presentation, today)})")
    last_presentation += Markup(" &mdash; <b>presentation due</b>") if c.presentation_due else Markup("")
    return [
        ("Segment", escape(customer.segment) + required),
        ("Tier", customer.tier),
        ("Industry", customer.industry or fmt.NONE),
        ("Customer since", fmt.day(customer.since)),
        ("Account manager", customer.account_manager),
        ("Last record", last_record),
        ("Last presentation", last_presentation),
        ("Break-even (profit zone)", Markup(c.break_even.month.label()) if c.break_even.month else Markup("not reached yet")),
        (f"Value ratio FY{year}", fmt.ratio(current.value_ratio)),
        (f"Benefits FY{year}", fmt.money(current.benefits, model.company.currency)),
    ]


def expectation_rows(c: CustomerModel) -> list[dict[str, object]]:
    """Each expectation with its latest actual, gap, status and history."""
    return [
        {
            "metric": s.expectation.metric,
            "expected": Markup(f"{fmt.number(s.expectation.expected)} ")
            + escape(s.expectation.unit)
            + Markup(" (lower is better)" if s.expectation.better == "lower" else ""),
            "actual": fmt.number(s.actual),
            "gap": fmt.percent(s.gap),
            "status": Markup({True: "met", False: "<b>not met</b>", None: "not measured"}[s.met]),
            "measured": fmt.day(s.latest.date) if s.latest else fmt.NONE,
            "history": [{"date": fmt.day(m.date), "actual": fmt.number(m.actual)} for m in s.history],
        }
        for s in c.expectations
    ]


def timeline(c: CustomerModel, model: Model, content: Content) -> list[dict[str, object]]:
    """Every record, newest first, with its facts and its rendered body."""
    return [
        {
            "date": fmt.day(r.record.date),
            "title": r.record.title,
            "anchor": record_anchor(r.path),
            "type": r.record.type,
            "internal": r.record.internal,
            "facts": record_facts(r, model),
            "body": Markup(r.body.html),
            "source": content.source_name(r.path),
        }
        for r in reversed(c.folder.records)
    ]


def customer_summary(c: CustomerModel, model: Model) -> dict[str, object]:
    """One line of the customers index."""
    current = c.years.get(model.current_year, Figures(customers=0))
    return {
        "id": c.id,
        "name": c.customer.name,
        "segment": c.customer.segment,
        "tier": c.customer.tier,
        "health": health_badge(c.health.level),
        "benefits": fmt.money(current.benefits),
        "spend": fmt.money(current.spend),
        "value_ratio": fmt.ratio(current.value_ratio),
        "last_record": fmt.day(c.last_record),
        "flags": ", ".join(customer_flags(c, model)),
    }


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
