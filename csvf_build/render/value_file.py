"""One customer's value file: what each section shows, built from the model.

The order is the reader's: this year and the health first, then what someone
new to the account needs, then figures, expectations, people and the records.
Every figure comes from the model; this module only chooses and formats.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import groupby
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from markupsafe import Markup

from csvf_build.calendar import fiscal_year
from csvf_build.charts.customer import measurement_source
from csvf_build.charts.spec import Chart, NoChart
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
from csvf_build.history import CustomerHistory
from csvf_build.model.account import break_even_progress
from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.health import CSAT_FLOOR, ESCALATION_GRACE_DAYS, in_last_12_months
from csvf_build.render import fmt
from csvf_build.render.page import Block, Heading, Html, page_markdown
from csvf_build.render.views import HEALTH_ADMONITION, anchor_of, current_figures, figure_rows, reason_views, year_label

if TYPE_CHECKING:  # the pack module imports this one (role words): no import at run time
    from csvf_build.present.on_site import ShownPack, SitePacks

# Team role ids as words; any other id reads as its words ("key-account" -> "Key account").
ROLE_WORDS = {
    "new-business": "New business",
    "day-to-day": "Day-to-day queries",
    "technical": "Technical questions",
    "quality": "Quality",
    "negotiation": "Negotiation",
    "expediting": "Expediting",
}


LATEST_RECORDS = 5


class SectionRenderer(Protocol):
    def __call__(self, section: str, **values: Any) -> Html: ...


def page(
    s: SectionRenderer,
    model: Model,
    c: CustomerModel,
    content: Content,
    charts: list[Chart],
    history: CustomerHistory | None = None,
    packs: SitePacks | None = None,
) -> str:
    """The value file's Markdown: sections in reading order.

    `packs` holds the yearly packs and which pack each presentation record
    showed (None: the caller made no packs, and the page says nothing of them).
    """
    by_kind = {chart_kind(chart): chart for chart in charts}
    blocks: list[Block] = [
        s(
            "top",
            headline=headline(c, model),
            cards=key_figures(c, model),
            health=health_view(c, model, last_shown(c, packs)),
            facts=account_facts(c, model),
        ),
        Heading(2, "Start here", "start-here"),
        s("start", **start_here(c, model), pack=pack_view(c, model, packs)),
        Heading(2, "Charts", "charts"),
        s("charts", charts=[chart_view(by_kind[k]) for k in ("value-by-year", "break-even", "ratios", "satisfaction")]),
        Heading(2, "Figures by fiscal year", "figures"),
        s("figures", **figures_view(c, model)),
    ]
    if c.expectations:
        expectation_charts = [chart_view(chart) for chart in charts if chart_kind(chart) == "expectation"]
        blocks += [
            Heading(2, "Expectations versus actuals", "expectations"),
            s("expectations", rows=expectation_rows(c), charts=expectation_charts),
        ]
    former = former_contacts(c)
    if former:
        blocks += [Heading(2, "Contact history", "contact-history"), s("history", contacts=former)]
    if c.folder.notes:
        blocks += [Heading(2, "Account story", "story"), s("story", html=Markup(c.folder.notes.html))]
    if history is not None and history.files:
        blocks += [Heading(2, "Change history", "changes"), s("changes", **change_history(c, content, history))]
    records = timeline(c, model, content, packs.shown if packs else {})
    blocks += [Heading(2, "Timeline", "timeline"), s("timeline_intro", count=len(records), types=record_types(records))]
    for fiscal, group in groupby(records, key=lambda r: r["fiscal_year"]):
        items = list(group)
        blocks += [Heading(3, year_label(model, int(str(fiscal))), f"fy{fiscal}"), s("records", records=items)]
    return page_markdown(c.customer.name, blocks, hide=("navigation",))


def page_inputs(model: Model, c: CustomerModel, content: Content, history: CustomerHistory | None, packs: SitePacks | None) -> str:
    """What `page` reads beyond the customer's own files, the company, the catalog and the build date.

    The key its page is reused by between builds (`csvf_build/memo.py`): its
    shares of each portfolio period, the source names, its change history and
    its packs. A figure of another customer reaches the page only through these.
    """
    shares = {key: period.shares.get(c.id) for key, period in sorted(model.portfolios.items())}
    pack = None if packs is None else (packs.packs.get(c.id), [packs.shown.get(r.path) for r in c.folder.records])
    return repr((content.root_name, shares, history, pack))


# -- health and notices


def health_view(c: CustomerModel, model: Model, shown: ShownPack | None = None) -> dict[str, Any]:
    """The health box: the level, its reasons (or what was checked), and every notice."""
    level = c.health.level
    return {
        "level": level,
        "admonition": HEALTH_ADMONITION[level],
        "reasons": reason_views(c, c.health.reasons),
        "checked": [] if c.health.reasons else checks_passed(c, model),
        "notices": notices(c, model, shown),
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


def notices(c: CustomerModel, model: Model, shown: ShownPack | None = None) -> list[Markup]:
    """Notices beside health: over-servicing, a presentation due, a stale file, a pack shown that the records no longer give."""
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
    if shown is not None and shown.matched_year is None:
        out.append(
            Markup("<strong>The pack shown on %s has changed since</strong>: the records no longer give reference %s (see Start here).")
            % (fmt.day(shown.day), shown.reference)
        )
    return out


def last_shown(c: CustomerModel, packs: SitePacks | None) -> ShownPack | None:
    """What the latest presentation says it showed, if it names a pack."""
    latest = next((r for r in reversed(c.folder.records) if isinstance(r.record, PresentationRecord)), None)
    return packs.shown.get(latest.path) if packs and latest else None


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
    """Each expectation: baseline, expected, the latest actual, progress, gap, status, and whose figure it is."""
    rows: list[dict[str, object]] = []
    for s in c.expectations:
        e = s.expectation
        unit = Markup(" %s") % e.unit
        latest = s.latest
        rows.append(
            {
                "metric": e.metric,
                "baseline": fmt.number(e.baseline) + unit if e.baseline is not None else fmt.NONE,
                "expected": fmt.number(e.expected) + unit + Markup(" (lower is better)" if e.better == "lower" else ""),
                "actual": fmt.number(s.actual) + unit if s.actual is not None else fmt.NONE,
                "progress": Markup("%s of the way") % fmt.percent(s.progress, decimals=0) if s.progress is not None else fmt.NONE,
                "gap": fmt.percent(s.gap),
                "status": Markup({True: "met", False: "<strong>not met</strong>", None: "not measured"}[s.met]),
                "measured": fmt.day(latest.date) if latest else fmt.NONE,
                "source": measurement_source(latest.confirmed_by) if latest else "",
            }
        )
    return rows


# -- people


def role_words(role: str) -> str:
    return ROLE_WORDS.get(role, role.replace("-", " ").capitalize())


def _contact_view(k: Contact) -> dict[str, object]:
    period = f"since {k.from_}" if k.to is None else f"{k.from_} to {k.to}"
    email = Markup('<a href="mailto:%s">%s</a>') % (quote(k.email, safe="@.+-_"), k.email) if k.email else None
    return {"name": k.name, "role": k.role, "period": period, "email": email, "note": k.note}


def former_contacts(c: CustomerModel) -> list[dict[str, object]]:
    """Customer contacts who left their role, latest first: the handover history."""
    former = [k for k in c.customer.contacts if k.side == "customer" and k.to is not None]
    return [_contact_view(k) for k in sorted(former, key=lambda k: (k.to, k.from_), reverse=True)]


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


# -- change history

HISTORY_SHOWN = 30


def change_history(c: CustomerModel, content: Content, history: CustomerHistory) -> dict[str, Any]:
    """Who added or changed which file of the account, when, and why (the commit subject): newest first."""
    titles = {r.path: r.record.title for r in c.folder.records}
    changes = history.changes()
    return {
        "count": len(changes),
        "shown": [
            {
                "date": change.date.date().isoformat(),
                "author": change.author,
                "action": change.action,
                "what": titles.get(path) or content.source_name(path),
                "anchor": anchor_of(c, path) if path in titles else None,
                "commit": change.commit[:10],
                "subject": change.subject,
            }
            for change, path in changes[:HISTORY_SHOWN]
        ],
    }


# -- records


def record_facts(record_file: RecordFile, c: CustomerModel, model: Model, shown: ShownPack | None = None) -> list[tuple[str, object]]:
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
        if shown is not None:
            facts.append(("Pack shown", shown_pack_words(shown)))
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


def shown_pack_words(shown: ShownPack) -> str:
    """Which pack the customer saw, against the packs today's records give for that day."""
    if shown.matched_year is not None:
        return f"reference {shown.reference}: the FY{shown.matched_year} pack as of {shown.day}, and the records behind it are unchanged"
    today = "; ".join(f"FY{fiscal} is {reference}" for fiscal, reference in shown.candidates) or "none"
    return (
        f"reference {shown.reference}: not a pack these records give for {shown.day} (made from them today: {today}); "
        "a record, a setting or the cover note behind it changed since, or the reference is mistyped"
    )


