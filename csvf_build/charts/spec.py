"""What a chart shows, as plain data: the seam between the model and matplotlib.

A `ChartSpec` holds exact figures as strings, the words around them (title,
axes, the text alternative) and the table behind the chart. Drawing is a pure
function of the spec, so the spec's hash names the drawn SVG: an unchanged
chart is never drawn twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[str | None, ...]  # exact decimals as text, one per x; None where there is no value
    style: str = ""  # kind-specific: a group's colour index, "return", "cost", ...


@dataclass(frozen=True)
class Mark:
    """A point in time marked on a chart (an escalation, a break-even month)."""

    x: str
    label: str
    style: str = ""


@dataclass(frozen=True)
class ChartSpec:
    path: str  # where the SVG goes in the docs tree
    kind: str  # value-by-year | break-even | expectation | satisfaction | ratios
    title: str
    alt: str  # the main figure in words: the chart's text alternative
    x_label: str
    y_label: str
    x: tuple[str, ...]
    series: tuple[Series, ...]
    lines: tuple[Series, ...] = ()  # horizontal reference lines: one value each (expected, baseline)
    marks: tuple[Mark, ...] = ()
    y2_label: str = ""
    table_headings: tuple[str, ...] = ()
    table_rows: tuple[tuple[str, ...], ...] = ()

    def key(self, salt: str) -> str:
        """A hash of everything that shapes the drawing (not the table or the alt text)."""
        shape = (salt, self.kind, self.title, self.x_label, self.y_label, self.y2_label, self.x, self.series, self.lines, self.marks)
        return hashlib.sha256(repr(shape).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class NoChart:
    """A chart a customer has too little data for: one sentence instead."""

    kind: str
    title: str
    sentence: str


Chart = ChartSpec | NoChart
