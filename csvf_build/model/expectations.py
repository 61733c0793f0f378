"""Expected versus actual (value-model.md, "Expected versus actual")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from csvf_build.content.load import RecordFile
from csvf_build.content.schema import Expectation, MeasurementRecord


@dataclass(frozen=True)
class Measurement:
    date: date
    actual: Decimal
    path: str
    confirmed_by: str | None = None  # a customer-side contact: the customer's own figure, not our claim


@dataclass(frozen=True)
class ExpectationStatus:
    expectation: Expectation
    history: tuple[Measurement, ...]  # oldest first; the last one is the actual

    @property
    def latest(self) -> Measurement | None:
        return self.history[-1] if self.history else None

    @property
    def actual(self) -> Decimal | None:
        return self.latest.actual if self.latest else None

    @property
    def gap(self) -> Fraction | None:
        """(actual - expected) / expected as a signed percentage, whatever `better` says."""
        if self.actual is None or self.expectation.expected == 0:
            return None
        return (Fraction(self.actual) - Fraction(self.expectation.expected)) / Fraction(self.expectation.expected) * 100

    @property
    def progress(self) -> Fraction | None:
        """How far the actual has moved from the baseline to the expected level, as a percentage.

        (actual - baseline) / (expected - baseline) x 100, the same whether
        lower or higher is better; none without a baseline, a measurement, or
        when baseline and expected are equal.
        """
        baseline = self.expectation.baseline
        if baseline is None or self.actual is None or self.expectation.expected == baseline:
            return None
        return (Fraction(self.actual) - Fraction(baseline)) / (Fraction(self.expectation.expected) - Fraction(baseline)) * 100

    @property
    def met(self) -> bool | None:
        """True or False once measured; None means "not measured"."""
        if self.actual is None:
            return None
        if self.expectation.better == "lower":
            return self.actual <= self.expectation.expected
        return self.actual >= self.expectation.expected


def expectation_statuses(expectations: list[Expectation], records: tuple[RecordFile, ...]) -> tuple[ExpectationStatus, ...]:
    """Each expectation with its measurements, ordered by date then file name."""
    measured: dict[str, list[Measurement]] = {}
    for record_file in records:
        record = record_file.record
        if isinstance(record, MeasurementRecord):
            measured.setdefault(record.expectation, []).append(
                Measurement(record.date, record.actual, record_file.path, record.confirmed_by)
            )
    return tuple(
        ExpectationStatus(e, tuple(sorted(measured.get(e.id, []), key=lambda m: (m.date, m.path.rsplit("/", 1)[-1])))) for e in expectations
    )
