"""What a drawn chart shows in its text (titles that fit, legend figures as people write them), and that it shows the same whatever was drawn before."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from csvf_build.charts import cache
from csvf_build.charts.cache import draw_charts
from csvf_build.charts.customer import customer_charts
from csvf_build.charts.draw import TITLE_CHARACTERS, Drawer, draw_one, label_number
from csvf_build.charts.portfolio import portfolio_charts
from csvf_build.charts.spec import ChartSpec, Series
from csvf_build.content.tree import FolderTree
from csvf_build.pipeline import check_and_compute

EXAMPLE = Path(__file__).parent.parent / "content"


def expectation_spec(title: str, expected: str) -> ChartSpec:
    return ChartSpec(
        path="customers/acme/charts/expectation-1.svg",
        kind="expectation",
        title=title,
        alt="",
        x_label="Date measured",
        y_label="ppm",
        x=("2025-01-10", "2025-06-10"),
        series=(
            Series("Measured", ("120.0000", "48.0000"), "measured"),
            Series("Confirmed by the customer", (None, "48.0000"), "confirmed"),
        ),
        lines=(Series("Expected", (expected,), "expected"),),
    )


def svg_texts(svg: bytes) -> list[str]:
    """The words of every <text> element (charts draw text as text, so a page's search and a reader's eye agree)."""
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg.decode(), re.S)]


def test_legend_figures_read_as_written() -> None:
    assert [label_number(v) for v in ("4000.0000", "2.5000", "1234567", "0.0500", "12")] == ["4,000", "2.5", "1,234,567", "0.05", "12"]
    texts = svg_texts(draw_one(expectation_spec("Scrap: measured against expected", "4000.0000")))
    assert "Expected 4,000" in texts
    assert not any("4000.0000" in t for t in texts)


def test_a_long_title_wraps_onto_a_second_line_instead_of_running_off() -> None:
    title = "Seal-related rejects at the customer's end-of-line leak test, plant two: measured against expected"
    assert len(title) > TITLE_CHARACTERS
    texts = svg_texts(draw_one(expectation_spec(title, "50")))
    first, second = (t for t in texts if t and (t in title))
    assert len(first) <= TITLE_CHARACTERS and f"{first} {second}" == title


def test_tick_labels_keep_the_decimals_their_steps_need() -> None:
    spec = expectation_spec("Changeover time: measured against expected", "25")
    measured = (Series("Measured", ("22.0000", "40.0000"), "measured"), Series("Confirmed by the customer", (None, "40.0000"), "confirmed"))
    texts = svg_texts(draw_one(dataclasses.replace(spec, series=measured)))
    assert {"22.5", "25.0", "27.5", "40.0"} <= set(texts)  # steps of 2.5 are not rounded to whole numbers
    assert "22" not in texts


def test_a_value_ratio_of_one_sits_level_with_a_rate_of_one_hundred_percent() -> None:
    spec = ChartSpec(
        path="customers/acme/charts/ratios.svg",
        kind="ratios",
        title="Value ratio and service value rate per fiscal year",
        alt="",
        x_label="Fiscal year",
        y_label="Value ratio",
        y2_label="Service value rate (%)",
        x=("FY2025", "FY2026"),
        series=(Series("Value ratio", ("0.4000", "0.9000"), "ratio"), Series("Service value rate (%)", ("58.10", "30.30"), "rate")),
        lines=(Series("Value ratio 1: benefits equal cost", ("1",), "one"),),
    )
    drawer = Drawer()
    drawer.draw(spec)
    left, right = drawer.figure.axes[:2]
    assert left.get_ylim()[1] >= 1
    assert right.get_ylim() == (0, left.get_ylim()[1] * 100)


def example_specs() -> list[ChartSpec]:
    """Of every kind of chart in the example content: the one with the fewest x values, the most, and one between."""
    checked, _ = check_and_compute(FolderTree(EXAMPLE), date(2026, 11, 23))
    assert checked is not None
    model = checked.model
    charts = [chart for customer in model.customers for chart in customer_charts(customer, model)]
    charts += [chart for group in portfolio_charts(model).values() for chart in group]
    chosen: list[ChartSpec] = []
    for kind in sorted({c.kind for c in charts}):
        of_kind = sorted((c for c in charts if isinstance(c, ChartSpec) and c.kind == kind), key=lambda c: (len(c.x), c.path))
        chosen += {c.path: c for c in (of_kind[0], of_kind[len(of_kind) // 2], of_kind[-1])}.values()
    ranks = chosen[max(i for i, c in enumerate(chosen) if c.kind == "pareto")]
    assert len(ranks.x) > 3 and ranks.x[0].isdigit()  # many customers: upright rank numbers
    named = dataclasses.replace(ranks, path="portfolio/charts/named-pareto.svg", x=tuple(f"Customer {i + 1}" for i in range(len(ranks.x))))
    ranks = dataclasses.replace(ranks, path="portfolio/charts/ranks-pareto.svg")
    return [*chosen, named, ranks]  # ranks: upright numbers, after a chart of slanted names


def test_a_chart_is_the_same_whatever_was_drawn_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts of a kind share one figure: nothing of one (its ticks' rotation, limits, lines) is left in the next.

    Nor does it matter which worker process drew it, after which others.
    """
    specs = example_specs()
    assert {s.kind for s in specs} == {"value-by-year", "break-even", "expectation", "satisfaction", "ratios", "pareto", "scatter"}
    forwards, backwards = Drawer(), Drawer()
    drawn = {s.path: forwards.draw(s) for s in specs}
    assert {s.path: backwards.draw(s) for s in reversed(specs)} == drawn
    twice = specs[0]
    assert forwards.draw(twice) == drawn[twice.path]  # and after a chart of every other kind
    monkeypatch.setattr(cache, "PARALLEL_FROM", 2)
    monkeypatch.setattr(cache, "_cores", lambda: 2)  # small chunks on two workers, whatever this machine has
    assert draw_charts(specs) == drawn
