"""The pack as a document: the customer-facing view in words and formatted figures.

A pure function of the view. Its result is plain data (strings, lists and
dicts, ready for JSON) that both outputs lay out as they are, so the PDF and
the HTML say the same thing. Every figure is formatted by `render.fmt`, never
recomputed; every string here is shown as plain text by the templates.
"""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from markupsafe import Markup

from csvf_build.charts.spec import Chart, ChartSpec
from csvf_build.present.note import Block
from csvf_build.present.view import CustomerView, ExpectationView, PeriodFigures, Person
from csvf_build.render import fmt

Document = dict[str, Any]
CHARTED_EXPECTATIONS = 2  # up to this many, each expectation has its chart and every reading
LATEST_READINGS = 4  # with more expectations, each shows its latest readings (six expectations fit in 8 pages)


def plain(value: Markup | str) -> str:
    """Formatted text as the characters a reader sees (`&mdash;` becomes a dash)."""
    return html.unescape(str(value))


def day(value: date | None) -> str:
    return plain(fmt.day(value))


def sentence(text: str) -> str:
    """End with one full stop, also after a name that ends with one ("Co.")."""
    return text if text.endswith((".", "!", "?")) else text + "."


class _Words:
    """Formatting in the view's currency, as plain text."""

    def __init__(self, view: CustomerView):
        self.currency = view.currency

    def money(self, value: Decimal | Fraction | None, currency: bool = True) -> str:
        return plain(fmt.money(value, self.currency if currency else ""))


def pack_document(view: CustomerView) -> Document:
    """Every page of the pack, in reading order."""
    return {
        "lang": "en",
        "title": f"{view.customer_name}: value delivered in {year_name(view)}",
        "author": view.supplier_name,
        "keywords": ["customer service value file", year_name(view)],
        "running": f"{view.customer_name} \u00b7 {year_name(view)} \u00b7 prepared by {view.supplier_name}",
        "cover": cover(view),
        "summary": summary(view),
        "services": services(view),
        "break_even": break_even(view),
        "expectations": expectations(view),
        "satisfaction": satisfaction(view),
        "people": people(view),
        "goals": goals(view),
    }


def year_name(view: CustomerView) -> str:
    return f"FY{view.fiscal_year}" + ("" if view.complete else " to date")


def period_words(view: CustomerView) -> str:
    if view.complete:
        return f"{day(view.first_day)} to {day(view.last_day)}"
    return f"{day(view.first_day)} to {day(view.as_of)} (the year to date)"


def chart(c: Chart) -> dict[str, str | None]:
    """A chart by the path of its drawing, with its text alternative; or the sentence that replaces it."""
    if isinstance(c, ChartSpec):
        return {"file": c.path, "title": c.title, "alt": c.alt, "sentence": None}
    return {"file": None, "title": c.title, "alt": None, "sentence": c.sentence}


def compact(view: CustomerView) -> bool:
    """More expectations than fit with a chart each: then each gets its latest readings only, so the pack stays within 8 pages."""
    return len(view.expectations) > CHARTED_EXPECTATIONS


def charts_of(view: CustomerView) -> dict[str, ChartSpec]:
    """Every drawing the document refers to, by its path: what the engine edge draws."""
    every = [view.value_chart, view.break_even_chart, view.ratio_chart, *(() if compact(view) else (e.chart for e in view.expectations))]
    return {c.path: c for c in every if isinstance(c, ChartSpec)}


def blocks(items: tuple[Block, ...]) -> list[dict[str, str]]:
    return [{"kind": b.kind, "text": b.text} for b in items]


def persons(items: tuple[Person, ...]) -> list[dict[str, str | None]]:
    return [{"name": p.name, "role": p.role, "email": p.email} for p in items]


# -- the pages


def cover(view: CustomerView) -> Document:
    return {
        "kicker": "Customer service value file",
        "customer": view.customer_name,
        "industry": view.industry,
        "headline": f"The value of our service in {year_name(view)}",
        "period": f"Fiscal year {view.fiscal_year}: {period_words(view)}",
        "supplier": view.supplier_name,
        "highlight": highlight(view),
        "prepared": sentence(f"Prepared on {day(view.prepared)} by {view.supplier_name} for {view.customer_name}"),
        "for_heading": f"For {view.customer_name}",
        "for_people": persons(view.contacts),
        "by_heading": f"From {view.supplier_name}",
        "by_people": persons(view.team),
        "note": blocks(view.pack_note.cover),
    }


