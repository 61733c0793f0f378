"""The value file as a rep presents it: this year first, start here, charts.

One small account, every figure worked out by hand in the comments. Build
date 2026-06-30, calendar fiscal years, so FY2026 to date is 2026-01..2026-06
(6 months) and the same period of FY2025 is 2025-01-01..2025-06-30.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from csvf_build.charts.cache import ChartStats, draw_charts
from csvf_build.charts.customer import customer_charts
from csvf_build.charts.spec import ChartSpec, NoChart
from csvf_build.model.compute import Model
from csvf_build.render import value_file
from csvf_build.render.pages import render_site
from tests.conftest import ContentBuilder, build_model, run_check

TODAY = "2026-06-30"


@pytest.fixture
def model(tmp_path: Path) -> Model:
    b = ContentBuilder(tmp_path / "content")
    b.customer(
        "acme",
        segment="key",
        since="2024-01-01",
        revenue={2025: "100000", 2026: "60000"},
        extra="""\
          - name: Old Buyer
            role: Purchasing manager
            from: 2024-01-01
            to: 2025-12-31
            note: Handed the open orders to New Buyer in a call.
          - name: New Buyer
            role: Purchasing manager
            from: 2026-01-01
          - name: Kim Ng
            role: Applications engineer
            side: us
            from: 2024-01-01
        team:
          day-to-day: Kim Ng
          new-business: Dana Whitfield
        """,
    )
    b.record("acme", "2025-02-01-course.md", "type: service\ndate: 2025-02-01\ntitle: Short course\nservice: training\nquantity: 4")
    b.record(
        "acme", "2025-03-10-course.md", "type: service\ndate: 2025-03-10\ntitle: Operator course\nservice: training\nquantity: 10\nhours: 5"
    )
    b.record("acme", "2025-06-01-review.md", "type: presentation\ndate: 2025-06-01\ntitle: Yearly review\nattendees: [Old Buyer]")
    b.record("acme", "2026-02-01-scrap.md", "type: service\ndate: 2026-02-01\ntitle: Scrap down\nservice: scrap-reduction\nquantity: 3000")
    b.record(
        "acme", "2026-03-01-leak.md", "type: escalation\ndate: 2026-03-01\ntitle: Leaking seals\nlevel: manager\nraised_to: Dana Whitfield"
    )
    b.record("acme", "2026-05-01-survey.md", "type: survey\ndate: 2026-05-01\ntitle: Spring survey\nscore: 8\nscale: 10")
    b.customer("newco", name="Newco", since="2026-06-01", revenue={})
    return build_model(b, TODAY)


def test_the_headline_says_this_year_in_plain_words(model: Model) -> None:
    acme, newco = model.customers
    # FY2026: spend 60,000; benefits 3,000 (scrap, return); 3,000 / 60,000 x 100 = 5.0 per 100 spent
    assert value_file.headline(acme, model) == (
        "In FY2026 so far Acme Foods Inc. spent 60,000 USD with us and got 3,000 USD back in services and measured returns: "
        "5.0 for every 100 spent."
    )
    assert value_file.headline(newco, model) == "Nothing is recorded for Newco in FY2026 yet: no spend and no service value."


def test_key_figures_compare_with_the_same_period_last_year(model: Model) -> None:
    acme = model.customers[0]
    cards = {label: (str(value), change) for label, value, change in value_file.key_figures(acme, model)["cards"]}
    # FY2025 to 2025-06-30: courses 4 x 90 + 10 x 90 = 1,260; (3,000 - 1,260) / 1,260 = +138.1%
    assert cards["Benefits"] == ("3,000 USD", "+138.1% (was 1,260 USD)")
    # FY2025 revenue 100,000 for 181 of its 365 days (to 2025-06-30): 49,589.04; (60,000 - 49,589.04) / 49,589.04 = +21.0%
    assert cards["Spend"] == ("60,000 USD", "+21.0% (was 49,589 USD)")
    # 3,000 / 60,000 = 0.05 against 1,260 / 49,589.04 = 0.025409: +96.8%
    assert cards["Value ratio"] == ("0.05", "+96.8% (was 0.03)")
    # one survey, 8 / 10 = 80.0; none in the same period last year
    assert cards["CSAT"] == ("80.0", "no survey in the same period last year")
    assert cards["Break-even"][0] == "not reached"


def test_start_here_for_someone_new_to_the_account(model: Model) -> None:
    acme = model.customers[0]
    start = value_file.start_here(acme, model)
    new = next(k for k in start["contacts"] if k["name"] == "New Buyer")
    assert (new["replaced"], str(new["replaced_until"]), new["handover"]) == (
        "Old Buyer",
        "2025-12-31",
        "Handed the open orders to New Buyer in a call.",
    )
    assert [(k["name"], k["what"]) for k in start["turnover"]] == [
        ("Old Buyer", "left on 2025-12-31"),
        ("New Buyer", "started on 2026-01-01"),
    ]
    ours = {k["name"]: k["roles"] for k in start["ours"]}
    assert ours == {"Dana Whitfield": "Account manager, New business", "Kim Ng": "Day-to-day queries, Applications engineer"}
    # raised 2026-03-01, open on 2026-06-30: 121 days
    assert [(e["title"], e["days"]) for e in start["escalations"]] == [("Leaking seals", 121)]
    # last presented 2025-06-01 + 365 days = 2026-06-01: 29 days overdue at the build date
    assert start["presentation"] == "Last presented on 2025-06-01; the next is overdue since 2026-06-01 (29 days)."
    assert [r["title"] for r in start["latest"]] == ["Spring survey", "Leaking seals", "Scrap down", "Yearly review", "Operator course"]


def test_chart_data_comes_from_the_model(model: Model) -> None:
    acme = model.customers[0]
    charts = {chart.kind: chart for chart in customer_charts(acme, model)}
    value = charts["value-by-year"]
    assert isinstance(value, ChartSpec)
    assert value.x == ("FY2025", "FY2026 to date")
    assert {s.label: s.values for s in value.series} == {
        "Training (cost avoided)": ("1260.00", "0.00"),
        "Measured outcomes (return)": ("0.00", "3000.00"),
    }
    breakeven = charts["break-even"]
    assert isinstance(breakeven, ChartSpec)
    assert breakeven.x[0] == "2024-01" and breakeven.x[-1] == "2026-06" and len(breakeven.x) == 30
    # by 2026-06: benefits 1,260 + 3,000 = 4,260; cost 100,000 + 60,000 (no time cost) = 160,000
    assert breakeven.series[0].values[-1] == "4260.00" and breakeven.series[1].values[-1] == "160000.00"
    assert breakeven.alt == "By 2026-06, cumulative benefits 4,260 USD against cumulative cost 160,000 USD: break-even not reached yet."
    ratios = charts["ratios"]
    assert isinstance(ratios, ChartSpec)
    # FY2025: 1,260 / 100,000 = 0.0126; FY2026: 0.05
    assert ratios.series[0].values == ("0.0126", "0.0500")
    satisfaction = charts["satisfaction"]
    assert isinstance(satisfaction, ChartSpec)
    assert satisfaction.series[0].values == ("80.00",)
    assert [m.style for m in satisfaction.marks] == ["escalation"]


def test_too_little_data_gives_a_sentence_not_an_empty_chart(model: Model) -> None:
    newco = model.customers[1]
    charts = customer_charts(newco, model)
    assert charts and all(isinstance(chart, NoChart) for chart in charts)
    assert {chart.kind for chart in charts} == {"value-by-year", "break-even", "satisfaction", "ratios"}


def test_charts_are_deterministic_and_reused(model: Model, tmp_path: Path) -> None:
    """Two builds give the same bytes; a second build with nothing changed draws nothing."""
    specs = [chart for c in model.customers for chart in customer_charts(c, model) if isinstance(chart, ChartSpec)]
    cache = tmp_path / "cache"
    first, second = ChartStats(), ChartStats()
    drawn = draw_charts(specs, cache, first)
    again = draw_charts(specs, cache, second)
    assert (first.drawn, first.reused) == (len(specs), 0)
    assert (second.drawn, second.reused) == (0, len(specs))
    assert drawn == again
    assert draw_charts(specs) == drawn  # drawn afresh without a cache: the same bytes
    svg = drawn["customers/acme/charts/value-by-year.svg"].decode()
    assert svg.startswith("<?xml") and "<dc:date>" not in svg and "Value delivered per fiscal year" in svg


def test_the_page_shows_each_chart_with_its_text_and_numbers(model: Model, tmp_path: Path) -> None:
    checked, problems = run_check(_reload(tmp_path, model), TODAY)
    assert not problems
    files = render_site(model, checked, {}, {})  # type: ignore[arg-type]
    page = files["customers/acme/index.md"].decode()
    assert '<img src="charts/value-by-year.svg" alt="Benefits per fiscal year by service group.' in page
    assert "The numbers behind: Break-even" in page
    assert files["customers/acme/charts/break-even.svg"].startswith(b"<?xml")
    newco = files["customers/newco/index.md"].decode()
    assert "No service value is recorded yet, so there is no value chart." in newco
    assert 'src="charts/' not in newco


def _reload(tmp_path: Path, model: Model) -> ContentBuilder:
    """The fixture's content builder again (the model fixture wrote it under tmp_path/content)."""
    builder = ContentBuilder.__new__(ContentBuilder)
    builder.root = tmp_path / "content"
    assert date.fromisoformat(TODAY) == model.build_date
    return builder


