"""The Portfolio section (value-model.md, "Across customers, one period"; the selling cycle; the planner).

Two kinds of test. The example content built at 2026-11-23: every figure in
every table of the portfolio pages equals the data export of the same build,
rounded as pages round. And small hand-made portfolios, figures worked out by
hand in the comments: the 80/20 headline, each over-servicing rule, segment
and tier totals, the usage matrix, the median gap and the planner's dates.
Build date 2026-06-30 for those, calendar fiscal years (conftest), so FY2026
is the year to date; internal_hour_cost 100, over_servicing_ratio 2.0.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from csvf_build.charts.portfolio import MOST_LABELS, portfolio_charts
from csvf_build.charts.spec import ChartSpec, NoChart
from csvf_build.content.tree import FolderTree
from csvf_build.model.compute import Model
from csvf_build.model.cycle import gaps, median
from csvf_build.pipeline import generate
from csvf_build.render import fmt
from csvf_build.render import portfolio as pages
from tests.conftest import ContentBuilder, build_model, generate_docs

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_DATE = date(2026, 11, 23)
TODAY = "2026-06-30"


# ---------------------------------------------------------------- reading the pages' tables


@dataclass
class Table:
    label: str
    keys: list[str] = field(default_factory=list)
    rows: list[tuple[str, dict[str, str], dict[str, str | None]]] = field(default_factory=list)  # (id, text by key, sort by key)

    def by_id(self) -> dict[str, dict[str, str]]:
        return {rid: cells for rid, cells, _ in self.rows}

    def ids(self) -> list[str]:
        return [rid for rid, _, _ in self.rows]


class TableReader(HTMLParser):
    """Every <table> of a page: its region's label, its column keys, each row's cells as text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.label = ""
        self.in_head = False
        self.row: tuple[str, dict[str, str], dict[str, str | None]] | None = None
        self.cell: list[str] | None = None
        self.sort: str | None = None
        self.column = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and a.get("role") == "region":
            self.label = a.get("aria-label") or ""
        elif tag == "table":
            self.tables.append(Table(self.label))
        elif tag == "thead":
            self.in_head = True
        elif tag == "th" and self.in_head:
            self.tables[-1].keys.append(a.get("data-key") or "")
        elif tag == "tr" and not self.in_head and self.tables:
            self.row, self.column = (a.get("data-id") or "", {}, {}), 0
        elif tag in ("td", "th") and self.row is not None:
            self.cell, self.sort = [], a.get("data-sort")

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self.in_head = False
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            keys = self.tables[-1].keys
            key = keys[self.column] if self.column < len(keys) else str(self.column)
            self.row[1][key] = " ".join("".join(self.cell).split())
            self.row[2][key] = self.sort
            self.cell, self.column = None, self.column + 1
        elif tag == "tr" and self.row is not None:
            self.tables[-1].rows.append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables_of(page: str) -> dict[str, Table]:
    """The page's tables by their label (a table and its collapsed full version: the full one wins)."""
    reader = TableReader()
    reader.feed(page)
    found: dict[str, Table] = {}
    for t in reader.tables:
        base = t.label.split(", all ")[0]
        if base not in found or len(t.rows) > len(found[base].rows):
            found[base] = t
    return found


# ---------------------------------------------------------------- as pages round what the export holds

MONEY = {"spend", "benefits", "cost_to_serve", "revenue_per_service_hour", "spend_per_customer", "cost_to_serve_per_customer"}
PERCENT = {"service_value_rate", "revenue_share", "cost_to_serve_share", "cumulative_share"}


def shown(key: str, value: Any) -> str:
    """An export value as its page shows it (money to units, ratio 2, percent and CSAT 1 decimal)."""
    if value is None:
        return str(fmt.NONE).replace("&mdash;", "—")
    exact = Fraction(Decimal(str(value)))
    if key in MONEY:
        return str(fmt.money(exact))
    if key in PERCENT:
        return str(fmt.percent(exact))
    if key == "value_ratio":
        return str(fmt.ratio(exact))
    if key == "csat":
        return str(fmt.score(exact))
    return str(fmt.number(exact))


PLACES = {"value_ratio": 2, "csat": 1, **{k: 0 for k in MONEY}, **{k: 1 for k in PERCENT}}


