"""Draw a `ChartSpec` as SVG with matplotlib: deterministic bytes, one figure per kind of chart, reused.

Same spec, same bytes: a fixed SVG hash salt, no date in the metadata, text
kept as text measured with the DejaVu font matplotlib ships (pinned with it),
and no mathtext (a `$` in a user's label is just a dollar sign). The
background is transparent and the ink black, so the page can invert it for
the dark scheme.

Speed (a cold build draws thousands of charts): making axes and their ticks
and measuring the same tick labels again were most of a chart's time, so a
kind's axes and tick objects are reset and reused (reset to exactly what a
new figure has: the bytes do not depend on what was drawn before, see
tests/test_chart_drawing.py), text measures are remembered for the process,
and the title has a fixed place. `python -m tests.bench_charts` times it.
"""

from __future__ import annotations

import functools
import io
import textwrap
import warnings
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, cast

import matplotlib
import matplotlib.dates
import matplotlib.textpath
import matplotlib.ticker
from matplotlib.axes import Axes
from matplotlib.backends import backend_svg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from csvf_build.charts.spec import ChartSpec

matplotlib.use("svg")


@functools.lru_cache(maxsize=16384)
def _text_size(text: str, font: FontProperties, ismath: Any) -> tuple[float, float, float]:
    return matplotlib.textpath.text_to_path.get_text_width_height_descent(text, font, ismath)


def _measure(_renderer: object, text: str, font: FontProperties, ismath: Any) -> tuple[float, float, float]:
    """The SVG renderer's text measure, remembered for the whole process, not one savefig (tick labels repeat chart after chart).

    The same sum as the renderer's own (its TextToPath has no state of its own); a copy of the font is the
    key because a FontProperties' hash follows its mutable state.
    """
    return _text_size(text, font.copy(), ismath)


backend_svg.RendererSVG.get_text_width_height_descent = _measure  # type: ignore[method-assign]
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
    # A number, not None: the title sits just above the axes without a tight-bbox pass over every tick label
    # (no chart has ticks or an offset text on top, so the automatic place was this one anyway).
    "axes.titley": 1.0,
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


TITLE_CHARACTERS = 72  # a longer title wraps onto a second line instead of running off the drawing


def label_number(text: str | None) -> str:
    """An exact figure as a legend shows it: grouped, no trailing zeros (4000.0000 reads 4,000)."""
    if text is None:
        return ""
    grouped = f"{Decimal(text):,f}"
    return grouped.rstrip("0").rstrip(".") if "." in grouped else grouped


TWIN_KINDS = frozenset({"ratios", "pareto"})  # a second y axis on the right