def highlight(view: CustomerView) -> list[dict[str, str]]:
    """The cover's two figures: the value delivered and what came back for every 100 spent."""
    y = view.year
    said = [{"value": _Words(view).money(y.benefits), "label": f"of value delivered in {year_name(view)}"}]
    if y.service_value_rate is not None:
        said.append(
            {"value": plain(fmt.score(y.service_value_rate)), "label": "came back in services and measured returns for every 100 spent"}
        )
    return said


def summary(view: CustomerView) -> Document:
    w, y = _Words(view), view.year
    be = view.break_even
    return {
        "heading": f"{year_name(view)} at a glance",
        "cards": [
            {"label": "Value delivered", "value": w.money(y.benefits), "note": "cost avoided + return"},
            {"label": "Cost avoided", "value": w.money(y.cost_avoided), "note": "work not done or bought elsewhere"},
            {"label": "Return", "value": w.money(y.return_), "note": "money gained: yield, uptime, scrap, energy"},
            {"label": "For every 100 spent", "value": plain(fmt.score(y.service_value_rate)), "note": "came back in services"},
            {"label": "Value ratio", "value": plain(fmt.ratio(y.value_ratio)), "note": "value / (spend + time)"},
            {"label": "Break-even", "value": be.month or "not yet", "note": "cumulative value at or above cost"},
        ],
        "paragraphs": summary_words(view),
        "table": figures_table(view),
        "currency_note": f"Amounts in {view.currency}, rounded to whole units; ratios to 2 decimals, percentages and CSAT to 1.",
    }


def summary_words(view: CustomerView) -> list[str]:
    """The year in plain sentences: value, its two kinds, the rate, the ratio, break-even."""
    w, y, name, we = _Words(view), view.year, view.customer_name, view.supplier_name
    said = [
        f"In {year_name(view)} ({period_words(view)}) {we} delivered services worth {w.money(y.benefits)} to {name}, "
        "on top of the products it bought.",
        f"Of that, {w.money(y.cost_avoided)} was cost avoided (work {name} did not have to do or buy elsewhere) "
        f"and {w.money(y.return_)} was return (money gained through better yield, uptime, less scrap or energy).",
    ]
    if y.service_value_rate is not None:
        said.append(
            f"{name} spent {w.money(y.spend)} with us in the year: for every 100 spent, {plain(fmt.score(y.service_value_rate))} "
            f"came back in services and measured returns (a service value rate of {plain(fmt.percent(y.service_value_rate))})."
        )
    else:
        said.append(f"No spend with us is recorded for {year_name(view)}, so there is no service value rate for it.")
    if y.value_ratio is not None:
        said.append(
            f"Counting the time of {name}'s own people as well ({plain(fmt.number(y.customer_hours))} hours, worth "
            f"{w.money(y.time_cost)}), the total cost was {w.money(y.total_cost)} and the value ratio is "
            f"{plain(fmt.ratio(y.value_ratio))}: the value received for each unit of cost."
        )
    said.append(break_even_words(view))
    return said


def break_even_words(view: CustomerView) -> str:
    be, w = view.break_even, _Words(view)
    if be.month:
        return (
            f"Break-even: since {be.month}, the value {view.customer_name} has received from our services has stayed at or above "
            f"what it paid, counted from the start of the relationship ({day(view.since)}) to {be.last_month}."
        )
    if be.last_month is None or not be.cost:
        return "Break-even: there is no cost yet to compare the value with."
    return (
        f"Break-even is not reached yet: by {be.last_month}, the value received since {day(view.since)} "
        f"({w.money(be.benefits)}) was {plain(fmt.percent(be.progress))} of the cost ({w.money(be.cost)})."
    )


