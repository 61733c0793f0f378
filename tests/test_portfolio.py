"""value-model.md, "Across customers, one period".

Build date 2026-06-30; shares are percentages; internal_hour_cost 100 and
over_servicing_ratio 2.0 (conftest).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from csvf_build.model.compute import Model
from csvf_build.model.figures import Usage
from tests.conftest import ContentBuilder, build_model

TODAY = "2026-06-30"


def model(builder: ContentBuilder) -> Model:
    return build_model(builder, today=TODAY)


def served(builder: ContentBuilder, cid: str, name: str, fields: str, day: str = "2025-05-01") -> None:
    """A service record that costs us something: `fields` adds hours / our_cost / value."""
    builder.record(cid, name, f"type: service\ndate: {day}\ntitle: S\nservice: study\n{fields}")


# ---------------------------------------------------------------- shares and over-servicing


def three_customers(builder: ContentBuilder) -> None:
    # alpha, bravo, charlie: spend 600 / 300 / 100 of 1000; cost to serve 100 / 300 / 100 of 500 (1 h, 3 h, 1 h x 100)
    builder.customer("alpha", revenue={2025: "600"})
    builder.customer("bravo", revenue={2025: "300"})
    builder.customer("charlie", revenue={2025: "100"})
    served(builder, "alpha", "s.md", "value: 1\nhours: 1")
    served(builder, "bravo", "s.md", "value: 1\nhours: 3")
    served(builder, "charlie", "s.md", "value: 1\nhours: 1")


def test_revenue_and_cost_to_serve_shares(content: ContentBuilder) -> None:
    three_customers(content)
    shares = model(content).portfolio(2025).shares
    assert shares["alpha"].revenue_share == Fraction(60)  # 600 / 1000
    assert shares["bravo"].revenue_share == Fraction(30)
    assert shares["charlie"].revenue_share == Fraction(10)
    assert shares["alpha"].cost_to_serve_share == Fraction(20)  # 100 / 500
    assert shares["bravo"].cost_to_serve_share == Fraction(60)  # 300 / 500
    assert shares["charlie"].cost_to_serve_share == Fraction(20)


def test_over_serviced_at_exactly_the_ratio(content: ContentBuilder) -> None:
    three_customers(content)
    shares = model(content).portfolio(2025).shares
    assert shares["alpha"].over_serviced is False  # 20 / 60 = 1/3
    assert shares["bravo"].over_serviced is True  # 60 / 30 = 2, exactly the ratio: >= 2.0
    assert shares["charlie"].over_serviced is True  # 20 / 10 = 2


def test_just_below_the_ratio_is_not_over_serviced(content: ContentBuilder) -> None:
    content.customer("alpha", revenue={2025: "750"})
    content.customer("bravo", revenue={2025: "250"})
    served(content, "alpha", "s.md", "value: 1\nour_cost: 100.01")
    served(content, "bravo", "s.md", "value: 1\nour_cost: 99.99")
    shares = model(content).portfolio(2025).shares
    # bravo: cost share 99.99 / 200 = 49.995 %; revenue share 25 %; 49.995 / 25 = 1.9998 < 2
    assert shares["bravo"].cost_to_serve_share == Fraction(49995, 1000)
    assert shares["bravo"].over_serviced is False


def test_over_servicing_compares_exact_values_beyond_float_precision(content: ContentBuilder) -> None:
    content.customer("alpha", revenue={2025: "750"})
    content.customer("bravo", revenue={2025: "250"})
    served(content, "alpha", "s.md", "value: 1\nour_cost: 100000000000000000.01")
    served(content, "bravo", "s.md", "value: 1\nour_cost: 100000000000000000.00")
    # bravo: ratio = (x / (x + y)) / (1/4) = 4x / (x + y) with x = 1e17, y = 1e17 + 0.01: just below 2
    # (in binary floats x + y == 2e17 and the ratio would come out as exactly 2.0)
    assert model(content).portfolio(2025).shares["bravo"].over_serviced is False


def test_cost_to_serve_without_spend_is_over_serviced(content: ContentBuilder) -> None:
    content.customer("alpha", revenue={2025: "1000"})
    content.customer("zulu", revenue={2025: "0"})
    served(content, "zulu", "s.md", "value: 1\nhours: 0.5")  # 50 of cost to serve, no spend
    share = model(content).portfolio(2025).shares["zulu"]
    assert share.revenue_share == Fraction(0)
    assert share.cost_to_serve_share == Fraction(100)
    assert share.over_serviced is True


def test_no_cost_to_serve_is_never_over_serviced(content: ContentBuilder) -> None:
    content.customer("alpha", revenue={2025: "1000"})
    content.customer("bravo", revenue={2025: "0"})
    content.customer("charlie", revenue={2025: "1"})
    served(content, "alpha", "s.md", "value: 1\nhours: 2")
    shares = model(content).portfolio(2025).shares
    assert shares["bravo"].over_serviced is False  # no spend either, but no cost to serve
    assert shares["charlie"].over_serviced is False  # tiny spend, no cost to serve
    assert shares["bravo"].cost_to_serve_share == Fraction(0)


def test_shares_none_when_the_totals_are_zero(content: ContentBuilder) -> None:
    content.customer("alpha", revenue={2025: "0"})
    content.customer("bravo", revenue={2025: "0"})
    share = model(content).portfolio(2025).shares["alpha"]
    assert share.revenue_share is None  # all customers' spend is 0
    assert share.cost_to_serve_share is None  # all customers' cost to serve is 0
    assert share.over_serviced is False


def test_cost_share_none_while_revenue_share_is_defined(content: ContentBuilder) -> None:
    content.customer("alpha", revenue={2025: "300"})
    content.customer("bravo", revenue={2025: "100"})
    shares = model(content).portfolio(2025).shares
    assert shares["alpha"].revenue_share == Fraction(75)
    assert shares["alpha"].cost_to_serve_share is None
    assert shares["alpha"].over_serviced is False


def test_shares_are_per_period(content: ContentBuilder) -> None:
    content.customer("alpha", since="2024-01-01", revenue={2024: "100", 2025: "100"})
    content.customer("bravo", since="2024-01-01", revenue={2025: "200"})
    m = model(content)
    assert m.portfolio(2024).shares["alpha"].revenue_share == Fraction(100)  # 100 / 100
    assert m.portfolio(2024).shares["bravo"].revenue_share == Fraction(0)  # bravo has no FY2024
    assert m.portfolio(2025).shares["alpha"].revenue_share == Fraction(100, 3)  # 100 / 300
    assert m.portfolio(None).shares["alpha"].revenue_share == Fraction(50)  # all time: 200 / 400


# ---------------------------------------------------------------- Pareto


def test_pareto_order_cumulative_share_and_top_fifth(content: ContentBuilder) -> None:
    spends = {"alpha": "100", "bravo": "300", "charlie": "300", "delta": "0", "echo": "500", "foxtrot": "50", "golf": "50"}
    for cid, spend in spends.items():
        content.customer(cid, revenue={2025: spend})
    pareto = model(content).portfolio(2025).pareto
    # delta has no spend: left out; 6 paying customers, total 1300; ties by id (bravo before charlie, foxtrot before golf)
    assert [row.id for row in pareto.rows] == ["echo", "bravo", "charlie", "alpha", "foxtrot", "golf"]
    assert [row.spend for row in pareto.rows] == [Decimal(v) for v in ("500", "300", "300", "100", "50", "50")]
    # cumulative 500, 800, 1100, 1200, 1250, 1300 of 1300, as percentages
    assert [row.cumulative_share for row in pareto.rows] == [
        Fraction(500 * 100, 1300),
        Fraction(800 * 100, 1300),
        Fraction(1100 * 100, 1300),
        Fraction(1200 * 100, 1300),
        Fraction(1250 * 100, 1300),
        Fraction(100),
    ]
    assert pareto.top_count == 2  # ceil(6 / 5)
    assert pareto.top_share == Fraction(800 * 100, 1300)  # echo + bravo = 800 of 1300 = 61.5 %


def test_pareto_five_customers_top_is_one(content: ContentBuilder) -> None:
    for cid, spend in {"alpha": "400", "bravo": "300", "charlie": "100", "delta": "100", "echo": "100"}.items():
        content.customer(cid, revenue={2025: spend})
    pareto = model(content).portfolio(2025).pareto
    assert pareto.top_count == 1  # ceil(5 / 5)
    assert pareto.top_share == Fraction(40)  # 400 / 1000


def test_pareto_single_customer(content: ContentBuilder) -> None:
    content.customer("alpha", revenue={2025: "10"})
    pareto = model(content).portfolio(2025).pareto
    assert pareto.top_count == 1  # ceil(1 / 5)
    assert pareto.top_share == Fraction(100)


def test_pareto_none_when_nobody_has_spend(content: ContentBuilder) -> None:
    content.customer("alpha", revenue={2025: "0"})
    content.customer("bravo", revenue={2025: "0"})
    pareto = model(content).portfolio(2025).pareto
    assert pareto.rows == ()
    assert pareto.top_share is None


# ---------------------------------------------------------------- revenue per service hour


def test_revenue_per_service_hour(content: ContentBuilder) -> None:
    three_customers(content)  # spend 1000; service hours 1 + 3 + 1 = 5
    m = model(content)
    assert m.portfolio(2025).figures.revenue_per_service_hour == Fraction(200)  # 1000 / 5
    assert m.customers[0].years[2025].revenue_per_service_hour == Fraction(600)  # alpha: 600 / 1


def test_revenue_per_service_hour_none_without_hours(content: ContentBuilder) -> None:
    content.customer("alpha", revenue={2025: "1000"})
    served(content, "alpha", "s.md", "value: 1\nour_cost: 20")  # cost, but no hours
    m = model(content)
    assert m.portfolio(2025).figures.revenue_per_service_hour is None
    assert m.customers[0].years[2025].revenue_per_service_hour is None


# ---------------------------------------------------------------- segments and tiers


def groups_case(builder: ContentBuilder) -> None:
    # k1: key / premium: spend 1000, benefits 1000, one survey 5/5 = 100
    builder.customer("k1", segment="key", tier="premium", revenue={2025: "1000"})
    served(builder, "k1", "s.md", "value: 1000")
    builder.record("k1", "v.md", "type: survey\ndate: 2025-05-02\ntitle: S\nscore: 5")
    # k2: key / basic: spend 3000, no benefits, three surveys 1/5 = 20
    builder.customer("k2", segment="key", tier="basic", revenue={2025: "3000"})
    for i in range(3):
        builder.record("k2", f"v{i}.md", "type: survey\ndate: 2025-05-02\ntitle: S\nscore: 1")
    # g1: growth / premium: spend 500, training 2 x 90 = 180, 10 h = 1000 cost to serve (all of it)
    builder.customer("g1", segment="growth", tier="premium", revenue={2025: "500"})
    builder.record("g1", "s.md", "type: service\ndate: 2025-05-01\ntitle: S\nservice: training\nquantity: 2\nhours: 10")


def test_segment_ratios_are_recomputed_from_totals_not_averaged(content: ContentBuilder) -> None:
    groups_case(content)
    key = next(g for g in model(content).portfolio(2025).segments if g.name == "key")
    assert key.figures.spend == Decimal("4000")  # 1000 + 3000
    assert key.figures.benefits == Decimal("1000")
    # value ratio 1000 / 4000 = 1/4; averaging the customers' ratios would give (1 + 0) / 2 = 1/2
    assert key.figures.value_ratio == Fraction(1, 4)
    assert key.figures.service_value_rate == Fraction(25)  # 1000 / 4000 x 100
    # CSAT (100 + 3 x 20) / 4 = 40; averaging the customers' CSATs would give (100 + 20) / 2 = 60
    assert key.figures.csat == Fraction(40)
    assert key.figures.surveys == 4
    assert key.over_serviced == 0


def test_tier_figures_and_over_serviced_counts(content: ContentBuilder) -> None:
    groups_case(content)
    p = model(content).portfolio(2025)
    tiers = {g.name: g for g in p.tiers}
    assert [g.name for g in p.tiers] == ["basic", "standard", "premium"]  # company order
    premium = tiers["premium"]  # k1 + g1
    assert premium.figures.spend == Decimal("1500")
    assert premium.figures.benefits == Decimal("1180")  # 1000 + 180
    assert premium.figures.value_ratio == Fraction(1180, 1500)
    assert premium.figures.cost_to_serve == Decimal("1000")
    assert premium.figures.csat == Fraction(100)  # only k1 answered
    # g1: cost share 100 %, revenue share 500 / 4500 = 11.1 %: ratio 9 >= 2
    assert premium.over_serviced == 1
    assert tiers["basic"].figures.csat == Fraction(20)
    assert tiers["basic"].over_serviced == 0


def test_empty_group_has_zero_figures_and_none_ratios(content: ContentBuilder) -> None:
    groups_case(content)
    p = model(content).portfolio(2025)
    standard = next(g for g in p.tiers if g.name == "standard")
    strategic = next(g for g in p.segments if g.name == "strategic")
    for group in (standard, strategic):
        assert group.figures.spend == Decimal("0")
        assert group.figures.value_ratio is None
        assert group.figures.csat is None
        assert group.over_serviced == 0
    assert [g.name for g in p.segments] == ["key", "strategic", "growth", "standard"]


def test_usage_matrix_per_group(content: ContentBuilder) -> None:
    groups_case(content)
    served(content, "k2", "s2.md", "value: 40")
    p = model(content).portfolio(2025)
    key = next(g for g in p.segments if g.name == "key")
    growth = next(g for g in p.segments if g.name == "growth")
    assert key.figures.usage["study"] == Usage(2, Decimal("1040"))  # k1 1000 + k2 40
    assert "training" not in key.figures.usage or key.figures.usage["training"] == Usage(0, Decimal(0))
    assert growth.figures.usage["training"] == Usage(1, Decimal("180"))
    assert p.figures.usage["study"] == Usage(2, Decimal("1040"))
    assert p.figures.usage["training"] == Usage(1, Decimal("180"))


def test_portfolio_totals(content: ContentBuilder) -> None:
    groups_case(content)
    f = model(content).portfolio(2025).figures
    assert f.spend == Decimal("4500")  # 1000 + 3000 + 500
    assert f.benefits == Decimal("1180")
    assert f.value_ratio == Fraction(1180, 4500)
    assert f.csat == Fraction(40)  # (100 + 20 + 20 + 20) / 4 surveys
    assert f.cost_to_serve == Decimal("1000")
