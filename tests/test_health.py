"""value-model.md, "Health" and "Presentation due".

Build date 2026-06-30 throughout. Company settings (conftest):
presentation_interval_days 365, stale_after_days 180, presentation_required [key, strategic].
"The last 12 months" = the 365 days 2025-07-01..2026-06-30 (2026-06-30 minus 364 days = 2025-07-01).
"""

from __future__ import annotations

from csvf_build.model.compute import CustomerModel
from tests.conftest import ContentBuilder, build_model

TODAY = "2026-06-30"


def only(builder: ContentBuilder, today: str = TODAY) -> CustomerModel:
    (c,) = build_model(builder, today=today).customers
    return c


def customer(builder: ContentBuilder, *, segment: str = "growth", since: str = "2023-01-01", extra: str = "", fresh: bool = True) -> None:
    """A customer that is green unless a test adds something: no presentation needed, a recent record."""
    year = int(since[:4])
    builder.customer("acme", segment=segment, since=since, revenue={year: "1000"}, extra=extra)
    if fresh:
        builder.record("acme", "fresh.md", "type: meeting\ndate: 2026-06-01\ntitle: Call\nkind: call\nstage: during")


def escalation(builder: ContentBuilder, day: str, resolved: str | None = None, name: str = "esc.md") -> None:
    more = f"\nresolved: {resolved}" if resolved else ""
    builder.record("acme", name, f"type: escalation\ndate: {day}\ntitle: Late parts\nlevel: manager\nraised_to: Kim Ng{more}")


def survey(builder: ContentBuilder, name: str, day: str, score: str, scale: str = "5") -> None:
    builder.record("acme", name, f"type: survey\ndate: {day}\ntitle: Survey\nscore: {score}\nscale: {scale}")


def change(builder: ContentBuilder, name: str, day: str, direction: str) -> None:
    builder.record("acme", name, f"type: business-change\ndate: {day}\ntitle: Change\ndirection: {direction}")


def presentation(builder: ContentBuilder, name: str, day: str) -> None:
    builder.record("acme", name, f"type: presentation\ndate: {day}\ntitle: Value review\nattendees: [Priya Raman]")


EXPECTATION = """\
expectations:
  - id: samples
    metric: Samples per shift
    expected: 10
    unit: samples
"""


def measure(builder: ContentBuilder, actual: str) -> None:
    builder.record("acme", "measure.md", f"type: measurement\ndate: 2026-05-01\ntitle: M\nexpectation: samples\nactual: {actual}")


# ---------------------------------------------------------------- green


def test_green_when_no_rule_matches(content: ContentBuilder) -> None:
    customer(content)
    c = only(content)
    assert c.health.level == "green"
    assert c.health.reasons == ()


# ---------------------------------------------------------------- red: escalations


def test_unresolved_escalation_exactly_30_days_old_is_not_red(content: ContentBuilder) -> None:
    customer(content)
    escalation(content, "2026-05-31")  # 2026-06-30 - 2026-05-31 = 30 days: not "older than 30"
    assert only(content).health.level == "green"


def test_unresolved_escalation_31_days_old_is_red(content: ContentBuilder) -> None:
    customer(content)
    escalation(content, "2026-05-30")  # 31 days
    c = only(content)
    assert c.health.level == "red"
    assert len(c.health.reasons) == 1


def test_resolved_escalation_is_never_red(content: ContentBuilder) -> None:
    customer(content)
    escalation(content, "2025-01-10", resolved="2026-06-29")  # old, resolved late, but resolved
    assert only(content).health.level == "green"


# ---------------------------------------------------------------- red: CSAT


def test_last_12_months_csat_below_60_is_red(content: ContentBuilder) -> None:
    customer(content)
    survey(content, "s1.md", "2026-01-10", "2")  # 40
    survey(content, "s2.md", "2026-03-10", "3.9")  # 78; mean (40 + 78) / 2 = 59
    assert only(content).health.level == "red"