def _measured_customer(b: ContentBuilder, confirmed_by: str) -> None:
    b.customer(
        "acme",
        since="2024-01-01",
        revenue={2026: "1000"},
        extra="""\
        expectations:
          - id: scrap
            metric: Scrap rate
            expected: 50
            unit: ppm
            better: lower
            baseline: 120
        """,
    )
    b.record(
        "acme",
        "2026-03-01-scrap.md",
        f"type: measurement\ndate: 2026-03-01\ntitle: Scrap, Q1\nexpectation: scrap\nactual: 64\nconfirmed_by: {confirmed_by}",
    )


def test_a_baseline_and_a_customer_confirmed_measurement(tmp_path: Path) -> None:
    b = ContentBuilder(tmp_path / "content")
    _measured_customer(b, "Priya Raman")
    model = build_model(b, TODAY)
    status = model.customers[0].expectations[0]
    # from 120 towards 50, now 64: (64 - 120) / (50 - 120) = 56 / 70 = 80% of the way
    assert status.progress == 80
    assert status.latest is not None and status.latest.confirmed_by == "Priya Raman"
    row = value_file.expectation_rows(model.customers[0])[0]
    assert (str(row["baseline"]), str(row["progress"]), row["source"]) == ("120 ppm", "80% of the way", "confirmed by Priya Raman")
    chart = next(c for c in customer_charts(model.customers[0], model) if c.kind == "expectation")
    assert isinstance(chart, ChartSpec)
    assert chart.alt.endswith("Baseline 120 ppm. 1 of 1 measurements confirmed by the customer.")
    assert [line.label for line in chart.lines] == ["Expected", "Baseline"]