def timeline(c: CustomerModel, model: Model, content: Content, shown: Mapping[str, ShownPack]) -> list[dict[str, object]]:
    """Every record, newest first, with its facts and its rendered body."""
    return [
        {
            "date": fmt.day(r.record.date),
            "title": r.record.title,
            "anchor": anchor_of(c, r.path),
            "type": r.record.type,
            "internal": r.record.internal,
            "facts": record_facts(r, c, model, shown.get(r.path)),
            "body": Markup(r.body.html),
            "source": content.source_name(r.path),
            "fiscal_year": fiscal_year(r.record.date, model.company.fiscal_year_start),
        }
        for r in reversed(c.folder.records)
    ]


def record_types(records: list[dict[str, object]]) -> list[tuple[str, int]]:
    """The record types present, with counts, for the timeline's filter."""
    counts: dict[str, int] = {}
    for r in records:
        counts[str(r["type"])] = counts.get(str(r["type"]), 0) + 1
    return sorted(counts.items())


# -- this year first


def headline(c: CustomerModel, model: Model) -> str:
    """The current fiscal year to date in one plain sentence."""
    year, currency, name = model.current_year, model.company.currency, c.customer.name
    f = c.years.get(year)
    if f is None or (not f.spend and not f.benefits):
        return f"Nothing is recorded for {name} in FY{year} yet: no spend and no service value."
    got = f"got {fmt.money(f.benefits, currency)} back in services and measured returns"
    if not f.spend:
        return f"In FY{year} so far {name} has no spend recorded with us and {got}."
    return f"In FY{year} so far {name} spent {fmt.money(f.spend, currency)} with us and {got}: {fmt.score(f.service_value_rate)} for every 100 spent."


