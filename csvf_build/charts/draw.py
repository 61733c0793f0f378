"""Draw a `ChartSpec` as SVG with matplotlib: deterministic bytes, one figure reused.

Same spec, same bytes: a fixed SVG hash salt, no date in the metadata, text
drawn as paths from the DejaVu font matplotlib ships (pinned with it), and no
mathtext (a `$` in a user's label is just a dollar sign). The background is
transparent and the ink black, so the page can invert it for the dark scheme.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any, cast

import matplotlib
import matplotlib.dates
import matplotlib.ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from csvf_build.charts.spec import ChartSpec

matplotlib.use("svg")
STYLE: dict[str, Any] = {
    "svg.hashsalt": "csvf",
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "legend.frameon": False,
    "legend.fontsize": 7.5,
    "savefig.transparent": True,
}
# Okabe-Ito: told apart with colour-blindness too, and after the dark scheme's inversion.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
INK = "#222222"


def value(text: str | None) -> float:
    """Only drawing uses floats; every figure stays exact up to here."""
    return float(text) if text is not None else float("nan")


class Drawer:
    """One matplotlib figure, cleared and reused for every chart (layout is the cost, not the canvas)."""

    def __init__(self) -> None:
        cast(Any, matplotlib.rcParams).update(STYLE)  # process-wide; every chart is drawn here
        # Fixed margins instead of a layout engine: one drawing pass per chart, not three.
        self.figure = Figure(figsize=(7.2, 4.3), dpi=100)
        self.kinds: dict[str, Callable[[Axes, ChartSpec], None]] = {
            "value-by-year": _value_by_year,
            "break-even": _break_even,
            "expectation": _expectation,
            "satisfaction": _satisfaction,
            "ratios": _ratios,
        }

    def draw(self, spec: ChartSpec) -> bytes:
        self.figure.clear()
        self.figure.subplots_adjust(left=0.12, right=0.9, top=0.92, bottom=0.33)  # clear() forgets them
        axes = self.figure.add_subplot()
        self.kinds[spec.kind](axes, spec)
        axes.set_title(spec.title, color=INK)
        axes.set_xlabel(spec.x_label)
        axes.set_ylabel(spec.y_label)
        axes.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(_grouped))
        handles, labels = _legend_entries(self.figure)
        if handles:
            self.figure.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncols=3)
        out = io.BytesIO()
        self.figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        return out.getvalue()


def _legend_entries(figure: Figure) -> tuple[list[Any], list[str]]:
    """Every labelled artist of every axes (a twin axis too), in drawing order."""
    handles: list[Any] = []
    labels: list[str] = []
    for axes in figure.axes:
        more_handles, more_labels = axes.get_legend_handles_labels()
        handles += more_handles
        labels += more_labels
    return handles, labels


def _grouped(number: float, _position: object) -> str:
    return f"{number:,.0f}" if abs(number) >= 10 else f"{number:,.2f}".rstrip("0").rstrip(".")


def _thin_ticks(axes: Axes, labels: tuple[str, ...], most: int = 12) -> None:
    step = max(1, -(-len(labels) // most))
    positions = list(range(0, len(labels), step))
    axes.set_xticks(
        positions,
        [labels[i] for i in positions],
        rotation=0 if len(positions) <= 6 else 45,
        ha="center" if len(positions) <= 6 else "right",
    )


def _value_by_year(axes: Axes, spec: ChartSpec) -> None:
    positions = range(len(spec.x))
    bottom = [0.0] * len(spec.x)
    for series in spec.series:
        index, benefit = series.style.split(":")
        heights = [value(v) for v in series.values]
        axes.bar(
            positions,
            heights,
            bottom=bottom,
            label=series.label,
            color=PALETTE[int(index) % len(PALETTE)],
            hatch="///" if benefit == "return" else None,
            edgecolor="white" if benefit != "return" else INK,
            linewidth=0.4,
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_xticks(list(positions), spec.x)


def _break_even(axes: Axes, spec: ChartSpec) -> None:
    positions = list(range(len(spec.x)))
    benefits, cost = ([value(v) for v in s.values] for s in spec.series)
    axes.plot(positions, benefits, color=PALETTE[2], linewidth=2, label=spec.series[0].label)
    axes.plot(positions, cost, color=INK, linewidth=1.5, linestyle="--", label=spec.series[1].label)
    axes.fill_between(
        positions,
        benefits,
        cost,
        where=[b >= c for b, c in zip(benefits, cost, strict=True)],
        color=PALETTE[2],
        alpha=0.2,
        label="Profit zone",
        interpolate=True,
    )
    for mark in spec.marks:
        where = spec.x.index(mark.x)
        axes.axvline(where, color=PALETTE[5], linewidth=1)
        axes.annotate(f"break-even {mark.x}", (where, 0), xytext=(4, 4), textcoords="offset points", color=PALETTE[5], fontsize=7.5)
    _thin_ticks(axes, spec.x)


def _dates(labels: tuple[str, ...]) -> list[float]:
    """ISO dates as matplotlib's day numbers (the axis shows them as dates)."""
    return [float(matplotlib.dates.date2num(date.fromisoformat(x))) for x in labels]


