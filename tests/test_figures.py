"""value-model.md, "One customer, one period".

Company settings from conftest: internal_hour_cost 100, customer_hour_cost 50.
Catalog: training (rate 90, cost-avoided), line-service (rate 150, cost-avoided),
study (no rate, cost-avoided), scrap-reduction (rate 1, return).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from csvf_build.model.compute import CustomerModel
from tests.conftest import ContentBuilder, build_model

TODAY = "2026-06-30"


def only(builder: ContentBuilder, today: str = TODAY) -> CustomerModel:
    model = build_model(builder, today=today)
    assert len(model.customers) == 1
    return model.customers[0]


def service(builder: ContentBuilder, name: str, day: str, body: str, cid: str = "acme") -> None:
    builder.record(cid, name, f"type: service\ndate: {day}\ntitle: Service {name}\n{body}")


# ---------------------------------------------------------------- service value


def test_value_wins_over_quantity_times_rate(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: training\nquantity: 10\nvalue: 500")
    # value 500 is given: 10 x 90 = 900 is not used
    assert only(content).years[2024].cost_avoided == Decimal("500")


def test_quantity_times_catalog_rate(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: training\nquantity: 2.5")
    # 2.5 attendee-hours x catalog rate 90 = 225
    assert only(content).years[2024].cost_avoided == Decimal("225")


def test_record_rate_overrides_the_catalog_rate(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: line-service\nquantity: 3\nrate: 100")
    # 3 x record rate 100 = 300 (not 3 x catalog 150 = 450)
    assert only(content).years[2024].cost_avoided == Decimal("300")


def test_record_rate_values_a_service_without_catalog_rate(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: study\nquantity: 2\nrate: 1250.50")
    # 2 x 1250.50 = 2501.00
    assert only(content).years[2024].cost_avoided == Decimal("2501.00")


def test_value_without_quantity(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: study\nvalue: 4800.50")
    assert only(content).years[2024].cost_avoided == Decimal("4800.50")


def test_benefit_override_moves_value_to_return(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: training\nquantity: 4\nbenefit: return")
    # training is cost-avoided in the catalog; the record says return: 4 x 90 = 360 of return
    f = only(content).years[2024]
    assert f.return_ == Decimal("360")
    assert f.cost_avoided == Decimal("0")


def test_benefit_override_moves_value_to_cost_avoided(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: scrap-reduction\nvalue: 75\nbenefit: cost-avoided")
    f = only(content).years[2024]
    assert f.cost_avoided == Decimal("75")
    assert f.return_ == Decimal("0")


def test_cost_avoided_return_and_benefits(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: training\nquantity: 10")  # 10 x 90 = 900 cost avoided
    service(content, "b.md", "2024-03-01", "service: line-service\nvalue: 120.25")  # 120.25 cost avoided
    service(content, "c.md", "2024-04-01", "service: scrap-reduction\nquantity: 1234.56")  # 1234.56 x 1 return
    f = only(content).years[2024]
    assert f.cost_avoided == Decimal("1020.25")  # 900 + 120.25
    assert f.return_ == Decimal("1234.56")
    assert f.benefits == Decimal("2254.81")  # 1020.25 + 1234.56


# ---------------------------------------------------------------- spend, time cost, total cost


def test_spend_is_the_revenue_of_each_year_and_the_sum_all_time(content: ContentBuilder) -> None:
    content.customer("acme", since="2023-01-01", revenue={2023: "1000", 2024: "2500.50", 2025: "0"})
    c = only(content)
    assert c.years[2023].spend == Decimal("1000")
    assert c.years[2024].spend == Decimal("2500.50")
    assert c.years[2025].spend == Decimal("0")
    assert c.all_time.spend == Decimal("3500.50")  # 1000 + 2500.50 + 0


def test_time_cost_counts_customer_hours_on_every_record_type(content: ContentBuilder) -> None:
    content.customer(
        "acme",
        revenue={2024: "1000"},
        extra="""\
        expectations:
          - id: samples
            metric: Samples per shift
            expected: 10
            unit: samples
        """,
    )
    day = "date: 2024-05-01\ntitle: T"
    content.record("acme", "1.md", f"type: service\n{day}\nservice: training\nvalue: 10\ncustomer_hours: 1")
    content.record("acme", "2.md", f"type: meeting\n{day}\nkind: review\nstage: during\ncustomer_hours: 2")
    content.record("acme", "3.md", f"type: survey\n{day}\nscore: 4\ncustomer_hours: 0.5")
    content.record("acme", "4.md", f"type: escalation\n{day}\nlevel: team\nraised_to: Kim Ng\nresolved: 2024-05-02\ncustomer_hours: 1.5")
    content.record("acme", "5.md", f"type: appreciation\n{day}\nfrom: Priya Raman\ncustomer_hours: 0.25")
    content.record("acme", "6.md", f"type: business-change\n{day}\ndirection: expansion\ncustomer_hours: 3")
    content.record("acme", "7.md", f"type: measurement\n{day}\nexpectation: samples\nactual: 9\ncustomer_hours: 0.75")
    content.record("acme", "8.md", f"type: presentation\n{day}\nattendees: [Priya Raman]\ncustomer_hours: 4")
    f = only(content).years[2024]
    # hours 1 + 2 + 0.5 + 1.5 + 0.25 + 3 + 0.75 + 4 = 13; x customer_hour_cost 50 = 650
    assert f.customer_hours == Decimal("13")
    assert f.time_cost == Decimal("650")


def test_total_cost_is_spend_plus_time_cost(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    content.record("acme", "m.md", "type: meeting\ndate: 2024-05-01\ntitle: M\nkind: visit\nstage: before\ncustomer_hours: 4")
    f = only(content).years[2024]
    assert f.time_cost == Decimal("200")  # 4 h x 50
    assert f.total_cost == Decimal("1200")  # 1000 + 200


# ---------------------------------------------------------------- value ratio and service value rate


def test_value_ratio_is_benefits_over_total_cost(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: training\nquantity: 10\ncustomer_hours: 4")
    f = only(content).years[2024]
    # benefits 10 x 90 = 900; total cost 1000 + 4 x 50 = 1200; 900 / 1200 = 3/4
    assert f.value_ratio == Fraction(3, 4)


def test_value_ratio_is_exact(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "300"})
    service(content, "a.md", "2024-02-01", "service: study\nvalue: 100")
    # 100 / 300 = 1/3 exactly, not a rounded binary float
    assert only(content).years[2024].value_ratio == Fraction(1, 3)


def test_value_ratio_none_when_total_cost_is_zero(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "0"})
    service(content, "a.md", "2024-02-01", "service: study\nvalue: 100")
    f = only(content).years[2024]
    assert f.total_cost == Decimal("0")
    assert f.value_ratio is None
    assert f.service_value_rate is None


def test_service_value_rate_is_benefits_per_100_of_spend(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: training\nquantity: 10\ncustomer_hours: 4")
    # 900 / 1000 x 100 = 90 (time cost does not enter the rate)
    assert only(content).years[2024].service_value_rate == Fraction(90)


def test_service_value_rate_none_when_spend_is_zero_though_total_cost_is_not(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "0"})
    service(content, "a.md", "2024-02-01", "service: study\nvalue: 100\ncustomer_hours: 2")
    f = only(content).years[2024]
    assert f.service_value_rate is None
    # total cost = 0 + 2 x 50 = 100; value ratio 100 / 100 = 1
    assert f.value_ratio == Fraction(1)


# ---------------------------------------------------------------- cost to serve, service hours


def test_cost_to_serve_from_hours_and_our_cost(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: training\nquantity: 1\nhours: 3")  # 3 x 100 = 300
    service(content, "b.md", "2024-02-02", "service: training\nquantity: 1\nhours: 5\nour_cost: 120")  # our_cost 120 replaces 500
    service(content, "c.md", "2024-02-03", "service: training\nquantity: 1")  # neither: 0
    service(content, "d.md", "2024-02-04", "service: training\nquantity: 1\nour_cost: 40.50")  # 40.50
    f = only(content).years[2024]
    assert f.cost_to_serve == Decimal("460.50")  # 300 + 120 + 0 + 40.50
    assert f.service_hours == Decimal("8")  # 3 + 5: the our_cost record's hours still count


def test_customer_hours_are_not_cost_to_serve(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: training\nquantity: 1\ncustomer_hours: 6")
    f = only(content).years[2024]
    assert f.cost_to_serve == Decimal("0")
    assert f.service_hours == Decimal("0")


# ---------------------------------------------------------------- CSAT


def test_csat_rescales_each_scale_to_0_100(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    s = "type: survey\ndate: 2024-05-01\ntitle: S\n"
    content.record("acme", "a.md", s + "score: 4")  # default scale 5: 4 / 5 x 100 = 80
    content.record("acme", "b.md", s + "score: 7.5\nscale: 10")  # 7.5 / 10 x 100 = 75
    content.record("acme", "c.md", s + "score: 95\nscale: 100")  # 95
    content.record("acme", "d.md", s + "score: 4.5\nscale: 5")  # 90
    f = only(content).years[2024]
    assert f.surveys == 4
    assert f.csat == Fraction(85)  # (80 + 75 + 95 + 90) / 4 = 340 / 4


def test_csat_is_an_exact_mean(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    s = "type: survey\ndate: 2024-05-01\ntitle: S\n"
    content.record("acme", "a.md", s + "score: 2")  # 40
    content.record("acme", "b.md", s + "score: 7\nscale: 10")  # 70
    content.record("acme", "c.md", s + "score: 33\nscale: 100")  # 33
    # (40 + 70 + 33) / 3 = 143/3
    assert only(content).years[2024].csat == Fraction(143, 3)


def test_csat_fractional_score(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    content.record("acme", "a.md", "type: survey\ndate: 2024-05-01\ntitle: S\nscore: 3.33\nscale: 10")
    # 3.33 / 10 x 100 = 33.3
    assert only(content).years[2024].csat == Fraction(333, 10)


def test_csat_none_without_surveys(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    f = only(content).years[2024]
    assert f.surveys == 0
    assert f.csat is None


# ---------------------------------------------------------------- counts


def test_counts_and_touchpoints_by_stage(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    d = "date: 2024-05-01\ntitle: T\n"
    content.record("acme", "e1.md", f"type: escalation\n{d}level: manager\nraised_to: Kim Ng")
    content.record("acme", "e2.md", f"type: escalation\n{d}level: executive\nraised_to: Kim Ng\nresolved: 2024-05-03")
    content.record("acme", "a1.md", f"type: appreciation\n{d}from: Priya Raman\nabout: Kim Ng")
    content.record("acme", "m1.md", f"type: meeting\n{d}kind: review\nstage: before")
    content.record("acme", "m2.md", f"type: meeting\n{d}kind: call\nstage: after")
    content.record("acme", "m3.md", f"type: meeting\n{d}kind: visit\nstage: after")
    f = only(content).years[2024]
    assert f.escalations == 2
    assert f.appreciations == 1
    assert f.touchpoints == 3
    assert f.touchpoints_by_stage.get("before", 0) == 1
    assert f.touchpoints_by_stage.get("during", 0) == 0
    assert f.touchpoints_by_stage.get("after", 0) == 2


def test_business_changes_by_direction_with_amounts(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    d = "type: business-change\ndate: 2024-05-01\ntitle: B\n"
    content.record("acme", "1.md", d + "direction: expansion\namount: 1000")
    content.record("acme", "2.md", d + "direction: expansion\namount: 500.50")
    content.record("acme", "3.md", d + "direction: reduction")  # no amount: counts, adds 0
    content.record("acme", "4.md", d + "direction: new-line\namount: 200")
    f = only(content).years[2024]
    assert f.changes_by_direction.get("expansion", 0) == 2
    assert f.changes_by_direction.get("reduction", 0) == 1
    assert f.changes_by_direction.get("new-line", 0) == 1
    assert f.changes_by_direction.get("lost-line", 0) == 0
    assert f.change_amount_by_direction.get("expansion") == Decimal("1500.50")  # 1000 + 500.50
    assert f.change_amount_by_direction.get("reduction", Decimal(0)) == Decimal("0")
    assert f.change_amount_by_direction.get("new-line") == Decimal("200")
    assert f.change_amount_by_direction.get("lost-line", Decimal(0)) == Decimal("0")


def test_business_changes_are_not_money_benefits(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    content.record("acme", "1.md", "type: business-change\ndate: 2024-05-01\ntitle: B\ndirection: expansion\namount: 9000")
    f = only(content).years[2024]
    assert f.benefits == Decimal("0")
    assert f.spend == Decimal("1000")


def test_usage_per_service(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: training\nquantity: 2")  # 180
    service(content, "b.md", "2024-02-02", "service: training\nvalue: 20")  # 20
    service(content, "c.md", "2024-02-03", "service: scrap-reduction\nquantity: 55")  # 55
    usage = only(content).years[2024].usage
    assert (usage["training"].records, usage["training"].value) == (2, Decimal("200"))  # 180 + 20
    assert (usage["scrap-reduction"].records, usage["scrap-reduction"].value) == (1, Decimal("55"))


def test_internal_records_count_in_the_internal_figures(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: study\nvalue: 300\ninternal: true")
    assert only(content).years[2024].cost_avoided == Decimal("300")


# ---------------------------------------------------------------- periods


def test_records_fall_in_their_fiscal_year_with_start_4(tmp_path) -> None:
    builder = ContentBuilder(tmp_path / "content", fiscal_year_start=4)
    # since 2024-01-01 is in FY2024 (2023-04-01..2024-03-31)
    builder.customer("acme", since="2024-01-01", revenue={2024: "100", 2025: "200"})
    service(builder, "1.md", "2024-03-31", "service: study\nvalue: 10")  # FY2024 (last day)
    service(builder, "2.md", "2024-04-01", "service: study\nvalue: 20")  # FY2025 (first day)
    service(builder, "3.md", "2025-03-31", "service: study\nvalue: 40")  # FY2025 (last day)
    service(builder, "4.md", "2025-04-01", "service: study\nvalue: 80")  # FY2026 (first day)
    c = only(builder, today="2025-06-30")
    assert sorted(c.years) == [2024, 2025, 2026]
    assert c.years[2024].cost_avoided == Decimal("10")
    assert c.years[2025].cost_avoided == Decimal("60")  # 20 + 40
    assert c.years[2026].cost_avoided == Decimal("80")
    assert c.years[2024].spend == Decimal("100")
    assert c.years[2025].spend == Decimal("200")
    assert c.years[2026].spend == Decimal("0")  # a year with records and no revenue entry


def test_year_with_revenue_zero_and_no_records_appears(content: ContentBuilder) -> None:
    content.customer("acme", since="2023-01-01", revenue={2023: "0", 2024: "1000"})
    service(content, "a.md", "2024-02-01", "service: study\nvalue: 10")
    c = only(content)
    assert sorted(c.years) == [2023, 2024]
    f = c.years[2023]
    assert f.spend == Decimal("0")
    assert f.benefits == Decimal("0")
    assert f.total_cost == Decimal("0")
    assert f.value_ratio is None
    assert f.csat is None


def test_year_without_revenue_entry_or_records_is_absent(content: ContentBuilder) -> None:
    content.customer("acme", since="2023-01-01", revenue={2024: "1000"})
    service(content, "a.md", "2026-02-01", "service: study\nvalue: 10")
    assert sorted(only(content).years) == [2024, 2026]  # 2023 and 2025: no revenue entry, no record


def test_all_time_is_the_sum_of_the_years(content: ContentBuilder) -> None:
    content.customer("acme", since="2024-01-01", revenue={2024: "1000", 2025: "3000"})
    service(content, "a.md", "2024-02-01", "service: training\nquantity: 10\nhours: 2\ncustomer_hours: 1")  # 900; cts 200
    service(content, "b.md", "2025-03-01", "service: scrap-reduction\nquantity: 700\nour_cost: 50")  # 700 return; cts 50
    service(content, "c.md", "2026-01-15", "service: line-service\nquantity: 2\nhours: 1.5")  # 300; cts 150
    content.record("acme", "s1.md", "type: survey\ndate: 2024-06-01\ntitle: S\nscore: 5")  # 100
    content.record("acme", "s2.md", "type: survey\ndate: 2025-06-01\ntitle: S\nscore: 2\ncustomer_hours: 2")  # 40
    content.record("acme", "s3.md", "type: survey\ndate: 2025-07-01\ntitle: S\nscore: 3")  # 60
    content.record("acme", "m1.md", "type: meeting\ndate: 2026-02-01\ntitle: M\nkind: call\nstage: during")
    content.record("acme", "e1.md", "type: escalation\ndate: 2025-02-01\ntitle: E\nlevel: team\nraised_to: Kim Ng\nresolved: 2025-02-02")
    c = only(content)
    a = c.all_time
    assert a.cost_avoided == Decimal("1200")  # 900 + 300
    assert a.return_ == Decimal("700")
    assert a.benefits == Decimal("1900")
    assert a.spend == Decimal("4000")  # 1000 + 3000
    assert a.time_cost == Decimal("150")  # (1 + 2) h x 50
    assert a.total_cost == Decimal("4150")
    assert a.value_ratio == Fraction(1900, 4150)
    assert a.service_value_rate == Fraction(1900 * 100, 4000)  # 47.5
    assert a.cost_to_serve == Decimal("400")  # 200 + 50 + 150
    assert a.service_hours == Decimal("3.5")  # 2 + 1.5
    assert a.csat == Fraction(200, 3)  # (100 + 40 + 60) / 3, not the mean of yearly CSATs
    assert a.escalations == 1
    assert a.touchpoints == 1
    # and every additive figure equals the sum over the fiscal years
    for name in ("cost_avoided", "return_", "spend", "time_cost", "cost_to_serve", "service_hours", "customer_hours"):
        assert getattr(a, name) == sum((getattr(f, name) for f in c.years.values()), Decimal(0)), name
    for name in ("surveys", "escalations", "appreciations", "touchpoints"):
        assert getattr(a, name) == sum(getattr(f, name) for f in c.years.values()), name
