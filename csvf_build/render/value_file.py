"""One customer's value file: what each section shows, built from the model.

The order is the reader's: this year and the health first, then what someone
new to the account needs, then figures, expectations, people and the records.
Every figure comes from the model; this module only chooses and formats.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol
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
from csvf_build.model.health import CSAT_FLOOR, ESCALATION_GRACE_DAYS
from csvf_build.render import fmt
from csvf_build.render.page import Block, Heading, Html, page_markdown
from csvf_build.render.views import HEALTH_ADMONITION, anchor_of, current_figures, figure_rows, reason_views, year_label

# Team role ids as words; any other id reads as its words ("key-account" -> "Key account").
ROLE_WORDS = {
    "new-business": "New business",
    "day-to-day": "Day-to-day queries",
    "technical": "Technical questions",
    "quality": "Quality",
    "negotiation": "Negotiation",
    "expediting": "Expediting",
}


class SectionRenderer(Protocol):
    def __call__(self, section: str, **values: Any) -> Html: ...


def page(s: SectionRenderer, model: Model, c: CustomerModel, content: Content) -> str:
    """The value file's Markdown: sections in reading order."""
    blocks: list[Block] = [s("top", health=health_view(c, model), facts=account_facts(c, model))]
    blocks += [Heading(2, "Figures by fiscal year", "figures"), s("figures", **figures_view(c, model))]
    expectations = expectation_rows(c)
    if expectations:
        blocks += [Heading(2, "Expectations versus actuals", "expectations"), s("expectations", rows=expectations)]
    blocks += [Heading(2, "People", "people"), s("people", customer=contact_groups(c), ours=our_people(c))]
    if c.folder.notes:
        blocks += [Heading(2, "Account story", "story"), s("story", html=Markup(c.folder.notes.html))]
    records = timeline(c, model, content)
    blocks += [Heading(2, "Timeline", "timeline"), s("timeline", records=records)]
    return page_markdown(c.customer.name, blocks, hide=("navigation",))


# -- health and notices


def health_view(c: CustomerModel, model: Model) -> dict[str, Any]:
    """The health box: the level, its reasons (or what was checked), and every notice."""
    level = c.health.level
    return {
        "level": level,
        "admonition": HEALTH_ADMONITION[level],
        "reasons": reason_views(c, c.health.reasons),
        "checked": [] if c.health.reasons else checks_passed(c, model),
        "notices": notices(c, model),
    }


def checks_passed(c: CustomerModel, model: Model) -> list[str]:
    """What a green health really says: each rule that was checked and held."""
    company = model.company
    said = [
        f"no escalation open for more than {ESCALATION_GRACE_DAYS} days",
        "no reduction or lost line in the last 12 months",
    ]
    said.append(
        f"CSAT over the last 12 months at or above {CSAT_FLOOR}"
        if c.health.csat_last_12_months is not None
        else "no survey in the last 12 months"
    )
    if c.presentation_required:
        said.append(f"presented to within the last {company.presentation_interval_days} days")
    else:
        said.append(f"no yearly presentation required for the {c.customer.segment} segment")
    said.append(f"a record within the last {company.stale_after_days} days")
    measured = [s for s in c.expectations if s.met is not None]
    if not c.expectations:
        said.append("no expectations set yet")
    else:
        said.append(f"{len(measured)} of {len(c.expectations)} expectations measured, all met")
    return said


def notices(c: CustomerModel, model: Model) -> list[Markup]:
    """Notices beside health: over-servicing, a presentation due, a stale file."""
    out = []
    year = model.current_year
    share = model.portfolio(year).shares[c.id]
    if share.over_serviced:
        out.append(
            Markup("<strong>Over-serviced in FY%s</strong>: %s of our cost to serve against %s of revenue.")
            % (year, fmt.percent(share.cost_to_serve_share), fmt.percent(share.revenue_share))
        )
    if c.presentation_due:
        out.append(
            Markup("<strong>Yearly presentation due</strong>: last one %s.")
            % (fmt.day(c.last_presentation) if c.last_presentation else "never")
        )
    if c.stale:
        out.append(Markup("<strong>Stale</strong>: the last record is from %s.") % fmt.day(c.last_record))
    return out


