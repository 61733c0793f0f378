"""What a drawn chart shows in its text: titles that fit, legend figures as people write them."""

from __future__ import annotations

import dataclasses
import re

from csvf_build.charts.draw import TITLE_CHARACTERS, Drawer, draw_one, label_number
from csvf_build.charts.spec import ChartSpec, Series


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
