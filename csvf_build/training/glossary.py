"""The glossary: every figure of value-model.md in plain words, with a live example.

One list feeds two things: the generated page training/glossary.md (an entry
per figure, its example resolved against this site's model) and the labels of
value-file and portfolio pages, which link to their entry with a short
plain-text `title` (our own words, never user text: Material's tooltips put a
title into the page as HTML, so it holds no markup and no character reference).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    term: str
    short: str  # one plain sentence: the label's tooltip
    example: str  # Markdown in the live syntax, ours
    figures: tuple[str, ...] = ()  # the export names it explains

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


def _ex(rule: str, body: str, fallback: str, period: str = "this-year") -> str:
    return f"::: example {rule} in {period}\n{body}\n::: otherwise\n{fallback}\n:::"


ENTRIES: tuple[Entry, ...] = (
    Entry(
        "Service value",
        "What one service record is worth to the customer: its value, else quantity times rate.",
        _ex(
            "largest-rated-service",
            "The largest such record of {{ period }}: {{ record_title }} for {{ link }}, "
            "{{ quantity }} x {{ rate }} {{ currency }} = {{ service_value }} {{ currency }} ({{ benefit_kind }}).",
            "No service record of {{ period }} is valued by quantity x rate yet.",
        ),
        ("service_value",),
    ),
    Entry(
        "Cost avoided",
        "Work the customer did not have to do or buy elsewhere because we did it, in money.",
        _ex(
            "largest-cost-avoided",
            "{{ link }} avoided {{ cost_avoided }} {{ currency }} of cost in {{ period }}.",
            "No customer has cost avoided in {{ period }} yet.",
        ),
        ("cost_avoided",),
    ),
    Entry(
        "Return",
        "Money the customer gained from our work: yield, uptime, less scrap or energy.",
        _ex(
            "largest-return",
            "{{ link }} gained {{ return }} {{ currency }} of return in {{ period }}.",
            "No customer has a return in {{ period }} yet.",
        ),
        ("return",),
    ),
    Entry(
        "Benefits",
        "Cost avoided plus return: the functional benefits of our service, in money.",
        _ex(
            "largest-benefits",
            "{{ link }}: {{ cost_avoided }} + {{ return }} = {{ benefits }} {{ currency }} in {{ period }}.",
            "No customer has benefits in {{ period }} yet.",
        ),
        ("benefits",),
    ),
    Entry(
        "Spend",
        "What the customer paid us in the period: its revenue entry for the fiscal year.",
        _ex(
            "largest-spend",
            "Our largest customer of {{ period }}, {{ link }}, spent {{ spend }} {{ currency }}.",
            "Nobody has spend in {{ period }} yet.",
        ),
        ("spend",),
    ),
    Entry(
        "Time cost",
        "The hours the customer's own people gave, times the customer hour cost of the company settings.",
        _ex(
            "largest-time-cost",
            "{{ link }}: {{ customer_hours }} hours x {{ customer_hour_cost }} = {{ time_cost }} {{ currency }} in {{ period }}.",
            "No customer logged hours of its own people in {{ period }} yet.",
        ),
        ("time_cost",),
    ),
    Entry(
        "Total cost",
        "Spend plus time cost: what doing business with us costs the customer, as far as money can say.",
        _ex(
            "largest-spend",
            "{{ link }}: {{ spend }} + {{ time_cost }} = {{ total_cost }} {{ currency }} in {{ period }}.",
            "Nobody has spend in {{ period }} yet.",
        ),
        ("total_cost",),
    ),
    Entry(
        "Value ratio",
        "Benefits divided by total cost. Above 1 the customer gets more back than the relationship costs.",
        _ex(
            "highest-value-ratio",
            "{{ link }}: {{ benefits }} / {{ total_cost }} = {{ value_ratio }} in {{ period }}.",
            "No customer has a value ratio in {{ period }} yet.",
        ),
        ("value_ratio",),
    ),
    Entry(
        "Service value rate",
        "Benefits for every 100 of spend, as a percentage.",
        _ex(
            "highest-value-ratio",
            "{{ link }}: for every 100 {{ currency }} spent in {{ period }}, {{ service_value_rate }} came back as service.",
            "No customer has spend and benefits in {{ period }} yet.",
        ),
        ("service_value_rate",),
    ),
    Entry(
        "Cost to serve",
        "What serving the customer cost us: each service record's own cost, else its hours times our internal hour cost.",
        _ex(
            "largest-cost-to-serve",
            "{{ link }} cost us {{ cost_to_serve }} {{ currency }} to serve in {{ period }} "
            "({{ service_hours }} service hours; an hour of ours is costed at {{ internal_hour_cost }}).",
            "No service cost us anything in {{ period }} yet.",
        ),
        ("cost_to_serve",),
    ),
    Entry(
        "Service hours",
        "The hours our staff put into service records.",
        _ex(
            "most-service-hours",
            "{{ link }} took {{ service_hours }} service hours in {{ period }}.",
            "No service hours in {{ period }} yet.",
        ),
        ("service_hours",),
    ),
    Entry(
        "CSAT",
        "The mean of the customer's survey scores, each put on a 0 to 100 scale first.",
        _ex(
            "highest-csat",
            "{{ link }} scored a CSAT of {{ csat }} from {{ surveys }} survey answers in {{ period }}.",
            "No survey in {{ period }} yet.",
        ),
        ("csat",),
    ),
    Entry(
        "Escalations",
        "How many times the customer took an issue above the people handling it.",
        _ex("most-escalations", "{{ link }} escalated {{ escalations }} times in {{ period }}.", "Nobody escalated in {{ period }}."),
        ("escalations",),
    ),
    Entry(
        "Appreciations",
        "How many thanks the customer sent us.",
        _ex(
            "most-appreciations",
            "{{ link }} thanked us {{ appreciations }} times in {{ period }}.",
            "No appreciation recorded in {{ period }} yet.",
        ),
        ("appreciations",),
    ),
    Entry(
        "Touchpoints",
        "Meetings with the customer, counted before, during and after the purchase.",
        _ex(
            "most-touchpoints",
            "{{ link }}: {{ touchpoints }} touchpoints in {{ period }} "
            "({{ touchpoints_before }} before, {{ touchpoints_during }} during, {{ touchpoints_after }} after the purchase).",
            "No meeting in {{ period }} yet.",
        ),
        ("touchpoints",),
    ),
    Entry(
        "Business changes",
        "The customer giving us more business or less: expansions, new lines, reductions and lost lines.",
        _ex(
            "won-business",
            "{{ link }} in {{ period }}: {{ business_changes_expansion }} expansions "
            "({{ business_changes_expansion_amount }} {{ currency }} a year) and {{ business_changes_new_line }} new lines.",
            "No customer gave us more business in {{ period }}.",
            "all-time",
        ),
        ("business_changes",),
    ),
    Entry(
        "Break-even month",
        "The first month from which the customer's running benefits stay at or above its running total cost.",
        _ex(
            "latest-break-even",
            "{{ link }} reached the profit zone most recently: in {{ break_even }}.",
            "No customer has reached the profit zone yet.",
            "all-time",
        ),
        ("break_even",),
    ),
    Entry(
        "Gap",
        "How far the latest measurement is from what the customer expected, as a signed percentage.",
        "::: example unmet-expectation in all-time\n{{ link }} expects {{ metric }} of {{ expected }} ({{ better }} is better); "
        "the latest measurement, on {{ measured_on }}, is {{ actual }}: a gap of {{ gap }}, not met.\n"
        "::: otherwise\nEvery measured expectation is met today.\n:::",
        ("gap", "met"),
    ),
    Entry(
        "Health",
        "Red, amber or green, from open escalations, surveys, lost business, due presentations, stale files and unmet expectations.",
        _ex(
            "red-health",
            "{{ link }} is {{ health }}: {{ health_reasons }}.",
            "No customer is red today.",
        ),
        ("health",),
    ),
    Entry(
        "Presentation due",
        "A customer of a segment that must be presented to whose last yearly presentation is too long ago.",
        _ex(
            "presentation-due",
            "{{ link }} is due: last presented {{ last_presentation }}; the interval is {{ presentation_interval_days }} days.",
            "No yearly presentation is overdue today.",
        ),
        ("presentation_due",),
    ),
    Entry(
        "Revenue share",
        "The customer's spend as a share of all customers' spend in the period.",
        _ex(
            "largest-spend",
            "{{ link }} brought {{ revenue_share }} of our revenue in {{ period }}.",
            "Nobody has spend in {{ period }} yet.",
        ),
        ("revenue_share",),
    ),
    Entry(
        "Cost-to-serve share",
        "The customer's cost to serve as a share of what serving all customers cost us.",
        _ex(
            "largest-cost-to-serve",
            "{{ link }} took {{ cost_to_serve_share }} of our cost to serve in {{ period }}, for {{ revenue_share }} of revenue.",
            "No service cost us anything in {{ period }} yet.",
        ),
        ("cost_to_serve_share",),
    ),
    Entry(
        "Over-serviced",
        "Cost-to-serve share divided by revenue share reaches the company's over-servicing ratio.",
        _ex(
            "most-over-serviced",
            "{{ link }}: {{ cost_to_serve_share }} of our cost to serve for {{ revenue_share }} of revenue in {{ period }}, "
            "{{ servicing_index }} times its share (the line is {{ over_servicing_ratio }}).",
            "No customer is over-serviced in {{ period }}.",
        ),
        ("over_serviced",),
    ),
    Entry(
        "Revenue per service hour",
        "Spend divided by service hours: what one hour of our service time goes with.",
        _ex(
            "most-service-hours",
            "{{ link }}: {{ spend }} / {{ service_hours }} hours = {{ revenue_per_service_hour }} {{ currency }} per service hour in {{ period }}.",
            "No service hours in {{ period }} yet.",
        ),
        ("revenue_per_service_hour",),
    ),
    Entry(
        "Pareto 80/20",
        "The share of revenue that the top fifth of paying customers bring.",
        "In {{ period }}, the top {{ pareto_top_count of portfolio }} of {{ paying_customers of portfolio }} paying customers "
        "brought {{ pareto_top_share of portfolio }} of revenue; {{ customers_for_80_percent of portfolio }} customers make 80%.",
        ("pareto",),
    ),
    Entry(
        "Segment and tier figures",
        "The figures summed over the customers of a segment or tier, ratios worked out again from the sums.",
        "In {{ period }}, the portfolio's {{ customers of portfolio }} customers cost us {{ cost_to_serve_per_customer of portfolio }} "
        "{{ currency }} each to serve on average and spent {{ spend_per_customer of portfolio }} {{ currency }} each; "
        "{{ over_serviced_customers of portfolio }} are over-serviced.",
        ("segment_and_tier",),
    ),
)


def entry_for(label: str) -> Entry | None:
    """The glossary entry a page label names (case-insensitive), if any."""
    wanted = label.strip().lower()
    return next((e for e in ENTRIES if e.term.lower() == wanted), LABELS.get(wanted))


LABELS: dict[str, Entry] = {
    alias: entry
    for entry in ENTRIES
    for alias in {
        "Service value": ("service value",),
        "Cost to serve": ("cost to serve", "cost to serve per customer"),
        "Time cost": ("time cost", "customer time cost"),
        "Benefits": ("benefits", "total benefits"),
        "Break-even month": ("break-even", "break even", "break-even month"),
        "Revenue share": ("revenue share", "share of revenue"),
        "Over-serviced": ("over-serviced", "over serviced"),
        "Pareto 80/20": ("80/20", "pareto"),
        "Touchpoints": ("touchpoints", "meetings"),
        "Service value rate": ("service value rate",),
    }.get(entry.term, ())
}


def glossary_terms() -> dict[str, Entry]:
    """Every label a page may show (lowercase) -> its entry, for the label links."""
    return {entry.term.lower(): entry for entry in ENTRIES} | LABELS
