"""value-model.md, "Break-even ("profit zone")".

Cumulative benefits and cumulative total cost by month, from the month of
`since` to the build month; a fiscal year's spend spread evenly over its months
in that range; benefits and time cost in their record's month. customer_hour_cost
is 50 (conftest).
"""

from __future__ import annotations

from fractions import Fraction

from csvf_build.model.compute import CustomerModel
from tests.conftest import ContentBuilder, build_model


def only(builder: ContentBuilder, today: str) -> CustomerModel:
    (customer,) = build_model(builder, today=today).customers
    return customer


def service(builder: ContentBuilder, day: str, value: str, extra: str = "") -> None:
    builder.record("acme", f"{day}-s-{value}.md", f"type: service\ndate: {day}\ntitle: S\nservice: study\nvalue: {value}\n{extra}")


def labels(c: CustomerModel) -> list[str]:
    return [p.month.label() for p in c.break_even.timeline]


def costs(c: CustomerModel) -> list[Fraction]:
    return [p.cost for p in c.break_even.timeline]


def benefits(c: CustomerModel) -> list[Fraction]:
    return [p.benefits for p in c.break_even.timeline]


def month(c: CustomerModel) -> str | None:
    m = c.break_even.month
    return None if m is None else m.label()


# ---------------------------------------------------------------- the timeline