def test_confirmed_by_must_name_a_customer_contact(tmp_path: Path) -> None:
    b = ContentBuilder(tmp_path / "content")
    _measured_customer(b, "Someone Else")
    _, problems = run_check(b, TODAY)
    assert len(problems) == 1
    assert problems[0].file.endswith("2026-03-01-scrap.md") and problems[0].line == 7
    assert "confirmed_by 'Someone Else' is not a customer-side contact" in problems[0].message
    assert "Priya Raman" in problems[0].hint


@pytest.mark.site
def test_a_second_build_with_nothing_changed_draws_no_chart(tmp_path: Path) -> None:
    from tests.test_site import AS_OF, csvf, make_project

    project = make_project(tmp_path / "project")
    env = {"CSVF_CACHE_DIR": str(tmp_path / "cache")}
    first = csvf("build", "--as-of", AS_OF, cwd=project, env=env)
    assert first.returncode == 0, first.stderr
    drawn = int(first.stdout.split("charts: ", 1)[1].split(" drawn", 1)[0])
    site = project / "site"
    # the value files' charts and the portfolio's
    charts = sorted([*(site / "customers").glob("*/charts/*.svg"), *(site / "portfolio" / "charts").glob("*.svg")])
    assert drawn == len({path.read_bytes() for path in charts}) > 40  # each distinct chart drawn once
    before = {path: path.read_bytes() for path in charts}
    second = csvf("build", "--as-of", AS_OF, cwd=project, env=env)
    assert second.returncode == 0, second.stderr
    assert "charts: 0 drawn (0.00 s)" in second.stdout  # reused from the cache, or the whole docs tree kept
    assert {path: path.read_bytes() for path in charts} == before