def account_facts(c: CustomerModel, model: Model) -> list[tuple[str, object]]:
    """The label/value pairs at the top of a value file."""
    customer, today = c.customer, model.build_date
    required = Markup(" (yearly presentation required)") if c.presentation_required else Markup("")
    last_record: Markup = Markup("none yet")
    if c.last_record:
        last_record = Markup("%s (%s)") % (fmt.day(c.last_record), days_ago(c.last_record, today))
    last_presentation = Markup("never")
    if c.last_presentation:
        last_presentation = Markup("%s (%s)") % (fmt.day(c.last_presentation), days_ago(c.last_presentation, today))
    return [
        ("Segment", Markup("%s%s") % (customer.segment, required)),
        ("Tier", customer.tier),
        ("Industry", customer.industry or fmt.NONE),
        ("Customer since", fmt.day(customer.since)),
        ("Account manager", customer.account_manager),
        ("Last record", last_record),
        ("Last presentation", last_presentation),
        ("Break-even (profit zone)", Markup(c.break_even.month.label()) if c.break_even.month else Markup("not reached yet")),
    ]


def days_ago(day: date | None, today: date) -> str:
    if day is None:
        return ""
    days = (today - day).days
    return "today" if days == 0 else f"{days} days ago"


# -- figures


def figures_view(c: CustomerModel, model: Model) -> dict[str, Any]:
    """The figures table with the current year first, then older years, then all time."""
    years = sorted(c.years, reverse=True)
    return {
        "headings": ["Figure", *(year_label(model, y) for y in years), "All time"],
        "rows": [(row.label, *row.values) for row in figure_rows([c.years[y] for y in years] + [c.all_time])],
        "currency": model.company.currency,
        "build_date": fmt.day(model.build_date),
        "current": current_figures(c, model),
    }


def expectation_rows(c: CustomerModel) -> list[dict[str, object]]:
    """Each expectation with its latest actual, gap, status and history."""
    return [
        {
            "metric": s.expectation.metric,
            "expected": Markup("%s %s%s")
            % (fmt.number(s.expectation.expected), s.expectation.unit, " (lower is better)" if s.expectation.better == "lower" else ""),
            "actual": fmt.number(s.actual),
            "gap": fmt.percent(s.gap),
            "status": Markup({True: "met", False: "<strong>not met</strong>", None: "not measured"}[s.met]),
            "measured": fmt.day(s.latest.date) if s.latest else fmt.NONE,
            "history": [{"date": fmt.day(m.date), "actual": fmt.number(m.actual)} for m in s.history],
        }
        for s in c.expectations
    ]


# -- people


def role_words(role: str) -> str:
    return ROLE_WORDS.get(role, role.replace("-", " ").capitalize())


def _contact_view(k: Contact) -> dict[str, object]:
    period = f"since {k.from_}" if k.to is None else f"{k.from_} to {k.to}"
    email = Markup('<a href="mailto:%s">%s</a>') % (quote(k.email, safe="@.+-_"), k.email) if k.email else None
    return {"name": k.name, "role": k.role, "period": period, "email": email, "note": k.note}


def contact_groups(c: CustomerModel) -> list[dict[str, object]]:
    """The customer's people: current contacts, then former ones (the handover history)."""
    contacts = [k for k in c.customer.contacts if k.side == "customer"]
    current = sorted((k for k in contacts if k.to is None), key=lambda k: k.from_)
    former = sorted((k for k in contacts if k.to is not None), key=lambda k: (k.to, k.from_), reverse=True)
    groups = [("Current contacts", current), ("Former contacts, latest first", former)]
    return [{"title": title, "contacts": [_contact_view(k) for k in members]} for title, members in groups if members]