class Drawer:
    """One matplotlib figure per kind of chart, its axes reset and reused for every chart of that kind.

    Making a figure's axes (and a twin axis) costs more than resetting them with `Axes.clear()`, which
    puts an axes back as new: nothing of one chart is left for the next (the same spec gives the same
    bytes whatever was drawn before).
    """

    def __init__(self) -> None:
        cast(Any, matplotlib.rcParams).update(STYLE)  # process-wide; every chart is drawn here
        self.figures: dict[str, Figure] = {}
        self.templates: dict[Any, tuple[Any, Any]] = {}  # per axis: a fresh major and minor tick, never drawn
        self.kinds: dict[str, Callable[[Axes, ChartSpec], None]] = {
            "value-by-year": _value_by_year,
            "break-even": _break_even,
            "expectation": _expectation,
            "satisfaction": _satisfaction,
            "ratios": _ratios,
            "pareto": _pareto,
            "scatter": _scatter,
        }

    def figure_for(self, kind: str) -> Figure:
        """The kind's figure with its axes as new: made on first use, reset before every chart."""
        figure = self.figures.get(kind)
        if figure is None:
            # Fixed margins instead of a layout engine: one drawing pass per chart, not three.
            figure = self.figures[kind] = Figure(figsize=(7.2, 4.3), dpi=100)
            axes = figure.add_subplot()
            if kind in TWIN_KINDS:
                axes.twinx()
            for axes in figure.axes:
                axes.clear()  # the twin's ticks too are now as every later clear() leaves them
                for axis in (axes.xaxis, axes.yaxis):
                    self.templates[axis] = _keep_ticks(axis)
        for legend in list(figure.legends):
            legend.remove()
        for axes in figure.axes:
            kept = [(axis, axis.majorTicks, axis.minorTicks) for axis in (axes.xaxis, axes.yaxis)]
            for axis, _, _ in kept:  # out of the way while clear() sets things on every tick
                axis.majorTicks, axis.minorTicks = [], []
            axes.clear()
            for axis, major, minor in kept:
                axis.majorTicks, axis.minorTicks = major, minor
                _reset_ticks(axis, *self.templates[axis])
        if kind in TWIN_KINDS:  # as twinx() makes them: the twin's ticks and label on the right
            left, right = figure.axes
            left.yaxis.tick_left()
            right.yaxis.tick_right()
            right.yaxis.set_label_position("right")
            right.yaxis.set_offset_position("right")
        return figure

    @property
    def figure(self) -> Figure:
        """The figure drawn last (a test reads its axes)."""
        return self.last

    def draw(self, spec: ChartSpec) -> bytes:
        figure = self.last = self.figure_for(spec.kind)
        title = textwrap.fill(spec.title, TITLE_CHARACTERS, max_lines=2, placeholder=" …")
        top = 0.92 if "\n" not in title else 0.87
        figure.subplots_adjust(left=0.12, right=0.9, top=top, bottom=0.33)
        axes = figure.axes[0]
        self.kinds[spec.kind](axes, spec)
        axes.set_title(title, color=INK)
        axes.set_xlabel(spec.x_label)
        axes.set_ylabel(spec.y_label)
        axes.yaxis.set_major_formatter(Grouped())
        handles, labels = _legend_entries(figure)
        if handles:
            figure.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncols=3)
        out = io.BytesIO()
        with warnings.catch_warnings():
            # Text stays text in the SVG (svg.fonttype none): the browser draws a glyph DejaVu lacks from its own fonts.
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
            figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        return out.getvalue()


def _keep_ticks(axis: Any) -> tuple[Any, Any]:
    """Make `axis` keep its tick objects from chart to chart; returns a fresh major and minor tick to reset them from.

    Making ticks is most of the cost of a new or cleared axes: `Axes.clear()` (and the spines it resets)
    would throw them away and make them anew several times over.
    """
    templates = axis._get_tick(major=True), axis._get_tick(major=False)
    axis.reset_ticks = lambda: None  # this axis only: `_reset_ticks` below does it instead
    _measure_tick_labels_once(axis)
    return templates


def _measure_tick_labels_once(axis: Any) -> None:
    """The axis label is placed clear of the tick labels with the boxes drawing them just measured, not measured again.

    `Axis.draw` measures its tick labels, draws them, then places its label: by default that measures every
    tick label of the axis (and of any axes aligned with it) once more. With no other axes aligned, the
    boxes just measured, in the same drawing, are the very same.
    """
    measure, siblings = axis._get_ticklabel_bboxes, axis._get_tick_boxes_siblings
    last: list[Any] = []  # [renderer, boxes] of the latest measure

    def measured(ticks: Any, renderer: Any) -> Any:
        boxes = measure(ticks, renderer)
        last[:] = [renderer, boxes]
        return boxes

    def remembered(renderer: Any) -> Any:
        name = axis._get_axis_name()
        alone = axis.figure._align_label_groups[name].get_siblings(axis.axes) == [axis.axes]
        if alone and last and last[0] is renderer:
            boxes = last[1]
            last.clear()
            return boxes
        return siblings(renderer)

    axis._get_ticklabel_bboxes, axis._get_tick_boxes_siblings = measured, remembered


def _reset_ticks(axis: Any, major: Any, minor: Any) -> None:
    """Every kept tick gets every property of a fresh one, the way matplotlib makes its further ticks like its first.

    A rotation or alignment one chart gave its tick labels is not left for the next.
    """
    for fresh, ticks in ((major, axis.majorTicks), (minor, axis.minorTicks)):
        fresh.set_clip_path(axis.axes.patch)  # as clear() clips every tick to the new axes patch: copied below
        for tick in ticks:
            axis._copy_tick_props(fresh, tick)


