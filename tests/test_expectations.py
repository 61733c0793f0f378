"""value-model.md, "Expected versus actual"."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from csvf_build.model.expectations import ExpectationStatus
from tests.conftest import ContentBuilder, build_model

EXPECTATIONS = """\
expectations:
  - id: samples
    metric: Samples per shift
    expected: 10
    unit: samples
  - id: cycle
    metric: Processing time
    expected: 45
    unit: minutes
    better: lower
  - id: defects
    metric: Defects above plan
    expected: 0
    unit: defects
"""


def customer(builder: ContentBuilder) -> None:
    builder.customer("acme", since="2024-01-01", revenue={2024: "1000"}, extra=EXPECTATIONS)


def measure(builder: ContentBuilder, name: str, day: str, expectation: str, actual: str) -> None:
    builder.record("acme", name, f"type: measurement\ndate: {day}\ntitle: M\nexpectation: {expectation}\nactual: {actual}")


def status(builder: ContentBuilder, expectation_id: str) -> ExpectationStatus:
    (c,) = build_model(builder, today="2026-06-30").customers
    return next(s for s in c.expectations if s.expectation.id == expectation_id)


# ---------------------------------------------------------------- the actual


def test_latest_measurement_by_date_is_the_actual(content: ContentBuilder) -> None:
    customer(content)
    # the later date wins even though its file name sorts first
    measure(content, "a-later.md", "2025-05-01", "samples", "12")
    measure(content, "b-earlier.md", "2025-03-01", "samples", "5")
    s = status(content, "samples")
    assert s.actual == Decimal("12")
    assert [m.actual for m in s.history] == [Decimal("5"), Decimal("12")]  # oldest first


def test_tie_on_date_the_file_name_sorting_last_wins(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "2025-03-01-z-recount.md", "2025-03-01", "samples", "7")
    measure(content, "2025-03-01-a-count.md", "2025-03-01", "samples", "11")
    assert status(content, "samples").actual == Decimal("7")  # "...-z-recount.md" sorts last


def test_tie_on_date_the_other_way_round(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "2025-03-01-b.md", "2025-03-01", "samples", "11")
    measure(content, "2025-03-01-a.md", "2025-03-01", "samples", "7")
    assert status(content, "samples").actual == Decimal("11")  # "...-b.md" sorts last


def test_measurements_of_other_expectations_do_not_mix(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "samples", "9")
    measure(content, "2.md", "2025-04-01", "cycle", "50")
    assert status(content, "samples").actual == Decimal("9")
    assert status(content, "cycle").actual == Decimal("50")


# ---------------------------------------------------------------- gap


def test_gap_below_expected_is_negative(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "samples", "8")
    assert status(content, "samples").gap == Fraction(-20)  # (8 - 10) / 10 = -20 %


def test_gap_above_expected_is_positive(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "samples", "12.5")
    assert status(content, "samples").gap == Fraction(25)  # (12.5 - 10) / 10 = +25 %


def test_gap_sign_ignores_the_better_direction(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "cycle", "54")
    s = status(content, "cycle")
    assert s.gap == Fraction(20)  # (54 - 45) / 45 = +20 %, though higher is worse here
    assert s.met is False


def test_gap_is_exact(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "cycle", "30")
    assert status(content, "cycle").gap == Fraction(-100, 3)  # (30 - 45) / 45 x 100 = -33.33... %


def test_gap_none_when_expected_is_zero(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "defects", "5")
    s = status(content, "defects")
    assert s.gap is None
    assert s.actual == Decimal("5")


# ---------------------------------------------------------------- met


def test_higher_is_met_at_the_expected_value(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "samples", "10")
    s = status(content, "samples")
    assert s.met is True
    assert s.gap == 0


def test_higher_just_below_is_not_met(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "samples", "9.99")
    assert status(content, "samples").met is False


def test_higher_above_is_met(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "samples", "11")
    assert status(content, "samples").met is True


def test_lower_is_met_at_the_expected_value(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "cycle", "45")
    assert status(content, "cycle").met is True


def test_lower_below_is_met(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "cycle", "44")
    assert status(content, "cycle").met is True


def test_lower_just_above_is_not_met(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "cycle", "45.01")
    assert status(content, "cycle").met is False


def test_met_is_judged_on_the_latest_measurement_only(content: ContentBuilder) -> None:
    customer(content)
    measure(content, "1.md", "2025-03-01", "samples", "15")  # met then
    measure(content, "2.md", "2025-09-01", "samples", "6")  # not met now
    assert status(content, "samples").met is False


def test_not_measured(content: ContentBuilder) -> None:
    customer(content)
    s = status(content, "samples")
    assert s.history == ()
    assert s.actual is None
    assert s.gap is None
    assert s.met is None  # "not measured", neither met nor not met