def _expectation(axes: Axes, spec: ChartSpec) -> None:
    measured, confirmed = spec.series
    days = _dates(spec.x)
    axes.plot(
        days,
        [value(v) for v in measured.values],
        marker="o",
        markerfacecolor="white",
        color=PALETTE[0],
        linewidth=1.5,
        label="Our measurement",
    )
    shown = [(d, value(v)) for d, v in zip(days, confirmed.values, strict=True) if v is not None]
    if shown:
        axes.scatter([d for d, _ in shown], [v for _, v in shown], color=PALETTE[0], s=40, zorder=3, label=confirmed.label)
    for line in spec.lines:
        style = {"expected": (PALETTE[2], "--"), "baseline": ("#777777", ":")}[line.style]
        axes.axhline(value(line.values[0]), color=style[0], linestyle=style[1], linewidth=1.2, label=f"{line.label} {line.values[0]}")
    _date_axis(axes)


def _satisfaction(axes: Axes, spec: ChartSpec) -> None:
    csat = spec.series[0]
    if spec.x:
        axes.plot(_dates(spec.x), [value(v) for v in csat.values], marker="o", color=PALETTE[0], linewidth=1.5, label=csat.label)
    axes.set_ylim(0, 105)
    styles = {"escalation": (PALETTE[5], "v", "Escalation"), "appreciation": (PALETTE[2], "^", "Appreciation")}
    shown: set[str] = set()
    for mark in spec.marks:
        colour, marker, label = styles.get(mark.style, (PALETTE[3], "D", "Business change"))
        axes.scatter(_dates((mark.x,)), [3], marker=marker, color=colour, s=36, zorder=3, label=None if label in shown else label)
        shown.add(label)
    _date_axis(axes)


def _date_axis(axes: Axes) -> None:
    low, high = axes.get_xlim()
    if high - low < 1:  # one date: a fixed tick, no locator guessing
        axes.set_xlim(low - 15, high + 15)
    locator = matplotlib.dates.AutoDateLocator(minticks=2, maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))


def _ratios(axes: Axes, spec: ChartSpec) -> None:
    positions = list(range(len(spec.x)))
    ratio, rate = spec.series
    axes.bar(positions, [value(v) for v in ratio.values], color=PALETTE[0], label=ratio.label)
    for line in spec.lines:
        axes.axhline(value(line.values[0]), color=INK, linestyle="--", linewidth=1, label=line.label)
    right = axes.twinx()
    right.plot(positions, [value(v) for v in rate.values], color=PALETTE[1], marker="o", linewidth=1.5, label=rate.label)
    right.set_ylabel(spec.y2_label)
    right.set_ylim(bottom=0)
    right.spines["right"].set_visible(True)
    axes.set_xticks(positions, spec.x)


def draw_one(spec: ChartSpec) -> bytes:
    """Draw with this process's figure (made on first use)."""
    global _DRAWER
    if _DRAWER is None:
        _DRAWER = Drawer()
    return _DRAWER.draw(spec)


_DRAWER: Drawer | None = None