def test_last_12_months_csat_exactly_60_is_not_red(content: ContentBuilder) -> None:
    customer(content)
    survey(content, "s1.md", "2026-01-10", "2")  # 40
    survey(content, "s2.md", "2026-03-10", "4")  # 80; mean (40 + 80) / 2 = 60
    assert only(content).health.level == "green"


def test_csat_threshold_compares_exact_values(content: ContentBuilder) -> None:
    customer(content)
    survey(content, "s1.md", "2026-01-10", "59.999", "100")  # 59.999 rounds to 60.0 on a page, but is below 60
    assert only(content).health.level == "red"


def test_survey_on_the_first_day_of_the_12_months_counts(content: ContentBuilder) -> None:
    customer(content)
    survey(content, "s1.md", "2025-07-01", "1")  # 364 days before the build date: day 365 of the window; CSAT 20
    assert only(content).health.level == "red"


def test_survey_the_day_before_the_12_months_does_not_count(content: ContentBuilder) -> None:
    customer(content)
    survey(content, "s1.md", "2025-06-30", "1")  # 365 days before: outside the 365-day window
    c = only(content)
    assert c.health.level == "green"  # no survey in the last 12 months: not this rule


def test_old_low_surveys_do_not_drag_down_recent_csat(content: ContentBuilder) -> None:
    customer(content)
    survey(content, "s1.md", "2024-03-01", "0")  # 0, outside the window
    survey(content, "s2.md", "2026-03-01", "3")  # 60, the only survey in the window
    assert only(content).health.level == "green"


# ---------------------------------------------------------------- red: business changes


def test_reduction_in_the_last_12_months_is_red(content: ContentBuilder) -> None:
    customer(content)
    change(content, "c.md", "2025-07-01", "reduction")  # first day of the window
    assert only(content).health.level == "red"


def test_lost_line_in_the_last_12_months_is_red(content: ContentBuilder) -> None:
    customer(content)
    change(content, "c.md", "2026-06-30", "lost-line")  # the build date itself
    assert only(content).health.level == "red"


def test_reduction_before_the_last_12_months_is_not_red(content: ContentBuilder) -> None:
    customer(content)
    change(content, "c.md", "2025-06-30", "reduction")  # 365 days before: outside
    change(content, "d.md", "2024-01-10", "lost-line")
    assert only(content).health.level == "green"


def test_expansion_and_new_line_are_not_red(content: ContentBuilder) -> None:
    customer(content)
    change(content, "c.md", "2026-06-01", "expansion")
    change(content, "d.md", "2026-06-02", "new-line")
    assert only(content).health.level == "green"


# ---------------------------------------------------------------- amber


def test_presentation_due_is_amber(content: ContentBuilder) -> None:
    customer(content, segment="key")  # since 2023-01-01, no presentation
    c = only(content)
    assert c.presentation_due is True
    assert c.health.level == "amber"
    assert len(c.health.reasons) == 1


def test_stale_newest_record_older_than_stale_after_days_is_amber(content: ContentBuilder) -> None:
    customer(content, fresh=False)
    content.record("acme", "old.md", "type: meeting\ndate: 2025-12-31\ntitle: M\nkind: call\nstage: after")  # 181 days
    c = only(content)
    assert c.stale is True
    assert c.health.level == "amber"


def test_newest_record_exactly_stale_after_days_old_is_not_stale(content: ContentBuilder) -> None:
    customer(content, fresh=False)
    content.record("acme", "old.md", "type: meeting\ndate: 2025-06-01\ntitle: M\nkind: call\nstage: after")
    content.record("acme", "new.md", "type: meeting\ndate: 2026-01-01\ntitle: M\nkind: call\nstage: after")  # 180 days
    c = only(content)
    assert c.stale is False
    assert c.health.level == "green"


def test_stale_without_records_when_since_is_older_than_stale_after_days(content: ContentBuilder) -> None:
    customer(content, since="2025-12-31", fresh=False)  # 181 days before the build date
    c = only(content)
    assert c.stale is True
    assert c.health.level == "amber"