def agrees(key: str, text: str, value: Any) -> bool:
    """The page shows the export's value, rounded as pages round.

    Pages round the exact figure, the export rounds it to 4 decimals: rounding
    the export again can differ by one unit of the last shown digit (0.28496 is
    0.28 on the page and 0.285 in the export), never more.
    """
    if text == shown(key, value):
        return True
    if value is None or text == "—":
        return False
    page = Decimal(text.replace(",", "").rstrip("%"))
    places = PLACES.get(key, 4)
    return abs(page - Decimal(str(value))) <= Decimal(5).scaleb(-places - 1) + Decimal("0.00005")


def same_number(key: str, sort: str | None, value: Any) -> bool:
    """A cell's sort key is the exact figure: the export's, to its 4 decimals (money: to the cent)."""
    if value is None:
        return sort == "-1"
    tolerance = Decimal("0.005") if key in MONEY else Decimal(0)
    return sort is not None and abs(Decimal(sort) - Decimal(str(value))) <= tolerance


def check_row(where: object, table: Table, rid: str, figures: dict[str, Any], names: tuple[str, ...]) -> None:
    """Each named cell of the row shows the export's figure, and sorts by it."""
    _, cells, sorts = next(row for row in table.rows if row[0] == rid)
    for name in names:
        assert agrees(name, cells[name], figures[name]), (where, rid, name, cells[name], figures[name])
        assert same_number(name, sorts[name], figures[name]), (where, rid, name, sorts[name], figures[name])


def plain(cell: Any) -> str:
    """A prepared cell as a reader sees it: tags dropped, references decoded."""
    return html.unescape(re.sub("<[^>]+>", "", str(cell.text)))


def period_of(record: dict[str, Any], key: str) -> dict[str, Any] | None:
    return record["all_time"] if key == "all" else record["years"].get(key)


@pytest.fixture(scope="module")
def example() -> tuple[dict[str, str], dict[str, Any]]:
    generated, problems = generate(FolderTree(REPO / "content"), EXAMPLE_DATE, {})
    assert generated is not None, problems
    files = {
        path: data.decode()
        for path, data in generated.files.items()
        if path.startswith(("portfolio/", "exports/")) and path.endswith((".md", ".json"))
    }
    return files, json.loads(files["exports/value-files.json"])


def period_pages(data: dict[str, Any]) -> dict[str, str]:
    """Each period key of the export and its page."""
    current = max(data["portfolio"]["years"], key=int)
    result = {key: "portfolio/index.md" if key == current else f"portfolio/fy{key}.md" for key in data["portfolio"]["years"]}
    result["all"] = "portfolio/all-time.md"
    return result


def test_example_has_a_page_per_period_and_the_health_page(example) -> None:
    files, data = example
    assert set(period_pages(data).values()) | {"portfolio/health.md"} == {
        p for p in files if p.startswith("portfolio/") and p.endswith(".md")
    }
    assert "2027" in data["portfolio"]["years"]  # the current fiscal year (start 4): 2026-04-01 to the build date


def test_example_rankings_equal_the_export(example) -> None:
    files, data = example
    customers = {c["id"]: c for c in data["customers"]}
    for key, path in period_pages(data).items():
        ranking = tables_of(files[path])["Customer rankings"]
        members = {cid for cid, c in customers.items() if period_of(c, key) is not None}
        assert set(ranking.ids()) == members, path
        spends = [Decimal(period_of(customers[cid], key)["spend"]) for cid in ranking.ids()]  # type: ignore[index]
        assert spends == sorted(spends, reverse=True), path
        for cid, cells in ranking.by_id().items():
            figures = period_of(customers[cid], key)
            assert figures is not None
            names = (
                "spend",
                "benefits",
                "value_ratio",
                "service_value_rate",
                "cost_to_serve",
                "service_hours",
                "revenue_per_service_hour",
                "csat",
            )
            check_row(path, ranking, cid, figures, names)
            assert cells["health"] == customers[cid]["health"]


def test_example_sort_keys_are_the_exact_figures(example) -> None:
    files, data = example
    customers = {c["id"]: c for c in data["customers"]}
    ranking = tables_of(files["portfolio/index.md"])["Customer rankings"]
    for cid, _, sort in ranking.rows:
        figures = customers[cid]["years"]["2027"]
        assert Decimal(sort["spend"] or "") == Decimal(figures["spend"])
        assert sort["value_ratio"] == ("-1" if figures["value_ratio"] is None else sort["value_ratio"])
        if figures["value_ratio"] is not None:
            assert Decimal(sort["value_ratio"] or "") == Decimal(str(figures["value_ratio"]))
        assert sort["health"] == {"red": "0", "amber": "1", "green": "2"}[customers[cid]["health"]]


