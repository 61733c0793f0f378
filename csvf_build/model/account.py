"""What someone new to an account needs first: handovers, turnover, what is open, what is due.

Plain facts derived from the content at the build date; the value file's
"Start here" section and the headline format them, nothing recomputes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from csvf_build.content.load import RecordFile
from csvf_build.content.schema import Contact, Customer, EscalationRecord
from csvf_build.model.breakeven import BreakEven
from csvf_build.model.figures import Figures, period_total, ratio
from csvf_build.model.health import in_last_12_months
from csvf_build.model.periods import fiscal_year_bounds

# A customer-side role is a purchasing role when its title says so.
PURCHASING_WORDS = ("purchas", "buyer", "procure", "sourcing", "commodity")


@dataclass(frozen=True)
class Handover:
    """A current contact and the person who held the same role before, if anyone."""

    contact: Contact
    predecessor: Contact | None


def is_purchasing(contact: Contact) -> bool:
    role = contact.role.casefold()
    return any(word in role for word in PURCHASING_WORDS)


def handovers(customer: Customer) -> tuple[Handover, ...]:
    """Each current customer contact with the latest former holder of the same role."""
    side = [k for k in customer.contacts if k.side == "customer"]
    former = sorted((k for k in side if k.to is not None), key=lambda k: k.to or k.from_)
    result = []
    for k in sorted((k for k in side if k.to is None), key=lambda k: k.from_):
        before = [f for f in former if f.role.casefold() == k.role.casefold() and (f.to or f.from_) <= k.from_]
        result.append(Handover(k, before[-1] if before else None))
    return tuple(result)


def purchasing_changes(customer: Customer, today: date) -> tuple[Contact, ...]:
    """Purchasing contacts who started or left in the last 12 months: the buyer changed."""
    return tuple(
        k
        for k in customer.contacts
        if k.side == "customer"
        and is_purchasing(k)
        and ((in_last_12_months(k.from_, today) and k.from_ > customer.since) or (k.to is not None and in_last_12_months(k.to, today)))
    )


def open_escalations(records: tuple[RecordFile, ...]) -> tuple[RecordFile, ...]:
    """Escalations not resolved by the build date, oldest first."""
    return tuple(r for r in records if isinstance(r.record, EscalationRecord) and r.record.resolved is None)


def next_presentation(since: date, last: date | None, interval_days: int, required: bool) -> date | None:
    """The day by which the next yearly presentation is due: the last one (else `since`) plus the interval."""
    if not required:
        return None
    return (last or since) + timedelta(days=interval_days)


@dataclass(frozen=True)
class SamePeriod:
    """The current fiscal year to date against the same stretch of the previous year.

    The previous year's records count from its first day to the same day one
    year before the build date, and its revenue for the same share of its
    days: counting whole months made every comparison jump on the first of a
    month (one day of December counted a whole December of last year's spend).
    """

    first_day: date
    last_day: date
    days: int  # of the previous year, counted: from its first day to `last_day`
    previous: Figures
    previous_spend: Fraction

    @property
    def previous_total_cost(self) -> Fraction:
        return self.previous_spend + Fraction(self.previous.time_cost)

    @property
    def previous_value_ratio(self) -> Fraction | None:
        return ratio(Fraction(self.previous.benefits), self.previous_total_cost)


def same_period_last_year(
    records: tuple[RecordFile, ...],
    each: dict[str, Figures],
    revenue: dict[int, Decimal],
    current_year: int,
    fiscal_year_start: int,
    today: date,
) -> SamePeriod:
    first, _ = fiscal_year_bounds(current_year - 1, fiscal_year_start)
    try:
        last = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        last = today.replace(year=today.year - 1, day=28)
    _, previous_last = fiscal_year_bounds(current_year - 1, fiscal_year_start)
    days = min((last - first).days + 1, (previous_last - first).days + 1)
    previous = period_total((each[r.path] for r in records if first <= r.record.date <= last), Decimal(0))
    spend = Fraction(revenue.get(current_year - 1, Decimal(0))) * days / ((previous_last - first).days + 1)
    return SamePeriod(first, last, days, previous, spend)


def break_even_progress(result: BreakEven) -> Fraction | None:
    """Cumulative benefits as a share of cumulative cost at the build month (percent)."""
    if not result.timeline:
        return None
    last = result.timeline[-1]
    return None if not last.cost else last.benefits / last.cost * 100