def _legend_entries(figure: Figure) -> tuple[list[Any], list[str]]:
    """Every labelled artist of every axes (a twin axis too), in drawing order."""
    handles: list[Any] = []
    labels: list[str] = []
    for axes in figure.axes:
        more_handles, more_labels = axes.get_legend_handles_labels()
        handles += more_handles
        labels += more_labels
    return handles, labels


class Grouped(matplotlib.ticker.Formatter):
    """Tick labels grouped by thousands, with as many decimals as the ticks need (22.5 stays 22.5, not 22).

    The decimals are found once per set of ticks (`set_locs`), not once per label.
    """

    decimals = 0

    def set_locs(self, locs: Any) -> None:
        super().set_locs(locs)
        self.decimals = next((d for d in range(4) if all(abs(t - round(t, d)) < 1e-9 for t in locs)), 3)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return f"{x:,.{self.decimals}f}"


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
        late = where > 0.7 * (len(spec.x) - 1)  # near the right edge the label goes to the left of its line
        axes.annotate(
            f"break-even {mark.x}",
            (where, 0),
            xytext=(-4 if late else 4, 4),
            textcoords="offset points",
            ha="right" if late else "left",
            color=PALETTE[5],
            fontsize=7.5,
        )
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
        axes.axhline(
            value(line.values[0]), color=style[0], linestyle=style[1], linewidth=1.2, label=f"{line.label} {label_number(line.values[0])}"
        )
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


def _twin(axes: Axes) -> Axes:
    """The right-hand axis made with the kind's figure (see `Drawer.figure_for`)."""
    return cast(Figure, axes.figure).axes[1]


def _ratios(axes: Axes, spec: ChartSpec) -> None:
    positions = list(range(len(spec.x)))
    ratio, rate = spec.series
    axes.bar(positions, [value(v) for v in ratio.values], color=PALETTE[0], label=ratio.label)
    for line in spec.lines:
        axes.axhline(value(line.values[0]), color=INK, linestyle="--", linewidth=1, label=line.label)
    right = _twin(axes)
    right.plot(positions, [value(v) for v in rate.values], color=PALETTE[1], marker="o", linewidth=1.5, label=rate.label)
    right.set_ylabel(spec.y2_label)
    # One scale for both: a ratio of 1 sits level with 100 %, so neither line seems to reach what it does not.
    rates = [value(v) for v in rate.values if v is not None]
    top = max(axes.get_ylim()[1], *(r / 100 * 1.05 for r in rates)) if rates else axes.get_ylim()[1]
    axes.set_ylim(0, top)
    right.set_ylim(0, top * 100)
    right.spines["right"].set_visible(True)
    axes.set_xticks(positions, spec.x)


BARS_UP_TO = 60  # more customers than this: the Pareto's spend is an area, not one bar each
CURVE_POINTS = 200  # an area or line is drawn through at most about this many points (the SVG stays small)
RASTER_FROM = 500  # more dots than this are drawn as one picture inside the SVG, not one element each


