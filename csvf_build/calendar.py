"""Fiscal years, months and the build date: the calendar content and model share.

A fiscal year starts on day 1 of month `fiscal_year_start` and is named by the
calendar year in which it ends (start 4: FY2026 = 2025-04-01..2026-03-31).
The content checker needs these rules (revenue years) as much as the model
does, so they live here, below both, and neither imports the other for them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime


def fiscal_year(day: date, start_month: int) -> int:
    """The fiscal year `day` falls in."""
    if start_month == 1:
        return day.year
    return day.year + 1 if day.month >= start_month else day.year


def fiscal_year_bounds(year: int, start_month: int) -> tuple[date, date]:
    """First and last day of fiscal year `year`."""
    first = date(year if start_month == 1 else year - 1, start_month, 1)
    last_month = Month.of(first).plus(11)
    return first, last_month.last_day()


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, ordered, for the break-even timeline."""

    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def plus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def last_day(self) -> date:
        following = self.plus(1)
        return date.fromordinal(date(following.year, following.month, 1).toordinal() - 1)

    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from `first` to `last`, both included."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [first.plus(i) for i in range(max(count, 0))]


def build_date(as_of: date | None, environ: Mapping[str, str] | None = None) -> date:
    """`--as-of`, else the date of SOURCE_DATE_EPOCH, else today; all in UTC."""
    if as_of is not None:
        return as_of
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return datetime.now(UTC).date()
