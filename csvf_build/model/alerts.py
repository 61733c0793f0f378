"""What crossed a line today: turned red, became overdue for its presentation, went stale.

The daily build compares each customer's state at the build date with the
same rules (`model.health`) evaluated one day earlier, on the content as it
stood then: records dated up to that day, and escalations resolved later
counted as still open. So an alert fires once, on the day the line is
crossed, and the calendar alone can raise one (an escalation turning 31 days
old, a presentation interval running out).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from csvf_build.content.load import RecordFile
from csvf_build.content.schema import Company, Customer, EscalationRecord
from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.expectations import expectation_statuses
from csvf_build.model.health import Health, health, is_stale, presentation_due

KINDS = ("red", "overdue", "stale")


@dataclass(frozen=True)
class State:
    """The lines an alert watches, on one day."""

    health: Health
    due: bool
    stale: bool


@dataclass(frozen=True)
class Alert:
    customer: str  # id
    name: str
    kind: str  # red | overdue | stale
    since: date  # the day the line was crossed
    message: str


def records_as_of(records: tuple[RecordFile, ...], day: date) -> tuple[RecordFile, ...]:
    """The records as they stood at the end of `day`: none dated later, no resolution from later."""
    result = []
    for r in records:
        if r.record.date > day:
            continue
        if isinstance(r.record, EscalationRecord) and r.record.resolved is not None and r.record.resolved > day:
            r = replace(r, record=r.record.model_copy(update={"resolved": None}))
        result.append(r)
    return tuple(result)


def state_on(customer: Customer, records: tuple[RecordFile, ...], company: Company, day: date) -> State:
    """Health, presentation due and stale at `day`, by the model's own rules."""
    seen = records_as_of(records, day)
    due = presentation_due(customer.segment, customer.since, seen, company, day)
    stale = is_stale(customer.since, seen, company, day)
    statuses = expectation_statuses(customer.expectations, seen)
    return State(health(seen, statuses, due=due, stale=stale, today=day), due, stale)


def customer_alerts(c: CustomerModel, company: Company, today: date) -> list[Alert]:
    """The lines this customer crossed between yesterday and the build date."""
    name = c.customer.name
    now = State(c.health, c.presentation_due, c.stale)
    before = state_on(c.customer, c.folder.records, company, today - timedelta(days=1))
    found = []
    if now.health.level == "red" and before.health.level != "red":
        reasons = "; ".join(reason.text for reason in now.health.reasons)
        found.append(Alert(c.id, name, "red", today, f"{name} turned red on {today}: {reasons}"))
    if now.due and not before.due:
        last = f"last presented on {c.last_presentation}" if c.last_presentation else "never presented to"
        found.append(Alert(c.id, name, "overdue", today, f"{name}'s yearly value presentation became overdue on {today} ({last})"))
    if now.stale and not before.stale:
        last = f"the last record is from {c.last_record}" if c.last_record else f"no record since {c.customer.since}"
        found.append(Alert(c.id, name, "stale", today, f"{name}'s value file went stale on {today}: {last}"))
    return found


def alerts(model: Model) -> tuple[Alert, ...]:
    """Every line crossed at the build date, by customer id then kind."""
    return tuple(alert for c in model.customers for alert in customer_alerts(c, model.company, model.build_date))