def test_example_pareto_equals_the_export(example) -> None:
    files, data = example
    customers = {c["id"]: c for c in data["customers"]}
    for key, path in period_pages(data).items():
        export = data["portfolio"]["all_time" if key == "all" else "years"]
        pareto = (export if key == "all" else export[key])["pareto"]
        page = files[path]
        if not pareto["rows"]:
            continue
        table = tables_of(page)["Customers by spend"]
        assert table.ids() == [r["id"] for r in pareto["rows"]], path
        for rank, (row, (cid, cells, _)) in enumerate(zip(pareto["rows"], table.rows, strict=True), start=1):
            figures = period_of(customers[cid], key)
            assert figures is not None
            assert cells["spend"] == shown("spend", figures["spend"])
            assert cells["revenue_share"] == shown("revenue_share", figures["revenue_share"])
            assert cells["cumulative_share"] == shown("cumulative_share", row["cumulative_share"])
            assert cells["top"] == ("yes" if rank <= pareto["top_count"] else "")
        assert f"The top {pareto['top_count']} customer" in page
        assert f" {shown('revenue_share', pareto['top_share'])} of revenue." in page
        assert f"from the largest {pareto['customers_for_80_percent']} customer" in page


def test_example_over_serviced_equal_the_export(example) -> None:
    files, data = example
    customers = {c["id"]: c for c in data["customers"]}
    for key, path in period_pages(data).items():
        export = data["portfolio"]["all_time"] if key == "all" else data["portfolio"]["years"][key]
        tables = tables_of(files[path])
        if not export["over_serviced"]:
            assert "Over-serviced customers" not in tables
            continue
        table = tables["Over-serviced customers"]
        assert sorted(table.ids()) == sorted(export["over_serviced"])
        for cid in table.ids():
            figures = period_of(customers[cid], key)
            assert figures is not None and figures["over_serviced"] is True
            check_row(
                path,
                table,
                cid,
                figures,
                ("revenue_share", "cost_to_serve_share", "cost_to_serve", "service_hours", "revenue_per_service_hour"),
            )


GROUP_FIGURES = (
    "customers", "over_serviced_customers", "spend", "spend_per_customer", "benefits", "value_ratio", "service_value_rate",
    "cost_to_serve", "cost_to_serve_per_customer", "service_hours", "revenue_per_service_hour", "csat",
)  # fmt: skip


def test_example_segments_tiers_and_usage_equal_the_export(example) -> None:
    files, data = example
    for key, path in period_pages(data).items():
        export = data["portfolio"]["all_time"] if key == "all" else data["portfolio"]["years"][key]
        tables = tables_of(files[path])
        for dimension, label in (("segments", "Figures by segment"), ("tiers", "Figures by tier")):
            for group in export[dimension]:
                check_row(path, tables[label], group["name"], group, GROUP_FIGURES)
            whole = export["figures"] | {"customers": export["customers"], "over_serviced_customers": export["over_serviced_customers"]}
            check_row(path, tables[label], "all", whole, GROUP_FIGURES)
        for dimension, label in (("segments", "Service usage by segment"), ("tiers", "Service usage by tier")):
            if label not in tables:
                assert all(u["records"] == 0 for u in export["usage"])
                continue
            matrix = tables[label].by_id()
            used = {u["service"] for u in export["usage"] if u["records"]}
            assert set(matrix) == used
            for group in export[dimension] + [{"name": "all", "usage": export["usage"]}]:
                for u in group["usage"]:
                    if u["service"] in used:
                        expected = f"{shown('spend', u['value'])} ({u['records']})" if u["records"] else "—"
                        assert matrix[u["service"]][group["name"]] == expected, (path, group["name"], u["service"])


def test_example_selling_cycle_equals_the_export(example) -> None:
    files, data = example
    customers = {c["id"]: c for c in data["customers"]}
    for key, path in period_pages(data).items():
        cycle = (data["portfolio"]["all_time"] if key == "all" else data["portfolio"]["years"][key])["selling_cycle"]
        page = files[path]
        table = tables_of(page).get("Touchpoints by customer")
        rows = table.by_id() if table else {}
        for cid, c in customers.items():
            figures = period_of(c, key)
            if figures is None or not figures["touchpoints"]:
                assert cid not in rows
                continue
            assert table is not None
            names = ("touchpoints_before", "touchpoints_during", "touchpoints_after", "touchpoints", "median_days_between_touchpoints")
            check_row(path, table, cid, figures, names)
            assert rows[cid]["last_touchpoint"] == figures["last_touchpoint"]
        assert {cid for cid in customers if (period_of(customers[cid], key) or {}).get("touchpoints") == 0} == set(cycle["left_alone"])
        median_text = shown("median", cycle["median_days_between_touchpoints"]).replace("—", "&mdash;")
        assert f"<strong>{median_text}</strong> days" in page