def figures_table(view: CustomerView) -> Document:
    """The year beside the year before and the whole relationship (money without its currency)."""
    columns: list[tuple[str, PeriodFigures]] = []
    if view.previous is not None:
        columns.append((f"FY{view.fiscal_year - 1}", view.previous))
    columns.append((year_name(view), view.year))
    columns.append((f"{day(view.since)} to {day(view.as_of)}", view.all_time))
    w = _Words(view)
    rows = [
        ("Value delivered", lambda f: w.money(f.benefits, currency=False), True),
        ("Cost avoided", lambda f: w.money(f.cost_avoided, currency=False), False),
        ("Return", lambda f: w.money(f.return_, currency=False), False),
        (f"Spend with {view.supplier_name}", lambda f: w.money(f.spend, currency=False), False),
        (f"Time of {view.customer_name}'s people", lambda f: w.money(f.time_cost, currency=False), False),
        ("Total cost", lambda f: w.money(f.total_cost, currency=False), True),
        ("Value ratio", lambda f: plain(fmt.ratio(f.value_ratio)), True),
        ("Service value rate", lambda f: plain(fmt.percent(f.service_value_rate)), False),
        ("Satisfaction (CSAT, 0-100)", lambda f: plain(fmt.score(f.csat)), False),
        ("Services delivered", lambda f: plain(fmt.number(f.services)), False),
    ]
    return {
        "headings": ["", *(label for label, _ in columns)],
        "rows": [{"label": label, "cells": [render(f) for _, f in columns], "strong": strong} for label, render, strong in rows],
    }


def services(view: CustomerView) -> Document:
    w, y = _Words(view), view.year
    rows: list[dict[str, Any]] = []
    for g in view.groups:
        rows.append(
            {
                "kind": "group",
                "cells": [g.name, "", w.money(g.cost_avoided, False), w.money(g.return_, False), w.money(g.benefits, False)],
            }
        )
        rows += [{"kind": "service", "cells": [s.name, plain(fmt.number(s.records)), "", "", w.money(s.value, False)]} for s in g.services]
    rows.append(
        {
            "kind": "total",
            "cells": [
                "All services",
                plain(fmt.number(y.services)),
                w.money(y.cost_avoided, False),
                w.money(y.return_, False),
                w.money(y.benefits, False),
            ],
        }
    )
    return {
        "heading": "Value by service group",
        "intro": f"What each group of our services was worth to {view.customer_name} in {year_name(view)}, in {view.currency}. "
        "Times is how often a service was given.",
        "empty": None if view.groups else f"No service value is recorded for {year_name(view)}.",
        "headings": ["Service group and service", "Times", "Cost avoided", "Return", "Value"],
        "rows": rows,
        "chart": chart(view.value_chart),
        "stories_heading": "Notable services",
        "stories": [
            {
                "title": s.title,
                "meta": f"{day(s.day)} \u00b7 {s.service} ({s.group}) \u00b7 {s.benefit.replace('-', ' ')}",
                "value": w.money(s.value),
                "text": s.text,
            }
            for s in view.stories
        ],
    }


def break_even(view: CustomerView) -> Document:
    return {
        "heading": "Break-even: when value overtook cost",
        "intro": (
            f"The chart adds up, month by month since {day(view.since)}, the value of our services and what {view.customer_name} "
            "paid for the relationship: its spend with us, spread over the months of each fiscal year, plus the time of its own "
            "people. Where the value line is at or above the cost line, the relationship is in the profit zone."
        ),
        "status": break_even_words(view),
        "chart": chart(view.break_even_chart),
        "ratio_intro": "The value ratio and the service value rate of each fiscal year so far:",
        "ratio_chart": chart(view.ratio_chart),
    }


def expectations(view: CustomerView) -> Document:
    return {
        "heading": f"What {view.customer_name} expected, and what was measured",
        "intro": (
            "Each result is the latest measurement up to the end of the period. Figures marked as confirmed were confirmed by "
            + sentence(f"{view.customer_name}; the others were measured by {view.supplier_name}")
        ),
        "empty": None
        if view.expectations
        else "No measurable expectation is set for this account yet: the goals page is the place to agree some.",
        "entries": [expectation(view, e, compact(view)) for e in view.expectations],
    }