def _change(now: Decimal | Fraction | None, before: Decimal | Fraction | None, what: Callable[[Any], Markup]) -> str:
    if now is None or before is None:
        return "no figure to compare with"
    if not before:
        return f"was {what(before)}"
    change = (Fraction(now) - Fraction(before)) / abs(Fraction(before)) * 100
    return f"{'+' if change >= 0 else ''}{fmt.percent(change)} (was {what(before)})"


def key_figures(c: CustomerModel, model: Model) -> dict[str, Any]:
    """The cards under the headline, each against the same period of the previous year."""
    year, currency = model.current_year, model.company.currency
    f = current_figures(c, model)
    same = c.same_period
    versus = f"against FY{year - 1} to {same.last_day}"
    progress = break_even_progress(c.break_even)

    def money(amount: Decimal | Fraction) -> Markup:
        return fmt.money(amount, currency)

    if c.break_even.month:
        break_even_text, break_even_note = c.break_even.month.label(), "in the profit zone since"
    else:
        break_even_text = "not reached"
        break_even_note = f"benefits are {fmt.percent(progress)} of cost so far" if progress is not None else "no cost yet"
    return {
        "versus": versus,
        "cards": [
            ("Benefits", fmt.money(f.benefits, currency), _change(f.benefits, same.previous.benefits, money)),
            ("Spend", fmt.money(f.spend, currency), _change(f.spend, same.previous_spend, money)),
            ("Value ratio", fmt.ratio(f.value_ratio), _change(f.value_ratio, same.previous_value_ratio, fmt.ratio)),
            ("Break-even", Markup(break_even_text), break_even_note),
            ("CSAT", fmt.score(f.csat), csat_change(f.csat, same.previous.csat)),
        ],
    }


def csat_change(now: Fraction | None, before: Fraction | None) -> str:
    if now is None:
        return "no survey this year yet"
    if before is None:
        return "no survey in the same period last year"
    return _change(now, before, fmt.score)