def test_example_health_page_equals_the_export(example) -> None:
    files, data = example
    customers = {c["id"]: c for c in data["customers"]}
    tables = tables_of(files["portfolio/health.md"])
    board = tables["Red and amber customers"]
    levels = [customers[cid]["health"] for cid in board.ids()]
    assert levels == sorted(levels, key=["red", "amber"].index)
    assert set(board.ids()) == {cid for cid, c in customers.items() if c["health"] != "green"}
    planner = tables["Presentation planner"]
    due = [c for c in customers.values() if c["next_presentation"]]
    assert sorted(planner.ids()) == sorted(c["id"] for c in due)
    dates = [customers[cid]["next_presentation"] for cid in planner.ids()]
    assert dates == sorted(dates)
    for cid, cells in planner.by_id().items():
        assert cells["next_presentation"] == customers[cid]["next_presentation"]
        assert cells["days"] == str(fmt.number((date.fromisoformat(customers[cid]["next_presentation"]) - EXAMPLE_DATE).days))
        assert cells["last_presentation"] == (customers[cid]["last_presentation"] or "never")
    stale = tables.get("Stale value files")
    assert set(stale.ids() if stale else []) == {cid for cid, c in customers.items() if c["stale"]}


def test_example_period_selector_marks_the_page_shown(example) -> None:
    files, data = example
    for path in [*period_pages(data).values(), "portfolio/health.md"]:
        page = files[path]
        current = path.rsplit("/", 1)[-1].replace(".md", ".html")
        assert page.count('aria-current="page"') == 1, path
        assert f'<a href="{current}" aria-current="page">' in page, path
    assert "Built on <strong>2026-11-23</strong>" in files["portfolio/index.md"]
    assert "Figures for <strong>FY2027 (to date)</strong>: 2026-04-01 to 2026-11-23" in files["portfolio/index.md"]
    assert "Figures for <strong>FY2026</strong>: 2025-04-01 to 2026-03-31" in files["portfolio/fy2026.md"]
    assert "Figures for <strong>all time</strong>" in files["portfolio/all-time.md"]


def test_example_charts_state_the_main_figure(example) -> None:
    files, data = example
    page = files["portfolio/index.md"]
    pareto = data["portfolio"]["years"]["2027"]["pareto"]
    assert '<img src="charts/fy2027-pareto.svg" alt="Customers by spend in FY2027 (to date)' in page
    assert f"The top {pareto['top_count']} of {pareto['paying_customers']} paying customers (20%) bring" in page
    assert '<img src="charts/fy2027-over-servicing.svg"' in page
    assert page.count('<details class="note csvf-chart-data">') == 2


# ---------------------------------------------------------------- small portfolios by hand


def paying(builder: ContentBuilder, spends: dict[str, str], year: int = 2025) -> None:
    for cid, spend in spends.items():
        builder.customer(cid, name=f"Customer {cid}", revenue={year: spend})


def headline_of(m: Model, year: int = 2025) -> str:
    return pages.pareto_headline(m.portfolio(year), f"FY{year}")


def test_headline_with_ties_and_a_customer_without_spend(content: ContentBuilder) -> None:
    paying(content, {"alpha": "100", "bravo": "100", "charlie": "0", "delta": "50", "echo": "50", "foxtrot": "50", "golf": "30"})
    m = build_model(content, TODAY)
    # charlie has no spend: 6 paying, top ceil(6 / 5) = 2: alpha and bravo (tie, by id); 200 / 380 = 52.63%
    # cumulative 100, 200, 250, 300, 350, 380 of 380: 26.3, 52.6, 65.8, 78.9, 92.1, 100 -> 80% with 5 customers
    assert headline_of(m) == (
        "The top 2 customers, 20% of the 6 with spend in FY2025, bring 52.6% of revenue. 80% of revenue comes from the largest 5 customers."
    )
    view = pages.pareto_view(m, "2025", portfolio_charts(m)["2025"][0])
    ranks = [row.id for row in view["table"]["rows"]]
    assert ranks == ["alpha", "bravo", "delta", "echo", "foxtrot", "golf"]  # charlie is not in the 80/20
    assert [str(row.cells[6].text) for row in view["table"]["rows"]] == ["yes", "yes", "", "", "", ""]
    assert "charlie" in [row.id for row in pages.rankings_view(m, "2025")["table"]["rows"]]  # but it is ranked