def test_not_stale_without_records_when_since_is_recent(content: ContentBuilder) -> None:
    customer(content, since="2026-01-01", fresh=False)  # 180 days
    c = only(content)
    assert c.stale is False
    assert c.health.level == "green"


def test_expectation_not_met_is_amber(content: ContentBuilder) -> None:
    customer(content, extra=EXPECTATION)
    measure(content, "9")
    assert only(content).health.level == "amber"


def test_expectation_met_is_green(content: ContentBuilder) -> None:
    customer(content, extra=EXPECTATION)
    measure(content, "10")
    assert only(content).health.level == "green"


def test_expectation_not_measured_is_not_amber(content: ContentBuilder) -> None:
    customer(content, extra=EXPECTATION)
    assert only(content).health.level == "green"


# ---------------------------------------------------------------- precedence and reasons


def test_red_beats_amber(content: ContentBuilder) -> None:
    customer(content, segment="key", extra=EXPECTATION)  # amber: presentation due (since 2023, none given)
    measure(content, "2")  # amber: expectation not met
    escalation(content, "2025-01-10")  # red: unresolved, long ago
    c = only(content)
    assert c.presentation_due is True
    assert c.health.level == "red"
    assert len(c.health.reasons) == 1  # only the red rule's reason, not the amber ones


def test_every_red_reason_is_listed(content: ContentBuilder) -> None:
    customer(content)
    escalation(content, "2026-01-10")
    change(content, "c.md", "2026-02-01", "lost-line")
    survey(content, "s.md", "2026-03-01", "1")  # CSAT 20
    c = only(content)
    assert c.health.level == "red"
    assert len(c.health.reasons) == 3


def test_every_amber_reason_is_listed(content: ContentBuilder) -> None:
    customer(content, segment="strategic", extra=EXPECTATION, fresh=False)
    content.record("acme", "m.md", "type: measurement\ndate: 2025-10-01\ntitle: M\nexpectation: samples\nactual: 3")  # 272 days: stale
    c = only(content)
    assert (c.presentation_due, c.stale) == (True, True)
    assert c.health.level == "amber"
    assert len(c.health.reasons) == 3  # due, stale, expectation not met


# ---------------------------------------------------------------- presentation due


def test_segments_without_required_presentation_are_never_due(content: ContentBuilder) -> None:
    customer(content, segment="standard", since="2020-01-01")
    assert only(content).presentation_due is False


def test_newest_presentation_exactly_interval_days_ago_is_not_due(content: ContentBuilder) -> None:
    customer(content, segment="key")
    presentation(content, "p0.md", "2024-05-01")
    presentation(content, "p1.md", "2025-06-30")  # 365 days before 2026-06-30: not more than 365
    c = only(content)
    assert c.presentation_due is False
    assert c.health.level == "green"
    assert str(c.last_presentation) == "2025-06-30"


def test_newest_presentation_more_than_interval_days_ago_is_due(content: ContentBuilder) -> None:
    customer(content, segment="key")
    presentation(content, "p1.md", "2025-06-29")  # 366 days
    assert only(content).presentation_due is True


def test_the_newest_presentation_counts_not_an_older_one(content: ContentBuilder) -> None:
    customer(content, segment="strategic")
    presentation(content, "p0.md", "2023-02-01")
    presentation(content, "p1.md", "2026-02-01")
    assert only(content).presentation_due is False


def test_no_presentation_and_since_more_than_interval_ago_is_due(content: ContentBuilder) -> None:
    customer(content, segment="strategic", since="2025-06-29")  # 366 days
    assert only(content).presentation_due is True


def test_no_presentation_and_since_exactly_interval_ago_is_not_due(content: ContentBuilder) -> None:
    customer(content, segment="strategic", since="2025-06-30")  # 365 days
    c = only(content)
    assert c.presentation_due is False
    assert c.last_presentation is None