# -- start here


def start_here(c: CustomerModel, model: Model) -> dict[str, Any]:
    """What someone new to the account reads first."""
    today = model.build_date
    return {
        "contacts": [
            {
                **_contact_view(h.contact),
                "replaced": h.predecessor.name if h.predecessor else None,
                "replaced_until": fmt.day(h.predecessor.to) if h.predecessor else None,
                "handover": h.predecessor.note if h.predecessor else None,
            }
            for h in c.handovers
        ],
        "turnover": [
            {
                "name": k.name,
                "role": k.role,
                "what": f"left on {k.to}" if k.to and in_last_12_months(k.to, today) else f"started on {k.from_}",
            }
            for k in c.purchasing_changes
        ],
        "ours": our_people(c),
        "escalations": [
            {
                "anchor": anchor_of(c, r.path),
                "title": r.record.title,
                "date": fmt.day(r.record.date),
                "days": (today - r.record.date).days,
                "level": getattr(r.record, "level", ""),
            }
            for r in c.open_escalations
        ],
        "presentation": presentation_view(c, model),
        "latest": [
            {"anchor": anchor_of(c, r.path), "title": r.record.title, "date": fmt.day(r.record.date), "type": r.record.type}
            for r in list(reversed(c.folder.records))[:LATEST_RECORDS]
        ],
    }


def presentation_view(c: CustomerModel, model: Model) -> str:
    """The last presentation and when the next falls due, in words."""
    last = f"last presented on {c.last_presentation}" if c.last_presentation else "never presented to yet"
    if c.next_presentation is None:
        return f"{last.capitalize()}; the {c.customer.segment} segment needs no yearly presentation."
    days = (c.next_presentation - model.build_date).days
    when = f"due by {c.next_presentation}, in {days} days" if days >= 0 else f"overdue since {c.next_presentation} ({-days} days)"
    return f"{last.capitalize()}; the next is {when}."


def pack_view(c: CustomerModel, model: Model, packs: SitePacks | None) -> dict[str, Any] | None:
    """The yearly pack: its file, its reference and what it shows the customer, beside this page's figures."""
    if packs is None or not c.presentation_required:
        return None
    pack = packs.packs.get(c.id)
    if pack is None:
        first = fiscal_year(c.customer.since, model.company.fiscal_year_start)
        return {"missing": f"No pack yet: the first is for FY{first}, the year {c.customer.name} became a customer, once it ends."}
    currency = model.company.currency
    figures = pack.figures
    internal = c.years.get(pack.fiscal_year)
    shown = last_shown(c, packs)
    return {
        "last": f"At the last presentation the customer saw {shown_pack_words(shown)}." if shown else None,
        "year": f"FY{pack.fiscal_year}",
        "href": pack.path.split("/", 2)[-1] if pack.path else None,
        "command": f"csvf present {c.id} --year {pack.fiscal_year}",
        "reference": pack.reference,
        "left_out": pack.internal_records,
        "rows": [
            ("Benefits", fmt.money(figures.benefits, currency), fmt.money(internal.benefits if internal else None, currency)),
            ("Cost avoided", fmt.money(figures.cost_avoided, currency), fmt.money(internal.cost_avoided if internal else None, currency)),
            ("Return", fmt.money(figures.return_, currency), fmt.money(internal.return_ if internal else None, currency)),
            ("Total cost", fmt.money(figures.total_cost, currency), fmt.money(internal.total_cost if internal else None, currency)),
            ("Value ratio", fmt.ratio(figures.value_ratio), fmt.ratio(internal.value_ratio if internal else None)),
        ],
    }


# -- charts


def chart_kind(chart: Chart) -> str:
    return chart.kind


def chart_view(chart: Chart) -> dict[str, Any]:
    """A chart as the page shows it: the image, its text alternative, the numbers behind it."""
    if isinstance(chart, NoChart):
        return {"title": chart.title, "sentence": chart.sentence}
    return {
        "title": chart.title,
        "src": chart.path.rsplit("/", 2)[-2] + "/" + chart.path.rsplit("/", 1)[-1],
        "alt": chart.alt,
        "headings": chart.table_headings,
        "rows": chart.table_rows,
    }
