"""Rules that pick an example's subject from the model, so examples fit any company's content.

A rule ranks what the model already computed and returns the first
candidate, ties broken by customer id (then expectation id or record path), so
the same content and build date always pick the same subject. None: nothing
fits, and the page shows the example's fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from csvf_build.content.schema import ServiceRecord
from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.figures import Figures
from csvf_build.training.figures import CUSTOMER, EXPECTATION, RECORD, Subject

Key = tuple  # sort key: smaller is better
Ranked = Callable[[Model, CustomerModel, Figures, int | None], Key | None]


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # the subject it picks: CUSTOMER, EXPECTATION or RECORD
    says: str  # plain words, for the docs and hints
    pick: Callable[[Model, list[CustomerModel], int | None], Subject | None]


def _figures(c: CustomerModel, year: int | None) -> Figures | None:
    return c.all_time if year is None else c.years.get(year)


def _candidates(model: Model, among: str | None, year: int | None) -> list[CustomerModel]:
    """The customers of the period (all time: all), narrowed to a segment or tier."""
    members = set(model.portfolio(year).members) if (year is None or str(year) in model.portfolios) else set()
    if among == "top-segment":  # the company's most important segment, whatever it is called
        among = f"segment:{model.company.segments[0]}" if model.company.segments else None
    kind, _, name = (among or "").partition(":")
    return [
        c
        for c in model.customers
        if c.id in members
        and (not among or (kind == "segment" and c.customer.segment == name) or (kind == "tier" and c.customer.tier == name))
    ]


def _best(model: Model, customers: Iterable[CustomerModel], year: int | None, rank: Ranked) -> Subject | None:
    scored = []
    for c in customers:
        figures = _figures(c, year)
        if figures is None:
            continue
        key = rank(model, c, figures, year)
        if key is not None:
            scored.append((key, c.id, c))
    if not scored:
        return None
    return Subject(CUSTOMER, customer=min(scored, key=lambda item: (item[0], item[1]))[2])


def customer_rule(name: str, says: str, rank: Ranked) -> Rule:
    return Rule(name, CUSTOMER, says, lambda model, customers, year: _best(model, customers, year, rank))


def _largest(get: Callable[[Figures], Decimal | Fraction | int | None]) -> Ranked:
    def rank(_model: Model, _c: CustomerModel, f: Figures, _year: int | None) -> Key | None:
        value = get(f)
        return None if value is None or value <= 0 else (-value,)

    return rank


def _smallest(get: Callable[[Figures], Fraction | None]) -> Ranked:
    def rank(_model: Model, _c: CustomerModel, f: Figures, _year: int | None) -> Key | None:
        value = get(f)
        return None if value is None else (value,)

    return rank


def _most_over_serviced(model: Model, c: CustomerModel, _f: Figures, year: int | None) -> Key | None:
    share = model.portfolio(year).shares[c.id]
    if not share.over_serviced:
        return None
    index = share.servicing_index
    return (0, 0) if index is None else (1, -index)  # cost and no spend first, then the highest index


def _break_even_latest(_model: Model, c: CustomerModel, _f: Figures, _year: int | None) -> Key | None:
    month = c.break_even.month
    return None if month is None else (-(month.year * 12 + month.month),)


def _not_yet_break_even(_model: Model, c: CustomerModel, _f: Figures, _year: int | None) -> Key | None:
    return None if c.break_even.month is not None or not c.all_time.benefits else (-c.all_time.spend,)


def _presentation_due(_model: Model, c: CustomerModel, _f: Figures, _year: int | None) -> Key | None:
    if not c.presentation_due:
        return None
    return (c.last_presentation or c.customer.since,)


def _purchasing_turnover(model: Model, c: CustomerModel, _f: Figures, _year: int | None) -> Key | None:
    changes = [k.to if k.to and k.to <= model.build_date else k.from_ for k in c.purchasing_changes]
    return None if not changes else (-max(changes).toordinal(),)


def _walk_through(model: Model, c: CustomerModel, f: Figures, year: int | None) -> Key | None:
    """The account to read first: one whose buyer changed lately (most recent first), of the most important
    segment before the others; without any such change, the largest customer of the period."""
    changed = _purchasing_turnover(model, c, f, year)
    first_segment = 0 if model.company.segments and c.customer.segment == model.company.segments[0] else 1
    return (0, first_segment, *changed) if changed is not None else (1, first_segment, -f.spend)


def _health(level: str) -> Ranked:
    def rank(_model: Model, c: CustomerModel, f: Figures, _year: int | None) -> Key | None:
        return None if c.health.level != level else (-f.spend,)

    return rank


def _lost_business(_model: Model, _c: CustomerModel, f: Figures, _year: int | None) -> Key | None:
    count = f.changes_by_direction.get("reduction", 0) + f.changes_by_direction.get("lost-line", 0)
    return None if not count else (-count,)


def _won_business(_model: Model, _c: CustomerModel, f: Figures, _year: int | None) -> Key | None:
    count = f.changes_by_direction.get("expansion", 0) + f.changes_by_direction.get("new-line", 0)
    return None if not count else (-count,)


def _expectation_rule(met: bool) -> Callable[[Model, list[CustomerModel], int | None], Subject | None]:
    """The measured expectation met (or not) with the largest gap, whatever its sign."""

    def pick(_model: Model, customers: list[CustomerModel], _year: int | None) -> Subject | None:
        found = [
            (-abs(e.gap) if e.gap is not None else 0, c.id, e.expectation.id, c, e)
            for c in customers
            for e in c.expectations
            if e.met is met
        ]
        if not found:
            return None
        best = min(found, key=lambda item: item[:3])
        return Subject(EXPECTATION, customer=best[3], expectation=best[4])

    return pick


def _rated_record(model: Model, customers: list[CustomerModel], year: int | None) -> Subject | None:
    """The cost-avoided service record of the period with the largest value worked out as quantity x rate.

    Cost avoided, because a measured return priced at 1 per unit would show the arithmetic as n x 1.
    """
    found = []
    for c in customers:
        for r in c.folder.records:
            record = r.record
            if not isinstance(record, ServiceRecord) or record.value is not None:
                continue
            if year is not None and r.path not in _in_year(model, c, year):
                continue
            value = c.record_figures[r.path].cost_avoided
            if value > 0:
                found.append((-value, c.id, r.path, c, r))
    if not found:
        return None
    best = min(found, key=lambda item: item[:3])
    return Subject(RECORD, customer=best[3], record=best[4])


def _in_year(model: Model, c: CustomerModel, year: int) -> set[str]:
    first, last = model.fiscal_year_bounds(year)
    return {r.path for r in c.folder.records if first <= r.record.date <= last}


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        customer_rule("highest-value-ratio", "the customer with the highest value ratio", _largest(lambda f: f.value_ratio)),
        customer_rule("lowest-value-ratio", "the customer with the lowest value ratio", _smallest(lambda f: f.value_ratio)),
        customer_rule("largest-spend", "the customer who spent the most", _largest(lambda f: f.spend)),
        customer_rule("largest-benefits", "the customer with the largest benefits", _largest(lambda f: f.benefits)),
        customer_rule("largest-return", "the customer with the largest return", _largest(lambda f: f.return_)),
        customer_rule("largest-cost-avoided", "the customer with the largest cost avoided", _largest(lambda f: f.cost_avoided)),
        customer_rule("largest-time-cost", "the customer whose own people gave the most time", _largest(lambda f: f.time_cost)),
        customer_rule("largest-cost-to-serve", "the customer who cost us the most to serve", _largest(lambda f: f.cost_to_serve)),
        customer_rule("most-service-hours", "the customer who took the most service hours", _largest(lambda f: f.service_hours)),
        customer_rule("most-over-serviced", "the most over-serviced customer", _most_over_serviced),
        customer_rule("highest-csat", "the customer with the highest CSAT", _largest(lambda f: f.csat)),
        customer_rule("lowest-csat", "the customer with the lowest CSAT", _smallest(lambda f: f.csat)),
        customer_rule("most-escalations", "the customer with the most escalations", _largest(lambda f: f.escalations)),
        customer_rule("most-appreciations", "the customer with the most appreciations", _largest(lambda f: f.appreciations)),
        customer_rule("most-touchpoints", "the customer with the most touchpoints", _largest(lambda f: f.touchpoints)),
        customer_rule("lost-business", "the customer with the most reductions and lost lines", _lost_business),
        customer_rule("won-business", "the customer with the most expansions and new lines", _won_business),
        customer_rule("latest-break-even", "the customer who reached the profit zone most recently", _break_even_latest),
        customer_rule("not-yet-break-even", "the largest customer with benefits that has not reached the profit zone", _not_yet_break_even),
        customer_rule("presentation-due", "the customer whose yearly presentation is most overdue", _presentation_due),
        customer_rule("recent-purchasing-change", "the customer whose buyer changed most recently", _purchasing_turnover),
        customer_rule(
            "walk-through-account",
            "the account whose buyer changed most recently (most important segment first), else the largest customer",
            _walk_through,
        ),
        customer_rule("red-health", "the largest customer whose health is red", _health("red")),
        customer_rule("amber-health", "the largest customer whose health is amber", _health("amber")),
        customer_rule("green-health", "the largest customer whose health is green", _health("green")),
        Rule("unmet-expectation", EXPECTATION, "the expectation not met with the largest gap", _expectation_rule(False)),
        Rule("met-expectation", EXPECTATION, "the expectation met with the largest gap", _expectation_rule(True)),
        Rule(
            "largest-rated-service", RECORD, "the cost-avoided service record of the period with the largest quantity x rate", _rated_record
        ),
    )
}


def pick(model: Model, rule: str, among: str | None, year: int | None) -> Subject | None:
    """The subject `rule` picks among the period's customers (of a segment or tier), or None."""
    return RULES[rule].pick(model, _candidates(model, among, year), year)