def our_people(c: CustomerModel) -> list[dict[str, object]]:
    """Our side as one list by person: account manager, team roles in words, our-side contacts."""
    people: dict[str, dict[str, Any]] = {}

    def person(name: str) -> dict[str, Any]:
        return people.setdefault(name, {"name": name, "roles": [], "period": "", "email": None, "note": None, "former": False})

    person(c.customer.account_manager)["roles"].append("Account manager")
    for role, name in sorted(c.customer.team.items()):
        person(name)["roles"].append(role_words(role))
    for k in sorted((k for k in c.customer.contacts if k.side == "us"), key=lambda k: (k.to is not None, k.from_)):
        entry = person(k.name)
        entry["roles"].append(k.role)
        entry.update({key: value for key, value in _contact_view(k).items() if key in ("period", "email", "note")})
        entry["former"] = k.to is not None
    return [{**p, "roles": ", ".join(dict.fromkeys(p["roles"]))} for p in sorted(people.values(), key=lambda p: p["former"])]


# -- records


def record_facts(record_file: RecordFile, c: CustomerModel, model: Model) -> list[tuple[str, object]]:
    """The label/value pairs shown under a record's title; figures come from the model."""
    record, currency = record_file.record, model.company.currency
    facts: list[tuple[str, object]] = []
    if isinstance(record, ServiceRecord):
        figures = c.record_figures[record_file.path]
        service = model.catalog.service(record.service)
        assert service is not None  # the checker made sure
        facts.append(("Service", service.name))
        if record.quantity is not None:
            facts.append(("Quantity", quantity(record.quantity, service.unit, currency)))
        facts.append(("Value", fmt.money(figures.benefits, currency)))
        facts.append(("Benefit", (record.benefit or service.benefit).replace("-", " ")))
        if record.hours is not None:
            facts.append(("Our hours", fmt.number(record.hours)))
        facts.append(("Cost to serve", fmt.money(figures.cost_to_serve, currency)))
    elif isinstance(record, MeetingRecord):
        facts += [("Kind", record.kind), ("Stage", f"{record.stage} the purchase")]
    elif isinstance(record, SurveyRecord):
        facts.append(("Score", Markup("%s / %s") % (fmt.number(record.score), record.scale)))
    elif isinstance(record, EscalationRecord):
        facts += [("Level", record.level), ("Raised to", record.raised_to)]
        facts.append(("Resolved", fmt.day(record.resolved) if record.resolved else Markup("<strong>not yet</strong>")))
    elif isinstance(record, AppreciationRecord):
        facts.append(("From", record.from_))
        if record.about:
            facts.append(("About", record.about))
    elif isinstance(record, BusinessChangeRecord):
        facts.append(("Direction", record.direction))
        if record.amount is not None:
            facts.append(("Amount", Markup("%s per year") % fmt.money(record.amount, currency)))
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


def quantity(amount: object, unit: str, currency: str) -> Markup:
    """A quantity with its unit; a unit that is the company's currency reads as money."""
    if unit.casefold() == currency.casefold():
        return fmt.money(amount, currency)  # type: ignore[arg-type]
    return Markup("%s %s") % (fmt.number(amount), unit)  # type: ignore[arg-type]


def timeline(c: CustomerModel, model: Model, content: Content) -> list[dict[str, object]]:
    """Every record, newest first, with its facts and its rendered body."""
    return [
        {
            "date": fmt.day(r.record.date),
            "title": r.record.title,
            "anchor": anchor_of(c, r.path),
            "type": r.record.type,
            "internal": r.record.internal,
            "facts": record_facts(r, c, model),
            "body": Markup(r.body.html),
            "source": content.source_name(r.path),
        }
        for r in reversed(c.folder.records)
    ]
