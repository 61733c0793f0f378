"""What a drawn chart shows in its text: titles that fit, legend figures as people write them."""

from __future__ import annotations

import re

from csvf_build.charts.draw import TITLE_CHARACTERS, draw_one, label_number
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