def expectation(view: CustomerView, e: ExpectationView, brief: bool = False) -> Document:
    better = "lower is better" if e.better == "lower" else "higher is better"
    latest = e.latest
    facts = [("Target", f"{plain(fmt.number(e.expected))} {e.unit} ({better})")]
    if e.baseline is not None:
        facts.append(("Baseline (before)", f"{plain(fmt.number(e.baseline))} {e.unit}"))
    if latest is not None:
        facts.append(("Result", f"{plain(fmt.number(latest.actual))} {e.unit}, measured {day(latest.day)}"))
        facts.append(("Against target", plain(fmt.percent(e.gap))))
        facts.append(("Confirmed", f"confirmed by {latest.confirmed_by}" if latest.confirmed_by else f"measured by {view.supplier_name}"))
    status = {True: "Met", False: "Not met yet", None: "Not measured yet"}[e.met]
    shown = e.readings[-LATEST_READINGS:] if brief else e.readings
    earlier = len(e.readings) - len(shown)
    return {
        "metric": e.metric,
        "status": status,
        "met": e.met,
        "facts": [{"label": label, "value": value} for label, value in facts],
        "readings_headings": ["Measured", "Result", "Confirmed by"],
        "readings": [[day(r.day), f"{plain(fmt.number(r.actual))} {e.unit}", r.confirmed_by or "not confirmed"] for r in shown],
        "earlier": f"The latest {len(shown)} of {len(e.readings)} readings; {view.supplier_name} keeps every one." if earlier else None,
        "chart": {"file": None, "title": e.chart.title, "alt": None, "sentence": None} if brief else chart(e.chart),
    }


def satisfaction(view: CustomerView) -> Document:
    y = view.year
    if y.csat is not None:
        csat = (
            f"Average satisfaction (CSAT) in {year_name(view)}: {plain(fmt.score(y.csat))} out of 100, from {y.surveys} "
            f"survey answer{'s' if y.surveys != 1 else ''}."
        )
    else:
        csat = f"No satisfaction survey was answered in {year_name(view)}."
    return {
        "heading": "Satisfaction",
        "csat": csat,
        "touchpoints": f"Meetings, reviews and visits in the year: {plain(fmt.number(y.touchpoints))}.",
        "surveys_headings": ["Date", "Survey", "Answer", "CSAT (0-100)"],
        "surveys": [[day(s.day), s.title, f"{plain(fmt.number(s.score))} of {s.scale}", plain(fmt.score(s.csat))] for s in view.surveys],
        "appreciations_heading": "Thanks received",
        "appreciations": [
            {
                "title": a.title,
                "meta": f"{day(a.day)} \u00b7 from {a.sender}" + (f" \u00b7 about {a.about}" if a.about else ""),
                "text": a.text,
            }
            for a in view.appreciations
        ],
        "no_appreciations": None if view.appreciations else f"No appreciation is recorded for {year_name(view)}.",
    }


def people(view: CustomerView) -> Document:
    return {
        "heading": "Who is who",
        "intro": "The people on both sides of the account today.",
        "customer_heading": view.customer_name,
        "customer": persons(view.contacts),
        "us_heading": view.supplier_name,
        "us": persons(view.team),
    }


def goals(view: CustomerView) -> Document:
    """Next year's goals: the rep's `## Next year` text, else questions to agree on, with what is still open."""
    heading = f"Goals for FY{view.fiscal_year + 1}"
    if view.pack_note.next_year:
        return {"heading": heading, "intro": None, "blocks": blocks(view.pack_note.next_year), "lines": 0}
    open_items = [
        f"Carry on: {e.metric} (target {plain(fmt.number(e.expected))} {e.unit}; "
        + (f"latest {plain(fmt.number(e.latest.actual))} {e.unit})" if e.latest else "not measured yet)")
        for e in view.expectations
        if e.met is not True
    ]
    prompts = [
        "Which results should we measure next year, and against what target?",
        "Which of our services should start, stop or grow?",
        "Who on each side owns each goal, and when do we review it together?",
    ]
    items = [Block("item", text) for text in [*open_items, *prompts]]
    return {
        "heading": heading,
        "intro": f"To agree together with {view.customer_name}:",
        "blocks": blocks(tuple(items)),
        "lines": 6,  # ruled lines to write on in the meeting
    }