def test_headline_with_fewer_than_five_customers(content: ContentBuilder) -> None:
    paying(content, {"alpha": "300", "bravo": "100", "charlie": "100"})
    # ceil(3 / 5) = 1: alpha alone, 300 / 500 = 60%; 300 + 100 = 400 = 80% exactly: reached with 2
    assert headline_of(build_model(content, TODAY)) == (
        "The top 1 customer, 20% of the 3 with spend in FY2025, brings 60.0% of revenue. "
        "With fewer than five customers with spend, the top 20% is rounded up to one whole customer. "
        "80% of revenue comes from the largest 2 customers."
    )


def test_no_spend_has_no_split_and_no_chart(content: ContentBuilder) -> None:
    paying(content, {"alpha": "0", "bravo": "0"})
    m = build_model(content, TODAY)
    assert headline_of(m) == "No customer has spend in FY2025, so there is no 80/20 split."
    pareto_chart, scatter = portfolio_charts(m)["2025"]
    assert isinstance(pareto_chart, NoChart) and isinstance(scatter, NoChart)
    page = generate_docs(content, TODAY).files["portfolio/fy2025.md"].decode()
    assert "no 80/20 chart" in page and "Customers by spend" not in page
    current = generate_docs(content, TODAY).files["portfolio/index.md"].decode()  # FY2026: nobody has the year yet
    assert current.count("No customer has a revenue entry or a record in FY2026 (to date) yet.") == 2  # rankings, cycle
    assert "Every customer had at least one touchpoint" not in current


def served(builder: ContentBuilder, cid: str, name: str, fields: str, day: str = "2025-05-01") -> None:
    builder.record(cid, name, f"type: service\ndate: {day}\ntitle: S\nservice: study\n{fields}")


def over_servicing_portfolio(builder: ContentBuilder) -> None:
    # spend 600 / 300 / 100 / 0 of 1000; cost to serve 100 / 300 / 200 / 50 of 650 (hours x 100)
    builder.customer("alpha", name="Alpha", revenue={2025: "600"})
    builder.customer("bravo", name="Bravo", revenue={2025: "300"})
    builder.customer("charlie", name="Charlie", revenue={2025: "100"})
    builder.customer("delta", name="Delta", revenue={2025: "0"})
    builder.customer("echo", name="Echo", revenue={2025: "50"})  # no cost to serve
    served(builder, "alpha", "s.md", "value: 1\nhours: 1")
    served(builder, "bravo", "s.md", "value: 1\nhours: 3")
    served(builder, "charlie", "s.md", "value: 1\nhours: 2")
    served(builder, "delta", "s.md", "value: 1\nhours: 0.5")


def test_each_over_servicing_rule_on_the_page(content: ContentBuilder) -> None:
    over_servicing_portfolio(content)
    m = build_model(content, TODAY)
    view = pages.over_servicing_view(m, "2025", portfolio_charts(m)["2025"][1])
    rows = {row.id: [plain(cell) for cell in row.cells] for row in view["table"]["rows"]}
    # revenue shares of 1050: alpha 57.1, bravo 28.6, charlie 9.5, delta 0, echo 4.8
    # cost shares of 650: alpha 15.4, bravo 46.2, charlie 30.8, delta 7.7, echo 0
    # bravo 46.2 / 28.6 = 1.6 (no); charlie 30.8 / 9.5 = 3.2 (yes); delta: cost, no spend (yes); echo: no cost (never)
    assert list(rows) == ["charlie", "delta"]  # largest cost-to-serve share first
    assert rows["charlie"][3:] == ["9.5%", "30.8%", "200", "2", "50"]  # revenue per service hour 100 / 2 h
    assert rows["delta"][3:] == ["0.0%", "7.7%", "50", "0.5", "0"]  # no spend: 0 / 0.5 h = 0 per hour
    assert view["count"] == 2 and view["members"] == 5


def test_scatter_labels_only_flagged_customers_that_fit(content: ContentBuilder) -> None:
    content.customer("whale", name="Whale", revenue={2025: "100000"})
    served(content, "whale", "s.md", "value: 1\nhours: 1")
    for n in range(12):  # 12 small customers, each flagged: cost share far above their revenue share
        content.customer(f"small-{n:02d}", name=f"Small {n}", revenue={2025: "10"})
        served(content, f"small-{n:02d}", "s.md", f"value: 1\nhours: {n + 1}")
    m = build_model(content, TODAY)
    chart = portfolio_charts(m)["2025"][1]
    assert isinstance(chart, ChartSpec)
    assert len(chart.marks) == MOST_LABELS  # at most 10 names, the largest cost shares first
    assert [mark.label for mark in chart.marks[:2]] == ["Small 11", "Small 10"]
    assert chart.alt.startswith("Revenue share against cost-to-serve share per customer, FY2025. 12 of 13 customers are over-serviced")
    assert chart.lines[1].values == ("2.0000",)  # the threshold: cost share = 2 x revenue share