def _every(count: int, most: int = CURVE_POINTS) -> list[int]:
    """Evenly spaced indexes into `count` points, the first and the last included."""
    step = max(1, -(-count // most))
    return sorted({*range(0, count, step), count - 1}) if count else []


def _pareto(axes: Axes, spec: ChartSpec) -> None:
    """Spend per customer, largest first (the top 20% in colour), and the cumulative share on the right."""
    spend, cumulative = ([value(v) for v in s.values] for s in spec.series)
    top = int(spec.marks[0].x) if spec.marks else 0
    positions = list(range(1, len(spend) + 1))
    if len(spend) <= BARS_UP_TO:
        colours = [PALETTE[0] if i <= top else "#9aa5b1" for i in positions]
        axes.bar(positions, spend, color=colours, label=spec.series[0].label, width=0.8)
        axes.set_xlim(0.4, len(spend) + 0.6)
    else:
        kept = _every(len(spend))
        xs, ys = [positions[i] for i in kept], [spend[i] for i in kept]
        axes.fill_between(xs, ys, step="mid", color="#9aa5b1", linewidth=0, label=spec.series[0].label)
        lead = [i for i in _every(top) if i < top]
        axes.fill_between([positions[i] for i in lead], [spend[i] for i in lead], step="mid", color=PALETTE[0], linewidth=0)
        axes.set_xlim(0.5, len(spend) + 0.5)
    axes.set_ylim(bottom=0)
    for mark in spec.marks:
        axes.axvline(top + 0.5, color=PALETTE[5], linewidth=1, linestyle=":")
        axes.annotate(mark.label, (top + 0.5, 1), xycoords=("data", "axes fraction"), xytext=(4, -10), textcoords="offset points",
                      color=PALETTE[5], fontsize=7.5)  # fmt: skip
    right = _twin(axes)
    kept = _every(len(cumulative))
    right.plot([positions[i] for i in kept], [cumulative[i] for i in kept], color=PALETTE[1], linewidth=1.8, label=spec.series[1].label)
    for line in spec.lines:
        right.axhline(value(line.values[0]), color=INK, linestyle="--", linewidth=1, label=line.label)
    right.set_ylim(0, 102)
    right.set_ylabel(spec.y2_label)
    right.spines["right"].set_visible(True)
    if spec.x and not spec.x[0].isdigit():
        axes.set_xticks(positions, spec.x, rotation=45 if len(spec.x) > 3 else 0, ha="right" if len(spec.x) > 3 else "center")
    else:
        axes.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=10, integer=True, min_n_ticks=1))


def _scatter(axes: Axes, spec: ChartSpec) -> None:
    """One dot per customer; the diagonal, the threshold line and the flagged customers' names."""
    xs, ys = ([value(v) for v in s.values] for s in spec.series[:2])
    flags = [v == "1" for v in spec.series[2].values]
    wide, high = (max(xs, default=0) or 1.0) * 1.08, (max(ys, default=0) or 1.0) * 1.08
    for flagged, colour, marker, label in ((False, "#6b7785", "o", "Other customers"), (True, PALETTE[5], "D", "Over-serviced")):
        chosen = [(x, y) for x, y, f in zip(xs, ys, flags, strict=True) if f is flagged]
        if chosen:
            axes.scatter([x for x, _ in chosen], [y for _, y in chosen], s=18 if len(xs) > 200 else 28, color=colour, marker=marker,
                         alpha=0.55 if len(xs) > 200 else 0.9, linewidths=0, label=label, zorder=3,
                         rasterized=len(xs) > RASTER_FROM)  # fmt: skip
    styles = {"diagonal": ("#777777", ":"), "threshold": (PALETTE[5], "--")}
    for line in spec.lines:
        slope = value(line.values[0])
        colour, dash = styles.get(line.style, (INK, "-"))
        axes.plot([0, wide], [0, wide * slope], color=colour, linestyle=dash, linewidth=1.1, label=line.label)
    where = {x: i for i, x in enumerate(spec.x)}
    placed: list[tuple[float, float]] = []
    for mark in spec.marks:  # largest first; a name that would overlap one already written is left out
        i = where[mark.x]
        spot = (xs[i] / wide, ys[i] / high)
        if any(abs(spot[0] - x) < 0.2 and abs(spot[1] - y) < 0.05 for x, y in placed):
            continue
        placed.append(spot)
        axes.annotate(mark.label, (xs[i], ys[i]), xytext=(5, 3), textcoords="offset points", fontsize=7, color=INK)
    axes.set_xlim(0, wide)
    axes.set_ylim(0, high)


def draw_one(spec: ChartSpec) -> bytes:
    """Draw with this process's figure (made on first use)."""
    global _DRAWER
    if _DRAWER is None:
        _DRAWER = Drawer()
    return _DRAWER.draw(spec)


_DRAWER: Drawer | None = None
