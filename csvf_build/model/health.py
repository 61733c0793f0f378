"""Health and presentation due, evaluated at the build date (value-model.md, "Health")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from csvf_build.content.load import RecordFile
from csvf_build.content.schema import BusinessChangeRecord, Company, EscalationRecord, PresentationRecord, SurveyRecord
from csvf_build.model.expectations import ExpectationStatus
from csvf_build.model.figures import rescaled_score
from csvf_build.model.rounding import round_half_up

ESCALATION_GRACE_DAYS = 30
CSAT_FLOOR = 60
LAST_12_MONTHS_DAYS = 365


@dataclass(frozen=True)
class Reason:
    """Why a health rule matched, and the record that shows it (if one does)."""

    text: str
    record: str | None = None  # content path of that record


@dataclass(frozen=True)
class Health:
    level: str  # red | amber | green
    reasons: tuple[Reason, ...]
    csat_last_12_months: Fraction | None = None  # what the CSAT rule compared, if any survey


def older_than(day: date, days: int, today: date) -> bool:
    """More than `days` days before the build date."""
    return (today - day).days > days


def in_last_12_months(day: date, today: date) -> bool:
    """The 365 days up to and including the build date."""
    return today - timedelta(days=LAST_12_MONTHS_DAYS - 1) <= day <= today


def last_presentation(records: tuple[RecordFile, ...]) -> date | None:
    dates = [r.record.date for r in records if isinstance(r.record, PresentationRecord)]
    return max(dates) if dates else None


def presentation_due(segment: str, since: date, records: tuple[RecordFile, ...], company: Company, today: date) -> bool:
    """Due when a required segment's newest presentation (else `since`) is too old."""
    if segment not in company.presentation_required:
        return False
    newest = last_presentation(records)
    return older_than(newest or since, company.presentation_interval_days, today)


def is_stale(since: date, records: tuple[RecordFile, ...], company: Company, today: date) -> bool:
    newest = max((r.record.date for r in records), default=since)
    return older_than(newest, company.stale_after_days, today)


def last_12_months_csat(records: tuple[RecordFile, ...], today: date) -> Fraction | None:
    scores = [rescaled_score(r.record) for r in records if isinstance(r.record, SurveyRecord) and in_last_12_months(r.record.date, today)]
    return sum(scores, Fraction(0)) / len(scores) if scores else None


def health(
    records: tuple[RecordFile, ...],
    expectations: tuple[ExpectationStatus, ...],
    *,
    due: bool,
    stale: bool,
    today: date,
) -> Health:
    """First level whose rule matches, with every reason of that level."""
    red: list[Reason] = []
    for r in records:
        record = r.record
        if isinstance(record, EscalationRecord) and record.resolved is None and older_than(record.date, ESCALATION_GRACE_DAYS, today):
            red.append(Reason(f"unresolved {record.level} escalation since {record.date}: {record.title}", r.path))
        if (
            isinstance(record, BusinessChangeRecord)
            and record.direction in ("reduction", "lost-line")
            and in_last_12_months(record.date, today)
        ):
            red.append(Reason(f"{record.direction} on {record.date}: {record.title}", r.path))
    csat = last_12_months_csat(records, today)
    if csat is not None and csat < CSAT_FLOOR:
        red.append(Reason(f"CSAT over the last 12 months is {round_half_up(csat, 1)}, below {CSAT_FLOOR}"))
    if red:
        return Health("red", tuple(red), csat)

    amber: list[Reason] = []
    if due:
        amber.append(Reason("the yearly value presentation is due"))
    if stale:
        amber.append(Reason("the value file is stale: no new record for too long"))
    amber += [
        Reason(f"expectation not met: {s.expectation.metric}", s.latest.path if s.latest else None) for s in expectations if s.met is False
    ]
    if amber:
        return Health("amber", tuple(amber), csat)
    return Health("green", (), csat)