def test_segment_and_tier_totals_recompute_ratios(content: ContentBuilder) -> None:
    content.customer("alpha", segment="key", tier="premium", revenue={2025: "1000"})
    content.customer("bravo", segment="key", tier="basic", revenue={2025: "3000"})
    content.customer("charlie", segment="growth", tier="basic", revenue={2025: "500"})
    content.record("alpha", "t.md", "type: service\ndate: 2025-03-01\ntitle: T\nservice: training\nquantity: 20\nhours: 4")  # 1,800; 400
    content.record("bravo", "t.md", "type: service\ndate: 2025-03-01\ntitle: T\nservice: training\nquantity: 10\nhours: 1")  # 900; 100
    content.record("alpha", "s.md", "type: survey\ndate: 2025-04-01\ntitle: S\nscore: 5")  # 100
    content.record("bravo", "s1.md", "type: survey\ndate: 2025-04-01\ntitle: S\nscore: 3")  # 60
    content.record("bravo", "s2.md", "type: survey\ndate: 2025-05-01\ntitle: S\nscore: 2")  # 40
    m = build_model(content, TODAY)
    view = pages.groups_view(m, "2025")
    key = {c.key: plain(cell) for c, cell in zip(view["segments"]["columns"], view["segments"]["rows"][0].cells, strict=True)}
    # key: spend 4,000, benefits 2,700, value ratio 2,700 / 4,000 = 0.68 (not the mean of 1.80 and 0.30)
    # CSAT (100 + 60 + 40) / 3 = 66.7 (not the mean of 100 and 50); cost to serve 500, per customer 250
    assert key["name"] == "key" and key["customers"] == "2"
    assert (key["spend"], key["benefits"], key["value_ratio"], key["service_value_rate"]) == ("4,000", "2,700", "0.68", "67.5%")
    assert (key["csat"], key["cost_to_serve"], key["cost_to_serve_per_customer"], key["spend_per_customer"]) == (
        "66.7",
        "500",
        "250",
        "2,000",
    )
    basic = {c.key: plain(cell) for c, cell in zip(view["tiers"]["columns"], view["tiers"]["rows"][0].cells, strict=True)}
    # basic: bravo and charlie, cost to serve 100 over 2 customers = 50 each
    assert (basic["name"], basic["customers"], basic["cost_to_serve"], basic["cost_to_serve_per_customer"]) == ("basic", "2", "100", "50")
    assert [(t["tier"], str(t["cost"])) for t in view["tier_costs"]] == [("basic", "50 USD"), ("premium", "400 USD")]
    total = {c.key: plain(cell) for c, cell in zip(view["segments"]["columns"], view["segments"]["rows"][-1].cells, strict=True)}
    assert (total["name"], total["customers"], total["spend"], total["cost_to_serve_per_customer"]) == (
        "All customers",
        "3",
        "4,500",
        "167",
    )


def test_usage_matrix_by_segment_and_tier(content: ContentBuilder) -> None:
    content.customer("alpha", segment="key", tier="premium", revenue={2025: "1000"})
    content.customer("bravo", segment="growth", tier="premium", revenue={2025: "1000"})
    content.record("alpha", "t1.md", "type: service\ndate: 2025-03-01\ntitle: T\nservice: training\nquantity: 2")  # 180
    content.record("alpha", "t2.md", "type: service\ndate: 2025-04-01\ntitle: T\nservice: training\nquantity: 1")  # 90
    content.record("bravo", "t.md", "type: service\ndate: 2025-03-01\ntitle: T\nservice: training\nquantity: 10")  # 900
    content.record("bravo", "l.md", "type: service\ndate: 2025-03-01\ntitle: L\nservice: line-service\nvalue: 1234.5")
    m = build_model(content, TODAY)
    view = pages.groups_view(m, "2025")
    matrix = view["usage_segments"]
    heads = [c.key for c in matrix["table"]["columns"]]
    assert heads == ["service", "key", "strategic", "growth", "standard", "all"]
    cells = {row.id: [plain(cell) for cell in row.cells] for row in matrix["table"]["rows"]}
    assert cells["training"] == ["Training to the customer", "270 (2)", "—", "900 (1)", "—", "1,170 (3)"]
    assert cells["line-service"] == ["Production line service", "—", "—", "1,235 (1)", "—", "1,235 (1)"]
    assert matrix["unused"] == ["Engineering study", "Scrap reduction"]  # catalog order
    tiers = {row.id: [plain(cell) for cell in row.cells] for row in view["usage_tiers"]["table"]["rows"]}
    assert tiers["training"] == ["Training to the customer", "—", "—", "1,170 (3)", "1,170 (3)"]