def test_months_run_from_since_to_the_build_month_both_included(content: ContentBuilder) -> None:
    content.customer("acme", since="2025-11-15", revenue={2025: "0"})
    c = only(content, "2026-02-10")
    assert labels(c) == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_single_month_when_since_is_in_the_build_month(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-06-01", revenue={2026: "100"})
    c = only(content, "2026-06-30")
    assert labels(c) == ["2026-06"]
    assert costs(c) == [Fraction(100)]


def test_partial_first_year_and_current_year_to_date_are_spread_over_the_months_they_cover(content: ContentBuilder) -> None:
    content.customer("acme", since="2025-11-15", revenue={2025: "600", 2026: "300"})
    c = only(content, "2026-03-20")
    # FY2025 covers Nov, Dec: 600 / 2 = 300 a month; FY2026 to date covers Jan-Mar: 300 / 3 = 100 a month
    assert labels(c) == ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    assert costs(c) == [300, 600, 700, 800, 900]


def test_spend_spread_with_fiscal_year_start_4(tmp_path) -> None:
    builder = ContentBuilder(tmp_path / "content", fiscal_year_start=4)
    # since Feb 2025 is in FY2025 (2024-04..2025-03); build date May 2025 in FY2026
    builder.customer("acme", since="2025-02-01", revenue={2025: "100", 2026: "1200"})
    c = only(builder, "2025-05-31")
    # FY2025: Feb, Mar covered -> 50 each; FY2026: Apr, May covered -> 600 each (not 1200 / 12)
    assert labels(c) == ["2025-02", "2025-03", "2025-04", "2025-05"]
    assert costs(c) == [50, 100, 700, 1300]


def test_full_years_are_spread_over_twelve_months(content: ContentBuilder) -> None:
    content.customer("acme", since="2024-01-01", revenue={2024: "1200", 2025: "2400"})
    c = only(content, "2025-12-31")
    # 1200 / 12 = 100 a month in 2024, 2400 / 12 = 200 a month in 2025
    assert costs(c)[0] == 100
    assert costs(c)[11] == 1200
    assert costs(c)[12] == 1400
    assert costs(c)[-1] == 3600


def test_benefits_and_time_cost_count_in_the_record_month(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-01-01", revenue={2026: "0"})
    service(content, "2026-02-14", "250", "customer_hours: 2")  # Feb: +250 benefits, +2 x 50 = 100 cost
    content.record(
        "acme", "m.md", "type: meeting\ndate: 2026-04-30\ntitle: M\nkind: visit\nstage: after\ncustomer_hours: 1"
    )  # Apr: +50 cost
    c = only(content, "2026-05-15")
    assert labels(c) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert benefits(c) == [0, 250, 250, 250, 250]
    assert costs(c) == [0, 100, 100, 150, 150]


def test_spend_is_exact_fractions(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-01-01", revenue={2026: "1000"})
    service(content, "2026-01-10", "1")
    c = only(content, "2026-03-31")
    # 1000 over 3 months: 1000/3 a month, exactly
    assert costs(c) == [Fraction(1000, 3), Fraction(2000, 3), Fraction(1000)]


# ---------------------------------------------------------------- the break-even month

# since 2026-01-01, build date 2026-06-15, revenue 600 -> 100 a month:
# cumulative cost Jan..Jun = 100, 200, 300, 400, 500, 600


def six_months(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-01-01", revenue={2026: "600"})


def test_first_month_from_which_benefits_stay_at_or_above_cost(content: ContentBuilder) -> None:
    six_months(content)
    service(content, "2026-03-10", "1000")
    # Jan 0 < 100, Feb 0 < 200, Mar 1000 >= 300 ... Jun 1000 >= 600
    assert month(only(content, "2026-06-15")) == "2026-03"


def test_equality_counts_as_in_the_profit_zone(content: ContentBuilder) -> None:
    six_months(content)
    service(content, "2026-03-10", "600")
    # Mar 600 >= 300, ..., Jun 600 >= 600 (equal)
    c = only(content, "2026-06-15")
    assert c.break_even.timeline[-1].benefits == c.break_even.timeline[-1].cost
    assert month(c) == "2026-03"


def test_none_when_the_last_month_is_below(content: ContentBuilder) -> None:
    six_months(content)
    service(content, "2026-03-10", "500")
    # Mar 500 >= 300, Apr 500 >= 400, May 500 >= 500, but Jun 500 < 600
    c = only(content, "2026-06-15")
    assert c.break_even.timeline[2].in_profit_zone
    assert month(c) is None


def test_a_dip_below_resets_the_break_even_month(content: ContentBuilder) -> None:
    six_months(content)
    service(content, "2026-02-10", "250")  # Feb 250 >= 200 (in the zone)
    service(content, "2026-04-10", "400")  # Mar 250 < 300 (dip), Apr 650 >= 400, May >= 500, Jun >= 600
    c = only(content, "2026-06-15")
    assert [p.in_profit_zone for p in c.break_even.timeline] == [False, True, False, True, True, True]
    assert month(c) == "2026-04"


def test_none_without_any_benefits(content: ContentBuilder) -> None:
    # no spend and no benefits: 0 >= 0 in every month, but no benefits at all -> none
    content.customer("acme", since="2026-01-01", revenue={2026: "0"})
    content.record("acme", "m.md", "type: meeting\ndate: 2026-02-01\ntitle: M\nkind: call\nstage: before")
    assert month(only(content, "2026-06-15")) is None


def test_in_profit_zone_from_since_month(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-01-01", revenue={2026: "600"})
    service(content, "2026-01-05", "5000")
    assert month(only(content, "2026-06-15")) == "2026-01"


def test_exact_comparison_one_cent_below_a_third(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-01-01", revenue={2026: "1000"})
    # cost a month = 1000/3 = 333.333...
    service(content, "2026-01-10", "333.33")  # Jan: 333.33 < 333.333... -> below
    service(content, "2026-02-10", "333.34")  # Feb: 666.67 >= 666.666... -> in
    service(content, "2026-03-10", "333.33")  # Mar: 1000.00 >= 1000 -> in (equal)
    c = only(content, "2026-03-31")
    assert [p.in_profit_zone for p in c.break_even.timeline] == [False, True, True]
    assert month(c) == "2026-02"


def test_exact_comparison_one_cent_above_a_third(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-01-01", revenue={2026: "1000"})
    service(content, "2026-01-10", "333.34")  # Jan: 333.34 >= 333.333...
    service(content, "2026-03-10", "666.66")  # Feb: 333.34 < 666.67 -> below; Mar: 1000.00 >= 1000
    c = only(content, "2026-03-31")
    assert [p.in_profit_zone for p in c.break_even.timeline] == [True, False, True]
    assert month(c) == "2026-03"


def test_time_cost_can_keep_benefits_below(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-01-01", revenue={2026: "0"})
    service(content, "2026-01-10", "100", "customer_hours: 2")  # Jan: 100 benefits vs 2 x 50 = 100 cost -> in
    content.record("acme", "m.md", "type: meeting\ndate: 2026-02-10\ntitle: M\nkind: visit\nstage: during\ncustomer_hours: 0.02")
    # Feb: 100 < 100 + 0.02 x 50 = 101
    c = only(content, "2026-02-28")
    assert costs(c) == [100, 101]
    assert month(c) is None