def meeting(builder: ContentBuilder, cid: str, day: str, stage: str = "after") -> None:
    builder.record(cid, f"{day}-meeting.md", f"type: meeting\ndate: {day}\ntitle: Review\nkind: review\nstage: {stage}")


def test_median_gap_is_exact() -> None:
    assert median([]) is None
    assert median([40]) == 40
    assert median([10, 50, 30]) == 30  # odd: the middle one
    assert median([10, 41, 30, 50]) == Fraction(71, 2)  # even: (30 + 41) / 2 = 35.5, a Fraction
    assert gaps([date(2025, 3, 1), date(2025, 1, 1), date(2025, 1, 1)]) == (0, 59)  # two on one day: a gap of 0


def test_selling_cycle_by_customer_and_who_is_left_alone(content: ContentBuilder) -> None:
    content.customer("alpha", revenue={2025: "100"})
    content.customer("bravo", revenue={2025: "100"})
    content.customer("charlie", revenue={2025: "100"})
    content.customer("late", since="2026-01-05", revenue={2026: "100"})  # not a customer of FY2025
    for day, stage in (("2025-01-10", "before"), ("2025-02-19", "during"), ("2025-04-01", "after"), ("2025-04-11", "after")):
        meeting(content, "alpha", day, stage)
    meeting(content, "bravo", "2025-03-01", "before")
    meeting(content, "bravo", "2025-03-31")
    meeting(content, "bravo", "2026-02-01")  # FY2026: not in FY2025's gaps
    m = build_model(content, TODAY)
    cycle = m.portfolio(2025).cycle
    # alpha: gaps 40, 41, 10 -> median 40; bravo: one gap of 30 -> 30; pooled 10, 30, 40, 41 -> (30 + 40) / 2 = 35
    assert cycle.customers["alpha"].gaps == (40, 41, 10)
    assert cycle.customers["alpha"].median_gap == 40
    assert cycle.customers["alpha"].by_stage == {"before": 1, "during": 1, "after": 2}
    assert cycle.customers["bravo"].median_gap == 30
    assert cycle.median_gap == 35
    assert cycle.left_alone == ("charlie",)  # late is not a customer of FY2025, so not left alone in it
    assert "late" not in cycle.customers
    # all time: bravo's three meetings 2025-03-01, 2025-03-31, 2026-02-01: gaps 30, 307 -> (30 + 307) / 2 = 168.5
    assert m.portfolio(None).cycle.customers["bravo"].median_gap == Fraction(337, 2)
    assert m.portfolio(None).cycle.left_alone == ("charlie", "late")
    view = pages.cycle_view(m, "all")
    row = next(r for r in view["table"]["rows"] if r.id == "bravo")
    assert [plain(cell) for cell in row.cells][1:] == ["1", "0", "2", "3", "2026-02-01", "168.5"]


def test_planner_dates_soonest_first(content: ContentBuilder) -> None:
    content.customer("acme", name="Acme", segment="key", since="2024-01-01", revenue={2025: "100"})
    content.record("acme", "p.md", "type: presentation\ndate: 2025-06-01\ntitle: Yearly\nattendees: [Priya Raman]")
    content.customer("beta", name="Beta", segment="strategic", since="2026-01-01", revenue={2026: "100"})  # never presented
    content.customer("gamma", name="Gamma", segment="key", since="2024-01-01", revenue={2025: "100"})
    content.record("gamma", "p.md", "type: presentation\ndate: 2025-06-30\ntitle: Yearly\nattendees: [Priya Raman]")
    content.customer("delta", name="Delta", segment="growth", since="2024-01-01", revenue={2025: "100"})  # needs none
    m = build_model(content, TODAY)
    view = pages.planner_view(m)
    rows = [[plain(cell) for cell in row.cells] for row in view["table"]["rows"]]
    # acme: 2025-06-01 + 365 days = 2026-06-01, 29 days before 2026-06-30: overdue
    # gamma: 2025-06-30 + 365 = 2026-06-30: due today, not overdue (more than 365 days is overdue)
    # beta: never presented, since 2026-01-01 + 365 = 2027-01-01: 185 days left
    assert rows == [
        ["Acme", "key", "Dana Whitfield", "2025-06-01", "2026-06-01", "-29", "overdue by 29 days"],
        ["Gamma", "key", "Dana Whitfield", "2025-06-30", "2026-06-30", "0", "due today"],
        ["Beta", "strategic", "Dana Whitfield", "never", "2027-01-01", "185", "due in 185 days"],
    ]
    assert view["due"] == 1


def test_health_board_red_then_amber_with_linked_reasons(content: ContentBuilder) -> None:
    content.customer("acme", name="Acme", revenue={2026: "100"})
    content.record(
        "acme", "2026-05-01-leak.md", "type: escalation\ndate: 2026-05-01\ntitle: Leak\nlevel: manager\nraised_to: Dana Whitfield"
    )
    content.customer("beta", name="Beta", since="2025-01-01", revenue={2025: "100"})  # no record: stale (amber)
    content.customer("gamma", name="Gamma", since="2026-06-01", revenue={2026: "100"})
    m = build_model(content, TODAY)
    view = pages.board_view(m)
    assert [row.id for row in view["table"]["rows"]] == ["acme", "beta"]
    reasons = str(view["table"]["rows"][0].cells[2].text)
    assert reasons == '<a href="../customers/acme/index.html#r-2026-05-01-leak">unresolved manager escalation since 2026-05-01: Leak</a>'
    assert [c["id"] for c in view["green"]] == ["gamma"]


def test_big_tables_show_the_top_and_collapse_or_point_to_the_export() -> None:
    columns = (pages.Column("customer", "Customer"),)

    def row(n: int) -> pages.Row:
        return pages.Row(str(n), (pages.Cell(str(n)),))

    small = pages.table("T", columns, list(range(10)), row)
    assert small is not None and len(small["rows"]) == 10 and small["full"] is None and small["rest"] == 0
    middle = pages.table("T", columns, list(range(pages.FULL_TABLE_MOST)), row)
    assert middle is not None and len(middle["rows"]) == pages.TOP and len(middle["full"]["rows"]) == pages.FULL_TABLE_MOST
    made: list[int] = []

    def counted(n: int) -> pages.Row:
        made.append(n)
        return row(n)

    large = pages.table("T", columns, list(range(5000)), counted)
    assert large is not None and large["full"] is None and large["rest"] == 5000 - pages.TOP
    assert len(made) == pages.TOP  # 5,000 customers cost 25 rows
    assert pages.table("T", columns, [], row) is None


def test_thirty_customers_collapse_the_rest_on_the_page(content: ContentBuilder) -> None:
    for n in range(30):
        content.customer(f"c-{n:02d}", name=f"Customer {n:02d}", revenue={2026: str(1000 + n)})
    page = generate_docs(content, TODAY).files["portfolio/index.md"].decode()
    assert '<details class="note csvf-full-table"><summary>All 30 rows</summary>' in page
    ranking = tables_of(page)["Customer rankings"]
    assert len(ranking.rows) == 30 and ranking.ids()[0] == "c-29"  # the full table, largest spend first


def test_user_text_stays_text_on_portfolio_pages(content: ContentBuilder) -> None:
    content.customer("evil", name="<script>alert(1)</script> & Co", segment="key", revenue={2026: "100"})
    files = generate_docs(content, TODAY).files
    for path in ("portfolio/index.md", "portfolio/all-time.md", "portfolio/health.md"):
        page = files[path].decode()
        assert "<script>" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page, path


def test_period_pages_and_charts_for_every_year(content: ContentBuilder) -> None:
    content.customer("acme", since="2024-01-01", revenue={2024: "100", 2025: "200"})
    files = generate_docs(content, TODAY).files
    assert {p for p in files if p.startswith("portfolio/") and p.endswith(".md")} == {
        "portfolio/index.md",  # FY2026, the current year (no revenue yet, still a page)
        "portfolio/fy2025.md",
        "portfolio/fy2024.md",
        "portfolio/all-time.md",
        "portfolio/health.md",
    }
    assert "portfolio/charts/fy2025-pareto.svg" in files and "portfolio/charts/all-time-pareto.svg" in files
    assert files["portfolio/charts/fy2025-pareto.svg"].startswith(b"<?xml")
    index = files["portfolio/index.md"].decode()
    assert '<a href="fy2025.html">FY2025</a>' in index and '<a href="all-time.html">All time</a>' in index
    assert '<a href="index.html" aria-current="page">FY2026 (to date)</a>' in index
